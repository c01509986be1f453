/* slack_api.h: one Slack channel through the Web API (slack_api.c). */
#ifndef DEBRIEF_SLACK_API_H
#define DEBRIEF_SLACK_API_H

#include <stdint.h>

#include "importers/chat.h"

struct slack_api_opts {
	const char *base_url; /* "https://slack.com/api" */
	const char *token;    /* a secret: sent only as a Bearer header */
	const char *channel;  /* the channel's id, "C0123" */
	int64_t oldest, latest; /* the window, UTC seconds; 0: open */
	int max_retries;      /* 429 answers retried at most; 0: 5 */
	unsigned (*sleep_fn)(unsigned seconds); /* sleep(3) */
};

/* slack_api_import reads the channel's messages in the window, threads
 * included, and sends each to emit. E_INVALID for an answer with
 * "ok": false (its error named: not_authed, channel_not_found, ...),
 * E_IO for a transport failure, an HTTP error or a 429 that persists.
 * No message holds the token. */
enum err_code slack_api_import(const struct slack_api_opts *o,
			       chat_emit_fn emit, void *ctx,
			       struct chat_skips *skips, int64_t *messages,
			       struct err *e);

#endif
