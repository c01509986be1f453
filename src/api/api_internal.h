/* api_internal.h: helpers shared by the JSON handlers under src/api/ (not
 * part of the API contract; see api.h for that). */
#ifndef DEBRIEF_API_INTERNAL_H
#define DEBRIEF_API_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"
#include "model/record.h"
#include "util/err.h"

/* api_fail answers the one JSON error shape for e (status from e->code). */
void api_fail(struct response *res, const struct err *e);

/* api_failf fills a fresh error and answers it; for errors born in the
 * handler itself. */
void api_failf(struct response *res, enum err_code code, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* api_forbidden answers 403 {"error": {"code": "forbidden", ...}}. */
void api_forbidden(struct response *res, const char *message);

/* api_user_is_admin is the one place that decides who may see and restore
 * deleted reviews. The anonymous local user is an admin until accounts
 * exist. */
int api_user_is_admin(struct request *req);

/* api_actor names who is writing (for revisions). */
const char *api_actor(struct request *req);

/* api_review_id reads route parameter 0 as a review id; answers 404 and
 * returns 0 when it is not a positive integer. */
int64_t api_review_id(struct request *req, struct response *res);

/* api_body parses the request body into a JSON object (415, 400 with line
 * and column). With optional set, an empty body gives *out = NULL and
 * E_OK. The object lives as long as the request's arena. */
enum err_code api_body(struct request *req, int optional, json_t **out,
		       struct err *e);

/* api_expected_version combines a "version" member of body (may be NULL)
 * and an If-Match header: 0 when neither is given, the version otherwise;
 * -1 with E_BAD_REQUEST in e when either is malformed or they disagree. */
int64_t api_expected_version(struct request *req, json_t *body, struct err *e);

/* api_only_version checks that body has no member but "version" (for
 * DELETE and restore bodies). */
enum err_code api_only_version(json_t *body, struct err *e);

/* api_set_etag sends ETag: "<version>". */
void api_set_etag(struct request *req, struct response *res, int64_t version);

/* api_send_review returns the version it sent (0 when it sent an error).
 * It loads review id (deleted ones too when include_deleted)
 * and answers it as a full document with the given status and its ETag. */
int64_t api_send_review(struct request *req, struct response *res, int status,
		     int64_t id, int include_deleted);
/* api_send_review_flagged is api_send_review that also tells whether the
 * answer carries contingency rows' flag states (*flagged), which change
 * without the review (the feature flags' source). */
int64_t api_send_review_flagged(struct request *req, struct response *res,
				int status, int64_t id, int include_deleted,
				int *flagged);

/* api_prefix_field rewrites e->field to "<prefix>[<i>].<field>", as in
 * "timeline[0].at". */
/* api_flag_state_json (flag_state.c) is contingency row r's flag as the
 * flag source has it now: {"value", "changed_at", "read_at"} or
 * {"unknown": true}, with "error" and "error_at" while the source fails.
 * NULL when r names no flag (or on oom). Caller owns the reference. */
json_t *api_flag_state_json(const struct record *r);

void api_prefix_field(struct err *e, const char *prefix, size_t i);

/* api_review_summary_json (reviews.c) is review r as a list of reviews
 * shows it: its fields without the long markdown sections (the TL;DR
 * stays), plus "tags", the names in tags (NULL: none). Caller owns it;
 * NULL on oom. */
json_t *api_review_summary_json(const struct record *r,
				const struct record_list *tags);

/* api_child_json (children.c) is child record r of review review_id as
 * every answer shows it: its fields, "review_id", a contingency row's
 * "flag_state", and "review_version" when > 0. Caller owns it; NULL on
 * oom. */
json_t *api_child_json(const struct record *r, int64_t review_id,
		       int64_t review_version);

/* api_meeting_check (meeting.c) validates meeting m as every write of one
 * must: the model's rules, the configuration's invitee limit and a time
 * zone libical knows; E_INVALID with the first problem in e. */
enum err_code api_meeting_check(struct request *req, const struct record *m,
				struct err *e);
/* tickets.c: a follow-up's "ticket" in its JSON. api_ticket_json is a
 * ticket's object (model/ticket.h) beside a follow-up of that status;
 * api_tickets_decorate sets "ticket" of each follow-up object of
 * followups (an array, or one object) that has a ticket on review_id;
 * api_tickets_decorate_list does it from tickets already read (a review
 * document's, store_review_get). */
json_t *api_ticket_json(const struct record *t, const char *followup_status);
void api_tickets_decorate(struct request *req, json_t *followups,
			  int64_t review_id);
void api_tickets_decorate_list(json_t *followups,
			       const struct record_list *tickets);

/* followups.c: one row of a follow-ups list as JSON (NULL on oom). */
struct followup_row;
json_t *api_followup_row_json(const struct followup_row *r, int64_t now);

#endif
