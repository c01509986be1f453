/* tz.h: named time zones ("Europe/Berlin") read from the system's tz
 * database (TZif files under /usr/share/zoneinfo, or $TZDIR), without
 * the C library's global zone state, so that each request may use its
 * own zone from any thread. Times stay int64 UTC seconds everywhere
 * (timeutil.h); a zone only turns them into wall-clock text and back. */
#ifndef DEBRIEF_TZ_H
#define DEBRIEF_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "util/timeutil.h"

#define TZ_NAME_MAX 64

struct tz;

/* tz_get returns the zone of that name (loaded once and kept for the
 * life of the process; safe from any thread), or NULL when the name is
 * malformed (see tz_name_ok) or the tz database has no such zone. "UTC"
 * always exists, with or without the database. */
const struct tz *tz_get(const char *name);
/* tz_dir is where the tz database is read from: $TZDIR, else
 * /usr/share/zoneinfo. */
const char *tz_dir(void);
/* tz_utc is the zone "UTC". */
const struct tz *tz_utc(void);
/* tz_name is the name z was asked for by ("Europe/Berlin"). */
const char *tz_name(const struct tz *z);
/* tz_is_utc: z keeps every time at offset 0 (UTC, Etc/UTC, ...). */
int tz_is_utc(const struct tz *z);
/* tz_name_ok tells whether name may name a zone at all: 1 to 64 of
 * A-Z a-z 0-9 / _ + -, not starting with '/', no "..": never a path out
 * of the database; not under posix/ or right/ (copies of the zones). */
int tz_name_ok(const char *name);

/* tz_offset is the offset from UTC in seconds of zone z at time t (east
 * positive: +3600 for CET), and its abbreviation ("CET", "CEST", "+0530")
 * in abbr when not NULL (static, lives as long as z). */
int32_t tz_offset(const struct tz *z, int64_t t, const char **abbr);
/* tz_from_local turns a wall-clock time in z (seconds as if it were UTC)
 * into UTC. A time that happens twice (clocks going back) is the first;
 * a time that never happens (clocks going forward) is read with the
 * offset before the change, so 02:30 becomes 03:30 summer time. */
int64_t tz_from_local(const struct tz *z, int64_t local);
/* tz_parse reads s as time_parse does; a time without a zone is a
 * wall-clock time in z (NULL: UTC). Returns 0 or -1. */
int tz_parse(const struct tz *z, const char *s, int64_t *out);

/* tz_format_human writes "2026-11-20 11:04 CET": t in z (NULL: UTC). */
void tz_format_human(const struct tz *z, int64_t t, char out[TIME_BUF]);
/* tz_format_input writes t in z as people type it: "2026-11-20 11:04",
 * with ":SS" only when there are seconds, and with its offset ("2026-10-25
 * 02:30 +01:00") only when the wall-clock time happens twice and t is the
 * second: tz_parse of the text always gives t back. */
void tz_format_input(const struct tz *z, int64_t t, char out[TIME_BUF]);

#endif
