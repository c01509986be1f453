/* form.h: the review form as text. The new and edit pages render a
 * form_doc and a posted form is read back into one, so a page that comes
 * back with errors shows exactly what was typed. Field names on the wire:
 * review fields by their def name ("title"), "tags" (comma-separated),
 * "version", and children as "SEGMENT[N].FIELD" ("timeline[3].at"), with
 * "SEGMENT[N].id" (hidden) and "SEGMENT[N].remove" (a checkbox). Error
 * names use the same spelling, so an error finds its input. */
#ifndef DEBRIEF_WEB_FORM_H
#define DEBRIEF_WEB_FORM_H

#include "http/http.h"
#include "model/review.h"
#include "util/tz.h"

/* Rows per child kind accepted from one form, and the largest N. */
#define FORM_MAX_ROWS  2000
#define FORM_MAX_INDEX 100000

struct form_row {
	int index;	   /* N of "SEGMENT[N]." */
	int64_t id;	   /* 0: a row that is not stored yet */
	int remove;	   /* the remove box was ticked */
	const char **vals; /* def->nfields texts; NULL: not in the form */
};

struct form_rows {
	struct form_row *items;
	size_t n, cap;
};

/* A conflict the edit form shows after a merge (model/review_merge.h):
 * the input it belongs to and, as the form shows them, what was saved
 * meanwhile and the original. On the wire the open conflicts travel as
 * one hidden field "conflicts" (JSON) and the person's choice for each as
 * "choose.NAME": "theirs" or "yours" for a field, "keep" or "remove" for
 * a whole row. */
struct form_conflict {
	const char *name;   /* "went_well", "timeline[3].text", "timeline[3]" */
	const char *theirs; /* "" when they deleted the row */
	const char *base;
	int row;	    /* the whole row: deleted on one side only */
	int theirs_deleted; /* row: they deleted it (else: you did) */
};

struct form_doc {
	int64_t version; /* 0: none given */
	/* the zone times are typed and shown in (the person's, page_zone);
	 * NULL: UTC. A time that names its zone ("...Z") is taken as it is */
	const struct tz *zone;
	/* the review as the form was loaded (review_base_to_json text), so
	 * that a save over a newer version can tell what this person
	 * changed; NULL: none (an old form) */
	const char *base;
	struct form_conflict *conflicts; /* open conflicts */
	size_t nconflicts;
	const char *review[REVIEW_NFIELDS]; /* NULL: not in the form */
	const char *tags;
	struct form_rows rows[CHILD_COUNT]; /* rows[CHILD_TAG] is unused */
	/* after a conflict: the stored value of each review field that
	 * someone else changed meanwhile (NULL: not changed) */
	const char *current[REVIEW_NFIELDS];
};

/* form_from_doc fills fd with the stored values of doc as a person would
 * type them (times as "YYYY-MM-DD HH:MM" in zone, NULL: UTC). Returns -1
 * on oom. */
int form_from_doc(struct arena *a, const struct review_doc *doc,
		  const struct tz *zone, struct form_doc *fd);
/* form_value_text is a stored value as the form shows it (a time in
 * zone). Memory from a; NULL on oom. */
const char *form_value_text(struct arena *a, const struct record *r, int f,
			    const struct tz *zone);
/* form_new_doc fills fd for the new-review form: every field blank except
 * the defaults of the field table. */
void form_new_doc(struct form_doc *fd);
/* form_from_request reads the posted form, its times in the person's zone
 * (page_zone). A malformed version or too many rows is E_BAD_REQUEST in
 * e. */
enum err_code form_from_request(struct request *req, struct form_doc *fd,
				struct err *e);
/* form_apply_choices resolves fd's open conflicts with the person's
 * choices in req: "theirs" puts their text in the field, "remove" ticks
 * the row's remove box, "yours" and "keep" leave the form as typed. A
 * conflict without a choice stays open and gets an error in errs.
 * Returns -1 on oom. */
int form_apply_choices(struct request *req, struct form_doc *fd,
		       struct field_errors *errs);
/* form_conflicts_json is fd's open conflicts as the hidden field carries
 * them; NULL when there are none or on oom. Memory from a. */
const char *form_conflicts_json(struct arena *a, const struct form_doc *fd);
/* form_add_blank_rows appends n empty rows of kind k (with the field
 * defaults preselected), numbered after the highest row index. */
int form_add_blank_rows(struct arena *a, struct form_doc *fd, enum child_kind k,
			size_t n);

/* form_build_doc turns fd into records for the store: the review (for an
 * edit, a patch of the fields the form holds; for a new review, with the
 * defaults filled) and, per child kind, the rows that are neither removed
 * nor blank (tags from the comma-separated list). current is the stored
 * review for an edit (NULL when creating): it supplies the ids of tags that
 * stay and the values every change is validated against. Every problem is
 * added to errs under its form name; row_of[k][i] tells the form row index
 * of out->children[k].items[i]. Returns E_OK, E_INVALID (errs filled) or
 * E_NOMEM. */
enum err_code form_build_doc(struct arena *a, const struct form_doc *fd,
			     const struct review_doc *current,
			     struct review_doc *out, int *row_of[CHILD_COUNT],
			     struct field_errors *errs);

/* form_add_store_error adds the store's error e to errs, turning a child
 * name with a position in doc's lists ("timeline[2].at") into its form
 * name. */
void form_add_store_error(const struct err *e, const struct review_doc *doc,
			  int *row_of[CHILD_COUNT], struct field_errors *errs);

/* form_render.c */

/* form_field_id turns a form name into an element id: prefix "f-" and
 * "timeline[2].at" give "f-timeline-2--at" (the id of its input). */
void form_field_id(char *out, size_t n, const char *prefix, const char *name);
/* form_errors_summary writes the box above a form that lists every error
 * with a link to its field, naming the entry a child's error is in by its
 * position, time and first words (from fd; may be NULL); nothing when errs
 * is empty. */
void form_errors_summary(struct buf *b, const struct form_doc *fd,
			 const struct field_errors *errs);
/* form_failure_notice writes the box above a form sent back whole because
 * the server could not save it (the database away, a failure of ours):
 * "<what> was not saved", the reason (page_fail_reason), and that the
 * form below holds everything typed, to save again; nothing when reason
 * is NULL. */
void form_failure_notice(struct buf *b, const char *what, const char *reason);
/* form_review_fields writes the review's own fields and tags, grouped in
 * fieldsets, each with its label, help and error. */
void form_review_fields(struct buf *b, const struct config *cfg,
			const struct form_doc *fd,
			const struct field_errors *errs);
/* form_children writes one fieldset per child kind (timeline, factors,
 * follow-ups, people, links) with a row per entry. */
void form_children(struct buf *b, const struct form_doc *fd,
		   const struct field_errors *errs);
/* form_child_row writes one row of kind k as form_children does, for a
 * page that edits one entry on its own (timeline_entry.c). */
void form_child_row(struct buf *b, const struct form_doc *fd,
		    enum child_kind k, const struct form_row *row,
		    const struct field_errors *errs);

#endif
