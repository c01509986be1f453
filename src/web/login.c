/* login.c: the sign-in form, signing in (CSRF-checked, rate-limited, the
 * same answer for an unknown user and a wrong password) and signing out
 * of this browser or everywhere. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/auth.h"
#include "web/page.h"
#include "web/web.h"

/* The login form's CSRF cookie lives this long (seconds). */
#define CSRF_MAX_AGE 3600

/* safe_next keeps next only when it is a path on this site. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return "/";
	return next;
}

/* login_form answers the sign-in page with status, an error message (may
 * be NULL) and a fresh CSRF token in the form and its cookie. */
static void login_form(struct request *req, struct response *res, int status,
		       const char *message, const char *next,
		       const char *username)
{
	struct buf *b = &res->body;
	char csrf[AUTH_HEX];

	auth_random_hex(csrf);
	buf_reset(b);
	page_begin(res, "Sign in", NAV_NONE);
	res->status = status;
	html_raw(b, "<section class=\"login\">\n<div class=\"page-head\"><div>"
		    "<h1>Sign in</h1></div></div>\n");
	if (message) {
		html_raw(b, "<div class=\"notice notice-error\" role=\"alert\">"
			    "<p>");
		html_txt(b, message);
		html_raw(b, "</p></div>\n");
	}
	html_raw(b,
		 "<form class=\"card\" method=\"post\" action=\"/login\">\n");
	html_hidden(b, "csrf", csrf);
	html_hidden(b, "next", safe_next(next));
	html_raw(b, "<div class=\"field\"><label for=\"username\">Username"
		    "</label><input type=\"text\" id=\"username\" "
		    "name=\"username\" autocomplete=\"username\" required "
		    "autofocus value=\"");
	html_attr(b, username ? username : "");
	html_raw(b, "\"></div>\n<div class=\"field\"><label for=\"password\">"
		    "Password</label><input type=\"password\" id=\"password\" "
		    "name=\"password\" autocomplete=\"current-password\" "
		    "required></div>\n<p><button class=\"primary\" "
		    "type=\"submit\">Sign in</button></p>\n</form>\n"
		    "</section>\n");
	page_end(res);
	auth_set_cookie(req, res, AUTH_CSRF_COOKIE, csrf, CSRF_MAX_AGE);
	res_header(res, "Cache-Control", "no-store");
}

void web_login_page(struct request *req, struct response *res)
{
	login_form(req, res, 200, NULL, req_query(req, "next"), NULL);
}

void web_login(struct request *req, struct response *res)
{
	const char *user = req_form_get(req, "username");
	const char *password = req_form_get(req, "password");
	const char *next = req_form_get(req, "next");
	const char *addr = auth_client_address(req);
	struct auth_attempt attempt;
	char cookie[AUTH_HEX];
	struct store_user u;
	struct err e;
	int64_t now = (int64_t)time(NULL);
	int found, ok, go;

	if (auth_cookie_get(req_header(req, "Cookie"), AUTH_CSRF_COOKIE, cookie,
			    sizeof cookie) < 0 ||
	    !auth_csrf_equal(cookie, req_form_get(req, "csrf"))) {
		login_form(req, res, 403,
			   "The sign-in form has expired; please sign in "
			   "again.",
			   next, user);
		return;
	}
	if (!user)
		user = "";
	go = auth_rate_begin(req->app->store, user, addr, now, &attempt, &e);
	if (go < 0) {
		page_fail(req, res, &e);
		return;
	}
	if (!go) {
		login_form(req, res, 429,
			   "Too many failed sign-ins; try again in 15 minutes.",
			   next, user);
		res_header(res, "Retry-After", "900");
		return;
	}
	/* an unknown or disabled user costs the same hash check as a known
	 * one and gets the same answer */
	found = *user && store_user_get(req->app->store, req->arena, user, &u,
					&e) == E_OK;
	ok = auth_verify_password(found ? u.password_hash : NULL,
				  password ? password : "");
	if (!ok || !found || u.disabled) {
		auth_rate_end(req->app->store, &attempt, 0, now);
		auth_audit(req, user, "login.failed",
			   found ? "wrong password or disabled"
				 : "unknown user");
		login_form(req, res, 401, "Wrong username or password.", next,
			   user);
		return;
	}
	auth_rate_end(req->app->store, &attempt, 1, now);
	if (auth_session_start(req, res, u.name, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	auth_audit(req, u.name, "login", NULL);
	auth_set_cookie(req, res, AUTH_CSRF_COOKIE, "", 0);
	res_redirect(res, safe_next(next));
}

void web_logout_page(struct request *req, struct response *res)
{
	struct buf *b = &res->body;
	char csrf[AUTH_HEX];

	auth_session_csrf(req, csrf);
	if (!csrf[0] || !session_current_user(req)) {
		res_redirect(res, "/login");
		return;
	}
	page_begin(res, "Sign out", NAV_NONE);
	html_raw(b, "<section class=\"login\">\n<div class=\"page-head\"><div>"
		    "<h1>Sign out</h1></div></div>\n<p class=\"lead\">"
		    "Signed in as ");
	html_txt(b, req->user);
	html_raw(b, ".</p>\n<form class=\"card\" method=\"post\" "
		    "action=\"/logout\">\n");
	page_csrf_field(b);
	html_raw(b,
		 "<p class=\"actions\"><button class=\"primary\" "
		 "type=\"submit\">Sign out</button> <button type=\"submit\" "
		 "name=\"all\" value=\"1\">Sign out everywhere</button></p>\n"
		 "</form>\n</section>\n");
	page_end(res);
	res_header(res, "Cache-Control", "no-store");
}

void web_logout(struct request *req, struct response *res)
{
	const char *all_f = req_form_get(req, "all");
	const char *all_q = req_query(req, "all");
	int all = (all_f && !strcmp(all_f, "1")) ||
		  (all_q && !strcmp(all_q, "1"));
	char csrf[AUTH_HEX];

	/* the token every form carries (csrf.c), checked here because the
	 * route is public: an ended session can still sign out */
	auth_csrf_token(req, csrf);
	if (!auth_csrf_equal(csrf, req_form_get(req, "csrf"))) {
		web_error_page(req, res, 403,
			       "The sign-out form has expired; reload the page "
			       "and try again.");
		res->status = 403;
		return;
	}
	if (session_current_user(req))
		auth_audit(req, NULL, all ? "logout.all" : "logout", NULL);
	auth_session_end(req, res, all);
	res_redirect(res, "/login");
}
