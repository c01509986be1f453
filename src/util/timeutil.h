/* timeutil.h: times are int64 seconds since the Unix epoch, always UTC. */
#ifndef DEBRIEF_TIMEUTIL_H
#define DEBRIEF_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_BUF 32

/* time_parse accepts RFC 3339 ("2026-11-20T10:04:05Z", "...+01:00",
 * fractional seconds dropped) and, for forms, "YYYY-MM-DD HH:MM[:SS]" or
 * "YYYY-MM-DDTHH:MM" taken as UTC. Returns 0, or -1 when s is not a valid
 * time (including out-of-range fields such as month 13 or Feb 30). */
int time_parse(const char *s, int64_t *out);
/* time_parse_ex is time_parse that also tells (zone_given, may be NULL)
 * whether s named its zone ("Z", "UTC" or an offset): a time typed
 * without one is a wall-clock time that tz_parse (tz.h) reads in the
 * person's zone. */
int time_parse_ex(const char *s, int64_t *out, int *zone_given);

/* time_parse_date accepts "YYYY-MM-DD"; the result is midnight UTC. */
int time_parse_date(const char *s, int64_t *out);

/* time_format writes "2026-11-20T10:04:05Z" into out (TIME_BUF bytes). */
void time_format(int64_t t, char out[TIME_BUF]);

/* time_format_date writes "2026-11-20". */
void time_format_date(int64_t t, char out[TIME_BUF]);

/* time_format_human writes "2026-11-20 10:04 UTC". */
void time_format_human(int64_t t, char out[TIME_BUF]);

/* time_format_duration writes a span such as "2d 3h", "1h 05m", "42m",
 * "30s"; a negative span gets a leading '-'. */
void time_format_duration(int64_t seconds, char *out, size_t n);

int64_t time_now(void);

#endif
