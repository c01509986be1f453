/* test_bad_input.c: every kind of bad input to the JSON API gets a clear
 * error naming what is wrong, and changes nothing (checked by reading the
 * data back). */
#include "api/api_checks.h"

#include <signal.h>

/* post_bad posts body to /api/v1/reviews, checks the error and that no
 * review was created. */
static void post_bad(struct hs *s, const char *content_type, const char *body,
		     long status, const char *code, const char *field)
{
	int64_t before = review_total(s, 0);
	struct http_resp r;

	assert_int_equal(http_do(s, "POST", "/api/v1/reviews", content_type,
				 body, NULL, &r),
			 0);
	check_error(&r, status, code, field);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), before);
}

/* patch_bad patches review id with body, checks the error and that the
 * review reads back exactly as before. */
static void patch_bad(struct hs *s, int64_t id, const char *body, long status,
		      const char *code, const char *field)
{
	json_t *before = get_review(s, id);
	struct http_resp r;
	char path[64];

	http_json(s, "PATCH",
		  PATHF(path, "/api/v1/reviews/%lld", (long long)id), body, &r);
	check_error(&r, status, code, field);
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
}

static void test_malformed_json_is_400_with_line_and_column(void **state)
{
	struct hs *s = *state;
	int64_t before = review_total(s, 0);
	struct http_resp r;
	const char *msg;

	http_json(s, "POST", "/api/v1/reviews", "{\n  \"title\": \"x\",\n  }",
		  &r);
	check_error(&r, 400, "bad_request", NULL);
	msg = jstr(json_object_get(r.json, "error"), "message");
	assert_non_null(strstr(msg, "line 3"));
	assert_non_null(strstr(msg, "column"));
	http_resp_free(&r);
	post_bad(s, NULL, "[1, 2]", 400, "bad_request", NULL);
	post_bad(s, NULL, "", 400, "bad_request", NULL);
	post_bad(s, NULL, "{\"title\": \"a\"} trailing", 400, "bad_request",
		 NULL);
	assert_int_equal(review_total(s, 0), before);
}

static void test_unknown_fields_are_400_naming_them(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");

	post_bad(s, NULL, "{\"title\": \"x\", \"root_cause\": \"bob\"}", 400,
		 "bad_request", "root_cause");
	post_bad(s, NULL,
		 "{\"title\": \"x\", \"timeline\": [{\"at\": "
		 "\"2026-01-01T00:00:00Z\", \"text\": \"t\", \"blame\": 1}]}",
		 400, "bad_request", "timeline[0].blame");
	patch_bad(s, id, "{\"root_cause\": \"bob\"}", 400, "bad_request",
		  "root_cause");
	/* child lists have their own endpoints */
	patch_bad(s, id, "{\"timeline\": []}", 400, "bad_request", "timeline");
	patch_bad(s, id, "{\"tags\": [\"x\"]}", 400, "bad_request", "tags");
}

static void test_wrong_types_are_400_naming_the_field(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");

	post_bad(s, NULL, "{\"title\": 42}", 400, "bad_request", "title");
	post_bad(s, NULL, "{\"title\": \"x\", \"severity\": \"high\"}", 400,
		 "bad_request", "severity");
	post_bad(s, NULL, "{\"title\": \"x\", \"severity\": 2.5}", 400,
		 "bad_request", "severity");
	post_bad(s, NULL, "{\"title\": \"x\", \"started_at\": 1700000000}", 400,
		 "bad_request", "started_at");
	post_bad(s, NULL, "{\"title\": \"x\", \"started_at\": \"noon\"}", 400,
		 "bad_request", "started_at");
	post_bad(s, NULL, "{\"title\": \"x\", \"services\": \"web\"}", 400,
		 "bad_request", "services");
	post_bad(s, NULL, "{\"title\": \"x\", \"timeline\": {}}", 400,
		 "bad_request", "timeline");
	patch_bad(s, id, "{\"title\": [\"x\"]}", 400, "bad_request", "title");
	patch_bad(s, id, "{\"version\": \"1\", \"title\": \"y\"}", 400,
		  "bad_request", "version");
}

static void test_missing_title_is_422(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");

	post_bad(s, NULL, "{\"kind\": \"incident\"}", 422, "invalid", "title");
	post_bad(s, NULL, "{\"title\": \"\"}", 422, "invalid", "title");
	post_bad(s, NULL, "{\"title\": null}", 422, "invalid", "title");
	post_bad(s, NULL, "{\"title\": \" \\t \"}", 422, "invalid", "title");
	patch_bad(s, id, "{\"title\": null}", 422, "invalid", "title");
	patch_bad(s, id, "{\"title\": \"   \"}", 422, "invalid", "title");
}

static void test_severity_out_of_range_is_rejected(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\", "
				      "\"severity\": 3}");

	post_bad(s, NULL, "{\"title\": \"x\", \"severity\": 0}", 422, "invalid",
		 "severity");
	post_bad(s, NULL, "{\"title\": \"x\", \"severity\": 6}", 422, "invalid",
		 "severity");
	post_bad(s, NULL, "{\"title\": \"x\", \"severity\": \"high\"}", 400,
		 "bad_request", "severity");
	patch_bad(s, id, "{\"severity\": 9, \"version\": 1}", 422, "invalid",
		  "severity");
}

static void test_resolved_before_started_is_422(void **state)
{
	struct hs *s = *state;
	int64_t id =
		create_review(s, "{\"title\": \"Target\","
				 " \"started_at\": \"2026-11-20T10:00:00Z\"}");

	post_bad(s, NULL,
		 "{\"title\": \"x\", \"started_at\": \"2026-11-20T10:00:00Z\","
		 " \"resolved_at\": \"2026-11-20T09:00:00Z\"}",
		 422, "invalid", "resolved_at");
	/* the rule holds against the stored value too */
	patch_bad(s, id, "{\"resolved_at\": \"2026-11-19T10:00:00Z\"}", 422,
		  "invalid", "resolved_at");
}

static void test_invalid_embedded_child_names_its_position(void **state)
{
	struct hs *s = *state;

	post_bad(s, NULL,
		 "{\"title\": \"x\", \"timeline\": [{\"at\": "
		 "\"2026-01-01T00:00:00Z\", \"text\": \"ok\"}, {\"text\": "
		 "\"no time\"}]}",
		 422, "invalid", "timeline[1].at");
	post_bad(s, NULL,
		 "{\"title\": \"x\", \"links\": [{\"url\": "
		 "\"javascript:alert(1)\"}]}",
		 422, "invalid", "links[0].url");
}

static void test_invalid_utf8_is_400(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");

	post_bad(s, NULL, "{\"title\": \"caf\xc3\x28\"}", 400, "bad_request",
		 NULL);
	post_bad(s, NULL, "{\"title\": \"\xed\xa0\x80 surrogate\"}", 400,
		 "bad_request", NULL);
	post_bad(s, NULL, "{\"title\": \"overlong \xc0\xaf\"}", 400,
		 "bad_request", NULL);
	patch_bad(s, id, "{\"summary\": \"\xff\"}", 400, "bad_request", NULL);
}

static void test_control_characters_in_a_title_are_422(void **state)
{
	struct hs *s = *state;

	post_bad(s, NULL, "{\"title\": \"bell\\u0007\"}", 422, "invalid",
		 "title");
	post_bad(s, NULL, "{\"title\": \"nul\\u0000byte\"}", 400, "bad_request",
		 NULL);
}

static void test_title_of_100_kb_is_422(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");
	size_t n = 100 * 1024;
	char *body = malloc(n + 64), *p;

	assert_non_null(body);
	p = body + sprintf(body, "{\"title\": \"");
	memset(p, 'a', n);
	strcpy(p + n, "\"}");
	post_bad(s, NULL, body, 422, "invalid", "title");
	patch_bad(s, id, body, 422, "invalid", "title");
	free(body);
}

static void test_wrong_content_type_is_415(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");
	json_t *before = get_review(s, id);
	struct http_resp r;
	char path[64];

	post_bad(s, "text/plain", "{\"title\": \"x\"}", 415,
		 "unsupported_media_type", NULL);
	post_bad(s, "application/x-www-form-urlencoded", "title=x", 415,
		 "unsupported_media_type", NULL);
	http_do(s, "PATCH", PATHF(path, "/api/v1/reviews/%lld", (long long)id),
		"text/plain", "{\"title\": \"y\"}", NULL, &r);
	check_error(&r, 415, "unsupported_media_type", NULL);
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
	/* parameters after the media type are fine */
	post_bad(s, "application/json; charset=utf-8", "{\"title\": 1}", 400,
		 "bad_request", "title");
}

static void test_unknown_id_is_404(void **state)
{
	struct hs *s = *state;
	static const char *const paths[] = {
		"/api/v1/reviews/999999",
		"/api/v1/reviews/0",
		"/api/v1/reviews/abc",
		"/api/v1/reviews/-3",
	};
	struct http_resp r;

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		http_get(s, paths[i], &r);
		check_error(&r, 404, "not_found", NULL);
		http_resp_free(&r);
		http_json(s, "PATCH", paths[i], "{\"title\": \"x\"}", &r);
		check_error(&r, 404, "not_found", NULL);
		http_resp_free(&r);
		http_json(s, "DELETE", paths[i], NULL, &r);
		check_error(&r, 404, "not_found", NULL);
		http_resp_free(&r);
	}
	http_json(s, "POST", "/api/v1/reviews/999999/restore", NULL, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 0);
	assert_int_equal(review_total(s, 1), 0);
}

static void test_a_path_that_is_not_a_route_is_404(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	http_get(s, "/api/v1/nope", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_get(s, "/api/v2/reviews", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/no/such/page", &r), 404);
	http_resp_free(&r);
}

static void test_stale_patch_changes_nothing(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Target\"}");
	struct http_resp r;
	char path[64];

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_json(s, "PATCH", path,
				   "{\"version\": 1, \"severity\": 2}", &r),
			 200);
	http_resp_free(&r);
	patch_bad(s, id, "{\"version\": 1, \"title\": \"Overwrite\"}", 409,
		  "conflict", "version");
	patch_bad(s, id, "{\"version\": 1}", 409, "conflict", "version");
	patch_bad(s, id, "{\"version\": 0, \"title\": \"x\"}", 400,
		  "bad_request", "version");
	{
		const char *const hdr[] = {"If-Match: \"garbage\"", NULL};
		json_t *before = get_review(s, id);

		http_do(s, "PATCH", path, NULL, "{\"title\": \"x\"}", hdr, &r);
		check_error(&r, 400, "bad_request", NULL);
		http_resp_free(&r);
		assert_unchanged(s, id, before);
		json_decref(before);
	}
}

/* The body limit needs a server of its own, started with a small limit
 * through the environment (DEBRIEF_MAX_BODY). */
static void test_body_over_the_limit_is_413(void **state)
{
	const char *const chunked[] = {"Transfer-Encoding: chunked", NULL};
	struct hs small = {0};
	struct http_resp r;
	size_t n = 8 * 1024;
	char *body = malloc(n + 64), *p;

	(void)state;
	assert_non_null(body);
	setenv("DEBRIEF_MAX_BODY", "4096", 1);
	assert_int_equal(hs_start(&small, NULL), 0);
	unsetenv("DEBRIEF_MAX_BODY");

	p = body + sprintf(body, "{\"title\": \"big\", \"summary\": \"");
	memset(p, 'a', n);
	strcpy(p + n, "\"}");
	assert_int_equal(http_do(&small, "POST", "/api/v1/reviews", NULL, body,
				 NULL, &r),
			 0);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	/* a chunked body has no length up front: cut off while it is read */
	assert_int_equal(http_do(&small, "POST", "/api/v1/reviews", NULL, body,
				 chunked, &r),
			 0);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	/* under the limit is fine, and the big one left nothing behind */
	assert_int_equal(review_total(&small, 0), 0);
	create_review(&small, "{\"title\": \"small\"}");
	assert_int_equal(review_total(&small, 0), 1);
	assert_int_equal(hs_stop(&small), 0);
	hs_cleanup(&small);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
		T(test_malformed_json_is_400_with_line_and_column),
		T(test_unknown_fields_are_400_naming_them),
		T(test_wrong_types_are_400_naming_the_field),
		T(test_missing_title_is_422),
		T(test_severity_out_of_range_is_rejected),
		T(test_resolved_before_started_is_422),
		T(test_invalid_embedded_child_names_its_position),
		T(test_invalid_utf8_is_400),
		T(test_control_characters_in_a_title_are_422),
		T(test_title_of_100_kb_is_422),
		T(test_wrong_content_type_is_415),
		T(test_unknown_id_is_404),
		T(test_a_path_that_is_not_a_route_is_404),
		T(test_stale_patch_changes_nothing),
		cmocka_unit_test(test_body_over_the_limit_is_413),
#undef T
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
