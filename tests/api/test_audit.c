/* test_audit.c: restores are recorded in the audit trail whichever way
 * they come (the JSON API or the web form), read back from the same
 * database the running server writes. */
#include "api/api_checks.h"

#include "store/store.h"

static long long create_deleted_review(struct hs *s)
{
	struct http_resp r;
	char path[64];
	long long id;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"Audited restore\"}", &r), 201);
	id = (long long)json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(http_do(s, "DELETE",
				 PATHF(path, "/api/v1/reviews/%lld", id), NULL,
				 NULL, NULL, &r), 0);
	assert_int_equal(r.status, 204);
	http_resp_free(&r);
	return id;
}

/* restores_logged counts audit records "review.restore" naming id. */
static int restores_logged(struct hs *s, long long id)
{
	struct store *st = NULL;
	struct arena *a = arena_new();
	struct store_audit *v;
	size_t n = 0;
	char detail[64];
	int count = 0;

	snprintf(detail, sizeof detail, "review %lld", id);
	assert_int_equal(store_open(s->db, &st, NULL), E_OK);
	assert_int_equal(store_audit_list(st, a, 0, &v, &n, NULL), E_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].action, "review.restore") && v[i].detail &&
		    !strcmp(v[i].detail, detail))
			count++;
	store_close(st);
	arena_free(a);
	return count;
}

static void test_api_restore_is_audited(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char path[64];
	long long id = create_deleted_review(s);

	assert_int_equal(restores_logged(s, id), 0);
	assert_int_equal(http_json(s, "POST",
				   PATHF(path, "/api/v1/reviews/%lld/restore", id),
				   "{}", &r), 200);
	http_resp_free(&r);
	assert_int_equal(restores_logged(s, id), 1);
}

static void test_web_restore_is_audited(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char path[64];
	long long id = create_deleted_review(s);

	assert_int_equal(http_form(s, PATHF(path, "/reviews/%lld/restore", id),
				   "", &r), 303);
	http_resp_free(&r);
	assert_int_equal(restores_logged(s, id), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_api_restore_is_audited,
						server_up, server_down),
		cmocka_unit_test_setup_teardown(test_web_restore_is_audited,
						server_up, server_down),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
