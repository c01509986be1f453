/* test_markdown_limits.c: markdown that would cost the server a lot (the
 * hostile test's 2,000 x 2,000 table in 12 KB of summary) renders within
 * a time and size budget, and a normal page is served while it renders. */
#include "api/api_checks.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* huge_review creates a review whose summary is a header of 2,000
 * one-letter cells, its delimiter row and 2,000 one-letter rows, which
 * cmark-gfm pads to 4 million cells; returns its id. */
static int64_t huge_review(struct hs *s)
{
	json_t *body = json_pack("{s:s, s:i}", "title", "Huge table",
				 "severity", 3);
	struct buf md = BUF_INIT;
	struct http_resp r;
	char *text;
	int64_t id;

	for (int i = 0; i < 2000; i++)
		buf_puts(&md, "|a");
	buf_puts(&md, "\n");
	for (int i = 0; i < 2000; i++)
		buf_puts(&md, "|-");
	buf_puts(&md, "\n");
	for (int i = 0; i < 2000; i++)
		buf_puts(&md, "x\n");
	assert_false(md.oom);
	json_object_set_new(body, "summary", json_string(buf_cstr(&md)));
	text = json_dumps(body, JSON_COMPACT);
	assert_int_equal(http_json(s, "POST", "/api/v1/reviews", text, &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	free(text);
	json_decref(body);
	buf_release(&md);
	return id;
}

struct fetch {
	struct hs *s;
	char path[64];
	long status;
	size_t len;
	double secs;
};

static void *fetch_page(void *arg)
{
	struct fetch *f = arg;
	struct http_resp r;
	double t0 = now();

	if (http_do(f->s, "GET", f->path, NULL, NULL, NULL, &r) == 0) {
		f->status = r.status;
		f->len = r.len;
		http_resp_free(&r);
	}
	f->secs = now() - t0;
	return NULL;
}

static void test_a_huge_table_renders_within_budget(void **state)
{
	struct hs *s = *state;
	struct fetch f = {s, "", 0, 0, 0};

	snprintf(f.path, sizeof f.path, "/reviews/%lld",
		 (long long)huge_review(s));
	fetch_page(&f);
	assert_int_equal(f.status, 200);
	/* it was 40 MB of HTML after 14 s */
	assert_true(f.len < 1024 * 1024);
	assert_true(f.secs < 5.0);
}

static void test_a_normal_page_is_served_while_a_huge_one_renders(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	struct fetch huge = {s, "", 0, 0, 0}, small = {s, "", 0, 0, 0};
	pthread_t t;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"Small\", \"severity\": 4, "
				   "\"summary\": \"a *short* summary\"}",
				   &r),
			 201);
	snprintf(small.path, sizeof small.path, "/reviews/%lld",
		 (long long)json_integer_value(json_object_get(r.json, "id")));
	http_resp_free(&r);
	snprintf(huge.path, sizeof huge.path, "/reviews/%lld",
		 (long long)huge_review(s));
	assert_int_equal(pthread_create(&t, NULL, fetch_page, &huge), 0);
	usleep(300 * 1000); /* the huge render has the markdown lock */
	fetch_page(&small);
	pthread_join(t, NULL);
	assert_int_equal(huge.status, 200);
	assert_int_equal(small.status, 200);
	assert_true(small.secs < 1.0);
	assert_true(huge.secs < 5.0);
}

/* A page renders many texts, each within its own bounds: 120 timeline
 * entries with a 20,000-cell table each were 24 MB of HTML. */
static void test_a_page_of_many_big_tables_is_bounded(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	struct buf md = BUF_INIT;
	struct fetch f = {s, "", 0, 0, 0};
	char path[64], *text;
	json_t *body;
	int64_t id;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"Many tables\", "
				   "\"severity\": 3}",
				   &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	for (int i = 0; i < 20; i++)
		buf_puts(&md, "|a");
	buf_puts(&md, "\n");
	for (int i = 0; i < 20; i++)
		buf_puts(&md, "|-");
	buf_puts(&md, "\n");
	for (int i = 0; i < 999; i++)
		buf_puts(&md, "x\n");
	body = json_pack("{s:s, s:s}", "at", "2026-01-01T10:00:00Z", "text",
			 buf_cstr(&md));
	text = json_dumps(body, JSON_COMPACT);
	for (int i = 0; i < 120; i++) {
		assert_int_equal(
			http_json(s, "POST",
				  PATHF(path, "/api/v1/reviews/%lld/timeline",
					(long long)id),
				  text, &r),
			201);
		http_resp_free(&r);
	}
	snprintf(f.path, sizeof f.path, "/reviews/%lld", (long long)id);
	fetch_page(&f);
	assert_int_equal(f.status, 200);
	assert_true(f.len < 6 * 1024 * 1024);
	assert_true(f.secs < 5.0);
	free(text);
	json_decref(body);
	buf_release(&md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_a_huge_table_renders_within_budget, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_a_normal_page_is_served_while_a_huge_one_renders,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_a_page_of_many_big_tables_is_bounded, server_up,
			server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
