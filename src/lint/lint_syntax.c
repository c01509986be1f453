/* lint_syntax.c: light syntax over a tokenized sentence: adverbs, verb
 * forms, noun phrase heads and who the subject of a verb is (a person or
 * team versus a system or artifact). Heuristics, not a parser: each looks
 * at a few words around a position and stays inside LINT_WINDOW. */
#include <string.h>

#include "lint/lint_internal.h"

/* What tk() returns outside the sentence: a blank punctuation mark. */
const struct ltok lint_blank_tok = {0, 0, 0, W_NONE, 0, TK_PUNCT, ' ', 0, -1};

unsigned tk_fl(const struct lsent *s, int i)
{
	struct ltok *t;
	const unsigned char *b, *e;
	size_t n;
	unsigned letters = 0, upper = 0;

	if (i < 0 || i >= s->n)
		return 0;
	t = &s->t[i];
	if ((t->fl & F_SHAPE) || t->kind != TK_WORD)
		return t->fl;
	t->fl |= F_SHAPE;
	b = (const unsigned char *)s->text + t->start;
	e = (const unsigned char *)s->text + t->end;
	n = t->end - t->start;
	if (*b >= 'A' && *b <= 'Z') {
		/* only a capitalised word can be all capitals */
		t->fl |= F_CAP;
		for (const unsigned char *p = b; p < e; p++) {
			if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') {
				letters++;
				upper += *p <= 'Z';
			}
		}
		if (letters >= 2 && upper == letters)
			t->fl |= F_ALLCAPS;
	}
	if (n >= 4) {
		unsigned x = e[-2] | 0x20, y = e[-1] | 0x20;

		if (x == 'l' && y == 'y' && !(t->cls & CL_NOTADV))
			t->fl |= F_LY;
		else if (x == 'e' && y == 'd' && !(t->cls & CL_NOTPP))
			t->fl |= F_ED;
		else if (n >= 5 && (e[-3] | 0x20) == 'i' && x == 'n' &&
			 y == 'g')
			t->fl |= F_ING;
	}
	if (i == 0 || (i == 1 && s->t[0].kind == TK_PUNCT))
		t->fl |= F_FIRST;
	return t->fl;
}

int tk_boundary(const struct lsent *s, int i)
{
	const struct ltok *t = tk(s, i);

	return t->kind == TK_PUNCT && t->ch != '"' && t->ch != '\'' &&
	       t->ch != '/' && t->ch != '&' && t->ch != '+';
}

int tk_adverb(const struct lsent *s, int i)
{
	const struct ltok *t = tk(s, i);

	if (t->kind != TK_WORD)
		return 0;
	return (t->cls & CL_ADV) ||
	       ((tk_fl(s, i) & F_LY) &&
		!(t->cls & ~(CL_TRIG | CL_EVAL | CL_AUTO | CL_HABIT | CL_JUDGED)));
}

int tk_participle(const struct lsent *s, int i)
{
	const struct ltok *t = tk(s, i);

	return t->kind == TK_WORD && ((t->cls & CL_PP) || (tk_fl(s, i) & F_ED));
}

int tk_past(const struct lsent *s, int i)
{
	const struct ltok *t = tk(s, i);

	return t->kind == TK_WORD &&
	       ((t->cls & CL_PAST) || (tk_fl(s, i) & F_ED));
}

int tk_finite_verb(const struct lsent *s, int i)
{
	int p;

	if (!tk_past(s, i) || tk_is(s, i, CL_DET | CL_PREP | CL_PERSON))
		return 0;
	p = skip_adv_back(s, i - 1, 1);
	if (p < 0)
		return 0;
	return !tk_is(s, p, CL_DET | CL_PREP | CL_BE | CL_HAVE | CL_MODAL) &&
	       !tk_punct(s, p, '"');
}

int skip_adv_fwd(const struct lsent *s, int i, int neg)
{
	while (i < s->n && (tk_adverb(s, i) || (neg && tk_is(s, i, CL_NEG))))
		i++;
	return i;
}

int skip_adv_back(const struct lsent *s, int i, int neg)
{
	while (i >= 0 && (tk_adverb(s, i) || (neg && tk_is(s, i, CL_NEG))))
		i--;
	return i;
}

/* nounish: may be part of a noun phrase (nouns, adjectives, names,
 * numbers, code, participles used as adjectives). */
static int nounish(const struct lsent *s, int i)
{
	const struct ltok *t = tk(s, i);

	if (i < 0 || i >= s->n)
		return 0;
	if (t->kind == TK_NUM || t->kind == TK_CODE)
		return 1;
	if (t->kind == TK_PUNCT)
		return t->ch == '"' || t->ch == '\'' || t->ch == '/' ||
		       t->ch == '+' || t->ch == '&';
	if (t->cls &
	    (CL_CONJ | CL_SUBORD | CL_BE | CL_HAVE | CL_DO | CL_MODAL | CL_NEG))
		return 0;
	if ((t->cls & CL_REL) && !(t->cls & CL_DET))
		return 0;
	if (tk_finite_verb(s, i))
		return 0;
	return 1;
}

int np_head(const struct lsent *s, int k, int lo)
{
	int h = k, j = k;

	if (tk_punct(s, h, '"') || tk_punct(s, h, '\'')) {
		/* "the "Human Investigate" state": look inside the quote */
		h = j = k - 1;
	}
	while (j > lo) {
		int p = j - 1;

		if (tk_is(s, p, CL_SUBORD))
			break; /* "after a user impersonated" */
		if (tk_is(s, p, CL_PREP)) {
			/* "one of Knight's technicians", "two of the
			 * engineers": the head is after "of" */
			if (tk_id(s, p) == W_OF &&
			    (tk(s, p - 1)->kind == TK_NUM ||
			     (tk(s, p - 1)->end - tk(s, p - 1)->start <= 7 &&
			      !tk_is(s, p - 1, CL_NOUN | CL_PERSON | CL_SYSTEM) &&
			      tk_text_in(s, p - 1,
					"one two three four five some many "
					"several each all most both none any "
					"either neither few"))))
				break;
			if (p - 1 >= lo && nounish(s, p - 1) &&
			    !tk_is(s, p - 1, CL_PREP | CL_DET)) {
				h = j = p - 1;
				continue;
			}
			break;
		}
		if (tk_is(s, p, CL_DET) && !tk_is(s, p, CL_PRON_T | CL_REL)) {
			if (tk_is(s, p - 1, CL_PREP)) {
				j = p;
				continue;
			}
			break;
		}
		if (!nounish(s, p) || tk_is(s, p, CL_PRON_P | CL_PRON_T))
			break;
		j = p;
	}
	return h;
}

enum agent agent_of_token(const struct lsent *s, int h)
{
	const struct ltok *t = tk(s, h);

	if (h < 0 || h >= s->n || t->kind != TK_WORD)
		return t->kind == TK_CODE || t->kind == TK_NUM ? AG_SYSTEM
							       : AG_UNKNOWN;
	if (t->cls & CL_PRON_P)
		return AG_PERSON;
	if (t->cls & CL_PRON_T)
		return AG_SYSTEM;
	if (t->id == W_MEMBER) {
		/* "team member" vs "cluster member" */
		const struct ltok *p = tk(s, h - 1);

		return p->kind == TK_WORD && (p->cls & CL_SYSTEM) ? AG_SYSTEM
								  : AG_PERSON;
	}
	if (t->cls & CL_PERSON)
		return AG_PERSON;
	if (t->cls & CL_SYSTEM) {
		/* "the support agent", "a sales agent": a person */
		if (tk_text_in(s, h, "agent agents") &&
		    tk_text_in(s, h - 1, "support sales customer service "
					 "field human travel help-desk "
					 "helpdesk"))
			return AG_PERSON;
		return AG_SYSTEM;
	}
	if (tk_fl(s, h) & F_ALLCAPS)
		return AG_UNKNOWN; /* NASA, HP: an organisation or a system */
	if ((tk_fl(s, h) & F_CAP) && t->id == W_NONE)
		return AG_UNKNOWN; /* a name */
	return AG_SYSTEM;
}

/* long_dash: token k is an em or en dash (or "--"). */
static int long_dash(const struct lsent *s, int k)
{
	return tk_punct(s, k, '-') && tk(s, k)->end - tk(s, k)->start > 1;
}

/* dash_open: token k is the closing dash of a parenthetical ("The
 * engineer -- two weeks into the rotation -- failed to"): the opening
 * dash, or -1. */
static int dash_open(const struct lsent *s, int k)
{
	if (!long_dash(s, k))
		return -1;
	for (int m = k - 1; m >= 1 && m >= k - 12; m--) {
		if (tk_punct(s, m, ';') || tk_punct(s, m, ':'))
			return -1;
		if (long_dash(s, m))
			return nounish(s, m - 1) ? m : -1;
	}
	return -1;
}

/* clause_lo: the lowest index the subject search may look at. */
static int clause_lo(const struct lsent *s, int i)
{
	int lo = i - LINT_WINDOW;

	if (lo < 0)
		lo = 0;
	for (int k = i; k > lo; k--) {
		int o = dash_open(s, k - 1);

		if (o >= 0) {
			k = o;
			continue;
		}
		if (tk_punct(s, k - 1, ';') || tk_punct(s, k - 1, ':') ||
		    tk_punct(s, k - 1, '(') || tk_punct(s, k - 1, ')') ||
		    long_dash(s, k - 1))
			return k;
	}
	return lo;
}

static enum agent subject_at(const struct lsent *s, int v, int depth,
			     int *head);

/* prev_verb: the finite verb before i in the same clause, or -1. */
static int prev_verb(const struct lsent *s, int i, int lo)
{
	for (int k = i; k >= lo; k--) {
		if (tk_punct(s, k, ';'))
			return -1;
		if (tk_finite_verb(s, k) ||
		    (tk_is(s, k, CL_BE | CL_HAVE | CL_DO | CL_MODAL) &&
		     !tk_is(s, k - 1, CL_MODAL | CL_HAVE | CL_BE)))
			return k;
	}
	return -1;
}

static enum agent subject_at(const struct lsent *s, int v, int depth, int *head)
{
	int lo = clause_lo(s, v), k, h;

	*head = -1;
	if (depth > 3)
		return AG_UNKNOWN;
	k = v - 1;
	while (k >= lo &&
	       (tk_adverb(s, k) ||
		tk_is(s, k, CL_NEG | CL_BE | CL_HAVE | CL_DO | CL_MODAL)))
		k--;
	if (k < lo)
		return AG_UNKNOWN;
	if (dash_open(s, k) >= 0) {
		/* skip the parenthetical between dashes */
		k = dash_open(s, k) - 1;
		while (k >= lo && tk_adverb(s, k))
			k--;
	}
	if (tk_is(s, k, CL_CONJ) ||
	    (tk_punct(s, k, ',') && tk_is(s, k - 1, CL_CONJ))) {
		/* "noticed the levels but failed to": the subject of the
		 * first verb */
		int pv = prev_verb(s, k - 1, lo);

		return pv >= 0 ? subject_at(s, pv, depth + 1, head)
			       : AG_UNKNOWN;
	}
	if (tk_is(s, k, CL_REL) && !tk_is(s, k, CL_DET)) {
		if (tk_id(s, k) == W_WHO)
			return AG_PERSON;
		k--;
		if (tk_punct(s, k, ','))
			k--;
		h = np_head(s, k, lo);
		*head = h;
		return agent_of_token(s, h);
	}
	if (tk_id(s, k) == W_THAT) {
		/* relative "that": the noun before it */
		if (nounish(s, k - 1) && !tk_is(s, k - 1, CL_PREP)) {
			h = np_head(s, k - 1, lo);
			*head = h;
			return agent_of_token(s, h);
		}
		*head = k;
		return AG_SYSTEM;
	}
	if (tk_punct(s, k, ',')) {
		/* "An S3 team member, while debugging ..., removed" */
		int c = k - 1;

		while (c >= lo && !tk_punct(s, c, ','))
			c--;
		if (c < lo)
			return AG_UNKNOWN;
		k = c - 1;
		if (tk_is(s, k, CL_REL) || tk_is(s, k, CL_CONJ))
			return AG_UNKNOWN;
	}
	if (!nounish(s, k) && !tk_is(s, k, CL_PRON_P | CL_PRON_T))
		return AG_UNKNOWN;
	h = np_head(s, k, lo);
	*head = h;
	return agent_of_token(s, h);
}

enum agent subject_agent(const struct lsent *s, int v)
{
	int head;

	return subject_at(s, v, 0, &head);
}

enum agent subject_agent_head(const struct lsent *s, int v, int *head)
{
	return subject_at(s, v, 0, head);
}

enum agent main_subject_agent(const struct lsent *s, int i)
{
	int lo = i - LINT_WINDOW < 0 ? 0 : i - LINT_WINDOW;

	for (int k = lo; k < i; k++)
		if (tk_finite_verb(s, k)) {
			int head;

			return subject_at(s, k, 0, &head);
		}
	return AG_UNKNOWN;
}

int quoted_mention(const struct lsent *s, int a, int b)
{
	const struct ltok *ta = tk(s, a);
	int q = ta->quote, p;

	if (!(ta->fl & F_QUOTED) || q < 0)
		return 0;
	/* the quote must hold exactly the flagged words */
	for (int k = q + 1; k < a; k++)
		if (s->t[k].kind != TK_PUNCT)
			return 0;
	for (int k = b + 1; k < s->n && !tk_punct(s, k, '"'); k++)
		if (s->t[k].kind != TK_PUNCT)
			return 0;
	p = q - 1;
	if (p < 0)
		return 1; /* the sentence starts with the quoted term */
	if (tk_is(s, p, CL_MENTION) || tk_punct(s, p, ':') ||
	    tk_punct(s, p, '(') || tk_punct(s, p, ',') ||
	    (tk_id(s, p) == W_AS && tk_id(s, p - 1) == W_SUCH))
		return 1;
	if (tk_is(s, p, CL_DET) && tk_is(s, p - 1, CL_MENTION))
		return 1;
	/* "labels this step as "operator error"", "known as" */
	if (tk_id(s, p) == W_AS)
		for (int k = p - 1; k >= 0 && k >= p - 3; k--)
			if (tk_is(s, k, CL_MENTION) ||
			    tk_text_in(s, k, "known referred termed dubbed"))
				return 1;
	if (tk_is(s, p, CL_CONJ) && tk_punct(s, p - 1, '"'))
		return 1;
	return 0;
}

int has_id_between(const struct lsent *s, int a, int b, int id)
{
	if (a < 0)
		a = 0;
	for (int k = a; k <= b && k < s->n; k++)
		if (s->t[k].id == id)
			return 1;
	return 0;
}

/* text_is: the n bytes at text are w's, A-Z folded to lower case. */
static inline int text_is(const char *text, const char *w, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)text[k];

		if (ch >= 'A' && ch <= 'Z')
			ch |= 0x20;
		if (ch != (unsigned char)w[k])
			return 0;
	}
	return 1;
}

int tk_text_is_n(const struct lsent *s, int i, const char *w, size_t n)
{
	return text_is(s->text + tk(s, i)->start, w, n);
}

int tk_text_in_scan(const struct lsent *s, int i, const char *list)
{
	const struct ltok *t = tk(s, i);
	const unsigned char *w = (const unsigned char *)s->text + t->start;
	size_t n = t->end - t->start;
	const char *p = list;

	if (t->kind != TK_WORD)
		return 0;
	/* one pass over the list: compare while the word matches, then
	 * skip to the next space */
	while (*p) {
		size_t k = 0;

		while (k < n && p[k] && p[k] != ' ' &&
		       (unsigned char)p[k] == (w[k] >= 'A' && w[k] <= 'Z'
						       ? w[k] | 0x20
						       : w[k]))
			k++;
		if (k == n && (p[k] == ' ' || p[k] == '\0'))
			return 1;
		p += k;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* The words of every call site's list, as offsets into the list, filled
 * once by lint_wsets_build (the lists held 700-odd words when this was
 * written; a site whose words do not fit scans). */
#define WSET_MAX 4096
static struct lint_wset_word {
	uint32_t off;
	uint8_t len;
	uint8_t c0; /* first byte | 0x20 */
} wset_words[WSET_MAX];
static uint32_t wset_used;

int tk_text_in_words(const struct lsent *s, int i,
		     const struct lint_wsite *site)
{
	const struct ltok *t = tk(s, i);
	const struct lint_wset_word *ws = wset_words + site->w0;
	const char *w = s->text + t->start;
	size_t n = t->end - t->start;
	unsigned c0 = (unsigned char)w[0] | 0x20;

	for (uint32_t k = 0; k < site->nw; k++)
		if (ws[k].len == n && ws[k].c0 == c0 &&
		    text_is(w, site->list + ws[k].off, n))
			return 1;
	return 0;
}

/* wset_build: the words of site's list, split at spaces as
 * tk_text_in_scan does, and their masks, in one pass; the site is left
 * unbuilt (it scans) when a word is too long for the masks or the words
 * do not fit. */
static void wset_build(struct lint_wsite *site)
{
	const char *list = site->list, *p = list;
	uint64_t lens = 0, firsts = 0;
	uint32_t w0 = wset_used, nw = 0;

	for (;;) {
		const char *w;
		struct lint_wset_word *e;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		for (w = p; *p && *p != ' ';)
			p++;
		if (p - w > 63 || w0 + nw >= WSET_MAX)
			return;
		e = &wset_words[w0 + nw++];
		e->off = (uint32_t)(w - list);
		e->len = (uint8_t)(p - w);
		e->c0 = (uint8_t)((unsigned char)*w | 0x20);
		lens |= 1ULL << (p - w);
		firsts |= 1ULL << (e->c0 & 63);
	}
	site->w0 = w0;
	site->nw = nw;
	site->firsts = firsts;
	site->lens = lens;
	wset_used = w0 + nw;
}

void lint_wsets_build(void)
{
	for (struct lint_wsite *const *p = __start_lint_wsites;
	     p < __stop_lint_wsites; p++)
		if (!(*p)->lens)
			wset_build(*p);
}

int any_person_actor(const struct lsent *s)
{
	for (int k = 0; k < s->n; k++) {
		int head;

		if (tk_finite_verb(s, k) && !(s->t[k].fl & F_QUOTED) &&
		    subject_agent_head(s, k, &head) == AG_PERSON &&
		    !tk_is(s, head, CL_PRON_P))
			return 1;
	}
	return 0;
}
