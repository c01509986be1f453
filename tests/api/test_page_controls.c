/* test_page_controls.c: pages show only the controls the person asking may
 * use. A reader sees no Edit, New review or Deleted; an editor sees Edit
 * and New review but not Deleted (admins only); an admin sees them all.
 * Pages are cached and shared, so each check is made in turns of readers
 * and admins on the same cached page: one person's controls never reach
 * another. */
#include "api/account_checks.h"

struct fx {
	struct hs *s;
	char admin[160];  /* ada's session cookie */
	char editor[160]; /* ed's session cookie */
	char reader[160]; /* rita's session cookie */
	char token[160];  /* ed's write token */
	int64_t id;
};

static int controls_up(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct http_resp r;

	if (!f)
		return -1;
	f->s = acct_prepare();
	acct_add_user(f->s, "ada", "admin");
	acct_add_user(f->s, "ed", "editor");
	acct_add_user(f->s, "rita", "reader");
	acct_token(f->s, "ed", "write", f->token, sizeof f->token);
	if (hs_start(f->s, NULL) < 0)
		return -1;
	assert_int_equal(acct_login(f->s, "ada", "pw-of-ada", f->admin,
				    sizeof f->admin),
			 303);
	assert_int_equal(acct_login(f->s, "ed", "pw-of-ed", f->editor,
				    sizeof f->editor),
			 303);
	assert_int_equal(acct_login(f->s, "rita", "pw-of-rita", f->reader,
				    sizeof f->reader),
			 303);
	assert_int_equal(acct_send(f->s, f->token, "POST", "/api/v1/reviews",
				   "{\"title\": \"Queue backlog\", "
				   "\"severity\": 2, \"timeline\": [{\"at\": "
				   "\"2026-11-20T10:00:00Z\", \"text\": "
				   "\"Queue grew\"}]}",
				   &r),
			 201);
	f->id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	*state = f;
	return 0;
}

static int controls_down(void **state)
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

enum { EDIT = 1, NEW = 2, DELETED = 4, ENTRY = 8 /* a timeline entry's Edit */ };

/* check_controls gets path as who and fails unless exactly the controls
 * in want are on it. */
static void check_controls(struct fx *f, const char *who, const char *auth,
			   const char *path, int want)
{
	struct http_resp r;
	char edit[64];
	int got = 0;

	snprintf(edit, sizeof edit, "href=\"/reviews/%lld/edit\"",
		 (long long)f->id);
	assert_int_equal(acct_send(f->s, auth, "GET", path, NULL, &r), 200);
	if (strstr(r.body, edit))
		got |= EDIT;
	if (strstr(r.body, "href=\"/reviews/new\""))
		got |= NEW;
	if (strstr(r.body, "href=\"/deleted\""))
		got |= DELETED;
	if (strstr(r.body, "class=\"entry-edit\""))
		got |= ENTRY;
	if (strstr(r.body, "<!--debrief:"))
		fail_msg("%s: GET %s left a slot marker", who, path);
	if (got != want)
		fail_msg("%s: GET %s shows controls %d, wants %d", who, path,
			 got, want);
	http_resp_free(&r);
}

static void test_reader_sees_no_editing_controls(void **state)
{
	struct fx *f = *state;
	char path[64];

	snprintf(path, sizeof path, "/reviews/%lld", (long long)f->id);
	for (int round = 0; round < 2; round++) {
		check_controls(f, "reader", f->reader, "/", 0);
		check_controls(f, "reader", f->reader, path, 0);
		check_controls(f, "admin", f->admin, "/", NEW | DELETED);
		check_controls(f, "admin", f->admin, path,
			       EDIT | NEW | DELETED | ENTRY);
	}
}

static void test_reader_may_not_open_an_entry_form(void **state)
{
	struct fx *f = *state;
	struct http_resp r;
	char path[64];

	snprintf(path, sizeof path, "/reviews/%lld/timeline/1/edit",
		 (long long)f->id);
	assert_int_equal(acct_send(f->s, f->reader, "GET", path, NULL, &r),
			 403);
	http_resp_free(&r);
	assert_int_equal(acct_send(f->s, f->editor, "GET", path, NULL, &r),
			 200);
	http_resp_free(&r);
}

static void test_editor_sees_editing_but_not_deleted(void **state)
{
	struct fx *f = *state;
	char path[64], edit[64];

	snprintf(path, sizeof path, "/reviews/%lld", (long long)f->id);
	snprintf(edit, sizeof edit, "/reviews/%lld/edit", (long long)f->id);
	check_controls(f, "editor", f->editor, "/", NEW);
	check_controls(f, "editor", f->editor, path, EDIT | NEW | ENTRY);
	/* the edit page: the delete button, but no link to the admins'
	 * list of deleted reviews */
	check_controls(f, "editor", f->editor, edit, NEW);
	check_controls(f, "admin", f->admin, edit, NEW | DELETED);
	check_controls(f, "editor", f->editor, edit, NEW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_reader_sees_no_editing_controls, controls_up,
			controls_down),
		cmocka_unit_test_setup_teardown(
			test_editor_sees_editing_but_not_deleted, controls_up,
			controls_down),
		cmocka_unit_test_setup_teardown(
			test_reader_may_not_open_an_entry_form, controls_up,
			controls_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
