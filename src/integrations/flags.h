/* flags.h: the state of feature flags, read from one configured source
 * (flags.source: a JSON or YAML file, or an http(s) URL answering JSON)
 * every flags.interval by a thread, so that a contingency row that names
 * a flag shows whether it is on. A source that is down or answers
 * garbage keeps the last good state, whose age is shown; the error is
 * kept beside it. One source per process (like the metrics), started by
 * `debrief serve`; without one every flag is unknown. */
#ifndef DEBRIEF_FLAGS_H
#define DEBRIEF_FLAGS_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct flag_state {
	int known;	    /* the source has the flag */
	char value[256];    /* its value as JSON text: true, "on", 50 */
	int64_t changed_at; /* when it last took this value (first seen) */
	int64_t read_at;    /* the last good read of the source; 0 never */
	int64_t error_at;   /* the last failed read after it; 0 none */
	char error[200];    /* what failed */
};

/* flags_start starts polling source every interval seconds (at least 1)
 * and reads it once before it returns, so that the first page has the
 * state. "" starts nothing. E_INVALID for a source that is neither an
 * http(s) URL nor a path. */
enum err_code flags_start(const char *source, long interval, struct err *e);
void flags_stop(void);

/* flags_get fills out with flag name's state (known 0 when the source
 * does not have it, or there is no source). Returns out->known. */
int flags_get(const char *name, struct flag_state *out);

/* flags_configured tells whether a source is configured. */
int flags_configured(void);

/* flags_generation grows whenever a flag's value or the source's health
 * changes (a cache key for pages that show flags). */
int64_t flags_generation(void);

/* flags_parse reads a source's text (JSON, or YAML when yaml) as an
 * object of flag name to value; calls fn for each. -1 (and a message in
 * err) when it is not one. Exposed for tests. */
int flags_parse(const char *text, size_t len, int yaml,
		void (*fn)(const char *name, const char *value_json, void *ctx),
		void *ctx, char *err, size_t errlen);

#endif
