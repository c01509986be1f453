/* tracker_internal.h: what tracker.c shares with jira.c and github.c: one
 * JSON call to a tracker with its credentials, and its errors in words. */
#ifndef DEBRIEF_TRACKER_INTERNAL_H
#define DEBRIEF_TRACKER_INTERNAL_H

#include <jansson.h>

#include "integrations/tracker.h"
#include "util/buf.h"

/* One tracker's calls in one go: credentials, limits, the client. */
struct tconn {
	struct http_client *hc;
	const struct tracker_config *t;
	const struct tracker_limits *lim;
	char what[64];	 /* "Jira ops", for messages */
	struct buf auth; /* the Authorization header (a secret) */
	const char *headers[6];
	char userpwd[400]; /* Jira Basic auth (a secret) */
};

/* tconn_open / tconn_close: credentials are wiped on close. */
enum err_code tconn_open(struct tconn *c, struct http_client *hc,
			 const struct tracker_config *t,
			 const struct tracker_limits *lim, struct err *e);
void tconn_close(struct tconn *c);

/* tconn_call sends body (may be NULL) to url and parses the JSON answer
 * into *out (NULL for 204; the caller releases it). Errors: E_NOT_FOUND
 * for 404; E_INVALID for 400 and 422 with the tracker's own words; E_IO
 * for a refused credential (401, 403), a server error, HTML or anything
 * not JSON, a timeout, a rate limit it could not wait out. */
enum err_code tconn_call(struct tconn *c, const char *method, const char *url,
			 json_t *body, long *status, json_t **out,
			 struct err *e);

/* tracker_time parses "2026-12-01T10:00:00.000+0000", "...Z" or
 * "...+01:00" into UTC seconds; 0 when it cannot. */
int64_t tracker_time(const char *s);

/* tracker_copy copies s (NULL: "") into dst of n bytes, cut short. */
void tracker_copy(char *dst, size_t n, const char *s);

/* jira_key_valid: key is a Jira key as Jira writes it (OPS-123). */
int jira_key_valid(const char *key);

/* tracker_labels returns t->labels as a JSON array of trimmed names
 * (spaces as '-' when nospace); NULL on oom. */
json_t *tracker_labels(const struct tracker_config *t, int nospace);

/* jira_issue_read / github_issue_read fill out from an issue object of
 * the tracker's REST API (the same objects its webhooks send); out->found
 * is 0 when it is not one. */
void jira_issue_read(const struct tracker_config *t, json_t *issue,
		     struct tracker_ticket *out);
void github_issue_read(const struct tracker_config *t, json_t *issue,
		       struct tracker_ticket *out);

enum err_code jira_create(struct tconn *c, const struct tracker_new *in,
			  struct tracker_ticket *out, struct err *e);
enum err_code jira_read(struct tconn *c, const char *key,
			struct tracker_ticket *out, struct err *e);
enum err_code jira_read_many(struct tconn *c, struct tracker_ticket *items,
			     size_t n, struct err *e);
enum err_code jira_close(struct tconn *c, const char *key, struct err *e);

enum err_code github_create(struct tconn *c, const struct tracker_new *in,
			    struct tracker_ticket *out, struct err *e);
enum err_code github_read(struct tconn *c, const char *key,
			  struct tracker_ticket *out, struct err *e);
enum err_code github_close(struct tconn *c, const char *key, struct err *e);
/* github_read_many reads items with GraphQL, 50 issues a query, or issue
 * by issue where the server has no GraphQL (see tracker_read_many). */
enum err_code github_read_many(struct tconn *c, struct tracker_ticket *items,
			       size_t n, struct err *e);

#endif
