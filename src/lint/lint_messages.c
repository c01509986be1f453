/* lint_messages.c: category names and, per rule, why the wording works
 * against learning and what to write instead. */
#include <string.h>
#include <strings.h>

#include "lint/lint_internal.h"

static const char *const cat_names[LINT_NCATEGORIES] = {
	"counterfactual", "root-cause",	   "human-error",
	"hindsight",	  "passive-blame", "individual-judgement",
};

static const char *const cat_summaries[LINT_NCATEGORIES] = {
	"An alternative past (should have, could have, if only, failed to) "
	"offered as the explanation or the benchmark for what happened.",
	"Language that presents one cause as the root or single cause of an "
	"incident.",
	"Labels that classify a person's action as an error (human error, "
	"mistake, slip, accidentally) instead of describing it.",
	"Wording that says the outcome was foreseeable or evident before it "
	"happened, or judges a decision by its outcome.",
	"An agentless passive that hides the person or team whose action "
	"contributed to the incident.",
	"Evaluations of a person's character, competence, effort or care.",
};

const struct lint_rule_info lint_rules[R_NRULES] = {
	[R_CF_SHOULD] =
		{LINT_COUNTERFACTUAL,
		 "\"Should have\" measures what people did against an "
		 "alternative that only became visible after the outcome; it "
		 "judges the action instead of explaining it.",
		 "Describe what was done and ask what made it reasonable at the "
		 "time: what did they know, see and expect?"},
	[R_CF_MODAL] =
		{LINT_COUNTERFACTUAL,
		 "A counterfactual describes a past that did not happen. It "
		 "tells the reader little about how the event actually unfolded "
		 "and why.",
		 "Describe what did happen and which conditions allowed it "
		 "(e.g. \"the staging run did not include the migration "
		 "because ...\")."},
	[R_CF_COND] =
		{LINT_COUNTERFACTUAL,
		 "An \"if only\" conditional replays the incident with a "
		 "different choice; it judges that choice by its outcome "
		 "instead of explaining why it made sense.",
		 "State what the people involved knew at that moment and why "
		 "the path they took made sense to them."},
	[R_CF_FAILED] =
		{LINT_COUNTERFACTUAL,
		 "\"Failed to\" frames what a person did as a deviation from "
		 "what they ought to have done, which invites blame and ends the "
		 "inquiry.",
		 "Say what they did and what they were attending to instead "
		 "(e.g. \"the operator was handling X and did not see Y\")."},
	[R_CF_MISSED] =
		{LINT_COUNTERFACTUAL,
		 "\"Missed\" says the signal was there to be seen; it hides what "
		 "made it hard to notice at the time.",
		 "Describe what the person was looking at and why the signal "
		 "did not stand out (e.g. \"the warning was one of 40 alerts on "
		 "the page\")."},
	[R_CF_INSTEAD] =
		{LINT_COUNTERFACTUAL,
		 "Holding an action up against the procedure that was not "
		 "followed judges it against an ideal instead of explaining why "
		 "the procedure did not fit the situation.",
		 "Describe what was done and why that path made sense then; ask "
		 "how usable the procedure was in that moment."},
	[R_RC_ROOT] =
		{LINT_ROOT_CAUSE,
		 "\"Root cause\" implies a single linear chain back to one "
		 "cause; incidents come from several interacting contributing "
		 "factors, and naming one root ends the inquiry early.",
		 "Use \"contributing factors\" and list them."},
	[R_RC_RCA] =
		{LINT_ROOT_CAUSE,
		 "\"Root cause analysis\" promises one root at the end of the "
		 "search; it steers the review towards a single culprit.",
		 "Call it a post-incident review or an analysis of contributing "
		 "factors."},
	[R_RC_SINGLE] =
		{LINT_ROOT_CAUSE,
		 "Singling out a primary or underlying cause ranks one factor "
		 "above the others and hides how they combined.",
		 "Write \"one of the contributing factors was ...\" and name "
		 "the others."},
	[R_HE_TERM] =
		{LINT_HUMAN_ERROR,
		 "\"Human error\" is a label, not an explanation: it names where "
		 "the investigation stopped instead of what in the system made "
		 "the action likely.",
		 "Describe the action and its context (what the person saw, the "
		 "tooling, time pressure), e.g. \"the command ran against the "
		 "primary because both prompts looked the same\"."},
	[R_HE_MISTAKE] =
		{LINT_HUMAN_ERROR,
		 "Calling an action a mistake, slip, lapse or oversight "
		 "classifies it as an error after the fact instead of "
		 "describing it.",
		 "Describe what was done and what made it easy to do (e.g. "
		 "\"the flag stayed enabled; nothing in the tool showed "
		 "it\")."},
	[R_HE_MISTAKE_NOUN] =
		{LINT_HUMAN_ERROR,
		 "Calling an action a mistake, slip, lapse or oversight "
		 "classifies it as an error after the fact instead of "
		 "describing it.",
		 "Describe what was done and what made it easy to do (e.g. "
		 "\"the flag stayed enabled; nothing in the tool showed "
		 "it\")."},
	[R_HE_ADVERB] =
		{LINT_HUMAN_ERROR,
		 "\"Accidentally\", \"inadvertently\" and \"mistakenly\" label a "
		 "person's action as an error; they add judgement but no "
		 "information about why it happened.",
		 "Drop the adverb and describe the action and the conditions "
		 "around it."},
	[R_HE_FORGOT] =
		{LINT_HUMAN_ERROR,
		 "\"Forgot\" classifies the action as a memory lapse; it puts "
		 "the problem in a person's head instead of in the work that "
		 "relied on memory.",
		 "Describe the step that was not done and what (checklist, "
		 "tooling, interruption) left it to memory."},
	[R_HE_NOUN] =
		{LINT_HUMAN_ERROR,
		 "Words like \"carelessness\" or \"negligence\" turn an action "
		 "into a character flaw; they explain nothing about the "
		 "conditions that shaped it.",
		 "Describe the action, and the pressures and information the "
		 "person had at the time."},
	[R_HS_OBVIOUS] =
		{LINT_HINDSIGHT,
		 "\"Obviously\" and \"clearly\" assert that the evidence was "
		 "plain at the time; it became plain only once the outcome was "
		 "known.",
		 "Describe what the people involved could see then (e.g. \"the "
		 "alert text did not mention the replica\")."},
	[R_HS_PREDICT] =
		{LINT_HINDSIGHT,
		 "Calling the outcome predictable, preventable or inevitable "
		 "uses knowledge that nobody had before it happened.",
		 "Describe which signals existed and why they did not stand "
		 "out at the time."},
	[R_HS_RETRO] =
		{LINT_HINDSIGHT,
		 "Evaluating in hindsight judges a decision by its outcome "
		 "(hindsight bias) and hides why it was reasonable when it was "
		 "made.",
		 "Describe the decision in its context: the options, "
		 "information and pressures at the time."},
	[R_HS_VERDICT] =
		{LINT_HINDSIGHT,
		 "Calling a decision the wrong call judges it by its outcome, "
		 "not by what was known when it was made.",
		 "Describe the options that were considered and why this one "
		 "looked best at the time."},
	[R_PB_PASSIVE] =
		{LINT_PASSIVE_BLAME,
		 "This passive hides who acted. Leaving the person out does not "
		 "make the text blameless: the action looks like fate, and the "
		 "context that made it reasonable is lost.",
		 "Name the role in the active voice and give the context (e.g. "
		 "\"an engineer ran the script, following the runbook for "
		 "X\")."},
	[R_IJ_WORD] = {LINT_INDIVIDUAL_JUDGEMENT,
		       "This judges a person's character, competence or care. "
		       "Judgements of people make everyone defensive and explain "
		       "nothing about the system.",
		       "Describe the action and the conditions (time pressure, "
		       "tooling, information) that shaped it."},
	[R_IJ_HASTE] =
		{LINT_INDIVIDUAL_JUDGEMENT,
		 "Labelling conduct as hasty or rushed judges the person; it "
		 "hides the time pressure and trade-offs they faced.",
		 "Describe the time pressure and what the person was trading "
		 "off (e.g. \"with the sale starting in 20 minutes, load "
		 "planning was not done\")."},
	[R_IJ_BOTHER] =
		{LINT_INDIVIDUAL_JUDGEMENT,
		 "\"Didn't bother\" and \"cut corners\" attribute wilful "
		 "disregard; they judge effort instead of explaining the "
		 "choice.",
		 "Describe what was done and what made the skipped step seem "
		 "unnecessary or too costly at the time."},
	[R_IJ_CRAFT] =
		{LINT_INDIVIDUAL_JUDGEMENT,
		 "\"Poorly written\" is a verdict on someone's craft; it does "
		 "not say what about the work led to the outcome.",
		 "Describe the property that mattered (e.g. \"a regular "
		 "expression with catastrophic backtracking\")."},
	[R_IJ_FAILED] =
		{LINT_INDIVIDUAL_JUDGEMENT,
		 "Saying that people failed is a verdict on them, not a "
		 "description of what happened.",
		 "List what each group did and did not do, and the conditions "
		 "that made that likely."},
};

const char *lint_category_name(enum lint_category cat)
{
	return (unsigned)cat < LINT_NCATEGORIES ? cat_names[cat] : "";
}

const char *lint_category_summary(enum lint_category cat)
{
	return (unsigned)cat < LINT_NCATEGORIES ? cat_summaries[cat] : "";
}

const char *lint_category_severity(enum lint_category cat)
{
	return (unsigned)cat < LINT_NCATEGORIES && LINT_IS_HINT(cat)
		       ? "hint"
		       : "warning";
}

int lint_finding_is_hint(const struct lint_finding *f)
{
	return LINT_IS_HINT(f->cat) || f->rule == R_HE_MISTAKE_NOUN;
}

const char *lint_finding_severity(const struct lint_finding *f)
{
	return lint_finding_is_hint(f) ? "hint" : "warning";
}

int lint_category_parse(const char *name, size_t len)
{
	for (int i = 0; i < LINT_NCATEGORIES; i++)
		if (strlen(cat_names[i]) == len &&
		    !strncasecmp(cat_names[i], name, len))
			return i;
	return -1;
}
