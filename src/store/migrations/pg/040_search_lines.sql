-- pg/040_search_lines.sql: SQLite's 040 keeps the lines of each part of a
-- review's search body (review_search_lines); PostgreSQL's search counts them
-- for each hit from the review's rows, as before (its search row keeps
-- only the parts' lengths in bytes, pg/036). Nothing changes.
SELECT 1;
