/* sqlite_draft.c: the drafts table of store.h: one unsaved form per
 * person and review. Drafts are not review data: writing one neither
 * records a revision nor bumps a version or the generation. */
#include <string.h>

#include "store/sqlite_internal.h"

enum err_code store_draft_put(struct store *st, const char *author,
			      int64_t review_id, const char *body, int64_t now,
			      struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if (tx_begin(c, 1, e) != E_OK) { /* queues for the write turn */
		rc = e->code;
		goto out;
	}
	s = conn_stmt(
		c,
		"INSERT INTO drafts (author, review_id, body, updated_at) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (author, review_id) "
		"DO UPDATE SET body = excluded.body, "
		"updated_at = excluded.updated_at",
		e);
	if (!s) {
		rc = e->code;
		goto out;
	}
	db_bind_text(s, 1, author, -1, DB_STATIC);
	db_bind_int64(s, 2, review_id);
	db_bind_text(s, 3, body, -1, DB_STATIC);
	db_bind_int64(s, 4, now);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "drafts");
	conn_done(c, s);
	if (rc == E_OK)
		rc = tx_commit(c, e);
out:
	conn_put(c);
	return rc;
}

enum err_code store_draft_get(struct store *st, struct arena *a,
			      const char *author, int64_t review_id,
			      const char **body, int64_t *updated_at,
			      struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*body = NULL;
	if (!(c = conn_get(st, e)))
		return e->code;
	s = conn_stmt(c,
		      "SELECT body, updated_at FROM drafts WHERE author = ?1 "
		      "AND review_id = ?2",
		      e);
	if (!s) {
		rc = e->code;
		goto out;
	}
	db_bind_text(s, 1, author, -1, DB_STATIC);
	db_bind_int64(s, 2, review_id);
	step = db_step(s);
	if (step == DB_ROW) {
		const char *t = db_column_text(s, 0);
		*body = arena_strdup(a, t ? t : "");
		*updated_at = db_column_int64(s, 1);
		if (!*body)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
	} else if (step == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, NULL, "no draft");
	} else {
		rc = db_err(c, e, "drafts");
	}
	conn_done(c, s);
out:
	conn_put(c);
	return rc;
}

enum err_code store_draft_delete(struct store *st, const char *author,
				 int64_t review_id, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if (tx_begin(c, 1, e) != E_OK) {
		rc = e->code;
		goto out;
	}
	s = conn_stmt(c,
		      "DELETE FROM drafts WHERE author = ?1 AND review_id = ?2",
		      e);
	if (!s) {
		rc = e->code;
		goto out;
	}
	db_bind_text(s, 1, author, -1, DB_STATIC);
	db_bind_int64(s, 2, review_id);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "drafts");
	conn_done(c, s);
	if (rc == E_OK)
		rc = tx_commit(c, e);
out:
	conn_put(c);
	return rc;
}
