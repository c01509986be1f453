/* sqlite_glossary.c: the glossary (store.h): terms and definitions, and
 * the stamp that changes with each change to it or to inbound links, so
 * that cached review pages are rendered again. The stamp is the sum of
 * two counters in settings ('glossary.stamp', 'links.stamp'), each bumped
 * in the transaction of a write. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/timeutil.h"
#include "util/utf8.h"

static const char *col_text(struct arena *a, struct db_stmt *s, int col)
{
	const char *t = db_column_text(s, col);

	return arena_strdup(a, t ? (const char *)t : "");
}

enum err_code store_glossary_list(struct store *st, struct arena *a,
				  struct glossary_term **out, size_t *n,
				  struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	size_t cap = 0;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	if (!(s = conn_stmt(c,
			    "SELECT id, term, definition, created_at, "
			    "updated_at FROM glossary_terms ORDER BY term "
			    "COLLATE NOCASE, id",
			    e))) {
		rc = e->code;
		goto out;
	}
	while ((step = db_step(s)) == DB_ROW) {
		struct glossary_term *t;

		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct glossary_term *v =
				arena_alloc(a, ncap * sizeof *v);

			if (!v) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			if (*n)
				memcpy(v, *out, *n * sizeof *v);
			*out = v;
			cap = ncap;
		}
		t = &(*out)[(*n)++];
		t->id = db_column_int64(s, 0);
		t->term = col_text(a, s, 1);
		t->definition = col_text(a, s, 2);
		t->created_at = db_column_int64(s, 3);
		t->updated_at = db_column_int64(s, 4);
		if (!t->term || !t->definition) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "glossary");
	conn_done(c, s);
out:
	conn_put(c);
	return rc;
}

/* exec1 runs one statement with up to three bindings (text a, text b,
 * integer i when > 0, as ?1 ?2 ?3); *changes gets db_changes. */
static enum err_code exec1(struct conn *c, const char *sql, const char *ta,
			   const char *tb, int64_t i, int *changes,
			   struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	int step;

	if (!s)
		return e->code;
	if (ta)
		db_bind_text(s, 1, ta, -1, DB_STATIC);
	if (tb)
		db_bind_text(s, 2, tb, -1, DB_STATIC);
	if (i)
		db_bind_int64(s, 3, i);
	step = db_step(s);
	if (step == DB_CONSTRAINT ||
	    db_errcode(c->db) == DB_CONSTRAINT_UNIQUE)
		rc = err_set(e, E_CONFLICT, "term",
			     "The glossary has the term \"%.*s\" already",
			     (int)utf8_cut(ta ? ta : "", 80), ta ? ta : "");
	else if (step != DB_DONE && step != DB_ROW)
		rc = db_err(c, e, "glossary");
	else if (changes)
		*changes = db_changes(c->db);
	conn_done(c, s);
	return rc;
}

static enum err_code bump_stamp(struct conn *c, struct err *e)
{
	return exec1(c,
		     "INSERT INTO settings (key, value) VALUES "
		     "('glossary.stamp', '1') ON CONFLICT (key) DO UPDATE SET "
		     "value = CAST(CAST(settings.value AS INTEGER) + 1 AS "
		     "TEXT)",
		     NULL, NULL, 0, NULL, e);
}

enum err_code store_glossary_put(struct store *st, int64_t *id,
				 const char *term, const char *definition,
				 struct err *e)
{
	struct conn *c;
	enum err_code rc;
	int changes = 0;
	int64_t now = time_now();
	char sql[200];

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if (*id) {
		snprintf(sql, sizeof sql,
			 "UPDATE glossary_terms SET term = ?1, definition = "
			 "?2, updated_at = %lld WHERE id = ?3",
			 (long long)now);
		rc = exec1(c, sql, term, definition, *id, &changes, e);
		if (rc == E_OK && !changes)
			rc = err_set(e, E_NOT_FOUND, "id",
				     "There is no glossary term %lld",
				     (long long)*id);
	} else {
		snprintf(sql, sizeof sql,
			 "INSERT INTO glossary_terms (term, definition, "
			 "created_at, updated_at) VALUES (?1, ?2, %lld, %lld)",
			 (long long)now, (long long)now);
		rc = exec1(c, sql, term, definition, 0, &changes, e);
		if (rc == E_OK)
			*id = db_last_insert_id(c->db);
	}
	if (rc == E_OK)
		rc = bump_stamp(c, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	conn_put(c);
	return rc;
}

enum err_code store_glossary_delete(struct store *st, int64_t id,
				    struct err *e)
{
	struct conn *c;
	enum err_code rc;
	int changes = 0;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	rc = exec1(c, "DELETE FROM glossary_terms WHERE id = ?3", NULL, NULL,
		   id, &changes, e);
	if (rc == E_OK && !changes)
		rc = err_set(e, E_NOT_FOUND, "id",
			     "There is no glossary term %lld", (long long)id);
	if (rc == E_OK)
		rc = bump_stamp(c, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	conn_put(c);
	return rc;
}

enum err_code store_learning_stamp(struct store *st, int64_t *stamp,
				   struct err *e)
{
	ERR_LOCAL(e);
	*stamp = 0;
	/* both counters only grow: their sum changes when either does */
	return db_read_int64(st,
			     "SELECT coalesce(sum(CAST(value AS INTEGER)), 0) "
			     "FROM settings WHERE key IN ('glossary.stamp', "
			     "'links.stamp')",
			     NULL, stamp, e);
}
