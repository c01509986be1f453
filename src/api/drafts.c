/* drafts.c: a person's unsaved form, kept on the server by the editor
 * (static/draft.js) every few seconds and when the page is left:
 *   PUT|GET|DELETE /api/v1/reviews/{id}/draft  the edit form of review id
 *   PUT|GET|DELETE /api/v1/drafts/new          the new-review form
 * A draft belongs to the person who wrote it: nobody else reads, replaces
 * or deletes it, admins included. A review's draft follows the review's
 * visibility: while the review is hidden from its author (restricted to
 * groups they left, or deleted), so is the draft (404, as for a missing
 * review). The body is {"version": N (optional: the version the form
 * was loaded at), "fields": {"NAME": "text", ...}} (the form's fields by
 * their names), at most DRAFT_MAX bytes. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "model/record_json.h"
#include "store/store.h"
#include "util/timeutil.h"

#define DRAFT_MAX	 (2 * 1024 * 1024)
#define DRAFT_MAX_FIELDS 20000
#define DRAFT_NAME_MAX	 200

/* draft_target finds whose draft of which review the request is about:
 * the review of route parameter 0 (0 for /drafts/new) as its author sees
 * it. Answers the error itself and returns -1 when it may not be used. */
static int64_t draft_target(struct request *req, struct response *res)
{
	int64_t id = 0, version;
	struct err e;

	if (req->nparams == 0)
		return 0; /* the new-review form */
	if (!(id = api_review_id(req, res)))
		return -1;
	err_clear(&e);
	if (access_review_version(req, id, &version, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)id);
		api_fail(res, &e);
		return -1;
	}
	return id;
}

/* draft_check accepts {"version": N?, "fields": {name: string}} and
 * nothing else. */
static enum err_code draft_check(json_t *body, struct err *e)
{
	json_t *fields = json_object_get(body, "fields"), *val;
	const char *key;

	json_object_foreach(body, key, val)
	{
		if (strcmp(key, "version") && strcmp(key, "fields"))
			return err_set(e, E_BAD_REQUEST, key,
				       "unknown field \"%s\" (a draft has "
				       "\"version\" and \"fields\")",
				       key);
	}
	if (json_version(body, e) < 0)
		return E_BAD_REQUEST;
	if (!json_is_object(fields))
		return err_set(e, E_BAD_REQUEST, "fields",
			       "\"fields\" must be an object of the form's "
			       "fields: {\"title\": \"...\"}");
	if (json_object_size(fields) > DRAFT_MAX_FIELDS)
		return err_set(e, E_TOO_LARGE, "fields",
			       "a draft holds at most %d fields",
			       DRAFT_MAX_FIELDS);
	json_object_foreach(fields, key, val)
	{
		if (!*key || strlen(key) > DRAFT_NAME_MAX)
			return err_set(e, E_BAD_REQUEST, "fields",
				       "a field name must have 1 to %d bytes",
				       DRAFT_NAME_MAX);
		if (!json_is_string(val))
			return err_set(e, E_BAD_REQUEST, "fields",
				       "field \"%.64s\" must be a string", key);
	}
	return E_OK;
}

void api_draft_put(struct request *req, struct response *res)
{
	int64_t id = draft_target(req, res);
	json_t *body;
	char *text;
	struct err e;

	if (id < 0)
		return;
	err_clear(&e);
	if (req->body_len > DRAFT_MAX) {
		api_failf(res, E_TOO_LARGE, NULL,
			  "a draft may have at most %d bytes", DRAFT_MAX);
		return;
	}
	if (api_body(req, 0, &body, &e) != E_OK ||
	    draft_check(body, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (!(text = json_dumps(body, JSON_COMPACT))) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	if (store_draft_put(req->app->store, api_actor(req), id, text,
			    time_now(), &e) != E_OK) {
		free(text);
		api_fail(res, &e);
		return;
	}
	free(text);
	res->status = 204;
}

void api_draft_get(struct request *req, struct response *res)
{
	int64_t id = draft_target(req, res), at = 0;
	const char *text;
	char when[TIME_BUF];
	json_t *j;
	struct err e;

	if (id < 0)
		return;
	err_clear(&e);
	if (store_draft_get(req->app->store, req->arena, api_actor(req), id,
			    &text, &at, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, NULL, "no draft");
		api_fail(res, &e);
		return;
	}
	if (!(j = json_loads(text, 0, NULL))) {
		api_failf(res, E_STORE, NULL, "the stored draft is damaged");
		return;
	}
	time_format(at, when);
	if (json_object_set_new(j, "updated_at", json_string(when)) < 0 ||
	    json_object_set_new(j, "review_id",
				id ? json_integer(id) : json_null()) < 0) {
		json_decref(j);
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_header(res, "Cache-Control", "no-store");
	res_json(res, 200, j);
}

void api_draft_delete(struct request *req, struct response *res)
{
	int64_t id = draft_target(req, res);
	struct err e;

	if (id < 0)
		return;
	err_clear(&e);
	if (store_draft_delete(req->app->store, api_actor(req), id, &e) !=
	    E_OK) {
		api_fail(res, &e);
		return;
	}
	res->status = 204;
}
