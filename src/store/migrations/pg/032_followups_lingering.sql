-- pg/032_followups_lingering.sql: PostgreSQL's 032 (see
-- 032_followups_lingering.sql). The index carries id as well: the join to
-- tickets reads it, and PostgreSQL's index-only scan needs every column
-- (SQLite's rowid is in every index).
DROP INDEX followups_open;
CREATE INDEX followups_open ON followups (review_id, deleted_at, status, due,
	updated_at, id);
