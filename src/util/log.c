/* log.c: stderr logging, safe from several threads (one fprintf a line).
 * Every line is escaped (log_escape): what a client sends (a path with an
 * encoded newline, bytes that are not UTF-8) cannot forge a line or garble
 * the log. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/utf8.h"

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level level)
{
	min_level = level;
}

/* utf8_seq_len is the length of the well-formed UTF-8 sequence at s (of
 * at most n bytes), 0 when there is none. */
static size_t utf8_seq_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)*s;
	size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

	if (len > n || !utf8_valid(s, len, NULL))
		return 0;
	return len;
}

size_t log_escape(const char *in, char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, len = strlen(in);

	if (!n)
		return 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)in[i];
		int short_esc;
		size_t k = c >= 0x20 && c != 0x7f && c != '\\'
				   ? utf8_seq_len(in + i, len - i)
				   : 0;

		if (k) {
			if (o + k >= n)
				break;
			memcpy(out + o, in + i, k);
			o += k;
			i += k;
			continue;
		}
		short_esc = c == '\\' || c == '\n' || c == '\r' || c == '\t';
		if (o + (short_esc ? 2 : 4) >= n)
			break;
		out[o++] = '\\';
		if (c == '\\') {
			out[o++] = '\\';
		} else if (c == '\n') {
			out[o++] = 'n';
		} else if (c == '\r') {
			out[o++] = 'r';
		} else if (c == '\t') {
			out[o++] = 't';
		} else {
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
		i++;
	}
	out[o] = '\0';
	return o;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char ts[TIME_BUF], raw[1024], line[4 * sizeof raw];
	va_list ap;

	if (level < min_level)
		return;
	time_format(time_now(), ts);
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	log_escape(raw, line, sizeof line);
	fprintf(stderr, "%s %s %s\n", ts, names[level], line);
}
