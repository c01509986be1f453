/* test_meeting.c: the review meeting through /api/v1/reviews/{id}/meeting
 * (PUT creates or replaces, GET reads, DELETE cancels; versions and 409)
 * and its invite, GET /reviews/{id}/meeting.ics: a stable UID, SEQUENCE
 * rising with every change, METHOD:CANCEL once cancelled. Every kind of
 * bad input is a clear error naming the field and changes nothing. */
#include "api/api_checks.h"

#include <time.h>

#include "util/buf.h"

#define MEETING                                                             \
	"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": 60, "  \
	"\"timezone\": \"Europe/Paris\", \"location\": \"Room 4\", "        \
	"\"facilitator\": \"Fay <fay@example.com>\", \"note_taker\": "      \
	"\"Ned\", \"invitees\": [\"eng@lists.example.com\", \"Cy Doe "      \
	"<cy@example.com>\", \"Dee\"], \"agenda\": \"Walk the timeline\"}"

static int64_t new_review(struct hs *s)
{
	return create_review(
		s, "{\"title\": \"Queue backlog\", \"people\": [{\"name\": "
		   "\"Ana\", \"role\": \"responder\"}]}");
}

static json_t *put(struct hs *s, int64_t id, const char *body, long status)
{
	struct http_resp r;
	char path[64];
	json_t *j;

	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  body, &r);
	if (r.status != status)
		fprintf(stderr, "PUT %s: %ld %s\n", body, r.status, r.body);
	assert_int_equal(r.status, status);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

static char *ics(struct hs *s, int64_t id, long status)
{
	struct http_resp r;
	char path[64], *type, *out;

	assert_int_equal(http_get(s,
				  PATHF(path, "/reviews/%lld/meeting.ics",
					(long long)id),
				  &r),
			 status);
	if (status != 200) {
		http_resp_free(&r);
		return NULL;
	}
	type = http_header(&r, "Content-Type");
	assert_non_null(type);
	assert_non_null(strstr(type, "text/calendar"));
	free(type);
	out = strdup(r.body);
	http_resp_free(&r);
	return out;
}

/* line returns the value of the first unfolded line starting with key. */
static char *line(const char *text, const char *key)
{
	struct buf b = BUF_INIT;
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, strlen(key))) {
			p += strlen(key);
			while (*p && !(p[0] == '\r' && p[1] == '\n' &&
				       p[2] != ' ')) {
				if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
					p += 3;
				else
					buf_putc(&b, *p++);
			}
			return buf_detach(&b);
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return NULL;
}

static void assert_line(const char *text, const char *key, const char *want)
{
	char *v = line(text, key);

	if (!v || strcmp(v, want))
		fprintf(stderr, "%s: want %s, got %s\n", key, want,
			v ? v : "(none)");
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

static void test_put_creates_get_reads_and_invite_is_a_request(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	json_t *m = put(s, id, MEETING, 201), *got, *doc;
	char path[64], *text;

	assert_string_equal(json_string_value(json_object_get(m, "end")),
			    "2099-01-10T14:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(m, "sequence")), 0);
	assert_int_equal(
		json_integer_value(json_object_get(m, "duration_minutes")), 60);
	assert_string_equal(json_string_value(json_object_get(m, "status")),
			    "scheduled");
	got = get_json(s,
		       PATHF(path, "/api/v1/reviews/%lld/meeting",
			     (long long)id),
		       200);
	assert_true(json_equal(json_object_get(got, "invitees"),
			       json_object_get(m, "invitees")));
	assert_string_equal(json_string_value(json_object_get(got, "uid")),
			    json_string_value(json_object_get(m, "uid")));
	/* the review's document holds it, like every child */
	doc = get_review(s, id);
	assert_int_equal(json_array_size(json_object_get(doc, "meetings")), 1);
	text = ics(s, id, 200);
	assert_line(text, "METHOD:", "REQUEST");
	assert_line(text, "SEQUENCE:", "0");
	assert_line(text, "UID:", json_string_value(json_object_get(m, "uid")));
	assert_line(text, "DTSTART;TZID=Europe/Paris:", "20990110T140000");
	assert_line(text, "DTEND;TZID=Europe/Paris:", "20990110T150000");
	assert_line(text, "ORGANIZER;CN=Fay:", "mailto:fay@example.com");
	assert_non_null(strstr(text, "ATTENDEE;CN=Cy Doe"));
	assert_non_null(strstr(text, "BEGIN:VTIMEZONE"));
	{
		char *desc = line(text, "DESCRIPTION:");
		char want[80];

		assert_non_null(desc);
		assert_non_null(strstr(desc, PATHF(want, "/reviews/%lld",
						   (long long)id)));
		free(desc);
	}
	free(text);
	json_decref(doc);
	json_decref(got);
	json_decref(m);
}

static void test_each_change_raises_sequence_and_cancel_keeps_uid(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	json_t *m = put(s, id, MEETING, 201), *m2, *c, *again;
	const char *uid = json_string_value(json_object_get(m, "uid"));
	struct http_resp r;
	char path[64], *text;

	m2 = put(s, id,
		 "{\"start\": \"2099-01-11T09:00:00Z\", \"end\": "
		 "\"2099-01-11T10:00:00Z\", \"version\": 1}",
		 200);
	assert_int_equal(json_integer_value(json_object_get(m2, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(m2, "uid")), uid);
	/* replaced: what was left out is cleared, the zone back to UTC */
	assert_true(json_is_null(json_object_get(m2, "location")));
	assert_string_equal(json_string_value(json_object_get(m2, "timezone")),
			    "UTC");
	text = ics(s, id, 200);
	assert_line(text, "SEQUENCE:", "1");
	assert_line(text, "DTSTART:", "20990111T090000Z");
	free(text);
	assert_int_equal(http_json(s, "DELETE",
				   PATHF(path, "/api/v1/reviews/%lld/meeting",
					 (long long)id),
				   "{\"version\": 2}", &r),
			 200);
	c = json_incref(r.json);
	http_resp_free(&r);
	assert_string_equal(json_string_value(json_object_get(c, "status")),
			    "cancelled");
	text = ics(s, id, 200);
	assert_line(text, "METHOD:", "CANCEL");
	assert_line(text, "STATUS:", "CANCELLED");
	assert_line(text, "UID:", uid);
	assert_line(text, "SEQUENCE:", "2");
	free(text);
	/* scheduled again under the same UID */
	again = put(s, id, MEETING, 200);
	assert_string_equal(json_string_value(json_object_get(again, "status")),
			    "scheduled");
	assert_string_equal(json_string_value(json_object_get(again, "uid")),
			    uid);
	text = ics(s, id, 200);
	assert_line(text, "METHOD:", "REQUEST");
	assert_line(text, "SEQUENCE:", "3");
	free(text);
	json_decref(again);
	json_decref(c);
	json_decref(m2);
	json_decref(m);
}

static void test_stale_version_is_409_and_changes_nothing(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	json_t *m = put(s, id, MEETING, 201), *after;
	struct http_resp r;
	char path[64];

	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  "{\"start\": \"2099-02-01T10:00:00Z\", \"duration_minutes\": "
		  "30, \"version\": 5}",
		  &r);
	check_error(&r, 409, "conflict", "version");
	assert_int_equal(
		json_integer_value(json_object_get(r.json, "current_version")),
		1);
	http_resp_free(&r);
	http_json(s, "DELETE", path, "{\"version\": 9}", &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	after = get_json(s, path, 200);
	assert_int_equal(json_integer_value(json_object_get(after, "version")),
			 1);
	assert_string_equal(json_string_value(json_object_get(after, "start")),
			    "2099-01-10T13:00:00Z");
	json_decref(after);
	json_decref(m);
}

static void test_bad_input_names_the_field_and_changes_nothing(void **state)
{
	static const struct {
		const char *body;
		long status;
		const char *code, *field;
	} bad[] = {
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"end\": "
		 "\"2099-01-10T12:00:00Z\"}",
		 422, "invalid", "end"},
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": "
		 "60, \"timezone\": \"Mars/Olympus\"}",
		 422, "invalid", "timezone"},
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": "
		 "60, \"invitees\": [\"ana@\"]}",
		 422, "invalid", "invitees"},
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": "
		 "60, \"end\": \"2099-01-10T14:00:00Z\"}",
		 400, "bad_request", "duration_minutes"},
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": "
		 "0}",
		 400, "bad_request", "duration_minutes"},
		{"{\"start\": \"tomorrow\", \"duration_minutes\": 60}", 400,
		 "bad_request", "start"},
		{"{\"duration_minutes\": 60}", 422, "invalid", NULL},
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": "
		 "60, \"colour\": \"red\"}",
		 400, "bad_request", "colour"},
		{"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": "
		 "60, \"status\": \"maybe\"}",
		 422, "invalid", "status"},
		{"[1]", 400, "bad_request", NULL},
	};
	struct hs *s = *state;
	int64_t id = new_review(s), v0;
	json_t *m = put(s, id, MEETING, 201), *after;
	char path[64];

	v0 = review_version(s, id);
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct http_resp r;

		http_json(s, "PUT",
			  PATHF(path, "/api/v1/reviews/%lld/meeting",
				(long long)id),
			  bad[k].body, &r);
		check_error(&r, bad[k].status, bad[k].code, bad[k].field);
		http_resp_free(&r);
	}
	after = get_json(s, path, 200);
	assert_int_equal(json_integer_value(json_object_get(after, "version")),
			 1);
	assert_int_equal(review_version(s, id), v0);
	json_decref(after);
	json_decref(m);
}

static void test_five_thousand_invitees_are_over_the_limit(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct buf b = BUF_INIT;
	struct http_resp r;
	char path[64];

	buf_puts(&b, "{\"start\": \"2099-01-10T13:00:00Z\", "
		     "\"duration_minutes\": 60, \"invitees\": [");
	for (int k = 0; k < 5000; k++)
		buf_printf(&b, "%s\"p%d@example.com\"", k ? "," : "", k);
	buf_puts(&b, "]}");
	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  buf_cstr(&b), &r);
	check_error(&r, 422, "invalid", "invitees");
	assert_non_null(strstr(r.body, "1000"));
	http_resp_free(&r);
	buf_release(&b);
	/* nothing half-saved */
	assert_int_equal(http_get(s, path, &r), 404);
	http_resp_free(&r);
}

static int has_warning(json_t *m, const char *field)
{
	json_t *w;
	size_t i;

	json_array_foreach(json_object_get(m, "warnings"), i, w)
	{
		if (!strcmp(json_string_value(json_object_get(w, "field")),
			    field))
			return 1;
	}
	return 0;
}

static void test_past_meeting_and_involved_facilitator_warn(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	json_t *m = put(s, id,
			"{\"start\": \"2020-01-10T13:00:00Z\", "
			"\"duration_minutes\": 30, \"facilitator\": \"Ana\"}",
			201);

	assert_true(has_warning(m, "start"));
	assert_true(has_warning(m, "facilitator"));
	assert_true(has_warning(m, "end")); /* 55 minutes of phases in 30 */
	json_decref(m);
	m = put(s, id, MEETING, 200);
	assert_false(has_warning(m, "start"));
	assert_false(has_warning(m, "facilitator"));
	assert_false(has_warning(m, "end"));
	assert_int_equal(json_array_size(json_object_get(m, "phases")), 4);
	json_decref(m);
}

static void test_no_meeting_is_404_and_changes_are_history(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct http_resp r;
	char path[64];
	json_t *revs, *m;
	size_t i;
	int seen = 0;

	http_get(s, PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		 &r);
	check_error(&r, 404, "not_found", "meeting");
	http_resp_free(&r);
	http_json(s, "DELETE", path, NULL, &r);
	check_error(&r, 404, "not_found", "meeting");
	http_resp_free(&r);
	ics(s, id, 404);
	http_json(s, "PUT", "/api/v1/reviews/999/meeting", MEETING, &r);
	check_error(&r, 404, "not_found", "id");
	http_resp_free(&r);
	json_decref(put(s, id, MEETING, 201));
	revs = get_json(s,
			PATHF(path, "/api/v1/reviews/%lld/revisions",
			      (long long)id),
			200);
	json_array_foreach(json_object_get(revs, "revisions"), i, m)
	{
		const char *k =
			json_string_value(json_object_get(m, "record_kind"));
		seen |= k && !strcmp(k, "meetings");
	}
	assert_true(seen);
	json_decref(revs);
	/* the History page names it as the meeting, by its time */
	assert_int_equal(http_get(s,
				  PATHF(path, "/reviews/%lld/history",
					(long long)id),
				  &r),
			 200);
	assert_non_null(strstr(r.body, "added the meeting of <time"));
	http_resp_free(&r);
}

/* ago formats now - seconds as RFC 3339. */
static const char *ago(char *out, size_t n, long seconds)
{
	time_t t = time(NULL) - seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static int64_t resolved_review(struct hs *s, const char *title, long ago_s)
{
	char body[200], t[32];

	snprintf(body, sizeof body,
		 "{\"title\": \"%s\", \"resolved_at\": \"%s\"}", title,
		 ago(t, sizeof t, ago_s));
	return create_review(s, body);
}

/* overdue_days_of returns the overdue_days of review id in the overdue
 * list, -1 when it is not listed. */
static json_int_t overdue_days_of(json_t *list, int64_t id)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(list, "reviews"), i, r)
	{
		if (json_integer_value(json_object_get(r, "id")) == id) {
			assert_true(json_is_integer(
				json_object_get(r, "overdue_days")));
			return json_integer_value(
				json_object_get(r, "overdue_days"));
		}
	}
	return -1;
}

static void test_overdue_lists_reviews_past_the_deadline(void **state)
{
	struct hs *s = *state;
	const long day = 86400;
	int64_t inside = resolved_review(s, "inside", 14 * day - 3600);
	int64_t past = resolved_review(s, "past", 14 * day + 3600);
	int64_t day15 = resolved_review(s, "day 15", 15 * day + 3600);
	int64_t old = resolved_review(s, "old", 30 * day + 60);
	/* an hour short of whole days, so that seconds passing while the
	 * test runs do not move the count */
	int64_t held = resolved_review(s, "held", 30 * day - 3600);
	int64_t cancelled = resolved_review(s, "cancelled", 30 * day - 3600);
	int64_t coming = resolved_review(s, "coming", 30 * day - 3600);
	int64_t open = create_review(s, "{\"title\": \"unresolved\"}");
	int64_t published = resolved_review(s, "published", 30 * day - 3600);
	char body[200], t[32];
	struct http_resp r;
	json_t *list;

	/* reviewed or published: its review is done, meeting or not */
	http_json(s, "PATCH",
		  PATHF(t, "/api/v1/reviews/%lld", (long long)published),
		  "{\"status\": \"published\"}", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	snprintf(body, sizeof body,
		 "{\"start\": \"%s\", \"duration_minutes\": 60}",
		 ago(t, sizeof t, 2 * day));
	json_decref(put(s, held, body, 201));
	json_decref(put(s, cancelled, body, 201));
	http_json(s, "DELETE", PATHF(t, "/api/v1/reviews/%lld/meeting",
				     (long long)cancelled),
		  NULL, &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	json_decref(put(s, coming, MEETING, 201)); /* not held yet */
	list = get_json(s, "/api/v1/reviews?overdue=true", 200);
	assert_int_equal(overdue_days_of(list, inside), -1);
	/* whole days past the deadline: listed from the first second, 0 on
	 * the first day */
	assert_int_equal(overdue_days_of(list, past), 0);
	assert_int_equal(overdue_days_of(list, day15), 1);
	assert_int_equal(overdue_days_of(list, old), 16);
	assert_int_equal(overdue_days_of(list, held), -1);
	assert_int_equal(overdue_days_of(list, cancelled), 15);
	assert_int_equal(overdue_days_of(list, coming), 15);
	assert_int_equal(overdue_days_of(list, open), -1);
	assert_int_equal(overdue_days_of(list, published), -1);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 5);
	json_decref(list);
	/* without the filter every review is listed, without overdue_days */
	list = get_json(s, "/api/v1/reviews", 200);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 9);
	assert_null(json_object_get(
		json_array_get(json_object_get(list, "reviews"), 0),
		"overdue_days"));
	json_decref(list);
	http_get(s, "/api/v1/reviews?overdue=soon", &r);
	check_error(&r, 400, "bad_request", "overdue");
	http_resp_free(&r);
}

static void test_patching_the_meeting_checks_it_as_put_does(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	json_t *m = put(s, id, MEETING, 201), *after;
	struct http_resp r;
	char path[96];

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/meetings/%lld",
		 (long long)id,
		 (long long)json_integer_value(json_object_get(m, "id")));
	http_json(s, "PATCH", path, "{\"timezone\": \"Mars/Olympus\"}", &r);
	check_error(&r, 422, "invalid", "timezone");
	http_resp_free(&r);
	http_json(s, "PATCH", path,
		  "{\"attended\": [\"Cy Doe <cy@example.com>\", \"Walk In\"], "
		  "\"parking_lot\": \"Retry budget, global?\", \"version\": 1}",
		  &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 2);
	http_resp_free(&r);
	/* a second meeting on the same review is refused */
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/meetings",
		 (long long)id);
	http_json(s, "POST", path,
		  "{\"start\": \"2099-02-01T10:00:00Z\", \"end\": "
		  "\"2099-02-01T11:00:00Z\"}",
		  &r);
	check_error(&r, 422, "invalid", NULL);
	http_resp_free(&r);
	/* PUT keeps what the meeting recorded */
	json_decref(put(s, id, MEETING, 200));
	after = get_json(s,
			 PATHF(path, "/api/v1/reviews/%lld/meeting",
			       (long long)id),
			 200);
	assert_int_equal(json_array_size(json_object_get(after, "attended")),
			 2);
	assert_string_equal(
		json_string_value(json_object_get(after, "parking_lot")),
		"Retry budget, global?");
	json_decref(after);
	json_decref(m);
}

static void test_lag_per_review_and_monthly_median(void **state)
{
	static const struct {
		const char *resolved, *start, *cancel;
	} rv[] = {
		{"2026-01-05T10:00:00Z", "2026-01-10T10:00:00Z", NULL},
		{"2026-01-20T10:00:00Z", "2026-01-27T10:00:00Z", NULL},
		{"2026-02-01T10:00:00Z", "2026-02-04T10:00:00Z", NULL},
		{"2026-02-02T10:00:00Z", "2026-02-03T10:00:00Z", "cancel"},
		{"2026-03-01T10:00:00Z", "2099-01-01T10:00:00Z", NULL},
	};
	struct hs *s = *state;
	char body[256], path[64];
	json_t *m, *lag, *months;
	int64_t id;

	for (size_t k = 0; k < sizeof rv / sizeof rv[0]; k++) {
		snprintf(body, sizeof body,
			 "{\"title\": \"lag %zu\", \"resolved_at\": \"%s\"}", k,
			 rv[k].resolved);
		id = create_review(s, body);
		snprintf(body, sizeof body,
			 "{\"start\": \"%s\", \"duration_minutes\": 60}",
			 rv[k].start);
		m = put(s, id, body, 201);
		if (k == 0)
			assert_true(json_real_value(json_object_get(
					    m, "lag_days")) > 4.99);
		if (k == 4)
			assert_true(json_is_null(json_object_get(m, "lag_days")));
		json_decref(m);
		if (rv[k].cancel) {
			struct http_resp r;

			http_json(s, "DELETE",
				  PATHF(path, "/api/v1/reviews/%lld/meeting",
					(long long)id),
				  NULL, &r);
			assert_int_equal(r.status, 200);
			http_resp_free(&r);
		}
	}
	lag = get_json(s, "/api/v1/meetings/lag", 200);
	months = json_object_get(lag, "months");
	assert_int_equal(json_array_size(months), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(months, 0), "month")),
			    "2026-01");
	assert_true(json_real_value(json_object_get(json_array_get(months, 0),
						    "median_days")) == 6.0);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(months, 0), "reviews")),
			 2);
	assert_true(json_real_value(json_object_get(json_array_get(months, 1),
						    "median_days")) == 3.0);
	json_decref(lag);
}

static void test_meeting_pages_escape_what_people_typed(void **state)
{
	static const char *const pages[] = {"/reviews/%lld",
					    "/reviews/%lld/meeting",
					    "/reviews/%lld/meeting/run",
					    "/reviews/%lld/meeting/notes",
					    "/calendar"};
	struct hs *s = *state;
	int64_t id = create_review(
		s, "{\"title\": \"<script>alert(1)</script>\", \"timeline\": "
		   "[{\"at\": \"2026-01-01T10:00:00Z\", \"text\": "
		   "\"<img src=x onerror=alert(2)>\"}]}");
	char path[64];
	struct http_resp r;

	json_decref(put(s, id,
			"{\"start\": \"2099-01-10T13:00:00Z\", "
			"\"duration_minutes\": 60, \"location\": \"<b "
			"onmouseover=alert(3)>x</b>\", \"facilitator\": "
			"\"\\\"><script>alert(4)</script>\", \"invitees\": "
			"[\"Al <al@example.com>\", \"x' onfocus='alert(5)\"], "
			"\"facilitator_wanted\": true}",
			201));
	json_decref(get_json(s, "/api/v1/reviews?limit=1", 200));
	for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
		snprintf(path, sizeof path, pages[k], (long long)id);
		assert_int_equal(http_get(s, path, &r), 200);
		assert_null(strstr(r.body, "<script>alert"));
		assert_null(strstr(r.body, "<img src=x"));
		assert_null(strstr(r.body, "<b onmouseover"));
		assert_null(strstr(r.body, "' onfocus='"));
		http_resp_free(&r);
	}
}

static void test_a_meeting_embedded_in_a_new_review_is_checked(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	json_t *list;

	http_json(s, "POST", "/api/v1/reviews",
		  "{\"title\": \"x\", \"meetings\": [{\"start\": "
		  "\"2099-01-10T13:00:00Z\", \"end\": \"2099-01-10T14:00:00Z\", "
		  "\"timezone\": \"Mars/Olympus\"}]}",
		  &r);
	check_error(&r, 422, "invalid", "meetings[0].timezone");
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/reviews",
		  "{\"title\": \"x\", \"meetings\": [{\"start\": "
		  "\"2099-01-10T13:00:00Z\", \"end\": \"2099-01-10T14:00:00Z\"}, "
		  "{\"start\": \"2099-01-11T13:00:00Z\", \"end\": "
		  "\"2099-01-11T14:00:00Z\"}]}",
		  &r);
	check_error(&r, 422, "invalid", "meetings");
	http_resp_free(&r);
	list = get_json(s, "/api/v1/reviews", 200);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 0);
	json_decref(list);
	http_json(s, "POST", "/api/v1/reviews",
		  "{\"title\": \"x\", \"meetings\": [{\"start\": "
		  "\"2099-01-10T13:00:00Z\", \"end\": \"2099-01-10T14:00:00Z\", "
		  "\"timezone\": \"Asia/Tokyo\"}]}",
		  &r);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
}

static void test_the_form_saves_without_javascript(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct http_resp r;
	char path[64], *loc;
	json_t *m;

	PATHF(path, "/reviews/%lld/meeting", (long long)id);
	assert_int_equal(http_form(s, path,
				   "version=0&start=2099-01-10+13%3A00&"
				   "duration_minutes=60&timezone=Mars%2FOlympus&"
				   "location=Room+9&invitees=a%40x.org%0D%0ACy+"
				   "%3Ccy%40x.org%3E",
				   &r),
			 422);
	assert_non_null(strstr(r.body, "Unknown time zone"));
	assert_non_null(strstr(r.body, "value=\"Room 9\""));
	http_resp_free(&r);
	assert_int_equal(http_form(s, path,
				   "version=0&start=2099-01-10+13%3A00&"
				   "duration_minutes=sixty&timezone=UTC",
				   &r),
			 422);
	assert_non_null(strstr(r.body, "Length must be"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/api/v1/reviews/1/meeting", &r), 404);
	http_resp_free(&r);
	assert_int_equal(http_form(s, path,
				   "version=0&start=2099-01-10+13%3A00&"
				   "duration_minutes=45&timezone=Europe%2FParis&"
				   "location=Room+9&invitees=a%40x.org%0D%0ACy+"
				   "%3Ccy%40x.org%3E&facilitator_wanted=true",
				   &r),
			 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, "/meeting?saved=1"));
	free(loc);
	http_resp_free(&r);
	m = get_json(s,
		     PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		     200);
	assert_string_equal(json_string_value(json_object_get(m, "end")),
			    "2099-01-10T13:45:00Z");
	assert_int_equal(json_array_size(json_object_get(m, "invitees")), 2);
	assert_true(json_is_true(json_object_get(m, "facilitator_wanted")));
	json_decref(m);
	/* a form loaded before that save is stale: nothing changes */
	PATHF(path, "/reviews/%lld/meeting", (long long)id);
	assert_int_equal(http_form(s, path,
				   "version=0&start=2099-02-10+13%3A00&"
				   "duration_minutes=60",
				   &r),
			 409);
	assert_non_null(strstr(r.body, "nothing was saved"));
	http_resp_free(&r);
	m = get_json(s,
		     PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		     200);
	assert_int_equal(json_integer_value(json_object_get(m, "version")), 1);
	json_decref(m);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
	const struct CMUnitTest tests[] = {
		T(test_put_creates_get_reads_and_invite_is_a_request),
		T(test_each_change_raises_sequence_and_cancel_keeps_uid),
		T(test_stale_version_is_409_and_changes_nothing),
		T(test_bad_input_names_the_field_and_changes_nothing),
		T(test_five_thousand_invitees_are_over_the_limit),
		T(test_past_meeting_and_involved_facilitator_warn),
		T(test_no_meeting_is_404_and_changes_are_history),
		T(test_overdue_lists_reviews_past_the_deadline),
		T(test_patching_the_meeting_checks_it_as_put_does),
		T(test_lag_per_review_and_monthly_median),
		T(test_meeting_pages_escape_what_people_typed),
		T(test_a_meeting_embedded_in_a_new_review_is_checked),
		T(test_the_form_saves_without_javascript),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
