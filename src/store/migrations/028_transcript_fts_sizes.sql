-- 028_transcript_fts_sizes.sql: the chat search index (009) without its
-- table of column sizes (FTS5's columnsize=0). FTS5 wrote that table with
-- a statement of its own for every message, a third of the index's work
-- and most of what is left to save in a chat import (bench/chat). The
-- tokens, and so every search and highlight, are the same; bm25() counts
-- a matched message's tokens from its text instead of reading them (the
-- review search, sqlite_search.c, pays that per matching message). The
-- index is rebuilt from the messages already stored, which it indexed
-- all (an import indexes every row it adds; soft-deleted rows too).

DROP TABLE transcript_fts;
CREATE VIRTUAL TABLE transcript_fts USING fts5 (
	author, text,
	content = 'transcript_messages', content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2',
	columnsize = 0
);
-- 019's setting, lost with the old table
INSERT INTO transcript_fts (transcript_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO transcript_fts (transcript_fts) VALUES ('rebuild');
