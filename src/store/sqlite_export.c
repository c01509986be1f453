/* sqlite_export.c: every record with its ids, versions and times, out of
 * the database in one read transaction (exports) and into an empty one in
 * one write transaction (imports of an export). */
#include <stdlib.h>
#include <string.h>

#include "model/ticket.h"
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

/* ---- rows kept as stored ------------------------------------------------
 * Tables without a record def (and the facilitator roster, which has no
 * review) go into an export row by row as JSON objects keyed by column,
 * values as stored, built and read by SQLite's JSON functions (on
 * PostgreSQL, their twins in migrations/pg/001_init.sql). types has one
 * letter per column: i integer, s text; upper case: may be null. */
struct plain_table {
	const char *table;
	const char *key; /* the review's column, or NULL: a table of its own */
	const char *const *cols;
	const char *types;
};

static const char *const reads_cols[] = {"id", "review_id", "reader", "at",
					 "month", NULL};
static const char *const inbound_cols[] = {
	"id", "review_id", "repository", "file", "line", "commit_id", "text",
	"found_at", NULL};
static const char *const sources_cols[] = {"source", "review_id",
					   "imported_at", "imported", NULL};
static const char *const glossary_cols[] = {
	"id", "term", "definition", "created_at", "updated_at", NULL};
static const char *const facilitator_cols[] = {
	"id", "version", "created_at", "updated_at", "deleted_at", "name",
	"trained_on", "available", "contact", "note", NULL};
static const char *const draft_cols[] = {"author", "review_id", "body",
					 "updated_at", NULL};

enum { PLAIN_READS, PLAIN_INBOUND, PLAIN_SOURCES, PLAIN_GLOSSARY,
       PLAIN_FACILITATORS, PLAIN_DRAFTS, PLAIN_COUNT };

static const struct plain_table plain_tables[PLAIN_COUNT] = {
	{"review_reads", "review_id", reads_cols, "iisii"},
	{"inbound_links", "review_id", inbound_cols, "iisSISSi"},
	{"import_sources", "review_id", sources_cols, "siiS"},
	{"glossary_terms", NULL, glossary_cols, "issii"},
	{"facilitators", NULL, facilitator_cols, "iiiiIsSISS"},
	{"drafts", NULL, draft_cols, "sisi"},
};

/* plain_read sets *json (from a) to t's rows (of review_id when t has a
 * key) as a JSON list, ordered by the first two columns. */
static enum err_code plain_read(struct conn *c, struct arena *a,
				const struct plain_table *t, int64_t review_id,
				const char **json, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;

	*json = NULL;
	buf_puts(&sql, "SELECT json_group_array(json(r)) FROM (SELECT "
		       "json_object(");
	for (int i = 0; t->cols[i]; i++)
		buf_printf(&sql, "%s'%s', \"%s\"", i ? ", " : "", t->cols[i],
			   t->cols[i]);
	buf_printf(&sql, ") AS r FROM %s%s%s%s ORDER BY \"%s\", \"%s\") x",
		   t->table, t->key ? " WHERE " : "", t->key ? t->key : "",
		   t->key ? " = ?1" : "", t->cols[0], t->cols[1]);
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	if (t->key)
		db_bind_int64(s, 1, review_id);
	if (db_step(s) != DB_ROW)
		rc = db_err(c, e, t->table);
	else if (!(*json = dup_col(a, s, 0)))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
out:
	if (s)
		conn_done(c, s);
	buf_release(&sql);
	return rc;
}

/* plain_check finds the first row of json that is not an object with
 * exactly t's columns, each of its type: E_INVALID naming it. */
static enum err_code plain_check(struct conn *c, const struct plain_table *t,
				 const char *json, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	int n = 0, step;

	for (; t->cols[n]; n++)
		;
	buf_printf(&sql,
		   "SELECT json_type(?1), (SELECT r.key FROM json_each(?1) "
		   "r WHERE coalesce(json_type(r.value), '') != 'object' OR "
		   "(SELECT count(*) FROM json_each(r.value)) != %d",
		   n);
	for (int i = 0; i < n; i++) {
		char ty = t->types[i];
		const char *want = ty == 'i' || ty == 'I' ? "integer" : "text";

		buf_printf(&sql,
			   " OR coalesce(json_type(r.value, '$.%s'), '') NOT "
			   "IN ('%s'%s)",
			   t->cols[i], want,
			   ty == 'I' || ty == 'S' ? ", 'null'" : "");
	}
	buf_puts(&sql, " LIMIT 1)");
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_text(s, 1, json, -1, DB_STATIC);
	step = db_step(s);
	if (step != DB_ROW)
		rc = err_set(e, E_INVALID, t->table, "%s is not valid JSON",
			     t->table);
	else if (db_column_type(s, 0) == DB_NULL ||
		 strcmp(db_column_text(s, 0), "array") != 0)
		rc = err_set(e, E_INVALID, t->table, "%s must be a list",
			     t->table);
	else if (db_column_type(s, 1) != DB_NULL)
		rc = err_set(e, E_INVALID, t->table,
			     "%s[%lld]: a column is missing, unknown or of "
			     "the wrong type (%s needs exactly: %s, ...)",
			     t->table, (long long)db_column_int64(s, 1),
			     t->table, t->cols[0]);
out:
	if (s)
		conn_done(c, s);
	buf_release(&sql);
	return rc;
}

/* plain_write inserts json's rows into t (checked first), the key column
 * set to review_id. */
static enum err_code plain_write(struct conn *c, const struct plain_table *t,
				 int64_t review_id, const char *json,
				 struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;
	enum err_code rc;

	if (!json)
		return E_OK;
	if ((rc = plain_check(c, t, json, e)) != E_OK)
		return rc;
	buf_printf(&sql, "INSERT INTO %s (", t->table);
	for (int i = 0; t->cols[i]; i++)
		buf_printf(&sql, "%s\"%s\"", i ? ", " : "", t->cols[i]);
	buf_puts(&sql, ") SELECT ");
	for (int i = 0; t->cols[i]; i++)
		if (t->key && !strcmp(t->cols[i], t->key))
			buf_printf(&sql, "%s?2", i ? ", " : "");
		else
			buf_printf(&sql,
				   "%sCAST(json_extract(value, '$.%s') AS %s)",
				   i ? ", " : "", t->cols[i],
				   t->types[i] == 'i' || t->types[i] == 'I'
					   ? "BIGINT"
					   : "TEXT");
	buf_puts(&sql, " FROM json_each(?1) ORDER BY key");
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_text(s, 1, json, -1, DB_STATIC);
	if (t->key)
		db_bind_int64(s, 2, review_id);
	if (db_step(s) != DB_DONE) {
		int ext = db_errcode(c->db);

		rc = ext == DB_CONSTRAINT_PRIMARYKEY ||
				     ext == DB_CONSTRAINT_UNIQUE
			     ? err_set(e, E_INVALID, t->table,
				       "%s: a row is given twice or already "
				       "exists",
				       t->table)
			     : db_err(c, e, t->table);
	}
out:
	if (s)
		conn_done(c, s);
	buf_release(&sql);
	return rc;
}

enum err_code store_export_table(struct store *st, struct arena *a,
				 const char *table, const char **json,
				 struct err *e)
{
	const struct plain_table *t = NULL;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	for (int i = 0; i < PLAIN_COUNT; i++)
		if (!plain_tables[i].key && !strcmp(plain_tables[i].table, table))
			t = &plain_tables[i];
	if (!t)
		return err_set(e, E_INVALID, NULL, "no export of table %s",
			       table);
	if (!(c = conn_get(st, e)))
		return e->code;
	rc = plain_read(c, a, t, 0, json, e);
	conn_put(c);
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
				   int64_t only_id, int flags,
				   int (*fn)(const struct export_review *r,
					     void *arg),
				   void *arg, struct err *e)
{
	const char *groups = visible_param(v);
	const struct def_sql *d = &st->dsql[DEF_REVIEW];
	int include_deleted = flags & EXPORT_DELETED,
	    records = flags & EXPORT_RECORDS;
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
		if (records) { /* else only what a markdown file holds */
			if (rc == E_OK)
				rc = all_children(c, a, &st->dsql[DEF_TRANSCRIPT],
						  r.review->id, !include_deleted,
						  &r.transcripts, e);
			if (rc == E_OK)
				rc = all_children(c, a, &st->dsql[DEF_TICKET],
						  r.review->id, !include_deleted,
						  &r.tickets, e);
			if (rc == E_OK && !groups) /* reads name their readers */
				rc = plain_read(c, a, &plain_tables[PLAIN_READS],
						r.review->id, &r.reads, e);
			if (rc == E_OK)
				rc = plain_read(c, a, &plain_tables[PLAIN_INBOUND],
						r.review->id, &r.inbound_links, e);
			if (rc == E_OK)
				rc = plain_read(c, a, &plain_tables[PLAIN_SOURCES],
						r.review->id, &r.sources, e);
			if (rc == E_OK)
				rc = all_revisions(c, a, r.review->id, &r, e);
		}
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
 * times and fields; without an id (0) the database gives it one (SQLite
 * would take a NULL id for that, PostgreSQL's identity would not). */
static enum err_code insert_with_id(struct conn *c, const struct def_sql *d,
				    struct record *r, struct err *e)
{
	/* without an id the id column is left out: SQLite would take NULL
	 * for a new one, PostgreSQL's identity refuses it */
	struct db_stmt *s = conn_stmt(
		c, r->id > 0 ? d->insert_as_is : d->insert_as_new, e);
	enum err_code rc = E_OK;
	int p = 1, step;

	if (!s)
		return e->code;
	if (r->id > 0)
		db_bind_int64(s, p, r->id);
	p++;
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
	conn_done(c, s);
	return rc;
}

static enum err_code insert_revision(struct conn *c, int64_t review_id,
				     const struct export_revision *v,
				     struct err *e)
{
	/* without an id, the database gives one (see insert_with_id) */
	struct db_stmt *s = conn_stmt(
		c,
		v->id > 0 ? "INSERT INTO revisions (id, review_id, record_kind, "
			    "record_id, action, actor, at, review_version, "
			    "changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
			    "?9)"
			  : "INSERT INTO revisions (review_id, record_kind, "
			    "record_id, action, actor, at, review_version, "
			    "changes) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	if (v->id > 0)
		db_bind_int64(s, 1, v->id);
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
				    "password_hash, disabled, created_at, "
				    "time_zone) VALUES (?1, ?2, ?3, ?4, '', "
				    "?5, ?6, ?7)",
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
	db_bind_text(s, 7, u->time_zone ? u->time_zone : "", -1,
			  DB_STATIC);
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
				const char *source, const char *imported,
				struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "INSERT INTO import_sources (source, "
				    "review_id, imported_at, imported) VALUES "
				    "(?1, ?2, ?3, ?4)",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_text(s, 1, source, -1, DB_STATIC);
	db_bind_int64(s, 2, review->id);
	db_bind_int64(s, 3, time_now());
	if (imported)
		db_bind_text(s, 4, imported, -1, DB_STATIC);
	else
		db_bind_null(s, 4);
	if (db_step(s) != DB_DONE)
		rc = db_errcode(c->db) ==
				     DB_CONSTRAINT_PRIMARYKEY
			     ? err_set(e, E_INVALID, "source",
				       "%s is given twice", source)
			     : db_err(c, e, "import_sources");
	conn_done(c, s);
	return rc;
}

enum err_code store_import_source_get(struct store *st, struct arena *a,
				      const char *source, int64_t *review_id,
				      const char **imported, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*review_id = 0;
	*imported = NULL;
	if (!(c = conn_get(st, e)))
		return e->code;
	if (!(s = conn_stmt(c,
			    "SELECT review_id, imported FROM import_sources "
			    "WHERE source = ?1",
			    e))) {
		conn_put(c);
		return e->code;
	}
	db_bind_text(s, 1, source, -1, DB_STATIC);
	step = db_step(s);
	if (step == DB_ROW) {
		*review_id = db_column_int64(s, 0);
		if (db_column_type(s, 1) != DB_NULL &&
		    !(*imported = dup_col(a, s, 1)))
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
	} else if (step != DB_DONE) {
		rc = db_err(c, e, "import_sources");
	}
	conn_done(c, s);
	conn_put(c);
	return rc;
}

enum err_code store_import_source_set(struct store *st, const char *source,
				      const char *imported, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if (!(s = conn_stmt(c,
			    "UPDATE import_sources SET imported = ?2, "
			    "imported_at = ?3 WHERE source = ?1",
			    e))) {
		conn_put(c);
		return e->code;
	}
	db_bind_text(s, 1, source, -1, DB_STATIC);
	db_bind_text(s, 2, imported, -1, DB_STATIC);
	db_bind_int64(s, 3, time_now());
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "import_sources");
	else if (db_changes(c->db) == 0)
		rc = err_set(e, E_NOT_FOUND, NULL, "%s was never imported",
			     source);
	conn_done(c, s);
	conn_put(c);
	return rc;
}

/* transcripts_reindex adds review_id's chat messages to their search
 * index (an import inserts them without it, as sqlite_transcript.c does). */
static enum err_code transcripts_reindex(struct conn *c, int64_t review_id,
					 struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "INSERT INTO transcript_fts (rowid, author, "
				    "text) SELECT id, author, text FROM "
				    "transcript_messages WHERE review_id = ?1",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, review_id);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "transcript_fts");
	conn_done(c, s);
	return rc;
}

/* followup_known checks that ticket t's follow-up (if it has one) is in
 * the database: the database's own reference check says only "FOREIGN
 * KEY constraint failed", this names the ticket and its follow-up. */
static enum err_code followup_known(struct conn *c, const struct record *t,
				    struct err *e)
{
	int64_t id = record_int(t, TK_FOLLOWUP_ID, 0);
	struct db_stmt *s;
	int step;

	if (!id)
		return E_OK;
	if (!(s = conn_stmt(c, "SELECT 1 FROM followups WHERE id = ?1", e)))
		return e->code;
	db_bind_int64(s, 1, id);
	step = db_step(s);
	conn_done(c, s);
	if (step == DB_ROW)
		return E_OK;
	if (step != DB_DONE)
		return db_err(c, e, "followups");
	return err_set(e, E_INVALID, "followup_id",
		       "ticket %lld: followup_id %lld: no follow-up has that "
		       "id",
		       (long long)t->id, (long long)id);
}

/* import_review writes one review of an import with its children and
 * revisions (store_import adds its search row); a review whose source was imported before is
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
	if (r->source && (rc = source_add(c, r->review, r->source,
					  r->imported, e)) != E_OK)
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
	for (int k = 0; k < 2; k++) {
		const struct record_list *l = k ? &r->tickets : &r->transcripts;

		for (size_t j = 0; j < l->n; j++) {
			l->items[j]->review_id = r->review->id;
			if ((k && (rc = followup_known(c, l->items[j], e)) !=
					  E_OK) ||
			    (rc = insert_with_id(
				     c, &st->dsql[k ? DEF_TICKET : DEF_TRANSCRIPT],
				     l->items[j], e)) != E_OK)
				return rc;
		}
	}
	if (r->transcripts.n && (rc = transcripts_reindex(c, r->review->id,
							  e)) != E_OK)
		return rc;
	if ((rc = plain_write(c, &plain_tables[PLAIN_READS], r->review->id,
			      r->reads, e)) != E_OK ||
	    (rc = plain_write(c, &plain_tables[PLAIN_INBOUND], r->review->id,
			      r->inbound_links, e)) != E_OK ||
	    (rc = plain_write(c, &plain_tables[PLAIN_SOURCES], r->review->id,
			      r->sources, e)) != E_OK)
		return rc;
	for (size_t j = 0; j < r->nrevs; j++)
		if ((rc = insert_revision(c, r->review->id, &r->revs[j], e)) !=
		    E_OK)
			return rc;
	return E_OK;
}

/* The reviews written and not yet in the search index (fts_reindex_many:
 * a batch at once). */
struct fts_pending {
	int64_t ids[FTS_BATCH];
	size_t n;
};

/* fts_add notes review id; the batch is indexed when full. */
static enum err_code fts_add(struct conn *c, struct fts_pending *p, int64_t id,
			     struct err *e)
{
	enum err_code rc = E_OK;

	p->ids[p->n++] = id;
	if (p->n == FTS_BATCH) {
		rc = fts_reindex_many(c, p->ids, p->n, FTS_ALL, e);
		p->n = 0;
	}
	return rc;
}

enum err_code store_import(struct store *st, const struct import_batch *b,
			   struct err *e)
{
	struct conn *c;
	struct fts_pending fts = {.n = 0};
	enum err_code rc;
	int empty = 0;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	/* SQLite: statement journals in chunks of STMT_JOURNAL_CHUNK
	 * (db_sqlite.c) for the import, not the 1 KB ones of temp_store =
	 * MEMORY: the inserts whose triggers count (reviews, follow-ups,
	 * tags) journal a dozen 8 KB pages each, nine mallocs a page, 6% of
	 * an import's instructions. Back to MEMORY after. */
	if (db_kind(c->db) == DB_SQLITE &&
	    db_exec(c->db, "PRAGMA temp_store = FILE") != DB_OK) {
		rc = db_err(c, e, "pragmas");
		conn_put(c);
		return rc;
	}
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
			    E_OK ||
		    (!known && (rc = fts_add(c, &fts, b->reviews[i].review->id,
					     e)) != E_OK))
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
		if ((rc = import_review(c, b, r, &known, e)) != E_OK ||
		    (!known &&
		     (rc = fts_add(c, &fts, r->review->id, e)) != E_OK))
			goto fail;
	}
	if ((rc = fts_reindex_many(c, fts.ids, fts.n, FTS_ALL, e)) != E_OK)
		goto fail;
	for (size_t i = 0; i < b->nusers; i++)
		if ((rc = insert_user(c, &b->users[i], e)) != E_OK)
			goto fail;
	for (size_t i = 0; i < b->naudit; i++)
		if ((rc = insert_audit(c, &b->audit[i], e)) != E_OK)
			goto fail;
	if ((rc = plain_write(c, &plain_tables[PLAIN_GLOSSARY], 0,
			      b->glossary_terms, e)) != E_OK ||
	    (rc = plain_write(c, &plain_tables[PLAIN_FACILITATORS], 0,
			      b->facilitators, e)) != E_OK ||
	    (rc = plain_write(c, &plain_tables[PLAIN_DRAFTS], 0, b->drafts,
			      e)) != E_OK)
		goto fail;
	/* the rows came with their ids; PostgreSQL's next ones follow them */
	if (db_kind(c->db) == DB_POSTGRES &&
	    (rc = reset_sequences(c, e)) != E_OK)
		goto fail;
	rc = tx_commit(c, e);
	conn_temp_store_memory(c);
	conn_put(c);
	return rc;
fail:
	tx_rollback(c);
	conn_temp_store_memory(c);
	conn_put(c);
	return rc;
}
