/* sqlite_child.c: the records that belong to a review (timeline entries,
 * follow-ups, factors, people, links, tags): the public calls for one
 * child, and the writes that review create and save share. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/timeutil.h"

void child_field_error(struct err *e, enum child_kind k, size_t index)
{
	char field[2 * sizeof e->field];
	size_t n;

	snprintf(field, sizeof field, "%s[%zu]%s%s", child_defs[k]->segment,
		 index, e->field[0] ? "." : "", e->field);
	n = strlen(field);
	if (n >= sizeof e->field)
		n = sizeof e->field - 1;
	memcpy(e->field, field, n);
	e->field[n] = '\0';
}

enum err_code child_prepare_new(struct arena *a, enum child_kind k,
				const struct record *item, size_t index,
				struct record **out, struct err *e)
{
	struct record *r;
	enum err_code rc;

	if (!item || item->def != child_defs[k])
		return err_set(e, E_BAD_REQUEST, NULL, "not a %s",
			       child_defs[k]->name);
	if (!(r = record_copy(a, item)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	record_fill_defaults(a, r);
	if ((rc = record_validate(r, e)) != E_OK) {
		if (index != CHILD_NO_INDEX)
			child_field_error(e, k, index);
		return rc;
	}
	r->id = 0;
	*out = r;
	return E_OK;
}

enum err_code child_insert(struct conn *c, struct arena *a, const char *actor,
			   enum child_kind k, int64_t review_id,
			   struct record *r, int64_t now,
			   int64_t review_version, struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_CHILD(k)];
	struct change *ch;
	enum err_code rc;
	int n;

	r->review_id = review_id;
	r->version = 1;
	r->created_at = r->updated_at = now;
	r->deleted_at = 0;
	/* who asked a question is who wrote it, on every path (API, page,
	 * edit form) */
	if (k == CHILD_QUESTION && !record_isset(r, Q_ASKED_BY))
		record_set_str(r, Q_ASKED_BY, actor);
	if ((rc = rec_insert(c, d, r, e)) != E_OK)
		return rc;
	if ((n = record_diff(a, NULL, r, &ch)) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return revision_add(c, review_id, d->def->segment, r->id, "create",
			    actor, now, review_version, ch, n, e);
}

enum err_code child_write(struct conn *c, struct arena *a, const char *actor,
			  enum child_kind k, const struct record *old,
			  struct record *r, int64_t now, int64_t review_version,
			  struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_CHILD(k)];
	struct change *ch;
	enum err_code rc;
	int n;

	if (r->deleted_at)
		n = record_diff(a, old, NULL, &ch);
	else
		n = record_diff(a, old, r, &ch);
	if (n < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	r->version = old->version + 1;
	r->updated_at = now;
	if ((rc = rec_update_from(c, d, old, r, e)) != E_OK)
		return rc;
	return revision_add(c, old->review_id, d->def->segment, r->id,
			    r->deleted_at ? "delete" : "update", actor, now,
			    review_version, ch, n, e);
}

static enum err_code bad_kind(enum child_kind k, struct err *e)
{
	if ((int)k < 0 || k >= CHILD_COUNT)
		return err_set(e, E_BAD_REQUEST, NULL,
			       "unknown kind of record");
	return E_OK;
}

/* child_load_live finds a live child of kind k on review_id and checks its
 * version (0: any). */
static enum err_code child_load_live(struct conn *c, struct arena *a,
				     enum child_kind k, int64_t review_id,
				     int64_t child_id, int64_t expected_version,
				     struct record **out, struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_CHILD(k)];
	enum err_code rc = rec_load(c, a, d, child_id, out, e);

	if (rc == E_NOT_FOUND ||
	    (rc == E_OK &&
	     ((*out)->deleted_at || (*out)->review_id != review_id)))
		return err_set(e, E_NOT_FOUND, NULL,
			       "There is no %s %lld on review %lld",
			       d->def->name, (long long)child_id,
			       (long long)review_id);
	if (rc != E_OK)
		return rc;
	if (expected_version && expected_version != (*out)->version) {
		err_set(e, E_CONFLICT, "version",
			"The %s was changed by someone else since you read it "
			"(you have version %lld, it is now at %lld)",
			d->def->name, (long long)expected_version,
			(long long)(*out)->version);
		e->current_version = (*out)->version;
		return E_CONFLICT;
	}
	return E_OK;
}

enum err_code store_child_list(struct store *st, struct arena *a,
			       enum child_kind kind, int64_t review_id,
			       struct record_list *out, struct err *e)
{
	struct record *rv;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if ((rc = bad_kind(kind, e)) != E_OK)
		return rc;
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = review_load_live(c, a, review_id, 0, &rv, e);
	if (rc == E_OK)
		rc = children_load(c, a, &st->dsql[DEF_CHILD(kind)], review_id,
				   out, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK) {
		memset(out, 0, sizeof *out);
	} else if ((kind == CHILD_TIMELINE || child_defs[kind]->compare) &&
		   out->n > 1) {
		struct review_doc doc = {0};
		doc.children[kind] = *out;
		review_sort_children(&doc);
	}
out:
	conn_put(c);
	return rc;
}

enum err_code store_child_get(struct store *st, struct arena *a,
			      enum child_kind kind, int64_t review_id,
			      int64_t child_id, struct record **out,
			      struct err *e)
{
	struct record *rv;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	if ((rc = bad_kind(kind, e)) != E_OK)
		return rc;
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = review_load_live(c, a, review_id, 0, &rv, e);
	if (rc == E_OK)
		rc = child_load_live(c, a, kind, review_id, child_id, 0, out,
				     e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc != E_OK)
		*out = NULL;
out:
	conn_put(c);
	return rc;
}

enum err_code review_gate_tx(struct conn *c, struct arena *a,
			    int64_t review_id, struct err *e)
{
	struct record *r;
	enum err_code rc;

	rc = rec_load(c, a, &c->st->dsql[DEF_REVIEW], review_id, &r, e);
	return rc == E_OK ? review_gate_rec(c, a, r, e) : rc;
}

enum err_code review_gate_rec(struct conn *c, struct arena *a, struct record *r,
			      struct err *e)
{
	struct review_doc doc;
	enum err_code rc;

	if (!review_has_child(r, CHILD_READINESS) ||
	    !review_kind_is(r, "operability"))
		return E_OK;
	memset(&doc, 0, sizeof doc);
	doc.review = r;
	rc = children_load(c, a, &c->st->dsql[DEF_CHILD(CHILD_READINESS)],
			   r->id, &doc.children[CHILD_READINESS], e);
	return rc == E_OK ? review_gate(&doc, e) : rc;
}

enum err_code review_links_tx(struct conn *c, struct arena *a,
			      const struct record *old, const struct record *r,
			      struct err *e)
{
	int f = REVIEW_ARCHITECTURE_REVIEW;
	int64_t id = record_int(r, f, 0);
	struct record *ar;
	enum err_code rc;

	if (!record_isset(r, f) ||
	    (old && record_isset(old, f) && record_int(old, f, 0) == id))
		return E_OK; /* unchanged: a later delete does not block */
	rc = rec_load(c, a, &c->st->dsql[DEF_REVIEW], id, &ar, e);
	if (rc == E_NOT_FOUND ||
	    (rc == E_OK &&
	     (ar->deleted_at || !review_kind_is(ar, "architecture"))))
		return err_set(e, E_INVALID, review_def.fields[f].name,
			       "There is no architecture review %lld",
			       (long long)id);
	return rc;
}

/* child_kind_of checks that a review of rv's kind has children of kind
 * k (an incident has no departures): E_NOT_FOUND naming the list. */
static enum err_code child_kind_of(const struct record *rv, enum child_kind k,
				   struct err *e)
{
	if (review_has_child(rv, k))
		return E_OK;
	return err_set(e, E_NOT_FOUND, child_defs[k]->segment,
		       "A review of kind %s has no %s",
		       record_str(rv, REVIEW_KIND), child_defs[k]->segment);
}

/* child_finish_tx ends a child write: the review's rules that span its
 * children (review_gate_tx), the search index when the kind's text is
 * searched; child_finish, then the commit. */
static enum err_code child_finish_tx(struct conn *c, struct arena *a,
				     enum child_kind kind, int64_t review_id,
				     struct err *e)
{
	enum err_code rc = review_gate_tx(c, a, review_id, e);

	if (rc == E_OK)
		rc = fts_reindex(c, review_id, fts_part_child(kind), e);
	return rc;
}

static enum err_code child_finish(struct conn *c, struct arena *a,
				  enum child_kind kind, int64_t review_id,
				  struct err *e)
{
	enum err_code rc = child_finish_tx(c, a, kind, review_id, e);

	return rc == E_OK ? tx_commit(c, e) : rc;
}

/* One child write's arguments and answers (tx_write). */
struct child_job {
	struct arena *a;
	const char *actor;
	enum child_kind kind;
	int64_t review_id, child_id, expected_version;
	const struct record *patch;
	struct record *r; /* create: the record to store; update: the result */
	int64_t version;  /* the review's version after it */
};

static enum err_code create_tx(struct conn *c, void *arg, struct err *e)
{
	struct child_job *j = arg;
	struct record *rv;
	int64_t now = time_now();
	enum err_code rc;

	if ((rc = review_load_live(c, j->a, j->review_id, 0, &rv, e)) !=
		    E_OK ||
	    (rc = child_kind_of(rv, j->kind, e)) != E_OK ||
	    (rc = review_bump(c, j->review_id, now, &j->version, e)) != E_OK ||
	    (rc = child_insert(c, j->a, j->actor, j->kind, j->review_id, j->r,
			       now, j->version, e)) != E_OK)
		return rc;
	return child_finish_tx(c, j->a, j->kind, j->review_id, e);
}

enum err_code store_child_create(struct store *st, struct arena *a,
				 const char *actor, enum child_kind kind,
				 int64_t review_id, struct record *rec,
				 int64_t *child_id, int64_t *new_review_version,
				 struct err *e)
{
	struct child_job j = {a, actor, kind, review_id, 0, 0, NULL, NULL, 0};
	struct record *r;
	enum err_code rc;

	ERR_LOCAL(e);
	if ((rc = bad_kind(kind, e)) != E_OK)
		return rc;
	if ((rc = child_prepare_new(a, kind, rec, CHILD_NO_INDEX, &r, e)) !=
	    E_OK)
		return rc;
	j.r = r;
	if ((rc = tx_write(st, create_tx, &j, e)) == E_OK) {
		/* hand back what was stored, defaults included */
		memcpy(rec->v, r->v, sizeof *r->v * r->def->nfields);
		rec->id = r->id;
		rec->review_id = r->review_id;
		rec->version = r->version;
		rec->created_at = r->created_at;
		rec->updated_at = r->updated_at;
		rec->deleted_at = 0;
		if (child_id)
			*child_id = r->id;
		if (new_review_version)
			*new_review_version = j.version;
	}
	return rc;
}

static enum err_code update_tx(struct conn *c, void *arg, struct err *e)
{
	struct child_job *j = arg;
	struct record *rv, *old;
	int64_t now = time_now();
	struct change *ch;
	enum err_code rc;
	int n;

	if ((rc = review_load_live(c, j->a, j->review_id, 0, &rv, e)) !=
		    E_OK ||
	    (rc = child_kind_of(rv, j->kind, e)) != E_OK ||
	    (rc = child_load_live(c, j->a, j->kind, j->review_id, j->child_id,
				  j->expected_version, &old, e)) != E_OK ||
	    (rc = record_patched(j->a, old, j->patch, &j->r, &ch, &n, e)) !=
		    E_OK)
		return rc;
	if (n == 0) { /* nothing changed: no new versions, no revision */
		j->version = rv->version;
		return E_OK;
	}
	if ((rc = review_bump(c, j->review_id, now, &j->version, e)) != E_OK ||
	    (rc = child_write(c, j->a, j->actor, j->kind, old, j->r, now,
			      j->version, e)) != E_OK)
		return rc;
	return child_finish_tx(c, j->a, j->kind, j->review_id, e);
}

enum err_code store_child_update(struct store *st, struct arena *a,
				 const char *actor, enum child_kind kind,
				 int64_t review_id, int64_t child_id,
				 int64_t expected_version,
				 const struct record *patch,
				 struct record **updated,
				 int64_t *new_review_version, struct err *e)
{
	struct child_job j = {a,	   actor, kind, review_id, child_id,
			      expected_version, patch, NULL, 0};
	enum err_code rc;

	ERR_LOCAL(e);
	if ((rc = bad_kind(kind, e)) != E_OK)
		return rc;
	if (!patch || patch->def != child_defs[kind])
		return err_set(e, E_BAD_REQUEST, NULL, "not a %s",
			       child_defs[kind]->name);
	if ((rc = tx_write(st, update_tx, &j, e)) == E_OK) {
		if (updated)
			*updated = j.r;
		if (new_review_version)
			*new_review_version = j.version;
	}
	return rc;
}

static enum err_code delete_tx(struct conn *c, void *arg, struct err *e)
{
	struct child_job *j = arg;
	struct record *rv, *old, *r;
	int64_t now = time_now();
	enum err_code rc;

	if ((rc = review_load_live(c, j->a, j->review_id, 0, &rv, e)) !=
		    E_OK ||
	    (rc = child_kind_of(rv, j->kind, e)) != E_OK ||
	    (rc = child_load_live(c, j->a, j->kind, j->review_id, j->child_id,
				  j->expected_version, &old, e)) != E_OK)
		return rc;
	if (!(r = record_copy(j->a, old)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	r->deleted_at = now;
	if ((rc = review_bump(c, j->review_id, now, &j->version, e)) != E_OK ||
	    (rc = child_write(c, j->a, j->actor, j->kind, old, r, now,
			      j->version, e)) != E_OK)
		return rc;
	return child_finish_tx(c, j->a, j->kind, j->review_id, e);
}

enum err_code store_child_delete(struct store *st, struct arena *a,
				 const char *actor, enum child_kind kind,
				 int64_t review_id, int64_t child_id,
				 int64_t expected_version,
				 int64_t *new_review_version, struct err *e)
{
	struct child_job j = {a,	   actor, kind, review_id, child_id,
			      expected_version, NULL, NULL, 0};
	enum err_code rc;

	ERR_LOCAL(e);
	if ((rc = bad_kind(kind, e)) != E_OK)
		return rc;
	if ((rc = tx_write(st, delete_tx, &j, e)) == E_OK && new_review_version)
		*new_review_version = j.version;
	return rc;
}

enum err_code store_question_vote(struct store *st, struct arena *a,
				  const char *who, int64_t review_id,
				  int64_t child_id, struct record **updated,
				  int64_t *new_review_version, struct err *e)
{
	struct record *rv, *old, *patch, *r;
	int64_t now = time_now(), version;
	struct change *ch;
	struct conn *c;
	enum err_code rc;
	int n;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if ((rc = review_load_live(c, a, review_id, 0, &rv, e)) != E_OK ||
	    (rc = child_kind_of(rv, CHILD_QUESTION, e)) != E_OK ||
	    (rc = child_load_live(c, a, CHILD_QUESTION, review_id, child_id, 0,
				  &old, e)) != E_OK ||
	    (rc = review_question_vote(a, old, who, &patch, e)) != E_OK ||
	    (rc = record_patched(a, old, patch, &r, &ch, &n, e)) != E_OK ||
	    (rc = review_bump(c, review_id, now, &version, e)) != E_OK ||
	    (rc = child_write(c, a, who, CHILD_QUESTION, old, r, now, version,
			      e)) != E_OK ||
	    (rc = child_finish(c, a, CHILD_QUESTION, review_id, e)) != E_OK)
		goto fail;
	if (updated)
		*updated = r;
	if (new_review_version)
		*new_review_version = version;
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}
