/* fuzz_learning.c: libFuzzer target for the parsers of the learning
 * signals (issue 17): glossary_link, which walks a rendered review's HTML
 * and links the first use of each term; glossary_check, the rule of what
 * a term may be; and link_refs_find, which finds "PM-42" and
 * "/reviews/42" in a line of a repository. The input is glossary lines
 * ("term<TAB>definition") up to the first NUL, then markdown.
 * Invariants: the linked page passes the HTML checks (no script, no
 * event handler, no script URL, no slot marker left), holds at most one
 * link per term and, without its term links, is the page as rendered;
 * references lie inside the line with a positive id and start with
 * "PM-" or "/reviews/". */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "model/learning.h"
#include "web/glossary_link.h"
#include "web/markdown.h"

#define MAX_TERMS 16

struct line {
	const char *s;
	size_t n;
};

static int check_ref(const struct link_ref *r, void *arg)
{
	const struct line *l = arg;
	const char *line = l->s;
	size_t n = l->n;

	FUZZ_ASSERT(r->at + r->len <= n && r->len > 0 && r->review_id > 0,
		    "reference out of the line \"%.200s\"", line);
	FUZZ_ASSERT(!memcmp(line + r->at, LINK_REF_PREFIX,
			    sizeof LINK_REF_PREFIX - 1) ||
			    !memcmp(line + r->at, "/reviews/", 9),
		    "a reference that is neither PM- nor /reviews/ in "
		    "\"%.200s\"",
		    line);
	return 0;
}

/* strip_gloss removes every <a class="gloss" ...> and its </a> from s,
 * in place; the text inside stays. */
FUZZ_CHECKER static size_t strip_gloss(char *s, size_t n)
{
	static const char open[] = "<a class=\"gloss\" ";
	size_t o = 0, i = 0;

	while (i < n) {
		if (n - i >= sizeof open - 1 &&
		    !memcmp(s + i, open, sizeof open - 1)) {
			const char *gt = memchr(s + i, '>', n - i);
			const char *close;

			FUZZ_ASSERT(gt, "an unclosed term link");
			close = memmem(gt, n - (size_t)(gt - s), "</a>", 4);
			FUZZ_ASSERT(close, "a term link without </a>");
			memmove(s + o, gt + 1, (size_t)(close - gt - 1));
			o += (size_t)(close - gt - 1);
			i = (size_t)(close - s) + 4;
			continue;
		}
		s[o++] = s[i++];
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct glossary_term terms[MAX_TERMS];
	struct buf page = BUF_INIT, plain = BUF_INIT, out = BUF_INIT;
	char *s = fuzz_cstr(data, size), *md, *line, *next;
	size_t nterms = 0, links = 0;
	const char *p;

	if (!s)
		return 0;
	/* glossary lines up to the first NUL, then the markdown */
	md = memchr(s, '\0', size);
	md = md ? md + 1 : NULL;
	for (line = s; md && *line; line = next) {
		char *tab, *nl = strchr(line, '\n');

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		if (nterms == MAX_TERMS ||
		    glossary_check(line, tab + 1, NULL) != E_OK)
			continue;
		terms[nterms] = (struct glossary_term){
			(int64_t)nterms + 1, 0, 0, line, tab + 1};
		nterms++;
	}
	if (!md)
		md = s; /* no NUL: all markdown, no terms */
	{
		struct line l = {md, strlen(md)};

		link_refs_find(l.s, l.n, check_ref, &l);
	}
	buf_puts(&page, GLOSS_BEGIN);
	if (markdown_render(&page, md) < 0)
		goto out;
	buf_puts(&page, GLOSS_END);
	if (markdown_render(&plain, md) < 0 || page.oom || plain.oom)
		goto out;
	if (glossary_link(&out, page.data, page.len, terms, nterms) < 0)
		goto out;
	fuzz_check_html(out.data ? out.data : "", out.len, md);
	for (p = out.data; p && (p = memmem(p, out.len - (size_t)(p - out.data),
					    "class=\"gloss\"", 13));
	     p += 13)
		links++;
	FUZZ_ASSERT(links <= nterms, "%zu term links for %zu terms", links,
		    nterms);
	out.len = strip_gloss(out.data ? out.data : "", out.len);
	FUZZ_ASSERT(out.len == plain.len &&
			    (!out.len || !memcmp(out.data, plain.data, out.len)),
		    "linking changed the page of \"%.200s\"", md);
out:
	buf_release(&page);
	buf_release(&plain);
	buf_release(&out);
	free(s);
	return 0;
}
