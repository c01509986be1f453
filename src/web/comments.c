/* comments.c: comments on the review page: the threads (on the review,
 * and under each timeline entry) and the form for a new one; the pages
 * to answer a comment, comment on an entry and edit one's own comment
 * (links from the review page, so that it does not carry a form for
 * every entry and comment); and their POST handlers. The review page is
 * cached and shared, so every comment has an Edit link: the server lets
 * only the author edit (the API's rule, children.c), and learning.js
 * hides the link from everyone else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "store/store.h"
#include "web/comments.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/web.h"

/* Replies deeper than this are shown at this depth. */
#define THREAD_DEPTH 5

static void comment_form(struct buf *b, int64_t review_id, int64_t parent,
			 int64_t timeline, const char *label)
{
	html_rawf(b,
		  "<form class=\"comment-form\" method=\"post\" "
		  "action=\"/reviews/%lld/comments\">",
		  (long long)review_id);
	page_csrf_field(b);
	if (parent)
		html_rawf(b,
			  "<input type=\"hidden\" name=\"parent_id\" "
			  "value=\"%lld\">",
			  (long long)parent);
	if (timeline)
		html_rawf(b,
			  "<input type=\"hidden\" name=\"timeline_id\" "
			  "value=\"%lld\">",
			  (long long)timeline);
	html_raw(b, "<label><span class=\"sr-only\">");
	html_txt(b, label);
	html_raw(b, "</span><textarea name=\"body\" rows=\"3\" required "
		    "maxlength=\"65536\" placeholder=\"");
	html_attr(b, label);
	html_raw(b, "\"></textarea></label> <button type=\"submit\">");
	html_txt(b, label);
	html_raw(b, "</button></form>");
}

static int64_t parent_of(const struct record *c)
{
	return record_int(c, COMMENT_PARENT_ID, 0);
}

/* is_root: a comment whose parent is not among l (none, or deleted) */
static int is_root(const struct record_list *l, const struct record *c)
{
	int64_t p = parent_of(c);

	if (!p)
		return 1;
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i]->id == p)
			return 0;
	return 1;
}

static void render_one(struct buf *b, const struct record_list *l,
		       const struct record *c, int depth)
{
	const char *author = record_str(c, COMMENT_AUTHOR);
	long long id = (long long)c->id, rid = (long long)c->review_id;

	html_rawf(b, "<article class=\"comment\" id=\"comment-%lld\">", id);
	html_raw(b, "<p class=\"comment-meta\"><strong>");
	html_txt(b, author ? author : "someone");
	html_raw(b, "</strong> · ");
	html_time(b, c->created_at);
	if (c->version > 1) {
		html_rawf(b,
			  " · <a class=\"edited\" href=\"/reviews/%lld/"
			  "history\" title=\"Edited ",
			  rid);
		html_rawf(b, "%lld time%s; the history keeps every text\">"
			     "edited</a>",
			  (long long)(c->version - 1),
			  c->version == 2 ? "" : "s");
	}
	if (record_int(c, COMMENT_AFTER_PUBLICATION, 0) == 1)
		html_raw(b, " · <span class=\"badge after-pub\" title=\"Written "
			    "after the review was published\">after "
			    "publication</span>");
	{
		char anchor[40];

		snprintf(anchor, sizeof anchor, "comment-%lld", id);
		page_permalink(b, anchor, "this comment");
	}
	html_raw(b, "</p><div class=\"comment-body prose\">");
	if (markdown_render(b, record_str(c, COMMENT_BODY)) < 0)
		b->oom = 1;
	/* reply and edit are pages of their own (a form under every
	 * comment would weigh on every review page) */
	html_rawf(b,
		  "</div><p class=\"comment-actions\"><a class=\"comment-reply\" "
		  "href=\"/reviews/%lld/comments/new?parent_id=%lld\">Reply</a>"
		  " <a class=\"comment-edit\" href=\"/reviews/%lld/comments/"
		  "%lld/edit\" data-author=\"",
		  rid, id, rid, id);
	html_attr(b, author ? author : "");
	html_raw(b, "\">Edit</a></p>");
	html_raw(b, "<div class=\"replies\">");
	for (size_t i = 0; i < l->n; i++)
		if (parent_of(l->items[i]) == c->id && l->items[i] != c)
			render_one(b, l, l->items[i],
				   depth < THREAD_DEPTH ? depth + 1 : depth);
	html_raw(b, "</div></article>\n");
}

/* shown_on tells whether comment c is shown on timeline entry tid, a
 * live entry, or (tid 0) with the review's comments: those on no entry
 * and those whose entry was removed. */
static int shown_on(const struct review_doc *doc, const struct record *c,
		    int64_t tid)
{
	const struct record_list *tl = &doc->children[CHILD_TIMELINE];
	int64_t on = record_int(c, COMMENT_TIMELINE_ID, 0);

	if (tid || !on)
		return on == tid;
	for (size_t i = 0; i < tl->n; i++)
		if (tl->items[i]->id == on)
			return 0;
	return 1;
}

/* comments_on collects the comments of doc shown on timeline entry tid
 * (0: on the review), in the order they were written. */
static struct record_list comments_on(struct arena *a,
				      const struct review_doc *doc,
				      int64_t tid)
{
	const struct record_list *all = &doc->children[CHILD_COMMENT];
	struct record_list l = {0};

	if (!all->n || !(l.items = arena_alloc(a, all->n * sizeof *l.items)))
		return l;
	for (size_t i = 0; i < all->n; i++)
		if (shown_on(doc, all->items[i], tid))
			l.items[l.n++] = all->items[i];
	return l;
}

void comments_render_thread(struct buf *b, struct arena *a,
			    const struct review_doc *doc, int64_t tid)
{
	struct record_list l = comments_on(a, doc, tid);

	for (size_t i = 0; i < l.n; i++)
		if (is_root(&l, l.items[i]))
			render_one(b, &l, l.items[i], 0);
}

size_t comments_count_on(const struct review_doc *doc, int64_t tid)
{
	const struct record_list *all = &doc->children[CHILD_COMMENT];
	size_t n = 0;

	for (size_t i = 0; i < all->n; i++)
		n += shown_on(doc, all->items[i], tid);
	return n;
}

void comments_entry_link(struct buf *b, int64_t review_id, int64_t tid)
{
	html_rawf(b,
		  "<a href=\"/reviews/%lld/comments/new?timeline_id=%lld\">"
		  "Comment</a>",
		  (long long)review_id, (long long)tid);
}

void comments_render_entry(struct buf *b, struct arena *a,
			   const struct review_doc *doc, int64_t tid)
{
	size_t n = comments_count_on(doc, tid);

	if (n) {
		html_rawf(b, "<details class=\"entry-comments\" open>"
			     "<summary>%zu comment%s</summary>",
			  n, n == 1 ? "" : "s");
		comments_render_thread(b, a, doc, tid);
		html_raw(b, "</details>");
	}
}

void comments_render_section(struct buf *b, struct arena *a,
			     const struct review_doc *doc)
{
	size_t n = comments_count_on(doc, 0);

	html_raw(b, "<section class=\"wide comments\" id=\"comments\"><h2>"
		    "Comments");
	page_permalink(b, "comments", "Comments");
	html_raw(b, "</h2>\n");
	if (!n)
		html_raw(b, "<p class=\"empty\">No comments yet. Questions, "
			    "later thoughts and links are welcome, also "
			    "months from now.</p>");
	comments_render_thread(b, a, doc, 0);
	comment_form(b, doc->review->id, 0, 0, "Comment");
	html_raw(b, "</section>\n");
}

/* query_id reads a positive id from query argument name; 0 otherwise. */
static int64_t query_id(struct request *req, const char *name)
{
	const char *v = req_query(req, name);
	long long n = v ? atoll(v) : 0;

	return n > 0 ? n : 0;
}

static const struct record *find_in(const struct record_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i]->id == id)
			return l->items[i];
	return NULL;
}

/* back_link writes the way back to the review (to anchor, when set). */
static void back_link(struct buf *b, const struct record *review,
		      const char *anchor)
{
	html_rawf(b, "<p><a href=\"/reviews/%lld%s%s\">Back to “",
		  (long long)review->id, anchor ? "#" : "", anchor ? anchor : "");
	html_txt(b, record_str(review, REVIEW_TITLE));
	html_raw(b, "”</a></p>\n");
}

void web_comment_new_page(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	int64_t parent = query_id(req, "parent_id");
	int64_t tid = query_id(req, "timeline_id");
	const struct record *on = NULL;
	struct review_doc doc;
	struct buf *b = &res->body;
	char anchor[40] = "";
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
	if (parent) {
		on = find_in(&doc.children[CHILD_COMMENT], parent);
		snprintf(anchor, sizeof anchor, "comment-%lld",
			 (long long)parent);
	} else if (tid) {
		on = find_in(&doc.children[CHILD_TIMELINE], tid);
		snprintf(anchor, sizeof anchor, "tl-%lld", (long long)tid);
	}
	if ((parent || tid) && !on) {
		web_error_page(req, res, 404,
			       parent ? "There is no such comment to answer "
					"in this review."
				      : "There is no such timeline entry in "
					"this review.");
		res->status = 404;
		return;
	}
	page_begin(res, parent ? "Reply" : "Comment", NAV_NONE);
	html_raw(b, "<article class=\"comment-page\"><h1>");
	html_raw(b, parent ? "Reply to a comment" : tid ? "Comment on a "
							  "timeline entry"
						    : "Comment");
	html_raw(b, "</h1>\n");
	if (on) {
		html_raw(b, "<blockquote class=\"prose\">");
		if (markdown_render(b, record_str(on, parent ? COMMENT_BODY
							     : TL_TEXT)) < 0)
			b->oom = 1;
		html_raw(b, "</blockquote>\n");
	}
	comment_form(b, id, parent,
		     parent ? record_int(on, COMMENT_TIMELINE_ID, 0) : tid,
		     parent ? "Reply" : "Comment");
	back_link(b, doc.review, anchor[0] ? anchor : NULL);
	html_raw(b, "</article>\n");
	page_end(res);
}

void web_comment_edit_page(struct request *req, struct response *res)
{
	struct store *st = req->app->store;
	int64_t id = req_param_id(req, 0), cid = req_param_id(req, 1);
	struct review_doc doc;
	struct record *c;
	struct buf *b = &res->body;
	const char *author;
	char anchor[40];
	struct err e;

	err_clear(&e);
	if (id <= 0 || cid <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &doc, &e) != E_OK ||
	    store_child_get(st, req->arena, CHILD_COMMENT, id, cid, &c, &e) !=
		    E_OK) {
		page_fail(req, res, &e);
		return;
	}
	author = record_str(c, COMMENT_AUTHOR);
	if (!author || strcmp(author, page_actor(req))) {
		web_error_page(req, res, 403,
			       "Only the author of a comment may edit it.");
		return;
	}
	snprintf(anchor, sizeof anchor, "comment-%lld", (long long)cid);
	page_begin(res, "Edit your comment", NAV_NONE);
	html_rawf(b,
		  "<article class=\"comment-page\"><h1>Edit your comment</h1>"
		  "\n<form class=\"comment-form\" method=\"post\" "
		  "action=\"/reviews/%lld/comments/%lld/edit\">",
		  (long long)id, (long long)cid);
	page_csrf_field(b);
	html_rawf(b,
		  "<input type=\"hidden\" name=\"version\" value=\"%lld\">"
		  "<label>Comment <textarea name=\"body\" rows=\"6\" "
		  "required maxlength=\"65536\">",
		  (long long)c->version);
	html_txt(b, record_str(c, COMMENT_BODY));
	html_raw(b, "</textarea></label> <button type=\"submit\">Save"
		    "</button></form>\n");
	html_rawf(b,
		  "<form method=\"post\" action=\"/reviews/%lld/comments/"
		  "%lld/delete\">",
		  (long long)id, (long long)cid);
	page_csrf_field(b);
	html_rawf(b,
		  "<input type=\"hidden\" name=\"version\" value=\"%lld\">"
		  "<button type=\"submit\" class=\"ghost\">Remove the comment"
		  "</button></form>\n<p class=\"muted\">Every version stays "
		  "in the review's <a href=\"/reviews/%lld/history\">history"
		  "</a>.</p>",
		  (long long)c->version, (long long)id);
	back_link(b, doc.review, anchor);
	html_raw(b, "</article>\n");
	page_end(res);
}

/* form_id reads a positive id from form field name; 0 when absent. */
static int64_t form_id(struct request *req, const char *name)
{
	const char *v = req_form_get(req, name);

	return v && *v ? atoll(v) : 0;
}

void web_comment_create(struct request *req, struct response *res)
{
	struct store *st = req->app->store;
	int64_t id = req_param_id(req, 0), version, cid = 0, parent, tid;
	struct record *rec;
	char loc[64];
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK)
		goto fail;
	if (!(rec = record_new(req->arena, &comment_def))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if (record_parse_value(req->arena, rec, COMMENT_BODY,
			       req_form_get(req, "body") ?
				       req_form_get(req, "body") : "",
			       &e) != E_OK)
		goto fail;
	if ((parent = form_id(req, "parent_id")) > 0)
		record_set_int(rec, COMMENT_PARENT_ID, parent);
	if ((tid = form_id(req, "timeline_id")) > 0)
		record_set_int(rec, COMMENT_TIMELINE_ID, tid);
	record_fill_defaults(req->arena, rec);
	if (record_validate(rec, &e) != E_OK ||
	    store_comment_prepare(st, req->arena, page_actor(req), id, rec,
				  &e) != E_OK ||
	    store_child_create(st, req->arena, page_actor(req), CHILD_COMMENT,
			       id, rec, &cid, NULL, &e) != E_OK)
		goto fail;
	snprintf(loc, sizeof loc, "/reviews/%lld#comment-%lld", (long long)id,
		 (long long)cid);
	buf_reset(&res->body);
	res_redirect(res, loc);
	return;
fail:
	page_form_fail(req, res, "The comment", &e);
}

void web_comment_delete(struct request *req, struct response *res)
{
	struct store *st = req->app->store;
	int64_t id = req_param_id(req, 0), cid = req_param_id(req, 1);
	int64_t version, expected = form_id(req, "version");
	struct record *cur;
	const char *author;
	char loc[48];
	struct err e;

	err_clear(&e);
	if (id <= 0 || cid <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK ||
	    store_child_get(st, req->arena, CHILD_COMMENT, id, cid, &cur,
			    &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	author = record_str(cur, COMMENT_AUTHOR);
	if ((!author || strcmp(author, page_actor(req))) &&
	    req->role < ROLE_ADMIN) {
		web_error_page(req, res, 403,
			       "Only the author of a comment or an admin may "
			       "remove it.");
		return;
	}
	if (store_child_delete(st, req->arena, page_actor(req), CHILD_COMMENT,
			       id, cid, expected > 0 ? expected : 0, NULL,
			       &e) != E_OK &&
	    e.code != E_NOT_FOUND) { /* gone meanwhile: as asked */
		web_error_page(req, res, err_http_status(e.code),
			       arena_printf(req->arena,
					    "The comment was not removed: %s.",
					    page_fail_reason(req, &e)));
		return;
	}
	snprintf(loc, sizeof loc, "/reviews/%lld#comments", (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

void web_comment_edit(struct request *req, struct response *res)
{
	struct store *st = req->app->store;
	int64_t id = req_param_id(req, 0), cid = req_param_id(req, 1);
	int64_t version, expected = form_id(req, "version");
	struct record *cur, *patch, *merged;
	const char *author;
	char loc[64];
	struct err e;

	err_clear(&e);
	if (id <= 0 || cid <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK)
		goto fail;
	if (store_child_get(st, req->arena, CHILD_COMMENT, id, cid, &cur,
			    &e) != E_OK) {
		if (e.code == E_NOT_FOUND) {
			web_form_refused(req, res, 404,
					 "The comment was not saved",
					 "The comment was not saved: it is not "
					 "there any more.");
			return;
		}
		goto fail;
	}
	author = record_str(cur, COMMENT_AUTHOR);
	if (!author || strcmp(author, page_actor(req))) {
		web_form_refused(req, res, 403, "The comment was not saved",
				 "Only the author of a comment may edit it.");
		return;
	}
	if (!(patch = record_new(req->arena, &comment_def))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if (record_parse_value(req->arena, patch, COMMENT_BODY,
			       req_form_get(req, "body") ?
				       req_form_get(req, "body") : "",
			       &e) != E_OK)
		goto fail;
	if (!(merged = record_copy(req->arena, cur))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	record_apply(merged, patch);
	if (record_validate(merged, &e) != E_OK ||
	    store_child_update(st, req->arena, page_actor(req), CHILD_COMMENT,
			       id, cid, expected > 0 ? expected : 0, patch,
			       NULL, NULL, &e) != E_OK)
		goto fail;
	snprintf(loc, sizeof loc, "/reviews/%lld#comment-%lld", (long long)id,
		 (long long)cid);
	buf_reset(&res->body);
	res_redirect(res, loc);
	return;
fail:
	page_form_fail(req, res, "The comment", &e);
}
