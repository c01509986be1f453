/* test_search_limits.c: one limit for a search on the index page and in
 * GET /api/v1/reviews (REVIEW_SEARCH_MAX bytes, REVIEW_SEARCH_MAX_TERMS
 * words): over it the API answers 400 naming q and the page says why
 * (not a 500, not seconds of full-text search). */
#include "api/api_checks.h"

#include <time.h>

#include "model/review.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* words writes n one-letter words "a+b+c+..." (URL-encoded spaces). */
static char *words(size_t n)
{
	char *q = malloc(2 * n + 1), *p = q;

	assert_non_null(q);
	for (size_t i = 0; i < n; i++) {
		*p++ = (char)('a' + i % 26);
		*p++ = '+';
	}
	p[n ? -1 : 0] = '\0';
	return q;
}

static char *long_word(size_t n)
{
	char *q = malloc(n + 1);

	assert_non_null(q);
	memset(q, 'x', n);
	q[n] = '\0';
	return q;
}

static long get(struct hs *s, const char *base, const char *q,
		struct http_resp *r)
{
	char *path = malloc(strlen(base) + strlen(q) + 8);

	assert_non_null(path);
	sprintf(path, "%s?q=%s", base, q);
	assert_int_equal(http_do(s, "GET", path, NULL, NULL, NULL, r), 0);
	free(path);
	return r->status;
}

static void seed(struct hs *s)
{
	struct http_resp r;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"a b c d e f gateway\", "
				   "\"severity\": 2}",
				   &r),
			 201);
	http_resp_free(&r);
}

static void test_api_refuses_a_search_over_the_limits(void **state)
{
	struct hs *s = *state;
	char *q;
	struct http_resp r;

	q = long_word(REVIEW_SEARCH_MAX + 1);
	assert_int_equal(get(s, "/api/v1/reviews", q, &r), 400);
	check_error(&r, 400, "bad_request", "q");
	http_resp_free(&r);
	free(q);
	q = words(REVIEW_SEARCH_MAX_TERMS + 1);
	assert_int_equal(get(s, "/api/v1/reviews", q, &r), 400);
	check_error(&r, 400, "bad_request", "q");
	assert_non_null(strstr(r.body, "too many words"));
	http_resp_free(&r);
	free(q);
	/* at the limits: searched */
	q = words(REVIEW_SEARCH_MAX_TERMS);
	assert_int_equal(get(s, "/api/v1/reviews", q, &r), 200);
	http_resp_free(&r);
	free(q);
	q = long_word(REVIEW_SEARCH_MAX);
	assert_int_equal(get(s, "/api/v1/reviews", q, &r), 200);
	http_resp_free(&r);
	free(q);
}

static void test_index_page_says_why_an_over_long_search_was_not_run(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *q = words(9000); /* the hostile test's 18 KB */
	double t0;

	seed(s);
	/* the page without a search is cached first: the refused search
	 * must not be answered with it */
	assert_int_equal(http_get(s, "/", &r), 200);
	http_resp_free(&r);
	t0 = now();
	assert_int_equal(get(s, "/", q, &r), 400);
	assert_true(now() - t0 < 1.0);
	assert_non_null(strstr(r.body, "The search is too long"));
	assert_non_null(strstr(r.body, "field-error"));
	http_resp_free(&r);
	free(q);
	q = words(REVIEW_SEARCH_MAX_TERMS + 1);
	assert_int_equal(get(s, "/", q, &r), 400);
	assert_non_null(strstr(r.body, "too many words"));
	/* what was typed stays in the box, to be shortened, not retyped */
	assert_non_null(strstr(r.body, "name=\"q\" value=\"a b c d e f"));
	http_resp_free(&r);
	free(q);
	q = words(REVIEW_SEARCH_MAX_TERMS);
	assert_int_equal(get(s, "/", q, &r), 200);
	assert_null(strstr(r.body, "field-error"));
	http_resp_free(&r);
	free(q);
	assert_int_equal(get(s, "/", "gateway", &r), 200);
	assert_non_null(strstr(r.body, "a b c d e f gateway"));
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_api_refuses_a_search_over_the_limits, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_index_page_says_why_an_over_long_search_was_not_run,
			server_up, server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
