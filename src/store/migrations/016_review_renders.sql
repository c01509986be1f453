-- 016_review_renders.sql: what a review page's render produced, kept with
-- the review version and the renderer's tag that produced it (issue 21), so
-- that a page missing the memory cache neither renders markdown nor runs
-- the language coach again. Derived data, never the truth: a row of an
-- older version or of another tag (another build of the program, other
-- severity definitions) is not used, and the store keeps the table within
-- a byte budget by deleting the rows stored first (seq order).
--
-- html is the page deflated (zlib); size its length before deflating.
CREATE TABLE review_renders (
	seq INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL UNIQUE
		REFERENCES reviews (id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	tag TEXT NOT NULL,
	size INTEGER NOT NULL,
	html BLOB NOT NULL
);
