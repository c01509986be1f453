/* test_db_pg_translate.c: db_pg.c's translation of the store's SQL
 * (SQLite's dialect) into PostgreSQL's, at prepare time: each rewrite
 * happens, and text inside string literals, quoted names and comments is
 * left alone. No database needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/db_driver.h"

/* check translates sql and compares it with want; *nparams must be n. */
static void check(const char *sql, const char *want, int n)
{
	int np = -1;
	char *got = db_pg_translate(sql, &np, NULL);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(np, n);
	free(got);
}

static void test_parameters(void **state)
{
	(void)state;
	check("SELECT a FROM t WHERE b = ?1 AND c = ?12",
	      "SELECT a FROM t WHERE b = $1 AND c = $12", 12);
	/* a bare ? is the next number, after the highest so far */
	check("INSERT INTO t VALUES (?, ?, ?)",
	      "INSERT INTO t VALUES ($1, $2, $3)", 3);
	check("SELECT ?2, ?", "SELECT $2, $3", 3);
	check("SELECT 1", "SELECT 1", 0);
}

static void test_used_parameters_are_marked(void **state)
{
	unsigned char *used = NULL;
	int np = 0;
	char *got;

	(void)state;
	got = db_pg_translate("SELECT 1 WHERE a = ?3 AND b = ?1 AND "
			      "'?2' = '?2'",
			      &np, &used);
	assert_non_null(got);
	assert_non_null(used);
	assert_int_equal(np, 3);
	assert_true(used[1]);
	assert_false(used[2]); /* only inside literals */
	assert_true(used[3]);
	free(got);
	free(used);
	/* no parameters: an empty mark all the same */
	got = db_pg_translate("SELECT 1", &np, &used);
	assert_non_null(got);
	assert_non_null(used);
	assert_int_equal(np, 0);
	free(got);
	free(used);
}

static void test_functions(void **state)
{
	(void)state;
	check("SELECT char(2) || group_concat(name, ',') FROM t",
	      "SELECT chr(2) || string_agg(name, ',') FROM t", 0);
	check("SELECT json_group_array(json(r)) FROM (SELECT json_object('id', "
	      "\"id\") AS r FROM t) x",
	      "SELECT json_group_array(json(r)) FROM (SELECT "
	      "json_build_object('id', \"id\") AS r FROM t) x",
	      0);
	/* only whole names: a column or function that ends alike stays */
	check("SELECT my_char(1), t.char(2), xgroup_concat(a), "
	      "\"json_object(\"",
	      "SELECT my_char(1), t.char(2), xgroup_concat(a), "
	      "\"json_object(\"",
	      0);
}

static void test_insert_or_ignore(void **state)
{
	(void)state;
	check("INSERT OR IGNORE INTO t (a) VALUES (?1);",
	      "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING", 1);
}

static void test_planner_hints(void **state)
{
	(void)state;
	check("SELECT a FROM t INDEXED BY t_a WHERE a = ?1",
	      "SELECT a FROM t  WHERE a = $1", 1);
	check("SELECT a FROM t NOT INDEXED JOIN u ON u.id = t.a",
	      "SELECT a FROM t  JOIN u ON u.id = t.a", 0);
}

/* The tsquery is built in a subquery (an InitPlan, once a run): as a
 * call with a parameter, a generic plan built it again for every row. */
static void test_full_text_search(void **state)
{
	(void)state;
	check("SELECT rowid FROM review_fts WHERE review_fts MATCH ?2 ORDER "
	      "BY bm25(review_fts, 10.0, 1.0)",
	      "SELECT rowid FROM review_fts WHERE review_fts.tsv @@ "
	      "(SELECT fts5_query($2)) ORDER BY (-ts_rank(review_fts.tsv, "
	      "(SELECT fts5_query($2))))",
	      2);
	check("SELECT fts_highlight(transcript_fts, 1, char(2), char(3)) FROM "
	      "transcript_fts WHERE transcript_fts MATCH ?1",
	      "SELECT ts_headline('english', coalesce(transcript_fts.text, "
	      "''), (SELECT fts5_query($1)), 'StartSel=' || chr(2) || ', "
	      "StopSel=' || chr(3) || ', HighlightAll=true') FROM "
	      "transcript_fts WHERE transcript_fts.tsv @@ (SELECT "
	      "fts5_query($1))",
	      1);
}

static void test_literals_and_comments_are_left_alone(void **state)
{
	(void)state;
	check("SELECT 'a ? ?1 char( group_concat( json_object( INSERT OR "
	      "IGNORE INDEXED BY x CROSS JOIN y ON' FROM t",
	      "SELECT 'a ? ?1 char( group_concat( json_object( INSERT OR "
	      "IGNORE INDEXED BY x CROSS JOIN y ON' FROM t",
	      0);
	check("SELECT \"char(\", '$.id' FROM t WHERE a = ?1",
	      "SELECT \"char(\", '$.id' FROM t WHERE a = $1", 1);
	check("SELECT 1 -- why ?1 char(\nFROM t WHERE a = ?",
	      "SELECT 1 -- why ?1 char(\nFROM t WHERE a = $1", 1);
	/* an unclosed literal ends the text, read no further */
	check("SELECT 'abc", "SELECT 'abc", 0);
}

/* PostgreSQL's tools get the URL without debrief's pool_mode and without
 * the password (PGPASSWORD instead: a command line is public). */
static void test_tool_conninfo_keeps_the_password_off_the_line(void **state)
{
	char out[512], pw[64], msg[128];

	(void)state;
	assert_int_equal(db_pg_tool_conninfo(
				 "postgres://ann:s%27cr%5Ct@db.example:5433/"
				 "debrief?pool_mode=transaction&sslmode=require",
				 out, sizeof out, pw, sizeof pw, msg, sizeof msg),
			 0);
	assert_string_equal(pw, "s'cr\\t");
	assert_null(strstr(out, "pool_mode"));
	assert_null(strstr(out, "cr"));
	assert_null(strstr(out, "password"));
	assert_non_null(strstr(out, "user='ann'"));
	assert_non_null(strstr(out, "host='db.example'"));
	assert_non_null(strstr(out, "port='5433'"));
	assert_non_null(strstr(out, "dbname='debrief'"));
	assert_non_null(strstr(out, "sslmode='require'"));
	/* no password: none given */
	assert_int_equal(db_pg_tool_conninfo("postgres://ann@h/d", out,
					     sizeof out, pw, sizeof pw, msg,
					     sizeof msg),
			 0);
	assert_string_equal(pw, "");
	/* a bad pool_mode is refused without repeating the URL */
	assert_int_equal(db_pg_tool_conninfo(
				 "postgres://ann:secret@h/d?pool_mode=statement",
				 out, sizeof out, pw, sizeof pw, msg, sizeof msg),
			 -1);
	assert_null(strstr(msg, "secret"));
	assert_non_null(strstr(msg, "pool_mode"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_used_parameters_are_marked),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_insert_or_ignore),
		cmocka_unit_test(test_planner_hints),
		cmocka_unit_test(test_full_text_search),
		cmocka_unit_test(test_literals_and_comments_are_left_alone),
		cmocka_unit_test(test_tool_conninfo_keeps_the_password_off_the_line),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
