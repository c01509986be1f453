/* fuzz_record_json.c: libFuzzer target for the API's input path: a JSON
 * body (req_json, as the server hands it over) read as a review with its
 * children (review_doc_from_json, POST /api/v1/reviews), as a patch
 * (record_from_json, PATCH) and as each kind of child (POST
 * .../{kind}), validated and written back to JSON.
 *
 * Invariants: a failure names a code and a message; a review that
 * validates survives the round trip: its JSON read back validates again
 * and gives the same JSON (so what the API answers, a client can send
 * back). A valid patch applied by record_patched stays valid. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "http/http.h"
#include "model/record_json.h"

static void check_error(const struct err *e, const char *what)
{
	FUZZ_ASSERT(e->code == E_BAD_REQUEST || e->code == E_INVALID,
		    "%s: code %d: %s", what, e->code, e->message);
	FUZZ_ASSERT(e->message[0], "%s failed without a message", what);
}

static enum err_code validate_doc(const struct review_doc *doc, struct err *e)
{
	if (record_validate(doc->review, e) != E_OK)
		return E_INVALID;
	for (int k = 0; k < CHILD_COUNT; k++)
		for (size_t i = 0; i < doc->children[k].n; i++)
			if (record_validate(doc->children[k].items[i], e) !=
			    E_OK)
				return E_INVALID;
	return E_OK;
}

static char *dump(json_t *j)
{
	return json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
}

/* check_review: POST /api/v1/reviews and the round trip of its answer. */
static void check_review(struct arena *a, json_t *body)
{
	struct review_doc doc, again;
	json_t *out, *out2;
	char *s1 = NULL, *s2 = NULL;
	struct err e;

	err_clear(&e);
	if (review_doc_from_json(a, body, &doc, &e) != E_OK) {
		check_error(&e, "review_doc_from_json");
		return;
	}
	record_fill_defaults(a, doc.review);
	if (validate_doc(&doc, &e) != E_OK) {
		check_error(&e, "validate");
		return;
	}
	out = review_doc_to_json(&doc);
	FUZZ_ASSERT(out, "review_doc_to_json failed");
	err_clear(&e);
	FUZZ_ASSERT(review_doc_from_json(a, out, &again, &e) == E_OK,
		    "the API's own JSON is refused: %s (%s)", e.message,
		    e.field);
	record_fill_defaults(a, again.review);
	FUZZ_ASSERT(validate_doc(&again, &e) == E_OK,
		    "the API's own JSON does not validate: %s (%s)", e.message,
		    e.field);
	out2 = review_doc_to_json(&again);
	FUZZ_ASSERT(out2, "review_doc_to_json failed");
	s1 = dump(out);
	s2 = dump(out2);
	FUZZ_ASSERT(s1 && s2 && !strcmp(s1, s2),
		    "the round trip changes the review:\n%.2000s\n%.2000s",
		    s1 ? s1 : "", s2 ? s2 : "");
	free(s1);
	free(s2);
	json_decref(out);
	json_decref(out2);
}

/* check_patch: PATCH /api/v1/reviews/{id} applied to a new review. */
static void check_patch(struct arena *a, json_t *body)
{
	struct record *base, *patch, *merged;
	struct change *changes;
	int n;
	struct err e;

	err_clear(&e);
	(void)json_version(body, &e);
	err_clear(&e);
	if (record_from_json(a, &review_def, body, &patch, &e) != E_OK) {
		check_error(&e, "record_from_json");
		return;
	}
	base = record_new(a, &review_def);
	FUZZ_ASSERT(base, "record_new");
	record_set_str(base, REVIEW_TITLE, "Database failover");
	record_fill_defaults(a, base);
	FUZZ_ASSERT(record_validate(base, &e) == E_OK, "base: %s", e.message);
	if (record_patched(a, base, patch, &merged, &changes, &n, &e) != E_OK) {
		check_error(&e, "record_patched");
		return;
	}
	FUZZ_ASSERT(n >= 0 && record_validate(merged, &e) == E_OK,
		    "a patched review does not validate: %s", e.message);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(changes[i].field && changes[i].old_text &&
				    changes[i].new_text &&
				    strcmp(changes[i].old_text,
					   changes[i].new_text) != 0,
			    "change %d of %d is no change", i, n);
}

/* check_child: POST /api/v1/reviews/{id}/{kind} for every kind. */
static void check_child(struct arena *a, json_t *body)
{
	for (int k = 0; k < CHILD_COUNT; k++) {
		struct record *r;
		json_t *out;
		struct err e;

		err_clear(&e);
		if (record_from_json(a, child_defs[k], body, &r, &e) != E_OK) {
			check_error(&e, "record_from_json");
			continue;
		}
		record_fill_defaults(a, r);
		for (size_t f = 0; f < r->def->nfields; f++)
			FUZZ_ASSERT(record_value_text(a, r, (int)f),
				    "record_value_text");
		if (record_validate(r, &e) != E_OK) {
			check_error(&e, "record_validate");
			continue;
		}
		out = record_to_json(r);
		FUZZ_ASSERT(out, "record_to_json");
		json_decref(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kv ct = {"Content-Type", "application/json"};
	struct request req = {0};
	char *s = fuzz_cstr(data, size);
	json_t *body;
	struct err e;

	if (!s)
		return 0;
	req.arena = arena_new();
	if (!req.arena)
		goto out;
	req.method = "POST";
	req.path = "/api/v1/reviews";
	req.body = s;
	req.body_len = size;
	req.headers = &ct;
	req.nheaders = 1;
	err_clear(&e);
	if (req_json(&req, &body, &e) != E_OK) {
		FUZZ_ASSERT(e.code == E_BAD_REQUEST && e.message[0],
			    "req_json: %d %s", e.code, e.message);
		goto out;
	}
	check_review(req.arena, body);
	check_patch(req.arena, body);
	check_child(req.arena, body);
out:
	arena_free(req.arena);
	free(s);
	return 0;
}
