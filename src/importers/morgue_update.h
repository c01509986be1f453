/* morgue_update.h: importing a Morgue postmortem again that an earlier
 * import made a review of (see morgue_update.c for the rule). */
#ifndef DEBRIEF_MORGUE_UPDATE_H
#define DEBRIEF_MORGUE_UPDATE_H

#include "store/store.h"
#include "util/buf.h"

/* morgue_snapshot is what r (a review built from a postmortem) is kept
 * as with its source: the base of the next import. JSON text from a;
 * NULL on oom. */
const char *morgue_snapshot(struct arena *a, const struct export_review *r);

/* What morgue_update did to one review. */
enum morgue_outcome {
	MORGUE_UNCHANGED, /* nothing to do: Morgue did not change it */
	MORGUE_UPDATED,	  /* Morgue's changes written (maybe with conflicts) */
	MORGUE_KEPT,	  /* only conflicts: nothing written */
	MORGUE_FAILED	  /* an error, in e; nothing written */
};

/* morgue_update brings review_id, made from postmortem n before, up to
 * date with n, given base (what that import wrote: morgue_snapshot; NULL
 * when not kept). Lines for the summary go to out ("  morgue:7: review
 * 3: ..."), *conflicts counts the values kept because debrief changed
 * them too. Writes one revision set by actor "morgue" (store_review_save)
 * and records n as the new base. Memory from a. */
enum morgue_outcome morgue_update(struct store *st, struct arena *a,
				  const struct export_review *n,
				  int64_t review_id, const char *base,
				  struct buf *out, int *conflicts,
				  struct err *e);

#endif
