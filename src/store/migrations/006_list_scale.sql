-- 006_list_scale.sql: lists, counts and search that cost in proportion to
-- the page they return (issue 21), not to the number of reviews.
--
-- reviews_list is the order of every list (newest first) behind the live /
-- deleted split, and carries every column a list filters on except tags and
-- the search text, so that SQLite finds a page's ids, and counts a filter,
-- by walking this index alone (a covering index), never the wide rows with
-- their markdown. The list then reads only the page's rows by id.
CREATE INDEX reviews_list ON reviews (deleted_at,
	coalesce(started_at, created_at) DESC, id DESC, started_at, created_at,
	kind, status, severity, restricted_to, services);
DROP INDEX reviews_newest;
-- reviews_by_id: the same narrow columns keyed by id, for a filter that
-- starts from its few matches (a search, a tag): each match is looked up
-- here instead of in the wide row (the store names it, INDEXED BY: SQLite
-- would take the row by rowid, which reads the markdown's pages).
CREATE INDEX reviews_by_id ON reviews (id, deleted_at, restricted_to, kind,
	status, severity, started_at, created_at, services);
-- A tag filter that starts from its tag reads tags_by_name alone (with
-- statistics of a common tag SQLite preferred scanning tags to looking
-- rows up from tags_name, which this replaces).
CREATE INDEX tags_by_name ON tags (name, deleted_at, review_id);
DROP INDEX tags_name;
-- reviews_list covers all that reviews_facets (002, 004) did, and counts
-- with any filter: with both, SQLite took the facets index for a GROUP BY
-- and read every row for the filter's other columns.
DROP INDEX reviews_facets;

-- review_counts: how many reviews, and how many open follow-ups (not done
-- or wont-do) they have, per (deleted, kind, status, severity,
-- restricted_to); kept by the triggers below as writes happen, so that
-- the index page's counts and a list's total read a few rows instead of
-- counting every review. restricted_to is the review's own text ('[]' for
-- NULL), so the visibility rule (sqlite_visible.c) applies to these rows
-- as it does to reviews: the counts a viewer sees are the sum of the rows
-- it may see. severity 0: unset.
CREATE TABLE review_counts (
	deleted INTEGER NOT NULL,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	severity INTEGER NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews INTEGER NOT NULL DEFAULT 0,
	open_followups INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (deleted, kind, status, severity, restricted_to)
) WITHOUT ROWID;

INSERT INTO review_counts (deleted, kind, status, severity, restricted_to,
	reviews, open_followups)
SELECT r.deleted_at IS NOT NULL, r.kind, r.status, coalesce(r.severity, 0),
	coalesce(r.restricted_to, '[]'), count(*),
	coalesce(sum((SELECT count(*) FROM followups f WHERE f.review_id = r.id
		AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do'))), 0)
FROM reviews r GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER review_counts_insert AFTER INSERT ON reviews
BEGIN
	INSERT INTO review_counts (deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	VALUES (NEW.deleted_at IS NOT NULL, NEW.kind, NEW.status,
		coalesce(NEW.severity, 0), coalesce(NEW.restricted_to, '[]'), 1,
		0)
	ON CONFLICT (deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1;
END;

-- A review that changes group moves itself and its open follow-ups.
CREATE TRIGGER review_counts_update AFTER UPDATE ON reviews
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status
	OR coalesce(OLD.severity, 0) IS NOT coalesce(NEW.severity, 0)
	OR coalesce(OLD.restricted_to, '[]') IS NOT coalesce(NEW.restricted_to, '[]')
BEGIN
	UPDATE review_counts SET reviews = reviews - 1,
		open_followups = open_followups - (SELECT count(*) FROM
			followups f WHERE f.review_id = OLD.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	WHERE deleted = (OLD.deleted_at IS NOT NULL) AND kind = OLD.kind
		AND status = OLD.status
		AND severity = coalesce(OLD.severity, 0)
		AND restricted_to = coalesce(OLD.restricted_to, '[]');
	INSERT INTO review_counts (deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	VALUES (NEW.deleted_at IS NOT NULL, NEW.kind, NEW.status,
		coalesce(NEW.severity, 0), coalesce(NEW.restricted_to, '[]'), 1,
		(SELECT count(*) FROM followups f WHERE f.review_id = NEW.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do')))
	ON CONFLICT (deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1,
		open_followups = open_followups + excluded.open_followups;
END;

CREATE TRIGGER review_counts_delete AFTER DELETE ON reviews
BEGIN
	UPDATE review_counts SET reviews = reviews - 1,
		open_followups = open_followups - (SELECT count(*) FROM
			followups f WHERE f.review_id = OLD.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	WHERE deleted = (OLD.deleted_at IS NOT NULL) AND kind = OLD.kind
		AND status = OLD.status
		AND severity = coalesce(OLD.severity, 0)
		AND restricted_to = coalesce(OLD.restricted_to, '[]');
END;

-- A follow-up counts as open while live and not done or wont-do; it is
-- counted in its review's group.
CREATE TRIGGER followup_counts_insert AFTER INSERT ON followups
WHEN NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do')
BEGIN
	UPDATE review_counts SET open_followups = open_followups + 1
	WHERE (deleted, kind, status, severity, restricted_to) = (SELECT
		r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = NEW.review_id);
END;

CREATE TRIGGER followup_counts_update AFTER UPDATE ON followups
WHEN (OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do'))
	IS NOT (NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do'))
	OR OLD.review_id IS NOT NEW.review_id
BEGIN
	UPDATE review_counts SET open_followups = open_followups - 1
	WHERE OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do')
		AND (deleted, kind, status, severity, restricted_to) = (SELECT
		r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = OLD.review_id);
	UPDATE review_counts SET open_followups = open_followups + 1
	WHERE NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do')
		AND (deleted, kind, status, severity, restricted_to) = (SELECT
		r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = NEW.review_id);
END;

CREATE TRIGGER followup_counts_delete AFTER DELETE ON followups
WHEN OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do')
BEGIN
	UPDATE review_counts SET open_followups = open_followups - 1
	WHERE (deleted, kind, status, severity, restricted_to) = (SELECT
		r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = OLD.review_id);
END;

-- tag_counts: review_counts per live tag, so that a tag filter's total
-- and the index's counts under it read a few rows too. Kept by the
-- triggers below: a tag added, removed or renamed; a review that changes
-- group moves its tags' rows; follow-ups count under each live tag of
-- their review.
CREATE TABLE tag_counts (
	name TEXT NOT NULL,
	deleted INTEGER NOT NULL,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	severity INTEGER NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews INTEGER NOT NULL DEFAULT 0,
	open_followups INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (name, deleted, kind, status, severity, restricted_to)
) WITHOUT ROWID;

INSERT INTO tag_counts (name, deleted, kind, status, severity, restricted_to,
	reviews, open_followups)
SELECT g.name, r.deleted_at IS NOT NULL, r.kind, r.status,
	coalesce(r.severity, 0), coalesce(r.restricted_to, '[]'), count(*),
	coalesce(sum((SELECT count(*) FROM followups f WHERE f.review_id = r.id
		AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do'))), 0)
FROM tags g JOIN reviews r ON r.id = g.review_id
WHERE g.deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER tag_counts_tag_insert AFTER INSERT ON tags
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO tag_counts (name, deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	SELECT NEW.name, r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]'), 1,
		(SELECT count(*) FROM followups f WHERE f.review_id = r.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	FROM reviews r WHERE r.id = NEW.review_id
	ON CONFLICT (name, deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1,
		open_followups = open_followups + excluded.open_followups;
END;

CREATE TRIGGER tag_counts_tag_update AFTER UPDATE ON tags
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.name IS NOT NEW.name OR OLD.review_id IS NOT NEW.review_id
BEGIN
	UPDATE tag_counts SET reviews = reviews - 1,
		open_followups = open_followups - (SELECT count(*) FROM
			followups f WHERE f.review_id = OLD.review_id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	WHERE OLD.deleted_at IS NULL AND name = OLD.name
		AND (deleted, kind, status, severity, restricted_to) = (SELECT
		r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = OLD.review_id);
	INSERT INTO tag_counts (name, deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	SELECT NEW.name, r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]'), 1,
		(SELECT count(*) FROM followups f WHERE f.review_id = r.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	FROM reviews r WHERE r.id = NEW.review_id AND NEW.deleted_at IS NULL
	ON CONFLICT (name, deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1,
		open_followups = open_followups + excluded.open_followups;
END;

CREATE TRIGGER tag_counts_tag_delete AFTER DELETE ON tags
WHEN OLD.deleted_at IS NULL
BEGIN
	UPDATE tag_counts SET reviews = reviews - 1,
		open_followups = open_followups - (SELECT count(*) FROM
			followups f WHERE f.review_id = OLD.review_id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	WHERE name = OLD.name
		AND (deleted, kind, status, severity, restricted_to) = (SELECT
		r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = OLD.review_id);
END;

CREATE TRIGGER tag_counts_review_update AFTER UPDATE ON reviews
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status
	OR coalesce(OLD.severity, 0) IS NOT coalesce(NEW.severity, 0)
	OR coalesce(OLD.restricted_to, '[]') IS NOT coalesce(NEW.restricted_to, '[]')
BEGIN
	UPDATE tag_counts SET reviews = reviews - 1,
		open_followups = open_followups - (SELECT count(*) FROM
			followups f WHERE f.review_id = OLD.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	WHERE name IN (SELECT g.name FROM tags g WHERE g.review_id = OLD.id
			AND g.deleted_at IS NULL)
		AND deleted = (OLD.deleted_at IS NOT NULL) AND kind = OLD.kind
		AND status = OLD.status
		AND severity = coalesce(OLD.severity, 0)
		AND restricted_to = coalesce(OLD.restricted_to, '[]');
	INSERT INTO tag_counts (name, deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	SELECT g.name, NEW.deleted_at IS NOT NULL, NEW.kind, NEW.status,
		coalesce(NEW.severity, 0), coalesce(NEW.restricted_to, '[]'), 1,
		(SELECT count(*) FROM followups f WHERE f.review_id = NEW.id
			AND f.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do'))
	FROM tags g WHERE g.review_id = NEW.id AND g.deleted_at IS NULL
	ON CONFLICT (name, deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1,
		open_followups = open_followups + excluded.open_followups;
END;

-- A follow-up that opens or closes moves the open count under every live
-- tag of its review.
CREATE TRIGGER tag_counts_followup_insert AFTER INSERT ON followups
WHEN NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do')
BEGIN
	UPDATE tag_counts SET open_followups = open_followups + 1
	WHERE (name, deleted, kind, status, severity, restricted_to) IN (SELECT
		g.name, r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM tags g JOIN reviews r ON r.id = g.review_id
		WHERE g.review_id = NEW.review_id AND g.deleted_at IS NULL);
END;

CREATE TRIGGER tag_counts_followup_update AFTER UPDATE ON followups
WHEN (OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do'))
	IS NOT (NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do'))
	OR OLD.review_id IS NOT NEW.review_id
BEGIN
	UPDATE tag_counts SET open_followups = open_followups - 1
	WHERE OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do')
		AND (name, deleted, kind, status, severity, restricted_to) IN (SELECT
		g.name, r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM tags g JOIN reviews r ON r.id = g.review_id
		WHERE g.review_id = OLD.review_id AND g.deleted_at IS NULL);
	UPDATE tag_counts SET open_followups = open_followups + 1
	WHERE NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do')
		AND (name, deleted, kind, status, severity, restricted_to) IN (SELECT
		g.name, r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM tags g JOIN reviews r ON r.id = g.review_id
		WHERE g.review_id = NEW.review_id AND g.deleted_at IS NULL);
END;

CREATE TRIGGER tag_counts_followup_delete AFTER DELETE ON followups
WHEN OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do')
BEGIN
	UPDATE tag_counts SET open_followups = open_followups - 1
	WHERE (name, deleted, kind, status, severity, restricted_to) IN (SELECT
		g.name, r.deleted_at IS NOT NULL, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM tags g JOIN reviews r ON r.id = g.review_id
		WHERE g.review_id = OLD.review_id AND g.deleted_at IS NULL);
END;
