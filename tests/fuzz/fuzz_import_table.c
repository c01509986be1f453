/* fuzz_import_table.c: libFuzzer target for the generic table parsers,
 * JSON Lines (jsonl.c) and CSV (csv.c). The first byte picks the parser,
 * the zone, and for CSV the size of the slices the input is fed in.
 *
 * Invariants: the parse ends in E_OK or an error that names the file;
 * every message has a key, microseconds in range, UTF-8 text and author,
 * and becomes a record that record_validate accepts (chat_msg_record:
 * a channel of any bytes made UTF-8); a success holds at least one
 * message.
 *
 * An input may name its file first (fuzz_file_name; else "general.tbl"):
 * the channel for rows without one and the file are made of it as
 * `debrief import` makes them (chat_file_channel). */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "importers/chat.h"
#include "importers/chat_import.h"
#include "model/record.h"
#include "util/arena.h"
#include "util/utf8.h"

static int check(void *ctx, const struct chat_msg *m, struct err *e)
{
	struct arena *a = ctx;
	struct record *r;
	struct err ve;

	(void)e;
	FUZZ_ASSERT(m->ts && strlen(m->ts) <= 64, "key %s", m->ts);
	FUZZ_ASSERT(m->at_us >= 0 && m->at_us <= 999999, "at_us %d", m->at_us);
	FUZZ_ASSERT(utf8_valid(m->text, strlen(m->text), NULL), "text UTF-8");
	FUZZ_ASSERT(!m->author || utf8_valid(m->author, strlen(m->author), NULL),
		    "author UTF-8");
	r = chat_msg_record(a, m);
	FUZZ_ASSERT(r, "oom");
	err_clear(&ve);
	FUZZ_ASSERT(record_validate(r, &ve) == E_OK, "invalid record: %s: %s",
		    ve.field, ve.message);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = {NULL, "+02:00"};
	struct table_opts o = {0};
	char name[256], channel[128];
	struct arena *a;
	enum err_code rc = E_OK;
	const char *in, *end;
	int64_t n = 0;
	struct err e;

	fuzz_file_name(&data, &size, name, "general.tbl");
	o.file = chat_file_channel(name, channel, sizeof channel);
	o.channel = channel;
	if (size < 1)
		return 0;
	in = (const char *)data + 1;
	end = (const char *)data + size;
	o.zone = zones[(data[0] >> 1) & 1];
	a = arena_new();
	FUZZ_ASSERT(a, "oom");
	err_clear(&e);
	if (data[0] & 1) {
		struct csv_parser *p = csv_new(&o, check, a);
		size_t slice = 1 + (data[0] >> 2);

		FUZZ_ASSERT(p, "oom");
		while (rc == E_OK && in < end) {
			size_t k = (size_t)(end - in) < slice ? (size_t)(end - in)
							     : slice;
			rc = csv_feed(p, in, k, &e);
			in += k;
		}
		if (rc == E_OK)
			rc = csv_end(p, &n, &e);
		csv_free(p);
	} else {
		struct jsonl_parser *p = jsonl_new(&o, check, a);

		FUZZ_ASSERT(p, "oom");
		while (rc == E_OK && in < end) {
			const char *nl = memchr(in, '\n', (size_t)(end - in));
			size_t len = nl ? (size_t)(nl - in) : (size_t)(end - in);
			rc = jsonl_line(p, in, len, &e);
			in += len + 1;
		}
		if (rc == E_OK)
			rc = jsonl_end(p, &n, &e);
		jsonl_free(p);
	}
	if (rc != E_OK)
		FUZZ_ASSERT(rc == E_NOMEM || fuzz_names_file(e.message, o.file),
			    "message without the file: %s", e.message);
	else
		FUZZ_ASSERT(n > 0, "success with nothing");
	arena_free(a);
	return 0;
}
