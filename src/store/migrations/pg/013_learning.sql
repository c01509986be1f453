-- pg/013_learning.sql: PostgreSQL's 013 (chr for char); see 013_learning.sql.
-- 013_learning.sql: learning across reviews (issue 17).
--
-- factors_key: contributing factors by their key (model/factor_key.h:
-- ASCII letters lowered, whitespace runs made one space, the ends
-- trimmed), so that "seen in N other reviews", related reviews and the
-- recurring factors of the trends read this index and never the rows.
-- The expression must stay byte for byte FACTOR_KEY_SQL("text"): SQLite
-- uses an index on an expression only for the same expression.
CREATE INDEX factors_key ON factors (lower(trim(replace(replace(replace(replace(replace(replace(text, chr(9), ' '), chr(10), ' '), chr(13), ' '), ' ', chr(1) || chr(2)), chr(2) || chr(1), ''), chr(1) || chr(2), ' '))), review_id)
	WHERE deleted_at IS NULL;

-- reviews_month_day: "on this day", the live reviews that started on a
-- month and day (UTC), without reading every review.
-- id comes before started_at so that SQLite, with statistics, never
-- takes this index (skipping over its few hundred days) for a list's
-- started_at range; a day's few reviews are sorted after.
CREATE INDEX reviews_month_day ON reviews
	(strftime('%m-%d', started_at, 'unixepoch'), id, started_at,
	restricted_to)
	WHERE deleted_at IS NULL;

-- reviews_times: what the trends read of every live review (its month,
-- kind, severity, the times to detect, mitigate and resolve, who may
-- see it), without the wide rows and their markdown. The times come
-- after kind, severity and restricted_to so that a list's range on
-- started_at keeps walking reviews_list (006) in its order: with
-- started_at second, SQLite took this index for a from/to filter and
-- sorted the page in memory (test_store_scale's plan checks). status
-- and services make it cover a list's counts too, which SQLite may read
-- from it.
CREATE INDEX reviews_times ON reviews (deleted_at, kind, severity,
	restricted_to, started_at, detected_at, mitigated_at, resolved_at,
	created_at, status, services);

-- followups_trend: follow-ups opened and done per month and their age.
CREATE INDEX followups_trend ON followups (deleted_at, review_id,
	created_at, status, updated_at);
