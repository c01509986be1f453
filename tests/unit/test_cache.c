/* test_cache.c: the cache of rendered answers (src/http/cache.c): keyed
 * by a string and a version, one entry per key, least recently used out
 * first, at most a byte budget, safe across threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/cache.h"

/* key_of names review id's page the way the review page does; the buffer
 * is a compound literal, so each call site (and thread) has its own. */
#define key_of(id) key_fill((char[32]){0}, (id))
static const char *key_fill(char *b, int64_t id)
{
	snprintf(b, 32, "page:review:%lld", (long long)id);
	return b;
}

/* got returns what the cache holds for (id, version), or NULL. */
static char *got(struct page_cache *c, int64_t id, int64_t version)
{
	struct buf b = BUF_INIT;

	if (!page_cache_get(c, key_of(id), version, &b)) {
		assert_int_equal(b.len, 0);
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void check(struct page_cache *c, int64_t id, int64_t version,
		  const char *want)
{
	char *s = got(c, id, version);

	if (!want) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_a_page_is_found_only_under_its_id_and_version(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);

	assert_non_null(c);
	check(c, 1, 1, NULL);
	page_cache_put(c, key_of(1), 1, "page one v1", 11);
	check(c, 1, 1, "page one v1");
	check(c, 1, 2, NULL);
	check(c, 2, 1, NULL);
	page_cache_free(c);
}

static void test_a_newer_version_replaces_the_older_one(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);

	page_cache_put(c, key_of(1), 1, "v1", 2);
	page_cache_put(c, key_of(1), 2, "v2", 2);
	check(c, 1, 1, NULL);
	check(c, 1, 2, "v2");
	/* a slow render of an old version does not push out a newer one */
	page_cache_put(c, key_of(1), 1, "v1 late", 7);
	check(c, 1, 2, "v2");
	page_cache_free(c);
}

static void test_the_least_recently_used_page_goes_first(void **state)
{
	struct page_cache *c = page_cache_new(2, 0);

	page_cache_put(c, key_of(1), 1, "one", 3);
	page_cache_put(c, key_of(2), 1, "two", 3);
	check(c, 1, 1, "one"); /* 1 is now fresher than 2 */
	page_cache_put(c, key_of(3), 1, "three", 5);
	check(c, 2, 1, NULL);
	check(c, 1, 1, "one");
	check(c, 3, 1, "three");
	page_cache_free(c);
}

static void test_no_cache_means_always_a_miss(void **state)
{
	struct buf b = BUF_INIT;

	page_cache_put(NULL, key_of(1), 1, "x", 1);
	assert_int_equal(page_cache_get(NULL, key_of(1), 1, &b), 0);
	page_cache_free(NULL);
}

static void test_pages_are_copied_with_binary_bytes(void **state)
{
	struct page_cache *c = page_cache_new(1, 0);
	char page[3] = {'a', '\0', 'b'};
	struct buf b = BUF_INIT;

	page_cache_put(c, key_of(9), 3, page, sizeof page);
	page[0] = 'z'; /* the cache holds its own copy */
	assert_int_equal(page_cache_get(c, key_of(9), 3, &b), 1);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 3);
	buf_release(&b);
	page_cache_free(c);
}

/* ---- the byte budget ------------------------------------------------ */

static void test_the_cache_holds_at_most_its_byte_budget(void **state)
{
	struct page_cache *c = page_cache_new(100, 8000);
	char page[900], *newest;
	size_t keylen = strlen(key_of(50)); /* as long as the last ones' */

	memset(page, 'p', sizeof page);
	for (int64_t id = 1; id <= 50; id++) {
		page_cache_put(c, key_of(id), 1, page, sizeof page);
		assert_true(page_cache_bytes(c) <= 8000);
	}
	/* as many pages as fit, the newest kept, the oldest gone */
	assert_int_equal(page_cache_bytes(c),
			 (8000 / (sizeof page + keylen)) *
				 (sizeof page + keylen));
	newest = got(c, 50, 1);
	assert_non_null(newest);
	assert_int_equal(strlen(newest), sizeof page);
	free(newest);
	check(c, 1, 1, NULL);
	page_cache_free(c);
}

static void test_a_page_over_an_eighth_of_the_budget_is_not_kept(void **state)
{
	/* the hostile test's 40 MB page stayed in a cache bounded by count */
	struct page_cache *c = page_cache_new(100, 8000);
	char *big = calloc(1, 8000 / PAGE_CACHE_MAX_SHARE + 1);

	assert_non_null(big);
	page_cache_put(c, key_of(1), 1, "small", 5);
	page_cache_put(c, key_of(2), 1, big, 8000 / PAGE_CACHE_MAX_SHARE + 1);
	check(c, 2, 1, NULL);
	check(c, 1, 1, "small"); /* and pushed nothing out */
	free(big);
	page_cache_free(c);
}

static void test_a_new_version_replaces_the_bytes_of_the_old(void **state)
{
	struct page_cache *c = page_cache_new(100, 8000);
	size_t keylen = strlen(key_of(1));

	page_cache_put(c, key_of(1), 1, "first version", 13);
	page_cache_put(c, key_of(1), 2, "v2", 2);
	assert_int_equal(page_cache_bytes(c), 2 + keylen);
	page_cache_free(c);
}

struct worker {
	struct page_cache *c;
	int id;
	int bad;
};

/* Readers and writers at once: every hit is a whole page of the version
 * asked for. */
static void *churn(void *arg)
{
	struct worker *w = arg;
	char page[256];

	for (int i = 0; i < 20000; i++) {
		int64_t id = 1 + (i + w->id) % 6, v = 1 + i % 3;
		struct buf b = BUF_INIT;
		int n = snprintf(page, sizeof page, "review %lld version %lld",
				 (long long)id, (long long)v);

		if (i % 4 == w->id % 4)
			page_cache_put(w->c, key_of(id), v, page, (size_t)n);
		else if (page_cache_get(w->c, key_of(id), v, &b) &&
			 strcmp(buf_cstr(&b), page))
			w->bad++;
		buf_release(&b);
	}
	return NULL;
}

static void test_threads_only_ever_see_whole_matching_pages(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);
	struct worker w[4];
	pthread_t t[4];

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){c, i, 0};
		assert_int_equal(pthread_create(&t[i], NULL, churn, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	page_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_a_page_is_found_only_under_its_id_and_version),
		cmocka_unit_test(test_a_newer_version_replaces_the_older_one),
		cmocka_unit_test(test_the_least_recently_used_page_goes_first),
		cmocka_unit_test(test_no_cache_means_always_a_miss),
		cmocka_unit_test(test_pages_are_copied_with_binary_bytes),
		cmocka_unit_test(test_the_cache_holds_at_most_its_byte_budget),
		cmocka_unit_test(
			test_a_page_over_an_eighth_of_the_budget_is_not_kept),
		cmocka_unit_test(
			test_a_new_version_replaces_the_bytes_of_the_old),
		cmocka_unit_test(
			test_threads_only_ever_see_whole_matching_pages),
	};

	return cmocka_run_group_tests_name("page cache", tests, NULL, NULL);
}
