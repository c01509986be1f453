/* test_drafts.c: the draft endpoints against the real server. A draft is
 * its author's alone (nobody else reads, replaces or deletes it, admins
 * included); a restricted review's draft is out of reach while the review
 * is hidden from its author; bad bodies and oversized ones are refused
 * and change nothing; a successful save of the form drops the draft. */
#include "api/account_checks.h"

enum who {
	EIN,
	EOUT,
	ADA,
	RIN,
	NWHO
};

static const struct {
	const char *name, *role, *groups;
} people[NWHO] = {
	[EIN] = {"ein", "editor", "security"},
	[EOUT] = {"eout", "editor", "ops"},
	[ADA] = {"ada", "admin", ""},
	[RIN] = {"rin", "reader", "security"},
};

struct world {
	struct hs *s;
	char auth[NWHO][160];
	long long open, secret; /* an open review, one restricted to security */
};

static long long new_review(struct world *W, const char *json)
{
	struct http_resp r;
	long long id;

	assert_int_equal(acct_send(W->s, W->auth[ADA], "POST",
				   "/api/v1/reviews", json, &r),
			 201);
	id = (long long)json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

static int world_up(void **state)
{
	struct world *W = calloc(1, sizeof *W);
	char args[256], pw[64];

	assert_non_null(W);
	W->s = acct_prepare();
	for (int w = 0; w < NWHO; w++) {
		snprintf(args, sizeof args,
			 "user add %s --role %s%s%s --password-stdin",
			 people[w].name, people[w].role,
			 people[w].groups[0] ? " --groups " : "",
			 people[w].groups);
		snprintf(pw, sizeof pw, "pw-of-%s\n", people[w].name);
		assert_int_equal(acct_cli(W->s, pw, NULL, 0, args), 0);
		acct_token(W->s, people[w].name, "write", W->auth[w],
			   sizeof W->auth[w]);
	}
	if (hs_start(W->s, NULL) < 0)
		return -1;
	W->open = new_review(W, "{\"title\": \"Open outage\"}");
	W->secret = new_review(W, "{\"title\": \"Phishing\", "
				  "\"restricted_to\": [\"security\"]}");
	*state = W;
	return 0;
}

static int world_down(void **state)
{
	struct world *W = *state;

	hs_stop(W->s);
	hs_cleanup(W->s);
	free(W->s);
	free(W);
	return 0;
}

#define PATHF(buf, ...) (snprintf(buf, sizeof buf, __VA_ARGS__), buf)

static const char *draft_path(char *buf, size_t n, long long id)
{
	if (id)
		snprintf(buf, n, "/api/v1/reviews/%lld/draft", id);
	else
		snprintf(buf, n, "/api/v1/drafts/new");
	return buf;
}

static void test_author_puts_gets_and_deletes_own_draft(void **state)
{
	struct world *W = *state;
	struct http_resp r;
	char p[64];

	draft_path(p, sizeof p, W->open);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "GET", p, NULL, NULL),
			 404);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "PUT", p,
				   "{\"version\": 1, \"fields\": {\"summary\": "
				   "\"Half a thought\", \"timeline[4].text\": "
				   "\"Paged the DBA\"}}",
				   NULL),
			 204);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "GET", p, NULL, &r),
			 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 1);
	assert_int_equal(
		json_integer_value(json_object_get(r.json, "review_id")),
		W->open);
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(r.json, "fields"), "timeline[4].text")),
		"Paged the DBA");
	assert_non_null(
		json_string_value(json_object_get(r.json, "updated_at")));
	assert_non_null(strstr(r.headers, "no-store"));
	http_resp_free(&r);
	/* a second put replaces the first */
	assert_int_equal(acct_send(W->s, W->auth[EIN], "PUT", p,
				   "{\"fields\": {\"summary\": \"Whole\"}}",
				   NULL),
			 204);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "GET", p, NULL, &r),
			 200);
	assert_null(json_object_get(json_object_get(r.json, "fields"),
				    "timeline[4].text"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "DELETE", p, NULL, NULL),
			 204);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "GET", p, NULL, NULL),
			 404);
	/* deleting what is not there is fine */
	assert_int_equal(acct_send(W->s, W->auth[EIN], "DELETE", p, NULL, NULL),
			 204);
}

static void test_draft_is_visible_only_to_its_author(void **state)
{
	struct world *W = *state;
	struct http_resp r;
	char p[64];

	for (int i = 0; i < 2; i++) {
		long long id = i ? W->open : 0;

		draft_path(p, sizeof p, id);
		assert_int_equal(acct_send(W->s, W->auth[EIN], "PUT", p,
					   "{\"fields\": {\"title\": "
					   "\"Ein's words\"}}",
					   NULL),
				 204);
		/* another editor and an admin have none of their own */
		assert_int_equal(
			acct_send(W->s, W->auth[EOUT], "GET", p, NULL, NULL),
			404);
		assert_int_equal(
			acct_send(W->s, W->auth[ADA], "GET", p, NULL, NULL),
			404);
		/* their put and delete touch only their own */
		assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT", p,
					   "{\"fields\": {\"title\": "
					   "\"Eout's words\"}}",
					   NULL),
				 204);
		assert_int_equal(
			acct_send(W->s, W->auth[ADA], "DELETE", p, NULL, NULL),
			204);
		assert_int_equal(
			acct_send(W->s, W->auth[EIN], "GET", p, NULL, &r), 200);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(r.json, "fields"), "title")),
			"Ein's words");
		http_resp_free(&r);
		/* readers keep no drafts; nobody signed in neither */
		assert_int_equal(
			acct_send(W->s, W->auth[RIN], "GET", p, NULL, NULL),
			403);
		assert_int_equal(acct_send(W->s, W->auth[RIN], "PUT", p,
					   "{\"fields\": {}}", NULL),
				 403);
		assert_int_equal(acct_send(W->s, NULL, "GET", p, NULL, NULL),
				 401);
	}
}

static void test_restricted_review_draft_stays_restricted(void **state)
{
	struct world *W = *state;
	struct http_resp r;
	char p[64], args[128];

	draft_path(p, sizeof p, W->secret);
	/* eout does not see the review: as if it did not exist */
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT", p,
				   "{\"fields\": {\"title\": \"x\"}}", &r),
			 404);
	assert_non_null(strstr(r.body, "no review"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "GET", p, NULL, NULL),
			 404);
	/* ein does, and writes a draft */
	assert_int_equal(acct_send(W->s, W->auth[EIN], "PUT", p,
				   "{\"fields\": {\"summary\": \"Secret "
				   "findings\"}}",
				   NULL),
			 204);
	/* ein leaves the group: the draft is out of reach with the review */
	snprintf(args, sizeof args, "user groups ein ops");
	assert_int_equal(acct_cli(W->s, NULL, NULL, 0, args), 0);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "GET", p, NULL, &r),
			 404);
	assert_null(strstr(r.body, "Secret findings"));
	http_resp_free(&r);
	/* and back in: there again */
	snprintf(args, sizeof args, "user groups ein security");
	assert_int_equal(acct_cli(W->s, NULL, NULL, 0, args), 0);
	assert_int_equal(acct_send(W->s, W->auth[EIN], "GET", p, NULL, NULL),
			 200);
}

static void test_bad_drafts_are_400_and_change_nothing(void **state)
{
	struct world *W = *state;
	static const char *bad[] = {
		"",
		"not json",
		"[]",
		"{}",
		"{\"fields\": []}",
		"{\"fields\": {\"title\": 3}}",
		"{\"fields\": {\"title\": null}}",
		"{\"fields\": {}, \"extra\": 1}",
		"{\"fields\": {}, \"version\": -2}",
		"{\"fields\": {}, \"version\": \"7\"}",
		"{\"fields\": {\"\": \"empty name\"}}",
	};
	struct http_resp r;
	char p[64];

	draft_path(p, sizeof p, W->open);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT", p,
				   "{\"fields\": {\"title\": \"kept\"}}", NULL),
			 204);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long st = acct_send(W->s, W->auth[EOUT], "PUT", p, bad[i], &r);

		if (st != 400)
			fail_msg("%s: %ld", bad[i], st);
		assert_non_null(json_object_get(r.json, "error"));
		http_resp_free(&r);
	}
	/* no review, a bad id */
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT",
				   "/api/v1/reviews/99999/draft",
				   "{\"fields\": {}}", NULL),
			 404);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT",
				   "/api/v1/reviews/abc/draft",
				   "{\"fields\": {}}", NULL),
			 404);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "GET", p, NULL, &r),
			 200);
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(r.json, "fields"), "title")),
		"kept");
	http_resp_free(&r);
}

static void test_draft_over_the_size_limit_is_413(void **state)
{
	struct world *W = *state;
	size_t n = 2 * 1024 * 1024 + 100;
	char *big = malloc(n + 64), p[64];
	struct http_resp r;

	assert_non_null(big);
	strcpy(big, "{\"fields\": {\"summary\": \"");
	memset(big + strlen(big), 'a', n);
	strcpy(big + 25 + n, "\"}}");
	draft_path(p, sizeof p, 0);
	assert_int_equal(
		acct_send(W->s, W->auth[EOUT], "DELETE", p, NULL, NULL), 204);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT", p, big, &r),
			 413);
	assert_non_null(strstr(r.body, "at most"));
	http_resp_free(&r);
	free(big);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "GET", p, NULL, NULL),
			 404);
}

static void test_saving_the_form_drops_the_draft(void **state)
{
	struct world *W = *state;
	char p[64], cookie[200], csrf[128], path[64];
	struct http_resp r;

	assert_int_equal(
		acct_login(W->s, "eout", "pw-of-eout", cookie, sizeof cookie),
		303);
	draft_path(p, sizeof p, W->open);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT", p,
				   "{\"fields\": {\"title\": \"typed\"}}",
				   NULL),
			 204);
	acct_page_csrf(W->s, cookie, PATHF(path, "/reviews/%lld/edit", W->open),
		       csrf, sizeof csrf);
	assert_int_equal(acct_form(W->s, cookie, csrf, path,
				   "version=1&title=Open+outage+renamed", &r),
			 303);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "GET", p, NULL, NULL),
			 404);
	/* the new-review form's draft too */
	draft_path(p, sizeof p, 0);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "PUT", p,
				   "{\"fields\": {\"title\": \"typed\"}}",
				   NULL),
			 204);
	assert_int_equal(acct_form(W->s, cookie, csrf, "/reviews",
				   "title=Brand+new", &r),
			 303);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->auth[EOUT], "GET", p, NULL, NULL),
			 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_author_puts_gets_and_deletes_own_draft),
		cmocka_unit_test(test_draft_is_visible_only_to_its_author),
		cmocka_unit_test(test_restricted_review_draft_stays_restricted),
		cmocka_unit_test(test_bad_drafts_are_400_and_change_nothing),
		cmocka_unit_test(test_draft_over_the_size_limit_is_413),
		cmocka_unit_test(test_saving_the_form_drops_the_draft),
	};
	return cmocka_run_group_tests_name("drafts", tests, world_up,
					   world_down);
}
