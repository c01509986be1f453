/* timeutil.c: RFC 3339 parsing and formatting without the C library's
 * time-zone state (timegm-free arithmetic, so it is thread-safe). */
#include "util/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* days_from_civil: Howard Hinnant's algorithm, days since 1970-01-01. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y += *m <= 2;
}

/* digits reads exactly n decimal digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int parse_date_part(const char **p, int *y, int *mo, int *d)
{
	if (digits(p, 4, y) < 0 || **p != '-')
		return -1;
	(*p)++;
	if (digits(p, 2, mo) < 0 || **p != '-')
		return -1;
	(*p)++;
	if (digits(p, 2, d) < 0)
		return -1;
	if (*y < 1900 || *y > 9999 || *mo < 1 || *mo > 12 || *d < 1 ||
	    *d > days_in_month(*y, *mo))
		return -1;
	return 0;
}

int time_parse(const char *s, int64_t *out)
{
	return time_parse_ex(s, out, NULL);
}

int time_parse_ex(const char *s, int64_t *out, int *zone_given)
{
	const char *p = s;
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1, strict;
	int given = 1;

	if (!s)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (parse_date_part(&p, &y, &mo, &d) < 0)
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	strict = *p != ' ';
	p++;
	if (digits(&p, 2, &h) < 0 || *p != ':')
		return -1;
	p++;
	if (digits(&p, 2, &mi) < 0)
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec) < 0)
			return -1;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (digits(&p, 2, &oh) < 0 || *p != ':')
			return -1;
		p++;
		if (digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
	} else if (!strncmp(p, "UTC", 3)) {
		p += 3;
	} else {
		(void)strict; /* no zone: taken as UTC (form input) */
		given = 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -1;
	if (zone_given)
		*zone_given = given;
	if (sec == 60)
		sec = 59;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

int time_parse_date(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d;

	if (!s || parse_date_part(&p, &y, &mo, &d) < 0 || *p)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400;
	return 0;
}

static void split(int64_t t, int64_t *y, int *mo, int *d, int *h, int *mi,
		  int *s)
{
	int64_t days = t / 86400, rem = t % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem % 3600 / 60);
	*s = (int)(rem % 60);
}

void time_format(int64_t t, char out[TIME_BUF])
{
	int64_t y;
	int mo, d, h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, TIME_BUF, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y,
		 mo, d, h, mi, s);
}

void time_format_date(int64_t t, char out[TIME_BUF])
{
	int64_t y;
	int mo, d, h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, TIME_BUF, "%04lld-%02d-%02d", (long long)y, mo, d);
}

void time_format_human(int64_t t, char out[TIME_BUF])
{
	int64_t y;
	int mo, d, h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, TIME_BUF, "%04lld-%02d-%02d %02d:%02d UTC", (long long)y,
		 mo, d, h, mi);
}

void time_format_duration(int64_t seconds, char *out, size_t n)
{
	const char *sign = "";
	int64_t d, h, m;

	if (seconds < 0) {
		sign = "-";
		seconds = seconds == INT64_MIN ? INT64_MAX : -seconds;
	}
	d = seconds / 86400;
	h = seconds % 86400 / 3600;
	m = seconds % 3600 / 60;
	if (d)
		snprintf(out, n, "%s%lldd %lldh", sign, (long long)d, (long long)h);
	else if (h)
		snprintf(out, n, "%s%lldh %02lldm", sign, (long long)h, (long long)m);
	else if (m)
		snprintf(out, n, "%s%lldm", sign, (long long)m);
	else
		snprintf(out, n, "%s%llds", sign, (long long)seconds);
}

int64_t time_now(void)
{
	return (int64_t)time(NULL);
}
