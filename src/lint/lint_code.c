/* lint_code.c: where the code is, as cmark-gfm parses it. The markdown
 * layer asks, line by line, whether a line is in a code block, and, for
 * prose, where the code spans are; both come from cmark-gfm's own parse,
 * so that `inline code written with ```three backticks```` is a code span
 * (not an unclosed fence hiding the rest of the file), and indented code,
 * nested fences and code in list items are what CommonMark says they are.
 *
 * The text is cut into regions that start at a line with no indent after
 * a blank line (no container, list or paragraph reaches across such a
 * line; only a fence or an HTML block of type 1-5 can). A region holding
 * no backtick, no tilde and no indented line holds no code and is not
 * parsed, which keeps plain prose as fast as before. A region whose last
 * fence is not closed is parsed again up to the end of the text.
 *
 * Threads: the parse uses plain cmark-gfm with no syntax extension
 * attached. Only extensions write cmark-gfm's global table of special
 * inline characters (web/markdown.c attaches them, under its lock); a
 * parse without them only reads it, and the characters extensions add
 * (~, |) cannot open or close a code span or a code block. */
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_internal.h"

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int add_range(struct lrange **r, size_t *n, size_t *cap, size_t a,
		     size_t b)
{
	if (grow((void **)r, cap, *n + 1, sizeof **r) < 0)
		return -1;
	(*r)[*n].start = a;
	(*r)[*n].end = b;
	(*n)++;
	return 0;
}

static int blank_line(const char *p, const char *e)
{
	for (; p < e && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

size_t lint_next_byte(struct lint_next *n, const char *text, size_t end,
		      size_t a, size_t b, int ch)
{
	if (a < n->from || a > n->at)
		n->from = n->at = n->to = a;
	if (n->at == n->to && n->to < b) {
		/* search on, at least LINT_NEXT_AHEAD bytes: one call per
		 * occurrence or per window, never the rest of the input (a
		 * part of a large one would, for a byte that never comes) */
		size_t lim = n->to + LINT_NEXT_AHEAD > b ? n->to + LINT_NEXT_AHEAD
							 : b;
		const char *p;

		if (lim > end)
			lim = end;
		p = memchr(text + n->to, ch, lim - n->to);
		n->at = p ? (size_t)(p - text) : lim;
		n->to = lim;
	}
	return n->at;
}

/* region_end: the end of the region that starts at from: the start of
 * the first line after a blank line that has text and no indent (or
 * end). *code is set when the region may hold code. */
static size_t region_end(struct lint_code *k, size_t from, int *code)
{
	const char *t = k->text, *p = t + from, *e = t + k->end;
	int after_blank = 0, keep = 1;

	*code = 0;
	k->nnl = 0;
	k->inl = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;

		if (blank_line(p, le)) {
			after_blank = 1;
		} else {
			if (after_blank && *p != ' ' && *p != '\t' &&
			    p > t + from)
				break;
			after_blank = 0;
			if (*p == '\t' || (le - p >= 4 && !memcmp(p, "    ", 4)))
				*code = 1;
		}
		if (nl && keep) {
			/* kept for lint_code_eol; when there is no room the
			 * markdown layer searches this region's lines itself */
			if (grow((void **)&k->nl, &k->capnl, k->nnl + 1,
				 sizeof *k->nl) < 0)
				keep = 0;
			else
				k->nl[k->nnl++] = (size_t)(nl - t);
		}
		p = nl ? nl + 1 : e;
	}
	if (!*code &&
	    (lint_next_byte(&k->bt, t, k->end, from, (size_t)(p - t), '`') <
		     (size_t)(p - t) ||
	     lint_next_byte(&k->tl, t, k->end, from, (size_t)(p - t), '~') <
		     (size_t)(p - t)))
		*code = 1;
	k->nl_from = from;
	k->nl_to = keep ? (size_t)(p - t) : 0;
	return (size_t)(p - t);
}

/* line_table fills k->lines with the offsets of the line starts of
 * text[a..b). */
static int line_table(struct lint_code *k, size_t a, size_t b)
{
	const char *t = k->text, *p = t + a, *e = t + b;

	k->nlines = 0;
	for (;;) {
		const char *nl;

		if (grow((void **)&k->lines, &k->caplines, k->nlines + 1,
			 sizeof *k->lines) < 0)
			return -1;
		k->lines[k->nlines++] = (size_t)(p - t);
		nl = memchr(p, '\n', (size_t)(e - p));
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* line_start: the offset of (1-based) line l of the region, clamped. */
static size_t line_start(const struct lint_code *k, int l, size_t b)
{
	if (l < 1)
		return k->lines[0];
	if ((size_t)l > k->nlines)
		return b;
	return k->lines[l - 1];
}

/* span_at: the code span whose content cmark puts at byte pos (content
 * start, by its source position): find the run of backticks that opens
 * it (cmark's column can be off by one after a tab in a container
 * prefix), then the closing run of the same length. */
static int span_at(struct lint_code *k, size_t pos, size_t lo, size_t b)
{
	const char *t = k->text;
	size_t o = SIZE_MAX, run, j;

	if (pos > lo && t[pos - 1] == '`')
		o = pos - 1;
	else if (pos < b && t[pos] == '`')
		o = pos;
	else if (pos + 1 < b && t[pos + 1] == '`')
		o = pos + 1;
	else if (pos > lo + 1 && t[pos - 2] == '`')
		o = pos - 2;
	if (o == SIZE_MAX)
		return 0;
	while (o > lo && t[o - 1] == '`')
		o--;
	for (run = 0; o + run < b && t[o + run] == '`'; run++)
		;
	for (j = o + run; j < b;) {
		const char *q = memchr(t + j, '`', b - j);
		size_t n = 0;

		if (!q)
			return 0;
		j = (size_t)(q - t);
		while (j + n < b && t[j + n] == '`')
			n++;
		if (n == run)
			return add_range(&k->span, &k->nspan, &k->capspan, o,
					 j + n);
		j += n;
	}
	return 0;
}

/* parse runs cmark-gfm over text[a..b) and records its code blocks and
 * code spans. *open is set when the last fenced block is not closed. */
static int parse(struct lint_code *k, size_t a, size_t b, int *open)
{
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	int rc = 0;

	*open = 0;
	if (!k->parser) {
		k->parser = cmark_parser_new(CMARK_OPT_SOURCEPOS);
		if (!k->parser)
			return -1;
	}
	if (line_table(k, a, b) < 0)
		return -1;
	cmark_parser_feed(k->parser, k->text + a, b - a);
	doc = cmark_parser_finish(k->parser);
	if (!doc)
		return -1;
	it = cmark_iter_new(doc);
	if (!it) {
		cmark_node_free(doc);
		return -1;
	}
	while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(x);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (ty == CMARK_NODE_CODE_BLOCK) {
			int sl = cmark_node_get_start_line(x),
			    el = cmark_node_get_end_line(x);
			size_t s = line_start(k, sl, b),
			       e = line_start(k, el + 1, b);
			int len, off;
			char ch;

			if (cmark_node_get_fenced(x, &len, &off, &ch) &&
			    e >= b && blank_line(k->text + line_start(k, el, b),
						 k->text + b))
				*open = 1;
			rc = add_range(&k->blk, &k->nblk, &k->capblk, s, e);
		} else if (ty == CMARK_NODE_CODE) {
			int l = cmark_node_get_start_line(x),
			    col = cmark_node_get_start_column(x);
			size_t ls = line_start(k, l, b), pos = ls + (size_t)col - 1;

			if (col >= 1 && pos <= b)
				rc = span_at(k, pos, ls, b);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return rc;
}

/* decide finds the code of the region that starts at k->upto. */
static void decide(struct lint_code *k)
{
	size_t a = k->upto, b;
	int code, open = 0;

	b = region_end(k, a, &code);
	if (code) {
		size_t nb = k->nblk, ns = k->nspan;

		if (parse(k, a, b, &open) < 0)
			k->oom = 1;
		if (open && b < k->end) {
			/* an unclosed fence runs on: parse again to the end */
			k->nblk = nb;
			k->nspan = ns;
			b = k->end;
			if (parse(k, a, b, &open) < 0)
				k->oom = 1;
		}
	}
	k->upto = b > a ? b : k->end;
}

void lint_code_init(struct lint_code *k, const char *text, size_t from,
		    size_t end)
{
	memset(k, 0, sizeof *k);
	k->bt = LINT_NEXT_INIT;
	k->tl = LINT_NEXT_INIT;
	k->text = text;
	k->upto = from;
	k->end = end;
}

void lint_code_free(struct lint_code *k)
{
	if (k->parser)
		cmark_parser_free(k->parser);
	free(k->blk);
	free(k->span);
	free(k->lines);
	free(k->nl);
	memset(k, 0, sizeof *k);
}

int lint_code_block_at(struct lint_code *k, size_t off)
{
	while (off >= k->upto && k->upto < k->end && !k->oom)
		decide(k);
	while (k->iblk < k->nblk && k->blk[k->iblk].end <= off)
		k->iblk++;
	return k->iblk < k->nblk && k->blk[k->iblk].start <= off;
}

const char *lint_code_eol(struct lint_code *k, size_t off)
{
	const char *nl;

	while (off >= k->upto && k->upto < k->end && !k->oom)
		decide(k);
	if (off >= k->nl_from && off < k->nl_to) {
		while (k->inl < k->nnl && k->nl[k->inl] < off)
			k->inl++;
		/* none left: the region, and the line, run to the end */
		return k->inl < k->nnl ? k->text + k->nl[k->inl] : NULL;
	}
	nl = off < k->end ? memchr(k->text + off, '\n', k->end - off) : NULL;
	return nl;
}

const struct lrange *lint_code_span_after(struct lint_code *k, size_t off)
{
	while (k->ispan < k->nspan && k->span[k->ispan].end <= off)
		k->ispan++;
	return k->ispan < k->nspan ? &k->span[k->ispan] : NULL;
}
