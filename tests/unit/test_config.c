/* test_config.c: defaults, the config file, DEBRIEF_* variables and the
 * listen address (config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char conf_path[64];

static int setup(void **state)
{
	int fd;

	snprintf(conf_path, sizeof conf_path, "/tmp/debrief-conf-XXXXXX");
	fd = mkstemp(conf_path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(conf_path);
	unsetenv("DEBRIEF_DB");
	unsetenv("DEBRIEF_LISTEN");
	unsetenv("DEBRIEF_MAX_BODY");
	unsetenv("DEBRIEF_THREADS");
	return 0;
}

static void write_conf(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* load writes text as the config file and loads it over the defaults. */
static enum err_code load(struct config *c, const char *text, struct err *e)
{
	write_conf(text);
	config_defaults(c);
	err_clear(e);
	return config_load(c, conf_path, 1, e);
}

static void test_defaults_are_the_documented_ones(void **state)
{
	struct config c;

	config_defaults(&c);
	assert_string_equal(c.db, "debrief.db");
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.max_body, 8 * 1024 * 1024);
	assert_int_equal(c.max_header, 64 * 1024);
	assert_int_equal(c.idle_timeout, 30);
	assert_int_equal(c.request_timeout, 60);
	assert_int_equal(c.max_connections, 512);
	assert_int_equal(c.max_connections_per_ip, 0);
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.page_size, 25);
	assert_string_equal(c.anonymous_user, "local");
	assert_true(!strncmp(c.severity[1], "Critical", 8));
	assert_true(!strncmp(c.severity[5], "Minimal", 7));
	for (int i = 1; i <= 5; i++)
		assert_true(strlen(c.severity[i]) > 10);
}

static void test_file_sets_every_key(void **state)
{
	struct config c;
	struct err e;

	assert_int_equal(load(&c,
			      "# debrief settings\n"
			      "\n"
			      "db = /var/lib/debrief/reviews.db\n"
			      "  listen=0.0.0.0:9000  \n"
			      "max_body = 2M\n"
			      "threads = 4\n"
			      "severity.1 = \"  Sev one  \"\n"
			      "severity.3 = Some users notice\n"
			      "anonymous_user = ops\n"
			      "page_size = 50\r\n",
			      &e),
			 E_OK);
	assert_string_equal(c.db, "/var/lib/debrief/reviews.db");
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_int_equal(c.max_body, 2 * 1024 * 1024);
	assert_int_equal(c.threads, 4);
	assert_string_equal(c.severity[1], "  Sev one  ");
	assert_string_equal(c.severity[3], "Some users notice");
	assert_true(!strncmp(c.severity[5], "Minimal", 7));
	assert_string_equal(c.anonymous_user, "ops");
	assert_int_equal(c.page_size, 50);
}

static void test_sizes_take_k_m_g_suffixes(void **state)
{
	static const struct {
		const char *text;
		size_t want;
	} cases[] = {
		{"max_body = 1000\n", 1000},
		{"max_body = 512K\n", 512 * 1024},
		{"max_body = 3mb\n", 3 * 1024 * 1024},
		{"max_body = 1G\n", 1024 * 1024 * 1024},
	};
	struct config c;
	struct err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(load(&c, cases[i].text, &e), E_OK);
		assert_int_equal(c.max_body, cases[i].want);
	}
}

static void test_request_limits_are_read_and_checked(void **state)
{
	struct config c;
	struct err e;

	assert_int_equal(load(&c,
			      "max_header = 16K\n"
			      "idle_timeout = 2m\n"
			      "request_timeout = 90s\n"
			      "max_connections = 2000\n"
			      "max_connections_per_ip = 20\n",
			      &e),
			 E_OK);
	assert_int_equal(c.max_header, 16 * 1024);
	assert_int_equal(c.idle_timeout, 120);
	assert_int_equal(c.request_timeout, 90);
	assert_int_equal(c.max_connections, 2000);
	assert_int_equal(c.max_connections_per_ip, 20);
	assert_int_equal(load(&c, "max_connections_per_ip = 0\n", &e), E_OK);
	assert_int_equal(c.max_connections_per_ip, 0);

	assert_int_equal(load(&c, "max_header = 4K\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, ":1: max_header: expected a size"));
	assert_int_equal(load(&c, "request_timeout = soon\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, ":1: request_timeout: expected"));
	assert_int_equal(load(&c, "max_connections = 0\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, ":1: max_connections: expected 1"));
}

static void test_unknown_key_names_file_and_line(void **state)
{
	struct config c;
	struct err e;
	char want[128];

	assert_int_equal(load(&c, "db = x.db\n# note\ncolour = blue\n", &e),
			 E_INVALID);
	snprintf(want, sizeof want, "%s:3: unknown key 'colour'", conf_path);
	assert_string_equal(e.message, want);
}

static void test_bad_values_are_invalid_and_say_why(void **state)
{
	static const char *const bad[] = {
		"max_body = 0\n",
		"max_body = lots\n",
		"max_body = 2X\n",
		"max_body = 2G\n",
		"max_body = -5\n",
		"max_header = 2M\n",
		"max_header = 0\n",
		"idle_timeout = 0\n",
		"idle_timeout = -3\n",
		"request_timeout = 10x\n",
		"max_connections = 70000\n",
		"max_connections_per_ip = -1\n",
		"threads = -1\n",
		"threads = 100000\n",
		"threads = 2.5\n",
		"page_size = 0\n",
		"page_size = 501\n",
		"listen = nowhere\n",
		"listen = host:99999\n",
		"listen = :\n",
		"severity.6 = Extra\n",
		"severity.0 = Zero\n",
		"severity.1 =\n",
		"db =\n",
		"just some words\n",
		"anonymous_user = \xff\n",
		"public_url = debrief.example.com\n",
		"public_url = ftp://debrief.example.com\n",
		"public_url = https://\n",
		"public_url = https://debrief.example.com:99999\n",
		"public_url = https://debrief.example.com/reviews\n",
		"public_url = https://user@debrief.example.com\n",
		"public_url = https://[]:80\n",
	};
	struct config c;
	struct err e;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (load(&c, bad[i], &e) != E_INVALID)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(e.message, ":1: "));
	}
}

static void test_a_bad_line_leaves_earlier_settings_but_fails(void **state)
{
	struct config c;
	struct err e;

	assert_int_equal(load(&c, "page_size = 10\nthreads = many\n", &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, ":2: threads"));
}

static void test_missing_file_is_fine_unless_required(void **state)
{
	struct config c;
	struct err e;

	config_defaults(&c);
	err_clear(&e);
	assert_int_equal(config_load(&c, "/nonexistent/debrief.conf", 0, &e),
			 E_OK);
	assert_string_equal(c.db, "debrief.db");
	assert_int_equal(config_load(&c, "/nonexistent/debrief.conf", 1, &e),
			 E_IO);
	assert_non_null(strstr(e.message, "/nonexistent/debrief.conf"));
}

static void test_environment_overrides_and_is_checked(void **state)
{
	struct config c;
	struct err e;

	config_defaults(&c);
	err_clear(&e);
	setenv("DEBRIEF_DB", "/tmp/env.db", 1);
	setenv("DEBRIEF_LISTEN", "[::1]:8181", 1);
	setenv("DEBRIEF_MAX_BODY", "64K", 1);
	setenv("DEBRIEF_THREADS", "3", 1);
	assert_int_equal(config_from_env(&c, &e), E_OK);
	assert_string_equal(c.db, "/tmp/env.db");
	assert_string_equal(c.listen, "[::1]:8181");
	assert_int_equal(c.max_body, 64 * 1024);
	assert_int_equal(c.threads, 3);

	setenv("DEBRIEF_THREADS", "lots", 1);
	assert_int_equal(config_from_env(&c, &e), E_INVALID);
	assert_true(!strncmp(e.message, "DEBRIEF_THREADS: ", 17));
}

static void test_listen_splits_host_and_port(void **state)
{
	static const struct {
		const char *listen, *host;
		int port;
	} good[] = {
		{"127.0.0.1:8080", "127.0.0.1", 8080},
		{"localhost:1", "localhost", 1},
		{"[::1]:9000", "::1", 9000},
		{":80", "", 80},
		{"0.0.0.0:0", "0.0.0.0", 0},
	};
	static const char *const bad[] = {
		"8080",	  "host:",   "host:port", "host:-1",  "host:65536",
		"::1:80", "[::1]80", "[]:80",	  "host: 80", "host:+80",
	};
	struct config c;
	char host[64];
	int port;

	config_defaults(&c);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		strcpy(c.listen, good[i].listen);
		assert_int_equal(
			config_listen_split(&c, host, sizeof host, &port, NULL),
			E_OK);
		assert_string_equal(host, good[i].host);
		assert_int_equal(port, good[i].port);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(c.listen, bad[i]);
		if (config_listen_split(&c, host, sizeof host, &port, NULL) !=
		    E_INVALID)
			fail_msg("accepted listen '%s'", bad[i]);
	}
}

/* check writes text as the config file and runs config_check on it,
 * returning the number of problems and the report in out. */
static int check(const char *text, char *out, size_t outlen)
{
	struct config c;
	char *buf = NULL;
	size_t len = 0;
	FILE *report = open_memstream(&buf, &len);
	int n;

	assert_non_null(report);
	write_conf(text);
	config_defaults(&c);
	n = config_check(&c, conf_path, 1, report);
	fclose(report);
	snprintf(out, outlen, "%s", buf ? buf : "");
	free(buf);
	return n;
}

static void test_check_config_reports_every_bad_line_not_only_the_first(
	void **state)
{
	char out[2048];

	assert_int_equal(check("db = a.db\n"
			       "listen = 127.0.0.1:99999\n"
			       "max_bdy = 1M\n"
			       "page_size = 10\n"
			       "frobnicate = 1\n"
			       "no equals sign\n",
			       out, sizeof out),
			 4);
	assert_non_null(strstr(out, ":2: listen: expected HOST:PORT"));
	assert_non_null(
		strstr(out, ":3: unknown key 'max_bdy' (did you mean "
			    "'max_body'?)"));
	assert_non_null(strstr(out, ":5: unknown key 'frobnicate'\n"));
	assert_null(strstr(out, "frobnicate' (did you mean"));
	assert_non_null(strstr(out, ":6: expected key = value"));
	assert_null(strstr(out, ":1:"));
	assert_null(strstr(out, ":4:"));
}

static void test_check_config_of_a_good_file_finds_nothing(void **state)
{
	char out[256];

	assert_int_equal(check("# comment\n\ndb = a.db\nthreads = 2\n"
			       "severity.3 = \"Moderate\"\n",
			       out, sizeof out),
			 0);
	assert_string_equal(out, "");
}

static void test_check_config_checks_the_environment_too(void **state)
{
	char out[512];

	setenv("DEBRIEF_THREADS", "many", 1);
	assert_int_equal(check("db = a.db\n", out, sizeof out), 1);
	assert_non_null(strstr(out, "DEBRIEF_THREADS: threads:"));
}

static void test_a_typo_in_a_key_gets_a_suggestion_when_starting(void **state)
{
	struct config c;
	struct err e;

	assert_int_equal(load(&c, "sesion_idle = 1h\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, "did you mean 'session_idle'?"));
	assert_string_equal(config_suggest("trusted_proxy"), "trusted_proxies");
	assert_string_equal(config_suggest("severity.7"), "severity.1");
	assert_null(config_suggest("zzzzzzzz"));
}

/* every name the suggestions offer is a key config_set knows: setting it
 * to a bad value fails for the value, never as an unknown key */
static void test_every_suggested_key_is_a_real_key(void **state)
{
	size_t i;

	for (i = 0; config_key_name(i); i++) {
		struct config c;
		struct err e;
		char text[128];

		snprintf(text, sizeof text, "%s = \"\xff\"\n",
			 config_key_name(i));
		load(&c, text, &e);
		if (strstr(e.message, "unknown key"))
			fail_msg("'%s' is offered but unknown: %s",
				 config_key_name(i), e.message);
	}
	assert_true(i >= 20);
}

static void test_search_count_cap_is_a_count(void **state)
{
	struct config c;
	struct err e;

	(void)state;
	config_defaults(&c);
	assert_int_equal(c.search_count_cap, 1000);
	assert_int_equal(load(&c, "search_count_cap = 0\n", &e), E_OK);
	assert_int_equal(c.search_count_cap, 0);
	assert_int_equal(load(&c, "search_count_cap = 5\n", &e), E_OK);
	assert_int_equal(c.search_count_cap, 5);
	assert_int_equal(load(&c, "search_count_cap = -1\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, "search_count_cap"));
	assert_int_equal(load(&c, "search_count_cap = many\n", &e),
			 E_INVALID);
}

static void test_search_rank_window_is_a_count(void **state)
{
	struct config c;
	struct err e;

	(void)state;
	config_defaults(&c);
	assert_int_equal(c.search_rank_window, 500);
	assert_int_equal(load(&c, "search_rank_window = 0\n", &e), E_OK);
	assert_int_equal(c.search_rank_window, 0);
	assert_int_equal(load(&c, "search_rank_window = 2000\n", &e), E_OK);
	assert_int_equal(c.search_rank_window, 2000);
	assert_int_equal(load(&c, "search_rank_window = -1\n", &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "search_rank_window"));
}

static void test_time_zone_is_a_zone_of_the_tz_database(void **state)
{
	struct config c;
	struct err e;

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.time_zone, "UTC");
	assert_int_equal(load(&c, "time_zone = Europe/Berlin\n", &e), E_OK);
	assert_string_equal(c.time_zone, "Europe/Berlin");
	assert_int_equal(load(&c, "time_zone = Mars/Olympus\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, "time_zone"));
	assert_non_null(strstr(e.message, "Mars/Olympus"));
	assert_int_equal(load(&c, "time_zone = ../../etc/passwd\n", &e),
			 E_INVALID);
}

static void test_chat_max_entry_is_a_size(void **state)
{
	struct config c;
	struct err e;

	config_defaults(&c);
	assert_int_equal(c.chat_max_entry, 64 * 1024 * 1024);
	assert_int_equal(load(&c, "chat_max_entry = 2K\n", &e), E_OK);
	assert_int_equal(c.chat_max_entry, 2048);
	assert_int_equal(load(&c, "chat_max_entry = 12\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, "chat_max_entry"));
	assert_int_equal(load(&c, "chat_max_entry = 2G\n", &e), E_INVALID);
}

static void test_cache_bytes_is_a_size_of_at_least_1m(void **state)
{
	struct config c;
	struct err e;

	config_defaults(&c);
	assert_int_equal(c.cache_bytes, 64 * 1024 * 1024);
	assert_int_equal(load(&c, "cache_bytes = 256M\n", &e), E_OK);
	assert_int_equal(c.cache_bytes, 256 * 1024 * 1024);
	assert_int_equal(load(&c, "cache_bytes = 512K\n", &e), E_INVALID);
	assert_non_null(strstr(e.message, "cache_bytes"));
	assert_int_equal(load(&c, "cache_bytes = lots\n", &e), E_INVALID);
	assert_int_equal(load(&c, "cache_bytes = 2G\n", &e), E_INVALID);
}

static void test_render_store_bytes_is_auto_0_or_a_size_of_at_least_1m(void **state)
{
	struct config c;
	struct err e;

	config_defaults(&c);
	assert_true(c.render_store_bytes == RENDER_STORE_AUTO);
	assert_int_equal(load(&c, "render_store_bytes = 256M\n", &e), E_OK);
	assert_int_equal(c.render_store_bytes, 256 * 1024 * 1024);
	assert_int_equal(load(&c, "render_store_bytes = auto\n", &e), E_OK);
	assert_true(c.render_store_bytes == RENDER_STORE_AUTO);
	assert_int_equal(load(&c, "render_store_bytes = 0\n", &e), E_OK);
	assert_int_equal(c.render_store_bytes, 0);
	assert_int_equal(load(&c, "render_store_bytes = 1G\n", &e), E_OK);
	assert_int_equal(c.render_store_bytes, 1024 * 1024 * 1024);
	assert_int_equal(load(&c, "render_store_bytes = 512K\n", &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "render_store_bytes"));
	assert_int_equal(load(&c, "render_store_bytes = -1\n", &e), E_INVALID);
	assert_int_equal(load(&c, "render_store_bytes = 2G\n", &e), E_INVALID);
}

static void test_public_url_gives_the_host_name(void **state)
{
	static const struct {
		const char *url, *host;
	} good[] = {
		{"https://Debrief.Example.com", "debrief.example.com"},
		{"http://debrief.example.com:8080/", "debrief.example.com"},
		{"https://[2001:db8::1]:8443", "[2001:db8::1]"},
		{"http://10.1.2.3", "10.1.2.3"},
	};
	char text[160], host[128];
	struct config c;
	struct err e;

	config_defaults(&c);
	config_public_host(&c, host, sizeof host);
	assert_string_equal(host, "");
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(text, sizeof text, "public_url = %s\n", good[i].url);
		assert_int_equal(load(&c, text, &e), E_OK);
		assert_string_equal(c.public_url, good[i].url);
		config_public_host(&c, host, sizeof host);
		assert_string_equal(host, good[i].host);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_defaults_are_the_documented_ones),
		T(test_file_sets_every_key),
		T(test_cache_bytes_is_a_size_of_at_least_1m),
		T(test_time_zone_is_a_zone_of_the_tz_database),
		T(test_search_count_cap_is_a_count),
		T(test_search_rank_window_is_a_count),
		T(test_render_store_bytes_is_auto_0_or_a_size_of_at_least_1m),
		T(test_chat_max_entry_is_a_size),
		T(test_sizes_take_k_m_g_suffixes),
		T(test_request_limits_are_read_and_checked),
		T(test_unknown_key_names_file_and_line),
		T(test_bad_values_are_invalid_and_say_why),
		T(test_a_bad_line_leaves_earlier_settings_but_fails),
		T(test_missing_file_is_fine_unless_required),
		T(test_environment_overrides_and_is_checked),
		T(test_listen_splits_host_and_port),
		T(test_check_config_reports_every_bad_line_not_only_the_first),
		T(test_check_config_of_a_good_file_finds_nothing),
		T(test_check_config_checks_the_environment_too),
		T(test_a_typo_in_a_key_gets_a_suggestion_when_starting),
		T(test_every_suggested_key_is_a_real_key),
		T(test_public_url_gives_the_host_name),
#undef T
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
