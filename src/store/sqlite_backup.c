/* sqlite_backup.c: whole-database copies with SQLite's online backup API.
 * A backup reads the live database in one read transaction (WAL: writers
 * go on meanwhile) and so holds one consistent moment; a restore copies a
 * checked backup over a database that nobody has open. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/sqlite_internal.h"

#include "migrations.h"

/* url_file: "sqlite:PATH", "sqlite://PATH" or a plain path (as store_open
 * reads it). */
static const char *url_file(const char *url, struct err *e)
{
	if (!url || !*url) {
		err_set(e, E_STORE, NULL, "no database file given");
		return NULL;
	}
	if (!strncmp(url, "postgres://", 11) ||
	    !strncmp(url, "postgresql://", 13)) {
		err_set(e, E_STORE, NULL,
			"backup and restore work on SQLite files; use "
			"pg_dump for PostgreSQL");
		return NULL;
	}
	if (!strncmp(url, "sqlite://", 9))
		url += 9;
	else if (!strncmp(url, "sqlite:", 7))
		url += 7;
	if (!*url || !strcmp(url, ":memory:")) {
		err_set(e, E_STORE, NULL, "no database file given");
		return NULL;
	}
	return url;
}

static int newest_migration(void)
{
	int newest = 0;

	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++)
		if (migrations[i].version > newest)
			newest = migrations[i].version;
	return newest;
}

/* check_debrief tells whether db (named path in messages) is a whole,
 * debrief database this program can read: an SQLite file that passes
 * quick_check, with the migrations table and the reviews table, of a
 * schema no newer than ours. E_INVALID with a message naming path. */
static enum err_code check_debrief(sqlite3 *db, const char *path,
				   struct err *e)
{
	sqlite3_stmt *s = NULL;
	enum err_code rc = E_OK;
	int version;

	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM sqlite_master "
			       "WHERE type = 'table' AND name IN "
			       "('schema_migrations', 'reviews'))",
			       -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		rc = err_set(e, E_INVALID, NULL,
			     "%s: not a debrief database (%s)", path,
			     sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_column_int(s, 0) != 2) {
		rc = err_set(e, E_INVALID, NULL,
			     "%s: an SQLite file but not a debrief database "
			     "(no reviews or schema_migrations table)",
			     path);
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(max(version), 0) FROM "
			       "schema_migrations",
			       -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		rc = err_set(e, E_INVALID, NULL, "%s: %s", path,
			     sqlite3_errmsg(db));
		goto out;
	}
	version = sqlite3_column_int(s, 0);
	if (version > newest_migration()) {
		rc = err_set(e, E_INVALID, NULL,
			     "%s: database schema %d is newer than this "
			     "program knows (%d); use a newer debrief",
			     path, version, newest_migration());
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
		rc = err_set(e, E_INVALID, NULL,
			     "%s: the database is damaged (quick_check: %s)",
			     path,
			     s && sqlite3_column_text(s, 0)
				     ? (const char *)sqlite3_column_text(s, 0)
				     : sqlite3_errmsg(db));
out:
	sqlite3_finalize(s);
	return rc;
}

static enum err_code open_db(const char *path, int flags, sqlite3 **db,
			     struct err *e)
{
	int rc = sqlite3_open_v2(path, db, flags, NULL);

	if (rc != SQLITE_OK) {
		err_set(e, E_IO, NULL, "%s: cannot open: %s", path,
			*db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
		sqlite3_close(*db);
		*db = NULL;
		return E_IO;
	}
	sqlite3_extended_result_codes(*db, 1);
	return E_OK;
}

/* copy_all copies every page of src's main database into dst in one step,
 * so that the copy is one read transaction of src: one moment. */
static enum err_code copy_all(sqlite3 *dst, sqlite3 *src, const char *what,
			      struct err *e)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (!b)
		return err_set(e, E_STORE, NULL, "%s: %s", what,
			       sqlite3_errmsg(dst));
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return err_set(e, E_STORE, NULL, "%s: %s", what,
			       sqlite3_errstr(rc));
	return E_OK;
}

enum err_code store_backup_file(const char *url, const char *dest,
				struct err *e)
{
	sqlite3 *src = NULL, *dst = NULL;
	char tmp[4096];
	const char *path;
	struct stat sb;
	enum err_code rc;

	ERR_LOCAL(e);
	if (!(path = url_file(url, e)))
		return e->code;
	if (stat(path, &sb) != 0)
		return err_set(e, E_IO, NULL, "%s: %s", path, strerror(errno));
	if (!dest || !*dest)
		return err_set(e, E_INVALID, NULL, "no backup file given");
	if (stat(dest, &sb) == 0)
		return err_set(e, E_INVALID, NULL,
			       "%s already exists; a backup never overwrites "
			       "a file (remove it or give another name)",
			       dest);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", dest) >=
	    sizeof tmp)
		return err_set(e, E_INVALID, NULL, "%s: name too long", dest);
	unlink(tmp);
	if ((rc = open_db(path, SQLITE_OPEN_READONLY, &src, e)) != E_OK)
		goto out;
	sqlite3_busy_timeout(src, 5000);
	if ((rc = check_debrief(src, path, e)) != E_OK)
		goto out;
	if ((rc = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			  &dst, e)) != E_OK)
		goto out;
	if ((rc = copy_all(dst, src, "backup", e)) != E_OK)
		goto out;
	/* the copy stands alone: no WAL beside it */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
			 NULL) != SQLITE_OK) {
		rc = err_set(e, E_STORE, NULL, "backup: %s",
			     sqlite3_errmsg(dst));
		goto out;
	}
	if ((rc = check_debrief(dst, tmp, e)) != E_OK)
		goto out;
	if (sqlite3_close(dst) != SQLITE_OK) {
		rc = err_set(e, E_IO, NULL, "%s: cannot close", tmp);
		goto out;
	}
	dst = NULL;
	if (rename(tmp, dest) != 0)
		rc = err_set(e, E_IO, NULL, "%s: %s", dest, strerror(errno));
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	if (rc != E_OK)
		unlink(tmp);
	return rc;
}

enum err_code store_restore_file(const char *src_path, const char *url,
				 struct err *e)
{
	sqlite3 *src = NULL, *dst = NULL;
	const char *path;
	enum err_code rc;
	int lock;

	ERR_LOCAL(e);
	if (!(path = url_file(url, e)))
		return e->code;
	if (!src_path || !*src_path)
		return err_set(e, E_INVALID, NULL, "no backup file given");
	if (access(src_path, R_OK) != 0)
		return err_set(e, E_IO, NULL, "%s: %s", src_path,
			       strerror(errno));
	if ((rc = open_db(src_path, SQLITE_OPEN_READONLY, &src, e)) != E_OK)
		goto out;
	if ((rc = check_debrief(src, src_path, e)) != E_OK)
		goto out;
	if ((rc = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			  &dst, e)) != E_OK)
		goto out;
	/* Take the database for ourselves and keep it: in WAL mode every
	 * open connection (a running server) holds a shared lock on the
	 * file, so an exclusive lock fails at once while one is open. */
	lock = sqlite3_exec(dst,
			    "PRAGMA locking_mode = EXCLUSIVE; "
			    "BEGIN EXCLUSIVE; COMMIT;",
			    NULL, NULL, NULL);
	if (lock != SQLITE_OK) {
		rc = err_set(e, E_CONFLICT, NULL,
			     "%s is in use (is debrief serve running on it?); "
			     "stop it and restore again: %s",
			     path, sqlite3_errmsg(dst));
		goto out;
	}
	if ((rc = copy_all(dst, src, "restore", e)) != E_OK)
		goto out;
	if ((rc = check_debrief(dst, path, e)) != E_OK)
		goto out;
	if (sqlite3_exec(dst, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) !=
	    SQLITE_OK)
		rc = err_set(e, E_STORE, NULL, "restore: %s",
			     sqlite3_errmsg(dst));
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	return rc;
}
