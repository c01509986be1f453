/* store_copy.c: `debrief copy`: every table of one database into another,
 * empty one, through the driver (db.h), so that any direction works:
 * SQLite to PostgreSQL, back, and SQLite to SQLite. Rows keep their ids;
 * what the database derives from them (the search index, the counts the
 * triggers keep, stored renders) is rebuilt or left to be rebuilt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/sqlite_internal.h"
#include "util/arena.h"

/* The tables copied, parents before children (the foreign keys: users
 * before their sessions and tokens, reviews before what belongs to them,
 * follow-ups before their tickets). */
static const char *const copied[] = {
	"users", "sessions", "api_tokens", "feed_tokens", "audit",
	"settings", "glossary_terms", "facilitators", "reviews",
	"timeline_entries", "followups", "factors", "people", "questions",
	"readiness", "contingencies", "departures", "links", "tags",
	"comments", "meetings", "lint_allows", "transcript_sources",
	"transcript_messages",
	"tickets", "import_sources", "inbound_links", "review_reads",
	"drafts", "revisions",
};

/* The tables not copied: rebuilt from the copied rows (review_fts,
 * review_search_lines, transcript_fts), kept by triggers as the rows go
 * in (review_counts, tag_counts, generation, the trend_*, learning_reads_*
 * and linger counts),
 * written again when a page is next rendered (review_renders,
 * review_related), or the login limit's
 * current windows (login_failures), which start again empty. The schema's
 * own (schema_migrations, SQLite's sqlite_* and FTS5's shadow tables) are
 * the target's already. */
static const char *const derived[] = {
	"review_fts",		"transcript_fts",      "review_counts",
	"tag_counts",		"generation",	       "review_renders",
	"trend_reviews",	"trend_services",      "trend_followups",
	"trend_open_followups", "review_related",      "login_failures",
	"learning_reads_month", "learning_reads_team", "linger_counts",
	"review_search_lines",
};

#define NCOPIED	 (sizeof copied / sizeof copied[0])
#define NDERIVED (sizeof derived / sizeof derived[0])

int store_copy_table_role(const char *table)
{
	for (size_t i = 0; i < NCOPIED; i++)
		if (!strcmp(copied[i], table))
			return STORE_COPY_COPIED;
	for (size_t i = 0; i < NDERIVED; i++)
		if (!strcmp(derived[i], table))
			return STORE_COPY_DERIVED;
	return 0;
}

/* count_rows reads "SELECT count(*) FROM table" on db into *n; -1 when
 * the statement fails (no such table). */
static int count_rows(struct db *db, const char *table, int64_t *n)
{
	struct db_stmt *s;
	char sql[128];
	int ok;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	if (db_prepare(db, sql, &s) != DB_OK)
		return -1;
	ok = db_step(s) == DB_ROW;
	if (ok)
		*n = db_column_int64(s, 0);
	db_finalize(s);
	return ok ? 0 : -1;
}

/* open_source opens from read-only and checks it is a debrief database
 * at this program's newest schema (its columns are then the target's). */
static enum err_code open_source(const char *from, struct db **out,
				 struct err *e)
{
	char msg[512];
	int64_t version = 0;
	struct db_stmt *s;

	*out = NULL;
	if (!db_url_is_postgres(from) &&
	    access(db_sqlite_file(from), F_OK) != 0)
		return err_set(e, E_NOT_FOUND, "from",
			       "%s: there is no database there", from);
	if (db_open(from, 1, out, msg, sizeof msg) != DB_OK)
		return err_set(e, E_STORE, "from", "%s: %s", from, msg);
	if (db_prepare(*out, "SELECT coalesce(max(version), 0) FROM "
			     "schema_migrations",
		       &s) != DB_OK) {
		db_close(*out);
		*out = NULL;
		return err_set(e, E_INVALID, "from",
			       "%s is not a debrief database (it has no "
			       "schema_migrations table)",
			       from);
	}
	if (db_step(s) == DB_ROW)
		version = db_column_int64(s, 0);
	db_finalize(s);
	if (version != store_schema_newest()) {
		db_close(*out);
		*out = NULL;
		return err_set(e, E_INVALID, "from",
			       "%s is at schema %lld and this program's is %d: "
			       "%s",
			       from, (long long)version, store_schema_newest(),
			       version < store_schema_newest()
				       ? "run `debrief migrate --db FROM` first"
				       : "use a newer debrief");
	}
	return E_OK;
}

/* target_empty refuses a target that holds rows in any copied table,
 * before anything (even a migration) touches it; a SQLite file that is
 * not there yet is empty. Settings do not count: a server started once
 * on the new database wrote its secret key there, which the source's
 * settings replace (copy_all). */
static enum err_code target_empty(const char *to, struct err *e)
{
	struct db *db;
	char msg[512];
	enum err_code rc = E_OK;

	if (!db_url_is_postgres(to) && access(db_sqlite_file(to), F_OK) != 0)
		return E_OK;
	if (db_open(to, 1, &db, msg, sizeof msg) != DB_OK)
		return err_set(e, E_STORE, "to", "%s: %s", to, msg);
	/* the reviews and users named first, as people know them */
	for (size_t i = 0; i < NCOPIED + 2 && rc == E_OK; i++) {
		const char *t = i == 0 ? "reviews"
				: i == 1 ? "users"
					 : copied[i - 2];
		int64_t n = 0;

		if (strcmp(t, "settings") != 0 && count_rows(db, t, &n) == 0 &&
		    n > 0)
			rc = err_set(e, E_CONFLICT, "to",
				     "%s is not empty (%lld rows in %s): copy "
				     "writes only into an empty database; "
				     "nothing was changed",
				     to, (long long)n, t);
	}
	db_close(db);
	return rc;
}

/* Rows go in several to one INSERT (fewer round trips to PostgreSQL: a
 * row at a time, 1,000 reviews took 22 s there), up to this many
 * parameters per statement (under SQLite's old limit of 999). */
#define COPY_BATCH_PARAMS 900

/* bind_value binds column i of row s to parameter p of ins, by its type,
 * copied (the source row goes before the batch is written); a revision's
 * changes (to_changes) go through changes_bind, so that a deflated
 * SQLite value is text on PostgreSQL (and deflated again on SQLite). */
static int bind_value(struct db_stmt *ins, int p, struct db_stmt *s, int i,
		      int to_changes, struct arena *a)
{
	switch (db_column_type(s, i)) {
	case DB_NULL:
		return db_bind_null(ins, p);
	case DB_INTEGER:
		return db_bind_int64(ins, p, db_column_int64(s, i));
	case DB_FLOAT:
		return db_bind_double(ins, p, db_column_double(s, i));
	default:
		break;
	}
	if (to_changes) {
		const char *t = changes_text(a, s, i);

		return t ? changes_bind(ins, p, t) : DB_ERROR;
	}
	if (db_column_type(s, i) == DB_BLOB)
		return db_bind_blob(ins, p, db_column_blob(s, i),
				    db_column_bytes(s, i), DB_TRANSIENT);
	return db_bind_text(ins, p, db_column_text(s, i),
			    db_column_bytes(s, i), DB_TRANSIENT);
}

/* insert_prepare prepares on c "INSERT INTO table (cols) VALUES (?1,
 * ...), ..." for rows rows, with the source statement's column names. */
static enum err_code insert_prepare(struct conn *c, const char *table,
				    struct db_stmt *s, int rows,
				    struct db_stmt **out, struct err *e)
{
	struct buf b = BUF_INIT;
	int n = db_column_count(s), rc;

	buf_printf(&b, "INSERT INTO \"%s\" (", table);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s\"%s\"", i ? ", " : "", db_column_name(s, i));
	buf_puts(&b, ") VALUES ");
	for (int r = 0; r < rows; r++) {
		buf_puts(&b, r ? ", (" : "(");
		for (int i = 0; i < n; i++)
			buf_printf(&b, "%s?%d", i ? ", " : "", r * n + i + 1);
		buf_puts(&b, ")");
	}
	if (!buf_cstr(&b)) {
		buf_release(&b);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	rc = db_prepare(c->db, buf_cstr(&b), out);
	buf_release(&b);
	if (rc != DB_OK)
		return err_set(e, E_STORE, "to", "writing %s: %s", table,
			       db_errmsg(c->db));
	return E_OK;
}

/* copy_table copies every row of table from src into c's open
 * transaction, batch rows to a statement (the last batch shorter);
 * *rows gets how many. */
static enum err_code copy_table(struct db *src, struct conn *c,
				const char *table, int64_t *rows,
				struct err *e)
{
	struct db_stmt *s = NULL, *ins = NULL;
	struct arena *a = NULL;
	char sql[128];
	int changes_col = -1, rc, ncols, batch, k = 0;
	int64_t total = 0, left;
	enum err_code out = E_OK;

	*rows = 0;
	if (count_rows(src, table, &total) < 0)
		return err_set(e, E_STORE, "from", "reading %s: %s", table,
			       db_errmsg(src));
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
	if (db_prepare(src, sql, &s) != DB_OK)
		return err_set(e, E_STORE, "from", "reading %s: %s", table,
			       db_errmsg(src));
	ncols = db_column_count(s);
	batch = ncols ? COPY_BATCH_PARAMS / ncols : 1;
	if (batch < 1)
		batch = 1;
	if (!strcmp(table, "revisions"))
		for (int i = 0; i < ncols; i++)
			if (!strcmp(db_column_name(s, i), "changes"))
				changes_col = i;
	left = total;
	while ((rc = db_step(s)) == DB_ROW) {
		if (k == 0) {
			/* a new batch: the whole size, or what is left */
			int want = left < batch ? (int)left : batch;

			if (!ins || want < batch) {
				db_finalize(ins);
				ins = NULL;
				if (want < 1) {
					out = err_set(e, E_STORE, "from",
						      "%s grew while it was "
						      "read",
						      table);
					goto done;
				}
				if ((out = insert_prepare(c, table, s, want,
							  &ins, e)) != E_OK)
					goto done;
			}
		}
		if (changes_col >= 0 && !a && !(a = arena_new())) {
			out = err_set(e, E_NOMEM, NULL, "out of memory");
			goto done;
		}
		for (int i = 0; i < ncols; i++)
			if (bind_value(ins, k * ncols + i + 1, s, i,
				       i == changes_col, a) != DB_OK) {
				out = err_set(e, E_STORE, "to",
					      "%s row %lld: a value cannot be "
					      "read or bound",
					      table, (long long)*rows + 1);
				goto done;
			}
		k++;
		left--;
		++*rows;
		if (k == batch || left == 0) {
			if (db_step(ins) != DB_DONE) {
				out = err_set(e, E_STORE, "to",
					      "writing %s: %s", table,
					      db_errmsg(c->db));
				goto done;
			}
			db_reset(ins);
			db_clear_bindings(ins);
			k = 0;
			/* the changes' texts were copied by the bind */
			arena_free(a);
			a = NULL;
		}
	}
	if (rc != DB_DONE)
		out = err_set(e, E_STORE, "from", "reading %s: %s", table,
			      db_errmsg(src));
	else if (k || left)
		out = err_set(e, E_STORE, "from", "%s changed while it was read",
			      table);
done:
	arena_free(a);
	db_finalize(ins);
	db_finalize(s);
	return out;
}

/* reset_sequences (sqlite_internal.h) moves each identity's sequence
 * past the copied ids on PostgreSQL, so that the next insert does not
 * meet one of them. */
enum err_code reset_sequences(struct conn *c, struct err *e)
{
	char sql[384], probe[200];

	for (size_t i = 0; i < NCOPIED; i++) {
		/* tables keyed otherwise (settings, sessions) have no id */
		struct db_stmt *s;
		int has_id;

		snprintf(sql, sizeof sql,
			 "SELECT setval(q, m) FROM (SELECT "
			 "pg_get_serial_sequence('%s', 'id') AS q, "
			 "(SELECT max(id) FROM \"%s\") AS m) x "
			 "WHERE q IS NOT NULL AND m IS NOT NULL",
			 copied[i], copied[i]);
		snprintf(probe, sizeof probe,
			 "SELECT 1 FROM information_schema.columns WHERE "
			 "table_schema = current_schema() AND table_name = "
			 "'%s' AND column_name = 'id'",
			 copied[i]);
		if (db_prepare(c->db, probe, &s) != DB_OK)
			return db_err(c, e, "sequences");
		has_id = db_step(s) == DB_ROW;
		db_finalize(s);
		if (has_id && db_exec(c->db, sql) != DB_OK)
			return db_err(c, e, "sequences");
	}
	return E_OK;
}

/* rebuild_search fills the search tables from the copied rows, as the
 * store's writes do: each review's row (the statement of fts_reindex),
 * every message. */
static enum err_code rebuild_search(struct conn *c, struct err *e)
{
	struct db_stmt *s;
	int64_t *ids = NULL, n = 0, cap = 0;
	enum err_code rc = E_OK;

	if (db_prepare(c->db, "SELECT id FROM reviews", &s) != DB_OK)
		return db_err(c, e, "reviews");
	while (db_step(s) == DB_ROW) {
		if (n == cap) {
			int64_t *m = realloc(ids, (size_t)(cap = cap ? cap * 2
								 : 256) *
						      sizeof *ids);
			if (!m) {
				free(ids);
				db_finalize(s);
				return err_set(e, E_NOMEM, NULL,
					       "out of memory");
			}
			ids = m;
		}
		ids[n++] = db_column_int64(s, 0);
	}
	db_finalize(s);
	/* fts_reindex's insert alone: the target's index is empty */
	if (!(s = conn_stmt(c,
			    db_kind(c->db) == DB_POSTGRES
				    ? c->st->fts_pg_insert_one
				    : c->st->fts_reindex,
			    e))) {
		free(ids);
		return e->code;
	}
	for (int64_t i = 0; i < n && rc == E_OK; i++) {
		db_bind_int64(s, 1, ids[i]);
		if (db_step(s) != DB_DONE)
			rc = db_err(c, e, "search index");
		db_reset(s);
	}
	conn_done(c, s);
	/* SQLite: the lines of each review's parts (040) */
	if (rc == E_OK && db_kind(c->db) == DB_SQLITE &&
	    db_exec(c->db, c->st->lines_all) != DB_OK)
		rc = db_err(c, e, "search lines");
	free(ids);
	if (rc == E_OK &&
	    db_exec(c->db, "INSERT INTO transcript_fts (rowid, author, text) "
			   "SELECT id, author, text FROM "
			   "transcript_messages") != DB_OK)
		rc = db_err(c, e, "transcript search index");
	return rc;
}

/* check_derived compares what the target derived with the source's: the
 * counts the triggers keep and the search rows (one per review, one per
 * message). */
static enum err_code check_derived(struct db *src, struct conn *c,
				   struct err *e)
{
	static const char *const checks[][2] = {
		{"SELECT coalesce(sum(reviews), 0) * 1000003 + "
		 "coalesce(sum(open_followups), 0) FROM review_counts",
		 "review_counts"},
		{"SELECT coalesce(sum(reviews), 0) * 1000003 + "
		 "coalesce(sum(open_followups), 0) FROM tag_counts",
		 "tag_counts"},
		{"SELECT coalesce(sum(reviews), 0) FROM trend_reviews",
		 "trend_reviews"},
		{"SELECT coalesce(sum(reviews), 0) FROM trend_services",
		 "trend_services"},
		{"SELECT coalesce(sum(opened), 0) * 1000003 + "
		 "coalesce(sum(done), 0) FROM trend_followups",
		 "trend_followups"},
		{"SELECT coalesce(sum(followups), 0) FROM trend_open_followups",
		 "trend_open_followups"},
		{"SELECT coalesce(sum(reads), 0) FROM learning_reads_month",
		 "learning_reads_month"},
		{"SELECT coalesce(sum(reads), 0) FROM learning_reads_team",
		 "learning_reads_team"},
		{"SELECT coalesce(sum(followups), 0) * 1000003 + "
		 "coalesce(sum(day * followups), 0) FROM linger_counts",
		 "linger_counts"},
		{"SELECT count(*) FROM review_fts", "review_fts"},
		{"SELECT count(*) FROM transcript_fts", "transcript_fts"},
	};

	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		int64_t v[2] = {-1, -2};
		struct db *d[2] = {src, c->db};

		for (int k = 0; k < 2; k++) {
			struct db_stmt *s;

			if (db_prepare(d[k], checks[i][0], &s) != DB_OK)
				continue;
			if (db_step(s) == DB_ROW)
				v[k] = db_column_int64(s, 0);
			db_finalize(s);
		}
		if (v[0] != v[1])
			return err_set(e, E_STORE, "to",
				       "%s differs after the copy (%lld in "
				       "the source, %lld in the copy); "
				       "nothing was written",
				       checks[i][1], (long long)v[0],
				       (long long)v[1]);
	}
	return E_OK;
}

/* copy_all runs in the target's write transaction: the tables, the
 * sequences, the search, then every count checked before the commit. */
static enum err_code copy_all(struct db *src, struct conn *c,
			      struct copy_report *r, struct err *e)
{
	enum err_code rc;

	if (db_exec(c->db, "DELETE FROM settings") != DB_OK)
		return db_err(c, e, "settings");
	for (size_t i = 0; i < NCOPIED; i++) {
		struct copy_count *t = &r->tables[r->n++];

		t->table = copied[i];
		if ((rc = copy_table(src, c, copied[i], &t->from, e)) != E_OK)
			return rc;
	}
	if (db_kind(c->db) == DB_POSTGRES &&
	    (rc = reset_sequences(c, e)) != E_OK)
		return rc;
	if ((rc = rebuild_search(c, e)) != E_OK)
		return rc;
	for (int i = 0; i < r->n; i++) {
		struct copy_count *t = &r->tables[i];
		int64_t src_n = -1;

		if (count_rows(c->db, t->table, &t->to) < 0)
			return db_err(c, e, t->table);
		if (count_rows(src, t->table, &src_n) < 0 || src_n != t->from ||
		    t->to != t->from)
			return err_set(e, E_STORE, "to",
				       "%s: %lld rows read, %lld in the source, "
				       "%lld in the copy; nothing was written",
				       t->table, (long long)t->from,
				       (long long)src_n, (long long)t->to);
	}
	return check_derived(src, c, e);
}

enum err_code store_copy(const char *from, const char *to,
			 struct copy_report *r, struct err *e)
{
	struct db *src = NULL;
	struct store *st = NULL;
	struct conn *c = NULL;
	struct timespec t0, t1;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(r, 0, sizeof *r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(from, to) ||
	    (!db_url_is_postgres(from) && !db_url_is_postgres(to) &&
	     !strcmp(db_sqlite_file(from), db_sqlite_file(to))))
		return err_set(e, E_INVALID, "to",
			       "--from and --to name the same database");
	if ((rc = open_source(from, &src, e)) != E_OK ||
	    (rc = target_empty(to, e)) != E_OK ||
	    (rc = store_open(to, &st, e)) != E_OK)
		goto out;
	/* one moment of the source, while a server may write to it */
	if (db_exec(src, db_kind(src) == DB_POSTGRES
				 ? "BEGIN ISOLATION LEVEL REPEATABLE READ "
				   "READ ONLY"
				 : "BEGIN") != DB_OK) {
		rc = err_set(e, E_STORE, "from", "%s: %s", from,
			     db_errmsg(src));
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	rc = copy_all(src, c, r, e);
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	if (c)
		conn_put(c);
	store_close(st);
	db_close(src);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}
