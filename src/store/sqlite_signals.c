/* sqlite_signals.c: the learning page's numbers (store_learning_stats):
 * per month or per owner team, the reviews started, reads, readers,
 * comments (and those after publication), attendees and inbound links,
 * over the live reviews a viewer sees.
 *
 * How: the reviews the viewer sees are read once, from a covering index,
 * into a sorted array of (id, row) where row is the review's team or the
 * month it started; then each kind of record is read in one pass over
 * its table (reads in index order, so that distinct readers need no
 * temporary b-tree) and counted here by looking its review up in that
 * array. A join per record read the review's row each time and cost
 * seven times as much at 100,000 reviews (bench/learning). Reads, the
 * most numerous, are not read at all: their counts per month or team and
 * reader are kept by triggers (migration 033). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"

/* The rows being counted, with each month row's YYYYMM. */
struct rows {
	struct learning_row *v;
	int64_t *month; /* YYYYMM of v[i]; 0 for a team */
	size_t n, cap;
};

/* The reviews counted: ids ascending, each with its row (-1: none, a
 * review with no start time by month). */
struct seen {
	int64_t *id;
	int *row;
	size_t n, cap;
};

static struct learning_row *row_add(struct arena *a, struct rows *rs,
				    const char *key, int64_t month)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct learning_row *v = arena_alloc(a, cap * sizeof *v);
		int64_t *m = arena_alloc(a, cap * sizeof *m);

		if (!v || !m)
			return NULL;
		if (rs->n) {
			memcpy(v, rs->v, rs->n * sizeof *v);
			memcpy(m, rs->month, rs->n * sizeof *m);
		}
		rs->v = v;
		rs->month = m;
		rs->cap = cap;
	}
	memset(&rs->v[rs->n], 0, sizeof rs->v[rs->n]);
	if (!(rs->v[rs->n].key = arena_strdup(a, key)))
		return NULL;
	rs->month[rs->n] = month;
	return &rs->v[rs->n++];
}

/* month_row_of is the row of month m (YYYYMM); -1 on oom. */
static int month_row_of(struct arena *a, struct rows *rs, int64_t m)
{
	char key[32];

	for (size_t i = rs->n; i-- > 0;)
		if (rs->month[i] == m)
			return (int)i;
	snprintf(key, sizeof key, "%04d-%02d", (int)(m / 100), (int)(m % 100));
	return row_add(a, rs, key, m) ? (int)rs->n - 1 : -1;
}

/* month_row is the row of the month of unix time t (UTC); -1 on oom. */
static int month_row(struct arena *a, struct rows *rs, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return -1;
	return month_row_of(a, rs,
			    (int64_t)(tm.tm_year + 1900) * 100 + tm.tm_mon + 1);
}

static int team_row(struct arena *a, struct rows *rs, const char *team)
{
	for (size_t i = rs->n; i-- > 0;)
		if (!strcmp(rs->v[i].key, team))
			return (int)i;
	return row_add(a, rs, team, 0) ? (int)rs->n - 1 : -1;
}

struct id_row {
	int64_t id;
	int row;
};

static int by_id(const void *pa, const void *pb)
{
	const struct id_row *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* seen_find is the position of review id in s, -1 when it is not
 * counted. */
static long seen_find(const struct seen *s, int64_t id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->id[mid] == id)
			return (long)mid;
		if (s->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

#define OOM(e) err_set(e, E_NOMEM, NULL, "out of memory")

/* load_seen reads the live reviews the viewer sees (groups: as for
 * visible_clause; NULL: all) into s with their rows, and counts each
 * one that started as an incident of its row. */
static enum err_code load_seen(struct conn *c, struct arena *a, int by_team,
			       const char *groups, struct rows *rs,
			       struct seen *s, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct id_row *v = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	enum err_code rc = E_OK;
	int step, last = -1;
	const char *last_team = NULL;

	buf_puts(&sql, "SELECT t.id, t.started_at, coalesce(t.owner_team, '') "
		       "FROM reviews t INDEXED BY reviews_team WHERE "
		       "t.deleted_at IS NULL");
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "t", 1);
	}
	if (sql.oom) {
		buf_release(&sql);
		return OOM(e);
	}
	st = conn_stmt(c, buf_cstr(&sql), e);
	buf_release(&sql);
	if (!st)
		return e->code;
	if (groups)
		db_bind_text(st, 1, groups, -1, DB_STATIC);
	while ((step = db_step(st)) == DB_ROW) {
		int started = db_column_type(st, 1) != DB_NULL;
		int row = -1;

		if (by_team) {
			const char *team =
				db_column_text(st, 2);

			team = team ? team : "";
			/* the index gives each team's reviews together */
			if (last >= 0 && !strcmp(last_team, team))
				row = last;
			else
				row = team_row(a, rs, team);
			if (row >= 0)
				last_team = rs->v[row].key;
			last = row;
		} else if (started) {
			row = month_row(a, rs, db_column_int64(st, 1));
		}
		if ((by_team || started) && row < 0) {
			rc = OOM(e);
			break;
		}
		if (started)
			rs->v[row].incidents++;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct id_row *nv = realloc(v, ncap * sizeof *nv);

			if (!nv) {
				rc = OOM(e);
				break;
			}
			v = nv;
			cap = ncap;
		}
		v[n++] = (struct id_row){db_column_int64(st, 0), row};
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "learning");
	conn_done(c, st);
	if (rc == E_OK && n) {
		qsort(v, n, sizeof *v, by_id);
		s->id = arena_alloc(a, n * sizeof *s->id);
		s->row = arena_alloc(a, n * sizeof *s->row);
		if (!s->id || !s->row) {
			rc = OOM(e);
		} else {
			for (size_t i = 0; i < n; i++) {
				s->id[i] = v[i].id;
				s->row[i] = v[i].row;
			}
			s->n = n;
		}
	}
	free(v);
	return rc;
}

/* A pass over one kind of record: sql selects (review_id, time, flag);
 * each record of a counted review adds to its row (by team) or to the
 * row of the review's start month (own_month 0) or of the record's own
 * time (own_month 1). */
struct pass {
	const char *sql;
	int own_month;
	size_t count, flagged; /* offsetof learning_row; flagged 0: none */
};

#define ROW(m) offsetof(struct learning_row, m)

static const struct pass passes[] = {
	{"SELECT review_id, created_at, after_publication = 1 FROM comments "
	 "WHERE deleted_at IS NULL",
	 1, ROW(comments), ROW(comments_after_pub)},
	{"SELECT review_id, 0, 0 FROM people WHERE deleted_at IS NULL AND "
	 "role = 'attendee'",
	 0, ROW(attendees), 0},
	{"SELECT review_id, 0, 0 FROM inbound_links", 0, ROW(inbound_links),
	 0},
};

static void add(struct learning_row *r, size_t off, int64_t n)
{
	*(int64_t *)((char *)r + off) += n;
}

static enum err_code run_pass(struct conn *c, struct arena *a,
			      const struct pass *p, int by_team,
			      const struct seen *s, struct rows *rs,
			      struct err *e)
{
	struct db_stmt *st = conn_stmt(c, p->sql, e);
	enum err_code rc = E_OK;
	int step;

	if (!st)
		return e->code;
	while ((step = db_step(st)) == DB_ROW) {
		long at = seen_find(s, db_column_int64(st, 0));
		int row;

		if (at < 0)
			continue; /* deleted, hidden or missing */
		row = s->row[at];
		if (!by_team && p->own_month &&
		    (row = month_row(a, rs, db_column_int64(st, 1))) < 0) {
			rc = OOM(e);
			break;
		}
		if (row < 0)
			continue; /* by month: its review has no start */
		add(&rs->v[row], p->count, 1);
		if (p->flagged && db_column_int(st, 2))
			add(&rs->v[row], p->flagged, 1);
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "learning");
	conn_done(c, st);
	return rc;
}

/* count_reads counts, per month or team, the reads of the counted
 * reviews and their distinct readers from the counts migration 033 keeps:
 * one pass over (key, reader) in order, a reader counted once per key
 * however many groups' rows name it. */
static enum err_code count_reads(struct conn *c, struct arena *a,
				 int by_team, const char *groups,
				 struct rows *rs, struct err *e)
{
	struct buf sql = BUF_INIT, key = BUF_INIT, prev = BUF_INIT;
	struct db_stmt *st;
	enum err_code rc = E_OK;
	int step, row = -1;

	buf_puts(&sql, by_team ? "SELECT t.team, t.reader, t.reads FROM "
				 "learning_reads_team t WHERE t.reads != 0"
			       : "SELECT t.month, t.reader, t.reads FROM "
				 "learning_reads_month t WHERE t.reads != 0");
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "t", 1);
	}
	buf_puts(&sql, by_team ? " ORDER BY t.team, t.reader"
			       : " ORDER BY t.month, t.reader");
	if (sql.oom) {
		buf_release(&sql);
		return OOM(e);
	}
	st = conn_stmt(c, buf_cstr(&sql), e);
	buf_release(&sql);
	if (!st)
		return e->code;
	if (groups)
		db_bind_text(st, 1, groups, -1, DB_STATIC);
	while ((step = db_step(st)) == DB_ROW) {
		const char *k = db_column_text(st, 0);
		const char *reader = db_column_text(st, 1);

		k = k ? k : "";
		reader = reader ? reader : "";
		if (row < 0 || strcmp(buf_cstr(&key), k)) {
			row = by_team ? team_row(a, rs, k)
				      : month_row_of(a, rs,
						     db_column_int64(st, 0));
			if (row < 0) {
				rc = OOM(e);
				break;
			}
			buf_reset(&key);
			buf_puts(&key, k);
			buf_reset(&prev);
		}
		if (!prev.len || strcmp(buf_cstr(&prev), reader)) {
			rs->v[row].readers++;
			buf_reset(&prev);
			buf_puts(&prev, reader);
		}
		rs->v[row].reads += db_column_int64(st, 2);
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "learning reads");
	if (rc == E_OK && (key.oom || prev.oom))
		rc = OOM(e);
	conn_done(c, st);
	buf_release(&key);
	buf_release(&prev);
	return rc;
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

enum err_code store_learning_stats(struct store *st, struct arena *a,
				   const struct viewer *viewer, int by_team,
				   int limit, int offset,
				   struct learning_row **rows, size_t *n,
				   int64_t *total, struct err *e)
{
	const char *groups = visible_param(viewer);
	struct rows rs = {0};
	struct seen seen = {0};
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	*rows = NULL;
	*n = 0;
	*total = 0;
	limit = limit <= 0 ? 24 : limit;
	offset = offset < 0 ? 0 : offset;
	if (!(c = conn_get(st, e)))
		return e->code;
	/* one moment for every count */
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = load_seen(c, a, by_team, groups, &rs, &seen, e);
	for (size_t i = 0; rc == E_OK && i < sizeof passes / sizeof *passes;
	     i++)
		rc = run_pass(c, a, &passes[i], by_team, &seen, &rs, e);
	if (rc == E_OK)
		rc = count_reads(c, a, by_team, groups, &rs, e);
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
