/* sqlite_export.c: every record with its ids, versions and times, out of
 * the database in one read transaction (exports) and into an empty one in
 * one write transaction (imports of an export). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"
#include "util/timeutil.h"

static const char *dup_col(struct arena *a, struct db_stmt *s, int col)
{
	const char *t = db_column_text(s, col);

	return arena_strndup(a, t ? (const char *)t : "",
			     (size_t)db_column_bytes(s, col));
}

/* all_children reads every child of kind d of review_id by id, deleted
 * ones too unless live_only. */
static enum err_code all_children(struct conn *c, struct arena *a,
				  const struct def_sql *d, int64_t review_id,
				  int live_only, struct record_list *out,
				  struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;
	size_t cap = 0;
	enum err_code rc = E_OK;
	int step;

	out->items = NULL;
	out->n = 0;
	buf_printf(&sql, "SELECT %s FROM %s t WHERE t.review_id = ?1%s "
			 "ORDER BY t.id",
		   d->cols, d->def->table,
		   live_only ? " AND t.deleted_at IS NULL" : "");
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, review_id);
	while ((step = db_step(s)) == DB_ROW) {
		struct record *r;

		if (out->n == cap) {
			struct record **items;

			cap = cap ? cap * 2 : 16;
			items = arena_alloc(a, sizeof *items * cap);
			if (!items) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (out->n)
				memcpy(items, out->items,
				       sizeof *items * out->n);
			out->items = items;
		}
		if (!(r = row_read(a, d, s, 0, e))) {
			rc = e->code;
			goto out;
		}
		out->items[out->n++] = r;
	}
	if (step != DB_DONE)
		rc = db_err(c, e, d->def->table);
out:
	if (s)
		conn_done(c, s);
	buf_release(&sql);
	return rc;
}

static enum err_code all_revisions(struct conn *c, struct arena *a,
				   int64_t review_id, struct export_review *r,
				   struct err *e)
{
	struct db_stmt *s = conn_stmt(
		c,
		"SELECT id, record_kind, record_id, action, actor, at, "
		"review_version, changes FROM revisions WHERE review_id = ?1 "
		"ORDER BY id",
		e);
	size_t cap = 0;
	enum err_code rc = E_OK;
	struct expand_item *ex;
	int step;

	r->revs = NULL;
	r->nrevs = 0;
	if (!s)
		return e->code;
	db_bind_int64(s, 1, review_id);
	while ((step = db_step(s)) == DB_ROW) {
		struct export_revision *v;

		if (r->nrevs == cap) {
			struct export_revision *nv;

			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(a, sizeof *nv * cap);
			if (!nv) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (r->nrevs)
				memcpy(nv, r->revs, sizeof *nv * r->nrevs);
			r->revs = nv;
		}
		v = &r->revs[r->nrevs];
		v->id = db_column_int64(s, 0);
		v->record_kind = dup_col(a, s, 1);
		v->record_id = db_column_int64(s, 2);
		v->action = dup_col(a, s, 3);
		v->actor = dup_col(a, s, 4);
		v->at = db_column_int64(s, 5);
		v->review_version = db_column_int64(s, 6);
		v->changes = changes_text(a, s, 7);
		if (!v->record_kind || !v->action || !v->actor || !v->changes) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		r->nrevs++;
	}
	if (step != DB_DONE) {
		rc = db_err(c, e, "revisions");
		goto out;
	}
	/* creates stored compactly are written out in full */
	if (r->nrevs && !(ex = arena_alloc(a, sizeof *ex * r->nrevs))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->nrevs; i++)
		ex[i] = (struct expand_item){r->revs[i].record_kind,
					     r->revs[i].record_id,
					     r->revs[i].id, &r->revs[i].changes};
	if (r->nrevs && changes_expand(c, a, review_id, ex, r->nrevs) < 0) {
		rc = err_set(e, E_STORE, NULL, "revisions could not be read");
		for (size_t i = 0; i < r->nrevs; i++)
			if (!r->revs[i].changes) {
				err_set(e, E_STORE, NULL,
					"revision %lld has unreadable changes",
					(long long)r->revs[i].id);
				break;
			}
	}
out:
	conn_done(c, s);
	return rc;
}

enum err_code store_export_reviews(struct store *st, const struct viewer *v,
				   int64_t only_id, int include_deleted,
				   int (*fn)(const struct export_review *r,
					     void *arg),
				   void *arg, struct err *e)
{
	const char *groups = visible_param(v);
	const struct def_sql *d = &st->dsql[DEF_REVIEW];
	struct buf sql = BUF_INIT;
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	int step, found = 0;

	ERR_LOCAL(e);
	buf_printf(&sql, "SELECT %s FROM reviews t WHERE (?1 = 0 OR t.id = ?1)",
		   d->cols);
	if (!include_deleted)
		buf_puts(&sql, " AND t.deleted_at IS NULL");
	if (groups) {
		buf_puts(&sql, " AND ");
		visible_clause(&sql, "t", 2);
	}
	buf_puts(&sql, " ORDER BY t.id");
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || (rc = tx_begin(c, 0, e)) != E_OK ||
	    !(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, only_id > 0 ? only_id : 0);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		struct arena *a = arena_new();
		struct export_review r = {0};

		if (!a) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		if (!(r.review = row_read(a, d, s, 0, e)))
			rc = e->code;
		for (int k = 0; rc == E_OK && k < CHILD_COUNT; k++)
			rc = all_children(c, a, &st->dsql[DEF_CHILD(k)],
					  r.review->id, !include_deleted,
					  &r.children[k], e);
		if (rc == E_OK)
			rc = all_revisions(c, a, r.review->id, &r, e);
		if (rc == E_OK && fn(&r, arg) != 0)
			rc = err_set(e, E_IO, NULL, "the export stopped");
		arena_free(a);
		if (rc != E_OK)
			goto out;
		found++;
	}
	if (step != DB_DONE)
		rc = db_err(c, e, "reviews");
	else if (only_id > 0 && !found)
		rc = err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			     (long long)only_id);
out:
	if (s)
		conn_done(c, s);
	conn_put(c); /* ends the read transaction */
	buf_release(&sql);
	return rc;
}

static enum err_code is_empty_on(struct conn *c, int *empty, struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "SELECT (SELECT count(*) FROM reviews) + "
				    "(SELECT count(*) FROM users) + "
				    "(SELECT count(*) FROM audit)",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	if (db_step(s) == DB_ROW)
		*empty = db_column_int64(s, 0) == 0;
	else
		rc = db_err(c, e, "count");
	conn_done(c, s);
	return rc;
}

enum err_code store_is_empty(struct store *st, int *empty, struct err *e)
{
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	rc = is_empty_on(c, empty, e);
	conn_put(c);
	return rc;
}

/* insert_with_id stores r as it is: id, review_id (children), version,
 * times and fields. */
static enum err_code insert_with_id(struct conn *c, const struct def_sql *d,
				    struct record *r, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	int p = 1, step;

	buf_printf(&sql, "INSERT INTO %s (id, %sversion, created_at, "
			 "updated_at, deleted_at",
		   d->def->table, d->child ? "review_id, " : "");
	for (size_t f = 0; f < d->def->nfields; f++)
		buf_printf(&sql, ", %s", d->def->fields[f].name);
	buf_puts(&sql, ") VALUES (?1");
	for (int i = 2; i <= (d->child ? 6 : 5) + (int)d->def->nfields; i++)
		buf_printf(&sql, ", ?%d", i);
	buf_puts(&sql, ")");
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	if (r->id > 0)
		db_bind_int64(s, p++, r->id);
	else
		db_bind_null(s, p++);
	if (d->child)
		db_bind_int64(s, p++, r->review_id);
	db_bind_int64(s, p++, r->version);
	db_bind_int64(s, p++, r->created_at);
	db_bind_int64(s, p++, r->updated_at);
	if (r->deleted_at)
		db_bind_int64(s, p++, r->deleted_at);
	else
		db_bind_null(s, p++);
	if (rec_bind_fields(s, r, p) < 0) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	step = db_step(s);
	if (step != DB_DONE) {
		int ext = db_errcode(c->db);

		if (ext == DB_CONSTRAINT_PRIMARYKEY)
			rc = err_set(e, E_INVALID, "id",
				     "%s %lld is given twice or already "
				     "exists",
				     d->def->name, (long long)r->id);
		else if (ext == DB_CONSTRAINT_UNIQUE)
			rc = err_set(e, E_INVALID, d->def->fields[0].name,
				     "%s \"%s\" is given twice on review %lld",
				     d->def->name,
				     record_str(r, 0) ? record_str(r, 0) : "",
				     (long long)r->review_id);
		else
			rc = db_err(c, e, d->def->table);
	} else if (r->id <= 0) {
		r->id = db_last_insert_id(c->db);
	}
out:
	if (s)
		conn_done(c, s);
	buf_release(&sql);
	return rc;
}

static enum err_code insert_revision(struct conn *c, int64_t review_id,
				     const struct export_revision *v,
				     struct err *e)
{
	struct db_stmt *s = conn_stmt(
		c,
		"INSERT INTO revisions (id, review_id, record_kind, record_id, "
		"action, actor, at, review_version, changes) VALUES (?1, ?2, "
		"?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	if (v->id > 0)
		db_bind_int64(s, 1, v->id);
	else
		db_bind_null(s, 1);
	db_bind_int64(s, 2, review_id);
	db_bind_text(s, 3, v->record_kind, -1, DB_STATIC);
	db_bind_int64(s, 4, v->record_id > 0 ? v->record_id : review_id);
	db_bind_text(s, 5, v->action, -1, DB_STATIC);
	db_bind_text(s, 6, v->actor, -1, DB_STATIC);
	db_bind_int64(s, 7, v->at);
	db_bind_int64(s, 8, v->review_version);
	if (changes_bind(s, 9, v->changes ? v->changes : "[]") != DB_OK)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else if (db_step(s) != DB_DONE)
		rc = db_errcode(c->db) ==
				     DB_CONSTRAINT_PRIMARYKEY
			     ? err_set(e, E_INVALID, "id",
				       "revision %lld is given twice",
				       (long long)v->id)
			     : db_err(c, e, "revisions");
	conn_done(c, s);
	return rc;
}

static enum err_code insert_user(struct conn *c, const struct store_user *u,
				 struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "INSERT INTO users (id, name, role, groups, "
				    "password_hash, disabled, created_at) "
				    "VALUES (?1, ?2, ?3, ?4, '', ?5, ?6)",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, u->id);
	db_bind_text(s, 2, u->name, -1, DB_STATIC);
	db_bind_text(s, 3, role_name(u->role), -1, DB_STATIC);
	db_bind_text(s, 4, u->groups ? u->groups : "[]", -1,
			  DB_STATIC);
	db_bind_int(s, 5, u->disabled != 0);
	db_bind_int64(s, 6, u->created_at);
	if (db_step(s) != DB_DONE)
		rc = (db_errcode(c->db) & 0xff) ==
				     DB_CONSTRAINT
			     ? err_set(e, E_INVALID, "users",
				       "user %lld (%s) is given twice or is "
				       "not valid",
				       (long long)u->id, u->name)
			     : db_err(c, e, "users");
	conn_done(c, s);
	return rc;
}

static enum err_code insert_audit(struct conn *c, const struct store_audit *x,
				  struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "INSERT INTO audit (id, at, actor, action, "
				    "detail, address) VALUES (?1, ?2, ?3, ?4, "
				    "?5, ?6)",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, x->id);
	db_bind_int64(s, 2, x->at);
	db_bind_text(s, 3, x->actor, -1, DB_STATIC);
	db_bind_text(s, 4, x->action, -1, DB_STATIC);
	db_bind_text(s, 5, x->detail ? x->detail : "", -1, DB_STATIC);
	db_bind_text(s, 6, x->address ? x->address : "", -1,
			  DB_STATIC);
	if (db_step(s) != DB_DONE)
		rc = db_errcode(c->db) ==
				     DB_CONSTRAINT_PRIMARYKEY
			     ? err_set(e, E_INVALID, "audit",
				       "audit record %lld is given twice",
				       (long long)x->id)
			     : db_err(c, e, "audit");
	conn_done(c, s);
	return rc;
}

/* create_revision records what an import without history did: one
 * "create" revision with every set field of the review. */
static enum err_code create_revision(struct conn *c,
				     const struct export_review *r,
				     const char *actor, struct err *e)
{
	struct arena *a = arena_new();
	struct change *ch = NULL;
	enum err_code rc;
	int n;

	if (!a)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	n = record_diff(a, NULL, r->review, &ch);
	rc = n < 0 ? err_set(e, E_NOMEM, NULL, "out of memory")
		   : revision_add(c, r->review->id, "review", r->review->id,
				  "create", actor, r->review->created_at,
				  r->review->version, ch, n, e);
	arena_free(a);
	return rc;
}

/* source_known sets *id to the review that source made in an import
 * before, or 0. */
static enum err_code source_known(struct conn *c, const char *source,
				  int64_t *id, struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "SELECT review_id FROM import_sources "
				    "WHERE source = ?1",
				    e);
	int step;

	*id = 0;
	if (!s)
		return e->code;
	db_bind_text(s, 1, source, -1, DB_STATIC);
	step = db_step(s);
	if (step == DB_ROW)
		*id = db_column_int64(s, 0);
	conn_done(c, s);
	return step == DB_ROW || step == DB_DONE
		       ? E_OK
		       : db_err(c, e, "import_sources");
}

static enum err_code source_add(struct conn *c, const struct record *review,
				const char *source, struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "INSERT INTO import_sources (source, "
				    "review_id, imported_at) VALUES (?1, ?2, "
				    "?3)",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_text(s, 1, source, -1, DB_STATIC);
	db_bind_int64(s, 2, review->id);
	db_bind_int64(s, 3, time_now());
	if (db_step(s) != DB_DONE)
		rc = db_errcode(c->db) ==
				     DB_CONSTRAINT_PRIMARYKEY
			     ? err_set(e, E_INVALID, "source",
				       "%s is given twice", source)
			     : db_err(c, e, "import_sources");
	conn_done(c, s);
	return rc;
}

/* import_review writes one review of an import with its children,
 * revisions and search row; a review whose source was imported before is
 * skipped, *known set to the review it made (else 0). */
static enum err_code import_review(struct conn *c, const struct import_batch *b,
				   const struct export_review *r,
				   int64_t *known, struct err *e)
{
	struct store *st = c->st;
	enum err_code rc;

	*known = 0;
	if (r->source) {
		if ((rc = source_known(c, r->source, known, e)) != E_OK)
			return rc;
		if (*known)
			return E_OK;
	}
	if ((rc = insert_with_id(c, &st->dsql[DEF_REVIEW], r->review, e)) !=
	    E_OK)
		return rc;
	if (r->source && (rc = source_add(c, r->review, r->source, e)) != E_OK)
		return rc;
	if (b->actor && !r->nrevs &&
	    (rc = create_revision(c, r, b->actor, e)) != E_OK)
		return rc;
	for (int k = 0; k < CHILD_COUNT; k++)
		for (size_t j = 0; j < r->children[k].n; j++) {
			struct record *ch = r->children[k].items[j];

			ch->review_id = r->review->id;
			if ((rc = insert_with_id(c, &st->dsql[DEF_CHILD(k)], ch,
						 e)) != E_OK)
				return rc;
		}
	for (size_t j = 0; j < r->nrevs; j++)
		if ((rc = insert_revision(c, r->review->id, &r->revs[j], e)) !=
		    E_OK)
			return rc;
	return fts_reindex(c, r->review->id, e);
}

enum err_code store_import(struct store *st, const struct import_batch *b,
			   struct err *e)
{
	struct conn *c;
	enum err_code rc;
	int empty = 0;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK ||
	    (rc = is_empty_on(c, &empty, e)) != E_OK)
		goto fail;
	if (!empty && !b->allow_existing) {
		rc = err_set(e, E_CONFLICT, NULL,
			     "the database is not empty (it has reviews, "
			     "users or audit records); import into a new one");
		goto fail;
	}
	for (size_t i = 0; i < b->nreviews; i++) {
		int64_t known;

		if ((rc = import_review(c, b, &b->reviews[i], &known, e)) !=
		    E_OK)
			goto fail;
		if (b->known)
			b->known[i] = known;
	}
	while (b->next) {
		struct export_review *r = NULL;
		int64_t known;
		int more = b->next(b->next_arg, &r, e);

		if (more < 0) {
			rc = e->code ? e->code : E_INVALID;
			goto fail;
		}
		if (!more)
			break;
		if ((rc = import_review(c, b, r, &known, e)) != E_OK)
			goto fail;
	}
	for (size_t i = 0; i < b->nusers; i++)
		if ((rc = insert_user(c, &b->users[i], e)) != E_OK)
			goto fail;
	for (size_t i = 0; i < b->naudit; i++)
		if ((rc = insert_audit(c, &b->audit[i], e)) != E_OK)
			goto fail;
	rc = tx_commit(c, e);
	conn_put(c);
	return rc;
fail:
	tx_rollback(c);
	conn_put(c);
	return rc;
}
