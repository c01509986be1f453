/* test_entry_pages.c: one timeline entry edited on its own, against the
 * real server (GET and POST /reviews/{id}/timeline/{child}/edit, what the
 * review page's Edit link opens and static/entry.js posts in place): it
 * saves that entry only, "HH:MM" takes the date of the entry above, a
 * stale version is 409 with nothing changed and both texts shown, bad
 * input is 422 naming the field with nothing changed. */
#include "api/page_checks.h"


static const char *review_json =
	"{\"title\": \"GitLab database outage\", \"started_at\": "
	"\"2017-01-31T17:00:00Z\", \"summary\": \"Kept as it is\", "
	"\"timeline\": [{\"at\": \"2017-01-31T17:20:00Z\", \"text\": \"Spam "
	"load\"}, {\"at\": \"2017-01-31T23:27:00Z\", \"kind\": \"action\", "
	"\"text\": \"Ran rm -rf\"}, {\"at\": \"2017-01-31T23:30:00Z\", "
	"\"text\": \"Stopped\"}]}";

/* entry reads timeline entry n (0-based, in time order) of review id. */
static json_t *entry(struct hs *s, long long id, size_t n)
{
	struct http_resp r;
	char path[64];
	json_t *e;

	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld/timeline", id),
			 &r),
		200);
	e = json_array_get(json_object_get(r.json, "timeline"), n);
	assert_non_null(e);
	json_incref(e);
	http_resp_free(&r);
	return e;
}

static void test_review_page_links_each_entry_to_its_own_form(void **state)
{
	struct hs *s = *state;
	long long id = create_review(s, review_json);
	json_t *e = entry(s, id, 1);
	long long cid = jint(e, "id");
	struct http_resp r;
	char path[96], want[160];

	assert_int_equal(http_get(s, PATHF(path, "/reviews/%lld", id), &r), 200);
	snprintf(want, sizeof want, "<tr id=\"tl-%lld\"", cid);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof want,
		 "href=\"/reviews/%lld/timeline/%lld/edit\"", id, cid);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "/static/entry.js?v="));
	http_resp_free(&r);

	assert_int_equal(http_get(s, PATHF(path, "/reviews/%lld/timeline/%lld/edit",
					   id, cid),
				  &r),
			 200);
	snprintf(want, sizeof want,
		 "action=\"/reviews/%lld/timeline/%lld/edit\"", id, cid);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "name=\"version\" value=\"1\""));
	assert_true(contains(r.body, "value=\"2017-01-31 23:27\""));
	assert_true(contains(r.body, ">\nRan rm -rf</textarea>"));
	/* HH:MM is completed from the entry above */
	assert_true(contains(r.body,
			     "name=\"started_at\" value=\"2017-01-31 17:20\""));
	/* one entry, not the review's form */
	assert_false(contains(r.body, "name=\"summary\""));
	assert_false(contains(r.body, "timeline[1]"));
	http_resp_free(&r);
	json_decref(e);
}

static void test_saving_one_entry_changes_only_it(void **state)
{
	struct hs *s = *state;
	long long id = create_review(s, review_json);
	json_t *e = entry(s, id, 1), *after, *other;
	long long cid = jint(e, "id"), rv = review_version(s, id);
	struct http_resp r;
	char path[96], want[96], *loc;

	PATHF(path, "/reviews/%lld/timeline/%lld/edit", id, cid);
	snprintf(want, sizeof want, "%lld", cid);
	assert_int_equal(post_form(s, path,
				   form("version", "1", "started_at",
					"2017-01-31 17:20", "timeline[0].id",
					want, "timeline[0].at", "23:28",
					"timeline[0].kind", "action",
					"timeline[0].actor", "team-member-1",
					"timeline[0].text",
					"Ran rm -rf on the wrong host", NULL),
				   &r),
			 303);
	loc = http_header(&r, "Location");
	http_resp_free(&r);
	snprintf(want, sizeof want, "/reviews/%lld#tl-%lld", id, cid);
	assert_string_equal(loc, want);
	free(loc);
	after = entry(s, id, 1);
	assert_int_equal(jint(after, "id"), cid);
	assert_int_equal(jint(after, "version"), 2);
	assert_string_equal(jstr(after, "at"), "2017-01-31T23:28:00Z");
	assert_string_equal(jstr(after, "text"), "Ran rm -rf on the wrong host");
	assert_string_equal(jstr(after, "actor"), "team-member-1");
	/* the rest of the review as it was; its version moved on */
	other = entry(s, id, 0);
	assert_string_equal(jstr(other, "text"), "Spam load");
	assert_int_equal(jint(other, "version"), 1);
	assert_true(review_version(s, id) > rv);
	assert_int_equal(http_get(s, PATHF(path, "/reviews/%lld", id), &r), 200);
	assert_true(contains(r.body, "Ran rm -rf on the wrong host"));
	assert_true(contains(r.body, "Kept as it is"));
	http_resp_free(&r);
	json_decref(e);
	json_decref(after);
	json_decref(other);
}

static void test_stale_version_is_409_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	long long id = create_review(s, review_json);
	json_t *e = entry(s, id, 2), *after;
	long long cid = jint(e, "id");
	struct http_resp r;
	char path[96], body[160], cs[32];

	/* someone else fixes the entry through the API meanwhile */
	snprintf(body, sizeof body, "{\"version\": 1, \"text\": \"Stopped by "
				    "the second engineer\"}");
	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path, "/api/v1/reviews/%lld/timeline/%lld",
					 id, cid),
				   body, &r),
			 200);
	http_resp_free(&r);
	PATHF(path, "/reviews/%lld/timeline/%lld/edit", id, cid);
	snprintf(cs, sizeof cs, "%lld", cid);
	assert_int_equal(post_form(s, path,
				   form("version", "1", "timeline[0].id", cs,
					"timeline[0].at", "2017-01-31 23:31",
					"timeline[0].kind", "observation",
					"timeline[0].text", "My own words", NULL),
				   &r),
			 409);
	/* theirs shown, mine kept in the form, which now carries version 2 */
	assert_true(contains(r.body, "Someone else changed this entry"));
	assert_true(contains(r.body, "Stopped by the second engineer"));
	assert_true(contains(r.body, ">\nMy own words</textarea>"));
	assert_true(contains(r.body, "value=\"2017-01-31 23:31\""));
	assert_true(contains(r.body, "name=\"version\" value=\"2\""));
	http_resp_free(&r);
	after = entry(s, id, 2);
	assert_string_equal(jstr(after, "text"),
			    "Stopped by the second engineer");
	assert_string_equal(jstr(after, "at"), "2017-01-31T23:30:00Z");
	json_decref(after);
	/* saving again, over what the person has now seen, applies */
	assert_int_equal(post_form(s, path,
				   form("version", "2", "timeline[0].id", cs,
					"timeline[0].at", "2017-01-31 23:31",
					"timeline[0].kind", "observation",
					"timeline[0].text", "My own words", NULL),
				   &r),
			 303);
	http_resp_free(&r);
	after = entry(s, id, 2);
	assert_string_equal(jstr(after, "text"), "My own words");
	json_decref(after);
	json_decref(e);
}

static void test_bad_input_is_422_naming_the_field_and_changes_nothing(
	void **state)
{
	struct hs *s = *state;
	long long id = create_review(s, review_json);
	json_t *e = entry(s, id, 1), *after;
	long long cid = jint(e, "id");
	struct http_resp r;
	char path[96], cs[32], other[96];

	PATHF(path, "/reviews/%lld/timeline/%lld/edit", id, cid);
	snprintf(cs, sizeof cs, "%lld", cid);
	/* a time that is none */
	assert_int_equal(post_form(s, path,
				   form("version", "1", "started_at",
					"2017-01-31 17:20", "timeline[0].id",
					cs, "timeline[0].at", "yesterday-ish",
					"timeline[0].kind", "action",
					"timeline[0].text", "Typed <words>", NULL),
				   &r),
			 422);
	assert_true(contains(r.body, "id=\"e-timeline-0--at\">Time must be"));
	assert_true(contains(r.body, "value=\"yesterday-ish\""));
	assert_true(contains(r.body, ">\nTyped &lt;words&gt;</textarea>"));
	/* the reference for HH:MM survives the round trip */
	assert_true(contains(r.body,
			     "name=\"started_at\" value=\"2017-01-31 17:20\""));
	http_resp_free(&r);
	/* a kind that is not one, and no text */
	assert_int_equal(post_form(s, path,
				   form("version", "1", "timeline[0].id", cs,
					"timeline[0].at", "2017-01-31 23:27",
					"timeline[0].kind", "blame",
					"timeline[0].text", "", NULL),
				   &r),
			 422);
	assert_true(contains(r.body, "id=\"e-timeline-0--kind\""));
	assert_true(contains(r.body, "id=\"e-timeline-0--text\""));
	http_resp_free(&r);
	/* no version, or another entry's id: refused */
	assert_int_equal(post_form(s, path,
				   form("timeline[0].id", cs, "timeline[0].at",
					"2017-01-31 23:27", "timeline[0].text",
					"x", NULL),
				   &r),
			 400);
	http_resp_free(&r);
	assert_int_equal(post_form(s, path,
				   form("version", "1", "timeline[0].id", "999",
					"timeline[0].at", "2017-01-31 23:27",
					"timeline[0].text", "x", NULL),
				   &r),
			 400);
	http_resp_free(&r);
	after = entry(s, id, 1);
	assert_string_equal(jstr(after, "text"), "Ran rm -rf");
	assert_int_equal(jint(after, "version"), 1);
	json_decref(after);
	/* an entry that is not there, or not of this review */
	assert_int_equal(http_get(s, PATHF(other, "/reviews/%lld/timeline/99999/edit",
					   id),
				  &r),
			 404);
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(other, "/reviews/%lld/timeline/%lld/edit",
					   (long long)create_review(s, "{\"title\": \"Other\"}"),
					   cid),
				  &r),
			 404);
	http_resp_free(&r);
	json_decref(e);
}

static void test_remove_deletes_the_entry_with_its_version(void **state)
{
	struct hs *s = *state;
	long long id = create_review(s, review_json);
	json_t *e = entry(s, id, 0), *first;
	long long cid = jint(e, "id");
	struct http_resp r;
	char path[96], cs[32];

	PATHF(path, "/reviews/%lld/timeline/%lld/edit", id, cid);
	snprintf(cs, sizeof cs, "%lld", cid);
	assert_int_equal(post_form(s, path,
				   form("version", "1", "timeline[0].id", cs,
					"timeline[0].at", "2017-01-31 17:20",
					"timeline[0].text", "Spam load",
					"timeline[0].remove", "true", NULL),
				   &r),
			 303);
	http_resp_free(&r);
	first = entry(s, id, 0);
	assert_string_equal(jstr(first, "text"), "Ran rm -rf");
	json_decref(first);
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_page_links_each_entry_to_its_own_form),
		cmocka_unit_test(test_saving_one_entry_changes_only_it),
		cmocka_unit_test(test_stale_version_is_409_and_changes_nothing),
		cmocka_unit_test(
			test_bad_input_is_422_naming_the_field_and_changes_nothing),
		cmocka_unit_test(test_remove_deletes_the_entry_with_its_version),
	};

	return cmocka_run_group_tests(tests, server_up, server_down);
}
