/* fuzz_meeting.c: libFuzzer target for what reads a meeting: the JSON a
 * PUT gives (record_from_json over meeting_def, record_validate), the
 * invitee items (meeting_invitee, meeting_address_valid), the phase plan
 * of the configuration (meeting_phases_parse, meeting_phases_fit), and
 * the invite written from an accepted meeting (ical_invite), read back by
 * libical. The input is "phases\0json".
 *
 * Invariants: a refused meeting's error names a field; an accepted one
 * whose zone libical knows gives an invite that parses, with exactly one
 * VEVENT whose UID is the meeting's, one ATTENDEE per invitee and SEQUENCE
 * version - 1; an invitee with an address has a valid one; a parsed phase
 * plan has 1..MEETING_PHASES_MAX phases with names and minutes in range,
 * and a plan that fits gives minutes that sum to the meeting. */
#include <jansson.h>
#include <libical/ical.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "integrations/ical.h"
#include "model/meeting.h"
#include "model/record_json.h"

static void phases(const char *text)
{
	struct meeting_phases ph;
	int min[MEETING_PHASES_MAX];
	char why[200];
	long total;

	if (meeting_phases_parse(text, &ph, why, sizeof why) < 0) {
		FUZZ_ASSERT(why[0], "a refused plan says why");
		return;
	}
	FUZZ_ASSERT(ph.n >= 1 && ph.n <= MEETING_PHASES_MAX, "phase count");
	for (size_t k = 0; k < ph.n; k++) {
		FUZZ_ASSERT(ph.p[k].name[0], "phase without a name");
		FUZZ_ASSERT(ph.p[k].minutes == -1 ||
				    (ph.p[k].minutes >= 1 &&
				     ph.p[k].minutes <= MEETING_MAX_MINUTES),
			    "minutes out of range");
	}
	for (total = 1; total <= 600; total += 37) {
		long sum = 0;

		if (meeting_phases_fit(&ph, total, min, why, sizeof why) < 0)
			continue;
		for (size_t k = 0; k < ph.n; k++)
			sum += min[k];
		FUZZ_ASSERT(sum == total, "a fitting plan sums to the meeting");
	}
}

static void invite(struct arena *a, struct record *m)
{
	static const struct ical_site site = {"fuzz.example", NULL};
	struct ical_event ev = {m, 1, "Fuzz \"review\"; a, b\\c",
				"https://fuzz.example/reviews/1"};
	const struct value *inv = &m->v[MEETING_INVITEES];
	icalcomponent *cal, *vev;
	struct err e;
	const char *text;
	int n = 0;

	m->id = 7;
	m->version = 3;
	m->updated_at = 1700000000;
	text = ical_invite(a, &site, &ev, &e);
	FUZZ_ASSERT(text, "no invite for a valid meeting: %s", e.message);
	cal = icalparser_parse_string(text);
	FUZZ_ASSERT(cal, "the invite does not parse");
	FUZZ_ASSERT(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT) ==
			    1,
		    "one VEVENT");
	vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	FUZZ_ASSERT(!strcmp(icalcomponent_get_uid(vev), "meeting-7@fuzz.example"),
		    "UID");
	FUZZ_ASSERT(icalcomponent_get_sequence(vev) == 2, "SEQUENCE");
	for (icalproperty *p = icalcomponent_get_first_property(
		     vev, ICAL_ATTENDEE_PROPERTY);
	     p; p = icalcomponent_get_next_property(vev, ICAL_ATTENDEE_PROPERTY))
		n++;
	FUZZ_ASSERT((size_t)n == (inv->state == V_SET ? inv->nitems : 0),
		    "one ATTENDEE per invitee");
	icalcomponent_free(cal);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, 0, size);
	struct arena *a;
	struct record *m;
	json_t *j;
	struct err e;
	char *plan;

	if (!nul || !(a = arena_new()))
		return 0;
	plan = arena_strndup(a, (const char *)data, (size_t)(nul - (const char *)data));
	if (plan)
		phases(plan);
	j = json_loadb(nul + 1, size - (size_t)(nul + 1 - (const char *)data),
		       0, NULL);
	if (j && json_is_object(j)) {
		if (record_from_json(a, &meeting_def, j, &m, &e) != E_OK) {
			FUZZ_ASSERT(e.message[0], "a refusal says why");
		} else {
			const struct value *inv = &m->v[MEETING_INVITEES];

			record_fill_defaults(a, m);
			for (size_t k = 0; inv->state == V_SET && k < inv->nitems;
			     k++) {
				const char *name, *addr;

				if (meeting_invitee(a, inv->items[k], &name,
						    &addr) == 0 &&
				    addr)
					FUZZ_ASSERT(meeting_address_valid(addr),
						    "an accepted address");
			}
			if (record_validate(m, &e) != E_OK)
				FUZZ_ASSERT(e.field[0], "an error names a field");
			else if (ical_zone_known(
					 record_str(m, MEETING_TIMEZONE)))
				invite(a, m);
		}
	}
	json_decref(j);
	arena_free(a);
	return 0;
}
