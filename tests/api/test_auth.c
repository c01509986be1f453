/* test_auth.c: accounts against the real server: 401 and the redirect to
 * /login once a user exists, signing in and out, the same answer for an
 * unknown user and a wrong password, the rate limit, token scopes, the
 * role matrix, trusted proxy sign-in and disabled users. Users and tokens
 * are made with the CLI on the server's database. */
#include "api/api_checks.h"
#include "unit/test_db.h"

#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* cli runs `$DEBRIEF_BIN ARGS --db s->db` with input on stdin and returns
 * the exit status; the last line of stdout goes to last (may be NULL). */
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
			line[strcspn(line, "\n")] = '\0';
			snprintf(last, n, "%s", line);
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

static void make_token(struct hs *s, const char *user, const char *scope,
		       char *tok, size_t n)
{
	char args[256];

	snprintf(args, sizeof args, "token create --user %s --scope %s", user,
		 scope);
	assert_int_equal(cli(s, NULL, tok, n, args), 0);
	assert_int_equal(strncmp(tok, "dbt_", 4), 0);
}

/* prepare makes the temp directory and database before the server starts
 * (hs_start keeps them). */
static struct hs *prepare(void)
{
	struct hs *s = calloc(1, sizeof *s);

	assert_non_null(s);
	assert_int_equal(hs_prepare(s), 0);
	return s;
}

static int users_up(void **state)
{
	struct hs *s = prepare();

	add_user(s, "ada", "admin");
	add_user(s, "ed", "editor");
	add_user(s, "rita", "reader");
	if (hs_start(s, NULL) < 0)
		return -1;
	*state = s;
	return 0;
}

/* cookie_of finds "name=VALUE" in the Set-Cookie headers of r. */
static void cookie_of(const struct http_resp *r, const char *name, char *out,
		      size_t n)
{
	char pat[64];
	const char *p;
	size_t len;

	out[0] = '\0';
	snprintf(pat, sizeof pat, "Set-Cookie: %s=", name);
	p = r->headers ? strcasestr(r->headers, pat) : NULL;
	if (!p)
		return;
	p += strlen(pat);
	len = strcspn(p, ";\r\n");
	snprintf(out, n, "%.*s", (int)len, p);
}

/* login posts the sign-in form as a browser would (GET /login first for
 * the CSRF cookie) and returns the status; the session id goes to session
 * (empty when none). */
static long login(struct hs *s, const char *user, const char *pw, char *session,
		  size_t n, struct http_resp *out)
{
	struct http_resp r;
	char csrf[128], cookie[160], body[256];
	const char *hdrs[] = {cookie, NULL};
	long status;

	assert_int_equal(http_get(s, "/login", &r), 200);
	assert_non_null(strstr(r.body, "name=\"csrf\""));
	cookie_of(&r, "debrief_csrf", csrf, sizeof csrf);
	assert_true(strlen(csrf) == 64);
	http_resp_free(&r);
	snprintf(cookie, sizeof cookie, "Cookie: debrief_csrf=%s", csrf);
	snprintf(body, sizeof body, "username=%s&password=%s&csrf=%s&next=%%2F",
		 user, pw, csrf);
	assert_int_equal(http_do(s, "POST", "/login",
				 "application/x-www-form-urlencoded", body,
				 hdrs, &r),
			 0);
	status = r.status;
	cookie_of(&r, "debrief_session", session, n);
	if (out)
		*out = r;
	else
		http_resp_free(&r);
	return status;
}

/* as_get / as_send talk to the API with a Cookie or Authorization line. */
static long as_send(struct hs *s, const char *auth, const char *method,
		    const char *path, const char *json)
{
	const char *hdrs[] = {auth, NULL};
	struct http_resp r;
	long status;

	assert_int_equal(http_do(s, method, path, NULL, json, hdrs, &r), 0);
	status = r.status;
	http_resp_free(&r);
	return status;
}

static void test_without_credentials_api_is_401_page_goes_to_login(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *loc;

	assert_int_equal(http_get(s, "/api/v1/reviews", &r), 401);
	assert_non_null(r.json);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "error"), "code")),
			    "unauthorized");
	http_resp_free(&r);
	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"x\"}", &r),
			 401);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews/1", &r), 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	assert_string_equal(loc, "/login?next=%2Freviews%2F1");
	free(loc);
	http_resp_free(&r);
	/* public: health, the login page, static files */
	assert_int_equal(http_get(s, "/api/v1/health", &r), 200);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/login", &r), 200);
	http_resp_free(&r);
}

static void test_login_gives_an_httponly_lax_session_cookie(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char sid[128], auth[200];
	char *loc;

	assert_int_equal(login(s, "ada", "pw-of-ada", sid, sizeof sid, &r),
			 303);
	assert_int_equal(strlen(sid), 64);
	assert_non_null(strstr(r.headers, "HttpOnly"));
	assert_non_null(strstr(r.headers, "SameSite=Lax"));
	assert_null(strstr(r.headers, "Secure"));
	loc = http_header(&r, "Location");
	assert_string_equal(loc, "/");
	free(loc);
	http_resp_free(&r);
	snprintf(auth, sizeof auth, "Cookie: debrief_session=%s", sid);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL), 200);
	assert_int_equal(as_send(s, auth, "GET", "/", NULL), 200);
	assert_int_equal(as_send(s, "Cookie: debrief_session=00", "GET",
				 "/api/v1/reviews", NULL),
			 401);
}

static void
test_unknown_user_and_wrong_password_get_the_same_answer(void **state)
{
	struct hs *s = *state;
	struct http_resp a, b;
	char sid[128];

	assert_int_equal(login(s, "ada", "wrong-password", sid, sizeof sid, &a),
			 401);
	assert_string_equal(sid, "");
	assert_int_equal(login(s, "zed", "wrong-password", sid, sizeof sid, &b),
			 401);
	assert_string_equal(sid, "");
	assert_non_null(strstr(a.body, "Wrong username or password."));
	assert_non_null(strstr(b.body, "Wrong username or password."));
	/* the same page but for the echoed name (of the same length here)
	 * and the fresh CSRF token */
	assert_int_equal(a.len, b.len);
	http_resp_free(&a);
	http_resp_free(&b);
}

static void test_login_without_the_csrf_cookie_is_403(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char sid[128];

	assert_int_equal(http_form(s, "/login",
				   "username=ada&password=pw-of-ada&csrf=abc",
				   &r),
			 403);
	cookie_of(&r, "debrief_session", sid, sizeof sid);
	assert_string_equal(sid, "");
	http_resp_free(&r);
}

static void test_sixth_login_after_five_failures_is_429(void **state)
{
	struct hs *s = *state;
	char sid[128];

	for (int i = 0; i < 5; i++)
		assert_int_equal(
			login(s, "rita", "nope-nope", sid, sizeof sid, NULL),
			401);
	/* even the right password is refused for the window */
	assert_int_equal(login(s, "rita", "pw-of-rita", sid, sizeof sid, NULL),
			 429);
	assert_string_equal(sid, "");
}

static void test_read_token_cannot_write_write_token_can(void **state)
{
	struct hs *s = *state;
	char tok[128], auth[200];

	make_token(s, "ed", "read", tok, sizeof tok);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL), 200);
	assert_int_equal(as_send(s, auth, "POST", "/api/v1/reviews",
				 "{\"title\": \"t\"}"),
			 403);
	make_token(s, "ed", "write", tok, sizeof tok);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	assert_int_equal(as_send(s, auth, "POST", "/api/v1/reviews",
				 "{\"title\": \"t\"}"),
			 201);
	assert_int_equal(cli(s, NULL, NULL, 0, "token revoke 2"), 0);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL), 401);
	assert_int_equal(as_send(s, "Authorization: Bearer dbt_made_up", "GET",
				 "/api/v1/reviews", NULL),
			 401);
}

/* One row of the role matrix: expected statuses for list, get, create,
 * patch, delete, restore and the deleted list. */
static void check_role(struct hs *s, const char *auth, int64_t live,
		       int64_t gone, const long want[7])
{
	char p1[64], p2[64], p3[64];

	snprintf(p1, sizeof p1, "/api/v1/reviews/%lld", (long long)live);
	snprintf(p2, sizeof p2, "/api/v1/reviews/%lld", (long long)gone);
	snprintf(p3, sizeof p3, "/api/v1/reviews/%lld/restore",
		 (long long)gone);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL),
			 want[0]);
	assert_int_equal(as_send(s, auth, "GET", p1, NULL), want[1]);
	assert_int_equal(as_send(s, auth, "POST", "/api/v1/reviews",
				 "{\"title\": \"new\"}"),
			 want[2]);
	assert_int_equal(
		as_send(s, auth, "PATCH", p1, "{\"summary\": \"changed\"}"),
		want[3]);
	assert_int_equal(as_send(s, auth, "DELETE", p2, NULL), want[4]);
	assert_int_equal(as_send(s, auth, "POST", p3, NULL), want[5]);
	assert_int_equal(
		as_send(s, auth, "GET", "/api/v1/reviews?deleted=1", NULL),
		want[6]);
}

static int64_t new_review(struct hs *s, const char *auth)
{
	const char *hdrs[] = {auth, NULL};
	struct http_resp r;
	int64_t id;

	assert_int_equal(http_do(s, "POST", "/api/v1/reviews", NULL,
				 "{\"title\": \"matrix\"}", hdrs, &r),
			 0);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

static void test_role_matrix_reader_editor_admin(void **state)
{
	struct hs *s = *state;
	static const long reader[7] = {200, 200, 403, 403, 403, 403, 403};
	static const long editor[7] = {200, 200, 201, 200, 204, 403, 403};
	static const long admin[7] = {200, 200, 201, 200, 404, 200, 200};
	char tok[128], ra[200], ea[200], aa[200];
	int64_t live, gone;

	make_token(s, "rita", "write", tok, sizeof tok);
	snprintf(ra, sizeof ra, "Authorization: Bearer %s", tok);
	make_token(s, "ed", "write", tok, sizeof tok);
	snprintf(ea, sizeof ea, "Authorization: Bearer %s", tok);
	make_token(s, "ada", "write", tok, sizeof tok);
	snprintf(aa, sizeof aa, "Authorization: Bearer %s", tok);
	live = new_review(s, aa);
	gone = new_review(s, aa);
	check_role(s, ra, live, gone, reader);
	check_role(s, ea, live, gone, editor); /* deletes gone */
	check_role(s, aa, live, gone, admin);  /* restores it */
	/* the pages follow the same table */
	assert_int_equal(as_send(s, ra, "GET", "/reviews/new", NULL), 403);
	assert_int_equal(as_send(s, ea, "GET", "/reviews/new", NULL), 200);
	assert_int_equal(as_send(s, ea, "GET", "/deleted", NULL), 403);
	assert_int_equal(as_send(s, aa, "GET", "/deleted", NULL), 200);
}

/* A lint allow entry ("not blame here") is an editor's write: a reader's
 * is 403 and adds nothing; an editor's names the editor as "who",
 * whatever the body says. */
static void test_reader_cannot_allow_a_finding_editor_can(void **state)
{
	struct hs *s = *state;
	const char *body = "{\"phrase\": \"human error\", \"category\": "
			   "\"human-error\", \"who\": \"someone else\"}";
	char tok[128], ra[200], ea[200], path[96];
	const char *hdrs[2] = {NULL, NULL};
	struct http_resp r;
	int64_t id;

	make_token(s, "rita", "write", tok, sizeof tok);
	snprintf(ra, sizeof ra, "Authorization: Bearer %s", tok);
	make_token(s, "ed", "write", tok, sizeof tok);
	snprintf(ea, sizeof ea, "Authorization: Bearer %s", tok);
	id = new_review(s, ea);
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/lint-allows",
		 (long long)id);
	assert_int_equal(as_send(s, ra, "POST", path, body), 403);
	hdrs[0] = ra;
	assert_int_equal(http_do(s, "GET", path, NULL, NULL, hdrs, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(
		json_array_size(json_object_get(r.json, "lint-allows")), 0);
	http_resp_free(&r);
	hdrs[0] = ea;
	assert_int_equal(http_do(s, "POST", path, NULL, body, hdrs, &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "who")),
			    "ed");
	http_resp_free(&r);
}

/* logout_csrf reads the sign-out form's token from GET /logout. */
static void logout_csrf(struct hs *s, const char *auth, char *out, size_t n)
{
	const char *hdrs[] = {auth, NULL};
	struct http_resp r;
	const char *p;

	assert_int_equal(http_do(s, "GET", "/logout", NULL, NULL, hdrs, &r), 0);
	assert_int_equal(r.status, 200);
	p = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	snprintf(out, n, "%.*s", (int)strcspn(p, "\""), p);
	http_resp_free(&r);
}

static long logout(struct hs *s, const char *auth, const char *csrf,
		   const char *extra)
{
	const char *hdrs[] = {auth, NULL};
	struct http_resp r;
	char body[200];
	long status;

	snprintf(body, sizeof body, "csrf=%s%s", csrf, extra);
	assert_int_equal(http_do(s, "POST", "/logout",
				 "application/x-www-form-urlencoded", body,
				 hdrs, &r),
			 0);
	status = r.status;
	http_resp_free(&r);
	return status;
}

static void test_logout_ends_the_session_and_needs_its_csrf(void **state)
{
	struct hs *s = *state;
	char sid[128], auth[200], csrf[128];

	assert_int_equal(login(s, "ed", "pw-of-ed", sid, sizeof sid, NULL),
			 303);
	snprintf(auth, sizeof auth, "Cookie: debrief_session=%s", sid);
	logout_csrf(s, auth, csrf, sizeof csrf);
	assert_int_equal(logout(s, auth, "forged", ""), 403);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL), 200);
	assert_int_equal(logout(s, auth, csrf, ""), 303);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL), 401);
}

static void test_logout_everywhere_ends_every_session(void **state)
{
	struct hs *s = *state;
	char s1[128], s2[128], a1[200], a2[200], csrf[128];

	assert_int_equal(login(s, "ed", "pw-of-ed", s1, sizeof s1, NULL), 303);
	assert_int_equal(login(s, "ed", "pw-of-ed", s2, sizeof s2, NULL), 303);
	snprintf(a1, sizeof a1, "Cookie: debrief_session=%s", s1);
	snprintf(a2, sizeof a2, "Cookie: debrief_session=%s", s2);
	assert_int_equal(as_send(s, a2, "GET", "/api/v1/reviews", NULL), 200);
	logout_csrf(s, a1, csrf, sizeof csrf);
	assert_int_equal(logout(s, a1, csrf, "&all=1"), 303);
	assert_int_equal(as_send(s, a1, "GET", "/api/v1/reviews", NULL), 401);
	assert_int_equal(as_send(s, a2, "GET", "/api/v1/reviews", NULL), 401);
}

static void test_disabled_user_cannot_log_in_or_keep_a_session(void **state)
{
	struct hs *s = *state;
	char sid[128], auth[200];

	assert_int_equal(login(s, "rita", "pw-of-rita", sid, sizeof sid, NULL),
			 303);
	snprintf(auth, sizeof auth, "Cookie: debrief_session=%s", sid);
	assert_int_equal(cli(s, NULL, NULL, 0, "user disable rita"), 0);
	assert_int_equal(as_send(s, auth, "GET", "/api/v1/reviews", NULL), 401);
	assert_int_equal(login(s, "rita", "pw-of-rita", sid, sizeof sid, NULL),
			 401);
}

/* proxy_server starts a server (no users) whose debrief.conf has lines. */
static struct hs *proxy_server(const char *conf_lines)
{
	struct hs *s = prepare();

	assert_int_equal(hs_start_conf(s, conf_lines, NULL), 0);
	return s;
}

static void stop(struct hs *s)
{
	hs_stop(s);
	hs_cleanup(s);
	free(s);
}

static void
test_proxy_header_is_honoured_only_from_a_trusted_proxy(void **state)
{
	struct hs *s = proxy_server("proxy_user_header = X-Forwarded-User\n"
				    "trusted_proxies = 10.0.0.1, 127.0.0.1\n");

	assert_int_equal(as_send(s, "X-Forwarded-User: pat", "GET",
				 "/api/v1/reviews", NULL),
			 200);
	/* pat was created as a reader */
	assert_int_equal(as_send(s, "X-Forwarded-User: pat", "POST",
				 "/api/v1/reviews", "{\"title\": \"p\"}"),
			 403);
	assert_int_equal(
		as_send(s, "X-Other: 1", "GET", "/api/v1/reviews", NULL), 401);
	stop(s);
	s = proxy_server("proxy_user_header = X-Forwarded-User\n");
	assert_int_equal(as_send(s, "X-Forwarded-User: pat", "GET",
				 "/api/v1/reviews", NULL),
			 401);
	stop(s);
}

/* cache_control_of gets the Cache-Control of GET path with header auth
 * (NULL: none) into out ("" when absent), asserting status want. */
static void cache_control_of(struct hs *s, const char *auth, const char *path,
			     long want, char *out, size_t n)
{
	const char *hdrs[] = {auth, NULL};
	struct http_resp r;
	char *cc;

	assert_int_equal(http_do(s, "GET", path, NULL, NULL, auth ? hdrs : NULL,
				 &r),
			 0);
	if (r.status != want)
		fail_msg("GET %s: want %ld, got %ld", path, want, r.status);
	cc = http_header(&r, "Cache-Control");
	snprintf(out, n, "%s", cc ? cc : "");
	free(cc);
	assert_null(http_header(&r, "Strict-Transport-Security"));
	http_resp_free(&r);
}

static void
test_answers_for_signed_in_people_are_private_no_store(void **state)
{
	struct hs *s = *state;
	char sid[128], cookie[200], bearer[200], tok[128], cc[128], path[64];
	const char *pages[] = {"/", "/reviews/1", "/reviews/1", "/reviews/1/edit",
			       "/api/v1/reviews", "/api/v1/reviews/1",
			       "/api/v1/reviews/1", "/nope"};
	const long want[] = {200, 200, 200, 200, 200, 200, 200, 404};

	assert_int_equal(login(s, "ed", "pw-of-ed", sid, sizeof sid, NULL),
			 303);
	snprintf(cookie, sizeof cookie, "Cookie: debrief_session=%s", sid);
	make_token(s, "ed", "write", tok, sizeof tok);
	snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", tok);
	assert_int_equal(new_review(s, bearer), 1);
	/* the same pages twice: the second comes from the page cache */
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		cache_control_of(s, cookie, pages[i], want[i], cc, sizeof cc);
		if (strcmp(cc, "private, no-store") != 0)
			fail_msg("%s with a session: Cache-Control '%s'",
				 pages[i], cc);
		cache_control_of(s, bearer, pages[i], want[i], cc, sizeof cc);
		if (strcmp(cc, "private, no-store") != 0)
			fail_msg("%s with a token: Cache-Control '%s'",
				 pages[i], cc);
	}
	/* static files are the same for everyone */
	cache_control_of(s, cookie, "/static/app.css", 200, cc, sizeof cc);
	assert_non_null(strstr(cc, "public"));
	/* nobody signed in: nothing personal to protect */
	cache_control_of(s, NULL, "/login", 200, cc, sizeof cc);
	assert_string_equal(cc, "no-store");
	cache_control_of(s, NULL, PATHF(path, "/api/v1/health"), 200, cc,
			 sizeof cc);
	assert_string_equal(cc, "");
}

static void test_cookie_secure_adds_strict_transport_security(void **state)
{
	struct hs *s = proxy_server("cookie_secure = true\n");
	struct http_resp r;
	char *h;

	assert_int_equal(http_get(s, "/api/v1/health", &r), 200);
	h = http_header(&r, "Strict-Transport-Security");
	assert_non_null(h);
	assert_string_equal(h, "max-age=31536000");
	free(h);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/nope", &r), 404);
	h = http_header(&r, "Strict-Transport-Security");
	assert_non_null(h);
	free(h);
	/* the anonymous local admin of a fresh install is not a person to
	 * keep private (every visitor is the same) */
	h = http_header(&r, "Cache-Control");
	assert_null(h);
	http_resp_free(&r);
	stop(s);
}

/* as_send2 sends two header lines. */
static long as_send2(struct hs *s, const char *h1, const char *h2,
		     const char *method, const char *path)
{
	const char *hdrs[] = {h1, h2, NULL};
	struct http_resp r;
	long status;

	assert_int_equal(http_do(s, method, path, NULL, NULL, hdrs, &r), 0);
	status = r.status;
	if (status == 400 && !strncmp(path, "/api/", 5))
		assert_non_null(strstr(r.body, "proxy user"));
	http_resp_free(&r);
	return status;
}

static void
test_two_proxy_user_headers_are_400_and_names_are_trimmed(void **state)
{
	struct hs *s = proxy_server("proxy_user_header = X-Forwarded-User\n"
				    "trusted_proxies = 127.0.0.1\n");

	add_user(s, "boss", "admin");
	/* neither the first nor the second is taken */
	assert_int_equal(as_send2(s, "X-Forwarded-User: boss",
				  "X-Forwarded-User: pat", "GET",
				  "/api/v1/reviews"),
			 400);
	assert_int_equal(as_send2(s, "X-Forwarded-User: pat",
				  "X-Forwarded-User: boss", "GET", "/"),
			 400);
	/* spaces around a name are the same account (the admin), not a
	 * look-alike reader made on the spot */
	assert_int_equal(as_send2(s, "X-Forwarded-User: boss\t ", "X-Other: 1",
				  "GET", "/api/v1/users"),
			 200);
	stop(s);
}

static void test_proxy_users_answers_are_private_no_store(void **state)
{
	struct hs *s = proxy_server("proxy_user_header = X-Forwarded-User\n"
				    "trusted_proxies = 127.0.0.1\n");
	char cc[128];

	cache_control_of(s, "X-Forwarded-User: pat", "/", 200, cc, sizeof cc);
	assert_string_equal(cc, "private, no-store");
	cache_control_of(s, "X-Forwarded-User: pat", "/api/v1/reviews", 200, cc,
			 sizeof cc);
	assert_string_equal(cc, "private, no-store");
	stop(s);
}

/* login_via posts the sign-in form with an extra header line (NULL:
 * none) and returns the status. */
static long login_via(struct hs *s, const char *extra, const char *user,
		      const char *pw)
{
	struct http_resp r;
	char csrf[128], cookie[160], body[256];
	const char *hdrs[] = {cookie, extra, NULL};
	const char *get_hdrs[] = {extra, NULL};
	long status;

	assert_int_equal(http_do(s, "GET", "/login", NULL, NULL,
				 extra ? get_hdrs : NULL, &r),
			 0);
	cookie_of(&r, "debrief_csrf", csrf, sizeof csrf);
	http_resp_free(&r);
	snprintf(cookie, sizeof cookie, "Cookie: debrief_csrf=%s", csrf);
	snprintf(body, sizeof body, "username=%s&password=%s&csrf=%s", user,
		 pw, csrf);
	assert_int_equal(http_do(s, "POST", "/login",
				 "application/x-www-form-urlencoded", body,
				 hdrs, &r),
			 0);
	status = r.status;
	http_resp_free(&r);
	return status;
}

/* Behind a trusted proxy every sign-in comes from the proxy's address:
 * five failures by one client must not lock everyone else out. */
static void test_failures_through_a_trusted_proxy_lock_out_nobody_else(
	void **state)
{
	struct hs *s = proxy_server("trusted_proxies = 127.0.0.1\n");
	const char *attacker = "X-Forwarded-For: 203.0.113.5";

	add_user(s, "ada", "admin");
	add_user(s, "rita", "reader");
	for (int i = 0; i < 5; i++)
		assert_int_equal(login_via(s, attacker, "rita", "nope-nope"),
				 401);
	assert_int_equal(login_via(s, attacker, "rita", "pw-of-rita"), 429);
	/* another client of the proxy, and the proxy's own address */
	assert_int_equal(login_via(s, "X-Forwarded-For: 203.0.113.9", "ada",
				   "pw-of-ada"),
			 303);
	assert_int_equal(login_via(s, NULL, "ada", "pw-of-ada"), 303);
	/* even the attacker's address signs in to an account nobody fails
	 * on, but gets one guess at each, no more */
	assert_int_equal(login_via(s, attacker, "ada", "pw-of-ada"), 303);
	assert_int_equal(login_via(s, attacker, "ada", "wrong-one"), 401);
	assert_int_equal(login_via(s, attacker, "ada", "pw-of-ada"), 429);
	assert_int_equal(login_via(s, "X-Forwarded-For: 203.0.113.9", "ada",
				   "pw-of-ada"),
			 303);
	stop(s);
}

struct racer {
	struct hs *s;
	pthread_barrier_t *go;
	char csrf[128];
	long status;
};

static void *race_login(void *arg)
{
	struct racer *r = arg;
	char cookie[160], body[256];
	const char *hdrs[] = {cookie, NULL};
	struct http_resp resp;

	snprintf(cookie, sizeof cookie, "Cookie: debrief_csrf=%s", r->csrf);
	snprintf(body, sizeof body,
		 "username=rita&password=wrong-guess&csrf=%s", r->csrf);
	pthread_barrier_wait(r->go);
	if (http_do(r->s, "POST", "/login",
		    "application/x-www-form-urlencoded", body, hdrs,
		    &resp) == 0) {
		r->status = resp.status;
		http_resp_free(&resp);
	}
	return NULL;
}

/* 30 wrong passwords at once for one account: the count is taken with
 * the check, so no more than the limit are checked. */
static void test_concurrent_wrong_passwords_check_at_most_the_limit(
	void **state)
{
	struct hs *s = proxy_server("threads = 8\n");
	struct racer r[30];
	pthread_t th[30];
	pthread_barrier_t go;
	struct http_resp resp;
	int checked = 0, refused = 0;

	add_user(s, "ada", "admin");
	add_user(s, "rita", "reader");
	pthread_barrier_init(&go, NULL, 30);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(http_get(s, "/login", &resp), 200);
		r[i].s = s;
		r[i].go = &go;
		r[i].status = 0;
		cookie_of(&resp, "debrief_csrf", r[i].csrf, sizeof r[i].csrf);
		http_resp_free(&resp);
	}
	for (int i = 0; i < 30; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race_login, &r[i]),
				 0);
	for (int i = 0; i < 30; i++) {
		pthread_join(th[i], NULL);
		checked += r[i].status == 401;
		refused += r[i].status == 429;
	}
	pthread_barrier_destroy(&go);
	if (checked != 5 || refused != 25)
		fail_msg("%d checked (401), %d refused (429); want 5 and 25",
			 checked, refused);
	stop(s);
}

/* A running fresh install serves everyone as the local admin until the
 * first user is added (by the CLI, another process); from then on it asks
 * who is there, without a restart. */
static void test_first_user_added_while_serving_ends_anonymous_access(void **state)
{
	struct hs *s = prepare();
	struct http_resp r;

	assert_int_equal(hs_start(s, NULL), 0);
	assert_int_equal(http_get(s, "/api/v1/reviews", &r), 200);
	http_resp_free(&r);
	add_user(s, "ada", "admin");
	assert_int_equal(http_get(s, "/api/v1/reviews", &r), 401);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/api/v1/reviews", &r), 401);
	http_resp_free(&r);
	stop(s);
}

static void test_serve_without_users_refuses_a_public_address(void **state)
{
	struct hs *s = prepare();
	char last[512];

	assert_int_equal(
		cli(s, NULL, last, sizeof last, "serve --listen 0.0.0.0:1"), 1);
	assert_non_null(strstr(last, "proxy_user_header"));
	hs_cleanup(s);
	free(s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, users_up, server_down)
	const struct CMUnitTest tests[] = {
		T(test_without_credentials_api_is_401_page_goes_to_login),
		T(test_login_gives_an_httponly_lax_session_cookie),
		T(test_unknown_user_and_wrong_password_get_the_same_answer),
		T(test_login_without_the_csrf_cookie_is_403),
		T(test_sixth_login_after_five_failures_is_429),
		T(test_read_token_cannot_write_write_token_can),
		T(test_role_matrix_reader_editor_admin),
		T(test_reader_cannot_allow_a_finding_editor_can),
		T(test_logout_ends_the_session_and_needs_its_csrf),
		T(test_logout_everywhere_ends_every_session),
		T(test_disabled_user_cannot_log_in_or_keep_a_session),
		cmocka_unit_test(
			test_proxy_header_is_honoured_only_from_a_trusted_proxy),
		cmocka_unit_test(
			test_two_proxy_user_headers_are_400_and_names_are_trimmed),
		T(test_answers_for_signed_in_people_are_private_no_store),
		cmocka_unit_test(test_proxy_users_answers_are_private_no_store),
		cmocka_unit_test(
			test_cookie_secure_adds_strict_transport_security),
		cmocka_unit_test(
			test_failures_through_a_trusted_proxy_lock_out_nobody_else),
		cmocka_unit_test(
			test_concurrent_wrong_passwords_check_at_most_the_limit),
		cmocka_unit_test(
			test_first_user_added_while_serving_ends_anonymous_access),
		cmocka_unit_test(
			test_serve_without_users_refuses_a_public_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
