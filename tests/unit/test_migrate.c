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

#include "store/store.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_a_missing_database_would_get_every_migration_and_is_not_made),
		T(test_an_up_to_date_database_has_nothing_pending),
		T(test_a_newer_database_is_refused_by_both),
		T(test_a_migration_that_landed_late_is_still_applied),
		T(test_a_file_that_is_not_a_database_is_an_error),
#undef T
	};
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
