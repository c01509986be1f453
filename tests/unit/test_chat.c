/* test_chat.c: the chat parsers (Slack exports, IRC logs) on fixtures
 * written here, and the import into the store: all or nothing, once per
 * message, through the review's visibility, and promotion to the
 * timeline. Zips are written with libarchive at test time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "importers/chat.h"
#include "importers/chat_import.h"
#include "model/review.h"
#include "model/transcript.h"
#include "store/sqlite_internal.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"

/* ---- collecting what a parser emits ---- */

#define MAXMSG 64
struct got {
	int n;
	struct {
		char channel[64], ts[64], author[64], text[512], thread[64];
		char source[128];
		int64_t at;
		int us, other, edited;
	} m[MAXMSG];
};

static int collect(void *ctx, const struct chat_msg *cm, struct err *e)
{
	struct got *g = ctx;

	(void)e;
	if (g->n >= MAXMSG)
		return 0;
	snprintf(g->m[g->n].channel, 64, "%s", cm->channel);
	snprintf(g->m[g->n].ts, 64, "%s", cm->ts);
	snprintf(g->m[g->n].author, 64, "%s", cm->author ? cm->author : "");
	snprintf(g->m[g->n].text, 512, "%s", cm->text);
	snprintf(g->m[g->n].thread, 64, "%s",
		 cm->thread_ts ? cm->thread_ts : "");
	snprintf(g->m[g->n].source, 128, "%s", cm->source ? cm->source : "");
	g->m[g->n].at = cm->at;
	g->m[g->n].us = cm->at_us;
	g->m[g->n].other = cm->other;
	g->m[g->n].edited = cm->edited;
	g->n++;
	return 0;
}

/* ---- Slack fixtures ---- */

static const char users_json[] =
	"[{\"id\":\"U1\",\"name\":\"alice\",\"profile\":{\"display_name\":"
	"\"Alice\"}},{\"id\":\"U2\",\"name\":\"bob\",\"real_name\":\"Bob "
	"B\"}]";
static const char channels_json[] =
	"[{\"id\":\"C1\",\"name\":\"incident-42\"},{\"id\":\"C2\",\"name\":"
	"\"ops\"}]";
static const char day1_json[] =
	"[{\"type\":\"message\",\"user\":\"U1\",\"text\":\"db is down, "
	"<@U2> can you look? see <#C2> &amp; <https://status.example/x|the "
	"status page> &lt;now&gt;\",\"ts\":\"1700000000.000100\"},"
	"{\"type\":\"message\",\"user\":\"U2\",\"text\":\"on it\","
	"\"ts\":\"1700000000.000200\",\"thread_ts\":\"1700000000.000100\"},"
	"{\"type\":\"message\",\"user\":\"U2\",\"text\":\"restarted\","
	"\"ts\":\"1700000060.000000\",\"edited\":{\"user\":\"U2\",\"ts\":"
	"\"1700000070.000000\"}},"
	"{\"type\":\"message\",\"subtype\":\"channel_join\",\"user\":\"U2\","
	"\"text\":\"<@U2> has joined the channel\",\"ts\":\"1700000001.000000\"},"
	"{\"type\":\"message\",\"subtype\":\"bot_message\",\"username\":"
	"\"pagerbot\",\"text\":\"ALERT <!here>\",\"ts\":\"1700000002.5\"},"
	"{\"type\":\"message\",\"subtype\":\"file_share\",\"user\":\"U1\","
	"\"text\":\"graph\",\"ts\":\"1700000003.000000\",\"files\":[{\"name\":"
	"\"cpu.png\",\"permalink\":\"https://files.example/cpu.png\"}]}]";

static struct slack_parser *slack_with_meta(struct got *g)
{
	struct slack_parser *p = slack_new("export.zip", collect, g);
	struct err e;

	assert_non_null(p);
	assert_int_equal(slack_meta(p, "users.json", users_json,
				    strlen(users_json), &e),
			 E_OK);
	assert_int_equal(slack_meta(p, "channels.json", channels_json,
				    strlen(channels_json), &e),
			 E_OK);
	return p;
}

static void test_slack_resolves_mentions_links_and_escaping(void **state)
{
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct err e;

	assert_int_equal(slack_day(p, "incident-42", "incident-42/2023-11-14.json",
				   day1_json, strlen(day1_json), &e),
			 E_OK);
	assert_int_equal(g.n, 6);
	assert_string_equal(g.m[0].author, "Alice");
	assert_string_equal(g.m[0].text,
			    "db is down, @Bob B can you look? see #ops & the "
			    "status page (https://status.example/x) <now>");
	assert_int_equal(g.m[0].at, 1700000000);
	assert_int_equal(g.m[0].us, 100);
	assert_string_equal(g.m[0].channel, "incident-42");
	slack_free(p);
}

static void test_slack_threads_edits_subtypes_and_files(void **state)
{
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct chat_skips sk;
	int64_t n;
	struct err e;

	assert_int_equal(slack_day(p, "incident-42", "incident-42/2023-11-14.json",
				   day1_json, strlen(day1_json), &e),
			 E_OK);
	/* a reply names its parent; the parent names none */
	assert_string_equal(g.m[1].thread, "1700000000.000100");
	assert_string_equal(g.m[0].thread, "");
	/* same second, kept apart by microseconds */
	assert_int_equal(g.m[1].at, g.m[0].at);
	assert_true(g.m[1].us > g.m[0].us);
	assert_int_equal(g.m[2].edited, 1);
	assert_int_equal(g.m[0].edited, 0);
	assert_int_equal(g.m[3].other, 1); /* channel_join */
	assert_string_equal(g.m[4].author, "pagerbot");
	assert_int_equal(g.m[4].other, 0);
	assert_string_equal(g.m[4].text, "ALERT @here");
	assert_int_equal(g.m[4].us, 500000);
	assert_string_equal(g.m[5].text,
			    "graph\nfile: cpu.png (https://files.example/cpu.png)");
	assert_int_equal(slack_end(p, &sk, &n, &e), E_OK);
	assert_int_equal(n, 6);
	assert_int_equal(sk.others, 1);
	slack_free(p);
}

static void test_slack_day_that_is_not_a_list_names_the_file(void **state)
{
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct err e;

	assert_int_equal(slack_day(p, "ops", "ops/2023-11-14.json",
				   "{\"ok\":true}", 11, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "ops/2023-11-14.json"));
	assert_non_null(strstr(e.message, "not a Slack export"));
	assert_int_equal(slack_day(p, "ops", "ops/2023-11-15.json",
				   "[\n{\"ts\":", 8, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "ops/2023-11-15.json:2"));
	/* an overlong form in a string (shaped like UTF-8, but not) */
	assert_int_equal(slack_day(p, "ops", "ops/2023-11-16.json",
				   "[\n\n{\"ts\":\"1\",\"text\":\"<\xc0\xa9>\"}]",
				   28, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "ops/2023-11-16.json:3: not JSON"));
	assert_non_null(strstr(e.message, "UTF-8"));
	assert_int_equal(g.n, 0);
	slack_free(p);
}

static void test_slack_without_day_files_is_not_an_export(void **state)
{
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct err e;

	assert_int_equal(slack_end(p, NULL, NULL, &e), E_INVALID);
	assert_non_null(strstr(e.message, "export.zip: not a Slack export"));
	slack_free(p);
}

/* The day file is read as a stream: a message's strings share one
 * buffer, which grows for a long message; what it hands on must still be
 * the message's own (source, author, thread), and a \u0000 in a string
 * must not cut the rest of it. */
static void test_slack_long_messages_keep_their_strings(void **state)
{
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct buf day = BUF_INIT;
	struct err e;

	buf_puts(&day, "[");
	for (int i = 0; i < 40; i++) {
		buf_printf(&day,
			   "%s{\"user_profile\":{\"real_name\":\"Eve %d\"},"
			   "\"thread_ts\":\"1700000000.000001\",\"text\":\"",
			   i ? "," : "", i);
		for (int k = 0; k < 50 * i; k++)
			buf_puts(&day, "word ");
		buf_printf(&day, "a\\u0000b\",\"ts\":\"17000000%02d.%06d\"}", i,
			   i);
	}
	buf_puts(&day, "]");
	assert_int_equal(slack_day(p, "ops", "ops/2023-11-14.json", day.data,
				   day.len, &e),
			 E_OK);
	assert_int_equal(g.n, 40);
	for (int i = 0; i < 40; i++) {
		char want[128];
		snprintf(want, sizeof want,
			 "ops/2023-11-14.json#17000000%02d.%06d", i, i);
		assert_string_equal(g.m[i].source, want);
		snprintf(want, sizeof want, "Eve %d", i);
		assert_string_equal(g.m[i].author, want);
		assert_string_equal(g.m[i].thread, "1700000000.000001");
		assert_int_equal(g.m[i].us, i);
	}
	assert_string_equal(g.m[0].text, "ab");
	buf_release(&day);
	slack_free(p);
}

/* Keys the parser keeps, met where they mean something else (a "text"
 * inside blocks, a "ts" inside "edited", a number where a string
 * belongs, a list item that is not an object) change nothing. */
static void test_slack_nested_keys_do_not_leak_into_the_message(void **state)
{
	static const char day[] =
		"[{\"ts\":\"1700000000.000100\",\"user\":\"U1\",\"text\":"
		"\"top\",\"blocks\":[{\"type\":\"rich_text\",\"text\":\"inner"
		"\",\"elements\":[{\"ts\":\"1\",\"user\":\"U2\"}]}],"
		"\"edited\":{\"ts\":\"1700000099.000000\",\"user\":\"U2\"},"
		"\"reactions\":[{\"name\":\"+1\",\"users\":[\"U2\"]}]},"
		"42,\"x\",[1,2],"
		"{\"ts\":1700000001,\"text\":\"numeric ts\"},"
		"{\"ts\":\"1700000002.000000\",\"subtype\":\"bot_message\","
		"\"bot_profile\":{\"name\":\"deploybot\"},\"edited\":true,"
		"\"file\":{\"title\":\"old.txt\",\"url_private\":\"https://"
		"f.example/old\"},\"files\":[{\"name\":\"a.png\"},{\"name\":"
		"\"b.png\",\"permalink\":\"https://f.example/b\"}]}]";
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct chat_skips sk;
	int64_t n;
	struct err e;

	assert_int_equal(slack_day(p, "ops", "ops/2023-11-14.json", day,
				   strlen(day), &e),
			 E_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.m[0].author, "Alice");
	assert_string_equal(g.m[0].text, "top");
	assert_string_equal(g.m[0].ts, "1700000000.000100");
	assert_int_equal(g.m[0].edited, 1);
	assert_string_equal(g.m[1].author, "deploybot");
	assert_int_equal(g.m[1].edited, 0); /* "edited" is not an object */
	assert_string_equal(g.m[1].text,
			    "file: old.txt (https://f.example/old)\n"
			    "file: a.png\n"
			    "file: b.png (https://f.example/b)");
	assert_int_equal(slack_end(p, &sk, &n, &e), E_OK);
	assert_int_equal(n, 2);
	/* 42, "x", [1,2] and the message with a numeric ts */
	assert_int_equal(sk.lines, 4);
	assert_int_equal(sk.nnotes, 4);
	assert_non_null(strstr(sk.notes[3], "message 5: no valid ts"));
	slack_free(p);
}

/* Slack's escaping is undone once, left to right; a lone & stays. */
static void test_slack_escaping_edge_cases(void **state)
{
	static const char day[] =
		"[{\"ts\":\"1700000000.000100\",\"text\":\"a &amp;lt; b & c "
		"&gt;&gt;&lt; &am\"}]";
	struct got g = {0};
	struct slack_parser *p = slack_with_meta(&g);
	struct err e;

	assert_int_equal(
		slack_day(p, "ops", "ops/2023-11-14.json", day, strlen(day), &e),
		E_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.m[0].text, "a &lt; b & c >>< &am");
	slack_free(p);
}

static void test_slack_day_names(void **state)
{
	char ch[64];

	assert_true(slack_day_name("general/2026-11-20.json", ch, sizeof ch));
	assert_string_equal(ch, "general");
	assert_false(slack_day_name("general/notes.json", ch, sizeof ch));
	assert_false(slack_day_name("a/b/2026-11-20.json", ch, sizeof ch));
	assert_false(slack_day_name("2026-11-20.json", ch, sizeof ch));
	assert_true(slack_meta_name("users.json"));
	assert_false(slack_meta_name("x/users.json"));
}

/* ---- IRC ---- */

static enum err_code irc_feed(const char *text, const struct irc_opts *o,
			      struct got *g, struct chat_skips *sk,
			      struct err *e)
{
	struct irc_parser *p = irc_new(o, collect, g);
	const char *s = text;
	enum err_code rc = E_OK;

	assert_non_null(p);
	while (rc == E_OK && *s) {
		size_t n = strcspn(s, "\n");
		rc = irc_line(p, s, n, e);
		s += n + (s[n] == '\n');
	}
	if (rc == E_OK)
		rc = irc_end(p, sk, NULL, e);
	irc_free(p);
	return rc;
}

static void test_irc_iso_lines_actions_and_joins(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 0};
	struct got g = {0};
	struct chat_skips sk;
	struct err e;

	assert_int_equal(
		irc_feed("2005-01-08T23:33:54  *** bot has joined #ops\n"
			 "2005-01-08T23:34:46  <alice> is the db up?\n"
			 "2005-01-08T23:34:46  <@bob> no\n"
			 "2005-01-08T23:35:00  * alice waves\n"
			 "garbage line\n",
			 &o, &g, &sk, &e),
		E_OK);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.m[0].other, 1);
	assert_string_equal(g.m[1].author, "alice");
	assert_string_equal(g.m[1].text, "is the db up?");
	assert_int_equal(g.m[1].at, 1105227286);
	/* same second: the second line comes after the first */
	assert_string_equal(g.m[2].author, "bob");
	assert_int_equal(g.m[2].at, g.m[1].at);
	assert_int_equal(g.m[2].us, 1);
	assert_string_not_equal(g.m[2].ts, g.m[1].ts);
	assert_int_equal(g.m[3].other, 1);
	assert_string_equal(g.m[3].author, "alice");
	assert_string_equal(g.m[3].text, "waves");
	assert_int_equal(sk.lines, 1);
	assert_non_null(strstr(sk.notes[0], "ops.log:5"));
}

static void test_irc_clock_going_back_keeps_every_line(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 0};
	struct got g = {0};
	struct err e;

	assert_int_equal(irc_feed("2005-01-08T10:00:00  <a> one\n"
				  "2005-01-08T10:00:01  <b> two\n"
				  "2005-01-08T10:00:00  <c> three\n",
				  &o, &g, NULL, &e),
			 E_OK);
	assert_int_equal(g.n, 3);
	assert_string_not_equal(g.m[0].ts, g.m[2].ts);
	assert_string_not_equal(g.m[0].ts, g.m[1].ts);
}

static void test_irc_drop_other_drops_joins(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 1};
	struct got g = {0};
	struct err e;

	assert_int_equal(
		irc_feed("2005-01-08T23:33:54  *** bot has joined #ops\n"
			 "2005-01-08T23:34:46  <alice> hi\n",
			 &o, &g, NULL, &e),
		E_OK);
	assert_int_equal(g.n, 1);
}

static void test_irc_windows_1252_line_is_recoded(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 0};
	struct got g = {0};
	struct chat_skips sk;
	struct err e;

	/* "caf\xe9 \x93ok\x94" in Windows-1252, then a UTF-8 line */
	assert_int_equal(irc_feed("2005-01-08T10:00:00  <a> caf\xe9 \x93ok\x94\n"
				  "2005-01-08T10:00:01  <b> caf\xc3\xa9\n",
				  &o, &g, &sk, &e),
			 E_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.m[0].text, "caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d");
	assert_string_equal(g.m[1].text, "caf\xc3\xa9");
	assert_int_equal(sk.recoded, 1);
}

static void test_irc_without_dates_needs_date_and_rolls_over(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 0};
	struct got g = {0};
	struct err e;

	assert_int_equal(irc_feed("[23:59:00] <a> late\n", &o, &g, NULL, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "ops.log:1"));
	assert_non_null(strstr(e.message, "--date"));
	assert_int_equal(g.n, 0);

	o.date = 1700006400; /* 2023-11-15 */
	assert_int_equal(irc_feed("[23:59:00] <a> late\n"
				  "[00:01] <b> next day\n",
				  &o, &g, NULL, &e),
			 E_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[0].at, 1700006400 + 86340);
	assert_int_equal(g.m[1].at, 1700006400 + 86400 + 60);
}

static void test_irc_irssi_day_changed_and_dircproxy(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 0};
	struct got g = {0};
	struct err e;

	assert_int_equal(irc_feed("--- Log opened Tue Nov 14 22:00:00 2023\n"
				  "22:13 <@alice> one\n"
				  "--- Day changed Wed Nov 15 2023\n"
				  "00:00 -!- bob [b@h] has joined #ops\n",
				  &o, &g, NULL, &e),
			 E_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[0].at, 1700000000 - 20);
	assert_int_equal(g.m[1].at, 1700006400);
	assert_int_equal(g.m[1].other, 1);

	memset(&g, 0, sizeof g);
	o.date = 1700006400;
	assert_int_equal(irc_feed("[14 Nov 22:13] <alice!a@host> +hello\n"
				  "[14 Nov 22:14] --> bob joined\n",
				  &o, &g, NULL, &e),
			 E_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.m[0].author, "alice");
	assert_string_equal(g.m[0].text, "hello");
	assert_int_equal(g.m[0].at, 1700000000 - 20);
}

/* ZNC with dates: "[YYYY-MM-DD HH:MM:SS] <nick> text", actions, joins
 * ("*** Joins:") and nick changes, across midnight, no --date needed. */
static void test_irc_znc_with_dates(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, NULL, 0};
	struct got g = {0};
	struct chat_skips sk = {0};
	struct err e;

	assert_int_equal(
		irc_feed("[2023-11-14 22:13:20] <alice> db is down\n"
			 "[2023-11-14 22:13:21] * bob looks\n"
			 "[2023-11-14 22:13:22] *** Joins: carol (c@host)\n"
			 "[2023-11-14 23:59:59] *** bob is now known as bobby\n"
			 "[2023-11-15 00:00:01] <bobby> fixed\n",
			 &o, &g, &sk, &e),
		E_OK);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.m[0].author, "alice");
	assert_string_equal(g.m[0].text, "db is down");
	assert_int_equal(g.m[0].at, 1700000000);
	assert_int_equal(g.m[0].other, 0);
	assert_string_equal(g.m[1].author, "bob");
	assert_int_equal(g.m[1].other, 1);
	assert_int_equal(g.m[2].other, 1);
	assert_int_equal(g.m[3].other, 1);
	assert_string_equal(g.m[4].author, "bobby");
	assert_int_equal(g.m[4].at, 1700006401);
	assert_int_equal(sk.lines, 0);
	/* dropped by option, and counted */
	o.drop_other = 1;
	memset(&g, 0, sizeof g);
	assert_int_equal(
		irc_feed("[2023-11-14 22:13:21] * bob looks\n"
			 "[2023-11-14 22:13:22] <alice> ok\n",
			 &o, &g, &sk, &e),
		E_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.m[0].text, "ok");
}

static void test_irc_weechat_and_zone(void **state)
{
	struct irc_opts o = {"#ops", "ops.log", 0, "+02:00", 0};
	struct got g = {0};
	struct err e;

	assert_int_equal(irc_feed("2023-11-15 00:13:20\t@alice\thello there\n"
				  "2023-11-15 00:13:21\t-->\tbob joined\n",
				  &o, &g, NULL, &e),
			 E_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.m[0].author, "alice");
	assert_string_equal(g.m[0].text, "hello there");
	assert_int_equal(g.m[0].at, 1700000000);
	assert_int_equal(g.m[1].other, 1);
	o.zone = "Europe/Paris"; /* UTC+1 in November */
	memset(&g, 0, sizeof g);
	assert_int_equal(irc_feed("2023-11-14T23:13:20 <a> x\n", &o, &g, NULL,
				  &e),
			 E_OK);
	assert_int_equal(g.m[0].at, 1700000000);
	assert_false(chat_zone_valid("Mars/Olympus"));
	assert_false(chat_zone_valid("../../etc/passwd"));
}

static void test_irc_with_no_known_line_is_refused(void **state)
{
	struct irc_opts o = {"#ops", "notes.txt", 0, NULL, 0};
	struct got g = {0};
	struct err e;

	assert_int_equal(irc_feed("dear diary\nnothing happened\n", &o, &g,
				  NULL, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "notes.txt: no line in a known IRC "
					  "log format"));
}

/* ---- JSON Lines and CSV ---- */

static void test_jsonl_rows_with_names_numbers_and_channels(void **state)
{
	struct table_opts o = {"general", "chat.jsonl", NULL};
	struct jsonl_parser *p;
	struct got g = {0};
	int64_t n;
	struct err e;
	static const char *const lines[] = {
		"{\"time\": \"2023-11-14T22:13:20Z\", \"author\": \"alice\", "
		"\"text\": \"db down\"}",
		"",
		"{\"ts\": 1700000001.25, \"user\": \"bob\", \"message\": "
		"\"looking\", \"channel\": \"ops\"}",
		"{\"timestamp\": 1700000002, \"nick\": \"carol\", \"body\": "
		"\"caf\u00e9\"}",
	};

	p = jsonl_new(&o, collect, &g);
	assert_non_null(p);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(jsonl_line(p, lines[i], strlen(lines[i]), &e),
				 E_OK);
	assert_int_equal(jsonl_end(p, &n, &e), E_OK);
	assert_int_equal(n, 3);
	assert_int_equal(g.m[0].at, 1700000000);
	assert_string_equal(g.m[0].channel, "general");
	assert_string_equal(g.m[1].channel, "ops");
	assert_string_equal(g.m[1].author, "bob");
	assert_int_equal(g.m[1].us, 250000);
	assert_string_equal(g.m[2].text, "caf\xc3\xa9");
	assert_string_not_equal(g.m[0].ts, g.m[1].ts);
	jsonl_free(p);
}

static void test_jsonl_bad_lines_name_file_and_line(void **state)
{
	struct table_opts o = {"general", "chat.jsonl", NULL};
	struct jsonl_parser *p = jsonl_new(&o, collect, &(struct got){0});
	struct err e;
#define JL(text) jsonl_line(p, text, strlen(text), &e)

	assert_int_equal(JL("{\"time\": \"2023-11-14T22:13:20Z\", \"text\": \"ok\"}"),
			 E_OK);
	assert_int_equal(JL("[1, 2]"), E_INVALID);
	assert_non_null(strstr(e.message, "chat.jsonl:2: not a JSON object"));
	assert_int_equal(JL("{\"time\": \"soon\", \"text\": \"x\"}"),
			 E_INVALID);
	assert_non_null(strstr(e.message, "chat.jsonl:3: \"soon\" is not a time"));
	assert_int_equal(JL("{\"time\": 1700000000}"),
			 E_INVALID);
	assert_non_null(strstr(e.message, "chat.jsonl:4: the row has no text"));
	jsonl_free(p);
	p = jsonl_new(&o, collect, &(struct got){0});
	assert_int_equal(jsonl_end(p, NULL, &e), E_INVALID);
	jsonl_free(p);
#undef JL
}

static enum err_code csv_all(const char *text, size_t slice, struct got *g,
			     const char *zone, struct err *e)
{
	struct table_opts o = {"general", "chat.csv", zone};
	struct csv_parser *p = csv_new(&o, collect, g);
	size_t n = strlen(text);
	enum err_code rc = E_OK;

	assert_non_null(p);
	for (size_t i = 0; rc == E_OK && i < n; i += slice)
		rc = csv_feed(p, text + i, n - i < slice ? n - i : slice, e);
	if (rc == E_OK)
		rc = csv_end(p, NULL, e);
	csv_free(p);
	return rc;
}

static void test_csv_quotes_line_breaks_and_slices(void **state)
{
	const char *csv = "Time,Author,Text,Channel\r\n"
			  "2023-11-14 22:13:20,alice,\"db down, \"\"again\"\"\",ops\r\n"
			  "\n"
			  "1700000001,bob,\"two\nlines\",\n"
			  "1700000002,carol,caf\xe9,\"  \"\n";
	struct err e;

	for (size_t slice = 1; slice <= 64; slice *= 4) {
		struct got g = {0};
		assert_int_equal(csv_all(csv, slice, &g, NULL, &e), E_OK);
		assert_int_equal(g.n, 3);
		assert_string_equal(g.m[0].text, "db down, \"again\"");
		assert_string_equal(g.m[0].channel, "ops");
		assert_int_equal(g.m[0].at, 1700000000);
		assert_string_equal(g.m[1].text, "two\nlines");
		assert_string_equal(g.m[1].channel, "general");
		assert_string_equal(g.m[2].text, "caf\xc3\xa9");
		assert_string_equal(g.m[2].channel, "general");
	}
}

static void test_csv_zone_and_bad_input(void **state)
{
	struct got g = {0};
	struct err e;

	assert_int_equal(csv_all("time;text\n2023-11-15 00:13:20;hi\n", 7, &g,
				 "+02:00", &e),
			 E_OK);
	assert_int_equal(g.m[0].at, 1700000000);
	assert_int_equal(csv_all("when,what\n1,2\n", 100, &g, NULL, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "chat.csv:1: the header names no time"));
	assert_int_equal(csv_all("time,text\n2023-11-14T22:13:20Z,ok\nnope,x\n",
				 100, &g, NULL, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "chat.csv:3:"));
	assert_int_equal(csv_all("time,text\n1700000000,\"open\n", 100, &g,
				 NULL, &e),
			 E_INVALID);
	assert_non_null(strstr(e.message, "chat.csv:2: a quote"));
	assert_int_equal(csv_all("time,text\n", 100, &g, NULL, &e), E_INVALID);
	assert_non_null(strstr(e.message, "no CSV row"));
}

/* ---- imports into the store ---- */

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena *a;
	int64_t review;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct review_doc doc = {0};
	struct err e;

	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-chat-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	f->a = arena_new();
	if (store_open(f->path, &f->st, &e) != E_OK)
		return -1;
	doc.review = record_new(f->a, &review_def);
	record_set_str(doc.review, REVIEW_TITLE, "db outage");
	record_fill_defaults(f->a, doc.review);
	if (store_review_create(f->st, f->a, "alice", &doc, &f->review, &e) !=
	    E_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	store_close(f->st);
	arena_free(f->a);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

struct entry {
	const char *path;
	const char *data;
	size_t n; /* 0: strlen */
};

/* make_zip writes entries into a zip in memory; *n its size. */
static char *make_zip(const struct entry *ents, size_t *n)
{
	size_t cap = 1 << 20, used = 0;
	char *out = malloc(cap);
	struct archive *w = archive_write_new();

	assert_non_null(out);
	archive_write_set_format_zip(w);
	assert_int_equal(archive_write_open_memory(w, out, cap, &used),
			 ARCHIVE_OK);
	for (; ents->path; ents++) {
		struct archive_entry *ent = archive_entry_new();
		size_t len = ents->n ? ents->n : strlen(ents->data);

		archive_entry_set_pathname(ent, ents->path);
		archive_entry_set_size(ent, (la_int64_t)len);
		archive_entry_set_filetype(ent, AE_IFREG);
		archive_entry_set_perm(ent, 0644);
		assert_int_equal(archive_write_header(w, ent), ARCHIVE_OK);
		assert_int_equal(archive_write_data(w, ents->data, len),
				 (la_ssize_t)len);
		archive_entry_free(ent);
	}
	archive_write_close(w);
	archive_write_free(w);
	*n = used;
	return out;
}

static const struct entry good_export[] = {
	{"users.json", users_json, 0},
	{"channels.json", channels_json, 0},
	{"incident-42/2023-11-14.json", day1_json, 0},
	{"ops/2023-11-15.json",
	 "[{\"user\":\"U1\",\"text\":\"next day\",\"ts\":\"1700006500.000001\"}]",
	 0},
	{NULL, NULL, 0},
};

static int64_t count(struct fx *f, const struct viewer *v)
{
	struct transcript_filter flt = {0};
	struct record_list l;
	int64_t total = -1;
	struct err e;

	flt.viewer = v;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	return total;
}

static void test_import_zip_stores_each_message_once(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct transcript_filter flt = {0};
	struct record_list l;
	int64_t total, v0, v1;
	size_t n;
	char *zip = make_zip(good_export, &n);
	struct err e;

	assert_int_equal(store_review_version(f->st, f->review, &v0, &e), E_OK);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "export.zip", zip, n, &o, &res, &e),
			 E_OK);
	assert_string_equal(res.format, "slack");
	assert_int_equal(res.counts.added, 7);
	assert_int_equal(res.channels, 2);
	assert_int_equal(store_review_version(f->st, f->review, &v1, &e), E_OK);
	assert_true(v1 > v0);
	/* the same export again adds nothing */
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "export.zip", zip, n, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 0);
	assert_int_equal(res.counts.duplicates, 7);
	assert_int_equal(count(f, NULL), 7);
	/* time order, microseconds within the second */
	flt.channel = "incident-42";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 6);
	assert_string_equal(record_str(l.items[0], TR_TS), "1700000000.000100");
	assert_string_equal(record_str(l.items[1], TR_TS), "1700000000.000200");
	/* search */
	memset(&flt, 0, sizeof flt);
	flt.q = "restarted";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	assert_int_equal(record_int(l.items[0], TR_EDITED, 0), 1);
	free(zip);
}

/* expect_found: searching the review's chat for q finds one message,
 * whose text is text. */
static void expect_found(struct fx *f, const char *q, const char *text)
{
	struct transcript_filter flt = {0};
	struct record_list l;
	int64_t total = -1;
	struct err e;

	flt.q = q;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	assert_string_equal(record_str(l.items[0], TR_TEXT), text);
}

/* fts_intact: FTS5's own check that the search index holds exactly the
 * words of the messages, every one under its id (SQLite). */
static void fts_intact(struct fx *f)
{
	struct err e;
	struct conn *c = conn_get(f->st, &e);
	struct db_stmt *s;

	assert_non_null(c);
	if (db_kind(c->db) != DB_SQLITE) {
		conn_put(c);
		return;
	}
	s = conn_stmt(c,
		      "INSERT INTO transcript_fts (transcript_fts) "
		      "VALUES ('integrity-check')",
		      &e);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_DONE);
	conn_done(c, s);
	conn_put(c);
}

/* Messages go to the store in batches: counts, keys and order hold
 * across batch boundaries, for a repeated key inside one batch, and for
 * the few left over at the end. */
static void test_import_in_batches_counts_each_message(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct transcript_filter flt = {0};
	struct record_list l;
	struct buf log = BUF_INIT, day = BUF_INIT;
	int64_t total;
	struct err e;

	for (int i = 0; i < 100; i++)
		buf_printf(&log, "2023-11-14T10:%02d:%02d  <n%d> line %d\n",
			   i / 60, i % 60, i % 7, i);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", "ops.log",
					   log.data, log.len, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 100);
	assert_int_equal(res.counts.duplicates, 0);
	/* again, with 5 lines more: only those are new */
	for (int i = 100; i < 105; i++)
		buf_printf(&log, "2023-11-14T10:%02d:%02d  <n%d> line %d\n",
			   i / 60, i % 60, i % 7, i);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", "ops.log",
					   log.data, log.len, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 5);
	assert_int_equal(res.counts.duplicates, 100);
	flt.channel = "ops";
	flt.limit = 1000;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 105);
	/* search finds a message of a whole new batch (indexed from the
	 * values in hand), one of the last few, and one of the second
	 * import */
	expect_found(f, "40", "line 40");
	expect_found(f, "98", "line 98");
	expect_found(f, "103", "line 103");
	for (int i = 0; i < 105; i++) {
		char want[32];
		snprintf(want, sizeof want, "line %d", i);
		assert_string_equal(record_str(l.items[i], TR_TEXT), want);
	}
	/* a Slack day whose every tenth message repeats the ts before it:
	 * the first of the two is kept */
	buf_puts(&day, "[");
	for (int i = 0; i < 70; i++)
		buf_printf(&day,
			   "%s{\"user\":\"U1\",\"text\":\"m%d\",\"ts\":"
			   "\"1700000%03d.000000\"}",
			   i ? "," : "", i, i % 10 == 9 ? i - 1 : i);
	buf_puts(&day, "]");
	o.format = "slack";
	{
		const struct entry ents[] = {{"users.json", users_json, 0},
					     {"dev/2023-11-14.json", day.data, 0},
					     {NULL, NULL, 0}};
		size_t n;
		char *zip = make_zip(ents, &n);
		assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
						   "export.zip", zip, n, &o,
						   &res, &e),
				 E_OK);
		free(zip);
	}
	assert_int_equal(res.counts.added, 63);
	assert_int_equal(res.counts.duplicates, 7);
	flt.channel = "dev";
	flt.q = "m8";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	flt.q = "m9";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 0);
	assert_int_equal(count(f, NULL), 105 + 63);
	expect_found(f, "m40", "m40");
	fts_intact(f);
	buf_release(&log);
	buf_release(&day);
}

/* An import reads in one thread and stores in another, batch by batch
 * (chat_import.c): a store error in an early batch is the import's
 * error even when the reader has gone on to a bad line further down,
 * nothing of either batch stays, and the connection goes back to the
 * pool as it was (the next import works). */
static void test_store_error_in_an_early_batch_wins(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct buf jl = BUF_INIT;
	int64_t v0, v1;
	struct conn *c;
	struct err e;

	c = conn_get(f->st, &e);
	assert_non_null(c);
	assert_int_equal(
		db_exec(c->db, "CREATE TRIGGER refuse BEFORE INSERT ON "
			       "transcript_messages WHEN new.text = 'row 700' "
			       "BEGIN SELECT RAISE(ABORT, 'refused by the "
			       "test'); END"),
		DB_OK);
	conn_put(c);
	/* 3 batches and the bad line: the reader is done before the
	 * writer reaches row 700 */
	for (int i = 0; i < 1500; i++)
		buf_printf(&jl,
			   "{\"time\": %d, \"author\": \"n%d\", \"text\": "
			   "\"row %d\"}\n",
			   1700000000 + i, i % 7, i);
	buf_puts(&jl, "[1, 2]\n");
	assert_int_equal(store_review_version(f->st, f->review, &v0, &e), E_OK);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "chat.jsonl", jl.data, jl.len, &o,
					   &res, &e),
			 E_STORE);
	assert_non_null(strstr(e.message, "chat.jsonl:"));
	assert_non_null(strstr(e.message, "refused by the test"));
	assert_int_equal(count(f, NULL), 0);
	assert_int_equal(store_review_version(f->st, f->review, &v1, &e), E_OK);
	assert_int_equal(v1, v0);
	/* without the store's error, the bad line is the error */
	c = conn_get(f->st, &e);
	assert_non_null(c);
	assert_int_equal(db_exec(c->db, "DROP TRIGGER refuse"), DB_OK);
	conn_put(c);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "chat.jsonl", jl.data, jl.len, &o,
					   &res, &e),
			 E_INVALID);
	assert_non_null(
		strstr(e.message, "chat.jsonl:1501: not a JSON object"));
	assert_int_equal(count(f, NULL), 0);
	/* and without it, every row (more batches than are in flight) */
	jl.len -= strlen("[1, 2]\n");
	for (int i = 1500; i < 3000; i++)
		buf_printf(&jl,
			   "{\"time\": %d, \"author\": \"n%d\", \"text\": "
			   "\"row %d\"}\n",
			   1700000000 + i, i % 7, i);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "chat.jsonl", jl.data, jl.len, &o,
					   &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 3000);
	assert_int_equal(count(f, NULL), 3000);
	expect_found(f, "2999", "row 2999");
	fts_intact(f);
	buf_release(&jl);
}

/* A file's name is cut for the channel (127 bytes) and the source (200
 * bytes) between UTF-8 characters, never inside one: a long name in
 * another script once made both invalid and the whole import refused. */
static void test_long_file_name_is_cut_between_characters(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct transcript_filter flt = {0};
	struct record_list l;
	struct buf name = BUF_INIT;
	const char *log = "2023-11-14T10:00:00  <bob> disk full\n";
	const char *ch, *src;
	int64_t total;
	struct err e;

	buf_putc(&name, 'a'); /* odd: the cuts fall inside an \xc3\xa9 */
	for (int i = 0; i < 110; i++)
		buf_puts(&name, "\xc3\xa9");
	buf_puts(&name, ".log");
	err_clear(&e);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   buf_cstr(&name), log, strlen(log),
					   &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 1);
	flt.limit = 10;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	ch = record_str(l.items[0], TR_CHANNEL);
	src = record_str(l.items[0], TR_SOURCE);
	assert_true(utf8_valid(ch, strlen(ch), NULL));
	assert_int_equal(strlen(ch), 127);
	assert_true(utf8_valid(src, strlen(src), NULL));
	assert_int_equal(strncmp(src, buf_cstr(&name), 199), 0);
	assert_string_equal(src + 199, ":1");
	buf_release(&name);
}

/* A file's name that is not UTF-8 (a Latin-1 "café.log") is read as
 * Windows-1252 for the channel and the source, as the log's lines are:
 * it made both invalid and the whole import refused (fuzz_import_irc,
 * once it chose the file's name). */
static void test_file_name_not_utf8_is_read_as_1252(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct transcript_filter flt = {0};
	struct record_list l;
	const char *log = "2023-11-14T10:00:00  <bob> disk full\n";
	int64_t total;
	struct err e;

	err_clear(&e);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "logs/caf\xe9 \x80.log", log,
					   strlen(log), &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 1);
	flt.limit = 10;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 1);
	assert_string_equal(record_str(l.items[0], TR_CHANNEL),
			    "caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(record_str(l.items[0], TR_SOURCE),
			    "caf\xc3\xa9 \xe2\x82\xac.log:1");
}

/* sql_int: the one integer sql reads from the database at path. */
static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* sql_text: the one text sql reads from the database at path (a copy). */
static char *sql_text(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	char *v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* A message's source keeps its file once (035): a Slack day file's
 * "CHANNEL/DAY.json#" and an IRC log's "FILE:" are rows of
 * transcript_sources, the message holds the rest (NULL for a Slack ts),
 * and every read gives the source whole, as before; importing again adds
 * neither messages nor files. */
static void test_source_keeps_its_file_once(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct transcript_filter flt = {0};
	struct record_list l;
	const char *log = "2023-11-14T10:00:00  <bob> disk full\n"
			  "2023-11-14T10:00:05  <ann> on it\n";
	int64_t total;
	size_t n;
	char *zip = make_zip(good_export, &n);
	char *stored;
	struct err e;

	for (int k = 0; k < 2; k++) {
		assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
						   "export.zip", zip, n, &o,
						   &res, &e),
				 E_OK);
		assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
						   "irc-ops.log", log,
						   strlen(log), &o, &res, &e),
				 E_OK);
		assert_int_equal(res.counts.added, k ? 0 : 2);
	}
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM "
					  "transcript_sources"),
			 3);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM "
					  "transcript_messages WHERE source_id "
					  "IS NULL OR (source IS NOT NULL AND "
					  "channel != 'irc-ops')"),
			 0);
	stored = sql_text(f->path, "SELECT source FROM transcript_messages "
				   "WHERE channel = 'irc-ops' ORDER BY id DESC");
	assert_string_equal(stored, "2");
	free(stored);
	flt.channel = "incident-42";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_string_equal(record_str(l.items[0], TR_SOURCE),
			    "incident-42/2023-11-14.json#1700000000.000100");
	flt.channel = "irc-ops";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, &total, &e),
			 E_OK);
	assert_int_equal(total, 2);
	assert_string_equal(record_str(l.items[1], TR_SOURCE),
			    "irc-ops.log:2");
	free(zip);
}

/* The columns every message of an import shares (its review, version 1,
 * the import's time as created_at and updated_at) are parameters bound
 * once for the 32-row statement, which names them once
 * (sqlite_transcript.c): each row of a batch, and the rows left over and
 * inserted one by one at the commit, gets them all the same, and its
 * own fields in order. */
static void test_batch_rows_share_review_and_time(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct buf log = BUF_INIT;
	char sql[512];
	int64_t before = time(NULL);
	struct err e;

	for (int i = 0; i < 70; i++) /* two batches of 32, six left over */
		buf_printf(&log, "2023-11-14T11:%02d:%02d  <n%d> row %d\n",
			   i / 60, i % 60, i % 5, i);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", "b.log",
					   log.data, log.len, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 70);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM transcript_messages WHERE channel = "
		 "'b' AND review_id = %lld AND version = 1 AND created_at = "
		 "updated_at AND created_at BETWEEN %lld AND %lld AND "
		 "deleted_at IS NULL AND text = 'row ' || (source - 1) AND "
		 "author = 'n' || ((source - 1) %% 5)",
		 (long long)f->review, (long long)before,
		 (long long)time(NULL));
	assert_int_equal(sql_int(f->path, sql), 70);
	buf_release(&log);
}

#define TIME_INDEX_ROOT                                    \
	"SELECT rootpage FROM sqlite_schema WHERE name = " \
	"'transcript_messages_time'"
#define TIME_INDEX_SQL                                \
	"SELECT sql FROM sqlite_schema WHERE name = " \
	"'transcript_messages_time'"

/* irc_lines imports n lines, from line first on, of one IRC log. */
static void irc_lines(struct fx *f, int first, int n, int64_t added)
{
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct buf log = BUF_INIT;
	struct err e;

	for (int i = first; i < first + n; i++)
		buf_printf(&log, "2023-11-%02dT%02d:%02d:%02d  <n%d> line %d\n",
			   14 + i / 86400, i / 3600 % 24, i / 60 % 60, i % 60,
			   i % 7, i);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", "ops.log",
					   log.data, log.len, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, added);
	buf_release(&log);
}

/* An import that at least doubles the messages stored fills the table
 * without its time index and makes it again before it commits: the same
 * index (a new root page), with its statistics, the messages in time
 * order. A smaller import keeps the index as it is, and a failed import
 * leaves it as it was. */
static void test_large_import_makes_time_index_again(void **state)
{
	struct fx *f = *state;
	struct transcript_filter flt = {0};
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct record_list l;
	struct buf day = BUF_INIT;
	char *sql0, *sql1, *zip;
	int64_t root0, root1, total;
	size_t n;
	sqlite3 *db;
	struct err e;

	sql0 = sql_text(f->path, TIME_INDEX_SQL);
	root0 = sql_int(f->path, TIME_INDEX_ROOT);
	irc_lines(f, 0, 50, 50); /* fewer than 4096: kept */
	assert_int_equal(sql_int(f->path, TIME_INDEX_ROOT), root0);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	/* 5000 lines after 50 */
	irc_lines(f, 50, 5000, 5000);
	root1 = sql_int(f->path, TIME_INDEX_ROOT);
	assert_int_not_equal(root1, root0);
	sql1 = sql_text(f->path, TIME_INDEX_SQL);
	assert_string_equal(sql1, sql0);
	assert_int_equal(sql_int(f->path,
				 "SELECT count(*) FROM sqlite_stat1 "
				 "WHERE idx = 'transcript_messages_time'"),
			 1);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM "
					  "pragma_integrity_check WHERE "
					  "integrity_check <> 'ok'"),
			 0);
	flt.limit = 1000;
	flt.offset = 4000;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt, &l,
					       &total, &e),
			 E_OK);
	assert_int_equal(total, 5050);
	for (size_t i = 0; i < l.n; i++) {
		char want[32];
		snprintf(want, sizeof want, "line %zu", 4000 + i);
		assert_string_equal(record_str(l.items[i], TR_TEXT), want);
	}
	expect_found(f, "4999", "line 4999");
	/* 100 more: the index is kept */
	irc_lines(f, 5050, 100, 100);
	assert_int_equal(sql_int(f->path, TIME_INDEX_ROOT), root1);
	/* 6000 messages, then a day file that is not JSON: nothing is
	 * imported, the index is as it was */
	buf_puts(&day, "[");
	for (int i = 0; i < 6000; i++)
		buf_printf(&day,
			   "%s{\"user\":\"U1\",\"text\":\"m%d\",\"ts\":"
			   "\"17000%05d.000000\"}",
			   i ? "," : "", i, i);
	buf_puts(&day, "]");
	o.format = "slack";
	{
		const struct entry ents[] = {
			{"users.json", users_json, 0},
			{"dev/2023-11-14.json", day.data, 0},
			{"dev/2023-11-15.json", "[{", 0},
			{NULL, NULL, 0}};
		zip = make_zip(ents, &n);
		assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
						   "export.zip", zip, n, &o,
						   &res, &e),
				 E_INVALID);
		free(zip);
	}
	assert_int_equal(count(f, NULL), 5150);
	assert_int_equal(sql_int(f->path, TIME_INDEX_ROOT), root1);
	/* the import's connection is back as the pool hands them out:
	 * foreign keys on, temporary tables in memory, no sorter threads */
	{
		struct conn *c = conn_get(f->st, &e);
		struct db_stmt *q;

		assert_non_null(c);
		q = conn_stmt(c,
			      "SELECT foreign_keys, temp_store, threads FROM "
			      "pragma_foreign_keys, pragma_temp_store, "
			      "pragma_threads",
			      &e);
		assert_non_null(q);
		assert_int_equal(db_step(q), DB_ROW);
		assert_int_equal(db_column_int(q, 0), 1);
		assert_int_equal(db_column_int(q, 1), 2);
		assert_int_equal(db_column_int(q, 2), 0);
		conn_done(c, q);
		conn_put(c);
	}
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM "
					  "pragma_integrity_check WHERE "
					  "integrity_check <> 'ok'"),
			 0);
	fts_intact(f);
	free(sql0);
	free(sql1);
	buf_release(&day);
}

/* A database at 027 holds its chat search index as 009 made it, with a
 * table of column sizes; 028 rebuilds it without that table from the
 * messages stored, and search finds them as before. */
static void test_search_index_before_028_is_rebuilt(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	size_t n;
	char *zip = make_zip(good_export, &n);
	sqlite3 *db;
	struct err e;

	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "export.zip", zip, n, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 7);
	store_close(f->st);
	f->st = NULL;
	/* back to 027: 009's index, filled as an import filled it */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "DROP TABLE transcript_fts; "
			     "CREATE VIRTUAL TABLE transcript_fts USING fts5 "
			     "(author, text, content = 'transcript_messages', "
			     "content_rowid = 'id', tokenize = 'porter "
			     "unicode61 remove_diacritics 2'); "
			     "INSERT INTO transcript_fts (rowid, author, text) "
			     "SELECT id, author, text FROM transcript_messages; "
			     "DELETE FROM schema_migrations WHERE version = 28",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_master "
					  "WHERE name = "
					  "'transcript_fts_docsize'"),
			 1);
	assert_int_equal(store_open(f->path, &f->st, &e), E_OK);
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_master "
					  "WHERE name = "
					  "'transcript_fts_docsize'"),
			 0);
	expect_found(f, "restarted", "restarted");
	fts_intact(f);
	/* a message imported after the upgrade is found too */
	{
		const char *log = "2023-11-14T10:00:00  <bo> failover drill\n";
		assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
						   "ops.log", log, strlen(log),
						   &o, &res, &e),
				 E_OK);
	}
	expect_found(f, "drill", "failover drill");
	expect_found(f, "restarted", "restarted");
	fts_intact(f);
	/* the import merged nothing as it went, and left merging on */
	assert_int_equal(sql_int(f->path, "SELECT v FROM transcript_fts_config "
					  "WHERE k = 'automerge'"),
			 4);
	free(zip);
}

/* expect_refused: the import fails with code, the message holds what,
 * and the review has no message and the same version. */
static void expect_refused(struct fx *f, const char *name, const void *data,
			   size_t n, const struct chat_import_opts *o,
			   enum err_code code, const char *what)
{
	struct chat_import_result res;
	int64_t v0, v1;
	struct err e;

	assert_int_equal(store_review_version(f->st, f->review, &v0, NULL),
			 E_OK);
	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", name,
					   data, n, o, &res, &e),
			 code);
	if (!strstr(e.message, what))
		fail_msg("\"%s\" not in \"%s\"", what, e.message);
	assert_int_equal(store_review_version(f->st, f->review, &v1, NULL),
			 E_OK);
	assert_int_equal(v1, v0);
	assert_int_equal(count(f, NULL), 0);
}

static void test_zip_of_the_export_folder_is_read_inside_it(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	static const struct entry inside[] = {
		{"slack-export/users.json", users_json, 0},
		{"slack-export/channels.json", channels_json, 0},
		{"slack-export/incident-42/2023-11-14.json", day1_json, 0},
		{NULL, NULL, 0}};
	struct transcript_filter flt = {0};
	struct record_list l;
	size_t n;
	char *zip = make_zip(inside, &n);
	struct err e;

	assert_int_equal(chat_import_bytes(f->st, f->review, "alice",
					   "export.zip", zip, n, &o, &res, &e),
			 E_OK);
	assert_int_equal(res.counts.added, 6);
	flt.channel = "incident-42";
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, NULL, &e),
			 E_OK);
	assert_string_equal(record_str(l.items[0], TR_AUTHOR), "Alice");
	free(zip);
}

static void test_zip_path_escaping_the_export_is_refused(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	static const struct entry up[] = {
		{"incident-42/2023-11-14.json", day1_json, 0},
		{"../evil/2023-11-14.json", "[]", 0},
		{NULL, NULL, 0}};
	static const struct entry abs[] = {
		{"incident-42/2023-11-14.json", day1_json, 0},
		{"/etc/2023-11-14.json", "[]", 0},
		{NULL, NULL, 0}};
	size_t n;
	char *zip = make_zip(up, &n);

	expect_refused(f, "up.zip", zip, n, &o, E_INVALID,
		       "up.zip: the entry \"../evil/2023-11-14.json\" has a "
		       "path that leaves the export");
	free(zip);
	zip = make_zip(abs, &n);
	expect_refused(f, "abs.zip", zip, n, &o, E_INVALID, "leaves the export");
	free(zip);
}

static void test_zip_bomb_entry_is_refused(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	size_t big = 300 * 1024, n;
	char *data = malloc(big + 3);
	struct entry ents[] = {{"incident-42/2023-11-14.json", day1_json, 0},
			       {"ops/2023-11-15.json", data, 0},
			       {NULL, NULL, 0}};
	char *zip;

	data[0] = '[';
	memset(data + 1, ' ', big);
	data[big + 1] = ']';
	data[big + 2] = '\0';
	zip = make_zip(ents, &n);
	o.max_entry = 64 * 1024;
	expect_refused(f, "bomb.zip", zip, n, &o, E_TOO_LARGE,
		       "bomb.zip: ops/2023-11-15.json expands past the limit");
	o.max_entry = 0;
	o.max_total = 100 * 1024;
	expect_refused(f, "bomb.zip", zip, n, &o, E_TOO_LARGE,
		       "the export expands past the limit");
	free(zip);
	free(data);
}

static void test_truncated_zip_is_refused(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	size_t n;
	char *zip = make_zip(good_export, &n);

	o.format = "slack";
	expect_refused(f, "cut.zip", zip, n / 2, &o, E_INVALID, "cut.zip");
	free(zip);
}

static void test_json_that_is_not_an_export_is_refused(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	static const struct entry notslack[] = {
		{"incident-42/2023-11-14.json", day1_json, 0},
		{"ops/2023-11-15.json", "{\"hello\": 1}", 0},
		{NULL, NULL, 0}};
	static const struct entry nodays[] = {
		{"package.json", "{\"name\": \"x\"}", 0}, {NULL, NULL, 0}};
	size_t n;
	char *zip = make_zip(notslack, &n);

	expect_refused(f, "x.zip", zip, n, &o, E_INVALID,
		       "ops/2023-11-15.json: not a Slack export");
	free(zip);
	zip = make_zip(nodays, &n);
	expect_refused(f, "y.zip", zip, n, &o, E_INVALID,
		       "y.zip: not a Slack export");
	free(zip);
}

static void test_log_without_known_lines_window_and_zone_are_refused(
	void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	const char *log = "2005-01-08T23:34:46  <alice> hi\n";

	expect_refused(f, "notes.txt", "hello\nworld\n", 12, &o, E_INVALID,
		       "notes.txt: no line in a known IRC log format");
	o.since = 1800000000;
	expect_refused(f, "ops.log", log, strlen(log), &o, E_INVALID,
		       "no message in the chosen window");
	o.since = 0;
	o.zone = "Nowhere/Atlantis";
	expect_refused(f, "ops.log", log, strlen(log), &o, E_INVALID,
		       "unknown time zone");
	o.zone = NULL;
	/* a bad line late in the file leaves nothing from the good ones */
	expect_refused(f, "ops.log",
		       "2005-01-08T23:34:46  <alice> hi\n[10:00] <bob> x\n", 48,
		       &o, E_INVALID, "ops.log:2");
}

static void test_restricted_review_hides_its_transcript(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct record *patch = record_new(f->a, &review_def);
	const char *groups[] = {"security"};
	struct viewer outsider = {0, "[\"ops\"]"},
		      insider = {0, "[\"security\"]"};
	struct transcript_filter flt = {0};
	struct record_list l;
	const char *log = "2005-01-08T23:34:46  <alice> hi\n";
	struct err e;

	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", "ops.log",
					   log, strlen(log), &o, &res, &e),
			 E_OK);
	record_set_list(patch, REVIEW_RESTRICTED_TO, groups, 1);
	assert_int_equal(store_review_update(f->st, f->a, "alice", f->review, 0,
					     patch, NULL, &e),
			 E_OK);
	flt.viewer = &outsider;
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, NULL, &e),
			 E_NOT_FOUND);
	assert_int_equal(l.n, 0);
	assert_int_equal(count(f, &insider), 1);
	/* the review search finds the chat's words, for those who see it */
	{
		struct review_filter rf = {0};
		struct record_list rl;
		int64_t total = -1;

		rf.q = "hi";
		rf.viewer = &insider;
		assert_int_equal(store_review_list(f->st, f->a, &rf, &rl, NULL,
						   &total, &e),
				 E_OK);
		assert_int_equal(total, 1);
		rf.viewer = &outsider;
		assert_int_equal(store_review_list(f->st, f->a, &rf, &rl, NULL,
						   &total, &e),
				 E_OK);
		assert_int_equal(total, 0);
		rf.viewer = &insider;
		rf.q = "nowhere";
		assert_int_equal(store_review_list(f->st, f->a, &rf, &rl, NULL,
						   &total, &e),
				 E_OK);
		assert_int_equal(total, 0);
	}
}

static void test_promote_makes_timeline_entries(void **state)
{
	struct fx *f = *state;
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	struct transcript_filter flt = {0};
	struct record_list l, tl;
	int64_t ids[2], bad[2], v;
	const char *log = "2005-01-08T23:34:46  <alice> db down\n"
			  "2005-01-08T23:35:00  <bob> restarting it\n";
	struct err e;

	assert_int_equal(chat_import_bytes(f->st, f->review, "alice", "ops.log",
					   log, strlen(log), &o, &res, &e),
			 E_OK);
	assert_int_equal(store_transcript_list(f->st, f->a, f->review, &flt,
					       &l, NULL, &e),
			 E_OK);
	ids[0] = l.items[0]->id;
	ids[1] = l.items[1]->id;
	bad[0] = ids[0];
	bad[1] = 999999;
	assert_int_equal(store_transcript_promote(f->st, f->a, "alice",
						  f->review, 0, bad, 2,
						  "/reviews/1/chat#m", &v, &e),
			 E_NOT_FOUND);
	assert_int_equal(store_child_list(f->st, f->a, CHILD_TIMELINE,
					  f->review, &tl, &e),
			 E_OK);
	assert_int_equal(tl.n, 0);
	assert_int_equal(store_transcript_promote(f->st, f->a, "alice",
						  f->review, 0, ids, 2,
						  "/reviews/1/chat#m", &v, &e),
			 E_OK);
	assert_int_equal(store_child_list(f->st, f->a, CHILD_TIMELINE,
					  f->review, &tl, &e),
			 E_OK);
	assert_int_equal(tl.n, 2);
	assert_string_equal(record_str(tl.items[0], TL_ACTOR), "alice");
	assert_string_equal(record_str(tl.items[0], TL_TEXT), "db down");
	assert_string_equal(record_str(tl.items[0], TL_KIND), "chat");
	assert_int_equal(record_int(tl.items[0], TL_AT, 0), 1105227286);
	assert_string_equal(record_str(tl.items[1], TL_SOURCE),
			    arena_printf(f->a, "/reviews/1/chat#m%lld",
					 (long long)ids[1]));
}

/* transcript_text_fix drops control characters but tab and newline
 * wherever they are (its fast path reads 8 bytes at a time), keeps
 * UTF-8 whole, and cuts a long text on a character boundary. */
static void test_text_fix_drops_controls_at_any_offset(void **state)
{
	static const char bad[] = {0x01, 0x0d, 0x1b, 0x1f, 0x7f};
	struct arena *a = arena_new();
	char s[40], want[40], *big;
	const char *out;

	(void)state;
	for (size_t at = 0; at < sizeof s - 1; at++)
		for (size_t k = 0; k < sizeof bad; k++) {
			size_t j = 0;

			for (size_t i = 0; i < sizeof s - 1; i++) {
				s[i] = "ab \t~\n"[(i + at) % 6];
				if (i == at || i == sizeof s - 2 - at / 3)
					s[i] = bad[k];
				else
					want[j++] = s[i];
			}
			s[sizeof s - 1] = '\0';
			want[j] = '\0';
			out = transcript_text_fix(a, s, sizeof s - 1);
			assert_string_equal(out, want);
		}
	out = transcript_text_fix(
		a, "caf\xc3\xa9\x01 na\xc3\xafve r\xc3\xa9sum\xc3\xa9\x7f!",
		strlen("caf\xc3\xa9\x01 na\xc3\xafve r\xc3\xa9sum\xc3\xa9\x7f!"));
	assert_string_equal(out,
			    "caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9!");
	/* 2-byte characters across the cut: it falls between two */
	big = malloc(TRANSCRIPT_TEXT_MAX + 2);
	assert_non_null(big);
	big[0] = 'x';
	for (size_t i = 1; i + 1 < TRANSCRIPT_TEXT_MAX + 2; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	out = transcript_text_fix(a, big, TRANSCRIPT_TEXT_MAX + 1);
	assert_int_equal(strlen(out), TRANSCRIPT_TEXT_MAX - 1);
	free(big);
	arena_free(a);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_slack_resolves_mentions_links_and_escaping),
		cmocka_unit_test(test_slack_threads_edits_subtypes_and_files),
		cmocka_unit_test(
			test_slack_day_that_is_not_a_list_names_the_file),
		cmocka_unit_test(test_slack_without_day_files_is_not_an_export),
		cmocka_unit_test(test_slack_day_names),
		cmocka_unit_test(test_slack_escaping_edge_cases),
		cmocka_unit_test(test_slack_long_messages_keep_their_strings),
		cmocka_unit_test(
			test_slack_nested_keys_do_not_leak_into_the_message),
		cmocka_unit_test(test_irc_iso_lines_actions_and_joins),
		cmocka_unit_test(test_irc_clock_going_back_keeps_every_line),
		cmocka_unit_test(test_irc_drop_other_drops_joins),
		cmocka_unit_test(test_irc_windows_1252_line_is_recoded),
		cmocka_unit_test(
			test_irc_without_dates_needs_date_and_rolls_over),
		cmocka_unit_test(test_irc_irssi_day_changed_and_dircproxy),
		cmocka_unit_test(test_irc_weechat_and_zone),
		cmocka_unit_test(test_irc_znc_with_dates),
		cmocka_unit_test(test_irc_with_no_known_line_is_refused),
		cmocka_unit_test(
			test_jsonl_rows_with_names_numbers_and_channels),
		cmocka_unit_test(test_jsonl_bad_lines_name_file_and_line),
		cmocka_unit_test(test_csv_quotes_line_breaks_and_slices),
		cmocka_unit_test(test_csv_zone_and_bad_input),
		cmocka_unit_test(test_text_fix_drops_controls_at_any_offset),
		T(test_large_import_makes_time_index_again),
		T(test_import_zip_stores_each_message_once),
		T(test_import_in_batches_counts_each_message),
		T(test_store_error_in_an_early_batch_wins),
		T(test_long_file_name_is_cut_between_characters),
		T(test_source_keeps_its_file_once),
		T(test_batch_rows_share_review_and_time),
		T(test_file_name_not_utf8_is_read_as_1252),
		T(test_search_index_before_028_is_rebuilt),
		T(test_zip_of_the_export_folder_is_read_inside_it),
		T(test_zip_path_escaping_the_export_is_refused),
		T(test_zip_bomb_entry_is_refused),
		T(test_truncated_zip_is_refused),
		T(test_json_that_is_not_an_export_is_refused),
		T(test_log_without_known_lines_window_and_zone_are_refused),
		T(test_restricted_review_hides_its_transcript),
		T(test_promote_makes_timeline_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
