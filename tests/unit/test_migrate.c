/* test_migrate.c: what `debrief migrate --dry-run` and `debrief version`
 * read from the store: the pending migrations of a database, left
 * unchanged, and the newest schema this program knows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/meeting.h"
#include "model/review.h"
#include "store/store.h"
#include "util/arena.h"

static char dir[64], path[128];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/debrief-migrate-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct seen {
	int n, first, last;
};

static void count(int version, const char *name, void *ctx)
{
	struct seen *s = ctx;

	assert_non_null(name);
	assert_true(version > s->last); /* oldest first */
	if (!s->n)
		s->first = version;
	s->last = version;
	s->n++;
}

static void test_a_missing_database_would_get_every_migration_and_is_not_made(
	void **state)
{
	struct seen s = {0};
	struct stat st;
	struct err e;
	int current = -1;

	err_clear(&e);
	assert_int_equal(store_schema_pending(path, &current, count, &s, &e),
			 E_OK);
	assert_int_equal(current, 0);
	assert_int_equal(s.first, 1);
	assert_int_equal(s.last, store_schema_newest());
	assert_true(s.n >= 5);
	assert_int_equal(stat(path, &st), -1); /* nothing was created */
}

static void test_an_up_to_date_database_has_nothing_pending(void **state)
{
	struct store *st = NULL;
	struct seen s = {0};
	struct err e;
	int current = 0, version = 0;

	err_clear(&e);
	assert_int_equal(store_open(path, &st, &e), E_OK);
	assert_int_equal(store_schema_version(st, &version, &e), E_OK);
	store_close(st);
	assert_int_equal(version, store_schema_newest());
	assert_int_equal(store_schema_pending(path, &current, count, &s, &e),
			 E_OK);
	assert_int_equal(current, version);
	assert_int_equal(s.n, 0);
}

/* set_version records a migration numbered v in the database at path,
 * as a newer program would. */
static void set_version(int v)
{
	sqlite3 *db;
	char sql[128];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "INSERT INTO schema_migrations VALUES (%d, 'x.sql', 0)", v);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_a_newer_database_is_refused_by_both(void **state)
{
	struct store *st = NULL;
	struct seen s = {0};
	struct err e;
	int current = 0;

	err_clear(&e);
	assert_int_equal(store_open(path, &st, &e), E_OK);
	store_close(st);
	set_version(store_schema_newest() + 1);
	assert_int_equal(store_schema_pending(path, &current, count, &s, &e),
			 E_STORE);
	assert_non_null(strstr(e.message, "newer than this program knows"));
	assert_int_equal(s.n, 0);
	err_clear(&e);
	st = NULL;
	assert_int_equal(store_open(path, &st, &e), E_STORE);
	assert_non_null(strstr(e.message, "use a newer debrief"));
	assert_null(st);
}

/* A migration written on another branch can land after a newer one was
 * applied (008 merged after 009): it is applied all the same. Simulated
 * by undoing 005 (settings) in an up-to-date database: newer ones stay
 * recorded. */
static void test_a_migration_that_landed_late_is_still_applied(void **state)
{
	struct store *st = NULL;
	struct seen s = {0};
	struct err e;
	sqlite3 *db;
	int current = 0;

	err_clear(&e);
	assert_int_equal(store_open(path, &st, &e), E_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE settings; DELETE FROM "
				      "schema_migrations WHERE version = 5",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_schema_pending(path, &current, count, &s, &e),
			 E_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.first, 5);
	assert_int_equal(current, store_schema_newest());
	st = NULL;
	assert_int_equal(store_open(path, &st, &e), E_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM settings", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	s.n = s.first = s.last = 0;
	assert_int_equal(store_schema_pending(path, &current, count, &s, &e),
			 E_OK);
	assert_int_equal(s.n, 0);
}

static void test_a_file_that_is_not_a_database_is_an_error(void **state)
{
	FILE *f = fopen(path, "w");
	struct seen s = {0};
	struct err e;
	int current = 0;

	assert_non_null(f);
	fputs("not a database, just some text that is long enough\n", f);
	fclose(f);
	err_clear(&e);
	assert_int_equal(store_schema_pending(path, &current, count, &s, &e),
			 E_STORE);
	assert_non_null(strstr(e.message, path));
	assert_int_equal(s.n, 0);
}

/* arch_review stores an architecture review titled title; its id. */
static int64_t arch_review(struct store *st, struct arena *a,
			   const char *title, const char *notes)
{
	struct record *r = record_new(a, &review_def);
	struct review_doc doc = {0};
	int64_t id = 0;
	struct err e;

	record_set_str(r, REVIEW_KIND, "architecture");
	record_set_str(r, REVIEW_TITLE, title);
	if (notes)
		record_set_str(r, REVIEW_NOTES, notes);
	record_fill_defaults(a, r);
	doc.review = r;
	assert_int_equal(store_review_create(st, a, "ada", &doc, &id, &e),
			 E_OK);
	return id;
}

/* 024: the architecture review's meeting date, place and attendees (012's
 * own fields) become its meeting record, or its notes when they cannot;
 * nothing is lost. Simulated by writing the old columns and undoing 024
 * in an up-to-date database. */
static void test_an_architecture_meeting_moves_to_the_meeting_record(
	void **state)
{
	struct arena *a = arena_new();
	struct store *st = NULL;
	struct review_doc d;
	const struct record *m;
	int64_t future, past, nodate, taken;
	sqlite3 *db;
	char sql[1024];
	struct err e;

	err_clear(&e);
	assert_int_equal(store_open(path, &st, &e), E_OK);
	future = arch_review(st, a, "Adopt Cassandra", NULL);
	past = arch_review(st, a, "Adopt Kafka", NULL);
	nodate = arch_review(st, a, "Adopt Redis", "Said: yes.");
	taken = arch_review(st, a, "Adopt Go", NULL);
	{
		struct record *mm = record_new(a, &meeting_def);
		record_set_int(mm, MEETING_START, 4102444800LL); /* 2100 */
		record_set_int(mm, MEETING_END, 4102444800LL + 3600);
		record_fill_defaults(a, mm);
		assert_int_equal(store_child_create(st, a, "ada", CHILD_MEETING,
						    taken, mm, NULL, NULL, &e),
				 E_OK);
	}
	store_close(st);
	snprintf(sql, sizeof sql,
		 "UPDATE reviews SET meeting_date = '2099-01-05', "
		 "meeting_place = 'Room 4', attendees = '[\"cy\",\"di\"]' "
		 "WHERE id = %lld;"
		 "UPDATE reviews SET meeting_date = '2020-03-04', "
		 "attendees = '[\"ed\"]' WHERE id = %lld;"
		 "UPDATE reviews SET meeting_place = 'Room 9', "
		 "attendees = '[\"fa\"]' WHERE id = %lld;"
		 "UPDATE reviews SET meeting_date = '2026-01-02', "
		 "meeting_place = 'Room 1' WHERE id = %lld;"
		 "DELETE FROM schema_migrations WHERE version = 24;",
		 (long long)future, (long long)past, (long long)nodate,
		 (long long)taken);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, &st, &e), E_OK);

	/* a day to come: a meeting scheduled that day, the attendees invited */
	assert_int_equal(store_review_get(st, a, future, 0, &d, &e), E_OK);
	assert_int_equal(d.children[CHILD_MEETING].n, 1);
	m = d.children[CHILD_MEETING].items[0];
	assert_int_equal(record_int(m, MEETING_START, 0), 4071286800LL);
	assert_int_equal(meeting_minutes(m), 60);
	assert_string_equal(record_str(m, MEETING_LOCATION), "Room 4");
	assert_string_equal(record_str(m, MEETING_STATUS), "scheduled");
	assert_int_equal(m->v[MEETING_INVITEES].nitems, 2);
	assert_string_equal(m->v[MEETING_INVITEES].items[1], "di");
	assert_int_equal(m->v[MEETING_ATTENDED].nitems, 0);
	assert_int_equal(record_validate(m, &e), E_OK);
	assert_null(record_str(d.review, REVIEW_NOTES));
	/* a day past: held, attended by them */
	assert_int_equal(store_review_get(st, a, past, 0, &d, &e), E_OK);
	m = d.children[CHILD_MEETING].items[0];
	assert_string_equal(record_str(m, MEETING_STATUS), "held");
	assert_string_equal(m->v[MEETING_ATTENDED].items[0], "ed");
	/* no date: the notes keep the place and attendees */
	assert_int_equal(store_review_get(st, a, nodate, 0, &d, &e), E_OK);
	assert_int_equal(d.children[CHILD_MEETING].n, 0);
	assert_string_equal(record_str(d.review, REVIEW_NOTES),
			    "Said: yes.\n\nMeeting (before meetings were "
			    "records):\n- place: Room 9\n- attendees: fa");
	/* a meeting already: kept as it was, the old fields in the notes */
	assert_int_equal(store_review_get(st, a, taken, 0, &d, &e), E_OK);
	assert_int_equal(d.children[CHILD_MEETING].n, 1);
	assert_int_equal(record_int(d.children[CHILD_MEETING].items[0],
				    MEETING_START, 0),
			 4102444800LL);
	assert_non_null(strstr(record_str(d.review, REVIEW_NOTES),
			       "- date: 2026-01-02\n- place: Room 1"));
	store_close(st);
	/* the old columns are empty */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt *q;
		assert_int_equal(
			sqlite3_prepare_v2(db,
					   "SELECT count(*) FROM reviews WHERE "
					   "meeting_date IS NOT NULL OR "
					   "meeting_place IS NOT NULL OR "
					   "attendees IS NOT NULL",
					   -1, &q, NULL),
			SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_a_missing_database_would_get_every_migration_and_is_not_made),
		T(test_an_up_to_date_database_has_nothing_pending),
		T(test_a_newer_database_is_refused_by_both),
		T(test_a_migration_that_landed_late_is_still_applied),
		T(test_a_file_that_is_not_a_database_is_an_error),
		T(test_an_architecture_meeting_moves_to_the_meeting_record),
#undef T
	};
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
