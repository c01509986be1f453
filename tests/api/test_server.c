/* test_server.c: the HTTP server and the command line, against the real
 * binary: error pages, 405, 413, keep-alive, security headers, graceful
 * SIGTERM, CLI usage errors. */
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- raw HTTP over one socket (to see the connection itself) ---- */

static int tcp_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
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

static void send_str(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		assert_true(w > 0);
		s += w;
		n -= (size_t)w;
	}
}

/* read_response reads one response (headers + Content-Length bytes) into
 * out (NUL-terminated) and returns its status, or -1 when the connection
 * ended first. */
static int read_response(int fd, char *out, size_t cap)
{
	size_t len = 0, need = 0;
	char *hend = NULL;

	while (!hend || len < need) {
		ssize_t r = recv(fd, out + len, cap - 1 - len, 0);

		if (r <= 0)
			return -1;
		len += (size_t)r;
		out[len] = '\0';
		if (!hend && (hend = strstr(out, "\r\n\r\n"))) {
			const char *cl = strcasestr(out, "\r\nContent-Length:");

			need = (size_t)(hend + 4 - out) +
			       (cl ? strtoul(cl + 17, NULL, 10) : 0);
			assert_true(need < cap);
		}
	}
	return atoi(out + 9);
}

/* ---- running the binary as a command ---- */

/* run_cli runs $DEBRIEF_BIN with args, stdout and stderr into files under
 * dir; returns the exit status and leaves the outputs in out / err. */
static int run_cli(const char *dir, const char *const *args, char *out,
		   size_t outlen, char *err, size_t errlen)
{
	const char *env = getenv("DEBRIEF_BIN");
	char bin[PATH_MAX], outp[512], errp[512];
	const char *argv[16];
	int n = 0, status;
	pid_t pid;
	FILE *f;

	assert_non_null(realpath(env ? env : "./debrief", bin));
	argv[n++] = bin;
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	snprintf(outp, sizeof outp, "%s/cli.out", dir);
	snprintf(errp, sizeof errp, "%s/cli.err", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || chdir(dir) < 0)
			_exit(125);
		dup2(o, 1);
		dup2(e, 2);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	out[0] = err[0] = '\0';
	if ((f = fopen(outp, "r"))) {
		out[fread(out, 1, outlen - 1, f)] = '\0';
		fclose(f);
	}
	if ((f = fopen(errp, "r"))) {
		err[fread(err, 1, errlen - 1, f)] = '\0';
		fclose(f);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void make_dir(struct hs *s)
{
	char tmpl[] = "/tmp/debrief-test-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	snprintf(s->dir, sizeof s->dir, "%s", tmpl);
}

static char *big_body(size_t n)
{
	char *b = malloc(n + 1);

	assert_non_null(b);
	memset(b, ' ', n);
	b[0] = '{';
	memcpy(b + 1, "\"title\": \"big\"", 14);
	b[n - 1] = '}';
	b[n] = '\0';
	return b;
}

/* ---- tests ---- */

static void test_unknown_path_is_the_html_404_page(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *ct;

	assert_int_equal(http_get(s, "/no/such/page", &r), 404);
	ct = http_header(&r, "Content-Type");
	assert_non_null(ct);
	assert_true(!strncmp(ct, "text/html", 9));
	assert_non_null(strstr(r.body, "<html"));
	free(ct);
	http_resp_free(&r);
}

static void test_unknown_api_path_is_a_json_404(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	http_get(s, "/api/v1/no-such-thing", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_get(s, "/api/v1/reviews/1/timeline/2/extra", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
}

static void test_known_path_with_other_method_is_405_with_allow(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *allow;

	http_json(s, "DELETE", "/api/v1/health", NULL, &r);
	check_error(&r, 405, "method_not_allowed", NULL);
	allow = http_header(&r, "Allow");
	assert_non_null(allow);
	assert_string_equal(allow, "GET, HEAD");
	free(allow);
	http_resp_free(&r);

	/* a literal segment beats {id}: /reviews/new is GET only */
	assert_int_equal(
		http_do(s, "PUT", "/reviews/new", "text/plain", "x", NULL, &r),
		0);
	assert_int_equal(r.status, 405);
	allow = http_header(&r, "Allow");
	assert_non_null(allow);
	assert_string_equal(allow, "GET, HEAD");
	free(allow);
	http_resp_free(&r);

	/* .../restore is a route of its own, not a {kind} of children */
	http_get(s, "/api/v1/reviews/1/restore", &r);
	check_error(&r, 405, "method_not_allowed", NULL);
	allow = http_header(&r, "Allow");
	assert_string_equal(allow, "POST");
	free(allow);
	http_resp_free(&r);
}

static void test_head_answers_a_get_route_without_a_body(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	assert_int_equal(
		http_do(s, "HEAD", "/api/v1/health", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	http_resp_free(&r);
}

static void test_trailing_slash_is_the_same_route(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	assert_int_equal(http_get(s, "/api/v1/health/", &r), 200);
	http_resp_free(&r);
}

static void test_invalid_utf8_in_path_or_query_is_400(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	http_get(s, "/api/v1/reviews/%FF", &r);
	check_error(&r, 400, "bad_request", NULL);
	http_resp_free(&r);
	http_get(s, "/api/v1/reviews?q=%C3%28", &r);
	check_error(&r, 400, "bad_request", NULL);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews?q=%ED%A0%80", &r), 400);
	http_resp_free(&r);
}

static void test_form_with_invalid_utf8_is_400_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	assert_int_equal(http_form(s, "/reviews", "title=%C0%AF", &r), 400);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 0);
}

static void test_every_response_has_the_security_headers(void **state)
{
	static const char *const paths[] = {
		"/api/v1/health", "/api/v1/nope",    "/nope",
		"/reviews/new",	  "/api/v1/reviews",
	};
	struct hs *s = *state;

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct http_resp r;
		char *h;

		assert_int_equal(
			http_do(s, "GET", paths[i], NULL, NULL, NULL, &r), 0);
		h = http_header(&r, "X-Content-Type-Options");
		assert_non_null(h);
		assert_string_equal(h, "nosniff");
		free(h);
		h = http_header(&r, "Referrer-Policy");
		assert_non_null(h);
		assert_string_equal(h, "same-origin");
		free(h);
		h = http_header(&r, "Content-Security-Policy");
		assert_non_null(h);
		assert_non_null(strstr(h, "default-src 'self'"));
		assert_non_null(strstr(h, "script-src 'self'"));
		assert_non_null(strstr(h, "frame-ancestors 'none'"));
		assert_non_null(strstr(h, "object-src 'none'"));
		free(h);
		http_resp_free(&r);
	}
}

static void
test_keep_alive_serves_several_requests_on_one_connection(void **state)
{
	struct hs *s = *state;
	char buf[65536];
	int fd = tcp_connect(s->port);

	assert_true(fd >= 0);
	for (int i = 0; i < 3; i++) {
		send_str(fd, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
		assert_int_equal(read_response(fd, buf, sizeof buf), 200);
		assert_null(strcasestr(buf, "Connection: close"));
	}
	/* a request with a body too (answered on a later call) */
	send_str(fd, "POST /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		     "Content-Type: application/json\r\n"
		     "Content-Length: 17\r\n\r\n{\"title\": \"Kept\"}");
	assert_int_equal(read_response(fd, buf, sizeof buf), 201);
	assert_null(strcasestr(buf, "Connection: close"));
	send_str(fd, "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	assert_int_equal(read_response(fd, buf, sizeof buf), 404);
	assert_null(strcasestr(buf, "Connection: close"));
	close(fd);
}

static void test_oversized_body_is_413_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	size_t n = 8 * 1024 * 1024 + 4096; /* the default limit is 8 MiB */
	char *body = big_body(n);

	http_json(s, "POST", "/api/v1/reviews", body, &r);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 0);
	free(body);
}

/* server_up_small_limit starts a server whose config file sets
 * max_body = 2K. */
static int server_up_small_limit(void **state)
{
	struct hs *s = calloc(1, sizeof *s);

	if (!s)
		return -1;
	*state = s;
	return hs_start_conf(s, "# test limits\nmax_body = 2K\n", NULL);
}

static void test_body_over_configured_limit_is_413_also_chunked(void **state)
{
	static const char *const chunked[] = {"Transfer-Encoding: chunked",
					      NULL};
	struct hs *s = *state;
	struct http_resp r;
	char *body = big_body(3000);

	http_json(s, "POST", "/api/v1/reviews", body, &r);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	/* no Content-Length: the limit is found while reading */
	assert_int_equal(
		http_do(s, "POST", "/api/v1/reviews", NULL, body, chunked, &r),
		0);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	/* the web side answers with a page */
	assert_int_equal(http_do(s, "POST", "/reviews",
				 "application/x-www-form-urlencoded", body,
				 NULL, &r),
			 0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "<html"));
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 0);
	/* a body under the limit still works */
	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"Small\"}", &r),
			 201);
	http_resp_free(&r);
	free(body);
}

static void test_sigterm_finishes_a_request_in_flight_and_exits_0(void **state)
{
	struct hs *s = *state;
	const char *json = "{\"title\": \"Drained\"}";
	char buf[65536], head[256];
	struct timespec ts = {0, 200 * 1000000L};
	int fd = tcp_connect(s->port), fd2;

	assert_true(fd >= 0);
	snprintf(head, sizeof head,
		 "POST /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		 "\r\n{\"title\"",
		 strlen(json));
	send_str(fd, head); /* the body is not complete yet */
	nanosleep(&ts, NULL);
	assert_int_equal(kill(s->pid, SIGTERM), 0);
	nanosleep(&ts, NULL);
	/* the server no longer accepts connections */
	fd2 = tcp_connect(s->port);
	assert_true(fd2 < 0);
	/* but finishes the request it had begun */
	send_str(fd, json + strlen("{\"title\""));
	assert_int_equal(read_response(fd, buf, sizeof buf), 201);
	assert_non_null(strcasestr(buf, "Connection: close"));
	close(fd);
	assert_int_equal(hs_stop(s), 0);

	/* and the write is there after a restart */
	assert_int_equal(hs_start(s, NULL), 0);
	assert_int_equal(review_total(s, 0), 1);
}

static void test_unknown_flag_or_command_prints_usage_and_exits_2(void **state)
{
	struct hs s = {0};
	char out[4096], err[4096];
	const char *bad_flag[] = {"serve", "--no-such-flag", NULL};
	const char *bad_cmd[] = {"frobnicate", NULL};
	const char *no_value[] = {"serve", "--db", NULL};
	const char *none[] = {NULL};

	make_dir(&s);
	assert_int_equal(
		run_cli(s.dir, bad_flag, out, sizeof out, err, sizeof err), 2);
	assert_non_null(strstr(err, "usage:"));
	assert_non_null(strstr(err, "--no-such-flag"));
	assert_int_equal(
		run_cli(s.dir, bad_cmd, out, sizeof out, err, sizeof err), 2);
	assert_non_null(strstr(err, "usage:"));
	assert_int_equal(
		run_cli(s.dir, no_value, out, sizeof out, err, sizeof err), 2);
	assert_int_equal(run_cli(s.dir, none, out, sizeof out, err, sizeof err),
			 2);
	hs_cleanup(&s);
}

static void test_version_and_help_exit_0(void **state)
{
	struct hs s = {0};
	char out[4096], err[4096];
	const char *version[] = {"version", NULL};
	const char *help[] = {"help", NULL};
	const char *dash_help[] = {"--help", NULL};

	make_dir(&s);
	assert_int_equal(
		run_cli(s.dir, version, out, sizeof out, err, sizeof err), 0);
	assert_true(!strncmp(out, "debrief ", 8));
	assert_int_equal(run_cli(s.dir, help, out, sizeof out, err, sizeof err),
			 0);
	assert_non_null(strstr(out, "debrief serve"));
	assert_non_null(strstr(out, "debrief migrate"));
	assert_int_equal(
		run_cli(s.dir, dash_help, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "usage:"));
	hs_cleanup(&s);
}

static void test_migrate_prints_the_schema_version(void **state)
{
	struct hs s = {0};
	char out[4096], err[4096], db[512];
	const char *args[] = {"migrate", "--db", db, NULL};

	make_dir(&s);
	snprintf(db, sizeof db, "%s/m.db", s.dir);
	assert_int_equal(run_cli(s.dir, args, out, sizeof out, err, sizeof err),
			 0);
	assert_non_null(strstr(out, "schema version "));
	assert_true(atoi(strstr(out, "schema version ") + 15) >= 1);
	assert_int_equal(access(db, F_OK), 0);
	hs_cleanup(&s);
}

static void test_missing_config_file_or_bad_setting_exits_1(void **state)
{
	struct hs s = {0};
	char out[4096], err[4096], conf[512];
	const char *missing[] = {"serve", "--config", "/nonexistent/x.conf",
				 NULL};
	const char *bad_listen[] = {"serve", "--listen", "nowhere", NULL};
	const char *bad_conf[] = {"migrate", "--config", conf, NULL};
	FILE *f;

	make_dir(&s);
	assert_int_equal(
		run_cli(s.dir, missing, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "/nonexistent/x.conf"));
	assert_int_equal(
		run_cli(s.dir, bad_listen, out, sizeof out, err, sizeof err),
		1);
	assert_non_null(strstr(err, "listen"));
	snprintf(conf, sizeof conf, "%s/bad.conf", s.dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "db = x.db\n\ncolour = blue\n");
	fclose(f);
	assert_int_equal(
		run_cli(s.dir, bad_conf, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "bad.conf:3:"));
	hs_cleanup(&s);
}

static void test_serve_on_a_port_in_use_exits_1(void **state)
{
	struct hs *s = *state;
	char out[4096], err[4096], listen[64], db[512];
	const char *args[] = {"serve", "--listen", listen, "--db", db, NULL};

	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	snprintf(db, sizeof db, "%s/other.db", s->dir);
	assert_int_equal(
		run_cli(s->dir, args, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "cannot listen"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_unknown_path_is_the_html_404_page, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_unknown_api_path_is_a_json_404, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_known_path_with_other_method_is_405_with_allow,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_head_answers_a_get_route_without_a_body, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_trailing_slash_is_the_same_route, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_invalid_utf8_in_path_or_query_is_400, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_form_with_invalid_utf8_is_400_and_changes_nothing,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_every_response_has_the_security_headers, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_keep_alive_serves_several_requests_on_one_connection,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_oversized_body_is_413_and_changes_nothing,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_body_over_configured_limit_is_413_also_chunked,
			server_up_small_limit, server_down),
		cmocka_unit_test_setup_teardown(
			test_sigterm_finishes_a_request_in_flight_and_exits_0,
			server_up, server_down),
		cmocka_unit_test(
			test_unknown_flag_or_command_prints_usage_and_exits_2),
		cmocka_unit_test(test_version_and_help_exit_0),
		cmocka_unit_test(test_migrate_prints_the_schema_version),
		cmocka_unit_test(
			test_missing_config_file_or_bad_setting_exits_1),
		cmocka_unit_test_setup_teardown(
			test_serve_on_a_port_in_use_exits_1, server_up,
			server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
