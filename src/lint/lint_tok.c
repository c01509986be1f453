/* lint_tok.c: the tokenizer and sentence splitter. Prose segments from
 * the markdown layer become tokens: words (looked up once in the lexicon by
 * a 16-byte key), punctuation, code spans, URLs. A sentence is handed to
 * the rules as soon as it is complete, so memory stays bounded by the
 * longest sentence. This is the hot loop of the linter: the common case
 * (an ASCII word followed by a space) takes a short, branch-light path. */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lint/lint_internal.h"

#define MAX_SENT_TOKENS 600 /* a longer "sentence" is cut here */

enum {
	CT_ALPHA = 1,
	CT_DIGIT = 2,
	CT_UPPER = 4,
	CT_SPACE = 8,
	CT_JOIN = 16, /* may continue a word: - ' . _ : , and non-ASCII */
};

static const uint8_t ctab[256] = {
	['0' ... '9'] = CT_DIGIT, ['A' ... 'Z'] = CT_ALPHA | CT_UPPER,
	['a' ... 'z'] = CT_ALPHA, [' '] = CT_SPACE,
	['\t'] = CT_SPACE,	  ['\r'] = CT_SPACE,
	['\n'] = CT_SPACE,	  ['-'] = CT_JOIN,
	['\''] = CT_JOIN,	  ['.'] = CT_JOIN,
	['_'] = CT_JOIN,	  [':'] = CT_JOIN,
	[','] = CT_JOIN,	  [0x80 ... 0xFF] = CT_JOIN,
};

static int is_alpha(unsigned char ch)
{
	return ctab[ch] & CT_ALPHA;
}

static int is_digit(unsigned char ch)
{
	return ctab[ch] & CT_DIGIT;
}

static int is_alnum(unsigned char ch)
{
	return ctab[ch] & (CT_ALPHA | CT_DIGIT);
}

/* decode reads the code point at s[i] (valid UTF-8) and its length. */
static unsigned decode(const unsigned char *s, size_t i, int *len)
{
	unsigned c = s[i];

	if (c < 0x80) {
		*len = 1;
		return c;
	}
	if (c < 0xE0) {
		*len = 2;
		return ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
	}
	if (c < 0xF0) {
		*len = 3;
		return ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) |
		       (s[i + 2] & 0x3F);
	}
	*len = 4;
	return ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
	       ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
}

/* Non-ASCII punctuation and spaces: Latin-1 symbols, general
 * punctuation (dashes, curly quotes, ellipsis), CJK punctuation. */
static int cp_is_punct(unsigned cp)
{
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F);
}

static void sentence_done(struct lctx *c)
{
	if (c->ntrig) {
		struct lsent s = {c->text, c->t, c->nt};

		lint_rules_run(c, &s);
	}
	c->nt = 0;
	c->ntrig = 0;
	c->pending_end = 0;
	c->open_quote = -1;
	c->sent_cats = 0;
}

void lint_tok_break(struct lctx *c)
{
	sentence_done(c);
}

static inline struct ltok *push(struct lctx *c, int kind, size_t start,
				size_t end)
{
	struct ltok *t;

	/* one test per token: the array holds a whole sentence (taken at
	 * the first token), so it is full only when the sentence is cut */
	if (__builtin_expect(c->nt >= c->capt, 0)) {
		if (c->capt >= MAX_SENT_TOKENS) {
			sentence_done(c);
		} else {
			/* the trigger indices follow the tokens */
			struct ltok *p = realloc(
				c->t, MAX_SENT_TOKENS * (sizeof *p +
							 sizeof *c->trig));

			if (!p) {
				c->oom = 1;
				return NULL;
			}
			c->t = p;
			c->trig = (int16_t *)(p + MAX_SENT_TOKENS);
			c->capt = MAX_SENT_TOKENS;
		}
	}
	t = &c->t[c->nt++];
	*t = (struct ltok){
		.start = start,
		.end = end,
		.id = W_NONE,
		.fl = c->open_quote >= 0 ? F_QUOTED : 0,
		.kind = (uint8_t)kind,
		.quote = (int16_t)c->open_quote,
	};
	return t;
}

/* before_token decides a pending sentence end: a following lower-case
 * word continues the sentence ("approx. ten"), anything else starts a
 * new one. Closing quotes and brackets stay with the ending sentence. */
static inline void before_token(struct lctx *c, const unsigned char *s,
				size_t i, int closing)
{
	if (!c->pending_end || closing)
		return;
	if (s[i] >= 'a' && s[i] <= 'z')
		c->pending_end = 0;
	else
		sentence_done(c);
}

/* What the slow part of the word scanner learnt. */
struct wscan {
	int lookup;	/* 0: has non-ASCII letters or number separators */
	int underscore; /* an identifier */
	int curly;	/* has ’ as an apostrophe */
};

/* word_rest continues a word at j (the first byte that is not ASCII
 * alphanumeric): inner ' ’ - . between alphanumerics, '_', non-ASCII
 * letters, and : , inside numbers. Returns the word's end. */
static size_t word_rest(const unsigned char *s, size_t i, size_t j, size_t end,
			struct wscan *ws)
{
	int digits = is_digit(s[i]);

	for (;;) {
		unsigned ch;
		int len;

		while (j < end && is_alnum(s[j]))
			j++;
		if (j >= end)
			break;
		ch = s[j];
		if (ch == '_') {
			ws->underscore = 1;
			j++;
			continue;
		}
		if (ch >= 0x80) {
			unsigned cp = decode(s, j, &len);

			if (cp == 0x2019 && j > i && j + 3 < end &&
			    is_alpha(s[j + 3])) {
				ws->curly = 1; /* ’ as an apostrophe */
				j += 3;
				continue;
			}
			if (cp_is_punct(cp))
				break;
			ws->lookup = 0;
			j += (size_t)len;
			continue;
		}
		if ((ch == '-' || ch == '\'' || ch == '.') && j > i &&
		    j + 1 < end && is_alnum(s[j + 1]) && is_alnum(s[j - 1])) {
			j++;
			continue;
		}
		if ((ch == ':' || ch == ',') && digits && j + 1 < end &&
		    is_digit(s[j + 1])) {
			ws->lookup = 0;
			j++;
			continue;
		}
		break;
	}
	return j;
}

/* word_key builds the lexicon key of the word s[a..b) (its first 16
 * bytes; ’ becomes '). Returns the word's length after that, or 0 when
 * it is too long to be in the lexicon even as a plural. */
static inline __attribute__((always_inline)) size_t
word_key(const struct lctx *c, const unsigned char *s, size_t a, size_t b,
	 int curly, struct lex_key *k)
{
	size_t n = b - a;

	if (curly) {
		char tmp[LEX_KEY_MAX + 4] = {0};
		size_t m = 0;

		for (size_t i = a; i < b; i++) {
			if (m >= sizeof tmp)
				return 0;
			if (s[i] >= 0x80) {
				tmp[m++] = '\'';
				i += 2;
			} else {
				tmp[m++] = (char)s[i];
			}
		}
		if (m > LEX_KEY_MAX + 2)
			return 0;
		*k = lex_key_copy(tmp, m > LEX_KEY_MAX ? LEX_KEY_MAX : m);
		return m;
	}
	if (n > LEX_KEY_MAX + 2)
		return 0;
	if (a + 16 <= c->len) {
		memcpy(&k->lo, s + a, 8);
		memcpy(&k->hi, s + a + 8, 8);
		k->lo |= LEX_LOWER;
		k->hi |= LEX_LOWER;
		k->len = 16;
	} else {
		*k = lex_key_copy((const char *)s + a,
				  n > LEX_KEY_MAX ? LEX_KEY_MAX : n);
	}
	return n;
}

/* plural_or_possessive: "engineer's", "engineers", "fixes" inherit the
 * noun classes of their base word. */
static void plural_or_possessive(struct ltok *t, const unsigned char *e,
				 const struct lex_key *raw, size_t m, int curly)
{
	struct lex_key k;
	uint16_t id;
	uint64_t cls;

	if ((e[-2] == '\'' || (curly && e[-2] == 0x99)) &&
	    m - 2 <= LEX_KEY_MAX) {
		k = lex_key_prefix(raw, m - 2);
		if (lint_lex_find(&k, &id, &cls)) {
			t->fl |= F_POSS;
			t->id = id;
			t->cls = cls & ~(uint64_t)CL_TRIG;
		}
		return;
	}
	if (m < 4 || (e[-2] | 0x20) == 's')
		return;
	/* m is at most LEX_KEY_MAX + 2: no prefix key beyond LEX_KEY_MAX */
	if (m - 1 <= LEX_KEY_MAX)
		k = lex_key_prefix(raw, m - 1);
	if (m - 1 > LEX_KEY_MAX || !lint_lex_find(&k, &id, &cls) ||
	    !(cls & CL_NOUN)) {
		k = lex_key_prefix(raw, m - 2);
		if ((e[-2] | 0x20) != 'e' || m - 2 > LEX_KEY_MAX ||
		    !lint_lex_find(&k, &id, &cls) || !(cls & CL_NOUN))
			return;
	}
	t->fl |= F_PLURAL;
	t->id = id;
	t->cls = (cls & (CL_TRIG | CL_NOUN | CL_PERSON | CL_IMPACTED |
			 CL_SYSTEM | CL_REMED | CL_HACT | CL_PROC | CL_OUTCOME |
			 CL_EVAL | CL_SYSCAUSE)) |
		 CL_PLURAL;
}

/* all_caps: s[a..b) has two or more letters, all upper case (IT, NASA). */
static int all_caps(const unsigned char *s, size_t a, size_t b)
{
	unsigned letters = 0;

	for (size_t i = a; i < b; i++) {
		if (ctab[s[i]] & CT_ALPHA) {
			if (!(ctab[s[i]] & CT_UPPER))
				return 0;
			letters++;
		}
	}
	return letters >= 2;
}

/* note_trigger records the word token t (the last one pushed, its
 * classes final) in c->trig when a rule check starts at it. */
static inline void note_trigger(struct lctx *c, const struct ltok *t)
{
	if (t->cls & (CL_TRIG | CL_PAUX))
		c->trig[c->ntrig++] = (int16_t)(c->nt - 1);
}

/* found sets the id and classes of the word token t found in the lexicon
 * (m: its length), unless it is a short acronym (IT, US, OR: not the
 * words they spell; SRE and DBA are people). */
static inline __attribute__((always_inline)) void
found(struct ltok *t, const unsigned char *s, size_t m, uint16_t id,
      uint64_t cls)
{
	if (((m <= 3) & !!(ctab[s[t->start]] & CT_UPPER)) && id != W_RCA &&
	    id != W_RCAS && !(cls & CL_PERSON) &&
	    all_caps(s, t->start, t->end))
		return;
	t->id = id;
	t->cls = cls;
	if (cls & CL_PLURAL)
		t->fl |= F_PLURAL;
}

/* lookup_word fills the id and classes of the word token t (its shape
 * flags are computed later, on demand: tk_fl). Inlined: it runs for every
 * word. A word of up to 8 bytes (most of them) takes a path whose key
 * stays in a register: built in memory as 16 bytes (SSE) and read back
 * in halves, it waited for the store to be forwarded. */
static inline __attribute__((always_inline)) void
lookup_word(const struct lctx *c, struct ltok *t, const unsigned char *s,
	    const struct wscan *ws)
{
	const unsigned char *e = s + t->end;
	struct lex_key raw = {0, 0, 0}, k;
	size_t m = t->end - t->start;
	uint16_t id;
	uint64_t cls;

	if (!ws->lookup)
		return;
	if (m <= 8 && !ws->curly && t->start + 16 <= c->len) {
		uint64_t lo;

		memcpy(&lo, s + t->start, 8);
		k.lo = (lo | LEX_LOWER) & lex_mask_lo[m];
		k.hi = 0;
		k.len = (uint32_t)m;
		if (lint_lex_find(&k, &id, &cls)) {
			found(t, s, m, id, cls);
			return;
		}
		if ((e[-1] | 0x20) == 's' && m >= 3) {
			word_key(c, s, t->start, t->end, 0, &raw);
			plural_or_possessive(t, e, &raw, m, 0);
		}
		return;
	}
	if (!(m = word_key(c, s, t->start, t->end, ws->curly, &raw)))
		return;
	if (m <= LEX_KEY_MAX) {
		k = lex_key_prefix(&raw, m);
		if (lint_lex_find(&k, &id, &cls)) {
			found(t, s, m, id, cls);
			return;
		}
	}
	if ((e[-1] | 0x20) == 's' && m >= 3)
		plural_or_possessive(t, e, &raw, m, ws->curly);
}

/* quote_mark handles a quotation mark at [i, i+len): opens or closes. */
static void quote_mark(struct lctx *c, const unsigned char *s, size_t i,
		       int len, int dir)
{
	struct ltok *t;
	int opening;

	/* dir: 1 opening form, -1 closing form, 0 ambiguous (") */
	if (dir == 0)
		opening = c->open_quote < 0;
	else
		opening = dir > 0;
	if (opening && c->open_quote >= 0)
		opening = 0;
	before_token(c, s, i, !opening);
	if (!opening && c->open_quote < 0)
		return; /* a stray closing mark */
	t = push(c, TK_PUNCT, i, i + (size_t)len);
	if (!t)
		return;
	t->ch = '"';
	t->quote_open = (uint8_t)opening;
	if (opening) {
		c->open_quote = c->nt - 1;
		t->quote = -1;
		t->fl &= (uint16_t)~F_QUOTED;
	} else {
		c->open_quote = -1;
	}
}

static int quote_single(const struct lctx *c)
{
	return c->open_quote >= 0 &&
	       c->t[c->open_quote].end - c->t[c->open_quote].start == 1 &&
	       c->text[c->t[c->open_quote].start] == '\'';
}

static void punct(struct lctx *c, const unsigned char *s, size_t i, int len,
		  char ch)
{
	struct ltok *t;

	before_token(c, s, i, ch == ')' || ch == ']');
	t = push(c, TK_PUNCT, i, i + (size_t)len);
	if (!t)
		return;
	t->ch = ch;
	if (ch == '.' || ch == '!' || ch == '?') {
		/* "e.g." "approx." "J." are no sentence ends */
		if (ch == '.' && c->nt >= 2) {
			struct ltok *p = &c->t[c->nt - 2];

			if (p->kind == TK_WORD && p->end == i &&
			    ((p->cls & CL_ABBR) ||
			     (p->end - p->start == 1 &&
			      (ctab[s[p->start]] & CT_UPPER))))
				return;
		}
		c->pending_end = 1;
	}
}

/* skip_to finds the first occurrence of ch in s[i..end), or end. */
static size_t skip_to(const unsigned char *s, size_t i, size_t end, int ch)
{
	const unsigned char *p = memchr(s + i, ch, end - i);

	return p ? (size_t)(p - s) : end;
}

static int starts(const unsigned char *s, size_t i, size_t end, const char *lit)
{
	size_t n = strlen(lit);

	if (end - i < n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if ((s[i + k] | 0x20) != (unsigned char)lit[k])
			return 0;
	return 1;
}

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* alnum_end: the end of the run of ASCII letters and digits at s[j..end).
 * Sixteen bytes at a time where the whole input (c->len) allows reading
 * them (SSE2: a byte is a letter when (b | 0x20) + 0x1F is below -102 as
 * a signed byte, i.e. (b | 0x20) is in a..z; a digit when b + 0x50 is
 * below -118; bytes above 0x7F are neither), else eight (SWAR: "b >= lo"
 * is the high bit of (b & 0x7F) + (0x80 - lo), which cannot carry into
 * the next byte). Words are short: one step finds most of them, where a
 * byte loop's exit is mispredicted once per word. *space is set when the
 * run ends before end at a space (with SSE2 from the same 16 bytes: most
 * words end so, and this spares the wait for a load of that byte). */
static inline size_t alnum_end(const struct lctx *c, const unsigned char *s,
			       size_t j, size_t end, int *space)
{
	*space = 0;
#if defined(__SSE2__)
	while (j < end && j + 16 <= c->len) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
		__m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));
		__m128i alpha = _mm_cmplt_epi8(
			_mm_add_epi8(l, _mm_set1_epi8(0x1F)), _mm_set1_epi8(-102));
		__m128i digit = _mm_cmplt_epi8(
			_mm_add_epi8(x, _mm_set1_epi8(0x50)), _mm_set1_epi8(-118));
		unsigned stop = ~(unsigned)_mm_movemask_epi8(
			_mm_or_si128(alpha, digit));

		if (stop & 0xFFFF) {
			unsigned k = (unsigned)__builtin_ctz(stop);
			unsigned sp = (unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));

			j += k;
			if (j >= end)
				return end;
			*space = (int)((sp >> k) & 1);
			return j;
		}
		j += 16;
	}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (j < end && j + 8 <= c->len) {
		uint64_t x, l, d, alpha, digit, stop;

		memcpy(&x, s + j, 8);
		l = (x | 0x2020202020202020ULL) & ~HIGHS;
		d = x & ~HIGHS;
		alpha = (l + (0x80 - 'a') * ONES) &
			~(l + (0x80 - 'z' - 1) * ONES);
		digit = (d + (0x80 - '0') * ONES) &
			~(d + (0x80 - '9' - 1) * ONES);
		stop = ~(alpha | digit) | x; /* non-ASCII bytes stop too */
		stop &= HIGHS;
		if (stop) {
			j += (size_t)__builtin_ctzll(stop) / 8;
			return j < end ? j : end;
		}
		j += 8;
	}
#endif
	while (j < end && is_alnum(s[j]))
		j++;
	if (j >= end)
		return end;
	*space = s[j] == ' ';
	return j;
}

/* past_space: j, or j + 1 when a space is there. */
static inline size_t past_space(const unsigned char *s, size_t j, size_t end)
{
	return j + (j < end && s[j] == ' ');
}

/* word handles the word starting at i; returns its end, past the space
 * after it when there is one (most words are followed by one space: no
 * need to go round the caller's loop for it). */
static size_t word(struct lctx *c, const unsigned char *s, size_t i, size_t end)
{
	struct wscan ws = {1, 0, 0};
	int space;
	size_t j = alnum_end(c, s, i + 1, end, &space);
	struct ltok *t;

	/* a comma or full stop ends most words: no need to look further */
	if (!space && j < end && (ctab[s[j]] & CT_JOIN) &&
	    !((s[j] == ',' || s[j] == '.') &&
	      (j + 1 >= end || !is_alnum(s[j + 1]))))
		j = word_rest(s, i, j, end, &ws);
	before_token(c, s, i, 0);
	if (ws.underscore) {
		push(c, TK_CODE, i, j);
		return past_space(s, j, end);
	}
	t = push(c, is_digit(s[i]) ? TK_NUM : TK_WORD, i, j);
	if (!t || t->kind != TK_WORD)
		return space ? j + 1 : past_space(s, j, end);
	lookup_word(c, t, s, &ws);
	/* (& rather than &&: many words start with w, few with www.) */
	if (((t->cls & CL_URL) && starts(s, j, end, "://")) ||
	    ((((s[i] | 0x20) == 'w') & (j - i >= 3)) && i + 3 < end &&
	     s[i + 3] == '.' && starts(s, i, end, "www."))) {
		/* http://..., www.example.com: the URL is one code token */
		while (j < end && s[j] != ' ' && s[j] != '\n' && s[j] != ')' &&
		       s[j] != '>')
			j++;
		t->kind = TK_CODE;
		t->cls = 0;
		t->end = j;
		space = 0;
	}
	note_trigger(c, t);
	return space ? j + 1 : past_space(s, j, end);
}

/* other handles a non-ASCII character or an ASCII mark at i; returns
 * where scanning continues. */
static size_t other(struct lctx *c, const unsigned char *s, size_t start,
		    size_t i, size_t end)
{
	unsigned ch = s[i];
	int len;

	if (ch >= 0x80) {
		unsigned cp = decode(s, i, &len);

		if (!cp_is_punct(cp)) {
			struct wscan ws = {0, 0, 0};
			size_t j = word_rest(s, i, i, end, &ws);
			struct ltok *t;

			before_token(c, s, i, 0);
			t = push(c, TK_WORD, i, j);
			if (t) {
				lookup_word(c, t, s, &ws);
				note_trigger(c, t);
			}
			return j;
		}
		if (cp == 0xA0 || cp == 0x2009 || cp == 0x200B ||
		    cp == 0x202F || (cp >= 0x2000 && cp <= 0x200A))
			; /* spaces */
		else if (cp == 0x201C || cp == 0xAB || cp == 0x2018)
			quote_mark(c, s, i, len, 1);
		else if (cp == 0x201D || cp == 0xBB || cp == 0x2019)
			quote_mark(c, s, i, len, -1);
		else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2015)
			punct(c, s, i, len, '-');
		else if (cp == 0x2026)
			punct(c, s, i, len, ',');
		else
			punct(c, s, i, len, '#');
		return i + (size_t)len;
	}
	switch (ch) {
	case '`':
		/* code spans were cut out by the markdown layer (cmark-gfm
		 * decides them); backticks left over are literal */
		while (i < end && s[i] == '`')
			i++;
		return i;
	case '<': {
		/* inline HTML tag or autolink: skip it */
		size_t j = skip_to(s, i, end, '>');

		if (i + 1 < end && j < end &&
		    (is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!'))
			return j + 1;
		punct(c, s, i, 1, '<');
		return i + 1;
	}
	case ']':
		if (i + 1 < end && s[i + 1] == '(') {
			/* [text](url): skip the URL */
			size_t j = skip_to(s, i + 2, end, ')');

			return j < end ? j + 1 : end;
		}
		return i + 1;
	case '[':
	case '*':
	case '_':
	case '~':
	case '\\':
	case '#': return i + 1;
	case '"': quote_mark(c, s, i, 1, 0); return i + 1;
	case '\'':
		if ((i == start || s[i - 1] == ' ' || s[i - 1] == '(') &&
		    i + 1 < end && is_alpha(s[i + 1]))
			quote_mark(c, s, i, 1, 1);
		else if (quote_single(c))
			quote_mark(c, s, i, 1, -1);
		return i + 1;
	case '|':
		/* table cells are separate units */
		sentence_done(c);
		return i + 1;
	case '-':
		if (i + 1 < end && s[i + 1] == '-') {
			punct(c, s, i, 2, '-');
			return i + 2;
		}
		punct(c, s, i, 1, '-');
		return i + 1;
	default: punct(c, s, i, 1, (char)ch); return i + 1;
	}
}

void lint_tok_code(struct lctx *c, size_t start, size_t end)
{
	if (start >= end || c->oom)
		return;
	before_token(c, (const unsigned char *)c->text, start, 0);
	push(c, TK_CODE, start, end);
}

void lint_tok_segment(struct lctx *c, size_t start, size_t end)
{
	const unsigned char *s = (const unsigned char *)c->text;
	size_t i = start;

	while (i < end) {
		uint8_t ct = ctab[s[i]];

		if (ct & CT_SPACE)
			i++;
		else if (c->oom)
			break;
		else if (ct & (CT_ALPHA | CT_DIGIT))
			i = word(c, s, i, end); /* and the space after it */
		else
			i = other(c, s, start, i, end);
	}
}
