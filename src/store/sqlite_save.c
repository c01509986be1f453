/* sqlite_save.c: store_review_save, the edit page's "save everything":
 * the review's fields and, for each kind of child, the full list as the
 * form submitted it. Everything is planned and validated first, then
 * written in one transaction under one new version. */
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/timeutil.h"

enum op_kind {
	OP_CREATE,
	OP_UPDATE,
	OP_DELETE
};

struct child_op {
	enum op_kind op;
	size_t index;	    /* in the submitted list (create, update) */
	struct record *old; /* update, delete */
	struct record *rec; /* the state to store */
};

struct kind_plan {
	struct child_op *ops;
	size_t n;
};

static struct record *find_by_id(const struct record_list *l, int64_t id,
				 size_t *at)
{
	for (size_t j = 0; j < l->n; j++)
		if (l->items[j]->id == id) {
			*at = j;
			return l->items[j];
		}
	return NULL;
}

/* find_tag: a tag submitted without an id that the review already has
 * (the edit page sends tags as names) is kept as it is. */
static struct record *find_tag(const struct record_list *l, const char *kept,
			       const char *name, size_t *at)
{
	for (size_t j = 0; name && j < l->n; j++) {
		const char *s = record_str(l->items[j], TAG_NAME);
		if (!kept[j] && s && !strcmp(s, name)) {
			*at = j;
			return l->items[j];
		}
	}
	return NULL;
}

/* name_before: an earlier new tag in the submitted list has this name. */
static int name_before(const struct record_list *l, size_t i, const char *name)
{
	for (size_t j = 0; name && j < i; j++) {
		const char *s = record_str(l->items[j], TAG_NAME);
		if (!l->items[j]->id && s && !strcmp(s, name))
			return 1;
	}
	return 0;
}

/* plan_kind compares the submitted list of kind k with the live children
 * in cur and lists the writes that turn one into the other. */
static enum err_code plan_kind(struct arena *a, enum child_kind k,
			       const struct record_list *sub,
			       const struct record_list *cur,
			       struct kind_plan *p, struct err *e)
{
	const struct record_def *def = child_defs[k];
	char *kept = arena_alloc(a, cur->n + 1);
	enum err_code rc;

	p->n = 0;
	p->ops = arena_alloc(a, sizeof *p->ops * (sub->n + cur->n + 1));
	if (!kept || !p->ops)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < sub->n; i++) {
		const struct record *item = sub->items[i];
		struct child_op *op = &p->ops[p->n];
		struct record *old;
		struct change *ch;
		size_t j;
		int n;

		if (!item || item->def != def) {
			err_set(e, E_BAD_REQUEST, NULL, "not a %s", def->name);
			child_field_error(e, k, i);
			return E_BAD_REQUEST;
		}
		if (!item->id) {
			const char *name = k == CHILD_TAG
						   ? record_str(item, TAG_NAME)
						   : NULL;
			if (k == CHILD_TAG && find_tag(cur, kept, name, &j)) {
				kept[j] = 1;
				continue;
			}
			if (k == CHILD_TAG && name_before(sub, i, name))
				continue;
			rc = child_prepare_new(a, k, item, i, &op->rec, e);
			if (rc != E_OK)
				return rc;
			op->op = OP_CREATE;
			op->index = i;
			p->n++;
			continue;
		}
		if (!(old = find_by_id(cur, item->id, &j)) || kept[j]) {
			err_set(e, old ? E_BAD_REQUEST : E_NOT_FOUND, NULL,
				old ? "%s %lld is listed twice"
				    : "There is no %s %lld on this review",
				def->name, (long long)item->id);
			child_field_error(e, k, i);
			return e->code;
		}
		kept[j] = 1;
		if ((rc = record_patched(a, old, item, &op->rec, &ch, &n, e)) !=
		    E_OK) {
			if (rc == E_INVALID)
				child_field_error(e, k, i);
			return rc;
		}
		if (n == 0)
			continue;
		op->op = OP_UPDATE;
		op->index = i;
		op->old = old;
		p->n++;
	}
	for (size_t j = 0; j < cur->n; j++) {
		struct child_op *op = &p->ops[p->n];

		if (kept[j])
			continue;
		op->op = OP_DELETE;
		op->old = cur->items[j];
		if (!(op->rec = record_copy(a, op->old)))
			return err_set(e, E_NOMEM, NULL, "out of memory");
		p->n++;
	}
	return E_OK;
}

/* run_ops writes the planned changes of one kind of the given op: deletes
 * first, so that a tag removed and added again in one save does not
 * collide with itself. */
static enum err_code run_ops(struct conn *c, struct arena *a, const char *actor,
			     enum child_kind k, const struct kind_plan *p,
			     enum op_kind which, int64_t review_id, int64_t now,
			     int64_t version, struct err *e)
{
	enum err_code rc = E_OK;

	for (size_t i = 0; rc == E_OK && i < p->n; i++) {
		struct child_op *op = &p->ops[i];

		if (op->op != which)
			continue;
		if (which == OP_CREATE) {
			rc = child_insert(c, a, actor, k, review_id, op->rec,
					  now, version, e);
		} else {
			if (which == OP_DELETE)
				op->rec->deleted_at = now;
			rc = child_write(c, a, actor, k, op->old, op->rec, now,
					 version, e);
		}
		if (rc == E_INVALID && which != OP_DELETE)
			child_field_error(e, k, op->index);
	}
	return rc;
}

struct save_job {
	struct arena *a;
	const char *actor;
	int64_t id, expected_version;
	const struct review_doc *doc;
	int64_t version; /* the review's version after it */
};

/* save_tx is store_review_save's reads and writes (tx_write). */
static enum err_code save_tx(struct conn *c, void *arg, struct err *e)
{
	static const enum op_kind order[] = {OP_DELETE, OP_UPDATE, OP_CREATE};
	struct save_job *j = arg;
	struct store *st = c->st;
	struct arena *a = j->a;
	const struct review_doc *doc = j->doc;
	int64_t id = j->id;
	struct kind_plan plan[CHILD_COUNT];
	struct record_list cur[CHILD_COUNT];
	struct record *old, *r;
	struct change *ch = NULL;
	int64_t now = time_now(), version;
	enum err_code rc;
	int n = 0, changed;

	if ((rc = review_load_live(c, a, id, j->expected_version, &old, e)) !=
		    E_OK ||
	    (rc = record_patched(a, old, doc->review, &r, &ch, &n, e)) != E_OK)
		return rc;
	if ((rc = review_links_tx(c, a, old, r, e)) != E_OK)
		return rc;
	/* no new entry in a list the review's kind does not have */
	for (int k = 0; k < CHILD_COUNT; k++)
		for (size_t i = 0; i < doc->children[k].n; i++)
			if (!doc->children[k].items[i]->id &&
			    !review_has_child(r, k))
				return err_set(e, E_INVALID,
					       child_defs[k]->segment,
					       "A review of kind %s has no %s",
					       record_str(r, REVIEW_KIND),
					       child_defs[k]->segment);
	changed = n > 0;
	if ((rc = children_all(c, a, id, cur, e)) != E_OK)
		return rc;
	for (int k = 0; k < CHILD_COUNT; k++) {
		rc = plan_kind(a, k, &doc->children[k], &cur[k], &plan[k], e);
		if (rc != E_OK)
			return rc;
		changed |= plan[k].n > 0;
	}
	if (!changed) { /* the form was saved as it was: nothing to do */
		j->version = old->version;
		return E_OK;
	}
	version = old->version + 1;
	if (n > 0) {
		r->version = version;
		r->updated_at = now;
		rc = rec_update_from(c, &st->dsql[DEF_REVIEW], old, r, e);
		if (rc == E_OK)
			rc = revision_add(c, id, "review", id, "update",
					  j->actor, now, version, ch, n, e);
	} else {
		rc = review_bump(c, id, now, &version, e);
	}
	for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
		for (int k = 0; rc == E_OK && k < CHILD_COUNT; k++)
			rc = run_ops(c, a, j->actor, k, &plan[k], order[o], id,
				     now, version, e);
	if (rc == E_OK)
		rc = review_gate_rec(c, a, r, e);
	if (rc == E_OK) {
		uint64_t parts = fts_parts_changed(old, r);

		for (int k = 0; k < CHILD_COUNT; k++)
			if (plan[k].n > 0)
				parts |= fts_part_child(k);
		rc = fts_reindex(c, id, parts, e);
	}
	j->version = version;
	return rc;
}

enum err_code store_review_save(struct store *st, struct arena *a,
				const char *actor, int64_t id,
				int64_t expected_version,
				const struct review_doc *doc,
				int64_t *new_version, struct err *e)
{
	struct save_job j = {a, actor, id, expected_version, doc, 0};
	enum err_code rc;

	ERR_LOCAL(e);
	if (doc->review && doc->review->def != &review_def)
		return err_set(e, E_BAD_REQUEST, NULL, "not a review");
	if ((rc = tx_write(st, save_tx, &j, e)) == E_OK && new_version)
		*new_version = j.version;
	return rc;
}
