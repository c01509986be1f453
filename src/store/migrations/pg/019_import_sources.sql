-- pg/019_import_sources.sql: PostgreSQL's 019 (see 019_import_sources.sql);
-- the FTS5 setting at its end has no PostgreSQL twin.
-- 019_import_sources.sql: where an imported review came from ("morgue:42":
-- postmortem 42 of a Morgue dump), so that importing the same dump again
-- recognises the reviews it made before and skips them instead of making
-- copies. One source, one review.

CREATE TABLE import_sources (
	source TEXT PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	imported_at BIGINT NOT NULL
);
CREATE INDEX import_sources_review ON import_sources (review_id);

-- Reviews a Morgue import made before this table: their kept front
-- matter begins "morgue_id: N" (importers/morgue.c). The first of any
-- copies keeps the source.
INSERT INTO import_sources (source, review_id, imported_at)
SELECT 'morgue:' || CAST(substr(extra, 12) AS BIGINT), id, created_at
FROM reviews
WHERE extra LIKE 'morgue_id: %'
ORDER BY id
ON CONFLICT DO NOTHING;
