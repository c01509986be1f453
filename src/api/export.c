/* export.c: GET /api/v1/export and GET /api/v1/reviews/{id}/export: the
 * JSON export (importers/json_format.h) as the command line writes it,
 * holding only what the caller may see: admins get everything (deleted
 * records, users without secrets, the audit trail); others the live
 * reviews their groups allow. One review's object is the same in both.
 * And POST /api/v1/import/md, for admins. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "importers/json_format.h"
#include "importers/md_format.h"
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

void api_export_all(struct request *req, struct response *res)
{
	send_export(req, res, 0);
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
