/* csv.c: a generic CSV chat (RFC 4180): a header naming the columns
 * (names in chat.h), then one message per record. Quoted fields may hold
 * the separator, doubled quotes and line breaks. Fed in slices of any
 * size; no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importers/chat.h"
#include "util/buf.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_RECORD (1024 * 1024)

enum col { COL_TIME, COL_AUTHOR, COL_TEXT, COL_CHANNEL, NCOLS };

struct csv_parser {
	struct table_opts o;
	chat_emit_fn emit;
	void *ctx;
	char sep;           /* 0 until the header's first separator is seen */
	int quoted, after_quote, header_done;
	int col[NCOLS];     /* field index of each column, -1: none */
	struct buf rec;     /* the record's bytes, fields NUL-separated */
	size_t start[CSV_MAX_FIELDS];
	int nfields;
	int64_t line, rec_line, messages;
	int overflow;
};

struct csv_parser *csv_new(const struct table_opts *o, chat_emit_fn emit,
			   void *ctx)
{
	struct csv_parser *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->o = *o;
	if (!p->o.file)
		p->o.file = "chat.csv";
	p->emit = emit;
	p->ctx = ctx;
	p->line = 1;
	p->rec_line = 1;
	buf_init(&p->rec);
	for (int i = 0; i < NCOLS; i++)
		p->col[i] = -1;
	return p;
}

void csv_free(struct csv_parser *p)
{
	if (!p)
		return;
	buf_release(&p->rec);
	free(p);
}

static int name_is(const char *s, const char *const *names)
{
	while (*s == ' ')
		s++;
	for (int i = 0; names[i]; i++)
		if (!strcasecmp(s, names[i]))
			return 1;
	return 0;
}

static const char *field(struct csv_parser *p, int c)
{
	int k = p->col[c];

	return k >= 0 && k < p->nfields ? p->rec.data + p->start[k] : NULL;
}

/* fix_encoding rewrites the record as UTF-8 (Windows-1252 when it is not). */
static int fix_encoding(struct csv_parser *p)
{
	char *out;
	int recoded;
	size_t n = p->rec.len, len;

	if (!(out = malloc(3 * n + 1)))
		return -1;
	len = chat_recode_1252(p->rec.data, n, out, &recoded);
	if (recoded) {
		/* offsets move: recompute from the NUL separators */
		int k = 0;
		buf_reset(&p->rec);
		buf_append(&p->rec, out, len);
		p->start[k++] = 0;
		for (size_t i = 0; i < len && k < p->nfields; i++)
			if (out[i] == '\0')
				p->start[k++] = i + 1;
	}
	free(out);
	return p->rec.oom ? -1 : 0;
}

static enum err_code end_record(struct csv_parser *p, struct err *e)
{
	static const char *const names[NCOLS][6] = {
		{"time", "at", "ts", "timestamp", "date", NULL},
		{"author", "user", "nick", "name", "from", NULL},
		{"text", "message", "msg", "body", NULL, NULL},
		{"channel", NULL, NULL, NULL, NULL, NULL},
	};
	enum err_code rc = E_OK;

	buf_putc(&p->rec, '\0');
	if (p->nfields < CSV_MAX_FIELDS)
		p->nfields++;
	if (p->rec.oom || fix_encoding(p) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (p->nfields == 1 && !p->rec.data[0])
		goto next; /* a blank line */
	if (!p->header_done) {
		for (int k = 0; k < p->nfields; k++)
			for (int c = 0; c < NCOLS; c++)
				if (p->col[c] < 0 &&
				    name_is(p->rec.data + p->start[k], names[c]))
					p->col[c] = k;
		if (p->col[COL_TIME] < 0 || p->col[COL_TEXT] < 0)
			return err_set(e, E_INVALID, "file",
				       "%.100s:1: the header names no time or "
				       "no text column (time, author, text, "
				       "channel)",
				       p->o.file);
		p->header_done = 1;
		goto next;
	}
	rc = chat_row_emit(&p->o, p->emit, p->ctx, p->rec_line,
			   field(p, COL_TIME), field(p, COL_AUTHOR),
			   field(p, COL_TEXT), field(p, COL_CHANNEL), e);
	if (rc == E_OK)
		p->messages++;
next:
	buf_reset(&p->rec);
	p->nfields = 0;
	p->start[0] = 0;
	p->after_quote = 0;
	p->rec_line = p->line;
	return rc;
}

enum err_code csv_feed(struct csv_parser *p, const char *data, size_t n,
		       struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		char c = data[i];
		enum err_code rc;

		if (c == '\n')
			p->line++;
		if (!p->sep && !p->header_done &&
		    (c == ',' || c == ';' || c == '\t') && !p->quoted)
			p->sep = c;
		if (p->quoted) {
			if (c == '"') {
				p->quoted = 0;
				p->after_quote = 1;
			} else {
				buf_putc(&p->rec, c ? c : ' ');
				if (p->rec.len > CSV_MAX_RECORD)
					return err_set(
						e, E_INVALID, "file",
						"%.100s:%lld: a quoted field "
						"longer than %d bytes (a quote "
						"never closed?)",
						p->o.file,
						(long long)p->rec_line,
						CSV_MAX_RECORD);
			}
			continue;
		}
		if (c == '"') {
			if (p->after_quote)
				buf_putc(&p->rec, '"'); /* "" in a field */
			p->quoted = 1;
			p->after_quote = 0;
			continue;
		}
		p->after_quote = 0;
		if (c == p->sep && p->sep) {
			buf_putc(&p->rec, '\0');
			if (p->nfields + 1 < CSV_MAX_FIELDS)
				p->start[++p->nfields] = p->rec.len;
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\n') {
			if ((rc = end_record(p, e)) != E_OK)
				return rc;
			continue;
		}
		buf_putc(&p->rec, c ? c : ' ');
		if (p->rec.len > CSV_MAX_RECORD)
			return err_set(e, E_INVALID, "file",
				       "%.100s:%lld: a record longer than %d "
				       "bytes (an unclosed quote?)",
				       p->o.file, (long long)p->rec_line,
				       CSV_MAX_RECORD);
	}
	return E_OK;
}

enum err_code csv_end(struct csv_parser *p, int64_t *messages, struct err *e)
{
	enum err_code rc;

	if (p->quoted)
		return err_set(e, E_INVALID, "file",
			       "%.100s:%lld: a quote opened here is never "
			       "closed",
			       p->o.file, (long long)p->rec_line);
	if ((p->rec.len || p->nfields) && (rc = end_record(p, e)) != E_OK)
		return rc;
	if (messages)
		*messages = p->messages;
	if (!p->messages)
		return err_set(e, E_INVALID, "file",
			       "%.100s: no CSV row with a time and a text%s",
			       p->o.file,
			       p->header_done ? "" : " (no header either)");
	return E_OK;
}
