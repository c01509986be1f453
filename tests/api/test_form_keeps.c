/* test_form_keeps.c: a web form that saved nothing gives back what was
 * typed, whatever refused it: the form again with its text (where the
 * handler has one) or every typed field read-only (web_form_refused),
 * never an error page that drops it. The failures: the review gone
 * (deleted between opening the form and sending it), the database failing
 * (a trigger that makes the table's write fail, on SQLite: E_STORE, the
 * same path as the database away), a refused value. Each test also checks
 * that nothing was stored. The text typed carries a marker with non-ASCII
 * characters, found whole in the answer. */
#include "api/account_checks.h"
#include "api/page_checks.h"

#include <sqlite3.h>

#include "util/utf8.h"

#include "unit/test_db.h"

#define MARK "Wiederherstellung \xe2\x9c\x93 r\xc3\xa9" "ussie MARK"

/* break_writes makes every op ("INSERT", "UPDATE") on table fail in the
 * server's database from now on (a trigger reading a table that is not
 * there); SQLite only. */
static void break_writes(struct hs *s, const char *table, const char *op)
{
	sqlite3 *db;
	char sql[256];

	snprintf(sql, sizeof sql,
		 "CREATE TRIGGER keeps_%s_%s BEFORE %s ON %s BEGIN "
		 "SELECT * FROM keeps_no_such_table; END",
		 table, op, op, table);
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* kept asserts that the answer r has status and gives back marker whole
 * (never cut mid-character), then frees r. */
static void kept(struct http_resp *r, long status, const char *marker)
{
	assert_int_equal(r->status, status);
	assert_true(contains(r->headers, "text/html"));
	if (!contains(r->body, marker))
		fail_msg("the %ld answer does not give back %s", status,
			 marker);
	http_resp_free(r);
}

/* stored_has tells whether GET path (JSON) holds marker. */
static int stored_has(struct hs *s, const char *path, const char *marker)
{
	struct http_resp r;
	int has;

	http_get(s, path, &r);
	has = contains(r.body, marker);
	http_resp_free(&r);
	return has;
}

static void delete_review(struct hs *s, int64_t id)
{
	struct http_resp r;
	char path[64];

	assert_int_equal(http_json(s, "DELETE",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)id),
				   NULL, &r),
			 204);
	http_resp_free(&r);
}

static void test_a_new_review_the_database_fails_comes_back_as_typed(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	if (test_on_pg())
		skip(); /* the failure is a SQLite trigger */
	break_writes(s, "reviews", "INSERT");
	post_form(s, "/reviews",
		  form("title", "Payments " MARK "-title", "summary",
		       "Cards declined\n" MARK "-summary", NULL),
		  &r);
	/* the form again, with a notice: saving again is one click */
	assert_true(contains(r.body, "action=\"/reviews\""));
	assert_true(contains(r.body, "Everything you typed is in the form"));
	assert_true(contains(r.body, "Payments " MARK "-title"));
	kept(&r, 500, MARK "-summary");
	assert_false(stored_has(s, "/api/v1/reviews", MARK));
}

static void test_a_review_edit_the_database_fails_comes_back_as_typed(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Queue backlog\"}");
	char path[64];

	if (test_on_pg())
		skip();
	break_writes(s, "reviews", "UPDATE");
	post_form(s, PATHF(path, "/reviews/%lld/edit", (long long)id),
		  form("version", "1", "title", "Queue backlog",
		       "went_poorly", MARK "-wrong", NULL),
		  &r);
	snprintf(path, sizeof path, "action=\"/reviews/%lld/edit\"",
		 (long long)id);
	assert_true(contains(r.body, path));
	/* the same version: saving again goes over what is stored */
	assert_true(contains(r.body, "name=\"version\" value=\"1\""));
	kept(&r, 500, MARK "-wrong");
	assert_false(stored_has(
		s, PATHF(path, "/api/v1/reviews/%lld", (long long)id), MARK));
}

static void test_a_review_edit_of_a_review_gone_gives_the_text_back(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"DNS\"}");
	char path[64];

	delete_review(s, id);
	post_form(s, PATHF(path, "/reviews/%lld/edit", (long long)id),
		  form("version", "1", "title", "DNS", "went_poorly",
		       "line one\n" MARK "-gone", NULL),
		  &r);
	assert_true(contains(r.body, "form-refused"));
	assert_true(contains(r.body, "not there any more"));
	/* the form's own bookkeeping is not given back as text */
	assert_false(contains(r.body, ">version</label>"));
	kept(&r, 404, MARK "-gone");
}

static void test_a_timeline_entry_the_database_fails_comes_back_as_typed(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(
		s, "{\"title\": \"Disk full\", \"timeline\": [{\"at\": "
		   "\"2026-11-20T10:00:00Z\", \"text\": \"Alert fired\"}]}");
	json_t *j;
	char path[96], cid[24];

	if (test_on_pg())
		skip();
	j = get_json(s, PATHF(path, "/api/v1/reviews/%lld", (long long)id),
		     200);
	snprintf(cid, sizeof cid, "%lld",
		 (long long)json_integer_value(json_object_get(
			 json_array_get(json_object_get(j, "timeline"), 0),
			 "id")));
	json_decref(j);
	break_writes(s, "timeline_entries", "UPDATE");
	PATHF(path, "/reviews/%lld/timeline/%s/edit", (long long)id, cid);
	post_form(s, path,
		  form("version", "1", "timeline[0].id", cid, "timeline[0].at",
		       "2026-11-20 10:00", "timeline[0].text",
		       MARK "-entry", NULL),
		  &r);
	assert_true(contains(r.body, "class=\"entry-form\""));
	kept(&r, 500, MARK "-entry");
	assert_false(stored_has(
		s, PATHF(path, "/api/v1/reviews/%lld", (long long)id), MARK));
	/* the review gone: every field given back */
	delete_review(s, id);
	PATHF(path, "/reviews/%lld/timeline/%s/edit", (long long)id, cid);
	post_form(s, path,
		  form("version", "1", "timeline[0].id", cid, "timeline[0].at",
		       "2026-11-20 10:00", "timeline[0].text",
		       MARK "-entry-gone", NULL),
		  &r);
	assert_true(contains(r.body, "form-refused"));
	kept(&r, 404, MARK "-entry-gone");
}

static void test_a_glossary_term_refused_or_failed_gives_the_text_back(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	/* a one-letter term is refused: the definition typed comes back */
	post_form(s, "/glossary",
		  form("term", "x", "definition", MARK "-definition", NULL),
		  &r);
	kept(&r, 422, MARK "-definition");
	if (test_on_pg())
		return;
	break_writes(s, "glossary_terms", "INSERT");
	post_form(s, "/glossary",
		  form("term", "RPO", "definition", MARK "-rpo", NULL), &r);
	assert_false(contains(r.body, "keeps_no_such_table"));
	kept(&r, 500, MARK "-rpo");
	assert_false(stored_has(s, "/api/v1/glossary", MARK));
}

/* long_text is n bytes of "é" then marker (caller frees). */
static char *long_text(size_t n, const char *marker)
{
	char *t = malloc(n + strlen(marker) + 1);

	assert_non_null(t);
	for (size_t i = 0; i + 1 < n; i += 2)
		memcpy(t + i, "\xc3\xa9", 2);
	strcpy(t + (n & ~(size_t)1), marker);
	return t;
}

static void test_a_definition_past_its_limit_comes_back_whole(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	/* 20 KB, 60 KB as the browser sends it: past the 16 KB a button's
	 * post takes, which would be refused unread (413) and lost */
	char *def = long_text(20 * 1024, MARK "-long");

	post_form(s, "/glossary", form("term", "SLO", "definition", def, NULL),
		  &r);
	assert_true(contains(r.body, "form-refused"));
	kept(&r, 422, def);
	assert_false(stored_has(s, "/api/v1/glossary", MARK));
	free(def);
}

/* json_id POSTs json to path (201) and returns the id made. */
static int64_t json_id(struct hs *s, const char *path, const char *json)
{
	struct http_resp r;
	int64_t id;

	if (http_json(s, "POST", path, json, &r) != 201)
		fail_msg("POST %s: %ld %s", path, r.status, r.body);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_true(id > 0);
	return id;
}

static void delete_path(struct hs *s, const char *path)
{
	struct http_resp r;

	http_json(s, "DELETE", path, NULL, &r);
	assert_true(r.status == 204 || r.status == 200);
	http_resp_free(&r);
}

static void test_a_form_past_its_route_limit_says_nothing_was_saved(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *zone = long_text(20 * 1024, "x");

	/* 20 KB to a 16 KiB form: refused unread, so the page cannot give
	 * it back; it says so, and where the text still is */
	post_form(s, "/settings", form("time_zone", zone, NULL), &r);
	assert_int_equal(r.status, 413);
	assert_true(contains(r.body, "Nothing was saved"));
	assert_true(contains(r.body, "Back button"));
	http_resp_free(&r);
	free(zone);
}

static void test_a_term_or_comment_removed_meanwhile_gives_the_text_back(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Talk\"}"), tid, cid;
	char path[96];

	tid = json_id(s, "/api/v1/glossary",
		      "{\"term\": \"MTTR\", \"definition\": \"Mean time\"}");
	delete_path(s, PATHF(path, "/api/v1/glossary/%lld", (long long)tid));
	post_form(s, PATHF(path, "/glossary/%lld/edit", (long long)tid),
		  form("term", "MTTR", "definition", MARK "-term-gone", NULL),
		  &r);
	assert_true(contains(r.body, "not in the glossary any more"));
	kept(&r, 404, MARK "-term-gone");
	cid = json_id(s,
		      PATHF(path, "/api/v1/reviews/%lld/comments",
			    (long long)id),
		      "{\"body\": \"First\"}");
	delete_path(s, PATHF(path, "/api/v1/reviews/%lld/comments/%lld",
			     (long long)id, (long long)cid));
	post_form(s,
		  PATHF(path, "/reviews/%lld/comments/%lld/edit",
			(long long)id, (long long)cid),
		  form("version", "1", "body", MARK "-comment-gone", NULL),
		  &r);
	assert_true(contains(r.body, "The comment was not saved: it is not "
				     "there any more."));
	kept(&r, 404, MARK "-comment-gone");
}

static void test_a_question_on_a_review_gone_gives_the_text_back(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"kind\": \"architecture\", "
				      "\"title\": \"Adopt a queue\"}");
	char path[64];

	delete_review(s, id);
	post_form(s, PATHF(path, "/reviews/%lld/questions", (long long)id),
		  form("text", MARK "-question", NULL), &r);
	kept(&r, 404, MARK "-question");
}

static void test_a_foreseen_row_refused_gives_the_text_back(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t inc = create_review(s, "{\"title\": \"Favorites outage\", "
				       "\"services\": [\"coffee\"]}");
	int64_t op = create_review(
		s, "{\"kind\": \"operability\", \"title\": \"Favorites "
		   "launch\", \"services\": [\"coffee\"]}");
	char path[64], launch[24];

	snprintf(launch, sizeof launch, "%lld", (long long)op);
	post_form(s, PATHF(path, "/reviews/%lld/foreseen", (long long)inc),
		  form("launch", launch, "issue", MARK "-issue", "likelihood",
		       "very", "impact", "high", NULL),
		  &r);
	kept(&r, 422, MARK "-issue");
	assert_false(stored_has(
		s,
		PATHF(path, "/api/v1/reviews/%lld/contingencies",
		      (long long)op),
		MARK));
}

static void test_a_meeting_the_database_fails_comes_back_as_typed(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Cache stampede\"}");
	char path[64];

	if (test_on_pg())
		skip();
	break_writes(s, "meetings", "INSERT");
	post_form(s, PATHF(path, "/reviews/%lld/meeting", (long long)id),
		  form("version", "0", "start", "2026-12-10 14:00",
		       "duration_minutes", "60", "timezone", "UTC", "agenda",
		       MARK "-agenda", NULL),
		  &r);
	assert_true(contains(r.body, "class=\"meeting-form\""));
	assert_false(contains(r.body, "keeps_no_such_table"));
	kept(&r, 500, MARK "-agenda");
	assert_false(stored_has(
		s, PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		MARK));
}

static void test_a_facilitator_refused_keeps_every_field(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	post_form(s, "/facilitators",
		  form("name", MARK "-name", "trained_on", "last spring",
		       "contact", MARK "-contact", NULL),
		  &r);
	assert_true(contains(r.body, "value=\"last spring\""));
	assert_true(contains(r.body, MARK "-name"));
	kept(&r, 422, MARK "-contact");
	assert_false(stored_has(s, "/api/v1/facilitators", MARK));
}

static void test_a_slack_import_refused_gives_the_channel_back(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Chat\"}");
	char path[64];

	/* no Slack token configured here: refused, the typed fields back */
	post_form(s, PATHF(path, "/reviews/%lld/chat/slack", (long long)id),
		  form("channel", "C0123ABC", "since", MARK "-since", NULL),
		  &r);
	kept(&r, 409, MARK "-since");
}

static void test_a_ticket_refused_gives_the_key_back(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(
		s, "{\"title\": \"Tickets\", \"followups\": [{\"title\": "
		   "\"Add an alert\"}]}");
	json_t *j;
	char path[96];
	long long fid;

	j = get_json(s, PATHF(path, "/api/v1/reviews/%lld", (long long)id),
		     200);
	fid = (long long)json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "followups"), 0), "id"));
	json_decref(j);
	/* no tracker configured: refused, the key typed comes back */
	post_form(s,
		  PATHF(path, "/reviews/%lld/followups/%lld/ticket",
			(long long)id, fid),
		  form("tracker", "jira", "key", MARK "-key", NULL), &r);
	kept(&r, 422, MARK "-key");
}

static void test_a_refused_value_is_quoted_between_characters(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id = create_review(s, "{\"title\": \"Zones\"}");
	char path[64], bad[160], want[160];

	/* "x@a" and 60 é: quoted to 100 bytes, "x@a" and 48 é, not 49 and
	 * a half */
	strcpy(bad, "x@a");
	for (int i = 0; i < 60; i++)
		strcat(bad, "\xc3\xa9");
	snprintf(want, sizeof want, "Invitee 1, &quot;%.99s&quot;, is not",
		 bad);
	post_form(s, PATHF(path, "/reviews/%lld/meeting", (long long)id),
		  form("version", "0", "start", "2026-12-10 14:00",
		       "duration_minutes", "60", "timezone", "UTC", "invitees",
		       bad, NULL),
		  &r);
	assert_true(utf8_valid(r.body, strlen(r.body), NULL));
	assert_true(contains(r.body, want));
	kept(&r, 422, bad);
	/* "a" and 34 é (69 bytes, under the 72 the page reads): quoted
	 * to 64 bytes, "a" and 31 é */
	strcpy(bad, "a");
	for (int i = 0; i < 34; i++)
		strcat(bad, "\xc3\xa9");
	post_form(s, "/settings", form("time_zone", bad, NULL), &r);
	assert_true(utf8_valid(r.body, strlen(r.body), NULL));
	snprintf(want, sizeof want, "Time zone &quot;%.63s&quot; is not",
		 bad);
	assert_true(contains(r.body, want));
	kept(&r, 422, bad);
}

/* post_as posts a form body (then frees it) with header line hdr. */
static void post_as(struct hs *s, const char *hdr, const char *path,
		    char *body, struct http_resp *r)
{
	const char *hdrs[] = {hdr, NULL};

	assert_non_null(body);
	assert_int_equal(http_do(s, "POST", path,
				 "application/x-www-form-urlencoded", body,
				 hdrs, r),
			 0);
	free(body);
}

static void test_settings_and_an_account_the_database_fails_come_back(
	void **state)
{
	struct hs *s;
	struct http_resp r;
	char tok[160];

	(void)state;
	if (test_on_pg())
		skip();
	s = acct_prepare();
	acct_add_user(s, "root", "admin");
	acct_token(s, "root", "write", tok, sizeof tok);
	assert_int_equal(hs_start(s, NULL), 0);
	break_writes(s, "users", "UPDATE");
	break_writes(s, "users", "INSERT");
	/* the settings form again, with the zone typed */
	post_as(s, tok, "/settings", form("time_zone", "Europe/Berlin", NULL),
		&r);
	assert_true(contains(r.body, "class=\"settings-form\""));
	assert_true(contains(r.body, "The time zone was not saved"));
	kept(&r, 500, "value=\"Europe/Berlin\"");
	/* a new account: its fields back, never its password */
	post_as(s, tok, "/admin/users",
		form("name", "nadia-keeps", "role", "editor", "groups",
		     "payments-oncall", "password", "secret-Pw-4-nadia", NULL),
		&r);
	assert_false(contains(r.body, "secret-Pw-4-nadia"));
	assert_true(contains(r.body, "nadia-keeps"));
	kept(&r, 500, "payments-oncall");
	hs_stop(s);
	hs_cleanup(s);
	free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_new_review_the_database_fails_comes_back_as_typed),
		T(test_a_review_edit_the_database_fails_comes_back_as_typed),
		T(test_a_review_edit_of_a_review_gone_gives_the_text_back),
		T(test_a_timeline_entry_the_database_fails_comes_back_as_typed),
		T(test_a_glossary_term_refused_or_failed_gives_the_text_back),
		T(test_a_definition_past_its_limit_comes_back_whole),
		T(test_a_form_past_its_route_limit_says_nothing_was_saved),
		T(test_a_term_or_comment_removed_meanwhile_gives_the_text_back),
		T(test_a_question_on_a_review_gone_gives_the_text_back),
		T(test_a_foreseen_row_refused_gives_the_text_back),
		T(test_a_meeting_the_database_fails_comes_back_as_typed),
		T(test_a_facilitator_refused_keeps_every_field),
		T(test_a_slack_import_refused_gives_the_channel_back),
		T(test_a_ticket_refused_gives_the_key_back),
		T(test_a_refused_value_is_quoted_between_characters),
		cmocka_unit_test(
			test_settings_and_an_account_the_database_fails_come_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
