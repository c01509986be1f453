/* test_search_limits.c: one limit for a search on the index page and in
 * GET /api/v1/reviews (REVIEW_SEARCH_MAX bytes, REVIEW_SEARCH_MAX_TERMS
 * words): over it the API answers 400 naming q and the page says why
 * (not a 500, not seconds of full-text search). */
#include "api/api_checks.h"
#include "unit/test_db.h"

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

/* total_of: the "total" of j, checking "total_is_estimate" is est. */
static json_int_t total_of(json_t *j, int est)
{
	json_t *t = json_object_get(j, "total_is_estimate");

	assert_true(json_is_boolean(t));
	assert_int_equal(json_is_true(t), est);
	return json_integer_value(json_object_get(j, "total"));
}

/* Issue 21: with search_count_cap = 2 a search counts its matches to 2
 * past the page it shows, says so (total_is_estimate, "+" on the index
 * page), and is exact below that; a list without q is always exact. */
static void test_search_total_stops_at_the_configured_cap(void **state)
{
	struct hs *s = calloc(1, sizeof *s);
	struct http_resp r;
	json_t *j;

	(void)state;
	assert_non_null(s);
	assert_int_equal(
		hs_start_conf(s, "search_count_cap = 2\npage_size = 2\n", NULL),
		0);
	for (int i = 0; i < 6; i++)
		create_review(s, "{\"title\": \"Zeppelin landed late\"}");
	create_review(s, "{\"title\": \"Unrelated\"}");

	j = get_json(s, "/api/v1/reviews?q=zeppelin&limit=2", 200);
	assert_int_equal(total_of(j, 1), 4); /* 0 + 2 + 2: at least 4 */
	assert_int_equal(json_array_size(json_object_get(j, "reviews")), 2);
	assert_true(json_is_string(json_object_get(j, "next_cursor")));
	json_decref(j);
	j = get_json(s, "/api/v1/reviews?q=zeppelin&limit=2&offset=3", 200);
	assert_int_equal(total_of(j, 0), 6); /* 3 + 2 + 2 > 6: exact */
	json_decref(j);
	j = get_json(s, "/api/v1/reviews?limit=2", 200);
	assert_int_equal(total_of(j, 0), 7);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=zeppelin&limit=2", 200);
	assert_int_equal(total_of(j, 1), 4);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=zeppelin&limit=2&offset=3", 200);
	assert_int_equal(total_of(j, 0), 6);
	json_decref(j);

	assert_int_equal(get(s, "/", "zeppelin", &r), 200);
	assert_non_null(strstr(r.body, "<strong>4+</strong> <span>reviews"));
	assert_non_null(strstr(r.body, "Counted over the first 4 matches"));
	assert_non_null(strstr(r.body, "of 4+</span>"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/?q=zeppelin&page=3", &r), 200);
	assert_non_null(strstr(r.body, "<strong>6</strong> <span>reviews"));
	assert_null(strstr(r.body, "Counted over"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/search?q=zeppelin&limit=2", &r), 200);
	assert_non_null(strstr(r.body, "At least 4 reviews match"));
	http_resp_free(&r);
	hs_stop(s);
	hs_cleanup(s);
	free(s);
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
		cmocka_unit_test(test_search_total_stops_at_the_configured_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
