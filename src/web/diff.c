/* diff.c: a readable diff of two texts for the History page (html_diff in
 * html.h). Texts are cut into tokens (words and the white space between
 * them, or whole lines for long texts); the common head and tail are
 * dropped, the middle is compared with a longest-common-subsequence table,
 * and runs of removed and added tokens are wrapped in <del> and <ins>. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/html.h"

/* The LCS table holds at most this many cells (uint16_t each). */
#define DIFF_MAX_CELLS (1u << 21)

struct tok {
	const char *p;
	size_t n;
};

struct toks {
	struct tok *t;
	size_t n;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* tokenize cuts s into words and white-space runs (lines: 0) or into lines
 * with their newline (lines: 1). Returns 0 or -1 when out of memory. */
static int tokenize(const char *s, int lines, struct toks *out)
{
	size_t cap = 16, n = 0;
	struct tok *t = malloc(cap * sizeof *t);

	if (!t)
		return -1;
	while (*s) {
		const char *start = s;

		if (lines) {
			while (*s && *s != '\n')
				s++;
			if (*s)
				s++;
		} else {
			int sp = is_space(*s);
			while (*s && is_space(*s) == sp)
				s++;
		}
		if (n == cap) {
			struct tok *nt = realloc(t, 2 * cap * sizeof *t);
			if (!nt) {
				free(t);
				return -1;
			}
			t = nt;
			cap *= 2;
		}
		t[n].p = start;
		t[n].n = (size_t)(s - start);
		n++;
	}
	out->t = t;
	out->n = n;
	return 0;
}

static int tok_eq(const struct tok *a, const struct tok *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

static void put_run(struct buf *b, const char *tag, const struct tok *t,
		    size_t n)
{
	if (!n)
		return;
	html_rawf(b, "<%s>", tag);
	for (size_t i = 0; i < n; i++)
		html_ntxt(b, t[i].p, t[i].n);
	html_rawf(b, "</%s>", tag);
}

static void put_same(struct buf *b, const struct tok *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		html_ntxt(b, t[i].p, t[i].n);
}

/* diff_middle writes the diff of a[0..n) and b[0..m) through an LCS table;
 * returns -1 (writing nothing) when the table would be too big. */
static int diff_middle(struct buf *out, const struct tok *a, size_t n,
		       const struct tok *b, size_t m)
{
	uint16_t *L;
	size_t w = m + 1, i = 0, j = 0, di = 0, dn = 0, ii = 0, in = 0;

	if (n && m && (n + 1) > DIFF_MAX_CELLS / (m + 1))
		return -1;
	L = calloc((n + 1) * w, sizeof *L);
	if (!L)
		return -1;
	/* L[i][j]: length of the LCS of a[i..n) and b[j..m). It stays below
	 * 65536 because min(n, m) squared is within DIFF_MAX_CELLS. */
	for (size_t x = n; x-- > 0;)
		for (size_t y = m; y-- > 0;) {
			if (tok_eq(&a[x], &b[y]))
				L[x * w + y] = L[(x + 1) * w + y + 1] + 1;
			else if (L[(x + 1) * w + y] >= L[x * w + y + 1])
				L[x * w + y] = L[(x + 1) * w + y];
			else
				L[x * w + y] = L[x * w + y + 1];
		}
	/* Walk the table, collecting runs of removals (a[di..di+dn)) and
	 * additions (b[ii..ii+in)) and flushing them at each common token. */
	while (i < n || j < m) {
		if (i < n && j < m && tok_eq(&a[i], &b[j])) {
			put_run(out, "del", a + di, dn);
			put_run(out, "ins", b + ii, in);
			dn = in = 0;
			html_ntxt(out, a[i].p, a[i].n);
			i++, j++;
		} else if (j == m ||
			   (i < n && L[(i + 1) * w + j] >= L[i * w + j + 1])) {
			if (!dn)
				di = i;
			dn++, i++;
		} else {
			if (!in)
				ii = j;
			in++, j++;
		}
	}
	put_run(out, "del", a + di, dn);
	put_run(out, "ins", b + ii, in);
	free(L);
	return 0;
}

/* diff_tokens diffs at one granularity; -1 when it was too big. */
static int diff_tokens(struct buf *out, const char *o, const char *nw,
		       int lines)
{
	struct toks a, b;
	size_t pre = 0, suf = 0;
	int rc = -1;

	if (tokenize(o, lines, &a) < 0)
		return -1;
	if (tokenize(nw, lines, &b) < 0) {
		free(a.t);
		return -1;
	}
	while (pre < a.n && pre < b.n && tok_eq(&a.t[pre], &b.t[pre]))
		pre++;
	while (suf < a.n - pre && suf < b.n - pre &&
	       tok_eq(&a.t[a.n - 1 - suf], &b.t[b.n - 1 - suf]))
		suf++;
	{
		size_t n = a.n - pre - suf, m = b.n - pre - suf;

		size_t mark = out->len;

		put_same(out, a.t, pre);
		rc = diff_middle(out, a.t + pre, n, b.t + pre, m);
		if (rc == 0) {
			put_same(out, a.t + a.n - suf, suf);
		} else if (!out->oom) {
			/* too big at this granularity: undo the head */
			out->len = mark;
			if (out->data)
				out->data[mark] = '\0';
		}
	}
	free(a.t);
	free(b.t);
	return rc;
}

void html_diff(struct buf *b, const char *old_text, const char *new_text)
{
	if (!old_text)
		old_text = "";
	if (!new_text)
		new_text = "";
	if (diff_tokens(b, old_text, new_text, 0) == 0)
		return;
	if (diff_tokens(b, old_text, new_text, 1) == 0)
		return;
	if (*old_text) {
		html_raw(b, "<del>");
		html_txt(b, old_text);
		html_raw(b, "</del>");
	}
	if (*new_text) {
		html_raw(b, "<ins>");
		html_txt(b, new_text);
		html_raw(b, "</ins>");
	}
}
