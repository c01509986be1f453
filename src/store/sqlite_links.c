/* sqlite_links.c: inbound links (store.h, learning signals): the
 * references to reviews that `debrief links scan` finds in a git
 * repository. A scan is one write transaction that first removes the
 * repository's links, so a rescan replaces them and a failed scan leaves
 * the last ones. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/timeutil.h"

struct links_scan {
	struct conn *c;
	const char *repository; /* the caller's, for the scan's length */
	int64_t now;
};

enum err_code store_links_begin(struct store *st, const char *repository,
				struct links_scan **out, struct err *e)
{
	struct links_scan *ls;
	struct db_stmt *s;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	if (!(ls = calloc(1, sizeof *ls)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	ls->repository = repository;
	ls->now = time_now();
	if (!(ls->c = conn_get(st, e))) {
		free(ls);
		return e->code;
	}
	if ((rc = tx_begin(ls->c, 1, e)) != E_OK) {
		conn_put(ls->c);
		free(ls);
		return rc;
	}
	if (!(s = conn_stmt(ls->c,
			    "DELETE FROM inbound_links WHERE repository = ?1",
			    e))) {
		store_links_abort(ls);
		return e->code;
	}
	db_bind_text(s, 1, repository, -1, DB_STATIC);
	rc = db_step(s) == DB_DONE ? E_OK
					     : db_err(ls->c, e, "inbound links");
	conn_done(ls->c, s);
	if (rc != E_OK) {
		store_links_abort(ls);
		return rc;
	}
	*out = ls;
	return E_OK;
}

enum err_code store_links_add(struct links_scan *ls,
			      const struct inbound_link *l, int *added,
			      struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if (added)
		*added = 0;
	s = conn_stmt(ls->c,
		      "INSERT INTO inbound_links (review_id, repository, file, "
		      "line, commit_id, text, found_at) SELECT ?1, ?2, ?3, ?4, "
		      "?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM reviews WHERE "
		      "id = ?1)",
		      e);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, l->review_id);
	db_bind_text(s, 2, ls->repository, -1, DB_STATIC);
	if (l->file)
		db_bind_text(s, 3, l->file, -1, DB_TRANSIENT);
	if (l->line > 0)
		db_bind_int64(s, 4, l->line);
	if (l->commit)
		db_bind_text(s, 5, l->commit, -1, DB_TRANSIENT);
	if (l->text)
		db_bind_text(s, 6, l->text, -1, DB_TRANSIENT);
	db_bind_int64(s, 7, ls->now);
	if (db_step(s) != DB_DONE)
		rc = db_err(ls->c, e, "inbound links");
	else if (added)
		*added = db_changes(ls->c->db) > 0;
	conn_done(ls->c, s);
	return rc;
}

enum err_code store_links_commit(struct links_scan *ls, struct err *e)
{
	enum err_code rc = E_OK;
	struct db_stmt *s;

	ERR_LOCAL(e);
	/* review pages list the links: a new stamp renders them again
	 * (store_learning_stamp) */
	s = conn_stmt(ls->c,
		      "INSERT INTO settings (key, value) VALUES ('links.stamp', "
		      "'1') ON CONFLICT (key) DO UPDATE SET value = "
		      "CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)",
		      e);
	if (!s)
		rc = e->code;
	else if (db_step(s) != DB_DONE)
		rc = db_err(ls->c, e, "links stamp");
	if (s)
		conn_done(ls->c, s);
	if (rc == E_OK)
		rc = tx_commit(ls->c, e);
	if (rc != E_OK)
		tx_rollback(ls->c);
	conn_put(ls->c);
	free(ls);
	return rc;
}

void store_links_abort(struct links_scan *ls)
{
	if (!ls)
		return;
	tx_rollback(ls->c);
	conn_put(ls->c);
	free(ls);
}

static const char *col_text(struct arena *a, struct db_stmt *s, int col)
{
	const char *t = db_column_text(s, col);

	return t ? arena_strdup(a, (const char *)t) : NULL;
}

enum err_code store_links_list(struct store *st, struct arena *a,
			       int64_t review_id, int limit, int offset,
			       struct inbound_link **out, size_t *n,
			       int64_t *total, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	*total = 0;
	limit = limit <= 0 ? 100 : limit > 1000 ? 1000 : limit;
	if (offset < 0)
		offset = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	if (!(s = conn_stmt(c,
			    "SELECT count(*) FROM inbound_links WHERE "
			    "review_id = ?1",
			    e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, review_id);
	if (db_step(s) == DB_ROW)
		*total = db_column_int64(s, 0);
	else
		rc = db_err(c, e, "inbound links");
	conn_done(c, s);
	if (rc != E_OK || !*total)
		goto out;
	if (!(*out = arena_alloc(a, (size_t)(*total < limit ? *total : limit) *
					    sizeof **out))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c,
			    "SELECT id, repository, file, line, commit_id, "
			    "text, found_at FROM inbound_links WHERE "
			    "review_id = ?1 ORDER BY repository, file IS NULL, "
			    "file, line, commit_id, id LIMIT ?2 OFFSET ?3",
			    e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, review_id);
	db_bind_int(s, 2, limit);
	db_bind_int(s, 3, offset);
	while ((step = db_step(s)) == DB_ROW &&
	       *n < (size_t)limit) {
		struct inbound_link *l = &(*out)[(*n)++];

		l->id = db_column_int64(s, 0);
		l->review_id = review_id;
		l->repository = col_text(a, s, 1);
		l->file = col_text(a, s, 2);
		l->line = db_column_int64(s, 3);
		l->commit = col_text(a, s, 4);
		l->text = col_text(a, s, 5);
		l->found_at = db_column_int64(s, 6);
	}
	if (step != DB_ROW && step != DB_DONE)
		rc = db_err(c, e, "inbound links");
	conn_done(c, s);
out:
	conn_put(c);
	return rc;
}
