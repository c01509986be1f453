/* sqlite_review.c: reading and writing one review: get, version, create,
 * update, delete and restore. Lists live in sqlite_list.c, the edit page's
 * whole-review save in sqlite_save.c. */
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/timeutil.h"

enum err_code store_review_get(struct store *st, struct arena *a, int64_t id,
			       int include_deleted, struct review_doc *out,
			       struct err *e)
{
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (!(c = conn_get(st, e)))
		return e->code;
	/* one read transaction: the review and its children as of one moment */
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	rc = review_doc_load(c, a, id, &out->review, out->children,
			     &out->tickets, e);
	if (rc == E_NOT_FOUND ||
	    (rc == E_OK && out->review->deleted_at && !include_deleted)) {
		out->review = NULL;
		rc = err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			     (long long)id);
	}
	if (rc == E_OK)
		rc = tx_commit(c, e);
	if (rc == E_OK)
		review_sort_children(out);
	else
		memset(out, 0, sizeof *out);
out:
	conn_put(c);
	return rc;
}

enum err_code store_review_head(struct store *st, struct arena *a, int64_t id,
				int include_deleted, struct record **out,
				struct err *e)
{
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	if (!(c = conn_get(st, e)))
		return e->code;
	rc = rec_load(c, a, &st->dsql[DEF_REVIEW], id, out, e);
	conn_put(c);
	if (rc == E_NOT_FOUND ||
	    (rc == E_OK && (*out)->deleted_at && !include_deleted)) {
		*out = NULL;
		rc = err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			     (long long)id);
	}
	return rc;
}

enum err_code store_generation(struct store *st, int64_t *generation,
			       struct err *e)
{
	ERR_LOCAL(e);
	if (db_read_int64(st, "SELECT value FROM generation WHERE id = 1",
			     NULL, generation, e) == E_NOT_FOUND)
		return err_set(e, E_STORE, NULL, "the generation row is missing");
	return e->code;
}

enum err_code store_review_version(struct store *st, int64_t id,
				   int64_t *version, struct err *e)
{
	ERR_LOCAL(e);
	if (db_read_int64(st,
			     "SELECT version FROM reviews WHERE id = ?1 AND "
			     "deleted_at IS NULL",
			     &id, version, e) == E_NOT_FOUND)
		return err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			       (long long)id);
	return e->code;
}

/* review_write is where every write to the review's own row ends: it
 * stamps the new version, stores the row and records the revision. */
static enum err_code review_write(struct conn *c, struct arena *a,
				  const char *actor, const char *action,
				  const struct record *old, struct record *r,
				  int64_t now, int with_diff, struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_REVIEW];
	struct db_stmt *s[2];
	struct change *ch = NULL;
	int n = 0;
	enum err_code rc;

	if (with_diff && (n = record_diff(a, old, r, &ch)) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	r->version = old->version + 1;
	r->updated_at = now;
	/* the row and its revision in one round trip (PostgreSQL) */
	if (!(s[0] = rec_update_bind(c, d, old, r, e)))
		return e->code;
	if (!(s[1] = revision_bind(c, r->id, "review", r->id, action, actor,
				   now, r->version, ch, n, e))) {
		conn_done(c, s[0]);
		return e->code;
	}
	db_run_together(s, 2);
	if ((rc = rec_update_step(c, d, s[0], e)) != E_OK) {
		conn_done(c, s[1]);
		return rc;
	}
	return revision_step(c, s[1], e);
}

enum err_code store_review_create(struct store *st, struct arena *a,
				  const char *actor,
				  const struct review_doc *doc, int64_t *id,
				  struct err *e)
{
	struct review_doc seeded = *doc;
	int64_t now = time_now();
	struct record *r;
	struct change *ch;
	struct conn *c;
	enum err_code rc;
	int n;

	ERR_LOCAL(e);
	if (!doc->review || doc->review->def != &review_def)
		return err_set(e, E_BAD_REQUEST, NULL, "not a review");
	if (!(r = record_copy(a, doc->review)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	record_fill_defaults(a, r);
	if ((rc = record_validate(r, e)) != E_OK)
		return rc;
	/* the standard questions of its kind (readiness of a launch) */
	seeded.review = r;
	if (review_doc_seed(a, &seeded) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	doc = &seeded;
	for (int k = 0; k < CHILD_COUNT; k++)
		if (doc->children[k].n && !review_has_child(r, k))
			return err_set(e, E_INVALID, child_defs[k]->segment,
				       "A review of kind %s has no %s",
				       record_str(r, REVIEW_KIND),
				       child_defs[k]->segment);
	r->id = 0;
	r->version = 1;
	r->created_at = r->updated_at = now;
	r->deleted_at = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if ((rc = review_links_tx(c, a, NULL, r, e)) != E_OK ||
	    (rc = rec_insert(c, &st->dsql[DEF_REVIEW], r, e)) != E_OK)
		goto fail;
	if ((n = record_diff(a, NULL, r, &ch)) < 0) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	rc = revision_add(c, r->id, "review", r->id, "create", actor, now, 1,
			  ch, n, e);
	if (rc != E_OK)
		goto fail;
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_list *l = &doc->children[k];
		for (size_t i = 0; i < l->n; i++) {
			struct record *cr;
			rc = child_prepare_new(a, k, l->items[i], i, &cr, e);
			if (rc == E_OK)
				rc = child_insert(c, a, actor, k, r->id, cr,
						  now, 1, e);
			if (rc != E_OK)
				goto fail;
		}
	}
	if ((rc = review_gate_tx(c, a, r->id, e)) != E_OK ||
	    (rc = fts_reindex(c, r->id, FTS_ALL, e)) != E_OK)
		goto fail;
	if ((rc = tx_commit(c, e)) != E_OK)
		goto out;
	*id = r->id;
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}

struct update_job {
	struct arena *a;
	const char *actor;
	int64_t id, expected_version;
	const struct record *patch;
	int64_t version; /* the review's version after it */
};

/* update_tx is store_review_update's writes (tx_write). */
static enum err_code update_tx(struct conn *c, void *arg, struct err *e)
{
	struct update_job *j = arg;
	struct record *old, *r;
	struct change *ch;
	enum err_code rc;
	int n;

	if ((rc = review_load_live(c, j->a, j->id, j->expected_version, &old,
				   e)) != E_OK ||
	    (rc = record_patched(j->a, old, j->patch, &r, &ch, &n, e)) != E_OK)
		return rc;
	if (n == 0) { /* nothing changed: no new version, no revision */
		j->version = old->version;
		return E_OK;
	}
	rc = review_links_tx(c, j->a, old, r, e);
	if (rc == E_OK)
		rc = review_write(c, j->a, j->actor, "update", old, r,
				  time_now(), 1, e);
	if (rc == E_OK)
		rc = review_gate_rec(c, j->a, r, e);
	if (rc == E_OK)
		rc = fts_reindex(c, j->id, fts_parts_changed(old, r), e);
	j->version = r->version;
	return rc;
}

enum err_code store_review_update(struct store *st, struct arena *a,
				  const char *actor, int64_t id,
				  int64_t expected_version,
				  const struct record *patch,
				  int64_t *new_version, struct err *e)
{
	struct update_job j = {a, actor, id, expected_version, patch, 0};
	enum err_code rc;

	ERR_LOCAL(e);
	if (!patch || patch->def != &review_def)
		return err_set(e, E_BAD_REQUEST, NULL, "not a review");
	if ((rc = tx_write(st, update_tx, &j, e)) == E_OK && new_version)
		*new_version = j.version;
	return rc;
}

enum err_code store_review_delete(struct store *st, struct arena *a,
				  const char *actor, int64_t id,
				  int64_t expected_version, struct err *e)
{
	struct record *old, *r;
	struct conn *c;
	int64_t now = time_now();
	enum err_code rc;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	rc = review_load_live(c, a, id, expected_version, &old, e);
	if (rc != E_OK)
		goto fail;
	if (!(r = record_copy(a, old))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	r->deleted_at = now;
	if ((rc = review_write(c, a, actor, "delete", old, r, now, 0, e)) !=
	    E_OK)
		goto fail;
	rc = tx_commit(c, e);
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}

/* store_review_restore brings back a deleted review; restoring one that is
 * live changes nothing and is not an error. */
enum err_code store_review_restore(struct store *st, struct arena *a,
				   const char *actor, int64_t id, struct err *e)
{
	struct record *old, *r;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	rc = rec_load(c, a, &st->dsql[DEF_REVIEW], id, &old, e);
	if (rc == E_NOT_FOUND)
		rc = err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			     (long long)id);
	if (rc != E_OK || !old->deleted_at)
		goto fail;
	if (!(r = record_copy(a, old))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	r->deleted_at = 0;
	rc = review_write(c, a, actor, "restore", old, r, time_now(), 0, e);
	if (rc != E_OK)
		goto fail;
	rc = tx_commit(c, e);
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}
