/* review.h: the review and the records that belong to it. The field enums
 * index the def tables in review.c; keep the two in the same order. */
#ifndef DEBRIEF_REVIEW_H
#define DEBRIEF_REVIEW_H

#include "model/record.h"

enum review_field {
	REVIEW_KIND,        /* incident, near-miss, success, game-day */
	REVIEW_TITLE,
	REVIEW_SEVERITY,    /* 1 (worst) .. 5 */
	REVIEW_STATUS,      /* draft, scheduled, reviewed, published */
	REVIEW_STARTED_AT,
	REVIEW_DETECTED_AT,
	REVIEW_FIRST_STATUS_AT,
	REVIEW_MITIGATED_AT,
	REVIEW_RESOLVED_AT,
	REVIEW_TLDR,
	REVIEW_SUMMARY,
	REVIEW_IMPACT,
	REVIEW_RESOLUTION,
	REVIEW_SURPRISING,
	REVIEW_DIFFICULT,
	REVIEW_OPEN_QUESTIONS,
	REVIEW_WENT_WELL,
	REVIEW_WENT_POORLY,
	REVIEW_DATA_SOURCES,
	REVIEW_SERVICES,    /* list */
	REVIEW_OWNER_TEAM,
	REVIEW_IMPACT_TYPE,
	REVIEW_PROBLEM_TYPE,
	REVIEW_RESTRICTED_TO, /* list of group names; empty: everyone */
	REVIEW_EXTRA,         /* front matter of an imported file that has no
			       * field here, as YAML text */
	/* architecture reviews (review_kinds.c tells which kind has which) */
	REVIEW_PROPOSERS,     /* list */
	REVIEW_PROPOSAL,
	/* its meeting (date, place, attendees) is the meeting record, as for
	 * every kind: child_defs[CHILD_MEETING], model/meeting.h */
	REVIEW_NOTES,
	REVIEW_AGREEMENTS,
	REVIEW_LEARNINGS,
	REVIEW_DECISION,      /* proceed, rethink, gather-information, stop */
	REVIEW_DECISION_REASONS,
	REVIEW_Q_COSTS,       /* the standard questions, each answered */
	REVIEW_Q_TRADEOFFS,
	REVIEW_Q_FUTURE,
	REVIEW_Q_OPERABILITY,
	REVIEW_Q_QUALITY,
	REVIEW_Q_SENSE,
	/* operability reviews */
	REVIEW_FEATURE,
	REVIEW_LAUNCH_DATE,
	REVIEW_PUSHER,
	REVIEW_TEAMS,         /* list of product, development, operations,
			       * support, qa */
	REVIEW_ARCHITECTURE_REVIEW, /* id of the architecture review */
	REVIEW_NFIELDS
};

enum timeline_field {
	TL_AT,
	TL_APPROXIMATE,
	TL_KIND, /* alert, observation, hypothesis, action, decision,
		    communication, deploy, chat, other */
	TL_ACTOR,
	TL_TEXT,
	TL_SOURCE,
	TL_CONTEXT, /* what we knew then / why it made sense */
	TL_PERSPECTIVE,
	TL_DISPUTED,
	TL_NFIELDS
};

enum followup_field {
	FU_TITLE,
	FU_DESCRIPTION,
	FU_OWNER,
	FU_HORIZON, /* short, long */
	FU_AIM,     /* prevent, detect, mitigate, respond, understand */
	FU_STATUS,  /* open, in-progress, done, wont-do */
	FU_DUE,     /* date */
	FU_TICKET,
	FU_NFIELDS
};

enum factor_field {
	FACTOR_TEXT,
	FACTOR_KIND, /* trigger, latent, exacerbating, mitigating */
	FACTOR_DESCRIPTION,
	FACTOR_NFIELDS
};

enum person_field {
	PERSON_NAME,
	PERSON_ROLE, /* responder, actor, facilitator, note-taker, attendee */
	PERSON_NFIELDS
};

enum link_field {
	LINK_URL,
	LINK_KIND, /* dashboard, status-post, forum-post, ticket, review, other */
	LINK_COMMENT,
	LINK_NFIELDS
};

enum tag_field {
	TAG_NAME,
	TAG_NFIELDS
};

/* A lint allow entry: a phrase (or a whole sentence) of the review that
 * the language coach is not to flag under one category, because the
 * people writing it judged it fine here ("not blame here"). The coach
 * reads them as its allow list; they are never part of the edit form. */
enum lint_allow_field {
	LA_PHRASE,
	LA_CATEGORY, /* a lint category name: counterfactual, root-cause, ... */
	LA_WHO,	     /* who allowed it; set by the server from the signed-in
		      * person */
	LA_NOTE,     /* why it is fine here */
	LA_NFIELDS
};

/* A comment on a review or on one of its timeline entries (issue 17),
 * threaded by parent_id. The server sets author (who wrote it) and
 * after_publication (the review was published when it was written);
 * only its author edits it, and every edit is a revision. */
enum comment_field {
	COMMENT_BODY,
	COMMENT_AUTHOR,		   /* set by the server */
	COMMENT_PARENT_ID,	   /* the comment it answers; unset: none */
	COMMENT_TIMELINE_ID,	   /* the timeline entry it is on; unset: the
				    * review */
	COMMENT_AFTER_PUBLICATION, /* set by the server */
	COMMENT_NFIELDS
};

/* Architecture reviews: a departure from the tools and patterns everyone
 * knows. */
enum departure_field {
	DEP_TECHNOLOGY, /* the new technology or pattern */
	DEP_REPLACES,
	DEP_TRADEOFFS,
	DEP_UNKNOWNS,
	DEP_NFIELDS
};

/* A question gathered before an architecture review's meeting; people
 * vote it up (one vote each), the meeting answers it. */
enum question_field {
	Q_TEXT,
	Q_ASKED_BY, /* set by the server */
	Q_VOTES,    /* set by the server: the number of voters */
	Q_VOTERS,   /* set by the server: who voted, once each */
	Q_ANSWERED,
	Q_ANSWER,
	Q_NFIELDS
};

/* An operability review's readiness question (yes / no / n-a and a
 * note); the standard ones are added when the review is created. */
enum readiness_field {
	RD_KEY,      /* set by the server: which standard question */
	RD_QUESTION,
	RD_INFRA,    /* an infrastructure question: "no" blocks "ready" */
	RD_ANSWER,   /* yes, no, n-a; unset: not answered yet */
	RD_NOTE,
	RD_NFIELDS
};

/* A row of an operability review's contingency checklist. */
enum contingency_field {
	CT_ISSUE,      /* what could go wrong */
	CT_LIKELIHOOD, /* low, medium, high */
	CT_IMPACT,     /* low, medium, high */
	CT_COMMENTS,
	CT_MITIGATION, /* engineering mitigation */
	CT_FLAG,       /* the feature flag the mitigation flips */
	CT_MESSAGING,  /* on-site messaging: what users are told */
	CT_PR_NEEDED,  /* public communication needed */
	CT_PR,         /* and what */
	CT_POSITION,   /* order among rows of the same risk */
	CT_NFIELDS
};

enum child_kind {
	CHILD_TIMELINE,
	CHILD_FOLLOWUP,
	CHILD_FACTOR,
	CHILD_PERSON,
	CHILD_LINK,
	CHILD_TAG,
	CHILD_LINT_ALLOW,
	CHILD_MEETING, /* model/meeting.h: at most one live per review */
	CHILD_COMMENT,
	CHILD_DEPARTURE,   /* architecture reviews */
	CHILD_QUESTION,    /* architecture reviews */
	CHILD_READINESS,   /* operability reviews */
	CHILD_CONTINGENCY, /* operability reviews */
	CHILD_COUNT
};

/* Variant masks of review kinds (bit k: choice k of the kind field). */
#define KINDS_INCIDENT	   0x0Fu /* incident, near-miss, success, game-day */
#define KIND_ARCHITECTURE  0x10u
#define KIND_OPERABILITY   0x20u

extern const struct record_def review_def;
extern const struct record_def timeline_def;
extern const struct record_def followup_def;
extern const struct record_def factor_def;
extern const struct record_def person_def;
extern const struct record_def link_def;
extern const struct record_def tag_def;
extern const struct record_def lint_allow_def;
extern const struct record_def meeting_def; /* model/meeting.h */
extern const struct record_def comment_def;
extern const struct record_def departure_def;
extern const struct record_def question_def;
extern const struct record_def readiness_def;
extern const struct record_def contingency_def;

/* review_kinds.c: the kinds of review beyond the post-incident ones. */
struct review_doc;

/* review_has_child tells whether a review of review's kind has children
 * of kind k (an incident has no departures, an architecture review no
 * timeline). */
int review_has_child(const struct record *review, int k);

/* review_kind_has_field / review_kind_has_child: the same for a kind
 * named as text (a form's kind field); an unknown or NULL kind has all. */
int review_kind_has_field(const char *kind, int f);
int review_kind_has_child(const char *kind, int k);
/* review_kind_has_choice: whether a review of kind may take choice c of
 * FT_ENUM field f (a status). */
int review_kind_has_choice(const char *kind, int f, int c);

/* review_kind_is_launch tells whether kind is one of the reviews held
 * before a launch (architecture, operability), whose pages are drawn
 * from the def table rather than the incident layout. */
int review_kind_is_launch(const char *kind);

/* review_kind_is tells whether review is of kind name. */
int review_kind_is(const struct record *review, const char *name);

/* review_doc_seed adds to a new operability review the standard
 * readiness questions, unless doc already has readiness questions.
 * Returns -1 on oom. */
int review_doc_seed(struct arena *a, struct review_doc *doc);

/* review_readiness_blocking lists (into out, at most max) the readiness
 * questions that keep an operability review from being ready: an
 * infrastructure question answered "no", unless the review answered "no"
 * (or n-a) to whether it adds production infrastructure at all. Returns
 * how many there are. */
size_t review_readiness_blocking(const struct record_list *readiness,
				 const struct record **out, size_t max);

/* review_gate checks what a review's children decide about the review
 * itself: an operability review cannot be "ready" while a readiness
 * question blocks (E_INVALID naming "status" and the blocking questions).
 * doc holds the review as it would be stored and its readiness list. */
enum err_code review_gate(const struct review_doc *doc, struct err *e);

/* review_contingency_risk is a row's likelihood rank times its impact
 * rank (low 1, medium 2, high 3): 1 to 9, 0 when either is unset. */
int review_contingency_risk(const struct record *row);

/* review_question_vote makes the patch that adds who's vote to question
 * q (its voters and their count): E_INVALID naming "votes" when who
 * voted for it already (one vote per person); any number of people may
 * vote. Memory from a. */
enum err_code review_question_vote(struct arena *a, const struct record *q,
				   const char *who, struct record **patch,
				   struct err *e);

/* review_kinds_check: the rules of the architecture and operability
 * fields (teams from the list); part of review_def's check. */
void review_kinds_check(const struct record *r, struct field_errors *errs);

/* review_flag_name_valid: a feature flag's name is 1 to 100 of a-z, A-Z,
 * 0-9, '_', '-', '.' and ':' (no spaces). */
int review_flag_name_valid(const char *name);

/* child_in_form tells whether kind k is edited in the review's edit form;
 * the others (lint allow entries, the meeting, comments) have their own
 * buttons and forms, and the edit form keeps them as they are. */
int child_in_form(int k);

/* child_defs[k] is the def of child kind k; its segment names the JSON key
 * in a review ("timeline", "followups", "factors", "people", "links",
 * "tags", "lint-allows", "meetings", "comments") and the URL segment of
 * its API. */
extern const struct record_def *const child_defs[CHILD_COUNT];

/* child_kind_from_segment returns the kind for "timeline" etc., -1 if none. */
int child_kind_from_segment(const char *segment);

/* A review with everything that belongs to it. */
struct review_doc {
	struct record *review;
	struct record_list children[CHILD_COUNT];
	/* the live tickets of its follow-ups, by id (model/ticket.h), as
	 * store_ticket_list reads them: store_review_get reads them with
	 * the rest, in the same round trip */
	struct record_list tickets;
};

/* The durations derived from the review's times; -1 when a time is unset. */
struct review_durations {
	int64_t to_detect;   /* detected - started */
	int64_t to_mitigate; /* mitigated - started */
	int64_t to_resolve;  /* resolved - started */
};
void review_durations(const struct record *review, struct review_durations *d);

/* Who is reading, for restricted reviews: all (admins, the CLI, internal
 * reads) sees every review; otherwise groups_json is the reader's groups
 * as JSON list text ("[]", NULL: none). Only the string items of a JSON
 * array count as groups; anything else counts as no group. */
struct viewer {
	int all;
	const char *groups_json;
};

/* review_visible is the one rule of who sees a review: a viewer that sees
 * all (or NULL), or a review with no restricted_to, or one whose
 * restricted_to shares a group with the viewer's groups. The store's SQL
 * twin (sqlite_visible.c) must agree; tests/unit/test_visibility.c checks
 * that it does. */
int review_visible(const struct record *review, const struct viewer *v);

/* review_in_groups tells whether group is one of groups_json's items. */
int review_in_groups(const char *groups_json, const char *group);

/* review_group_valid tells whether name is a valid group name: 1 to 64
 * characters of a-z, 0-9, '.', '_' and '-'. */
int review_group_valid(const char *name);

/* A search (the q of the index page and of GET /api/v1/reviews) is at
 * most REVIEW_SEARCH_MAX bytes and REVIEW_SEARCH_MAX_TERMS words: every
 * word is a prefix query over the full-text index, and 18 KB of one-letter
 * words cost 2 s a request. */
#define REVIEW_SEARCH_MAX       500
#define REVIEW_SEARCH_MAX_TERMS 32

/* review_search_terms counts the words of a search as the store queries
 * them: runs of non-space bytes holding a letter, a digit or a non-ASCII
 * byte (punctuation alone is not searched). */
size_t review_search_terms(const char *q);

/* review_search_check checks q against the limits above and UTF-8: E_OK,
 * or E_BAD_REQUEST naming field "q" with a message for the person. */
enum err_code review_search_check(const char *q, struct err *e);

/* review_sort_children orders each child list: timeline by time (then id),
 * the others by id. */
void review_sort_children(struct review_doc *doc);

#endif
