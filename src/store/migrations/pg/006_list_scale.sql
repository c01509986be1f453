-- pg/006_list_scale.sql: PostgreSQL's 006 (see 006_list_scale.sql): the
-- same indexes and counts, the triggers as PL/pgSQL functions.
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

-- review_counts and tag_counts: see 006_list_scale.sql.
CREATE TABLE review_counts (
	deleted BIGINT NOT NULL,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	severity BIGINT NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews BIGINT NOT NULL DEFAULT 0,
	open_followups BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (deleted, kind, status, severity, restricted_to)
);

CREATE TABLE tag_counts (
	name TEXT NOT NULL,
	deleted BIGINT NOT NULL,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	severity BIGINT NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews BIGINT NOT NULL DEFAULT 0,
	open_followups BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (name, deleted, kind, status, severity, restricted_to)
);

-- open_followups_of: a review's live follow-ups not done or wont-do.
CREATE FUNCTION open_followups_of(rid bigint) RETURNS bigint STABLE
	LANGUAGE sql AS $$
	SELECT count(*) FROM followups f WHERE f.review_id = rid
		AND f.deleted_at IS NULL AND f.status NOT IN ('done', 'wont-do') $$;

INSERT INTO review_counts (deleted, kind, status, severity, restricted_to,
	reviews, open_followups)
SELECT (r.deleted_at IS NOT NULL)::int, r.kind, r.status,
	coalesce(r.severity, 0), coalesce(r.restricted_to, '[]'), count(*),
	coalesce(sum(open_followups_of(r.id)), 0)
FROM reviews r GROUP BY 1, 2, 3, 4, 5;

INSERT INTO tag_counts (name, deleted, kind, status, severity, restricted_to,
	reviews, open_followups)
SELECT g.name, (r.deleted_at IS NOT NULL)::int, r.kind, r.status,
	coalesce(r.severity, 0), coalesce(r.restricted_to, '[]'), count(*),
	coalesce(sum(open_followups_of(r.id)), 0)
FROM tags g JOIN reviews r ON r.id = g.review_id
WHERE g.deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6;

-- count_review moves review r (its group, its open follow-ups, its live
-- tags' rows) by n: -1 out of its old group, +1 into its new one.
CREATE FUNCTION count_review(r reviews, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	d bigint := (r.deleted_at IS NOT NULL)::int;
	sev bigint := coalesce(r.severity, 0);
	rt text := coalesce(r.restricted_to, '[]');
	o bigint := open_followups_of(r.id);
BEGIN
	INSERT INTO review_counts AS c (deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	VALUES (d, r.kind, r.status, sev, rt, n, n * o)
	ON CONFLICT (deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = c.reviews + n,
		open_followups = c.open_followups + n * o;
	INSERT INTO tag_counts AS c (name, deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	SELECT g.name, d, r.kind, r.status, sev, rt, n, n * o
	FROM tags g WHERE g.review_id = r.id AND g.deleted_at IS NULL
	ON CONFLICT (name, deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = c.reviews + n,
		open_followups = c.open_followups + n * o;
END $$;

CREATE FUNCTION review_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.kind = NEW.kind AND OLD.status = NEW.status
		AND coalesce(OLD.severity, 0) = coalesce(NEW.severity, 0)
		AND coalesce(OLD.restricted_to, '[]') = coalesce(NEW.restricted_to, '[]')
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM count_review(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM count_review(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER review_counts AFTER INSERT OR UPDATE OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION review_counts();

-- count_tag moves one live tag's row of its review by n.
CREATE FUNCTION count_tag(tag_name text, rid bigint, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_counts AS c (name, deleted, kind, status, severity,
		restricted_to, reviews, open_followups)
	SELECT tag_name, (r.deleted_at IS NOT NULL)::int, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]'), n,
		n * open_followups_of(r.id)
	FROM reviews r WHERE r.id = rid
	ON CONFLICT (name, deleted, kind, status, severity, restricted_to)
	DO UPDATE SET reviews = c.reviews + n,
		open_followups = c.open_followups + excluded.open_followups;
END $$;

CREATE FUNCTION tag_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL
		AND (TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL
			OR OLD.name <> NEW.name OR OLD.review_id <> NEW.review_id)
	THEN
		PERFORM count_tag(OLD.name, OLD.review_id, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL
		AND (TG_OP = 'INSERT' OR OLD.deleted_at IS NOT NULL
			OR OLD.name <> NEW.name OR OLD.review_id <> NEW.review_id)
	THEN
		PERFORM count_tag(NEW.name, NEW.review_id, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER tag_counts AFTER INSERT OR UPDATE OR DELETE ON tags
	FOR EACH ROW EXECUTE FUNCTION tag_counts();

-- count_followup moves the open count of review rid (and under each of
-- its live tags) by n.
CREATE FUNCTION count_followup(rid bigint, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	UPDATE review_counts SET open_followups = open_followups + n
	WHERE (deleted, kind, status, severity, restricted_to) = (SELECT
		(r.deleted_at IS NOT NULL)::int, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM reviews r WHERE r.id = rid);
	UPDATE tag_counts SET open_followups = open_followups + n
	WHERE (name, deleted, kind, status, severity, restricted_to) IN (SELECT
		g.name, (r.deleted_at IS NOT NULL)::int, r.kind, r.status,
		coalesce(r.severity, 0), coalesce(r.restricted_to, '[]')
		FROM tags g JOIN reviews r ON r.id = g.review_id
		WHERE g.review_id = rid AND g.deleted_at IS NULL);
END $$;

CREATE FUNCTION followup_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	was_open boolean := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
		AND OLD.status NOT IN ('done', 'wont-do');
	is_open boolean := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
		AND NEW.status NOT IN ('done', 'wont-do');
BEGIN
	IF TG_OP = 'UPDATE' AND was_open = is_open
		AND OLD.review_id = NEW.review_id THEN
		RETURN NULL;
	END IF;
	IF was_open THEN
		PERFORM count_followup(OLD.review_id, -1);
	END IF;
	IF is_open THEN
		PERFORM count_followup(NEW.review_id, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER followup_counts AFTER INSERT OR UPDATE OR DELETE ON followups
	FOR EACH ROW EXECUTE FUNCTION followup_counts();
