/* test_log.c: structured log lines (util/log.c), parsed back as logfmt
 * and as JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

static char path[64];

static int setup(void **state)
{
	int fd;

	snprintf(path, sizeof path, "/tmp/debrief-log-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	log_set_level(LOG_INFO);
	return log_open_file(path);
}

static int teardown(void **state)
{
	log_open_file(NULL);
	log_set_format(LOG_LOGFMT);
	unlink(path);
	return 0;
}

/* read_lines reads the log file into out (NUL-terminated). */
static void read_all(char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	assert_non_null(f);
	got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
}

/* logfmt_get parses one logfmt line and copies the value of key to out
 * (unquoting "..." with \" and \\); returns 0, or -1 when the key is
 * missing or the line is not logfmt. */
static int logfmt_get(const char *line, const char *key, char *out, size_t n)
{
	const char *p = line;

	while (*p && *p != '\n') {
		const char *k = p;
		size_t kl, o = 0;
		int match;

		while (*p && *p != '=' && *p != ' ' && *p != '\n')
			p++;
		if (*p != '=')
			return -1;
		kl = (size_t)(p - k);
		match = kl == strlen(key) && !strncmp(k, key, kl);
		p++;
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				if (*p == '\n')
					return -1;
				if (match && o + 1 < n)
					out[o++] = *p;
				p++;
			}
			if (*p != '"')
				return -1;
			p++;
		} else {
			while (*p && *p != ' ' && *p != '\n') {
				if (*p == '"' || *p == '=')
					return -1;
				if (match && o + 1 < n)
					out[o++] = *p;
				p++;
			}
		}
		if (match) {
			out[o] = '\0';
			return 0;
		}
		if (*p == ' ')
			p++;
	}
	return -1;
}

static void test_logfmt_lines_parse_back_with_every_field(void **state)
{
	struct log_field f[] = {
		{"id", "a1b2"},        {"method", "GET"},
		{"path", "/reviews/3"}, {"user", "ann \"the\" admin"},
		{"skipped", NULL},     {"empty", ""},
		{"eq", "a=b"},
	};
	char text[4096], v[256];

	log_fields(LOG_INFO, "request", f, sizeof f / sizeof f[0]);
	read_all(text, sizeof text);
	assert_non_null(strchr(text, '\n'));
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	assert_int_equal(logfmt_get(text, "level", v, sizeof v), 0);
	assert_string_equal(v, "info");
	assert_int_equal(logfmt_get(text, "msg", v, sizeof v), 0);
	assert_string_equal(v, "request");
	assert_int_equal(logfmt_get(text, "path", v, sizeof v), 0);
	assert_string_equal(v, "/reviews/3");
	assert_int_equal(logfmt_get(text, "user", v, sizeof v), 0);
	assert_string_equal(v, "ann \"the\" admin");
	assert_int_equal(logfmt_get(text, "empty", v, sizeof v), 0);
	assert_string_equal(v, "");
	assert_int_equal(logfmt_get(text, "eq", v, sizeof v), 0);
	assert_string_equal(v, "a=b");
	assert_int_equal(logfmt_get(text, "skipped", v, sizeof v), -1);
	assert_int_equal(logfmt_get(text, "time", v, sizeof v), 0);
	assert_int_equal(strlen(v), 20); /* 2026-12-06T03:04:35Z */
}

static void test_json_lines_parse_back_and_stay_one_line(void **state)
{
	struct log_field f[] = {
		{"path", "/a\n{\"forged\":1}"},
		{"bytes", "caf\xc3\xa9 \xe9"},
		{"quote", "say \"hi\" \\o/"},
	};
	char text[4096];
	json_t *j;
	json_error_t err;

	log_set_format(LOG_JSON);
	log_fields(LOG_WARN, "odd input", f, sizeof f / sizeof f[0]);
	log_msg(LOG_ERROR, "second %d", 2);
	read_all(text, sizeof text);
	{
		char *nl = strchr(text, '\n');

		assert_non_null(nl);
		*nl = '\0';
		j = json_loads(text, 0, &err);
		if (!j)
			fail_msg("not JSON: %s (%s)", text, err.text);
		assert_string_equal(json_string_value(json_object_get(j, "level")),
				    "warn");
		assert_string_equal(json_string_value(json_object_get(j, "msg")),
				    "odd input");
		/* the newline is escaped by the log, not a JSON newline */
		assert_string_equal(json_string_value(json_object_get(j, "path")),
				    "/a\\n{\"forged\":1}");
		assert_string_equal(
			json_string_value(json_object_get(j, "bytes")),
			"caf\xc3\xa9 \\xe9");
		assert_string_equal(
			json_string_value(json_object_get(j, "quote")),
			"say \"hi\" \\\\o/");
		json_decref(j);
		j = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &err);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "msg")),
				    "second 2");
		json_decref(j);
	}
}

static void test_levels_below_the_minimum_are_not_written(void **state)
{
	char text[256];

	log_debug("hidden");
	log_set_level(LOG_WARN);
	log_info("hidden too");
	read_all(text, sizeof text);
	assert_string_equal(text, "");
}

static void test_an_unwritable_log_file_is_refused_and_nothing_moves(
	void **state)
{
	char text[256];

	assert_int_equal(log_open_file("/nonexistent-dir/debrief.log"), -1);
	log_info("still here");
	read_all(text, sizeof text);
	assert_non_null(strstr(text, "msg=\"still here\""));
	assert_int_equal(log_parse_format("json"), LOG_JSON);
	assert_int_equal(log_parse_format("logfmt"), LOG_LOGFMT);
	assert_int_equal(log_parse_format("JSON"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_logfmt_lines_parse_back_with_every_field),
		T(test_json_lines_parse_back_and_stay_one_line),
		T(test_levels_below_the_minimum_are_not_written),
		T(test_an_unwritable_log_file_is_refused_and_nothing_moves),
#undef T
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
