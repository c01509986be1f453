/* transcript.h: one message of a chat transcript (a Slack export, an IRC
 * log) stored with a review. Messages are keyed by (review, channel, ts):
 * importing the same export twice adds nothing. They are read, filtered
 * and promoted to timeline entries, never edited. */
#ifndef DEBRIEF_TRANSCRIPT_H
#define DEBRIEF_TRANSCRIPT_H

#include "model/record.h"

enum transcript_field {
	TR_CHANNEL,   /* "#ops", "incident-42" */
	TR_TS,        /* the message's key in its channel: Slack's ts, or
		       * "SECONDS:LINE" for logs */
	TR_AT,        /* UTC seconds */
	TR_AT_US,     /* microseconds within the second (ordering) */
	TR_AUTHOR,
	TR_TEXT,      /* plain text, mentions resolved, escaping undone */
	TR_KIND,      /* message, other (joins, parts, topics, nick changes) */
	TR_THREAD_TS, /* the ts of the thread's parent; unset: none */
	TR_EDITED,    /* the message was edited after it was sent */
	TR_SOURCE,    /* where it came from: "general/2026-11-20.json",
		       * "irc.log:12" */
	TR_NFIELDS
};

#define TRANSCRIPT_TEXT_MAX (40 * 1024)

extern const struct record_def transcript_def;

/* transcript_text_fix makes s (n bytes) fit the def: at most
 * TRANSCRIPT_TEXT_MAX bytes cut on a character boundary, NUL bytes and
 * control characters but tab and newline dropped. Returns a copy from a
 * (NULL on oom). Input must be valid UTF-8. */
char *transcript_text_fix(struct arena *a, const char *s, size_t n);

#endif
