/* test_personal.c: web_personalize (personal.c) fills the slot markers of
 * shared pages per request: the CSRF token, who is signed in, editor-only
 * blocks; and leaves other answers and user text alone. Requests are built
 * by hand, as if session_current_user had run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "config.h"
#include "http/auth.h"
#include "http/http.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/web.h"

struct fx {
	struct arena *arena;
	struct config cfg;
	struct app app;
	struct request req;
	struct response res;
	struct kv headers[4];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	f->arena = arena_new();
	config_defaults(&f->cfg);
	f->app.cfg = &f->cfg;
	memset(f->app.secret, 7, sizeof f->app.secret);
	f->app.secret_ready = 1;
	f->req.app = &f->app;
	f->req.arena = f->arena;
	f->req.method = "GET";
	f->req.path = "/reviews/1";
	f->req.body = "";
	f->req.headers = f->headers;
	f->res.arena = f->arena;
	f->res.status = 200;
	*state = f;
	return f->arena ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	buf_release(&f->res.body);
	arena_free(f->arena);
	free(f);
	return 0;
}

/* as makes req look signed in as user with role, found by via. */
static void as(struct fx *f, const char *user, int role, int via)
{
	f->req.auth_resolved = 1;
	f->req.user = user;
	f->req.role = role;
	f->req.auth_via = via;
	f->req.groups = "[]";
}

/* shared_page writes what a cached page holds: the frame, a form and an
 * editor block. */
static void shared_page(struct fx *f)
{
	struct buf *b = &f->res.body;

	page_begin(&f->res, "A review", NAV_NONE);
	html_raw(b, "<form method=\"post\" action=\"/reviews/1/delete\">");
	page_csrf_field(b);
	html_raw(b,
		 "</form>\n<p>before</p>" SLOT_EDITOR_BEGIN
		 "<aside>coach notes</aside>" SLOT_EDITOR_END "<p>after</p>\n");
	page_end(&f->res);
}

static const char *body(struct fx *f)
{
	return buf_cstr(&f->res.body);
}

static void test_csrf_slots_get_the_requests_token(void **state)
{
	struct fx *f = *state;
	char token[AUTH_HEX], meta[160], field[160];

	as(f, "ada", ROLE_EDITOR, AUTH_VIA_PROXY);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	auth_csrf_token(&f->req, token);
	assert_int_equal(strlen(token), 64);
	snprintf(meta, sizeof meta, "<meta name=\"csrf-token\" content=\"%s\">",
		 token);
	snprintf(field, sizeof field,
		 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", token);
	assert_non_null(strstr(body(f), meta));
	assert_non_null(strstr(body(f), field));
	assert_null(strstr(body(f), "<!--debrief:"));
}

static void test_tokens_differ_by_user_and_by_secret(void **state)
{
	struct fx *f = *state;
	char a[AUTH_HEX], b[AUTH_HEX], c[AUTH_HEX];

	as(f, "ada", ROLE_EDITOR, AUTH_VIA_PROXY);
	auth_csrf_token(&f->req, a);
	as(f, "bob", ROLE_EDITOR, AUTH_VIA_PROXY);
	auth_csrf_token(&f->req, b);
	f->app.secret[0] ^= 1;
	as(f, "ada", ROLE_EDITOR, AUTH_VIA_PROXY);
	auth_csrf_token(&f->req, c);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
}

static void test_session_token_is_bound_to_the_session_cookie(void **state)
{
	struct fx *f = *state;
	char a[AUTH_HEX], b[AUTH_HEX], s[AUTH_HEX];

	f->headers[0] = (struct kv){"Cookie", "debrief_session=one"};
	f->req.nheaders = 1;
	as(f, "ada", ROLE_EDITOR, AUTH_VIA_COOKIE);
	auth_csrf_token(&f->req, a);
	auth_session_csrf(&f->req, s);
	f->headers[0] = (struct kv){"Cookie", "debrief_session=two"};
	auth_csrf_token(&f->req, b);
	assert_int_equal(strlen(a), 64);
	assert_string_equal(a, s);
	assert_string_not_equal(a, b);
}

static void test_nobody_signed_in_gets_no_token(void **state)
{
	struct fx *f = *state;
	char t[AUTH_HEX];

	as(f, NULL, ROLE_NONE, AUTH_VIA_NONE);
	auth_csrf_token(&f->req, t);
	assert_string_equal(t, "");
}

static void test_nav_names_the_user_escaped_with_sign_out_form(void **state)
{
	struct fx *f = *state;
	char token[AUTH_HEX], field[160];

	f->headers[0] = (struct kv){"Cookie", "debrief_session=one"};
	f->req.nheaders = 1;
	as(f, "<b>\"eve\"&", ROLE_READER, AUTH_VIA_COOKIE);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	auth_csrf_token(&f->req, token);
	assert_non_null(strstr(body(f), "Signed in as <strong>&lt;b&gt;"
					"&quot;eve&quot;&amp;</strong>"));
	assert_null(strstr(body(f), "<b>\"eve\""));
	assert_non_null(strstr(body(f), "action=\"/logout\""));
	snprintf(field, sizeof field,
		 "name=\"csrf\" value=\"%s\"><button type=\"submit\" "
		 "class=\"link\">Sign out",
		 token);
	assert_non_null(strstr(body(f), field));
	/* readers see no admin link */
	assert_null(strstr(body(f), "/admin/users"));
}

static void test_admins_get_the_admin_link(void **state)
{
	struct fx *f = *state;

	as(f, "root", ROLE_ADMIN, AUTH_VIA_PROXY);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "<a href=\"/admin/users\">Admin</a>"));
	/* a proxy sign-in is ended by the proxy, not here */
	assert_null(strstr(body(f), "action=\"/logout\""));
}

static void test_nobody_signed_in_gets_a_sign_in_link(void **state)
{
	struct fx *f = *state;

	f->req.path = "/reviews/1&x=\"";
	as(f, NULL, ROLE_NONE, AUTH_VIA_NONE);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "<a href=\"/login?next=%2Freviews%2F1"
					"%26x%3D%22\">Sign in</a>"));
	assert_null(strstr(body(f), "Signed in"));
	assert_null(strstr(body(f), "coach notes"));
}

static void test_local_mode_says_so(void **state)
{
	struct fx *f = *state;

	as(f, "local", ROLE_ADMIN, AUTH_VIA_LOCAL);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "Local mode (no accounts)"));
	assert_null(strstr(body(f), "Sign in"));
}

static void test_editor_block_is_kept_for_editors(void **state)
{
	struct fx *f = *state;

	as(f, "ed", ROLE_EDITOR, AUTH_VIA_PROXY);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "<p>before</p><aside>coach notes"
					"</aside><p>after</p>"));
	/* the New review link is for editors too */
	assert_non_null(strstr(body(f), "href=\"/reviews/new\""));
}

static void test_editor_block_is_dropped_for_readers(void **state)
{
	struct fx *f = *state;

	as(f, "rita", ROLE_READER, AUTH_VIA_PROXY);
	shared_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "<p>before</p><p>after</p>"));
	assert_null(strstr(body(f), "coach notes"));
	assert_null(strstr(body(f), "href=\"/reviews/new\""));
	assert_null(strstr(body(f), "debrief:"));
}

static void test_an_unclosed_editor_block_hides_the_rest(void **state)
{
	struct fx *f = *state;

	as(f, "rita", ROLE_READER, AUTH_VIA_PROXY);
	buf_puts(&f->res.body, "<p>a</p>" SLOT_EDITOR_BEGIN "<p>secret</p>");
	web_personalize(&f->req, &f->res);
	assert_string_equal(body(f), "<p>a</p>");
}

static void test_page_without_markers_is_left_as_it_is(void **state)
{
	struct fx *f = *state;
	const char *page = "<!doctype html><p>no slots <!-- a comment --></p>";
	const char *before;

	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	buf_puts(&f->res.body, page);
	before = f->res.body.data;
	web_personalize(&f->req, &f->res);
	assert_string_equal(body(f), page);
	assert_ptr_equal(f->res.body.data, before); /* not even copied */
}

static void test_json_and_other_answers_are_left_as_they_are(void **state)
{
	struct fx *f = *state;
	const char *text = "{\"t\": \"" SLOT_CSRF SLOT_EDITOR_BEGIN "\"}";

	as(f, "rita", ROLE_READER, AUTH_VIA_PROXY);
	f->res.content_type = "application/json";
	buf_puts(&f->res.body, text);
	web_personalize(&f->req, &f->res);
	assert_string_equal(body(f), text);
	f->res.content_type = "text/plain; charset=utf-8";
	web_personalize(&f->req, &f->res);
	assert_string_equal(body(f), text);
}

static void test_unknown_slot_is_kept(void **state)
{
	struct fx *f = *state;

	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	buf_puts(&f->res.body, "<p><!--debrief:later--></p>");
	web_personalize(&f->req, &f->res);
	assert_string_equal(body(f), "<p><!--debrief:later--></p>");
}

static void test_marker_text_in_user_content_is_escaped(void **state)
{
	struct fx *f = *state;
	struct buf *b = &f->res.body;
	const char *evil =
		SLOT_EDITOR_BEGIN SLOT_CSRF SLOT_USER_NAV SLOT_EDITOR_END;

	as(f, "rita", ROLE_READER, AUTH_VIA_PROXY);
	html_txt(b, evil);
	html_raw(b, "<a title=\"");
	html_attr(b, evil);
	html_raw(b, "\">x</a>");
	assert_int_equal(markdown_render(b, evil), 0);
	assert_int_equal(markdown_render(b, "`<!--debrief:csrf-->`\n\n"
					    "    <!--debrief:nav-->\n"),
			 0);
	/* no writer lets a marker through ... */
	assert_null(strstr(body(f), "<!--debrief:"));
	web_personalize(&f->req, &f->res);
	/* ... so nothing is filled in or dropped inside user text */
	assert_non_null(strstr(body(f), "&lt;!--debrief:editor--&gt;"));
	assert_null(strstr(body(f), "Signed in"));
}

static void test_personal_tag_differs_per_person(void **state)
{
	struct fx *f = *state;
	char a[16], b[16], c[16], d[16];

	as(f, "ada", ROLE_EDITOR, AUTH_VIA_PROXY);
	snprintf(a, sizeof a, "%s", page_personal_tag(&f->req));
	snprintf(d, sizeof d, "%s", page_personal_tag(&f->req));
	as(f, "bob", ROLE_EDITOR, AUTH_VIA_PROXY);
	snprintf(b, sizeof b, "%s", page_personal_tag(&f->req));
	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	snprintf(c, sizeof c, "%s", page_personal_tag(&f->req));
	assert_int_equal(strlen(a), 8);
	assert_string_equal(a, d);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
}

/* timed_page writes a cached page with one time, as html_time does. */
static void timed_page(struct fx *f)
{
	page_begin(&f->res, "Times", NAV_NONE);
	html_time(&f->res.body, 1562074920); /* 2019-07-02T13:42:00Z */
	page_end(&f->res);
}

static void test_times_are_written_in_the_readers_zone(void **state)
{
	struct fx *f = *state;

	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	f->req.time_zone = "Europe/Berlin";
	timed_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "<time datetime=\"2019-07-02T13:42:00Z\">"
					"<span class=\"tz\" title=\"2019-07-02 "
					"13:42 UTC\">2019-07-02 15:42 CEST"
					"</span></time>"));
	assert_non_null(strstr(body(f), "Times are in <strong>Europe/Berlin"));
	assert_null(strstr(body(f), "<!--debrief:"));
}

static void test_without_a_zone_of_their_own_the_sites_or_utc(void **state)
{
	struct fx *f = *state;

	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	timed_page(f);
	web_personalize(&f->req, &f->res);
	/* UTC: the marker goes, the text stays */
	assert_non_null(strstr(body(f), "<time datetime=\"2019-07-02T13:42:00Z\">"
					"2019-07-02 13:42 UTC</time>"));
	buf_reset(&f->res.body);
	snprintf(f->cfg.time_zone, sizeof f->cfg.time_zone, "%s",
		 "America/New_York");
	timed_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), ">2019-07-02 09:42 EDT</span></time>"));
	/* a zone gone from the database: UTC, never an error */
	buf_reset(&f->res.body);
	f->req.time_zone = "Gone/Away";
	snprintf(f->cfg.time_zone, sizeof f->cfg.time_zone, "%s", "Gone/Too");
	timed_page(f);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), ">2019-07-02 13:42 UTC</time>"));
}

static void test_a_time_marker_without_its_number_is_kept(void **state)
{
	struct fx *f = *state;

	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	f->req.time_zone = "Europe/Berlin";
	page_begin(&f->res, "Times", NAV_NONE);
	html_raw(&f->res.body, "<p>" HTML_TIME_SLOT "x-->1</p><p>"
			       HTML_TIME_SLOT "12</p>");
	page_end(&f->res);
	web_personalize(&f->req, &f->res);
	assert_non_null(strstr(body(f), "<p><!--debrief:tx-->1</p>"));
	assert_non_null(strstr(body(f), "<p><!--debrief:t12</p>"));
}

static void test_personal_tag_differs_per_zone(void **state)
{
	struct fx *f = *state;
	char a[16], b[16];

	as(f, "ada", ROLE_READER, AUTH_VIA_PROXY);
	snprintf(a, sizeof a, "%s", page_personal_tag(&f->req));
	f->req.time_zone = "Europe/Berlin";
	snprintf(b, sizeof b, "%s", page_personal_tag(&f->req));
	assert_string_not_equal(a, b);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_csrf_slots_get_the_requests_token),
		T(test_tokens_differ_by_user_and_by_secret),
		T(test_session_token_is_bound_to_the_session_cookie),
		T(test_nobody_signed_in_gets_no_token),
		T(test_nav_names_the_user_escaped_with_sign_out_form),
		T(test_admins_get_the_admin_link),
		T(test_nobody_signed_in_gets_a_sign_in_link),
		T(test_local_mode_says_so),
		T(test_editor_block_is_kept_for_editors),
		T(test_editor_block_is_dropped_for_readers),
		T(test_an_unclosed_editor_block_hides_the_rest),
		T(test_page_without_markers_is_left_as_it_is),
		T(test_json_and_other_answers_are_left_as_they_are),
		T(test_unknown_slot_is_kept),
		T(test_marker_text_in_user_content_is_escaped),
		T(test_personal_tag_differs_per_person),
		T(test_times_are_written_in_the_readers_zone),
		T(test_without_a_zone_of_their_own_the_sites_or_utc),
		T(test_a_time_marker_without_its_number_is_kept),
		T(test_personal_tag_differs_per_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
