-- pg/002_generation.sql: PostgreSQL's 002 (see 002_generation.sql): the
-- counter of committed review writes, kept by a trigger.

CREATE TABLE generation (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 1);

CREATE FUNCTION reviews_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE generation SET value = value + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER reviews_generation AFTER INSERT OR UPDATE ON reviews
	FOR EACH ROW EXECUTE FUNCTION reviews_generation();

CREATE INDEX reviews_facets ON reviews (deleted_at, kind, status, severity);
CREATE INDEX followups_open ON followups (review_id, deleted_at, status);
