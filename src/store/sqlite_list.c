/* sqlite_list.c: the index of reviews: a page of them (by offset or
 * keyset cursor), the counts shown above the list, and their query plans
 * for tests. The SQL of a filter is built in sqlite_list_sql.c. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

enum err_code review_rows_read(struct conn *c, struct arena *a,
			       enum row_set set, const int64_t *ids, size_t n,
			       struct record **out, struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_REVIEW];
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	int step = DB_DONE;

	memset(out, 0, sizeof *out * n);
	if (!n)
		return E_OK;
	if (!(s = conn_stmt(c, c->st->rows_sql[set], e)))
		rc = e->code;
	for (size_t at = 0; rc == E_OK && at < n; at += ID_BATCH) {
		size_t m = n - at < ID_BATCH ? n - at : ID_BATCH;

		db_reset(s);
		ids_bind(s, 1, ids + at, m, ID_BATCH);
		while (rc == E_OK && (step = db_step(s)) == DB_ROW) {
			int64_t id = db_column_int64(s, 0);
			struct record *r;
			size_t j = at;

			while (j < at + m && ids[j] != id)
				j++;
			if (j == at + m)
				continue;
			if (!(r = row_read(a, d, s, 0, e)))
				rc = e->code;
			else
				out[j] = r;
		}
		if (rc == E_OK && step != DB_DONE)
			rc = db_err(c, e, "review rows");
	}
	conn_done(c, s);
	return rc;
}

/* list_rows reads the page's ids in order, then their rows: the sort
 * and the offset pass over ids in reviews_list, never over wide rows.
 * With total (the exact number of matches, counted in the same
 * snapshot), a page past the middle is read from the other end
 * (back_sql), in the opposite order: the walk then passes the matches
 * after the page instead of those before it (issue 21: the last API
 * page of 100,000 walked them all). The same ids in the same order. */
static enum err_code list_rows(struct conn *c, struct arena *a,
			       struct list_sql *ls, int64_t total,
			       struct record_list *out, struct err *e)
{
	int64_t after = total - ls->offset - ls->limit;
	int back = total >= 0 && after < ls->offset;
	int limit = ls->limit, offset = ls->offset;
	struct db_stmt *s = NULL;
	struct record **rows;
	int64_t *ids;
	size_t n = 0;
	enum err_code rc = E_OK;
	int step;

	ids = arena_alloc(a, sizeof *ids * (size_t)ls->limit);
	out->items = arena_alloc(a, sizeof *out->items * (size_t)ls->limit);
	if (!ids || !out->items)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (back) {
		if (total <= ls->offset)
			return E_OK; /* past the end */
		offset = after > 0 ? (int)after : 0;
		limit = after < 0 ? (int)(total - ls->offset) : ls->limit;
	}
	if (!(s = conn_stmt(c, buf_cstr(back ? &ls->back_sql : &ls->page_sql),
			    e)))
		return e->code;
	filter_bind(s, &ls->page);
	db_bind_int(s, ls->page.n + 1, limit);
	db_bind_int(s, ls->page.n + 2, offset);
	while ((step = db_step(s)) == DB_ROW && n < (size_t)limit)
		ids[n++] = db_column_int64(s, 0);
	if (step != DB_DONE && step != DB_ROW) {
		rc = db_err(c, e, "review list");
		goto out;
	}
	conn_done(c, s);
	s = NULL;
	for (size_t i = 0; back && i < n / 2; i++) {
		int64_t t = ids[i];

		ids[i] = ids[n - 1 - i];
		ids[n - 1 - i] = t;
	}
	if (!n)
		goto out;
	if (!(rows = arena_alloc(a, sizeof *rows * n))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	/* a row gone since its id was read (PostgreSQL: each read its own
	 * snapshot) is left out */
	if ((rc = review_rows_read(c, a, ROWS_LIST, ids, n, rows, e)) == E_OK)
		for (size_t i = 0; i < n; i++)
			if (rows[i])
				out->items[out->n++] = rows[i];
out:
	conn_done(c, s);
	return rc;
}

/* page_tags reads the tags of out's reviews into *tags (parallel). */
static enum err_code page_tags(struct conn *c, struct arena *a,
			       const struct record_list *out,
			       struct record_list **tags, struct err *e)
{
	int64_t *ids = arena_alloc(a, sizeof *ids * out->n);

	*tags = arena_alloc(a, sizeof **tags * out->n);
	if (!ids || !*tags)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < out->n; i++)
		ids[i] = out->items[i]->id;
	return children_load_many(c, a, &c->st->dsql[DEF_CHILD(CHILD_TAG)], ids,
				  out->n, *tags, e);
}

/* list_read is store_review_list in c's read transaction, with q and
 * exact f's words (fts_match). */
static enum err_code list_read(struct conn *c, struct arena *a,
			       const struct review_filter *f, const char *q,
			       int exact, struct record_list *out,
			       struct record_list **out_tags, int64_t *total,
			       struct err *e)
{
	struct list_sql ls = {{BUF_INIT, {{0}}, 0},
			      {BUF_INIT, {{0}}, 0},
			      BUF_INIT,
			      BUF_INIT,
			      0,
			      0,
			      0,
			      BUF_INIT};
	int64_t n = -1; /* the matches, when counted before the page */
	enum err_code rc;

	if ((rc = list_sql_build(c, a, f, q, exact, &ls, e)) != E_OK)
		goto out;
	/* a deep page whose count is exact and cheap (the maintained
	 * counts) counts first, to read from the nearer end */
	if (ls.back_sql.len && ls.offset > 0) {
		rc = count_query(c, buf_cstr(&ls.count_sql), &ls.count, &n, e);
		if (rc != E_OK)
			goto out;
	}
	rc = list_rows(c, a, &ls, n, out, e);
	if (rc == E_OK && total && n >= 0)
		*total = n;
	else if (rc == E_OK && total)
		rc = count_query(c, buf_cstr(&ls.count_sql), &ls.count, total,
				 e);
	if (rc == E_OK && total && f->capped)
		*f->capped = ls.cap > 0 && *total >= ls.cap;
	if (rc == E_OK && out_tags && out->n)
		rc = page_tags(c, a, out, out_tags, e);
out:
	list_sql_release(&ls);
	return rc;
}

static enum err_code counts_read(struct conn *c, struct arena *a,
				 const struct review_filter *f, const char *q,
				 struct review_counts *out, struct err *e);

/* list_counts reads, in one read transaction, the page of f (into out,
 * out_tags and total, as store_review_list) when out is not NULL, and
 * its counts (store_review_counts) when counts is not NULL, f's words
 * spelled once for both (fts_match). On failure each is emptied. */
static enum err_code list_counts(struct store *st, struct arena *a,
				 const struct review_filter *f,
				 struct record_list *out,
				 struct record_list **out_tags, int64_t *total,
				 struct review_counts *counts, struct err *e)
{
	static const struct review_filter none;
	struct conn *c = NULL;
	const char *q = NULL;
	int exact = 0;
	enum err_code rc;

	ERR_LOCAL(e);
	if (out)
		memset(out, 0, sizeof *out);
	if (out_tags)
		*out_tags = NULL;
	if (total)
		*total = 0;
	if (counts)
		memset(counts, 0, sizeof *counts);
	if (!f)
		f = &none;
	if (!(c = conn_get(st, e)))
		return e->code;
	rc = tx_begin(c, 0, e);
	if (rc == E_OK)
		rc = fts_match(c, a, f, &q, &exact, e);
	if (rc == E_OK && out)
		rc = list_read(c, a, f, q, exact, out, out_tags, total, e);
	if (rc == E_OK && counts)
		rc = counts_read(c, a, f, q, counts, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK) {
		if (out)
			memset(out, 0, sizeof *out);
		if (out_tags)
			*out_tags = NULL;
		if (counts)
			memset(counts, 0, sizeof *counts);
	}
	conn_put(c);
	return rc;
}

enum err_code store_review_list(struct store *st, struct arena *a,
				const struct review_filter *f,
				struct record_list *out,
				struct record_list **out_tags, int64_t *total,
				struct err *e)
{
	return list_counts(st, a, f, out, out_tags, total, NULL, e);
}

enum err_code store_review_list_counts(struct store *st, struct arena *a,
				       const struct review_filter *f,
				       struct record_list *out,
				       struct record_list **out_tags,
				       struct review_counts *counts,
				       struct err *e)
{
	return list_counts(st, a, f, out, out_tags, NULL, counts, e);
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
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	int step;

	if (!s)
		return e->code;
	filter_bind(s, fs);
	while ((step = db_step(s)) == DB_ROW) {
		int64_t n = db_column_int64(s, 3);
		int k = choice_index(kinds,
				     db_column_text(s, 0));
		int st = choice_index(statuses,
				      db_column_text(s, 1));
		int64_t sev = db_column_int64(s, 2);

		out->total += n;
		if (k >= 0 && k < 8)
			out->by_kind[k] += n;
		if (st >= 0 && st < 8)
			out->by_status[st] += n;
		out->by_severity[sev >= 1 && sev <= 5 ? sev : 0] += n;
		if (db_column_count(s) > 4)
			out->open_followups += db_column_int64(s, 4);
	}
	if (step != DB_DONE)
		rc = db_err(c, e, "counts");
	conn_done(c, s);
	return rc;
}

/* counts_read is store_review_counts in c's read transaction, with q
 * f's words (fts_match). */
static enum err_code counts_read(struct conn *c, struct arena *a,
				 const struct review_filter *f, const char *q,
				 struct review_counts *out, struct err *e)
{
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	struct buf sql = BUF_INIT, fsql = BUF_INIT;
	int64_t cap;
	enum err_code rc;

	rc = counts_sql(c, a, f, q, &fs, &sql, &fsql, &cap, e);
	if (rc == E_OK)
		rc = count_groups(c, buf_cstr(&sql), &fs, out, e);
	if (rc == E_OK && f->capped)
		*f->capped = cap > 0 && out->total >= cap;
	if (rc == E_OK && fsql.len)
		rc = count_query(c, buf_cstr(&fsql), &fs, &out->open_followups,
				 e);
	buf_release(&sql);
	buf_release(&fsql);
	buf_release(&fs.where);
	return rc;
}

enum err_code store_review_counts(struct store *st,
				  const struct review_filter *f,
				  struct review_counts *out, struct err *e)
{
	struct arena *a = arena_new();
	enum err_code rc;

	ERR_LOCAL(e);
	if (!a) {
		memset(out, 0, sizeof *out);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	rc = list_counts(st, a, f, NULL, NULL, NULL, out, e);
	arena_free(a);
	return rc;
}

enum err_code explain_prepare(struct conn *c, const char *sql,
			      struct db_stmt **s, struct err *e)
{
	struct buf q = BUF_INIT;
	enum err_code rc = E_OK;

	*s = NULL;
	buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (q.oom)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else if (db_prepare(c->db, buf_cstr(&q), s) != DB_OK)
		rc = db_err(c, e, "explain");
	buf_release(&q);
	return rc;
}

enum err_code explain_read(struct conn *c, struct db_stmt *s, struct buf *b,
			   const char *what, struct err *e)
{
	enum err_code rc = E_OK;
	int step;

	buf_printf(b, "query: %s\n", what);
	while ((step = db_step(s)) == DB_ROW)
		buf_printf(b, "%s\n", db_column_text(s, 3));
	if (step != DB_DONE)
		rc = db_err(c, e, "explain");
	db_finalize(s);
	return rc;
}

/* explain appends to b the plan of sql (with fs's values bound; extra
 * trailing parameters get 1) under the line "query: what". */
static enum err_code explain(struct conn *c, struct buf *b, const char *what,
			     const char *sql, const struct filter_sql *fs,
			     struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = explain_prepare(c, sql, &s, e);

	if (rc != E_OK)
		return rc;
	filter_bind(s, fs);
	for (int i = fs->n; i < db_bind_parameter_count(s); i++)
		db_bind_int(s, i + 1, 1);
	return explain_read(c, s, b, what, e);
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
			      0,
			      0,
			      BUF_INIT};
	struct filter_sql cfs = {BUF_INIT, {{0}}, 0};
	struct buf csql = BUF_INIT, fsql = BUF_INIT, b = BUF_INIT;
	struct filter_sql one = {BUF_INIT, {{0}}, 0};
	struct conn *c = NULL;
	const char *q = NULL;
	int64_t cap;
	int exact = 0;
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
	rc = fts_match(c, a, f, &q, &exact, e);
	if (rc == E_OK)
		rc = list_sql_build(c, a, f, q, exact, &ls, e);
	if (rc == E_OK)
		rc = explain(c, &b, "page ids", buf_cstr(&ls.page_sql),
			     &ls.page, e);
	if (rc == E_OK && ls.back_sql.len)
		rc = explain(c, &b, "page ids from the end",
			     buf_cstr(&ls.back_sql), &ls.page, e);
	if (rc == E_OK)
		rc = explain(c, &b, "page rows", st->rows_sql[ROWS_LIST], &one,
			     e);
	if (rc == E_OK)
		rc = explain(
			c, &b, "page tags",
			st->dsql[DEF_CHILD(CHILD_TAG)].select_children_many,
			&one, e);
	if (rc == E_OK)
		rc = explain(c, &b, "total", buf_cstr(&ls.count_sql), &ls.count,
			     e);
	if (rc == E_OK)
		rc = counts_sql(c, a, f, q, &cfs, &csql, &fsql, &cap, e);
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
	list_sql_release(&ls);
	buf_release(&cfs.where);
	buf_release(&csql);
	buf_release(&fsql);
	buf_release(&b);
	conn_put(c);
	return rc;
}
