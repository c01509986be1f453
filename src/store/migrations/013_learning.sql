-- 013_learning.sql: learning across reviews (issue 17).
--
-- factors_key: contributing factors by their key (model/factor_key.h:
-- ASCII letters lowered, whitespace runs made one space, the ends
-- trimmed), so that "seen in N other reviews", related reviews and the
-- recurring factors of the trends read this index and never the rows.
-- The expression must stay byte for byte FACTOR_KEY_SQL("text"): SQLite
-- uses an index on an expression only for the same expression.
CREATE INDEX factors_key ON factors (lower(trim(replace(replace(replace(replace(replace(replace(text, char(9), ' '), char(10), ' '), char(13), ' '), ' ', char(1) || char(2)), char(2) || char(1), ''), char(1) || char(2), ' '))), review_id)
	WHERE deleted_at IS NULL;

-- reviews_month_day: "on this day", the live reviews that started on a
-- month and day (UTC), without reading every review.
CREATE INDEX reviews_month_day ON reviews
	(strftime('%m-%d', started_at, 'unixepoch'), started_at, id)
	WHERE deleted_at IS NULL;

-- reviews_times: what the trends read of every live review (its month,
-- kind, severity, the times to detect, mitigate and resolve, who may
-- see it), without the wide rows and their markdown.
CREATE INDEX reviews_times ON reviews (deleted_at, started_at,
	detected_at, mitigated_at, resolved_at, created_at, kind, severity,
	restricted_to);

-- followups_trend: follow-ups opened and done per month and their age.
CREATE INDEX followups_trend ON followups (deleted_at, review_id,
	created_at, status, updated_at);
