/* meeting.c: /api/v1/reviews/{id}/meeting, the review's one meeting.
 *   GET     reads it (404 when the review has none)
 *   PUT     creates or replaces it: the scheduling fields (start, end or
 *           duration_minutes, timezone, location, video_url, facilitator,
 *           note_taker, invitees, agenda, notes_url) are replaced, a field
 *           left out is cleared; what the meeting recorded (attended,
 *           parking_lot, notes) and its status are kept unless given, and
 *           a cancelled meeting is scheduled again (meeting_replace).
 *           "version" or If-Match: 409 when stale, as everywhere.
 *   DELETE  cancels it: status "cancelled", kept so that its invite
 *           (GET /reviews/{id}/meeting.ics) becomes METHOD:CANCEL under
 *           the same UID.
 * The meeting is a child record (CHILD_MEETING): every change is a
 * revision and bumps the review's version; PATCH through the generic
 * /meetings/{child} route serves the run of show's autosave. Answers
 * carry "warnings" (a meeting in the past, a facilitator who was involved,
 * a phase plan that does not fit): advice, never a refusal. Also here:
 * POST .../meeting/send (mail the invite); the lag is meeting_lag.c. */
#include "api/api.h"

#include <string.h>
#include <strings.h>

#include "api/api_internal.h"
#include "config.h"
#include "http/access.h"
#include "http/auth.h"
#include "integrations/ical.h"
#include "integrations/smtp.h"
#include "model/meeting.h"
#include "model/record_json.h"
#include "store/store.h"
#include "util/timeutil.h"

/* Keys of the answer a client may send back; never stored. */
static const char *const read_only[] = {"review_id", "review_version", "uid",
					"sequence",  "ics_url",	       "warnings",
					"phases"};

/* meeting_of is the review's live meeting, NULL when it has none. */
static struct record *meeting_of(const struct review_doc *doc)
{
	const struct record_list *l = &doc->children[CHILD_MEETING];

	return l->n ? l->items[0] : NULL;
}

/* involved tells whether name is one of the review's responders or
 * actors (a facilitator should not be). */
static int involved(const struct review_doc *doc, const char *name)
{
	const struct record_list *l = &doc->children[CHILD_PERSON];

	for (size_t i = 0; name && i < l->n; i++) {
		const char *n = record_str(l->items[i], PERSON_NAME);
		const char *r = record_str(l->items[i], PERSON_ROLE);

		if (n && r && !strcasecmp(n, name) &&
		    (!strcmp(r, "responder") || !strcmp(r, "actor")))
			return 1;
	}
	return 0;
}

/* warnings lists the advice about meeting m of doc. */
static json_t *warnings(struct request *req, const struct review_doc *doc,
			const struct record *m)
{
	const char *fac = record_str(m, MEETING_FACILITATOR);
	const char *nt = record_str(m, MEETING_NOTE_TAKER);
	const char *st = record_str(m, MEETING_STATUS);
	struct meeting_phases ph;
	int minutes[MEETING_PHASES_MAX];
	char why[200];
	json_t *w = json_array();

#define WARN(f, msg) \
	json_array_append_new(w, json_pack("{s:s, s:s}", "field", f, \
					   "message", msg))
	if (!w)
		return NULL;
	if (st && !strcmp(st, "scheduled") &&
	    record_int(m, MEETING_START, 0) < time_now())
		WARN("start", "The meeting is in the past");
	if (involved(doc, fac))
		WARN("facilitator",
		     "The facilitator was involved in the incident (a "
		     "responder or actor); someone who was not is better");
	if (fac && nt && !strcasecmp(fac, nt))
		WARN("note_taker",
		     "The facilitator should not also take the notes");
	if (meeting_phases_parse(req->app->cfg->meeting_phases, &ph, why,
				 sizeof why) == 0 &&
	    meeting_phases_fit(&ph, meeting_minutes(m), minutes, why,
			       sizeof why) < 0)
		WARN("end", why);
#undef WARN
	return w;
}

/* phases_json is the run of show of m: [{"name", "minutes", "prompts"}]. */
static json_t *phases_json(struct request *req, const struct record *m)
{
	struct meeting_phases ph;
	int minutes[MEETING_PHASES_MAX];
	char why[200];
	json_t *arr = json_array();

	if (!arr || meeting_phases_parse(req->app->cfg->meeting_phases, &ph,
					 why, sizeof why) < 0)
		return arr;
	meeting_phases_fit(&ph, meeting_minutes(m), minutes, why, sizeof why);
	for (size_t k = 0; k < ph.n; k++)
		json_array_append_new(
			arr, json_pack("{s:s, s:i, s:s}", "name", ph.p[k].name,
				       "minutes", minutes[k], "prompts",
				       meeting_phase_prompts(ph.p[k].name)));
	return arr;
}

/* lag_json: days from the review's resolution to the meeting, once held;
 * null before. */
static json_t *lag_json(const struct review_doc *doc, const struct record *m)
{
	double d = meeting_lag_days(
		m, record_int(doc->review, REVIEW_RESOLVED_AT, 0), time_now());

	return d < 0 ? json_null() : json_real(d);
}

/* send_meeting answers the meeting with what a client needs beside its
 * fields: the review, the invite's link, UID and SEQUENCE, its length,
 * the phases and the warnings. */
static void send_meeting(struct request *req, struct response *res,
			 int status, const struct review_doc *doc,
			 const struct record *m, int64_t review_version)
{
	struct ical_site site = {0};
	char host[256];
	json_t *o = record_to_json(m);

	config_public_host(req->app->cfg, host, sizeof host);
	site.host = host;
	if (!o ||
	    json_object_set_new(o, "review_id",
				json_integer(doc->review->id)) ||
	    (review_version > 0 &&
	     json_object_set_new(o, "review_version",
				 json_integer(review_version))) ||
	    json_object_set_new(o, "duration_minutes",
				json_integer(meeting_minutes(m))) ||
	    json_object_set_new(o, "uid",
				json_string(ical_meeting_uid(req->arena, &site,
							     m->id))) ||
	    json_object_set_new(o, "sequence", json_integer(m->version - 1)) ||
	    json_object_set_new(
		    o, "ics_url",
		    json_string(arena_printf(req->arena,
					     "/reviews/%lld/meeting.ics",
					     (long long)doc->review->id))) ||
	    json_object_set_new(o, "phases", phases_json(req, m)) ||
	    json_object_set_new(o, "lag_days", lag_json(doc, m)) ||
	    json_object_set_new(o, "warnings", warnings(req, doc, m))) {
		json_decref(o);
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	api_set_etag(req, res, m->version);
	res_json(res, status, o);
}

/* load reads the review of route parameter 0 as the asker sees it. */
static int load(struct request *req, struct response *res,
		struct review_doc *doc)
{
	int64_t id = api_review_id(req, res);
	struct err e;

	if (!id)
		return -1;
	err_clear(&e);
	if (access_review_get(req, id, 0, doc, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)id);
		api_fail(res, &e);
		return -1;
	}
	return 0;
}

static enum err_code no_meeting(struct err *e, const struct review_doc *doc)
{
	return err_set(e, E_NOT_FOUND, "meeting",
		       "review %lld has no meeting; PUT one",
		       (long long)doc->review->id);
}

static enum err_code stale(struct err *e, const struct record *cur,
			   int64_t expected)
{
	err_set(e, E_CONFLICT, "version",
		"the meeting is at version %lld, not %lld",
		(long long)(cur ? cur->version : 0), (long long)expected);
	e->current_version = cur ? cur->version : 0;
	return E_CONFLICT;
}

void api_meeting_get(struct request *req, struct response *res)
{
	struct review_doc doc;
	struct record *m;
	struct err e;

	if (load(req, res, &doc) < 0)
		return;
	if (!(m = meeting_of(&doc))) {
		err_clear(&e);
		no_meeting(&e, &doc);
		api_fail(res, &e);
		return;
	}
	send_meeting(req, res, 200, &doc, m, 0);
}

/* read_duration turns "duration_minutes" into "end" (start + minutes) and
 * takes it out of body; "end" and "duration_minutes" together are 400. */
static enum err_code read_duration(json_t *body, struct record *given,
				   struct err *e)
{
	json_t *d = json_object_get(body, "duration_minutes");
	json_int_t n;

	if (!d || json_is_null(d))
		return E_OK;
	if (!json_is_integer(d) || (n = json_integer_value(d)) < 1 ||
	    n > MEETING_MAX_MINUTES)
		return err_set(e, E_BAD_REQUEST, "duration_minutes",
			       "duration_minutes must be a whole number of "
			       "minutes from 1 to %d",
			       MEETING_MAX_MINUTES);
	if (record_isset(given, MEETING_END))
		return err_set(e, E_BAD_REQUEST, "duration_minutes",
			       "give end or duration_minutes, not both");
	if (record_isset(given, MEETING_START))
		record_set_int(given, MEETING_END,
			       record_int(given, MEETING_START, 0) + n * 60);
	return E_OK;
}

enum err_code api_meeting_check(struct request *req, const struct record *m,
				struct err *e)
{
	return ical_meeting_check(m, req->app->cfg->meeting_max_invitees, e);
}

void api_meeting_put(struct request *req, struct response *res)
{
	struct review_doc doc;
	struct record *cur, *given, *m, *stored = NULL;
	int64_t expected, child_id = 0, review_version = 0;
	json_t *body;
	struct err e;

	if (load(req, res, &doc) < 0)
		return;
	cur = meeting_of(&doc);
	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0)
		goto fail;
	if (expected && (!cur || cur->version != expected)) {
		stale(&e, cur, expected);
		goto fail;
	}
	for (size_t k = 0; k < sizeof read_only / sizeof read_only[0]; k++)
		json_object_del(body, read_only[k]);
	{
		json_t *d = json_incref(json_object_get(body, "duration_minutes"));

		json_object_del(body, "duration_minutes");
		if (record_from_json(req->arena, &meeting_def, body, &given,
				     &e) != E_OK) {
			json_decref(d);
			goto fail;
		}
		if (d)
			json_object_set_new(body, "duration_minutes", d);
	}
	if (read_duration(body, given, &e) != E_OK)
		goto fail;
	if (!(m = meeting_replace(req->arena, cur, given))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if (api_meeting_check(req, m, &e) != E_OK)
		goto fail;
	if (cur) {
		if (store_child_update(req->app->store, req->arena,
				       api_actor(req), CHILD_MEETING,
				       doc.review->id, cur->id, cur->version, m,
				       &stored, &review_version, &e) != E_OK)
			goto fail;
		send_meeting(req, res, 200, &doc, stored ? stored : cur,
			     review_version);
		return;
	}
	if (store_child_create(req->app->store, req->arena, api_actor(req),
			       CHILD_MEETING, doc.review->id, m, &child_id,
			       &review_version, &e) != E_OK)
		goto fail;
	res_header(res, "Location",
		   arena_printf(req->arena, "/api/v1/reviews/%lld/meeting",
				(long long)doc.review->id));
	send_meeting(req, res, 201, &doc, m, review_version);
	return;
fail:
	api_fail(res, &e);
}

void api_meeting_delete(struct request *req, struct response *res)
{
	struct review_doc doc;
	struct record *cur, *patch, *stored = NULL;
	int64_t expected, review_version = 0;
	const char *st;
	json_t *body;
	struct err e;

	if (load(req, res, &doc) < 0)
		return;
	err_clear(&e);
	if (api_body(req, 1, &body, &e) != E_OK ||
	    api_only_version(body, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0)
		goto fail;
	if (!(cur = meeting_of(&doc))) {
		no_meeting(&e, &doc);
		goto fail;
	}
	if (expected && cur->version != expected) {
		stale(&e, cur, expected);
		goto fail;
	}
	st = record_str(cur, MEETING_STATUS);
	if (st && !strcmp(st, "cancelled")) { /* cancelled already */
		send_meeting(req, res, 200, &doc, cur, 0);
		return;
	}
	if (!(patch = record_new(req->arena, &meeting_def))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	record_set_str(patch, MEETING_STATUS, "cancelled");
	if (store_child_update(req->app->store, req->arena, api_actor(req),
			       CHILD_MEETING, doc.review->id, cur->id,
			       cur->version, patch, &stored, &review_version,
			       &e) != E_OK)
		goto fail;
	send_meeting(req, res, 200, &doc, stored ? stored : cur,
		     review_version);
	return;
fail:
	api_fail(res, &e);
}

/* unavailable answers 503 in the one error shape: e-mail is not set up. */
static void unavailable(struct response *res)
{
	json_t *j = json_pack("{s:{s:s, s:s, s:s}}", "error", "code",
			      "not_configured", "message",
			      "e-mail is not set up on this server (smtp_url): "
			      "download the invite and send it from your "
			      "calendar",
			      "field", "smtp");

	res_json(res, 503, j);
}

/* POST /api/v1/reviews/{id}/meeting/send: mails the invite, as it is at
 * the version the person saw ("version" or If-Match, required), to every
 * invitee with an address; {"sent_to": [...], "skipped": [names]}. Never
 * part of a save. */
void api_meeting_send(struct request *req, struct response *res)
{
	const struct config *cfg = req->app->cfg;
	struct review_doc doc;
	struct record *m;
	struct ical_site site = {0};
	struct ical_event ev = {0};
	struct smtp_server srv = {0};
	struct smtp_invite inv = {0};
	const struct value *iv;
	const char **to, *ics, *st;
	char host[256];
	json_t *body, *sent, *skipped;
	int64_t expected;
	struct err e;

	if (load(req, res, &doc) < 0)
		return;
	err_clear(&e);
	if (api_body(req, 1, &body, &e) != E_OK ||
	    api_only_version(body, &e) != E_OK ||
	    (expected = api_expected_version(req, body, &e)) < 0)
		goto fail;
	if (!(m = meeting_of(&doc))) {
		no_meeting(&e, &doc);
		goto fail;
	}
	if (!expected) {
		err_set(&e, E_BAD_REQUEST, "version",
			"give the version of the meeting you saw (version or "
			"If-Match): the invite is sent as it was then");
		goto fail;
	}
	if (expected != m->version) {
		stale(&e, m, expected);
		goto fail;
	}
	if (!cfg->smtp_url[0]) {
		unavailable(res);
		return;
	}
	iv = &m->v[MEETING_INVITEES];
	to = arena_alloc(req->arena, sizeof *to * (iv->nitems + 1));
	skipped = json_array();
	sent = json_array();
	if (!to || !skipped || !sent) {
		json_decref(skipped);
		json_decref(sent);
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t k = 0; iv->state == V_SET && k < iv->nitems; k++) {
		const char *name, *addr;

		if (meeting_invitee(req->arena, iv->items[k], &name, &addr) == 0 &&
		    addr) {
			to[inv.nto++] = addr;
			json_array_append_new(sent, json_string(addr));
		} else {
			json_array_append_new(skipped,
					      json_string(iv->items[k]));
		}
	}
	if (!inv.nto) {
		json_decref(skipped);
		json_decref(sent);
		err_set(&e, E_INVALID, "invitees",
			"no invitee has an e-mail address to send to");
		goto fail;
	}
	ical_site_from_config(cfg, &site, host, sizeof host);
	ev.meeting = m;
	ev.review_id = doc.review->id;
	ev.review_title = record_str(doc.review, REVIEW_TITLE);
	ev.review_url = ical_review_url(req->arena, cfg,
					req_header(req, "Host"),
					doc.review->id);
	st = record_str(m, MEETING_STATUS);
	if (!(ics = ical_invite(req->arena, &site, &ev, &e))) {
		json_decref(skipped);
		json_decref(sent);
		goto fail;
	}
	srv.url = cfg->smtp_url;
	srv.starttls = cfg->smtp_starttls;
	srv.user = cfg->smtp_user;
	srv.password = cfg->smtp_password;
	srv.from = cfg->smtp_from[0] ? cfg->smtp_from
		   : site.organizer ? site.organizer
				    : arena_printf(req->arena, "debrief@%s",
						   host[0] ? host
							   : "debrief.invalid");
	inv.to = to;
	inv.subject = arena_printf(req->arena, "%s: Review meeting: %s",
				   st && !strcmp(st, "cancelled") ? "Cancelled"
								  : "Invitation",
				   ev.review_title);
	inv.text = arena_printf(req->arena,
				"You are invited to the review meeting of "
				"\"%s\".\n%s\nThe invite is attached.\n",
				ev.review_title, ev.review_url);
	inv.ics = ics;
	inv.method = st && !strcmp(st, "cancelled") ? "CANCEL" : "REQUEST";
	if (!srv.from || !inv.subject || !inv.text) {
		json_decref(skipped);
		json_decref(sent);
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if (smtp_send(req->arena, &srv, &inv, &e) != E_OK) {
		json_t *j = json_pack("{s:{s:s, s:s, s:s}}", "error", "code",
				      "smtp_failed", "message", e.message,
				      "field", "smtp");

		json_decref(skipped);
		json_decref(sent);
		res_json(res, 502, j);
		return;
	}
	auth_audit(req, NULL, "meeting.send",
		   arena_printf(req->arena, "review %lld, %zu addresses",
				(long long)doc.review->id, inv.nto));
	res_json(res, 200, json_pack("{s:o, s:o}", "sent_to", sent, "skipped",
				     skipped));
	return;
fail:
	api_fail(res, &e);
}
