/* followups.c: follow-ups across reviews.
 * GET /api/v1/followups[?lingering=true&owner=&team=&limit=&offset=]: the
 * open follow-ups of the reviews the asker sees, each with its review,
 * its ticket, its age and why it lingers; the one list shape.
 * GET /api/v1/followups/digest: the weekly digest of what lingers, by
 * owner and by team, and of tickets closed while their follow-up is
 * still open (JSON, or plain text with ?format=text for a mail). */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "api/review_filter_internal.h"
#include "http/access.h"
#include "model/record_json.h"
#include "model/review.h"
#include "model/ticket.h"
#include "store/store.h"
#include "util/timeutil.h"

#define DAY 86400

/* row_json is one follow-up of a list: its own fields, where it belongs,
 * its ticket, and the lingering rule's findings. */
json_t *api_followup_row_json(const struct followup_row *r, int64_t now)
{
	json_t *o = record_to_json(r->followup), *why = json_array();
	char at[TIME_BUF];

	if (!o || !why) {
		json_decref(o);
		json_decref(why);
		return NULL;
	}
	if (r->past_due)
		json_array_append_new(why, json_string("past due"));
	if (r->stale)
		json_array_append_new(
			why, json_string(r->ticket ? "no ticket activity"
						   : "no ticket"));
	time_format(r->last_activity, at);
	json_object_set_new(o, "review_id", json_integer(r->review_id));
	json_object_set_new(
		o, "review_title",
		json_string(r->review_title ? r->review_title : ""));
	json_object_set_new(o, "team",
			    r->team ? json_string(r->team) : json_null());
	json_object_set_new(
		o, "age_days",
		json_integer((now - r->followup->created_at) / DAY));
	json_object_set_new(o, "last_activity", json_string(at));
	json_object_set_new(o, "idle_days",
			    json_integer((now - r->last_activity) / DAY));
	json_object_set_new(o, "lingering",
			    json_boolean(r->past_due || r->stale));
	json_object_set_new(o, "why", why);
	if (r->ticket)
		json_object_set_new(
			o, "ticket",
			api_ticket_json(r->ticket,
					record_str(r->followup, FU_STATUS)));
	return o;
}

/* load reads the list f asks for, as the asker may see it. */
static enum err_code load(struct request *req, struct followup_filter *f,
			  struct viewer *v, struct followup_row **rows,
			  size_t *n, int64_t *total, struct err *e)
{
	access_viewer(req, v);
	f->viewer = v;
	f->now = time_now();
	f->linger_seconds = req->app->cfg->linger_days * DAY;
	return store_followup_list(req->app->store, req->arena, f, rows, n,
				   total, e);
}

void api_followups_list(struct request *req, struct response *res)
{
	struct followup_filter f;
	struct followup_row *rows;
	struct viewer v;
	size_t n;
	int64_t total;
	struct err e;
	json_t *out, *arr;

	err_clear(&e);
	if (api_followup_filter(req, &f, &e) != E_OK ||
	    load(req, &f, &v, &rows, &n, &total, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i, s:b, s:I}", "followups", "total",
			(json_int_t)total, "limit", f.limit, "offset", f.offset,
			"lingering", f.lingering, "linger_days",
			(json_int_t)req->app->cfg->linger_days);
	arr = json_object_get(out, "followups");
	for (size_t i = 0; out && i < n; i++) {
		json_t *o = api_followup_row_json(&rows[i], f.now);
		if (!o || json_array_append_new(arr, o)) {
			json_decref(out);
			out = NULL;
		}
	}
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, out);
}

/* count_into adds one to counts[name] ("(none)" for NULL). */
static void count_into(json_t *counts, const char *name)
{
	const char *k = name && *name ? name : "(none)";
	json_int_t n = json_integer_value(json_object_get(counts, k));

	json_object_set_new(counts, k, json_integer(n + 1));
}

void api_followups_digest(struct request *req, struct response *res)
{
	struct followup_filter f = {0};
	struct followup_row *rows;
	const char *format = req_query(req, "format");
	struct viewer v;
	size_t n;
	int64_t total;
	struct err e;
	json_t *out, *items, *owners, *teams, *closed;
	char since[TIME_BUF];

	err_clear(&e);
	if (format && strcmp(format, "json") && strcmp(format, "text")) {
		api_failf(res, E_BAD_REQUEST, "format",
			  "format must be json or text");
		return;
	}
	f.lingering = 0; /* every open one: the closed tickets are there */
	f.limit = 500;
	if (load(req, &f, &v, &rows, &n, &total, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	time_format(f.now - 7 * DAY, since);
	items = json_array();
	owners = json_object();
	teams = json_object();
	closed = json_array();
	for (size_t i = 0; items && owners && teams && closed && i < n; i++) {
		const struct followup_row *r = &rows[i];
		json_t *o;

		if (r->ticket && record_int(r->ticket, TK_DONE, 0) &&
		    (o = api_followup_row_json(r, f.now)))
			json_array_append_new(closed, o);
		if (!r->past_due && !r->stale)
			continue;
		count_into(owners, record_str(r->followup, FU_OWNER));
		count_into(teams, r->team);
		if ((o = api_followup_row_json(r, f.now)))
			json_array_append_new(items, o);
	}
	out = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "since", since,
			"linger_days", (json_int_t)req->app->cfg->linger_days,
			"open", (json_int_t)total, "lingering",
			items ? items : json_array(), "by_owner",
			owners ? owners : json_object(), "by_team",
			teams ? teams : json_object(), "closed_but_open",
			closed ? closed : json_array());
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	if (format && !strcmp(format, "text")) {
		struct buf *b = &res->body;
		json_t *o;
		size_t i;

		buf_reset(b);
		buf_printf(b,
			   "Follow-ups digest, the week since %s\n\n"
			   "%lld open follow-ups, %zu lingering (past due, or "
			   "no ticket activity for %ld days).\n",
			   since, (long long)total,
			   json_array_size(json_object_get(out, "lingering")),
			   req->app->cfg->linger_days);
		json_array_foreach(json_object_get(out, "lingering"), i, o)
			buf_printf(
				b,
				"- %s (owner %s, %lld days old; %s) in "
				"\"%s\"\n",
				json_string_value(json_object_get(o, "title")),
				json_string_value(json_object_get(o, "owner"))
					? json_string_value(
						  json_object_get(o, "owner"))
					: "nobody",
				(long long)json_integer_value(
					json_object_get(o, "age_days")),
				json_string_value(json_array_get(
					json_object_get(o, "why"), 0)),
				json_string_value(
					json_object_get(o, "review_title")));
		if (json_array_size(json_object_get(out, "closed_but_open")))
			buf_puts(b, "\nTickets closed while the follow-up is "
				    "still open:\n");
		json_array_foreach(json_object_get(out, "closed_but_open"), i,
				   o)
			buf_printf(
				b, "- %s: %s\n",
				json_string_value(json_object_get(o, "title")),
				json_string_value(json_object_get(
					json_object_get(o, "ticket"), "key")));
		json_decref(out);
		res->status = 200;
		res->content_type = "text/plain; charset=utf-8";
		return;
	}
	res_json(res, 200, out);
}
