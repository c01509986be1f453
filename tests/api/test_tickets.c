/* test_tickets.c: follow-ups' tickets against a fake Jira and a fake GitHub
 * on 127.0.0.1 (fake_trackers.h): create and link, the bad answers a
 * tracker can give (401, 404, 500, HTML, too slow, rate limits), and that
 * no token ever shows in an answer or the server's log. No test reaches
 * the internet. */
#include "api/api_checks.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include "api/fake_trackers.h"

struct env {
	struct hs s;
	struct MHD_Daemon *d;
	char conf[400];
};

/* write_conf: trackers ops (Jira), gh (GitHub), wrong (Jira with a wrong
 * token), slow (Jira with a 1 s timeout). */
static void write_conf(const char *path, int port, const char *extra)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f,
		"public_url = https://debrief.example.com\n"
		"sync_interval = 0\n"
		"linger_days = 5\n"
		"access_log = true\n"
		"tracker.ops.type = jira\n"
		"tracker.ops.url = http://127.0.0.1:%d/jira\n"
		"tracker.ops.project = OPS\n"
		"tracker.ops.user = " JIRA_USER "\n"
		"tracker.ops.token = " JIRA_TOKEN "\n"
		"tracker.ops.secret = jira-hook-secret\n"
		"tracker.ops.labels = postmortem, follow up\n"
		"tracker.ops.users = alice=5b10ac8d82e05b22cc7d4ef5\n"
		"tracker.gh.type = github\n"
		"tracker.gh.url = http://127.0.0.1:%d/gh\n"
		"tracker.gh.repository = acme/web\n"
		"tracker.gh.token = " GH_TOKEN "\n"
		"tracker.gh.secret = gh-hook-secret\n"
		"tracker.gh.users = bob=bob-gh\n"
		"tracker.gh.labels = postmortem, follow up\n"
		"tracker.wrong.type = jira\n"
		"tracker.wrong.url = http://127.0.0.1:%d/jira\n"
		"tracker.wrong.project = OPS\n"
		"tracker.wrong.user = " JIRA_USER "\n"
		"tracker.wrong.token = not-the-token-55\n"
		"tracker.slow.type = jira\n"
		"tracker.slow.url = http://127.0.0.1:%d/jira\n"
		"tracker.slow.project = OPS\n"
		"tracker.slow.user = " JIRA_USER "\n"
		"tracker.slow.token = " JIRA_TOKEN "\n"
		"tracker.slow.timeout = 1\n"
		"tracker.dc.type = jira\n"
		"tracker.dc.api_version = 2\n"
		"tracker.dc.url = http://127.0.0.1:%d/jira\n"
		"tracker.dc.project = OPS\n"
		"tracker.dc.user = " JIRA_USER "\n"
		"tracker.dc.token = " JIRA_TOKEN "\n"
		"tracker.dc.users = alice=alice.smith\n%s",
		port, port, port, port, port, extra ? extra : "");
	fclose(f);
}

static int env_up(void **state)
{
	struct env *v = calloc(1, sizeof *v);
	char tmpl[] = "/tmp/debrief-tickets-XXXXXX";
	const char *args[] = {"--config", NULL, NULL};

	if (!v || !mkdtemp(tmpl) || !(v->d = fake_start()))
		return -1;
	snprintf(v->s.dir, sizeof v->s.dir, "%s", tmpl);
	snprintf(v->conf, sizeof v->conf, "%s/debrief.conf", tmpl);
	write_conf(v->conf, fake_port, NULL);
	args[1] = v->conf;
	if (hs_start(&v->s, args) < 0)
		return -1;
	*state = v;
	return 0;
}

static int env_down(void **state)
{
	struct env *v = *state;
	int rc = 0;

	if (!v)
		return 0;
	if (v->s.pid > 0 && hs_stop(&v->s) != 0)
		rc = -1;
	MHD_stop_daemon(v->d);
	hs_cleanup(&v->s);
	free(v);
	return rc;
}

/* no_secrets: no token or secret in text. */
static void no_secrets(const char *text)
{
	assert_non_null(text);
	assert_null(strstr(text, JIRA_TOKEN));
	assert_null(strstr(text, GH_TOKEN));
	assert_null(strstr(text, "not-the-token-55"));
	assert_null(strstr(text, "hook-secret"));
}

/* log_has_no_secrets reads the server's log (every request is in it:
 * access_log is on); returns whether it holds want (may be NULL). */
static int log_has_no_secrets_but(struct hs *s, const char *want)
{
	FILE *f = fopen(s->log, "r");
	static char text[1 << 20];
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	no_secrets(text);
	return want && strstr(text, want) != NULL;
}

static void log_has_no_secrets(struct hs *s)
{
	log_has_no_secrets_but(s, NULL);
}

/* ticket posts body to follow-up fid of review 1; r is kept. */
static long ticket(struct hs *s, int64_t fid, const char *body,
		   struct http_resp *r)
{
	char path[96];

	http_json(s, "POST",
		  PATHF(path, "/api/v1/reviews/1/followups/%lld/ticket",
			(long long)fid),
		  body, r);
	if (r->body)
		no_secrets(r->body);
	return r->status;
}

static json_t *followup(struct hs *s, int64_t fid)
{
	char path[64];

	return get_json(
		s,
		PATHF(path, "/api/v1/reviews/1/followups/%lld", (long long)fid),
		200);
}

/* sync_cli runs `debrief sync ARGS --config conf --db db`; its output
 * (stdout and stderr) into out. Returns the exit status. */
static int sync_cli(struct env *v, const char *conf, const char *args,
		    char *out, size_t n)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[2048], path[400];
	size_t got;
	FILE *f;
	int st;

	snprintf(path, sizeof path, "%s/sync.out", v->s.dir);
	snprintf(cmd, sizeof cmd,
		 "'%s' sync %s --config '%s' --db '%s' > '%s' 2>&1",
		 bin && *bin ? bin : "./debrief", args, conf, v->s.db, path);
	st = system(cmd);
	f = fopen(path, "r");
	assert_non_null(f);
	got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
	no_secrets(out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *ticket_of(struct env *v, int64_t fid)
{
	json_t *f = followup(&v->s, fid);
	json_t *t = json_incref(json_object_get(f, "ticket"));

	json_decref(f);
	return t;
}

static void make_review(struct hs *s)
{
	assert_int_equal(
		create_review(
			s,
			"{\"title\": \"checkout errors\", \"followups\": ["
			"{\"title\": \"Alert on checkout error rate\", "
			"\"description\": \"Page when errors pass 2%.\", "
			"\"owner\": \"alice\"},"
			"{\"title\": \"Retry payment calls\", \"owner\": \"bob\"},"
			"{\"title\": \"Document the rollback\", \"status\": "
			"\"done\"}]}"),
		1);
}

static void test_create_a_jira_ticket_from_a_follow_up(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	json_t *t, *f, *desc;
	char *text;

	make_review(&v->s);
	assert_int_equal(ticket(&v->s, 1, "{\"tracker\": \"ops\"}", &r), 201);
	t = json_object_get(r.json, "ticket");
	assert_true(json_is_object(t));
	assert_string_equal(jstr(t, "tracker"), "ops");
	assert_string_equal(jstr(t, "key"), "OPS-3");
	assert_non_null(strstr(jstr(t, "url"), "/jira/browse/OPS-3"));
	assert_string_equal(jstr(t, "status"), "To Do");
	assert_true(json_is_null(json_object_get(t, "assignee")));
	assert_non_null(jstr(t, "read_at"));
	assert_string_equal(jstr(t, "updated"), "2026-12-06T05:00:00Z");
	assert_false(json_is_true(json_object_get(t, "done")));
	http_resp_free(&r);
	/* what Jira was sent: summary, a description linking back (an
	 * Atlassian document in v3), labels without spaces, the mapped
	 * assignee */
	f = json_object_get(fake.last_create, "fields");
	assert_string_equal(jstr(f, "summary"), "Alert on checkout error rate");
	assert_string_equal(jstr(json_object_get(f, "project"), "key"), "OPS");
	assert_string_equal(jstr(json_object_get(f, "issuetype"), "name"),
			    "Task");
	assert_string_equal(jstr(json_object_get(f, "assignee"), "accountId"),
			    "5b10ac8d82e05b22cc7d4ef5");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(f, "labels"), 1)),
			    "follow-up");
	desc = json_object_get(f, "description");
	assert_string_equal(jstr(desc, "type"), "doc");
	text = json_dumps(desc, 0);
	assert_non_null(strstr(text, "https://debrief.example.com/reviews/1"));
	assert_non_null(strstr(text, "Page when errors pass 2%."));
	free(text);
	/* the follow-up, the review and the list all show it */
	t = followup(&v->s, 1);
	assert_string_equal(jstr(json_object_get(t, "ticket"), "key"), "OPS-3");
	json_decref(t);
	t = get_review(&v->s, 1);
	f = json_array_get(json_object_get(t, "followups"), 0);
	assert_string_equal(jstr(json_object_get(f, "ticket"), "status"),
			    "To Do");
	/* the others have no ticket: their field stays as it was */
	assert_true(json_is_null(json_object_get(
		json_array_get(json_object_get(t, "followups"), 1), "ticket")));
	json_decref(t);
	t = get_json(&v->s, "/api/v1/reviews/1/followups", 200);
	f = json_array_get(json_object_get(t, "followups"), 0);
	assert_string_equal(jstr(json_object_get(f, "ticket"), "key"), "OPS-3");
	json_decref(t);
	/* the link is in the follow-up's history */
	t = get_json(&v->s, "/api/v1/reviews/1/revisions", 200);
	text = json_dumps(t, 0);
	assert_non_null(strstr(text, "/jira/browse/OPS-3"));
	free(text);
	json_decref(t);

	/* GitHub: the issue, its mapped assignee, the labels as they are */
	assert_int_equal(ticket(&v->s, 2, "{\"tracker\": \"gh\"}", &r), 201);
	t = json_object_get(r.json, "ticket");
	assert_string_equal(jstr(t, "key"), "acme/web#2");
	assert_string_equal(jstr(t, "url"),
			    "https://github.example/acme/web/issues/2");
	assert_string_equal(jstr(t, "status"), "open");
	http_resp_free(&r);
	assert_string_equal(jstr(fake.last_create, "title"),
			    "Retry payment calls");
	assert_string_equal(
		json_string_value(json_array_get(
			json_object_get(fake.last_create, "assignees"), 0)),
		"bob-gh");
	assert_string_equal(
		json_string_value(json_array_get(
			json_object_get(fake.last_create, "labels"), 1)),
		"follow up");
	assert_non_null(strstr(jstr(fake.last_create, "body"),
			       "https://debrief.example.com/reviews/1"));
	log_has_no_secrets(&v->s);
}

static void test_jira_server_speaks_rest_v2(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	json_t *f, *t;
	char out[2048];

	make_review(&v->s);
	assert_int_equal(ticket(&v->s, 1, "{\"tracker\": \"dc\"}", &r), 201);
	assert_string_equal(jstr(json_object_get(r.json, "ticket"), "key"),
			    "OPS-3");
	http_resp_free(&r);
	/* v2: the description is text, the assignee a user name */
	f = json_object_get(fake.last_create, "fields");
	assert_true(json_is_string(json_object_get(f, "description")));
	assert_non_null(strstr(jstr(f, "description"),
			       "https://debrief.example.com/reviews/1"));
	assert_string_equal(jstr(json_object_get(f, "assignee"), "name"),
			    "alice.smith");
	assert_int_equal(ticket(&v->s, 2,
				"{\"tracker\": \"dc\", \"key\": \"OPS-2\"}",
				&r),
			 200);
	http_resp_free(&r);
	/* the v2 search */
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[2].status, 32, "In Progress");
	pthread_mutex_unlock(&fake.mu);
	assert_int_equal(sync_cli(v, v->conf, "dc", out, sizeof out), 0);
	assert_non_null(strstr(out, "2 tickets read, 1 changed"));
	assert_int_equal(fake.jira_searches, 1);
	assert_true(fake.jira_v2_calls >= 4);
	t = ticket_of(v, 1);
	assert_string_equal(jstr(t, "status"), "In Progress");
	json_decref(t);
}

static void test_link_an_existing_ticket_by_key_or_url(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	json_t *t;

	make_review(&v->s);
	/* a key, any case; read from Jira to check it */
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"ops-1\"}",
				&r),
			 200);
	t = json_object_get(r.json, "ticket");
	assert_string_equal(jstr(t, "key"), "OPS-1");
	assert_string_equal(jstr(t, "status"), "In Progress");
	assert_string_equal(jstr(t, "assignee"), "Alice Ops");
	assert_string_equal(jstr(t, "updated"), "2026-11-30T08:15:00Z");
	assert_int_equal(fake.jira_creates, 0);
	http_resp_free(&r);
	/* a URL; the ticket is closed while the follow-up is open: said */
	{
		char body[256];
		snprintf(body, sizeof body,
			 "{\"tracker\": \"ops\", \"key\": "
			 "\"http://127.0.0.1:%d/jira/browse/OPS-2\"}",
			 fake_port);
		assert_int_equal(ticket(&v->s, 2, body, &r), 200);
	}
	t = json_object_get(r.json, "ticket");
	assert_string_equal(jstr(t, "key"), "OPS-2");
	assert_true(json_is_true(json_object_get(t, "done")));
	assert_true(json_is_true(json_object_get(t, "closed_but_open")));
	http_resp_free(&r);
	/* GitHub by URL, and relinking replaces the ticket */
	assert_int_equal(
		ticket(&v->s, 1,
		       "{\"tracker\": \"gh\", \"key\": "
		       "\"https://github.example/acme/web/issues/1#top\"}",
		       &r),
		200);
	t = json_object_get(r.json, "ticket");
	assert_string_equal(jstr(t, "key"), "acme/web#1");
	assert_string_equal(jstr(t, "assignee"), "octocat");
	http_resp_free(&r);
	t = followup(&v->s, 1);
	assert_string_equal(jstr(json_object_get(t, "ticket"), "tracker"),
			    "gh");
	json_decref(t);
	log_has_no_secrets(&v->s);
}

static void test_bad_links_change_nothing_and_say_why(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	json_t *before;

	make_review(&v->s);
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"OPS-1\"}",
				&r),
			 200);
	http_resp_free(&r);
	before = get_review(&v->s, 1);

	/* no such ticket: Jira's 404 */
	ticket(&v->s, 1, "{\"tracker\": \"ops\", \"key\": \"OPS-99\"}", &r);
	check_error(&r, 422, "invalid", "key");
	assert_non_null(strstr(r.body, "OPS-99"));
	http_resp_free(&r);
	ticket(&v->s, 1, "{\"tracker\": \"gh\", \"key\": \"#77\"}", &r);
	check_error(&r, 422, "invalid", "key");
	http_resp_free(&r);
	/* not a key, another repository, another Jira */
	ticket(&v->s, 1, "{\"tracker\": \"ops\", \"key\": \"fix it\"}", &r);
	check_error(&r, 422, "invalid", "key");
	http_resp_free(&r);
	ticket(&v->s, 1,
	       "{\"tracker\": \"gh\", \"key\": "
	       "\"https://github.com/other/repo/issues/1\"}",
	       &r);
	check_error(&r, 422, "invalid", "key");
	http_resp_free(&r);
	ticket(&v->s, 1,
	       "{\"tracker\": \"ops\", \"key\": "
	       "\"https://evil.example/browse/OPS-1\"}",
	       &r);
	check_error(&r, 422, "invalid", "key");
	http_resp_free(&r);
	/* the tracker: missing, unknown; bad members */
	ticket(&v->s, 1, "{}", &r);
	check_error(&r, 422, "invalid", "tracker");
	http_resp_free(&r);
	ticket(&v->s, 1, "{\"tracker\": \"nope\"}", &r);
	check_error(&r, 422, "invalid", "tracker");
	http_resp_free(&r);
	ticket(&v->s, 1, "{\"tracker\": \"ops\", \"key\": 7}", &r);
	check_error(&r, 400, "bad_request", "key");
	http_resp_free(&r);
	ticket(&v->s, 1, "{\"tracker\": \"ops\", \"summary\": \"x\"}", &r);
	check_error(&r, 400, "bad_request", "summary");
	http_resp_free(&r);
	/* no such follow-up */
	ticket(&v->s, 99, "{\"tracker\": \"ops\"}", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);

	/* the tracker fails: wrong token (401 with HTML), 500, HTML with
	 * 200, too slow */
	ticket(&v->s, 1, "{\"tracker\": \"wrong\"}", &r);
	check_error(&r, 502, "tracker_error", "tracker");
	assert_non_null(strstr(r.body, "refused the credentials (HTTP 401)"));
	http_resp_free(&r);
	fake.send_500 = 1;
	ticket(&v->s, 1, "{\"tracker\": \"ops\", \"key\": \"OPS-2\"}", &r);
	check_error(&r, 502, "tracker_error", "tracker");
	assert_non_null(strstr(r.body, "HTTP 500"));
	http_resp_free(&r);
	fake.send_html = 1;
	ticket(&v->s, 1, "{\"tracker\": \"gh\"}", &r);
	check_error(&r, 502, "tracker_error", "tracker");
	assert_non_null(strstr(r.body, "HTML instead of JSON"));
	http_resp_free(&r);
	fake.slow_seconds = 3;
	ticket(&v->s, 1, "{\"tracker\": \"slow\", \"key\": \"OPS-2\"}", &r);
	fake.slow_seconds = 0;
	check_error(&r, 502, "tracker_error", "tracker");
	assert_non_null(strstr(r.body, "no answer within 1 s"));
	http_resp_free(&r);
	assert_unchanged(&v->s, 1, before);
	json_decref(before);
	log_has_no_secrets(&v->s);
}

static void test_rate_limits_are_waited_out(void **state)
{
	struct env *v = *state;
	struct http_resp r;

	make_review(&v->s);
	/* a 429 with Retry-After: 1, then the answer */
	fake.send_429 = 1;
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"OPS-1\"}",
				&r),
			 200);
	assert_int_equal(fake.rate_limited, 1);
	http_resp_free(&r);
	/* GitHub's 403 with X-RateLimit-Remaining: 0 and a reset time */
	fake.send_403_reset = 1;
	assert_int_equal(ticket(&v->s, 2, "{\"tracker\": \"gh\"}", &r), 201);
	assert_int_equal(fake.rate_limited, 2);
	assert_int_equal(fake.gh_creates, 1);
	http_resp_free(&r);
	/* one that does not end: a person is not kept waiting */
	fake.send_429 = 50;
	ticket(&v->s, 3, "{\"tracker\": \"ops\"}", &r);
	check_error(&r, 502, "tracker_error", "tracker");
	assert_non_null(strstr(r.body, "rate limited"));
	http_resp_free(&r);
	fake.send_429 = 0;
}

/* sign writes "sha256=HEX" of body under secret into out. */
static void sign(const char *secret, const char *body, char out[80])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[32];
	char hex[65];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
				    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
				      strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, 80, "sha256=%s", hex);
}

/* hook posts body to path with header (may be NULL). */
static long hook(struct hs *s, const char *path, const char *header,
		 const char *body, struct http_resp *r)
{
	const char *h[] = {header, "X-GitHub-Event: issues", NULL};

	http_do(s, "POST", path, "application/json", body, header ? h : h + 1,
		r);
	return r->status;
}

static int refusals(struct hs *s)
{
	json_t *j = get_json(s, "/api/v1/audit?limit=100", 200);
	char *text = json_dumps(j, 0);
	int n = 0;

	for (const char *p = text; (p = strstr(p, "webhook.refused")); p++)
		n++;
	no_secrets(text);
	free(text);
	json_decref(j);
	return n;
}

static void test_webhooks_change_status_only_when_signed(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	char sig[80], hdr[120];
	json_t *t, *before;
	const char *gh_closed =
		"{\"action\": \"closed\", \"issue\": {\"number\": 1, "
		"\"state\": \"closed\", \"state_reason\": \"completed\", "
		"\"html_url\": \"https://github.example/acme/web/issues/1\", "
		"\"assignee\": {\"login\": \"hubot\"}, \"updated_at\": "
		"\"2026-12-06T04:00:00Z\"}, \"repository\": {\"full_name\": "
		"\"acme/web\"}}";
	const char *jira_done =
		"{\"webhookEvent\": \"jira:issue_updated\", \"issue\": "
		"{\"key\": \"OPS-1\", \"fields\": {\"status\": {\"name\": "
		"\"Resolved\", \"statusCategory\": {\"key\": \"done\"}}, "
		"\"assignee\": {\"displayName\": \"Carol\"}, \"updated\": "
		"\"2026-12-06T04:30:00.000+0000\"}}}";
	char *big;

	make_review(&v->s);
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"OPS-1\"}",
				&r),
			 200);
	http_resp_free(&r);
	assert_int_equal(
		ticket(&v->s, 2, "{\"tracker\": \"gh\", \"key\": \"1\"}", &r),
		200);
	http_resp_free(&r);
	before = get_review(&v->s, 1);

	/* refused: no signature, a wrong one, another secret's, a wrong
	 * ?secret=; each audited, nothing changed */
	assert_int_equal(hook(&v->s, "/hooks/github", NULL, gh_closed, &r),
			 401);
	check_error(&r, 401, "bad_signature", "signature");
	http_resp_free(&r);
	assert_int_equal(hook(&v->s, "/hooks/github",
			      "X-Hub-Signature-256: sha256=00", gh_closed, &r),
			 401);
	http_resp_free(&r);
	sign("jira-hook-secret", gh_closed, sig);
	snprintf(hdr, sizeof hdr, "X-Hub-Signature-256: %s", sig);
	assert_int_equal(hook(&v->s, "/hooks/github", hdr, gh_closed, &r), 401);
	http_resp_free(&r);
	assert_int_equal(hook(&v->s, "/hooks/jira?secret=gh-hook-secret", NULL,
			      jira_done, &r),
			 401);
	http_resp_free(&r);
	sign("gh-hook-secret", gh_closed, sig);
	snprintf(hdr, sizeof hdr, "X-Hub-Signature-256: %s", sig);
	assert_int_equal(hook(&v->s, "/hooks/github", hdr, jira_done, &r), 401);
	http_resp_free(&r);
	assert_int_equal(refusals(&v->s), 5);
	/* 50 MB: refused before it is read */
	big = malloc(50u * 1024 * 1024 + 1);
	assert_non_null(big);
	memset(big, ' ', 50u * 1024 * 1024);
	big[50u * 1024 * 1024] = '\0';
	assert_int_equal(hook(&v->s, "/hooks/github", hdr, big, &r), 413);
	http_resp_free(&r);
	free(big);
	assert_unchanged(&v->s, 1, before);
	json_decref(before);

	/* GitHub, signed: the issue is closed at once */
	assert_int_equal(hook(&v->s, "/hooks/github", hdr, gh_closed, &r), 200);
	assert_int_equal(jint(r.json, "updated"), 1);
	http_resp_free(&r);
	t = ticket_of(v, 2);
	assert_string_equal(jstr(t, "status"), "closed (completed)");
	assert_string_equal(jstr(t, "assignee"), "hubot");
	assert_true(json_is_true(json_object_get(t, "done")));
	assert_true(json_is_true(json_object_get(t, "closed_but_open")));
	json_decref(t);
	/* signed but not JSON: 400; a ping: 200 */
	sign("gh-hook-secret", "nope", sig);
	snprintf(hdr, sizeof hdr, "X-Hub-Signature-256: %s", sig);
	assert_int_equal(hook(&v->s, "/hooks/github", hdr, "nope", &r), 400);
	http_resp_free(&r);

	/* Jira: the secret in the URL, or its HMAC header */
	assert_int_equal(hook(&v->s, "/hooks/jira?secret=jira-hook-secret",
			      NULL, jira_done, &r),
			 200);
	assert_int_equal(jint(r.json, "updated"), 1);
	http_resp_free(&r);
	t = ticket_of(v, 1);
	assert_string_equal(jstr(t, "status"), "Resolved");
	assert_string_equal(jstr(t, "assignee"), "Carol");
	assert_string_equal(jstr(t, "updated"), "2026-12-06T04:30:00Z");
	json_decref(t);
	sign("jira-hook-secret", jira_done, sig);
	snprintf(hdr, sizeof hdr, "X-Hub-Signature: %s", sig);
	assert_int_equal(hook(&v->s, "/hooks/jira", hdr, jira_done, &r), 200);
	http_resp_free(&r);
	/* a ticket nobody linked: fine, nothing to do */
	{
		const char *other = "{\"issue\": {\"key\": \"OPS-77\", "
				    "\"fields\": {}}}";
		sign("jira-hook-secret", other, sig);
		snprintf(hdr, sizeof hdr, "X-Hub-Signature: %s", sig);
		assert_int_equal(hook(&v->s, "/hooks/jira", hdr, other, &r),
				 200);
		assert_int_equal(jint(r.json, "updated"), 0);
		http_resp_free(&r);
	}
	/* deleted in Jira: the state stays, the error says so */
	{
		const char *del = "{\"webhookEvent\": \"jira:issue_deleted\", "
				  "\"issue\": {\"key\": \"OPS-1\", "
				  "\"fields\": {}}}";
		assert_int_equal(hook(&v->s,
				      "/hooks/jira?secret=jira-hook-secret&"
				      "tracker=ops",
				      NULL, del, &r),
				 200);
		assert_int_equal(jint(r.json, "updated"), 1);
		http_resp_free(&r);
		t = ticket_of(v, 1);
		assert_string_equal(jstr(t, "status"), "Resolved");
		assert_non_null(strstr(jstr(t, "error"), "OPS-1 was deleted"));
		json_decref(t);
	}
	assert_int_equal(refusals(&v->s), 5);
	/* no secret in an export either */
	assert_int_equal(http_get(&v->s, "/api/v1/export", &r), 200);
	no_secrets(r.body);
	assert_non_null(strstr(r.body, "acme/web/issues/1"));
	http_resp_free(&r);
	/* the hooks were logged, the ?secret= of their URLs was not */
	assert_true(log_has_no_secrets_but(&v->s, "/hooks/jira"));
}

static void test_the_review_page_shows_tickets_and_links_them(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	json_t *before;

	make_review(&v->s);
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[0].assignee, 64, "<script>alert(1)</script>");
	pthread_mutex_unlock(&fake.mu);
	/* the form links OPS-1 to follow-up 1 and goes back to the page */
	assert_int_equal(http_form(&v->s, "/reviews/1/followups/1/ticket",
				   "tracker=ops&key=OPS-1", &r),
			 303);
	http_resp_free(&r);
	/* an empty key creates one */
	assert_int_equal(http_form(&v->s, "/reviews/1/followups/2/ticket",
				   "tracker=gh&key=", &r),
			 303);
	http_resp_free(&r);
	assert_int_equal(fake.gh_creates, 1);
	assert_int_equal(
		ticket(&v->s, 3, "{\"tracker\": \"gh\", \"key\": \"1\"}", &r),
		200);
	http_resp_free(&r);
	assert_int_equal(http_get(&v->s, "/reviews/1", &r), 200);
	no_secrets(r.body);
	assert_non_null(strstr(r.body, ">OPS-1</a>"));
	assert_non_null(strstr(r.body, "In Progress"));
	assert_non_null(
		strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(r.body, "<script>alert(1)"));
	assert_non_null(strstr(r.body, ">acme/web#2</a>"));
	/* follow-up 3 is done, its issue open: said */
	assert_non_null(strstr(r.body, "follow-up is done but its ticket is "
				       "still open"));
	/* the editor's form names each tracker */
	assert_non_null(strstr(r.body, "<option value=\"ops\">ops (Jira)"));
	http_resp_free(&r);

	/* a bad key through the form: a page that says why, nothing changed */
	before = get_review(&v->s, 1);
	assert_int_equal(http_form(&v->s, "/reviews/1/followups/1/ticket",
				   "tracker=ops&key=OPS-404", &r),
			 422);
	assert_non_null(strstr(r.body, "has no ticket OPS-404"));
	http_resp_free(&r);
	assert_int_equal(http_form(&v->s, "/reviews/1/followups/1/ticket",
				   "tracker=wrong", &r),
			 502);
	assert_non_null(strstr(r.body, "refused the credentials"));
	no_secrets(r.body);
	http_resp_free(&r);
	assert_unchanged(&v->s, 1, before);
	json_decref(before);

	/* a read error shows on the page */
	fake.send_html = 100;
	{
		char out[2048];
		assert_int_equal(sync_cli(v, v->conf, "ops", out, sizeof out),
				 1);
	}
	fake.send_html = 0;
	assert_int_equal(http_get(&v->s, "/reviews/1", &r), 200);
	assert_non_null(strstr(r.body, "Could not read it: Jira ops answered "
				       "HTML instead of JSON"));
	http_resp_free(&r);
}

static void test_sync_reads_tickets_in_batches(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	char out[4096], conf2[420], conf3[420];
	json_t *t;
	int64_t version;

	make_review(&v->s);
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"OPS-1\"}",
				&r),
			 200);
	http_resp_free(&r);
	assert_int_equal(ticket(&v->s, 2, "{\"tracker\": \"ops\"}", &r), 201);
	http_resp_free(&r);
	assert_int_equal(
		ticket(&v->s, 3, "{\"tracker\": \"gh\", \"key\": \"1\"}", &r),
		200);
	http_resp_free(&r);

	/* nothing moved: one search for both Jira tickets, no version moves */
	version = review_version(&v->s, 1);
	fake.jira_gets = 0;
	assert_int_equal(sync_cli(v, v->conf, "", out, sizeof out), 0);
	assert_non_null(strstr(out, "3 tickets read, 0 changed"));
	assert_int_equal(fake.jira_searches, 1);
	assert_int_equal(fake.jira_gets, 0);
	assert_int_equal(review_version(&v->s, 1), version);

	/* the trackers move on; a 429 on the way */
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[0].status, 32, "Done");
	fake.jira[0].done = 1;
	snprintf(fake.jira[0].assignee, 64, "Bob Ops");
	snprintf(fake.jira[0].updated, 40, "2026-12-05T12:00:00.000+0000");
	fake.send_429 = 1;
	pthread_mutex_unlock(&fake.mu);
	assert_int_equal(sync_cli(v, v->conf, "", out, sizeof out), 0);
	assert_non_null(strstr(out, "3 tickets read, 1 changed"));
	assert_int_equal(fake.rate_limited, 1);
	t = ticket_of(v, 1);
	assert_string_equal(jstr(t, "status"), "Done");
	assert_string_equal(jstr(t, "assignee"), "Bob Ops");
	assert_string_equal(jstr(t, "updated"), "2026-12-05T12:00:00Z");
	/* closed in Jira while the follow-up is open: said plainly */
	assert_true(json_is_true(json_object_get(t, "closed_but_open")));
	json_decref(t);
	assert_true(review_version(&v->s, 1) > version);

	/* close_followup: a ticket that becomes done marks its follow-up
	 * done (once: a follow-up reopened later stays open) */
	snprintf(conf3, sizeof conf3, "%s/follow.conf", v->s.dir);
	write_conf(conf3, fake_port, "tracker.ops.close_followup = true\n");
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[0].status, 32, "In Progress");
	fake.jira[0].done = 0;
	pthread_mutex_unlock(&fake.mu);
	assert_int_equal(sync_cli(v, conf3, "ops", out, sizeof out), 0);
	assert_non_null(strstr(out, "0 follow-ups marked done"));
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[0].status, 32, "Done");
	fake.jira[0].done = 1;
	pthread_mutex_unlock(&fake.mu);
	assert_int_equal(sync_cli(v, conf3, "ops", out, sizeof out), 0);
	assert_non_null(strstr(out, "1 follow-up marked done"));
	t = followup(&v->s, 1);
	assert_string_equal(jstr(t, "status"), "done");
	assert_false(json_is_true(
		json_object_get(json_object_get(t, "ticket"), "closed_but_open")));
	json_decref(t);
	t = get_json(&v->s, "/api/v1/reviews/1/revisions", 200);
	{
		char *text = json_dumps(t, 0);
		assert_non_null(strstr(text, "ops (tracker)"));
		free(text);
	}
	json_decref(t);
	assert_int_equal(http_json(&v->s, "PATCH",
				   "/api/v1/reviews/1/followups/1",
				   "{\"status\": \"open\"}", &r),
			 200);
	http_resp_free(&r);
	assert_int_equal(sync_cli(v, conf3, "ops", out, sizeof out), 0);
	assert_non_null(strstr(out, "0 follow-ups marked done"));
	t = followup(&v->s, 1);
	assert_string_equal(jstr(t, "status"), "open");
	json_decref(t);

	/* a Jira without search/jql: the older /search does */
	fake.old_jira = 1;
	fake.jira_searches = 0;
	assert_int_equal(sync_cli(v, v->conf, "ops", out, sizeof out), 0);
	assert_non_null(strstr(out, "2 tickets read, 0 changed"));
	assert_int_equal(fake.jira_searches, 1);
	fake.old_jira = 0;

	/* GitHub: one GraphQL query; an issue it lacks is missing; without
	 * GraphQL, issue by issue */
	fake.gh_gets = fake.gh_graphql = 0;
	assert_int_equal(sync_cli(v, v->conf, "gh", out, sizeof out), 0);
	assert_non_null(strstr(out, "1 ticket read, 0 changed"));
	assert_int_equal(fake.gh_graphql, 1);
	assert_int_equal(fake.gh_gets, 0);
	fake.no_graphql = 1;
	assert_int_equal(sync_cli(v, v->conf, "gh", out, sizeof out), 0);
	assert_non_null(strstr(out, "1 ticket read, 0 changed"));
	assert_int_equal(fake.gh_gets, 1);
	fake.no_graphql = 0;
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.gh[0].key, 32, "100");
	pthread_mutex_unlock(&fake.mu);
	assert_int_equal(sync_cli(v, v->conf, "gh", out, sizeof out), 0);
	assert_non_null(strstr(out, "0 tickets read, 1 changed, 1 missing"));
	t = ticket_of(v, 3);
	assert_non_null(strstr(jstr(t, "error"), "has no ticket acme/web#1"));
	json_decref(t);
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.gh[0].key, 32, "1");
	pthread_mutex_unlock(&fake.mu);

	/* a ticket Jira no longer has: the search fails (as Jira's does),
	 * each is read on its own, the missing one says so */
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[2].key, 32, "OPS-300");
	pthread_mutex_unlock(&fake.mu);
	assert_int_equal(sync_cli(v, v->conf, "ops", out, sizeof out), 0);
	assert_non_null(strstr(out, "1 ticket read, 1 changed, 1 missing"));
	t = ticket_of(v, 2);
	assert_non_null(strstr(jstr(t, "error"), "has no ticket OPS-3"));
	assert_string_equal(jstr(t, "status"), "To Do"); /* as last read */
	json_decref(t);

	/* the tracker is down: exit 1, the error kept, the state stays */
	fake.send_500 = 100;
	assert_int_equal(sync_cli(v, v->conf, "gh", out, sizeof out), 1);
	fake.send_500 = 0;
	assert_non_null(strstr(out, "GitHub gh answered HTTP 500"));
	t = ticket_of(v, 3);
	assert_non_null(strstr(jstr(t, "error"), "HTTP 500"));
	assert_string_equal(jstr(t, "status"), "open");
	json_decref(t);

	/* unknown tracker: a clear message */
	assert_int_equal(sync_cli(v, v->conf, "nope", out, sizeof out), 1);
	assert_non_null(strstr(out, "no tracker named 'nope'"));

	/* close_ticket: follow-up 3 is done, so its issue is closed */
	snprintf(conf2, sizeof conf2, "%s/close.conf", v->s.dir);
	write_conf(conf2, fake_port, "tracker.gh.close_ticket = true\n");
	assert_int_equal(sync_cli(v, conf2, "gh", out, sizeof out), 0);
	assert_non_null(strstr(out, "1 closed"));
	assert_int_equal(fake.gh_patches, 1);
	assert_string_equal(fake.gh[0].status, "closed");
	t = ticket_of(v, 3);
	assert_true(json_is_true(json_object_get(t, "done")));
	assert_true(json_is_null(json_object_get(t, "error")));
	json_decref(t);
	/* and only once */
	assert_int_equal(sync_cli(v, conf2, "gh", out, sizeof out), 0);
	assert_int_equal(fake.gh_patches, 1);
	log_has_no_secrets(&v->s);
}

static void test_sync_reads_fifty_tickets_a_query(void **state)
{
	struct env *v = *state;
	struct {
		char s[16384];
		size_t n;
	} *b = calloc(1, sizeof *b);
	struct http_resp r;
	char out[2048];

	assert_non_null(b);
	b->n = (size_t)snprintf(b->s, sizeof b->s,
				"{\"title\": \"many\", \"followups\": [");
	for (int i = 0; i < 120; i++)
		b->n += (size_t)snprintf(b->s + b->n, sizeof b->s - b->n,
					 "%s{\"title\": \"f%d\"}", i ? "," : "",
					 i);
	snprintf(b->s + b->n, sizeof b->s - b->n, "]}");
	assert_int_equal(create_review(&v->s, b->s), 1);
	free(b);
	for (int i = 1; i <= 120; i++) {
		assert_int_equal(ticket(&v->s, i,
					i % 2 ? "{\"tracker\": \"ops\", "
						"\"key\": \"OPS-1\"}"
					      : "{\"tracker\": \"gh\", "
						"\"key\": \"1\"}",
					&r),
				 200);
		http_resp_free(&r);
	}
	fake.jira_searches = fake.gh_graphql = fake.jira_gets = 0;
	fake.gh_gets = 0;
	assert_int_equal(sync_cli(v, v->conf, "", out, sizeof out), 0);
	assert_non_null(strstr(out, "120 tickets read"));
	/* 60 of each: two Jira searches, two GraphQL queries */
	assert_int_equal(fake.jira_searches, 2);
	assert_int_equal(fake.gh_graphql, 2);
	assert_int_equal(fake.jira_gets + fake.gh_gets, 0);
}

static void test_the_server_syncs_on_its_own(void **state)
{
	struct env *v = *state;
	struct hs s2 = {0};
	const char *args[] = {"--config", NULL, NULL};
	char conf[420];
	struct http_resp r;
	json_t *t = NULL;

	make_review(&v->s);
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"OPS-1\"}",
				&r),
			 200);
	http_resp_free(&r);
	assert_int_equal(hs_stop(&v->s), 0);
	v->s.pid = 0;
	/* the same database, served with a sync every second */
	snprintf(conf, sizeof conf, "%s/job.conf", v->s.dir);
	write_conf(conf, fake_port, "sync_interval = 1\n");
	snprintf(s2.dir, sizeof s2.dir, "%s", v->s.dir);
	snprintf(s2.db, sizeof s2.db, "%s", v->s.db);
	args[1] = conf;
	assert_int_equal(hs_start(&s2, args), 0);
	pthread_mutex_lock(&fake.mu);
	snprintf(fake.jira[0].status, 32, "In Review");
	pthread_mutex_unlock(&fake.mu);
	for (int i = 0; i < 50; i++) {
		json_t *f = get_json(&s2, "/api/v1/reviews/1/followups/1", 200);
		const char *st = jstr(json_object_get(f, "ticket"), "status");
		if (st && !strcmp(st, "In Review")) {
			t = f;
			break;
		}
		json_decref(f);
		usleep(100 * 1000);
	}
	assert_non_null(t);
	json_decref(t);
	/* a tracker that hangs holds no request up */
	fake.slow_seconds = 3;
	for (int i = 0; i < 5; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		t = get_json(&s2, "/api/v1/reviews/1", 200);
		json_decref(t);
		assert_int_equal(http_get(&s2, "/reviews/1", &r), 200);
		http_resp_free(&r);
		clock_gettime(CLOCK_MONOTONIC, &b);
		assert_true(b.tv_sec - a.tv_sec < 2);
		usleep(200 * 1000);
	}
	fake.slow_seconds = 0;
	/* each run is a background job in /metrics */
	assert_int_equal(http_get(&s2, "/metrics", &r), 200);
	assert_non_null(strstr(r.body, "debrief_jobs_total "));
	assert_null(strstr(r.body, "debrief_jobs_total 0\n"));
	http_resp_free(&r);
	assert_int_equal(hs_stop(&s2), 0);
	log_has_no_secrets(&s2);
}

static void test_lingering_follow_ups_across_reviews(void **state)
{
	struct env *v = *state;
	struct http_resp r;
	json_t *j, *it;
	char *text;

	make_review(&v->s);
	/* OPS-1 last moved 2026-11-30: more than 5 days ago */
	assert_int_equal(ticket(&v->s, 1,
				"{\"tracker\": \"ops\", \"key\": \"OPS-1\"}",
				&r),
			 200);
	http_resp_free(&r);
	/* follow-up 2 is past due */
	assert_int_equal(http_json(&v->s, "PATCH",
				   "/api/v1/reviews/1/followups/2",
				   "{\"due\": \"2026-01-01\"}", &r),
			 200);
	http_resp_free(&r);
	/* another review: one fresh follow-up */
	assert_int_equal(create_review(&v->s,
				       "{\"title\": \"cache stampede\", "
				       "\"owner_team\": \"payments\", "
				       "\"followups\": [{\"title\": \"Add "
				       "jitter\", \"owner\": \"carol\"}]}"),
			 2);

	j = get_json(&v->s, "/api/v1/followups?lingering=true", 200);
	assert_int_equal(jint(j, "total"), 2);
	it = json_array_get(json_object_get(j, "followups"), 0);
	/* the oldest due date first */
	assert_string_equal(jstr(it, "title"), "Retry payment calls");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(it, "why"), 0)),
			    "past due");
	assert_int_equal(jint(it, "review_id"), 1);
	assert_string_equal(jstr(it, "review_title"), "checkout errors");
	it = json_array_get(json_object_get(j, "followups"), 1);
	assert_string_equal(jstr(it, "title"), "Alert on checkout error rate");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(it, "why"), 0)),
			    "no ticket activity");
	assert_true(jint(it, "idle_days") >= 5);
	assert_string_equal(jstr(json_object_get(it, "ticket"), "key"),
			    "OPS-1");
	json_decref(j);
	/* every open one (the done one is not), by owner, by team */
	j = get_json(&v->s, "/api/v1/followups", 200);
	assert_int_equal(jint(j, "total"), 3);
	assert_int_equal(jint(j, "limit"), 50);
	json_decref(j);
	j = get_json(&v->s, "/api/v1/followups?owner=carol", 200);
	assert_int_equal(jint(j, "total"), 1);
	assert_false(json_is_true(json_object_get(
		json_array_get(json_object_get(j, "followups"), 0),
		"lingering")));
	json_decref(j);
	j = get_json(&v->s, "/api/v1/followups?team=payments&lingering=1", 200);
	assert_int_equal(jint(j, "total"), 0);
	json_decref(j);
	j = get_json(&v->s, "/api/v1/followups?limit=1&offset=1", 200);
	assert_int_equal(json_array_size(json_object_get(j, "followups")), 1);
	assert_int_equal(jint(j, "total"), 3);
	json_decref(j);
	/* bad arguments */
	assert_int_equal(
		http_get(&v->s, "/api/v1/followups?lingering=maybe", &r), 400);
	check_error(&r, 400, "bad_request", "lingering");
	http_resp_free(&r);
	assert_int_equal(http_get(&v->s, "/api/v1/followups?limit=0", &r), 400);
	check_error(&r, 400, "bad_request", "limit");
	http_resp_free(&r);

	/* the weekly digest */
	j = get_json(&v->s, "/api/v1/followups/digest", 200);
	assert_int_equal(jint(j, "open"), 3);
	assert_int_equal(json_array_size(json_object_get(j, "lingering")), 2);
	assert_int_equal(jint(json_object_get(j, "by_owner"), "alice"), 1);
	assert_int_equal(jint(json_object_get(j, "by_owner"), "bob"), 1);
	assert_int_equal(jint(json_object_get(j, "by_team"), "(none)"), 2);
	json_decref(j);
	assert_int_equal(
		http_get(&v->s, "/api/v1/followups/digest?format=text", &r),
		200);
	text = r.body;
	assert_non_null(strstr(text, "3 open follow-ups, 2 lingering"));
	assert_non_null(strstr(text, "- Retry payment calls (owner bob"));
	http_resp_free(&r);
	assert_int_equal(
		http_get(&v->s, "/api/v1/followups/digest?format=xml", &r),
		400);
	http_resp_free(&r);

	/* the pages: the follow-ups page and the index's note */
	assert_int_equal(http_get(&v->s, "/followups?lingering=1", &r), 200);
	assert_non_null(strstr(r.body, "Retry payment calls"));
	assert_non_null(strstr(r.body, "Alert on checkout error rate"));
	assert_null(strstr(r.body, "Add jitter"));
	assert_non_null(strstr(r.body, ">past due<"));
	assert_non_null(strstr(r.body, "no ticket activity for"));
	assert_non_null(strstr(r.body, "href=\"/followups?lingering=1&amp;"
				       "owner=alice\""));
	assert_non_null(strstr(r.body, ">OPS-1</a>"));
	http_resp_free(&r);
	assert_int_equal(
		http_get(&v->s, "/followups?lingering=0&team=payments", &r),
		200);
	assert_non_null(strstr(r.body, "Add jitter"));
	assert_null(strstr(r.body, "Retry payment calls"));
	http_resp_free(&r);
	assert_int_equal(http_get(&v->s, "/", &r), 200);
	assert_non_null(strstr(r.body, "<strong>2</strong> follow-ups "
				       "lingering"));
	http_resp_free(&r);
	/* what people typed is escaped */
	assert_int_equal(create_review(&v->s,
				       "{\"title\": \"<i>x</i>\", "
				       "\"followups\": [{\"title\": "
				       "\"<script>alert(2)</script>\", "
				       "\"owner\": \"<b>eve</b>\", \"due\": "
				       "\"2026-02-02\"}]}"),
			 3);
	assert_int_equal(http_get(&v->s, "/followups?lingering=1", &r), 200);
	assert_null(strstr(r.body, "<script>alert(2)"));
	assert_null(strstr(r.body, "<b>eve</b>"));
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(2)"));
	http_resp_free(&r);
	/* the index's count is reused for a minute: 2 until it passes */
	assert_int_equal(http_get(&v->s, "/", &r), 200);
	assert_true(strstr(r.body, "<strong>2</strong> follow-ups lingering") ||
		    strstr(r.body, "<strong>3</strong> follow-ups lingering"));
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_create_a_jira_ticket_from_a_follow_up, env_up,
			env_down),
		cmocka_unit_test_setup_teardown(
			test_link_an_existing_ticket_by_key_or_url, env_up,
			env_down),
		cmocka_unit_test_setup_teardown(test_jira_server_speaks_rest_v2,
						env_up, env_down),
		cmocka_unit_test_setup_teardown(
			test_bad_links_change_nothing_and_say_why, env_up,
			env_down),
		cmocka_unit_test_setup_teardown(test_rate_limits_are_waited_out,
						env_up, env_down),
		cmocka_unit_test_setup_teardown(
			test_sync_reads_tickets_in_batches, env_up, env_down),
		cmocka_unit_test_setup_teardown(
			test_sync_reads_fifty_tickets_a_query, env_up,
			env_down),
		cmocka_unit_test_setup_teardown(
			test_the_server_syncs_on_its_own, env_up, env_down),
		cmocka_unit_test_setup_teardown(
			test_the_review_page_shows_tickets_and_links_them,
			env_up, env_down),
		cmocka_unit_test_setup_teardown(
			test_webhooks_change_status_only_when_signed, env_up,
			env_down),
		cmocka_unit_test_setup_teardown(
			test_lingering_follow_ups_across_reviews, env_up,
			env_down),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
