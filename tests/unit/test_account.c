/* test_account.c: the account rules shared by the CLI, the API and the
 * admin pages (model/account.h): user names, group names, passwords and
 * group lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "model/account.h"

static void test_user_names_are_url_and_log_safe(void **state)
{
	char name[ACCOUNT_NAME_MAX + 2] = "";
	struct err e;

	assert_int_equal(account_check_name("ada", NULL), E_OK);
	assert_int_equal(account_check_name("ada.l-o_v+e@example.com", NULL),
			 E_OK);
	assert_int_equal(account_check_name("", &e), E_INVALID);
	assert_string_equal(e.field, "name");
	assert_int_equal(account_check_name(NULL, &e), E_INVALID);
	assert_int_equal(account_check_name("-ada", &e), E_INVALID);
	assert_int_equal(account_check_name("a b", &e), E_INVALID);
	assert_int_equal(account_check_name("a/b", &e), E_INVALID);
	assert_int_equal(account_check_name("a<b>", &e), E_INVALID);
	assert_int_equal(account_check_name("\xc3\xa9mile", &e), E_INVALID);
	memset(name, 'a', sizeof name - 1);
	name[ACCOUNT_NAME_MAX] = '\0';
	assert_int_equal(account_check_name(name, NULL), E_OK);
	name[ACCOUNT_NAME_MAX] = 'a';
	assert_int_equal(account_check_name(name, &e), E_INVALID);
}

static void test_group_names_are_lower_case_words(void **state)
{
	struct err e;

	assert_int_equal(account_check_group("ops", NULL), E_OK);
	assert_int_equal(account_check_group("sec.team_2-a", NULL), E_OK);
	assert_int_equal(account_check_group("Ops", &e), E_INVALID);
	assert_string_equal(e.field, "groups");
	assert_non_null(strstr(e.message, "Ops"));
	assert_int_equal(account_check_group("", &e), E_INVALID);
	assert_int_equal(account_check_group("a b", &e), E_INVALID);
}

static void test_passwords_need_eight_characters_and_not_the_name(void **state)
{
	struct err e;
	char big[ACCOUNT_PASSWORD_MAX + 2];

	assert_int_equal(account_check_password("12345678", "ada", NULL), E_OK);
	assert_int_equal(account_check_password("1234567", "ada", &e),
			 E_INVALID);
	assert_string_equal(e.field, "password");
	assert_null(strstr(e.message, "1234567"));
	assert_int_equal(account_check_password("", "ada", &e), E_INVALID);
	assert_int_equal(account_check_password(NULL, "ada", &e), E_INVALID);
	/* characters, not bytes: seven two-byte letters are too few */
	assert_int_equal(account_check_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
						"\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
						NULL, &e),
			 E_INVALID);
	assert_int_equal(account_check_password("\xff\xfe\xfd\xfc\xfb\xfa\xf9"
						"\xf8",
						NULL, &e),
			 E_INVALID);
	assert_int_equal(
		account_check_password("Adalovelace", "adalovelace", &e),
		E_INVALID);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(account_check_password(big, NULL, &e), E_INVALID);
	big[ACCOUNT_PASSWORD_MAX] = '\0';
	assert_int_equal(account_check_password(big, NULL, NULL), E_OK);
}

static void test_group_text_becomes_a_json_list_without_repeats(void **state)
{
	struct arena *a = arena_new();
	const char *out;
	struct err e;

	assert_int_equal(account_groups_from_text(a, " ops, security ops,,sre ",
						  &out, NULL),
			 E_OK);
	assert_string_equal(out, "[\"ops\",\"security\",\"sre\"]");
	assert_int_equal(account_groups_from_text(a, "", &out, NULL), E_OK);
	assert_string_equal(out, "[]");
	assert_int_equal(account_groups_from_text(a, NULL, &out, NULL), E_OK);
	assert_string_equal(out, "[]");
	assert_int_equal(account_groups_from_text(a, "ops, Bad", &out, &e),
			 E_INVALID);
	assert_null(out);
	assert_string_equal(account_groups_display(a, "[\"ops\",\"sre\"]"),
			    "ops, sre");
	assert_string_equal(account_groups_display(a, "[]"), "");
	assert_string_equal(account_groups_display(a, "not json"), "");
	arena_free(a);
}

static void test_group_json_must_be_a_list_of_names(void **state)
{
	struct arena *a = arena_new();
	json_t *j;
	const char *out;
	struct err e;

	j = json_loads("[\"b\", \"a\", \"b\"]", 0, NULL);
	assert_int_equal(account_groups_from_json(a, j, &out, NULL), E_OK);
	assert_string_equal(out, "[\"b\",\"a\"]");
	json_decref(j);
	j = json_loads("[\"a\", 1]", 0, NULL);
	assert_int_equal(account_groups_from_json(a, j, &out, &e),
			 E_BAD_REQUEST);
	json_decref(j);
	j = json_string("ops");
	assert_int_equal(account_groups_from_json(a, j, &out, &e),
			 E_BAD_REQUEST);
	assert_string_equal(e.field, "groups");
	json_decref(j);
	j = json_loads("[\"UPPER\"]", 0, NULL);
	assert_int_equal(account_groups_from_json(a, j, &out, &e), E_INVALID);
	json_decref(j);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_names_are_url_and_log_safe),
		cmocka_unit_test(test_group_names_are_lower_case_words),
		cmocka_unit_test(
			test_passwords_need_eight_characters_and_not_the_name),
		cmocka_unit_test(
			test_group_text_becomes_a_json_list_without_repeats),
		cmocka_unit_test(test_group_json_must_be_a_list_of_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
