-- 032_followups_lingering.sql: the index page's note of lingering
-- follow-ups (web_lingering_note) counts them from indexes alone
-- (issue 21). followups_open (002) gave each review's open follow-ups but
-- not their due date and last change, so the count read every open
-- follow-up's wide row (its description): 0.55 s of CPU at 100,000
-- reviews, for any viewer, once a minute per viewer (the note's cache).
-- With due and updated_at in the index the count walks reviews_times and
-- this index, and reads a row only of the tickets linked (tickets_followup).
-- The index keeps the columns followups_open had first, in its order, for
-- the maintained counts' triggers (006, 026).
DROP INDEX followups_open;
CREATE INDEX followups_open ON followups (review_id, deleted_at, status, due,
	updated_at);
