/* test_html.c: the escaping writers of src/web/html.c and the text diff of
 * the History page (src/web/diff.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/html.h"

/* done checks a writer's buffer, keeps its text for the assertion and
 * empties it for the next one. */
static char last[1 << 16];

static const char *done(struct buf *b)
{
	assert_false(b->oom);
	snprintf(last, sizeof last, "%s", buf_cstr(b));
	buf_release(b);
	return last;
}

static void test_txt_escapes_the_five_specials(void **state)
{
	struct buf b = BUF_INIT;

	html_txt(&b, "<a href=\"x\">Tom & Jerry's</a>");
	assert_string_equal(done(&b), "&lt;a href=&quot;x&quot;&gt;Tom &amp; "
				      "Jerry&#39;s&lt;/a&gt;");
}

/* Search snippets: the store's marks become <mark>, the rest is text. */
static void test_marked_turns_marks_into_mark_and_escapes_the_rest(void **state)
{
	struct buf b = BUF_INIT;

	html_marked(&b, "a \x02<b>x</b>\x03 & \x02y\x03");
	assert_string_equal(done(&b), "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> "
				      "&amp; <mark>y</mark>");
	/* an open mark is closed, a stray close dropped */
	html_marked(&b, "\x03z \x02open");
	assert_string_equal(done(&b), "z <mark>open</mark>");
	html_marked(&b, NULL);
	assert_string_equal(done(&b), "");
}

static void test_txt_keeps_plain_text_utf8_and_newlines(void **state)
{
	struct buf b = BUF_INIT;

	html_txt(&b, "Grüße — 事故\nline two");
	assert_string_equal(done(&b), "Grüße — 事故\nline two");
	html_txt(&b, NULL);
	html_txt(&b, "");
	assert_string_equal(done(&b), "");
}

static void test_ntxt_writes_at_most_n_bytes(void **state)
{
	struct buf b = BUF_INIT;

	html_ntxt(&b, "<b>bold", 4);
	assert_string_equal(done(&b), "&lt;b&gt;b");
}

static void test_attr_escapes_quotes_and_line_breaks(void **state)
{
	struct buf b = BUF_INIT;

	html_attr(&b, "a\"b'c<d>&e\r\nf");
	assert_string_equal(done(&b),
			    "a&quot;b&#39;c&lt;d&gt;&amp;e&#13;&#10;f");
}

static void test_url_arg_encodes_everything_but_unreserved(void **state)
{
	struct buf b = BUF_INIT;

	html_url_arg(&b, "a b&c=d/é?\"<'>~._-Z9");
	assert_string_equal(done(&b), "a%20b%26c%3Dd%2F%C3%A9%3F%22%3C%27%3E"
				      "~._-Z9");
}

static void test_url_is_safe_only_for_http_https_mailto_and_paths(void **state)
{
	assert_true(html_url_is_safe("https://example.com/x"));
	assert_true(html_url_is_safe("HTTP://example.com"));
	assert_true(html_url_is_safe("mailto:ops@example.com"));
	assert_true(html_url_is_safe("/reviews/3"));
	assert_false(html_url_is_safe("javascript:alert(1)"));
	assert_false(html_url_is_safe("JavaScript:alert(1)"));
	assert_false(html_url_is_safe(" javascript:alert(1)"));
	assert_false(html_url_is_safe("data:text/html,<script>"));
	assert_false(html_url_is_safe("//evil.example/"));
	assert_false(html_url_is_safe("/\\evil.example/"));
	/* browsers drop tabs and line breaks from URLs: "//evil.example" */
	assert_false(html_url_is_safe("/\t/evil.example/"));
	assert_false(html_url_is_safe("/\r\n\\evil.example/"));
	assert_true(html_url_is_safe("/\treviews"));
	assert_false(html_url_is_safe("OPS-123"));
	assert_false(html_url_is_safe(NULL));
}

static void test_time_writes_rfc3339_and_utc_text(void **state)
{
	struct buf b = BUF_INIT;

	html_time(&b, 1795169045); /* 2026-11-20T10:04:05Z */
	assert_string_equal(done(&b), "<time datetime=\"2026-11-20T10:04:05Z\">"
				      "<!--debrief:t1795169045-->"
				      "2026-11-20 10:04 UTC</time>");
}

static void test_hidden_and_option_escape_their_values(void **state)
{
	struct buf b = BUF_INIT;

	html_hidden(&b, "x\"y", "<v>");
	assert_string_equal(done(&b),
			    "<input type=\"hidden\" name=\"x&quot;y\" "
			    "value=\"&lt;v&gt;\">");
	html_option(&b, "a\"", "<b>", 1);
	assert_string_equal(done(&b), "<option value=\"a&quot;\" selected>"
				      "&lt;b&gt;</option>");
}

static void test_raw_writes_markup_unchanged(void **state)
{
	struct buf b = BUF_INIT;

	html_raw(&b, "<p>");
	html_rawf(&b, "<a href=\"/reviews/%d\">", 7);
	assert_string_equal(done(&b), "<p><a href=\"/reviews/7\">");
}

static void test_diff_marks_removed_and_added_words(void **state)
{
	struct buf b = BUF_INIT;

	html_diff(&b, "the cache was cold", "the cache was warm today");
	assert_string_equal(done(&b), "the cache was <del>cold</del>"
				      "<ins>warm today</ins>");
	html_diff(&b, "one two three", "one three");
	assert_string_equal(done(&b), "one <del>two </del>three");
}

static void test_diff_escapes_both_sides(void **state)
{
	struct buf b = BUF_INIT;

	html_diff(&b, "<b>old</b> & same", "<i>new</i> & same");
	assert_string_equal(done(&b), "<del>&lt;b&gt;old&lt;/b&gt;</del>"
				      "<ins>&lt;i&gt;new&lt;/i&gt;</ins> &amp; "
				      "same");
}

static void test_diff_of_equal_texts_has_no_marks(void **state)
{
	struct buf b = BUF_INIT;

	html_diff(&b, "same text\nhere", "same text\nhere");
	assert_string_equal(done(&b), "same text\nhere");
	html_diff(&b, "", "added");
	assert_string_equal(done(&b), "<ins>added</ins>");
	html_diff(&b, "gone", NULL);
	assert_string_equal(done(&b), "<del>gone</del>");
}

/* Two long texts that differ everywhere are too big for a word table;
 * the diff still shows all of both, marked. */
static void test_diff_of_huge_different_texts_keeps_all_text(void **state)
{
	size_t n = 40000;
	char *a = malloc(n * 2 + 1), *c = malloc(n * 2 + 1);
	struct buf b = BUF_INIT;

	assert_non_null(a);
	assert_non_null(c);
	for (size_t i = 0; i < n; i++) {
		a[2 * i] = (char)('a' + i % 7);
		c[2 * i] = (char)('h' + i % 11);
		a[2 * i + 1] = c[2 * i + 1] = (i % 50 == 49) ? '\n' : ' ';
	}
	a[2 * n] = c[2 * n] = '\0';
	html_diff(&b, a, c);
	assert_false(b.oom);
	assert_non_null(strstr(buf_cstr(&b), "<del>"));
	assert_non_null(strstr(buf_cstr(&b), "<ins>"));
	/* every byte of both texts is there, plus the marks */
	assert_true(b.len >= 4 * n);
	buf_release(&b);
	free(a);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txt_escapes_the_five_specials),
		cmocka_unit_test(test_txt_keeps_plain_text_utf8_and_newlines),
		cmocka_unit_test(test_ntxt_writes_at_most_n_bytes),
		cmocka_unit_test(test_attr_escapes_quotes_and_line_breaks),
		cmocka_unit_test(
			test_url_arg_encodes_everything_but_unreserved),
		cmocka_unit_test(
			test_url_is_safe_only_for_http_https_mailto_and_paths),
		cmocka_unit_test(test_time_writes_rfc3339_and_utc_text),
		cmocka_unit_test(test_hidden_and_option_escape_their_values),
		cmocka_unit_test(test_raw_writes_markup_unchanged),
		cmocka_unit_test(test_diff_marks_removed_and_added_words),
		cmocka_unit_test(test_diff_escapes_both_sides),
		cmocka_unit_test(
			test_marked_turns_marks_into_mark_and_escapes_the_rest),
		cmocka_unit_test(test_diff_of_equal_texts_has_no_marks),
		cmocka_unit_test(
			test_diff_of_huge_different_texts_keeps_all_text),
	};

	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
