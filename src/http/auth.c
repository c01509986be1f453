/* auth.c: passwords, random secrets and their hashes, cookies, bearer
 * tokens, proxy trust, the login rate limit and the audit trail (see
 * auth.h). session.c decides who is asking with these. */
#include "http/auth.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "util/log.h"

/* argon2id at libsodium's "interactive" cost: ~64 MiB and a fraction of a
 * second per sign-in */
#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_ok;

/* The hash an unknown user's password is checked against, so that a wrong
 * name costs what a wrong password costs. It is a constant made once with
 * the same PW_OPS and PW_MEM (a verify costs what its string's parameters
 * say), rather than computed at every start: argon2id at this cost takes
 * 64 MiB and about 0.1 s, which every `serve` and CLI call used to pay. */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$MXUjfos7mv/LReQ3rsksMQ$"
	"49PwpD3npVL+FanTWc+bSFESSepyefNdaOfPyvzYSMA";

const char *auth_dummy_hash(void)
{
	return dummy_hash;
}

static void init_run(void)
{
	init_ok = sodium_init() >= 0;
}

int auth_init(void)
{
	pthread_once(&init_once, init_run);
	return init_ok ? 0 : -1;
}

enum err_code auth_hash_password(const char *password, char *out, struct err *e)
{
	_Static_assert(AUTH_PWHASH_MAX >= crypto_pwhash_STRBYTES,
		       "AUTH_PWHASH_MAX too small");
	if (auth_init() < 0)
		return err_set(e, E_NOMEM, NULL, "libsodium failed to start");
	if (crypto_pwhash_str(out, password, strlen(password), PW_OPS,
			      PW_MEM) != 0)
		return err_set(e, E_NOMEM, NULL,
			       "out of memory hashing the password");
	return E_OK;
}

int auth_verify_password(const char *hash, const char *password)
{
	int real = hash && *hash;

	if (auth_init() < 0 || !password)
		return 0;
	if (!real) {
		volatile int spent = crypto_pwhash_str_verify(
			dummy_hash, password, strlen(password));

		(void)spent;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_random_hex(char out[AUTH_HEX])
{
	unsigned char raw[32];

	auth_init();
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, AUTH_HEX, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void auth_hash_secret(const char *secret, char out[AUTH_HEX])
{
	unsigned char h[32];

	auth_init();
	crypto_generichash(h, sizeof h, (const unsigned char *)secret,
			   strlen(secret), NULL, 0);
	sodium_bin2hex(out, AUTH_HEX, h, sizeof h);
}

void auth_token_new(char out[AUTH_TOKEN_MAX])
{
	char hex[AUTH_HEX];

	auth_random_hex(hex);
	snprintf(out, AUTH_TOKEN_MAX, "%s%s", AUTH_TOKEN_PREFIX, hex);
}

int auth_session_valid(const struct store_session *s, int64_t now, long idle)
{
	return now < s->expires && now - s->last_seen < idle;
}

const char *auth_bearer(const char *authorization, char *out, size_t n)
{
	const char *p = authorization, *end;
	size_t len;

	if (!p || strncasecmp(p, "Bearer ", 7) != 0)
		return NULL;
	p += 7;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - p);
	if (len == 0 || len >= n)
		return NULL;
	memcpy(out, p, len);
	out[len] = '\0';
	return out;
}

int auth_cookie_get(const char *cookie_header, const char *name, char *out,
		    size_t n)
{
	const char *p = cookie_header;
	size_t nl = strlen(name);

	while (p && *p) {
		const char *end;
		size_t len;

		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && !strncmp(p, name, nl) &&
		    p[nl] == '=') {
			p += nl + 1;
			len = (size_t)(end - p);
			while (len && p[len - 1] == ' ')
				len--;
			if (len >= n)
				return -1;
			memcpy(out, p, len);
			out[len] = '\0';
			return 0;
		}
		p = end;
	}
	return -1;
}

int auth_proxy_trusted(const char *list, const char *addr)
{
	const char *p = list;

	if (!list || !addr || !*addr)
		return 0;
	if (!strncmp(addr, "::ffff:", 7) && strchr(addr + 7, '.'))
		addr += 7;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len;

		if (!end)
			end = p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		len = (size_t)(end - p);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len && len == strlen(addr) && !memcmp(p, addr, len))
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}

const char *auth_peer_address(struct request *req)
{
	const union MHD_ConnectionInfo *ci;
	char host[NI_MAXHOST];
	socklen_t len;

	if (!req->conn) {
		const char *v = req_header(req, "X-Test-Peer");

		return v ? v : "";
	}
	ci = MHD_get_connection_info(req->conn,
				     MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return "";
	len = ci->client_addr->sa_family == AF_INET6
		      ? sizeof(struct sockaddr_in6)
		      : sizeof(struct sockaddr_in);
	if (getnameinfo(ci->client_addr, len, host, sizeof host, NULL, 0,
			NI_NUMERICHOST) != 0)
		return "";
	if (!strncmp(host, "::ffff:", 7) && strchr(host + 7, '.'))
		return arena_strdup(req->arena, host + 7);
	return arena_strdup(req->arena, host);
}

/* forwarded_hop copies the address at p (up to end, spaces trimmed) into
 * out; -1 when it is not a numeric IPv4 or IPv6 address. */
static int forwarded_hop(const char *p, const char *end, char *out, size_t n)
{
	unsigned char bin[sizeof(struct in6_addr)];
	size_t len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - p);
	if (len == 0 || len >= n)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	if (inet_pton(AF_INET, out, bin) == 1 ||
	    inet_pton(AF_INET6, out, bin) == 1)
		return 0;
	return -1;
}

const char *auth_client_address(struct request *req)
{
	const char *peer = auth_peer_address(req);
	const char *list = req->app && req->app->cfg
				   ? req->app->cfg->trusted_proxies
				   : NULL;
	const char *xff, *end;
	char hop[INET6_ADDRSTRLEN + 8];

	if (!auth_proxy_trusted(list, peer))
		return peer;
	xff = req_header_all(req, "X-Forwarded-For");
	if (!xff)
		return peer;
	/* from the right: each trusted proxy appended the address it was
	 * called from; the first hop that is not one of them is the client
	 * as far as anyone we trust can tell (what is left of it the client
	 * wrote itself) */
	end = xff + strlen(xff);
	while (end > xff) {
		const char *comma = end;

		while (comma > xff && comma[-1] != ',')
			comma--;
		if (forwarded_hop(comma, end, hop, sizeof hop) < 0)
			return peer;
		if (!auth_proxy_trusted(list, hop) || comma == xff)
			return arena_strdup(req->arena, hop);
		end = comma - 1;
	}
	return peer;
}

enum err_code auth_check_listen(const struct config *cfg, struct store *st,
				struct err *e)
{
	char host[128];
	int port;
	int64_t n = 0;

	if (config_listen_split(cfg, host, sizeof host, &port, e) != E_OK)
		return e ? e->code : E_INVALID;
	if (!strcmp(host, "127.0.0.1") || !strcmp(host, "::1") ||
	    !strcmp(host, "localhost") || cfg->proxy_user_header[0])
		return E_OK;
	if (store_user_count(st, &n, e) != E_OK)
		return e ? e->code : E_STORE;
	if (n > 0)
		return E_OK;
	return err_set(e, E_INVALID, "listen",
		       "there are no users yet, so everyone would be the "
		       "anonymous admin: listening on %s is refused (only "
		       "127.0.0.1). Add the first admin with\n"
		       "  debrief user add NAME --role admin\n"
		       "or configure proxy_user_header and trusted_proxies",
		       cfg->listen);
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

void auth_set_cookie(struct request *req, struct response *res,
		     const char *name, const char *value, long max_age)
{
	int secure = req->app && req->app->cfg && req->app->cfg->cookie_secure;
	char line[256];

	snprintf(line, sizeof line,
		 "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s", name,
		 value, max_age, secure ? "; Secure" : "");
	res_header(res, "Set-Cookie", line);
}

enum err_code auth_session_start(struct request *req, struct response *res,
				 const char *user, struct err *e)
{
	const struct config *cfg = req->app->cfg;
	char id[AUTH_HEX], hash[AUTH_HEX];
	int64_t now = now_s();
	enum err_code rc;

	auth_random_hex(id);
	auth_hash_secret(id, hash);
	rc = store_session_create(req->app->store, hash, user, now,
				  now + cfg->session_max, e);
	if (rc == E_OK)
		auth_set_cookie(req, res, AUTH_COOKIE, id, cfg->session_max);
	sodium_memzero(id, sizeof id);
	return rc;
}

void auth_session_end(struct request *req, struct response *res, int all)
{
	char id[AUTH_HEX], hash[AUTH_HEX];
	struct store_session s;
	struct err e;

	if (auth_cookie_get(req_header(req, "Cookie"), AUTH_COOKIE, id,
			    sizeof id) == 0) {
		auth_hash_secret(id, hash);
		if (all && store_session_get(req->app->store, req->arena, hash,
					     &s, &e) == E_OK)
			store_session_delete_all_for_user(req->app->store,
							  s.user, &e);
		else
			store_session_delete(req->app->store, hash, &e);
	}
	auth_set_cookie(req, res, AUTH_COOKIE, "", 0);
}

void auth_session_csrf(struct request *req, char out[AUTH_HEX])
{
	char id[AUTH_HEX], msg[AUTH_HEX + 8];

	out[0] = '\0';
	if (auth_cookie_get(req_header(req, "Cookie"), AUTH_COOKIE, id,
			    sizeof id) < 0 ||
	    !id[0])
		return;
	snprintf(msg, sizeof msg, "csrf:%s", id);
	auth_hash_secret(msg, out);
}

int auth_csrf_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b || !*a)
		return 0;
	n = strlen(a);
	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/* ---- the login rate limit: failure windows per account and address ----
 *
 * Kept in the database (store_login_begin, store_login_end), so that the
 * limit holds across every server of the database: failures split over
 * several servers count together. A check is reserved before the password
 * hash is computed, so that concurrent attempts (on any server) cannot all
 * pass the test before any failure is counted. Nothing is evicted: a
 * locked account stays locked for its window whatever else fails. */

int auth_rate_begin(struct store *st, const char *user, const char *addr,
		    int64_t now, struct auth_attempt *t, struct err *e)
{
	int go = 0;

	memset(t, 0, sizeof *t);
	snprintf(t->user, sizeof t->user, "%s", user ? user : "");
	snprintf(t->addr, sizeof t->addr, "%s", addr ? addr : "");
	/* a guess that cannot be counted is not made */
	if (store_login_begin(st, t->user, t->addr, now, AUTH_FAILURE_WINDOW,
			      AUTH_MAX_FAILURES, &go, e) != E_OK)
		return -1;
	t->active = go;
	return go;
}

void auth_rate_end(struct store *st, struct auth_attempt *t, int ok,
		   int64_t now)
{
	struct err e;

	if (!t->active)
		return;
	t->active = 0;
	if (store_login_end(st, t->user, t->addr, ok, now, AUTH_FAILURE_WINDOW,
			    &e) != E_OK)
		log_warn("login limit of %s: %s", t->user, e.message);
}

void auth_audit(struct request *req, const char *actor, const char *action,
		const char *detail)
{
	struct err e;

	if (!req->app || !req->app->store)
		return;
	if (store_audit_add(req->app->store, now_s(),
			    actor ? actor : (req->user ? req->user : ""),
			    action, detail, auth_client_address(req), &e) != E_OK)
		log_warn("audit %s: %s", action, e.message);
}
