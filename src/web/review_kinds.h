/* review_kinds.h: the parts of the review page that architecture and
 * operability reviews draw from the def table (model/review_kinds.c). */
#ifndef DEBRIEF_WEB_REVIEW_KINDS_H
#define DEBRIEF_WEB_REVIEW_KINDS_H

#include "model/review.h"
#include "util/buf.h"

/* web_launch_review_main writes the main column of an architecture or
 * operability review: its facts and prose from review_def (the fields
 * its kind has, in table order), then its lists (departures, questions
 * by votes; readiness with what blocks "ready", contingencies by risk),
 * every value escaped. */
void web_launch_review_main(struct buf *b, const struct review_doc *doc);

/* web_flag_state writes feature flag name's state as the flag source has
 * it now (integrations/flags.h): its value and since when, "unknown to
 * the flag source", and the age of the last good read while the source
 * fails. Pages hold SLOT_FLAG markers that web_personalize fills with
 * it on every answer, so a cached page shows the state of now. */
void web_flag_state(struct buf *b, const char *name);

#endif
