/* learning.c: the API of learning across reviews (issue 17): the ranked
 * search, the trends' series as JSON or CSV, the reviews of this day in
 * earlier years, and a review's related reviews. Each answers only what
 * the asker sees (access_viewer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/api_internal.h"
#include "api/review_filter_internal.h"
#include "http/access.h"
#include "model/factor_key.h"
#include "model/record_json.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/timeutil.h"

/* plain is marked text without its marks (from a). */
static const char *plain(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s ? s : ""), *o = out;

	if (!out)
		return NULL;
	for (const char *p = out; *p; p++)
		if (*p != STORE_MARK_OPEN[0] && *p != STORE_MARK_CLOSE[0])
			*o++ = *p;
	*o = '\0';
	return out;
}

/* add_marked appends to arr each marked word of s not already there. */
static int add_marked(json_t *arr, const char *s)
{
	const char *p = s;

	while (p && (p = strchr(p, STORE_MARK_OPEN[0]))) {
		const char *end = strchr(++p, STORE_MARK_CLOSE[0]);
		size_t n = end ? (size_t)(end - p) : strlen(p), i;
		json_t *w;

		for (i = 0; i < json_array_size(arr); i++) {
			const char *have = json_string_value(json_array_get(arr, i));

			if (strlen(have) == n && !strncmp(have, p, n))
				break;
		}
		if (i == json_array_size(arr) && n) {
			if (!(w = json_stringn(p, n)) ||
			    json_array_append_new(arr, w))
				return -1;
		}
		p = end;
	}
	return 0;
}

/* hit_json: one result: the review's summary fields under review_id,
 * its title, the snippet and where it matched, as plain text, and the
 * words that matched. */
static json_t *hit_json(struct arena *a, const struct search_hit *h)
{
	const struct record *r = h->review;
	json_t *o = json_object(), *m = json_array(), *w = json_array();

	if (!o || !m || !w)
		goto fail;
	if (json_object_set_new(o, "review_id", json_integer(r->id)) ||
	    json_object_set_new(o, "title",
				json_string(record_str(r, REVIEW_TITLE))) ||
	    json_object_set_new(o, "snippet",
				json_string(plain(a, h->snippet))) ||
	    json_object_set_new(o, "score", json_real(h->score)) ||
	    json_object_set_new(o, "kind",
				json_string(record_str(r, REVIEW_KIND))) ||
	    json_object_set_new(o, "status",
				json_string(record_str(r, REVIEW_STATUS))) ||
	    json_object_set_new(o, "url",
				json_string(arena_printf(a, "/reviews/%lld",
							 (long long)r->id))))
		goto fail;
	if (json_object_set_new(o, "severity",
				record_isset(r, REVIEW_SEVERITY)
					? json_integer(record_int(
						  r, REVIEW_SEVERITY, 0))
					: json_null()))
		goto fail;
	if (record_isset(r, REVIEW_STARTED_AT)) {
		char t[TIME_BUF];

		time_format(record_int(r, REVIEW_STARTED_AT, 0), t);
		if (json_object_set_new(o, "started_at", json_string(t)))
			goto fail;
	} else if (json_object_set_new(o, "started_at", json_null())) {
		goto fail;
	}
	if (add_marked(w, h->title) || add_marked(w, h->snippet))
		goto fail;
	for (size_t i = 0; i < h->nmatches; i++) {
		json_t *x = json_pack("{s:s, s:s?}", "where",
				      h->matches[i].where, "text",
				      plain(a, h->matches[i].text));

		if (!x || json_array_append_new(m, x) ||
		    add_marked(w, h->matches[i].text))
			goto fail;
	}
	json_object_set_new(o, "matches", m);
	json_object_set_new(o, "highlights", w);
	return o;
fail:
	json_decref(o);
	json_decref(m);
	json_decref(w);
	return NULL;
}

void api_search(struct request *req, struct response *res)
{
	struct search_query sq;
	struct viewer viewer;
	struct search_hit *hits;
	size_t n;
	int64_t total = 0;
	int capped = 0;
	json_t *out, *arr;
	struct err e;

	err_clear(&e);
	if (api_search_query(req, &sq, &e) != E_OK)
		goto fail;
	access_viewer(req, &viewer);
	sq.viewer = &viewer;
	sq.count_cap = (int)req->app->cfg->search_count_cap; /* issue 21 */
	sq.rank_window = (int)req->app->cfg->search_rank_window;
	sq.capped = &capped;
	if (store_search(req->app->store, req->arena, &sq, &hits, &n, &total,
			 &e) != E_OK)
		goto fail;
	out = json_pack("{s:[], s:I, s:b, s:i, s:i, s:s}", "results", "total",
			(json_int_t)total, "total_is_estimate", capped, "limit",
			sq.limit, "offset", sq.offset, "q", sq.q ? sq.q : "");
	if (!out)
		goto oom;
	arr = json_object_get(out, "results");
	for (size_t i = 0; i < n; i++) {
		json_t *h = hit_json(req->arena, &hits[i]);

		if (!h || json_array_append_new(arr, h)) {
			json_decref(out);
			goto oom;
		}
	}
	res_json(res, 200, out);
	return;
oom:
	err_set(&e, E_NOMEM, NULL, "out of memory");
fail:
	api_fail(res, &e);
}

/* ---- trends --------------------------------------------------------- */

/* csv_cell writes one cell of RFC 4180 CSV; a text that a spreadsheet
 * would run as a formula (= + - @ first) gets a ' in front. */
static void csv_cell(struct buf *b, const struct trend_cell *c)
{
	const char *s = c->s;

	switch (c->type) {
	case CELL_NULL: return;
	case CELL_INT: buf_printf(b, "%lld", (long long)c->i); return;
	case CELL_REAL: buf_printf(b, "%.1f", c->d); return;
	case CELL_TEXT: break;
	}
	buf_putc(b, '"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static json_t *cell_json(const struct trend_cell *c)
{
	switch (c->type) {
	case CELL_INT: return json_integer(c->i);
	case CELL_REAL: return json_real((double)(int64_t)(c->d * 10 + 0.5) / 10);
	case CELL_TEXT: return json_string(c->s);
	default: return json_null();
	}
}

void api_trend(struct request *req, struct response *res)
{
	const char *name = req->nparams ? req->params[0] : "";
	const char *format = req_query(req, "format");
	struct factor_synonyms syn;
	struct trend_table t;
	struct viewer viewer;
	struct err e;
	json_t *out, *rows, *cols;

	err_clear(&e);
	if (format && *format && strcmp(format, "json") &&
	    strcmp(format, "csv")) {
		api_failf(res, E_BAD_REQUEST, "format",
			  "format must be json or csv");
		return;
	}
	access_viewer(req, &viewer);
	factor_synonyms_parse(req->arena, req->app->cfg->factor_synonyms, &syn,
			      NULL);
	if (store_trend(req->app->store, req->arena, name, &viewer, &syn,
			(int64_t)time(NULL), &t, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (format && !strcmp(format, "csv")) {
		char disp[96];

		buf_reset(&res->body);
		for (size_t c = 0; c < t.ncols; c++)
			buf_printf(&res->body, "%s%s", c ? "," : "", t.cols[c]);
		buf_puts(&res->body, "\r\n");
		for (size_t r = 0; r < t.nrows; r++) {
			for (size_t c = 0; c < t.ncols; c++) {
				if (c)
					buf_putc(&res->body, ',');
				csv_cell(&res->body, &t.cells[r * t.ncols + c]);
			}
			buf_puts(&res->body, "\r\n");
		}
		res->status = 200;
		res->content_type = "text/csv; charset=utf-8";
		snprintf(disp, sizeof disp,
			 "attachment; filename=\"debrief-%s.csv\"", name);
		res_header(res, "Content-Disposition", disp);
		return;
	}
	out = json_pack("{s:s, s:[], s:[]}", "series", name, "columns", "rows");
	if (!out)
		goto oom;
	cols = json_object_get(out, "columns");
	rows = json_object_get(out, "rows");
	for (size_t c = 0; c < t.ncols; c++)
		if (json_array_append_new(cols, json_string(t.cols[c])))
			goto oom_out;
	for (size_t r = 0; r < t.nrows; r++) {
		json_t *row = json_object();

		if (!row || json_array_append_new(rows, row))
			goto oom_out;
		for (size_t c = 0; c < t.ncols; c++)
			if (json_object_set_new(
				    row, t.cols[c],
				    cell_json(&t.cells[r * t.ncols + c])))
				goto oom_out;
	}
	res_json(res, 200, out);
	return;
oom_out:
	json_decref(out);
oom:
	api_failf(res, E_NOMEM, NULL, "out of memory");
}

/* ---- on this day ---------------------------------------------------- */

void api_on_this_day(struct request *req, struct response *res)
{
	const char *date = req_query(req, "date");
	const char *lim = req_query(req, "limit"), *off = req_query(req, "offset");
	struct record_list list = {0};
	struct viewer viewer;
	int64_t t = (int64_t)time(NULL), total = 0;
	long limit = 50, offset = 0;
	char *end, day[TIME_BUF];
	struct tm tm;
	time_t tt;
	struct err e;
	json_t *out, *arr;

	err_clear(&e);
	if (date && *date && (strlen(date) != 10 || time_parse_date(date, &t))) {
		api_failf(res, E_BAD_REQUEST, "date",
			  "date must be a day as YYYY-MM-DD (2026-11-20)");
		return;
	}
	if (lim && *lim &&
	    ((limit = strtol(lim, &end, 10)) < 1 || limit > 500 || *end)) {
		api_failf(res, E_BAD_REQUEST, "limit",
			  "limit must be a whole number from 1 to 500");
		return;
	}
	if (off && *off &&
	    ((offset = strtol(off, &end, 10)) < 0 || offset > 1000000000L ||
	     *end)) {
		api_failf(res, E_BAD_REQUEST, "offset",
			  "offset must be a whole number from 0 to 1000000000");
		return;
	}
	tt = (time_t)t;
	gmtime_r(&tt, &tm);
	time_format_date(t, day);
	access_viewer(req, &viewer);
	if (store_on_this_day(req->app->store, req->arena, &viewer,
			      tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900,
			      (int)limit, (int)offset, &list, &total,
			      &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:s, s:[], s:I, s:i, s:i}", "date", day, "reviews",
			"total", (json_int_t)total, "limit", (int)limit,
			"offset", (int)offset);
	if (!out)
		goto oom;
	arr = json_object_get(out, "reviews");
	for (size_t i = 0; i < list.n; i++) {
		json_t *r = record_to_json(list.items[i]);

		/* a list shows no long section (they are not read) */
		for (size_t f = 0; r && f < review_def.nfields; f++)
			if (review_def.fields[f].type == FT_MARKDOWN &&
			    f != REVIEW_TLDR)
				json_object_del(r, review_def.fields[f].name);
		if (!r || json_array_append_new(arr, r)) {
			json_decref(out);
			goto oom;
		}
	}
	res_json(res, 200, out);
	return;
oom:
	api_failf(res, E_NOMEM, NULL, "out of memory");
}

/* ---- related reviews ------------------------------------------------ */

void api_review_related(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), version;
	struct factor_synonyms syn;
	struct related_review *rel;
	struct viewer viewer;
	size_t n;
	struct err e;
	json_t *out, *arr;

	if (!id)
		return;
	err_clear(&e);
	if (access_review_version(req, id, &version, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	access_viewer(req, &viewer);
	factor_synonyms_parse(req->arena, req->app->cfg->factor_synonyms, &syn,
			      NULL);
	if (store_related(req->app->store, req->arena, &viewer, &syn, id, 5,
			  &rel, &n, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i}", "related", "total",
			(json_int_t)n, "limit", 5, "offset", 0);
	if (!out)
		goto oom;
	arr = json_object_get(out, "related");
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_pack(
			"{s:I, s:s, s:i, s:i, s:i, s:b}", "review_id",
			(json_int_t)rel[i].id, "title", rel[i].title,
			"shared_factors", rel[i].shared_factors, "shared_tags",
			rel[i].shared_tags, "shared_services",
			rel[i].shared_services, "similar_text", rel[i].text);

		if (!r || json_array_append_new(arr, r)) {
			json_decref(out);
			goto oom;
		}
	}
	res_json(res, 200, out);
	return;
oom:
	api_failf(res, E_NOMEM, NULL, "out of memory");
}
