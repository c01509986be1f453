/* saves.c: bench/scale's store-level save run (issue 21): T threads at
 * once, each making S saves of a random review's TL;DR straight through
 * the store (store_review_update, what PATCH /api/v1/reviews/{id} calls),
 * with no HTTP in between. Prints saves per second and the p50, p99 and
 * max of a save in ms. One thread shows what a save costs alone (mostly
 * the commit's wait for the disk); many show what group commit shares.
 * Each run writes new text, so no save is a no-op.
 *
 *   saves DBFILE THREADS SAVES_EACH MAX_ID
 *
 * Built by bench/scale/run.sh against build/libdebrief.a; run it on a copy
 * of bench/out/scale-N.db. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/record.h"
#include "model/review.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define MAX_THREADS 256

static struct store *st;
static int each, max_id;
static double *ms;
static long nonce;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void *run(void *p)
{
	long t = (long)p;
	unsigned seed = (unsigned)t * 7 + 1;

	for (int i = 0; i < each; i++) {
		struct arena *a = arena_new();
		struct record *r = a ? record_new(a, &review_def) : NULL;
		char text[96];
		int64_t id = 1 + rand_r(&seed) % (unsigned)max_id;
		double t0 = now_s();
		struct err e;

		if (!r) {
			fprintf(stderr, "saves: out of memory\n");
			exit(1);
		}
		snprintf(text, sizeof text, "saves run %ld: thread %ld, save %d",
			 nonce, t, i);
		record_set_str(r, REVIEW_TLDR, text);
		if (store_review_update(st, a, "bench", id, 0, r, NULL, &e) !=
		    E_OK)
			fprintf(stderr, "saves: review %lld: %s\n",
				(long long)id, e.message);
		ms[t * each + i] = (now_s() - t0) * 1000;
		arena_free(a);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[MAX_THREADS];
	struct err e;
	int threads, n;
	double t0, wall;

	if (argc != 5 || (threads = atoi(argv[2])) < 1 ||
	    threads > MAX_THREADS || (each = atoi(argv[3])) < 1 ||
	    (max_id = atoi(argv[4])) < 1) {
		fprintf(stderr,
			"usage: saves DBFILE THREADS SAVES_EACH MAX_ID\n");
		return 2;
	}
	if (store_open(argv[1], &st, &e) != E_OK) {
		fprintf(stderr, "saves: %s\n", e.message);
		return 1;
	}
	n = threads * each;
	nonce = (long)time(NULL);
	if (!(ms = calloc((size_t)n, sizeof *ms)))
		return 1;
	t0 = now_s();
	for (long i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, run, (void *)i);
	for (int i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	wall = now_s() - t0;
	qsort(ms, (size_t)n, sizeof *ms, cmp);
	printf("%d threads x %d saves: %.0f saves/s, p50 %.1f ms, p99 %.1f ms, "
	       "max %.1f ms\n",
	       threads, each, n / wall, ms[n / 2], ms[n * 99 / 100], ms[n - 1]);
	free(ms);
	store_close(st);
	return 0;
}
