/* questions.c: asking and voting on an architecture review's page
 * (POST /reviews/{id}/questions and /reviews/{id}/questions/{q}/vote).
 * Both end in the store's generic child write and one-vote rule, as the
 * API does, and send the person back to the questions on the page. */
#include <stdio.h>

#include "http/access.h"
#include "web/page.h"
#include "web/web.h"

static void back_to_questions(struct response *res, int64_t id)
{
	char loc[64];

	snprintf(loc, sizeof loc, "/reviews/%lld#questions", (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

void web_question_ask(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), current, qid;
	const char *text = req_form_get(req, "text");
	struct record *q;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &current, &e) != E_OK)
		goto fail;
	if (!(q = record_new(req->arena, &question_def))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if (record_parse_value(req->arena, q, Q_TEXT, text ? text : "", &e) !=
	    E_OK)
		goto fail;
	record_set_str(q, Q_ASKED_BY, page_actor(req));
	record_fill_defaults(req->arena, q);
	if (record_validate(q, &e) != E_OK ||
	    store_child_create(req->app->store, req->arena, page_actor(req),
			       CHILD_QUESTION, id, q, &qid, NULL, &e) != E_OK)
		goto fail;
	back_to_questions(res, id);
	return;
fail:
	page_form_fail(req, res, "The question", &e);
}

void web_question_vote(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), qid = req_param_id(req, 1), current;
	struct err e;

	err_clear(&e);
	if (id <= 0 || qid <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &current, &e) != E_OK ||
	    store_question_vote(req->app->store, req->arena, page_actor(req),
				id, qid, NULL, NULL, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	back_to_questions(res, id);
}
