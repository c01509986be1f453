/* questions.c: POST /api/v1/reviews/{id}/questions/{child}/votes, one
 * vote per person for a question gathered before an architecture
 * review's meeting. A vote is a change to the question (its voters and
 * their count), so it has a version, a revision and a place in History
 * like any edit; the rest of a question's life is the generic children
 * API (children.c). */
#include "api/api.h"

#include "api/api_internal.h"
#include "http/access.h"
#include "model/record_json.h"
#include "store/store.h"

void api_question_vote(struct request *req, struct response *res)
{
	int64_t review_id = api_review_id(req, res), qid, review_version = 0;
	struct record *q = NULL;
	json_t *body, *j;
	struct err e;

	if (!review_id)
		return;
	err_clear(&e);
	qid = req_param_id(req, 1);
	if (qid <= 0) {
		api_failf(res, E_NOT_FOUND, "questions", "no question %s",
			  req->nparams > 1 && req->params[1] ? req->params[1]
							     : "");
		return;
	}
	if (access_review_version(req, review_id, &review_version, &e) !=
		    E_OK ||
	    api_body(req, 1, &body, &e) != E_OK ||
	    api_only_version(body, &e) != E_OK)
		goto fail;
	if (store_question_vote(req->app->store, req->arena, api_actor(req),
				review_id, qid, &q, &review_version,
				&e) != E_OK)
		goto fail;
	if (!(j = record_to_json(q)) ||
	    json_object_set_new(j, "review_id", json_integer(review_id)) ||
	    json_object_set_new(j, "review_version",
				json_integer(review_version))) {
		json_decref(j);
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	api_set_etag(req, res, q->version);
	res_json(res, 201, j);
	return;
fail:
	api_fail(res, &e);
}
