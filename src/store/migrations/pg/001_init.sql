-- pg/001_init.sql: PostgreSQL's 001. The tables are 001_init.sql's (see
-- there), with PostgreSQL's types: ids are identity columns, integers
-- BIGINT. First, SQLite's functions that the store's SQL uses, so that
-- the store keeps one text of each query (db_pg.c turns char() into
-- chr(), group_concat() into string_agg() and json_object() into
-- json_build_object() itself).

-- SQLite's NOCASE: equal when equal but for case (ICU, level 2).
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2',
	deterministic = false);

-- SQLite's JSON functions over JSON kept as TEXT, as far as the store
-- uses them. sqlite_json_type names a value's type as SQLite does
-- ('text', 'integer', 'real', 'true', 'false', 'null', 'array',
-- 'object'); sqlite_json_path follows a path of SQLite's '$' or
-- '$.name.name' (no array subscripts), NULL where there is nothing.
CREATE FUNCTION sqlite_json_type(j json) RETURNS text IMMUTABLE
	LANGUAGE sql AS $$
	SELECT CASE json_typeof(j)
		WHEN 'string' THEN 'text'
		WHEN 'number' THEN CASE WHEN j::text ~ '^-?[0-9]+$'
			THEN 'integer' ELSE 'real' END
		WHEN 'boolean' THEN j::text
		ELSE json_typeof(j) END $$;
CREATE FUNCTION sqlite_json_path(t text, path text) RETURNS json IMMUTABLE
	LANGUAGE sql AS $$
	SELECT CASE WHEN path = '$' THEN t::json
		WHEN left(path, 2) = '$.' THEN
			t::json #> string_to_array(substr(path, 3), '.')
		END $$;

-- json_each: the elements of an array with their positions, or the
-- members of an object (key: the member's position, where SQLite gives
-- its name; the store only counts them), with their text (a string
-- unquoted) and type.
CREATE FUNCTION json_each(t text)
	RETURNS TABLE (key integer, value text, type text)
	IMMUTABLE LANGUAGE sql AS $$
	SELECT (e.ordinality - 1)::integer, e.value #>> '{}',
		sqlite_json_type(e.value)
	FROM json_array_elements(CASE WHEN
		json_typeof(coalesce(t, '[]')::json) = 'array'
		THEN t::json ELSE '[]' END)
		WITH ORDINALITY AS e(value, ordinality)
	UNION ALL
	SELECT (e.ordinality - 1)::integer, e.value #>> '{}',
		sqlite_json_type(e.value)
	FROM pg_catalog.json_each(CASE WHEN json_typeof(t::json) = 'object'
		THEN t::json ELSE '{}' END)
		WITH ORDINALITY AS e(name, value, ordinality) $$;

-- json_valid; json_type of the value as a whole or at a path; and
-- json_extract at a path: a string unquoted, an array or object as JSON
-- text, a number as its text, true and false as 1 and 0, null as NULL
-- (always text, where SQLite gives each its own type: the store casts).
CREATE FUNCTION json_valid(t text) RETURNS boolean IMMUTABLE
	LANGUAGE plpgsql AS $$
BEGIN
	PERFORM t::json;
	RETURN t IS NOT NULL;
EXCEPTION WHEN others THEN
	RETURN false;
END $$;
CREATE FUNCTION json_type(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$
	SELECT sqlite_json_type(t::json) $$;
CREATE FUNCTION json_type(t text, path text) RETURNS text IMMUTABLE
	LANGUAGE sql AS $$
	SELECT sqlite_json_type(sqlite_json_path(t, path)) $$;
CREATE FUNCTION json_extract(t text, path text) RETURNS text IMMUTABLE
	LANGUAGE sql AS $$
	SELECT CASE json_typeof(j) WHEN 'null' THEN NULL
		WHEN 'string' THEN j #>> '{}'
		WHEN 'boolean' THEN CASE WHEN j::text = 'true' THEN '1'
			ELSE '0' END
		ELSE j::text END
	FROM sqlite_json_path(t, path) AS j $$;

-- json_group_array over JSON values (json(x) is a cast here): the array
-- of them in the order given, [] for none. json_object(k, v, ...) is
-- json_build_object, written so by the driver (db_pg.c).
CREATE AGGREGATE json_group_array(json) (SFUNC = array_append,
	STYPE = json[], INITCOND = '{}', FINALFUNC = array_to_json);

-- fts5_query turns the store's FTS5 queries into a tsquery, stemmed as
-- the index is: terms "a b" (a phrase) or "a"* (a prefix), side by side
-- (all required), OR, NOT and parentheses, as fts_query
-- (sqlite_list_sql.c) and store_search_fts (sqlite_search.c) write them.
-- The driver writes "review_fts MATCH ?1" as "review_fts.tsv @@
-- fts5_query($1)" (db_pg.c). Every term reaches the built expression
-- through format's %L, quoted.
CREATE FUNCTION fts5_query(q text) RETURNS tsquery IMMUTABLE
	LANGUAGE plpgsql AS $$
DECLARE
	m text[];
	tok text;
	expr text := '';
	need_and boolean := false;
	words text;
	r tsquery;
BEGIN
	FOR m IN SELECT regexp_matches(coalesce(q, ''),
		'\(|\)|"(?:[^"]|"")*"\*?|\mOR\M|\mNOT\M|\mAND\M', 'g') LOOP
		tok := m[1];
		IF tok = '(' THEN
			IF need_and THEN
				expr := expr || ' && ';
			END IF;
			expr := expr || '(';
			need_and := false;
		ELSIF tok = ')' THEN
			expr := expr || ')';
			need_and := true;
		ELSIF tok = 'OR' THEN
			expr := expr || ' || ';
			need_and := false;
		ELSIF tok = 'NOT' THEN
			expr := expr || ' && !! ';
			need_and := false;
		ELSIF tok = 'AND' THEN
			expr := expr || ' && ';
			need_and := false;
		ELSE
			IF need_and THEN
				expr := expr || ' && ';
			END IF;
			IF right(tok, 1) = '*' THEN
				words := replace(substr(tok, 2, length(tok) - 3),
					'""', '"');
				expr := expr || format('to_tsquery(%L, %L)',
					'english', (SELECT string_agg(
						quote_literal(w), ' <-> ')
					FROM regexp_split_to_table(words, '\s+') w
					WHERE w <> '') || ':*');
			ELSE
				words := replace(substr(tok, 2, length(tok) - 2),
					'""', '"');
				expr := expr || format('phraseto_tsquery(%L, %L)',
					'english', words);
			END IF;
			need_and := true;
		END IF;
	END LOOP;
	IF expr = '' THEN
		RETURN ''::tsquery;
	END IF;
	EXECUTE 'SELECT ' || expr INTO r;
	RETURN coalesce(r, ''::tsquery);
END $$;

-- strftime(format, seconds, 'unixepoch') for the formats the store uses
-- (%Y, %m, %d, %H, %M, %S), in UTC.
CREATE FUNCTION strftime(fmt text, t bigint, modifier text) RETURNS text
	IMMUTABLE LANGUAGE sql AS $$
	SELECT CASE WHEN t IS NULL THEN NULL ELSE to_char(
		to_timestamp(t) AT TIME ZONE 'UTC',
		replace(replace(replace(replace(replace(replace(fmt,
			'%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD'), '%H', 'HH24'),
			'%M', 'MI'), '%S', 'SS')) END $$;

-- 001_init.sql: reviews, their children, revisions and the search index.
-- Column names are the field names of the record_def tables in
-- src/model/review.c: FT_TIME, FT_INT and FT_BOOL are BIGINT (times in
-- seconds since the epoch, UTC), FT_LIST is a JSON array as TEXT, the rest
-- TEXT. Every record has id, version, created_at, updated_at and deleted_at
-- (NULL while live: deletes are soft). NOT NULL only where the model says
-- F_REQUIRED.

CREATE TABLE reviews (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	severity BIGINT,
	status TEXT NOT NULL,
	started_at BIGINT,
	detected_at BIGINT,
	first_status_at BIGINT,
	mitigated_at BIGINT,
	resolved_at BIGINT,
	tldr TEXT,
	summary TEXT,
	impact TEXT,
	resolution TEXT,
	surprising TEXT,
	difficult TEXT,
	open_questions TEXT,
	went_well TEXT,
	went_poorly TEXT,
	data_sources TEXT,
	services TEXT,
	owner_team TEXT,
	impact_type TEXT,
	problem_type TEXT
);
CREATE INDEX reviews_newest ON reviews (coalesce(started_at, created_at) DESC, id DESC);

CREATE TABLE timeline_entries (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	at BIGINT NOT NULL,
	approximate BIGINT,
	kind TEXT NOT NULL,
	actor TEXT,
	text TEXT NOT NULL,
	source TEXT,
	context TEXT,
	perspective TEXT,
	disputed BIGINT
);
CREATE INDEX timeline_entries_review ON timeline_entries (review_id, at);

CREATE TABLE followups (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	title TEXT NOT NULL,
	description TEXT,
	owner TEXT,
	horizon TEXT NOT NULL,
	aim TEXT,
	status TEXT NOT NULL,
	due TEXT,
	ticket TEXT
);
CREATE INDEX followups_review ON followups (review_id);

CREATE TABLE factors (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	text TEXT NOT NULL,
	kind TEXT NOT NULL,
	description TEXT
);
CREATE INDEX factors_review ON factors (review_id);

CREATE TABLE people (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	name TEXT NOT NULL,
	role TEXT NOT NULL
);
CREATE INDEX people_review ON people (review_id);

CREATE TABLE links (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	url TEXT NOT NULL,
	kind TEXT NOT NULL,
	comment TEXT
);
CREATE INDEX links_review ON links (review_id);

-- A tag is on a review at most once while live.
CREATE TABLE tags (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	version BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	name TEXT NOT NULL
);
CREATE UNIQUE INDEX tags_live_name ON tags (review_id, name)
	WHERE deleted_at IS NULL;
CREATE INDEX tags_name ON tags (name);

-- What one write did to one record; changes is [{field, old, new}].
CREATE TABLE revisions (
	id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	record_kind TEXT NOT NULL,
	record_id BIGINT NOT NULL,
	action TEXT NOT NULL,
	actor TEXT NOT NULL,
	at BIGINT NOT NULL,
	review_version BIGINT NOT NULL,
	changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX revisions_review ON revisions (review_id, id);

-- Full-text search over a review's title and the text of the review, its
-- timeline, follow-ups and contributing factors; rowid is the review's id,
-- as in SQLite's FTS5 table of the same name. The store rewrites a
-- review's row after every write that touches it; the weighted tsvector
-- follows by itself.
CREATE TABLE review_fts (
	rowid BIGINT PRIMARY KEY,
	title TEXT,
	body TEXT,
	tsv tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
		setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED
);
CREATE INDEX review_fts_tsv ON review_fts USING gin (tsv);
