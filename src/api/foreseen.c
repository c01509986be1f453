/* foreseen.c: GET /api/v1/reviews/{id}/foreseen, "was this foreseen?" as
 * JSON: the operability reviews (launches) the asker sees that share a
 * service with review {id}, each with its contingency rows in risk order
 * and their flags' state, as the page /reviews/{id}/foreseen shows them
 * (the same lookup, access_launches_of), each launch in the shape of
 * a list of reviews (api_review_summary_json). Adding the row nobody foresaw is
 * an ordinary POST /api/v1/reviews/{launch}/contingencies. */
#include "api/api.h"

#include "api/api_internal.h"
#include "http/access.h"
#include "model/review.h"
#include "store/store.h"

/* launch_json is launch op as a list of reviews shows it (no long
 * section but the TL;DR) with its "contingencies". NULL on oom. */
static json_t *launch_json(const struct record *op,
			   const struct record_list *tags,
			   const struct record_list *rows)
{
	json_t *o = api_review_summary_json(op, tags), *arr;

	/* the object takes arr, also when it fails to (jansson) */
	if (!o || json_object_set_new(o, "contingencies",
				      (arr = json_array()))) {
		json_decref(o);
		return NULL;
	}
	for (size_t i = 0; i < rows->n; i++) {
		json_t *j = api_child_json(rows->items[i], op->id, 0);

		if (!j || json_array_append_new(arr, j)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

void api_review_foreseen(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res);
	struct review_doc doc;
	struct record_list ls, *tags;
	struct err e;
	json_t *out, *arr;

	if (!id)
		return;
	err_clear(&e);
	if (access_review_get(req, id, 0, &doc, &e) != E_OK ||
	    access_launches_of(req, doc.review, &ls, &tags, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i}", "launches", "total",
			(json_int_t)ls.n, "limit", ACCESS_LAUNCHES_MAX,
			"offset", 0);
	if (!out)
		goto oom;
	arr = json_object_get(out, "launches");
	for (size_t i = 0; i < ls.n; i++) {
		struct record_list rows = {0};
		json_t *j;

		if (store_child_list(req->app->store, req->arena,
				     CHILD_CONTINGENCY, ls.items[i]->id, &rows,
				     &e) != E_OK) {
			json_decref(out);
			api_fail(res, &e);
			return;
		}
		j = launch_json(ls.items[i], &tags[i], &rows);
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
