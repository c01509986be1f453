/* test_admin_pages.c: the admin pages (/admin/users, a user's page,
 * /admin/audit) against the real server: they render for admins only,
 * every form posts with the session's CSRF token and redirects with a
 * notice, and a refused form comes back with what was typed and why,
 * having changed nothing. */
#include "api/account_checks.h"

struct fx {
	struct hs *s;
	char admin[160]; /* ada's session cookie */
	char csrf[160];	 /* its CSRF token, URL-encoded */
	char token[160]; /* ada's write token, to read results by API */
};

static int pages_up(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	f->s = acct_prepare();
	acct_add_user(f->s, "ada", "admin");
	acct_add_user(f->s, "ed", "editor");
	acct_add_user(f->s, "rita", "reader");
	acct_token(f->s, "ada", "write", f->token, sizeof f->token);
	if (hs_start(f->s, NULL) < 0)
		return -1;
	assert_int_equal(
		acct_login(f->s, "ada", "pw-of-ada", f->admin, sizeof f->admin),
		303);
	acct_page_csrf(f->s, f->admin, "/admin/users", f->csrf, sizeof f->csrf);
	*state = f;
	return 0;
}

static int pages_down(void **state)
{
	struct fx *f = *state;
	int rc = 0;

	if (!f)
		return 0;
	if (f->s->pid > 0 && hs_stop(f->s) != 0)
		rc = -1;
	hs_cleanup(f->s);
	free(f->s);
	free(f);
	return rc;
}

/* post posts form to path as ada; the answer goes to r. */
static long post(struct fx *f, const char *path, const char *form,
		 struct http_resp *r)
{
	return acct_form(f->s, f->admin, f->csrf, path, form, r);
}

/* check_redirect asserts a 303 to location and frees r. */
static void check_redirect(struct http_resp *r, const char *location)
{
	char *loc = http_header(r, "Location");

	assert_int_equal(r->status, 303);
	assert_non_null(loc);
	assert_string_equal(loc, location);
	free(loc);
	http_resp_free(r);
}

/* api_user reads a user through the API (caller decrefs). */
static json_t *api_user(struct fx *f, const char *name)
{
	struct http_resp r;
	char path[128];
	json_t *j;

	assert_int_equal(acct_send(f->s, f->token, "GET",
				   PATHF(path, "/api/v1/users/%s", name), NULL,
				   &r),
			 200);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

/* newest_audit is the detail of the newest audit record of action. */
static char *newest_audit(struct fx *f, const char *action)
{
	struct http_resp r;
	char path[128];
	json_t *rec;
	char *out;

	assert_int_equal(
		acct_send(
			f->s, f->token, "GET",
			PATHF(path, "/api/v1/audit?limit=1&action=%s", action),
			NULL, &r),
		200);
	rec = json_array_get(json_object_get(r.json, "audit"), 0);
	assert_non_null(rec);
	assert_string_equal(jstr(rec, "actor"), "ada");
	out = strdup(jstr(rec, "detail"));
	http_resp_free(&r);
	return out;
}

static void test_admin_pages_render_for_admins(void **state)
{
	struct fx *f = *state;
	struct http_resp r;

	acct_send(f->s, f->admin, "GET", "/admin", NULL, &r);
	check_redirect(&r, "/admin/users");
	assert_int_equal(
		acct_send(f->s, f->admin, "GET", "/admin/users", NULL, &r),
		200);
	assert_non_null(strstr(r.body, "<h1>Users</h1>"));
	assert_non_null(strstr(r.body, "href=\"/admin/users/rita\""));
	assert_non_null(strstr(r.body, "action=\"/admin/users\""));
	assert_non_null(strstr(r.body, "name=\"csrf\""));
	assert_non_null(strcasestr(r.headers, "Cache-Control: private, no-store"));
	http_resp_free(&r);
	assert_int_equal(
		acct_send(f->s, f->admin, "GET", "/admin/users/rita", NULL, &r),
		200);
	assert_non_null(strstr(r.body, "<h1>rita</h1>"));
	assert_non_null(strstr(r.body, "action=\"/admin/users/rita/edit\""));
	assert_non_null(
		strstr(r.body, "action=\"/admin/users/rita/password\""));
	assert_non_null(strstr(r.body, "action=\"/admin/users/rita/disable\""));
	assert_non_null(strstr(r.body, "action=\"/admin/users/rita/signout\""));
	http_resp_free(&r);
	assert_int_equal(
		acct_send(f->s, f->admin, "GET", "/admin/audit", NULL, &r),
		200);
	assert_non_null(strstr(r.body, "<h1>Audit trail</h1>"));
	assert_non_null(strstr(r.body, "<time datetime="));
	assert_non_null(strstr(r.body, "<code>login</code>"));
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->admin, "GET", "/admin/users/ghost",
				   NULL, &r),
			 404);
	http_resp_free(&r);
}

static void
test_admin_pages_are_403_for_others_and_ask_nobody_to_sign_in(void **state)
{
	static const char *const pages[] = {
		"/admin", "/admin/users", "/admin/users/rita", "/admin/audit"};
	struct fx *f = *state;
	char reader[160], editor[160], csrf[160];
	struct http_resp r;
	json_t *ed;

	assert_int_equal(
		acct_login(f->s, "rita", "pw-of-rita", reader, sizeof reader),
		303);
	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", editor, sizeof editor), 303);
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		assert_int_equal(
			acct_send(f->s, reader, "GET", pages[i], NULL, NULL),
			403);
		assert_int_equal(
			acct_send(f->s, editor, "GET", pages[i], NULL, NULL),
			403);
		assert_int_equal(
			acct_send(f->s, NULL, "GET", pages[i], NULL, &r), 303);
		assert_non_null(strstr(r.headers, "/login?next="));
		http_resp_free(&r);
	}
	/* an editor's own valid token does not make the forms work */
	acct_page_csrf(f->s, editor, "/", csrf, sizeof csrf);
	assert_int_equal(acct_form(f->s, editor, csrf, "/admin/users/ed/edit",
				   "role=admin&groups=", &r),
			 403);
	http_resp_free(&r);
	assert_int_equal(acct_form(f->s, editor, csrf, "/admin/users",
				   "name=eve&role=admin&groups=&password=", &r),
			 403);
	http_resp_free(&r);
	acct_send(f->s, f->token, "GET", "/api/v1/users/eve", NULL, &r);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	ed = api_user(f, "ed");
	assert_string_equal(jstr(ed, "role"), "editor");
	json_decref(ed);
}

static void test_add_user_form_redirects_to_the_user_with_a_notice(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	json_t *u;
	char *detail;

	post(f, "/admin/users",
	     "name=sam&role=editor&groups=ops%2C+security&"
	     "password=long-enough-pw",
	     &r);
	check_redirect(&r, "/admin/users/sam?done=added");
	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   "/admin/users/sam?done=added", NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "The user was added."));
	assert_non_null(strstr(r.body, "value=\"ops, security\""));
	http_resp_free(&r);
	u = api_user(f, "sam");
	assert_string_equal(jstr(u, "role"), "editor");
	assert_true(json_is_true(json_object_get(u, "has_password")));
	json_decref(u);
	detail = newest_audit(f, "user.add");
	assert_string_equal(detail,
			    "sam role editor groups [\"ops\",\"security\"]");
	free(detail);
}

static void
test_refused_add_form_keeps_what_was_typed_and_adds_nothing(void **state)
{
	struct fx *f = *state;
	struct http_resp r;

	post(f, "/admin/users",
	     "name=sam%3Cb%3E&role=editor&groups=ops&password=long-enough-pw",
	     &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "notice-error"));
	assert_non_null(strstr(r.body, "a user name may hold"));
	/* typed text comes back, escaped; the password does not */
	assert_non_null(strstr(r.body, "value=\"sam&lt;b&gt;\""));
	assert_null(strstr(r.body, "long-enough-pw"));
	assert_non_null(strstr(r.body, "<option value=\"editor\" selected>"));
	http_resp_free(&r);
	post(f, "/admin/users",
	     "name=sam&role=reader&groups=Ops+Team&password=", &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "value=\"Ops Team\""));
	assert_non_null(strstr(r.body, "value=\"sam\""));
	assert_non_null(strstr(r.body, "has-error"));
	http_resp_free(&r);
	post(f, "/admin/users", "name=sam&role=reader&groups=&password=short",
	     &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "at least 8 characters"));
	http_resp_free(&r);
	post(f, "/admin/users",
	     "name=rita&role=reader&groups=&password=long-enough-pw", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "already a user named rita"));
	http_resp_free(&r);
	acct_send(f->s, f->token, "GET", "/api/v1/users/sam", NULL, &r);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
}

static void test_role_form_changes_role_and_groups(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char *detail;
	json_t *u;

	post(f, "/admin/users/rita/edit", "role=editor&groups=sre+ops", &r);
	check_redirect(&r, "/admin/users/rita?done=edit");
	u = api_user(f, "rita");
	assert_string_equal(jstr(u, "role"), "editor");
	assert_int_equal(json_array_size(json_object_get(u, "groups")), 2);
	json_decref(u);
	detail = newest_audit(f, "user.role");
	assert_string_equal(detail, "rita: reader -> editor");
	free(detail);
	/* a bad group: the form comes back as typed, nothing changes */
	post(f, "/admin/users/rita/edit", "role=admin&groups=sre%2C+BAD%21",
	     &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "value=\"sre, BAD!\""));
	assert_non_null(strstr(r.body, "<option value=\"admin\" selected>"));
	http_resp_free(&r);
	u = api_user(f, "rita");
	assert_string_equal(jstr(u, "role"), "editor");
	json_decref(u);
	post(f, "/admin/users/ghost/edit", "role=admin&groups=", &r);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	/* without the session's CSRF token the form is refused */
	assert_int_equal(acct_form(f->s, f->admin, "0",
				   "/admin/users/rita/edit",
				   "role=admin&groups=", &r),
			 403);
	http_resp_free(&r);
	u = api_user(f, "rita");
	assert_string_equal(jstr(u, "role"), "editor");
	json_decref(u);
}

static void test_last_admin_form_says_why_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	json_t *u;

	post(f, "/admin/users/ada/edit", "role=reader&groups=", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "ada is the last enabled admin"));
	http_resp_free(&r);
	post(f, "/admin/users/ada/disable", "", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "last enabled admin"));
	http_resp_free(&r);
	u = api_user(f, "ada");
	assert_string_equal(jstr(u, "role"), "admin");
	assert_true(json_is_false(json_object_get(u, "disabled")));
	json_decref(u);
	/* still signed in */
	assert_int_equal(
		acct_send(f->s, f->admin, "GET", "/admin/users", NULL, NULL),
		200);
}

static void test_disable_enable_password_and_signout_forms_work(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char cookie[160], *detail;

	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", cookie, sizeof cookie), 303);
	post(f, "/admin/users/ed/signout", "", &r);
	check_redirect(&r, "/admin/users/ed?done=signout");
	assert_int_equal(acct_send(f->s, cookie, "GET", "/", NULL, NULL), 303);
	detail = newest_audit(f, "user.signout");
	assert_string_equal(detail, "ed");
	free(detail);

	post(f, "/admin/users/ed/password", "password=short", &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "at least 8 characters"));
	http_resp_free(&r);
	post(f, "/admin/users/ed/password", "password=brand-new-pass", &r);
	check_redirect(&r, "/admin/users/ed?done=password");
	assert_int_equal(
		acct_login(f->s, "ed", "brand-new-pass", cookie, sizeof cookie),
		303);

	post(f, "/admin/users/ed/disable", "", &r);
	check_redirect(&r, "/admin/users/ed?done=disable");
	assert_int_equal(acct_send(f->s, cookie, "GET", "/", NULL, NULL), 303);
	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   "/admin/users/ed?done=disable", NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "action=\"/admin/users/ed/enable\""));
	assert_non_null(strstr(r.body, "The user was disabled"));
	http_resp_free(&r);
	post(f, "/admin/users/ed/enable", "", &r);
	check_redirect(&r, "/admin/users/ed?done=enable");
	detail = newest_audit(f, "user.enable");
	assert_string_equal(detail, "ed");
	free(detail);
}

static void test_token_revoke_form_revokes_that_token(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[128];
	long long id;

	assert_int_equal(acct_send(f->s, f->token, "GET",
				   "/api/v1/users/ada/tokens", NULL, &r),
			 200);
	id = (long long)jint(
		json_array_get(json_object_get(r.json, "tokens"), 0), "id");
	http_resp_free(&r);
	assert_int_equal(
		acct_send(f->s, f->admin, "GET", "/admin/users/ada", NULL, &r),
		200);
	snprintf(path, sizeof path, "/admin/users/ada/tokens/%lld/revoke", id);
	assert_non_null(strstr(r.body, path));
	http_resp_free(&r);
	post(f, path, "", &r);
	check_redirect(&r, "/admin/users/ada?done=token");
	assert_int_equal(
		acct_send(f->s, f->token, "GET", "/api/v1/users", NULL, NULL),
		401);
	post(f, path, "", &r);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
}

static void test_audit_page_filters_and_pages_older(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	const char *older;
	char link[160];
	size_t len;

	/* 55 recorded changes, more than one page of 50 */
	for (int i = 0; i < 55; i++)
		assert_int_equal(acct_send(f->s, f->token, "PATCH",
					   "/api/v1/users/rita",
					   i % 2 ? "{\"groups\": []}"
						 : "{\"groups\": [\"g\"]}",
					   NULL),
				 200);
	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   "/admin/audit?action=user.groups&actor=ada",
				   NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "value=\"user.groups\""));
	assert_non_null(strstr(r.body, "value=\"ada\""));
	assert_null(strstr(r.body, "<code>login</code>"));
	older = strstr(r.body, "rel=\"next\" href=\"");
	assert_non_null(older);
	older += strlen("rel=\"next\" href=\"");
	len = strcspn(older, "\"");
	snprintf(link, sizeof link, "%.*s", (int)len, older);
	assert_non_null(strstr(link, "actor=ada&amp;action=user.groups&amp;"
				     "before="));
	http_resp_free(&r);
	/* follow it (the HTML attribute's &amp; is & on the wire) */
	for (char *p; (p = strstr(link, "&amp;"));)
		memmove(p + 1, p + 5, strlen(p + 5) + 1);
	assert_int_equal(acct_send(f->s, f->admin, "GET", link, NULL, &r), 200);
	assert_non_null(strstr(r.body, "rel=\"first\""));
	assert_null(strstr(r.body, "rel=\"next\""));
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   "/admin/audit?before=abc", NULL, &r),
			 400);
	http_resp_free(&r);
}

static void test_audit_page_escapes_what_was_typed(void **state)
{
	struct fx *f = *state;
	char cookie[160];
	struct http_resp r;

	/* a failed sign-in records the name as typed */
	acct_login(f->s, "%3Cscript%3Ex%3C%2Fscript%3E", "nope", cookie,
		   sizeof cookie);
	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   "/admin/audit?action=login.failed", NULL,
				   &r),
			 200);
	assert_null(strstr(r.body, "<script>x"));
	assert_non_null(strstr(r.body, "&lt;script&gt;x"));
	http_resp_free(&r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, pages_up, pages_down)
	const struct CMUnitTest tests[] = {
		T(test_admin_pages_render_for_admins),
		T(test_admin_pages_are_403_for_others_and_ask_nobody_to_sign_in),
		T(test_add_user_form_redirects_to_the_user_with_a_notice),
		T(test_refused_add_form_keeps_what_was_typed_and_adds_nothing),
		T(test_role_form_changes_role_and_groups),
		T(test_last_admin_form_says_why_and_changes_nothing),
		T(test_disable_enable_password_and_signout_forms_work),
		T(test_token_revoke_form_revokes_that_token),
		T(test_audit_page_filters_and_pages_older),
		T(test_audit_page_escapes_what_was_typed),
	};

	return cmocka_run_group_tests_name("admin pages", tests, NULL, NULL);
}
