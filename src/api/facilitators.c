/* facilitators.c: the facilitator roster.
 *   GET    /api/v1/facilitators        the roster, by name, each with
 *                                      "facilitated" and "last_facilitated"
 *   POST   /api/v1/facilitators        add someone (editors)
 *   PATCH  /api/v1/facilitators/{id}   change an entry (version, 409)
 *   DELETE /api/v1/facilitators/{id}   take someone off the roster
 *   GET    /api/v1/reviews/{id}/meeting/facilitators
 *          the roster ordered for that review's meeting: available people
 *          who were not involved, who facilitated least recently first
 * Changes go to the audit trail ("facilitator.add", ".change",
 * ".remove"). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "http/auth.h"
#include "model/facilitator.h"
#include "model/record_json.h"
#include "store/store.h"
#include "util/timeutil.h"

static json_t *entry_json(const struct facilitator *f, int with_involved)
{
	char tb[TIME_BUF];
	json_t *o = record_to_json(f->rec);

	if (!o)
		return NULL;
	if (f->last_facilitated)
		time_format(f->last_facilitated, tb);
	if (json_object_set_new(o, "facilitated", json_integer(f->facilitated)) ||
	    json_object_set_new(o, "last_facilitated",
				f->last_facilitated ? json_string(tb)
						    : json_null()) ||
	    (with_involved &&
	     json_object_set_new(o, "involved", json_boolean(f->involved)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void send_list(struct response *res, const struct facilitator *f,
		      size_t n, int with_involved)
{
	json_t *out = json_pack("{s:[], s:I, s:I, s:i}", "facilitators", "total",
				(json_int_t)n, "limit", (json_int_t)n, "offset",
				0);
	json_t *arr = out ? json_object_get(out, "facilitators") : NULL;

	for (size_t i = 0; arr && i < n; i++) {
		json_t *j = entry_json(&f[i], with_involved);

		if (!j || json_array_append_new(arr, j)) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, out);
}

void api_facilitators_list(struct request *req, struct response *res)
{
	struct facilitator *f;
	struct viewer v;
	size_t n;
	struct err e;

	err_clear(&e);
	access_viewer(req, &v);
	if (store_facilitator_list(req->app->store, req->arena, time_now(),
				   &v, &f, &n, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	send_list(res, f, n, 0);
}

void api_meeting_facilitators(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res);
	struct facilitator *f, *out;
	struct review_doc doc;
	struct viewer v;
	size_t n, k;
	struct err e;

	if (!id)
		return;
	err_clear(&e);
	access_viewer(req, &v);
	if (access_review_get(req, id, 0, &doc, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)id);
		api_fail(res, &e);
		return;
	}
	if (store_facilitator_list(req->app->store, req->arena, time_now(),
				   &v, &f, &n, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (!(out = arena_alloc(req->arena, sizeof *out * (n ? n : 1)))) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	k = facilitator_suggest(f, n, &doc, out);
	send_list(res, out, k, 1);
}

/* write is the one path of POST, PATCH and DELETE: id 0 creates. */
static void roster_write(struct request *req, struct response *res, int64_t id,
		  int remove)
{
	struct record *patch = NULL, *stored;
	struct facilitator f = {0};
	int64_t expected = 0;
	json_t *body = NULL, *j;
	struct err e;

	err_clear(&e);
	if (api_body(req, remove, &body, &e) != E_OK ||
	    (remove && api_only_version(body, &e) != E_OK))
		goto fail;
	if ((expected = api_expected_version(req, body, &e)) < 0)
		goto fail;
	/* read-only: a client may send back what it was given */
	if (body) {
		json_object_del(body, "facilitated");
		json_object_del(body, "last_facilitated");
		json_object_del(body, "involved");
	}
	if (!remove &&
	    record_from_json(req->arena, &facilitator_def, body, &patch, &e) !=
		    E_OK)
		goto fail;
	if (store_facilitator_write(req->app->store, req->arena, id, expected,
				    patch, remove, &stored, &e) != E_OK)
		goto fail;
	auth_audit(req, NULL,
		   remove ? "facilitator.remove"
			  : id ? "facilitator.change" : "facilitator.add",
		   record_str(stored, FAC_NAME));
	if (remove) {
		res->status = 204;
		return;
	}
	f.rec = stored;
	if (!(j = entry_json(&f, 0))) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	api_set_etag(req, res, stored->version);
	res_json(res, id ? 200 : 201, j);
	return;
fail:
	api_fail(res, &e);
}

/* facilitator_id reads route parameter 0; 404 when it is not an id. */
static int64_t facilitator_id(struct request *req, struct response *res)
{
	int64_t id = req->nparams > 0 ? req_param_id(req, 0) : 0;

	if (id <= 0)
		api_failf(res, E_NOT_FOUND, "id", "no facilitator %s",
			  req->nparams > 0 ? req->params[0] : "");
	return id > 0 ? id : 0;
}

void api_facilitators_create(struct request *req, struct response *res)
{
	roster_write(req, res, 0, 0);
}

void api_facilitator_patch(struct request *req, struct response *res)
{
	int64_t id = facilitator_id(req, res);

	if (id)
		roster_write(req, res, id, 0);
}

void api_facilitator_delete(struct request *req, struct response *res)
{
	int64_t id = facilitator_id(req, res);

	if (id)
		roster_write(req, res, id, 1);
}
