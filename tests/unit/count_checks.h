/* count_checks.h: the counts that triggers keep (migrations 006, 026 and
 * 033)
 * held to the same counts taken afresh, for the store's tests and the
 * API tests of concurrent writes (test_two_servers). Needs cmocka,
 * store/db.h and util/buf.h included before it. */
#ifndef DEBRIEF_TEST_COUNT_CHECKS_H
#define DEBRIEF_TEST_COUNT_CHECKS_H

#include <stdlib.h>
#include <string.h>

__attribute__((unused)) static int by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* rows_of sets out to the rows of query sql on url, one line each, sorted
 * (every value as text). */
__attribute__((unused)) static void rows_of(const char *url, const char *sql, struct buf *out)
{
	struct db *db;
	struct db_stmt *s;
	char msg[256];
	char **rows = NULL;
	size_t n = 0;

	buf_reset(out);
	assert_int_equal(db_open(url, 1, &db, msg, sizeof msg), DB_OK);
	if (db_prepare(db, sql, &s) != DB_OK)
		fail_msg("%s: %s", sql, db_errmsg(db));
	while (db_step(s) == DB_ROW) {
		struct buf row = BUF_INIT;

		for (int c = 0; c < db_column_count(s); c++) {
			const char *v = db_column_text(s, c);

			buf_printf(&row, "%s%s", c ? "|" : "", v ? v : "NULL");
		}
		rows = realloc(rows, (n + 1) * sizeof *rows);
		assert_non_null(rows);
		rows[n++] = strdup(buf_cstr(&row));
		buf_release(&row);
	}
	db_finalize(s);
	db_close(db);
	if (n) /* qsort of NULL is undefined, even of nothing */
		qsort(rows, n, sizeof *rows, by_text);
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s\n", rows[i]);
		free(rows[i]);
	}
	free(rows);
}

/* check_trend_counts holds each table migration 026 keeps (its rows not
 * at zero), 006's review_counts and 033's learning_reads_*, to the same
 * counts taken afresh from the reviews, their follow-ups and reads, and
 * finds no row below zero. */
__attribute__((unused)) static void check_trend_counts(const char *url)
{
	static const char *const pairs[][2] = {
		{"SELECT month, kind, severity, restricted_to, reviews FROM "
		 "trend_reviews WHERE reviews != 0",
		 "SELECT strftime('%Y-%m', coalesce(started_at, created_at), "
		 "'unixepoch'), kind, coalesce(severity, -1), "
		 "coalesce(restricted_to, '[]'), count(*) FROM reviews WHERE "
		 "deleted_at IS NULL GROUP BY 1, 2, 3, 4"},
		{"SELECT name, restricted_to, reviews FROM trend_services WHERE "
		 "reviews != 0",
		 "SELECT s.name, s.rt, count(*) FROM (SELECT DISTINCT r.id, "
		 "x.value AS name, coalesce(r.restricted_to, '[]') AS rt FROM "
		 "reviews r, json_each(r.services) x WHERE r.deleted_at IS NULL "
		 "AND x.type = 'text') s GROUP BY 1, 2"},
		{"SELECT month, restricted_to, opened, done FROM trend_followups "
		 "WHERE opened != 0 OR done != 0",
		 "SELECT m, rt, sum(o), sum(d) FROM (SELECT strftime('%Y-%m', "
		 "f.created_at, 'unixepoch') AS m, coalesce(r.restricted_to, "
		 "'[]') AS rt, 1 AS o, 0 AS d FROM followups f JOIN reviews r ON "
		 "r.id = f.review_id WHERE f.deleted_at IS NULL AND r.deleted_at "
		 "IS NULL UNION ALL SELECT strftime('%Y-%m', f.updated_at, "
		 "'unixepoch'), coalesce(r.restricted_to, '[]'), 0, 1 FROM "
		 "followups f JOIN reviews r ON r.id = f.review_id WHERE "
		 "f.deleted_at IS NULL AND r.deleted_at IS NULL AND f.status = "
		 "'done') u GROUP BY 1, 2"},
		{"SELECT restricted_to, created_at, followups FROM "
		 "trend_open_followups WHERE followups != 0",
		 "SELECT coalesce(r.restricted_to, '[]'), f.created_at, count(*) "
		 "FROM followups f JOIN reviews r ON r.id = f.review_id WHERE "
		 "f.deleted_at IS NULL AND r.deleted_at IS NULL AND f.status "
		 "NOT IN ('done', 'wont-do') GROUP BY 1, 2"},
		{"SELECT 'negative', count(*) FROM trend_reviews WHERE reviews < "
		 "0 OR (SELECT count(*) FROM trend_services WHERE reviews < 0) > "
		 "0 OR (SELECT count(*) FROM trend_followups WHERE opened < 0 OR "
		 "done < 0) > 0 OR (SELECT count(*) FROM trend_open_followups "
		 "WHERE followups < 0) > 0",
		 "SELECT 'negative', 0"},
		/* 033's reads of live reviews per month or team and reader */
		{"SELECT month, reader, restricted_to, reads FROM "
		 "learning_reads_month WHERE reads != 0",
		 "SELECT x.month, x.reader, coalesce(r.restricted_to, '[]'), "
		 "count(*) FROM review_reads x JOIN reviews r ON r.id = "
		 "x.review_id WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3"},
		{"SELECT team, reader, restricted_to, reads FROM "
		 "learning_reads_team WHERE reads != 0",
		 "SELECT coalesce(r.owner_team, ''), x.reader, "
		 "coalesce(r.restricted_to, '[]'), count(*) FROM review_reads x "
		 "JOIN reviews r ON r.id = x.review_id WHERE r.deleted_at IS "
		 "NULL GROUP BY 1, 2, 3"},
		{"SELECT 'negative', count(*) FROM learning_reads_month WHERE "
		 "reads < 0 OR (SELECT count(*) FROM learning_reads_team WHERE "
		 "reads < 0) > 0",
		 "SELECT 'negative', 0"},
		/* 006's counts of reviews by group */
		{"SELECT deleted, kind, status, severity, restricted_to, "
		 "reviews FROM review_counts WHERE reviews != 0",
		 "SELECT CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, kind, "
		 "status, coalesce(severity, 0), coalesce(restricted_to, '[]'), "
		 "count(*) FROM reviews GROUP BY 1, 2, 3, 4, 5"},
	};
	struct buf kept = BUF_INIT, fresh = BUF_INIT;

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		rows_of(url, pairs[i][0], &kept);
		rows_of(url, pairs[i][1], &fresh);
		if (strcmp(buf_cstr(&kept), buf_cstr(&fresh)))
			fail_msg("kept counts differ from fresh ones:\n%s\n"
				 "--- kept ---\n%s--- fresh ---\n%s",
				 pairs[i][0], buf_cstr(&kept),
				 buf_cstr(&fresh));
	}
	buf_release(&kept);
	buf_release(&fresh);
}

#endif
