/* csrf.c: cross-site request forgery. The token of a request (bound to its
 * session, or a keyed hash of the user name under the server secret when
 * there is no session), the server secret itself, and the one rule the
 * router applies to every state-changing request.
 *
 * The rule (auth_csrf_check, also in docs/api.md): a request that changes
 * state (any method but GET, HEAD and OPTIONS) on a route that is not
 * public must carry the request's token, in the form field "csrf" or the
 * X-CSRF-Token header, whenever it could have come from a browser: when it
 * has a Cookie, Origin, Referer or Sec-Fetch-Site header. A victim's
 * browser always sends at least one of them with a forged cross-site
 * request (the cookie that signs it in, or Origin and Sec-Fetch-Site), so
 * the token is required exactly where forgery is possible. Two kinds of
 * requests pass without it:
 *  - those signed in by an API token (Authorization: Bearer): a browser
 *    never adds that header to a cross-site request by itself;
 *  - those with none of those headers: curl or a script, in the
 *    no-accounts local mode or behind a proxy that injects the user
 *    header. A victim's browser cannot send such a request.
 * A request that says Sec-Fetch-Site: cross-site is refused even with a
 * token. Origin is not compared with Host: reverse proxies often rewrite
 * Host, and the token already decides. */
#include "http/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

#define SECRET_KEY "csrf_secret"

static pthread_mutex_t secret_mu = PTHREAD_MUTEX_INITIALIZER;

enum err_code auth_secret_load(struct app *app, struct err *e)
{
	struct arena *a = NULL;
	char fresh[AUTH_HEX];
	const char *hex = NULL;
	size_t len = 0;
	enum err_code rc;

	if (__atomic_load_n(&app->secret_ready, __ATOMIC_ACQUIRE))
		return E_OK;
	if (!app->store)
		return err_set(e, E_STORE, NULL, "no store for the secret");
	if (auth_init() < 0)
		return err_set(e, E_NOMEM, NULL, "libsodium failed to start");
	a = arena_new();
	if (!a)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	auth_random_hex(fresh);
	pthread_mutex_lock(&secret_mu);
	rc = store_setting_ensure(app->store, a, SECRET_KEY, fresh, &hex, e);
	if (rc == E_OK && (sodium_hex2bin(app->secret, sizeof app->secret, hex,
					  strlen(hex), NULL, &len, NULL) != 0 ||
			   len != sizeof app->secret))
		rc = err_set(e, E_STORE, NULL,
			     "the stored %s is not 64 hex digits", SECRET_KEY);
	if (rc == E_OK)
		__atomic_store_n(&app->secret_ready, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&secret_mu);
	sodium_memzero(fresh, sizeof fresh);
	arena_free(a);
	return rc;
}

/* user_token writes the keyed hash of the user name: the token of a user
 * without a session. "" when the secret cannot be had. */
static void user_token(struct request *req, const char *user,
		       char out[AUTH_HEX])
{
	static const char ctx[] = "debrief csrf user:";
	crypto_generichash_state st;
	unsigned char h[32];
	struct err e;

	out[0] = '\0';
	if (!req->app || !user || auth_secret_load(req->app, &e) != E_OK) {
		if (req->app && req->app->store)
			log_warn("csrf: no server secret");
		return;
	}
	crypto_generichash_init(&st, req->app->secret, sizeof req->app->secret,
				sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)ctx,
				  sizeof ctx - 1);
	crypto_generichash_update(&st, (const unsigned char *)user,
				  strlen(user));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, AUTH_HEX, h, sizeof h);
}

void auth_csrf_token(struct request *req, char out[AUTH_HEX])
{
	out[0] = '\0';
	session_current_user(req);
	switch (req->auth_via) {
	case AUTH_VIA_LOCAL:
	case AUTH_VIA_PROXY:
	case AUTH_VIA_TOKEN: user_token(req, req->user, out); break;
	default:
		/* a live session, or the cookie of an ended one (so that
		 * its sign-out form still works); "" without a cookie */
		auth_session_csrf(req, out);
		break;
	}
}

/* from_browser tells whether req carries a header that a browser sends
 * with a cross-site request (see the rule at the top). */
static int from_browser(struct request *req)
{
	static const char *const names[] = {"Cookie", "Origin", "Referer",
					    "Sec-Fetch-Site"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (req_header(req, names[i]))
			return 1;
	return 0;
}

int auth_csrf_check(struct request *req)
{
	const char *m = req->method ? req->method : "";
	const char *site, *sent;
	char want[AUTH_HEX];
	int ok;

	if (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS"))
		return 1;
	session_current_user(req);
	if (req->auth_via == AUTH_VIA_TOKEN || !from_browser(req))
		return 1;
	site = req_header(req, "Sec-Fetch-Site");
	if (site && !strcasecmp(site, "cross-site"))
		return 0;
	sent = req_header(req, AUTH_CSRF_HEADER);
	if (!sent || !*sent)
		sent = req_form_get(req, "csrf");
	auth_csrf_token(req, want);
	ok = auth_csrf_equal(want, sent);
	sodium_memzero(want, sizeof want);
	return ok;
}
