/* fuzz_tracker.c: libFuzzer target for what debrief reads from trackers
 * and from people about tickets: tracker_key (Jira and GitHub keys and
 * URLs), webhook payloads (webhook_ticket over Jira and GitHub issue
 * objects and GraphQL-shaped ones), webhook signatures
 * (webhook_signature_ok), tracker_time and http_rate_wait. The first byte
 * picks which; the rest is the input.
 *
 * Invariants: an accepted key is canonical (Jira: PROJECT-123 in upper
 * case; GitHub: acme/web#N with 1 to 9 digits), a refused one names the
 * field "key"; a ticket read from a payload has a key, a URL a link may
 * carry, and UTF-8 text; a signature is accepted only when it is the
 * body's HMAC; a rate-limit wait is -1 or at least 1 second. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "fuzz/fuzz_common.h"
#include "integrations/tracker_internal.h"
#include "integrations/webhook.h"
#include "model/record.h"
#include "util/http_client.h"
#include "util/utf8.h"

static struct tracker_config jira, github;

static void setup(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	FUZZ_ASSERT(sodium_init() >= 0, "sodium_init");
	snprintf(jira.name, sizeof jira.name, "ops");
	jira.type = TRACKER_JIRA;
	snprintf(jira.url, sizeof jira.url, "https://acme.atlassian.net");
	snprintf(jira.project, sizeof jira.project, "OPS");
	snprintf(jira.secret, sizeof jira.secret, "s3cret");
	github = jira;
	snprintf(github.name, sizeof github.name, "gh");
	github.type = TRACKER_GITHUB;
	snprintf(github.url, sizeof github.url, "https://api.github.com");
	snprintf(github.repository, sizeof github.repository, "acme/web");
}

static void check_key(const struct tracker_config *t, const char *text)
{
	char key[200];
	struct err e;

	err_clear(&e);
	if (tracker_key(t, text, key, sizeof key, &e) != E_OK) {
		FUZZ_ASSERT(e.code == E_INVALID && !strcmp(e.field, "key"),
			    "code %d field %s", e.code, e.field);
		return;
	}
	if (t->type == TRACKER_JIRA) {
		const char *p = key;
		FUZZ_ASSERT(*p >= 'A' && *p <= 'Z', "key %s", key);
		while (*p && *p != '-') {
			FUZZ_ASSERT((*p >= 'A' && *p <= 'Z') ||
					    (*p >= '0' && *p <= '9') || *p == '_',
				    "key %s", key);
			p++;
		}
		FUZZ_ASSERT(*p == '-' && p[1], "key %s", key);
		for (p++; *p; p++)
			FUZZ_ASSERT(*p >= '0' && *p <= '9', "key %s", key);
	} else {
		size_t n;
		FUZZ_ASSERT(!strncmp(key, "acme/web#", 9), "key %s", key);
		n = strspn(key + 9, "0123456789");
		FUZZ_ASSERT(n >= 1 && n <= 9 && !key[9 + n] && key[9] != '0',
			    "key %s", key);
	}
}

static void check_ticket(const struct tracker_ticket *tt)
{
	FUZZ_ASSERT(tt->key[0], "a ticket without a key");
	FUZZ_ASSERT(record_url_is_safe(tt->url) || !tt->url[0],
		    "url %s", tt->url);
	FUZZ_ASSERT(utf8_valid(tt->status, strlen(tt->status), NULL),
		    "status not UTF-8");
	FUZZ_ASSERT(utf8_valid(tt->assignee, strlen(tt->assignee), NULL),
		    "assignee not UTF-8");
	FUZZ_ASSERT(utf8_valid(tt->key, strlen(tt->key), NULL),
		    "key not UTF-8");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	uint8_t mode;

	setup();
	if (size < 1)
		return 0;
	mode = data[0] % 4;
	text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	if (mode == 0) {
		check_key(&jira, text);
		check_key(&github, text);
	} else if (mode == 1) {
		json_t *j = json_loads(text, 0, NULL);
		struct tracker_ticket tt;

		if (json_is_object(j)) {
			int r = webhook_ticket(&jira, j, &tt);
			if (r)
				check_ticket(&tt);
			r = webhook_ticket(&github, j, &tt);
			if (r)
				check_ticket(&tt);
		}
		json_decref(j);
	} else if (mode == 2) {
		/* secret, NUL, header, NUL, body */
		const char *hdr = text + strlen(text) + 1;
		const char *body;
		size_t left = size - 1;

		if (strlen(text) + 1 < left &&
		    strlen(text) + 1 + strlen(hdr) + 1 <= left) {
			body = hdr + strlen(hdr) + 1;
			if (webhook_signature_ok(text, body, strlen(body), hdr)) {
				unsigned char mac[32];
				char hex[65];
				crypto_auth_hmacsha256_state st;

				crypto_auth_hmacsha256_init(
					&st, (const unsigned char *)text,
					strlen(text));
				crypto_auth_hmacsha256_update(
					&st, (const unsigned char *)body,
					strlen(body));
				crypto_auth_hmacsha256_final(&st, mac);
				sodium_bin2hex(hex, sizeof hex, mac, 32);
				FUZZ_ASSERT(!strcasecmp(hdr + 7, hex),
					    "a wrong signature passed");
			}
		}
		FUZZ_ASSERT(!webhook_secret_ok("", text), "empty secret");
	} else {
		long w;

		(void)tracker_time(text);
		w = http_rate_wait(data[0] & 4 ? 429 : 403, text, "0", text,
				   1000000, data[0] >> 4);
		FUZZ_ASSERT(w == -1 || w >= 1, "wait %ld", w);
	}
	free(text);
	return 0;
}
