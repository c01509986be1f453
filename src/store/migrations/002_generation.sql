-- 002_generation.sql: a counter that moves with every committed write to a
-- review (child writes bump their review's version, so they move it too),
-- read by servers as the cache key of pages that span reviews; and indexes
-- that let the index page's counts avoid reading the wide review rows.

CREATE TABLE generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 1);

CREATE TRIGGER reviews_generation_insert AFTER INSERT ON reviews
BEGIN
	UPDATE generation SET value = value + 1 WHERE id = 1;
END;

CREATE TRIGGER reviews_generation_update AFTER UPDATE ON reviews
BEGIN
	UPDATE generation SET value = value + 1 WHERE id = 1;
END;

CREATE INDEX reviews_facets ON reviews (deleted_at, kind, status, severity);
CREATE INDEX followups_open ON followups (review_id, deleted_at, status);
