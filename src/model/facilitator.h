/* facilitator.h: the facilitator roster. An entry is a person who took the
 * facilitator course: when, whether they are available, how to reach
 * them. What they facilitated (how many reviews, the last) is counted from
 * the meetings, never typed. A top-level record kind (not a child of a
 * review): versions and 409 as everywhere, changes in the audit trail. */
#ifndef DEBRIEF_FACILITATOR_H
#define DEBRIEF_FACILITATOR_H

#include "model/record.h"
#include "model/review.h"

enum facilitator_field {
	FAC_NAME,       /* as it is written in a meeting's facilitator */
	FAC_TRAINED_ON, /* when they took the course */
	FAC_AVAILABLE,
	FAC_CONTACT,    /* an e-mail address */
	FAC_NOTE,
	FAC_NFIELDS
};

extern const struct record_def facilitator_def;

/* A roster entry with what the meetings say about it. */
struct facilitator {
	struct record *rec;
	int64_t facilitated;	  /* held meetings they facilitated */
	int64_t last_facilitated; /* the start of the last; 0: never */
	int involved;		  /* filled by facilitator_suggest */
};

/* facilitator_names_match tells whether a meeting's facilitator text
 * ("Ana" or "Ana <ana@x.org>") names the roster entry called name
 * (ignoring case). */
int facilitator_names_match(const char *meeting_facilitator,
			    const char *name);

/* facilitator_suggest orders the roster for a review: the available
 * people who were not involved (not among doc's responders and actors),
 * who facilitated least recently first (never before anyone), then by
 * name. Writes at most n into out and returns how many; sets involved on
 * every entry of all. */
size_t facilitator_suggest(struct facilitator *all, size_t n,
			   const struct review_doc *doc,
			   struct facilitator *out);

#endif
