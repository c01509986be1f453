/* ticket.h: a follow-up's ticket in an issue tracker (Jira, GitHub), as
 * debrief last read it. One live ticket per follow-up. Written by linking
 * (a person) and by syncing (the server, `debrief sync`, webhooks); never
 * edited as a form, so its changes are not revisions: linking is recorded
 * as the follow-up's own "ticket" field changing. */
#ifndef DEBRIEF_TICKET_H
#define DEBRIEF_TICKET_H

#include "model/record.h"

enum ticket_field {
	TK_FOLLOWUP_ID, /* the follow-up it belongs to */
	TK_TRACKER,	/* the tracker's name in the configuration */
	TK_KEY,		/* "OPS-7"; GitHub: "owner/name#12" */
	TK_URL,		/* the ticket's page for people */
	TK_STATUS,	/* the tracker's own name of its state */
	TK_DONE,	/* resolved or closed */
	TK_ASSIGNEE,
	TK_UPDATED, /* when the tracker last changed it */
	TK_READ_AT, /* when debrief last read it successfully */
	TK_ERROR,   /* why the last read failed; unset when it worked */
	TK_ERROR_AT,
	TK_CLOSE_SENT, /* debrief closed it because the follow-up was done */
	TK_NFIELDS
};

extern const struct record_def ticket_def;

/* ticket_state_changed tells whether b differs from a in what a page
 * shows of a ticket (status, done, assignee, updated, error), so that a
 * sync which only read the same state again changes no version. */
int ticket_state_changed(const struct record *a, const struct record *b);

#endif
