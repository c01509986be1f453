/* test_operate.c: watching a running server: GET /metrics (Prometheus
 * text, guarded by metrics.token / metrics.allow), StatsD lines over UDP,
 * the access log in logfmt and JSON with its request id, /api/v1/ready,
 * and a configuration that must stop the start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/harness.h"
#include "unit/test_db.h"

#define TOKEN "metrics-token-0123456789"

/* prepare makes the temp directory with a debrief.conf holding conf, and
 * puts that file's path into conf_path. */
static struct hs *prepare(const char *conf, char *conf_path, size_t n)
{
	struct hs *s = calloc(1, sizeof *s);

	assert_non_null(s);
	assert_int_equal(hs_write_conf(s, conf), 0);
	snprintf(conf_path, n, "%s/debrief.conf", s->dir);
	return s;
}

/* running: the server a test started, stopped by the teardown when an
 * assertion ends the test early. */
static struct hs *running;

static struct hs *start_with(const char *conf)
{
	struct hs *s = calloc(1, sizeof *s);

	assert_non_null(s);
	running = s;
	assert_int_equal(hs_start_conf(s, conf, NULL), 0);
	return s;
}

static void stop(struct hs *s)
{
	hs_stop(s);
	hs_cleanup(s);
	free(s);
	running = NULL;
}

static int teardown(void **state)
{
	if (running)
		stop(running);
	return 0;
}

/* sample reads the value of the exposition line that starts with
 * prefix (name and labels); -1 when there is none. */
static long long sample(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, n) && p[n] == ' ')
			return atoll(p + n + 1);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static char *scrape(struct hs *s)
{
	const char *h[] = {"Authorization: Bearer " TOKEN, NULL};
	struct http_resp r;
	char *text;

	assert_int_equal(http_do(s, "GET", "/metrics", NULL, NULL, h, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strcasestr(r.headers, "Content-Type: text/plain; "
					      "version=0.0.4"));
	text = strdup(r.body);
	http_resp_free(&r);
	return text;
}

static void test_metrics_count_requests_as_they_are_made(void **state)
{
	struct hs *s = start_with("metrics.token = " TOKEN "\n");
	struct http_resp r;
	char *before, *after;
	long long hits0, hits1, found0, found1;

	before = scrape(s);
	found0 = sample(before, "debrief_http_requests_total{route=\"/api/v1/"
				"reviews/{id}\",method=\"GET\",status="
				"\"404\"}");
	assert_true(http_get(s, "/api/v1/reviews/99", &r) > 0);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	assert_true(http_get(s, "/api/v1/reviews/98", &r) > 0);
	http_resp_free(&r);
	assert_true(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\":\"Disk full\",\"kind\":"
				   "\"incident\",\"severity\":3}",
				   &r) > 0);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	hits0 = sample(before, "debrief_cache_hits_total");
	/* the same page twice: the second is a cache hit */
	assert_true(http_get(s, "/reviews/1", &r) > 0);
	http_resp_free(&r);
	assert_true(http_get(s, "/reviews/1", &r) > 0);
	http_resp_free(&r);
	after = scrape(s);
	found1 = sample(after, "debrief_http_requests_total{route=\"/api/v1/"
			       "reviews/{id}\",method=\"GET\",status="
			       "\"404\"}");
	assert_int_equal(found1 - (found0 < 0 ? 0 : found0), 2);
	assert_int_equal(sample(after, "debrief_http_requests_total{route=\""
				       "/api/v1/reviews\",method=\"POST\","
				       "status=\"201\"}"),
			 1);
	hits1 = sample(after, "debrief_cache_hits_total");
	assert_true(hits1 >= hits0 + 1);
	assert_true(sample(after, "debrief_store_transaction_seconds_count") >=
		    1);
	assert_true(sample(after, "debrief_http_connections") >= 1);
	assert_true(sample(after, "debrief_schema_version") >= 5);
	assert_non_null(strstr(after, "\ndebrief_build_info{version=\""));
	/* every line is a comment or "name{labels} value" */
	for (char *line = strtok(after, "\n"); line; line = strtok(NULL, "\n"))
		if (line[0] != '#' && !strchr(line, ' '))
			fail_msg("not an exposition line: %s", line);
	free(before);
	free(after);
	stop(s);
}

/* The index's count of lingering follow-ups is kept in the page cache for
 * a minute; its hits are not pages served from the cache. */
static void test_cache_hits_count_pages_not_the_lingering_count(void **state)
{
	struct hs *s = start_with("metrics.token = " TOKEN "\n");
	struct http_resp r;
	char *before, *after;
	long long hits0, misses0, counts0;

	before = scrape(s);
	hits0 = sample(before, "debrief_cache_hits_total");
	misses0 = sample(before, "debrief_cache_misses_total");
	counts0 = sample(before, "debrief_count_cache_hits_total") +
		  sample(before, "debrief_count_cache_misses_total");
	/* the index, a write (the page is stale), the index again: two
	 * pages rendered; the second reuses the count of the first */
	assert_true(http_get(s, "/", &r) > 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	assert_true(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\":\"Disk full\",\"kind\":"
				   "\"incident\",\"severity\":3}",
				   &r) > 0);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	assert_true(http_get(s, "/", &r) > 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	after = scrape(s);
	assert_int_equal(sample(after, "debrief_cache_hits_total"), hits0);
	assert_int_equal(sample(after, "debrief_cache_misses_total"),
			 misses0 + 2);
	assert_int_equal(sample(after, "debrief_count_cache_hits_total") +
				 sample(after,
					"debrief_count_cache_misses_total"),
			 counts0 + 2);
	free(before);
	free(after);
	stop(s);
}

static void test_metrics_without_the_token_is_401_and_shows_nothing(
	void **state)
{
	struct hs *s = start_with("metrics.token = " TOKEN "\n");
	const char *wrong[] = {"Authorization: Bearer not-the-token-at-all",
			       NULL};
	struct http_resp r;

	assert_true(http_get(s, "/metrics", &r) > 0);
	assert_int_equal(r.status, 401);
	assert_null(strstr(r.body, "debrief_"));
	assert_non_null(strcasestr(r.headers, "WWW-Authenticate: Bearer"));
	http_resp_free(&r);
	assert_int_equal(http_do(s, "GET", "/metrics", NULL, NULL, wrong, &r),
			 0);
	assert_int_equal(r.status, 401);
	assert_null(strstr(r.body, "debrief_"));
	http_resp_free(&r);
	stop(s);
}

static void test_metrics_allow_list_keeps_other_addresses_out(void **state)
{
	struct hs *s = start_with("metrics.allow = 10.9.9.9\n");
	struct http_resp r;

	assert_true(http_get(s, "/metrics", &r) > 0);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.body, "debrief_"));
	http_resp_free(&r);
	stop(s);
	/* neither setting: loopback may scrape */
	s = start_with("# nothing\n");
	assert_true(http_get(s, "/metrics", &r) > 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "debrief_http_requests_total"));
	http_resp_free(&r);
	stop(s);
}

static void test_ready_checks_the_store(void **state)
{
	struct hs *s = start_with("# defaults\n");
	struct http_resp r;

	assert_true(http_get(s, "/api/v1/ready", &r) > 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "status")), "ready");
	assert_true(json_integer_value(
			    json_object_get(r.json, "schema_version")) >= 5);
	http_resp_free(&r);
	stop(s);
}

static void test_statsd_lines_reach_a_udp_listener(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof a;
	char conf[128], buf[2048];
	struct pollfd p;
	struct http_resp r;
	struct hs *s;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), seen = 0;

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	snprintf(conf, sizeof conf, "statsd = 127.0.0.1:%d\nstatsd_prefix = t\n",
		 ntohs(a.sin_port));
	s = start_with(conf);
	assert_true(http_get(s, "/api/v1/reviews/77", &r) > 0);
	http_resp_free(&r);
	p.fd = fd;
	p.events = POLLIN;
	while (!seen && poll(&p, 1, 2000) == 1) {
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0);

		assert_true(n > 0);
		buf[n] = '\0';
		seen = strstr(buf, "t.http.requests.api.v1.reviews.id.GET.404:"
				   "1|c") != NULL;
	}
	assert_true(seen);
	close(fd);
	stop(s);
}

static void test_unresolvable_statsd_host_is_one_warning_and_serves(
	void **state)
{
	struct hs *s = start_with("statsd = no-such-host.invalid:8125\n");
	struct http_resp r;
	char log[8192];
	FILE *f;
	size_t n;

	assert_true(http_get(s, "/api/v1/health", &r) > 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	f = fopen(s->log, "r");
	assert_non_null(f);
	n = fread(log, 1, sizeof log - 1, f);
	log[n] = '\0';
	fclose(f);
	assert_non_null(strstr(log, "cannot resolve"));
	assert_null(strstr(strstr(log, "cannot resolve") + 1,
			   "cannot resolve"));
	stop(s);
}

/* read_log reads the server's log (its stderr) into out. */
static void read_log(struct hs *s, char *out, size_t n)
{
	FILE *f = fopen(s->log, "r");
	size_t got;

	assert_non_null(f);
	got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
}

static void test_access_log_in_logfmt_carries_the_request_id(void **state)
{
	struct hs *s = start_with("access_log = true\n");
	const char *h[] = {"X-Request-Id: trace-42", NULL};
	static char log[65536];
	struct http_resp r;
	char *id;
	const char *line;

	assert_int_equal(http_do(s, "GET", "/api/v1/reviews/5", NULL, NULL, h,
				 &r),
			 0);
	id = http_header(&r, "X-Request-Id");
	assert_non_null(id);
	assert_string_equal(id, "trace-42");
	free(id);
	http_resp_free(&r);
	assert_true(http_get(s, "/api/v1/health", &r) > 0);
	id = http_header(&r, "X-Request-Id");
	assert_non_null(id);
	assert_int_equal(strlen(id), 16);
	http_resp_free(&r);
	hs_stop(s); /* the lines are written before the answer goes */
	read_log(s, log, sizeof log);
	line = strstr(log, "id=trace-42 ");
	assert_non_null(line);
	while (line > log && line[-1] != '\n')
		line--;
	assert_int_equal(strncmp(line, "time=", 5), 0);
	assert_non_null(strstr(line, " level=info msg=request id=trace-42 "
				     "method=GET path=/api/v1/reviews/5 "
				     "route=/api/v1/reviews/{id} status=404 "
				     "duration_ms="));
	{
		char want[64];

		snprintf(want, sizeof want, "id=%s ", id);
		assert_non_null(strstr(log, want));
	}
	free(id);
	hs_cleanup(s);
	free(s);
	running = NULL;
}

static void test_json_log_lines_parse_back(void **state)
{
	struct hs *s = start_with("access_log = true\nlog_format = json\n");
	static char log[65536];
	struct http_resp r;
	int requests = 0;

	assert_true(http_get(s, "/api/v1/reviews", &r) > 0);
	http_resp_free(&r);
	hs_stop(s);
	read_log(s, log, sizeof log);
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		json_error_t err;
		json_t *j;

		if (line[0] != '{')
			continue; /* "debrief listening on ..." */
		j = json_loads(line, 0, &err);
		if (!j)
			fail_msg("not JSON: %s", line);
		assert_non_null(json_object_get(j, "time"));
		assert_non_null(json_object_get(j, "level"));
		if (!strcmp(json_string_value(json_object_get(j, "msg")),
			    "request") &&
		    !strcmp(json_string_value(json_object_get(j, "path")),
			    "/api/v1/reviews")) {
			assert_string_equal(
				json_string_value(json_object_get(j, "status")),
				"200");
			requests++;
		}
		json_decref(j);
	}
	assert_int_equal(requests, 1);
	hs_cleanup(s);
	free(s);
	running = NULL;
}

/* run_serve runs `debrief serve --config path` and returns its exit
 * status (it must stop by itself) and its stderr in out. */
static int run_serve(const char *path, char *out, size_t n)
{
	const char *bin = getenv("DEBRIEF_BIN") ? getenv("DEBRIEF_BIN")
						: "./debrief";
	char cmd[1024];
	FILE *p;
	size_t got;

	snprintf(cmd, sizeof cmd,
		 "timeout 10 %s serve --listen 127.0.0.1:0 --config %s 2>&1",
		 bin, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	return WEXITSTATUS(pclose(p));
}

static void test_bad_configuration_refuses_to_start(void **state)
{
	char path[400], out[2048];
	struct hs *s;

	s = prepare("log_file = /nonexistent-dir/debrief.log\n", path,
		    sizeof path);
	assert_int_equal(run_serve(path, out, sizeof out), 1);
	assert_non_null(strstr(out, "log_file '/nonexistent-dir/debrief.log'"));
	assert_null(strstr(out, "listening"));
	hs_cleanup(s);
	free(s);
	s = prepare("acess_log = true\n", path, sizeof path);
	assert_int_equal(run_serve(path, out, sizeof out), 1);
	assert_non_null(strstr(out, "unknown key 'acess_log' (did you mean "
				    "'access_log'?)"));
	assert_null(strstr(out, "listening"));
	hs_cleanup(s);
	free(s);
	s = prepare("log_format = xml\n", path, sizeof path);
	assert_int_equal(run_serve(path, out, sizeof out), 1);
	assert_non_null(strstr(out, "log_format: expected logfmt or json"));
	hs_cleanup(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_teardown(name, teardown)
		T(test_metrics_count_requests_as_they_are_made),
		T(test_cache_hits_count_pages_not_the_lingering_count),
		T(test_metrics_without_the_token_is_401_and_shows_nothing),
		T(test_metrics_allow_list_keeps_other_addresses_out),
		T(test_ready_checks_the_store),
		T(test_statsd_lines_reach_a_udp_listener),
		T(test_unresolvable_statsd_host_is_one_warning_and_serves),
		T(test_access_log_in_logfmt_carries_the_request_id),
		T(test_json_log_lines_parse_back),
		T(test_bad_configuration_refuses_to_start),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
