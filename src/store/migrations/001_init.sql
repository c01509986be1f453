-- 001_init.sql: reviews, their children, revisions and the search index.
-- Column names are the field names of the record_def tables in
-- src/model/review.c: FT_TIME, FT_INT and FT_BOOL are INTEGER (times in
-- seconds since the epoch, UTC), FT_LIST is a JSON array as TEXT, the rest
-- TEXT. Every record has id, version, created_at, updated_at and deleted_at
-- (NULL while live: deletes are soft). NOT NULL only where the model says
-- F_REQUIRED.

CREATE TABLE reviews (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	severity INTEGER,
	status TEXT NOT NULL,
	started_at INTEGER,
	detected_at INTEGER,
	first_status_at INTEGER,
	mitigated_at INTEGER,
	resolved_at INTEGER,
	tldr TEXT,
	summary TEXT,
	impact TEXT,
	resolution TEXT,
	surprising TEXT,
	difficult TEXT,
	open_questions TEXT,
	went_well TEXT,
	went_poorly TEXT,
	data_sources TEXT,
	services TEXT,
	owner_team TEXT,
	impact_type TEXT,
	problem_type TEXT
);
CREATE INDEX reviews_newest ON reviews (coalesce(started_at, created_at) DESC, id DESC);

CREATE TABLE timeline_entries (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	at INTEGER NOT NULL,
	approximate INTEGER,
	kind TEXT NOT NULL,
	actor TEXT,
	text TEXT NOT NULL,
	source TEXT,
	context TEXT,
	perspective TEXT,
	disputed INTEGER
);
CREATE INDEX timeline_entries_review ON timeline_entries (review_id, at);

CREATE TABLE followups (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	title TEXT NOT NULL,
	description TEXT,
	owner TEXT,
	horizon TEXT NOT NULL,
	aim TEXT,
	status TEXT NOT NULL,
	due TEXT,
	ticket TEXT
);
CREATE INDEX followups_review ON followups (review_id);

CREATE TABLE factors (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	text TEXT NOT NULL,
	kind TEXT NOT NULL,
	description TEXT
);
CREATE INDEX factors_review ON factors (review_id);

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	name TEXT NOT NULL,
	role TEXT NOT NULL
);
CREATE INDEX people_review ON people (review_id);

CREATE TABLE links (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	url TEXT NOT NULL,
	kind TEXT NOT NULL,
	comment TEXT
);
CREATE INDEX links_review ON links (review_id);

-- A tag is on a review at most once while live.
CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	name TEXT NOT NULL
);
CREATE UNIQUE INDEX tags_live_name ON tags (review_id, name)
	WHERE deleted_at IS NULL;
CREATE INDEX tags_name ON tags (name);

-- What one write did to one record; changes is [{field, old, new}].
CREATE TABLE revisions (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	record_kind TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	action TEXT NOT NULL,
	actor TEXT NOT NULL,
	at INTEGER NOT NULL,
	review_version INTEGER NOT NULL,
	changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX revisions_review ON revisions (review_id, id);

-- Full-text search over a review's title (column 0) and the text of the
-- review, its timeline, follow-ups and contributing factors (column 1);
-- rowid is the review's id. The store rewrites a review's row after every
-- write that touches it.
CREATE VIRTUAL TABLE review_fts USING fts5 (
	title, body,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
