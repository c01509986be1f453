-- 011_meetings.sql: the review meeting (model/meeting.c, meeting_def), a
-- child of the review like a timeline entry: versioned, soft-deleted,
-- every change a revision. A cancelled meeting stays (status
-- 'cancelled') so that its invite is withdrawn under the same UID.
-- Calendar feed tokens: one per user, stored as a hash like API tokens.
-- The facilitator roster (model/facilitator.c): people who took the
-- facilitator course; what they facilitated is counted from meetings.

CREATE TABLE meetings (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	start INTEGER NOT NULL,
	"end" INTEGER NOT NULL,
	timezone TEXT NOT NULL,
	location TEXT,
	video_url TEXT,
	facilitator TEXT,
	note_taker TEXT,
	invitees TEXT,
	agenda TEXT,
	notes_url TEXT,
	status TEXT NOT NULL,
	attended TEXT,
	parking_lot TEXT,
	notes TEXT,
	facilitator_wanted INTEGER
);
-- at most one live meeting a review (a second PUT racing the first fails)
CREATE UNIQUE INDEX meetings_one_live ON meetings (review_id)
	WHERE deleted_at IS NULL;
CREATE INDEX meetings_start ON meetings (start) WHERE deleted_at IS NULL;
-- overdue reviews (resolved long ago, no meeting held) are found from
-- the oldest resolution up, stopping after a page
CREATE INDEX reviews_resolved ON reviews (resolved_at)
	WHERE deleted_at IS NULL AND resolved_at IS NOT NULL;

CREATE TABLE feed_tokens (
	user TEXT PRIMARY KEY,
	hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);

CREATE TABLE facilitators (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	name TEXT NOT NULL,
	trained_on TEXT,
	available INTEGER,
	contact TEXT,
	note TEXT
);
-- a person is on the roster once while live
CREATE UNIQUE INDEX facilitators_live_name ON facilitators (lower(name))
	WHERE deleted_at IS NULL;
