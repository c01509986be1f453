/* facilitators.c: the facilitator roster page and the forms that change
 * it, and taking an open request for a facilitator.
 *   GET  /facilitators                 the roster: who took the course,
 *                                      when, how many reviews they
 *                                      facilitated, the last, available
 *   POST /facilitators                 add someone (editors)
 *   POST /facilitators/{id}/available  flip "available" (editors)
 *   POST /reviews/{id}/meeting/take    the asker becomes the meeting's
 *                                      facilitator (editors; from the
 *                                      calendar's "Needs a facilitator")
 * A refused form shows the roster again with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "http/auth.h"
#include "model/facilitator.h"
#include "model/meeting.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

/* typed_value is form field name as posted when typed, else "". */
static const char *typed_value(struct request *req, int typed,
			       const char *name)
{
	const char *v = typed ? req_form_get(req, name) : NULL;

	return v ? v : "";
}

/* render_roster writes the roster page; refused: why a post was not
 * saved (its status is the page's), typed: the add form shows what the
 * refused post held. */
static void render_roster(struct request *req, struct response *res,
			  const struct err *refused, int typed)
{
	struct buf *b = &res->body;
	struct facilitator *f = NULL;
	struct viewer v;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	access_viewer(req, &v);
	store_facilitator_list(req->app->store, req->arena, time_now(), &v, &f,
			       &n, &e);
	buf_reset(b);
	page_begin(res, "Facilitators", NAV_CALENDAR);
	html_raw(b, "<h1>Facilitators</h1><p class=\"lede\">People who took "
		    "the facilitator course. A review's meeting suggests those "
		    "who were not involved and facilitated least recently.</p>");
	if (refused) {
		html_raw(b, "<div class=\"notice notice-error\"><p>");
		html_txt(b, err_http_status(refused->code) >= 500
				    ? page_fail_reason(req, refused)
				    : refused->message);
		html_raw(b, "</p></div>");
	}
	if (!n) {
		html_raw(b, "<p class=\"empty\">Nobody is on the roster yet.</p>");
	} else {
		html_raw(b, "<table class=\"roster\"><thead><tr><th>Name</th>"
			    "<th>Took the course</th><th>Facilitated</th>"
			    "<th>Last</th><th>Available</th></tr></thead>"
			    "<tbody>");
		for (size_t i = 0; i < n; i++) {
			const struct record *r = f[i].rec;
			int avail = record_int(r, FAC_AVAILABLE, 1) == 1;

			html_raw(b, "<tr><td class=\"name\">");
			html_txt(b, record_str(r, FAC_NAME));
			html_raw(b, "</td><td>");
			html_txt(b, record_str(r, FAC_TRAINED_ON));
			html_rawf(b, "</td><td>%lld</td><td>",
				  (long long)f[i].facilitated);
			if (f[i].last_facilitated)
				html_time(b, f[i].last_facilitated);
			else
				html_raw(b, "never");
			html_rawf(b, "</td><td>%s " SLOT_EDITOR_BEGIN
				     "<form method=\"post\" class=\"inline\" "
				     "action=\"/facilitators/%lld/available\">",
				  avail ? "yes" : "no", (long long)r->id);
			page_csrf_field(b);
			html_rawf(b, "<input type=\"hidden\" name=\"version\" "
				     "value=\"%lld\"><button type=\"submit\" "
				     "class=\"button ghost\">%s</button></form>"
				     SLOT_EDITOR_END "</td></tr>",
				  (long long)r->version,
				  avail ? "Mark away" : "Mark available");
		}
		html_raw(b, "</tbody></table>");
	}
	html_raw(b, SLOT_EDITOR_BEGIN "<form method=\"post\" "
		    "action=\"/facilitators\" class=\"card roster-add\"><h2>Add "
		    "someone</h2>");
	page_csrf_field(b);
	html_raw(b, "<label>Name <input name=\"name\" required value=\"");
	html_attr(b, typed_value(req, typed, "name"));
	html_raw(b, "\"></label> <label>Took the course <input "
		    "name=\"trained_on\" placeholder=\"YYYY-MM-DD\" value=\"");
	html_attr(b, typed_value(req, typed, "trained_on"));
	html_raw(b, "\"></label> <label>Contact <input name=\"contact\" "
		    "placeholder=\"address\" value=\"");
	html_attr(b, typed_value(req, typed, "contact"));
	html_raw(b, "\"></label> <button type=\"submit\" "
		    "class=\"button\">Add</button></form>" SLOT_EDITOR_END);
	page_end(res);
	if (refused)
		res->status = err_http_status(refused->code);
}

void web_facilitators_page(struct request *req, struct response *res)
{
	render_roster(req, res, NULL, 0);
	res_header(res, "Cache-Control", "private, no-store");
}

/* set_text sets field f of r from form field name (absent: left out). */
static enum err_code set_text(struct request *req, struct record *r, int f,
			      const char *name, struct err *e)
{
	const char *v = req_form_get(req, name);

	if (!v || !*v)
		return E_OK;
	return record_parse_value(req->arena, r, f, v, e);
}

void web_facilitators_add(struct request *req, struct response *res)
{
	struct record *r = record_new(req->arena, &facilitator_def), *stored;
	struct err e;

	err_clear(&e);
	if (!r) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_form_fail(req, res, "The facilitator", &e);
		return;
	}
	if (set_text(req, r, FAC_NAME, "name", &e) != E_OK ||
	    set_text(req, r, FAC_TRAINED_ON, "trained_on", &e) != E_OK ||
	    set_text(req, r, FAC_CONTACT, "contact", &e) != E_OK ||
	    store_facilitator_write(req->app->store, req->arena, 0, 0, r, 0,
				    &stored, &e) != E_OK) {
		render_roster(req, res, &e, 1);
		return;
	}
	auth_audit(req, NULL, "facilitator.add", record_str(stored, FAC_NAME));
	res_redirect(res, "/facilitators");
}

void web_facilitator_available(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	const char *v = req_form_get(req, "version");
	struct facilitator *f;
	struct record *patch, *stored;
	size_t n;
	struct err e;

	err_clear(&e);
	if (store_facilitator_list(req->app->store, req->arena, time_now(),
				   NULL, &f, &n, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (f[i].rec->id != id)
			continue;
		patch = record_new(req->arena, &facilitator_def);
		if (!patch)
			break;
		record_set_int(patch, FAC_AVAILABLE,
			       record_int(f[i].rec, FAC_AVAILABLE, 1) != 1);
		if (store_facilitator_write(req->app->store, req->arena, id,
					    v ? atoll(v) : 0, patch, 0,
					    &stored, &e) != E_OK) {
			if (e.code == E_CONFLICT)
				err_set(&e, E_CONFLICT, "version",
					"Someone changed this entry meanwhile; "
					"here it is as it is now.");
			render_roster(req, res, &e, 0);
			return;
		}
		auth_audit(req, NULL, "facilitator.change",
			   record_str(stored, FAC_NAME));
		res_redirect(res, "/facilitators");
		return;
	}
	web_not_found(req, res);
}

void web_meeting_take(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	const char *who = page_actor(req);
	struct review_doc doc;
	struct record *m, *patch;
	char loc[64];
	struct err e;

	err_clear(&e);
	if (id <= 0 || access_review_get(req, id, 0, &doc, &e) != E_OK ||
	    !doc.children[CHILD_MEETING].n) {
		web_not_found(req, res);
		return;
	}
	m = doc.children[CHILD_MEETING].items[0];
	if (record_isset(m, MEETING_FACILITATOR)) {
		web_error_page(req, res, 409,
			       "Someone took it already: the meeting has a "
			       "facilitator.");
		res->status = 409;
		return;
	}
	if (!(patch = record_new(req->arena, &meeting_def))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	record_set_str(patch, MEETING_FACILITATOR, who);
	record_set_int(patch, MEETING_FACILITATOR_WANTED, 0);
	if (store_child_update(req->app->store, req->arena, who, CHILD_MEETING,
			       id, m->id, m->version, patch, NULL, NULL,
			       &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	snprintf(loc, sizeof loc, "/reviews/%lld/meeting", (long long)id);
	res_redirect(res, loc);
}
