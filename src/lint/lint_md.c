/* lint_md.c: the markdown layer. Walks the input line by line, decides
 * what is prose and hands prose segments to the tokenizer. Skipped: front
 * matter, fenced and indented code blocks, blockquotes (quoted chat, unless
 * cfg->lint_quotes), HTML blocks and comments, thematic breaks, table
 * delimiter rows. Headings, list items and table cells are sentence
 * boundaries. A paragraph is a run of non-blank lines; the ignore marker
 * `<!-- debrief-lint: ignore [CAT ...] -->` silences the next one. */
#include <string.h>
#include <strings.h>

#include "lint/lint_internal.h"

struct md {
	struct lctx *c;
	const struct lint_config *cfg;
	int para_open;
	int in_list;	       /* the last block was a list item */
	int in_quote;	       /* inside a blockquote paragraph */
	int in_comment;	       /* inside a multi-line HTML comment */
	unsigned pending_mask; /* from an ignore marker, for the next para */
	int have_pending;
	unsigned marker_mask; /* mask of a marker still being read */
	int marker_open;      /* the open comment is an ignore marker */
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

/* prose emits the prose of text[a..b), cutting out HTML comments (and
 * reading ignore markers in them). Sets m->in_comment when a comment runs
 * past b. */
static void prose(struct md *m, size_t a, size_t b)
{
	const char *t = m->c->text;

	while (a < b) {
		const char *open = find(t + a, t + b, "<!--"), *close;
		size_t o = open ? (size_t)(open - t) : b;

		if (o > a) {
			size_t k = a;

			while (k < o && (t[k] == ' ' || t[k] == '\t'))
				k++;
			if (k < o) {
				para_start(m);
				lint_tok_segment(m->c, a, o);
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

/* fence_len: length of a ``` or ~~~ fence at p (0 when none). */
static size_t fence_len(const char *p, const char *e, char *ch)
{
	size_t n = 0;

	if (p >= e || (*p != '`' && *p != '~'))
		return 0;
	while (p + n < e && p[n] == *p)
		n++;
	if (n < 3)
		return 0;
	*ch = *p;
	return n;
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

void lint_md_run(struct lctx *c, const struct lint_config *cfg)
{
	struct md m = {0};
	const char *t = c->text, *end = t + c->md_end, *line = t + c->md_start;
	int prev_blank = 1, in_fence = 0;
	size_t fence_n = 0;
	char fence_ch = 0;

	m.c = c;
	m.cfg = cfg;
	c->suppress = c->disabled;
	if (c->md_start == 0)
		line = t + front_matter_end(t, c->md_end);
	while (line < end && !c->oom) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end, *p = line;
		size_t indent = 0, n;

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
		while (p < le && (*p == ' ' || *p == '\t')) {
			indent += *p == '\t' ? 4 : 1;
			p++;
		}
		if (in_fence) {
			char ch = 0;
			size_t fl = indent < 4 ? fence_len(p, le, &ch) : 0;

			if (fl >= fence_n && ch == fence_ch &&
			    is_blank(p + fl, le))
				in_fence = 0;
			goto next;
		}
		if (p == le || is_blank(p, le)) {
			para_end(&m);
			m.in_quote = 0;
			prev_blank = 1;
			goto next_blank;
		}
		if (indent >= 4 && !m.para_open && !m.in_list) {
			para_end(&m); /* indented code */
			goto next;
		}
		if (indent < 4 && (fence_n = fence_len(p, le, &fence_ch))) {
			para_end(&m);
			in_fence = 1;
			goto next;
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
				prose(&m, (size_t)(p + h - t),
				      (size_t)(le - t));
				para_end(&m);
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
	para_end(&m);
}

size_t lint_md_splits(const char *text, size_t len, size_t *at, size_t max)
{
	const char *line = text + front_matter_end(text, len),
		   *end = text + len;
	size_t n = 0, next = len / (max + 1);
	int in_fence = 0, in_comment = 0, prev_blank = 1, prev_marker = 0;
	size_t fence_n = 0;
	char fence_ch = 0;

	if (max == 0 || next == 0)
		return 0;
	while (line < end && n < max) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end, *p = line;
		char ch = 0;
		size_t fl;

		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (in_comment) {
			if (find(line, le, "-->"))
				in_comment = 0;
		} else if (in_fence) {
			fl = p - line < 4 ? fence_len(p, le, &ch) : 0;
			if (fl >= fence_n && ch == fence_ch &&
			    is_blank(p + fl, le))
				in_fence = 0;
		} else if (p - line < 4 && (fl = fence_len(p, le, &ch))) {
			in_fence = 1;
			fence_n = fl;
			fence_ch = ch;
		} else if (*p == '#' && p == line && prev_blank &&
			   !prev_marker && (size_t)(line - text) >= next &&
			   line > text) {
			at[n++] = (size_t)(line - text);
			next = (size_t)(line - text) + len / (max + 1);
		} else {
			const char *o = find(line, le, "<!--");

			if (o && !find(o + 4, le, "-->"))
				in_comment = 1;
		}
		if (!is_blank(line, le)) {
			prev_marker = find(line, le, "<!--") != NULL ||
				      find(line, le, "-->") != NULL;
			prev_blank = 0;
		} else {
			prev_blank = 1;
		}
		line = nl ? nl + 1 : end;
	}
	return n;
}