/* test_children.c: /api/v1/reviews/{id}/{kind} for timeline entries,
 * follow-ups, factors, people, links and tags: create, list, get, patch,
 * delete, versions and conflicts. */
#include "api/api_checks.h"

struct kind_case {
	const char *segment;
	const char *create; /* body of POST */
	const char *patch;  /* body of PATCH (no version) */
	const char *field;  /* a field the patch changes */
	const char *value;  /* its value afterwards */
	const char *bad;    /* a body that breaks a model rule */
	const char *bad_field;
};

static const struct kind_case kinds[] = {
	{"timeline",
	 "{\"at\": \"2026-11-20T10:05:00Z\", \"kind\": \"alert\","
	 " \"text\": \"Paged <script>x</script>\", \"disputed\": true}",
	 "{\"text\": \"Paged the on-call\", \"approximate\": true}", "text",
	 "Paged the on-call", "{\"text\": \"no time\"}", "at"},
	{"followups", "{\"title\": \"Add an alert\", \"due\": \"2026-12-01\"}",
	 "{\"status\": \"done\"}", "status", "done",
	 "{\"title\": \"x\", \"horizon\": \"forever\"}", "horizon"},
	{"factors", "{\"text\": \"Cold cache\", \"kind\": \"trigger\"}",
	 "{\"kind\": \"latent\"}", "kind", "latent",
	 "{\"text\": \"x\", \"kind\": \"root-cause\"}", "kind"},
	{"people", "{\"name\": \"Ana\", \"role\": \"responder\"}",
	 "{\"role\": \"facilitator\"}", "role", "facilitator",
	 "{\"role\": \"responder\"}", "name"},
	{"links",
	 "{\"url\": \"https://grafana.example/d/1\","
	 " \"kind\": \"dashboard\"}",
	 "{\"comment\": \"p99 panel\"}", "comment", "p99 panel",
	 "{\"url\": \"javascript:alert(1)\"}", "url"},
	{"tags", "{\"name\": \"database\"}", "{\"name\": \"db\"}", "name", "db",
	 "{\"name\": \"a,b\"}", "name"},
	{"lint-allows",
	 "{\"phrase\": \"human error\", \"category\": \"human-error\"}",
	 "{\"note\": \"the vendor's words\"}", "note", "the vendor's words",
	 "{\"phrase\": \"x\", \"category\": \"blame\"}", "category"},
};

static json_t *child_list(struct hs *s, int64_t id, const char *seg)
{
	char path[96];
	json_t *j = get_json(
		s, PATHF(path, "/api/v1/reviews/%lld/%s", (long long)id, seg),
		200);
	json_t *arr = json_incref(json_object_get(j, seg));

	assert_true(json_is_array(arr));
	json_decref(j);
	return arr;
}

static void
test_each_child_kind_supports_create_list_get_patch_delete(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Parent\"}");

	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		const struct kind_case *kc = &kinds[k];
		struct http_resp r;
		char base[96], one[128], body[512], *loc;
		int64_t cid, v0 = review_version(s, id);
		json_t *arr, *doc;

		PATHF(base, "/api/v1/reviews/%lld/%s", (long long)id,
		      kc->segment);
		assert_int_equal(http_json(s, "POST", base, kc->create, &r),
				 201);
		cid = jint(r.json, "id");
		assert_true(cid > 0);
		assert_int_equal(jint(r.json, "version"), 1);
		assert_int_equal(jint(r.json, "review_id"), id);
		assert_int_equal(jint(r.json, "review_version"), v0 + 1);
		PATHF(one, "%s/%lld", base, (long long)cid);
		loc = http_header(&r, "Location");
		assert_non_null(loc);
		assert_string_equal(loc, one);
		free(loc);
		http_resp_free(&r);

		arr = child_list(s, id, kc->segment);
		assert_int_equal(json_array_size(arr), 1);
		assert_int_equal(jint(json_array_get(arr, 0), "id"), cid);
		json_decref(arr);
		doc = get_review(s, id);
		assert_int_equal(jint(doc, "version"), v0 + 1);
		assert_int_equal(
			json_array_size(json_object_get(doc, kc->segment)), 1);
		json_decref(doc);

		assert_int_equal(http_get(s, one, &r), 200);
		assert_int_equal(jint(r.json, "id"), cid);
		http_resp_free(&r);

		/* a bad value is 422 naming the field, and changes nothing */
		http_json(s, "POST", base, kc->bad, &r);
		check_error(&r, 422, "invalid", kc->bad_field);
		http_resp_free(&r);
		assert_int_equal(review_version(s, id), v0 + 1);

		snprintf(body, sizeof body, "%.*s, \"version\": 1}",
			 (int)strlen(kc->patch) - 1, kc->patch);
		assert_int_equal(http_json(s, "PATCH", one, body, &r), 200);
		assert_string_equal(jstr(r.json, kc->field), kc->value);
		assert_int_equal(jint(r.json, "version"), 2);
		assert_int_equal(jint(r.json, "review_version"), v0 + 2);
		http_resp_free(&r);
		assert_int_equal(review_version(s, id), v0 + 2);

		assert_int_equal(http_json(s, "DELETE", one, NULL, &r), 204);
		http_resp_free(&r);
		http_get(s, one, &r);
		check_error(&r, 404, "not_found", NULL);
		http_resp_free(&r);
		arr = child_list(s, id, kc->segment);
		assert_int_equal(json_array_size(arr), 0);
		json_decref(arr);
		assert_int_equal(review_version(s, id), v0 + 3);
	}
}

static void test_child_patch_with_stale_version_is_409(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Parent\"}");
	const char *const stale_hdr[] = {"If-Match: 1", NULL};
	struct http_resp r;
	char base[96], one[128];
	int64_t cid, v;
	json_t *before;

	PATHF(base, "/api/v1/reviews/%lld/followups", (long long)id);
	assert_int_equal(
		http_json(s, "POST", base, "{\"title\": \"Fix it\"}", &r), 201);
	cid = jint(r.json, "id");
	http_resp_free(&r);
	PATHF(one, "%s/%lld", base, (long long)cid);
	assert_int_equal(http_json(s, "PATCH", one,
				   "{\"version\": 1, \"owner\": \"ana\"}", &r),
			 200);
	http_resp_free(&r);

	before = get_review(s, id);
	v = jint(before, "version");
	http_json(s, "PATCH", one, "{\"version\": 1, \"owner\": \"bo\"}", &r);
	check_error(&r, 409, "conflict", "version");
	assert_int_equal(jint(r.json, "current_version"), 2);
	http_resp_free(&r);
	http_do(s, "PATCH", one, NULL, "{\"owner\": \"bo\"}", stale_hdr, &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	http_json(s, "DELETE", one, "{\"version\": 1}", &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	assert_int_equal(review_version(s, id), v);
	json_decref(before);
}

static void test_tags_are_added_and_removed_by_name(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Tagged\", "
				      "\"tags\": [\"db\"]}");
	struct http_resp r;
	char base[96], path[160];
	json_t *doc, *tags;
	int64_t v;

	PATHF(base, "/api/v1/reviews/%lld/tags", (long long)id);
	assert_int_equal(
		http_json(s, "POST", base, "{\"name\": \"network\"}", &r), 201);
	assert_string_equal(jstr(r.json, "name"), "network");
	http_resp_free(&r);
	v = review_version(s, id);
	/* adding a tag the review has changes nothing */
	assert_int_equal(http_json(s, "POST", base, "{\"name\": \"db\"}", &r),
			 200);
	http_resp_free(&r);
	assert_int_equal(review_version(s, id), v);

	assert_int_equal(
		http_json(s, "DELETE", PATHF(path, "%s/db", base), NULL, &r),
		204);
	http_resp_free(&r);
	doc = get_review(s, id);
	tags = json_object_get(doc, "tags");
	assert_int_equal(json_array_size(tags), 1);
	assert_string_equal(json_string_value(json_array_get(tags, 0)),
			    "network");
	assert_int_equal(jint(doc, "version"), v + 1);
	json_decref(doc);
	http_json(s, "DELETE", PATHF(path, "%s/db", base), NULL, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
}

static void test_unknown_kind_or_review_is_404(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Parent\"}");
	struct http_resp r;
	char path[128];

	http_get(s, PATHF(path, "/api/v1/reviews/%lld/gossip", (long long)id),
		 &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/reviews/424242/timeline",
		  "{\"at\": \"2026-11-20T10:05:00Z\", \"text\": \"x\"}", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_get(
		s,
		PATHF(path, "/api/v1/reviews/%lld/timeline/999", (long long)id),
		&r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_json(s, "PATCH",
		  PATHF(path, "/api/v1/reviews/%lld/people/999", (long long)id),
		  "{\"name\": \"x\"}", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	assert_int_equal(review_version(s, id), 1);
}

static void test_children_of_a_deleted_review_are_404(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Gone\", \"timeline\": "
				      "[{\"at\": \"2026-11-20T10:00:00Z\", "
				      "\"text\": \"x\"}]}");
	struct http_resp r;
	char path[128];

	assert_int_equal(
		http_json(s, "DELETE",
			  PATHF(path, "/api/v1/reviews/%lld", (long long)id),
			  NULL, &r),
		204);
	http_resp_free(&r);
	http_get(s, PATHF(path, "/api/v1/reviews/%lld/timeline", (long long)id),
		 &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_json(s, "POST", path,
		  "{\"at\": \"2026-11-20T10:05:00Z\", \"text\": \"y\"}", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
}

static void test_child_bad_input_is_rejected_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Parent\"}");
	struct http_resp r;
	char base[96], one[128];
	json_t *before;

	PATHF(base, "/api/v1/reviews/%lld/timeline", (long long)id);
	assert_int_equal(http_json(s, "POST", base,
				   "{\"at\": \"2026-11-20T10:05:00Z\","
				   " \"text\": \"x\"}",
				   &r),
			 201);
	PATHF(one, "%s/%lld", base, (long long)jint(r.json, "id"));
	http_resp_free(&r);
	before = get_review(s, id);

	http_json(s, "POST", base, "{\"at\": \"yesterday\", \"text\": \"x\"}",
		  &r);
	check_error(&r, 400, "bad_request", "at");
	http_resp_free(&r);
	http_json(s, "POST", base,
		  "{\"at\": \"2026-11-20T10:05:00Z\","
		  " \"text\": \"x\", \"mood\": \"sad\"}",
		  &r);
	check_error(&r, 400, "bad_request", "mood");
	http_resp_free(&r);
	http_json(s, "PATCH", one, "{\"disputed\": \"yes\"}", &r);
	check_error(&r, 400, "bad_request", "disputed");
	http_resp_free(&r);
	http_json(s, "PATCH", one, "{\"text\": null}", &r);
	check_error(&r, 422, "invalid", "text");
	http_resp_free(&r);
	http_do(s, "POST", base, "text/plain", "at=now", NULL, &r);
	check_error(&r, 415, "unsupported_media_type", NULL);
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
		T(test_each_child_kind_supports_create_list_get_patch_delete),
		T(test_child_patch_with_stale_version_is_409),
		T(test_tags_are_added_and_removed_by_name),
		T(test_unknown_kind_or_review_is_404),
		T(test_children_of_a_deleted_review_are_404),
		T(test_child_bad_input_is_rejected_and_changes_nothing),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
