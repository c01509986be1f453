-- 019_import_sources.sql: where an imported review came from ("morgue:42":
-- postmortem 42 of a Morgue dump), so that importing the same dump again
-- recognises the reviews it made before and skips them instead of making
-- copies. One source, one review.

CREATE TABLE import_sources (
	source TEXT PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	imported_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX import_sources_review ON import_sources (review_id);

-- Reviews a Morgue import made before this table: their kept front
-- matter begins "morgue_id: N" (importers/morgue.c). The first of any
-- copies keeps the source.
INSERT OR IGNORE INTO import_sources (source, review_id, imported_at)
SELECT 'morgue:' || CAST(substr(extra, 12) AS INTEGER), id, created_at
FROM reviews
WHERE extra LIKE 'morgue_id: %'
ORDER BY id;

-- The chat search index (009) flushes its in-memory terms to a new
-- segment every 1 MB by default; an import of 200,000 messages then
-- writes and merges hundreds of segments. 8 MB makes that import about a
-- fifth faster (bench/chat) for at most 8 MB more memory while it runs.
INSERT INTO transcript_fts (transcript_fts, rank) VALUES ('hashsize', 8388608);
