/* review_merge.h: the three-way merge of a review that two people edited
 * at once. base is the review as the editor loaded it, theirs what is
 * stored now (someone saved meanwhile), yours what the editor submits.
 * Per field and per child row (matched by id): what only one side changed
 * is taken from that side; what both changed the same way is taken; what
 * both changed differently is a conflict. Rows added on either side are
 * all kept; a row deleted on one side and edited on the other is a
 * conflict. Tags merge as a set of names. No I/O lives here. */
#ifndef DEBRIEF_REVIEW_MERGE_H
#define DEBRIEF_REVIEW_MERGE_H

#include <jansson.h>

#include "model/review.h"

#define MERGE_REVIEW (-1) /* merge_conflict.kind of a review field */

struct merge_conflict {
	int kind;   /* MERGE_REVIEW or a child_kind */
	size_t pos; /* a child: its index in the merged list; 0 for review */
	int field;  /* a field index; -1: the whole row */
	int theirs_deleted; /* whole row: 1 they deleted the row you edited,
			     * 0 you deleted the row they edited */
	const struct record *base, *theirs, *yours; /* NULL: deleted there */
};

struct merge_result {
	/* The merged review: the review record holds every field (theirs,
	 * with your changes applied; a conflicting field holds yours), each
	 * child list the rows that stay (theirs with your changes; rows
	 * added by you with id 0; a conflicting row as the side that kept
	 * it, with id 0 when they deleted it). */
	struct review_doc doc;
	struct merge_conflict *conflicts;
	size_t n;
};

/* review_merge merges yours into theirs over base (all three full: every
 * field of every record as it is or would be stored; yours' new rows have
 * id 0). Memory from a (records are copies; strings shared). Returns E_OK
 * (out->n conflicts, 0: out->doc can be saved over theirs as it is) or
 * E_NOMEM. */
enum err_code review_merge(struct arena *a, const struct review_doc *base,
			   const struct review_doc *theirs,
			   const struct review_doc *yours,
			   struct merge_result *out);

/* review_merge_same_value tells whether field f holds the same value in a
 * and b (an unset field equals a null one). */
int review_merge_same_value(const struct record *a, const struct record *b,
			    int f);

/* review_base_to_json encodes doc as the edit form carries its base:
 * {"review": {...}, "timeline": [{"id": 3, ...}], ..., "tags": [...]},
 * every record as record_to_json writes it. Caller owns the reference;
 * NULL on oom. */
json_t *review_base_to_json(const struct review_doc *doc);

/* review_base_from_json reads text written by review_base_to_json back
 * into doc (ids kept; unset fields V_ABSENT). Anything else is
 * E_BAD_REQUEST in e; memory from a. */
enum err_code review_base_from_json(struct arena *a, const char *text,
				    struct review_doc *doc, struct err *e);

#endif
