/* morgue_update.c: a postmortem that an earlier `debrief import morgue`
 * made a review of, imported again. The rule, a three-way merge against
 * what the earlier import wrote (the base, kept with the source in
 * import_sources.imported since migration 022):
 *
 *  - a review field that Morgue changed since and debrief did not is
 *    updated to Morgue's value;
 *  - one that debrief changed and Morgue did not keeps debrief's value,
 *    quietly (that is an edit made in debrief);
 *  - one changed in both, differently, keeps debrief's value and is
 *    reported as a conflict in the summary;
 *  - children (tags, links, people, factors, follow-ups) are compared as
 *    whole items: one Morgue added is added (unless debrief has it); one
 *    Morgue removed or changed is removed when debrief still has it as
 *    imported, else kept and reported.
 *
 * A source imported before migration 022 has no base: when the review's
 * version is still the imported one (never edited in debrief), the review
 * itself is the base; otherwise every difference is reported and nothing
 * is written. Either way Morgue's postmortem becomes the base of the next
 * import. The writes of one review are one store_review_save by actor
 * "morgue": one version, revisions for each change. */
#include <jansson.h>
#include <string.h>

#include "importers/morgue_update.h"

/* field_text is field f of r as the merge compares it: its text form, ""
 * when unset or at its default (an import stores no defaults, a save
 * does). */
static const char *field_text(struct arena *a, const struct record *r, int f)
{
	const char *dflt = r->def->fields[f].dflt;
	const char *t = record_value_text(a, r, f);

	if (!t || (dflt && !strcmp(t, dflt)))
		return "";
	return t;
}

/* child_key is one child as one string: its set fields, name=value. */
static const char *child_key(struct arena *a, const struct record *r)
{
	struct buf b = BUF_INIT;
	const char *out;

	for (size_t f = 0; f < r->def->nfields; f++) {
		const char *t;

		if (r->def->fields[f].flags & F_INTERNAL)
			continue;
		t = field_text(a, r, (int)f);
		if (*t)
			buf_printf(&b, "%s=%s\x1f", r->def->fields[f].name, t);
	}
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

const char *morgue_snapshot(struct arena *a, const struct export_review *r)
{
	json_t *o = json_object(), *fields = json_object(),
	       *kids = json_object();
	const char *out = NULL;
	char *text;

	if (!o || !fields || !kids ||
	    json_object_set_new(o, "review", fields) ||
	    json_object_set_new(o, "children", kids)) {
		json_decref(o);
		return NULL;
	}
	for (size_t f = 0; f < review_def.nfields; f++) {
		const char *t;

		if (review_def.fields[f].flags & F_INTERNAL)
			continue;
		t = field_text(a, r->review, (int)f);
		if (*t && json_object_set_new(fields, review_def.fields[f].name,
					      json_string(t)))
			goto out;
	}
	for (int k = 0; k < CHILD_COUNT; k++) {
		json_t *arr;

		if (!r->children[k].n)
			continue;
		if (!(arr = json_array()) ||
		    json_object_set_new(kids, child_defs[k]->segment, arr))
			goto out;
		for (size_t i = 0; i < r->children[k].n; i++) {
			const char *key = child_key(a, r->children[k].items[i]);

			if (!key ||
			    json_array_append_new(arr, json_string(key)))
				goto out;
		}
	}
	if ((text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS))) {
		out = arena_strdup(a, text);
		free(text);
	}
out:
	json_decref(o);
	return out;
}

static int key_in(const char *key, const char *const *keys, size_t n,
		  const char *used)
{
	for (size_t i = 0; i < n; i++)
		if ((!used || !used[i]) && keys[i] && !strcmp(keys[i], key))
			return (int)i;
	return -1;
}

/* The state of one merge. */
struct merge {
	struct arena *a;
	const struct export_review *n; /* Morgue now */
	struct review_doc cur;	       /* debrief now */
	json_t *base;		       /* the earlier import; NULL: unknown */
	int base_is_cur;	       /* no base kept, never edited */
	struct buf what;	       /* what was written */
	struct buf kept;	       /* the conflicts */
	int conflicts, writes;
};

static void say(struct buf *b, const char *text)
{
	buf_printf(b, "%s%s", b->len ? ", " : "", text);
}

/* merge_fields fills patch with the review fields to update. */
static void merge_fields(struct merge *m, struct record *patch)
{
	json_t *bf = json_object_get(m->base, "review");

	for (size_t f = 0; f < review_def.nfields; f++) {
		const char *name = review_def.fields[f].name, *tn, *tc, *tb;

		if ((review_def.fields[f].flags & F_INTERNAL) ||
		    !record_field_applies(m->cur.review, (int)f))
			continue;
		tn = field_text(m->a, m->n->review, (int)f);
		tc = field_text(m->a, m->cur.review, (int)f);
		if (!strcmp(tn, tc))
			continue;
		tb = m->base ? (json_string_value(json_object_get(bf, name))
					? json_string_value(
						  json_object_get(bf, name))
					: "")
		     : m->base_is_cur ? tc
				      : NULL;
		if (tb && !strcmp(tn, tb))
			continue; /* changed in debrief only */
		if (tb && !strcmp(tc, tb)) {
			if (m->n->review->v[f].state == V_SET)
				patch->v[f] = m->n->review->v[f];
			else
				record_set_null(patch, (int)f);
			say(&m->what, name);
			m->writes++;
			continue;
		}
		buf_printf(&m->kept, "%s%s", m->kept.len ? ", " : "", name);
		m->conflicts++;
	}
}

/* merge_children sets out to the list of kind k to save. */
static int merge_children(struct merge *m, int k, struct record_list *out)
{
	const struct record_list *c = &m->cur.children[k],
				 *n = &m->n->children[k];
	const char **ck = arena_alloc(m->a, sizeof *ck * (c->n + 1)),
		   **nk = arena_alloc(m->a, sizeof *nk * (n->n + 1)),
		   **bk = NULL;
	char *removed = arena_alloc(m->a, c->n + 1);
	json_t *barr = json_object_get(json_object_get(m->base, "children"),
				       child_defs[k]->segment);
	size_t nb = 0, added = 0, gone = 0, kept = 0;
	char line[160];

	out->items = arena_alloc(m->a, sizeof *out->items * (c->n + n->n + 1));
	out->n = 0;
	if (!ck || !nk || !removed || !out->items)
		return -1;
	memset(removed, 0, c->n + 1);
	for (size_t i = 0; i < c->n; i++)
		if (!(ck[i] = child_key(m->a, c->items[i])))
			return -1;
	for (size_t j = 0; j < n->n; j++)
		if (!(nk[j] = child_key(m->a, n->items[j])))
			return -1;
	if (m->base) {
		nb = json_array_size(barr);
		if (!(bk = arena_alloc(m->a, sizeof *bk * (nb + 1))))
			return -1;
		for (size_t i = 0; i < nb; i++)
			bk[i] = json_string_value(json_array_get(barr, i));
	} else if (m->base_is_cur) {
		bk = ck;
		nb = c->n;
	}
	if (bk) {
		/* removed or changed in Morgue: gone when debrief has it as
		 * it was imported */
		for (size_t i = 0; i < nb; i++) {
			int at;

			if (!bk[i] || key_in(bk[i], nk, n->n, NULL) >= 0)
				continue;
			if ((at = key_in(bk[i], ck, c->n, removed)) >= 0) {
				removed[at] = 1;
				gone++;
			} else {
				kept++;
			}
		}
	}
	for (size_t i = 0; i < c->n; i++)
		if (!removed[i])
			out->items[out->n++] = c->items[i];
	for (size_t j = 0; j < n->n; j++) {
		struct record *r;

		if (key_in(nk[j], ck, c->n, NULL) >= 0)
			continue; /* debrief has it */
		if (!bk || key_in(nk[j], bk, nb, NULL) >= 0) {
			/* debrief lacks it: removed there since (or, with no
			 * base, unknown) */
			if (!bk)
				kept++;
			continue;
		}
		if (!(r = record_copy(m->a, n->items[j])))
			return -1;
		r->id = 0;
		r->review_id = m->cur.review->id;
		out->items[out->n++] = r;
		added++;
	}
	if (added || gone) {
		snprintf(line, sizeof line, "%s%zu %s%s added, %zu removed", "",
			 added, child_defs[k]->name, added == 1 ? "" : "s",
			 gone);
		say(&m->what, line);
		m->writes += (int)(added + gone);
	}
	if (kept) {
		snprintf(line, sizeof line, "%zu %s%s", kept,
			 child_defs[k]->name, kept == 1 ? "" : "s");
		buf_printf(&m->kept, "%s%s", m->kept.len ? ", " : "", line);
		m->conflicts += (int)kept;
	}
	return 0;
}

enum morgue_outcome morgue_update(struct store *st, struct arena *a,
				  const struct export_review *n,
				  int64_t review_id, const char *base,
				  struct buf *out, int *conflicts,
				  struct err *e)
{
	struct merge m = {.a = a, .n = n};
	struct review_doc doc = {0};
	enum morgue_outcome res = MORGUE_FAILED;
	enum err_code rc;

	if ((rc = store_review_get(st, a, review_id, 1, &m.cur, e)) != E_OK)
		return MORGUE_FAILED;
	if (!m.cur.review->deleted_at != !n->review->deleted_at) {
		/* deleted on one side only: a person decides */
		buf_printf(out,
			   "  %s: review %lld: left as debrief has it (%s); "
			   "deleted in %s only\n",
			   n->source, (long long)review_id,
			   m.cur.review->deleted_at ? "deleted" : "not deleted",
			   m.cur.review->deleted_at ? "debrief" : "Morgue");
		(*conflicts)++;
		return MORGUE_KEPT;
	}
	if (m.cur.review->deleted_at)
		return MORGUE_UNCHANGED;
	if (base && !(m.base = json_loads(base, 0, NULL))) {
		err_set(e, E_INVALID, NULL, "the kept base of %s is not JSON",
			n->source);
		return MORGUE_FAILED;
	}
	m.base_is_cur = !base && m.cur.review->version == n->review->version;
	if (!(doc.review = record_new(a, &review_def))) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		goto done;
	}
	merge_fields(&m, doc.review);
	for (int k = 0; k < CHILD_COUNT; k++)
		if (merge_children(&m, k, &doc.children[k]) < 0) {
			err_set(e, E_NOMEM, NULL, "out of memory");
			goto done;
		}
	if (m.what.oom || m.kept.oom) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		goto done;
	}
	if (m.writes) {
		if (store_review_save(st, a, "morgue", review_id,
				      m.cur.review->version, &doc, NULL,
				      e) != E_OK)
			goto done;
		buf_printf(out, "  %s: review %lld updated: %s\n", n->source,
			   (long long)review_id, buf_cstr(&m.what));
	}
	if (m.conflicts)
		buf_printf(out,
			   "  %s: review %lld: kept as debrief has it, changed "
			   "in Morgue too%s: %s\n",
			   n->source, (long long)review_id,
			   m.base || m.base_is_cur
				   ? ""
				   : " (edited in debrief; the import before "
				     "kept no base to compare with)",
			   buf_cstr(&m.kept));
	*conflicts += m.conflicts;
	res = m.writes	    ? MORGUE_UPDATED
	      : m.conflicts ? MORGUE_KEPT
			    : MORGUE_UNCHANGED;
done:
	json_decref(m.base);
	buf_release(&m.what);
	buf_release(&m.kept);
	return res;
}
