/* webhook.c: checking and reading trackers' webhooks (see webhook.h). */
#include "integrations/webhook.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "integrations/tracker_internal.h"

int webhook_signature_ok(const char *secret, const char *body, size_t len,
			 const char *header)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	unsigned char sent[crypto_auth_hmacsha256_BYTES];
	size_t got = 0;
	const char *end = NULL;
	int ok;

	if (!secret || !*secret || !header ||
	    strncasecmp(header, "sha256=", 7) || strlen(header + 7) != 64)
		return 0;
	if (sodium_hex2bin(sent, sizeof sent, header + 7, 64, NULL, &got,
			   &end) != 0 ||
	    got != sizeof sent || *end)
		return 0;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
				    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	ok = sodium_memcmp(mac, sent, sizeof mac) == 0;
	sodium_memzero(&st, sizeof st);
	return ok;
}

int webhook_secret_ok(const char *secret, const char *sent)
{
	unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];

	if (!secret || !*secret || !sent || !*sent)
		return 0;
	/* hashes of equal length, so that the comparison takes the same
	 * time whatever the lengths */
	crypto_generichash(a, sizeof a, (const unsigned char *)secret,
			   strlen(secret), NULL, 0);
	crypto_generichash(b, sizeof b, (const unsigned char *)sent,
			   strlen(sent), NULL, 0);
	return sodium_memcmp(a, b, sizeof a) == 0;
}

const struct tracker_config *webhook_find(const struct config *cfg, int type,
					  const char *only_name,
					  const char *body, size_t len,
					  const char *header,
					  const char *sent_secret)
{
	for (int i = 0; i < cfg->ntrackers; i++) {
		const struct tracker_config *t = &cfg->trackers[i];

		if (t->type != type || !t->secret[0] ||
		    (only_name && strcmp(only_name, t->name)))
			continue;
		if ((header &&
		     webhook_signature_ok(t->secret, body, len, header)) ||
		    (sent_secret && webhook_secret_ok(t->secret, sent_secret)))
			return t;
	}
	return NULL;
}

int webhook_ticket(const struct tracker_config *t, json_t *payload,
		   struct tracker_ticket *tt)
{
	json_t *issue = json_object_get(payload, "issue");

	memset(tt, 0, sizeof *tt);
	if (!json_is_object(issue))
		return 0;
	if (t->type == TRACKER_JIRA) {
		const char *ev = json_string_value(
			json_object_get(payload, "webhookEvent"));
		jira_issue_read(t, issue, tt);
		if (tt->found && ev && !strcmp(ev, "jira:issue_deleted"))
			return WEBHOOK_GONE;
		return tt->found;
	}
	{
		const char *repo = json_string_value(json_object_get(
			json_object_get(payload, "repository"), "full_name"));
		const char *action =
			json_string_value(json_object_get(payload, "action"));
		if (!repo || strcasecmp(repo, t->repository))
			return 0;
		github_issue_read(t, issue, tt);
		if (tt->found && action &&
		    (!strcmp(action, "deleted") ||
		     !strcmp(action, "transferred")))
			return WEBHOOK_GONE;
	}
	return tt->found;
}
