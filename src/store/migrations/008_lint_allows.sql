-- 008_lint_allows.sql: "not blame here". A phrase of a review that the
-- language coach is not to flag under one category, because the people
-- writing the review judged it fine (model/review.c, lint_allow_def).
-- A child of the review like a timeline entry: versioned, soft-deleted,
-- every change a revision, so History shows who allowed what.

CREATE TABLE lint_allows (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	phrase TEXT NOT NULL,
	category TEXT NOT NULL,
	who TEXT,
	note TEXT
);
CREATE INDEX lint_allows_review ON lint_allows (review_id);
