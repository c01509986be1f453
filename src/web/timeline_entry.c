/* timeline_entry.c: one timeline entry edited on its own, from the review
 * page (GET and POST /reviews/{id}/timeline/{child}/edit): a small form of
 * that entry's fields, so that fixing one entry does not load the whole
 * edit form. The form carries the entry's version; a save over a newer
 * version changes nothing and comes back (409) with what is stored now
 * above what was typed, the form then carrying the new version, as the
 * review form does for an old page. An entry deleted meanwhile comes back
 * as a new one, so that what was typed is not lost (as in the review
 * form). The time may be typed as "HH:MM" (the date of the entry above,
 * or of the review's start) or "+5m" with JavaScript. Without JavaScript
 * the review page's Edit link opens this page; static/entry.js opens the
 * same form in place and posts it the same way. */
#include <stdio.h>
#include <string.h>

#include "http/access.h"
#include "web/form.h"
#include "web/page.h"
#include "web/web.h"

/* The entry a request names, with the review around it. */
struct entry_ctx {
	int64_t review_id, child_id;
	struct review_doc doc;
	const struct record *cur;   /* NULL: not (or no longer) there */
	const struct record *above; /* the entry before it, or NULL */
};

/* entry_load reads the review (access.h checks who may see it) and finds
 * the entry in its timeline. Returns E_OK (cur may be NULL), or the error
 * in e (a missing review is E_NOT_FOUND). */
static enum err_code entry_load(struct request *req, struct entry_ctx *c,
				struct err *e)
{
	const struct record_list *l;

	c->review_id = req_param_id(req, 0);
	c->child_id = req_param_id(req, 1);
	c->cur = c->above = NULL;
	if (c->review_id <= 0 || c->child_id <= 0)
		return err_set(e, E_NOT_FOUND, "id", "no such timeline entry");
	if (access_review_get(req, c->review_id, 0, &c->doc, e) != E_OK)
		return e->code;
	l = &c->doc.children[CHILD_TIMELINE];
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i]->id == c->child_id) {
			c->cur = l->items[i];
			c->above = i ? l->items[i - 1] : NULL;
			break;
		}
	return E_OK;
}

/* reference is the time an "HH:MM" is completed from, as the form shows
 * times: the entry above's, else the review's start; NULL when neither. */
static const char *reference(struct arena *a, const struct entry_ctx *c,
			     const struct tz *zone)
{
	if (c->above && record_isset(c->above, TL_AT))
		return form_value_text(a, c->above, TL_AT, zone);
	if (record_isset(c->doc.review, REVIEW_STARTED_AT))
		return form_value_text(a, c->doc.review, REVIEW_STARTED_AT,
				       zone);
	return NULL;
}

/* entry_form fills fd with one timeline row: entry r as stored (version
 * from r), times in zone, with the reference time for "HH:MM". Returns
 * -1 on oom. */
static int entry_form(struct arena *a, const struct entry_ctx *c,
		      const struct record *r, const struct tz *zone,
		      struct form_doc *fd)
{
	struct form_row *row;

	memset(fd, 0, sizeof *fd);
	row = arena_alloc(a, sizeof *row);
	if (!row ||
	    !(row->vals = arena_alloc(a, TL_NFIELDS * sizeof *row->vals)))
		return -1;
	row->index = 0;
	row->id = r->id;
	row->remove = 0;
	for (int f = 0; f < TL_NFIELDS; f++)
		if (!(row->vals[f] = form_value_text(a, r, f, zone)))
			return -1;
	fd->rows[CHILD_TIMELINE].items = row;
	fd->rows[CHILD_TIMELINE].n = fd->rows[CHILD_TIMELINE].cap = 1;
	fd->version = r->version;
	fd->zone = zone;
	fd->review[REVIEW_STARTED_AT] = reference(a, c, zone);
	return 0;
}

/* render_stored writes the entry as it is stored now, for the conflict
 * notice: time, kind, actor and what happened, as text. */
static void render_stored(struct buf *b, const struct record *r)
{
	html_raw(b, "<dl class=\"entry-now\"><dt>Time</dt><dd>");
	if (record_isset(r, TL_AT))
		html_time(b, record_int(r, TL_AT, 0));
	html_raw(b, "</dd><dt>Kind</dt><dd>");
	page_choice_label(b, record_str(r, TL_KIND));
	html_raw(b, "</dd><dt>Actor</dt><dd>");
	html_txt(b, record_str(r, TL_ACTOR));
	html_raw(b, "</dd><dt>What happened</dt><dd class=\"pre\">");
	html_txt(b, record_str(r, TL_TEXT));
	html_raw(b, "</dd></dl>");
}

/* render_entry_page writes the page of the entry form fd with status:
 * 200, 422 (errors in errs), 409 (now: the entry as stored now), or 500
 * or 503 (failure: why the server could not save it). */
static void render_entry_page(struct response *res, const struct entry_ctx *c,
			      const struct form_doc *fd,
			      const struct field_errors *errs,
			      const struct record *now, const char *failure,
			      int status)
{
	struct buf *b = &res->body;
	char num[24];

	buf_reset(b);
	page_begin(res, "Edit timeline entry", NAV_NONE);
	res->status = status;
	html_rawf(b, "<nav class=\"crumbs\"><a href=\"/reviews/%lld\">← ",
		  (long long)c->review_id);
	html_txt(b, record_str(c->doc.review, REVIEW_TITLE));
	html_raw(b, "</a></nav>\n<div class=\"page-head\"><h1>Edit timeline "
		    "entry</h1></div>\n");
	if (now) {
		html_raw(b, "<div class=\"notice notice-conflict\" "
			    "role=\"alert\"><p><strong>Someone else changed "
			    "this entry since you opened it.</strong> Nothing "
			    "was saved. It now reads:</p>");
		render_stored(b, now);
		html_raw(b, "<p>Your version is in the form below: save it "
			    "again to replace theirs, or change it first."
			    "</p></div>\n");
	}
	form_failure_notice(b, "The timeline entry", failure);
	form_errors_summary(b, fd, errs);
	html_rawf(b,
		  "<form class=\"entry-form\" method=\"post\" "
		  "action=\"/reviews/%lld/timeline/%lld/edit\" "
		  "data-entry=\"%lld\">\n",
		  (long long)c->review_id, (long long)c->child_id,
		  (long long)c->child_id);
	page_csrf_field(b);
	snprintf(num, sizeof num, "%lld", (long long)fd->version);
	html_hidden(b, "version", num);
	/* the time "HH:MM" is completed from (form.c reads it there) */
	if (fd->review[REVIEW_STARTED_AT])
		html_hidden(b, "started_at", fd->review[REVIEW_STARTED_AT]);
	/* no data-kind: app.js gives such lists an "add" button */
	html_raw(b, "<div class=\"rows entry-rows\">");
	form_child_row(b, fd, CHILD_TIMELINE, &fd->rows[CHILD_TIMELINE].items[0],
		       errs);
	html_rawf(b,
		  "</div><div class=\"form-actions\"><button type=\"submit\" "
		  "class=\"primary\">Save entry</button> <a "
		  "class=\"entry-cancel\" href=\"/reviews/%lld#tl-%lld\">Cancel"
		  "</a></div>\n</form>\n<script src=\"",
		  (long long)c->review_id, (long long)c->child_id);
	html_attr(b, static_url("preview.js"));
	html_raw(b, "\" defer></script>\n");
	page_end(res);
}

void web_timeline_entry_page(struct request *req, struct response *res)
{
	struct entry_ctx c;
	struct form_doc fd;
	struct err e;

	err_clear(&e);
	if (entry_load(req, &c, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	if (!c.cur) {
		web_not_found(req, res);
		return;
	}
	if (entry_form(req->arena, &c, c.cur, page_zone(req), &fd) < 0) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	render_entry_page(res, &c, &fd, NULL, NULL, NULL, 200);
}

/* entry_patch turns the posted row into a patch of the entry (or a new
 * entry when cur is NULL), errors under the form's names. */
static enum err_code entry_patch(struct request *req, const struct entry_ctx *c,
				 struct form_doc *fd, struct record **out,
				 struct field_errors *errs)
{
	struct review_doc current = c->doc, built;
	struct record_list one = {0};
	struct record *only[1];
	int *row_of[CHILD_COUNT];
	const char *ref = fd->review[REVIEW_STARTED_AT];
	enum err_code rc;

	/* only the timeline, and only this entry: the review's own fields
	 * and the other lists are left as stored */
	for (int f = 0; f < REVIEW_NFIELDS; f++)
		fd->review[f] = NULL;
	fd->tags = NULL;
	if (c->cur) {
		only[0] = (struct record *)c->cur;
		one.items = only;
		one.n = 1;
	}
	current.children[CHILD_TIMELINE] = one;
	rc = form_build_doc(req->arena, fd, &current, &built, row_of, errs);
	fd->review[REVIEW_STARTED_AT] = ref; /* for the form sent back */
	if (rc != E_OK)
		return rc;
	if (built.children[CHILD_TIMELINE].n != 1) {
		record_add_error(errs, "timeline[0].text", "%s",
				 "What happened is required");
		return E_INVALID;
	}
	*out = built.children[CHILD_TIMELINE].items[0];
	return E_OK;
}

void web_timeline_entry_save(struct request *req, struct response *res)
{
	struct store *st = req->app->store;
	struct entry_ctx c;
	struct form_doc fd;
	struct form_row *row;
	struct field_errors errs = {.n = 0};
	struct record *patch = NULL, *updated = NULL;
	int64_t new_id = 0, expected;
	char loc[96];
	enum err_code rc;
	struct err e;

	err_clear(&e);
	if (entry_load(req, &c, &e) != E_OK ||
	    form_from_request(req, &fd, &e) != E_OK)
		goto refused;
	row = fd.rows[CHILD_TIMELINE].n == 1 ? &fd.rows[CHILD_TIMELINE].items[0]
					      : NULL;
	if (!row || row->index != 0 || row->id != c.child_id || !fd.version) {
		err_set(&e, E_BAD_REQUEST, "timeline",
			"the form does not hold this one entry with its "
			"version; reload the page");
		goto refused;
	}
	expected = fd.version;
	if (c.cur && expected != c.cur->version) {
		/* what was typed stays; the next save goes over what is
		 * stored now, which the notice shows */
		fd.version = c.cur->version;
		render_entry_page(res, &c, &fd, NULL, c.cur, NULL, 409);
		return;
	}
	if (row->remove) {
		if (c.cur &&
		    store_child_delete(st, req->arena, page_actor(req),
				       CHILD_TIMELINE, c.review_id, c.child_id,
				       expected, NULL, &e) != E_OK)
			goto refused;
		snprintf(loc, sizeof loc, "/reviews/%lld#timeline",
			 (long long)c.review_id);
		res_redirect(res, loc);
		return;
	}
	rc = entry_patch(req, &c, &fd, &patch, &errs);
	if (rc == E_OK && c.cur)
		rc = store_child_update(st, req->arena, page_actor(req),
					CHILD_TIMELINE, c.review_id, c.child_id,
					expected, patch, &updated, NULL, &e);
	else if (rc == E_OK) /* deleted meanwhile: added back as typed */
		rc = store_child_create(st, req->arena, page_actor(req),
					CHILD_TIMELINE, c.review_id, patch,
					&new_id, NULL, &e);
	if (rc == E_CONFLICT && c.cur) {
		/* changed between our read and the write */
		struct record *now = NULL;

		if (store_child_get(st, req->arena, CHILD_TIMELINE, c.review_id,
				    c.child_id, &now, NULL) == E_OK) {
			fd.version = now->version;
			render_entry_page(res, &c, &fd, NULL, now, NULL, 409);
			return;
		}
	}
	if (rc == E_INVALID && !errs.n) {
		/* the store's own check: its field, or the entry as a whole */
		const char *f = strrchr(e.field, '.');
		char name[96];

		f = f ? f + 1 : e.field;
		snprintf(name, sizeof name, "timeline[0].%s",
			 record_field(&timeline_def, f) >= 0 ? f : "text");
		record_add_error(&errs, name, "%s", e.message);
	}
	if (rc == E_INVALID) {
		render_entry_page(res, &c, &fd, &errs, NULL, NULL, 422);
		return;
	}
	if (rc == E_NOMEM)
		err_set(&e, E_NOMEM, NULL, "out of memory");
	if (rc != E_OK && e.code != E_NOT_FOUND) {
		/* the database away or a failure of ours: the form again */
		render_entry_page(res, &c, &fd, NULL, NULL,
				  page_fail_reason(req, &e),
				  err_http_status(e.code));
		return;
	}
	if (rc != E_OK)
		goto refused;
	snprintf(loc, sizeof loc, "/reviews/%lld#tl-%lld",
		 (long long)c.review_id, (long long)(new_id ? new_id : c.child_id));
	buf_reset(&res->body);
	res_redirect(res, loc);
	return;
refused: /* the review gone, or a form that cannot be read */
	page_form_fail(req, res, "The timeline entry", &e);
}
