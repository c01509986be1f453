-- 036_search_part_lengths.sql: PostgreSQL only (pg/036): its search row
-- keeps the lengths of the body's parts, not a second copy of their text,
-- and compresses with lz4. SQLite's FTS5 table has no parts; nothing
-- changes.
SELECT 1;
