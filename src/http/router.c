/* router.c: the one route table (every web page and API endpoint) and the
 * lookup from method and path to handler.
 *
 * A pattern is a path of literal segments and {name} segments; {name}
 * matches one non-empty segment and its text becomes the next entry of
 * req->params. A trailing slash on the request path is ignored. When more
 * than one pattern matches, the most specific wins: patterns are compared
 * segment by segment from the left and a literal beats a {name}. So
 * /reviews/new wins over /reviews/{id}, and /api/v1/reviews/1/restore goes
 * to the restore route (405 for GET) rather than to /{id}/{kind}, whatever
 * the order of the table. HEAD is answered by the GET route (libmicrohttpd
 * drops the body). */
#include "http/http.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "http/auth.h"
#include "web/web.h"

/* Who may use a route; session_require (session.c) enforces it before the
 * handler runs. Every line states it; the zero value is "signed-in
 * readers", so a route whose field is forgotten is never public. */
enum access {
	ACCESS_READER = 0,
	ACCESS_PUBLIC, /* sign-in pages, static files, health */
	ACCESS_EDITOR, /* creating, changing, deleting reviews */
	ACCESS_ADMIN,  /* restoring, the deleted list, users */
};

/* How many body bytes a route takes (see router_body_limit): 0 is the
 * config's max_body, which is also the ceiling of every other value.
 * GET (and HEAD) routes take no body whatever the field says. */
#define BODY_SMALL  (16 * 1024)	  /* a button or sign-in: a few fields */
#define BODY_RECORD (1024 * 1024) /* one child record or text, as JSON;
				   * a web form of prose: past its field's
				   * limit, the handler gives the text back
				   * (a 413 could not: it is never read) */

struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	enum access access;
	size_t max_body;
	int files; /* 1: takes multipart/form-data (file uploads) */
	int pure;  /* 1: a POST that changes nothing, so read-scope API
		    * tokens may use it (every other POST, PUT, PATCH and
		    * DELETE is a write: see writes) */
};

/* A line may leave max_body out (0: max_body); -Wextra would warn. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct route routes[] = {
	/* web pages */
	{"GET", "/", web_index_page, ACCESS_READER},
	{"GET", "/deleted", web_deleted_page, ACCESS_ADMIN},
	{"GET", "/reviews/new", web_review_new_page, ACCESS_EDITOR},
	{"POST", "/reviews", web_review_create, ACCESS_EDITOR},
	{"GET", "/reviews/{id}", web_review_page, ACCESS_READER},
	{"GET", "/reviews/{id}/edit", web_review_edit_page, ACCESS_EDITOR},
	{"POST", "/reviews/{id}/edit", web_review_save, ACCESS_EDITOR},
	{"GET", "/reviews/{id}/history", web_review_history_page, ACCESS_READER},
	{"GET", "/reviews/{id}/chat", web_transcript_page, ACCESS_READER},
	{"POST", "/reviews/{id}/chat", web_transcript_upload, ACCESS_EDITOR, 0, 1},
	{"POST", "/reviews/{id}/chat/promote", web_transcript_promote, ACCESS_EDITOR, BODY_RECORD},
	{"POST", "/reviews/{id}/chat/slack", web_transcript_slack, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/reviews/{id}/comments/new", web_comment_new_page, ACCESS_READER},
	{"GET", "/reviews/{id}/comments/{cid}/edit", web_comment_edit_page, ACCESS_READER},
	{"POST", "/reviews/{id}/comments", web_comment_create, ACCESS_READER, BODY_RECORD},
	{"POST", "/reviews/{id}/comments/{cid}/edit", web_comment_edit, ACCESS_READER, BODY_RECORD},
	{"POST", "/reviews/{id}/comments/{cid}/delete", web_comment_delete, ACCESS_READER, BODY_SMALL},
	{"GET", "/learning", web_learning_page, ACCESS_READER},
	{"GET", "/glossary", web_glossary_page, ACCESS_READER},
	{"POST", "/glossary", web_glossary_create, ACCESS_EDITOR, BODY_RECORD},
	{"POST", "/glossary/{id}/edit", web_glossary_edit, ACCESS_EDITOR, BODY_RECORD},
	{"POST", "/glossary/{id}/delete", web_glossary_delete, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/reviews/{id}/print", web_review_print, ACCESS_READER},
	{"GET", "/reviews/{id}/markdown", web_review_markdown, ACCESS_READER},
	{"GET", "/reviews/{id}/meeting.ics", web_meeting_ics, ACCESS_READER},
	{"GET", "/reviews/{id}/meeting", web_meeting_page, ACCESS_READER},
	{"POST", "/reviews/{id}/meeting", web_meeting_save, ACCESS_EDITOR, BODY_RECORD},
	{"GET", "/reviews/{id}/meeting/run", web_meeting_run, ACCESS_EDITOR},
	{"GET", "/reviews/{id}/meeting/notes", web_meeting_notes, ACCESS_EDITOR},
	{"GET", "/calendar", web_calendar_page, ACCESS_READER},
	{"POST", "/calendar/token", web_calendar_token, ACCESS_READER, BODY_SMALL},
	/* calendar apps cannot sign in: the handler checks ?token= or the
	 * session (calendar.c) */
	{"GET", "/calendar.ics", web_calendar_feed, ACCESS_PUBLIC},
	{"GET", "/facilitators", web_facilitators_page, ACCESS_READER},
	{"POST", "/facilitators", web_facilitators_add, ACCESS_EDITOR, BODY_SMALL},
	{"POST", "/facilitators/{id}/available", web_facilitator_available, ACCESS_EDITOR, BODY_SMALL},
	{"POST", "/reviews/{id}/meeting/take", web_meeting_take, ACCESS_EDITOR, BODY_SMALL},
	{"POST", "/reviews/{id}/delete", web_review_delete, ACCESS_EDITOR, BODY_SMALL},
	{"POST", "/reviews/{id}/restore", web_review_restore, ACCESS_ADMIN, BODY_SMALL},
	{"POST", "/reviews/{id}/followups/{fid}/ticket", web_followup_ticket, ACCESS_EDITOR, BODY_SMALL},
	/* architecture reviews: questions asked and voted on the page */
	{"POST", "/reviews/{id}/questions", web_question_ask, ACCESS_EDITOR, BODY_RECORD},
	{"POST", "/reviews/{id}/questions/{child}/vote", web_question_vote, ACCESS_EDITOR, BODY_SMALL},
	/* a post-incident review: the contingency rows of its launches */
	{"GET", "/reviews/{id}/foreseen", web_foreseen_page, ACCESS_READER},
	{"POST", "/reviews/{id}/foreseen", web_foreseen_add, ACCESS_EDITOR, BODY_RECORD},
	{"POST", "/preview", web_preview, ACCESS_EDITOR, BODY_RECORD},
	{"GET", "/settings", web_settings_page, ACCESS_READER},
	{"POST", "/settings", web_settings_save, ACCESS_READER, BODY_SMALL},
	{"GET", "/reviews/{id}/timeline/{child}/edit", web_timeline_entry_page, ACCESS_EDITOR},
	{"POST", "/reviews/{id}/timeline/{child}/edit", web_timeline_entry_save, ACCESS_EDITOR, BODY_RECORD},
	{"GET", "/followups", web_followups_page, ACCESS_READER},
	{"GET", "/coach", web_coach_help, ACCESS_READER},
	{"GET", "/coach/{category}", web_coach_help, ACCESS_READER},
	/* learning across reviews (issue 17) */
	{"GET", "/search", web_search_page, ACCESS_READER},
	{"GET", "/trends", web_trends_page, ACCESS_READER},
	{"GET", "/on-this-day", web_on_this_day_page, ACCESS_READER},
	{"GET", "/static/{name}", web_static, ACCESS_PUBLIC},
	{"GET", "/login", web_login_page, ACCESS_PUBLIC},
	{"POST", "/login", web_login, ACCESS_PUBLIC, BODY_SMALL},
	{"GET", "/logout", web_logout_page, ACCESS_PUBLIC},
	{"POST", "/logout", web_logout, ACCESS_PUBLIC, BODY_SMALL},
	{"GET", "/admin", web_admin_page, ACCESS_ADMIN},
	{"GET", "/admin/users", web_admin_users_page, ACCESS_ADMIN},
	{"POST", "/admin/users", web_admin_user_create, ACCESS_ADMIN, BODY_SMALL},
	{"GET", "/admin/users/{name}", web_admin_user_page, ACCESS_ADMIN},
	{"POST", "/admin/users/{name}/edit", web_admin_user_edit, ACCESS_ADMIN, BODY_SMALL},
	{"POST", "/admin/users/{name}/password", web_admin_user_password, ACCESS_ADMIN, BODY_SMALL},
	{"POST", "/admin/users/{name}/disable", web_admin_user_disable, ACCESS_ADMIN, BODY_SMALL},
	{"POST", "/admin/users/{name}/enable", web_admin_user_enable, ACCESS_ADMIN, BODY_SMALL},
	{"POST", "/admin/users/{name}/signout", web_admin_user_signout, ACCESS_ADMIN, BODY_SMALL},
	{"POST", "/admin/users/{name}/tokens/{id}/revoke", web_admin_user_token_revoke, ACCESS_ADMIN, BODY_SMALL},
	{"GET", "/admin/audit", web_admin_audit_page, ACCESS_ADMIN},

	/* JSON API */
	{"GET", "/api/v1/health", api_health, ACCESS_PUBLIC},
	{"GET", "/api/v1/ready", api_ready, ACCESS_PUBLIC},
	/* guarded by metrics.token / metrics.allow in the handler */
	{"GET", "/metrics", api_metrics, ACCESS_PUBLIC},
	{"POST", "/api/v1/lint", api_lint, ACCESS_READER, BODY_RECORD, 0, 1},
	{"GET", "/api/v1/reviews", api_reviews_list, ACCESS_READER},
	{"POST", "/api/v1/reviews", api_reviews_create, ACCESS_EDITOR},
	{"GET", "/api/v1/reviews/{id}", api_review_get, ACCESS_READER},
	{"PATCH", "/api/v1/reviews/{id}", api_review_patch, ACCESS_EDITOR},
	{"DELETE", "/api/v1/reviews/{id}", api_review_delete, ACCESS_EDITOR, BODY_SMALL},
	{"POST", "/api/v1/reviews/{id}/restore", api_review_restore, ACCESS_ADMIN, BODY_SMALL},
	{"GET", "/api/v1/reviews/{id}/revisions", api_revisions_list, ACCESS_READER},
	{"GET", "/api/v1/reviews/{id}/transcripts", api_transcripts_list, ACCESS_READER},
	{"POST", "/api/v1/reviews/{id}/transcripts", api_transcripts_upload, ACCESS_EDITOR, 0, 1},
	{"POST", "/api/v1/reviews/{id}/transcripts/promote", api_transcripts_promote, ACCESS_EDITOR, BODY_RECORD},
	{"POST", "/api/v1/reviews/{id}/transcripts/slack", api_transcripts_slack, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/reviews/{id}/meeting", api_meeting_get, ACCESS_READER},
	{"PUT", "/api/v1/reviews/{id}/meeting", api_meeting_put, ACCESS_EDITOR, BODY_RECORD},
	{"DELETE", "/api/v1/reviews/{id}/meeting", api_meeting_delete, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/meetings/lag", api_meeting_lag, ACCESS_READER},
	{"POST", "/api/v1/reviews/{id}/meeting/send", api_meeting_send, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/reviews/{id}/meeting/facilitators", api_meeting_facilitators, ACCESS_READER},
	{"GET", "/api/v1/facilitators", api_facilitators_list, ACCESS_READER},
	{"POST", "/api/v1/facilitators", api_facilitators_create, ACCESS_EDITOR, BODY_SMALL},
	{"PATCH", "/api/v1/facilitators/{id}", api_facilitator_patch, ACCESS_EDITOR, BODY_SMALL},
	{"DELETE", "/api/v1/facilitators/{id}", api_facilitator_delete, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/reviews/{id}/export", api_review_export, ACCESS_READER},
	{"GET", "/api/v1/export", api_export_all, ACCESS_READER},
	{"POST", "/api/v1/import/md", api_import_md, ACCESS_ADMIN},
	{"POST", "/api/v1/import/json", api_import_json, ACCESS_ADMIN},
	{"POST", "/api/v1/reviews/{id}/followups/{fid}/ticket", api_followup_ticket, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/followups", api_followups_list, ACCESS_READER},
	{"GET", "/api/v1/followups/digest", api_followups_digest, ACCESS_READER},
	/* trackers' webhooks: signed with a tracker's secret (api/hooks.c) */
	{"POST", "/hooks/jira", api_hook_jira, ACCESS_PUBLIC, BODY_RECORD},
	{"POST", "/hooks/github", api_hook_github, ACCESS_PUBLIC, BODY_RECORD},
	/* learning signals (issue 17); readers may comment, only the
	 * author edits a comment (checked in children.c) */
	{"GET", "/api/v1/reviews/{id}/reads", api_review_reads, ACCESS_READER},
	{"GET", "/api/v1/reviews/{id}/inbound-links", api_review_inbound_links, ACCESS_READER},
	{"GET", "/api/v1/learning", api_learning, ACCESS_READER},
	{"GET", "/api/v1/glossary", api_glossary_list, ACCESS_READER},
	{"POST", "/api/v1/glossary", api_glossary_create, ACCESS_EDITOR, BODY_SMALL},
	{"PATCH", "/api/v1/glossary/{id}", api_glossary_patch, ACCESS_EDITOR, BODY_SMALL},
	{"DELETE", "/api/v1/glossary/{id}", api_glossary_delete, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/reviews/{id}/comments", api_comments_list, ACCESS_READER},
	{"POST", "/api/v1/reviews/{id}/comments", api_comment_create, ACCESS_READER, BODY_RECORD},
	{"GET", "/api/v1/reviews/{id}/comments/{child}", api_comment_get, ACCESS_READER},
	{"PATCH", "/api/v1/reviews/{id}/comments/{child}", api_comment_patch, ACCESS_READER, BODY_RECORD},
	{"DELETE", "/api/v1/reviews/{id}/comments/{child}", api_comment_delete, ACCESS_READER, BODY_SMALL},
	{"GET", "/api/v1/reviews/{id}/{kind}", api_children_list, ACCESS_READER},
	{"POST", "/api/v1/reviews/{id}/{kind}", api_child_create, ACCESS_EDITOR, BODY_RECORD},
	{"GET", "/api/v1/reviews/{id}/{kind}/{child}", api_child_get, ACCESS_READER},
	{"PATCH", "/api/v1/reviews/{id}/{kind}/{child}", api_child_patch, ACCESS_EDITOR, BODY_RECORD},
	{"DELETE", "/api/v1/reviews/{id}/{kind}/{child}", api_child_delete, ACCESS_EDITOR, BODY_SMALL},
	/* architecture reviews: one vote per person for a question */
	{"POST", "/api/v1/reviews/{id}/questions/{child}/votes", api_question_vote, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/users", api_users_list, ACCESS_ADMIN},
	{"POST", "/api/v1/users", api_users_create, ACCESS_ADMIN, BODY_SMALL},
	{"GET", "/api/v1/users/{name}", api_user_get, ACCESS_ADMIN},
	{"PATCH", "/api/v1/users/{name}", api_user_patch, ACCESS_ADMIN, BODY_SMALL},
	{"DELETE", "/api/v1/users/{name}/sessions", api_user_signout, ACCESS_ADMIN, BODY_SMALL},
	{"GET", "/api/v1/users/{name}/tokens", api_user_tokens, ACCESS_ADMIN},
	{"DELETE", "/api/v1/users/{name}/tokens/{id}", api_user_token_revoke, ACCESS_ADMIN, BODY_SMALL},
	{"GET", "/api/v1/audit", api_audit_list, ACCESS_ADMIN},
	{"GET", "/api/v1/reviews/{id}/draft", api_draft_get, ACCESS_EDITOR},
	{"PUT", "/api/v1/reviews/{id}/draft", api_draft_put, ACCESS_EDITOR},
	{"DELETE", "/api/v1/reviews/{id}/draft", api_draft_delete, ACCESS_EDITOR, BODY_SMALL},
	{"GET", "/api/v1/me", api_me_get, ACCESS_READER},
	{"PATCH", "/api/v1/me", api_me_patch, ACCESS_READER, BODY_SMALL},
	/* learning across reviews (issue 17) */
	{"GET", "/api/v1/search", api_search, ACCESS_READER},
	{"GET", "/api/v1/trends/{series}", api_trend, ACCESS_READER},
	{"GET", "/api/v1/on-this-day", api_on_this_day, ACCESS_READER},
	{"GET", "/api/v1/reviews/{id}/related", api_review_related, ACCESS_READER},
	{"GET", "/api/v1/reviews/{id}/foreseen", api_review_foreseen, ACCESS_READER},
	{"GET", "/api/v1/drafts/new", api_draft_get, ACCESS_EDITOR},
	{"PUT", "/api/v1/drafts/new", api_draft_put, ACCESS_EDITOR},
	{"DELETE", "/api/v1/drafts/new", api_draft_delete, ACCESS_EDITOR, BODY_SMALL},
};
#pragma GCC diagnostic pop

#define NROUTES	     (sizeof routes / sizeof routes[0])
#define MAX_SEGMENTS 16

struct segments {
	const char *s[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS];
	size_t n;
};

/* split cuts a path into segments ("/" has none; one trailing slash is
 * dropped; an empty segment in the middle is kept as empty). Returns -1
 * when there are too many or the path does not start with '/'. */
static int split(const char *path, struct segments *sg)
{
	const char *p = path;

	sg->n = 0;
	if (*p != '/')
		return -1;
	p++;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (sg->n == MAX_SEGMENTS)
			return -1;
		sg->s[sg->n] = p;
		sg->len[sg->n] = len;
		sg->n++;
		if (!slash)
			break;
		p = slash + 1;
	}
	return 0;
}

/* match compares a pattern with the path's segments. Returns -1 when it
 * does not match, else its specificity: one bit per segment, the leftmost
 * segment the highest bit, set where the pattern has a literal. */
static long match(const struct segments *pat, const struct segments *path,
		  struct segments *params)
{
	long score = 0;

	if (pat->n != path->n)
		return -1;
	params->n = 0;
	for (size_t i = 0; i < pat->n; i++) {
		score <<= 1;
		if (pat->s[i][0] == '{') {
			if (path->len[i] == 0)
				return -1;
			params->s[params->n] = path->s[i];
			params->len[params->n] = path->len[i];
			params->n++;
			continue;
		}
		if (pat->len[i] != path->len[i] ||
		    memcmp(pat->s[i], path->s[i], pat->len[i]) != 0)
			return -1;
		score |= 1;
	}
	return score;
}

static int method_is(const char *route_method, const char *method)
{
	if (!strcmp(route_method, method))
		return 1;
	return !strcmp(method, "HEAD") && !strcmp(route_method, "GET");
}

static void allow_add(char *allow, size_t allowlen, const char *method)
{
	size_t n = strlen(allow);

	snprintf(allow + n, allowlen - n, "%s%s", n ? ", " : "", method);
}

/* The routes' patterns split once (split_routes): a request compares
 * its path with every pattern. n is MAX_SEGMENTS + 1 for a pattern that
 * does not split (it matches nothing). */
static struct segments route_segs[NROUTES];
static pthread_once_t route_segs_once = PTHREAD_ONCE_INIT;

static void split_routes(void)
{
	for (size_t i = 0; i < NROUTES; i++)
		if (split(routes[i].pattern, &route_segs[i]) < 0)
			route_segs[i].n = MAX_SEGMENTS + 1;
}

/* route_find is router_match returning the route itself. */
static const struct route *route_find(struct request *req, char *allow,
				      size_t allowlen)
{
	struct segments path, params, best_params = {0};
	const struct route *best = NULL;
	long best_score = -1;

	if (allowlen)
		allow[0] = '\0';
	req->nparams = 0;
	if (!req->path || split(req->path, &path) < 0)
		return NULL;
	pthread_once(&route_segs_once, split_routes);
	/* the most specific pattern that matches the path */
	for (size_t i = 0; i < NROUTES; i++) {
		long score = match(&route_segs[i], &path, &params);

		if (score > best_score) {
			best_score = score;
			best = &routes[i];
		}
	}
	if (!best)
		return NULL;
	/* the route of that pattern for this method */
	for (size_t i = 0; i < NROUTES; i++) {
		if (strcmp(routes[i].pattern, best->pattern) != 0)
			continue;
		if (method_is(routes[i].method, req->method)) {
			match(&route_segs[i], &path, &best_params);
			for (size_t k = 0; req->arena && k < best_params.n &&
					   k < REQ_MAX_PARAMS;
			     k++) {
				req->params[k] = arena_strndup(
					req->arena, best_params.s[k],
					best_params.len[k]);
				if (!req->params[k])
					return NULL;
				req->nparams++;
			}
			return &routes[i];
		}
		if (allowlen) {
			allow_add(allow, allowlen, routes[i].method);
			if (!strcmp(routes[i].method, "GET"))
				allow_add(allow, allowlen, "HEAD");
		}
	}
	return NULL;
}

handler_fn router_match(struct request *req, char *allow, size_t allowlen)
{
	const struct route *r = route_find(req, allow, allowlen);

	return r ? r->handler : NULL;
}

handler_fn request_as(struct request *req, struct response *res,
		      struct app *app, struct arena *a, const char *method,
		      const char *path, const char *user, int role,
		      const char *groups)
{
	const struct route *r;

	memset(req, 0, sizeof *req);
	memset(res, 0, sizeof *res);
	req->app = app;
	req->arena = a;
	req->method = method;
	req->path = path;
	req->body = "";
	req->auth_resolved = 1;
	req->user = user;
	req->role = role;
	req->groups = groups;
	req->auth_via = AUTH_VIA_TOKEN;
	res->status = 200;
	res->arena = a;
	r = route_find(req, NULL, 0);
	if (!r)
		return NULL;
	req->route = r->pattern;
	return r->handler;
}

size_t router_body_limit(const char *method, const char *path, size_t max_body)
{
	struct request req;
	const struct route *r;
	size_t limit;

	memset(&req, 0, sizeof req); /* no arena: params are not copied */
	req.method = method;
	req.path = path;
	r = route_find(&req, NULL, 0);
	if (!r)
		limit = BODY_SMALL; /* answered 404 or 405: read and dropped */
	else if (!strcmp(r->method, "GET"))
		limit = 0;
	else
		limit = r->max_body ? r->max_body : max_body;
	return limit < max_body ? limit : max_body;
}

int router_takes_files(const char *method, const char *path)
{
	struct request req;
	const struct route *r;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = path;
	r = route_find(&req, NULL, 0);
	return r && r->files && strcmp(r->method, "GET");
}

/* writes says whether route r changes state: every method but GET (and
 * HEAD, answered by it), unless the route is marked pure. */
static int writes(const struct route *r)
{
	return strcmp(r->method, "GET") != 0 && !r->pure;
}

/* min_role is the least role that may use route r. */
static int min_role(const struct route *r)
{
	switch (r->access) {
	case ACCESS_PUBLIC: return ROLE_NONE;
	case ACCESS_EDITOR: return ROLE_EDITOR;
	case ACCESS_ADMIN: return ROLE_ADMIN;
	default: return ROLE_READER;
	}
}

static int is_api(const char *path)
{
	return path && (!strncmp(path, "/api/", 5) || !strcmp(path, "/api"));
}

static void method_not_allowed(struct request *req, struct response *res,
			       const char *allow)
{
	char msg[160];

	snprintf(msg, sizeof msg, "%s is not allowed here; allowed: %s",
		 req->method, allow);
	if (is_api(req->path)) {
		json_t *j = json_pack("{s:{s:s, s:s, s:n}}", "error", "code",
				      "method_not_allowed", "message", msg,
				      "field");

		res_json(res, 405, j);
	} else {
		web_error_page(req, res, 405, msg);
		res->status = 405;
	}
	res_header(res, "Allow", allow);
}

/* csrf_pass applies the CSRF rule (auth_csrf_check in csrf.c: a request
 * that changes state and could come from a browser needs the request's
 * token; API tokens and requests without browser headers pass) to every
 * route but the public ones (sign-in and sign-out check their own token).
 * A refusal answers 403 and no handler runs, so nothing changes. */
static int csrf_pass(struct request *req, struct response *res,
		     const struct route *r)
{
	if (r->access == ACCESS_PUBLIC || auth_csrf_check(req))
		return 1;
	if (is_api(req->path)) {
		json_t *j = json_pack(
			"{s:{s:s, s:s, s:n}}", "error", "code", "csrf",
			"message",
			"this request needs the CSRF token of your session "
			"(header " AUTH_CSRF_HEADER ", or form field csrf); "
			"scripts should use an API token",
			"field");

		res_json(res, 403, j);
	} else {
		web_csrf_failed(req, res);
	}
	return 0;
}

void router_dispatch(struct request *req, struct response *res)
{
	char allow[96];
	const struct route *r = route_find(req, allow, sizeof allow);

	if (r) {
		req->route = r->pattern;
		/* the one permission check: no handler runs for a request
		 * whose role is below its route's, nor for a state change
		 * by a read-scope API token or without its CSRF token */
		if ((!writes(r) || r->access == ACCESS_PUBLIC ||
		     session_may_write(req, res)) &&
		    session_require(req, res, min_role(r)) &&
		    csrf_pass(req, res, r))
			r->handler(req, res);
		return;
	}
	if (allow[0]) {
		if (!strcmp(req->method, "OPTIONS")) {
			res->status = 204;
			res_header(res, "Allow", allow);
			return;
		}
		method_not_allowed(req, res, allow);
		return;
	}
	if (is_api(req->path))
		api_not_found(req, res);
	else
		web_not_found(req, res);
}
