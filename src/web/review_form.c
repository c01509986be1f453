/* review_form.c: the new and edit pages of a review: the form with its
 * notices (errors, a conflict, a merge to finish, the language coach's
 * findings) and the scripts of the editor. What they post to lives in
 * review_save.c.
 *
 * The language coach: the forms list its findings in the text they show
 * above the form (coach.c) and load static/lint.js, which highlights them
 * live and adds coach=live to the form. The editor's other scripts:
 * draft.js (drafts, the leave-page question), timeline.js (the keyboard,
 * typed times, pasted lines) and preview.js (markdown preview). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/access.h"
#include "model/review_merge.h"
#include "web/coach.h"
#include "web/page.h"
#include "web/review_form.h"
#include "web/web.h"

/* Empty rows offered on the edit page for new entries, per child kind. */
static const size_t blank_rows[CHILD_COUNT] = {
	[CHILD_TIMELINE] = 3, [CHILD_FOLLOWUP] = 2, [CHILD_FACTOR] = 2,
	[CHILD_PERSON] = 2,   [CHILD_LINK] = 2,
	[CHILD_DEPARTURE] = 2, [CHILD_QUESTION] = 1, [CHILD_READINESS] = 1,
	[CHILD_CONTINGENCY] = 3,
};

const char *review_form_base(struct arena *a, const struct review_doc *doc)
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
			page_revision_what(b, r, NULL);
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

void review_form_render(struct response *res, const struct config *cfg,
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
			 "the edit page, which opens at the timeline once "
			 "the review is created.</p>\n");
	}
	if (status == 409 && v->merged)
		render_merge_notice(b, v);
	else if (status == 409)
		render_conflict(b, v);
	form_failure_notice(b, "The review", v->failure);
	form_errors_summary(b, v->fd, v->errs);
	coach_notice(b, v->coach, v->saved);
	render_allowed(b, v->allows);
	if (v->id) {
		html_rawf(b,
			  "<form class=\"review-form\" method=\"post\" "
			  "action=\"/reviews/%lld/edit\"%s%s "
			  "data-review=\"%lld\" data-lint-allow=\"",
			  (long long)v->id, v->has_draft ? " data-draft" : "",
			  status == 200 ? "" : " data-unsaved",
			  (long long)v->id);
		allow_attr(b, v->allows);
		html_raw(b, "\">\n");
	} else
		html_rawf(b,
			  "<form class=\"review-form\" method=\"post\" "
			  "action=\"/reviews\"%s%s>\n",
			  v->has_draft ? " data-draft" : "",
			  status == 200 ? "" : " data-unsaved");
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
	/* after Create the browser lands here (#created), just above the
	 * timeline, the first list (form_render.c), where writing goes on */
	if (v->id && v->created)
		html_rawf(b,
			  "<p class=\"notice notice-created\" id=\"created\" "
			  "role=\"status\"><strong>Review created.</strong> "
			  "Carry on with the timeline below, or <a "
			  "href=\"/reviews/%lld\">see the review</a>.</p>\n",
			  (long long)v->id);
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
			    "keeps its history and can be restored by an "
			    "admin" SLOT_ADMIN_BEGIN " from <a href=\"/deleted\">"
			    "Deleted</a>" SLOT_ADMIN_END ".</p>"
			    "<button type=\"submit\" class=\"danger\">Delete "
			    "this review</button></form>\n");
	}
	page_end(res);
}

const struct record_list *review_form_allows(struct request *req, int64_t id)
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

void review_form_coach(struct request *req, struct form_view *v)
{
	struct coach_report *r = arena_alloc(req->arena, sizeof *r);

	v->allows = review_form_allows(req, v->id);
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

	const char *kind = req_query(req, "kind");

	form_new_doc(&fd);
	fd.zone = page_zone(req);
	/* /reviews/new?kind=architecture: the form of that kind */
	if (kind && review_kind_is_launch(kind))
		fd.review[REVIEW_KIND] = kind;
	v.fd = &fd;
	v.has_draft = has_draft(req, 0);
	review_form_render(res, req->app->cfg, &v, 200);
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
	if (form_from_doc(req->arena, &doc, page_zone(req), &fd) < 0 ||
	    !(fd.base = review_form_base(req->arena, &doc)))
		goto oom;
	/* the findings in the stored text, before the blank rows */
	v.id = id;
	v.fd = &fd;
	review_form_coach(req, &v);
	saved = req_query(req, "saved");
	v.saved = saved && !strcmp(saved, "1");
	saved = req_query(req, "created");
	v.created = saved && !strcmp(saved, "1");
	for (int k = 0; k < CHILD_COUNT; k++)
		if (blank_rows[k] &&
		    form_add_blank_rows(req->arena, &fd, k, blank_rows[k]) < 0)
			goto oom;
	v.id = id;
	v.title = record_str(doc.review, REVIEW_TITLE);
	v.has_draft = has_draft(req, id);
	review_form_render(res, app->cfg, &v, 200);
	return;
oom:
	err_set(&e, E_NOMEM, NULL, "out of memory");
	page_fail(req, res, &e);
}
