/* sqlite_accounts.c: users, sessions, API tokens and the audit trail in
 * SQLite (the accounts part of store.h). Every call is one statement or
 * one short transaction. */
#include <stdarg.h>
#include <string.h>

#include "store/sqlite_internal.h"

const char *role_name(int role)
{
	switch (role) {
	case ROLE_READER: return "reader";
	case ROLE_EDITOR: return "editor";
	case ROLE_ADMIN: return "admin";
	default: return "none";
	}
}

int role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	if (!strcmp(s, "reader"))
		return ROLE_READER;
	if (!strcmp(s, "editor"))
		return ROLE_EDITOR;
	if (!strcmp(s, "admin"))
		return ROLE_ADMIN;
	return ROLE_NONE;
}

/* bind_args binds ?1.. from types: 't' a const char * (NULL binds NULL),
 * 'i' an int64_t. */
static void bind_args(struct db_stmt *s, const char *types, va_list ap)
{
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't') {
			const char *v = va_arg(ap, const char *);

			if (v)
				db_bind_text(s, i + 1, v, -1,
						  DB_TRANSIENT);
			else
				db_bind_null(s, i + 1);
		} else {
			db_bind_int64(s, i + 1, va_arg(ap, int64_t));
		}
	}
}

/* exec_write runs one statement without rows on c and tells how many rows
 * it changed. A UNIQUE violation is E_CONFLICT. */
static enum err_code exec_write(struct conn *c, int *changed, struct err *e,
				const char *sql, const char *types, ...)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	va_list ap;
	int step;

	if (!s)
		return e->code;
	va_start(ap, types);
	bind_args(s, types, ap);
	va_end(ap);
	step = db_step(s);
	if (step == DB_CONSTRAINT_UNIQUE ||
	    step == DB_CONSTRAINT_PRIMARYKEY)
		rc = err_set(e, E_CONFLICT, "name", "that name is taken");
	else if (step != DB_DONE)
		rc = db_err(c, e, "write");
	if (changed)
		*changed = db_changes(c->db);
	conn_done(c, s);
	return rc;
}

/* write1 is exec_write on a connection of its own. */
static enum err_code write1(struct store *st, int *changed, struct err *e,
			    const char *sql, const char *types, ...)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	va_list ap;
	int step;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	/* a transaction of its own, to queue for the write turn (tx_begin)
	 * like every other write instead of in SQLite's busy handler */
	if (tx_begin(c, 1, e) != E_OK || !(s = conn_stmt(c, sql, e))) {
		conn_put(c);
		return e->code;
	}
	va_start(ap, types);
	bind_args(s, types, ap);
	va_end(ap);
	step = db_step(s);
	if (step == DB_CONSTRAINT_UNIQUE ||
	    step == DB_CONSTRAINT_PRIMARYKEY)
		rc = err_set(e, E_CONFLICT, "name", "that name is taken");
	else if (step == DB_CONSTRAINT_FOREIGNKEY)
		rc = err_set(e, E_NOT_FOUND, "user", "no such user");
	else if (step != DB_DONE)
		rc = db_err(c, e, "write");
	if (changed)
		*changed = db_changes(c->db);
	conn_done(c, s);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	conn_put(c);
	return rc;
}

static const char *col_text(struct arena *a, struct db_stmt *s, int i)
{
	const char *t = db_column_text(s, i);

	return arena_strdup(a, t ? (const char *)t : "");
}

#define USER_COLS                                                              \
	"id, name, role, groups, password_hash, disabled, created_at, "        \
	"time_zone"

static int user_read(struct arena *a, struct db_stmt *s, struct store_user *u)
{
	u->id = db_column_int64(s, 0);
	u->name = col_text(a, s, 1);
	u->role = role_parse(db_column_text(s, 2));
	u->groups = col_text(a, s, 3);
	u->password_hash = col_text(a, s, 4);
	u->disabled = db_column_int(s, 5);
	u->created_at = db_column_int64(s, 6);
	u->time_zone = col_text(a, s, 7);
	return u->name && u->groups && u->password_hash && u->time_zone ? 0
									 : -1;
}

enum err_code store_user_create(struct store *st, const char *name, int role,
				const char *groups, const char *password_hash,
				int64_t now, struct err *e)
{
	if (!name || !*name)
		return err_set(e, E_INVALID, "name", "a name is required");
	if (role < ROLE_READER || role > ROLE_ADMIN)
		return err_set(e, E_INVALID, "role",
			       "role must be reader, editor or admin");
	return write1(st, NULL, e,
		      "INSERT INTO users (name, role, groups, password_hash, "
		      "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
		      "tttti", name, role_name(role), groups ? groups : "[]",
		      password_hash ? password_hash : "", now);
}

/* user_get_on reads user name on connection c (inside a transaction or
 * not); E_NOT_FOUND when there is none. */
static enum err_code user_get_on(struct conn *c, struct arena *a,
				 const char *name, struct store_user *out,
				 struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	s = conn_stmt(c, "SELECT " USER_COLS " FROM users WHERE name = ?1", e);
	if (!s)
		return e->code;
	db_bind_text(s, 1, name, -1, DB_TRANSIENT);
	step = db_step(s);
	if (step == DB_ROW) {
		if (user_read(a, s, out) < 0)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
	} else if (step == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "user", "no user named %s", name);
	} else {
		rc = db_err(c, e, "user");
	}
	conn_done(c, s);
	return rc;
}

enum err_code store_user_get(struct store *st, struct arena *a,
			     const char *name, struct store_user *out,
			     struct err *e)
{
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	rc = user_get_on(c, a, name, out, e);
	conn_put(c);
	return rc;
}

enum err_code store_user_list(struct store *st, struct arena *a,
			      struct store_user **out, size_t *n, struct err *e)
{
	struct store_user *v = NULL;
	size_t cap = 0;
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	c = conn_get(st, e);
	if (!c)
		return e->code;
	s = conn_stmt(c, "SELECT " USER_COLS " FROM users ORDER BY name", e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	while ((step = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			struct store_user *nv;

			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(a, cap * sizeof *nv);
			if (!nv) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (*n)
				memcpy(nv, v, *n * sizeof *nv);
			v = nv;
		}
		if (user_read(a, s, &v[*n]) < 0) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		(*n)++;
	}
	if (step != DB_DONE)
		rc = db_err(c, e, "users");
	*out = v;
out:
	conn_done(c, s);
	conn_put(c);
	return rc;
}

enum err_code store_user_count(struct store *st, int64_t *n, struct err *e)
{
	ERR_LOCAL(e);
	*n = 0;
	return db_read_int64(st, "SELECT count(*) FROM users", NULL, n, e);
}

/* user_change runs the user update sql (?1 the name, ?2 the value) and
 * ends the user's sessions in the same transaction; revoke also revokes
 * its tokens. */
static enum err_code user_change(struct store *st, const char *sql,
				 const char *name, const char *text,
				 int64_t now, int revoke, struct err *e)
{
	struct conn *c;
	enum err_code rc;
	int changed = 0;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	rc = tx_begin(c, 1, e);
	if (rc != E_OK)
		goto out;
	if (text)
		rc = exec_write(c, &changed, e, sql, "tt", name, text);
	else
		rc = exec_write(c, &changed, e, sql, "t", name);
	if (rc == E_OK && !changed)
		rc = err_set(e, E_NOT_FOUND, "user", "no user named %s", name);
	if (rc == E_OK)
		rc = exec_write(c, NULL, e,
				"DELETE FROM sessions WHERE \"user\" = ?1", "t",
				name);
	if (rc == E_OK && revoke)
		rc = exec_write(c, NULL, e,
				"UPDATE api_tokens SET revoked_at = ?2 "
				"WHERE \"user\" = ?1 AND revoked_at IS NULL",
				"ti", name, now);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	conn_put(c);
	return rc;
}

enum err_code store_user_set_password(struct store *st, const char *name,
				      const char *password_hash, struct err *e)
{
	return user_change(
		st, "UPDATE users SET password_hash = ?2 WHERE name = ?1", name,
		password_hash, 0, 0, e);
}

enum err_code store_user_set_time_zone(struct store *st, const char *name,
				       const char *zone, struct err *e)
{
	int changed = 0;
	enum err_code rc;

	rc = write1(st, &changed, e,
		    "UPDATE users SET time_zone = ?2 WHERE name = ?1", "tt",
		    name, zone ? zone : "");
	if (rc == E_OK && !changed)
		rc = err_set(e, E_NOT_FOUND, "user", "no user %s", name);
	return rc;
}

enum err_code store_user_disable(struct store *st, const char *name,
				 int64_t now, struct err *e)
{
	return user_change(st, "UPDATE users SET disabled = 1 WHERE name = ?1",
			   name, NULL, now, 1, e);
}

enum err_code store_session_create(struct store *st, const char *id_hash,
				   const char *user, int64_t now,
				   int64_t expires, struct err *e)
{
	return write1(st, NULL, e,
		      "INSERT INTO sessions (id_hash, \"user\", created_at, "
		      "last_seen, expires) VALUES (?1, ?2, ?3, ?3, ?4)",
		      "ttii", id_hash, user, now, expires);
}

enum err_code store_session_get(struct store *st, struct arena *a,
				const char *id_hash, struct store_session *out,
				struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	s = conn_stmt(c,
		      "SELECT s.\"user\", s.created_at, s.last_seen, s.expires "
		      "FROM sessions s JOIN users u ON u.name = s.\"user\" "
		      "WHERE s.id_hash = ?1 AND u.disabled = 0",
		      e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_text(s, 1, id_hash, -1, DB_TRANSIENT);
	step = db_step(s);
	if (step == DB_ROW) {
		out->user = col_text(a, s, 0);
		out->created_at = db_column_int64(s, 1);
		out->last_seen = db_column_int64(s, 2);
		out->expires = db_column_int64(s, 3);
		if (!out->user)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
	} else if (step == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, NULL, "no such session");
	} else {
		rc = db_err(c, e, "session");
	}
	conn_done(c, s);
	conn_put(c);
	return rc;
}

struct touch_job {
	const char *id_hash;
	int64_t now;
};

static enum err_code touch_tx(struct conn *c, void *arg, struct err *e)
{
	struct touch_job *j = arg;

	return exec_write(
		c, NULL, e,
		"UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1", "ti",
		j->id_hash, j->now);
}

/* A touch is due on a signed-in person's first request after a while,
 * whatever the request: it goes in the line of writes (tx_write), which
 * holds no connection while it waits and lets the request's handler place
 * go meanwhile (issue 21), and rides in the commit of the write ahead. */
enum err_code store_session_touch(struct store *st, const char *id_hash,
				  int64_t now, struct err *e)
{
	struct touch_job j = {id_hash, now};

	return tx_write(st, touch_tx, &j, e);
}

enum err_code store_session_delete(struct store *st, const char *id_hash,
				   struct err *e)
{
	return write1(st, NULL, e, "DELETE FROM sessions WHERE id_hash = ?1",
		      "t", id_hash);
}

enum err_code store_session_delete_all_for_user(struct store *st,
						const char *user, struct err *e)
{
	return write1(st, NULL, e, "DELETE FROM sessions WHERE \"user\" = ?1", "t",
		      user);
}

enum err_code store_token_create(struct store *st, const char *hash,
				 const char *user, int write, int64_t now,
				 int64_t *id, struct err *e)
{
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	rc = exec_write(
		c, NULL, e,
		"INSERT INTO api_tokens (hash, \"user\", scope, created_at) "
		"SELECT ?1, name, ?3, ?4 FROM users WHERE name = ?2",
		"ttti", hash, user, write ? "write" : "read", now);
	if (rc == E_OK && db_changes(c->db) == 0)
		rc = err_set(e, E_NOT_FOUND, "user", "no user named %s", user);
	if (rc == E_OK && id)
		*id = db_last_insert_id(c->db);
	conn_put(c);
	return rc;
}

enum err_code store_token_find(struct store *st, struct arena *a,
			       const char *hash, int64_t now,
			       struct store_token *out, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	s = conn_stmt(c,
		      "SELECT t.id, t.\"user\", t.scope, t.created_at, "
		      "coalesce(t.last_used, 0) FROM api_tokens t "
		      "JOIN users u ON u.name = t.\"user\" WHERE t.hash = ?1 "
		      "AND t.revoked_at IS NULL AND u.disabled = 0",
		      e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_text(s, 1, hash, -1, DB_TRANSIENT);
	step = db_step(s);
	if (step == DB_ROW) {
		memset(out, 0, sizeof *out);
		out->id = db_column_int64(s, 0);
		out->user = col_text(a, s, 1);
		out->write = !strcmp(db_column_text(s, 2),
				     "write");
		out->created_at = db_column_int64(s, 3);
		out->last_used = db_column_int64(s, 4);
		if (!out->user)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
	} else if (step == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, NULL, "no such token");
	} else {
		rc = db_err(c, e, "token");
	}
	conn_done(c, s);
	/* last_used is advisory: stamped at most once a minute */
	if (rc == E_OK && now - out->last_used >= 60)
		exec_write(c, NULL, NULL,
			   "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1",
			   "ii", out->id, now);
	conn_put(c);
	return rc;
}

enum err_code store_token_revoke(struct store *st, int64_t id, int64_t now,
				 struct err *e)
{
	enum err_code rc;
	int changed = 0;

	ERR_LOCAL(e);
	rc = write1(st, &changed, e,
		    "UPDATE api_tokens SET revoked_at = ?2 "
		    "WHERE id = ?1 AND revoked_at IS NULL",
		    "ii", id, now);
	if (rc == E_OK && !changed)
		rc = err_set(e, E_NOT_FOUND, "id", "no live token %lld",
			     (long long)id);
	return rc;
}

enum err_code store_audit_add(struct store *st, int64_t at, const char *actor,
			      const char *action, const char *detail,
			      const char *address, struct err *e)
{
	return write1(st, NULL, e,
		      "INSERT INTO audit (at, actor, action, detail, address) "
		      "VALUES (?1, ?2, ?3, ?4, ?5)",
		      "itttt", at, actor ? actor : "", action,
		      detail ? detail : "", address ? address : "");
}

enum err_code store_audit_list(struct store *st, struct arena *a, int limit,
			       struct store_audit **out, size_t *n,
			       struct err *e)
{
	struct store_audit_filter f = {0};

	f.limit = limit;
	return store_audit_query(st, a, &f, out, n, e);
}

enum err_code store_audit_query(struct store *st, struct arena *a,
				const struct store_audit_filter *f,
				struct store_audit **out, size_t *n,
				struct err *e)
{
	struct store_audit *v;
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step, limit = f->limit;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	if (limit <= 0)
		limit = 100;
	if (limit > 1000)
		limit = 1000;
	v = arena_alloc(a, (size_t)limit * sizeof *v);
	if (!v)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	c = conn_get(st, e);
	if (!c)
		return e->code;
	s = conn_stmt(
		c,
		"SELECT id, at, actor, action, detail, address FROM audit "
		"WHERE (?1 = 0 OR id < ?1) AND (CAST(?2 AS TEXT) IS NULL OR actor = ?2) "
		"AND (CAST(?3 AS TEXT) IS NULL OR substr(action, 1, length(?3)) = ?3) "
		"ORDER BY id DESC LIMIT ?4",
		e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_int64(s, 1, f->before > 0 ? f->before : 0);
	if (f->actor && *f->actor)
		db_bind_text(s, 2, f->actor, -1, DB_TRANSIENT);
	if (f->action && *f->action)
		db_bind_text(s, 3, f->action, -1, DB_TRANSIENT);
	db_bind_int(s, 4, limit);
	while ((step = db_step(s)) == DB_ROW) {
		struct store_audit *r = &v[*n];

		r->id = db_column_int64(s, 0);
		r->at = db_column_int64(s, 1);
		r->actor = col_text(a, s, 2);
		r->action = col_text(a, s, 3);
		r->detail = col_text(a, s, 4);
		r->address = col_text(a, s, 5);
		if (!r->actor || !r->action || !r->detail || !r->address) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		(*n)++;
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "audit");
	*out = v;
	conn_done(c, s);
	conn_put(c);
	return rc;
}

/* enabled_admins counts the enabled admins as c sees them. */
static enum err_code enabled_admins(struct conn *c, int64_t *n, struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "SELECT count(*) FROM users "
				    "WHERE role = 'admin' AND disabled = 0",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	if (db_step(s) == DB_ROW)
		*n = db_column_int64(s, 0);
	else
		rc = db_err(c, e, "users");
	conn_done(c, s);
	return rc;
}

/* user_apply makes the writes of store_user_update on c, inside its
 * transaction; old is the user before. */
static enum err_code user_apply(struct conn *c, const struct store_user *old,
				const struct store_user_change *ch, int64_t now,
				struct err *e)
{
	enum err_code rc = E_OK;
	int64_t admins = 1;
	int was_admin = old->role == ROLE_ADMIN && !old->disabled;

	if (ch->role != ROLE_NONE && ch->role != old->role)
		rc = exec_write(c, NULL, e,
				"UPDATE users SET role = ?2 WHERE name = ?1",
				"tt", old->name, role_name(ch->role));
	if (rc == E_OK && ch->groups && strcmp(ch->groups, old->groups) != 0)
		rc = exec_write(c, NULL, e,
				"UPDATE users SET groups = ?2 WHERE name = ?1",
				"tt", old->name, ch->groups);
	if (rc == E_OK && ch->password_hash) {
		rc = exec_write(c, NULL, e,
				"UPDATE users SET password_hash = ?2 "
				"WHERE name = ?1",
				"tt", old->name, ch->password_hash);
		if (rc == E_OK)
			rc = exec_write(c, NULL, e,
					"DELETE FROM sessions WHERE \"user\" = ?1",
					"t", old->name);
	}
	if (rc == E_OK && ch->disabled == 0 && old->disabled)
		rc = exec_write(c, NULL, e,
				"UPDATE users SET disabled = 0 WHERE name = ?1",
				"t", old->name);
	if (rc == E_OK && ch->disabled == 1 && !old->disabled) {
		rc = exec_write(c, NULL, e,
				"UPDATE users SET disabled = 1 WHERE name = ?1",
				"t", old->name);
		if (rc == E_OK)
			rc = exec_write(c, NULL, e,
					"DELETE FROM sessions WHERE \"user\" = ?1",
					"t", old->name);
		if (rc == E_OK)
			rc = exec_write(
				c, NULL, e,
				"UPDATE api_tokens SET revoked_at = ?2 "
				"WHERE \"user\" = ?1 AND revoked_at IS NULL",
				"ti", old->name, now);
	}
	if (rc == E_OK && was_admin)
		rc = enabled_admins(c, &admins, e);
	if (rc == E_OK && admins == 0)
		rc = err_set(e, E_CONFLICT,
			     ch->disabled == 1 ? "disabled" : "role",
			     "%s is the last enabled admin; make someone else "
			     "an admin first",
			     old->name);
	return rc;
}

enum err_code store_user_update(struct store *st, struct arena *a,
				const char *name,
				const struct store_user_change *ch, int64_t now,
				struct store_user *before, struct err *e)
{
	struct store_user old;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	if (ch->role < ROLE_NONE || ch->role > ROLE_ADMIN)
		return err_set(e, E_INVALID, "role",
			       "role must be reader, editor or admin");
	c = conn_get(st, e);
	if (!c)
		return e->code;
	rc = tx_begin(c, 1, e);
	if (rc != E_OK)
		goto out;
	rc = user_get_on(c, a, name, &old, e);
	if (rc == E_OK)
		rc = user_apply(c, &old, ch, now, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
	if (rc == E_OK && before)
		*before = old;
out:
	conn_put(c);
	return rc;
}

enum err_code store_token_list(struct store *st, struct arena *a,
			       const char *user, struct store_token **out,
			       size_t *n, struct err *e)
{
	struct store_token *v = NULL;
	size_t cap = 0;
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	c = conn_get(st, e);
	if (!c)
		return e->code;
	s = conn_stmt(c,
		      "SELECT id, \"user\", scope, created_at, "
		      "coalesce(revoked_at, 0), coalesce(last_used, 0) "
		      "FROM api_tokens WHERE CAST(?1 AS TEXT) IS NULL OR \"user\" = ?1 "
		      "ORDER BY id DESC",
		      e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	if (user)
		db_bind_text(s, 1, user, -1, DB_TRANSIENT);
	while ((step = db_step(s)) == DB_ROW) {
		struct store_token *t;

		if (*n == cap) {
			struct store_token *nv;

			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(a, cap * sizeof *nv);
			if (!nv) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (*n)
				memcpy(nv, v, *n * sizeof *nv);
			v = nv;
		}
		t = &v[*n];
		t->id = db_column_int64(s, 0);
		t->user = col_text(a, s, 1);
		t->write = !strcmp(db_column_text(s, 2),
				   "write");
		t->created_at = db_column_int64(s, 3);
		t->revoked_at = db_column_int64(s, 4);
		t->last_used = db_column_int64(s, 5);
		if (!t->user) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		(*n)++;
	}
	if (step != DB_DONE)
		rc = db_err(c, e, "tokens");
	*out = v;
out:
	conn_done(c, s);
	conn_put(c);
	return rc;
}

/* ---- the login rate limit (store.h, 027_login_failures.sql) ---- */

/* The limit's rows are written outside the review writes' turn, each key
 * (account, address) by one upsert that locks its row: concurrent
 * sign-ins on any server wait only for those of the same account or
 * address, and lock the account's row before the address's (one order:
 * no deadlock). A window that is over starts again in the same upsert. */

/* login_lock upserts the row of (kind, name), starting its window again
 * when it began at or before `over`, and reads its counts. */
static enum err_code login_lock(struct conn *c, const char *kind,
				const char *name, int64_t now, int64_t over,
				int64_t *failures, int64_t *pending,
				struct err *e)
{
	struct db_stmt *s = conn_stmt(
		c,
		"INSERT INTO login_failures AS f (kind, name, start, "
		"failures, pending) VALUES (?1, ?2, ?3, 0, 0) "
		"ON CONFLICT (kind, name) DO UPDATE SET "
		"start = CASE WHEN f.start <= ?4 THEN ?3 ELSE f.start END, "
		"failures = CASE WHEN f.start <= ?4 THEN 0 ELSE f.failures END, "
		"pending = CASE WHEN f.start <= ?4 THEN 0 ELSE f.pending END "
		"RETURNING failures, pending",
		e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_text(s, 1, kind, -1, DB_STATIC);
	db_bind_text(s, 2, name, -1, DB_STATIC);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, over);
	if (db_step(s) == DB_ROW) {
		*failures = db_column_int64(s, 0);
		*pending = db_column_int64(s, 1);
	} else {
		rc = db_err(c, e, "login_failures");
	}
	conn_done(c, s);
	return rc;
}

/* login_sweep deletes the rows whose window is over, in a statement of
 * its own after the sign-in's transaction. On PostgreSQL it skips rows
 * another sign-in holds, so that it never waits (and never deadlocks). */
static void login_sweep(struct store *st, int64_t over)
{
	struct conn *c;
	struct err e;

	err_clear(&e);
	if (!(c = conn_get(st, &e)))
		return;
	exec_write(c, NULL, &e,
		   db_kind(c->db) == DB_SQLITE
			   ? "DELETE FROM login_failures WHERE start <= ?1"
			   : "DELETE FROM login_failures WHERE (kind, name) IN "
			     "(SELECT kind, name FROM login_failures WHERE "
			     "start <= ?1 FOR UPDATE SKIP LOCKED)",
		   "i", over);
	conn_put(c);
}

static enum err_code login_done(struct conn *c, enum err_code rc,
				struct err *e)
{
	if (rc == E_OK)
		rc = tx_commit(c, e);
	conn_put(c); /* rolls back what was not committed */
	return rc;
}

enum err_code store_login_begin(struct store *st, const char *user,
				const char *addr, int64_t now, int64_t window,
				int max, int *go, struct err *e)
{
	int64_t uf, up, af, ap;
	enum err_code rc;
	struct conn *c;

	ERR_LOCAL(e);
	*go = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin_rows(c, e)) != E_OK) {
		conn_put(c);
		return rc;
	}
	rc = login_lock(c, "user", user, now, now - window, &uf, &up, e);
	if (rc == E_OK)
		rc = login_lock(c, "addr", addr, now, now - window, &af, &ap,
				e);
	if (rc == E_OK && uf + up < max)
		*go = af + ap < max || uf + up == 0;
	if (rc == E_OK && *go)
		rc = exec_write(c, NULL, e,
				"UPDATE login_failures SET pending = pending + "
				"1 WHERE (kind = 'user' AND name = ?1) OR "
				"(kind = 'addr' AND name = ?2)",
				"tt", user, addr);
	if (rc != E_OK)
		*go = 0;
	rc = login_done(c, rc, e);
	if (rc == E_OK)
		login_sweep(st, now - window);
	else
		*go = 0;
	return rc;
}

/* login_end_one ends a check of (kind, name) in one upsert: its pending
 * check goes (a window that ended during the check took it along);
 * reset forgets the failures, add counts one more. */
static enum err_code login_end_one(struct conn *c, const char *kind,
				   const char *name, int reset, int add,
				   int64_t now, int64_t over, struct err *e)
{
	return exec_write(
		c, NULL, e,
		"INSERT INTO login_failures AS f (kind, name, start, failures, "
		"pending) VALUES (?1, ?2, ?3, CASE WHEN ?5 = 1 THEN 0 ELSE ?6 "
		"END, 0) ON CONFLICT (kind, name) DO UPDATE SET "
		"start = CASE WHEN f.start <= ?4 THEN ?3 ELSE f.start END, "
		"failures = CASE WHEN ?5 = 1 THEN 0 WHEN f.start <= ?4 THEN ?6 "
		"ELSE f.failures + ?6 END, "
		"pending = CASE WHEN f.start <= ?4 OR f.pending <= 0 THEN 0 "
		"ELSE f.pending - 1 END",
		"ttiiii", kind, name, now, over, (int64_t)reset, (int64_t)add);
}

enum err_code store_login_end(struct store *st, const char *user,
			      const char *addr, int ok, int64_t now,
			      int64_t window, struct err *e)
{
	enum err_code rc;
	struct conn *c;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin_rows(c, e)) != E_OK) {
		conn_put(c);
		return rc;
	}
	rc = login_end_one(c, "user", user, ok, !ok, now, now - window, e);
	if (rc == E_OK)
		rc = login_end_one(c, "addr", addr, 0, !ok, now, now - window,
				   e);
	return login_done(c, rc, e);
}
