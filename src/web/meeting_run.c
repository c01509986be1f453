/* meeting_run.c: GET /reviews/{id}/meeting/run, the facilitator's run of
 * show: the phases of the configuration (meeting_phases) with their
 * timeboxes fitted to this meeting and the prompts of each, the timeline
 * in large type (mark an entry disputed, add a missing one), the parking
 * lot, attendance and the notes. The page only shows; static/run.js runs
 * the clock and saves every change through the API (the meeting's
 * generic PATCH with its version, timeline and follow-up routes), so a
 * conflict is merged, never lost. GET /reviews/{id}/meeting/notes is the
 * note taker's view: the notes alone, saved the same way. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "http/access.h"
#include "model/meeting.h"
#include "web/page.h"
#include "web/web.h"

static void phases(struct request *req, struct buf *b, const struct record *m)
{
	struct meeting_phases ph;
	int minutes[MEETING_PHASES_MAX];
	char why[200];

	if (meeting_phases_parse(req->app->cfg->meeting_phases, &ph, why,
				 sizeof why) < 0)
		return;
	html_raw(b, "<section class=\"card run-phases\"><h2>Run of show</h2>");
	if (meeting_phases_fit(&ph, meeting_minutes(m), minutes, why,
			       sizeof why) < 0) {
		html_raw(b, "<p class=\"notice notice-conflict\">");
		html_txt(b, why);
		html_raw(b, "</p>");
	}
	html_raw(b, "<p class=\"run-clock\"><span class=\"run-total\">0:00"
		    "</span> <button type=\"button\" class=\"button run-start\">"
		    "Start</button> <button type=\"button\" class=\"button ghost "
		    "run-next\">Next phase</button></p><ol class=\"phases\">");
	for (size_t k = 0; k < ph.n; k++) {
		const char *prompts = meeting_phase_prompts(ph.p[k].name);
		const char *p = prompts;

		html_rawf(b, "<li class=\"phase\" data-minutes=\"%d\"><h3>",
			  minutes[k]);
		page_choice_label(b, ph.p[k].name);
		html_rawf(b, " <span class=\"timebox\">%d min</span> "
			     "<span class=\"phase-clock\">0:00</span></h3>",
			  minutes[k]);
		if (*p) {
			html_raw(b, "<ul class=\"prompts\">");
			while (*p) {
				size_t len = strcspn(p, "\n");

				html_raw(b, "<li>");
				html_ntxt(b, p, len);
				html_raw(b, "</li>");
				p += len + (p[len] == '\n');
			}
			html_raw(b, "</ul>");
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ol></section>\n");
}

static void timeline(struct buf *b, const struct record_list *l)
{
	html_raw(b, "<section class=\"wide run-timeline\"><h2>Timeline</h2>"
		    "<p class=\"muted\">What are we missing? Does everyone agree "
		    "this is the order? What made each action make sense at "
		    "the time?</p><ol class=\"big-timeline\">");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *t = l->items[i];
		int disputed = record_int(t, TL_DISPUTED, 0) == 1;

		html_rawf(b, "<li data-id=\"%lld\"%s>", (long long)t->id,
			  disputed ? " class=\"disputed\"" : "");
		html_time(b, record_int(t, TL_AT, 0));
		html_raw(b, " <span class=\"tl-text\">");
		html_txt(b, record_str(t, TL_TEXT));
		html_rawf(b, "</span> <button type=\"button\" class=\"button "
			     "ghost tl-dispute\" aria-pressed=\"%s\">Disputed"
			     "</button></li>",
			  disputed ? "true" : "false");
	}
	html_raw(b, "</ol><form class=\"tl-add\"><label>Missing entry: time "
		    "(UTC) <input name=\"at\" placeholder=\"2026-11-20 14:05\" "
		    "required></label> <label>what happened <input name=\"text\" "
		    "required></label> <button type=\"submit\" class=\"button\">"
		    "Add</button><p class=\"field-error\" hidden></p></form>"
		    "</section>\n");
}

/* questions is an architecture review's part of the run of show, in place
 * of a timeline: the questions gathered before the meeting, most votes
 * first (the list's order), answered or not; the answers are written on
 * the review's edit page. */
static void questions(struct buf *b, int64_t review_id,
		      const struct record_list *l)
{
	html_raw(b, "<section class=\"wide run-questions\"><h2>Questions, "
		    "most votes first</h2><ol class=\"big-timeline "
		    "run-question-list\">");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *q = l->items[i];
		int answered = record_int(q, Q_ANSWERED, 0) == 1;

		html_rawf(b,
			  "<li data-question=\"%lld\"%s><span class=\"votes\">"
			  "%lld</span> <span class=\"tl-text\">",
			  (long long)q->id,
			  answered ? " class=\"answered\"" : "",
			  (long long)record_int(q, Q_VOTES, 0));
		html_txt(b, record_str(q, Q_TEXT));
		html_raw(b, "</span>");
		if (answered)
			html_raw(b, " <strong class=\"badge\">answered"
				    "</strong>");
		html_raw(b, "</li>");
	}
	if (!l->n)
		html_raw(b, "<li class=\"muted\">No question was asked "
			    "before the meeting.</li>");
	html_rawf(b,
		  "</ol><p><a href=\"/reviews/%lld/edit#sec-questions\">Write "
		  "the answers</a></p></section>\n",
		  (long long)review_id);
}

/* list_items writes a list field as <li>s with the item in data-item. */
static void checkboxes(struct buf *b, const struct record *m)
{
	const struct value *inv = &m->v[MEETING_INVITEES];
	const struct value *att = &m->v[MEETING_ATTENDED];

	html_raw(b, "<section class=\"card run-attendance\"><h2>Attendance"
		    "</h2><ul class=\"attendance\">");
	for (size_t k = 0; inv->state == V_SET && k < inv->nitems; k++) {
		int came = 0;

		for (size_t j = 0; att->state == V_SET && j < att->nitems; j++)
			came |= !strcmp(att->items[j], inv->items[k]);
		html_raw(b, "<li><label><input type=\"checkbox\" value=\"");
		html_attr(b, inv->items[k]);
		html_rawf(b, "\"%s> ", came ? " checked" : "");
		html_txt(b, inv->items[k]);
		html_raw(b, "</label></li>");
	}
	/* walk-ins: attended but not invited */
	for (size_t j = 0; att->state == V_SET && j < att->nitems; j++) {
		int invited = 0;

		for (size_t k = 0; inv->state == V_SET && k < inv->nitems; k++)
			invited |= !strcmp(att->items[j], inv->items[k]);
		if (invited)
			continue;
		html_raw(b, "<li class=\"walk-in\"><label><input "
			    "type=\"checkbox\" checked value=\"");
		html_attr(b, att->items[j]);
		html_raw(b, "\"> ");
		html_txt(b, att->items[j]);
		html_raw(b, " <span class=\"muted\">(walk-in)</span></label>"
			    "</li>");
	}
	html_raw(b, "</ul><form class=\"walk-in-add\"><label>Walk-in <input "
		    "name=\"name\" required></label> <button type=\"submit\" "
		    "class=\"button ghost\">Add</button></form></section>\n");
}

static void parking_lot(struct buf *b, const struct record *m)
{
	const char *lot = record_str(m, MEETING_PARKING_LOT);
	const char *p = lot ? lot : "";

	html_raw(b, "<section class=\"card run-parking\"><h2>Parking lot</h2>"
		    "<form class=\"park\"><label>Tangent <kbd>p</kbd> "
		    "<input name=\"tangent\" autocomplete=\"off\" required "
		    "placeholder=\"Enter parks it\"></label></form>"
		    "<ul class=\"parked\">");
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len) {
			html_raw(b, "<li><span class=\"item\">");
			html_ntxt(b, p, len);
			html_raw(b, "</span> <button type=\"button\" "
				    "class=\"button ghost to-followup\">"
				    "Follow-up</button> <button type=\"button\" "
				    "class=\"button ghost to-question\">Open "
				    "question</button></li>");
		}
		p += len + (p[len] == '\n');
	}
	html_raw(b, "</ul></section>\n");
}

/* run_begin loads the review of route parameter 0 with its meeting and
 * starts the page (the .run wrapper run.js works in); 0, or -1 when it
 * answered (404 without a meeting). */
static int run_begin(struct request *req, struct response *res,
		     const char *title, struct review_doc *doc,
		     const struct record **m)
{
	int64_t id = req_param_id(req, 0);
	struct buf *b = &res->body;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return -1;
	}
	if (access_review_get(req, id, 0, doc, &e) != E_OK) {
		page_fail(req, res, &e);
		return -1;
	}
	if (!doc->children[CHILD_MEETING].n) {
		web_error_page(req, res, 404,
			       "This review has no meeting yet: schedule it "
			       "first.");
		res->status = 404;
		return -1;
	}
	*m = doc->children[CHILD_MEETING].items[0];
	buf_reset(b);
	page_begin(res, title, NAV_NONE);
	html_rawf(b, "<div class=\"run\" data-review=\"%lld\" "
		     "data-meeting=\"%lld\" data-version=\"%lld\"><p "
		     "class=\"eyebrow\"><a href=\"/reviews/%lld\">",
		  (long long)id, (long long)(*m)->id, (long long)(*m)->version,
		  (long long)id);
	html_txt(b, record_str(doc->review, REVIEW_TITLE));
	html_raw(b, "</a></p><h1>");
	html_txt(b, title);
	html_raw(b, "</h1><p class=\"run-status notice\" hidden></p>");
	return 0;
}

/* notes writes the notes box run.js saves as it is typed. */
static void notes(struct buf *b, const struct record *m)
{
	html_raw(b, "<section class=\"wide run-notes\"><h2>Notes</h2>"
		    "<p class=\"muted\">Saved as you type.</p><textarea "
		    "name=\"notes\" rows=\"10\">");
	html_txt(b, record_str(m, MEETING_NOTES));
	html_raw(b, "</textarea><div class=\"notes-merge notice "
		    "notice-conflict\" hidden></div></section>");
}

/* run_end closes the page with run.js. */
static void run_end(struct response *res)
{
	struct buf *b = &res->body;

	html_raw(b, "</div>\n<script src=\"");
	html_attr(b, static_url("run.js"));
	html_raw(b, "\" defer></script>\n");
	page_end(res);
}

void web_meeting_run(struct request *req, struct response *res)
{
	struct review_doc doc;
	const struct record *m;
	struct buf *b = &res->body;

	if (run_begin(req, res, "Run of show", &doc, &m) < 0)
		return;
	phases(req, b, m);
	if (review_has_child(doc.review, CHILD_TIMELINE))
		timeline(b, &doc.children[CHILD_TIMELINE]);
	else if (review_has_child(doc.review, CHILD_QUESTION))
		questions(b, doc.review->id, &doc.children[CHILD_QUESTION]);
	html_raw(b, "<div class=\"run-side\">");
	parking_lot(b, m);
	checkboxes(b, m);
	html_raw(b, "</div>");
	notes(b, m);
	html_rawf(b, "<p><a href=\"/reviews/%lld/meeting/notes\">The note "
		     "taker's view</a></p><p><button type=\"button\" "
		     "class=\"button run-held\">The meeting was held</button>"
		     "</p>",
		  (long long)doc.review->id);
	run_end(res);
}

void web_meeting_notes(struct request *req, struct response *res)
{
	struct review_doc doc;
	const struct record *m;

	if (run_begin(req, res, "Meeting notes", &doc, &m) < 0)
		return;
	notes(&res->body, m);
	run_end(res);
}
