/* tickets.c: a follow-up's ticket in an issue tracker.
 * POST /api/v1/reviews/{id}/followups/{fid}/ticket with {"tracker": NAME}
 * creates a ticket from the follow-up (title, description, a link back to
 * the review, the tracker's labels, its owner as assignee when
 * tracker.NAME.users maps them); with "key" (a key or the ticket's URL)
 * it links an existing ticket after reading it from the tracker. Either
 * way the follow-up's JSON comes back with "ticket". The call waits on the
 * tracker (with its timeout, and at most a few seconds of rate limit);
 * nothing else ever does: pages read what the store holds. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "integrations/tickets.h"
#include "model/record_json.h"
#include "model/review.h"
#include "model/ticket.h"
#include "store/store.h"
#include "util/timeutil.h"

/* time_or_null: an RFC 3339 string, or null for 0 / unset. */
static json_t *time_or_null(const struct record *t, int f)
{
	char s[TIME_BUF];

	if (!record_isset(t, f) || record_int(t, f, 0) == 0)
		return json_null();
	time_format(record_int(t, f, 0), s);
	return json_string(s);
}

static json_t *str_or_null(const struct record *t, int f)
{
	const char *s = record_str(t, f);

	return s ? json_string(s) : json_null();
}

json_t *api_ticket_json(const struct record *t, const char *followup_status)
{
	int done = (int)record_int(t, TK_DONE, 0);
	char linked[TIME_BUF];
	int fu_done = followup_status && (!strcmp(followup_status, "done") ||
					  !strcmp(followup_status, "wont-do"));

	time_format(t->created_at, linked);
	return json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o, "
			 "s:o, s:b, s:b}",
			 "tracker", str_or_null(t, TK_TRACKER), "key",
			 str_or_null(t, TK_KEY), "url", str_or_null(t, TK_URL),
			 "status", str_or_null(t, TK_STATUS), "done", done,
			 "assignee", str_or_null(t, TK_ASSIGNEE), "updated",
			 time_or_null(t, TK_UPDATED), "read_at",
			 time_or_null(t, TK_READ_AT), "error",
			 str_or_null(t, TK_ERROR), "error_at",
			 time_or_null(t, TK_ERROR_AT), "linked_at",
			 json_string(linked), "closed_but_open",
			 done && !fu_done, "open_but_done", !done && fu_done);
}

/* decorate_one replaces the follow-up object's "ticket" by its ticket
 * from tickets, when there is one. */
static void decorate_one(json_t *fu, const struct record_list *tickets)
{
	json_int_t id = json_integer_value(json_object_get(fu, "id"));

	for (size_t i = 0; i < tickets->n; i++) {
		const struct record *t = tickets->items[i];
		json_t *j;

		if (record_int(t, TK_FOLLOWUP_ID, 0) != id)
			continue;
		j = api_ticket_json(
			t, json_string_value(json_object_get(fu, "status")));
		if (j)
			json_object_set_new(fu, "ticket", j);
		return;
	}
}

void api_tickets_decorate(struct request *req, json_t *followups,
			  int64_t review_id)
{
	struct record_list l = {0};
	struct err e;

	err_clear(&e);
	if (followups && store_ticket_list(req->app->store, req->arena,
					   review_id, &l, &e) == E_OK)
		api_tickets_decorate_list(followups, &l);
}

void api_tickets_decorate_list(json_t *followups,
			       const struct record_list *tickets)
{
	json_t *fu;
	size_t i;

	if (!followups || tickets->n == 0)
		return;
	if (json_is_object(followups)) {
		decorate_one(followups, tickets);
		return;
	}
	json_array_foreach(followups, i, fu) decorate_one(fu, tickets);
}

/* review_link is the review's address for people, for the ticket's text. */
static const char *review_link(struct request *req, int64_t id)
{
	const struct config *cfg = req->app->cfg;

	if (cfg->public_url[0])
		return arena_printf(req->arena, "%s/reviews/%lld",
				    cfg->public_url, (long long)id);
	return arena_printf(req->arena, "http://%s/reviews/%lld", cfg->listen,
			    (long long)id);
}

/* tracker_fail answers a tracker's failure: 502 with the tracker named. */
static void tracker_fail(struct response *res, const struct err *e)
{
	json_t *j = json_pack("{s:{s:s, s:s, s:s}}", "error", "code",
			      "tracker_error", "message", e->message, "field",
			      "tracker");

	if (j)
		res_json(res, 502, j);
	else
		api_failf(res, E_NOMEM, NULL, "out of memory");
}

void api_followup_ticket(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), fid, version = 0;
	const char *key_text, *k;
	struct record *fu;
	json_t *body = NULL, *v, *j;
	struct err e;
	int created = 0, upstream = 0;

	if (!id)
		return;
	err_clear(&e);
	fid = req_param_id(req, 1);
	if (access_review_version(req, id, &version, &e) != E_OK)
		goto fail;
	if (fid <= 0) {
		err_set(&e, E_NOT_FOUND, "followup",
			"review %lld has no follow-up %s", (long long)id,
			req->nparams > 1 ? req->params[1] : "");
		goto fail;
	}
	if (api_body(req, 0, &body, &e) != E_OK)
		goto fail;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, "tracker") && strcmp(k, "key")) {
			err_set(&e, E_BAD_REQUEST, k,
				"unknown member '%.60s' (expected tracker and "
				"key)",
				k);
			goto fail;
		}
		if (!json_is_string(v) && !(json_is_null(v) && *k == 'k')) {
			err_set(&e, E_BAD_REQUEST, k, "%s must be a string: %s",
				k,
				*k == 'k' ? "a ticket key or URL"
					  : "the name of a configured tracker");
			goto fail;
		}
	}
	key_text = json_string_value(json_object_get(body, "key"));
	if (tickets_attach(req->app->store, req->app->cfg, req->arena,
			   api_actor(req), id, fid,
			   json_string_value(json_object_get(body, "tracker")),
			   key_text, review_link(req, id), &created, &upstream,
			   &e) != E_OK) {
		if (upstream) {
			tracker_fail(res, &e);
			return;
		}
		/* a ticket the tracker does not have: the key is wrong */
		if (e.code == E_NOT_FOUND && !strcmp(e.field, "key"))
			e.code = E_INVALID;
		goto fail;
	}
	if (store_child_get(req->app->store, req->arena, CHILD_FOLLOWUP, id,
			    fid, &fu, &e) != E_OK ||
	    access_review_version(req, id, &version, &e) != E_OK)
		goto fail;
	if (!(j = record_to_json(fu))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	json_object_set_new(j, "review_id", json_integer(id));
	json_object_set_new(j, "review_version", json_integer(version));
	api_tickets_decorate(req, j, id);
	api_set_etag(req, res, fu->version);
	res_json(res, created ? 201 : 200, j);
	return;
fail:
	api_fail(res, &e);
}
