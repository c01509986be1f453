/* review_form.h: what the review form's pages (review_form.c) and the
 * handlers that save them (review_save.c) share: the view of one form and
 * how it is rendered. Internal to src/web. */
#ifndef DEBRIEF_WEB_REVIEW_FORM_H
#define DEBRIEF_WEB_REVIEW_FORM_H

#include "http/http.h"
#include "store/store.h"
#include "web/form.h"

struct coach_report;

/* What one new or edit page shows. */
struct form_view {
	int64_t id;	   /* 0: the new-review form */
	const char *title; /* the stored title, for the heading */
	const struct form_doc *fd;
	const struct field_errors *errs;
	const struct revision *conflicts; /* saves the user has not seen */
	size_t nconflicts;
	const struct coach_report *coach; /* findings in fd; may be NULL */
	const struct record_list *allows; /* the review's lint allow entries */
	int saved;     /* just saved (?saved=1): say so above the form */
	int created;   /* just created (?created=1): say so at the timeline */
	int merged;    /* 409 after a merge: the choices are in the form */
	int has_draft; /* the person has a draft of it (draft.js offers it) */
	const char *failure; /* why the server could not save it, or NULL */
	struct arena *arena; /* the request's, for what rendering needs */
};

/* review_form_render writes the new or edit page for v with the given
 * status (200; 422 with errors; 409 after a conflict or a merge; 500 or
 * 503 with v->failure). */
void review_form_render(struct response *res, const struct config *cfg,
			const struct form_view *v, int status);
/* review_form_coach lints what v's form shows, for the notice above it;
 * without memory for that the form is shown without it. */
void review_form_coach(struct request *req, struct form_view *v);
/* review_form_allows lists review id's lint allow entries (memory from
 * the request's arena); NULL for the new-review form or when they cannot
 * be read (the coach then flags everything, which is only advice). */
const struct record_list *review_form_allows(struct request *req, int64_t id);
/* review_form_base is doc as the edit form carries its base (JSON text,
 * review_base_to_json); NULL on oom. Memory from a. */
const char *review_form_base(struct arena *a, const struct review_doc *doc);

#endif
