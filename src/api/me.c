/* me.c: /api/v1/me: who is asking, and the settings a person keeps for
 * themselves: the time zone pages show and take times in ("" follows the
 * configuration's time_zone). The API itself always speaks UTC. */
#include "api/api.h"

#include <string.h>

#include "api/api_internal.h"
#include "model/account.h"
#include "store/store.h"
#include "util/tz.h"

/* send_me answers who req is: name, role, own zone and the zone in use. */
static void send_me(struct request *req, struct response *res)
{
	const struct tz *zone;
	json_t *j;

	session_current_user(req);
	zone = tz_get(req->time_zone && *req->time_zone ? req->time_zone
							: req->app->cfg->time_zone);
	j = json_pack("{s:s, s:s, s:b, s:s, s:s}", "name",
		      req->user ? req->user : "", "role", role_name(req->role),
		      "account", req->auth_via != AUTH_VIA_LOCAL, "time_zone",
		      req->time_zone ? req->time_zone : "", "time_zone_in_use",
		      tz_name(zone ? zone : tz_utc()));
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, j);
}

void api_me_get(struct request *req, struct response *res)
{
	send_me(req, res);
}

void api_me_patch(struct request *req, struct response *res)
{
	const char *key, *zone = NULL;
	json_t *body, *val;
	struct err e;

	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	json_object_foreach(body, key, val)
	{
		if (strcmp(key, "time_zone")) {
			api_failf(res, E_BAD_REQUEST, key,
				  "unknown field \"%s\" (only time_zone)", key);
			return;
		}
		if (!json_is_string(val)) {
			api_failf(res, E_INVALID, "time_zone",
				  "time_zone must be a string: a tz database "
				  "name, or \"\" for the site's default");
			return;
		}
		zone = json_string_value(val);
	}
	session_current_user(req);
	if (zone && account_check_time_zone(zone, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (zone && req->auth_via == AUTH_VIA_LOCAL) {
		api_failf(res, E_CONFLICT, "time_zone",
			  "there are no accounts yet, so nobody has settings "
			  "of their own: set time_zone in debrief.conf");
		return;
	}
	if (zone && store_user_set_time_zone(req->app->store, req->user, zone,
					     &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	if (zone)
		req->time_zone = zone;
	send_me(req, res);
}
