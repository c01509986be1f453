/* session.c: who is asking, and may they. session_current_user is the one
 * place that turns a request into a user and a role (proxy header, bearer
 * token, session cookie, or the anonymous local admin of a fresh install);
 * session_require is the one permission check, called by the router. */
#include "http/auth.h"
#include "http/http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/utf8.h"
#include "web/html.h"
#include "web/web.h"

/* A session's last_seen is written at most this often (seconds). */
#define TOUCH_EVERY 60

static const char *anonymous_name(struct request *req)
{
	if (req->app && req->app->cfg && req->app->cfg->anonymous_user[0])
		return req->app->cfg->anonymous_user;
	return "local";
}

/* become fills req with user u, its role capped at max_role. */
static const char *become(struct request *req, const struct store_user *u,
			  int max_role)
{
	if (u->disabled)
		return NULL;
	req->user = u->name;
	req->role = u->role < max_role ? u->role : max_role;
	req->groups = u->groups;
	req->time_zone = u->time_zone;
	return req->user;
}

/* away notes a store error that says the database is away, so that the
 * request is answered 503 rather than as one signed out; NULL. */
static const char *away(struct request *req, const struct err *e)
{
	if (e->code == E_UNAVAILABLE)
		req->store_unavailable = 1;
	return NULL;
}

/* from_proxy signs in the user named by the trusted proxy's header; an
 * unknown name is created as a reader (so single sign-on needs no
 * provisioning; admins promote people with the CLI). */
static const char *from_proxy(struct request *req, const char *name)
{
	struct store *st = req->app->store;
	struct store_user u;
	struct err e;
	int64_t now = (int64_t)time(NULL);

	if (store_user_get(st, req->arena, name, &u, &e) == E_OK)
		return become(req, &u, ROLE_ADMIN);
	if (e.code != E_NOT_FOUND)
		return away(req, &e);
	if (store_user_create(st, name, ROLE_READER, "[]", "", now, &e) !=
		    E_OK &&
	    e.code != E_CONFLICT) {
		log_warn("proxy user %s: %s", name, e.message);
		return NULL;
	}
	auth_audit(req, name, "user.auto_create", "role reader (proxy)");
	if (store_user_get(st, req->arena, name, &u, &e) != E_OK)
		return NULL;
	return become(req, &u, ROLE_ADMIN);
}

/* proxy_name trims the proxy-given name v into the arena; NULL (with
 * req->auth_refused set) when it holds a control character or is not
 * UTF-8: a name with trailing spaces would be a look-alike account, one
 * with a newline a forged audit line. */
static const char *proxy_name(struct request *req, const char *v)
{
	size_t n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			req->auth_refused = "the proxy's user name holds a "
					    "control character";
			return NULL;
		}
	if (!utf8_valid(v, n, NULL)) {
		req->auth_refused = "the proxy's user name is not UTF-8";
		return NULL;
	}
	return arena_strndup(req->arena, v, n);
}

static const char *from_token(struct request *req, const char *token)
{
	struct store *st = req->app->store;
	char hash[AUTH_HEX];
	struct store_token t;
	struct store_user u;
	struct err e;

	auth_hash_secret(token, hash);
	if (store_token_find(st, req->arena, hash, (int64_t)time(NULL), &t,
			     &e) != E_OK ||
	    store_user_get(st, req->arena, t.user, &u, &e) != E_OK)
		return away(req, &e);
	req->read_scope = !t.write;
	return become(req, &u, t.write ? ROLE_ADMIN : ROLE_READER);
}

static const char *from_cookie(struct request *req, const char *id)
{
	struct store *st = req->app->store;
	const struct config *cfg = req->app->cfg;
	char hash[AUTH_HEX];
	struct store_session s;
	struct store_user u;
	struct err e;
	int64_t now = (int64_t)time(NULL);

	auth_hash_secret(id, hash);
	if (store_session_get(st, req->arena, hash, &s, &e) != E_OK)
		return away(req, &e);
	if (!auth_session_valid(&s, now, cfg->session_idle)) {
		store_session_delete(st, hash, &e);
		return NULL;
	}
	if (store_user_get(st, req->arena, s.user, &u, &e) != E_OK)
		return away(req, &e);
	if (now - s.last_seen >= TOUCH_EVERY)
		store_session_touch(st, hash, now, &e);
	return become(req, &u, ROLE_ADMIN);
}

static const char *resolve(struct request *req)
{
	const struct config *cfg = req->app->cfg;
	struct store *st = req->app->store;
	char token[AUTH_TOKEN_MAX + 64], id[AUTH_HEX];
	const char *v;
	int64_t n = 0;
	struct err e;

	if (cfg->proxy_user_header[0]) {
		v = req_header(req, cfg->proxy_user_header);
		if (v && auth_proxy_trusted(cfg->trusted_proxies,
					    auth_peer_address(req))) {
			/* two headers: the proxy added one to the client's,
			 * or two hops disagree; taking either would let the
			 * client choose */
			if (req_header_count(req, cfg->proxy_user_header) > 1) {
				req->auth_refused =
					"the request carries more than one "
					"proxy user header";
				return NULL;
			}
			v = proxy_name(req, v);
			if (!v)
				return NULL;
			if (*v && strlen(v) < 128) {
				req->auth_via = AUTH_VIA_PROXY;
				return from_proxy(req, v);
			}
		}
	} else if (!__atomic_load_n(&req->app->users_exist, __ATOMIC_ACQUIRE)) {
		/* a fresh install: count until the first user appears (the CLI
		 * adds users from another process), then never again, so no
		 * request after that pays for the question */
		if (store_user_count(st, &n, &e) != E_OK)
			return away(req, &e);
		if (n == 0) {
			req->user = anonymous_name(req);
			req->role = ROLE_ADMIN;
			req->auth_via = AUTH_VIA_LOCAL;
			return req->user;
		}
		__atomic_store_n(&req->app->users_exist, 1, __ATOMIC_RELEASE);
	}
	if (auth_bearer(req_header(req, "Authorization"), token,
			sizeof token)) {
		req->auth_via = AUTH_VIA_TOKEN;
		return from_token(req, token);
	}
	if (auth_cookie_get(req_header(req, "Cookie"), AUTH_COOKIE, id,
			    sizeof id) == 0 &&
	    id[0]) {
		req->auth_via = AUTH_VIA_COOKIE;
		return from_cookie(req, id);
	}
	return NULL;
}

const char *session_current_user(struct request *req)
{
	if (!req)
		return "local";
	if (req->auth_resolved)
		return req->user;
	req->auth_resolved = 1;
	req->user = NULL;
	req->role = ROLE_NONE;
	req->groups = "[]";
	req->time_zone = NULL;
	req->auth_via = AUTH_VIA_NONE;
	req->read_scope = 0;
	/* without a store (unit tests of pages) there are no accounts */
	if (!req->app || !req->app->store || !req->app->cfg || !req->arena) {
		req->user = anonymous_name(req);
		req->role = ROLE_ADMIN;
		req->auth_via = AUTH_VIA_LOCAL;
		return req->user;
	}
	if (!resolve(req)) {
		req->user = NULL;
		req->role = ROLE_NONE;
		req->groups = "[]";
		req->auth_via = AUTH_VIA_NONE;
		req->read_scope = 0;
	}
	return req->user;
}

static int is_api(const char *path)
{
	return path && (!strncmp(path, "/api/", 5) || !strcmp(path, "/api"));
}

/* forbid answers 403 with msg: the API's error shape or the error page. */
static void forbid(struct request *req, struct response *res, const char *msg)
{
	if (is_api(req->path)) {
		json_t *j = json_pack("{s:{s:s, s:s, s:n}}", "error", "code",
				      "forbidden", "message", msg, "field");

		res_json(res, 403, j);
	} else {
		web_error_page(req, res, 403, msg);
		res->status = 403;
	}
}

int session_require(struct request *req, struct response *res, int min_role)
{
	const char *msg;
	json_t *j;

	session_current_user(req);
	if (req->role >= min_role)
		return 1;
	if (!req->user) {
		if (is_api(req->path)) {
			j = json_pack("{s:{s:s, s:s, s:n}}", "error", "code",
				      "unauthorized", "message",
				      "sign in or send an API token "
				      "(Authorization: Bearer ...)",
				      "field");
			res_json(res, 401, j);
			res_header(res, "WWW-Authenticate",
				   "Bearer realm=\"debrief\"");
		} else {
			struct buf loc = {0};

			buf_puts(&loc, "/login?next=");
			html_url_arg(&loc, req->path ? req->path : "/");
			res_redirect(res,
				     arena_strdup(req->arena, buf_cstr(&loc)));
			buf_release(&loc);
		}
		return 0;
	}
	msg = min_role >= ROLE_ADMIN	? "only admins may do this"
	      : min_role >= ROLE_EDITOR ? "only editors and admins may do this"
					: "you may not see this";
	forbid(req, res, msg);
	return 0;
}

int session_may_write(struct request *req, struct response *res)
{
	session_current_user(req);
	if (!req->read_scope)
		return 1;
	forbid(req, res,
	       "this API token has read scope: it may not change anything "
	       "(make a token with --scope write)");
	return 0;
}
