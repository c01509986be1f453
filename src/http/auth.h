/* auth.h: accounts on the HTTP side: password hashing (argon2id), random
 * session ids and API tokens (256 bits, stored only as BLAKE2b hashes),
 * the session cookie, bearer tokens, trusted reverse-proxy sign-in, the
 * login rate limit and the audit trail. session.c (session_current_user)
 * is the one place that uses them to say who is asking. */
#ifndef DEBRIEF_AUTH_H
#define DEBRIEF_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "store/store.h"

#define AUTH_COOKIE	  "debrief_session"
#define AUTH_CSRF_COOKIE  "debrief_csrf" /* the login form's pre-session */
#define AUTH_HEX	  65		 /* 64 hex digits and a NUL */
#define AUTH_PWHASH_MAX	  128		 /* >= crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_PREFIX "dbt_"
#define AUTH_TOKEN_MAX	  (4 + AUTH_HEX)
/* login failures allowed per account and per address in the window */
#define AUTH_MAX_FAILURES   5
#define AUTH_FAILURE_WINDOW (15 * 60)

/* auth_init initialises libsodium; -1 when it cannot. Safe to call more
 * than once and from several threads. */
int auth_init(void);

/* auth_hash_password writes an argon2id hash string of password into out
 * (AUTH_PWHASH_MAX bytes). */
enum err_code auth_hash_password(const char *password, char *out,
				 struct err *e);
/* auth_verify_password tells whether password matches hash (1) or not
 * (0). An empty or NULL hash (unknown user, no password) is checked against
 * a dummy hash so that the time taken does not tell which it was. */
int auth_verify_password(const char *hash, const char *password);
/* auth_dummy_hash is that dummy hash; it must carry the cost parameters of
 * auth_hash_password (tests check it does). */
const char *auth_dummy_hash(void);

/* auth_random_hex writes 256 random bits as 64 hex digits. */
void auth_random_hex(char out[AUTH_HEX]);
/* auth_hash_secret writes the hex BLAKE2b-256 of secret: what the store
 * keeps of a session id or token. */
void auth_hash_secret(const char *secret, char out[AUTH_HEX]);
/* auth_token_new writes a new API token ("dbt_" and 64 hex digits). */
void auth_token_new(char out[AUTH_TOKEN_MAX]);

/* auth_session_valid applies the expiry rules: the session must be used
 * within idle seconds of its last use and before its absolute end. */
int auth_session_valid(const struct store_session *s, int64_t now, long idle);

/* auth_bearer returns the token of an "Authorization: Bearer TOKEN" value
 * (scheme case-insensitive, spaces around the token ignored) copied into
 * out, or NULL when the header is missing, another scheme, empty or too
 * long. */
const char *auth_bearer(const char *authorization, char *out, size_t n);
/* auth_cookie_get copies the value of cookie name from a Cookie header
 * into out; -1 when absent or too long. */
int auth_cookie_get(const char *cookie_header, const char *name, char *out,
		    size_t n);
/* auth_proxy_trusted tells whether addr is one of the comma-separated
 * addresses of list (exact match after trimming; an IPv4-mapped IPv6
 * address matches its IPv4 form). An empty list trusts nobody. */
int auth_proxy_trusted(const char *list, const char *addr);
/* auth_peer_address gives the client's numeric address (from the arena;
 * "" when unknown). Without a connection (unit tests) it reads the
 * request's "X-Test-Peer" pseudo-header of req->headers. */
const char *auth_peer_address(struct request *req);

/* auth_client_address is the address the login limit and the audit
 * trail use: the peer's, or, when the peer is one of trusted_proxies, the
 * last X-Forwarded-For hop that is not a trusted proxy (the client as the
 * nearest proxy we trust saw it). A malformed hop gives the peer's. */
const char *auth_client_address(struct request *req);

/* auth_check_listen refuses (E_INVALID with the way out in the message)
 * to listen beyond the loopback address while there is no user and no
 * proxy sign-in: everyone would be the anonymous admin. */
enum err_code auth_check_listen(const struct config *cfg, struct store *st,
				struct err *e);

/* auth_session_start signs user in: a new session in the store and its
 * cookie on res. */
enum err_code auth_session_start(struct request *req, struct response *res,
				 const char *user, struct err *e);
/* auth_session_end ends the request's session (all: every session of its
 * user) and clears the cookie. */
void auth_session_end(struct request *req, struct response *res, int all);
/* auth_session_csrf writes the CSRF token bound to the request's session
 * cookie (for the sign-out form); "" when there is no session cookie. */
void auth_session_csrf(struct request *req, char out[AUTH_HEX]);
/* auth_csrf_equal compares two tokens in constant time; empty never
 * matches. */
int auth_csrf_equal(const char *a, const char *b);

/* ---- CSRF (csrf.c) ---- */

/* The request header scripts send the token in (forms use the field
 * "csrf"); pages carry it in <meta name="csrf-token">. */
#define AUTH_CSRF_HEADER "X-CSRF-Token"

/* auth_secret_load reads the server secret from the store's settings
 * (creating a random one the first time, so that restarts and every server
 * of the database agree) into app->secret. server_start calls it;
 * auth_csrf_token also loads it on first use. */
enum err_code auth_secret_load(struct app *app, struct err *e);
/* auth_csrf_token writes the request's CSRF token (64 hex digits): for a
 * session cookie the token bound to that session (auth_session_csrf; also
 * for a cookie whose session has ended, so that it can still sign out);
 * for a user without a session (trusted proxy, API token, the anonymous
 * local admin) a keyed BLAKE2b of the user name under the server secret.
 * "" when nobody is signed in or the secret cannot be read. */
void auth_csrf_token(struct request *req, char out[AUTH_HEX]);
/* auth_csrf_check is the CSRF rule the router applies to every
 * non-public route (see csrf.c): 1 when req may go on, 0 when it must be
 * refused. GET, HEAD and OPTIONS pass; so does a request signed in by an
 * API token, and one that carries none of the headers a browser sends
 * (Cookie, Origin, Referer, Sec-Fetch-Site). Any other request needs the
 * token, in the form field "csrf" or the X-CSRF-Token header. */
int auth_csrf_check(struct request *req);

/* auth_set_cookie adds a Set-Cookie header (Path=/, HttpOnly,
 * SameSite=Lax, Secure when configured); max_age 0 clears it. */
void auth_set_cookie(struct request *req, struct response *res,
		     const char *name, const char *value, long max_age);

/* The login rate limit: AUTH_MAX_FAILURES failed sign-ins in
 * AUTH_FAILURE_WINDOW lock an account (429 for anyone) and an address.
 * An address at its limit is refused only for accounts that have
 * failures of their own: a correct password for an account nobody is
 * failing on is never blocked by the address it comes from (a proxy, an
 * office behind one NAT address). */
struct auth_attempt {
	char user[96], addr[96];
	int active;
};
/* auth_rate_begin decides whether a sign-in of user from addr may have
 * its password checked (1) or gets 429 (0); -1 with e set when the store
 * failed (no check is made). A 1 reserves one of the failures of both in
 * the database (atomically with the test, so that concurrent tries on
 * any server cannot exceed the limit) until auth_rate_end, which the
 * caller must call once the check is done: ok forgets the account's
 * failures, a failure counts for the account and the address. */
int auth_rate_begin(struct store *st, const char *user, const char *addr,
		    int64_t now, struct auth_attempt *t, struct err *e);
void auth_rate_end(struct store *st, struct auth_attempt *t, int ok,
		   int64_t now);

/* auth_audit records action by req's user (or actor when not NULL) from
 * req's address; failures are logged, not returned. */
void auth_audit(struct request *req, const char *actor, const char *action,
		const char *detail);

#endif
