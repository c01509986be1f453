/* fuzz_import_irc.c: libFuzzer target for the IRC log parser (irc.c).
 * The input is a log; its first byte picks the options (a --date or
 * none, a zone or none, joins kept or dropped).
 *
 * Invariants: the parse ends in E_OK or a message that names the file;
 * every message has a key unique in the file, microseconds in range,
 * UTF-8 text, and becomes a record that record_validate accepts
 * (chat_msg_record); when no message came out and the parse succeeded,
 * there was at least one join or other event.
 *
 * An input may name its file first (fuzz_file_name; else "#ops.log"):
 * the channel and the file are made of it as `debrief import` makes them
 * (chat_file_channel), and every message is in that channel. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "importers/chat.h"
#include "importers/chat_import.h"
#include "model/record.h"
#include "util/arena.h"
#include "util/utf8.h"

#define MAX_KEYS 4096

struct seen {
	struct arena *a;
	const char *channel;
	char keys[MAX_KEYS][48];
	size_t n;
};

static int check(void *ctx, const struct chat_msg *m, struct err *e)
{
	struct seen *s = ctx;
	struct record *r;
	struct err ve;

	(void)e;
	FUZZ_ASSERT(m->ts && strlen(m->ts) < 48, "key %s", m->ts);
	FUZZ_ASSERT(!strcmp(m->channel, s->channel), "channel %s", m->channel);
	FUZZ_ASSERT(m->at_us >= 0 && m->at_us <= 999999, "at_us %d", m->at_us);
	FUZZ_ASSERT(utf8_valid(m->text, strlen(m->text), NULL), "text UTF-8");
	FUZZ_ASSERT(!m->author || utf8_valid(m->author, strlen(m->author), NULL),
		    "author UTF-8");
	for (size_t i = 0; i < s->n; i++)
		FUZZ_ASSERT(strcmp(s->keys[i], m->ts), "key %s twice", m->ts);
	if (s->n < MAX_KEYS)
		memcpy(s->keys[s->n++], m->ts, strlen(m->ts) + 1);
	r = chat_msg_record(s->a, m);
	FUZZ_ASSERT(r, "oom");
	err_clear(&ve);
	FUZZ_ASSERT(record_validate(r, &ve) == E_OK, "invalid record: %s: %s",
		    ve.field, ve.message);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = {NULL, "UTC", "+05:30",
					    "Europe/Paris"};
	static struct seen s;
	struct irc_opts o = {0};
	char name[256], channel[128];
	struct chat_skips sk;
	struct irc_parser *p;
	enum err_code rc = E_OK;
	const char *q, *end;
	int64_t n = 0;
	struct err e;

	fuzz_file_name(&data, &size, name, "#ops.log");
	o.file = chat_file_channel(name, channel, sizeof channel);
	o.channel = s.channel = channel;
	if (size < 1)
		return 0;
	if (data[0] & 1)
		o.date = 1700006400;
	o.zone = zones[(data[0] >> 1) & 3];
	o.drop_other = (data[0] >> 3) & 1;
	s.a = arena_new();
	s.n = 0;
	FUZZ_ASSERT(s.a, "oom");
	p = irc_new(&o, check, &s);
	FUZZ_ASSERT(p, "oom");
	err_clear(&e);
	q = (const char *)data + 1;
	end = (const char *)data + size;
	while (rc == E_OK && q < end) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		size_t len = nl ? (size_t)(nl - q) : (size_t)(end - q);
		rc = irc_line(p, q, len, &e);
		q += len + 1;
	}
	if (rc == E_OK)
		rc = irc_end(p, &sk, &n, &e);
	if (rc != E_OK)
		FUZZ_ASSERT(fuzz_names_file(e.message, o.file),
			    "message without the file: %s", e.message);
	else
		FUZZ_ASSERT(n > 0 || sk.others > 0, "success with nothing");
	irc_free(p);
	arena_free(s.a);
	return 0;
}
