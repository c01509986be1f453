/* form_build.c: a posted review form turned into the records the store
 * takes, with every problem named after the input it came from. */
#include <stdio.h>
#include <string.h>

#include "web/form.h"

#include "util/timeutil.h"
#include "util/utf8.h"

static int has_error(const struct field_errors *errs, const char *name)
{
	for (size_t i = 0; i < errs->n; i++)
		if (!strcmp(errs->items[i].field, name))
			return 1;
	return 0;
}

/* add_validation validates full (the record as it would be stored) and
 * adds its errors under prefix + field name, skipping fields that already
 * have an error (a time that did not parse is not also "required"). */
static void add_validation(const struct record *full, const char *prefix,
			   struct field_errors *errs)
{
	struct field_errors v;
	char name[64];

	record_validate_all(full, &v);
	for (size_t i = 0; i < v.n; i++) {
		snprintf(name, sizeof name, "%s%s", prefix, v.items[i].field);
		if (!has_error(errs, name))
			record_add_error(errs, name, "%s", v.items[i].message);
	}
}

/* parse_field sets field f of r from text, a time typed without a zone
 * being a wall-clock time in zone (NULL: UTC); a bad value becomes an
 * error under prefix + field name. Returns -1 only when out of memory. */
static int parse_field(struct arena *a, struct record *r, int f,
		       const char *text, const char *prefix,
		       const struct tz *zone, struct field_errors *errs)
{
	int is_time = r->def->fields[f].type == FT_TIME && !tz_is_utc(zone);
	char name[64], iso[TIME_BUF];
	const char *utc;
	int64_t t;
	struct err e;

	err_clear(&e);
	if (is_time && tz_parse(zone, text, &t) == 0) {
		time_format(t, iso);
		text = iso; /* what the model reads: UTC */
	}
	switch (record_parse_value(a, r, f, text, &e)) {
	case E_OK: return 0;
	case E_NOMEM: return -1;
	default:
		snprintf(name, sizeof name, "%s%s", prefix,
			 r->def->fields[f].name);
		/* the example time is in the person's zone, not UTC */
		if (is_time && (utc = strstr(e.message, "(UTC)")))
			record_add_error(errs, name, "%.*s(%s)%s",
					 (int)(utc - e.message), e.message,
					 tz_name(zone), utc + 5);
		else
			record_add_error(errs, name, "%s", e.message);
		return 0;
	}
}

static int build_review(struct arena *a, const struct form_doc *fd,
			const struct review_doc *current,
			struct review_doc *out, struct field_errors *errs)
{
	struct record *r = record_new(a, &review_def), *full = r;

	if (!r)
		return -1;
	for (int f = 0; f < REVIEW_NFIELDS; f++)
		if (fd->review[f] &&
		    parse_field(a, r, f, fd->review[f], "", fd->zone, errs) < 0)
			return -1;
	if (current) {
		r->id = current->review->id;
		if (!(full = record_copy(a, current->review)))
			return -1;
		record_apply(full, r);
	} else {
		record_fill_defaults(a, r);
	}
	add_validation(full, "", errs);
	out->review = r;
	return 0;
}

/* keep_all lists the current children of kind k as empty patches: "no
 * change", for a form that did not carry that section at all. */
static int keep_all(struct arena *a, const struct review_doc *current, int k,
		    struct record_list *out)
{
	const struct record_list *cur = &current->children[k];

	out->n = 0;
	out->items = arena_alloc(a, (cur->n + 1) * sizeof *out->items);
	if (!out->items)
		return -1;
	for (size_t i = 0; i < cur->n; i++) {
		struct record *r = record_new(a, child_defs[k]);
		if (!r)
			return -1;
		r->id = cur->items[i]->id;
		r->review_id = cur->items[i]->review_id;
		out->items[out->n++] = r;
	}
	return 0;
}

static int build_tags(struct arena *a, const struct form_doc *fd,
		      const struct review_doc *current, struct record_list *out,
		      struct field_errors *errs)
{
	const char *p = fd->tags;
	size_t cap = 1;

	if (!p)
		return current ? keep_all(a, current, CHILD_TAG, out) : 0;
	for (const char *q = p; *q; q++)
		cap += *q == ',';
	out->n = 0;
	out->items = arena_alloc(a, cap * sizeof *out->items);
	if (!out->items)
		return -1;
	while (*p) {
		size_t len = strcspn(p, ","), i;
		char *name = arena_strndup(a, p, len);
		struct record *t = record_new(a, &tag_def);
		struct field_errors v;

		p += len + (p[len] == ',');
		if (!name || !t)
			return -1;
		if (parse_field(a, t, TAG_NAME, name, "tags.", NULL, errs) < 0)
			return -1;
		if (!record_isset(t, TAG_NAME))
			continue; /* blank between two commas */
		name = (char *)record_str(t, TAG_NAME);
		for (i = 0; i < out->n; i++)
			if (!strcmp(record_str(out->items[i], TAG_NAME), name))
				break;
		if (i < out->n)
			continue; /* the same tag twice */
		record_validate_all(t, &v);
		if (v.n) {
			if (!has_error(errs, "tags"))
				record_add_error(errs, "tags",
						 "Tag \"%.*s\": %s",
						 (int)utf8_cut(name, 64), name,
						 v.items[0].message);
			continue;
		}
		for (size_t c = 0;
		     current && c < current->children[CHILD_TAG].n; c++) {
			struct record *old =
				current->children[CHILD_TAG].items[c];
			if (!strcmp(record_str(old, TAG_NAME), name))
				t->id = old->id;
		}
		out->items[out->n++] = t;
	}
	/* a parse error came back as "tags.name": show it on the input */
	for (size_t i = 0; i < errs->n; i++)
		if (!strcmp(errs->items[i].field, "tags.name"))
			strcpy(errs->items[i].field, "tags");
	return 0;
}

/* row_blank: a new row counts as empty when every field a person types
 * into is empty (choices and boxes keep their preset values). */
static int row_blank(const struct record_def *def, const struct form_row *row)
{
	for (size_t f = 0; f < def->nfields; f++) {
		enum field_type t = def->fields[f].type;
		const char *s = row->vals[f];

		if (t == FT_ENUM || t == FT_BOOL || !s)
			continue;
		s += strspn(s, " \t\r\n");
		if (*s)
			return 0;
	}
	return 1;
}

static const struct record *find_child(const struct review_doc *current, int k,
				       int64_t id)
{
	for (size_t i = 0; current && id && i < current->children[k].n; i++)
		if (current->children[k].items[i]->id == id)
			return current->children[k].items[i];
	return NULL;
}

static int build_children(struct arena *a, const struct form_doc *fd,
			  const struct review_doc *current, int k,
			  struct record_list *out, int **row_of,
			  struct field_errors *errs)
{
	const struct record_def *def = child_defs[k];
	const struct form_rows *rows = &fd->rows[k];

	/* a kind the form does not edit (lint allow entries) is kept as
	 * it is, whatever was posted */
	if (current && (rows->n == 0 || !child_in_form(k)))
		return keep_all(a, current, k, out);
	if (!child_in_form(k))
		return 0;
	out->n = 0;
	out->items = arena_alloc(a, (rows->n + 1) * sizeof *out->items);
	*row_of = arena_alloc(a, (rows->n + 1) * sizeof **row_of);
	if (!out->items || !*row_of)
		return -1;
	for (size_t i = 0; i < rows->n; i++) {
		const struct form_row *row = &rows->items[i];
		/* A row whose entry was deleted meanwhile comes back as a new
		 * one, so that what was typed into it is not lost. */
		const struct record *cur = find_child(current, k, row->id);
		struct record *r, *full;
		char prefix[48];

		if (row->remove || (!cur && row_blank(def, row)))
			continue;
		snprintf(prefix, sizeof prefix, "%s[%d].", def->segment,
			 row->index);
		if (!(r = record_new(a, def)))
			return -1;
		r->id = cur ? cur->id : 0;
		r->review_id = current ? current->review->id : 0;
		for (size_t f = 0; f < def->nfields; f++) {
			const char *s = row->vals[f];
			/* an unticked box is not sent at all */
			if (!s && def->fields[f].type == FT_BOOL)
				s = "false";
			if (s && parse_field(a, r, (int)f, s, prefix, fd->zone,
						errs) < 0)
				return -1;
		}
		full = r;
		if (cur) {
			if (!(full = record_copy(a, cur)))
				return -1;
			record_apply(full, r);
		} else {
			record_fill_defaults(a, r);
		}
		add_validation(full, prefix, errs);
		(*row_of)[out->n] = row->index;
		out->items[out->n++] = r;
	}
	return 0;
}

enum err_code form_build_doc(struct arena *a, const struct form_doc *fd,
			     const struct review_doc *current,
			     struct review_doc *out, int *row_of[CHILD_COUNT],
			     struct field_errors *errs)
{
	memset(out, 0, sizeof *out);
	for (int k = 0; k < CHILD_COUNT; k++)
		row_of[k] = NULL;
	errs->n = 0;
	if (build_review(a, fd, current, out, errs) < 0 ||
	    build_tags(a, fd, current, &out->children[CHILD_TAG], errs) < 0)
		return E_NOMEM;
	for (int k = 0; k < CHILD_COUNT; k++)
		if (k != CHILD_TAG &&
		    build_children(a, fd, current, k, &out->children[k],
				   &row_of[k], errs) < 0)
			return E_NOMEM;
	return errs->n ? E_INVALID : E_OK;
}

void form_add_store_error(const struct err *e, const struct review_doc *doc,
			  int *row_of[CHILD_COUNT], struct field_errors *errs)
{
	char seg[32], name[64];
	int k, pos, used = 0;

	if (sscanf(e->field, "%31[a-z][%d].%n", seg, &pos, &used) == 2 &&
	    used > 0 && (k = child_kind_from_segment(seg)) >= 0 && pos >= 0 &&
	    (size_t)pos < doc->children[k].n) {
		if (k == CHILD_TAG)
			snprintf(name, sizeof name, "tags");
		else if (!row_of[k])
			snprintf(name, sizeof name, "%s", e->field);
		else
			snprintf(name, sizeof name, "%s[%d].%s", seg,
				 row_of[k][pos], e->field + used);
		record_add_error(errs, name, "%s", e->message);
		return;
	}
	record_add_error(errs, e->field, "%s", e->message);
}
