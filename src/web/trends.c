/* trends.c: the trends page (GET /trends): charts drawn here as inline
 * SVG (readable without scripts, printable; each with a title, a
 * description and a data table beside it) of reviews per month by
 * severity and by kind, times to detect, mitigate and resolve, and
 * follow-ups opened and done; then the recurring contributing factors,
 * services and tags with the reviews they are in. Every number is a
 * series of GET /api/v1/trends/{series}, linked as CSV and JSON. Cached
 * per asker's groups, store generation and day. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/access.h"
#include "http/cache.h"
#include "model/factor_key.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

#define MAX_MONTHS 24

/* ---- months --------------------------------------------------------- */

/* month_index: "YYYY-MM" as a number of months; -1 when not one. */
static int month_index(const char *m)
{
	int y, mo;

	if (!m || sscanf(m, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12)
		return -1;
	return y * 12 + mo - 1;
}

/* The months a chart shows: the last MAX_MONTHS up to the newest month
 * of any series, gaps included. */
struct months {
	int first, n;
	char label[MAX_MONTHS][16];
};

static void months_init(struct months *ms, int newest)
{
	ms->n = newest < 0 ? 0 : MAX_MONTHS;
	ms->first = newest - MAX_MONTHS + 1;
	for (int i = 0; i < ms->n; i++)
		snprintf(ms->label[i], sizeof ms->label[i], "%04d-%02d",
			 (ms->first + i) / 12 % 10000, (ms->first + i) % 12 + 1);
}

/* month_slot: the chart column of month m, -1 when not shown. */
static int month_slot(const struct months *ms, const char *m)
{
	int i = month_index(m) - ms->first;

	return i >= 0 && i < ms->n ? i : -1;
}

static const struct trend_cell *cell(const struct trend_table *t, size_t r,
				     const char *col)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c], col))
			return &t->cells[r * t->ncols + c];
	return NULL;
}

/* ---- charts --------------------------------------------------------- */

enum chart_kind {
	STACKED,
	LINES
};

#define MAX_SERIES 8

struct chart {
	const char *id, *title, *desc, *unit;
	enum chart_kind kind;
	const struct months *ms;
	int nseries;
	const char *names[MAX_SERIES];
	const char *classes[MAX_SERIES];
	double v[MAX_SERIES][MAX_MONTHS]; /* NAN: no value */
};

static void chart_init(struct chart *c, const char *id, const char *title,
		       const char *desc, const char *unit, enum chart_kind kind,
		       const struct months *ms)
{
	memset(c, 0, sizeof *c);
	c->id = id;
	c->title = title;
	c->desc = desc;
	c->unit = unit;
	c->kind = kind;
	c->ms = ms;
	for (int s = 0; s < MAX_SERIES; s++)
		for (int m = 0; m < MAX_MONTHS; m++)
			c->v[s][m] = kind == LINES ? NAN : 0;
}

static int series_add(struct chart *c, const char *name, const char *cls)
{
	if (c->nseries == MAX_SERIES)
		return MAX_SERIES - 1;
	c->names[c->nseries] = name;
	c->classes[c->nseries] = cls;
	return c->nseries++;
}

/* nice_max rounds v up to 1, 2 or 5 times a power of ten. */
static double nice_max(double v)
{
	double p = 1;

	if (v <= 0)
		return 1;
	while (p * 10 <= v)
		p *= 10;
	while (p > v)
		p /= 10;
	return v <= p ? p : v <= 2 * p ? 2 * p : v <= 5 * p ? 5 * p : 10 * p;
}

#define W  640
#define H  220
#define ML 48 /* left margin: the axis labels */
#define MB 28 /* bottom margin: the months */
#define MT 10

static void fmt_value(char *out, size_t n, double v, const char *unit)
{
	if (unit && !strcmp(unit, "minutes")) {
		time_format_duration((int64_t)(v * 60), out, n);
		return;
	}
	if (v == (double)(int64_t)v)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.1f", v);
}

/* svg writes chart c: a title and description for screen readers, a
 * grid with four labelled lines, the bars or lines (each bar and point
 * with its own title), month labels, and a legend. */
static void svg(struct buf *b, const struct chart *c)
{
	const struct months *ms = c->ms;
	double max = 0, colw = ms->n ? (double)(W - ML) / ms->n : 1;
	char v[32];

	for (int m = 0; m < ms->n; m++) {
		double sum = 0;

		for (int s = 0; s < c->nseries; s++) {
			double x = c->v[s][m];

			if (isnan(x))
				continue;
			if (c->kind == STACKED)
				sum += x;
			else if (x > max)
				max = x;
		}
		if (sum > max)
			max = sum;
	}
	if (max < 1 && !(c->unit && !strcmp(c->unit, "minutes")))
		max = 1;
	max = nice_max(max);
	html_rawf(b,
		  "<figure class=\"chart\"><svg class=\"chart-svg\" "
		  "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t "
		  "%s-d\" preserveAspectRatio=\"xMidYMid meet\">"
		  "<title id=\"%s-t\">",
		  W, H, c->id, c->id, c->id);
	html_txt(b, c->title);
	html_rawf(b, "</title><desc id=\"%s-d\">", c->id);
	html_txt(b, c->desc);
	html_raw(b, "</desc>");
	for (int i = 0; i <= 4; i++) {
		double y = MT + (double)(H - MT - MB) * (4 - i) / 4;

		fmt_value(v, sizeof v, max * i / 4, c->unit);
		html_rawf(b,
			  "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
			  "y2=\"%.1f\"/><text class=\"axis\" x=\"%d\" "
			  "y=\"%.1f\" text-anchor=\"end\">",
			  ML, W, y, y, ML - 6, y + 4);
		html_txt(b, v);
		html_raw(b, "</text>");
	}
	for (int m = 0; m < ms->n; m++) {
		double x = ML + colw * m, base = 0;

		if (m % 3 == 0 || ms->n <= 12) {
			html_rawf(b,
				  "<text class=\"axis\" x=\"%.1f\" y=\"%d\" "
				  "text-anchor=\"middle\">%s</text>",
				  x + colw / 2, H - 8, ms->label[m]);
		}
		for (int s = 0; c->kind == STACKED && s < c->nseries; s++) {
			double val = c->v[s][m], h, y;

			if (val <= 0)
				continue;
			h = (double)(H - MT - MB) * val / max;
			y = H - MB - (double)(H - MT - MB) * (base + val) / max;
			base += val;
			fmt_value(v, sizeof v, val, c->unit);
			html_rawf(b,
				  "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" "
				  "width=\"%.1f\" height=\"%.1f\"><title>%s ",
				  c->classes[s], x + colw * 0.15, y, colw * 0.7,
				  h, ms->label[m]);
			html_txt(b, c->names[s]);
			html_rawf(b, ": %s</title></rect>", v);
		}
	}
	for (int s = 0; c->kind == LINES && s < c->nseries; s++) {
		int pen = 0;

		html_rawf(b, "<path class=\"line %s\" fill=\"none\" d=\"",
			  c->classes[s]);
		for (int m = 0; m < ms->n; m++) {
			double val = c->v[s][m];

			if (isnan(val)) {
				pen = 0;
				continue;
			}
			html_rawf(b, "%c%.1f %.1f ", pen ? 'L' : 'M',
				  ML + colw * m + colw / 2,
				  H - MB - (double)(H - MT - MB) * val / max);
			pen = 1;
		}
		html_raw(b, "\"/>");
		for (int m = 0; m < ms->n; m++) {
			double val = c->v[s][m];

			if (isnan(val))
				continue;
			fmt_value(v, sizeof v, val, c->unit);
			html_rawf(b,
				  "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" "
				  "r=\"3\"><title>%s ",
				  c->classes[s], ML + colw * m + colw / 2,
				  H - MB - (double)(H - MT - MB) * val / max,
				  ms->label[m]);
			html_txt(b, c->names[s]);
			html_rawf(b, ": %s</title></circle>", v);
		}
	}
	html_raw(b, "</svg><figcaption><ul class=\"legend\">");
	for (int s = 0; s < c->nseries; s++) {
		html_rawf(b, "<li><span class=\"swatch %s\" aria-hidden=\"true\">"
			     "</span>",
			  c->classes[s]);
		html_txt(b, c->names[s]);
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul></figcaption></figure>");
}

/* table writes c's numbers: a row a month (newest first), a column a
 * series. */
static void table(struct buf *b, const struct chart *c, int total_col)
{
	char v[32];

	html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>");
	html_txt(b, c->title);
	html_raw(b, "</caption><thead><tr><th scope=\"col\">Month</th>");
	for (int s = 0; s < c->nseries; s++) {
		html_raw(b, "<th scope=\"col\">");
		html_txt(b, c->names[s]);
		html_raw(b, "</th>");
	}
	if (total_col)
		html_raw(b, "<th scope=\"col\">Total</th>");
	html_raw(b, "</tr></thead><tbody>");
	for (int m = c->ms->n - 1; m >= 0; m--) {
		double sum = 0;
		int any = 0;

		for (int s = 0; s < c->nseries; s++)
			any |= !isnan(c->v[s][m]) && c->v[s][m] != 0;
		if (!any)
			continue;
		html_rawf(b, "<tr><th scope=\"row\">%s</th>", c->ms->label[m]);
		for (int s = 0; s < c->nseries; s++) {
			double x = c->v[s][m];

			if (isnan(x)) {
				html_raw(b, "<td class=\"muted\">—</td>");
				continue;
			}
			sum += x;
			fmt_value(v, sizeof v, x, c->unit);
			html_rawf(b, "<td>%s</td>", v);
		}
		if (total_col) {
			fmt_value(v, sizeof v, sum, c->unit);
			html_rawf(b, "<td>%s</td>", v);
		}
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

static void series_links(struct buf *b, const char *series)
{
	html_rawf(b,
		  "<p class=\"series-links\">Data: <a href=\"/api/v1/trends/"
		  "%s?format=csv\">CSV</a> · <a href=\"/api/v1/trends/%s\">"
		  "JSON</a></p>",
		  series, series);
}

static void chart_block(struct buf *b, const struct chart *c,
			const char *series, int total_col)
{
	html_raw(b, "<div class=\"chart-block\">");
	svg(b, c);
	table(b, c, total_col);
	html_raw(b, "</div>");
	series_links(b, series);
}

/* ---- the sections --------------------------------------------------- */

static void reviews_section(struct buf *b, const struct trend_table *t,
			    const struct months *ms)
{
	static const char *const sev_names[] = {"Unset", "SEV 1", "SEV 2",
						"SEV 3", "SEV 4", "SEV 5"};
	static const char *const sev_cls[] = {"c-none", "c-sev1", "c-sev2",
					      "c-sev3", "c-sev4", "c-sev5"};
	const struct field_def *kinds = &review_def.fields[REVIEW_KIND];
	static const char *const kind_cls[] = {"c0", "c1", "c2", "c3",
					       "c4", "c5", "c6", "c7"};
	struct chart *bysev = calloc(1, sizeof *bysev);
	struct chart *bykind = calloc(1, sizeof *bykind);

	html_raw(b, "<section class=\"trend\" id=\"reviews\"><h2>Reviews "
		    "per month</h2>");
	if (!bysev || !bykind) {
		b->oom = 1;
		goto out;
	}
	chart_init(bysev, "c-bysev", "Reviews per month by severity",
		   "Stacked bars: how many reviews started each month, by "
		   "severity. The table beside it has the numbers.",
		   NULL, STACKED, ms);
	for (int s = 1; s <= 5; s++)
		series_add(bysev, sev_names[s], sev_cls[s]);
	series_add(bysev, sev_names[0], sev_cls[0]);
	chart_init(bykind, "c-bykind", "Reviews per month by kind",
		   "Stacked bars: how many reviews started each month, by "
		   "kind. The table beside it has the numbers.",
		   NULL, STACKED, ms);
	for (int k = 0; kinds->choices[k] && k < MAX_SERIES; k++)
		series_add(bykind, kinds->choices[k], kind_cls[k]);
	for (size_t r = 0; r < t->nrows; r++) {
		int m = month_slot(ms, cell(t, r, "month")->s);
		const struct trend_cell *sev = cell(t, r, "severity");
		const char *kind = cell(t, r, "kind")->s;
		int64_t n = cell(t, r, "reviews")->i;
		int si = sev->type == CELL_INT && sev->i >= 1 && sev->i <= 5
				 ? (int)sev->i - 1
				 : 5;

		if (m < 0)
			continue;
		bysev->v[si][m] += (double)n;
		for (int k = 0; k < bykind->nseries; k++)
			if (kind && !strcmp(kind, bykind->names[k]))
				bykind->v[k][m] += (double)n;
	}
	chart_block(b, bysev, "reviews", 1);
	chart_block(b, bykind, "reviews", 1);
out:
	free(bysev);
	free(bykind);
	html_raw(b, "</section>\n");
}

static void durations_section(struct buf *b, const struct trend_table *t,
			      const struct months *ms)
{
	static const char *const cols[] = {
		"detect_median_minutes",   "detect_p90_minutes",
		"mitigate_median_minutes", "mitigate_p90_minutes",
		"resolve_median_minutes",  "resolve_p90_minutes"};
	static const char *const names[] = {
		"Detect, median",   "Detect, 90th percentile",
		"Mitigate, median", "Mitigate, 90th percentile",
		"Resolve, median",  "Resolve, 90th percentile"};
	static const char *const cls[] = {"c0", "c0 dashed", "c1",
					  "c1 dashed", "c2", "c2 dashed"};
	struct chart *c = calloc(1, sizeof *c);

	html_raw(b, "<section class=\"trend\" id=\"durations\"><h2>Time to "
		    "detect, mitigate and resolve</h2><p class=\"lead\">From "
		    "the start of each incident, by the month it started: the "
		    "median and the 90th percentile (nearest rank).</p>");
	if (!c) {
		b->oom = 1;
		goto out;
	}
	chart_init(c, "c-durations", "Time to detect, mitigate and resolve",
		   "Lines per month: median (solid) and 90th percentile "
		   "(dashed) of the time from start to detection, mitigation "
		   "and resolution. The table beside it has the numbers.",
		   "minutes", LINES, ms);
	for (int s = 0; s < 6; s++)
		series_add(c, names[s], cls[s]);
	for (size_t r = 0; r < t->nrows; r++) {
		int m = month_slot(ms, cell(t, r, "month")->s);

		for (int s = 0; m >= 0 && s < 6; s++) {
			const struct trend_cell *x = cell(t, r, cols[s]);

			if (x->type == CELL_REAL)
				c->v[s][m] = x->d;
		}
	}
	chart_block(b, c, "durations", 0);
out:
	free(c);
	html_raw(b, "</section>\n");
}

static void followups_section(struct buf *b, const struct trend_table *t,
			      const struct months *ms)
{
	struct chart *c = calloc(1, sizeof *c);
	struct chart *age = calloc(1, sizeof *age);

	html_raw(b, "<section class=\"trend\" id=\"followups\"><h2>Follow-ups"
		    "</h2><p class=\"lead\">Opened by the month they were "
		    "written, done by the month they were last changed; the "
		    "age of those still open, by the month they were "
		    "opened.</p>");
	if (!c || !age) {
		b->oom = 1;
		goto out;
	}
	chart_init(c, "c-followups", "Follow-ups opened and done per month",
		   "Lines per month: follow-ups opened and follow-ups done. "
		   "The table beside it has the numbers.",
		   NULL, LINES, ms);
	series_add(c, "Opened", "c0");
	series_add(c, "Done", "c2");
	series_add(c, "Still open", "c1 dashed");
	chart_init(age, "c-fuage", "Age of open follow-ups (days)",
		   "Lines per month opened: median and 90th percentile age "
		   "in days of the follow-ups still open.",
		   NULL, LINES, ms);
	series_add(age, "Median age, days", "c3");
	series_add(age, "90th percentile, days", "c3 dashed");
	for (size_t r = 0; r < t->nrows; r++) {
		int m = month_slot(ms, cell(t, r, "month")->s);
		const struct trend_cell *a1 = cell(t, r, "open_age_median_days");
		const struct trend_cell *a9 = cell(t, r, "open_age_p90_days");

		if (m < 0)
			continue;
		c->v[0][m] = (double)cell(t, r, "opened")->i;
		c->v[1][m] = (double)cell(t, r, "done")->i;
		c->v[2][m] = (double)cell(t, r, "still_open")->i;
		if (a1->type == CELL_REAL)
			age->v[0][m] = a1->d;
		if (a9->type == CELL_REAL)
			age->v[1][m] = a9->d;
	}
	for (int m = 0; m < ms->n; m++)
		for (int s = 0; s < 3; s++)
			if (isnan(c->v[s][m]))
				c->v[s][m] = 0;
	chart_block(b, c, "followups", 0);
	chart_block(b, age, "followups", 0);
out:
	free(c);
	free(age);
	html_raw(b, "</section>\n");
}

static void factors_section(struct buf *b, const struct factor_count *fc,
			    size_t n)
{
	html_raw(b, "<section class=\"trend\" id=\"factors\"><h2>Recurring "
		    "contributing factors</h2><p class=\"lead\">Factors named "
		    "in more than one review (case and spacing ignored, "
		    "synonyms from the configuration merged), the most "
		    "recurring first.</p>");
	if (!n) {
		html_raw(b, "<p class=\"empty\">No contributing factor is in "
			    "more than one review yet.</p>");
	} else {
		html_raw(b, "<div class=\"table-wrap\"><table class=\"data\">"
			    "<caption>Recurring contributing factors</caption>"
			    "<thead><tr><th scope=\"col\">Factor</th><th "
			    "scope=\"col\">Reviews</th><th scope=\"col\">In"
			    "</th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			html_raw(b, "<tr><th scope=\"row\">");
			html_txt(b, fc[i].label);
			html_rawf(b, "</th><td>%lld</td><td><ul class=\"inline\">",
				  (long long)fc[i].reviews);
			for (size_t k = 0; k < fc[i].nids; k++) {
				html_rawf(b, "<li><a href=\"/reviews/%lld\">",
					  (long long)fc[i].review_ids[k]);
				html_txt(b, fc[i].titles[k]);
				html_raw(b, "</a></li>");
			}
			if ((int64_t)fc[i].nids < fc[i].reviews)
				html_rawf(b, "<li class=\"muted\">and %lld more"
					     "</li>",
					  (long long)(fc[i].reviews -
						      (int64_t)fc[i].nids));
			html_raw(b, "</ul></td></tr>");
		}
		html_raw(b, "</tbody></table></div>");
	}
	series_links(b, "factors");
	html_raw(b, "</section>\n");
}

/* names_section: services or tags, the 15 most common, each a link to
 * the index filtered by it. */
static void names_section(struct buf *b, const struct trend_table *t,
			  const char *series, const char *title,
			  const char *filter)
{
	html_rawf(b, "<section class=\"trend half\" id=\"%s\"><h2>%s</h2>",
		  series, title);
	if (!t->nrows) {
		html_raw(b, "<p class=\"empty\">None yet.</p>");
	} else {
		html_rawf(b,
			  "<div class=\"table-wrap\"><table class=\"data\">"
			  "<caption>%s</caption><thead><tr><th scope=\"col\">"
			  "Name</th><th scope=\"col\">Reviews</th></tr></thead>"
			  "<tbody>",
			  title);
		for (size_t r = 0; r < t->nrows && r < 15; r++) {
			const char *name = cell(t, r, t->cols[0])->s;

			html_rawf(b, "<tr><th scope=\"row\"><a href=\"/?%s=",
				  filter);
			html_url_arg(b, name);
			html_raw(b, "\">");
			html_txt(b, name);
			html_rawf(b, "</a></th><td>%lld</td></tr>",
				  (long long)cell(t, r, "reviews")->i);
		}
		html_raw(b, "</tbody></table></div>");
	}
	series_links(b, series);
	html_raw(b, "</section>\n");
}

/* ---- the page ------------------------------------------------------- */

static const char *trends_key(struct request *req, int64_t now)
{
	const char *who = access_cache_key(req);
	char day[TIME_BUF];

	if (!who)
		return NULL;
	time_format_date(now, day);
	return arena_printf(req->arena, "page:trends|%s|%zu:%s", day,
			    strlen(who), who);
}

void web_trends_page(struct request *req, struct response *res)
{
	static const char *const series[] = {"reviews", "durations",
					     "followups", "services", "tags"};
	struct app *app = req->app;
	struct buf *b = &res->body;
	struct trend_table t[5];
	struct factor_synonyms syn;
	struct factor_count *fc = NULL;
	struct viewer viewer;
	struct months ms;
	size_t nfc = 0;
	int64_t now = (int64_t)time(NULL), generation = 0;
	int newest = -1, claimed = 0;
	const char *key = trends_key(req, now);
	struct err e;

	err_clear(&e);
	if (key && store_generation(app->store, &generation, NULL) == E_OK) {
		if (page_cache_get_or_wait(app->cache, key, generation, b)) {
			res->status = 200;
			res->content_type = "text/html; charset=utf-8";
			return;
		}
		claimed = 1;
	}
	buf_reset(b);
	access_viewer(req, &viewer);
	factor_synonyms_parse(req->arena, app->cfg->factor_synonyms, &syn,
			      NULL);
	for (size_t i = 0; i < 5; i++) {
		if (store_trend(app->store, req->arena, series[i], &viewer,
				&syn, now, &t[i], &e) != E_OK)
			goto fail;
	}
	if (store_factor_counts(app->store, req->arena, &viewer, &syn, 2, 20,
				&fc, &nfc, &e) != E_OK)
		goto fail;
	for (size_t i = 0; i < 3; i++)
		for (size_t r = 0; r < t[i].nrows; r++) {
			int m = month_index(cell(&t[i], r, "month")->s);

			if (m > newest)
				newest = m;
		}
	months_init(&ms, newest);
	page_begin(res, "Trends", NAV_TRENDS);
	html_raw(b, "<div class=\"page-head\"><h1>Trends</h1></div>\n"
		    "<p class=\"lead\">What many reviews say together: how "
		    "often things happen, how fast we notice and recover, "
		    "whether follow-ups get done, and which causes come "
		    "back. Charts show the last 24 months; every series is "
		    "in the API as CSV and JSON.</p>\n"
		    "<nav class=\"toc\" aria-label=\"On this page\"><ul>"
		    "<li><a href=\"#reviews\">Reviews per month</a></li>"
		    "<li><a href=\"#durations\">Time to detect, mitigate, "
		    "resolve</a></li><li><a href=\"#followups\">Follow-ups"
		    "</a></li><li><a href=\"#factors\">Recurring factors</a>"
		    "</li><li><a href=\"#services\">Services</a></li><li>"
		    "<a href=\"#tags\">Tags</a></li></ul></nav>\n");
	if (newest < 0) {
		html_raw(b, "<p class=\"empty\">No reviews yet: trends appear "
			    "once there are some.</p>\n");
	} else {
		reviews_section(b, &t[0], &ms);
		durations_section(b, &t[1], &ms);
		followups_section(b, &t[2], &ms);
	}
	factors_section(b, fc, nfc);
	html_raw(b, "<div class=\"trend-pair\">");
	names_section(b, &t[3], "services", "Services", "service");
	names_section(b, &t[4], "tags", "Tags", "tag");
	html_raw(b, "</div>\n");
	page_end(res);
	if (claimed && res->status == 200 && !b->oom)
		page_cache_put(app->cache, key, generation, b->data, b->len);
	else if (claimed)
		page_cache_abandon(app->cache, key, generation);
	return;
fail:
	if (claimed)
		page_cache_abandon(app->cache, key, generation);
	page_fail(req, res, &e);
}
