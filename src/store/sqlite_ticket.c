/* sqlite_ticket.c: follow-ups' tickets (store.h, "Tickets"). The rows are
 * the generic record rows of ticket_def; only the queries that find them
 * by follow-up, tracker and key live here. */
#include <string.h>

#include "model/ticket.h"
#include "store/sqlite_internal.h"
#include "util/timeutil.h"

/* A page shows when a ticket was read; see store_ticket_save_state. */
#define TICKET_PAGE_REFRESH 3600

/* LIVE: the ticket, its follow-up and its review are not deleted. */
#define LIVE                                                               \
	" t.deleted_at IS NULL AND EXISTS (SELECT 1 FROM followups f "     \
	"JOIN reviews r ON r.id = f.review_id WHERE f.id = t.followup_id " \
	"AND f.deleted_at IS NULL AND r.deleted_at IS NULL)"

/* rows_read steps s and reads every row into out, then gives s back. */
static enum err_code rows_read(struct conn *c, struct arena *a,
			       struct db_stmt *s, struct record_list *out,
			       struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_TICKET];
	size_t cap = 0;
	enum err_code rc = E_OK;
	int step;

	out->n = 0;
	out->items = NULL;
	while ((step = db_step(s)) == DB_ROW) {
		struct record *r;

		if (out->n == cap) {
			struct record **items;
			cap = cap ? cap * 2 : 16;
			if (!(items = arena_alloc(a, sizeof *items * cap))) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			if (out->n)
				memcpy(items, out->items,
				       sizeof *items * out->n);
			out->items = items;
		}
		if (!(r = row_read(a, d, s, 0, e))) {
			rc = e->code;
			break;
		}
		out->items[out->n++] = r;
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "tickets");
	conn_done(c, s);
	return rc;
}

/* rows runs sql (binds: up to two texts, NULL ones skipped by position:
 * ?1 and ?2 are bound as given, NULL binds NULL) and reads every row. */
static enum err_code rows(struct conn *c, struct arena *a, const char *sql,
			  const char *t1, const char *t2, int64_t i3,
			  struct record_list *out, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);

	out->n = 0;
	out->items = NULL;
	if (!s)
		return e->code;
	if (t1)
		db_bind_text(s, 1, t1, -1, DB_STATIC);
	if (t2)
		db_bind_text(s, 2, t2, -1, DB_STATIC);
	if (i3)
		db_bind_int64(s, 3, i3);
	return rows_read(c, a, s, out, e);
}

/* read_list runs one query of rows in a read transaction. */
static enum err_code read_list(struct store *st, struct arena *a,
			       const char *tail, const char *t1, const char *t2,
			       int64_t i3, struct record_list *out,
			       struct err *e)
{
	struct buf sql = BUF_INIT;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	buf_printf(&sql, "SELECT %s FROM tickets t WHERE" LIVE "%s",
		   st->dsql[DEF_TICKET].cols, tail);
	if (sql.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (!(c = conn_get(st, e))) {
		buf_release(&sql);
		return e->code;
	}
	if ((rc = tx_begin(c, 0, e)) == E_OK) {
		rc = rows(c, a, buf_cstr(&sql), t1, t2, i3, out, e);
		if (rc == E_OK)
			rc = tx_commit(c, e);
		else
			tx_rollback(c);
	}
	conn_put(c);
	buf_release(&sql);
	return rc;
}

/* OF_REVIEW: the tail of the query of a review's tickets. */
#define OF_REVIEW                                                            \
	" AND t.review_id = ?3 AND CAST(?1 AS TEXT) IS NULL AND CAST(?2 AS " \
	"TEXT) IS NULL ORDER BY t.id"

enum err_code store_ticket_list(struct store *st, struct arena *a,
				int64_t review_id, struct record_list *out,
				struct err *e)
{
	return read_list(st, a, OF_REVIEW, NULL, NULL, review_id, out, e);
}

enum err_code tickets_bind(struct conn *c, struct arena *a, int64_t review_id,
			   struct db_stmt **s, struct err *e)
{
	const char *sql =
		arena_printf(a, "SELECT %s FROM tickets t WHERE" LIVE "%s",
			     c->st->dsql[DEF_TICKET].cols, OF_REVIEW);

	if (!sql)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (!(*s = conn_stmt(c, sql, e)))
		return e->code;
	db_bind_int64(*s, 3, review_id);
	return E_OK;
}

enum err_code tickets_read(struct conn *c, struct arena *a, struct db_stmt *s,
			   struct record_list *out, struct err *e)
{
	return rows_read(c, a, s, out, e);
}

enum err_code store_ticket_sync_list(struct store *st, struct arena *a,
				     const char *tracker,
				     struct record_list *out, struct err *e)
{
	return read_list(st, a,
			 " AND (CAST(?1 AS TEXT) IS NULL OR t.tracker = ?1) AND CAST(?2 AS TEXT) IS NULL"
			 " AND CAST(?3 AS TEXT) IS NULL"
			 " ORDER BY coalesce(t.read_at, 0), t.id",
			 tracker, NULL, 0, out, e);
}

enum err_code store_ticket_find(struct store *st, struct arena *a,
				const char *tracker, const char *key,
				struct record_list *out, struct err *e)
{
	return read_list(st, a,
			 " AND t.tracker = ?1 AND t.key = ?2 AND CAST(?3 AS TEXT) IS NULL"
			 " ORDER BY t.id",
			 tracker, key, 0, out, e);
}

enum err_code store_ticket_link(struct store *st, struct arena *a,
				const char *actor, int64_t review_id,
				struct record *ticket,
				int64_t *new_review_version, struct err *e)
{
	const struct def_sql *fd = &st->dsql[DEF_CHILD(CHILD_FOLLOWUP)];
	const struct def_sql *td = &st->dsql[DEF_TICKET];
	int64_t now = time_now(), version, fid;
	struct record *rv, *fu, *patch, *r;
	struct record_list old;
	struct change *ch;
	struct buf sql = BUF_INIT;
	struct conn *c;
	enum err_code rc;
	int n;

	ERR_LOCAL(e);
	fid = record_int(ticket, TK_FOLLOWUP_ID, 0);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if ((rc = review_load_live(c, a, review_id, 0, &rv, e)) != E_OK)
		goto fail;
	rc = rec_load(c, a, fd, fid, &fu, e);
	if (rc == E_NOT_FOUND ||
	    (rc == E_OK && (fu->deleted_at || fu->review_id != review_id))) {
		rc = err_set(e, E_NOT_FOUND, NULL,
			     "There is no follow-up %lld on review %lld",
			     (long long)fid, (long long)review_id);
		goto fail;
	}
	if (rc != E_OK)
		goto fail;
	/* the follow-up's own field names the ticket: that is the revision */
	if (!(patch = record_new(a, &followup_def))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	record_set_str(patch, FU_TICKET, record_str(ticket, TK_URL));
	if ((rc = record_patched(a, fu, patch, &r, &ch, &n, e)) != E_OK ||
	    (rc = review_bump(c, review_id, now, &version, e)) != E_OK)
		goto fail;
	if (n > 0 && ((rc = child_write(c, a, actor, CHILD_FOLLOWUP, fu, r, now,
					version, e)) != E_OK ||
		      (rc = fts_reindex(c, review_id,
					   fts_part_child(CHILD_FOLLOWUP),
					   e)) != E_OK))
		goto fail;
	/* the ticket it had, if any, goes */
	buf_printf(&sql,
		   "SELECT %s FROM tickets t WHERE t.followup_id = ?3 AND "
		   "t.deleted_at IS NULL AND CAST(?1 AS TEXT) IS NULL AND CAST(?2 AS TEXT) IS NULL",
		   td->cols);
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((rc = rows(c, a, buf_cstr(&sql), NULL, NULL, fid, &old, e)) != E_OK)
		goto fail;
	for (size_t i = 0; i < old.n; i++) {
		old.items[i]->deleted_at = now;
		old.items[i]->version++;
		old.items[i]->updated_at = now;
		if ((rc = rec_update(c, td, old.items[i], e)) != E_OK)
			goto fail;
	}
	ticket->review_id = review_id;
	ticket->version = 1;
	ticket->created_at = ticket->updated_at = now;
	ticket->deleted_at = 0;
	if ((rc = rec_insert(c, td, ticket, e)) != E_OK ||
	    (rc = tx_commit(c, e)) != E_OK)
		goto fail;
	if (new_review_version)
		*new_review_version = version;
	goto out;
fail:
	tx_rollback(c);
out:
	buf_release(&sql);
	conn_put(c);
	return rc;
}

enum err_code store_ticket_save_state(struct store *st, struct arena *a,
				      const struct record *t, int *changed,
				      struct err *e)
{
	const struct def_sql *td = &st->dsql[DEF_TICKET];
	int64_t now = time_now(), version;
	struct record *cur, *r;
	struct conn *c;
	enum err_code rc;
	int shown, publish;
	static const int state[] = {TK_STATUS,	 TK_DONE,      TK_ASSIGNEE,
				    TK_UPDATED,	 TK_READ_AT,   TK_ERROR,
				    TK_ERROR_AT, TK_CLOSE_SENT};

	ERR_LOCAL(e);
	if (changed)
		*changed = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	rc = rec_load(c, a, td, t->id, &cur, e);
	if (rc == E_NOT_FOUND || (rc == E_OK && cur->deleted_at)) {
		rc = err_set(e, E_NOT_FOUND, NULL,
			     "the ticket was unlinked meanwhile");
		goto fail;
	}
	if (rc != E_OK)
		goto fail;
	if (!(r = record_copy(a, cur))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < sizeof state / sizeof state[0]; i++)
		r->v[state[i]] = t->v[state[i]];
	shown = ticket_state_changed(cur, r);
	/* the row's updated_at is when pages last got its state: a read
	 * that finds nothing new moves the review's version (and so its
	 * cached pages, with their "read" time) at most once an hour */
	publish = shown || now - cur->updated_at >= TICKET_PAGE_REFRESH;
	r->version = cur->version + 1;
	r->updated_at = publish ? now : cur->updated_at;
	if ((rc = rec_update(c, td, r, e)) != E_OK)
		goto fail;
	if (publish &&
	    (rc = review_bump(c, cur->review_id, now, &version, e)) != E_OK)
		goto fail;
	if (changed)
		*changed = shown;
	rc = tx_commit(c, e);
	if (rc == E_OK)
		goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}
