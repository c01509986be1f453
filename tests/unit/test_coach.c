/* test_coach.c: the language coach over a review's form (web/coach.c)
 * with the review's allowed wording: an entry silences the findings of
 * its category that overlap its phrase, in every field, and nothing
 * else; the "Why?" links name each finding's category page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/coach.h"

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

/* form_of is the edit form of a review with this summary and one
 * contributing factor. */
static struct form_doc *form_of(struct arena *a, const char *summary,
				const char *factor)
{
	struct review_doc doc;
	struct form_doc *fd = arena_alloc(a, sizeof *fd);
	struct record *f = record_new(a, &factor_def);

	memset(&doc, 0, sizeof doc);
	doc.review = record_new(a, &review_def);
	assert_non_null(fd);
	assert_non_null(doc.review);
	assert_non_null(f);
	record_set_str(doc.review, REVIEW_TITLE, "Vendor outage");
	record_set_str(doc.review, REVIEW_SUMMARY, summary);
	record_fill_defaults(a, doc.review);
	doc.review->version = 1;
	f->id = 1;
	record_set_str(f, FACTOR_TEXT, factor);
	record_fill_defaults(a, f);
	doc.children[CHILD_FACTOR].items =
		arena_alloc(a, sizeof(struct record *));
	doc.children[CHILD_FACTOR].items[0] = f;
	doc.children[CHILD_FACTOR].n = 1;
	assert_int_equal(form_from_doc(a, &doc, NULL, fd), 0);
	return fd;
}

static struct record_list *allows_of(struct arena *a, const char *phrase,
				     const char *category)
{
	struct record_list *l = arena_alloc(a, sizeof *l);
	struct record *r = record_new(a, &lint_allow_def);

	assert_non_null(l);
	assert_non_null(r);
	record_set_str(r, LA_PHRASE, phrase);
	record_set_str(r, LA_CATEGORY, category);
	l->items = arena_alloc(a, sizeof(struct record *));
	l->items[0] = r;
	l->n = 1;
	return l;
}

static void test_an_allowed_phrase_leaves_the_coachs_results(void **state)
{
	struct arena *a = *state;
	struct form_doc *fd = form_of(
		a, "The report calls it human error. We should have known.",
		"Human error during the failover");
	struct coach_report r;

	assert_int_equal(coach_lint_form(a, fd, NULL, &r), 0);
	assert_int_equal(r.total, 4); /* human-error twice, counterfactual,
					 hindsight */
	/* another category on the same words silences nothing */
	assert_int_equal(
		coach_lint_form(a, fd, allows_of(a, "human error", "hindsight"),
				&r),
		0);
	assert_int_equal(r.total, 4);
	/* its own category: gone from the summary and from the factor */
	assert_int_equal(
		coach_lint_form(a, fd,
				allows_of(a, "HUMAN ERROR", "human-error"), &r),
		0);
	assert_int_equal(r.total, 2);
	for (size_t i = 0; i < r.nfields; i++)
		for (size_t k = 0; k < r.fields[i].n; k++)
			assert_string_not_equal(r.fields[i].f[k].category,
						"human-error");
	/* an entry of an unknown category (not from the model) is ignored */
	assert_int_equal(
		coach_lint_form(a, fd, allows_of(a, "human error", "x"), &r),
		0);
	assert_int_equal(r.total, 4);
}

static void test_each_listed_finding_links_its_category_page(void **state)
{
	struct arena *a = *state;
	struct form_doc *fd =
		form_of(a, "The root cause was a full disk.", "Disk space");
	struct coach_report r;
	struct buf b = BUF_INIT;

	assert_int_equal(coach_lint_form(a, fd, NULL, &r), 0);
	assert_int_equal(r.total, 1);
	coach_notice(&b, &r, 0);
	assert_non_null(
		strstr(buf_cstr(&b), "href=\"/coach/root-cause\">Why?"));
	buf_reset(&b);
	coach_summary(&b, &r, 7, 0);
	assert_non_null(strstr(buf_cstr(&b),
			       "Why: <a class=\"coach-why\" "
			       "href=\"/coach/root-cause\">Root cause</a>"));
	buf_release(&b);
}

/* Hints (here a passive that hides who pushed an unreviewed change) are
 * listed on the edit page, marked, but the review page's summary counts
 * them only with coach_hints; a warning is always counted. */
static void test_summary_leaves_hints_out_unless_asked(void **state)
{
	struct arena *a = *state;
	struct form_doc *fd = form_of(
		a, "The change was pushed without a review.", "Disk space");
	struct coach_report r;
	struct buf b = BUF_INIT;

	assert_int_equal(coach_lint_form(a, fd, NULL, &r), 0);
	assert_int_equal(r.total, 1);
	coach_notice(&b, &r, 0);
	assert_non_null(strstr(buf_cstr(&b), "<li class=\"coach-hint\">"));
	assert_non_null(strstr(buf_cstr(&b), "<span class=\"coach-sev\">hint"));
	buf_reset(&b);
	coach_summary(&b, &r, 7, 0);
	assert_string_equal(buf_cstr(&b), "");
	coach_summary(&b, &r, 7, 1);
	assert_non_null(strstr(buf_cstr(&b), "1 note in Summary"));
	assert_non_null(strstr(buf_cstr(&b), "/coach/passive-blame"));
	buf_reset(&b);
	fd = form_of(a, "The change was pushed without a review. The root "
			"cause was a full disk.",
		     "Disk space");
	assert_int_equal(coach_lint_form(a, fd, NULL, &r), 0);
	assert_int_equal(r.total, 2);
	coach_summary(&b, &r, 7, 0);
	assert_non_null(strstr(buf_cstr(&b), "1 note in Summary"));
	assert_null(strstr(buf_cstr(&b), "passive-blame"));
	buf_release(&b);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_an_allowed_phrase_leaves_the_coachs_results),
		T(test_each_listed_finding_links_its_category_page),
		T(test_summary_leaves_hints_out_unless_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
