-- 033_learning_read_counts.sql: the learning page's reads kept as writes
-- happen (issue 17), so that /learning and /api/v1/learning read a row per
-- month (or team) and reader instead of every read, twice a view.
--
-- As in 026, each row is per restricted_to (the review's own text, '[]'
-- for NULL), so that the visibility rule applies to the rows as it does to
-- reviews, and only the reads of live reviews count. The reader is in the
-- key so that the distinct readers of the rows a viewer sees can be
-- counted: a reader is one reader of a month however many groups' rows
-- name it. The triggers keep them in the transaction of the write (a read
-- noted, a review deleted, restored, moved to other groups or teams, an
-- import, a copy); rows that reach zero stay.

-- learning_reads_month: reads per month of the read (YYYYMM, UTC, as
-- review_reads.month), reader and groups.
CREATE TABLE learning_reads_month (
	month INTEGER NOT NULL,
	reader TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	reads INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, reader, restricted_to)
) WITHOUT ROWID;

-- learning_reads_team: reads per owner team of the review read ('' for
-- none), reader and groups.
CREATE TABLE learning_reads_team (
	team TEXT NOT NULL,
	reader TEXT NOT NULL,
	restricted_to TEXT NOT NULL,
	reads INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (team, reader, restricted_to)
) WITHOUT ROWID;

INSERT INTO learning_reads_month (month, reader, restricted_to, reads)
SELECT x.month, x.reader, coalesce(r.restricted_to, '[]'), count(*)
FROM review_reads x JOIN reviews r ON r.id = x.review_id
WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3;

INSERT INTO learning_reads_team (team, reader, restricted_to, reads)
SELECT coalesce(r.owner_team, ''), x.reader, coalesce(r.restricted_to, '[]'),
	count(*)
FROM review_reads x JOIN reviews r ON r.id = x.review_id
WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3;

-- A read counts while its review is live: taken out as it was, put in as
-- it is.
CREATE TRIGGER learning_read_insert AFTER INSERT ON review_reads
BEGIN
	INSERT INTO learning_reads_month (month, reader, restricted_to, reads)
	SELECT NEW.month, NEW.reader, coalesce(r.restricted_to, '[]'), 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
	ON CONFLICT (month, reader, restricted_to)
	DO UPDATE SET reads = reads + 1;
	INSERT INTO learning_reads_team (team, reader, restricted_to, reads)
	SELECT coalesce(r.owner_team, ''), NEW.reader,
		coalesce(r.restricted_to, '[]'), 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
	ON CONFLICT (team, reader, restricted_to)
	DO UPDATE SET reads = reads + 1;
END;

CREATE TRIGGER learning_read_update AFTER UPDATE ON review_reads
WHEN OLD.review_id IS NOT NEW.review_id OR OLD.reader IS NOT NEW.reader
	OR OLD.month IS NOT NEW.month
BEGIN
	UPDATE learning_reads_month SET reads = reads - 1
	WHERE month = OLD.month AND reader = OLD.reader
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	UPDATE learning_reads_team SET reads = reads - 1
	WHERE reader = OLD.reader
		AND (team, restricted_to) = (SELECT coalesce(r.owner_team, ''),
			coalesce(r.restricted_to, '[]') FROM reviews r
			WHERE r.id = OLD.review_id AND r.deleted_at IS NULL);
	INSERT INTO learning_reads_month (month, reader, restricted_to, reads)
	SELECT NEW.month, NEW.reader, coalesce(r.restricted_to, '[]'), 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
	ON CONFLICT (month, reader, restricted_to)
	DO UPDATE SET reads = reads + 1;
	INSERT INTO learning_reads_team (team, reader, restricted_to, reads)
	SELECT coalesce(r.owner_team, ''), NEW.reader,
		coalesce(r.restricted_to, '[]'), 1
	FROM reviews r WHERE r.id = NEW.review_id AND r.deleted_at IS NULL
	ON CONFLICT (team, reader, restricted_to)
	DO UPDATE SET reads = reads + 1;
END;

CREATE TRIGGER learning_read_delete AFTER DELETE ON review_reads
BEGIN
	UPDATE learning_reads_month SET reads = reads - 1
	WHERE month = OLD.month AND reader = OLD.reader
		AND restricted_to = (SELECT coalesce(r.restricted_to, '[]')
			FROM reviews r WHERE r.id = OLD.review_id
			AND r.deleted_at IS NULL);
	UPDATE learning_reads_team SET reads = reads - 1
	WHERE reader = OLD.reader
		AND (team, restricted_to) = (SELECT coalesce(r.owner_team, ''),
			coalesce(r.restricted_to, '[]') FROM reviews r
			WHERE r.id = OLD.review_id AND r.deleted_at IS NULL);
END;

-- A review inserted (after its reads, as a copy may), deleted, restored,
-- moved to other groups or another team, or removed moves its reads'
-- rows with it.
CREATE TRIGGER learning_review_insert AFTER INSERT ON reviews
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO learning_reads_month (month, reader, restricted_to, reads)
	SELECT x.month, x.reader, coalesce(NEW.restricted_to, '[]'), count(*)
	FROM review_reads x WHERE x.review_id = NEW.id
	GROUP BY 1, 2
	ON CONFLICT (month, reader, restricted_to)
	DO UPDATE SET reads = reads + excluded.reads;
	INSERT INTO learning_reads_team (team, reader, restricted_to, reads)
	SELECT coalesce(NEW.owner_team, ''), x.reader,
		coalesce(NEW.restricted_to, '[]'), count(*)
	FROM review_reads x WHERE x.review_id = NEW.id
	GROUP BY 1, 2
	ON CONFLICT (team, reader, restricted_to)
	DO UPDATE SET reads = reads + excluded.reads;
END;

CREATE TRIGGER learning_review_update AFTER UPDATE ON reviews
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
	OR OLD.restricted_to IS NOT NEW.restricted_to
	OR OLD.owner_team IS NOT NEW.owner_team
	OR OLD.id IS NOT NEW.id
BEGIN
	INSERT INTO learning_reads_month (month, reader, restricted_to, reads)
	SELECT m, rd, rt, sum(n) FROM (
		SELECT x.month AS m, x.reader AS rd,
			coalesce(OLD.restricted_to, '[]') AS rt, -1 AS n
		FROM review_reads x WHERE x.review_id = OLD.id
			AND OLD.deleted_at IS NULL
		UNION ALL
		SELECT x.month, x.reader, coalesce(NEW.restricted_to, '[]'), 1
		FROM review_reads x WHERE x.review_id = NEW.id
			AND NEW.deleted_at IS NULL) u
	WHERE true GROUP BY 1, 2, 3
	ON CONFLICT (month, reader, restricted_to)
	DO UPDATE SET reads = reads + excluded.reads;
	INSERT INTO learning_reads_team (team, reader, restricted_to, reads)
	SELECT tm, rd, rt, sum(n) FROM (
		SELECT coalesce(OLD.owner_team, '') AS tm, x.reader AS rd,
			coalesce(OLD.restricted_to, '[]') AS rt, -1 AS n
		FROM review_reads x WHERE x.review_id = OLD.id
			AND OLD.deleted_at IS NULL
		UNION ALL
		SELECT coalesce(NEW.owner_team, ''), x.reader,
			coalesce(NEW.restricted_to, '[]'), 1
		FROM review_reads x WHERE x.review_id = NEW.id
			AND NEW.deleted_at IS NULL) u
	WHERE true GROUP BY 1, 2, 3
	ON CONFLICT (team, reader, restricted_to)
	DO UPDATE SET reads = reads + excluded.reads;
END;

CREATE TRIGGER learning_review_delete AFTER DELETE ON reviews
WHEN OLD.deleted_at IS NULL
BEGIN
	UPDATE learning_reads_month SET reads = reads - (SELECT count(*)
		FROM review_reads x WHERE x.review_id = OLD.id
		AND x.month = learning_reads_month.month
		AND x.reader = learning_reads_month.reader)
	WHERE restricted_to = coalesce(OLD.restricted_to, '[]')
		AND (month, reader) IN (SELECT x.month, x.reader
			FROM review_reads x WHERE x.review_id = OLD.id);
	UPDATE learning_reads_team SET reads = reads - (SELECT count(*)
		FROM review_reads x WHERE x.review_id = OLD.id
		AND x.reader = learning_reads_team.reader)
	WHERE team = coalesce(OLD.owner_team, '')
		AND restricted_to = coalesce(OLD.restricted_to, '[]')
		AND reader IN (SELECT x.reader FROM review_reads x
			WHERE x.review_id = OLD.id);
END;
