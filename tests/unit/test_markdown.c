/* test_markdown.c: markdown rendering (src/web/markdown.c): the GFM
 * extensions work, and HTML and javascript: links typed into a review
 * come out inert. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/markdown.h"

static char out[1 << 16];

static const char *render(const char *md)
{
	struct buf b = BUF_INIT;

	assert_int_equal(markdown_render(&b, md), 0);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_release(&b);
	return out;
}

static int has(const char *s, const char *needle)
{
	return strstr(s, needle) != NULL;
}

static void test_gfm_table_renders_as_a_table(void **state)
{
	const char *h = render("| Metric | Value |\n|---|--:|\n| p99 | 4s |\n");

	assert_true(has(h, "<table>"));
	assert_true(has(h, "<th>Metric</th>"));
	assert_true(has(h, "<td align=\"right\">4s</td>"));
}

static void test_tasklist_renders_checkboxes(void **state)
{
	const char *h = render("- [x] alert fired\n- [ ] runbook current\n");

	assert_true(has(h, "checked=\"\" disabled=\"\" /> alert fired"));
	assert_true(
		has(h, "<input type=\"checkbox\" disabled=\"\" /> runbook"));
}

static void test_autolink_turns_urls_into_links(void **state)
{
	const char *h = render("See https://status.example.com/42 and "
			       "www.example.org today.");

	assert_true(has(h, "<a href=\"https://status.example.com/42\">"));
	assert_true(has(h, "<a href=\"http://www.example.org\">"));
}

static void test_strikethrough_renders_del(void **state)
{
	assert_true(has(render("~~Nobody~~ Few knew"), "<del>Nobody</del>"));
}

static void test_script_tags_are_dropped(void **state)
{
	const char *h = render("Before <script>alert(1)</script> after\n\n"
			       "<script>\nalert(2)\n</script>\n");

	assert_false(has(h, "<script"));
	assert_false(has(h, "alert(2)"));
	assert_true(has(h, "Before"));
}

static void test_javascript_links_are_emptied(void **state)
{
	const char *h = render("[click](javascript:alert(1)) "
			       "[also](JaVaScRiPt:alert(2)) "
			       "![img](javascript:alert(3)) "
			       "<javascript:alert(4)> "
			       "[data](data:text/html;base64,PHNjcmlwdD4=)");

	/* the text may stay, as text; no URL keeps the scheme */
	assert_false(has(h, "=\"javascript"));
	assert_false(has(h, "=\"JaVaScRiPt"));
	assert_false(has(h, "=\"data:"));
	assert_true(has(h, "<a href=\"\">click</a>"));
	assert_true(has(h, "<a href=\"\">also</a>"));
	assert_true(has(h, "<img src=\"\""));
	assert_true(has(h, "<a href=\"\">data</a>"));
}

static void test_raw_html_with_handlers_is_dropped(void **state)
{
	const char *h =
		render("Text <img src=x onerror=alert(1)> "
		       "<a href=\"#\" onclick=\"alert(2)\">x</a>\n\n"
		       "<iframe src=\"https://evil.example\"></iframe>\n");

	assert_false(has(h, "onerror"));
	assert_false(has(h, "onclick"));
	assert_false(has(h, "<iframe"));
	assert_false(has(h, "<img"));
}

static void test_plain_markdown_and_entities(void **state)
{
	const char *h = render("**bold** & `code <b>`\n");

	assert_string_equal(h, "<p><strong>bold</strong> &amp; "
			       "<code>code &lt;b&gt;</code></p>\n");
}

static void test_blank_text_writes_nothing(void **state)
{
	assert_string_equal(render(NULL), "");
	assert_string_equal(render(""), "");
	assert_string_equal(render("  \n\t\n"), "");
}

/* Renders from many threads at once keep every extension working (the
 * library's inline character table is shared; see markdown.c). */
static void *render_many(void *arg)
{
	int *bad = arg;

	for (int i = 0; i < 200; i++) {
		struct buf b = BUF_INIT;
		if (markdown_render(&b, "a ~~b~~ c\n\n| x | y |\n|---|---|\n"
					"| 1 | 2 |\n") < 0 ||
		    !strstr(buf_cstr(&b), "<del>b</del>") ||
		    !strstr(buf_cstr(&b), "<table>"))
			(*bad)++;
		buf_release(&b);
	}
	return NULL;
}

static void test_renders_from_many_threads_agree(void **state)
{
	pthread_t t[4];
	int bad[4] = {0};

	for (int i = 0; i < 4; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, render_many, &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gfm_table_renders_as_a_table),
		cmocka_unit_test(test_tasklist_renders_checkboxes),
		cmocka_unit_test(test_autolink_turns_urls_into_links),
		cmocka_unit_test(test_strikethrough_renders_del),
		cmocka_unit_test(test_script_tags_are_dropped),
		cmocka_unit_test(test_javascript_links_are_emptied),
		cmocka_unit_test(test_raw_html_with_handlers_is_dropped),
		cmocka_unit_test(test_plain_markdown_and_entities),
		cmocka_unit_test(test_blank_text_writes_nothing),
		cmocka_unit_test(test_renders_from_many_threads_agree),
	};

	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
