-- 003_accounts.sql: who may ask. Users with a role and groups; sessions and
-- API tokens stored only as hashes (a copy of the database hands out no
-- sessions); an audit trail of sign-ins and permission changes.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
	groups TEXT NOT NULL DEFAULT '[]',  -- a JSON list of group names
	password_hash TEXT NOT NULL DEFAULT '', -- '': cannot sign in by password
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,           -- hex BLAKE2b of the cookie value
	user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	expires INTEGER NOT NULL            -- absolute end
);
CREATE INDEX sessions_user ON sessions (user);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	hash TEXT NOT NULL UNIQUE,          -- hex BLAKE2b of the token
	user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER,
	last_used INTEGER
);

CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);
