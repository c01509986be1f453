/* tracker.h: tickets in issue trackers (Jira Cloud REST v3, Jira Server /
 * Data Center REST v2, GitHub Issues REST, GitHub Enterprise included),
 * for follow-ups: create one, read one (to link it), read many at once
 * (sync), close one. Every call goes through util/http_client.c with the
 * tracker's timeout; rate limits are waited out within the caller's
 * limits. Messages name the tracker and what went wrong (401: the
 * credentials; 404: no such ticket; HTML instead of JSON; a timeout) and
 * never a token. */
#ifndef DEBRIEF_TRACKER_H
#define DEBRIEF_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "util/err.h"
#include "util/http_client.h"

/* A ticket as the tracker tells it. */
struct tracker_ticket {
	char key[200];	    /* "OPS-7"; GitHub: "owner/name#12" */
	char url[600];	    /* its page for people */
	char status[200];   /* the tracker's name of its state */
	int done;	    /* resolved or closed */
	char assignee[200]; /* display name or login; "" none */
	int64_t updated;    /* UTC seconds; 0 unknown */
	int found;	    /* tracker_read_many: 0 when the tracker has none */
};

/* What a new ticket says. */
struct tracker_new {
	const char *summary;	 /* the follow-up's title */
	const char *description; /* plain text or markdown; may be NULL */
	const char *link;	 /* the review's address, put in the text */
	const char *owner;	 /* the follow-up's owner: assigned when
				  * tracker.NAME.users maps it */
};

/* How long a caller lets rate limits hold it: a request a person waits on
 * gives up fast, `debrief sync` and the background job wait longer. */
struct tracker_limits {
	unsigned max_wait; /* seconds one wait may take */
	int max_retries;
	unsigned (*sleep_fn)(unsigned seconds); /* NULL: sleep(3) */
};

/* tracker_key parses what a person typed to link a ticket of t: a key
 * ("OPS-7"; GitHub "12", "#12", "owner/name#12") or the ticket's URL
 * (".../browse/OPS-7", "https://github.com/owner/name/issues/12"), into
 * the canonical key. E_INVALID (field "key") when it is neither, or names
 * another project or repository. */
enum err_code tracker_key(const struct tracker_config *t, const char *text,
			  char *key, size_t n, struct err *e);

/* tracker_create files a new ticket and reads it back into out. */
enum err_code tracker_create(struct http_client *hc,
			     const struct tracker_config *t,
			     const struct tracker_new *in,
			     const struct tracker_limits *lim,
			     struct tracker_ticket *out, struct err *e);

/* tracker_read reads one ticket by canonical key: E_NOT_FOUND (field
 * "key") when the tracker has none. */
enum err_code tracker_read(struct http_client *hc,
			   const struct tracker_config *t, const char *key,
			   const struct tracker_limits *lim,
			   struct tracker_ticket *out, struct err *e);

/* tracker_read_many reads the tickets whose keys items[i].key hold, in
 * batches (Jira: a search with JQL key in (...), 50 a page, or key by key
 * where the search fails; GitHub: a GraphQL query of 50 issues, or issue
 * by issue without GraphQL), filling each item and its found flag. An error stops it:
 * items read before it keep what was read (their found set). */
enum err_code tracker_read_many(struct http_client *hc,
				const struct tracker_config *t,
				struct tracker_ticket *items, size_t n,
				const struct tracker_limits *lim,
				struct err *e);

/* tracker_close resolves a ticket (Jira: the first transition to a done
 * status; GitHub: state closed, reason completed). */
enum err_code tracker_close(struct http_client *hc,
			    const struct tracker_config *t, const char *key,
			    const struct tracker_limits *lim, struct err *e);

/* tracker_map_user looks owner up in t->users ("name=id, ..."): the
 * tracker's id into out and 1, or 0 when it is not mapped. */
int tracker_map_user(const struct tracker_config *t, const char *owner,
		     char *out, size_t n);

#endif
