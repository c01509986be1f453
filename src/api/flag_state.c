/* flag_state.c: a contingency row's "flag_state" in answers: the flag it
 * names as the flag source (integrations/flags.h) has it now. */
#include "api/api_internal.h"
#include "integrations/flags.h"
#include "model/review.h"
#include "util/timeutil.h"

static json_t *time_or_null(int64_t t)
{
	char tb[TIME_BUF];

	if (!t)
		return json_null();
	time_format(t, tb);
	return json_string(tb);
}

/* api_flag_state_json is a contingency row's flag as the flag source has it
 * now: {"value", "changed_at", "read_at"} or {"unknown": true}, with
 * "error" and "error_at" while the source fails (the state is then the
 * last good one, read_at its age). NULL: the row names no flag. */
json_t *api_flag_state_json(const struct record *r)
{
	const char *name = record_str(r, CT_FLAG);
	struct flag_state fs;
	json_t *o, *v;

	if (!name)
		return NULL;
	flags_get(name, &fs);
	o = json_object();
	if (!o)
		return NULL;
	if (fs.known) {
		v = json_loads(fs.value, JSON_DECODE_ANY, NULL);
		json_object_set_new(o, "value", v ? v : json_string(fs.value));
		json_object_set_new(o, "changed_at",
				    time_or_null(fs.changed_at));
	} else {
		json_object_set_new(o, "unknown", json_true());
	}
	json_object_set_new(o, "read_at", time_or_null(fs.read_at));
	if (!flags_configured())
		json_object_set_new(o, "error",
				    json_string("no flag source is configured "
						"(flags.source)"));
	else if (fs.error_at) {
		json_object_set_new(o, "error", json_string(fs.error));
		json_object_set_new(o, "error_at", time_or_null(fs.error_at));
	}
	return o;
}
