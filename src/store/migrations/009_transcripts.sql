-- 009_transcripts.sql: chat transcripts of a review (src/model/transcript.c).
-- A message is stored once per (review, channel, ts), so that importing the
-- same export twice adds nothing. Messages are read in time order
-- (at, at_us, id), filtered by channel and time, and searched through
-- transcript_fts (text and author). An import fills transcript_fts with
-- one INSERT ... SELECT of its new rows before it commits (a trigger per
-- row made imports eight times slower); a delete trigger keeps it in
-- step should rows ever be removed. The
-- review's visibility governs its messages: the store reads them only
-- through their review.

CREATE TABLE transcript_messages (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	channel TEXT NOT NULL,
	ts TEXT NOT NULL,
	at INTEGER NOT NULL,
	at_us INTEGER,
	author TEXT,
	text TEXT,
	kind TEXT NOT NULL,
	thread_ts TEXT,
	edited INTEGER,
	source TEXT
);
CREATE UNIQUE INDEX transcript_messages_key
	ON transcript_messages (review_id, channel, ts);
CREATE INDEX transcript_messages_time
	ON transcript_messages (review_id, at, at_us, id);

CREATE VIRTUAL TABLE transcript_fts USING fts5 (
	author, text,
	content = 'transcript_messages', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER transcript_messages_ad AFTER DELETE ON transcript_messages
BEGIN
	INSERT INTO transcript_fts (transcript_fts, rowid, author, text)
	VALUES ('delete', old.id, old.author, old.text);
END;
