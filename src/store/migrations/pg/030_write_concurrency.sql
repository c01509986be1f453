-- pg/030_write_concurrency.sql: PostgreSQL's 030. Writes no longer take a
-- global lock (issue 20): a write locks its review's row and what it
-- changes, and writes of different reviews run at once, on every server.
-- The generation (002) is one row that every write to a review bumps: bumped
-- by a trigger at the write, its row lock was held to the commit and made
-- every writer wait for the one before. The trigger is now deferred to the
-- commit, where it runs last, once per transaction (a transaction-local
-- setting says it ran): the row is held only while the commit is written.
-- Readers still see the new value and the write together, or neither.

DROP TRIGGER reviews_generation ON reviews;

CREATE OR REPLACE FUNCTION reviews_generation() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('debrief.generation_bumped', true)
		IS DISTINCT FROM '1' THEN
		UPDATE generation SET value = value + 1 WHERE id = 1;
		PERFORM set_config('debrief.generation_bumped', '1', true);
	END IF;
	RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER reviews_generation AFTER INSERT OR UPDATE ON reviews
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION reviews_generation();
