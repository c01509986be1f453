/* test_export_json.c: debrief's JSON export. Generated reviews with every
 * field set, edited and partly deleted, plus users and audit records,
 * exported, imported into an empty database and exported again give the
 * same bytes; bad files are refused with a message naming the file, and
 * nothing is imported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gen_review.h"
#include "importers/json_format.h"
#include "store/db.h"
#include "store/store.h"
#include "unit/test_db.h"
#include "util/buf.h"

struct fx {
	char dir[64];
	char db1[128], db2[128], file[128];
	struct store *st1, *st2;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-export-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* on PostgreSQL (DEBRIEF_TEST_PG), two new databases */
	if (test_on_pg()) {
		if (test_db_url(f->db1, sizeof f->db1, f->dir) < 0 ||
		    test_db_url(f->db2, sizeof f->db2, f->dir) < 0)
			return -1;
	} else {
		snprintf(f->db1, sizeof f->db1, "%s/one.db", f->dir);
		snprintf(f->db2, sizeof f->db2, "%s/two.db", f->dir);
	}
	snprintf(f->file, sizeof f->file, "%s/export.json", f->dir);
	f->a = arena_new();
	if (store_open(f->db1, &f->st1, &e) != E_OK ||
	    store_open(f->db2, &f->st2, &e) != E_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];

	store_close(f->st1);
	store_close(f->st2);
	arena_free(f->a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

static int to_buf(const char *data, size_t len, void *arg)
{
	return buf_append(arg, data, len) < 0 ? -1 : 0;
}

static void export_all(struct store *st, struct buf *out)
{
	struct json_export_opts o = {.include_deleted = 1, .accounts = 1};
	struct err e;

	assert_int_equal(json_export(st, &o, to_buf, out, &e), E_OK);
	assert_false(out->oom);
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	fclose(fp);
}

/* fill makes n generated reviews with two children of every kind; edits
 * some, deletes a child of some and some whole reviews; adds users and
 * audit records. */
static void fill(struct fx *f, int n)
{
	struct err e;

	for (int i = 1; i <= n; i++) {
		struct review_doc doc;
		int64_t id;

		gen_doc(f->a, &doc, i, 2);
		assert_int_equal(store_review_create(f->st1, f->a, "gen", &doc,
						     &id, &e),
				 E_OK);
		if (i % 3 == 0) {
			struct record *p = record_new(f->a, &review_def);
			record_set_str(p, REVIEW_TITLE, "edited title");
			assert_int_equal(store_review_update(f->st1, f->a,
							     "editor", id, 0, p,
							     NULL, &e),
					 E_OK);
		}
		if (i % 4 == 0) {
			/* follow-ups: every kind of review has them */
			struct record_list l;
			assert_int_equal(store_child_list(f->st1, f->a,
							  CHILD_FOLLOWUP, id,
							  &l, &e),
					 E_OK);
			assert_int_equal(store_child_delete(
						 f->st1, f->a, "editor",
						 CHILD_FOLLOWUP, id,
						 l.items[0]->id, 0, NULL, &e),
					 E_OK);
		}
		if (i % 5 == 0)
			assert_int_equal(store_review_delete(f->st1, f->a,
							     "admin", id, 0,
							     &e),
					 E_OK);
	}
	assert_int_equal(store_user_create(f->st1, "ann", ROLE_ADMIN,
					   "[\"ops\"]", "$argon2id$secret",
					   GEN_T0, &e),
			 E_OK);
	assert_int_equal(store_user_create(f->st1, "bob", ROLE_READER, NULL,
					   "", GEN_T0 + 1, &e),
			 E_OK);
	assert_int_equal(store_audit_add(f->st1, GEN_T0, "ann", "login", "ok",
					 "127.0.0.1", &e),
			 E_OK);
	assert_int_equal(store_audit_add(f->st1, GEN_T0 + 5, "ann",
					 "user.create", "bob", NULL, &e),
			 E_OK);
}

/* open_db connects to the database at url (beside the store). */
static struct db *open_db(const char *url)
{
	struct db *db = NULL;
	char msg[256];

	if (db_open(url, 0, &db, msg, sizeof msg) != DB_OK)
		fail_msg("%s: %s", url, msg);
	return db;
}

/* sql runs statements on the database at url (beside the store). */
static void sql(const char *url, const char *text)
{
	struct db *db = open_db(url);

	if (db_exec(db, text) != DB_OK)
		fail_msg("%s: %s", text, db_errmsg(db));
	db_close(db);
}

/* fill_tables puts a row in every table that the reviews, users and audit
 * of fill leave empty: chat messages (one deleted), a ticket, a read, an
 * inbound link, an import source, a glossary term, a facilitator, a draft,
 * a user's time zone. */
static void fill_tables(struct fx *f)
{
	sql(f->db1,
	    "INSERT INTO transcript_messages (review_id, created_at, "
	    "updated_at, deleted_at, channel, ts, at, at_us, author, text, "
	    "kind, thread_ts, edited, source) VALUES "
	    "(1, 1700000000, 1700000000, NULL, '#ops', '1.0001', 1700000001, "
	    "5, 'ann', 'the disk filled up', 'message', NULL, 0, 'slack'), "
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
	    "(1, 'bob', 1700000000, 202311), (2, 'ann', 1700003600, 202311);"
	    "INSERT INTO inbound_links (review_id, repository, file, line, "
	    "commit_id, text, found_at) VALUES (1, 'git.example.com/shop', "
	    "'src/disk.c', 42, 'abc123', 'see the review', 1700000000), "
	    "(2, 'git.example.com/shop', NULL, NULL, NULL, NULL, 1700000001);"
	    "INSERT INTO import_sources (source, review_id, imported_at) "
	    "VALUES ('morgue:7', 1, 1700000000);"
	    "INSERT INTO glossary_terms (term, definition, created_at, "
	    "updated_at) VALUES ('SLO', 'service level objective', "
	    "1700000000, 1700000300);"
	    "INSERT INTO facilitators (created_at, updated_at, deleted_at, "
	    "name, trained_on, available, contact, note) VALUES (1700000000, "
	    "1700000000, NULL, 'ann', '2023-01-02', 1, 'ann@example.com', "
	    "'Tuesdays'), (1700000000, 1700000100, 1700000100, 'bob', NULL, "
	    "NULL, NULL, NULL);"
	    "INSERT INTO drafts (author, review_id, body, updated_at) VALUES "
	    "('ann', 1, '{\"summary\":\"half written\"}', 1700000000);"
	    "UPDATE users SET time_zone = 'Europe/Paris' WHERE name = 'ann';");
}

/* Tables an export leaves out on purpose; every other table must come
 * back row for row (users without their password hashes). */
static const char *const not_exported[] = {
	"sessions", "api_tokens", "feed_tokens", /* secrets */
	"settings",				  /* the server's secret key */
	"generation",	  /* a counter of writes: a cache key */
	"review_renders", /* a cache of rendered pages */
	"login_failures", /* rate-limit windows: they start again empty */
	"review_related", /* a cache of review pages' related reviews */
	"schema_migrations",
	/* a chat import's files, each kept once (035): compared through the
	 * sources of the messages, which an export writes whole */
	"transcript_sources", NULL};

static int left_out(const char *table)
{
	for (int i = 0; not_exported[i]; i++)
		if (!strcmp(table, not_exported[i]))
			return 1;
	/* the search indexes' own storage: compared through the index */
	return !strncmp(table, "sqlite_", 7) ||
	       (strstr(table, "_fts_") != NULL);
}

static int by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* dump_table appends every row of table to out, sorted as text. The
 * counts kept by triggers are compared without their rows at zero (which
 * triggers leave behind and a fresh import never makes). */
static void dump_table(struct db *db, const char *table, struct buf *out)
{
	char q[300];
	char **rows = NULL;
	size_t n = 0;
	struct db_stmt *s;

	if (!strcmp(table, "users"))
		snprintf(q, sizeof q,
			 "SELECT id, name, role, groups, disabled, created_at, "
			 "time_zone FROM users");
	else if (!strcmp(table, "review_counts"))
		snprintf(q, sizeof q, "SELECT * FROM review_counts WHERE "
				      "reviews != 0 OR open_followups != 0");
	else if (!strcmp(table, "tag_counts"))
		snprintf(q, sizeof q, "SELECT * FROM tag_counts WHERE "
				      "reviews != 0 OR open_followups != 0");
	else if (!strcmp(table, "trend_reviews") ||
		 !strcmp(table, "trend_services"))
		snprintf(q, sizeof q, "SELECT * FROM %s WHERE reviews != 0",
			 table);
	else if (!strcmp(table, "trend_followups"))
		snprintf(q, sizeof q, "SELECT * FROM trend_followups WHERE "
				      "opened != 0 OR done != 0");
	else if (!strcmp(table, "trend_open_followups") ||
		 !strcmp(table, "linger_counts"))
		snprintf(q, sizeof q, "SELECT * FROM %s WHERE followups != 0",
			 table);
	else if (!strcmp(table, "revisions"))
		/* a create's changes may be stored compactly (issue 21) and
		 * come back in full: the export's byte-for-byte comparison
		 * above holds their content */
		snprintf(q, sizeof q,
			 "SELECT id, review_id, record_kind, record_id, "
			 "action, actor, at, review_version FROM revisions");
	else if (!strcmp(table, "transcript_messages"))
		/* the source as the store reads it (035), source_id left out */
		snprintf(q, sizeof q,
			 "SELECT id, review_id, version, created_at, "
			 "updated_at, deleted_at, channel, ts, at, at_us, "
			 "author, text, kind, thread_ts, edited, coalesce(("
			 "SELECT s.prefix FROM transcript_sources s WHERE "
			 "s.id = t.source_id) || coalesce(t.source, t.ts), "
			 "t.source) FROM transcript_messages t");
	else if (strstr(table, "_fts"))
		snprintf(q, sizeof q, "SELECT rowid, * FROM \"%s\"", table);
	else
		snprintf(q, sizeof q, "SELECT * FROM \"%s\"", table);
	if (db_prepare(db, q, &s) != DB_OK)
		fail_msg("%s: %s", q, db_errmsg(db));
	while (db_step(s) == DB_ROW) {
		struct buf row = BUF_INIT;

		for (int i = 0; i < db_column_count(s); i++) {
			const char *t = db_column_text(s, i);
			buf_printf(&row, "%s%d:%s", i ? "|" : "",
				   db_column_type(s, i), t ? t : "");
		}
		rows = realloc(rows, sizeof *rows * (n + 1));
		assert_non_null(rows);
		rows[n++] = buf_detach(&row);
	}
	db_finalize(s);
	qsort(rows, n, sizeof *rows, by_text);
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s\n", rows[i]);
		free(rows[i]);
	}
	free(rows);
}

static void test_every_table_comes_back_row_for_row(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT, two = BUF_INIT;
	struct db *d1, *d2;
	struct db_stmt *s;
	struct err e;
	int tables = 0;

	fill(f, 12);
	fill_tables(f);
	export_all(f->st1, &one);
	write_file(f->file, buf_cstr(&one), one.len);
	if (json_import(f->st2, f->file, NULL, &e) != E_OK)
		fail_msg("%s", e.message);
	export_all(f->st2, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(buf_cstr(&one), buf_cstr(&two), one.len);

	d1 = open_db(f->db1);
	d2 = open_db(f->db2);
	assert_int_equal(
		db_prepare(d1,
			   db_kind(d1) == DB_POSTGRES
				   ? "SELECT table_name FROM "
				     "information_schema.tables WHERE "
				     "table_schema = current_schema() AND "
				     "table_type = 'BASE TABLE' ORDER BY 1"
				   : "SELECT name FROM sqlite_master WHERE "
				     "type = 'table' ORDER BY name",
			   &s),
		DB_OK);
	while (db_step(s) == DB_ROW) {
		const char *t = db_column_text(s, 0);
		struct buf a = BUF_INIT, b = BUF_INIT;

		if (left_out(t))
			continue;
		dump_table(d1, t, &a);
		dump_table(d2, t, &b);
		if (!a.len)
			fail_msg("table %s is empty: fill it", t);
		if (strcmp(buf_cstr(&a), buf_cstr(&b)) != 0) {
			size_t i = 0;

			while (buf_cstr(&a)[i] == buf_cstr(&b)[i])
				i++;
			while (i > 0 && buf_cstr(&a)[i - 1] != '\n')
				i--;
			fail_msg("table %s differs after the round trip:\n%.300s"
				 "\n--- became ---\n%.300s",
				 t, buf_cstr(&a) + i, buf_cstr(&b) + i);
		}
		tables++;
		buf_release(&a);
		buf_release(&b);
	}
	db_finalize(s);
	db_close(d1);
	db_close(d2);
	assert_true(tables >= 25);
	buf_release(&one);
	buf_release(&two);
}

/* An export reads each review's records of every kind, deleted ones too:
 * each such read must find them by index, not scan the table (a scan of
 * meetings per review made 10,000 reviews take minutes). */
static void test_every_per_review_read_uses_an_index(void **state)
{
	struct fx *f = *state;
	const char *tables[CHILD_COUNT + 8];
	size_t n = 0;
	sqlite3 *db;

	for (int k = 0; k < CHILD_COUNT; k++)
		tables[n++] = child_defs[k]->table;
	tables[n++] = "transcript_messages";
	tables[n++] = "tickets";
	tables[n++] = "review_reads";
	tables[n++] = "inbound_links";
	tables[n++] = "import_sources";
	tables[n++] = "revisions";
	if (test_on_pg())
		skip(); /* SQLite's query plans */
	assert_int_equal(sqlite3_open(f->db1, &db), SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		char q[200];
		sqlite3_stmt *s;

		snprintf(q, sizeof q,
			 "EXPLAIN QUERY PLAN SELECT * FROM %s t WHERE "
			 "t.review_id = 1",
			 tables[i]);
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL),
				 SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(s, 3);
			if (strstr(d, "SCAN"))
				fail_msg("%s: %s", tables[i], d);
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

/* An import indexes its reviews for search a batch at a time (issue 18's
 * speed); the index must hold what the saves that made the reviews gave
 * it, row for row, across several batches, and be sound. */
static void test_search_index_of_an_import_is_the_saved_one(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	struct err e;
	size_t n = 0;
	struct db *d1, *d2;

	fill(f, 150); /* more than two batches */
	export_all(f->st1, &one);
	write_file(f->file, buf_cstr(&one), one.len);
	assert_int_equal(json_import(f->st2, f->file, &n, &e), E_OK);
	assert_int_equal(n, 150);
	d1 = open_db(f->db1);
	d2 = open_db(f->db2);
	/* row for row on SQLite; PostgreSQL's string_agg joins a review's
	 * children in no set order, so there the searches below compare */
	if (db_kind(d2) == DB_SQLITE) {
		dump_table(d1, "review_fts", &a);
		dump_table(d2, "review_fts", &b);
		assert_true(a.len > 0);
		assert_string_equal(buf_cstr(&a), buf_cstr(&b));
		assert_int_equal(db_exec(d2,
					 "INSERT INTO review_fts (review_fts) "
					 "VALUES ('integrity-check')"),
				 DB_OK);
	}
	db_close(d1);
	db_close(d2);
	/* and search finds as many in the copy as in the original */
	{
		struct search_query q = {.q = "\"edited title\""};
		struct search_hit *hits;
		size_t nh;
		int64_t t1 = 0, t2 = 0;

		assert_int_equal(store_search(f->st1, f->a, &q, &hits, &nh,
					      &t1, &e),
				 E_OK);
		assert_int_equal(store_search(f->st2, f->a, &q, &hits, &nh,
					      &t2, &e),
				 E_OK);
		assert_true(t1 >= 30);
		assert_int_equal(t1, t2);
	}
	buf_release(&one);
	buf_release(&a);
	buf_release(&b);
}

static void test_round_trip_is_byte_identical(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT, two = BUF_INIT;
	struct err e;
	size_t n = 0;

	fill(f, 25);
	export_all(f->st1, &one);
	write_file(f->file, buf_cstr(&one), one.len);
	assert_int_equal(json_import(f->st2, f->file, &n, &e), E_OK);
	assert_int_equal(n, 25);
	export_all(f->st2, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(buf_cstr(&one), buf_cstr(&two), one.len);
	/* no secrets leave */
	assert_null(strstr(buf_cstr(&one), "argon2"));
	assert_null(strstr(buf_cstr(&one), "password"));
	/* deleted records and revisions are in it */
	assert_non_null(strstr(buf_cstr(&one), "\"deleted_at\""));
	assert_non_null(strstr(buf_cstr(&one), "\"action\":\"delete\""));
	/* the copy works as a store: search and ids */
	{
		struct review_doc doc;
		assert_int_equal(store_review_get(f->st2, f->a, 3, 0, &doc, &e),
				 E_OK);
		assert_string_equal(record_str(doc.review, REVIEW_TITLE),
				    "edited title");
		assert_int_equal(doc.children[CHILD_TAG].n, 2);
	}
	buf_release(&one);
	buf_release(&two);
}

static void test_one_review_export_is_the_same_object(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT, one = BUF_INIT;
	struct json_export_opts o = {.only_id = 2, .include_deleted = 1};
	struct err e;
	const char *line;

	fill(f, 3);
	export_all(f->st1, &all);
	assert_int_equal(json_export(f->st1, &o, to_buf, &one, &e), E_OK);
	/* the second line of each is review 2's object */
	line = strstr(buf_cstr(&one), "\n{\"id\":2,");
	assert_non_null(line);
	{
		const char *end = strchr(line + 1, '\n');
		size_t n = (size_t)(end - line);
		assert_non_null(strstr(buf_cstr(&all), "\n{\"id\":2,"));
		assert_memory_equal(strstr(buf_cstr(&all), "\n{\"id\":2,"),
				    line, n);
	}
	assert_null(strstr(buf_cstr(&one), "\"users\""));
	o.only_id = 99;
	assert_int_equal(json_export(f->st1, &o, to_buf, &one, &e),
			 E_NOT_FOUND);
	buf_release(&all);
	buf_release(&one);
}

static void test_a_reader_exports_only_what_it_sees(void **state)
{
	struct fx *f = *state;
	struct viewer outsider = {0, "[\"elsewhere\"]"},
		      member = {0, "[\"grp-1\"]"};
	struct json_export_opts o = {.viewer = &outsider};
	struct buf b = BUF_INIT;
	struct err e;

	fill(f, 2); /* review 1 restricted to grp-1, review 2 to grp-2 */
	fill_tables(f);
	assert_int_equal(json_export(f->st1, &o, to_buf, &b, &e), E_OK);
	assert_null(strstr(buf_cstr(&b), "{\"id\":1,"));
	assert_null(strstr(buf_cstr(&b), "{\"id\":2,"));
	buf_reset(&b);
	o.viewer = &member;
	assert_int_equal(json_export(f->st1, &o, to_buf, &b, &e), E_OK);
	assert_non_null(strstr(buf_cstr(&b), "\n{\"id\":1,"));
	assert_null(strstr(buf_cstr(&b), "\n{\"id\":2,"));
	/* its chat and links, but not who read it, nor what is not a
	 * review's (glossary, roster, drafts, accounts) */
	assert_non_null(strstr(buf_cstr(&b), "the disk filled up"));
	assert_non_null(strstr(buf_cstr(&b), "\"inbound_links\":[{"));
	assert_null(strstr(buf_cstr(&b), "\"reads\""));
	assert_null(strstr(buf_cstr(&b), "glossary_terms"));
	assert_null(strstr(buf_cstr(&b), "half written"));
	assert_null(strstr(buf_cstr(&b), "\"users\""));
	o.only_id = 2;
	assert_int_equal(json_export(f->st1, &o, to_buf, &b, &e),
			 E_NOT_FOUND);
	buf_release(&b);
}

static int64_t count_reviews(struct store *st)
{
	struct review_counts c;
	struct review_filter fl = {0};
	struct err e;

	assert_int_equal(store_review_counts(st, &fl, &c, &e), E_OK);
	return c.total;
}

static void expect_refused(struct fx *f, const char *text, enum err_code code,
			   const char *words)
{
	struct err e;

	write_file(f->file, text, strlen(text));
	assert_int_equal(json_import(f->st2, f->file, NULL, &e), code);
	assert_non_null(strstr(e.message, f->file));
	if (!strstr(e.message, words))
		fail_msg("\"%s\" lacks \"%s\"", e.message, words);
	assert_int_equal(count_reviews(f->st2), 0);
}

static void test_bad_files_are_refused_and_nothing_imported(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT;
	char *dup;
	const char *second;

	expect_refused(f, "{\"debrief_export\":1,\"reviews\":[\n{\"id\":1,",
		       E_BAD_REQUEST, ":2:");
	expect_refused(f, "{\"something\":\"else\"}", E_BAD_REQUEST,
		       "not a debrief JSON export");
	expect_refused(f, "{\"debrief_export\":1,\"reviews\":[\"\xff\"]}",
		       E_BAD_REQUEST, "UTF-8");
	/* what the parser refuses besides syntax: an overlong form (yajl
	 * alone lets it through), NUL in a string, a key given twice */
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[\"\xc0\xaf\"]}",
		       E_BAD_REQUEST, "UTF-8");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[\"a\\u0000\"]}",
		       E_BAD_REQUEST, "\\u0000");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[\n\n{\"id\":1,"
		       "\"id\":2}]}",
		       E_BAD_REQUEST, ":3: duplicate object key");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[{\"id\":1,"
		       "\"version\":1,\"title\":\"x\",\"kind\":\"incident\","
		       "\"status\":\"draft\",\"started_at\":\"yesterday\","
		       "\"created_at\":\"2026-01-01T00:00:00Z\","
		       "\"updated_at\":\"2026-01-01T00:00:00Z\"}]}",
		       E_BAD_REQUEST, "started_at");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[{\"id\":1,"
		       "\"version\":1,\"title\":\"x\",\"kind\":\"meteor\","
		       "\"status\":\"draft\","
		       "\"created_at\":\"2026-01-01T00:00:00Z\","
		       "\"updated_at\":\"2026-01-01T00:00:00Z\"}]}",
		       E_INVALID, "kind");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[\n{\"id\":1,"
		       "\"version\":1,\"title\":\"x\",\"kind\":\"incident\","
		       "\"status\":\"draft\","
		       "\"created_at\":\"2026-01-01T00:00:00Z\","
		       "\"updated_at\":\"2026-01-01T00:00:00Z\","
		       "\"reads\":[{\"id\":1,\"review_id\":1,\"reader\":\"bob\","
		       "\"at\":\"yesterday\",\"month\":202601}]}]}",
		       E_INVALID, ":2: reviews[0]: review_reads[0]");
	/* a review given twice: the second line is the first review again */
	fill(f, 2);
	export_all(f->st1, &one);
	second = strstr(buf_cstr(&one), "\n{\"id\":2,");
	assert_non_null(second);
	dup = strdup(buf_cstr(&one));
	memcpy(dup + (second - buf_cstr(&one)), "\n{\"id\":1,", 9);
	/* named by file and line, and nothing of review 1 stays */
	expect_refused(f, dup, E_INVALID,
		       ":3: reviews[1]: review 1 is given twice");
	free(dup);
	/* a user given twice, a glossary row given twice: named by the
	 * line of their list (line 4: "],\"users\":[" after two reviews) */
	dup = strdup(buf_cstr(&one));
	memcpy(strstr(dup, "{\"id\":2,\"name\":\"bob\""), "{\"id\":1", 7);
	expect_refused(f, dup, E_INVALID, ":4: user 1 (bob) is given twice");
	free(dup);
	{
		const char *g = strstr(buf_cstr(&one), "\"glossary_terms\":[]");
		struct buf t = BUF_INIT;

		assert_non_null(g);
		buf_append(&t, buf_cstr(&one), (size_t)(g - buf_cstr(&one)));
		buf_puts(&t, "\"glossary_terms\":[{\"id\":1,\"term\":\"a\","
			     "\"definition\":\"b\",\"created_at\":1,"
			     "\"updated_at\":1},{\"id\":1,\"term\":\"c\","
			     "\"definition\":\"d\",\"created_at\":1,"
			     "\"updated_at\":1}]");
		buf_puts(&t, g + strlen("\"glossary_terms\":[]"));
		expect_refused(f, buf_cstr(&t), E_INVALID,
			       "glossary_terms: a row is given twice");
		buf_release(&t);
	}
	buf_release(&one);
}

/* A ticket of a follow-up that is not in the file: the import refuses
 * it by name (the review, the ticket, its follow-up) and nothing of the
 * file stays, the reviews before it included (store_import defers the
 * database's own reference checks to the commit on SQLite). */
static void test_a_ticket_of_a_missing_followup_is_refused(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT;
	char *bad, *at;

	fill(f, 3);
	fill_tables(f);
	export_all(f->st1, &one);
	bad = strdup(buf_cstr(&one));
	at = strstr(bad, "\"followup_id\":");
	assert_non_null(at);
	at += strlen("\"followup_id\":");
	/* the same number of digits: the rest of the file stays put */
	while (*at >= '0' && *at <= '9')
		*at++ = '9';
	expect_refused(f, bad, E_INVALID, "followup_id");
	{
		struct err e;

		write_file(f->file, bad, strlen(bad));
		assert_int_not_equal(json_import(f->st2, f->file, NULL, &e),
				     E_OK);
		if (!strstr(e.message, "reviews[0]: ") ||
		    !strstr(e.message, "ticket") ||
		    !strstr(e.message, "no follow-up"))
			fail_msg("%s", e.message);
	}
	free(bad);
	buf_release(&one);
}

/* The import reads the file through a window (JSON_READ_WINDOW): a
 * value that reaches the window's end is read on in the next one. "1" at the window's end is the start of "10" (a format this
 * debrief does not read), not format 1. */
static void test_a_value_at_the_read_window_end_is_read_whole(void **state)
{
	struct fx *f = *state;
	const char *key = "\"debrief_export\":";
	struct buf t = BUF_INIT;
	size_t at = JSON_READ_WINDOW - 1; /* where "1" falls */

	buf_puts(&t, "{");
	while (t.len < at - strlen(key))
		buf_puts(&t, " ");
	buf_puts(&t, key);
	assert_int_equal(t.len, at);
	buf_puts(&t, "10,\"reviews\":[]}");
	expect_refused(f, buf_cstr(&t), E_BAD_REQUEST, "export format");
	/* and a string cut by the window's end, inside a character, reads
	 * whole */
	buf_reset(&t);
	/* (in the definition: PostgreSQL cannot index a term this long) */
	buf_puts(&t, "{\"debrief_export\":1,\"users\":[],\"audit\":[],"
		     "\"glossary_terms\":[{\"id\":1,\"term\":\"t\","
		     "\"definition\":\"");
	while (t.len < JSON_READ_WINDOW - 1)
		buf_puts(&t, "w");
	buf_puts(&t, "\xe2\x9c\x93 "); /* U+2713 cut after its first byte */
	while (t.len < JSON_READ_WINDOW + 100)
		buf_puts(&t, "word ");
	buf_puts(&t, "end\",\"created_at\":1,"
		     "\"updated_at\":1}],\"reviews\":[]}");
	{
		struct err e;

		write_file(f->file, buf_cstr(&t), t.len);
		if (json_import(f->st2, f->file, NULL, &e) != E_OK)
			fail_msg("%s", e.message);
	}
	buf_release(&t);
}

static void test_import_refuses_a_database_that_is_not_empty(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT;
	struct err e;

	fill(f, 2);
	export_all(f->st1, &one);
	write_file(f->file, buf_cstr(&one), one.len);
	assert_int_equal(json_import(f->st1, f->file, NULL, &e), E_CONFLICT);
	assert_non_null(strstr(e.message, "not empty"));
	assert_int_equal(count_reviews(f->st1), 2 - 0); /* live ones */
	buf_release(&one);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip_is_byte_identical),
		T(test_every_table_comes_back_row_for_row),
		T(test_search_index_of_an_import_is_the_saved_one),
		T(test_every_per_review_read_uses_an_index),
		T(test_one_review_export_is_the_same_object),
		T(test_a_reader_exports_only_what_it_sees),
		T(test_bad_files_are_refused_and_nothing_imported),
		T(test_import_refuses_a_database_that_is_not_empty),
		T(test_a_value_at_the_read_window_end_is_read_whole),
		T(test_a_ticket_of_a_missing_followup_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
