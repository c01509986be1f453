-- 029_review_json_renders.sql: a review's JSON is stored beside its page
-- (issue 21): review_renders gets a kind (0: the page, 1: the JSON of
-- GET /api/v1/reviews/{id}), one row of each kind a review, so that JSON
-- missing the memory cache is neither read child table by child table nor
-- encoded again. Same rules as 016: kept with the review version and the
-- renderer's tag, never used for another; one byte budget for both kinds,
-- the rows stored first go first. The renders are derived data, so the
-- table is made anew (pages render again once).
DROP TABLE review_renders;
CREATE TABLE review_renders (
	seq INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL
		REFERENCES reviews (id) ON DELETE CASCADE,
	kind INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL,
	tag TEXT NOT NULL,
	size INTEGER NOT NULL,
	html BLOB NOT NULL,
	UNIQUE (review_id, kind)
);
