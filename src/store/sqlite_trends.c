/* sqlite_trends.c: the series of the trends page and API (issue 17), each
 * a table (store.h, struct trend_table) over the live reviews a viewer
 * sees: reviews per month by kind and severity; times to detect,
 * mitigate and resolve per month (median and 90th percentile, nearest
 * rank); follow-ups opened and done per month with the age of those
 * still open; and the recurring factors, services and tags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/factor_key.h"
#include "store/sqlite_internal.h"
#include "util/buf.h"

const char *const store_trend_series[] = {
	"reviews", "durations", "followups", "factors", "services", "tags",
	NULL};

/* A table being filled: rows grow as cells are added. */
struct tb {
	struct arena *a;
	struct trend_table *t;
	size_t cap; /* cells */
	int oom;
};

/* row_add appends a row of cells (ncols of them), text copied. */
static void row_add(struct tb *b, const struct trend_cell *cells)
{
	struct trend_table *t = b->t;
	size_t used = t->nrows * t->ncols;

	if (b->oom)
		return;
	if (used + t->ncols > b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : t->ncols * 64;
		struct trend_cell *nc = arena_alloc(b->a, ncap * sizeof *nc);

		if (!nc) {
			b->oom = 1;
			return;
		}
		if (used)
			memcpy(nc, t->cells, used * sizeof *nc);
		t->cells = nc;
		b->cap = ncap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		struct trend_cell *c = &t->cells[used + i];

		*c = cells[i];
		if (c->type == CELL_TEXT &&
		    !(c->s = arena_strdup(b->a, c->s ? c->s : "")))
			b->oom = 1;
	}
	t->nrows++;
}

static struct trend_cell I(int64_t v)
{
	struct trend_cell c = {CELL_INT, v, 0, NULL};
	return c;
}

static struct trend_cell T(const char *s)
{
	struct trend_cell c = {CELL_TEXT, 0, 0, s};
	return c;
}

static struct trend_cell R(double d)
{
	struct trend_cell c = {CELL_REAL, 0, d, NULL};
	return c;
}

static const struct trend_cell NUL = {CELL_NULL, 0, 0, NULL};

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

/* rank_at: the nearest-rank p-th quantile of v[0..n) (sorted here). */
static int64_t rank_at(int64_t *v, size_t n, double p)
{
	size_t k;

	qsort(v, n, sizeof *v, cmp_i64);
	k = (size_t)(p * (double)n + 0.999999);
	return v[k ? k - 1 : 0];
}

/* A statement over reviews t with the viewer's clause; the caller's
 * parameters come first, the groups after them. */
struct q {
	struct buf sql;
	const char *groups;
	int gparam;
};

static void q_vis(struct q *q, const struct viewer *v, int param)
{
	q->groups = visible_param(v);
	q->gparam = param;
	if (q->groups) {
		buf_puts(&q->sql, " AND ");
		visible_clause(&q->sql, "t", param);
	}
}

static struct db_stmt *q_prepare(struct conn *c, struct q *q, struct err *e)
{
	struct db_stmt *s;

	if (q->sql.oom) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if ((s = conn_stmt(c, buf_cstr(&q->sql), e)) && q->groups)
		db_bind_text(s, q->gparam, q->groups, -1, DB_STATIC);
	return s;
}

/* month_key numbers t's UTC month (year * 12 + month - 1) without
 * gmtime_r and printf: the civil-from-days arithmetic of H. Hinnant's
 * date algorithms, once for every follow-up. */
static int month_key(int64_t t)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t month = mp < 10 ? mp + 3 : mp - 9;
	int64_t year = yoe + era * 400 + (month <= 2);

	return (int)(year * 12 + month - 1);
}

/* month_text writes month key as "YYYY-MM", as strftime('%Y-%m') does. */
static void month_text(int key, char m[8])
{
	snprintf(m, 8, "%04u-%02u", (unsigned)(key / 12) % 10000u,
		 (unsigned)(key % 12 + 1));
}


static const char *const reviews_cols[] = {"month", "kind", "severity",
					   "reviews"};

/* One review for the reviews series: its month, kind and severity. */
struct rev_row {
	int key;	  /* month_key */
	const char *kind; /* interned: one copy per kind */
	int has_sev;
	int64_t sev;
};

static int by_rev_group(const void *x, const void *y)
{
	const struct rev_row *a = x, *b = y;
	int c;

	if (a->key != b->key)
		return (a->key > b->key) - (a->key < b->key);
	if (a->kind != b->kind && (c = strcmp(a->kind, b->kind)))
		return c;
	if (a->has_sev != b->has_sev)
		return a->has_sev - b->has_sev; /* no severity first */
	return (a->sev > b->sev) - (a->sev < b->sev);
}

/* series_reviews counts reviews by month, kind and severity: rows read
 * from the covering index as they come, grouped here (a month by
 * strftime and an SQL GROUP BY per review cost several times the read). */
static enum err_code series_reviews(struct conn *c, struct tb *b,
				    const struct viewer *v, struct err *e)
{
	struct q q = {BUF_INIT, NULL, 0};
	struct db_stmt *s;
	int step = DB_DONE;
	struct rev_row *rows = NULL;
	size_t nrows = 0, cap = 0, nkinds = 0;
	const char *kinds[32];
	enum err_code rc = E_OK;

	buf_puts(&q.sql, "SELECT coalesce(t.started_at, t.created_at), t.kind, "
			 "t.severity FROM reviews t WHERE t.deleted_at IS "
			 "NULL");
	q_vis(&q, v, 1);
	if (!(s = q_prepare(c, &q, e))) {
		buf_release(&q.sql);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW) {
		const char *kind = db_column_text(s, 1);
		struct rev_row *r;
		size_t k;

		if (nrows == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct rev_row *nr = arena_alloc(b->a, ncap * sizeof *nr);

			if (!nr) {
				b->oom = 1;
				break;
			}
			if (nrows)
				memcpy(nr, rows, nrows * sizeof *nr);
			rows = nr;
			cap = ncap;
		}
		r = &rows[nrows++];
		r->key = month_key(db_column_int64(s, 0));
		r->has_sev = db_column_type(s, 2) != DB_NULL;
		r->sev = db_column_int64(s, 2);
		if (!kind)
			kind = "";
		for (k = 0; k < nkinds && strcmp(kinds[k], kind); k++)
			;
		if (k == nkinds) {
			char *copy = arena_strdup(b->a, kind);

			if (!copy) {
				b->oom = 1;
				break;
			}
			if (nkinds < sizeof kinds / sizeof kinds[0])
				kinds[nkinds++] = copy;
			r->kind = copy;
		} else {
			r->kind = kinds[k];
		}
	}
	if (step != DB_DONE && !b->oom)
		rc = db_err(c, e, "trends");
	conn_done(c, s);
	buf_release(&q.sql);
	if (rc != E_OK || b->oom || !nrows)
		return rc;
	qsort(rows, nrows, sizeof *rows, by_rev_group);
	for (size_t i = 0, j; i < nrows; i = j) {
		char m[8];

		for (j = i + 1; j < nrows && !by_rev_group(&rows[i], &rows[j]);
		     j++)
			;
		month_text(rows[i].key, m);
		{
			struct trend_cell r[4] = {
				T(m), T(rows[i].kind),
				rows[i].has_sev ? I(rows[i].sev) : NUL,
				I((int64_t)(j - i))};

			row_add(b, r);
		}
	}
	return E_OK;
}

static const char *const durations_cols[] = {
	"month",	   "reviews",	    "detect_median_minutes",
	"detect_p90_minutes", "mitigate_median_minutes", "mitigate_p90_minutes",
	"resolve_median_minutes", "resolve_p90_minutes"};

/* month_flush writes the row of month m from its three lists. */
static void month_flush(struct tb *b, const char *m, int64_t reviews,
			int64_t *v[3], size_t nv[3])
{
	struct trend_cell r[8];

	r[0] = T(m);
	r[1] = I(reviews);
	for (int k = 0; k < 3; k++) {
		r[2 + 2 * k] = nv[k] ? R((double)rank_at(v[k], nv[k], 0.5) / 60)
				     : NUL;
		r[3 + 2 * k] = nv[k] ? R((double)rank_at(v[k], nv[k], 0.9) / 60)
				     : NUL;
	}
	row_add(b, r);
}

/* One review's times, for the durations series. */
struct dur_row {
	int key; /* month_key of its start */
	int has;  /* bit k: v[k] is a time (detect, mitigate, resolve) */
	int64_t v[3];
};

static int by_dur_month(const void *x, const void *y)
{
	int a = ((const struct dur_row *)x)->key;
	int b = ((const struct dur_row *)y)->key;

	return (a > b) - (a < b);
}

/* series_durations reads each review's start and times from the covering
 * index as they come and sorts them by month here: strftime and an SQL
 * sort per review cost four times the read. */
static enum err_code series_durations(struct conn *c, struct tb *b,
				      const struct viewer *v, struct err *e)
{
	struct q q = {BUF_INIT, NULL, 0};
	struct db_stmt *s;
	int step = DB_DONE;
	struct dur_row *rows = NULL;
	size_t nrows = 0, cap = 0;
	int64_t *vals[3] = {NULL, NULL, NULL};
	size_t nv[3];
	enum err_code rc = E_OK;

	buf_puts(&q.sql, "SELECT t.started_at, t.detected_at - t.started_at, "
			 "t.mitigated_at - t.started_at, t.resolved_at - "
			 "t.started_at FROM reviews t WHERE t.deleted_at IS "
			 "NULL AND t.started_at IS NOT NULL");
	q_vis(&q, v, 1);
	if (!(s = q_prepare(c, &q, e))) {
		buf_release(&q.sql);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW) {
		struct dur_row *r;

		if (nrows == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct dur_row *nr = arena_alloc(b->a, ncap * sizeof *nr);

			if (!nr) {
				b->oom = 1;
				break;
			}
			if (nrows)
				memcpy(nr, rows, nrows * sizeof *nr);
			rows = nr;
			cap = ncap;
		}
		r = &rows[nrows++];
		r->key = month_key(db_column_int64(s, 0));
		r->has = 0;
		for (int k = 0; k < 3; k++) {
			r->v[k] = db_column_int64(s, 1 + k);
			if (db_column_type(s, 1 + k) != DB_NULL &&
			    r->v[k] >= 0)
				r->has |= 1 << k;
		}
	}
	if (step != DB_DONE && !b->oom)
		rc = db_err(c, e, "trends");
	conn_done(c, s);
	buf_release(&q.sql);
	if (rc != E_OK || b->oom || !nrows)
		return rc;
	qsort(rows, nrows, sizeof *rows, by_dur_month);
	for (int k = 0; k < 3; k++)
		if (!(vals[k] = arena_alloc(b->a, nrows * sizeof *vals[k]))) {
			b->oom = 1;
			return E_OK;
		}
	for (size_t i = 0, j; i < nrows; i = j) {
		char m[8];

		nv[0] = nv[1] = nv[2] = 0;
		for (j = i; j < nrows && rows[j].key == rows[i].key; j++)
			for (int k = 0; k < 3; k++)
				if (rows[j].has & (1 << k))
					vals[k][nv[k]++] = rows[j].v[k];
		month_text(rows[i].key, m);
		month_flush(b, m, (int64_t)(j - i), vals, nv);
	}
	return E_OK;
}

static const char *const followups_cols[] = {
	"month", "opened", "done", "still_open", "open_age_median_days",
	"open_age_p90_days"};

/* Reviews first, then each one's follow-ups from their covering index:
 * the viewer's clause is then weighed once a review, not once a
 * follow-up (it reads restricted_to as JSON), which halves the series'
 * cost. */
#define FU_FROM                                                             \
	" FROM reviews t INDEXED BY reviews_by_id CROSS JOIN followups fu "  \
	"INDEXED BY followups_trend ON fu.review_id = t.id AND "             \
	"fu.deleted_at IS NULL WHERE t.deleted_at IS NULL"

/* One month of follow-ups as the three queries find it. */
struct fu_month {
	int key; /* month_key */
	char m[8];
	int64_t opened, done, open;
	int64_t *ages;
	size_t nages, cap;
};

static struct fu_month *fu_get(struct tb *b, struct fu_month **ms, size_t *n,
			       size_t *cap, int key)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct fu_month *nm = arena_alloc(b->a, ncap * sizeof *nm);

		if (!nm) {
			b->oom = 1;
			return NULL;
		}
		if (*n)
			memcpy(nm, *ms, *n * sizeof *nm);
		*ms = nm;
		*cap = ncap;
	}
	memset(&(*ms)[*n], 0, sizeof **ms);
	(*ms)[*n].key = key;
	month_text(key, (*ms)[*n].m);
	return &(*ms)[(*n)++];
}

static int by_month(const void *x, const void *y)
{
	int a = ((const struct fu_month *)x)->key;
	int b = ((const struct fu_month *)y)->key;

	return (a > b) - (a < b);
}

/* fu_find finds (or adds) the month of time t among ms by index; -1 on
 * oom. last is the index found before (a hint). */
static long fu_find(struct tb *b, struct fu_month **ms, size_t *n, size_t *cap,
		    int64_t t, long last)
{
	int key = month_key(t);

	if (last >= 0 && (*ms)[last].key == key)
		return last;
	for (size_t i = 0; i < *n; i++)
		if ((*ms)[i].key == key)
			return (long)i;
	return fu_get(b, ms, n, cap, key) ? (long)*n - 1 : -1;
}

static enum err_code series_followups(struct conn *c, struct tb *b,
				      const struct viewer *v, int64_t now,
				      struct err *e)
{
	struct fu_month *ms = NULL;
	struct q q = {BUF_INIT, NULL, 0};
	size_t nms = 0, cap = 0;
	long last = -1, done_last = -1;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	/* one pass: each live follow-up's times and state */
	buf_puts(&q.sql, "SELECT fu.created_at, fu.updated_at, fu.status NOT "
			 "IN ('done', 'wont-do'), fu.status = 'done'" FU_FROM);
	q_vis(&q, v, 1);
	if (!(s = q_prepare(c, &q, e))) {
		buf_release(&q.sql);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW && !b->oom) {
		int64_t created = db_column_int64(s, 0);
		long i;

		if ((i = last = fu_find(b, &ms, &nms, &cap, created, last)) < 0)
			break;
		ms[i].opened++;
		if (db_column_int(s, 2)) { /* still open: its age */
			struct fu_month *fm = &ms[i];

			fm->open++;
			if (fm->nages == fm->cap) {
				size_t nc = fm->cap ? fm->cap * 2 : 16;
				int64_t *na = arena_alloc(b->a, nc * sizeof *na);

				if (!na) {
					b->oom = 1;
					break;
				}
				if (fm->nages)
					memcpy(na, fm->ages,
					       fm->nages * sizeof *na);
				fm->ages = na;
				fm->cap = nc;
			}
			fm->ages[fm->nages++] = now - created;
		}
		if (db_column_int(s, 3)) { /* done: by its last change */
			if ((i = done_last = fu_find(b, &ms, &nms, &cap,
						     db_column_int64(s, 1),
						     done_last)) < 0)
				break;
			ms[i].done++;
		}
	}
	if (!b->oom && step != DB_DONE)
		rc = db_err(c, e, "trends");
	conn_done(c, s);
	buf_release(&q.sql);
	if (rc != E_OK || b->oom)
		return rc;
	if (nms)
		qsort(ms, nms, sizeof *ms, by_month);
	for (size_t i = 0; i < nms; i++) {
		struct fu_month *fm = &ms[i];
		struct trend_cell r[6] = {
			T(fm->m), I(fm->opened), I(fm->done), I(fm->open),
			fm->nages ? R((double)rank_at(fm->ages, fm->nages, 0.5) /
				      86400)
				  : NUL,
			fm->nages ? R((double)rank_at(fm->ages, fm->nages, 0.9) /
				      86400)
				  : NUL};

		row_add(b, r);
	}
	return E_OK;
}

static const char *const factors_cols[] = {"factor", "key", "reviews",
					   "review_ids"};

static enum err_code series_factors(struct store *st, struct tb *b,
				    const struct viewer *v,
				    const struct factor_synonyms *syn,
				    struct err *e)
{
	struct factor_count *fc;
	size_t n;
	enum err_code rc;

	rc = store_factor_counts(st, b->a, v, syn, 1, 0, &fc, &n, e);
	for (size_t i = 0; rc == E_OK && i < n; i++) {
		struct buf ids = BUF_INIT;
		struct trend_cell r[4];

		for (size_t k = 0; k < fc[i].nids; k++)
			buf_printf(&ids, "%s%lld", k ? " " : "",
				   (long long)fc[i].review_ids[k]);
		r[0] = T(fc[i].label);
		r[1] = T(fc[i].key);
		r[2] = I(fc[i].reviews);
		r[3] = T(buf_cstr(&ids));
		row_add(b, r);
		if (ids.oom)
			b->oom = 1;
		buf_release(&ids);
	}
	return rc;
}

static const char *const services_cols[] = {"service", "reviews"};
static const char *const tags_cols[] = {"tag", "reviews"};

/* series_names counts reviews by service (json_each of services) or by
 * live tag, the most common first. */
static enum err_code series_names(struct conn *c, struct tb *b,
				  const struct viewer *v, int tags,
				  struct err *e)
{
	struct q q = {BUF_INIT, NULL, 0};
	struct db_stmt *s;
	int step = DB_DONE;

	if (tags) /* the counts migration 006 keeps per tag */
		buf_puts(&q.sql, "SELECT t.name, sum(t.reviews) FROM tag_counts "
				 "t WHERE t.deleted = 0");
	else /* reviews counted per list of services (a few hundred
	      * lists), then each list's names once: a third of the cost
	      * of count(DISTINCT) over every review's names */
		buf_puts(&q.sql, "SELECT x.value, sum(g.n) FROM (SELECT "
				 "t.services AS sv, count(*) AS n FROM reviews "
				 "t WHERE t.deleted_at IS NULL");
	q_vis(&q, v, 1);
	buf_puts(&q.sql, tags ? " GROUP BY 1 HAVING sum(t.reviews) > 0 ORDER "
				"BY 2 DESC, 1"
			      : " GROUP BY 1) g, json_each(g.sv) x WHERE "
				"x.type = 'text' AND NOT EXISTS (SELECT 1 FROM "
				"json_each(g.sv) y WHERE y.key < x.key AND "
				"y.value = x.value) GROUP BY 1 ORDER BY 2 DESC, 1");
	if ((s = q_prepare(c, &q, e))) {
		while ((step = db_step(s)) == DB_ROW) {
			struct trend_cell r[2] = {
				T(db_column_text(s, 0)),
				I(db_column_int64(s, 1))};

			row_add(b, r);
		}
		conn_done(c, s);
	}
	buf_release(&q.sql);
	if (!s)
		return e->code;
	return step == DB_DONE ? E_OK : db_err(c, e, "trends");
}

enum err_code store_trend(struct store *st, struct arena *a, const char *name,
			  const struct viewer *viewer,
			  const struct factor_synonyms *syn, int64_t now,
			  struct trend_table *out, struct err *e)
{
	struct tb b = {a, out, 0, 0};
	struct conn *c = NULL;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	out->series = name;
#define COLS(x) (out->cols = (x), out->ncols = sizeof(x) / sizeof((x)[0]))
	if (!name)
		name = "";
	if (!strcmp(name, "reviews"))
		COLS(reviews_cols);
	else if (!strcmp(name, "durations"))
		COLS(durations_cols);
	else if (!strcmp(name, "followups"))
		COLS(followups_cols);
	else if (!strcmp(name, "factors"))
		COLS(factors_cols);
	else if (!strcmp(name, "services"))
		COLS(services_cols);
	else if (!strcmp(name, "tags"))
		COLS(tags_cols);
	else
		return err_set(e, E_NOT_FOUND, "series",
			       "There is no series \"%.40s\"; there are "
			       "reviews, durations, followups, factors, "
			       "services and tags",
			       name);
#undef COLS
	if (!strcmp(name, "factors")) {
		rc = series_factors(st, &b, viewer, syn, e);
		goto done;
	}
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 0, e)) != E_OK) {
		conn_put(c);
		return rc;
	}
	if (!strcmp(name, "reviews"))
		rc = series_reviews(c, &b, viewer, e);
	else if (!strcmp(name, "durations"))
		rc = series_durations(c, &b, viewer, e);
	else if (!strcmp(name, "followups"))
		rc = series_followups(c, &b, viewer, now, e);
	else
		rc = series_names(c, &b, viewer, !strcmp(name, "tags"), e);
	if (rc == E_OK && !b.oom)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
	conn_put(c);
done:
	if (rc == E_OK && b.oom)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	if (rc != E_OK) {
		out->nrows = 0;
		out->cells = NULL;
	}
	return rc;
}
