/* sqlite_followups.c: follow-ups across reviews, with their tickets and
 * the lingering rule (store.h, store_followup_list). */
#include <string.h>

#include "model/ticket.h"
#include "store/sqlite_internal.h"
#include "util/timeutil.h"

/* alias_cols returns cols ("t.id, t.x, ...") with every "t." as alias. */
static char *alias_cols(struct arena *a, const char *cols, char alias)
{
	char *out = arena_strdup(a, cols);

	for (char *p = out; p && *p; p++)
		if (p[0] == 't' && p[1] == '.' && (p == out || p[-1] == ' '))
			p[0] = alias;
	return out;
}

/* How where() reads a follow-up's review. */
enum review_read {
	REVIEW_ROW,   /* joined by its row (a team filter reads owner_team) */
	REVIEW_BY_ID, /* joined from reviews_by_id (006), in id order as
		       * followups_open is, so that each review's follow-ups
		       * are found in the index page read just before (from
		       * reviews_times, in time order, the two indexes did not
		       * fit the page cache together at 100,000 reviews) */
	REVIEW_EXISTS /* looked up in reviews_by_id for each follow-up, as
		       * the page's scan in order meets it: as a join SQLite
		       * built a Bloom filter of every review first (80 ms at
		       * 100,000 reviews, for a page of 50) */
};

/* where appends the filter; binds: ?1 today, ?2 cutoff, ?3 owner, ?4
 * team, ?5 the viewer's groups. */
static void where(struct buf *b, const struct followup_filter *f,
		  const char *groups, enum review_read how)
{
	buf_puts(b, " FROM followups t ");
	if (how != REVIEW_EXISTS)
		buf_printf(b, "JOIN reviews r%s ON r.id = t.review_id ",
			   how == REVIEW_BY_ID ? " INDEXED BY reviews_by_id"
					       : "");
	buf_puts(b, "LEFT JOIN tickets k ON k.followup_id = t.id AND "
		    "k.deleted_at IS NULL WHERE t.deleted_at IS NULL AND "
		    "t.status NOT IN ('done', 'wont-do')");
	if (f->owner)
		buf_puts(b, " AND t.owner = ?3");
	buf_puts(b, how == REVIEW_EXISTS
			    ? " AND EXISTS (SELECT 1 FROM reviews r INDEXED BY "
			      "reviews_by_id WHERE r.id = t.review_id AND "
			      "r.deleted_at IS NULL"
			    : " AND r.deleted_at IS NULL");
	if (f->team)
		buf_puts(b, " AND r.owner_team = ?4");
	if (groups) {
		buf_puts(b, " AND ");
		visible_clause(b, "r", 5);
	}
	if (how == REVIEW_EXISTS)
		buf_puts(b, ")");
	if (f->lingering)
		buf_puts(b, " AND ((t.due IS NOT NULL AND t.due < ?1) OR "
			    "coalesce(k.updated, k.created_at, t.updated_at) "
			    "< ?2)");
}

/* kept_count_sql: the count of what f asks for from the counts kept as
 * writes happen (migration 037), when f names no owner and no team: the
 * open follow-ups the viewer sees (review_counts), less, for the lingering
 * ones, those active after the cutoff (?2) and not past due (?1): the
 * linger_counts rows of the days after the cutoff's, and the cutoff's own
 * day exactly (the follow-ups with no ticket by their last change, the
 * live tickets by their activity). */
static void kept_count_sql(struct buf *b, const struct followup_filter *f,
			   const char *groups)
{
	/* the cutoff's day, and its end */
	static const char *const day_end = "(?2 / 86400 + 1) * 86400";

	buf_puts(b, "SELECT (SELECT coalesce(sum(rc.open_followups), 0) "
		    "FROM review_counts rc WHERE rc.deleted = 0");
	if (groups) {
		buf_puts(b, " AND ");
		visible_clause(b, "rc", 5);
	}
	buf_puts(b, ")");
	if (!f->lingering)
		return;
	buf_puts(b, " - (SELECT coalesce(sum(c.followups), 0) FROM "
		    "linger_counts c WHERE c.day > ?2 / 86400 AND (c.due = '' "
		    "OR c.due >= ?1)");
	if (groups) {
		buf_puts(b, " AND ");
		visible_clause(b, "c", 5);
	}
	/* each one's review (and follow-up) looked up by id as the range
	 * meets it: as joins, SQLite may build a Bloom filter of every
	 * review (every follow-up) first */
	buf_printf(b,
		   ") - (SELECT count(*) FROM followups t INDEXED BY "
		   "followups_active WHERE t.deleted_at IS NULL AND t.status "
		   "NOT IN ('done', 'wont-do') AND t.updated_at >= ?2 AND "
		   "t.updated_at < %s AND (t.due IS NULL OR t.due >= ?1) AND "
		   "NOT EXISTS (SELECT 1 FROM tickets k WHERE k.followup_id = "
		   "t.id AND k.deleted_at IS NULL) AND EXISTS (SELECT 1 FROM "
		   "reviews r INDEXED BY reviews_by_id WHERE r.id = "
		   "t.review_id AND r.deleted_at IS NULL",
		   day_end);
	if (groups) {
		buf_puts(b, " AND ");
		visible_clause(b, "r", 5);
	}
	buf_printf(b,
		   ")) - (SELECT count(*) FROM tickets k INDEXED BY "
		   "tickets_active WHERE k.deleted_at IS NULL AND "
		   "coalesce(k.updated, k.created_at) >= ?2 AND "
		   "coalesce(k.updated, k.created_at) < %s AND EXISTS (SELECT "
		   "1 FROM followups t JOIN reviews r INDEXED BY reviews_by_id "
		   "ON r.id = t.review_id WHERE t.id = k.followup_id AND "
		   "t.deleted_at IS NULL AND t.status NOT IN ('done', "
		   "'wont-do') AND (t.due IS NULL OR t.due >= ?1) AND "
		   "r.deleted_at IS NULL",
		   day_end);
	if (groups) {
		buf_puts(b, " AND ");
		visible_clause(b, "r", 5);
	}
	buf_puts(b, "))");
}

/* count_sql: the count of what f asks for: from the kept counts, or, when
 * f names an owner or a team, from indexes alone (migration 032), unless f
 * names a team (reviews_by_id does not hold it). */
static void count_sql(struct buf *b, const struct followup_filter *f,
		      const char *groups)
{
	if (!f->owner && !f->team) {
		kept_count_sql(b, f, groups);
		return;
	}
	buf_puts(b, "SELECT count(*)");
	where(b, f, groups, f->team ? REVIEW_ROW : REVIEW_BY_ID);
}

/* The list's order: due first (none last), then oldest, then by id. */
#define ORDER " ORDER BY t.due IS NULL, t.due, t.created_at, t.id"

/* list_sql: the page of what f asks for. The subquery takes the ids
 * alone in the order of followups_page (migration 037), no sort, up to
 * the page's end (each one's review looked up in reviews_by_id, unless f
 * names a team), so that only the page's rows are read whole: sorting every match's full row (its
 * description, its review's title from the wide reviews row) cost 0.74 s
 * of CPU at 100,000 reviews (issue 21). The page's reviews are read by id
 * (NOT INDEXED: with statistics SQLite took a skip-scan of reviews_team).
 * cols: the follow-up's (alias t); kcols: the ticket's (alias k). */
static void list_sql(struct buf *b, const struct followup_filter *f,
		     const char *groups, const char *cols, const char *kcols)
{
	int limit = f->limit <= 0 ? 50 : f->limit > 500 ? 500 : f->limit;

	buf_printf(b,
		   "SELECT %s, r.title, r.owner_team, %s FROM followups t "
		   "JOIN reviews r NOT INDEXED ON r.id = t.review_id LEFT "
		   "JOIN tickets k "
		   "ON k.followup_id = t.id AND k.deleted_at IS NULL WHERE "
		   "t.id IN (SELECT t.id",
		   cols, kcols);
	where(b, f, groups, f->team ? REVIEW_ROW : REVIEW_EXISTS);
	buf_printf(b, ORDER " LIMIT %d OFFSET %d)" ORDER, limit,
		   f->offset > 0 ? f->offset : 0);
}

static void bind(struct db_stmt *s, const struct followup_filter *f,
		 const char *today, int64_t cutoff, const char *groups)
{
	db_bind_text(s, 1, today, -1, DB_TRANSIENT);
	db_bind_int64(s, 2, cutoff);
	if (f->owner)
		db_bind_text(s, 3, f->owner, -1, DB_STATIC);
	if (f->team)
		db_bind_text(s, 4, f->team, -1, DB_STATIC);
	if (groups)
		db_bind_text(s, 5, groups, -1, DB_STATIC);
}

enum err_code store_followup_list(struct store *st, struct arena *a,
				  const struct followup_filter *f,
				  struct followup_row **rows, size_t *n,
				  int64_t *total, struct err *e)
{
	const struct def_sql *fd = &st->dsql[DEF_CHILD(CHILD_FOLLOWUP)];
	const struct def_sql *td = &st->dsql[DEF_TICKET];
	const char *groups = visible_param(f->viewer);
	int64_t cutoff = f->now - f->linger_seconds;
	struct buf list = BUF_INIT, count = BUF_INIT;
	char today[TIME_BUF];
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	size_t cap = 0;
	/* the follow-up's columns, then title, team, the ticket's */
	int fcols = 6 + (int)fd->def->nfields, step;
	enum err_code rc = E_OK;
	const char *kcols;

	ERR_LOCAL(e);
	*rows = NULL;
	*n = 0;
	*total = 0;
	time_format_date(f->now, today);
	if (!(kcols = alias_cols(a, td->cols, 'k')))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	list_sql(&list, f, groups, fd->cols, kcols);
	count_sql(&count, f, groups);
	if (list.oom || count.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	if (!(s = conn_stmt(c, buf_cstr(&count), e))) {
		rc = e->code;
		goto fail;
	}
	bind(s, f, today, cutoff, groups);
	if (db_step(s) == DB_ROW)
		*total = db_column_int64(s, 0);
	else
		rc = db_err(c, e, "followups");
	conn_done(c, s);
	s = NULL;
	if (rc != E_OK)
		goto fail;
	/* nothing to list past the total: a page's scan in the order's
	 * index (migration 037) would pass over every open follow-up to find
	 * no match */
	if (f->count_only || *total <= (f->offset > 0 ? f->offset : 0))
		goto done;
	if (!(s = conn_stmt(c, buf_cstr(&list), e))) {
		rc = e->code;
		goto fail;
	}
	bind(s, f, today, cutoff, groups);
	while ((step = db_step(s)) == DB_ROW) {
		struct followup_row *row;
		const char *due;

		if (*n == cap) {
			struct followup_row *more;
			cap = cap ? cap * 2 : 16;
			if (!(more = arena_alloc(a, sizeof *more * cap))) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			if (*n)
				memcpy(more, *rows, sizeof *more * *n);
			*rows = more;
		}
		row = &(*rows)[*n];
		memset(row, 0, sizeof *row);
		if (!(row->followup = row_read(a, fd, s, 0, e))) {
			rc = e->code;
			break;
		}
		row->review_id = row->followup->review_id;
		row->review_title = arena_strdup(
			a, db_column_text(s, fcols));
		if (db_column_type(s, fcols + 1) != DB_NULL)
			row->team = arena_strdup(
				a, db_column_text(
					   s, fcols + 1));
		if (db_column_type(s, fcols + 2) != DB_NULL &&
		    !(row->ticket = row_read(a, td, s, fcols + 2, e))) {
			rc = e->code;
			break;
		}
		due = record_str(row->followup, FU_DUE);
		row->past_due = due && strcmp(due, today) < 0;
		row->last_activity =
			row->ticket ? (record_isset(row->ticket, TK_UPDATED)
					       ? record_int(row->ticket,
							    TK_UPDATED, 0)
					       : row->ticket->created_at)
				    : row->followup->updated_at;
		row->stale = row->last_activity < cutoff;
		(*n)++;
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "followups");
	conn_done(c, s);
done:
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc == E_OK)
		goto out;
fail:
	tx_rollback(c);
	*n = 0;
out:
	conn_put(c);
	buf_release(&list);
	buf_release(&count);
	return rc;
}

enum err_code store_followup_list_plan(struct store *st, struct arena *a,
				       const struct followup_filter *f,
				       const char **out, struct err *e)
{
	const struct def_sql *fd = &st->dsql[DEF_CHILD(CHILD_FOLLOWUP)];
	const char *groups = visible_param(f->viewer);
	const char *kcols = alias_cols(a, st->dsql[DEF_TICKET].cols, 'k');
	struct buf sql[2] = {BUF_INIT, BUF_INIT}, b = BUF_INIT;
	static const char *const what[] = {"total", "page"};
	char today[TIME_BUF];
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	*out = NULL;
	time_format_date(f->now, today);
	count_sql(&sql[0], f, groups);
	if (kcols)
		list_sql(&sql[1], f, groups, fd->cols, kcols);
	if (!kcols || sql[0].oom || sql[1].oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	for (int i = 0; rc == E_OK && i < (f->count_only ? 1 : 2); i++) {
		if ((rc = explain_prepare(c, buf_cstr(&sql[i]), &s, e)) !=
		    E_OK)
			goto out;
		bind(s, f, today, f->now - f->linger_seconds, groups);
		rc = explain_read(c, s, &b, what[i], e);
	}
	if (rc == E_OK &&
	    !(*out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b))))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
out:
	conn_put(c);
	buf_release(&sql[0]);
	buf_release(&sql[1]);
	buf_release(&b);
	return rc;
}
