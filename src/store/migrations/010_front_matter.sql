-- 010_front_matter.sql: front matter of an imported markdown file that
-- debrief has no field for (the review field "extra": YAML text, shown on
-- the review page and written back into the front matter on export).

ALTER TABLE reviews ADD COLUMN extra TEXT;

-- Exports read every tag of a review, deleted ones too, by review; the
-- only index by review was the partial one of live tags.
CREATE INDEX tags_review ON tags (review_id, id);
