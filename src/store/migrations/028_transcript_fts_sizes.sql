-- 028_transcript_fts_sizes.sql: the chat search index (009) without its
-- table of column sizes (FTS5's columnsize=0). FTS5 wrote that table with
-- a statement of its own for every message: 30% of the index's
-- instructions, and a chat import of 1M messages costs about a fifth less
-- CPU without it (bench/chat). The tokens, and so every search, highlight
-- and bm25() value, are the same; bm25() counts a matched message's
-- tokens from its text instead of reading them (the review search,
-- sqlite_search.c, pays that per matching message). The index is rebuilt
-- from the messages stored, as it held them: every row an import, a copy
-- or a JSON import added is indexed, and a deleted row leaves it.

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
