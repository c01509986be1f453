/* on_this_day.c: the reviews whose incident started on this day (UTC) in
 * earlier years, as Morgue showed them: the page GET /on-this-day
 * [?date=YYYY-MM-DD] and the short list the index shows above its
 * filters (web_on_this_day_box). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/access.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

/* when_of splits t (UTC) into year, month and day. */
static void when_of(int64_t t, int *y, int *m, int *d)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

/* item writes one review: how many years ago, the title, the TL;DR. */
static void item(struct buf *b, const struct record *r, int year)
{
	int64_t started = record_int(r, REVIEW_STARTED_AT, 0);
	int y, m, d;

	when_of(started, &y, &m, &d);
	html_rawf(b,
		  "<li><span class=\"ago\">%d year%s ago</span> "
		  "<a href=\"/reviews/%lld\">",
		  year - y, year - y == 1 ? "" : "s", (long long)r->id);
	html_txt(b, record_str(r, REVIEW_TITLE));
	html_raw(b, "</a> <span class=\"muted\">");
	html_time(b, started);
	html_raw(b, "</span>");
	if (record_isset(r, REVIEW_TLDR)) {
		html_raw(b, "<p class=\"row-tldr\">");
		page_excerpt(b, record_str(r, REVIEW_TLDR), 160, 0);
		html_raw(b, "</p>");
	}
	html_raw(b, "</li>");
}

void web_on_this_day_box(struct request *req, struct buf *b, int64_t now)
{
	struct record_list l;
	struct viewer viewer;
	int64_t total = 0;
	int y, m, d;

	when_of(now, &y, &m, &d);
	access_viewer(req, &viewer);
	if (store_on_this_day(req->app->store, req->arena, &viewer, m, d, y, 3,
			      0, &l, &total, NULL) != E_OK ||
	    !l.n)
		return;
	html_raw(b, "<section class=\"on-this-day\" aria-labelledby=\"otd-h\">"
		    "<h2 id=\"otd-h\">On this day</h2><ul>");
	for (size_t i = 0; i < l.n; i++)
		item(b, l.items[i], y);
	html_raw(b, "</ul>");
	if (total > (int64_t)l.n)
		html_rawf(b,
			  "<p><a href=\"/on-this-day\">All %lld from this day"
			  "</a></p>",
			  (long long)total);
	html_raw(b, "</section>\n");
}

void web_on_this_day_page(struct request *req, struct response *res)
{
	const char *date = req_query(req, "date");
	struct buf *b = &res->body;
	struct record_list l;
	struct viewer viewer;
	int64_t t = (int64_t)time(NULL), total = 0;
	char day[TIME_BUF];
	int y, m, d, bad = 0;
	struct err e;

	err_clear(&e);
	if (date && *date && (strlen(date) != 10 || time_parse_date(date, &t))) {
		bad = 1;
		t = (int64_t)time(NULL);
	}
	when_of(t, &y, &m, &d);
	time_format_date(t, day);
	access_viewer(req, &viewer);
	if (store_on_this_day(req->app->store, req->arena, &viewer, m, d, y,
			      500, 0, &l, &total, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(b);
	page_begin(res, "On this day", NAV_NONE);
	html_raw(b, "<div class=\"page-head\"><h1>On this day</h1></div>\n"
		    "<form class=\"inline-form\" method=\"get\" "
		    "action=\"/on-this-day\"><label for=\"otd-date\">Day"
		    "</label> <input id=\"otd-date\" type=\"date\" "
		    "name=\"date\" value=\"");
	html_attr(b, day);
	html_raw(b, "\"> <button type=\"submit\">Show</button></form>\n");
	if (bad) {
		res->status = 400;
		html_raw(b, "<p class=\"field-error\" role=\"alert\">The day "
			    "must be a date as YYYY-MM-DD; here is today.</p>");
	}
	html_rawf(b,
		  "<p class=\"lead\">Reviews of incidents that started on "
		  "%02d-%02d (UTC) in the years before %d.</p>\n",
		  m, d, y);
	if (!l.n) {
		html_raw(b, "<p class=\"empty\">Nothing happened on this day "
			    "in earlier years, as far as the reviews "
			    "say.</p>\n");
	} else {
		html_raw(b, "<ul class=\"on-this-day-list\">");
		for (size_t i = 0; i < l.n; i++)
			item(b, l.items[i], y);
		html_raw(b, "</ul>\n");
	}
	page_end(res);
}
