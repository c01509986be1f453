/* test_backup.c: store_backup_file and store_restore_file. A backup taken
 * while another thread writes holds one moment (every review whole, with
 * all its children and revisions); a restore refuses a database in use and
 * a file that is not a debrief database, and changes nothing then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/record.h"
#include "model/review.h"
#include "store/store.h"
#include "util/arena.h"

#define T0	     1700000000
#define TL_PER_REVIEW 5

struct fx {
	char dir[64];
	char db[128], bak[128], other[128];
	struct store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-backup-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/live.db", f->dir);
	snprintf(f->bak, sizeof f->bak, "%s/backup.db", f->dir);
	snprintf(f->other, sizeof f->other, "%s/other.db", f->dir);
	if (store_open(f->db, &f->st, &e) != E_OK) {
		fprintf(stderr, "store_open: %s\n", e.message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];

	if (f->st)
		store_close(f->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

/* create_review stores one review with TL_PER_REVIEW timeline entries in
 * one write. */
static enum err_code create_review(struct store *st, struct arena *a, int n)
{
	struct review_doc doc = {0};
	struct record *r = record_new(a, &review_def);
	char title[32];
	struct err e;
	int64_t id;

	snprintf(title, sizeof title, "review %d", n);
	record_set_str(r, REVIEW_TITLE, arena_strdup(a, title));
	record_fill_defaults(a, r);
	doc.review = r;
	doc.children[CHILD_TIMELINE].items =
		arena_alloc(a, sizeof(struct record *) * TL_PER_REVIEW);
	for (int i = 0; i < TL_PER_REVIEW; i++) {
		struct record *t = record_new(a, &timeline_def);
		record_set_int(t, TL_AT, T0 + i);
		record_set_str(t, TL_TEXT, "something happened");
		record_fill_defaults(a, t);
		doc.children[CHILD_TIMELINE].items[i] = t;
	}
	doc.children[CHILD_TIMELINE].n = TL_PER_REVIEW;
	return store_review_create(st, a, "writer", &doc, &id, &e);
}

struct writer {
	struct store *st;
	volatile int stop;
	int written;
	int failed;
};

static void *writer_run(void *arg)
{
	struct writer *w = arg;

	while (!w->stop) {
		struct arena *a = arena_new();
		if (!a || create_review(w->st, a, w->written) != E_OK)
			w->failed = 1;
		else
			w->written++;
		arena_free(a);
	}
	return NULL;
}

static int64_t query_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void test_backup_while_writing_is_one_consistent_moment(void **state)
{
	struct fx *f = *state;
	struct writer w = {.st = f->st};
	pthread_t th;
	struct err e;
	int64_t n;

	assert_int_equal(pthread_create(&th, NULL, writer_run, &w), 0);
	while (w.written < 20 && !w.failed)
		usleep(1000);
	assert_int_equal(store_backup_file(f->db, f->bak, &e), E_OK);
	/* more writes after the backup, then stop */
	int at_backup = w.written;
	while (w.written < at_backup + 10 && !w.failed)
		usleep(1000);
	w.stop = 1;
	pthread_join(th, NULL);
	assert_false(w.failed);

	n = query_int(f->bak, "SELECT count(*) FROM reviews");
	assert_true(n >= 20);
	assert_true(n < query_int(f->db, "SELECT count(*) FROM reviews"));
	/* every review whole: all its timeline and all its revisions */
	assert_int_equal(query_int(f->bak,
				   "SELECT count(*) FROM reviews r WHERE "
				   "(SELECT count(*) FROM timeline_entries t "
				   "WHERE t.review_id = r.id) != 5"),
			 0);
	assert_int_equal(query_int(f->bak, "SELECT count(*) FROM revisions"),
			 n * (1 + TL_PER_REVIEW));
	assert_int_equal(query_int(f->bak, "SELECT count(*) FROM review_fts"),
			 n);
	/* the copy stands alone and opens as a store */
	assert_int_equal(access(f->bak, R_OK), 0);
	{
		char wal[160];
		struct store *copy = NULL;
		int64_t v = 0;

		snprintf(wal, sizeof wal, "%s-wal", f->bak);
		assert_int_not_equal(access(wal, F_OK), 0);
		assert_int_equal(store_open(f->bak, &copy, &e), E_OK);
		assert_int_equal(store_review_version(copy, n, &v, &e), E_OK);
		store_close(copy);
	}
}

static void test_backup_never_overwrites_a_file(void **state)
{
	struct fx *f = *state;
	struct err e;
	FILE *fp = fopen(f->bak, "w");

	assert_non_null(fp);
	fputs("keep me\n", fp);
	fclose(fp);
	assert_int_equal(store_backup_file(f->db, f->bak, &e), E_INVALID);
	assert_non_null(strstr(e.message, "already exists"));
	{ /* untouched */
		char line[32] = "";
		fp = fopen(f->bak, "r");
		assert_non_null(fp);
		assert_non_null(fgets(line, sizeof line, fp));
		fclose(fp);
		assert_string_equal(line, "keep me\n");
	}
}

static void test_restore_refuses_a_database_in_use(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct err e;

	assert_int_equal(create_review(f->st, a, 1), E_OK);
	assert_int_equal(store_backup_file(f->db, f->bak, &e), E_OK);
	assert_int_equal(create_review(f->st, a, 2), E_OK);
	/* the store is open: the restore must not touch it */
	assert_int_equal(store_restore_file(f->bak, f->db, &e), E_CONFLICT);
	assert_non_null(strstr(e.message, "in use"));
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM reviews"), 2);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_restore_file(f->bak, f->db, &e), E_OK);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM reviews"), 1);
	assert_int_equal(store_open(f->db, &f->st, &e), E_OK);
	arena_free(a);
}

static void test_restore_refuses_what_is_not_a_debrief_database(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	sqlite3 *db;
	FILE *fp;
	struct err e;

	assert_int_equal(create_review(f->st, a, 1), E_OK);
	store_close(f->st);
	f->st = NULL;
	/* some other SQLite database */
	assert_int_equal(sqlite3_open(f->other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x); "
					  "INSERT INTO t VALUES (1)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_restore_file(f->other, f->db, &e), E_INVALID);
	assert_non_null(strstr(e.message, "not a debrief database"));
	assert_non_null(strstr(e.message, f->other));
	/* not SQLite at all */
	fp = fopen(f->bak, "w");
	assert_non_null(fp);
	fputs("title: not a database\n", fp);
	fclose(fp);
	assert_int_equal(store_restore_file(f->bak, f->db, &e), E_INVALID);
	assert_non_null(strstr(e.message, "not a debrief database"));
	/* a missing file */
	assert_int_equal(store_restore_file("/nonexistent/x.db", f->db, &e),
			 E_IO);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM reviews"), 1);
	arena_free(a);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_backup_while_writing_is_one_consistent_moment),
		T(test_backup_never_overwrites_a_file),
		T(test_restore_refuses_a_database_in_use),
		T(test_restore_refuses_what_is_not_a_debrief_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
