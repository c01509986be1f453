-- 017_learning_signals.sql: signals that learning happens (issue 17) and the
-- glossary.
--
-- comments: a child of the review like a timeline entry (model/review.c,
-- comment_def): versioned, soft-deleted, every edit a revision, so an
-- edited comment keeps its history. parent_id threads a reply under
-- another comment of the same review; timeline_id puts a comment on one
-- timeline entry (NULL: on the review). after_publication is set by the
-- server when the review was published as the comment was written.
--
-- review_reads: one row per counted view of a review (the rule that says
-- which views count is model/learning.c, read_counts); reads are not
-- review data: no revision, no version bump. Read through their review,
-- so its visibility governs them.
--
-- inbound_links: references to reviews found by `debrief links scan` in
-- a git repository's files (file, line) and commit messages (commit). A
-- rescan of a repository replaces all of its rows in one transaction.
--
-- glossary_terms: a term and its definition; a rendered review links the
-- first use of each term to its definition.

CREATE TABLE comments (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER,
	body TEXT NOT NULL,
	author TEXT,
	parent_id INTEGER,
	timeline_id INTEGER,
	after_publication INTEGER
);
CREATE INDEX comments_review ON comments (review_id);
CREATE INDEX comments_created ON comments (created_at);

CREATE TABLE review_reads (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	reader TEXT NOT NULL,
	at INTEGER NOT NULL,
	month INTEGER NOT NULL -- of at, UTC, as YYYYMM: the learning page's key
);
-- the read rule (last read of a reader) and a review's counts
CREATE INDEX review_reads_review ON review_reads (review_id, reader, at);
-- the most read reviews since a time
CREATE INDEX review_reads_at ON review_reads (at, review_id);
-- the learning page counts reads and distinct readers per month and per
-- team in one ordered pass each (sqlite_signals.c), never a join per read
CREATE INDEX review_reads_month ON review_reads (month, reader, review_id);
CREATE INDEX review_reads_reader ON review_reads (reader, review_id);
-- the learning page: each live review's team, start and groups without
-- reading its row. It leads with an expression and the id so that the
-- list queries (on deleted_at, started_at, ...) never choose it.
CREATE INDEX reviews_team ON reviews (coalesce(owner_team, ''), id,
	deleted_at, started_at, restricted_to, owner_team);

CREATE TABLE inbound_links (
	id INTEGER PRIMARY KEY,
	review_id INTEGER NOT NULL REFERENCES reviews (id),
	repository TEXT NOT NULL,
	file TEXT,
	line INTEGER,
	commit_id TEXT,
	text TEXT,
	found_at INTEGER NOT NULL
);
CREATE INDEX inbound_links_review ON inbound_links (review_id, id);
CREATE INDEX inbound_links_repository ON inbound_links (repository);

CREATE TABLE glossary_terms (
	id INTEGER PRIMARY KEY,
	term TEXT NOT NULL,
	definition TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX glossary_terms_term ON glossary_terms (term COLLATE NOCASE);
