-- pg/044_search_parts_sent.sql: a write sends its review's search row only
-- the parts it changed (issue 20). The store's update of review_fts sent
-- every part (37: each searched field, each kind of child's text, 15 of
-- them a subquery over a child table), and the trigger cut each old part
-- from body and compared it with the new: per PATCH of one field, 0.61 ms
-- of the 1.1 ms PostgreSQL spent in statements was the search row. The
-- store knows what a write changed and now sends NULL for every other
-- part; NULL in parts is the part the row holds (its text cut from body,
-- its tsvector from part_tsv, not compared, not parsed). The store sends
-- every part where the row's parts are not today's (part_len of another
-- length: a later migration that changes the body's layout), so a NULL
-- always has its old part; where there is none it reads as '' (an
-- insert). body is put together as bytes, converted once.

CREATE OR REPLACE FUNCTION review_fts_parts() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	parts text[] := NEW.parts;
	old_body bytea;
	new_body bytea := '';
	seg bytea;
	sent bytea;
	old_len int[];
	old_tsv tsvector[];
	tsvs tsvector[] := '{}';
	lens int[] := '{}';
	body tsvector := '';
	t tsvector;
	n int := coalesce(array_length(NEW.parts, 1), 0);
	pos int := 1;
	same boolean;
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.part_len IS NOT NULL THEN
		old_len := OLD.part_len;
		old_tsv := OLD.part_tsv;
		IF parts IS NULL THEN /* no parts sent: each is the old one */
			n := coalesce(array_length(old_len, 1), 0);
			parts := array_fill(NULL::text, ARRAY[n]);
		END IF;
	END IF;
	IF n > 0 AND coalesce(array_length(old_len, 1), 0) = n AND
	   coalesce(array_length(old_tsv, 1), 0) = n THEN
		old_body := convert_to(coalesce(OLD.body, ''), 'UTF8');
		same := NEW.title IS NOT DISTINCT FROM OLD.title;
		FOR i IN 1 .. n LOOP
			-- the old part, cut from body by its length in bytes
			seg := substring(old_body FROM pos FOR old_len[i]);
			pos := pos + old_len[i] + 1;
			IF parts[i] IS NULL THEN
				sent := seg;
				t := old_tsv[i];
			ELSE
				sent := convert_to(parts[i], 'UTF8');
				IF sent = seg THEN
					t := old_tsv[i];
				ELSE
					same := false;
					t := CASE WHEN parts[i] = '' THEN ''
						ELSE to_tsvector('english', parts[i]) END;
				END IF;
			END IF;
			new_body := new_body ||
				CASE WHEN i > 1 THEN '\x0a'::bytea ELSE '' END || sent;
			tsvs := tsvs || t;
			lens := lens || octet_length(sent);
			IF t <> '' THEN
				body := body || t;
			END IF;
		END LOOP;
		IF same THEN
			RETURN NULL;
		END IF;
		NEW.body := convert_from(new_body, 'UTF8');
	ELSE
		parts := coalesce(parts, ARRAY[coalesce(NEW.body, '')]);
		n := coalesce(array_length(parts, 1), 0);
		FOR i IN 1 .. n LOOP
			IF coalesce(parts[i], '') = '' THEN
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
		NEW.body := array_to_string(parts, chr(10), '');
	END IF;
	NEW.parts := NULL;
	NEW.part_len := lens;
	NEW.part_tsv := tsvs;
	NEW.tsv := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
		   setweight(body, 'B');
	RETURN NEW;
END $$;
