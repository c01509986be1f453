/* sqlite_list.c: the index of reviews: filtering (including full-text
 * search), pagination and the counts shown above the list. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

#define LIST_DEFAULT 50
#define LIST_MAX     500
#define MAX_BINDS    14

/* A WHERE clause over "reviews t" and the values of its parameters. */
struct filter_sql {
	struct buf where;
	struct {
		const char *s; /* text, or NULL for the integer */
		int64_t i;
	} binds[MAX_BINDS];
	int n;
};

static void cond(struct filter_sql *fs, const char *fmt, const char *s,
		 int64_t i)
{
	fs->binds[fs->n].s = s;
	fs->binds[fs->n].i = i;
	fs->n++;
	buf_puts(&fs->where, " AND ");
	buf_printf(&fs->where, fmt, fs->n);
}

/* fts_query turns what a person typed into an FTS5 query that cannot be a
 * syntax error: every word quoted as a prefix, all words required. NULL
 * when nothing searchable is left (then there is no text filter). */
static const char *fts_query(struct arena *a, const char *q)
{
	struct buf b = BUF_INIT;
	const char *p = q;
	char *out = NULL;

	while (*p) {
		const char *start, *end;
		int word = 0;

		while (*p && isspace((unsigned char)*p))
			p++;
		start = p;
		while (*p && !isspace((unsigned char)*p)) {
			unsigned char ch = (unsigned char)*p;
			word |= isalnum(ch) || ch >= 0x80;
			p++;
		}
		end = p;
		if (!word)
			continue;
		buf_puts(&b, b.len ? " \"" : "\"");
		for (const char *s = start; s < end; s++)
			buf_append(&b, *s == '"' ? "\"\"" : s,
				   *s == '"' ? 2 : 1);
		buf_puts(&b, "\"*");
	}
	if (b.len && !b.oom)
		out = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* A list's queries, chosen for one filter: the page of ids, and the total
 * (from the maintained counts when the filter allows). */
struct list_sql {
	struct filter_sql page, count;
	struct buf page_sql, count_sql;
	int limit, offset;
};

/* tally_ok: f filters on nothing review_counts (or, with a tag,
 * tag_counts) does not keep. */
static int tally_ok(struct arena *a, const struct review_filter *f)
{
	return !f->service && !(f->q && fts_query(a, f->q)) && !f->from &&
	       !f->to;
}

/* tally_table: the maintained counts that answer f. */
static const char *tally_table(const struct review_filter *f)
{
	return f->tag ? "tag_counts rc" : "review_counts rc";
}

/* tally_build: the WHERE clause over "review_counts rc" for f. */
static void tally_build(const struct review_filter *f, struct filter_sql *fs)
{
	const char *groups;

	buf_puts(&fs->where, f->deleted ? "rc.deleted = 1" : "rc.deleted = 0");
	if (f->tag)
		cond(fs, "rc.name = ?%d", f->tag, 0);
	if (f->kind)
		cond(fs, "rc.kind = ?%d", f->kind, 0);
	if (f->severity)
		cond(fs, "rc.severity = ?%d", NULL, f->severity);
	if (f->status)
		cond(fs, "rc.status = ?%d", f->status, 0);
	if ((groups = visible_param(f->viewer))) {
		fs->binds[fs->n].s = groups;
		fs->n++;
		buf_puts(&fs->where, " AND ");
		visible_clause(&fs->where, "rc", fs->n);
	}
}

/* The order of every list, as reviews_list (migration 006) keeps it. */
#define SORT_KEY "coalesce(t.started_at, t.created_at)"

/* How a filter's set conditions (search, tag) join reviews t: WALK has
 * SQLite walk reviews_list in order and test each review (the page fills
 * early when matches are many); DRIVE starts from the matches and looks
 * each up in reviews_by_id (few matches, and every count). */
enum join_mode {
	WALK,
	DRIVE
};

/* set_filters: f has a condition that only a set of ids answers. */
static int set_filters(struct arena *a, const struct review_filter *f)
{
	return f->tag || (f->q && fts_query(a, f->q));
}

/* filter_build: the WHERE clause over "reviews t" for f (the FROM that
 * goes with it: from_clause). with_cursor adds the keyset condition of
 * f->after. */
static void filter_build(struct arena *a, const struct review_filter *f,
			 struct filter_sql *fs, enum join_mode mode,
			 int with_cursor)
{
	const char *q, *groups;

	buf_puts(&fs->where, f->deleted ? "t.deleted_at IS NOT NULL"
					: "t.deleted_at IS NULL");
	if (f->kind)
		cond(fs, "t.kind = ?%d", f->kind, 0);
	if (f->severity)
		cond(fs, "t.severity = ?%d", NULL, f->severity);
	if (f->status)
		cond(fs, "t.status = ?%d", f->status, 0);
	if (f->tag)
		cond(fs,
		     mode == WALK
			     ? "EXISTS (SELECT 1 FROM tags g WHERE g.review_id "
			       "= t.id AND g.deleted_at IS NULL AND g.name = "
			       "?%d)"
			     : "t.id IN (SELECT g.review_id FROM tags g WHERE "
			       "g.name = ?%d AND g.deleted_at IS NULL)",
		     f->tag, 0);
	if (f->service)
		cond(fs,
		     "EXISTS (SELECT 1 FROM json_each(t.services) "
		     "WHERE json_each.value = ?%d)",
		     f->service, 0);
	if (f->q && (q = fts_query(a, f->q)))
		cond(fs,
		     mode == WALK ? "+t.id IN (SELECT rowid FROM review_fts "
				    "WHERE review_fts MATCH ?%d)"
				  : "t.id IN (SELECT rowid FROM review_fts "
				    "WHERE review_fts MATCH ?%d)",
		     q, 0);
	if (f->from)
		cond(fs, "t.started_at >= ?%d", NULL, f->from);
	if (f->to)
		cond(fs, "t.started_at <= ?%d", NULL, f->to);
	if ((groups = visible_param(f->viewer))) {
		fs->binds[fs->n].s = groups;
		fs->n++;
		buf_puts(&fs->where, " AND ");
		visible_clause(&fs->where, "t", fs->n);
	}
	if (with_cursor && f->after) {
		cond(fs, SORT_KEY " <= ?%d", NULL, f->after_key);
		buf_printf(&fs->where,
			   " AND (" SORT_KEY " < ?%d OR t.id < ?%d)", fs->n,
			   fs->n + 1);
		fs->binds[fs->n].s = NULL;
		fs->binds[fs->n].i = f->after_id;
		fs->n++;
	}
}

/* from_clause: the reviews to read for mode. */
static const char *from_clause(enum join_mode mode)
{
	return mode == DRIVE ? "reviews t INDEXED BY reviews_by_id"
			     : "reviews t";
}

static void filter_bind(sqlite3_stmt *s, const struct filter_sql *fs)
{
	for (int i = 0; i < fs->n; i++) {
		if (fs->binds[i].s)
			sqlite3_bind_text(s, i + 1, fs->binds[i].s, -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_int64(s, i + 1, fs->binds[i].i);
	}
}

/* count_query runs "SELECT count(*) ..." built from sql and fs. */
static enum err_code count_query(struct conn *c, const char *sql,
				 const struct filter_sql *fs, int64_t *out,
				 struct err *e)
{
	sqlite3_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	filter_bind(s, fs);
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = db_err(c, e, "count");
	conn_done(c, s);
	return rc;
}

/* page_mode decides how the page of f joins its set conditions: it
 * counts the matches of each (the search index counts them cheaply, and
 * tag_counts keeps a tag's) and walks reviews_list when that passes fewer entries,
 * want * reviews / matches, than starting from the matches, which costs a
 * lookup and a sort entry each (weighed 4). */
static enum err_code page_mode(struct conn *c, struct arena *a,
			       const struct review_filter *f, int64_t want,
			       enum join_mode *mode, struct err *e)
{
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	const char *q = f->q ? fts_query(a, f->q) : NULL;
	int64_t matches = INT64_MAX, n = 0, reviews = 0;
	enum err_code rc = E_OK;

	*mode = WALK;
	if (!set_filters(a, f))
		return E_OK;
	fs.n = 1;
	if (q) {
		fs.binds[0].s = q;
		rc = count_query(c,
				 "SELECT count(*) FROM review_fts "
				 "WHERE review_fts MATCH ?1",
				 &fs, &n, e);
		if (n < matches)
			matches = n;
	}
	if (rc == E_OK && f->tag) {
		fs.binds[0].s = f->tag;
		rc = count_query(c,
				 "SELECT coalesce(sum(reviews), 0) FROM "
				 "tag_counts WHERE name = ?1",
				 &fs, &n, e);
		if (n < matches)
			matches = n;
	}
	if (rc == E_OK) {
		fs.n = 0;
		rc = count_query(c,
				 "SELECT coalesce(sum(reviews), 0) FROM "
				 "review_counts",
				 &fs, &reviews, e);
	}
	if (rc != E_OK)
		return rc;
	if (matches == 0 || want * reviews / matches >= matches * 4)
		*mode = DRIVE;
	return E_OK;
}

/* list_sql_build chooses the queries of store_review_list for f. */
static enum err_code list_sql_build(struct conn *c, struct arena *a,
				    const struct review_filter *f,
				    struct list_sql *ls, struct err *e)
{
	enum join_mode mode, count_mode;
	enum err_code rc;

	ls->limit = f->limit <= 0	  ? LIST_DEFAULT
		    : f->limit > LIST_MAX ? LIST_MAX
					  : f->limit;
	ls->offset = f->after || f->offset < 0 ? 0 : f->offset;
	rc = page_mode(c, a, f, (int64_t)ls->offset + ls->limit, &mode, e);
	if (rc != E_OK)
		return rc;
	filter_build(a, f, &ls->page, mode, 1);
	buf_printf(&ls->page_sql,
		   "SELECT t.id FROM %s WHERE %s ORDER BY " SORT_KEY
		   " DESC, t.id DESC LIMIT ?%d OFFSET ?%d",
		   from_clause(mode), buf_cstr(&ls->page.where), ls->page.n + 1,
		   ls->page.n + 2);
	if (tally_ok(a, f)) {
		tally_build(f, &ls->count);
		buf_printf(
			&ls->count_sql,
			"SELECT coalesce(sum(rc.reviews), 0) FROM %s WHERE %s",
			tally_table(f), buf_cstr(&ls->count.where));
	} else {
		/* a count reads every match: from the matches, when there
		 * is a set to start from */
		count_mode = set_filters(a, f) ? DRIVE : WALK;
		filter_build(a, f, &ls->count, count_mode, 0);
		buf_printf(&ls->count_sql, "SELECT count(*) FROM %s WHERE %s",
			   from_clause(count_mode), buf_cstr(&ls->count.where));
	}
	if (ls->page.where.oom || ls->page_sql.oom || ls->count.where.oom ||
	    ls->count_sql.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return E_OK;
}

static void list_sql_release(struct list_sql *ls)
{
	buf_release(&ls->page.where);
	buf_release(&ls->count.where);
	buf_release(&ls->page_sql);
	buf_release(&ls->count_sql);
}

/* row_sql: one review's row by id (?1), its long markdown sections (all
 * but the tl;dr) read as NULL: a list shows none of them. */
static char *row_sql(void)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "SELECT t.id, t.version, t.created_at, t.updated_at, "
		     "t.deleted_at");
	for (size_t f = 0; f < review_def.nfields; f++) {
		const struct field_def *fd = &review_def.fields[f];

		if (fd->type == FT_MARKDOWN && f != REVIEW_TLDR)
			buf_puts(&b, ", NULL");
		else
			buf_printf(&b, ", t.%s", fd->name);
	}
	buf_puts(&b, " FROM reviews t WHERE t.id = ?1");
	return buf_detach(&b);
}

/* list_rows reads the page's ids in order, then each one's row: the sort
 * and the offset pass over ids in reviews_list, never over wide rows. */
static enum err_code list_rows(struct conn *c, struct arena *a,
			       struct list_sql *ls, struct record_list *out,
			       struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_REVIEW];
	sqlite3_stmt *s = conn_stmt(c, buf_cstr(&ls->page_sql), e), *r = NULL;
	char *rsql = NULL;
	int64_t *ids;
	size_t n = 0;
	enum err_code rc = E_OK;
	int step;

	if (!s)
		return e->code;
	ids = arena_alloc(a, sizeof *ids * (size_t)ls->limit);
	out->items = arena_alloc(a, sizeof *out->items * (size_t)ls->limit);
	if (!ids || !out->items) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	filter_bind(s, &ls->page);
	sqlite3_bind_int(s, ls->page.n + 1, ls->limit);
	sqlite3_bind_int(s, ls->page.n + 2, ls->offset);
	while ((step = sqlite3_step(s)) == SQLITE_ROW && n < (size_t)ls->limit)
		ids[n++] = sqlite3_column_int64(s, 0);
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		rc = db_err(c, e, "review list");
		goto out;
	}
	conn_done(c, s);
	s = NULL;
	if (!n)
		goto out;
	if (!(rsql = row_sql()) || !(r = conn_stmt(c, rsql, e))) {
		rc = rsql ? e->code
			  : err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct record *rec;

		sqlite3_bind_int64(r, 1, ids[i]);
		step = sqlite3_step(r);
		if (step != SQLITE_ROW) {
			rc = db_err(c, e, "review list row");
			goto out;
		}
		if (!(rec = row_read(a, d, r, 0, e))) {
			rc = e->code;
			goto out;
		}
		out->items[out->n++] = rec;
		sqlite3_reset(r);
	}
out:
	conn_done(c, s);
	conn_done(c, r);
	free(rsql);
	return rc;
}

enum err_code store_review_list(struct store *st, struct arena *a,
				const struct review_filter *f,
				struct record_list *out,
				struct record_list **out_tags, int64_t *total,
				struct err *e)
{
	static const struct review_filter none;
	struct list_sql ls = {{BUF_INIT, {{0}}, 0},
			      {BUF_INIT, {{0}}, 0},
			      BUF_INIT,
			      BUF_INIT,
			      0,
			      0};
	struct conn *c = NULL;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (out_tags)
		*out_tags = NULL;
	if (total)
		*total = 0;
	if (!f)
		f = &none;
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	if ((rc = list_sql_build(c, a, f, &ls, e)) != E_OK)
		goto out;
	rc = list_rows(c, a, &ls, out, e);
	if (rc == E_OK && total)
		rc = count_query(c, buf_cstr(&ls.count_sql), &ls.count, total,
				 e);
	if (rc == E_OK && out_tags && out->n) {
		*out_tags = arena_alloc(a, sizeof **out_tags * out->n);
		if (!*out_tags)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		for (size_t i = 0; rc == E_OK && i < out->n; i++)
			rc = children_load(
				c, a, &st->dsql[DEF_CHILD(CHILD_TAG)],
				out->items[i]->id, &(*out_tags)[i], e);
	}
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK) {
		memset(out, 0, sizeof *out);
		if (out_tags)
			*out_tags = NULL;
	}
out:
	list_sql_release(&ls);
	conn_put(c);
	return rc;
}

void store_review_cursor(const struct record *r, char *out, size_t n)
{
	int64_t key = record_int(r, REVIEW_STARTED_AT, r->created_at);

	snprintf(out, n, "%lld_%lld", (long long)key, (long long)r->id);
}

enum err_code store_review_cursor_parse(const char *s, struct review_filter *f,
					struct err *e)
{
	long long key = 0, id = 0;
	char *end = NULL;
	int ok = s && (isdigit((unsigned char)*s) ||
		       (*s == '-' && isdigit((unsigned char)s[1])));

	if (ok) {
		errno = 0;
		key = strtoll(s, &end, 10);
		ok = !errno && *end == '_' && isdigit((unsigned char)end[1]);
	}
	if (ok) {
		id = strtoll(end + 1, &end, 10);
		ok = !errno && !*end && id > 0;
	}
	if (!ok)
		return err_set(e, E_BAD_REQUEST, "cursor",
			       "cursor must be the next_cursor of a list "
			       "answer");
	f->after = 1;
	f->after_key = key;
	f->after_id = id;
	return E_OK;
}

/* choice_index: the position of s in choices, -1 when absent. */
static int choice_index(const char *const *choices, const char *s)
{
	for (int i = 0; s && choices[i]; i++)
		if (!strcmp(choices[i], s))
			return i;
	return -1;
}

/* count_groups adds up rows of (kind, status, severity, count) and, with
 * a fifth column, the open follow-ups. */
static enum err_code count_groups(struct conn *c, const char *sql,
				  const struct filter_sql *fs,
				  struct review_counts *out, struct err *e)
{
	const char *const *kinds = review_def.fields[REVIEW_KIND].choices;
	const char *const *statuses = review_def.fields[REVIEW_STATUS].choices;
	sqlite3_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	int step;

	if (!s)
		return e->code;
	filter_bind(s, fs);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(s, 3);
		int k = choice_index(kinds,
				     (const char *)sqlite3_column_text(s, 0));
		int st = choice_index(statuses,
				      (const char *)sqlite3_column_text(s, 1));
		int64_t sev = sqlite3_column_int64(s, 2);

		out->total += n;
		if (k >= 0 && k < 8)
			out->by_kind[k] += n;
		if (st >= 0 && st < 8)
			out->by_status[st] += n;
		out->by_severity[sev >= 1 && sev <= 5 ? sev : 0] += n;
		if (sqlite3_column_count(s) > 4)
			out->open_followups += sqlite3_column_int64(s, 4);
	}
	if (step != SQLITE_DONE)
		rc = db_err(c, e, "counts");
	conn_done(c, s);
	return rc;
}

/* counts_sql builds the query of store_review_counts for f, which brings
 * the open follow-ups too: from the maintained review_counts when f
 * allows, else counted over the matches. *followups_sql stays empty (a
 * second query for them, if one is ever needed). */
static enum err_code counts_sql(struct conn *c, struct arena *a,
				const struct review_filter *f,
				struct filter_sql *fs, struct buf *sql,
				struct buf *followups_sql, struct err *e)
{
	enum join_mode mode = set_filters(a, f) ? DRIVE : WALK;

	if (tally_ok(a, f)) {
		tally_build(f, fs);
		buf_printf(sql,
			   "SELECT rc.kind, rc.status, rc.severity, "
			   "sum(rc.reviews), sum(rc.open_followups) FROM %s "
			   "WHERE %s GROUP BY 1, 2, 3",
			   tally_table(f), buf_cstr(&fs->where));
	} else {
		/* one pass over the matches: each brings its open
		 * follow-ups from followups_open */
		filter_build(a, f, fs, mode, 0);
		buf_printf(sql,
			   "SELECT t.kind, t.status, t.severity, count(*), "
			   "sum((SELECT count(*) FROM followups fu WHERE "
			   "fu.review_id = t.id AND fu.deleted_at IS NULL AND "
			   "fu.status NOT IN ('done', 'wont-do'))) FROM %s "
			   "WHERE %s GROUP BY 1, 2, 3",
			   from_clause(mode), buf_cstr(&fs->where));
	}
	if (sql->oom || fs->where.oom || followups_sql->oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return E_OK;
}

enum err_code store_review_counts(struct store *st,
				  const struct review_filter *f,
				  struct review_counts *out, struct err *e)
{
	static const struct review_filter none;
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	struct buf sql = BUF_INIT, fsql = BUF_INIT;
	struct arena *a = arena_new();
	struct conn *c = NULL;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (!a)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = counts_sql(c, a, f ? f : &none, &fs, &sql, &fsql, e);
	if (rc == E_OK)
		rc = count_groups(c, buf_cstr(&sql), &fs, out, e);
	if (rc == E_OK && fsql.len)
		rc = count_query(c, buf_cstr(&fsql), &fs, &out->open_followups,
				 e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK)
		memset(out, 0, sizeof *out);
out:
	buf_release(&sql);
	buf_release(&fsql);
	buf_release(&fs.where);
	conn_put(c);
	arena_free(a);
	return rc;
}

/* explain appends to b the plan of sql (with fs's values bound; extra
 * trailing parameters get 1) under the line "query: what". */
static enum err_code explain(struct conn *c, struct buf *b, const char *what,
			     const char *sql, const struct filter_sql *fs,
			     struct err *e)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *s = NULL;
	enum err_code rc = E_OK;
	int step;

	buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (q.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(c->db, buf_cstr(&q), -1, &s, NULL) !=
	    SQLITE_OK) {
		rc = db_err(c, e, "explain");
		goto out;
	}
	filter_bind(s, fs);
	for (int i = fs->n; i < sqlite3_bind_parameter_count(s); i++)
		sqlite3_bind_int(s, i + 1, 1);
	buf_printf(b, "query: %s\n", what);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		buf_printf(b, "%s\n", (const char *)sqlite3_column_text(s, 3));
	if (step != SQLITE_DONE)
		rc = db_err(c, e, "explain");
out:
	sqlite3_finalize(s);
	buf_release(&q);
	return rc;
}

enum err_code store_review_list_plan(struct store *st, struct arena *a,
				     const struct review_filter *f,
				     const char **out, struct err *e)
{
	static const struct review_filter none;
	struct list_sql ls = {{BUF_INIT, {{0}}, 0},
			      {BUF_INIT, {{0}}, 0},
			      BUF_INIT,
			      BUF_INIT,
			      0,
			      0};
	struct filter_sql cfs = {BUF_INIT, {{0}}, 0};
	struct buf csql = BUF_INIT, fsql = BUF_INIT, b = BUF_INIT;
	char *rsql = NULL;
	struct filter_sql one = {BUF_INIT, {{0}}, 0};
	struct conn *c = NULL;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	if (!f)
		f = &none;
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = list_sql_build(c, a, f, &ls, e);
	if (rc == E_OK)
		rc = explain(c, &b, "page ids", buf_cstr(&ls.page_sql),
			     &ls.page, e);
	if (rc == E_OK && !(rsql = row_sql()))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	if (rc == E_OK)
		rc = explain(c, &b, "page rows", rsql, &one, e);
	if (rc == E_OK)
		rc = explain(c, &b, "total", buf_cstr(&ls.count_sql), &ls.count,
			     e);
	if (rc == E_OK)
		rc = counts_sql(c, a, f, &cfs, &csql, &fsql, e);
	if (rc == E_OK)
		rc = explain(c, &b, "counts", buf_cstr(&csql), &cfs, e);
	if (rc == E_OK && fsql.len)
		rc = explain(c, &b, "open follow-ups", buf_cstr(&fsql), &cfs,
			     e);
	if (rc == E_OK &&
	    !(*out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b))))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	tx_rollback(c);
out:
	free(rsql);
	list_sql_release(&ls);
	buf_release(&cfs.where);
	buf_release(&csql);
	buf_release(&fsql);
	buf_release(&b);
	conn_put(c);
	return rc;
}
