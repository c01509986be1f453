/* test_time_zones.c: each person reads and types times in their own zone
 * (PATCH /api/v1/me, POST /settings), else the configuration's time_zone;
 * times are stored in UTC, the JSON API speaks UTC, and one cached page
 * is shown to each reader in their zone. A zone that is not in the tz
 * database is refused naming the field, and nothing changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/account_checks.h"

struct fx {
	struct hs *s;
	char ed[160], rita[160]; /* session cookies */
	char ed_token[160];	 /* ed's write token */
	char csrf[160];		 /* ed's session's CSRF token, URL-encoded */
	int64_t id;
};

static int tz_up(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct http_resp r;

	if (!f)
		return -1;
	f->s = acct_prepare();
	assert_int_equal(hs_write_conf(f->s, "time_zone = America/New_York\n"),
			 0);
	acct_add_user(f->s, "ada", "admin");
	acct_add_user(f->s, "ed", "editor");
	acct_add_user(f->s, "rita", "reader");
	acct_token(f->s, "ed", "write", f->ed_token, sizeof f->ed_token);
	if (hs_start(f->s, NULL) < 0)
		return -1;
	assert_int_equal(acct_login(f->s, "ed", "pw-of-ed", f->ed, sizeof f->ed),
			 303);
	assert_int_equal(
		acct_login(f->s, "rita", "pw-of-rita", f->rita, sizeof f->rita),
		303);
	assert_int_equal(
		acct_send(f->s, f->ed_token, "POST", "/api/v1/reviews",
			  "{\"title\": \"Cloudflare WAF outage\", \"started_at\": "
			  "\"2019-07-02T13:42:00Z\", \"timeline\": [{\"at\": "
			  "\"2019-07-02T13:42:00Z\", \"kind\": \"deploy\", "
			  "\"text\": \"WAF rule deployed\"}]}",
			  &r),
		201);
	f->id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	acct_page_csrf(f->s, f->ed, "/settings", f->csrf, sizeof f->csrf);
	*state = f;
	return 0;
}

static int tz_down(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	hs_stop(f->s);
	hs_cleanup(f->s);
	free(f->s);
	free(f);
	return 0;
}

/* me reads /api/v1/me as auth and returns member key (static copy). */
static const char *me(struct fx *f, const char *auth, const char *key)
{
	static char out[128];
	struct http_resp r;

	assert_int_equal(acct_send(f->s, auth, "GET", "/api/v1/me", NULL, &r),
			 200);
	snprintf(out, sizeof out, "%s",
		 json_string_value(json_object_get(r.json, key)));
	http_resp_free(&r);
	return out;
}

static void set_zone(struct fx *f, const char *auth, const char *zone)
{
	struct http_resp r;
	char body[128];

	snprintf(body, sizeof body, "{\"time_zone\": \"%s\"}", zone);
	assert_int_equal(acct_send(f->s, auth, "PATCH", "/api/v1/me", body, &r),
			 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "time_zone")), zone);
	http_resp_free(&r);
}

static char *page(struct fx *f, const char *cookie, const char *path)
{
	struct http_resp r;
	char *body;

	assert_int_equal(acct_send(f->s, cookie, "GET", path, NULL, &r), 200);
	body = strdup(r.body);
	http_resp_free(&r);
	return body;
}

static void test_me_names_the_zone_in_use_and_patch_sets_it(void **state)
{
	struct fx *f = *state;

	/* nobody chose: the configuration's */
	assert_string_equal(me(f, f->ed_token, "time_zone"), "");
	assert_string_equal(me(f, f->ed_token, "time_zone_in_use"),
			    "America/New_York");
	set_zone(f, f->ed_token, "Europe/Berlin");
	assert_string_equal(me(f, f->ed, "time_zone_in_use"), "Europe/Berlin");
	assert_string_equal(me(f, f->rita, "time_zone_in_use"),
			    "America/New_York");
	/* "" goes back to the site's */
	set_zone(f, f->ed_token, "");
	assert_string_equal(me(f, f->ed_token, "time_zone_in_use"),
			    "America/New_York");
}

static void test_a_zone_not_in_the_database_is_refused_and_changes_nothing(
	void **state)
{
	static const char *const bad[] = {
		"{\"time_zone\": \"Mars/Olympus\"}",
		"{\"time_zone\": \"../../../etc/passwd\"}",
		"{\"time_zone\": \"Europe/Berlin\\n\"}",
		"{\"time_zone\": \"iso3166.tab\"}",
	};
	struct fx *f = *state;
	struct http_resp r;
	char *html;

	set_zone(f, f->ed_token, "Asia/Kolkata");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(acct_send(f->s, f->ed_token, "PATCH",
					   "/api/v1/me", bad[i], &r),
				 422);
		check_error(&r, 422, "invalid", "time_zone");
		http_resp_free(&r);
	}
	assert_int_equal(acct_send(f->s, f->ed_token, "PATCH", "/api/v1/me",
				   "{\"time_zone\": 5}", &r),
			 422);
	check_error(&r, 422, "invalid", "time_zone");
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->ed_token, "PATCH", "/api/v1/me",
				   "{\"zone\": \"UTC\"}", &r),
			 400);
	check_error(&r, 400, "bad_request", "zone");
	http_resp_free(&r);
	/* the settings page: the error next to the field, as typed */
	assert_int_equal(acct_form(f->s, f->ed, f->csrf, "/settings",
				   "time_zone=Europe%2FAtlantis", &r),
			 422);
	assert_non_null(strstr(r.body, "id=\"e-time_zone\">Time zone "
				       "&quot;Europe/Atlantis&quot; is not"));
	assert_non_null(strstr(r.body, "value=\"Europe/Atlantis\""));
	http_resp_free(&r);
	assert_string_equal(me(f, f->ed_token, "time_zone"), "Asia/Kolkata");
	html = page(f, f->ed, "/settings");
	assert_non_null(strstr(html, "value=\"Asia/Kolkata\""));
	assert_non_null(strstr(html, "<option value=\"Europe/Berlin\">"));
	free(html);
	/* the page's own Save, and its Use UTC */
	assert_int_equal(acct_form(f->s, f->ed, f->csrf, "/settings",
				   "time_zone=+Europe%2FBerlin+", &r),
			 303);
	http_resp_free(&r);
	assert_string_equal(me(f, f->ed_token, "time_zone"), "Europe/Berlin");
	assert_int_equal(acct_form(f->s, f->ed, f->csrf, "/settings",
				   "time_zone=Europe%2FBerlin&use_utc=1", &r),
			 303);
	http_resp_free(&r);
	assert_string_equal(me(f, f->ed_token, "time_zone"), "UTC");
	set_zone(f, f->ed_token, "");
}

static void test_one_cached_page_shows_each_reader_their_zone(void **state)
{
	struct fx *f = *state;
	char path[64], *ed, *rita, *json;

	set_zone(f, f->ed_token, "Europe/Berlin");
	PATHF(path, "/reviews/%lld", (long long)f->id);
	ed = page(f, f->ed, path);
	rita = page(f, f->rita, path);
	assert_non_null(strstr(ed, "<time datetime=\"2019-07-02T13:42:00Z\">"
				   "<span class=\"tz\" title=\"2019-07-02 13:42 "
				   "UTC\">2019-07-02 15:42 CEST</span></time>"));
	assert_non_null(strstr(rita, "<time datetime=\"2019-07-02T13:42:00Z\">"
				     "<span class=\"tz\" title=\"2019-07-02 "
				     "13:42 UTC\">2019-07-02 09:42 EDT</span>"));
	assert_non_null(strstr(ed, "Times are in <strong>Europe/Berlin"));
	assert_null(strstr(ed, "<!--debrief:"));
	assert_null(strstr(rita, "<!--debrief:"));
	free(ed);
	free(rita);
	/* the print view too */
	PATHF(path, "/reviews/%lld/print", (long long)f->id);
	ed = page(f, f->ed, path);
	assert_non_null(strstr(ed, ">2019-07-02 15:42 CEST</span></time>"));
	assert_null(strstr(ed, "<!--debrief:"));
	free(ed);
	PATHF(path, "/reviews/%lld", (long long)f->id);
	/* UTC: the time as stored, no tooltip */
	set_zone(f, f->ed_token, "UTC");
	ed = page(f, f->ed, path);
	assert_non_null(strstr(ed, "<time datetime=\"2019-07-02T13:42:00Z\">"
				   "2019-07-02 13:42 UTC</time>"));
	free(ed);
	/* the JSON API speaks UTC whatever the zone */
	set_zone(f, f->ed_token, "Europe/Berlin");
	PATHF(path, "/api/v1/reviews/%lld", (long long)f->id);
	json = page(f, f->ed, path);
	assert_non_null(strstr(json, "\"started_at\":\"2019-07-02T13:42:00Z\""));
	free(json);
	set_zone(f, f->ed_token, "");
}

static void test_forms_show_and_take_times_in_the_persons_zone(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[96], form[512], *html, *p;
	long long version, cid;
	json_t *doc;

	set_zone(f, f->ed_token, "Europe/Berlin");
	PATHF(path, "/reviews/%lld/edit", (long long)f->id);
	html = page(f, f->ed, path);
	assert_non_null(strstr(html, "name=\"started_at\" placeholder=\"YYYY-"
				     "MM-DD HH:MM\" autocomplete=\"off\" "
				     "value=\"2019-07-02 15:42\""));
	assert_non_null(strstr(html, "Times <small>(Europe/Berlin)"));
	free(html);
	doc = get_json(f->s, "/api/v1/reviews", 401); /* needs a sign-in */
	json_decref(doc);
	assert_int_equal(acct_send(f->s, f->ed_token, "GET",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)f->id),
				   NULL, &r),
			 200);
	version = (long long)json_integer_value(json_object_get(r.json, "version"));
	cid = (long long)json_integer_value(json_object_get(
		json_array_get(json_object_get(r.json, "timeline"), 0), "id"));
	http_resp_free(&r);
	/* 16:00 in Berlin in July is 14:00 UTC */
	snprintf(form, sizeof form,
		 "version=%lld&title=Cloudflare+WAF+outage&started_at=2019-07-02"
		 "+16%%3A00&resolved_at=2019-07-02T15%%3A00%%3A00Z&coach=live",
		 version);
	PATHF(path, "/reviews/%lld/edit", (long long)f->id);
	assert_int_equal(acct_form(f->s, f->ed, f->csrf, path, form, &r), 303);
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->ed_token, "GET",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)f->id),
				   NULL, &r),
			 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "started_at")),
		"2019-07-02T14:00:00Z");
	/* a time that names its zone is taken as it says */
	assert_string_equal(
		json_string_value(json_object_get(r.json, "resolved_at")),
		"2019-07-02T15:00:00Z");
	http_resp_free(&r);
	/* one timeline entry: HH:MM after the review's start, in Berlin */
	PATHF(path, "/reviews/%lld/timeline/%lld/edit", (long long)f->id, cid);
	html = page(f, f->ed, path);
	assert_non_null(strstr(html, "name=\"started_at\" value=\"2019-07-02 16:00\""));
	assert_non_null(strstr(html, "value=\"2019-07-02 15:42\""));
	free(html);
	snprintf(form, sizeof form,
		 "version=1&started_at=2019-07-02+16%%3A00&timeline%%5B0%%5D.id=%lld"
		 "&timeline%%5B0%%5D.at=16%%3A05&timeline%%5B0%%5D.kind=deploy"
		 "&timeline%%5B0%%5D.text=WAF+rule+deployed",
		 cid);
	assert_int_equal(acct_form(f->s, f->ed, f->csrf, path, form, &r), 303);
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->ed_token, "GET",
				   PATHF(path, "/api/v1/reviews/%lld/timeline/%lld",
					 (long long)f->id, cid),
				   NULL, &r),
			 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "at")),
			    "2019-07-02T14:05:00Z");
	http_resp_free(&r);
	/* a bad time: the error names the zone it is typed in */
	PATHF(path, "/reviews/%lld/timeline/%lld/edit", (long long)f->id, cid);
	snprintf(form, sizeof form,
		 "version=2&timeline%%5B0%%5D.id=%lld&timeline%%5B0%%5D.at=noon"
		 "&timeline%%5B0%%5D.kind=deploy&timeline%%5B0%%5D.text=x",
		 cid);
	assert_int_equal(acct_form(f->s, f->ed, f->csrf, path, form, &r), 422);
	p = strstr(r.body, "id=\"e-timeline-0--at\">");
	assert_non_null(p);
	assert_non_null(strstr(p, "(Europe/Berlin)"));
	http_resp_free(&r);
	set_zone(f, f->ed_token, "");
}

static void test_the_chat_counts_days_and_takes_its_window_in_the_zone(
	void **state)
{
	struct fx *f = *state;
	const char *hdrs[] = {f->ed_token, NULL};
	struct http_resp r;
	char path[128], *html;

	set_zone(f, f->ed_token, "Europe/Berlin");
	/* 23:30 and 00:30 in Berlin: two days there, one in UTC */
	assert_int_equal(
		http_do(f->s, "POST",
			PATHF(path, "/api/v1/reviews/%lld/transcripts?name=c.csv",
			      (long long)f->id),
			"text/csv",
			"time,author,text\n"
			"2019-07-02T21:30:00Z,alice,late one\n"
			"2019-07-02T22:30:00Z,bob,after midnight\n",
			hdrs, &r),
		0);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	PATHF(path, "/reviews/%lld/chat?all=1", (long long)f->id);
	html = page(f, f->ed, path);
	assert_non_null(strstr(html, "scope=\"rowgroup\">2019-07-02</th>"));
	assert_non_null(strstr(html, "scope=\"rowgroup\">2019-07-03</th>"));
	free(html);
	html = page(f, f->rita, path);
	assert_null(strstr(html, "scope=\"rowgroup\">2019-07-03</th>"));
	free(html);
	/* From a Berlin date: from its midnight there */
	PATHF(path, "/reviews/%lld/chat?since=2019-07-03", (long long)f->id);
	html = page(f, f->ed, path);
	assert_non_null(strstr(html, "after midnight"));
	assert_null(strstr(html, "late one"));
	assert_non_null(strstr(html, "name=\"since\" size=\"20\" "
				     "value=\"2019-07-03 00:00\""));
	free(html);
	/* a time that is none: refused, as before */
	PATHF(path, "/reviews/%lld/chat?since=teatime", (long long)f->id);
	assert_int_equal(acct_send(f->s, f->ed, "GET", path, NULL, &r), 400);
	http_resp_free(&r);
	set_zone(f, f->ed_token, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_me_names_the_zone_in_use_and_patch_sets_it),
		cmocka_unit_test(
			test_a_zone_not_in_the_database_is_refused_and_changes_nothing),
		cmocka_unit_test(test_one_cached_page_shows_each_reader_their_zone),
		cmocka_unit_test(test_forms_show_and_take_times_in_the_persons_zone),
		cmocka_unit_test(
			test_the_chat_counts_days_and_takes_its_window_in_the_zone),
	};

	return cmocka_run_group_tests(tests, tz_up, tz_down);
}
