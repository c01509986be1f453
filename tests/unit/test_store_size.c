/* test_store_size.c: what keeps the database small (issue 21: under 12 KB
 * a generated review). A create's revision stores the names of the fields
 * it set, not their values (copies of every created record were 80% of the
 * revisions table); History, the revisions API, the three-way merge's base
 * and the export still read every value the create gave, after any later
 * writes to the record. A new database has 8 KB pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/record.h"
#include "model/review.h"
#include "store/store.h"
#include "util/arena.h"

#define T0 1700000000

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena *a;
	int64_t id, tl_id;
	struct change *want_review, *want_tl; /* the creates' changes */
	int nreview, ntl;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-size-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	f->a = arena_new();
	if (!f->a || store_open(f->path, &f->st, &e) != E_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[160];
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

/* created: a review with one timeline entry; want_* are what a full copy
 * of each would have held (record_diff from nothing, as before) */
static void created_with(struct fx *f, const char *tldr)
{
	struct record *r = record_new(f->a, &review_def);
	struct record *tl = record_new(f->a, &timeline_def);
	const char *services[] = {"checkout", "payments"};
	struct review_doc doc = {.review = r};
	struct record_list tls = {&tl, 1};

	record_set_str(r, REVIEW_TITLE, "First title");
	record_set_str(r, REVIEW_TLDR, tldr);
	record_set_int(r, REVIEW_SEVERITY, 2);
	record_set_int(r, REVIEW_STARTED_AT, T0);
	record_set_list(r, REVIEW_SERVICES, services, 2);
	record_fill_defaults(f->a, r);
	record_set_int(tl, TL_AT, T0 + 60);
	record_set_str(tl, TL_TEXT, "first text");
	record_fill_defaults(f->a, tl);
	doc.children[CHILD_TIMELINE] = tls;
	assert_int_equal(store_review_create(f->st, f->a, "ana", &doc, &f->id,
					     NULL),
			 E_OK);
	assert_int_equal(store_review_get(f->st, f->a, f->id, 0, &doc, NULL),
			 E_OK);
	f->tl_id = doc.children[CHILD_TIMELINE].items[0]->id;
	f->nreview = record_diff(f->a, NULL, doc.review, &f->want_review);
	f->ntl = record_diff(f->a, NULL, doc.children[CHILD_TIMELINE].items[0],
			     &f->want_tl);
	assert_true(f->nreview >= 5);
	assert_true(f->ntl >= 2);
}

static void created(struct fx *f)
{
	created_with(f, "first tldr");
}

/* rewritten: later writes change every field the create set */
static void rewritten(struct fx *f)
{
	const char *services[] = {"search"};
	int64_t v = 0;

	for (int i = 0; i < 2; i++) {
		struct record *p = record_new(f->a, &review_def);
		struct record *tp = record_new(f->a, &timeline_def);

		record_set_str(p, REVIEW_TITLE, i ? "Third" : "Second");
		record_set_str(p, REVIEW_TLDR, i ? "" : "second tldr");
		record_set_int(p, REVIEW_SEVERITY, 3 + i);
		record_set_int(p, REVIEW_STARTED_AT, T0 + 3600 * (i + 1));
		record_set_list(p, REVIEW_SERVICES, services, 1);
		assert_int_equal(store_review_update(f->st, f->a, "ben", f->id,
						     0, p, &v, NULL),
				 E_OK);
		record_set_str(tp, TL_TEXT, i ? "third text" : "second text");
		record_set_int(tp, TL_AT, T0 + 120 * (i + 2));
		assert_int_equal(store_child_update(f->st, f->a, "ben",
						    CHILD_TIMELINE, f->id,
						    f->tl_id, 0, tp, NULL,
						    NULL, NULL),
				 E_OK);
	}
	assert_int_equal(store_child_delete(f->st, f->a, "ben", CHILD_TIMELINE,
					    f->id, f->tl_id, 0, NULL, NULL),
			 E_OK);
	assert_int_equal(store_review_delete(f->st, f->a, "ben", f->id, 0,
					     NULL),
			 E_OK);
	assert_int_equal(store_review_restore(f->st, f->a, "ben", f->id, NULL),
			 E_OK);
}

static void same_changes(const struct change *want, int n,
			 const struct change *got, size_t ngot)
{
	assert_int_equal((int)ngot, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(got[i].field, want[i].field);
		assert_string_equal(got[i].old_text, "");
		assert_string_equal(got[i].new_text, want[i].new_text);
	}
}

static void same_json(const struct change *want, int n, const char *text)
{
	json_t *arr = json_loads(text, 0, NULL);

	assert_non_null(arr);
	assert_int_equal((int)json_array_size(arr), n);
	for (int i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);

		assert_string_equal(
			json_string_value(json_object_get(o, "field")),
			want[i].field);
		assert_string_equal(
			json_string_value(json_object_get(o, "old")), "");
		assert_string_equal(
			json_string_value(json_object_get(o, "new")),
			want[i].new_text);
	}
	json_decref(arr);
}

static void test_create_is_stored_without_its_values(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	sqlite3_stmt *s;
	int rows = 0, stars = 0;

	created(f);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT changes FROM revisions "
					    "WHERE action = 'create'",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t;

		/* text, not a deflated copy (read the type before the text) */
		assert_int_equal(sqlite3_column_type(s, 0), SQLITE_TEXT);
		t = (const char *)sqlite3_column_text(s, 0);
		assert_null(strstr(t, "First title"));
		assert_null(strstr(t, "first tldr"));
		assert_null(strstr(t, "first text"));
		assert_true(strlen(t) < 200);
		stars += !strcmp(t, "*");
		rows++;
	}
	assert_int_equal(rows, 2);
	assert_true(stars >= 1); /* every value it set has text */
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_history_reads_the_created_values_after_later_writes(
	void **state)
{
	struct fx *f = *state;
	struct revision *revs;
	struct revision_page pg;
	size_t n, seen = 0;

	created(f);
	rewritten(f);
	assert_int_equal(store_revision_list(f->st, f->a, f->id, &revs, &n,
					     NULL),
			 E_OK);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(revs[i].action, "create"))
			continue;
		if (!strcmp(revs[i].record_kind, "review"))
			same_changes(f->want_review, f->nreview,
				     revs[i].changes, revs[i].nchanges);
		else
			same_changes(f->want_tl, f->ntl, revs[i].changes,
				     revs[i].nchanges);
		seen++;
	}
	assert_int_equal(seen, 2);
	/* History's pages: the oldest save holds both creates */
	assert_int_equal(store_revision_page(f->st, f->a, f->id, 2, 1, &pg,
					     NULL),
			 E_OK);
	assert_int_equal(pg.n, 2);
	for (size_t i = 0; i < pg.n; i++)
		if (!strcmp(pg.revs[i].record_kind, "review"))
			same_changes(f->want_review, f->nreview,
				     pg.revs[i].changes, pg.revs[i].nchanges);
}

/* A create that set a field to an empty text keeps the field's name, so
 * that History still shows it set (to nothing) at first. */
static void test_create_of_an_empty_value_reads_it_back(void **state)
{
	struct fx *f = *state;
	struct revision *revs;
	size_t n, seen = 0;
	int has_tldr = 0;

	created_with(f, "");
	for (int i = 0; i < f->nreview; i++)
		has_tldr |= !strcmp(f->want_review[i].field, "tldr");
	assert_true(has_tldr);
	rewritten(f);
	assert_int_equal(store_revision_list(f->st, f->a, f->id, &revs, &n,
					     NULL),
			 E_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(revs[i].action, "create") &&
		    !strcmp(revs[i].record_kind, "review")) {
			same_changes(f->want_review, f->nreview,
				     revs[i].changes, revs[i].nchanges);
			seen++;
		}
	assert_int_equal(seen, 1);
}

struct found {
	struct fx *f;
	int creates;
};

static int on_review(const struct export_review *r, void *arg)
{
	struct found *fd = arg;

	for (size_t i = 0; i < r->nrevs; i++) {
		const struct export_revision *v = &r->revs[i];

		if (strcmp(v->action, "create"))
			continue;
		if (!strcmp(v->record_kind, "review"))
			same_json(fd->f->want_review, fd->f->nreview,
				  v->changes);
		else
			same_json(fd->f->want_tl, fd->f->ntl, v->changes);
		fd->creates++;
	}
	return 0;
}

static void test_export_writes_every_created_value(void **state)
{
	struct fx *f = *state;
	struct found fd = {f, 0};

	created(f);
	rewritten(f);
	assert_int_equal(store_export_reviews(f->st, NULL, f->id,
					      EXPORT_DELETED | EXPORT_RECORDS,
					      on_review,
					      &fd, NULL),
			 E_OK);
	assert_int_equal(fd.creates, 2);
}

/* A create whose field names cannot be read back is a clear store error,
 * not a made-up history; nothing is changed by reading it. */
static void test_unreadable_create_is_an_error(void **state)
{
	struct fx *f = *state;
	struct revision *revs;
	struct err e;
	size_t n;
	sqlite3 *db;
	int64_t version;

	created(f);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "UPDATE revisions SET changes = "
			     "'{\"first\":[\"no_such_field\"]}' WHERE "
			     "record_kind = 'review' AND action = 'create'",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_revision_list(f->st, f->a, f->id, &revs, &n, &e),
			 E_STORE);
	assert_non_null(strstr(e.message, "unreadable"));
	assert_int_equal(store_review_version(f->st, f->id, &version,
					      NULL),
			 E_OK);
	assert_int_equal(version, 1);
}

/* A review's row fills a 4 KB page half; 8 KB pages hold three. */
static void test_a_new_database_has_8_kb_pages(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	sqlite3_stmt *s;

	created(f);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 8192);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_is_stored_without_its_values),
		T(test_history_reads_the_created_values_after_later_writes),
		T(test_create_of_an_empty_value_reads_it_back),
		T(test_export_writes_every_created_value),
		T(test_unreadable_create_is_an_error),
		T(test_a_new_database_has_8_kb_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
