/* test_signals.c: the rules of the learning signals (model/learning.c):
 * which views count as reads, how references to reviews are found in a
 * line of code or a commit message, and what a glossary term may be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/learning.h"

static struct read_view view(const char *reader, int64_t now, int64_t last)
{
	struct read_view v = {reader, "Mozilla/5.0 (X11; Linux x86_64)", 0,
			      now, last};
	return v;
}

static void test_a_first_view_by_a_signed_in_person_counts(void **state)
{
	struct read_view v = view("rin", 100000, 0);

	(void)state;
	assert_true(read_counts(&v));
}

static void test_the_same_person_counts_once_an_hour(void **state)
{
	struct read_view v = view("rin", 100000, 100000 - READ_GAP + 1);

	(void)state;
	assert_false(read_counts(&v));
	v.last_read_at = 100000 - READ_GAP;
	assert_true(read_counts(&v));
}

static void test_nobody_authors_and_bots_never_count(void **state)
{
	struct read_view v = view(NULL, 100000, 0);

	(void)state;
	assert_false(read_counts(&v));
	v.reader = "";
	assert_false(read_counts(&v));
	v = view("ada", 100000, 0);
	v.is_author = 1;
	assert_false(read_counts(&v));
	v = view("rin", 100000, 0);
	v.user_agent = "Mozilla/5.0 (compatible; Googlebot/2.1)";
	assert_false(read_counts(&v));
	v.user_agent = "Slackbot-LinkExpanding 1.0";
	assert_false(read_counts(&v));
	v.user_agent = "curl/8.5.0";
	assert_false(read_counts(&v));
	v.user_agent = NULL; /* none sent: a person's odd browser */
	assert_true(read_counts(&v));
}

struct found {
	int64_t ids[8];
	size_t at[8], len[8], n;
};

static int collect(const struct link_ref *r, void *arg)
{
	struct found *f = arg;

	if (f->n < 8) {
		f->ids[f->n] = r->review_id;
		f->at[f->n] = r->at;
		f->len[f->n] = r->len;
		f->n++;
	}
	return 0;
}

static struct found refs(const char *line)
{
	struct found f = {{0}, {0}, {0}, 0};
	size_t n = link_refs_find(line, strlen(line), collect, &f);

	assert_int_equal(n, f.n);
	return f;
}

static void test_short_ids_and_review_urls_are_found(void **state)
{
	struct found f;

	(void)state;
	f = refs("// retry budget: see PM-42 and https://debrief.example/"
		 "reviews/7#timeline");
	assert_int_equal(f.n, 2);
	assert_int_equal(f.ids[0], 42);
	assert_int_equal(f.len[0], 5);
	assert_int_equal(f.ids[1], 7);
	f = refs("PM-1, (PM-23). /reviews/15?x=1");
	assert_int_equal(f.n, 3);
	assert_int_equal(f.ids[0], 1);
	assert_int_equal(f.at[0], 0);
	assert_int_equal(f.ids[1], 23);
	assert_int_equal(f.ids[2], 15);
}

static void test_lookalikes_are_not_references(void **state)
{
	(void)state;
	assert_int_equal(refs("NPM-42 XPM-1 PM-42a PM-0 PM- PM-x").n, 0);
	assert_int_equal(refs("/reviews/new /reviews/12abc /reviews/").n, 0);
	assert_int_equal(refs("PM-1234567890123456789").n, 0);
	assert_int_equal(link_refs_find("PM-4", 3, NULL, NULL), 0);
}

static void test_glossary_terms_of_one_letter_are_refused(void **state)
{
	struct err e;

	(void)state;
	assert_int_equal(glossary_check("a", "an article", &e), E_INVALID);
	assert_string_equal(e.field, "term");
	assert_non_null(strstr(e.message, "too short"));
	assert_int_equal(glossary_check("é", "one letter too", &e), E_INVALID);
	assert_int_equal(glossary_check("", "x", &e), E_INVALID);
	assert_int_equal(glossary_check("++", "no letter", &e), E_INVALID);
	assert_int_equal(glossary_check(" SLO", "space", &e), E_INVALID);
	assert_int_equal(glossary_check("SL\nO", "line", &e), E_INVALID);
	assert_int_equal(glossary_check("SLO", "", &e), E_INVALID);
	assert_string_equal(e.field, "definition");
}

static void test_glossary_terms_with_pattern_characters_are_literal(
	void **state)
{
	(void)state;
	assert_int_equal(glossary_check("C++", "a language", NULL), E_OK);
	assert_int_equal(glossary_check("p99.9", "a percentile", NULL), E_OK);
	assert_int_equal(glossary_check("(SLO)*", "odd but fine", NULL), E_OK);
	assert_int_equal(glossary_check("SLO", "service level objective",
					NULL),
			 E_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_first_view_by_a_signed_in_person_counts),
		cmocka_unit_test(test_the_same_person_counts_once_an_hour),
		cmocka_unit_test(test_nobody_authors_and_bots_never_count),
		cmocka_unit_test(test_short_ids_and_review_urls_are_found),
		cmocka_unit_test(test_lookalikes_are_not_references),
		cmocka_unit_test(test_glossary_terms_of_one_letter_are_refused),
		cmocka_unit_test(
			test_glossary_terms_with_pattern_characters_are_literal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
