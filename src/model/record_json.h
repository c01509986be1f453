/* record_json.h: records to and from JSON (jansson). Shared by the API,
 * exports and importers. */
#ifndef DEBRIEF_RECORD_JSON_H
#define DEBRIEF_RECORD_JSON_H

#include <jansson.h>

#include "model/record.h"
#include "model/review.h"

/* record_to_json returns a new object: "id", "version", every field by name
 * (null when unset; times RFC 3339 UTC), "created_at", "updated_at" and,
 * when deleted, "deleted_at". NULL on oom. Caller owns the reference. */
json_t *record_to_json(const struct record *r);

/* review_doc_to_json returns the review's object with its children
 * embedded under their segment names; "tags" is a list of tag names;
 * "durations" holds to_detect / to_mitigate / to_resolve in seconds (null
 * when unknown). Caller owns the reference. */
json_t *review_doc_to_json(const struct review_doc *doc);

/* record_from_json reads obj into a new record of def; fields not in obj
 * stay V_ABSENT, JSON null becomes V_NULL. "id", "version", "created_at",
 * "updated_at", "deleted_at" are ignored (read-only); any other unknown key
 * or a value of the wrong type is E_BAD_REQUEST naming the field. Values are
 * not validated against the model's rules here (see record_validate), but
 * times must parse. Strings are copied into a. */
enum err_code record_from_json(struct arena *a, const struct record_def *def,
			       json_t *obj, struct record **out, struct err *e);

/* review_doc_from_json reads a review object that may embed children arrays
 * ("timeline": [...], ..., "tags": ["a", "b"] or [{"name": "a"}]). Children
 * come back with defaults filled. */
enum err_code review_doc_from_json(struct arena *a, json_t *obj,
				   struct review_doc *doc, struct err *e);

/* json_version reads an optional "version" member: 0 when absent, -1 (and
 * E_BAD_REQUEST in e) when it is not a positive integer. */
int64_t json_version(json_t *obj, struct err *e);

#endif
