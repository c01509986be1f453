/* sqlite_meeting.c: what spans the meetings of many reviews (the calendar
 * page and feed): the meetings in a window of time as a viewer may see
 * them, and the per-user calendar feed tokens (stored as hashes, like API
 * tokens). One meeting's reads and writes are the generic child calls. */
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

#define MEETING_LIST_MAX 1000

enum err_code store_meeting_list(struct store *st, struct arena *a,
				 int64_t from, int64_t to,
				 const struct viewer *viewer, size_t max,
				 struct meeting_row **out, size_t *n,
				 struct err *e)
{
	const struct def_sql *d = &st->dsql[DEF_CHILD(CHILD_MEETING)];
	const int title_col = 6 + (int)d->def->nfields;
	const char *groups = visible_param(viewer);
	struct buf sql = BUF_INIT;
	struct meeting_row *rows;
	struct db_stmt *s = NULL;
	struct conn *c;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	if (!max || max > MEETING_LIST_MAX)
		max = MEETING_LIST_MAX;
	if (!(rows = arena_alloc(a, sizeof *rows * max)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	buf_printf(&sql,
		   "SELECT %s, r.title FROM meetings t JOIN reviews r ON r.id "
		   "= t.review_id WHERE t.deleted_at IS NULL AND r.deleted_at "
		   "IS NULL AND t.\"end\" > ?1 AND t.start < ?2",
		   d->cols);
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "r", 4);
	}
	buf_puts(&sql, " ORDER BY t.start, t.id LIMIT ?3");
	if (sql.oom) {
		buf_release(&sql);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if (!(c = conn_get(st, e))) {
		buf_release(&sql);
		return e->code;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	db_bind_int64(s, 3, (int64_t)max);
	if (groups)
		db_bind_text(s, 4, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		struct meeting_row *r = &rows[*n];
		const char *t = db_column_text(s, title_col);

		if (!(r->meeting = row_read(a, d, s, 0, e))) {
			rc = e->code;
			break;
		}
		r->review_id = r->meeting->review_id;
		r->review_title = arena_strdup(a, t ? (const char *)t : "");
		if (!r->review_title) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		(*n)++;
	}
	if (rc == E_OK && step != DB_DONE && step != DB_ROW)
		rc = db_err(c, e, "meetings");
	conn_done(c, s);
out:
	conn_put(c);
	buf_release(&sql);
	if (rc == E_OK)
		*out = rows;
	else
		*n = 0;
	return rc;
}

enum err_code store_feed_token_set(struct store *st, const char *user,
				   const char *hash, int64_t now,
				   struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	s = conn_stmt(c,
		      "INSERT INTO feed_tokens (\"user\", hash, created_at) VALUES "
		      "(?1, ?2, ?3) ON CONFLICT (\"user\") DO UPDATE SET hash = "
		      "excluded.hash, created_at = excluded.created_at",
		      e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_text(s, 1, user, -1, DB_STATIC);
	db_bind_text(s, 2, hash, -1, DB_STATIC);
	db_bind_int64(s, 3, now);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "feed_tokens");
	conn_done(c, s);
	conn_put(c);
	return rc;
}

enum err_code store_feed_token_find(struct store *st, struct arena *a,
				    const char *hash, const char **user,
				    struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc;
	int step;

	ERR_LOCAL(e);
	*user = NULL;
	if (!(c = conn_get(st, e)))
		return e->code;
	s = conn_stmt(c, "SELECT \"user\" FROM feed_tokens WHERE hash = ?1", e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_text(s, 1, hash, -1, DB_STATIC);
	step = db_step(s);
	if (step == DB_ROW) {
		*user = arena_strdup(a, db_column_text(s, 0));
		rc = *user ? E_OK : err_set(e, E_NOMEM, NULL, "out of memory");
	} else if (step == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "token",
			     "no calendar feed has this token");
	} else {
		rc = db_err(c, e, "feed_tokens");
	}
	conn_done(c, s);
	conn_put(c);
	return rc;
}

enum err_code store_meeting_lags(struct store *st, struct arena *a,
				 const struct viewer *viewer, int64_t now,
				 int64_t **resolved, int64_t **met, size_t *n,
				 struct err *e)
{
	const char *groups = visible_param(viewer);
	struct buf sql = BUF_INIT;
	size_t cap = 0;
	struct db_stmt *s;
	struct conn *c;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*resolved = *met = NULL;
	*n = 0;
	buf_puts(&sql, "SELECT r.resolved_at, t.start FROM meetings t JOIN "
		       "reviews r ON r.id = t.review_id WHERE t.deleted_at IS "
		       "NULL AND r.deleted_at IS NULL AND t.status != "
		       "'cancelled' AND t.start <= ?1 AND r.resolved_at IS NOT "
		       "NULL");
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "r", 2);
	}
	buf_puts(&sql, " ORDER BY r.resolved_at, t.id");
	if (sql.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (!(c = conn_get(st, e))) {
		buf_release(&sql);
		return e->code;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, now);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *r2 = arena_alloc(a, sizeof *r2 * ncap);
			int64_t *m2 = arena_alloc(a, sizeof *m2 * ncap);

			if (!r2 || !m2) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			if (*n) {
				memcpy(r2, *resolved, sizeof *r2 * *n);
				memcpy(m2, *met, sizeof *m2 * *n);
			}
			*resolved = r2;
			*met = m2;
			cap = ncap;
		}
		(*resolved)[*n] = db_column_int64(s, 0);
		(*met)[*n] = db_column_int64(s, 1);
		(*n)++;
	}
	if (rc == E_OK && step != DB_DONE && step != DB_ROW)
		rc = db_err(c, e, "meetings");
	conn_done(c, s);
out:
	conn_put(c);
	buf_release(&sql);
	if (rc != E_OK)
		*n = 0;
	return rc;
}

/* overdue_sql: store_overdue_first's query, ?1 the deadline, ?2 now, ?3 the
 * limit, ?4 the viewer's groups when groups. It walks reviews_overdue
 * (migration 042: live resolved reviews not reviewed or published; the
 * three terms on t are its WHERE, which SQLite must find in the query's to
 * take it) from the oldest resolution, and reads what the viewer may see
 * from reviews_by_id, never the review's row (s, not t). Before 042 the
 * walk went through every reviewed and published resolution too: in an
 * imported Morgue, all of them for one draft (issue 21). When the
 * counts kept by the store (review_counts) have no live review outside
 * reviewed and published, the limit is 0, tested once before the walk,
 * which then reads nothing (in a WHERE term SQLite tests it each row). */
static void overdue_sql(struct buf *sql, const char *groups)
{
	buf_puts(sql, "SELECT t.id, t.resolved_at FROM reviews t "
		      "INDEXED BY reviews_overdue JOIN reviews s INDEXED BY "
		      "reviews_by_id ON s.id = t.id "
		      "WHERE t.deleted_at IS NULL "
		      "AND t.resolved_at IS NOT NULL AND t.resolved_at < ?1 "
		      "AND t.status NOT IN ('reviewed', 'published') AND NOT "
		      "EXISTS (SELECT 1 FROM meetings mt WHERE mt.review_id = "
		      "s.id AND mt.deleted_at IS NULL AND mt.status != "
		      "'cancelled' AND mt.start <= ?2)");
	if (groups) {
		buf_puts(sql, " AND ");
		visible_clause(sql, "s", 4);
	}
	buf_puts(sql, " ORDER BY t.resolved_at, t.id LIMIT CASE WHEN EXISTS "
		      "(SELECT 1 FROM review_counts rc WHERE rc.deleted = 0 "
		      "AND rc.status NOT IN ('reviewed', 'published') AND "
		      "rc.reviews > 0) THEN ?3 ELSE 0 END");
}

/* overdue_titles reads the titles of rows[0..n) (the same read
 * transaction as their walk), "" for a review without one: a batch of
 * TITLE_BATCH a statement (ids past the batch bound as NULL), so that the
 * calendar's hundred are a few round trips on PostgreSQL, not a hundred. */
#define TITLE_BATCH 20
#define TITLES_SQL                                                         \
	"SELECT id, title FROM reviews WHERE id IN (?1, ?2, ?3, ?4, ?5, "   \
	"?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, " \
	"?20)"
static enum err_code overdue_titles(struct conn *c, struct arena *a,
				    struct overdue_row *rows, size_t n,
				    struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = E_OK;

	if (!n)
		return E_OK;
	if (!(s = conn_stmt(c, TITLES_SQL, e)))
		return e->code;
	for (size_t at = 0; rc == E_OK && at < n; at += TITLE_BATCH) {
		size_t k = n - at < TITLE_BATCH ? n - at : TITLE_BATCH;
		int step;

		db_reset(s);
		for (size_t i = 0; i < TITLE_BATCH; i++) {
			if (i < k)
				db_bind_int64(s, (int)i + 1, rows[at + i].id);
			else
				db_bind_null(s, (int)i + 1);
		}
		while (rc == E_OK && (step = db_step(s)) == DB_ROW) {
			int64_t id = db_column_int64(s, 0);
			const char *t = db_column_text(s, 1);

			for (size_t i = at; i < at + k; i++)
				if (rows[i].id == id && !rows[i].title &&
				    !(rows[i].title =
					      arena_strdup(a, t ? t : "")))
					rc = err_set(e, E_NOMEM, NULL,
						     "out of memory");
		}
		if (rc == E_OK && step != DB_DONE)
			rc = db_err(c, e, "overdue title");
		for (size_t i = at; i < at + k; i++)
			if (!rows[i].title)
				rows[i].title = ""; /* purged since the walk */
	}
	conn_done(c, s);
	return rc;
}

enum err_code store_overdue_first(struct store *st, struct arena *a,
				  const struct viewer *viewer,
				  int64_t before, int64_t now, size_t max,
				  size_t titled, struct overdue_row **out,
				  size_t *n, int *more, struct err *e)
{
	const char *groups = visible_param(viewer);
	struct buf sql = BUF_INIT;
	struct overdue_row *rows;
	struct db_stmt *s;
	struct conn *c;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	*more = 0;
	if (!max || max > 500)
		max = 500;
	if (!(rows = arena_alloc(a, sizeof *rows * max)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	overdue_sql(&sql, groups);
	if (sql.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (!(c = conn_get(st, e))) {
		buf_release(&sql);
		return e->code;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		tx_rollback(c);
		goto out;
	}
	db_bind_int64(s, 1, before);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, (int64_t)max + 1);
	if (groups)
		db_bind_text(s, 4, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		if (*n == max) {
			*more = 1;
			continue;
		}
		rows[*n].id = db_column_int64(s, 0);
		rows[*n].resolved_at = db_column_int64(s, 1);
		rows[*n].title = NULL;
		(*n)++;
	}
	if (step != DB_DONE && step != DB_ROW)
		rc = db_err(c, e, "overdue");
	conn_done(c, s);
	if (rc == E_OK)
		rc = overdue_titles(c, a, rows, titled < *n ? titled : *n, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	conn_put(c);
	buf_release(&sql);
	if (rc == E_OK)
		*out = rows;
	else
		*n = 0;
	return rc;
}

enum err_code store_overdue_first_plan(struct store *st, struct arena *a,
				       const struct viewer *viewer,
				       const char **out, struct err *e)
{
	const char *groups = visible_param(viewer);
	struct buf sql = BUF_INIT, b = BUF_INIT;
	struct db_stmt *s = NULL;
	struct conn *c = NULL;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	overdue_sql(&sql, groups);
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = explain_prepare(c, buf_cstr(&sql), &s, e)) != E_OK)
		goto out;
	db_bind_int64(s, 1, 0);
	db_bind_int64(s, 2, 0);
	db_bind_int64(s, 3, 100);
	if (groups)
		db_bind_text(s, 4, groups, -1, DB_STATIC);
	rc = explain_read(c, s, &b, "overdue", e);
	if (rc == E_OK &&
	    !(*out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b))))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
out:
	conn_put(c);
	buf_release(&sql);
	buf_release(&b);
	return rc;
}
