/* meeting.c: the review meeting's pages: the card on the review page,
 * GET /reviews/{id}/meeting (the form that schedules, changes or cancels
 * it: through the API with static/meeting.js, or posted to POST
 * /reviews/{id}/meeting without JavaScript) and GET
 * /reviews/{id}/meeting.ics, the invite people download and send from
 * their own calendar (or edit first). Nothing is ever mailed on save. */
#include <stdio.h>
#include <stdlib.h>
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
		/* before a launch there is no incident to meet after */
		if (review_kind_is_launch(record_str(doc->review, REVIEW_KIND)))
			html_raw(b, "<p class=\"muted\">No meeting yet. Hold it "
				    "once the proposal has circulated, open to "
				    "everyone curious.</p>");
		else
			html_raw(b, "<p class=\"muted\">No meeting yet. Hold it "
				    "within two weeks, open to everyone "
				    "curious.</p>");
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
 * meeting.js puts the field's error (p.field-error[data-for]); err, when
 * it names this field, is shown there now (a refused post). */
static void field(struct buf *b, const char *name, const char *label,
		  const char *type, const char *value, const char *help,
		  const struct err *err)
{
	int mine = err && !strcmp(err->field, name);

	html_rawf(b, "<div class=\"field%s\"><label for=\"m-%s\">",
		  mine ? " has-error" : "", name);
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
	html_rawf(b, "<p class=\"field-error\" data-for=\"%s\"%s>", name,
		  mine ? "" : " hidden");
	if (mine)
		html_txt(b, err->message);
	html_raw(b, "</p></div>\n");
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
	struct viewer v;
	size_t n, k;

	access_viewer(req, &v);
	if (store_facilitator_list(req->app->store, req->arena, time_now(),
				   &v, &all, &n, NULL) != E_OK ||
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

/* shown is what a form field shows: what was typed (a refused post),
 * else stored (may be NULL). */
static const char *shown(struct request *req, int typed, const char *name,
			 const char *stored)
{
	return typed ? req_form_get(req, name) : stored;
}

/* render_form writes the meeting page for doc (m: its meeting, NULL when
 * none). typed: the fields show what the refused post held, err says
 * why next to its field, and the answer gets err's status. */
static void render_form(struct request *req, struct response *res,
			const struct review_doc *doc, const struct record *m,
			int typed, const struct err *err)
{
	int64_t id = doc->review->id;
	struct buf *b = &res->body;
	char start[32] = "", minutes[24] = "60";
	int wanted = m && record_int(m, MEETING_FACILITATOR_WANTED, 0) == 1;

	if (m) {
		char tb[TIME_BUF];

		time_format(record_int(m, MEETING_START, 0), tb);
		snprintf(start, sizeof start, "%.10s %.5s", tb, tb + 11);
		snprintf(minutes, sizeof minutes, "%lld",
			 (long long)meeting_minutes(m));
	}
	if (typed)
		wanted = req_form_get(req, "facilitator_wanted") != NULL;
	buf_reset(b);
	page_begin(res, "Review meeting", NAV_NONE);
	html_rawf(b, "<p class=\"eyebrow\"><a href=\"/reviews/%lld\">",
		  (long long)id);
	html_txt(b, record_str(doc->review, REVIEW_TITLE));
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
	if (!typed && req_query(req, "saved"))
		html_raw(b, "<p class=\"notice meeting-saved\">Saved.</p>\n");
	html_rawf(b,
		  "<form class=\"meeting-form\" method=\"post\" "
		  "action=\"/reviews/%lld/meeting\" data-review=\"%lld\" "
		  "data-version=\"%lld\">\n",
		  (long long)id, (long long)id, m ? (long long)m->version : 0LL);
	page_csrf_field(b);
	html_rawf(b, "<input type=\"hidden\" name=\"version\" "
		     "value=\"%lld\">",
		  m ? (long long)m->version : 0LL);
	html_rawf(b, "<div class=\"notice notice-conflict meeting-warnings\" "
		     "hidden></div>\n<div class=\"notice notice-error "
		     "meeting-error\"%s>",
		  err ? "" : " hidden");
	if (err)
		html_txt(b, err->message);
	html_raw(b, "</div>\n");
	field(b, "start", "Start (UTC)", "text",
	      shown(req, typed, "start", start),
	      "For example 2026-12-10 14:00; times here are UTC", err);
	field(b, "duration_minutes", "Length (minutes)", "number",
	      shown(req, typed, "duration_minutes", minutes),
	      "An hour: intro 5, timeline 35-40, questions 10, follow-ups "
	      "the rest",
	      err);
	html_rawf(b, "<p class=\"field-error\" data-for=\"end\"%s>",
		  err && !strcmp(err->field, "end") ? "" : " hidden");
	if (err && !strcmp(err->field, "end"))
		html_txt(b, err->message);
	html_raw(b, "</p>\n");
	field(b, "timezone", "Time zone of the invite", "text",
	      shown(req, typed, "timezone",
		    m ? record_str(m, MEETING_TIMEZONE) : "UTC"),
	      "An IANA name such as Europe/Paris or America/New_York", err);
	field(b, "location", "Location", "text",
	      shown(req, typed, "location",
		    m ? record_str(m, MEETING_LOCATION) : NULL),
	      NULL, err);
	field(b, "video_url", "Video link", "url",
	      shown(req, typed, "video_url",
		    m ? record_str(m, MEETING_VIDEO_URL) : NULL),
	      NULL, err);
	field(b, "facilitator", "Facilitator", "text",
	      shown(req, typed, "facilitator",
		    m ? record_str(m, MEETING_FACILITATOR) : NULL),
	      "Someone who was not involved; \"Name <address>\" puts them "
	      "in the invite as organizer",
	      err);
	suggestions(req, b, doc);
	html_rawf(b, "<div class=\"field\"><label><input type=\"checkbox\" "
		     "name=\"facilitator_wanted\" value=\"true\"%s> Ask for a "
		     "facilitator</label><small class=\"help\">Listed on the "
		     "calendar page until someone takes it</small></div>\n",
		  wanted ? " checked" : "");
	field(b, "note_taker", "Note taker", "text",
	      shown(req, typed, "note_taker",
		    m ? record_str(m, MEETING_NOTE_TAKER) : NULL),
	      "Not the facilitator", err);
	field(b, "invitees", "Invitees", "textarea",
	      shown(req, typed, "invitees", invitee_lines(req->arena, m)),
	      "One a line: names, addresses, \"Name <address>\" or mailing "
	      "lists",
	      err);
	field(b, "agenda", "Agenda", "textarea",
	      shown(req, typed, "agenda",
		    m ? record_str(m, MEETING_AGENDA) : NULL),
	      NULL, err);
	field(b, "notes_url", "Notes link", "url",
	      shown(req, typed, "notes_url",
		    m ? record_str(m, MEETING_NOTES_URL) : NULL),
	      "Where the notes are kept, when not here", err);
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
	if (err)
		res->status = err_http_status(err->code);
}

void web_meeting_page(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	struct review_doc doc;
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
	render_form(req, res, &doc,
		    doc.children[CHILD_MEETING].n
			    ? doc.children[CHILD_MEETING].items[0]
			    : NULL,
		    0, NULL);
}

/* form_meeting reads the posted form into a meeting record of what was
 * given: an empty field is left out (cleared by meeting_replace), the
 * invitees one a line, the length into end. */
static enum err_code form_meeting(struct request *req, struct record **out,
				  struct err *e)
{
	static const struct {
		const char *name;
		int f;
	} texts[] = {
		{"start", MEETING_START},	 {"timezone", MEETING_TIMEZONE},
		{"location", MEETING_LOCATION},	 {"video_url", MEETING_VIDEO_URL},
		{"facilitator", MEETING_FACILITATOR},
		{"note_taker", MEETING_NOTE_TAKER},
		{"agenda", MEETING_AGENDA},	 {"notes_url", MEETING_NOTES_URL},
	};
	struct record *r = record_new(req->arena, &meeting_def);
	const char *inv = req_form_get(req, "invitees");
	const char *dur = req_form_get(req, "duration_minutes");
	char *list, *end;
	long n;

	if (!r)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		const char *v = req_form_get(req, texts[k].name);

		if (v && *v &&
		    record_parse_value(req->arena, r, texts[k].f, v, e) != E_OK)
			return e->code;
	}
	if (inv && *inv) {
		if (!(list = arena_strdup(req->arena, inv)))
			return err_set(e, E_NOMEM, NULL, "out of memory");
		for (char *p = list; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ',';
		if (record_parse_value(req->arena, r, MEETING_INVITEES, list,
				       e) != E_OK)
			return e->code;
	}
	record_set_int(r, MEETING_FACILITATOR_WANTED,
		       req_form_get(req, "facilitator_wanted") != NULL);
	n = dur && *dur ? strtol(dur, &end, 10) : -1;
	if (!dur || !*dur || *end || n < 1 || n > MEETING_MAX_MINUTES)
		return err_set(e, E_INVALID, "duration_minutes",
			       "Length must be a whole number of minutes from 1 "
			       "to %d",
			       MEETING_MAX_MINUTES);
	if (record_isset(r, MEETING_START))
		record_set_int(r, MEETING_END,
			       record_int(r, MEETING_START, 0) + n * 60);
	*out = r;
	return E_OK;
}

void web_meeting_save(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), child_id = 0;
	const char *vs = req_form_get(req, "version");
	int64_t version = vs ? atoll(vs) : 0;
	struct review_doc doc;
	struct record *cur, *given = NULL, *m = NULL;
	char loc[64];
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_form_fail(req, res, "The meeting", &e);
		return;
	}
	cur = doc.children[CHILD_MEETING].n ? doc.children[CHILD_MEETING].items[0]
					    : NULL;
	if (version != (cur ? cur->version : 0)) {
		err_set(&e, E_CONFLICT, "version",
			"Someone changed the meeting since this form was "
			"loaded; nothing was saved. What you typed is below; "
			"the meeting as it is now is on the review page.");
		render_form(req, res, &doc, cur, 1, &e);
		return;
	}
	if (form_meeting(req, &given, &e) != E_OK ||
	    !(m = meeting_replace(req->arena, cur, given)) ||
	    ical_meeting_check(m, req->app->cfg->meeting_max_invitees, &e) !=
		    E_OK) {
		if (e.code == E_OK)
			err_set(&e, E_NOMEM, NULL, "out of memory");
		render_form(req, res, &doc, cur, 1, &e);
		return;
	}
	if ((cur ? store_child_update(req->app->store, req->arena,
				      page_actor(req), CHILD_MEETING, id,
				      cur->id, cur->version, m, NULL, NULL, &e)
		 : store_child_create(req->app->store, req->arena,
				      page_actor(req), CHILD_MEETING, id, m,
				      &child_id, NULL, &e)) != E_OK) {
		if (e.code == E_NOT_FOUND) {
			page_form_fail(req, res, "The meeting", &e);
			return;
		}
		if (err_http_status(e.code) >= 500) {
			/* the database away or a failure of ours */
			struct err why = e;

			err_set(&why, e.code, NULL,
				"The meeting was not saved: %s. Everything "
				"you typed is below, to save again.",
				page_fail_reason(req, &e));
			render_form(req, res, &doc, cur, 1, &why);
			return;
		}
		render_form(req, res, &doc, cur, 1, &e);
		return;
	}
	snprintf(loc, sizeof loc, "/reviews/%lld/meeting?saved=1",
		 (long long)id);
	res_redirect(res, loc);
}
