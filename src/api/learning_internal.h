/* learning_internal.h: what the learning handlers (signals.c) share
 * with the other handlers of src/api. */
#ifndef DEBRIEF_API_LEARNING_INTERNAL_H
#define DEBRIEF_API_LEARNING_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"
#include "store/store.h"
#include "util/err.h"

/* api_int_query reads query argument name as a whole number in
 * [min, max]; dflt when absent or empty; E_BAD_REQUEST naming it. */
enum err_code api_int_query(struct request *req, const char *name, long min,
			    long max, long dflt, long *out, struct err *e);

/* api_most_read_args reads "days" (default 30; 0: all time) of
 * GET /api/v1/reviews?sort=reads into the time reads are counted from. */
enum err_code api_most_read_args(struct request *req, int64_t *since,
				 struct err *e);

/* api_link_json is one inbound link as the API gives it. */
json_t *api_link_json(const struct inbound_link *l);

#endif
