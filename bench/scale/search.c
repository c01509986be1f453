/* search.c: the CPU time of one search request at scale (issue 21), in
 * one process, through the real handlers (request_as): each PATH is
 * answered ROUNDS times for an admin (no visibility clause) and for a
 * reader in group "ops" (the generated reviews restricted to "sre" are
 * not theirs), after one warm-up answer each (the OS cache). Before each
 * answer the store's generation moves (as a save elsewhere moves it), so
 * the page cache misses the page but keeps what a server keeps across
 * saves (the minute's count of lingering follow-ups).
 * Prints the thread's CPU time and the wall time, medians, per path and
 * viewer, and the status and first bytes of the body once.
 *
 *   search [-r ROUNDS] DBFILE PATH...      (PATH: "/?q=database&page=2")
 *
 * Built and run by bench/scale/search.sh. */
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

#define MAX_ARGS 8

/* as in main.c */
#define PAGE_CACHE_ENTRIES 512

/* save_elsewhere moves the store's generation, from its own connection. */
static int save_elsewhere(const char *db)
{
	sqlite3 *h;
	int rc;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		return 1;
	rc = sqlite3_exec(h, "UPDATE generation SET value = value + 1", NULL,
			  NULL, NULL);
	sqlite3_close(h);
	return rc != SQLITE_OK;
}

static double now_s(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n ? v[n / 2] : 0;
}

/* decode turns "+" into a space in place (the bench's words need no %). */
static char *decode(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '+')
			*p = ' ';
	return s;
}

/* get answers GET path for groups (NULL: an admin); returns the status,
 * the times and (when body) the first bytes of the answer. */
static int get(struct app *app, const char *path, const char *groups,
	       double *cpu, double *wall, char *body, size_t nbody)
{
	struct arena *a = arena_new();
	char *p = arena_strdup(a, path), *q = strchr(p, '?');
	struct kv args[MAX_ARGS];
	size_t nargs = 0;
	struct request req;
	struct response res;
	handler_fn h;
	double c0, w0;
	int status;

	if (q)
		*q++ = '\0';
	while (q && *q && nargs < MAX_ARGS) {
		char *amp = strchr(q, '&'), *eq;

		if (amp)
			*amp = '\0';
		args[nargs].key = q;
		args[nargs].value = (eq = strchr(q, '=')) ? decode(eq + 1) : "";
		if (eq)
			*eq = '\0';
		nargs++;
		q = amp ? amp + 1 : NULL;
	}
	h = request_as(&req, &res, app, a, "GET", p,
		       groups ? "bench-reader" : "bench-admin",
		       groups ? ROLE_READER : ROLE_ADMIN, groups);
	if (!h) {
		arena_free(a);
		return 404;
	}
	req.query = args;
	req.nquery = nargs;
	c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	w0 = now_s(CLOCK_MONOTONIC);
	h(&req, &res);
	*cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	*wall = now_s(CLOCK_MONOTONIC) - w0;
	status = res.status;
	if (body)
		snprintf(body, nbody, "%.*s", (int)res.body.len,
			 res.body.data ? res.body.data : "");
	buf_release(&res.body);
	arena_free(a);
	return status;
}

int main(int argc, char **argv)
{
	const char *who[] = {NULL, "[\"ops\"]"};
	struct config cfg;
	struct app app;
	struct err e;
	int rounds = 5, opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			return 2;
		rounds = atoi(optarg);
	}
	if (optind + 2 > argc || rounds < 1) {
		fprintf(stderr, "usage: search [-r ROUNDS] DBFILE PATH...\n");
		return 2;
	}
	memset(&app, 0, sizeof app);
	config_defaults(&cfg);
	app.cfg = &cfg;
	app.cache = page_cache_new(PAGE_CACHE_ENTRIES, cfg.cache_bytes);
	err_clear(&e);
	if (store_open(argv[optind], &app.store, &e) != E_OK) {
		fprintf(stderr, "search: %s\n", e.message);
		return 1;
	}
	for (int i = optind + 1; i < argc; i++) {
		for (size_t k = 0; k < 2; k++) {
			double c[rounds], w[rounds], c0, w0;
			char body[161];
			int status = get(&app, argv[i], who[k], &c0, &w0, body,
					 sizeof body);

			for (char *p = body; *p; p++)
				if (*p == '\n' || *p == '\t')
					*p = ' ';
			for (int r = 0; r < rounds; r++)
				if (!save_elsewhere(argv[optind]))
					get(&app, argv[i], who[k], &c[r], &w[r], NULL,
				    0);
			printf("%-40s %-6s %d  CPU median %8.2f ms  wall median "
			       "%8.2f ms  (%d rounds)\n",
			       argv[i], who[k] ? "ops" : "admin", status,
			       median(c, (size_t)rounds) * 1e3,
			       median(w, (size_t)rounds) * 1e3, rounds);
			if (status != 200 || getenv("SEARCH_BODY"))
				printf("    %s\n", body);
		}
	}
	store_close(app.store);
	page_cache_free(app.cache);
	return 0;
}
