/* api_common.c: what every JSON handler needs: the error answer, the admin
 * check, ids from the path, bodies, expected versions and ETags. */
#include "api/api_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/access.h"
#include "model/record_json.h"
#include "store/store.h"

/* A conflict carries "current_version" at the top level (the documented
 * place, beside "error") as well as inside "error" where res_error_json
 * puts it. */
static void fail_conflict(struct response *res, const struct err *e)
{
	json_t *msg = json_string(e->message[0] ? e->message
						: "the version is stale");
	json_t *field = e->field[0] ? json_string(e->field) : json_null();
	json_t *j;

	j = json_pack("{s:{s:s, s:o, s:o, s:I}, s:I}", "error", "code",
		      err_code_name(E_CONFLICT), "message",
		      msg ? msg : json_string("the version is stale"), "field",
		      field ? field : json_null(), "current_version",
		      (json_int_t)e->current_version, "current_version",
		      (json_int_t)e->current_version);
	if (!j) {
		res_error_json(res, e);
		return;
	}
	res_json(res, err_http_status(E_CONFLICT), j);
}

void api_fail(struct response *res, const struct err *e)
{
	if (e->code == E_CONFLICT)
		fail_conflict(res, e);
	else
		res_error_json(res, e);
}

void api_failf(struct response *res, enum err_code code, const char *field,
	       const char *fmt, ...)
{
	struct err e;
	va_list ap;

	err_clear(&e);
	e.code = code;
	snprintf(e.field, sizeof e.field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	res_error_json(res, &e);
}

void api_forbidden(struct response *res, const char *message)
{
	json_t *j = json_pack("{s:{s:s, s:s, s:n}}", "error", "code",
			      "forbidden", "message", message, "field");

	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 403, j);
}

int api_user_is_admin(struct request *req)
{
	/* the role comes from the one place that says who is asking (the
	 * anonymous local user of an install without accounts is admin) */
	session_current_user(req);
	return req->role >= ROLE_ADMIN;
}

const char *api_actor(struct request *req)
{
	if (!req->user)
		req->user = session_current_user(req);
	return req->user ? req->user : "anonymous";
}

int64_t api_review_id(struct request *req, struct response *res)
{
	int64_t id = req->nparams > 0 ? req_param_id(req, 0) : 0;

	if (id <= 0) {
		api_failf(res, E_NOT_FOUND, "id", "no review %s",
			  req->nparams > 0 && req->params[0] ? req->params[0]
							     : "");
		return 0;
	}
	return id;
}

enum err_code api_body(struct request *req, int optional, json_t **out,
		       struct err *e)
{
	*out = NULL;
	if (optional && req->body_len == 0)
		return E_OK;
	return req_json(req, out, e);
}

int64_t api_expected_version(struct request *req, json_t *body, struct err *e)
{
	int64_t from_body = 0, from_header;

	if (body) {
		from_body = json_version(body, e);
		if (from_body < 0)
			return -1;
	}
	from_header = req_if_match(req);
	if (from_header < 0) {
		err_set(e, E_BAD_REQUEST, "If-Match",
			"If-Match must be a version such as \"3\"");
		return -1;
	}
	if (from_body && from_header && from_body != from_header) {
		err_set(e, E_BAD_REQUEST, "version",
			"version %lld in the body and If-Match %lld disagree",
			(long long)from_body, (long long)from_header);
		return -1;
	}
	return from_body ? from_body : from_header;
}

enum err_code api_only_version(json_t *body, struct err *e)
{
	const char *key;
	json_t *val;

	if (!body)
		return E_OK;
	json_object_foreach(body, key, val)
	{
		if (strcmp(key, "version") != 0)
			return err_set(e, E_BAD_REQUEST, key,
				       "unknown field \"%s\" (only \"version\" "
				       "is accepted here)",
				       key);
	}
	return E_OK;
}

void api_set_etag(struct request *req, struct response *res, int64_t version)
{
	char *tag = arena_printf(req->arena, "\"%lld\"", (long long)version);

	if (tag)
		res_header(res, "ETag", tag);
}

int64_t api_send_review(struct request *req, struct response *res, int status,
			int64_t id, int include_deleted)
{
	return api_send_review_flagged(req, res, status, id, include_deleted,
				       NULL);
}

int64_t api_send_review_flagged(struct request *req, struct response *res,
				int status, int64_t id, int include_deleted,
				int *flagged)
{
	struct review_doc doc;
	struct err e;
	json_t *j;

	err_clear(&e);
	if (flagged)
		*flagged = 0;
	if (access_review_get(req, id, include_deleted, &doc, &e) != E_OK) {
		if (e.code == E_NOT_FOUND && !e.message[0])
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)id);
		api_fail(res, &e);
		return 0;
	}
	j = review_doc_to_json(&doc);
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return 0;
	}
	api_tickets_decorate_list(json_object_get(j, "followups"),
				  &doc.tickets);
	/* each contingency row's flag as the source has it now (the cache
	 * key of this JSON holds the flags' generation, api_review_get) */
	if (review_has_child(doc.review, CHILD_CONTINGENCY)) {
		const struct record_list *l = &doc.children[CHILD_CONTINGENCY];
		json_t *arr = json_object_get(j, contingency_def.segment), *fs;

		if (flagged)
			*flagged = l->n > 0;
		for (size_t i = 0; i < l->n && i < json_array_size(arr); i++)
			json_object_set_new(json_array_get(arr, i), "flag_state",
					    (fs = api_flag_state_json(
						     l->items[i]))
						    ? fs
						    : json_null());
	}
	api_set_etag(req, res, doc.review->version);
	res_json(res, status, j);
	return doc.review->version;
}

void api_prefix_field(struct err *e, const char *prefix, size_t i)
{
	char field[2 * sizeof e->field + 32];

	snprintf(field, sizeof field, "%s[%zu]%s%s", prefix, i,
		 e->field[0] ? "." : "", e->field);
	snprintf(e->field, sizeof e->field, "%.*s", (int)sizeof e->field - 1,
		 field);
}
