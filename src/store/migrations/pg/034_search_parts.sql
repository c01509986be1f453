-- pg/034_search_parts.sql: PostgreSQL's 034. The store rewrites a review's
-- search row (review_fts) after every write that touches the review, and
-- the tsvector generated from the whole body (001) was parsed again each
-- time: about 3 KB of text, most of a write's CPU on PostgreSQL (issue 20).
-- The store now writes the body's parts (parts: each text field of the
-- review, then each kind of child's text, in the body's order), and a
-- trigger makes body (the parts, a line between each) and tsv from them,
-- keeping each part's tsvector (part_tsv): an update parses only the parts
-- that changed and reuses the others; an insert parses them all. tsv has
-- the same lexemes and weights as before; a position after a part that
-- ends in stop words is smaller (each part's positions follow the last
-- word kept of the parts before it).

ALTER TABLE review_fts ALTER COLUMN tsv DROP EXPRESSION;
ALTER TABLE review_fts ADD COLUMN parts text[];
ALTER TABLE review_fts ADD COLUMN part_tsv tsvector[];

CREATE FUNCTION review_fts_parts() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	parts text[] := coalesce(NEW.parts, ARRAY[coalesce(NEW.body, '')]);
	old_parts text[];
	old_tsv tsvector[];
	tsvs tsvector[] := '{}';
	body tsvector := '';
	t tsvector;
	n int := coalesce(array_length(parts, 1), 0);
BEGIN
	IF TG_OP = 'UPDATE' THEN
		old_parts := OLD.parts;
		old_tsv := OLD.part_tsv;
		IF NEW.title IS NOT DISTINCT FROM OLD.title AND
		   parts IS NOT DISTINCT FROM old_parts AND
		   old_tsv IS NOT NULL THEN
			NEW.parts := parts;
			NEW.body := OLD.body;
			NEW.part_tsv := old_tsv;
			NEW.tsv := OLD.tsv;
			RETURN NEW;
		END IF;
		IF coalesce(array_length(old_parts, 1), -1) <> n OR
		   coalesce(array_length(old_tsv, 1), -1) <> n THEN
			old_parts := NULL;
		END IF;
	END IF;
	FOR i IN 1 .. n LOOP
		IF old_parts IS NOT NULL AND old_parts[i] = parts[i] THEN
			t := old_tsv[i];
		ELSIF parts[i] = '' THEN
			t := '';
		ELSE
			t := to_tsvector('english', parts[i]);
		END IF;
		tsvs := tsvs || t;
		IF t <> '' THEN
			body := body || t;
		END IF;
	END LOOP;
	NEW.parts := parts;
	NEW.body := array_to_string(parts, chr(10));
	NEW.part_tsv := tsvs;
	NEW.tsv := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
		   setweight(body, 'B');
	RETURN NEW;
END $$;

CREATE TRIGGER review_fts_parts BEFORE INSERT OR UPDATE ON review_fts
	FOR EACH ROW EXECUTE FUNCTION review_fts_parts();
