/* test_csrf.c: CSRF tokens against the real server. With a session cookie
 * every state-changing web form and API route needs the session's token
 * (403 and nothing changed without it or with another session's); API
 * tokens are exempt; in the no-accounts local mode a request with browser
 * headers needs it too, plain curl does not. Cached pages carry each
 * person's own token and navigation, and the coach summary only for
 * editors. Users and tokens are made with the CLI. */
#include "api/api_checks.h"
#include "unit/test_db.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORM "application/x-www-form-urlencoded"

/* cli runs `$DEBRIEF_BIN ARGS --db s->db` with input on stdin; the last
 * line of its output goes to last (may be NULL). */
static int cli(struct hs *s, const char *input, char *last, size_t n,
	       const char *args)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[1024], out[320], line[512];
	FILE *p;
	int st;

	snprintf(out, sizeof out, "%s/cli.out", s->dir);
	snprintf(cmd, sizeof cmd, "'%s' %s --db '%s' > '%s' 2>&1",
		 bin && *bin ? bin : "./debrief", args, s->db, out);
	p = popen(cmd, "w");
	assert_non_null(p);
	if (input)
		fputs(input, p);
	st = pclose(p);
	if (last) {
		FILE *f = fopen(out, "r");

		last[0] = '\0';
		assert_non_null(f);
		while (fgets(line, sizeof line, f)) {
			size_t len = strcspn(line, "\n");

			if (len >= n)
				len = n - 1;
			memcpy(last, line, len);
			last[len] = '\0';
		}
		fclose(f);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void add_user(struct hs *s, const char *name, const char *role)
{
	char args[256], pw[96];

	snprintf(args, sizeof args, "user add %s --role %s --password-stdin",
		 name, role);
	snprintf(pw, sizeof pw, "pw-of-%s\n", name);
	assert_int_equal(cli(s, pw, NULL, 0, args), 0);
}

/* prepare makes the temp directory (and debrief.conf when conf is not
 * NULL) before the server starts; hs_start keeps them. */
static struct hs *prepare(const char *conf)
{
	struct hs *s = calloc(1, sizeof *s);

	assert_non_null(s);
	assert_int_equal(conf ? hs_write_conf(s, conf) : hs_prepare(s), 0);
	return s;
}

/* The people of the accounts fixture, each with a session and a bearer
 * line for checking the store from the outside. */
struct world {
	struct hs *s;
	char ada[200], ed[200], rita[200], ed2[200]; /* "Cookie: ..." */
	char admin_bearer[200];
};

static void cookie_of(const struct http_resp *r, const char *name, char *out,
		      size_t n)
{
	char pat[64];
	const char *p;

	out[0] = '\0';
	snprintf(pat, sizeof pat, "Set-Cookie: %s=", name);
	p = r->headers ? strcasestr(r->headers, pat) : NULL;
	if (!p)
		return;
	p += strlen(pat);
	snprintf(out, n, "%.*s", (int)strcspn(p, ";\r\n"), p);
}

/* login signs in as a browser does and writes the Cookie line. */
static void login(struct hs *s, const char *user, char *cookie_line, size_t n)
{
	struct http_resp r;
	char csrf[128], cookie[160], body[256], sid[128];
	const char *hdrs[] = {cookie, NULL};

	assert_int_equal(http_get(s, "/login", &r), 200);
	cookie_of(&r, "debrief_csrf", csrf, sizeof csrf);
	http_resp_free(&r);
	snprintf(cookie, sizeof cookie, "Cookie: debrief_csrf=%s", csrf);
	snprintf(body, sizeof body, "username=%s&password=pw-of-%s&csrf=%s",
		 user, user, csrf);
	assert_int_equal(http_do(s, "POST", "/login", FORM, body, hdrs, &r), 0);
	assert_int_equal(r.status, 303);
	cookie_of(&r, "debrief_session", sid, sizeof sid);
	assert_int_equal(strlen(sid), 64);
	http_resp_free(&r);
	snprintf(cookie_line, n, "Cookie: debrief_session=%s", sid);
}

static int accounts_up(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	char tok[128];

	assert_non_null(w);
	w->s = prepare(NULL);
	add_user(w->s, "ada", "admin");
	add_user(w->s, "ed", "editor");
	add_user(w->s, "rita", "reader");
	assert_int_equal(cli(w->s, NULL, tok, sizeof tok,
			     "token create --user ada --scope write"),
			 0);
	snprintf(w->admin_bearer, sizeof w->admin_bearer,
		 "Authorization: Bearer %s", tok);
	if (hs_start(w->s, NULL) < 0)
		return -1;
	login(w->s, "ada", w->ada, sizeof w->ada);
	login(w->s, "ed", w->ed, sizeof w->ed);
	login(w->s, "ed", w->ed2, sizeof w->ed2);
	login(w->s, "rita", w->rita, sizeof w->rita);
	*state = w;
	return 0;
}

static int accounts_down(void **state)
{
	struct world *w = *state;

	hs_stop(w->s);
	hs_cleanup(w->s);
	free(w->s);
	free(w);
	return 0;
}

/* send is one request with up to three header lines (NULLs skipped). */
static long send(struct hs *s, const char *method, const char *path,
		 const char *ctype, const char *body, const char *h1,
		 const char *h2, const char *h3, struct http_resp *out)
{
	const char *hdrs[4];
	struct http_resp r;
	size_t n = 0;
	long status;

	if (h1)
		hdrs[n++] = h1;
	if (h2)
		hdrs[n++] = h2;
	if (h3)
		hdrs[n++] = h3;
	hdrs[n] = NULL;
	assert_int_equal(http_do(s, method, path, ctype, body, hdrs, &r), 0);
	status = r.status;
	if (out)
		*out = r;
	else
		http_resp_free(&r);
	return status;
}

/* page_token reads the csrf-token meta tag of the page at path. */
static void page_token(struct hs *s, const char *auth, const char *path,
		       char *out, size_t n)
{
	struct http_resp r;
	const char *p;

	assert_int_equal(send(s, "GET", path, NULL, NULL, auth, NULL, NULL, &r),
			 200);
	p = strstr(r.body, "<meta name=\"csrf-token\" content=\"");
	assert_non_null(p);
	p += strlen("<meta name=\"csrf-token\" content=\"");
	snprintf(out, n, "%.*s", (int)strcspn(p, "\""), p);
	assert_int_equal(strlen(out), 64);
	http_resp_free(&r);
}

/* snapshot is what the store holds, read with the admin's API token: the
 * review's JSON (or "" when id is 0) and the number of live reviews. */
static char *snapshot(struct world *w, long long id)
{
	struct http_resp r;
	char path[64], *out;
	size_t n;

	send(w->s, "GET", "/api/v1/reviews?limit=500", NULL, NULL,
	     w->admin_bearer, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	n = strlen(r.body) + 64;
	out = malloc(n + 1);
	assert_non_null(out);
	snprintf(out, n, "total=%lld\n",
		 (long long)json_integer_value(
			 json_object_get(r.json, "total")));
	http_resp_free(&r);
	if (id) {
		char *more;

		snprintf(path, sizeof path, "/api/v1/reviews/%lld", id);
		send(w->s, "GET", path, NULL, NULL, w->admin_bearer, NULL, NULL,
		     &r);
		more = malloc(strlen(out) + r.len + 1);
		assert_non_null(more);
		strcpy(more, out);
		strcat(more, r.body ? r.body : "");
		free(out);
		out = more;
		http_resp_free(&r);
	}
	return out;
}

static long long new_review(struct world *w, const char *extra_json)
{
	struct http_resp r;
	char body[512];
	long long id;

	snprintf(body, sizeof body,
		 "{\"title\": \"Queue backlog\", \"kind\": \"incident\"%s}",
		 extra_json ? extra_json : "");
	send(w->s, "POST", "/api/v1/reviews", "application/json", body,
	     w->admin_bearer, NULL, NULL, &r);
	assert_int_equal(r.status, 201);
	id = (long long)json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

/* refused_then_done sends the request without a token, with another
 * session's token and with the right one: 403 twice (with nothing changed)
 * and then want. The token goes into the form field (form != 0) or the
 * X-CSRF-Token header. */
static void refused_then_done(struct world *w, const char *cookie,
			      const char *other_cookie, const char *method,
			      const char *path, const char *ctype,
			      const char *body, long long id, long want)
{
	char mine[80], theirs[80], hdr[120], full[1024];
	char *before = snapshot(w, id), *after;
	int form = ctype && !strcmp(ctype, FORM);
	struct http_resp r;

	page_token(w->s, cookie, "/", mine, sizeof mine);
	page_token(w->s, other_cookie, "/", theirs, sizeof theirs);
	assert_string_not_equal(mine, theirs);

	/* no token */
	send(w->s, method, path, ctype, body, cookie, NULL, NULL, &r);
	if (r.status != 403)
		fail_msg("%s %s without a token: %ld", method, path, r.status);
	if (form) {
		assert_non_null(strstr(r.body, "expired"));
	} else {
		check_error(&r, 403, "csrf", NULL);
	}
	http_resp_free(&r);
	after = snapshot(w, id);
	assert_string_equal(before, after);
	free(after);

	/* another session's token */
	if (form) {
		snprintf(full, sizeof full, "%s%scsrf=%s", body,
			 *body ? "&" : "", theirs);
		assert_int_equal(send(w->s, method, path, ctype, full, cookie,
				      NULL, NULL, NULL),
				 403);
	} else {
		snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", theirs);
		assert_int_equal(send(w->s, method, path, ctype, body, cookie,
				      hdr, NULL, NULL),
				 403);
	}
	after = snapshot(w, id);
	assert_string_equal(before, after);
	free(after);

	/* the right one */
	if (form) {
		snprintf(full, sizeof full, "%s%scsrf=%s", body,
			 *body ? "&" : "", mine);
		send(w->s, method, path, ctype, full, cookie, NULL, NULL, &r);
	} else {
		snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", mine);
		send(w->s, method, path, ctype, body, cookie, hdr, NULL, &r);
	}
	if (r.status != want)
		fail_msg("%s %s with its token: %ld (want %ld): %s", method,
			 path, r.status, want, r.body ? r.body : "");
	http_resp_free(&r);
	free(before);
}

static void test_every_web_form_needs_the_sessions_token(void **state)
{
	struct world *w = *state;
	long long id = new_review(w, NULL);
	char path[64];

	refused_then_done(w, w->ada, w->ed, "POST", "/reviews", FORM,
			  "title=Disk+full&kind=incident", 0, 303);
	refused_then_done(w, w->ada, w->ed, "POST",
			  PATHF(path, "/reviews/%lld/edit", id), FORM,
			  "version=1&title=Renamed&kind=incident", id, 303);
	refused_then_done(w, w->ada, w->ed, "POST",
			  PATHF(path, "/reviews/%lld/delete", id), FORM,
			  "version=2", id, 303);
	refused_then_done(w, w->ada, w->rita, "POST",
			  PATHF(path, "/reviews/%lld/restore", id), FORM, "",
			  id, 303);
}

static void test_every_api_write_needs_the_sessions_token(void **state)
{
	struct world *w = *state;
	long long id = new_review(w, NULL), child;
	char path[96];
	struct http_resp r;

	refused_then_done(w, w->ed, w->ed2, "POST", "/api/v1/reviews",
			  "application/json", "{\"title\": \"From a page\"}", 0,
			  201);
	refused_then_done(w, w->ed, w->ed2, "PATCH",
			  PATHF(path, "/api/v1/reviews/%lld", id),
			  "application/json", "{\"summary\": \"s\"}", id, 200);
	refused_then_done(w, w->ed, w->rita, "POST",
			  PATHF(path, "/api/v1/reviews/%lld/timeline", id),
			  "application/json",
			  "{\"at\": \"2026-01-01T10:00:00Z\", \"text\": \"t\"}",
			  id, 201);
	send(w->s, "GET", PATHF(path, "/api/v1/reviews/%lld/timeline", id),
	     NULL, NULL, w->admin_bearer, NULL, NULL, &r);
	child = (long long)json_integer_value(json_object_get(
		json_array_get(json_object_get(r.json, "timeline"), 0), "id"));
	http_resp_free(&r);
	assert_true(child > 0);
	refused_then_done(
		w, w->ed, w->ed2, "PATCH",
		PATHF(path, "/api/v1/reviews/%lld/timeline/%lld", id, child),
		"application/json", "{\"text\": \"u\"}", id, 200);
	refused_then_done(
		w, w->ed, w->ed2, "DELETE",
		PATHF(path, "/api/v1/reviews/%lld/timeline/%lld", id, child),
		NULL, NULL, id, 204);
	refused_then_done(w, w->ed, w->ed2, "DELETE",
			  PATHF(path, "/api/v1/reviews/%lld", id), NULL, NULL,
			  id, 204);
	refused_then_done(w, w->ada, w->ed, "POST",
			  PATHF(path, "/api/v1/reviews/%lld/restore", id),
			  "application/json", "{}", id, 200);
	/* the coach changes nothing, but is a POST from pages all the same */
	refused_then_done(w, w->rita, w->ed, "POST", "/api/v1/lint",
			  "application/json", "{\"text\": \"root cause\"}", 0,
			  200);
}

static void test_refused_form_gives_back_what_was_typed(void **state)
{
	struct world *w = *state;
	struct http_resp r;

	send(w->s, "POST", "/reviews", FORM,
	     "title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&kind=incident&"
	     "summary=Line+one%0ALine+two&csrf=nope",
	     w->ed, "Referer: http://127.0.0.1/reviews/new", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "came from another site"));
	assert_non_null(strstr(r.body, "Nothing was saved"));
	assert_non_null(
		strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(r.body, "<script>alert"));
	assert_non_null(strstr(r.body, "readonly rows=\"2\">Line one\nLine two"
				       "</textarea>"));
	assert_non_null(strstr(r.body, ">summary</label>"));
	/* the token that failed is not shown back as typed text */
	assert_null(strstr(r.body, ">nope<"));
	http_resp_free(&r);
	/* nor is a password */
	send(w->s, "POST", "/admin/users/rita/password", FORM,
	     "password=hunter2-secret&password2=hunter2-secret", w->ada,
	     "Origin: http://127.0.0.1", NULL, &r);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.body, "hunter2"));
	http_resp_free(&r);
}

static void test_api_tokens_are_exempt(void **state)
{
	struct world *w = *state;

	assert_int_equal(send(w->s, "POST", "/api/v1/reviews",
			      "application/json", "{\"title\": \"From CI\"}",
			      w->admin_bearer, "Origin: http://elsewhere",
			      w->rita, NULL),
			 201);
}

static void test_cross_site_request_is_refused_even_with_a_token(void **state)
{
	struct world *w = *state;
	char tok[80], hdr[120];

	page_token(w->s, w->ed, "/", tok, sizeof tok);
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", tok);
	assert_int_equal(send(w->s, "POST", "/api/v1/reviews",
			      "application/json", "{\"title\": \"x\"}", w->ed,
			      hdr, "Sec-Fetch-Site: cross-site", NULL),
			 403);
	assert_int_equal(send(w->s, "POST", "/api/v1/reviews",
			      "application/json", "{\"title\": \"x\"}", w->ed,
			      hdr, "Sec-Fetch-Site: same-origin", NULL),
			 201);
}

static void test_sign_out_in_the_nav_uses_the_same_token(void **state)
{
	struct world *w = *state;
	char tok[80], body[120];
	struct http_resp r;

	send(w->s, "GET", "/", NULL, NULL, w->ed2, NULL, NULL, &r);
	assert_non_null(strstr(r.body, "Signed in as <strong>ed</strong>"));
	assert_non_null(strstr(r.body, "action=\"/logout\""));
	http_resp_free(&r);
	page_token(w->s, w->ed2, "/", tok, sizeof tok);
	snprintf(body, sizeof body, "csrf=%s", tok);
	assert_int_equal(send(w->s, "POST", "/logout", FORM, body, w->ed2, NULL,
			      NULL, NULL),
			 303);
	assert_int_equal(send(w->s, "GET", "/api/v1/reviews", NULL, NULL,
			      w->ed2, NULL, NULL, NULL),
			 401);
}

/* review_page gets /reviews/id as cookie and checks it carries that
 * person's token and name; returns the response. */
static void review_page(struct world *w, long long id, const char *cookie,
			const char *name, struct http_resp *r)
{
	char path[64], tok[80], meta[160], nav[120];

	PATHF(path, "/reviews/%lld", id);
	page_token(w->s, cookie, "/", tok, sizeof tok);
	assert_int_equal(
		send(w->s, "GET", path, NULL, NULL, cookie, NULL, NULL, r),
		200);
	snprintf(meta, sizeof meta, "content=\"%s\"", tok);
	snprintf(nav, sizeof nav, "Signed in as <strong>%s</strong>", name);
	assert_non_null(strstr(r->body, meta));
	assert_non_null(strstr(r->body, nav));
	assert_null(strstr(r->body, "<!--debrief:"));
}

static void test_cached_review_page_is_personal_for_each_reader(void **state)
{
	struct world *w = *state;
	long long id = new_review(
		w, ", \"summary\": \"The root cause was human error.\"");
	struct http_resp a, b, c;
	char *etag_ed, *etag_rita, inm[160], path[64];

	/* rita first: the page is rendered for her and cached */
	review_page(w, id, w->rita, "rita", &a);
	review_page(w, id, w->ed, "ed", &b);
	review_page(w, id, w->rita, "rita", &c);
	/* the coach summary is for editors, cached page or not */
	assert_null(strstr(a.body, "coach-summary"));
	assert_non_null(strstr(b.body, "coach-summary"));
	assert_null(strstr(c.body, "coach-summary"));
	/* so is the Edit button */
	assert_null(strstr(a.body, "/edit\">Edit</a>"));
	assert_non_null(strstr(b.body, "/edit\">Edit</a>"));
	/* one person's ETag is not another's */
	etag_ed = http_header(&b, "ETag");
	etag_rita = http_header(&c, "ETag");
	assert_non_null(etag_ed);
	assert_non_null(etag_rita);
	assert_string_not_equal(etag_ed, etag_rita);
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag_ed);
	assert_int_equal(send(w->s, "GET", PATHF(path, "/reviews/%lld", id),
			      NULL, NULL, w->rita, inm, NULL, NULL),
			 200);
	assert_int_equal(send(w->s, "GET", PATHF(path, "/reviews/%lld", id),
			      NULL, NULL, w->ed, inm, NULL, NULL),
			 304);
	free(etag_ed);
	free(etag_rita);
	http_resp_free(&a);
	http_resp_free(&b);
	http_resp_free(&c);
}

static void test_cached_index_is_personal_for_each_reader(void **state)
{
	struct world *w = *state;
	struct http_resp a, b;

	send(w->s, "GET", "/", NULL, NULL, w->ed, NULL, NULL, &a);
	send(w->s, "GET", "/", NULL, NULL, w->rita, NULL, NULL, &b);
	assert_non_null(strstr(a.body, "Signed in as <strong>ed</strong>"));
	assert_non_null(strstr(b.body, "Signed in as <strong>rita</strong>"));
	assert_null(strstr(b.body, "<strong>ed</strong>"));
	http_resp_free(&a);
	http_resp_free(&b);
}

/* ---- without accounts, and behind a proxy ---- */

static void test_local_mode_needs_the_token_from_a_browser(void **state)
{
	struct hs *s = *state;
	char tok[80], hdr[120], body[200];

	/* a browser sends Origin (and Sec-Fetch-Site) with every POST */
	assert_int_equal(send(s, "POST", "/api/v1/reviews", "application/json",
			      "{\"title\": \"forged\"}",
			      "Origin: http://evil.example", NULL, NULL, NULL),
			 403);
	assert_int_equal(send(s, "POST", "/reviews", FORM,
			      "title=forged&kind=incident",
			      "Origin: http://evil.example", NULL, NULL, NULL),
			 403);
	/* curl and scripts send none of the browser headers */
	assert_int_equal(send(s, "POST", "/api/v1/reviews", "application/json",
			      "{\"title\": \"from curl\"}", NULL, NULL, NULL,
			      NULL),
			 201);
	/* our own pages carry the token */
	page_token(s, NULL, "/reviews/new", tok, sizeof tok);
	snprintf(hdr, sizeof hdr, "Origin: %s", s->base);
	snprintf(body, sizeof body, "title=ok&kind=incident&csrf=%s", tok);
	assert_int_equal(
		send(s, "POST", "/reviews", FORM, body, hdr, NULL, NULL, NULL),
		303);
}

static void test_local_mode_nav_says_local_mode(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	assert_int_equal(http_get(s, "/", &r), 200);
	assert_non_null(strstr(r.body, "Local mode (no accounts)"));
	http_resp_free(&r);
}

static void test_proxy_user_needs_the_token_only_from_a_browser(void **state)
{
	struct hs *s = prepare("proxy_user_header = X-Forwarded-User\n"
			       "trusted_proxies = 127.0.0.1\n");
	const char *user = "X-Forwarded-User: pat";
	char tok[80], hdr[120];

	add_user(s, "pat", "editor");
	assert_int_equal(hs_start(s, NULL), 0);
	assert_int_equal(send(s, "POST", "/api/v1/reviews", "application/json",
			      "{\"title\": \"script\"}", user, NULL, NULL,
			      NULL),
			 201);
	assert_int_equal(send(s, "POST", "/api/v1/reviews", "application/json",
			      "{\"title\": \"forged\"}", user,
			      "Cookie: _oauth2_proxy=abc", NULL, NULL),
			 403);
	page_token(s, user, "/", tok, sizeof tok);
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", tok);
	assert_int_equal(send(s, "POST", "/api/v1/reviews", "application/json",
			      "{\"title\": \"page\"}", user,
			      "Cookie: _oauth2_proxy=abc", hdr, NULL),
			 201);
	/* the token outlives a restart: the secret is in the database */
	assert_int_equal(hs_stop(s), 0);
	assert_int_equal(hs_start(s, NULL), 0);
	assert_int_equal(send(s, "POST", "/api/v1/reviews", "application/json",
			      "{\"title\": \"after restart\"}", user,
			      "Cookie: _oauth2_proxy=abc", hdr, NULL),
			 201);
	hs_stop(s);
	hs_cleanup(s);
	free(s);
}

#define A(t) cmocka_unit_test_setup_teardown(t, accounts_up, accounts_down)
#define L(t) cmocka_unit_test_setup_teardown(t, server_up, server_down)

int main(void)
{
	const struct CMUnitTest tests[] = {
		A(test_every_web_form_needs_the_sessions_token),
		A(test_every_api_write_needs_the_sessions_token),
		A(test_refused_form_gives_back_what_was_typed),
		A(test_api_tokens_are_exempt),
		A(test_cross_site_request_is_refused_even_with_a_token),
		A(test_sign_out_in_the_nav_uses_the_same_token),
		A(test_cached_review_page_is_personal_for_each_reader),
		A(test_cached_index_is_personal_for_each_reader),
		L(test_local_mode_needs_the_token_from_a_browser),
		L(test_local_mode_nav_says_local_mode),
		cmocka_unit_test(
			test_proxy_user_needs_the_token_only_from_a_browser),
	};

	return cmocka_run_group_tests_name("csrf", tests, NULL, NULL);
}
