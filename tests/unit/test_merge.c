/* test_merge.c: the three-way merge of a review two people edited at once
 * (model/review_merge.c), and the base the edit form carries for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/record_json.h"
#include "model/review_merge.h"

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static struct record *entry(struct arena *a, int64_t id, const char *text)
{
	struct record *r = record_new(a, &timeline_def);

	r->id = id;
	record_parse_value(a, r, TL_AT, "2017-01-31 23:00", NULL);
	record_set_str(r, TL_TEXT, text);
	record_fill_defaults(a, r);
	return r;
}

static struct record *tag(struct arena *a, int64_t id, const char *name)
{
	struct record *r = record_new(a, &tag_def);

	r->id = id;
	record_set_str(r, TAG_NAME, name);
	return r;
}

/* base: a review with two timeline entries (ids 1, 2) and tag "db" (9). */
static void make_base(struct arena *a, struct review_doc *d)
{
	memset(d, 0, sizeof *d);
	d->review = record_new(a, &review_def);
	d->review->id = 7;
	record_set_str(d->review, REVIEW_TITLE, "Database outage");
	record_set_str(d->review, REVIEW_OPEN_QUESTIONS, "Why?");
	record_set_str(d->review, REVIEW_WENT_WELL, "Backups existed");
	record_fill_defaults(a, d->review);
	d->children[CHILD_TIMELINE].items =
		arena_alloc(a, 8 * sizeof(struct record *));
	d->children[CHILD_TIMELINE].items[0] = entry(a, 1, "Alert fired");
	d->children[CHILD_TIMELINE].items[1] = entry(a, 2, "Replica lagged");
	d->children[CHILD_TIMELINE].n = 2;
	d->children[CHILD_TAG].items =
		arena_alloc(a, 8 * sizeof(struct record *));
	d->children[CHILD_TAG].items[0] = tag(a, 9, "db");
	d->children[CHILD_TAG].n = 1;
	for (int k = 0; k < CHILD_COUNT; k++)
		if (!d->children[k].items)
			d->children[k].items =
				arena_alloc(a, 8 * sizeof(struct record *));
}

/* copy_doc: a deep-enough copy, so that one side can be edited. */
static void copy_doc(struct arena *a, const struct review_doc *src,
		     struct review_doc *d)
{
	d->review = record_copy(a, src->review);
	for (int k = 0; k < CHILD_COUNT; k++) {
		d->children[k].items =
			arena_alloc(a, 8 * sizeof(struct record *));
		d->children[k].n = src->children[k].n;
		for (size_t i = 0; i < src->children[k].n; i++)
			d->children[k].items[i] =
				record_copy(a, src->children[k].items[i]);
	}
}

struct sides {
	struct review_doc base, theirs, yours;
	struct merge_result m;
};

static void sides(struct arena *a, struct sides *s)
{
	make_base(a, &s->base);
	copy_doc(a, &s->base, &s->theirs);
	copy_doc(a, &s->base, &s->yours);
}

static const char *tl_text(const struct merge_result *m, size_t i)
{
	return record_str(m->doc.children[CHILD_TIMELINE].items[i], TL_TEXT);
}

static void test_fields_changed_on_different_sides_both_survive(void **state)
{
	struct sides s;

	sides(*state, &s);
	record_set_str(s.theirs.review, REVIEW_OPEN_QUESTIONS,
		       "Why?\nWhy was the replica empty?");
	record_set_str(s.yours.review, REVIEW_WENT_WELL,
		       "Backups existed; "
		       "the team stayed calm");
	assert_int_equal(
		review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m), E_OK);
	assert_int_equal(s.m.n, 0);
	assert_string_equal(record_str(s.m.doc.review, REVIEW_OPEN_QUESTIONS),
			    "Why?\nWhy was the replica empty?");
	assert_string_equal(record_str(s.m.doc.review, REVIEW_WENT_WELL),
			    "Backups existed; the team stayed calm");
}

static void test_field_both_changed_differently_is_a_conflict(void **state)
{
	struct sides s;

	sides(*state, &s);
	record_set_str(s.theirs.review, REVIEW_WENT_WELL, "Theirs");
	record_set_str(s.yours.review, REVIEW_WENT_WELL, "Yours");
	assert_int_equal(
		review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m), E_OK);
	assert_int_equal(s.m.n, 1);
	assert_int_equal(s.m.conflicts[0].kind, MERGE_REVIEW);
	assert_int_equal(s.m.conflicts[0].field, REVIEW_WENT_WELL);
	assert_string_equal(
		record_str(s.m.conflicts[0].theirs, REVIEW_WENT_WELL),
		"Theirs");
	assert_string_equal(record_str(s.m.conflicts[0].base, REVIEW_WENT_WELL),
			    "Backups existed");
	/* the merged record shows yours, for the person to decide */
	assert_string_equal(record_str(s.m.doc.review, REVIEW_WENT_WELL),
			    "Yours");
}

static void test_field_both_changed_alike_is_no_conflict(void **state)
{
	struct sides s;

	sides(*state, &s);
	record_set_str(s.theirs.review, REVIEW_WENT_WELL, "Same");
	record_set_str(s.yours.review, REVIEW_WENT_WELL, "Same");
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_int_equal(s.m.n, 0);
	assert_string_equal(record_str(s.m.doc.review, REVIEW_WENT_WELL),
			    "Same");
}

static void test_cleared_field_counts_as_a_change(void **state)
{
	struct sides s;

	sides(*state, &s);
	record_set_null(s.yours.review, REVIEW_OPEN_QUESTIONS);
	record_set_str(s.theirs.review, REVIEW_WENT_WELL, "Theirs");
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_int_equal(s.m.n, 0);
	assert_false(record_isset(s.m.doc.review, REVIEW_OPEN_QUESTIONS));
	assert_string_equal(record_str(s.m.doc.review, REVIEW_WENT_WELL),
			    "Theirs");
}

static void test_empty_text_equals_unset(void **state)
{
	struct record *a = record_new(*state, &review_def);
	struct record *b = record_new(*state, &review_def);

	record_set_str(a, REVIEW_SUMMARY, "");
	record_set_null(b, REVIEW_SUMMARY);
	assert_true(review_merge_same_value(a, b, REVIEW_SUMMARY));
	record_set_list(a, REVIEW_SERVICES, NULL, 0);
	assert_true(review_merge_same_value(a, b, REVIEW_SERVICES));
	record_set_str(a, REVIEW_SUMMARY, "x");
	assert_false(review_merge_same_value(a, b, REVIEW_SUMMARY));
}

static void test_rows_added_on_both_sides_are_all_kept(void **state)
{
	struct sides s;
	struct record_list *t = &s.theirs.children[CHILD_TIMELINE];
	struct record_list *y = &s.yours.children[CHILD_TIMELINE];

	sides(*state, &s);
	t->items[t->n++] = entry(*state, 3, "Theirs added");
	y->items[y->n++] = entry(*state, 0, "Yours added");
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_int_equal(s.m.n, 0);
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].n, 4);
	assert_string_equal(tl_text(&s.m, 2), "Theirs added");
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].items[2]->id, 3);
	assert_string_equal(tl_text(&s.m, 3), "Yours added");
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].items[3]->id, 0);
}

static void test_row_fields_merge_like_review_fields(void **state)
{
	struct sides s;

	sides(*state, &s);
	record_set_str(s.theirs.children[CHILD_TIMELINE].items[0], TL_ACTOR,
		       "oncall");
	record_set_str(s.yours.children[CHILD_TIMELINE].items[0], TL_TEXT,
		       "Alert fired for replication lag");
	record_set_str(s.theirs.children[CHILD_TIMELINE].items[1], TL_TEXT,
		       "Theirs");
	record_set_str(s.yours.children[CHILD_TIMELINE].items[1], TL_TEXT,
		       "Yours");
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_string_equal(
		record_str(s.m.doc.children[CHILD_TIMELINE].items[0], TL_ACTOR),
		"oncall");
	assert_string_equal(tl_text(&s.m, 0),
			    "Alert fired for replication lag");
	assert_int_equal(s.m.n, 1);
	assert_int_equal(s.m.conflicts[0].kind, CHILD_TIMELINE);
	assert_int_equal(s.m.conflicts[0].pos, 1);
	assert_int_equal(s.m.conflicts[0].field, TL_TEXT);
}

static void test_row_deleted_by_one_side_untouched_by_other_goes(void **state)
{
	struct sides s;

	sides(*state, &s);
	s.theirs.children[CHILD_TIMELINE].n = 1; /* they deleted id 2 */
	s.yours.children[CHILD_TIMELINE].items[0] =
		s.yours.children[CHILD_TIMELINE].items[1];
	s.yours.children[CHILD_TIMELINE].n = 1; /* you deleted id 1 */
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_int_equal(s.m.n, 0);
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].n, 0);
}

static void test_row_deleted_by_them_edited_by_you_is_a_conflict(void **state)
{
	struct sides s;

	sides(*state, &s);
	s.theirs.children[CHILD_TIMELINE].n = 1;
	record_set_str(s.yours.children[CHILD_TIMELINE].items[1], TL_TEXT,
		       "Replica lagged by 4 GB");
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_int_equal(s.m.n, 1);
	assert_int_equal(s.m.conflicts[0].field, -1);
	assert_int_equal(s.m.conflicts[0].theirs_deleted, 1);
	assert_null(s.m.conflicts[0].theirs);
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].n, 2);
	/* kept as a new row, with your text */
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].items[1]->id, 0);
	assert_string_equal(tl_text(&s.m, 1), "Replica lagged by 4 GB");
	assert_int_equal(s.m.conflicts[0].pos, 1);
}

static void test_row_deleted_by_you_edited_by_them_is_a_conflict(void **state)
{
	struct sides s;

	sides(*state, &s);
	s.yours.children[CHILD_TIMELINE].n = 1;
	record_set_str(s.theirs.children[CHILD_TIMELINE].items[1], TL_TEXT,
		       "Theirs");
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	assert_int_equal(s.m.n, 1);
	assert_int_equal(s.m.conflicts[0].field, -1);
	assert_int_equal(s.m.conflicts[0].theirs_deleted, 0);
	assert_null(s.m.conflicts[0].yours);
	assert_int_equal(s.m.doc.children[CHILD_TIMELINE].items[1]->id, 2);
	assert_string_equal(tl_text(&s.m, 1), "Theirs");
}

static void test_tags_merge_as_a_set(void **state)
{
	struct sides s;
	struct record_list *mt;

	sides(*state, &s);
	s.theirs.children[CHILD_TAG].items[1] = tag(*state, 10, "failover");
	s.theirs.children[CHILD_TAG].n = 2;
	s.yours.children[CHILD_TAG].items[0] = tag(*state, 0, "backups");
	s.yours.children[CHILD_TAG].n = 1; /* removed "db", added "backups" */
	review_merge(*state, &s.base, &s.theirs, &s.yours, &s.m);
	mt = &s.m.doc.children[CHILD_TAG];
	assert_int_equal(mt->n, 2);
	assert_string_equal(record_str(mt->items[0], TAG_NAME), "failover");
	assert_string_equal(record_str(mt->items[1], TAG_NAME), "backups");
}

static void test_base_json_round_trip_keeps_ids_and_values(void **state)
{
	struct review_doc base, back;
	json_t *j;
	char *text;
	struct err e;

	make_base(*state, &base);
	j = review_base_to_json(&base);
	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_int_equal(review_base_from_json(*state, text, &back, &e), E_OK);
	free(text);
	assert_int_equal(back.review->id, 7);
	assert_int_equal(back.children[CHILD_TIMELINE].n, 2);
	assert_int_equal(back.children[CHILD_TIMELINE].items[1]->id, 2);
	assert_string_equal(
		record_str(back.children[CHILD_TIMELINE].items[1], TL_TEXT),
		"Replica lagged");
	assert_int_equal(
		record_int(back.children[CHILD_TIMELINE].items[1], TL_AT, 0),
		record_int(base.children[CHILD_TIMELINE].items[1], TL_AT, 0));
	assert_string_equal(
		record_str(back.children[CHILD_TAG].items[0], TAG_NAME), "db");
}

static void test_damaged_base_is_bad_request(void **state)
{
	static const char *bad[] = {
		"",
		"[]",
		"{\"review\": 1}",
		"{\"review\": {\"title\": \"x\"}}",
		"{\"review\": {\"id\": 1, \"nope\": 2}}",
		"{\"review\": {\"id\": 1}}", /* no child lists */
		/* a field of another kind of review, found by fuzz_merge */
		("{\"review\": {\"id\": 1, \"launch_date\": \"a\"}, "
		 "\"timeline\": []}"),
	};
	struct review_doc d;
	struct err e;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		assert_int_equal(review_base_from_json(*state, bad[i], &d, &e),
				 E_BAD_REQUEST);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_fields_changed_on_different_sides_both_survive),
		T(test_field_both_changed_differently_is_a_conflict),
		T(test_field_both_changed_alike_is_no_conflict),
		T(test_cleared_field_counts_as_a_change),
		T(test_empty_text_equals_unset),
		T(test_rows_added_on_both_sides_are_all_kept),
		T(test_row_fields_merge_like_review_fields),
		T(test_row_deleted_by_one_side_untouched_by_other_goes),
		T(test_row_deleted_by_them_edited_by_you_is_a_conflict),
		T(test_row_deleted_by_you_edited_by_them_is_a_conflict),
		T(test_tags_merge_as_a_set),
		T(test_base_json_round_trip_keeps_ids_and_values),
		T(test_damaged_base_is_bad_request),
#undef T
	};
	return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}
