/* db_sqlite.c: the SQLite driver of db.h, a thin layer over sqlite3's own
 * statement interface (the store was written against it). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_driver.h"

#define BUSY_TIMEOUT_MS 5000
/* see sqlite_setup */
#define STMT_JOURNAL_CHUNK (4 * 1024 * 1024)

struct sdb {
	struct db base;
	sqlite3 *h;
	struct terms_fn *terms; /* fts_terms' statements */
};

struct sstmt {
	struct db_stmt base;
	sqlite3_stmt *h;
};

#define H(d) (((struct sdb *)(d))->h)
#define S(s) (((struct sstmt *)(s))->h)

static int s_prepare(struct db *d, const char *sql, struct db_stmt **out)
{
	struct sstmt *s = malloc(sizeof *s);
	int rc;

	*out = NULL;
	if (!s)
		return DB_NOMEM;
	rc = sqlite3_prepare_v3(H(d), sql, -1, SQLITE_PREPARE_PERSISTENT, &s->h,
				NULL);
	if (rc != SQLITE_OK) {
		free(s);
		return rc;
	}
	if (!s->h) { /* only a comment or white space */
		free(s);
		return DB_ERROR;
	}
	s->base.db = d;
	*out = &s->base;
	return DB_OK;
}

static void s_finalize(struct db_stmt *s)
{
	sqlite3_finalize(S(s));
	free(s);
}

static int s_bind_int64(struct db_stmt *s, int i, int64_t v)
{
	return sqlite3_bind_int64(S(s), i, v);
}

static int s_bind_double(struct db_stmt *s, int i, double v)
{
	return sqlite3_bind_double(S(s), i, v);
}

static int s_bind_text(struct db_stmt *s, int i, const char *v, int n,
		       db_destructor f)
{
	return sqlite3_bind_text(S(s), i, v, n,
				 f == DB_TRANSIENT ? SQLITE_TRANSIENT
				 : f == DB_STATIC  ? SQLITE_STATIC
						   : f);
}

static int s_bind_blob(struct db_stmt *s, int i, const void *v, int n,
		       db_destructor f)
{
	return sqlite3_bind_blob(S(s), i, v, n,
				 f == DB_TRANSIENT ? SQLITE_TRANSIENT
				 : f == DB_STATIC  ? SQLITE_STATIC
						   : f);
}

static int s_bind_null(struct db_stmt *s, int i)
{
	return sqlite3_bind_null(S(s), i);
}

static int s_bind_parameter_count(struct db_stmt *s)
{
	return sqlite3_bind_parameter_count(S(s));
}

static int s_step(struct db_stmt *s) { return sqlite3_step(S(s)); }
static void s_reset(struct db_stmt *s) { sqlite3_reset(S(s)); }
static void s_clear_bindings(struct db_stmt *s)
{
	sqlite3_clear_bindings(S(s));
}
static int s_column_count(struct db_stmt *s)
{
	return sqlite3_column_count(S(s));
}
static const char *s_column_name(struct db_stmt *s, int i)
{
	return sqlite3_column_name(S(s), i);
}
static int s_column_type(struct db_stmt *s, int i)
{
	return sqlite3_column_type(S(s), i);
}
static int64_t s_column_int64(struct db_stmt *s, int i)
{
	return sqlite3_column_int64(S(s), i);
}
static double s_column_double(struct db_stmt *s, int i)
{
	return sqlite3_column_double(S(s), i);
}
static const char *s_column_text(struct db_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(S(s), i);
}
static const void *s_column_blob(struct db_stmt *s, int i)
{
	return sqlite3_column_blob(S(s), i);
}
static int s_column_bytes(struct db_stmt *s, int i)
{
	return sqlite3_column_bytes(S(s), i);
}
static int s_exec(struct db *d, const char *sql)
{
	return sqlite3_exec(H(d), sql, NULL, NULL, NULL);
}
static const char *s_errmsg(struct db *d) { return sqlite3_errmsg(H(d)); }
static int s_errcode(struct db *d) { return sqlite3_extended_errcode(H(d)); }
static int64_t s_changes(struct db *d) { return sqlite3_changes(H(d)); }
static int64_t s_last_insert_id(struct db *d)
{
	return sqlite3_last_insert_rowid(H(d));
}
static int s_in_transaction(struct db *d)
{
	return !sqlite3_get_autocommit(H(d));
}

/* a file does not go away under an open connection */
static int s_usable(struct db *d)
{
	(void)d;
	return 1;
}
static void s_close(struct db *d)
{
	db_sqlite_terms_close(((struct sdb *)d)->terms);
	sqlite3_close(H(d));
	free(d);
}

static const struct db_ops sqlite_ops = {
	.prepare = s_prepare,
	.finalize = s_finalize,
	.bind_int64 = s_bind_int64,
	.bind_double = s_bind_double,
	.bind_text = s_bind_text,
	.bind_blob = s_bind_blob,
	.bind_null = s_bind_null,
	.bind_parameter_count = s_bind_parameter_count,
	.step = s_step,
	.reset = s_reset,
	.clear_bindings = s_clear_bindings,
	.column_count = s_column_count,
	.column_name = s_column_name,
	.column_type = s_column_type,
	.column_int64 = s_column_int64,
	.column_double = s_column_double,
	.column_text = s_column_text,
	.column_blob = s_column_blob,
	.column_bytes = s_column_bytes,
	.exec = s_exec,
	.errmsg = s_errmsg,
	.errcode = s_errcode,
	.changes = s_changes,
	.last_insert_id = s_last_insert_id,
	.in_transaction = s_in_transaction,
	.usable = s_usable,
	.close = s_close,
};

/* A statement journal that outgrows STMT_JOURNAL_CHUNK in memory is
 * written to its file one chunk per call, and SQLite's unix layer writes
 * at most 128 KB a call (it masks the length: a 4 MB chunk became a short
 * write, then SQLITE_FULL, "database or disk is full", and the import
 * failed). A temporary table's rollback journal spills the same way. So
 * those journals are opened through this small VFS over the default one,
 * which cuts their writes into pieces; every other file is the default
 * VFS's own, untouched. */
#define SPLIT_WRITE (64 * 1024)

struct split_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, just after this */
};

static sqlite3_vfs split_vfs, *real_vfs;

#define REAL(f) (((struct split_file *)(f))->real)

static int split_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int split_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int split_write(sqlite3_file *f, const void *buf, int n,
		       sqlite3_int64 off)
{
	const char *p = buf;
	int rc = SQLITE_OK;

	while (n > 0 && rc == SQLITE_OK) {
		int k = n < SPLIT_WRITE ? n : SPLIT_WRITE;

		rc = REAL(f)->pMethods->xWrite(REAL(f), p, k, off);
		p += k;
		off += k;
		n -= k;
	}
	return rc;
}

static int split_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int split_sync(sqlite3_file *f, int flags)
{
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int split_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int split_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int split_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int split_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int split_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int split_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int split_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static const sqlite3_io_methods split_io = {
	1, /* no shared memory or mapping: a journal has neither */
	split_close,  split_read,   split_write,    split_truncate,
	split_sync,   split_size,   split_lock,     split_unlock,
	split_reserved, split_control, split_sector, split_device,
	NULL,         NULL,         NULL,           NULL,
	NULL,         NULL,
};

static int split_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
		      int flags, int *out_flags)
{
	struct split_file *s = (struct split_file *)f;
	int rc;

	(void)vfs;
	if (!(flags & (SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TEMP_JOURNAL)))
		return real_vfs->xOpen(real_vfs, name, f, flags, out_flags);
	s->real = (sqlite3_file *)(s + 1);
	s->base.pMethods = NULL;
	rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
	if (s->real->pMethods)
		s->base.pMethods = &split_io;
	return rc;
}

/* SQLite counts the memory it holds (for sqlite3_memory_used and heap
 * limits, which debrief uses neither of) under a process-wide mutex taken
 * at every allocation: 7% of an import's instructions. And a statement
 * journal of a connection with temp_store = FILE (store_import's) is
 * kept in memory in chunks of STMT_JOURNAL_CHUNK up to that size (a file
 * past it, through split_vfs), where temp_store = MEMORY (every other
 * connection) takes 1 KB chunks. Set before SQLite's first use
 * (sqlite3_config refuses after; nothing lost). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_CHUNK);
	if ((real_vfs = sqlite3_vfs_find(NULL))) {
		split_vfs = *real_vfs;
		split_vfs.zName = "debrief-split";
		split_vfs.szOsFile =
			(int)sizeof(struct split_file) + real_vfs->szOsFile;
		split_vfs.xOpen = split_open;
		split_vfs.pNext = NULL;
		sqlite3_vfs_register(&split_vfs, 1);
	}
}

/* Every connection gets: WAL, synchronous=FULL (an acknowledged write
 * survives a crash), foreign keys, and a busy timeout so that writers
 * queue instead of failing. Each connection has a page cache of its own,
 * and a server has one connection per handler that ran at once (8 worker
 * threads and more): 4 MB each (16 MB took the server from 60 to 130 MB
 * on random review pages at 10,000 reviews, with no more requests per
 * second); the rest of the file stays in the system's cache. A new
 * database gets 8 KB pages: a review's row (2-3 KB of markdown) left most
 * of a 4 KB page empty, and the reviews table took 41 MB at 10,000
 * generated reviews instead of 27 (an existing database keeps its page
 * size until a VACUUM). */
int db_sqlite_open(const char *path, int readonly, struct db **out, char *msg,
		   unsigned n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	static const char *const pragmas = "PRAGMA page_size = 8192;"
					   "PRAGMA journal_mode = WAL;"
					   "PRAGMA synchronous = FULL;"
					   "PRAGMA foreign_keys = ON;"
					   "PRAGMA temp_store = MEMORY;"
					   "PRAGMA cache_size = -4000;";
	struct sdb *d = calloc(1, sizeof *d);
	int rc;

	*out = NULL;
	if (!d) {
		snprintf(msg, n, "out of memory");
		return DB_NOMEM;
	}
	pthread_once(&once, sqlite_setup);
	d->base.ops = &sqlite_ops;
	d->base.kind = DB_SQLITE;
	rc = sqlite3_open_v2(path, &d->h,
			     readonly ? SQLITE_OPEN_READONLY
				      : SQLITE_OPEN_READWRITE |
						SQLITE_OPEN_CREATE |
						SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		snprintf(msg, n, "cannot open database %s: %s", path,
			 d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_timeout(d->h, BUSY_TIMEOUT_MS);
	if ((rc = db_sqlite_rank_register(d->h)) != SQLITE_OK) {
		snprintf(msg, n, "cannot open database %s: the search's rank: %s",
			 path, sqlite3_errstr(rc));
		goto fail;
	}
	if ((rc = db_sqlite_mark_register(d->h)) != SQLITE_OK) {
		snprintf(msg, n, "cannot open database %s: the search's marks: %s",
			 path, sqlite3_errstr(rc));
		goto fail;
	}
	if (!readonly &&
	    (rc = sqlite3_exec(d->h, pragmas, NULL, NULL, NULL)) != SQLITE_OK) {
		snprintf(msg, n, "cannot open database %s: %s", path,
			 sqlite3_errmsg(d->h));
		goto fail;
	}
	if ((rc = db_sqlite_terms_register(d->h, &d->base.prepares,
					   &d->terms)) != SQLITE_OK) {
		snprintf(msg, n, "cannot open database %s: the search's terms: %s",
			 path, sqlite3_errmsg(d->h));
		goto fail;
	}
	*out = &d->base;
	return DB_OK;
fail:
	sqlite3_close(d->h);
	free(d);
	return rc ? rc : DB_ERROR;
}
