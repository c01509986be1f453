/* test_transcripts.c: /api/v1/reviews/{id}/transcripts against the real
 * server: uploads as a raw body and as a multipart form, the list in its
 * shape with every filter, importing twice, promotion to the timeline,
 * and each kind of bad upload (clear error, nothing imported). */
#include "api/api_checks.h"
#include "unit/test_db.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>

#define LOG1                                                       \
	"2026-01-01T10:00:00  <alice> the db is down\n"               \
	"2026-01-01T10:00:00  <bob> looking\n"                        \
	"2026-01-01T10:05:00  *** carol has joined #ops\n"           \
	"2026-01-02T09:00:00  <alice> next day: all good\n"

static int64_t new_review(struct hs *s)
{
	struct http_resp r;
	int64_t id;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"db outage\"}", &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

static void expect_bad(struct hs *s, int64_t id, long status,
		       const char *query, const char *ctype, const char *body,
		       const char *what);
static int64_t total_of(struct hs *s, int64_t id);

static long upload(struct hs *s, int64_t id, const char *query,
		   const char *ctype, const char *body, struct http_resp *r)
{
	char p[256];

	assert_int_equal(http_do(s, "POST",
				 PATHF(p, "/api/v1/reviews/%lld/transcripts%s",
				       (long long)id, query),
				 ctype, body, NULL, r),
			 0);
	return r->status;
}

static json_t *list(struct hs *s, int64_t id, const char *query, long want)
{
	struct http_resp r;
	char p[256];
	json_t *j;

	http_get(s,
		 PATHF(p, "/api/v1/reviews/%lld/transcripts%s", (long long)id,
		       query),
		 &r);
	if (r.status != want)
		fail_msg("GET %s: %ld, want %ld: %s", p, r.status, want,
			 r.body);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

static int64_t total_of(struct hs *s, int64_t id)
{
	json_t *j = list(s, id, "", 200);
	int64_t t = json_integer_value(json_object_get(j, "total"));

	json_decref(j);
	return t;
}

static void test_upload_log_then_list_in_the_api_shape(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct http_resp r;
	json_t *j, *m;

	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain", LOG1, &r),
			 201);
	assert_int_equal(json_integer_value(json_object_get(r.json, "added")),
			 4);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "format")), "irc");
	http_resp_free(&r);
	j = list(s, id, "", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 4);
	assert_int_equal(json_integer_value(json_object_get(j, "limit")), 100);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "messages")), 4);
	m = json_array_get(json_object_get(j, "messages"), 0);
	assert_true(json_integer_value(json_object_get(m, "id")) > 0);
	assert_string_equal(json_string_value(json_object_get(m, "channel")),
			    "ops");
	assert_string_equal(json_string_value(json_object_get(m, "at")),
			    "2026-01-01T10:00:00Z");
	assert_string_equal(json_string_value(json_object_get(m, "author")),
			    "alice");
	assert_string_equal(json_string_value(json_object_get(m, "text")),
			    "the db is down");
	/* the source whole, though its file is kept once (035) */
	assert_string_equal(json_string_value(json_object_get(m, "source")),
			    "ops.log:1");
	/* same second: in the order of the log */
	m = json_array_get(json_object_get(j, "messages"), 1);
	assert_string_equal(json_string_value(json_object_get(m, "author")),
			    "bob");
	json_decref(j);
	/* the same log again adds nothing */
	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain", LOG1, &r),
			 200);
	assert_int_equal(
		json_integer_value(json_object_get(r.json, "duplicates")), 4);
	http_resp_free(&r);
	assert_int_equal(total_of(s, id), 4);
}

static void test_upload_jsonl_and_csv(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct http_resp r;

	assert_int_equal(upload(s, id, "?name=export.csv", "text/csv",
				"time,author,text\n"
				"2026-01-01T10:00:00Z,alice,\"down, again\"\n",
				&r),
			 201);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "format")), "csv");
	http_resp_free(&r);
	assert_int_equal(upload(s, id, "?format=jsonl&channel=ops",
				"application/x-ndjson",
				"{\"ts\": 1767261601, \"user\": \"bob\", "
				"\"text\": \"up\"}\n",
				&r),
			 201);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "format")), "jsonl");
	http_resp_free(&r);
	assert_int_equal(total_of(s, id), 2);
	expect_bad(s, new_review(s), 422, "?name=x.jsonl", "text/plain",
		   "{\"time\": \"2026-01-01T10:00:00Z\", \"text\": \"a\"}\nnot json\n",
		   "x.jsonl:2: not a JSON object");
}

static void test_list_filters_and_pages(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct http_resp r;
	json_t *j;

	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain", LOG1, &r),
			 201);
	http_resp_free(&r);
	assert_int_equal(upload(s, id, "?name=dev.log", "text/plain",
				"2026-01-01T10:01:00  <dave> hi from dev\n",
				&r),
			 201);
	http_resp_free(&r);
#define TOTAL(q, n)                                                          \
	do {                                                                 \
		j = list(s, id, q, 200);                                     \
		assert_int_equal(                                            \
			json_integer_value(json_object_get(j, "total")), n); \
		json_decref(j);                                              \
	} while (0)
	TOTAL("", 5);
	TOTAL("?channel=dev", 1);
	TOTAL("?since=2026-01-02", 1);
	TOTAL("?until=2026-01-01T10:01:00Z", 3);
	TOTAL("?since=2026-01-01&until=2026-01-01", 4);
	TOTAL("?q=db", 1);
	TOTAL("?q=dave", 1);
	j = list(s, id, "?limit=2&offset=3", 200);
	assert_int_equal(json_array_size(json_object_get(j, "messages")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "limit")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 5);
	json_decref(j);
	j = list(s, id, "?limit=1000", 200);
	json_decref(j);
	j = list(s, id, "?limit=1001", 400);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(j, "error"), "field")),
			    "limit");
	json_decref(j);
	json_decref(list(s, id, "?limit=0", 400));
	json_decref(list(s, id, "?since=yesterday", 400));
	json_decref(list(s, id, "?since=2026-01-02&until=2026-01-01", 400));
	json_decref(list(s, id + 100, "", 404));
}

/* a Slack export, zipped here; pad spaces make the day file larger */
static char *zip_export_padded(size_t *n, int cut, size_t pad);
static char *zip_export(size_t *n, int cut)
{
	return zip_export_padded(n, cut, 0);
}

static char *zip_export_padded(size_t *n, int cut, size_t pad)
{
	static const char *const ents[][2] = {
		{"users.json", "[{\"id\":\"U1\",\"name\":\"alice\"}]"},
		{"channels.json", "[{\"id\":\"C1\",\"name\":\"incident\"}]"},
		{"incident/2026-01-01.json",
		 "[{\"user\":\"U1\",\"text\":\"paging <@U1>\","
		 "\"ts\":\"1767261600.000100\"},{\"user\":\"U1\",\"text\":"
		 "\"rolled back\",\"ts\":\"1767261660.000000\"},{\"user\":"
		 "\"U1\",\"text\":\"ack\",\"ts\":\"1767261700.000000\","
		 "\"thread_ts\":\"1767261600.000100\"}]"},
	};
	size_t cap = 64 * 1024, used = 0;
	char *out = malloc(cap);
	struct archive *w = archive_write_new();

	assert_non_null(out);
	archive_write_set_format_zip(w);
	assert_int_equal(archive_write_open_memory(w, out, cap, &used), 0);
	for (size_t i = 0; i < 3; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = strlen(ents[i][1]) + (i == 2 ? pad : 0);
		char *text = malloc(len + 1);

		assert_non_null(text);
		memset(text, ' ', len);
		memcpy(text, ents[i][1], strlen(ents[i][1]));
		archive_entry_set_pathname(e, ents[i][0]);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_write_header(w, e);
		archive_write_data(w, text, len);
		archive_entry_free(e);
		free(text);
	}
	archive_write_close(w);
	archive_write_free(w);
	*n = cut ? used / 2 : used;
	return out;
}

/* post_bytes sends binary data, raw or as the "file" part of a form. */
static long post_bytes(struct hs *s, const char *path, const char *data,
		       size_t n, int multipart, struct http_resp *out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	curl_mime *mime = NULL;
	char url[512];
	FILE *body;
	char *buf = NULL;
	size_t len = 0;
	long status = 0;

	assert_non_null(c);
	body = open_memstream(&buf, &len);
	snprintf(url, sizeof url, "%s%s", s->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	if (multipart) {
		curl_mimepart *part;
		mime = curl_mime_init(c);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "file");
		curl_mime_filename(part, "export.zip");
		curl_mime_data(part, data, n);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "format");
		curl_mime_data(part, "slack", CURL_ZERO_TERMINATED);
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	} else {
		h = curl_slist_append(h, "Content-Type: application/zip");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)n);
	}
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	fclose(body);
	memset(out, 0, sizeof *out);
	out->status = status;
	out->body = buf;
	out->len = len;
	out->json = json_loads(buf, 0, NULL);
	curl_mime_free(mime);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

static void test_upload_zip_raw_and_multipart(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s), id2 = new_review(s);
	struct http_resp r;
	size_t n;
	char *zip = zip_export(&n, 0), p[128];
	json_t *j, *m;

	assert_int_equal(post_bytes(s, PATHF(p, "/api/v1/reviews/%lld/transcripts",
					     (long long)id),
				    zip, n, 0, &r),
			 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "format")),
			    "slack");
	http_resp_free(&r);
	j = list(s, id, "?channel=incident", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
	m = json_array_get(json_object_get(j, "messages"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "text")),
			    "paging @alice");
	assert_string_equal(json_string_value(json_object_get(m, "source")),
			    "incident/2026-01-01.json#1767261600.000100");
	json_decref(j);
	assert_int_equal(post_bytes(s, PATHF(p, "/api/v1/reviews/%lld/transcripts",
					     (long long)id2),
				    zip, n, 1, &r),
			 201);
	assert_int_equal(json_integer_value(json_object_get(r.json, "added")),
			 3);
	http_resp_free(&r);
	/* the page shows a thread's reply under its first message */
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld/chat?all=1",
					   (long long)id2),
				  &r),
			 200);
	assert_non_null(strstr(r.body, "reply</span> ack<"));
	assert_true(strstr(r.body, "reply</span> ack<") < strstr(r.body, "rolled back"));
	assert_true(strstr(r.body, "paging @alice") < strstr(r.body, "reply</span> ack<"));
	http_resp_free(&r);
	/* the chat page's form: multipart, then back to the page */
	assert_int_equal(post_bytes(s, PATHF(p, "/reviews/%lld/chat",
					     (long long)id2),
				    zip, n, 1, &r),
			 303);
	http_resp_free(&r);
	/* a route that takes no files still refuses a multipart body */
	assert_int_equal(post_bytes(s, PATHF(p, "/reviews/%lld/chat/promote",
					     (long long)id2),
				    zip, n, 1, &r),
			 415);
	http_resp_free(&r);
	free(zip);
}

/* expect_bad: the upload fails with status, the message holds what, and
 * the review has no message. */
static void expect_bad(struct hs *s, int64_t id, long status,
		       const char *query, const char *ctype, const char *body,
		       const char *what)
{
	struct http_resp r;

	assert_int_equal(upload(s, id, query, ctype, body, &r), status);
	assert_non_null(json_object_get(r.json, "error"));
	if (!strstr(r.body, what))
		fail_msg("\"%s\" not in %s", what, r.body);
	http_resp_free(&r);
	assert_int_equal(total_of(s, id), 0);
}

static void test_bad_uploads_import_nothing(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s);
	struct http_resp r;
	size_t n;
	char *zip = zip_export(&n, 1), p[128];

	expect_bad(s, id, 422, "?name=notes.txt", "text/plain",
		   "dear diary\n", "notes.txt: no line in a known IRC log");
	expect_bad(s, id, 422, "?name=ops.log", "text/plain",
		   LOG1 "[10:00] <x> no date\n", "ops.log:5");
	expect_bad(s, id, 422, "?name=ops.log&tz=Mars/Base", "text/plain", LOG1,
		   "unknown time zone");
	expect_bad(s, id, 422, "?name=ops.log&since=2030-01-01", "text/plain",
		   LOG1, "no message in the chosen window");
	expect_bad(s, id, 400, "?format=pdf", "text/plain", LOG1, "format");
	expect_bad(s, id, 400, "", "text/plain", "", "send the Slack export");
	/* a multipart body that is not one */
	expect_bad(s, id, 400, "", "multipart/form-data; boundary=XyZ",
		   "--XyZ\r\nno headers end", "form data");
	assert_int_equal(post_bytes(s, PATHF(p, "/api/v1/reviews/%lld/transcripts",
					     (long long)id),
				    zip, n, 0, &r),
			 422);
	assert_non_null(strstr(r.body, "upload"));
	http_resp_free(&r);
	assert_int_equal(total_of(s, id), 0);
	free(zip);
}

static void test_upload_over_the_body_limit_is_413(void **state)
{
	struct hs *s = calloc(1, sizeof *s);
	char *big;
	struct http_resp r;
	int64_t id;

	assert_non_null(s);
	assert_int_equal(
		hs_start_conf(s, "max_body = 64K\nchat_max_entry = 4K\n", NULL),
		0);
	id = new_review(s);
	big = malloc(100 * 1024 + 1);
	memset(big, 'a', 100 * 1024);
	big[100 * 1024] = '\0';
	assert_int_equal(upload(s, id, "?name=big.log", "text/plain", big, &r),
			 413);
	http_resp_free(&r);
	{ /* a small zip whose day file expands past chat_max_entry */
		size_t n;
		char *zip = zip_export_padded(&n, 0, 8 * 1024), p[96];

		assert_true(n < 4096);
		assert_int_equal(post_bytes(s,
					    PATHF(p, "/api/v1/reviews/%lld/"
						     "transcripts",
						  (long long)id),
					    zip, n, 0, &r),
				 413);
		assert_non_null(strstr(r.body, "incident/2026-01-01.json "
						"expands past the limit"));
		http_resp_free(&r);
		free(zip);
	}
	assert_int_equal(total_of(s, id), 0);
	free(big);
	hs_stop(s);
	hs_cleanup(s);
	free(s);
}

static void test_promote_two_messages_to_the_timeline(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s), a, b;
	struct http_resp r;
	json_t *j, *tl, *e;
	char p[128], body[128];

	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain", LOG1, &r),
			 201);
	http_resp_free(&r);
	j = list(s, id, "", 200);
	a = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 0), "id"));
	b = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 3), "id"));
	json_decref(j);
	snprintf(body, sizeof body, "{\"ids\": [%lld, 99999]}", (long long)a);
	assert_int_equal(http_json(s, "POST",
				   PATHF(p, "/api/v1/reviews/%lld/transcripts/promote",
					 (long long)id),
				   body, &r),
			 404);
	http_resp_free(&r);
	snprintf(body, sizeof body, "{\"ids\": [%lld, %lld]}", (long long)a,
		 (long long)b);
	assert_int_equal(http_json(s, "POST", p, body, &r), 201);
	tl = json_object_get(r.json, "timeline");
	assert_int_equal(json_array_size(tl), 2);
	e = json_array_get(tl, 0);
	assert_string_equal(json_string_value(json_object_get(e, "actor")),
			    "alice");
	assert_string_equal(json_string_value(json_object_get(e, "kind")),
			    "chat");
	assert_string_equal(json_string_value(json_object_get(e, "at")),
			    "2026-01-01T10:00:00Z");
	snprintf(body, sizeof body, "/reviews/%lld/chat#m%lld", (long long)id,
		 (long long)a);
	assert_string_equal(json_string_value(json_object_get(e, "source")),
			    body);
	http_resp_free(&r);
	/* the transcript is as it was */
	assert_int_equal(total_of(s, id), 4);
	assert_int_equal(http_json(s, "POST", p, "{\"ids\": []}", &r), 400);
	http_resp_free(&r);
}

static void test_chat_page_shows_the_window_with_days_escaped(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id;
	char p[128];

	assert_int_equal(
		http_json(s, "POST", "/api/v1/reviews",
			  "{\"title\": \"t\", \"started_at\": "
			  "\"2026-01-01T10:00:00Z\", \"resolved_at\": "
			  "\"2026-01-01T23:30:00Z\"}",
			  &r),
		201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain",
				"2026-01-01T08:00:00  <early> before the window\n"
				"2026-01-01T10:00:00  <alice> <script>x</script>\n"
				"2026-01-02T00:10:00  <bob> after midnight\n",
				&r),
			 201);
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld/chat",
					   (long long)id),
				  &r),
			 200);
	assert_null(strstr(r.body, "before the window"));
	assert_null(strstr(r.body, "<script>x"));
	assert_non_null(strstr(r.body, "&lt;script&gt;x"));
	assert_non_null(strstr(r.body, ">2026-01-01</th>"));
	assert_non_null(strstr(r.body, ">2026-01-02</th>"));
	assert_non_null(strstr(r.body, "name=\"m\""));
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld/chat?all=1",
					   (long long)id),
				  &r),
			 200);
	assert_non_null(strstr(r.body, "before the window"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld/chat?since=soon",
					   (long long)id),
				  &r),
			 400);
	http_resp_free(&r);
}

static void test_chat_page_promote_form(void **state)
{
	struct hs *s = *state;
	int64_t id = new_review(s), a, b;
	struct http_resp r;
	json_t *j;
	char p[128], form[96];

	/* the review page leads to the chat while the timeline is empty */
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld", (long long)id),
				  &r),
			 200);
	assert_non_null(strstr(r.body, "/chat\">pick them from the chat"));
	http_resp_free(&r);
	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain", LOG1, &r),
			 201);
	http_resp_free(&r);
	j = list(s, id, "", 200);
	a = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 1), "id"));
	b = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 2), "id"));
	json_decref(j);
	PATHF(p, "/reviews/%lld/chat/promote", (long long)id);
	assert_int_equal(http_form(s, p, "promote=1", &r), 400);
	http_resp_free(&r);
	assert_int_equal(http_form(s, p, "m=abc", &r), 400);
	http_resp_free(&r);
	snprintf(form, sizeof form, "m=%lld&m=%lld", (long long)a,
		 (long long)b);
	assert_int_equal(http_form(s, p, form, &r), 303);
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(p, "/api/v1/reviews/%lld/timeline",
					   (long long)id),
				  &r),
			 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "timeline")),
			 2);
	http_resp_free(&r);
}

/* The review page shows the chat beside the timeline, in plain HTML: the
 * window's messages, the promoted one marked and linked to its entry and
 * back; a message outside the window or markup in a message is not
 * shown as such; a review without chat has no aside; an import bumps
 * the version so the cached page shows the new chat. */
static void test_review_page_shows_the_chat_beside_the_timeline(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id, other, a;
	json_t *j;
	char p[128], body[128], want[160];

	assert_int_equal(
		http_json(s, "POST", "/api/v1/reviews",
			  "{\"title\": \"t\", \"started_at\": "
			  "\"2026-01-01T10:00:00Z\", \"resolved_at\": "
			  "\"2026-01-01T11:00:00Z\"}",
			  &r),
		201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	other = new_review(s);
	/* first without chat: no aside (and the page gets cached) */
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld", (long long)id),
				  &r),
			 200);
	assert_null(strstr(r.body, "chat-beside"));
	http_resp_free(&r);
	assert_int_equal(upload(s, id, "?name=ops.log", "text/plain",
				"2026-01-01T07:00:00  <early> before the window\n"
				"2026-01-01T10:00:00  <alice> <b>errors</b> up\n"
				"2026-01-01T10:05:00  <bob> looking\n",
				&r),
			 201);
	http_resp_free(&r);
	j = list(s, id, "", 200);
	a = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 1), "id"));
	json_decref(j);
	snprintf(body, sizeof body, "{\"ids\": [%lld]}", (long long)a);
	assert_int_equal(http_json(s, "POST",
				   PATHF(p, "/api/v1/reviews/%lld/transcripts/promote",
					 (long long)id),
				   body, &r),
			 201);
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld", (long long)id),
				  &r),
			 200);
	assert_non_null(strstr(r.body, "<div class=\"with-chat\">"));
	assert_non_null(strstr(r.body, "<aside class=\"chat-beside\""));
	assert_null(strstr(r.body, "before the window"));
	assert_non_null(strstr(r.body, "looking"));
	assert_null(strstr(r.body, "<b>errors"));
	assert_non_null(strstr(r.body, "&lt;b&gt;errors&lt;/b&gt; up"));
	snprintf(want, sizeof want, "<li id=\"cm%lld\" class=\"promoted\">",
		 (long long)a);
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof want, "href=\"#cm%lld\">Beside, in the chat",
		 (long long)a);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "class=\"to-entry\" href=\"#tl-"));
	/* another window is one form away, on the chat page */
	snprintf(want, sizeof want, "<form class=\"chat-window\" "
				    "method=\"get\" action=\"/reviews/%lld/chat\">",
		 (long long)id);
	assert_non_null(strstr(r.body, want));
	/* the aside is inside the timeline section, after the table */
	assert_true(strstr(r.body, "chat-beside") >
		    strstr(r.body, "<table class=\"timeline\""));
	http_resp_free(&r);
	assert_int_equal(http_get(s, PATHF(p, "/reviews/%lld",
					   (long long)other),
				  &r),
			 200);
	assert_null(strstr(r.body, "chat-beside"));
	http_resp_free(&r);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, server_up, server_down)
	const struct CMUnitTest tests[] = {
		T(test_upload_log_then_list_in_the_api_shape),
		T(test_list_filters_and_pages),
		T(test_upload_jsonl_and_csv),
		T(test_upload_zip_raw_and_multipart),
		T(test_bad_uploads_import_nothing),
		cmocka_unit_test(test_upload_over_the_body_limit_is_413),
		T(test_promote_two_messages_to_the_timeline),
		T(test_chat_page_shows_the_window_with_days_escaped),
		T(test_chat_page_promote_form),
		T(test_review_page_shows_the_chat_beside_the_timeline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
