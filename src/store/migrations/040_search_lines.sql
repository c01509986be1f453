-- 040_search_lines.sql: the number of lines of each part of a review's
-- search body (review_fts: each text field of the review, then each kind
-- of child's text, a line between each), comma-separated in the body's
-- order, kept as the body is written (sqlite_record.c, build_lines), so
-- that a ranked search names the part each marked line is in without
-- counting the review's text and children again for every hit (issue 21:
-- a third to a half of a search's CPU). The store fills the rows of the
-- reviews there when it applies this migration (sqlite.c, migrate).
-- SQLite only: PostgreSQL counts them per hit, as before (pg/040).
CREATE TABLE review_search_lines (
	id INTEGER PRIMARY KEY,
	lines TEXT NOT NULL
);
