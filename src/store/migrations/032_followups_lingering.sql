-- 032_followups_lingering.sql: the index page's note of lingering
-- follow-ups (web_lingering_note) counts them from indexes alone
-- (issue 21). followups_open (002) gave each review's open follow-ups but
-- not their due date and last change, so the count read every open
-- follow-up's wide row (its description): about 0.5 s of CPU at 100,000
-- reviews, for any viewer, once a minute per set of groups (the note's
-- cache). With due and updated_at in the index the count reads this index
-- and reviews_by_id (006), both in review id order, and a row only of the
-- tickets linked (tickets_followup). The index keeps the columns
-- followups_open had first, in their order, for the maintained counts'
-- triggers (006, 026).
DROP INDEX followups_open;
CREATE INDEX followups_open ON followups (review_id, deleted_at, status, due,
	updated_at);
