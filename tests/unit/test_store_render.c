/* test_store_render.c: stored renders of review pages (store.h, issue 21):
 * a render comes back only for the version and tag it was put with, a put
 * of a version the review has left is dropped, the table keeps to its
 * byte budget by dropping the oldest, and what is queued at close is
 * written. Also the store's write turn (issue 21): writers that wait for
 * the lock get it in the order they came; and revisions' changes, kept
 * deflated, read back as they were written. Stored renders are in the
 * zlib format: one written by zlib reads back, any html (empty, large,
 * incompressible) round-trips byte for byte, and a damaged row reads as
 * none, to be rendered and put again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "model/record.h"
#include "model/review.h"
#include "store/store.h"
#include "store/sqlite_internal.h"
#include "util/arena.h"
#include "test_db.h"
#include "util/buf.h"
#include "write_line.h"

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
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-render-XXXXXX");
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
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[sizeof f->path + 8];

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

static int64_t create(struct fx *f, const char *title)
{
	struct record *r = record_new(f->a, &review_def);
	struct review_doc doc = {.review = r};
	int64_t id = 0;
	struct err e;

	record_set_str(r, REVIEW_TITLE, title);
	record_fill_defaults(f->a, r);
	assert_int_equal(store_review_create(f->st, f->a, "t", &doc, &id, &e),
			 E_OK);
	return id;
}

/* get_kind returns the stored render of kind as a malloc'd string, NULL
 * when none. */
static char *get_kind(struct fx *f, enum render_kind kind, int64_t id,
		      int64_t version, const char *tag)
{
	struct buf b = BUF_INIT;
	enum err_code rc =
		store_render_get(f->st, kind, id, version, tag, &b, NULL);

	if (rc != E_OK) {
		assert_int_equal(rc, E_NOT_FOUND);
		buf_release(&b);
		return NULL;
	}
	buf_cstr(&b);
	return buf_detach(&b);
}

static char *get(struct fx *f, int64_t id, int64_t version, const char *tag)
{
	return get_kind(f, RENDER_PAGE, id, version, tag);
}

static void put_kind(struct fx *f, enum render_kind kind, int64_t id,
		     int64_t version, const char *tag, const char *html)
{
	store_render_put(f->st, kind, id, version, tag, html, strlen(html));
}

static void put(struct fx *f, int64_t id, int64_t version, const char *tag,
		const char *html)
{
	put_kind(f, RENDER_PAGE, id, version, tag, html);
}

static void test_page_and_json_are_kept_side_by_side(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full");
	char *s;

	put(f, id, 1, "a", "<p>the page</p>");
	put_kind(f, RENDER_JSON, id, 1, "a", "{\"the\": \"json\"}");
	store_render_flush(f->st);
	s = get(f, id, 1, "a");
	assert_non_null(s);
	assert_string_equal(s, "<p>the page</p>");
	free(s);
	s = get_kind(f, RENDER_JSON, id, 1, "a");
	assert_non_null(s);
	assert_string_equal(s, "{\"the\": \"json\"}");
	free(s);
	/* a new JSON replaces the JSON only */
	put_kind(f, RENDER_JSON, id, 1, "b", "{}");
	store_render_flush(f->st);
	assert_null(get_kind(f, RENDER_JSON, id, 1, "a"));
	s = get(f, id, 1, "a");
	assert_non_null(s);
	free(s);
}

static void test_render_comes_back_only_for_its_version_and_tag(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full");
	char *s;

	assert_null(get(f, id, 1, "a"));
	put(f, id, 1, "a", "<p>the page of version 1</p>");
	store_render_flush(f->st);
	s = get(f, id, 1, "a");
	assert_non_null(s);
	assert_string_equal(s, "<p>the page of version 1</p>");
	free(s);
	assert_null(get(f, id, 1, "b")); /* another build or settings */
	assert_null(get(f, id, 2, "a")); /* another version */
	assert_null(get(f, id + 1, 1, "a"));
}

static void test_put_of_a_version_the_review_left_is_dropped(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full"), v = 0;
	struct record *patch = record_new(f->a, &review_def);
	struct err e;
	char *s;

	put(f, id, 1, "a", "<p>v1</p>");
	store_render_flush(f->st);
	record_set_str(patch, REVIEW_TITLE, "Disk full on db-3");
	assert_int_equal(
		store_review_update(f->st, f->a, "t", id, 1, patch, &v, &e),
		E_OK);
	assert_int_equal(v, 2);
	assert_null(get(f, id, 2, "a")); /* the save made it stale */
	/* a render of version 1 that finishes after the save */
	put(f, id, 1, "a", "<p>v1 again</p>");
	store_render_flush(f->st);
	s = get(f, id, 1, "a");
	assert_non_null(s);
	assert_string_equal(s, "<p>v1</p>"); /* not replaced by the late put */
	free(s);
	put(f, id, 2, "a", "<p>v2</p>");
	store_render_flush(f->st);
	s = get(f, id, 2, "a");
	assert_non_null(s);
	assert_string_equal(s, "<p>v2</p>");
	free(s);
	assert_null(get(f, id, 1, "a")); /* one render per review */
}

static void test_renders_keep_to_their_budget_oldest_first(void **state)
{
	struct fx *f = *state;
	size_t len = 300 * 1024;
	char *page = malloc(len + 1);
	uint64_t x = 88172645463325252ULL;
	int64_t ids[6];
	char *s;

	assert_non_null(page);
	for (size_t i = 0; i < len; i++) { /* random: deflates to ~250 KB */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		page[i] = (char)(32 + x % 95);
	}
	page[len] = '\0';
	store_render_limit(f->st, 1024 * 1024);
	for (int i = 0; i < 6; i++) {
		ids[i] = create(f, "Big page");
		put(f, ids[i], 1, "a", page);
		store_render_flush(f->st); /* one batch each: an order */
	}
	/* 6 x ~250 KB deflated over 1 MiB: the two put first went */
	assert_null(get(f, ids[0], 1, "a"));
	assert_null(get(f, ids[1], 1, "a"));
	for (int i = 2; i < 6; i++) {
		s = get(f, ids[i], 1, "a");
		assert_non_null(s);
		assert_int_equal(strlen(s), len);
		assert_memory_equal(s, page, len);
		free(s);
	}
	free(page);
}

/* A budget by reviews (render_store_bytes = auto) grows with them: the
 * same six pages over a floor of 1 MiB, at 512 KiB a review, all stay
 * (the fixed 1 MiB above keeps four); and the sum is what the store says. */
static void test_a_budget_by_reviews_grows_with_them(void **state)
{
	struct fx *f = *state;
	size_t len = 300 * 1024;
	char *page = malloc(len + 1);
	uint64_t x = 88172645463325252ULL;
	int64_t ids[6];
	char *s;

	assert_non_null(page);
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		page[i] = (char)(32 + x % 95);
	}
	page[len] = '\0';
	store_render_limit_by_reviews(f->st, 1024 * 1024, 512 * 1024);
	for (int i = 0; i < 6; i++) {
		ids[i] = create(f, "Big page");
		put(f, ids[i], 1, "a", page);
		store_render_flush(f->st);
	}
	for (int i = 0; i < 6; i++) {
		s = get(f, ids[i], 1, "a");
		assert_non_null(s);
		assert_int_equal(strlen(s), len);
		free(s);
	}
	/* a seventh review raises the budget again: its page stays too */
	ids[0] = create(f, "Big page");
	put(f, ids[0], 1, "a", page);
	store_render_flush(f->st);
	s = get(f, ids[0], 1, "a");
	assert_non_null(s);
	free(s);
	assert_int_equal(store_render_budget(1024, 8, 0), 1024);
	assert_int_equal(store_render_budget(1024, 8, 100), 1024);
	assert_int_equal(store_render_budget(1024, 8, 1000), 8000);
	assert_true(store_render_budget(1024, 8, INT64_MAX) == SIZE_MAX - 1);
	free(page);
}

/* More puts than one transaction writes (it holds the write turn, so it
 * is kept short): a flush waits for all of them. */
static void test_many_puts_are_all_written_in_several_batches(void **state)
{
	struct fx *f = *state;
	int64_t ids[70];
	char html[64], *s;

	for (int i = 0; i < 70; i++)
		ids[i] = create(f, "Many");
	for (int i = 0; i < 70; i++) {
		snprintf(html, sizeof html, "<p>page %d</p>", i);
		put(f, ids[i], 1, "a", html);
	}
	store_render_flush(f->st);
	for (int i = 0; i < 70; i++) {
		snprintf(html, sizeof html, "<p>page %d</p>", i);
		s = get(f, ids[i], 1, "a");
		assert_non_null(s);
		assert_string_equal(s, html);
		free(s);
	}
}

static void test_budget_of_0_stores_nothing(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full");

	store_render_limit(f->st, 0);
	put(f, id, 1, "a", "<p>page</p>");
	store_render_flush(f->st);
	assert_null(get(f, id, 1, "a"));
}

static void test_renders_queued_at_close_are_written(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full");
	struct err e;
	char *s;

	put(f, id, 1, "a", "<p>page</p>");
	store_close(f->st); /* no flush first */
	assert_int_equal(store_open(f->path, &f->st, &e), E_OK);
	s = get(f, id, 1, "a");
	assert_non_null(s);
	assert_string_equal(s, "<p>page</p>");
	free(s);
}

/* ---- the write turn ---------------------------------------------------- */

#define N_WRITERS 6

struct writer {
	struct fx *f;
	int64_t id;
	atomic_int *done;
	int place; /* 1-based order in which its write finished */
	enum err_code rc;
};

static void *write_one(void *arg)
{
	struct writer *w = arg;
	struct arena *a = arena_new();
	struct record *patch = record_new(a, &review_def);
	struct err e;

	record_set_str(patch, REVIEW_TITLE, "Saved while others waited");
	w->rc = store_review_update(w->f->st, a, "t", w->id, 0, patch, NULL,
				    &e);
	w->place = atomic_fetch_add(w->done, 1) + 1;
	arena_free(a);
	return NULL;
}

/* SQLite's own busy handler lets waiters retry after sleeps of up to 100
 * ms, so a late writer could overtake ones that waited longer (and every
 * one slept past the moment the lock went): with 50 writers a save
 * waited seconds. The store's write turn serves them in order: their
 * writes are made in the order they came (one commit may hold several,
 * so the order in which the callers return is not the order of the
 * writes; their revisions' ids are). */
static void test_writers_waiting_for_the_lock_go_in_order(void **state)
{
	struct fx *f = *state;
	struct writer w[N_WRITERS];
	pthread_t th[N_WRITERS];
	struct transcript_import *ti;
	atomic_int done = 0;
	struct err e;
	int64_t last = 0;

	for (int i = 0; i < N_WRITERS; i++)
		w[i] = (struct writer){f, create(f, "Waiting"), &done, 0, 0};
	/* an import holds the write transaction */
	assert_int_equal(store_transcript_begin(f->st, w[0].id, &ti, &e),
			 E_OK);
	for (int i = 0; i < N_WRITERS; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, write_one, &w[i]),
				 0);
		queued(f->st, i + 1); /* each waits before the next comes */
	}
	assert_int_equal(atomic_load(&done), 0); /* all wait */
	store_transcript_abort(ti);
	for (int i = 0; i < N_WRITERS; i++) {
		struct revision *revs;
		size_t n;

		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, E_OK);
		assert_int_equal(store_revision_list(f->st, f->a, w[i].id,
						     &revs, &n, &e),
				 E_OK);
		assert_string_equal(revs[0].action, "update"); /* newest */
		assert_true(revs[0].id > last);
		last = revs[0].id;
	}
}

/* ---- revisions' changes, deflated ------------------------------------- */

/* the create revision of the review itself in review id's history */
static const struct revision *review_rev(struct fx *f, int64_t id,
					 const char *action)
{
	struct revision *revs;
	size_t n;
	struct err e;

	assert_int_equal(store_revision_list(f->st, f->a, id, &revs, &n, &e),
			 E_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(revs[i].record_kind, "review") &&
		    !strcmp(revs[i].action, action))
			return &revs[i];
	fail_msg("no %s revision", action);
	return NULL;
}

static const struct revision *review_create(struct fx *f, int64_t id)
{
	return review_rev(f, id, "create");
}

static const char *change_of(const struct revision *rv, const char *field)
{
	for (size_t i = 0; i < rv->nchanges; i++)
		if (!strcmp(rv->changes[i].field, field))
			return rv->changes[i].new_text;
	return NULL;
}

static void test_long_changes_are_stored_deflated_and_read_back(void **state)
{
	struct fx *f = *state;
	struct record *r = record_new(f->a, &review_def);
	struct review_doc doc = {.review = r};
	char summary[2001];
	int64_t id;
	sqlite3 *db;
	sqlite3_stmt *s;
	struct err e;

	for (size_t i = 0; i < sizeof summary - 1; i++)
		summary[i] = "the cache expired and the database saw it "[i % 42];
	summary[sizeof summary - 1] = '\0';
	struct record *p = record_new(f->a, &review_def);

	record_set_str(r, REVIEW_TITLE, "Deflated history");
	record_fill_defaults(f->a, r);
	assert_int_equal(store_review_create(f->st, f->a, "t", &doc, &id, &e),
			 E_OK);
	/* a create stores no values (test_store_size); an update does */
	record_set_str(p, REVIEW_SUMMARY, summary);
	assert_int_equal(store_review_update(f->st, f->a, "t", id, 0, p, NULL,
					     &e),
			 E_OK);
	assert_string_equal(change_of(review_rev(f, id, "update"), "summary"),
			    summary);
	assert_string_equal(change_of(review_create(f, id), "title"),
			    "Deflated history");
	/* on disk: a blob shorter than the summary alone (SQLite; PostgreSQL
	 * compresses long values itself) */
	if (test_on_pg())
		return;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(db,
				   "SELECT typeof(changes), length(changes) "
				   "FROM revisions WHERE record_kind = "
				   "'review' AND action = 'update'",
				   -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "blob");
	assert_true(sqlite3_column_int(s, 1) < (int)strlen(summary) / 2);
	sqlite3_finalize(s);
	/* a row written as text (before this) still reads */
	assert_int_equal(
		sqlite3_exec(db,
			     "UPDATE revisions SET changes = '[{\"field\": "
			     "\"title\", \"old\": \"\", \"new\": \"Old "
			     "text\"}]' WHERE record_kind = 'review' AND "
			     "action = 'create'",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_string_equal(change_of(review_create(f, id), "title"),
			    "Old text");
}

/* get_bytes returns the stored page render of id at version 1, tag "a",
 * its length in *n; NULL when none. */
static char *get_bytes(struct fx *f, int64_t id, size_t *n)
{
	struct buf b = BUF_INIT;
	enum err_code rc =
		store_render_get(f->st, RENDER_PAGE, id, 1, "a", &b, NULL);

	if (rc != E_OK) {
		assert_int_equal(rc, E_NOT_FOUND);
		buf_release(&b);
		return NULL;
	}
	*n = b.len;
	buf_cstr(&b);
	return buf_detach(&b);
}

/* assert_reads_back checks that id's stored page render is want[0..len). */
static void assert_reads_back(struct fx *f, int64_t id, const char *want,
			      size_t len)
{
	size_t n = 0;
	char *back = get_bytes(f, id, &n);

	assert_non_null(back);
	assert_int_equal(n, len);
	assert_memory_equal(back, want, len);
	free(back);
}

/* page_html fills html with n bytes of a page's kind of text. */
static void page_html(char *html, size_t n)
{
	static const char line[] =
		"<li class=\"entry\"><time>14:02</time> the cache expired "
		"and the database saw every request at once</li>\n";

	for (size_t i = 0; i < n; i++)
		html[i] = line[i % (sizeof line - 1)];
}

/* set_row sets the stored page render of id: its html blob (zn bytes)
 * and size (SQLite, as an older build or a damaged disk left it). */
static void set_row(struct fx *f, int64_t id, const void *z, int zn,
		    int64_t size)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "UPDATE review_renders SET html "
					    "= ?1, size = ?2 WHERE "
					    "review_id = ?3 AND kind = 0",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(s, 1, z, zn, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, size);
	sqlite3_bind_int64(s, 3, id);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_a_render_deflated_by_zlib_reads_back(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Stored by an older build");
	size_t len = 40000;
	char *html = malloc(len);
	uLongf zlen = compressBound((uLong)len);
	unsigned char *z = malloc(zlen);

	if (test_on_pg()) /* the rows are rewritten with SQLite */
		goto out;
	assert_non_null(html);
	assert_non_null(z);
	page_html(html, len);
	put(f, id, 1, "a", "<p>replaced below</p>");
	store_render_flush(f->st);
	/* as the stored renders were written before libdeflate */
	assert_int_equal(
		compress2(z, &zlen, (const Bytef *)html, (uLong)len, 1), Z_OK);
	set_row(f, id, z, (int)zlen, (int64_t)len);
	assert_reads_back(f, id, html, len);
out:
	free(z);
	free(html);
}

static void test_any_html_round_trips_byte_for_byte(void **state)
{
	struct fx *f = *state;
	size_t big = 3u * 1024 * 1024, noise = 200000;
	char *large = malloc(big), *random = malloc(noise);
	int64_t a = create(f, "Large"), b = create(f, "Empty"),
		c = create(f, "Incompressible");
	uint32_t x = 2463534242u;

	assert_non_null(large);
	assert_non_null(random);
	page_html(large, big);
	for (size_t i = 0; i < noise; i++) { /* xorshift: no repeats */
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		random[i] = (char)(x >> 24);
	}
	store_render_put(f->st, RENDER_PAGE, a, 1, "a", large, big);
	store_render_put(f->st, RENDER_PAGE, b, 1, "a", "", 0);
	store_render_put(f->st, RENDER_PAGE, c, 1, "a", random, noise);
	store_render_flush(f->st);
	assert_reads_back(f, a, large, big);
	assert_reads_back(f, b, "", 0); /* an empty render is one too */
	assert_reads_back(f, c, random, noise);
	free(random);
	free(large);
}

static void test_a_damaged_render_reads_as_none_and_is_put_again(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Damaged");
	size_t len = 20000, n = 0;
	char *html = malloc(len);
	uLongf zlen = compressBound((uLong)len);
	unsigned char *z = malloc(zlen), *bad = malloc(zlen);

	if (test_on_pg()) /* the rows are rewritten with SQLite */
		goto out;
	assert_non_null(html);
	assert_non_null(z);
	assert_non_null(bad);
	page_html(html, len);
	assert_int_equal(
		compress2(z, &zlen, (const Bytef *)html, (uLong)len, 1), Z_OK);
	put(f, id, 1, "a", "<p>replaced below</p>");
	store_render_flush(f->st);
	/* cut short */
	set_row(f, id, z, (int)zlen - 9, (int64_t)len);
	assert_null(get_bytes(f, id, &n));
	/* a byte changed (the checksum, or the stream, does not agree) */
	memcpy(bad, z, zlen);
	bad[zlen / 2] ^= 0x55;
	set_row(f, id, bad, (int)zlen, (int64_t)len);
	assert_null(get_bytes(f, id, &n));
	/* a size that is not the html's: shorter, longer, negative */
	set_row(f, id, z, (int)zlen, (int64_t)len - 1);
	assert_null(get_bytes(f, id, &n));
	set_row(f, id, z, (int)zlen, (int64_t)len + 1);
	assert_null(get_bytes(f, id, &n));
	set_row(f, id, z, (int)zlen, -1);
	assert_null(get_bytes(f, id, &n));
	/* not deflated at all, or empty */
	set_row(f, id, html, 100, (int64_t)len);
	assert_null(get_bytes(f, id, &n));
	set_row(f, id, "", 0, (int64_t)len);
	assert_null(get_bytes(f, id, &n));
	/* the page renders again; its put replaces the damaged row */
	store_render_put(f->st, RENDER_PAGE, id, 1, "a", html, len);
	store_render_flush(f->st);
	assert_reads_back(f, id, html, len);
out:
	free(bad);
	free(z);
	free(html);
}

/* ---- stored related reviews (issue 17, migrations 026 and 031) ------ */

#define NOW  ((int64_t)1800000000)
#define AGE  STORE_RELATED_MAX_AGE

/* related_get returns the fragment stored for review id and key that is
 * fresh at version, generation and now, as a malloc'd string (*at its
 * generation), NULL when none. */
static char *related_get(struct fx *f, int64_t id, const char *key,
			 int64_t version, int64_t generation, int64_t now,
			 int64_t *at)
{
	struct buf b = BUF_INIT;
	enum err_code rc = store_related_get(f->st, id, key, version,
					     generation, now, &b, at, NULL);

	if (rc != E_OK) {
		assert_int_equal(rc, E_NOT_FOUND);
		buf_release(&b);
		return NULL;
	}
	buf_cstr(&b);
	return buf_detach(&b);
}

static int64_t generation(struct fx *f)
{
	int64_t g = 0;

	assert_int_equal(store_generation(f->st, &g, NULL), E_OK);
	return g;
}

static int64_t version_of(struct fx *f, int64_t id)
{
	int64_t v = 0;

	assert_int_equal(store_review_version(f->st, id, &v, NULL), E_OK);
	return v;
}

static void retitle(struct fx *f, int64_t id, const char *title)
{
	struct record *patch = record_new(f->a, &review_def);

	record_set_str(patch, REVIEW_TITLE, title);
	assert_int_equal(store_review_update(f->st, f->a, "t", id, 0, patch,
					     NULL, NULL),
			 E_OK);
}

/* assert_related is that review id's fragment for key is want (NULL:
 * none) at version, generation and now. */
static void assert_related(struct fx *f, int64_t id, const char *key,
			   int64_t version, int64_t generation, int64_t now,
			   const char *want)
{
	char *s = related_get(f, id, key, version, generation, now, NULL);

	if (!want) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_related_serve_only_their_key_and_review_version(
	void **state)
{
	struct fx *f = *state;
	int64_t a = create(f, "Disk full"), g = generation(f);
	int64_t v = version_of(f, a), at = 0;
	char *s;

	assert_related(f, a, "k", v, g, NOW, NULL);
	store_related_put(f->st, a, "k", v, g, NOW, "B", 1);
	store_related_put(f->st, a, "k2", v, g, NOW, "", 0); /* none: kept */
	store_render_flush(f->st);
	s = related_get(f, a, "k", v, g, NOW, &at);
	assert_non_null(s);
	assert_string_equal(s, "B");
	assert_int_equal(at, g);
	free(s);
	assert_related(f, a, "k2", v, g, NOW, "");
	assert_related(f, a, "other groups", v, g, NOW, NULL);
	assert_related(f, a + 1, "k", v, g, NOW, NULL);
	/* the review itself changed: computed again */
	retitle(f, a, "Disk full on db-3");
	assert_related(f, a, "k", version_of(f, a), generation(f), NOW, NULL);
	/* a list computed at the old version, put after the edit: dropped */
	store_related_put(f->st, a, "k", v, g, NOW, "stale", 5);
	store_render_flush(f->st);
	assert_related(f, a, "k", v, g, NOW, NULL);
}

static void test_related_outlive_writes_elsewhere_for_a_bounded_time(
	void **state)
{
	struct fx *f = *state;
	int64_t a = create(f, "Disk full"), b = create(f, "Disk full again");
	int64_t va = version_of(f, a), g = generation(f), g2, at = 0;
	char *s;

	store_related_put(f->st, a, "k", va, g, NOW, "B", 1);
	store_render_flush(f->st);
	/* a write to another review moves the generation: A's list still
	 * serves, saying it was computed before (the caller checks it) */
	retitle(f, b, "Disk full, twice");
	g2 = generation(f);
	assert_true(g2 > g);
	s = related_get(f, a, "k", va, g2, NOW + 60, &at);
	assert_non_null(s);
	assert_string_equal(s, "B");
	assert_int_equal(at, g);
	free(s);
	assert_related(f, a, "k", va, g2, NOW + AGE, "B");
	/* past the age limit it is computed again */
	assert_related(f, a, "k", va, g2, NOW + AGE + 1, NULL);
	/* while nothing at all was written, age does not matter */
	assert_related(f, a, "k", va, g, NOW + 10 * AGE, "B");
	/* a later batch deletes what no longer serves (older generation,
	 * past the age), and keeps the rest */
	store_related_put(f->st, b, "k", version_of(f, b), g2, NOW + AGE,
			  "A", 1);
	store_render_flush(f->st);
	assert_related(f, a, "k", va, g, NOW, "B");
	store_related_put(f->st, b, "k", version_of(f, b), g2,
			  NOW + AGE + 1, "A", 1);
	store_render_flush(f->st);
	assert_related(f, a, "k", va, g, NOW, NULL);
	assert_related(f, b, "k", version_of(f, b), g2, NOW + AGE + 1, "A");
}

static void test_related_budget_of_0_stores_nothing(void **state)
{
	struct fx *f = *state;
	int64_t a = create(f, "Disk full"), g = generation(f);

	store_render_limit(f->st, 0);
	store_related_put(f->st, a, "k", version_of(f, a), g, NOW, "B", 1);
	store_render_flush(f->st);
	assert_related(f, a, "k", version_of(f, a), g, NOW, NULL);
}

/* A request's reads in one read transaction (store_read_begin): they see
 * one snapshot (SQLite), a write of the thread itself ends it so that the
 * reads after it see the write, and a nested begin does not end it early.
 * The other thread's save is a save of the review shown. */
struct other_save {
	struct store *st;
	int64_t id, from;
	enum err_code rc;
	atomic_int done;
};

static void *save_elsewhere(void *arg)
{
	struct other_save *o = arg;
	struct arena *a = arena_new();
	struct record *patch = record_new(a, &review_def);
	int64_t v = 0;
	struct err e;
	char text[64];

	snprintf(text, sizeof text, "saved by another request over v%lld",
		 (long long)o->from);
	record_set_str(patch, REVIEW_TLDR, text);
	o->rc = store_review_update(o->st, a, "t", o->id, o->from, patch, &v,
				    &e);
	atomic_store(&o->done, 1);
	arena_free(a);
	return NULL;
}

static int64_t version_now(struct fx *f, int64_t id)
{
	int64_t v = 0;
	struct err e;

	assert_int_equal(store_review_version(f->st, id, &v, &e), E_OK);
	return v;
}

static void test_a_request_reads_one_snapshot_and_its_own_writes(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full"), v = 0;
	struct other_save o = {.st = f->st, .id = id, .from = 1};
	struct record *patch = record_new(f->a, &review_def);
	pthread_t t;
	struct err e;

	store_read_begin(f->st);
	assert_int_equal(version_now(f, id), 1);
	store_read_begin(f->st); /* nested: its end ends nothing */
	assert_int_equal(pthread_create(&t, NULL, save_elsewhere, &o), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(o.rc, E_OK); /* the reader held up no writer */
	store_read_end(f->st);
	/* SQLite: the snapshot the request began with; PostgreSQL reads
	 * are not pinned */
	assert_int_equal(version_now(f, id), test_on_pg() ? 2 : 1);
	/* this thread's own save, then its read shows it */
	record_set_str(patch, REVIEW_TITLE, "Disk full on db-3");
	assert_int_equal(
		store_review_update(f->st, f->a, "t", id, 2, patch, &v, &e),
		E_OK);
	assert_int_equal(v, 3);
	assert_int_equal(version_now(f, id), 3);
	store_read_end(f->st);
	assert_int_equal(version_now(f, id), 3);
	/* after the end, every call sees the newest again */
	o.from = 3;
	store_read_begin(f->st);
	assert_int_equal(version_now(f, id), 3);
	store_read_end(f->st);
	assert_int_equal(pthread_create(&t, NULL, save_elsewhere, &o), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(o.rc, E_OK);
	assert_int_equal(version_now(f, id), 4);
}

/* A write that fails inside a request's read transaction (a name taken)
 * gives back its transaction and the write turn at once, not at the
 * request's end: another thread's save does not wait for the request. */
static void test_a_failed_write_in_a_read_gives_back_its_turn(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Disk full");
	struct other_save o = {.st = f->st, .id = id, .from = 1};
	pthread_t t;
	struct err e;
	int waited = 0, in_time;

	assert_int_equal(store_user_create(f->st, "bob", 1, NULL, "", 1, &e),
			 E_OK);
	store_read_begin(f->st);
	assert_int_equal(version_now(f, id), 1);
	assert_int_equal(store_user_create(f->st, "bob", 1, NULL, "", 1, &e),
			 E_CONFLICT);
	assert_int_equal(pthread_create(&t, NULL, save_elsewhere, &o), 0);
	while (!atomic_load(&o.done) && waited++ < 500)
		usleep(10000); /* at most 5 s */
	in_time = atomic_load(&o.done);
	store_read_end(f->st);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(in_time);
	assert_int_equal(o.rc, E_OK);
	assert_int_equal(version_now(f, id), 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_render_comes_back_only_for_its_version_and_tag),
		T(test_page_and_json_are_kept_side_by_side),
		T(test_put_of_a_version_the_review_left_is_dropped),
		T(test_renders_keep_to_their_budget_oldest_first),
		T(test_a_budget_by_reviews_grows_with_them),
		T(test_many_puts_are_all_written_in_several_batches),
		T(test_budget_of_0_stores_nothing),
		T(test_renders_queued_at_close_are_written),
		T(test_writers_waiting_for_the_lock_go_in_order),
		T(test_long_changes_are_stored_deflated_and_read_back),
		T(test_a_render_deflated_by_zlib_reads_back),
		T(test_any_html_round_trips_byte_for_byte),
		T(test_a_damaged_render_reads_as_none_and_is_put_again),
		T(test_related_serve_only_their_key_and_review_version),
		T(test_related_outlive_writes_elsewhere_for_a_bounded_time),
		T(test_related_budget_of_0_stores_nothing),
		T(test_a_request_reads_one_snapshot_and_its_own_writes),
		T(test_a_failed_write_in_a_read_gives_back_its_turn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
