/* reviews.c: /api/v1/reviews: list (with filters and pagination), create,
 * get, patch, delete and restore. Filters are parsed in review_filter.c. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "http/access.h"
#include "http/auth.h"
#include "api/learning_internal.h"
#include "integrations/flags.h"
#include "api/review_filter_internal.h"
#include "config.h"
#include "model/meeting.h"
#include "model/record_json.h"
#include "model/review.h"
#include "store/store.h"
#include "web/page.h"

/* Fields left out of a list entry: the long markdown sections (a client
 * that wants them GETs the review). */
static int summary_drops(const struct field_def *fd)
{
	return fd->type == FT_MARKDOWN && strcmp(fd->name, "tldr") != 0;
}

/* api_review_summary_json (api_internal.h) is a review's list entry: its
 * fields without the long sections, plus "tags" (names). NULL on oom. */
json_t *api_review_summary_json(const struct record *r,
				const struct record_list *tags)
{
	json_t *o = record_to_json(r), *arr;

	if (!o)
		return NULL;
	for (size_t f = 0; f < r->def->nfields; f++)
		if (summary_drops(&r->def->fields[f]))
			json_object_del(o, r->def->fields[f].name);
	arr = json_array();
	if (!arr || json_object_set_new(o, "tags", arr))
		goto fail;
	for (size_t i = 0; tags && i < tags->n; i++) {
		const char *name = record_str(tags->items[i], TAG_NAME);

		if (json_array_append_new(arr, json_string(name ? name : "")))
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* most_read answers GET /api/v1/reviews?sort=reads[&days=N]: the
 * reviews the asker sees that were read in the last N days (30; 0: ever),
 * most read first, each with its "reads"; limit and offset as usual, the
 * other filters do not apply. */
static void most_read(struct request *req, struct response *res,
		      struct review_filter *f)
{
	struct record_list list = {0};
	int64_t *reads = NULL, total = 0, since = 0;
	json_t *out, *arr;
	struct err e;

	err_clear(&e);
	if (api_most_read_args(req, &since, &e) != E_OK ||
	    store_reads_top(req->app->store, req->arena, f, since, &list,
			    &reads, &total, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i, s:n}", "reviews", "total",
			(json_int_t)total, "limit", f->limit, "offset",
			f->offset, "next_cursor");
	arr = out ? json_object_get(out, "reviews") : NULL;
	for (size_t i = 0; arr && i < list.n; i++) {
		json_t *s = api_review_summary_json(list.items[i], NULL);

		if (!s || json_object_set_new(s, "reads",
					      json_integer(reads[i])) ||
		    json_array_append_new(arr, s)) {
			json_decref(s);
			json_decref(out);
			out = arr = NULL;
		}
	}
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, out);
}

void api_reviews_list(struct request *req, struct response *res)
{
	struct review_filter f;
	struct viewer viewer;
	struct record_list list = {0};
	struct record_list *tags = NULL;
	int64_t total = 0;
	int capped = 0;
	const char *sort;
	struct err e;
	json_t *out, *arr;

	err_clear(&e);
	if (api_review_filter(req, &f, &e) != E_OK)
		goto fail;
	access_viewer(req, &viewer);
	f.viewer = &viewer;
	/* a search counts to a cap past the page (issue 21) */
	f.count_cap = (int)req->app->cfg->search_count_cap;
	f.capped = &capped;
	if (f.deleted && !api_user_is_admin(req)) {
		api_forbidden(res, "only admins can list deleted reviews");
		return;
	}
	sort = req_query(req, "sort");
	if (sort && !strcmp(sort, "reads")) {
		most_read(req, res, &f);
		return;
	}
	if (sort && *sort && strcmp(sort, "newest")) {
		err_set(&e, E_BAD_REQUEST, "sort",
			"sort must be \"newest\" or \"reads\"");
		goto fail;
	}
	if (store_review_list(req->app->store, req->arena, &f, &list, &tags,
			      &total, &e) != E_OK)
		goto fail;
	out = json_pack("{s:[], s:I, s:b, s:i, s:i}", "reviews", "total",
			(json_int_t)total, "total_is_estimate", capped,
			"limit", f.limit, "offset", f.offset);
	if (!out)
		goto oom;
	/* The next page by keyset: after the last review of this one, while
	 * there may be more (with a cursor the position is not known, so a
	 * full page offers one, which may lead to an empty page). */
	if (list.n && (f.after ? list.n == (size_t)f.limit
			       : (int64_t)f.offset + (int64_t)list.n < total)) {
		char cur[STORE_CURSOR_MAX];

		store_review_cursor(list.items[list.n - 1], cur, sizeof cur);
		if (json_object_set_new(out, "next_cursor", json_string(cur)))
			goto oom_out;
	} else if (json_object_set_new(out, "next_cursor", json_null())) {
		goto oom_out;
	}
	arr = json_object_get(out, "reviews");
	for (size_t i = 0; i < list.n; i++) {
		json_t *s = api_review_summary_json(list.items[i],
						    tags ? &tags[i] : NULL);

		/* how many days past the meeting's deadline (issue 15) */
		if (s && f.overdue_before &&
		    json_object_set_new(
			    s, "overdue_days",
			    json_integer(meeting_overdue_days(
				    record_int(list.items[i], REVIEW_RESOLVED_AT,
					       0),
				    f.overdue_now,
				    req->app->cfg->meeting_overdue_days))))
			s = NULL;
		if (!s || json_array_append_new(arr, s))
			goto oom_out;
	}
	res_json(res, 200, out);
	return;
oom_out:
	json_decref(out);
oom:
	err_set(&e, E_NOMEM, NULL, "out of memory");
fail:
	api_fail(res, &e);
}

/* validate_doc checks a new review and every child it embeds; a child's
 * error names it as in "timeline[0].at". An embedded meeting gets the
 * checks of PUT .../meeting, and there is at most one. */
static enum err_code validate_doc(struct request *req,
				  const struct review_doc *doc, struct err *e)
{
	if (record_validate(doc->review, e) != E_OK)
		return E_INVALID;
	if (doc->children[CHILD_MEETING].n > 1)
		return err_set(e, E_INVALID, "meetings",
			       "a review has at most one meeting");
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_list *l = &doc->children[k];

		for (size_t i = 0; i < l->n; i++) {
			if (record_validate(l->items[i], e) != E_OK ||
			    (k == CHILD_MEETING &&
			     api_meeting_check(req, l->items[i], e) != E_OK)) {
				api_prefix_field(e, child_defs[k]->segment, i);
				return E_INVALID;
			}
		}
	}
	return E_OK;
}

/* dedupe_tags drops repeated tag names (a tag is on a review or not). */
static void dedupe_tags(struct review_doc *doc)
{
	struct record_list *l = &doc->children[CHILD_TAG];
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const char *name = record_str(l->items[i], TAG_NAME);
		int dup = 0;

		for (size_t k = 0; name && k < n && !dup; k++) {
			const char *seen = record_str(l->items[k], TAG_NAME);
			dup = seen && !strcmp(seen, name);
		}
		if (!dup)
			l->items[n++] = l->items[i];
	}
	l->n = n;
}

void api_reviews_create(struct request *req, struct response *res)
{
	struct review_doc doc;
	json_t *body;
	int64_t id = 0;
	char *location;
	struct err e;

	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK)
		goto fail;
	/* a comment has an author and a place in a live review: it is
	 * written to one (POST .../comments), never embedded in a new one */
	if (json_object_get(body, "comments")) {
		err_set(&e, E_BAD_REQUEST, "comments",
			"comments cannot come with a new review; add them "
			"with POST /api/v1/reviews/{id}/comments");
		goto fail;
	}
	if (review_doc_from_json(req->arena, body, &doc, &e) != E_OK)
		goto fail;
	record_fill_defaults(req->arena, doc.review);
	dedupe_tags(&doc);
	/* allowed wording embedded in a new review: who allowed it is the
	 * person writing, as for POST .../lint-allows */
	for (size_t i = 0; i < doc.children[CHILD_LINT_ALLOW].n; i++)
		record_set_str(doc.children[CHILD_LINT_ALLOW].items[i], LA_WHO,
			       api_actor(req));
	if (validate_doc(req, &doc, &e) != E_OK ||
	    access_check_restrict(req, NULL, doc.review, &e) != E_OK)
		goto fail;
	if (store_review_create(req->app->store, req->arena, api_actor(req),
				&doc, &id, &e) != E_OK)
		goto fail;
	access_audit_restrict(req, id, NULL, doc.review);
	location =
		arena_printf(req->arena, "/api/v1/reviews/%lld", (long long)id);
	if (location)
		res_header(res, "Location", location);
	api_send_review(req, res, 201, id, 0);
	return;
fail:
	api_fail(res, &e);
}

/* api_review_get serves a review's JSON from the cache while its version
 * stays the same: the JSON of one version never changes and is the same
 * for everyone who sees the review; the version read is also the check
 * that the asker does (404 otherwise, before any cache lookup). A miss of
 * the memory cache reads the JSON this program stored for that version
 * (store_render_get, issue 21) before it reads the review and encodes it;
 * JSON with contingency rows' flag states is not stored (they change
 * without the review, and the flags' generation is this process's). */
static void review_get(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), version = 0, sent;
	struct page_cache *cache = req->app->cache;
	const char *tag = web_render_tag(req->app->cfg);
	char key[64];
	int flagged = 0;
	struct err e;

	if (!id)
		return;
	err_clear(&e);
	if (access_review_version(req, id, &version, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	/* contingency rows carry their flags' state: a new state is a new
	 * key */
	snprintf(key, sizeof key, "json:review:%lld:f%lld", (long long)id,
		 (long long)flags_generation());
	/* a miss waits for another request's render, or claims it */
	if (cache && page_cache_get_or_wait(cache, key, version, &res->body)) {
		res->status = 200;
		res->content_type = "application/json";
		api_set_etag(req, res, version);
		return;
	}
	buf_reset(&res->body);
	if (*tag && store_render_get(req->app->store, RENDER_JSON, id, version,
				     tag, &res->body, NULL) == E_OK) {
		res->status = 200;
		res->content_type = "application/json";
		api_set_etag(req, res, version);
		page_cache_put(cache, key, version, res->body.data,
			       res->body.len);
		return;
	}
	buf_reset(&res->body);
	sent = api_send_review_flagged(req, res, 200, id, 0, &flagged);
	if (sent && res->status == 200 && !res->body.oom) {
		page_cache_put(cache, key, sent, res->body.data, res->body.len);
		if (*tag && !flagged)
			store_render_put(req->app->store, RENDER_JSON, id, sent,
					 tag, res->body.data, res->body.len);
	}
	page_cache_abandon(cache, key, version); /* the claim, if not put */
}

/* Its reads share one read transaction (store_read_begin). */
void api_review_get(struct request *req, struct response *res)
{
	store_read_begin(req->app->store);
	review_get(req, res);
	store_read_end(req->app->store);
}

/* patch_has_children rejects embedded child lists in a PATCH body: they
 * have endpoints of their own, where each item carries its own version. */
static enum err_code patch_has_children(json_t *body, struct err *e)
{
	for (int k = 0; k < CHILD_COUNT; k++) {
		const char *seg = child_defs[k]->segment;

		if (json_object_get(body, seg))
			return err_set(
				e, E_BAD_REQUEST, seg,
				"%s cannot be changed in a review PATCH; "
				"use /api/v1/reviews/{id}/%s",
				seg, seg);
	}
	return E_OK;
}

static int patch_is_empty(const struct record *patch)
{
	for (size_t f = 0; f < patch->def->nfields; f++)
		if (patch->v[f].state != V_ABSENT)
			return 0;
	return 1;
}

void api_review_patch(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), expected, current;
	struct record *old, *patch;
	json_t *body;
	struct err e;

	if (!id)
		return;
	err_clear(&e);
	/* the review's own record is all the checks need (its children are
	 * 15 more reads) */
	if (access_review_head(req, id, 0, &old, &e) != E_OK ||
	    api_body(req, 0, &body, &e) != E_OK ||
	    patch_has_children(body, &e) != E_OK ||
	    record_from_json(req->arena, &review_def, body, &patch, &e) !=
		    E_OK ||
	    access_check_restrict(req, old, patch, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0)
		goto fail;
	if (patch_is_empty(patch)) {
		/* Nothing to change: no write, no new version; a stale
		 * version is still a conflict so that clients learn of it. */
		if (access_review_version(req, id, &current, &e) != E_OK)
			goto fail;
		if (expected && expected != current) {
			err_set(&e, E_CONFLICT, "version",
				"review %lld is at version %lld, not %lld",
				(long long)id, (long long)current,
				(long long)expected);
			e.current_version = current;
			goto fail;
		}
	} else if (store_review_update(req->app->store, req->arena,
				       api_actor(req), id, expected, patch,
				       NULL, &e) != E_OK) {
		goto fail;
	} else {
		access_audit_restrict(req, id, old, patch);
	}
	api_send_review(req, res, 200, id, 0);
	return;
fail:
	api_fail(res, &e);
}

void api_review_delete(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), expected, current;
	json_t *body;
	struct err e;

	if (!id)
		return;
	err_clear(&e);
	if (access_review_version(req, id, &current, &e) != E_OK ||
	    api_body(req, 1, &body, &e) != E_OK ||
	    api_only_version(body, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0)
		goto fail;
	if (store_review_delete(req->app->store, req->arena, api_actor(req), id,
				expected, &e) != E_OK)
		goto fail;
	res->status = 204;
	return;
fail:
	api_fail(res, &e);
}

/* Restoring a review that is not deleted changes nothing and answers 200
 * with it (idempotent), so a retried restore is harmless. */
void api_review_restore(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), expected;
	struct review_doc doc;
	json_t *body;
	struct err e;

	if (!id)
		return;
	if (!api_user_is_admin(req)) {
		api_forbidden(res, "only admins can restore reviews");
		return;
	}
	err_clear(&e);
	if (api_body(req, 1, &body, &e) != E_OK ||
	    api_only_version(body, &e) != E_OK)
		goto fail;
	expected = api_expected_version(req, body, &e);
	if (expected < 0)
		goto fail;
	if (store_review_get(req->app->store, req->arena, id, 1, &doc, &e) !=
	    E_OK)
		goto fail;
	if (expected && expected != doc.review->version) {
		err_set(&e, E_CONFLICT, "version",
			"review %lld is at version %lld, not %lld",
			(long long)id, (long long)doc.review->version,
			(long long)expected);
		e.current_version = doc.review->version;
		goto fail;
	}
	if (doc.review->deleted_at) {
		if (store_review_restore(req->app->store, req->arena,
					 api_actor(req), id, &e) != E_OK)
			goto fail;
		auth_audit(req, NULL, "review.restore",
			   arena_printf(req->arena, "review %lld",
					(long long)id));
	}
	api_send_review(req, res, 200, id, 0);
	return;
fail:
	api_fail(res, &e);
}
