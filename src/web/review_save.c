/* review_save.c: what the review forms post to: create, save (review and
 * children in one go), delete and restore. A form that cannot be saved
 * comes back with what was typed, the errors next to their fields, and 422.
 * A save over a newer version is merged (model/review_merge.h): saved when
 * nobody changed the same thing, else sent back (409) with the choices to
 * make and nothing saved. A form without its base (an older page) gets the
 * conflict notice instead.
 *
 * A save without coach=live (no JavaScript) whose text has findings is
 * stored all the same and then redirects to the edit page with ?saved=1
 * ("Saved." and the findings above the form) instead of to the review
 * page. A successful save drops the person's draft of the form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "http/auth.h"
#include "model/review_merge.h"
#include "web/coach.h"
#include "web/page.h"
#include "web/review_form.h"
#include "web/web.h"

/* redirect_after_save sends the browser to the review page (after a
 * create of a kind with a timeline: to the edit page at the timeline,
 * where writing carries on; an architecture or operability review has
 * none and goes to its page, with its questions and checklist), or
 * to the edit page with ?saved=1 when the saved text fd has findings that
 * the person has not seen highlighted (no coach=live: no JavaScript). */
static void redirect_after_save(struct request *req, struct response *res,
				int64_t id, const struct form_doc *fd,
				int created)
{
	const char *live = req_form_get(req, "coach");
	struct coach_report r;
	char loc[64];

	if (fd && !(live && !strcmp(live, "live")) &&
	    coach_lint_form(req->arena, fd, review_form_allows(req, id), &r) ==
		    0 &&
	    r.total)
		snprintf(loc, sizeof loc, "/reviews/%lld/edit?saved=1",
			 (long long)id);
	else if (created && (!fd || review_kind_has_child(fd->review[REVIEW_KIND],
							  CHILD_TIMELINE)))
		snprintf(loc, sizeof loc, "/reviews/%lld/edit?created=1#created",
			 (long long)id);
	else
		snprintf(loc, sizeof loc, "/reviews/%lld", (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

/* drop_draft forgets the person's draft of review id (0: the new-review
 * form) once what it held is saved; a draft that stays behind is only
 * offered again, so a failure here is not the save's failure. */
static void drop_draft(struct request *req, int64_t id)
{
	const char *who = page_actor(req);

	store_draft_delete(req->app->store, who ? who : "anonymous", id, NULL);
}

void web_review_create(struct request *req, struct response *res)
{
	struct app *app = req->app;
	struct form_doc fd;
	struct review_doc doc;
	struct field_errors errs = {.n = 0};
	struct form_view v = {.arena = req->arena};
	int *row_of[CHILD_COUNT];
	int64_t id = 0;
	enum err_code rc;
	struct err e;

	err_clear(&e);
	if (form_from_request(req, &fd, &e) != E_OK) {
		page_form_fail(req, res, "The review", &e);
		return;
	}
	fd.version = 0;
	rc = form_build_doc(req->arena, &fd, NULL, &doc, row_of, &errs);
	if (rc == E_OK &&
	    (rc = access_check_restrict(req, NULL, doc.review, &e)) != E_OK)
		record_add_error(&errs, e.field, "%s", e.message);
	if (rc == E_OK) {
		rc = store_review_create(app->store, req->arena,
					 page_actor(req), &doc, &id, &e);
		if (rc == E_INVALID)
			form_add_store_error(&e, &doc, row_of, &errs);
	}
	if (rc == E_OK) {
		access_audit_restrict(req, id, NULL, doc.review);
		drop_draft(req, 0);
		redirect_after_save(req, res, id, &fd, 1);
		return;
	}
	v.fd = &fd;
	v.errs = &errs;
	review_form_coach(req, &v);
	if (rc != E_INVALID) {
		/* the database away or a failure of ours: the form again */
		if (rc == E_NOMEM)
			err_set(&e, E_NOMEM, NULL, "out of memory");
		v.failure = page_fail_reason(req, &e);
		review_form_render(res, app->cfg, &v, err_http_status(e.code));
		return;
	}
	review_form_render(res, app->cfg, &v, 422);
}

/* conflicts_since prepares the conflict notice: the revisions saved
 * after version (newest first), and, next to each review field someone
 * else changed, its stored value. The form then carries the current
 * version, so that the next save applies on top of what is stored now.
 * What cannot be read is left out of the notice. */
static void conflicts_since(struct request *req, int64_t id, int64_t version,
			    struct form_doc *fd, struct form_view *v)
{
	struct store *st = req->app->store;
	struct revision *revs = NULL;
	struct review_doc now;
	size_t n = 0, k = 0;

	if (access_review_get(req, id, 0, &now, NULL) == E_OK)
		fd->version = now.review->version;
	else
		now.review = NULL;
	if (store_revision_list(st, req->arena, id, &revs, &n, NULL) != E_OK)
		return;
	while (k < n && revs[k].review_version > version)
		k++;
	v->conflicts = revs;
	v->nconflicts = k;
	for (size_t i = 0; now.review && i < k; i++) {
		if (strcmp(revs[i].record_kind, "review"))
			continue;
		for (size_t c = 0; c < revs[i].nchanges; c++) {
			int f = record_field(&review_def,
					     revs[i].changes[c].field);
			if (f >= 0)
				fd->current[f] = form_value_text(
					req->arena, now.review, f, fd->zone);
		}
	}
}

/* yours_full turns what form_build_doc made over base (patches of base's
 * records, new rows with id 0) into full records, as the merge takes
 * them. Returns -1 on oom. */
static int yours_full(struct arena *a, const struct review_doc *base,
		      struct review_doc *y)
{
	struct record *r = record_copy(a, base->review);

	if (!r)
		return -1;
	record_apply(r, y->review);
	y->review = r;
	for (int k = 0; k < CHILD_COUNT; k++) {
		if (k == CHILD_TAG)
			continue;
		for (size_t i = 0; i < y->children[k].n; i++) {
			struct record *p = y->children[k].items[i], *full;
			const struct record *b = NULL;

			for (size_t j = 0; p->id && j < base->children[k].n;
			     j++)
				if (base->children[k].items[j]->id == p->id)
					b = base->children[k].items[j];
			if (!b)
				continue;
			if (!(full = record_copy(a, b)))
				return -1;
			record_apply(full, p);
			y->children[k].items[i] = full;
		}
	}
	return 0;
}

/* conflicts_to_form lists m's conflicts in fd under the names of the
 * inputs form_from_doc(m->doc) gives (row N is the N-th of its list).
 * Returns -1 on oom. */
static int conflicts_to_form(struct arena *a, const struct merge_result *m,
			     struct form_doc *fd)
{
	fd->conflicts = arena_alloc(a, (m->n + 1) * sizeof *fd->conflicts);
	if (!fd->conflicts)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		const struct merge_conflict *c = &m->conflicts[i];
		struct form_conflict *fc = &fd->conflicts[i];
		const struct record_def *def = c->kind == MERGE_REVIEW
						       ? &review_def
						       : child_defs[c->kind];

		memset(fc, 0, sizeof *fc);
		if (c->field < 0) {
			fc->name = arena_printf(a, "%s[%zu]", def->segment,
						c->pos);
			fc->row = 1;
			fc->theirs_deleted = c->theirs_deleted;
			fc->theirs = fc->base = "";
		} else {
			fc->name =
				c->kind == MERGE_REVIEW
					? def->fields[c->field].name
					: arena_printf(
						  a, "%s[%zu].%s", def->segment,
						  c->pos,
						  def->fields[c->field].name);
			fc->theirs = form_value_text(a, c->theirs, c->field,
						     fd->zone);
			fc->base = form_value_text(a, c->base, c->field,
						   fd->zone);
		}
		if (!fc->name || !fc->theirs || !fc->base)
			return -1;
	}
	fd->nconflicts = m->n;
	return 0;
}

/* save_merged saves a form whose base is older than what is stored
 * (current): the three-way merge of base, current and the form. Without
 * a conflict the merge is saved; with some, the form comes back (409)
 * holding the merge, the conflicts to choose and current as its base, and
 * nothing is saved. */
static void save_merged(struct request *req, struct response *res,
			const struct review_doc *current, struct form_doc *fd,
			struct form_view *v)
{
	struct app *app = req->app;
	int64_t id = current->review->id;
	struct review_doc base, yours;
	struct field_errors *errs = (struct field_errors *)v->errs;
	struct merge_result m;
	struct form_doc merged;
	int *row_of[CHILD_COUNT];
	enum err_code rc;
	struct err e;

	err_clear(&e);
	if (review_base_from_json(req->arena, fd->base, &base, &e) != E_OK ||
	    base.review->id != id) {
		err_set(&e, E_BAD_REQUEST, "base",
			"the form's copy of the review it started from is "
			"damaged; reload the edit page and try again");
		page_form_fail(req, res, "The review", &e);
		return;
	}
	rc = form_build_doc(req->arena, fd, &base, &yours, row_of, errs);
	if (rc == E_INVALID) {
		review_form_coach(req, v);
		review_form_render(res, app->cfg, v, 422);
		return;
	}
	if (rc != E_OK || yours_full(req->arena, &base, &yours) < 0 ||
	    review_merge(req->arena, &base, current, &yours, &m) != E_OK)
		goto oom;
	if (m.n == 0) {
		rc = access_check_restrict(req, current->review, m.doc.review,
					   &e);
		if (rc == E_OK)
			rc = store_review_save(
				app->store, req->arena, page_actor(req), id,
				current->review->version, &m.doc, NULL, &e);
		if (rc == E_OK) {
			access_audit_restrict(req, id, current->review,
					      m.doc.review);
			drop_draft(req, id);
			redirect_after_save(req, res, id, fd, 0);
			return;
		}
		if (rc == E_NOMEM)
			goto oom;
		if (rc != E_INVALID && rc != E_CONFLICT) {
			/* the form as typed, to be merged again */
			v->failure = page_fail_reason(req, &e);
			review_form_coach(req, v);
			review_form_render(res, app->cfg, v,
					   err_http_status(e.code));
			return;
		}
	}
	/* conflicts to choose, or a merge that cannot be saved as it is
	 * (someone saved again, or their times and yours disagree): the
	 * merge comes back in the form, over what is stored now */
	if (form_from_doc(req->arena, &m.doc, page_zone(req), &merged) < 0 ||
	    conflicts_to_form(req->arena, &m, &merged) < 0 ||
	    !(merged.base = review_form_base(req->arena, current)))
		goto oom;
	merged.version = current->review->version;
	v->fd = &merged;
	v->merged = 1;
	if (m.n == 0) {
		if (rc == E_CONFLICT) {
			conflicts_since(req, id, merged.version, &merged, v);
			v->merged = 0;
		} else {
			int *none[CHILD_COUNT] = {0};
			form_add_store_error(&e, &m.doc, none, errs);
		}
	}
	review_form_coach(req, v);
	review_form_render(res, app->cfg, v,
			   m.n || rc == E_CONFLICT ? 409 : 422);
	return;
oom:
	err_set(&e, E_NOMEM, NULL, "out of memory");
	page_form_fail(req, res, "The review", &e);
}

void web_review_save(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0), expected;
	struct review_doc current, doc;
	struct form_doc fd;
	struct field_errors errs = {.n = 0};
	struct form_view v = {.arena = req->arena};
	int *row_of[CHILD_COUNT];
	enum err_code rc;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &current, &e) != E_OK ||
	    form_from_request(req, &fd, &e) != E_OK) {
		page_form_fail(req, res, "The review", &e);
		return;
	}
	if (!fd.version) {
		err_set(&e, E_BAD_REQUEST, "version",
			"the form has no version; reload the edit page and "
			"try again");
		page_form_fail(req, res, "The review", &e);
		return;
	}
	expected = fd.version;
	v.id = id;
	v.title = record_str(current.review, REVIEW_TITLE);
	v.fd = &fd;
	v.errs = &errs;
	if (form_apply_choices(req, &fd, &errs) < 0) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_form_fail(req, res, "The review", &e);
		return;
	}
	if (errs.n) { /* a conflict left without a choice */
		v.merged = 1;
		review_form_coach(req, &v);
		review_form_render(res, app->cfg, &v, 409);
		return;
	}
	if (fd.base && expected != current.review->version) {
		save_merged(req, res, &current, &fd, &v);
		return;
	}
	rc = form_build_doc(req->arena, &fd, &current, &doc, row_of, &errs);
	if (rc == E_OK && (rc = access_check_restrict(req, current.review,
						      doc.review, &e)) != E_OK)
		record_add_error(&errs, e.field, "%s", e.message);
	if (rc == E_OK)
		rc = store_review_save(app->store, req->arena, page_actor(req),
				       id, expected, &doc, NULL, &e);
	switch (rc) {
	case E_OK:
		access_audit_restrict(req, id, current.review, doc.review);
		drop_draft(req, id);
		redirect_after_save(req, res, id, &fd, 0);
		return;
	case E_INVALID:
		if (errs.n == 0)
			form_add_store_error(&e, &doc, row_of, &errs);
		review_form_coach(req, &v);
		review_form_render(res, app->cfg, &v, 422);
		return;
	case E_CONFLICT:
		if (e.current_version > 0)
			fd.version = e.current_version;
		conflicts_since(req, id, expected, &fd, &v);
		review_form_coach(req, &v);
		review_form_render(res, app->cfg, &v, 409);
		return;
	case E_NOMEM:
		err_set(&e, E_NOMEM, NULL, "out of memory");
		/* fall through */
	default: /* the database away or a failure of ours: the form again */
		v.failure = page_fail_reason(req, &e);
		review_form_coach(req, &v);
		review_form_render(res, app->cfg, &v, err_http_status(e.code));
		return;
	}
}

void web_review_delete(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0);
	const char *ver = req_form_get(req, "version");
	long long expected = ver ? atoll(ver) : 0;
	char loc[48];
	int64_t current;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &current, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	if (store_review_delete(app->store, req->arena, page_actor(req), id,
				expected > 0 ? expected : 0, &e) != E_OK) {
		if (e.code == E_CONFLICT) {
			web_error_page(
				req, res, 409,
				"Someone else saved this review after you "
				"opened it, so it was not deleted. Open it "
				"again, check the changes, and delete it "
				"from there if you still want to.");
			return;
		}
		page_fail(req, res, &e);
		return;
	}
	snprintf(loc, sizeof loc, "/?deleted=%lld", (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

void web_review_restore(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0);
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (store_review_restore(app->store, req->arena, page_actor(req), id,
				 &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	auth_audit(req, NULL, "review.restore",
		   arena_printf(req->arena, "review %lld", (long long)id));
	redirect_after_save(req, res, id, NULL, 0);
}
