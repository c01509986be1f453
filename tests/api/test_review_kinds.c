/* test_review_kinds.c: architecture and operability reviews in the one
 * /api/v1/reviews collection: their own fields, their lists (departures,
 * questions and votes, readiness, contingencies), the readiness gate,
 * risk order, versions, history, and every kind of bad input. */
#include "api/account_checks.h"
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *arch_body =
	"{\"kind\": \"architecture\", \"title\": \"Adopt Cassandra\","
	" \"proposers\": [\"ada\", \"bob\"], \"status\": \"circulated\","
	" \"proposal\": \"Goals: scale writes.\","
	" \"q_costs\": \"Yes: two engineers for a year.\"}";

static const char *ops_body =
	"{\"kind\": \"operability\", \"title\": \"Coffee favorites launch\","
	" \"feature\": \"Favorites page\", \"launch_date\": \"2026-12-20\","
	" \"pusher\": \"ada\", \"teams\": [\"product\", \"qa\"]}";

/* find_key finds the readiness question with key in a review's JSON. */
static int64_t readiness_id(json_t *review, const char *key)
{
	json_t *arr = json_object_get(review, "readiness"), *it;
	size_t i;

	json_array_foreach(arr, i, it)
	{
		const char *k = jstr(it, "key");
		if (k && !strcmp(k, key))
			return jint(it, "id");
	}
	return 0;
}

static void patch_ok(struct hs *s, const char *path, const char *body)
{
	struct http_resp r;

	assert_int_equal(http_json(s, "PATCH", path, body, &r), 200);
	http_resp_free(&r);
}

static void
test_architecture_review_is_a_review_with_its_own_fields(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, arch_body);
	json_t *j = get_review(s, id), *list;
	struct http_resp r;
	char path[96], body[128];

	assert_string_equal(jstr(j, "kind"), "architecture");
	assert_string_equal(jstr(j, "q_costs"),
			    "Yes: two engineers for a year.");
	assert_int_equal(json_array_size(json_object_get(j, "proposers")), 2);
	assert_true(json_is_array(json_object_get(j, "departures")));
	assert_true(json_is_array(json_object_get(j, "questions")));
	/* an incident's fields and lists are not part of it */
	assert_null(json_object_get(j, "severity"));
	assert_null(json_object_get(j, "summary"));
	assert_null(json_object_get(j, "timeline"));
	assert_null(json_object_get(j, "readiness"));
	json_decref(j);

	/* update with the version read, then a stale one is 409 */
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(http_json(s, "PATCH", path,
				   "{\"version\": 1, \"decision\": "
				   "\"gather-information\", \"status\": "
				   "\"decided\"}",
				   &r),
			 200);
	http_resp_free(&r);
	http_json(s, "PATCH", path, "{\"version\": 1, \"notes\": \"late\"}",
		  &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);

	/* departures: the generic children API */
	PATHF(path, "/api/v1/reviews/%lld/departures", (long long)id);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"technology\": \"Cassandra\", "
				   "\"replaces\": \"MySQL\", \"unknowns\": "
				   "\"Repair at scale\"}",
				   &r),
			 201);
	http_resp_free(&r);

	/* history names the change */
	j = get_json(
		s, PATHF(path, "/api/v1/reviews/%lld/revisions", (long long)id),
		200);
	{
		char *text = json_dumps(j, 0);
		assert_non_null(strstr(text, "gather-information"));
		free(text);
	}
	json_decref(j);

	/* the one index: filter by kind */
	create_review(s, "{\"title\": \"An outage\"}");
	j = get_json(s, "/api/v1/reviews?kind=architecture", 200);
	list = json_object_get(j, "reviews");
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(jint(json_array_get(list, 0), "id"), id);
	json_decref(j);
	/* and one search across kinds */
	snprintf(body, sizeof body, "/api/v1/reviews?q=Cassandra");
	j = get_json(s, body, 200);
	assert_int_equal(json_array_size(json_object_get(j, "reviews")), 1);
	json_decref(j);
}

static void test_another_kinds_fields_are_rejected(void **state)
{
	struct hs *s = *state;
	int64_t arch = create_review(s, arch_body);
	int64_t inc = create_review(s, "{\"title\": \"An outage\"}");
	json_t *before = get_review(s, arch);
	struct http_resp r;
	char path[96];

	http_json(s, "POST", "/api/v1/reviews",
		  "{\"kind\": \"architecture\", \"title\": \"x\", "
		  "\"severity\": 2}",
		  &r);
	check_error(&r, 422, "invalid", "severity");
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/reviews",
		  "{\"kind\": \"operability\", \"title\": \"x\", "
		  "\"teams\": [\"marketing\"]}",
		  &r);
	check_error(&r, 422, "invalid", "teams");
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld", (long long)arch);
	http_json(s, "PATCH", path, "{\"status\": \"ready\"}", &r);
	check_error(&r, 422, "invalid", "status");
	http_resp_free(&r);
	http_json(s, "PATCH", path, "{\"decision\": \"maybe\"}", &r);
	check_error(&r, 422, "invalid", "decision");
	http_resp_free(&r);
	http_json(s, "PATCH", path, "{\"summary\": \"x\"}", &r);
	check_error(&r, 422, "invalid", "summary");
	http_resp_free(&r);
	/* the architecture review an operability review follows must be
	 * one */
	http_json(s, "POST", "/api/v1/reviews",
		  "{\"kind\": \"operability\", \"title\": \"x\", "
		  "\"architecture_review\": 999}",
		  &r);
	check_error(&r, 422, "invalid", "architecture_review");
	http_resp_free(&r);
	{
		char body[160];
		snprintf(body, sizeof body,
			 "{\"kind\": \"operability\", \"title\": \"x\", "
			 "\"architecture_review\": %lld}",
			 (long long)inc);
		http_json(s, "POST", "/api/v1/reviews", body, &r);
		check_error(&r, 422, "invalid", "architecture_review");
		http_resp_free(&r);
		snprintf(body, sizeof body,
			 "{\"kind\": \"operability\", \"title\": \"x\", "
			 "\"architecture_review\": %lld}",
			 (long long)arch);
		assert_int_equal(
			http_json(s, "POST", "/api/v1/reviews", body, &r), 201);
		http_resp_free(&r);
	}
	/* an incident has no departures, an architecture review no
	 * contingencies */
	PATHF(path, "/api/v1/reviews/%lld/departures", (long long)inc);
	http_json(s, "POST", path, "{\"technology\": \"x\"}", &r);
	check_error(&r, 404, "not_found", "departures");
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/contingencies", (long long)arch);
	http_json(s, "POST", path, "{\"issue\": \"x\"}", &r);
	check_error(&r, 404, "not_found", "contingencies");
	http_resp_free(&r);
	/* nor through the edit form */
	json_decref(get_review(s, inc));
	{
		json_t *ib = get_review(s, inc);
		char body[160];

		PATHF(path, "/reviews/%lld/edit", (long long)inc);
		snprintf(body, sizeof body,
			 "version=%lld&title=An+outage&departures%%5B0%%5D."
			 "technology=Cassandra",
			 (long long)jint(ib, "version"));
		http_form(s, path, body, &r);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "has no departures"));
		http_resp_free(&r);
		assert_unchanged(s, inc, ib);
		json_decref(ib);
	}
	assert_unchanged(s, arch, before);
	json_decref(before);
}

enum {
	ADA,
	BOB
};

static void test_questions_sort_by_votes_one_vote_each(void **state)
{
	struct hs *s = acct_prepare();
	char auth[2][160], path[128];
	struct http_resp r;
	int64_t id, q1, q2;
	json_t *arr;

	(void)state;
	acct_add_user(s, "ada", "editor");
	acct_add_user(s, "bob", "editor");
	acct_token(s, "ada", "write", auth[ADA], sizeof auth[ADA]);
	acct_token(s, "bob", "write", auth[BOB], sizeof auth[BOB]);
	assert_int_equal(hs_start(s, NULL), 0);
	assert_int_equal(acct_send(s, auth[ADA], "POST", "/api/v1/reviews",
				   arch_body, &r),
			 201);
	id = jint(r.json, "id");
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/questions", (long long)id);
	assert_int_equal(acct_send(s, auth[ADA], "POST", path,
				   "{\"text\": \"Who runs it at night?\"}", &r),
			 201);
	q1 = jint(r.json, "id");
	assert_string_equal(jstr(r.json, "asked_by"), "ada");
	assert_int_equal(jint(r.json, "votes"), 0);
	http_resp_free(&r);
	/* votes and voters are the server's: sent back, they are ignored */
	assert_int_equal(acct_send(s, auth[BOB], "POST", path,
				   "{\"text\": \"What does repair cost?\", "
				   "\"votes\": 99}",
				   &r),
			 201);
	q2 = jint(r.json, "id");
	assert_int_equal(jint(r.json, "votes"), 0);
	http_resp_free(&r);

	PATHF(path, "/api/v1/reviews/%lld/questions/%lld/votes", (long long)id,
	      (long long)q2);
	assert_int_equal(acct_send(s, auth[ADA], "POST", path, NULL, &r), 201);
	assert_int_equal(jint(r.json, "votes"), 1);
	http_resp_free(&r);
	assert_int_equal(acct_send(s, auth[BOB], "POST", path, NULL, &r), 201);
	assert_int_equal(jint(r.json, "votes"), 2);
	http_resp_free(&r);
	/* a second vote by the same person: 422, nothing changed */
	acct_send(s, auth[BOB], "POST", path, NULL, &r);
	check_error(&r, 422, "invalid", "votes");
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/questions/999/votes", (long long)id);
	acct_send(s, auth[BOB], "POST", path, NULL, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);

	/* sorted by votes, most first */
	PATHF(path, "/api/v1/reviews/%lld/questions", (long long)id);
	assert_int_equal(acct_send(s, auth[ADA], "GET", path, NULL, &r), 200);
	arr = json_object_get(r.json, "questions");
	assert_int_equal(json_array_size(arr), 2);
	assert_int_equal(jint(json_array_get(arr, 0), "id"), q2);
	assert_int_equal(jint(json_array_get(arr, 0), "votes"), 2);
	assert_int_equal(jint(json_array_get(arr, 1), "id"), q1);
	http_resp_free(&r);
	/* the meeting answers it */
	PATHF(path, "/api/v1/reviews/%lld/questions/%lld", (long long)id,
	      (long long)q2);
	assert_int_equal(acct_send(s, auth[ADA], "PATCH", path,
				   "{\"answered\": true, \"answer\": \"Less "
				   "than a DBA\"}",
				   &r),
			 200);
	assert_true(json_is_true(json_object_get(r.json, "answered")));
	assert_int_equal(jint(r.json, "votes"), 2);
	http_resp_free(&r);
	server_down((void **)&s);
}

static void test_ready_is_refused_while_an_infra_question_is_no(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, ops_body), mon, adds;
	json_t *j = get_review(s, id), *before;
	struct http_resp r;
	char path[96], one[128];
	const char *msg;

	assert_int_equal(json_array_size(json_object_get(j, "readiness")), 9);
	mon = readiness_id(j, "monitoring");
	adds = readiness_id(j, "adds-infrastructure");
	assert_true(mon > 0 && adds > 0);
	assert_true(json_is_array(json_object_get(j, "contingencies")));
	json_decref(j);

	PATHF(one, "/api/v1/reviews/%lld/readiness/%lld", (long long)id,
	      (long long)adds);
	patch_ok(s, one, "{\"answer\": \"yes\"}");
	PATHF(one, "/api/v1/reviews/%lld/readiness/%lld", (long long)id,
	      (long long)mon);
	patch_ok(s, one, "{\"answer\": \"no\", \"note\": \"not yet\"}");

	before = get_review(s, id);
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	http_json(s, "PATCH", path, "{\"status\": \"ready\"}", &r);
	check_error(&r, 422, "invalid", "status");
	msg = jstr(json_object_get(r.json, "error"), "message");
	assert_non_null(strstr(msg, "monitoring"));
	http_resp_free(&r);
	/* an answer that is not yes, no or n-a */
	http_json(s, "PATCH", one, "{\"answer\": \"maybe\"}", &r);
	check_error(&r, 422, "invalid", "answer");
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);

	/* answered, the review can be ready; then a "no" is refused */
	patch_ok(s, one, "{\"answer\": \"yes\"}");
	patch_ok(s, path, "{\"status\": \"ready\"}");
	before = get_review(s, id);
	http_json(s, "PATCH", one, "{\"answer\": \"no\"}", &r);
	check_error(&r, 422, "invalid", "status");
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
	/* no production infrastructure added: its questions do not block */
	patch_ok(s, path, "{\"status\": \"draft\"}");
	patch_ok(s, one, "{\"answer\": \"no\"}");
	PATHF(one, "/api/v1/reviews/%lld/readiness/%lld", (long long)id,
	      (long long)adds);
	patch_ok(s, one, "{\"answer\": \"no\"}");
	patch_ok(s, path, "{\"status\": \"ready\"}");
}

static void test_contingencies_sort_by_risk_and_reject_bad_rows(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, ops_body), low, high, mid, mid2;
	json_t *before, *arr, *j;
	struct http_resp r;
	char path[96], one[128];

	PATHF(path, "/api/v1/reviews/%lld/contingencies", (long long)id);
#define ADD(body, out)                                                       \
	do {                                                                 \
		assert_int_equal(http_json(s, "POST", path, body, &r), 201); \
		out = jint(r.json, "id");                                    \
		http_resp_free(&r);                                          \
	} while (0)
	ADD("{\"issue\": \"Typo on the page\", \"likelihood\": \"low\","
	    " \"impact\": \"low\"}",
	    low);
	ADD("{\"issue\": \"Favorites page melts the DB\", \"likelihood\": "
	    "\"high\", \"impact\": \"high\", \"mitigation\": \"Flip it\","
	    " \"flag\": \"disable_coffee_favorites_page\", \"messaging\": "
	    "\"Favorites are resting\", \"pr_needed\": true, \"pr\": "
	    "\"A blog post\"}",
	    high);
	ADD("{\"issue\": \"Slow images\", \"likelihood\": \"medium\","
	    " \"impact\": \"medium\"}",
	    mid);
	ADD("{\"issue\": \"Cache misses\", \"likelihood\": \"medium\","
	    " \"impact\": \"medium\"}",
	    mid2);
#undef ADD
	j = get_json(s, path, 200);
	arr = json_object_get(j, "contingencies");
	assert_int_equal(json_array_size(arr), 4);
	assert_int_equal(jint(json_array_get(arr, 0), "id"), high);
	assert_string_equal(jstr(json_array_get(arr, 0), "flag"),
			    "disable_coffee_favorites_page");
	assert_int_equal(jint(json_array_get(arr, 1), "id"), mid);
	assert_int_equal(jint(json_array_get(arr, 2), "id"), mid2);
	assert_int_equal(jint(json_array_get(arr, 3), "id"), low);
	json_decref(j);
	/* reordered: rows of one risk follow their position */
	PATHF(one, "%s/%lld", path, (long long)mid2);
	patch_ok(s, one, "{\"position\": 1}");
	PATHF(one, "%s/%lld", path, (long long)mid);
	patch_ok(s, one, "{\"position\": 2}");
	j = get_json(s, path, 200);
	arr = json_object_get(j, "contingencies");
	assert_int_equal(jint(json_array_get(arr, 1), "id"), mid2);
	assert_int_equal(jint(json_array_get(arr, 2), "id"), mid);
	json_decref(j);
	/* removed */
	PATHF(one, "%s/%lld", path, (long long)low);
	assert_int_equal(http_json(s, "DELETE", one, NULL, &r), 204);
	http_resp_free(&r);

	before = get_review(s, id);
	assert_int_equal(
		json_array_size(json_object_get(before, "contingencies")), 3);
	http_json(s, "POST", path,
		  "{\"issue\": \"x\", \"likelihood\": \"very\", "
		  "\"impact\": \"high\"}",
		  &r);
	check_error(&r, 422, "invalid", "likelihood");
	http_resp_free(&r);
	http_json(s, "POST", path, "{\"issue\": \"x\", \"impact\": \"huge\"}",
		  &r);
	check_error(&r, 422, "invalid", "impact");
	http_resp_free(&r);
	http_json(s, "POST", path,
		  "{\"issue\": \"x\", \"flag\": \"disable coffee\"}", &r);
	check_error(&r, 422, "invalid", "flag");
	http_resp_free(&r);
	PATHF(one, "%s/%lld", path, (long long)high);
	http_json(s, "PATCH", one, "{\"flag\": \"two words\"}", &r);
	check_error(&r, 422, "invalid", "flag");
	http_resp_free(&r);
	http_json(s, "PATCH", one, "{\"version\": 9, \"issue\": \"y\"}", &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
}

/* A fake flag source on 127.0.0.1: answers every request with the body
 * the test set last, or HTTP 500 when failing. */
static struct {
	pthread_mutex_t mu;
	int fd, port;
	char body[256];
	int status;
} src = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void *source_serve(void *arg)
{
	(void)arg;
	for (;;) {
		char req[2048], out[512];
		int c = accept(src.fd, NULL, NULL);
		int n;

		if (c < 0)
			return NULL;
		n = (int)read(c, req, sizeof req); /* one small GET */
		(void)n;
		pthread_mutex_lock(&src.mu);
		n = snprintf(
			out, sizeof out,
			"HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
			"Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			src.status, strlen(src.body), src.body);
		pthread_mutex_unlock(&src.mu);
		if (write(c, out, (size_t)n) < 0)
			perror("fake source");
		close(c);
	}
}

static void source_set(int status, const char *body)
{
	pthread_mutex_lock(&src.mu);
	src.status = status;
	snprintf(src.body, sizeof src.body, "%s", body);
	pthread_mutex_unlock(&src.mu);
}

/* flag_state_of reads row cid's flag_state, waiting (at most 10 s) until
 * want (a JSON member "key": value as text) is in it. */
static json_t *flag_state_of(struct hs *s, const char *path, const char *want)
{
	for (int i = 0; i < 100; i++) {
		json_t *j = get_json(s, path, 200);
		json_t *fs = json_incref(json_object_get(j, "flag_state"));
		char *text = json_dumps(fs, JSON_COMPACT);
		int hit = text && strstr(text, want);

		free(text);
		json_decref(j);
		if (hit)
			return fs;
		json_decref(fs);
		usleep(100 * 1000);
	}
	fail_msg("flag_state never held %s", want);
	return NULL;
}

static void
test_flag_state_follows_the_source_and_outlives_its_failure(void **state)
{
	struct hs *s = acct_prepare();
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof a;
	char conf[400], path[128], text[256], page[64];
	pthread_t th;
	struct http_resp r;
	int64_t id, cid, unk;
	json_t *fs;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	src.fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(src.fd >= 0);
	assert_int_equal(bind(src.fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(src.fd, 16), 0);
	assert_int_equal(getsockname(src.fd, (struct sockaddr *)&a, &alen), 0);
	src.port = ntohs(a.sin_port);
	source_set(200, "{\"disable_coffee_favorites_page\": false}");
	assert_int_equal(pthread_create(&th, NULL, source_serve, NULL), 0);
	pthread_detach(th);

	snprintf(conf, sizeof conf,
		 "flags.source = http://127.0.0.1:%d/flags\n"
		 "flags.interval = 1s\n",
		 src.port);
	assert_int_equal(hs_start_conf(s, conf, NULL), 0);

	id = create_review(s, ops_body);
	PATHF(path, "/api/v1/reviews/%lld/contingencies", (long long)id);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"issue\": \"The page melts the DB\", "
				   "\"likelihood\": \"high\", \"impact\": "
				   "\"high\", \"flag\": "
				   "\"disable_coffee_favorites_page\"}",
				   &r),
			 201);
	cid = jint(r.json, "id");
	fs = json_object_get(r.json, "flag_state");
	assert_true(json_is_false(json_object_get(fs, "value")));
	assert_non_null(jstr(fs, "changed_at"));
	assert_non_null(jstr(fs, "read_at"));
	http_resp_free(&r);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"issue\": \"x\", \"flag\": "
				   "\"no_such_flag\"}",
				   &r),
			 201);
	unk = jint(r.json, "id");
	assert_true(json_is_true(json_object_get(
		json_object_get(r.json, "flag_state"), "unknown")));
	http_resp_free(&r);

	json_decref(get_review(s, id)); /* cached with the old state */
	/* the source flips the flag: the row follows, and the page */
	source_set(200, "{\"disable_coffee_favorites_page\": true}");
	snprintf(text, sizeof text, "%s/%lld", path, (long long)cid);
	fs = flag_state_of(s, text, "\"value\":true");
	json_decref(fs);
	/* the review's JSON (cached by version) follows too */
	{
		json_t *doc = get_review(s, id), *row;
		row = json_array_get(json_object_get(doc, "contingencies"), 0);
		assert_int_equal(jint(row, "id"), cid);
		assert_true(json_is_true(json_object_get(
			json_object_get(row, "flag_state"), "value")));
		json_decref(doc);
	}
	PATHF(page, "/reviews/%lld", (long long)id);
	assert_int_equal(http_get(s, page, &r), 200);
	assert_non_null(strstr(r.body, "<code class=\"flag-value\">true"));
	assert_non_null(strstr(r.body, "unknown to the flag source"));
	http_resp_free(&r);

	/* then it fails, and then answers garbage: the last good state
	 * stays, with the error beside it */
	source_set(500, "{}");
	fs = flag_state_of(s, text, "\"error\"");
	assert_true(json_is_true(json_object_get(fs, "value")));
	assert_non_null(strstr(jstr(fs, "error"), "500"));
	json_decref(fs);
	source_set(200, "{\"disable_coffee_favorites_page\": tru");
	fs = flag_state_of(s, text, "not JSON");
	assert_true(json_is_true(json_object_get(fs, "value")));
	json_decref(fs);
	assert_int_equal(http_get(s, page, &r), 200);
	assert_non_null(strstr(r.body, "the flag source is failing"));
	assert_non_null(strstr(r.body, "<code class=\"flag-value\">true"));
	http_resp_free(&r);
	snprintf(text, sizeof text, "%s/%lld", path, (long long)unk);
	fs = flag_state_of(s, text, "\"unknown\":true");
	json_decref(fs);
	server_down((void **)&s);
	close(src.fd);
}

static void test_bad_flag_configuration_is_refused(void **state)
{
	struct hs *s = acct_prepare();
	char conf[400], cmd[1200];
	const char *bin = getenv("DEBRIEF_BIN");
	FILE *fp;
	int rc;

	(void)state;
	snprintf(conf, sizeof conf, "%s/bad.conf", s->dir);
	fp = fopen(conf, "w");
	assert_non_null(fp);
	fprintf(fp, "flags.interval = soon\n");
	fclose(fp);
	snprintf(cmd, sizeof cmd,
		 "'%s' serve --config '%s' --db '%s' --listen 127.0.0.1:1 "
		 "> '%s/out.txt' 2>&1",
		 bin && *bin ? bin : "./debrief", conf, s->db, s->dir);
	rc = system(cmd);
	assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) != 0);
	snprintf(cmd, sizeof cmd, "grep -q 'flags.interval' '%s/out.txt'",
		 s->dir);
	assert_int_equal(system(cmd), 0);
	hs_cleanup(s);
	free(s);
}

static void test_an_incident_shows_what_its_launch_foresaw(void **state)
{
	struct hs *s = *state;
	int64_t inc = create_review(s, "{\"title\": \"Favorites outage\", "
				       "\"services\": [\"coffee\"], "
				       "\"summary\": \"The <b>favorites</b> "
				       "page fell over.\"}");
	int64_t op = create_review(
		s, "{\"kind\": \"operability\", \"title\": \"Coffee "
		   "favorites launch\", \"services\": [\"coffee\"], "
		   "\"tags\": [{\"name\": \"q4\"}]}");
	int64_t other =
		create_review(s, "{\"kind\": \"operability\", \"title\": \"Tea "
				 "launch\", \"services\": [\"tea\"]}");
	struct http_resp r;
	char path[96], body[256], rows[96];
	json_t *j;

	PATHF(rows, "/api/v1/reviews/%lld/contingencies", (long long)op);
	assert_int_equal(http_json(s, "POST", rows,
				   "{\"issue\": \"The page melts the <b>DB\", "
				   "\"likelihood\": \"high\", \"impact\": "
				   "\"high\"}",
				   &r),
			 201);
	http_resp_free(&r);
	PATHF(path, "/reviews/%lld", (long long)inc);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "/foreseen"));
	http_resp_free(&r);
	PATHF(path, "/reviews/%lld/foreseen", (long long)inc);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "The page melts the &lt;b&gt;DB"));
	snprintf(body, sizeof body, "href=\"/reviews/%lld#contingencies\"",
		 (long long)op);
	assert_non_null(strstr(r.body, body));
	assert_null(strstr(r.body, "Tea launch"));
	/* next to what happened: the incident's own account */
	assert_non_null(strstr(r.body, "id=\"what-happened\""));
	assert_non_null(strstr(r.body, "page fell over."));
	assert_null(strstr(r.body, "<b>favorites"));
	http_resp_free(&r);
	(void)other;

	/* the row that was missing, added from the incident */
	snprintf(body, sizeof body,
		 "launch=%lld&issue=Cache+stampede&likelihood=low&impact=high",
		 (long long)op);
	http_form(s, path, body, &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	snprintf(body, sizeof body,
		 "launch=%lld&issue=x&likelihood=very&impact=high",
		 (long long)op);
	http_form(s, path, body, &r);
	assert_int_equal(r.status, 422);
	http_resp_free(&r);
	/* a review that is not a launch takes no rows */
	snprintf(body, sizeof body,
		 "launch=%lld&issue=x&likelihood=low&impact=high",
		 (long long)inc);
	http_form(s, path, body, &r);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	j = get_json(s, rows, 200);
	assert_int_equal(json_array_size(json_object_get(j, "contingencies")),
			 2);
	json_decref(j);

	/* the same in the API: the launch with its rows by risk */
	assert_int_equal(http_json(s, "POST", rows,
				   "{\"issue\": \"Flip it\", \"likelihood\": "
				   "\"low\", \"impact\": \"low\", \"flag\": "
				   "\"disable_favorites\"}",
				   &r),
			 201);
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/foreseen", (long long)inc);
	j = get_json(s, path, 200);
	{
		json_t *ls = json_object_get(j, "launches"), *l, *cs;

		assert_int_equal(jint(j, "total"), 1);
		assert_int_equal(jint(j, "offset"), 0);
		assert_int_equal(json_array_size(ls), 1);
		l = json_array_get(ls, 0);
		assert_int_equal(jint(l, "id"), op);
		assert_string_equal(jstr(l, "kind"), "operability");
		cs = json_object_get(l, "contingencies");
		assert_int_equal(json_array_size(cs), 3);
		/* by risk: high x high, low x high, low x low */
		assert_string_equal(jstr(json_array_get(cs, 0), "issue"),
				    "The page melts the <b>DB");
		assert_string_equal(jstr(json_array_get(cs, 1), "issue"),
				    "Cache stampede");
		assert_string_equal(jstr(json_array_get(cs, 2), "flag"),
				    "disable_favorites");
		assert_true(json_is_object(json_object_get(
			json_array_get(cs, 2), "flag_state")));
		assert_true(json_is_null(json_object_get(
			json_array_get(cs, 0), "flag_state")));
		assert_int_equal(jint(json_array_get(cs, 0), "review_id"), op);
		/* the shape of a list of reviews: no long section, tags */
		assert_null(json_object_get(l, "proposal"));
		assert_string_equal(json_string_value(json_array_get(
					    json_object_get(l, "tags"), 0)),
				    "q4");
	}
	json_decref(j);
	/* a review of no service: no launches; bad ids: 404, one shape */
	PATHF(path, "/api/v1/reviews/%lld/foreseen",
	      (long long)create_review(s, "{\"title\": \"No services\"}"));
	j = get_json(s, path, 200);
	assert_int_equal(json_array_size(json_object_get(j, "launches")), 0);
	assert_int_equal(jint(j, "total"), 0);
	json_decref(j);
	http_get(s, "/api/v1/reviews/999999/foreseen", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	http_get(s, "/api/v1/reviews/abc/foreseen", &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/foreseen", (long long)inc);
	http_json(s, "POST", path, "{\"issue\": \"x\"}", &r);
	assert_int_equal(r.status, 405);
	http_resp_free(&r);
}

/* An architecture review's meeting (date, place, attendees) is the
 * meeting record of every review: scheduled with PUT .../meeting or
 * embedded at create, in its JSON as "meetings", on its page as the
 * meeting card with the invite; the old fields of its own are gone. */
static void test_architecture_meeting_is_the_meeting_record(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, arch_body), other;
	json_t *j, *before, *m;
	struct http_resp r;
	char path[96];

	PATHF(path, "/reviews/%lld", (long long)id);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "once the proposal has circulated"));
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/questions", (long long)id);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"text\": \"Who <b>runs</b> it?\"}", &r),
			 201);
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id);
	assert_int_equal(http_json(s, "PUT", path,
				   "{\"start\": \"2026-12-10T14:00:00Z\", "
				   "\"duration_minutes\": 60, \"location\": "
				   "\"Room <4>\", \"invitees\": [\"cy\", "
				   "\"di@example.org\"]}",
				   &r),
			 201);
	http_resp_free(&r);
	j = get_review(s, id);
	m = json_array_get(json_object_get(j, "meetings"), 0);
	assert_non_null(m);
	assert_string_equal(jstr(m, "location"), "Room <4>");
	assert_int_equal(json_array_size(json_object_get(m, "invitees")), 2);
	assert_null(json_object_get(j, "meeting_place"));
	json_decref(j);
	/* the page shows it, escaped, with its invite */
	PATHF(path, "/reviews/%lld", (long long)id);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "id=\"meeting\""));
	assert_non_null(strstr(r.body, "Room &lt;4&gt;"));
	PATHF(path, "/reviews/%lld/meeting.ics", (long long)id);
	assert_non_null(strstr(r.body, path));
	http_resp_free(&r);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "Adopt Cassandra"));
	http_resp_free(&r);
	/* the meeting form and the run of show serve it too */
	PATHF(path, "/reviews/%lld/meeting", (long long)id);
	assert_int_equal(http_get(s, path, &r), 200);
	http_resp_free(&r);
	/* its run of show goes through the questions, not a timeline */
	PATHF(path, "/reviews/%lld/meeting/run", (long long)id);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "Adopt Cassandra"));
	assert_non_null(strstr(r.body, "Questions, most votes first"));
	assert_non_null(strstr(r.body, "Who &lt;b&gt;runs&lt;/b&gt; it?"));
	assert_null(strstr(r.body, "run-timeline"));
	http_resp_free(&r);

	/* embedded at create, like any review's meeting */
	other = create_review(
		s, "{\"kind\": \"architecture\", \"title\": \"Adopt Kafka\", "
		   "\"meetings\": [{\"start\": \"2026-12-11T09:00:00Z\", "
		   "\"end\": \"2026-12-11T10:00:00Z\", \"location\": "
		   "\"Room 9\"}]}");
	j = get_review(s, other);
	m = json_array_get(json_object_get(j, "meetings"), 0);
	assert_string_equal(jstr(m, "location"), "Room 9");
	json_decref(j);

	/* the old fields are no field of any review: 400, nothing changed */
	before = get_review(s, id);
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	http_json(s, "PATCH", path, "{\"meeting_place\": \"Room 5\"}", &r);
	check_error(&r, 400, "bad_request", "meeting_place");
	http_resp_free(&r);
	assert_unchanged(s, id, before);
	json_decref(before);
	http_json(s, "POST", "/api/v1/reviews",
		  "{\"kind\": \"architecture\", \"title\": \"Adopt Zig\", "
		  "\"meeting_date\": \"2026-12-10\"}",
		  &r);
	check_error(&r, 400, "bad_request", "meeting_date");
	http_resp_free(&r);
	j = get_json(s, "/api/v1/reviews?q=Zig", 200);
	assert_int_equal(json_array_size(json_object_get(j, "reviews")), 0);
	json_decref(j);
}

/* The print view and the standalone HTML file hold the lists of the new
 * kinds: departures, questions with votes and answers, the standard
 * questions (answered or not), readiness with what blocks "ready",
 * contingency rows with their flags' state, and the meeting; typed
 * markup comes back escaped. */
static void test_print_view_holds_the_kinds_lists(void **state)
{
	struct hs *s = *state;
	int64_t arch = create_review(s, arch_body), ops, qid, mon, adds;
	struct http_resp r;
	char path[128], one[128];
	json_t *j;
	char *disp;
	static const char *const arch_wants[] = {
		"Departures from what we know", "Cassandra &lt;3",
		"Repair at scale", "Questions for the meeting",
		"Who runs &lt;it&gt; at night?", "Less than a DBA",
		"Do we understand the costs of this departure?",
		"Yes: two engineers for a year.", "Does it make sense?",
		"Not answered yet.", "Proposers", "ada, bob", "Room 4",
		"Invited", "45 min"};
	static const char *const ops_wants[] = {
		"Readiness", "Not ready to launch:",
		"If so: is it in monitoring and metrics?", "(blocks ready)",
		"Contingency checklist", "The page melts the &lt;b&gt;DB",
		"disable_favorites", "no flag source is configured",
		"Needed: a status post", "Feature or launch", "Favorites page"};

	PATHF(path, "/api/v1/reviews/%lld/departures", (long long)arch);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"technology\": \"Cassandra <3\", "
				   "\"unknowns\": \"Repair at scale\"}",
				   &r),
			 201);
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/questions", (long long)arch);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"text\": \"Who runs <it> at night?\"}",
				   &r),
			 201);
	qid = jint(r.json, "id");
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/questions/%lld/votes",
	      (long long)arch, (long long)qid);
	assert_int_equal(http_json(s, "POST", path, NULL, &r), 201);
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/questions/%lld", (long long)arch,
	      (long long)qid);
	patch_ok(s, path,
		 "{\"answered\": true, \"answer\": \"Less than a DBA\"}");
	PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)arch);
	assert_int_equal(http_json(s, "PUT", path,
				   "{\"start\": \"2026-12-10T14:00:00Z\", "
				   "\"duration_minutes\": 45, \"location\": "
				   "\"Room 4\", \"invitees\": [\"cy\"]}",
				   &r),
			 201);
	http_resp_free(&r);
	for (int sa = 0; sa < 2; sa++) {
		PATHF(path, "/reviews/%lld/print%s", (long long)arch,
		      sa ? "?standalone=1" : "");
		assert_int_equal(http_get(s, path, &r), 200);
		for (size_t i = 0; i < sizeof arch_wants / sizeof *arch_wants;
		     i++)
			if (!strstr(r.body, arch_wants[i]))
				fail_msg("%s lacks \"%s\"", path,
					 arch_wants[i]);
		assert_null(strstr(r.body, "<it>"));
		disp = http_header(&r, "Content-Disposition");
		assert_true(sa ? disp != NULL : disp == NULL);
		free(disp);
		http_resp_free(&r);
	}

	ops = create_review(s, ops_body);
	j = get_review(s, ops);
	mon = readiness_id(j, "monitoring");
	adds = readiness_id(j, "adds-infrastructure");
	json_decref(j);
	PATHF(one, "/api/v1/reviews/%lld/readiness/%lld", (long long)ops,
	      (long long)adds);
	patch_ok(s, one, "{\"answer\": \"yes\"}");
	PATHF(one, "/api/v1/reviews/%lld/readiness/%lld", (long long)ops,
	      (long long)mon);
	patch_ok(s, one, "{\"answer\": \"no\"}");
	PATHF(path, "/api/v1/reviews/%lld/contingencies", (long long)ops);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"issue\": \"The page melts the <b>DB\", "
				   "\"likelihood\": \"high\", \"impact\": "
				   "\"high\", \"flag\": \"disable_favorites\", "
				   "\"pr_needed\": true, \"pr\": \"a status "
				   "post\"}",
				   &r),
			 201);
	http_resp_free(&r);
	for (int sa = 0; sa < 2; sa++) {
		PATHF(path, "/reviews/%lld/print%s", (long long)ops,
		      sa ? "?standalone=1" : "");
		assert_int_equal(http_get(s, path, &r), 200);
		for (size_t i = 0; i < sizeof ops_wants / sizeof *ops_wants;
		     i++)
			if (!strstr(r.body, ops_wants[i]))
				fail_msg("%s lacks \"%s\"", path,
					 ops_wants[i]);
		assert_null(strstr(r.body, "<b>DB"));
		http_resp_free(&r);
	}
	/* an incident's print has none of those lists */
	PATHF(path, "/reviews/%lld/print",
	      (long long)create_review(s, "{\"title\": \"An outage\"}"));
	assert_int_equal(http_get(s, path, &r), 200);
	assert_null(strstr(r.body, "Contingency checklist"));
	assert_null(strstr(r.body, "Not answered yet."));
	http_resp_free(&r);
	/* bad ids: 404 */
	assert_int_equal(http_get(s, "/reviews/abc/print", &r), 404);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews/999999/print?standalone=1", &r),
			 404);
	http_resp_free(&r);
}

/* Both kinds are records like every review: the language coach reads
 * their prose (the proposal, a contingency row's issue), a delete hides
 * them with their lists and a restore brings all back, and the markdown
 * export holds the whole review, lists included. */
static void test_kinds_are_reviewed_deleted_and_exported_like_reviews(
	void **state)
{
	struct hs *s = *state;
	int64_t arch = create_review(
		s, "{\"kind\": \"architecture\", \"title\": \"Adopt Kafka\", "
		   "\"proposal\": \"The root cause of slow writes is the "
		   "queue.\"}");
	int64_t ops = create_review(s, ops_body);
	struct http_resp r;
	char path[128], rpath[160];
	json_t *j;

	PATHF(path, "/api/v1/reviews/%lld/contingencies", (long long)ops);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"issue\": \"Human error by the pusher\", "
				   "\"likelihood\": \"low\", \"impact\": "
				   "\"high\", \"flag\": \"kill_switch\"}",
				   &r),
			 201);
	http_resp_free(&r);
	PATHF(path, "/api/v1/reviews/%lld/departures", (long long)arch);
	assert_int_equal(http_json(s, "POST", path,
				   "{\"technology\": \"Kafka\"}", &r),
			 201);
	http_resp_free(&r);

	/* the coach on their prose */
	PATHF(path, "/reviews/%lld", (long long)arch);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "class=\"coach-summary\""));
	assert_non_null(strstr(r.body, "Proposal"));
	http_resp_free(&r);
	PATHF(path, "/reviews/%lld", (long long)ops);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "class=\"coach-summary\""));
	assert_non_null(strstr(r.body, "Contingency checklist"));
	http_resp_free(&r);

	/* the markdown export: the whole review */
	PATHF(path, "/reviews/%lld/markdown", (long long)ops);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "kind: operability"));
	assert_non_null(strstr(r.body, "contingencies:"));
	assert_non_null(strstr(r.body, "kill_switch"));
	assert_non_null(strstr(r.body, "readiness:"));
	assert_non_null(strstr(r.body, "adds-infrastructure"));
	http_resp_free(&r);
	PATHF(path, "/reviews/%lld/markdown", (long long)arch);
	assert_int_equal(http_get(s, path, &r), 200);
	assert_non_null(strstr(r.body, "departures:"));
	assert_non_null(strstr(r.body, "Kafka"));
	http_resp_free(&r);

	/* soft delete, with its lists, and restore */
	PATHF(path, "/api/v1/reviews/%lld", (long long)ops);
	PATHF(rpath, "%s/restore", path);
	assert_int_equal(http_json(s, "DELETE", path, NULL, &r), 204);
	http_resp_free(&r);
	http_get(s, path, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	PATHF(rpath, "/api/v1/reviews/%lld/contingencies", (long long)ops);
	http_get(s, rpath, &r);
	check_error(&r, 404, "not_found", NULL);
	http_resp_free(&r);
	j = get_json(s, "/api/v1/reviews?kind=operability", 200);
	assert_int_equal(json_array_size(json_object_get(j, "reviews")), 0);
	json_decref(j);
	PATHF(rpath, "/api/v1/reviews/%lld/restore", (long long)ops);
	assert_int_equal(http_json(s, "POST", rpath, NULL, &r), 200);
	http_resp_free(&r);
	j = get_review(s, ops);
	assert_int_equal(json_array_size(json_object_get(j, "contingencies")),
			 1);
	assert_int_equal(json_array_size(json_object_get(j, "readiness")), 9);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)
		T(test_architecture_review_is_a_review_with_its_own_fields),
		T(test_another_kinds_fields_are_rejected),
		cmocka_unit_test(test_questions_sort_by_votes_one_vote_each),
		T(test_ready_is_refused_while_an_infra_question_is_no),
		T(test_contingencies_sort_by_risk_and_reject_bad_rows),
		T(test_an_incident_shows_what_its_launch_foresaw),
		T(test_architecture_meeting_is_the_meeting_record),
		T(test_print_view_holds_the_kinds_lists),
		T(test_kinds_are_reviewed_deleted_and_exported_like_reviews),
		cmocka_unit_test(
			test_flag_state_follows_the_source_and_outlives_its_failure),
		cmocka_unit_test(test_bad_flag_configuration_is_refused),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
