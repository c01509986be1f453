/* test_slow_handlers.c: a request that waits in its handler does not hold
 * up the others (issue 21). The test holds the database's write lock from
 * outside, so that several saves wait for it in their handlers (each
 * holding a worker thread), and times reads on fresh connections in the
 * meantime: with the default number of threads they are answered at once,
 * not after the saves. */
#include "api/api_checks.h"

#include <pthread.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "unit/test_db.h"

#define N_WAITING 8     /* saves waiting for the lock at once */
#define HOLD_MS	  2500  /* how long the test holds the lock */
#define PROMPT_MS 1000  /* a generous bound for a read meanwhile */

struct saver {
	struct hs *s;
	int64_t id;
	int n;
	long status;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *save(void *arg)
{
	struct saver *sv = arg;
	struct http_resp r;
	char path[64], body[96];

	snprintf(body, sizeof body,
		 "{\"version\": 1, \"title\": \"Saved by %d\"}", sv->n);
	sv->status = http_json(sv->s, "PATCH",
			       PATHF(path, "/api/v1/reviews/%lld",
				     (long long)sv->id),
			       body, &r);
	http_resp_free(&r);
	return NULL;
}

static void test_reads_are_answered_while_saves_wait_for_the_lock(void **state)
{
	struct hs *s = *state;
	int64_t id;
	struct saver sv[N_WAITING];
	pthread_t th[N_WAITING];
	struct http_resp r;
	sqlite3 *db;
	char path[64];
	int ok = 0;

	if (test_on_pg())
		skip(); /* it holds SQLite's file lock from outside */
	id = create_review(s, "{\"title\": \"Lock wait\"}");
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	for (int i = 0; i < N_WAITING; i++) {
		sv[i] = (struct saver){s, id, i, 0};
		assert_int_equal(pthread_create(&th[i], NULL, save, &sv[i]), 0);
	}
	usleep(300 * 1000); /* the saves reach the lock */
	for (long long end = now_ms() + HOLD_MS - 800; now_ms() < end;) {
		const char *paths[] = {"/api/v1/health", NULL};
		long long t0;

		paths[1] = PATHF(path, "/reviews/%lld", (long long)id);
		for (int k = 0; k < 2; k++) {
			t0 = now_ms();
			assert_int_equal(http_get(s, paths[k], &r), 200);
			http_resp_free(&r);
			if (now_ms() - t0 > PROMPT_MS)
				fail_msg("GET %s took %lld ms while %d saves "
					 "waited for the lock",
					 paths[k], now_ms() - t0, N_WAITING);
		}
		usleep(100 * 1000);
	}
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	for (int i = 0; i < N_WAITING; i++) {
		pthread_join(th[i], NULL);
		/* one save of version 1 wins, the others are stale */
		assert_true(sv[i].status == 200 || sv[i].status == 409);
		ok += sv[i].status == 200;
	}
	assert_int_equal(ok, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reads_are_answered_while_saves_wait_for_the_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
