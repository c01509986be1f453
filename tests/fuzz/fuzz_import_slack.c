/* fuzz_import_slack.c: libFuzzer target for the Slack export parser
 * (slack.c). The input is split at its first NUL byte: what comes before
 * is read as users.json, the rest as one channel's day file (without a
 * NUL, the whole input is the day file, after fixed users and channels).
 * slack_day_name and slack_meta_name see the input as a path too.
 *
 * Invariants: a refused file is E_INVALID (or E_NOMEM) naming the file;
 * every message has a key of at most 64 bytes, microseconds in range,
 * UTF-8 text and author, and becomes a record that record_validate
 * accepts (chat_msg_record).
 *
 * An input may name its day file first (fuzz_file_name): when
 * slack_day_name takes the name for a day file, as an export's reader
 * does, the file is read under it and in its channel (else as
 * "ops/2026-01-01.json"); every message is in that channel and its
 * source is the name and the message's ts. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "importers/chat.h"
#include "importers/chat_import.h"
#include "model/record.h"
#include "util/arena.h"
#include "util/utf8.h"

static const char users[] =
	"[{\"id\":\"U1\",\"name\":\"alice\"},{\"id\":\"U2\",\"profile\":"
	"{\"display_name\":\"Bob\"}}]";
static const char channels[] = "[{\"id\":\"C1\",\"name\":\"ops\"}]";

static const char *day_channel, *day_path;

static int check(void *ctx, const struct chat_msg *m, struct err *e)
{
	struct arena *a = ctx;
	size_t pl = strlen(day_path);
	struct record *r;
	struct err ve;

	(void)e;
	FUZZ_ASSERT(m->ts && strlen(m->ts) <= 64, "key %s", m->ts);
	FUZZ_ASSERT(m->at_us >= 0 && m->at_us <= 999999, "at_us %d", m->at_us);
	FUZZ_ASSERT(utf8_valid(m->text, strlen(m->text), NULL), "text UTF-8");
	FUZZ_ASSERT(!m->author || utf8_valid(m->author, strlen(m->author), NULL),
		    "author UTF-8");
	FUZZ_ASSERT(!strcmp(m->channel, day_channel), "channel %s", m->channel);
	FUZZ_ASSERT(m->source && !strncmp(m->source, day_path, pl) &&
			    m->source[pl] == '#' &&
			    !strcmp(m->source + pl + 1, m->ts),
		    "source %s", m->source);
	r = chat_msg_record(a, m);
	FUZZ_ASSERT(r, "oom");
	err_clear(&ve);
	FUZZ_ASSERT(record_validate(r, &ve) == E_OK, "invalid record: %s: %s",
		    ve.field, ve.message);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *nul = memchr(in, '\0', size);
	struct arena *a = arena_new();
	struct slack_parser *p;
	char path[128], ch[64], name[256], day_ch[256];
	enum err_code rc;
	struct err e;

	FUZZ_ASSERT(a, "oom");
	fuzz_file_name(&data, &size, name, "ops/2026-01-01.json");
	in = (const char *)data;
	nul = memchr(in, '\0', size);
	if (!slack_day_name(name, day_ch, sizeof day_ch)) {
		snprintf(name, sizeof name, "ops/2026-01-01.json");
		snprintf(day_ch, sizeof day_ch, "ops");
	}
	day_path = name;
	day_channel = day_ch;
	p = slack_new("fuzz.zip", check, a);
	FUZZ_ASSERT(p, "oom");
	err_clear(&e);
	if (nul) {
		rc = slack_meta(p, "users.json", in, (size_t)(nul - in), &e);
		if (rc != E_OK)
			FUZZ_ASSERT(strstr(e.message, "fuzz.zip") &&
					    strstr(e.message, "users.json"),
				    "meta message: %s", e.message);
		size -= (size_t)(nul - in) + 1;
		in = nul + 1;
	} else {
		FUZZ_ASSERT(slack_meta(p, "users.json", users, strlen(users),
				       &e) == E_OK,
			    "users");
		FUZZ_ASSERT(slack_meta(p, "channels.json", channels,
				       strlen(channels), &e) == E_OK,
			    "channels");
	}
	rc = slack_day(p, day_ch, name, in, size, &e);
	if (rc != E_OK)
		FUZZ_ASSERT((rc == E_INVALID || rc == E_NOMEM) &&
				    fuzz_names_file(e.message, name),
			    "day message: %s", e.message);
	slack_free(p);
	arena_free(a);
	if (size < sizeof path) {
		memcpy(path, in, size);
		path[size] = '\0';
		if (slack_day_name(path, ch, sizeof ch))
			FUZZ_ASSERT(strlen(ch) > 0 && !strchr(ch, '/'),
				    "channel %s", ch);
		(void)slack_meta_name(path);
	}
	return 0;
}
