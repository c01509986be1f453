/* revisions.c: GET /api/v1/reviews/{id}/revisions: what every write did to
 * a review and its children, newest first, with old and new values. */
#include "api/api.h"

#include "api/api_internal.h"
#include "http/access.h"
#include "store/store.h"
#include "util/timeutil.h"

static json_t *revision_json(const struct revision *rv)
{
	char at[TIME_BUF];
	json_t *o, *changes;

	time_format(rv->at, at);
	o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:I, s:[]}", "id",
		      (json_int_t)rv->id, "record_kind",
		      rv->record_kind ? rv->record_kind : "", "record_id",
		      (json_int_t)rv->record_id, "action",
		      rv->action ? rv->action : "", "actor",
		      rv->actor ? rv->actor : "", "at", at, "review_version",
		      (json_int_t)rv->review_version, "changes");
	if (!o)
		return NULL;
	changes = json_object_get(o, "changes");
	for (size_t i = 0; i < rv->nchanges; i++) {
		const struct change *c = &rv->changes[i];
		json_t *cj = json_pack("{s:s, s:s, s:s}", "field",
				       c->field ? c->field : "", "old",
				       c->old_text ? c->old_text : "", "new",
				       c->new_text ? c->new_text : "");

		if (!cj || json_array_append_new(changes, cj)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* history_visible: the review's history is readable by req's user
 * (access_review_history: live and visible, or deleted and an admin). */
static enum err_code history_visible(struct request *req, int64_t id,
				     struct err *e)
{
	struct review_doc doc;

	if (access_review_history(req, id, &doc, e) == E_NOT_FOUND)
		err_set(e, E_NOT_FOUND, "id", "no review %lld", (long long)id);
	return e->code;
}

void api_revisions_list(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res);
	struct revision *revs = NULL;
	size_t n = 0;
	struct err e;
	json_t *out, *arr;

	if (!id)
		return;
	err_clear(&e);
	if (history_visible(req, id, &e) != E_OK ||
	    store_revision_list(req->app->store, req->arena, id, &revs, &n,
				&e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[]}", "revisions");
	if (!out)
		goto oom;
	arr = json_object_get(out, "revisions");
	for (size_t i = 0; i < n; i++) {
		json_t *j = revision_json(&revs[i]);

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
