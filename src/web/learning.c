/* learning.c: the pages of the learning signals (issue 17): GET /learning,
 * per month and per owner team, what shows that people learn from the
 * reviews (reads, readers, comments, comments after publication,
 * attendees, links from code and commits) beside the number of incidents;
 * and the index sorted by most read (GET /?sort=reads&days=N). Both count
 * only the reviews the asker sees, and are not cached (reads change
 * without a new version of anything). */
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

static const int periods[] = {7, 30, 90, 365, 0};

/* days_arg reads ?days= as one of periods (default 30). */
static int days_arg(struct request *req)
{
	const char *v = req_query(req, "days");

	if (!v || !*v)
		return 30;
	for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
		if (atoi(v) == periods[i] && (periods[i] || !strcmp(v, "0")))
			return periods[i];
	return 30;
}

static void period_label(struct buf *b, int days)
{
	if (days)
		html_rawf(b, "the last %d days", days);
	else
		html_raw(b, "all time");
}

void web_most_read_page(struct request *req, struct response *res)
{
	struct buf *b = &res->body;
	struct review_filter f;
	struct viewer viewer;
	struct record_list list;
	int64_t *reads, total;
	int days = days_arg(req);
	struct err e;

	err_clear(&e);
	memset(&f, 0, sizeof f);
	access_viewer(req, &viewer);
	f.viewer = &viewer;
	f.limit = 50;
	if (store_reads_top(req->app->store, req->arena, &f,
			    days ? time_now() - (int64_t)days * 86400 : 0,
			    &list, &reads, &total, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	page_begin(res, "Most read reviews", NAV_REVIEWS);
	html_raw(b, "<div class=\"page-head\"><h1>Most read reviews</h1></div>"
		    "\n<p class=\"sort-by\">Sort: <a href=\"/\">Newest</a> · "
		    "<strong>Most read</strong> in ");
	for (size_t i = 0; i < sizeof periods / sizeof *periods; i++) {
		if (i)
			html_raw(b, " · ");
		if (periods[i] == days) {
			html_raw(b, "<strong>");
			period_label(b, days);
			html_raw(b, "</strong>");
			continue;
		}
		html_rawf(b, "<a href=\"/?sort=reads&amp;days=%d\">",
			  periods[i]);
		period_label(b, periods[i]);
		html_raw(b, "</a>");
	}
	html_raw(b, "</p>\n");
	if (!list.n) {
		html_raw(b, "<p class=\"empty\">No review was read in ");
		period_label(b, days);
		html_raw(b, ".</p>\n");
		page_end(res);
		return;
	}
	html_raw(b, "<table class=\"reviews most-read\"><thead><tr><th "
		    "scope=\"col\">Review</th><th scope=\"col\">Reads</th><th "
		    "scope=\"col\">Kind</th><th scope=\"col\">Started</th>"
		    "</tr></thead><tbody>\n");
	for (size_t i = 0; i < list.n; i++) {
		const struct record *r = list.items[i];

		html_rawf(b, "<tr><td class=\"title\"><a href=\"/reviews/%lld\">",
			  (long long)r->id);
		html_txt(b, record_str(r, REVIEW_TITLE));
		html_rawf(b, "</a></td><td data-label=\"Reads\" class=\"num\">"
			     "%lld</td><td data-label=\"Kind\">",
			  (long long)reads[i]);
		page_badge(b, "kind", record_str(r, REVIEW_KIND));
		html_raw(b, "</td><td data-label=\"Started\" class=\"when\">");
		if (record_isset(r, REVIEW_STARTED_AT))
			html_time(b, record_int(r, REVIEW_STARTED_AT, 0));
		html_raw(b, "</td></tr>\n");
	}
	html_rawf(b, "</tbody></table>\n<p class=\"muted\">%lld review%s read "
		     "in ",
		  (long long)total, total == 1 ? "" : "s");
	period_label(b, days);
	html_raw(b, ". A read is a view by a signed-in person who did not "
		    "write the review, counted once an hour.</p>\n");
	page_end(res);
}

static void learning_table(struct buf *b, const char *caption,
			   const char *key_label,
			   const struct learning_row *rows, size_t n)
{
	html_raw(b, "<table class=\"learning\"><caption>");
	html_txt(b, caption);
	html_raw(b, "</caption><thead><tr><th scope=\"col\">");
	html_txt(b, key_label);
	html_raw(b, "</th><th scope=\"col\">Incidents</th><th scope=\"col\">"
		    "Reads</th><th scope=\"col\">Readers</th><th scope=\"col\">"
		    "Comments</th><th scope=\"col\">After publication</th>"
		    "<th scope=\"col\">Attendees</th><th scope=\"col\">Links "
		    "from code</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct learning_row *r = &rows[i];

		html_raw(b, "<tr><th scope=\"row\">");
		if (r->key[0])
			html_txt(b, r->key);
		else
			html_raw(b, "<span class=\"muted\">No team</span>");
		html_rawf(b,
			  "</th><td class=\"num\" data-label=\"Incidents\">%lld"
			  "</td><td class=\"num\" data-label=\"Reads\">%lld</td>"
			  "<td class=\"num\" data-label=\"Readers\">%lld</td>"
			  "<td class=\"num\" data-label=\"Comments\">%lld</td>"
			  "<td class=\"num\" data-label=\"After publication\">"
			  "%lld</td><td class=\"num\" data-label=\"Attendees\">"
			  "%lld</td><td class=\"num\" data-label=\"Links\">%lld"
			  "</td></tr>\n",
			  (long long)r->incidents, (long long)r->reads,
			  (long long)r->readers, (long long)r->comments,
			  (long long)r->comments_after_pub,
			  (long long)r->attendees,
			  (long long)r->inbound_links);
	}
	if (!n)
		html_raw(b, "<tr><td colspan=\"8\" class=\"empty\">Nothing yet."
			    "</td></tr>\n");
	html_raw(b, "</tbody></table>\n");
}

void web_learning_page(struct request *req, struct response *res)
{
	struct buf *b = &res->body;
	struct learning_row *months, *teams;
	size_t nm, nt;
	int64_t total;
	struct viewer viewer;
	struct err e;

	err_clear(&e);
	access_viewer(req, &viewer);
	if (store_learning_stats(req->app->store, req->arena, &viewer, 0, 24,
				 0, &months, &nm, &total, &e) != E_OK ||
	    store_learning_stats(req->app->store, req->arena, &viewer, 1, 500,
				 0, &teams, &nt, &total, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	page_begin(res, "Learning", NAV_LEARNING);
	html_raw(b, "<article class=\"learning-page\"><h1>Is learning "
		    "happening?</h1>\n<p class=\"lead\">Reviews teach when "
		    "people read them, come to their meetings, comment on "
		    "them months later and link to them from code and "
		    "commits. Here are those signs beside the number of "
		    "incidents. <a href=\"/?sort=reads\">Most read reviews"
		    "</a> · <a href=\"/api/v1/learning\">JSON</a></p>\n"
		    "<section id=\"by-month\"><h2>By month");
	page_permalink(b, "by-month", "By month");
	html_raw(b, "</h2>");
	learning_table(b,
		       "Per month: incidents, attendees and links by when the "
		       "incident started; reads and comments by when they "
		       "happened",
		       "Month", months, nm);
	html_raw(b, "</section>\n<section id=\"by-team\"><h2>By team");
	page_permalink(b, "by-team", "By team");
	html_raw(b, "</h2>");
	learning_table(b, "Per owner team, all time", "Team", teams, nt);
	html_raw(b, "</section>\n<p class=\"muted\">Attendees are the people "
		    "listed with the attendee role. A read is a view by a "
		    "signed-in person who did not write the review, counted "
		    "once an hour. Links come from <code>debrief links scan"
		    "</code>.</p></article>\n");
	page_learning_script(b);
	page_end(res);
}
