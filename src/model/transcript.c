/* transcript.c: the def table of a chat transcript message (see
 * transcript.h) and the one rule for its text. */
#include "model/transcript.h"

#include <string.h>

#include "util/utf8.h"

static const char *const transcript_kinds[] = {"message", "other", NULL};

static const struct field_def transcript_fields[TR_NFIELDS] = {
	[TR_CHANNEL] = {"channel", "Channel", FT_TEXT, F_REQUIRED, NULL, 0, 0,
			200, NULL, NULL},
	[TR_TS] = {"ts", "Message key", FT_TEXT, F_REQUIRED, NULL, 0, 0, 64,
		   NULL, NULL},
	[TR_AT] = {"at", "Time", FT_TIME, F_REQUIRED, NULL, 0, 0, 0, "UTC",
		   NULL},
	[TR_AT_US] = {"at_us", "Microseconds", FT_INT, 0, NULL, 0, 999999, 0,
		      NULL, "0"},
	[TR_AUTHOR] = {"author", "Author", FT_TEXT, 0, NULL, 0, 0, 200, NULL,
		       NULL},
	[TR_TEXT] = {"text", "Text", FT_MARKDOWN, 0, NULL, 0, 0,
		     TRANSCRIPT_TEXT_MAX, NULL, NULL},
	[TR_KIND] = {"kind", "Kind", FT_ENUM, F_REQUIRED, transcript_kinds, 0,
		     0, 0, NULL, "message"},
	[TR_THREAD_TS] = {"thread_ts", "Thread", FT_TEXT, 0, NULL, 0, 0, 64,
			  NULL, NULL},
	[TR_EDITED] = {"edited", "Edited", FT_BOOL, 0, NULL, 0, 1, 0, NULL,
		       "false"},
	[TR_SOURCE] = {"source", "Source", FT_TEXT, 0, NULL, 0, 0, 1000, NULL,
		       NULL},
};

const struct record_def transcript_def = {
	"transcript message", "transcript_messages", "transcripts",
	transcript_fields, TR_NFIELDS, NULL, TR_AT, .parent_variants = 0,
};

char *transcript_text_fix(struct arena *a, const char *s, size_t n)
{
	char *out;
	size_t j = 0;

	if (n > TRANSCRIPT_TEXT_MAX) {
		n = TRANSCRIPT_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (!(out = arena_alloc(a, n + 1)))
		return NULL;
	/* runs of kept bytes are copied whole; printable ASCII is found 8
	 * bytes at a time */
	for (size_t i = 0, start = 0;;) {
		unsigned char c;

		while (n - i >= 8 && utf8_printable8(s + i))
			i += 8;
		if (i == n) {
			memcpy(out + j, s + start, i - start);
			j += i - start;
			break;
		}
		c = (unsigned char)s[i++];
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			memcpy(out + j, s + start, i - 1 - start);
			j += i - 1 - start;
			start = i;
		}
	}
	out[j] = '\0';
	return out;
}
