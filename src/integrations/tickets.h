/* tickets.h: follow-ups' tickets, the steps the API, the web pages, `debrief
 * sync`, the server's sync job and the webhooks share: attach a ticket to
 * a follow-up (create or link), read many tickets back and keep what they
 * say (sync), and apply one ticket's new state (a webhook). Trackers are
 * called here, never while a page renders. */
#ifndef DEBRIEF_TICKETS_H
#define DEBRIEF_TICKETS_H

#include <stdint.h>

#include "config.h"
#include "integrations/tracker.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* A person waits on these calls: a rate limit longer than this fails. */
extern const struct tracker_limits tickets_request_limits;
/* `debrief sync` and the server's job wait longer. */
extern const struct tracker_limits tickets_sync_limits;

/* tickets_attach creates a ticket for follow-up fid of review_id in the
 * tracker named tracker (key_text NULL), or links the ticket key_text (a
 * key or URL) after reading it, and stores it (store_ticket_link).
 * review_link is the review's address for the new ticket's text.
 * *created tells which. *upstream is 1 when the tracker failed (its
 * answer, not the input: a 502 for the API), 0 otherwise. E_INVALID for
 * an unknown tracker (field "tracker") or a bad key (field "key"),
 * E_NOT_FOUND for a ticket the tracker does not have (field "key") or
 * a follow-up that is not there. */
enum err_code tickets_attach(struct store *st, const struct config *cfg,
			     struct arena *a, const char *actor,
			     int64_t review_id, int64_t fid,
			     const char *tracker, const char *key_text,
			     const char *review_link, int *created,
			     int *upstream, struct err *e);

/* What one sync did. */
struct sync_report {
	int64_t read;	 /* tickets read back */
	int64_t changed; /* whose state changed */
	int64_t missing; /* the tracker has no such ticket any more */
	int64_t failed;	 /* could not be read (the error kept on each) */
	int64_t closed;	 /* closed because their follow-up is done */
	int64_t followups_done; /* follow-ups marked done by their ticket */
	int trackers_failed;
	char first_error[256];
};

/* tickets_sync reads every linked ticket of every configured tracker (of
 * tracker only, when not NULL) in batches, stores what changed (a failure
 * is kept on each ticket as its error, the state it had stays), marks
 * done the follow-ups whose ticket became done (trackers with
 * close_followup), and closes the tickets of done follow-ups (trackers
 * with close_ticket).
 * Returns E_OK when every tracker answered; otherwise the first
 * tracker's error, with the rest synced all the same. */
enum err_code tickets_sync(struct store *st, const struct config *cfg,
			   const char *tracker,
			   const struct tracker_limits *lim,
			   struct sync_report *rep, struct err *e);

/* tickets_apply stores tt, a ticket's state a webhook reported, on every
 * follow-up linked to t's key tt->key; *n counts them. With gone set, the
 * ticket was deleted or moved away: its state stays and its error says
 * so. Like a sync, a ticket that became done marks its follow-up done
 * when t->close_followup is set. */
enum err_code tickets_apply(struct store *st, struct arena *a,
			    const struct tracker_config *t,
			    const struct tracker_ticket *tt, int gone, int *n,
			    struct err *e);

#endif
