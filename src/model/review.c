/* review.c: the def tables of a review and its children, the rules that
 * span fields (a review cannot be resolved before it started), and the
 * one rule of who sees a restricted review (review_visible). */
#include "model/review.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

static const char *const review_kinds[] = {"incident", "near-miss", "success",
					   "game-day", "architecture",
					   "operability", NULL};
static const char *const review_statuses[] = {"draft", "scheduled", "reviewed",
					      "published", "circulated",
					      "decided", "ready", "launched",
					      NULL};
static const char *const timeline_kinds[] = {
	"alert",  "observation", "hypothesis", "action", "decision",
	"communication", "deploy", "chat", "other", NULL};
static const char *const horizons[] = {"short", "long", NULL};
static const char *const aims[] = {"prevent", "detect", "mitigate", "respond",
				   "understand", NULL};
static const char *const followup_statuses[] = {"open", "in-progress", "done",
						"wont-do", NULL};
static const char *const factor_kinds[] = {"trigger", "latent", "exacerbating",
					   "mitigating", NULL};
static const char *const person_roles[] = {"responder", "actor", "facilitator",
					   "note-taker", "attendee", NULL};
static const char *const review_decisions[] = {
	"proceed", "rethink", "gather-information", "stop", NULL};
static const char *const link_kinds[] = {"dashboard", "status-post",
					 "forum-post", "ticket", "review",
					 "other", NULL};

#define TITLE_MAX 300
#define LINE_MAX_BYTES 1000
#define MARKDOWN_MAX (256 * 1024)
#define REVIEW_GROUP_MAX 64

#define TEXT(n, l, h) {n, l, FT_TEXT, 0, NULL, 0, 0, LINE_MAX_BYTES, h, NULL}
#define MD(n, l, h) {n, l, FT_MARKDOWN, 0, NULL, 0, 0, MARKDOWN_MAX, h, NULL}
#define TIME(n, l, h) {n, l, FT_TIME, 0, NULL, 0, 0, 0, h, NULL}

static const struct field_def review_fields[REVIEW_NFIELDS] = {
	[REVIEW_KIND] = {"kind", "Kind", FT_ENUM, F_REQUIRED, review_kinds, 0,
			 0, 0, "What happened: an incident, a near miss, a "
			       "success worth learning from, or a game day",
			 "incident"},
	[REVIEW_TITLE] = {"title", "Title", FT_TEXT, F_REQUIRED | F_PROSE,
			  NULL, 0, 0, TITLE_MAX,
			  "A short, neutral description of the event", NULL},
	[REVIEW_SEVERITY] = {"severity", "Severity", FT_INT, 0, NULL, 1, 5, 0,
			     "1 (most severe) to 5", NULL},
	[REVIEW_STATUS] = {"status", "Status", FT_ENUM, F_REQUIRED,
			   review_statuses, 0, 0, 0,
			   "Where the review stands", "draft"},
	[REVIEW_STARTED_AT] = TIME("started_at", "Started",
				   "When the problem began (UTC)"),
	[REVIEW_DETECTED_AT] = TIME("detected_at", "Detected",
				    "When someone or something noticed (UTC)"),
	[REVIEW_FIRST_STATUS_AT] = TIME("first_status_at", "First status post",
					"When users were first told (UTC)"),
	[REVIEW_MITIGATED_AT] = TIME("mitigated_at", "Mitigated",
				     "When the impact stopped growing (UTC)"),
	[REVIEW_RESOLVED_AT] = TIME("resolved_at", "Resolved",
				    "When it was over (UTC)"),
	[REVIEW_TLDR] = MD("tldr", "TL;DR", "Two or three sentences"),
	[REVIEW_SUMMARY] = MD("summary", "Summary", "What happened"),
	[REVIEW_IMPACT] = MD("impact", "User-visible impact",
			     "What users saw, for how long, how many"),
	[REVIEW_RESOLUTION] = MD("resolution", "Resolution",
				 "How it was brought to an end"),
	[REVIEW_SURPRISING] = MD("surprising", "Why it was surprising",
				 "What did not match our picture of the system"),
	[REVIEW_DIFFICULT] = MD("difficult", "What was difficult",
				"What made handling it hard"),
	[REVIEW_OPEN_QUESTIONS] = MD("open_questions", "Open questions",
				     "What we still do not understand"),
	[REVIEW_WENT_WELL] = MD("went_well", "What went well", NULL),
	[REVIEW_WENT_POORLY] = MD("went_poorly", "What went poorly", NULL),
	[REVIEW_DATA_SOURCES] = MD("data_sources", "Data sources relied on",
				   "Dashboards, logs, traces people used"),
	[REVIEW_SERVICES] = {"services", "Services", FT_LIST, 0, NULL, 0, 0, 100,
			     "Comma-separated", NULL},
	[REVIEW_OWNER_TEAM] = TEXT("owner_team", "Owner team", NULL),
	[REVIEW_IMPACT_TYPE] = TEXT("impact_type", "Impact type",
				    "For example: outage, degradation, data"),
	[REVIEW_PROBLEM_TYPE] = TEXT("problem_type", "Problem type",
				     "For example: capacity, config, dependency"),
	[REVIEW_RESTRICTED_TO] = {"restricted_to", "Restricted to groups",
				  FT_LIST, F_LIST_ALWAYS, NULL, 0, 0,
				  REVIEW_GROUP_MAX,
				  "Comma-separated group names; only their "
				  "members and admins see the review. Empty: "
				  "everyone",
				  NULL},
	[REVIEW_EXTRA] = MD("extra", "Other front matter",
			    "Front matter of an imported markdown file that "
			    "has no field here (YAML); exports write it back"),
	/* architecture reviews */
	[REVIEW_PROPOSERS] = {"proposers", "Proposers", FT_LIST, 0, NULL, 0,
			      0, 200, "Comma-separated", NULL},
	[REVIEW_PROPOSAL] = MD("proposal", "Proposal",
			       "Goals; how the design maps onto them; "
			       "departures from current tools and patterns; "
			       "alternatives and why not; costs and pain "
			       "points"),
	[REVIEW_NOTES] = MD("notes", "Notes", "What was said in the meeting"),
	[REVIEW_AGREEMENTS] = MD("agreements",
				 "Agreements on tricky components", NULL),
	[REVIEW_LEARNINGS] = MD("learnings", "Learnings", NULL),
	[REVIEW_DECISION] = {"decision", "Decision", FT_ENUM, 0,
			     review_decisions, 0, 0, 0,
			     "Proceed, rethink, gather more information, or "
			     "stop",
			     NULL},
	[REVIEW_DECISION_REASONS] = MD("decision_reasons",
				       "Reasons for the decision", NULL),
	[REVIEW_Q_COSTS] = MD("q_costs",
			      "Do we understand the costs of this departure?",
			      NULL),
	[REVIEW_Q_TRADEOFFS] = MD("q_tradeoffs",
				  "Have we asked hard questions about "
				  "trade-offs?",
				  NULL),
	[REVIEW_Q_FUTURE] = MD("q_future",
			       "What will this prohibit us from doing in the "
			       "future?",
			       NULL),
	[REVIEW_Q_OPERABILITY] = MD("q_operability",
				    "Are we impacting visibility, "
				    "measurability, debuggability and other "
				    "operability concerns?",
				    NULL),
	[REVIEW_Q_QUALITY] = MD("q_quality",
				"Testability, security, translatability, "
				"performance and other product quality "
				"concerns?",
				NULL),
	[REVIEW_Q_SENSE] = MD("q_sense", "Does it make sense?", NULL),
	/* operability reviews */
	[REVIEW_FEATURE] = {"feature", "Feature or launch", FT_TEXT, F_PROSE,
			    NULL, 0, 0, TITLE_MAX, "What goes live", NULL},
	[REVIEW_LAUNCH_DATE] = {"launch_date", "Launch date", FT_DATE, 0, NULL,
				0, 0, 10, "YYYY-MM-DD", NULL},
	[REVIEW_PUSHER] = TEXT("pusher", "Who pushes it", NULL),
	[REVIEW_TEAMS] = {"teams", "Teams represented", FT_LIST, 0, NULL, 0, 0,
			  64,
			  "Comma-separated: product, development, operations, "
			  "support, qa",
			  NULL},
	[REVIEW_ARCHITECTURE_REVIEW] = {"architecture_review",
					"Architecture review", FT_INT, 0, NULL,
					1, INT64_MAX, 0,
					"The number of the architecture review "
					"this launch follows",
					NULL},
};

/* Which kinds of review have which fields (0: every kind). */
static const unsigned review_field_kinds[REVIEW_NFIELDS] = {
	[REVIEW_SEVERITY] = KINDS_INCIDENT,
	[REVIEW_STARTED_AT] = KINDS_INCIDENT,
	[REVIEW_DETECTED_AT] = KINDS_INCIDENT,
	[REVIEW_FIRST_STATUS_AT] = KINDS_INCIDENT,
	[REVIEW_MITIGATED_AT] = KINDS_INCIDENT,
	[REVIEW_RESOLVED_AT] = KINDS_INCIDENT,
	[REVIEW_SUMMARY] = KINDS_INCIDENT,
	[REVIEW_IMPACT] = KINDS_INCIDENT,
	[REVIEW_RESOLUTION] = KINDS_INCIDENT,
	[REVIEW_SURPRISING] = KINDS_INCIDENT,
	[REVIEW_DIFFICULT] = KINDS_INCIDENT,
	[REVIEW_OPEN_QUESTIONS] = KINDS_INCIDENT,
	[REVIEW_WENT_WELL] = KINDS_INCIDENT,
	[REVIEW_WENT_POORLY] = KINDS_INCIDENT,
	[REVIEW_DATA_SOURCES] = KINDS_INCIDENT,
	[REVIEW_IMPACT_TYPE] = KINDS_INCIDENT,
	[REVIEW_PROBLEM_TYPE] = KINDS_INCIDENT,
	[REVIEW_PROPOSERS] = KIND_ARCHITECTURE,
	[REVIEW_PROPOSAL] = KIND_ARCHITECTURE,
	[REVIEW_NOTES] = KIND_ARCHITECTURE,
	[REVIEW_AGREEMENTS] = KIND_ARCHITECTURE,
	[REVIEW_LEARNINGS] = KIND_ARCHITECTURE,
	[REVIEW_DECISION] = KIND_ARCHITECTURE,
	[REVIEW_DECISION_REASONS] = KIND_ARCHITECTURE,
	[REVIEW_Q_COSTS] = KIND_ARCHITECTURE,
	[REVIEW_Q_TRADEOFFS] = KIND_ARCHITECTURE,
	[REVIEW_Q_FUTURE] = KIND_ARCHITECTURE,
	[REVIEW_Q_OPERABILITY] = KIND_ARCHITECTURE,
	[REVIEW_Q_QUALITY] = KIND_ARCHITECTURE,
	[REVIEW_Q_SENSE] = KIND_ARCHITECTURE,
	[REVIEW_FEATURE] = KIND_OPERABILITY,
	[REVIEW_LAUNCH_DATE] = KIND_OPERABILITY,
	[REVIEW_PUSHER] = KIND_OPERABILITY,
	[REVIEW_TEAMS] = KIND_OPERABILITY,
	[REVIEW_ARCHITECTURE_REVIEW] = KIND_OPERABILITY,
};

/* Which kinds may take each status (parallel to review_statuses). */
static const unsigned review_status_kinds[] = {
	0,				       /* draft */
	KINDS_INCIDENT | KIND_ARCHITECTURE, /* scheduled */
	KINDS_INCIDENT,			       /* reviewed */
	KINDS_INCIDENT,			       /* published */
	KIND_ARCHITECTURE,		       /* circulated */
	KIND_ARCHITECTURE,		       /* decided */
	KIND_OPERABILITY,		       /* ready */
	KIND_OPERABILITY,		       /* launched */
};

static const unsigned *const review_choice_kinds[REVIEW_NFIELDS] = {
	[REVIEW_STATUS] = review_status_kinds,
};

static const struct variant_rules review_variants = {
	REVIEW_KIND, review_field_kinds, review_choice_kinds,
};

int review_group_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n < 1 || n > REVIEW_GROUP_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* check_groups: restricted_to holds valid group names, each once. */
static void check_groups(const struct record *r, struct field_errors *errs)
{
	const struct value *v = &r->v[REVIEW_RESTRICTED_TO];
	const char *name = review_fields[REVIEW_RESTRICTED_TO].name;

	if (v->state != V_SET)
		return;
	for (size_t k = 0; k < v->nitems; k++) {
		if (!review_group_valid(v->items[k])) {
			record_add_error(errs, name,
					 "\"%.*s\" is not a group name: use 1 "
					 "to 64 of a-z, 0-9, '.', '_' and '-'",
					 (int)utf8_cut(v->items[k], 64), v->items[k]);
			return;
		}
		for (size_t j = 0; j < k; j++)
			if (!strcmp(v->items[j], v->items[k])) {
				record_add_error(errs, name,
						 "group \"%s\" is listed twice",
						 v->items[k]);
				return;
			}
	}
}

int review_in_groups(const char *groups_json, const char *group)
{
	json_t *arr, *it;
	size_t i;
	int found = 0;

	if (!groups_json || !group)
		return 0;
	arr = json_loads(groups_json, 0, NULL);
	if (json_is_array(arr))
		json_array_foreach(arr, i, it)
		{
			if (json_is_string(it) &&
			    !strcmp(json_string_value(it), group))
				found = 1;
		}
	json_decref(arr);
	return found;
}

int review_visible(const struct record *r, const struct viewer *v)
{
	const struct value *rt = &r->v[REVIEW_RESTRICTED_TO];
	json_t *arr, *it;
	size_t i;
	int seen = 0;

	if (!v || v->all || rt->state != V_SET || rt->nitems == 0)
		return 1;
	if (!v->groups_json || !(arr = json_loads(v->groups_json, 0, NULL)))
		return 0;
	if (json_is_array(arr))
		json_array_foreach(arr, i, it)
		{
			if (!json_is_string(it))
				continue;
			for (size_t k = 0; k < rt->nitems && !seen; k++)
				seen = !strcmp(rt->items[k],
					       json_string_value(it));
		}
	json_decref(arr);
	return seen;
}

/* check_review: the times must follow the order of an incident. */
static void check_review(const struct record *r, struct field_errors *errs)
{
	static const struct {
		int later, earlier;
		const char *msg;
	} order[] = {
		{REVIEW_DETECTED_AT, REVIEW_STARTED_AT,
		 "Detected cannot be before Started"},
		{REVIEW_MITIGATED_AT, REVIEW_STARTED_AT,
		 "Mitigated cannot be before Started"},
		{REVIEW_RESOLVED_AT, REVIEW_STARTED_AT,
		 "Resolved cannot be before Started"},
		{REVIEW_RESOLVED_AT, REVIEW_MITIGATED_AT,
		 "Resolved cannot be before Mitigated"},
		{REVIEW_FIRST_STATUS_AT, REVIEW_STARTED_AT,
		 "First status post cannot be before Started"},
	};

	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		int l = order[k].later, e = order[k].earlier;
		if (record_isset(r, l) && record_isset(r, e) &&
		    record_int(r, l, 0) < record_int(r, e, 0))
			record_add_error(errs, review_fields[l].name, "%s",
					 order[k].msg);
	}	check_groups(r, errs);
	review_kinds_check(r, errs);
}

const struct record_def review_def = {
	"review", "reviews", NULL, review_fields, REVIEW_NFIELDS,
	check_review, -1, .variants = &review_variants,
};

static const struct field_def timeline_fields[TL_NFIELDS] = {
	[TL_AT] = {"at", "Time", FT_TIME, F_REQUIRED, NULL, 0, 0, 0,
		   "UTC, for example 2026-11-20 14:05", NULL},
	[TL_APPROXIMATE] = {"approximate", "Approximate", FT_BOOL, 0, NULL, 0, 1,
			    0, "The time is an estimate", "false"},
	[TL_KIND] = {"kind", "Kind", FT_ENUM, F_REQUIRED, timeline_kinds, 0, 0,
		     0, NULL, "observation"},
	[TL_ACTOR] = TEXT("actor", "Actor", "Who or what acted"),
	[TL_TEXT] = {"text", "What happened", FT_MARKDOWN, F_REQUIRED, NULL, 0,
		     0, 64 * 1024, NULL, NULL},
	[TL_SOURCE] = TEXT("source", "Source", "A chat message or a URL"),
	[TL_CONTEXT] = MD("context", "What we knew then",
			  "Why it made sense at the time"),
	[TL_PERSPECTIVE] = TEXT("perspective", "Perspective",
				"Whose account this is"),
	[TL_DISPUTED] = {"disputed", "Disputed", FT_BOOL, 0, NULL, 0, 1, 0,
			 "Accounts differ", "false"},
};

const struct record_def timeline_def = {
	"timeline entry", "timeline_entries", "timeline", timeline_fields,
	TL_NFIELDS, NULL, TL_AT, .parent_variants = KINDS_INCIDENT,
};

static const struct field_def followup_fields[FU_NFIELDS] = {
	[FU_TITLE] = {"title", "Title", FT_TEXT, F_REQUIRED | F_PROSE, NULL, 0,
		      0, TITLE_MAX, NULL, NULL},
	[FU_DESCRIPTION] = MD("description", "Description", NULL),
	[FU_OWNER] = TEXT("owner", "Owner", NULL),
	[FU_HORIZON] = {"horizon", "Horizon", FT_ENUM, F_REQUIRED, horizons, 0,
			0, 0, "Short or long term", "short"},
	[FU_AIM] = {"aim", "Aim", FT_ENUM, 0, aims, 0, 0, 0, NULL, NULL},
	[FU_STATUS] = {"status", "Status", FT_ENUM, F_REQUIRED,
		       followup_statuses, 0, 0, 0, NULL, "open"},
	[FU_DUE] = {"due", "Due", FT_DATE, 0, NULL, 0, 0, 10, "YYYY-MM-DD",
		    NULL},
	[FU_TICKET] = TEXT("ticket", "Ticket", "Tracker key or URL"),
};

const struct record_def followup_def = {
	"follow-up", "followups", "followups", followup_fields, FU_NFIELDS,
	NULL, -1, .parent_variants = 0, /* every kind */
};

static const struct field_def factor_fields[FACTOR_NFIELDS] = {
	[FACTOR_TEXT] = {"text", "Factor", FT_TEXT, F_REQUIRED | F_PROSE, NULL,
			 0, 0, 500, NULL, NULL},
	[FACTOR_KIND] = {"kind", "Kind", FT_ENUM, F_REQUIRED, factor_kinds, 0,
			 0, 0, NULL, "latent"},
	[FACTOR_DESCRIPTION] = MD("description", "Description", NULL),
};

const struct record_def factor_def = {
	"contributing factor", "factors", "factors", factor_fields,
	FACTOR_NFIELDS, NULL, -1, .parent_variants = KINDS_INCIDENT,
};

static const struct field_def person_fields[PERSON_NFIELDS] = {
	[PERSON_NAME] = {"name", "Name", FT_TEXT, F_REQUIRED, NULL, 0, 0, 200,
			 NULL, NULL},
	[PERSON_ROLE] = {"role", "Role", FT_ENUM, F_REQUIRED, person_roles, 0,
			 0, 0, NULL, "responder"},
};

const struct record_def person_def = {
	"person", "people", "people", person_fields, PERSON_NFIELDS, NULL, -1, .parent_variants = 0, /* every kind */
};

static const struct field_def link_fields[LINK_NFIELDS] = {
	[LINK_URL] = {"url", "URL", FT_URL, F_REQUIRED, NULL, 0, 0, 2000, NULL,
		      NULL},
	[LINK_KIND] = {"kind", "Kind", FT_ENUM, F_REQUIRED, link_kinds, 0, 0, 0,
		       NULL, "other"},
	[LINK_COMMENT] = {"comment", "Comment", FT_TEXT, F_PROSE, NULL, 0, 0,
			  LINE_MAX_BYTES, NULL, NULL},
};

const struct record_def link_def = {
	"link", "links", "links", link_fields, LINK_NFIELDS, NULL, -1, .parent_variants = 0, /* every kind */
};

static const struct field_def tag_fields[TAG_NFIELDS] = {
	[TAG_NAME] = {"name", "Tag", FT_TEXT, F_REQUIRED, NULL, 0, 0, 64, NULL,
		      NULL},
};

/* check_tag: tags are single words or short phrases without commas, so
 * that "a, b" in a form means two tags. */
static void check_tag(const struct record *r, struct field_errors *errs)
{
	const char *s = record_str(r, TAG_NAME);

	if (s && strchr(s, ','))
		record_add_error(errs, "name", "A tag cannot contain a comma");
}

const struct record_def tag_def = {
	"tag", "tags", "tags", tag_fields, TAG_NFIELDS, check_tag, -1, .parent_variants = 0, /* every kind */
};

/* The names of src/lint's categories (lint_category_name), kept here so
 * that the model needs no linter; test_model checks that they agree. */
static const char *const lint_categories[] = {
	"counterfactual", "root-cause",		  "human-error", "hindsight",
	"passive-blame",  "individual-judgement", NULL};

static const struct field_def lint_allow_fields[LA_NFIELDS] = {
	[LA_PHRASE] = {"phrase", "Phrase", FT_TEXT, F_REQUIRED, NULL, 0, 0,
		       LINE_MAX_BYTES,
		       "The words (or the whole sentence) the coach flagged",
		       NULL},
	[LA_CATEGORY] = {"category", "Category", FT_ENUM, F_REQUIRED,
			 lint_categories, 0, 0, 0,
			 "Which of the coach's categories is fine here", NULL},
	[LA_WHO] = TEXT("who", "Allowed by", NULL),
	[LA_NOTE] = TEXT("note", "Note", "Why it is not blame here"),
};

const struct record_def lint_allow_def = {
	"allowed wording",
	"lint_allows",
	"lint-allows",
	lint_allow_fields,
	LA_NFIELDS,
	NULL,
	-1, .parent_variants = 0, /* every kind */
};

static const struct field_def comment_fields[COMMENT_NFIELDS] = {
	[COMMENT_BODY] = {"body", "Comment", FT_MARKDOWN, F_REQUIRED, NULL, 0,
			  0, 64 * 1024, NULL, NULL},
	[COMMENT_AUTHOR] = TEXT("author", "Author", NULL),
	[COMMENT_PARENT_ID] = {"parent_id", "In reply to", FT_INT, 0, NULL, 1,
			       INT64_MAX, 0, NULL, NULL},
	[COMMENT_TIMELINE_ID] = {"timeline_id", "On timeline entry", FT_INT, 0,
				 NULL, 1, INT64_MAX, 0, NULL, NULL},
	[COMMENT_AFTER_PUBLICATION] = {"after_publication",
				       "After publication", FT_BOOL, 0, NULL,
				       0, 1, 0, NULL, "false"},
};

const struct record_def comment_def = {
	"comment", "comments", "comments", comment_fields, COMMENT_NFIELDS,
	NULL, -1, .variants = NULL,
};

const struct record_def *const child_defs[CHILD_COUNT] = {
	[CHILD_TIMELINE] = &timeline_def,
	[CHILD_FOLLOWUP] = &followup_def,
	[CHILD_FACTOR] = &factor_def,
	[CHILD_PERSON] = &person_def,
	[CHILD_LINK] = &link_def,
	[CHILD_TAG] = &tag_def,
	[CHILD_LINT_ALLOW] = &lint_allow_def,
	[CHILD_MEETING] = &meeting_def,
	[CHILD_COMMENT] = &comment_def,
	[CHILD_DEPARTURE] = &departure_def,
	[CHILD_QUESTION] = &question_def,
	[CHILD_READINESS] = &readiness_def,
	[CHILD_CONTINGENCY] = &contingency_def,
};

int child_in_form(int k)
{
	return k != CHILD_LINT_ALLOW && k != CHILD_MEETING &&
	       k != CHILD_COMMENT;
}

int child_kind_from_segment(const char *segment)
{
	if (!segment)
		return -1;
	for (int k = 0; k < CHILD_COUNT; k++)
		if (!strcmp(child_defs[k]->segment, segment))
			return k;
	return -1;
}

void review_durations(const struct record *r, struct review_durations *d)
{
	int64_t start = record_int(r, REVIEW_STARTED_AT, 0);
	int has_start = record_isset(r, REVIEW_STARTED_AT);

#define SPAN(f) (has_start && record_isset(r, f) ? record_int(r, f, 0) - start : -1)
	d->to_detect = SPAN(REVIEW_DETECTED_AT);
	d->to_mitigate = SPAN(REVIEW_MITIGATED_AT);
	d->to_resolve = SPAN(REVIEW_RESOLVED_AT);
#undef SPAN
}

static int by_time_then_id(const void *pa, const void *pb)
{
	const struct record *a = *(struct record *const *)pa;
	const struct record *b = *(struct record *const *)pb;
	int64_t ta = record_int(a, TL_AT, 0), tb = record_int(b, TL_AT, 0);

	if (ta != tb)
		return ta < tb ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int by_id(const void *pa, const void *pb)
{
	const struct record *a = *(struct record *const *)pa;
	const struct record *b = *(struct record *const *)pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

void review_sort_children(struct review_doc *doc)
{
	for (int k = 0; k < CHILD_COUNT; k++) {
		struct record_list *l = &doc->children[k];
		if (l->n > 1)
			qsort(l->items, l->n, sizeof *l->items,
			      child_defs[k]->compare ? child_defs[k]->compare
			      : k == CHILD_TIMELINE  ? by_time_then_id
						     : by_id);
	}
}

size_t review_search_terms(const char *q)
{
	size_t n = 0;

	while (q && *q) {
		int word = 0;

		while (*q && isspace((unsigned char)*q))
			q++;
		for (; *q && !isspace((unsigned char)*q); q++)
			word |= isalnum((unsigned char)*q) ||
				(unsigned char)*q >= 0x80;
		n += word;
	}
	return n;
}

enum err_code review_search_check(const char *q, struct err *e)
{
	size_t len = q ? strlen(q) : 0;

	if (len > REVIEW_SEARCH_MAX)
		return err_set(e, E_BAD_REQUEST, "q",
			       "The search is too long: at most %d bytes, "
			       "this one has %zu",
			       REVIEW_SEARCH_MAX, len);
	if (!utf8_valid(q ? q : "", len, NULL))
		return err_set(e, E_BAD_REQUEST, "q",
			       "The search is not valid UTF-8");
	if (review_search_terms(q) > REVIEW_SEARCH_MAX_TERMS)
		return err_set(e, E_BAD_REQUEST, "q",
			       "The search has too many words: at most %d",
			       REVIEW_SEARCH_MAX_TERMS);
	return E_OK;
}
