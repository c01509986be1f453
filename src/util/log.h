/* log.h: one structured line per event, to stderr (or a file), in logfmt
 * (the default: `time=... level=info msg="..." key=value`) or as JSON
 * lines (`{"time":...,"level":...,"msg":...,"key":"value"}`). Safe from
 * several threads: each line is written with one write. */
#ifndef DEBRIEF_LOG_H
#define DEBRIEF_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

enum log_format { LOG_LOGFMT, LOG_JSON };

void log_set_level(enum log_level level);
void log_set_format(enum log_format format);
/* log_parse_format reads "logfmt" or "json"; -1 for anything else. */
int log_parse_format(const char *name);
/* log_open_file sends the lines to path (appended; created 0640) instead
 * of stderr. Returns 0, or -1 with errno when it cannot be opened for
 * writing; the log then stays where it was. NULL: back to stderr. */
int log_open_file(const char *path);

/* One key=value of a structured line; a NULL value is left out. */
struct log_field {
	const char *key;
	const char *value;
};

/* log_fields writes one line: time, level, msg, then the fields in order.
 * Keys are the caller's (plain words); msg and values are escaped
 * (log_escape) and quoted as the format needs. */
void log_fields(enum log_level level, const char *msg,
		const struct log_field *fields, size_t n);
/* log_escape copies in to out (n bytes, NUL-terminated, cut at a whole
 * character) with control characters, backslashes and bytes that are not
 * UTF-8 written as \n, \r, \t, \\ or \xNN; returns the length.
 * log_msg applies it to every line. */
size_t log_escape(const char *in, char *out, size_t n);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
