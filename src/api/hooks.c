/* hooks.c: POST /hooks/jira and POST /hooks/github, trackers' webhooks.
 * A webhook is believed only when it is signed with a configured
 * tracker's secret (webhook.h); any other is refused with 401 and
 * written to the audit log. A believed one about a linked ticket stores
 * its new state at once (tickets_apply); one about anything else is
 * answered 200 and changes nothing. Optional ?tracker=NAME picks the
 * tracker when several share a type. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/auth.h"
#include "integrations/tickets.h"
#include "integrations/webhook.h"

static void refuse(struct request *req, struct response *res, const char *kind)
{
	char detail[160];
	json_t *j;

	snprintf(detail, sizeof detail,
		 "%s webhook refused: no valid signature or secret", kind);
	auth_audit(req, "webhook", "webhook.refused", detail);
	j = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "bad_signature",
		      "message",
		      "the webhook is not signed with a configured tracker's "
		      "secret",
		      "field", "signature");
	if (j)
		res_json(res, 401, j);
	else
		api_failf(res, E_NOMEM, NULL, "out of memory");
}

static void hook(struct request *req, struct response *res, int type)
{
	const char *kind = type == TRACKER_JIRA ? "jira" : "github";
	const char *sig = req_header(req, type == TRACKER_JIRA
						  ? "X-Hub-Signature"
						  : "X-Hub-Signature-256");
	const char *secret = type == TRACKER_JIRA ? req_query(req, "secret")
						  : NULL;
	const char *event = req_header(req, "X-GitHub-Event");
	const struct tracker_config *t;
	struct tracker_ticket tt;
	json_error_t je;
	json_t *payload;
	struct err e;
	int n = 0, found;

	t = webhook_find(req->app->cfg, type, req_query(req, "tracker"),
			 req->body, req->body_len, sig, secret);
	if (!t) {
		refuse(req, res, kind);
		return;
	}
	if (type == TRACKER_GITHUB && event && !strcmp(event, "ping")) {
		res_json(res, 200, json_pack("{s:i}", "updated", 0));
		return;
	}
	payload = json_loadb(req->body, req->body_len, 0, &je);
	if (!json_is_object(payload)) {
		json_decref(payload);
		api_failf(res, E_BAD_REQUEST, "body",
			  "the webhook's body is not a JSON object (line %d: "
			  "%.80s)",
			  je.line, je.text);
		return;
	}
	err_clear(&e);
	found = webhook_ticket(t, payload, &tt);
	if (found && tickets_apply(req->app->store, req->arena, t, &tt,
				   found == WEBHOOK_GONE, &n, &e) != E_OK) {
		json_decref(payload);
		api_fail(res, &e);
		return;
	}
	json_decref(payload);
	res_json(res, 200, json_pack("{s:i}", "updated", n));
}

void api_hook_jira(struct request *req, struct response *res)
{
	hook(req, res, TRACKER_JIRA);
}

void api_hook_github(struct request *req, struct response *res)
{
	hook(req, res, TRACKER_GITHUB);
}
