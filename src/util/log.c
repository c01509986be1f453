/* log.c: structured logging (logfmt or JSON lines) to stderr or a file,
 * safe from several threads (one write a line).
 * Every line is escaped (log_escape): what a client sends (a path with an
 * encoded newline, bytes that are not UTF-8) cannot forge a line or garble
 * the log. */
#include "util/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

#include "util/timeutil.h"
#include "util/utf8.h"

static enum log_level min_level = LOG_INFO;
static enum log_format format = LOG_LOGFMT;
static int log_fd = 2;

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

void log_set_format(enum log_format f)
{
	format = f;
}

int log_parse_format(const char *name)
{
	if (!strcmp(name, "logfmt"))
		return LOG_LOGFMT;
	if (!strcmp(name, "json"))
		return LOG_JSON;
	return -1;
}

int log_open_file(const char *path)
{
	int fd = path ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			     0640)
		      : 2;

	if (fd < 0)
		return -1;
	if (log_fd > 2)
		close(log_fd);
	log_fd = fd;
	return 0;
}

/* put_value appends v, escaped, as a logfmt value (quoted when it is
 * empty or holds a space, '=' or '"') or as a JSON string. */
static void put_value(struct buf *b, const char *v)
{
	char esc[4096];
	int quote;

	log_escape(v, esc, sizeof esc);
	quote = format == LOG_JSON || !esc[0] || strpbrk(esc, " =\"");
	if (quote)
		buf_putc(b, '"');
	for (const char *p = esc; *p; p++) {
		/* log_escape left no control character; a backslash it
		 * wrote is doubled for JSON, where it is the escape */
		if (*p == '"' || (*p == '\\' && format == LOG_JSON))
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
}

static void put_field(struct buf *b, const char *key, const char *value,
		      int first)
{
	if (format == LOG_JSON) {
		buf_puts(b, first ? "{\"" : ",\"");
		buf_puts(b, key);
		buf_puts(b, "\":");
	} else {
		if (!first)
			buf_putc(b, ' ');
		buf_puts(b, key);
		buf_putc(b, '=');
	}
	put_value(b, value);
}

void log_fields(enum log_level level, const char *msg,
		const struct log_field *fields, size_t n)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char ts[TIME_BUF];
	struct buf b = BUF_INIT;

	if (level < min_level)
		return;
	time_format(time_now(), ts);
	put_field(&b, "time", ts, 1);
	put_field(&b, "level", names[level], 0);
	put_field(&b, "msg", msg, 0);
	for (size_t i = 0; i < n; i++)
		if (fields[i].value)
			put_field(&b, fields[i].key, fields[i].value, 0);
	buf_puts(&b, format == LOG_JSON ? "}\n" : "\n");
	if (!b.oom)
		(void)!write(log_fd, b.data, b.len);
	buf_release(&b);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char raw[1024];
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	log_fields(level, raw, NULL, 0);
}
