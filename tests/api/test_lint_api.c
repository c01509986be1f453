/* test_lint_api.c: POST /api/v1/lint against the real server: findings in
 * the engine's JSON format with UTF-8 byte offsets, categories that can be
 * disabled, markdown code left alone, and every kind of bad input answered
 * with the one JSON error shape. The rules themselves are tested in
 * tests/unit/test_lint_rules.c; these sentences are clear-cut on purpose. */
#include "api/api_checks.h"

#define COUNTERFACTUAL "The on-call engineer should have checked the dashboard."

/* lint posts body, asserts 200 JSON and returns the "findings" array (a
 * new reference; the caller decrefs). */
static json_t *lint(struct hs *s, const char *body)
{
	struct http_resp r;
	json_t *f;

	assert_int_equal(http_json(s, "POST", "/api/v1/lint", body, &r), 200);
	assert_non_null(strstr(r.headers, "application/json"));
	assert_non_null(r.json);
	f = json_object_get(r.json, "findings");
	assert_true(json_is_array(f));
	json_incref(f);
	http_resp_free(&r);
	return f;
}

/* post_text lints one string (JSON-encoded here). */
static json_t *post_text(struct hs *s, const char *text, const char *disable)
{
	json_t *req = json_pack("{s:s}", "text", text), *f;
	char *body;

	assert_non_null(req);
	if (disable)
		json_object_set_new(req, "disable",
				    json_loads(disable, 0, NULL));
	body = json_dumps(req, JSON_COMPACT);
	assert_non_null(body);
	f = lint(s, body);
	free(body);
	json_decref(req);
	return f;
}

/* has_category tells whether any finding is of category cat. */
static int has_category(json_t *findings, const char *cat)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
	{
		if (!strcmp(jstr(f, "category"), cat))
			return 1;
	}
	return 0;
}

static void
test_counterfactual_after_multibyte_text_has_byte_offsets(void **state)
{
	/* 2-, 3- and 4-byte characters before the words: "Ü", "—", "🚨" */
	const char text[] = "Über die Störung — 🚨 " COUNTERFACTUAL;
	const char *words = strstr(text, "should have");
	size_t start = (size_t)(words - text);
	json_t *findings = post_text(*state, text, NULL), *f;
	const char *flagged;

	assert_int_equal(json_array_size(findings), 1);
	f = json_array_get(findings, 0);
	assert_string_equal(jstr(f, "category"), "counterfactual");
	/* bytes, not characters: 42 characters but 49 bytes precede it */
	assert_int_equal(start, 49);
	assert_int_equal(jint(f, "start"), (int64_t)start);
	flagged = jstr(f, "text");
	assert_non_null(flagged);
	assert_int_equal(jint(f, "end"), (int64_t)(start + strlen(flagged)));
	assert_memory_equal(text + start, flagged, strlen(flagged));
	assert_true(!strncmp(flagged, "should have", 11));
	assert_int_equal(jint(f, "line"), 1);
	/* columns count code points */
	assert_int_equal(jint(f, "column"), 43);
	assert_true(strlen(jstr(f, "message")) > 20);
	assert_true(strlen(jstr(f, "suggestion")) > 10);
	/* a counterfactual is a hint (the editor shows it quietly) */
	assert_string_equal(jstr(f, "severity"), "hint");
	json_decref(findings);
}

static void
test_line_and_column_count_from_the_line_of_the_finding(void **state)
{
	json_t *findings = post_text(
		*state,
		"The deploy went out at 14:02.\n\nThe root cause was a "
		"full disk.",
		NULL);
	json_t *f;

	assert_int_equal(json_array_size(findings), 1);
	f = json_array_get(findings, 0);
	assert_string_equal(jstr(f, "category"), "root-cause");
	assert_string_equal(jstr(f, "severity"), "warning");
	assert_string_equal(jstr(f, "text"), "root cause");
	assert_int_equal(jint(f, "line"), 3);
	assert_int_equal(jint(f, "column"), 5);
	assert_int_equal(jint(f, "start"), 35);
	assert_int_equal(jint(f, "end"), 45);
	json_decref(findings);
}

static void test_clean_text_and_empty_text_have_no_findings(void **state)
{
	json_t *f = post_text(*state,
			      "The deploy went out at 14:02 and the error rate "
			      "rose to 4%. We rolled it back at 14:20.",
			      NULL);

	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
	f = post_text(*state, "", NULL);
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
}

static void test_disabled_categories_are_not_reported(void **state)
{
	const char text[] = "The root cause was human error.";
	json_t *all = post_text(*state, text, NULL);
	json_t *some = post_text(*state, text, "[\"root-cause\"]");
	json_t *none =
		post_text(*state, text, "[\"root-cause\", \"human-error\"]");

	assert_true(has_category(all, "root-cause"));
	assert_true(has_category(all, "human-error"));
	assert_false(has_category(some, "root-cause"));
	assert_true(has_category(some, "human-error"));
	assert_int_equal(json_array_size(none), 0);
	json_decref(all);
	json_decref(some);
	json_decref(none);
}

static void test_code_spans_and_quoted_chat_are_not_linted(void **state)
{
	json_t *f = post_text(*state,
			      "We renamed the `root_cause` column.\n\n"
			      "> alice: the root cause was human error\n",
			      NULL);

	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
}

static void test_allowed_phrases_are_not_reported(void **state)
{
	struct hs *s = *state;
	json_t *f = lint(s, "{\"text\": \"The root cause was a full disk.\", "
			    "\"allow\": [\"root cause\"]}");

	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
}

/* bad posts body with content type ct (NULL: JSON) and checks the error. */
static void bad(struct hs *s, const char *ct, const char *body, long status,
		const char *code, const char *field)
{
	struct http_resp r;

	assert_int_equal(http_do(s, "POST", "/api/v1/lint", ct, body, NULL, &r),
			 0);
	check_error(&r, status, code, field);
	http_resp_free(&r);
}

static void test_bad_input_is_a_json_error_naming_the_field(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	bad(s, NULL, "not json", 400, "bad_request", NULL);
	bad(s, NULL, "{\"text\": \"a\",}", 400, "bad_request", NULL);
	bad(s, NULL, "[\"text\"]", 400, "bad_request", NULL);
	bad(s, NULL, "", 400, "bad_request", NULL);
	bad(s, "text/plain", "{\"text\": \"a\"}", 415, "unsupported_media_type",
	    NULL);
	bad(s, NULL, "{}", 400, "bad_request", "text");
	bad(s, NULL, "{\"text\": null}", 400, "bad_request", "text");
	bad(s, NULL, "{\"text\": 42}", 400, "bad_request", "text");
	bad(s, NULL, "{\"text\": [\"a\"]}", 400, "bad_request", "text");
	bad(s, NULL, "{\"text\": \"a\", \"disable\": [\"blame\"]}", 400,
	    "bad_request", "disable");
	bad(s, NULL, "{\"text\": \"a\", \"disable\": \"root-cause\"}", 400,
	    "bad_request", "disable");
	bad(s, NULL, "{\"text\": \"a\", \"disable\": [7]}", 400, "bad_request",
	    "disable");
	bad(s, NULL, "{\"text\": \"a\", \"allow\": [\"\"]}", 400, "bad_request",
	    "allow");
	bad(s, NULL, "{\"text\": \"a\", \"format\": \"sarif\"}", 400,
	    "bad_request", "format");
	/* invalid UTF-8 in the body (a lone continuation byte), and a NUL
	 * escaped into the text */
	bad(s, NULL, "{\"text\": \"caf\x80\"}", 400, "bad_request", NULL);
	bad(s, NULL, "{\"text\": \"a\\u0000b\"}", 400, "bad_request", NULL);
	/* only POST */
	assert_int_equal(http_get(s, "/api/v1/lint", &r), 405);
	assert_non_null(r.json);
	http_resp_free(&r);
}

/* The body limit needs a server of its own (DEBRIEF_MAX_BODY). */
static void test_text_over_the_body_limit_is_413(void **state)
{
	struct hs small = {0};
	struct http_resp r;
	size_t n = 8 * 1024;
	char *body = malloc(n + 32), *p;

	(void)state;
	assert_non_null(body);
	setenv("DEBRIEF_MAX_BODY", "4096", 1);
	assert_int_equal(hs_start(&small, NULL), 0);
	unsetenv("DEBRIEF_MAX_BODY");
	p = body + sprintf(body, "{\"text\": \"");
	memset(p, 'a', n);
	strcpy(p + n, "\"}");
	assert_int_equal(
		http_do(&small, "POST", "/api/v1/lint", NULL, body, NULL, &r),
		0);
	check_error(&r, 413, "too_large", NULL);
	http_resp_free(&r);
	/* under the limit the same server answers */
	assert_int_equal(http_json(&small, "POST", "/api/v1/lint",
				   "{\"text\": \"" COUNTERFACTUAL "\"}", &r),
			 200);
	http_resp_free(&r);
	free(body);
	assert_int_equal(hs_stop(&small), 0);
	hs_cleanup(&small);
}

static int group_up(void **state)
{
	return server_up(state);
}

static int group_down(void **state)
{
	return server_down(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_counterfactual_after_multibyte_text_has_byte_offsets),
		cmocka_unit_test(
			test_line_and_column_count_from_the_line_of_the_finding),
		cmocka_unit_test(
			test_clean_text_and_empty_text_have_no_findings),
		cmocka_unit_test(test_disabled_categories_are_not_reported),
		cmocka_unit_test(
			test_code_spans_and_quoted_chat_are_not_linted),
		cmocka_unit_test(test_allowed_phrases_are_not_reported),
		cmocka_unit_test(
			test_bad_input_is_a_json_error_naming_the_field),
		cmocka_unit_test(test_text_over_the_body_limit_is_413),
	};

	return cmocka_run_group_tests_name("lint api", tests, group_up,
					   group_down);
}
