/* chat.h: what every chat parser (slack.c, irc.c) hands to its caller,
 * and the reader that feeds them from files, folders, zips or memory
 * (chat_import.c). Parsers do no I/O: they are given bytes and call emit
 * for each message, so that tests and fuzz targets drive them directly
 * and nothing is held in memory beyond one day file or one line. */
#ifndef DEBRIEF_CHAT_H
#define DEBRIEF_CHAT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* One message as a parser read it. Strings live until emit returns. */
struct chat_msg {
	const char *channel;
	const char *ts;        /* key within the channel */
	int64_t at;            /* UTC seconds */
	int at_us;             /* 0..999999 */
	const char *author;    /* may be NULL */
	const char *text;      /* UTF-8, may be "" */
	int other;             /* a join, part, nick change, topic: kind "other" */
	const char *thread_ts; /* NULL: not in a thread */
	int edited;
	const char *source;    /* "general/2026-11-20.json", "ops.log:12" */
};

/* emit returns 0 to go on, -1 to stop the parse (with e filled). */
typedef int (*chat_emit_fn)(void *ctx, const struct chat_msg *m,
			    struct err *e);

/* What a parse skipped: the count and the first few reasons, so that no
 * line is dropped without saying so. */
#define CHAT_SKIP_NOTES 5
struct chat_skips {
	int64_t lines;     /* lines skipped */
	int64_t recoded;   /* lines read as Windows-1252 */
	int64_t others;    /* joins, parts... (kept, or dropped by option) */
	char notes[CHAT_SKIP_NOTES][160]; /* "ops.log:7: no time" */
	int nnotes;
};
void chat_skip(struct chat_skips *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* chat_recode_1252 appends line (n bytes) to out as UTF-8: unchanged when
 * it is valid UTF-8, else every byte read as Windows-1252 (bytes it leaves
 * undefined become U+FFFD). out must hold 3 * n + 1 bytes. Returns the
 * length written; *recoded tells which way it went. */
size_t chat_recode_1252(const char *line, size_t n, char *out, int *recoded);

/* chat_zone_offset gives the UTC offset, in seconds, of zone at the local
 * time local (seconds as if UTC): zone is "UTC", "+HH:MM", "-HH:MM" or an
 * IANA name from /usr/share/zoneinfo. -1 with e filled for an unknown
 * zone; 0 on success. */
int chat_zone_offset(const char *zone, int64_t local, int64_t *offset,
		     struct err *e);
/* chat_zone_valid: 1 when chat_zone_offset knows zone. */
int chat_zone_valid(const char *zone);

/* ---- IRC logs (irc.c) ---- */

struct irc_opts {
	const char *channel; /* the channel name given to every line */
	const char *file;    /* for sources and messages: "ops.log" */
	int64_t date;        /* UTC midnight of the first day for logs without
			      * dates (--date); 0: none given */
	const char *zone;    /* times in the log are in this zone; NULL: UTC */
	int drop_other;      /* drop joins, parts, nick changes */
};

struct irc_parser;

/* irc_new starts a parse; NULL on oom. irc_line reads one line (without
 * its newline; any bytes); irc_end ends it: E_INVALID naming the file
 * when no line was recognised. Every call but irc_free returns E_OK or
 * the error that stopped it (emit's, or a bad line that cannot be read
 * without a date, naming the file and line). */
struct irc_parser *irc_new(const struct irc_opts *o, chat_emit_fn emit,
			   void *ctx);
enum err_code irc_line(struct irc_parser *p, const char *line, size_t n,
		       struct err *e);
enum err_code irc_end(struct irc_parser *p, struct chat_skips *skips,
		      int64_t *messages, struct err *e);
void irc_free(struct irc_parser *p);

/* ---- Slack exports (slack.c) ---- */

struct slack_parser;

/* slack_new starts a parse of one export. Feed users.json and
 * channels.json (and groups.json, mpims.json, dms.json) with slack_meta
 * before the day files, then each "CHANNEL/YYYY-MM-DD.json" with
 * slack_day; slack_end reports. Errors name the file inside the export. */
struct slack_parser *slack_new(const char *file, chat_emit_fn emit,
			       void *ctx);
enum err_code slack_meta(struct slack_parser *p, const char *name,
			 const char *json, size_t n, struct err *e);
enum err_code slack_day(struct slack_parser *p, const char *channel,
			const char *name, const char *json, size_t n,
			struct err *e);
enum err_code slack_end(struct slack_parser *p, struct chat_skips *skips,
			int64_t *messages, struct err *e);
void slack_free(struct slack_parser *p);

/* slack_day_name tells whether path ("general/2026-11-20.json") is a day
 * file of the export, and fills channel (size n) with its folder name. */
int slack_day_name(const char *path, char *channel, size_t n);

/* slack_meta_name tells whether path is one of the export's metadata
 * files (users.json, channels.json, groups.json, mpims.json, dms.json). */
int slack_meta_name(const char *path);

/* ---- generic tables: JSON Lines (jsonl.c) and CSV (csv.c) ---- */

/* Every row is one message: a time column ("time", "at", "ts",
 * "timestamp" or "date"), an author ("author", "user", "nick", "name" or
 * "from"), a text ("text", "message", "msg" or "body") and, optionally,
 * "channel". Rows are keyed by their time and line. */
struct table_opts {
	const char *channel; /* for rows without a channel column */
	const char *file;    /* for sources and messages */
	const char *zone;    /* times without an offset are in this zone */
};

/* chat_time_value reads a time cell: RFC 3339, "YYYY-MM-DD HH:MM[:SS]"
 * (in zone when it names no offset) or seconds since the epoch, a
 * fraction giving microseconds. 0, or -1 when it is none of them. */
int chat_time_value(const char *s, const char *zone, int64_t *at, int *us);

/* chat_row_emit checks and sends one row (time, author, text, channel
 * cells; author and channel may be NULL) read at line of o->file:
 * E_INVALID naming the file and line when the time is not one or the text
 * is missing; the emit's error otherwise. */
enum err_code chat_row_emit(const struct table_opts *o, chat_emit_fn emit,
			    void *ctx, int64_t line, const char *time,
			    const char *author, const char *text,
			    const char *channel, struct err *e);

struct jsonl_parser;
/* jsonl_line reads one line: a JSON object, or a blank line. A line that
 * is not an object with a time and a text is E_INVALID naming the file
 * and line. jsonl_end: E_INVALID when no row was read. */
struct jsonl_parser *jsonl_new(const struct table_opts *o, chat_emit_fn emit,
			       void *ctx);
enum err_code jsonl_line(struct jsonl_parser *p, const char *line, size_t n,
			 struct err *e);
enum err_code jsonl_end(struct jsonl_parser *p, int64_t *messages,
			struct err *e);
void jsonl_free(struct jsonl_parser *p);

struct csv_parser;
/* csv_feed reads any slice of the file (RFC 4180: quoted fields may hold
 * the separator, "" and line breaks); the first record is the header,
 * which names the columns; the separator is the first of ',', ';' or tab
 * in the header. csv_end ends the last record: E_INVALID when the header
 * names no time or text column, a record has a bad time or no text, a
 * quote is left open, or there is no row (each naming the file and the
 * line). Lines that are not UTF-8 are read as Windows-1252. */
struct csv_parser *csv_new(const struct table_opts *o, chat_emit_fn emit,
			   void *ctx);
enum err_code csv_feed(struct csv_parser *p, const char *data, size_t n,
		       struct err *e);
enum err_code csv_end(struct csv_parser *p, int64_t *messages, struct err *e);
void csv_free(struct csv_parser *p);

#endif
