-- 005_settings.sql: small values of the installation that every server of
-- the database must agree on, such as the secret that keys CSRF tokens.

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
