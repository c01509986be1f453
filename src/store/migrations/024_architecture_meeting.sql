-- 024_architecture_meeting.sql: an architecture review's meeting is the
-- meeting record (011, model/meeting.c), as for every other kind, no longer
-- three fields of its own (meeting_date, meeting_place, attendees of 012).
-- What those fields hold moves, so that nothing is lost:
--  - a review with a meeting date and no live meeting gets a meeting on
--    that day, 09:00-10:00 UTC (no time of day was recorded, and its agenda
--    says so), at the place, with the attendees invited; a day already past
--    is a meeting held, attended by them;
--  - what cannot become a meeting (no or no valid date, or the review has a
--    meeting already) is added to the end of the review's notes.
-- The three columns are then emptied; nothing reads them any more.

UPDATE reviews
SET notes = coalesce(notes || char(10) || char(10), '') ||
	'Meeting (before meetings were records):' ||
	coalesce(char(10) || '- date: ' || meeting_date, '') ||
	coalesce(char(10) || '- place: ' || meeting_place, '') ||
	coalesce(char(10) || '- attendees: ' ||
		 (SELECT group_concat(value, ', ') FROM json_each(attendees)
		  WHERE json_valid(attendees)),
		 '')
WHERE kind = 'architecture'
	AND (meeting_date IS NOT NULL OR meeting_place IS NOT NULL OR
	     (attendees IS NOT NULL AND attendees <> '[]'))
	AND (meeting_date IS NULL OR strftime('%s', meeting_date) IS NULL OR
	     EXISTS (SELECT 1 FROM meetings m
		     WHERE m.review_id = reviews.id AND m.deleted_at IS NULL));

INSERT INTO meetings (review_id, version, created_at, updated_at, start,
		      "end", timezone, location, invitees, agenda, status,
		      attended, facilitator_wanted)
SELECT id, 1, updated_at, updated_at,
	CAST(strftime('%s', meeting_date || ' 09:00:00') AS INTEGER),
	CAST(strftime('%s', meeting_date || ' 10:00:00') AS INTEGER),
	'UTC', meeting_place,
	CASE WHEN json_valid(attendees) THEN attendees ELSE '[]' END,
	'Moved from the review''s meeting date: no time of day was recorded.',
	CASE WHEN meeting_date < date('now') THEN 'held' ELSE 'scheduled' END,
	CASE WHEN meeting_date < date('now') AND json_valid(attendees)
	     THEN attendees ELSE '[]' END,
	0
FROM reviews
WHERE kind = 'architecture' AND meeting_date IS NOT NULL
	AND strftime('%s', meeting_date) IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM meetings m
			WHERE m.review_id = reviews.id AND m.deleted_at IS NULL);

UPDATE reviews SET meeting_date = NULL, meeting_place = NULL, attendees = NULL
WHERE meeting_date IS NOT NULL OR meeting_place IS NOT NULL OR
	attendees IS NOT NULL;
