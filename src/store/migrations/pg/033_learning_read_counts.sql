-- pg/033_learning_read_counts.sql: PostgreSQL's 033 (see
-- 033_learning_read_counts.sql): the same tables and first counts, the
-- triggers as PL/pgSQL functions that take rows out (n = -1) as they were
-- and put them in (n = 1) as they are.
CREATE TABLE learning_reads_month (
	month BIGINT NOT NULL,
	reader TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	reads BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (month, reader, restricted_to)
);

CREATE TABLE learning_reads_team (
	team TEXT NOT NULL,
	reader TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	reads BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (team, reader, restricted_to)
);

INSERT INTO learning_reads_month (month, reader, restricted_to, reads)
SELECT x.month, x.reader, coalesce(r.restricted_to, '[]'), count(*)
FROM review_reads x JOIN reviews r ON r.id = x.review_id
WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3;

INSERT INTO learning_reads_team (team, reader, restricted_to, reads)
SELECT coalesce(r.owner_team, ''), x.reader, coalesce(r.restricted_to, '[]'),
	count(*)
FROM review_reads x JOIN reviews r ON r.id = x.review_id
WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3;

-- learning_read moves read x's rows by n (while its review is live).
CREATE FUNCTION learning_read(x review_reads, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	rt text;
	tm text;
BEGIN
	SELECT coalesce(r.restricted_to, '[]'), coalesce(r.owner_team, '')
	INTO rt, tm FROM reviews r
	WHERE r.id = x.review_id AND r.deleted_at IS NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO learning_reads_month AS c (month, reader, restricted_to,
		reads)
	VALUES (x.month, x.reader, rt, n)
	ON CONFLICT (month, reader, restricted_to)
	DO UPDATE SET reads = c.reads + n;
	INSERT INTO learning_reads_team AS c (team, reader, restricted_to,
		reads)
	VALUES (tm, x.reader, rt, n)
	ON CONFLICT (team, reader, restricted_to)
	DO UPDATE SET reads = c.reads + n;
END $$;

-- learning_review_reads moves the rows of review r's reads by n (while r
-- is live).
CREATE FUNCTION learning_review_reads(r reviews, n bigint) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	rt text := coalesce(r.restricted_to, '[]');
BEGIN
	IF r.deleted_at IS NOT NULL THEN
		RETURN;
	END IF;
	INSERT INTO learning_reads_month AS c (month, reader, restricted_to,
		reads)
	SELECT x.month, x.reader, rt, n * count(*)
	FROM review_reads x WHERE x.review_id = r.id
	GROUP BY x.month, x.reader
	ON CONFLICT (month, reader, restricted_to)
	DO UPDATE SET reads = c.reads + excluded.reads;
	INSERT INTO learning_reads_team AS c (team, reader, restricted_to,
		reads)
	SELECT coalesce(r.owner_team, ''), x.reader, rt, n * count(*)
	FROM review_reads x WHERE x.review_id = r.id
	GROUP BY x.reader
	ON CONFLICT (team, reader, restricted_to)
	DO UPDATE SET reads = c.reads + excluded.reads;
END $$;

CREATE FUNCTION learning_read_trigger() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.review_id = NEW.review_id
		AND OLD.reader = NEW.reader AND OLD.month = NEW.month
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM learning_read(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM learning_read(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER learning_read AFTER INSERT OR UPDATE OR DELETE
	ON review_reads FOR EACH ROW EXECUTE FUNCTION learning_read_trigger();

CREATE FUNCTION learning_review_trigger() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.restricted_to IS NOT DISTINCT FROM NEW.restricted_to
		AND OLD.owner_team IS NOT DISTINCT FROM NEW.owner_team
		AND OLD.id = NEW.id
	THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM learning_review_reads(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM learning_review_reads(NEW, 1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER learning_review AFTER INSERT OR UPDATE OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION learning_review_trigger();
