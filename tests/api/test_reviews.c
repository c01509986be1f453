/* test_reviews.c: /api/v1/reviews against the real server: create and
 * read back every field, list filters and pagination, patch with versions,
 * delete and restore, and the revision history. */
#include "api/api_checks.h"

#include <pthread.h>

static const char full_review[] =
	"{\"kind\": \"near-miss\", \"title\": \"Checkout latency <b>spike</b>\","
	" \"severity\": 2, \"status\": \"reviewed\","
	" \"started_at\": \"2026-11-20T10:00:00Z\","
	" \"detected_at\": \"2026-11-20T10:04:05Z\","
	" \"first_status_at\": \"2026-11-20T11:10:00+01:00\","
	" \"mitigated_at\": \"2026-11-20T10:30:00Z\","
	" \"resolved_at\": \"2026-11-20T12:00:00Z\","
	" \"tldr\": \"Short <script>alert(1)</script>\","
	" \"summary\": \"[click](javascript:alert(1)) and <img src=x "
	"onerror=alert(2)>\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |\","
	" \"impact\": \"5% of checkouts failed\","
	" \"resolution\": \"Rolled back\","
	" \"surprising\": \"The cache was cold\","
	" \"difficult\": \"Dashboards lagged\","
	" \"open_questions\": \"Why did the alert not fire?\","
	" \"went_well\": \"Fast rollback\","
	" \"went_poorly\": \"Paging\","
	" \"data_sources\": \"Grafana, logs\","
	" \"services\": [\"checkout\", \"payments\"],"
	" \"owner_team\": \"Payments\","
	" \"impact_type\": \"degradation\","
	" \"problem_type\": \"capacity\","
	" \"timeline\": [{\"at\": \"2026-11-20T10:05:00Z\", \"approximate\": true,"
	"   \"kind\": \"alert\", \"actor\": \"pagerduty\", \"text\": \"Paged\","
	"   \"source\": \"https://chat.example/m/1\", \"context\": \"We thought "
	"it was the CDN\", \"perspective\": \"on-call\", \"disputed\": true},"
	"  {\"at\": \"2026-11-20T10:01:00Z\", \"text\": \"First errors\"}],"
	" \"followups\": [{\"title\": \"Add alert\", \"description\": \"On p99\","
	"   \"owner\": \"ana\", \"horizon\": \"long\", \"aim\": \"detect\","
	"   \"status\": \"in-progress\", \"due\": \"2026-12-01\","
	"   \"ticket\": \"OPS-12\"}],"
	" \"factors\": [{\"text\": \"Cold cache\", \"kind\": \"trigger\","
	"   \"description\": \"after deploy\"}],"
	" \"people\": [{\"name\": \"Ana\", \"role\": \"facilitator\"}],"
	" \"links\": [{\"url\": \"https://grafana.example/d/1\","
	"   \"kind\": \"dashboard\", \"comment\": \"p99\"}],"
	" \"tags\": [\"db\", \"cache\"]}";

static void test_create_then_get_round_trips_every_field(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *loc, *etag, path[64], want_etag[32];
	json_t *got, *created, *tl, *fu, *list;
	int64_t id;

	assert_int_equal(
		http_json(s, "POST", "/api/v1/reviews", full_review, &r), 201);
	created = json_incref(r.json);
	id = jint(created, "id");
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	assert_string_equal(loc,
			    PATHF(path, "/api/v1/reviews/%lld", (long long)id));
	free(loc);
	http_resp_free(&r);

	assert_int_equal(http_get(s, path, &r), 200);
	etag = http_header(&r, "ETag");
	assert_non_null(etag);
	assert_string_equal(etag, PATHF(want_etag, "\"%lld\"",
					(long long)jint(r.json, "version")));
	free(etag);
	got = json_incref(r.json);
	http_resp_free(&r);
	assert_true(json_equal(created, got));

	assert_int_equal(jint(got, "version"), 1);
	assert_string_equal(jstr(got, "kind"), "near-miss");
	assert_string_equal(jstr(got, "title"),
			    "Checkout latency <b>spike</b>");
	assert_int_equal(jint(got, "severity"), 2);
	assert_string_equal(jstr(got, "status"), "reviewed");
	assert_string_equal(jstr(got, "started_at"), "2026-11-20T10:00:00Z");
	assert_string_equal(jstr(got, "detected_at"), "2026-11-20T10:04:05Z");
	/* stored in UTC */
	assert_string_equal(jstr(got, "first_status_at"),
			    "2026-11-20T10:10:00Z");
	assert_string_equal(jstr(got, "mitigated_at"), "2026-11-20T10:30:00Z");
	assert_string_equal(jstr(got, "resolved_at"), "2026-11-20T12:00:00Z");
	/* markdown is stored exactly as typed */
	assert_string_equal(jstr(got, "tldr"),
			    "Short <script>alert(1)</script>");
	assert_string_equal(
		jstr(got, "summary"),
		"[click](javascript:alert(1)) and <img src=x "
		"onerror=alert(2)>\n\n| a | b |\n|---|---|\n| 1 | 2 |");
	assert_string_equal(jstr(got, "impact"), "5% of checkouts failed");
	assert_string_equal(jstr(got, "resolution"), "Rolled back");
	assert_string_equal(jstr(got, "surprising"), "The cache was cold");
	assert_string_equal(jstr(got, "difficult"), "Dashboards lagged");
	assert_string_equal(jstr(got, "open_questions"),
			    "Why did the alert not fire?");
	assert_string_equal(jstr(got, "went_well"), "Fast rollback");
	assert_string_equal(jstr(got, "went_poorly"), "Paging");
	assert_string_equal(jstr(got, "data_sources"), "Grafana, logs");
	list = json_object_get(got, "services");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_array_get(list, 0)),
			    "checkout");
	assert_string_equal(json_string_value(json_array_get(list, 1)),
			    "payments");
	assert_string_equal(jstr(got, "owner_team"), "Payments");
	assert_string_equal(jstr(got, "impact_type"), "degradation");
	assert_string_equal(jstr(got, "problem_type"), "capacity");
	assert_int_equal(jint(json_object_get(got, "durations"), "to_detect"),
			 245);
	assert_int_equal(jint(json_object_get(got, "durations"), "to_resolve"),
			 7200);

	/* timeline sorted by time, defaults filled */
	tl = json_object_get(got, "timeline");
	assert_int_equal(json_array_size(tl), 2);
	assert_string_equal(jstr(json_array_get(tl, 0), "text"),
			    "First errors");
	assert_string_equal(jstr(json_array_get(tl, 0), "kind"), "observation");
	assert_true(json_is_false(
		json_object_get(json_array_get(tl, 0), "approximate")));
	tl = json_array_get(tl, 1);
	assert_string_equal(jstr(tl, "at"), "2026-11-20T10:05:00Z");
	assert_true(json_is_true(json_object_get(tl, "approximate")));
	assert_string_equal(jstr(tl, "kind"), "alert");
	assert_string_equal(jstr(tl, "actor"), "pagerduty");
	assert_string_equal(jstr(tl, "source"), "https://chat.example/m/1");
	assert_string_equal(jstr(tl, "context"), "We thought it was the CDN");
	assert_string_equal(jstr(tl, "perspective"), "on-call");
	assert_true(json_is_true(json_object_get(tl, "disputed")));
	assert_true(jint(tl, "id") > 0);

	fu = json_array_get(json_object_get(got, "followups"), 0);
	assert_string_equal(jstr(fu, "title"), "Add alert");
	assert_string_equal(jstr(fu, "description"), "On p99");
	assert_string_equal(jstr(fu, "owner"), "ana");
	assert_string_equal(jstr(fu, "horizon"), "long");
	assert_string_equal(jstr(fu, "aim"), "detect");
	assert_string_equal(jstr(fu, "status"), "in-progress");
	assert_string_equal(jstr(fu, "due"), "2026-12-01");
	assert_string_equal(jstr(fu, "ticket"), "OPS-12");
	assert_string_equal(
		jstr(json_array_get(json_object_get(got, "factors"), 0),
		     "kind"),
		"trigger");
	assert_string_equal(
		jstr(json_array_get(json_object_get(got, "people"), 0), "role"),
		"facilitator");
	assert_string_equal(
		jstr(json_array_get(json_object_get(got, "links"), 0), "url"),
		"https://grafana.example/d/1");
	list = json_object_get(got, "tags");
	assert_int_equal(json_array_size(list), 2);
	json_decref(created);
	json_decref(got);
}

static void test_create_fills_defaults_and_starts_at_version_1(void **state)
{
	struct hs *s = *state;
	json_t *j = get_review(s, create_review(s, "{\"title\": \"Minimal\"}"));

	assert_string_equal(jstr(j, "kind"), "incident");
	assert_string_equal(jstr(j, "status"), "draft");
	assert_true(json_is_null(json_object_get(j, "severity")));
	assert_true(json_is_null(json_object_get(j, "started_at")));
	assert_int_equal(jint(j, "version"), 1);
	assert_int_equal(json_array_size(json_object_get(j, "timeline")), 0);
	json_decref(j);
}

/* list_ids returns the ids of GET /api/v1/reviews?query as "1,2,3". */
static char *list_ids(struct hs *s, const char *query, int64_t *total)
{
	static char out[512];
	char path[512];
	json_t *j, *arr, *it;
	size_t i, n = 0;

	j = get_json(s, PATHF(path, "/api/v1/reviews?%s", query), 200);
	arr = json_object_get(j, "reviews");
	assert_true(json_is_array(arr));
	out[0] = '\0';
	json_array_foreach(arr, i, it)
	{
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld",
				      i ? "," : "", (long long)jint(it, "id"));
	}
	if (total)
		*total = jint(j, "total");
	json_decref(j);
	return out;
}

static void test_list_filters_by_each_field(void **state)
{
	struct hs *s = *state;
	char want[64];
	int64_t a, b, c, total;

	a = create_review(s,
			  "{\"title\": \"Database failover stalled\","
			  " \"kind\": \"incident\", \"severity\": 1,"
			  " \"status\": \"published\","
			  " \"started_at\": \"2026-01-10T08:00:00Z\","
			  " \"services\": [\"db\"], \"tags\": [\"storage\"]}");
	b = create_review(s, "{\"title\": \"Cache stampede\","
			     " \"kind\": \"near-miss\", \"severity\": 3,"
			     " \"status\": \"draft\","
			     " \"started_at\": \"2026-03-05T12:00:00Z\","
			     " \"services\": [\"web\", \"cache\"],"
			     " \"tags\": [\"cache\", \"capacity\"]}");
	c = create_review(s, "{\"title\": \"Quarterly game day\","
			     " \"kind\": \"game-day\", \"severity\": 5,"
			     " \"status\": \"reviewed\","
			     " \"started_at\": \"2026-06-01T09:00:00Z\","
			     " \"summary\": \"We drilled the failover\"}");

	/* newest first by started_at */
	assert_string_equal(list_ids(s, "", &total),
			    PATHF(want, "%lld,%lld,%lld", (long long)c,
				  (long long)b, (long long)a));
	assert_int_equal(total, 3);
	assert_string_equal(list_ids(s, "kind=near-miss", &total),
			    PATHF(want, "%lld", (long long)b));
	assert_int_equal(total, 1);
	assert_string_equal(list_ids(s, "severity=1", NULL),
			    PATHF(want, "%lld", (long long)a));
	assert_string_equal(list_ids(s, "status=reviewed", NULL),
			    PATHF(want, "%lld", (long long)c));
	assert_string_equal(list_ids(s, "tag=capacity", NULL),
			    PATHF(want, "%lld", (long long)b));
	assert_string_equal(list_ids(s, "service=db", NULL),
			    PATHF(want, "%lld", (long long)a));
	assert_string_equal(list_ids(s, "q=stampede", NULL),
			    PATHF(want, "%lld", (long long)b));
	assert_string_equal(
		list_ids(s, "from=2026-02-01", NULL),
		PATHF(want, "%lld,%lld", (long long)c, (long long)b));
	assert_string_equal(
		list_ids(s, "to=2026-03-05", NULL),
		PATHF(want, "%lld,%lld", (long long)b, (long long)a));
	assert_string_equal(list_ids(s,
				     "from=2026-03-01T00:00:00Z&"
				     "to=2026-04-01T00:00:00Z",
				     NULL),
			    PATHF(want, "%lld", (long long)b));
	assert_string_equal(list_ids(s, "kind=incident&tag=cache", &total), "");
	assert_int_equal(total, 0);
}

static void test_list_entries_carry_tags_and_no_long_sections(void **state)
{
	struct hs *s = *state;
	json_t *j, *first;

	create_review(s,
		      "{\"title\": \"Tagged\", \"tldr\": \"short\","
		      " \"summary\": \"long text\", \"tags\": [\"a\", \"b\"]}");
	j = get_json(s, "/api/v1/reviews", 200);
	first = json_array_get(json_object_get(j, "reviews"), 0);
	assert_string_equal(jstr(first, "title"), "Tagged");
	assert_string_equal(jstr(first, "tldr"), "short");
	assert_null(json_object_get(first, "summary"));
	assert_int_equal(json_array_size(json_object_get(first, "tags")), 2);
	json_decref(j);
}

static void test_list_paginates_and_counts_the_total(void **state)
{
	struct hs *s = *state;
	int64_t ids[7], total;
	char body[256], want[64];
	json_t *j;

	for (int i = 0; i < 7; i++)
		ids[i] = create_review(
			s, PATHF(body,
				 "{\"title\": \"Page %d\", \"started_at\": "
				 "\"2026-05-0%dT00:00:00Z\"}",
				 i, i + 1));
	assert_string_equal(list_ids(s, "limit=3", &total),
			    PATHF(want, "%lld,%lld,%lld", (long long)ids[6],
				  (long long)ids[5], (long long)ids[4]));
	assert_int_equal(total, 7);
	assert_string_equal(list_ids(s, "limit=3&offset=3", &total),
			    PATHF(want, "%lld,%lld,%lld", (long long)ids[3],
				  (long long)ids[2], (long long)ids[1]));
	assert_string_equal(list_ids(s, "limit=3&offset=6", &total),
			    PATHF(want, "%lld", (long long)ids[0]));
	assert_string_equal(list_ids(s, "offset=7", &total), "");
	assert_int_equal(total, 7);

	j = get_json(s, "/api/v1/reviews?limit=2&offset=4", 200);
	assert_int_equal(jint(j, "limit"), 2);
	assert_int_equal(jint(j, "offset"), 4);
	json_decref(j);
	j = get_json(s, "/api/v1/reviews", 200);
	assert_int_equal(jint(j, "limit"), 50);
	assert_int_equal(jint(j, "offset"), 0);
	json_decref(j);
}

/* next_cursor leads page by page through every review, reviews added in
 * between neither shifting nor repeating one; the last page says null. */
static void test_list_pages_by_cursor(void **state)
{
	struct hs *s = *state;
	int64_t ids[5];
	char body[256], path[256], cur[64] = "", got[128] = "", want[128];
	json_t *j, *it;
	size_t i;

	for (int k = 0; k < 5; k++)
		ids[k] = create_review(
			s, PATHF(body,
				 "{\"title\": \"Cursor %d\", \"started_at\": "
				 "\"2026-06-0%dT00:00:00Z\"}",
				 k, k + 1));
	for (int page = 0; page < 3; page++) {
		j = get_json(s,
			     cur[0] ? PATHF(path,
					    "/api/v1/reviews?limit=2&cursor=%s",
					    cur)
				    : "/api/v1/reviews?limit=2",
			     200);
		json_array_foreach(json_object_get(j, "reviews"), i, it)
		{
			size_t n = strlen(got);
			snprintf(got + n, sizeof got - n, "%s%lld",
				 n ? "," : "", (long long)jint(it, "id"));
		}
		it = json_object_get(j, "next_cursor");
		if (page < 2) {
			assert_true(json_is_string(it));
			snprintf(cur, sizeof cur, "%s", json_string_value(it));
		} else {
			assert_true(json_is_null(it));
		}
		json_decref(j);
		/* a newer review: on no later page */
		create_review(s, "{\"title\": \"Newer\", \"started_at\": "
				 "\"2026-07-01T00:00:00Z\"}");
	}
	assert_string_equal(got, PATHF(want, "%lld,%lld,%lld,%lld,%lld",
				       (long long)ids[4], (long long)ids[3],
				       (long long)ids[2], (long long)ids[1],
				       (long long)ids[0]));
}

static void test_list_rejects_bad_filters_naming_the_field(void **state)
{
	static const struct {
		const char *query, *field;
	} bad[] = {
		{"severity=9", "severity"},
		{"severity=high", "severity"},
		{"from=garbage", "from"},
		{"to=2026-13-01", "to"},
		{"kind=unknown", "kind"},
		{"status=done", "status"},
		{"limit=0", "limit"},
		{"limit=501", "limit"},
		{"offset=-1", "offset"},
		{"deleted=maybe", "deleted"},
		{"from=2026-05-01&to=2026-04-01", "to"},
		{"cursor=abc", "cursor"},
		{"cursor=5_0", "cursor"},
		{"cursor=1_2&offset=3", "cursor"},
	};
	struct hs *s = *state;
	struct http_resp r;
	char path[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		http_get(s, PATHF(path, "/api/v1/reviews?%s", bad[i].query),
			 &r);
		check_error(&r, 400, "bad_request", bad[i].field);
		http_resp_free(&r);
	}
}

static void test_patch_changes_only_the_given_fields(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Before\", \"severity\": 3,"
				      " \"summary\": \"keep me\"}");
	struct http_resp r;
	char path[64], *etag;

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_json(s, "PATCH", path,
				   "{\"version\": 1, \"title\": \"After\","
				   " \"severity\": 2, \"tldr\": null}",
				   &r),
			 200);
	assert_string_equal(jstr(r.json, "title"), "After");
	assert_int_equal(jint(r.json, "severity"), 2);
	assert_string_equal(jstr(r.json, "summary"), "keep me");
	assert_int_equal(jint(r.json, "version"), 2);
	etag = http_header(&r, "ETag");
	assert_string_equal(etag, "\"2\"");
	free(etag);
	http_resp_free(&r);
	/* without a version the write is not checked (documented) */
	assert_int_equal(
		http_json(s, "PATCH", path, "{\"status\": \"published\"}", &r),
		200);
	assert_int_equal(jint(r.json, "version"), 3);
	http_resp_free(&r);
	/* a body with only the version changes nothing */
	assert_int_equal(http_json(s, "PATCH", path, "{\"version\": 3}", &r),
			 200);
	assert_int_equal(jint(r.json, "version"), 3);
	http_resp_free(&r);
}

static void test_patch_with_stale_version_in_body_is_409(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Original\"}");
	struct http_resp r;
	char path[64];
	json_t *before;

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_json(s, "PATCH", path,
				   "{\"version\": 1, \"title\": \"First\"}",
				   &r),
			 200);
	http_resp_free(&r);
	before = get_review(s, id);
	http_json(s, "PATCH", path, "{\"version\": 1, \"title\": \"Second\"}",
		  &r);
	check_error(&r, 409, "conflict", "version");
	assert_int_equal(jint(r.json, "current_version"), 2);
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
}

static void test_patch_with_stale_if_match_is_409(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Original\"}");
	const char *const stale[] = {"If-Match: \"7\"", NULL};
	const char *const fresh[] = {"If-Match: \"1\"", NULL};
	struct http_resp r;
	char path[64];
	json_t *before = get_review(s, id);

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_do(s, "PATCH", path, NULL,
				 "{\"title\": \"Nope\"}", stale, &r),
			 0);
	check_error(&r, 409, "conflict", "version");
	assert_int_equal(jint(r.json, "current_version"), 1);
	http_resp_free(&r);
	assert_unchanged(s, id, before);

	assert_int_equal(http_do(s, "PATCH", path, NULL, "{\"title\": \"Yes\"}",
				 fresh, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Yes");
	http_resp_free(&r);
	json_decref(before);
}

struct racer {
	struct hs *s;
	const char *path;
	int n;
	long status;
};

static void *racer_run(void *arg)
{
	struct racer *rc = arg;
	struct http_resp r;
	char body[96];

	snprintf(body, sizeof body,
		 "{\"version\": 1, \"owner_team\": \"team %d\"}", rc->n);
	rc->status = http_json(rc->s, "PATCH", rc->path, body, &r);
	http_resp_free(&r);
	return NULL;
}

/* Two people editing the same review never overwrite each other: of many
 * PATCHes naming the same version at once, exactly one wins. */
static void test_concurrent_patches_of_one_version_have_one_winner(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Contended\"}");
	struct racer rc[8];
	pthread_t t[8];
	char path[64], want[32];
	int ok = 0, conflict = 0;
	json_t *j;

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	for (int i = 0; i < 8; i++) {
		rc[i] = (struct racer){s, path, i, 0};
		assert_int_equal(pthread_create(&t[i], NULL, racer_run, &rc[i]),
				 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += rc[i].status == 200;
		conflict += rc[i].status == 409;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(conflict, 7);
	j = get_review(s, id);
	assert_int_equal(jint(j, "version"), 2);
	for (int i = 0; i < 8; i++)
		if (rc[i].status == 200)
			assert_string_equal(jstr(j, "owner_team"),
					    PATHF(want, "team %d", rc[i].n));
	json_decref(j);
}

static void
test_delete_hides_the_review_and_restore_brings_it_back(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Doomed\"}");
	struct http_resp r;
	char path[64], rpath[80];
	json_t *j;

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	PATHF(rpath, "%s/restore", path);
	assert_int_equal(http_json(s, "DELETE", path, NULL, &r), 204);
	http_resp_free(&r);
	http_get(s, path, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 0);
	assert_int_equal(review_total(s, 1), 1);
	http_json(s, "DELETE", path, NULL, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	/* a deleted review cannot be edited */
	http_json(s, "PATCH", path, "{\"title\": \"Zombie\"}", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);

	assert_int_equal(http_json(s, "POST", rpath, NULL, &r), 200);
	assert_string_equal(jstr(r.json, "title"), "Doomed");
	assert_null(json_object_get(r.json, "deleted_at"));
	assert_int_equal(jint(r.json, "version"), 3); /* delete, restore */
	http_resp_free(&r);
	j = get_review(s, id);
	json_decref(j);
	assert_int_equal(review_total(s, 0), 1);
	assert_int_equal(review_total(s, 1), 0);
	/* restoring a live review is harmless (idempotent) */
	assert_int_equal(http_json(s, "POST", rpath, "{}", &r), 200);
	http_resp_free(&r);
}

static void test_delete_with_stale_version_is_409(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Kept\"}");
	struct http_resp r;
	char path[64];

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	http_json(s, "DELETE", path, "{\"version\": 5}", &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), 1);
	assert_int_equal(http_json(s, "DELETE", path, "{\"version\": 1}", &r),
			 204);
	http_resp_free(&r);
}

static void test_revisions_list_field_diffs_newest_first(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Old title\","
				      " \"severity\": 4}");
	struct http_resp r;
	char path[80];
	json_t *j, *revs, *rv, *ch, *c;
	size_t i;
	int seen_title = 0;

	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_json(s, "PATCH", path,
				   "{\"title\": \"New title\", \"version\": 1}",
				   &r),
			 200);
	http_resp_free(&r);
	j = get_json(
		s, PATHF(path, "/api/v1/reviews/%lld/revisions", (long long)id),
		200);
	revs = json_object_get(j, "revisions");
	assert_true(json_array_size(revs) >= 2);
	rv = json_array_get(revs, 0);
	assert_string_equal(jstr(rv, "action"), "update");
	assert_string_equal(jstr(rv, "record_kind"), "review");
	assert_int_equal(jint(rv, "record_id"), id);
	assert_int_equal(jint(rv, "review_version"), 2);
	assert_non_null(jstr(rv, "actor"));
	assert_non_null(jstr(rv, "at"));
	ch = json_object_get(rv, "changes");
	assert_int_equal(json_array_size(ch), 1);
	json_array_foreach(ch, i, c)
	{
		if (!strcmp(jstr(c, "field"), "title")) {
			assert_string_equal(jstr(c, "old"), "Old title");
			assert_string_equal(jstr(c, "new"), "New title");
			seen_title = 1;
		}
	}
	assert_true(seen_title);
	rv = json_array_get(revs, json_array_size(revs) - 1);
	assert_string_equal(jstr(rv, "action"), "create");
	json_decref(j);

	http_get(s, "/api/v1/reviews/99999/revisions", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
		T(test_create_then_get_round_trips_every_field),
		T(test_create_fills_defaults_and_starts_at_version_1),
		T(test_list_filters_by_each_field),
		T(test_list_entries_carry_tags_and_no_long_sections),
		T(test_list_paginates_and_counts_the_total),
		T(test_list_pages_by_cursor),
		T(test_list_rejects_bad_filters_naming_the_field),
		T(test_patch_changes_only_the_given_fields),
		T(test_patch_with_stale_version_in_body_is_409),
		T(test_patch_with_stale_if_match_is_409),
		T(test_concurrent_patches_of_one_version_have_one_winner),
		T(test_delete_hides_the_review_and_restore_brings_it_back),
		T(test_delete_with_stale_version_is_409),
		T(test_revisions_list_field_diffs_newest_first),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
