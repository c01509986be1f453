/* test_util.c: the string buffer, the arena, time parsing and formatting,
 * and UTF-8 validation (src/util). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/utf8.h"

/* ---- buf ---- */

static void test_buf_appends_and_stays_nul_terminated(void **state)
{
	struct buf b = BUF_INIT;

	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_putc(&b, '-'), 0);
	assert_int_equal(buf_append(&b, "xyz!", 3), 0);
	assert_int_equal(buf_printf(&b, "%d/%s", 42, "z"), 0);
	assert_int_equal(b.len, 11);
	assert_string_equal(b.data, "abc-xyz42/z");
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_buf_put_int_writes_what_printf_writes(void **state)
{
	static const long long v[] = {0, 7, -7, 10, 1234567890123LL,
				      9223372036854775807LL,
				      -9223372036854775807LL - 1};
	struct buf b = BUF_INIT;
	char want[32];

	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		buf_reset(&b);
		assert_int_equal(buf_put_int(&b, v[i]), 0);
		snprintf(want, sizeof want, "%lld", v[i]);
		assert_string_equal(buf_cstr(&b), want);
	}
	buf_release(&b);
}

static void test_buf_grows_past_many_doublings(void **state)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < 100000; i++)
		buf_puts(&b, "0123456789");
	assert_int_equal(b.oom, 0);
	assert_int_equal(b.len, 1000000);
	assert_int_equal(strlen(b.data), 1000000);
	assert_true(!memcmp(b.data + 999990, "0123456789", 10));
	buf_release(&b);
}

static void test_buf_printf_fits_or_grows_and_formats_whole(void **state)
{
	struct buf b = BUF_INIT;
	char want[4096];

	(void)state;
	/* short ones fit the room there is; a long one needs more room and is
	 * formatted again, whole, after what was there */
	for (int i = 0; i < 50; i++)
		assert_int_equal(buf_printf(&b, "%d,", i % 10), 0);
	assert_int_equal(b.len, 100);
	memset(want, 'y', 1500);
	want[1500] = '\0';
	assert_int_equal(buf_printf(&b, "[%s|%d]", want, 12345), 0);
	assert_int_equal(b.len, 100 + 1500 + 8);
	assert_true(!memcmp(b.data, "0,1,2,", 6));
	assert_true(!memcmp(b.data + 100, "[yyy", 4));
	assert_string_equal(b.data + 100 + 1501, "|12345]");
	assert_int_equal(strlen(b.data), b.len);
	/* exactly the room left, then one byte over it */
	buf_reset(&b);
	assert_true(b.cap <= sizeof want);
	memset(want, 'z', b.cap - 1);
	want[b.cap - 1] = '\0';
	assert_int_equal(buf_printf(&b, "%s", want), 0);
	assert_int_equal(b.len, strlen(want));
	assert_int_equal(buf_printf(&b, "%s", "!"), 0);
	assert_int_equal(b.data[b.len - 1], '!');
	assert_int_equal(strlen(b.data), b.len);
	buf_release(&b);
}

static void test_buf_reset_keeps_memory_and_empties(void **state)
{
	struct buf b = BUF_INIT;
	char *mem;

	buf_puts(&b, "hello");
	mem = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_puts(&b, "hi");
	assert_ptr_equal(b.data, mem);
	assert_string_equal(b.data, "hi");
	buf_release(&b);
}

static void test_buf_detach_hands_over_the_string(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	buf_printf(&b, "%s", "mine");
	s = buf_detach(&b);
	assert_string_equal(s, "mine");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
	s = buf_detach(&b); /* an empty buffer gives "" */
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_buf_oom_is_sticky_and_detach_gives_null(void **state)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "x");
	b.oom = 1;
	assert_int_equal(buf_puts(&b, "more"), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_int_equal(b.len, 1);
	assert_null(buf_detach(&b));
	assert_null(b.data);
}

/* ---- arena ---- */

static void test_arena_memory_is_zeroed_and_aligned(void **state)
{
	struct arena *a = arena_new();

	assert_non_null(a);
	for (size_t n = 1; n < 300; n += 7) {
		unsigned char *p = arena_alloc(a, n);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAB, n);
	}
	arena_free(a);
}

static void test_arena_serves_big_and_small_allocations(void **state)
{
	struct arena *a = arena_new();
	char *small1, *big, *small2;

	small1 = arena_strdup(a, "first");
	big = arena_alloc(a, 1 << 20);
	assert_non_null(big);
	memset(big, 'x', 1 << 20);
	small2 = arena_strdup(a, "second");
	assert_string_equal(small1, "first");
	assert_string_equal(small2, "second");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(a, "%s-%03d", "id", 7), "id-007");
	arena_free(a);
}

static int defer_log[4];
static int defer_n;

static void record_defer(void *p)
{
	defer_log[defer_n++] = *(int *)p;
}

static void test_arena_runs_deferred_releases_on_free(void **state)
{
	struct arena *a = arena_new();
	static int one = 1, two = 2;

	defer_n = 0;
	assert_int_equal(arena_defer(a, record_defer, &one), 0);
	assert_int_equal(arena_defer(a, record_defer, &two), 0);
	assert_int_equal(defer_n, 0);
	arena_free(a);
	assert_int_equal(defer_n, 2);
	arena_free(NULL);
}

/* arena_reset: deferred calls run once, memory comes back zeroed, and
 * the kept block is reused (the next small allocation lands where the
 * first one did); a big allocation does not stay behind. */
static void test_arena_reset_reuses_its_block(void **state)
{
	struct arena *a = arena_new();
	static int one = 1;
	unsigned char *first, *again, *big;

	defer_n = 0;
	first = arena_alloc(a, 64);
	memset(first, 0xAB, 64);
	assert_int_equal(arena_defer(a, record_defer, &one), 0);
	big = arena_alloc(a, 1 << 20);
	assert_non_null(big);
	for (int i = 0; i < 100; i++)
		assert_non_null(arena_strdup(a, "a string of some length"));
	arena_reset(a);
	assert_int_equal(defer_n, 1);
	again = arena_alloc(a, 64);
	assert_ptr_equal(again, first);
	for (int i = 0; i < 64; i++)
		assert_int_equal(again[i], 0);
	for (int round = 0; round < 1000; round++) {
		arena_reset(a);
		assert_ptr_equal(arena_alloc(a, 64), first);
		assert_string_equal(arena_printf(a, "%d", round),
				    arena_printf(a, "%d", round));
	}
	arena_reset(a);
	assert_int_equal(defer_n, 1);
	arena_free(a);
	assert_int_equal(defer_n, 1);
}

/* ---- timeutil ---- */

static void test_time_parses_rfc3339_in_utc(void **state)
{
	int64_t t;

	assert_int_equal(time_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(time_parse("2026-11-20T10:04:05Z", &t), 0);
	assert_int_equal(t, 1795169045);
	assert_int_equal(time_parse("2026-11-20T11:04:05+01:00", &t), 0);
	assert_int_equal(t, 1795169045);
	assert_int_equal(time_parse("2026-11-20T05:34:05-04:30", &t), 0);
	assert_int_equal(t, 1795169045);
	assert_int_equal(time_parse("2026-11-20t10:04:05.123456z", &t), 0);
	assert_int_equal(t, 1795169045);
}

static void test_time_parses_form_input_as_utc(void **state)
{
	int64_t t;

	assert_int_equal(time_parse("2026-11-20 10:04", &t), 0);
	assert_int_equal(t, 1795169040);
	assert_int_equal(time_parse("2026-11-20T10:04", &t), 0);
	assert_int_equal(t, 1795169040);
	assert_int_equal(time_parse("  2026-11-20 10:04:05 UTC ", &t), 0);
	assert_int_equal(t, 1795169045);
}

static void test_time_rejects_impossible_dates_and_junk(void **state)
{
	static const char *const bad[] = {
		"2026-13-01T00:00:00Z",	    "2026-02-30T00:00:00Z",
		"2023-02-29T00:00:00Z",	    "2026-11-20T24:00:00Z",
		"2026-11-20T10:60:00Z",	    "2026-11-20",
		"2026-11-20T10:04:05Zjunk", "2026-11-20T10:04:05+1:00",
		"26-11-20T10:04:05Z",	    "",
		"2026-11-20T10:04:05.Z",    "yesterday",
	};
	int64_t t;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (time_parse(bad[i], &t) == 0)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(time_parse(NULL, &t), -1);
	assert_int_equal(time_parse("2024-02-29T12:00:00Z", &t), 0);
}

static void test_time_formats_round_trip(void **state)
{
	char out[TIME_BUF];
	int64_t t;

	time_format(1795169045, out);
	assert_string_equal(out, "2026-11-20T10:04:05Z");
	assert_int_equal(time_parse(out, &t), 0);
	assert_int_equal(t, 1795169045);
	time_format(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	time_format_date(1795169045, out);
	assert_string_equal(out, "2026-11-20");
	time_format_human(1795169045, out);
	assert_string_equal(out, "2026-11-20 10:04 UTC");
	assert_int_equal(time_parse_date("2026-11-20", &t), 0);
	assert_int_equal(t, 1795132800);
	assert_int_equal(time_parse_date("2026-11-20T00:00:00Z", &t), -1);
}

static void test_durations_read_like_people_write_them(void **state)
{
	char out[32];

	time_format_duration(30, out, sizeof out);
	assert_string_equal(out, "30s");
	time_format_duration(42 * 60 + 5, out, sizeof out);
	assert_string_equal(out, "42m");
	time_format_duration(3600 + 5 * 60, out, sizeof out);
	assert_string_equal(out, "1h 05m");
	time_format_duration(2 * 86400 + 3 * 3600 + 59, out, sizeof out);
	assert_string_equal(out, "2d 3h");
	time_format_duration(-90 * 60, out, sizeof out);
	assert_string_equal(out, "-1h 30m");
	time_format_duration(0, out, sizeof out);
	assert_string_equal(out, "0s");
}

/* ---- utf8 ---- */

static void test_utf8_accepts_every_length_of_character(void **state)
{
	const char *s =
		"a \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";

	assert_int_equal(utf8_valid(s, strlen(s), NULL), 1);
	assert_int_equal(utf8_valid("", 0, NULL), 1);
}

static void test_utf8_rejects_malformed_input_at_its_offset(void **state)
{
	static const struct {
		const char *s;
		size_t n, bad;
	} cases[] = {
		{"ab\xC0\xAF", 4, 2},	    /* overlong '/' */
		{"\xE0\x80\xAF", 3, 0},	    /* overlong, 3 bytes */
		{"x\xED\xA0\x80", 4, 1},    /* surrogate U+D800 */
		{"\xF4\x90\x80\x80", 4, 0}, /* above U+10FFFF */
		{"abc\xC3", 4, 3},	    /* truncated */
		{"\xE2\x82", 2, 0},	    /* truncated */
		{"a\x80", 2, 1},	    /* stray continuation */
		{"\xC3\x28", 2, 0},	    /* bad continuation */
		{"\xFF", 1, 0},
		{"ok\0no", 5, 2}, /* NUL byte */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t bad = 999;

		if (utf8_valid(cases[i].s, cases[i].n, &bad))
			fail_msg("case %zu accepted", i);
		assert_int_equal(bad, cases[i].bad);
	}
}

/* The 8-bytes-at-a-time ASCII path must not skip over a bad byte or a
 * NUL, wherever it falls in a word, nor reject characters between runs. */
static void test_utf8_fast_ascii_path_keeps_exact_offsets(void **state)
{
	char buf[64];
	size_t bad;

	for (size_t at = 0; at < 40; at++) {
		memset(buf, 'a', sizeof buf);
		buf[at] = (char)0xFF;
		bad = 999;
		assert_int_equal(utf8_valid(buf, sizeof buf, &bad), 0);
		assert_int_equal(bad, at);
		buf[at] = '\0';
		bad = 999;
		assert_int_equal(utf8_valid(buf, sizeof buf, &bad), 0);
		assert_int_equal(bad, at);
		memcpy(buf + at, "\xC3\xA9", 2); /* é */
		assert_int_equal(utf8_valid(buf, sizeof buf, NULL), 1);
	}
}

/* The 32-bytes-at-a-time path: a bad byte or a NUL anywhere in a long run
 * is found at its offset, and a text of only ASCII, of any length (a
 * multiple of 32 included), is valid without a look past its end (the byte
 * after it is 0xFF here). */
static void test_utf8_long_ascii_runs_end_exactly(void **state)
{
	char buf[200];
	size_t bad;

	for (size_t n = 0; n < 160; n++) {
		memset(buf, 'a', sizeof buf);
		buf[n] = (char)0xFF;
		if (!utf8_valid(buf, n, &bad))
			fail_msg("length %zu rejected at %zu", n, bad);
	}
	for (size_t at = 0; at < 160; at++) {
		memset(buf, 'a', sizeof buf);
		buf[at] = at % 2 ? '\0' : (char)0x80;
		bad = 999;
		assert_int_equal(utf8_valid(buf, sizeof buf, &bad), 0);
		assert_int_equal(bad, at);
	}
}

static void test_utf8_line_col_counts_characters(void **state)
{
	const char *s = "ab\ncaf\xC3\xA9 x\ny";
	int line, col;

	utf8_line_col(s, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	utf8_line_col(s, 9, &line, &col); /* the 'x' after "café " */
	assert_int_equal(line, 2);
	assert_int_equal(col, 6);
	utf8_line_col(s, strlen(s) - 1, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
}

static void test_log_escape_keeps_each_entry_on_one_line(void **state)
{
	char out[64];

	log_escape("GET /a\n2026-12-06T00:00:00Z error forged", out, sizeof out);
	assert_string_equal(out, "GET /a\\n2026-12-06T00:00:00Z error forged");
	log_escape("\r\t\x01\x7f\\", out, sizeof out);
	assert_string_equal(out, "\\r\\t\\x01\\x7f\\\\");
	/* UTF-8 stays; bytes that are not UTF-8 are shown, not copied */
	log_escape("caf\xc3\xa9 \xe9\xe9 \xc3", out, sizeof out);
	assert_string_equal(out, "caf\xc3\xa9 \\xe9\\xe9 \\xc3");
	/* cut at a whole escape, still NUL-terminated */
	assert_int_equal(log_escape("\n\n\n", out, 6), 4);
	assert_string_equal(out, "\\n\\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_appends_and_stays_nul_terminated),
		cmocka_unit_test(test_buf_put_int_writes_what_printf_writes),
		cmocka_unit_test(test_buf_grows_past_many_doublings),
		cmocka_unit_test(test_buf_printf_fits_or_grows_and_formats_whole),
		cmocka_unit_test(test_buf_reset_keeps_memory_and_empties),
		cmocka_unit_test(test_buf_detach_hands_over_the_string),
		cmocka_unit_test(test_buf_oom_is_sticky_and_detach_gives_null),
		cmocka_unit_test(test_arena_memory_is_zeroed_and_aligned),
		cmocka_unit_test(test_arena_serves_big_and_small_allocations),
		cmocka_unit_test(test_arena_runs_deferred_releases_on_free),
		cmocka_unit_test(test_arena_reset_reuses_its_block),
		cmocka_unit_test(test_time_parses_rfc3339_in_utc),
		cmocka_unit_test(test_time_parses_form_input_as_utc),
		cmocka_unit_test(test_time_rejects_impossible_dates_and_junk),
		cmocka_unit_test(test_time_formats_round_trip),
		cmocka_unit_test(test_durations_read_like_people_write_them),
		cmocka_unit_test(test_utf8_accepts_every_length_of_character),
		cmocka_unit_test(
			test_utf8_rejects_malformed_input_at_its_offset),
		cmocka_unit_test(test_utf8_fast_ascii_path_keeps_exact_offsets),
		cmocka_unit_test(test_utf8_long_ascii_runs_end_exactly),
		cmocka_unit_test(test_utf8_line_col_counts_characters),
		cmocka_unit_test(test_log_escape_keeps_each_entry_on_one_line),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
