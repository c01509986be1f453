-- pg/041_write_triggers.sql: a review's update fires only the triggers of
-- what it changed (issue 20). Four row triggers on reviews keep counts
-- (review_counts 006, trend_review 026, learning_review 033,
-- linger_review 037); a PATCH of a review's text changes none of the
-- columns they count by, but each was still queued as an after-trigger
-- event and ran its PL/pgSQL function to find that out, at every update.
-- Each is now two triggers on the same function: the inserts and deletes
-- as before, and the updates under a WHEN that is the function's own test
-- (true where the function would do something), checked by the executor
-- before it queues anything. The functions keep their tests; the counts
-- they keep are the same. (A WHEN cannot name OLD on an insert, hence the
-- split.) Triggers of one event fire in the order of their names, and
-- these four write different tables, so their order does not matter.
--
-- And reviews keeps room in its pages (fillfactor 70; the default fills
-- them): a row is about 2 KB, and an update whose new version does not fit
-- on the row's page also writes an entry in each of the table's seven
-- indexes, one of them computed by a SQL function (reviews_month_day).
-- That was three quarters of the update's CPU, and half the updates of a
-- PATCH load did it; with room, the new version stays on the page and
-- no index is touched (a HOT update: none of the indexed columns changed).
-- Existing pages keep their rows; a row moved by an update lands on a page
-- with room, so the table gets there as it is written.

DROP TRIGGER review_counts ON reviews;
CREATE TRIGGER review_counts AFTER INSERT OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION review_counts();
CREATE TRIGGER review_counts_update AFTER UPDATE ON reviews
	FOR EACH ROW WHEN (((OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.kind = NEW.kind AND OLD.status = NEW.status
		AND coalesce(OLD.severity, 0) = coalesce(NEW.severity, 0)
		AND coalesce(OLD.restricted_to, '[]')
			= coalesce(NEW.restricted_to, '[]')) IS NOT TRUE)
	EXECUTE FUNCTION review_counts();

DROP TRIGGER trend_review ON reviews;
CREATE TRIGGER trend_review AFTER INSERT OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION trend_review_trigger();
CREATE TRIGGER trend_review_update AFTER UPDATE ON reviews
	FOR EACH ROW WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
		OR OLD.kind IS DISTINCT FROM NEW.kind
		OR OLD.severity IS DISTINCT FROM NEW.severity
		OR OLD.started_at IS DISTINCT FROM NEW.started_at
		OR OLD.created_at IS DISTINCT FROM NEW.created_at
		OR OLD.services IS DISTINCT FROM NEW.services
		OR OLD.restricted_to IS DISTINCT FROM NEW.restricted_to)
	EXECUTE FUNCTION trend_review_trigger();

DROP TRIGGER learning_review ON reviews;
CREATE TRIGGER learning_review AFTER INSERT OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION learning_review_trigger();
CREATE TRIGGER learning_review_update AFTER UPDATE ON reviews
	FOR EACH ROW WHEN (((OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND OLD.restricted_to IS NOT DISTINCT FROM NEW.restricted_to
		AND OLD.owner_team IS NOT DISTINCT FROM NEW.owner_team
		AND OLD.id = NEW.id) IS NOT TRUE)
	EXECUTE FUNCTION learning_review_trigger();

DROP TRIGGER linger_review ON reviews;
CREATE TRIGGER linger_review AFTER DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION linger_review_trigger();
CREATE TRIGGER linger_review_update AFTER UPDATE ON reviews
	FOR EACH ROW WHEN (((OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
		AND coalesce(OLD.restricted_to, '[]')
			= coalesce(NEW.restricted_to, '[]')) IS NOT TRUE)
	EXECUTE FUNCTION linger_review_trigger();

ALTER TABLE reviews SET (fillfactor = 70);
