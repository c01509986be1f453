/* meeting.c: the review meeting's files: GET /reviews/{id}/meeting.ics,
 * the invite people download and send from their own calendar (or edit
 * first). Nothing is ever mailed on save. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "http/access.h"
#include "integrations/ical.h"
#include "model/meeting.h"
#include "web/meeting_site.h"
#include "web/page.h"
#include "web/web.h"

void meeting_site(struct request *req, struct ical_site *site, char *host,
		  size_t hostlen)
{
	config_public_host(req->app->cfg, host, hostlen);
	site->host = host;
	site->organizer = req->app->cfg->meeting_organizer[0]
				  ? req->app->cfg->meeting_organizer
				  : NULL;
}

const char *meeting_review_url(struct request *req, int64_t review_id)
{
	const char *pub = req->app->cfg->public_url;
	const char *host = req_header(req, "Host");
	size_t n = strlen(pub);

	if (n)
		return arena_printf(req->arena, "%.*s/reviews/%lld",
				    (int)(pub[n - 1] == '/' ? n - 1 : n), pub,
				    (long long)review_id);
	return arena_printf(req->arena, "http://%s/reviews/%lld",
			    host && *host && !strpbrk(host, "/\\ \"")
				    ? host
				    : "localhost",
			    (long long)review_id);
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
