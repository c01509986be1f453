/* account_checks.h: helpers for API tests that need accounts: users and
 * tokens made with the CLI on the server's database before it starts,
 * signing in through the login form, the session's CSRF token read from a
 * page, and requests as someone. Included by test files only; every
 * function is static. */
#ifndef DEBRIEF_TEST_ACCOUNT_CHECKS_H
#define DEBRIEF_TEST_ACCOUNT_CHECKS_H

#include "api/api_checks.h"
#include "unit/test_db.h"

#include <sys/wait.h>
#include <unistd.h>

/* acct_cli runs `$DEBRIEF_BIN ARGS --db s->db` with input on stdin and
 * returns the exit status; the last line of its output goes to last (may
 * be NULL). */
UNUSED_FN static int acct_cli(struct hs *s, const char *input, char *last,
			      size_t n, const char *args)
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

/* acct_add_user adds name with role and the password "pw-of-NAME". */
UNUSED_FN static void acct_add_user(struct hs *s, const char *name,
				    const char *role)
{
	char args[256], pw[96];

	snprintf(args, sizeof args, "user add %s --role %s --password-stdin",
		 name, role);
	snprintf(pw, sizeof pw, "pw-of-%s\n", name);
	assert_int_equal(acct_cli(s, pw, NULL, 0, args), 0);
}

/* acct_token makes an API token of user with scope ("read", "write") and
 * writes "Authorization: Bearer TOKEN" into hdr. */
UNUSED_FN static void acct_token(struct hs *s, const char *user,
				 const char *scope, char *hdr, size_t n)
{
	char args[256], tok[96];

	snprintf(args, sizeof args, "token create --user %s --scope %s", user,
		 scope);
	assert_int_equal(acct_cli(s, NULL, tok, sizeof tok, args), 0);
	assert_int_equal(strncmp(tok, "dbt_", 4), 0);
	snprintf(hdr, n, "Authorization: Bearer %s", tok);
}

/* acct_prepare makes the temp directory and the database before the server
 * starts (hs_start keeps them): dir/test.db, or a PostgreSQL database of its
 * own when DEBRIEF_TEST_PG is set (test_db_url, as hs_start does), so the
 * CLI calls of acct_cli reach the same database as the server. */
UNUSED_FN static struct hs *acct_prepare(void)
{
	struct hs *s = calloc(1, sizeof *s);

	assert_non_null(s);
	assert_int_equal(hs_prepare(s), 0);
	return s;
}

/* acct_cookie_of finds "name=VALUE" in the Set-Cookie headers of r. */
UNUSED_FN static void acct_cookie_of(const struct http_resp *r,
				     const char *name, char *out, size_t n)
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

/* acct_login signs user in with password through the form, as a browser
 * does, and writes "Cookie: debrief_session=ID" into cookie ("" when the
 * sign-in failed). Returns the status of the POST. */
UNUSED_FN static long acct_login(struct hs *s, const char *user, const char *pw,
				 char *cookie, size_t n)
{
	struct http_resp r;
	char csrf[128], hdr[160], body[256], sid[128];
	const char *hdrs[] = {hdr, NULL};
	long status;

	assert_int_equal(http_get(s, "/login", &r), 200);
	acct_cookie_of(&r, "debrief_csrf", csrf, sizeof csrf);
	http_resp_free(&r);
	snprintf(hdr, sizeof hdr, "Cookie: debrief_csrf=%s", csrf);
	snprintf(body, sizeof body, "username=%s&password=%s&csrf=%s&next=%%2F",
		 user, pw, csrf);
	assert_int_equal(http_do(s, "POST", "/login",
				 "application/x-www-form-urlencoded", body,
				 hdrs, &r),
			 0);
	status = r.status;
	acct_cookie_of(&r, "debrief_session", sid, sizeof sid);
	http_resp_free(&r);
	if (sid[0])
		snprintf(cookie, n, "Cookie: debrief_session=%s", sid);
	else
		cookie[0] = '\0';
	return status;
}

/* acct_send sends method path with one extra header line (auth: a Cookie
 * or Authorization line, or NULL) and an optional JSON body; the answer
 * goes to r (when not NULL) and its status is returned. */
UNUSED_FN static long acct_send(struct hs *s, const char *auth,
				const char *method, const char *path,
				const char *json, struct http_resp *r)
{
	const char *hdrs[] = {auth, NULL};
	struct http_resp tmp;
	long status;

	assert_int_equal(http_do(s, method, path, NULL, json,
				 auth ? hdrs : NULL, r ? r : &tmp),
			 0);
	status = r ? r->status : tmp.status;
	if (!r)
		http_resp_free(&tmp);
	return status;
}

/* acct_page_csrf reads the value of the first hidden csrf field of the
 * page at path as the signed-in cookie sees it (URL-encoded into out). */
UNUSED_FN static void acct_page_csrf(struct hs *s, const char *cookie,
				     const char *path, char *out, size_t n)
{
	struct http_resp r;
	const char *p, *q;
	size_t k = 0;

	assert_int_equal(acct_send(s, cookie, "GET", path, NULL, &r), 200);
	p = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	q = strchr(p, '"');
	assert_non_null(q);
	for (; p < q && k + 4 < n; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, n - k, "%%%02X", c);
	}
	out[k] = '\0';
	http_resp_free(&r);
}

/* acct_form posts a form (already encoded, without csrf) with cookie and
 * the session's csrf (from acct_page_csrf) to path; the answer goes to r. */
UNUSED_FN static long acct_form(struct hs *s, const char *cookie,
				const char *csrf, const char *path,
				const char *form, struct http_resp *r)
{
	const char *hdrs[] = {cookie, NULL};
	char body[2048];

	snprintf(body, sizeof body, "%s%scsrf=%s", form, *form ? "&" : "",
		 csrf);
	assert_int_equal(http_do(s, "POST", path,
				 "application/x-www-form-urlencoded", body,
				 hdrs, r),
			 0);
	return r->status;
}

#endif
