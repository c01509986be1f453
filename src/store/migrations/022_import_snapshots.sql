-- 022_import_snapshots.sql: what a source gave the last time it was
-- imported (JSON: the review's fields and its children's, without ids or
-- times), the base that importing it again compares with: a field that
-- Morgue changed since and debrief did not is updated; one changed in
-- both keeps debrief's value and is reported (importers/morgue_update.c).
-- NULL for imports made before this column.

ALTER TABLE import_sources ADD COLUMN imported TEXT;

-- Every meeting of a review, deleted ones too (the JSON export): the only
-- index on meetings.review_id (011) covers live meetings alone, so each
-- review's read scanned every meeting, and exporting 10,000 reviews took
-- minutes instead of seconds.
CREATE INDEX IF NOT EXISTS meetings_review ON meetings (review_id);
