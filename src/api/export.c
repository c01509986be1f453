/* export.c: GET /api/v1/export and GET /api/v1/reviews/{id}/export: the
 * JSON export (importers/json_format.h) as the command line writes it,
 * holding only what the caller may see: admins get everything (deleted
 * records, users without secrets, the audit trail); others the live
 * reviews their groups allow. One review's object is the same in both.
 * The whole export is streamed (memory flat in the number of reviews).
 * And POST /api/v1/import/md and /api/v1/import/json, for admins. */
#include "api/api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "importers/json_format.h"
#include "importers/md_format.h"
#include "util/log.h"
#include "util/metrics.h"

static int to_body(const char *data, size_t len, void *arg)
{
	struct buf *b = arg;

	return buf_append(b, data, len) < 0 || b->oom ? -1 : 0;
}

static void send_export(struct request *req, struct response *res,
			int64_t only_id)
{
	struct viewer v;
	struct json_export_opts o = {0};
	int admin = api_user_is_admin(req);
	char disposition[96];
	struct err e;

	access_viewer(req, &v);
	o.viewer = &v;
	o.only_id = only_id;
	o.include_deleted = admin;
	o.accounts = admin && !only_id;
	err_clear(&e);
	buf_reset(&res->body);
	if (json_export(req->app->store, &o, to_body, &res->body, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)only_id);
		else if (res->body.oom)
			err_set(&e, E_NOMEM, NULL, "out of memory");
		buf_reset(&res->body);
		api_fail(res, &e);
		return;
	}
	res->status = 200;
	res->content_type = "application/json";
	if (only_id)
		snprintf(disposition, sizeof disposition,
			 "attachment; filename=\"review-%lld.json\"",
			 (long long)only_id);
	else
		snprintf(disposition, sizeof disposition,
			 "attachment; filename=\"debrief-export.json\"");
	res_header(res, "Content-Disposition", disposition);
}

/* The whole export is streamed (res_stream): written while it is read,
 * one review in memory at a time, whatever the number of reviews. Its
 * argument outlives the request, so it holds copies. */
struct export_stream {
	struct store *st;
	struct viewer v;
	int admin;
	char groups[];
};

static int produce_export(void *arg, res_write_fn write, void *warg)
{
	struct export_stream *x = arg;
	struct json_export_opts o = {0};
	struct err e;

	o.viewer = &x->v;
	o.include_deleted = x->admin;
	o.accounts = x->admin;
	err_clear(&e);
	if (json_export(x->st, &o, write, warg, &e) != E_OK) {
		/* the status is sent: the client sees a cut, invalid JSON */
		log_warn("export stopped: %s", e.message);
		return -1;
	}
	return 0;
}

void api_export_all(struct request *req, struct response *res)
{
	struct viewer v;
	struct export_stream *x;
	size_t glen;

	access_viewer(req, &v);
	glen = v.groups_json ? strlen(v.groups_json) + 1 : 0;
	if (!(x = malloc(sizeof *x + glen + 1))) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	x->st = req->app->store;
	x->admin = api_user_is_admin(req);
	x->v.all = v.all;
	x->v.groups_json = NULL;
	if (v.groups_json) {
		memcpy(x->groups, v.groups_json, glen);
		x->v.groups_json = x->groups;
	}
	res->status = 200;
	res->content_type = "application/json";
	res_header(res, "Content-Disposition",
		   "attachment; filename=\"debrief-export.json\"");
	res_stream(res, produce_export, x, free);
}

void api_review_export(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res);

	if (id)
		send_export(req, res, id);
}

/* POST /api/v1/import/md (admins): one markdown file with YAML front
 * matter (importers/md_format.h) as the body, Content-Type text/markdown.
 * A new review (the front matter's id when it is free; 409 when taken),
 * answered 201 as GET /api/v1/reviews/{id} would; a bad file is 400 or
 * 422 with "upload.md:LINE: ..." and changes nothing. */
void api_import_md(struct request *req, struct response *res)
{
	const char *ct = req_header(req, "Content-Type");
	struct import_batch b = {.allow_existing = 1};
	struct export_review r;
	struct review_doc existing;
	struct err e;

	err_clear(&e);
	if (!ct || (strncmp(ct, "text/markdown", 13) != 0 &&
		    strncmp(ct, "text/plain", 10) != 0)) {
		api_failf(res, E_MEDIA_TYPE, NULL,
			  "send the markdown file as text/markdown");
		return;
	}
	if (md_parse(req->arena, "upload.md", req->body, req->body_len, &r,
		     &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (r.review->id &&
	    store_review_get(req->app->store, req->arena, r.review->id, 1,
			     &existing, NULL) == E_OK) {
		api_failf(res, E_CONFLICT, "id",
			  "review %lld already exists; remove the id from the "
			  "front matter to import it as a new review",
			  (long long)r.review->id);
		return;
	}
	b.reviews = &r;
	b.nreviews = 1;
	b.actor = api_actor(req);
	if (store_import(req->app->store, &b, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	metrics_count(METRIC_IMPORTS);
	api_send_review(req, res, 201, r.review->id, 1);
}

/* json_reviews reads the export document of a JSON upload into *out
 * (memory from a): the "reviews" of GET /api/v1/export or of a review's
 * export. Users and the audit trail are refused: they go with a whole
 * database (`debrief import json`). Errors name upload.json and the line
 * or the review. */
static enum err_code json_reviews(struct arena *a, const char *body,
				  size_t len, struct export_review **out,
				  size_t *n, struct err *e)
{
	json_error_t jerr;
	json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *ver, *revs, *it;
	enum err_code rc = E_OK;
	size_t i;

	if (!doc)
		return err_set(e, E_BAD_REQUEST, NULL, "upload.json:%d: %s",
			       jerr.line, jerr.text);
	ver = json_object_get(doc, "debrief_export");
	revs = json_object_get(doc, "reviews");
	if (!json_is_object(doc) || !json_is_integer(ver) ||
	    !json_is_array(revs)) {
		rc = err_set(e, E_BAD_REQUEST, "debrief_export",
			     "upload.json: not a debrief JSON export (an "
			     "object with \"debrief_export\": %d and "
			     "\"reviews\": [...])",
			     JSON_EXPORT_VERSION);
		goto out;
	}
	if (json_integer_value(ver) < 1 ||
	    json_integer_value(ver) > JSON_EXPORT_VERSION) {
		rc = err_set(e, E_BAD_REQUEST, "debrief_export",
			     "upload.json: export version %lld is not one "
			     "this debrief reads (1 to %d)",
			     (long long)json_integer_value(ver),
			     JSON_EXPORT_VERSION);
		goto out;
	}
	if (json_array_size(json_object_get(doc, "users")) ||
	    json_array_size(json_object_get(doc, "audit"))) {
		rc = err_set(e, E_BAD_REQUEST,
			     json_array_size(json_object_get(doc, "users"))
				     ? "users"
				     : "audit",
			     "upload.json: users and the audit trail are not "
			     "imported through the API; import a whole "
			     "database with `debrief import json`");
		goto out;
	}
	if (!json_array_size(revs)) {
		rc = err_set(e, E_BAD_REQUEST, "reviews",
			     "upload.json: reviews is empty: nothing to "
			     "import");
		goto out;
	}
	*n = json_array_size(revs);
	if (!(*out = arena_alloc(a, sizeof **out * *n))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	json_array_foreach(revs, i, it)
	{
		struct err inner;

		err_clear(&inner);
		if ((rc = export_review_from_json(a, it, &(*out)[i], &inner)) !=
		    E_OK) {
			err_set(e, rc, inner.field, "upload.json: reviews[%zu]: "
				"%s", i, inner.message);
			goto out;
		}
	}
out:
	json_decref(doc);
	return rc;
}

/* POST /api/v1/import/json (admins): a JSON export (importers/
 * json_format.h) as the body, Content-Type application/json: what GET
 * /api/v1/reviews/{id}/export or GET /api/v1/export gave, without users
 * and audit. Every review keeps its ids, versions, times and history (a
 * review id that is taken is 409); all or nothing, in one transaction.
 * Answers 201 with the imported reviews in the list shape, {"reviews":
 * [{"id", "title"}], "total", "limit", "offset"}. Bad input is 400 or 422
 * as for markdown, "upload.json:LINE: ..." or "upload.json: reviews[I]:
 * ...", and changes nothing. */
void api_import_json(struct request *req, struct response *res)
{
	const char *ct = req_header(req, "Content-Type");
	struct import_batch b = {.allow_existing = 1};
	struct export_review *rv = NULL;
	struct review_doc existing;
	json_t *list, *out;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	if (!ct || strncmp(ct, "application/json", 16) != 0) {
		api_failf(res, E_MEDIA_TYPE, NULL,
			  "send the JSON export as application/json");
		return;
	}
	if (json_reviews(req->arena, req->body, req->body_len, &rv, &n, &e) !=
	    E_OK) {
		api_fail(res, &e);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (rv[i].review->id &&
		    store_review_get(req->app->store, req->arena,
				     rv[i].review->id, 1, &existing,
				     NULL) == E_OK) {
			api_failf(res, E_CONFLICT, "id",
				  "upload.json: reviews[%zu]: review %lld "
				  "already exists; remove its id (and its "
				  "children's) to import it as a new review",
				  i, (long long)rv[i].review->id);
			return;
		}
	b.reviews = rv;
	b.nreviews = n;
	b.actor = api_actor(req);
	if (store_import(req->app->store, &b, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	metrics_count(METRIC_IMPORTS);
	list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:I, s:s?}", "id",
					(json_int_t)rv[i].review->id, "title",
					record_str(rv[i].review,
						   REVIEW_TITLE)));
	out = json_pack("{s:o, s:I, s:I, s:i}", "reviews", list, "total",
			(json_int_t)n, "limit", (json_int_t)n, "offset", 0);
	res_json(res, 201, out);
}
