/* test_store.c: the store conformance suite. Written against store.h only,
 * so that every backend (SQLite today, PostgreSQL later) runs the same
 * tests. Each test gets a fresh database in a temp directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/facilitator.h"
#include "model/record.h"
#include "model/review.h"
#include "model/ticket.h"
#include "store/db.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/metrics.h"
#include "util/timeutil.h"
#include "test_db.h"

#define T0 1700000000 /* 2023-11-14T22:13:20Z */

struct fx {
	char dir[64];
	char path[256];
	struct store *st;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (test_db_url(f->path, sizeof f->path, f->dir) < 0)
		return -1;
	f->a = arena_new();
	if (!f->a || store_open(f->path, &f->st, &e) != E_OK) {
		fprintf(stderr, "store_open: %s\n", e.message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[300];
	static const char *const suffix[] = {"", "-wal", "-shm"};

	store_close(f->st);
	arena_free(f->a);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static struct record *review_rec(struct arena *a, const char *title)
{
	struct record *r = record_new(a, &review_def);

	record_set_str(r, REVIEW_TITLE, title);
	record_fill_defaults(a, r);
	return r;
}

static int64_t create(struct fx *f, struct record *r)
{
	struct review_doc doc = {0};
	struct err e;
	int64_t id = 0;

	doc.review = r;
	assert_int_equal(
		store_review_create(f->st, f->a, "alice", &doc, &id, &e), E_OK);
	assert_true(id > 0);
	return id;
}

static int64_t create_titled(struct fx *f, const char *title)
{
	return create(f, review_rec(f->a, title));
}

static struct record *timeline_rec(struct arena *a, int64_t at,
				   const char *text)
{
	struct record *r = record_new(a, &timeline_def);

	record_set_int(r, TL_AT, at);
	record_set_str(r, TL_TEXT, text);
	record_fill_defaults(a, r);
	return r;
}

static struct record *followup_rec(struct arena *a, const char *title,
				   const char *status)
{
	struct record *r = record_new(a, &followup_def);

	record_set_str(r, FU_TITLE, title);
	if (status)
		record_set_str(r, FU_STATUS, status);
	record_fill_defaults(a, r);
	return r;
}

static struct record *tag_rec(struct arena *a, const char *name)
{
	struct record *r = record_new(a, &tag_def);

	record_set_str(r, TAG_NAME, name);
	return r;
}

static void list_of(struct arena *a, struct record_list *l, size_t n, ...)
{
	va_list ap;

	l->n = n;
	l->items = arena_alloc(a, sizeof *l->items * (n ? n : 1));
	assert_non_null(l->items);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		l->items[i] = va_arg(ap, struct record *);
	va_end(ap);
}

static struct review_doc get(struct fx *f, int64_t id)
{
	struct review_doc doc;
	struct err e;

	assert_int_equal(store_review_get(f->st, f->a, id, 0, &doc, &e), E_OK);
	return doc;
}

static int64_t version_of(struct fx *f, int64_t id)
{
	int64_t v = -1;

	assert_int_equal(store_review_version(f->st, id, &v, NULL), E_OK);
	return v;
}

static int64_t list_total(struct fx *f, const struct review_filter *flt)
{
	struct record_list l;
	int64_t total = -1;
	struct err e;

	assert_int_equal(
		store_review_list(f->st, f->a, flt, &l, NULL, &total, &e),
		E_OK);
	assert_true((int64_t)l.n <= total);
	return total;
}

static const struct change *find_change(const struct revision *rv,
					const char *field)
{
	for (size_t i = 0; i < rv->nchanges; i++)
		if (!strcmp(rv->changes[i].field, field))
			return &rv->changes[i];
	return NULL;
}

/* ---- opening ---------------------------------------------------------- */

static void test_open_applies_migrations(void **state)
{
	struct fx *f = *state;
	int v = 0;

	assert_int_equal(store_schema_version(f->st, &v, NULL), E_OK);
	assert_true(v >= 1);
}

static void test_reopen_keeps_schema_version_and_data(void **state)
{
	struct fx *f = *state;
	int v1 = 0, v2 = 0;
	int64_t id = create_titled(f, "Survives a restart");
	struct review_doc doc;

	assert_int_equal(store_schema_version(f->st, &v1, NULL), E_OK);
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, NULL), E_OK);
	assert_int_equal(store_schema_version(f->st, &v2, NULL), E_OK);
	assert_int_equal(v1, v2);
	doc = get(f, id);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE),
			    "Survives a restart");
}

static void test_open_accepts_sqlite_url(void **state)
{
	struct fx *f = *state;
	char url[300];
	struct store *st = NULL;
	int64_t id = create_titled(f, "Via URL");
	struct review_doc doc;

	if (test_on_pg())
		skip(); /* a SQLite URL */
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	assert_int_equal(store_open(url, &st, NULL), E_OK);
	assert_int_equal(store_review_get(st, f->a, id, 0, &doc, NULL), E_OK);
	store_close(st);
}

static void test_open_in_missing_directory_fails_with_message(void **state)
{
	struct store *st = (struct store *)1;
	struct err e;

	(void)state;
	assert_int_not_equal(store_open("/nonexistent-dir/x/y.db", &st, &e),
			     E_OK);
	assert_null(st);
	assert_true(strlen(e.message) > 0);
}

/* A PostgreSQL that cannot be reached is "unavailable" (503 to a
 * request, try again), not a broken store. */
static void test_open_unreachable_postgres_is_unavailable(void **state)
{
	struct store *st = (struct store *)1;
	struct err e;

	(void)state;
	assert_int_equal(store_open("postgres://nobody@127.0.0.1:1/none", &st,
				    &e),
			 E_UNAVAILABLE);
	assert_null(st);
	assert_true(strlen(e.message) > 0);
}

/* pool_mode (debrief's own URL parameter, for PgBouncer) is session or
 * transaction; anything else is refused before connecting, by name. */
static void test_open_with_bad_pool_mode_names_it(void **state)
{
	struct store *st = (struct store *)1;
	struct err e;

	(void)state;
	assert_int_equal(
		store_open("postgres://nobody@127.0.0.1:1/none?pool_mode=bogus",
			   &st, &e),
		E_STORE);
	assert_null(st);
	assert_non_null(strstr(e.message, "pool_mode"));
	/* a parameter libpq does not know is a mistake in the URL, not a
	 * database away */
	assert_int_equal(store_open("postgres://nobody@127.0.0.1:1/none?"
				    "no_such_parameter=1",
				    &st, &e),
			 E_STORE);
	assert_non_null(strstr(e.message, "no_such_parameter"));
	/* a good value is taken out of the URL before libpq reads it, and
	 * the rest goes on to connect (and meets the closed port) */
	assert_int_equal(store_open("postgres://nobody@127.0.0.1:1/none?"
				    "connect_timeout=2&pool_mode=transaction",
				    &st, &e),
			 E_UNAVAILABLE);
}

/* ---- create and get --------------------------------------------------- */

static void test_create_and_get_round_trip_every_review_field(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Checkout latency");
	const char *services[] = {"checkout", "payments"};
	struct review_doc doc;
	int64_t id;

	record_set_str(r, REVIEW_KIND, "near-miss");
	record_set_int(r, REVIEW_SEVERITY, 2);
	record_set_str(r, REVIEW_STATUS, "reviewed");
	record_set_int(r, REVIEW_STARTED_AT, T0);
	record_set_int(r, REVIEW_DETECTED_AT, T0 + 60);
	record_set_int(r, REVIEW_FIRST_STATUS_AT, T0 + 120);
	record_set_int(r, REVIEW_MITIGATED_AT, T0 + 600);
	record_set_int(r, REVIEW_RESOLVED_AT, T0 + 3600);
	record_set_str(r, REVIEW_SUMMARY, "Line one\n\n* a \"quoted\" item\n");
	record_set_str(r, REVIEW_TLDR,
		       "Unicode: \xc3\xa9t\xc3\xa9 \xe2\x9c\x93");
	record_set_str(r, REVIEW_WENT_WELL, "<script>alert(1)</script>");
	record_set_list(r, REVIEW_SERVICES, services, 2);
	record_set_str(r, REVIEW_OWNER_TEAM, "Payments");
	id = create(f, r);

	doc = get(f, id);
	assert_int_equal(doc.review->id, id);
	assert_int_equal(doc.review->version, 1);
	assert_true(doc.review->created_at > 0);
	assert_int_equal(doc.review->deleted_at, 0);
	for (int i = 0; i < REVIEW_NFIELDS; i++) {
		assert_int_equal(record_isset(doc.review, i),
				 record_isset(r, i));
		assert_string_equal(record_value_text(f->a, doc.review, i),
				    record_value_text(f->a, r, i));
	}
	assert_int_equal(record_int(doc.review, REVIEW_STARTED_AT, 0), T0);
	assert_int_equal(doc.review->v[REVIEW_SERVICES].nitems, 2);
	assert_string_equal(doc.review->v[REVIEW_SERVICES].items[1],
			    "payments");
	assert_false(record_isset(doc.review, REVIEW_IMPACT));
	for (int k = 0; k < CHILD_COUNT; k++)
		assert_int_equal(doc.children[k].n, 0);
}

static void test_create_fills_defaults(void **state)
{
	struct fx *f = *state;
	struct record *r = record_new(f->a, &review_def);
	struct review_doc doc;

	record_set_str(r, REVIEW_TITLE, "Only a title");
	doc = get(f, create(f, r));
	assert_string_equal(record_str(doc.review, REVIEW_KIND), "incident");
	assert_string_equal(record_str(doc.review, REVIEW_STATUS), "draft");
}

/* On PostgreSQL a review and its children are read in few round trips
 * (db_run_together: the child lists in one pipeline; BEGIN sent with the
 * first statement): it was 18, one per list, BEGIN and COMMIT. */
static void test_get_reads_children_in_few_round_trips(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Few trips");
	struct review_doc in = {0}, doc;
	uint64_t before;
	int64_t id;

	if (!test_on_pg())
		skip(); /* SQLite has no round trips */
	in.review = r;
	list_of(f->a, &in.children[CHILD_TIMELINE], 2,
		timeline_rec(f->a, T0 + 300, "Rolled back"),
		timeline_rec(f->a, T0, "Alert fired"));
	list_of(f->a, &in.children[CHILD_TAG], 1, tag_rec(f->a, "db"));
	assert_int_equal(store_review_create(f->st, f->a, "alice", &in, &id,
					     NULL),
			 E_OK);
	(void)get(f, id); /* statements prepared */
	before = metrics_value(METRIC_STORE_ROUND_TRIPS);
	doc = get(f, id);
	/* the review and its lists in one pipeline; a read-only
	 * transaction sends no BEGIN and no COMMIT (db_pg.c, plain_read) */
	assert_int_equal(metrics_value(METRIC_STORE_ROUND_TRIPS) - before, 1);
	assert_int_equal(doc.children[CHILD_TIMELINE].n, 2);
	assert_string_equal(record_str(doc.children[CHILD_TIMELINE].items[0],
				       TL_TEXT),
			    "Alert fired");
	assert_int_equal(doc.children[CHILD_TAG].n, 1);
	assert_int_equal(doc.children[CHILD_FOLLOWUP].n, 0);
}

/* A review's update on PostgreSQL: BEGIN and tx_write's SAVEPOINT go with
 * the row's lock, the row and its revision in one pipeline, RELEASE with
 * the search row's rewrite, then COMMIT: 4 round trips (8 before the
 * deferred SAVEPOINT and RELEASE, the gate read from the row written and
 * the revision sent with the row). */
static void test_update_in_few_round_trips(void **state)
{
	struct fx *f = *state;
	struct record *patch;
	uint64_t before;
	int64_t id, nv = 0;

	if (!test_on_pg())
		skip(); /* SQLite has no round trips */
	id = create(f, review_rec(f->a, "Few trips to write"));
	for (int i = 0; i < 2; i++) { /* the first prepares statements */
		patch = record_new(f->a, &review_def);
		record_set_str(patch, REVIEW_TLDR, i ? "second" : "first");
		before = metrics_value(METRIC_STORE_ROUND_TRIPS);
		assert_int_equal(store_review_update(f->st, f->a, "bob", id,
						     1 + i, patch, &nv, NULL),
				 E_OK);
		assert_int_equal(nv, 2 + i);
	}
	assert_true(metrics_value(METRIC_STORE_ROUND_TRIPS) - before <= 4);
	assert_string_equal(record_str(get(f, id).review, REVIEW_TLDR),
			    "second");
}

/* sql_step prepares, steps once and finalizes sql (a write, as the store
 * writes: a prepared statement); the step's code. */
static int sql_step(struct db *db, const char *sql)
{
	struct db_stmt *s = NULL;
	int rc;

	assert_int_equal(db_prepare(db, sql, &s), DB_OK);
	rc = db_step(s);
	db_finalize(s);
	return rc;
}

/* db_with opens the test's database alone (no store) and makes a table
 * in it with create. */
static struct db *db_with(struct fx *f, const char *create)
{
	struct db *db = NULL;
	char msg[256];

	assert_int_equal(db_open(f->path, 0, &db, msg, sizeof msg), DB_OK);
	assert_int_equal(db_exec(db, create), DB_OK);
	return db;
}

/* On PostgreSQL a read inside a transaction runs without a savepoint
 * (db_pg.c): when it fails the transaction is aborted, and the COMMIT
 * that follows says so instead of answering OK for a transaction the
 * server rolled back. A failed write still runs under its savepoint: the
 * transaction goes on, as on SQLite. */
/* A statement in a transaction that journals more than the 4 MB kept in
 * memory on an import's connection (temp_store = FILE) spills its journal
 * to a file in one write per 4 MB chunk; SQLite's unix layer wrote 128 KB
 * of it and the statement failed with "database or disk is full". */
static void test_large_statement_journal_spills_to_its_file(void **state)
{
	struct fx *f = *state;
	struct db *db = NULL;
	char msg[256];

	if (test_on_pg())
		skip(); /* a SQLite journal */
	assert_int_equal(db_open(f->path, 0, &db, msg, sizeof msg), DB_OK);
	assert_int_equal(
		db_exec(db, "PRAGMA temp_store = FILE;"
			    "CREATE TABLE t_sj (x TEXT CHECK (length(x) > 0));"
			    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
			    "SELECT i + 1 FROM c WHERE i < 3000) "
			    "INSERT INTO t_sj SELECT hex(randomblob(1500)) "
			    "FROM c"),
		DB_OK);
	/* the second UPDATE changes pages the first made dirty, so its
	 * journal (a CHECK may abort it) holds all 9 MB of them */
	assert_int_equal(db_exec(db, "BEGIN;"
				     "UPDATE t_sj SET x = x || 'a';"
				     "UPDATE t_sj SET x = x || 'b';"
				     "COMMIT"),
			 DB_OK);
	assert_int_equal(sql_step(db, "SELECT 1 WHERE (SELECT count(*) FROM "
				      "t_sj WHERE substr(x, -2) = 'ab') = 3000"),
			 DB_ROW);
	/* a temporary table's rollback journal spills the same way */
	assert_int_equal(db_exec(db, "CREATE TEMP TABLE t_tj AS "
				     "SELECT x FROM t_sj;"
				     "BEGIN;"
				     "UPDATE t_tj SET x = x || 'c';"
				     "COMMIT"),
			 DB_OK);
	db_close(db);
}

static void test_failed_read_fails_commit(void **state)
{
	struct fx *f = *state;
	struct db *db = NULL;

	if (!test_on_pg())
		skip(); /* SQLite fails the statement only */
	db = db_with(f, "CREATE TABLE t_sp (id INTEGER PRIMARY KEY, "
			"v TEXT UNIQUE)");
	/* a failed write: its savepoint keeps the transaction */
	assert_int_equal(db_exec(db, "BEGIN"), DB_OK);
	assert_int_equal(sql_step(db, "INSERT INTO t_sp VALUES (1, 'a')"),
			 DB_DONE);
	assert_int_not_equal(sql_step(db, "INSERT INTO t_sp VALUES (2, 'a')"),
			     DB_DONE);
	assert_int_equal(sql_step(db, "INSERT INTO t_sp VALUES (3, 'c')"),
			 DB_DONE);
	assert_int_equal(db_exec(db, "COMMIT"), DB_OK);
	/* a failed read: the transaction is over, and so is its insert */
	assert_int_equal(db_exec(db, "BEGIN"), DB_OK);
	assert_int_equal(sql_step(db, "INSERT INTO t_sp VALUES (4, 'd')"),
			 DB_DONE);
	assert_int_not_equal(sql_step(db, "SELECT 1 / (id - 1) FROM t_sp "
					  "WHERE id = 1"),
			     DB_ROW);
	assert_int_not_equal(db_exec(db, "COMMIT"), DB_OK);
	db_exec(db, "ROLLBACK");
	assert_int_equal(sql_step(db, "SELECT 1 FROM t_sp WHERE id = 4"),
			 DB_DONE);
	assert_int_equal(sql_step(db, "SELECT 1 FROM t_sp WHERE id = 3"),
			 DB_ROW);
	db_close(db);
}

/* On PostgreSQL the store's SAVEPOINT and RELEASE go with the next
 * statement (db_pg.c, defer). A RELEASE that then fails (its transaction
 * was aborted by a failed read the store went past) must not let a
 * ROLLBACK TO the same name bring the transaction back: it would undo the
 * write the RELEASE ended, already answered as done, and commit the rest.
 * Either the RELEASE fails, or the ROLLBACK TO does; the COMMIT fails and
 * nothing is kept. */
/* The driver's transactions are at read committed whatever the
 * session's default: the store's plain reads before a transaction's first
 * write run outside it (db_pg.c), which is the same only there. */
static void test_transactions_are_read_committed(void **state)
{
	struct fx *f = *state;
	struct db *db = NULL;
	struct db_stmt *s;

	if (!test_on_pg())
		skip(); /* SQLite's transactions are serializable */
	db = db_with(f, "CREATE TABLE t_iso (level TEXT)");
	assert_int_equal(db_exec(db, "SET default_transaction_isolation = "
				     "'serializable'"),
			 DB_OK);
	assert_int_equal(db_exec(db, "BEGIN"), DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO t_iso SELECT "
				     "current_setting('transaction_isolation')"),
			 DB_OK);
	assert_int_equal(db_exec(db, "COMMIT"), DB_OK);
	assert_int_equal(db_prepare(db, "SELECT level FROM t_iso", &s), DB_OK);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_column_text(s, 0), "read committed");
	db_finalize(s);
	db_close(db);
}

/* hold_row: another server's writer of facilitator id: it bumps the
 * row's version in a transaction, says so, and commits a moment later. */
struct hold {
	const char *path;
	int64_t id;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int locked;
};

static void *hold_row(void *arg)
{
	struct hold *h = arg;
	struct db *db = NULL;
	char msg[256], sql[128];
	int ok = db_open(h->path, 0, &db, msg, sizeof msg) == DB_OK;

	snprintf(sql, sizeof sql,
		 "UPDATE facilitators SET version = version + 1 WHERE id = %lld",
		 (long long)h->id);
	/* the UPDATE is a write: BEGIN is sent with it, the row is locked */
	ok = ok && db_exec(db, "BEGIN") == DB_OK && db_exec(db, sql) == DB_OK;
	pthread_mutex_lock(&h->mu);
	h->locked = ok ? 1 : -1;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	usleep(300 * 1000);
	if (ok)
		db_exec(db, "COMMIT");
	if (db)
		db_close(db);
	return NULL;
}

/* Two servers changing one facilitator with the same version: the second
 * waits for the first's row lock and then answers 409; before, it read the
 * old version, passed, and overwrote the first's change. */
static void test_facilitator_version_holds_across_servers(void **state)
{
	struct fx *f = *state;
	struct record *r, *out, *patch;
	struct hold h = {f->path, 0, PTHREAD_MUTEX_INITIALIZER,
			 PTHREAD_COND_INITIALIZER, 0};
	pthread_t th;
	struct err e;

	if (!test_on_pg())
		skip(); /* SQLite: one writer at a time, the file's lock */
	assert_non_null(r = record_new(f->a, &facilitator_def));
	record_set_str(r, FAC_NAME, "Ada");
	assert_int_equal(store_facilitator_write(f->st, f->a, 0, 0, r, 0, &out,
						 &e),
			 E_OK);
	h.id = out->id;
	assert_int_equal(pthread_create(&th, NULL, hold_row, &h), 0);
	pthread_mutex_lock(&h.mu);
	while (!h.locked)
		pthread_cond_wait(&h.cv, &h.mu);
	pthread_mutex_unlock(&h.mu);
	assert_int_equal(h.locked, 1);
	assert_non_null(patch = record_new(f->a, &facilitator_def));
	record_set_str(patch, FAC_NAME, "Ada L.");
	assert_int_equal(store_facilitator_write(f->st, f->a, out->id,
						 out->version, patch, 0, &r,
						 &e),
			 E_CONFLICT);
	assert_int_equal(e.current_version, out->version + 1);
	pthread_join(th, NULL);
}

static void test_deferred_release_that_fails_loses_the_transaction(void **state)
{
	/* prepared first, as the store's are: nothing is prepared in an
	 * aborted transaction */
	static const char *const sql[] = {
		"SAVEPOINT w",
		"INSERT INTO t_dr VALUES (1)",
		"SELECT 1 / (id - 1) FROM t_dr",
		"RELEASE w",
		"INSERT INTO t_dr VALUES (2)",
		"ROLLBACK TO w",
	};
	enum {
		SP,
		INS1,
		BAD,
		REL,
		INS2,
		RB,
		NSQL
	};
	struct fx *f = *state;
	struct db *db = NULL;
	struct db_stmt *s[NSQL];
	int rel, rb;

	if (!test_on_pg())
		skip(); /* SQLite fails the statement only */
	db = db_with(f, "CREATE TABLE t_dr (id INTEGER PRIMARY KEY)");
	for (int i = 0; i < NSQL; i++)
		assert_int_equal(db_prepare(db, sql[i], &s[i]), DB_OK);
#define STEP(k) (db_reset(s[k]), db_step(s[k]))
	assert_int_equal(db_exec(db, "BEGIN"), DB_OK);
	/* the first write, under its savepoint w; a read fails after it */
	assert_int_equal(STEP(SP), DB_DONE);
	assert_int_equal(STEP(INS1), DB_DONE);
	assert_int_not_equal(STEP(BAD), DB_ROW);
	rel = STEP(REL);
	/* the second write fails, and is undone to its savepoint */
	assert_int_equal(STEP(SP), DB_DONE);
	assert_int_not_equal(STEP(INS2), DB_DONE);
	rb = STEP(RB);
	assert_false(rel == DB_DONE && rb == DB_DONE);
	(void)STEP(REL);
#undef STEP
	assert_int_not_equal(db_exec(db, "COMMIT"), DB_OK);
	db_exec(db, "ROLLBACK");
	for (int i = 0; i < NSQL; i++)
		db_finalize(s[i]);
	assert_int_equal(sql_step(db, "SELECT 1 FROM t_dr"), DB_DONE);
	db_close(db);
}

/* On PostgreSQL a batch of writes (db_run_together) that fails is not run
 * again statement by statement: each statement reports the batch's
 * error, and none of the batch is kept (it was rolled back whole; run
 * again alone, the first insert succeeded and stayed). */
static void test_failed_write_batch_is_not_run_again(void **state)
{
	struct fx *f = *state;
	struct db *db = NULL;
	struct db_stmt *s[2] = {NULL, NULL};

	if (!test_on_pg())
		skip(); /* SQLite runs each statement alone */
	db = db_with(f, "CREATE TABLE t_wb (id INTEGER PRIMARY KEY, "
			"v TEXT UNIQUE)");
	assert_int_equal(db_exec(db, "INSERT INTO t_wb VALUES (1, 'a')"),
			 DB_OK);
	assert_int_equal(db_exec(db, "BEGIN"), DB_OK);
	assert_int_equal(
		db_prepare(db, "INSERT INTO t_wb VALUES (2, 'b')", &s[0]),
		DB_OK);
	assert_int_equal(
		db_prepare(db, "INSERT INTO t_wb VALUES (3, 'a')", &s[1]),
		DB_OK);
	db_run_together(s, 2);
	assert_int_not_equal(db_step(s[0]), DB_DONE);
	assert_int_not_equal(db_step(s[1]), DB_DONE);
	db_finalize(s[0]);
	db_finalize(s[1]);
	/* the transaction goes on (the batch's savepoint), without it */
	assert_int_equal(sql_step(db, "INSERT INTO t_wb VALUES (4, 'd')"),
			 DB_DONE);
	assert_int_equal(db_exec(db, "COMMIT"), DB_OK);
	assert_int_equal(sql_step(db, "SELECT 1 FROM t_wb WHERE id = 2"),
			 DB_DONE);
	assert_int_equal(sql_step(db, "SELECT 1 FROM t_wb WHERE id = 4"),
			 DB_ROW);
	db_close(db);
}

/* On PostgreSQL plain reads before a transaction's first write run
 * outside it, before the BEGIN (db_pg.c, pipe). When a batch of them
 * fails, each is stepped alone and reports its own error, as outside a
 * transaction: the BEGIN not sent yet made the batch count as inside one,
 * and the read that was fine failed too. The transaction goes on. */
static void
test_failed_read_batch_before_the_first_write_is_stepped_alone(void **state)
{
	struct fx *f = *state;
	struct db *db = NULL;
	struct db_stmt *s[2] = {NULL, NULL};

	if (!test_on_pg())
		skip(); /* SQLite runs each statement alone */
	db = db_with(f, "CREATE TABLE t_rb (id INTEGER PRIMARY KEY)");
	assert_int_equal(db_exec(db, "INSERT INTO t_rb VALUES (1)"), DB_OK);
	/* prepared first, as the store's are (a prepare after BEGIN sends it) */
	assert_int_equal(db_prepare(db, "SELECT id FROM t_rb", &s[0]), DB_OK);
	assert_int_equal(db_prepare(db, "SELECT 1 / (id - 1) FROM t_rb", &s[1]),
			 DB_OK);
	assert_int_equal(db_exec(db, "BEGIN"), DB_OK);
	db_run_together(s, 2);
	assert_int_equal(db_step(s[0]), DB_ROW);
	assert_int_equal(db_column_int64(s[0], 0), 1);
	assert_int_not_equal(db_step(s[1]), DB_ROW);
	db_finalize(s[0]);
	db_finalize(s[1]);
	assert_int_equal(sql_step(db, "INSERT INTO t_rb VALUES (2)"), DB_DONE);
	assert_int_equal(db_exec(db, "COMMIT"), DB_OK);
	assert_int_equal(sql_step(db, "SELECT 1 FROM t_rb WHERE id = 2"),
			 DB_ROW);
	db_close(db);
}

static void
test_create_with_children_round_trips_every_child_field(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "With children");
	struct record *t1 = timeline_rec(f->a, T0 + 300, "Rolled back");
	struct record *t2 = timeline_rec(f->a, T0, "Alert fired");
	struct record *fu = followup_rec(f->a, "Add a canary", "in-progress");
	struct record *fa = record_new(f->a, &factor_def);
	struct record *pe = record_new(f->a, &person_def);
	struct record *li = record_new(f->a, &link_def);
	struct review_doc in = {0}, doc;
	struct err e;
	int64_t id;

	record_set_int(t1, TL_APPROXIMATE, 1);
	record_set_int(t1, TL_DISPUTED, 1);
	record_set_str(t1, TL_KIND, "action");
	record_set_str(t1, TL_ACTOR, "bob");
	record_set_str(t1, TL_SOURCE, "https://chat.example/1");
	record_set_str(t1, TL_CONTEXT, "The deploy looked like the cause");
	record_set_str(t1, TL_PERSPECTIVE, "on-call");
	record_set_str(fu, FU_DUE, "2026-12-01");
	record_set_str(fu, FU_AIM, "detect");
	record_set_str(fu, FU_HORIZON, "long");
	record_set_str(fu, FU_TICKET, "OPS-12");
	record_set_str(fa, FACTOR_TEXT, "Config drift");
	record_set_str(fa, FACTOR_KIND, "trigger");
	record_set_str(pe, PERSON_NAME, "Carol");
	record_set_str(pe, PERSON_ROLE, "facilitator");
	record_set_str(li, LINK_URL, "https://dash.example/x");
	record_set_str(li, LINK_KIND, "dashboard");
	record_set_str(li, LINK_COMMENT, "Latency panel");
	in.review = r;
	list_of(f->a, &in.children[CHILD_TIMELINE], 2, t1, t2);
	list_of(f->a, &in.children[CHILD_FOLLOWUP], 1, fu);
	list_of(f->a, &in.children[CHILD_FACTOR], 1, fa);
	list_of(f->a, &in.children[CHILD_PERSON], 1, pe);
	list_of(f->a, &in.children[CHILD_LINK], 1, li);
	list_of(f->a, &in.children[CHILD_TAG], 2, tag_rec(f->a, "db"),
		tag_rec(f->a, "deploy"));
	assert_int_equal(
		store_review_create(f->st, f->a, "alice", &in, &id, &e), E_OK);

	doc = get(f, id);
	assert_int_equal(doc.review->version, 1);
	assert_int_equal(doc.children[CHILD_TIMELINE].n, 2);
	/* sorted by time, not by insertion */
	assert_string_equal(
		record_str(doc.children[CHILD_TIMELINE].items[0], TL_TEXT),
		"Alert fired");
	{
		struct record *g = doc.children[CHILD_TIMELINE].items[1];
		assert_int_equal(g->review_id, id);
		assert_int_equal(g->version, 1);
		for (int i = 0; i < TL_NFIELDS; i++)
			assert_string_equal(record_value_text(f->a, g, i),
					    record_value_text(f->a, t1, i));
		g = doc.children[CHILD_TIMELINE].items[0];
		assert_int_equal(record_int(g, TL_APPROXIMATE, -1), 0);
	}
	assert_int_equal(doc.children[CHILD_FOLLOWUP].n, 1);
	for (int i = 0; i < FU_NFIELDS; i++)
		assert_string_equal(
			record_value_text(
				f->a, doc.children[CHILD_FOLLOWUP].items[0], i),
			record_value_text(f->a, fu, i));
	assert_string_equal(
		record_str(doc.children[CHILD_FACTOR].items[0], FACTOR_TEXT),
		"Config drift");
	assert_string_equal(
		record_str(doc.children[CHILD_PERSON].items[0], PERSON_ROLE),
		"facilitator");
	assert_string_equal(
		record_str(doc.children[CHILD_LINK].items[0], LINK_COMMENT),
		"Latency panel");
	assert_int_equal(doc.children[CHILD_TAG].n, 2);
	assert_string_equal(
		record_str(doc.children[CHILD_TAG].items[0], TAG_NAME), "db");
}

static void
test_create_invalid_review_is_invalid_and_stores_nothing(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "x");
	struct review_doc doc = {0};
	struct err e;
	int64_t id = 0;

	record_set_null(r, REVIEW_TITLE);
	doc.review = r;
	assert_int_equal(store_review_create(f->st, f->a, "a", &doc, &id, &e),
			 E_INVALID);
	assert_string_equal(e.field, "title");
	assert_int_equal(list_total(f, NULL), 0);
}

static void
test_create_with_invalid_child_names_it_and_stores_nothing(void **state)
{
	struct fx *f = *state;
	struct record *bad = timeline_rec(f->a, T0, "no time");
	struct review_doc doc = {0};
	struct err e;
	int64_t id = 0;

	record_set_null(bad, TL_AT);
	doc.review = review_rec(f->a, "Has a bad entry");
	list_of(f->a, &doc.children[CHILD_TIMELINE], 2,
		timeline_rec(f->a, T0, "fine"), bad);
	assert_int_equal(store_review_create(f->st, f->a, "a", &doc, &id, &e),
			 E_INVALID);
	assert_string_equal(e.field, "timeline[1].at");
	assert_int_equal(list_total(f, NULL), 0);
}

static void test_get_unknown_id_is_not_found(void **state)
{
	struct fx *f = *state;
	struct review_doc doc;
	struct err e;
	int64_t v;

	assert_int_equal(store_review_get(f->st, f->a, 999, 0, &doc, &e),
			 E_NOT_FOUND);
	assert_null(doc.review);
	assert_int_equal(store_review_version(f->st, 999, &v, &e), E_NOT_FOUND);
}

/* ---- update ----------------------------------------------------------- */

static void test_update_applies_patch_and_bumps_version(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Before");
	struct record *patch = record_new(f->a, &review_def);
	struct review_doc doc;
	struct err e;
	int64_t id, nv = 0;

	record_set_int(r, REVIEW_SEVERITY, 3);
	record_set_str(r, REVIEW_SUMMARY, "kept");
	id = create(f, r);
	record_set_str(patch, REVIEW_TITLE, "After");
	record_set_null(patch, REVIEW_SEVERITY);
	assert_int_equal(
		store_review_update(f->st, f->a, "bob", id, 1, patch, &nv, &e),
		E_OK);
	assert_int_equal(nv, 2);
	doc = get(f, id);
	assert_int_equal(doc.review->version, 2);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "After");
	assert_false(record_isset(doc.review, REVIEW_SEVERITY));
	assert_string_equal(record_str(doc.review, REVIEW_SUMMARY), "kept");
	assert_int_equal(version_of(f, id), 2);
}

static void
test_update_with_stale_version_is_conflict_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "Original");
	struct review_doc doc;
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "First edit");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 1, patch, NULL, &e),
		E_OK);
	record_set_str(patch, REVIEW_TITLE, "Second edit from a stale page");
	assert_int_equal(
		store_review_update(f->st, f->a, "b", id, 1, patch, NULL, &e),
		E_CONFLICT);
	assert_int_equal(e.current_version, 2);
	doc = get(f, id);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "First edit");
	assert_int_equal(doc.review->version, 2);
}

static void
test_update_that_breaks_a_rule_is_invalid_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Times");
	struct record *patch = record_new(f->a, &review_def);
	struct review_doc doc;
	struct err e;
	int64_t id;

	record_set_int(r, REVIEW_STARTED_AT, T0);
	id = create(f, r);
	record_set_int(patch, REVIEW_RESOLVED_AT, T0 - 60);
	record_set_str(patch, REVIEW_TITLE, "Would change");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, &e),
		E_INVALID);
	assert_string_equal(e.field, "resolved_at");
	doc = get(f, id);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "Times");
	assert_int_equal(doc.review->version, 1);
}

static void test_update_without_changes_keeps_version(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "Same"), nv = 0;
	struct revision *revs;
	size_t n;

	record_set_str(patch, REVIEW_TITLE, "Same");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 1, patch, &nv, NULL),
		E_OK);
	assert_int_equal(nv, 1);
	assert_int_equal(store_revision_list(f->st, f->a, id, &revs, &n, NULL),
			 E_OK);
	assert_int_equal(n, 1);
}

static void test_update_unknown_review_is_not_found(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "x");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", 4242, 0, patch, NULL, &e),
		E_NOT_FOUND);
}

/* ---- delete and restore ----------------------------------------------- */

static void test_delete_hides_review_and_restore_brings_it_back(void **state)
{
	struct fx *f = *state;
	struct review_filter deleted = {0};
	int64_t id = create_titled(f, "Short-lived"), v;
	struct review_doc doc;
	struct err e;

	create_titled(f, "Stays");
	assert_int_equal(store_review_delete(f->st, f->a, "a", id, 1, &e),
			 E_OK);
	assert_int_equal(store_review_get(f->st, f->a, id, 0, &doc, &e),
			 E_NOT_FOUND);
	assert_int_equal(store_review_version(f->st, id, &v, &e), E_NOT_FOUND);
	assert_int_equal(list_total(f, NULL), 1);
	deleted.deleted = 1;
	assert_int_equal(list_total(f, &deleted), 1);
	assert_int_equal(store_review_get(f->st, f->a, id, 1, &doc, &e), E_OK);
	assert_true(doc.review->deleted_at > 0);
	assert_int_equal(doc.review->version, 2);

	assert_int_equal(store_review_restore(f->st, f->a, "a", id, &e), E_OK);
	doc = get(f, id);
	assert_int_equal(doc.review->deleted_at, 0);
	assert_int_equal(doc.review->version, 3);
	assert_int_equal(list_total(f, NULL), 2);
	assert_int_equal(list_total(f, &deleted), 0);
}

/* generation_of reads the store's generation, failing the test on error. */
static int64_t generation_of(struct fx *f)
{
	int64_t g = -1;

	assert_int_equal(store_generation(f->st, &g, NULL), E_OK);
	return g;
}

static void test_generation_moves_with_every_kind_of_write(void **state)
{
	struct fx *f = *state;
	int64_t g0 = generation_of(f), g, id, child;
	struct record *patch;

	id = create_titled(f, "Generation");
	g = generation_of(f);
	assert_true(g > g0);
	assert_int_equal(generation_of(f), g); /* a read does not move it */

	patch = record_new(f->a, &review_def);
	record_set_int(patch, REVIEW_SEVERITY, 2);
	assert_int_equal(store_review_update(f->st, f->a, "a", id, 0, patch,
					     NULL, NULL), E_OK);
	assert_true(generation_of(f) > g);
	g = generation_of(f);

	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TAG, id,
					    tag_rec(f->a, "db"), &child, NULL,
					    NULL), E_OK);
	assert_true(generation_of(f) > g);
	g = generation_of(f);

	assert_int_equal(store_review_delete(f->st, f->a, "a", id, 0, NULL),
			 E_OK);
	assert_true(generation_of(f) > g);
	g = generation_of(f);
	assert_int_equal(store_review_restore(f->st, f->a, "a", id, NULL), E_OK);
	assert_true(generation_of(f) > g);
}

static void test_delete_with_stale_version_is_conflict(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "x");
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "y");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, NULL),
		E_OK);
	assert_int_equal(store_review_delete(f->st, f->a, "a", id, 1, &e),
			 E_CONFLICT);
	assert_int_equal(e.current_version, 2);
	assert_int_equal(version_of(f, id), 2);
}

static void test_deleted_review_cannot_be_updated_or_deleted_again(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "x");
	struct err e;

	assert_int_equal(store_review_delete(f->st, f->a, "a", id, 0, &e),
			 E_OK);
	record_set_str(patch, REVIEW_TITLE, "y");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, &e),
		E_NOT_FOUND);
	assert_int_equal(store_review_delete(f->st, f->a, "a", id, 0, &e),
			 E_NOT_FOUND);
	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TAG, id,
					    tag_rec(f->a, "t"), NULL, NULL, &e),
			 E_NOT_FOUND);
}

static void test_restore_of_live_review_changes_nothing(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Live");
	struct err e;

	assert_int_equal(store_review_restore(f->st, f->a, "a", id, &e), E_OK);
	assert_int_equal(version_of(f, id), 1);
	assert_int_equal(store_review_restore(f->st, f->a, "a", 777, &e),
			 E_NOT_FOUND);
}

/* ---- children --------------------------------------------------------- */

static void test_child_writes_bump_review_and_child_versions(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Parent"), cid = 0, rv = 0;
	struct record *t = timeline_rec(f->a, T0, "first");
	struct record *patch = record_new(f->a, &timeline_def);
	struct record *upd = NULL, *got;
	struct record_list l;
	struct err e;

	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TIMELINE,
					    id, t, &cid, &rv, &e),
			 E_OK);
	assert_true(cid > 0);
	assert_int_equal(rv, 2);
	assert_int_equal(t->id, cid);
	assert_int_equal(t->version, 1);
	assert_int_equal(version_of(f, id), 2);

	record_set_str(patch, TL_TEXT, "first, corrected");
	assert_int_equal(store_child_update(f->st, f->a, "a", CHILD_TIMELINE,
					    id, cid, 1, patch, &upd, &rv, &e),
			 E_OK);
	assert_int_equal(rv, 3);
	assert_non_null(upd);
	assert_int_equal(upd->version, 2);
	assert_int_equal(
		store_child_get(f->st, f->a, CHILD_TIMELINE, id, cid, &got, &e),
		E_OK);
	assert_string_equal(record_str(got, TL_TEXT), "first, corrected");
	assert_int_equal(record_int(got, TL_AT, 0), T0);
	assert_int_equal(got->version, 2);

	assert_int_equal(store_child_delete(f->st, f->a, "a", CHILD_TIMELINE,
					    id, cid, 2, &rv, &e),
			 E_OK);
	assert_int_equal(rv, 4);
	assert_int_equal(version_of(f, id), 4);
	assert_int_equal(
		store_child_get(f->st, f->a, CHILD_TIMELINE, id, cid, &got, &e),
		E_NOT_FOUND);
	assert_int_equal(
		store_child_list(f->st, f->a, CHILD_TIMELINE, id, &l, &e),
		E_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(get(f, id).children[CHILD_TIMELINE].n, 0);
}

static void test_child_update_with_stale_version_is_conflict(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Parent"), cid;
	struct record *patch = record_new(f->a, &followup_def);
	struct record *got;
	struct err e;

	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, followup_rec(f->a, "Fix", NULL),
					    &cid, NULL, &e),
			 E_OK);
	record_set_str(patch, FU_STATUS, "done");
	assert_int_equal(store_child_update(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, cid, 1, patch, NULL, NULL, &e),
			 E_OK);
	record_set_str(patch, FU_STATUS, "wont-do");
	assert_int_equal(store_child_update(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, cid, 1, patch, NULL, NULL, &e),
			 E_CONFLICT);
	assert_int_equal(e.current_version, 2);
	assert_int_equal(store_child_delete(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, cid, 1, NULL, &e),
			 E_CONFLICT);
	assert_int_equal(
		store_child_get(f->st, f->a, CHILD_FOLLOWUP, id, cid, &got, &e),
		E_OK);
	assert_string_equal(record_str(got, FU_STATUS), "done");
	assert_int_equal(version_of(f, id), 3);
}

static void
test_child_update_invalid_is_invalid_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Parent"), cid;
	struct record *patch = record_new(f->a, &followup_def);
	struct record *got;
	struct err e;

	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, followup_rec(f->a, "Fix", NULL),
					    &cid, NULL, &e),
			 E_OK);
	record_set_str(patch, FU_STATUS, "maybe");
	record_set_str(patch, FU_TITLE, "changed");
	assert_int_equal(store_child_update(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, cid, 0, patch, NULL, NULL, &e),
			 E_INVALID);
	assert_string_equal(e.field, "status");
	assert_int_equal(
		store_child_get(f->st, f->a, CHILD_FOLLOWUP, id, cid, &got, &e),
		E_OK);
	assert_string_equal(record_str(got, FU_TITLE), "Fix");
	assert_int_equal(version_of(f, id), 2);
}

static void test_child_create_invalid_is_invalid_and_bumps_nothing(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Parent");
	struct record *t = timeline_rec(f->a, T0, "x");
	struct err e;

	record_set_null(t, TL_TEXT);
	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TIMELINE,
					    id, t, NULL, NULL, &e),
			 E_INVALID);
	assert_string_equal(e.field, "text");
	assert_int_equal(version_of(f, id), 1);
}

static void test_child_of_another_review_is_not_found(void **state)
{
	struct fx *f = *state;
	int64_t a = create_titled(f, "A"), b = create_titled(f, "B"), cid;
	struct record *patch = record_new(f->a, &tag_def);
	struct record *got;
	struct err e;

	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TAG, a,
					    tag_rec(f->a, "x"), &cid, NULL, &e),
			 E_OK);
	assert_int_equal(
		store_child_get(f->st, f->a, CHILD_TAG, b, cid, &got, &e),
		E_NOT_FOUND);
	record_set_str(patch, TAG_NAME, "y");
	assert_int_equal(store_child_update(f->st, f->a, "a", CHILD_TAG, b, cid,
					    0, patch, NULL, NULL, &e),
			 E_NOT_FOUND);
	assert_int_equal(store_child_delete(f->st, f->a, "a", CHILD_TAG, b, cid,
					    0, NULL, &e),
			 E_NOT_FOUND);
	assert_int_equal(
		store_child_get(f->st, f->a, CHILD_FOLLOWUP, a, cid, &got, &e),
		E_NOT_FOUND);
	assert_int_equal(version_of(f, b), 1);
}

static void test_child_list_of_unknown_review_is_not_found(void **state)
{
	struct fx *f = *state;
	struct record_list l;
	struct err e;

	assert_int_equal(
		store_child_list(f->st, f->a, CHILD_LINK, 31337, &l, &e),
		E_NOT_FOUND);
}

static void test_timeline_list_is_sorted_by_time(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Parent");
	static const int64_t at[] = {T0 + 50, T0 + 10, T0 + 30};
	struct record_list l;

	for (int i = 0; i < 3; i++)
		assert_int_equal(
			store_child_create(f->st, f->a, "a", CHILD_TIMELINE, id,
					   timeline_rec(f->a, at[i], "e"), NULL,
					   NULL, NULL),
			E_OK);
	assert_int_equal(
		store_child_list(f->st, f->a, CHILD_TIMELINE, id, &l, NULL),
		E_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(record_int(l.items[0], TL_AT, 0), T0 + 10);
	assert_int_equal(record_int(l.items[2], TL_AT, 0), T0 + 50);
}

static void
test_same_tag_twice_is_invalid_but_allowed_after_delete(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "Tagged"), cid;
	struct err e;

	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TAG, id,
					    tag_rec(f->a, "db"), &cid, NULL,
					    &e),
			 E_OK);
	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TAG, id,
					    tag_rec(f->a, "db"), NULL, NULL,
					    &e),
			 E_INVALID);
	assert_string_equal(e.field, "name");
	assert_int_equal(version_of(f, id), 2);
	assert_int_equal(store_child_delete(f->st, f->a, "a", CHILD_TAG, id,
					    cid, 0, NULL, &e),
			 E_OK);
	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_TAG, id,
					    tag_rec(f->a, "db"), NULL, NULL,
					    &e),
			 E_OK);
}

/* ---- revisions -------------------------------------------------------- */

static void test_revisions_record_who_what_and_field_diffs(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "Old title"), cid;
	struct revision *revs;
	const struct change *ch;
	size_t n;
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "New title");
	record_set_int(patch, REVIEW_SEVERITY, 4);
	assert_int_equal(
		store_review_update(f->st, f->a, "bob", id, 1, patch, NULL, &e),
		E_OK);
	assert_int_equal(store_child_create(f->st, f->a, "carol",
					    CHILD_TIMELINE, id,
					    timeline_rec(f->a, T0, "hello"),
					    &cid, NULL, &e),
			 E_OK);
	assert_int_equal(store_child_delete(f->st, f->a, "dave", CHILD_TIMELINE,
					    id, cid, 0, NULL, &e),
			 E_OK);
	assert_int_equal(store_review_delete(f->st, f->a, "erin", id, 0, &e),
			 E_OK);
	assert_int_equal(store_review_restore(f->st, f->a, "erin", id, &e),
			 E_OK);

	assert_int_equal(store_revision_list(f->st, f->a, id, &revs, &n, &e),
			 E_OK);
	assert_int_equal(n, 6);
	/* newest first */
	assert_string_equal(revs[0].action, "restore");
	assert_int_equal(revs[0].review_version, 6);
	assert_string_equal(revs[1].action, "delete");
	assert_string_equal(revs[1].record_kind, "review");
	assert_string_equal(revs[2].action, "delete");
	assert_string_equal(revs[2].record_kind, "timeline");
	assert_string_equal(revs[2].actor, "dave");
	assert_int_equal(revs[2].record_id, cid);
	assert_string_equal(revs[3].action, "create");
	assert_string_equal(revs[3].record_kind, "timeline");
	assert_int_equal(revs[3].review_version, 3);
	ch = find_change(&revs[3], "text");
	assert_non_null(ch);
	assert_string_equal(ch->old_text, "");
	assert_string_equal(ch->new_text, "hello");

	assert_string_equal(revs[4].action, "update");
	assert_string_equal(revs[4].actor, "bob");
	assert_int_equal(revs[4].review_version, 2);
	assert_int_equal(revs[4].record_id, id);
	assert_int_equal(revs[4].nchanges, 2);
	ch = find_change(&revs[4], "title");
	assert_non_null(ch);
	assert_string_equal(ch->old_text, "Old title");
	assert_string_equal(ch->new_text, "New title");
	ch = find_change(&revs[4], "severity");
	assert_non_null(ch);
	assert_string_equal(ch->old_text, "");
	assert_string_equal(ch->new_text, "4");
	assert_true(revs[4].at > 0);

	assert_string_equal(revs[5].action, "create");
	assert_string_equal(revs[5].actor, "alice");
	assert_int_equal(revs[5].review_version, 1);
	assert_non_null(find_change(&revs[5], "title"));
}

static void test_revisions_of_unknown_review_is_not_found(void **state)
{
	struct fx *f = *state;
	struct revision *revs;
	size_t n;

	assert_int_equal(
		store_revision_list(f->st, f->a, 5555, &revs, &n, NULL),
		E_NOT_FOUND);
}

/* Pages of history count saves (review versions), newest first, and the
 * cursor is the version: the next page starts below the oldest shown. */
static void test_revision_pages_hold_whole_saves(void **state)
{
	struct fx *f = *state;
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "Paged"), cid;
	struct revision_page pg;
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "Paged twice"); /* v2 */
	assert_int_equal(
		store_review_update(f->st, f->a, "bob", id, 1, patch, NULL, &e),
		E_OK);
	assert_int_equal(store_child_create(f->st, f->a, "carol", /* v3 */
					    CHILD_TIMELINE, id,
					    timeline_rec(f->a, T0, "hello"),
					    &cid, NULL, &e),
			 E_OK);
	assert_int_equal(store_revision_page(f->st, f->a, id, 0, 2, &pg, &e),
			 E_OK);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.total, 3);
	assert_int_equal(pg.revs[0].review_version, 3);
	assert_int_equal(pg.revs[1].review_version, 2);
	assert_int_equal(pg.older_than, 2);
	assert_int_equal(store_revision_page(f->st, f->a, id, pg.older_than, 2,
					     &pg, &e),
			 E_OK);
	assert_int_equal(pg.n, 1);
	assert_string_equal(pg.revs[0].action, "create");
	assert_int_equal(pg.older_than, 0);
	assert_int_equal(store_revision_page(f->st, f->a, id, 1, 2, &pg, &e),
			 E_OK);
	assert_int_equal(pg.n, 0);
	assert_int_equal(pg.total, 3);
}

/* ---- lists, filters, counts, search ------------------------------------ */

static int64_t create_full(struct fx *f, const char *title, const char *kind,
			   int severity, const char *status, int64_t started,
			   const char *service, const char *tag)
{
	struct record *r = review_rec(f->a, title);
	struct review_doc doc = {0};
	int64_t id;

	if (kind)
		record_set_str(r, REVIEW_KIND, kind);
	if (severity)
		record_set_int(r, REVIEW_SEVERITY, severity);
	if (status)
		record_set_str(r, REVIEW_STATUS, status);
	if (started)
		record_set_int(r, REVIEW_STARTED_AT, started);
	if (service) {
		const char **items = arena_alloc(f->a, sizeof *items * 2);
		items[0] = service;
		items[1] = "shared";
		record_set_list(r, REVIEW_SERVICES, items, 2);
	}
	doc.review = r;
	if (tag)
		list_of(f->a, &doc.children[CHILD_TAG], 1, tag_rec(f->a, tag));
	assert_int_equal(store_review_create(f->st, f->a, "a", &doc, &id, NULL),
			 E_OK);
	return id;
}

static void seed(struct fx *f)
{
	create_full(f, "Database failover", "incident", 1, "published",
		    T0 + 100, "db", "storage");
	create_full(f, "Almost lost the queue", "near-miss", 3, "draft",
		    T0 + 200, "queue", "storage");
	create_full(f, "Smooth launch", "success", 0, "reviewed", T0 + 300,
		    "web", NULL);
	create_full(f, "Chaos day", "game-day", 2, "draft", T0 + 400, "db",
		    "chaos");
}

static void test_list_filters_by_each_field(void **state)
{
	struct fx *f = *state;
	struct review_filter flt;

	seed(f);
	memset(&flt, 0, sizeof flt);
	assert_int_equal(list_total(f, &flt), 4);
	flt.kind = "near-miss";
	assert_int_equal(list_total(f, &flt), 1);
	memset(&flt, 0, sizeof flt);
	flt.severity = 2;
	assert_int_equal(list_total(f, &flt), 1);
	memset(&flt, 0, sizeof flt);
	flt.status = "draft";
	assert_int_equal(list_total(f, &flt), 2);
	memset(&flt, 0, sizeof flt);
	flt.tag = "storage";
	assert_int_equal(list_total(f, &flt), 2);
	memset(&flt, 0, sizeof flt);
	flt.service = "db";
	assert_int_equal(list_total(f, &flt), 2);
	flt.service = "shared";
	assert_int_equal(list_total(f, &flt), 4);
	flt.service = "d"; /* whole names only */
	assert_int_equal(list_total(f, &flt), 0);
	memset(&flt, 0, sizeof flt);
	flt.from = T0 + 200;
	assert_int_equal(list_total(f, &flt), 3);
	flt.to = T0 + 300;
	assert_int_equal(list_total(f, &flt), 2);
	flt.from = 0;
	assert_int_equal(list_total(f, &flt), 3);
	memset(&flt, 0, sizeof flt);
	flt.status = "draft";
	flt.tag = "storage";
	assert_int_equal(list_total(f, &flt), 1);
	flt.kind = "incident";
	assert_int_equal(list_total(f, &flt), 0);
}

static void test_tag_filter_ignores_deleted_tags(void **state)
{
	struct fx *f = *state;
	struct review_filter flt = {0};
	int64_t id = create_full(f, "x", NULL, 0, NULL, 0, NULL, "gone");
	struct review_doc doc = get(f, id);

	flt.tag = "gone";
	assert_int_equal(list_total(f, &flt), 1);
	assert_int_equal(
		store_child_delete(f->st, f->a, "a", CHILD_TAG, id,
				   doc.children[CHILD_TAG].items[0]->id, 0,
				   NULL, NULL),
		E_OK);
	assert_int_equal(list_total(f, &flt), 0);
}

static void test_list_is_newest_first_and_paginates_with_total(void **state)
{
	struct fx *f = *state;
	struct review_filter flt = {0};
	struct record_list l;
	int64_t total, ids[7];

	for (int i = 0; i < 7; i++)
		ids[i] = create_full(f, "r", NULL, 0, NULL, T0 + i * 10, NULL,
				     NULL);
	flt.limit = 3;
	assert_int_equal(
		store_review_list(f->st, f->a, &flt, &l, NULL, &total, NULL),
		E_OK);
	assert_int_equal(total, 7);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.items[0]->id, ids[6]);
	assert_int_equal(l.items[2]->id, ids[4]);
	flt.offset = 6;
	assert_int_equal(
		store_review_list(f->st, f->a, &flt, &l, NULL, &total, NULL),
		E_OK);
	assert_int_equal(total, 7);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0]->id, ids[0]);
	flt.offset = 100;
	assert_int_equal(
		store_review_list(f->st, f->a, &flt, &l, NULL, &total, NULL),
		E_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(total, 7);
}

static void test_list_without_start_time_orders_by_creation(void **state)
{
	struct fx *f = *state;
	struct record_list l;
	int64_t old = create_full(f, "old", NULL, 0, NULL, T0, NULL, NULL);
	int64_t fresh = create_titled(f, "no start time: created now");

	assert_int_equal(
		store_review_list(f->st, f->a, NULL, &l, NULL, NULL, NULL),
		E_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0]->id, fresh);
	assert_int_equal(l.items[1]->id, old);
}

static void test_list_returns_review_fields_and_tags(void **state)
{
	struct fx *f = *state;
	struct review_doc doc = {0};
	struct record_list l, *tags;
	int64_t id;

	doc.review = review_rec(f->a, "Tagged twice");
	list_of(f->a, &doc.children[CHILD_TAG], 2, tag_rec(f->a, "b"),
		tag_rec(f->a, "a"));
	assert_int_equal(store_review_create(f->st, f->a, "a", &doc, &id, NULL),
			 E_OK);
	create_titled(f, "No tags");
	assert_int_equal(
		store_review_list(f->st, f->a, NULL, &l, &tags, NULL, NULL),
		E_OK);
	assert_int_equal(l.n, 2);
	assert_non_null(tags);
	assert_int_equal(l.items[1]->id, id);
	assert_string_equal(record_str(l.items[1], REVIEW_TITLE),
			    "Tagged twice");
	assert_int_equal(tags[1].n, 2);
	assert_string_equal(record_str(tags[1].items[0], TAG_NAME), "b");
	assert_int_equal(tags[0].n, 0);
}

/* tag_names joins the names of l's tags with commas, in order. */
static const char *tag_names(struct arena *a, const struct record_list *l)
{
	char *out = arena_alloc(a, 64 * (l->n + 1));

	assert_non_null(out);
	out[0] = 0;
	for (size_t i = 0; i < l->n; i++) {
		strcat(out, i ? "," : "");
		strcat(out, record_str(l->items[i], TAG_NAME));
	}
	return out;
}

/* A page of more reviews than one statement reads (a batch of ids:
 * rows and tags are read a batch at a time, issue 21): each row and its
 * live tags as the review itself has them, in the list's order, whether
 * it has none, a tag others share, its own too, or had one deleted. */
static void test_list_page_reads_each_reviews_row_and_tags(void **state)
{
	struct fx *f = *state;
	struct review_filter flt = {.limit = 130};
	struct record_list l, *tags;
	int64_t ids[120], total = 0, prev_key = INT64_MAX, prev_id = 0;

	for (int i = 0; i < 120; i++) {
		struct review_doc doc = {0};
		char *title = arena_alloc(f->a, 32),
		     *own = arena_alloc(f->a, 32);

		snprintf(title, 32, "Review %d", i);
		snprintf(own, 32, "own-%d", i);
		doc.review = review_rec(f->a, title);
		if (i % 3 == 1)
			list_of(f->a, &doc.children[CHILD_TAG], 1,
				tag_rec(f->a, "shared"));
		else if (i % 3 == 2)
			list_of(f->a, &doc.children[CHILD_TAG], 2,
				tag_rec(f->a, own), tag_rec(f->a, "shared"));
		assert_int_equal(store_review_create(f->st, f->a, "a", &doc,
						     &ids[i], NULL),
				 E_OK);
	}
	{ /* review 5 loses its shared tag */
		struct review_doc doc = get(f, ids[5]);
		struct record_list *t = &doc.children[CHILD_TAG];

		for (size_t k = 0; k < t->n; k++)
			if (!strcmp(record_str(t->items[k], TAG_NAME),
				    "shared"))
				assert_int_equal(
					store_child_delete(f->st, f->a, "a",
							   CHILD_TAG, ids[5],
							   t->items[k]->id,
							   t->items[k]->version,
							   NULL, NULL),
					E_OK);
	}
	assert_int_equal(
		store_review_list(f->st, f->a, &flt, &l, &tags, &total, NULL),
		E_OK);
	assert_int_equal(l.n, 120);
	assert_int_equal(total, 120);
	for (size_t i = 0; i < l.n; i++) {
		struct review_doc doc = get(f, l.items[i]->id);
		int64_t key = record_int(l.items[i], REVIEW_STARTED_AT,
					 l.items[i]->created_at);

		/* newest first, each once */
		assert_true(key < prev_key ||
			    (key == prev_key && l.items[i]->id < prev_id));
		prev_key = key;
		prev_id = l.items[i]->id;
		assert_string_equal(record_str(l.items[i], REVIEW_TITLE),
				    record_str(doc.review, REVIEW_TITLE));
		assert_int_equal(l.items[i]->version, doc.review->version);
		assert_string_equal(tag_names(f->a, &tags[i]),
				    tag_names(f->a, &doc.children[CHILD_TAG]));
		for (size_t k = 0; k < tags[i].n; k++)
			assert_int_equal(tags[i].items[k]->review_id,
					 l.items[i]->id);
	}
	assert_string_equal(tag_names(f->a, &tags[120 - 1 - 5]), "own-5");
	assert_string_equal(tag_names(f->a, &tags[120 - 1 - 3]), "");
	assert_string_equal(tag_names(f->a, &tags[120 - 1 - 4]), "shared");
}

/* store_review_list_counts (the index page's one read) says what
 * store_review_list and store_review_counts say, for a search too (its
 * words looked up once), capped or not. */
static void test_list_counts_equal_list_and_counts(void **state)
{
	struct fx *f = *state;
	struct review_filter flts[3] = {{.limit = 2},
					{.limit = 2, .q = "review"},
					{.limit = 2, .offset = 2, .q = "rev"}};
	int capped = -1, capped2 = -1;

	seed(f);
	for (int i = 0; i < 12; i++) {
		struct review_doc doc = {0};
		int64_t id;

		doc.review = review_rec(f->a, i % 2 ? "A review" : "Another");
		list_of(f->a, &doc.children[CHILD_TAG], 1,
			tag_rec(f->a, i % 4 ? "x" : "y"));
		assert_int_equal(
			store_review_create(f->st, f->a, "a", &doc, &id, NULL),
			E_OK);
	}
	flts[2].count_cap = 1;
	for (int k = 0; k < 3; k++) {
		struct record_list l1, l2, *t1, *t2;
		struct review_counts c1, c2;

		flts[k].capped = &capped;
		assert_int_equal(store_review_list(f->st, f->a, &flts[k], &l1,
						   &t1, NULL, NULL),
				 E_OK);
		assert_int_equal(
			store_review_counts(f->st, &flts[k], &c1, NULL), E_OK);
		flts[k].capped = &capped2;
		assert_int_equal(store_review_list_counts(f->st, f->a, &flts[k],
							  &l2, &t2, &c2, NULL),
				 E_OK);
		assert_int_equal(capped2, capped);
		assert_int_equal(capped, k == 2);
		assert_memory_equal(&c1, &c2, sizeof c1);
		assert_true(c1.total > 0);
		assert_int_equal(l1.n, l2.n);
		assert_int_equal(l1.n, 2);
		for (size_t i = 0; i < l1.n; i++) {
			assert_int_equal(l1.items[i]->id, l2.items[i]->id);
			assert_string_equal(tag_names(f->a, &t1[i]),
					    tag_names(f->a, &t2[i]));
		}
	}
}

/* A list read again prepares no statement: each connection keeps the ones
 * it prepared (conn_stmt), the search's spelling of its words too
 * (fts_terms' seeks of the vocabulary, which it prepared for every word:
 * issue 21), whatever the filter. */
static void test_repeated_list_and_search_prepare_nothing(void **state)
{
	struct fx *f = *state;
	struct review_filter flts[] = {
		{.limit = 2},
		{.limit = 2, .q = "review"},
		{.limit = 2, .q = "rev anoth", .count_cap = 1},
		{.limit = 2, .offset = 2, .q = "review", .tag = "x"},
		{.limit = 2, .kind = "incident", .q = "nothing-here"},
	};

	seed(f);
	for (int i = 0; i < 6; i++)
		create_titled(f, i % 2 ? "A review" : "Another review");
	for (size_t k = 0; k < sizeof flts / sizeof flts[0]; k++) {
		long before = 0;

		for (int round = 0; round < 3; round++) {
			struct record_list l, *t;
			struct review_counts c;

			if (round == 2)
				before = store_statements_prepared(f->st);
			assert_int_equal(store_review_list_counts(
						 f->st, f->a, &flts[k], &l, &t,
						 &c, NULL),
					 E_OK);
			assert_int_equal(
				store_review_list(f->st, f->a, &flts[k], &l,
						  NULL, &c.total, NULL),
				E_OK);
		}
		assert_true(before > 0);
		assert_int_equal(store_statements_prepared(f->st), before);
	}
}

/* The overdue reviews are walked from the oldest resolution; only the
 * first titled read their title (the index's notice names 3 of up to 99,
 * and each title is a read of the review's row: issue 21). */
static void test_overdue_reads_only_the_titles_asked_for(void **state)
{
	struct fx *f = *state;
	struct overdue_row *rows;
	int64_t ids[5];
	size_t n;
	int more;

	for (int i = 0; i < 5; i++) {
		struct record *r = review_rec(f->a, i % 2 ? "Odd" : "Even");

		record_set_int(r, REVIEW_RESOLVED_AT, T0 + i);
		ids[i] = create(f, r);
	}
	create_titled(f, "Not resolved");
	assert_int_equal(store_overdue_first(f->st, f->a, NULL, T0 + 100,
					     T0 + 100, 4, 2, &rows, &n, &more,
					     NULL),
			 E_OK);
	assert_int_equal(n, 4);
	assert_true(more);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rows[i].id, ids[i]);
		assert_int_equal(rows[i].resolved_at, T0 + (int64_t)i);
		if (i < 2)
			assert_string_equal(rows[i].title,
					    i % 2 ? "Odd" : "Even");
		else
			assert_null(rows[i].title);
	}
	/* more titles asked for than rows: all of them */
	assert_int_equal(store_overdue_first(f->st, f->a, NULL, T0 + 100,
					     T0 + 100, 10, 10, &rows, &n,
					     &more, NULL),
			 E_OK);
	assert_int_equal(n, 5);
	assert_false(more);
	assert_string_equal(rows[4].title, "Even");
	/* titles read a batch of 20 a statement: 45 cross two bounds */
	{
		int64_t many[45];
		char t[32];

		for (int i = 0; i < 40; i++) {
			struct record *r;

			snprintf(t, sizeof t, "Late %d", i);
			r = review_rec(f->a, t);
			record_set_int(r, REVIEW_RESOLVED_AT, T0 + 5 + i);
			many[5 + i] = create(f, r);
		}
		memcpy(many, ids, sizeof ids);
		assert_int_equal(store_overdue_first(f->st, f->a, NULL,
						     T0 + 100, T0 + 100, 100,
						     100, &rows, &n, &more,
						     NULL),
				 E_OK);
		assert_int_equal(n, 45);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(rows[i].id, many[i]);
			if (i < 5) {
				assert_string_equal(rows[i].title,
						    i % 2 ? "Odd" : "Even");
				continue;
			}
			snprintf(t, sizeof t, "Late %zu", i - 5);
			assert_string_equal(rows[i].title, t);
		}
	}
}

static void test_counts_group_by_kind_status_severity(void **state)
{
	struct fx *f = *state;
	const char *const *kinds = review_def.fields[REVIEW_KIND].choices;
	const char *const *statuses = review_def.fields[REVIEW_STATUS].choices;
	struct review_counts c;
	struct review_filter flt = {0};
	int ki = -1, si = -1, di = -1;
	int64_t id;

	seed(f);
	id = create_titled(f, "Follow-ups");
	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, followup_rec(f->a, "a", NULL),
					    NULL, NULL, NULL),
			 E_OK);
	assert_int_equal(
		store_child_create(f->st, f->a, "a", CHILD_FOLLOWUP, id,
				   followup_rec(f->a, "b", "in-progress"), NULL,
				   NULL, NULL),
		E_OK);
	assert_int_equal(store_child_create(f->st, f->a, "a", CHILD_FOLLOWUP,
					    id, followup_rec(f->a, "c", "done"),
					    NULL, NULL, NULL),
			 E_OK);
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], "incident"))
			ki = i;
	for (int i = 0; statuses[i]; i++) {
		if (!strcmp(statuses[i], "draft"))
			si = i;
		if (!strcmp(statuses[i], "published"))
			di = i;
	}
	assert_true(ki >= 0 && si >= 0 && di >= 0);
	assert_int_equal(store_review_counts(f->st, NULL, &c, NULL), E_OK);
	assert_int_equal(c.total, 5);
	assert_int_equal(c.by_kind[ki], 2); /* seeded + the default kind */
	assert_int_equal(c.by_status[si], 3);
	assert_int_equal(c.by_status[di], 1);
	assert_int_equal(c.by_severity[0], 2);
	assert_int_equal(c.by_severity[1], 1);
	assert_int_equal(c.by_severity[3], 1);
	assert_int_equal(c.open_followups, 2);

	flt.tag = "storage";
	assert_int_equal(store_review_counts(f->st, &flt, &c, NULL), E_OK);
	assert_int_equal(c.total, 2);
	assert_int_equal(c.open_followups, 0);
}

static void test_search_finds_words_in_title_text_and_timeline(void **state)
{
	struct fx *f = *state;
	struct review_filter flt = {0};
	struct record *r = review_rec(f->a, "Checkout outage");
	struct record *patch = record_new(f->a, &review_def);
	int64_t id, other, cid;

	record_set_str(r, REVIEW_SUMMARY, "The **cache** was cold.");
	id = create(f, r);
	other = create_titled(f, "Unrelated");
	assert_int_equal(
		store_child_create(
			f->st, f->a, "a", CHILD_TIMELINE, other,
			timeline_rec(f->a, T0, "Paged the zookeeper team"),
			&cid, NULL, NULL),
		E_OK);

	flt.q = "checkout";
	assert_int_equal(list_total(f, &flt), 1);
	flt.q = "CACHE cold";
	assert_int_equal(list_total(f, &flt), 1);
	flt.q = "cache zookeeper"; /* every word must match */
	assert_int_equal(list_total(f, &flt), 0);
	flt.q = "zookeep"; /* prefixes match */
	assert_int_equal(list_total(f, &flt), 1);
	flt.q = "paging"; /* stems match */
	assert_int_equal(list_total(f, &flt), 1);

	/* the index follows writes */
	record_set_str(patch, REVIEW_TITLE, "Payments outage");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, NULL),
		E_OK);
	flt.q = "checkout";
	assert_int_equal(list_total(f, &flt), 0);
	flt.q = "payments";
	assert_int_equal(list_total(f, &flt), 1);
	assert_int_equal(store_child_delete(f->st, f->a, "a", CHILD_TIMELINE,
					    other, cid, 0, NULL, NULL),
			 E_OK);
	flt.q = "zookeeper";
	assert_int_equal(list_total(f, &flt), 0);
}

/* On PostgreSQL the search row is made from the body's parts (each field,
 * each kind of child: migrations/pg/034) and an update parses only the
 * parts that changed: its tsvector has the lexemes and weights of the
 * whole title and body parsed at once, and the body is the same text.
 * Of the parts only their lengths are kept (pg/036). */
static void test_search_row_from_parts_matches_whole_text(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Checkout outage");
	struct record *patch = record_new(f->a, &review_def);
	int64_t id, cid;
	char sql[512];
	PGconn *pg;
	PGresult *res;

	if (!test_on_pg())
		skip(); /* SQLite's FTS5 table has no parts */
	record_set_str(r, REVIEW_TLDR, "The cache went cold");
	record_set_str(r, REVIEW_SUMMARY, "Paging stopped.\nThen the queue "
					  "filled up and the workers died.");
	id = create(f, r);
	record_set_str(patch, REVIEW_TLDR, "Brokers lost their leases");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, NULL),
		E_OK);
	assert_int_equal(
		store_child_create(f->st, f->a, "a", CHILD_TIMELINE, id,
				   timeline_rec(f->a, T0, "Zookeeper paged"),
				   &cid, NULL, NULL),
		E_OK);
	pg = test_pg_connect(f->path);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	snprintf(sql, sizeof sql,
		 "SELECT strip(tsv) = strip(setweight(to_tsvector('english', "
		 "title), 'A') || setweight(to_tsvector('english', body), "
		 "'B')), tsv @@ 'broker & zookeep & worker'::tsquery, "
		 "tsv @@ 'cold'::tsquery, position('Brokers lost' in body) = 1, "
		 "parts IS NULL AND array_length(part_len, 1) = "
		 "array_length(part_tsv, 1) "
		 "FROM review_fts WHERE rowid = %lld",
		 (long long)id);
	res = PQexec(pg, sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	for (int i = 0; i < 5; i++)
		assert_string_equal(PQgetvalue(res, 0, i), i == 2 ? "f" : "t");
	PQclear(res);
	PQfinish(pg);
}

/* Issue 21: a search's total and counts stop at count_cap past the
 * page's end, and say so; below it they are exact; a reader's counts
 * never include the reviews they cannot see. */
static void test_search_counts_stop_at_their_cap(void **state)
{
	struct fx *f = *state;
	static const char *sre[] = {"sre"};
	struct viewer ops = {0, "[\"ops\"]"};
	struct review_filter flt = {0};
	struct review_counts c;
	struct search_query sq = {0};
	struct search_hit *hits;
	size_t n;
	int64_t total;
	int capped = -1;

	for (int i = 0; i < 8; i++)
		create_titled(f, "Zeppelin landed late");
	for (int i = 0; i < 5; i++) {
		struct record *r = review_rec(f->a, "Zeppelin, secretly");

		record_set_list(r, REVIEW_RESTRICTED_TO, sre, 1);
		create(f, r);
	}
	create_titled(f, "Unrelated");

	flt.q = "zeppelin";
	flt.limit = 2;
	flt.capped = &capped;
	assert_int_equal(list_total(f, &flt), 13); /* no cap: exact */
	assert_int_equal(capped, 0);
	flt.count_cap = 3; /* stops at 0 + 2 + 3 */
	assert_int_equal(list_total(f, &flt), 5);
	assert_int_equal(capped, 1);
	assert_int_equal(store_review_counts(f->st, &flt, &c, NULL), E_OK);
	assert_int_equal(c.total, 5);
	assert_int_equal(c.by_kind[0] + c.by_kind[1] + c.by_kind[2] +
				 c.by_kind[3],
			 5);
	flt.offset = 10; /* past the page's end: 15, more than there are */
	capped = -1;
	assert_int_equal(list_total(f, &flt), 13);
	assert_int_equal(capped, 0);
	assert_int_equal(store_review_counts(f->st, &flt, &c, NULL), E_OK);
	assert_int_equal(c.total, 13);
	assert_int_equal(capped, 0);
	/* a reader in "ops": the 5 restricted ones are not counted */
	flt.viewer = &ops;
	flt.offset = 4; /* stops at 9: more than the 8 they see */
	assert_int_equal(list_total(f, &flt), 8);
	assert_int_equal(capped, 0);
	assert_int_equal(store_review_counts(f->st, &flt, &c, NULL), E_OK);
	assert_int_equal(c.total, 8);
	flt.offset = 0; /* stops at 5 of the 8 */
	assert_int_equal(list_total(f, &flt), 5);
	assert_int_equal(capped, 1);
	/* without q the counts are kept: exact, never capped */
	flt.q = NULL;
	flt.viewer = NULL;
	assert_int_equal(list_total(f, &flt), 14);
	assert_int_equal(capped, 0);

	/* the ranked search */
	sq.q = "zeppelin";
	sq.limit = 2;
	sq.count_cap = 3;
	sq.capped = &capped;
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 5);
	assert_int_equal(capped, 1);
	sq.viewer = &ops;
	sq.count_cap = 20;
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 8);
	assert_int_equal(capped, 0);
}

/* fts_xmin: the transaction that wrote review ID's search row. */
static char *fts_xmin(PGconn *pg, int64_t id)
{
	char sql[128];
	PGresult *res;
	char *x;

	snprintf(sql, sizeof sql,
		 "SELECT xmin FROM review_fts WHERE rowid = %lld",
		 (long long)id);
	res = PQexec(pg, sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	x = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return x;
}

/* On PostgreSQL a write that changes none of a review's searched text
 * leaves its search row as it was: the trigger cuts the old parts from
 * the body by their lengths in bytes (here after text of several bytes a
 * character), finds them the same and writes nothing (pg/036). A write
 * that changes a part writes the row. */
static void test_search_row_not_written_when_text_unchanged(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Café outage");
	struct record *patch = record_new(f->a, &review_def);
	int64_t id, cid;
	char *x1, *x2, *x3;
	PGconn *pg;

	if (!test_on_pg())
		skip(); /* SQLite's FTS5 table has no parts */
	record_set_str(r, REVIEW_TLDR, "Crème brûlée — the naïve cache");
	record_set_str(r, REVIEW_SUMMARY, "Zürich's ½ of the fleet: 日本語");
	id = create(f, r);
	assert_int_equal(
		store_child_create(f->st, f->a, "a", CHILD_TIMELINE, id,
				   timeline_rec(f->a, T0, "Señor paged"), &cid,
				   NULL, NULL),
		E_OK);
	/* a part changed: the row is written, its lengths are kept */
	record_set_str(patch, REVIEW_TLDR, "Crème brûlée — the cold cache");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, NULL),
		E_OK);
	pg = test_pg_connect(f->path);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	x1 = fts_xmin(pg, id);
	/* no searched text changed: the row stays */
	patch = record_new(f->a, &review_def);
	record_set_int(patch, REVIEW_SEVERITY, 2);
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, NULL),
		E_OK);
	x2 = fts_xmin(pg, id);
	assert_string_equal(x1, x2);
	/* the summary, after the multi-byte tldr, changed: written again */
	patch = record_new(f->a, &review_def);
	record_set_str(patch, REVIEW_SUMMARY, "Zürich's ½ of the fleet: 中文");
	assert_int_equal(
		store_review_update(f->st, f->a, "a", id, 0, patch, NULL, NULL),
		E_OK);
	x3 = fts_xmin(pg, id);
	assert_string_not_equal(x2, x3);
	free(x1);
	free(x2);
	free(x3);
	PQfinish(pg);
}

static void
test_search_with_query_syntax_characters_is_not_an_error(void **state)
{
	struct fx *f = *state;
	struct review_filter flt = {0};
	static const char *const qs[] = {
		"\"",  "a AND",	 "NEAR(",
		"*",   "x:y",	 "'; DROP TABLE reviews; --",
		"-",   "",	 "   ",
		"c++", "(a OR b"};

	create_titled(f, "c++ build broke: a AND b");
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		flt.q = qs[i];
		(void)list_total(f, &flt);
	}
	flt.q = "   ";
	assert_int_equal(list_total(f, &flt), 1);
	flt.q = "\"build\"";
	assert_int_equal(list_total(f, &flt), 1);
}

static void test_list_limit_is_capped(void **state)
{
	struct fx *f = *state;
	struct review_filter flt = {0};
	struct record_list l;

	for (int i = 0; i < 3; i++)
		create_titled(f, "r");
	flt.limit = 100000;
	flt.offset = -5;
	assert_int_equal(
		store_review_list(f->st, f->a, &flt, &l, NULL, NULL, NULL),
		E_OK);
	assert_int_equal(l.n, 3);
}

/* ---- save (the edit page) --------------------------------------------- */

static void
test_save_adds_updates_and_removes_children_in_one_version(void **state)
{
	struct fx *f = *state;
	struct review_doc in = {0}, doc, sub = {0};
	struct record *patch = record_new(f->a, &review_def);
	struct record *t_upd = record_new(f->a, &timeline_def);
	struct revision *revs;
	int64_t id, keep_id, drop_id, nv = 0;
	size_t n, creates = 0, updates = 0, deletes = 0;
	struct err e;

	in.review = review_rec(f->a, "Edit me");
	list_of(f->a, &in.children[CHILD_TIMELINE], 2,
		timeline_rec(f->a, T0, "keep"),
		timeline_rec(f->a, T0 + 1, "drop"));
	list_of(f->a, &in.children[CHILD_TAG], 1, tag_rec(f->a, "old"));
	assert_int_equal(store_review_create(f->st, f->a, "a", &in, &id, &e),
			 E_OK);
	doc = get(f, id);
	keep_id = doc.children[CHILD_TIMELINE].items[0]->id;
	drop_id = doc.children[CHILD_TIMELINE].items[1]->id;

	record_set_str(patch, REVIEW_SUMMARY, "Written on the edit page");
	t_upd->id = keep_id;
	record_set_str(t_upd, TL_TEXT, "kept and edited");
	sub.review = patch;
	list_of(f->a, &sub.children[CHILD_TIMELINE], 2, t_upd,
		timeline_rec(f->a, T0 + 5, "new"));
	list_of(f->a, &sub.children[CHILD_FOLLOWUP], 1,
		followup_rec(f->a, "New follow-up", NULL));
	list_of(f->a, &sub.children[CHILD_TAG], 1, tag_rec(f->a, "new"));
	assert_int_equal(
		store_review_save(f->st, f->a, "bob", id, 1, &sub, &nv, &e),
		E_OK);
	assert_int_equal(nv, 2);

	doc = get(f, id);
	assert_int_equal(doc.review->version, 2);
	assert_string_equal(record_str(doc.review, REVIEW_SUMMARY),
			    "Written on the edit page");
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "Edit me");
	assert_int_equal(doc.children[CHILD_TIMELINE].n, 2);
	assert_int_equal(doc.children[CHILD_TIMELINE].items[0]->id, keep_id);
	assert_string_equal(
		record_str(doc.children[CHILD_TIMELINE].items[0], TL_TEXT),
		"kept and edited");
	assert_int_equal(doc.children[CHILD_TIMELINE].items[0]->version, 2);
	assert_string_equal(
		record_str(doc.children[CHILD_TIMELINE].items[1], TL_TEXT),
		"new");
	assert_int_not_equal(doc.children[CHILD_TIMELINE].items[1]->id,
			     drop_id);
	assert_int_equal(doc.children[CHILD_FOLLOWUP].n, 1);
	assert_int_equal(doc.children[CHILD_TAG].n, 1);
	assert_string_equal(
		record_str(doc.children[CHILD_TAG].items[0], TAG_NAME), "new");

	assert_int_equal(store_revision_list(f->st, f->a, id, &revs, &n, &e),
			 E_OK);
	for (size_t i = 0; i < n; i++) {
		if (revs[i].review_version != 2)
			continue;
		creates += !strcmp(revs[i].action, "create");
		updates += !strcmp(revs[i].action, "update");
		deletes += !strcmp(revs[i].action, "delete");
	}
	assert_int_equal(creates, 3); /* timeline, follow-up, tag */
	assert_int_equal(updates, 2); /* review, timeline */
	assert_int_equal(deletes, 2); /* timeline, tag */
}

static void
test_save_error_names_child_by_index_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct review_doc sub = {0}, doc;
	struct record *patch = record_new(f->a, &review_def);
	struct record *bad = followup_rec(f->a, "x", NULL);
	int64_t id = create_titled(f, "Unchanged");
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "Changed?");
	record_set_str(bad, FU_HORIZON, "forever");
	sub.review = patch;
	list_of(f->a, &sub.children[CHILD_FOLLOWUP], 3,
		followup_rec(f->a, "ok", NULL), followup_rec(f->a, "ok2", NULL),
		bad);
	assert_int_equal(
		store_review_save(f->st, f->a, "a", id, 1, &sub, NULL, &e),
		E_INVALID);
	assert_string_equal(e.field, "followups[2].horizon");
	doc = get(f, id);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "Unchanged");
	assert_int_equal(doc.children[CHILD_FOLLOWUP].n, 0);
	assert_int_equal(doc.review->version, 1);
}

static void test_save_with_stale_version_is_conflict(void **state)
{
	struct fx *f = *state;
	struct review_doc sub = {0};
	struct record *patch = record_new(f->a, &review_def);
	int64_t id = create_titled(f, "x");
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "y");
	sub.review = patch;
	assert_int_equal(
		store_review_save(f->st, f->a, "a", id, 1, &sub, NULL, &e),
		E_OK);
	record_set_str(patch, REVIEW_TITLE, "z");
	assert_int_equal(
		store_review_save(f->st, f->a, "a", id, 1, &sub, NULL, &e),
		E_CONFLICT);
	assert_int_equal(e.current_version, 2);
	assert_string_equal(record_str(get(f, id).review, REVIEW_TITLE), "y");
}

static void test_save_of_unchanged_form_keeps_version(void **state)
{
	struct fx *f = *state;
	struct review_doc in = {0}, sub = {0}, doc;
	struct record *t;
	int64_t id, nv = 0;

	in.review = review_rec(f->a, "Same");
	list_of(f->a, &in.children[CHILD_TIMELINE], 1,
		timeline_rec(f->a, T0, "same"));
	list_of(f->a, &in.children[CHILD_TAG], 2, tag_rec(f->a, "x"),
		tag_rec(f->a, "y"));
	assert_int_equal(store_review_create(f->st, f->a, "a", &in, &id, NULL),
			 E_OK);
	doc = get(f, id);
	t = record_new(f->a, &timeline_def);
	t->id = doc.children[CHILD_TIMELINE].items[0]->id;
	record_set_str(t, TL_TEXT, "same");
	sub.review = review_rec(f->a, "Same");
	list_of(f->a, &sub.children[CHILD_TIMELINE], 1, t);
	/* tags come back from the form as names, without ids */
	list_of(f->a, &sub.children[CHILD_TAG], 3, tag_rec(f->a, "y"),
		tag_rec(f->a, "x"), tag_rec(f->a, "x"));
	assert_int_equal(
		store_review_save(f->st, f->a, "a", id, 1, &sub, &nv, NULL),
		E_OK);
	assert_int_equal(nv, 1);
	assert_int_equal(version_of(f, id), 1);
	assert_int_equal(get(f, id).children[CHILD_TAG].n, 2);
}

static void test_save_with_unknown_child_id_is_not_found(void **state)
{
	struct fx *f = *state;
	struct review_doc sub = {0};
	struct record *t = record_new(f->a, &timeline_def);
	int64_t id = create_titled(f, "x");
	struct err e;

	t->id = 98765;
	record_set_str(t, TL_TEXT, "ghost");
	list_of(f->a, &sub.children[CHILD_TIMELINE], 1, t);
	assert_int_equal(
		store_review_save(f->st, f->a, "a", id, 0, &sub, NULL, &e),
		E_NOT_FOUND);
	assert_string_equal(e.field, "timeline[0]");
	assert_int_equal(version_of(f, id), 1);
}

/* ---- concurrency and durability --------------------------------------- */

struct worker {
	struct store *st;
	int64_t id;
	int rounds;
	int conflicts;
	int failures;
};

/* increment reads the counter in the title and writes it back plus one,
 * retrying when someone else got there first. */
static void *increment(void *p)
{
	struct worker *w = p;

	for (int i = 0; i < w->rounds; i++) {
		for (;;) {
			struct arena *a = arena_new();
			struct review_doc doc;
			struct record *patch;
			struct err e;
			enum err_code rc;

			if (!a || store_review_get(w->st, a, w->id, 0, &doc,
						   &e) != E_OK) {
				w->failures++;
				arena_free(a);
				break;
			}
			patch = record_new(a, &review_def);
			record_set_str(
				patch, REVIEW_TITLE,
				arena_printf(a, "%d",
					     atoi(record_str(doc.review,
							     REVIEW_TITLE)) +
						     1));
			rc = store_review_update(w->st, a, "w", w->id,
						 doc.review->version, patch,
						 NULL, &e);
			arena_free(a);
			if (rc == E_OK)
				break;
			if (rc != E_CONFLICT) {
				w->failures++;
				break;
			}
			w->conflicts++;
		}
	}
	return NULL;
}

static void *add_entries(void *p)
{
	struct worker *w = p;

	for (int i = 0; i < w->rounds; i++) {
		struct arena *a = arena_new();
		if (!a ||
		    store_child_create(w->st, a, "w", CHILD_TIMELINE, w->id,
				       timeline_rec(a, T0 + i, "x"), NULL, NULL,
				       NULL) != E_OK)
			w->failures++;
		arena_free(a);
	}
	return NULL;
}

static void test_concurrent_writers_do_not_lose_updates(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "0");
	struct worker w[2] = {{f->st, id, 25, 0, 0}, {f->st, id, 25, 0, 0}};
	pthread_t th[2];
	struct review_doc doc;

	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, increment, &w[i]),
				 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(w[0].failures + w[1].failures, 0);
	doc = get(f, id);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "50");
	assert_int_equal(doc.review->version, 51);
}

static void test_concurrent_child_creates_all_land(void **state)
{
	struct fx *f = *state;
	int64_t id = create_titled(f, "busy");
	struct worker w[2] = {{f->st, id, 20, 0, 0}, {f->st, id, 20, 0, 0}};
	pthread_t th[2];
	struct revision *revs;
	size_t n;

	for (int i = 0; i < 2; i++)
		assert_int_equal(
			pthread_create(&th[i], NULL, add_entries, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(w[0].failures + w[1].failures, 0);
	assert_int_equal(get(f, id).children[CHILD_TIMELINE].n, 40);
	assert_int_equal(version_of(f, id), 41);
	assert_int_equal(store_revision_list(f->st, f->a, id, &revs, &n, NULL),
			 E_OK);
	assert_int_equal(n, 41);
}

static void test_reopen_finds_everything(void **state)
{
	struct fx *f = *state;
	struct review_doc in = {0}, doc;
	struct revision *revs;
	size_t n;
	int64_t id;

	in.review = review_rec(f->a, "Durable");
	list_of(f->a, &in.children[CHILD_TIMELINE], 1,
		timeline_rec(f->a, T0, "entry"));
	list_of(f->a, &in.children[CHILD_FOLLOWUP], 1,
		followup_rec(f->a, "follow", NULL));
	list_of(f->a, &in.children[CHILD_TAG], 1, tag_rec(f->a, "kept"));
	assert_int_equal(store_review_create(f->st, f->a, "a", &in, &id, NULL),
			 E_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->path, &f->st, NULL), E_OK);
	doc = get(f, id);
	assert_string_equal(record_str(doc.review, REVIEW_TITLE), "Durable");
	assert_int_equal(doc.children[CHILD_TIMELINE].n, 1);
	assert_int_equal(doc.children[CHILD_FOLLOWUP].n, 1);
	assert_int_equal(doc.children[CHILD_TAG].n, 1);
	assert_int_equal(store_revision_list(f->st, f->a, id, &revs, &n, NULL),
			 E_OK);
	assert_int_equal(n, 4);
	{
		struct review_filter flt = {0};
		flt.q = "entry";
		assert_int_equal(list_total(f, &flt), 1);
	}
}

/* Votes: one per person, and no cap on how many people (once 100). */
static void test_question_votes_count_every_voter_once(void **state)
{
	struct fx *f = *state;
	struct record *r = review_rec(f->a, "Adopt Cassandra"), *q, *after;
	struct review_doc doc;
	int64_t id, qid = 0;
	struct err e;

	record_set_str(r, REVIEW_KIND, "architecture");
	id = create(f, r);
	q = record_new(f->a, &question_def);
	record_set_str(q, Q_TEXT, "Who runs it at night?");
	record_fill_defaults(f->a, q);
	assert_int_equal(store_child_create(f->st, f->a, "alice",
					    CHILD_QUESTION, id, q, &qid, NULL,
					    &e),
			 E_OK);
	for (int i = 0; i < 250; i++) {
		char who[16];
		snprintf(who, sizeof who, "voter%d", i);
		assert_int_equal(store_question_vote(f->st, f->a, who, id, qid,
						     &after, NULL, &e),
				 E_OK);
		assert_int_equal(record_int(after, Q_VOTES, 0), i + 1);
	}
	/* a second vote of the 150th voter: refused, nothing changed */
	assert_int_equal(store_question_vote(f->st, f->a, "voter149", id, qid,
					     &after, NULL, &e),
			 E_INVALID);
	assert_string_equal(e.field, "votes");
	doc = get(f, id);
	assert_int_equal(doc.children[CHILD_QUESTION].n, 1);
	q = doc.children[CHILD_QUESTION].items[0];
	assert_int_equal(record_int(q, Q_VOTES, 0), 250);
	assert_int_equal(q->v[Q_VOTERS].nitems, 250);
	assert_string_equal(q->v[Q_VOTERS].items[249], "voter249");
	/* each vote is a revision by its voter that changes the count; the
	 * list of voters is not copied into it (it would grow with every
	 * vote: the n-th would store n names twice) */
	{
		struct revision *revs;
		const struct change *ch;
		size_t n;

		assert_int_equal(store_revision_list(f->st, f->a, id, &revs,
						     &n, &e),
				 E_OK);
		assert_string_equal(revs[0].record_kind, "questions");
		assert_string_equal(revs[0].actor, "voter249");
		assert_null(find_change(&revs[0], "voters"));
		ch = find_change(&revs[0], "votes");
		assert_non_null(ch);
		assert_string_equal(ch->old_text, "249");
		assert_string_equal(ch->new_text, "250");
		assert_int_equal(revs[0].nchanges, 1);
	}
}

/* ---- the count of lingering follow-ups --------------------------------- */

/* check_lingering: for each viewer and each cutoff (around now, on the
 * boundaries of its day, before and after every follow-up's activity),
 * the count of lingering follow-ups (kept as writes happen, migration 037)
 * equals a fresh count: the open follow-ups listed whole, each judged by
 * its own due date and last activity (past_due, stale). */
static void check_lingering(struct fx *f, const char *when)
{
	static const struct viewer viewers[] = {
		{1, NULL}, {0, "[]"}, {0, "[\"sre\"]"}};
	int64_t now = time_now(), sod = now % 86400;
	const int64_t settings[][2] = {
		{now, 30 * 86400}, {now, 0},	 {now, 1},
		{now, 3},	   {now, sod},	 {now, sod + 1},
		{now, sod - 1},	   {now, 86400}, {now, -86400},
		{now + 60 * 86400, 30 * 86400},	 {T0, 30 * 86400},
	};

	for (size_t v = 0; v < sizeof viewers / sizeof *viewers; v++)
		for (size_t k = 0; k < sizeof settings / sizeof *settings;
		     k++) {
			struct followup_filter ff = {0};
			struct followup_row *rows;
			int64_t total, kept, fresh = 0;
			size_t n;

			ff.viewer = &viewers[v];
			ff.now = settings[k][0];
			ff.linger_seconds = settings[k][1];
			ff.limit = 500;
			assert_int_equal(store_followup_list(f->st, f->a, &ff,
							     &rows, &n, &total,
							     NULL),
					 E_OK);
			assert_int_equal((int64_t)n, total);
			for (size_t i = 0; i < n; i++)
				fresh += rows[i].past_due || rows[i].stale;
			ff.lingering = 1;
			ff.count_only = 1;
			assert_int_equal(store_followup_list(f->st, f->a, &ff,
							     &rows, &n, &kept,
							     NULL),
					 E_OK);
			if (kept != fresh)
				fail_msg("lingering after %s (viewer %zu, "
					 "setting %zu): kept %lld, fresh %lld",
					 when, v, k, (long long)kept,
					 (long long)fresh);
		}
}

/* link_ticket links a ticket to follow-up fid of review rid; updated (0:
 * unset) is when the tracker last changed it. */
static void link_ticket(struct fx *f, int64_t rid, int64_t fid,
			const char *key, int64_t updated)
{
	struct record *t = record_new(f->a, &ticket_def);
	struct record_list l;

	record_set_int(t, TK_FOLLOWUP_ID, fid);
	record_set_str(t, TK_TRACKER, "ops");
	record_set_str(t, TK_KEY, key);
	record_set_str(t, TK_URL, "https://x.example/browse/OPS-1");
	record_set_str(t, TK_STATUS, "Open");
	record_fill_defaults(f->a, t);
	assert_int_equal(store_ticket_link(f->st, f->a, "t", rid, t, NULL, NULL),
			 E_OK);
	if (!updated)
		return;
	assert_int_equal(store_ticket_list(f->st, f->a, rid, &l, NULL), E_OK);
	for (size_t i = 0; i < l.n; i++)
		if (record_int(l.items[i], TK_FOLLOWUP_ID, 0) == fid) {
			record_set_int(l.items[i], TK_UPDATED, updated);
			assert_int_equal(store_ticket_save_state(f->st, f->a,
								 l.items[i],
								 NULL, NULL),
					 E_OK);
		}
}

/* A review read (store_review_get) holds its follow-ups' live tickets, the
 * same as store_ticket_list's, read with the rest in one round trip. */
static void test_review_get_holds_its_tickets(void **state)
{
	struct fx *f = *state;
	struct review_doc doc = {0};
	struct record_list l;
	int64_t rid = create(f, review_rec(f->a, "With a ticket")), fid[2];

	for (int i = 0; i < 2; i++)
		assert_int_equal(
			store_child_create(f->st, f->a, "t", CHILD_FOLLOWUP,
					   rid, followup_rec(f->a, "fix", NULL),
					   &fid[i], NULL, NULL),
			E_OK);
	assert_int_equal(store_review_get(f->st, f->a, rid, 0, &doc, NULL),
			 E_OK);
	assert_int_equal(doc.tickets.n, 0);
	link_ticket(f, rid, fid[1], "OPS-1", 0);
	assert_int_equal(store_review_get(f->st, f->a, rid, 0, &doc, NULL),
			 E_OK);
	assert_int_equal(store_ticket_list(f->st, f->a, rid, &l, NULL), E_OK);
	assert_int_equal(doc.tickets.n, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(record_int(doc.tickets.items[0], TK_FOLLOWUP_ID, 0),
			 fid[1]);
	assert_string_equal(record_str(doc.tickets.items[0], TK_KEY), "OPS-1");
	assert_int_equal(doc.tickets.items[0]->id, l.items[0]->id);
}

static void
test_lingering_count_equals_a_fresh_count_after_every_write(void **state)
{
	struct fx *f = *state;
	struct review_doc doc = {0}, sub = {0};
	int64_t rid[3], fid[4], now = time_now();
	struct record *patch;
	char day[TIME_BUF];

	check_lingering(f, "nothing");
	for (int i = 0; i < 3; i++) {
		struct record *r = review_rec(f->a, "Lingering");

		if (i == 1)
			assert_int_equal(record_parse_value(f->a, r,
							    REVIEW_RESTRICTED_TO,
							    "sre", NULL),
					 E_OK);
		rid[i] = create(f, r);
	}
	/* due in the past, today, later, none */
	for (int i = 0; i < 4; i++) {
		struct record *fu = followup_rec(f->a, "fix", NULL);

		time_format_date(now + (i - 1) * 3 * 86400, day);
		if (i < 3)
			record_set_str(fu, FU_DUE, i == 1 ? "2000-01-01" : day);
		assert_int_equal(store_child_create(f->st, f->a, "t",
						    CHILD_FOLLOWUP, rid[i % 2],
						    fu, &fid[i], NULL, NULL),
				 E_OK);
	}
	check_lingering(f, "follow-ups created");
	patch = record_new(f->a, &followup_def);
	time_format_date(now - 86400, day);
	record_set_str(patch, FU_DUE, day);
	assert_int_equal(store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP,
					    rid[1], fid[3], 0, patch, NULL,
					    NULL, NULL),
			 E_OK);
	check_lingering(f, "due date set");
	patch = record_new(f->a, &followup_def);
	record_set_str(patch, FU_STATUS, "done");
	assert_int_equal(store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP,
					    rid[0], fid[0], 0, patch, NULL,
					    NULL, NULL),
			 E_OK);
	check_lingering(f, "follow-up done");
	patch = record_new(f->a, &followup_def);
	record_set_str(patch, FU_STATUS, "in-progress");
	assert_int_equal(store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP,
					    rid[0], fid[0], 0, patch, NULL,
					    NULL, NULL),
			 E_OK);
	check_lingering(f, "follow-up reopened");

	/* tickets: linked (its activity is its linking), read with an old
	 * update, with one of today, replaced by another */
	link_ticket(f, rid[0], fid[0], "OPS-1", 0);
	check_lingering(f, "ticket linked");
	link_ticket(f, rid[1], fid[1], "OPS-2", T0);
	check_lingering(f, "ticket read, old");
	link_ticket(f, rid[0], fid[2], "OPS-3", now - 2);
	check_lingering(f, "ticket read, today");
	link_ticket(f, rid[1], fid[1], "OPS-4", 0);
	check_lingering(f, "ticket replaced");
	link_ticket(f, rid[0], fid[2], "OPS-5", T0 + 86400);
	check_lingering(f, "ticket replaced and read");

	patch = record_new(f->a, &review_def);
	assert_int_equal(record_parse_value(f->a, patch, REVIEW_RESTRICTED_TO,
					    "sre", NULL),
			 E_OK);
	assert_int_equal(store_review_update(f->st, f->a, "t", rid[0], 0,
					     patch, NULL, NULL),
			 E_OK);
	check_lingering(f, "restriction added");
	patch = record_new(f->a, &review_def);
	assert_int_equal(record_parse_value(f->a, patch, REVIEW_RESTRICTED_TO,
					    "", NULL),
			 E_OK);
	assert_int_equal(store_review_update(f->st, f->a, "t", rid[1], 0,
					     patch, NULL, NULL),
			 E_OK);
	check_lingering(f, "restriction lifted");

	assert_int_equal(store_review_delete(f->st, f->a, "t", rid[0], 0, NULL),
			 E_OK);
	check_lingering(f, "review deleted");
	assert_int_equal(store_review_restore(f->st, f->a, "t", rid[0], NULL),
			 E_OK);
	check_lingering(f, "review restored");
	assert_int_equal(store_child_delete(f->st, f->a, "t", CHILD_FOLLOWUP,
					    rid[0], fid[2], 0, NULL, NULL),
			 E_OK);
	check_lingering(f, "follow-up with a ticket deleted");

	/* the edit page's save: the follow-ups replaced by one new one */
	sub.review = record_new(f->a, &review_def);
	record_set_str(sub.review, REVIEW_STATUS, "reviewed");
	sub.children[CHILD_FOLLOWUP].items =
		arena_alloc(f->a, sizeof(struct record *));
	sub.children[CHILD_FOLLOWUP].items[0] = followup_rec(f->a, "new", NULL);
	sub.children[CHILD_FOLLOWUP].n = 1;
	assert_int_equal(store_review_save(f->st, f->a, "t", rid[1], 0, &sub,
					   NULL, NULL),
			 E_OK);
	check_lingering(f, "save");

	/* writes that no API makes, as an import or a copy may: a follow-up
	 * last changed long ago, a ticket put in and taken out, follow-ups
	 * deleted for good */
	{
		struct db *db = NULL;
		char msg[256], sql[512];

		assert_int_equal(db_open(f->path, 0, &db, msg, sizeof msg),
				 DB_OK);
		snprintf(sql, sizeof sql,
			 "UPDATE followups SET updated_at = %d, due = NULL "
			 "WHERE review_id = %lld AND deleted_at IS NULL",
			 T0, (long long)rid[1]);
		assert_int_equal(sql_step(db, sql), DB_DONE);
		check_lingering(f, "follow-up backdated");
		snprintf(sql, sizeof sql,
			 "INSERT INTO tickets (review_id, created_at, "
			 "updated_at, followup_id, tracker, key, url) "
			 "SELECT %lld, %lld, %lld, id, 'ops', 'OPS-9', "
			 "'https://x.example/9' FROM followups WHERE "
			 "review_id = %lld AND deleted_at IS NULL",
			 (long long)rid[1], (long long)now, (long long)now,
			 (long long)rid[1]);
		assert_int_equal(sql_step(db, sql), DB_DONE);
		check_lingering(f, "ticket inserted");
		assert_int_equal(sql_step(db, "DELETE FROM tickets WHERE key = "
					      "'OPS-9'"),
				 DB_DONE);
		check_lingering(f, "ticket deleted for good");
		snprintf(sql, sizeof sql,
			 "DELETE FROM tickets WHERE review_id = %lld",
			 (long long)rid[0]);
		assert_int_equal(sql_step(db, sql), DB_DONE);
		check_lingering(f, "tickets of a review deleted for good");
		snprintf(sql, sizeof sql,
			 "DELETE FROM followups WHERE review_id = %lld",
			 (long long)rid[0]);
		assert_int_equal(sql_step(db, sql), DB_DONE);
		check_lingering(f, "follow-ups deleted for good");
		db_close(db);
	}
	(void)doc;
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_applies_migrations),
		T(test_reopen_keeps_schema_version_and_data),
		T(test_open_accepts_sqlite_url),
		T(test_open_in_missing_directory_fails_with_message),
		T(test_open_unreachable_postgres_is_unavailable),
		T(test_open_with_bad_pool_mode_names_it),
		T(test_create_and_get_round_trip_every_review_field),
		T(test_create_fills_defaults),
		T(test_create_with_children_round_trips_every_child_field),
		T(test_get_reads_children_in_few_round_trips),
		T(test_update_in_few_round_trips),
		T(test_deferred_release_that_fails_loses_the_transaction),
		T(test_transactions_are_read_committed),
		T(test_failed_read_batch_before_the_first_write_is_stepped_alone),
		T(test_facilitator_version_holds_across_servers),
		T(test_failed_read_fails_commit),
		T(test_large_statement_journal_spills_to_its_file),
		T(test_failed_write_batch_is_not_run_again),
		T(test_search_row_from_parts_matches_whole_text),
		T(test_search_row_not_written_when_text_unchanged),
		T(test_create_invalid_review_is_invalid_and_stores_nothing),
		T(test_create_with_invalid_child_names_it_and_stores_nothing),
		T(test_get_unknown_id_is_not_found),
		T(test_update_applies_patch_and_bumps_version),
		T(test_generation_moves_with_every_kind_of_write),
		T(test_update_with_stale_version_is_conflict_and_changes_nothing),
		T(test_update_that_breaks_a_rule_is_invalid_and_changes_nothing),
		T(test_update_without_changes_keeps_version),
		T(test_update_unknown_review_is_not_found),
		T(test_delete_hides_review_and_restore_brings_it_back),
		T(test_delete_with_stale_version_is_conflict),
		T(test_deleted_review_cannot_be_updated_or_deleted_again),
		T(test_restore_of_live_review_changes_nothing),
		T(test_child_writes_bump_review_and_child_versions),
		T(test_child_update_with_stale_version_is_conflict),
		T(test_child_update_invalid_is_invalid_and_changes_nothing),
		T(test_child_create_invalid_is_invalid_and_bumps_nothing),
		T(test_child_of_another_review_is_not_found),
		T(test_child_list_of_unknown_review_is_not_found),
		T(test_timeline_list_is_sorted_by_time),
		T(test_same_tag_twice_is_invalid_but_allowed_after_delete),
		T(test_revisions_record_who_what_and_field_diffs),
		T(test_revisions_of_unknown_review_is_not_found),
		T(test_revision_pages_hold_whole_saves),
		T(test_list_filters_by_each_field),
		T(test_tag_filter_ignores_deleted_tags),
		T(test_list_is_newest_first_and_paginates_with_total),
		T(test_list_without_start_time_orders_by_creation),
		T(test_list_returns_review_fields_and_tags),
		T(test_list_page_reads_each_reviews_row_and_tags),
		T(test_list_counts_equal_list_and_counts),
		T(test_repeated_list_and_search_prepare_nothing),
		T(test_overdue_reads_only_the_titles_asked_for),
		T(test_counts_group_by_kind_status_severity),
		T(test_lingering_count_equals_a_fresh_count_after_every_write),
		T(test_review_get_holds_its_tickets),
		T(test_search_finds_words_in_title_text_and_timeline),
		T(test_search_with_query_syntax_characters_is_not_an_error),
		T(test_search_counts_stop_at_their_cap),
		T(test_list_limit_is_capped),
		T(test_save_adds_updates_and_removes_children_in_one_version),
		T(test_save_error_names_child_by_index_and_changes_nothing),
		T(test_save_with_stale_version_is_conflict),
		T(test_save_of_unchanged_form_keeps_version),
		T(test_save_with_unknown_child_id_is_not_found),
		T(test_concurrent_writers_do_not_lose_updates),
		T(test_concurrent_child_creates_all_land),
		T(test_reopen_finds_everything),
		T(test_question_votes_count_every_voter_once),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
