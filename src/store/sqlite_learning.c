/* sqlite_learning.c: the learning page's numbers (store_learning_stats):
 * per month or per owner team, the reviews started, reads, readers,
 * comments (and those after publication), attendees and inbound links,
 * over the live reviews a viewer sees. One grouped query per measure,
 * merged here by key; reads, by far the most rows, are counted in one
 * ordered pass over an index instead (a join per read cost 2.5 us a
 * read: see bench/learning). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* One measure: its query's FROM and WHERE (over reviews t, with the
 * viewer's clause appended), the key when grouping by month, and the
 * counts it selects into which members of a row. A child's rows drive
 * (CROSS JOIN): there are fewer of them than reviews, and each finds its
 * review by id. */
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
	{"comments x CROSS JOIN reviews t ON t.id = x.review_id WHERE "
	 "t.deleted_at IS NULL AND x.deleted_at IS NULL",
	 "x.created_at", "count(*), coalesce(sum(x.after_publication = 1), 0)",
	 {ROW(comments), ROW(comments_after_pub)}, 2},
	{"people x CROSS JOIN reviews t ON t.id = x.review_id WHERE "
	 "t.deleted_at IS NULL AND x.deleted_at IS NULL AND "
	 "x.role = 'attendee' AND t.started_at IS NOT NULL",
	 "t.started_at", "count(*)", {ROW(attendees), 0}, 1},
	{"inbound_links x CROSS JOIN reviews t ON t.id = x.review_id WHERE "
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

/* A sorted list of review ids, searched by bsearch. */
struct idset {
	int64_t *id;
	int *team; /* by team: the row index of each id's team */
	size_t n, cap;
};

static int idset_add(struct arena *a, struct idset *s, int64_t id, int team)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		int64_t *id2 = arena_alloc(a, cap * sizeof *id2);
		int *t2 = arena_alloc(a, cap * sizeof *t2);

		if (!id2 || !t2)
			return -1;
		if (s->n) {
			memcpy(id2, s->id, s->n * sizeof *id2);
			memcpy(t2, s->team, s->n * sizeof *t2);
		}
		s->id = id2;
		s->team = t2;
		s->cap = cap;
	}
	s->id[s->n] = id;
	s->team[s->n++] = team;
	return 0;
}

struct id_team {
	int64_t id;
	int team;
};

static int by_id(const void *pa, const void *pb)
{
	const struct id_team *a = pa, *b = pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* idset_sort puts s in id order. */
static int idset_sort(struct arena *a, struct idset *s)
{
	struct id_team *v = s->n ? arena_alloc(a, s->n * sizeof *v) : NULL;

	if (s->n && !v)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		v[i] = (struct id_team){s->id[i], s->team[i]};
	if (s->n > 1)
		qsort(v, s->n, sizeof *v, by_id);
	for (size_t i = 0; i < s->n; i++) {
		s->id[i] = v[i].id;
		s->team[i] = v[i].team;
	}
	return 0;
}

/* idset_find is the position of id in s (ids ascending), -1 if none. */
static long idset_find(const struct idset *s, int64_t id)
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

/* load_ids fills s, in id order, from sql (?1: the viewer's groups when
 * groups is set): its rows are (id) or, by team, (id, team) with each
 * team's row made in rs. */
static enum err_code load_ids(struct conn *c, struct arena *a,
			      const char *sql, const char *groups,
			      int by_team, struct rows *rs, struct idset *s,
			      struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	int step;

	if (!st)
		return e->code;
	if (groups)
		sqlite3_bind_text(st, 1, groups, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int team = -1;

		if (by_team) {
			const char *k =
				(const char *)sqlite3_column_text(st, 1);
			struct learning_row *r = row_for(a, rs, k ? k : "");

			if (!r) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			team = (int)(r - rs->v);
		}
		if (idset_add(a, s, sqlite3_column_int64(st, 0), team) < 0) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
	}
	if (rc == E_OK && step != SQLITE_DONE)
		rc = db_err(c, e, "learning");
	conn_done(c, st);
	return rc;
}

/* reads_by_month counts, per month, the reads of reviews not in hidden
 * and their distinct readers: one pass over (month, reader) in order. */
static enum err_code reads_by_month(struct conn *c, struct arena *a,
				    const struct idset *hidden,
				    struct rows *rs, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c,
				     "SELECT month, reader, review_id FROM "
				     "review_reads INDEXED BY "
				     "review_reads_month ORDER BY month, "
				     "reader",
				     e);
	struct learning_row *r = NULL;
	struct buf prev = BUF_INIT;
	int64_t month = -1;
	enum err_code rc = E_OK;
	int step;

	if (!st)
		return e->code;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t m = sqlite3_column_int64(st, 0);
		const char *reader = (const char *)sqlite3_column_text(st, 1);

		if (idset_find(hidden, sqlite3_column_int64(st, 2)) >= 0)
			continue;
		if (m != month || !r) {
			char key[16];

			snprintf(key, sizeof key, "%04d-%02d", (int)(m / 100),
				 (int)(m % 100));
			if (!(r = row_for(a, rs, key))) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			month = m;
			buf_reset(&prev);
			r->readers++;
		} else if (strcmp(buf_cstr(&prev), reader ? reader : "")) {
			r->readers++;
			buf_reset(&prev);
		}
		if (!prev.len)
			buf_puts(&prev, reader ? reader : "");
		r->reads++;
	}
	if (rc == E_OK && step != SQLITE_DONE)
		rc = db_err(c, e, "learning reads");
	conn_done(c, st);
	buf_release(&prev);
	return rc;
}

/* reads_by_team counts, per team of the reviews in seen, their reads
 * and distinct readers: one pass over (reader, review) in order, each
 * reader marking the teams it read once. */
static enum err_code reads_by_team(struct conn *c, struct arena *a,
				   const struct idset *seen, struct rows *rs,
				   struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c,
				     "SELECT reader, review_id FROM "
				     "review_reads INDEXED BY "
				     "review_reads_reader ORDER BY reader",
				     e);
	int64_t *mark = arena_alloc(a, (rs->n + 1) * sizeof *mark), gen = 1;
	struct buf prev = BUF_INIT;
	enum err_code rc = E_OK;
	int step;

	if (!st)
		return e->code;
	if (!mark) {
		conn_done(c, st);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	memset(mark, 0, (rs->n + 1) * sizeof *mark);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reader = (const char *)sqlite3_column_text(st, 0);
		long at = idset_find(seen, sqlite3_column_int64(st, 1));
		struct learning_row *r;

		if (at < 0)
			continue;
		if (strcmp(buf_cstr(&prev), reader ? reader : "")) {
			gen++;
			buf_reset(&prev);
			buf_puts(&prev, reader ? reader : "");
		}
		r = &rs->v[seen->team[at]];
		r->reads++;
		if (mark[seen->team[at]] != gen) {
			mark[seen->team[at]] = gen;
			r->readers++;
		}
	}
	if (step != SQLITE_DONE)
		rc = db_err(c, e, "learning reads");
	conn_done(c, st);
	buf_release(&prev);
	return rc;
}

/* run_reads adds the reads and readers to rs. */
static enum err_code run_reads(struct conn *c, struct arena *a, int by_team,
			       const char *groups, struct rows *rs,
			       struct err *e)
{
	struct idset ids = {0};
	struct buf sql = BUF_INIT;
	enum err_code rc;

	if (by_team) {
		buf_puts(&sql, "SELECT t.id, coalesce(t.owner_team, '') FROM "
			       "reviews t INDEXED BY reviews_team WHERE "
			       "t.deleted_at IS NULL");
	} else {
		buf_puts(&sql, "SELECT t.id FROM reviews t WHERE "
			       "t.deleted_at IS NOT NULL");
		if (groups)
			buf_puts(&sql, " OR (t.restricted_to IS NOT NULL AND "
				       "t.restricted_to <> '[]' AND NOT ");
	}
	if (groups) {
		if (by_team)
			buf_puts(&sql, " AND ");
		visible_clause(&sql, "t", 1);
		if (!by_team)
			buf_puts(&sql, ")");
	}
	if (!by_team) /* by team, sorted here: no temporary b-tree */
		buf_puts(&sql, " ORDER BY t.id");
	if (sql.oom) {
		buf_release(&sql);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	rc = load_ids(c, a, buf_cstr(&sql), groups, by_team, rs, &ids, e);
	buf_release(&sql);
	if (rc != E_OK)
		return rc;
	if (by_team && idset_sort(a, &ids) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return by_team ? reads_by_team(c, a, &ids, rs, e)
		       : reads_by_month(c, a, &ids, rs, e);
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
	if (rc == E_OK)
		rc = run_reads(c, a, by_team, groups, &rs, e);
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
