/* lint_md.c: the markdown layer. Walks the input line by line, decides
 * what is prose and hands prose segments to the tokenizer. Code blocks
 * and code spans are what cmark-gfm's parse says (lint_code.c). Skipped:
 * front matter, code blocks, blockquotes (quoted chat, unless
 * cfg->lint_quotes), HTML blocks and comments, thematic breaks, table
 * delimiter rows. Headings, list items and table cells are sentence
 * boundaries. A paragraph is a run of non-blank lines; the ignore marker
 * `<!-- debrief-lint: ignore [CAT ...] -->` silences the next one. */
#include <string.h>
#include <strings.h>

#include "lint/lint_internal.h"
#include "util/utf8.h"

struct md {
	struct lctx *c;
	const struct lint_config *cfg;
	int para_open;
	int in_list;	       /* the last block was a list item */
	int in_quote;	       /* inside a blockquote paragraph */
	int in_comment;	       /* inside a multi-line HTML comment */
	unsigned pending_mask; /* from an ignore marker, for the next para */
	int have_pending;
	struct lint_code code; /* where cmark-gfm finds code */
	struct lint_next lt;   /* the next '<' (prose asks on every line;
				* most have none) */
};

static void para_end(struct md *m)
{
	lint_tok_break(m->c);
	if (m->para_open)
		m->c->suppress = m->c->disabled;
	m->para_open = 0;
}

static void para_start(struct md *m)
{
	if (m->para_open)
		return;
	m->para_open = 1;
	m->c->suppress = m->c->disabled;
	if (m->have_pending) {
		m->c->suppress |= m->pending_mask;
		m->have_pending = 0;
		m->pending_mask = 0; /* a later marker names its own */
	}
}

/* marker parses the inside of an HTML comment; when it is an ignore
 * marker, the mask of the named categories (all when none is named) is
 * queued for the next paragraph. */
static void marker(struct md *m, const char *p, size_t n)
{
	static const char tag[] = "debrief-lint:";
	unsigned mask = 0;
	int named = 0;
	size_t i = 0;

	while (i < n &&
	       (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	if (n - i < sizeof tag - 1 || strncasecmp(p + i, tag, sizeof tag - 1))
		return;
	i += sizeof tag - 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (n - i < 6 || strncasecmp(p + i, "ignore", 6))
		return;
	i += 6;
	while (i < n) {
		size_t j;
		int cat;

		while (i < n && (p[i] == ' ' || p[i] == ',' || p[i] == '\t' ||
				 p[i] == '\n' || p[i] == '\r'))
			i++;
		for (j = i; j < n && p[j] != ' ' && p[j] != ',' &&
			    p[j] != '\t' && p[j] != '\n' && p[j] != '\r';
		     j++)
			;
		if (j == i)
			break;
		named = 1;
		cat = lint_category_parse(p + i, j - i);
		if (cat >= 0)
			mask |= LINT_MASK(cat);
		i = j;
	}
	m->pending_mask |= named ? mask : LINT_MASK_ALL;
	m->have_pending = 1;
}

static const char *find(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	while (p && (size_t)(end - p) >= n) {
		p = memchr(p, lit[0], (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, lit, n))
			return p;
		p++;
	}
	return NULL;
}

/* segment tokenizes text[a..b), each code span in it as one code token
 * (a span may have started on an earlier line). */
static void segment(struct md *m, size_t a, size_t b)
{
	while (a < b) {
		const struct lrange *r = lint_code_span_after(&m->code, a);

		if (!r || r->start >= b) {
			lint_tok_segment(m->c, a, b);
			return;
		}
		if (r->start > a)
			lint_tok_segment(m->c, a, r->start);
		lint_tok_code(m->c, r->start > a ? r->start : a,
			      r->end < b ? r->end : b);
		a = r->end < b ? r->end : b;
	}
}

/* prose emits the prose of text[a..b), cutting out HTML comments (and
 * reading ignore markers in them). Sets m->in_comment when a comment runs
 * past b. */
static void prose(struct md *m, size_t a, size_t b)
{
	const char *t = m->c->text;

	while (a < b) {
		size_t lt = lint_next_byte(&m->lt, t, m->c->md_end, a, b, '<');
		const char *open = lt < b ? find(t + lt, t + b, "<!--") : NULL,
			   *close;
		size_t o = open ? (size_t)(open - t) : b;

		if (o > a) {
			size_t k = a;

			while (k < o && (t[k] == ' ' || t[k] == '\t'))
				k++;
			if (k < o) {
				para_start(m);
				segment(m, a, o);
			}
		}
		if (!open)
			return;
		close = find(open + 4, t + b, "-->");
		if (!close) {
			marker(m, open + 4, (size_t)(t + b - open - 4));
			m->in_comment = 1;
			return;
		}
		marker(m, open + 4, (size_t)(close - open - 4));
		a = (size_t)(close - t) + 3;
	}
}

static int is_blank(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

/* thematic: a line of three or more -, * or _ (spaces allowed). */
static int thematic(const char *p, const char *e)
{
	char ch = *p;
	int n = 0;

	if (ch != '-' && ch != '*' && ch != '_' && ch != '=')
		return 0;
	for (; p < e; p++) {
		if (*p == ch)
			n++;
		else if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	}
	return n >= 3 || (ch == '=' && n >= 1);
}

/* table_delim: | --- | :---: | */
static int table_delim(const char *p, const char *e)
{
	int dash = 0, pipe = 0;

	for (; p < e; p++) {
		if (*p == '-')
			dash = 1;
		else if (*p == '|')
			pipe = 1;
		else if (*p != ':' && *p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	}
	return dash && pipe;
}

/* list_marker: length of "- ", "* ", "+ ", "12. ", "3) " (and a task
 * box "[ ] ") at p, or 0. */
static size_t list_marker(const char *p, const char *e)
{
	size_t n = 0;

	if (p < e && (*p == '-' || *p == '*' || *p == '+')) {
		n = 1;
	} else {
		while (p + n < e && n < 9 && p[n] >= '0' && p[n] <= '9')
			n++;
		if (n == 0 || p + n >= e || (p[n] != '.' && p[n] != ')'))
			return 0;
		n++;
	}
	if (p + n < e && p[n] != ' ' && p[n] != '\t')
		return 0;
	while (p + n < e && (p[n] == ' ' || p[n] == '\t'))
		n++;
	if (e - (p + n) >= 3 && p[n] == '[' && p[n + 2] == ']' &&
	    (p[n + 1] == ' ' || p[n + 1] == 'x' || p[n + 1] == 'X'))
		n += 3;
	return n;
}

/* front_matter_end: the offset after a front matter block ("---" on the
 * first line up to a "---" or "..." line), or 0 when there is none. */
static size_t front_matter_end(const char *t, size_t len)
{
	const char *end = t + len, *p;

	if (len < 4 || memcmp(t, "---", 3) || (t[3] != '\n' && t[3] != '\r'))
		return 0;
	p = memchr(t, '\n', len);
	while (p && p + 1 < end) {
		const char *l = p + 1;

		p = memchr(l, '\n', (size_t)(end - l));
		if (end - l >= 3 &&
		    (!memcmp(l, "---", 3) || !memcmp(l, "...", 3)) &&
		    is_blank(l + 3, p ? p : end))
			return p ? (size_t)(p + 1 - t) : len;
	}
	return 0;
}

/* heading_at: the line at p is an ATX heading: one to six '#' at its
 * very start, then a space, a tab or the end of the line. */
static int heading_at(const char *p, const char *end)
{
	size_t h = 0;

	while (p + h < end && p[h] == '#')
		h++;
	return h >= 1 && h <= 6 &&
	       (p + h == end || p[h] == ' ' || p[h] == '\t' || p[h] == '\n');
}

/* fresh: at the start of line, the layer is in the state it starts a part
 * in, so that linting on from here and linting a part that starts here
 * give the same: the line before was blank (no paragraph, sentence,
 * code block, comment or quote is open), no ignore marker waits for the next
 * paragraph, and the line is a heading (which reads no other state). */
static int fresh(struct md *m, int prev_blank, const char *line,
		 const char *end)
{
	const struct lctx *c = m->c;

	return prev_blank &&
	       !lint_code_block_at(&m->code, (size_t)(line - c->text)) &&
	       !m->have_pending && !m->in_comment &&
	       !m->para_open && !m->in_quote && c->nt == 0 && !c->pending_end &&
	       c->suppress == c->disabled && heading_at(line, end);
}

/* go_on moves a part's soft end from stop k to the next one (or to
 * md_end), first validating the bytes in between, which the next part
 * validated only for itself. Returns the new end, or NULL (c->invalid
 * set) when they are not UTF-8. */
static const char *go_on(struct lctx *c, size_t k)
{
	size_t from = c->stops[k],
	       to = k + 1 < c->nstops ? c->stops[k + 1] : c->md_end, bad;

	if (!utf8_valid(c->text + from, to - from, &bad)) {
		c->invalid = 1;
		c->bad = from + bad;
		return NULL;
	}
	return c->text + to;
}

void lint_md_run(struct lctx *c, const struct lint_config *cfg)
{
	struct md m = {0};
	const char *t = c->text, *end = t + c->md_end, *line = t + c->md_start;
	const char *stop = c->nstops ? t + c->stops[0] : end;
	int prev_blank = 1;
	size_t k = 0;

	m.c = c;
	m.cfg = cfg;
	m.lt = LINT_NEXT_INIT;
	c->suppress = c->disabled;
	if (c->md_start == 0)
		line = t + front_matter_end(t, c->md_end);
	lint_code_init(&m.code, t, (size_t)(line - t), c->md_end);
	while (line < end && !c->oom) {
		const char *nl, *le, *p;
		size_t indent = 0, n;

		if (line >= stop && k < c->nstops) {
			/* the next part starts here: stop when it starts
			 * as this part would go on, else take its bytes */
			if (line == stop && fresh(&m, prev_blank, line, end))
				break;
			if (!(stop = go_on(c, k++)))
				break;
			continue;
		}
		/* found once, by lint_code's region walk */
		nl = lint_code_eol(&m.code, (size_t)(line - t));
		le = nl ? nl : end;
		p = line;

		if (m.in_comment) {
			const char *close = find(line, le, "-->");

			marker(&m, line, (size_t)((close ? close : le) - line));
			if (close) {
				m.in_comment = 0;
				prose(&m, (size_t)(close + 3 - t),
				      (size_t)(le - t));
			}
			goto next;
		}
		if (lint_code_block_at(&m.code, (size_t)(line - t))) {
			para_end(&m); /* fenced or indented, as cmark-gfm says */
			goto next;
		}
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		indent = (size_t)(p - line);
		if (p == le || is_blank(p, le)) {
			para_end(&m);
			m.in_quote = 0;
			prev_blank = 1;
			goto next_blank;
		}
		if (*p == '>' || (m.in_quote && m.para_open == 0)) {
			if (cfg && cfg->lint_quotes) {
				while (p < le && (*p == '>' || *p == ' '))
					p++;
				lint_tok_break(c);
				prose(&m, (size_t)(p - t), (size_t)(le - t));
			} else {
				para_end(&m);
				m.in_quote = 1;
			}
			goto next;
		}
		if (m.in_quote)
			goto next; /* lazy continuation of a quote */
		if (le - p >= 4 && !memcmp(p, "<!--", 4)) {
			para_end(&m);
			prose(&m, (size_t)(p - t), (size_t)(le - t));
			goto next;
		}
		if (*p == '<' && p + 1 < le &&
		    (((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z') ||
		     p[1] == '/')) {
			const char *gt = memchr(p, '>', (size_t)(le - p));

			if (gt && is_blank(gt + 1, le)) {
				para_end(&m); /* an HTML block line */
				goto next;
			}
		}
		if (thematic(p, le) || table_delim(p, le)) {
			para_end(&m);
			goto next;
		}
		if (*p == '#') {
			size_t h = 0;

			while (p + h < le && p[h] == '#')
				h++;
			if (h <= 6 &&
			    (p + h == le || p[h] == ' ' || p[h] == '\t')) {
				para_end(&m);
				c->in_heading = 1;
				prose(&m, (size_t)(p + h - t),
				      (size_t)(le - t));
				para_end(&m);
				c->in_heading = 0;
				m.in_list = 0;
				goto next;
			}
		}
		if ((n = list_marker(p, le))) {
			lint_tok_break(c);
			m.in_list = 1;
			prose(&m, (size_t)(p + n - t), (size_t)(le - t));
			goto next;
		}
		if (prev_blank && indent == 0)
			m.in_list = 0;
		prose(&m, (size_t)(p - t), (size_t)(le - t));
next:
		prev_blank = 0;
next_blank:
		line = nl ? nl + 1 : end;
	}
	c->stopped = line < end ? (size_t)(line - t) : c->md_end;
	para_end(&m);
	if (m.code.oom)
		c->oom = 1;
	lint_code_free(&m.code);
}

/* after_blank: the line at p follows a blank line, and the last line
 * with text before it holds no HTML comment (an ignore marker would
 * reach across). */
static int after_blank(const char *text, const char *p)
{
	const char *e = p - 1, *l; /* e: the newline ending the line before */

	for (;;) {
		l = e > text ? memrchr(text, '\n', (size_t)(e - text)) : NULL;
		l = l ? l + 1 : text;
		if (!is_blank(l, e))
			break;
		if (l == text)
			return 1;
		e = l - 1;
	}
	return e != p - 1 && !find(l, e, "<!--") && !find(l, e, "-->");
}

size_t lint_md_part_starts(const char *text, size_t len, size_t *at, size_t max)
{
	const char *end = text + len;
	size_t n = 0;

	for (size_t k = 1; k <= max; k++) {
		size_t from = len / (max + 1) * k;
		const char *p;

		if (n && from <= at[n - 1])
			from = at[n - 1] + 1;
		for (p = text + from; p < end; p++) {
			p = memchr(p, '#', (size_t)(end - p));
			if (!p)
				return n;
			if (p > text + 1 && p[-1] == '\n' &&
			    heading_at(p, end) && after_blank(text, p))
				break;
		}
		if (p >= end)
			return n;
		at[n++] = (size_t)(p - text);
	}
	return n;
}
