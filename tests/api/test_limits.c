/* test_limits.c: request limits against the real binary: the body limit of
 * each route (a full review form fits, a sign-in form does not take
 * megabytes, GET takes no body), the header size, file uploads where no
 * route takes files, and the security headers on every kind of answer. */
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/buf.h"

#define MD_FIELD_MAX (256 * 1024) /* model/review.c: MARKDOWN_MAX */

static const char *const md_fields[] = {
	"tldr",	       "summary",      "impact",	 "resolution",
	"surprising",  "difficult",    "open_questions", "went_well",
	"went_poorly", "data_sources",
};

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

/* raw_status sends req on a new connection and returns the status of the
 * answer, or 0 when the server closed the connection without one. */
static int raw_status(int port, const char *req, size_t len)
{
	struct timeval tv = {10, 0};
	char buf[64] = "";
	ssize_t n = 0;
	int fd = tcp_connect(port);

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (len) {
		ssize_t w = send(fd, req, len, MSG_NOSIGNAL);

		if (w <= 0)
			break; /* the server may close before reading it all */
		req += w;
		len -= (size_t)w;
	}
	n = recv(fd, buf, sizeof buf - 1, 0);
	close(fd);
	if (n < 12 || strncmp(buf, "HTTP/1.1 ", 9) != 0)
		return 0;
	return atoi(buf + 9);
}

static void assert_healthy(struct hs *s)
{
	struct http_resp r;

	assert_int_equal(http_get(s, "/api/v1/health", &r), 200);
	http_resp_free(&r);
}

/* filled returns a malloc'd string of n bytes of pattern repeated. */
static char *filled(size_t n, const char *pattern)
{
	size_t plen = strlen(pattern);
	char *b = malloc(n + 1);

	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = pattern[i % plen];
	b[n] = '\0';
	return b;
}

static void test_full_review_form_at_every_field_limit_is_accepted(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	/* "é" is two bytes, each sent as %XX: three wire bytes per byte, the
	 * most a form can need for text */
	char *value = filled(MD_FIELD_MAX / 2 * 6, "%C3%A9");
	struct buf form = BUF_INIT;

	buf_puts(&form, "title=Largest+possible+review&kind=incident");
	for (size_t i = 0; i < sizeof md_fields / sizeof md_fields[0]; i++)
		buf_printf(&form, "&%s=%s", md_fields[i], value);
	assert_false(form.oom);
	assert_true(form.len > 7 * 1024 * 1024); /* over the old 1 MiB */
	assert_int_equal(http_form(s, "/reviews", buf_cstr(&form), &r), 303);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 1);
	buf_release(&form);
	free(value);
}

static void
test_sign_in_form_over_its_limit_is_413_and_signs_nobody_in(void **state)
{
	static const char *const chunked[] = {"Transfer-Encoding: chunked",
					      NULL};
	struct hs *s = *state;
	struct http_resp r;
	char *body = filled(20 * 1024, "username=ada&password=xxxxxxxx&");
	char *cookie;

	assert_int_equal(http_form(s, "/login", body, &r), 413);
	assert_non_null(strstr(r.body, "<html"));
	assert_non_null(strstr(r.body, "16 KiB it may hold"));
	cookie = http_header(&r, "Set-Cookie");
	assert_true(!cookie || !strstr(cookie, "debrief_session"));
	free(cookie);
	http_resp_free(&r);
	/* no length announced: cut while it is read */
	assert_int_equal(http_do(s, "POST", "/login",
				 "application/x-www-form-urlencoded", body,
				 chunked, &r),
			 0);
	assert_int_equal(r.status, 413);
	http_resp_free(&r);
	assert_healthy(s);
	free(body);
}

static void
test_child_record_over_its_limit_is_413_json_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Limits\"}");
	int64_t version = review_version(s, id);
	char path[96];
	char *text = filled(1100 * 1024, "a");
	struct buf body = BUF_INIT;
	json_t *list;
	char *dump;

	buf_printf(&body,
		   "{\"at\": \"2026-01-01T00:00:00Z\", \"text\": \"x\", "
		   "\"context\": \"%s\"}",
		   text);
	PATHF(path, "/api/v1/reviews/%lld/timeline", (long long)id);
	assert_int_equal(http_json(s, "POST", path, buf_cstr(&body), &r), 413);
	check_error(&r, 413, "too_large", NULL);
	assert_non_null(
		strstr(json_string_value(json_object_get(
			       json_object_get(r.json, "error"), "message")),
		       "1048576 bytes"));
	http_resp_free(&r);
	list = get_json(s, path, 200);
	assert_non_null(list);
	dump = json_dumps(list, JSON_COMPACT);
	assert_non_null(dump);
	assert_null(strstr(dump, "aaaa"));
	free(dump);
	json_decref(list);
	assert_int_equal(review_version(s, id), version);
	buf_release(&body);
	free(text);
}

static void
test_get_with_a_body_or_a_large_delete_is_413_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Keep me\"}");
	char path[64], *big = filled(20 * 1024, " ");

	/* a DELETE names at most a version: a few bytes */
	big[0] = '{';
	big[20 * 1024 - 1] = '}';
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_do(s, "DELETE", path, NULL, big, NULL, &r), 0);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 1);
	free(big);
	assert_int_equal(
		http_do(s, "GET", "/api/v1/reviews", NULL, "{}", NULL, &r), 0);
	check_error(&r, 413, "too_large", NULL);
	assert_non_null(strstr(r.body, "takes no body"));
	http_resp_free(&r);
	/* the web side answers with a page */
	assert_int_equal(http_do(s, "GET", "/", "text/plain", "x", NULL, &r),
			 0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "<html"));
	http_resp_free(&r);
	/* an empty body is no body */
	assert_int_equal(
		http_do(s, "GET", "/api/v1/reviews", NULL, "", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	/* a small body to no route still gets its 404 */
	assert_int_equal(
		http_do(s, "POST", "/api/v1/nowhere", NULL, "{}", NULL, &r), 0);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 1);
}

static void
test_oversized_headers_get_431_and_others_are_still_served(void **state)
{
	struct hs *s = *state;
	struct buf req = BUF_INIT;
	char *cookie = filled(64 * 1024, "c");
	int status;

	/* one 64 KiB cookie */
	buf_printf(&req,
		   "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		   "Cookie: big=%s\r\n\r\n",
		   cookie);
	status = raw_status(s->port, buf_cstr(&req), req.len);
	assert_true(status == 431 || status == 413 || status == 0);
	assert_healthy(s);
	/* many small headers */
	buf_reset(&req);
	buf_puts(&req, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
	for (int i = 0; i < 3000; i++)
		buf_printf(&req, "X-Filler-%d: %s\r\n", i, "0123456789");
	buf_puts(&req, "\r\n");
	status = raw_status(s->port, buf_cstr(&req), req.len);
	assert_true(status == 431 || status == 413 || status == 0);
	assert_healthy(s);
	/* a large but reasonable header (an SSO token) is fine */
	buf_reset(&req);
	cookie[8 * 1024] = '\0';
	buf_printf(&req,
		   "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		   "Cookie: sso=%s\r\n\r\n",
		   cookie);
	assert_int_equal(raw_status(s->port, buf_cstr(&req), req.len), 200);
	buf_release(&req);
	free(cookie);
}

/* A configured max_header: 16 KiB of memory leaves no room for 12 KiB of
 * headers. */
static void test_max_header_setting_bounds_the_headers(void **state)
{
	struct hs s = {0};
	struct buf req = BUF_INIT;
	char *cookie = filled(12 * 1024, "c");
	int status;

	assert_int_equal(hs_start_conf(&s, "max_header = 16K\n", NULL), 0);
	buf_printf(&req,
		   "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		   "Cookie: big=%s\r\n\r\n",
		   cookie);
	status = raw_status(s.port, buf_cstr(&req), req.len);
	assert_true(status == 431 || status == 0);
	assert_healthy(&s);
	assert_int_equal(hs_stop(&s), 0);
	hs_cleanup(&s);
	buf_release(&req);
	free(cookie);
}

static void test_file_upload_is_415_where_no_route_takes_files(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	const char *ct = "multipart/form-data; boundary=XyZ";
	const char *body = "--XyZ\r\n"
			   "Content-Disposition: form-data; name=\"title\"\r\n"
			   "\r\nUploaded\r\n"
			   "--XyZ\r\n"
			   "Content-Disposition: form-data; name=\"summary\"; "
			   "filename=\"core.bin\"\r\n"
			   "Content-Type: application/octet-stream\r\n\r\n"
			   "\x7f"
			   "ELF\x02\x01\x01\r\n"
			   "--XyZ--\r\n";

	assert_int_equal(http_do(s, "POST", "/reviews", ct, body, NULL, &r), 0);
	assert_int_equal(r.status, 415);
	assert_non_null(strstr(r.body, "<html"));
	assert_non_null(strstr(r.body, "multipart/form-data"));
	http_resp_free(&r);
	assert_int_equal(
		http_do(s, "POST", "/api/v1/reviews", ct, body, NULL, &r), 0);
	check_error(&r, 415, "unsupported_media_type", NULL);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 0);
}

static void check_security_headers(const struct http_resp *r)
{
	static const struct {
		const char *name, *part;
	} want[] = {
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "same-origin"},
		{"Content-Security-Policy", "frame-ancestors 'none'"},
		{"Content-Security-Policy", "script-src 'self';"},
		{"Permissions-Policy", "camera=()"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
	};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *h = http_header(r, want[i].name);

		if (!h || !strstr(h, want[i].part))
			fail_msg("status %ld: %s lacks '%s'", r->status,
				 want[i].name, want[i].part);
		free(h);
	}
}

static void test_every_kind_of_answer_has_the_security_headers(void **state)
{
	static const char *const chunked[] = {"Transfer-Encoding: chunked",
					      NULL};
	struct hs *s = *state;
	struct http_resp r;
	char *etag, inm[128], *big = filled(20 * 1024, "x");
	const char *inm_h[] = {inm, NULL};

	/* a static file, then its 304 */
	assert_int_equal(http_get(s, "/static/app.css", &r), 200);
	check_security_headers(&r);
	etag = http_header(&r, "ETag");
	assert_non_null(etag);
	http_resp_free(&r);
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	free(etag);
	assert_int_equal(
		http_do(s, "GET", "/static/app.css", NULL, NULL, inm_h, &r), 0);
	assert_int_equal(r.status, 304);
	check_security_headers(&r);
	http_resp_free(&r);
	/* error pages and JSON errors */
	assert_int_equal(http_get(s, "/nope", &r), 404);
	check_security_headers(&r);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/api/v1/reviews/99", &r), 404);
	check_security_headers(&r);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/api/v1/reviews/1/restore", &r), 405);
	check_security_headers(&r);
	http_resp_free(&r);
	/* 413 before the body is read, and while it is read */
	assert_int_equal(http_form(s, "/login", big, &r), 413);
	check_security_headers(&r);
	http_resp_free(&r);
	assert_int_equal(http_do(s, "POST", "/logout",
				 "application/x-www-form-urlencoded", big,
				 chunked, &r),
			 0);
	assert_int_equal(r.status, 413);
	check_security_headers(&r);
	http_resp_free(&r);
	/* a redirect after a form */
	assert_int_equal(http_form(s, "/reviews", "title=Headers", &r), 303);
	check_security_headers(&r);
	http_resp_free(&r);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, server_up, server_down)
		T(test_full_review_form_at_every_field_limit_is_accepted),
		T(test_sign_in_form_over_its_limit_is_413_and_signs_nobody_in),
		T(test_child_record_over_its_limit_is_413_json_and_changes_nothing),
		T(test_get_with_a_body_or_a_large_delete_is_413_and_changes_nothing),
		T(test_oversized_headers_get_431_and_others_are_still_served),
		cmocka_unit_test(test_max_header_setting_bounds_the_headers),
		T(test_file_upload_is_415_where_no_route_takes_files),
		T(test_every_kind_of_answer_has_the_security_headers),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
