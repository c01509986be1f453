-- 034_search_parts.sql: PostgreSQL only (pg/034): a search row keeps the
-- parts of its body and their tsvectors, so that rewriting a review's row
-- after a write parses only the parts that changed. SQLite's FTS5 table is
-- unchanged.
SELECT 1;
