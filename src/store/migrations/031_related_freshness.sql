-- 031_related_freshness.sql: stored related reviews (026's review_related)
-- no longer go stale with every write anywhere. A row now remembers the
-- review's version, the store generation and the time (Unix seconds) it
-- was computed at, and serves while the review keeps that version and,
-- once anything else was written, for at most a bounded time
-- (store.h, STORE_RELATED_MAX_AGE; docs/user-guide.md says what a reader
-- sees). What it names is checked against the reader's visibility when
-- it is served (web/review_learning.c). Derived data: the rows of 026 are
-- dropped and computed again.
DROP TABLE review_related;
CREATE TABLE review_related (
	review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
	viewer TEXT NOT NULL,
	version INTEGER NOT NULL,
	generation INTEGER NOT NULL,
	computed_at INTEGER NOT NULL,
	fragment BLOB NOT NULL,
	PRIMARY KEY (review_id, viewer)
);
CREATE INDEX review_related_age ON review_related (computed_at);
