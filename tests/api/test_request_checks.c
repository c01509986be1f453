/* test_request_checks.c: what the server refuses before any handler runs,
 * found by a hostile test (issue 10): ambiguous body framing (request
 * smuggling), a request line with bytes that are not a method or a path,
 * log lines forged through the request line, and Host names the server
 * does not answer to (DNS rebinding). Raw sockets, to send
 * what libcurl would not. */
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int tcp_connect(int port)
{
	struct sockaddr_in sa;
	struct timeval tv = {5, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* exchange sends req (len bytes) on a new connection and reads until the
 * server closes it (or 5 s pass) into out (NUL-terminated); returns the
 * number of responses ("HTTP/1.1 " at the start of a line). */
static int exchange(int port, const char *req, size_t len, char *out,
		    size_t cap)
{
	size_t got = 0;
	int fd = tcp_connect(port), n = 0;

	assert_true(fd >= 0);
	while (len) {
		ssize_t w = send(fd, req, len, MSG_NOSIGNAL);

		if (w <= 0)
			break;
		req += w;
		len -= (size_t)w;
	}
	/* no more requests from us: a kept-alive connection still serves
	 * whatever the server left unread */
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t r = recv(fd, out + got, cap - 1 - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == cap - 1)
			break;
	}
	out[got] = '\0';
	close(fd);
	for (const char *p = out; (p = strstr(p, "HTTP/1.1 ")); p++)
		if (p == out || p[-1] == '\n' || p[-1] == '}' || p[-1] == '>')
			n++;
	return n;
}

static int status_of(const char *out)
{
	return strncmp(out, "HTTP/1.1 ", 9) ? 0 : atoi(out + 9);
}

#define SMUGGLED "GET /api/v1/reviews/12345 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

static void expect_refused_alone(struct hs *s, const char *req)
{
	static char out[65536];
	int n = exchange(s->port, req, strlen(req), out, sizeof out);

	if (status_of(out) != 400 || n != 1)
		fail_msg("want one 400, got %d answers:\n%.600s", n, out);
	/* the smuggled request was not served */
	assert_null(strstr(out, "404 Not Found"));
	assert_non_null(strcasestr(out, "\r\nConnection: close"));
}

static void test_two_content_lengths_are_400_and_nothing_is_smuggled(
	void **state)
{
	struct hs *s = *state;

	expect_refused_alone(s, "GET /api/v1/health HTTP/1.1\r\n"
				"Host: 127.0.0.1\r\n"
				"Content-Length: 0\r\n"
				"Content-Length: 58\r\n\r\n" SMUGGLED);
	expect_refused_alone(s, "POST /api/v1/reviews HTTP/1.1\r\n"
				"Host: 127.0.0.1\r\n"
				"Content-Type: application/json\r\n"
				"Content-Length: 16\r\n"
				"Content-Length: 0\r\n\r\n"
				"{\"title\": \"s\"}" SMUGGLED);
	assert_int_equal(review_total(s, 0), 0);
}

static void
test_content_length_with_transfer_encoding_is_400_and_nothing_is_smuggled(
	void **state)
{
	struct hs *s = *state;

	expect_refused_alone(s, "POST /api/v1/reviews HTTP/1.1\r\n"
				"Host: 127.0.0.1\r\n"
				"Content-Type: application/json\r\n"
				"Content-Length: 5\r\n"
				"Transfer-Encoding: chunked\r\n\r\n"
				"0\r\n\r\n" SMUGGLED);
	expect_refused_alone(s, "POST /reviews HTTP/1.1\r\n"
				"Host: 127.0.0.1\r\n"
				"Transfer-Encoding: chunked\r\n"
				"Content-Type: application/x-www-form-urlencoded"
				"\r\nContent-Length: 64\r\n\r\n"
				"0\r\n\r\n" SMUGGLED);
	assert_int_equal(review_total(s, 0), 0);
}

static void test_one_content_length_keeps_the_connection_alive(void **state)
{
	struct hs *s = *state;
	static char out[65536];
	const char *req = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			  "Content-Length: 0\r\n\r\n" SMUGGLED;

	/* the same bytes with one length: two requests, two answers */
	assert_int_equal(exchange(s->port, req, strlen(req), out, sizeof out),
			 2);
	assert_int_equal(status_of(out), 200);
	assert_non_null(strstr(out, "404 Not Found"));
}

/* log_has tells whether the server's log holds needle at the start of a
 * line. */
static int log_has_line_starting(struct hs *s, const char *needle)
{
	char line[4096];
	FILE *f = fopen(s->log, "r");
	int found = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, needle, strlen(needle)))
			found = 1;
	fclose(f);
	return found;
}

static void test_request_line_with_bad_bytes_is_400_and_forges_no_log_line(
	void **state)
{
	static char out[65536];
	struct hs *s = *state;
	char req[1024], junk[101];
	const char *paths[] = {"/api/v1/health", "/api/v1/reviews",
			       "/api/v1/reviews/1", "/reviews", "/"};

	memset(junk, 0xe9, 100);
	junk[100] = '\0';
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		/* 100 bytes that are not UTF-8 as the method, and a path
		 * with an encoded newline and a forged log line after it */
		snprintf(req, sizeof req,
			 "%s %s%%0aFORGED%%20error%%20line HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\n\r\n",
			 junk, paths[i]);
		exchange(s->port, req, strlen(req), out, sizeof out);
		if (status_of(out) != 400)
			fail_msg("%s: want 400, got:\n%.400s", paths[i], out);
		snprintf(req, sizeof req,
			 "G%cT %s%%0aFORGED%%20error%%20line HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\n\r\n",
			 0xe9, paths[i]);
		exchange(s->port, req, strlen(req), out, sizeof out);
		assert_int_equal(status_of(out), 400);
		/* a good method with the newline in the path */
		snprintf(req, sizeof req,
			 "GET %s%%0aFORGED%%20error%%20line HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\n\r\n",
			 paths[i]);
		exchange(s->port, req, strlen(req), out, sizeof out);
		assert_int_equal(status_of(out), 400);
	}
	/* the JSON side answers with the one error shape */
	snprintf(req, sizeof req,
		 "%s /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", junk);
	exchange(s->port, req, strlen(req), out, sizeof out);
	assert_non_null(strstr(out, "\"code\":\"bad_request\""));
	assert_null(strstr(out, "out_of_memory"));
	assert_false(log_has_line_starting(s, "FORGED"));
	assert_int_equal(review_total(s, 0), 0);
}

/* host_status sends method path with "Host: host" (and a form body for
 * POST) and returns the status. */
static long host_status(struct hs *s, const char *method, const char *path,
			const char *host)
{
	char line[300];
	const char *hdrs[] = {line, NULL};
	struct http_resp r;
	long status;

	snprintf(line, sizeof line, "Host: %s", host);
	assert_int_equal(
		http_do(s, method, path,
			!strcmp(method, "POST") ? "application/x-www-form-"
						  "urlencoded"
						: NULL,
			!strcmp(method, "POST") ? "title=Rebound" : NULL, hdrs,
			&r),
		0);
	status = r.status;
	if (status == 400 && !strncmp(path, "/api/", 5))
		assert_non_null(strstr(r.body, "Host header"));
	http_resp_free(&r);
	return status;
}

static void test_foreign_host_name_is_400_on_loopback(void **state)
{
	struct hs *s = *state;
	char host[64];

	/* what a DNS-rebinding page sends: its own name */
	assert_int_equal(host_status(s, "GET", "/api/v1/reviews",
				     "rebind.attacker.example"),
			 400);
	assert_int_equal(host_status(s, "GET", "/", "rebind.attacker.example:80"),
			 400);
	assert_int_equal(host_status(s, "POST", "/reviews",
				     "rebind.attacker.example"),
			 400);
	assert_int_equal(host_status(s, "GET", "/", "127.0.0.1.attacker.example"),
			 400);
	assert_int_equal(host_status(s, "GET", "/", "localhost.attacker.example"),
			 400);
	assert_int_equal(host_status(s, "GET", "/", "[::2]"), 400);
	assert_int_equal(review_total(s, 0), 0);
	/* loopback names, with any port or none, in any case */
	snprintf(host, sizeof host, "127.0.0.1:%d", s->port);
	assert_int_equal(host_status(s, "GET", "/api/v1/reviews", host), 200);
	snprintf(host, sizeof host, "LocalHost:%d", s->port);
	assert_int_equal(host_status(s, "GET", "/", host), 200);
	assert_int_equal(host_status(s, "GET", "/", "localhost."), 200);
	assert_int_equal(host_status(s, "GET", "/", "[::1]:8080"), 200);
	assert_int_equal(host_status(s, "POST", "/reviews", "localhost"), 303);
	assert_int_equal(review_total(s, 0), 1);
}

static void test_missing_or_repeated_host_is_400(void **state)
{
	static char out[65536];
	struct hs *s = *state;
	const char *h11 = "GET /api/v1/health HTTP/1.1\r\n\r\n";
	const char *h10 = "GET /api/v1/health HTTP/1.0\r\n\r\n";
	const char *two = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			  "Host: rebind.attacker.example\r\n\r\n";

	exchange(s->port, h11, strlen(h11), out, sizeof out);
	assert_int_equal(status_of(out), 400);
	assert_non_null(strstr(out, "Host header"));
	/* HTTP/1.0 did not have Host; no browser speaks it */
	exchange(s->port, h10, strlen(h10), out, sizeof out);
	assert_int_equal(status_of(out), 200);
	exchange(s->port, two, strlen(two), out, sizeof out);
	assert_int_equal(status_of(out), 400);
	assert_non_null(strstr(out, "more than one Host"));
}

static void test_public_url_host_is_answered_and_others_are_not(void **state)
{
	struct hs s = {0};

	assert_int_equal(
		hs_start_conf(&s, "public_url = https://Debrief.Example.com\n",
			      NULL),
		0);
	assert_int_equal(host_status(&s, "GET", "/api/v1/reviews",
				     "debrief.example.com"),
			 200);
	assert_int_equal(host_status(&s, "GET", "/", "DEBRIEF.example.com:443"),
			 200);
	assert_int_equal(host_status(&s, "GET", "/", "127.0.0.1"), 200);
	assert_int_equal(host_status(&s, "GET", "/api/v1/reviews",
				     "debrief.example.com.attacker.example"),
			 400);
	assert_int_equal(host_status(&s, "GET", "/", "example.com"), 400);
	assert_int_equal(hs_stop(&s), 0);
	hs_cleanup(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, server_up, server_down)
		T(test_two_content_lengths_are_400_and_nothing_is_smuggled),
		T(test_content_length_with_transfer_encoding_is_400_and_nothing_is_smuggled),
		T(test_one_content_length_keeps_the_connection_alive),
		T(test_request_line_with_bad_bytes_is_400_and_forges_no_log_line),
		T(test_foreign_host_name_is_400_on_loopback),
		T(test_missing_or_repeated_host_is_400),
		cmocka_unit_test(
			test_public_url_host_is_answered_and_others_are_not),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
