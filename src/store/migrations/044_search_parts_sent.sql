-- 044_search_parts_sent.sql: PostgreSQL only (pg/044): its search row is
-- sent only the parts a write changed, NULL for the others. SQLite's FTS5
-- table has no parts; nothing changes.
SELECT 1;
