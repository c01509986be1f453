/* chat_import.h: importing a chat transcript into a review: the reading
 * of files, folders, zips (libarchive, streamed, never unpacked) and
 * uploaded bytes, the choice of parser, and the store's one transaction,
 * written by a thread of its own while the caller's parses ahead.
 * Used by `debrief import chat` and POST /api/v1/reviews/{id}/transcripts. */
#ifndef DEBRIEF_CHAT_IMPORT_H
#define DEBRIEF_CHAT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "importers/chat.h"
#include "model/record.h"
#include "util/arena.h"
#include "store/store.h"

#define CHAT_MAX_ENTRY_DEFAULT (64 * 1024 * 1024)      /* one zip entry */
#define CHAT_MAX_TOTAL_DEFAULT (2LL * 1024 * 1024 * 1024) /* all entries */

struct chat_import_opts {
	const char *format;  /* "slack", "irc", "jsonl", "csv"; NULL: detect
			      * (a zip or folder: slack; .jsonl, .ndjson:
			      * jsonl; .csv, .tsv: csv; else irc) */
	const char *channel; /* irc: the channel's name (default: the file's
			      * name); slack: import only this channel */
	int64_t date;        /* irc: the day of logs without dates; 0: none */
	const char *zone;    /* irc: the zone of the log's times; NULL: UTC */
	int64_t since, until; /* keep messages in [since, until]; 0: open */
	int drop_other;      /* drop joins, parts, nick changes */
	size_t max_entry;    /* zip: bytes one entry may expand to; 0: default */
	int64_t max_total;   /* zip: bytes all entries may expand to */
};

struct chat_import_result {
	const char *format;          /* "slack", "irc", "jsonl" or "csv" */
	int64_t read;                /* messages read */
	int64_t outside;             /* outside the window or channel */
	struct transcript_counts counts; /* added, duplicates */
	int channels;                /* channels with messages kept */
	struct chat_skips skips;
};

/* chat_import_options reads the options of an upload through get (a
 * query argument or form field by name; NULL or "" when absent): format,
 * channel, tz, date, since, until, drop_other. E_BAD_REQUEST naming the
 * option for a malformed one, E_INVALID for an unknown zone. The strings
 * stay get's. */
enum err_code chat_import_options(const char *(*get)(void *ctx,
						     const char *name),
				  void *ctx, size_t max_entry,
				  struct chat_import_opts *o, struct err *e);

/* chat_format_known: f is one of "slack", "irc", "jsonl", "csv". */
int chat_format_known(const char *f);

/* chat_msg_record turns a parsed message into a transcript_def record
 * that passes record_validate: one-line fields cut to their limits with
 * control characters as spaces, the text through transcript_text_fix.
 * Memory from a; NULL on oom. */
struct record *chat_msg_record(struct arena *a, const struct chat_msg *m);

/* chat_file_channel returns the file name of the path name (after its
 * last '/': what an IRC log's or a table's sources and messages show) and
 * fills channel (size n) with the channel it gives rows that name none:
 * that file name without its extension, cut on a character boundary. */
const char *chat_file_channel(const char *name, char *channel, size_t n);

/* chat_import_path imports the file, folder or zip at path into review
 * review_id as actor; chat_import_bytes the same from memory (name is
 * the uploaded file's name, for messages and the IRC channel). All or
 * nothing: on any error (e names the file, and the line or the entry
 * where it applies) the review is left as it was. */
enum err_code chat_import_path(struct store *st, int64_t review_id,
			       const char *actor, const char *path,
			       const struct chat_import_opts *o,
			       struct chat_import_result *res, struct err *e);
enum err_code chat_import_bytes(struct store *st, int64_t review_id,
				const char *actor, const char *name,
				const void *data, size_t n,
				const struct chat_import_opts *o,
				struct chat_import_result *res, struct err *e);

struct slack_api_opts;
/* chat_import_slack_api imports one channel through Slack's Web API
 * (slack_api.h), all or nothing like the others; a window with no message
 * is E_INVALID. res->format is "slack-api". */
enum err_code chat_import_slack_api(struct store *st, int64_t review_id,
				    const char *actor,
				    const struct slack_api_opts *api,
				    struct chat_import_result *res,
				    struct err *e);

/* chat_slack_channel_valid tells whether s is a Slack channel id (1 to 64
 * of A-Z 0-9, "C0123ABC"): what the API and the web form accept. */
int chat_slack_channel_valid(const char *s);

#endif
