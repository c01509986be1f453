/* followups.c: GET /followups, the open follow-ups of every review the
 * asker sees, or only the lingering ones (?lingering=1): past due, or no
 * ticket activity for linger_days. With counts by owner and by team
 * (each a filter), each row's review, age, ticket and why it lingers. Not
 * cached: lingering moves with the clock. Also the index's note of how
 * many linger (web_lingering_note), a count reused for a minute. */
#include "web/web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "http/cache.h"
#include "model/review.h"
#include "model/ticket.h"
#include "store/store.h"
#include "util/metrics.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "web/html.h"
#include "web/page.h"

#define DAY	 86400
#define PAGE_MAX 500

/* filter_link writes an href to /followups with these arguments. */
static void filter_link(struct buf *b, int lingering, const char *owner,
			const char *team)
{
	html_raw(b, "<a href=\"/followups?lingering=");
	html_raw(b, lingering ? "1" : "0");
	if (owner) {
		html_raw(b, "&amp;owner=");
		html_url_arg(b, owner);
	}
	if (team) {
		html_raw(b, "&amp;team=");
		html_url_arg(b, team);
	}
	html_raw(b, "\">");
}

/* A name and how many follow-ups it has. */
struct tally {
	const char *name;
	int n;
};

static void tally_add(struct tally *t, size_t *n, size_t cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if ((!name && !t[i].name) ||
		    (name && t[i].name && !strcmp(name, t[i].name))) {
			t[i].n++;
			return;
		}
	if (*n < cap)
		t[(*n)++] = (struct tally){name, 1};
}

static void render_tally(struct buf *b, const char *label, int lingering,
			 int by_team, const struct tally *t, size_t n)
{
	if (!n)
		return;
	html_rawf(b, "<ul class=\"stat-group\" aria-label=\"%s\">", label);
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<li>");
		if (t[i].name)
			filter_link(b, lingering, by_team ? NULL : t[i].name,
				    by_team ? t[i].name : NULL);
		html_rawf(b, "<strong>%d</strong> ", t[i].n);
		html_txt(b, t[i].name ? t[i].name
			    : by_team ? "no team"
				      : "no owner");
		html_raw(b, t[i].name ? "</a></li>" : "</li>");
	}
	html_raw(b, "</ul>");
}

void web_followups_page(struct request *req, struct response *res)
{
	const struct config *cfg = req->app->cfg;
	struct followup_filter f = {0};
	struct followup_row *rows;
	struct tally owners[64], teams[64];
	size_t n, nown = 0, nteam = 0;
	const char *l = req_query(req, "lingering");
	struct buf *b = &res->body;
	struct viewer v;
	int64_t total;
	struct err e;

	err_clear(&e);
	access_viewer(req, &v);
	f.viewer = &v;
	f.lingering = l && (!strcmp(l, "1") || !strcmp(l, "true"));
	f.owner = req_query(req, "owner");
	f.team = req_query(req, "team");
	/* a filter that cannot match anything stored is no filter */
	if (f.owner && (!*f.owner || strlen(f.owner) > 200 ||
			!utf8_valid(f.owner, strlen(f.owner), NULL)))
		f.owner = NULL;
	if (f.team && (!*f.team || strlen(f.team) > 200 ||
		       !utf8_valid(f.team, strlen(f.team), NULL)))
		f.team = NULL;
	f.now = time_now();
	f.linger_seconds = cfg->linger_days * DAY;
	f.limit = PAGE_MAX;
	if (store_followup_list(req->app->store, req->arena, &f, &rows, &n,
				&total, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tally_add(owners, &nown, 64,
			  record_str(rows[i].followup, FU_OWNER));
		tally_add(teams, &nteam, 64, rows[i].team);
	}
	page_begin(res, f.lingering ? "Lingering follow-ups" : "Follow-ups",
		   NAV_FOLLOWUPS);
	html_rawf(b, "<div class=\"page-head\"><h1>%s</h1></div>\n",
		  f.lingering ? "Lingering follow-ups" : "Open follow-ups");
	html_rawf(b,
		  "<p class=\"lead\">Follow-ups not done, across every "
		  "review you can see. One lingers when it is past due, or "
		  "when its ticket has not moved in %ld days (or it has no "
		  "ticket and has not changed in that long).</p>\n",
		  cfg->linger_days);
	html_rawf(b,
		  "<nav class=\"tabs\" aria-label=\"Which follow-ups\"><ul>"
		  "<li><a href=\"/followups?lingering=1\"%s>Lingering</a></li>"
		  "<li><a href=\"/followups?lingering=0\"%s>All open</a></li>"
		  "</ul></nav>\n",
		  f.lingering ? " aria-current=\"page\"" : "",
		  f.lingering ? "" : " aria-current=\"page\"");
	if (f.owner || f.team) {
		html_raw(b, "<p>Showing ");
		html_txt(b, f.owner ? "owner " : "team ");
		html_txt(b, f.owner ? f.owner : f.team);
		html_raw(b, " · ");
		filter_link(b, f.lingering, NULL, NULL);
		html_raw(b, "show everyone's</a></p>\n");
	}
	html_rawf(b,
		  "<section class=\"stats\" aria-label=\"Counts\"><div "
		  "class=\"stat\"><strong>%lld</strong> <span>%s</span></div>"
		  "<div class=\"stat-groups\">",
		  (long long)total, f.lingering ? "lingering" : "open");
	render_tally(b, "By owner", f.lingering, 0, owners, nown);
	render_tally(b, "By team", f.lingering, 1, teams, nteam);
	html_raw(b, "</div></section>\n");
	if (!n) {
		html_raw(b,
			 f.lingering
				 ? "<p class=\"empty\">Nothing lingers.</p>\n"
				 : "<p class=\"empty\">No open "
				   "follow-ups.</p>\n");
		page_end(res);
		return;
	}
	html_raw(b,
		 "<table class=\"followups\"><thead><tr>"
		 "<th scope=\"col\">Follow-up</th><th scope=\"col\">Owner"
		 "</th><th scope=\"col\">Team</th><th scope=\"col\">Age"
		 "</th><th scope=\"col\">Due</th><th scope=\"col\">Ticket"
		 "</th><th scope=\"col\">Lingers</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct followup_row *r = &rows[i];

		html_raw(b, "<tr><td class=\"what\"><strong>");
		html_txt(b, record_str(r->followup, FU_TITLE));
		html_rawf(b,
			  "</strong><br><a href=\"/reviews/%lld#followups\">",
			  (long long)r->review_id);
		html_txt(b, r->review_title);
		html_raw(b, "</a></td><td data-label=\"Owner\">");
		html_txt(b, record_str(r->followup, FU_OWNER));
		html_raw(b, "</td><td data-label=\"Team\">");
		html_txt(b, r->team);
		html_rawf(b,
			  "</td><td data-label=\"Age\">%lld days</td>"
			  "<td data-label=\"Due\" class=\"when\">",
			  (long long)((f.now - r->followup->created_at) / DAY));
		html_txt(b, record_str(r->followup, FU_DUE));
		html_raw(b, "</td><td data-label=\"Ticket\">");
		if (r->ticket)
			web_ticket_show(b, r->followup, r->ticket);
		html_raw(b, "</td><td data-label=\"Lingers\" "
			    "class=\"lingering-why\">");
		if (r->past_due)
			html_raw(b, "past due");
		if (r->stale)
			html_rawf(
				b, "%s%s for %lld days",
				r->past_due ? "; " : "",
				r->ticket ? "no ticket activity" : "no ticket",
				(long long)((f.now - r->last_activity) / DAY));
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
	if (total > (int64_t)n)
		html_rawf(b,
			  "<p>The first %zu of %lld are shown; filter by "
			  "owner or team for the rest.</p>\n",
			  n, (long long)total);
	page_end(res);
}

/* How long the index's count of lingering follow-ups is reused: it costs a
 * pass over the open follow-ups, and the index is rendered again after
 * every write. */
#define LINGER_COUNT_SECONDS 60

/* lingering_count counts what lingers for the asker, from the cache while
 * the minute lasts (keyed by what the asker may see). -1 on failure. */
static int64_t lingering_count(struct request *req)
{
	struct page_cache *cache = req->app->cache;
	const char *who = access_cache_key(req);
	int64_t bucket = time_now() / LINGER_COUNT_SECONDS, total = 0;
	struct followup_filter f = {0};
	struct followup_row *rows;
	struct buf got = BUF_INIT;
	struct viewer v;
	const char *key;
	char text[32];
	size_t n;
	int len;

	/* the whole of who: a key cut short would be shared by people who
	 * see different reviews */
	key = who ? arena_printf(req->arena, "count:lingering:%s", who) : NULL;
	if (key && page_cache_get(cache, key, bucket, &got)) {
		metrics_count(METRIC_COUNT_CACHE_HIT);
		total = strtoll(buf_cstr(&got), NULL, 10);
		buf_release(&got);
		return total;
	}
	buf_release(&got);
	if (key)
		metrics_count(METRIC_COUNT_CACHE_MISS);
	access_viewer(req, &v);
	f.viewer = &v;
	f.lingering = 1;
	f.now = time_now();
	f.linger_seconds = req->app->cfg->linger_days * DAY;
	f.count_only = 1;
	if (store_followup_list(req->app->store, req->arena, &f, &rows, &n,
				&total, NULL) != E_OK)
		return -1;
	len = snprintf(text, sizeof text, "%lld", (long long)total);
	if (key)
		page_cache_put(cache, key, bucket, text, (size_t)len);
	return total;
}

void web_lingering_note(struct request *req, struct buf *b)
{
	int64_t total = lingering_count(req);

	if (total <= 0)
		return;
	html_rawf(b,
		  "<p class=\"lingering-note\"><a "
		  "href=\"/followups?lingering=1\"><strong>%lld</strong> "
		  "follow-up%s lingering</a>: past due, or no ticket "
		  "activity in %ld days.</p>\n",
		  (long long)total, total == 1 ? "" : "s",
		  req->app->cfg->linger_days);
}
