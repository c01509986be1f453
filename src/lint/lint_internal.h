/* lint_internal.h: what the pieces of the linter share: tokens, sentences,
 * the run context, the lexicon (word ids and word classes) and the small
 * syntax helpers the rules are written with. Not part of the public API. */
#ifndef DEBRIEF_LINT_INTERNAL_H
#define DEBRIEF_LINT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lint/lint.h"
#include "lint/lint_words.h"

/* Token kinds. */
enum {
	TK_WORD,  /* letters (may hold digits, inner hyphens, apostrophes) */
	TK_NUM,	  /* starts with a digit: 10:00, 5xx, 1.6 */
	TK_CODE,  /* `code span`, identifier_with_underscores, URL */
	TK_PUNCT, /* one punctuation mark; ch says which */
};

/* Token flags. */
enum {
	F_CAP = 1 << 0,	    /* first letter upper case */
	F_ALLCAPS = 1 << 1, /* two or more letters, all upper case */
	F_ED = 1 << 2,	    /* ends in -ed */
	F_ING = 1 << 3,	    /* ends in -ing */
	F_LY = 1 << 4,	    /* ends in -ly (and is not a known non-adverb) */
	F_PLURAL = 1 << 5,  /* found in the lexicon without its final -s */
	F_POSS = 1 << 6,    /* possessive: engineer's, engineers' */
	F_QUOTED = 1 << 7,  /* inside quotation marks */
	F_FIRST = 1 << 8,   /* first word of its sentence */
	F_SHAPE = 1 << 10,  /* the shape flags above have been computed */
};
/* F_PLURAL, F_POSS and F_QUOTED are set by the tokenizer. The shape flags
 * (F_CAP, F_ALLCAPS, F_ED, F_ING, F_LY, F_FIRST) are computed on
 * first use by tk_fl: the rules look at few tokens, the tokenizer at all of
 * them. */

/* A token. For punctuation, ch is the mark; every quotation mark is '"'
 * (opening or closing is in quote_open). */
struct ltok {
	size_t start, end;  /* byte offsets into the whole input */
	uint64_t cls;	    /* CL_* bits from the lexicon */
	uint16_t id;	    /* W_* or W_NONE */
	uint16_t fl;	    /* F_* */
	uint8_t kind;	    /* TK_* */
	char ch;	    /* TK_PUNCT: the mark */
	uint8_t quote_open; /* TK_PUNCT '"': 1 opens, 0 closes */
	int16_t quote;	    /* index of the opening quote token, or -1 */
};

struct lsent {
	const char *text; /* the whole input */
	struct ltok *t;
	int n;
};

/* Rule ids: each has a category, a message and a suggestion
 * (lint_messages.c). */
enum lint_rule {
	R_CF_SHOULD,
	R_CF_MODAL,
	R_CF_COND,
	R_CF_FAILED,
	R_CF_MISSED,
	R_CF_INSTEAD,
	R_RC_ROOT,
	R_RC_RCA,
	R_RC_SINGLE,
	R_HE_TERM,
	R_HE_MISTAKE,
	R_HE_ADVERB,
	R_HE_FORGOT,
	R_HE_NOUN,
	R_HS_OBVIOUS,
	R_HS_PREDICT,
	R_HS_RETRO,
	R_HS_VERDICT,
	R_PB_PASSIVE,
	R_IJ_WORD,
	R_IJ_HASTE,
	R_IJ_BOTHER,
	R_IJ_CRAFT,
	R_IJ_FAILED,
	/* human-error: "mistake" / "oversight" as a bare noun, a hint (see
	 * lint_finding_is_hint) */
	R_HE_MISTAKE_NOUN,
	R_NRULES
};

struct lint_rule_info {
	enum lint_category cat;
	const char *message;
	const char *suggestion;
};

extern const struct lint_rule_info lint_rules[R_NRULES];

/* The run context: collects findings; `suppress` holds the categories
 * silenced for the current paragraph (ignore marker) and the disabled
 * ones. */
struct lctx {
	const char *text;
	size_t len; /* of the whole text (bytes past a range are readable) */
	size_t md_start, md_end; /* the range this context lints */
	unsigned suppress;	 /* paragraph mask | disabled mask */
	int in_heading;		 /* the sentence is (in) a heading */
	unsigned disabled;
	struct lint_finding *f;
	size_t nf, capf;
	int oom;
	/* tokenizer state: the tokens of the current sentence */
	struct ltok *t;
	int nt, capt;
	/* the indices of the sentence's tokens that start a rule check
	 * (CL_TRIG or CL_PAUX), in order, recorded as the tokens are made:
	 * the rules run at these only, and a sentence without one is not
	 * handed to them (it cannot have a finding). Lives in t's block. */
	int16_t *trig;
	int ntrig;
	int pending_end; /* a sentence end mark was seen; decide on next token */
	int open_quote;	 /* index of the open quotation mark, or -1 */
	/* parts (lint.c): the next parts start at stops[0..nstops) (each
	 * validated its own bytes); the markdown layer stops at the first
	 * where its state is that of a fresh start, and sets `stopped` */
	const size_t *stops;
	size_t nstops;
	size_t stopped;
	int invalid; /* bytes taken from a next part are not UTF-8 ... */
	size_t bad;  /* ... from this offset */
	/* messages written for one finding live in blocks that are never
	 * moved (findings point into them); lint_text hands the blocks to
	 * the caller's arena */
	char **pool;
	size_t npool, cappool, pool_used, pool_block;
	/* one finding per category per sentence */
	unsigned sent_cats; /* LINT_MASK bits emitted in this sentence */
};

/* lint_prefault maps in the whole pages inside p[0..n) at once (see
 * lint.c); a hint to the kernel, never an error. */
void lint_prefault(void *p, size_t n);
/* lint_emit records a finding of rule r over [start, end) unless its
 * category is suppressed. */
void lint_emit(struct lctx *c, enum lint_rule r, size_t start, size_t end);
/* lint_emit_toks: the same over tokens a..b inclusive, except when they
 * are a quoted mention or contain code. */
void lint_emit_toks(struct lctx *c, const struct lsent *s, enum lint_rule r,
		    int a, int b);
/* lint_emit_msg: lint_emit_toks with a message and a suggestion written
 * for this sentence (NULL: the rule's own). Returns 1 when emitted. */
int lint_emit_msg(struct lctx *c, const struct lsent *s, enum lint_rule r,
		  int a, int b, const char *message, const char *suggestion);
/* lint_wants: a finding of rule r could still be emitted in this
 * sentence (its category is not suppressed and has none yet: one
 * finding per category per sentence), so that
 * writing a message for it is worth the time. */
int lint_wants(const struct lctx *c, enum lint_rule r);

/* lint_msg writes a message for one finding into the pool: tmpl with %1
 * .. %4 replaced by args[0..3] (a NULL arg is empty; an arg is cut at 60
 * bytes and its line breaks become spaces). Returns NULL when out of
 * memory (c->oom is set). */
struct lint_arg {
	const char *p;
	size_t n;
};
const char *lint_msg(struct lctx *c, const char *tmpl,
		     const struct lint_arg *args, int nargs);
/* lint_tok_arg: the text of tokens a..b as an argument. */
struct lint_arg lint_tok_arg(const struct lsent *s, int a, int b);
/* lint_pool_free releases the pool; lint_pool_give hands its blocks to a
 * (-1 when a cannot take them: they are then freed). */
void lint_pool_free(struct lctx *c);
int lint_pool_give(struct lctx *c, struct arena *a);

/* Lexicon (lint_lex.c). lint_lex_init is idempotent and thread-safe. */
void lint_lex_init(void);
/* A lexicon key: a word of up to 16 bytes, lower-cased (byte | 0x20, which
 * is exact for letters, digits, ' - and .) and zero-padded, in two 64-bit
 * halves, so that hashing and comparing cost a few instructions. */
#define LEX_KEY_MAX 16
#define LEX_LOWER   0x2020202020202020ULL

struct lex_key {
	uint64_t lo, hi;
	uint32_t len;
};

/* lex_mask_lo[m] / lex_mask_hi[m] keep the first m (0..16) bytes of the
 * two 64-bit halves of a key loaded from memory. */
extern const uint64_t lex_mask_lo[LEX_KEY_MAX + 1];
extern const uint64_t lex_mask_hi[LEX_KEY_MAX + 1];

static inline uint32_t lex_key_hash(const struct lex_key *k)
{
	uint64_t x = (k->lo ^ (k->hi * 0xC2B2AE3D27D4EB4FULL) ^ k->len) *
		     0x9E3779B97F4A7C15ULL;

	return (uint32_t)(x >> 32);
}

/* lex_key_copy builds the key of w[0..n) (n <= LEX_KEY_MAX);
 * lex_key_prefix derives the key of the first m bytes of a key. */
struct lex_key lex_key_copy(const char *w, size_t n);
static inline struct lex_key lex_key_prefix(const struct lex_key *k, size_t m)
{
	struct lex_key p = {k->lo & lex_mask_lo[m], k->hi & lex_mask_hi[m],
			    (uint32_t)m};

	return p;
}

/* The lexicon's tables (lint_lex.c), read-only once built. Open
 * addressing over one small probe array (16 KiB, it stays in cache): each
 * slot holds a 16-bit fingerprint of the hash and the entry's index; an
 * entry (32 bytes) is read only when the fingerprint matches. */
#define LEX_SLOTS 4096 /* power of two, over twice the words */
struct lex_entry {
	uint64_t lo, hi; /* the key */
	uint64_t cls;
	uint16_t id;
	uint16_t len;
};
extern uint32_t lex_slot[LEX_SLOTS]; /* fingerprint << 16 | index, 0 empty */
extern struct lex_entry lex_entries[];

/* lex_probe: the index of k's entry, or 0; *slot is where the probe
 * stopped (the free slot for an insertion). */
static inline unsigned lex_probe(const struct lex_key *k, uint32_t *slot)
{
	uint32_t h = lex_key_hash(k), i = h & (LEX_SLOTS - 1), fp = h >> 16;

	for (; lex_slot[i]; i = (i + 1) & (LEX_SLOTS - 1)) {
		const struct lex_entry *e;

		if ((lex_slot[i] >> 16) != fp)
			continue;
		e = &lex_entries[lex_slot[i] & 0xFFFF];
		if (e->lo == k->lo && e->hi == k->hi && e->len == k->len) {
			*slot = i;
			return lex_slot[i] & 0xFFFF;
		}
	}
	*slot = i;
	return 0;
}

/* Words of up to 8 bytes (three in four of the lexicon's, nearly all of
 * the text's) are looked up in a second table that holds their keys
 * themselves (the key's first half; the second is zero) and, in arrays
 * of the same slots, their ids and classes: a lookup compares a slot
 * with the word and, when it is found, reads that slot's classes (no
 * loads that wait on other loads, and 36 KiB instead of the 64 KiB of
 * entries). */
#define LEX_SHORT_BITS	11 /* 2048 slots for ~1100 words */
#define LEX_SHORT_SLOTS (1u << LEX_SHORT_BITS)
struct lex_short {
	uint64_t key; /* 0: empty */
	uint64_t cls;
};
extern struct lex_short lex_short[LEX_SHORT_SLOTS];
extern uint16_t lex_short_id[LEX_SHORT_SLOTS];

static inline uint32_t lex_short_hash(uint64_t lo)
{
	return (uint32_t)((lo * 0x9E3779B97F4A7C15ULL) >>
			  (64 - LEX_SHORT_BITS));
}

/* lex_short_slot: the slot of the key whose first half is lo and whose
 * length is at most 8 (no key is 0: its bytes are ORed with 0x20), or
 * -1. */
static inline int lex_short_slot(uint64_t lo)
{
	for (uint32_t i = lex_short_hash(lo);;
	     i = (i + 1) & (LEX_SHORT_SLOTS - 1)) {
		uint64_t key = lex_short[i].key;

		if (key == lo)
			return (int)i;
		if (!key)
			return -1;
	}
}

/* lint_lex_find: 1 and the word's id and classes when k is known (inline:
 * it runs for every word). */
static inline int lint_lex_find(const struct lex_key *k, uint16_t *id,
				uint64_t *cls)
{
	uint32_t slot;
	unsigned e;

	if (k->len <= 8) {
		int i = lex_short_slot(k->lo);

		if (i < 0)
			return 0;
		*id = lex_short_id[i];
		*cls = lex_short[i].cls;
		return 1;
	}
	e = lex_probe(k, &slot);
	if (!e)
		return 0;
	*id = lex_entries[e].id;
	*cls = lex_entries[e].cls;
	return 1;
}

/* Tokenizer (lint_tok.c). lint_tok_segment adds the tokens of
 * text[start..end) to the current sentence, running the rules on each
 * sentence as it completes; lint_tok_break ends the current sentence
 * (block boundary). */
void lint_tok_segment(struct lctx *c, size_t start, size_t end);
void lint_tok_break(struct lctx *c);
/* lint_tok_code adds one code token for text[start..end) (a code span). */
void lint_tok_code(struct lctx *c, size_t start, size_t end);

/* Code (lint_code.c): code blocks and code spans as cmark-gfm parses
 * them, found region by region as the markdown layer asks. */
struct lrange {
	size_t start, end; /* byte offsets [start, end) */
};
/* lint_next_byte: whether ch is in text[a..b): the offset of the first
 * one, or an offset >= b when there is none; remembered in *n (start with
 * LINT_NEXT_INIT) so that asking for increasing offsets searches once per
 * occurrence of ch (or per LINT_NEXT_AHEAD bytes) rather than once per
 * call. b <= end, and end must be the same in every call with one *n. */
struct lint_next {
	/* no ch in [from, at); ch at `at` when at < to, else searched up to
	 * `to` */
	size_t from, at, to;
};
#define LINT_NEXT_INIT	((struct lint_next){SIZE_MAX, 0, 0})
#define LINT_NEXT_AHEAD (64u << 10)
size_t lint_next_byte(struct lint_next *n, const char *text, size_t end,
		      size_t a, size_t b, int ch);

struct lint_code {
	const char *text;
	size_t end;  /* parse no further */
	size_t upto; /* regions before this offset are decided */
	void *parser; /* cmark_parser, reused */
	struct lrange *blk, *span; /* ascending */
	size_t nblk, capblk, iblk, nspan, capspan, ispan;
	size_t *lines; /* line starts of the region being parsed */
	size_t nlines, caplines;
	/* the newlines of the last region region_end walked, [nl_from,
	 * nl_to), kept for the markdown layer's line walk (lint_code_eol)
	 * so that each line is searched once; nl_to is 0 when they could
	 * not be kept */
	size_t *nl;
	size_t nnl, capnl, inl, nl_from, nl_to;
	struct lint_next bt, tl; /* the next ` and ~ */
	int oom;
};
/* lint_code_init: code of text[from..end) (the region cuts start at
 * from). lint_code_free releases the parser and the tables. */
void lint_code_init(struct lint_code *k, const char *text, size_t from,
		    size_t end);
void lint_code_free(struct lint_code *k);
/* lint_code_block_at: the line starting at off is in a code block.
 * Offsets asked for must not decrease. */
int lint_code_block_at(struct lint_code *k, size_t off);
/* lint_code_eol: the newline that ends the line starting at off, or NULL
 * when the line runs to the end; off must not decrease from call to call
 * (nor below the offsets asked of lint_code_block_at). */
const char *lint_code_eol(struct lint_code *k, size_t off);
/* lint_code_span_after: the first code span (backticks included) that
 * ends after off, or NULL. Call after lint_code_block_at for the line. */
const struct lrange *lint_code_span_after(struct lint_code *k, size_t off);

/* Markdown layer (lint_md.c): splits text[md_start..md_end) into prose
 * segments and feeds the tokenizer, handling blocks, comments and ignore
 * markers. With stops, it ends at the first stop where its state is that
 * of a fresh start (the next part's findings from there are then right),
 * and goes on over the others. */
void lint_md_run(struct lctx *c, const struct lint_config *cfg);
/* lint_md_part_starts finds up to max byte offsets (ascending), the first
 * at or after len/(max+1), the next after 2 len/(max+1), ..., where a part
 * of a large text likely starts fresh: an ATX heading after a blank line,
 * not right after an HTML comment. Whether it does is decided while
 * linting (lint_md_run). Returns how many. */
size_t lint_md_part_starts(const char *text, size_t len, size_t *at,
			   size_t max);

/* lint_text_each is lint_text handing the findings on as they are ready:
 * sink(arg, f, n) is called with the next n findings in order (sorted,
 * lines and columns set), one part of the input at a time, from whichever
 * thread finished it but never from two at once; it owns f (free it) and
 * returns nonzero to get no more calls. No finding is handed on before
 * the whole input is known to be valid UTF-8; after an E_NOMEM some may
 * have been. Returns as lint_text. */
typedef int (*lint_sink_fn)(void *arg, struct lint_finding *f, size_t n);
enum err_code lint_text_each(struct arena *a, const char *text, size_t len,
			     const struct lint_config *cfg, lint_sink_fn sink,
			     void *arg, struct err *e);

/* The rules, one entry per category file; called for every token with
 * CL_TRIG in a sentence (lint_rules_run calls them all, at the tokens in
 * c->trig). */
void lint_rules_run(struct lctx *c, const struct lsent *s);
void lint_rule_counterfactual(struct lctx *c, const struct lsent *s, int i);
void lint_rule_root_cause(struct lctx *c, const struct lsent *s, int i);
void lint_rule_human_error(struct lctx *c, const struct lsent *s, int i);
void lint_rule_hindsight(struct lctx *c, const struct lsent *s, int i);
void lint_rule_passive(struct lctx *c, const struct lsent *s, int i);
/* lint_rule_passive_aux: at "was", "were", "had been", a passive of a
 * verb outside the operational list (called for CL_PAUX tokens). */
void lint_rule_passive_aux(struct lctx *c, const struct lsent *s, int i);
void lint_rule_judgement(struct lctx *c, const struct lsent *s, int i);

/* Syntax helpers (lint_syntax.c). Indices outside [0, n) are safe: the
 * accessors return a blank token. */
enum agent {
	AG_UNKNOWN,
	AG_PERSON, /* person, team, organisation */
	AG_SYSTEM, /* software, hardware, process, artifact */
};

extern const struct ltok lint_blank_tok;

/* tk: token i, or a blank token outside the sentence (one unsigned
 * comparison covers i < 0: the rules call this on every step) */
static inline const struct ltok *tk(const struct lsent *s, int i)
{
	return (unsigned)i < (unsigned)s->n ? &s->t[i] : &lint_blank_tok;
}

static inline int tk_id(const struct lsent *s, int i)
{
	return tk(s, i)->id;
}

static inline int tk_is(const struct lsent *s, int i, uint64_t cls)
{
	return (tk(s, i)->cls & cls) != 0;
}

static inline int tk_word(const struct lsent *s, int i)
{
	return tk(s, i)->kind == TK_WORD;
}

static inline int tk_punct(const struct lsent *s, int i, char ch)
{
	const struct ltok *t = tk(s, i);

	return t->kind == TK_PUNCT && t->ch == ch;
}

/* tk_fl: the F_* flags of token i (0 outside the sentence). */
unsigned tk_fl(const struct lsent *s, int i);
int tk_punct(const struct lsent *s, int i, char ch);
/* A clause boundary: punctuation other than quotes and hyphens. */
int tk_boundary(const struct lsent *s, int i);
int tk_adverb(const struct lsent *s, int i);
int tk_participle(const struct lsent *s, int i);
int tk_past(const struct lsent *s, int i);
/* tk_finite_verb: a past-tense form used as a verb (not after a
 * determiner, preposition or auxiliary). */
int tk_finite_verb(const struct lsent *s, int i);
/* Skip adverbs (and negation when neg) forwards / backwards from i. */
int skip_adv_fwd(const struct lsent *s, int i, int neg);
int skip_adv_back(const struct lsent *s, int i, int neg);
/* np_head: the head noun of the noun phrase ending at k (not before lo):
 * "the SRE on duty" -> SRE, "a logic error in the validator" -> error. */
int np_head(const struct lsent *s, int k, int lo);
enum agent agent_of_token(const struct lsent *s, int h);
/* subject_agent: who does the verb group that starts at token v
 * (adverbs and auxiliaries before it are skipped). */
enum agent subject_agent(const struct lsent *s, int v);
/* subject_agent_head: the same, and *head = the subject's head token (or
 * -1 when none was found). */
enum agent subject_agent_head(const struct lsent *s, int v, int *head);
/* main_subject_agent: the agent of the first finite verb before i. */
enum agent main_subject_agent(const struct lsent *s, int i);
/* quoted_mention: tokens a..b are a quoted term under discussion
 * (`the label "human error"`), not used by the author. */
int quoted_mention(const struct lsent *s, int a, int b);
int has_id_between(const struct lsent *s, int a, int b, int id);
/* tk_text_is: token i is the word w (lower case ASCII), ignoring case.
 * tk_text_in: one of the space-separated words in list (a string
 * literal). For rare words that need no lexicon entry. */
int tk_text_is_n(const struct lsent *s, int i, const char *w, size_t n);
/* tk_text_in tests a set of the list's words, one per call site, built
 * once with the lexicon (lint_wsets_build, from lint_lex_init): the
 * token's length and first byte are tested against two masks (inline),
 * and only the words of the same length and first letter are compared
 * (tk_text_in_words), instead of a scan of the whole list on every call.
 * The answer is the scan's (tk_text_in_scan, which also serves a site
 * whose set could not be built). Each call site's struct lint_wsite is
 * listed in the section lint_wsites (a pointer to it), so that all the
 * sets are built before any rule runs and a test can reach every list. */
int tk_text_in_scan(const struct lsent *s, int i, const char *list);
struct lint_wsite {
	const char *list;
	uint64_t lens;	 /* bit n: a word of n bytes (1 <= n <= 63); 0: the
			  * set is not built (the site scans) */
	uint64_t firsts; /* bit (b | 0x20) & 63 for a word's first byte b */
	uint32_t w0, nw; /* its words: wset_words[w0 .. w0 + nw) */
};
extern struct lint_wsite *const __start_lint_wsites[];
extern struct lint_wsite *const __stop_lint_wsites[];
/* lint_wsets_build builds every site's set (once: lint_lex_init). */
void lint_wsets_build(void);
/* tk_text_in_words: token i (a word of 1 to 63 bytes) is one of the
 * set's words. */
int tk_text_in_words(const struct lsent *s, int i,
		     const struct lint_wsite *site);
static inline int tk_text_in_site(const struct lsent *s, int i,
				  const struct lint_wsite *site)
{
	const struct ltok *t = tk(s, i);
	size_t n = t->end - t->start;

	if (t->kind != TK_WORD)
		return 0;
	/* n - 1 > 62: an empty token (only a list starting with a space
	 * matches it) or one longer than every word of a built set */
	if (!site->lens || n - 1 > 62)
		return site->lens && n ? 0
				       : tk_text_in_scan(s, i, site->list);
	if (!((site->lens >> n) & 1) ||
	    !((site->firsts >> (((unsigned char)s->text[t->start] | 0x20) &
				63)) &
	      1))
		return 0;
	return tk_text_in_words(s, i, site);
}
#define tk_text_in(s, i, list)                                          \
	__extension__({                                                 \
		static struct lint_wsite tk_site_ = {list, 0, 0, 0, 0};   \
		static struct lint_wsite *const tk_sitep_ __attribute__(( \
			section("lint_wsites"), used)) = &tk_site_;     \
		tk_text_in_site(s, i, &tk_site_);                       \
	})
/* inline: the length of a literal w is known when compiling, so most
 * calls end at the length test or at the first byte's (a letter's two
 * cases differ in bit 0x20 only) */
static inline int tk_text_is(const struct lsent *s, int i, const char *w)
{
	const struct ltok *t = tk(s, i);
	size_t n = __builtin_strlen(w);

	if (t->kind != TK_WORD || t->end - t->start != n ||
	    (n && ((unsigned char)s->text[t->start] | 0x20) !=
			  ((unsigned char)w[0] | 0x20)))
		return 0;
	return tk_text_is_n(s, i, w, n);
}
/* any_person_actor: some finite verb in the sentence has a person as its
 * subject ("after a user impersonated ..."). */
int any_person_actor(const struct lsent *s);

/* modal_perfect_pp: token i is a modal starting "MODAL [not] have [been]
 * PARTICIPLE": the participle's index (*been set for the passive), else
 * -1 (rules_counterfactual.c). */
int modal_perfect_pp(const struct lsent *s, int i, int *been);

#define LINT_WINDOW 40

#endif
