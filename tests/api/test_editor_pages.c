/* test_editor_pages.c: the review editor's server side, against the real
 * server. First, the edit page when two people edit one review at once. The form carries the review as it was
 * loaded ("base"); a save over a newer version merges: what only the other
 * person changed is kept, what only this person changed is applied, and
 * what both changed comes back side by side to choose, with nothing
 * saved until the choice is made. Also: a timeline time typed as "HH:MM"
 * takes its date from the entry above or the review's start, without
 * JavaScript too; and the markdown preview (POST /preview) renders like
 * the review page, in safe mode. */
#include "api/page_checks.h"
#include "util/utf8.h"

/* edit_base opens the edit page of review id and returns its base. */
static char *edit_base(struct hs *s, long long id)
{
	struct http_resp r;
	char path[64], *base;

	assert_int_equal(http_get(s, PATHF(path, "/reviews/%lld/edit", id), &r),
			 200);
	base = hidden_value(r.body, "base");
	http_resp_free(&r);
	assert_non_null(base);
	return base;
}

static const char *field_of(struct hs *s, long long id, const char *name,
			    long long *version)
{
	static char out[4096];
	struct http_resp r;
	char path[64];
	const char *v;

	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	v = json_string_value(json_object_get(r.json, name));
	snprintf(out, sizeof out, "%s", v ? v : "(null)");
	if (version)
		*version = (long long)json_integer_value(
			json_object_get(r.json, "version"));
	http_resp_free(&r);
	return out;
}

static void patch(struct hs *s, long long id, const char *json)
{
	struct http_resp r;
	char path[64];

	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path, "/api/v1/reviews/%lld", id),
				   json, &r),
			 200);
	http_resp_free(&r);
}

static const char *review_json =
	"{\"title\": \"Database outage\", \"open_questions\": \"Why?\", "
	"\"went_well\": \"Backups existed\", \"timeline\": [{\"at\": "
	"\"2017-01-31T23:00:00Z\", \"kind\": \"action\", \"text\": \"Ran "
	"rm -rf\"}]}";

static void
test_save_over_newer_version_keeps_their_field_and_applies_mine(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, review_json), v;
	char path[64], *base = edit_base(s, id);

	/* A adds a line to Open questions and saves */
	patch(s, id,
	      "{\"version\": 1, \"open_questions\": \"Why?\\nWhy was "
	      "the replica empty?\"}");
	/* B, who opened the form before, changes What went well; the form
	 * still holds the old Open questions, as a browser sends it */
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "base", base, "title",
			       "Database outage", "open_questions", "Why?",
			       "went_well",
			       "Backups existed; the team stayed calm", NULL),
			  &r),
		303);
	http_resp_free(&r);
	free(base);
	assert_string_equal(field_of(s, id, "open_questions", &v),
			    "Why?\nWhy was the replica empty?");
	assert_string_equal(field_of(s, id, "went_well", NULL),
			    "Backups existed; the team stayed calm");
	assert_int_equal(v, 3);
}

static void
test_both_changed_shows_theirs_mine_and_original_and_saves_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, review_json), v;
	char path[64], *base = edit_base(s, id), *conflicts, *base2;

	patch(s, id, "{\"version\": 1, \"went_well\": \"Their <words>\"}");
	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				   form("version", "1", "base", base, "title",
					"Database outage", "went_well",
					"My words", NULL),
				   &r),
			 409);
	free(base);
	assert_true(contains(r.body, "Nothing has been saved yet"));
	assert_true(contains(r.body, "Their &lt;words&gt;"));
	assert_true(contains(r.body, "The original</span><div "
				     "class=\"merge-text\">Backups existed"));
	assert_true(contains(r.body, ">\nMy words</textarea>"));
	assert_true(contains(r.body, "name=\"choose.went_well\" "
				     "value=\"theirs\""));
	assert_true(contains(r.body, "name=\"version\" value=\"2\""));
	conflicts = hidden_value(r.body, "conflicts");
	base2 = hidden_value(r.body, "base");
	http_resp_free(&r);
	assert_non_null(conflicts);
	assert_non_null(base2);
	assert_string_equal(field_of(s, id, "went_well", &v), "Their <words>");
	assert_int_equal(v, 2);

	/* no choice: refused again, nothing saved */
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "2", "base", base2, "conflicts",
			       conflicts, "went_well", "My words", NULL),
			  &r),
		409);
	assert_true(contains(r.body, "Choose their text or yours"));
	assert_true(contains(r.body, "Their &lt;words&gt;"));
	http_resp_free(&r);
	assert_int_equal((field_of(s, id, "went_well", &v), v), 2);

	/* a bad choice counts as none */
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "2", "base", base2, "conflicts",
			       conflicts, "went_well", "My words",
			       "choose.went_well", "both", NULL),
			  &r),
		409);
	http_resp_free(&r);
	assert_int_equal((field_of(s, id, "went_well", &v), v), 2);

	/* combined in the box, "mine" chosen: saved */
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "2", "base", base2, "conflicts",
			       conflicts, "went_well", "Their <words> and mine",
			       "choose.went_well", "yours", NULL),
			  &r),
		303);
	http_resp_free(&r);
	assert_string_equal(field_of(s, id, "went_well", &v),
			    "Their <words> and mine");
	assert_int_equal(v, 3);
	free(conflicts);
	free(base2);
}

static void test_choosing_theirs_keeps_their_text(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, review_json), v;
	char path[64], *base = edit_base(s, id), *conflicts, *base2;

	patch(s, id, "{\"version\": 1, \"went_well\": \"Theirs\"}");
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "base", base, "went_well",
			       "Mine", "open_questions", "Mine too", NULL),
			  &r),
		409);
	free(base);
	conflicts = hidden_value(r.body, "conflicts");
	base2 = hidden_value(r.body, "base");
	/* the field only I changed is in the merged form */
	assert_true(contains(r.body, ">\nMine too</textarea>"));
	http_resp_free(&r);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "2", "base", base2, "conflicts",
			       conflicts, "went_well", "Mine", "open_questions",
			       "Mine too", "choose.went_well", "theirs", NULL),
			  &r),
		303);
	http_resp_free(&r);
	assert_string_equal(field_of(s, id, "went_well", &v), "Theirs");
	assert_string_equal(field_of(s, id, "open_questions", NULL),
			    "Mine too");
	assert_int_equal(v, 3);
	free(conflicts);
	free(base2);
}

static long long first_entry(struct hs *s, long long id, size_t *n)
{
	struct http_resp r;
	char path[64];
	long long e;

	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	*n = json_array_size(json_object_get(r.json, "timeline"));
	e = (long long)json_integer_value(json_object_get(
		json_array_get(json_object_get(r.json, "timeline"), 0), "id"));
	http_resp_free(&r);
	return e;
}

static void test_timeline_rows_added_on_both_sides_are_kept(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, review_json);
	char path[64], eid[24], *base = edit_base(s, id);
	size_t n;

	snprintf(eid, sizeof eid, "%lld", first_entry(s, id, &n));
	assert_int_equal(
		http_json(s, "POST",
			  PATHF(path, "/api/v1/reviews/%lld/timeline", id),
			  "{\"at\": \"2017-01-31T23:30:00Z\", \"text\": "
			  "\"Theirs added\"}",
			  &r),
		201);
	http_resp_free(&r);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "base", base, "timeline[0].id",
			       eid, "timeline[0].at", "2017-01-31 23:00",
			       "timeline[0].kind", "action", "timeline[0].text",
			       "Ran rm -rf", "timeline[1].at",
			       "2017-01-31 23:27", "timeline[1].kind", "action",
			       "timeline[1].text", "Mine added", NULL),
			  &r),
		303);
	http_resp_free(&r);
	free(base);
	first_entry(s, id, &n);
	assert_int_equal(n, 3);
	assert_int_equal(http_get(s, PATHF(path, "/reviews/%lld", id), &r),
			 200);
	assert_true(contains(r.body, "Theirs added"));
	assert_true(contains(r.body, "Mine added"));
	http_resp_free(&r);
}

static void test_row_deleted_by_them_and_edited_by_me_is_a_choice(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, review_json), v;
	char path[96], eid[24], *base = edit_base(s, id), *conflicts, *base2;
	size_t n;

	snprintf(eid, sizeof eid, "%lld", first_entry(s, id, &n));
	assert_int_equal(http_do(s, "DELETE",
				 PATHF(path, "/api/v1/reviews/%lld/timeline/%s",
				       id, eid),
				 NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 204);
	http_resp_free(&r);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "base", base, "timeline[0].id",
			       eid, "timeline[0].at", "2017-01-31 23:00",
			       "timeline[0].kind", "action", "timeline[0].text",
			       "Ran rm -rf on the wrong host", NULL),
			  &r),
		409);
	free(base);
	assert_true(contains(r.body, "Someone else deleted this entry"));
	assert_true(contains(r.body, "name=\"choose.timeline[0]\" "
				     "value=\"keep\""));
	assert_true(contains(r.body, "Ran rm -rf on the wrong host"));
	conflicts = hidden_value(r.body, "conflicts");
	base2 = hidden_value(r.body, "base");
	http_resp_free(&r);
	first_entry(s, id, &n);
	assert_int_equal(n, 0);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "2", "base", base2, "conflicts",
			       conflicts, "timeline[0].at", "2017-01-31 23:00",
			       "timeline[0].kind", "action", "timeline[0].text",
			       "Ran rm -rf on the wrong host",
			       "choose.timeline[0]", "keep", NULL),
			  &r),
		303);
	http_resp_free(&r);
	free(conflicts);
	free(base2);
	first_entry(s, id, &n);
	assert_int_equal(n, 1);
	field_of(s, id, "title", &v);
	assert_int_equal(v, 3);
}

static void
test_damaged_base_or_conflicts_is_400_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, review_json), other, v;
	char path[64], *base, *other_base;
	static const char *bad[] = {"", "{", "[]", "{\"review\": {}}"};

	other = create_review(s, review_json);
	other_base = edit_base(s, other);
	base = edit_base(s, id);
	patch(s, id, "{\"version\": 1, \"went_well\": \"Theirs\"}");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(
			post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				  form("version", "1", "base", bad[i],
				       "summary", "Mine", NULL),
				  &r),
			400);
		http_resp_free(&r);
	}
	/* another review's base */
	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				   form("version", "1", "base", other_base,
					"summary", "Mine", NULL),
				   &r),
			 400);
	http_resp_free(&r);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "2", "base", base, "conflicts",
			       "{\"n\": 1}", "summary", "Mine", NULL),
			  &r),
		400);
	http_resp_free(&r);
	assert_string_equal(field_of(s, id, "summary", &v), "(null)");
	assert_int_equal(v, 2);
	free(base);
	free(other_base);
}

static const char *entry_at(struct hs *s, long long id, size_t i)
{
	static char out[64];
	struct http_resp r;
	char path[64];
	const char *v;

	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	v = json_string_value(json_object_get(
		json_array_get(json_object_get(r.json, "timeline"), i), "at"));
	snprintf(out, sizeof out, "%s", v ? v : "(none)");
	http_resp_free(&r);
	return out;
}

static void test_clock_time_takes_date_from_entry_above_or_start(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, "{\"title\": \"Night outage\"}");
	char path[64];

	/* the first entry takes the start's date; the next ones the date of
	 * the entry above, and the day after once the clock goes back */
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "started_at", "2017-01-31 17:20",
			       "timeline[0].at", "17:20", "timeline[0].text",
			       "Spam load", "timeline[1].at", "23:27:30",
			       "timeline[1].text", "Wrong host",
			       "timeline[2].at", " 0:10 ", "timeline[2].text",
			       "After midnight", "timeline[3].at",
			       "2017-02-01 09:00", "timeline[3].text",
			       "Typed in full", "timeline[4].at", "18:00",
			       "timeline[4].text", "Restored", NULL),
			  &r),
		303);
	http_resp_free(&r);
	assert_string_equal(entry_at(s, id, 0), "2017-01-31T17:20:00Z");
	assert_string_equal(entry_at(s, id, 1), "2017-01-31T23:27:30Z");
	assert_string_equal(entry_at(s, id, 2), "2017-02-01T00:10:00Z");
	assert_string_equal(entry_at(s, id, 3), "2017-02-01T09:00:00Z");
	assert_string_equal(entry_at(s, id, 4), "2017-02-01T18:00:00Z");
}

static void test_clock_time_without_a_date_to_take_is_refused(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, "{\"title\": \"No start\"}");
	static const char *bad[] = {"14:20",	"25:00", "14:2",
				    "14:20x",	"1420",	 "14:60",
				    "14:20:61", ":20",	 "123:00"};
	char path[64];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(
			post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				  form("version", "1", "started_at",
				       i ? "2017-01-31 21:00" : "",
				       "timeline[0].at", bad[i],
				       "timeline[0].text", "x", NULL),
				  &r),
			422);
		assert_true(contains(r.body, "id=\"e-timeline-0--at\""));
		http_resp_free(&r);
	}
	assert_string_equal(entry_at(s, id, 0), "(none)");
}

/* a name quoted in an error is shortened between characters: "a" and 65
 * "é" is 131 bytes, and its first 64 bytes would end inside an é */
static void test_a_long_tag_is_quoted_whole_in_its_error(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, "{\"title\": \"Tags\"}");
	char path[64], tag[160], want[96];

	strcpy(tag, "a");
	for (int i = 0; i < 65; i++)
		strcat(tag, "\xc3\xa9");
	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				   form("version", "1", "tags", tag, NULL), &r),
			 422);
	assert_true(utf8_valid(r.body, strlen(r.body), NULL));
	/* "a" and 31 é: 63 bytes, the most that fits 64 */
	snprintf(want, sizeof want, "Tag &quot;%.63s&quot;: ", tag);
	assert_true(contains(r.body, want));
	http_resp_free(&r);
}

static void
test_error_list_names_the_entry_by_position_time_and_words(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, "{\"title\": \"Errors\"}");
	char path[64];

	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "timeline[0].at",
			       "2017-01-31 23:00", "timeline[0].text", "Fine",
			       "timeline[7].at", "half past ten",
			       "timeline[7].text",
			       "Restored the <db> from the staging copy made "
			       "six hours before",
			       "followups[2].owner", "dba", NULL),
			  &r),
		422);
	assert_true(contains(r.body, "Timeline entry 2 (half past ten, "
				     "\xe2\x80\x9cRestored the &lt;db&gt; "
				     "from the staging copy\xe2\x80\xa6"
				     "\xe2\x80\x9d): "));
	assert_true(contains(r.body, "Follow-up 1: "));
	http_resp_free(&r);
}

static void
test_preview_renders_markdown_like_the_page_in_safe_mode(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	assert_int_equal(post_form(s, "/preview",
				   form("text",
					"**Bold** and `code` and "
					"<script>alert(1)</script> "
					"[x](javascript:alert(1))",
					NULL),
				   &r),
			 200);
	assert_true(contains(r.headers, "text/html"));
	assert_true(contains(r.headers, "no-store"));
	assert_true(contains(r.body, "<strong>Bold</strong>"));
	assert_true(contains(r.body, "<code>code</code>"));
	assert_false(contains(r.body, "<script"));
	assert_false(contains(r.body, "javascript:"));
	http_resp_free(&r);
	/* a stray backtick shows as it will be stored */
	assert_int_equal(
		post_form(s, "/preview", form("text", "a `b", NULL), &r), 200);
	assert_true(contains(r.body, "a `b"));
	http_resp_free(&r);
}

static void test_preview_without_text_is_400_and_too_long_is_413(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *big = malloc(256 * 1024 + 2);

	assert_int_equal(post_form(s, "/preview", form("txt", "x", NULL), &r),
			 400);
	assert_true(contains(r.body, "\"text\""));
	http_resp_free(&r);
	assert_non_null(big);
	memset(big, 'a', 256 * 1024 + 1);
	big[256 * 1024 + 1] = '\0';
	assert_int_equal(post_form(s, "/preview", form("text", big, NULL), &r),
			 413);
	http_resp_free(&r);
	free(big);
	/* readers of the API cannot GET it */
	assert_int_equal(http_get(s, "/preview", &r), 405);
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, server_up, server_down)
		T(test_save_over_newer_version_keeps_their_field_and_applies_mine),
		T(test_both_changed_shows_theirs_mine_and_original_and_saves_nothing),
		T(test_choosing_theirs_keeps_their_text),
		T(test_timeline_rows_added_on_both_sides_are_kept),
		T(test_row_deleted_by_them_and_edited_by_me_is_a_choice),
		T(test_damaged_base_or_conflicts_is_400_and_changes_nothing),
		T(test_clock_time_takes_date_from_entry_above_or_start),
		T(test_clock_time_without_a_date_to_take_is_refused),
		T(test_error_list_names_the_entry_by_position_time_and_words),
		T(test_a_long_tag_is_quoted_whole_in_its_error),
		T(test_preview_renders_markdown_like_the_page_in_safe_mode),
		T(test_preview_without_text_is_400_and_too_long_is_413),
#undef T
	};
	return cmocka_run_group_tests_name("editor pages", tests, NULL, NULL);
}
