/* db_driver.h: the drivers' own entry points, for db.c. */
#ifndef DEBRIEF_DB_DRIVER_H
#define DEBRIEF_DB_DRIVER_H

struct db;

/* db_sqlite.c: path is a file name. */
int db_sqlite_open(const char *path, int readonly, struct db **out, char *msg,
		   unsigned n);
/* db_sqlite_rank.c: puts the search's bm25 (FTS5's formula, counting a
 * common word's rows only so far: issue 21) in place of FTS5's on h. */
struct sqlite3;
int db_sqlite_rank_register(struct sqlite3 *h);
/* db_sqlite_rank.c: FTS5's API on h (an fts5_api *, version 2 or later),
 * for the functions and tokenizers the store adds; NULL when h has none. */
void *db_sqlite_fts5_api(struct sqlite3 *h);
/* db_sqlite_mark.c: fts_highlight(T, col, open, close), FTS5's
 * highlight() for the search's tables without their porter stemmer, up to
 * the column's last match (issue 21). */
int db_sqlite_mark_register(struct sqlite3 *h);
/* db_sqlite_terms.c: fts_terms(word, max), a list search's prefix word as
 * the exact terms it stands for (issue 21), and the vocabulary tables it
 * reads (temp.review_fts_terms, temp.transcript_fts_terms: made again
 * when a temp_store pragma has dropped them). It keeps its statements
 * (counted into *prepares) in *out, which SQLite frees at close;
 * db_sqlite_terms_close finalizes them, before sqlite3_close (which
 * refuses a connection with statements left). */
struct terms_fn;
int db_sqlite_terms_register(struct sqlite3 *h, long *prepares,
			     struct terms_fn **out);
void db_sqlite_terms_close(struct terms_fn *fn);
/* db_pg.c: url is a libpq connection URI. */
int db_pg_open(const char *url, struct db **out, char *msg, unsigned n);
/* db_pg.c's translation of the store's SQL (SQLite's dialect) into
 * PostgreSQL's, done at prepare time; here for its unit test. */
char *db_pg_translate(const char *sql, int *nparams, unsigned char **used);

#endif
