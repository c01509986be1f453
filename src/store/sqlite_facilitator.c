/* sqlite_facilitator.c: the facilitator roster (model/facilitator.h), a
 * top-level record kind stored through the generated SQL of its def, and
 * what the meetings say about each person (how many held meetings they
 * facilitated, the last one). */
#include <string.h>

#include "model/facilitator.h"
#include "model/meeting.h"
#include "store/sqlite_internal.h"
#include "util/timeutil.h"

#define ROSTER_MAX 2000

/* stats counts each entry's held meetings (live, not cancelled, of a live
 * review the viewer sees, started by now) by its name. */
static enum err_code stats(struct conn *c, struct facilitator *f, size_t n,
			   int64_t now, const struct viewer *viewer,
			   struct err *e)
{
	const char *groups = visible_param(viewer);
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int step;

	buf_puts(&sql, "SELECT m.facilitator, m.start FROM meetings m JOIN "
		       "reviews r ON r.id = m.review_id WHERE m.deleted_at IS "
		       "NULL AND r.deleted_at IS NULL AND m.status != "
		       "'cancelled' AND m.start <= ?1 AND m.facilitator IS NOT "
		       "NULL");
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "r", 2);
	}
	if (sql.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	s = conn_stmt(c, buf_cstr(&sql), e);
	buf_release(&sql);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, now);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		const char *mf = db_column_text(s, 0);
		int64_t start = db_column_int64(s, 1);

		for (size_t i = 0; i < n; i++)
			if (facilitator_names_match(
				    mf, record_str(f[i].rec, FAC_NAME))) {
				f[i].facilitated++;
				if (start > f[i].last_facilitated)
					f[i].last_facilitated = start;
			}
	}
	conn_done(c, s);
	return step == DB_DONE ? E_OK : db_err(c, e, "meetings");
}

enum err_code store_facilitator_list(struct store *st, struct arena *a,
				     int64_t now, const struct viewer *viewer,
				     struct facilitator **out, size_t *n,
				     struct err *e)
{
	const struct def_sql *d = &st->dsql[DEF_FACILITATOR];
	struct facilitator *f;
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	struct conn *c;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	if (!(f = arena_alloc(a, sizeof *f * ROSTER_MAX)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	buf_printf(&sql,
		   "SELECT %s FROM facilitators t WHERE t.deleted_at IS NULL "
		   "ORDER BY lower(t.name), t.id LIMIT %d",
		   d->cols, ROSTER_MAX);
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
	while ((step = db_step(s)) == DB_ROW) {
		memset(&f[*n], 0, sizeof f[*n]);
		if (!(f[*n].rec = row_read(a, d, s, 0, e))) {
			rc = e->code;
			break;
		}
		(*n)++;
	}
	if (rc == E_OK && step != DB_DONE && step != DB_ROW)
		rc = db_err(c, e, "facilitators");
	conn_done(c, s);
	if (rc == E_OK)
		rc = stats(c, f, *n, now, viewer, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	conn_put(c);
	buf_release(&sql);
	if (rc == E_OK)
		*out = f;
	else
		*n = 0;
	return rc;
}

/* load_live finds live entry id and checks its version (0: any). */
static enum err_code load_live(struct conn *c, struct arena *a, int64_t id,
			       int64_t expected, struct record **out,
			       struct err *e)
{
	enum err_code rc =
		rec_load_for_write(c, a, &c->st->dsql[DEF_FACILITATOR], id,
				   out, e);

	if (rc == E_NOT_FOUND || (rc == E_OK && (*out)->deleted_at))
		return err_set(e, E_NOT_FOUND, "id",
			       "no facilitator %lld on the roster",
			       (long long)id);
	if (rc != E_OK)
		return rc;
	if (expected && expected != (*out)->version) {
		err_set(e, E_CONFLICT, "version",
			"the roster entry is at version %lld, not %lld",
			(long long)(*out)->version, (long long)expected);
		e->current_version = (*out)->version;
		return E_CONFLICT;
	}
	return E_OK;
}

/* taken tells whether a live entry other than id has name. */
static int taken(struct conn *c, const char *name, int64_t id)
{
	struct err e;
	struct db_stmt *s = conn_stmt(c,
				    "SELECT 1 FROM facilitators WHERE "
				    "deleted_at IS NULL AND lower(name) = "
				    "lower(?1) AND id != ?2",
				    &e);
	int found;

	if (!s)
		return 0;
	db_bind_text(s, 1, name, -1, DB_STATIC);
	db_bind_int64(s, 2, id);
	found = db_step(s) == DB_ROW;
	conn_done(c, s);
	return found;
}

enum err_code store_facilitator_write(struct store *st, struct arena *a,
				      int64_t id, int64_t expected,
				      const struct record *patch, int remove,
				      struct record **out, struct err *e)
{
	const struct def_sql *d = &st->dsql[DEF_FACILITATOR];
	int64_t now = time_now();
	struct record *old = NULL, *r;
	struct change *ch;
	struct conn *c;
	enum err_code rc;
	int n = 1;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if (id && (rc = load_live(c, a, id, expected, &old, e)) != E_OK)
		goto fail;
	if (remove) {
		if (!(r = record_copy(a, old))) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto fail;
		}
		r->deleted_at = now;
	} else if (old) {
		if ((rc = record_patched(a, old, patch, &r, &ch, &n, e)) != E_OK)
			goto fail;
	} else {
		if (!(r = record_copy(a, patch))) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto fail;
		}
		record_fill_defaults(a, r);
		if ((rc = record_validate(r, e)) != E_OK)
			goto fail;
	}
	if (!remove && taken(c, record_str(r, FAC_NAME), id)) {
		rc = err_set(e, E_INVALID, "name", "%s is on the roster already",
			     record_str(r, FAC_NAME));
		goto fail;
	}
	if (!n) { /* nothing changed */
		tx_rollback(c);
		*out = r;
		goto out;
	}
	r->updated_at = now;
	if (old) {
		r->version = old->version + 1;
		rc = rec_update(c, d, r, e);
	} else {
		r->version = 1;
		r->created_at = now;
		rc = rec_insert(c, d, r, e);
	}
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK)
		goto fail;
	*out = r;
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}
