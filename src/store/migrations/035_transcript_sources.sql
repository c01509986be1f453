-- 035_transcript_sources.sql: where a chat message came from, its file
-- kept once. A message's source is its file and its place in the file
-- ("general/2023-05-01.json#1683000000.000100", "irc.log:1234"): the
-- file part repeated in every message was a fifth of a message's row
-- (40 of 179 bytes in a Slack import), so an import keeps the part up
-- to the last '#' or ':' once in transcript_sources and gives the
-- message its id (source_id) and only the rest in source, NULL when the
-- rest is the message's ts (a Slack export's). The store reads a
-- message's source as prefix || coalesce(source, ts) when source_id is
-- set, as source itself when not (rows from before, from a JSON import
-- or a copy of one, and any message whose update set source whole): the
-- API, exports and copies see the same text as before (sqlite_record.c).

CREATE TABLE transcript_sources (
	id INTEGER PRIMARY KEY,
	prefix TEXT NOT NULL UNIQUE
);
ALTER TABLE transcript_messages
	ADD COLUMN source_id INTEGER REFERENCES transcript_sources (id);
