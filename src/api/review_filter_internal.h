/* review_filter_internal.h: the query arguments of GET /api/v1/reviews. */
#ifndef DEBRIEF_API_REVIEW_FILTER_INTERNAL_H
#define DEBRIEF_API_REVIEW_FILTER_INTERNAL_H

#include "http/http.h"
#include "store/store.h"
#include "util/err.h"

#define API_LIST_DEFAULT_LIMIT 50
#define API_LIST_MAX_LIMIT     500

/* api_review_filter reads kind, severity, status, tag, service, q, from,
 * to, deleted, limit, offset and cursor (a next_cursor of an earlier
 * answer; not with offset) from the query into f (strings point into the
 * request). An empty argument counts as absent. A bad value is
 * E_BAD_REQUEST naming the argument. limit and offset come back filled
 * with the values used. */
enum err_code api_review_filter(struct request *req, struct review_filter *f,
				struct err *e);

/* api_transcript_filter reads channel, since, until, q, limit (1 to
 * TRANSCRIPT_LIST_MAX, default API_TRANSCRIPT_DEFAULT_LIMIT) and offset
 * for GET /api/v1/reviews/{id}/transcripts, with the same rules as the
 * review list; limit and offset come back filled. */
#define API_TRANSCRIPT_DEFAULT_LIMIT 100
enum err_code api_transcript_filter(struct request *req,
				    struct transcript_filter *f, struct err *e);

/* api_followup_filter reads lingering (true/false, 1/0), owner, team,
 * limit and offset for GET /api/v1/followups, with the same rules; the
 * caller sets viewer, now and linger_seconds. */
enum err_code api_followup_filter(struct request *req,
				  struct followup_filter *f, struct err *e);

/* api_search_query reads the arguments of GET /api/v1/search and of the
 * search page: q (the search's limits, REVIEW_SEARCH_MAX), kind,
 * severity, tag, service, team, from, to, open_followups (1 or 0), limit
 * (1 to SEARCH_MAX_LIMIT, default SEARCH_DEFAULT_LIMIT) and offset, with
 * the rules of the review list; a bad value is E_BAD_REQUEST naming it. */
enum err_code api_search_query(struct request *req, struct search_query *sq,
			       struct err *e);

#endif
