/* test_facilitators.c: the facilitator roster (/api/v1/facilitators) with
 * what the meetings say about each person, and the suggestion for a
 * review's meeting (/api/v1/reviews/{id}/meeting/facilitators): available
 * people who were not involved, least recently facilitating first. Bad
 * input names the field and changes nothing; a stale version is 409. */
#include "api/api_checks.h"

#include <time.h>

static int64_t add(struct hs *s, const char *body)
{
	struct http_resp r;
	int64_t id;

	assert_int_equal(http_json(s, "POST", "/api/v1/facilitators", body, &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

/* held gives review title a meeting facilitated by fac, days ago. */
static void held(struct hs *s, const char *title, const char *fac, int days)
{
	char body[256], path[64], t[32];
	time_t when = time(NULL) - days * 86400;
	struct tm tm;
	struct http_resp r;
	int64_t id;

	snprintf(body, sizeof body, "{\"title\": \"%s\"}", title);
	id = create_review(s, body);
	gmtime_r(&when, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof body,
		 "{\"start\": \"%s\", \"duration_minutes\": 60, "
		 "\"facilitator\": \"%s\"}",
		 t, fac);
	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  body, &r);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
}

static json_t *find(json_t *list, const char *name)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(list, "facilitators"), i, f)
	{
		if (!strcmp(json_string_value(json_object_get(f, "name")), name))
			return f;
	}
	return NULL;
}

static void test_roster_counts_and_suggests_the_uninvolved(void **state)
{
	struct hs *s = *state;
	int64_t review;
	json_t *list, *bo;
	char path[64];

	add(s, "{\"name\": \"Ana\", \"trained_on\": \"2026-01-01\"}");
	add(s, "{\"name\": \"Bo\", \"contact\": \"bo@example.com\"}");
	add(s, "{\"name\": \"Cy\"}");
	add(s, "{\"name\": \"Dee\", \"available\": false}");
	add(s, "{\"name\": \"Eve\"}");
	held(s, "one", "Bo <bo@example.com>", 10);
	held(s, "two", "cy", 40);
	held(s, "three", "Bo", 20);
	review = create_review(
		s, "{\"title\": \"now\", \"people\": [{\"name\": \"Ana\", "
		   "\"role\": \"responder\"}]}");
	list = get_json(s, "/api/v1/facilitators", 200);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 5);
	bo = find(list, "Bo");
	assert_int_equal(json_integer_value(json_object_get(bo, "facilitated")),
			 2);
	assert_true(json_is_string(json_object_get(bo, "last_facilitated")));
	assert_true(json_is_null(
		json_object_get(find(list, "Eve"), "last_facilitated")));
	json_decref(list);
	list = get_json(s,
			PATHF(path,
			      "/api/v1/reviews/%lld/meeting/facilitators",
			      (long long)review),
			200);
	/* Ana was involved, Dee is not available; Eve never facilitated,
	 * Cy longest ago, Bo most recently */
	assert_int_equal(json_array_size(json_object_get(list, "facilitators")),
			 3);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(
							   list, "facilitators"),
						   0),
				    "name")),
			    "Eve");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(
							   list, "facilitators"),
						   1),
				    "name")),
			    "Cy");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(
							   list, "facilitators"),
						   2),
				    "name")),
			    "Bo");
	assert_null(find(list, "Ana"));
	json_decref(list);
}

static void test_roster_bad_input_and_versions(void **state)
{
	struct hs *s = *state;
	int64_t bo = add(s, "{\"name\": \"Bo\"}");
	struct http_resp r;
	char path[64];
	json_t *list;

	http_json(s, "POST", "/api/v1/facilitators", "{\"name\": \"BO\"}", &r);
	check_error(&r, 422, "invalid", "name");
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/facilitators",
		  "{\"name\": \"Cy\", \"contact\": \"not an address\"}", &r);
	check_error(&r, 422, "invalid", "contact");
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/facilitators", "{\"trained_on\": \"x\"}",
		  &r);
	check_error(&r, 422, "invalid", "trained_on");
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/facilitators", "{}", &r);
	check_error(&r, 422, "invalid", "name");
	http_resp_free(&r);
	PATHF(path, "/api/v1/facilitators/%lld", (long long)bo);
	http_json(s, "PATCH", path, "{\"available\": false, \"version\": 1}",
		  &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 2);
	http_resp_free(&r);
	http_json(s, "PATCH", path, "{\"note\": \"late\", \"version\": 1}", &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	list = get_json(s, "/api/v1/facilitators", 200);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	assert_true(json_is_null(json_object_get(find(list, "Bo"), "note")));
	json_decref(list);
	http_json(s, "DELETE", path, NULL, &r);
	assert_int_equal(r.status, 204);
	http_resp_free(&r);
	http_json(s, "PATCH", path, "{\"note\": \"gone\"}", &r);
	check_error(&r, 404, "not_found", "id");
	http_resp_free(&r);
	list = get_json(s, "/api/v1/facilitators", 200);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 0);
	json_decref(list);
	/* the name is free again */
	add(s, "{\"name\": \"Bo\"}");
}

static void test_roster_page_and_taking_a_request(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char path[96], body[200], t[32];
	time_t when = time(NULL) + 5 * 86400;
	struct tm tm;
	json_t *m, *list;
	int64_t id;

	assert_int_equal(http_form(s, "/facilitators", "name=Zed&trained_on="
						       "2026-03-01", &r),
			 303);
	http_resp_free(&r);
	assert_int_equal(http_form(s, "/facilitators", "name=zed", &r), 422);
	assert_non_null(strstr(r.body, "on the roster already"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/facilitators", &r), 200);
	assert_non_null(strstr(r.body, "<td class=\"name\">Zed</td>"));
	http_resp_free(&r);
	list = get_json(s, "/api/v1/facilitators", 200);
	id = json_integer_value(json_object_get(
		json_array_get(json_object_get(list, "facilitators"), 0), "id"));
	json_decref(list);
	assert_int_equal(http_form(s,
				   PATHF(path, "/facilitators/%lld/available",
					 (long long)id),
				   "version=1", &r),
			 303);
	http_resp_free(&r);
	/* a stale form changes nothing */
	assert_int_equal(http_form(s, path, "version=1", &r), 409);
	http_resp_free(&r);
	list = get_json(s, "/api/v1/facilitators", 200);
	assert_true(json_is_false(json_object_get(
		json_array_get(json_object_get(list, "facilitators"), 0),
		"available")));
	json_decref(list);

	/* ask for a facilitator; it is listed until someone takes it */
	id = create_review(s, "{\"title\": \"Queue stall\"}");
	gmtime_r(&when, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof body,
		 "{\"start\": \"%s\", \"duration_minutes\": 60, "
		 "\"facilitator_wanted\": true}",
		 t);
	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  body, &r);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/calendar", &r), 200);
	assert_non_null(strstr(r.body, "Needs a facilitator"));
	http_resp_free(&r);
	assert_int_equal(http_form(s,
				   PATHF(path, "/reviews/%lld/meeting/take",
					 (long long)id),
				   "", &r),
			 303);
	http_resp_free(&r);
	m = get_json(s,
		     PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		     200);
	assert_string_equal(json_string_value(json_object_get(m, "facilitator")),
			    "local");
	assert_true(json_is_false(json_object_get(m, "facilitator_wanted")));
	json_decref(m);
	assert_int_equal(http_get(s, "/calendar", &r), 200);
	assert_null(strstr(r.body, "Needs a facilitator"));
	http_resp_free(&r);
	/* taken already */
	assert_int_equal(http_form(s,
				   PATHF(path, "/reviews/%lld/meeting/take",
					 (long long)id),
				   "", &r),
			 409);
	http_resp_free(&r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
	const struct CMUnitTest tests[] = {
		T(test_roster_counts_and_suggests_the_uninvolved),
		T(test_roster_bad_input_and_versions),
		T(test_roster_page_and_taking_a_request),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
