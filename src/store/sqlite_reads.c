/* sqlite_reads.c: reads of reviews (store.h, learning signals): noting a
 * view by the rule of model/learning.c, counting a review's reads, and
 * the most read reviews. A view is first checked with reads only; the
 * write happens at most once an hour per reader and review, so the
 * review page, the hot path, rarely writes. */
#include <string.h>

#include "model/learning.h"
#include "store/sqlite_internal.h"

/* read_facts reads what read_counts needs: the reader's last read of the
 * review and whether they are one of its authors. */
static enum err_code read_facts(struct conn *c, int64_t review_id,
				struct read_view *v, struct err *e)
{
	struct db_stmt *s;
	int step;

	s = conn_stmt(c,
		      "SELECT (SELECT max(at) FROM review_reads WHERE "
		      "review_id = ?1 AND reader = ?2), EXISTS (SELECT 1 "
		      "FROM revisions WHERE review_id = ?1 AND actor = ?2 "
		      "AND record_kind <> 'comments'), EXISTS (SELECT 1 FROM "
		      "reviews WHERE id = ?1)",
		      e);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, review_id);
	db_bind_text(s, 2, v->reader, -1, DB_STATIC);
	step = db_step(s);
	if (step != DB_ROW) {
		conn_done(c, s);
		return db_err(c, e, "reads");
	}
	v->last_read_at = db_column_int64(s, 0);
	v->is_author = db_column_int(s, 1);
	step = db_column_int(s, 2);
	conn_done(c, s);
	if (!step)
		return err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			       (long long)review_id);
	return E_OK;
}

enum err_code store_read_note(struct store *st, int64_t review_id,
			      struct read_view *v, int *counted,
			      struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc;

	ERR_LOCAL(e);
	if (counted)
		*counted = 0;
	if (!v->reader || !*v->reader || read_is_bot(v->user_agent))
		return E_OK;
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = read_facts(c, review_id, v, e)) != E_OK ||
	    !read_counts(v))
		goto out;
	/* counted: check again inside the write, so that two views at
	 * once count once */
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if ((rc = read_facts(c, review_id, v, e)) != E_OK)
		goto fail;
	if (!read_counts(v)) {
		tx_rollback(c);
		goto out;
	}
	if (!(s = conn_stmt(c,
			    "INSERT INTO review_reads (review_id, reader, at, "
			    "month) VALUES (?1, ?2, ?3, CAST(strftime('%Y%m', "
			    "?3, 'unixepoch') AS INTEGER))",
			    e))) {
		rc = e->code;
		goto fail;
	}
	db_bind_int64(s, 1, review_id);
	db_bind_text(s, 2, v->reader, -1, DB_STATIC);
	db_bind_int64(s, 3, v->now);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "reads");
	conn_done(c, s);
	if (rc != E_OK)
		goto fail;
	if ((rc = tx_commit(c, e)) == E_OK && counted)
		*counted = 1;
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}

enum err_code store_read_counts(struct store *st, int64_t review_id,
				int64_t since, int64_t *reads,
				int64_t *readers, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	*reads = *readers = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	s = conn_stmt(c,
		      "SELECT count(*), count(DISTINCT reader) FROM "
		      "review_reads WHERE review_id = ?1 AND at >= ?2",
		      e);
	if (!s) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, review_id);
	db_bind_int64(s, 2, since);
	if (db_step(s) == DB_ROW) {
		*reads = db_column_int64(s, 0);
		*readers = db_column_int64(s, 1);
	} else {
		rc = db_err(c, e, "reads");
	}
	conn_done(c, s);
out:
	conn_put(c);
	return rc;
}

enum err_code store_reads_top(struct store *st, struct arena *a,
			      const struct review_filter *f, int64_t since,
			      struct record_list *out, int64_t **reads,
			      int64_t *total, struct err *e)
{
	const char *groups = visible_param(f->viewer);
	int limit = f->limit <= 0 ? 50 : f->limit > 500 ? 500 : f->limit;
	struct buf where = BUF_INIT, sql = BUF_INIT;
	const struct def_sql *d = &st->dsql[DEF_REVIEW];
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	size_t cap = 0;
	int step;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	*reads = NULL;
	*total = 0;
	buf_puts(&where, "FROM (SELECT review_id, count(*) AS n FROM "
			 "review_reads WHERE at >= ?1 GROUP BY review_id) rr "
			 "JOIN reviews t ON t.id = rr.review_id WHERE "
			 "t.deleted_at IS NULL");
	if (groups) {
		buf_puts(&where, " AND ");
		visible_clause(&where, "t", 2);
	}
	buf_printf(&sql, "SELECT count(*) %s", buf_cstr(&where));
	if (where.oom || sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || !(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, since);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	if (db_step(s) == DB_ROW)
		*total = db_column_int64(s, 0);
	else
		rc = db_err(c, e, "reads");
	conn_done(c, s);
	s = NULL;
	if (rc != E_OK)
		goto out;
	buf_reset(&sql);
	buf_printf(&sql, "SELECT rr.n, %s %s ORDER BY rr.n DESC, t.id DESC "
			 "LIMIT %d OFFSET %d",
		   d->cols, buf_cstr(&where), limit,
		   f->offset > 0 ? f->offset : 0);
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, since);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		struct record *r;

		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct record **ni = arena_alloc(a, ncap * sizeof *ni);
			int64_t *nr = arena_alloc(a, ncap * sizeof *nr);

			if (!ni || !nr) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			if (out->n) {
				memcpy(ni, out->items, out->n * sizeof *ni);
				memcpy(nr, *reads, out->n * sizeof *nr);
			}
			out->items = ni;
			*reads = nr;
			cap = ncap;
		}
		if (!(r = row_read(a, d, s, 1, e))) {
			rc = e->code ? e->code : E_NOMEM;
			break;
		}
		(*reads)[out->n] = db_column_int64(s, 0);
		out->items[out->n++] = r;
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "reads");
out:
	if (s)
		conn_done(c, s);
	conn_put(c);
	buf_release(&where);
	buf_release(&sql);
	return rc;
}
