/* pages.c: the CPU a review page or JSON costs when no memory cache
 * answers it (issue 21), in one process, through the real handlers
 * (request_as, as an admin): COUNT random ids of 1..MAX (a fixed seed),
 * each answered once (the first read: rendered, unless a render of this
 * build is stored), the stored renders written (store_render_flush), then
 * the same ids again (the stored render read back). The page cache is the
 * smallest (cache_bytes 1M) so that it answers none of them. Prints the
 * process's CPU time (user + system, the render writer's thread too) a
 * request for each pass; run it under valgrind --tool=callgrind for
 * instruction counts.
 *
 *   pages [-k page|json] [-n COUNT] [-s SEED] [-1] [-0] DBFILE MAX
 *
 * -1: the first pass only. -0: no stored renders (render_store_bytes =
 * 0): every read renders, and the CPU is the handler's alone (with them,
 * a put also costs the writer's deflate and insert, and a queue that
 * overflows drops puts). Opening DBFILE migrates it: use a copy. Built
 * by bench/scale/run.sh (build/bench/scale-pages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "http/cache.h"
#include "http/http.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* as in main.c */
#define PAGE_CACHE_ENTRIES 512

static double cpu_s(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

/* get answers GET path as an admin; returns the status and adds the
 * body's length to *bytes. */
static int get(struct app *app, const char *path, size_t *bytes)
{
	struct arena *a = arena_new();
	struct request req;
	struct response res;
	handler_fn h;
	int status;

	h = request_as(&req, &res, app, a, "GET", arena_strdup(a, path),
		       "bench-admin", ROLE_ADMIN, NULL);
	if (!h) {
		arena_free(a);
		return 404;
	}
	h(&req, &res);
	status = res.status;
	*bytes += res.body.len;
	buf_release(&res.body);
	arena_free(a);
	return status;
}

/* pass answers the ids once each; prints the CPU a request. */
static void pass(struct app *app, const char *what, const char *fmt,
		 const long *ids, int n)
{
	double c0 = cpu_s(), c1;
	size_t bytes = 0;
	int bad = 0;
	char path[64];

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, fmt, ids[i]);
		bad += get(app, path, &bytes) != 200;
	}
	store_render_flush(app->store);
	c1 = cpu_s();
	printf("%-28s %6d requests  CPU %.3f ms a request  %zu bytes a "
	       "request  %d not 200\n",
	       what, n, (c1 - c0) * 1e3 / n, n ? bytes / (size_t)n : 0, bad);
}

int main(int argc, char **argv)
{
	const char *kind = "page", *fmt;
	struct config cfg;
	struct app app;
	struct err e;
	int count = 2000, once = 0, none = 0, opt;
	unsigned seed = 21;
	long max, *ids;

	while ((opt = getopt(argc, argv, "k:n:s:10")) != -1) {
		if (opt == 'k')
			kind = optarg;
		else if (opt == 'n')
			count = atoi(optarg);
		else if (opt == 's')
			seed = (unsigned)atoi(optarg);
		else if (opt == '1')
			once = 1;
		else if (opt == '0')
			none = 1;
		else
			return 2;
	}
	if (optind + 2 != argc || count < 1 ||
	    (strcmp(kind, "page") && strcmp(kind, "json"))) {
		fprintf(stderr, "usage: pages [-k page|json] [-n COUNT] [-s "
				"SEED] [-1] [-0] DBFILE MAX\n");
		return 2;
	}
	max = atol(argv[optind + 1]);
	if (max < 1 || !(ids = calloc((size_t)count, sizeof *ids)))
		return 2;
	srand(seed);
	for (int i = 0; i < count; i++)
		ids[i] = 1 + (long)((double)rand() / ((double)RAND_MAX + 1) *
				    (double)max);
	fmt = !strcmp(kind, "page") ? "/reviews/%ld" : "/api/v1/reviews/%ld";
	memset(&app, 0, sizeof app);
	config_defaults(&cfg);
	cfg.cache_bytes = 1024 * 1024;
	app.cfg = &cfg;
	app.cache = page_cache_new(PAGE_CACHE_ENTRIES, cfg.cache_bytes);
	err_clear(&e);
	if (store_open(argv[optind], &app.store, &e) != E_OK) {
		fprintf(stderr, "pages: %s\n", e.message);
		return 1;
	}
	if (none)
		cfg.render_store_bytes = 0;
	/* as main.c does */
	if (cfg.render_store_bytes == RENDER_STORE_AUTO)
		store_render_limit_by_reviews(app.store, STORE_RENDER_BYTES,
					      STORE_RENDER_PER_REVIEW);
	else
		store_render_limit(app.store, cfg.render_store_bytes);
	pass(&app, !strcmp(kind, "page") ? "page, first read" :
		   "JSON, first read", fmt, ids, count);
	if (!once)
		pass(&app, !strcmp(kind, "page") ? "page, stored render" :
			   "JSON, stored render", fmt, ids, count);
	store_close(app.store);
	page_cache_free(app.cache);
	free(ids);
	return 0;
}
