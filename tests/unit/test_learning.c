/* test_learning.c: learning across reviews below HTTP (issue 17): the
 * factor key and its SQL twin, the synonym list, what a typed search
 * becomes in FTS5 (never a syntax error), bm25 ranking with snippets and
 * filters, recurring factors, related reviews, on this day and the
 * trends' numbers; and that a restricted review reaches none of them for
 * a viewer outside its groups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "http/cache.h"
#include "http/http.h"
#include "model/factor_key.h"
#include "model/learning.h"
#include "model/record_json.h"
#include "model/review.h"
#include "model/ticket.h"
#include "model/transcript.h"
#include "store/db.h"
#include "store/db_driver.h"
#include "store/sqlite_internal.h"
#include "util/buf.h"
#include "store/store.h"
#include "test_db.h"
#include "count_checks.h"
#include "write_line.h"
#include "web/web.h"

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
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-learn-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (test_db_url(f->path, sizeof f->path, f->dir) < 0)
		return -1;
	f->a = arena_new();
	if (!f->a || store_open(f->path, &f->st, &e) != E_OK)
		return -1;
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

/* create stores a review given as JSON (children embedded). */
static int64_t create(struct fx *f, const char *json)
{
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);
	struct review_doc doc;
	int64_t id = 0;
	struct err e;

	if (!j)
		fail_msg("bad fixture JSON: %s", je.text);
	assert_int_equal(review_doc_from_json(f->a, j, &doc, &e), E_OK);
	record_fill_defaults(f->a, doc.review);
	assert_int_equal(store_review_create(f->st, f->a, "t", &doc, &id, &e),
			 E_OK);
	json_decref(j);
	return id;
}

/* json_record: a record of def from json, as a request gives it. */
static struct record *json_record(struct fx *f, const struct record_def *def,
				  const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	struct record *r;

	assert_non_null(j);
	assert_int_equal(record_from_json(f->a, def, j, &r, NULL), E_OK);
	json_decref(j);
	return r;
}

static const struct viewer everyone = {1, NULL};
static const struct viewer outsider = {0, "[\"ops\"]"};
static const struct viewer insider = {0, "[\"security\"]"};

/* ---- the factor key ------------------------------------------------- */

static void test_factor_key_lowers_and_collapses_whitespace(void **state)
{
	struct arena *a = arena_new();

	(void)state;
	assert_string_equal(factor_key(a, "  Missing\tRunbook \n"),
			    "missing runbook");
	assert_string_equal(factor_key(a, "DNS   TTL too LONG"),
			    "dns ttl too long");
	assert_string_equal(factor_key(a, "Café Überlast"), "café Überlast");
	assert_string_equal(factor_key(a, " \t\n"), "");
	arena_free(a);
}

/* The index of migration 013 is FACTOR_KEY_SQL: it must give what
 * factor_key gives, on any text. */
static void test_factor_key_and_its_sql_twin_agree(void **state)
{
	static const char *const texts[] = {
		"Missing runbook", "  a  b  ", "\tTab\tand\nnewline\r\n",
		"ALL CAPS", "x", "", "    many      spaces           here   ",
		"Ünïcode stays AS IS", "a - b", "trailing ",
	};
	struct arena *a = arena_new();
	sqlite3 *db;
	sqlite3_stmt *s;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT " FACTOR_KEY_SQL("?1"), -1,
					    &s, NULL),
			 SQLITE_OK);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		sqlite3_bind_text(s, 1, texts[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0),
				    factor_key(a, texts[i]));
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	arena_free(a);
}

static void test_synonyms_map_onto_the_first_name(void **state)
{
	struct arena *a = arena_new();
	struct factor_synonyms syn;
	const char **g;
	size_t n;
	struct err e;

	(void)state;
	assert_int_equal(factor_synonyms_parse(a,
					       "No runbook: missing runbook, "
					       "Runbook  absent\n\n"
					       "DNS: name resolution",
					       &syn, &e),
			 E_OK);
	assert_string_equal(factor_canonical(&syn, "missing runbook"),
			    "no runbook");
	assert_string_equal(factor_canonical(&syn, "runbook absent"),
			    "no runbook");
	assert_string_equal(factor_canonical(&syn, "no runbook"), "no runbook");
	assert_string_equal(factor_canonical(&syn, "other"), "other");
	assert_string_equal(factor_label(&syn, "no runbook"), "No runbook");
	g = factor_group(a, &syn, "no runbook", &n);
	assert_int_equal(n, 3);
	assert_string_equal(g[0], "no runbook");
	arena_free(a);
}

static void test_bad_synonym_lines_name_the_setting(void **state)
{
	static const char *const bad[] = {
		"no colon here", ": empty name", "a: b\nc: b",
	};
	struct arena *a = arena_new();
	struct factor_synonyms syn;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct err e;

		err_clear(&e);
		assert_int_equal(factor_synonyms_parse(a, bad[i], &syn, &e),
				 E_INVALID);
		assert_string_equal(e.field, "factor_synonyms");
	}
	arena_free(a);
}

/* ---- the search query ---------------------------------------------- */

static void test_typed_search_becomes_safe_fts(void **state)
{
	static const struct {
		const char *typed, *fts;
	} cases[] = {
		{"database failover", "\"database\" \"failover\""},
		{"\"failed over\"", "\"failed over\""},
		{"datab*", "\"datab\"*"},
		{"dns OR database", "((\"dns\") OR (\"database\"))"},
		{"dns -cache", "(\"dns\") NOT \"cache\""},
		{"dns NOT cache", "(\"dns\") NOT \"cache\""},
		/* not the syntax: plain words */
		{"\"unbalanced quote", "\"unbalanced\" \"quote\""},
		{"OR", "\"or\""},
		{"dns OR", "\"dns\" \"or\""},
		{"NOT", "\"not\""},
		{"title:foo", "\"title:foo\""},
		{"-cache", "\"cache\""},
		{"a\"b", "\"a\" \"b\""},
		{"( ) * ^ \"\"", NULL},
		{"", NULL},
	};
	struct arena *a = arena_new();

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = store_search_fts(a, cases[i].typed);

		if (!cases[i].fts) {
			assert_null(got);
			continue;
		}
		if (!got || strcmp(got, cases[i].fts))
			fail_msg("%s gave %s, not %s", cases[i].typed,
				 got ? got : "NULL", cases[i].fts);
	}
	arena_free(a);
}

static void test_no_typed_search_is_an_error(void **state)
{
	static const char *const typed[] = {
		"\"", "\"\"\"", "OR OR OR", "AND", "NOT NOT", "a OR OR b",
		"NEAR(a b)", "a:b:c", "^start", "col:\"x", "(((a", "a))",
		"*", "-", "--x", "x*y*", "\"a\"*b", "{a b}: c", "a + b",
		"\xc3\xa9t\xc3\xa9", "'single'", "\\\"",
	};
	struct fx *f = *state;

	create(f, "{\"title\": \"a b c\", \"summary\": \"start x y\"}");
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		struct search_query sq = {.q = typed[i]};
		struct search_hit *hits;
		size_t n;
		int64_t total;
		struct err e;

		err_clear(&e);
		if (store_search(f->st, f->a, &sq, &hits, &n, &total, &e) !=
		    E_OK)
			fail_msg("%s: %s", typed[i], e.message);
	}
}

/* ---- ranked search -------------------------------------------------- */

static void test_title_match_ranks_first_with_marked_snippets(void **state)
{
	struct fx *f = *state;
	int64_t body_id, title_id;
	struct search_query sq = {.q = "replication", .viewer = &everyone};
	struct search_hit *hits;
	size_t n;
	int64_t total;

	body_id = create(f, "{\"title\": \"Checkout slow\", \"summary\": "
			    "\"A long story where replication lag hurt.\"}");
	title_id = create(f, "{\"title\": \"Replication broke\", "
			     "\"summary\": \"replication again\"}");
	create(f, "{\"title\": \"Unrelated\", \"summary\": \"nothing\"}");
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 2);
	assert_int_equal(hits[0].review->id, title_id);
	assert_int_equal(hits[1].review->id, body_id);
	assert_non_null(strstr(hits[1].snippet,
			       STORE_MARK_OPEN "replication" STORE_MARK_CLOSE));
	assert_non_null(strstr(hits[0].title, STORE_MARK_OPEN "Replication"));
	assert_int_equal(hits[1].nmatches, 1);
	assert_string_equal(hits[1].matches[0].where, "Summary");
}

/* A hit's review holds the fields a result shows and no others (issue
 * 21: a page of hits read every column of its reviews). */
static void test_hit_reads_only_the_fields_it_shows(void **state)
{
	struct fx *f = *state;
	struct search_query sq = {.q = "zebra", .viewer = &everyone};
	struct search_hit *hits;
	size_t n;
	int64_t total, id;

	id = create(f, "{\"title\": \"Zebra loose\", \"kind\": "
		       "\"near-miss\", \"severity\": 2, \"started_at\": "
		       "\"2026-01-01T10:00:00Z\", \"owner_team\": "
		       "\"payments\", \"tldr\": \"a zebra\", \"summary\": "
		       "\"the zebra ran\"}");
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].review->id, id);
	assert_true(hits[0].review->version > 0);
	assert_string_equal(record_str(hits[0].review, REVIEW_TITLE),
			    "Zebra loose");
	assert_string_equal(record_str(hits[0].review, REVIEW_KIND),
			    "near-miss");
	assert_string_equal(record_str(hits[0].review, REVIEW_STATUS),
			    "draft");
	assert_int_equal(record_int(hits[0].review, REVIEW_SEVERITY, 0), 2);
	assert_true(record_isset(hits[0].review, REVIEW_STARTED_AT));
	assert_false(record_isset(hits[0].review, REVIEW_OWNER_TEAM));
	assert_false(record_isset(hits[0].review, REVIEW_TLDR));
	assert_false(record_isset(hits[0].review, REVIEW_SUMMARY));
}

static void test_matches_name_timeline_followups_and_factors(void **state)
{
	struct fx *f = *state;
	struct search_query sq = {.q = "zebra"};
	struct search_hit *hits;
	size_t n;
	int64_t total;

	create(f, "{\"title\": \"T\", \"summary\": \"line one\\nline two\", "
		  "\"timeline\": [{\"at\": \"2026-01-01T10:00:00Z\", "
		  "\"kind\": \"action\", \"text\": \"paged\\nthe zebra team\"}],"
		  "\"followups\": [{\"title\": \"feed the zebra\", "
		  "\"horizon\": \"short\"}], \"factors\": [{\"text\": "
		  "\"zebra crossing\", \"kind\": \"latent\"}]}");
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].nmatches, 3);
	assert_string_equal(hits[0].matches[0].where, "Timeline");
	assert_string_equal(hits[0].matches[1].where, "Follow-ups");
	assert_string_equal(hits[0].matches[2].where, "Contributing factors");
	assert_non_null(strstr(hits[0].matches[1].text, "feed the"));
}

/* lines_kept checks, on SQLite, that review id's row of
 * review_search_lines (040) is what counting its parts gives now
 * (lines_select): a write that rewrote the search row and not the lines
 * would leave a wrong part's name on a match. */
static void lines_kept(struct fx *f, int64_t id)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	char want[512] = "";
	size_t len = 0;

	if (test_on_pg())
		return;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(h, f->st->lines_select, -1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	for (int i = 1; i < sqlite3_column_count(s); i++)
		if (sqlite3_column_int64(s, i) != 1)
			len += (size_t)snprintf(
				want + len, sizeof want - len, "%s%d:%lld",
				len ? "," : "", i - 1,
				(long long)sqlite3_column_int64(s, i));
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT lines FROM "
					    "review_search_lines WHERE id = ?1",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), want);
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* zebra_places searches "zebra" and checks the places of review id's
 * matches, in order (up to 3). */
static void zebra_places(struct fx *f, int64_t id, const char *const *want)
{
	struct search_query sq = {.q = "zebra"};
	struct search_hit *hits;
	size_t n, k = 0;
	int64_t total;

	assert_int_equal(
		store_search(f->st, f->a, &sq, &hits, &n, &total, NULL), E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].review->id, id);
	for (; want[k]; k++) {
		assert_true(k < hits[0].nmatches);
		assert_string_equal(hits[0].matches[k].where, want[k]);
	}
	assert_int_equal(hits[0].nmatches, k);
}

/* save applies a whole review as JSON (children replaced) to id. */
static void save(struct fx *f, int64_t id, const char *json)
{
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);
	struct review_doc doc;
	struct err e;

	if (!j)
		fail_msg("bad fixture JSON: %s", je.text);
	assert_int_equal(review_doc_from_json(f->a, j, &doc, &e), E_OK);
	assert_int_equal(
		store_review_save(f->st, f->a, "t", id, 0, &doc, NULL, &e),
		E_OK);
	json_decref(j);
}

/* The lines of each part of the search body are kept with it (040) and
 * name the place of a match after every kind of write: review fields,
 * children created, changed and deleted, a delete and a restore; a row
 * that is missing or does not add up is counted again. */
static void test_match_places_follow_every_write(void **state)
{
	struct fx *f = *state;
	static const char *const tl_fu[] = {"Timeline", "Follow-ups", NULL};
	static const char *const sum_fu[] = {"Summary", "Follow-ups", NULL};
	static const char *const fu[] = {"Follow-ups", NULL};
	struct record *rec = record_new(f->a, child_defs[CHILD_TIMELINE]);
	struct record_list tl;
	int64_t id, child;
	struct err e;

	id = create(f,
		    "{\"title\": \"T\", \"summary\": \"one\\ntwo\\nthree\", "
		    "\"timeline\": [{\"at\": \"2026-01-01T10:00:00Z\", "
		    "\"kind\": \"action\", \"text\": \"a\\nb\\nthe zebra\"}],"
		    "\"followups\": [{\"title\": \"feed\", \"description\": "
		    "\"x\\nfeed the zebra\", \"horizon\": \"short\"}]}");
	lines_kept(f, id);
	zebra_places(f, id, tl_fu);
	/* fewer lines before the timeline, more in it */
	save(f, id,
	     "{\"summary\": \"one zebra\", \"timeline\": [{\"at\": "
	     "\"2026-01-01T10:00:00Z\", \"kind\": \"action\", \"text\": "
	     "\"a\\nb\\nc\\nd\"}], \"followups\": [{\"title\": "
	     "\"feed\", \"description\": \"x\\ny\\nfeed the zebra\", "
	     "\"horizon\": \"short\"}]}");
	lines_kept(f, id);
	zebra_places(f, id, sum_fu);
	/* a child added, then deleted, one at a time */
	record_set_str(rec, record_field(child_defs[CHILD_TIMELINE], "at"),
		       "2026-01-01T11:00:00Z");
	record_set_str(rec, record_field(child_defs[CHILD_TIMELINE], "kind"),
		       "action");
	record_set_str(rec, record_field(child_defs[CHILD_TIMELINE], "text"),
		       "p\nq\nr\ns\nt");
	record_fill_defaults(f->a, rec);
	assert_int_equal(store_child_create(f->st, f->a, "t", CHILD_TIMELINE,
					    id, rec, &child, NULL, &e),
			 E_OK);
	lines_kept(f, id);
	zebra_places(f, id, sum_fu);
	assert_int_equal(
		store_child_list(f->st, f->a, CHILD_TIMELINE, id, &tl, &e),
		E_OK);
	assert_int_equal(tl.n, 2);
	assert_int_equal(store_child_delete(f->st, f->a, "t", CHILD_TIMELINE,
					    id, tl.items[0]->id, 0, NULL, &e),
			 E_OK);
	lines_kept(f, id);
	save(f, id,
	     "{\"summary\": \"one\", \"followups\": [{\"title\": "
	     "\"feed\", \"description\": \"x\\ny\\nz\\nfeed the "
	     "zebra\", \"horizon\": \"short\"}]}");
	lines_kept(f, id);
	zebra_places(f, id, fu);
	assert_int_equal(store_review_delete(f->st, f->a, "t", id, 0, &e),
			 E_OK);
	assert_int_equal(store_review_restore(f->st, f->a, "t", id, &e), E_OK);
	lines_kept(f, id);
	zebra_places(f, id, fu);
	if (!test_on_pg()) {
		/* a row that is wrong, then none: counted from the rows */
		sqlite3 *h;

		assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h,
					      "UPDATE review_search_lines SET "
					      "lines = '0:40'",
					      NULL, NULL, NULL),
				 SQLITE_OK);
		zebra_places(f, id, fu);
		assert_int_equal(sqlite3_exec(h,
					      "DELETE FROM review_search_lines",
					      NULL, NULL, NULL),
				 SQLITE_OK);
		sqlite3_close(h);
		zebra_places(f, id, fu);
	}
}

/* search_row reads review id's search row on c into col[0..5) (malloc'd,
 * "" for NULL): PostgreSQL's title, body, tsvector and parts, SQLite's
 * title, body and lines. */
static void search_row(struct conn *c, int64_t id, char **col)
{
	const char *sql =
		test_on_pg()
			? "SELECT title, body, CAST(tsv AS TEXT), "
			  "CAST(part_len AS TEXT), CAST(part_tsv AS TEXT) "
			  "FROM review_fts WHERE rowid = ?1"
			: "SELECT title, body, (SELECT lines FROM "
			  "review_search_lines WHERE id = ?1), '', '' FROM "
			  "review_fts WHERE rowid = ?1";
	struct db_stmt *s = conn_stmt(c, sql, NULL);

	assert_non_null(s);
	db_bind_int64(s, 1, id);
	assert_int_equal(db_step(s), DB_ROW);
	for (int i = 0; i < 5; i++) {
		const char *t = db_column_text(s, i);

		col[i] = strdup(t ? t : "");
		assert_non_null(col[i]);
	}
	conn_done(c, s);
}

/* search_row_is_fresh checks that review id's search row, as the writes
 * before left it, is the row made anew from the review (every part sent
 * and parsed: fts_reindex with FTS_ALL after its row is deleted), in a
 * transaction rolled back. */
static void search_row_is_fresh(struct fx *f, int64_t id, const char *when)
{
	static const char *const names[] = {"title", "body", "tsv/lines",
					    "part_len", "part_tsv"};
	struct conn *c = conn_get(f->st, NULL);
	struct db_stmt *s;
	char *had[5], *fresh[5];

	assert_non_null(c);
	assert_int_equal(tx_begin(c, 1, NULL), E_OK);
	search_row(c, id, had);
	s = conn_stmt(c, "DELETE FROM review_fts WHERE rowid = ?1", NULL);
	assert_non_null(s);
	db_bind_int64(s, 1, id);
	assert_int_equal(db_step(s), DB_DONE);
	conn_done(c, s);
	assert_int_equal(fts_reindex(c, id, FTS_ALL, NULL), E_OK);
	search_row(c, id, fresh);
	tx_rollback(c);
	conn_put(c);
	for (int i = 0; i < 5; i++) {
		if (strcmp(had[i], fresh[i]))
			fail_msg("search row's %s after %s:\n%s\nmade anew:\n%s",
				 names[i], when, had[i], fresh[i]);
		free(had[i]);
		free(fresh[i]);
	}
}

/* child_edits creates a child of kind k of review id from json, checks
 * the search row, changes the child's field to text, checks, deletes
 * it, checks. */
static void child_edits(struct fx *f, int64_t id, enum child_kind k,
			const char *json, const char *field, const char *text)
{
	const struct record_def *cd = child_defs[k];
	struct record *patch = record_new(f->a, cd);
	char when[96];
	int64_t cid;

	assert_int_equal(store_child_create(f->st, f->a, "t", k, id,
					    json_record(f, cd, json), &cid,
					    NULL, NULL),
			 E_OK);
	snprintf(when, sizeof when, "%s added", cd->segment);
	search_row_is_fresh(f, id, when);
	record_set_str(patch, record_field(cd, field), text);
	assert_int_equal(store_child_update(f->st, f->a, "t", k, id, cid, 0,
					    patch, NULL, NULL, NULL),
			 E_OK);
	snprintf(when, sizeof when, "%s changed", cd->segment);
	search_row_is_fresh(f, id, when);
	assert_int_equal(
		store_child_delete(f->st, f->a, "t", k, id, cid, 0, NULL, NULL),
		E_OK);
	snprintf(when, sizeof when, "%s deleted", cd->segment);
	search_row_is_fresh(f, id, when);
}

/* A write sends the search row only the parts it changed (PostgreSQL:
 * pg/044; a write that changed none of its text writes no row on either
 * backend): after each kind of write, each searched field of the review,
 * each list's child added, changed and deleted, the edit page's save, a
 * ticket, a delete and a restore, the row is the one made anew. */
static void test_search_row_after_each_write_equals_one_made_anew(void **state)
{
	struct fx *f = *state;
	int64_t id, arch, fid;
	struct record *patch, *ticket;
	int patched = 0;

	id = create(f,
		    "{\"title\": \"Queue stall\", \"summary\": \"one\\ntwo\", "
		    "\"timeline\": [{\"at\": \"2026-01-01T10:00:00Z\", "
		    "\"kind\": \"action\", \"text\": \"restarted\"}],"
		    "\"followups\": [{\"title\": \"alert\", \"description\": "
		    "\"page on depth\", \"horizon\": \"short\"}]}");
	search_row_is_fresh(f, id, "create");
	for (size_t fi = 0; fi < review_def.nfields; fi++) {
		char word[64], when[96];

		if ((fi != REVIEW_TITLE && !search_part_field(fi)) ||
		    !review_kind_has_field("incident", (int)fi))
			continue;
		patch = record_new(f->a, &review_def);
		snprintf(word, sizeof word, "walrus%zu", fi);
		assert_int_equal(record_parse_value(f->a, patch, (int)fi, word,
						    NULL),
				 E_OK);
		if (store_review_update(f->st, f->a, "t", id, 0, patch, NULL,
					NULL) != E_OK)
			continue; /* a value of its own (a team's name) */
		snprintf(when, sizeof when, "%s changed",
			 review_def.fields[fi].name);
		search_row_is_fresh(f, id, when);
		patched++;
	}
	assert_true(patched >= 10);
	patch = record_new(f->a, &review_def);
	record_set_int(patch, REVIEW_SEVERITY, 2);
	assert_int_equal(
		store_review_update(f->st, f->a, "t", id, 0, patch, NULL, NULL),
		E_OK);
	search_row_is_fresh(f, id, "a field not searched changed");
	child_edits(f, id, CHILD_TIMELINE,
		    "{\"at\": \"2026-01-01T11:00:00Z\", \"kind\": \"action\", "
		    "\"text\": \"failed over\"}",
		    "text", "rolled back");
	child_edits(f, id, CHILD_FOLLOWUP,
		    "{\"title\": \"cap\", \"horizon\": \"long\"}", "title",
		    "bound the queue");
	child_edits(f, id, CHILD_FACTOR, "{\"text\": \"no backpressure\"}",
		    "text", "unbounded retries");
	child_edits(f, id, CHILD_COMMENT, "{\"body\": \"good catch\"}", "body",
		    "agreed");
	save(f, id,
	     "{\"tldr\": \"saved\", \"timeline\": [{\"at\": "
	     "\"2026-01-01T10:00:00Z\", \"kind\": \"action\", \"text\": "
	     "\"drained\"}], \"followups\": [{\"title\": \"alert\", "
	     "\"horizon\": \"short\"}]}");
	search_row_is_fresh(f, id, "save");
	/* a ticket linked to a follow-up changes its text */
	fid = 0;
	{
		struct record_list l;

		assert_int_equal(store_child_list(f->st, f->a, CHILD_FOLLOWUP,
						  id, &l, NULL),
				 E_OK);
		assert_true(l.n > 0);
		fid = l.items[0]->id;
	}
	ticket = record_new(f->a, &ticket_def);
	record_set_int(ticket, TK_FOLLOWUP_ID, fid);
	record_set_str(ticket, TK_TRACKER, "ops");
	record_set_str(ticket, TK_KEY, "OPS-7");
	record_set_str(ticket, TK_URL, "https://x.example/browse/OPS-7");
	record_set_str(ticket, TK_STATUS, "Open");
	record_fill_defaults(f->a, ticket);
	assert_int_equal(
		store_ticket_link(f->st, f->a, "t", id, ticket, NULL, NULL),
		E_OK);
	search_row_is_fresh(f, id, "ticket linked");
	assert_int_equal(store_review_delete(f->st, f->a, "t", id, 0, NULL),
			 E_OK);
	assert_int_equal(store_review_restore(f->st, f->a, "t", id, NULL),
			 E_OK);
	search_row_is_fresh(f, id, "delete and restore");

	arch = create(f, "{\"title\": \"Adopt a queue\", \"kind\": "
			 "\"architecture\", \"proposal\": \"use it\"}");
	search_row_is_fresh(f, arch, "architecture review created");
	child_edits(f, arch, CHILD_DEPARTURE, "{\"technology\": \"Kafka\"}",
		    "technology", "Pulsar");
	child_edits(f, arch, CHILD_QUESTION, "{\"text\": \"who runs it?\"}",
		    "text", "who pages?");
}

struct field_writer {
	struct store *st;
	int64_t id;
	int field;
	const char *text;
	enum err_code rc;
};

static void *write_field(void *arg)
{
	struct field_writer *w = arg;
	struct arena *a = arena_new();
	struct record *patch = record_new(a, &review_def);

	record_set_str(patch, w->field, w->text);
	w->rc = store_review_update(w->st, a, "t", w->id, 0, patch, NULL,
				    NULL);
	arena_free(a);
	return NULL;
}

/* Writes queued behind an import that holds the write turn are made in
 * one group commit, each changing another part of one of two reviews:
 * the group's parts are merged (a write's mask alone would leave the
 * parts of the writes before it unsent), so each review's search row is
 * the one made anew. */
static void test_search_rows_after_a_group_commit_equal_ones_made_anew(
	void **state)
{
	struct fx *f = *state;
	int64_t ra = create(f, "{\"title\": \"A\", \"summary\": \"one\"}");
	int64_t rb = create(f, "{\"title\": \"B\", \"tldr\": \"two\"}");
	struct field_writer w[] = {
		{f->st, ra, REVIEW_SUMMARY, "walrus summary", E_OK},
		{f->st, rb, REVIEW_TLDR, "walrus tldr", E_OK},
		{f->st, ra, REVIEW_TITLE, "Walrus title", E_OK},
		{f->st, rb, REVIEW_IMPACT, "walrus impact", E_OK},
	};
	enum { N = sizeof w / sizeof w[0] };
	pthread_t th[N];
	struct transcript_import *ti;

	assert_int_equal(store_transcript_begin(f->st, ra, &ti, NULL), E_OK);
	for (int i = 0; i < N; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, write_field, &w[i]),
				 0);
		queued(f->st, i + 1);
	}
	store_transcript_abort(ti);
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, E_OK);
	}
	search_row_is_fresh(f, ra, "a group commit (review A)");
	search_row_is_fresh(f, rb, "a group commit (review B)");
}

/* Migration 040 fills the lines of the reviews already there. */
static void test_migration_040_counts_the_reviews_there(void **state)
{
	struct fx *f = *state;
	sqlite3 *h;
	int64_t id;
	struct err e;

	if (test_on_pg())
		skip();
	id = create(f, "{\"title\": \"T\", \"summary\": \"a\\nb\", "
		       "\"timeline\": [{\"at\": \"2026-01-01T10:00:00Z\", "
		       "\"kind\": \"action\", \"text\": \"c\\nd\\ne\"}]}");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
				      "DROP TABLE review_search_lines; DELETE "
				      "FROM schema_migrations WHERE version = "
				      "40",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(store_open(f->path, &f->st, &e), E_OK);
	lines_kept(f, id);
}

static void test_phrase_prefix_or_not_and_filters(void **state)
{
	struct fx *f = *state;
	struct search_hit *hits;
	size_t n;
	int64_t total;
	int64_t a, b;

	a = create(f, "{\"title\": \"Disk full\", \"kind\": \"incident\", "
		      "\"severity\": 2, \"owner_team\": \"storage\", "
		      "\"services\": [\"db\"], \"tags\": [\"disk\"], "
		      "\"started_at\": \"2025-05-01T00:00:00Z\", "
		      "\"summary\": \"the database disk was full\", "
		      "\"followups\": [{\"title\": \"alert\", \"horizon\": "
		      "\"short\"}]}");
	b = create(f, "{\"title\": \"Full moon\", \"kind\": \"near-miss\", "
		      "\"started_at\": \"2026-05-01T00:00:00Z\", "
		      "\"summary\": \"disk was fine, database was full of "
		      "ghosts\"}");
#define SEARCH(...)                                                         \
	do {                                                                \
		struct search_query sq = {__VA_ARGS__};                     \
		assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n,  \
					      &total, NULL),                \
				 E_OK);                                     \
	} while (0)
	SEARCH(.q = "\"disk was full\"");
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, a);
	SEARCH(.q = "datab*");
	assert_int_equal(total, 2);
	SEARCH(.q = "moon OR alert");
	assert_int_equal(total, 2);
	SEARCH(.q = "full -ghosts");
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, a);
	SEARCH(.q = "full", .kind = "near-miss");
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, b);
	SEARCH(.q = "full", .severity = 2);
	assert_int_equal(total, 1);
	SEARCH(.q = "full", .service = "db");
	assert_int_equal(total, 1);
	SEARCH(.q = "full", .team = "storage");
	assert_int_equal(total, 1);
	SEARCH(.q = "full", .tag = "disk");
	assert_int_equal(total, 1);
	SEARCH(.q = "full", .open_followups = 1);
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, a);
	SEARCH(.q = "full", .from = 1767225600); /* 2026-01-01 */
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, b);
	SEARCH(.q = "full", .limit = 1, .offset = 1);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
#undef SEARCH
}

/* ---- visibility ------------------------------------------------------ */

/* One open and one restricted review sharing every word, factor, tag and
 * service; the secret word is only in the restricted one. */
static int64_t restricted_world(struct fx *f, int64_t *open_id)
{
	*open_id = create(
		f, "{\"title\": \"Cache stampede\", \"summary\": \"cache "
		   "stampede\", \"services\": [\"api\"], \"tags\": [\"cache\"], "
		   "\"started_at\": \"2024-06-01T10:00:00Z\", "
		   "\"detected_at\": \"2024-06-01T10:10:00Z\", "
		   "\"factors\": [{\"text\": \"No rate limit\", \"kind\": "
		   "\"latent\"}], \"followups\": [{\"title\": \"limit\", "
		   "\"horizon\": \"short\"}]}");
	return create(
		f, "{\"title\": \"Cache stampede again\", \"summary\": "
		   "\"cache stampede and the secret word zanzibar\", "
		   "\"restricted_to\": [\"security\"], \"services\": [\"api\"], "
		   "\"tags\": [\"cache\"], \"started_at\": "
		   "\"2025-06-01T10:00:00Z\", \"detected_at\": "
		   "\"2025-06-01T12:00:00Z\", \"factors\": [{\"text\": "
		   "\"no rate  LIMIT\", \"kind\": \"latent\"}, {\"text\": "
		   "\"Secret factor\", \"kind\": \"trigger\"}], "
		   "\"followups\": [{\"title\": \"zanzibar\", \"horizon\": "
		   "\"short\"}]}");
}

static void test_restricted_review_reaches_no_search(void **state)
{
	struct fx *f = *state;
	int64_t open_id, secret_id = restricted_world(f, &open_id);
	struct search_hit *hits;
	size_t n;
	int64_t total;
	struct search_query out = {.q = "zanzibar", .viewer = &outsider};
	struct search_query in = {.q = "zanzibar", .viewer = &insider};
	struct search_query both = {.q = "stampede", .viewer = &outsider};

	assert_int_equal(store_search(f->st, f->a, &out, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_search(f->st, f->a, &both, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, open_id);
	assert_null(strstr(hits[0].snippet, "zanzibar"));
	assert_int_equal(store_search(f->st, f->a, &in, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, secret_id);
}

/* chat imports a message saying text into review id. */
static void chat(struct fx *f, int64_t id, const char *text)
{
	struct record *m = record_new(f->a, &transcript_def);
	struct transcript_import *ti;

	record_set_str(m, TR_CHANNEL, "#ops");
	record_set_str(m, TR_TS, "1700000000.000100");
	record_set_int(m, TR_AT, 1700000000);
	record_set_str(m, TR_AUTHOR, "eve");
	record_set_str(m, TR_TEXT, text);
	record_set_str(m, TR_KIND, "message");
	assert_int_equal(store_transcript_begin(f->st, id, &ti, NULL), E_OK);
	assert_int_equal(store_transcript_add(ti, m, NULL), E_OK);
	assert_int_equal(store_transcript_commit(ti, "t", NULL, NULL), E_OK);
}

static void test_chat_is_searched_and_kept_from_outsiders(void **state)
{
	struct fx *f = *state;
	int64_t open_id, secret_id = restricted_world(f, &open_id);
	struct search_query out = {.q = "zebrafish", .viewer = &outsider};
	struct search_query in = {.q = "zebrafish", .viewer = &insider};
	struct search_query both = {.q = "stampede OR zebrafish",
				    .viewer = &insider};
	struct search_hit *hits;
	size_t n;
	int64_t total;

	chat(f, secret_id, "the zebrafish alert fired twice");
	assert_int_equal(store_search(f->st, f->a, &out, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 0);
	assert_int_equal(store_search(f->st, f->a, &in, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 1);
	assert_int_equal(hits[0].review->id, secret_id);
	assert_int_equal(hits[0].nmatches, 1);
	assert_string_equal(hits[0].matches[0].where, "Chat");
	assert_non_null(strstr(hits[0].snippet,
			       STORE_MARK_OPEN "zebrafish" STORE_MARK_CLOSE));
	assert_int_equal(store_search(f->st, f->a, &both, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(total, 2); /* each review once */
	assert_int_equal(n, 2);
}

/* lanterns creates n reviews whose summary says "lantern", the first
 * with it in its title too; restricted (NULL: none) restricts the last
 * nrestricted of them. Ids in *ids (oldest first). */
static void lanterns(struct fx *f, int n, int nrestricted,
		     const char *restricted, int64_t *ids)
{
	for (int i = 0; i < n; i++) {
		char json[256];

		snprintf(json, sizeof json,
			 "{\"title\": \"%s %d\", \"summary\": \"a lantern "
			 "and more words about lamps\"%s%s%s}",
			 i ? "Review" : "Lantern", i,
			 i >= n - nrestricted ? ", \"restricted_to\": [\"" : "",
			 i >= n - nrestricted ? restricted : "",
			 i >= n - nrestricted ? "\"]" : "");
		ids[i] = create(f, json);
	}
}

static void test_common_word_ranks_its_newest_window(void **state)
{
	struct fx *f = *state;
	int64_t ids[12], total;
	struct search_query sq = {.q = "lantern", .limit = 2};
	struct search_hit *hits;
	size_t n;

	lanterns(f, 12, 0, NULL, ids);
	/* every match ranked: the title match, the oldest, first */
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 12);
	assert_int_equal(hits[0].review->id, ids[0]);
	/* a window of the newest 4: the oldest is not ranked; the total
	 * still counts every match */
	sq.rank_window = 4;
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 12);
	for (size_t i = 0; i < n; i++)
		assert_true(hits[i].review->id >= ids[8]);
	/* a page past the window goes on into the older matches, newest
	 * first: the oldest (the title match) is last */
	sq.offset = 10;
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 12);
	assert_int_equal(hits[0].review->id, ids[1]);
	assert_int_equal(hits[1].review->id, ids[0]);
	/* the last page, not full (1 hit), and a page past the end (none):
	 * the same total, the first from the hits, the second counted */
	for (sq.offset = 11; sq.offset <= 20; sq.offset += 9) {
		assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n,
					      &total, NULL),
				 E_OK);
		assert_int_equal(n, sq.offset == 11 ? 1 : 0);
		assert_int_equal(total, 12);
	}
	/* fewer matches than the window: all ranked */
	sq.offset = 0;
	sq.rank_window = 12;
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(hits[0].review->id, ids[0]);
}

/* walk_pages searches sq page by page (sq->limit each) to the end and
 * counts in seen[] how often each of ids[0..n) came back; returns the
 * number of hits. */
static int walk_pages(struct fx *f, struct search_query *sq,
		      const int64_t *ids, int n, int *seen)
{
	int hits_seen = 0;

	memset(seen, 0, sizeof *seen * (size_t)n);
	for (sq->offset = 0;; sq->offset += sq->limit) {
		struct search_hit *hits;
		size_t got;
		int64_t total;

		assert_int_equal(store_search(f->st, f->a, sq, &hits, &got,
					      &total, NULL),
				 E_OK);
		for (size_t i = 0; i < got; i++)
			for (int k = 0; k < n; k++)
				if (hits[i].review->id == ids[k])
					seen[k]++;
		hits_seen += (int)got;
		if (got < (size_t)sq->limit) {
			/* the last page's total (not counted: the hits) */
			assert_int_equal(total, hits_seen);
			return hits_seen;
		}
	}
}

/* Every page of a ranked search is a slice of one order: walking the
 * pages returns each match once, whatever the window and the viewer
 * (a window that grew with the offset repeated and skipped reviews). */
static void test_ranked_pages_neither_skip_nor_repeat(void **state)
{
	struct fx *f = *state;
	int64_t ids[12];
	int seen[12];
	struct search_query sq = {.q = "lantern", .limit = 2};

	lanterns(f, 12, 5, "security", ids);
	for (int w = 0; w <= 13; w++) {
		sq.rank_window = w;
		sq.viewer = NULL;
		assert_int_equal(walk_pages(f, &sq, ids, 12, seen), 12);
		for (int k = 0; k < 12; k++)
			assert_int_equal(seen[k], 1);
		/* the outsider sees the 7 oldest, each once */
		sq.viewer = &outsider;
		assert_int_equal(walk_pages(f, &sq, ids, 12, seen), 7);
		for (int k = 0; k < 12; k++)
			assert_int_equal(seen[k], k < 7);
	}
}

static void test_a_window_the_viewer_cannot_see_goes_on_to_older_ones(void **state)
{
	struct fx *f = *state;
	int64_t ids[9], total;
	struct search_query sq = {.q = "lantern", .limit = 3, .rank_window = 2,
				  .viewer = &outsider};
	struct search_hit *hits;
	size_t n;

	/* the 6 newest are the security group's: a window of the newest
	 * 4 holds none the outsider sees */
	lanterns(f, 9, 6, "security", ids);
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 3);
	assert_int_equal(total, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(hits[i].review->id <= ids[2]);
	sq.viewer = &insider;
	assert_int_equal(store_search(f->st, f->a, &sq, &hits, &n, &total,
				      NULL),
			 E_OK);
	assert_int_equal(n, 3);
	assert_int_equal(total, 9);
}

/* rank_table opens a database of 10,000 rows in FTS5 table t: "common"
 * in every body, "often" in 3 of 10 (3,000: more than the rank counts,
 * so estimated), "rare" in 1 title of 7 and 1 body of 100. */
static sqlite3 *rank_table(void)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(h,
			     "CREATE VIRTUAL TABLE t USING fts5(title, body); "
			     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
			     "i + 1 FROM n WHERE i < 10000) INSERT INTO t "
			     "(rowid, title, body) SELECT i, CASE WHEN i % 7 = 0 "
			     "THEN 'rare title' ELSE 'title' END, 'common words "
			     "' || CASE WHEN i % 10 < 3 THEN 'often often ' ELSE "
			     "'' END || CASE WHEN i % 100 = 0 THEN 'rare ' ELSE "
			     "'' END || substr('x y z w v u t s r q', 1, i % 19) "
			     "FROM n",
			     NULL, NULL, NULL),
		SQLITE_OK);
	return h;
}

/* rank_scores reads bm25(t, 10.0, 1.0) of the rows matching q, by rowid,
 * into out (at most 10,000); returns how many. */
static int rank_scores(sqlite3 *h, const char *q, double *out)
{
	sqlite3_stmt *s;
	int i = 0;

	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT bm25(t, 10.0, 1.0) FROM t "
					    "WHERE t MATCH ?1 ORDER BY rowid",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW && i < 10000)
		out[i++] = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return i;
}

static void test_rank_scores_as_fts5s_bm25(void **state)
{
	/* exact: each phrase in fewer rows than the rank counts, or in more
	 * than half (the idf's floor either way) */
	static const struct {
		const char *q;
		int exact;
	} cases[] = {{"common", 1},	 {"rare", 1},	      {"often", 0},
		     {"rare often", 0}, {"common rare", 1}};
	double *fts5 = malloc(sizeof *fts5 * 10000);
	double *ours = malloc(sizeof *ours * 10000);

	(void)state;
	assert_non_null(fts5);
	assert_non_null(ours);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		sqlite3 *h = rank_table();
		int n = rank_scores(h, cases[c].q, fts5);

		assert_true(n > 0);
		assert_int_equal(db_sqlite_rank_register(h), SQLITE_OK);
		assert_int_equal(rank_scores(h, cases[c].q, ours), n);
		for (int i = 0; i < n; i++) {
			double d = fts5[i] - ours[i], m = -fts5[i];

			if (d < 0)
				d = -d;
			if (d > (cases[c].exact ? 1e-12 : 0.02) * m)
				fail_msg("%s, row %d: FTS5 %.17g, ours %.17g",
					 cases[c].q, i, fts5[i], ours[i]);
		}
		sqlite3_close(h);
	}
	free(fts5);
	free(ours);
}

static void test_restricted_review_reaches_no_factor_count(void **state)
{
	struct fx *f = *state;
	int64_t open_id, secret_id = restricted_world(f, &open_id);
	struct factor_count *fc;
	struct factor_seen *seen;
	size_t n, nseen;

	assert_int_equal(store_factor_counts(f->st, f->a, &outsider, NULL, 1,
					     0, &fc, &n, NULL),
			 E_OK);
	assert_int_equal(n, 1);
	assert_string_equal(fc[0].key, "no rate limit");
	assert_int_equal(fc[0].reviews, 1);
	assert_int_equal(fc[0].nids, 1);
	assert_int_equal(fc[0].review_ids[0], open_id);
	assert_int_equal(store_factor_counts(f->st, f->a, &insider, NULL, 2,
					     0, &fc, &n, NULL),
			 E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(fc[0].reviews, 2);
	assert_int_equal(store_factor_seen(f->st, f->a, &outsider, NULL,
					   open_id, &seen, &nseen, NULL),
			 E_OK);
	assert_int_equal(nseen, 1);
	assert_string_equal(seen[0].key, "no rate limit");
	assert_int_equal(seen[0].seen, 0);
	assert_int_equal(store_factor_seen(f->st, f->a, &insider, NULL,
					   open_id, &seen, &nseen, NULL),
			 E_OK);
	assert_int_equal(seen[0].seen, 1);
	/* the restricted review's own factors, seen from the open one */
	assert_int_equal(store_factor_seen(f->st, f->a, &insider, NULL,
					   secret_id, &seen, &nseen, NULL),
			 E_OK);
	assert_int_equal(nseen, 2);
	(void)secret_id;
}

static void test_synonyms_merge_counts_once_per_review(void **state)
{
	struct fx *f = *state;
	struct factor_synonyms syn;
	struct factor_count *fc;
	size_t n;
	struct err e;

	create(f, "{\"title\": \"a\", \"factors\": [{\"text\": \"No runbook\", "
		  "\"kind\": \"latent\"}, {\"text\": \"missing runbook\", "
		  "\"kind\": \"latent\"}]}");
	create(f, "{\"title\": \"b\", \"factors\": [{\"text\": \"Missing "
		  "Runbook\", \"kind\": \"latent\"}]}");
	create(f, "{\"title\": \"c\", \"factors\": [{\"text\": \"other\", "
		  "\"kind\": \"latent\"}]}");
	assert_int_equal(factor_synonyms_parse(f->a,
					       "No runbook: missing runbook",
					       &syn, &e),
			 E_OK);
	assert_int_equal(store_factor_counts(f->st, f->a, &everyone, &syn, 1,
					     0, &fc, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(fc[0].label, "No runbook");
	assert_int_equal(fc[0].reviews, 2);
	assert_int_equal(fc[1].reviews, 1);
}

static void test_related_shares_factors_and_tags_not_secrets(void **state)
{
	struct fx *f = *state;
	int64_t open_id, secret_id = restricted_world(f, &open_id), other;
	struct related_review *rel;
	size_t n;

	other = create(f, "{\"title\": \"Rate limits everywhere\", "
			  "\"tags\": [\"cache\"], \"factors\": [{\"text\": "
			  "\"no rate limit\", \"kind\": \"trigger\"}]}");
	create(f, "{\"title\": \"Nothing alike\"}");
	assert_int_equal(store_related(f->st, f->a, &outsider, NULL, open_id,
				       5, &rel, &n, NULL),
			 E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rel[0].id, other);
	assert_int_equal(rel[0].shared_factors, 1);
	assert_int_equal(rel[0].shared_tags, 1);
	assert_int_equal(store_related(f->st, f->a, &insider, NULL, open_id, 5,
				       &rel, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rel[0].id, secret_id); /* words, factor, tag, service */
}

static void test_related_words_count_until_factors_and_tags_fill_the_list(
	void **state)
{
	struct fx *f = *state;
	struct related_review *rel;
	size_t n;
	int64_t a, words, tag, shared[5];

	a = create(f, "{\"title\": \"Kafka consumer lag\", \"tags\": "
		      "[\"queue\"]}");
	words = create(f, "{\"title\": \"Kafka consumer lag again\"}");
	tag = create(f, "{\"title\": \"Unlike\", \"tags\": [\"queue\"]}");
	/* one shared tag (2 points) is not enough: similar words count */
	assert_int_equal(store_related(f->st, f->a, &everyone, NULL, a, 5, &rel,
				       &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rel[0].id, words);
	assert_int_equal(rel[0].text, 1);
	assert_int_equal(rel[1].id, tag);
	assert_int_equal(rel[1].shared_tags, 1);
	/* five reviews that share a factor fill the list: a review alike
	 * only in words is not listed (and no text search runs: it could
	 * not change who is) */
	a = create(f, "{\"title\": \"Disk full on brokers\", \"factors\": "
		      "[{\"text\": \"No backpressure\", \"kind\": "
		      "\"latent\"}]}");
	words = create(f, "{\"title\": \"Disk full on brokers again\"}");
	for (int i = 0; i < 5; i++)
		shared[i] = create(f, "{\"title\": \"Unlike\", \"factors\": "
				      "[{\"text\": \"no  backpressure\", "
				      "\"kind\": \"latent\"}]}");
	assert_int_equal(store_related(f->st, f->a, &everyone, NULL, a, 5, &rel,
				       &n, NULL),
			 E_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rel[i].shared_factors, 1);
		assert_int_equal(rel[i].id, shared[4 - i]); /* newest first */
	}
}

static void test_related_looks_past_the_best_when_they_are_hidden(
	void **state)
{
	struct fx *f = *state;
	struct related_review *rel;
	size_t n;
	int64_t a, open[5];

	a = create(f, "{\"title\": \"A\", \"tags\": [\"x\", \"y\"]}");
	for (int i = 0; i < 5; i++)
		open[i] = create(f, "{\"title\": \"Open\", \"tags\": [\"x\"]}");
	/* ten better candidates (two shared tags), none for outsiders */
	for (int i = 0; i < 10; i++)
		create(f, "{\"title\": \"Hidden\", \"tags\": [\"x\", \"y\"], "
			  "\"restricted_to\": [\"security\"]}");
	assert_int_equal(store_related(f->st, f->a, &outsider, NULL, a, 5, &rel,
				       &n, NULL),
			 E_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rel[i].id, open[4 - i]);
	assert_int_equal(store_related(f->st, f->a, &insider, NULL, a, 5, &rel,
				       &n, NULL),
			 E_OK);
	assert_int_equal(n, 5);
	assert_int_equal(rel[0].shared_tags, 2);
}

/* ---- related reviews on the review page, stored ------------------- */

/* page_of answers GET /reviews/id through the page handler for a reader
 * in groups (a token: no read noted), with the server's page cache and
 * stored renders; returns the body (from a). */
static const char *page_of(struct fx *f, struct page_cache *cache,
			   int64_t id, const char *groups)
{
	struct config cfg;
	struct app app = {0};
	struct request req;
	struct response res;
	char path[64];
	const char *body;

	config_defaults(&cfg);
	app.store = f->st;
	app.cfg = &cfg;
	app.cache = cache;
	snprintf(path, sizeof path, "/reviews/%lld", (long long)id);
	assert_ptr_equal(request_as(&req, &res, &app, f->a, "GET", path,
				    "reader", ROLE_READER, groups),
			 web_review_page);
	web_review_page(&req, &res);
	assert_int_equal(res.status, 200);
	body = arena_strdup(f->a, buf_cstr(&res.body));
	buf_release(&res.body);
	store_render_flush(f->st); /* what it stored is written */
	return body;
}

static int lists(const char *body, int64_t id)
{
	char href[64];

	snprintf(href, sizeof href, "href=\"/reviews/%lld\"", (long long)id);
	return strstr(body, href) != NULL;
}

static void patch_review(struct fx *f, int64_t id, int field,
			 const char *value)
{
	struct record *patch = record_new(f->a, &review_def);

	if (field == REVIEW_RESTRICTED_TO)
		record_set_list(patch, field, &value, 1);
	else
		record_set_str(patch, field, value);
	assert_int_equal(store_review_update(f->st, f->a, "t", id, 0, patch,
					     NULL, NULL),
			 E_OK);
}

/* A review's stored related list outlives writes to other reviews (the
 * freshness rule of store.h) and is computed again when the review
 * changes; served stored, it never names a review the reader no longer
 * sees, its titles are the current ones, and its "seen in" counts leave
 * out a review restricted since. */
static void test_stored_related_list_keeps_through_writes_elsewhere(
	void **state)
{
	struct fx *f = *state;
	struct page_cache *cache = page_cache_new(64, 1 << 20);
	const char *ops = "[\"ops\"]";
	const char *body;
	int64_t a, b, r, c, d;

	assert_non_null(cache);
	a = create(f, "{\"title\": \"Queue backlog\", \"tags\": "
		      "[\"queue\"], \"factors\": [{\"text\": \"No "
		      "runbook\", \"kind\": \"latent\"}]}");
	b = create(f, "{\"title\": \"Broker restart\", \"tags\": "
		      "[\"queue\"]}");
	r = create(f, "{\"title\": \"Consumer lag\", \"tags\": "
		      "[\"queue\"], \"factors\": [{\"text\": \"no "
		      "RUNBOOK\", \"kind\": \"latent\"}]}");
	d = create(f, "{\"title\": \"Disk full\", \"tags\": "
		      "[\"disk\"]}");
	body = page_of(f, cache, a, ops);
	assert_true(lists(body, b) && lists(body, r));
	assert_non_null(strstr(body, "seen in 1 other review<"));
	page_of(f, cache, d, ops); /* D's list: stored, empty */
	/* a new review sharing A's tag, and an edit of another: A's list
	 * is the stored one, without the new review */
	c = create(f, "{\"title\": \"Queue full again\", \"tags\": "
		      "[\"queue\"]}");
	patch_review(f, b, REVIEW_TITLE, "Broker restarted twice");
	body = page_of(f, cache, a, ops);
	assert_true(lists(body, b) && lists(body, r));
	assert_false(lists(body, c));
	assert_non_null(strstr(body, "Broker restarted twice")); /* now */
	assert_null(strstr(body, ">Broker restart<"));
	/* D gets C's tag: D changed, so its list is computed again */
	{
		struct err e;
		struct record *tag = record_new(f->a, &tag_def);
		int64_t tid;

		record_set_str(tag, TAG_NAME, "queue");
		assert_int_equal(store_child_create(f->st, f->a, "t",
						    CHILD_TAG, d, tag, &tid,
						    NULL, &e),
				 E_OK);
	}
	body = page_of(f, cache, d, ops);
	assert_true(lists(body, c));
	/* B deleted and R restricted to another group: served from A's
	 * stored list, neither is named */
	assert_int_equal(store_review_delete(f->st, f->a, "t", b, 0, NULL),
			 E_OK);
	patch_review(f, r, REVIEW_RESTRICTED_TO, "security");
	body = page_of(f, cache, a, ops);
	assert_false(lists(body, b));
	assert_false(lists(body, r));
	assert_false(lists(body, c)); /* still the stored list */
	assert_null(strstr(body, "seen in")); /* R's factor: counted again */
	assert_non_null(strstr(body, "Queue backlog"));
	/* someone in the group sees R (their own list, computed) */
	body = page_of(f, cache, a, "[\"security\"]");
	assert_true(lists(body, r));
	/* A itself changes: computed again, with C */
	patch_review(f, a, REVIEW_TITLE, "Queue backlog at checkout");
	body = page_of(f, cache, a, ops);
	assert_true(lists(body, c));
	assert_false(lists(body, b) || lists(body, r));
	page_cache_free(cache);
}

static void test_on_this_day_earlier_years_only(void **state)
{
	struct fx *f = *state;
	int64_t open_id, secret_id = restricted_world(f, &open_id);
	struct record_list l;
	int64_t total;

	create(f, "{\"title\": \"same day this year\", \"started_at\": "
		  "\"2026-06-01T09:00:00Z\"}");
	create(f, "{\"title\": \"another day\", \"started_at\": "
		  "\"2023-06-02T09:00:00Z\"}");
	assert_int_equal(store_on_this_day(f->st, f->a, &insider, 6, 1, 2026,
					   0, 0, &l, &total, NULL),
			 E_OK);
	assert_int_equal(total, 2);
	assert_int_equal(l.items[0]->id, secret_id); /* newest first */
	assert_int_equal(l.items[1]->id, open_id);
	assert_int_equal(store_on_this_day(f->st, f->a, &outsider, 6, 1, 2026,
					   0, 0, &l, &total, NULL),
			 E_OK);
	assert_int_equal(total, 1);
	assert_int_equal(l.items[0]->id, open_id);
}

/* cell_of finds row r's column named col. */
static const struct trend_cell *cell_of(const struct trend_table *t, size_t r,
					const char *col)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c], col))
			return &t->cells[r * t->ncols + c];
	fail_msg("no column %s", col);
	return NULL;
}

static void test_trends_count_what_the_viewer_sees(void **state)
{
	struct fx *f = *state;
	int64_t open_id;
	struct trend_table t;
	int64_t sum = 0;

	restricted_world(f, &open_id);
	assert_int_equal(store_trend(f->st, f->a, "reviews", &outsider, NULL,
				     0, &t, NULL),
			 E_OK);
	for (size_t r = 0; r < t.nrows; r++)
		sum += cell_of(&t, r, "reviews")->i;
	assert_int_equal(sum, 1);
	assert_int_equal(store_trend(f->st, f->a, "durations", &insider, NULL,
				     0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(cell_of(&t, 0, "month")->s, "2024-06");
	assert_true(cell_of(&t, 0, "detect_median_minutes")->d == 10.0);
	assert_true(cell_of(&t, 1, "detect_p90_minutes")->d == 120.0);
	assert_int_equal(cell_of(&t, 0, "mitigate_median_minutes")->type,
			 CELL_NULL);
	assert_int_equal(store_trend(f->st, f->a, "durations", &outsider, NULL,
				     0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(store_trend(f->st, f->a, "factors", &outsider, NULL,
				     0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 1); /* not "Secret factor" */
	assert_int_equal(store_trend(f->st, f->a, "tags", &outsider, NULL, 0,
				     &t, NULL),
			 E_OK);
	assert_int_equal(cell_of(&t, 0, "reviews")->i, 1);
	assert_int_equal(store_trend(f->st, f->a, "followups", &outsider,
				     NULL, 0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(cell_of(&t, 0, "opened")->i, 1);
}

static void test_durations_median_and_p90_by_nearest_rank(void **state)
{
	struct fx *f = *state;
	struct trend_table t;

	/* detect in 1..10 minutes: median 5, p90 9 (nearest rank) */
	for (int i = 1; i <= 10; i++) {
		char json[256];

		snprintf(json, sizeof json,
			 "{\"title\": \"r%d\", \"started_at\": "
			 "\"2026-02-03T10:00:00Z\", \"detected_at\": "
			 "\"2026-02-03T10:%02d:00Z\"}",
			 i, i);
		create(f, json);
	}
	assert_int_equal(store_trend(f->st, f->a, "durations", &everyone, NULL,
				     0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(cell_of(&t, 0, "reviews")->i, 10);
	assert_true(cell_of(&t, 0, "detect_median_minutes")->d == 5.0);
	assert_true(cell_of(&t, 0, "detect_p90_minutes")->d == 9.0);
}

/* ---- the counts the trends read (migration 026) ---------------------- */

/* trend_sum sums column col of series name for viewer v. */
static int64_t trend_sum(struct fx *f, const char *name, const char *col,
			 const struct viewer *v)
{
	struct trend_table t;
	int64_t sum = 0;

	assert_int_equal(store_trend(f->st, f->a, name, v, NULL, 0, &t, NULL),
			 E_OK);
	for (size_t r = 0; r < t.nrows; r++)
		sum += cell_of(&t, r, col)->i;
	return sum;
}

struct import_to {
	struct store *st;
};

static int import_one(const struct export_review *r, void *arg)
{
	struct import_to *to = arg;
	struct import_batch b = {.allow_existing = 1, .actor = "import"};

	b.reviews = r;
	b.nreviews = 1;
	return store_import(to->st, &b, NULL) != E_OK;
}

/* note_read counts a read of review id by reader at now. */
static void note_read(struct fx *f, int64_t id, const char *reader,
		      int64_t now)
{
	struct read_view v = {.reader = reader, .now = now};
	int counted = 0;
	struct err e;

	assert_int_equal(store_read_note(f->st, id, &v, &counted, &e), E_OK);
	assert_true(counted);
}

static void test_trend_counts_follow_edits_deletes_restores_and_imports(
	void **state)
{
	struct fx *f = *state;
	struct record_list fus;
	struct import_to to;
	char url[256];
	int64_t a, b, c, fid;
	struct err e;

	a = create(f, "{\"title\": \"A\", \"severity\": 2, \"services\": "
		      "[\"api\", \"db\", \"api\"], \"started_at\": "
		      "\"2024-03-05T10:00:00Z\", \"followups\": [{\"title\": "
		      "\"one\", \"horizon\": \"short\"}, {\"title\": \"two\", "
		      "\"horizon\": \"short\", \"status\": \"done\"}, "
		      "{\"title\": \"three\", \"horizon\": \"long\", "
		      "\"status\": \"wont-do\"}]}");
	b = create(f, "{\"title\": \"B\", \"services\": [\"db\"], "
		      "\"restricted_to\": [\"security\"], \"followups\": "
		      "[{\"title\": \"four\", \"horizon\": \"short\"}]}");
	c = create(f, "{\"title\": \"C\", \"kind\": \"near-miss\", "
		      "\"started_at\": \"2023-12-31T23:59:59Z\"}");
	check_trend_counts(f->path);
	/* reads (033): two readers, two months, each review */
	note_read(f, a, "ann", 1704067200);  /* 2024-01-01 */
	note_read(f, a, "ann", 1706745600);  /* 2024-02-01 */
	note_read(f, a, "bob", 1706745600);
	note_read(f, b, "ann", 1706745600);
	note_read(f, c, "bob", 1704067200);
	check_trend_counts(f->path);
	assert_int_equal(trend_sum(f, "reviews", "reviews", &everyone), 3);
	assert_int_equal(trend_sum(f, "reviews", "reviews", &outsider), 2);
	assert_int_equal(trend_sum(f, "followups", "still_open", &everyone),
			 2);
	assert_int_equal(trend_sum(f, "followups", "still_open", &outsider),
			 1);

	/* edits: the month, severity, kind, services and groups move */
	assert_int_equal(
		store_review_update(
			f->st, f->a, "t", a, 0,
			json_record(f, &review_def,
				    "{\"severity\": null, \"started_at\": "
				    "\"2025-01-01T00:00:00Z\", \"services\": "
				    "[\"web\"], \"restricted_to\": "
				    "[\"security\"]}"),
			NULL, &e),
		E_OK);
	check_trend_counts(f->path);
	assert_int_equal(trend_sum(f, "reviews", "reviews", &outsider), 1);
	assert_int_equal(trend_sum(f, "followups", "opened", &outsider), 0);
	assert_int_equal(
		store_review_update(
			f->st, f->a, "t", c, 0,
			json_record(f, &review_def,
				    "{\"kind\": \"incident\", \"severity\": 4, "
				    "\"owner_team\": \"storage\"}"),
			NULL, &e),
		E_OK);
	check_trend_counts(f->path);

	/* follow-ups: done, reopened, added, deleted */
	assert_int_equal(store_child_list(f->st, f->a, CHILD_FOLLOWUP, a, &fus,
					  &e),
			 E_OK);
	assert_true(fus.n >= 2);
	fid = fus.items[0]->id;
	assert_int_equal(
		store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP, a, fid, 0,
				   json_record(f, &followup_def,
					       "{\"status\": \"done\"}"),
				   NULL, NULL, &e),
		E_OK);
	check_trend_counts(f->path);
	assert_int_equal(
		store_child_update(f->st, f->a, "t", CHILD_FOLLOWUP, a,
				   fus.items[1]->id, 0,
				   json_record(f, &followup_def,
					       "{\"status\": \"open\"}"),
				   NULL, NULL, &e),
		E_OK);
	check_trend_counts(f->path);
	assert_int_equal(
		store_child_create(f->st, f->a, "t", CHILD_FOLLOWUP, c,
				   json_record(f, &followup_def,
					       "{\"title\": \"five\", "
					       "\"horizon\": \"short\"}"),
				   NULL, NULL, &e),
		E_OK);
	check_trend_counts(f->path);
	assert_int_equal(store_child_delete(f->st, f->a, "t", CHILD_FOLLOWUP,
					    a, fid, 0, NULL, &e),
			 E_OK);
	check_trend_counts(f->path);

	/* a review deleted, then restored: it and its follow-ups go and
	 * come back */
	assert_int_equal(store_review_delete(f->st, f->a, "t", b, 0, &e), E_OK);
	check_trend_counts(f->path);
	assert_int_equal(trend_sum(f, "services", "reviews", &everyone), 1);
	assert_int_equal(store_review_restore(f->st, f->a, "t", b, &e), E_OK);
	check_trend_counts(f->path);
	assert_int_equal(trend_sum(f, "services", "reviews", &everyone), 2);
	assert_int_equal(store_review_delete(f->st, f->a, "t", c, 0, &e), E_OK);
	check_trend_counts(f->path);

	/* an import (deleted reviews too) fills them as it writes */
	if (test_on_pg())
		assert_int_equal(test_db_url(url, sizeof url, f->dir), 0);
	else
		snprintf(url, sizeof url, "%s/import.db", f->dir);
	assert_int_equal(store_open(url, &to.st, &e), E_OK);
	assert_int_equal(store_export_reviews(f->st, NULL, 0,
					      EXPORT_DELETED,
					      import_one, &to, &e),
			 E_OK);
	store_close(to.st);
	check_trend_counts(url);
	{
		struct buf one = BUF_INIT, two = BUF_INIT;

		rows_of(f->path, "SELECT * FROM trend_reviews WHERE reviews "
				 "!= 0", &one);
		rows_of(url, "SELECT * FROM trend_reviews WHERE reviews != 0",
			&two);
		assert_string_equal(buf_cstr(&one), buf_cstr(&two));
		buf_release(&one);
		buf_release(&two);
	}
	if (!test_on_pg()) {
		static const char *const suffix[] = {"", "-wal", "-shm"};
		char p[300];

		for (int i = 0; i < 3; i++) {
			snprintf(p, sizeof p, "%s%s", url, suffix[i]);
			unlink(p);
		}
	}
}

static void test_followups_by_month_across_leap_days_and_epochs(void **state)
{
	struct fx *f = *state;
	static const char *const months[] = {"1969-12", "2000-02", "2000-03",
					     "2100-01"};
	struct trend_table t;
	sqlite3 *db;

	create(f, "{\"title\": \"r\", \"followups\": [{\"title\": \"a\", "
		  "\"horizon\": \"short\"}, {\"title\": \"b\", \"horizon\": "
		  "\"short\"}, {\"title\": \"c\", \"horizon\": \"short\"}, "
		  "{\"title\": \"d\", \"horizon\": \"short\", \"status\": "
		  "\"done\"}]}");
	/* opened at the last second of 29 Feb 2000, the first of March,
	 * before 1970 and in 2100; the done one done in March 2000 (set
	 * in the SQLite file itself) */
	if (test_on_pg())
		skip();
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "UPDATE followups SET created_at = CASE title "
			     "WHEN 'a' THEN 951868799 WHEN 'b' THEN 951868800 "
			     "WHEN 'c' THEN -1 ELSE 4102444800 END, "
			     "updated_at = 951868800",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_trend(f->st, f->a, "followups", &everyone, NULL,
				     0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 4);
	for (size_t r = 0; r < 4; r++) {
		assert_string_equal(cell_of(&t, r, "month")->s, months[r]);
		assert_int_equal(cell_of(&t, r, "opened")->i, 1);
		assert_int_equal(cell_of(&t, r, "done")->i, r == 2);
	}
}

static void test_services_count_each_review_once_per_name(void **state)
{
	struct fx *f = *state;
	struct trend_table t;

	create(f, "{\"title\": \"a\", \"services\": [\"api\", \"db\", "
		  "\"api\"]}");
	create(f, "{\"title\": \"b\", \"services\": [\"api\"]}");
	create(f, "{\"title\": \"c\", \"services\": [\"api\"]}");
	create(f, "{\"title\": \"d\"}");
	assert_int_equal(store_trend(f->st, f->a, "services", &outsider, NULL,
				     0, &t, NULL),
			 E_OK);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(cell_of(&t, 0, "service")->s, "api");
	assert_int_equal(cell_of(&t, 0, "reviews")->i, 3);
	assert_string_equal(cell_of(&t, 1, "service")->s, "db");
	assert_int_equal(cell_of(&t, 1, "reviews")->i, 1);
}

static void test_unknown_series_is_not_found(void **state)
{
	struct fx *f = *state;
	struct trend_table t;
	struct err e;

	err_clear(&e);
	assert_int_equal(store_trend(f->st, f->a, "nope", NULL, NULL, 0, &t,
				     &e),
			 E_NOT_FOUND);
	assert_string_equal(e.field, "series");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_factor_key_lowers_and_collapses_whitespace),
		cmocka_unit_test(test_factor_key_and_its_sql_twin_agree),
		cmocka_unit_test(test_synonyms_map_onto_the_first_name),
		cmocka_unit_test(test_bad_synonym_lines_name_the_setting),
		cmocka_unit_test(test_typed_search_becomes_safe_fts),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_no_typed_search_is_an_error),
		T(test_title_match_ranks_first_with_marked_snippets),
		T(test_hit_reads_only_the_fields_it_shows),
		T(test_matches_name_timeline_followups_and_factors),
		T(test_match_places_follow_every_write),
		T(test_search_row_after_each_write_equals_one_made_anew),
		T(test_search_rows_after_a_group_commit_equal_ones_made_anew),
		T(test_migration_040_counts_the_reviews_there),
		T(test_phrase_prefix_or_not_and_filters),
		T(test_restricted_review_reaches_no_search),
		T(test_restricted_review_reaches_no_factor_count),
		T(test_chat_is_searched_and_kept_from_outsiders),
		T(test_common_word_ranks_its_newest_window),
		T(test_a_window_the_viewer_cannot_see_goes_on_to_older_ones),
		T(test_ranked_pages_neither_skip_nor_repeat),
		cmocka_unit_test(test_rank_scores_as_fts5s_bm25),
		T(test_synonyms_merge_counts_once_per_review),
		T(test_related_shares_factors_and_tags_not_secrets),
		T(test_related_words_count_until_factors_and_tags_fill_the_list),
		T(test_related_looks_past_the_best_when_they_are_hidden),
		T(test_stored_related_list_keeps_through_writes_elsewhere),
		T(test_on_this_day_earlier_years_only),
		T(test_trends_count_what_the_viewer_sees),
		T(test_followups_by_month_across_leap_days_and_epochs),
		T(test_services_count_each_review_once_per_name),
		T(test_durations_median_and_p90_by_nearest_rank),
		T(test_trend_counts_follow_edits_deletes_restores_and_imports),
		T(test_unknown_series_is_not_found),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
