/* test_fts_mark.c: fts_highlight() (db_sqlite_mark.c) marks what FTS5's
 * highlight() marks, byte for byte, over texts and queries that reach its
 * corners (phrases, prefixes, stems, diacritics, a match at the last
 * token, overlapping phrases, several columns, empty and NULL text), and
 * every FTS5 table of the schema is tokenized as it assumes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db_driver.h"
#include "store/store.h"

/* Titles and bodies: rowid i is texts[i - 1]. */
static const char *const texts[][2] = {
	{"Deploys failed", "The deploy of api failed; deploying again worked."},
	{"DNS outage", "dns cache expired. Cache was cold, the DNS resolver "
		       "returned SERVFAIL until deploy"},
	{"Café déjà vu", "Résumé of the naïve coöperation: cafe resume deja"},
	{"", "only a body, the title is empty: deploy"},
	{NULL, "a NULL title and a deployed body"},
	{"deploy", NULL},
	{"Database failover", "failover failover failover of the database; "
			      "the database failed over to the replica"},
	{"Long words", "supercalifragilisticexpialidociousandthensomemoreletter"
		       "stomakeitlongerthansixtyfourbytes deploy "
		       "supercalifragilisticexpialidociousandthensomemoreletter"
		       "stomakeitlongerthansixtyfourbytes"},
	{"Punctuation", "deploy-pipeline, (deploy) \"deploy\" deploy's "
			"deploy...deploy\n\ndeploy\ttabs"},
	{"Emoji 🔥 and CJK 東京", "東京 outage 🔥 deploy 東京 caused by a "
				 "config push; ÅNGSTRÖM and Ωmega"},
	{"Multi line", "line one mentions cache\nline two mentions nothing\n"
		       "line three: the cache and the dns cache again"},
	{"Numbers 502", "502 errors from nginx, 50x, 5xx and 502s at 10:02"},
	{"x", "y"},
	{"The the THE", "the quick brown fox jumps over the lazy dog the end"},
};

static const char *const queries[] = {
	"deploy",
	"deploys",
	"deploying",
	"deploy*",
	"dep*",
	"\"cache was cold\"",
	"\"the database\"",
	"cache OR dns",
	"cache dns",
	"\"dns cache\"",
	"cafe",
	"café",
	"resume",
	"\"deja vu\"",
	"naive",
	"cooperation",
	"failover",
	"\"failover failover\"",
	"fail*",
	"title : deploy",
	"body : deploy",
	"{title body} : dns",
	"NEAR(cache dns, 3)",
	"東京",
	"angstrom",
	"ωmega",
	"502",
	"\"the end\"",
	"end",
	"dog",
	"the",
	"\"the the\"",
	"y",
	"x",
	"supercalifragilisticexpialidociousandthensomemoreletterstomakeit"
	"longerthansixtyfourbytes",
	"deploy NOT dns",
	"tabs",
	"s",
	"over*",
	/* an initial token, a phrase ending in a prefix, phrases that
	 * overlap, NEAR of a phrase, a column filter negated (the r22m
	 * review found them the same as highlight()'s; kept here) */
	"^the",
	"^deploy",
	"title : ^deploy",
	"\"the qu*\"",
	"\"dep* again\"",
	"\"quick brown\" \"brown fox\"",
	"\"dns cache\" \"cache expired\" cache",
	"NEAR(\"the quick\" fox, 1)",
	"NEAR(the end, 0)",
	"- title : deploy",
	"{body} : the NOT dog",
};

/* marks_db is an in-memory database with table t tokenized as the
 * search's tables are, holding texts, and fts_highlight() on it. */
static sqlite3 *marks_db(void)
{
	sqlite3 *h;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(db_sqlite_mark_register(h), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(h,
			     "CREATE VIRTUAL TABLE t USING fts5(title, body, "
			     "tokenize = 'porter unicode61 remove_diacritics "
			     "2')",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(h,
				   "INSERT INTO t (rowid, title, body) "
				   "VALUES (?1, ?2, ?3)",
				   -1, &s, NULL),
		SQLITE_OK);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(s, 2, texts[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, texts[i][1], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return h;
}

/* same is 1 when a and b are both NULL or the same text. */
static int same(const unsigned char *a, const unsigned char *b)
{
	return (!a && !b) ||
	       (a && b && !strcmp((const char *)a, (const char *)b));
}

/* compare runs query q through highlight() and fts_highlight() over both
 * columns of every matching row with marks open and close; returns the
 * number of rows whose text was marked. */
static int compare(sqlite3 *h, const char *q, const char *open,
		   const char *close)
{
	sqlite3_stmt *s;
	int marked = 0, step;

	assert_int_equal(
		sqlite3_prepare_v2(h,
				   "SELECT rowid, highlight(t, 0, ?2, ?3), "
				   "fts_highlight(t, 0, ?2, ?3), highlight(t, "
				   "1, ?2, ?3), fts_highlight(t, 1, ?2, ?3) "
				   "FROM t WHERE t MATCH ?1 ORDER BY rowid",
				   -1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, open, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, close, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++) {
			const unsigned char *want =
				sqlite3_column_text(s, 1 + 2 * c);
			const unsigned char *got =
				sqlite3_column_text(s, 2 + 2 * c);

			if (!same(want, got))
				fail_msg("%s, row %lld, column %d:\nhighlight: "
					 "%s\nours:      %s",
					 q, sqlite3_column_int64(s, 0), c,
					 want ? (const char *)want : "(null)",
					 got ? (const char *)got : "(null)");
			if (want && strstr((const char *)want, open))
				marked++;
		}
	}
	if (step != SQLITE_DONE)
		fail_msg("%s: %s", q, sqlite3_errmsg(h));
	sqlite3_finalize(s);
	return marked;
}

static void test_marks_as_highlight_does(void **state)
{
	sqlite3 *h = marks_db();
	int marked = 0;

	(void)state;
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		marked += compare(h, queries[i], "[", "]");
		marked += compare(h, queries[i], "\x02", "\x03");
	}
	/* the comparisons compared marked texts, not only unmarked ones */
	assert_true(marked > 100);
	sqlite3_close(h);
}

/* A match at the text's last token, and the text after the last match,
 * spelled out (a wrong highlight() would not hide a wrong copy): row
 * rowid's body, marked with [] for q, is want. */
static void marks_spelled(sqlite3 *h, const char *q, int rowid,
			  const char *want)
{
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT fts_highlight(t, 1, '[', "
					    "']') FROM t WHERE t MATCH ?1 AND "
					    "rowid = ?2",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, rowid);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(s, 0), want);
	sqlite3_finalize(s);
}

static void test_marks_the_last_token_and_keeps_the_rest(void **state)
{
	sqlite3 *h = marks_db();

	(void)state;
	marks_spelled(h, "end", 14,
		      "the quick brown fox jumps over the lazy dog the [end]");
	marks_spelled(h, "deploys", 1,
		      "The [deploy] of api failed; [deploying] again worked.");
	marks_spelled(h, "cafe", 3,
		      "Résumé of the naïve coöperation: [cafe] resume deja");
	sqlite3_close(h);
}

static void test_wrong_arguments_are_an_error(void **state)
{
	sqlite3 *h = marks_db();
	sqlite3_stmt *s;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT fts_highlight(t, 1) FROM t "
					    "WHERE t MATCH 'deploy'",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ERROR);
	assert_non_null(strstr(sqlite3_errmsg(h), "fts_highlight"));
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* Every FTS5 table of the store's schema is tokenized as fts_highlight()
 * assumes: porter over unicode61 with remove_diacritics 2 and nothing
 * else (a table tokenized otherwise would be marked at the wrong
 * places). */
static void test_every_search_table_is_tokenized_as_assumed(void **state)
{
	char dir[] = "/tmp/debrief-mark-XXXXXX", path[64];
	struct store *st;
	struct err e;
	sqlite3 *h;
	sqlite3_stmt *s;
	int tables = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/test.db", dir);
	assert_int_equal(store_open(path, &st, &e), E_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(h,
				   "SELECT name, sql FROM sqlite_master WHERE "
				   "sql LIKE 'CREATE VIRTUAL TABLE%fts5%'",
				   -1, &s, NULL),
		SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		static const char want[] =
			"tokenize = 'porter unicode61 remove_diacritics 2'";
		const char *sql = (const char *)sqlite3_column_text(s, 1);
		const char *tok = strstr(sql, "tokenize");

		tables++;
		if (!tok || strncmp(tok, want, strlen(want)) ||
		    strstr(tok + strlen(want), "tokenize"))
			fail_msg("%s: %s", sqlite3_column_text(s, 0), sql);
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	assert_true(tables >= 2);
	for (const char *x = ""; x; x = *x ? NULL : "-wal") {
		char p[80];

		snprintf(p, sizeof p, "%s%s", path, x);
		unlink(p);
	}
	snprintf(path, sizeof path, "%s/test.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_as_highlight_does),
		cmocka_unit_test(test_marks_the_last_token_and_keeps_the_rest),
		cmocka_unit_test(test_wrong_arguments_are_an_error),
		cmocka_unit_test(
			test_every_search_table_is_tokenized_as_assumed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
