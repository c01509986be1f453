/* fuzz_search_query.c: libFuzzer target for what a person types into a
 * search (store_search_fts: words, "phrases", prefix*, OR, -word, NOT,
 * anything else as plain words) and for the writer of marked snippets
 * (html_marked).
 *
 * Invariants: whatever is typed, the FTS5 query made of it is valid FTS5
 * (SQLite runs it over a small table without an error: "never a 500");
 * html_marked's output passes the HTML checks and opens no more <mark>
 * than it closes. */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "web/html.h"

static sqlite3 *db;
static sqlite3_stmt *match;

static void setup(void)
{
	if (db)
		return;
	FUZZ_ASSERT(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
	FUZZ_ASSERT(sqlite3_exec(db,
				 "CREATE VIRTUAL TABLE t USING fts5(title, "
				 "body, tokenize = 'porter unicode61 "
				 "remove_diacritics 2');"
				 "INSERT INTO t VALUES ('Database failover', "
				 "'we failed over the primary by hand');"
				 "INSERT INTO t VALUES ('DNS outage', 'the "
				 "resolver cache expired: title:x NEAR(a b)');",
				 NULL, NULL, NULL) == SQLITE_OK,
		    "schema: %s", sqlite3_errmsg(db));
	FUZZ_ASSERT(sqlite3_prepare_v2(db,
				       "SELECT rowid, bm25(t, 10.0, 1.0) AS s, "
				       "highlight(t, 1, X'02', X'03') FROM t "
				       "WHERE t MATCH ?1 ORDER BY s",
				       -1, &match, NULL) == SQLITE_OK,
		    "prepare");
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	char *q = malloc(size + 1);
	const char *fts;
	int rc;

	FUZZ_ASSERT(a && q, "oom");
	setup();
	memcpy(q, data, size);
	q[size] = '\0';
	if ((fts = store_search_fts(a, q))) {
		sqlite3_bind_text(match, 1, fts, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(match)) == SQLITE_ROW)
			;
		FUZZ_ASSERT(rc == SQLITE_DONE, "%s gave %s: %s", q, fts,
			    sqlite3_errmsg(db));
		sqlite3_reset(match);
	}
	html_marked(&b, q);
	if (!b.oom) {
		const char *out = buf_cstr(&b);

		fuzz_check_html(out, b.len, q);
		FUZZ_ASSERT(count(out, "<mark>") == count(out, "</mark>"),
			    "unbalanced marks in %s", out);
	}
	buf_release(&b);
	free(q);
	arena_free(a);
	return 0;
}
