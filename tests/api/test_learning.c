/* test_learning.c: learning across reviews against the real server (issue
 * 17): GET /api/v1/search in the list shape, whatever is typed never a
 * 500; every trend series as JSON and CSV; on this day; related reviews;
 * the pages (/search, /trends with inline SVG, /on-this-day, the search
 * box of every page, "seen in N other reviews"); the synonyms of the
 * configuration; and each kind of bad argument a 400 naming it. */
#include "api/api_checks.h"
#include "unit/test_db.h"

#include <unistd.h>

static void seed(struct hs *s)
{
	create_review(
		s, "{\"title\": \"Database failover stalled checkout\", "
		   "\"kind\": \"incident\", \"severity\": 2, "
		   "\"owner_team\": \"storage\", \"services\": [\"db\"], "
		   "\"tags\": [\"failover\"], "
		   "\"started_at\": \"2024-03-05T10:00:00Z\", "
		   "\"detected_at\": \"2024-03-05T10:10:00Z\", "
		   "\"resolved_at\": \"2024-03-05T12:00:00Z\", "
		   "\"summary\": \"The primary database lost its disk and we "
		   "failed over by hand.\", \"timeline\": [{\"at\": "
		   "\"2024-03-05T10:05:00Z\", \"text\": \"Paged about "
		   "replication lag\"}], \"followups\": [{\"title\": \"Write a "
		   "failover runbook\", \"horizon\": \"short\"}], "
		   "\"factors\": [{\"text\": \"Missing runbook\", \"kind\": "
		   "\"latent\"}]}");
	create_review(s, "{\"title\": \"Edge DNS outage\", \"kind\": "
			 "\"near-miss\", \"started_at\": "
			 "\"2025-03-05T08:00:00Z\", \"summary\": \"resolver "
			 "cache expired\", \"factors\": [{\"text\": \"missing  "
			 "RUNBOOK\", \"kind\": \"latent\"}, {\"text\": \"No "
			 "playbook\", \"kind\": \"trigger\"}]}");
}

static json_t *results(json_t *j)
{
	json_t *r = json_object_get(j, "results");

	assert_true(json_is_array(r));
	return r;
}

static void test_search_answers_the_list_shape_best_first(void **state)
{
	struct hs *s = *state;
	json_t *j, *first;

	seed(s);
	j = get_json(s, "/api/v1/search?q=failover", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "limit")), 20);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 0);
	first = json_array_get(results(j), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "review_id")),
			 1);
	assert_string_equal(json_string_value(json_object_get(first, "title")),
			    "Database failover stalled checkout");
	assert_non_null(strstr(json_string_value(json_object_get(first,
								  "snippet")),
			       "failover runbook"));
	assert_true(json_array_size(json_object_get(first, "matches")) >= 1);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(first, "highlights"), 0)),
			    "failover");
	json_decref(j);
	/* the title weighs more: "runbook" is in both, the second's factor
	 * and the first's follow-up and factor */
	j = get_json(s, "/api/v1/search?q=runbook&limit=1", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	assert_int_equal(json_array_size(results(j)), 1);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=runbook&kind=near-miss", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(results(j), 0), "review_id")),
			 2);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=runbook&team=storage&service=db&"
			"tag=failover&severity=2&open_followups=1&"
			"from=2024-01-01&to=2024-12-31",
		     200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=%22lost+its+disk%22", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=replic*", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=resolver+OR+replication", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	json_decref(j);
	j = get_json(s, "/api/v1/search?q=runbook+-resolver", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
}

static void test_query_syntax_errors_are_plain_text_never_500(void **state)
{
	static const char *const qs[] = {
		"%22unbalanced", "OR", "AND", "NOT", "a+OR", "title%3Afoo",
		"%28%28%28", "*", "-", "NEAR%28a+b%29", "%5Edisk", "%22%22",
		"col%3A%22x", "a%2Bb", "%7Ba%7D",
	};
	struct hs *s = *state;

	seed(s);
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		char path[128];
		struct http_resp r;

		snprintf(path, sizeof path, "/api/v1/search?q=%s", qs[i]);
		assert_int_equal(http_get(s, path, &r), 200);
		assert_true(json_is_array(json_object_get(r.json, "results")));
		http_resp_free(&r);
		snprintf(path, sizeof path, "/search?q=%s", qs[i]);
		assert_int_equal(http_get(s, path, &r), 200);
		http_resp_free(&r);
	}
	/* a column filter is text: it finds the words */
	{
		json_t *j = get_json(s, "/api/v1/search?q=primary%3Adatabase", 200);

		assert_int_equal(json_integer_value(json_object_get(j, "total")),
				 1);
		json_decref(j);
	}
}

static void test_bad_search_arguments_are_400_naming_them(void **state)
{
	static const struct {
		const char *query, *field;
	} bad[] = {
		{"q=x&limit=0", "limit"},	  {"q=x&limit=101", "limit"},
		{"q=x&offset=-1", "offset"},	  {"q=x&severity=9", "severity"},
		{"q=x&kind=outage", "kind"},	  {"q=x&from=yesterday", "from"},
		{"q=x&from=2025-02-01&to=2025-01-01", "to"},
		{"q=x&open_followups=maybe", "open_followups"},
	};
	struct hs *s = *state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char path[128];
		struct http_resp r;

		snprintf(path, sizeof path, "/api/v1/search?%s", bad[i].query);
		http_get(s, path, &r);
		check_error(&r, 400, "bad_request", bad[i].field);
		http_resp_free(&r);
		snprintf(path, sizeof path, "/search?%s", bad[i].query);
		assert_int_equal(http_get(s, path, &r), 400);
		http_resp_free(&r);
	}
	/* a search over the one limit of searches (REVIEW_SEARCH_MAX) */
	{
		char path[700] = "/api/v1/search?q=";
		struct http_resp r;

		memset(path + strlen(path), 'x', 600);
		path[17 + 600] = '\0';
		http_get(s, path, &r);
		check_error(&r, 400, "bad_request", "q");
		http_resp_free(&r);
	}
}

static void test_every_series_as_json_and_csv(void **state)
{
	static const char *const series[] = {"reviews",	 "durations",
					     "followups", "factors",
					     "services", "tags"};
	struct hs *s = *state;

	seed(s);
	for (size_t i = 0; i < sizeof series / sizeof series[0]; i++) {
		char path[96];
		struct http_resp r;
		char *ctype;
		json_t *j;

		snprintf(path, sizeof path, "/api/v1/trends/%s", series[i]);
		j = get_json(s, path, 200);
		assert_string_equal(json_string_value(json_object_get(j,
								      "series")),
				    series[i]);
		assert_true(json_array_size(json_object_get(j, "columns")) > 1);
		assert_true(json_array_size(json_object_get(j, "rows")) >= 1);
		json_decref(j);
		snprintf(path, sizeof path, "/api/v1/trends/%s?format=csv",
			 series[i]);
		assert_int_equal(http_get(s, path, &r), 200);
		ctype = http_header(&r, "Content-Type");
		assert_non_null(ctype);
		assert_non_null(strstr(ctype, "text/csv"));
		free(ctype);
		assert_true(strchr(r.body, '\n') != NULL);
		http_resp_free(&r);
	}
}

static void test_series_numbers_and_csv_rows(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	json_t *j, *row;

	seed(s);
	j = get_json(s, "/api/v1/trends/durations", 200);
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "month")),
			    "2024-03");
	assert_true(json_real_value(json_object_get(
			    row, "detect_median_minutes")) == 10.0);
	assert_true(json_real_value(json_object_get(
			    row, "resolve_p90_minutes")) == 120.0);
	assert_true(json_is_null(json_object_get(row,
						 "mitigate_median_minutes")));
	json_decref(j);
	assert_int_equal(http_get(s, "/api/v1/trends/durations?format=csv",
				  &r),
			 200);
	assert_non_null(strstr(r.body, "month,reviews,detect_median_minutes"));
	assert_non_null(strstr(r.body, "\"2024-03\",1,10.0,10.0,,,120.0,120.0"));
	http_resp_free(&r);
	/* factors: case and spacing ignored */
	j = get_json(s, "/api/v1/trends/factors", 200);
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "key")),
			    "missing runbook");
	assert_int_equal(json_integer_value(json_object_get(row, "reviews")),
			 2);
	json_decref(j);
}

static void test_bad_trend_arguments(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	http_get(s, "/api/v1/trends/nope", &r);
	check_error(&r, 404, "not_found", "series");
	http_resp_free(&r);
	http_get(s, "/api/v1/trends/reviews?format=xml", &r);
	check_error(&r, 400, "bad_request", "format");
	http_resp_free(&r);
}

static void test_on_this_day_in_earlier_years(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	json_t *j;

	seed(s);
	j = get_json(s, "/api/v1/on-this-day?date=2026-03-05", 200);
	assert_string_equal(json_string_value(json_object_get(j, "date")),
			    "2026-03-05");
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(j, "reviews"), 0),
				 "id")),
			 2);
	json_decref(j);
	j = get_json(s, "/api/v1/on-this-day?date=2025-03-05", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	j = get_json(s, "/api/v1/on-this-day", 200);
	assert_true(json_is_array(json_object_get(j, "reviews")));
	json_decref(j);
	http_get(s, "/api/v1/on-this-day?date=2026-02-30x", &r);
	check_error(&r, 400, "bad_request", "date");
	http_resp_free(&r);
	http_get(s, "/api/v1/on-this-day?date=tomorrow", &r);
	check_error(&r, 400, "bad_request", "date");
	http_resp_free(&r);
	http_get(s, "/api/v1/on-this-day?limit=0", &r);
	check_error(&r, 400, "bad_request", "limit");
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/on-this-day?date=2026-03-05", &r), 200);
	assert_non_null(strstr(r.body, "Edge DNS outage"));
	assert_non_null(strstr(r.body, "1 year ago"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/on-this-day?date=nope", &r), 400);
	http_resp_free(&r);
}

static void test_related_reviews_and_seen_in(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	json_t *j, *first;

	seed(s);
	j = get_json(s, "/api/v1/reviews/1/related", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	first = json_array_get(json_object_get(j, "related"), 0);
	assert_int_equal(json_integer_value(json_object_get(first,
							    "review_id")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(first,
							    "shared_factors")),
			 1);
	json_decref(j);
	http_get(s, "/api/v1/reviews/99/related", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews/1", &r), 200);
	assert_non_null(strstr(r.body, "seen in 1 other review<"));
	assert_non_null(strstr(r.body, "Related reviews"));
	assert_non_null(strstr(r.body, "href=\"/reviews/2\""));
	assert_null(strstr(r.body, "<!--debrief:seen"));
	assert_null(strstr(r.body, "<!--debrief:related"));
	http_resp_free(&r);
	/* a new review with the same factor moves the count of a cached
	 * page */
	create_review(s, "{\"title\": \"third\", \"factors\": [{\"text\": "
			 "\"MISSING RUNBOOK\", \"kind\": \"latent\"}]}");
	assert_int_equal(http_get(s, "/reviews/1", &r), 200);
	assert_non_null(strstr(r.body, "seen in 2 other reviews<"));
	http_resp_free(&r);
}

static void test_pages_search_box_marks_and_svg(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	seed(s);
	assert_int_equal(http_get(s, "/", &r), 200);
	assert_non_null(strstr(r.body, "action=\"/search\""));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews/1", &r), 200);
	assert_non_null(strstr(r.body, "id=\"site-q\""));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/search?q=failover", &r), 200);
	assert_non_null(strstr(r.body, "<mark>failover</mark>"));
	assert_non_null(strstr(r.body, "1 review matches"));
	http_resp_free(&r);
	/* what is typed comes back escaped */
	assert_int_equal(http_get(s, "/search?q=%3Cscript%3Ex%3C%2Fscript%3E",
				  &r),
			 200);
	assert_null(strstr(r.body, "<script>x"));
	assert_non_null(strstr(r.body, "&lt;script&gt;x"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/trends", &r), 200);
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(strstr(r.body, "<title id=\"c-bysev-t\">"));
	assert_non_null(strstr(r.body, "<table class=\"data\">"));
	assert_non_null(strstr(r.body, "/api/v1/trends/durations?format=csv"));
	assert_non_null(strstr(r.body, "Missing runbook"));
	http_resp_free(&r);
}

/* A config file with a synonym merges two factors in the counts. */
static void test_synonyms_from_the_configuration(void **state)
{
	struct hs *s = calloc(1, sizeof *s);
	json_t *j, *row;

	(void)state;
	assert_non_null(s);
	assert_int_equal(
		hs_start_conf(s,
			      "factor_synonyms = No runbook: missing runbook, "
			      "no playbook\n",
			      NULL),
		0);
	seed(s);
	j = get_json(s, "/api/v1/trends/factors", 200);
	assert_int_equal(json_array_size(json_object_get(j, "rows")), 1);
	row = json_array_get(json_object_get(j, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "factor")),
			    "No runbook");
	assert_int_equal(json_integer_value(json_object_get(row, "reviews")),
			 2);
	json_decref(j);
	hs_stop(s);
	hs_cleanup(s);
	free(s);
}

static void test_bad_synonym_line_stops_the_server_naming_it(void **state)
{
	struct hs *s = calloc(1, sizeof *s);

	(void)state;
	assert_non_null(s);
	assert_int_equal(hs_start_conf(s,
				       "factor_synonyms = a line without a "
				       "colon\n",
				       NULL),
			 -1);
	{
		char buf[4096] = "";
		FILE *l = fopen(s->log, "r");

		assert_non_null(l);
		buf[fread(buf, 1, sizeof buf - 1, l)] = '\0';
		fclose(l);
		assert_non_null(strstr(buf, "factor_synonyms"));
	}
	hs_cleanup(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
		T(test_search_answers_the_list_shape_best_first),
		T(test_query_syntax_errors_are_plain_text_never_500),
		T(test_bad_search_arguments_are_400_naming_them),
		T(test_every_series_as_json_and_csv),
		T(test_series_numbers_and_csv_rows),
		T(test_bad_trend_arguments),
		T(test_on_this_day_in_earlier_years),
		T(test_related_reviews_and_seen_in),
		T(test_pages_search_box_marks_and_svg),
#undef T
		cmocka_unit_test(test_synonyms_from_the_configuration),
		cmocka_unit_test(test_bad_synonym_line_stops_the_server_naming_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
