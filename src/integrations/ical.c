/* ical.c: review meetings as iCalendar, through libical (see ical.h).
 * libical builds the components and folds, escapes and serialises them;
 * this file only decides what goes in. */
#include "integrations/ical.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model/meeting.h"
#include "util/buf.h"

#define PRODID "-//debrief//review meetings//EN"

/* zone_for gives the zone of tzid: UTC, a builtin (system) zone, or NULL. */
static icaltimezone *zone_for(const char *tzid)
{
	if (!tzid || !strcmp(tzid, "UTC") || !strcmp(tzid, "Etc/UTC"))
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(tzid);
}

void ical_site_from_config(const struct config *cfg, struct ical_site *site,
			   char *host, size_t hostlen)
{
	config_public_host(cfg, host, hostlen);
	site->host = host;
	site->organizer = cfg->meeting_organizer[0] ? cfg->meeting_organizer
						    : NULL;
}

const char *ical_review_url(struct arena *a, const struct config *cfg,
			    const char *host, int64_t review_id)
{
	const char *pub = cfg->public_url;
	size_t n = strlen(pub);

	if (n)
		return arena_printf(a, "%.*s/reviews/%lld",
				    (int)(pub[n - 1] == '/' ? n - 1 : n), pub,
				    (long long)review_id);
	return arena_printf(a, "http://%s/reviews/%lld",
			    host && *host && !strpbrk(host, "/\\ \"<>")
				    ? host
				    : "localhost",
			    (long long)review_id);
}

int ical_zone_known(const char *tzid)
{
	return tzid && *tzid && zone_for(tzid) != NULL;
}

enum err_code ical_meeting_check(const struct record *m, long max_invitees,
				 struct err *e)
{
	struct field_errors errs = {0};

	record_validate_all(m, &errs);
	meeting_check_limits(m, max_invitees, &errs);
	if (record_isset(m, MEETING_TIMEZONE) && !errs.n &&
	    !ical_zone_known(record_str(m, MEETING_TIMEZONE)))
		record_add_error(&errs, "timezone",
				 "Unknown time zone \"%.64s\": use a name like "
				 "Europe/Paris, America/New_York or UTC",
				 record_str(m, MEETING_TIMEZONE));
	if (!errs.n)
		return E_OK;
	*e = errs.items[0];
	return E_INVALID;
}

const char *ical_meeting_uid(struct arena *a, const struct ical_site *site,
			     int64_t meeting_id)
{
	return arena_printf(a, "meeting-%lld@%s", (long long)meeting_id,
			    site->host && *site->host ? site->host
						      : "debrief.invalid");
}

/* add_time adds DTSTART or DTEND: the instant t in zone z, with TZID
 * unless z is UTC (then the time ends in Z). */
static void add_time(icalcomponent *ev, int end, int64_t t, icaltimezone *z,
		     const char *tzid)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, utc);
	icalproperty *p;

	if (z != utc)
		tt = icaltime_convert_to_zone(tt, z);
	p = end ? icalproperty_new_dtend(tt) : icalproperty_new_dtstart(tt);
	if (z != utc)
		icalproperty_add_parameter(
			p, icalparameter_new_tzid(tzid));
	icalcomponent_add_property(ev, p);
}

/* person adds an ORGANIZER or ATTENDEE: mailto: when an address is known,
 * else a urn naming the person (the sender edits it in their calendar). */
static icalproperty *person(struct arena *a, int organizer, const char *name,
			    const char *addr)
{
	const char *uri;
	icalproperty *p;

	if (addr) {
		uri = arena_printf(a, "mailto:%s", addr);
	} else {
		struct buf b = BUF_INIT;

		buf_puts(&b, "urn:debrief:person:");
		for (const char *s = name; s && *s; s++) {
			unsigned char c = (unsigned char)*s;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr("-._~", c))
				buf_putc(&b, (char)c);
			else
				buf_printf(&b, "%%%02X", c);
		}
		uri = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
	}
	if (!uri)
		return NULL;
	p = organizer ? icalproperty_new_organizer(uri)
		      : icalproperty_new_attendee(uri);
	if (name)
		icalproperty_add_parameter(p, icalparameter_new_cn(name));
	if (!organizer) {
		icalproperty_add_parameter(
			p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(
			p, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
		if (addr)
			icalproperty_add_parameter(
				p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
	}
	return p;
}

static const char *description(struct arena *a, const struct ical_event *ev)
{
	const struct record *m = ev->meeting;
	const char *agenda = record_str(m, MEETING_AGENDA);
	const char *video = record_str(m, MEETING_VIDEO_URL);
	const char *fac = record_str(m, MEETING_FACILITATOR);
	const char *nt = record_str(m, MEETING_NOTE_TAKER);

	return arena_printf(a,
			    "Review meeting for \"%s\".\nThe review: %s\n%s%s%s"
			    "%s%s%s%s%s%s%s%s",
			    ev->review_title ? ev->review_title : "",
			    ev->review_url ? ev->review_url : "",
			    video ? "Join: " : "", video ? video : "",
			    video ? "\n" : "", fac ? "Facilitator: " : "",
			    fac ? fac : "", fac ? "\n" : "",
			    nt ? "Note taker: " : "", nt ? nt : "",
			    nt ? "\n" : "", agenda ? "\nAgenda:\n" : "",
			    agenda ? agenda : "");
}

/* organizer_of: the facilitator when they have an address, else the
 * site's organizer address. */
static icalproperty *organizer_of(struct arena *a, const struct ical_site *site,
				  const struct record *m)
{
	const char *fac = record_str(m, MEETING_FACILITATOR), *name = NULL,
		   *addr = NULL;

	if (fac && meeting_invitee(a, fac, &name, &addr) < 0)
		name = fac, addr = NULL;
	if (!addr)
		addr = site->organizer && *site->organizer
			       ? site->organizer
			       : arena_printf(a, "debrief@%s",
					      site->host && *site->host
						      ? site->host
						      : "debrief.invalid");
	return person(a, 1, name, addr);
}

/* event builds the VEVENT of ev; NULL when out of memory. */
static icalcomponent *event(struct arena *a, const struct ical_site *site,
			    const struct ical_event *ev, icaltimezone *z,
			    const char *tzid)
{
	const struct record *m = ev->meeting;
	const struct value *inv = &m->v[MEETING_INVITEES];
	const char *st = record_str(m, MEETING_STATUS);
	const char *loc = record_str(m, MEETING_LOCATION);
	const char *video = record_str(m, MEETING_VIDEO_URL);
	int cancelled = st && !strcmp(st, "cancelled");
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icalcomponent *c = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalproperty *p;

	if (!c)
		return NULL;
	icalcomponent_add_property(
		c, icalproperty_new_uid(ical_meeting_uid(a, site, m->id)));
	icalcomponent_add_property(
		c, icalproperty_new_sequence((int)(m->version > 0 ? m->version - 1
								  : 0)));
	icalcomponent_add_property(
		c, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
			   (time_t)m->updated_at, 0, utc)));
	add_time(c, 0, record_int(m, MEETING_START, 0), z, tzid);
	add_time(c, 1, record_int(m, MEETING_END, 0), z, tzid);
	icalcomponent_add_property(
		c, icalproperty_new_summary(arena_printf(
			   a, "Review meeting: %s",
			   ev->review_title ? ev->review_title : "")));
	icalcomponent_add_property(c,
				   icalproperty_new_description(description(a, ev)));
	if (loc || video)
		icalcomponent_add_property(
			c, icalproperty_new_location(loc ? loc : video));
	if (ev->review_url)
		icalcomponent_add_property(c, icalproperty_new_url(ev->review_url));
	icalcomponent_add_property(
		c, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED
						     : ICAL_STATUS_CONFIRMED));
	if ((p = organizer_of(a, site, m)))
		icalcomponent_add_property(c, p);
	for (size_t k = 0; inv->state == V_SET && k < inv->nitems; k++) {
		const char *name, *addr;

		if (meeting_invitee(a, inv->items[k], &name, &addr) < 0)
			continue; /* validated on save; never here */
		if ((p = person(a, 0, name, addr)))
			icalcomponent_add_property(c, p);
	}
	return c;
}

/* calendar starts a VCALENDAR with VERSION, PRODID and METHOD. */
static icalcomponent *calendar(icalproperty_method method)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);

	if (!cal)
		return NULL;
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_method(method));
	return cal;
}

/* add_zone adds the VTIMEZONE of z to cal under the IANA name tzid
 * (libical's own TZIDs carry a prefix no calendar needs), cut to the
 * rules from a year before from (UTC seconds), unless z is UTC or the
 * zone is there already. */
static void add_zone(icalcomponent *cal, icaltimezone *z, const char *tzid,
		     int64_t from)
{
	icalcomponent *vz, *it;
	icalproperty *p;

	if (z == icaltimezone_get_utc_timezone())
		return;
	for (it = icalcomponent_get_first_component(cal,
						     ICAL_VTIMEZONE_COMPONENT);
	     it; it = icalcomponent_get_next_component(
			 cal, ICAL_VTIMEZONE_COMPONENT)) {
		p = icalcomponent_get_first_property(it, ICAL_TZID_PROPERTY);
		if (p && !strcmp(icalproperty_get_tzid(p), tzid))
			return;
	}
	if (!(vz = icaltimezone_get_component(z)) ||
	    !(vz = icalcomponent_new_clone(vz)))
		return;
	if ((p = icalcomponent_get_first_property(vz, ICAL_TZID_PROPERTY)))
		icalproperty_set_tzid(p, tzid);
	icaltimezone_truncate_vtimezone(
		vz,
		icaltime_from_timet_with_zone((time_t)(from - 366 * 86400LL), 0,
					      icaltimezone_get_utc_timezone()),
		icaltime_null_time(), 1);
	icalcomponent_add_component(cal, vz);
}

/* finish serialises cal into a and frees it. */
static const char *finish(struct arena *a, icalcomponent *cal, struct err *e)
{
	char *s = icalcomponent_as_ical_string_r(cal);
	const char *out = s ? arena_strdup(a, s) : NULL;

	free(s);
	icalcomponent_free(cal);
	if (!out)
		err_set(e, E_NOMEM, NULL, "out of memory");
	return out;
}

static int add_event(struct arena *a, const struct ical_site *site,
		     icalcomponent *cal, const struct ical_event *ev,
		     struct err *e)
{
	const char *tzid = record_str(ev->meeting, MEETING_TIMEZONE);
	icaltimezone *z = zone_for(tzid);
	icalcomponent *c;

	if (!z) {
		err_set(e, E_INVALID, "timezone", "unknown time zone \"%.64s\"",
			tzid);
		return -1;
	}
	if (!(c = event(a, site, ev, z, tzid))) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return -1;
	}
	add_zone(cal, z, tzid, record_int(ev->meeting, MEETING_START, 0));
	icalcomponent_add_component(cal, c);
	return 0;
}

const char *ical_invite(struct arena *a, const struct ical_site *site,
			const struct ical_event *ev, struct err *e)
{
	const char *st = record_str(ev->meeting, MEETING_STATUS);
	icalcomponent *cal =
		calendar(st && !strcmp(st, "cancelled") ? ICAL_METHOD_CANCEL
							: ICAL_METHOD_REQUEST);

	if (!cal) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (add_event(a, site, cal, ev, e) < 0) {
		icalcomponent_free(cal);
		return NULL;
	}
	return finish(a, cal, e);
}

const char *ical_feed(struct arena *a, const struct ical_site *site,
		      const char *name, const struct ical_event *evs, size_t n,
		      struct err *e)
{
	icalcomponent *cal = calendar(ICAL_METHOD_PUBLISH);
	icalproperty *p;

	if (!cal) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (name && (p = icalproperty_new_x(name))) {
		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(cal, p);
	}
	for (size_t i = 0; i < n; i++)
		if (add_event(a, site, cal, &evs[i], e) < 0) {
			icalcomponent_free(cal);
			return NULL;
		}
	return finish(a, cal, e);
}
