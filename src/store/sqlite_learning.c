/* sqlite_learning.c: the learning page's numbers (store_learning_stats):
 * per month or per owner team, the reviews started, reads, readers,
 * comments (and those after publication), attendees and inbound links,
 * over the live reviews a viewer sees. One grouped query per measure,
 * merged here by key. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* One measure: its query's FROM and WHERE (over reviews t, with the
 * viewer's clause appended), the key when grouping by month, and the
 * counts it selects into which members of a row. */
struct measure {
	const char *from;      /* after "FROM " */
	const char *month_key; /* the time column the month is taken from */
	const char *counts;    /* one or two count expressions */
	size_t off[2];	       /* offsetof learning_row for each */
	int ncounts;
};

#define ROW(m) offsetof(struct learning_row, m)

static const struct measure measures[] = {
	{"reviews t WHERE t.deleted_at IS NULL AND t.started_at IS NOT NULL",
	 "t.started_at", "count(*)", {ROW(incidents), 0}, 1},
	{"review_reads x JOIN reviews t ON t.id = x.review_id WHERE "
	 "t.deleted_at IS NULL",
	 "x.at", "count(*), count(DISTINCT x.reader)",
	 {ROW(reads), ROW(readers)}, 2},
	{"comments x JOIN reviews t ON t.id = x.review_id WHERE "
	 "t.deleted_at IS NULL AND x.deleted_at IS NULL",
	 "x.created_at", "count(*), coalesce(sum(x.after_publication = 1), 0)",
	 {ROW(comments), ROW(comments_after_pub)}, 2},
	{"people x JOIN reviews t ON t.id = x.review_id WHERE "
	 "t.deleted_at IS NULL AND x.deleted_at IS NULL AND "
	 "x.role = 'attendee' AND t.started_at IS NOT NULL",
	 "t.started_at", "count(*)", {ROW(attendees), 0}, 1},
	{"inbound_links x JOIN reviews t ON t.id = x.review_id WHERE "
	 "t.deleted_at IS NULL AND t.started_at IS NOT NULL",
	 "t.started_at", "count(*)", {ROW(inbound_links), 0}, 1},
};

struct rows {
	struct learning_row *v;
	size_t n, cap;
};

static struct learning_row *row_for(struct arena *a, struct rows *rs,
				    const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].key, key))
			return &rs->v[i];
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct learning_row *v = arena_alloc(a, cap * sizeof *v);

		if (!v)
			return NULL;
		if (rs->n)
			memcpy(v, rs->v, rs->n * sizeof *v);
		rs->v = v;
		rs->cap = cap;
	}
	memset(&rs->v[rs->n], 0, sizeof rs->v[rs->n]);
	if (!(rs->v[rs->n].key = arena_strdup(a, key)))
		return NULL;
	return &rs->v[rs->n++];
}

static int newest_month_first(const void *pa, const void *pb)
{
	return strcmp(((const struct learning_row *)pb)->key,
		      ((const struct learning_row *)pa)->key);
}

static int by_team_name(const void *pa, const void *pb)
{
	return strcmp(((const struct learning_row *)pa)->key,
		      ((const struct learning_row *)pb)->key);
}

static enum err_code run_measure(struct conn *c, struct arena *a,
				 const struct measure *m, int by_team,
				 const char *groups, struct rows *rs,
				 struct err *e)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	enum err_code rc = E_OK;
	int step;

	if (by_team)
		buf_puts(&sql, "SELECT coalesce(t.owner_team, '') AS k");
	else
		buf_printf(&sql,
			   "SELECT strftime('%%Y-%%m', %s, 'unixepoch') AS k",
			   m->month_key);
	buf_printf(&sql, ", %s FROM %s", m->counts, m->from);
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "t", 1);
	}
	buf_puts(&sql, " GROUP BY k");
	if (sql.oom) {
		buf_release(&sql);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	s = conn_stmt(c, buf_cstr(&sql), e);
	buf_release(&sql);
	if (!s)
		return e->code;
	if (groups)
		sqlite3_bind_text(s, 1, groups, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		struct learning_row *r = row_for(a, rs, k ? k : "");

		if (!r) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		for (int i = 0; i < m->ncounts; i++)
			*(int64_t *)((char *)r + m->off[i]) +=
				sqlite3_column_int64(s, 1 + i);
	}
	if (rc == E_OK && step != SQLITE_DONE)
		rc = db_err(c, e, "learning");
	conn_done(c, s);
	return rc;
}

enum err_code store_learning_stats(struct store *st, struct arena *a,
				   const struct viewer *viewer, int by_team,
				   int limit, int offset,
				   struct learning_row **rows, size_t *n,
				   int64_t *total, struct err *e)
{
	const char *groups = visible_param(viewer);
	struct rows rs = {0};
	struct conn *c;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	*rows = NULL;
	*n = 0;
	*total = 0;
	limit = limit <= 0 ? 24 : limit;
	offset = offset < 0 ? 0 : offset;
	if (!(c = conn_get(st, e)))
		return e->code;
	/* one moment for every measure */
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	for (size_t i = 0; rc == E_OK && i < sizeof measures / sizeof *measures;
	     i++)
		rc = run_measure(c, a, &measures[i], by_team, groups, &rs, e);
	tx_rollback(c);
	if (rc != E_OK)
		goto out;
	if (rs.n)
		qsort(rs.v, rs.n, sizeof *rs.v,
		      by_team ? by_team_name : newest_month_first);
	*total = (int64_t)rs.n;
	if ((size_t)offset < rs.n) {
		*rows = rs.v + offset;
		*n = rs.n - (size_t)offset;
		if (*n > (size_t)limit)
			*n = (size_t)limit;
	}
out:
	conn_put(c);
	return rc;
}
