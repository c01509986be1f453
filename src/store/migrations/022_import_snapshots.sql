-- 022_import_snapshots.sql: what a source gave the last time it was
-- imported (JSON: the review's fields and its children's, without ids or
-- times), the base that importing it again compares with: a field that
-- Morgue changed since and debrief did not is updated; one changed in
-- both keeps debrief's value and is reported (importers/morgue_update.c).
-- NULL for imports made before this column.

ALTER TABLE import_sources ADD COLUMN imported TEXT;
