/* test_tz.c: named time zones from the system's tz database: offsets and
 * abbreviations in winter and summer, both hemispheres and half hours,
 * the POSIX rule past the last transition, wall-clock times read back
 * (including the hour that happens twice and the one that never does),
 * and names that are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/timeutil.h"
#include "util/tz.h"

static int64_t at(const char *s)
{
	int64_t t;

	assert_int_equal(time_parse(s, &t), 0);
	return t;
}

static void check(const char *zone, const char *utc, int32_t off,
		  const char *abbr, const char *human)
{
	const struct tz *z = tz_get(zone);
	const char *a = NULL;
	char out[TIME_BUF];

	assert_non_null(z);
	assert_int_equal(tz_offset(z, at(utc), &a), off);
	assert_string_equal(a, abbr);
	tz_format_human(z, at(utc), out);
	assert_string_equal(out, human);
}

static void test_offsets_in_winter_and_summer(void **state)
{
	(void)state;
	check("UTC", "2026-11-20T10:04:00Z", 0, "UTC", "2026-11-20 10:04 UTC");
	check("Europe/Berlin", "2026-11-20T10:04:00Z", 3600, "CET",
	      "2026-11-20 11:04 CET");
	check("Europe/Berlin", "2019-07-02T13:42:00Z", 7200, "CEST",
	      "2019-07-02 15:42 CEST");
	check("America/New_York", "2017-01-31T23:27:00Z", -5 * 3600, "EST",
	      "2017-01-31 18:27 EST");
	check("America/New_York", "2019-07-02T13:42:00Z", -4 * 3600, "EDT",
	      "2019-07-02 09:42 EDT");
	check("Asia/Kolkata", "2019-07-02T13:42:00Z", 19800, "IST",
	      "2019-07-02 19:12 IST");
	/* the south: summer in January */
	check("Australia/Sydney", "2026-01-15T00:00:00Z", 11 * 3600, "AEDT",
	      "2026-01-15 11:00 AEDT");
	check("Australia/Sydney", "2026-07-15T00:00:00Z", 10 * 3600, "AEST",
	      "2026-07-15 10:00 AEST");
}

static void test_the_rule_holds_after_the_last_transition(void **state)
{
	(void)state;
	/* past 2037 the files hold no transitions: the footer's rule */
	check("Europe/Berlin", "2050-07-01T12:00:00Z", 7200, "CEST",
	      "2050-07-01 14:00 CEST");
	check("Europe/Berlin", "2050-12-01T12:00:00Z", 3600, "CET",
	      "2050-12-01 13:00 CET");
	/* the last Sunday of March 2050 is the 27th: 01:00 UTC */
	check("Europe/Berlin", "2050-03-27T00:59:00Z", 3600, "CET",
	      "2050-03-27 01:59 CET");
	check("Europe/Berlin", "2050-03-27T01:00:00Z", 7200, "CEST",
	      "2050-03-27 03:00 CEST");
	check("Australia/Sydney", "2050-01-15T00:00:00Z", 11 * 3600, "AEDT",
	      "2050-01-15 11:00 AEDT");
	/* the first Sunday of November 2050 is the 6th: 06:00 UTC */
	check("America/New_York", "2050-11-06T05:59:00Z", -4 * 3600, "EDT",
	      "2050-11-06 01:59 EDT");
	check("America/New_York", "2050-11-06T06:00:00Z", -5 * 3600, "EST",
	      "2050-11-06 01:00 EST");
}

static void test_wall_clock_times_read_back(void **state)
{
	const struct tz *b = tz_get("Europe/Berlin");
	int64_t t;
	char out[TIME_BUF];

	(void)state;
	assert_int_equal(tz_parse(b, "2026-11-20 11:04", &t), 0);
	assert_true(t == at("2026-11-20T10:04:00Z"));
	tz_format_input(b, t, out);
	assert_string_equal(out, "2026-11-20 11:04");
	tz_format_input(b, at("2019-07-02T13:42:05Z"), out);
	assert_string_equal(out, "2019-07-02 15:42:05");
	/* a time that names its zone is taken as it says */
	assert_int_equal(tz_parse(b, "2026-11-20T11:04:00Z", &t), 0);
	assert_true(t == at("2026-11-20T11:04:00Z"));
	assert_int_equal(tz_parse(b, "2026-11-20 11:04 UTC", &t), 0);
	assert_true(t == at("2026-11-20T11:04:00Z"));
	/* NULL is UTC */
	assert_int_equal(tz_parse(NULL, "2026-11-20 11:04", &t), 0);
	assert_true(t == at("2026-11-20T11:04:00Z"));
	/* 02:30 on 2026-10-25 happens twice in Berlin: the first (CEST) */
	assert_int_equal(tz_parse(b, "2026-10-25 02:30", &t), 0);
	assert_true(t == at("2026-10-25T00:30:00Z"));
	/* the second 02:30 of that night is written with its offset, so
	 * that a form shown and saved unchanged keeps it */
	tz_format_input(b, at("2026-10-25T01:30:00Z"), out);
	assert_string_equal(out, "2026-10-25 02:30 +01:00");
	assert_int_equal(tz_parse(b, out, &t), 0);
	assert_true(t == at("2026-10-25T01:30:00Z"));
	tz_format_input(b, at("2026-10-25T00:30:00Z"), out);
	assert_string_equal(out, "2026-10-25 02:30");
	/* every minute of that day and of the spring one reads back */
	for (int64_t m = at("2026-10-24T22:00:00Z"); m < at("2026-10-26T00:00:00Z");
	     m += 60) {
		tz_format_input(b, m, out);
		assert_int_equal(tz_parse(b, out, &t), 0);
		assert_true(t == m);
	}
	for (int64_t m = at("2026-03-28T22:00:00Z"); m < at("2026-03-30T00:00:00Z");
	     m += 60) {
		tz_format_input(b, m, out);
		assert_int_equal(tz_parse(b, out, &t), 0);
		assert_true(t == m);
	}
	/* 02:30 on 2026-03-29 never happens: read as 03:30 CEST */
	assert_int_equal(tz_parse(b, "2026-03-29 02:30", &t), 0);
	assert_true(t == at("2026-03-29T01:30:00Z"));
	assert_int_equal(tz_parse(b, "half past two", &t), -1);
}

static void test_bad_names_are_refused(void **state)
{
	static const char *const bad[] = {
		"",	      "Nowhere/City",  "../../etc/passwd", "/etc/passwd",
		"Europe/../../etc/passwd", "Europe//Berlin", "Europe/Berlin\n",
		"Europe/Berlin;rm", "Europe/Berlin ", "zone.tab",
		"right/Europe/Berlin", "posix/Europe/Berlin", "Europe",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(tz_get(bad[i]));
	assert_null(tz_get(NULL));
	/* a file of the database that is not a zone */
	assert_null(tz_get("iso3166.tab"));
	assert_non_null(tz_get("Etc/UTC"));
	assert_true(tz_is_utc(tz_get("Etc/UTC")));
	assert_false(tz_is_utc(tz_get("Europe/Berlin")));
	assert_string_equal(tz_name(tz_get("Europe/Berlin")), "Europe/Berlin");
	/* loaded once */
	assert_ptr_equal(tz_get("Europe/Berlin"), tz_get("Europe/Berlin"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_in_winter_and_summer),
		cmocka_unit_test(test_the_rule_holds_after_the_last_transition),
		cmocka_unit_test(test_wall_clock_times_read_back),
		cmocka_unit_test(test_bad_names_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
