/* test_meeting.c: the meeting record's rules (model/meeting.c), its phase
 * plan, and its iCalendar (integrations/ical.c) read back with libical:
 * every required property, SEQUENCE rising with each change, CANCEL under
 * the same UID, times in the meeting's zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "integrations/ical.h"
#include "integrations/smtp.h"
#include "model/meeting.h"
#include "model/review.h"

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* 2027-01-10T13:00:00Z, an hour, in Paris (14:00 local) */
#define START 1799586000LL

static struct record *meeting(struct arena *a)
{
	static const char *inv[] = {"eng@lists.example.com",
				    "Cy Doe <cy@example.com>", "Dee"};
	struct record *m = record_new(a, &meeting_def);

	m->id = 42;
	m->version = 1;
	m->updated_at = START - 86400;
	record_set_int(m, MEETING_START, START);
	record_set_int(m, MEETING_END, START + 3600);
	record_set_str(m, MEETING_TIMEZONE, "Europe/Paris");
	record_set_str(m, MEETING_LOCATION, "Room 4");
	record_set_str(m, MEETING_FACILITATOR, "Fay <fay@example.com>");
	record_set_list(m, MEETING_INVITEES, inv, 3);
	record_set_str(m, MEETING_AGENDA, "Walk the timeline");
	record_fill_defaults(a, m);
	return m;
}

static const char *first_error(const struct record *m)
{
	static struct field_errors errs;

	record_validate_all(m, &errs);
	return errs.n ? errs.items[0].field : NULL;
}

static void test_valid_meeting_passes(void **state)
{
	assert_null(first_error(meeting(*state)));
	assert_string_equal(record_str(meeting(*state), MEETING_STATUS),
			    "scheduled");
	assert_int_equal(meeting_minutes(meeting(*state)), 60);
}

static void test_end_before_start_names_end(void **state)
{
	struct record *m = meeting(*state);

	record_set_int(m, MEETING_END, START - 60);
	assert_string_equal(first_error(m), "end");
	record_set_int(m, MEETING_END, START);
	assert_string_equal(first_error(m), "end");
	record_set_int(m, MEETING_END, START + 25 * 3600);
	assert_string_equal(first_error(m), "end");
}

static void test_bad_invitee_address_names_invitees(void **state)
{
	static const char *bad[][1] = {{"ana@"}, {"@x.org"}, {"a b@x.org"},
				       {"Ana <ana@x>"}, {"Ana <ana@x.org"},
				       {"ana@x..org"}};
	struct record *m = meeting(*state);

	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		record_set_list(m, MEETING_INVITEES, bad[k], 1);
		assert_non_null(first_error(m));
		assert_string_equal(first_error(m), "invitees");
	}
}

static void test_invitee_twice_is_invalid(void **state)
{
	static const char *twice[] = {"ana@x.org", "bo@x.org", "ANA@x.org"};
	struct record *m = meeting(*state);

	record_set_list(m, MEETING_INVITEES, twice, 3);
	assert_string_equal(first_error(m), "invitees");
}

static void test_invitee_limit_from_configuration(void **state)
{
	struct arena *a = *state;
	struct record *m = meeting(a);
	struct field_errors errs = {0};
	size_t n = 5000;
	const char **items = arena_alloc(a, n * sizeof *items);

	for (size_t k = 0; k < n; k++)
		items[k] = arena_printf(a, "p%zu@example.com", k);
	record_set_list(m, MEETING_INVITEES, items, n);
	assert_null(first_error(m)); /* the model holds up to 10000 */
	meeting_check_limits(m, 1000, &errs);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.items[0].field, "invitees");
	errs.n = 0;
	meeting_check_limits(m, 5000, &errs);
	assert_int_equal(errs.n, 0);
}

static void test_time_zone_shape_and_existence(void **state)
{
	struct record *m = meeting(*state);

	record_set_str(m, MEETING_TIMEZONE, "Europe/Paris; DROP");
	assert_string_equal(first_error(m), "timezone");
	assert_true(ical_zone_known("Europe/Paris"));
	assert_true(ical_zone_known("UTC"));
	assert_false(ical_zone_known("Mars/Olympus"));
	assert_false(ical_zone_known(""));
}

static void test_invitee_splits_name_and_address(void **state)
{
	const char *name, *addr;

	assert_int_equal(meeting_invitee(*state, "Cy Doe <cy@example.com>",
					 &name, &addr),
			 0);
	assert_string_equal(name, "Cy Doe");
	assert_string_equal(addr, "cy@example.com");
	assert_int_equal(meeting_invitee(*state, "Dee", &name, &addr), 0);
	assert_string_equal(name, "Dee");
	assert_null(addr);
}

static void test_phases_default_fit_an_hour(void **state)
{
	struct meeting_phases ph;
	int min[MEETING_PHASES_MAX];
	char why[200];

	(void)state;
	assert_int_equal(meeting_phases_parse(MEETING_PHASES_DEFAULT, &ph, why,
					      sizeof why),
			 0);
	assert_int_equal(ph.n, 4);
	assert_int_equal(meeting_phases_fit(&ph, 60, min, why, sizeof why), 0);
	assert_int_equal(min[0], 5);
	assert_int_equal(min[1], 40);
	assert_int_equal(min[2], 10);
	assert_int_equal(min[3], 5);
	/* shorter than the fixed phases: a reason, not a plan */
	assert_int_equal(meeting_phases_fit(&ph, 30, min, why, sizeof why), -1);
	assert_non_null(strstr(why, "55 minutes"));
	assert_string_not_equal(meeting_phase_prompts("timeline"), "");
	assert_non_null(strstr(meeting_phase_prompts("timeline"),
			       "What are we missing?"));
}

static void test_phases_without_rest_must_add_up(void **state)
{
	struct meeting_phases ph;
	int min[MEETING_PHASES_MAX];
	char why[200];

	(void)state;
	assert_int_equal(meeting_phases_parse("a:20,b:40", &ph, why, sizeof why),
			 0);
	assert_int_equal(meeting_phases_fit(&ph, 60, min, why, sizeof why), 0);
	assert_int_equal(meeting_phases_fit(&ph, 45, min, why, sizeof why), -1);
	assert_int_equal(meeting_phases_parse("", &ph, why, sizeof why), -1);
	assert_int_equal(meeting_phases_parse("a:*,b:*", &ph, why, sizeof why),
			 -1);
	assert_int_equal(meeting_phases_parse("a:0", &ph, why, sizeof why), -1);
	assert_int_equal(meeting_phases_parse("a b:5", &ph, why, sizeof why),
			 -1);
	assert_int_equal(meeting_phases_parse("intro", &ph, why, sizeof why),
			 -1);
}

static const struct ical_site site = {"debrief.example.com", NULL};

static icalcomponent *parse_invite(struct arena *a, const struct record *m,
				   icalproperty_method *method)
{
	struct ical_event ev = {m, 7, "DB outage",
				"https://debrief.example.com/reviews/7"};
	struct err e;
	const char *text = ical_invite(a, &site, &ev, &e);
	icalcomponent *cal, *vev;

	assert_non_null(text);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	*method = icalcomponent_get_method(cal);
	vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(vev);
	vev = icalcomponent_new_clone(vev);
	icalcomponent_free(cal);
	return vev;
}

static int count(icalcomponent *c, icalproperty_kind k)
{
	return icalcomponent_count_properties(c, k);
}

static void test_invite_has_every_required_property(void **state)
{
	icalproperty_method method;
	icalcomponent *ev = parse_invite(*state, meeting(*state), &method);
	icalproperty *p;
	struct icaltimetype t;

	assert_int_equal(method, ICAL_METHOD_REQUEST);
	assert_string_equal(icalcomponent_get_uid(ev),
			    "meeting-42@debrief.example.com");
	assert_int_equal(icalcomponent_get_sequence(ev), 0);
	assert_int_equal(count(ev, ICAL_DTSTAMP_PROPERTY), 1);
	/* DTSTART in the meeting's zone: 14:00 in Paris is 13:00 UTC */
	p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	assert_string_equal(icalparameter_get_tzid(icalproperty_get_first_parameter(
				    p, ICAL_TZID_PARAMETER)),
			    "Europe/Paris");
	t = icalproperty_get_dtstart(p);
	assert_int_equal(t.hour, 14);
	p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	assert_int_equal(icalproperty_get_dtend(p).hour, 15);
	assert_int_equal(count(ev, ICAL_ORGANIZER_PROPERTY), 1);
	p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	assert_string_equal(icalproperty_get_organizer(p),
			    "mailto:fay@example.com");
	assert_int_equal(count(ev, ICAL_ATTENDEE_PROPERTY), 3);
	p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	assert_string_equal(icalproperty_get_attendee(p),
			    "mailto:eng@lists.example.com");
	assert_non_null(strstr(icalcomponent_get_description(ev),
			       "https://debrief.example.com/reviews/7"));
	assert_non_null(strstr(icalcomponent_get_summary(ev), "DB outage"));
	assert_string_equal(icalcomponent_get_location(ev), "Room 4");
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	icalcomponent_free(ev);
}

static void test_sequence_rises_and_cancel_keeps_uid(void **state)
{
	struct record *m = meeting(*state);
	icalproperty_method method;
	icalcomponent *ev;

	m->version = 3; /* changed twice */
	ev = parse_invite(*state, m, &method);
	assert_int_equal(icalcomponent_get_sequence(ev), 2);
	icalcomponent_free(ev);
	record_set_str(m, MEETING_STATUS, "cancelled");
	m->version = 4;
	ev = parse_invite(*state, m, &method);
	assert_int_equal(method, ICAL_METHOD_CANCEL);
	assert_string_equal(icalcomponent_get_uid(ev),
			    "meeting-42@debrief.example.com");
	assert_int_equal(icalcomponent_get_sequence(ev), 3);
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	icalcomponent_free(ev);
}

static void test_utc_meeting_has_no_timezone(void **state)
{
	struct record *m = meeting(*state);
	icalproperty_method method;
	icalcomponent *ev;

	record_set_str(m, MEETING_TIMEZONE, "UTC");
	ev = parse_invite(*state, m, &method);
	assert_true(icaltime_is_utc(icalcomponent_get_dtstart(ev)));
	assert_int_equal(icalcomponent_get_dtstart(ev).hour, 13);
	icalcomponent_free(ev);
}

static void test_text_is_escaped_not_injected(void **state)
{
	struct record *m = meeting(*state);
	icalproperty_method method;
	icalcomponent *ev;

	record_set_str(m, MEETING_AGENDA,
		       "line\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil; x, y");
	ev = parse_invite(*state, m, &method);
	assert_string_equal(icalcomponent_get_uid(ev),
			    "meeting-42@debrief.example.com");
	assert_non_null(strstr(icalcomponent_get_description(ev),
			       "UID:evil; x, y"));
	icalcomponent_free(ev);
}

static void test_feed_holds_each_zone_once(void **state)
{
	struct arena *a = *state;
	struct record *m1 = meeting(a), *m2 = meeting(a);
	struct ical_event evs[2] = {{m1, 7, "One", "https://x/reviews/7"},
				    {m2, 8, "Two", "https://x/reviews/8"}};
	struct err e;
	const char *text;
	icalcomponent *cal;

	m2->id = 43;
	text = ical_feed(a, &site, "Review meetings", evs, 2, &e);
	assert_non_null(text);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
	assert_int_equal(icalcomponent_count_components(cal,
							ICAL_VEVENT_COMPONENT),
			 2);
	assert_int_equal(icalcomponent_count_components(
				 cal, ICAL_VTIMEZONE_COMPONENT),
			 1);
	icalcomponent_free(cal);
}

static void test_overdue_days_on_both_sides_of_the_deadline(void **state)
{
	const int64_t r = 1700000000, day = 86400;

	(void)state;
	assert_int_equal(meeting_overdue_days(r, r + 14 * day - 1, 14), 0);
	assert_int_equal(meeting_overdue_days(r, r + 14 * day, 14), 0);
	assert_int_equal(meeting_overdue_days(r, r + 14 * day + 1, 14), 0);
	assert_int_equal(meeting_overdue_days(r, r + 15 * day - 1, 14), 0);
	assert_int_equal(meeting_overdue_days(r, r + 15 * day, 14), 1);
	assert_int_equal(meeting_overdue_days(r, r + 15 * day + 1, 14), 1);
	assert_int_equal(meeting_overdue_days(r, r + 20 * day + 60, 14), 6);
	assert_int_equal(meeting_overdue_days(r, r + 8 * day, 7), 1);
}

static void test_lag_medians_by_month_of_resolution(void **state)
{
	/* 2026-01-05, 2026-01-20, 2026-01-31 23:00, 2026-02-01 */
	const int64_t res[] = {1767571200, 1768867200, 1769900400, 1769904000};
	const int64_t met[] = {res[0] + 5 * 86400, res[1] + 7 * 86400,
			       res[2] + 2 * 86400, res[3] + 3 * 86400};
	struct meeting_lag_month out[4];
	double lags[4];
	size_t n;

	(void)state;
	n = meeting_lag_months(res, met, 4, lags, out);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].year, 2026);
	assert_int_equal(out[0].month, 1);
	assert_int_equal(out[0].reviews, 3);
	assert_true(out[0].median_days > 4.99 && out[0].median_days < 5.01);
	assert_int_equal(out[1].month, 2);
	assert_int_equal(out[1].reviews, 1);
	assert_true(out[1].median_days > 2.99 && out[1].median_days < 3.01);
	assert_int_equal(meeting_lag_months(res, met, 0, lags, out), 0);
	/* an even count is the mean of the middle two */
	n = meeting_lag_months(res, met, 2, lags, out);
	assert_int_equal(n, 1);
	assert_true(out[0].median_days > 5.99 && out[0].median_days < 6.01);
}

static void test_lag_days_only_once_held(void **state)
{
	struct record *m = meeting(*state);

	assert_true(meeting_lag_days(m, START - 86400, START + 1) > 0.99);
	assert_true(meeting_lag_days(m, START - 86400, START - 1) < 0);
	assert_true(meeting_lag_days(m, 0, START + 1) < 0);
	record_set_str(m, MEETING_STATUS, "cancelled");
	assert_true(meeting_lag_days(m, START - 86400, START + 1) < 0);
}

static void test_mail_message_headers_cannot_be_injected(void **state)
{
	static const char *to[] = {"a@example.com", "b@example.com"};
	struct smtp_server srv = {"smtp://127.0.0.1:1", 0, NULL, NULL,
				  "debrief@example.com"};
	struct smtp_invite inv = {to, 2, "Café\r\nBcc: evil@example.com",
				  "text", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
				  "CANCEL"};
	const char *msg = smtp_message(*state, &srv, &inv);

	assert_non_null(msg);
	assert_non_null(strstr(msg, "To: <a@example.com>,\r\n <b@example.com>"));
	assert_non_null(strstr(msg, "Subject: =?UTF-8?B?"));
	assert_null(strstr(msg, "\r\nBcc:"));
	assert_non_null(strstr(msg, "method=CANCEL"));
	/* "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" in base64 */
	assert_non_null(strstr(msg, "QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo="));
}

static void test_meeting_is_a_child_kind_outside_the_edit_form(void **state)
{
	(void)state;
	assert_ptr_equal(child_defs[CHILD_MEETING], &meeting_def);
	assert_int_equal(child_kind_from_segment("meetings"), CHILD_MEETING);
	assert_false(child_in_form(CHILD_MEETING));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_meeting_passes),
		T(test_end_before_start_names_end),
		T(test_bad_invitee_address_names_invitees),
		T(test_invitee_twice_is_invalid),
		T(test_invitee_limit_from_configuration),
		T(test_time_zone_shape_and_existence),
		T(test_invitee_splits_name_and_address),
		T(test_phases_default_fit_an_hour),
		T(test_phases_without_rest_must_add_up),
		T(test_invite_has_every_required_property),
		T(test_sequence_rises_and_cancel_keeps_uid),
		T(test_utc_meeting_has_no_timezone),
		T(test_text_is_escaped_not_injected),
		T(test_feed_holds_each_zone_once),
		T(test_overdue_days_on_both_sides_of_the_deadline),
		T(test_lag_medians_by_month_of_resolution),
		T(test_lag_days_only_once_held),
		T(test_mail_message_headers_cannot_be_injected),
		T(test_meeting_is_a_child_kind_outside_the_edit_form),
#undef T
	};
	return cmocka_run_group_tests_name("meeting", tests, NULL, NULL);
}
