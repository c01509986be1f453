/* meeting.c: the review meeting's pages: the card on the review page,
 * GET /reviews/{id}/meeting (the form that schedules, changes or cancels
 * it through the API, static/meeting.js) and GET
 * /reviews/{id}/meeting.ics, the invite people download and send from
 * their own calendar (or edit first). Nothing is ever mailed on save. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "http/access.h"
#include "integrations/ical.h"
#include "model/facilitator.h"
#include "model/meeting.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "web/meeting_site.h"
#include "web/page.h"
#include "web/web.h"

void meeting_site(struct request *req, struct ical_site *site, char *host,
		  size_t hostlen)
{
	ical_site_from_config(req->app->cfg, site, host, hostlen);
}

const char *meeting_review_url(struct request *req, int64_t review_id)
{
	return ical_review_url(req->arena, req->app->cfg,
			       req_header(req, "Host"), review_id);
}

void web_meeting_ics(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	struct review_doc doc;
	struct ical_site site = {0};
	struct ical_event ev = {0};
	const char *text;
	char host[256], disp[96];
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
	if (!doc.children[CHILD_MEETING].n) {
		web_error_page(req, res, 404, "This review has no meeting yet.");
		res->status = 404;
		return;
	}
	meeting_site(req, &site, host, sizeof host);
	ev.meeting = doc.children[CHILD_MEETING].items[0];
	ev.review_id = id;
	ev.review_title = record_str(doc.review, REVIEW_TITLE);
	ev.review_url = meeting_review_url(req, id);
	if (!(text = ical_invite(req->arena, &site, &ev, &e))) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(&res->body);
	buf_puts(&res->body, text);
	snprintf(disp, sizeof disp,
		 "attachment; filename=\"review-%lld-meeting.ics\"",
		 (long long)id);
	res->status = 200;
	res->content_type = "text/calendar; charset=utf-8";
	res_header(res, "Content-Disposition", disp);
	res_header(res, "Cache-Control", "private, no-store");
}

/* dd writes one <div><dt>label</dt><dd>text</dd></div> when text is set. */
static void dd(struct buf *b, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	html_raw(b, "<div><dt>");
	html_txt(b, label);
	html_raw(b, "</dt><dd>");
	html_txt(b, text);
	html_raw(b, "</dd></div>");
}

void page_meeting_card(struct buf *b, const struct review_doc *doc)
{
	const struct record_list *l = &doc->children[CHILD_MEETING];
	const struct record *m = l->n ? l->items[0] : NULL;
	long long id = (long long)doc->review->id;
	const char *video;
	double lag;

	html_raw(b, "<section class=\"card meeting-card\" id=\"meeting\">"
		    "<h2>Review meeting</h2>");
	if (!m) {
		html_raw(b, "<p class=\"muted\">No meeting yet. Hold it within "
			    "two weeks, open to everyone curious.</p>");
		html_rawf(b,
			  SLOT_EDITOR_BEGIN "<p><a class=\"button\" "
			  "href=\"/reviews/%lld/meeting\">Schedule the "
			  "meeting</a></p>" SLOT_EDITOR_END "</section>\n",
			  id);
		return;
	}
	html_raw(b, "<p>");
	page_badge(b, "meeting", record_str(m, MEETING_STATUS));
	html_raw(b, "</p><dl class=\"meta\"><div><dt>When</dt><dd>");
	html_time(b, record_int(m, MEETING_START, 0));
	html_rawf(b, " · %lld min", (long long)meeting_minutes(m));
	html_raw(b, "</dd></div>");
	lag = meeting_lag_days(m, record_int(doc->review, REVIEW_RESOLVED_AT, 0),
			       time_now());
	if (lag >= 0)
		html_rawf(b, "<div><dt>Met</dt><dd class=\"lag\">%.1f days "
			     "after resolution</dd></div>",
			  lag);
	dd(b, "Time zone", record_str(m, MEETING_TIMEZONE));
	dd(b, "Where", record_str(m, MEETING_LOCATION));
	if ((video = record_str(m, MEETING_VIDEO_URL)) &&
	    html_url_is_safe(video)) {
		html_raw(b, "<div><dt>Video</dt><dd><a href=\"");
		html_attr(b, video);
		html_raw(b, "\" rel=\"noopener\">Join</a></dd></div>");
	}
	dd(b, "Facilitator", record_str(m, MEETING_FACILITATOR));
	dd(b, "Note taker", record_str(m, MEETING_NOTE_TAKER));
	html_rawf(b,
		  "<div><dt>Invited</dt><dd>%zu</dd></div>"
		  "<div><dt>Attended</dt><dd>%zu</dd></div></dl>",
		  m->v[MEETING_INVITEES].nitems, m->v[MEETING_ATTENDED].nitems);
	html_rawf(b,
		  "<p class=\"actions\"><a class=\"button ghost\" "
		  "href=\"/reviews/%lld/meeting.ics\" download>Download "
		  "invite (.ics)</a> <a class=\"button ghost\" "
		  "href=\"/reviews/%lld/meeting/run\">Run of show</a> "
		  SLOT_EDITOR_BEGIN "<a class=\"button ghost\" "
		  "href=\"/reviews/%lld/meeting\">Change</a>" SLOT_EDITOR_END
		  "</p></section>\n",
		  id, id, id);
}

/* field writes one labelled input of the meeting form, with the place
 * meeting.js puts the field's error (p.field-error[data-for]). */
static void field(struct buf *b, const char *name, const char *label,
		  const char *type, const char *value, const char *help)
{
	html_rawf(b, "<div class=\"field\"><label for=\"m-%s\">", name);
	html_txt(b, label);
	html_raw(b, "</label>");
	if (!strcmp(type, "textarea")) {
		html_rawf(b, "<textarea id=\"m-%s\" name=\"%s\" rows=\"4\">",
			  name, name);
		html_txt(b, value ? value : "");
		html_raw(b, "</textarea>");
	} else {
		html_rawf(b, "<input id=\"m-%s\" name=\"%s\" type=\"%s\" "
			     "value=\"",
			  name, name, type);
		html_attr(b, value ? value : "");
		html_raw(b, "\">");
	}
	if (help) {
		html_raw(b, "<small class=\"help\">");
		html_txt(b, help);
		html_raw(b, "</small>");
	}
	html_rawf(b, "<p class=\"field-error\" data-for=\"%s\" hidden></p>"
		     "</div>\n",
		  name);
}

/* invitee_lines is the invitees one a line, for the textarea. */
static const char *invitee_lines(struct arena *a, const struct record *m)
{
	const struct value *v = m ? &m->v[MEETING_INVITEES] : NULL;
	struct buf t = BUF_INIT;
	const char *out;

	for (size_t k = 0; v && v->state == V_SET && k < v->nitems; k++) {
		buf_puts(&t, v->items[k]);
		buf_putc(&t, '\n');
	}
	out = t.oom ? "" : arena_strdup(a, buf_cstr(&t));
	buf_release(&t);
	return out;
}

/* suggestions lists the roster's suggestions for doc's meeting (model/
 * facilitator.h) as buttons meeting.js copies into the facilitator
 * field. */
static void suggestions(struct request *req, struct buf *b,
			const struct review_doc *doc)
{
	struct facilitator *all, *out;
	size_t n, k;

	if (store_facilitator_list(req->app->store, req->arena, time_now(),
				   &all, &n, NULL) != E_OK ||
	    !n || !(out = arena_alloc(req->arena, sizeof *out * n)))
		return;
	k = facilitator_suggest(all, n, doc, out);
	if (!k)
		return;
	html_raw(b, "<div class=\"field suggestions\"><span class=\"help\">"
		    "Suggested (not involved, least recent first):</span> ");
	for (size_t i = 0; i < k && i < 5; i++) {
		const char *name = record_str(out[i].rec, FAC_NAME);
		const char *contact = record_str(out[i].rec, FAC_CONTACT);
		const char *v = contact ? arena_printf(req->arena, "%s <%s>",
						       name, contact)
					: name;

		html_raw(b, "<button type=\"button\" class=\"button ghost "
			    "suggest\" data-value=\"");
		html_attr(b, v ? v : name);
		html_raw(b, "\">");
		html_txt(b, name);
		html_raw(b, "</button> ");
	}
	html_raw(b, "<a href=\"/facilitators\">The roster</a></div>\n");
}

void web_meeting_page(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	struct review_doc doc;
	struct record *m;
	struct buf *b = &res->body;
	char start[32] = "";
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
	m = doc.children[CHILD_MEETING].n ? doc.children[CHILD_MEETING].items[0]
					  : NULL;
	if (m) {
		char tb[TIME_BUF];

		time_format(record_int(m, MEETING_START, 0), tb);
		snprintf(start, sizeof start, "%.10s %.5s", tb, tb + 11);
	}
	buf_reset(b);
	page_begin(res, "Review meeting", NAV_NONE);
	html_rawf(b, "<p class=\"eyebrow\"><a href=\"/reviews/%lld\">",
		  (long long)id);
	html_txt(b, record_str(doc.review, REVIEW_TITLE));
	html_raw(b, "</a></p><h1>Review meeting</h1>\n"
		    "<p class=\"lede\">Hold it within two weeks (a week is "
		    "better), invite everyone curious, and pick a facilitator "
		    "who was not involved and a separate note taker. Nothing "
		    "is mailed: download the invite and send it from your own "
		    "calendar, or edit it first.</p>\n");
	if (m) {
		html_raw(b, "<p>");
		page_badge(b, "meeting", record_str(m, MEETING_STATUS));
		html_rawf(b,
			  " <a class=\"button ghost\" "
			  "href=\"/reviews/%lld/meeting.ics\" download>"
			  "Download invite (.ics)</a> <a class=\"button "
			  "ghost\" href=\"/reviews/%lld/meeting/run\">Run of "
			  "show</a></p>\n",
			  (long long)id, (long long)id);
	}
	html_rawf(b,
		  "<form class=\"meeting-form\" data-review=\"%lld\" "
		  "data-version=\"%lld\">\n"
		  "<noscript><p class=\"notice notice-conflict\">This form "
		  "saves with JavaScript; without it, use PUT "
		  "/api/v1/reviews/%lld/meeting (docs/api.md).</p></noscript>"
		  "<div class=\"notice notice-conflict meeting-warnings\" "
		  "hidden></div>\n"
		  "<div class=\"notice notice-error meeting-error\" "
		  "hidden></div>\n",
		  (long long)id, m ? (long long)m->version : 0LL,
		  (long long)id);
	field(b, "start", "Start (UTC)", "text", start,
	      "For example 2026-12-10 14:00; times here are UTC");
	html_rawf(b, "<div class=\"field\"><label for=\"m-duration_minutes\">"
		     "Length (minutes)</label><input id=\"m-duration_minutes\" "
		     "name=\"duration_minutes\" type=\"number\" min=\"1\" "
		     "max=\"%d\" value=\"%lld\"><small class=\"help\">An hour: "
		     "intro 5, timeline 35-40, questions 10, follow-ups "
		     "the rest</small><p class=\"field-error\" "
		     "data-for=\"duration_minutes\" hidden></p>"
		     "<p class=\"field-error\" data-for=\"end\" hidden></p>"
		     "</div>\n",
		  MEETING_MAX_MINUTES, m ? (long long)meeting_minutes(m) : 60LL);
	field(b, "timezone", "Time zone of the invite", "text",
	      m ? record_str(m, MEETING_TIMEZONE) : "UTC",
	      "An IANA name such as Europe/Paris or America/New_York");
	field(b, "location", "Location", "text",
	      m ? record_str(m, MEETING_LOCATION) : NULL, NULL);
	field(b, "video_url", "Video link", "url",
	      m ? record_str(m, MEETING_VIDEO_URL) : NULL, NULL);
	field(b, "facilitator", "Facilitator", "text",
	      m ? record_str(m, MEETING_FACILITATOR) : NULL,
	      "Someone who was not involved; \"Name <address>\" puts them "
	      "in the invite as organizer");
	suggestions(req, b, &doc);
	html_rawf(b, "<div class=\"field\"><label><input type=\"checkbox\" "
		     "name=\"facilitator_wanted\" value=\"true\"%s> Ask for a "
		     "facilitator</label><small class=\"help\">Listed on the "
		     "calendar page until someone takes it</small></div>\n",
		  m && record_int(m, MEETING_FACILITATOR_WANTED, 0) == 1
			  ? " checked"
			  : "");
	field(b, "note_taker", "Note taker", "text",
	      m ? record_str(m, MEETING_NOTE_TAKER) : NULL,
	      "Not the facilitator");
	field(b, "invitees", "Invitees", "textarea", invitee_lines(req->arena, m),
	      "One a line: names, addresses, \"Name <address>\" or mailing "
	      "lists");
	field(b, "agenda", "Agenda", "textarea",
	      m ? record_str(m, MEETING_AGENDA) : NULL, NULL);
	field(b, "notes_url", "Notes link", "url",
	      m ? record_str(m, MEETING_NOTES_URL) : NULL,
	      "Where the notes are kept, when not here");
	html_raw(b, "<div class=\"form-actions\">" SLOT_EDITOR_BEGIN
		    "<button type=\"submit\" class=\"button\">Save "
		    "meeting</button> ");
	if (m && strcmp(record_str(m, MEETING_STATUS), "cancelled"))
		html_raw(b, "<button type=\"button\" class=\"button ghost "
			    "meeting-cancel\">Cancel the meeting</button> ");
	/* mailing is never part of a save: its own button, for the meeting
	 * as this page shows it */
	if (m && req->app->cfg->smtp_url[0])
		html_raw(b, "<button type=\"button\" class=\"button ghost "
			    "meeting-send\">E-mail the invite as shown"
			    "</button> ");
	html_rawf(b, SLOT_EDITOR_END "<a href=\"/reviews/%lld\">Back to the "
		     "review</a></div>\n</form>\n<script src=\"",
		  (long long)id);
	html_attr(b, static_url("meeting.js"));
	html_raw(b, "\" defer></script>\n");
	page_end(res);
}
