/* calendar.c: review meetings across reviews.
 *   GET  /calendar          the calendar page: overdue reviews (resolved
 *                           more than meeting_overdue_days ago, no meeting
 *                           held), upcoming meetings as a list, and a
 *                           month (?month=YYYY-MM, UTC) as a grid
 *   POST /calendar/token    makes the asker's calendar feed token (a new
 *                           one replaces the old) and shows its address
 *                           once; only its hash is kept
 *   GET  /calendar.ics      the feed calendar apps subscribe to: with
 *                           ?token=, as the token's user sees reviews
 *                           (apps cannot sign in); without, as the
 *                           signed-in asker */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "http/access.h"
#include "http/auth.h"
#include "integrations/ical.h"
#include "model/meeting.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "web/meeting_site.h"
#include "web/page.h"
#include "web/web.h"

#define DAY 86400
#define FEED_PAST   (30 * DAY)  /* the feed keeps a month of the past */
#define FEED_FUTURE (366 * DAY) /* and a year ahead */
#define UPCOMING    (90 * DAY)  /* the page lists three months ahead */
#define FEED_TOKEN_PREFIX "dcf_"

/* feed_viewer finds whose calendar the feed request is: the user of
 * ?token= (enabled), else the signed-in asker. Fills v; 0, or -1 when
 * the request may not read it (answered). */
static int feed_viewer(struct request *req, struct response *res,
		       struct viewer *v)
{
	const char *token = req_query(req, "token"), *user;
	struct store_user u;
	char hash[AUTH_HEX];
	struct err e;

	err_clear(&e);
	if (!token) {
		session_current_user(req);
		if (req->role < ROLE_READER) {
			res->status = 401;
			res->content_type = "text/plain; charset=utf-8";
			buf_puts(&res->body,
				 "This feed needs its token: make one on the "
				 "Calendar page and subscribe to the address "
				 "it gives.\n");
			return -1;
		}
		access_viewer(req, v);
		return 0;
	}
	auth_hash_secret(token, hash);
	if (strncmp(token, FEED_TOKEN_PREFIX, strlen(FEED_TOKEN_PREFIX)) ||
	    store_feed_token_find(req->app->store, req->arena, hash, &user,
				  &e) != E_OK ||
	    store_user_get(req->app->store, req->arena, user, &u, &e) != E_OK ||
	    u.disabled) {
		/* no user yet (the anonymous local admin) has no row: its
		 * tokens still work while there are no accounts */
		int64_t users = 1;

		if (e.code == E_NOT_FOUND && user &&
		    !strcmp(user, req->app->cfg->anonymous_user) &&
		    store_user_count(req->app->store, &users, NULL) == E_OK &&
		    users == 0) {
			v->all = 1;
			v->groups_json = "[]";
			return 0;
		}
		res->status = 403;
		res->content_type = "text/plain; charset=utf-8";
		buf_puts(&res->body, "This calendar feed token is not valid "
				     "(replaced, or its user disabled): make "
				     "a new one on the Calendar page.\n");
		return -1;
	}
	v->all = u.role >= ROLE_ADMIN;
	v->groups_json = u.groups ? u.groups : "[]";
	return 0;
}

void web_calendar_feed(struct request *req, struct response *res)
{
	struct viewer v;
	struct meeting_row *rows;
	struct ical_event *evs;
	struct ical_site site = {0};
	char host[256];
	int64_t now = time_now();
	size_t n;
	const char *text;
	struct err e;

	err_clear(&e);
	if (feed_viewer(req, res, &v) < 0)
		return;
	if (store_meeting_list(req->app->store, req->arena, now - FEED_PAST,
			       now + FEED_FUTURE, &v, 0, &rows, &n,
			       &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	if (!(evs = arena_alloc(req->arena, sizeof *evs * (n ? n : 1)))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		evs[i].meeting = rows[i].meeting;
		evs[i].review_id = rows[i].review_id;
		evs[i].review_title = rows[i].review_title;
		evs[i].review_url = meeting_review_url(req, rows[i].review_id);
	}
	meeting_site(req, &site, host, sizeof host);
	if (!(text = ical_feed(req->arena, &site, "Review meetings", evs, n,
			       &e))) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(&res->body);
	buf_puts(&res->body, text);
	res->status = 200;
	res->content_type = "text/calendar; charset=utf-8";
	res_header(res, "Cache-Control", "private, no-store");
}

/* meeting_item writes one meeting of the list. */
static void meeting_item(struct buf *b, const struct meeting_row *r)
{
	const char *st = record_str(r->meeting, MEETING_STATUS);
	const char *loc = record_str(r->meeting, MEETING_LOCATION);

	html_raw(b, "<li class=\"meeting-item\">");
	html_time(b, record_int(r->meeting, MEETING_START, 0));
	html_rawf(b, " <a href=\"/reviews/%lld\">", (long long)r->review_id);
	html_txt(b, r->review_title);
	html_raw(b, "</a> ");
	if (st && strcmp(st, "scheduled"))
		page_badge(b, "meeting", st);
	if (loc) {
		html_raw(b, " <span class=\"muted\">");
		html_txt(b, loc);
		html_raw(b, "</span>");
	}
	html_rawf(b, " <a class=\"muted\" href=\"/reviews/%lld/meeting.ics\" "
		     "download>.ics</a></li>\n",
		  (long long)r->review_id);
}

/* wanted writes the open requests for a facilitator among rows, each
 * with a button that makes the asker the facilitator. */
static void wanted(struct buf *b, const struct meeting_row *rows, size_t n)
{
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		const struct record *m = rows[i].meeting;
		const char *st = record_str(m, MEETING_STATUS);

		if (record_int(m, MEETING_FACILITATOR_WANTED, 0) != 1 ||
		    record_isset(m, MEETING_FACILITATOR) ||
		    (st && !strcmp(st, "cancelled")))
			continue;
		if (!any++)
			html_raw(b, "<section class=\"card\" id=\"wanted\"><h2>"
				    "Needs a facilitator</h2><p class=\"muted\">"
				    "Facilitating a review you were not part "
				    "of is the best help. <a "
				    "href=\"/facilitators\">The roster</a></p>"
				    "<ul class=\"wanted\">");
		html_raw(b, "<li>");
		html_time(b, record_int(m, MEETING_START, 0));
		html_rawf(b, " <a href=\"/reviews/%lld\">",
			  (long long)rows[i].review_id);
		html_txt(b, rows[i].review_title);
		html_rawf(b, "</a> " SLOT_EDITOR_BEGIN "<form method=\"post\" "
			     "class=\"inline\" action=\"/reviews/%lld/meeting/"
			     "take\">",
			  (long long)rows[i].review_id);
		page_csrf_field(b);
		html_raw(b, "<button type=\"submit\" class=\"button ghost\">"
			    "Take it</button></form>" SLOT_EDITOR_END "</li>");
	}
	if (any)
		html_raw(b, "</ul></section>\n");
}

/* overdue writes the overdue reviews the asker sees, the longest
 * overdue first (at most 100). */
static void overdue(struct request *req, struct buf *b, int64_t now)
{
	struct overdue_row *rows = NULL;
	struct viewer v;
	size_t n = 0;
	int more = 0;
	long days = req->app->cfg->meeting_overdue_days;

	access_viewer(req, &v);
	html_rawf(b, "<section class=\"card\" id=\"overdue\"><h2>Overdue "
		     "reviews</h2><p class=\"muted\">Resolved more than %ld "
		     "days ago, not yet reviewed, and no meeting held.</p>",
		  days);
	if (store_overdue_first(req->app->store, req->arena, &v,
				now - days * DAY, now, 100, 100, &rows, &n,
				&more, NULL) != E_OK ||
	    !n) {
		html_raw(b, "<p class=\"empty\">None: every review met in "
			    "time.</p></section>\n");
		return;
	}
	html_raw(b, "<ul class=\"overdue\">");
	for (size_t i = 0; i < n; i++) {
		html_rawf(b, "<li><a href=\"/reviews/%lld\">",
			  (long long)rows[i].id);
		html_txt(b, rows[i].title);
		html_rawf(b, "</a> <span class=\"badge overdue\">%lld days "
			     "overdue</span> <a href=\"/reviews/%lld/meeting\">"
			     "Schedule</a></li>",
			  (long long)meeting_overdue_days(rows[i].resolved_at,
							 now, days),
			  (long long)rows[i].id);
	}
	html_raw(b, "</ul>");
	if (more)
		html_raw(b, "<p class=\"muted\">And more: <a "
			    "href=\"/api/v1/reviews?overdue=true\">the full "
			    "list</a>.</p>");
	html_raw(b, "</section>\n");
}

/* month_arg reads ?month=YYYY-MM into the first day of that month (UTC);
 * the current month when absent or malformed. */
static int64_t month_start(struct request *req, int64_t now, int *year,
			   int *mon)
{
	const char *m = req_query(req, "month");
	char day[32];
	int64_t t;
	time_t tt = (time_t)now;
	struct tm tm;

	gmtime_r(&tt, &tm);
	*year = tm.tm_year + 1900;
	*mon = tm.tm_mon + 1;
	if (m && strlen(m) == 7 && sscanf(m, "%4d-%2d", year, mon) == 2 &&
	    *mon >= 1 && *mon <= 12 && *year >= 1970 && *year <= 9999) {
		/* taken */
	} else {
		*year = tm.tm_year + 1900;
		*mon = tm.tm_mon + 1;
	}
	snprintf(day, sizeof day, "%04d-%02d-01", *year, *mon);
	return time_parse_date(day, &t) == 0 ? t : now;
}

/* month_grid writes the month as weeks (Monday first) with each day's
 * meetings. */
static void month_grid(struct request *req, struct buf *b, int64_t now)
{
	int year, mon, ny, nm, py, pm, wday;
	int64_t first = month_start(req, now, &year, &mon), next;
	struct meeting_row *rows = NULL;
	struct viewer v;
	size_t n = 0, k = 0;
	char day[32];
	time_t tt = (time_t)first;
	struct tm tm;
	static const char *const names[] = {"January", "February", "March",
					    "April", "May", "June", "July",
					    "August", "September", "October",
					    "November", "December"};

	ny = mon == 12 ? year + 1 : year;
	nm = mon == 12 ? 1 : mon + 1;
	py = mon == 1 ? year - 1 : year;
	pm = mon == 1 ? 12 : mon - 1;
	snprintf(day, sizeof day, "%04d-%02d-01", ny, nm);
	if (time_parse_date(day, &next) != 0)
		next = first + 31 * DAY;
	access_viewer(req, &v);
	store_meeting_list(req->app->store, req->arena, first, next, &v, 0,
			   &rows, &n, NULL);
	html_rawf(b,
		  "<section class=\"wide\" id=\"month\"><h2>%s %d</h2>"
		  "<p class=\"month-nav\"><a href=\"/calendar?month=%04d-%02d"
		  "#month\">← Previous</a> · <a href=\"/calendar?month="
		  "%04d-%02d#month\">Next →</a></p>"
		  "<table class=\"month\"><thead><tr><th>Mon</th><th>Tue</th>"
		  "<th>Wed</th><th>Thu</th><th>Fri</th><th>Sat</th><th>Sun"
		  "</th></tr></thead><tbody><tr>",
		  names[mon - 1], year, py, pm, ny, nm);
	gmtime_r(&tt, &tm);
	wday = (tm.tm_wday + 6) % 7; /* Monday 0 */
	for (int i = 0; i < wday; i++)
		html_raw(b, "<td class=\"out\"></td>");
	for (int64_t d = first; d < next; d += DAY) {
		int dom = (int)((d - first) / DAY) + 1;

		if (wday == 7) {
			html_raw(b, "</tr><tr>");
			wday = 0;
		}
		html_rawf(b, "<td><span class=\"dom\">%d</span>", dom);
		while (k < n && record_int(rows[k].meeting, MEETING_START, 0) <
					d + DAY) {
			html_rawf(b, "<a class=\"cal-meeting\" "
				     "href=\"/reviews/%lld\">",
				  (long long)rows[k].review_id);
			html_txt(b, rows[k].review_title);
			html_raw(b, "</a>");
			k++;
		}
		html_raw(b, "</td>");
		wday++;
	}
	for (; wday < 7; wday++)
		html_raw(b, "<td class=\"out\"></td>");
	html_raw(b, "</tr></tbody></table></section>\n");
}

/* render_calendar writes the page; feed_url, when set, is the address of
 * a feed token just made (shown this once). */
static void render_calendar(struct request *req, struct response *res,
			    const char *feed_url)
{
	struct buf *b = &res->body;
	int64_t now = time_now();
	struct meeting_row *rows = NULL;
	struct viewer v;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	access_viewer(req, &v);
	buf_reset(b);
	page_begin(res, "Calendar", NAV_CALENDAR);
	html_raw(b, "<h1>Review meetings</h1>\n<p class=\"lede\">Hold each "
		    "review's meeting within two weeks of the incident (a week "
		    "is better), open to everyone curious. <a "
		    "href=\"/facilitators\">Facilitators</a></p>\n");
	overdue(req, b, now);
	html_raw(b, "<section class=\"card\" id=\"upcoming\"><h2>Upcoming"
		    "</h2>");
	if (store_meeting_list(req->app->store, req->arena, now, now + UPCOMING,
			       &v, 0, &rows, &n, &e) != E_OK || !n) {
		html_raw(b, "<p class=\"empty\">No meeting in the next three "
			    "months.</p>");
	} else {
		html_raw(b, "<ul class=\"meetings\">");
		for (size_t i = 0; i < n; i++)
			meeting_item(b, &rows[i]);
		html_raw(b, "</ul>");
	}
	html_raw(b, "</section>\n");
	wanted(b, rows, n);
	month_grid(req, b, now);
	html_raw(b, "<section class=\"card\" id=\"feed\"><h2>Subscribe</h2>"
		    "<p>Calendar apps cannot sign in, so the feed has its own "
		    "address with a token that reads what you may read. "
		    "Making a new one stops the old.</p>");
	if (feed_url) {
		html_raw(b, "<p class=\"feed-url\"><code>");
		html_txt(b, feed_url);
		html_raw(b, "</code></p><p class=\"muted\">Copy it now: it is "
			    "not shown again.</p>");
	}
	html_raw(b, "<form method=\"post\" action=\"/calendar/token\">");
	page_csrf_field(b);
	html_raw(b, "<button type=\"submit\" class=\"button\">Make my feed "
		    "address</button></form></section>\n");
	page_end(res);
}

void web_calendar_page(struct request *req, struct response *res)
{
	render_calendar(req, res, NULL);
	res_header(res, "Cache-Control", "private, no-store");
}

void web_calendar_token(struct request *req, struct response *res)
{
	char secret[AUTH_HEX], token[AUTH_HEX + 8], hash[AUTH_HEX];
	const char *user = session_current_user(req), *pub, *host, *url;
	struct err e;

	err_clear(&e);
	if (!user) {
		web_error_page(req, res, 403, "Sign in to make a feed.");
		res->status = 403;
		return;
	}
	auth_random_hex(secret);
	snprintf(token, sizeof token, FEED_TOKEN_PREFIX "%s", secret);
	auth_hash_secret(token, hash);
	if (store_feed_token_set(req->app->store, user, hash, time_now(),
				 &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	pub = req->app->cfg->public_url;
	host = req_header(req, "Host");
	url = pub[0] ? arena_printf(req->arena, "%s/calendar.ics?token=%s", pub,
				    token)
		     : arena_printf(req->arena,
				    "http://%s/calendar.ics?token=%s",
				    host ? host : "localhost", token);
	render_calendar(req, res, url);
	res_header(res, "Cache-Control", "private, no-store");
}

/* The overdue reviews the index's notice names (the others are counted,
 * up to 99, without reading their titles). */
#define NOTICE_NAMED 3

void page_overdue_notice(struct request *req, struct buf *b)
{
	struct overdue_row *rows = NULL;
	struct viewer v;
	int64_t now = time_now();
	long days = req->app->cfg->meeting_overdue_days;
	size_t n = 0;
	int more = 0;

	access_viewer(req, &v);
	if (store_overdue_first(req->app->store, req->arena, &v,
				now - days * DAY, now, 99, NOTICE_NAMED, &rows,
				&n, &more, NULL) != E_OK ||
	    !n)
		return;
	html_rawf(b, "<div class=\"notice notice-conflict overdue-notice\"><p>"
		     "%s%zu review%s waiting for a meeting more than %ld days "
		     "after the incident: ",
		  more ? "More than " : "", n,
		  n == 1 && !more ? " is" : "s are", days);
	for (size_t i = 0; i < n && i < NOTICE_NAMED; i++) {
		html_rawf(b, "%s<a href=\"/reviews/%lld\">", i ? ", " : "",
			  (long long)rows[i].id);
		html_txt(b, rows[i].title);
		html_rawf(b, "</a> (%lld days overdue)",
			  (long long)meeting_overdue_days(rows[i].resolved_at,
							 now, days));
	}
	html_raw(b, ". <a href=\"/calendar#overdue\">All on the calendar"
		    "</a></p></div>\n");
}
