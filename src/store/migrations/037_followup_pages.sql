-- 037_followup_pages.sql: the count of lingering follow-ups (the index's
-- note, GET /followups?lingering=1) kept as writes happen, and the
-- follow-ups page taken in the order of an index (issue 21). At 100,000
-- reviews the count passed over every open follow-up (about 85 ms of CPU)
-- and the page sorted the ids of every open one (about 130 ms).
--
-- A follow-up lingers when it is past due, or when its last activity (its
-- live ticket's update in the tracker, or its linking; with no ticket, the
-- follow-up's own last change) is older than linger_days (the
-- configuration's, so not known here). The count moves with the clock:
-- linger_counts keeps the open follow-ups of live reviews by the UTC day
-- of their last activity (seconds / 86400), their due date ('' for none)
-- and restricted_to (the review's text, '[]' for NULL, as review_counts,
-- 006, so that the visibility rule applies to the rows). What lingers is
-- the open follow-ups (review_counts) less those active after the cutoff
-- and not past due: the rows of the days after the cutoff's day, and the
-- cutoff's own day counted exactly from followups_active and
-- tickets_active. That reads the rows of the last linger_days days only,
-- whatever the number of reviews. Rows that reach zero stay.
CREATE TABLE linger_counts (
	day INTEGER NOT NULL,
	due TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	followups INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, due, restricted_to)
) WITHOUT ROWID;

INSERT INTO linger_counts (day, due, restricted_to, followups)
SELECT coalesce(k.updated, k.created_at, f.updated_at) / 86400,
	coalesce(f.due, ''), coalesce(r.restricted_to, '[]'), count(*)
FROM followups f JOIN reviews r ON r.id = f.review_id
	LEFT JOIN tickets k ON k.followup_id = f.id AND k.deleted_at IS NULL
WHERE f.deleted_at IS NULL AND f.status NOT IN ('done', 'wont-do')
	AND r.deleted_at IS NULL
GROUP BY 1, 2, 3;

-- The cutoff's day, exactly: the open follow-ups with no ticket by their
-- last change, and the live tickets by their activity.
CREATE INDEX followups_active ON followups (updated_at, review_id, due,
	deleted_at, status) WHERE deleted_at IS NULL AND status NOT IN ('done', 'wont-do');
CREATE INDEX tickets_active ON tickets (coalesce(updated, created_at),
	followup_id) WHERE deleted_at IS NULL;

-- The follow-ups page's order (due first, none last, then oldest, then
-- id) over the open ones, with what its filters read: a page is the first
-- matches in this order, without a sort.
CREATE INDEX followups_page ON followups (due IS NULL, due, created_at, id,
	review_id, updated_at, owner, deleted_at, status)
	WHERE deleted_at IS NULL AND status NOT IN ('done', 'wont-do');

-- A follow-up counts while it is open and its review live, in its
-- review's groups: taken out as it was, put in as it is.
CREATE TRIGGER linger_followup_insert AFTER INSERT ON followups
WHEN NEW.deleted_at IS NULL AND NEW.status NOT IN ('done', 'wont-do')
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce((SELECT coalesce(k.updated, k.created_at)
			FROM tickets k WHERE k.followup_id = NEW.id
			AND k.deleted_at IS NULL), NEW.updated_at) / 86400,
		coalesce(NEW.due, ''), coalesce(r.restricted_to, '[]'), 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

CREATE TRIGGER linger_followup_update AFTER UPDATE ON followups
WHEN (OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do'))
	IS NOT (NEW.deleted_at IS NULL
		AND NEW.status NOT IN ('done', 'wont-do'))
	OR OLD.review_id IS NOT NEW.review_id OR OLD.due IS NOT NEW.due
	OR OLD.updated_at IS NOT NEW.updated_at
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce((SELECT coalesce(k.updated, k.created_at)
			FROM tickets k WHERE k.followup_id = OLD.id
			AND k.deleted_at IS NULL), OLD.updated_at) / 86400,
		coalesce(OLD.due, ''), coalesce(r.restricted_to, '[]'), -1
	FROM reviews r WHERE r.id = OLD.review_id AND r.deleted_at IS NULL
		AND OLD.deleted_at IS NULL
		AND OLD.status NOT IN ('done', 'wont-do')
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce((SELECT coalesce(k.updated, k.created_at)
			FROM tickets k WHERE k.followup_id = NEW.id
			AND k.deleted_at IS NULL), NEW.updated_at) / 86400,
		coalesce(NEW.due, ''), coalesce(r.restricted_to, '[]'), 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
		AND NEW.deleted_at IS NULL
		AND NEW.status NOT IN ('done', 'wont-do')
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

CREATE TRIGGER linger_followup_delete AFTER DELETE ON followups
WHEN OLD.deleted_at IS NULL AND OLD.status NOT IN ('done', 'wont-do')
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce((SELECT coalesce(k.updated, k.created_at)
			FROM tickets k WHERE k.followup_id = OLD.id
			AND k.deleted_at IS NULL), OLD.updated_at) / 86400,
		coalesce(OLD.due, ''), coalesce(r.restricted_to, '[]'), -1
	FROM reviews r WHERE r.id = OLD.review_id AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

-- A review deleted, restored or moved to other groups moves its open
-- follow-ups' rows with it.
CREATE TRIGGER linger_review_update AFTER UPDATE ON reviews
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR coalesce(OLD.restricted_to, '[]') IS NOT
		coalesce(NEW.restricted_to, '[]')
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce(k.updated, k.created_at, f.updated_at) / 86400,
		coalesce(f.due, ''), coalesce(OLD.restricted_to, '[]'),
		-count(*)
	FROM followups f LEFT JOIN tickets k ON k.followup_id = f.id
		AND k.deleted_at IS NULL
	WHERE f.review_id = OLD.id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND OLD.deleted_at IS NULL
	GROUP BY 1, 2
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce(k.updated, k.created_at, f.updated_at) / 86400,
		coalesce(f.due, ''), coalesce(NEW.restricted_to, '[]'),
		count(*)
	FROM followups f LEFT JOIN tickets k ON k.followup_id = f.id
		AND k.deleted_at IS NULL
	WHERE f.review_id = NEW.id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND NEW.deleted_at IS NULL
	GROUP BY 1, 2
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

CREATE TRIGGER linger_review_delete AFTER DELETE ON reviews
WHEN OLD.deleted_at IS NULL
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT coalesce(k.updated, k.created_at, f.updated_at) / 86400,
		coalesce(f.due, ''), coalesce(OLD.restricted_to, '[]'),
		-count(*)
	FROM followups f LEFT JOIN tickets k ON k.followup_id = f.id
		AND k.deleted_at IS NULL
	WHERE f.review_id = OLD.id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
	GROUP BY 1, 2
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

-- A live ticket sets its follow-up's activity (a follow-up has at most
-- one, tickets_followup, 014): taking one out moves its follow-up to its
-- own last change, putting one in moves it from there.
CREATE TRIGGER linger_ticket_insert AFTER INSERT ON tickets
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT v.day, coalesce(f.due, ''), coalesce(r.restricted_to, '[]'),
		v.n
	FROM followups f JOIN reviews r ON r.id = f.review_id,
		(SELECT f2.updated_at / 86400 AS day, -1 AS n FROM followups f2
			WHERE f2.id = NEW.followup_id
		UNION ALL SELECT coalesce(NEW.updated, NEW.created_at) / 86400,
			1) v
	WHERE f.id = NEW.followup_id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

CREATE TRIGGER linger_ticket_update AFTER UPDATE ON tickets
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR (NEW.deleted_at IS NULL AND (OLD.followup_id IS NOT NEW.followup_id
		OR coalesce(OLD.updated, OLD.created_at) IS NOT
			coalesce(NEW.updated, NEW.created_at)))
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT v.day, coalesce(f.due, ''), coalesce(r.restricted_to, '[]'),
		v.n
	FROM followups f JOIN reviews r ON r.id = f.review_id,
		(SELECT coalesce(OLD.updated, OLD.created_at) / 86400 AS day,
			-1 AS n
		UNION ALL SELECT f2.updated_at / 86400, 1 FROM followups f2
			WHERE f2.id = OLD.followup_id) v
	WHERE f.id = OLD.followup_id AND OLD.deleted_at IS NULL
		AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT v.day, coalesce(f.due, ''), coalesce(r.restricted_to, '[]'),
		v.n
	FROM followups f JOIN reviews r ON r.id = f.review_id,
		(SELECT f2.updated_at / 86400 AS day, -1 AS n FROM followups f2
			WHERE f2.id = NEW.followup_id
		UNION ALL SELECT coalesce(NEW.updated, NEW.created_at) / 86400,
			1) v
	WHERE f.id = NEW.followup_id AND NEW.deleted_at IS NULL
		AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;

CREATE TRIGGER linger_ticket_delete AFTER DELETE ON tickets
WHEN OLD.deleted_at IS NULL
BEGIN
	INSERT INTO linger_counts (day, due, restricted_to, followups)
	SELECT v.day, coalesce(f.due, ''), coalesce(r.restricted_to, '[]'),
		v.n
	FROM followups f JOIN reviews r ON r.id = f.review_id,
		(SELECT coalesce(OLD.updated, OLD.created_at) / 86400 AS day,
			-1 AS n
		UNION ALL SELECT f2.updated_at / 86400, 1 FROM followups f2
			WHERE f2.id = OLD.followup_id) v
	WHERE f.id = OLD.followup_id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = followups + excluded.followups;
END;
