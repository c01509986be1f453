/* chat.c: what the chat parsers share: skipped-line notes, reading a line
 * that is not UTF-8 as Windows-1252, and time zones. */
#include "importers/chat.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/timeutil.h"
#include "util/utf8.h"

void chat_skip(struct chat_skips *s, const char *fmt, ...)
{
	va_list ap;

	s->lines++;
	if (s->nnotes >= CHAT_SKIP_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(s->notes[s->nnotes++], sizeof s->notes[0], fmt, ap);
	va_end(ap);
}

/* Windows-1252's 0x80..0x9F; 0: undefined there. */
static const unsigned short cp1252[32] = {
	0x20AC, 0,	0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	0x017D, 0,
	0,	0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	0x017E, 0x0178,
};

size_t chat_recode_1252(const char *line, size_t n, char *out, int *recoded)
{
	size_t j = 0;

	if (utf8_valid(line, n, NULL)) {
		memcpy(out, line, n);
		out[n] = '\0';
		*recoded = 0;
		return n;
	}
	*recoded = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)line[i];

		if (c >= 0x80 && c < 0xA0)
			c = cp1252[c - 0x80] ? cp1252[c - 0x80] : 0xFFFD;
		if (c < 0x80) {
			out[j++] = (char)c;
		} else if (c < 0x800) {
			out[j++] = (char)(0xC0 | (c >> 6));
			out[j++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[j++] = (char)(0xE0 | (c >> 12));
			out[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[j++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[j] = '\0';
	return j;
}

/* fixed_offset reads "UTC", "Z", "+HH:MM", "-HH:MM", "+HHMM". */
static int fixed_offset(const char *z, int64_t *off)
{
	int sign, h, m = 0;
	size_t n = strlen(z);

	if (!strcmp(z, "UTC") || !strcmp(z, "Z") || !strcmp(z, "GMT")) {
		*off = 0;
		return 1;
	}
	if ((z[0] != '+' && z[0] != '-') || (n != 3 && n != 5 && n != 6))
		return 0;
	sign = z[0] == '-' ? -1 : 1;
	for (size_t i = 1; i < n; i++)
		if (!(z[i] >= '0' && z[i] <= '9') && !(i == 3 && z[i] == ':'))
			return 0;
	h = (z[1] - '0') * 10 + (z[2] - '0');
	if (n == 5)
		m = (z[3] - '0') * 10 + (z[4] - '0');
	else if (n == 6 && z[3] == ':')
		m = (z[4] - '0') * 10 + (z[5] - '0');
	else if (n == 6)
		return 0;
	if (h > 14 || m > 59)
		return 0;
	*off = sign * (h * 3600 + m * 60);
	return 1;
}

/* iana_known: name is a path under /usr/share/zoneinfo to a TZif file. */
static int iana_known(const char *name)
{
	char path[256], magic[4];
	FILE *f;
	int ok;

	if (!*name || name[0] == '/' || strstr(name, "..") ||
	    strlen(name) > 100)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_+-", *p)))
			return 0;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	if (!(f = fopen(path, "rb")))
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "TZif", 4);
	fclose(f);
	return ok;
}

int chat_zone_valid(const char *zone)
{
	int64_t off;

	return zone && (fixed_offset(zone, &off) || iana_known(zone));
}

/* The C library reads zones only through TZ; the switch is guarded so
 * that two imports at once do not see each other's zone. */
static pthread_mutex_t zone_mu = PTHREAD_MUTEX_INITIALIZER;

int chat_zone_offset(const char *zone, int64_t local, int64_t *offset,
		     struct err *e)
{
	char *old, saved[256];
	struct tm tm;
	time_t l = (time_t)local, t;

	*offset = 0;
	if (!zone || fixed_offset(zone, offset))
		return 0;
	if (!iana_known(zone)) {
		err_set(e, E_INVALID, "tz",
			"unknown time zone \"%.64s\": use UTC, +HH:MM or a "
			"name such as Europe/Paris",
			zone);
		return -1;
	}
	gmtime_r(&l, &tm);
	tm.tm_isdst = -1;
	pthread_mutex_lock(&zone_mu);
	old = getenv("TZ");
	if (old)
		snprintf(saved, sizeof saved, "%s", old);
	setenv("TZ", zone, 1);
	tzset();
	t = mktime(&tm);
	if (old)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	pthread_mutex_unlock(&zone_mu);
	*offset = (int64_t)l - (int64_t)t;
	return 0;
}

int chat_time_value(const char *s, const char *zone, int64_t *at, int *us)
{
	size_t n = s ? strlen(s) : 0;
	int64_t off;

	*us = 0;
	if (n == 0 || n > 40)
		return -1;
	if (strspn(s, "0123456789") > 0 &&
	    (s[strspn(s, "0123456789")] == '\0' ||
	     s[strspn(s, "0123456789")] == '.')) {
		char *end;
		long long v = strtoll(s, &end, 10);
		int digits = 0, frac = 0;

		if (*end == '.')
			for (end++; *end >= '0' && *end <= '9'; end++)
				if (digits < 6) {
					frac = frac * 10 + (*end - '0');
					digits++;
				}
		if (*end || v > 253402300799LL || strspn(s, "0123456789") < 9)
			return -1;
		while (digits++ < 6)
			frac *= 10;
		*at = v;
		*us = frac;
		return 0;
	}
	if (time_parse(s, at) < 0)
		return -1;
	/* a time that names no offset is read in zone */
	if (zone && n >= 16 && s[n - 1] != 'Z' && s[n - 1] != 'z' &&
	    !strchr(s + 10, '+') && !strchr(s + 10, '-')) {
		struct err e;
		if (chat_zone_offset(zone, *at, &off, &e) < 0)
			return -1;
		*at -= off;
	}
	return 0;
}

enum err_code chat_row_emit(const struct table_opts *o, chat_emit_fn emit,
			    void *ctx, int64_t line, const char *time,
			    const char *author, const char *text,
			    const char *channel, struct err *e)
{
	struct chat_msg m = {0};
	char ts[48], src[300];

	if (!time || chat_time_value(time, o->zone, &m.at, &m.at_us) < 0)
		return err_set(e, E_INVALID, "file",
			       "%.100s:%lld: \"%.40s\" is not a time (RFC 3339, "
			       "YYYY-MM-DD HH:MM:SS or seconds since 1970)",
			       o->file, (long long)line, time ? time : "");
	if (!text)
		return err_set(e, E_INVALID, "file",
			       "%.100s:%lld: the row has no text", o->file,
			       (long long)line);
	snprintf(ts, sizeof ts, "%lld:%lld", (long long)m.at, (long long)line);
	snprintf(src, sizeof src, "%.*s:%lld", (int)utf8_cut(o->file, 200),
		 o->file, (long long)line);
	m.channel = channel && strspn(channel, " \t") < strlen(channel)
			    ? channel
		    : o->channel	    ? o->channel
					    : o->file;
	m.ts = ts;
	m.author = author;
	m.text = text;
	m.source = src;
	if (emit(ctx, &m, e) < 0)
		return e->code ? e->code : E_INVALID;
	return E_OK;
}
