/* rules_judgement.c: evaluations of a person's character, competence,
 * effort or care, applied to the person or the craft of their work:
 * "careless", "sloppy", "lazy", "negligent", "didn't bother", "cut
 * corners", "in haste", "rushed", "poorly written", "they collectively
 * failed". Left alone: technical senses ("lazy-loading", "the worker
 * ignored SIGTERM"), words applied to software, and descriptive context
 * ("an exhausted engineer"). */
#include "lint/lint_internal.h"

/* with_be extends the span over a preceding "was" / "were" ("was
 * negligent"). */
static int with_be(const struct lsent *s, int i)
{
	int p = skip_adv_back(s, i - 1, 0);

	return tk_is(s, p, CL_BE) ? p : i;
}

/* person_word: "stupid", "dumb" ... count only about a person. */
static void person_word(struct lctx *c, const struct lsent *s, int i)
{
	int p = skip_adv_back(s, i - 1, 0);

	if (tk_fl(s, i) & F_QUOTED)
		return;
	if (tk_is(s, i + 1, CL_PERSON) ||
	    (tk_is(s, p, CL_BE) && subject_agent(s, p) == AG_PERSON) ||
	    (tk_id(s, i + 1) == W_OF && tk_is(s, i + 2, CL_PERSON | CL_PRON_P)))
		lint_emit_toks(c, s, R_IJ_WORD, with_be(s, i), i);
}

static void bother(struct lctx *c, const struct lsent *s, int i)
{
	for (int k = i - 1; k >= 0 && k >= i - 3; k--) {
		if (tk_boundary(s, k))
			return;
		if (tk_is(s, k, CL_NEG) || tk_id(s, k) == W_WITHOUT) {
			lint_emit_toks(c, s, R_IJ_BOTHER, k, i);
			return;
		}
	}
}

static void rushed(struct lctx *c, const struct lsent *s, int i)
{
	int p = skip_adv_back(s, i - 1, 0), head;

	if (tk_is(s, p, CL_DET | CL_BE) || !tk_finite_verb(s, i)) {
		lint_emit_toks(c, s, R_IJ_HASTE, with_be(s, i), i);
		return;
	}
	if (tk_id(s, i + 1) == W_TO || tk_text_in(s, i + 1,
						  "in into back out "
						  "through off"))
		return; /* "engineers rushed to restore service" */
	if (subject_agent_head(s, i, &head) == AG_PERSON &&
	    !tk_is(s, head, CL_IMPACTED))
		lint_emit_toks(c, s, R_IJ_HASTE, i, i);
}

/* "They collectively failed." (a verdict, no "to" complement) */
static void failed_verdict(struct lctx *c, const struct lsent *s, int i)
{
	int n = skip_adv_fwd(s, i + 1, 0), head;

	if (tk_id(s, n) == W_TO ||
	    tk_text_in(s, n, "over back open closed silently") ||
	    tk_is(s, skip_adv_back(s, i - 1, 1), CL_BE | CL_HAVE | CL_DET))
		return;
	/* "failed the primary over", "failed the node": a system's
	 * operation on a thing, not a verdict on people */
	if (tk_is(s, n, CL_DET))
		for (int k = n + 1; k < s->n && k <= n + 6; k++) {
			if (tk_boundary(s, k))
				break;
			if (tk_text_is(s, k, "over") ||
			    (tk_is(s, k, CL_SYSTEM) && !tk_is(s, k + 1, CL_NOUN)))
				return;
		}
	if (subject_agent_head(s, i, &head) == AG_PERSON && head >= 0 &&
	    !tk_is(s, head, CL_IMPACTED))
		lint_emit_toks(c, s, R_IJ_FAILED, head, i);
}

void lint_rule_judgement(struct lctx *c, const struct lsent *s, int i)
{
	int head;

	switch (tk_id(s, i)) {
	case W_CARELESS:
	case W_CARELESSLY:
	case W_SLOPPY:
	case W_SLOPPILY:
	case W_INCOMPETENT:
	case W_INCOMPETENTLY:
	case W_NEGLIGENT:
	case W_NEGLIGENTLY:
	case W_IRRESPONSIBLE:
	case W_IRRESPONSIBLY:
	case W_RECKLESS:
	case W_RECKLESSLY:
	case W_SHODDY:
	case W_SLAPDASH:
	case W_LACKADAISICAL:
	case W_HALF_BAKED:
	case W_THOUGHTLESS:
	case W_THOUGHTLESSLY:
	case W_COMPLACENT:
	case W_INATTENTIVE:
	case W_AMATEURISH:
	case W_UNPROFESSIONAL:
	case W_ROOKIE:
		lint_emit_toks(c, s, R_IJ_WORD, with_be(s, i), i);
		return;
	case W_STUPID:
	case W_DUMB:
	case W_FOOLISH:
	case W_IDIOTIC:
	case W_CLUELESS:
	case W_INEPT: person_word(c, s, i); return;
	case W_LAZILY:
		/* "the engineer lazily copied" (not "the cache lazily
		 * populates") */
		if (subject_agent(s, skip_adv_fwd(s, i + 1, 0)) == AG_PERSON)
			lint_emit_toks(c, s, R_IJ_WORD, i, i);
		return;
	case W_LAZY:
		if (tk_is(s, i + 1, CL_TECH) || tk(s, i + 1)->kind == TK_CODE)
			return; /* lazy loading, lazy evaluation */
		lint_emit_toks(c, s, R_IJ_WORD, with_be(s, i), i);
		return;
	case W_BOTHER:
	case W_BOTHERED:
	case W_BOTHERING: bother(c, s, i); return;
	case W_IGNORED:
		/* active, person subject: wilful disregard; also the
		 * perfect ("the warnings we had ignored") */
		if ((tk_finite_verb(s, i) &&
		     subject_agent_head(s, i, &head) == AG_PERSON &&
		     !tk_is(s, head, CL_IMPACTED)) ||
		    (tk_is(s, i - 1, CL_HAVE) &&
		     tk_is(s, i - 2, CL_PRON_P) && !tk_is(s, i - 2, CL_IMPACTED)))
			lint_emit_toks(c, s, R_IJ_BOTHER, i, i);
		return;
	case W_RUBBER_STAMPED:
	case W_RUBBER_STAMP:
	case W_RUBBER_STAMPING: lint_emit_toks(c, s, R_IJ_BOTHER, i, i); return;
	case W_RUBBER:
		if (tk_text_in(s, i + 1, "stamped stamp stamping stamps"))
			lint_emit_toks(c, s, R_IJ_BOTHER, i, i + 1);
		return;
	case W_CUT:
	case W_CUTTING:
		if (tk_id(s, i + 1) == W_CORNERS)
			lint_emit_toks(c, s, R_IJ_BOTHER, i, i + 1);
		return;
	case W_CORNER_CUTTING: lint_emit_toks(c, s, R_IJ_BOTHER, i, i); return;
	case W_HASTE:
		lint_emit_toks(c, s, R_IJ_HASTE,
			       tk_id(s, i - 1) == W_IN ? i - 1 : i, i);
		return;
	case W_HASTILY:
	case W_HASTY: lint_emit_toks(c, s, R_IJ_HASTE, i, i); return;
	case W_RUSHED: rushed(c, s, i); return;
	case W_DILIGENCE:
		if (tk_id(s, i - 1) != W_DUE)
			return;
		for (int k = i - 2; k >= 0 && k >= i - 5; k--)
			if (tk_id(s, k) == W_WITHOUT || tk_id(s, k) == W_NO ||
			    tk_is(s, k, CL_NEG) || tk_text_is(s, k, "lack")) {
				lint_emit_toks(c, s, R_IJ_BOTHER, k, i);
				return;
			}
		return;
	case W_POORLY:
	case W_BADLY:
		if (tk_text_in(s, i + 1,
			       "written coded implemented designed "
			       "planned executed handled thought-out "
			       "thought managed done crafted engineered "
			       "constructed built conceived"))
			lint_emit_toks(c, s, R_IJ_CRAFT, i, i + 1);
		return;
	case W_FAILED: failed_verdict(c, s, i); return;
	default: return;
	}
}
