/* test_calendar.c: the calendar of review meetings: GET /calendar (the
 * page: overdue reviews, upcoming meetings, the month) and GET
 * /calendar.ics, the feed calendar apps subscribe to with a per-user
 * token made on the page (POST /calendar/token): it reads what its user
 * may read, a new token stops the old, and without a token or a session
 * there is no feed. */
#include "api/api_checks.h"

#include <time.h>

#include "api/account_checks.h"

/* soon formats a meeting days from now, at 13:00 UTC; month (may be
 * NULL) gets its "YYYY-MM". */
static const char *soon(int days, char *month)
{
	static char body[128];
	time_t t = time(NULL) + days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(body, sizeof body,
		 "{\"start\": \"%Y-%m-%dT13:00:00Z\", \"duration_minutes\": "
		 "60}",
		 &tm);
	if (month)
		strftime(month, 8, "%Y-%m", &tm);
	return body;
}

static void put_meeting(struct hs *s, const char *auth, int64_t id,
			const char *body)
{
	char path[64];

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/meeting",
		 (long long)id);
	assert_int_equal(acct_send(s, auth, "PUT", path, body, NULL), 201);
}

static char *uid_of(struct hs *s, const char *auth, int64_t id)
{
	struct http_resp r;
	char path[64], *uid;

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/meeting",
		 (long long)id);
	assert_int_equal(acct_send(s, auth, "GET", path, NULL, &r), 200);
	uid = strdup(json_string_value(json_object_get(r.json, "uid")));
	http_resp_free(&r);
	return uid;
}

static void test_feed_and_page_without_accounts(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Cache stampede\"}");
	struct http_resp r;
	char *uid, *type, month[8], path[64];

	put_meeting(s, NULL, id, soon(10, month));
	uid = uid_of(s, NULL, id);
	/* the anonymous local admin reads the feed with its session rules */
	assert_int_equal(http_get(s, "/calendar.ics", &r), 200);
	type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/calendar"));
	free(type);
	assert_non_null(strstr(r.body, "METHOD:PUBLISH"));
	assert_non_null(strstr(r.body, uid));
	http_resp_free(&r);
	snprintf(path, sizeof path, "/calendar?month=%s", month);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "id=\"upcoming\""));
	assert_non_null(strstr(r.body, "class=\"cal-meeting\""));
	assert_non_null(strstr(r.body, "Cache stampede"));
	http_resp_free(&r);
	/* a malformed month falls back to this month, not an error */
	assert_int_equal(http_get(s, "/calendar?month=2099-13", &r), 200);
	http_resp_free(&r);
	free(uid);
}

/* feed_token posts the page's form as cookie's user and reads the token
 * out of the address it shows. */
static void feed_token(struct hs *s, const char *cookie, char *out, size_t n)
{
	struct http_resp r;
	char csrf[256];
	const char *p;

	acct_page_csrf(s, cookie, "/calendar", csrf, sizeof csrf);
	assert_int_equal(acct_form(s, cookie, csrf, "/calendar/token", "", &r),
			 200);
	p = strstr(r.body, "/calendar.ics?token=");
	assert_non_null(p);
	p += strlen("/calendar.ics?token=");
	snprintf(out, n, "%.*s", (int)strcspn(p, "<\" "), p);
	assert_int_equal(strncmp(out, "dcf_", 4), 0);
	http_resp_free(&r);
}

static void test_feed_token_reads_what_its_user_may_read(void **state)
{
	struct hs *s = acct_prepare();
	char admin[160], rita[160], tok[128], tok2[128], path[256];
	int64_t open, secret;
	struct http_resp r;
	char *uid_open, *uid_secret;

	(void)state;
	acct_add_user(s, "ada", "admin");
	acct_add_user(s, "rita", "reader");
	assert_int_equal(hs_start(s, NULL), 0);
	acct_token(s, "ada", "write", admin, sizeof admin);
	assert_int_equal(acct_send(s, admin, "POST", "/api/v1/reviews",
				   "{\"title\": \"Open one\"}", &r),
			 201);
	open = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(acct_send(s, admin, "POST", "/api/v1/reviews",
				   "{\"title\": \"Legal one\", "
				   "\"restricted_to\": [\"legal\"]}",
				   &r),
			 201);
	secret = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	put_meeting(s, admin, open, soon(11, NULL));
	put_meeting(s, admin, secret, soon(12, NULL));
	uid_open = uid_of(s, admin, open);
	uid_secret = uid_of(s, admin, secret);

	/* no token and no session: no feed */
	assert_int_equal(http_get(s, "/calendar.ics", &r), 401);
	http_resp_free(&r);
	assert_int_equal(acct_login(s, "rita", "pw-of-rita", rita, sizeof rita),
			 303);
	feed_token(s, rita, tok, sizeof tok);
	snprintf(path, sizeof path, "/calendar.ics?token=%s", tok);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, uid_open));
	assert_null(strstr(r.body, uid_secret)); /* restricted to legal */
	http_resp_free(&r);
	/* a new token stops the old */
	feed_token(s, rita, tok2, sizeof tok2);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(http_get(s, path, &r), 403);
	http_resp_free(&r);
	snprintf(path, sizeof path, "/calendar.ics?token=%s", tok2);
	assert_int_equal(http_get(s, path, &r), 200);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/calendar.ics?token=dcf_nope", &r), 403);
	http_resp_free(&r);
	/* overdue reviews as each may see them */
	{
		char body[200], t[32];
		time_t when = time(NULL) - 20 * 86400;
		struct tm tm;

		gmtime_r(&when, &tm);
		strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(body, sizeof body,
			 "{\"title\": \"Legal overdue\", \"resolved_at\": "
			 "\"%s\", \"restricted_to\": [\"legal\"]}",
			 t);
		assert_int_equal(acct_send(s, admin, "POST", "/api/v1/reviews",
					   body, NULL),
				 201);
	}
	assert_int_equal(acct_send(s, rita, "GET", "/calendar", NULL, &r), 200);
	assert_null(strstr(r.body, "Legal overdue"));
	http_resp_free(&r);
	assert_int_equal(acct_send(s, rita, "GET", "/", NULL, &r), 200);
	assert_null(strstr(r.body, "Legal overdue"));
	http_resp_free(&r);
	assert_int_equal(acct_send(s, admin, "GET", "/calendar", NULL, &r), 200);
	assert_non_null(strstr(r.body, "Legal overdue"));
	http_resp_free(&r);
	/* the admin's own feed has both */
	assert_int_equal(acct_send(s, admin, "GET", "/calendar.ics", NULL, &r),
			 200);
	assert_non_null(strstr(r.body, uid_secret));
	http_resp_free(&r);
	free(uid_open);
	free(uid_secret);
	assert_int_equal(hs_stop(s), 0);
	hs_cleanup(s);
	free(s);
}

static void set_status(struct hs *s, int64_t id, const char *status)
{
	char path[64], body[64];
	struct http_resp r;

	snprintf(body, sizeof body,
		 "{\"version\": %lld, \"status\": \"%s\"}",
		 (long long)review_version(s, id), status);
	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)id),
				   body, &r),
			 200);
	http_resp_free(&r);
}

static void test_overdue_reviews_on_the_index_and_the_calendar(void **state)
{
	struct hs *s = *state;
	char body[200], t[32];
	time_t when = time(NULL) - 20 * 86400 - 3600;
	struct tm tm;
	struct http_resp r;
	int64_t met, slow;

	gmtime_r(&when, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof body,
		 "{\"title\": \"Slow checkout\", \"resolved_at\": \"%s\"}", t);
	slow = create_review(s, body);
	snprintf(body, sizeof body,
		 "{\"title\": \"Met already\", \"resolved_at\": \"%s\"}", t);
	met = create_review(s, body);
	put_meeting(s, NULL, met, soon(-3, NULL));
	assert_int_equal(http_get(s, "/", &r), 200);
	assert_non_null(strstr(r.body, "overdue-notice"));
	assert_non_null(strstr(r.body, "Slow checkout</a> (6 days overdue)"));
	assert_null(strstr(r.body, "Met already</a> ("));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/calendar", &r), 200);
	assert_non_null(strstr(r.body, "6 days overdue"));
	http_resp_free(&r);
	/* published: not overdue; with every review published the store
	 * looks at none (its kept counts), and sees the one taken back */
	set_status(s, slow, "published");
	assert_int_equal(http_get(s, "/", &r), 200);
	assert_null(strstr(r.body, "overdue-notice"));
	http_resp_free(&r);
	set_status(s, met, "published");
	assert_int_equal(http_get(s, "/", &r), 200);
	assert_null(strstr(r.body, "overdue-notice"));
	http_resp_free(&r);
	set_status(s, slow, "draft");
	assert_int_equal(http_get(s, "/", &r), 200);
	assert_non_null(strstr(r.body, "Slow checkout</a> (6 days overdue)"));
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_feed_and_page_without_accounts, server_up,
			server_down),
		cmocka_unit_test(test_feed_token_reads_what_its_user_may_read),
		cmocka_unit_test_setup_teardown(
			test_overdue_reviews_on_the_index_and_the_calendar,
			server_up, server_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
