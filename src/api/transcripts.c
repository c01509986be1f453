/* transcripts.c: /api/v1/reviews/{id}/transcripts: the chat of a review.
 * GET lists messages in time order (channel, since, until, q, limit up to
 * 1000, offset); POST imports a Slack export or an IRC log sent as the
 * body (or as the "file" part of a multipart form), all or nothing;
 * POST .../transcripts/promote turns messages into timeline entries;
 * POST .../transcripts/slack pulls one channel through Slack's Web API
 * with the configured token.
 * The review's visibility decides who sees its chat: a review the asker
 * does not see is 404 here too. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api_internal.h"
#include "api/review_filter_internal.h"
#include "config.h"
#include "http/access.h"
#include "importers/chat_import.h"
#include "importers/slack_api.h"
#include "model/record_json.h"
#include "model/transcript.h"
#include "store/store.h"
#include "util/timeutil.h"

/* transcript_json is a message as the API shows it: the record's fields
 * and review_id, without the bookkeeping a message never changes. */
static json_t *transcript_json(const struct record *r)
{
	json_t *o = record_to_json(r);

	if (!o)
		return NULL;
	json_object_del(o, "version");
	json_object_del(o, "updated_at");
	if (json_object_set_new(o, "review_id", json_integer(r->review_id))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* begin reads the review id and checks that the asker sees the review. */
static int64_t begin(struct request *req, struct response *res,
		     int64_t *version)
{
	int64_t id = api_review_id(req, res);
	struct err e;

	if (!id)
		return 0;
	err_clear(&e);
	if (access_review_version(req, id, version, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)id);
		api_fail(res, &e);
		return 0;
	}
	return id;
}

void api_transcripts_list(struct request *req, struct response *res)
{
	struct transcript_filter f;
	struct record_list l;
	struct viewer v;
	int64_t id, version, total = 0;
	json_t *out, *arr;
	struct err e;

	if (!(id = begin(req, res, &version)))
		return;
	err_clear(&e);
	if (api_transcript_filter(req, &f, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	access_viewer(req, &v);
	f.viewer = &v;
	if (store_transcript_list(req->app->store, req->arena, id, &f, &l,
				  &total, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i}", "messages", "total",
			(json_int_t)total, "limit", f.limit, "offset",
			f.offset);
	if (!out)
		goto oom;
	arr = json_object_get(out, "messages");
	for (size_t i = 0; i < l.n; i++) {
		json_t *j = transcript_json(l.items[i]);
		if (!j || json_array_append_new(arr, j)) {
			json_decref(out);
			goto oom;
		}
	}
	res_json(res, 200, out);
	return;
oom:
	api_failf(res, E_NOMEM, NULL, "out of memory");
}

/* opt reads an import option from the query (or a form field of a
 * multipart upload); NULL when absent or empty. */
static const char *opt(struct request *req, const char *name)
{
	const char *v = req_query(req, name);

	if (!v || !*v)
		v = req_form_get(req, name);
	return v && *v ? v : NULL;
}

/* opt_of is chat_import_options' getter over a request. */
static const char *opt_of(void *req, const char *name)
{
	return opt(req, name);
}

/* upload_bytes finds what was uploaded: the "file" part of a multipart
 * form, or the raw body. */
static int upload_bytes(struct request *req, const char **name,
			const char **data, size_t *n)
{
	const struct req_file *f = req_file_get(req, "file");

	if (f) {
		*name = f->filename && *f->filename ? f->filename : "upload";
		*data = f->data;
		*n = f->len;
		return f->len > 0;
	}
	*name = opt(req, "name");
	if (!*name)
		*name = "upload";
	*data = req->body;
	*n = req->body_len;
	return req->body_len > 0;
}

void api_transcripts_upload(struct request *req, struct response *res)
{
	struct chat_import_opts o;
	struct chat_import_result r;
	const char *name, *data;
	int64_t id, version;
	json_t *out, *notes;
	size_t n;
	struct err e;

	if (!(id = begin(req, res, &version)))
		return;
	err_clear(&e);
	if (chat_import_options(opt_of, req, req->app->cfg->chat_max_entry, &o,
				&e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (!upload_bytes(req, &name, &data, &n)) {
		api_failf(res, E_BAD_REQUEST, "file",
			  "send the Slack export (zip) or the IRC log as the "
			  "body, or as the \"file\" part of a form");
		return;
	}
	if (chat_import_bytes(req->app->store, id, api_actor(req), name, data,
			      n, &o, &r, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (store_review_version(req->app->store, id, &version, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	notes = json_array();
	for (int i = 0; notes && i < r.skips.nnotes; i++)
		json_array_append_new(notes, json_string(r.skips.notes[i]));
	out = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:i, s:I, s:I, s:I, "
			"s:o, s:I}",
			"file", name, "format", r.format, "read",
			(json_int_t)r.read, "added",
			(json_int_t)r.counts.added, "duplicates",
			(json_int_t)r.counts.duplicates, "outside",
			(json_int_t)r.outside, "channels", r.channels,
			"other", (json_int_t)r.skips.others, "recoded",
			(json_int_t)r.skips.recoded, "skipped",
			(json_int_t)r.skips.lines, "skipped_notes",
			notes ? notes : json_array(), "review_version",
			(json_int_t)version);
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	api_set_etag(req, res, version);
	res_json(res, r.counts.added ? 201 : 200, out);
}

void api_transcripts_promote(struct request *req, struct response *res)
{
	json_t *body, *ids, *it;
	int64_t id, version, expected, new_version = 0, *list;
	size_t i, n;
	char *prefix;
	struct err e;

	if (!(id = begin(req, res, &version)))
		return;
	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if ((expected = api_expected_version(req, body, &e)) < 0) {
		api_fail(res, &e);
		return;
	}
	ids = json_object_get(body, "ids");
	n = json_array_size(ids);
	if (!json_is_array(ids) || n == 0 || n > TRANSCRIPT_LIST_MAX) {
		api_failf(res, E_BAD_REQUEST, "ids",
			  "ids must be a list of 1 to %d message ids",
			  TRANSCRIPT_LIST_MAX);
		return;
	}
	if (!(list = arena_alloc(req->arena, sizeof *list * n)) ||
	    !(prefix = arena_printf(req->arena, "/reviews/%lld/chat#m",
				    (long long)id))) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	json_array_foreach(ids, i, it)
	{
		if (!json_is_integer(it) || json_integer_value(it) <= 0) {
			api_failf(res, E_BAD_REQUEST, "ids",
				  "ids[%zu] is not a message id", i);
			return;
		}
		list[i] = json_integer_value(it);
	}
	if (store_transcript_promote(req->app->store, req->arena,
				     api_actor(req), id, expected, list, n,
				     prefix, &new_version, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	api_send_review(req, res, 201, id, 0);
}

void api_transcripts_slack(struct request *req, struct response *res)
{
	struct slack_api_opts api = {0};
	struct chat_import_result r;
	const struct config *cfg = req->app->cfg;
	const char *channel, *since, *until;
	json_t *body, *out;
	int64_t id, version;
	struct err e;

	if (!(id = begin(req, res, &version)))
		return;
	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	channel = json_string_value(json_object_get(body, "channel"));
	since = json_string_value(json_object_get(body, "since"));
	until = json_string_value(json_object_get(body, "until"));
	if (!chat_slack_channel_valid(channel)) {
		api_failf(res, E_BAD_REQUEST, "channel",
			  "channel must be a Slack channel id such as C0123ABC");
		return;
	}
	if (since && time_parse(since, &api.oldest) < 0 &&
	    time_parse_date(since, &api.oldest) < 0) {
		api_failf(res, E_BAD_REQUEST, "since",
			  "since must be a date or an RFC 3339 time");
		return;
	}
	if (until && time_parse(until, &api.latest) < 0 &&
	    time_parse_date(until, &api.latest) < 0) {
		api_failf(res, E_BAD_REQUEST, "until",
			  "until must be a date or an RFC 3339 time");
		return;
	}
	api.base_url = cfg->slack_api_url;
	api.token = cfg->slack_token;
	api.channel = channel;
	api.sleep_fn = sleep;
	if (chat_import_slack_api(req->app->store, id, api_actor(req), &api, &r,
				  &e) != E_OK) {
		api_fail(res, &e);
		if (e.code == E_IO)
			res->status = 502; /* Slack failed, not debrief */
		return;
	}
	if (store_review_version(req->app->store, id, &version, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "format", r.format,
			"read", (json_int_t)r.read, "added",
			(json_int_t)r.counts.added, "duplicates",
			(json_int_t)r.counts.duplicates, "other",
			(json_int_t)r.skips.others, "review_version",
			(json_int_t)version);
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	api_set_etag(req, res, version);
	res_json(res, r.counts.added ? 201 : 200, out);
}
