/* sqldump.h: reading the tables out of a mysqldump / mariadb-dump file:
 * the column names of each CREATE TABLE and the rows of each INSERT, with
 * MySQL's string escapes. Everything else (SET, LOCK, views, comments) is
 * skipped. No I/O: the caller hands in the text. */
#ifndef DEBRIEF_SQLDUMP_H
#define DEBRIEF_SQLDUMP_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

#define SQLDUMP_MAX_COLS 64

/* One value of a row: NULL, or text (numbers as written, strings
 * unescaped, 0x... hex as its bytes); len counts the bytes. */
struct sql_value {
	const char *s; /* NULL: SQL NULL */
	size_t len;
};

struct sql_table {
	char name[64];
	const char *cols[SQLDUMP_MAX_COLS];
	size_t ncols;		 /* from CREATE TABLE; 0 when not seen */
	struct sql_row *rows;	 /* in the order of the dump */
	size_t nrows, caprows;
	struct sql_table *next;
};

struct sql_row {
	struct sql_value *v;
	size_t n;
	int line; /* where the row starts */
};

struct sql_dump {
	struct sql_table *tables; /* in the order first seen */
	int statements;		  /* statements read */
};

/* sqldump_parse reads text (len bytes, named name in messages) into out,
 * memory from a. A row given with a column list is stored in the
 * CREATE TABLE's column order. Errors (E_BAD_REQUEST, "name:line: ..."):
 * not UTF-8, an unterminated string or statement (a truncated dump), a
 * row with the wrong number of values, a malformed INSERT. */
enum err_code sqldump_parse(struct arena *a, const char *name,
			    const char *text, size_t len, struct sql_dump *out,
			    struct err *e);

/* sqldump_table finds a table by name, NULL when the dump has none. */
struct sql_table *sqldump_table(struct sql_dump *d, const char *name);

/* sqldump_col gives the index of column name in t, -1 when none. */
int sqldump_col(const struct sql_table *t, const char *name);

#endif
