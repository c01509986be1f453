/* tickets.c: follow-ups' tickets between the store and the trackers (see
 * tickets.h). */
#include "integrations/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/review.h"
#include "model/ticket.h"
#include "util/log.h"
#include "util/timeutil.h"

const struct tracker_limits tickets_request_limits = {5, 2, NULL};
const struct tracker_limits tickets_sync_limits = {120, 8, NULL};

static const char *kind_name(const struct tracker_config *t)
{
	return t->type == TRACKER_JIRA ? "Jira" : "GitHub";
}

/* state_into sets the state fields of r from what the tracker said. */
static void state_into(struct arena *a, struct record *r,
		       const struct tracker_ticket *tt, int64_t now)
{
	if (tt->status[0])
		record_set_str(r, TK_STATUS, arena_strdup(a, tt->status));
	else
		record_set_null(r, TK_STATUS);
	record_set_int(r, TK_DONE, tt->done);
	if (tt->assignee[0])
		record_set_str(r, TK_ASSIGNEE, arena_strdup(a, tt->assignee));
	else
		record_set_null(r, TK_ASSIGNEE);
	if (tt->updated > 0)
		record_set_int(r, TK_UPDATED, tt->updated);
	record_set_int(r, TK_READ_AT, now);
	record_set_null(r, TK_ERROR);
	record_set_null(r, TK_ERROR_AT);
}

enum err_code tickets_attach(struct store *st, const struct config *cfg,
			     struct arena *a, const char *actor,
			     int64_t review_id, int64_t fid,
			     const char *tracker, const char *key_text,
			     const char *review_link, int *created,
			     int *upstream, struct err *e)
{
	const struct tracker_config *t = config_tracker_find(cfg, tracker);
	struct tracker_ticket tt;
	struct http_client *hc;
	struct record *fu, *rec;
	char key[200];
	enum err_code rc;

	*created = *upstream = 0;
	if (!tracker || !*tracker)
		return err_set(e, E_INVALID, "tracker",
			       "tracker is required: the name of a configured "
			       "tracker");
	if (!t)
		return err_set(e, E_INVALID, "tracker",
			       "no tracker named '%.40s' is configured",
			       tracker);
	if ((rc = store_child_get(st, a, CHILD_FOLLOWUP, review_id, fid, &fu,
				  e)) != E_OK)
		return rc;
	if (key_text &&
	    (rc = tracker_key(t, key_text, key, sizeof key, e)) != E_OK)
		return rc;
	if (!(hc = http_client_new()))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (key_text) {
		rc = tracker_read(hc, t, key, &tickets_request_limits, &tt, e);
	} else {
		struct tracker_new in = {record_str(fu, FU_TITLE),
					 record_str(fu, FU_DESCRIPTION),
					 review_link, record_str(fu, FU_OWNER)};
		rc = tracker_create(hc, t, &in, &tickets_request_limits, &tt,
				    e);
		*created = rc == E_OK;
	}
	http_client_free(hc);
	if (rc != E_OK) {
		/* no such ticket, or a field the tracker refused: the
		 * person's to fix; anything else is the tracker's fault */
		*upstream = rc != E_NOT_FOUND && rc != E_INVALID &&
			    rc != E_NOMEM;
		return rc;
	}
	if (!(rec = record_new(a, &ticket_def)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	record_set_int(rec, TK_FOLLOWUP_ID, fid);
	record_set_str(rec, TK_TRACKER, arena_strdup(a, t->name));
	record_set_str(rec, TK_KEY, arena_strdup(a, tt.key));
	record_set_str(rec, TK_URL, arena_strdup(a, tt.url));
	state_into(a, rec, &tt, time_now());
	record_set_int(rec, TK_CLOSE_SENT, 0);
	if (record_validate(rec, e) != E_OK) {
		/* the tracker answered something debrief cannot keep (a
		 * URL that is not http(s), say): its fault, not the person's */
		char msg[sizeof e->message];
		snprintf(msg, sizeof msg, "%s", e->message);
		*upstream = 1;
		return err_set(e, E_IO, "tracker",
			       "%s %s answered an unusable ticket: %s",
			       kind_name(t), t->name, msg);
	}
	return store_ticket_link(st, a, actor, review_id, rec, NULL, e);
}

/* follow_ticket marks r's follow-up done when r just became done
 * (was_done: before this read) and t says so (close_followup): a
 * revision by the tracker, as if someone had changed the status. A
 * follow-up reopened later stays open until its ticket closes again. */
static void follow_ticket(struct store *st, struct arena *a,
			  const struct tracker_config *t,
			  const struct record *r, int was_done,
			  struct sync_report *rep)
{
	struct record *fu, *patch;
	const char *status;
	struct err e;

	if (!t->close_followup || was_done || !record_int(r, TK_DONE, 0))
		return;
	err_clear(&e);
	if (store_child_get(st, a, CHILD_FOLLOWUP, r->review_id,
			    record_int(r, TK_FOLLOWUP_ID, 0), &fu, &e) != E_OK)
		return;
	status = record_str(fu, FU_STATUS);
	if (status && (!strcmp(status, "done") || !strcmp(status, "wont-do")))
		return;
	if (!(patch = record_new(a, &followup_def)))
		return;
	record_set_str(patch, FU_STATUS, "done");
	if (store_child_update(st, a, arena_printf(a, "%s (tracker)", t->name),
			       CHILD_FOLLOWUP, r->review_id, fu->id, 0, patch,
			       NULL, NULL, &e) != E_OK)
		log_warn("sync: follow-up %lld: %s", (long long)fu->id,
			 e.message);
	else if (rep)
		rep->followups_done++;
}

/* save_failure keeps why a ticket could not be read; its state stays. */
static void save_failure(struct store *st, struct arena *a, struct record *r,
			 const char *why, int64_t now, struct sync_report *rep)
{
	int changed = 0;
	struct err e;

	record_set_str(r, TK_ERROR, arena_strdup(a, why));
	record_set_int(r, TK_ERROR_AT, now);
	err_clear(&e);
	if (store_ticket_save_state(st, a, r, &changed, &e) != E_OK &&
	    e.code != E_NOT_FOUND)
		log_warn("sync: ticket %lld: %s", (long long)r->id, e.message);
	rep->changed += changed;
}

/* close_done closes the tickets of done follow-ups (close_ticket). */
static void close_done(struct store *st, struct arena *a,
		       struct http_client *hc, const struct tracker_config *t,
		       const struct tracker_limits *lim,
		       const struct record_list *l, struct sync_report *rep)
{
	for (size_t i = 0; i < l->n; i++) {
		struct record *r = l->items[i], *fu;
		const char *status;
		struct err e;
		int changed = 0;

		if (record_int(r, TK_DONE, 0) ||
		    record_int(r, TK_CLOSE_SENT, 0))
			continue;
		err_clear(&e);
		if (store_child_get(st, a, CHILD_FOLLOWUP, r->review_id,
				    record_int(r, TK_FOLLOWUP_ID, 0), &fu,
				    &e) != E_OK)
			continue;
		status = record_str(fu, FU_STATUS);
		if (!status || strcmp(status, "done"))
			continue;
		if (tracker_close(hc, t, record_str(r, TK_KEY), lim, &e) !=
		    E_OK) {
			save_failure(st, a, r, e.message, time_now(), rep);
			continue;
		}
		record_set_int(r, TK_CLOSE_SENT, 1);
		record_set_int(r, TK_DONE, 1);
		record_set_str(r, TK_STATUS, "closed by debrief");
		record_set_int(r, TK_READ_AT, time_now());
		if (store_ticket_save_state(st, a, r, &changed, &e) == E_OK)
			rep->closed++;
		rep->changed += changed;
	}
}

/* SYNC_CHUNK bounds the tickets read between two rounds of writes (and
 * the memory for what the tracker said). */
#define SYNC_CHUNK 500

/* sync_chunk reads l->items[at..at+n) from the tracker and stores what it
 * said: E_OK, or the tracker's error (te) after marking the chunk's
 * unread tickets as failed with it. */
static enum err_code sync_chunk(struct store *st, struct arena *a,
				struct http_client *hc,
				const struct tracker_config *t,
				const struct tracker_limits *lim,
				const struct record_list *l, size_t at,
				size_t n, struct tracker_ticket *items,
				struct sync_report *rep, struct err *te)
{
	int64_t now = time_now();
	enum err_code read_rc;

	memset(items, 0, sizeof *items * n);
	for (size_t i = 0; i < n; i++)
		snprintf(items[i].key, sizeof items[i].key, "%s",
			 record_str(l->items[at + i], TK_KEY));
	read_rc = tracker_read_many(hc, t, items, n, lim, te);
	for (size_t i = 0; i < n; i++) {
		struct record *r = l->items[at + i];
		int changed = 0;

		if (items[i].found) {
			int was_done = (int)record_int(r, TK_DONE, 0);
			struct err se;
			rep->read++;
			state_into(a, r, &items[i], now);
			err_clear(&se);
			if (store_ticket_save_state(st, a, r, &changed, &se) !=
				    E_OK &&
			    se.code != E_NOT_FOUND)
				log_warn("sync: ticket %lld: %s",
					 (long long)r->id, se.message);
			else
				follow_ticket(st, a, t, r, was_done, rep);
			rep->changed += changed;
		} else if (read_rc == E_OK) {
			char why[300];
			rep->missing++;
			snprintf(why, sizeof why,
				 "%s %s has no ticket %.200s any more",
				 kind_name(t), t->name, items[i].key);
			save_failure(st, a, r, why, now, rep);
		} else {
			rep->failed++;
			save_failure(st, a, r, te->message, now, rep);
		}
	}
	return read_rc;
}

/* sync_one syncs one tracker's tickets, the least recently read first,
 * SYNC_CHUNK at a time; a tracker's failure stops it (the tickets not
 * reached are the first ones next time). */
static enum err_code sync_one(struct store *st, const struct tracker_config *t,
			      const struct tracker_limits *lim,
			      struct sync_report *rep, struct err *e)
{
	struct arena *a = arena_new();
	struct http_client *hc = http_client_new();
	struct tracker_ticket *items = NULL;
	struct record_list l = {0};
	enum err_code rc;
	struct err te;

	if (!a || !hc) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = store_ticket_sync_list(st, a, t->name, &l, e)) != E_OK ||
	    l.n == 0)
		goto out;
	if (!(items = calloc(l.n < SYNC_CHUNK ? l.n : SYNC_CHUNK,
			     sizeof *items))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	err_clear(&te);
	for (size_t at = 0; at < l.n; at += SYNC_CHUNK) {
		size_t n = l.n - at < SYNC_CHUNK ? l.n - at : SYNC_CHUNK;

		if (sync_chunk(st, a, hc, t, lim, &l, at, n, items, rep,
			       &te) != E_OK) {
			rep->trackers_failed++;
			if (!rep->first_error[0])
				snprintf(rep->first_error,
					 sizeof rep->first_error, "%s",
					 te.message);
			rc = err_set(e, te.code, te.field, "%s", te.message);
			goto out;
		}
	}
	if (t->close_ticket)
		close_done(st, a, hc, t, lim, &l, rep);
out:
	free(items);
	http_client_free(hc);
	arena_free(a);
	return rc;
}

enum err_code tickets_sync(struct store *st, const struct config *cfg,
			   const char *tracker,
			   const struct tracker_limits *lim,
			   struct sync_report *rep, struct err *e)
{
	enum err_code rc = E_OK;
	int seen = 0;

	memset(rep, 0, sizeof *rep);
	for (int i = 0; i < cfg->ntrackers; i++) {
		const struct tracker_config *t = &cfg->trackers[i];
		struct err one;
		enum err_code r;

		if (tracker && strcmp(tracker, t->name))
			continue;
		seen = 1;
		err_clear(&one);
		r = sync_one(st, t, lim, rep, &one);
		if (r != E_OK) {
			log_warn("sync: %s", one.message);
			if (rc == E_OK) {
				rc = r;
				if (e)
					*e = one;
			}
		}
	}
	if (tracker && !seen)
		return err_set(e, E_INVALID, "tracker",
			       "no tracker named '%.40s' is configured",
			       tracker);
	return rc;
}

enum err_code tickets_apply(struct store *st, struct arena *a,
			    const struct tracker_config *t,
			    const struct tracker_ticket *tt, int gone, int *n,
			    struct err *e)
{
	struct record_list l = {0};
	int64_t now = time_now();
	enum err_code rc;

	*n = 0;
	if ((rc = store_ticket_find(st, a, t->name, tt->key, &l, e)) != E_OK)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		struct record *r = l.items[i];
		int was_done = (int)record_int(r, TK_DONE, 0);

		if (gone) {
			record_set_str(r, TK_ERROR,
				       arena_printf(a,
						    "%s says %.200s was deleted "
						    "or moved away",
						    t->name, tt->key));
			record_set_int(r, TK_ERROR_AT, now);
		} else {
			state_into(a, r, tt, now);
		}
		rc = store_ticket_save_state(st, a, r, NULL, e);
		if (rc == E_NOT_FOUND)
			continue;
		if (rc != E_OK)
			return rc;
		follow_ticket(st, a, t, r, was_done, NULL);
		(*n)++;
	}
	return E_OK;
}
