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

#include "importers/chat.h"
#include "util/buf.h"

struct slack_parser {
	const char *file;
	chat_emit_fn emit;
	void *ctx;
	json_t *users;    /* id -> name */
	json_t *channels; /* id -> name */
	int64_t messages;
	int64_t days;
	struct chat_skips skips;
	struct buf text, src;
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
	static const char *const names[] = {"users.json", "channels.json",
					    "groups.json", "mpims.json",
					    "dms.json", NULL};

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

/* unescape appends s[0..n) with &amp; &lt; &gt; undone. */
static void unescape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			if (n - i >= 5 && !strncmp(s + i, "&amp;", 5)) {
				buf_putc(b, '&');
				i += 4;
				continue;
			}
			if (n - i >= 4 && !strncmp(s + i, "&lt;", 4)) {
				buf_putc(b, '<');
				i += 3;
				continue;
			}
			if (n - i >= 4 && !strncmp(s + i, "&gt;", 4)) {
				buf_putc(b, '>');
				i += 3;
				continue;
			}
		}
		buf_putc(b, s[i]);
	}
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

/* file_line appends "file: NAME (LINK)" for one shared file. */
static void file_line(struct buf *b, json_t *f)
{
	const char *name = str(f, "name"), *link = str(f, "permalink");

	if (!name)
		name = str(f, "title");
	if (!link)
		link = str(f, "url_private");
	if (b->len)
		buf_putc(b, '\n');
	buf_printf(b, "file: %s", name ? name : "(no name)");
	if (link)
		buf_printf(b, " (%s)", link);
}

/* files appends a line for each file a message shares ("files", or the
 * older "file"). */
static void files(struct buf *b, json_t *m)
{
	json_t *arr = json_object_get(m, "files"), *f;
	size_t i;

	if (json_is_object(json_object_get(m, "file")))
		file_line(b, json_object_get(m, "file"));
	json_array_foreach(arr, i, f)
	{
		if (json_is_object(f))
			file_line(b, f);
	}
}

static int is_event(const char *subtype)
{
	static const char *const kept[] = {"bot_message", "file_share",
					   "thread_broadcast", "me_message",
					   "file_comment", NULL};

	if (!subtype)
		return 0;
	for (int i = 0; kept[i]; i++)
		if (!strcmp(subtype, kept[i]))
			return 0;
	return 1;
}

enum err_code slack_day(struct slack_parser *p, const char *channel,
			const char *name, const char *json, size_t n,
			struct err *e)
{
	json_error_t je;
	json_t *arr, *m;
	size_t i;
	enum err_code rc = E_OK;

	arr = json_loadb(json, n, 0, &je);
	if (!json_is_array(arr)) {
		json_decref(arr);
		if (!arr)
			return err_set(e, E_INVALID, "file",
				       "%.80s: %.80s:%d: not JSON: %.60s",
				       p->file, name, je.line, je.text);
		return err_set(e, E_INVALID, "file",
			       "%.80s: %.80s: not a Slack export (a day file "
			       "holds a JSON list of messages)",
			       p->file, name);
	}
	p->days++;
	json_array_foreach(arr, i, m)
	{
		struct chat_msg cm = {0};
		const char *ts = str(m, "ts"), *sub = str(m, "subtype");
		const char *uid = str(m, "user"), *author = NULL, *text;
		json_t *bp;

		if (!json_is_object(m) || !ts ||
		    parse_ts(ts, &cm.at, &cm.at_us) < 0 || strlen(ts) > 64) {
			chat_skip(&p->skips,
				  "%.60s: message %zu: no valid ts", name,
				  i + 1);
			continue;
		}
		if (sub && !strcmp(sub, "message_changed"))
			continue; /* the edited message carries "edited" */
		if (uid)
			author = json_string_value(
				json_object_get(p->users, uid));
		if (!author && (bp = json_object_get(m, "user_profile")) &&
		    !(author = str(bp, "display_name")) &&
		    !(author = str(bp, "real_name")))
			author = str(bp, "name");
		if (!author)
			author = str(m, "username");
		if (!author && (bp = json_object_get(m, "bot_profile")))
			author = str(bp, "name");
		if (!author)
			author = uid;
		buf_reset(&p->text);
		text = str(m, "text");
		if (text)
			slack_text(p, &p->text, text);
		files(&p->text, m);
		buf_reset(&p->src);
		buf_puts(&p->src, name); /* per message: no printf */
		buf_putc(&p->src, '#');
		buf_puts(&p->src, ts);
		if (p->text.oom || p->src.oom) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		cm.channel = channel;
		cm.ts = ts;
		cm.author = author;
		cm.text = buf_cstr(&p->text);
		cm.other = is_event(sub);
		cm.thread_ts = str(m, "thread_ts");
		if (cm.thread_ts && !strcmp(cm.thread_ts, ts))
			cm.thread_ts = NULL; /* the parent of a thread */
		cm.edited = json_is_object(json_object_get(m, "edited"));
		cm.source = buf_cstr(&p->src);
		if (cm.other)
			p->skips.others++;
		if (p->emit(p->ctx, &cm, e) < 0) {
			rc = e->code ? e->code : E_INVALID;
			break;
		}
		p->messages++;
	}
	json_decref(arr);
	return rc;
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
