-- pg/026_trend_counts.sql: PostgreSQL's 026 (see 026_trend_counts.sql):
-- the same tables and first counts, the triggers as PL/pgSQL functions
-- that take a row out (n = -1) as it was and put it in (n = 1) as it is.
CREATE TABLE trend_reviews (
	month TEXT NOT NULL,
	kind TEXT NOT NULL,
	severity BIGINT NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (month, kind, severity, restricted_to)
);

CREATE TABLE trend_services (
	name TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (name, restricted_to)
);

CREATE TABLE trend_followups (
	month TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	opened BIGINT NOT NULL DEFAULT 0,
	done BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (month, restricted_to)
);

CREATE TABLE trend_open_followups (
	restricted_to TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	followups BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (restricted_to, created_at)
);

INSERT INTO trend_reviews (month, kind, severity, restricted_to, reviews)
SELECT strftime('%Y-%m', coalesce(r.started_at, r.created_at), 'unixepoch'),
	r.kind, coalesce(r.severity, -1), coalesce(r.restricted_to, '[]'),
	count(*)
FROM reviews r WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3, 4;

INSERT INTO trend_services (name, restricted_to, reviews)
SELECT s.name, s.rt, count(*) FROM (SELECT DISTINCT r.id, x.value AS name,
		coalesce(r.restricted_to, '[]') AS rt
	FROM reviews r, json_each(r.services) x
	WHERE r.deleted_at IS NULL AND x.type = 'text') s
GROUP BY 1, 2;

-- followups_trend (013) was what the follow-ups series read; these
-- counts replace it, and no other query names it.
DROP INDEX followups_trend;

-- trend_review moves review r's own rows by n.
CREATE FUNCTION trend_review(r reviews, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	rt text := coalesce(r.restricted_to, '[]');
BEGIN
	IF r.deleted_at IS NOT NULL THEN
		RETURN;
	END IF;
	INSERT INTO trend_reviews AS c (month, kind, severity, restricted_to,
		reviews)
	VALUES (strftime('%Y-%m', coalesce(r.started_at, r.created_at),
			'unixepoch'), r.kind, coalesce(r.severity, -1), rt, n)
	ON CONFLICT (month, kind, severity, restricted_to)
	DO UPDATE SET reviews = c.reviews + n;
	INSERT INTO trend_services AS c (name, restricted_to, reviews)
	SELECT DISTINCT x.value, rt, n FROM json_each(r.services) x
	WHERE x.type = 'text'
	ON CONFLICT (name, restricted_to) DO UPDATE SET reviews = c.reviews + n;
END $$;

-- trend_review_followups moves the rows of review r's live follow-ups by n.
CREATE FUNCTION trend_review_followups(r reviews, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	rt text := coalesce(r.restricted_to, '[]');
BEGIN
	IF r.deleted_at IS NOT NULL THEN
		RETURN;
	END IF;
	INSERT INTO trend_followups AS c (month, restricted_to, opened, done)
	SELECT m, rt, n * sum(o), n * sum(d) FROM (
		SELECT strftime('%Y-%m', f.created_at, 'unixepoch') AS m,
			1 AS o, 0 AS d
		FROM followups f WHERE f.review_id = r.id
			AND f.deleted_at IS NULL
		UNION ALL
		SELECT strftime('%Y-%m', f.updated_at, 'unixepoch'), 0, 1
		FROM followups f WHERE f.review_id = r.id
			AND f.deleted_at IS NULL AND f.status = 'done') u
	GROUP BY m
	ON CONFLICT (month, restricted_to) DO UPDATE SET
		opened = c.opened + excluded.opened,
		done = c.done + excluded.done;
	INSERT INTO trend_open_followups AS c (restricted_to, created_at,
		followups)
	SELECT rt, f.created_at, n * count(*)
	FROM followups f WHERE f.review_id = r.id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
	GROUP BY f.created_at
	ON CONFLICT (restricted_to, created_at) DO UPDATE SET
		followups = c.followups + excluded.followups;
END $$;

-- trend_followup moves follow-up f's rows by n (while f and its review
-- are live).
CREATE FUNCTION trend_followup(f followups, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	rt text;
BEGIN
	IF f.deleted_at IS NOT NULL THEN
		RETURN;
	END IF;
	SELECT coalesce(r.restricted_to, '[]') INTO rt FROM reviews r
	WHERE r.id = f.review_id AND r.deleted_at IS NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO trend_followups AS c (month, restricted_to, opened, done)
	VALUES (strftime('%Y-%m', f.created_at, 'unixepoch'), rt, n, 0)
	ON CONFLICT (month, restricted_to) DO UPDATE SET opened = c.opened + n;
	IF f.status = 'done' THEN
		INSERT INTO trend_followups AS c (month, restricted_to, opened,
			done)
		VALUES (strftime('%Y-%m', f.updated_at, 'unixepoch'), rt, 0, n)
		ON CONFLICT (month, restricted_to) DO UPDATE SET
			done = c.done + n;
	END IF;
	IF f.status NOT IN ('done', 'wont-do') THEN
		INSERT INTO trend_open_followups AS c (restricted_to,
			created_at, followups)
		VALUES (rt, f.created_at, n)
		ON CONFLICT (restricted_to, created_at) DO UPDATE SET
			followups = c.followups + n;
	END IF;
END $$;

-- the first counts of the follow-ups: each live review's, once
SELECT trend_review_followups(r, 1) FROM reviews r WHERE r.deleted_at IS NULL;

CREATE FUNCTION trend_review_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'UPDATE' OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
		OR OLD.kind IS DISTINCT FROM NEW.kind
		OR OLD.severity IS DISTINCT FROM NEW.severity
		OR OLD.started_at IS DISTINCT FROM NEW.started_at
		OR OLD.created_at IS DISTINCT FROM NEW.created_at
		OR OLD.services IS DISTINCT FROM NEW.services
		OR OLD.restricted_to IS DISTINCT FROM NEW.restricted_to
	THEN
		IF TG_OP IN ('UPDATE', 'DELETE') THEN
			PERFORM trend_review(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') THEN
			PERFORM trend_review(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
		OR OLD.restricted_to IS DISTINCT FROM NEW.restricted_to)
	THEN
		PERFORM trend_review_followups(OLD, -1);
		PERFORM trend_review_followups(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER trend_review AFTER INSERT OR UPDATE OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION trend_review_trigger();

CREATE FUNCTION trend_followup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.review_id = NEW.review_id
		AND OLD.created_at = NEW.created_at
		AND OLD.updated_at = NEW.updated_at
		AND OLD.status IS NOT DISTINCT FROM NEW.status
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM trend_followup(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM trend_followup(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER trend_followup AFTER INSERT OR UPDATE OR DELETE ON followups
	FOR EACH ROW EXECUTE FUNCTION trend_followup_trigger();

CREATE TABLE review_related (
	review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
	viewer TEXT NOT NULL,
	generation BIGINT NOT NULL,
	fragment BYTEA NOT NULL,
	PRIMARY KEY (review_id, viewer)
);
CREATE INDEX review_related_generation ON review_related (generation);
