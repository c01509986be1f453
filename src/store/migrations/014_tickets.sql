-- 014_tickets.sql: a follow-up's ticket in an issue tracker (Jira, GitHub)
-- as debrief last read it (src/model/ticket.c). One live ticket per
-- follow-up; sync finds tickets by tracker and key (a webhook names a key),
-- and the lingering list reads them beside their follow-ups.

CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	followup_id INTEGER NOT NULL REFERENCES followups (id),
	tracker TEXT NOT NULL,
	key TEXT NOT NULL,
	url TEXT NOT NULL,
	status TEXT,
	done INTEGER,
	assignee TEXT,
	updated INTEGER,
	read_at INTEGER,
	error TEXT,
	error_at INTEGER,
	close_sent INTEGER
);
CREATE UNIQUE INDEX tickets_followup ON tickets (followup_id)
	WHERE deleted_at IS NULL;
CREATE INDEX tickets_review ON tickets (review_id);
CREATE INDEX tickets_key ON tickets (tracker, key);
