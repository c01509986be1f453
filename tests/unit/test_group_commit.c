/* test_group_commit.c: saves that queue for the write lock are committed
 * together (issue 21: each commit waits for the disk; with 50 writers the
 * wait for the lock, not the save, was the time), each still all or
 * nothing. The lock is held from outside (a second SQLite connection, as
 * another process would) while the saves queue, then let go. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "model/record.h"
#include "model/review.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/metrics.h"

#define NSAVES 8

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	int64_t ids[NSAVES];
};

struct saver {
	struct store *st;
	int64_t id, version; /* version 0: any */
	const char *tldr;
	int severity; /* 0: unchanged */
	enum err_code rc;
	int64_t new_version;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-group-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	if (store_open(f->path, &f->st, &e) != E_OK) {
		fprintf(stderr, "store_open: %s\n", e.message);
		return -1;
	}
	for (int i = 0; i < NSAVES; i++) {
		struct arena *a = arena_new();
		struct record *r = record_new(a, &review_def);
		struct review_doc doc = {.review = r};

		record_set_str(r, REVIEW_TITLE, "queued");
		record_fill_defaults(a, r);
		if (store_review_create(f->st, a, "t", &doc, &f->ids[i], &e) !=
		    E_OK)
			return -1;
		arena_free(a);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[160];
	static const char *const suffix[] = {"", "-wal", "-shm"};

	store_close(f->st);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void *save(void *p)
{
	struct saver *s = p;
	struct arena *a = arena_new();
	struct record *patch = record_new(a, &review_def);
	struct err e;

	record_set_str(patch, REVIEW_TLDR, s->tldr);
	if (s->severity)
		record_set_int(patch, REVIEW_SEVERITY, s->severity);
	s->rc = store_review_update(s->st, a, "t", s->id, s->version, patch,
				    &s->new_version, &e);
	arena_free(a);
	return NULL;
}

/* commits: how many write transactions have ended (the hold histogram) */
static long commits(void)
{
	struct buf b = BUF_INIT;
	const char *k = "debrief_store_write_hold_seconds_count ";
	const char *at;
	long n = -1;

	if (metrics_render(&b) == 0 && b.data && (at = strstr(b.data, k)))
		n = atol(at + strlen(k));
	buf_release(&b);
	return n;
}

static struct review_doc get(struct fx *f, struct arena *a, int64_t id)
{
	struct review_doc doc;

	assert_int_equal(store_review_get(f->st, a, id, 0, &doc, NULL), E_OK);
	return doc;
}

static size_t revisions(struct fx *f, struct arena *a, int64_t id)
{
	struct revision *revs;
	size_t n;

	assert_int_equal(store_revision_list(f->st, a, id, &revs, &n, NULL),
			 E_OK);
	return n;
}

static void test_queued_saves_share_commits_and_each_is_all_or_nothing(
	void **state)
{
	struct fx *f = *state;
	struct saver s[NSAVES];
	pthread_t th[NSAVES];
	struct arena *a = arena_new();
	sqlite3 *db;
	long before;

	for (int i = 0; i < NSAVES; i++) {
		s[i] = (struct saver){f->st, f->ids[i], 0, "saved", 0,
				      E_OK, 0};
	}
	s[2].version = 7;	     /* stale: a conflict */
	s[5].severity = 99; /* not a severity: invalid */
	/* hold the lock from outside while the saves queue for it */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	before = commits();
	assert_true(before >= 0);
	for (int i = 0; i < NSAVES; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, save, &s[i]), 0);
		usleep(20000); /* in this order */
	}
	usleep(200000);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	for (int i = 0; i < NSAVES; i++)
		pthread_join(th[i], NULL);
	/* the first waited for the lock, the other seven queued behind it:
	 * one commit takes at least four (however slow the machine), so at
	 * most two commits; without group commit, eight (or seven: a failed
	 * save rolls back) */
	assert_true(commits() - before <= 2);
	for (int i = 0; i < NSAVES; i++) {
		struct review_doc doc = get(f, a, f->ids[i]);
		const char *tldr = record_str(doc.review, REVIEW_TLDR);

		if (i == 2 || i == 5) {
			assert_int_equal(s[i].rc,
					 i == 2 ? E_CONFLICT : E_INVALID);
			assert_int_equal(doc.review->version, 1);
			assert_true(!tldr || strcmp(tldr, "saved") != 0);
			assert_int_equal(revisions(f, a, f->ids[i]), 1);
		} else {
			assert_int_equal(s[i].rc, E_OK);
			assert_int_equal(s[i].new_version, 2);
			assert_int_equal(doc.review->version, 2);
			assert_string_equal(tldr, "saved");
			assert_int_equal(revisions(f, a, f->ids[i]), 2);
		}
	}
	arena_free(a);
}

/* A save that finds nothing to change in a group keeps its version and
 * writes no revision; the search index follows each committed save. */
static void test_grouped_saves_reach_the_search_index(void **state)
{
	struct fx *f = *state;
	struct saver s[3];
	pthread_t th[3];
	struct arena *a = arena_new();
	sqlite3 *db;

	for (int i = 0; i < 3; i++)
		s[i] = (struct saver){f->st, f->ids[i], 0,
				      i == 1 ? "same" : "zebrafinch", 0, E_OK, 0};
	save(&s[1]); /* then saving "same" again changes nothing */
	assert_int_equal(s[1].new_version, 2);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, save, &s[i]), 0);
		usleep(20000);
	}
	usleep(100000);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 3; i++)
		assert_int_equal(s[i].rc, E_OK);
	assert_int_equal(s[1].new_version, 2);
	assert_int_equal(revisions(f, a, f->ids[1]), 2);
	{
		struct review_filter q = {.q = "zebrafinch", .limit = 10};
		struct record_list l;
		int64_t total;

		assert_int_equal(store_review_list(f->st, a, &q, &l, NULL,
						   &total, NULL),
				 E_OK);
		assert_int_equal(total, 2);
	}
	arena_free(a);
}

/* segments: the search index's segments (FTS5 keeps one row per segment
 * and leaf term range in review_fts_idx) */
static int segments(struct fx *f)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(DISTINCT segid) "
					    "FROM review_fts_idx",
					    -1, &s, NULL),
			 SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static int64_t found(struct fx *f, struct arena *a, const char *word)
{
	struct review_filter q = {.q = word, .limit = 10};
	struct record_list l;
	int64_t total = -1;

	assert_int_equal(
		store_review_list(f->st, a, &q, &l, NULL, &total, NULL), E_OK);
	return total;
}

/* The saves of one commit rewrite their search rows once, at its end:
 * FTS5 writes what it has pending as a new segment at every savepoint,
 * so rewriting them inside each save's savepoint wrote a segment per
 * save (and merged them again). A failed save's row stays as it was. */
static void test_grouped_saves_write_one_search_segment(void **state)
{
	struct fx *f = *state;
	static const char *const words[NSAVES] = {
		"alphaword", "bravoword",  "charlieword", "deltaword",
		"echoword",  "foxtrotword", "golfword",   "hotelword"};
	struct saver s[NSAVES];
	pthread_t th[NSAVES];
	struct arena *a = arena_new();
	sqlite3 *db;
	long before;
	int seg;

	for (int i = 0; i < NSAVES; i++)
		s[i] = (struct saver){f->st, f->ids[i], 0, words[i], 0, E_OK,
				      0};
	s[4].version = 9; /* stale: a conflict */
	/* merge what the creates wrote, so that only the saves add */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO review_fts(review_fts) "
				      "VALUES ('optimize')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	seg = segments(f);
	assert_int_equal(seg, 1);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	before = commits();
	for (int i = 0; i < NSAVES; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, save, &s[i]), 0);
		usleep(20000);
	}
	usleep(200000);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	for (int i = 0; i < NSAVES; i++)
		pthread_join(th[i], NULL);
	/* one new segment per commit (at most two), not one per save */
	assert_true(commits() - before <= 2);
	assert_true(segments(f) - seg <= commits() - before);
	for (int i = 0; i < NSAVES; i++) {
		assert_int_equal(s[i].rc, i == 4 ? E_CONFLICT : E_OK);
		assert_int_equal(found(f, a, words[i]), i == 4 ? 0 : 1);
	}
	assert_int_equal(found(f, a, "queued"), NSAVES);
	arena_free(a);
}

static int exec_count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* A save sets only the columns whose values change: SQLite rewrites the
 * entry of every index on a column an UPDATE sets, even to its old value,
 * so a TL;DR save wrote a page of each of the reviews table's indexes. A
 * trigger on the indexed columns counts the updates that set any. */
static void test_a_save_sets_only_the_columns_it_changes(void **state)
{
	struct fx *f = *state;
	struct saver s = {f->st, f->ids[0], 0, "only the tldr", 0, E_OK, 0};
	struct arena *a = arena_new();
	struct review_doc doc;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "CREATE TABLE set_cols (n INTEGER);"
			     "CREATE TRIGGER set_cols AFTER UPDATE OF "
			     "deleted_at, severity, status, kind, started_at, "
			     "created_at, restricted_to, services, owner_team "
			     "ON reviews BEGIN INSERT INTO set_cols VALUES "
			     "(new.id); END",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	save(&s);
	assert_int_equal(s.rc, E_OK);
	assert_int_equal(exec_count(f, "SELECT count(*) FROM set_cols"), 0);
	doc = get(f, a, f->ids[0]);
	assert_string_equal(record_str(doc.review, REVIEW_TLDR),
			    "only the tldr");
	/* a change of an indexed column is written, and only then */
	s = (struct saver){f->st, f->ids[0], 0, "only the tldr", 3, E_OK, 0};
	save(&s);
	assert_int_equal(s.rc, E_OK);
	assert_int_equal(exec_count(f, "SELECT count(*) FROM set_cols"), 1);
	assert_int_equal(exec_count(f, "SELECT severity FROM reviews WHERE "
				       "id = (SELECT min(id) FROM reviews)"),
			 3);
	doc = get(f, a, f->ids[0]);
	assert_int_equal(record_int(doc.review, REVIEW_SEVERITY, 0), 3);
	assert_int_equal(doc.review->version, 3);
	/* delete and restore set deleted_at */
	assert_int_equal(store_review_delete(f->st, a, "t", f->ids[0], 3,
					     NULL),
			 E_OK);
	assert_int_equal(exec_count(f, "SELECT count(*) FROM reviews WHERE "
				       "deleted_at IS NOT NULL"),
			 1);
	assert_int_equal(store_review_restore(f->st, a, "t", f->ids[0], NULL),
			 E_OK);
	assert_int_equal(exec_count(f, "SELECT count(*) FROM reviews WHERE "
				       "deleted_at IS NOT NULL"),
			 0);
	assert_int_equal(exec_count(f, "SELECT count(*) FROM set_cols"), 3);
	arena_free(a);
}

static long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The WAL is copied back into the database file by the store's own
 * checkpointer thread, soon after commits, and not by the commit that
 * fills it: SQLite's automatic checkpoint ran inside a commit, holding the
 * write turn (every page written since the last one, then a wait for the
 * disk), so one save in about a hundred waited for all of them. */
static void test_the_checkpointer_copies_the_wal_back(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct record *patch = record_new(a, &review_def);
	size_t n = 200000;
	char *big = malloc(n + 1);
	long before;
	int i;

	assert_non_null(big);
	for (size_t k = 0; k < n; k++)
		big[k] = (char)('a' + (k * 7 + k / 13) % 26);
	for (size_t k = 50; k < n; k += 50)
		big[k] = ' ';
	big[n] = '\0';
	record_set_str(patch, REVIEW_TLDR, big);
	before = file_size(f->path);
	assert_true(before > 0);
	assert_int_equal(store_review_update(f->st, a, "t", f->ids[0], 0, patch,
					     NULL, NULL),
			 E_OK);
	/* the commit wrote the WAL only; within a few seconds (the
	 * checkpointer runs a second after the last commit) the file has
	 * the new pages */
	for (i = 0; i < 100 && file_size(f->path) <= before; i++)
		usleep(50000);
	assert_true(file_size(f->path) > before);
	free(big);
	arena_free(a);
}

struct entry_writer {
	struct store *st;
	int64_t review_id, child_id, version; /* child_id 0: a new entry */
	enum err_code rc;
};

static void *write_entry(void *p)
{
	struct entry_writer *w = p;
	struct arena *a = arena_new();
	struct record *r = record_new(a, &timeline_def);
	struct err e;

	record_set_str(r, TL_TEXT, "queued entry");
	if (w->child_id) {
		w->rc = store_child_update(w->st, a, "t", CHILD_TIMELINE,
					   w->review_id, w->child_id,
					   w->version, r, NULL, NULL, &e);
	} else {
		record_set_int(r, TL_AT, 1700000000);
		record_fill_defaults(a, r);
		w->rc = store_child_create(w->st, a, "t", CHILD_TIMELINE,
					   w->review_id, r, NULL, NULL, &e);
	}
	arena_free(a);
	return NULL;
}

/* Child writes queue and share commits the same way; each bumps the
 * review's version in the order they came. */
static void test_queued_child_writes_share_commits(void **state)
{
	struct fx *f = *state;
	struct entry_writer w[NSAVES];
	pthread_t th[NSAVES];
	struct arena *a = arena_new();
	struct review_doc doc;
	int64_t first;
	sqlite3 *db;
	long before;

	w[0] = (struct entry_writer){f->st, f->ids[0], 0, 0, E_OK};
	write_entry(&w[0]);
	assert_int_equal(w[0].rc, E_OK);
	doc = get(f, a, f->ids[0]);
	first = doc.children[CHILD_TIMELINE].items[0]->id;
	for (int i = 0; i < NSAVES; i++)
		w[i] = (struct entry_writer){f->st, f->ids[0], 0, 0, E_OK};
	w[3].child_id = first;
	w[3].version = 5; /* stale: the entry is at version 1 */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	before = commits();
	for (int i = 0; i < NSAVES; i++) {
		assert_int_equal(
			pthread_create(&th[i], NULL, write_entry, &w[i]), 0);
		usleep(20000);
	}
	usleep(200000);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	for (int i = 0; i < NSAVES; i++)
		pthread_join(th[i], NULL);
	assert_true(commits() - before <= 2);
	for (int i = 0; i < NSAVES; i++)
		assert_int_equal(w[i].rc, i == 3 ? E_CONFLICT : E_OK);
	doc = get(f, a, f->ids[0]);
	assert_int_equal(doc.children[CHILD_TIMELINE].n, NSAVES);
	assert_int_equal(doc.review->version, 2 + NSAVES - 1);
	assert_int_equal(revisions(f, a, f->ids[0]), 2 + NSAVES - 1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_queued_saves_share_commits_and_each_is_all_or_nothing,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_grouped_saves_reach_the_search_index, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_queued_child_writes_share_commits, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_grouped_saves_write_one_search_segment, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a_save_sets_only_the_columns_it_changes, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_the_checkpointer_copies_the_wal_back, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
