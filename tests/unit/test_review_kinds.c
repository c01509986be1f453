/* test_review_kinds.c: the rules of architecture and operability reviews
 * (model/review_kinds.c): which fields and lists each kind has, the
 * readiness gate, risk order, vote order, flag names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/record.h"
#include "model/review.h"

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

static struct record *review_of(struct arena *a, const char *kind)
{
	struct record *r = record_new(a, &review_def);

	record_set_str(r, REVIEW_KIND, kind);
	record_set_str(r, REVIEW_TITLE, "A launch");
	record_fill_defaults(a, r);
	return r;
}

static void test_each_kind_has_its_own_fields_and_lists(void **state)
{
	struct arena *a = *state;
	struct record *arch = review_of(a, "architecture");
	struct record *inc = review_of(a, "incident");
	struct err e;

	assert_true(record_field_applies(arch, REVIEW_PROPOSAL));
	assert_false(record_field_applies(arch, REVIEW_SEVERITY));
	assert_false(record_field_applies(inc, REVIEW_PROPOSAL));
	assert_true(record_field_applies(inc, REVIEW_SEVERITY));
	assert_true(review_has_child(arch, CHILD_DEPARTURE));
	assert_false(review_has_child(arch, CHILD_TIMELINE));
	assert_false(review_has_child(inc, CHILD_CONTINGENCY));
	assert_true(review_has_child(inc, CHILD_FOLLOWUP));
	assert_int_equal(record_validate(arch, &e), E_OK);
	record_set_int(arch, REVIEW_SEVERITY, 2);
	assert_int_equal(record_validate(arch, &e), E_INVALID);
	assert_string_equal(e.field, "severity");
	record_set_null(arch, REVIEW_SEVERITY);
	record_set_str(arch, REVIEW_STATUS, "ready");
	assert_int_equal(record_validate(arch, &e), E_INVALID);
	assert_string_equal(e.field, "status");
	assert_null(strstr(e.message, "published"));
	record_set_str(arch, REVIEW_STATUS, "decided");
	assert_int_equal(record_validate(arch, &e), E_OK);
}

static struct record *answer(struct review_doc *doc, const char *key,
			     const char *ans)
{
	struct record_list *l = &doc->children[CHILD_READINESS];

	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(record_str(l->items[i], RD_KEY), key)) {
			record_set_str(l->items[i], RD_ANSWER, ans);
			return l->items[i];
		}
	fail_msg("no readiness question %s", key);
	return NULL;
}

static void test_readiness_gate_blocks_ready_on_an_infra_no(void **state)
{
	struct arena *a = *state;
	struct review_doc doc;
	const struct record *blocking[4];
	struct err e;

	memset(&doc, 0, sizeof doc);
	doc.review = review_of(a, "operability");
	assert_int_equal(review_doc_seed(a, &doc), 0);
	assert_int_equal(doc.children[CHILD_READINESS].n, 9);
	/* seeding twice adds nothing */
	assert_int_equal(review_doc_seed(a, &doc), 0);
	assert_int_equal(doc.children[CHILD_READINESS].n, 9);

	record_set_str(doc.review, REVIEW_STATUS, "ready");
	assert_int_equal(review_gate(&doc, &e), E_OK); /* nothing answered */
	answer(&doc, "tested", "no"); /* not an infrastructure question */
	assert_int_equal(review_gate(&doc, &e), E_OK);
	answer(&doc, "adds-infrastructure", "yes");
	answer(&doc, "ci", "no");
	answer(&doc, "pipeline", "no");
	answer(&doc, "monitoring", "n-a");
	assert_int_equal(review_readiness_blocking(
				 &doc.children[CHILD_READINESS], blocking, 4),
			 2);
	assert_int_equal(review_gate(&doc, &e), E_INVALID);
	assert_string_equal(e.field, "status");
	assert_non_null(strstr(e.message, "ci"));
	assert_non_null(strstr(e.message, "pipeline"));
	/* a draft may hold a "no" */
	record_set_str(doc.review, REVIEW_STATUS, "draft");
	assert_int_equal(review_gate(&doc, &e), E_OK);
	/* no new infrastructure: its questions do not arise */
	record_set_str(doc.review, REVIEW_STATUS, "ready");
	answer(&doc, "adds-infrastructure", "no");
	assert_int_equal(review_gate(&doc, &e), E_OK);
}

static struct record *row(struct arena *a, int64_t id, const char *lik,
			  const char *imp, int64_t pos)
{
	struct record *r = record_new(a, &contingency_def);

	r->id = id;
	record_set_str(r, CT_ISSUE, "x");
	record_set_str(r, CT_LIKELIHOOD, lik);
	record_set_str(r, CT_IMPACT, imp);
	if (pos)
		record_set_int(r, CT_POSITION, pos);
	return r;
}

static void test_contingencies_sort_by_risk_then_position(void **state)
{
	struct arena *a = *state;
	struct record *items[5] = {
		row(a, 1, "low", "low", 0),	row(a, 2, "medium", "high", 0),
		row(a, 3, "high", "medium", 0), row(a, 4, "high", "high", 0),
		row(a, 5, "high", "medium", 1),
	};
	struct review_doc doc;

	memset(&doc, 0, sizeof doc);
	doc.children[CHILD_CONTINGENCY].items = items;
	doc.children[CHILD_CONTINGENCY].n = 5;
	review_sort_children(&doc);
	/* 9; 6 with high impact first (2), then 6 by position (5 before 3);
	 * 1 */
	assert_int_equal(items[0]->id, 4);
	assert_int_equal(items[1]->id, 2);
	assert_int_equal(items[2]->id, 5);
	assert_int_equal(items[3]->id, 3);
	assert_int_equal(items[4]->id, 1);
	assert_int_equal(review_contingency_risk(items[0]), 9);
	assert_int_equal(review_contingency_risk(items[4]), 1);
}

static void test_questions_sort_by_votes(void **state)
{
	struct arena *a = *state;
	struct record *q[3];
	struct review_doc doc;
	int64_t votes[3] = {1, 3, 1};

	for (int i = 0; i < 3; i++) {
		q[i] = record_new(a, &question_def);
		q[i]->id = i + 1;
		record_set_int(q[i], Q_VOTES, votes[i]);
	}
	memset(&doc, 0, sizeof doc);
	doc.children[CHILD_QUESTION].items = q;
	doc.children[CHILD_QUESTION].n = 3;
	review_sort_children(&doc);
	assert_int_equal(q[0]->id, 2);
	assert_int_equal(q[1]->id, 1);
	assert_int_equal(q[2]->id, 3);
}

/* One vote per person, and as many people as there are: a question
 * with 250 voters takes the 251st vote, counted, and still refuses a
 * second vote from any of them. */
static void test_votes_have_no_cap_but_one_per_person(void **state)
{
	struct arena *a = *state;
	struct record *q = record_new(a, &question_def), *patch, *next;
	const char **voters = arena_alloc(a, sizeof *voters * 250);
	struct change *ch;
	struct err e;
	int n;

	record_set_str(q, Q_TEXT, "Who runs it at night?");
	record_fill_defaults(a, q);
	for (int i = 0; i < 250; i++) {
		char name[16];
		snprintf(name, sizeof name, "person%d", i);
		voters[i] = arena_strdup(a, name);
	}
	record_set_list(q, Q_VOTERS, voters, 250);
	record_set_int(q, Q_VOTES, 250);
	assert_int_equal(record_validate(q, &e), E_OK);
	assert_int_equal(review_question_vote(a, q, "late-comer", &patch, &e),
			 E_OK);
	assert_int_equal(record_patched(a, q, patch, &next, &ch, &n, &e), E_OK);
	assert_int_equal(record_int(next, Q_VOTES, 0), 251);
	assert_int_equal(next->v[Q_VOTERS].nitems, 251);
	assert_string_equal(next->v[Q_VOTERS].items[250], "late-comer");
	assert_int_equal(review_question_vote(a, next, "person17", &patch, &e),
			 E_INVALID);
	assert_string_equal(e.field, "votes");
	assert_non_null(strstr(e.message, "one vote per person"));
	assert_int_equal(review_question_vote(a, next, "late-comer", &patch,
					      &e),
			 E_INVALID);
}

static void test_flag_names_have_no_spaces(void **state)
{
	struct arena *a = *state;
	struct record *r = row(a, 1, "low", "low", 0);
	struct err e;

	assert_true(review_flag_name_valid("disable_coffee_favorites_page"));
	assert_true(review_flag_name_valid("ops:kill-switch.v2"));
	assert_false(review_flag_name_valid("two words"));
	assert_false(review_flag_name_valid(""));
	record_set_str(r, CT_FLAG, "two words");
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "flag");
	record_set_str(r, CT_LIKELIHOOD, "very");
	record_set_str(r, CT_FLAG, "ok_flag");
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "likelihood");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_each_kind_has_its_own_fields_and_lists),
		T(test_readiness_gate_blocks_ready_on_an_infra_no),
		T(test_contingencies_sort_by_risk_then_position),
		T(test_questions_sort_by_votes),
		T(test_votes_have_no_cap_but_one_per_person),
		T(test_flag_names_have_no_spaces),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
