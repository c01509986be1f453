/* rules_counterfactual.c: an alternative past offered as the explanation:
 * modal perfects (should / could / would / might have + participle),
 * "Had X ...", "if only", "failed to" and "missed" with a person subject,
 * "instead of following the procedure". Expectations ("the job should have
 * finished by 10:00"), uncertainty ("may have", "could have contributed"),
 * exposure and systems that "failed to" are left alone. */
#include <string.h>

#include "lint/lint_internal.h"

static int modal_of(int id)
{
	switch (id) {
	case W_SHOULDVE:
	case W_SHOULDNT: return W_SHOULD;
	case W_COULDVE: return W_COULD;
	case W_WOULDVE:
	case W_WOULDNT: return W_WOULD;
	case W_MIGHTVE: return W_MIGHT;
	default: return id;
	}
}

/* modal_perfect_pp: when token i is a modal starting "MODAL [not] have
 * [been] PARTICIPLE", returns the participle's index (and sets *been),
 * else -1. */
int modal_perfect_pp(const struct lsent *s, int i, int *been)
{
	int id = tk_id(s, i), j = i + 1;

	*been = 0;
	if (id != W_SHOULDVE && id != W_COULDVE && id != W_WOULDVE &&
	    id != W_MIGHTVE) {
		j = skip_adv_fwd(s, j, 1);
		if (tk_id(s, j) != W_HAVE)
			return -1;
		j++;
	}
	j = skip_adv_fwd(s, j, 1);
	if (tk_id(s, j) == W_BEEN) {
		j = skip_adv_fwd(s, j + 1, 1);
		*been = 1;
	}
	return tk_participle(s, j) ? j : -1;
}

static int negated_between(const struct lsent *s, int a, int b)
{
	for (int k = a; k <= b; k++)
		if (tk_is(s, k, CL_NEG))
			return 1;
	return 0;
}

/* exposure: "could have enabled an attacker to ...", "could have let
 * anyone publish": what the flaw made possible, not a better past. */
static int exposure(const struct lsent *s, int pp)
{
	int k = pp + 1;

	if (!tk_text_in(s, pp, "enabled allowed let permitted given granted"))
		return 0;
	while (tk_is(s, k, CL_DET) || tk_text_in(s, k, "malicious unauthorized "
							"unauthorised remote"))
		k++;
	/* "could have let any signed-in user read ...": other users */
	for (int m = k; m < s->n && m <= k + 2; m++)
		if (tk_is(s, m, CL_IMPACTED) &&
		    (tk_is(s, k - 1, CL_DET) || m > k) &&
		    (tk_text_in(s, k - 1, "any other another every") ||
		     tk_text_in(s, k, "other another")))
			return 1;
	return tk_text_in(s, k, "attacker attackers anyone anybody someone "
				"somebody intruder intruders adversary "
				"outsiders outsider actor actors "
				"third-party third");
}

/* attacker_subject: "an attacker could have replayed ...": what an
 * adversary could have done is exposure. */
static int attacker_subject(const struct lsent *s, int i)
{
	int head;

#define ATTACKERS                                                       \
	"attacker attackers anyone anybody someone somebody intruder " \
	"intruders adversary adversaries outsider outsiders"
	subject_agent_head(s, i, &head);
	if (head >= 0 && tk_text_in(s, head, ATTACKERS))
		return 1;
	/* "an attacker holding a stolen token could have ...": the
	 * subject before a participle phrase */
	for (int k = i - 1; k >= 0 && k >= i - 10; k--) {
		if (tk_boundary(s, k) || tk_is(s, k, CL_SUBORD | CL_REL) ||
		    tk_finite_verb(s, k))
			return 0;
		if (tk_text_in(s, k, ATTACKERS))
			return 1;
	}
	return 0;
#undef ATTACKERS
}

/* IMPACT_PP: "the cost could have reached six figures": how bad it could
 * have been, not a better past. WORSE: "would have been far worse", "been
 * at risk". */
#define IMPACT_PP "reached exceeded doubled tripled topped"
#define WORSE                                                            \
	"worse larger higher greater bigger longer costlier catastrophic " \
	"severe disastrous exposed vulnerable affected compromised lost "  \
	"wider"

/* impact_been: tokens after "been" at k say how bad it could have been
 * ("much worse", "at risk"). */
static int impact_been(const struct lsent *s, int k)
{
	k = skip_adv_fwd(s, k, 0);
	while (tk_text_in(s, k, "much far even significantly considerably "
				"a lot"))
		k++;
	return tk_text_in(s, k, WORSE) ||
	       (tk_text_is(s, k, "at") && tk_text_is(s, k + 1, "risk"));
}

/* negated_subject: the subject before the modal at i is negated ("no
 * writes would have been lost", "none of the data"): a better past. */
static int negated_subject(const struct lsent *s, int i)
{
	for (int k = i - 1; k >= 0 && k >= i - 6; k--) {
		if (tk_boundary(s, k) || tk_is(s, k, CL_SUBORD | CL_REL))
			return 0;
		if (tk_id(s, k) == W_NO)
			return 1;
		if (tk(s, k)->kind == TK_WORD &&
		    ((s->text[tk(s, k)->start] | 0x20) == 'n' ||
		     (s->text[tk(s, k)->start] | 0x20) == 'f') &&
		    tk_text_in(s, k, "none nothing nobody neither fewer"))
			return 1;
	}
	return 0;
}

/* is_question: the sentence asks ("What could have been done
 * differently?"): a prompt, not an answer. */
static int is_question(const struct lsent *s)
{
	for (int k = s->n - 1; k >= 0 && k >= s->n - 3; k--)
		if (tk_punct(s, k, '?'))
			return 1;
	return 0;
}

/* worse_past: the sentence imagines the help away ("If we had not
 * rolled back, ...", "Had we not caught it, ...", "Without the fix,
 * ...") before the modal at i: what follows is how bad it could have
 * been, unless the modal is negated too ("had not run the script, the
 * outage would not have happened": a better past). */
static int worse_past(const struct lsent *s, int i)
{
	int cond = 0;

	for (int k = 0; k < i; k++) {
		if (tk_punct(s, k, ';'))
			cond = 0;
		/* "if ... had not", "if ... hadn't" */
		if (tk_id(s, k) == W_IF) {
			for (int m = k + 1; m < i && m <= k + 10; m++) {
				if (tk_boundary(s, m))
					break;
				if (tk_id(s, m) == W_HADNT ||
				    (tk_id(s, m) == W_HAD &&
				     tk_is(s, m + 1, CL_NEG))) {
					cond = 1;
					break;
				}
			}
		}
		/* "Had we not caught it" */
		if (tk_id(s, k) == W_HAD && (k == 0 || tk_boundary(s, k - 1)))
			for (int m = k + 1; m < i && m <= k + 4; m++)
				if (tk_is(s, m, CL_NEG)) {
					cond = 1;
					break;
				}
		/* "Without the fix, ..." */
		if (tk_id(s, k) == W_WITHOUT && (k == 0 || tk_boundary(s, k - 1)))
			cond = 1;
	}
	/* "... would have lasted longer without the help of ..." */
	for (int k = i + 1; k < s->n && k <= i + 10 && !cond; k++)
		if (tk_id(s, k) == W_WITHOUT && tk_is(s, k + 1, CL_DET) &&
		    tk_text_in(s, k + 2, "help support intervention "
					 "efforts work fix rollback "
					 "failover"))
			cond = 1;
	if (!cond)
		return 0;
	for (int k = i; k < s->n && k <= i + 4; k++)
		if (tk_is(s, k, CL_NEG))
			return 0;
	if (negated_subject(s, i))
		return 0;
	/* and the main clause is about harm: "the bug would have
	 * shipped", "error rates would have kept climbing", "the fleet
	 * would have gone down" (not "the second writer would have
	 * waited": a mechanism) */
	{
		int lo = i;

		while (lo > 0 && !tk_boundary(s, lo - 1) && lo > i - 8)
			lo--;
		for (int k = lo; k < s->n; k++)
			if (tk_is(s, k, CL_BADRES | CL_SYSCAUSE | CL_OUTCOME |
						CL_HARM) ||
			    tk_text_in(s, k, "down offline climbing climbed "
					     "worse longer lost corrupted "
					     "spread"))
				return 1;
	}
	return 0;
}

/* modal_cf: the modal at i starts a counterfactual modal perfect: its
 * rule (R_CF_MODAL, R_CF_SHOULD) and *pp_out its participle, or -1. */
static int modal_cf(const struct lsent *s, int i, int *pp_out)
{
	int been, pp = modal_perfect_pp(s, i, &been);
	int modal = modal_of(tk_id(s, i));
	enum agent ag;

	*pp_out = pp;
	if (pp < 0) {
		/* "we could have been more transparent": a better past
		 * without a participle */
		int j = skip_adv_fwd(s, i + 1, 1);

		if ((modal == W_COULD || modal == W_SHOULD) &&
		    tk_id(s, j) == W_HAVE && tk_id(s, j + 1) == W_BEEN &&
		    tk_text_in(s, j + 2, "more better clearer faster quicker "
				       "earlier") &&
		    subject_agent(s, i) == AG_PERSON && !is_question(s)) {
			*pp_out = j + 2;
			return R_CF_MODAL;
		}
		/* "would have been at risk": no participle, only impact */
		return -1;
	}
	if (is_question(s) || worse_past(s, i))
		return -1;
	/* "nobody could have known" supports local rationality (not
	 * "nobody would have been paged": a better past) */
	if ((tk_text_in(s, i - 1, "nobody noone no-one") ||
	     (tk_text_is(s, i - 1, "one") && tk_id(s, i - 2) == W_NO)) &&
	    (tk_is(s, pp, CL_COG) ||
	     tk_text_in(s, pp, "predicted foreseen anticipated expected "
			       "guessed imagined")))
		return -1;
	for (int k = i + 1; k <= pp + 3 && k < s->n; k++)
		if (tk_is(s, k, CL_AUTO))
			return -1; /* "should have been promoted automatically" */
	if (tk_id(s, pp) == W_SURPRISED)
		return -1; /* "nobody should have been surprised": hindsight */
	/* impact: "could have reached six figures", "would have been
	 * exposed" (not "would not have been affected", "only one region
	 * would have been affected": a better past) */
	if (modal != W_SHOULD &&
	    (tk_text_in(s, pp, IMPACT_PP) ||
	     (been && tk_text_in(s, pp, "exposed affected impacted "
					"compromised leaked lost accessed"))) &&
	    !negated_between(s, i, pp) &&
	    !has_id_between(s, i - 5, i, W_ONLY) && !negated_subject(s, i))
		return -1;
	switch (modal) {
	case W_COULD:
	case W_MIGHT:
		/* "could not have" states an impossibility, "whether ...
		 * could have contributed" is uncertainty, "could have seen
		 * errors" is exposure */
		/* "subscribers might have noticed missing
		 * notifications": what the people it hit may have seen */
		if (!been) {
			int head;

			subject_agent_head(s, i, &head);
			if (head >= 0 && tk_is(s, head, CL_IMPACTED))
				return -1;
		}
		if ((modal == W_COULD && (negated_between(s, i, pp) ||
					  negated_subject(s, i))) ||
		    tk_is(s, pp, CL_EPI) || exposure(s, pp) ||
		    attacker_subject(s, i) ||
		    has_id_between(s, i - LINT_WINDOW, i, W_WHETHER))
			return -1;
		return R_CF_MODAL;
	case W_WOULD:
		/* option reasoning: "restarting would have meant ...";
		 * "unclear whether ... would have changed" is uncertainty;
		 * "we would have liked to" is a wish */
		if ((!been && tk_is(s, pp, CL_OPTION)) ||
		    has_id_between(s, i - LINT_WINDOW, i, W_WHETHER) ||
		    (!been && tk_text_in(s, pp, "liked loved preferred "
						"wanted hoped")))
			return -1;
		return R_CF_MODAL;
	case W_SHOULD:
		if (been)
			return R_CF_MODAL;
		/* "the deploy should have finished by 10:00" is an
		 * expectation about a system, not a counterfactual */
		ag = subject_agent(s, i);
		if (ag == AG_SYSTEM)
			return -1;
		if (ag == AG_UNKNOWN && !tk_is(s, pp, CL_COG | CL_HPROC))
			return -1;
		return R_CF_SHOULD;
	default: return -1;
	}
}

static void modal_perfect(struct lctx *c, const struct lsent *s, int i)
{
	int pp, r = modal_cf(s, i, &pp);

	if (r >= 0)
		lint_emit_toks(c, s, (enum lint_rule)r, i, pp);
}

/* impact_clause: the clause from k on says how bad it could have been
 * ("..., payment data would have been at risk"). */
static int impact_clause(const struct lsent *s, int k)
{
	for (; k < s->n; k++) {
		int j;

		if (tk_punct(s, k, ';') || tk_punct(s, k, '.'))
			return 0;
		if (!tk_is(s, k, CL_MODAL))
			continue;
		if (negated_between(s, k, k + 4) ||
		    has_id_between(s, k - 5, k, W_ONLY) ||
		    negated_subject(s, k))
			return 0;
		j = skip_adv_fwd(s, k + 1, 1);
		if (tk_id(s, j) == W_HAVE)
			j = skip_adv_fwd(s, j + 1, 1);
		if (tk_id(s, j) == W_BEEN)
			return impact_been(s, j + 1);
		return tk_text_in(s, j, IMPACT_PP);
	}
	return 0;
}

/* clause_starts_at: i begins a clause (sentence start, after a comma,
 * semicolon, colon, dash or coordinating conjunction). */
static int clause_starts_at(const struct lsent *s, int i)
{
	int p = i - 1;

	while (p >= 0 && tk_punct(s, p, '"'))
		p--;
	return p < 0 || tk_boundary(s, p) || tk_is(s, p, CL_CONJ);
}

/* sentence_has_modal_perfect: a counterfactual modal perfect (not
 * impact, exposure or uncertainty) completes a conditional. */
static int sentence_has_modal_perfect(const struct lsent *s)
{
	int pp;

	for (int k = 0; k < s->n; k++)
		if (tk_is(s, k, CL_MODAL) && modal_cf(s, k, &pp) >= 0)
			return 1;
	return 0;
}

/* "Had the reviewer run the query, ..." */
static void inverted_had(struct lctx *c, const struct lsent *s, int i)
{
	int j = i + 1, end, pp = -1;

	if (!clause_starts_at(s, i) || !tk_word(s, j) ||
	    tk_is(s, j, CL_PREP | CL_NEG | CL_BE | CL_ADV) ||
	    tk_participle(s, j) || tk_adverb(s, j))
		return;
	for (end = j; end < s->n && end < i + 16; end++) {
		if (tk_boundary(s, end))
			break;
		if (pp < 0 && end > j && tk_participle(s, end) &&
		    !tk_is(s, end - 1, CL_DET))
			pp = end;
	}
	if (pp < 0 ||
	    (!tk_punct(s, end, ',') && !sentence_has_modal_perfect(s)))
		return;
	/* "Had the attack succeeded, payment data would have been at
	 * risk": how bad it could have been; "Had we not caught it, the
	 * bug would have shipped": the same, with the help imagined away */
	if (tk_punct(s, end, ',') && impact_clause(s, end + 1))
		return;
	if (is_question(s))
		return;
	for (int k = end + 1; k < s->n; k++)
		if (tk_is(s, k, CL_MODAL) && worse_past(s, k))
			return;
	lint_emit_toks(c, s, R_CF_COND, i, end - 1);
}

/* "If only the team had run ...", "if the deployer had waited" (with a
 * modal perfect in the sentence). */
static void if_conditional(struct lctx *c, const struct lsent *s, int i)
{
	int only = tk_id(s, i + 1) == W_ONLY, had = -1, pp;

	if (!only && tk_is(s, i - 1, CL_ASK))
		return; /* "checked if the job had finished" */
	for (int k = i + 1 + only; k < s->n && k <= i + 10; k++) {
		if (tk_boundary(s, k))
			return;
		if (tk_id(s, k) == W_HAD || tk_id(s, k) == W_HADNT) {
			had = k;
			break;
		}
		if (tk_is(s, k, CL_MODAL | CL_BE))
			return;
	}
	if (had < 0)
		return;
	pp = skip_adv_fwd(s, had + 1, 1);
	if (!tk_participle(s, pp))
		return;
	if (!only && !sentence_has_modal_perfect(s))
		return;
	if (is_question(s))
		return;
	for (int k = pp + 1; k < s->n; k++)
		if (tk_is(s, k, CL_MODAL) && worse_past(s, k))
			return;
	lint_emit_toks(c, s, R_CF_COND, i, pp);
}

static void failed_to(struct lctx *c, const struct lsent *s, int i)
{
	int j = skip_adv_fwd(s, i + 1, 0), v, head = -1;
	enum agent ag;

	if (tk_id(s, j) != W_TO)
		return;
	v = skip_adv_fwd(s, j + 1, 0);
	if (!tk_word(s, v))
		return;
	if (tk_id(s, i) == W_FAILING && tk_is(s, i - 1, CL_PREP))
		ag = main_subject_agent(s, i); /* "NASA ... for failing to" */
	else
		ag = subject_agent_head(s, i, &head);
	if (head >= 0 && tk_is(s, head, CL_IMPACTED))
		return; /* "customers failed to connect" is impact */
	if (ag == AG_PERSON || (ag == AG_UNKNOWN && tk_is(s, v, CL_HPROC)))
		lint_emit_toks(c, s, R_CF_FAILED, i, v);
}

/* "the failure of the Support team to detect", "the failure to patch" */
/* possessive: token k is "X's" (the lexicon marks only known words). */
static int possessive(const struct lsent *s, int k)
{
	const struct ltok *t = tk(s, k);
	const char *w = s->text + t->start;
	size_t n = t->end - t->start;

	if (t->kind != TK_WORD)
		return 0;
	if (tk_fl(s, k) & F_POSS)
		return 1;
	return (n > 2 && w[n - 2] == '\'' && (w[n - 1] | 0x20) == 's') ||
	       (n > 4 && !memcmp(w + n - 4, "\xe2\x80\x99", 3) &&
		(w[n - 1] | 0x20) == 's');
}

static void failure_of(struct lctx *c, const struct lsent *s, int i)
{
	int to = -1, v;

	if (tk_id(s, i + 1) == W_TO) {
		int poss = possessive(s, i - 1) ? i - 1 : -1;
		enum agent ag = poss >= 0 ? agent_of_token(s, poss) : AG_UNKNOWN;

		to = i + 1;
		v = to + 1;
		/* "the team's failure to renew", "Acme's failure to
		 * rotate": a person or an organisation (a name) failed to */
		/* "the provider's failure to patch": an organisation */
		if (poss >= 0 && ag == AG_SYSTEM &&
		    tk_text_in(s, poss,
			       "provider's providers' bank's company's "
			       "registrar's supplier's partner's host's "
			       "isp's carrier's firm's organisation's "
			       "organization's government's agency's "
			       "council's platform's"))
			ag = AG_PERSON;
		if (!tk_word(s, v) || ag == AG_SYSTEM ||
		    (poss >= 0 && tk_is(s, poss, CL_IMPACTED)))
			return;
		if (tk_is(s, v, CL_HPROC) || ag == AG_PERSON ||
		    (poss >= 0 && ag == AG_UNKNOWN))
			lint_emit_toks(c, s, R_CF_FAILED, poss >= 0 ? poss : i, v);
		return;
	}
	if (tk_id(s, i + 1) != W_OF)
		return;
	for (int k = i + 2; k < s->n && k <= i + 10; k++) {
		if (tk_boundary(s, k))
			return;
		if (tk_id(s, k) == W_TO) {
			to = k;
			break;
		}
	}
	if (to < 0 || to == i + 2 || !tk_word(s, to + 1))
		return;
	v = to + 1;
	{
		int h = np_head(s, to - 1, i + 2);
		enum agent ag = agent_of_token(s, h);

		if (tk_is(s, h, CL_IMPACTED))
			return;
		if (ag == AG_PERSON ||
		    (ag == AG_UNKNOWN && tk_is(s, v, CL_HPROC)))
			lint_emit_toks(c, s, R_CF_FAILED, i, v);
	}
}

static void neglected_to(struct lctx *c, const struct lsent *s, int i)
{
	int j = skip_adv_fwd(s, i + 1, 0);

	if (tk_id(s, j) != W_TO || !tk_word(s, j + 1))
		return;
	if (subject_agent(s, i) != AG_SYSTEM)
		lint_emit_toks(c, s, R_CF_FAILED, i, j + 1);
}

/* "The SRE on duty missed the early warning" (not "missed the SLO", not
 * "a missed heartbeat") */
static void missed(struct lctx *c, const struct lsent *s, int i)
{
	int p = skip_adv_back(s, i - 1, 1), head;

	if (tk_is(s, p, CL_DET | CL_BE | CL_PREP) || (tk_fl(s, i) & F_FIRST))
		return;
	for (int k = i + 1, w = 0; k < s->n && w < 3; k++) {
		if (tk(s, k)->kind == TK_NUM || tk_punct(s, k, '%'))
			continue; /* "missed the 99.9% objective" */
		w++;
		if (tk_text_in(s, k,
			       "deadline deadlines slo slos sla slas "
			       "target targets window heartbeat "
			       "heartbeats budget goal goals objective "
			       "objectives flight connection call calls "
			       "payment bus train cutoff cut-off "
			       "checkpoint beat quota forecast estimate"))
			return;
	}
	if (subject_agent_head(s, i, &head) == AG_PERSON &&
	    !tk_is(s, head, CL_IMPACTED))
		lint_emit_toks(c, s, R_CF_MISSED, i, i);
}

/* "Instead of following the protocol, ..." / "Rather than using the
 * library, someone wrote ..." */
static void instead_of(struct lctx *c, const struct lsent *s, int i)
{
	int second = tk_id(s, i) == W_INSTEAD ? W_OF : W_THAN;
	int g, e, proc = 0, passive = 0;
	enum agent ag = AG_UNKNOWN;

	if (tk_id(s, i + 1) != second)
		return;
	g = skip_adv_fwd(s, i + 2, 0);
	/* "against production instead of staging": two targets, and
	 * "staging" or "testing" is no gerund here */
	if (!(tk_fl(s, g) & F_ING) || tk_is(s, g, CL_ENV))
		return;
	/* "instead of wasting time blaming the engineer, we ...": what
	 * was not done is no procedure */
	if (tk_text_in(s, g, "wasting blaming panicking arguing pointing "
			     "guessing"))
		return;
	for (e = g + 1; e < s->n && e < g + 14 && !tk_boundary(s, e); e++)
		if (tk_is(s, e, CL_PROC))
			proc = 1;
	if (clause_starts_at(s, i) && tk_punct(s, e, ',')) {
		/* the main clause follows: its first finite verb */
		for (int k = e + 1; k < s->n && k < e + 14; k++) {
			if (tk_is(s, k, CL_BE) &&
			    tk_is(s, skip_adv_fwd(s, k + 1, 1), CL_OPV)) {
				passive = 1;
				break;
			}
			if (tk_finite_verb(s, k)) {
				ag = subject_agent(s, k);
				break;
			}
		}
	} else {
		ag = main_subject_agent(s, i);
		/* "decided to restore from backup instead of attempting a
		 * merge": a choice between options, not a procedure that
		 * was not followed */
		for (int k = i - 1; k >= 0 && k >= i - LINT_WINDOW; k--) {
			if (tk_punct(s, k, ';'))
				break;
			if (tk_text_in(s, k, "decided decide decides chose "
					     "choose chooses opted opt "
					     "elected preferred prefer "
					     "decision choice"))
				return;
		}
	}
	if (ag == AG_PERSON || (proc && (ag != AG_SYSTEM || passive)))
		lint_emit_toks(c, s, R_CF_INSTEAD, i, e - 1);
}

void lint_rule_counterfactual(struct lctx *c, const struct lsent *s, int i)
{
	switch (tk_id(s, i)) {
	case W_SHOULD:
	case W_COULD:
	case W_WOULD:
	case W_MIGHT:
	case W_SHOULDVE:
	case W_COULDVE:
	case W_WOULDVE:
	case W_MIGHTVE:
	case W_SHOULDNT:
	case W_WOULDNT: modal_perfect(c, s, i); break;
	case W_HAD: inverted_had(c, s, i); break;
	case W_IF: if_conditional(c, s, i); break;
	case W_FAILED:
	case W_FAILING:
	case W_FAIL:
	case W_FAILS: failed_to(c, s, i); break;
	case W_FAILURE: failure_of(c, s, i); break;
	case W_NEGLECTED:
	case W_OMITTED: neglected_to(c, s, i); break;
	case W_MISSED: missed(c, s, i); break;
	case W_INSTEAD:
	case W_RATHER: instead_of(c, s, i); break;
	default: break;
	}
}
