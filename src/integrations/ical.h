/* ical.h: iCalendar (RFC 5545) for review meetings, written with libical:
 * the invite of one meeting (METHOD:REQUEST, or METHOD:CANCEL once it is
 * cancelled) and the feed of upcoming meetings that calendar apps
 * subscribe to (METHOD:PUBLISH). The UID of a meeting never changes
 * (it is made of the meeting's id and the site's host); SEQUENCE is the
 * meeting's version - 1, so every change raises it. */
#ifndef DEBRIEF_ICAL_H
#define DEBRIEF_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "model/record.h"
#include "util/arena.h"
#include "util/err.h"

/* One meeting as the calendar shows it. */
struct ical_event {
	const struct record *meeting; /* meeting_def */
	int64_t review_id;
	const char *review_title;
	const char *review_url; /* absolute: https://host/reviews/7 */
};

/* What every calendar of this site shares. */
struct ical_site {
	const char *host;      /* the UID's right-hand side: "debrief.example" */
	const char *organizer; /* address used when the facilitator has none;
				* NULL: "debrief@<host>" */
};

struct config;

/* ical_site_from_config fills site from the configuration: the UID host
 * from public_url (written into host, hostlen bytes, which must outlive
 * site; "" without public_url, see ical_meeting_uid) and the organizer
 * from meeting_organizer. */
void ical_site_from_config(const struct config *cfg, struct ical_site *site,
			   char *host, size_t hostlen);

/* ical_review_url is review id's absolute address: under public_url, else
 * under host_header (the request's Host; "localhost" when missing or
 * odd). Memory from a. */
const char *ical_review_url(struct arena *a, const struct config *cfg,
			    const char *host_header, int64_t review_id);

/* ical_zone_known tells whether tzid names a time zone libical knows
 * ("UTC" and the IANA names of the system's zoneinfo). */
int ical_zone_known(const char *tzid);

/* ical_meeting_check validates meeting m as every write of one must: the
 * model's rules (record_validate_all), at most max_invitees invitees, and
 * a time zone libical knows, so that its invite can always be written.
 * E_OK, or E_INVALID with the first problem in e. */
enum err_code ical_meeting_check(const struct record *m, long max_invitees,
				 struct err *e);

/* ical_meeting_uid is the UID of meeting id on host; memory from a. */
const char *ical_meeting_uid(struct arena *a, const struct ical_site *site,
			     int64_t meeting_id);

/* ical_invite writes the invite of one meeting: a VCALENDAR with
 * METHOD:REQUEST (METHOD:CANCEL and STATUS:CANCELLED when the meeting's
 * status is "cancelled"), the meeting's VTIMEZONE and one VEVENT with
 * UID, SEQUENCE, DTSTAMP, DTSTART/DTEND in the meeting's time zone,
 * SUMMARY, DESCRIPTION (the review's link and the agenda), LOCATION, URL,
 * ORGANIZER and one ATTENDEE per invitee. Text from a; NULL with e set
 * when libical fails or the time zone is unknown. */
const char *ical_invite(struct arena *a, const struct ical_site *site,
			const struct ical_event *ev, struct err *e);

/* ical_feed writes n events as one subscribable VCALENDAR
 * (METHOD:PUBLISH), each time zone once. Cancelled meetings appear with
 * STATUS:CANCELLED so that subscribers drop them. */
const char *ical_feed(struct arena *a, const struct ical_site *site,
		      const char *name, const struct ical_event *evs, size_t n,
		      struct err *e);

#endif
