/* gen_review.h: generated reviews with every field of every record set,
 * from the def tables (a field added to a def is generated too), for the
 * export round-trip tests. Text holds what breaks naive writers: quotes,
 * colons, '#', leading dashes, non-ASCII, line breaks in markdown. */
#ifndef DEBRIEF_TEST_GEN_REVIEW_H
#define DEBRIEF_TEST_GEN_REVIEW_H

#include <stdio.h>
#include <string.h>

#include "model/meeting.h"
#include "model/record.h"
#include "model/review.h"
#include "util/arena.h"

#define GEN_T0 1700000000

static void gen_fill(struct arena *a, struct record *r, int seed)
{
	char tb[600];
	const struct variant_rules *vr = r->def->variants;

	/* the variant (a review's kind) first: it decides which fields the
	 * record has (record_field_applies) */
	if (vr) {
		int n = 0;
		while (r->def->fields[vr->field].choices[n])
			n++;
		record_set_str(r, vr->field,
			       r->def->fields[vr->field].choices[seed % n]);
	}
	for (size_t f = 0; f < r->def->nfields; f++) {
		const struct field_def *fd = &r->def->fields[f];
		int n = 0;

		if ((vr && (int)f == vr->field) ||
		    !record_field_applies(r, (int)f))
			continue;
		/* a link to another review: the store checks it names one */
		if (r->def == &review_def && f == REVIEW_ARCHITECTURE_REVIEW)
			continue;
		switch (fd->type) {
		case FT_TEXT:
			snprintf(tb, sizeof tb,
				 "- %s %d: \"quoted\" #hash 'single' café ✓",
				 fd->name, seed);
			record_set_str(r, (int)f, arena_strdup(a, tb));
			break;
		case FT_MARKDOWN:
			snprintf(tb, sizeof tb,
				 "%s %d, first line: with a colon\n\n"
				 "- a list item\n- `code` and **bold**\n\n"
				 "## a heading inside\n\n---\n"
				 "last line ends without a newline — ü",
				 fd->name, seed);
			record_set_str(r, (int)f, arena_strdup(a, tb));
			break;
		case FT_ENUM:
			while (fd->choices[n])
				n++;
			/* a choice this variant may take */
			for (int k = 0; k < n; k++)
				if (record_choice_applies(r, (int)f,
							  (seed + k) % n)) {
					n = (seed + k) % n;
					break;
				}
			record_set_str(r, (int)f, fd->choices[n]);
			break;
		case FT_INT: {
			/* unsigned: a field without a cap spans all of int64 */
			uint64_t span = (uint64_t)fd->max - (uint64_t)fd->min;

			record_set_int(r, (int)f,
				       fd->min + (int64_t)(span == UINT64_MAX
								   ? (uint64_t)seed
								   : (uint64_t)seed %
									     (span + 1)));
			break;
		}
		case FT_TIME:
			record_set_int(r, (int)f,
				       GEN_T0 + seed * 3600 + (int64_t)f * 60);
			break;
		case FT_DATE:
			snprintf(tb, sizeof tb, "2026-%02d-%02d", 1 + seed % 12,
				 1 + seed % 28);
			record_set_str(r, (int)f, arena_strdup(a, tb));
			break;
		case FT_BOOL:
			record_set_int(r, (int)f, seed % 2 == 0);
			break;
		case FT_LIST: {
			const char **items = arena_alloc(a, 2 * sizeof *items);
			snprintf(tb, sizeof tb, "grp-%d", seed);
			items[0] = arena_strdup(a, tb);
			items[1] = "ops.team_b";
			if (r->def == &review_def && f == REVIEW_TEAMS) {
				items[0] = "qa"; /* the teams there are */
				items[1] = "product";
			}
			record_set_list(r, (int)f, items, 2);
			break;
		}
		case FT_URL:
			snprintf(tb, sizeof tb,
				 "https://example.com/%s/%d?a=1&b=%%20",
				 fd->name, seed);
			record_set_str(r, (int)f, arena_strdup(a, tb));
			break;
		}
	}
	if (r->def == &readiness_def) /* a "no" could block "ready" */
		record_set_str(r, RD_ANSWER, "yes");
	if (r->def == &contingency_def) { /* a flag name has no spaces */
		snprintf(tb, sizeof tb, "flag_%d", seed);
		record_set_str(r, CT_FLAG, arena_strdup(a, tb));
	}
}

/* gen_doc fills doc with a review and per_kind children of every kind,
 * every field set. */
static void gen_doc(struct arena *a, struct review_doc *doc, int seed,
		    int per_kind)
{
	memset(doc, 0, sizeof *doc);
	doc->review = record_new(a, &review_def);
	gen_fill(a, doc->review, seed);
	for (int k = 0; k < CHILD_COUNT; k++) {
		struct record_list *l = &doc->children[k];

		/* a review has at most one live meeting */
		int n = k == CHILD_MEETING && per_kind > 1 ? 1 : per_kind;

		l->items = arena_alloc(a, sizeof *l->items * per_kind);
		if (!review_has_child(doc->review, k))
			continue; /* not a list of this kind of review */
		for (int i = 0; i < n; i++) {
			struct record *c = record_new(a, child_defs[k]);
			gen_fill(a, c, seed * 10 + i);
			if (k == CHILD_MEETING)
				record_set_str(c, MEETING_TIMEZONE,
					       "Europe/Paris");
			if (k == CHILD_TAG) {
				char tb[32];
				snprintf(tb, sizeof tb, "tag-%d", i);
				record_set_str(c, TAG_NAME, arena_strdup(a, tb));
			}
			l->items[l->n++] = c;
		}
	}
}

#endif
