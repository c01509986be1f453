-- pg/036_search_part_lengths.sql: a review's search row without a second
-- copy of its text, and compressed with lz4 (issue 20). The rewrite of
-- review_fts after a write was most of a PATCH's PostgreSQL CPU, and the
-- largest part of it was TOAST compressing the row's four large values
-- again (body, tsv, parts, part_tsv: pglz, some 12 KB a review). parts
-- (034) held the same text as body; each part is now only its length
-- (part_len), and the old parts are cut from body when the trigger
-- compares them. The store still writes parts (the new text of each
-- part); the trigger reads them and stores NULL. A row whose title and
-- parts did not change is not written at all (the trigger returns NULL;
-- the store's statement no longer compares parts itself). The columns
-- left compress with lz4, several times faster than pglz (PostgreSQL 14
-- and later, built with lz4 as Debian's is; else pglz stays); existing
-- values keep pglz until rewritten.

ALTER TABLE review_fts ADD COLUMN part_len int[];

CREATE OR REPLACE FUNCTION review_fts_parts() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	parts text[] := NEW.parts;
	old_body bytea;
	old_parts bytea[] := '{}';
	old_tsv tsvector[];
	keep boolean[] := '{}';
	tsvs tsvector[] := '{}';
	lens int[] := '{}';
	body tsvector := '';
	t tsvector;
	n int;
	pos int := 1;
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.part_len IS NOT NULL THEN
		-- the old parts, cut from body by their lengths in bytes (a
		-- substr of the text counts characters from its start each time)
		old_body := convert_to(coalesce(OLD.body, ''), 'UTF8');
		FOREACH n IN ARRAY OLD.part_len LOOP
			old_parts := old_parts || substring(old_body FROM pos FOR n);
			pos := pos + n + 1;
		END LOOP;
		IF parts IS NULL THEN
			parts := ARRAY(SELECT convert_from(p, 'UTF8') FROM
				unnest(old_parts) WITH ORDINALITY AS u(p, k) ORDER BY k);
		END IF;
		n := coalesce(array_length(parts, 1), 0);
		IF coalesce(array_length(old_parts, 1), 0) = n AND
		   coalesce(array_length(OLD.part_tsv, 1), 0) = n THEN
			old_tsv := OLD.part_tsv;
			FOR i IN 1 .. n LOOP
				keep := keep || (old_parts[i] =
					convert_to(coalesce(parts[i], ''), 'UTF8'));
			END LOOP;
			IF NEW.title IS NOT DISTINCT FROM OLD.title AND
			   false <> ALL (keep) THEN
				RETURN NULL;
			END IF;
		END IF;
	END IF;
	parts := coalesce(parts, ARRAY[coalesce(NEW.body, '')]);
	n := coalesce(array_length(parts, 1), 0);
	FOR i IN 1 .. n LOOP
		IF keep[i] THEN
			t := old_tsv[i];
		ELSIF coalesce(parts[i], '') = '' THEN
			t := '';
		ELSE
			t := to_tsvector('english', parts[i]);
		END IF;
		tsvs := tsvs || t;
		lens := lens || coalesce(octet_length(parts[i]), 0);
		IF t <> '' THEN
			body := body || t;
		END IF;
	END LOOP;
	NEW.parts := NULL;
	NEW.part_len := lens;
	NEW.body := array_to_string(parts, chr(10), '');
	NEW.part_tsv := tsvs;
	NEW.tsv := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
		   setweight(body, 'B');
	RETURN NEW;
END $$;

-- the rows there: lengths from the parts they hold, and the parts dropped
-- (the trigger is off for it: nothing else changes)
ALTER TABLE review_fts DISABLE TRIGGER review_fts_parts;
UPDATE review_fts SET part_len = ARRAY(SELECT coalesce(octet_length(p), 0)
	FROM unnest(parts) WITH ORDINALITY AS u(p, i) ORDER BY i),
	parts = NULL
	WHERE parts IS NOT NULL;
ALTER TABLE review_fts ENABLE TRIGGER review_fts_parts;

-- lz4 where this PostgreSQL was built with it (else pglz, as before)
DO $$
BEGIN
	ALTER TABLE review_fts ALTER COLUMN body SET COMPRESSION lz4,
		ALTER COLUMN tsv SET COMPRESSION lz4,
		ALTER COLUMN part_tsv SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END $$;
