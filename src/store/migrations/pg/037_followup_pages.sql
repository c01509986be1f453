-- pg/037_followup_pages.sql: PostgreSQL's 037 (see 037_followup_pages.sql):
-- the same table, first counts and indexes (with id, for index-only
-- scans), the triggers as PL/pgSQL functions that take a row out (n = -1)
-- as it was and put it in (n = 1) as it is.
CREATE TABLE linger_counts (
	day BIGINT NOT NULL,
	due TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	followups BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (day, due, restricted_to)
);

INSERT INTO linger_counts (day, due, restricted_to, followups)
SELECT coalesce(k.updated, k.created_at, f.updated_at) / 86400,
	coalesce(f.due, ''), coalesce(r.restricted_to, '[]'), count(*)
FROM followups f JOIN reviews r ON r.id = f.review_id
	LEFT JOIN tickets k ON k.followup_id = f.id AND k.deleted_at IS NULL
WHERE f.deleted_at IS NULL AND f.status NOT IN ('done', 'wont-do')
	AND r.deleted_at IS NULL
GROUP BY 1, 2, 3;

CREATE INDEX followups_active ON followups (updated_at, review_id, due,
	deleted_at, status, id)
	WHERE deleted_at IS NULL AND status NOT IN ('done', 'wont-do');
CREATE INDEX tickets_active ON tickets ((coalesce(updated, created_at)),
	followup_id) WHERE deleted_at IS NULL;
CREATE INDEX followups_page ON followups ((due IS NULL), due, created_at, id,
	review_id, updated_at, owner, deleted_at, status)
	WHERE deleted_at IS NULL AND status NOT IN ('done', 'wont-do');

-- linger_move adds n to the row of follow-up fid at the day of activity
-- at (seconds), while the follow-up is open and its review live.
CREATE FUNCTION linger_move(fid bigint, at bigint, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO linger_counts AS c (day, due, restricted_to, followups)
	SELECT at / 86400, coalesce(f.due, ''),
		coalesce(r.restricted_to, '[]'), n
	FROM followups f JOIN reviews r ON r.id = f.review_id
	WHERE f.id = fid AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
		AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = c.followups + excluded.followups;
END $$;

-- linger_followup moves follow-up f's row by n (while f is open and its
-- review live).
CREATE FUNCTION linger_followup(f followups, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	IF f.deleted_at IS NOT NULL OR f.status IN ('done', 'wont-do') THEN
		RETURN;
	END IF;
	INSERT INTO linger_counts AS c (day, due, restricted_to, followups)
	SELECT coalesce((SELECT coalesce(k.updated, k.created_at)
			FROM tickets k WHERE k.followup_id = f.id
			AND k.deleted_at IS NULL), f.updated_at) / 86400,
		coalesce(f.due, ''), coalesce(r.restricted_to, '[]'), n
	FROM reviews r WHERE r.id = f.review_id AND r.deleted_at IS NULL
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = c.followups + excluded.followups;
END $$;

-- linger_review moves the rows of review r's open follow-ups by n.
CREATE FUNCTION linger_review(r reviews, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	IF r.deleted_at IS NOT NULL THEN
		RETURN;
	END IF;
	INSERT INTO linger_counts AS c (day, due, restricted_to, followups)
	SELECT coalesce(k.updated, k.created_at, f.updated_at) / 86400,
		coalesce(f.due, ''), coalesce(r.restricted_to, '[]'),
		n * count(*)
	FROM followups f LEFT JOIN tickets k ON k.followup_id = f.id
		AND k.deleted_at IS NULL
	WHERE f.review_id = r.id AND f.deleted_at IS NULL
		AND f.status NOT IN ('done', 'wont-do')
	GROUP BY 1, 2, 3
	ON CONFLICT (day, due, restricted_to)
	DO UPDATE SET followups = c.followups + excluded.followups;
END $$;

-- linger_ticket moves ticket t's follow-up by n: put in (n = 1), from the
-- follow-up's own last change to the ticket's activity; taken out (-1),
-- back (a follow-up has at most one live ticket, tickets_followup, 014).
CREATE FUNCTION linger_ticket(t tickets, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	own bigint;
BEGIN
	IF t.deleted_at IS NOT NULL THEN
		RETURN;
	END IF;
	SELECT f.updated_at INTO own FROM followups f WHERE f.id = t.followup_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	PERFORM linger_move(t.followup_id, own, -n);
	PERFORM linger_move(t.followup_id, coalesce(t.updated, t.created_at),
		n);
END $$;

CREATE FUNCTION linger_followup_trigger() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.status = NEW.status AND OLD.review_id = NEW.review_id
		AND OLD.due IS NOT DISTINCT FROM NEW.due
		AND OLD.updated_at = NEW.updated_at
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM linger_followup(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM linger_followup(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER linger_followup AFTER INSERT OR UPDATE OR DELETE ON followups
	FOR EACH ROW EXECUTE FUNCTION linger_followup_trigger();

CREATE FUNCTION linger_review_trigger() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND coalesce(OLD.restricted_to, '[]')
			= coalesce(NEW.restricted_to, '[]')
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM linger_review(OLD, -1);
	END IF;
	IF TG_OP = 'UPDATE' THEN
		PERFORM linger_review(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER linger_review AFTER UPDATE OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION linger_review_trigger();

CREATE FUNCTION linger_ticket_trigger() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.followup_id = NEW.followup_id
		AND coalesce(OLD.updated, OLD.created_at)
			= coalesce(NEW.updated, NEW.created_at)
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM linger_ticket(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM linger_ticket(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER linger_ticket AFTER INSERT OR UPDATE OR DELETE ON tickets
	FOR EACH ROW EXECUTE FUNCTION linger_ticket_trigger();
