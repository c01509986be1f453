/* test_pages.c: the web UI against the real server: the index with its
 * filters and pages, the new and edit forms (errors in place, typed text
 * kept, children saved, stale versions caught), the review and History
 * pages, escaping on every page, the 404 page and static files. */
#include "api/page_checks.h"
#include "unit/test_db.h"

/* server_up_small_pages: a server whose index shows 2 reviews a page. */
static int server_up_small_pages(void **state)
{
	struct hs *s = calloc(1, sizeof *s);

	if (!s)
		return -1;
	if (hs_start_conf(s, "page_size = 2\n", NULL) < 0)
		goto fail;
	*state = s;
	return 0;
fail:
	if (s->dir[0])
		hs_cleanup(s);
	free(s);
	return -1;
}

static void get_page(struct hs *s, const char *path, long status,
		     struct http_resp *r)
{
	assert_int_equal(http_get(s, path, r), status);
	assert_true(contains(r->headers, "text/html"));
}

static void test_index_lists_created_reviews_newest_first(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	const char *older, *newer;

	create_review(s, "{\"title\": \"Older outage\", \"started_at\": "
		       "\"2026-01-02T10:00:00Z\", \"severity\": 3}");
	create_review(s, "{\"title\": \"Newer outage\", \"started_at\": "
		       "\"2026-03-04T10:00:00Z\", \"tags\": [\"dns\"]}");
	get_page(s, "/", 200, &r);
	older = strstr(r.body, "Older outage");
	newer = strstr(r.body, "Newer outage");
	assert_non_null(older);
	assert_non_null(newer);
	assert_true(newer < older);
	assert_true(contains(r.body, "<strong>2</strong> <span>reviews"));
	assert_true(contains(r.body, "SEV 3"));
	assert_true(contains(r.body, "class=\"badge sev sev-3\" title=\""));
	assert_true(contains(r.body, "datetime=\"2026-03-04T10:00:00Z\""));
	assert_true(contains(r.body, ">dns</a>"));
	http_resp_free(&r);
}

/* The index shows each review's TL;DR under its title: escaped, on one
 * line, shortened with "…" when long; none when it has none; a changed
 * one at once. */
static void test_index_shows_each_tldr_shortened_and_escaped(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char path[64];
	long long id;

	id = create_review(s, "{\"title\": \"Queue backlog\", \"tldr\": "
			    "\"Orders <script>x</script> waited\\nfor an hour "
			    "because one worker pool was full. Nothing was lost "
			    "but it took three people most of the evening to "
			    "drain the queue, and a retry storm made it worse "
			    "twice.\"}");
	create_review(s, "{\"title\": \"No summary yet\"}");
	get_page(s, "/", 200, &r);
	assert_true(contains(r.body, "<p class=\"row-tldr\">Orders "
				     "&lt;script&gt;x&lt;/script&gt; waited "
				     "for an hour because"));
	assert_false(contains(r.body, "<script>x"));
	assert_true(contains(r.body, "drain the queue…</p>"));
	assert_false(contains(r.body, "retry storm"));
	/* one row-tldr: the review without one has none */
	assert_non_null(strstr(r.body, "class=\"row-tldr\""));
	assert_null(strstr(strstr(r.body, "class=\"row-tldr\"") + 1,
			   "class=\"row-tldr\""));
	http_resp_free(&r);
	assert_int_equal(
		http_json(s, "PATCH", PATHF(path, "/api/v1/reviews/%lld", id),
			  "{\"version\": 1, \"tldr\": \"Short now.\"}", &r),
		200);
	http_resp_free(&r);
	get_page(s, "/", 200, &r);
	assert_true(contains(r.body, "<p class=\"row-tldr\">Short now.</p>"));
	http_resp_free(&r);
}

static void
test_index_filters_by_kind_severity_status_tag_dates_and_text(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	create_review(s,
		    "{\"title\": \"Payment gateway timeout\", \"kind\": "
		    "\"incident\", \"severity\": 1, \"status\": \"published\","
		    " \"started_at\": \"2026-02-10T10:00:00Z\", \"tags\": "
		    "[\"payments\"], \"services\": [\"gateway\"]}");
	create_review(s, "{\"title\": \"Certificate nearly expired\", \"kind\": "
		       "\"near-miss\", \"severity\": 4, \"started_at\": "
		       "\"2026-05-01T10:00:00Z\", \"tags\": [\"tls\"]}");

	get_page(s, "/?kind=near-miss", 200, &r);
	assert_true(contains(r.body, "Certificate nearly expired"));
	assert_false(contains(r.body, "Payment gateway timeout"));
	assert_true(contains(r.body, "<option value=\"near-miss\" selected>"));
	http_resp_free(&r);

	get_page(s, "/?severity=1", 200, &r);
	assert_true(contains(r.body, "Payment gateway timeout"));
	assert_false(contains(r.body, "Certificate nearly expired"));
	http_resp_free(&r);

	get_page(s, "/?status=published&tag=payments&service=gateway", 200, &r);
	assert_true(contains(r.body, "Payment gateway timeout"));
	assert_false(contains(r.body, "Certificate nearly expired"));
	assert_true(contains(r.body, "name=\"tag\" value=\"payments\""));
	http_resp_free(&r);

	get_page(s, "/?from=2026-04-01&to=2026-05-01", 200, &r);
	assert_true(contains(r.body, "Certificate nearly expired"));
	assert_false(contains(r.body, "Payment gateway timeout"));
	http_resp_free(&r);

	get_page(s, "/?q=gateway", 200, &r);
	assert_true(contains(r.body, "Payment gateway timeout"));
	assert_false(contains(r.body, "Certificate nearly expired"));
	http_resp_free(&r);

	get_page(s, "/?from=not-a-date", 200, &r);
	assert_true(contains(r.body, "must be a date"));
	http_resp_free(&r);
}

static void test_index_paginates_with_page_size_and_keeps_filters(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char json[200];

	for (int i = 1; i <= 5; i++)
		create_review(s, PATHF(json,
				     "{\"title\": \"Review number %d\", "
				     "\"tags\": [\"t\"], \"started_at\": "
				     "\"2026-01-0%dT10:00:00Z\"}",
				     i, i));
	get_page(s, "/?tag=t", 200, &r);
	assert_int_equal(count_of(r.body, "Review number "), 2);
	assert_true(contains(r.body, "Review number 5"));
	assert_true(contains(r.body, "1–2 of 5"));
	/* Older carries the cursor of the last review shown (keyset) */
	assert_true(contains(r.body, "href=\"/?tag=t&amp;page=2&amp;cursor="));
	{
		const char *h = strstr(r.body, "href=\"/?tag=t&amp;page=2&amp;cursor=");
		char next[160];
		size_t n = 0;

		h += strlen("href=\"");
		while (h[n] && h[n] != '"' && n + 1 < sizeof next)
			n++;
		memcpy(next, h, n);
		next[n] = '\0';
		/* unescape &amp; */
		for (char *p; (p = strstr(next, "&amp;"));)
			memmove(p + 1, p + 5, strlen(p + 5) + 1);
		http_resp_free(&r);
		/* a newer review added meanwhile shifts nothing */
		create_review(s, "{\"title\": \"Review number 6\", \"tags\": "
			       "[\"t\"], \"started_at\": "
			       "\"2026-01-09T10:00:00Z\"}");
		get_page(s, next, 200, &r);
		assert_int_equal(count_of(r.body, "Review number "), 2);
		assert_true(contains(r.body, "Review number 3"));
		assert_true(contains(r.body, "Review number 2"));
		assert_true(contains(r.body, "3–4 of 6"));
	}
	http_resp_free(&r);

	get_page(s, "/?tag=t&page=3", 200, &r);
	assert_int_equal(count_of(r.body, "Review number "), 2);
	assert_true(contains(r.body, "Review number 1"));
	assert_true(contains(r.body, "rel=\"prev\""));
	assert_false(contains(r.body, "rel=\"next\""));
	http_resp_free(&r);
}

static void
test_new_form_without_title_is_422_with_field_error_and_keeps_values(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	get_page(s, "/reviews/new", 200, &r);
	assert_true(contains(r.body, "action=\"/reviews\""));
	assert_true(contains(r.body, "name=\"title\""));
	assert_true(contains(r.body, "name=\"tldr\""));
	http_resp_free(&r);

	assert_int_equal(post_form(s, "/reviews",
				   form("title", "  ", "kind", "near-miss",
					"started_at", "2026-11-20 10:00",
					"resolved_at", "2026-11-20 09:00",
					"summary", "Typed <summary> text",
					"tags", "kept, tags", NULL),
				   &r),
			 422);
	assert_true(contains(r.headers, "text/html"));
	/* the errors, next to their fields */
	assert_true(contains(r.body, "id=\"e-title\">Title is required"));
	assert_true(contains(r.body, "id=\"e-resolved_at\">Resolved cannot be "
				     "before Started"));
	/* and what was typed */
	assert_true(contains(r.body, "<option value=\"near-miss\" selected>"));
	assert_true(contains(r.body, "value=\"2026-11-20 10:00\""));
	assert_true(contains(r.body, "Typed &lt;summary&gt; text</textarea>"));
	assert_true(contains(r.body, "value=\"kept, tags\""));
	http_resp_free(&r);

	/* nothing was created */
	assert_int_equal(http_get(s, "/api/v1/reviews", &r), 200);
	assert_false(contains(r.body, "Typed"));
	http_resp_free(&r);
}

static void test_create_opens_the_editor_at_the_timeline_and_the_page_shows_it(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *loc, *notice, want[96], path[96];
	long long id;

	assert_int_equal(
		post_form(s, "/reviews",
			  form("title", "Queue backlog", "kind", "incident",
			       "severity", "2", "status", "draft", "started_at",
			       "2026-11-20 10:00", "detected_at",
			       "2026-11-20 10:05", "mitigated_at",
			       "2026-11-20 10:35", "resolved_at",
			       "2026-11-20 12:00", "tldr",
			       "Jobs waited **hours**.", "summary",
			       "| a | b |\n|---|---|\n| 1 | 2 |", "services",
			       "queue, workers", "owner_team", "Platform",
			       "tags", "queue, backlog", NULL),
			  &r),
		303);
	loc = http_header(&r, "Location");
	http_resp_free(&r);
	assert_non_null(loc);
	/* the editor, at the notice just above the timeline */
	assert_int_equal(sscanf(loc, "/reviews/%lld/edit", &id), 1);
	snprintf(want, sizeof want, "/reviews/%lld/edit?created=1#created", id);
	assert_string_equal(loc, want);
	free(loc);
	snprintf(path, sizeof path, "/reviews/%lld/edit?created=1", id);
	get_page(s, path, 200, &r);
	notice = strstr(r.body, "id=\"created\"");
	assert_non_null(notice);
	assert_true(contains(notice, "Review created."));
	assert_non_null(strstr(notice, "id=\"sec-timeline\""));
	assert_null(strstr(r.body, "id=\"sec-timeline\"") < notice
			    ? "timeline above the notice"
			    : NULL);
	http_resp_free(&r);
	/* an edit page opened any other way says nothing of it */
	snprintf(path, sizeof path, "/reviews/%lld/edit", id);
	get_page(s, path, 200, &r);
	assert_false(contains(r.body, "id=\"created\""));
	http_resp_free(&r);

	snprintf(path, sizeof path, "/reviews/%lld", id);
	get_page(s, path, 200, &r);
	assert_true(contains(r.body, "<h1>Queue backlog</h1>"));
	assert_true(contains(r.body, "Jobs waited <strong>hours</strong>."));
	assert_true(contains(r.body, "<table>"));
	assert_true(contains(r.body, "badge sev sev-2\" title=\"Major"));
	assert_true(contains(r.body, "<time datetime=\"2026-11-20T10:00:00Z\">"
				     "2026-11-20 10:00 UTC</time>"));
	/* durations: detect 5m, mitigate 35m, resolve 2h */
	assert_true(contains(r.body, "Time to detect</th><td>5m"));
	assert_true(contains(r.body, "Time to mitigate</th><td>35m"));
	assert_true(contains(r.body, "Time to resolve</th><td>2h 00m"));
	assert_true(contains(r.body, ">queue</a>"));
	assert_true(contains(r.body, "Platform"));
	/* empty sections are left off */
	assert_false(contains(r.body, "id=\"impact\""));
	assert_true(contains(r.body, "/edit\">Edit</a>"));
	assert_true(contains(r.body, "/history\">History</a>"));
	assert_true(contains(r.body, "src=\"/static/app.js?v="));
	assert_false(contains(r.body, "<script>"));
	http_resp_free(&r);
}

static const char base_review[] =
	"{\"title\": \"Disk full on builder\", \"started_at\": "
	"\"2026-11-20T10:00:00Z\", \"summary\": \"Original summary\","
	" \"timeline\": [{\"at\": \"2026-11-20T10:10:00Z\", \"text\": \"Disk "
	"alert\", \"kind\": \"alert\"}, {\"at\": \"2026-11-20T10:20:00Z\", "
	"\"text\": \"Cleaned tmp\", \"kind\": \"action\"}],"
	" \"tags\": [\"disk\"]}";

/* edit_form is the edit page's form of review id as a browser would post
 * it after changes: every review field, the two stored timeline entries
 * (ids e1 and e2) and new rows. */
static char *edit_form(long long version, long long e1, long long e2,
		       const char *summary, int remove_second)
{
	struct buf b = BUF_INIT;
	char v[32], id1[32], id2[32];

	snprintf(v, sizeof v, "%lld", version);
	snprintf(id1, sizeof id1, "%lld", e1);
	snprintf(id2, sizeof id2, "%lld", e2);
	form_add(&b, "version", v);
	form_add(&b, "title", "Disk full on builder");
	form_add(&b, "kind", "incident");
	form_add(&b, "severity", "3");
	form_add(&b, "status", "draft");
	form_add(&b, "started_at", "2026-11-20 10:00");
	form_add(&b, "summary", summary);
	form_add(&b, "tags", "disk, builder");
	form_add(&b, "timeline[0].id", id1);
	form_add(&b, "timeline[0].at", "2026-11-20 10:10");
	form_add(&b, "timeline[0].kind", "alert");
	form_add(&b, "timeline[0].text", "Disk alert fired");
	form_add(&b, "timeline[1].id", id2);
	form_add(&b, "timeline[1].at", "2026-11-20 10:20");
	form_add(&b, "timeline[1].kind", "action");
	form_add(&b, "timeline[1].text", "Cleaned tmp");
	if (remove_second)
		form_add(&b, "timeline[1].remove", "true");
	/* a new entry, approximate, and a blank row that is ignored */
	form_add(&b, "timeline[2].at", "2026-11-20 10:15");
	form_add(&b, "timeline[2].approximate", "true");
	form_add(&b, "timeline[2].kind", "hypothesis");
	form_add(&b, "timeline[2].actor", "sam");
	form_add(&b, "timeline[2].text", "Maybe the cache grew");
	form_add(&b, "timeline[3].at", "");
	form_add(&b, "timeline[3].kind", "observation");
	form_add(&b, "timeline[3].text", "");
	form_add(&b, "followups[0].title", "Alert at 80% disk");
	form_add(&b, "followups[0].owner", "ops");
	form_add(&b, "followups[0].horizon", "short");
	form_add(&b, "followups[0].aim", "detect");
	form_add(&b, "followups[0].status", "open");
	form_add(&b, "followups[0].due", "2026-12-01");
	form_add(&b, "factors[0].text", "No disk alerting");
	form_add(&b, "factors[0].kind", "latent");
	form_add(&b, "people[0].name", "Sam");
	form_add(&b, "people[0].role", "responder");
	form_add(&b, "links[0].url", "https://grafana.example/d/disk");
	form_add(&b, "links[0].kind", "dashboard");
	form_add(&b, "links[0].comment", "Disk usage");
	return buf_detach(&b);
}

/* timeline_ids reads the ids of the review's timeline entries in order. */
static void timeline_ids(struct hs *s, long long id, long long *ids, int n)
{
	struct http_resp r;
	char path[64];
	json_t *tl;

	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	tl = json_object_get(r.json, "timeline");
	assert_int_equal(json_array_size(tl), n);
	for (int i = 0; i < n; i++)
		ids[i] = (long long)json_integer_value(
			json_object_get(json_array_get(tl, i), "id"));
	http_resp_free(&r);
}

static void test_edit_page_has_rows_for_every_child_and_blank_ones(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, base_review), ids[2];
	char path[64];

	timeline_ids(s, id, ids, 2);
	get_page(s, PATHF(path, "/reviews/%lld/edit", id), 200, &r);
	assert_true(contains(r.body, "name=\"version\" value=\"1\""));
	assert_true(contains(r.body, "name=\"timeline[0].at\""));
	assert_true(contains(r.body, "value=\"2026-11-20 10:10\""));
	assert_true(contains(r.body, "name=\"timeline[0].remove\""));
	assert_true(contains(r.body, "name=\"timeline[4].at\""));
	assert_false(contains(r.body, "name=\"timeline[5].at\""));
	assert_true(contains(r.body, "name=\"followups[0].title\""));
	assert_true(contains(r.body, "name=\"factors[0].text\""));
	assert_true(contains(r.body, "name=\"people[0].name\""));
	assert_true(contains(r.body, "name=\"links[0].url\""));
	assert_true(contains(r.body, "name=\"tags\" value=\"disk\""));
	assert_true(contains(r.body, "/delete\""));
	http_resp_free(&r);
}

static void test_edit_saves_review_fields_and_children_rows(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, base_review), ids[3];
	char path[64], *loc;
	json_t *doc;

	timeline_ids(s, id, ids, 2);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  edit_form(1, ids[0], ids[1], "New summary", 0), &r),
		303);
	loc = http_header(&r, "Location");
	http_resp_free(&r);
	assert_string_equal(loc, PATHF(path, "/reviews/%lld", id));
	free(loc);

	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	doc = r.json;
	assert_int_equal(json_integer_value(json_object_get(doc, "version")),
			 2);
	assert_string_equal(json_string_value(json_object_get(doc, "summary")),
			    "New summary");
	assert_int_equal(json_array_size(json_object_get(doc, "timeline")), 3);
	assert_int_equal(json_array_size(json_object_get(doc, "followups")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "factors")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "people")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "links")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "tags")), 2);
	/* the stored entries kept their ids; the new one sorts by time */
	assert_int_equal(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(doc, "timeline"), 0),
			"id")),
		ids[0]);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(doc, "timeline"), 1),
			"text")),
		"Maybe the cache grew");
	assert_true(json_is_true(json_object_get(
		json_array_get(json_object_get(doc, "timeline"), 1),
		"approximate")));
	http_resp_free(&r);

	get_page(s, PATHF(path, "/reviews/%lld", id), 200, &r);
	assert_true(contains(r.body, "Disk alert fired"));
	assert_true(contains(r.body, "Maybe the cache grew"));
	assert_true(contains(r.body, "class=\"approx\""));
	assert_true(contains(r.body, "Alert at 80% disk"));
	assert_true(contains(r.body, "No disk alerting"));
	assert_true(contains(r.body, "Latent conditions"));
	assert_true(contains(r.body, "Sam"));
	assert_true(
		contains(r.body, "href=\"https://grafana.example/d/disk\""));
	http_resp_free(&r);

	/* removing a row deletes that entry */
	timeline_ids(s, id, ids, 3);
	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  edit_form(2, ids[0], ids[2], "New summary", 1), &r),
		303);
	http_resp_free(&r);
	get_page(s, PATHF(path, "/reviews/%lld", id), 200, &r);
	assert_false(contains(r.body, "Cleaned tmp"));
	assert_true(contains(r.body, "Disk alert fired"));
	http_resp_free(&r);
}

static void
test_edit_with_stale_version_is_409_with_message_and_keeps_text(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, base_review), ids[2];
	char path[64];

	timeline_ids(s, id, ids, 2);
	/* someone else saves first */
	assert_int_equal(
		http_json(s, "PATCH", PATHF(path, "/api/v1/reviews/%lld", id),
			  "{\"version\": 1, \"title\": \"Renamed by Kim\"}",
			  &r),
		200);
	http_resp_free(&r);

	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				   edit_form(1, ids[0], ids[1],
					     "My <careful> summary", 0),
				   &r),
			 409);
	assert_true(contains(r.body, "Someone else saved this review while you "
				     "were editing"));
	assert_true(contains(r.body, "review the current version and save "
				     "again"));
	assert_true(contains(r.body, "My &lt;careful&gt; summary</textarea>"));
	assert_true(contains(r.body, "Maybe the cache grew"));
	/* the form now carries the current version, and says what changed */
	assert_true(contains(r.body, "name=\"version\" value=\"2\""));
	assert_true(contains(r.body, "changed the review: Title"));
	/* next to the title: what Kim saved */
	assert_true(contains(r.body, "Saved meanwhile</span>Renamed by Kim"));
	http_resp_free(&r);

	/* nothing of the stale save was stored */
	assert_int_equal(review_version(s, id), 2);
	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "summary")),
		"Original summary");
	http_resp_free(&r);
}

static void
test_edit_with_bad_child_row_is_422_with_error_at_that_row(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, base_review);
	char path[64];

	assert_int_equal(
		post_form(s, PATHF(path, "/reviews/%lld/edit", id),
			  form("version", "1", "title", "Disk full on builder",
			       "timeline[7].at", "half past ten",
			       "timeline[7].kind", "action", "timeline[7].text",
			       "Typed entry text", "followups[3].owner",
			       "someone", NULL),
			  &r),
		422);
	assert_true(contains(r.body, "id=\"e-timeline-7--at\""));
	assert_true(contains(r.body, "Time must be a time like"));
	assert_true(contains(r.body, "id=\"e-followups-3--title\""));
	assert_true(contains(r.body, "value=\"half past ten\""));
	assert_true(contains(r.body, "Typed entry text</textarea>"));
	http_resp_free(&r);
	assert_int_equal(review_version(s, id), 1);
}

static void test_history_shows_who_changed_what_with_a_diff(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, base_review);
	char path[64];

	assert_int_equal(
		http_json(s, "PATCH", PATHF(path, "/api/v1/reviews/%lld", id),
			  "{\"version\": 1, \"summary\": \"Original summary, "
			  "now longer\"}",
			  &r),
		200);
	http_resp_free(&r);
	get_page(s, PATHF(path, "/reviews/%lld/history", id), 200, &r);
	assert_true(contains(r.body, "changed the review"));
	assert_true(contains(r.body, "Original <del>summary</del><ins>summary, "
				     "now longer</ins>"));
	assert_true(contains(r.body, "created the review"));
	assert_true(contains(r.body, "added the <time datetime=\""));
	assert_true(contains(r.body, ">v2<"));
	http_resp_free(&r);

	get_page(s, "/reviews/999999/history", 404, &r);
	http_resp_free(&r);
}

static void test_script_in_a_title_is_escaped_on_every_page(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(
		s,
		"{\"title\": \"<script>alert('x')</script> & \\\"q\\\"\","
		" \"tags\": [\"<b>t</b>\"], \"timeline\": [{\"at\": "
		"\"2026-11-20T10:00:00Z\", \"text\": \"<script>1</script>\", "
		"\"actor\": \"<i>a</i>\"}]}");
	const char *pages[] = {"/", "/reviews/%lld", "/reviews/%lld/edit",
			       "/reviews/%lld/history", "/?q=script"};
	char path[64];

	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		get_page(s, PATHF(path, pages[i], id), 200, &r);
		assert_false(contains(r.body, "<script>"));
		assert_false(contains(r.body, "<b>t</b>"));
		assert_false(contains(r.body, "<i>a</i>"));
		if (i != 4)
			assert_true(contains(r.body,
					     "&lt;script&gt;alert(&#39;x"
					     "&#39;)&lt;/script&gt; "
					     "&amp; &quot;q&quot;"));
		http_resp_free(&r);
	}
	/* and on the deleted list */
	assert_int_equal(http_json(s, "DELETE",
				   PATHF(path, "/api/v1/reviews/%lld", id),
				   NULL, &r),
			 204);
	http_resp_free(&r);
	get_page(s, "/deleted", 200, &r);
	assert_false(contains(r.body, "<script>"));
	assert_true(contains(r.body, "&lt;script&gt;alert"));
	http_resp_free(&r);
}

static void test_markdown_script_and_javascript_links_are_inert(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(
		s,
		"{\"title\": \"Markdown\", \"summary\": \"Hi <script>alert(1)"
		"</script>\\n\\n[click](javascript:alert(2)) <img src=x "
		"onerror=alert(3)>\\n\\n- [x] done\\n- [ ] todo\"}");
	char path[64];

	get_page(s, PATHF(path, "/reviews/%lld", id), 200, &r);
	assert_false(contains(r.body, "<script>alert(1)"));
	assert_false(contains(r.body, "javascript:"));
	assert_false(contains(r.body, "onerror"));
	assert_true(contains(r.body, ">click</a>"));
	assert_true(contains(r.body, "type=\"checkbox\""));
	http_resp_free(&r);
}

static void test_unknown_page_is_a_404_html_page(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	get_page(s, "/no/such/page", 404, &r);
	assert_true(contains(r.body, "Page not found"));
	assert_true(contains(r.body, "/static/app.css"));
	http_resp_free(&r);
	get_page(s, "/reviews/424242", 404, &r);
	assert_true(contains(r.body, "Page not found"));
	http_resp_free(&r);
	get_page(s, "/reviews/424242/edit", 404, &r);
	http_resp_free(&r);
	get_page(s, "/reviews/<x>", 404, &r);
	assert_false(contains(r.body, "<x>"));
	http_resp_free(&r);
}

static void test_static_css_is_served_as_text_css_with_long_cache(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *etag, *cc, hdr[128];
	const char *hdrs[2] = {hdr, NULL};

	assert_int_equal(http_get(s, "/static/app.css", &r), 200);
	assert_true(contains(r.headers, "Content-Type: text/css"));
	assert_true(contains(r.body, "@media print"));
	cc = http_header(&r, "Cache-Control");
	assert_non_null(cc);
	assert_true(contains(cc, "max-age=31536000"));
	free(cc);
	etag = http_header(&r, "ETag");
	assert_non_null(etag);
	http_resp_free(&r);

	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	free(etag);
	assert_int_equal(
		http_do(s, "GET", "/static/app.css", NULL, NULL, hdrs, &r), 0);
	assert_int_equal(r.status, 304);
	http_resp_free(&r);

	assert_int_equal(http_get(s, "/static/app.js", &r), 200);
	assert_true(contains(r.headers, "Content-Type: text/javascript"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/static/nope.css", &r), 404);
	http_resp_free(&r);
}

static void test_delete_hides_a_review_and_restore_brings_it_back(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, "{\"title\": \"Short-lived\"}");
	char path[64], want[64], *loc;

	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/delete", id),
				   form("version", "1", NULL), &r),
			 303);
	loc = http_header(&r, "Location");
	assert_string_equal(loc, PATHF(want, "/?deleted=%lld", id));
	free(loc);
	http_resp_free(&r);

	get_page(s, PATHF(path, "/reviews/%lld", id), 404, &r);
	http_resp_free(&r);
	get_page(s, PATHF(path, "/?deleted=%lld", id), 200, &r);
	assert_false(contains(r.body, "Short-lived"));
	assert_true(contains(r.body, PATHF(want, "/reviews/%lld/restore", id)));
	http_resp_free(&r);
	get_page(s, "/deleted", 200, &r);
	assert_true(contains(r.body, "Short-lived"));
	http_resp_free(&r);

	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/restore", id),
				   form("x", "", NULL), &r),
			 303);
	http_resp_free(&r);
	get_page(s, PATHF(path, "/reviews/%lld", id), 200, &r);
	assert_true(contains(r.body, "Short-lived"));
	http_resp_free(&r);
}

static void
test_review_page_is_served_again_until_its_version_changes(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	long long id = create_review(s, "{\"title\": \"Cached title\"}");
	char path[64], hdr[128], *etag, *body;
	const char *hdrs[2] = {hdr, NULL};

	get_page(s, PATHF(path, "/reviews/%lld", id), 200, &r);
	body = strdup(r.body);
	etag = http_header(&r, "ETag");
	assert_non_null(etag);
	http_resp_free(&r);

	/* the second answer is the same page */
	get_page(s, path, 200, &r);
	assert_string_equal(r.body, body);
	http_resp_free(&r);
	free(body);

	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	assert_int_equal(http_do(s, "GET", path, NULL, NULL, hdrs, &r), 0);
	assert_int_equal(r.status, 304);
	http_resp_free(&r);

	/* a change through the API shows at once */
	assert_int_equal(
		http_json(s, "PATCH", PATHF(path, "/api/v1/reviews/%lld", id),
			  "{\"version\": 1, \"title\": \"Fresh title\"}", &r),
		200);
	http_resp_free(&r);
	assert_int_equal(http_do(s, "GET", PATHF(path, "/reviews/%lld", id),
				 NULL, NULL, hdrs, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_true(contains(r.body, "Fresh title"));
	assert_false(contains(r.body, "Cached title"));
	http_resp_free(&r);
	free(etag);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_up, server_down)

/* The index and a review's JSON are cached by the store's generation and
 * the review's version: every kind of write must show at once. */
static void test_cached_index_and_json_show_every_write_at_once(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char path[96];
	long long id = create_review(s, "{\"title\": \"Cache before\"}");

	for (int i = 0; i < 2; i++) { /* the second answer is from the cache */
		get_page(s, "/", 200, &r);
		assert_true(contains(r.body, "Cache before"));
		http_resp_free(&r);
		assert_int_equal(http_get(s, PATHF(path, "/api/v1/reviews/%lld",
						   id), &r), 200);
		assert_true(contains(r.body, "Cache before"));
		http_resp_free(&r);
	}
	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path, "/api/v1/reviews/%lld", id),
				   "{\"title\": \"Cache after\"}", &r), 200);
	http_resp_free(&r);
	get_page(s, "/", 200, &r);
	assert_true(contains(r.body, "Cache after"));
	assert_false(contains(r.body, "Cache before"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r),
			 200);
	assert_true(contains(r.body, "Cache after"));
	http_resp_free(&r);

	/* a child write moves the index too (tags show there) */
	assert_int_equal(http_json(s, "POST",
				   PATHF(path, "/api/v1/reviews/%lld/tags", id),
				   "{\"name\": \"cachetag\"}", &r), 201);
	http_resp_free(&r);
	get_page(s, "/", 200, &r);
	assert_true(contains(r.body, ">cachetag</a>"));
	http_resp_free(&r);

	assert_int_equal(http_do(s, "DELETE",
				 PATHF(path, "/api/v1/reviews/%lld", id), NULL,
				 NULL, NULL, &r), 0);
	assert_int_equal(r.status, 204);
	http_resp_free(&r);
	get_page(s, "/", 200, &r);
	assert_false(contains(r.body, "Cache after"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r),
			 404);
	http_resp_free(&r);
}

/* Browsers send a textarea's newlines as CR LF: a form stores them as LF,
 * as the API does, so that saving an unchanged edit page changes nothing. */
static void test_form_newlines_are_stored_as_lf_and_change_nothing(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char path[64];
	long long id = create_review(
		s, "{\"title\": \"Newlines\", \"summary\": \"a\\nb\\n\\nc\"}");
	long long v = review_version(s, id);

	assert_int_equal(post_form(s, PATHF(path, "/reviews/%lld/edit", id),
				   form("version", "1", "title", "Newlines",
					"summary", "a\r\nb\r\n\r\nc", NULL),
				   &r),
			 303);
	http_resp_free(&r);
	assert_int_equal(review_version(s, id), v);
	assert_int_equal(
		http_get(s, PATHF(path, "/api/v1/reviews/%lld", id), &r), 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "summary")),
		"a\nb\n\nc");
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_index_lists_created_reviews_newest_first),
		T(test_index_shows_each_tldr_shortened_and_escaped),
		T(test_form_newlines_are_stored_as_lf_and_change_nothing),
		T(test_index_filters_by_kind_severity_status_tag_dates_and_text),
		cmocka_unit_test_setup_teardown(
			test_index_paginates_with_page_size_and_keeps_filters,
			server_up_small_pages, server_down),
		T(test_new_form_without_title_is_422_with_field_error_and_keeps_values),
		T(test_create_opens_the_editor_at_the_timeline_and_the_page_shows_it),
		T(test_edit_page_has_rows_for_every_child_and_blank_ones),
		T(test_edit_saves_review_fields_and_children_rows),
		T(test_edit_with_stale_version_is_409_with_message_and_keeps_text),
		T(test_edit_with_bad_child_row_is_422_with_error_at_that_row),
		T(test_history_shows_who_changed_what_with_a_diff),
		T(test_script_in_a_title_is_escaped_on_every_page),
		T(test_markdown_script_and_javascript_links_are_inert),
		T(test_unknown_page_is_a_404_html_page),
		T(test_static_css_is_served_as_text_css_with_long_cache),
		T(test_delete_hides_a_review_and_restore_brings_it_back),
		T(test_review_page_is_served_again_until_its_version_changes),
		T(test_cached_index_and_json_show_every_write_at_once),
	};

	return cmocka_run_group_tests_name("pages", tests, NULL, NULL);
}
