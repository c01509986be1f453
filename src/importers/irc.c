/* irc.c: IRC logs, one line at a time, in the common formats:
 *   2005-01-08T23:34:46  <nick> text      irclog2html / supybot
 *   2005-01-08 23:34:46\tnick\ttext       weechat
 *   [2005-01-08 23:34:46] <nick> text     ZNC with dates
 *   [14 Jan 10:36] <nick!user@host> +text dircproxy (year from --date)
 *   [10:36:12] <nick> text, [10:36] ...   ZNC, plain (date from --date)
 *   10:36 <@nick> text                    irssi ("--- Day changed" sets
 *                                         the date, else --date)
 * Actions ("* nick waves"), joins, parts, quits and nick changes are kind
 * "other" (or dropped). A line that is not valid UTF-8 is read as
 * Windows-1252. Logs without dates roll to the next day when the clock
 * goes back. No I/O: the caller feeds lines. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/chat.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define IRC_LINE_MAX (64 * 1024) /* longer lines are cut */

struct irc_parser {
	struct irc_opts o;
	chat_emit_fn emit;
	void *ctx;
	int64_t lineno;
	int64_t day;      /* local midnight (as if UTC) of the current day */
	int have_day;
	int last_sod;     /* seconds of day of the last line, for rollover */
	int64_t last_at;  /* UTC second of the last message, for ordering */
	int seq;          /* messages so far in last_at */
	int64_t messages;
	size_t file_len;  /* of o.file in a source: 200 bytes at most */
	struct chat_skips skips;
	char *buf;        /* the line as UTF-8 (3 bytes per input byte) */
};

struct irc_parser *irc_new(const struct irc_opts *o, chat_emit_fn emit,
			   void *ctx)
{
	struct irc_parser *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->o = *o;
	if (!p->o.file)
		p->o.file = "log";
	if (!p->o.channel)
		p->o.channel = p->o.file;
	p->file_len = utf8_cut(p->o.file, 200);
	p->emit = emit;
	p->ctx = ctx;
	if (o->date) {
		p->day = o->date;
		p->have_day = 1;
	}
	p->last_sod = -1;
	if (!(p->buf = malloc(3 * IRC_LINE_MAX + 1))) {
		free(p);
		return NULL;
	}
	return p;
}

void irc_free(struct irc_parser *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p);
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int month_of(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int m = 0; m < 12; m++)
		if (!strncmp(s, names + 3 * m, 3))
			return m + 1;
	return 0;
}

/* day_of: local midnight of y-m-d, as if UTC; -1 when not a date. By
 * arithmetic (days from the civil date), not through text: it runs for
 * every line of an ISO log. */
static int64_t day_of(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int64_t yy, era, yoe, doy, doe;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	yy = m <= 2 ? y - 1 : y;
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400;
}

/* put_int writes v (>= 0) in decimal at p; returns the end. */
static char *put_int(char *p, int64_t v)
{
	char t[24];
	int n = 0;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n)
		*p++ = t[--n];
	return p;
}

static int year_of(int64_t day)
{
	char s[TIME_BUF];

	time_format_date(day, s);
	return atoi(s);
}

/* hms reads "HH:MM[:SS]" at s; returns the seconds of day and sets *len,
 * or -1. */
static int hms(const char *s, size_t n, size_t *len)
{
	int h, m, sec = 0;

	if (n < 5 || (h = num(s, 2)) < 0 || s[2] != ':' ||
	    (m = num(s + 3, 2)) < 0 || h > 23 || m > 59)
		return -1;
	*len = 5;
	if (n >= 8 && s[5] == ':' && (sec = num(s + 6, 2)) >= 0) {
		if (sec > 60)
			return -1;
		*len = 8;
	} else {
		sec = 0;
	}
	return h * 3600 + m * 60 + (sec == 60 ? 59 : sec);
}

/* iso reads "YYYY-MM-DD[T ]HH:MM[:SS]"; sets *day and returns the
 * seconds of day, or -1. */
static int iso(const char *s, size_t n, int64_t *day, size_t *len)
{
	int y, mo, d, sod;
	size_t l;

	if (n < 16 || (y = num(s, 4)) < 0 || s[4] != '-' ||
	    (mo = num(s + 5, 2)) < 0 || s[7] != '-' ||
	    (d = num(s + 8, 2)) < 0 || (s[10] != 'T' && s[10] != ' '))
		return -1;
	if ((sod = hms(s + 11, n - 11, &l)) < 0 ||
	    (*day = day_of(y, mo, d)) < 0)
		return -1;
	*len = 11 + l;
	return sod;
}

/* irssi_day reads "--- Day changed Sat Jan 08 2005" and "--- Log opened
 * Sat Jan 08 23:34:46 2005": 1 when it set p->day. */
static int irssi_day(struct irc_parser *p, const char *s, size_t n)
{
	const char *w;
	int m, d, y;
	int64_t day;

	if (n < 20 || strncmp(s, "--- ", 4))
		return 0;
	if (!strncmp(s + 4, "Day changed ", 12))
		w = s + 16;
	else if (!strncmp(s + 4, "Log opened ", 11) ||
		 !strncmp(s + 4, "Log closed ", 11))
		w = s + 15;
	else
		return 0;
	/* "Sat Jan 08 ..." */
	if (strlen(w) < 15 || !(m = month_of(w + 4)) ||
	    (d = num(w + 8, 2)) < 0)
		return 0;
	y = atoi(w + strlen(w) - 4);
	if ((day = day_of(y, m, d)) < 0)
		return 0;
	p->day = day;
	p->have_day = 1;
	p->last_sod = -1;
	return 1;
}

static int is_other_prefix(const char *b)
{
	static const char *const pre[] = {"*** ", "-!- ", "--> ", "<-- ",
					  "-- ", "=-= ", NULL};

	for (int i = 0; pre[i]; i++)
		if (!strncmp(b, pre[i], strlen(pre[i])))
			return (int)strlen(pre[i]);
	return 0;
}

/* emit_line sends one message of the line. */
static enum err_code emit_line(struct irc_parser *p, int64_t day, int sod,
			       const char *author, const char *text, int other,
			       struct err *e)
{
	struct chat_msg m = {0};
	char ts[48], src[300];
	int64_t local = day + sod, off, at;

	if (chat_zone_offset(p->o.zone, local, &off, e) < 0)
		return e->code;
	at = local - off;
	if (at == p->last_at)
		p->seq++;
	else
		p->seq = 0, p->last_at = at;
	/* the key: the second and the line, unique in the file however its
	 * clock jumps, and the same when the file is imported again */
	if (at >= 0 && p->lineno >= 0) { /* per line: no printf */
		char *q = put_int(ts, at);
		size_t fl = p->file_len;

		*q++ = ':';
		*put_int(q, p->lineno) = '\0';
		memcpy(src, p->o.file, fl);
		src[fl] = ':';
		*put_int(src + fl + 1, p->lineno) = '\0';
	} else {
		snprintf(ts, sizeof ts, "%lld:%lld", (long long)at,
			 (long long)p->lineno);
		snprintf(src, sizeof src, "%.*s:%lld", (int)p->file_len, p->o.file,
			 (long long)p->lineno);
	}
	m.channel = p->o.channel;
	m.ts = ts;
	m.at = at;
	m.at_us = p->seq > 999999 ? 999999 : p->seq;
	m.author = author && *author ? author : NULL;
	m.text = text;
	m.other = other;
	m.source = src;
	if (other) {
		p->skips.others++;
		if (p->o.drop_other)
			return E_OK;
	}
	if (p->emit(p->ctx, &m, e) < 0)
		return e->code ? e->code : E_INVALID;
	p->messages++;
	return E_OK;
}

/* body reads what follows the time: "<nick> text", "* nick action", a
 * join or part line, or weechat's "nick\ttext". */
static enum err_code body(struct irc_parser *p, int64_t day, int sod,
			  char *b, int dircproxy, struct err *e)
{
	char *end, *tab;
	int k;

	while (*b == ' ' || *b == '\t')
		b++;
	if ((tab = strchr(b, '\t')) && b[0] != '<') { /* weechat */
		*tab = '\0';
		char *nick = b, *text = tab + 1;
		while (*nick == ' ')
			nick++;
		if (!strcmp(nick, "-->") || !strcmp(nick, "<--") ||
		    !strcmp(nick, "--") || !strcmp(nick, "=!="))
			return emit_line(p, day, sod, NULL, text, 1, e);
		if (!strcmp(nick, "*")) {
			char *sp = strchr(text, ' ');
			if (sp)
				*sp = '\0';
			return emit_line(p, day, sod, text, sp ? sp + 1 : "", 1,
					 e);
		}
		while (strchr("@+%~&", *nick) && nick[0] && nick[1])
			nick++;
		return emit_line(p, day, sod, nick, text, 0, e);
	}
	if (b[0] == '<' && (end = strchr(b, '>'))) {
		char *nick = b + 1, *bang, *text = end + 1;
		*end = '\0';
		while (*nick && strchr("@+%~& ", *nick))
			nick++;
		if ((bang = strchr(nick, '!')))
			*bang = '\0';
		if (*text == ' ')
			text++;
		if (dircproxy && (*text == '+' || *text == '-'))
			text++;
		if (!*nick)
			goto unknown;
		return emit_line(p, day, sod, nick, text, 0, e);
	}
	if ((k = is_other_prefix(b)))
		return emit_line(p, day, sod, NULL, b + k, 1, e);
	if (b[0] == '*' && b[1] == ' ') { /* "* nick waves" */
		char *nick = b + 2, *sp = strchr(nick, ' ');
		if (sp)
			*sp = '\0';
		return emit_line(p, day, sod, nick, sp ? sp + 1 : "", 1, e);
	}
unknown:
	chat_skip(&p->skips, "%.100s:%lld: not a message, join or action",
		  p->o.file, (long long)p->lineno);
	return E_OK;
}

static enum err_code need_day(struct irc_parser *p, struct err *e)
{
	if (p->have_day)
		return E_OK;
	return err_set(e, E_INVALID, "date",
		       "%.100s:%lld: the lines of this log have no date: give "
		       "the day of its first line (--date YYYY-MM-DD)",
		       p->o.file, (long long)p->lineno);
}

/* roll moves to the next day when the clock of a log without dates goes
 * back. */
static void roll(struct irc_parser *p, int sod)
{
	if (p->last_sod >= 0 && sod < p->last_sod)
		p->day += 86400;
	p->last_sod = sod;
}

enum err_code irc_line(struct irc_parser *p, const char *line, size_t n,
		       struct err *e)
{
	int64_t day;
	size_t len;
	int recoded, sod, m, d;
	char *s = p->buf;

	p->lineno++;
	if (n > IRC_LINE_MAX)
		n = IRC_LINE_MAX;
	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	n = chat_recode_1252(line, n, s, &recoded);
	if (memchr(s, '\0', n)) /* a NUL byte: keep what is before it */
		n = strlen(s);
	p->skips.recoded += recoded;
	if (n == 0 || strspn(s, " \t") == n)
		return E_OK;
	if (irssi_day(p, s, n))
		return E_OK;
	if (!strncmp(s, "--- Log ", 8)) /* log opened/closed without a date */
		return E_OK;
	/* ISO date and time, bare or in brackets */
	if ((sod = iso(s, n, &day, &len)) >= 0) {
		while (len < n && s[len] != ' ' && s[len] != '\t')
			len++; /* "Z", "+01:00", fractions */
		return body(p, day, sod, s + len, 0, e);
	}
	if (s[0] == '[' && (sod = iso(s + 1, n - 1, &day, &len)) >= 0 &&
	    s[1 + len] == ']')
		return body(p, day, sod, s + len + 2, 0, e);
	/* dircproxy: "[14 Jan 10:36] " */
	if (n > 14 && s[0] == '[' && (d = num(s + 1, 2)) > 0 && s[3] == ' ' &&
	    (m = month_of(s + 4)) && s[7] == ' ' &&
	    (sod = hms(s + 8, n - 8, &len)) >= 0 && s[8 + len] == ']') {
		enum err_code rc = need_day(p, e);
		if (rc != E_OK)
			return rc;
		if ((day = day_of(year_of(p->day), m, d)) < 0) {
			chat_skip(&p->skips, "%.100s:%lld: not a date",
				  p->o.file, (long long)p->lineno);
			return E_OK;
		}
		return body(p, day, sod, s + 9 + len, 1, e);
	}
	/* "[HH:MM:SS] ", "[HH:MM] " */
	if (s[0] == '[' && (sod = hms(s + 1, n - 1, &len)) >= 0 &&
	    s[1 + len] == ']') {
		enum err_code rc = need_day(p, e);
		if (rc != E_OK)
			return rc;
		roll(p, sod);
		return body(p, p->day, sod, s + len + 2, 0, e);
	}
	/* irssi: "HH:MM " */
	if ((sod = hms(s, n, &len)) >= 0 && (s[len] == ' ' || s[len] == '\t')) {
		enum err_code rc = need_day(p, e);
		if (rc != E_OK)
			return rc;
		roll(p, sod);
		return body(p, p->day, sod, s + len, 0, e);
	}
	chat_skip(&p->skips, "%.100s:%lld: no time at the start of the line",
		  p->o.file, (long long)p->lineno);
	return E_OK;
}

enum err_code irc_end(struct irc_parser *p, struct chat_skips *skips,
		      int64_t *messages, struct err *e)
{
	if (skips)
		*skips = p->skips;
	if (messages)
		*messages = p->messages;
	if (p->messages == 0 && p->skips.others == 0)
		return err_set(e, E_INVALID, "file",
			       "%.100s: no line in a known IRC log format "
			       "(%lld lines read)%s%.160s",
			       p->o.file, (long long)p->lineno,
			       p->skips.nnotes ? "; first: " : "",
			       p->skips.nnotes ? p->skips.notes[0] : "");
	return E_OK;
}
