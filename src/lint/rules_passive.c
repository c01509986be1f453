/* rules_passive.c: a finite passive with no agent whose hidden agent is a
 * person doing an operational action that the sentence judges or ties to
 * the harm: "a script was run which deleted half the cluster", "the
 * database was accidentally deleted", "timeouts were set too low", "the
 * change was pushed at 14:02 and the outage began". Passive voice is only
 * blame when it hides who did something the sentence judges: neutral
 * narration ("the service was deployed in May"), the response ("a new
 * cluster was provisioned", "the action has been disabled"), questions,
 * negations ("the logs were not removed") and headings are left alone,
 * as are passives that name their agent ("by the on-call engineer"),
 * automated or system actions ("was automatically deleted", "disabled
 * due to this bug"), consequences ("causing ... nodes were removed") and
 * reduced participles ("a change rolled out at 18:50"). */
#include <string.h>
#include <strings.h>

#include "lint/lint_internal.h"

#define REMOVAL_VERBS                                                \
	"removed deleted disabled dropped purged wiped quarantined " \
	"blocked killed erased uninstalled decommissioned"

/* agent_follows: a "by"-phrase naming an agent follows the participle
 * (returns 1), or a completion time ("by 1:30 PM": returns 2, a recovery
 * milestone). "by mistake", "by hand", "by running X" are no agents. */
static int agent_follows(const struct lsent *s, int pp)
{
	for (int k = pp + 1; k < s->n && k <= pp + 9; k++) {
		if (tk_punct(s, k, ',') || tk_punct(s, k, ';') ||
		    tk_is(s, k, CL_REL | CL_SUBORD | CL_BE))
			return 0;
		if (tk_id(s, k) == W_BY) {
			int n = k + 1;

			if (tk_text_in(s, n,
				       "mistake accident hand error "
				       "design default nobody noone no-one") ||
			    (tk_id(s, n) == W_NO && tk_text_is(s, n + 1, "one")))
				return 0;
			if (tk_fl(s, n) & F_ING)
				continue;
			while (tk_is(s, n, CL_DET))
				n++;
			if (tk(s, n)->kind == TK_NUM || tk_is(s, n, CL_TIME))
				return 2;
			return 1;
		}
	}
	return 0;
}

/* automated: "automatically", "as designed", "due to this bug". */
static int automated(const struct lsent *s, int a, int pp)
{
	for (int k = a; k < s->n && k <= pp + 4; k++)
		if (tk_is(s, k, CL_AUTO))
			return 1;
	for (int k = pp + 1; k < s->n && k <= pp + 8; k++) {
		if (tk_punct(s, k, ';'))
			break;
		if (tk_id(s, k) == W_AS &&
		    tk_text_in(s, k + 1, "designed expected intended planned"))
			return 1;
		if ((tk_id(s, k) == W_DUE && tk_id(s, k + 1) == W_TO) ||
		    (tk_id(s, k) == W_BECAUSE && tk_id(s, k + 1) == W_OF)) {
			for (int m = k + 2; m < s->n && m <= k + 6; m++)
				if (tk_is(s, m, CL_SYSCAUSE))
					return 1;
			return 0;
		}
	}
	return 0;
}

/* response: the passive is part of the response or a consequence: a
 * purpose clause of remediation ("To resolve the issue, ...", "was
 * disabled to mitigate ..."), an earlier response passive ("was restarted
 * ..., then X was removed"), or an earlier "causing", "leading to". */
static int response(const struct lsent *s, int a, int pp)
{
	int first = 0;

	while (first < s->n && s->t[first].kind == TK_PUNCT)
		first++;
	if (tk_id(s, first) == W_TO &&
	    (tk_is(s, first + 1, CL_REMEDV) ||
	     tk_text_in(s, first + 1,
			"prevent reduce limit avoid protect "
			"minimize minimise free shed end "
			"address clear bring return buy "
			"speed")))
		return 1;
	for (int k = 0; k < a; k++) {
		if (tk_is(s, k, CL_RESP) &&
		    tk_is(s, skip_adv_back(s, k - 1, 1), CL_BE))
			return 1;
		if (tk_is(s, k, CL_CONSEQ))
			return 1;
		if (tk_id(s, k) == W_BY && k == first)
			return 1; /* "By October 19, the files were removed" */
	}
	/* a follow-up: "after the audit", "following the incident" */
	for (int k = 0; k + 2 < s->n; k++)
		if (tk_is(s, k, CL_FOLLOW) && tk_is(s, k + 1, CL_DET) &&
		    tk_is(s, k + 2, CL_OUTCOME | CL_FOLLOWN))
			return 1;
	for (int k = pp + 1; k < s->n && k <= pp + 6; k++) {
		if (tk_boundary(s, k))
			break;
		if (tk_id(s, k) == W_TO &&
		    (tk_is(s, k + 1, CL_REMEDV) ||
		     tk_text_in(s, k + 1, "shed reduce relieve protect limit "
					  "free prevent")))
			return 1;
	}
	return 0;
}

/* subject_is_remedy: the subject noun phrase before a names a fix or a
 * revert, a bad thing being removed ("the malicious files were removed"),
 * or a part of the write-up itself (not an operational action). */
static int subject_is_remedy(const struct lsent *s, int a, int pp)
{
	int bad = 0;

	/* "the health check that controls failover had been
	 * misconfigured": the subject is the phrase before the relative
	 * clause, not the clause's own object */
	for (int k = a - 1; k > 0 && k >= a - 8; k--) {
		if (tk_boundary(s, k))
			break;
		if (tk_is(s, k, CL_REL) && k < a - 2 &&
		    !tk_is(s, k + 1, CL_DET | CL_PRON_P) &&
		    tk_word(s, k - 1) && !tk_is(s, k - 1, CL_PREP)) {
			a = k;
			break;
		}
	}
	for (int k = a - 1; k >= 0 && k >= a - 8; k--) {
		if (tk_boundary(s, k) ||
		    tk_is(s, k, CL_SUBORD | CL_REL | CL_CONJ) ||
		    tk_finite_verb(s, k))
			break;
		if (tk_is(s, k, CL_REMED))
			return 1;
		/* the write-up itself: "the field in the incident form
		 * was left empty" */
		if (tk_is(s, k, CL_WRITEUP))
			return 1;
		if (tk_is(s, k, CL_BADADJ) &&
		    !tk_text_in(s, k, "wrong incorrect bad"))
			bad = 1;
	}
	return bad && tk_text_in(s, pp, REMOVAL_VERBS);
}

#define ENV_TEST "staging stage test testing dev development sandbox qa"
#define ENV_PROD "production prod live"

/* env_mix: the subject names one environment and the words after the
 * participle the other ("a staging key was used in production",
 * "production traffic was pointed at the test cluster"): the cue's last
 * token, or -1. */
static int env_mix(const struct lsent *s, int a, int pp)
{
	int test = 0, prod = 0;

	for (int k = a - 1; k >= 0 && k >= a - 6; k--) {
		if (tk_boundary(s, k) || tk_is(s, k, CL_SUBORD | CL_REL))
			break;
		if (!tk_is(s, k, CL_ENV))
			continue;
		test |= tk_text_in(s, k, ENV_TEST);
		prod |= tk_text_in(s, k, ENV_PROD);
	}
	if (test == prod)
		return -1;
	for (int k = pp + 1; k < s->n && k <= pp + 6; k++) {
		if (tk_boundary(s, k) || tk_is(s, k, CL_SUBORD | CL_REL))
			break;
		if (tk_is(s, k, CL_ENV) &&
		    (test ? tk_text_in(s, k, ENV_PROD)
			  : tk_text_in(s, k, ENV_TEST)))
			return k;
	}
	return -1;
}

/* more_cue: tokens from k judge the action in a way both checks share:
 * "against the runbook", "out of order", "in favour of", an un-...ed
 * word of care ("an unmonitored mailbox"), a deadline as the reason ("to
 * meet the launch date"). Returns the cue's last token, or -1. */
static int more_cue(const struct lsent *s, int k)
{
	const struct ltok *t = tk(s, k);

	if (t->kind != TK_WORD)
		return -1;
	if (tk_text_is(s, k, "against")) {
		for (int m = k + 1; m <= k + 3 && m < s->n; m++)
			if (tk_is(s, m, CL_PROC) ||
			    tk_text_in(s, m, "advice recommendation "
					     "recommendations"))
				return m;
		return -1;
	}
	if (tk_text_is(s, k, "out") && tk_id(s, k + 1) == W_OF &&
	    tk_text_is(s, k + 2, "order"))
		return k + 2;
	/* all at once: "rolled out to every region at once", "in one
	 * step" */
	if (tk_id(s, k) == W_AT && tk_text_is(s, k + 1, "once") &&
	    !tk_word(s, k + 2))
		return k + 1;
	if (tk_id(s, k) == W_IN &&
	    (tk_text_is(s, k + 2, "step") || tk_text_is(s, k + 2, "go") ||
	     tk_text_is(s, k + 2, "batch")) &&
	    tk_text_in(s, k + 1, "one a single"))
		return k + 2;
	/* "before it was warmed up", "before the fix was verified" */
	if (tk_text_is(s, k, "before")) {
		for (int m = k + 1; m < s->n && m <= k + 5; m++) {
			if (tk_boundary(s, m))
				break;
			if (tk_is(s, m, CL_BE) &&
			    tk_text_in(s, skip_adv_fwd(s, m + 1, 1),
				       "warmed ready tested verified reviewed "
				       "approved healthy finished completed "
				       "validated synced"))
				return skip_adv_fwd(s, m + 1, 1);
		}
		return -1;
	}
	if (tk_id(s, k) == W_IN && tk_id(s, k + 2) == W_OF &&
	    tk_text_in(s, k + 1, "favour favor"))
		return k + 2;
	/* done while something still needed it: "was dropped while
	 * queries still depended on it", "formatted while it still held
	 * the only copy" */
	if (tk_text_is(s, k, "while")) {
		for (int m = k + 1; m < s->n && m <= k + 5; m++) {
			if (tk_boundary(s, m))
				break;
			if (tk_text_is(s, m, "still"))
				return m;
		}
		return -1;
	}
	/* the value judged after it: "left at its default, which was far
	 * too small" */
	if (tk_id(s, k) == W_TOO && tk_word(s, k + 1)) {
		for (int m = k - 1; m >= 0 && m >= k - 4; m--)
			if (tk_is(s, m, CL_REL))
				return k + 1;
		return -1;
	}
	if (tk_id(s, k) == W_TO && tk(s, k + 1)->kind == TK_WORD &&
	    tk(s, k + 1)->end - tk(s, k + 1)->start <= 4 &&
	    tk_text_in(s, k + 1, "meet hit make beat")) {
		for (int m = k + 2; m <= k + 5 && m < s->n; m++)
			if (tk_text_in(s, m, "deadline deadlines date dates"))
				return m;
		return -1;
	}
	if ((s->text[t->start] | 0x20) == 'u' &&
	    (s->text[t->start + 1] | 0x20) == 'n' && (tk_fl(s, k) & F_ED) &&
	    tk_text_in(s, k, "unmonitored untested unreviewed unpatched "
			     "unowned unencrypted unauthenticated "
			     "unprotected unattended unvalidated "
			     "undocumented"))
		return k;
	return -1;
}

/* secret_public: the subject is a secret and the words after the
 * participle put it somewhere public ("the key was pasted into a public
 * channel", "committed to the repository in plain text"): the cue's last
 * token, or -1. */
static int secret_public(const struct lsent *s, int a, int pp)
{
	int head = np_head(s, a - 1, a - 6 < 0 ? 0 : a - 6);

	if (!tk_is(s, head, CL_SECRET))
		return -1;
	for (int k = pp + 1; k < s->n && k <= pp + 6; k++)
		if (tk_text_in(s, k, "public publicly plaintext") ||
		    (tk_text_is(s, k, "plain") && tk_text_is(s, k + 1, "text")))
			return tk_text_is(s, k, "plain") ? k + 1 : k;
	return -1;
}

/* complement_end: the span end after the participle: particles ("left
 * on", "rolled out"), "too low", an -ly adverb ("done incorrectly"). */
static int complement_end(const struct lsent *s, int pp)
{
	int e = pp;

	if (tk_id(s, e + 1) == W_TOO && tk_word(s, e + 2))
		return e + 2;
	if (tk_is(s, e + 1, CL_PARTICLE) && !tk_is(s, e + 2, CL_DET) &&
	    tk_id(s, e + 1) != W_IN && tk_id(s, e + 2) != W_OF)
		e++;
	else if (tk_adverb(s, e + 1) && (tk_fl(s, e + 1) & F_LY))
		e++;
	return e;
}

#define HARM_NOUNS "outage outages downtime incident disruption"

#define CHECK_NOUNS                                                      \
	"review reviews approval ticket test tests testing sign-off "   \
	"signoff check checks checking verification validation canary " \
	"staging backup notice coordination announcement "              \
	"authorization authorisation notifying informing telling "      \
	"consulting asking warning testing verifying reviewing wiping "  \
	"reviewer reviewers approver redaction redacting reading "      \
	"consent encryption plan"

/* without_check: "without" at k is followed by a check the action skipped
 * ("without a review", "without load testing"): its last token, or -1. */
static int without_check(const struct lsent *s, int k)
{
	if (tk_id(s, k) != W_WITHOUT)
		return -1;
	for (int m = k + 1; m <= k + 4 && m < s->n; m++)
		if (tk_text_in(s, m, CHECK_NOUNS))
			return m;
	return -1;
}

/* peak_time: tokens from k name the busiest time as when the action was
 * done ("during peak traffic", "in the middle of the busiest hour",
 * "during business hours"): its last token, or -1. */
static int peak_time(const struct lsent *s, int k)
{
	if (tk_id(s, k) != W_DURING && tk_id(s, k) != W_IN &&
	    tk_id(s, k) != W_AT && tk_id(s, k) != W_FOR)
		return -1;
	for (int m = k + 1; m <= k + 5 && m < s->n; m++) {
		if (tk_boundary(s, m))
			return -1;
		if (tk_text_is(s, m, "peak") || tk_text_is(s, m, "busiest"))
			return m;
		if (tk_text_is(s, m, "business") &&
		    tk_text_in(s, m + 1, "hours day"))
			return m + 1;
	}
	return -1;
}

/* The words that show the sentence judges the action: tokens from..to. */
struct cue {
	int from, to;
};

/* judged: the sentence judges the action of the passive a..pp (span end
 * e) or ties it to the harm: a judging verb ("was skipped", "was
 * misread"), a judging word anywhere ("the wrong branch", "untested",
 * "accidentally", "in haste", "manually"), "too" after the participle,
 * "left on / blank", a pluperfect state ("had been disabled"), a contrast
 * with procedure ("without a review", "instead of", "despite"), or the
 * harm ("causing", "the outage began", "which deleted ..."). */
static int judged(const struct lsent *s, int a, int pp, int e,
		  struct cue *cue)
{
#define CUE(x, y)                 \
	do {                      \
		cue->from = (x);  \
		cue->to = (y);    \
		return 1;         \
	} while (0)
	if (tk_is(s, pp, CL_JUDGEV) ||
	    (tk_id(s, pp) == W_LEFT && tk_is(s, pp + 1, CL_PARTICLE)))
		CUE(pp, e);
	if (e > pp + 1 || (e == pp + 1 && tk_is(s, e, CL_JUDGED)))
		CUE(pp + 1, e); /* "set too low", "done incorrectly" */
	/* a state before the incident: "had been disabled" (not "had been
	 * deployed two weeks earlier", which is narration) */
	if (tk_id(s, a) == W_HAD &&
	    tk_text_in(s, pp, "disabled removed deleted changed modified "
			      "dropped altered commented silenced muted "
			      "lowered decreased shortened overridden "
			      "bypassed wiped truncated purged erased "
			      "overwritten turned moved renamed"))
		CUE(a, a);
	for (int k = 0; k < s->n; k++) {
		if (k >= a && k <= e && !tk_is(s, k, CL_JUDGED))
			continue;
		if (tk_is(s, k, CL_JUDGED) && !(tk_fl(s, k) & F_QUOTED))
			CUE(k, k);
		/* the harm: what the action caused, after it ("...,
		 * causing", "which led to"), or the outage that began with
		 * it ("the outage began when ...", "..., and the outage
		 * started") -- not "during the incident" nor "to end the
		 * outage" (the response) */
		if (tk_is(s, k, CL_HARM) && !(tk_fl(s, k) & F_QUOTED)) {
			int noun = tk_text_in(s, k, HARM_NOUNS),
			    before = tk_is(s, k - 1, CL_DET) ? k - 2 : k - 1;

			if (!noun && k > e)
				CUE(k, k);
			if (noun &&
			    tk_text_in(s, skip_adv_fwd(s, k + 1, 0),
				       "began started commenced occurred "
				       "ensued followed begins starts"))
				CUE(k, skip_adv_fwd(s, k + 1, 0));
			/* "lowered shortly before the incident" */
			if (noun && before > e && tk_text_is(s, before, "before"))
				CUE(before, k);
		}
		/* "was started before the migration had finished" */
		if (k > pp && tk_text_is(s, k, "before")) {
			for (int m = k + 1; m < s->n && m <= k + 8; m++)
				if (tk_id(s, m) == W_HAD &&
				    tk_text_in(s, skip_adv_fwd(s, m + 1, 0),
					       "finished completed been "
					       "ended"))
					CUE(k, skip_adv_fwd(s, m + 1, 0));
		}
		if (tk_id(s, k) == W_SHOULD || tk_id(s, k) == W_SHOULDVE ||
		    (k > pp && tk_id(s, k) == W_NEVER))
			CUE(k, tk_word(s, k + 1) ? k + 1 : k);
		if ((tk_id(s, k) == W_INSTEAD && tk_id(s, k + 1) == W_OF) ||
		    (tk_id(s, k) == W_RATHER && tk_id(s, k + 1) == W_THAN))
			CUE(k, k + 1);
		if (k > pp && tk_id(s, k) == W_WITHOUT) {
			int m = without_check(s, k);

			if (m >= 0)
				CUE(k, m);
		}
		if (k == pp + 1 && env_mix(s, a, pp) >= 0)
			CUE(pp, env_mix(s, a, pp));
		if (k == pp + 1 && secret_public(s, a, pp) >= 0)
			CUE(pp, secret_public(s, a, pp));
		if (k > pp && more_cue(s, k) >= 0)
			CUE(k, more_cue(s, k));
		/* "..., which made the rollback harder" */
		if (k > pp && tk_is(s, k - 1, CL_REL) && tk_id(s, k) == W_MADE)
			for (int m = k + 1; m < s->n && m <= k + 5; m++)
				if (tk_text_in(s, m, "harder worse impossible "
						     "slower longer riskier "
						     "difficult")) {
					cue->from = k - 1;
					cue->to = m;
					return 1;
				}
		/* "approved by nobody" */
		if (k > pp && tk_id(s, k) == W_BY &&
		    tk_text_in(s, k + 1, "nobody noone no-one"))
			CUE(k, k + 1);
		/* a shortcut: "removed to save time", "for convenience" */
		if (k > pp && tk_id(s, k) == W_TO && tk_text_is(s, k + 1, "save") &&
		    tk_text_is(s, k + 2, "time"))
			CUE(k, k + 2);
		if (k > pp && tk_id(s, k) == W_FOR &&
		    tk_text_is(s, k + 1, "convenience"))
			CUE(k, k + 1);
		if (k > pp && peak_time(s, k) >= 0)
			CUE(k, peak_time(s, k));
		/* "..., which deleted the volumes", "and blocked all
		 * traffic": the action's own damage */
		if (k > pp &&
		    (tk_is(s, k - 1, CL_REL) ||
		     ((tk_is(s, k - 1, CL_CONJ) || tk_text_is(s, k - 1, "so")) &&
		      /* "and blocked all traffic", not "migrated and
		       * removed from the pool" (one passive) */
		      !tk_is(s, k + 1, CL_PREP) && tk_word(s, k + 1))) &&
		    (tk_is(s, k, CL_BADRES) ||
		     tk_text_in(s, k, "deleted erased wiped truncated blocked "
				      "corrupted overwrote removed took "
				      "brought knocked disabled dropped "
				      "exhausted saturated overloaded "
				      "locked hid masked left sent "
				      "exposed")))
			CUE(k - 1, k);
		if (k > pp && tk_is(s, k, CL_BADRES) && tk_word(s, k - 1))
			CUE(k, k); /* "so the queue overflowed" */
	}
	return 0;
#undef CUE
}

/* past_of: the simple past of participle w ("run" -> "ran"); the
 * participle itself for the rest ("deleted", "set", "made"). */
static struct lint_arg past_of(struct lint_arg w)
{
	static const char *const irregular[] = {
		"run ran",	   "rerun reran",	 "done did",
		"undone undid",	   "forgotten forgot",	 "written wrote",
		"rewritten rewrote", "overwritten overwrote", "taken took",
		"given gave",	   "shown showed",	 "seen saw",
		"withdrawn withdrew", "begun began",	 "broken broke",
		"chosen chose",	   "driven drove",	 "hidden hid",
		"thrown threw",	   "overridden overrode", "mistaken mistook",
		"gotten got",	   "known knew",	 "drawn drew",
	};

	for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++) {
		const char *sp = strchr(irregular[i], ' ');
		size_t n = (size_t)(sp - irregular[i]);

		if (n == w.n && !strncasecmp(w.p, irregular[i], n)) {
			struct lint_arg r = {sp + 1, strlen(sp + 1)};

			return r;
		}
	}
	return w;
}

/* question: the sentence asks ("Were any records deleted?"). */
static int question(const struct lsent *s)
{
	for (int k = s->n - 1; k >= 0 && k >= s->n - 3; k--)
		if (tk_punct(s, k, '?'))
			return 1;
	return 0;
}

/* no_subject: the subject before a is negated ("No data was lost",
 * "None of the records were deleted"). */
static int no_subject(const struct lsent *s, int a)
{
	for (int k = a - 1; k >= 0 && k >= a - 8; k--) {
		if (tk_boundary(s, k) || tk_is(s, k, CL_SUBORD | CL_REL))
			break;
		if (tk_id(s, k) == W_NO || tk_text_in(s, k, "none neither nor"))
			return 1;
	}
	return 0;
}

/* emit_passive reports the passive a..e with a message that names the
 * verb group, the hidden actor ("who deleted it") and the words that
 * judge the action. */
static void emit_passive(struct lctx *c, const struct lsent *s, int a,
			 int pp, int e, const struct cue *cue, int prio)
{
	struct lint_arg args[4];
	const char *msg, *sug;
	int plural = tk_id(s, a) == W_WERE ||
		     (tk_id(s, a) == W_HAD && tk_id(s, a + 1) == W_THEIR);
	static const struct lint_arg it = {"it", 2}, them = {"them", 4};

	args[0] = lint_tok_arg(s, a, e);
	args[1] = past_of(lint_tok_arg(s, pp, pp));
	args[2] = plural ? them : it;
	args[3] = lint_tok_arg(s, cue->from, cue->to);
	if (prio) {
		static const struct lint_arg decided = {"decided", 7},
					     not_now = {"not to do it now", 16};

		args[1] = decided;
		args[2] = not_now;
	}
	msg = lint_msg(c,
		       "\"%1\" hides who %2 %3, in a sentence that judges "
		       "the action (\"%4\"). Without the person the action "
		       "reads as fate, and what made it reasonable at the "
		       "time is lost.",
		       args, 4);
	sug = lint_msg(c,
		       prio ? "Say who %2 %3, by role (\"the team %2 %3\"), "
			      "and what they were weighing it against."
			    : "Say who %2 %3, by role (\"the on-call engineer "
			      "%2 %3\"), and what they saw and expected then.",
		       args, 3);
	if (msg && sug)
		lint_emit_msg(c, s, R_PB_PASSIVE, a, e, msg, sug);
}

static void check_passive(struct lctx *c, const struct lsent *s, int a,
			  int after)
{
	int pp = skip_adv_fwd(s, after, 1), e;
	int id, negated = 0, prio;
	struct cue cue;

	if (tk_id(s, pp) == W_BEING)
		pp = skip_adv_fwd(s, pp + 1, 1);
	/* "was hastily written and merged": the first operational one of
	 * coordinated participles */
	for (int k = pp, n = 0;
	     n < 3 && !tk_is(s, pp, CL_OPV) && tk_participle(s, k); n++) {
		int nx = k + 1;

		if (!tk_punct(s, nx, ',') && !tk_is(s, nx, CL_CONJ))
			break;
		if (tk_punct(s, nx, ',') && tk_is(s, nx + 1, CL_CONJ))
			nx++;
		k = skip_adv_fwd(s, nx + 1, 0);
		if (tk_is(s, k, CL_OPV) && tk_participle(s, k))
			pp = k;
	}
	if (!tk_is(s, pp, CL_OPV) || !tk_participle(s, pp) ||
	    (tk_fl(s, pp) & F_QUOTED))
		return;
	id = tk_id(s, pp);
	if (tk_text_is(s, pp, "rolled") && !tk_text_is(s, pp + 1, "out"))
		return; /* "rolled back" is a response */
	if (tk_text_is(s, pp, "turned") &&
	    !tk_text_in(s, pp + 1, "off on down"))
		return;
	if (id == W_MADE &&
	    (tk_is(s, pp + 1, CL_ADJSTATE) ||
	     (tk_id(s, pp + 1) == W_TO && !tk_is(s, pp + 2, CL_DET))))
		return; /* "was made available", "was made to wait" (not
			 * "was made to the load balancer") */
	if (id == W_LEFT && !tk_word(s, pp + 1))
		return;
	if (id == W_DONE && !(tk_fl(s, pp + 1) & F_LY) &&
	    !tk_text_in(s, pp + 1, "without manually wrong"))
		return; /* "once this was done" */
	/* "the fix was not prioritised" is no remedy: negated, the action
	 * on the fix did not happen */
	for (int k = a; k < pp; k++)
		if (tk_is(s, k, CL_NEG))
			negated = 1;
	if (agent_follows(s, pp) || automated(s, a, pp) || response(s, a, pp) ||
	    (!negated && subject_is_remedy(s, a, pp)) || any_person_actor(s))
		return;
	/* negations ("the logs were not removed"; but "was not
	 * prioritised" is a decision not to act, and judged), questions,
	 * headings and the present perfect of the response ("has been
	 * disabled") */
	prio = negated && tk_text_in(s, pp, "prioritised prioritized");
	if ((negated && !prio) ||
	    no_subject(s, a) || question(s) || c->in_heading ||
	    tk_id(s, a) == W_HAS || tk_id(s, a) == W_HAVE)
		return;
	e = complement_end(s, pp);
	if (prio) {
		cue.from = a;
		cue.to = pp;
	} else if (!judged(s, a, pp, e, &cue)) {
		return;
	}
	emit_passive(c, s, a, pp, e, &cue, prio);
}

/* mis_verb: a "mis-" participle judges the action itself ("misrouted",
 * "misdiagnosed"); not "missed". */
static int mis_verb(const struct lsent *s, int pp)
{
	const struct ltok *t = tk(s, pp);
	const char *w = s->text + t->start;
	size_t n = t->end - t->start;

	return n > 6 && !strncasecmp(w, "mis", 3) && (tk_fl(s, pp) & F_ED) &&
	       !tk_text_in(s, pp, "missed misses");
}

/* strong_cue: for a participle outside the operational verb list ("was
 * updated with the wrong address", "was misrouted", "were copied into
 * the config by mistake"), only a judgement inside the passive's own
 * clause counts: a mis- verb, "wrong" or "untested" in its subject or
 * after it, "too", "by mistake", "without a review", "instead of", the
 * busiest time. Harm further away does not: with an open verb list it is
 * too often the narration of what followed. */
static int strong_cue(const struct lsent *s, int a, int pp, struct cue *cue)
{
	int head;

	if (mis_verb(s, pp)) {
		cue->from = cue->to = pp;
		return 1;
	}
	if (env_mix(s, a, pp) >= 0) {
		cue->from = pp;
		cue->to = env_mix(s, a, pp);
		return 1;
	}
	/* "was mistakenly selected" */
	for (int k = a + 1; k < pp; k++)
		if (tk_is(s, k, CL_JUDGED)) {
			cue->from = cue->to = k;
			return 1;
		}
	/* a secret put somewhere public: "the key was pasted into a
	 * public channel" */
	if ((head = secret_public(s, a, pp)) >= 0) {
		cue->from = pp;
		cue->to = head;
		return 1;
	}
	for (int k = a - 1; k >= 0 && k >= a - 8; k--) {
		if (tk_boundary(s, k) ||
		    tk_is(s, k, CL_SUBORD | CL_REL | CL_CONJ) ||
		    tk_finite_verb(s, k))
			break;
		if (tk_is(s, k, CL_JUDGED) &&
		    tk_text_in(s, k, "wrong incorrect untested unreviewed "
				     "unapproved unvetted unverified "
				     "unannounced")) {
			cue->from = cue->to = k;
			return 1;
		}
	}
	for (int k = pp + 1; k < s->n && k <= pp + 10; k++) {
		int m;

		/* "was closed before the fix had been verified" */
		if (tk_text_is(s, k, "before"))
			for (m = k + 1; m < s->n && m <= k + 8; m++)
				if (tk_id(s, m) == W_HAD &&
				    tk_text_in(s, skip_adv_fwd(s, m + 1, 0),
					       "finished completed ended "
					       "been")) {
					int v = skip_adv_fwd(s, m + 1, 0);

					if (tk_id(s, v) == W_BEEN &&
					    !tk_text_in(s, v + 1,
							"verified tested "
							"reviewed approved "
							"checked completed "
							"finished validated"))
						break;
					cue->from = k;
					cue->to = v;
					return 1;
				}
		/* "before it was warmed up", "while it still held the
		 * only copy" (subordinate clauses) */
		if ((tk_text_is(s, k, "before") || tk_text_is(s, k, "while")) &&
		    (m = more_cue(s, k)) >= 0) {
			cue->from = k;
			cue->to = m;
			return 1;
		}
		if (tk_boundary(s, k) ||
		    (tk_is(s, k, CL_REL | CL_SUBORD) &&
		     !(tk_id(s, k - 1) == W_AT && tk_text_is(s, k, "once"))))
			break;
		if ((m = more_cue(s, k)) >= 0) {
			cue->from = k;
			cue->to = m;
			return 1;
		}
		/* a purpose clause is the reason, not the action: "was
		 * flushed to clear the bad entries" */
		if (tk_id(s, k) == W_TO && tk_word(s, k + 1) &&
		    !tk_is(s, k + 1, CL_DET))
			break;
		if (tk_is(s, k, CL_CONJ) && tk_participle(s, k + 1))
			break;
		if ((tk_is(s, k, CL_JUDGED) && !(tk_fl(s, k) & F_QUOTED) &&
		     !tk_text_in(s, k, "despite contrary")) ||
		    (tk_id(s, k) == W_TOO && k <= pp + 2)) {
			cue->from = cue->to = k;
			return 1;
		}
		/* "raised so high that the outage never paged anyone" */
		if (k == pp + 1 && tk_text_is(s, k, "so") && tk_word(s, k + 1) &&
		    tk_id(s, k + 2) == W_THAT) {
			cue->from = k;
			cue->to = k + 2;
			return 1;
		}
		if (tk_id(s, k) == W_BY &&
		    tk_text_in(s, k + 1, "mistake accident error")) {
			cue->from = k;
			cue->to = k + 1;
			return 1;
		}
		if ((m = without_check(s, k)) >= 0 ||
		    (m = peak_time(s, k)) >= 0) {
			cue->from = k;
			cue->to = m;
			return 1;
		}
		if ((tk_id(s, k) == W_INSTEAD && tk_id(s, k + 1) == W_OF) ||
		    (tk_id(s, k) == W_RATHER && tk_id(s, k + 1) == W_THAN)) {
			cue->from = k;
			cue->to = k + 1;
			return 1;
		}
	}
	return 0;
}

/* Participles outside the verb list that are states, not actions done
 * to the subject ("was based on", "were designed to"), or that other
 * rules or lists already cover. */
#define STATIVE_PP                                                     \
	"based located designed expected supposed related limited "   \
	"concerned required allowed tied attached connected "          \
	"associated intended built compared considered named called "  \
	"determined unsupported unexpected unaffected affected "       \
	"impacted exposed used seen shown found told asked given "     \
	"surprised confused worried interested involved hit delayed "  \
	"caught spotted noticed blamed rated sized priced measured "  \
	"titled labelled labeled documented recorded logged known "   \
	"realised realized predicted foreseen anticipated understood " \
	"recognised recognized waited paused stopped escalated "       \
	"notified warned told communicated questioned read parsed "    \
	"computed calculated returned fetched cached stored generated " \
	"received evaluated interpreted resolved"

/* check_other: a finite passive "was/were/had been PARTICIPLE" whose
 * participle is not an operational verb (those are checked from their
 * participle): flagged only with a strong cue in its clause. a is the
 * auxiliary, pp the participle. */
static void check_other(struct lctx *c, const struct lsent *s, int a, int pp)
{
	struct cue cue;
	int e, env;

	/* cheap tests first: most "was" and "were" have no cue at all */
	if (!tk_participle(s, pp) || (tk_fl(s, pp) & F_QUOTED) ||
	    tk_is(s, pp, CL_RESP | CL_OPV))
		return;
	/* "the certificate was allowed to expire": a judged omission */
	if (tk_text_is(s, pp, "allowed") && tk_id(s, pp + 1) == W_TO &&
	    tk_text_in(s, pp + 2, "expire lapse pile grow fill accumulate "
				  "drift rot degrade linger")) {
		cue.from = pp;
		cue.to = pp + 2;
		if (!c->in_heading && !question(s) && !no_subject(s, a) &&
		    !automated(s, a, pp + 2) && !any_person_actor(s))
			emit_passive(c, s, a, pp, pp + 2, &cue, 0);
		return;
	}
	env = -1; /* not computed yet */
	/* exposure and impact verbs are states, except a few that are
	 * also actions ("was sent to an unmonitored queue") */
	if (tk_is(s, pp, CL_EPI | CL_OPTION | CL_EVID | CL_ASK | CL_COMM |
				 CL_BADRES | CL_NOTPP | CL_HARM | CL_AUTO) &&
	    !tk_text_in(s, pp, "sent used exposed leaked") &&
	    (env = env_mix(s, a, pp) >= 0) == 0)
		return;
	if (!strong_cue(s, a, pp, &cue))
		return;
	if (env < 0 && tk_text_in(s, pp, STATIVE_PP) &&
	    env_mix(s, a, pp) < 0)
		return;
	for (int k = a; k < pp; k++)
		if (tk_is(s, k, CL_NEG))
			return;
	/* the actor named earlier in the sentence: "an unintentional
	 * operator key stroke, where the wrong button was pressed" */
	for (int k = 0; k < a; k++)
		if (tk_is(s, k, CL_PERSON) && !tk_is(s, k, CL_IMPACTED))
			return;
	if (c->in_heading || question(s) || no_subject(s, a) ||
	    agent_follows(s, pp) || automated(s, a, pp) ||
	    response(s, a, pp) || subject_is_remedy(s, a, pp) ||
	    any_person_actor(s))
		return;
	e = complement_end(s, pp);
	emit_passive(c, s, a, pp, e, &cue, 0);
}

/* passive_aux: for the participle at i, the auxiliary that makes it a
 * finite passive: "was", "were", "had been" (not "should have been"),
 * "got", "had its X" ... Returns the auxiliary's index and sets *after to
 * where check_passive starts looking for the participle, or -1. Looks back
 * over adverbs, "being" and coordinated participles ("was written and
 * merged"). */
static int passive_aux(const struct lsent *s, int i, int *after)
{
	int k = skip_adv_back(s, i - 1, 1);

	for (int hops = 0; hops < 3; hops++) {
		if (tk_id(s, k) == W_BEING)
			k = skip_adv_back(s, k - 1, 1);
		if (tk_id(s, k) == W_WAS || tk_id(s, k) == W_WERE ||
		    tk_id(s, k) == W_GOT || tk_id(s, k) == W_GOTTEN) {
			*after = k + 1;
			return k;
		}
		if (tk_id(s, k) == W_BEEN) {
			int h = skip_adv_back(s, k - 1, 1);

			if (!tk_is(s, h, CL_HAVE) ||
			    tk_is(s, skip_adv_back(s, h - 1, 1), CL_MODAL))
				return -1;
			*after = k + 1;
			return h;
		}
		/* "was hastily written and merged" */
		if ((tk_is(s, k, CL_CONJ) || tk_punct(s, k, ',')) &&
		    tk_participle(s, skip_adv_back(s, k - 1, 1))) {
			k = skip_adv_back(s, skip_adv_back(s, k - 1, 1) - 1, 1);
			continue;
		}
		break;
	}
	/* "had its data directory accidentally deleted" */
	for (int h = i - 2; h >= 0 && h >= i - 7; h--) {
		if (tk_boundary(s, h))
			break;
		if (tk_id(s, h) == W_HAD &&
		    (tk_id(s, h + 1) == W_ITS || tk_id(s, h + 1) == W_THEIR)) {
			*after = i;
			return h;
		}
	}
	return -1;
}

void lint_rule_passive(struct lctx *c, const struct lsent *s, int i)
{
	int a, after;

	/* one finding per sentence: none to look for once there is one */
	if (!tk_is(s, i, CL_OPV) || !lint_wants(c, R_PB_PASSIVE) ||
	    !tk_participle(s, i))
		return;
	a = passive_aux(s, i, &after);
	if (a >= 0)
		check_passive(c, s, a, after);
}

void lint_rule_passive_aux(struct lctx *c, const struct lsent *s, int i)
{
	int a = i, pp = skip_adv_fwd(s, i + 1, 0);

	if (!lint_wants(c, R_PB_PASSIVE))
		return;
	if (tk_id(s, pp) == W_BEING)
		pp = skip_adv_fwd(s, pp + 1, 0);
	if (tk(s, pp)->kind != TK_WORD || tk_is(s, pp, CL_OPV | CL_RESP))
		return; /* an operational verb is checked from itself */
	if (tk_id(s, i) == W_BEEN) {
		a = skip_adv_back(s, i - 1, 1);
		if (tk_id(s, a) != W_HAD ||
		    tk_is(s, skip_adv_back(s, a - 1, 1), CL_MODAL))
			return;
	}
	check_other(c, s, a, pp);
}
