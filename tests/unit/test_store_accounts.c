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
#include <unistd.h>

#include "store/store.h"
#include "util/arena.h"

#define T0 1700000000

struct fx {
	char dir[64];
	char path[128];
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
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
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
	char p[160];

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

static void test_role_names_round_trip(void **state)
{
	for (int r = ROLE_READER; r <= ROLE_ADMIN; r++)
		assert_int_equal(role_parse(role_name(r)), r);
	assert_int_equal(role_parse("root"), ROLE_NONE);
	assert_int_equal(role_parse(NULL), ROLE_NONE);
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
		cmocka_unit_test(test_role_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
