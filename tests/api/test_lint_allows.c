/* test_lint_allows.c: "not blame here". A lint allow entry (phrase,
 * category, who, note) is stored with the review through
 * /api/v1/reviews/{id}/lint-allows, shows in History, silences the
 * coach's findings of its category on its phrase (edit page, review
 * page, POST /api/v1/lint with the entries), and survives saves of the
 * edit form that never showed it, also when it was added meanwhile. */
#include "api/page_checks.h"

#define SUMMARY "The vendor's report calls it human error."

static int64_t allow(struct hs *s, int64_t id, const char *body, long status)
{
	struct http_resp r;
	char path[96];
	int64_t cid;

	http_json(
		s, "POST",
		PATHF(path, "/api/v1/reviews/%lld/lint-allows", (long long)id),
		body, &r);
	assert_int_equal(r.status, status);
	cid = jint(r.json, "id");
	http_resp_free(&r);
	return cid;
}

static size_t allow_count(struct hs *s, int64_t id)
{
	char path[96];
	json_t *j = get_json(
		s,
		PATHF(path, "/api/v1/reviews/%lld/lint-allows", (long long)id),
		200);
	size_t n = json_array_size(json_object_get(j, "lint-allows"));

	json_decref(j);
	return n;
}

static void
test_allow_entry_round_trips_through_the_api_and_history(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Vendor outage\", "
				      "\"summary\": \"" SUMMARY "\"}");
	char path[96];
	json_t *doc, *arr, *e;
	struct http_resp r;
	char *html, *dump;
	int64_t cid;

	cid = allow(s, id,
		    "{\"phrase\": \"human error\", \"category\": "
		    "\"human-error\", \"note\": \"<b>quoting</b> the vendor\"}",
		    201);
	assert_true(cid > 0);
	/* the same phrase and category again changes nothing */
	assert_int_equal(allow(s, id,
			       "{\"phrase\": \"Human Error\", \"category\": "
			       "\"human-error\"}",
			       200),
			 cid);
	doc = get_review(s, id);
	arr = json_object_get(doc, "lint-allows");
	assert_int_equal(json_array_size(arr), 1);
	e = json_array_get(arr, 0);
	assert_string_equal(jstr(e, "phrase"), "human error");
	assert_string_equal(jstr(e, "category"), "human-error");
	assert_string_equal(jstr(e, "who"), "local");
	assert_string_equal(jstr(e, "note"), "<b>quoting</b> the vendor");
	json_decref(doc);
	/* the edit page lists it above the form (not in it), escaped */
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_true(contains(html, "Allowed wording (1)"));
	assert_true(contains(html, "<q class=\"allowed-phrase\">human error</q>"));
	assert_true(contains(html, "&lt;b&gt;quoting&lt;/b&gt; the vendor"));
	assert_true(strstr(html, "coach-allowed") <
		    strstr(html, "<form class=\"review-form\""));
	free(html);
	/* History names it, with its fields, escaped */
	html = page(s, PATHF(path, "/reviews/%lld/history", (long long)id), 200);
	assert_true(contains(html, "allowed wording"));
	assert_true(contains(html, "human error"));
	assert_true(contains(html, "&lt;b&gt;quoting&lt;/b&gt; the vendor"));
	assert_false(contains(html, "<b>quoting</b>"));
	free(html);
	doc = get_json(
		s, PATHF(path, "/api/v1/reviews/%lld/revisions", (long long)id),
		200);
	dump = json_dumps(doc, 0);
	assert_true(contains(dump, "\"lint-allows\""));
	free(dump);
	json_decref(doc);
	/* removing it is a revision too, and the finding is back */
	assert_int_equal(
		http_json(s, "DELETE",
			  PATHF(path, "/api/v1/reviews/%lld/lint-allows/%lld",
				(long long)id, (long long)cid),
			  NULL, &r),
		204);
	http_resp_free(&r);
	assert_int_equal(allow_count(s, id), 0);
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_true(contains(html, "<q class=\"coach-text\">human error</q>"));
	free(html);
}

static void test_an_allowed_finding_leaves_the_coachs_results(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Vendor outage\", "
				      "\"summary\": \"" SUMMARY "\"}");
	char path[96];
	char *html;
	struct http_resp r;

	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_true(contains(html, "<q class=\"coach-text\">human error</q>"));
	free(html);
	html = page(s, PATHF(path, "/reviews/%lld", (long long)id), 200);
	assert_true(contains(html, "coach-summary"));
	free(html);
	/* an entry of another category silences nothing */
	allow(s, id,
	      "{\"phrase\": \"human error\", \"category\": \"hindsight\"}",
	      201);
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_true(contains(html, "<q class=\"coach-text\">human error</q>"));
	free(html);
	/* the whole sentence, its own category: gone from both pages */
	allow(s, id,
	      "{\"phrase\": \"" SUMMARY "\", \"category\": "
	      "\"human-error\"}",
	      201);
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_false(contains(html, "coach-text"));
	free(html);
	html = page(s, PATHF(path, "/reviews/%lld", (long long)id), 200);
	assert_false(contains(html, "coach-summary"));
	free(html);
	/* the live coach's API takes the entries as they are stored */
	assert_int_equal(
		http_json(s, "POST", "/api/v1/lint",
			  "{\"text\": \"It was human error.\", \"allow\": "
			  "[{\"phrase\": \"human error\", \"category\": "
			  "\"human-error\"}]}",
			  &r),
		200);
	assert_int_equal(json_array_size(json_object_get(r.json, "findings")),
			 0);
	http_resp_free(&r);
	assert_int_equal(
		http_json(s, "POST", "/api/v1/lint",
			  "{\"text\": \"It was human error.\", \"allow\": "
			  "[{\"phrase\": \"human error\", \"category\": "
			  "\"hindsight\"}]}",
			  &r),
		200);
	assert_int_equal(json_array_size(json_object_get(r.json, "findings")),
			 1);
	http_resp_free(&r);
	assert_int_equal(http_json(s, "POST", "/api/v1/lint",
				   "{\"text\": \"x\", \"allow\": "
				   "[{\"phrase\": \"x\", \"category\": "
				   "\"blame\"}]}",
				   &r),
			 400);
	check_error(&r, 400, "bad_request", "allow");
	http_resp_free(&r);
}

static void test_bad_allow_input_is_422_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Vendor outage\", "
				      "\"summary\": \"" SUMMARY "\"}");
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"phrase\": \"human error\", \"category\": \"blame\"}",
		 "category"},
		{"{\"phrase\": \"human error\"}", "category"},
		{"{\"phrase\": \"\", \"category\": \"human-error\"}", "phrase"},
		{"{\"phrase\": \"   \", \"category\": \"human-error\"}",
		 "phrase"},
		{"{\"category\": \"human-error\"}", "phrase"},
	};
	json_t *before = get_review(s, id);
	struct http_resp r;
	char path[96];

	PATHF(path, "/api/v1/reviews/%lld/lint-allows", (long long)id);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		http_json(s, "POST", path, bad[i].body, &r);
		check_error(&r, 422, "invalid", bad[i].field);
		http_resp_free(&r);
	}
	assert_unchanged(s, id, before);
	json_decref(before);
	assert_int_equal(allow_count(s, id), 0);
}

/* save_form posts the edit form as the page gave it (version and base
 * of when it was opened) with a changed summary; returns the status. */
static long save_form(struct hs *s, int64_t id, const char *html,
		      const char *summary, const char *extra_key,
		      const char *extra_value)
{
	char *base = hidden_value(html, "base");
	char *version = hidden_value(html, "version");
	struct buf b = BUF_INIT;
	struct http_resp r;
	char path[64];
	char *body;
	long st;

	assert_non_null(base);
	assert_non_null(version);
	form_add(&b, "version", version);
	form_add(&b, "base", base);
	form_add(&b, "title", "Vendor outage");
	form_add(&b, "summary", summary);
	if (extra_key)
		form_add(&b, extra_key, extra_value);
	body = buf_detach(&b);
	st = http_form(s, PATHF(path, "/reviews/%lld/edit", (long long)id),
		       body, &r);
	http_resp_free(&r);
	free(body);
	free(base);
	free(version);
	return st;
}

static void test_saving_the_edit_form_never_drops_allow_entries(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Vendor outage\", "
				      "\"summary\": \"" SUMMARY "\"}");
	char path[64], *html;
	json_t *doc;

	/* opened before the entry was added, saved after: merged, kept */
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	allow(s, id,
	      "{\"phrase\": \"human error\", \"category\": \"human-error\"}",
	      201);
	assert_int_equal(save_form(s, id, html, SUMMARY " Twice.", NULL, NULL),
			 303);
	free(html);
	doc = get_review(s, id);
	assert_string_equal(jstr(doc, "summary"), SUMMARY " Twice.");
	json_decref(doc);
	assert_int_equal(allow_count(s, id), 1);
	/* opened after: the form does not carry them, and a posted field
	 * of the kind is ignored */
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_false(contains(html, "lint-allows["));
	assert_int_equal(save_form(s, id, html, SUMMARY,
				   "lint-allows[0].phrase", "other"),
			 303);
	free(html);
	assert_int_equal(allow_count(s, id), 1);
	doc = get_review(s, id);
	assert_string_equal(
		jstr(json_array_get(json_object_get(doc, "lint-allows"), 0),
		     "phrase"),
		"human error");
	json_decref(doc);
}

/* A new review may embed its allowed wording; "who" is still the writer
 * and the coach honours the entries from the start. */
static void test_a_new_review_may_embed_allowed_wording(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(
		s, "{\"title\": \"Vendor outage\", \"summary\": \"" SUMMARY
		   "\", \"lint-allows\": [{\"phrase\": \"human error\", "
		   "\"category\": \"human-error\", \"who\": \"mallory\"}]}");
	json_t *doc = get_review(s, id);
	char path[64], *html;

	assert_string_equal(
		jstr(json_array_get(json_object_get(doc, "lint-allows"), 0),
		     "who"),
		"local");
	json_decref(doc);
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_false(contains(html, "coach-text"));
	free(html);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
	const struct CMUnitTest tests[] = {
		T(test_allow_entry_round_trips_through_the_api_and_history),
		T(test_an_allowed_finding_leaves_the_coachs_results),
		T(test_bad_allow_input_is_422_and_changes_nothing),
		T(test_saving_the_edit_form_never_drops_allow_entries),
		T(test_a_new_review_may_embed_allowed_wording),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
