/* ticket.c: the def table of a follow-up's ticket (see ticket.h). */
#include "model/ticket.h"

#include <string.h>

static const struct field_def ticket_fields[TK_NFIELDS] = {
	[TK_FOLLOWUP_ID] = {"followup_id", "Follow-up", FT_INT,
			    F_REQUIRED | F_INTERNAL, NULL, 1, INT64_MAX, 0,
			    NULL, NULL},
	[TK_TRACKER] = {"tracker", "Tracker", FT_TEXT, F_REQUIRED, NULL, 0, 0,
			31, NULL, NULL},
	[TK_KEY] = {"key", "Key", FT_TEXT, F_REQUIRED, NULL, 0, 0, 200, NULL,
		    NULL},
	[TK_URL] = {"url", "URL", FT_URL, F_REQUIRED, NULL, 0, 0, 2000, NULL,
		    NULL},
	[TK_STATUS] = {"status", "Status", FT_TEXT, 0, NULL, 0, 0, 200, NULL,
		       NULL},
	[TK_DONE] = {"done", "Done", FT_BOOL, 0, NULL, 0, 1, 0,
		     "Resolved or closed in the tracker", "false"},
	[TK_ASSIGNEE] = {"assignee", "Assignee", FT_TEXT, 0, NULL, 0, 0, 200,
			 NULL, NULL},
	[TK_UPDATED] = {"updated", "Last update", FT_TIME, 0, NULL, 0, 0, 0,
			"In the tracker", NULL},
	[TK_READ_AT] = {"read_at", "Read", FT_TIME, 0, NULL, 0, 0, 0,
			"When debrief last read it", NULL},
	[TK_ERROR] = {"error", "Error", FT_TEXT, 0, NULL, 0, 0, 300,
		      "Why the last read failed", NULL},
	[TK_ERROR_AT] = {"error_at", "Error time", FT_TIME, 0, NULL, 0, 0, 0,
			 NULL, NULL},
	[TK_CLOSE_SENT] = {"close_sent", "Closed by debrief", FT_BOOL, 0, NULL,
			   0, 1, 0, NULL, "false"},
};

const struct record_def ticket_def = {
	"ticket", "tickets", "tickets", ticket_fields, TK_NFIELDS, NULL, -1,
	.variants = NULL,
};

static int same_text(const struct record *a, const struct record *b, int f)
{
	const char *x = record_str(a, f), *y = record_str(b, f);

	return (!x && !y) || (x && y && !strcmp(x, y));
}

int ticket_state_changed(const struct record *a, const struct record *b)
{
	return !same_text(a, b, TK_STATUS) || !same_text(a, b, TK_ASSIGNEE) ||
	       !same_text(a, b, TK_ERROR) ||
	       record_int(a, TK_DONE, 0) != record_int(b, TK_DONE, 0) ||
	       record_int(a, TK_UPDATED, 0) != record_int(b, TK_UPDATED, 0);
}
