/* rules_root_cause.c: one cause presented as the root or the single
 * cause: "root cause(s)", "root-cause analysis", "RCA", "primary cause",
 * "underlying cause" (singular), "the (true) culprit". Not "root" as a user, volume, zone or CA,
 * not "direct / immediate cause", not code (`root_cause`). */
#include "lint/lint_internal.h"

#define RC_MODIFIERS                                                    \
	"primary ultimate secondary tertiary true real core main sole " \
	"single actual fundamental underlying exact probable likely "   \
	"principal chief only"

/* with_modifier extends a span start over "primary", "ultimate", ... */
static int with_modifier(const struct lsent *s, int i)
{
	while (i > 0 && tk_text_in(s, i - 1, RC_MODIFIERS))
		i--;
	return i;
}

static int with_analysis(const struct lsent *s, int i)
{
	if (tk_id(s, i + 1) == W_ANALYSIS || tk_id(s, i + 1) == W_ANALYSES)
		return i + 1;
	return i;
}

void lint_rule_root_cause(struct lctx *c, const struct lsent *s, int i)
{
	switch (tk_id(s, i)) {
	case W_ROOT:
		if (tk_id(s, i + 1) != W_CAUSE)
			return;
		if (tk_id(s, i + 2) == W_ANALYSIS ||
		    tk_id(s, i + 2) == W_ANALYSES)
			lint_emit_toks(c, s, R_RC_RCA, with_modifier(s, i),
				       i + 2);
		else
			lint_emit_toks(c, s, R_RC_ROOT, with_modifier(s, i),
				       i + 1);
		return;
	case W_ROOT_CAUSE:
	case W_ROOT_CAUSES:
	case W_ROOT_CAUSED:
	case W_ROOT_CAUSING:
	case W_ROOTCAUSE: {
		int e = with_analysis(s, i);

		lint_emit_toks(c, s, e > i ? R_RC_RCA : R_RC_ROOT,
			       with_modifier(s, i), e);
		return;
	}
	case W_RCA:
	case W_RCAS:
		if (tk_fl(s, i) & F_ALLCAPS)
			lint_emit_toks(c, s, R_RC_RCA, i, i);
		return;
	case W_CAUSE:
		/* singular privileged cause: "the primary cause"; plural
		 * "underlying causes" is fine */
		if ((tk_fl(s, i) & F_PLURAL) || tk_id(s, i - 1) == W_ROOT ||
		    !tk_text_in(s, i - 1, RC_MODIFIERS) ||
		    tk_text_in(s, i - 1, "secondary tertiary probable likely"))
			return;
		if (tk_text_is(s, i - 1, "only") && tk_id(s, i - 2) != W_THE)
			return;
		/* "our primary cause of concern", "for celebration" */
		if (tk_text_in(s, i + 1, "of for") &&
		    tk_text_in(s, i + 2, "concern concerns celebration alarm "
					 "worry"))
			return;
		lint_emit_toks(c, s, R_RC_SINGLE, with_modifier(s, i), i);
		return;
	case W_CULPRIT:
		/* "the true culprit", "the culprit was ...": one cause
		 * singled out (not "one of the culprits") */
		if ((tk_fl(s, i) & F_PLURAL) || tk_text_is(s, i - 1, "a") ||
		    tk_text_is(s, i - 1, "one"))
			return;
		if (tk_text_in(s, i - 1, RC_MODIFIERS) ||
		    tk_id(s, i - 1) == W_THE)
			lint_emit_toks(c, s, R_RC_SINGLE, with_modifier(s, i),
				       i);
		return;
	default: return;
	}
}
