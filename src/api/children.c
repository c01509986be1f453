/* children.c: /api/v1/reviews/{id}/{kind}[/{child}] for every kind of
 * record that belongs to a review (timeline, followups, factors, people,
 * links, tags, lint-allows). One set of handlers serves them all through
 * child_defs; tags may also be named by their name instead of their id.
 * A lint allow entry's "who" is the person who wrote it, never what the
 * body says; so is a comment's "author" (comments.c routes them, since
 * readers may comment too), and only its author may change it. */
#include "api/api.h"

#include <string.h>
#include <strings.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "integrations/flags.h"
#include "model/record_json.h"
#include "model/review.h"
#include "store/store.h"
#include "util/timeutil.h"

/* A child request: which review, which kind, and the review's version. */
struct child_ctx {
	int64_t review_id;
	int64_t review_version;
	enum child_kind kind;
	const struct record_def *def;
};

/* child_begin reads the review id and the kind from the path and checks
 * that the review exists, is not deleted and is visible to the asker
 * (access.h); answers 404 and returns -1 otherwise. */
static int child_begin(struct request *req, struct response *res,
		       struct child_ctx *c)
{
	int k = req->nparams > 1 ? child_kind_from_segment(req->params[1]) : -1;
	struct err e;

	c->review_id = api_review_id(req, res);
	if (!c->review_id)
		return -1;
	if (k < 0) {
		api_failf(res, E_NOT_FOUND, NULL,
			  "no such list in a review: %s",
			  req->nparams > 1 && req->params[1] ? req->params[1]
							     : "");
		return -1;
	}
	c->kind = (enum child_kind)k;
	c->def = child_defs[k];
	err_clear(&e);
	if (access_review_version(req, c->review_id, &c->review_version,
				  &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			err_set(&e, E_NOT_FOUND, "id", "no review %lld",
				(long long)c->review_id);
		api_fail(res, &e);
		return -1;
	}
	return 0;
}

/* drop_internal removes from body the fields only the server sets (a
 * question's votes): read-only like "id", so that a client may send back
 * what it was given. */
static void drop_internal(const struct record_def *def, json_t *body)
{
	for (size_t f = 0; json_is_object(body) && f < def->nfields; f++)
		if (def->fields[f].flags & (F_INTERNAL | F_SERVER))
			json_object_del(body, def->fields[f].name);
	if (def == &contingency_def && json_is_object(body))
		json_object_del(body, "flag_state"); /* the source's, see below */
}

/* find_tag_by_name looks a tag of the review up by its name. */
static enum err_code find_tag_by_name(struct request *req,
				      const struct child_ctx *c,
				      const char *name, struct record **out,
				      struct err *e)
{
	struct record_list l = {0};

	if (store_child_list(req->app->store, req->arena, CHILD_TAG,
			     c->review_id, &l, e) != E_OK)
		return e->code;
	for (size_t i = 0; i < l.n; i++) {
		const char *s = record_str(l.items[i], TAG_NAME);

		if (s && !strcmp(s, name)) {
			*out = l.items[i];
			return E_OK;
		}
	}
	return err_set(e, E_NOT_FOUND, "tag", "review %lld has no tag %s",
		       (long long)c->review_id, name);
}

/* find_same_allow looks for a live allow entry of the review with rec's
 * phrase (ignoring case) and category. */
static enum err_code find_same_allow(struct request *req,
				     const struct child_ctx *c,
				     const struct record *rec,
				     struct record **out, struct err *e)
{
	struct record_list l = {0};
	const char *ph = record_str(rec, LA_PHRASE);
	const char *cat = record_str(rec, LA_CATEGORY);

	if (store_child_list(req->app->store, req->arena, CHILD_LINT_ALLOW,
			     c->review_id, &l, e) != E_OK)
		return e->code;
	for (size_t i = 0; i < l.n; i++) {
		const char *p = record_str(l.items[i], LA_PHRASE);
		const char *k = record_str(l.items[i], LA_CATEGORY);

		if (p && k && ph && cat && !strcasecmp(p, ph) &&
		    !strcmp(k, cat)) {
			*out = l.items[i];
			return E_OK;
		}
	}
	return E_NOT_FOUND;
}

/* comment_may_change: only a comment's author changes it (admins may
 * also delete it); what it answers and where it is stay as they are.
 * Answers 403 or 400 and returns -1 otherwise. */
static int comment_may_change(struct request *req, struct response *res,
			      const struct record *cur,
			      const struct record *patch, int deleting)
{
	const char *author = record_str(cur, COMMENT_AUTHOR);
	int mine = author && !strcmp(author, api_actor(req));

	if (!mine && !(deleting && api_user_is_admin(req))) {
		api_forbidden(res, deleting ? "only the author of a comment "
					      "or an admin may delete it"
					    : "only the author of a comment "
					      "may edit it");
		return -1;
	}
	if (patch && (patch->v[COMMENT_PARENT_ID].state != V_ABSENT ||
		      patch->v[COMMENT_TIMELINE_ID].state != V_ABSENT)) {
		api_failf(res, E_BAD_REQUEST,
			  patch->v[COMMENT_PARENT_ID].state != V_ABSENT
				  ? "parent_id"
				  : "timeline_id",
			  "a comment stays where it was written: parent_id "
			  "and timeline_id cannot change");
		return -1;
	}
	return 0;
}

/* child_find loads the child named by route parameter 2: an id, or for
 * tags also a name (an id is tried first). */
static enum err_code child_find(struct request *req, const struct child_ctx *c,
				struct record **out, struct err *e)
{
	const char *p = req->nparams > 2 ? req->params[2] : NULL;
	int64_t id = req->nparams > 2 ? req_param_id(req, 2) : 0;
	enum err_code rc = E_NOT_FOUND;

	if (id > 0) {
		rc = store_child_get(req->app->store, req->arena, c->kind,
				     c->review_id, id, out, e);
		if (rc != E_NOT_FOUND)
			return rc;
	}
	if (c->kind == CHILD_TAG && p && *p)
		return find_tag_by_name(req, c, p, out, e);
	return err_set(e, E_NOT_FOUND, c->def->segment,
		       "review %lld has no %s %s", (long long)c->review_id,
		       c->def->name, p ? p : "");
}

/* api_child_json (api_internal.h) is the child's object with "review_id"
 * and, when review_version > 0, the review's version after the write. */
json_t *api_child_json(const struct record *r, int64_t review_id,
		       int64_t review_version)
{
	json_t *o = record_to_json(r), *fs;

	if (!o)
		return NULL;
	if (r->def == &contingency_def &&
	    json_object_set_new(o, "flag_state",
				(fs = api_flag_state_json(r)) ? fs : json_null())) {
		json_decref(o);
		return NULL;
	}
	if (json_object_set_new(o, "review_id", json_integer(review_id)) ||
	    (review_version > 0 &&
	     json_object_set_new(o, "review_version",
				 json_integer(review_version)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void send_child(struct request *req, struct response *res, int status,
		       const struct child_ctx *c, const struct record *r,
		       int64_t review_version)
{
	json_t *j = api_child_json(r, c->review_id, review_version);

	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	if (c->kind == CHILD_FOLLOWUP)
		api_tickets_decorate(req, j, c->review_id);
	api_set_etag(req, res, r->version);
	res_json(res, status, j);
}

void api_children_list(struct request *req, struct response *res)
{
	struct child_ctx c;
	struct record_list l = {0};
	struct err e;
	json_t *out, *arr;

	if (req->nparams > 1 && req->params[1] &&
	    !strcmp(req->params[1], "revisions")) {
		api_revisions_list(req, res);
		return;
	}
	if (child_begin(req, res, &c) < 0)
		return;
	err_clear(&e);
	if (store_child_list(req->app->store, req->arena, c.kind, c.review_id,
			     &l, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I}", c.def->segment, "review_version",
			(json_int_t)c.review_version);
	if (!out)
		goto oom;
	arr = json_object_get(out, c.def->segment);
	for (size_t i = 0; i < l.n; i++) {
		json_t *j = api_child_json(l.items[i], c.review_id, 0);

		if (!j || json_array_append_new(arr, j)) {
			json_decref(out);
			goto oom;
		}
	}
	if (c.kind == CHILD_FOLLOWUP)
		api_tickets_decorate(req, arr, c.review_id);
	res_json(res, 200, out);
	return;
oom:
	api_failf(res, E_NOMEM, NULL, "out of memory");
}

void api_child_create(struct request *req, struct response *res)
{
	struct child_ctx c;
	struct record *rec, *stored, *existing = NULL;
	int64_t child_id = 0, review_version = 0;
	json_t *body;
	char *location;
	struct err e;

	if (req->nparams > 1 && req->params[1] &&
	    !strcmp(req->params[1], "restore")) {
		api_review_restore(req, res);
		return;
	}
	if (child_begin(req, res, &c) < 0)
		return;
	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK)
		goto fail;
	drop_internal(c.def, body);
	if (record_from_json(req->arena, c.def, body, &rec, &e) != E_OK)
		goto fail;
	record_fill_defaults(req->arena, rec);
	if (c.kind == CHILD_LINT_ALLOW)
		record_set_str(rec, LA_WHO, api_actor(req));
	if (c.kind == CHILD_QUESTION) /* who asked: the server knows */
		record_set_str(rec, Q_ASKED_BY, api_actor(req));
	if (record_validate(rec, &e) != E_OK ||
	    (c.kind == CHILD_MEETING &&
	     api_meeting_check(req, rec, &e) != E_OK))
		goto fail;
	if (c.kind == CHILD_COMMENT && store_comment_prepare(req->app->store, req->arena, api_actor(req),
				  c.review_id, rec, &e) != E_OK)
		goto fail;
	if (c.kind == CHILD_LINT_ALLOW &&
	    find_same_allow(req, &c, rec, &existing, &e) == E_OK) {
		/* allowing what is allowed already changes nothing */
		send_child(req, res, 200, &c, existing, c.review_version);
		return;
	}
	if (c.kind == CHILD_TAG &&
	    find_tag_by_name(req, &c, record_str(rec, TAG_NAME), &existing,
			     &e) == E_OK) {
		/* Adding a tag the review already has changes nothing. */
		send_child(req, res, 200, &c, existing, c.review_version);
		return;
	}
	err_clear(&e);
	if (store_child_create(req->app->store, req->arena, api_actor(req),
			       c.kind, c.review_id, rec, &child_id,
			       &review_version, &e) != E_OK ||
	    store_child_get(req->app->store, req->arena, c.kind, c.review_id,
			    child_id, &stored, &e) != E_OK)
		goto fail;
	location = arena_printf(req->arena, "/api/v1/reviews/%lld/%s/%lld",
				(long long)c.review_id, c.def->segment,
				(long long)child_id);
	if (location)
		res_header(res, "Location", location);
	send_child(req, res, 201, &c, stored, review_version);
	return;
fail:
	api_fail(res, &e);
}

void api_child_get(struct request *req, struct response *res)
{
	struct child_ctx c;
	struct record *r;
	struct err e;

	if (child_begin(req, res, &c) < 0)
		return;
	err_clear(&e);
	if (child_find(req, &c, &r, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	send_child(req, res, 200, &c, r, 0);
}

static int patch_is_empty(const struct record *patch)
{
	for (size_t f = 0; f < patch->def->nfields; f++)
		if (patch->v[f].state != V_ABSENT)
			return 0;
	return 1;
}

static enum err_code stale(struct err *e, const struct child_ctx *c,
			   const struct record *cur, int64_t expected)
{
	err_set(e, E_CONFLICT, "version",
		"this %s is at version %lld, not %lld", c->def->name,
		(long long)cur->version, (long long)expected);
	e->current_version = cur->version;
	return E_CONFLICT;
}

void api_child_patch(struct request *req, struct response *res)
{
	struct child_ctx c;
	struct record *patch, *cur, *merged, *updated = NULL;
	int64_t expected, review_version = 0;
	json_t *body;
	struct err e;

	if (child_begin(req, res, &c) < 0)
		return;
	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK)
		goto fail;
	/* read-only, like "id" and "version": a client may send back what
	 * it was given */
	json_object_del(body, "review_version");
	if (c.kind == CHILD_LINT_ALLOW) /* set by the server, see above */
		json_object_del(body, "who");
	if (c.kind == CHILD_COMMENT) {
		json_object_del(body, "author");
		json_object_del(body, "after_publication");
	}
	drop_internal(c.def, body);
	if (record_from_json(req->arena, c.def, body, &patch, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0 || child_find(req, &c, &cur, &e) != E_OK)
		goto fail;
	if (c.kind == CHILD_COMMENT &&
	    comment_may_change(req, res, cur, patch, 0) < 0)
		return;
	if (expected && expected != cur->version) {
		stale(&e, &c, cur, expected);
		goto fail;
	}
	if (patch_is_empty(patch)) {
		send_child(req, res, 200, &c, cur, c.review_version);
		return;
	}
	merged = record_copy(req->arena, cur);
	if (!merged) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	record_apply(merged, patch);
	if (record_validate(merged, &e) != E_OK ||
	    (c.kind == CHILD_MEETING &&
	     api_meeting_check(req, merged, &e) != E_OK))
		goto fail;
	if (store_child_update(req->app->store, req->arena, api_actor(req),
			       c.kind, c.review_id, cur->id, expected, patch,
			       &updated, &review_version, &e) != E_OK)
		goto fail;
	if (!updated &&
	    store_child_get(req->app->store, req->arena, c.kind, c.review_id,
			    cur->id, &updated, &e) != E_OK)
		goto fail;
	send_child(req, res, 200, &c, updated, review_version);
	return;
fail:
	api_fail(res, &e);
}

void api_child_delete(struct request *req, struct response *res)
{
	struct child_ctx c;
	struct record *cur;
	int64_t expected;
	json_t *body;
	struct err e;

	if (child_begin(req, res, &c) < 0)
		return;
	err_clear(&e);
	if (api_body(req, 1, &body, &e) != E_OK ||
	    api_only_version(body, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0 || child_find(req, &c, &cur, &e) != E_OK)
		goto fail;
	if (c.kind == CHILD_COMMENT &&
	    comment_may_change(req, res, cur, NULL, 1) < 0)
		return;
	if (expected && expected != cur->version) {
		stale(&e, &c, cur, expected);
		goto fail;
	}
	if (store_child_delete(req->app->store, req->arena, api_actor(req),
			       c.kind, c.review_id, cur->id, expected, NULL,
			       &e) != E_OK)
		goto fail;
	res->status = 204;
	return;
fail:
	api_fail(res, &e);
}
