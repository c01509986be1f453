/* test_deleted_reads.c: a deleted review is gone for everyone but admins
 * (who may restore it). Every read path of one review answers 404 and
 * shows none of its text to a reader (signed in), an editor, a read token
 * (an admin's, which acts as a reader); an admin still reads its history
 * and revisions, which explain the delete. */
#include "api/account_checks.h"

#define SECRET "vault-combination-4417"

struct fx {
	struct hs *s;
	char admin[160];  /* ada's write token */
	char read[160];	  /* ada's read token: acts as a reader */
	char editor[160]; /* ed's write token */
	char reader[160]; /* rita's session cookie */
	int64_t id, child;
};

static int deleted_up(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct http_resp r;
	char path[96];

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
	assert_int_equal(acct_login(f->s, "rita", "pw-of-rita", f->reader,
				    sizeof f->reader),
			 303);
	assert_int_equal(acct_send(f->s, f->editor, "POST", "/api/v1/reviews",
				   "{\"title\": \"Doomed\", \"summary\": \"" SECRET
				   "\", \"severity\": 2}",
				   &r),
			 201);
	f->id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(
		acct_send(f->s, f->editor, "POST",
			  PATHF(path, "/api/v1/reviews/%lld/timeline",
				(long long)f->id),
			  "{\"at\": \"2026-01-01T10:00:00Z\", \"text\": \"" SECRET
			  "\"}",
			  &r),
		201);
	f->child = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->editor, "DELETE",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)f->id),
				   NULL, NULL),
			 204);
	*state = f;
	return 0;
}

static int deleted_down(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	hs_stop(f->s);
	hs_cleanup(f->s);
	free(f->s);
	free(f);
	return 0;
}

/* Every read of one review; %1$lld the review, %2$lld its child. */
static const char *const reads[] = {
	"/reviews/%1$lld",
	"/reviews/%1$lld/history",
	"/reviews/%1$lld/history?before=2",
	"/reviews/%1$lld/edit",
	"/api/v1/reviews/%1$lld",
	"/api/v1/reviews/%1$lld/revisions",
	"/api/v1/reviews/%1$lld/timeline",
	"/api/v1/reviews/%1$lld/timeline/%2$lld",
	"/api/v1/reviews/%1$lld/tags",
};

static void check_hidden_from(struct fx *f, const char *auth,
			      const char *who)
{
	struct http_resp r;
	char path[128];

	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		snprintf(path, sizeof path, reads[i], (long long)f->id,
			 (long long)f->child);
		acct_send(f->s, auth, "GET", path, NULL, &r);
		/* the edit page is for editors: 403 to readers first */
		int refused = r.status == 404 ||
			      (r.status == 403 && strstr(path, "/edit"));

		if (!refused || strstr(r.body, SECRET))
			fail_msg("%s: GET %s answered %ld%s", who, path,
				 r.status,
				 strstr(r.body, SECRET) ? " with its text"
							: "");
		http_resp_free(&r);
	}
}

static void test_deleted_review_is_404_on_every_read_for_a_reader(void **state)
{
	struct fx *f = *state;

	check_hidden_from(f, f->reader, "reader");
}

static void test_deleted_review_is_404_on_every_read_for_an_editor(void **state)
{
	struct fx *f = *state;

	check_hidden_from(f, f->editor, "editor");
}

static void test_deleted_review_is_404_on_every_read_for_a_read_token(
	void **state)
{
	struct fx *f = *state;

	check_hidden_from(f, f->read, "read token");
}

static void test_admin_reads_the_history_of_a_deleted_review(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[96];

	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   PATHF(path, "/reviews/%lld/history",
					 (long long)f->id),
				   NULL, &r),
			 200);
	assert_non_null(strstr(r.body, SECRET));
	assert_non_null(strstr(r.body, "Restore it"));
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->admin, "GET",
				   PATHF(path, "/api/v1/reviews/%lld/revisions",
					 (long long)f->id),
				   NULL, &r),
			 200);
	assert_non_null(strstr(r.body, SECRET));
	http_resp_free(&r);
}

static void test_restored_review_history_is_readable_again(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[96];

	assert_int_equal(acct_send(f->s, f->admin, "POST",
				   PATHF(path, "/api/v1/reviews/%lld/restore",
					 (long long)f->id),
				   NULL, NULL),
			 200);
	assert_int_equal(acct_send(f->s, f->reader, "GET",
				   PATHF(path, "/reviews/%lld/history",
					 (long long)f->id),
				   NULL, &r),
			 200);
	assert_non_null(strstr(r.body, SECRET));
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->read, "GET",
				   PATHF(path, "/api/v1/reviews/%lld/revisions",
					 (long long)f->id),
				   NULL, NULL),
			 200);
}

/* The URL of a deleted review says so (still a 404): to an admin with its
 * title, who deleted it, when, and a restore button; to a reader who saw
 * it only that it was deleted; to a reader it was restricted from, the
 * plain 404 of a missing review. */
static void test_deleted_review_url_says_deleted_by_whom(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[96], action[96];
	int64_t hidden;

	PATHF(path, "/reviews/%lld", (long long)f->id);
	PATHF(action, "action=\"/reviews/%lld/restore\"", (long long)f->id);
	assert_int_equal(acct_send(f->s, f->admin, "GET", path, NULL, &r),
			 404);
	assert_non_null(strstr(r.body, "<h1>Doomed</h1>"));
	assert_non_null(strstr(r.body, "deleted by <strong>ed</strong> on "
				       "<time datetime=\""));
	assert_non_null(strstr(r.body, action));
	assert_non_null(strstr(r.body, "Restore it"));
	http_resp_free(&r);
	for (int i = 0; i < 2; i++) {
		acct_send(f->s, i ? f->editor : f->reader, "GET", path, NULL,
			  &r);
		assert_int_equal(r.status, 404);
		assert_non_null(strstr(r.body, "This review was deleted"));
		assert_null(strstr(r.body, "Doomed"));
		assert_null(strstr(r.body, "/restore"));
		assert_null(strstr(r.body, SECRET));
		http_resp_free(&r);
	}
	/* restricted from rita (no groups): she learns nothing */
	assert_int_equal(acct_send(f->s, f->admin, "POST", "/api/v1/reviews",
				   "{\"title\": \"Hidden one\", "
				   "\"restricted_to\": [\"legal\"]}",
				   &r),
			 201);
	hidden = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->admin, "DELETE",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)hidden),
				   NULL, NULL),
			 204);
	acct_send(f->s, f->reader, "GET",
		  PATHF(path, "/reviews/%lld", (long long)hidden), NULL, &r);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "deleted"));
	assert_null(strstr(r.body, "Hidden one"));
	http_resp_free(&r);
	/* an admin restores from it */
	assert_int_equal(acct_send(f->s, f->admin, "GET", path, NULL, &r),
			 404);
	assert_non_null(strstr(r.body, "<h1>Hidden one</h1>"));
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_deleted_review_is_404_on_every_read_for_a_reader,
			deleted_up, deleted_down),
		cmocka_unit_test_setup_teardown(
			test_deleted_review_is_404_on_every_read_for_an_editor,
			deleted_up, deleted_down),
		cmocka_unit_test_setup_teardown(
			test_deleted_review_is_404_on_every_read_for_a_read_token,
			deleted_up, deleted_down),
		cmocka_unit_test_setup_teardown(
			test_admin_reads_the_history_of_a_deleted_review,
			deleted_up, deleted_down),
		cmocka_unit_test_setup_teardown(
			test_deleted_review_url_says_deleted_by_whom,
			deleted_up, deleted_down),
		cmocka_unit_test_setup_teardown(
			test_restored_review_history_is_readable_again,
			deleted_up, deleted_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
