/* db.h: the database driver under the store.
 *
 * The store's logic (records, revisions, versions, the conflict rule, soft
 * delete, lists, search) is written once, against this small interface:
 * open, prepare, bind, step, read columns, run a script, errors, the count
 * of changed rows and the last inserted id. Two drivers implement it:
 * db_sqlite.c (SQLite, the embedded default) and db_pg.c (PostgreSQL
 * through libpq). See docs/architecture.md, "The store and its drivers".
 *
 * The interface follows SQLite's statement model, because the store was
 * written against it: a statement is prepared once, bound, stepped row by
 * row (DB_ROW ... DB_DONE), reset and bound again. SQL is written with
 * SQLite's numbered parameters (?1, ?2, ...); the PostgreSQL driver turns
 * them into $1, $2. Where the dialects differ, the store asks db_kind().
 *
 * A connection is used by one thread at a time (the store's pool hands it
 * out for one call). */
#ifndef DEBRIEF_DB_H
#define DEBRIEF_DB_H

#include <stdint.h>

/* Result codes: the values are SQLite's, so that the SQLite driver passes
 * them through; the PostgreSQL driver maps SQLSTATEs onto them. An error
 * code's low byte is its class (DB_CONSTRAINT for every constraint). */
enum {
	DB_OK = 0,
	DB_ERROR = 1,
	DB_BUSY = 5,
	DB_NOMEM = 7,
	DB_CONSTRAINT = 19,
	DB_ROW = 100,
	DB_DONE = 101,
	/* not SQLite's: the database went away (PostgreSQL: the connection
	 * broke, the server shuts down or is a read-only standby); the
	 * connection is then no longer usable (db_usable) */
	DB_UNAVAILABLE = 200,
	DB_CONSTRAINT_CHECK = DB_CONSTRAINT | (1 << 8),
	DB_CONSTRAINT_FOREIGNKEY = DB_CONSTRAINT | (3 << 8),
	DB_CONSTRAINT_NOTNULL = DB_CONSTRAINT | (5 << 8),
	DB_CONSTRAINT_PRIMARYKEY = DB_CONSTRAINT | (6 << 8),
	DB_CONSTRAINT_UNIQUE = DB_CONSTRAINT | (8 << 8),
};

/* Column types (db_column_type). */
enum { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* A bound text's or blob's lifetime: DB_STATIC, the caller keeps it valid
 * until the statement is reset or bound again; DB_TRANSIENT, the driver
 * copies it now; or a function the driver calls to free it when done. */
typedef void (*db_destructor)(void *);
#define DB_STATIC    ((db_destructor)0)
#define DB_TRANSIENT ((db_destructor)-1)

enum db_kind { DB_SQLITE, DB_POSTGRES };

struct db;
struct db_stmt;

struct db_ops {
	int (*prepare)(struct db *d, const char *sql, struct db_stmt **out);
	void (*finalize)(struct db_stmt *s);
	int (*bind_int64)(struct db_stmt *s, int i, int64_t v);
	int (*bind_double)(struct db_stmt *s, int i, double v);
	int (*bind_text)(struct db_stmt *s, int i, const char *v, int n,
			 db_destructor free_fn);
	int (*bind_blob)(struct db_stmt *s, int i, const void *v, int n,
			 db_destructor free_fn);
	int (*bind_null)(struct db_stmt *s, int i);
	int (*bind_parameter_count)(struct db_stmt *s);
	int (*step)(struct db_stmt *s);
	void (*reset)(struct db_stmt *s);
	void (*clear_bindings)(struct db_stmt *s);
	int (*column_count)(struct db_stmt *s);
	const char *(*column_name)(struct db_stmt *s, int i);
	int (*column_type)(struct db_stmt *s, int i);
	int64_t (*column_int64)(struct db_stmt *s, int i);
	double (*column_double)(struct db_stmt *s, int i);
	const char *(*column_text)(struct db_stmt *s, int i);
	const void *(*column_blob)(struct db_stmt *s, int i);
	int (*column_bytes)(struct db_stmt *s, int i);
	int (*exec)(struct db *d, const char *sql);
	const char *(*errmsg)(struct db *d);
	int (*errcode)(struct db *d);
	int64_t (*changes)(struct db *d);
	int64_t (*last_insert_id)(struct db *d);
	int (*in_transaction)(struct db *d);
	int (*usable)(struct db *d);
	void (*close)(struct db *d);
	/* optional (NULL: nothing to gain) */
	int (*run_together)(struct db_stmt **ss, int n);
};

/* The head of every driver's connection and statement. */
struct db {
	const struct db_ops *ops;
	enum db_kind kind;
	/* statements prepared on this connection: db_prepare's and the
	 * driver's own (SQLite: fts_terms' seeks); not those SQLite
	 * prepares inside itself (FTS5's). Atomic: a test reads it while
	 * the connection may be in use (store_statements_prepared). */
	long prepares;
};

struct db_stmt {
	struct db *db;
};

/* db_open connects to url: "sqlite:PATH", "sqlite://PATH", a plain path,
 * or "postgres://..." / "postgresql://..." (libpq's URI; empty parts come
 * from the PG* environment variables). readonly opens a SQLite file
 * without creating it. On failure *out is NULL and msg (size n) says why. */
int db_open(const char *url, int readonly, struct db **out, char *msg,
	    unsigned n);
/* db_sqlite_file is the file name in a SQLite URL (url without its
 * "sqlite:" or "sqlite://"). */
const char *db_sqlite_file(const char *url);
/* db_url_is_postgres tells whether url names a PostgreSQL database. */
int db_url_is_postgres(const char *url);
/* db_pg_tool_conninfo writes into out (size n) the PostgreSQL url as a
 * libpq connection string for PostgreSQL's own tools (pg_dump,
 * pg_restore): without debrief's pool_mode parameter, which they do not
 * know, and without the password, which goes into password (size pn;
 * empty when none) for the tools' PGPASSWORD, since a command line is
 * readable by every user of the machine. 0, or -1 with a message in msg
 * (size mn) that does not repeat the URL. */
int db_pg_tool_conninfo(const char *url, char *out, size_t n, char *password,
			size_t pn, char *msg, unsigned mn);

static inline enum db_kind db_kind(const struct db *d) { return d->kind; }
static inline struct db *db_handle(struct db_stmt *s) { return s->db; }

static inline int db_prepare(struct db *d, const char *sql,
			     struct db_stmt **out)
{
	__atomic_add_fetch(&d->prepares, 1, __ATOMIC_RELAXED);
	return d->ops->prepare(d, sql, out);
}
static inline void db_finalize(struct db_stmt *s)
{
	if (s)
		s->db->ops->finalize(s);
}
static inline int db_bind_int64(struct db_stmt *s, int i, int64_t v)
{
	return s->db->ops->bind_int64(s, i, v);
}
static inline int db_bind_int(struct db_stmt *s, int i, int v)
{
	return s->db->ops->bind_int64(s, i, v);
}
static inline int db_bind_double(struct db_stmt *s, int i, double v)
{
	return s->db->ops->bind_double(s, i, v);
}
static inline int db_bind_text(struct db_stmt *s, int i, const char *v, int n,
			       db_destructor free_fn)
{
	return s->db->ops->bind_text(s, i, v, n, free_fn);
}
static inline int db_bind_blob(struct db_stmt *s, int i, const void *v, int n,
			       db_destructor free_fn)
{
	return s->db->ops->bind_blob(s, i, v, n, free_fn);
}
static inline int db_bind_null(struct db_stmt *s, int i)
{
	return s->db->ops->bind_null(s, i);
}
static inline int db_bind_parameter_count(struct db_stmt *s)
{
	return s->db->ops->bind_parameter_count(s);
}
static inline int db_step(struct db_stmt *s) { return s->db->ops->step(s); }
static inline void db_reset(struct db_stmt *s) { s->db->ops->reset(s); }
static inline void db_clear_bindings(struct db_stmt *s)
{
	s->db->ops->clear_bindings(s);
}
static inline int db_column_count(struct db_stmt *s)
{
	return s->db->ops->column_count(s);
}
/* db_column_name is the name of result column i (as the SELECT names
 * it), NULL when there is no such column; valid until finalize. */
static inline const char *db_column_name(struct db_stmt *s, int i)
{
	return s->db->ops->column_name(s, i);
}
static inline int db_column_type(struct db_stmt *s, int i)
{
	return s->db->ops->column_type(s, i);
}
static inline int64_t db_column_int64(struct db_stmt *s, int i)
{
	return s->db->ops->column_int64(s, i);
}
static inline int db_column_int(struct db_stmt *s, int i)
{
	return (int)s->db->ops->column_int64(s, i);
}
static inline double db_column_double(struct db_stmt *s, int i)
{
	return s->db->ops->column_double(s, i);
}
/* db_column_text is NULL for a NULL value; valid until the next step,
 * reset or finalize. */
static inline const char *db_column_text(struct db_stmt *s, int i)
{
	return s->db->ops->column_text(s, i);
}
static inline const void *db_column_blob(struct db_stmt *s, int i)
{
	return s->db->ops->column_blob(s, i);
}
static inline int db_column_bytes(struct db_stmt *s, int i)
{
	return s->db->ops->column_bytes(s, i);
}
/* db_exec runs a script of statements without parameters or rows. */
static inline int db_exec(struct db *d, const char *sql)
{
	return d->ops->exec(d, sql);
}
static inline const char *db_errmsg(struct db *d) { return d->ops->errmsg(d); }
/* db_errcode is the last error's code (a DB_CONSTRAINT_* for a
 * constraint), DB_NOMEM when memory ran out. */
static inline int db_errcode(struct db *d) { return d->ops->errcode(d); }
static inline int64_t db_changes(struct db *d) { return d->ops->changes(d); }
/* db_last_insert_id is the id the last INSERT on this connection gave its
 * row (an INTEGER PRIMARY KEY / identity column). */
static inline int64_t db_last_insert_id(struct db *d)
{
	return d->ops->last_insert_id(d);
}
static inline int db_in_transaction(struct db *d)
{
	return d->ops->in_transaction(d);
}
/* db_usable tells whether the connection can still be used: 0 once the
 * database went away under it (a broken socket, a server that shut down
 * or terminated it, a failover that left it on a standby). The store's
 * pool then closes it and opens another on next use. Cheap: no round
 * trip. */
static inline int db_usable(struct db *d) { return d->ops->usable(d); }
/* db_run_together runs n bound statements of one connection at once, so
 * that their rows are there when each is stepped: on PostgreSQL in one
 * round trip (a pipeline) instead of one each; on SQLite it does nothing
 * (a step costs no round trip). It changes nothing the store sees: each
 * statement is then stepped, reset and reported as before, and when the
 * batch fails it is not run, so that stepping each runs it again and
 * reports its own error. */
static inline void db_run_together(struct db_stmt **ss, int n)
{
	if (n > 1 && ss[0]->db->ops->run_together)
		(void)ss[0]->db->ops->run_together(ss, n);
}
static inline void db_close(struct db *d)
{
	if (d)
		d->ops->close(d);
}

#endif
