/* test_flags.c: reading a flag source's text (integrations/flags.h):
 * JSON and YAML objects of flag name to value; anything else refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "integrations/flags.h"

struct seen {
	char text[512];
	int n;
};

static void add(const char *name, const char *value, void *ctx)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof s->text - len, "%s=%s;", name, value);
	s->n++;
}

static int parse(const char *text, int yaml, struct seen *s, char *err)
{
	memset(s, 0, sizeof *s);
	err[0] = '\0';
	return flags_parse(text, strlen(text), yaml, add, s, err, 200);
}

static void test_json_object_of_flags(void **state)
{
	struct seen s;
	char err[200];

	(void)state;
	assert_int_equal(parse("{\"disable_favorites\": true, \"ramp\": 25, "
			       "\"mode\": \"dark\", \"cfg\": {\"a\": 1}}",
			       0, &s, err),
			 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.text, "disable_favorites=true;ramp=25;"
				    "mode=\"dark\";cfg={\"a\":1};");
}

static void test_yaml_mapping_of_flags(void **state)
{
	struct seen s;
	char err[200];

	(void)state;
	assert_int_equal(parse("# flags\ndisable_favorites: true\nramp: 25\n"
			       "mode: dark\nquoted: \"true\"\n",
			       1, &s, err),
			 0);
	assert_string_equal(s.text, "disable_favorites=true;ramp=25;"
				    "mode=\"dark\";quoted=\"true\";");
}

static void test_garbage_is_refused_with_a_reason(void **state)
{
	struct seen s;
	char err[200];

	(void)state;
	assert_int_equal(parse("{\"a\": tru", 0, &s, err), -1);
	assert_non_null(strstr(err, "not JSON"));
	assert_int_equal(parse("[true, false]", 0, &s, err), -1);
	assert_non_null(strstr(err, "object"));
	assert_int_equal(parse("<html>down</html>", 0, &s, err), -1);
	assert_int_equal(parse("- a\n- b\n", 1, &s, err), -1);
	assert_non_null(strstr(err, "mapping"));
	assert_int_equal(parse("a: [1, 2]\n", 1, &s, err), -1);
	assert_int_equal(parse("a: b: c\n", 1, &s, err), -1);
	assert_non_null(strstr(err, "YAML"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_object_of_flags),
		cmocka_unit_test(test_yaml_mapping_of_flags),
		cmocka_unit_test(test_garbage_is_refused_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
