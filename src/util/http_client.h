/* http_client.h: outgoing HTTP calls through libcurl, for everything that
 * talks to another service (the Slack Web API, Jira, GitHub). One call
 * answers with the status and the body; rate-limited answers (429, or 403
 * with Retry-After or an exhausted X-RateLimit-Remaining) are waited out
 * and retried with backoff, within limits the caller sets. Secrets travel
 * only in headers or userpwd: no message this module writes repeats a
 * header, a password or a body. */
#ifndef DEBRIEF_HTTP_CLIENT_H
#define DEBRIEF_HTTP_CLIENT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

struct http_client;

/* http_client_new makes a client (one libcurl handle: connections are
 * kept between its calls). One thread at a time. NULL on oom. */
struct http_client *http_client_new(void);
void http_client_free(struct http_client *hc);

struct http_call {
	const char *what;   /* who is called, for messages: "Jira ops" */
	const char *method; /* "GET", "POST", "PUT", "PATCH" */
	const char *url;
	const char *const *headers; /* "Name: value", NULL-terminated; may
				     * hold a token */
	const char *userpwd;	    /* "user:token" for Basic auth, or NULL */
	const char *body;	    /* NULL: none */
	size_t body_len;
	long timeout;	   /* seconds for one attempt; 0: 30 */
	int max_retries;   /* rate-limited answers retried; 0: 5, -1: none */
	unsigned max_wait; /* seconds one wait may take; 0: 60. A longer
			      * wait asked for fails at once (E_IO) */
	unsigned (*sleep_fn)(unsigned seconds); /* NULL: sleep(3) */
	size_t max_body; /* answer bytes at most; 0: 16 MiB */
};

struct http_answer {
	long status;
	struct buf body;	/* NUL-terminated through buf_cstr */
	char content_type[128]; /* "" when none */
	int rate_limited;	/* answers waited out before this one */
	long waited;		/* seconds spent waiting */
};

/* http_client_do sends the call and fills ans (initialise it with
 * http_answer_init; release with http_answer_release) whatever the
 * status. E_IO for a transport failure or a timeout ("Jira ops: timed out
 * after 10 s"), or a rate limit that outlasts max_retries or max_wait;
 * E_TOO_LARGE for an answer over max_body. */
enum err_code http_client_do(struct http_client *hc, const struct http_call *c,
			     struct http_answer *ans, struct err *e);

void http_answer_init(struct http_answer *a);
void http_answer_release(struct http_answer *a);

/* http_answer_is_json tells whether the answer says it is JSON. */
int http_answer_is_json(const struct http_answer *a);

/* http_rate_wait reads a rate-limited answer: the seconds to wait before
 * the next try (Retry-After, else X-RateLimit-Reset minus now, else
 * backoff doubling from 1 with attempt), or -1 when the answer is not a
 * rate limit. status and the three header values (NULL when absent) are
 * what came back; now is the current UTC second. */
long http_rate_wait(long status, const char *retry_after, const char *remaining,
		    const char *reset, long now, int attempt);

/* http_url_escape appends s percent-encoded (all but A-Z a-z 0-9 -_.~). */
void http_url_escape(struct buf *b, const char *s);

#endif
