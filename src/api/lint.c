/* lint.c: POST /api/v1/lint, the language coach over HTTP. The web editor
 * calls it as people type; scripts may call it on any text. The body is
 * {"text": "...", "disable": ["counterfactual", ...], "allow": ["..."]};
 * the answer is the engine's JSON format (lint_write_json), whose start and
 * end are UTF-8 byte offsets into text. Nothing is stored. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "lint/lint.h"

/* Phrases an "allow" list may hold; more is a 400, not a slow request. */
#define LINT_API_MAX_ALLOW 200

/* read_disable turns the "disable" array into category bits. */
static enum err_code read_disable(json_t *arr, unsigned *mask, struct err *e)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return err_set(e, E_BAD_REQUEST, "disable",
			       "disable must be an array of category names");
	json_array_foreach(arr, i, v)
	{
		int cat;

		if (!json_is_string(v))
			return err_set(e, E_BAD_REQUEST, "disable",
				       "disable[%zu] must be a string", i);
		cat = lint_category_parse(json_string_value(v),
					  json_string_length(v));
		if (cat < 0)
			return err_set(e, E_BAD_REQUEST, "disable",
				       "unknown category \"%.64s\" in disable; "
				       "known: counterfactual, root-cause, "
				       "human-error, hindsight, passive-blame, "
				       "individual-judgement",
				       json_string_value(v));
		*mask |= LINT_MASK(cat);
	}
	return E_OK;
}

/* read_allow lists the "allow" phrases (strings owned by the body): a
 * string silences every category on its phrase; {"phrase", "category"}
 * (a review's lint allow entry as the API gives it) only its own. */
static enum err_code read_allow(struct arena *a, json_t *arr,
				struct lint_config *cfg, struct err *e)
{
	const char **allow;
	unsigned *mask;
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return err_set(e, E_BAD_REQUEST, "allow",
			       "allow must be an array of phrases");
	if (json_array_size(arr) > LINT_API_MAX_ALLOW)
		return err_set(e, E_BAD_REQUEST, "allow",
			       "allow may hold at most %d phrases",
			       LINT_API_MAX_ALLOW);
	allow = arena_alloc(a, (json_array_size(arr) + 1) * sizeof *allow);
	if (!allow)
		return err_set(e, E_NOMEM, "", "out of memory");
	mask = arena_alloc(a, (json_array_size(arr) + 1) * sizeof *mask);
	if (!mask)
		return err_set(e, E_NOMEM, "", "out of memory");
	json_array_foreach(arr, i, v)
	{
		json_t *ph = json_is_object(v) ? json_object_get(v, "phrase")
					       : v;
		json_t *cat = json_is_object(v) ? json_object_get(v, "category")
						: NULL;
		int c = -1;

		if (!json_is_string(ph) || json_string_length(ph) == 0)
			return err_set(e, E_BAD_REQUEST, "allow",
				       "allow[%zu] must be a non-empty string "
				       "or {\"phrase\", \"category\"}",
				       i);
		if (json_is_object(v) &&
		    (json_object_size(v) != 2 || !json_is_string(cat) ||
		     (c = lint_category_parse(json_string_value(cat),
					      json_string_length(cat))) < 0))
			return err_set(e, E_BAD_REQUEST, "allow",
				       "allow[%zu].category must be one of "
				       "counterfactual, root-cause, "
				       "human-error, hindsight, passive-blame, "
				       "individual-judgement",
				       i);
		allow[i] = json_string_value(ph);
		mask[i] = c < 0 ? LINT_MASK_ALL : LINT_MASK(c);
	}
	cfg->allow = allow;
	cfg->allow_mask = mask;
	cfg->nallow = json_array_size(arr);
	return E_OK;
}

/* read_request checks the body and fills text and cfg. */
static enum err_code read_request(struct request *req, json_t *body,
				  const char **text, size_t *len,
				  struct lint_config *cfg, struct err *e)
{
	const char *key;
	json_t *val, *t = NULL;

	json_object_foreach(body, key, val)
	{
		enum err_code rc = E_OK;

		if (!strcmp(key, "text"))
			t = val;
		else if (!strcmp(key, "disable"))
			rc = read_disable(val, &cfg->disabled_mask, e);
		else if (!strcmp(key, "allow"))
			rc = read_allow(req->arena, val, cfg, e);
		else
			rc = err_set(e, E_BAD_REQUEST, key,
				     "unknown field \"%.64s\" (accepted: "
				     "text, disable, allow)",
				     key);
		if (rc != E_OK)
			return rc;
	}
	if (!t)
		return err_set(e, E_BAD_REQUEST, "text", "text is required");
	if (!json_is_string(t))
		return err_set(e, E_BAD_REQUEST, "text",
			       "text must be a string");
	*text = json_string_value(t);
	*len = json_string_length(t);
	return E_OK;
}

void api_lint(struct request *req, struct response *res)
{
	struct lint_config cfg = {.threads = 1};
	struct lint_finding *f = NULL;
	const char *text = NULL;
	size_t len = 0, n = 0;
	json_t *body;
	struct err e;

	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK ||
	    read_request(req, body, &text, &len, &cfg, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (lint_text(req->arena, text, len, &cfg, &f, &n, &e) != E_OK) {
		/* the body was valid UTF-8, but "\u0000" in a JSON string
		 * still reaches the engine as a NUL byte */
		if (e.code == E_BAD_REQUEST)
			snprintf(e.field, sizeof e.field, "text");
		api_fail(res, &e);
		return;
	}
	buf_reset(&res->body);
	if (lint_write_json(&res->body, text, f, n) < 0) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res->status = 200;
	res->content_type = "application/json";
	res_header(res, "Cache-Control", "no-store");
}
