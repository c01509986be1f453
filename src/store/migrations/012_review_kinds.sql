-- 012_review_kinds.sql: architecture and operability reviews (issue 16).
-- They are reviews (kind 'architecture' and 'operability') in the one
-- reviews table, so that history, versions, visibility, the index, the
-- counts and search serve them unchanged; the fields only they have are
-- new columns (NULL on every other kind), and their lists are child
-- tables like timeline_entries (model/review_kinds.c).

ALTER TABLE reviews ADD COLUMN proposers TEXT;
ALTER TABLE reviews ADD COLUMN proposal TEXT;
ALTER TABLE reviews ADD COLUMN meeting_date TEXT;
ALTER TABLE reviews ADD COLUMN meeting_place TEXT;
ALTER TABLE reviews ADD COLUMN attendees TEXT;
ALTER TABLE reviews ADD COLUMN notes TEXT;
ALTER TABLE reviews ADD COLUMN agreements TEXT;
ALTER TABLE reviews ADD COLUMN learnings TEXT;
ALTER TABLE reviews ADD COLUMN decision TEXT;
ALTER TABLE reviews ADD COLUMN decision_reasons TEXT;
ALTER TABLE reviews ADD COLUMN q_costs TEXT;
ALTER TABLE reviews ADD COLUMN q_tradeoffs TEXT;
ALTER TABLE reviews ADD COLUMN q_future TEXT;
ALTER TABLE reviews ADD COLUMN q_operability TEXT;
ALTER TABLE reviews ADD COLUMN q_quality TEXT;
ALTER TABLE reviews ADD COLUMN q_sense TEXT;
ALTER TABLE reviews ADD COLUMN feature TEXT;
ALTER TABLE reviews ADD COLUMN launch_date TEXT;
ALTER TABLE reviews ADD COLUMN pusher TEXT;
ALTER TABLE reviews ADD COLUMN teams TEXT;
ALTER TABLE reviews ADD COLUMN architecture_review INTEGER;

CREATE TABLE departures (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	technology TEXT NOT NULL,
	replaces TEXT,
	tradeoffs TEXT,
	unknowns TEXT
);
CREATE INDEX departures_review ON departures (review_id);

CREATE TABLE questions (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	text TEXT NOT NULL,
	asked_by TEXT,
	votes INTEGER,
	voters TEXT,
	answered INTEGER,
	answer TEXT
);
CREATE INDEX questions_review ON questions (review_id);

CREATE TABLE readiness (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	key TEXT,
	question TEXT NOT NULL,
	infra INTEGER,
	answer TEXT,
	note TEXT
);
CREATE INDEX readiness_review ON readiness (review_id);

CREATE TABLE contingencies (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	issue TEXT NOT NULL,
	likelihood TEXT NOT NULL,
	impact TEXT NOT NULL,
	comments TEXT,
	mitigation TEXT,
	flag TEXT,
	messaging TEXT,
	pr_needed INTEGER,
	pr TEXT,
	position INTEGER
);
CREATE INDEX contingencies_review ON contingencies (review_id);
-- the launch page's flags at a glance, and "which rows name this flag"
CREATE INDEX contingencies_flag ON contingencies (flag) WHERE flag IS NOT NULL;
