/* webhook.h: webhooks from trackers, so that a ticket's state arrives
 * without waiting for the next sync. GitHub signs its body with
 * HMAC-SHA256 under the webhook's secret (X-Hub-Signature-256:
 * sha256=HEX); Jira Cloud does the same in X-Hub-Signature when the
 * webhook has a secret, and any Jira can instead put the secret in the
 * URL (/hooks/jira?secret=...). Nothing of a payload is trusted before
 * its signature is. */
#ifndef DEBRIEF_WEBHOOK_H
#define DEBRIEF_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"
#include "integrations/tracker.h"

/* webhook_signature_ok tells whether header ("sha256=" and 64 hex
 * digits, any case) is HMAC-SHA256 of body[0..len) under secret; compared
 * in constant time. 0 for a NULL or malformed header or an empty secret. */
int webhook_signature_ok(const char *secret, const char *body, size_t len,
			 const char *header);

/* webhook_secret_ok compares a secret sent in the URL with secret, in
 * constant time; 0 when either is empty. */
int webhook_secret_ok(const char *secret, const char *sent);

/* webhook_find finds the tracker of type whose secret signs body (header)
 * or equals sent_secret (Jira's ?secret=); only_name, when not NULL,
 * limits the search to that tracker. NULL when none does. */
const struct tracker_config *webhook_find(const struct config *cfg, int type,
					  const char *only_name,
					  const char *body, size_t len,
					  const char *header,
					  const char *sent_secret);

/* webhook_ticket reads the issue a payload of t's type is about into tt:
 * 1 when it names one, WEBHOOK_GONE when it says the issue was deleted
 * (Jira's jira:issue_deleted; GitHub's deleted or transferred: tt->key
 * set), 0 when the event is about something else (a ping, a comment on a
 * pull request, a repository of another tracker). */
#define WEBHOOK_GONE 2
int webhook_ticket(const struct tracker_config *t, json_t *payload,
		   struct tracker_ticket *tt);

#endif
