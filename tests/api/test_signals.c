/* test_signals.c: the signals that learning happens (issue 17) against
 * the real server: reads (who counts, GET .../reads, the most read
 * list), comments (a child kind readers may write, threaded, on the
 * review or a timeline entry, edited only by their author, with
 * history), the learning numbers by month and team, and that none of it
 * reaches someone outside a restricted review's group. */
#include "api/account_checks.h"

#include <time.h>

/* The people: ada (admin, writes the reviews), rin and rob (readers in
 * "security"), rout (reader in "ops"). Each has a write-scope token; rin,
 * rob, rout and ada also a browser session. */
enum who { ADA, RIN, ROB, ROUT, NWHO };

static const struct {
	const char *name, *role, *groups;
} people[NWHO] = {
	[ADA] = {"ada", "admin", ""},
	[RIN] = {"rin", "reader", "security"},
	[ROB] = {"rob", "reader", "security"},
	[ROUT] = {"rout", "reader", "ops"},
};

struct world {
	struct hs *s;
	char token[NWHO][160];
	char read_token[NWHO][160]; /* each one's read-scope token */
	char cookie[NWHO][160];
	int64_t open, secret; /* an open review, one restricted to security */
	int64_t entry;	      /* a timeline entry of open */
};

static int64_t create(struct world *W, const char *path, const char *json)
{
	struct http_resp r;
	int64_t id;

	assert_int_equal(acct_send(W->s, W->token[ADA], "POST", path, json, &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	return id;
}

static int world_up(void **state)
{
	struct world *W = calloc(1, sizeof *W);
	char args[256], pw[64], path[96];

	assert_non_null(W);
	W->s = acct_prepare();
	for (int w = 0; w < NWHO; w++) {
		snprintf(args, sizeof args,
			 "user add %s --role %s%s%s --password-stdin",
			 people[w].name, people[w].role,
			 people[w].groups[0] ? " --groups " : "",
			 people[w].groups);
		snprintf(pw, sizeof pw, "pw-of-%s\n", people[w].name);
		assert_int_equal(acct_cli(W->s, pw, NULL, 0, args), 0);
		acct_token(W->s, people[w].name, "write", W->token[w],
			   sizeof W->token[w]);
		acct_token(W->s, people[w].name, "read", W->read_token[w],
			   sizeof W->read_token[w]);
	}
	if (hs_start(W->s, NULL) < 0)
		return -1;
	for (int w = 0; w < NWHO; w++) {
		snprintf(pw, sizeof pw, "pw-of-%s", people[w].name);
		acct_login(W->s, people[w].name, pw, W->cookie[w],
			   sizeof W->cookie[w]);
		assert_true(W->cookie[w][0] != '\0');
	}
	W->open = create(W, "/api/v1/reviews",
			 "{\"title\": \"Queue backlog\", \"owner_team\": "
			 "\"payments\", \"started_at\": "
			 "\"2026-10-03T10:00:00Z\"}");
	W->secret = create(W, "/api/v1/reviews",
			   "{\"title\": \"Phishing\", \"owner_team\": "
			   "\"secops\", \"started_at\": "
			   "\"2026-10-04T10:00:00Z\", \"status\": "
			   "\"published\", \"restricted_to\": [\"security\"]}");
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/timeline",
		 (long long)W->open);
	W->entry = create(W, path,
			  "{\"at\": \"2026-10-03T10:05:00Z\", \"text\": "
			  "\"paged\"}");
	*state = W;
	return 0;
}

static int world_down(void **state)
{
	struct world *W = *state;

	hs_stop(W->s);
	hs_cleanup(W->s);
	free(W->s);
	free(W);
	return 0;
}

static void view(struct world *W, const char *auth, const char *ua,
		 int64_t id)
{
	char path[64], uah[160];
	const char *hdrs[] = {auth, ua ? uah : NULL, NULL};
	struct http_resp r;

	snprintf(path, sizeof path, "/reviews/%lld", (long long)id);
	snprintf(uah, sizeof uah, "User-Agent: %s", ua ? ua : "");
	assert_int_equal(http_do(W->s, "GET", path, NULL, NULL, hdrs, &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
}

/* reads_of answers GET .../reads as who; *reads and *readers set on 200. */
static long reads_of(struct world *W, enum who w, int64_t id, int64_t *reads,
		     int64_t *readers)
{
	char path[64];
	struct http_resp r;
	long st;

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/reads",
		 (long long)id);
	st = acct_send(W->s, W->token[w], "GET", path, NULL, &r);
	if (st == 200) {
		*reads = json_integer_value(json_object_get(r.json, "reads"));
		*readers =
			json_integer_value(json_object_get(r.json, "readers"));
		assert_int_equal(json_object_size(r.json), 2);
	}
	http_resp_free(&r);
	return st;
}

static void test_reads_count_people_once_an_hour_not_authors_bots_or_scripts(
	void **state)
{
	struct world *W = *state;
	int64_t reads = -1, readers = -1;

	assert_int_equal(reads_of(W, RIN, W->open, &reads, &readers), 200);
	assert_int_equal(reads, 0);
	view(W, W->cookie[RIN], NULL, W->open);
	view(W, W->cookie[RIN], NULL, W->open); /* the same hour */
	view(W, W->cookie[ROB], NULL, W->open);
	view(W, W->cookie[ADA], NULL, W->open); /* wrote it */
	view(W, W->cookie[ROUT], "Mozilla/5.0 (compatible; Googlebot/2.1)",
	     W->open);
	view(W, W->token[ROUT], NULL, W->open); /* a script */
	assert_int_equal(reads_of(W, RIN, W->open, &reads, &readers), 200);
	assert_int_equal(reads, 2);
	assert_int_equal(readers, 2);
}

static void test_most_read_list_orders_by_reads_and_hides_restricted(
	void **state)
{
	struct world *W = *state;
	struct http_resp r;
	json_t *list;

	view(W, W->cookie[RIN], NULL, W->secret);
	view(W, W->cookie[ROB], NULL, W->secret);
	view(W, W->cookie[RIN], NULL, W->open);
	/* rin sees both: the secret one (2 reads) first */
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET",
				   "/api/v1/reviews?sort=reads&days=7", NULL,
				   &r),
			 200);
	list = json_object_get(r.json, "reviews");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 0), "id")),
			 W->secret);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 0), "reads")),
			 2);
	http_resp_free(&r);
	/* rout (ops) never learns of it */
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET",
				   "/api/v1/reviews?sort=reads", NULL, &r),
			 200);
	list = json_object_get(r.json, "reviews");
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 0), "id")),
			 W->open);
	assert_null(strstr(r.body, "Phishing"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET",
				   "/api/v1/reviews?sort=loudest", NULL, &r),
			 400);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "error"), "field")),
			    "sort");
	http_resp_free(&r);
}

static int64_t comment(struct world *W, enum who w, int64_t review,
		       const char *json, long want)
{
	char path[80];
	struct http_resp r;
	int64_t id = 0;

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/comments",
		 (long long)review);
	assert_int_equal(acct_send(W->s, W->token[w], "POST", path, json, &r),
			 want);
	if (want == 201) {
		id = json_integer_value(json_object_get(r.json, "id"));
		assert_string_equal(json_string_value(json_object_get(
					    r.json, "author")),
				    people[w].name);
	}
	http_resp_free(&r);
	return id;
}

static void test_readers_comment_in_threads_on_reviews_and_entries(
	void **state)
{
	struct world *W = *state;
	char body[256], path[96];
	struct http_resp r;
	json_t *list;
	int64_t top, reply, on_entry, sub;

	/* the author is who writes, whatever the body says */
	top = comment(W, RIN,
		      W->open, "{\"body\": \"Why did the *queue* fill?\", "
			       "\"author\": \"someone-else\"}",
		      201);
	snprintf(body, sizeof body,
		 "{\"body\": \"Because of the retry storm\", \"parent_id\": "
		 "%lld}",
		 (long long)top);
	reply = comment(W, ROB, W->open, body, 201);
	snprintf(body, sizeof body,
		 "{\"body\": \"Who was paged?\", \"timeline_id\": %lld}",
		 (long long)W->entry);
	on_entry = comment(W, ROUT, W->open, body, 201);
	snprintf(body, sizeof body, "{\"body\": \"Me\", \"parent_id\": %lld}",
		 (long long)on_entry);
	sub = comment(W, RIN, W->open, body, 201);
	/* the list: like every child kind, and the review embeds them */
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/comments/%lld",
		 (long long)W->open, (long long)sub);
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path, NULL, &r),
			 200);
	/* a reply is on the entry of the comment it answers */
	assert_int_equal(json_integer_value(
				 json_object_get(r.json, "timeline_id")),
			 W->entry);
	assert_true(json_is_false(json_object_get(r.json, "after_publication")));
	http_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/reviews/%lld", (long long)W->open);
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path, NULL, &r),
			 200);
	list = json_object_get(r.json, "comments");
	assert_int_equal(json_array_size(list), 4);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 1), "parent_id")),
			 top);
	http_resp_free(&r);
	(void)reply;
	/* the search finds a review by its comments */
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET",
				   "/api/v1/reviews?q=retry+storm", NULL, &r),
			 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")),
			 1);
	http_resp_free(&r);
	/* the page shows them, threaded, with anchors; a comment whose
	 * entry is removed stays, with the review's */
	{
		char tl[96];
		int64_t gone;

		snprintf(tl, sizeof tl, "/api/v1/reviews/%lld/timeline",
			 (long long)W->open);
		gone = create(W, tl,
			      "{\"at\": \"2026-10-03T10:09:00Z\", \"text\": "
			      "\"soon removed\"}");
		snprintf(body, sizeof body,
			 "{\"body\": \"Orphan thought\", \"timeline_id\": "
			 "%lld}",
			 (long long)gone);
		comment(W, RIN, W->open, body, 201);
		snprintf(tl, sizeof tl, "/api/v1/reviews/%lld/timeline/%lld",
			 (long long)W->open, (long long)gone);
		assert_int_equal(acct_send(W->s, W->token[ADA], "DELETE", tl,
					   NULL, NULL),
				 204);
	}
	snprintf(path, sizeof path, "/reviews/%lld", (long long)W->open);
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path, NULL, &r),
			 200);
	snprintf(body, sizeof body, "id=\"comment-%lld\"", (long long)reply);
	assert_non_null(strstr(r.body, body));
	assert_non_null(strstr(r.body, "Why did the <em>queue</em> fill?"));
	assert_non_null(strstr(strstr(r.body, "id=\"comments\""),
			       "Orphan thought"));
	http_resp_free(&r);
}

static void test_only_the_author_edits_a_comment_and_edits_keep_history(
	void **state)
{
	struct world *W = *state;
	char path[96];
	struct http_resp r;
	int64_t id = comment(W, RIN, W->open, "{\"body\": \"First tought\"}",
			     201);

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/comments/%lld",
		 (long long)W->open, (long long)id);
	assert_int_equal(acct_send(W->s, W->token[ROB], "PATCH", path,
				   "{\"body\": \"hijacked\"}", NULL),
			 403);
	assert_int_equal(acct_send(W->s, W->token[ADA], "PATCH", path,
				   "{\"body\": \"hijacked\"}", NULL),
			 403);
	assert_int_equal(acct_send(W->s, W->token[ROB], "DELETE", path, NULL,
				   NULL),
			 403);
	assert_int_equal(acct_send(W->s, W->token[RIN], "PATCH", path,
				   "{\"parent_id\": 1}", &r),
			 400);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[RIN], "PATCH", path,
				   "{\"body\": \"First thought\", \"author\": "
				   "\"rin\"}",
				   &r),
			 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "body")),
			    "First thought");
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 2);
	http_resp_free(&r);
	/* the history holds both texts */
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/revisions",
		 (long long)W->open);
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET", path, NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "First tought"));
	assert_non_null(strstr(r.body, "First thought"));
	http_resp_free(&r);
	/* an admin may remove it */
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/comments/%lld",
		 (long long)W->open, (long long)id);
	assert_int_equal(acct_send(W->s, W->token[ADA], "DELETE", path, NULL,
				   NULL),
			 204);
}

static void test_bad_comments_are_refused_naming_the_field(void **state)
{
	struct world *W = *state;
	char body[128], path[96];
	struct http_resp r;
	int64_t version, deleted;

	snprintf(path, sizeof path, "/api/v1/reviews/%lld", (long long)W->open);
	assert_int_equal(acct_send(W->s, W->token[ADA], "GET", path, NULL, &r),
			 200);
	version = json_integer_value(json_object_get(r.json, "version"));
	http_resp_free(&r);
	comment(W, RIN, W->open, "{\"body\": \"\"}", 422);
	comment(W, RIN, W->open, "{\"body\": \"x\", \"parent_id\": 99999}", 422);
	comment(W, RIN, W->open, "{\"body\": \"x\", \"timeline_id\": 99999}",
		422);
	comment(W, RIN, W->open, "{\"body\": \"x\", \"parent_id\": \"one\"}",
		400);
	assert_int_equal(acct_send(W->s, W->token[ADA], "GET", path, NULL, &r),
			 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 version);
	http_resp_free(&r);
	/* a comment on a deleted review: 404, and nothing is added */
	deleted = create(W, "/api/v1/reviews", "{\"title\": \"Gone\"}");
	snprintf(path, sizeof path, "/api/v1/reviews/%lld", (long long)deleted);
	assert_int_equal(acct_send(W->s, W->token[ADA], "DELETE", path, NULL,
				   NULL),
			 204);
	snprintf(body, sizeof body, "/api/v1/reviews/%lld/comments",
		 (long long)deleted);
	assert_int_equal(acct_send(W->s, W->token[RIN], "POST", body,
				   "{\"body\": \"too late\"}", &r),
			 404);
	assert_non_null(json_object_get(r.json, "error"));
	http_resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/reviews/%lld/restore",
		 (long long)deleted);
	assert_int_equal(acct_send(W->s, W->token[ADA], "POST", path, NULL,
				   NULL),
			 200);
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET", body, NULL, &r),
			 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "comments")),
			 0);
	http_resp_free(&r);
	/* comments never come embedded in a new review */
	assert_int_equal(acct_send(W->s, W->token[ADA], "POST",
				   "/api/v1/reviews",
				   "{\"title\": \"t\", \"comments\": [{\"body\": "
				   "\"b\"}]}",
				   &r),
			 400);
	http_resp_free(&r);
}

static void test_comments_after_publication_are_marked_and_counted(
	void **state)
{
	struct world *W = *state;
	struct http_resp r;
	json_t *months, *teams;
	int found = 0;

	comment(W, RIN, W->secret, "{\"body\": \"Months later: still true\"}",
		201);
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET",
				   "/api/v1/learning?by=team", NULL, &r),
			 200);
	teams = json_object_get(r.json, "teams");
	assert_non_null(json_object_get(r.json, "total"));
	for (size_t i = 0; i < json_array_size(teams); i++) {
		json_t *t = json_array_get(teams, i);

		if (strcmp(json_string_value(json_object_get(t, "team")),
			   "secops"))
			continue;
		found = 1;
		assert_int_equal(json_integer_value(json_object_get(
					 t, "comments_after_publication")),
				 1);
		assert_int_equal(json_integer_value(
					 json_object_get(t, "incidents")),
				 1);
	}
	assert_true(found);
	http_resp_free(&r);
	/* rout (ops) sees no team secops, no count of its comments */
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET",
				   "/api/v1/learning?by=team", NULL, &r),
			 200);
	assert_null(strstr(r.body, "secops"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET",
				   "/api/v1/learning", NULL, &r),
			 200);
	months = json_object_get(r.json, "months");
	for (size_t i = 0; i < json_array_size(months); i++)
		assert_int_equal(json_integer_value(json_object_get(
					 json_array_get(months, i),
					 "comments_after_publication")),
				 0);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET",
				   "/api/v1/learning?by=weather", NULL, &r),
			 400);
	http_resp_free(&r);
}

/* learning_row finds the row of key in GET /api/v1/learning?by=...
 * as who; asserts it is there when want_it, absent otherwise. */
static void learning_row(struct world *W, enum who w, const char *by,
			 const char *key, int want_it, int64_t reads,
			 int64_t readers)
{
	char path[64];
	struct http_resp r;
	json_t *rows, *row;
	size_t i;
	int found = 0;

	snprintf(path, sizeof path, "/api/v1/learning?by=%s", by);
	assert_int_equal(acct_send(W->s, W->token[w], "GET", path, NULL, &r),
			 200);
	rows = json_object_get(r.json, strcmp(by, "team") ? "months" : "teams");
	json_array_foreach(rows, i, row)
	{
		const char *k = json_string_value(json_object_get(
			row, strcmp(by, "team") ? "month" : "team"));

		if (!k || strcmp(k, key))
			continue;
		found = 1;
		assert_int_equal(json_integer_value(json_object_get(row,
								    "reads")),
				 reads);
		assert_int_equal(json_integer_value(
					 json_object_get(row, "readers")),
				 readers);
	}
	assert_int_equal(found, want_it);
	http_resp_free(&r);
}

static void test_learning_counts_reads_and_readers_of_what_one_sees(
	void **state)
{
	struct world *W = *state;
	char month[8];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(month, sizeof month, "%Y-%m", &tm);
	view(W, W->cookie[RIN], NULL, W->open);
	view(W, W->cookie[ROB], NULL, W->open);
	view(W, W->cookie[RIN], NULL, W->secret);
	view(W, W->cookie[ROUT], NULL, W->open);
	/* this month: 4 reads by 3 people; rout does not see the secret one */
	learning_row(W, RIN, "month", month, 1, 4, 3);
	learning_row(W, ROUT, "month", month, 1, 3, 3);
	learning_row(W, RIN, "team", "payments", 1, 3, 3);
	learning_row(W, RIN, "team", "secops", 1, 1, 1);
	learning_row(W, ROUT, "team", "secops", 0, 0, 0);
	/* a deleted review's reads no longer count */
	{
		char path[64];

		snprintf(path, sizeof path, "/api/v1/reviews/%lld",
			 (long long)W->open);
		assert_int_equal(acct_send(W->s, W->token[ADA], "DELETE", path,
					   NULL, NULL),
				 204);
	}
	learning_row(W, RIN, "month", month, 1, 1, 1);
	learning_row(W, RIN, "team", "payments", 0, 0, 0);
}

/* answers_as_missing: path on the hidden review answers rout exactly as
 * on a review that does not exist. */
static void answers_as_missing(struct world *W, const char *method,
			       const char *fmt, const char *json)
{
	char pa[128], pb[128], want[32];
	struct http_resp a, b;
	char *p;

	snprintf(pa, sizeof pa, fmt, (long long)W->secret);
	snprintf(pb, sizeof pb, fmt, (long long)999999);
	assert_int_equal(acct_send(W->s, W->token[ROUT], method, pa, json, &a),
			 404);
	assert_int_equal(acct_send(W->s, W->token[ROUT], method, pb, json, &b),
			 404);
	/* the same body but for the id */
	snprintf(want, sizeof want, "review %lld", (long long)W->secret);
	if ((p = strstr(a.body, want)))
		memmove(p + 7, p + strlen(want), strlen(p + strlen(want)) + 1);
	if ((p = strstr(b.body, "review 999999")))
		memmove(p + 7, p + 13, strlen(p + 13) + 1);
	assert_string_equal(a.body, b.body);
	http_resp_free(&a);
	http_resp_free(&b);
}

static void test_a_restricted_reviews_signals_never_leave_its_group(
	void **state)
{
	struct world *W = *state;
	int64_t reads, readers;

	view(W, W->cookie[RIN], NULL, W->secret);
	comment(W, RIN, W->secret, "{\"body\": \"inside the group\"}", 201);
	answers_as_missing(W, "GET", "/api/v1/reviews/%lld/reads", NULL);
	answers_as_missing(W, "GET", "/api/v1/reviews/%lld/comments", NULL);
	answers_as_missing(W, "GET", "/api/v1/reviews/%lld/comments/1", NULL);
	answers_as_missing(W, "GET", "/api/v1/reviews/%lld/inbound-links",
			   NULL);
	answers_as_missing(W, "POST", "/api/v1/reviews/%lld/comments",
			   "{\"body\": \"leak\"}");
	answers_as_missing(W, "PATCH", "/api/v1/reviews/%lld/comments/1",
			   "{\"body\": \"leak\"}");
	answers_as_missing(W, "DELETE", "/api/v1/reviews/%lld/comments/1",
			   NULL);
	/* and inside the group, they are there */
	assert_int_equal(reads_of(W, ROB, W->secret, &reads, &readers), 200);
	assert_int_equal(reads, 1);
}

static void test_the_pages_show_signals_only_of_reviews_one_sees(
	void **state)
{
	struct world *W = *state;
	struct http_resp r;
	char path[80];
	const char *hdrs[2] = {NULL, NULL};

	view(W, W->cookie[RIN], NULL, W->secret);
	comment(W, RIN, W->secret, "{\"body\": \"secret thought\"}", 201);
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET", "/learning",
				   NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "secops"));
	assert_non_null(strstr(r.body, "2026-10"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET", "/learning",
				   NULL, &r),
			 200);
	assert_null(strstr(r.body, "secops"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[RIN], "GET",
				   "/?sort=reads&days=7", NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "Phishing"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET",
				   "/?sort=reads&days=7", NULL, &r),
			 200);
	assert_null(strstr(r.body, "Phishing"));
	http_resp_free(&r);
	/* the review page's form: a reader comments and lands on it */
	hdrs[0] = W->token[ROB];
	snprintf(path, sizeof path, "/reviews/%lld/comments",
		 (long long)W->open);
	assert_int_equal(http_do(W->s, "POST", path,
				 "application/x-www-form-urlencoded",
				 "body=From+the+form", hdrs, &r),
			 0);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	snprintf(path, sizeof path, "/reviews/%lld", (long long)W->open);
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path, NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "<p>From the form</p>"));
	http_resp_free(&r);
	{
		/* its author edits it through the page; another reader may
		 * neither edit nor remove it; its author removes it */
		char *loc;
		int64_t cid;

		snprintf(path, sizeof path, "/reviews/%lld/comments",
			 (long long)W->open);
		assert_int_equal(http_do(W->s, "POST", path,
					 "application/x-www-form-urlencoded",
					 "body=Second", hdrs, &r),
				 0);
		/* Location: /reviews/ID#comment-CID */
		loc = http_header(&r, "Location");
		assert_non_null(loc);
		assert_non_null(strstr(loc, "#comment-"));
		cid = atoll(strstr(loc, "#comment-") + 9);
		free(loc);
		http_resp_free(&r);
		snprintf(path, sizeof path, "/reviews/%lld/comments/%lld/edit",
			 (long long)W->open, (long long)cid);
		assert_int_equal(http_do(W->s, "POST", path,
					 "application/x-www-form-urlencoded",
					 "body=Second%2C+better", hdrs, &r),
				 0);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		hdrs[0] = W->token[RIN];
		assert_int_equal(http_do(W->s, "POST", path,
					 "application/x-www-form-urlencoded",
					 "body=hijack", hdrs, &r),
				 0);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		/* nor has she its edit page; its author has */
		assert_int_equal(acct_send(W->s, W->token[RIN], "GET", path,
					   NULL, NULL),
				 403);
		assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path,
					   NULL, &r),
				 200);
		assert_non_null(strstr(r.body, ">Second, better</textarea>"));
		http_resp_free(&r);
		snprintf(path, sizeof path,
			 "/reviews/%lld/comments/%lld/delete",
			 (long long)W->open, (long long)cid);
		assert_int_equal(http_do(W->s, "POST", path,
					 "application/x-www-form-urlencoded",
					 "version=0", hdrs, &r),
				 0);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		snprintf(path, sizeof path,
			 "/api/v1/reviews/%lld/comments/%lld",
			 (long long)W->open, (long long)cid);
		assert_int_equal(acct_send(W->s, W->token[RIN], "GET", path,
					   NULL, &r),
				 200);
		assert_string_equal(json_string_value(json_object_get(
					    r.json, "body")),
				    "Second, better");
		http_resp_free(&r);
		hdrs[0] = W->token[ROB];
		snprintf(path, sizeof path,
			 "/reviews/%lld/comments/%lld/delete",
			 (long long)W->open, (long long)cid);
		assert_int_equal(http_do(W->s, "POST", path,
					 "application/x-www-form-urlencoded",
					 "version=0", hdrs, &r),
				 0);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		snprintf(path, sizeof path,
			 "/api/v1/reviews/%lld/comments/%lld",
			 (long long)W->open, (long long)cid);
		assert_int_equal(acct_send(W->s, W->token[RIN], "GET", path,
					   NULL, &r),
				 404);
		http_resp_free(&r);
		snprintf(path, sizeof path, "/reviews/%lld/comments",
			 (long long)W->open);
	}
	/* the pages to comment on an entry and to answer */
	snprintf(path, sizeof path, "/reviews/%lld/comments/new?timeline_id=%lld",
		 (long long)W->open, (long long)W->entry);
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path, NULL, &r),
			 200);
	assert_non_null(strstr(r.body, "<p>paged</p>"));
	assert_non_null(strstr(r.body, "name=\"timeline_id\""));
	http_resp_free(&r);
	snprintf(path, sizeof path, "/reviews/%lld/comments/new?parent_id=99999",
		 (long long)W->open);
	assert_int_equal(acct_send(W->s, W->token[ROB], "GET", path, NULL, NULL),
			 404);
	snprintf(path, sizeof path, "/reviews/%lld/comments/new",
		 (long long)W->secret);
	assert_int_equal(acct_send(W->s, W->token[ROUT], "GET", path, NULL, &r),
			 404);
	assert_null(strstr(r.body, "Phishing"));
	http_resp_free(&r);
	/* an empty one is refused, and a comment on a hidden review is a
	 * missing one */
	snprintf(path, sizeof path, "/reviews/%lld/comments",
		 (long long)W->open);
	assert_int_equal(http_do(W->s, "POST", path,
				 "application/x-www-form-urlencoded", "body=",
				 hdrs, &r),
			 0);
	assert_int_equal(r.status, 422);
	http_resp_free(&r);
	hdrs[0] = W->token[ROUT];
	snprintf(path, sizeof path, "/reviews/%lld/comments",
		 (long long)W->secret);
	assert_int_equal(http_do(W->s, "POST", path,
				 "application/x-www-form-urlencoded",
				 "body=leak", hdrs, &r),
			 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "Phishing"));
	/* what was typed comes back, whatever refused it */
	assert_non_null(strstr(r.body, ">leak</textarea>"));
	http_resp_free(&r);
	{
		/* a comment past its 64 KB is refused, and the page gives all
		 * of it back, not its first 2,000 bytes */
		size_t n = 70 * 1024;
		char *big = malloc(n + 16);

		assert_non_null(big);
		memcpy(big, "body=", 5);
		memset(big + 5, 'x', n);
		strcpy(big + 5 + n, "ENDMARK");
		hdrs[0] = W->token[ROB];
		snprintf(path, sizeof path, "/reviews/%lld/comments",
			 (long long)W->open);
		assert_int_equal(http_do(W->s, "POST", path,
					 "application/x-www-form-urlencoded",
					 big, hdrs, &r),
				 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "The comment was not saved"));
		assert_non_null(strstr(r.body, "xENDMARK</textarea>"));
		http_resp_free(&r);
		free(big);
	}
}

/* refused_as_read_scope sends method path (a form for web paths) with
 * auth and asserts the one 403 shape of a read-scope token. */
static void refused_as_read_scope(struct world *W, const char *auth,
				  const char *method, const char *path,
				  const char *body)
{
	const char *hdrs[] = {auth, NULL};
	int api = !strncmp(path, "/api/", 5);
	struct http_resp r;
	json_t *err;

	assert_int_equal(http_do(W->s, method, path,
				 api ? NULL
				     : "application/x-www-form-urlencoded",
				 body, hdrs, &r),
			 0);
	if (r.status != 403)
		fail_msg("%s %s with a read-scope token: %ld, want 403", method,
			 path, r.status);
	if (api) {
		err = json_object_get(r.json, "error");
		assert_string_equal(
			json_string_value(json_object_get(err, "code")),
			"forbidden");
		assert_non_null(strstr(json_string_value(json_object_get(
					       err, "message")),
				       "read scope"));
		assert_true(json_is_null(json_object_get(err, "field")));
	} else {
		assert_non_null(strstr(r.body, "read scope"));
	}
	http_resp_free(&r);
}

static void test_a_read_scope_token_changes_nothing_whatever_its_role(
	void **state)
{
	struct world *W = *state;
	const char *rin = W->read_token[RIN], *ada = W->read_token[ADA];
	char p[8][112];
	struct http_resp r;
	int64_t own = comment(W, RIN, W->open, "{\"body\": \"Mine\"}", 201);

	snprintf(p[0], sizeof p[0], "/api/v1/reviews/%lld/comments",
		 (long long)W->open);
	snprintf(p[1], sizeof p[1], "/api/v1/reviews/%lld/comments/%lld",
		 (long long)W->open, (long long)own);
	snprintf(p[2], sizeof p[2], "/reviews/%lld/comments",
		 (long long)W->open);
	snprintf(p[3], sizeof p[3], "/reviews/%lld/comments/%lld/edit",
		 (long long)W->open, (long long)own);
	snprintf(p[4], sizeof p[4], "/reviews/%lld/comments/%lld/delete",
		 (long long)W->open, (long long)own);
	snprintf(p[5], sizeof p[5], "/api/v1/reviews/%lld",
		 (long long)W->open);
	snprintf(p[6], sizeof p[6], "/api/v1/reviews/%lld/timeline",
		 (long long)W->open);
	/* a reader's read token: comments (her own too), her settings,
	 * a calendar token */
	refused_as_read_scope(W, rin, "POST", p[0], "{\"body\": \"x\"}");
	refused_as_read_scope(W, rin, "POST", p[0],
			      "{\"body\": \"x\", \"parent_id\": 1}");
	refused_as_read_scope(W, rin, "PATCH", p[1], "{\"body\": \"x\"}");
	refused_as_read_scope(W, rin, "DELETE", p[1], NULL);
	refused_as_read_scope(W, rin, "POST", p[2], "body=x");
	refused_as_read_scope(W, rin, "POST", p[3], "body=x");
	refused_as_read_scope(W, rin, "POST", p[4], "version=0");
	refused_as_read_scope(W, rin, "PATCH", "/api/v1/me",
			      "{\"time_zone\": \"Asia/Tokyo\"}");
	refused_as_read_scope(W, rin, "POST", "/settings",
			      "time_zone=Asia%2FTokyo");
	refused_as_read_scope(W, rin, "POST", "/calendar/token", "");
	/* an admin's read token: the same, and no glossary, review or
	 * timeline write either */
	refused_as_read_scope(W, ada, "POST", p[0], "{\"body\": \"x\"}");
	refused_as_read_scope(W, ada, "DELETE", p[1], NULL);
	refused_as_read_scope(W, ada, "PATCH", p[5], "{\"summary\": \"x\"}");
	refused_as_read_scope(W, ada, "POST", p[6],
			      "{\"at\": \"2026-10-03T10:06:00Z\", \"text\": \"x\"}");
	refused_as_read_scope(W, ada, "POST", "/api/v1/glossary",
			      "{\"term\": \"SLO\", \"definition\": \"x\"}");
	refused_as_read_scope(W, ada, "POST", "/glossary",
			      "term=SLO&definition=x");
	/* nothing changed: one comment, as written; no term; no zone */
	assert_int_equal(acct_send(W->s, rin, "GET", p[0], NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "comments")),
			 1);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, rin, "GET", p[1], NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "body")),
			    "Mine");
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 1);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, rin, "GET", "/api/v1/glossary", NULL,
				   &r),
			 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")),
			 0);
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, rin, "GET", "/api/v1/me", NULL, &r),
			 200);
	assert_string_equal(json_string_value(json_object_get(r.json,
							      "time_zone")),
			    "");
	http_resp_free(&r);
	/* it still reads, and lints (a POST that changes nothing) */
	snprintf(p[7], sizeof p[7], "/api/v1/reviews/%lld/reads",
		 (long long)W->open);
	assert_int_equal(acct_send(W->s, rin, "GET", p[7], NULL, NULL), 200);
	assert_int_equal(acct_send(W->s, rin, "POST", "/api/v1/lint",
				   "{\"text\": \"The deploy failed.\"}", NULL),
			 200);
	/* and the same person's write token comments */
	comment(W, RIN, W->open, "{\"body\": \"Still mine\"}", 201);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, world_up, world_down)
		T(test_reads_count_people_once_an_hour_not_authors_bots_or_scripts),
		T(test_most_read_list_orders_by_reads_and_hides_restricted),
		T(test_readers_comment_in_threads_on_reviews_and_entries),
		T(test_only_the_author_edits_a_comment_and_edits_keep_history),
		T(test_bad_comments_are_refused_naming_the_field),
		T(test_comments_after_publication_are_marked_and_counted),
		T(test_a_restricted_reviews_signals_never_leave_its_group),
		T(test_the_pages_show_signals_only_of_reviews_one_sees),
		T(test_learning_counts_reads_and_readers_of_what_one_sees),
		T(test_a_read_scope_token_changes_nothing_whatever_its_role),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
