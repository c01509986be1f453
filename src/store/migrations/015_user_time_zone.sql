-- 015_user_time_zone.sql: the time zone a person reads and types times
-- in (a tz database name such as Europe/Berlin); '' follows the
-- configuration's time_zone. Times are stored in UTC whatever it says.

ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
