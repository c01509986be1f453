-- 004_restricted.sql: restricted reviews. restricted_to is the review
-- field of that name (a JSON list of group names as TEXT; NULL or '[]':
-- everyone may see the review). The index page's counts read the facets
-- index alone, so it carries restricted_to too and the visibility rule
-- (sqlite_visible.c) needs no visit to the wide rows.

ALTER TABLE reviews ADD COLUMN restricted_to TEXT;

DROP INDEX reviews_facets;
CREATE INDEX reviews_facets ON reviews (deleted_at, kind, status, severity,
	restricted_to);
