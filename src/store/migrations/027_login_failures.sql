-- 027_login_failures.sql: the login rate limit (http/auth.c) in the
-- database, so that it holds across every server of the database: failed
-- sign-ins in the current window per account and per client address, and
-- the checks in progress (reserved before the password hash is computed).
-- A row whose window is over is deleted; a check left pending by a server
-- that died goes with its window.

CREATE TABLE login_failures (
	kind TEXT NOT NULL CHECK (kind IN ('user', 'addr')),
	name TEXT NOT NULL,                 -- an account name or an address
	start INTEGER NOT NULL,             -- the window's start (Unix seconds)
	failures INTEGER NOT NULL DEFAULT 0,
	pending INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, name)
);
CREATE INDEX login_failures_start ON login_failures (start);
