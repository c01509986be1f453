-- 007_drafts.sql: what a person has typed into a review's edit form (or,
-- with review_id 0, into the new-review form) and not saved yet: one
-- draft per person and review, kept on the server so that it survives a
-- closed tab, a crashed browser or a move to another machine. body is the
-- JSON the API took ({"version": N, "fields": {...}}).

CREATE TABLE drafts (
	author TEXT NOT NULL,
	review_id INTEGER NOT NULL,
	body TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (author, review_id)
);
