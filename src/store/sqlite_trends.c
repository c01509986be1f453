/* sqlite_trends.c: the series of the trends page and API (issue 17), each
 * a table (store.h, struct trend_table) over the live reviews a viewer
 * sees: reviews per month by kind and severity; times to detect,
 * mitigate and resolve per month (median and 90th percentile, nearest
 * rank); follow-ups opened and done per month with the age of those
 * still open; and the recurring factors, services and tags. The counts
 * (reviews, follow-ups, services, tags) come from tables the store's
 * triggers keep as writes happen (migrations 006 and 026), so that they
 * cost a few rows per month; the durations read every live review's
 * times from a covering index (013), since their quantiles need them. */
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

/* series_reviews counts reviews by month, kind and severity from the
 * counts migration 026 keeps (trend_reviews; severity -1: none). */
static enum err_code series_reviews(struct conn *c, struct tb *b,
				    const struct viewer *v, struct err *e)
{
	struct q q = {BUF_INIT, NULL, 0};
	struct db_stmt *s;
	int step = DB_DONE;

	buf_puts(&q.sql, "SELECT t.month, t.kind, t.severity, sum(t.reviews) "
			 "FROM trend_reviews t WHERE t.reviews != 0");
	q_vis(&q, v, 1);
	buf_puts(&q.sql, " GROUP BY 1, 2, 3 HAVING sum(t.reviews) > 0 ORDER BY "
			 "1, 2, 3");
	if (!(s = q_prepare(c, &q, e))) {
		buf_release(&q.sql);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW) {
		int64_t sev = db_column_int64(s, 2);
		struct trend_cell r[4] = {T(db_column_text(s, 0)),
					  T(db_column_text(s, 1)),
					  sev < 0 ? NUL : I(sev),
					  I(db_column_int64(s, 3))};

		row_add(b, r);
	}
	conn_done(c, s);
	buf_release(&q.sql);
	return step == DB_DONE ? E_OK : db_err(c, e, "trends");
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

/* One month of follow-ups: its counts (trend_followups), then the
 * times its still open follow-ups were opened, oldest first, each with
 * how many (trend_open_followups). */
struct fu_month {
	char m[8];
	int64_t opened, done, open;
	int64_t *at, *n;
	size_t nat, cap;
};

/* open_age is the nearest-rank p-th quantile of the ages (now - at) of
 * fm's open follow-ups, in days: the youngest are the latest opened. */
static double open_age(const struct fu_month *fm, int64_t now, double p)
{
	int64_t k = (int64_t)(p * (double)fm->open + 0.999999), seen = 0;
	size_t i = fm->nat;

	if (k < 1)
		k = 1;
	while (i > 1 && (seen += fm->n[i - 1]) < k)
		i--;
	return (double)(now - fm->at[i - 1]) / 86400;
}

/* series_followups reads the counts migration 026 keeps: a few rows per
 * month, and one per second at which open follow-ups were opened. */
static enum err_code series_followups(struct conn *c, struct tb *b,
				      const struct viewer *v, int64_t now,
				      struct err *e)
{
	struct fu_month *ms = NULL;
	struct q q = {BUF_INIT, NULL, 0};
	size_t nms = 0, cap = 0, i = 0;
	struct db_stmt *s;
	int step;

	buf_puts(&q.sql, "SELECT t.month, sum(t.opened), sum(t.done) FROM "
			 "trend_followups t WHERE (t.opened != 0 OR t.done "
			 "!= 0)");
	q_vis(&q, v, 1);
	buf_puts(&q.sql, " GROUP BY 1 HAVING sum(t.opened) > 0 OR sum(t.done) "
			 "> 0 ORDER BY 1");
	if (!(s = q_prepare(c, &q, e))) {
		buf_release(&q.sql);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW) {
		const char *m = db_column_text(s, 0);

		if (nms == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct fu_month *nm = arena_alloc(b->a, ncap * sizeof *nm);

			if (!nm) {
				b->oom = 1;
				break;
			}
			if (nms)
				memcpy(nm, ms, nms * sizeof *nm);
			ms = nm;
			cap = ncap;
		}
		memset(&ms[nms], 0, sizeof ms[nms]);
		snprintf(ms[nms].m, sizeof ms[nms].m, "%s", m ? m : "");
		ms[nms].opened = db_column_int64(s, 1);
		ms[nms].done = db_column_int64(s, 2);
		nms++;
	}
	conn_done(c, s);
	buf_reset(&q.sql);
	if (b->oom || step != DB_DONE) {
		buf_release(&q.sql);
		return b->oom ? E_OK : db_err(c, e, "trends");
	}
	/* the open ones, oldest first: each in its month (months in order) */
	buf_puts(&q.sql, "SELECT t.created_at, sum(t.followups) FROM "
			 "trend_open_followups t WHERE t.followups != 0");
	q_vis(&q, v, 1);
	buf_puts(&q.sql, " GROUP BY 1 HAVING sum(t.followups) > 0 ORDER BY 1");
	if (!(s = q_prepare(c, &q, e))) {
		buf_release(&q.sql);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW) {
		int64_t at = db_column_int64(s, 0);
		char m[8];
		struct fu_month *fm;

		month_text(month_key(at), m);
		while (i < nms && strcmp(ms[i].m, m) < 0)
			i++;
		if (i == nms || strcmp(ms[i].m, m))
			continue; /* not counted as opened: cannot be */
		fm = &ms[i];
		if (fm->nat == fm->cap) {
			size_t nc = fm->cap ? fm->cap * 2 : 16;
			int64_t *na = arena_alloc(b->a, nc * sizeof *na);
			int64_t *nn = arena_alloc(b->a, nc * sizeof *nn);

			if (!na || !nn) {
				b->oom = 1;
				break;
			}
			if (fm->nat) {
				memcpy(na, fm->at, fm->nat * sizeof *na);
				memcpy(nn, fm->n, fm->nat * sizeof *nn);
			}
			fm->at = na;
			fm->n = nn;
			fm->cap = nc;
		}
		fm->at[fm->nat] = at;
		fm->n[fm->nat++] = db_column_int64(s, 1);
		fm->open += db_column_int64(s, 1);
	}
	conn_done(c, s);
	buf_release(&q.sql);
	if (b->oom || step != DB_DONE)
		return b->oom ? E_OK : db_err(c, e, "trends");
	for (i = 0; i < nms; i++) {
		struct fu_month *fm = &ms[i];
		struct trend_cell r[6] = {
			T(fm->m), I(fm->opened), I(fm->done), I(fm->open),
			fm->nat ? R(open_age(fm, now, 0.5)) : NUL,
			fm->nat ? R(open_age(fm, now, 0.9)) : NUL};

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

/* series_names counts reviews by service or by live tag, the most
 * common first, from the counts kept per name (tag_counts, migration 006;
 * trend_services, 026). */
static enum err_code series_names(struct conn *c, struct tb *b,
				  const struct viewer *v, int tags,
				  struct err *e)
{
	struct q q = {BUF_INIT, NULL, 0};
	struct db_stmt *s;
	int step = DB_DONE;

	buf_puts(&q.sql, tags ? "SELECT t.name, sum(t.reviews) FROM tag_counts "
				"t WHERE t.deleted = 0"
			      : "SELECT t.name, sum(t.reviews) FROM "
				"trend_services t WHERE t.reviews != 0");
	q_vis(&q, v, 1);
	buf_puts(&q.sql, " GROUP BY 1 HAVING sum(t.reviews) > 0 ORDER BY 2 "
			 "DESC, 1");
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
