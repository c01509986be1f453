/* meeting.h: the review meeting, a child kind of a review (child_defs
 * [CHILD_MEETING]): when and where, who facilitates and takes notes, who
 * is invited, the agenda; and, once it runs, who came, the parking lot and
 * the notes. A review has at most one live meeting; cancelling it keeps
 * the record (status "cancelled") so that its invite can be withdrawn
 * under the same UID. Architecture reviews hold the same record. */
#ifndef DEBRIEF_MEETING_H
#define DEBRIEF_MEETING_H

#include "model/record.h"

enum meeting_field {
	MEETING_START,       /* UTC instant */
	MEETING_END,         /* UTC instant, after start */
	MEETING_TIMEZONE,    /* IANA name the invite is written in: "UTC" */
	MEETING_LOCATION,    /* a room, or the words of a video link */
	MEETING_VIDEO_URL,
	MEETING_FACILITATOR,
	MEETING_NOTE_TAKER,
	MEETING_INVITEES,    /* names, addresses, "Name <address>" */
	MEETING_AGENDA,
	MEETING_NOTES_URL,   /* where the notes live, when elsewhere */
	MEETING_STATUS,      /* scheduled, held, cancelled */
	MEETING_ATTENDED,    /* who came: invitees checked off, walk-ins */
	MEETING_PARKING_LOT, /* tangents, one a line */
	MEETING_NOTES,       /* the note taker's notes */
	MEETING_FACILITATOR_WANTED, /* "ask for a facilitator": listed on
				     * the calendar page until taken */
	MEETING_NFIELDS
};

extern const struct record_def meeting_def;

/* MEETING_INVITEES_MAX is the most invitees a meeting can hold at all;
 * the configuration's meeting_max_invitees (edge check) is lower. */
#define MEETING_INVITEES_MAX 10000
/* A meeting lasts at most this long. */
#define MEETING_MAX_MINUTES (24 * 60)

/* meeting_address_valid tells whether s is a plain e-mail address:
 * local@domain, no spaces or angle brackets, a dot in the domain. */
int meeting_address_valid(const char *s);

/* meeting_invitee splits an invitee item: "Ana <ana@x.org>" gives name
 * "Ana" and address "ana@x.org"; "ana@x.org" gives the address and no
 * name; "Ana" gives the name and no address. Strings from a (NULL when
 * absent). Returns -1 when the item holds an invalid address. */
int meeting_invitee(struct arena *a, const char *item, const char **name,
		    const char **address);

/* meeting_replace builds the meeting a PUT (or the meeting form) asks
 * for, from the current one (NULL: none) and what was given: the
 * scheduling fields (start .. notes_url) are replaced, one left out is
 * cleared (the time zone back to UTC); attended, parking_lot, notes,
 * status and facilitator_wanted are kept unless given, a cancelled
 * meeting is scheduled again, and a facilitator ends the request for one.
 * Defaults filled; not validated. Memory from a; NULL on oom. */
struct record *meeting_replace(struct arena *a, const struct record *cur,
			       const struct record *given);

/* meeting_minutes is the length of the meeting in whole minutes. */
int64_t meeting_minutes(const struct record *m);

/* meeting_check_limits adds the rules that depend on the configuration:
 * at most max_invitees invitees. */
void meeting_check_limits(const struct record *m, long max_invitees,
			  struct field_errors *errs);

/* meeting_overdue_days tells how many whole days past its meeting's
 * deadline (resolved_at + days) a review is at now: 0 before the deadline
 * and on the first day after it (resolved 15 days ago with 14 days: 1). */
int64_t meeting_overdue_days(int64_t resolved_at, int64_t now, long days);

/* meeting_lag_days is how many days after the review's resolution its
 * meeting m met: < 0 (-1) when the review is not resolved (resolved_at 0)
 * or the meeting was cancelled or has not started by now. */
double meeting_lag_days(const struct record *m, int64_t resolved_at,
			int64_t now);

/* The lag from an incident's resolution to its review meeting, by the
 * month the incident resolved (UTC): the median in days and how many
 * reviews. */
struct meeting_lag_month {
	int year, month;
	double median_days;
	size_t reviews;
};

/* meeting_lag_months groups n pairs (resolved[i], met[i]), sorted by
 * resolved, into out (room for n) and returns how many months it wrote.
 * lags[] is scratch room for n doubles. */
size_t meeting_lag_months(const int64_t *resolved, const int64_t *met,
			  size_t n, double *lags,
			  struct meeting_lag_month *out);

/* The run of show: the meeting's phases and their timeboxes, from the
 * configuration (meeting_phases): "name:minutes" items, comma-separated,
 * one of them may be "name:*" for the rest of the meeting. */
#define MEETING_PHASES_DEFAULT "intro:5,timeline:40,questions:10,follow-ups:*"
#define MEETING_PHASES_MAX 12

struct meeting_phase {
	char name[32];
	int minutes; /* -1: the rest of the meeting */
};

struct meeting_phases {
	struct meeting_phase p[MEETING_PHASES_MAX];
	size_t n;
};

/* meeting_phases_parse reads a phase plan; -1 with a reason in why when it
 * is malformed (no phase, a bad name or number, two "*"). */
int meeting_phases_parse(const char *text, struct meeting_phases *out,
			 char *why, size_t whylen);

/* meeting_phases_fit gives each phase its minutes in a meeting of total
 * minutes (the "*" phase gets what is left) into minutes[]. Returns 0
 * when the plan adds up to the meeting, -1 with a reason in why when it
 * does not (then minutes[] still holds the plan, "*" at 0). */
int meeting_phases_fit(const struct meeting_phases *ph, int64_t total,
		       int minutes[MEETING_PHASES_MAX], char *why,
		       size_t whylen);

/* meeting_phase_prompts gives the facilitator's prompts for a phase by
 * its name (the talks' questions); "" for a phase it does not know. */
const char *meeting_phase_prompts(const char *name);

#endif
