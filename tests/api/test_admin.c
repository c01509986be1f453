/* test_admin.c: administering accounts through the JSON API: listing,
 * adding and changing users, signing them out, their API tokens, and the
 * audit trail. Every change is audited with the admin as actor; every
 * endpoint is for admins only; every bad input gets a clear error and
 * changes nothing. Users and tokens of the fixture are made with the CLI. */
#include "api/account_checks.h"

struct fx {
	struct hs *s;
	char admin[160];  /* ada's write token: an admin */
	char read[160];	  /* ada's read token: acts as a reader */
	char editor[160]; /* ed's write token: an editor */
};

static int admins_up(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	f->s = acct_prepare();
	acct_add_user(f->s, "ada", "admin");
	acct_add_user(f->s, "ed", "editor");
	acct_add_user(f->s, "rita", "reader");
	acct_token(f->s, "ada", "write", f->admin, sizeof f->admin);
	acct_token(f->s, "ada", "read", f->read, sizeof f->read);
	acct_token(f->s, "ed", "write", f->editor, sizeof f->editor);
	if (hs_start(f->s, NULL) < 0)
		return -1;
	*state = f;
	return 0;
}

static int admins_down(void **state)
{
	struct fx *f = *state;
	int rc = 0;

	if (!f)
		return 0;
	if (f->s->pid > 0 && hs_stop(f->s) != 0)
		rc = -1;
	hs_cleanup(f->s);
	free(f->s);
	free(f);
	return rc;
}

/* as_admin sends a request with ada's write token; r may be NULL. */
static long as_admin(struct fx *f, const char *method, const char *path,
		     const char *json, struct http_resp *r)
{
	return acct_send(f->s, f->admin, method, path, json, r);
}

/* user_get reads a user as JSON (caller decrefs); asserts 200. */
static json_t *user_get(struct fx *f, const char *name)
{
	struct http_resp r;
	char path[128];
	json_t *j;

	assert_int_equal(as_admin(f, "GET",
				  PATHF(path, "/api/v1/users/%s", name), NULL,
				  &r),
			 200);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

/* audit_newest returns the newest audit record whose action starts with
 * action (caller decrefs), or NULL when there is none. */
static json_t *audit_newest(struct fx *f, const char *action)
{
	struct http_resp r;
	char path[160];
	json_t *rec;

	assert_int_equal(
		as_admin(f, "GET",
			 PATHF(path, "/api/v1/audit?limit=1&action=%s", action),
			 NULL, &r),
		200);
	rec = json_array_get(json_object_get(r.json, "audit"), 0);
	json_incref(rec);
	http_resp_free(&r);
	return rec;
}

/* audit_count counts the records of action (a prefix) in the trail. */
static size_t audit_count(struct fx *f, const char *action)
{
	struct http_resp r;
	char path[160];
	size_t n;

	assert_int_equal(
		as_admin(f, "GET",
			 PATHF(path, "/api/v1/audit?limit=500&action=%s",
			       action),
			 NULL, &r),
		200);
	n = json_array_size(json_object_get(r.json, "audit"));
	http_resp_free(&r);
	return n;
}

/* check_audited asserts the newest record of action is by ada with
 * detail. */
static void check_audited(struct fx *f, const char *action, const char *detail)
{
	json_t *rec = audit_newest(f, action);

	assert_non_null(rec);
	assert_string_equal(jstr(rec, "action"), action);
	assert_string_equal(jstr(rec, "actor"), "ada");
	assert_string_equal(jstr(rec, "detail"), detail);
	assert_string_equal(jstr(rec, "address"), "127.0.0.1");
	json_decref(rec);
}

/* snapshot is everything a bad request must leave alone: the users (with
 * their token counts) and the audit trail, as text. */
static char *snapshot(struct fx *f)
{
	struct http_resp r;
	char *out;

	assert_int_equal(as_admin(f, "GET", "/api/v1/users", NULL, &r), 200);
	out = malloc(r.len + 64);
	assert_non_null(out);
	memcpy(out, r.body, r.len);
	out[r.len] = '\0';
	http_resp_free(&r);
	assert_int_equal(as_admin(f, "GET", "/api/v1/audit?limit=1", NULL, &r),
			 200);
	snprintf(out + strlen(out), 64, "|%lld",
		 (long long)json_integer_value(json_object_get(
			 json_array_get(json_object_get(r.json, "audit"), 0),
			 "id")));
	http_resp_free(&r);
	return out;
}

static void check_snapshot(struct fx *f, char *before)
{
	char *now = snapshot(f);

	assert_string_equal(now, before);
	free(now);
	free(before);
}

static void
test_admin_lists_users_with_role_groups_and_live_tokens(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	json_t *users, *ada, *rita;

	assert_int_equal(as_admin(f, "GET", "/api/v1/users", NULL, &r), 200);
	users = json_object_get(r.json, "users");
	assert_int_equal(json_array_size(users), 3);
	ada = json_array_get(users, 0);
	rita = json_array_get(users, 2);
	assert_string_equal(jstr(ada, "name"), "ada");
	assert_string_equal(jstr(ada, "role"), "admin");
	assert_int_equal(jint(ada, "tokens"), 2);
	assert_true(json_is_false(json_object_get(ada, "disabled")));
	assert_true(json_is_true(json_object_get(ada, "has_password")));
	assert_true(json_is_array(json_object_get(ada, "groups")));
	assert_string_equal(jstr(rita, "role"), "reader");
	assert_int_equal(jint(rita, "tokens"), 0);
	assert_non_null(jstr(rita, "created_at"));
	assert_null(json_object_get(ada, "password_hash"));
	assert_null(strstr(r.body, "argon2"));
	http_resp_free(&r);
}

static void
test_admin_adds_a_user_who_can_sign_in_and_it_is_audited(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char cookie[160];
	char *loc;

	assert_int_equal(
		as_admin(
			f, "POST", "/api/v1/users",
			"{\"name\": \"sam\", \"role\": \"editor\", \"groups\": "
			"[\"security\", \"ops\", \"security\"], \"password\": "
			"\"long-enough-pw\"}",
			&r),
		201);
	assert_string_equal(jstr(r.json, "name"), "sam");
	assert_string_equal(jstr(r.json, "role"), "editor");
	/* repeats dropped, order kept */
	assert_int_equal(json_array_size(json_object_get(r.json, "groups")), 2);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(r.json, "groups"), 0)),
			    "security");
	loc = http_header(&r, "Location");
	assert_string_equal(loc, "/api/v1/users/sam");
	free(loc);
	http_resp_free(&r);
	check_audited(f, "user.add",
		      "sam role editor groups [\"security\",\"ops\"]");
	assert_int_equal(acct_login(f->s, "sam", "long-enough-pw", cookie,
				    sizeof cookie),
			 303);
	assert_int_equal(
		acct_send(f->s, cookie, "GET", "/api/v1/reviews", NULL, NULL),
		200);
}

static void
test_user_added_without_password_cannot_sign_in_by_password(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char cookie[160];

	assert_int_equal(as_admin(f, "POST", "/api/v1/users",
				  "{\"name\": \"pat@example.com\", \"role\": "
				  "\"reader\"}",
				  &r),
			 201);
	assert_true(json_is_false(json_object_get(r.json, "has_password")));
	http_resp_free(&r);
	check_audited(f, "user.add",
		      "pat@example.com role reader groups [] (no password)");
	assert_int_equal(
		acct_login(f->s, "pat@example.com", "", cookie, sizeof cookie),
		401);
	assert_string_equal(cookie, "");
}

static void
test_patch_changes_role_and_groups_and_audits_old_and_new(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	json_t *u;

	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/rita",
				  "{\"role\": \"editor\", \"groups\": "
				  "[\"sre\"]}",
				  &r),
			 200);
	assert_string_equal(jstr(r.json, "role"), "editor");
	http_resp_free(&r);
	check_audited(f, "user.role", "rita: reader -> editor");
	check_audited(f, "user.groups", "rita: [] -> [\"sre\"]");
	/* the new role holds at once: rita may now create reviews */
	u = user_get(f, "rita");
	assert_string_equal(jstr(u, "role"), "editor");
	json_decref(u);
	/* a PATCH that changes nothing records nothing */
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/rita",
				  "{\"role\": \"editor\"}", NULL),
			 200);
	assert_int_equal(audit_count(f, "user.role"), 1);
	/* groups may be emptied */
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/rita",
				  "{\"groups\": []}", &r),
			 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "groups")), 0);
	http_resp_free(&r);
}

static void
test_demoted_editor_loses_writing_at_once_but_stays_signed_in(void **state)
{
	struct fx *f = *state;
	char cookie[160];

	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", cookie, sizeof cookie), 303);
	assert_int_equal(acct_send(f->s, f->editor, "POST", "/api/v1/reviews",
				   "{\"title\": \"x\"}", NULL),
			 201);
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/ed",
				  "{\"role\": \"reader\"}", NULL),
			 200);
	assert_int_equal(acct_send(f->s, f->editor, "POST", "/api/v1/reviews",
				   "{\"title\": \"x\"}", NULL),
			 403);
	/* still signed in, as a reader */
	assert_int_equal(
		acct_send(f->s, cookie, "GET", "/api/v1/reviews", NULL, NULL),
		200);
}

static void test_password_reset_signs_the_user_out_and_is_audited(void **state)
{
	struct fx *f = *state;
	char cookie[160], again[160];

	assert_int_equal(
		acct_login(f->s, "rita", "pw-of-rita", cookie, sizeof cookie),
		303);
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/rita",
				  "{\"password\": \"a-new-password\"}", NULL),
			 200);
	check_audited(f, "user.passwd", "rita");
	assert_int_equal(
		acct_send(f->s, cookie, "GET", "/api/v1/reviews", NULL, NULL),
		401);
	assert_int_equal(
		acct_login(f->s, "rita", "pw-of-rita", again, sizeof again),
		401);
	assert_int_equal(
		acct_login(f->s, "rita", "a-new-password", again, sizeof again),
		303);
}

static void
test_disabled_users_session_and_tokens_stop_working_at_once(void **state)
{
	struct fx *f = *state;
	char cookie[160], again[160];
	json_t *u;

	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", cookie, sizeof cookie), 303);
	assert_int_equal(
		acct_send(f->s, cookie, "GET", "/api/v1/reviews", NULL, NULL),
		200);
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/ed",
				  "{\"disabled\": true}", NULL),
			 200);
	check_audited(f, "user.disable", "ed");
	assert_int_equal(
		acct_send(f->s, cookie, "GET", "/api/v1/reviews", NULL, NULL),
		401);
	assert_int_equal(acct_send(f->s, f->editor, "GET", "/api/v1/reviews",
				   NULL, NULL),
			 401);
	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", again, sizeof again), 401);
	u = user_get(f, "ed");
	assert_true(json_is_true(json_object_get(u, "disabled")));
	json_decref(u);
	/* enabled again: signing in works, the old session and the revoked
	 * token stay dead */
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/ed",
				  "{\"disabled\": false}", NULL),
			 200);
	check_audited(f, "user.enable", "ed");
	assert_int_equal(
		acct_send(f->s, cookie, "GET", "/api/v1/reviews", NULL, NULL),
		401);
	assert_int_equal(acct_send(f->s, f->editor, "GET", "/api/v1/reviews",
				   NULL, NULL),
			 401);
	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", again, sizeof again), 303);
}

static void test_signout_everywhere_ends_sessions_and_keeps_tokens(void **state)
{
	struct fx *f = *state;
	char one[160], two[160];

	assert_int_equal(acct_login(f->s, "ed", "pw-of-ed", one, sizeof one),
			 303);
	assert_int_equal(acct_login(f->s, "ed", "pw-of-ed", two, sizeof two),
			 303);
	assert_int_equal(
		as_admin(f, "DELETE", "/api/v1/users/ed/sessions", NULL, NULL),
		204);
	check_audited(f, "user.signout", "ed");
	assert_int_equal(
		acct_send(f->s, one, "GET", "/api/v1/reviews", NULL, NULL),
		401);
	assert_int_equal(
		acct_send(f->s, two, "GET", "/api/v1/reviews", NULL, NULL),
		401);
	assert_int_equal(acct_send(f->s, f->editor, "GET", "/api/v1/reviews",
				   NULL, NULL),
			 200);
}

static void test_tokens_are_listed_without_secrets_and_revoked(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	json_t *toks, *t;
	char path[128];
	long long id, ada_id;

	assert_int_equal(
		as_admin(f, "GET", "/api/v1/users/ed/tokens", NULL, &r), 200);
	toks = json_object_get(r.json, "tokens");
	assert_int_equal(json_array_size(toks), 1);
	t = json_array_get(toks, 0);
	id = (long long)jint(t, "id");
	assert_string_equal(jstr(t, "scope"), "write");
	assert_string_equal(jstr(t, "user"), "ed");
	assert_true(json_is_null(json_object_get(t, "revoked_at")));
	assert_null(json_object_get(t, "hash"));
	assert_null(strstr(r.body, "dbt_"));
	http_resp_free(&r);
	/* a token of another user is not revoked through this one */
	assert_int_equal(
		as_admin(f, "GET", "/api/v1/users/ada/tokens", NULL, &r), 200);
	ada_id = (long long)jint(
		json_array_get(json_object_get(r.json, "tokens"), 0), "id");
	http_resp_free(&r);
	assert_int_equal(
		as_admin(f, "DELETE",
			 PATHF(path, "/api/v1/users/ed/tokens/%lld", ada_id),
			 NULL, &r),
		404);
	check_error(&r, 404, "not_found", "token");
	http_resp_free(&r);
	assert_int_equal(
		as_admin(f, "DELETE",
			 PATHF(path, "/api/v1/users/ed/tokens/%lld", id), NULL,
			 NULL),
		204);
	snprintf(path, sizeof path, "token %lld of ed", id);
	check_audited(f, "token.revoke", path);
	assert_int_equal(acct_send(f->s, f->editor, "GET", "/api/v1/reviews",
				   NULL, NULL),
			 401);
	assert_int_equal(
		as_admin(f, "GET", "/api/v1/users/ed/tokens", NULL, &r), 200);
	t = json_array_get(json_object_get(r.json, "tokens"), 0);
	assert_true(json_is_string(json_object_get(t, "revoked_at")));
	http_resp_free(&r);
	/* twice: nothing live to revoke */
	assert_int_equal(
		as_admin(f, "DELETE",
			 PATHF(path, "/api/v1/users/ed/tokens/%lld", id), NULL,
			 NULL),
		404);
	assert_int_equal(audit_count(f, "token.revoke"), 1);
}

static void
test_audit_pages_by_before_and_filters_by_actor_and_action(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[160];
	json_t *list;
	long long next;

	for (int i = 0; i < 3; i++)
		assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/rita",
					  i % 2 ? "{\"groups\": []}"
						: "{\"groups\": [\"a\"]}",
					  NULL),
				 200);
	assert_int_equal(as_admin(f, "GET",
				  "/api/v1/audit?limit=2&action=user.groups",
				  NULL, &r),
			 200);
	list = json_object_get(r.json, "audit");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(jstr(json_array_get(list, 0), "detail"),
			    "rita: [] -> [\"a\"]");
	next = (long long)jint(r.json, "next_before");
	assert_int_equal(next, jint(json_array_get(list, 1), "id"));
	assert_true(jint(json_array_get(list, 0), "id") > next);
	http_resp_free(&r);
	assert_int_equal(
		as_admin(f, "GET",
			 PATHF(path,
			       "/api/v1/audit?limit=2&action=user.groups&"
			       "before=%lld",
			       next),
			 NULL, &r),
		200);
	list = json_object_get(r.json, "audit");
	assert_int_equal(json_array_size(list), 1);
	assert_true(jint(json_array_get(list, 0), "id") < next);
	assert_true(json_is_null(json_object_get(r.json, "next_before")));
	http_resp_free(&r);
	/* by actor: the CLI's records are "cli:..." and not ada's */
	assert_int_equal(
		as_admin(f, "GET", "/api/v1/audit?actor=ada", NULL, &r), 200);
	list = json_object_get(r.json, "audit");
	assert_int_equal(json_array_size(list), 3);
	http_resp_free(&r);
	assert_true(audit_count(f, "user.") >= 6); /* 3 CLI adds, 3 changes */
}

/* every admin endpoint, and what an admin gets for it in this fixture */
static const struct {
	const char *method, *path, *body;
} endpoints[] = {
	{"GET", "/api/v1/users", NULL},
	{"POST", "/api/v1/users", "{\"name\": \"zed\", \"role\": \"admin\"}"},
	{"GET", "/api/v1/users/rita", NULL},
	{"PATCH", "/api/v1/users/rita", "{\"role\": \"admin\"}"},
	{"DELETE", "/api/v1/users/rita/sessions", NULL},
	{"GET", "/api/v1/users/ada/tokens", NULL},
	{"DELETE", "/api/v1/users/ada/tokens/1", NULL},
	{"GET", "/api/v1/audit", NULL},
};

static void
test_non_admins_get_403_and_nobody_401_and_nothing_changes(void **state)
{
	struct fx *f = *state;
	char reader[160], editor[160];
	const char *who[4];
	char *before;
	size_t i, k;

	assert_int_equal(
		acct_login(f->s, "rita", "pw-of-rita", reader, sizeof reader),
		303);
	assert_int_equal(
		acct_login(f->s, "ed", "pw-of-ed", editor, sizeof editor), 303);
	who[0] = reader;
	who[1] = editor;
	who[2] = f->read; /* an admin's read token acts as a reader */
	who[3] = f->editor;
	before = snapshot(f);
	for (i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
		struct http_resp r;

		for (k = 0; k < 4; k++) {
			assert_int_equal(acct_send(f->s, who[k],
						   endpoints[i].method,
						   endpoints[i].path,
						   endpoints[i].body, &r),
					 403);
			check_error(&r, 403, "forbidden", NULL);
			http_resp_free(&r);
		}
		assert_int_equal(acct_send(f->s, NULL, endpoints[i].method,
					   endpoints[i].path, endpoints[i].body,
					   &r),
				 401);
		check_error(&r, 401, "unauthorized", NULL);
		http_resp_free(&r);
	}
	check_snapshot(f, before);
	/* the reader and the editor are still signed in (nothing revoked) */
	assert_int_equal(
		acct_send(f->s, reader, "GET", "/api/v1/reviews", NULL, NULL),
		200);
}

/* refused sends one bad request as admin and checks the error. */
static void refused(struct fx *f, const char *method, const char *path,
		    const char *body, long status, const char *code,
		    const char *field)
{
	struct http_resp r;

	as_admin(f, method, path, body, &r);
	check_error(&r, status, code, field);
	http_resp_free(&r);
}

static void test_bad_input_gets_a_clear_error_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	char *before = snapshot(f);
	const char *long_pw;
	char body[1400];

	/* unknown users */
	refused(f, "GET", "/api/v1/users/ghost", NULL, 404, "not_found",
		"user");
	refused(f, "PATCH", "/api/v1/users/ghost", "{\"role\": \"admin\"}", 404,
		"not_found", "user");
	refused(f, "PATCH", "/api/v1/users/ghost",
		"{\"password\": \"long-enough-pw\"}", 404, "not_found", "user");
	refused(f, "DELETE", "/api/v1/users/ghost/sessions", NULL, 404,
		"not_found", "user");
	refused(f, "GET", "/api/v1/users/ghost/tokens", NULL, 404, "not_found",
		"user");
	refused(f, "DELETE", "/api/v1/users/ghost/tokens/1", NULL, 404,
		"not_found", "user");
	refused(f, "DELETE", "/api/v1/users/ed/tokens/abc", NULL, 404,
		"not_found", "token");
	/* bad roles, groups, names, passwords */
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"zed\", \"role\": \"root\"}", 422, "invalid",
		"role");
	refused(f, "POST", "/api/v1/users", "{\"name\": \"zed\"}", 422,
		"invalid", "role");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"role\": \"owner\"}", 422,
		"invalid", "role");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"role\": 3}", 400,
		"bad_request", "role");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"zed\", \"role\": \"reader\", \"groups\": "
		"[\"Ops Team\"]}",
		422, "invalid", "groups");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"groups\": [\"\"]}", 422,
		"invalid", "groups");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"groups\": \"ops\"}", 400,
		"bad_request", "groups");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"groups\": [1]}", 400,
		"bad_request", "groups");
	refused(f, "PATCH", "/api/v1/users/rita",
		"{\"role\": \"admin\", \"groups\": [\"x\", \"BAD\"]}", 422,
		"invalid", "groups");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"a/b\", \"role\": \"reader\"}", 422, "invalid",
		"name");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"\", \"role\": \"reader\"}", 422, "invalid",
		"name");
	refused(f, "POST", "/api/v1/users", "{\"role\": \"reader\"}", 422,
		"invalid", "name");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"-x\", \"role\": \"reader\"}", 422, "invalid",
		"name");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"zed\", \"role\": \"reader\", \"password\": "
		"\"short\"}",
		422, "invalid", "password");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"zed1234567\", \"role\": \"reader\", "
		"\"password\": \"ZED1234567\"}",
		422, "invalid", "password");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"password\": \"\"}", 422,
		"invalid", "password");
	long_pw = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxx"; /* 64 */
	snprintf(body, sizeof body, "{\"password\": \"");
	for (int i = 0; i < 17; i++)
		strcat(body, long_pw);
	strcat(body, "\"}");
	refused(f, "PATCH", "/api/v1/users/rita", body, 422, "invalid",
		"password");
	/* a taken name */
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"rita\", \"role\": \"admin\", \"password\": "
		"\"long-enough-pw\"}",
		409, "conflict", "name");
	/* malformed bodies */
	refused(f, "POST", "/api/v1/users", "{\"name\": ", 400, "bad_request",
		NULL);
	refused(f, "PATCH", "/api/v1/users/rita", "[1]", 400, "bad_request",
		NULL);
	refused(f, "PATCH", "/api/v1/users/rita", "{\"admin\": true}", 400,
		"bad_request", "admin");
	refused(f, "PATCH", "/api/v1/users/rita", "{\"disabled\": \"yes\"}",
		400, "bad_request", "disabled");
	refused(f, "POST", "/api/v1/users",
		"{\"name\": \"zed\", \"role\": \"reader\", \"version\": 1}",
		400, "bad_request", "version");
	/* audit arguments */
	refused(f, "GET", "/api/v1/audit?limit=0", NULL, 400, "bad_request",
		"limit");
	refused(f, "GET", "/api/v1/audit?limit=501", NULL, 400, "bad_request",
		"limit");
	refused(f, "GET", "/api/v1/audit?before=x", NULL, 400, "bad_request",
		"before");
	refused(f, "GET", "/api/v1/audit?before=-1", NULL, 400, "bad_request",
		"before");
	check_snapshot(f, before);
}

static void
test_last_enabled_admin_cannot_disable_or_demote_themselves(void **state)
{
	struct fx *f = *state;
	char *before = snapshot(f);
	struct http_resp r;
	char rita[160];
	json_t *rec;

	as_admin(f, "PATCH", "/api/v1/users/ada", "{\"disabled\": true}", &r);
	check_error(&r, 409, "conflict", "disabled");
	assert_non_null(
		strstr(jstr(json_object_get(r.json, "error"), "message"),
		       "last enabled admin"));
	http_resp_free(&r);
	as_admin(f, "PATCH", "/api/v1/users/ada",
		 "{\"role\": \"editor\", \"groups\": [\"x\"]}", &r);
	check_error(&r, 409, "conflict", "role");
	http_resp_free(&r);
	check_snapshot(f, before);
	/* with a second admin, ada may step down */
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/rita",
				  "{\"role\": \"admin\"}", NULL),
			 200);
	assert_int_equal(as_admin(f, "PATCH", "/api/v1/users/ada",
				  "{\"role\": \"editor\"}", NULL),
			 200);
	/* her token acts as what she is now */
	assert_int_equal(as_admin(f, "GET", "/api/v1/users", NULL, NULL), 403);
	/* the new admin reads what happened */
	assert_int_equal(
		acct_login(f->s, "rita", "pw-of-rita", rita, sizeof rita), 303);
	assert_int_equal(acct_send(f->s, rita, "GET",
				   "/api/v1/audit?action=user.role&limit=1",
				   NULL, &r),
			 200);
	rec = json_array_get(json_object_get(r.json, "audit"), 0);
	assert_string_equal(jstr(rec, "actor"), "ada");
	assert_string_equal(jstr(rec, "detail"), "ada: admin -> editor");
	http_resp_free(&r);
}

static void test_first_user_of_a_fresh_install_must_be_an_admin(void **state)
{
	struct hs *s = *state;
	struct http_resp r;

	/* no users: everyone is the anonymous local admin */
	http_json(s, "POST", "/api/v1/users",
		  "{\"name\": \"ann\", \"role\": \"editor\", \"password\": "
		  "\"long-enough-pw\"}",
		  &r);
	check_error(&r, 422, "invalid", "role");
	http_resp_free(&r);
	http_json(s, "POST", "/api/v1/users",
		  "{\"name\": \"ann\", \"role\": \"admin\"}", &r);
	check_error(&r, 422, "invalid", "password");
	http_resp_free(&r);
	assert_int_equal(http_json(s, "POST", "/api/v1/users",
				   "{\"name\": \"ann\", \"role\": \"admin\", "
				   "\"password\": \"long-enough-pw\"}",
				   &r),
			 201);
	http_resp_free(&r);
	/* the anonymous admin is gone */
	assert_int_equal(http_get(s, "/api/v1/users", &r), 401);
	http_resp_free(&r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, admins_up, admins_down)
	const struct CMUnitTest tests[] = {
		T(test_admin_lists_users_with_role_groups_and_live_tokens),
		T(test_admin_adds_a_user_who_can_sign_in_and_it_is_audited),
		T(test_user_added_without_password_cannot_sign_in_by_password),
		T(test_patch_changes_role_and_groups_and_audits_old_and_new),
		T(test_demoted_editor_loses_writing_at_once_but_stays_signed_in),
		T(test_password_reset_signs_the_user_out_and_is_audited),
		T(test_disabled_users_session_and_tokens_stop_working_at_once),
		T(test_signout_everywhere_ends_sessions_and_keeps_tokens),
		T(test_tokens_are_listed_without_secrets_and_revoked),
		T(test_audit_pages_by_before_and_filters_by_actor_and_action),
		T(test_non_admins_get_403_and_nobody_401_and_nothing_changes),
		T(test_bad_input_gets_a_clear_error_and_changes_nothing),
		T(test_last_enabled_admin_cannot_disable_or_demote_themselves),
		cmocka_unit_test_setup_teardown(
			test_first_user_of_a_fresh_install_must_be_an_admin,
			server_up, server_down),
	};

	return cmocka_run_group_tests_name("admin", tests, NULL, NULL);
}
