/* tz.c: named time zones from TZif files (RFC 8536): the 64-bit
 * transitions of a version 2+ file, and past the last of them the POSIX
 * TZ rule of its footer ("CET-1CEST,M3.5.0,M10.5.0/3"). Zones are loaded
 * on first use and kept in a small table for the life of the process;
 * a loaded zone never changes, so readers need no lock once they hold
 * it. See tz.h. */
#include "util/tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_MAX_ZONES 1024 /* more than the database has outside posix/, right/ */
#define TZ_MAX_FILE  (256 * 1024)
#define TZ_ABBR_MAX  16

struct tz_type {
	int32_t off;
	int isdst;
	char abbr[TZ_ABBR_MAX];
};

/* The footer's rule: std (and dst with its change dates) */
struct tz_rule_date {
	char kind;	  /* 'M' month.week.day, 'J' 1-365 without Feb 29, 'n' 0-365 */
	int m, w, d;	  /* for 'M'; d is the day for 'J' and 'n' */
	int32_t secs;	  /* local time of day of the change */
};

struct tz_rule {
	int have;	  /* a footer rule was read */
	int has_dst;
	struct tz_type std, dst;
	struct tz_rule_date start, end;
};

struct tz {
	char name[TZ_NAME_MAX + 1];
	int utc;
	size_t ntrans, ntypes;
	int64_t *trans;
	unsigned char *idx;
	struct tz_type *types;
	struct tz_rule rule;
};

static struct tz utc_zone = {
	.name = "UTC",
	.utc = 1,
	.rule = {.have = 1, .std = {.off = 0, .abbr = "UTC"}},
};

static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *zones[TZ_MAX_ZONES];
static size_t nzones;

int tz_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > TZ_NAME_MAX || name[0] == '/' || strstr(name, "..") ||
	    strstr(name, "//"))
		return 0;
	/* copies of every zone (right/ with leap seconds, which our times
	 * do not count): refused, so that the table of loaded zones can
	 * hold every name there is */
	if (!strncmp(name, "posix/", 6) || !strncmp(name, "right/", 6))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '_' ||
		      c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* --- the POSIX TZ rule of the footer --- */

static const char *rule_name(const char *p, char out[TZ_ABBR_MAX])
{
	size_t n = 0;

	if (*p == '<') {
		p++;
		while (*p && *p != '>' && n + 1 < TZ_ABBR_MAX)
			out[n++] = *p++;
		if (*p != '>')
			return NULL;
		p++;
	} else {
		while (((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) &&
		       n + 1 < TZ_ABBR_MAX)
			out[n++] = *p++;
	}
	out[n] = '\0';
	return n >= 1 ? p : NULL;
}

/* rule_hms reads [+-]hh[:mm[:ss]] into seconds (hours up to 167). */
static const char *rule_hms(const char *p, int32_t *out)
{
	int sign = 1, part[3] = {0, 0, 0};

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (int k = 0; k < 3; k++) {
		int digits = 0;

		if (k && *p != ':')
			break;
		if (k)
			p++;
		while (*p >= '0' && *p <= '9' && digits < 3) {
			part[k] = part[k] * 10 + (*p++ - '0');
			digits++;
		}
		if (!digits)
			return NULL;
	}
	if (part[0] > 167 || part[1] > 59 || part[2] > 59)
		return NULL;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return p;
}

static const char *rule_num(const char *p, int *out)
{
	int v = 0, digits = 0;

	while (*p >= '0' && *p <= '9' && digits < 4) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	*out = v;
	return digits ? p : NULL;
}

static const char *rule_date(const char *p, struct tz_rule_date *d)
{
	d->secs = 2 * 3600;
	if (*p == 'M') {
		d->kind = 'M';
		if (!(p = rule_num(p + 1, &d->m)) || *p++ != '.' ||
		    !(p = rule_num(p, &d->w)) || *p++ != '.' ||
		    !(p = rule_num(p, &d->d)))
			return NULL;
		if (d->m < 1 || d->m > 12 || d->w < 1 || d->w > 5 || d->d > 6)
			return NULL;
	} else if (*p == 'J') {
		d->kind = 'J';
		if (!(p = rule_num(p + 1, &d->d)) || d->d < 1 || d->d > 365)
			return NULL;
	} else {
		d->kind = 'n';
		if (!(p = rule_num(p, &d->d)) || d->d > 365)
			return NULL;
	}
	if (*p == '/' && !(p = rule_hms(p + 1, &d->secs)))
		return NULL;
	return p;
}

/* rule_parse reads a POSIX TZ string; returns 0, or -1 when it is not
 * one (the zone then ends at its last transition). */
static int rule_parse(const char *s, struct tz_rule *r)
{
	const char *p = s;
	int32_t off;

	memset(r, 0, sizeof *r);
	if (!(p = rule_name(p, r->std.abbr)) || !(p = rule_hms(p, &off)))
		return -1;
	r->std.off = -off; /* POSIX counts west of Greenwich */
	r->have = 1;
	if (!*p)
		return 0;
	if (!(p = rule_name(p, r->dst.abbr)))
		return -1;
	r->dst.off = r->std.off + 3600;
	r->dst.isdst = 1;
	if (*p && *p != ',') {
		if (!(p = rule_hms(p, &off)))
			return -1;
		r->dst.off = -off;
	}
	if (*p != ',' || !(p = rule_date(p + 1, &r->start)) || *p != ',' ||
	    !(p = rule_date(p + 1, &r->end)) || *p)
		return -1;
	r->has_dst = 1;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* days_from_civil: days since 1970-01-01 (as in timeutil.c). */
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

static int64_t year_of(int64_t t)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468, era, doe, yoe,
		doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return yoe + era * 400 + (mp >= 10);
}

/* change_at is the UTC time of the change d in year y, made while the
 * clock showed offset off. */
static int64_t change_at(const struct tz_rule_date *d, int64_t y, int32_t off)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int64_t day;

	if (d->kind == 'J') {
		day = days_from_civil(y, 1, 1) + d->d - 1;
		if (is_leap(y) && d->d >= 60)
			day++;
	} else if (d->kind == 'n') {
		day = days_from_civil(y, 1, 1) + d->d;
	} else {
		int64_t first = days_from_civil(y, d->m, 1);
		int wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01: Thu */
		int len = mdays[d->m - 1] + (d->m == 2 && is_leap(y));
		int mday = 1 + (d->d - wday + 7) % 7 + (d->w - 1) * 7;

		while (mday > len)
			mday -= 7;
		day = first + mday - 1;
	}
	return day * 86400 + d->secs - off;
}

static const struct tz_type *rule_type(const struct tz_rule *r, int64_t t)
{
	int64_t y, start, end;

	if (!r->has_dst)
		return &r->std;
	y = year_of(t);
	start = change_at(&r->start, y, r->std.off);
	end = change_at(&r->end, y, r->dst.off);
	if (start < end)
		return t >= start && t < end ? &r->dst : &r->std;
	return t >= end && t < start ? &r->std : &r->dst;
}

/* --- TZif files --- */

/* tzif_parse reads a TZif file of n bytes into z; -1 when it is not one. */
static int tzif_parse(const unsigned char *p, size_t n, struct tz *z)
{
	const unsigned char *h = p, *d, *end = p + n;
	int64_t cnt[6];
	size_t tsize = 4, len;

	if (n < 44 || memcmp(p, "TZif", 4))
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 6; i++)
			cnt[i] = be(h + 20 + 4 * i, 4);
		for (int i = 0; i < 6; i++)
			if (cnt[i] < 0 || cnt[i] > 100000)
				return -1;
		/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
		len = (size_t)cnt[3] * tsize + (size_t)cnt[3] +
		      (size_t)cnt[4] * 6 + (size_t)cnt[5] +
		      (size_t)cnt[2] * (tsize + 4) + (size_t)cnt[1] +
		      (size_t)cnt[0];
		if ((size_t)(end - h) < 44 + len || cnt[4] < 1 || cnt[4] > 256)
			return -1;
		if (pass == 0 && h[4] >= '2') {
			h += 44 + len; /* the 64-bit copy follows */
			tsize = 8;
			if ((size_t)(end - h) < 44 || memcmp(h, "TZif", 4))
				return -1;
			continue;
		}
		break;
	}
	d = h + 44;
	z->ntrans = (size_t)cnt[3];
	z->ntypes = (size_t)cnt[4];
	z->trans = calloc(z->ntrans + 1, sizeof *z->trans);
	z->idx = calloc(z->ntrans + 1, 1);
	z->types = calloc(z->ntypes, sizeof *z->types);
	if (!z->trans || !z->idx || !z->types)
		return -1;
	for (size_t i = 0; i < z->ntrans; i++)
		z->trans[i] = be(d + i * tsize, (int)tsize);
	d += z->ntrans * tsize;
	for (size_t i = 0; i < z->ntrans; i++) {
		z->idx[i] = d[i];
		if (d[i] >= z->ntypes)
			return -1;
	}
	d += z->ntrans;
	{
		const unsigned char *chars = d + z->ntypes * 6;
		size_t nchars = (size_t)cnt[5];

		for (size_t i = 0; i < z->ntypes; i++) {
			const unsigned char *t = d + i * 6;
			size_t a = t[5], k = 0;

			z->types[i].off = (int32_t)be(t, 4);
			z->types[i].isdst = t[4];
			if (z->types[i].off < -26 * 3600 ||
			    z->types[i].off > 26 * 3600 || a >= nchars)
				return -1;
			while (a + k < nchars && chars[a + k] &&
			       k + 1 < TZ_ABBR_MAX) {
				z->types[i].abbr[k] = (char)chars[a + k];
				k++;
			}
		}
		d = chars + nchars;
	}
	d += (size_t)cnt[2] * (tsize + 4) + (size_t)cnt[1] + (size_t)cnt[0];
	/* the footer of a version 2+ file: "\nTZ\n" */
	if (tsize == 8 && d < end && *d == '\n') {
		const unsigned char *nl = memchr(d + 1, '\n', (size_t)(end - d - 1));
		char tzs[128];

		if (nl && (size_t)(nl - d - 1) < sizeof tzs) {
			memcpy(tzs, d + 1, (size_t)(nl - d - 1));
			tzs[nl - d - 1] = '\0';
			if (tzs[0] && rule_parse(tzs, &z->rule) < 0)
				z->rule.have = 0;
		}
	}
	return 0;
}

static void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->trans);
	free(z->idx);
	free(z->types);
	free(z);
}

const char *tz_dir(void)
{
	const char *dir = getenv("TZDIR");

	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

static struct tz *tz_load(const char *name)
{
	const char *dir = tz_dir();
	char path[512];
	unsigned char *data = NULL;
	size_t n = 0;
	struct tz *z;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	data = malloc(TZ_MAX_FILE);
	if (data)
		n = fread(data, 1, TZ_MAX_FILE, f);
	fclose(f);
	z = calloc(1, sizeof *z);
	if (!data || !z || n == TZ_MAX_FILE || tzif_parse(data, n, z) < 0) {
		free(data);
		tz_free(z);
		return NULL;
	}
	free(data);
	snprintf(z->name, sizeof z->name, "%s", name);
	z->utc = z->ntypes == 1 && z->types[0].off == 0 &&
		 (!z->rule.have || (!z->rule.has_dst && !z->rule.std.off));
	return z;
}

const struct tz *tz_utc(void)
{
	return &utc_zone;
}

const struct tz *tz_get(const char *name)
{
	struct tz *z = NULL;

	if (!tz_name_ok(name))
		return NULL;
	if (!strcmp(name, "UTC"))
		return &utc_zone;
	pthread_mutex_lock(&zones_lock);
	for (size_t i = 0; i < nzones; i++)
		if (!strcmp(zones[i]->name, name)) {
			z = zones[i];
			break;
		}
	if (!z && nzones < TZ_MAX_ZONES && (z = tz_load(name)))
		zones[nzones++] = z;
	pthread_mutex_unlock(&zones_lock);
	return z;
}

const char *tz_name(const struct tz *z)
{
	return z ? z->name : "UTC";
}

int tz_is_utc(const struct tz *z)
{
	return !z || z->utc;
}

static const struct tz_type *type_at(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi;

	if (!z || z->utc)
		return &utc_zone.rule.std;
	if (!z->ntrans)
		return z->rule.have ? rule_type(&z->rule, t) : &z->types[0];
	if (t < z->trans[0])
		return &z->types[0]; /* before the first change (RFC 8536) */
	if (t >= z->trans[z->ntrans - 1] && z->rule.have)
		return rule_type(&z->rule, t);
	hi = z->ntrans;
	while (hi - lo > 1) { /* trans[lo] <= t < trans[hi] */
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &z->types[z->idx[lo]];
}

int32_t tz_offset(const struct tz *z, int64_t t, const char **abbr)
{
	const struct tz_type *ty = type_at(z, t);

	if (abbr)
		*abbr = ty->abbr;
	return ty->off;
}

int64_t tz_from_local(const struct tz *z, int64_t local)
{
	int32_t before, after;
	int64_t best = 0;
	int found = 0;

	if (tz_is_utc(z))
		return local;
	/* the offsets in force a day either side: one of them is right */
	before = tz_offset(z, local - 86400, NULL);
	after = tz_offset(z, local + 86400, NULL);
	for (int k = 0; k < 2; k++) {
		int32_t off = k ? after : before;
		int64_t t = local - off;

		if (tz_offset(z, t, NULL) == off && (!found || t < best)) {
			best = t;
			found = 1;
		}
	}
	return found ? best : local - before;
}

int tz_parse(const struct tz *z, const char *s, int64_t *out)
{
	int given = 1;

	if (time_parse_ex(s, out, &given) < 0)
		return -1;
	if (!given)
		*out = tz_from_local(z, *out);
	return 0;
}

/* put writes v as n digits at p. */
static char *put(char *p, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* tz_format_human is on the path of every page (each time of a page is
 * written for its reader, personal.c), so it writes its digits itself. */
void tz_format_human(const struct tz *z, int64_t t, char out[TIME_BUF])
{
	const char *abbr;
	int64_t local = t + tz_offset(z, t, &abbr);
	int64_t days = local / 86400, rem = local % 86400, y;
	int64_t era, doe, yoe, doy, mp;
	int m, d;
	char *p = out;
	size_t n;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	days += 719468; /* civil_from_days, as in timeutil.c */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y = yoe + era * 400 + (m <= 2);
	if (y < 0 || y > 9999) {
		char iso[TIME_BUF];

		time_format(local, iso);
		snprintf(out, TIME_BUF, "%.16s %.10s", iso, abbr);
		return;
	}
	p = put(p, y, 4);
	*p++ = '-';
	p = put(p, m, 2);
	*p++ = '-';
	p = put(p, d, 2);
	*p++ = ' ';
	p = put(p, rem / 3600, 2);
	*p++ = ':';
	p = put(p, rem % 3600 / 60, 2);
	*p++ = ' ';
	n = strnlen(abbr, TIME_BUF - (size_t)(p - out) - 1);
	memcpy(p, abbr, n);
	p[n] = '\0';
}

void tz_format_input(const struct tz *z, int64_t t, char out[TIME_BUF])
{
	int32_t off = tz_offset(z, t, NULL);
	char iso[TIME_BUF];

	time_format(t + off, iso);
	iso[10] = ' ';
	iso[19] = '\0'; /* drop the Z */
	if (!strcmp(iso + 16, ":00"))
		iso[16] = '\0';
	/* the second time of an hour that happens twice (clocks going
	 * back) names its offset, so that reading it back gives t again */
	if (tz_from_local(z, t + off) != t)
		snprintf(out, TIME_BUF, "%.19s %c%02d:%02d", iso,
			 off < 0 ? '-' : '+', (off < 0 ? -off : off) / 3600,
			 (off < 0 ? -off : off) / 60 % 60);
	else
		snprintf(out, TIME_BUF, "%s", iso);
}
