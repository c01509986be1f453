/* test_store_scale.c: what keeps lists, counts and search cheap at any
 * number of reviews (issue 21), against store.h: keyset pages that skip
 * and repeat nothing while reviews are added, counts kept as writes happen
 * that always equal a fresh count, and list queries that keep to their
 * indexes (EXPLAIN QUERY PLAN through store_review_list_plan). `make pg`
 * runs it on PostgreSQL too (its counts are kept by triggers there,
 * pg/026 and pg/041), skipping the tests of SQLite's plans and terms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/record.h"
#include "model/review.h"
#include "model/transcript.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/timeutil.h"

#include "test_db.h"

#define T0 1700000000

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
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-scale-XXXXXX");
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
	char p[300];

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

/* review_at: a review started at t (0: not set, so created_at orders it),
 * restricted to groups ("a, b"; NULL: everyone). */
static struct record *review_at(struct arena *a, const char *title, int64_t t,
				const char *groups)
{
	struct record *r = record_new(a, &review_def);
	struct err e;

	record_set_str(r, REVIEW_TITLE, title);
	if (t)
		record_set_int(r, REVIEW_STARTED_AT, t);
	record_fill_defaults(a, r);
	if (groups)
		assert_int_equal(record_parse_value(a, r, REVIEW_RESTRICTED_TO,
						    groups, &e),
				 E_OK);
	return r;
}

static struct record *followup(struct arena *a, const char *status)
{
	struct record *r = record_new(a, &followup_def);

	record_set_str(r, FU_TITLE, "Add an alert");
	record_set_str(r, FU_STATUS, status);
	record_fill_defaults(a, r);
	return r;
}

static int64_t create_doc(struct fx *f, struct record *r, int nfollowups,
			  const char *const *statuses)
{
	struct review_doc doc = {.review = r};
	struct record_list *l = &doc.children[CHILD_FOLLOWUP];
	int64_t id = 0;
	struct err e;

	l->items = arena_alloc(f->a, sizeof *l->items * 4);
	for (int i = 0; i < nfollowups; i++)
		l->items[l->n++] = followup(f->a, statuses[i]);
	assert_int_equal(store_review_create(f->st, f->a, "t", &doc, &id, &e),
			 E_OK);
	return id;
}

/* ---- keyset pages ------------------------------------------------------ */

static void
test_cursor_pages_skip_and_repeat_nothing_while_reviews_are_added(void **state)
{
	struct fx *f = *state;
	int64_t ids[40];
	int seen[200] = {0};
	int nids = 0, pages = 0, added = 0;
	int64_t last_key = INT64_MAX, last_id = INT64_MAX;
	struct review_filter flt = {.limit = 4};
	char title[32];

	/* equal start times (the id breaks the tie), unset ones (created_at
	 * orders them) and spread ones */
	for (int i = 0; i < 24; i++) {
		int64_t t = i < 6 ? T0 : i < 10 ? 0 : T0 - i * 3600;
		snprintf(title, sizeof title, "Review %d", i);
		ids[nids++] =
			create_doc(f, review_at(f->a, title, t, NULL), 0, NULL);
	}
	for (;;) {
		struct record_list list;
		int64_t total;
		char cur[STORE_CURSOR_MAX];
		struct err e;

		assert_int_equal(store_review_list(f->st, f->a, &flt, &list,
						   NULL, &total, &e),
				 E_OK);
		for (size_t i = 0; i < list.n; i++) {
			const struct record *r = list.items[i];
			int64_t key =
				record_int(r, REVIEW_STARTED_AT, r->created_at);

			assert_true(r->id < 200);
			assert_int_equal(seen[r->id], 0); /* never twice */
			seen[r->id] = 1;
			/* strictly after the previous one in list order */
			assert_true(key < last_key ||
				    (key == last_key && r->id < last_id));
			last_key = key;
			last_id = r->id;
		}
		if (list.n < (size_t)flt.limit)
			break;
		store_review_cursor(list.items[list.n - 1], cur, sizeof cur);
		assert_int_equal(store_review_cursor_parse(cur, &flt, &e),
				 E_OK);
		/* between pages: a newer review (before the cursor), one at
		 * the cursor's very time and one far older (after it) */
		snprintf(title, sizeof title, "Added %d", added++);
		create_doc(f, review_at(f->a, title, T0 + 86400, NULL), 0,
			   NULL);
		create_doc(f, review_at(f->a, title, last_key, NULL), 0, NULL);
		create_doc(f, review_at(f->a, title, T0 - 900 * 86400, NULL), 0,
			   NULL);
		assert_true(++pages < 60);
	}
	for (int i = 0; i < nids; i++)
		assert_int_equal(seen[ids[i]], 1); /* none skipped */
	assert_true(pages >= 6);
}

static void test_cursor_parse_accepts_only_cursors(void **state)
{
	static const char *const bad[] = {
		"",
		"abc",
		"1_",
		"_1",
		"1_0",
		"1_2x",
		" 1_2",
		"+1_2",
		"1_-2",
		"1__2",
		"1_ 2",
		"1.5_2",
		"99999999999999999999_1",
	};
	struct review_filter flt = {0};
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(store_review_cursor_parse(bad[i], &flt, &e),
				 E_BAD_REQUEST);
		assert_string_equal(e.field, "cursor");
		assert_int_equal(flt.after, 0);
	}
	assert_int_equal(store_review_cursor_parse("-5_3", &flt, &e), E_OK);
	assert_int_equal(flt.after, 1);
	assert_int_equal(flt.after_key, -5);
	assert_int_equal(flt.after_id, 3);
}

static void test_offset_and_cursor_pages_agree(void **state)
{
	struct fx *f = *state;
	struct review_filter byoff = {.limit = 3, .offset = 3};
	struct review_filter bycur = {.limit = 3};
	struct record_list first, a, b;
	char cur[STORE_CURSOR_MAX];

	for (int i = 0; i < 8; i++)
		create_doc(f, review_at(f->a, "R", i % 3 ? T0 + i : 0, NULL), 0,
			   NULL);
	assert_int_equal(store_review_list(f->st, f->a, &bycur, &first, NULL,
					   NULL, NULL),
			 E_OK);
	store_review_cursor(first.items[2], cur, sizeof cur);
	assert_int_equal(store_review_cursor_parse(cur, &bycur, NULL), E_OK);
	assert_int_equal(
		store_review_list(f->st, f->a, &byoff, &a, NULL, NULL, NULL),
		E_OK);
	assert_int_equal(
		store_review_list(f->st, f->a, &bycur, &b, NULL, NULL, NULL),
		E_OK);
	assert_int_equal(a.n, 3);
	assert_int_equal(b.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(a.items[i]->id, b.items[i]->id);
}

/* A page past the middle is read from the end (issue 21): every offset,
 * page size, filter and viewer gives the ids, order and total that one
 * page of them all gives, with ties of start time, unset ones, restricted
 * and deleted reviews, and past the end. */
static void test_offset_pages_from_either_end_agree(void **state)
{
	static const struct viewer outsider = {0, "[\"legal\"]"};
	static const struct viewer *const viewers[] = {NULL, &outsider};
	static const struct review_filter filters[] = {
		{.limit = 0}, {.severity = 2}, {.deleted = 1}};
	static const int limits[] = {1, 3, 4, 7};
	struct fx *f = *state;
	int64_t ids[24];
	struct err e;

	for (int i = 0; i < 24; i++) {
		struct record *r = review_at(f->a, "R",
					     i % 5 == 0 ? 0
					     : i % 3	? T0 + i % 4
							: T0 - i,
					     i % 7 == 3 ? "sre" : NULL);

		if (i % 4 == 1)
			record_set_int(r, REVIEW_SEVERITY, 2);
		ids[i] = create_doc(f, r, 0, NULL);
	}
	for (int i = 0; i < 24; i += 6)
		assert_int_equal(
			store_review_delete(f->st, f->a, "t", ids[i], 0, &e),
			E_OK);
	for (size_t v = 0; v < 2; v++)
		for (size_t k = 0; k < 3; k++) {
			struct review_filter all = filters[k];
			struct record_list whole;
			int64_t total;

			all.viewer = viewers[v];
			all.limit = 500;
			assert_int_equal(store_review_list(f->st, f->a, &all,
							   &whole, NULL, &total,
							   &e),
					 E_OK);
			assert_int_equal(total, (int64_t)whole.n);
			assert_true(whole.n > 2);
			for (size_t l = 0; l < 4; l++)
				for (int off = 0; off <= (int)whole.n + 2;
				     off++) {
					struct review_filter pf = all;
					struct record_list page;
					int64_t t;
					size_t want;

					pf.limit = limits[l];
					pf.offset = off;
					assert_int_equal(
						store_review_list(f->st, f->a,
								  &pf, &page,
								  NULL, &t, &e),
						E_OK);
					want = (size_t)off >= whole.n ? 0
					       : whole.n - (size_t)off <
							       (size_t)limits[l]
						       ? whole.n - (size_t)off
						       : (size_t)limits[l];
					assert_int_equal(t, total);
					assert_int_equal(page.n, want);
					for (size_t i = 0; i < page.n; i++)
						assert_int_equal(
							page.items[i]->id,
							whole.items[off + (int)i]
								->id);
				}
		}
}

/* ---- maintained counts ----------------------------------------------- */

static const struct viewer count_viewers[] = {
	{1, NULL},
	{0, "[]"},
	{0, "[\"sre\"]"},
	{0, "[\"legal\",\"sre\"]"},
};

/* fresh_counts counts what store_review_counts should say, from every
 * review read whole (review_visible and its live follow-ups). */
static void fresh_counts(struct fx *f, const int64_t *ids, int n, int deleted,
			 const struct viewer *v, const char *kind, int64_t from,
			 const char *tag, struct review_counts *out)
{
	const char *const *kinds = review_def.fields[REVIEW_KIND].choices;
	const char *const *sts = review_def.fields[REVIEW_STATUS].choices;

	memset(out, 0, sizeof *out);
	for (int i = 0; i < n; i++) {
		struct review_doc doc;
		const struct record *r;
		int64_t sev;

		assert_int_equal(
			store_review_get(f->st, f->a, ids[i], 1, &doc, NULL),
			E_OK);
		r = doc.review;
		if ((r->deleted_at != 0) != deleted || !review_visible(r, v) ||
		    (kind && strcmp(record_str(r, REVIEW_KIND), kind)) ||
		    (from && record_int(r, REVIEW_STARTED_AT, 0) < from))
			continue;
		if (tag) {
			int has = 0;
			for (size_t k = 0; k < doc.children[CHILD_TAG].n; k++)
				has |= !strcmp(
					record_str(
						doc.children[CHILD_TAG].items[k],
						TAG_NAME),
					tag);
			if (!has)
				continue;
		}
		out->total++;
		for (int k = 0; kinds[k]; k++)
			if (!strcmp(kinds[k], record_str(r, REVIEW_KIND)))
				out->by_kind[k]++;
		for (int k = 0; sts[k]; k++)
			if (!strcmp(sts[k], record_str(r, REVIEW_STATUS)))
				out->by_status[k]++;
		sev = record_int(r, REVIEW_SEVERITY, 0);
		out->by_severity[sev >= 1 && sev <= 5 ? sev : 0]++;
		for (size_t k = 0; k < doc.children[CHILD_FOLLOWUP].n; k++) {
			const char *s = record_str(
				doc.children[CHILD_FOLLOWUP].items[k],
				FU_STATUS);
			out->open_followups += strcmp(s, "done") &&
					       strcmp(s, "wont-do");
		}
	}
}

/* check_counts: for every viewer, live and deleted, all kinds and one,
 * and a filter the maintained counts do not keep (from: counted), the
 * store's counts and list totals equal a fresh count. */
static void check_counts(struct fx *f, const int64_t *ids, int n,
			 const char *when)
{
	for (size_t v = 0; v < sizeof count_viewers / sizeof *count_viewers;
	     v++) {
		for (int deleted = 0; deleted < 2; deleted++) {
			for (int k = 0; k < 5; k++) {
				struct review_filter flt = {
					.viewer = &count_viewers[v],
					.deleted = deleted,
					.kind = k == 1 ? "near-miss" : NULL,
					.from = k == 2 ? T0 - 5 : 0,
					.tag = k == 3	? "dns"
					       : k == 4 ? "db"
							: NULL,
				};
				struct review_counts got, want;
				struct record_list list;
				int64_t total = -1;

				fresh_counts(f, ids, n, deleted,
					     &count_viewers[v], flt.kind,
					     flt.from, flt.tag, &want);
				assert_int_equal(store_review_counts(f->st,
								     &flt, &got,
								     NULL),
						 E_OK);
				if (memcmp(&got, &want, sizeof got))
					fail_msg(
						"counts differ after %s "
						"(viewer %zu, deleted %d, "
						"kind %d): total %lld/%lld, "
						"open %lld/%lld",
						when, v, deleted, k,
						(long long)got.total,
						(long long)want.total,
						(long long)got.open_followups,
						(long long)want.open_followups);
				assert_int_equal(store_review_list(f->st, f->a,
								   &flt, &list,
								   NULL, &total,
								   NULL),
						 E_OK);
				assert_int_equal(total, want.total);
			}
		}
	}
}

static void
test_maintained_counts_equal_a_fresh_count_after_every_write(void **state)
{
	static const char *const st3[] = {"open", "done", "in-progress"};
	struct fx *f = *state;
	int64_t ids[8] = {0}, fu = 0, nv = 0;
	struct record *patch;
	struct review_doc sub = {0};
	struct review_doc doc;
	int n = 0;

	check_counts(f, ids, n, "nothing");
	ids[n++] = create_doc(f, review_at(f->a, "A", T0, NULL), 3, st3);
	ids[n++] = create_doc(f, review_at(f->a, "B", T0 + 1, "sre"), 2, st3);
	ids[n++] = create_doc(f, review_at(f->a, "C", 0, "legal"), 1, st3);
	check_counts(f, ids, n, "create");

	/* tags: added, renamed, removed (tag_counts) */
	{
		int64_t tid[3];
		struct record *tp;

		for (int i = 0; i < 3; i++) {
			struct record *t = record_new(f->a, &tag_def);
			record_set_str(t, TAG_NAME, "dns");
			record_fill_defaults(f->a, t);
			assert_int_equal(store_child_create(f->st, f->a, "t",
							    CHILD_TAG, ids[i],
							    t, &tid[i], NULL,
							    NULL),
					 E_OK);
		}
		check_counts(f, ids, n, "tags added");
		tp = record_new(f->a, &tag_def);
		record_set_str(tp, TAG_NAME, "db");
		assert_int_equal(store_child_update(f->st, f->a, "t", CHILD_TAG,
						    ids[1], tid[1], 0, tp, NULL,
						    NULL, NULL),
				 E_OK);
		check_counts(f, ids, n, "tag renamed");
		assert_int_equal(store_child_delete(f->st, f->a, "t", CHILD_TAG,
						    ids[0], tid[0], 0, NULL,
						    NULL),
				 E_OK);
		check_counts(f, ids, n, "tag removed");
		tp = record_new(f->a, &tag_def);
		record_set_str(tp, TAG_NAME, "dns");
		record_fill_defaults(f->a, tp);
		assert_int_equal(store_child_create(f->st, f->a, "t", CHILD_TAG,
						    ids[0], tp, NULL, NULL,
						    NULL),
				 E_OK);
		check_counts(f, ids, n, "tag added again");
	}

	patch = record_new(f->a, &review_def);
	record_set_str(patch, REVIEW_KIND, "near-miss");
	record_set_str(patch, REVIEW_STATUS, "published");
	record_set_int(patch, REVIEW_SEVERITY, 2);
	assert_int_equal(store_review_update(f->st, f->a, "t", ids[0], 0, patch,
					     NULL, NULL),
			 E_OK);
	check_counts(f, ids, n, "update of kind, status and severity");

	patch = record_new(f->a, &review_def);
	record_set_null(patch, REVIEW_SEVERITY);
	assert_int_equal(store_review_update(f->st, f->a, "t", ids[0], 0, patch,
					     NULL, NULL),
			 E_OK);
	check_counts(f, ids, n, "severity unset");

	patch = record_new(f->a, &review_def);
	assert_int_equal(record_parse_value(f->a, patch, REVIEW_RESTRICTED_TO,
					    "sre, legal", NULL),
			 E_OK);
	assert_int_equal(store_review_update(f->st, f->a, "t", ids[0], 0, patch,
					     NULL, NULL),
			 E_OK);
	check_counts(f, ids, n, "restriction added");
	patch = record_new(f->a, &review_def);
	assert_int_equal(
		record_parse_value(f->a, patch, REVIEW_RESTRICTED_TO, "", NULL),
		E_OK);
	assert_int_equal(store_review_update(f->st, f->a, "t", ids[1], 0, patch,
					     NULL, NULL),
			 E_OK);
	check_counts(f, ids, n, "restriction lifted");

	assert_int_equal(store_child_create(f->st, f->a, "t", CHILD_FOLLOWUP,
					    ids[1], followup(f->a, "open"), &fu,
					    NULL, NULL),
			 E_OK);
	check_counts(f, ids, n, "follow-up created");
	patch = record_new(f->a, &followup_def);
	record_set_str(patch, FU_STATUS, "done");
	assert_int_equal(store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP,
					    ids[1], fu, 0, patch, NULL, NULL,
					    NULL),
			 E_OK);
	check_counts(f, ids, n, "follow-up done");
	patch = record_new(f->a, &followup_def);
	record_set_str(patch, FU_STATUS, "in-progress");
	assert_int_equal(store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP,
					    ids[1], fu, 0, patch, NULL, NULL,
					    NULL),
			 E_OK);
	check_counts(f, ids, n, "follow-up reopened");
	assert_int_equal(store_child_delete(f->st, f->a, "t", CHILD_FOLLOWUP,
					    ids[1], fu, 0, NULL, NULL),
			 E_OK);
	check_counts(f, ids, n, "follow-up deleted");

	/* the edit page's save: the follow-ups replaced by one new one */
	assert_int_equal(store_review_get(f->st, f->a, ids[2], 0, &doc, NULL),
			 E_OK);
	sub.review = record_new(f->a, &review_def);
	record_set_str(sub.review, REVIEW_STATUS, "reviewed");
	sub.children[CHILD_FOLLOWUP].items =
		arena_alloc(f->a, sizeof(struct record *));
	sub.children[CHILD_FOLLOWUP].items[0] = followup(f->a, "open");
	sub.children[CHILD_FOLLOWUP].n = 1;
	assert_int_equal(
		store_review_save(f->st, f->a, "t", ids[2], 0, &sub, &nv, NULL),
		E_OK);
	check_counts(f, ids, n, "save");

	assert_int_equal(store_review_delete(f->st, f->a, "t", ids[0], 0, NULL),
			 E_OK);
	check_counts(f, ids, n, "delete");
	assert_int_equal(store_review_delete(f->st, f->a, "t", ids[2], 0, NULL),
			 E_OK);
	check_counts(f, ids, n, "second delete");
	assert_int_equal(store_review_restore(f->st, f->a, "t", ids[0], NULL),
			 E_OK);
	check_counts(f, ids, n, "restore");
}

static void test_counts_survive_reopen(void **state)
{
	static const char *const st1[] = {"open"};
	struct fx *f = *state;
	int64_t ids[2];
	struct err e;

	ids[0] = create_doc(f, review_at(f->a, "A", T0, NULL), 1, st1);
	ids[1] = create_doc(f, review_at(f->a, "B", T0, "sre"), 1, st1);
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, &e), E_OK);
	check_counts(f, ids, 2, "reopen");
}

/* ---- plans ------------------------------------------------------------ */

/* uses_scan: a step of plan reads a whole table ("SCAN t" without an
 * index; "SCAN review_fts VIRTUAL TABLE" is the search index itself). */
static const char *full_scan(const char *plan)
{
	for (const char *p = plan; (p = strstr(p, "SCAN ")); p += 5) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (!memmem(p, len, "VIRTUAL TABLE", 13) &&
		    !memmem(p, len, "CONSTANT ROW", 12) &&
		    !memmem(p, len, "USING COVERING INDEX", 20) &&
		    !memmem(p, len, "json_each", 9))
			return p;
	}
	return NULL;
}

/* wide_read: a step outside "page rows" that reads the reviews table's
 * rows (alias t) rather than an index that covers the query; by id only
 * when allowed (a search that starts from its few matches). */
static const char *wide_read(const char *plan, int by_id_ok)
{
	int rows = 0;

	for (const char *p = plan; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (!strncmp(p, "query: ", 7))
			rows = !strncmp(p, "query: page rows\n", 17) ||
			       !strncmp(p, "query: page tags\n", 17);
		else if (!rows &&
			 (!strncmp(p, "SEARCH t ", 9) ||
			  !strncmp(p, "SCAN t ", 7) ||
			  !strncmp(p, "SCAN t\n", 7)) &&
			 !memmem(p, len, "COVERING INDEX", 14) &&
			 !(by_id_ok &&
			   memmem(p, len, "INTEGER PRIMARY KEY", 19)))
			return p;
		p += len + (eol != NULL);
	}
	return NULL;
}

/* section: the plan lines of the query named what ("" when absent). */
static const char *section(struct arena *a, const char *plan, const char *what)
{
	char head[64];
	const char *p, *end;

	snprintf(head, sizeof head, "query: %s\n", what);
	if (!(p = strstr(plan, head)))
		return "";
	p += strlen(head);
	end = strstr(p, "query: ");
	return arena_strndup(a, p, end ? (size_t)(end - p) : strlen(p));
}

/* check_plans holds each list, total and count query to its indexes. */
static void check_plans(struct fx *f)
{
	static const struct viewer outsider = {0, "[\"legal\"]"};
	struct {
		const char *name;
		struct review_filter f;
		int sorts; /* the page may sort ids (the search starts from
			      its matches, or the deleted list) */
	} cases[] = {
		{"no filter", {.limit = 0}, 0},
		{"kind", {.kind = "near-miss"}, 0},
		{"status and severity", {.status = "draft", .severity = 2}, 0},
		{"tag", {.tag = "dns"}, 1},
		{"service", {.service = "checkout"}, 0},
		{"from and to", {.from = T0 - 10, .to = T0 + 10}, 0},
		{"deep offset", {.offset = 400}, 0},
		{"cursor", {.after = 1, .after_key = T0, .after_id = 3}, 0},
		{"restricted viewer", {.viewer = &outsider}, 0},
		{"search", {.q = "checkout"}, 1},
		{"search with kind", {.q = "rare", .kind = "incident"}, 1},
		{"deleted", {.deleted = 1}, 1},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *plan = NULL, *bad, *page;
		struct err e;

		assert_int_equal(store_review_list_plan(f->st, f->a,
							&cases[i].f, &plan, &e),
				 E_OK);
		if (getenv("SHOW_PLANS"))
			printf("== %s\n%s", cases[i].name, plan);
		assert_non_null(strstr(plan, "query: page ids\n"));
		assert_non_null(strstr(plan, "query: counts\n"));
		if ((bad = full_scan(plan)))
			fail_msg("%s: a full scan: %.60s\n%s", cases[i].name,
				 bad, plan);
		if ((bad = wide_read(plan, cases[i].sorts)))
			fail_msg("%s: reads wide rows: %.60s\n%s",
				 cases[i].name, bad, plan);
		page = section(f->a, plan, "page ids");
		if (!cases[i].sorts && strstr(page, "TEMP B-TREE"))
			fail_msg("%s: the page sorts in memory\n%s",
				 cases[i].name, plan);
		page = section(f->a, plan, "page ids from the end");
		if (!cases[i].sorts && strstr(page, "TEMP B-TREE"))
			fail_msg("%s: the page from the end sorts in memory"
				 "\n%s",
				 cases[i].name, plan);
		/* rows are read by id, one page of them, and their tags by
		 * review id in one statement, with no sort */
		assert_non_null(strstr(section(f->a, plan, "page rows"),
				       "INTEGER PRIMARY KEY"));
		page = section(f->a, plan, "page tags");
		assert_non_null(strstr(page, "SEARCH t USING INDEX tags_review "
					     "(review_id=?)"));
		if (strstr(page, "TEMP B-TREE"))
			fail_msg("%s: the page's tags sort in memory\n%s",
				 cases[i].name, plan);
		/* a count of no filter but facets and tag reads
		 * review_counts or tag_counts (alias rc) by its key */
		if (!cases[i].f.service && !cases[i].f.q && !cases[i].f.from) {
			assert_non_null(strstr(section(f->a, plan, "total"),
					       "SEARCH rc USING PRIMARY KEY"));
			assert_non_null(strstr(section(f->a, plan, "counts"),
					       "SEARCH rc USING PRIMARY KEY"));
		}
	}
}

/* check_followup_plans holds the count of open and of lingering
 * follow-ups (the index's note, the follow-ups page's total, for any
 * viewer) to the counts kept as writes happen (migration 037): the open
 * ones from review_counts, the lingering ones less those active in the
 * days after the cutoff from linger_counts, both by their keys, and the
 * cutoff's own day from followups_active and tickets_active by a range;
 * no follow-up is read otherwise. */
static void check_followup_plans(struct fx *f)
{
	static const struct viewer outsider = {0, "[\"legal\"]"};
	const struct viewer *viewers[] = {NULL, &outsider};

	for (int i = 0; i < 4; i++) {
		struct followup_filter ff = {0};
		const char *plan = NULL, *bad;
		struct err e;

		ff.viewer = viewers[i % 2];
		ff.lingering = i / 2;
		ff.now = T0;
		ff.linger_seconds = 30 * 86400;
		ff.count_only = 1;
		assert_int_equal(store_followup_list_plan(f->st, f->a, &ff,
							  &plan, &e),
				 E_OK);
		if (getenv("SHOW_PLANS"))
			printf("== follow-ups %d\n%s", i, plan);
		assert_non_null(strstr(plan, "query: total\n"));
		if ((bad = full_scan(plan)))
			fail_msg("follow-ups %d: a full scan: %.60s\n%s", i,
				 bad, plan);
		assert_non_null(
			strstr(plan, "SEARCH rc USING PRIMARY KEY (deleted=?)"));
		/* a Bloom filter is built from every row of its table */
		if (strstr(plan, "BLOOM FILTER"))
			fail_msg("follow-ups %d: a Bloom filter\n%s", i, plan);
		if (!ff.lingering) {
			assert_null(strstr(plan, " t "));
			continue;
		}
		assert_non_null(
			strstr(plan, "SEARCH c USING PRIMARY KEY (day>?)"));
		assert_non_null(strstr(plan, "SEARCH t USING COVERING INDEX "
					     "followups_active (updated_at>? "
					     "AND updated_at<?)"));
		assert_non_null(strstr(plan, "SEARCH k USING INDEX "
					     "tickets_active (<expr>>? AND "
					     "<expr><?)"));
		assert_non_null(
			strstr(plan, " r USING COVERING INDEX reviews_by_id"));
	}
}

/* check_overdue_plans holds the index's overdue notice (every index page,
 * for any viewer) to walking reviews_overdue (migration 042: the live
 * resolved reviews not reviewed or published) from the oldest resolution,
 * with each review's groups read from reviews_by_id, no sort: the
 * reviews' rows (16 KB each in an imported Morgue) are read only for the
 * rows returned, and the walk passes no reviewed or published review
 * (with one draft among 10,080 published it passed them all; issue 21). */
static void check_overdue_plans(struct fx *f)
{
	static const struct viewer outsider = {0, "[\"legal\"]"};
	const struct viewer *viewers[] = {NULL, &outsider};

	for (int i = 0; i < 2; i++) {
		const char *plan = NULL, *bad;
		struct err e;

		assert_int_equal(store_overdue_first_plan(f->st, f->a,
							  viewers[i], &plan,
							  &e),
				 E_OK);
		if (getenv("SHOW_PLANS"))
			printf("== overdue %d\n%s", i, plan);
		assert_non_null(strstr(plan, "query: overdue\n"));
		if ((bad = full_scan(plan)))
			fail_msg("overdue %d: a full scan: %.60s\n%s", i, bad,
				 plan);
		assert_non_null(strstr(plan, "SEARCH t USING INDEX "
					     "reviews_overdue (resolved_at>? "
					     "AND resolved_at<?)"));
		assert_non_null(strstr(plan, "SEARCH s USING COVERING INDEX "
					     "reviews_by_id (id=?)"));
		/* none walked when the kept counts have no review to meet */
		assert_non_null(strstr(plan, "SEARCH rc USING PRIMARY KEY "
					     "(deleted=?)"));
		if (strstr(plan, "TEMP B-TREE"))
			fail_msg("overdue %d: a sort\n%s", i, plan);
	}
}

/* check_followup_page_plans holds the follow-ups' page (GET /followups,
 * all open and lingering, for any viewer) to taking its ids in the order
 * of followups_page (migration 037), with no sort: the reviews are read
 * from reviews_by_id for every match, and their wide rows (the title) by
 * id for the page's rows alone. It sorted every match's id before. */
static void check_followup_page_plans(struct fx *f)
{
	static const struct viewer outsider = {0, "[\"legal\"]"};
	const struct viewer *viewers[] = {NULL, &outsider};

	for (int i = 0; i < 4; i++) {
		struct followup_filter ff = {0};
		const char *plan = NULL, *page, *bad;
		int wide = 0;
		struct err e;

		ff.viewer = viewers[i % 2];
		ff.lingering = i / 2;
		ff.now = T0;
		ff.linger_seconds = 30 * 86400;
		assert_int_equal(store_followup_list_plan(f->st, f->a, &ff,
							  &plan, &e),
				 E_OK);
		if (getenv("SHOW_PLANS"))
			printf("== follow-ups page %d\n%s", i, plan);
		page = section(f->a, plan, "page");
		if ((bad = full_scan(page)))
			fail_msg("follow-ups page %d: a full scan: %.60s\n%s",
				 i, bad, plan);
		assert_non_null(
			strstr(page, "SCAN t USING COVERING INDEX followups_page"));
		if (strstr(page, "BLOOM FILTER"))
			fail_msg("follow-ups page %d: a Bloom filter\n%s", i,
				 plan);
		/* one sort: the page's rows, not every match's id */
		if ((bad = strstr(page, "TEMP B-TREE")) &&
		    strstr(bad + 1, "TEMP B-TREE"))
			fail_msg("follow-ups page %d: the ids are sorted\n%s",
				 i, plan);
		/* the page's rows by id, from the ids of a subquery */
		assert_non_null(strstr(page, "LIST SUBQUERY"));
		assert_non_null(
			strstr(page, "SEARCH t USING INTEGER PRIMARY KEY"));
		assert_non_null(
			strstr(page, " r USING COVERING INDEX reviews_by_id"));
		for (const char *p = page; (p = strstr(p, " r ")); p++) {
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);

			if (!memmem(p, len, "COVERING INDEX", 14))
				wide++;
		}
		/* once: the page's rows' reviews, by id */
		if (wide != 1 ||
		    !strstr(page, "SEARCH r USING INTEGER PRIMARY KEY"))
			fail_msg("follow-ups page %d: reads wide review rows "
				 "%d times\n%s",
				 i, wide, plan);
	}
}

static void test_list_queries_never_scan_the_reviews_table(void **state)
{
	struct fx *f = *state;

	if (test_on_pg())
		skip(); /* SQLite's EXPLAIN QUERY PLAN */

	for (int i = 0; i < 5; i++)
		create_doc(f, review_at(f->a, "checkout", T0 + i, NULL), 0,
			   NULL);
	check_plans(f);
	check_followup_plans(f);
	check_followup_page_plans(f);
	check_overdue_plans(f);
}

/* From 1,000 reviews the store gathers statistics at open; the plans
 * must hold with them too (tags and restrictions on a share of them). */
static void test_list_plans_hold_with_statistics(void **state)
{
	static const char *const st1[] = {"open"};
	struct fx *f = *state;
	struct err e;

	if (test_on_pg())
		skip(); /* SQLite's EXPLAIN QUERY PLAN and statistics */
	assert_int_equal(store_bulk_writes(f->st, &e), E_OK);
	for (int i = 0; i < 1100; i++) {
		struct record *r = review_at(f->a, i % 3 ? "checkout" : "rare",
					     i % 7 ? T0 - i * 600 : 0,
					     i % 20 == 3 ? "sre" : NULL);
		struct review_doc doc = {.review = r};
		struct record_list *tags = &doc.children[CHILD_TAG];
		int64_t id;

		tags->items = arena_alloc(f->a, sizeof *tags->items);
		tags->items[0] = record_new(f->a, &tag_def);
		record_set_str(tags->items[0], TAG_NAME,
			       i % 4 ? "dns" : "deploy");
		record_fill_defaults(f->a, tags->items[0]);
		tags->n = 1;
		if (i % 5 == 0) {
			doc.children[CHILD_FOLLOWUP].items =
				arena_alloc(f->a, sizeof(struct record *));
			doc.children[CHILD_FOLLOWUP].items[0] =
				followup(f->a, st1[0]);
			doc.children[CHILD_FOLLOWUP].n = 1;
		}
		assert_int_equal(
			store_review_create(f->st, f->a, "t", &doc, &id, &e),
			E_OK);
		if (i % 50 == 0)
			assert_int_equal(store_review_delete(f->st, f->a, "t",
							     id, 0, &e),
					 E_OK);
	}
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, &e), E_OK);
	check_plans(f);
	check_followup_plans(f);
	check_followup_page_plans(f);
	check_overdue_plans(f);
}

/* ---- the follow-ups' list ---------------------------------------------- */

/* fu_before: a comes before b in the list's order (due first, none last,
 * then created_at, then id). */
static int fu_before(const struct record *a, const struct record *b)
{
	const char *da = record_str(a, FU_DUE), *db = record_str(b, FU_DUE);
	int c;

	if (!da != !db)
		return !db;
	if (da && (c = strcmp(da, db)))
		return c < 0;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at;
	return a->id < b->id;
}

/* The follow-ups' list (now paged from ids ordered in a subquery) keeps
 * its order and its ties, what each viewer sees, and its pages: the
 * pages walked by offset are the whole list, cut. */
static void test_followup_pages_keep_order_ties_and_visibility(void **state)
{
	static const char *const status[] = {"open", "in-progress", "done",
					     "wont-do", "open"};
	static const char *const due[] = {NULL, "2026-01-01", "2026-02-01"};
	static const struct viewer outsider = {0, "[\"legal\"]"};
	const struct viewer *viewers[] = {NULL, &outsider};
	struct fx *f = *state;
	int64_t rid[12], now;
	int want[2][2] = {{0}}; /* [viewer][lingering] */
	int hidden[16] = {0}, gone[16] = {0};
	struct err e;

	assert_int_equal(time_parse_date("2026-01-15", &now), 0);
	for (int i = 0, k = 0; i < 12; i++) {
		struct review_doc doc = {0};
		struct record_list *l = &doc.children[CHILD_FOLLOWUP];

		doc.review = review_at(f->a, "checkout", T0 + i,
				       i % 4 == 1 ? "sre" : NULL);
		l->items = arena_alloc(f->a, sizeof *l->items * 3);
		for (int j = 0; j < 3; j++, k++) {
			struct record *fu = followup(f->a, status[k % 5]);

			if (due[k % 3])
				record_set_str(fu, FU_DUE, due[k % 3]);
			l->items[l->n++] = fu;
			if (i % 5 == 2 || k % 5 == 2 || k % 5 == 3)
				continue;
			for (int v = 0; v < 2; v++)
				if (!v || i % 4 != 1) {
					want[v][0]++;
					want[v][1] += k % 3 == 1;
				}
		}
		assert_int_equal(store_review_create(f->st, f->a, "t", &doc,
						     &rid[i], &e),
				 E_OK);
		hidden[i] = i % 4 == 1;
		gone[i] = i % 5 == 2;
		if (gone[i])
			assert_int_equal(store_review_delete(f->st, f->a, "t",
							     rid[i], 0, &e),
					 E_OK);
	}
	for (int c = 0; c < 4; c++) {
		struct followup_filter ff = {0};
		struct followup_row *all, *page;
		size_t n, np, at = 0;
		int64_t total;

		ff.viewer = viewers[c % 2];
		ff.lingering = c / 2;
		ff.now = now;
		ff.linger_seconds = 3650 * 86400;
		ff.limit = 500;
		assert_int_equal(store_followup_list(f->st, f->a, &ff, &all, &n,
						     &total, &e),
				 E_OK);
		assert_int_equal((int64_t)n, total);
		assert_int_equal((int)n, want[c % 2][c / 2]);
		for (size_t i = 0; i < n; i++) {
			int r = 0;

			while (r < 12 && rid[r] != all[i].review_id)
				r++;
			assert_true(r < 12 && !gone[r]);
			assert_false(c % 2 && hidden[r]);
			assert_string_not_equal(
				record_str(all[i].followup, FU_STATUS),
				"done");
			if (i)
				assert_true(fu_before(all[i - 1].followup,
						      all[i].followup));
		}
		/* pages of 4, by offset */
		ff.limit = 4;
		do {
			ff.offset = (int)at;
			assert_int_equal(store_followup_list(f->st, f->a, &ff,
							     &page, &np, &total,
							     &e),
					 E_OK);
			assert_int_equal((int64_t)n, total);
			for (size_t i = 0; i < np; i++)
				assert_int_equal(page[i].followup->id,
						 all[at + i].followup->id);
			at += np;
		} while (np == 4);
		assert_int_equal(at, n);
	}
}

/* ---- a list's tl;dr ---------------------------------------------------- */

/* A list holds at most STORE_LIST_TLDR_CHARS characters of each tl;dr (cut
 * in SQL), whatever was written: a page of 25 reviews with 256 KiB tl;drs
 * took 6 MB before. Characters, not bytes: a cut never splits one. */
static void test_list_cuts_a_long_tldr_to_its_first_characters(void **state)
{
	struct fx *f = *state;
	size_t n = 100 * 1000; /* "é" is 2 bytes: 200 KB */
	char *long_tldr = malloc(2 * n + 1);
	struct review_filter flt = {.limit = 10};
	struct record_list list;
	const char *want[3];
	struct record *r;
	char *cut;

	assert_non_null(long_tldr);
	for (size_t i = 0; i < n; i++)
		memcpy(long_tldr + 2 * i, "\xc3\xa9", 2);
	long_tldr[2 * n] = '\0';
	cut = malloc(2 * STORE_LIST_TLDR_CHARS + sizeof "…");
	assert_non_null(cut);
	memcpy(cut, long_tldr, 2 * STORE_LIST_TLDR_CHARS);
	strcpy(cut + 2 * STORE_LIST_TLDR_CHARS, "…");
	/* created in this order, listed newest first */
	r = review_at(f->a, "No tl;dr", T0 + 1, NULL);
	create_doc(f, r, 0, NULL);
	r = review_at(f->a, "Short tl;dr", T0 + 2, NULL);
	record_set_str(r, REVIEW_TLDR, "The **cache** expired.");
	create_doc(f, r, 0, NULL);
	r = review_at(f->a, "Long tl;dr", T0 + 3, NULL);
	record_set_str(r, REVIEW_TLDR, long_tldr);
	create_doc(f, r, 0, NULL);
	want[0] = cut, want[1] = "The **cache** expired.", want[2] = NULL;
	assert_int_equal(
		store_review_list(f->st, f->a, &flt, &list, NULL, NULL, NULL),
		E_OK);
	assert_int_equal(list.n, 3);
	for (int i = 0; i < 3; i++) {
		const char *got = record_str(list.items[i], REVIEW_TLDR);

		if (!want[i])
			assert_null(got);
		else
			assert_string_equal(got, want[i]);
	}
	free(cut);
	free(long_tldr);
}

/* ---- prefix words as exact terms (issue 21) ----------------------------- */

/* chat adds one message of text to review id's chat. */
static void chat(struct fx *f, int64_t id, const char *text)
{
	struct record *m = record_new(f->a, &transcript_def);
	struct transcript_import *ti;

	record_set_str(m, TR_CHANNEL, "#ops");
	record_set_str(m, TR_TS, "1700000000.000100");
	record_set_int(m, TR_AT, T0);
	record_set_str(m, TR_AUTHOR, "eve");
	record_set_str(m, TR_TEXT, text);
	record_set_str(m, TR_KIND, "message");
	assert_int_equal(store_transcript_begin(f->st, id, &ti, NULL), E_OK);
	assert_int_equal(store_transcript_add(ti, m, NULL), E_OK);
	assert_int_equal(store_transcript_commit(ti, "t", NULL, NULL), E_OK);
}

/* same_list: f's page, total and counts are the same with its words as
 * prefixes (prefix_terms < 0) and with each prefix_terms of terms. */
static void same_list(struct fx *f, struct review_filter flt)
{
	static const int terms[] = {0, 1, 2, 64};
	struct record_list want, got;
	struct review_counts wc, gc;
	int64_t wtotal = -1, gtotal = -2;
	int wcap = -1, gcap = -2;

	flt.prefix_terms = -1;
	flt.capped = &wcap;
	assert_int_equal(store_review_list(f->st, f->a, &flt, &want, NULL,
					   &wtotal, NULL),
			 E_OK);
	assert_int_equal(store_review_counts(f->st, &flt, &wc, NULL), E_OK);
	for (size_t t = 0; t < sizeof terms / sizeof terms[0]; t++) {
		flt.prefix_terms = terms[t];
		flt.capped = &gcap;
		assert_int_equal(store_review_list(f->st, f->a, &flt, &got,
						   NULL, &gtotal, NULL),
				 E_OK);
		assert_int_equal(store_review_counts(f->st, &flt, &gc, NULL),
				 E_OK);
		if (got.n != want.n || gtotal != wtotal || gcap != wcap ||
		    memcmp(&gc, &wc, sizeof gc))
			fail_msg("q \"%s\" (terms %d, limit %d, offset %d): "
				 "%zu reviews, total %lld, capped %d; as "
				 "prefixes %zu, %lld, %d",
				 flt.q, terms[t], flt.limit, flt.offset, got.n,
				 (long long)gtotal, gcap, want.n,
				 (long long)wtotal, wcap);
		for (size_t i = 0; i < got.n; i++)
			if (got.items[i]->id != want.items[i]->id)
				fail_msg("q \"%s\" (terms %d): review %zu is "
					 "%lld, as prefixes %lld",
					 flt.q, terms[t], i,
					 (long long)got.items[i]->id,
					 (long long)want.items[i]->id);
	}
}

static void test_prefix_words_as_terms_find_what_prefixes_find(void **state)
{
	struct fx *f = *state;
	static const struct viewer outsider = {0, "[\"legal\"]"};
	static const struct viewer insider = {0, "[\"sre\"]"};
	static const struct viewer *const viewers[] = {NULL, &outsider,
						       &insider};
	/* words sharing prefixes; stems whose own stem differs ("agreed"
	 * is kept as "agre", which reads back as "agr"; "database" as
	 * "databas"); diacritics, quotes, a phrase, non-Latin letters */
	static const char *const titles[] = {
		"Database failover", "Databases and data", "Dashboard data lag",
		"Zookeeper quorum", "Zookeepers agreed", "Agreement on agreed",
		"Café résumé", "Cafe resume", "e-mail relay", "email mailbox",
		"He said \"quote\" twice", "naïve naive", "Überlauf über",
		"日本語 テスト", "tk12 tk120 tk1200", "tk121 tk13",
		"general generalization", "generic generator", "x xx xxx",
	};
	static const char *const queries[] = {
		"database", "data", "dat", "da", "d", "zookeep", "zookeeper",
		"zoo agree", "agreed", "agre", "agr", "caf", "café", "CAFÉ",
		"résu", "e-mail", "e-ma", "mail", "\"quote\"", "quo\"te",
		"naïv", "über", "uber", "日本", "テスト", "tk12", "tk1", "tk",
		"gener", "generaliz", "x", "xx", "kube", "kubernetes",
		"database zookeep", "nothing-here", "data \"", "général",
		/* words without a token: FTS5 drops them from a plain AND */
		"database \xe2\x80\x94", "e-mail \xe2\x80\x94 relay",
		"failover \xe2\x80\xa6", "database \xf0\x9f\x94\xa5",
		"\xe2\x80\x94", "\xe2\x80\x94 \xf0\x9f\x94\xa5",
	};
	int64_t ids[64];
	size_t n = 0;
	const char *plan;
	char title[64];

	if (test_on_pg())
		skip(); /* SQLite's fts_terms; PostgreSQL has one query */
	/* many of each, so that a page walks the list (few matches start
	 * from the matches instead) */
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		{
			int64_t t = T0 - (int64_t)(n * 7 % 23) * 60;

			ids[n++] = create_doc(
				f,
				review_at(f->a, titles[i], t,
					  i % 4 == 1 ? "sre" : NULL),
				0, NULL);
		}
	/* and one word in nearly all, so that its first page seeks each
	 * review it walks (page_mode: the walk passes fewer reviews than
	 * its matches / 200) */
	for (int i = 0; i < 400; i++) {
		snprintf(title, sizeof title, "Data filler %d zookeeper", i);
		create_doc(f,
			   review_at(f->a, title, T0 - (int64_t)(i % 29) * 60,
				     i % 5 == 1 ? "sre" : NULL),
			   0, NULL);
	}
	chat(f, ids[3], "kubernetes zookeeperish database");
	chat(f, ids[20], "the dashboards were red");
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
		for (size_t v = 0; v < 3; v++) {
			struct review_filter flt = {.q = queries[q],
						    .viewer = viewers[v]};

			same_list(f, flt);
			flt.limit = 1;
			same_list(f, flt);
			flt.limit = 2;
			same_list(f, flt);
			flt.offset = 3;
			flt.count_cap = 2;
			same_list(f, flt);
			flt.offset = 0;
			flt.kind = "incident";
			same_list(f, flt);
		}

	/* the first page of a common word tests each review it walks by a
	 * seek of its id, not in the whole list of matches */
	{
		struct review_filter flt = {.q = "data", .limit = 1};

		assert_int_equal(
			store_review_list_plan(f->st, f->a, &flt, &plan, NULL),
			E_OK);
		assert_non_null(strstr(plan, "CORRELATED SCALAR SUBQUERY 1\n"
					     "SCAN review_fts VIRTUAL TABLE "
					     "INDEX 0:=M"));
		flt.prefix_terms = -1;
		assert_int_equal(
			store_review_list_plan(f->st, f->a, &flt, &plan, NULL),
			E_OK);
		assert_non_null(strstr(plan, "LIST SUBQUERY 1\n"
					     "SCAN review_fts VIRTUAL TABLE "
					     "INDEX 0:M"));
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cursor_pages_skip_and_repeat_nothing_while_reviews_are_added),
		T(test_cursor_parse_accepts_only_cursors),
		T(test_offset_and_cursor_pages_agree),
		T(test_offset_pages_from_either_end_agree),
		T(test_maintained_counts_equal_a_fresh_count_after_every_write),
		T(test_counts_survive_reopen),
		T(test_list_queries_never_scan_the_reviews_table),
		T(test_list_plans_hold_with_statistics),
		T(test_list_cuts_a_long_tldr_to_its_first_characters),
		T(test_followup_pages_keep_order_ties_and_visibility),
		T(test_prefix_words_as_terms_find_what_prefixes_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
