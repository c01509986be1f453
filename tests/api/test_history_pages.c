/* test_history_pages.c: the History page in pages of 50 saves, newest
 * first, older ones through ?before=VERSION: every revision on exactly
 * one page, a page that stays the same while newer saves arrive, and the
 * page cached by the review's version (a save shows at once). */
#include "api/api_checks.h"

#define EDITS 120 /* plus the create: 121 versions, three pages */

static int64_t new_review(struct hs *s)
{
	struct http_resp r;
	int64_t id;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"Edited often\", "
				   "\"severity\": 3}",
				   &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

static void edit(struct hs *s, int64_t id, int i)
{
	char path[64], body[128];
	struct http_resp r;

	snprintf(body, sizeof body, "{\"summary\": \"edit%dmark\"}", i);
	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)id),
				   body, &r),
			 200);
	http_resp_free(&r);
}

/* versions_on counts each "vN" version label of a page into seen and
 * copies the page's "Older changes" link (or "") into next. */
static int versions_on(const char *body, int *seen, int max, char *next,
		       size_t n)
{
	const char *p = body, *q;
	int count = 0;

	while ((p = strstr(p, "<span class=\"version\">v"))) {
		int v = atoi(p + strlen("<span class=\"version\">v"));

		assert_true(v >= 1 && v <= max);
		seen[v]++;
		count++;
		p++;
	}
	next[0] = '\0';
	p = strstr(body, "rel=\"next\"");
	if (p) {
		for (q = p; q > body && strncmp(q, "href=\"", 6); q--)
			;
		q += 6;
		snprintf(next, n, "%.*s", (int)strcspn(q, "\""), q);
	}
	return count;
}

static void test_every_revision_is_on_exactly_one_page(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	int seen[EDITS + 2] = {0}, pages = 0;
	char path[128], next[128];
	struct http_resp r;

	for (int i = 1; i <= EDITS; i++)
		edit(s, id, i);
	snprintf(path, sizeof path, "/reviews/%lld/history", (long long)id);
	do {
		assert_int_equal(http_get(s, path, &r), 200);
		assert_non_null(strstr(r.body, "121 revisions"));
		int n = versions_on(r.body, seen, EDITS + 1, next,
				    sizeof next);
		assert_true(n >= 1 && n <= 50);
		http_resp_free(&r);
		snprintf(path, sizeof path, "%s", next);
		pages++;
	} while (next[0] && pages < 10);
	assert_int_equal(pages, 3);
	for (int v = 1; v <= EDITS + 1; v++)
		if (seen[v] != 1)
			fail_msg("version %d shown %d times", v, seen[v]);
}

static void test_an_older_page_stays_put_while_saves_arrive(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	int seen[80] = {0};
	char path[96], next[128];
	struct http_resp r;

	for (int i = 1; i <= 60; i++)
		edit(s, id, i);
	/* the second page: versions 11 down to 1 */
	assert_int_equal(http_get(s, PATHF(path, "/reviews/%lld/history?"
						 "before=12",
					   (long long)id),
				  &r),
			 200);
	assert_int_equal(versions_on(r.body, seen, 79, next, sizeof next), 11);
	assert_true(seen[11] == 1 && seen[1] == 1 && seen[12] == 0);
	assert_string_equal(next, "");
	assert_non_null(strstr(r.body, "Newest changes"));
	http_resp_free(&r);
	edit(s, id, 61);
	memset(seen, 0, sizeof seen);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_int_equal(versions_on(r.body, seen, 79, next, sizeof next), 11);
	assert_non_null(strstr(r.body, "62 revisions"));
	http_resp_free(&r);
}

static void test_a_save_shows_at_once_on_the_cached_page(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	char path[64];
	struct http_resp r;

	edit(s, id, 1);
	PATHF(path, "/reviews/%lld/history", (long long)id);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_null(strstr(r.body, "edit2mark"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, path, &r), 200); /* from the cache */
	assert_null(strstr(r.body, "edit2mark"));
	http_resp_free(&r);
	edit(s, id, 2);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "edit2mark"));
	assert_non_null(strstr(r.body, "3 revisions"));
	http_resp_free(&r);
}

static void test_bad_cursors_are_clear_errors(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	static const char *const bad[] = {"abc", "-3", "0", "1x",
					  "99999999999999999999"};
	char path[128];
	struct http_resp r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(http_get(s,
					  PATHF(path,
						"/reviews/%lld/history?"
						"before=%s",
						(long long)id, bad[i]),
					  &r),
				 400);
		assert_non_null(strstr(r.body, "before"));
		http_resp_free(&r);
	}
	/* older than the first save: an empty page, not an error */
	assert_int_equal(http_get(s,
				  PATHF(path, "/reviews/%lld/history?before=1",
					(long long)id),
				  &r),
			 200);
	assert_non_null(strstr(r.body, "No changes that old"));
	http_resp_free(&r);
	/* a missing review stays a 404 */
	assert_int_equal(http_get(s, "/reviews/999/history?before=5", &r),
			 404);
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_revision_is_on_exactly_one_page, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_an_older_page_stays_put_while_saves_arrive,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_a_save_shows_at_once_on_the_cached_page,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(test_bad_cursors_are_clear_errors,
						server_up, server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
