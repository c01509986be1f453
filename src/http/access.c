/* access.c: the request's side of restricted reviews: the viewer of a
 * request, the version read and the load that answer 404 for a review the
 * user may not see, the cache key part of pages that span reviews, and
 * who may restrict a review to which groups. The rule itself lives in
 * review_visible (model) and its SQL twin (store). */
#include "http/access.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"

void access_viewer(struct request *req, struct viewer *v)
{
	session_current_user(req);
	v->all = req->role >= ROLE_ADMIN;
	v->groups_json = req->groups ? req->groups : "[]";
}

enum err_code access_review_version(struct request *req, int64_t id,
				    int64_t *version, struct err *e)
{
	struct viewer v;

	access_viewer(req, &v);
	return store_review_version_for(req->app->store, id, &v, version, e);
}

/* hidden: a review v does not see is E_NOT_FOUND, word for word what the
 * store says of a missing review. */
static enum err_code hidden(const struct record *r, const struct viewer *v,
			    int64_t id, struct err *e)
{
	if (review_visible(r, v))
		return E_OK;
	return err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
		       (long long)id);
}

enum err_code access_review_head(struct request *req, int64_t id,
				 int include_deleted, struct record **out,
				 struct err *e)
{
	struct viewer v;
	enum err_code rc;

	access_viewer(req, &v);
	rc = store_review_head(req->app->store, req->arena, id,
			       include_deleted, out, e);
	if (rc == E_OK && (rc = hidden(*out, &v, id, e)) != E_OK)
		*out = NULL;
	return rc;
}

enum err_code access_review_get(struct request *req, int64_t id,
				int include_deleted, struct review_doc *out,
				struct err *e)
{
	struct viewer v;
	enum err_code rc;

	access_viewer(req, &v);
	rc = store_review_get(req->app->store, req->arena, id, include_deleted,
			      out, e);
	if (rc == E_OK && (rc = hidden(out->review, &v, id, e)) != E_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

enum err_code access_launches_of(struct request *req, const struct record *r,
				 struct record_list *out,
				 struct record_list **tags, struct err *e)
{
	const struct value *sv = &r->v[REVIEW_SERVICES];
	struct viewer viewer;

	out->n = 0;
	out->items = arena_alloc(req->arena,
				 sizeof *out->items * ACCESS_LAUNCHES_MAX);
	if (tags)
		*tags = arena_alloc(req->arena,
				    sizeof **tags * ACCESS_LAUNCHES_MAX);
	if (!out->items || (tags && !*tags))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	access_viewer(req, &viewer);
	for (size_t i = 0; sv->state == V_SET && i < sv->nitems; i++) {
		struct review_filter f = {.kind = "operability",
					  .service = sv->items[i],
					  .viewer = &viewer,
					  .limit = ACCESS_LAUNCHES_MAX};
		struct record_list l, *lt = NULL;
		int64_t total;

		if (store_review_list(req->app->store, req->arena, &f, &l,
				      tags ? &lt : NULL, &total, e) != E_OK)
			return e->code;
		for (size_t j = 0; j < l.n && out->n < ACCESS_LAUNCHES_MAX;
		     j++) {
			int seen = 0;
			for (size_t k = 0; k < out->n; k++)
				seen |= out->items[k]->id == l.items[j]->id;
			if (seen)
				continue;
			if (tags)
				(*tags)[out->n] = lt ? lt[j]
						     : (struct record_list){0};
			out->items[out->n++] = l.items[j];
		}
	}
	return E_OK;
}

enum err_code access_review_history(struct request *req, int64_t id,
				    struct review_doc *out, struct err *e)
{
	enum err_code rc = access_review_get(req, id, 1, out, e);

	if (rc == E_OK && out->review->deleted_at && req->role < ROLE_ADMIN) {
		memset(out, 0, sizeof *out);
		rc = err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			     (long long)id);
	}
	return rc;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *access_cache_key(struct request *req)
{
	struct viewer v;
	json_t *arr, *sorted = NULL, *it;
	const char **names = NULL;
	const char *key = NULL;
	char *text = NULL;
	size_t i, n = 0;

	access_viewer(req, &v);
	if (v.all)
		return "all";
	arr = json_loads(v.groups_json, 0, NULL);
	if (!json_is_array(arr)) /* no groups, as review_visible reads it */
		goto done;
	names = malloc(sizeof *names * (json_array_size(arr) + 1));
	if (!names)
		goto out;
	json_array_foreach(arr, i, it)
	{
		if (json_is_string(it))
			names[n++] = json_string_value(it);
	}
	qsort(names, n, sizeof *names, by_string);
done:
	if (!(sorted = json_array()))
		goto out;
	for (i = 0; i < n; i++)
		if ((i == 0 || strcmp(names[i], names[i - 1])) &&
		    json_array_append_new(sorted, json_string(names[i])))
			goto out;
	if ((text = json_dumps(sorted, JSON_COMPACT)))
		key = arena_printf(req->arena, "groups:%s", text);
out:
	free(text);
	json_decref(sorted);
	free(names);
	json_decref(arr);
	return key;
}

static int list_has(const struct value *v, const char *name)
{
	for (size_t k = 0; v->state == V_SET && k < v->nitems; k++)
		if (!strcmp(v->items[k], name))
			return 1;
	return 0;
}

#define NOT_YOURS "you can only restrict a review to groups you belong to"

enum err_code access_check_restrict(struct request *req,
				    const struct record *old,
				    const struct record *patch, struct err *e)
{
	const struct value *nv = &patch->v[REVIEW_RESTRICTED_TO];
	const struct value *ov = old ? &old->v[REVIEW_RESTRICTED_TO] : NULL;
	const char *field = review_def.fields[REVIEW_RESTRICTED_TO].name;
	int mine = 0;

	if (nv->state == V_ABSENT)
		return E_OK;
	session_current_user(req);
	if (req->role >= ROLE_ADMIN || nv->state != V_SET || !nv->nitems)
		return E_OK;
	for (size_t k = 0; k < nv->nitems; k++)
		if (!review_group_valid(nv->items[k]))
			return E_OK; /* record_validate names the bad one */
	for (size_t k = 0; k < nv->nitems; k++) {
		int in = review_in_groups(req->groups, nv->items[k]);

		if (!in && !(ov && list_has(ov, nv->items[k])))
			return err_set(e, E_INVALID, field, NOT_YOURS
				       " (you are not in \"%s\")",
				       nv->items[k]);
		mine |= in;
	}
	if (!mine)
		return err_set(e, E_INVALID, field,
			       NOT_YOURS "; keep one of your groups in the "
					 "list, or you would no longer see "
					 "the review");
	return E_OK;
}

/* list_json writes a list value as JSON text into a ("[]" when unset). */
static const char *list_json(struct arena *a, const struct value *v)
{
	json_t *arr = json_array();
	const char *out = NULL;
	char *text;

	for (size_t k = 0; arr && v && v->state == V_SET && k < v->nitems; k++)
		if (json_array_append_new(arr, json_string(v->items[k]))) {
			json_decref(arr);
			return NULL;
		}
	if (arr && (text = json_dumps(arr, JSON_COMPACT))) {
		out = arena_strdup(a, text);
		free(text);
	}
	json_decref(arr);
	return out;
}

void access_audit_restrict(struct request *req, int64_t id,
			   const struct record *old,
			   const struct record *patch)
{
	const struct value *nv = &patch->v[REVIEW_RESTRICTED_TO];
	const struct value *ov = old ? &old->v[REVIEW_RESTRICTED_TO] : NULL;
	const char *from, *to;
	size_t on = ov && ov->state == V_SET ? ov->nitems : 0;
	size_t nn = nv->state == V_SET ? nv->nitems : 0;
	int same = on == nn;

	if (nv->state == V_ABSENT)
		return;
	for (size_t k = 0; same && k < nn; k++)
		same = !strcmp(ov->items[k], nv->items[k]);
	if (same)
		return;
	from = list_json(req->arena, ov);
	to = list_json(req->arena, nv);
	auth_audit(req, NULL, "review.restrict",
		   arena_printf(req->arena, "review %lld: %s -> %s",
				(long long)id, from ? from : "?",
				to ? to : "?"));
}
