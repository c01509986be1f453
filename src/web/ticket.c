/* ticket.c: a follow-up's ticket on the review page (what the tracker
 * last said, and when it was read) and the form that creates or links
 * one: POST /reviews/{id}/followups/{fid}/ticket. The page shows what the
 * store holds; only the form's own request waits on a tracker. */
#include "web/web.h"

#include <stdio.h>
#include <string.h>

#include "http/access.h"
#include "integrations/tickets.h"
#include "model/review.h"
#include "model/ticket.h"
#include "web/html.h"
#include "web/page.h"

const struct record *web_ticket_of(const struct record_list *tickets,
				   int64_t followup_id)
{
	for (size_t i = 0; tickets && i < tickets->n; i++)
		if (record_int(tickets->items[i], TK_FOLLOWUP_ID, 0) ==
		    followup_id)
			return tickets->items[i];
	return NULL;
}

void web_ticket_show(struct buf *b, const struct record *fu,
		     const struct record *t)
{
	const char *fs = record_str(fu, FU_STATUS);
	int done = (int)record_int(t, TK_DONE, 0);
	int fu_done = fs && (!strcmp(fs, "done") || !strcmp(fs, "wont-do"));

	html_raw(b, "<div class=\"ticket\"><a href=\"");
	html_attr(b, record_str(t, TK_URL));
	html_raw(b, "\" rel=\"noopener noreferrer\">");
	html_txt(b, record_str(t, TK_KEY));
	html_raw(b, "</a> <span class=\"badge ticket-");
	html_raw(b, done ? "done" : "open");
	html_raw(b, "\">");
	html_txt(b, record_isset(t, TK_STATUS) ? record_str(t, TK_STATUS)
					       : "unknown");
	html_raw(b, "</span>");
	if (record_isset(t, TK_ASSIGNEE)) {
		html_raw(b, "<br><span class=\"ticket-who\">");
		html_txt(b, record_str(t, TK_ASSIGNEE));
		html_raw(b, "</span>");
	}
	if (record_isset(t, TK_UPDATED)) {
		html_raw(b, "<br><small>updated ");
		html_time(b, record_int(t, TK_UPDATED, 0));
		html_raw(b, "</small>");
	}
	if (record_isset(t, TK_READ_AT)) {
		html_raw(b, "<br><small>read ");
		html_time(b, record_int(t, TK_READ_AT, 0));
		html_raw(b, "</small>");
	}
	if (done && !fu_done)
		html_raw(b, "<p class=\"ticket-warn\" role=\"note\">The ticket "
			    "is closed but this follow-up is not done.</p>");
	else if (!done && fu_done && !strcmp(fs, "done"))
		html_raw(b, "<p class=\"ticket-warn\" role=\"note\">This "
			    "follow-up is done but its ticket is still "
			    "open.</p>");
	if (record_isset(t, TK_ERROR)) {
		html_raw(b,
			 "<p class=\"ticket-error\" role=\"alert\">Could not "
			 "read it: ");
		html_txt(b, record_str(t, TK_ERROR));
		if (record_isset(t, TK_ERROR_AT)) {
			html_raw(b, " (");
			html_time(b, record_int(t, TK_ERROR_AT, 0));
			html_raw(b, ")");
		}
		html_raw(b, "</p>");
	}
	html_raw(b, "</div>");
}

void web_ticket_form(struct buf *b, const struct config *cfg, int64_t review_id,
		     const struct record *fu, int has_ticket)
{
	if (!cfg || cfg->ntrackers == 0)
		return;
	html_raw(b, SLOT_EDITOR_BEGIN);
	html_rawf(b,
		  "<details class=\"ticket-form\"><summary>%s</summary>"
		  "<form method=\"post\" "
		  "action=\"/reviews/%lld/followups/%lld/ticket\">",
		  has_ticket ? "Change ticket" : "Create or link a ticket",
		  (long long)review_id, (long long)fu->id);
	page_csrf_field(b);
	html_rawf(b, "<label>Tracker <select name=\"tracker\">");
	for (int i = 0; i < cfg->ntrackers; i++) {
		html_raw(b, "<option value=\"");
		html_attr(b, cfg->trackers[i].name);
		html_raw(b, "\">");
		html_txt(b, cfg->trackers[i].name);
		html_raw(b, cfg->trackers[i].type == TRACKER_JIRA
				    ? " (Jira)"
				    : " (GitHub)");
		html_raw(b, "</option>");
	}
	html_raw(b, "</select></label> <label>Existing key or URL "
		    "<input name=\"key\" placeholder=\"empty: create a new "
		    "ticket\"></label> <button type=\"submit\">Create or "
		    "link</button></form></details>");
	html_raw(b, SLOT_EDITOR_END);
}

void web_followup_ticket(struct request *req, struct response *res)
{
	const struct config *cfg = req->app->cfg;
	int64_t id = req_param_id(req, 0), fid = req_param_id(req, 1);
	const char *key = req_form_get(req, "key");
	const char *link, *loc;
	int64_t version;
	int created, upstream;
	struct err e;

	err_clear(&e);
	if (id <= 0 || fid <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK)
		goto refused;
	while (key && *key == ' ')
		key++;
	link = cfg->public_url[0]
		       ? arena_printf(req->arena, "%s/reviews/%lld",
				      cfg->public_url, (long long)id)
		       : arena_printf(req->arena, "http://%s/reviews/%lld",
				      cfg->listen, (long long)id);
	if (tickets_attach(req->app->store, cfg, req->arena, page_actor(req),
			   id, fid, req_form_get(req, "tracker"),
			   key && *key ? key : NULL, link, &created, &upstream,
			   &e) != E_OK) {
		if ((e.code == E_NOT_FOUND && strcmp(e.field, "key")) ||
		    (!upstream && err_http_status(e.code) >= 500))
			goto refused;
		web_form_refused(req, res, upstream ? 502 : 422,
				 key && *key ? "The ticket was not linked"
					     : "The ticket was not created",
				 arena_printf(req->arena,
					      "The ticket was not %s: %s",
					      key && *key ? "linked"
							  : "created",
					      e.message));
		return;
	}
	loc = arena_printf(req->arena, "/reviews/%lld#followups",
			   (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc ? loc : "/");
	return;
refused: /* the review or the follow-up gone, the database away */
	if (e.code == E_NOT_FOUND)
		web_form_refused(req, res, 404, "The ticket was not linked",
				 "The ticket was not linked: the follow-up "
				 "(or its review) is not there any more.");
	else
		page_form_fail(req, res, "The ticket link", &e);
}
