/* review_kinds.c: the reviews held before a launch rather than after an
 * incident. An architecture review (a proposed departure from the tools
 * and patterns everyone knows) and an operability review (right before a
 * launch) are reviews of kind "architecture" and "operability": their own
 * fields are review fields that only those kinds have (review_variants in
 * review.c), and their lists are child kinds like the timeline:
 * departures and questions, readiness questions and contingency rows.
 * Here live those child tables and the rules that span them: the
 * readiness gate, risk order, vote order and the standard questions. */
#include <stdlib.h>
#include <string.h>

#include "model/review.h"
#include "util/buf.h"
#include "util/utf8.h"

#define LINE   1000
#define MD_MAX (256 * 1024)

static const char *const answers[] = {"yes", "no", "n-a", NULL};
static const char *const levels[] = {"low", "medium", "high", NULL};
static const char *const teams[] = {"product", "development", "operations",
				    "support", "qa",	      NULL};

static const struct field_def departure_fields[DEP_NFIELDS] = {
	[DEP_TECHNOLOGY] = {"technology", "Technology or pattern", FT_TEXT,
			    F_REQUIRED, NULL, 0, 0, 300,
			    "The new thing, for example: Cassandra", NULL},
	[DEP_REPLACES] = {"replaces", "Replaces", FT_TEXT, 0, NULL, 0, 0, LINE,
			  "What we use for this today", NULL},
	[DEP_TRADEOFFS] = {"tradeoffs", "Known trade-offs", FT_MARKDOWN, 0,
			   NULL, 0, 0, MD_MAX, NULL, NULL},
	[DEP_UNKNOWNS] = {"unknowns", "Unknowns", FT_MARKDOWN, 0, NULL, 0, 0,
			  MD_MAX, NULL, NULL},
};

const struct record_def departure_def = {
	"departure",  "departures",
	"departures", departure_fields,
	DEP_NFIELDS,  NULL,
	-1,	      .parent_variants = KIND_ARCHITECTURE,
};

static const struct field_def question_fields[Q_NFIELDS] = {
	[Q_TEXT] = {"text", "Question", FT_TEXT, F_REQUIRED | F_PROSE, NULL, 0,
		    0, LINE, NULL, NULL},
	[Q_ASKED_BY] = {"asked_by", "Asked by", FT_TEXT, F_SERVER, NULL, 0, 0,
			200, NULL, NULL},
	/* one vote per person, as many people as there are: neither the
	 * count nor the list of voters has a cap */
	[Q_VOTES] = {"votes", "Votes", FT_INT, F_SERVER, NULL, 0, INT64_MAX, 0,
		     NULL, "0"},
	[Q_VOTERS] = {"voters", "Voters", FT_LIST,
		      F_SERVER | F_LIST_ALWAYS | F_BY_ACTOR, NULL, 0,
		      INT64_MAX, 200, NULL, NULL},
	[Q_ANSWERED] = {"answered", "Answered", FT_BOOL, 0, NULL, 0, 1, 0,
			"The meeting answered it", "false"},
	[Q_ANSWER] = {"answer", "Answer", FT_MARKDOWN, 0, NULL, 0, 0, MD_MAX,
		      NULL, NULL},
};

/* by_votes: most votes first, then the oldest question. */
static int by_votes(const void *pa, const void *pb)
{
	const struct record *a = *(struct record *const *)pa;
	const struct record *b = *(struct record *const *)pb;
	int64_t va = record_int(a, Q_VOTES, 0), vb = record_int(b, Q_VOTES, 0);

	if (va != vb)
		return va > vb ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

const struct record_def question_def = {
	"question",
	"questions",
	"questions",
	question_fields,
	Q_NFIELDS,
	NULL,
	-1,
	.parent_variants = KIND_ARCHITECTURE,
	.compare = by_votes,
};

static const struct field_def readiness_fields[RD_NFIELDS] = {
	[RD_KEY] = {"key", "Key", FT_TEXT, F_SERVER, NULL, 0, 0, 64, NULL,
		    NULL},
	[RD_QUESTION] = {"question", "Question", FT_TEXT, F_REQUIRED, NULL, 0,
			 0, LINE, NULL, NULL},
	[RD_INFRA] = {"infra", "Infrastructure question", FT_BOOL, 0, NULL, 0,
		      1, 0, "A \"no\" keeps the review from being ready",
		      "false"},
	[RD_ANSWER] = {"answer", "Answer", FT_ENUM, 0, answers, 0, 0, 0,
		       "yes, no or n-a (not applicable)", NULL},
	[RD_NOTE] = {"note", "Note", FT_TEXT, F_PROSE, NULL, 0, 0, LINE, NULL,
		     NULL},
};

const struct record_def readiness_def = {
	"readiness question",
	"readiness",
	"readiness",
	readiness_fields,
	RD_NFIELDS,
	NULL,
	-1,
	.parent_variants = KIND_OPERABILITY,
};

int review_flag_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n < 1 || n > 100)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == ':'))
			return 0;
	}
	return 1;
}

static void check_contingency(const struct record *r, struct field_errors *errs)
{
	const char *flag = record_str(r, CT_FLAG);

	if (flag && !review_flag_name_valid(flag))
		record_add_error(errs, "flag",
				 "\"%.*s\" is not a flag name: use 1 to 100 "
				 "of a-z, A-Z, 0-9, '_', '-', '.' and ':', "
				 "no spaces",
				 (int)utf8_cut(flag, 100), flag);
}

static const struct field_def contingency_fields[CT_NFIELDS] = {
	[CT_ISSUE] = {"issue", "Issue", FT_TEXT, F_REQUIRED | F_PROSE, NULL, 0,
		      0, LINE, "What could go wrong", NULL},
	[CT_LIKELIHOOD] = {"likelihood", "Likelihood", FT_ENUM, F_REQUIRED,
			   levels, 0, 0, 0, "low, medium or high", "medium"},
	[CT_IMPACT] = {"impact", "Impact", FT_ENUM, F_REQUIRED, levels, 0, 0, 0,
		       "low, medium or high", "medium"},
	[CT_COMMENTS] = {"comments", "Comments", FT_MARKDOWN, 0, NULL, 0, 0,
			 MD_MAX, NULL, NULL},
	[CT_MITIGATION] = {"mitigation", "Engineering mitigation", FT_MARKDOWN,
			   0, NULL, 0, 0, MD_MAX, "For example: flip a flag",
			   NULL},
	[CT_FLAG] = {"flag", "Feature flag", FT_TEXT, 0, NULL, 0, 0, 100,
		     "The flag the mitigation flips, for example "
		     "disable_coffee_favorites_page",
		     NULL},
	[CT_MESSAGING] = {"messaging", "On-site messaging", FT_MARKDOWN, 0,
			  NULL, 0, 0, MD_MAX, "What users are told", NULL},
	[CT_PR_NEEDED] = {"pr_needed", "PR needed", FT_BOOL, 0, NULL, 0, 1, 0,
			  "Public communication is needed", "false"},
	[CT_PR] = {"pr", "PR", FT_TEXT, 0, NULL, 0, 0, LINE,
		   "What public communication", NULL},
	[CT_POSITION] = {"position", "Position", FT_INT, 0, NULL, 0, 1000000, 0,
			 "Order among rows of the same risk (low first)", NULL},
};

static int level_rank(const char *s)
{
	for (int k = 0; s && levels[k]; k++)
		if (!strcmp(levels[k], s))
			return k + 1;
	return 0;
}

int review_contingency_risk(const struct record *row)
{
	return level_rank(record_str(row, CT_LIKELIHOOD)) *
	       level_rank(record_str(row, CT_IMPACT));
}

/* by_risk: the riskiest row first (likelihood times impact, then impact);
 * rows of one risk by position (unset last), then the oldest. */
static int by_risk(const void *pa, const void *pb)
{
	const struct record *a = *(struct record *const *)pa;
	const struct record *b = *(struct record *const *)pb;
	int ra = review_contingency_risk(a), rb = review_contingency_risk(b);
	int ia = level_rank(record_str(a, CT_IMPACT));
	int ib = level_rank(record_str(b, CT_IMPACT));
	int64_t pa_ = record_int(a, CT_POSITION, INT64_MAX);
	int64_t pb_ = record_int(b, CT_POSITION, INT64_MAX);

	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (ia != ib)
		return ia > ib ? -1 : 1;
	if (pa_ != pb_)
		return pa_ < pb_ ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

const struct record_def contingency_def = {
	"contingency",
	"contingencies",
	"contingencies",
	contingency_fields,
	CT_NFIELDS,
	check_contingency,
	-1,
	.parent_variants = KIND_OPERABILITY,
	.compare = by_risk,
};

static unsigned kind_bit(const char *kind)
{
	const char *const *choices = review_def.fields[REVIEW_KIND].choices;

	for (int k = 0; kind && choices[k]; k++)
		if (!strcmp(choices[k], kind))
			return 1u << k;
	return 0;
}

int review_kind_has_field(const char *kind, int f)
{
	unsigned bit = kind_bit(kind);
	unsigned mask = review_def.variants->fields[f];

	return !bit || !mask || (mask & bit);
}

int review_kind_has_child(const char *kind, int k)
{
	unsigned bit = kind_bit(kind);
	unsigned mask = child_defs[k]->parent_variants;

	return !bit || !mask || (mask & bit);
}

int review_kind_has_choice(const char *kind, int f, int c)
{
	unsigned bit = kind_bit(kind);
	const unsigned *masks = review_def.variants->choices[f];

	return !bit || !masks || !masks[c] || (masks[c] & bit);
}

int review_kind_is_launch(const char *kind)
{
	return (kind_bit(kind) & (KIND_ARCHITECTURE | KIND_OPERABILITY)) != 0;
}

int review_kind_is(const struct record *review, const char *name)
{
	const char *k = review ? record_str(review, REVIEW_KIND) : NULL;

	return k && !strcmp(k, name);
}

int review_has_child(const struct record *review, int k)
{
	unsigned bit = review ? record_variant_bit(review) : 0;
	unsigned mask = child_defs[k]->parent_variants;

	return !bit || !mask || (mask & bit);
}

void review_kinds_check(const struct record *r, struct field_errors *errs)
{
	const struct value *v = &r->v[REVIEW_TEAMS];

	for (size_t i = 0; v->state == V_SET && i < v->nitems; i++) {
		int ok = 0;
		for (int k = 0; teams[k]; k++)
			ok |= !strcmp(teams[k], v->items[i]);
		if (!ok) {
			record_add_error(
				errs, "teams",
				"\"%.*s\" is not a team: use product, "
				"development, operations, support or "
				"qa",
				(int)utf8_cut(v->items[i], 64), v->items[i]);
			return;
		}
	}
}

/* The standard readiness questions of an operability review. */
static const struct {
	const char *key, *question;
	int infra;
} standard[] = {
	{"tested", "Has it been tested enough to deploy?", 0},
	{"go-live", "Does everyone know when it goes live and who pushes it?",
	 0},
	{"communication", "Is communication ready?", 0},
	{"ramp-up",
	 "Can it be turned up by percentage, dark launched, or game-dayed?", 0},
	{"adds-infrastructure", "Does it add production infrastructure?", 0},
	{"monitoring", "If so: is it in monitoring and metrics?", 1},
	{"pipeline", "If so: does it have a deployment pipeline?", 1},
	{"dev-environment", "If so: does it have a development environment?",
	 1},
	{"ci", "If so: does it have tests in CI?", 1},
};
#define NSTANDARD (sizeof standard / sizeof standard[0])

int review_doc_seed(struct arena *a, struct review_doc *doc)
{
	struct record_list *l = &doc->children[CHILD_READINESS];

	if (!review_kind_is(doc->review, "operability") || l->n)
		return 0;
	if (!(l->items = arena_alloc(a, sizeof *l->items * NSTANDARD)))
		return -1;
	for (size_t i = 0; i < NSTANDARD; i++) {
		struct record *r = record_new(a, &readiness_def);

		if (!r)
			return -1;
		record_set_str(r, RD_KEY, standard[i].key);
		record_set_str(r, RD_QUESTION, standard[i].question);
		record_set_int(r, RD_INFRA, standard[i].infra);
		record_fill_defaults(a, r);
		l->items[l->n++] = r;
	}
	return 0;
}

size_t review_readiness_blocking(const struct record_list *readiness,
				 const struct record **out, size_t max)
{
	size_t n = 0;

	/* "does it add production infrastructure?" answered no: the
	 * questions about that infrastructure do not arise */
	for (size_t i = 0; i < readiness->n; i++) {
		const char *key = record_str(readiness->items[i], RD_KEY);
		const char *ans = record_str(readiness->items[i], RD_ANSWER);

		if (key && !strcmp(key, "adds-infrastructure") && ans &&
		    strcmp(ans, "yes"))
			return 0;
	}
	for (size_t i = 0; i < readiness->n; i++) {
		const struct record *q = readiness->items[i];
		const char *ans = record_str(q, RD_ANSWER);

		if (record_int(q, RD_INFRA, 0) && ans && !strcmp(ans, "no")) {
			if (n < max)
				out[n] = q;
			n++;
		}
	}
	return n;
}

enum err_code review_gate(const struct review_doc *doc, struct err *e)
{
	const struct record *blocking[16];
	const char *status = record_str(doc->review, REVIEW_STATUS);
	struct buf b = BUF_INIT;
	size_t n;

	if (!review_kind_is(doc->review, "operability") || !status ||
	    strcmp(status, "ready"))
		return E_OK;
	n = review_readiness_blocking(&doc->children[CHILD_READINESS], blocking,
				      16);
	if (!n)
		return E_OK;
	for (size_t i = 0; i < n && i < 16; i++) {
		const char *key = record_str(blocking[i], RD_KEY);
		buf_printf(&b, "%s%s", i ? ", " : "",
			   key ? key : record_str(blocking[i], RD_QUESTION));
	}
	err_set(e, E_INVALID, "status",
		"The review cannot be ready while %s answered \"no\": %s",
		n == 1 ? "an infrastructure question is"
		       : "infrastructure questions are",
		b.oom ? "(out of memory)" : buf_cstr(&b));
	buf_release(&b);
	return E_INVALID;
}

enum err_code review_question_vote(struct arena *a, const struct record *q,
				   const char *who, struct record **patch,
				   struct err *e)
{
	const struct value *v = &q->v[Q_VOTERS];
	size_t n = v->state == V_SET ? v->nitems : 0;
	const char **items;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(v->items[i], who))
			return err_set(e, E_INVALID, "votes",
				       "%s has already voted for this "
				       "question: one vote per person",
				       who);
	items = arena_alloc(a, sizeof *items * (n + 1));
	if (!items || !(*patch = record_new(a, &question_def)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (n)
		memcpy(items, v->items, sizeof *items * n);
	items[n] = who;
	record_set_list(*patch, Q_VOTERS, items, n + 1);
	record_set_int(*patch, Q_VOTES, (int64_t)(n + 1));
	return E_OK;
}
