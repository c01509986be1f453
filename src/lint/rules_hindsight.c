/* rules_hindsight.c: the outcome presented as foreseeable or evident
 * before it happened, or a decision judged by its outcome: "obviously",
 * "clearly a bad idea", "entirely predictable", "only a matter of time",
 * "the warning signs were all there", "In hindsight, ...", "the wrong
 * call". Clarity of writing ("clearly labels"), negations ("it was not
 * obvious") and design goals ("more obvious") are left alone. */
#include "lint/lint_internal.h"

static int negated_before(const struct lsent *s, int i, int win)
{
	for (int k = i - 1; k >= 0 && k >= i - win; k--) {
		if (tk_boundary(s, k))
			return 0;
		if (tk_is(s, k, CL_NEG) || tk_id(s, k) == W_NO ||
		    tk_id(s, k) == W_NOTHING || tk_id(s, k) == W_WITHOUT ||
		    tk_text_in(s, k, "hardly barely non"))
			return 1;
	}
	return 0;
}

/* evaluative: the sentence after i judges something (so "In hindsight"
 * introduces an evaluation, not a narration). */
static int evaluative(const struct lsent *s, int i)
{
	int been;

	for (int k = i + 1; k < s->n; k++) {
		if (tk_is(s, k, CL_EVAL))
			return 1;
		if (tk_is(s, k, CL_MODAL) && modal_perfect_pp(s, k, &been) >= 0)
			return 1;
	}
	return 0;
}

static void obvious(struct lctx *c, const struct lsent *s, int i)
{
	if (negated_before(s, i, 3) || tk_id(s, i - 1) == W_MORE ||
	    tk_id(s, i - 1) == W_LESS)
		return;
	for (int k = i - 1; k >= 0 && k >= i - 5; k--)
		if (tk_id(s, k) == W_MAKE || tk_id(s, k) == W_MAKING ||
		    tk_text_in(s, k, "makes become becomes"))
			return; /* "make the failure mode obvious": a goal */
	/* a property of data or form, not of a risk: "the dataset had a
	 * few obvious patterns" */
	if (tk_text_in(s, i + 1, "pattern patterns structure structures "
				 "format formats prefix prefixes suffix "
				 "suffixes"))
		return;
	lint_emit_toks(c, s, R_HS_OBVIOUS, i, i);
}

static void clearly(struct lctx *c, const struct lsent *s, int i)
{
	int n = skip_adv_fwd(s, i + 1, 0), p = i - 1;

	if (tk_is(s, n, CL_COMM) || tk_is(s, p, CL_COMM) ||
	    tk_text_in(s, n,
		       "see seen visible understand understood "
		       "communicate distinguish said told read reads "
		       "warned"))
		return; /* clarity of communication */
	if (((tk_fl(s, i) & F_FIRST) && tk_punct(s, i + 1, ',')) ||
	    tk_is(s, p, CL_BE) ||
	    tk_is(s, n,
		  CL_DET | CL_MODAL | CL_NEG | CL_EVAL | CL_BADADJ | CL_EVID) ||
	    (tk_past(s, n) && !tk_is(s, n, CL_COMM)) ||
	    (tk_id(s, p) == W_HAVE && tk_is(s, p - 1, CL_MODAL)))
		lint_emit_toks(c, s, R_HS_OBVIOUS, i, i);
}

/* predictable: predicative ("was entirely predictable") or about an
 * outcome ("a predictable failure"); not "predictable latency". */
static void predictable(struct lctx *c, const struct lsent *s, int i)
{
	int p = skip_adv_back(s, i - 1, 0), a = p + 1;

	if (negated_before(s, i, 2))
		return;
	/* "human error is inevitable", "failures are inevitable": a
	 * general truth in the present, not a verdict on this outcome */
	if (tk_id(s, i) == W_INEVITABLE && tk_text_in(s, p, "is are"))
		return;
	if (tk_id(s, i) == W_FORESEEABLE && tk_text_is(s, i + 1, "future"))
		return;
	/* "the traffic pattern is predictable on weekdays": a property of
	 * load or of a model, not a verdict on the outcome */
	if (tk_is(s, p, CL_BE)) {
		int h = np_head(s, skip_adv_back(s, p - 1, 1), 0);

		if (tk_text_in(s, h,
			       "pattern patterns traffic load workload "
			       "demand usage behaviour behavior latency "
			       "growth cycle cycles model output"))
			return;
	}
	if (tk_is(s, p, CL_BE) ||
	    ((tk_is(s, i + 1, CL_OUTCOME) || tk_id(s, i + 1) == W_MISTAKE) &&
	     !tk_is(s, i + 1, CL_PREP)) ||
	    tk_text_in(s, a,
		       "easily entirely completely totally wholly "
		       "perfectly utterly"))
		lint_emit_toks(c, s, R_HS_PREDICT, a, i);
}

/* "(all) the signs pointed to a failing disk" */
static int signs_pointed(const struct lsent *s, int i)
{
	return tk_text_in(s, i + 1, "pointed pointing") &&
	       tk_id(s, i + 2) == W_TO;
}

/* pattern "(the) (warning|red) signs were (all) there" */
static void signs(struct lctx *c, const struct lsent *s, int i)
{
	int j = i + 1, a = i;

	if (signs_pointed(s, i) && !negated_before(s, i, 3)) {
		while (a > 0 && (tk_text_in(s, a - 1, "warning red early all") ||
				 tk_is(s, a - 1, CL_DET)))
			a--;
		lint_emit_toks(c, s, R_HS_PREDICT, a, i + 2);
		return;
	}

	if (!tk_is(s, j, CL_BE))
		return;
	j++;
	if (tk_id(s, j) == W_ALL)
		j++;
	if (!(tk_id(s, j) == W_THERE ||
	      tk_text_in(s, j, "everywhere obvious evident visible plain")))
		return;
	while (a > 0 && (tk_text_in(s, a - 1, "warning red early all") ||
			 tk_is(s, a - 1, CL_DET)))
		a--;
	lint_emit_toks(c, s, R_HS_PREDICT, a, j);
}

static void verdict(struct lctx *c, const struct lsent *s, int i)
{
	int n = i + 1, a = i;

	if (!(tk_id(s, n) == W_CALL || tk_id(s, n) == W_DECISION ||
	      tk_id(s, n) == W_CHOICE || tk_id(s, n) == W_IDEA))
		return;
	if (tk_id(s, n) == W_CALL &&
	    (tk_text_in(s, n + 1, "from into") ||
	     (tk_id(s, n + 1) == W_TO && !tk_text_is(s, n + 2, "make"))))
		return; /* "a bad call to the API" */
	if (tk_is(s, i - 1, CL_DET))
		a = i - 1;
	/* advice in the present: "it's a bad idea to be messing around
	 * while customers are out of service" (not "it was a bad idea to
	 * deploy on a Friday") */
	if (tk_id(s, n) == W_IDEA && tk_id(s, n + 1) == W_TO) {
		int v = skip_adv_back(s, a - 1, 1);

		if (tk_text_in(s, v, "is it's its 's") ||
		    (tk_text_is(s, v, "s") && tk_punct(s, v - 1, '\'')))
			return;
	}
	lint_emit_toks(c, s, R_HS_VERDICT, a, n);
}

/* negative_subject: "nobody could have predicted", "no one could have
 * known": local rationality, not hindsight. */
static int negative_subject(const struct lsent *s, int i)
{
	return tk_text_in(s, i - 1, "nobody noone no-one none") ||
	       (tk_text_is(s, i - 1, "one") && tk_id(s, i - 2) == W_NO) ||
	       (tk_text_in(s, i - 2, "none") && tk_id(s, i - 1) == W_OF) ||
	       (tk_text_is(s, i - 3, "none") && tk_id(s, i - 2) == W_OF);
}

static void modal_hindsight(struct lctx *c, const struct lsent *s, int i)
{
	int been, pp = modal_perfect_pp(s, i, &been);
	int m = tk_id(s, i);

	if ((m != W_SHOULD && m != W_SHOULDVE && m != W_COULD &&
	     m != W_COULDVE) ||
	    negative_subject(s, i))
		return;
	if (pp < 0) {
		/* "should have been obvious / clear / evident" */
		int j = skip_adv_fwd(s, i + 1, 0);

		if (tk_id(s, j) != W_HAVE || tk_id(s, j + 1) != W_BEEN)
			return;
		j = skip_adv_fwd(s, j + 2, 0);
		if (tk_id(s, j) == W_CLEAR || tk_id(s, j) == W_EVIDENT ||
		    tk_id(s, j) == W_APPARENT)
			lint_emit_toks(c, s, R_HS_OBVIOUS, i, j);
		return;
	}
	if (!been &&
	    (tk_id(s, pp) == W_KNOWN || tk_id(s, pp) == W_FORESEEN ||
	     tk_id(s, pp) == W_PREDICTED || tk_id(s, pp) == W_ANTICIPATED))
		lint_emit_toks(c, s, R_HS_PREDICT, i, pp);
	else if (been &&
		 (tk_id(s, pp) == W_FORESEEN || tk_id(s, pp) == W_PREDICTED ||
		  tk_id(s, pp) == W_ANTICIPATED))
		lint_emit_toks(c, s, R_HS_PREDICT, i, pp);
}

/* given_seen: "surprising given that they had seen it before": what
 * was known is held up as making the outcome foreseeable. "Given that
 * the team had seen it before, they restarted it" (their reasons) is
 * left alone: a word of surprise must come first. */
static void given_seen(struct lctx *c, const struct lsent *s, int i)
{
	int from = -1;

	if (tk_id(s, i + 1) != W_THAT)
		return;
	for (int k = i - 1; k >= 0 && k >= i - 4; k--)
		if (tk_text_in(s, k,
			       "surprising surprisingly strange odd puzzling "
			       "inexcusable unacceptable baffling "
			       "astonishing remarkable"))
			from = k;
	if (from < 0)
		return;
	for (int k = i + 2; k < s->n && k <= i + 10; k++) {
		if (tk_id(s, k) == W_HAD &&
		    tk_text_in(s, skip_adv_fwd(s, k + 1, 0),
			       "seen known noticed been heard read "
			       "discussed flagged")) {
			lint_emit_toks(c, s, R_HS_VERDICT, from,
				       skip_adv_fwd(s, k + 1, 0));
			return;
		}
	}
}

void lint_rule_hindsight(struct lctx *c, const struct lsent *s, int i)
{
	int been, pp;

	switch (tk_id(s, i)) {
	case W_OBVIOUS:
	case W_OBVIOUSLY: obvious(c, s, i); return;
	case W_GIVEN: given_seen(c, s, i); return;
	case W_CLEARLY: clearly(c, s, i); return;
	case W_PREDICTABLE:
	case W_FORESEEABLE:
	case W_PREVENTABLE:
	case W_AVOIDABLE:
	case W_INEVITABLE: predictable(c, s, i); return;
	case W_PREDICTABLY:
	case W_INEVITABLY:
	case W_UNSURPRISINGLY:
		/* "Predictably, the retry storm ...", "..., inevitably,
		 * failed" (not "behaves predictably under load") */
		if (negated_before(s, i, 2))
			return;
		if (tk_punct(s, i + 1, ',') || tk_punct(s, i - 1, ',') ||
		    tk_is(s, skip_adv_fwd(s, i + 1, 0), CL_BADRES))
			lint_emit_toks(c, s, R_HS_PREDICT, i, i);
		return;
	case W_MATTER:
		if (tk_id(s, i + 1) == W_OF && tk_id(s, i + 2) == W_TIME &&
		    tk_id(s, i - 1) == W_A)
			lint_emit_toks(c, s, R_HS_PREDICT,
				       tk_text_in(s, i - 2, "only just merely")
					       ? i - 2
					       : i - 1,
				       i + 2);
		return;
	case W_BOUND:
		if (tk_id(s, i + 1) == W_TO &&
		    tk_text_in(s, i + 2,
			       "happen fail occur break crash go end "
			       "blow cause hit run bite recur overflow "
			       "fill explode collapse degrade exhaust "
			       "trip surface repeat come slip leak "
			       "exceed outgrow saturate topple give "
			       "backfire bring lead corrupt lose "
			       "expire"))
			lint_emit_toks(c, s, R_HS_PREDICT, i, i + 2);
		return;
	case W_HINDSIGHT:
		if (tk_text_is(s, i + 1, "bias"))
			return;
		if ((tk_id(s, i - 1) == W_IN || tk_text_is(s, i - 1, "with") ||
		     tk_id(s, i - 1) == W_OF) &&
		    evaluative(s, i))
			lint_emit_toks(c, s, R_HS_RETRO, i - 1, i);
		return;
	case W_FORESIGHT:
		/* "With a little foresight, the team would have ...": the
		 * outcome as foreseeable */
		if (tk_text_is(s, i - 3, "with") && tk_id(s, i - 2) == W_A &&
		    tk_text_in(s, i - 1, "little bit") && evaluative(s, i))
			lint_emit_toks(c, s, R_HS_PREDICT, i - 3, i);
		else if (tk_text_is(s, i - 2, "with") &&
			 tk_text_in(s, i - 1, "some more basic any proper") &&
			 evaluative(s, i))
			lint_emit_toks(c, s, R_HS_PREDICT, i - 2, i);
		return;
	case W_RETROSPECT:
		if (tk_id(s, i - 1) == W_IN && evaluative(s, i))
			lint_emit_toks(c, s, R_HS_RETRO, i - 1, i);
		return;
	case W_LOOKING:
		if (tk_id(s, i + 1) == W_BACK && (tk_fl(s, i) & F_FIRST) &&
		    evaluative(s, i + 1))
			lint_emit_toks(c, s, R_HS_RETRO, i, i + 1);
		return;
	case W_COURSE:
		if (tk_id(s, i - 1) == W_OF && !tk_is(s, i - 2, CL_DET)) {
			/* the outcome close by ("of course the cache fell
			 * over"), not far on ("and of course, instead of
			 * blaming ..., we banded together to remedy the
			 * data loss") */
			for (int k = i + 1; k < s->n && k <= i + 8; k++)
				if (tk_is(s, k, CL_BADRES | CL_OUTCOME)) {
					lint_emit_toks(c, s, R_HS_PREDICT,
						       i - 1, i);
					return;
				}
		}
		return;
	case W_WRONG:
	case W_BAD:
	case W_POOR: verdict(c, s, i); return;
	case W_WRITING:
		if (tk_is(s, i + 1, CL_BE) && tk_id(s, i + 2) == W_ON &&
		    tk_id(s, i + 4) == W_WALL)
			lint_emit_toks(c, s, R_HS_PREDICT, i, i + 4);
		return;
	case W_ACCIDENT:
	case W_DISASTER:
		/* "an accident / a disaster waiting to happen", "a recipe
		 * for disaster" */
		if (tk_id(s, i + 1) == W_WAITING && tk_id(s, i + 2) == W_TO &&
		    tk_id(s, i + 3) == W_HAPPEN)
			lint_emit_toks(c, s, R_HS_PREDICT, i, i + 3);
		else if (tk_id(s, i) == W_DISASTER &&
			 tk_text_is(s, i - 1, "for") &&
			 tk_text_is(s, i - 2, "recipe"))
			lint_emit_toks(c, s, R_HS_PREDICT, i - 2, i);
		return;
	case W_PLAIN:
		/* "the risks were plain to see" */
		if (tk_id(s, i + 1) == W_TO && tk_text_is(s, i + 2, "see") &&
		    !negated_before(s, i, 3))
			lint_emit_toks(c, s, R_HS_PREDICT, i, i + 2);
		return;
	case W_SURPRISE:
		/* "came as no surprise", "it is no surprise that" */
		if (tk_id(s, i - 1) == W_NO)
			lint_emit_toks(c, s, R_HS_PREDICT, i - 1, i);
		return;
	case W_SURPRISING:
		/* "it is hardly surprising that ..." (not "it is not
		 * surprising how quickly it recovered": no verdict) */
		if (tk_text_in(s, i - 1, "hardly scarcely not little") &&
		    (tk_id(s, i + 1) == W_THAT || tk_punct(s, i + 1, ',')))
			lint_emit_toks(c, s, R_HS_PREDICT, i - 1, i);
		return;
	case W_SURPRISED:
		/* "nobody should have been surprised when ..." */
		for (int k = i - 1; k >= 0 && k >= i - 5; k--) {
			if (tk_boundary(s, k))
				break;
			if (tk_text_in(s, k, "nobody noone no-one") ||
			    (tk_text_is(s, k, "one") && tk_id(s, k - 1) == W_NO)) {
				if (has_id_between(s, k, i, W_SHOULD) ||
				    has_id_between(s, k, i, W_SHOULDVE))
					lint_emit_toks(c, s, R_HS_PREDICT, k, i);
				break;
			}
		}
		return;
	case W_ALWAYS:
		/* "it was always going to fail" */
		if (tk_is(s, i - 1, CL_BE) && tk_text_is(s, i + 1, "going") &&
		    tk_id(s, i + 2) == W_TO && tk_word(s, i + 3) &&
		    !negated_before(s, i, 2))
			lint_emit_toks(c, s, R_HS_PREDICT, i, i + 3);
		return;
	case W_EASY:
		/* "it is easy to see now that ...", "easy to see in
		 * hindsight" (not "it was not easy to see which node") */
		if (tk_id(s, i + 1) == W_TO &&
		    tk_text_in(s, i + 2, "see spot tell say") &&
		    !negated_before(s, i, 3)) {
			int k = i + 3;

			if (tk_text_in(s, k, "now today") ||
			    tk_id(s, k + 1) == W_HINDSIGHT ||
			    tk_id(s, k + 1) == W_RETROSPECT ||
			    (tk_id(s, k) == W_LOOKING && tk_id(s, k + 1) == W_BACK))
				lint_emit_toks(c, s, R_HS_PREDICT, i,
					       tk_text_in(s, k, "now today")
						       ? k
						       : k + 1);
		}
		return;
	case W_COMING:
		if (tk_is(s, i - 1, CL_PRON_T) &&
		    tk_text_in(s, i - 2, "see seen saw foresee foreseen"))
			lint_emit_toks(c, s, R_HS_PREDICT, i - 2, i);
		return;
	case W_ANYONE:
	case W_ANYBODY:
		if (tk_is(s, i + 1, CL_MODAL)) {
			pp = modal_perfect_pp(s, i + 1, &been);
			if (pp >= 0 && tk_is(s, pp, CL_COG))
				lint_emit_toks(c, s, R_HS_PREDICT, i, pp);
		}
		return;
	case W_SHOULD:
	case W_SHOULDVE:
	case W_COULD:
	case W_COULDVE: modal_hindsight(c, s, i); return;
	case W_SIGNS:
	case W_SIGNALS:
	case W_FLAGS:
		/* "the warning signs were all there" */
		signs(c, s, i);
		return;
	default: return;
	}
}
