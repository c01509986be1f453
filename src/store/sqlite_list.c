/* sqlite_list.c: the index of reviews: filtering (including full-text
 * search), pagination and the counts shown above the list. */
#include <ctype.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

#define LIST_DEFAULT 50
#define LIST_MAX     500
#define MAX_BINDS    12

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
const char *fts_query(struct arena *a, const char *q)
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

static void filter_build(struct arena *a, const struct review_filter *f,
			 struct filter_sql *fs)
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
		     "EXISTS (SELECT 1 FROM tags g WHERE g.review_id = t.id "
		     "AND g.deleted_at IS NULL AND g.name = ?%d)",
		     f->tag, 0);
	if (f->service)
		cond(fs,
		     "EXISTS (SELECT 1 FROM json_each(t.services) "
		     "WHERE json_each.value = ?%d)",
		     f->service, 0);
	/* the review's own text, or the chat imported into it (009) */
	if (f->q && (q = fts_query(a, f->q)))
		cond(fs,
		     "(t.id IN (SELECT rowid FROM review_fts "
		     "WHERE review_fts MATCH ?%1$d) OR t.id IN (SELECT "
		     "m.review_id FROM transcript_messages m WHERE "
		     "m.deleted_at IS NULL AND m.id IN (SELECT rowid FROM "
		     "transcript_fts WHERE transcript_fts MATCH ?%1$d)))",
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

static enum err_code list_rows(struct conn *c, struct arena *a, const char *sql,
			       const struct filter_sql *fs, int limit,
			       int offset, struct record_list *out,
			       struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_REVIEW];
	sqlite3_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	int step;

	if (!s)
		return e->code;
	out->items = arena_alloc(a, sizeof *out->items * (size_t)limit);
	if (!out->items) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	filter_bind(s, fs);
	sqlite3_bind_int(s, fs->n + 1, limit);
	sqlite3_bind_int(s, fs->n + 2, offset);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct record *r = row_read(a, d, s, 0, e);
		if (!r) {
			rc = e->code;
			goto out;
		}
		out->items[out->n++] = r;
	}
	if (step != SQLITE_DONE)
		rc = db_err(c, e, "review list");
out:
	conn_done(c, s);
	return rc;
}

enum err_code store_review_list(struct store *st, struct arena *a,
				const struct review_filter *f,
				struct record_list *out,
				struct record_list **out_tags, int64_t *total,
				struct err *e)
{
	static const struct review_filter none;
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	struct buf sql = BUF_INIT;
	struct conn *c = NULL;
	enum err_code rc;
	int limit, offset;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (out_tags)
		*out_tags = NULL;
	if (total)
		*total = 0;
	if (!f)
		f = &none;
	limit = f->limit <= 0	      ? LIST_DEFAULT
		: f->limit > LIST_MAX ? LIST_MAX
				      : f->limit;
	offset = f->offset < 0 ? 0 : f->offset;
	filter_build(a, f, &fs);
	if (fs.where.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	buf_printf(&sql,
		   "SELECT %s FROM reviews t WHERE %s ORDER BY "
		   "coalesce(t.started_at, t.created_at) DESC, t.id DESC "
		   "LIMIT ?%d OFFSET ?%d",
		   st->dsql[DEF_REVIEW].cols, buf_cstr(&fs.where), fs.n + 1,
		   fs.n + 2);
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	rc = list_rows(c, a, buf_cstr(&sql), &fs, limit, offset, out, e);
	if (rc == E_OK && total) {
		buf_reset(&sql);
		buf_printf(&sql, "SELECT count(*) FROM reviews t WHERE %s",
			   buf_cstr(&fs.where));
		rc = sql.oom ? err_set(e, E_NOMEM, NULL, "out of memory")
			     : count_query(c, buf_cstr(&sql), &fs, total, e);
	}
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
	buf_release(&sql);
	buf_release(&fs.where);
	conn_put(c);
	return rc;
}

/* choice_index: the position of s in choices, -1 when absent. */
static int choice_index(const char *const *choices, const char *s)
{
	for (int i = 0; s && choices[i]; i++)
		if (!strcmp(choices[i], s))
			return i;
	return -1;
}

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
	}
	if (step != SQLITE_DONE)
		rc = db_err(c, e, "counts");
	conn_done(c, s);
	return rc;
}

enum err_code store_review_counts(struct store *st,
				  const struct review_filter *f,
				  struct review_counts *out, struct err *e)
{
	static const struct review_filter none;
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	struct buf sql = BUF_INIT;
	struct arena *a = arena_new();
	struct conn *c = NULL;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (!a)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	filter_build(a, f ? f : &none, &fs);
	buf_printf(&sql,
		   "SELECT t.kind, t.status, t.severity, count(*) FROM "
		   "reviews t WHERE %s GROUP BY 1, 2, 3",
		   buf_cstr(&fs.where));
	if (sql.oom || fs.where.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = count_groups(c, buf_cstr(&sql), &fs, out, e);
	if (rc == E_OK) {
		buf_reset(&sql);
		buf_printf(&sql,
			   "SELECT count(*) FROM followups fu JOIN reviews t "
			   "ON t.id = fu.review_id WHERE fu.deleted_at IS NULL "
			   "AND fu.status NOT IN ('done', 'wont-do') AND %s",
			   buf_cstr(&fs.where));
		rc = sql.oom ? err_set(e, E_NOMEM, NULL, "out of memory")
			     : count_query(c, buf_cstr(&sql), &fs,
					   &out->open_followups, e);
	}
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK)
		memset(out, 0, sizeof *out);
out:
	buf_release(&sql);
	buf_release(&fs.where);
	conn_put(c);
	arena_free(a);
	return rc;
}
