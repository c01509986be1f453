/* test_trackers.c: the logic of the tracker integrations without a
 * network: tracker settings (config_tracker.c), ticket keys and times
 * (tracker.c), rate-limit waits (http_client.c), webhook signatures
 * (webhook.c) and what counts as a ticket's change (model/ticket.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "integrations/tracker_internal.h" /* tracker_time */
#include "integrations/webhook.h"
#include "model/ticket.h"
#include "store/store.h"
#include "util/http_client.h"
#include "util/utf8.h"

static enum err_code load(struct config *c, const char *text, struct err *e)
{
	char path[] = "/tmp/debrief-trackers-XXXXXX";
	int fd = mkstemp(path);
	enum err_code rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	config_defaults(c);
	err_clear(e);
	rc = config_load(c, path, 1, e);
	if (rc == E_OK)
		rc = config_from_env(c, e);
	unlink(path);
	return rc;
}

static void test_trackers_are_read_from_the_configuration(void **state)
{
	struct config c;
	struct err e;
	const struct tracker_config *t;

	assert_int_equal(
		load(&c,
		     "sync_interval = 5m\n"
		     "linger_days = 14\n"
		     "tracker.ops.type = jira\n"
		     "tracker.ops.url = https://acme.atlassian.net/\n"
		     "tracker.ops.project = OPS\n"
		     "tracker.ops.api_version = 2\n"
		     "tracker.ops.user = bot@acme.example\n"
		     "tracker.ops.token = s3cret-token\n"
		     "tracker.gh.type = github\n"
		     "tracker.gh.url = https://ghe.acme.example/api/v3\n"
		     "tracker.gh.repository = acme/web\n"
		     "tracker.gh.close_ticket = true\n"
		     "tracker.gh.close_followup = 1\n",
		     &e),
		E_OK);
	assert_int_equal(c.ntrackers, 2);
	assert_int_equal(c.sync_interval, 300);
	assert_int_equal(c.linger_days, 14);
	t = config_tracker_find(&c, "ops");
	assert_non_null(t);
	assert_int_equal(t->type, TRACKER_JIRA);
	assert_string_equal(t->url, "https://acme.atlassian.net");
	assert_int_equal(t->api_version, 2);
	assert_string_equal(t->issue_type, "Task");
	assert_int_equal(t->timeout, 10);
	t = config_tracker_find(&c, "gh");
	assert_int_equal(t->type, TRACKER_GITHUB);
	assert_int_equal(t->close_ticket, 1);
	assert_int_equal(t->close_followup, 1);
	assert_int_equal(config_tracker_find(&c, "ops")->close_followup, 0);
	assert_null(config_tracker_find(&c, "nope"));
	/* defaults */
	assert_int_equal(load(&c, "", &e), E_OK);
	assert_int_equal(c.sync_interval, 900);
	assert_int_equal(c.ntrackers, 0);
}

static void test_tracker_secrets_come_from_the_environment(void **state)
{
	struct config c;
	struct err e;

	setenv("DEBRIEF_TRACKER_OPS_EU_TOKEN", "from-env-token", 1);
	setenv("DEBRIEF_TRACKER_OPS_EU_SECRET", "from-env-secret", 1);
	assert_int_equal(load(&c,
			      "tracker.ops-eu.type = jira\n"
			      "tracker.ops-eu.url = https://x.example\n"
			      "tracker.ops-eu.project = OPS\n"
			      "tracker.ops-eu.token = file-token\n",
			      &e),
			 E_OK);
	assert_string_equal(c.trackers[0].token, "from-env-token");
	assert_string_equal(c.trackers[0].secret, "from-env-secret");
	setenv("DEBRIEF_TRACKER_OPS_EU_TOKEN", "has space", 1);
	assert_int_equal(load(&c,
			      "tracker.ops-eu.type = jira\n"
			      "tracker.ops-eu.url = https://x.example\n"
			      "tracker.ops-eu.project = OPS\n",
			      &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "DEBRIEF_TRACKER_OPS_EU_TOKEN"));
	assert_null(strstr(e.message, "has space"));
	unsetenv("DEBRIEF_TRACKER_OPS_EU_TOKEN");
	unsetenv("DEBRIEF_TRACKER_OPS_EU_SECRET");
}

static void test_bad_tracker_settings_are_named(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"tracker.ops.type = trello\n", "expected jira or github"},
		{"tracker.Ops.type = jira\n", "tracker.NAME.KEY"},
		{"tracker.ops.colour = red\n", "unknown key"},
		{"tracker.ops.url = ftp://x\n", "http:// or https://"},
		{"tracker.ops.url = https://\n", "http:// or https://"},
		{"tracker.ops.url = http:///x\n", "http:// or https://"},
		{"tracker.gh.repository = web\n", "owner/name"},
		{"tracker.gh.repository = acme/we\"b\n", "owner/name"},
		{"tracker.ops.api_version = 4\n", "expected 3"},
		{"tracker.ops.timeout = 0\n", "1 to 300"},
		{"tracker.ops.close_followup = maybe\n", "true or false"},
		{"tracker.ops.type = jira\ntracker.ops.url = https://x\n",
		 "tracker.ops: no project set"},
		{"tracker.gh.type = github\ntracker.gh.url = https://x\n",
		 "tracker.gh: no repository set"},
		{"tracker.ops.project = OPS\n", "tracker.ops: no type"},
		{"sync_interval = soon\n", "sync_interval"},
		{"linger_days = 0\n", "linger_days"},
	};
	struct config c;
	struct err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(load(&c, cases[i].text, &e), E_INVALID);
		if (!strstr(e.message, cases[i].want))
			fail_msg("%s: got '%s'", cases[i].text, e.message);
	}
	/* a token's value is never repeated */
	assert_int_equal(load(&c, "tracker.ops.token = bad token\n", &e),
			 E_INVALID);
	assert_null(strstr(e.message, "bad token"));
}

static struct tracker_config jira(void)
{
	struct tracker_config t = {0};

	snprintf(t.name, sizeof t.name, "ops");
	t.type = TRACKER_JIRA;
	snprintf(t.url, sizeof t.url, "https://acme.atlassian.net");
	snprintf(t.project, sizeof t.project, "OPS");
	return t;
}

static struct tracker_config github(void)
{
	struct tracker_config t = {0};

	snprintf(t.name, sizeof t.name, "gh");
	t.type = TRACKER_GITHUB;
	snprintf(t.url, sizeof t.url, "https://api.github.com");
	snprintf(t.repository, sizeof t.repository, "acme/web");
	return t;
}

static void test_keys_and_urls_become_canonical_keys(void **state)
{
	struct tracker_config j = jira(), g = github();
	static const struct {
		int gh;
		const char *in, *want; /* want NULL: E_INVALID */
	} cases[] = {
		{0, "OPS-7", "OPS-7"},
		{0, " ops-12 ", "OPS-12"},
		{0, "SEC-3", "SEC-3"},
		{0, "https://acme.atlassian.net/browse/OPS-7", "OPS-7"},
		{0, "https://acme.atlassian.net/browse/OPS-7?focused=1",
		 "OPS-7"},
		{0, "https://evil.example/browse/OPS-7", NULL},
		{0, "OPS", NULL},
		{0, "OPS-", NULL},
		{0, "7", NULL},
		{0, "OPS-7; drop", NULL},
		{1, "12", "acme/web#12"},
		{1, "#12", "acme/web#12"},
		{1, "acme/web#12", "acme/web#12"},
		{1, "ACME/Web#12", "acme/web#12"},
		{1, "https://github.com/acme/web/issues/12", "acme/web#12"},
		{1, "https://github.com/acme/web/issues/12#issuecomment-1",
		 "acme/web#12"},
		{1, "https://github.com/other/web/issues/12", NULL},
		{1, "other/web#12", NULL},
		{1, "012", NULL},
		{1, "twelve", NULL},
		{1, "", NULL},
	};
	char key[200];
	struct err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum err_code rc = tracker_key(cases[i].gh ? &g : &j,
					       cases[i].in, key, sizeof key,
					       &e);
		if (!cases[i].want) {
			if (rc != E_INVALID)
				fail_msg("'%s' was accepted as %s", cases[i].in,
					 key);
			assert_string_equal(e.field, "key");
			continue;
		}
		if (rc != E_OK)
			fail_msg("'%s': %s", cases[i].in, e.message);
		assert_string_equal(key, cases[i].want);
	}
}

static void test_tracker_times_are_read_in_utc(void **state)
{
	/* 2026-12-01T10:00:00Z is 1796119200 */
	assert_int_equal(tracker_time("2026-12-01T10:00:00Z"), 1796119200);
	assert_int_equal(tracker_time("2026-12-01T10:00:00.000+0000"),
			 1796119200);
	assert_int_equal(tracker_time("2026-12-01T11:30:00.123+0130"),
			 1796119200);
	assert_int_equal(tracker_time("2026-12-01T05:00:00-05:00"), 1796119200);
	assert_int_equal(tracker_time("yesterday"), 0);
	assert_int_equal(tracker_time(NULL), 0);
}

static void test_issues_are_read_with_what_they_hold(void **state)
{
	struct tracker_config g = github(), j = jira();
	struct tracker_ticket tt;
	json_t *i;

	/* GitHub without html_url: the page is still known */
	i = json_pack("{s:i, s:s, s:s}", "number", 7, "state", "closed",
		      "state_reason", "not_planned");
	github_issue_read(&g, i, &tt);
	assert_true(tt.found);
	assert_true(tt.done);
	assert_string_equal(tt.key, "acme/web#7");
	assert_string_equal(tt.url, "https://github.com/acme/web/issues/7");
	assert_string_equal(tt.status, "closed (not_planned)");
	json_decref(i);
	/* a long reason is shortened between characters, never inside one
	 * (the fuzzer found "closed (%.60s)" cutting an é in half) */
	i = json_pack("{s:i, s:s, s:s}", "number", 9, "state", "closed",
		      "state_reason",
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "\xc3\xa9t\xc3\xa9");
	github_issue_read(&g, i, &tt);
	assert_true(utf8_valid(tt.status, strlen(tt.status), NULL));
	assert_int_equal(strlen(tt.status), strlen("closed ()") + 59);
	json_decref(i);
	snprintf(g.url, sizeof g.url, "https://ghe.acme.example/api/v3");
	i = json_pack("{s:i}", "number", 8);
	github_issue_read(&g, i, &tt);
	assert_true(tt.found);
	assert_false(tt.done);
	assert_string_equal(tt.url,
			    "https://ghe.acme.example/acme/web/issues/8");
	json_decref(i);
	i = json_pack("{s:s}", "message", "Not Found");
	github_issue_read(&g, i, &tt);
	assert_false(tt.found);
	json_decref(i);
	/* Jira: resolved by its resolution even in an odd category */
	i = json_pack("{s:s, s:{s:{s:s, s:{s:s}}, s:{s:s}, s:n}}", "key",
		      "OPS-9", "fields", "status", "name", "Closed",
		      "statusCategory", "key", "indeterminate", "resolution",
		      "name", "Won't Do", "assignee");
	jira_issue_read(&j, i, &tt);
	assert_true(tt.found);
	assert_true(tt.done);
	assert_string_equal(tt.url, "https://acme.atlassian.net/browse/OPS-9");
	assert_string_equal(tt.assignee, "");
	json_decref(i);
}

static void test_owners_map_to_tracker_users(void **state)
{
	struct tracker_config t = jira();
	char out[64];

	snprintf(t.users, sizeof t.users, "alice = 5b10ac, Bob=bob-id,x");
	assert_true(tracker_map_user(&t, "alice", out, sizeof out));
	assert_string_equal(out, "5b10ac");
	assert_true(tracker_map_user(&t, "bob", out, sizeof out));
	assert_string_equal(out, "bob-id");
	assert_false(tracker_map_user(&t, "carol", out, sizeof out));
	assert_false(tracker_map_user(&t, "x", out, sizeof out));
	assert_false(tracker_map_user(&t, NULL, out, sizeof out));
}

static void test_rate_limits_say_how_long_to_wait(void **state)
{
	long now = 1000000;

	/* not rate limits */
	assert_int_equal(http_rate_wait(200, NULL, NULL, NULL, now, 0), -1);
	assert_int_equal(http_rate_wait(403, NULL, "12", NULL, now, 0), -1);
	assert_int_equal(http_rate_wait(500, "5", NULL, NULL, now, 0), -1);
	/* Retry-After in seconds, with 429 or 403 */
	assert_int_equal(http_rate_wait(429, "7", NULL, NULL, now, 0), 7);
	assert_int_equal(http_rate_wait(403, "3", NULL, NULL, now, 0), 3);
	assert_int_equal(http_rate_wait(429, "0", NULL, NULL, now, 0), 1);
	/* GitHub's reset time when nothing is left */
	assert_int_equal(http_rate_wait(403, NULL, "0", "1000042", now, 0), 42);
	assert_int_equal(http_rate_wait(429, NULL, "0", "999000", now, 0), 1);
	assert_int_equal(http_rate_wait(429, NULL, NULL, "1000005", now, 0), 5);
	assert_int_equal(http_rate_wait(403, NULL, NULL, "1000005", now, 0),
			 -1);
	assert_int_equal(http_rate_wait(429, NULL, NULL, "soon", now, 2), 4);
	/* a 429 without a hint backs off: 1, 2, 4, ... at most 64 */
	assert_int_equal(http_rate_wait(429, NULL, NULL, NULL, now, 0), 1);
	assert_int_equal(http_rate_wait(429, NULL, NULL, NULL, now, 3), 8);
	assert_int_equal(http_rate_wait(429, NULL, NULL, NULL, now, 30), 64);
	/* an HTTP date */
	assert_true(http_rate_wait(429, "Wed, 21 Oct 2015 07:28:00 GMT", NULL,
				   NULL, 1445412470, 0) == 10);
}

static void test_webhook_signatures_are_checked(void **state)
{
	const char *body = "{\"action\": \"closed\"}";
	/* HMAC-SHA256(key "It's a Secret to Everybody", "Hello, World!")
	 * from GitHub's documentation */
	const char *doc_sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d"
			      "7586c22c46f4379c8b043e17";

	assert_true(webhook_signature_ok("It's a Secret to Everybody",
					 "Hello, World!", 13, doc_sig));
	assert_false(webhook_signature_ok("It's a Secret to Everybody",
					  "Hello, World?", 13, doc_sig));
	assert_false(webhook_signature_ok("another secret", "Hello, World!", 13,
					  doc_sig));
	assert_false(webhook_signature_ok("", body, strlen(body), doc_sig));
	assert_false(webhook_signature_ok("s", body, strlen(body), NULL));
	assert_false(
		webhook_signature_ok("s", body, strlen(body), "sha256=zz"));
	assert_false(
		webhook_signature_ok("s", body, strlen(body), doc_sig + 7));
	assert_true(webhook_secret_ok("abc", "abc"));
	assert_false(webhook_secret_ok("abc", "abd"));
	assert_false(webhook_secret_ok("abc", "abcd"));
	assert_false(webhook_secret_ok("", ""));
	assert_false(webhook_secret_ok("abc", NULL));
}

static void test_a_ticket_changes_when_a_page_would_show_it(void **state)
{
	struct arena *a = arena_new();
	struct record *x = record_new(a, &ticket_def), *y;

	record_set_str(x, TK_STATUS, "Open");
	record_set_int(x, TK_READ_AT, 100);
	y = record_copy(a, x);
	record_set_int(y, TK_READ_AT, 200); /* read again: no change */
	assert_false(ticket_state_changed(x, y));
	record_set_str(y, TK_STATUS, "Done");
	assert_true(ticket_state_changed(x, y));
	y = record_copy(a, x);
	record_set_str(y, TK_ERROR, "Jira ops answered HTTP 500");
	assert_true(ticket_state_changed(x, y));
	y = record_copy(a, x);
	record_set_str(y, TK_ASSIGNEE, "Bob");
	assert_true(ticket_state_changed(x, y));
	arena_free(a);
}

/* A store with two reviews: one for everyone, one restricted to "sec",
 * with a follow-up each. */
static struct store *two_reviews(char *dir, struct arena *a)
{
	struct store *st;
	struct err e;
	char path[128];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	assert_int_equal(store_open(path, &st, &e), E_OK);
	for (int i = 0; i < 2; i++) {
		struct review_doc doc = {0};
		struct record *fu = record_new(a, &followup_def);
		int64_t id;

		doc.review = record_new(a, &review_def);
		record_set_str(doc.review, REVIEW_TITLE, i ? "secret" : "open");
		record_fill_defaults(a, doc.review);
		if (i)
			assert_int_equal(
				record_parse_value(a, doc.review,
						   REVIEW_RESTRICTED_TO, "sec",
						   &e),
				E_OK);
		record_set_str(fu, FU_TITLE, i ? "rotate keys" : "add alert");
		record_set_str(fu, FU_DUE, "2026-01-01");
		record_fill_defaults(a, fu);
		doc.children[CHILD_FOLLOWUP].items =
			arena_alloc(a, sizeof(struct record *));
		doc.children[CHILD_FOLLOWUP].items[0] = fu;
		doc.children[CHILD_FOLLOWUP].n = 1;
		assert_int_equal(store_review_create(st, a, "t", &doc, &id, &e),
				 E_OK);
	}
	return st;
}

static void drop(struct store *st, const char *dir)
{
	char cmd[128];

	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_followup_lists_show_only_what_the_viewer_sees(void **state)
{
	char dir[] = "/tmp/debrief-fu-XXXXXX";
	struct arena *a = arena_new();
	struct store *st = two_reviews(dir, a);
	struct viewer ops = {0, "[\"ops\"]"}, sec = {0, "[\"sec\"]"};
	struct followup_filter f = {0};
	struct followup_row *rows;
	size_t n;
	int64_t total;
	struct err e;

	f.now = 1796119200; /* 2026-12-01 */
	f.linger_seconds = 30 * 86400;
	f.lingering = 1;
	assert_int_equal(store_followup_list(st, a, &f, &rows, &n, &total, &e),
			 E_OK);
	assert_int_equal(total, 2);
	f.viewer = &ops;
	assert_int_equal(store_followup_list(st, a, &f, &rows, &n, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	assert_int_equal(n, 1);
	assert_string_equal(record_str(rows[0].followup, FU_TITLE),
			    "add alert");
	assert_true(rows[0].past_due);
	assert_false(rows[0].stale); /* just created */
	assert_null(rows[0].ticket);
	f.viewer = &sec;
	assert_int_equal(store_followup_list(st, a, &f, &rows, &n, &total, &e),
			 E_OK);
	assert_int_equal(total, 2);
	/* before the due date, nothing lingers */
	f.now = 1700000000;
	assert_int_equal(store_followup_list(st, a, &f, &rows, &n, &total, &e),
			 E_OK);
	assert_int_equal(total, 0);
	drop(st, dir);
	arena_free(a);
}

/* The index's lingering note asks for the count alone (count_only): the
 * same total the list gives, for every viewer and day, and no rows. */
static void test_a_count_alone_reads_no_rows_and_agrees(void **state)
{
	char dir[] = "/tmp/debrief-fc-XXXXXX";
	struct arena *a = arena_new();
	struct store *st = two_reviews(dir, a);
	struct viewer ops = {0, "[\"ops\"]"}, sec = {0, "[\"sec\"]"};
	const struct viewer *viewers[] = {NULL, &ops, &sec};
	const int64_t days[] = {1796119200, 1700000000};
	struct followup_filter f = {0};
	struct followup_row *rows;
	size_t n;
	int64_t total, alone;
	struct err e;

	(void)state;
	f.linger_seconds = 30 * 86400;
	f.lingering = 1;
	for (size_t v = 0; v < 3; v++)
		for (size_t d = 0; d < 2; d++) {
			f.viewer = viewers[v];
			f.now = days[d];
			f.count_only = 0;
			assert_int_equal(store_followup_list(st, a, &f, &rows,
							     &n, &total, &e),
					 E_OK);
			f.count_only = 1;
			assert_int_equal(store_followup_list(st, a, &f, &rows,
							     &n, &alone, &e),
					 E_OK);
			assert_int_equal(alone, total);
			assert_int_equal(n, 0);
			assert_null(rows);
		}
	drop(st, dir);
	arena_free(a);
}

static void
test_a_ticket_read_again_moves_no_version_within_the_hour(void **state)
{
	char dir[] = "/tmp/debrief-tk-XXXXXX";
	struct arena *a = arena_new();
	struct store *st = two_reviews(dir, a);
	struct record *t = record_new(a, &ticket_def);
	struct record_list l;
	int64_t v1, v2, v3;
	struct err e;
	int changed;

	record_set_int(t, TK_FOLLOWUP_ID, 1);
	record_set_str(t, TK_TRACKER, "ops");
	record_set_str(t, TK_KEY, "OPS-1");
	record_set_str(t, TK_URL, "https://x.example/browse/OPS-1");
	record_set_str(t, TK_STATUS, "Open");
	record_fill_defaults(a, t);
	/* a follow-up of another review is not found */
	assert_int_equal(store_ticket_link(st, a, "t", 2, t, NULL, &e),
			 E_NOT_FOUND);
	assert_int_equal(store_ticket_link(st, a, "t", 1, t, &v1, &e), E_OK);
	assert_int_equal(store_ticket_list(st, a, 1, &l, &e), E_OK);
	assert_int_equal(l.n, 1);
	record_set_int(l.items[0], TK_READ_AT, 12345);
	assert_int_equal(
		store_ticket_save_state(st, a, l.items[0], &changed, &e), E_OK);
	assert_false(changed);
	assert_int_equal(store_review_version(st, 1, &v2, &e), E_OK);
	assert_int_equal(v2, v1);
	/* an hour after pages last got it, a read moves the version (the
	 * read time on cached pages), still without a change */
	{
		char path[128];
		sqlite3 *db;
		int64_t vh;

		snprintf(path, sizeof path, "%s/t.db", dir);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db,
					      "UPDATE tickets SET updated_at = "
					      "updated_at - 3700",
					      NULL, NULL, NULL),
				 SQLITE_OK);
		sqlite3_close(db);
		assert_int_equal(store_ticket_list(st, a, 1, &l, &e), E_OK);
		assert_int_equal(store_ticket_save_state(st, a, l.items[0],
							 &changed, &e),
				 E_OK);
		assert_false(changed);
		assert_int_equal(store_review_version(st, 1, &vh, &e), E_OK);
		assert_true(vh > v2);
		v2 = vh;
		/* and not again right after */
		assert_int_equal(store_ticket_list(st, a, 1, &l, &e), E_OK);
		assert_int_equal(store_ticket_save_state(st, a, l.items[0],
							 &changed, &e),
				 E_OK);
		assert_int_equal(store_review_version(st, 1, &vh, &e), E_OK);
		assert_int_equal(vh, v2);
	}
	record_set_str(l.items[0], TK_STATUS, "Done");
	assert_int_equal(
		store_ticket_save_state(st, a, l.items[0], &changed, &e), E_OK);
	assert_true(changed);
	assert_int_equal(store_review_version(st, 1, &v3, &e), E_OK);
	assert_true(v3 > v2);
	/* found by key; relinking replaces it */
	assert_int_equal(store_ticket_find(st, a, "ops", "OPS-1", &l, &e),
			 E_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(record_str(l.items[0], TK_STATUS), "Done");
	t->id = 0;
	record_set_str(t, TK_KEY, "OPS-2");
	assert_int_equal(store_ticket_link(st, a, "t", 1, t, NULL, &e), E_OK);
	assert_int_equal(store_ticket_sync_list(st, a, NULL, &l, &e), E_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(record_str(l.items[0], TK_KEY), "OPS-2");
	/* the ticket it replaced is gone */
	assert_int_equal(store_ticket_find(st, a, "ops", "OPS-1", &l, &e),
			 E_OK);
	assert_int_equal(l.n, 0);
	drop(st, dir);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trackers_are_read_from_the_configuration),
		cmocka_unit_test(
			test_tracker_secrets_come_from_the_environment),
		cmocka_unit_test(test_bad_tracker_settings_are_named),
		cmocka_unit_test(test_keys_and_urls_become_canonical_keys),
		cmocka_unit_test(test_tracker_times_are_read_in_utc),
		cmocka_unit_test(test_owners_map_to_tracker_users),
		cmocka_unit_test(test_issues_are_read_with_what_they_hold),
		cmocka_unit_test(test_rate_limits_say_how_long_to_wait),
		cmocka_unit_test(test_webhook_signatures_are_checked),
		cmocka_unit_test(
			test_a_ticket_changes_when_a_page_would_show_it),
		cmocka_unit_test(
			test_followup_lists_show_only_what_the_viewer_sees),
		cmocka_unit_test(test_a_count_alone_reads_no_rows_and_agrees),
		cmocka_unit_test(
			test_a_ticket_read_again_moves_no_version_within_the_hour),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
