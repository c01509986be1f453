/* review_merge.c: the three-way merge of a review edited by two people at
 * once, and the base the edit form carries for it (see review_merge.h). */
#include "model/review_merge.h"

#include <string.h>

#include "model/record_json.h"

/* value_isset: an empty text or list counts as unset, as it does when a
 * person types it. */
static int value_isset(enum field_type t, const struct value *v)
{
	if (v->state != V_SET)
		return 0;
	if (t == FT_LIST)
		return v->nitems > 0;
	if (t == FT_INT || t == FT_TIME || t == FT_BOOL)
		return 1;
	return v->s && *v->s;
}

int review_merge_same_value(const struct record *a, const struct record *b,
			    int f)
{
	const struct value *x = &a->v[f], *y = &b->v[f];
	int xs = value_isset(a->def->fields[f].type, x);
	int ys = value_isset(a->def->fields[f].type, y);

	if (!xs || !ys)
		return xs == ys;
	switch (a->def->fields[f].type) {
	case FT_INT:
	case FT_TIME:
	case FT_BOOL: return x->i == y->i;
	case FT_LIST:
		if (x->nitems != y->nitems)
			return 0;
		for (size_t i = 0; i < x->nitems; i++)
			if (strcmp(x->items[i], y->items[i]))
				return 0;
		return 1;
	default: return !strcmp(x->s ? x->s : "", y->s ? y->s : "");
	}
}

static int same_row(const struct record *a, const struct record *b)
{
	for (size_t f = 0; f < a->def->nfields; f++)
		if (!review_merge_same_value(a, b, (int)f))
			return 0;
	return 1;
}

static const struct record *find_id(const struct record_list *l, int64_t id)
{
	for (size_t i = 0; id && i < l->n; i++)
		if (l->items[i]->id == id)
			return l->items[i];
	return NULL;
}

/* A growing list of records and one of conflicts, from the arena. */
struct grow {
	struct arena *a;
	struct merge_result *out;
	size_t ccap;
};

static int push_conflict(struct grow *g, const struct merge_conflict *c)
{
	struct merge_result *o = g->out;

	if (o->n == g->ccap) {
		size_t cap = g->ccap ? g->ccap * 2 : 8;
		struct merge_conflict *items =
			arena_alloc(g->a, cap * sizeof *items);
		if (!items)
			return -1;
		if (o->n)
			memcpy(items, o->conflicts, o->n * sizeof *items);
		o->conflicts = items;
		g->ccap = cap;
	}
	o->conflicts[o->n++] = *c;
	return 0;
}

/* merge_fields sets each field of out (a copy of theirs) to yours where
 * only you changed it; a field both changed differently takes yours and
 * is a conflict of kind k at pos. */
static int merge_fields(struct grow *g, int k, size_t pos,
			const struct record *base, const struct record *theirs,
			const struct record *yours, struct record *out)
{
	for (size_t f = 0; f < base->def->nfields; f++) {
		int i = (int)f;

		if (review_merge_same_value(base, yours, i) ||
		    review_merge_same_value(theirs, yours, i))
			continue; /* you did not change it, or changed it alike */
		out->v[f] = yours->v[f];
		if (!review_merge_same_value(base, theirs, i)) {
			struct merge_conflict c = {.kind = k,
						   .pos = pos,
						   .field = i,
						   .base = base,
						   .theirs = theirs,
						   .yours = yours};
			if (push_conflict(g, &c) < 0)
				return -1;
		}
	}
	return 0;
}

/* push_row appends a copy of r (with id) to l, whose room is known. */
static struct record *push_row(struct arena *a, struct record_list *l,
			       const struct record *r, int64_t id)
{
	struct record *c = record_copy(a, r);

	if (!c)
		return NULL;
	c->id = id;
	l->items[l->n++] = c;
	return c;
}

static int row_conflict(struct grow *g, int k, size_t pos, int theirs_deleted,
			const struct record *b, const struct record *t,
			const struct record *y)
{
	struct merge_conflict c = {.kind = k,
				   .pos = pos,
				   .field = -1,
				   .theirs_deleted = theirs_deleted,
				   .base = b,
				   .theirs = t,
				   .yours = y};

	return push_conflict(g, &c);
}

static int merge_rows(struct grow *g, int k, const struct record_list *base,
		      const struct record_list *theirs,
		      const struct record_list *yours, struct record_list *out)
{
	struct arena *a = g->a;

	out->n = 0;
	out->items = arena_alloc(a, (theirs->n + base->n + yours->n + 1) *
					    sizeof *out->items);
	if (!out->items)
		return -1;
	for (size_t i = 0; i < theirs->n; i++) {
		const struct record *t = theirs->items[i];
		const struct record *b = find_id(base, t->id);
		const struct record *y = b ? find_id(yours, t->id) : NULL;
		struct record *m;

		if (!b) { /* they added it */
			if (!push_row(a, out, t, t->id))
				return -1;
		} else if (y) {
			size_t pos = out->n;
			if (!(m = push_row(a, out, t, t->id)) ||
			    merge_fields(g, k, pos, b, t, y, m) < 0)
				return -1;
		} else if (!same_row(b, t)) { /* you deleted what they edited */
			if (!push_row(a, out, t, t->id) ||
			    row_conflict(g, k, out->n - 1, 0, b, t, NULL) < 0)
				return -1;
		}
	}
	for (size_t i = 0; i < base->n; i++) {
		const struct record *b = base->items[i];
		const struct record *y = find_id(yours, b->id);

		if (find_id(theirs, b->id) || !y || same_row(b, y))
			continue; /* kept above, or deleted and not edited */
		/* they deleted what you edited: yours, as a new row */
		if (!push_row(a, out, y, 0) ||
		    row_conflict(g, k, out->n - 1, 1, b, NULL, y) < 0)
			return -1;
	}
	for (size_t i = 0; i < yours->n; i++) {
		const struct record *y = yours->items[i];

		if ((!y->id || !find_id(base, y->id)) &&
		    !push_row(a, out, y, 0))
			return -1;
	}
	return 0;
}

static int has_tag(const struct record_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *s = record_str(l->items[i], TAG_NAME);
		if (s && !strcmp(s, name))
			return 1;
	}
	return 0;
}

/* merge_tags: theirs without the tags you removed, plus the tags you
 * added. */
static int merge_tags(struct arena *a, const struct record_list *base,
		      const struct record_list *theirs,
		      const struct record_list *yours, struct record_list *out)
{
	out->n = 0;
	out->items =
		arena_alloc(a, (theirs->n + yours->n + 1) * sizeof *out->items);
	if (!out->items)
		return -1;
	for (size_t i = 0; i < theirs->n; i++) {
		const struct record *t = theirs->items[i];
		const char *s = record_str(t, TAG_NAME);

		if (s && has_tag(base, s) && !has_tag(yours, s))
			continue;
		if (!push_row(a, out, t, t->id))
			return -1;
	}
	for (size_t i = 0; i < yours->n; i++) {
		const char *s = record_str(yours->items[i], TAG_NAME);

		if (s && !has_tag(base, s) && !has_tag(out, s) &&
		    !push_row(a, out, yours->items[i], 0))
			return -1;
	}
	return 0;
}

enum err_code review_merge(struct arena *a, const struct review_doc *base,
			   const struct review_doc *theirs,
			   const struct review_doc *yours,
			   struct merge_result *out)
{
	struct grow g = {.a = a, .out = out};

	memset(out, 0, sizeof *out);
	if (!(out->doc.review = record_copy(a, theirs->review)) ||
	    merge_fields(&g, MERGE_REVIEW, 0, base->review, theirs->review,
			 yours->review, out->doc.review) < 0)
		return E_NOMEM;
	for (int k = 0; k < CHILD_COUNT; k++) {
		int rc = k == CHILD_TAG ? merge_tags(a, &base->children[k],
						     &theirs->children[k],
						     &yours->children[k],
						     &out->doc.children[k])
					: merge_rows(&g, k, &base->children[k],
						     &theirs->children[k],
						     &yours->children[k],
						     &out->doc.children[k]);
		if (rc < 0)
			return E_NOMEM;
	}
	return E_OK;
}

json_t *review_base_to_json(const struct review_doc *doc)
{
	json_t *o = json_object();

	if (!o ||
	    json_object_set_new(o, "review", record_to_json(doc->review)) < 0)
		goto fail;
	for (int k = 0; k < CHILD_COUNT; k++) {
		json_t *arr = json_array();

		if (!arr ||
		    json_object_set_new(o, child_defs[k]->segment, arr) < 0)
			goto fail;
		for (size_t i = 0; i < doc->children[k].n; i++)
			if (json_array_append_new(
				    arr,
				    record_to_json(doc->children[k].items[i])) <
			    0)
				goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* read_record reads one record of def from obj, keeping its "id". */
static enum err_code read_record(struct arena *a, const struct record_def *def,
				 json_t *obj, struct record **out,
				 struct err *e)
{
	json_t *id = json_object_get(obj, "id");
	enum err_code rc;

	if (!json_is_object(obj) || !json_is_integer(id) ||
	    json_integer_value(id) <= 0)
		return err_set(e, E_BAD_REQUEST, "base",
			       "the form's base is damaged; reload the page");
	/* the base is the server's own writing: anything it does not read
	 * (a value a model rule refuses, a field of another kind) is damage,
	 * not the person's input */
	if ((rc = record_from_json(a, def, obj, out, e)) != E_OK)
		return rc == E_NOMEM ? rc
				     : err_set(e, E_BAD_REQUEST, "base",
					       "the form's base is damaged; "
					       "reload the page");
	(*out)->id = json_integer_value(id);
	return E_OK;
}

enum err_code review_base_from_json(struct arena *a, const char *text,
				    struct review_doc *doc, struct err *e)
{
	json_t *o = json_loads(text, 0, NULL);
	enum err_code rc = E_OK;

	memset(doc, 0, sizeof *doc);
	if (!json_is_object(o)) {
		rc = err_set(e, E_BAD_REQUEST, "base",
			     "the form's base is damaged; reload the page");
		goto out;
	}
	if ((rc = read_record(a, &review_def, json_object_get(o, "review"),
			      &doc->review, e)) != E_OK)
		goto out;
	for (int k = 0; k < CHILD_COUNT; k++) {
		json_t *arr = json_object_get(o, child_defs[k]->segment);
		struct record_list *l = &doc->children[k];
		size_t n = json_array_size(arr);

		/* a form rendered before a kind existed has no list of it */
		if (!arr && !child_in_form(k)) {
			l->items = NULL;
			l->n = 0;
			continue;
		}
		if (!json_is_array(arr)) {
			rc = err_set(e, E_BAD_REQUEST, "base",
				     "the form's base is damaged; reload the "
				     "page");
			goto out;
		}
		if (!(l->items = arena_alloc(a, (n + 1) * sizeof *l->items))) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		for (l->n = 0; l->n < n; l->n++)
			if ((rc = read_record(a, child_defs[k],
					      json_array_get(arr, l->n),
					      &l->items[l->n], e)) != E_OK)
				goto out;
	}
out:
	json_decref(o);
	return rc;
}
