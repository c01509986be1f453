/* test_store_copy.c: `debrief copy` (store_copy). Generated reviews with
 * every kind of child, edited and partly deleted, with users, sessions,
 * tokens, audit, chat, tickets and the rest, copied SQLite to SQLite (and,
 * with DEBRIEF_TEST_PG, SQLite to PostgreSQL and back) come out row for
 * row the same, searchable, with the counts the triggers keep; the table
 * list stays whole; bad input is refused and changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen_review.h"
#include "store/db.h"
#include "store/store.h"
#include "test_db.h"
#include "util/buf.h"

struct fx {
	char dir[64];
	char db1[128], db2[128], db3[128];
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-copy-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db1, sizeof f->db1, "%s/one.db", f->dir);
	snprintf(f->db2, sizeof f->db2, "%s/two.db", f->dir);
	snprintf(f->db3, sizeof f->db3, "%s/three.db", f->dir);
	f->a = arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];

	arena_free(f->a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* sql runs a script on the database at url. */
static void sql(const char *url, const char *text)
{
	struct db *db;
	char msg[256];

	if (db_open(url, 0, &db, msg, sizeof msg) != DB_OK)
		fail_msg("%s: %s", url, msg);
	if (db_exec(db, text) != DB_OK)
		fail_msg("%s: %s", text, db_errmsg(db));
	db_close(db);
}

/* fill makes n generated reviews with two children of every kind through
 * the store (edits, a deleted follow-up, deleted reviews), users and audit
 * rows; then a row in each table the store's calls leave empty. */
static void fill(struct fx *f, const char *url, int n)
{
	struct store *st;
	struct err e;

	assert_int_equal(store_open(url, &st, &e), E_OK);
	for (int i = 1; i <= n; i++) {
		struct review_doc doc;
		int64_t id;

		gen_doc(f->a, &doc, i, 2);
		if (store_review_create(st, f->a, "gen", &doc, &id, &e) != E_OK)
			fail_msg("%s", e.message);
		if (i % 3 == 0) {
			struct record *p = record_new(f->a, &review_def);
			record_set_str(p, REVIEW_TITLE, "edited title");
			assert_int_equal(store_review_update(st, f->a, "editor",
							     id, 0, p, NULL,
							     &e),
					 E_OK);
		}
		if (i % 4 == 0) {
			struct record_list l;
			assert_int_equal(store_child_list(st, f->a,
							  CHILD_FOLLOWUP, id,
							  &l, &e),
					 E_OK);
			assert_int_equal(store_child_delete(
						 st, f->a, "editor",
						 CHILD_FOLLOWUP, id,
						 l.items[0]->id, 0, NULL, &e),
					 E_OK);
		}
		if (i % 5 == 0)
			assert_int_equal(store_review_delete(st, f->a, "admin",
							     id, 0, &e),
					 E_OK);
	}
	assert_int_equal(store_user_create(st, "ann", ROLE_ADMIN, "[\"ops\"]",
					   "$argon2id$secret", GEN_T0, &e),
			 E_OK);
	assert_int_equal(store_user_create(st, "bob", ROLE_READER, NULL, "",
					   GEN_T0 + 1, &e),
			 E_OK);
	assert_int_equal(store_audit_add(st, GEN_T0, "ann", "login", "ok",
					 "127.0.0.1", &e),
			 E_OK);
	store_close(st);
	sql(url,
	    "INSERT INTO sessions (id_hash, user, created_at, last_seen, "
	    "expires) VALUES ('abcd', 'ann', 1700000000, 1700000100, "
	    "1700086400);"
	    "INSERT INTO api_tokens (hash, user, scope, created_at) VALUES "
	    "('ef01', 'ann', 'write', 1700000000);"
	    "INSERT INTO feed_tokens (user, hash, created_at) VALUES ('bob', "
	    "'2345', 1700000000);"
	    "INSERT INTO settings (key, value) VALUES ('secret', 'k3y');"
	    "INSERT INTO transcript_messages (review_id, created_at, "
	    "updated_at, deleted_at, channel, ts, at, at_us, author, text, "
	    "kind, thread_ts, edited, source) VALUES "
	    "(1, 1700000000, 1700000000, NULL, '#ops', '1.0001', 1700000001, "
	    "5, 'ann', 'the zeppelin filled up', 'message', NULL, 0, 'slack'), "
	    "(1, 1700000000, 1700000500, 1700000600, '#ops', '1.0002', "
	    "1700000002, NULL, 'bob', 'checking', 'message', '1.0001', 1, "
	    "NULL);"
	    /* a chat import's message: its file kept once (035) */
	    "INSERT INTO transcript_sources (id, prefix) VALUES "
	    "(7, 'ops/2023-11-14.json#');"
	    "INSERT INTO transcript_messages (review_id, created_at, "
	    "updated_at, channel, ts, at, author, text, kind, edited, source, "
	    "source_id) VALUES (1, 1700000000, 1700000000, '#ops', '1.0003', "
	    "1700000003, 'ann', 'mounted', 'message', 0, NULL, 7);"
	    "INSERT INTO transcript_fts (rowid, author, text) SELECT id, "
	    "author, text FROM transcript_messages;"
	    "INSERT INTO tickets (review_id, created_at, updated_at, "
	    "followup_id, tracker, key, url, status, done, assignee, updated, "
	    "read_at, error, error_at, close_sent) SELECT 1, 1700000000, "
	    "1700000000, min(id), 'jira', 'OPS-1', "
	    "'https://jira.example.com/browse/OPS-1', 'In Progress', 0, 'ann', "
	    "1700000100, 1700000200, 'timed out', 1700000150, 0 FROM followups "
	    "WHERE review_id = 1;"
	    "INSERT INTO review_reads (review_id, reader, at, month) VALUES "
	    "(1, 'bob', 1700000000, 202311);"
	    "INSERT INTO inbound_links (review_id, repository, file, line, "
	    "commit_id, text, found_at) VALUES (1, 'git.example.com/shop', "
	    "'src/disk.c', 42, 'abc123', 'see the review', 1700000000);"
	    "INSERT INTO import_sources (source, review_id, imported_at) "
	    "VALUES ('morgue:7', 1, 1700000000);"
	    "INSERT INTO glossary_terms (term, definition, created_at, "
	    "updated_at) VALUES ('SLO', 'service level objective', "
	    "1700000000, 1700000300);"
	    "INSERT INTO facilitators (created_at, updated_at, deleted_at, "
	    "name, trained_on, available, contact, note) VALUES (1700000000, "
	    "1700000000, NULL, 'ann', '2023-01-02', 1, 'ann@example.com', "
	    "'Tuesdays');"
	    "INSERT INTO drafts (author, review_id, body, updated_at) VALUES "
	    "('ann', 1, '{\"summary\":\"half written\"}', 1700000000);"
	    "INSERT INTO review_renders (review_id, version, tag, size, html) "
	    "VALUES (1, 1, 't', 2, X'3c70');");
}

/* table_names lists the tables of the SQLite database at url that belong
 * to debrief (not SQLite's, not FTS5's storage, not the migrations'). */
static int table_names(const char *url, char names[][64], int max)
{
	struct db *db;
	struct db_stmt *s;
	char msg[256];
	int n = 0;

	assert_int_equal(db_open(url, 1, &db, msg, sizeof msg), DB_OK);
	assert_int_equal(db_prepare(db,
				    "SELECT name FROM sqlite_master WHERE type "
				    "= 'table' ORDER BY name",
				    &s),
			 DB_OK);
	while (db_step(s) == DB_ROW && n < max) {
		const char *t = db_column_text(s, 0);

		if (!strncmp(t, "sqlite_", 7) ||
		    !strcmp(t, "schema_migrations") ||
		    (strstr(t, "_fts_") && !strncmp(t, "review_fts_", 11)) ||
		    !strncmp(t, "transcript_fts_", 15))
			continue;
		snprintf(names[n++], 64, "%s", t);
	}
	db_finalize(s);
	db_close(db);
	return n;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* dump_table appends every row of table (SQLite) to out, sorted, each
 * value with its type (blobs in hex). The counts kept by triggers without
 * their rows at zero (which updates leave behind and a copy never makes). */
static void dump_table(const char *url, const char *table, struct buf *out)
{
	struct db *db;
	struct db_stmt *s;
	char q[300], msg[256];
	char **rows = NULL;
	size_t n = 0;

	if (!strcmp(table, "linger_counts"))
		snprintf(q, sizeof q, "SELECT * FROM linger_counts WHERE "
				      "followups != 0");
	else if (strstr(table, "_counts"))
		snprintf(q, sizeof q,
			 "SELECT * FROM %s WHERE reviews != 0 OR "
			 "open_followups != 0",
			 table);
	else if (!strcmp(table, "trend_reviews") ||
		 !strcmp(table, "trend_services"))
		snprintf(q, sizeof q, "SELECT * FROM %s WHERE reviews != 0",
			 table);
	else if (!strcmp(table, "trend_followups"))
		snprintf(q, sizeof q, "SELECT * FROM trend_followups WHERE "
				      "opened != 0 OR done != 0");
	else if (!strcmp(table, "trend_open_followups"))
		snprintf(q, sizeof q, "SELECT * FROM trend_open_followups "
				      "WHERE followups != 0");
	else if (strstr(table, "_fts"))
		snprintf(q, sizeof q, "SELECT rowid, * FROM \"%s\"", table);
	else
		snprintf(q, sizeof q, "SELECT * FROM \"%s\"", table);
	assert_int_equal(db_open(url, 1, &db, msg, sizeof msg), DB_OK);
	if (db_prepare(db, q, &s) != DB_OK)
		fail_msg("%s: %s", q, db_errmsg(db));
	while (db_step(s) == DB_ROW) {
		struct buf row = BUF_INIT;

		for (int i = 0; i < db_column_count(s); i++) {
			int ty = db_column_type(s, i);

			buf_printf(&row, "%s%d:", i ? "|" : "", ty);
			if (ty == DB_BLOB) {
				const unsigned char *b = db_column_blob(s, i);
				for (int k = 0; k < db_column_bytes(s, i); k++)
					buf_printf(&row, "%02x", b[k]);
			} else if (ty != DB_NULL) {
				buf_puts(&row, db_column_text(s, i));
			}
		}
		rows = realloc(rows, sizeof *rows * (n + 1));
		assert_non_null(rows);
		rows[n++] = buf_detach(&row);
	}
	db_finalize(s);
	db_close(db);
	qsort(rows, n, sizeof *rows, by_text);
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s\n", rows[i]);
		free(rows[i]);
	}
	free(rows);
}

/* same_rows compares every table of two SQLite databases but the
 * caches and the login limit's windows (not copied); each must have rows
 * (fill covers it). */
static void same_rows(const char *one, const char *two)
{
	char names[64][64];
	int n = table_names(one, names, 64), compared = 0;

	for (int i = 0; i < n; i++) {
		struct buf a = BUF_INIT, b = BUF_INIT;

		if (!strcmp(names[i], "review_renders") ||
		    !strcmp(names[i], "review_related") ||
		    !strcmp(names[i], "generation") ||
		    !strcmp(names[i], "login_failures"))
			continue;
		dump_table(one, names[i], &a);
		dump_table(two, names[i], &b);
		if (!a.len)
			fail_msg("table %s is empty: fill it", names[i]);
		if (strcmp(buf_cstr(&a), buf_cstr(&b)) != 0) {
			size_t k = 0;

			while (buf_cstr(&a)[k] == buf_cstr(&b)[k])
				k++;
			while (k > 0 && buf_cstr(&a)[k - 1] != '\n')
				k--;
			fail_msg("table %s differs after the copy:\n%.300s"
				 "\n--- became ---\n%.300s",
				 names[i], buf_cstr(&a) + k, buf_cstr(&b) + k);
		}
		compared++;
		buf_release(&a);
		buf_release(&b);
	}
	assert_true(compared >= 33);
}

/* works checks the copy at url as a store: search finds a review's text
 * and a chat message, and a new review takes a fresh id. */
static void works(struct fx *f, const char *url, int n)
{
	struct store *st;
	struct err e;
	struct search_query q = {.q = "edited"};
	struct search_hit *hits;
	size_t nh;
	int64_t total, id;
	struct review_doc doc;

	assert_int_equal(store_open(url, &st, &e), E_OK);
	assert_int_equal(store_search(st, f->a, &q, &hits, &nh, &total, &e),
			 E_OK);
	assert_true(total >= 1);
	q.q = "zeppelin";
	assert_int_equal(store_search(st, f->a, &q, &hits, &nh, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	gen_doc(f->a, &doc, n + 1, 1);
	if (store_review_create(st, f->a, "gen", &doc, &id, &e) != E_OK)
		fail_msg("%s", e.message);
	assert_int_equal(id, n + 1);
	store_close(st);
}

static void copied(const char *from, const char *to)
{
	struct copy_report r;
	struct err e;

	if (store_copy(from, to, &r, &e) != E_OK)
		fail_msg("%s -> %s: %s", from, to, e.message);
	assert_true(r.n >= 29);
	for (int i = 0; i < r.n; i++)
		assert_int_equal(r.tables[i].from, r.tables[i].to);
}

static void test_every_table_is_copied_or_named_derived(void **state)
{
	struct fx *f = *state;
	struct store *st;
	struct err e;
	char names[64][64];
	int n;

	assert_int_equal(store_open(f->db1, &st, &e), E_OK);
	store_close(st);
	n = table_names(f->db1, names, 64);
	assert_true(n >= 30);
	for (int i = 0; i < n; i++)
		if (!store_copy_table_role(names[i]))
			fail_msg("table %s is neither copied nor derived: add "
				 "it to store_copy.c",
				 names[i]);
}

static void test_sqlite_to_sqlite_copies_every_row(void **state)
{
	struct fx *f = *state;

	fill(f, f->db1, 12);
	copied(f->db1, f->db2);
	same_rows(f->db1, f->db2);
	works(f, f->db2, 12);
}

static void test_round_trip_through_postgres(void **state)
{
	struct fx *f = *state;
	char pg[256];

	if (!test_on_pg())
		skip();
	assert_int_equal(test_db_url(pg, sizeof pg, f->dir), 0);
	fill(f, f->db1, 12);
	copied(f->db1, pg);
	copied(pg, f->db3);
	same_rows(f->db1, f->db3);
	works(f, pg, 12);
	works(f, f->db3, 12);
}

/* refused copies from to and expects code, the target unchanged. */
static void refused(const char *from, const char *to, enum err_code code,
		    const char *words)
{
	struct copy_report r;
	struct err e;

	err_clear(&e);
	assert_int_equal(store_copy(from, to, &r, &e), code);
	if (!strstr(e.message, words))
		fail_msg("message \"%s\" lacks \"%s\"", e.message, words);
}

static void test_bad_input_is_refused_and_nothing_changes(void **state)
{
	struct fx *f = *state;
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct stat sb;
	char other[160];

	/* no source: no target made either */
	refused(f->db3, f->db2, E_NOT_FOUND, "no database there");
	assert_int_not_equal(stat(f->db2, &sb), 0);
	/* a file that is not debrief's */
	snprintf(other, sizeof other, "%s/other.db", f->dir);
	sql(other, "CREATE TABLE t (x INTEGER)");
	refused(other, f->db2, E_INVALID, "not a debrief database");
	assert_int_not_equal(stat(f->db2, &sb), 0);
	/* a target with rows: untouched */
	fill(f, f->db1, 3);
	fill(f, f->db2, 2);
	dump_table(f->db2, "reviews", &before);
	refused(f->db1, f->db2, E_CONFLICT, "not empty");
	dump_table(f->db2, "reviews", &after);
	assert_string_equal(buf_cstr(&before), buf_cstr(&after));
	/* the same database twice */
	snprintf(other, sizeof other, "sqlite:%s", f->db1);
	refused(f->db1, other, E_INVALID, "same database");
	buf_release(&before);
	buf_release(&after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_table_is_copied_or_named_derived, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_sqlite_to_sqlite_copies_every_row, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_round_trip_through_postgres, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_bad_input_is_refused_and_nothing_changes, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
