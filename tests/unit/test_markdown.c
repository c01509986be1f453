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
#include <time.h>

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

/* The plain path (markdown_plain, no parse) writes what cmark-gfm writes,
 * byte for byte: for prose as a review is mostly written, and for random
 * texts of the characters that come close to markdown (line starts,
 * numbers, quotes, "www", blank lines, trailing spaces); whatever it
 * refuses goes to cmark-gfm as before. */
static void check_plain_as_cmark(const char *md, int *taken)
{
	struct buf a = BUF_INIT, c = BUF_INIT;
	int rc = markdown_plain(&a, md);

	assert_true(rc == 0 || rc == 1);
	if (rc == 1) {
		assert_int_equal(markdown_render_cmark(&c, md), 0);
		if (strcmp(buf_cstr(&a), buf_cstr(&c)))
			fail_msg("plain and cmark differ on \"%s\":\n%s\n%s", md,
				 buf_cstr(&a), buf_cstr(&c));
		(*taken)++;
	} else {
		assert_int_equal(a.len, 0);
	}
	buf_release(&a);
	buf_release(&c);
}

static void test_plain_prose_renders_as_cmark_does(void **state)
{
	static const char *const prose[] = {
		"Replication lag on the replicas reached 90 seconds.",
		"Error rates rose from 0.1% to 14% within two minutes. The \"fix\" "
		"was a rollback (it's done).\nA second line, same paragraph.",
		"First paragraph.\n\nSecond one, after a blank line.\n\n\n"
		"Third.\n",
		"\n\nLeading blank lines, then text",
		"2018 was the year; 404s - and 5xx - rose by 3/4 = 75%?",
		"The deploy at 14:02 UTC: rolled back at 14:10.",
		"1. a list", "2) a list", "- a list", "# a heading",
		"a line\n===", "a line\n---", "    code", "trailing space ",
		"hard break  \nnext", "see www.example.com", "mail a@b.example",
		"http://example.com", "see https://x.example/a", "ftp://f",
		"a:/b", "*emph*", "a_b_c", "a & b", "a < b",
		"tab\there", "caf\xc3\xa9", "a | b", "~~gone~~", "[a]: /u",
	};
	const char alphabet[] = "aZw W.0129)(\"'-=+%,;:/?\n \nhtpf";
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int taken = 0, n = 0;
	char md[48];

	(void)state;
	for (size_t i = 0; i < sizeof prose / sizeof *prose; i++)
		check_plain_as_cmark(prose[i], &taken);
	assert_int_equal(taken, 6); /* the first six; the rest go to cmark */
	for (int i = 0; i < 20000; i++) {
		size_t len;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len = 1 + x % (sizeof md - 1);
		for (size_t k = 0; k < len; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			md[k] = alphabet[x % (sizeof alphabet - 1)];
		}
		md[len] = '\0';
		check_plain_as_cmark(md, &n);
	}
	assert_true(n > 1000); /* the random texts took the plain path too */
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

/* href_of copies the first href or src value of html into out. */
static const char *href_of(const char *html, char *out, size_t n)
{
	const char *p = strstr(html, "href=\"");

	if (!p || (strstr(html, "src=\"") && strstr(html, "src=\"") < p))
		p = strstr(html, "src=\"");
	if (!p)
		return NULL;
	p = strchr(p, '"') + 1;
	snprintf(out, n, "%.*s", (int)strcspn(p, "\""), p);
	return out;
}

/* Browsers drop tabs and line breaks from a URL and read backslashes as
 * slashes, so "/<TAB>/evil.example" goes to evil.example. cmark-gfm
 * percent-encodes them in link destinations: the href stays on this
 * site. */
static void test_link_destinations_never_hide_another_host(void **state)
{
	static const char *const md[] = {
		"[a](</\t/evil.example>)",
		"[a](</\t\t/evil.example>)",
		"[a](/\\\\evil.example)",
		"[a](</\\\\evil.example>)",
		"[a](</\t\\\\evil.example>)",
		"[a]\n\n[a]: </\t/evil.example>",
		"![i](</\t/evil.example/p.png>)",
		"[a](/%09/evil.example)",
	};
	char href[256];

	for (size_t i = 0; i < sizeof md / sizeof md[0]; i++) {
		const char *h = render(md[i]);

		if (!href_of(h, href, sizeof href))
			fail_msg("no link in %zu: %s", i, h);
		if (strpbrk(href, "\t\r\n\\") || href[0] != '/' ||
		    href[1] == '/')
			fail_msg("%zu: href \"%s\" leaves the site", i, href);
	}
	/* a scheme split by a tab is no scheme at all */
	assert_null(strstr(render("[a](<java\tscript:alert(1)>)"),
			   "href=\"javascript"));
}

/* ---- bounded renders ------------------------------------------------ */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* table_text makes the hostile test's table: a header of cols one-letter
 * cells, its delimiter row, and rows lines of one letter each, which
 * cmark-gfm pads to cols cells (2,000 x 2,000: 12 KB of text). */
static char *table_text(int rows, int cols)
{
	struct buf m = BUF_INIT;

	for (int i = 0; i < cols; i++)
		buf_puts(&m, "|a");
	buf_puts(&m, "\n");
	for (int i = 0; i < cols; i++)
		buf_puts(&m, "|-");
	buf_puts(&m, "\n");
	for (int i = 0; i < rows; i++)
		buf_puts(&m, "x\n");
	assert_false(m.oom);
	return m.data;
}

/* ref_text: one reference definition with a url_len-byte URL and uses
 * "[a]" of it. */
static char *ref_text(int uses, int url_len)
{
	struct buf m = BUF_INIT;

	buf_puts(&m, "[a]: /");
	for (int i = 0; i < url_len; i++)
		buf_puts(&m, "x");
	buf_puts(&m, "\n\n");
	for (int i = 0; i < uses; i++)
		buf_puts(&m, "[a]");
	buf_puts(&m, "\n");
	assert_false(m.oom);
	return m.data;
}

static void test_a_2000_by_2000_table_renders_small_and_fast(void **state)
{
	char *md = table_text(2000, 2000);
	struct buf b = BUF_INIT;
	double t0 = now();

	assert_true(strlen(md) < 13000);
	assert_int_equal(markdown_render(&b, md), 0);
	/* it was 40 MB in 14 s; now the text of the table, as text */
	assert_true(now() - t0 < 3.0);
	assert_true(b.len < 64 * 1024);
	assert_null(strstr(buf_cstr(&b), "<table>"));
	assert_non_null(strstr(buf_cstr(&b), "|a|a|a"));
	buf_release(&b);
	free(md);
}

static void test_a_table_within_the_cell_budget_is_a_table(void **state)
{
	char *md = table_text(999, 20); /* 1,000 rows x 20: the budget */
	struct buf b = BUF_INIT;

	assert_int_equal(markdown_table_cells(md), MARKDOWN_TABLE_CELLS);
	assert_int_equal(markdown_render(&b, md), 0);
	assert_non_null(strstr(buf_cstr(&b), "<table>"));
	assert_true(b.len < 1024 * 1024);
	buf_release(&b);
	free(md);
}

static void test_table_cells_counts_rows_times_header_columns(void **state)
{
	assert_int_equal(markdown_table_cells("| a | b | c |\n|---|:-:|--:|\n"
					      "x\n| 1 | 2 |\n\nafter\n"),
			 9);
	/* in a block quote, and two tables add up */
	assert_int_equal(markdown_table_cells("> |a|b|\n> |-|-|\n> x\n>\n"
					      "|a|\n|-|\n|b|\n"),
			 4 + 2);
	assert_int_equal(markdown_table_cells("a\n---\n\n- list\n"), 0);
	assert_int_equal(markdown_table_cells("a | b\r\n-|-\r\nc\r\n"), 4);
}

/* repeat writes pre and then n copies of unit; malloc'd. */
static char *repeat(const char *pre, const char *unit, int n)
{
	struct buf m = BUF_INIT;

	buf_puts(&m, pre);
	for (int i = 0; i < n; i++)
		buf_puts(&m, unit);
	assert_false(m.oom);
	return m.data;
}

/* time_render renders md and returns the seconds it took; the HTML in
 * *out (malloc'd). */
static double time_render(const char *md, char **out)
{
	struct buf b = BUF_INIT;
	double t0 = now();

	assert_int_equal(markdown_render(&b, md), 0);
	t0 = now() - t0;
	*out = buf_detach(&b);
	return t0;
}

static void test_a_row_of_many_cells_is_bounded(void **state)
{
	/* 40,000 cells in one row of a two-column table: 7 s before */
	char *md = repeat("a|b\n-|-\n", "x|", 40000), *html;

	assert_true(markdown_table_cells(md) > MARKDOWN_TABLE_CELLS);
	assert_true(time_render(md, &html) < 2.0);
	assert_null(strstr(html, "<table>"));
	free(html);
	free(md);
	/* a header as wide: the same */
	md = repeat("", "x|", 40000);
	md = realloc(md, strlen(md) + 8);
	strcat(md, "\n-|-\n");
	assert_true(markdown_table_cells(md) > MARKDOWN_TABLE_CELLS);
	free(md);
	assert_int_equal(markdown_table_cells("|a|b|\n|-|-|\n|1|2|3|4|\n"), 6);
}

static void test_many_images_with_links_are_bounded(void **state)
{
	/* "![[]()" 43,690 times: 3.4 s before */
	char *md = repeat("", "![[]()", 43690), *html;

	assert_true(time_render(md, &html) < 2.0);
	assert_non_null(strstr(html, "<pre class=\"md-too-big\">"));
	free(html);
	free(md);
	md = repeat("", "![i](/a.png) ", 100);
	assert_true(time_render(md, &html) < 2.0);
	assert_non_null(strstr(html, "<img src=\"/a.png\""));
	free(html);
	free(md);
}

static void test_many_at_signs_are_bounded(void **state)
{
	/* "a@b." 65,536 times: 0.66 s before, in the markdown lock */
	char *md = repeat("", "a@b.", 65536), *html;

	assert_true(time_render(md, &html) < 0.2); /* 2 ms now */
	free(html);
	free(md);
	/* below the limit addresses are still links */
	assert_non_null(strstr(render("mail ops@example.com now"),
			       "<a href=\"mailto:ops@example.com\">"));
}

static void test_a_full_page_gets_its_further_texts_escaped(void **state)
{
	struct buf b = BUF_INIT;
	char *filler = calloc(1, MARKDOWN_PAGE_HTML + 2);

	assert_non_null(filler);
	assert_int_equal(markdown_render(&b, "| a |\n|---|\n| 1 |\n"), 0);
	assert_non_null(strstr(buf_cstr(&b), "<table>"));
	memset(filler, 'p', MARKDOWN_PAGE_HTML + 1);
	buf_puts(&b, filler);
	assert_int_equal(markdown_render(&b, "| a |\n|---|\n| 1 |\n"), 0);
	assert_null(strstr(buf_cstr(&b) + MARKDOWN_PAGE_HTML, "<table>"));
	assert_non_null(strstr(buf_cstr(&b) + MARKDOWN_PAGE_HTML,
			       "<pre class=\"md-too-big\">| a |"));
	buf_release(&b);
	free(filler);
}

static void test_reference_link_copies_are_bounded(void **state)
{
	/* 40,000 uses of a 100 KB URL: 2 GB in cmark's parse, then an
	 * abort() of the whole server in its output buffer */
	char *md = ref_text(40000, 100000);
	struct buf b = BUF_INIT;
	double t0 = now();

	assert_true(markdown_ref_copies(md) > MARKDOWN_MAX_HTML);
	assert_int_equal(markdown_render(&b, md), 0);
	assert_true(now() - t0 < 3.0);
	assert_true(b.len < 2 * strlen(md));
	assert_non_null(strstr(buf_cstr(&b), "<pre class=\"md-too-big\">"));
	assert_null(strstr(buf_cstr(&b), "<a href"));
	buf_release(&b);
	free(md);
}

static void test_reference_links_within_the_bound_are_links(void **state)
{
	char *md = ref_text(100, 100);

	assert_true(markdown_ref_copies(md) <= MARKDOWN_MAX_HTML);
	assert_non_null(strstr(render(md), "<a href=\"/xxxx"));
	free(md);
}

struct huge_job {
	int done, bad;
};

static void *render_huge(void *arg)
{
	struct huge_job *j = arg;
	char *md = table_text(2000, 2000);

	for (int i = 0; i < 3; i++) {
		struct buf b = BUF_INIT;

		j->bad += markdown_render(&b, md) < 0;
		buf_release(&b);
	}
	free(md);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_a_small_render_never_waits_behind_a_huge_one(void **state)
{
	struct huge_job j = {0, 0};
	double worst = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, render_huge, &j), 0);
	for (int i = 0; i < 200 || !__atomic_load_n(&j.done, __ATOMIC_ACQUIRE);
	     i++) {
		double t0 = now(), dt;

		assert_true(has(render("*small* page"), "<em>small</em>"));
		dt = now() - t0;
		if (dt > worst)
			worst = dt;
		if (i > 100000)
			break;
	}
	pthread_join(t, NULL);
	assert_int_equal(j.bad, 0);
	assert_true(worst < 1.0);
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
		cmocka_unit_test(test_plain_prose_renders_as_cmark_does),
		cmocka_unit_test(test_renders_from_many_threads_agree),
		cmocka_unit_test(
			test_link_destinations_never_hide_another_host),
		cmocka_unit_test(test_a_2000_by_2000_table_renders_small_and_fast),
		cmocka_unit_test(test_a_table_within_the_cell_budget_is_a_table),
		cmocka_unit_test(
			test_table_cells_counts_rows_times_header_columns),
		cmocka_unit_test(test_reference_link_copies_are_bounded),
		cmocka_unit_test(test_a_row_of_many_cells_is_bounded),
		cmocka_unit_test(test_many_images_with_links_are_bounded),
		cmocka_unit_test(test_many_at_signs_are_bounded),
		cmocka_unit_test(
			test_a_full_page_gets_its_further_texts_escaped),
		cmocka_unit_test(
			test_reference_links_within_the_bound_are_links),
		cmocka_unit_test(
			test_a_small_render_never_waits_behind_a_huge_one),
	};

	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
