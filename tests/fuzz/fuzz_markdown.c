/* fuzz_markdown.c: libFuzzer target for the markdown rendering path of the
 * review page (markdown_render, cmark-gfm in safe mode) and the escaping
 * writers of html.h, including the History page's html_diff. The output
 * must never carry a script element, an on* attribute or a script URL
 * (fuzz_check_html), and the writers must keep their contracts: text and
 * attribute values hold no raw markup characters, url_arg only unreserved
 * bytes and %XX, and a URL html_url_is_safe passes is http(s), mailto or
 * a path on this site even after a browser drops tabs and line breaks. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "web/html.h"
#include "web/markdown.h"

/* check_escaped: no byte of s[0..n) may open markup or end a value. */
FUZZ_CHECKER static void check_escaped(const char *s, size_t n, int attr,
				       const char *in)
{
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(s[i] != '<' && s[i] != '>' && s[i] != '"' &&
				    s[i] != '\'',
			    "raw '%c' in escaped text of \"%.200s\"", s[i], in);
		if (attr)
			FUZZ_ASSERT(s[i] != '\n' && s[i] != '\r',
				    "raw line break in an attribute of "
				    "\"%.200s\"",
				    in);
	}
}

FUZZ_CHECKER static void check_url_arg(const char *s, size_t n, const char *in)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			FUZZ_ASSERT(i + 2 < n &&
					    isxdigit((unsigned char)s[i + 1]) &&
					    isxdigit((unsigned char)s[i + 2]),
				    "truncated %%XX in url_arg of \"%.200s\"",
				    in);
			i += 2;
			continue;
		}
		FUZZ_ASSERT((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				    (c >= '0' && c <= '9') || c == '-' ||
				    c == '_' || c == '.' || c == '~',
			    "byte 0x%02x left as is by html_url_arg",
			    (unsigned char)c);
	}
}

/* check_safe_url: what html_url_is_safe lets through must still be a
 * harmless URL once a browser has removed tabs and line breaks (URL
 * parsers do), dropped leading spaces and control characters, and read
 * each backslash as a slash (as it does in http(s) URLs and relative
 * paths: a lone backslash is "/", two of them start "//host"). The
 * value is the one html_attr writes (its '&' as "&amp;"), as the links
 * of review.c and meeting.c do. */
FUZZ_CHECKER static void check_safe_url(const char *s)
{
	char u[64];

	struct buf attr = BUF_INIT;

	if (!html_url_is_safe(s))
		return;
	/* the page writes it with html_attr; the browser decodes that */
	html_attr(&attr, s);
	fuzz_url_decode(buf_cstr(&attr), attr.len, u, sizeof u);
	buf_release(&attr);
	FUZZ_ASSERT(fuzz_url_attr_ok(u), "html_url_is_safe(\"%.200s\")", s);
	if (strncmp(u, "mailto:", 7))
		for (char *p = u; *p; p++)
			if (*p == '\\')
				*p = '/';
	FUZZ_ASSERT(!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8) ||
			    !strncmp(u, "mailto:", 7) ||
			    (u[0] == '/' && u[1] != '/'),
		    "html_url_is_safe passes \"%.200s\", a browser reads "
		    "\"%s\"",
		    s, u);
}

/* diff_side rebuilds one side of an html_diff: the text outside <del>
 * and <ins> plus the text inside keep ("del" for the old side, "ins" for
 * the new), with the five entities of html_txt decoded. -1 when the
 * output holds anything else. */
FUZZ_CHECKER static int diff_side(const char *h, size_t n, const char *keep,
				  struct buf *out)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'},
		    {"&lt;", '<'},
		    {"&gt;", '>'},
		    {"&quot;", '"'},
		    {"&#39;", '\''}};
	int in_keep = 1;

	for (size_t i = 0; i < n;) {
		if (h[i] == '<') {
			const char *tags[] = {"<del>", "</del>", "<ins>",
					      "</ins>"};
			size_t t;

			for (t = 0; t < 4; t++)
				if (!strncmp(h + i, tags[t], strlen(tags[t])))
					break;
			if (t == 4)
				return -1;
			if (t == 0 || t == 2)
				in_keep = !strncmp(h + i + 1, keep, 3);
			else
				in_keep = 1;
			i += strlen(tags[t]);
		} else if (h[i] == '&') {
			size_t e;

			for (e = 0; e < 5; e++)
				if (!strncmp(h + i, ents[e].ent,
					     strlen(ents[e].ent)))
					break;
			if (e == 5)
				return -1;
			if (in_keep)
				buf_putc(out, ents[e].c);
			i += strlen(ents[e].ent);
		} else {
			if (in_keep)
				buf_putc(out, h[i]);
			i++;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT, side = BUF_INIT;
	char *s = fuzz_cstr(data, size), *two = malloc(size + 2);
	const char *old_text, *new_text;

	if (!s || !two)
		goto out;
	/* the markdown path of the review page */
	if (markdown_render(&b, s) == 0)
		fuzz_check_html(b.data ? b.data : "", b.len, s);
	FUZZ_ASSERT(!b.oom, "out of memory rendering %zu bytes", size);

	buf_reset(&b);
	html_txt(&b, s);
	check_escaped(b.data, b.len, 0, s);
	buf_reset(&b);
	html_ntxt(&b, s, size / 2);
	check_escaped(b.data, b.len, 0, s);
	buf_reset(&b);
	html_attr(&b, s);
	check_escaped(b.data, b.len, 1, s);
	buf_reset(&b);
	html_url_arg(&b, s);
	check_url_arg(b.data, b.len, s);
	check_safe_url(s);

	/* the History page: old and new text are the two halves of the
	 * input, or the parts before and after its first NUL */
	if (memchr(data, '\0', size)) {
		memcpy(two, data, size);
		two[size] = two[size + 1] = '\0';
		old_text = two;
		new_text = two + strlen(two) + 1;
	} else {
		size_t half = size / 2;

		memcpy(two, data, half);
		two[half] = '\0';
		memcpy(two + half + 1, data + half, size - half);
		two[size + 1] = '\0';
		old_text = two;
		new_text = two + half + 1;
	}
	buf_reset(&b);
	html_diff(&b, old_text, new_text);
	FUZZ_ASSERT(!b.oom, "out of memory in html_diff");
	fuzz_check_html(b.data ? b.data : "", b.len, s);
	FUZZ_ASSERT(diff_side(b.data, b.len, "del", &side) == 0 &&
			    !strcmp(buf_cstr(&side), old_text),
		    "html_diff loses the old text \"%.200s\": \"%.200s\"",
		    old_text, buf_cstr(&side));
	buf_reset(&side);
	FUZZ_ASSERT(diff_side(b.data, b.len, "ins", &side) == 0 &&
			    !strcmp(buf_cstr(&side), new_text),
		    "html_diff loses the new text \"%.200s\": \"%.200s\"",
		    new_text, buf_cstr(&side));
out:
	buf_release(&side);
	buf_release(&b);
	free(two);
	free(s);
	return 0;
}
