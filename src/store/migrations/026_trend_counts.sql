-- 026_trend_counts.sql: the trends page's counts kept as writes happen
-- (issue 17), so that /trends and /api/v1/trends/{series} read a few rows
-- per month instead of every review and follow-up; and the related
-- reviews of a review page kept with the store's generation.
--
-- Like review_counts (006), each row is per restricted_to (the review's
-- own text, '[]' for NULL), so that the visibility rule applies to the
-- rows as it does to reviews: what a viewer sees is the sum of the rows it
-- may see. Only live reviews and their live follow-ups count. A month is
-- 'YYYY-MM' in UTC. The triggers below keep them in the transaction of
-- the write, whatever makes it (the API, the forms, an import, a
-- restore); rows that reach zero stay.

-- trend_reviews: reviews per month of coalesce(started_at, created_at),
-- kind and severity (-1: none).
CREATE TABLE trend_reviews (
	month TEXT NOT NULL,
	kind TEXT NOT NULL,
	severity INTEGER NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, kind, severity, restricted_to)
) WITHOUT ROWID;

-- trend_services: reviews per service (a review naming one twice counts
-- once).
CREATE TABLE trend_services (
	name TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	reviews INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (name, restricted_to)
) WITHOUT ROWID;

-- trend_followups: follow-ups opened per month of created_at, and done
-- (status done) per month of their last change (updated_at).
CREATE TABLE trend_followups (
	month TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	opened INTEGER NOT NULL DEFAULT 0,
	done INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, restricted_to)
) WITHOUT ROWID;

-- trend_open_followups: the follow-ups still open (not done or wont-do)
-- by the second they were opened: their count and ages per month, exact,
-- at a cost that grows with the open follow-ups only.
CREATE TABLE trend_open_followups (
	restricted_to TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	followups INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (restricted_to, created_at)
) WITHOUT ROWID;

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

INSERT INTO trend_followups (month, restricted_to, opened, done)
SELECT m, rt, sum(o), sum(d) FROM (
	SELECT strftime('%Y-%m', f.created_at, 'unixepoch') AS m,
		coalesce(r.restricted_to, '[]') AS rt, 1 AS o, 0 AS d
	FROM followups f JOIN reviews r ON r.id = f.review_id
	WHERE f.deleted_at IS NULL AND r.deleted_at IS NULL
	UNION ALL
	SELECT strftime('%Y-%m', f.updated_at, 'unixepoch'),
		coalesce(r.restricted_to, '[]'), 0, 1
	FROM followups f JOIN reviews r ON r.id = f.review_id
	WHERE f.deleted_at IS NULL AND r.deleted_at IS NULL
		AND f.status = 'done') u
GROUP BY 1, 2;

INSERT INTO trend_open_followups (restricted_to, created_at, followups)
SELECT coalesce(r.restricted_to, '[]'), f.created_at, count(*)
FROM followups f JOIN reviews r ON r.id = f.review_id
WHERE f.deleted_at IS NULL AND r.deleted_at IS NULL
	AND f.status NOT IN ('done', 'wont-do')
GROUP BY 1, 2;

-- followups_trend (013) was what the follow-ups series read; these
-- counts replace it, and no other query names it.
DROP INDEX followups_trend;

-- A review's own rows (trend_reviews, trend_services): taken out as it
-- was, put in as it is.
CREATE TRIGGER trend_review_insert AFTER INSERT ON reviews
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO trend_reviews (month, kind, severity, restricted_to,
		reviews)
	VALUES (strftime('%Y-%m', coalesce(NEW.started_at, NEW.created_at),
			'unixepoch'), NEW.kind, coalesce(NEW.severity, -1),
		coalesce(NEW.restricted_to, '[]'), 1)
	ON CONFLICT (month, kind, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1;
	INSERT INTO trend_services (name, restricted_to, reviews)
	SELECT DISTINCT x.value, coalesce(NEW.restricted_to, '[]'), 1
	FROM json_each(NEW.services) x WHERE x.type = 'text'
	ON CONFLICT (name, restricted_to) DO UPDATE SET reviews = reviews + 1;
END;

CREATE TRIGGER trend_review_update AFTER UPDATE ON reviews
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.kind IS NOT NEW.kind OR OLD.severity IS NOT NEW.severity
	OR OLD.started_at IS NOT NEW.started_at
	OR OLD.created_at IS NOT NEW.created_at
	OR OLD.services IS NOT NEW.services
	OR OLD.restricted_to IS NOT NEW.restricted_to
BEGIN
	UPDATE trend_reviews SET reviews = reviews - 1
	WHERE OLD.deleted_at IS NULL
		AND month = strftime('%Y-%m', coalesce(OLD.started_at,
			OLD.created_at), 'unixepoch')
		AND kind = OLD.kind AND severity = coalesce(OLD.severity, -1)
		AND restricted_to = coalesce(OLD.restricted_to, '[]');
	INSERT INTO trend_reviews (month, kind, severity, restricted_to,
		reviews)
	SELECT strftime('%Y-%m', coalesce(NEW.started_at, NEW.created_at),
			'unixepoch'), NEW.kind, coalesce(NEW.severity, -1),
		coalesce(NEW.restricted_to, '[]'), 1
	WHERE NEW.deleted_at IS NULL
	ON CONFLICT (month, kind, severity, restricted_to)
	DO UPDATE SET reviews = reviews + 1;
	UPDATE trend_services SET reviews = reviews - 1
	WHERE OLD.deleted_at IS NULL
		AND restricted_to = coalesce(OLD.restricted_to, '[]')
		AND name IN (SELECT x.value FROM json_each(OLD.services) x
			WHERE x.type = 'text');
	INSERT INTO trend_services (name, restricted_to, reviews)
	SELECT DISTINCT x.value, coalesce(NEW.restricted_to, '[]'), 1
	FROM json_each(NEW.services) x
	WHERE NEW.deleted_at IS NULL AND x.type = 'text'
	ON CONFLICT (name, restricted_to) DO UPDATE SET reviews = reviews + 1;
END;

CREATE TRIGGER trend_review_delete AFTER DELETE ON reviews
WHEN OLD.deleted_at IS NULL
BEGIN
	UPDATE trend_reviews SET reviews = reviews - 1
	WHERE month = strftime('%Y-%m', coalesce(OLD.started_at,
			OLD.created_at), 'unixepoch')
		AND kind = OLD.kind AND severity = coalesce(OLD.severity, -1)
		AND restricted_to = coalesce(OLD.restricted_to, '[]');
	UPDATE trend_services SET reviews = reviews - 1
	WHERE restricted_to = coalesce(OLD.restricted_to, '[]')
		AND name IN (SELECT x.value FROM json_each(OLD.services) x
			WHERE x.type = 'text');
END;

-- A review deleted, restored or moved to other groups moves its live
-- follow-ups' rows with it.
CREATE TRIGGER trend_review_followups AFTER UPDATE ON reviews
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.restricted_to IS NOT NEW.restricted_to
BEGIN
	INSERT INTO trend_followups (month, restricted_to, opened, done)
	SELECT m, rt, sum(o), sum(d) FROM (
		SELECT strftime('%Y-%m', f.created_at, 'unixepoch') AS m,
			coalesce(OLD.restricted_to, '[]') AS rt, -1 AS o, 0 AS d
		FROM followups f WHERE f.review_id = OLD.id
			AND f.deleted_at IS NULL AND OLD.deleted_at IS NULL
		UNION ALL
		SELECT strftime('%Y-%m', f.created_at, 'unixepoch'),
			coalesce(NEW.restricted_to, '[]'), 1, 0
		FROM followups f WHERE f.review_id = NEW.id
			AND f.deleted_at IS NULL AND NEW.deleted_at IS NULL
		UNION ALL
		SELECT strftime('%Y-%m', f.updated_at, 'unixepoch'),
			coalesce(OLD.restricted_to, '[]'), 0, -1
		FROM followups f WHERE f.review_id = OLD.id
			AND f.deleted_at IS NULL AND f.status = 'done'
			AND OLD.deleted_at IS NULL
		UNION ALL
		SELECT strftime('%Y-%m', f.updated_at, 'unixepoch'),
			coalesce(NEW.restricted_to, '[]'), 0, 1
		FROM followups f WHERE f.review_id = NEW.id
			AND f.deleted_at IS NULL AND f.status = 'done'
			AND NEW.deleted_at IS NULL) u
	WHERE true GROUP BY 1, 2
	ON CONFLICT (month, restricted_to) DO UPDATE SET
		opened = opened + excluded.opened, done = done + excluded.done;
	INSERT INTO trend_open_followups (restricted_to, created_at, followups)
	SELECT rt, at, sum(n) FROM (
		SELECT coalesce(OLD.restricted_to, '[]') AS rt,
			f.created_at AS at, -1 AS n
		FROM followups f WHERE f.review_id = OLD.id
			AND f.deleted_at IS NULL AND OLD.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do')
		UNION ALL
		SELECT coalesce(NEW.restricted_to, '[]'), f.created_at, 1
		FROM followups f WHERE f.review_id = NEW.id
			AND f.deleted_at IS NULL AND NEW.deleted_at IS NULL
			AND f.status NOT IN ('done', 'wont-do')) u
	WHERE true GROUP BY 1, 2
	ON CONFLICT (restricted_to, created_at) DO UPDATE SET
		followups = followups + excluded.followups;
END;

-- A follow-up counts while it and its review are live, in its review's
-- groups: taken out as it was, put in as it is.
CREATE TRIGGER trend_followup_insert AFTER INSERT ON followups
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO trend_followups (month, restricted_to, opened, done)
	SELECT strftime('%Y-%m', NEW.created_at, 'unixepoch'),
		coalesce(r.restricted_to, '[]'), 1, 0
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
	ON CONFLICT (month, restricted_to) DO UPDATE SET opened = opened + 1;
	INSERT INTO trend_followups (month, restricted_to, opened, done)
	SELECT strftime('%Y-%m', NEW.updated_at, 'unixepoch'),
		coalesce(r.restricted_to, '[]'), 0, 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
		AND NEW.status = 'done'
	ON CONFLICT (month, restricted_to) DO UPDATE SET done = done + 1;
	INSERT INTO trend_open_followups (restricted_to, created_at, followups)
	SELECT coalesce(r.restricted_to, '[]'), NEW.created_at, 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
		AND NEW.status NOT IN ('done', 'wont-do')
	ON CONFLICT (restricted_to, created_at) DO UPDATE SET
		followups = followups + 1;
END;

CREATE TRIGGER trend_followup_update AFTER UPDATE ON followups
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.review_id IS NOT NEW.review_id
	OR OLD.created_at IS NOT NEW.created_at
	OR OLD.updated_at IS NOT NEW.updated_at
	OR OLD.status IS NOT NEW.status
BEGIN
	UPDATE trend_followups SET opened = opened - 1
	WHERE OLD.deleted_at IS NULL
		AND month = strftime('%Y-%m', OLD.created_at, 'unixepoch')
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	UPDATE trend_followups SET done = done - 1
	WHERE OLD.deleted_at IS NULL AND OLD.status = 'done'
		AND month = strftime('%Y-%m', OLD.updated_at, 'unixepoch')
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	UPDATE trend_open_followups SET followups = followups - 1
	WHERE OLD.deleted_at IS NULL
		AND OLD.status NOT IN ('done', 'wont-do')
		AND created_at = OLD.created_at
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	INSERT INTO trend_followups (month, restricted_to, opened, done)
	SELECT strftime('%Y-%m', NEW.created_at, 'unixepoch'),
		coalesce(r.restricted_to, '[]'), 1, 0
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
		AND NEW.deleted_at IS NULL
	ON CONFLICT (month, restricted_to) DO UPDATE SET opened = opened + 1;
	INSERT INTO trend_followups (month, restricted_to, opened, done)
	SELECT strftime('%Y-%m', NEW.updated_at, 'unixepoch'),
		coalesce(r.restricted_to, '[]'), 0, 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
		AND NEW.deleted_at IS NULL AND NEW.status = 'done'
	ON CONFLICT (month, restricted_to) DO UPDATE SET done = done + 1;
	INSERT INTO trend_open_followups (restricted_to, created_at, followups)
	SELECT coalesce(r.restricted_to, '[]'), NEW.created_at, 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
		AND NEW.deleted_at IS NULL
		AND NEW.status NOT IN ('done', 'wont-do')
	ON CONFLICT (restricted_to, created_at) DO UPDATE SET
		followups = followups + 1;
END;

CREATE TRIGGER trend_followup_delete AFTER DELETE ON followups
WHEN OLD.deleted_at IS NULL
BEGIN
	UPDATE trend_followups SET opened = opened - 1
	WHERE month = strftime('%Y-%m', OLD.created_at, 'unixepoch')
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	UPDATE trend_followups SET done = done - 1
	WHERE OLD.status = 'done'
		AND month = strftime('%Y-%m', OLD.updated_at, 'unixepoch')
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	UPDATE trend_open_followups SET followups = followups - 1
	WHERE OLD.status NOT IN ('done', 'wont-do')
		AND created_at = OLD.created_at
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
END;

-- review_related: what fills a review page's related-reviews and "seen
-- in" slots (web/review_learning.c) for one set of groups (viewer, the
-- page cache's access key), as computed at a store generation: used only
-- while that is still the generation, so that a page served from its
-- stored render does not compute them again after a restart or an
-- eviction from memory. Derived data, written in the background with the
-- stored renders; rows of older generations are deleted as new ones go in.
CREATE TABLE review_related (
	review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
	viewer TEXT NOT NULL,
	generation INTEGER NOT NULL,
	fragment BLOB NOT NULL,
	PRIMARY KEY (review_id, viewer)
);
CREATE INDEX review_related_generation ON review_related (generation);
