/* related.c: what related reviews add to a review page's first view
 * (issue 17: at most 50%). In one process, on one database, it answers
 * GET /reviews/{id} through the real handler (web_review_page) for review
 * pages no cache holds, two ways, interleaved:
 *   with:    the page and its related reviews and "seen in" notes both
 *            computed (what a first view costs);
 *   without: the same kind of page whose related-reviews fragment is
 *            already cached (computed before the clock starts), so the
 *            page costs what it would without related reviews (plus the
 *            splice of a cached fragment, a few microseconds).
 * Each way takes its own ids (a page is first-viewed once), drawn at
 * random from the live reviews the viewer sees. A warm-up pass reads every
 * one of them first, so that both ways find the database in the OS cache.
 * With -s the pages come from stored renders (issue 21's review_renders:
 * what a page that misses the memory cache usually costs once it has been
 * rendered before), and their related reviews from the fragments stored
 * with them at the store's generation (migration 026), else each is
 * rendered from its record. With -w as well, the generation moves after
 * the warm-up (as any write elsewhere moves it): the stored renders still
 * serve, and so do the stored related reviews (migration 031's freshness
 * rule), checked against the viewer's visibility as they are served.
 *
 * The viewer is a reader in group "ops" with an API token (no read is
 * noted; the generated reviews restricted to "sre" are not theirs).
 * Times are the thread's CPU time (the machine is shared) and wall time.
 *
 * With -p ROUNDS it times instead the pages over every review that issue
 * 17 added, uncached (no page cache): GET /trends and GET /learning,
 * beside the index's first page (GET /) and the follow-ups' (GET
 * /followups, all open and lingering), ROUNDS times each, medians; then
 * GET / uncached for an admin (no visibility clause), and the index's
 * first view after a save (a page cache that kept the minute's count of
 * lingering follow-ups, as a server's does) for the reader and an admin.
 *
 *   related [-n PAGES] [-s [-w]] [-r SEED] DBFILE
 *   related -p ROUNDS DBFILE
 *
 * Built and run by bench/learning/related.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "config.h"
#include "http/cache.h"
#include "http/http.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"
#include "web/page.h"
#include "web/web.h"

/* The bench's reader: in group "ops". */
#define OPS "[\"ops\"]"

/* as in main.c */
#define PAGE_CACHE_ENTRIES 512

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return ((rng * 2685821657736338717ULL) >> 11) % n;
}

static double now_s(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct app_env {
	struct app app;
	struct config cfg;
	const char *path; /* the database file */
};

static double median(double *v, size_t n);

/* get answers GET path (with at most one query argument, "?k=v") with
 * handler h for a reader in groups (the bench's viewer: OPS), or with
 * groups NULL for an admin (who sees every review: no visibility clause),
 * with page cache pc (NULL: none); returns the status and the times. */
static int get(struct app_env *env, struct page_cache *pc, handler_fn h,
	       const char *path, const char *groups, double *cpu, double *wall)
{
	struct arena *a = arena_new();
	char *p = arena_strdup(a, path), *q = strchr(p, '?'), *eq;
	struct kv arg = {0};
	struct request req;
	struct response res;
	double c0, w0;
	int status;

	if (q) {
		*q++ = '\0';
		arg.key = q;
		arg.value = (eq = strchr(q, '=')) ? eq + 1 : "";
		if (eq)
			*eq = '\0';
	}
	env->app.cache = pc;
	request_as(&req, &res, &env->app, a, "GET", p,
		   groups ? "bench-reader" : "bench-admin",
		   groups ? ROLE_READER : ROLE_ADMIN, groups);
	if (q) {
		req.query = &arg;
		req.nquery = 1;
	}
	c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	w0 = now_s(CLOCK_MONOTONIC);
	h(&req, &res);
	*cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	*wall = now_s(CLOCK_MONOTONIC) - w0;
	status = res.status;
	buf_release(&res.body);
	arena_free(a);
	return status;
}

/* save_elsewhere moves the store's generation as any save does (the
 * index's cached pages miss after it), from its own connection. */
static int save_elsewhere(const char *db)
{
	sqlite3 *h;
	int rc;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		return 1;
	rc = sqlite3_exec(h, "UPDATE generation SET value = value + 1", NULL,
			  NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "related: %s\n", sqlite3_errmsg(h));
	sqlite3_close(h);
	return rc != SQLITE_OK;
}

/* index_after_saves times GET / uncached for an admin (no visibility
 * clause), then the index's first view after a save as a server has it
 * (a page cache, in which the lingering follow-ups' count of the minute
 * was kept by an earlier view) for the reader in "ops" and for an admin;
 * c and w hold rounds times each. */
static int index_after_saves(struct app_env *env, int rounds, double *c,
			     double *w)
{
	const char *who[] = {OPS, NULL};
	struct page_cache *pc =
		page_cache_new(PAGE_CACHE_ENTRIES, env->cfg.cache_bytes);

	for (int i = 0; i < rounds; i++)
		if (get(env, NULL, web_index_page, "/", NULL, &c[i], &w[i]) !=
		    200)
			return 1;
	printf("GET / admin    uncached: CPU median %7.1f ms, wall median "
	       "%7.1f ms (%d rounds)\n",
	       median(c, (size_t)rounds) * 1e3, median(w, (size_t)rounds) * 1e3,
	       rounds);
	for (size_t k = 0; k < 2; k++) {
		double c0, w0;

		if (get(env, pc, web_index_page, "/", who[k], &c0, &w0) != 200)
			return 1;
		for (int i = 0; i < rounds; i++)
			if (save_elsewhere(env->path) ||
			    get(env, pc, web_index_page, "/", who[k], &c[i],
				&w[i]) != 200)
				return 1;
		printf("GET / %-6s after a save: CPU median %7.1f ms, wall "
		       "median %7.1f ms (%d rounds)\n",
		       who[k] ? "ops" : "admin", median(c, (size_t)rounds) * 1e3,
		       median(w, (size_t)rounds) * 1e3, rounds);
	}
	page_cache_free(pc);
	return 0;
}

/* pages times the pages over every review, rounds times each. */
static int pages_run(struct app_env *env, int rounds)
{
	static const struct {
		const char *path;
		handler_fn h;
	} pg[] = {
		{"/trends", web_trends_page},
		{"/learning", web_learning_page},
		{"/", web_index_page},
		{"/followups", web_followups_page},
		{"/followups?lingering=1", web_followups_page},
	};
	double *c = calloc((size_t)rounds, sizeof *c);
	double *w = calloc((size_t)rounds, sizeof *w);

	if (!c || !w)
		return 1;
	for (size_t k = 0; k < sizeof pg / sizeof pg[0]; k++) {
		for (int i = 0; i < rounds; i++)
			if (get(env, NULL, pg[k].h, pg[k].path, OPS, &c[i],
				&w[i]) != 200) {
				fprintf(stderr, "related: GET %s: not 200\n",
					pg[k].path);
				return 1;
			}
		printf("GET %-22s uncached: CPU median %7.1f ms, wall median "
		       "%7.1f ms (%d rounds)\n",
		       pg[k].path, median(c, (size_t)rounds) * 1e3,
		       median(w, (size_t)rounds) * 1e3, rounds);
	}
	if (index_after_saves(env, rounds, c, w))
		return 1;
	/* each part of GET /trends by itself, in the store */
	for (size_t k = 0; k <= 6; k++) { /* the six series, then the factors */
		const char *name = store_trend_series[k];
		struct viewer viewer = {0, OPS};

		for (int i = 0; i < rounds; i++) {
			struct arena *a = arena_new();
			struct trend_table t;
			struct factor_count *fc;
			size_t nfc;
			struct err e;
			double c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
			enum err_code rc =
				name ? store_trend(env->app.store, a, name,
						   &viewer, NULL, time(NULL), &t,
						   &e)
				     : store_factor_counts(env->app.store, a,
							   &viewer, NULL, 2, 20,
							   &fc, &nfc, &e);

			c[i] = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
			arena_free(a);
			if (rc != E_OK)
				return 1;
		}
		printf("  store %-28s CPU median %7.1f ms\n",
		       name ? name : "factor counts (page's top 20)",
		       median(c, (size_t)rounds) * 1e3);
		if (!name)
			break;
	}
	free(c);
	free(w);
	return 0;
}

/* view answers GET /reviews/id for the bench's viewer with cache c;
 * returns the status; *cpu and *wall its times. fill_only: fill the
 * related fragment of id into c instead (no page). */
static int view(struct app_env *env, struct page_cache *c, int64_t id,
		int fill_only, double *cpu, double *wall)
{
	struct arena *a = arena_new();
	struct request req;
	struct response res;
	char path[64];
	double c0, w0;
	int status;

	env->app.cache = c;
	snprintf(path, sizeof path, "/reviews/%lld", (long long)id);
	/* a reader in "ops", signed in with a token: no read noted */
	request_as(&req, &res, &env->app, a, "GET", path, "bench-reader",
		   ROLE_READER, OPS);
	c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	w0 = now_s(CLOCK_MONOTONIC);
	if (fill_only) {
		int64_t generation = 0, version = 0;

		store_generation(env->app.store, &generation, NULL);
		store_review_version(env->app.store, id, &version, NULL);
		buf_puts(&res.body, SLOT_RELATED);
		web_review_learning_fill(&req, &res, id, version, generation);
	} else {
		web_review_page(&req, &res);
	}
	if (cpu)
		*cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	if (wall)
		*wall = now_s(CLOCK_MONOTONIC) - w0;
	status = res.status;
	buf_release(&res.body);
	arena_free(a);
	return status;
}

static int by_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, by_double);
	return n ? v[n / 2] : 0;
}

static double mean(const double *v, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return n ? s / (double)n : 0;
}

/* live_ids reads the ids of live reviews not restricted to a group;
 * unless stored, it first drops the stored renders (an earlier run's). */
static int64_t *live_ids(const char *db, int stored, size_t *n)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "related: %s\n", sqlite3_errmsg(h));
		exit(1);
	}
	/* the stored related reviews too (migration 026; none before) */
	if (!stored)
		sqlite3_exec(h, "DELETE FROM review_related", NULL, NULL, NULL);
	if ((!stored && sqlite3_exec(h, "DELETE FROM review_renders", NULL,
				     NULL, NULL) != SQLITE_OK) ||
	    sqlite3_prepare_v2(h,
			       "SELECT id FROM reviews WHERE deleted_at IS NULL "
			       "AND coalesce(restricted_to, '[]') = '[]'",
			       -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "related: %s\n", sqlite3_errmsg(h));
		exit(1);
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (!(v = realloc(v, cap * sizeof *v)))
				exit(1);
		}
		v[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

int main(int argc, char **argv)
{
	struct app_env env;
	struct page_cache *warm, *cache;
	struct err e;
	size_t pages = 300, nlive;
	int stored = 0, moved = 0, rounds = 0, opt;
	int64_t *live, *with_ids, *without_ids;
	double *cw, *cwo, *ww, *wwo;

	while ((opt = getopt(argc, argv, "n:swr:p:")) != -1) {
		if (opt == 'p')
			rounds = atoi(optarg);
		else if (opt == 'n')
			pages = (size_t)atol(optarg);
		else if (opt == 's')
			stored = 1;
		else if (opt == 'w')
			moved = 1;
		else if (opt == 'r')
			rng = (uint64_t)atoll(optarg) * 2654435761ULL + 1;
		else
			return 2;
	}
	if (optind != argc - 1 || !pages) {
		fprintf(stderr, "usage: related [-n PAGES] [-s] [-r SEED] "
				"DBFILE | -p ROUNDS DBFILE\n");
		return 2;
	}
	if (rounds > 0) {
		int rc;

		memset(&env, 0, sizeof env);
		config_defaults(&env.cfg);
		env.app.cfg = &env.cfg;
		env.path = argv[optind];
		err_clear(&e);
		if (store_open(argv[optind], &env.app.store, &e) != E_OK) {
			fprintf(stderr, "related: %s\n", e.message);
			return 1;
		}
		rc = pages_run(&env, rounds);
		store_close(env.app.store);
		return rc;
	}
	live = live_ids(argv[optind], stored, &nlive);
	if (nlive < 2 * pages) {
		fprintf(stderr, "related: %zu live reviews, want %zu\n", nlive,
			2 * pages);
		return 1;
	}
	/* 2 * pages distinct ids: a partial shuffle */
	for (size_t i = 0; i < 2 * pages; i++) {
		size_t j = i + (size_t)rnd(nlive - i);
		int64_t t = live[i];

		live[i] = live[j];
		live[j] = t;
	}
	with_ids = live;
	without_ids = live + pages;

	memset(&env, 0, sizeof env);
	config_defaults(&env.cfg);
	env.app.cfg = &env.cfg;
	err_clear(&e);
	if (store_open(argv[optind], &env.app.store, &e) != E_OK) {
		fprintf(stderr, "related: %s\n", e.message);
		return 1;
	}
	store_render_limit(env.app.store, stored ? STORE_RENDER_BYTES : 0);
	cw = calloc(pages, sizeof *cw);
	cwo = calloc(pages, sizeof *cwo);
	ww = calloc(pages, sizeof *ww);
	wwo = calloc(pages, sizeof *wwo);
	/* the server's page cache: its size in main.c, cache_bytes */
	warm = page_cache_new(PAGE_CACHE_ENTRIES, env.cfg.cache_bytes);
	cache = page_cache_new(PAGE_CACHE_ENTRIES, env.cfg.cache_bytes);
	if (!cw || !cwo || !ww || !wwo || !warm || !cache)
		return 1;

	/* warm-up: every page once (the OS cache; stored renders with -s) */
	for (size_t i = 0; i < 2 * pages; i++)
		if (view(&env, warm, live[i], 0, NULL, NULL) != 200) {
			fprintf(stderr, "related: review %lld: not 200\n",
				(long long)live[i]);
			return 1;
		}
	store_render_flush(env.app.store);
	if (moved) { /* a write elsewhere: the generation moves */
		sqlite3 *h;

		if (sqlite3_open(argv[optind], &h) != SQLITE_OK ||
		    sqlite3_exec(h, "UPDATE generation SET value = value + 1",
				 NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "related: %s\n", sqlite3_errmsg(h));
			return 1;
		}
		sqlite3_close(h);
	}
	for (size_t i = 0; i < pages; i++) {
		view(&env, cache, with_ids[i], 0, &cw[i], &ww[i]);
		/* "without": its related fragment is cached beforehand */
		view(&env, cache, without_ids[i], 1, NULL, NULL);
		view(&env, cache, without_ids[i], 0, &cwo[i], &wwo[i]);
	}
	{
		double mw = mean(cw, pages), mwo = mean(cwo, pages);
		double mww = mean(ww, pages), mwwo = mean(wwo, pages);
		double dw = median(cw, pages), dwo = median(cwo, pages);

		printf("review page first view (%s), %zu pages each way\n",
		       !stored  ? "rendered"
		       : moved ? "from stored renders, generation moved"
			       : "from stored renders",
		       pages);
		printf("  CPU ms      with related %.3f (median %.3f)  without "
		       "%.3f (median %.3f)\n",
		       mw * 1e3, dw * 1e3, mwo * 1e3, dwo * 1e3);
		printf("  wall ms     with related %.3f  without %.3f\n",
		       mww * 1e3, mwwo * 1e3);
		printf("  ratio with/without: CPU mean %.2f, CPU median %.2f, "
		       "wall mean %.2f  (target <= 1.50)\n",
		       mw / mwo, dw / dwo, mww / mwwo);
	}
	page_cache_free(warm);
	page_cache_free(cache);
	store_close(env.app.store);
	free(live);
	free(cw);
	free(cwo);
	free(ww);
	free(wwo);
	return 0;
}
