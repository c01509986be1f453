/* questions.c: POST /api/v1/reviews/{id}/questions/{child}/votes, one
 * vote per person for a question gathered before an architecture
 * review's meeting. A vote is a change to the question (its voters and
 * their count), so it has a version, a revision and a place in History
 * like any edit; the rest of a question's life is the generic children
 * API (children.c). */
#include "api/api.h"

#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "model/record_json.h"
#include "store/store.h"

/* add_vote is one attempt: read the question, add who to its voters and
 * store it at the version read. E_CONFLICT when someone else changed it
 * in between (the caller tries again), E_INVALID when who voted already. */
static enum err_code add_vote(struct request *req, int64_t review_id,
			      int64_t qid, const char *who,
			      struct record **out, int64_t *review_version,
			      struct err *e)
{
	struct record *cur, *patch;
	const struct value *v;
	const char **items;

	if (store_child_get(req->app->store, req->arena, CHILD_QUESTION,
			    review_id, qid, &cur, e) != E_OK)
		return e->code;
	v = &cur->v[Q_VOTERS];
	for (size_t i = 0; v->state == V_SET && i < v->nitems; i++)
		if (!strcmp(v->items[i], who))
			return err_set(e, E_INVALID, "votes",
				       "%s has already voted for this "
				       "question: one vote per person",
				       who);
	if (v->state == V_SET && v->nitems >= 100)
		return err_set(e, E_INVALID, "votes",
			       "This question has the most votes it can hold "
			       "(100)");
	items = arena_alloc(req->arena, sizeof *items * (v->nitems + 1));
	if (!items || !(patch = record_new(req->arena, &question_def)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (v->state == V_SET && v->nitems)
		memcpy(items, v->items, sizeof *items * v->nitems);
	items[v->state == V_SET ? v->nitems : 0] = who;
	record_set_list(patch, Q_VOTERS, items,
			(v->state == V_SET ? v->nitems : 0) + 1);
	record_set_int(patch, Q_VOTES, (int64_t)patch->v[Q_VOTERS].nitems);
	return store_child_update(req->app->store, req->arena, api_actor(req),
				  CHILD_QUESTION, review_id, qid, cur->version,
				  patch, out, review_version, e);
}

void api_question_vote(struct request *req, struct response *res)
{
	int64_t review_id = api_review_id(req, res), qid, review_version = 0;
	struct record *q = NULL;
	json_t *body, *j;
	struct err e;
	enum err_code rc = E_CONFLICT;

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
	/* votes at the same moment are all counted: each retry reads the
	 * question again */
	for (int tries = 0; rc == E_CONFLICT && tries < 8; tries++) {
		err_clear(&e);
		rc = add_vote(req, review_id, qid, api_actor(req), &q,
			      &review_version, &e);
	}
	if (rc != E_OK)
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
