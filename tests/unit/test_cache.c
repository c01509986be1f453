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
#include <time.h>
#include <unistd.h>

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

/* An empty value (a fragment with nothing in it: data NULL, length 0) is
 * kept and found like any other: the review page's related-reviews
 * fragment of a lone review is one. */
static void test_an_empty_value_is_kept(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);
	struct buf b = BUF_INIT;

	assert_non_null(c);
	page_cache_put(c, key_of(5), 1, NULL, 0);
	assert_true(page_cache_get(c, key_of(5), 1, &b));
	assert_int_equal(b.len, 0);
	buf_release(&b);
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

/* Single flight (page_cache_get_or_wait). */

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

#define FLIGHT_N 8
#define PAGE "the page of review 1 version 1"

struct flyer {
	struct page_cache *c;
	pthread_barrier_t *start;
	int *renders;	      /* atomic: render functions called */
	int fail_first;	      /* the first render abandons */
	int64_t version;
	int hit;	      /* got a page from the cache */
	int right;	      /* and it was the page of its version */
	long waited;	      /* ms in get_or_wait */
};

static void *fly(void *arg)
{
	struct flyer *f = arg;
	struct buf b = BUF_INIT;
	long t0;

	pthread_barrier_wait(f->start);
	t0 = now_ms();
	f->hit = page_cache_get_or_wait(f->c, key_of(1), f->version, &b);
	f->waited = now_ms() - t0;
	if (f->hit) {
		f->right = !strcmp(buf_cstr(&b), PAGE);
	} else {
		/* render: slow enough for every other miss to arrive */
		int n = __atomic_add_fetch(f->renders, 1, __ATOMIC_ACQ_REL);

		usleep(200 * 1000);
		if (f->fail_first && n == 1)
			page_cache_abandon(f->c, key_of(1), f->version);
		else
			page_cache_put(f->c, key_of(1), f->version, PAGE,
				       strlen(PAGE));
	}
	buf_release(&b);
	return NULL;
}

/* run_flyers starts FLIGHT_N misses of (review 1, version 1) at once and
 * returns how many rendered. */
static int run_flyers(struct page_cache *c, int fail_first,
		      struct flyer *f)
{
	pthread_barrier_t start;
	pthread_t t[FLIGHT_N];
	int renders = 0;

	pthread_barrier_init(&start, NULL, FLIGHT_N);
	for (int i = 0; i < FLIGHT_N; i++) {
		f[i] = (struct flyer){c, &start, &renders, fail_first, 1,
				      0, 0, 0};
		assert_int_equal(pthread_create(&t[i], NULL, fly, &f[i]), 0);
	}
	for (int i = 0; i < FLIGHT_N; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	return renders;
}

static void test_concurrent_misses_of_one_page_render_it_once(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);
	struct flyer f[FLIGHT_N];
	int hits = 0;

	assert_int_equal(run_flyers(c, 0, f), 1);
	for (int i = 0; i < FLIGHT_N; i++) {
		hits += f[i].hit;
		if (f[i].hit)
			assert_true(f[i].right);
	}
	assert_int_equal(hits, FLIGHT_N - 1);
	/* and the claim is over: the next request hits at once */
	check(c, 1, 1, PAGE);
	page_cache_free(c);
}

static void test_an_abandoned_render_passes_to_one_waiter(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);
	struct flyer f[FLIGHT_N];
	int hits = 0;

	/* the first render fails, one waiter renders, the rest get its
	 * page */
	assert_int_equal(run_flyers(c, 1, f), 2);
	for (int i = 0; i < FLIGHT_N; i++) {
		hits += f[i].hit;
		if (f[i].hit)
			assert_true(f[i].right);
	}
	assert_int_equal(hits, FLIGHT_N - 2);
	page_cache_free(c);
}

/* waiter: one get_or_wait of review 1 at version f->version */
static void *wait_once(void *arg)
{
	struct flyer *f = arg;
	struct buf b = BUF_INIT;
	long t0 = now_ms();

	f->hit = page_cache_get_or_wait(f->c, key_of(1), f->version, &b);
	f->waited = now_ms() - t0;
	f->right = f->hit && !strcmp(buf_cstr(&b), PAGE);
	buf_release(&b);
	return NULL;
}

static void start_waiters(struct page_cache *c, int64_t version,
			  struct flyer *f, pthread_t *t, int n)
{
	for (int i = 0; i < n; i++) {
		f[i] = (struct flyer){c, NULL, NULL, 0, version, 0, 0, 0};
		assert_int_equal(pthread_create(&t[i], NULL, wait_once, &f[i]),
				 0);
	}
}

static void test_waiters_of_a_stuck_render_time_out(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);
	struct buf b = BUF_INIT;
	struct flyer f[4];
	pthread_t t[4];
	long t0;

	page_cache_set_wait(c, 100);
	/* this thread claims the render and never finishes it */
	assert_int_equal(page_cache_get_or_wait(c, key_of(1), 1, &b), 0);
	start_waiters(c, 1, f, t, 4);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(f[i].hit, 0); /* they render themselves */
		assert_true(f[i].waited >= 90);
		assert_true(f[i].waited < 2000);
	}
	/* the stuck claim is no longer waited on */
	t0 = now_ms();
	assert_int_equal(page_cache_get_or_wait(c, key_of(1), 1, &b), 0);
	assert_true(now_ms() - t0 < 90);
	page_cache_abandon(c, key_of(1), 1);
	page_cache_abandon(c, key_of(1), 1); /* no claim: harmless */
	buf_release(&b);
	page_cache_free(c);
}

static void test_a_waiter_is_never_handed_another_version(void **state)
{
	struct page_cache *c = page_cache_new(4, 0);
	struct buf b = BUF_INIT;
	struct flyer f[2];
	pthread_t t[2];

	/* a miss of version 2 does not wait on the render of version 1 */
	assert_int_equal(page_cache_get_or_wait(c, key_of(1), 1, &b), 0);
	start_waiters(c, 2, f, t, 1);
	pthread_join(t[0], NULL);
	assert_int_equal(f[0].hit, 0);
	assert_true(f[0].waited < 1000);
	page_cache_abandon(c, key_of(1), 2);
	/* waiters of version 1 when version 2 is put: they render their
	 * own, at once, instead of getting version 2's page */
	start_waiters(c, 1, f, t, 2);
	usleep(100 * 1000);
	page_cache_put(c, key_of(1), 2, "version 2", 9);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(f[i].hit, 0);
		assert_true(f[i].waited < 1000);
	}
	/* nor a page of another key */
	assert_int_equal(page_cache_get_or_wait(c, key_of(2), 2, &b), 0);
	assert_int_equal(b.len, 0);
	page_cache_abandon(c, key_of(2), 2);
	buf_release(&b);
	page_cache_free(c);
}

static void test_a_page_not_kept_lets_every_waiter_render(void **state)
{
	struct page_cache *c = page_cache_new(4, 800);
	struct buf b = BUF_INIT;
	char big[200] = {0};
	struct flyer f[4];
	pthread_t t[4];

	/* a page over the share is not kept: the waiters render at once,
	 * not one after another behind a claim each */
	assert_int_equal(page_cache_get_or_wait(c, key_of(1), 1, &b), 0);
	start_waiters(c, 1, f, t, 4);
	usleep(100 * 1000);
	page_cache_put(c, key_of(1), 1, big, sizeof big);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(f[i].hit, 0);
		assert_true(f[i].waited < 1000);
	}
	buf_release(&b);
	page_cache_free(c);
}

static void test_no_cache_never_waits(void **state)
{
	struct buf b = BUF_INIT;

	assert_int_equal(page_cache_get_or_wait(NULL, key_of(1), 1, &b), 0);
	page_cache_abandon(NULL, key_of(1), 1);
	page_cache_set_wait(NULL, 1);
	buf_release(&b);
}

/* many keys through a small cache: the index of keys follows every
 * replacement and eviction (the last ones put are found, each under its
 * own key and version only, the older ones are gone) */
static void test_many_keys_stay_found_through_evictions(void **state)
{
	struct page_cache *c = page_cache_new(64, 0);
	char want[32];

	(void)state;
	assert_non_null(c);
	for (int64_t id = 1; id <= 2000; id++) {
		snprintf(want, sizeof want, "page %lld", (long long)id);
		page_cache_put(c, key_of(id), 1, want, strlen(want));
		if (id % 3 == 0) { /* a newer version of the same key */
			snprintf(want, sizeof want, "page %lld v2",
				 (long long)id);
			page_cache_put(c, key_of(id), 2, want, strlen(want));
		}
	}
	for (int64_t id = 1; id <= 2000; id++) {
		int kept = id > 2000 - 64;

		snprintf(want, sizeof want,
			 id % 3 == 0 ? "page %lld v2" : "page %lld",
			 (long long)id);
		check(c, id, id % 3 == 0 ? 2 : 1, kept ? want : NULL);
		check(c, id, id % 3 == 0 ? 1 : 2, NULL);
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
		cmocka_unit_test(test_many_keys_stay_found_through_evictions),
		cmocka_unit_test(test_no_cache_means_always_a_miss),
		cmocka_unit_test(test_pages_are_copied_with_binary_bytes),
		cmocka_unit_test(test_the_cache_holds_at_most_its_byte_budget),
		cmocka_unit_test(
			test_a_page_over_an_eighth_of_the_budget_is_not_kept),
		cmocka_unit_test(
			test_a_new_version_replaces_the_bytes_of_the_old),
		cmocka_unit_test(
			test_threads_only_ever_see_whole_matching_pages),
		cmocka_unit_test(
			test_concurrent_misses_of_one_page_render_it_once),
		cmocka_unit_test(test_an_abandoned_render_passes_to_one_waiter),
		cmocka_unit_test(test_waiters_of_a_stuck_render_time_out),
		cmocka_unit_test(test_a_waiter_is_never_handed_another_version),
		cmocka_unit_test(test_a_page_not_kept_lets_every_waiter_render),
		cmocka_unit_test(test_no_cache_never_waits),
		cmocka_unit_test(test_an_empty_value_is_kept),
	};

	return cmocka_run_group_tests_name("page cache", tests, NULL, NULL);
}
