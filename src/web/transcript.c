/* transcript.c: the chat of a review (/reviews/{id}/chat): the messages
 * of the incident window (one hour before the start to one hour after
 * the resolution unless the reader picks another), with a date line
 * wherever the day changes; an upload form for a Slack export or an IRC
 * log; and checkboxes with a button that turn the chosen messages into
 * timeline entries. Everything works without JavaScript. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "http/access.h"
#include "importers/chat_import.h"
#include "importers/slack_api.h"
#include "model/transcript.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "web/page.h"
#include "web/web.h"

#define CHAT_PAGE   500  /* messages per page */
#define CHAT_MARGIN 3600 /* the window around the incident, in seconds */

/* form_opt is chat_import_options' getter over the upload form. */
static const char *form_opt(void *req, const char *name)
{
	const char *v = req_form_get(req, name);

	return v && *v ? v : NULL;
}

/* time_arg reads a date or a time, in the reader's zone unless it names
 * its own (page_zone, util/tz.h); 0 when absent or bad (*bad set). */
static int64_t time_arg(struct request *req, const char *name, int upper,
			int *bad)
{
	const struct tz *zone = page_zone(req);
	const char *v = req_query(req, name);
	int64_t t;

	if (!v || !*v)
		return 0;
	if (strlen(v) == 10 && time_parse_date(v, &t) == 0)
		return tz_from_local(zone, upper ? t + 86400 - 1 : t);
	if (tz_parse(zone, v, &t) == 0)
		return t;
	*bad = 1;
	return 0;
}

/* window sets since and until from the query, else from the review's
 * times (started - 1 h to resolved, or mitigated, + 1 h); all=1 or a
 * review without times shows everything. */
static void window(struct request *req, const struct record *r,
		   struct transcript_filter *f, int *bad)
{
	const char *all = req_query(req, "all");
	int64_t end = record_isset(r, REVIEW_RESOLVED_AT)
			      ? record_int(r, REVIEW_RESOLVED_AT, 0)
			      : record_int(r, REVIEW_MITIGATED_AT, 0);

	f->since = time_arg(req, "since", 0, bad);
	f->until = time_arg(req, "until", 1, bad);
	if (f->since || f->until || (all && !strcmp(all, "1")))
		return;
	if (record_isset(r, REVIEW_STARTED_AT))
		f->since = record_int(r, REVIEW_STARTED_AT, 0) - CHAT_MARGIN;
	if (end)
		f->until = end + CHAT_MARGIN;
}

/* date_value writes t as the From and To fields take it: in zone. */
static void date_value(struct buf *b, int64_t t, const struct tz *zone)
{
	char s[TIME_BUF];

	if (!t)
		return;
	tz_format_input(zone, t, s);
	html_attr(b, s);
}

static void render_filters(struct buf *b, int64_t id, const struct tz *zone,
			   const struct transcript_filter *f,
			   const char **names, const int64_t *counts,
			   size_t nch)
{
	html_rawf(b,
		  "<form class=\"chat-filter\" method=\"get\" "
		  "action=\"/reviews/%lld/chat\"><label>Channel <select "
		  "name=\"channel\">",
		  (long long)id);
	html_option(b, "", "All channels", !f->channel);
	for (size_t i = 0; i < nch; i++) {
		char label[300];
		snprintf(label, sizeof label, "%.*s (%lld)",
			 (int)utf8_cut(names[i], 250), names[i],
			 (long long)counts[i]);
		html_option(b, names[i], label,
			    f->channel && !strcmp(f->channel, names[i]));
	}
	html_raw(b, "</select></label> <label>From <input name=\"since\" "
		    "size=\"20\" value=\"");
	date_value(b, f->since, zone);
	html_raw(b, "\"></label> <label>To <input name=\"until\" size=\"20\" "
		    "value=\"");
	date_value(b, f->until, zone);
	html_raw(b, "\"></label> <label>Words <input name=\"q\" value=\"");
	html_attr(b, f->q ? f->q : "");
	html_rawf(b,
		  "\"></label> <button type=\"submit\">Show</button> "
		  "<a href=\"/reviews/%lld/chat?all=1\">Whole chat</a></form>\n",
		  (long long)id);
}

static void render_upload(struct buf *b, int64_t id)
{
	html_raw(b, SLOT_EDITOR_BEGIN);
	html_rawf(b,
		  "<details class=\"chat-upload\"><summary>Import a chat "
		  "transcript</summary><form method=\"post\" "
		  "action=\"/reviews/%lld/chat\" "
		  "enctype=\"multipart/form-data\">",
		  (long long)id);
	page_csrf_field(b);
	html_raw(b,
		 "<p><label>File <input type=\"file\" name=\"file\" "
		 "required></label></p><p class=\"hint\">A Slack export "
		 "(the .zip), an IRC log (irssi, weechat, ZNC, "
		 "dircproxy, irclog2html), or a JSON Lines or CSV file with "
		 "time, author and text columns. Importing the same file again adds "
		 "nothing.</p><p><label>Format <select name=\"format\">"
		 "<option value=\"\">Detect</option><option "
		 "value=\"slack\">Slack export</option><option "
		 "value=\"irc\">IRC log</option><option value=\"jsonl\">JSON "
		 "Lines</option><option value=\"csv\">CSV</option></select>"
		 "</label> "
		 "<label>Channel <input name=\"channel\" size=\"16\"></label> "
		 "<label>Date of the first line <input name=\"date\" "
		 "placeholder=\"YYYY-MM-DD\" size=\"11\"></label> "
		 "<label>Time zone of the log <input name=\"tz\" "
		 "placeholder=\"UTC\" size=\"14\"></label></p>"
		 "<p><button type=\"submit\">Import</button></p></form>"
		 "</details>\n" SLOT_EDITOR_END);
}

/* render_slack writes the form that pulls a channel through Slack's Web
 * API with the configured token (never shown, never in the page); without
 * one, it says who can set it. Times in the reader's zone. */
static void render_slack(struct buf *b, int64_t id, const struct config *cfg,
			 const struct tz *zone)
{
	html_raw(b, SLOT_EDITOR_BEGIN);
	html_raw(b, "<details class=\"chat-upload chat-slack\"><summary>Import "
		    "a Slack channel</summary>");
	if (!cfg->slack_token[0]) {
		html_raw(b, "<p class=\"hint\">An administrator can allow this "
			    "by setting <code>slack_token</code> (a Slack "
			    "app's token) in the configuration.</p></details>\n"
			    SLOT_EDITOR_END);
		return;
	}
	html_rawf(b,
		  "<form method=\"post\" action=\"/reviews/%lld/chat/slack\">",
		  (long long)id);
	page_csrf_field(b);
	html_raw(b, "<p class=\"hint\">Reads the channel's messages (threads "
		    "too) through Slack's Web API with the token the "
		    "administrator configured. Importing again adds only what "
		    "is new.</p><p><label>Channel id <input name=\"channel\" "
		    "required pattern=\"[A-Z0-9]{1,64}\" placeholder=\"C0123ABC\" "
		    "size=\"14\"></label> <label>From <input name=\"since\" "
		    "placeholder=\"YYYY-MM-DD or time\" size=\"20\"></label> "
		    "<label>To <input name=\"until\" placeholder=\"YYYY-MM-DD "
		    "or time\" size=\"20\"></label> <span class=\"hint\">");
	html_txt(b, tz_name(zone));
	html_raw(b, "</span></p><p><button type=\"submit\">Import from "
		    "Slack</button></p></form></details>\n" SLOT_EDITOR_END);
}

/* parent_on_page tells whether reply m's thread parent is among l's
 * items (same channel, ts equal to m's thread_ts). */
static int parent_on_page(const struct record_list *l, const struct record *m)
{
	const char *th = record_str(m, TR_THREAD_TS);
	const char *ch = record_str(m, TR_CHANNEL);

	for (size_t i = 0; th && i < l->n; i++)
		if (!strcmp(record_str(l->items[i], TR_TS), th) &&
		    !strcmp(record_str(l->items[i], TR_CHANNEL), ch))
			return 1;
	return 0;
}

/* render_row writes one message's row, with a date line before it when
 * its day in zone differs from prev's (updated). */
static void render_row(struct buf *b, const struct record *m,
		       const struct tz *zone, char prev[TIME_BUF])
{
	char day[TIME_BUF];
	int64_t at = record_int(m, TR_AT, 0);
	const char *kind = record_str(m, TR_KIND), *text = record_str(m, TR_TEXT);
	int other = kind && !strcmp(kind, "other");
	int reply = record_isset(m, TR_THREAD_TS);

	time_format_date(at + tz_offset(zone, at, NULL), day);
	if (strcmp(day, prev)) {
		html_raw(b, "<tr class=\"day\"><th colspan=\"5\" "
			    "scope=\"rowgroup\">");
		html_txt(b, day);
		html_raw(b, "</th></tr>\n");
		memcpy(prev, day, TIME_BUF);
	}
	html_rawf(b,
		  "<tr id=\"m%lld\"%s><td><input type=\"checkbox\" "
		  "name=\"m\" value=\"%lld\" aria-label=\"Choose "
		  "message %lld\"></td><td class=\"when\">",
		  (long long)m->id,
		  other   ? " class=\"other\""
		  : reply ? " class=\"reply\""
			  : "",
		  (long long)m->id, (long long)m->id);
	html_time(b, at);
	html_raw(b, "</td><td>");
	html_txt(b, record_str(m, TR_CHANNEL));
	html_raw(b, "</td><td>");
	html_txt(b, record_str(m, TR_AUTHOR));
	html_raw(b, "</td><td class=\"what\">");
	if (reply)
		html_raw(b, "<span class=\"badge\" title=\"A reply in a "
			    "thread\">reply</span> ");
	html_txt(b, text ? text : "");
	if (record_int(m, TR_EDITED, 0) == 1)
		html_raw(b, " <span class=\"badge\">edited</span>");
	html_raw(b, "</td></tr>\n");
}

/* render_messages writes the list inside the promote form: in time
 * order, except that the replies of a thread whose first message is on
 * the page follow it, in their own order. */
static void render_messages(struct buf *b, int64_t id, const struct tz *zone,
			    const struct record_list *l)
{
	char prev[TIME_BUF] = "";
	char *under = calloc(l->n ? l->n : 1, 1); /* 1: shown under parent */

	html_rawf(b,
		  "<form method=\"post\" action=\"/reviews/%lld/chat/promote\">",
		  (long long)id);
	page_csrf_field(b);
	html_raw(b, SLOT_EDITOR_BEGIN
		 "<p class=\"actions\"><button type=\"submit\" "
		 "name=\"promote\" value=\"1\">Add the chosen messages to the "
		 "timeline</button> <span class=\"hint\">Keys: j and k "
		 "move, x ticks, p adds</span></p>" SLOT_EDITOR_END
		 "<table class=\"chat\"><thead><tr><th scope=\"col\">"
		 "<span class=\"sr-only\">Choose</span></th>"
		 "<th scope=\"col\">Time</th><th scope=\"col\">Channel</th>"
		 "<th scope=\"col\">Who</th><th scope=\"col\">Message</th>"
		 "</tr></thead><tbody>\n");
	for (size_t i = 0; under && i < l->n; i++)
		under[i] = record_isset(l->items[i], TR_THREAD_TS) &&
			   parent_on_page(l, l->items[i]);
	for (size_t i = 0; i < l->n; i++) {
		const struct record *m = l->items[i];
		const char *ts = record_str(m, TR_TS);
		const char *ch = record_str(m, TR_CHANNEL);

		if (under && under[i])
			continue;
		render_row(b, m, zone, prev);
		for (size_t k = i + 1; under && k < l->n; k++) {
			const struct record *r = l->items[k];
			if (under[k] &&
			    !strcmp(record_str(r, TR_THREAD_TS), ts) &&
			    !strcmp(record_str(r, TR_CHANNEL), ch))
				render_row(b, r, zone, prev);
		}
	}
	free(under);
	html_raw(b, "</tbody></table>");
	if (l->n > 8)
		html_raw(b, SLOT_EDITOR_BEGIN
			 "<p class=\"actions\"><button type=\"submit\" "
			 "name=\"promote\" value=\"1\">Add the chosen "
			 "messages to the timeline</button></p>" SLOT_EDITOR_END);
	html_raw(b, "</form>\n");
}

static void page_link(struct buf *b, int64_t id,
		      const struct transcript_filter *f, int offset,
		      const char *label)
{
	char t[TIME_BUF];

	html_rawf(b, "<a href=\"/reviews/%lld/chat?offset=%d", (long long)id,
		  offset);
	if (f->channel) {
		html_raw(b, "&amp;channel=");
		html_url_arg(b, f->channel);
	}
	if (f->q) {
		html_raw(b, "&amp;q=");
		html_url_arg(b, f->q);
	}
	if (f->since) {
		time_format(f->since, t);
		html_raw(b, "&amp;since=");
		html_url_arg(b, t);
	}
	if (f->until) {
		time_format(f->until, t);
		html_raw(b, "&amp;until=");
		html_url_arg(b, t);
	}
	if (!f->since && !f->until)
		html_raw(b, "&amp;all=1");
	html_raw(b, "\">");
	html_txt(b, label);
	html_raw(b, "</a> ");
}

void web_transcript_page(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), total = 0, *counts;
	struct transcript_filter f = {0};
	struct review_doc doc;
	struct record_list l;
	struct viewer v;
	const char **names, *off = req_query(req, "offset");
	size_t nch;
	int bad = 0;
	struct buf *b = &res->body;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	window(req, doc.review, &f, &bad);
	f.channel = req_query(req, "channel");
	if (f.channel && !*f.channel)
		f.channel = NULL;
	f.q = req_query(req, "q");
	if (f.q && !*f.q)
		f.q = NULL;
	if (bad || (f.q && review_search_check(f.q, &e) != E_OK)) {
		web_error_page(req, res, 400,
			       bad ? "From and To must be dates (2026-11-20) "
				     "or times (2026-11-20T14:05:00Z)"
				   : e.message);
		return;
	}
	f.limit = CHAT_PAGE;
	f.offset = off ? atoi(off) : 0;
	if (f.offset < 0)
		f.offset = 0;
	access_viewer(req, &v);
	f.viewer = &v;
	if (store_transcript_list(req->app->store, req->arena, id, &f, &l,
				  &total, &e) != E_OK ||
	    store_transcript_channels(req->app->store, req->arena, id, &names,
				      &counts, &nch, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(b);
	page_begin(res, record_str(doc.review, REVIEW_TITLE), NAV_REVIEWS);
	html_rawf(b, "<article class=\"chat-page\"><p class=\"crumbs\"><a "
		     "href=\"/reviews/%lld\">",
		  (long long)id);
	html_txt(b, record_str(doc.review, REVIEW_TITLE));
	html_raw(b, "</a></p><h1>Chat</h1>\n");
	render_upload(b, id);
	render_slack(b, id, req->app->cfg, page_zone(req));
	if (!nch) {
		html_raw(b, "<p class=\"empty\">No chat imported yet.</p>"
			    "</article>\n");
		page_end(res);
		return;
	}
	render_filters(b, id, page_zone(req), &f, names, counts, nch);
	html_rawf(b, "<p class=\"count\">%lld message%s", (long long)total,
		  total == 1 ? "" : "s");
	if (f.since || f.until)
		html_raw(b, " in this window");
	html_raw(b, "</p>\n");
	if (l.n)
		render_messages(b, id, page_zone(req), &l);
	else
		html_raw(b, "<p class=\"empty\">No message here: widen the "
			    "window or choose another channel.</p>");
	if (f.offset > 0 || f.offset + (int64_t)l.n < total) {
		html_raw(b, "<p class=\"pages\">");
		if (f.offset > 0)
			page_link(b, id, &f,
				  f.offset > CHAT_PAGE ? f.offset - CHAT_PAGE
						       : 0,
				  "Earlier");
		if (f.offset + (int64_t)l.n < total)
			page_link(b, id, &f, f.offset + CHAT_PAGE, "Later");
		html_raw(b, "</p>");
	}
	html_raw(b, "</article>\n");
	page_end(res);
}

void web_transcript_upload(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), version;
	const struct req_file *file = req_file_get(req, "file");
	struct chat_import_opts o;
	struct chat_import_result r;
	char loc[96];
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	if (!file || !file->len) {
		web_error_page(req, res, 400,
			       "Choose a file to import: a Slack export (.zip) "
			       "or an IRC log.");
		return;
	}
	if (chat_import_options(form_opt, req, req->app->cfg->chat_max_entry,
				&o, &e) != E_OK ||
	    chat_import_bytes(req->app->store, id, page_actor(req),
			      *file->filename ? file->filename : "upload",
			      file->data, file->len, &o, &r, &e) != E_OK) {
		web_error_page(req, res, e.code == E_TOO_LARGE ? 413 : 422,
			       e.message);
		return;
	}
	snprintf(loc, sizeof loc, "/reviews/%lld/chat?all=1&added=%lld",
		 (long long)id, (long long)r.counts.added);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

void web_transcript_promote(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), version, *ids;
	struct kv *form;
	size_t nform = req_form_all(req, &form), n = 0;
	char loc[96], *prefix;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	ids = arena_alloc(req->arena, sizeof *ids * (nform ? nform : 1));
	prefix = arena_printf(req->arena, "/reviews/%lld/chat#m", (long long)id);
	if (!ids || !prefix) {
		web_error_page(req, res, 500, "out of memory");
		return;
	}
	for (size_t i = 0; i < nform; i++) {
		char *end;
		long long m;

		if (strcmp(form[i].key, "m"))
			continue;
		m = strtoll(form[i].value, &end, 10);
		if (*end || m <= 0) {
			web_error_page(req, res, 400,
				       "A chosen message is not a message id.");
			return;
		}
		ids[n++] = m;
	}
	if (!n) {
		web_error_page(req, res, 400,
			       "Choose at least one message (tick its box) "
			       "to add it to the timeline.");
		return;
	}
	if (store_transcript_promote(req->app->store, req->arena,
				     page_actor(req), id, 0, ids, n, prefix,
				     NULL, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	snprintf(loc, sizeof loc, "/reviews/%lld#timeline", (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

/* form_time reads form field name as a date (the whole day: its start,
 * or its end when upper) or a time, in the reader's zone unless it names
 * its own; *t = 0 when empty. -1 when it is neither. */
static int form_time(struct request *req, const char *name, int upper,
		     int64_t *t)
{
	const struct tz *zone = page_zone(req);
	const char *v = req_form_get(req, name);

	*t = 0;
	if (!v || !*v)
		return 0;
	if (strlen(v) == 10 && time_parse_date(v, t) == 0) {
		*t = tz_from_local(zone, upper ? *t + 86400 - 1 : *t);
		return 0;
	}
	return tz_parse(zone, v, t) == 0 ? 0 : -1;
}

/* slack_refused answers a Slack import that imported nothing: why, and
 * the channel and dates typed (web_form_refused). */
static void slack_refused(struct request *req, struct response *res,
			  int status, const char *why)
{
	web_form_refused(req, res, status, "Nothing was imported", why);
}

void web_transcript_slack(struct request *req, struct response *res)
{
	const struct config *cfg = req->app->cfg;
	int64_t id = req_param_id(req, 0), version;
	const char *channel = req_form_get(req, "channel");
	struct slack_api_opts api = {0};
	struct chat_import_result r;
	char loc[96];
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK) {
		slack_refused(req, res, err_http_status(e.code),
			      page_fail_reason(req, &e));
		return;
	}
	if (!cfg->slack_token[0]) {
		slack_refused(req, res, 409,
			       "No Slack token is configured: an administrator "
			       "sets slack_token in the configuration.");
		return;
	}
	if (!chat_slack_channel_valid(channel)) {
		slack_refused(req, res, 400,
			       "Channel: give the channel's id, such as "
			       "C0123ABC (capital letters and digits).");
		return;
	}
	if (form_time(req, "since", 0, &api.oldest) < 0 ||
	    form_time(req, "until", 1, &api.latest) < 0) {
		slack_refused(req, res, 400,
			       "From and To must be dates (2026-11-20) or "
			       "times (2026-11-20T14:05:00Z)");
		return;
	}
	if (api.oldest && api.latest && api.latest < api.oldest) {
		slack_refused(req, res, 400, "To is before From.");
		return;
	}
	api.base_url = cfg->slack_api_url;
	api.token = cfg->slack_token;
	api.channel = channel;
	api.sleep_fn = sleep;
	if (chat_import_slack_api(req->app->store, id, page_actor(req), &api,
				  &r, &e) != E_OK) {
		/* Slack's answer (its error's name), never the token; the
		 * database away or a failure of ours said as such */
		if (e.code == E_IO)
			slack_refused(req, res, 502, e.message);
		else if (err_http_status(e.code) >= 500)
			slack_refused(req, res, err_http_status(e.code),
				      page_fail_reason(req, &e));
		else
			slack_refused(req, res, 422, e.message);
		return;
	}
	snprintf(loc, sizeof loc, "/reviews/%lld/chat?all=1&added=%lld",
		 (long long)id, (long long)r.counts.added);
	buf_reset(&res->body);
	res_redirect(res, loc);
}
