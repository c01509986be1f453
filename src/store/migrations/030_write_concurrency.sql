-- 030_write_concurrency.sql: PostgreSQL only (pg/030): writers on several
-- servers run at once there, and the generation is bumped at commit.
-- SQLite has one writer at a time; nothing changes.
SELECT 1;
