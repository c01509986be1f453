/* settings.c: a person's own settings (GET and POST /settings): the time
 * zone every page shows times in and every form takes them in (util/tz.h;
 * stored in UTC whatever it is). Empty follows the configuration's
 * time_zone. The same setting is PATCH /api/v1/me. The anonymous local
 * admin of an install without accounts has no settings of its own. */
#include <stdio.h>
#include <string.h>

#include "model/account.h"
#include "util/tz.h"
#include "web/page.h"
#include "web/web.h"

/* zone_options writes a <datalist> of the tz database's zones (from its
 * zone1970.tab), so that the field suggests names as people type. */
static void zone_options(struct buf *b)
{
	char path[512], line[512];
	FILE *f;

	html_raw(b, "<datalist id=\"zones\"><option value=\"UTC\">");
	snprintf(path, sizeof path, "%s/zone1970.tab", tz_dir());
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof line, f)) {
			char *name, *save = NULL;

			if (line[0] == '#' || !strtok_r(line, "\t\n", &save) ||
			    !strtok_r(NULL, "\t\n", &save) ||
			    !(name = strtok_r(NULL, "\t\n", &save)) ||
			    !tz_name_ok(name))
				continue;
			html_raw(b, "<option value=\"");
			html_attr(b, name);
			html_raw(b, "\">");
		}
		fclose(f);
	}
	html_raw(b, "</datalist>");
}

/* render_settings writes the page with the zone field showing typed (the
 * stored setting, or what was sent back with error). */
static void render_settings(struct request *req, struct response *res,
			    const char *typed, const char *error, int saved,
			    int status)
{
	struct buf *b = &res->body;
	const char *site = req->app->cfg->time_zone;
	int local = req->auth_via == AUTH_VIA_LOCAL;

	buf_reset(b);
	page_begin(res, "Settings", NAV_NONE);
	res->status = status;
	html_raw(b, "<div class=\"page-head\"><h1>Settings</h1></div>\n");
	if (saved)
		html_raw(b, "<p class=\"notice\" role=\"status\"><strong>Saved."
			    "</strong> Times are now shown and typed in your "
			    "zone.</p>\n");
	if (error) {
		html_raw(b, "<div class=\"notice notice-error\" role=\"alert\">"
			    "<p><a href=\"#f-time_zone\">");
		html_txt(b, error);
		html_raw(b, "</a></p></div>\n");
	}
	html_raw(b, "<form class=\"settings-form\" method=\"post\" "
		    "action=\"/settings\">");
	page_csrf_field(b);
	html_raw(b, "<div class=\"field field-line fn-time_zone");
	html_raw(b, error ? " has-error\">" : "\">");
	html_raw(b, "<label for=\"f-time_zone\">Time zone</label><input "
		    "id=\"f-time_zone\" type=\"text\" name=\"time_zone\" "
		    "list=\"zones\" autocomplete=\"off\" spellcheck=\"false\" "
		    "placeholder=\"");
	html_attr(b, site);
	html_raw(b, "\" value=\"");
	html_attr(b, typed);
	html_raw(b, "\"");
	if (error)
		html_raw(b, " aria-invalid=\"true\" aria-describedby=\"e-"
			    "time_zone\"");
	if (local)
		html_raw(b, " disabled");
	html_raw(b, ">");
	zone_options(b);
	html_raw(b, "<p class=\"help\">Every page shows times in this zone, "
		    "with its abbreviation, and every form takes them in it "
		    "(a time ending in Z or an offset is taken as it says). "
		    "They are stored in UTC. Empty: the site's default, <strong>");
	html_txt(b, site);
	html_raw(b, "</strong>.</p>");
	if (error) {
		html_raw(b, "<p class=\"field-error\" id=\"e-time_zone\">");
		html_txt(b, error);
		html_raw(b, "</p>");
	}
	html_raw(b, "</div>");
	if (local)
		html_raw(b, "<p class=\"hint\">There are no accounts yet, so "
			    "nobody has settings of their own: the zone is "
			    "<code>time_zone</code> in debrief.conf.</p>");
	else
		html_raw(b, "<div class=\"form-actions\"><button "
			    "type=\"submit\" class=\"primary\">Save</button> "
			    "<button type=\"submit\" name=\"use_utc\" "
			    "value=\"1\" class=\"ghost\">Use UTC</button></div>");
	html_raw(b, "</form>\n");
	page_end(res);
}

void web_settings_page(struct request *req, struct response *res)
{
	const char *saved = req_query(req, "saved");

	session_current_user(req);
	render_settings(req, res, req->time_zone ? req->time_zone : "", NULL,
			saved && !strcmp(saved, "1"), 200);
}

void web_settings_save(struct request *req, struct response *res)
{
	const char *zone = req_form_get(req, "time_zone");
	const char *utc = req_form_get(req, "use_utc");
	char trimmed[TZ_NAME_MAX + 8];
	size_t n;
	struct err e;

	err_clear(&e);
	session_current_user(req);
	if (utc && *utc)
		zone = "UTC";
	zone = zone ? zone + strspn(zone, " \t") : "";
	n = strlen(zone);
	while (n && (zone[n - 1] == ' ' || zone[n - 1] == '\t'))
		n--;
	if (n >= sizeof trimmed) {
		render_settings(req, res, zone,
				"Time zone: a name of the tz database is at "
				"most 64 characters, such as Europe/Berlin",
				0, 422);
		return;
	}
	memcpy(trimmed, zone, n);
	trimmed[n] = '\0';
	if (account_check_time_zone(trimmed, &e) != E_OK) {
		render_settings(req, res, trimmed, e.message, 0, 422);
		return;
	}
	if (req->auth_via == AUTH_VIA_LOCAL) {
		render_settings(req, res, trimmed,
				"There are no accounts yet: set time_zone in "
				"debrief.conf",
				0, 409);
		return;
	}
	if (store_user_set_time_zone(req->app->store, req->user, trimmed,
				     &e) != E_OK) {
		render_settings(req, res, trimmed,
				arena_printf(req->arena,
					     "The time zone was not saved: %s.",
					     page_fail_reason(req, &e)),
				0, err_http_status(e.code));
		return;
	}
	buf_reset(&res->body);
	res_redirect(res, "/settings?saved=1");
}
