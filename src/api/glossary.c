/* glossary.c: /api/v1/glossary, the terms a rendered review links to
 * their definitions. Anyone signed in reads them; editors add, change and
 * remove them. A term is checked by glossary_check (model/learning.c): a
 * term of one letter is refused, one with pattern characters ("C++",
 * "p99.9") is fine, since terms are matched as literal text. */
#include "api/api.h"

#include <string.h>

#include "api/api_internal.h"
#include "model/learning.h"
#include "store/store.h"
#include "util/timeutil.h"

static json_t *term_json(const struct glossary_term *t)
{
	char c[TIME_BUF], u[TIME_BUF];

	time_format(t->created_at, c);
	time_format(t->updated_at, u);
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)t->id,
			 "term", t->term, "definition", t->definition,
			 "created_at", c, "updated_at", u);
}

void api_glossary_list(struct request *req, struct response *res)
{
	struct glossary_term *terms;
	size_t n;
	json_t *out, *arr;
	struct err e;

	err_clear(&e);
	if (store_glossary_list(req->app->store, req->arena, &terms, &n, &e) !=
	    E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:I, s:i}", "terms", "total",
			(json_int_t)n, "limit", (json_int_t)n, "offset", 0);
	arr = out ? json_object_get(out, "terms") : NULL;
	for (size_t i = 0; arr && i < n; i++) {
		json_t *j = term_json(&terms[i]);

		if (!j || json_array_append_new(arr, j)) {
			json_decref(out);
			out = arr = NULL;
		}
	}
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, out);
}

/* find loads term id. */
static enum err_code find(struct request *req, int64_t id,
			  struct glossary_term *out, struct err *e)
{
	struct glossary_term *terms;
	size_t n;

	if (store_glossary_list(req->app->store, req->arena, &terms, &n, e) !=
	    E_OK)
		return e->code;
	for (size_t i = 0; i < n; i++)
		if (terms[i].id == id) {
			*out = terms[i];
			return E_OK;
		}
	return err_set(e, E_NOT_FOUND, "id", "There is no glossary term %lld",
		       (long long)id);
}

/* put stores body's term and definition as term id (0: a new one);
 * keys other than those two are refused. */
static void put(struct request *req, struct response *res, int64_t id)
{
	struct glossary_term t = {0};
	json_t *body, *v;
	const char *key;
	struct err e;

	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK)
		goto fail;
	if (id && find(req, id, &t, &e) != E_OK)
		goto fail;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "term") && strcmp(key, "definition") &&
		    strcmp(key, "id")) {
			err_set(&e, E_BAD_REQUEST, key,
				"a glossary term has no field \"%s\"", key);
			goto fail;
		}
		if (strcmp(key, "id") && !json_is_string(v)) {
			err_set(&e, E_BAD_REQUEST, key, "%s must be text", key);
			goto fail;
		}
	}
	if ((v = json_object_get(body, "term")))
		t.term = json_string_value(v);
	if ((v = json_object_get(body, "definition")))
		t.definition = json_string_value(v);
	if (glossary_check(t.term, t.definition, &e) != E_OK ||
	    store_glossary_put(req->app->store, &id, t.term, t.definition,
			       &e) != E_OK ||
	    find(req, id, &t, &e) != E_OK)
		goto fail;
	res_json(res, req->method[0] == 'P' && req->method[1] == 'O' ? 201
								      : 200,
		 term_json(&t));
	return;
fail:
	api_fail(res, &e);
}

void api_glossary_create(struct request *req, struct response *res)
{
	put(req, res, 0);
}

void api_glossary_patch(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);

	if (id <= 0) {
		api_failf(res, E_NOT_FOUND, "id", "There is no glossary term %s",
			  req->nparams ? req->params[0] : "");
		return;
	}
	put(req, res, id);
}

void api_glossary_delete(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	struct err e;

	err_clear(&e);
	if (id <= 0)
		err_set(&e, E_NOT_FOUND, "id", "There is no glossary term %s",
			req->nparams ? req->params[0] : "");
	else if (store_glossary_delete(req->app->store, id, &e) == E_OK) {
		res->status = 204;
		return;
	}
	api_fail(res, &e);
}
