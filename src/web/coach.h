/* coach.h: the language coach (src/lint) on the server-rendered pages: the
 * findings in a review's prose fields, listed above the edit form (so
 * that people without JavaScript see them after saving) and summed up on
 * the review page. The highlighting as people type is static/lint.js,
 * which calls POST /api/v1/lint. Not used outside src/web. */
#ifndef DEBRIEF_WEB_COACH_H
#define DEBRIEF_WEB_COACH_H

#include <stdint.h>

#include "lint/lint.h"
#include "web/form.h"

/* The findings in one prose field of the form. */
struct coach_field {
	const char *name;    /* form name: "summary", "timeline[2].text" */
	const char *section; /* "Summary", "Timeline" (static) */
	const char *what;    /* the field's label ("What happened") */
	int row;	     /* 1-based position of a child row; 0: review */
	const char *text;    /* the linted text (the form's) */
	const struct lint_finding *f;
	size_t n;
};

/* What the coach found in a whole form: only fields with findings. */
struct coach_report {
	struct coach_field *fields;
	size_t nfields;
	size_t total; /* findings in all fields */
};

/* coach_lint_form lints every prose field fd holds (markdown, and the
 * one-line fields marked F_PROSE: titles, factors, link comments), review
 * fields first and then the rows of the timeline, contributing factors,
 * follow-ups and links in the order the form shows them (rows ticked for
 * removal are skipped).
 * allows (may be NULL) are the review's lint allow entries: a finding of
 * an entry's category that overlaps its phrase is left out.
 * A field the engine refuses is left out: the coach advises, it never
 * stands in the way of saving. Memory from a. Returns 0, or -1 when out
 * of memory (out is then empty). */
int coach_lint_form(struct arena *a, const struct form_doc *fd,
		    const struct record_list *allows, struct coach_report *out);

/* coach_notice writes the box above the review form: with saved set, a
 * "Saved" line first; then (in a .coach-static element, which lint.js
 * hides once it highlights live) every finding by field, linked to its
 * input, with message and suggestion. Nothing when there is neither. */
void coach_notice(struct buf *b, const struct coach_report *r, int saved);

/* coach_summary writes the one-line summary for the review page
 * ("Language coach: 3 notes in Summary, 1 in Timeline — see the edit
 * page"); nothing when r has no findings. Hints (LINT_HINT_MASK) are
 * counted only when hints is set (config coach_hints). */
void coach_summary(struct buf *b, const struct coach_report *r, int64_t id,
		   int hints);

#endif
