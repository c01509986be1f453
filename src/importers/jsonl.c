/* jsonl.c: a generic JSON Lines chat: one object per line with a time,
 * an author and a text (names in chat.h), and optionally a channel.
 * Times may be strings or numbers (seconds since the epoch). No I/O: the
 * caller feeds lines. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/chat.h"

struct jsonl_parser {
	struct table_opts o;
	chat_emit_fn emit;
	void *ctx;
	int64_t lineno, messages;
};

struct jsonl_parser *jsonl_new(const struct table_opts *o, chat_emit_fn emit,
			       void *ctx)
{
	struct jsonl_parser *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->o = *o;
	if (!p->o.file)
		p->o.file = "chat.jsonl";
	p->emit = emit;
	p->ctx = ctx;
	return p;
}

void jsonl_free(struct jsonl_parser *p)
{
	free(p);
}

/* member returns the first of names that obj has, as text (numbers
 * printed); NULL when none. buf holds a printed number. */
static const char *member(json_t *obj, const char *const *names, char *buf,
			  size_t n)
{
	for (int i = 0; names[i]; i++) {
		json_t *v = json_object_get(obj, names[i]);
		if (json_is_string(v))
			return json_string_value(v);
		if (json_is_integer(v)) {
			snprintf(buf, n, "%lld", (long long)json_integer_value(v));
			return buf;
		}
		if (json_is_real(v)) {
			snprintf(buf, n, "%.6f", json_real_value(v));
			return buf;
		}
	}
	return NULL;
}

static const char *const time_names[] = {"time", "at", "ts", "timestamp",
					 "date", NULL};
static const char *const author_names[] = {"author", "user", "nick", "name",
					   "from", NULL};
static const char *const text_names[] = {"text", "message", "msg", "body",
					 NULL};
static const char *const channel_names[] = {"channel", NULL};

enum err_code jsonl_line(struct jsonl_parser *p, const char *line, size_t n,
			 struct err *e)
{
	char tb[48], ab[48], xb[48], cb[48];
	json_error_t je;
	json_t *obj;
	enum err_code rc;

	p->lineno++;
	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	{ /* a blank line (the line is not NUL-terminated) */
		size_t k = 0;
		while (k < n && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == n)
			return E_OK;
	}
	obj = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return err_set(e, E_INVALID, "file",
			       "%.100s:%lld: not a JSON object%s%.80s",
			       p->o.file, (long long)p->lineno,
			       obj ? "" : ": ", obj ? "" : je.text);
	}
	rc = chat_row_emit(&p->o, p->emit, p->ctx, p->lineno,
			   member(obj, time_names, tb, sizeof tb),
			   member(obj, author_names, ab, sizeof ab),
			   member(obj, text_names, xb, sizeof xb),
			   member(obj, channel_names, cb, sizeof cb), e);
	json_decref(obj);
	if (rc == E_OK)
		p->messages++;
	return rc;
}

enum err_code jsonl_end(struct jsonl_parser *p, int64_t *messages,
			struct err *e)
{
	if (messages)
		*messages = p->messages;
	if (!p->messages)
		return err_set(e, E_INVALID, "file",
			       "%.100s: no JSON line with a time and a text",
			       p->o.file);
	return E_OK;
}
