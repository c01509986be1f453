/* test_two_servers.c: two debrief servers on one PostgreSQL database, as
 * behind a load balancer. The servers keep nothing but caches, so what one
 * writes the other serves at once: versions and 409 hold across them,
 * a cached page is never stale after the other's write, a session and a
 * token work on both, the login limit counts the failures of both, and
 * both write the one audit trail. Needs PostgreSQL (make pg-api); on
 * SQLite every test is skipped. */
#include "api/account_checks.h"

#include <pthread.h>

#include "http/auth.h"
#include "store/db.h"
#include "store/store.h"
#include "unit/test_db.h"
#include "util/buf.h"
#include "unit/count_checks.h"

struct pair {
	struct hs a, b;
	char token[160]; /* "Authorization: Bearer ..." of ada (write) */
};

static int pair_up(void **state)
{
	struct pair *p;

	if (!test_on_pg())
		return 0; /* each test skips */
	p = calloc(1, sizeof *p);
	assert_non_null(p);
	/* the first server migrates; users are added after, on the shared
	 * database, as an operator would */
	if (hs_start(&p->a, NULL) < 0 || hs_start_beside(&p->b, &p->a, NULL) < 0)
		return -1;
	acct_add_user(&p->a, "ada", "admin");
	acct_add_user(&p->a, "ed", "editor");
	acct_token(&p->a, "ada", "write", p->token, sizeof p->token);
	*state = p;
	return 0;
}

static int pair_down(void **state)
{
	struct pair *p = *state;
	int rc = 0;

	if (!p)
		return 0;
	if (p->a.pid > 0 && hs_stop(&p->a) != 0)
		rc = -1;
	if (p->b.pid > 0 && hs_stop(&p->b) != 0)
		rc = -1;
	hs_cleanup(&p->b);
	hs_cleanup(&p->a);
	free(p);
	return rc;
}

#define NEED_PG()                                                          \
	do {                                                               \
		if (!test_on_pg())                                         \
			skip();                                            \
	} while (0)

static int64_t new_review(struct hs *s, const char *auth, const char *title)
{
	struct http_resp r;
	char body[160];
	int64_t id;

	snprintf(body, sizeof body, "{\"title\": \"%s\"}", title);
	assert_int_equal(acct_send(s, auth, "POST", "/api/v1/reviews", body,
				   &r),
			 201);
	id = (int64_t)json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_true(id > 0);
	return id;
}

/* body_has GETs path on s and tells whether the answer holds text. */
static int body_has(struct hs *s, const char *auth, const char *path,
		    const char *text)
{
	struct http_resp r;
	int has;

	assert_int_equal(acct_send(s, auth, "GET", path, NULL, &r), 200);
	has = r.body && strstr(r.body, text) != NULL;
	http_resp_free(&r);
	return has;
}

/* sql_int reads one number from the pair's database. */
static int64_t sql_int(struct pair *p, const char *sql)
{
	struct db *db;
	struct db_stmt *s;
	char msg[256];
	int64_t v = -1;

	assert_int_equal(db_open(p->a.db, 1, &db, msg, sizeof msg), DB_OK);
	assert_int_equal(db_prepare(db, sql, &s), DB_OK);
	if (db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	db_finalize(s);
	db_close(db);
	return v;
}

struct racer {
	struct hs *s;
	const char *auth, *path;
	int n;
	long status;
};

static void *racer_run(void *arg)
{
	struct racer *rc = arg;
	char body[96];

	snprintf(body, sizeof body,
		 "{\"version\": 1, \"owner_team\": \"team %d\"}", rc->n);
	rc->status = acct_send(rc->s, rc->auth, "PATCH", rc->path, body, NULL);
	return NULL;
}

/* PATCHes of one version sent at once to both servers: one wins, every
 * other is 409, and both servers show the winner's change. */
static void test_concurrent_patches_on_two_servers_have_one_winner(
	void **state)
{
	struct pair *p = *state;
	struct racer rc[8];
	pthread_t t[8];
	char path[64], want[32];
	struct http_resp r;
	int64_t id;
	int ok = 0, conflict = 0, winner = -1;

	NEED_PG();
	id = new_review(&p->a, p->token, "Contended");
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	for (int i = 0; i < 8; i++) {
		rc[i] = (struct racer){i % 2 ? &p->b : &p->a, p->token, path,
				       i, 0};
		assert_int_equal(pthread_create(&t[i], NULL, racer_run, &rc[i]),
				 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += rc[i].status == 200;
		conflict += rc[i].status == 409;
		if (rc[i].status == 200)
			winner = i;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(conflict, 7);
	/* nothing but the winner's write: the create and one update */
	PATHF(want, "%lld", (long long)id);
	{
		char sql[160];

		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM revisions WHERE review_id = %s "
			 "AND record_kind = 'review'",
			 want);
		assert_int_equal(sql_int(p, sql), 2);
	}
	PATHF(want, "team %d", winner);
	for (int s = 0; s < 2; s++) {
		assert_int_equal(acct_send(s ? &p->b : &p->a, p->token, "GET",
					   path, NULL, &r),
				 200);
		assert_int_equal(json_integer_value(
					 json_object_get(r.json, "version")),
				 2);
		assert_string_equal(json_string_value(json_object_get(
					    r.json, "owner_team")),
				    want);
		http_resp_free(&r);
	}
}

/* A page and a JSON answer cached on B are not served after A's write:
 * the review page, the review's JSON and the index. */
static void test_page_on_b_after_a_write_is_fresh(void **state)
{
	struct pair *p = *state;
	char page[64], api[64];
	int64_t id;

	NEED_PG();
	id = new_review(&p->a, p->token, "Before the edit");
	PATHF(page, "/reviews/%lld", (long long)id);
	PATHF(api, "/api/v1/reviews/%lld", (long long)id);
	/* twice on B: the second answer comes from B's cache */
	for (int i = 0; i < 2; i++) {
		assert_true(body_has(&p->b, p->token, page, "Before the edit"));
		assert_true(body_has(&p->b, p->token, api, "Before the edit"));
		assert_true(body_has(&p->b, p->token, "/", "Before the edit"));
	}
	assert_int_equal(acct_send(&p->a, p->token, "PATCH", api,
				   "{\"version\": 1, \"title\": "
				   "\"After the edit\"}",
				   NULL),
			 200);
	assert_true(body_has(&p->b, p->token, page, "After the edit"));
	assert_false(body_has(&p->b, p->token, page, "Before the edit"));
	assert_true(body_has(&p->b, p->token, api, "After the edit"));
	assert_true(body_has(&p->b, p->token, "/", "After the edit"));
	/* a review made on A is on B's index at once, and a delete on A
	 * hides it on B */
	id = new_review(&p->a, p->token, "Made on A");
	assert_true(body_has(&p->b, p->token, "/", "Made on A"));
	PATHF(api, "/api/v1/reviews/%lld", (long long)id);
	assert_int_equal(acct_send(&p->a, p->token, "DELETE", api, NULL, NULL),
			 204);
	assert_false(body_has(&p->b, p->token, "/", "Made on A"));
	assert_int_equal(acct_send(&p->b, p->token, "GET", api, NULL, NULL),
			 404);
}

/* Signed in on A is signed in on B; signed out on B is signed out on A. */
static void test_session_and_token_work_on_both(void **state)
{
	struct pair *p = *state;
	char cookie[192], csrf[128], body[192];
	const char *hdrs[2];
	struct http_resp r;

	NEED_PG();
	assert_int_equal(acct_login(&p->a, "ed", "pw-of-ed", cookie,
				    sizeof cookie),
			 303);
	assert_true(cookie[0] != '\0');
	assert_int_equal(acct_send(&p->b, cookie, "GET", "/api/v1/me", NULL,
				   &r),
			 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "name")), "ed");
	http_resp_free(&r);
	/* B's pages know ed too */
	assert_true(body_has(&p->b, cookie, "/", "ed"));
	/* the token made once works on both */
	assert_int_equal(acct_send(&p->a, p->token, "GET", "/api/v1/me", NULL,
				   NULL),
			 200);
	assert_int_equal(acct_send(&p->b, p->token, "GET", "/api/v1/me", NULL,
				   NULL),
			 200);
	/* signing out on B ends the session on A too */
	acct_page_csrf(&p->b, cookie, "/logout", csrf, sizeof csrf);
	assert_true(csrf[0] != '\0');
	snprintf(body, sizeof body, "csrf=%s", csrf);
	hdrs[0] = cookie;
	hdrs[1] = NULL;
	assert_int_equal(http_do(&p->b, "POST", "/logout",
				 "application/x-www-form-urlencoded", body,
				 hdrs, &r),
			 0);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	assert_int_equal(acct_send(&p->a, cookie, "GET", "/api/v1/me", NULL,
				   NULL),
			 401);
}

/* Failed sign-ins split across A and B reach the one limit: after three
 * on A and two on B, the right password is refused on either. */
static void test_login_limit_holds_across_servers(void **state)
{
	struct pair *p = *state;
	char cookie[192];

	NEED_PG();
	for (int i = 0; i < AUTH_MAX_FAILURES; i++)
		assert_int_equal(acct_login(i < 3 ? &p->a : &p->b, "ed",
					    "wrong-wrong", cookie,
					    sizeof cookie),
				 401);
	assert_int_equal(acct_login(&p->a, "ed", "pw-of-ed", cookie,
				    sizeof cookie),
			 429);
	assert_int_equal(acct_login(&p->b, "ed", "pw-of-ed", cookie,
				    sizeof cookie),
			 429);
	assert_string_equal(cookie, "");
	/* another account is not locked by them */
	assert_int_equal(acct_login(&p->b, "ada", "pw-of-ada", cookie,
				    sizeof cookie),
			 303);
}

#define WRITERS 8
#define WRITES	12

struct writer {
	struct hs *s;
	const char *auth;
	int64_t id, version;
	int n, ok, other; /* 200s, anything else */
};

/* writer_run PATCHes its own review WRITES times, each with the version
 * the last answer gave; severity, kind and services change, so that the
 * counts and trends move (their rows are shared by every review). */
static void *writer_run(void *arg)
{
	static const char *const kinds[] = {"incident", "near-miss"};
	struct writer *w = arg;
	char path[64], body[256];

	PATHF(path, "/api/v1/reviews/%lld", (long long)w->id);
	for (int i = 0; i < WRITES; i++) {
		struct http_resp r;
		long st;

		snprintf(body, sizeof body,
			 "{\"version\": %lld, \"title\": \"writer %d write %d\", "
			 "\"severity\": %d, \"kind\": \"%s\", \"services\": "
			 "[\"svc-%d\"]}",
			 (long long)w->version, w->n, i, 1 + (w->n + i) % 5,
			 kinds[i % 2], (w->n + i) % 3);
		st = acct_send(w->s, w->auth, "PATCH", path, body, &r);
		if (st == 200) {
			w->ok++;
			w->version = (int64_t)json_integer_value(
				json_object_get(r.json, "version"));
		} else {
			w->other++;
			print_message("writer %d: PATCH %d: %ld %s\n", w->n, i,
				      st, r.body ? r.body : "");
		}
		http_resp_free(&r);
	}
	return NULL;
}

/* pg_ok runs sql on c and fails the test unless it succeeds. */
static void pg_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

static void *patch_run(void *arg)
{
	struct writer *w = arg;
	char path[64], body[96];

	PATHF(path, "/api/v1/reviews/%lld", (long long)w->id);
	snprintf(body, sizeof body, "{\"version\": %lld, \"tldr\": \"late\"}",
		 (long long)w->version);
	w->ok = (int)acct_send(w->s, w->auth, "PATCH", path, body, NULL);
	return NULL;
}

/* A write locks its own review, not the database: while another
 * transaction holds review X (it moved X's version and has not
 * committed), a PATCH of X waits, a PATCH of Y on the other server goes
 * through, and once X's holder commits the waiting PATCH reads the new
 * version and answers 409 (no lost update). */
static void test_write_waits_only_for_its_own_review(void **state)
{
	struct pair *p = *state;
	struct writer x;
	pthread_t t;
	char sql[128], path[64];
	int64_t idx, idy;
	PGconn *c;

	NEED_PG();
	idx = new_review(&p->a, p->token, "Held");
	idy = new_review(&p->a, p->token, "Free");
	c = test_pg_connect(p->a.db);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	pg_ok(c, "BEGIN");
	snprintf(sql, sizeof sql,
		 "UPDATE reviews SET version = version + 1 WHERE id = %lld",
		 (long long)idx);
	pg_ok(c, sql);
	x = (struct writer){&p->a, p->token, idx, 1, 0, 0, 0};
	assert_int_equal(pthread_create(&t, NULL, patch_run, &x), 0);
	usleep(300 * 1000); /* x's PATCH is now waiting for the row */
	PATHF(path, "/api/v1/reviews/%lld", (long long)idy);
	assert_int_equal(acct_send(&p->b, p->token, "PATCH", path,
				   "{\"version\": 1, \"tldr\": \"free\"}",
				   NULL),
			 200);
	assert_int_equal(x.ok, 0); /* still waiting */
	pg_ok(c, "COMMIT");
	PQfinish(c);
	pthread_join(t, NULL);
	assert_int_equal(x.ok, 409);
}

/* Writers of different reviews on both servers at once all succeed:
 * none waits on another's review, nothing is lost (every version and
 * revision is there, both servers show each review's last write), and
 * the counts the triggers keep equal a fresh count. */
static void test_concurrent_writes_to_different_reviews_all_succeed(
	void **state)
{
	struct pair *p = *state;
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	char path[64], want[64], sql[160];
	int64_t gen0, gen1;

	NEED_PG();
	gen0 = sql_int(p, "SELECT value FROM generation WHERE id = 1");
	for (int i = 0; i < WRITERS; i++) {
		char title[32];

		PATHF(title, "Writer %d", i);
		w[i] = (struct writer){i % 2 ? &p->b : &p->a, p->token,
				       new_review(&p->a, p->token, title), 1,
				       i, 0, 0};
	}
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer_run, &w[i]),
				 0);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < WRITERS; i++) {
		assert_int_equal(w[i].other, 0);
		assert_int_equal(w[i].ok, WRITES);
		assert_int_equal(w[i].version, 1 + WRITES);
		PATHF(path, "/api/v1/reviews/%lld", (long long)w[i].id);
		PATHF(want, "writer %d write %d", i, WRITES - 1);
		assert_true(body_has(&p->a, p->token, path, want));
		assert_true(body_has(&p->b, p->token, path, want));
		/* a revision per write: the create and each update */
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM revisions WHERE review_id = "
			 "%lld AND record_kind = 'review'",
			 (long long)w[i].id);
		assert_int_equal(sql_int(p, sql), 1 + WRITES);
	}
	/* the generation moved with the writes (at least once a commit) */
	gen1 = sql_int(p, "SELECT value FROM generation WHERE id = 1");
	assert_true(gen1 > gen0 + WRITERS);
	check_trend_counts(p->a.db);
}

/* count_audit counts audit records of action by actor. */
static int count_audit(struct pair *p, const char *actor, const char *action)
{
	struct store *st = NULL;
	struct arena *a = arena_new();
	struct store_audit *v;
	size_t n = 0;
	int count = 0;

	assert_int_equal(store_open(p->a.db, &st, NULL), E_OK);
	assert_int_equal(store_audit_list(st, a, 0, &v, &n, NULL), E_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].action, action) && v[i].actor &&
		    !strcmp(v[i].actor, actor))
			count++;
	store_close(st);
	arena_free(a);
	return count;
}

/* Both servers write the one audit trail. */
static void test_audit_rows_from_both_servers(void **state)
{
	struct pair *p = *state;
	char cookie[192];

	NEED_PG();
	assert_int_equal(acct_login(&p->a, "ed", "pw-of-ed", cookie,
				    sizeof cookie),
			 303);
	assert_int_equal(acct_login(&p->b, "ed", "pw-of-ed", cookie,
				    sizeof cookie),
			 303);
	assert_int_equal(acct_login(&p->a, "ed", "nope-nope", cookie,
				    sizeof cookie),
			 401);
	assert_int_equal(acct_login(&p->b, "ed", "nope-nope", cookie,
				    sizeof cookie),
			 401);
	assert_int_equal(count_audit(p, "ed", "login"), 2);
	assert_int_equal(count_audit(p, "ed", "login.failed"), 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, pair_up, pair_down)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_concurrent_patches_on_two_servers_have_one_winner),
		T(test_concurrent_writes_to_different_reviews_all_succeed),
		T(test_write_waits_only_for_its_own_review),
		T(test_page_on_b_after_a_write_is_fresh),
		T(test_session_and_token_work_on_both),
		T(test_login_limit_holds_across_servers),
		T(test_audit_rows_from_both_servers),
	};

	return cmocka_run_group_tests_name("two_servers", tests, NULL, NULL);
}
