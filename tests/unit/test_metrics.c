/* test_metrics.c: the metrics registry, its Prometheus text and the
 * StatsD lines (util/metrics.c). */
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
#include <time.h>
#include <unistd.h>

#include "util/metrics.h"

static int setup(void **state)
{
	struct err e;

	metrics_init("1.2.3", 7);
	err_clear(&e);
	metrics_statsd(NULL, NULL, &e);
	return 0;
}

static char *render(void)
{
	struct buf b = BUF_INIT;

	assert_int_equal(metrics_render(&b), 0);
	return buf_detach(&b);
}

/* is_sample_line checks one line of the exposition format: a metric name,
 * optional {label="value",...} with escaped values, a space, a number. */
static int is_sample_line(const char *line)
{
	const char *p = line;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	      *p == '_' || *p == ':'))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '_' || *p == ':')
		p++;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
				return 0;
			while ((*p >= 'a' && *p <= 'z') || *p == '_')
				p++;
			if (p[0] != '=' || p[1] != '"')
				return 0;
			p += 2;
			while (*p && *p != '"') {
				if (*p == '\\') {
					if (p[1] != '\\' && p[1] != '"' &&
					    p[1] != 'n')
						return 0;
					p++;
				}
				if (*p == '\n')
					return 0;
				p++;
			}
			if (*p != '"')
				return 0;
			p++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				return 0;
		}
		p++;
	}
	if (*p != ' ')
		return 0;
	p++;
	if (!strcmp(p, "+Inf") || !strcmp(p, "NaN"))
		return 1;
	{
		char *end;

		strtod(p, &end);
		return end != p && *end == '\0';
	}
}

/* check_exposition: every line is a HELP, a TYPE or a sample, and every
 * sample's family was declared by a TYPE before it. */
static void check_exposition(const char *text)
{
	char *copy = strdup(text), *save = NULL, *line;
	char types[64][96];
	int ntypes = 0;

	assert_non_null(copy);
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[96];

		if (!strncmp(line, "# HELP ", 7))
			continue;
		if (!strncmp(line, "# TYPE ", 7)) {
			char kind[32];

			assert_int_equal(sscanf(line + 7, "%95s %31s", name,
						kind),
					 2);
			assert_true(!strcmp(kind, "counter") ||
				    !strcmp(kind, "gauge") ||
				    !strcmp(kind, "histogram"));
			assert_true(ntypes < 64);
			strcpy(types[ntypes++], name);
			continue;
		}
		if (!is_sample_line(line))
			fail_msg("not an exposition line: %s", line);
		{
			size_t n = strcspn(line, "{ ");
			int found = 0;

			for (int i = 0; i < ntypes && !found; i++) {
				size_t tl = strlen(types[i]);

				found = n >= tl && !strncmp(line, types[i], tl) &&
					(n == tl ||
					 !strcmp(line + tl, "_bucket") ||
					 !strncmp(line + tl, "_bucket", 7) ||
					 !strncmp(line + tl, "_sum", 4) ||
					 !strncmp(line + tl, "_count", 6));
			}
			if (!found)
				fail_msg("sample without a TYPE: %s", line);
		}
	}
	free(copy);
}

static void test_requests_are_counted_by_route_method_and_status(
	void **state)
{
	char *text;

	metrics_request("GET", "/reviews/{id}", 200, 0.002);
	metrics_request("GET", "/reviews/{id}", 200, 0.004);
	metrics_request("GET", "/reviews/{id}", 404, 0.001);
	metrics_request("BREW", "/reviews/{id}", 405, 0.0001);
	metrics_request("POST", NULL, 404, 0.0001);
	text = render();
	check_exposition(text);
	assert_non_null(strstr(text, "debrief_http_requests_total{route=\""
				     "/reviews/{id}\",method=\"GET\",status="
				     "\"200\"} 2\n"));
	assert_non_null(strstr(text, "method=\"GET\",status=\"404\"} 1\n"));
	assert_non_null(strstr(text, "method=\"OTHER\",status=\"405\"} 1\n"));
	assert_non_null(strstr(text, "route=\"unmatched\",method=\"POST\","
				     "status=\"404\"} 1\n"));
	/* buckets are cumulative: 0.0001 and 0.001 are <= 0.001; all four
	 * are <= 0.005 */
	assert_non_null(strstr(text, "debrief_http_request_duration_seconds_"
				     "bucket{route=\"/reviews/{id}\",le=\""
				     "0.001\"} 2\n"));
	assert_non_null(strstr(text, "le=\"0.005\"} 4\n"));
	assert_non_null(strstr(text, "debrief_http_request_duration_seconds_"
				     "count{route=\"/reviews/{id}\"} 4\n"));
	assert_non_null(strstr(text, "debrief_build_info{version=\"1.2.3\"} "
				     "1\n"));
	assert_non_null(strstr(text, "debrief_schema_version 7\n"));
	free(text);
}

static void test_counters_timers_and_connections_move(void **state)
{
	char *text;

	metrics_count(METRIC_CACHE_HIT);
	metrics_count(METRIC_CACHE_HIT);
	metrics_count(METRIC_CACHE_MISS);
	metrics_time(METRIC_STORE_TX, 0.03);
	metrics_connections(+1);
	metrics_connections(+1);
	metrics_connections(-1);
	assert_int_equal(metrics_value(METRIC_CACHE_HIT), 2);
	text = render();
	check_exposition(text);
	assert_non_null(strstr(text, "\ndebrief_cache_hits_total 2\n"));
	assert_non_null(strstr(text, "\ndebrief_cache_misses_total 1\n"));
	assert_non_null(strstr(text, "\ndebrief_http_connections 1\n"));
	assert_non_null(strstr(text, "debrief_store_transaction_seconds_"
				     "bucket{le=\"0.025\"} 0\n"));
	assert_non_null(strstr(text, "debrief_store_transaction_seconds_"
				     "bucket{le=\"0.05\"} 1\n"));
	assert_non_null(strstr(text, "debrief_store_transaction_seconds_"
				     "count 1\n"));
	free(text);
}

static void test_label_values_are_escaped(void **state)
{
	char *text;

	metrics_request("GET", "/odd\"route\\\n", 200, 0.001);
	text = render();
	check_exposition(text);
	assert_non_null(strstr(text, "route=\"/odd\\\"route\\\\\\n\""));
	free(text);
}

static void test_many_routes_do_not_grow_without_bound(void **state)
{
	static char names[400][16];
	char *text;

	for (int i = 0; i < 400; i++) {
		snprintf(names[i], sizeof names[i], "/r%d", i);
		metrics_request("GET", names[i], 200, 0.001);
	}
	text = render();
	check_exposition(text);
	assert_non_null(
		strstr(text, "debrief_http_requests_unlabelled_total 272\n"));
	free(text);
}

/* recv_line waits up to a second for one datagram on fd. */
static int recv_line(int fd, char *out, size_t n)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t got;

	if (poll(&p, 1, 1000) != 1)
		return -1;
	got = recv(fd, out, n - 1, 0);
	if (got < 0)
		return -1;
	out[got] = '\0';
	return 0;
}

static void test_statsd_lines_reach_a_udp_listener(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof a;
	char hp[64], line[512];
	struct err e;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	snprintf(hp, sizeof hp, "127.0.0.1:%d", ntohs(a.sin_port));
	err_clear(&e);
	assert_int_equal(metrics_statsd(hp, "team.debrief", &e), E_OK);

	metrics_request("PATCH", "/api/v1/reviews/{id}", 409, 0.0125);
	assert_int_equal(recv_line(fd, line, sizeof line), 0);
	assert_string_equal(line,
			    "team.debrief.http.requests.api.v1.reviews.id."
			    "PATCH.409:1|c\n"
			    "team.debrief.http.duration.api.v1.reviews.id:"
			    "12.500|ms");
	metrics_count(METRIC_LINT_RUNS);
	assert_int_equal(recv_line(fd, line, sizeof line), 0);
	assert_string_equal(line, "team.debrief.lint.runs:1|c");
	metrics_time(METRIC_STORE_TX, 0.002);
	assert_int_equal(recv_line(fd, line, sizeof line), 0);
	assert_string_equal(line, "team.debrief.store.tx:2.000|ms");
	metrics_request("GET", "/", 200, 0.001);
	assert_int_equal(recv_line(fd, line, sizeof line), 0);
	assert_non_null(strstr(line, "team.debrief.http.requests.root.GET."
				     "200:1|c"));
	close(fd);
	metrics_statsd(NULL, NULL, &e);
}

static void test_unresolvable_statsd_host_is_one_error_then_silence(
	void **state)
{
	struct timespec t0, t1;
	struct err e;

	err_clear(&e);
	assert_int_equal(metrics_statsd("no-such-host.invalid:8125", NULL, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "cannot resolve "
					  "'no-such-host.invalid:8125'"));
	err_clear(&e);
	assert_int_equal(metrics_statsd("8125", NULL, &e), E_INVALID);
	assert_non_null(strstr(e.message, "expected HOST:PORT"));
	/* StatsD is off: counting goes on, and never waits */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 10000; i++)
		metrics_request("GET", "/", 200, 0.001);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

static void test_a_collector_that_is_not_listening_never_blocks(void **state)
{
	struct err e;

	err_clear(&e);
	/* a closed UDP port: sends fail or vanish, requests go on */
	assert_int_equal(metrics_statsd("127.0.0.1:9", NULL, &e), E_OK);
	for (int i = 0; i < 1000; i++)
		metrics_request("GET", "/", 200, 0.001);
	metrics_statsd(NULL, NULL, &e);
	assert_int_equal(metrics_value(METRIC_CACHE_HIT), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
		T(test_requests_are_counted_by_route_method_and_status),
		T(test_counters_timers_and_connections_move),
		T(test_label_values_are_escaped),
		T(test_many_routes_do_not_grow_without_bound),
		T(test_statsd_lines_reach_a_udp_listener),
		T(test_unresolvable_statsd_host_is_one_error_then_silence),
		T(test_a_collector_that_is_not_listening_never_blocks),
#undef T
	};
	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
