/* review_form.c: the new and edit forms of a review and what they post to:
 * create, save (review and children in one go), delete and restore. A
 * form that cannot be saved comes back with what was typed, the errors
 * next to their fields, and 422 (or 409 when someone saved first).
 *
 * The language coach: the forms list its findings in the text they show
 * above the form (coach.c) and load static/lint.js, which highlights them
 * live and adds coach=live to the form. A save without coach=live (no
 * JavaScript) whose text has findings is stored all the same and then
 * redirects to the edit page with ?saved=1 ("Saved." and the findings
 * above the form) instead of to the review page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/access.h"
#include "http/auth.h"
#include "model/review_merge.h"
#include "web/coach.h"
#include "web/form.h"
#include "web/page.h"
#include "web/web.h"

/* Empty rows offered on the edit page for new entries, per child kind. */
static const size_t blank_rows[CHILD_COUNT] = {
	[CHILD_TIMELINE] = 3, [CHILD_FOLLOWUP] = 2, [CHILD_FACTOR] = 2,
	[CHILD_PERSON] = 2,   [CHILD_LINK] = 2,
};

struct form_view {
	int64_t id;	   /* 0: the new-review form */
	const char *title; /* the stored title, for the heading */
	const struct form_doc *fd;
	const struct field_errors *errs;
	const struct revision *conflicts; /* saves the user has not seen */
	size_t nconflicts;
	const struct coach_report *coach; /* findings in fd; may be NULL */
	const struct record_list *allows; /* the review's lint allow entries */
	int saved;     /* just saved (?saved=1): say so above the form */
	int merged;    /* 409 after a merge: the choices are in the form */
	int has_draft; /* the person has a draft of it (draft.js offers it) */
	struct arena *arena;
};

/* base_text is doc as the edit form carries its base (JSON); NULL on
 * oom. Memory from a. */
static const char *base_text(struct arena *a, const struct review_doc *doc)
{
	json_t *j = review_base_to_json(doc);
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	const char *out = t ? arena_strdup(a, t) : NULL;

	free(t);
	json_decref(j);
	return out;
}

static void render_merge_notice(struct buf *b, const struct form_view *v)
{
	html_rawf(b,
		  "<div class=\"notice notice-conflict\" role=\"alert\">"
		  "<p><strong>Someone else saved this review while you were "
		  "editing.</strong> Their changes and yours are both in the "
		  "form below. Where you both changed the same thing "
		  "(%zu %s, marked below), choose theirs or yours, or combine "
		  "them, then save again. Nothing has been saved yet.</p>"
		  "<p><a href=\"/reviews/%lld/history\" target=\"_blank\">"
		  "See their changes in History</a>.</p></div>\n",
		  v->fd->nconflicts,
		  v->fd->nconflicts == 1 ? "place" : "places",
		  (long long)v->id);
}

static void render_conflict(struct buf *b, const struct form_view *v)
{
	html_raw(b, "<div class=\"notice notice-conflict\" role=\"alert\">"
		    "<p><strong>Someone else saved this review while you were "
		    "editing.</strong> Your text is kept below — review the "
		    "current version and save again.</p>");
	if (v->nconflicts) {
		html_raw(b, "<p>Their changes:</p><ul>");
		for (size_t i = 0; i < v->nconflicts && i < 20; i++) {
			const struct revision *r = &v->conflicts[i];
			const struct record_def *def =
				page_revision_def(r->record_kind);

			html_raw(b, "<li><strong>");
			html_txt(b, r->actor);
			html_raw(b, "</strong> ");
			page_revision_what(b, r);
			for (size_t c = 0; c < r->nchanges; c++) {
				int f = def ? record_field(def,
							   r->changes[c].field)
					    : -1;
				html_raw(b, c ? ", " : ": ");
				html_txt(b, f >= 0 ? def->fields[f].label
						   : r->changes[c].field);
			}
			html_raw(b, " · ");
			html_time(b, r->at);
			html_raw(b, "</li>");
		}
		html_raw(b, "</ul>");
	}
	html_rawf(
		b,
		"<p><a href=\"/reviews/%lld\" target=\"_blank\">Open the "
		"current version in a new tab</a> · <a href=\"/reviews/"
		"%lld/history\" target=\"_blank\">its history</a>. Saving "
		"this form now replaces their version with yours.</p></div>\n",
		(long long)v->id, (long long)v->id);
}

/* allow_attr writes, escaped for an attribute, the review's allow entries
 * as lint.js sends them to POST /api/v1/lint: [{"phrase", "category"}]. */
static void allow_attr(struct buf *b, const struct record_list *allows)
{
	json_t *arr = json_array();
	char *t;

	for (size_t i = 0; arr && allows && i < allows->n; i++) {
		const struct record *r = allows->items[i];

		json_array_append_new(
			arr, json_pack("{s:s, s:s}", "phrase",
				       record_str(r, LA_PHRASE), "category",
				       record_str(r, LA_CATEGORY)));
	}
	t = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	html_attr(b, t ? t : "[]");
	free(t);
	json_decref(arr);
}

/* render_allowed lists the review's allowed wording above the form (not
 * in it: the form never posts them); lint.js shows each entry's Remove
 * button, which needs JavaScript. Nothing when there is none. */
static void render_allowed(struct buf *b, const struct record_list *allows)
{
	if (!allows || !allows->n)
		return;
	html_rawf(b,
		  "<details class=\"coach-allowed\"><summary>Allowed wording "
		  "(%zu): the language coach leaves %s alone in this "
		  "review</summary><ul>",
		  allows->n, allows->n == 1 ? "it" : "them");
	for (size_t i = 0; i < allows->n; i++) {
		const struct record *r = allows->items[i];
		const char *who = record_str(r, LA_WHO);
		const char *note = record_str(r, LA_NOTE);

		html_rawf(b, "<li data-allow-id=\"%lld\" data-allow-category=\"",
			  (long long)r->id);
		html_attr(b, record_str(r, LA_CATEGORY));
		html_raw(b, "\"><q class=\"allowed-phrase\">");
		html_txt(b, record_str(r, LA_PHRASE));
		html_raw(b, "</q> <span class=\"badge coach-cat\">");
		page_choice_label(b, record_str(r, LA_CATEGORY));
		html_raw(b, "</span>");
		if (who) {
			html_raw(b, " <span class=\"muted\">allowed by ");
			html_txt(b, who);
			html_raw(b, "</span>");
		}
		if (note) {
			html_raw(b, " <span class=\"coach-msg\">");
			html_txt(b, note);
			html_raw(b, "</span>");
		}
		html_raw(b, " <button type=\"button\" class=\"lint-unallow\" "
			    "hidden>Remove</button></li>");
	}
	html_raw(b, "</ul></details>\n");
}

/* render_form writes the new or edit page for v with the given status. */
static void render_form(struct response *res, const struct config *cfg,
			const struct form_view *v, int status)
{
	struct buf *b = &res->body;
	char num[24];

	buf_reset(b);
	page_begin(res, v->id ? "Edit review" : "New review",
		   v->id ? NAV_NONE : NAV_NEW);
	res->status = status;
	if (v->id) {
		html_rawf(b,
			  "<nav class=\"crumbs\"><a href=\"/reviews/%lld\">← ",
			  (long long)v->id);
		html_txt(b, v->title);
		html_raw(b,
			 "</a></nav>\n<div class=\"page-head\"><h1>Edit review"
			 "</h1></div>\n");
	} else {
		html_raw(b,
			 "<div class=\"page-head\"><h1>New review</h1></div>\n"
			 "<p class=\"lead\">Start with what you know; "
			 "everything can be changed later. The timeline, "
			 "contributing factors and follow-ups are added on "
			 "the edit page.</p>\n");
	}
	if (status == 409 && v->merged)
		render_merge_notice(b, v);
	else if (status == 409)
		render_conflict(b, v);
	form_errors_summary(b, v->fd, v->errs);
	coach_notice(b, v->coach, v->saved);
	render_allowed(b, v->allows);
	if (v->id) {
		html_rawf(
			b,
			"<form class=\"review-form\" method=\"post\" "
			"action=\"/reviews/%lld/edit\"%s data-review=\"%lld\" "
			"data-lint-allow=\"",
			(long long)v->id, v->has_draft ? " data-draft" : "",
			(long long)v->id);
		allow_attr(b, v->allows);
		html_raw(b, "\">\n");
	} else
		html_rawf(b,
			  "<form class=\"review-form\" method=\"post\" "
			  "action=\"/reviews\"%s>\n",
			  v->has_draft ? " data-draft" : "");
	page_csrf_field(b);
	if (v->fd->version) {
		snprintf(num, sizeof num, "%lld", (long long)v->fd->version);
		html_hidden(b, "version", num);
	}
	if (v->fd->base)
		html_hidden(b, "base", v->fd->base);
	if (v->fd->nconflicts) {
		const char *cj = form_conflicts_json(v->arena, v->fd);
		if (cj)
			html_hidden(b, "conflicts", cj);
	}
	form_review_fields(b, cfg, v->fd, v->errs);
	if (v->id)
		form_children(b, v->fd, v->errs);
	html_raw(b, "<div class=\"form-actions\"><button type=\"submit\" "
		    "class=\"primary\">");
	html_raw(b, v->id ? "Save review" : "Create review");
	if (v->id)
		html_rawf(b, "</button> <a href=\"/reviews/%lld\">Cancel</a>",
			  (long long)v->id);
	else
		html_raw(b, "</button> <a href=\"/\">Cancel</a>");
	html_raw(b, "</div>\n</form>\n<script src=\"");
	html_attr(b, static_url("lint.js"));
	html_raw(b, "\" defer></script>\n<script src=\"");
	html_attr(b, static_url("draft.js"));
	html_raw(b, "\" defer></script>\n<script src=\"");
	html_attr(b, static_url("timeline.js"));
	html_raw(b, "\" defer></script>\n<script src=\"");
	html_attr(b, static_url("preview.js"));
	html_raw(b, "\" defer></script>\n");
	if (v->id && v->fd->version) {
		html_rawf(b,
			  "<form class=\"danger-zone\" method=\"post\" "
			  "action=\"/reviews/%lld/delete\">",
			  (long long)v->id);
		page_csrf_field(b);
		html_hidden(b, "version", num);
		html_raw(b, "<p>Deleting hides the review from every list. It "
			    "keeps its history and can be restored from "
			    "<a href=\"/deleted\">Deleted</a>.</p>"
			    "<button type=\"submit\" class=\"danger\">Delete "
			    "this review</button></form>\n");
	}
	page_end(res);
}

/* review_allows lists review id's lint allow entries (memory from the
 * request's arena); NULL for the new-review form or when they cannot be
 * read (the coach then flags everything, which is only advice). */
static const struct record_list *review_allows(struct request *req, int64_t id)
{
	struct record_list *l = arena_alloc(req->arena, sizeof *l);

	if (!l || id <= 0)
		return NULL;
	memset(l, 0, sizeof *l);
	if (store_child_list(req->app->store, req->arena, CHILD_LINT_ALLOW, id,
			     l, NULL) != E_OK)
		return NULL;
	return l;
}

/* coach_view lints what v's form shows, for the notice above it; without
 * memory for that the form is shown without it. */
static void coach_view(struct request *req, struct form_view *v)
{
	struct coach_report *r = arena_alloc(req->arena, sizeof *r);

	v->allows = review_allows(req, v->id);
	v->coach = r && coach_lint_form(req->arena, v->fd, v->allows, r) == 0
			   ? r
			   : NULL;
}

/* has_draft tells whether the person keeps a draft of review id (0: the
 * new-review form), so that the page's script asks for it only then. */
static int has_draft(struct request *req, int64_t id)
{
	const char *who = page_actor(req), *body;
	int64_t at;

	return store_draft_get(req->app->store, req->arena,
			       who ? who : "anonymous", id, &body, &at,
			       NULL) == E_OK;
}

void web_review_new_page(struct request *req, struct response *res)
{
	struct form_doc fd;
	struct form_view v = {.arena = req->arena};

	form_new_doc(&fd);
	v.fd = &fd;
	v.has_draft = has_draft(req, 0);
	render_form(res, req->app->cfg, &v, 200);
}

/* redirect_after_save sends the browser to the review page, or to the
 * edit page with ?saved=1 when the saved text fd has findings that the
 * person has not seen highlighted (no coach=live: no JavaScript). */
static void redirect_after_save(struct request *req, struct response *res,
				int64_t id, const struct form_doc *fd)
{
	const char *live = req_form_get(req, "coach");
	struct coach_report r;
	char loc[64];

	if (fd && !(live && !strcmp(live, "live")) &&
	    coach_lint_form(req->arena, fd, review_allows(req, id), &r) == 0 &&
	    r.total)
		snprintf(loc, sizeof loc, "/reviews/%lld/edit?saved=1",
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
		page_fail(req, res, &e);
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
		redirect_after_save(req, res, id, &fd);
		return;
	}
	if (rc != E_INVALID) {
		if (rc == E_NOMEM)
			err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	v.fd = &fd;
	v.errs = &errs;
	coach_view(req, &v);
	render_form(res, app->cfg, &v, 422);
}

void web_review_edit_page(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0);
	struct review_doc doc;
	struct form_doc fd;
	struct form_view v = {.arena = req->arena};
	const char *saved;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	if (form_from_doc(req->arena, &doc, &fd) < 0 ||
	    !(fd.base = base_text(req->arena, &doc)))
		goto oom;
	/* the findings in the stored text, before the blank rows */
	v.id = id;
	v.fd = &fd;
	coach_view(req, &v);
	saved = req_query(req, "saved");
	v.saved = saved && !strcmp(saved, "1");
	for (int k = 0; k < CHILD_COUNT; k++)
		if (blank_rows[k] &&
		    form_add_blank_rows(req->arena, &fd, k, blank_rows[k]) < 0)
			goto oom;
	v.id = id;
	v.title = record_str(doc.review, REVIEW_TITLE);
	v.has_draft = has_draft(req, id);
	render_form(res, app->cfg, &v, 200);
	return;
oom:
	err_set(&e, E_NOMEM, NULL, "out of memory");
	page_fail(req, res, &e);
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
				fd->current[f] = form_value_text(req->arena,
								 now.review, f);
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
			fc->theirs = form_value_text(a, c->theirs, c->field);
			fc->base = form_value_text(a, c->base, c->field);
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
		web_error_page(req, res, 400,
			       "The form's copy of the review it started "
			       "from is damaged; reload the edit page and "
			       "try again.");
		return;
	}
	rc = form_build_doc(req->arena, fd, &base, &yours, row_of, errs);
	if (rc == E_INVALID) {
		coach_view(req, v);
		render_form(res, app->cfg, v, 422);
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
			redirect_after_save(req, res, id, fd);
			return;
		}
		if (rc == E_NOMEM)
			goto oom;
		if (rc != E_INVALID && rc != E_CONFLICT) {
			page_fail(req, res, &e);
			return;
		}
	}
	/* conflicts to choose, or a merge that cannot be saved as it is
	 * (someone saved again, or their times and yours disagree): the
	 * merge comes back in the form, over what is stored now */
	if (form_from_doc(req->arena, &m.doc, &merged) < 0 ||
	    conflicts_to_form(req->arena, &m, &merged) < 0 ||
	    !(merged.base = base_text(req->arena, current)))
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
	coach_view(req, v);
	render_form(res, app->cfg, v, m.n || rc == E_CONFLICT ? 409 : 422);
	return;
oom:
	err_set(&e, E_NOMEM, NULL, "out of memory");
	page_fail(req, res, &e);
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
		page_fail(req, res, &e);
		return;
	}
	if (!fd.version) {
		web_error_page(req, res, 400,
			       "The form has no version; reload the edit page "
			       "and try again.");
		return;
	}
	expected = fd.version;
	v.id = id;
	v.title = record_str(current.review, REVIEW_TITLE);
	v.fd = &fd;
	v.errs = &errs;
	if (form_apply_choices(req, &fd, &errs) < 0) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	if (errs.n) { /* a conflict left without a choice */
		v.merged = 1;
		coach_view(req, &v);
		render_form(res, app->cfg, &v, 409);
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
		redirect_after_save(req, res, id, &fd);
		return;
	case E_INVALID:
		if (errs.n == 0)
			form_add_store_error(&e, &doc, row_of, &errs);
		coach_view(req, &v);
		render_form(res, app->cfg, &v, 422);
		return;
	case E_CONFLICT:
		if (e.current_version > 0)
			fd.version = e.current_version;
		conflicts_since(req, id, expected, &fd, &v);
		coach_view(req, &v);
		render_form(res, app->cfg, &v, 409);
		return;
	case E_NOMEM:
		err_set(&e, E_NOMEM, NULL, "out of memory");
		/* fall through */
	default: page_fail(req, res, &e); return;
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
	redirect_after_save(req, res, id, NULL);
}
