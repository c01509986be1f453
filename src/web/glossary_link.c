/* glossary_link.c: the first use of each glossary term in a rendered
 * review becomes a link to its definition. It works on the HTML that
 * cmark-gfm wrote in safe mode (well-formed, text escaped): text between
 * tags is searched for each term, escaped as cmark escapes text, so a
 * term is literal text whatever characters it holds; elements where a
 * link does not belong (links, code, pre, headings) are skipped. */
#include "web/glossary_link.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/html.h"

#define LIT_LEN(s) (sizeof(s) - 1)

/* One term as it appears in rendered text. */
struct gterm {
	const struct glossary_term *t;
	char *esc; /* the term escaped as HTML text */
	size_t len;
	int used;
};

/* skip_tag tells whether a tag named name[0..n) opens an element whose
 * text is never linked. */
static int skip_tag(const char *name, size_t n)
{
	static const char *const skip[] = {"a",	 "code", "pre",	 "h1",
					   "h2", "h3",	 "h4",	 "h5",
					   "h6", "kbd",	 "samp", "script",
					   "style", "textarea", NULL};

	for (size_t i = 0; skip[i]; i++)
		if (strlen(skip[i]) == n && !strncasecmp(skip[i], name, n))
			return 1;
	return 0;
}

static int word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* match_at tells whether term g is used at text[i] (within text[0..n)):
 * the same bytes in any ASCII case, and, where the term begins or ends
 * with a word character, no word character beside it. */
static int match_at(const struct gterm *g, const char *text, size_t n,
		    size_t i)
{
	if (i + g->len > n || strncasecmp(text + i, g->esc, g->len))
		return 0;
	if (word((unsigned char)g->esc[0]) && i > 0 &&
	    word((unsigned char)text[i - 1]))
		return 0;
	if (word((unsigned char)g->esc[g->len - 1]) && i + g->len < n &&
	    word((unsigned char)text[i + g->len]))
		return 0;
	return 1;
}

/* link_text writes text[0..n) with the first use of each unused term
 * linked. */
static void link_text(struct buf *out, const char *text, size_t n,
		      struct gterm *g, size_t ng)
{
	size_t i = 0, from = 0;

	while (i < n) {
		struct gterm *hit = NULL;

		for (size_t k = 0; k < ng && !hit; k++)
			if (!g[k].used && match_at(&g[k], text, n, i))
				hit = &g[k];
		if (!hit) {
			i++;
			continue;
		}
		buf_append(out, text + from, i - from);
		html_rawf(out, "<a class=\"gloss\" href=\"/glossary#term-%lld\" "
			       "title=\"",
			  (long long)hit->t->id);
		html_attr(out, hit->t->definition);
		html_raw(out, "\">");
		buf_append(out, text + i, hit->len);
		html_raw(out, "</a>");
		hit->used = 1;
		i += hit->len;
		from = i;
	}
	buf_append(out, text + from, n - from);
}

static int longer_first(const void *pa, const void *pb)
{
	const struct gterm *a = pa, *b = pb;

	return a->len < b->len ? 1 : a->len > b->len ? -1 : 0;
}

/* strip_markers copies html[0..n) to out without the markers, as the
 * walk below does when no term matches (the page's HTML escapes every
 * '<' of text and attributes, so "<!--debrief:" only starts a slot). */
static int strip_markers(struct buf *out, const char *html, size_t n)
{
	static const char any[] = "<!--debrief:";
	size_t i = 0;

	while (i < n) {
		const char *m = memmem(html + i, n - i, any, LIT_LEN(any));
		size_t at = m ? (size_t)(m - html) : n, skip = 0;

		buf_append(out, html + i, at - i);
		if (!m)
			break;
		if (n - at >= LIT_LEN(GLOSS_BEGIN) &&
		    !memcmp(m, GLOSS_BEGIN, LIT_LEN(GLOSS_BEGIN)))
			skip = LIT_LEN(GLOSS_BEGIN);
		else if (n - at >= LIT_LEN(GLOSS_END) &&
			 !memcmp(m, GLOSS_END, LIT_LEN(GLOSS_END)))
			skip = LIT_LEN(GLOSS_END);
		else { /* another slot: kept, to its '>' as a tag */
			const char *gt = memchr(m, '>', n - at);

			skip = gt ? (size_t)(gt - m) + 1 : n - at;
			buf_append(out, m, skip);
		}
		i = at + skip;
	}
	return out->oom ? -1 : 0;
}

int glossary_link(struct buf *out, const char *html, size_t n,
		  const struct glossary_term *terms, size_t nterms)
{
	struct gterm *g = nterms ? calloc(nterms, sizeof *g) : NULL;
	size_t i = 0, ng = 0;
	int inside = 0, skip = 0, rc = 0;

	if (nterms && !g)
		return -1;
	for (size_t k = 0; k < nterms; k++) {
		struct buf e = BUF_INIT;

		html_txt(&e, terms[k].term);
		if (e.oom || !e.len) {
			buf_release(&e);
			continue;
		}
		g[ng].t = &terms[k];
		g[ng].len = e.len;
		g[ng].esc = buf_detach(&e);
		if (!g[ng].esc) {
			rc = -1;
			goto out;
		}
		ng++;
	}
	if (!ng) { /* nothing to link: only the markers go */
		rc = strip_markers(out, html, n);
		goto out;
	}
	/* "SLO budget" before "SLO": the longest use wins */
	if (ng > 1)
		qsort(g, ng, sizeof *g, longer_first);
	while (i < n) {
		const char *lt = memchr(html + i, '<', n - i);
		size_t end = lt ? (size_t)(lt - html) : n;

		if (end > i) {
			if (inside && !skip && ng)
				link_text(out, html + i, end - i, g, ng);
			else
				buf_append(out, html + i, end - i);
		}
		if (!lt)
			break;
		i = end;
		if (n - i >= LIT_LEN(GLOSS_BEGIN) &&
		    !memcmp(html + i, GLOSS_BEGIN, LIT_LEN(GLOSS_BEGIN))) {
			inside = 1;
			skip = 0;
			i += LIT_LEN(GLOSS_BEGIN);
			continue;
		}
		if (n - i >= LIT_LEN(GLOSS_END) &&
		    !memcmp(html + i, GLOSS_END, LIT_LEN(GLOSS_END))) {
			inside = 0;
			i += LIT_LEN(GLOSS_END);
			continue;
		}
		{
			const char *gt = memchr(html + i, '>', n - i);
			size_t tend = gt ? (size_t)(gt - html) + 1 : n;
			size_t p = i + 1, nl;
			int closing = 0;

			if (p < n && html[p] == '/') {
				closing = 1;
				p++;
			}
			for (nl = 0; p + nl < tend && isalnum((unsigned char)
							    html[p + nl]);
			     nl++)
				;
			/* <br />: a tag that closes itself opens nothing */
			if (inside && nl && skip_tag(html + p, nl) &&
			    !(tend >= i + 2 && html[tend - 2] == '/'))
				skip += closing ? (skip > 0 ? -1 : 0) : 1;
			buf_append(out, html + i, tend - i);
			i = tend;
		}
	}
	if (out->oom)
		rc = -1;
out:
	for (size_t k = 0; k < ng; k++)
		free(g[k].esc);
	free(g);
	return rc;
}
