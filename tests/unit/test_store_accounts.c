/* test_store_accounts.c: the accounts part of the store conformance suite
 * (users, sessions, API tokens, audit), written against store.h only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "store/store.h"
#include "util/arena.h"
#include "test_db.h"

#define T0 1700000000

struct fx {
	char dir[64];
	char path[256];
	struct store *st;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-acct-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (test_db_url(f->path, sizeof f->path, f->dir) < 0)
		return -1;
	f->a = arena_new();
	if (!f->a || store_open(f->path, &f->st, &e) != E_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[300];

	store_close(f->st);
	arena_free(f->a);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void add(struct fx *f, const char *name, int role)
{
	assert_int_equal(store_user_create(f->st, name, role, "[\"ops\"]",
					   "hash", T0, NULL),
			 E_OK);
}

static void test_created_user_reads_back_with_role_and_groups(void **state)
{
	struct fx *f = *state;
	struct store_user u;
	int64_t n = -1;

	assert_int_equal(store_user_count(f->st, &n, NULL), E_OK);
	assert_int_equal(n, 0);
	add(f, "alice", ROLE_EDITOR);
	assert_int_equal(store_user_get(f->st, f->a, "alice", &u, NULL), E_OK);
	assert_string_equal(u.name, "alice");
	assert_int_equal(u.role, ROLE_EDITOR);
	assert_string_equal(u.groups, "[\"ops\"]");
	assert_string_equal(u.password_hash, "hash");
	assert_int_equal(u.disabled, 0);
	assert_int_equal(u.created_at, T0);
	assert_int_equal(store_user_count(f->st, &n, NULL), E_OK);
	assert_int_equal(n, 1);
}

static void test_duplicate_user_is_conflict_and_bad_role_invalid(void **state)
{
	struct fx *f = *state;
	struct store_user u;
	struct err e;

	add(f, "alice", ROLE_READER);
	assert_int_equal(
		store_user_create(f->st, "alice", ROLE_ADMIN, NULL, "", T0, &e),
		E_CONFLICT);
	assert_int_equal(
		store_user_create(f->st, "bob", ROLE_NONE, NULL, "", T0, &e),
		E_INVALID);
	assert_int_equal(
		store_user_create(f->st, "", ROLE_READER, NULL, "", T0, &e),
		E_INVALID);
	assert_int_equal(store_user_get(f->st, f->a, "bob", &u, &e),
			 E_NOT_FOUND);
}

static void test_user_list_is_sorted_by_name(void **state)
{
	struct fx *f = *state;
	struct store_user *v;
	size_t n;

	add(f, "carol", ROLE_READER);
	add(f, "alice", ROLE_ADMIN);
	add(f, "bob", ROLE_EDITOR);
	assert_int_equal(store_user_list(f->st, f->a, &v, &n, NULL), E_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "alice");
	assert_string_equal(v[2].name, "carol");
	assert_int_equal(v[1].role, ROLE_EDITOR);
}

static void test_session_round_trip_touch_and_delete(void **state)
{
	struct fx *f = *state;
	struct store_session s;
	struct err e;

	add(f, "alice", ROLE_READER);
	assert_int_equal(
		store_session_create(f->st, "h1", "alice", T0, T0 + 100, NULL),
		E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "h1", &s, NULL), E_OK);
	assert_string_equal(s.user, "alice");
	assert_int_equal(s.created_at, T0);
	assert_int_equal(s.last_seen, T0);
	assert_int_equal(s.expires, T0 + 100);
	assert_int_equal(store_session_touch(f->st, "h1", T0 + 5, NULL), E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "h1", &s, NULL), E_OK);
	assert_int_equal(s.last_seen, T0 + 5);
	assert_int_equal(store_session_delete(f->st, "h1", NULL), E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "h1", &s, &e),
			 E_NOT_FOUND);
}

static void test_session_of_unknown_user_is_refused(void **state)
{
	struct fx *f = *state;
	struct err e;

	assert_int_not_equal(
		store_session_create(f->st, "h1", "ghost", T0, T0 + 100, &e),
		E_OK);
}

static void test_password_change_ends_every_session(void **state)
{
	struct fx *f = *state;
	struct store_session s;
	struct store_user u;

	add(f, "alice", ROLE_READER);
	add(f, "bob", ROLE_READER);
	store_session_create(f->st, "a1", "alice", T0, T0 + 100, NULL);
	store_session_create(f->st, "a2", "alice", T0, T0 + 100, NULL);
	store_session_create(f->st, "b1", "bob", T0, T0 + 100, NULL);
	assert_int_equal(store_user_set_password(f->st, "alice", "new", NULL),
			 E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "a1", &s, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_session_get(f->st, f->a, "a2", &s, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_session_get(f->st, f->a, "b1", &s, NULL), E_OK);
	store_user_get(f->st, f->a, "alice", &u, NULL);
	assert_string_equal(u.password_hash, "new");
	assert_int_equal(store_user_set_password(f->st, "ghost", "x", NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_session_delete_all_for_user(f->st, "bob", NULL),
			 E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "b1", &s, NULL),
			 E_NOT_FOUND);
}

static void test_disabled_user_loses_sessions_and_tokens(void **state)
{
	struct fx *f = *state;
	struct store_session s;
	struct store_token t;
	struct store_user u;
	int64_t id;

	add(f, "alice", ROLE_EDITOR);
	store_session_create(f->st, "a1", "alice", T0, T0 + 100, NULL);
	assert_int_equal(
		store_token_create(f->st, "t1", "alice", 1, T0, &id, NULL),
		E_OK);
	assert_int_equal(store_user_disable(f->st, "alice", T0 + 1, NULL),
			 E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "a1", &s, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_token_find(f->st, f->a, "t1", T0 + 2, &t, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_user_get(f->st, f->a, "alice", &u, NULL), E_OK);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(store_user_disable(f->st, "ghost", T0, NULL),
			 E_NOT_FOUND);
}

static void test_token_found_by_hash_until_revoked(void **state)
{
	struct fx *f = *state;
	struct store_token t;
	int64_t id = 0, id2 = 0;

	add(f, "alice", ROLE_EDITOR);
	assert_int_equal(
		store_token_create(f->st, "t1", "alice", 0, T0, &id, NULL),
		E_OK);
	assert_int_equal(
		store_token_create(f->st, "t2", "alice", 1, T0, &id2, NULL),
		E_OK);
	assert_true(id > 0 && id2 > id);
	assert_int_equal(
		store_token_find(f->st, f->a, "t1", T0 + 100, &t, NULL), E_OK);
	assert_int_equal(t.id, id);
	assert_string_equal(t.user, "alice");
	assert_int_equal(t.write, 0);
	assert_int_equal(store_token_find(f->st, f->a, "t2", T0, &t, NULL),
			 E_OK);
	assert_int_equal(t.write, 1);
	assert_int_equal(store_token_find(f->st, f->a, "nope", T0, &t, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_token_revoke(f->st, id, T0 + 200, NULL), E_OK);
	assert_int_equal(store_token_find(f->st, f->a, "t1", T0, &t, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_token_revoke(f->st, id, T0 + 300, NULL),
			 E_NOT_FOUND);
	assert_int_equal(
		store_token_create(f->st, "t3", "ghost", 0, T0, &id, NULL),
		E_NOT_FOUND);
}

static void test_audit_lists_newest_first_with_limit(void **state)
{
	struct fx *f = *state;
	struct store_audit *v;
	size_t n;

	assert_int_equal(store_audit_add(f->st, T0, "alice", "login", NULL,
					 "127.0.0.1", NULL),
			 E_OK);
	assert_int_equal(store_audit_add(f->st, T0 + 1, "bob", "login.failed",
					 "unknown user", NULL, NULL),
			 E_OK);
	assert_int_equal(store_audit_add(f->st, T0 + 2, "cli", "user.add",
					 "carol", "", NULL),
			 E_OK);
	assert_int_equal(store_audit_list(f->st, f->a, 2, &v, &n, NULL), E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].action, "user.add");
	assert_string_equal(v[1].actor, "bob");
	assert_string_equal(v[1].detail, "unknown user");
	assert_string_equal(v[1].address, "");
	assert_int_equal(store_audit_list(f->st, f->a, 0, &v, &n, NULL), E_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[2].address, "127.0.0.1");
}

static void
test_user_update_changes_role_and_groups_and_tells_before(void **state)
{
	struct fx *f = *state;
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	struct store_user before, u;
	struct store_session s;

	add(f, "alice", ROLE_ADMIN);
	add(f, "bob", ROLE_READER);
	store_session_create(f->st, "b1", "bob", T0, T0 + 100, NULL);
	ch.role = ROLE_EDITOR;
	ch.groups = "[\"security\"]";
	assert_int_equal(
		store_user_update(f->st, f->a, "bob", &ch, T0, &before, NULL),
		E_OK);
	assert_int_equal(before.role, ROLE_READER);
	assert_string_equal(before.groups, "[\"ops\"]");
	assert_int_equal(store_user_get(f->st, f->a, "bob", &u, NULL), E_OK);
	assert_int_equal(u.role, ROLE_EDITOR);
	assert_string_equal(u.groups, "[\"security\"]");
	assert_string_equal(u.password_hash, "hash");
	/* a role change keeps the user signed in: the role is read anew at
	 * every request */
	assert_int_equal(store_session_get(f->st, f->a, "b1", &s, NULL), E_OK);
}

static void test_user_update_of_unknown_user_is_not_found(void **state)
{
	struct fx *f = *state;
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	struct err e;

	ch.role = ROLE_ADMIN;
	assert_int_equal(
		store_user_update(f->st, f->a, "ghost", &ch, T0, NULL, &e),
		E_NOT_FOUND);
	ch.role = 7;
	add(f, "alice", ROLE_READER);
	assert_int_equal(
		store_user_update(f->st, f->a, "alice", &ch, T0, NULL, &e),
		E_INVALID);
}

static void
test_user_update_disable_ends_sessions_and_enable_keeps_them_out(void **state)
{
	struct fx *f = *state;
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	struct store_session s;
	struct store_token t;
	struct store_user u;

	add(f, "alice", ROLE_ADMIN);
	add(f, "bob", ROLE_EDITOR);
	store_session_create(f->st, "b1", "bob", T0, T0 + 100, NULL);
	store_token_create(f->st, "t1", "bob", 1, T0, NULL, NULL);
	ch.disabled = 1;
	assert_int_equal(
		store_user_update(f->st, f->a, "bob", &ch, T0 + 1, NULL, NULL),
		E_OK);
	assert_int_equal(store_session_get(f->st, f->a, "b1", &s, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_token_find(f->st, f->a, "t1", T0, &t, NULL),
			 E_NOT_FOUND);
	ch.disabled = 0;
	assert_int_equal(
		store_user_update(f->st, f->a, "bob", &ch, T0 + 2, NULL, NULL),
		E_OK);
	assert_int_equal(store_user_get(f->st, f->a, "bob", &u, NULL), E_OK);
	assert_int_equal(u.disabled, 0);
	/* enabling brings back neither sessions nor tokens */
	assert_int_equal(store_session_get(f->st, f->a, "b1", &s, NULL),
			 E_NOT_FOUND);
	assert_int_equal(store_token_find(f->st, f->a, "t1", T0, &t, NULL),
			 E_NOT_FOUND);
}

static void test_user_update_new_password_ends_sessions(void **state)
{
	struct fx *f = *state;
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	struct store_session s;
	struct store_user u;

	add(f, "alice", ROLE_READER);
	store_session_create(f->st, "a1", "alice", T0, T0 + 100, NULL);
	ch.password_hash = "new-hash";
	assert_int_equal(
		store_user_update(f->st, f->a, "alice", &ch, T0, NULL, NULL),
		E_OK);
	assert_int_equal(store_user_get(f->st, f->a, "alice", &u, NULL), E_OK);
	assert_string_equal(u.password_hash, "new-hash");
	assert_int_equal(store_session_get(f->st, f->a, "a1", &s, NULL),
			 E_NOT_FOUND);
}

static void test_last_enabled_admin_cannot_be_demoted_or_disabled(void **state)
{
	struct fx *f = *state;
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	struct store_user u;
	struct err e;

	add(f, "alice", ROLE_ADMIN);
	add(f, "bob", ROLE_ADMIN);
	add(f, "carol", ROLE_READER);
	ch.disabled = 1;
	assert_int_equal(
		store_user_update(f->st, f->a, "bob", &ch, T0, NULL, NULL),
		E_OK);
	/* alice is now the last enabled admin */
	assert_int_equal(
		store_user_update(f->st, f->a, "alice", &ch, T0, NULL, &e),
		E_CONFLICT);
	assert_string_equal(e.field, "disabled");
	assert_non_null(strstr(e.message, "last enabled admin"));
	ch.disabled = -1;
	ch.role = ROLE_EDITOR;
	ch.groups = "[\"x\"]";
	assert_int_equal(
		store_user_update(f->st, f->a, "alice", &ch, T0, NULL, &e),
		E_CONFLICT);
	assert_string_equal(e.field, "role");
	/* nothing changed, groups included */
	assert_int_equal(store_user_get(f->st, f->a, "alice", &u, NULL), E_OK);
	assert_int_equal(u.role, ROLE_ADMIN);
	assert_int_equal(u.disabled, 0);
	assert_string_equal(u.groups, "[\"ops\"]");
	/* with another admin enabled again, alice may step down */
	ch = (struct store_user_change)STORE_USER_CHANGE_NONE;
	ch.disabled = 0;
	assert_int_equal(
		store_user_update(f->st, f->a, "bob", &ch, T0, NULL, NULL),
		E_OK);
	ch.disabled = -1;
	ch.role = ROLE_READER;
	assert_int_equal(
		store_user_update(f->st, f->a, "alice", &ch, T0, NULL, NULL),
		E_OK);
	/* a reader may be disabled freely */
	ch.role = ROLE_NONE;
	ch.disabled = 1;
	assert_int_equal(
		store_user_update(f->st, f->a, "carol", &ch, T0, NULL, NULL),
		E_OK);
}

static void test_token_list_shows_a_users_tokens_newest_first(void **state)
{
	struct fx *f = *state;
	struct store_token *v;
	int64_t id1, id2;
	size_t n;

	add(f, "alice", ROLE_EDITOR);
	add(f, "bob", ROLE_EDITOR);
	store_token_create(f->st, "t1", "alice", 0, T0, &id1, NULL);
	store_token_create(f->st, "t2", "alice", 1, T0 + 1, &id2, NULL);
	store_token_create(f->st, "t3", "bob", 1, T0 + 2, NULL, NULL);
	store_token_revoke(f->st, id1, T0 + 5, NULL);
	assert_int_equal(store_token_list(f->st, f->a, "alice", &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, id2);
	assert_int_equal(v[0].write, 1);
	assert_int_equal(v[0].revoked_at, 0);
	assert_int_equal(v[0].created_at, T0 + 1);
	assert_int_equal(v[1].id, id1);
	assert_int_equal(v[1].revoked_at, T0 + 5);
	assert_string_equal(v[1].user, "alice");
	assert_int_equal(store_token_list(f->st, f->a, NULL, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_token_list(f->st, f->a, "ghost", &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 0);
}

static void test_audit_query_pages_by_id_and_filters(void **state)
{
	struct fx *f = *state;
	struct store_audit_filter q = {0};
	struct store_audit *v;
	size_t n;

	store_audit_add(f->st, T0, "alice", "login", NULL, NULL, NULL);
	store_audit_add(f->st, T0 + 1, "bob", "login.failed", NULL, NULL, NULL);
	store_audit_add(f->st, T0 + 2, "alice", "user.create", "carol", NULL,
			NULL);
	store_audit_add(f->st, T0 + 3, "alice", "user.role", "carol", NULL,
			NULL);
	store_audit_add(f->st, T0 + 4, "bob", "logout", NULL, NULL, NULL);
	q.limit = 2;
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].action, "logout");
	assert_string_equal(v[1].action, "user.role");
	q.before = v[1].id;
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].action, "user.create");
	assert_string_equal(v[1].action, "login.failed");
	q.before = v[1].id;
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].action, "login");
	/* filters: actor exact, action a prefix */
	memset(&q, 0, sizeof q);
	q.actor = "alice";
	q.action = "user.";
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].action, "user.role");
	q.actor = "ali";
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 0);
	q.actor = NULL;
	q.action = "login";
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 2);
	/* LIKE wildcards are plain text in the prefix */
	q.action = "%";
	assert_int_equal(store_audit_query(f->st, f->a, &q, &v, &n, NULL),
			 E_OK);
	assert_int_equal(n, 0);
}

static void test_role_names_round_trip(void **state)
{
	for (int r = ROLE_READER; r <= ROLE_ADMIN; r++)
		assert_int_equal(role_parse(role_name(r)), r);
	assert_int_equal(role_parse("root"), ROLE_NONE);
	assert_int_equal(role_parse(NULL), ROLE_NONE);
}

/* ---- the login rate limit, shared by every store on the database ---- */

#define LOGIN_WINDOW 900
#define LOGIN_MAX    5

struct login_racer {
	struct store *st;
	int n, go;
	enum err_code rc;
};

static void *login_race(void *arg)
{
	struct login_racer *r = arg;
	char addr[32];

	snprintf(addr, sizeof addr, "10.0.%d.1", r->n);
	r->rc = store_login_begin(r->st, "raced", addr, T0, LOGIN_WINDOW,
				  LOGIN_MAX, &r->go, NULL);
	return NULL;
}

/* Two stores open on one database (two servers): checks begun at once on
 * both reserve at most the limit, and failures ended on one lock the
 * account on the other until the window is over. */
static void test_login_limit_is_shared_by_two_stores(void **state)
{
	struct fx *f = *state;
	struct store *two = NULL;
	struct login_racer r[16];
	pthread_t t[16];
	int go = 0;

	assert_int_equal(store_open(f->path, &two, NULL), E_OK);
	for (int i = 0; i < 16; i++) {
		r[i] = (struct login_racer){i % 2 ? two : f->st, i, 0, E_OK};
		assert_int_equal(pthread_create(&t[i], NULL, login_race, &r[i]),
				 0);
	}
	for (int i = 0; i < 16; i++) {
		char addr[32];

		pthread_join(t[i], NULL);
		assert_int_equal(r[i].rc, E_OK);
		go += r[i].go;
		snprintf(addr, sizeof addr, "10.0.%d.1", i);
		if (r[i].go)
			assert_int_equal(store_login_end(r[i].st, "raced",
							 addr, 0, T0,
							 LOGIN_WINDOW, NULL),
					 E_OK);
	}
	assert_int_equal(go, LOGIN_MAX);
	/* locked on both, for anyone */
	assert_int_equal(store_login_begin(two, "raced", "10.9.9.9", T0 + 1,
					   LOGIN_WINDOW, LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 0);
	assert_int_equal(store_login_begin(f->st, "raced", "10.9.9.9", T0 + 1,
					   LOGIN_WINDOW, LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 0);
	/* until the window is over */
	assert_int_equal(store_login_begin(two, "raced", "10.9.9.9",
					   T0 + LOGIN_WINDOW, LOGIN_WINDOW,
					   LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 1);
	assert_int_equal(store_login_end(f->st, "raced", "10.9.9.9", 1,
					 T0 + LOGIN_WINDOW, LOGIN_WINDOW, NULL),
			 E_OK);
	store_close(two);
}

/* A success forgets the account's failures but not the address's; the
 * address at its limit is refused only for accounts with failures. */
static void test_login_success_forgets_the_account_only(void **state)
{
	struct fx *f = *state;
	int go;

	for (int i = 0; i < LOGIN_MAX; i++) {
		char user[16];

		snprintf(user, sizeof user, "u%d", i);
		assert_int_equal(store_login_begin(f->st, user, "10.1.1.1", T0,
						   LOGIN_WINDOW, LOGIN_MAX,
						   &go, NULL),
				 E_OK);
		assert_int_equal(go, 1);
		assert_int_equal(store_login_end(f->st, user, "10.1.1.1", 0,
						 T0, LOGIN_WINDOW, NULL),
				 E_OK);
	}
	/* the address is at its limit: u0 (one failure) is refused from it,
	 * a clean account is not */
	assert_int_equal(store_login_begin(f->st, "u0", "10.1.1.1", T0,
					   LOGIN_WINDOW, LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 0);
	assert_int_equal(store_login_begin(f->st, "clean", "10.1.1.1", T0,
					   LOGIN_WINDOW, LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 1);
	assert_int_equal(store_login_end(f->st, "clean", "10.1.1.1", 1, T0,
					 LOGIN_WINDOW, NULL),
			 E_OK);
	/* u0 from elsewhere succeeds and forgets its failure */
	assert_int_equal(store_login_begin(f->st, "u0", "10.2.2.2", T0,
					   LOGIN_WINDOW, LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 1);
	assert_int_equal(store_login_end(f->st, "u0", "10.2.2.2", 1, T0,
					 LOGIN_WINDOW, NULL),
			 E_OK);
	assert_int_equal(store_login_begin(f->st, "u0", "10.1.1.1", T0,
					   LOGIN_WINDOW, LOGIN_MAX, &go, NULL),
			 E_OK);
	assert_int_equal(go, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_created_user_reads_back_with_role_and_groups),
		T(test_duplicate_user_is_conflict_and_bad_role_invalid),
		T(test_user_list_is_sorted_by_name),
		T(test_session_round_trip_touch_and_delete),
		T(test_session_of_unknown_user_is_refused),
		T(test_password_change_ends_every_session),
		T(test_disabled_user_loses_sessions_and_tokens),
		T(test_token_found_by_hash_until_revoked),
		T(test_audit_lists_newest_first_with_limit),
		T(test_user_update_changes_role_and_groups_and_tells_before),
		T(test_user_update_of_unknown_user_is_not_found),
		T(test_user_update_disable_ends_sessions_and_enable_keeps_them_out),
		T(test_user_update_new_password_ends_sessions),
		T(test_last_enabled_admin_cannot_be_demoted_or_disabled),
		T(test_token_list_shows_a_users_tokens_newest_first),
		T(test_audit_query_pages_by_id_and_filters),
		T(test_login_limit_is_shared_by_two_stores),
		T(test_login_success_forgets_the_account_only),
		cmocka_unit_test(test_role_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
