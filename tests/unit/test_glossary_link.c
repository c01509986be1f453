/* test_glossary_link.c: the first use of each glossary term in a rendered
 * review links to its definition (web/glossary_link.c): only inside the
 * markdown markers, never in code, links, headings or tags, whole words
 * only, any case, terms as literal text (pattern characters too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/glossary_link.h"
#include "web/markdown.h"

static struct glossary_term terms[] = {
	{1, 0, 0, "SLO", "Service level objective"},
	{2, 0, 0, "C++", "A language"},
	{3, 0, 0, "p99.9", "A percentile"},
	{4, 0, 0, "error budget", "What an SLO allows to fail, \"roughly\""},
	{5, 0, 0, "on-call", "Who answers pages"},
};
#define NTERMS (sizeof terms / sizeof terms[0])

/* linked renders md as the review page does (between the markers) and
 * links it; the result is malloc'd. */
static char *linked(const char *md)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char *s;

	buf_puts(&in, "<h1>SLO</h1>" GLOSS_BEGIN);
	assert_int_equal(markdown_render(&in, md), 0);
	buf_puts(&in, GLOSS_END);
	assert_int_equal(glossary_link(&out, in.data, in.len, terms, NTERMS),
			 0);
	buf_release(&in);
	s = buf_detach(&out);
	assert_non_null(s);
	return s;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void test_the_first_use_is_linked_and_the_markers_go(void **state)
{
	char *s = linked("Our slo was missed. The SLO again.");

	(void)state;
	assert_non_null(strstr(s, "Our <a class=\"gloss\" href=\"/glossary#"
				  "term-1\" title=\"Service level objective\">"
				  "slo</a> was missed. The SLO again."));
	assert_null(strstr(s, "debrief:md"));
	assert_non_null(strstr(s, "<h1>SLO</h1>")); /* outside: untouched */
	free(s);
}

static void test_code_links_and_headings_are_never_linked(void **state)
{
	char *s = linked("# SLO title\n\n`SLO` and\n\n    SLO in a block\n\n"
			 "[the SLO](https://example.org) then SLO.");

	(void)state;
	assert_int_equal(count(s, "class=\"gloss\""), 1);
	assert_non_null(strstr(s, "<code>SLO</code>"));
	assert_non_null(strstr(s, ">the SLO</a>"));
	assert_non_null(strstr(s, "then <a class=\"gloss\""));
	free(s);
}

static void test_only_whole_words_match(void **state)
{
	char *s = linked("SLOs and XSLO and on-callers, then on-call.");

	(void)state;
	assert_int_equal(count(s, "class=\"gloss\""), 1);
	assert_non_null(strstr(s, "then <a class=\"gloss\" href=\"/glossary#"
				  "term-5\""));
	free(s);
}

static void test_pattern_characters_are_literal(void **state)
{
	char *s = linked("p9919 and Cxx are not terms; C++ and p99.9 are.");

	(void)state;
	assert_int_equal(count(s, "class=\"gloss\""), 2);
	assert_non_null(strstr(s, "term-2\" title=\"A language\">C++</a>"));
	assert_non_null(strstr(s, ">p99.9</a>"));
	free(s);
}

static void test_definitions_are_escaped_and_longer_terms_win(void **state)
{
	char *s = linked("The error budget of the SLO.");

	(void)state;
	assert_non_null(strstr(s, "title=\"What an SLO allows to fail, "
				  "&quot;roughly&quot;\">error budget</a>"));
	assert_non_null(strstr(s, "of the <a class=\"gloss\" href=\"/glossary"
				  "#term-1\""));
	free(s);
}

static void test_no_terms_only_drops_the_markers(void **state)
{
	struct buf out = BUF_INIT;
	const char html[] = "<p>" GLOSS_BEGIN "x SLO" GLOSS_END "</p>";

	(void)state;
	assert_int_equal(glossary_link(&out, html, strlen(html), NULL, 0), 0);
	assert_string_equal(buf_cstr(&out), "<p>x SLO</p>");
	buf_release(&out);
}

/* Without terms the page is copied without its markers (no tag walk), as
 * the walk copies it when no term matches: other slots and broken or
 * cut markers stay. */
static void test_no_terms_copies_as_a_term_that_never_matches(void **state)
{
	static const char *const cases[] = {
		"<p>" GLOSS_BEGIN "a <b>b</b>" GLOSS_END "</p>"
		"<!--debrief:related--><h2>" GLOSS_BEGIN "c" GLOSS_END "</h2>",
		"<!--debrief:m", "x<!--debrief:", GLOSS_END GLOSS_BEGIN "<",
		"<!--debrief:<!--debrief:md-->y", "",
	};
	struct glossary_term never = {.id = 9, .term = "zzqq",
				      .definition = "never"};
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = strlen(cases[i]);

		buf_reset(&a);
		buf_reset(&b);
		assert_int_equal(glossary_link(&a, cases[i], n, NULL, 0), 0);
		assert_int_equal(glossary_link(&b, cases[i], n, &never, 1), 0);
		assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	}
	buf_release(&a);
	buf_release(&b);
}

static void test_broken_html_is_copied_as_it_is(void **state)
{
	static const char *const cases[] = {"<", "<a", GLOSS_BEGIN "<",
					    GLOSS_BEGIN "SLO <code", "<!--debrief:m"};
	struct buf out = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = strlen(cases[i]);
		char *copy = malloc(n); /* no NUL after it */

		assert_non_null(copy);
		memcpy(copy, cases[i], n);
		buf_reset(&out);
		assert_int_equal(glossary_link(&out, copy, n, terms, NTERMS), 0);
		free(copy);
	}
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_first_use_is_linked_and_the_markers_go),
		cmocka_unit_test(test_code_links_and_headings_are_never_linked),
		cmocka_unit_test(test_only_whole_words_match),
		cmocka_unit_test(test_pattern_characters_are_literal),
		cmocka_unit_test(
			test_definitions_are_escaped_and_longer_terms_win),
		cmocka_unit_test(test_no_terms_only_drops_the_markers),
		cmocka_unit_test(test_no_terms_copies_as_a_term_that_never_matches),
		cmocka_unit_test(test_broken_html_is_copied_as_it_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
