/* slack.c: a Slack workspace export: users.json and channels.json (and
 * groups.json, mpims.json, dms.json) name people and channels; each
 * CHANNEL/YYYY-MM-DD.json is a JSON array of the day's messages. Threads
 * (thread_ts), edits (edited), subtypes (joins and other events are kind
 * "other"; bot messages take the bot's name; file shares add the file's
 * name and link), mentions <@U123> and <#C123|name>, links <url|label>
 * and Slack's escaping (&amp; &lt; &gt;) become plain text. ts keeps its
 * microseconds, so two messages in one second keep their order. No I/O:
 * chat_import.c reads the files. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "importers/chat.h"
#include "util/buf.h"
#include "util/utf8.h"

struct slack_parser {
	const char *file;
	chat_emit_fn emit;
	void *ctx;
	json_t *users;	  /* id -> name */
	json_t *channels; /* id -> name */
	int64_t messages;
	int64_t days;
	struct chat_skips skips;
	struct buf text;  /* the message's text, converted */
	struct buf src;	  /* its strings (slack_day), then its source */
	struct buf files; /* its file lines, kept for the memory */
};

struct slack_parser *slack_new(const char *file, chat_emit_fn emit, void *ctx)
{
	struct slack_parser *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->file = file ? file : "export";
	p->emit = emit;
	p->ctx = ctx;
	p->users = json_object();
	p->channels = json_object();
	buf_init(&p->text);
	buf_init(&p->src);
	buf_init(&p->files);
	if (!p->users || !p->channels) {
		slack_free(p);
		return NULL;
	}
	return p;
}

void slack_free(struct slack_parser *p)
{
	if (!p)
		return;
	json_decref(p->users);
	json_decref(p->channels);
	buf_release(&p->text);
	buf_release(&p->src);
	buf_release(&p->files);
	free(p);
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) ? json_string_value(v)
							  : NULL;
}

static const char *user_name(json_t *u)
{
	json_t *prof = json_object_get(u, "profile");
	const char *n;

	if ((n = str(prof, "display_name")) || (n = str(prof, "real_name")) ||
	    (n = str(u, "real_name")) || (n = str(u, "name")))
		return n;
	return NULL;
}

int slack_meta_name(const char *path)
{
	static const char *const names[] = {"users.json",  "channels.json",
					    "groups.json", "mpims.json",
					    "dms.json",	   NULL};

	for (int i = 0; names[i]; i++)
		if (!strcmp(path, names[i]))
			return 1;
	return 0;
}

int slack_day_name(const char *path, char *channel, size_t n)
{
	const char *slash = strchr(path, '/');
	const char *day;
	size_t cl;

	if (!slash || strchr(slash + 1, '/'))
		return 0;
	day = slash + 1;
	cl = (size_t)(slash - path);
	if (cl == 0 || cl >= n || strlen(day) != 15 ||
	    strcmp(day + 10, ".json"))
		return 0;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? day[i] != '-'
				     : !(day[i] >= '0' && day[i] <= '9'))
			return 0;
	memcpy(channel, path, cl);
	channel[cl] = '\0';
	return 1;
}

enum err_code slack_meta(struct slack_parser *p, const char *name,
			 const char *json, size_t n, struct err *e)
{
	int users = !strcmp(name, "users.json");
	json_error_t je;
	json_t *arr, *it;
	size_t i;

	arr = json_loadb(json, n, 0, &je);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return err_set(e, E_INVALID, "file",
			       "%.100s: %.40s%s%.60s: not a Slack export "
			       "(expected a JSON list)",
			       p->file, name, arr ? "" : ": ",
			       arr ? "" : je.text);
	}
	json_array_foreach(arr, i, it)
	{
		const char *id = str(it, "id"), *nm;

		if (!id)
			continue;
		nm = users ? user_name(it) : str(it, "name");
		if (nm && json_object_set_new(users ? p->users : p->channels,
					      id, json_string(nm)) < 0) {
			json_decref(arr);
			return err_set(e, E_NOMEM, NULL, "out of memory");
		}
	}
	json_decref(arr);
	return E_OK;
}

/* unescape appends s[0..n) with &amp; &lt; &gt; undone, a run of plain
 * bytes at a time. */
static void unescape(struct buf *b, const char *s, size_t n)
{
	const char *end = s + n, *amp;

	while ((amp = memchr(s, '&', (size_t)(end - s)))) {
		size_t left = (size_t)(end - amp);

		buf_append(b, s, (size_t)(amp - s));
		if (left >= 5 && !memcmp(amp, "&amp;", 5)) {
			buf_putc(b, '&');
			s = amp + 5;
		} else if (left >= 4 && !memcmp(amp, "&lt;", 4)) {
			buf_putc(b, '<');
			s = amp + 4;
		} else if (left >= 4 && !memcmp(amp, "&gt;", 4)) {
			buf_putc(b, '>');
			s = amp + 4;
		} else {
			buf_putc(b, '&');
			s = amp + 1;
		}
	}
	buf_append(b, s, (size_t)(end - s));
}

/* lookup finds id (n bytes) in map. */
static const char *lookup(json_t *map, const char *id, size_t n)
{
	char key[64];

	if (n == 0 || n >= sizeof key)
		return NULL;
	memcpy(key, id, n);
	key[n] = '\0';
	return json_string_value(json_object_get(map, key));
}

/* slack_text appends Slack's markup s as plain text: "<@U1>" -> "@name",
 * "<#C1|general>" -> "#general", "<!here>" -> "@here",
 * "<https://x|label>" -> "label (https://x)", "<https://x>" -> the URL. */
static void slack_text(struct slack_parser *p, struct buf *b, const char *s)
{
	while (*s) {
		const char *lt = strchr(s, '<'), *gt, *bar, *in;
		size_t n, inner;

		if (!lt || !(gt = strchr(lt, '>'))) {
			unescape(b, s, strlen(s));
			return;
		}
		unescape(b, s, (size_t)(lt - s));
		in = lt + 1;
		inner = (size_t)(gt - in);
		bar = memchr(in, '|', inner);
		n = bar ? (size_t)(bar - in) : inner;
		if (in[0] == '@' || in[0] == '#') {
			json_t *map = in[0] == '@' ? p->users : p->channels;
			const char *name = lookup(map, in + 1, n - 1);
			buf_putc(b, in[0]);
			if (name)
				buf_puts(b, name);
			else if (bar)
				unescape(b, bar + 1, (size_t)(gt - bar - 1));
			else
				unescape(b, in + 1, n - 1);
		} else if (in[0] == '!') {
			/* <!here>, <!channel>, <!subteam^S1|@team> */
			buf_putc(b, '@');
			if (bar)
				unescape(b, bar[1] == '@' ? bar + 2 : bar + 1,
					 (size_t)(gt - bar - 1 -
						  (bar[1] == '@')));
			else
				unescape(b, in + 1, n - 1);
		} else if (bar) {
			unescape(b, bar + 1, (size_t)(gt - bar - 1));
			buf_puts(b, " (");
			unescape(b, in, n);
			buf_putc(b, ')');
		} else {
			unescape(b, in, inner);
		}
		s = gt + 1;
	}
}

/* parse_ts reads "1700000000.000100" into seconds and microseconds. */
static int parse_ts(const char *ts, int64_t *at, int *us)
{
	char *end;
	long long s = strtoll(ts, &end, 10);
	int digits = 0, frac = 0;

	if (end == ts || s < 0 || s > 253402300799LL)
		return -1;
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9'; end++)
			if (digits < 6) {
				frac = frac * 10 + (*end - '0');
				digits++;
			}
	if (*end)
		return -1;
	while (digits++ < 6)
		frac *= 10;
	*at = s;
	*us = frac;
	return 0;
}

static int is_event(const char *subtype)
{
	static const char *const kept[] = {"bot_message",      "file_share",
					   "thread_broadcast", "me_message",
					   "file_comment",     NULL};

	if (!subtype)
		return 0;
	for (int i = 0; kept[i]; i++)
		if (!strcmp(subtype, kept[i]))
			return 0;
	return 1;
}

/* ---- day files, streamed ----
 *
 * A day file is read with yajl's event parser, not built into a tree:
 * the strings of one message that matter are copied into one scratch
 * buffer (kept across messages and files), and the message is sent when
 * its object closes. What a container is, is known from its parent and
 * its key; everything else (blocks, reactions, attachments) is skipped
 * without a copy. */

/* The strings kept of one message, one shared file, or a profile. */
enum slack_slot {
	S_TS,
	S_SUBTYPE,
	S_USER,
	S_USERNAME,
	S_TEXT,
	S_THREAD_TS,
	S_UP_DISPLAY, /* user_profile.display_name */
	S_UP_REAL,    /* user_profile.real_name */
	S_UP_NAME,    /* user_profile.name */
	S_BOT_NAME,   /* bot_profile.name */
	S_F_NAME,     /* the file being read: name, title, permalink, url */
	S_F_TITLE,
	S_F_LINK,
	S_F_URL,
	S_NSLOTS
};

/* What the container at a depth is. */
enum slack_role {
	R_OTHER, /* skipped */
	R_DAY,	 /* the day's list of messages */
	R_MSG,	 /* a message */
	R_UP,	 /* its user_profile */
	R_BOT,	 /* its bot_profile */
	R_FILE,	 /* its "file", or one of its "files" */
	R_FILES, /* its "files" */
};

#define DAY_DEPTH 8 /* roles kept this deep; deeper is R_OTHER */

struct day {
	struct slack_parser *p;
	const char *channel, *name;
	struct err *e;
	enum err_code rc; /* why a callback stopped the parse */
	int depth;	  /* open containers */
	unsigned char role[DAY_DEPTH + 1];
	int slot; /* where the next string goes; -1: nowhere */
	/* the role of a container opened under the current message key
	 * ("file": R_FILE...); -1: "edited" */
	int opens;
	int edited;
	size_t index;			     /* messages (list items) so far */
	size_t off[S_NSLOTS], len[S_NSLOTS]; /* in p->src; len 0: absent */
	int eof; /* the error was met at the end of the file */
	int bad_utf8; /* a string kept is not UTF-8: stopped there */
};

static const char *slot(struct day *d, enum slack_slot s)
{
	return d->len[s] ? d->p->src.data + d->off[s] : NULL;
}

/* key_slot maps a key of container role r to a slot; -1: not kept. */
static int key_slot(int r, const char *k, size_t n)
{
#define K(lit) (n == sizeof lit - 1 && !memcmp(k, lit, n))
	switch (r) {
	case R_MSG:
		return K("ts")		? S_TS
		       : K("text")	? S_TEXT
		       : K("user")	? S_USER
		       : K("subtype")	? S_SUBTYPE
		       : K("thread_ts") ? S_THREAD_TS
		       : K("username")	? S_USERNAME
					: -1;
	case R_UP:
		return K("display_name") ? S_UP_DISPLAY
		       : K("real_name")	 ? S_UP_REAL
		       : K("name")	 ? S_UP_NAME
					 : -1;
	case R_BOT: return K("name") ? S_BOT_NAME : -1;
	case R_FILE:
		return K("name")	  ? S_F_NAME
		       : K("title")	  ? S_F_TITLE
		       : K("permalink")	  ? S_F_LINK
		       : K("url_private") ? S_F_URL
					  : -1;
	}
	return -1;
#undef K
}

static int role_here(struct day *d)
{
	return d->depth <= DAY_DEPTH ? d->role[d->depth] : R_OTHER;
}

/* item_skipped notes a list item that is not a message object. */
static void item_skipped(struct day *d)
{
	chat_skip(&d->p->skips, "%.60s: message %zu: no valid ts", d->name,
		  ++d->index);
}

/* not_export stops the parse: the file is not a list of messages. */
static int not_export(struct day *d)
{
	d->rc = err_set(d->e, E_INVALID, "file",
			"%.80s: %.80s: not a Slack export (a day file holds a "
			"JSON list of messages)",
			d->p->file, d->name);
	return 0;
}

/* scalar is every value that is not a container: a string (s, n) goes
 * to the current slot; others only count as skipped list items. */
static int scalar(struct day *d, const char *s, size_t n, int is_string)
{
	int r = role_here(d);

	if (d->depth == 0)
		return not_export(d);
	if (r == R_DAY)
		item_skipped(d);
	else if (is_string && d->slot >= 0 && n > 0) {
		struct buf *b = &d->p->src;
		size_t at = b->len;
		const char *nul;


		/* a \u0000 would cut the C string: drop it */
		while ((nul = memchr(s, '\0', n))) {
			buf_append(b, s, (size_t)(nul - s));
			n -= (size_t)(nul - s) + 1;
			s = nul + 1;
		}
		buf_append(b, s, n);
		buf_putc(b, '\0');
		if (b->oom) {
			d->rc = err_set(d->e, E_NOMEM, NULL, "out of memory");
			return 0;
		}
		/* yajl checks the shape of UTF-8 only: an overlong form or
		 * a surrogate gets through */
		if (!utf8_valid(b->data + at, b->len - 1 - at, NULL)) {
			d->bad_utf8 = 1;
			return 0;
		}
		d->off[d->slot] = at;
		d->len[d->slot] = b->len - 1 - at; /* 0 ("\0"): absent */
	}
	d->slot = -1;
	return 1;
}

static int on_null(void *ctx)
{
	return scalar(ctx, NULL, 0, 0);
}

static int on_bool(void *ctx, int v)
{
	(void)v;
	return scalar(ctx, NULL, 0, 0);
}

static int on_number(void *ctx, const char *s, size_t n)
{
	(void)s;
	(void)n;
	return scalar(ctx, NULL, 0, 0);
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	return scalar(ctx, (const char *)s, n, 1);
}

static int on_key(void *ctx, const unsigned char *k, size_t n)
{
	struct day *d = ctx;
	int r = role_here(d);

	d->slot = key_slot(r, (const char *)k, n);
	if (r == R_MSG) {
		d->opens = n == 4 && !memcmp(k, "file", 4)	       ? R_FILE
			   : n == 5 && !memcmp(k, "files", 5)	       ? R_FILES
			   : n == 6 && !memcmp(k, "edited", 6)	       ? -1
			   : n == 12 && !memcmp(k, "user_profile", 12) ? R_UP
			   : n == 11 && !memcmp(k, "bot_profile", 11)  ? R_BOT
								      : R_OTHER;
	}
	return 1;
}

/* day_open pushes a container (map: 1) and decides what it is. */
static int day_open(struct day *d, int map)
{
	int parent = role_here(d), r = R_OTHER;

	if (d->depth == 0) {
		if (map)
			return not_export(d);
		r = R_DAY;
	} else if (parent == R_DAY) {
		if (map) {
			r = R_MSG;
			d->index++;
			memset(d->len, 0, sizeof d->len);
			d->edited = 0;
			d->opens = R_OTHER;
			buf_reset(&d->p->src);
			buf_reset(&d->p->files);
		} else {
			item_skipped(d);
		}
	} else if (parent == R_MSG) {
		if (d->opens == -1)
			d->edited = map;
		else if (map ? d->opens == R_UP || d->opens == R_BOT ||
					 d->opens == R_FILE
			     : d->opens == R_FILES)
			r = d->opens;
		d->opens = R_OTHER;
	} else if (parent == R_FILES && map) {
		r = R_FILE;
	}
	if (r == R_FILE)
		d->len[S_F_NAME] = d->len[S_F_TITLE] = d->len[S_F_LINK] =
			d->len[S_F_URL] = 0;
	d->depth++;
	if (d->depth <= DAY_DEPTH)
		d->role[d->depth] = (unsigned char)r;
	d->slot = -1;
	return 1;
}

static int on_start_map(void *ctx)
{
	return day_open(ctx, 1);
}

static int on_start_array(void *ctx)
{
	return day_open(ctx, 0);
}

/* file_line appends "file: NAME (LINK)" for the file just read. */
static void file_line(struct day *d)
{
	const char *name = slot(d, S_F_NAME), *link = slot(d, S_F_LINK);
	struct buf *b = &d->p->files;

	if (!name)
		name = slot(d, S_F_TITLE);
	if (!link)
		link = slot(d, S_F_URL);
	buf_puts(b, "\nfile: ");
	buf_puts(b, name ? name : "(no name)");
	if (link) {
		buf_puts(b, " (");
		buf_puts(b, link);
		buf_putc(b, ')');
	}
}

/* message sends the message whose object just closed. */
static int message(struct day *d)
{
	struct slack_parser *p = d->p;
	struct chat_msg cm = {0};
	const char *ts = slot(d, S_TS), *sub, *uid;
	size_t src;

	if (!ts || d->len[S_TS] > 64 || parse_ts(ts, &cm.at, &cm.at_us) < 0) {
		chat_skip(&p->skips, "%.60s: message %zu: no valid ts", d->name,
			  d->index);
		return 1;
	}
	/* the source, "CHANNEL/DAY.json#TS", goes after the strings; src
	 * may move, so the slots are read after it */
	src = p->src.len;
	if (!buf_reserve(&p->src, strlen(d->name) + d->len[S_TS] + 2)) {
		d->rc = err_set(d->e, E_NOMEM, NULL, "out of memory");
		return 0;
	}
	ts = slot(d, S_TS);	    /* the room is there: no more moves */
	buf_puts(&p->src, d->name); /* per message: no printf */
	buf_putc(&p->src, '#');
	buf_append(&p->src, ts, d->len[S_TS]);
	buf_putc(&p->src, '\0');
	if (p->src.oom) {
		d->rc = err_set(d->e, E_NOMEM, NULL, "out of memory");
		return 0;
	}
	sub = slot(d, S_SUBTYPE);
	if (sub && !strcmp(sub, "message_changed"))
		return 1; /* the edited message carries "edited" */
	uid = slot(d, S_USER);
	if (!uid ||
	    !(cm.author = json_string_value(json_object_get(p->users, uid))))
		if (!(cm.author = slot(d, S_UP_DISPLAY)) &&
		    !(cm.author = slot(d, S_UP_REAL)) &&
		    !(cm.author = slot(d, S_UP_NAME)) &&
		    !(cm.author = slot(d, S_USERNAME)) &&
		    !(cm.author = slot(d, S_BOT_NAME)))
			cm.author = uid;
	buf_reset(&p->text);
	if (slot(d, S_TEXT))
		slack_text(p, &p->text, slot(d, S_TEXT));
	/* the file lines, each after a newline but at the very start */
	if (p->files.len)
		buf_append(&p->text, p->files.data + !p->text.len,
			   p->files.len - !p->text.len);
	if (p->text.oom || p->files.oom) {
		d->rc = err_set(d->e, E_NOMEM, NULL, "out of memory");
		return 0;
	}
	cm.channel = d->channel;
	cm.ts = slot(d, S_TS);
	cm.text = buf_cstr(&p->text);
	cm.other = is_event(sub);
	cm.thread_ts = slot(d, S_THREAD_TS);
	if (cm.thread_ts && !strcmp(cm.thread_ts, cm.ts))
		cm.thread_ts = NULL; /* the parent of a thread */
	cm.edited = d->edited;
	cm.source = p->src.data + src;
	if (cm.other)
		p->skips.others++;
	if (p->emit(p->ctx, &cm, d->e) < 0) {
		d->rc = d->e->code ? d->e->code : E_INVALID;
		return 0;
	}
	p->messages++;
	return 1;
}

static int on_end_map(void *ctx)
{
	struct day *d = ctx;
	int r = role_here(d), ok = 1;

	if (r == R_MSG)
		ok = message(d);
	else if (r == R_FILE)
		file_line(d);
	d->depth--;
	d->slot = -1;
	return ok;
}

static int on_end_array(void *ctx)
{
	struct day *d = ctx;

	d->depth--;
	d->slot = -1;
	return 1;
}

static const yajl_callbacks day_callbacks = {
	on_null,    on_bool,	    NULL,	  NULL,
	on_number,  on_string,	    on_start_map, on_key,
	on_end_map, on_start_array, on_end_array,
};

/* line_at counts the line of byte offset at in json. */
static int line_at(const char *json, size_t n, size_t at)
{
	int line = 1;

	for (size_t i = 0; i < at && i < n; i++)
		line += json[i] == '\n';
	return line;
}

enum err_code slack_day(struct slack_parser *p, const char *channel,
			const char *name, const char *json, size_t n,
			struct err *e)
{
	struct day d = {0};
	yajl_handle h;
	yajl_status st;

	d.p = p;
	d.channel = channel;
	d.name = name;
	d.e = e;
	d.slot = -1;
	if (!(h = yajl_alloc(&day_callbacks, NULL, &d)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	st = yajl_parse(h, (const unsigned char *)json, n);
	if (st == yajl_status_ok && (d.eof = 1))
		st = yajl_complete_parse(h);
	if (d.bad_utf8)
		d.rc = err_set(e, E_INVALID, "file",
			       "%.80s: %.80s:%d: not JSON: a string is not "
			       "valid UTF-8",
			       p->file, name,
			       line_at(json, n,
				       d.eof ? n : yajl_get_bytes_consumed(h)));
	if (st == yajl_status_error && d.rc == E_OK) {
		unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
		size_t at = d.eof ? n : yajl_get_bytes_consumed(h);

		d.rc = err_set(e, E_INVALID, "file",
			       "%.80s: %.80s:%d: not JSON: %.60s", p->file,
			       name, line_at(json, n, at),
			       msg ? (const char *)msg : "parse error");
		if (msg)
			yajl_free_error(h, msg);
	}
	yajl_free(h);
	if (d.rc == E_OK)
		p->days++;
	return d.rc;
}

enum err_code slack_end(struct slack_parser *p, struct chat_skips *skips,
			int64_t *messages, struct err *e)
{
	if (skips)
		*skips = p->skips;
	if (messages)
		*messages = p->messages;
	if (p->days == 0)
		return err_set(e, E_INVALID, "file",
			       "%.100s: not a Slack export: no "
			       "CHANNEL/YYYY-MM-DD.json day files",
			       p->file);
	return E_OK;
}
