-- 041_write_triggers.sql: nothing on SQLite. PostgreSQL's twin
-- (pg/041_write_triggers.sql) gives its triggers on reviews conditions, so
-- that a write fires only the triggers of what it changes (issue 20).
SELECT 1;
