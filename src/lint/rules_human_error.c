/* rules_human_error.c: labels that classify a person's action as an error:
 * "human / operator / user error", "mistake", "slip", "lapse",
 * "oversight", "typo", "forgot", "carelessness", and "accidentally /
 * inadvertently / mistakenly" when they modify a person's action. System
 * errors ("500 errors", "a software error"), "user errors" seen by users
 * and "a cleanup job mistakenly targeted ..." are left alone. */
#include "lint/lint_internal.h"

/* error_by_person: "error" at i is attributed to a person: "an error by
 * the operator", "the engineer's error", "an engineer made a
 * configuration error", "a configuration error introduced by ...". */
static int error_by_person(const struct lsent *s, int i)
{
	for (int k = i + 1; k < s->n && k <= i + 3; k++) {
		if (tk_boundary(s, k))
			break;
		if (tk_id(s, k) == W_BY || tk_id(s, k) == W_OF ||
		    tk_text_is(s, k, "from")) {
			int n = k + 1;

			while (tk_is(s, n, CL_DET) || tk_adverb(s, n) ||
			       (tk_word(s, n) &&
				!tk_is(s, n, CL_PERSON | CL_PRON_P) &&
				n < k + 4 && tk_word(s, n + 1) &&
				!tk_is(s, n + 1, CL_PREP)))
				n++;
			if (tk_is(s, n, CL_PERSON | CL_PRON_P) &&
			    !tk_is(s, n, CL_IMPACTED))
				return 1;
			break;
		}
	}
	for (int k = i - 1; k >= 0 && k >= i - 3; k--) {
		if (tk_boundary(s, k))
			break;
		if ((tk_fl(s, k) & F_POSS) && tk_is(s, k, CL_PERSON))
			return 1;
		if (tk_id(s, k) == W_MADE || tk_id(s, k) == W_MAKE ||
		    tk_id(s, k) == W_MAKING || tk_text_is(s, k, "makes") ||
		    tk_text_is(s, k, "committed")) {
			int head;

			return subject_agent_head(s, k, &head) == AG_PERSON &&
			       !tk_is(s, head, CL_IMPACTED);
		}
	}
	return 0;
}

/* in_error_action: "in" at p ends "in error" after a person's action:
 * a passive of an operational verb ("was applied to the router in
 * error") or a person's verb ("the engineer deleted it in error"); not
 * "the request ended in error". */
static int in_error_action(const struct lsent *s, int p)
{
	int head;

	for (int k = p - 1; k >= 0 && k >= p - 10; k--) {
		if (tk_punct(s, k, ';') || tk_is(s, k, CL_SUBORD))
			return 0;
		if (!tk_is(s, k, CL_OPV) &&
		    !tk_text_in(s, k, "implemented configured installed"))
			continue;
		if (tk_participle(s, k) &&
		    tk_is(s, skip_adv_back(s, k - 1, 1), CL_BE))
			return 1;
		if (tk_finite_verb(s, k) &&
		    subject_agent_head(s, k, &head) == AG_PERSON)
			return 1;
	}
	return 0;
}

static void error_word(struct lctx *c, const struct lsent *s, int i)
{
	int p = i - 1, plural = tk_fl(s, i) & F_PLURAL;

	if (tk_id(s, p) == W_HUMAN)
		return; /* "human error" is reported from "human" */
	if (tk_id(s, p) == W_IN && !plural &&
	    !tk_text_in(s, i + 1,
			"rate rates handling handler code codes message "
			"messages budget log logs count counts response "
			"responses state states page pages path paths") &&
	    in_error_action(s, p)) {
		lint_emit_toks(c, s, R_HE_MISTAKE, p, i);
		return;
	}
	if (tk_text_in(s, i + 1, "of in") &&
	    tk_text_in(s, i + 2, "judgement judgment")) {
		lint_emit_toks(c, s, R_HE_TERM, i, i + 2);
		return;
	}
	if (tk_is(s, p, CL_PERSON) && !(tk_fl(s, p) & F_POSS)) {
		if (tk_is(s, p, CL_IMPACTED)) {
			/* "the result of a user error", not "user errors"
			 * (errors users saw), "a 400 user error response" or
			 * "the API returned a user error" */
			for (int k = p - 1; k >= 0 && k >= p - 3; k--)
				if (tk_text_in(s, k,
					       "return returns returned "
					       "returning raise raises "
					       "raised throw throws threw "
					       "emit emits emitted log "
					       "logs logged show shows "
					       "showed"))
					return;
			if (plural || tk(s, p - 1)->kind == TK_NUM ||
			    tk_text_in(s, i + 1,
				       "response responses code codes "
				       "message messages rate rates page "
				       "pages count counts budget log "
				       "logs screen dialog"))
				return;
		}
		lint_emit_toks(c, s, R_HE_TERM, p, i);
		return;
	}
	if (tk_text_in(s, p,
		       "operational clerical typing keying procedural "
		       "data-entry")) {
		lint_emit_toks(c, s, R_HE_TERM, p, i);
		return;
	}
	if (tk_id(s, p - 1) == W_MANUAL || tk_id(s, p) == W_MANUAL) {
		lint_emit_toks(c, s, R_HE_TERM,
			       tk_id(s, p) == W_MANUAL ? p : p - 1, i);
		return;
	}
	if (!plural && error_by_person(s, i))
		lint_emit_toks(c, s, R_HE_TERM,
			       tk_word(s, p) && !tk_is(s, p, CL_DET) ? p : i,
			       i);
}

/* adverb: "accidentally", "inadvertently", "mistakenly", ... */
static void adverb(struct lctx *c, const struct lsent *s, int i)
{
	int j = skip_adv_fwd(s, i + 1, 1), p = skip_adv_back(s, i - 1, 1);
	int head;
	enum agent ag;

	if (tk_is(s, p, CL_BE) && tk_participle(s, j)) {
		/* passive: "was accidentally deleted" (not "could
		 * inadvertently be assigned", not "by a cleanup job") */
		int q = skip_adv_back(s, p - 1, 1);

		if (tk_is(s, q, CL_MODAL) || tk_is(s, q - 1, CL_MODAL))
			return;
		for (int k = j + 1; k < s->n && k <= j + 5; k++) {
			if (tk_boundary(s, k))
				break;
			if (tk_id(s, k) == W_BY) {
				int h = k + 1;

				while (tk_is(s, h, CL_DET) || tk_adverb(s, h))
					h++;
				while (tk_word(s, h + 1) &&
				       !tk_is(s, h + 1,
					      CL_PREP | CL_CONJ | CL_REL))
					h++;
				if (agent_of_token(s, h) == AG_SYSTEM &&
				    !tk_text_in(s, k + 1,
						"mistake accident "
						"hand"))
					return;
				break;
			}
		}
		lint_emit_toks(c, s, R_HE_ADVERB, i, i);
		return;
	}
	if ((tk_is(s, p, CL_DET) ||
	     (p == i - 1 && tk_word(s, p) &&
	      !tk_is(s, p, CL_PERSON | CL_PRON_P | CL_PRON_T))) &&
	    tk_is(s, j, CL_OPV) && tk_word(s, j + 1) &&
	    !tk_is(s, j + 1, CL_PREP | CL_DET)) {
		/* attributive: "an inadvertently applied WAF rule" */
		if (tk_is(s, p, CL_DET) || !tk_finite_verb(s, j)) {
			lint_emit_toks(c, s, R_HE_ADVERB, i, i);
			return;
		}
	}
	if (tk_fl(s, j) & F_ING) {
		/* "the operator mistakenly executing ...": the person right
		 * before; "..., inadvertently causing": whoever the main
		 * clause is about */
		if ((p == i - 1 && tk_is(s, p, CL_PERSON | CL_PRON_P) &&
		     !tk_is(s, p, CL_IMPACTED)) ||
		    main_subject_agent(s, i) == AG_PERSON)
			lint_emit_toks(c, s, R_HE_ADVERB, i, i);
		else if (p < 0) {
			/* "Accidentally deleting the bucket, the admin
			 * took down the site": the subject after the
			 * comma; "Mistakenly executing the restore against
			 * the live database overwrote ...": the gerund of a
			 * person's command is the subject */
			int comma = 0;

			for (int k = j + 1; k < s->n && k <= j + 15; k++)
				if (tk_punct(s, k, ','))
					comma = 1;
			if (!comma &&
			    tk_text_in(s, j,
				       "executing running deleting dropping "
				       "pushing deploying applying removing "
				       "typing entering restoring selecting "
				       "clicking pressing pasting merging "
				       "rebooting unplugging"))
				lint_emit_toks(c, s, R_HE_ADVERB, i, i);
			for (int k = j + 1; k < s->n && k <= j + 15; k++)
				if (tk_punct(s, k, ',')) {
					for (int v = k + 2; v < s->n && v <= k + 8;
					     v++)
						if (tk_finite_verb(s, v)) {
							if (subject_agent_head(
								    s, v, &head) ==
							    AG_PERSON)
								lint_emit_toks(
									c, s,
									R_HE_ADVERB,
									i, i);
							break;
						}
					break;
				}
		}
		return;
	}
	if (!tk_word(s, j))
		return;
	ag = subject_agent_head(s, i, &head);
	if (ag == AG_PERSON || (ag == AG_UNKNOWN && tk_is(s, j, CL_OPV) &&
				head >= 0 && (tk_fl(s, head) & F_ALLCAPS)))
		lint_emit_toks(c, s, R_HE_ADVERB, i, i);
}

/* adjective: "an inadvertent modification", "an unintentional operator
 * key stroke" (not "an accidental N+1 join", "accidental environment
 * variable") */
static void adjective(struct lctx *c, const struct lsent *s, int i)
{
	int last = -1;

	if (tk_id(s, i) == W_MISTAKEN &&
	    (tk_text_in(s, i + 1,
			"belief beliefs assumption assumptions "
			"impression identity idea understanding "
			"view notion sense") ||
	     tk_is(s, i - 1, CL_BE) || tk_is(s, i - 2, CL_BE)))
		return; /* a belief, not an error label */
	for (int k = i + 1; k < s->n && k <= i + 4; k++) {
		if (!tk_word(s, k) ||
		    tk_is(s, k, CL_PREP | CL_CONJ | CL_DET | CL_BE | CL_REL))
			break;
		if (tk_is(s, k, CL_HACT | CL_PERSON))
			last = k;
	}
	if (last >= 0)
		lint_emit_toks(c, s, R_HE_ADVERB, i, last);
}

static void slip(struct lctx *c, const struct lsent *s, int i)
{
	for (int k = i + 1; k < s->n && k <= i + 4; k++)
		if (tk_text_in(s, k,
			       "schedule deadline timeline date plan "
			       "roadmap release"))
			return; /* "a slip in the release schedule" */
	if (tk_text_in(s, i - 1,
		       "schedule deadline date release timeline "
		       "clock time timing pink packing cycle pay disk "
		       "wheel cash let") ||
	    tk_text_in(s, i + 1,
		       "ring rings stream joint knot road lane "
		       "through into past away out fault"))
		return;
	if (tk_is(s, i - 1, CL_DET) ||
	    tk_text_in(s, i - 1,
		       "momentary brief simple small minor human "
		       "operator keyboard cognitive attention typing "
		       "finger mental tiny honest") ||
	    tk_text_in(s, i + 1, "by of"))
		lint_emit_toks(c, s, R_HE_MISTAKE, i, i);
}

static void lapse(struct lctx *c, const struct lsent *s, int i)
{
	int lo = i - 8 < 0 ? 0 : i - 8;

	for (int k = lo; k < s->n && k <= i + 6; k++)
		if (tk_text_in(s, k,
			       "certificate certificates cert certs "
			       "domain domains registration license "
			       "licence subscription insurance coverage "
			       "contract membership renewal warranty "
			       "lease patent tls ssl"))
			return;
	if (tk_text_in(s, i - 1,
		       "momentary brief attention concentration "
		       "human memory judgement judgment") &&
	    i > 0)
		lint_emit_toks(c, s, R_HE_MISTAKE, i - 1, i);
	else
		lint_emit_toks(c, s, R_HE_MISTAKE, i, i);
}

/* generic_plural: a bare plural slip noun that names slips in general,
 * not an action in this incident: "teams that learn from mistakes",
 * "fatigue can turn minor oversights into major crises", "the design
 * can amplify mistakes" (not "the mistakes the operator made", "a
 * series of mistakes by the operator") */
static int generic_plural(const struct lsent *s, int i)
{
	int k = i - 1;

	if (!(tk_fl(s, i) & F_PLURAL))
		return 0;
	while (k >= 0 && k >= i - 3 && tk_word(s, k) &&
	       tk_text_in(s, k, "minor small little simple honest common "
				"inevitable occasional human everyday "
				"ordinary individual"))
		k--;
	/* "Making mistakes is a real bummer": the gerund as subject */
	if (tk_text_is(s, k, "making") && (k == 0 || !tk_word(s, k - 1)))
		return 1;
	/* "we learn from our mistakes": the idiom, with a possessive */
	if (tk_text_in(s, k, "our their your my") &&
	    tk_text_is(s, k - 1, "from") &&
	    tk_text_in(s, k - 2, "learn learns learning learned learnt"))
		return 1;
	if (tk_is(s, k, CL_DET) || (tk_fl(s, k) & F_POSS) ||
	    tk(s, k)->kind == TK_NUM)
		return 0;
	if (tk_text_is(s, k, "from"))
		return tk_text_in(s, k - 1, "learn learns learning learned "
					    "learnt recover recovers "
					    "recovering");
	return tk_text_in(s, k, "amplify amplifies amplifying turn turns "
				"turning prevent prevents preventing catch "
				"catches catching allow allows tolerate "
				"tolerates avoid avoids avoiding reduce "
				"reduces forgive forgives absorb absorbs "
				"survive survives expect expects normalise "
				"normalize surface surfaces about");
}

/* quoted_advice: the word sits in quoted advice ("try not to make that
 * mistake again"): a saying under discussion, not the author's label. */
static int quoted_advice(const struct lsent *s, int i)
{
	int k = i;

	if (!(tk_fl(s, i) & F_QUOTED))
		return 0;
	while (k > 0 && (tk_fl(s, k - 1) & F_QUOTED) && k > i - 10)
		k--;
	return tk_text_in(s, k, "try don't dont never avoid stop please "
				"always remember");
}

static void oversight(struct lctx *c, const struct lsent *s, int i)
{
	if (generic_plural(s, i))
		return;
	if (tk_text_in(s, i - 1,
		       "regulatory lack no without more less "
		       "executive board management government "
		       "independent human proper adequate "
		       "insufficient increased additional direct close "
		       "technical financial security safety of "
		       "little limited some") ||
	    tk_text_in(s, i + 1,
		       "committee board body role roles "
		       "responsibility responsibilities function "
		       "process mechanism of over team group"))
		return;
	lint_emit_toks(c, s, R_HE_MISTAKE_NOUN, i, i);
}

static void violation(struct lctx *c, const struct lsent *s, int i)
{
	if (tk_word(s, i + 1) &&
	    !tk_is(s, i + 1, CL_PREP | CL_CONJ | CL_BE | CL_REL | CL_MODAL))
		return; /* "policy violation alerts" */
	if (tk_text_in(s, i - 1,
		       "procedural procedure process protocol "
		       "safety runbook")) {
		lint_emit_toks(c, s, R_HE_MISTAKE, i - 1, i);
		return;
	}
	if (tk_id(s, i + 1) == W_OF) {
		for (int k = i + 2; k < s->n && k <= i + 5; k++)
			if (tk_is(s, k, CL_PROC)) {
				lint_emit_toks(c, s, R_HE_MISTAKE, i, k);
				return;
			}
	}
}

/* generic_mistake: "people can make mistakes", "anyone can make a
 * mistake": that mistakes are possible, which is the culture the coach
 * serves, not a label on an action. */
static int generic_mistake(const struct lsent *s, int i)
{
	for (int k = i - 1; k >= 0 && k >= i - 3; k--) {
		if (tk_id(s, k) == W_MAKE || tk_text_is(s, k, "makes")) {
			int q = skip_adv_back(s, k - 1, 1);

			return tk_is(s, q, CL_MODAL) ||
			       tk_text_in(s, q,
					  "people humans anyone anybody "
					  "everyone everybody we you "
					  "engineers operators");
		}
		if (!tk_word(s, k))
			break;
	}
	return 0;
}

void lint_rule_human_error(struct lctx *c, const struct lsent *s, int i)
{
	int id = tk_id(s, i), head;

	switch (id) {
	case W_HUMAN:
		if (tk_id(s, i + 1) == W_ERROR)
			lint_emit_toks(c, s, R_HE_TERM, i, i + 1);
		return;
	case W_HUMAN_ERROR: lint_emit_toks(c, s, R_HE_TERM, i, i); return;
	case W_ERROR: error_word(c, s, i); return;
	case W_MISTAKE:
		if (generic_mistake(s, i) || generic_plural(s, i) ||
		    quoted_advice(s, i))
			return;
		if (tk_id(s, i - 1) == W_BY)
			lint_emit_toks(c, s, R_HE_MISTAKE, i - 1, i);
		else if (tk_is(s, i + 1, CL_BE) && tk_id(s, i + 2) == W_MADE)
			/* "Mistakes were made": never generic */
			lint_emit_toks(c, s, R_HE_MISTAKE, i, i + 2);
		else
			lint_emit_toks(c, s, R_HE_MISTAKE_NOUN, i, i);
		return;
	case W_MISTAKEN:
	case W_ACCIDENTAL:
	case W_INADVERTENT:
	case W_UNINTENTIONAL: adjective(c, s, i); return;
	case W_MISTAKENLY:
	case W_ACCIDENTALLY:
	case W_INADVERTENTLY:
	case W_UNINTENTIONALLY:
	case W_ERRONEOUSLY: adverb(c, s, i); return;
	case W_ACCIDENT:
		if (tk_id(s, i - 1) == W_BY)
			lint_emit_toks(c, s, R_HE_MISTAKE, i - 1, i);
		return;
	case W_SLIP: slip(c, s, i); return;
	case W_WRONG:
		/* "the wrong push of a button": the slip as a noun */
		if (tk_text_in(s, i + 1,
			       "push press click keystroke key-stroke tap "
			       "keypress button-press"))
			lint_emit_toks(c, s, R_HE_MISTAKE, i, i + 1);
		return;
	case W_LAPSE: lapse(c, s, i); return;
	case W_OVERSIGHT: oversight(c, s, i); return;
	case W_VIOLATION: violation(c, s, i); return;
	case W_DISTRACTED:
	case W_DISTRACTION:
	case W_MISJUDGEMENT:
	case W_MISJUDGMENT:
	case W_MISJUDGED:
	case W_TYPO:
	case W_MISCLICK:
	case W_MIS_CLICK:
	case W_MISCLICKED:
	case W_BLUNDER:
	case W_FAT_FINGER:
	case W_FAT_FINGERED:
	case W_FAT_FINGERING: lint_emit_toks(c, s, R_HE_MISTAKE, i, i); return;
	case W_FAT:
		if (tk_id(s, i + 1) == W_FINGER ||
		    tk_id(s, i + 1) == W_FINGERED ||
		    tk_text_is(s, i + 1, "fingering"))
			lint_emit_toks(c, s, R_HE_MISTAKE, i, i + 1);
		return;
	case W_OVERLOOKED:
		/* not "the scanner overlooked the file" */
		if (tk_finite_verb(s, i) &&
		    subject_agent_head(s, i, &head) == AG_SYSTEM)
			return;
		lint_emit_toks(c, s, R_HE_MISTAKE, i, i);
		return;
	case W_FORGOT:
	case W_FORGOTTEN:
	case W_FORGETTING:
		if (tk_finite_verb(s, i) &&
		    subject_agent_head(s, i, &head) == AG_SYSTEM)
			return;
		lint_emit_toks(c, s, R_HE_FORGOT, i, i);
		return;
	case W_CARELESSNESS:
	case W_NEGLIGENCE:
	case W_RECKLESSNESS:
	case W_INCOMPETENCE:
	case W_SLOPPINESS:
	case W_LAZINESS:
	case W_INATTENTION: lint_emit_toks(c, s, R_HE_NOUN, i, i); return;
	default: return;
	}
}
