/* log.h: one-line logs to stderr with a UTC timestamp and a level. */
#ifndef DEBRIEF_LOG_H
#define DEBRIEF_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
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
