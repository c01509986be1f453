/* meeting.c: the def table of a review meeting and its cross-field rules
 * (end after start, a sane length, invitees that are names or valid
 * addresses, each once). */
#include "model/meeting.h"
#include "util/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const meeting_statuses[] = {"scheduled", "held",
					       "cancelled", NULL};

static const struct field_def meeting_fields[MEETING_NFIELDS] = {
	[MEETING_START] = {"start", "Start", FT_TIME, F_REQUIRED, NULL, 0, 0, 0,
			   "UTC, for example 2026-11-20 14:00", NULL},
	[MEETING_END] = {"end", "End", FT_TIME, F_REQUIRED, NULL, 0, 0, 0,
			 "UTC; or give duration_minutes", NULL},
	[MEETING_TIMEZONE] = {"timezone", "Time zone", FT_TEXT, F_REQUIRED,
			      NULL, 0, 0, 64,
			      "The invite's time zone, for example "
			      "Europe/Paris",
			      "UTC"},
	[MEETING_LOCATION] = {"location", "Location", FT_TEXT, 0, NULL, 0, 0,
			      500, "A room, or how to join", NULL},
	[MEETING_VIDEO_URL] = {"video_url", "Video link", FT_URL, 0, NULL, 0, 0,
			       2000, NULL, NULL},
	[MEETING_FACILITATOR] = {"facilitator", "Facilitator", FT_TEXT, 0, NULL,
				 0, 0, 200,
				 "Someone who was not involved", NULL},
	[MEETING_NOTE_TAKER] = {"note_taker", "Note taker", FT_TEXT, 0, NULL, 0,
				0, 200, "Not the facilitator", NULL},
	[MEETING_INVITEES] = {"invitees", "Invitees", FT_LIST, F_LIST_ALWAYS,
			      NULL, 0, MEETING_INVITEES_MAX, 320,
			      "Names, addresses or mailing lists, "
			      "comma-separated: everyone curious",
			      NULL},
	[MEETING_AGENDA] = {"agenda", "Agenda", FT_MARKDOWN, 0, NULL, 0, 0,
			    64 * 1024, NULL, NULL},
	[MEETING_NOTES_URL] = {"notes_url", "Notes link", FT_URL, 0, NULL, 0, 0,
			       2000, "Where the notes are kept", NULL},
	[MEETING_STATUS] = {"status", "Status", FT_ENUM, F_REQUIRED,
			    meeting_statuses, 0, 0, 0, NULL, "scheduled"},
	[MEETING_ATTENDED] = {"attended", "Attended", FT_LIST, F_LIST_ALWAYS,
			      NULL, 0, MEETING_INVITEES_MAX, 320,
			      "Invitees who came, and walk-ins", NULL},
	[MEETING_PARKING_LOT] = {"parking_lot", "Parking lot", FT_MARKDOWN, 0,
				 NULL, 0, 0, 64 * 1024,
				 "Tangents to come back to, one a line", NULL},
	[MEETING_NOTES] = {"notes", "Notes", FT_MARKDOWN, 0, NULL, 0, 0,
			   256 * 1024, NULL, NULL},
	[MEETING_FACILITATOR_WANTED] = {"facilitator_wanted",
					"Ask for a facilitator", FT_BOOL, 0,
					NULL, 0, 1, 0,
					"Listed on the calendar page until "
					"someone takes it",
					"false"},
};

int meeting_address_valid(const char *s)
{
	const char *at, *dot, *p;

	if (!s || !(at = strchr(s, '@')) || at == s || strchr(at + 1, '@'))
		return 0;
	for (p = s; *p; p++)
		if (isspace((unsigned char)*p) || *p == '<' || *p == '>' ||
		    *p == '"' || *p == ',' || *p == ';' || *p == ':' ||
		    (unsigned char)*p < 0x20)
			return 0;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] && !strstr(at + 1, "..");
}

int meeting_invitee(struct arena *a, const char *item, const char **name,
		    const char **address)
{
	const char *lt = strchr(item, '<'), *gt;

	*name = *address = NULL;
	if (lt) {
		const char *end = lt;

		gt = strchr(lt, '>');
		if (!gt || gt[1])
			return -1;
		while (end > item && isspace((unsigned char)end[-1]))
			end--;
		if (end > item)
			*name = arena_strndup(a, item, (size_t)(end - item));
		*address = arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
		return *address && meeting_address_valid(*address) ? 0 : -1;
	}
	if (strchr(item, '@')) {
		*address = item;
		return meeting_address_valid(item) ? 0 : -1;
	}
	if (strchr(item, '>'))
		return -1;
	*name = item;
	return 0;
}

struct record *meeting_replace(struct arena *a, const struct record *cur,
			       const struct record *given)
{
	struct record *m = cur ? record_copy(a, cur) : record_new(a, &meeting_def);
	const char *st;

	if (!m)
		return NULL;
	for (int f = 0; f < MEETING_NFIELDS; f++) {
		int scheduling = f <= MEETING_NOTES_URL;

		if (given->v[f].state != V_ABSENT)
			m->v[f] = given->v[f];
		else if (scheduling && f != MEETING_TIMEZONE)
			record_set_null(m, f);
		else if (f == MEETING_TIMEZONE)
			m->v[f].state = V_ABSENT; /* default: UTC */
	}
	/* a facilitator found ends the request for one */
	if (given->v[MEETING_FACILITATOR_WANTED].state == V_ABSENT &&
	    record_isset(m, MEETING_FACILITATOR))
		record_set_int(m, MEETING_FACILITATOR_WANTED, 0);
	st = record_str(m, MEETING_STATUS);
	if (given->v[MEETING_STATUS].state == V_ABSENT && st &&
	    !strcmp(st, "cancelled"))
		record_set_str(m, MEETING_STATUS, "scheduled");
	record_fill_defaults(a, m);
	return m;
}

int64_t meeting_minutes(const struct record *m)
{
	return (record_int(m, MEETING_END, 0) - record_int(m, MEETING_START, 0)) /
	       60;
}

/* zone_name_ok: the shape of an IANA zone name ("Europe/Paris", "UTC",
 * "America/Argentina/Buenos_Aires", "Etc/GMT+3"); whether the zone exists
 * is the edge's question (integrations/ical.h, ical_zone_known). */
static int zone_name_ok(const char *s)
{
	if (!s || !*s || *s == '/' || strstr(s, ".."))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("/_-+", *s))
			return 0;
	return 1;
}

static int by_text_nocase(const void *pa, const void *pb)
{
	return strcasecmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* check_invitees: every invitee a name or a valid address, each once
 * (ignoring case; sorted, so that thousands stay cheap). */
static void check_invitees(const struct record *m, struct field_errors *errs)
{
	const struct value *inv = &m->v[MEETING_INVITEES];
	struct arena *scratch;
	const char **sorted;

	if (inv->state != V_SET || !inv->nitems || !(scratch = arena_new()))
		return;
	for (size_t k = 0; k < inv->nitems; k++) {
		const char *name, *addr;

		if (meeting_invitee(scratch, inv->items[k], &name, &addr) < 0) {
			record_add_error(errs, "invitees",
					 "Invitee %zu, \"%.*s\", is not a "
					 "valid e-mail address",
					 k + 1, (int)utf8_cut(inv->items[k], 100),
					 inv->items[k]);
			goto done;
		}
	}
	sorted = arena_alloc(scratch, inv->nitems * sizeof *sorted);
	if (!sorted)
		goto done;
	memcpy(sorted, inv->items, inv->nitems * sizeof *sorted);
	qsort(sorted, inv->nitems, sizeof *sorted, by_text_nocase);
	for (size_t k = 1; k < inv->nitems; k++)
		if (!strcasecmp(sorted[k - 1], sorted[k])) {
			record_add_error(errs, "invitees",
					 "\"%.*s\" is invited twice",
					 (int)utf8_cut(sorted[k], 100), sorted[k]);
			break;
		}
done:
	arena_free(scratch);
}

static void check_meeting(const struct record *m, struct field_errors *errs)
{
	if (record_isset(m, MEETING_START) && record_isset(m, MEETING_END)) {
		int64_t s = record_int(m, MEETING_START, 0);
		int64_t e = record_int(m, MEETING_END, 0);

		if (e <= s)
			record_add_error(errs, "end",
					 "End must be after Start");
		else if (e - s > MEETING_MAX_MINUTES * 60LL)
			record_add_error(errs, "end",
					 "A meeting lasts at most %d hours",
					 MEETING_MAX_MINUTES / 60);
	}
	if (record_isset(m, MEETING_TIMEZONE) &&
	    !zone_name_ok(record_str(m, MEETING_TIMEZONE)))
		record_add_error(errs, "timezone",
				 "\"%.*s\" is not a time zone name: use one "
				 "like Europe/Paris or UTC",
				 (int)utf8_cut(record_str(m, MEETING_TIMEZONE), 64),
				 record_str(m, MEETING_TIMEZONE));
	check_invitees(m, errs);
}

void meeting_check_limits(const struct record *m, long max_invitees,
			  struct field_errors *errs)
{
	const struct value *inv = &m->v[MEETING_INVITEES];

	if (inv->state == V_SET && max_invitees > 0 &&
	    inv->nitems > (size_t)max_invitees)
		record_add_error(errs, "invitees",
				 "Too many invitees: at most %ld "
				 "(meeting_max_invitees), this has %zu; "
				 "invite a mailing list instead",
				 max_invitees, inv->nitems);
}

int64_t meeting_overdue_days(int64_t resolved_at, int64_t now, long days)
{
	int64_t past = now - (resolved_at + (int64_t)days * 86400);

	return past <= 0 ? 0 : past / 86400;
}

double meeting_lag_days(const struct record *m, int64_t resolved_at,
			int64_t now)
{
	const char *st = record_str(m, MEETING_STATUS);
	int64_t start = record_int(m, MEETING_START, 0);

	if (!resolved_at || (st && !strcmp(st, "cancelled")) || start > now ||
	    start < resolved_at)
		return -1;
	return (double)(start - resolved_at) / 86400.0;
}

static int by_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, by_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

size_t meeting_lag_months(const int64_t *resolved, const int64_t *met,
			  size_t n, double *lags,
			  struct meeting_lag_month *out)
{
	size_t months = 0, first = 0;

	for (size_t i = 0; i <= n; i++) {
		time_t t = i < n ? (time_t)resolved[i] : 0;
		struct tm tm;
		int y = 0, m = 0;

		if (i < n) {
			gmtime_r(&t, &tm);
			y = tm.tm_year + 1900;
			m = tm.tm_mon + 1;
			lags[i] = (double)(met[i] - resolved[i]) / 86400.0;
		}
		if (i > first &&
		    (i == n || y != out[months].year || m != out[months].month)) {
			out[months].median_days = median(lags + first, i - first);
			out[months].reviews = i - first;
			months++;
			first = i;
		}
		if (i < n && i == first) {
			out[months].year = y;
			out[months].month = m;
		}
	}
	return months;
}

int meeting_phases_parse(const char *text, struct meeting_phases *out,
			 char *why, size_t whylen)
{
	const char *p = text ? text : "";
	int rest = 0;

	memset(out, 0, sizeof *out);
	while (*p) {
		struct meeting_phase *ph = &out->p[out->n];
		const char *colon = strchr(p, ':'), *comma;
		size_t len;
		char *end;
		long m;

		while (*p == ' ')
			p++;
		if (out->n == MEETING_PHASES_MAX) {
			snprintf(why, whylen, "at most %d phases",
				 MEETING_PHASES_MAX);
			return -1;
		}
		len = colon ? (size_t)(colon - p) : 0;
		if (!colon || !len || len >= sizeof ph->name) {
			snprintf(why, whylen,
				 "expected name:minutes items such as %s",
				 MEETING_PHASES_DEFAULT);
			return -1;
		}
		for (size_t k = 0; k < len; k++)
			if (!isalnum((unsigned char)p[k]) && p[k] != '-' &&
			    p[k] != '_') {
				snprintf(why, whylen,
					 "a phase name is letters, digits, '-' "
					 "and '_'");
				return -1;
			}
		memcpy(ph->name, p, len);
		comma = strchr(colon, ',');
		if (colon[1] == '*' && (colon[2] == ',' || !colon[2] ||
					colon[2] == ' ')) {
			if (rest++) {
				snprintf(why, whylen,
					 "only one phase may take the rest "
					 "(\"*\")");
				return -1;
			}
			ph->minutes = -1;
		} else {
			m = strtol(colon + 1, &end, 10);
			while (*end == ' ')
				end++;
			if (end == colon + 1 || (*end && *end != ',') || m < 1 ||
			    m > MEETING_MAX_MINUTES) {
				snprintf(why, whylen,
					 "phase %s: minutes must be 1 to %d or "
					 "*",
					 ph->name, MEETING_MAX_MINUTES);
				return -1;
			}
			ph->minutes = (int)m;
		}
		out->n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (!out->n) {
		snprintf(why, whylen, "no phase given");
		return -1;
	}
	return 0;
}

int meeting_phases_fit(const struct meeting_phases *ph, int64_t total,
		       int minutes[MEETING_PHASES_MAX], char *why,
		       size_t whylen)
{
	int64_t fixed = 0;
	int rest = -1;

	for (size_t k = 0; k < ph->n; k++) {
		minutes[k] = ph->p[k].minutes < 0 ? 0 : ph->p[k].minutes;
		if (ph->p[k].minutes < 0)
			rest = (int)k;
		else
			fixed += ph->p[k].minutes;
	}
	if (rest >= 0 && fixed <= total) {
		minutes[rest] = (int)(total - fixed);
		return 0;
	}
	if (rest < 0 && fixed == total)
		return 0;
	snprintf(why, whylen,
		 "The phases (%s) take %lld minutes%s; this meeting has %lld",
		 ph->n ? ph->p[0].name : "", (long long)fixed,
		 rest >= 0 ? " before the rest" : "", (long long)total);
	return -1;
}

const char *meeting_phase_prompts(const char *name)
{
	static const struct {
		const char *name, *prompts;
	} known[] = {
		{"intro", "We are here to learn, not to blame.\n"
			  "Who is facilitating, who is taking notes.\n"
			  "Tangents go to the parking lot."},
		{"timeline", "What are we missing?\n"
			     "Does everyone agree this is the order?\n"
			     "What made this action make sense at the time?"},
		{"questions", "What surprised you?\n"
			      "What was difficult?\n"
			      "What do we still not understand?"},
		{"follow-ups", "What would help next time?\n"
			       "Who owns each follow-up, and by when?\n"
			       "Which parking-lot items become follow-ups?"},
	};

	for (size_t k = 0; name && k < sizeof known / sizeof known[0]; k++)
		if (!strcmp(known[k].name, name))
			return known[k].prompts;
	return "";
}

const struct record_def meeting_def = {
	"meeting", "meetings", "meetings", meeting_fields, MEETING_NFIELDS,
	check_meeting, MEETING_START, .variants = NULL,
};
