/* test_csrf.c: the CSRF rule of the router (auth_csrf_check in csrf.c)
 * on hand-built requests, and the server secret that keys the tokens of
 * users without a session: stored once in the settings table, the same
 * for every server and after a restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "http/auth.h"
#include "http/http.h"
#include "store/store.h"

struct fx {
	char dir[64], path[128];
	struct store *st;
	struct arena *arena;
	struct config cfg;
	struct app app;
	struct request req;
	struct kv headers[6];
	char token[AUTH_HEX];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-csrf-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	f->arena = arena_new();
	if (!f->arena || store_open(f->path, &f->st, &e) != E_OK)
		return -1;
	config_defaults(&f->cfg);
	f->app.cfg = &f->cfg;
	f->app.store = f->st;
	f->req.app = &f->app;
	f->req.arena = f->arena;
	f->req.method = "POST";
	f->req.path = "/reviews";
	f->req.body = "";
	f->req.headers = f->headers;
	/* the local admin, as session_current_user finds it */
	f->req.auth_resolved = 1;
	f->req.user = "local";
	f->req.role = ROLE_ADMIN;
	f->req.auth_via = AUTH_VIA_LOCAL;
	auth_csrf_token(&f->req, f->token);
	*state = f;
	return strlen(f->token) == 64 ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[160];

	store_close(f->st);
	arena_free(f->arena);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void header(struct fx *f, const char *name, const char *value)
{
	f->headers[f->req.nheaders++] = (struct kv){name, value};
}

/* form posts body as a form (parsed again on the next check). */
static void form(struct fx *f, const char *body)
{
	header(f, "Content-Type", "application/x-www-form-urlencoded");
	f->req.body = body;
	f->req.body_len = strlen(body);
	f->req.form_parsed = 0;
	f->req.nform = 0;
}

static void test_reads_pass_without_a_token(void **state)
{
	struct fx *f = *state;
	static const char *const methods[] = {"GET", "HEAD", "OPTIONS"};

	header(f, "Cookie", "x=1");
	header(f, "Origin", "http://evil.example");
	for (size_t i = 0; i < 3; i++) {
		f->req.method = methods[i];
		assert_true(auth_csrf_check(&f->req));
	}
}

static void test_post_without_browser_headers_passes(void **state)
{
	struct fx *f = *state;

	form(f, "title=t");
	header(f, "User-Agent", "curl/8.0");
	assert_true(auth_csrf_check(&f->req));
}

static void test_each_browser_header_makes_the_token_required(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {"Cookie", "Origin", "Referer",
					    "Sec-Fetch-Site"};

	for (size_t i = 0; i < 4; i++) {
		f->req.nheaders = 0;
		header(f, names[i], "same-origin");
		assert_false(auth_csrf_check(&f->req));
	}
}

static void test_token_in_form_field_or_header_passes(void **state)
{
	struct fx *f = *state;
	char body[128];

	header(f, "Origin", "http://127.0.0.1:8080");
	snprintf(body, sizeof body, "title=t&csrf=%s", f->token);
	form(f, body);
	assert_true(auth_csrf_check(&f->req));
	form(f, "title=t");
	assert_false(auth_csrf_check(&f->req));
	header(f, AUTH_CSRF_HEADER, f->token);
	assert_true(auth_csrf_check(&f->req));
}

static void test_wrong_or_empty_token_is_refused(void **state)
{
	struct fx *f = *state;
	char wrong[AUTH_HEX];

	memcpy(wrong, f->token, sizeof wrong);
	wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
	header(f, "Cookie", "debrief_session=x");
	form(f, "csrf=");
	assert_false(auth_csrf_check(&f->req));
	f->req.nheaders = 1;
	header(f, AUTH_CSRF_HEADER, wrong);
	assert_false(auth_csrf_check(&f->req));
	f->req.nheaders = 1;
	header(f, AUTH_CSRF_HEADER, "");
	assert_false(auth_csrf_check(&f->req));
}

static void test_cross_site_fetch_is_refused_even_with_the_token(void **state)
{
	struct fx *f = *state;

	header(f, "Sec-Fetch-Site", "cross-site");
	header(f, AUTH_CSRF_HEADER, f->token);
	assert_false(auth_csrf_check(&f->req));
	f->headers[0].value = "same-origin";
	assert_true(auth_csrf_check(&f->req));
}

static void test_api_token_requests_are_exempt(void **state)
{
	struct fx *f = *state;

	f->req.user = "ci";
	f->req.auth_via = AUTH_VIA_TOKEN;
	header(f, "Cookie", "debrief_session=x");
	header(f, "Origin", "http://evil.example");
	assert_true(auth_csrf_check(&f->req));
}

static void test_secret_is_stored_once_and_shared(void **state)
{
	struct fx *f = *state;
	struct app other = {.cfg = &f->cfg};
	struct store *st2;
	struct err e;

	assert_int_equal(f->app.secret_ready, 1);
	/* another server (or a restart) on the same database */
	assert_int_equal(store_open(f->path, &st2, &e), E_OK);
	other.store = st2;
	assert_int_equal(auth_secret_load(&other, &e), E_OK);
	assert_memory_equal(other.secret, f->app.secret, sizeof other.secret);
	store_close(st2);
}

static void test_setting_keeps_the_first_value(void **state)
{
	struct fx *f = *state;
	const char *v = NULL;
	struct err e;

	assert_int_equal(
		store_setting_ensure(f->st, f->arena, "k", "first", &v, &e),
		E_OK);
	assert_string_equal(v, "first");
	assert_int_equal(
		store_setting_ensure(f->st, f->arena, "k", "second", &v, &e),
		E_OK);
	assert_string_equal(v, "first");
}

static void test_token_changes_with_the_secret(void **state)
{
	struct fx *f = *state;
	char t[AUTH_HEX];

	f->app.secret[3] ^= 0x10;
	auth_csrf_token(&f->req, t);
	assert_string_not_equal(t, f->token);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reads_pass_without_a_token),
		T(test_post_without_browser_headers_passes),
		T(test_each_browser_header_makes_the_token_required),
		T(test_token_in_form_field_or_header_passes),
		T(test_wrong_or_empty_token_is_refused),
		T(test_cross_site_fetch_is_refused_even_with_the_token),
		T(test_api_token_requests_are_exempt),
		T(test_secret_is_stored_once_and_shared),
		T(test_setting_keeps_the_first_value),
		T(test_token_changes_with_the_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
