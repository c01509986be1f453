-- 042_overdue_open.sql: the overdue notice (every index page) walks only
-- the reviews it may name (issue 21). reviews_resolved (011) held every
-- live resolved review, and the walk from the oldest resolution went
-- through every reviewed and published one to find the few still open: on
-- an imported Morgue with one draft, all 10,080 entries for each page.
-- reviews_overdue holds the open ones alone; its WHERE is the query's
-- (store_overdue_first, sqlite_meeting.c) term by term, which SQLite
-- needs to take a partial index. The id orders equal resolutions as the
-- query does (on PostgreSQL too, where it is not the rowid).
-- reviews_resolved had no other reader.
CREATE INDEX reviews_overdue ON reviews (resolved_at, id)
	WHERE deleted_at IS NULL AND resolved_at IS NOT NULL
	AND status NOT IN ('reviewed', 'published');
DROP INDEX reviews_resolved;
