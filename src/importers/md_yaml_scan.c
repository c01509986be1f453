/* md_yaml_scan.c: a scanner of its own for the YAML that debrief's markdown
 * export writes (md_write.c, through libyaml's emitter), into the nodes of
 * md_yaml.h. libyaml reads a character at a time through its decoding
 * buffer and token queue, about 150 instructions a byte of front matter;
 * this reads a line at a time.
 *
 * It takes a strict subset of YAML, line by line: block mappings of simple
 * keys, block sequences (a mapping's "- " items at the mapping's own column
 * too, and "- key: value" and "- - a" items), flow sequences of scalars on one line,
 * plain, single- and double-quoted scalars on one line, literal block
 * scalars ("|", with a chomping and an indentation indicator). On anything
 * else it declines the whole text before the caller keeps any of it, and
 * md_yaml_load reads that text with libyaml: anchors, aliases, tags,
 * folded scalars, flow mappings, comments, blank lines between keys, a
 * plain or quoted scalar over two lines, "? " keys, tabs, CR and other
 * line breaks (NEL, U+2028, U+2029), control characters, a BOM, document
 * markers, keys of 1000 bytes or more, nesting over 64.
 *
 * Where it accepts, its tree is libyaml's to the byte and the line
 * (test_md_yaml compares the two on generated and mutated front matter;
 * fuzz_md_import on whatever the fuzzer makes). */
#include "importers/md_yaml.h"

#include <stdint.h>
#include <string.h>

#define KEY_MAX	  1000 /* libyaml gives up a simple key at 1024 characters */
#define DEPTH_MAX 64

/* Every function below returns 1 when it read what it reads, 0 when the
 * text is not of the subset (the caller gives up), -2 when out of memory. */
struct sc {
	struct arena *a;
	const char *t;
	size_t len;
	size_t p;   /* the next byte */
	size_t bol; /* where p's line begins */
	int line;   /* p's line, 0-based */
	int depth;
	struct buf tmp; /* double-quoted and literal scalars, unescaped */
};

#define TRY(x)                      \
	do {                        \
		int rc_ = (x);      \
		if (rc_ != 1)       \
			return rc_; \
	} while (0)

/* text_ok tells whether t[0..n) holds only what the scanner reads the way
 * libyaml does: valid UTF-8, "\n" the one line break, no control
 * character (libyaml refuses most; a tab has rules of its own), no NEL,
 * U+2028 or U+2029 (line breaks to libyaml), no BOM (skipped at a line's
 * start), no U+FFFE or U+FFFF (refused). */
#define HIGH 0x8080808080808080ull
#define LOW  0x0101010101010101ull

static int text_ok(const unsigned char *t, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c;

		/* 8 bytes at a time while all are ASCII, none below 0x20 and
		 * none 0x7f (the tests are exact for a word without high bits;
		 * a word with a line break goes a byte at a time) */
		while (n - i >= 8) {
			uint64_t x, y;

			memcpy(&x, t + i, 8);
			y = x ^ 0x7f7f7f7f7f7f7f7full;
			if ((x & HIGH) ||
			    ((x - 0x2020202020202020ull) & ~x & HIGH) ||
			    ((y - LOW) & ~y & HIGH))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		c = t[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\n') {
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return 0;
		if (c < 0xe0) {
			/* U+0080..U+009F: C1 controls and NEL */
			if (i + 1 >= n || (t[i + 1] & 0xc0) != 0x80 ||
			    (c == 0xc2 && t[i + 1] < 0xa0))
				return 0;
			i += 2;
		} else if (c < 0xf0) {
			unsigned c1, c2;

			if (i + 2 >= n)
				return 0;
			c1 = t[i + 1];
			c2 = t[i + 2];
			if ((c1 & 0xc0) != 0x80 || (c2 & 0xc0) != 0x80 ||
			    (c == 0xe0 && c1 < 0xa0) ||
			    (c == 0xed && c1 >= 0xa0) ||
			    (c == 0xe2 && c1 == 0x80 &&
			     (c2 == 0xa8 || c2 == 0xa9)) ||
			    (c == 0xef && c1 == 0xbb && c2 == 0xbf) ||
			    (c == 0xef && c1 == 0xbf && c2 >= 0xbe))
				return 0;
			i += 3;
		} else {
			if (i + 3 >= n || (t[i + 1] & 0xc0) != 0x80 ||
			    (t[i + 2] & 0xc0) != 0x80 ||
			    (t[i + 3] & 0xc0) != 0x80 ||
			    (c == 0xf0 && t[i + 1] < 0x90) ||
			    (c == 0xf4 && t[i + 1] >= 0x90))
				return 0;
			i += 4;
		}
	}
	return 1;
}

/* blankz: a space, a line break or the end at i. */
static int blankz(const struct sc *s, size_t i)
{
	return i >= s->len || s->t[i] == ' ' || s->t[i] == '\n';
}

static void skip_spaces(struct sc *s)
{
	while (s->p < s->len && s->t[s->p] == ' ')
		s->p++;
}

/* next_line moves p past the line break at p. */
static void next_line(struct sc *s)
{
	s->p++;
	s->bol = s->p;
	s->line++;
}

/* eol reads trailing spaces and the line break (or the end) after a value;
 * anything else (a comment) declines. */
static int eol(struct sc *s)
{
	skip_spaces(s);
	if (s->p == s->len)
		return 1;
	if (s->t[s->p] != '\n')
		return 0;
	next_line(s);
	return 1;
}

/* line_indent looks at the line at p (p == bol): 1 and its indentation in
 * *ind; 0 at the end of the text; -1 for a line the scanner declines
 * (blank, a comment, "---", "..." or "%" at its start). */
static int line_indent(const struct sc *s, size_t *ind)
{
	size_t i = s->p;

	if (i >= s->len)
		return 0;
	while (i < s->len && s->t[i] == ' ')
		i++;
	if (i == s->len || s->t[i] == '\n' || s->t[i] == '#')
		return -1;
	if (i == s->p && (s->t[i] == '%' ||
			  (s->len - i >= 3 && (!memcmp(s->t + i, "---", 3) ||
					       !memcmp(s->t + i, "...", 3)))))
		return -1;
	*ind = i - s->p;
	return 1;
}

static struct md_node *node_new(struct sc *s, yaml_node_type_t type, int line)
{
	struct md_node *n = arena_alloc(s->a, sizeof *n);

	if (n) {
		n->type = type;
		n->line = line;
	}
	return n;
}

static int scalar(struct sc *s, const char *v, size_t len, int line,
		  struct md_node **out)
{
	struct md_node *n = node_new(s, YAML_SCALAR_NODE, line);

	if (!n || !(n->s = arena_strndup(s->a, v, len)))
		return -2;
	n->len = len;
	*out = n;
	return 1;
}

static int add(struct sc *s, struct md_node *c, struct md_node *k)
{
	return md_node_add(s->a, c, k) == 0 ? 1 : -2;
}

/* plain reads a plain scalar on one line: up to ": " or the line's end,
 * in a flow sequence up to ',' or ']'; spaces at its end are not part of
 * it. A " #" (a comment) or, in a flow sequence, any of ":[]{}?" declines. */
static int plain(struct sc *s, int flow, struct md_node **out)
{
	const char *t = s->t;
	size_t b = s->p, e = b, i;
	unsigned char c = (unsigned char)t[b];

	if (strchr("-?:,[]{}#&*!|>'\"%@` \n", c) &&
	    !(c == '-' && !blankz(s, b + 1)))
		return 0;
	for (i = b; i < s->len; i++) {
		c = (unsigned char)t[i];
		if (c == '\n')
			break;
		if (c == ' ') {
			if (i + 1 < s->len && t[i + 1] == '#')
				return 0;
			continue;
		}
		if (flow) {
			if (c == ',' || c == ']')
				break;
			if (c == ':' || c == '[' || c == '{' || c == '}' ||
			    c == '?')
				return 0;
		} else if (c == ':' && blankz(s, i + 1)) {
			break;
		}
		e = i + 1;
	}
	s->p = e;
	return scalar(s, t + b, e - b, s->line, out);
}

/* squoted reads a single-quoted scalar on one line ('' is a quote). */
static int squoted(struct sc *s, struct md_node **out)
{
	const char *t = s->t;
	size_t i = s->p + 1, k = 0;
	struct md_node *n;
	char *v;

	for (;; i++) {
		if (i >= s->len || t[i] == '\n')
			return 0;
		if (t[i] == '\'') {
			if (i + 1 < s->len && t[i + 1] == '\'')
				i++;
			else
				break;
		}
	}
	/* the value is at most the bytes between the quotes */
	if (!(n = node_new(s, YAML_SCALAR_NODE, s->line)) ||
	    !(v = arena_alloc(s->a, i - s->p)))
		return -2;
	for (size_t j = s->p + 1; j < i; j++) {
		v[k++] = t[j];
		if (t[j] == '\'')
			j++;
	}
	v[k] = '\0';
	n->s = v;
	n->len = k;
	s->p = i + 1;
	*out = n;
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* put_utf8 appends code point v (at most U+10FFFF, no surrogate). */
static void put_utf8(struct buf *b, unsigned long v)
{
	char u[4];
	size_t n;

	if (v < 0x80) {
		u[0] = (char)v;
		n = 1;
	} else if (v < 0x800) {
		u[0] = (char)(0xc0 | (v >> 6));
		u[1] = (char)(0x80 | (v & 0x3f));
		n = 2;
	} else if (v < 0x10000) {
		u[0] = (char)(0xe0 | (v >> 12));
		u[1] = (char)(0x80 | ((v >> 6) & 0x3f));
		u[2] = (char)(0x80 | (v & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (v >> 18));
		u[1] = (char)(0x80 | ((v >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((v >> 6) & 0x3f));
		u[3] = (char)(0x80 | (v & 0x3f));
		n = 4;
	}
	buf_append(b, u, n);
}

/* dquoted reads a double-quoted scalar on one line, with libyaml's
 * escapes (those the emitter writes and a few more; "\/" and "\'", which
 * libyaml versions differ on, decline). */
static int dquoted(struct sc *s, struct md_node **out)
{
	const char *t = s->t;
	size_t i = s->p + 1;
	int line = s->line;

	buf_reset(&s->tmp);
	for (;;) {
		size_t run = i;
		unsigned long v;
		int digits = 0;

		while (i < s->len && t[i] != '"' && t[i] != '\\' &&
		       t[i] != '\n')
			i++;
		buf_append(&s->tmp, t + run, i - run);
		if (i >= s->len || t[i] == '\n')
			return 0;
		if (t[i] == '"')
			break;
		if (i + 1 >= s->len)
			return 0;
		switch (t[i + 1]) {
		case '0': buf_putc(&s->tmp, '\0'); break;
		case 'a': buf_putc(&s->tmp, '\a'); break;
		case 'b': buf_putc(&s->tmp, '\b'); break;
		case 't': buf_putc(&s->tmp, '\t'); break;
		case 'n': buf_putc(&s->tmp, '\n'); break;
		case 'v': buf_putc(&s->tmp, '\v'); break;
		case 'f': buf_putc(&s->tmp, '\f'); break;
		case 'r': buf_putc(&s->tmp, '\r'); break;
		case 'e': buf_putc(&s->tmp, '\x1b'); break;
		case ' ': buf_putc(&s->tmp, ' '); break;
		case '"': buf_putc(&s->tmp, '"'); break;
		case '\\': buf_putc(&s->tmp, '\\'); break;
		case 'N': buf_append(&s->tmp, "\xc2\x85", 2); break;
		case '_': buf_append(&s->tmp, "\xc2\xa0", 2); break;
		case 'L': buf_append(&s->tmp, "\xe2\x80\xa8", 3); break;
		case 'P': buf_append(&s->tmp, "\xe2\x80\xa9", 3); break;
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default: return 0;
		}
		i += 2;
		if (!digits)
			continue;
		if (s->len - i < (size_t)digits)
			return 0;
		for (v = 0; digits; digits--, i++) {
			int h = hexval(t[i]);

			if (h < 0)
				return 0;
			v = v * 16 + (unsigned long)h;
		}
		if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
			return 0;
		put_utf8(&s->tmp, v);
	}
	if (s->tmp.oom)
		return -2;
	s->p = i + 1;
	return scalar(s, s->tmp.len ? s->tmp.data : "", s->tmp.len, line, out);
}

/* block_breaks is libyaml's yaml_parser_scan_block_scalar_breaks: reads
 * the indentation of the lines at p and the empty ones (counted in
 * *breaks), up to a line with more than indentation (or the end); sets
 * *indent when it is 0, from the deepest of those lines. Leaves p after
 * the spaces of that line, *col its column. */
static void block_breaks(struct sc *s, size_t *indent, size_t parent,
			 size_t *breaks, size_t *col)
{
	size_t max = 0;

	for (;;) {
		*col = 0;
		while ((!*indent || *col < *indent) && s->p < s->len &&
		       s->t[s->p] == ' ') {
			s->p++;
			(*col)++;
		}
		if (*col > max)
			max = *col;
		if (s->p >= s->len || s->t[s->p] != '\n')
			break;
		next_line(s);
		(*breaks)++;
	}
	if (!*indent) {
		*indent = max;
		if (*indent < parent + 1)
			*indent = parent + 1;
	}
}

/* literal reads a literal block scalar ('|' at p) in a collection at
 * column parent, as libyaml's yaml_parser_scan_block_scalar does; leaves
 * p at the start of the first line after it. */
static int literal(struct sc *s, size_t parent, struct md_node **out)
{
	const char *t = s->t;
	int line = s->line, chomp = 0;
	size_t indent = 0, breaks = 0, leading = 0, col;

	s->p++;
	for (int k = 0; k < 2 && s->p < s->len; k++) {
		char c = t[s->p];

		if ((c == '+' || c == '-') && !chomp) {
			chomp = c == '+' ? 1 : -1;
			s->p++;
		} else if (c >= '1' && c <= '9' && !indent) {
			indent = parent + (size_t)(c - '0');
			s->p++;
		} else {
			break;
		}
	}
	skip_spaces(s);
	if (s->p < s->len) {
		if (t[s->p] != '\n')
			return 0;
		next_line(s);
	}
	buf_reset(&s->tmp);
	block_breaks(s, &indent, parent, &breaks, &col);
	while (col == indent && s->p < s->len) {
		const char *nl;
		size_t end;

		for (; leading; leading--)
			buf_putc(&s->tmp, '\n');
		for (; breaks; breaks--)
			buf_putc(&s->tmp, '\n');
		nl = memchr(t + s->p, '\n', s->len - s->p);
		end = nl ? (size_t)(nl - t) : s->len;
		buf_append(&s->tmp, t + s->p, end - s->p);
		s->p = end;
		if (nl) {
			next_line(s);
			leading = 1;
		}
		block_breaks(s, &indent, parent, &breaks, &col);
	}
	if (chomp != -1)
		for (; leading; leading--)
			buf_putc(&s->tmp, '\n');
	if (chomp == 1)
		for (; breaks; breaks--)
			buf_putc(&s->tmp, '\n');
	if (s->tmp.oom)
		return -2;
	if (s->p < s->len)
		s->p = s->bol; /* the next line's spaces are the caller's */
	return scalar(s, s->tmp.len ? s->tmp.data : "", s->tmp.len, line, out);
}

/* flow_seq reads "[a, 'b', "c"]" on one line. */
static int flow_seq(struct sc *s, struct md_node **out)
{
	struct md_node *q = node_new(s, YAML_SEQUENCE_NODE, s->line), *k;

	if (!q)
		return -2;
	s->p++;
	skip_spaces(s);
	if (s->p < s->len && s->t[s->p] == ']') {
		s->p++;
		*out = q;
		return 1;
	}
	for (;;) {
		if (s->p >= s->len)
			return 0;
		if (s->t[s->p] == '\'')
			TRY(squoted(s, &k));
		else if (s->t[s->p] == '"')
			TRY(dquoted(s, &k));
		else
			TRY(plain(s, 1, &k));
		TRY(add(s, q, k));
		skip_spaces(s);
		if (s->p >= s->len)
			return 0;
		if (s->t[s->p] == ']') {
			s->p++;
			break;
		}
		if (s->t[s->p] != ',')
			return 0;
		s->p++;
		skip_spaces(s);
		if (s->p >= s->len || s->t[s->p] == ']' || s->t[s->p] == ',')
			return 0;
	}
	*out = q;
	return 1;
}

/* key_or_scalar reads a scalar that may be a key: plain or quoted. */
static int key_or_scalar(struct sc *s, struct md_node **out)
{
	if (s->p >= s->len)
		return 0;
	if (s->t[s->p] == '\'')
		return squoted(s, out);
	if (s->t[s->p] == '"')
		return dquoted(s, out);
	return plain(s, 0, out);
}

/* value_inline reads the value after "key: " or "- " on its line, in a
 * collection at column ind, with its line break (a literal scalar: its
 * lines). */
static int value_inline(struct sc *s, size_t ind, struct md_node **out)
{
	char c = s->t[s->p];

	if (c == '|')
		return literal(s, ind, out);
	if (c == '[')
		TRY(flow_seq(s, out));
	else
		TRY(key_or_scalar(s, out));
	return eol(s);
}

static int mapping(struct sc *s, size_t ind, struct md_node *first,
		   struct md_node **out);
static int sequence(struct sc *s, size_t ind, int indentless,
		    struct md_node **out);

/* value_below reads the value of "key:" at the end of line key_line, in a
 * mapping at column ind (p at the next line): a sequence at ind or deeper,
 * a mapping deeper, or else the empty scalar. */
static int value_below(struct sc *s, size_t ind, int key_line,
		       struct md_node **out)
{
	size_t ni;
	int r = line_indent(s, &ni), dash;

	if (r < 0)
		return 0;
	if (r == 0)
		return scalar(s, "", 0, key_line, out);
	dash = s->t[s->p + ni] == '-' && blankz(s, s->p + ni + 1);
	if (ni == ind && dash) {
		s->p += ni;
		return sequence(s, ind, 1, out);
	}
	if (ni > ind) {
		s->p += ni;
		return dash ? sequence(s, ni, 0, out)
			    : mapping(s, ni, NULL, out);
	}
	return scalar(s, "", 0, key_line, out);
}

/* after_item looks at the line after an entry of a collection at column
 * ind: 1 when it goes on at ind (p there), 0 when the collection ends (the
 * end, or a line less indented: p at its start), -1 to decline. */
static int after_item(struct sc *s, size_t ind)
{
	size_t ni;
	int r = line_indent(s, &ni);

	if (r <= 0)
		return r;
	if (ni < ind)
		return 0;
	if (ni > ind)
		return -1;
	s->p += ni;
	return 1;
}

/* mapping reads a block mapping whose keys are at column ind, from p at
 * its first key (or, when first is not NULL, at the ':' after first). */
static int mapping(struct sc *s, size_t ind, struct md_node *first,
		   struct md_node **out)
{
	struct md_node *m, *k, *v;
	int r;

	if (++s->depth > DEPTH_MAX)
		return 0;
	if (!(m = node_new(s, YAML_MAPPING_NODE,
			   first ? first->line : s->line)))
		return -2;
	for (;;) {
		size_t kb = s->p;

		if ((k = first) != NULL)
			first = NULL;
		else if (s->t[s->p] == '-' && blankz(s, s->p + 1))
			return 0; /* "- " where a key is due */
		else
			TRY(key_or_scalar(s, &k));
		skip_spaces(s);
		if (s->p - kb >= KEY_MAX || s->p >= s->len ||
		    s->t[s->p] != ':' || !blankz(s, s->p + 1))
			return 0;
		s->p++;
		TRY(add(s, m, k));
		skip_spaces(s);
		if (s->p == s->len || s->t[s->p] == '\n') {
			if (s->p < s->len)
				next_line(s);
			TRY(value_below(s, ind, k->line, &v));
		} else {
			TRY(value_inline(s, ind, &v));
		}
		TRY(add(s, m, v));
		if ((r = after_item(s, ind)) < 0)
			return 0;
		if (!r)
			break;
	}
	s->depth--;
	*out = m;
	return 1;
}

/* sequence reads a block sequence whose "-" are at column ind, from p at
 * the first; an indentless one (the value of a key at ind) ends at a line
 * at ind without "-". An item is a scalar, a flow sequence, a literal, a
 * mapping or a sequence on the same line ("- key: value", "- - a"). */
static int sequence(struct sc *s, size_t ind, int indentless,
		    struct md_node **out)
{
	struct md_node *q, *v;
	int r;

	if (++s->depth > DEPTH_MAX)
		return 0;
	if (!(q = node_new(s, YAML_SEQUENCE_NODE, s->line)))
		return -2;
	for (;;) {
		int dash_line = s->line;
		char c;

		s->p++; /* the '-' */
		skip_spaces(s);
		c = s->p < s->len ? s->t[s->p] : '\n';
		if (c == '\n') {
			size_t ni;

			if (s->p < s->len)
				next_line(s);
			if ((r = line_indent(s, &ni)) < 0 || (r && ni > ind))
				return 0;
			TRY(scalar(s, "", 0, dash_line, &v));
		} else if (c == '-' && blankz(s, s->p + 1)) {
			/* "- - a": a sequence in a sequence, at its column */
			TRY(sequence(s, s->p - s->bol, 0, &v));
		} else if (c == '|' || c == '[') {
			TRY(value_inline(s, ind, &v));
		} else {
			size_t col = s->p - s->bol, kb = s->p;

			TRY(key_or_scalar(s, &v));
			skip_spaces(s);
			if (s->p < s->len && s->t[s->p] == ':' &&
			    blankz(s, s->p + 1)) {
				if (s->p - kb >= KEY_MAX)
					return 0;
				TRY(mapping(s, col, v, &v));
			} else {
				TRY(eol(s));
			}
		}
		TRY(add(s, q, v));
		if ((r = after_item(s, ind)) < 0)
			return 0;
		if (!r)
			break;
		if (s->t[s->p] != '-' || !blankz(s, s->p + 1)) {
			if (!indentless)
				return 0;
			s->p = s->bol; /* the mapping's next key */
			break;
		}
	}
	s->depth--;
	*out = q;
	return 1;
}

int md_yaml_scan(struct arena *a, const char *text, size_t len,
		 struct md_node **root)
{
	struct sc s = {.a = a, .t = text, .len = len, .tmp = BUF_INIT};
	struct md_node *m = NULL;
	size_t ind;
	int rc;

	*root = NULL;
	if (!text_ok((const unsigned char *)text, len) ||
	    line_indent(&s, &ind) != 1 || ind != 0)
		return 0;
	rc = mapping(&s, 0, NULL, &m);
	buf_release(&s.tmp);
	if (rc == 1 && s.p != len)
		rc = 0;
	if (rc == 1)
		*root = m;
	return rc;
}
