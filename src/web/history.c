/* history.c: the History page of a review (GET /reviews/{id}/history):
 * every revision, newest first, with who, when, what and a diff of each
 * changed field; 50 saves a page (?before=VERSION for older ones), cached
 * by the review's version. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "http/cache.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

/* Saves (review versions) on one History page: a review edited for years
 * with large fields took 0.8 s to show whole. */
#define HISTORY_PAGE_SAVES 50
#define STR_(x) #x
#define STR(x)	STR_(x)

const struct record_def *page_revision_def(const char *record_kind)
{
	int k;

	if (!record_kind || !strcmp(record_kind, "review"))
		return &review_def;
	k = child_kind_from_segment(record_kind);
	return k >= 0 ? child_defs[k] : NULL;
}

static const struct field_def *field_of(const struct record_def *def,
					const char *name)
{
	int f = def ? record_field(def, name) : -1;

	return f >= 0 ? &def->fields[f] : NULL;
}

/* value writes one side of a change: times as <time>, other text as is. */
static void value(struct buf *b, const struct field_def *fd, const char *text)
{
	int64_t t;

	if (fd && fd->type == FT_TIME && time_parse(text, &t) == 0)
		html_time(b, t);
	else
		html_txt(b, text);
}

static void render_change(struct buf *b, const struct record_def *def,
			  const struct change *c)
{
	const struct field_def *fd = field_of(def, c->field);
	const char *o = c->old_text ? c->old_text : "";
	const char *n = c->new_text ? c->new_text : "";
	int prose = !fd || fd->type == FT_TEXT || fd->type == FT_MARKDOWN ||
		    fd->type == FT_LIST || fd->type == FT_URL;

	html_raw(b, "<dt>");
	html_txt(b, fd ? fd->label : c->field);
	html_rawf(b, "</dt><dd class=\"%s\">",
		  fd && fd->type == FT_MARKDOWN ? "change md" : "change");
	if (!*o) {
		html_raw(b, "<ins>");
		value(b, fd, n);
		html_raw(b, "</ins>");
	} else if (!*n) {
		html_raw(b, "<del>");
		value(b, fd, o);
		html_raw(b, "</del>");
	} else if (prose) {
		html_diff(b, o, n);
	} else {
		html_raw(b, "<del>");
		value(b, fd, o);
		html_raw(b, "</del> → <ins>");
		value(b, fd, n);
		html_raw(b, "</ins>");
	}
	html_raw(b, "</dd>\n");
}

static const char *verb_of(const char *action)
{
	if (!strcmp(action, "create"))
		return "created";
	if (!strcmp(action, "update"))
		return "changed";
	if (!strcmp(action, "delete"))
		return "deleted";
	if (!strcmp(action, "restore"))
		return "restored";
	if (!strcmp(action, "import"))
		return "imported";
	return action;
}

/* child_verb: rows of lists are added and removed, not created. */
static const char *child_verb(const char *action)
{
	if (!strcmp(action, "create"))
		return "added";
	if (!strcmp(action, "delete"))
		return "removed";
	return verb_of(action);
}

/* row_field finds what field f of the row rv is about said: what this
 * revision wrote (or, for a delete, what it removed) as *text, else the
 * row as it is now in doc (may be NULL) as *row. 0 when neither knows. */
static int row_field(const struct revision *rv, const struct review_doc *doc,
		     int kind, const struct record_def *def, int f,
		     const char **text, const struct record **row)
{
	const char *name = def->fields[f].name;

	*text = NULL;
	*row = NULL;
	for (size_t i = 0; i < rv->nchanges; i++) {
		const struct change *c = &rv->changes[i];

		if (strcmp(c->field, name))
			continue;
		if (c->new_text && *c->new_text)
			*text = c->new_text;
		else if (c->old_text && *c->old_text)
			*text = c->old_text;
		if (*text)
			return 1;
	}
	if (!doc || kind < 0)
		return 0;
	for (size_t i = 0; i < doc->children[kind].n; i++) {
		const struct record *r = doc->children[kind].items[i];

		if (r->id == rv->record_id && record_isset(r, f)) {
			*row = r;
			return 1;
		}
	}
	return 0;
}

/* first_words writes the start of text's first line in curly quotes. */
static void first_words(struct buf *b, const char *text)
{
	html_raw(b, "“");
	page_excerpt(b, text, 60, 1);
	html_raw(b, "”");
}

void page_revision_what(struct buf *b, const struct revision *rv,
			const struct review_doc *doc)
{
	const struct record_def *def = page_revision_def(rv->record_kind);
	int kind, tf = -1, wf = -1, has_time = 0;
	const char *text, *words = NULL;
	const struct record *row;
	int64_t t = 0;

	if (def == &review_def) {
		html_txt(b, verb_of(rv->action));
		html_raw(b, " the review");
		return;
	}
	if (!strcmp(rv->record_kind, "transcripts")) {
		/* one revision per chat import, about no single record */
		html_txt(b, verb_of(rv->action));
		html_raw(b, " chat messages");
		return;
	}
	if (!def) {
		html_txt(b, verb_of(rv->action));
		html_raw(b, " ");
		html_txt(b, rv->record_kind);
		html_rawf(b, " <span class=\"muted\">#%lld</span>",
			  (long long)rv->record_id);
		return;
	}
	/* a row is named by its time (if it has one) and its first words
	 * (its first required text field), not by the id people never see */
	kind = child_kind_from_segment(rv->record_kind);
	for (size_t f = 0; f < def->nfields; f++) {
		const struct field_def *fd = &def->fields[f];

		if (fd->type == FT_TIME && tf < 0)
			tf = (int)f;
		if ((fd->type == FT_TEXT || fd->type == FT_MARKDOWN ||
		     fd->type == FT_URL) &&
		    (fd->flags & F_REQUIRED) && wf < 0)
			wf = (int)f;
	}
	if (tf >= 0 && row_field(rv, doc, kind, def, tf, &text, &row))
		has_time = row ? (t = record_int(row, tf, 0), 1)
			       : time_parse(text, &t) == 0;
	if (wf >= 0 && row_field(rv, doc, kind, def, wf, &text, &row))
		words = row ? record_str(row, wf) : text;
	html_txt(b, child_verb(rv->action));
	html_raw(b, " the ");
	if (has_time && kind == CHILD_MEETING) {
		/* one a review: named by its time alone */
		html_raw(b, "meeting of ");
		html_time(b, t);
		return;
	}
	if (has_time) {
		html_time(b, t);
		html_raw(b, " entry");
	} else {
		html_txt(b, def->name);
	}
	if (words && *words) {
		html_raw(b, " ");
		first_words(b, words);
	} else if (!has_time) {
		html_rawf(b, " <span class=\"muted\">#%lld</span>",
			  (long long)rv->record_id);
	}
}

/* render_revision writes what one write did to one record, its changes
 * folded when there are many of them (a create lists every field). */
static void render_revision(struct buf *b, const struct revision *rv,
			    const struct review_doc *doc, int fold)
{
	const struct record_def *def = page_revision_def(rv->record_kind);

	html_raw(b, "<details class=\"rev-record action-");
	html_attr(b, rv->action);
	html_raw(b, fold ? "\">" : "\" open>");
	html_raw(b, "<summary>");
	page_revision_what(b, rv, doc);
	if (rv->nchanges)
		html_rawf(b, " <span class=\"muted\">· %zu field%s</span>",
			  rv->nchanges, rv->nchanges == 1 ? "" : "s");
	html_raw(b, "</summary>");
	if (rv->nchanges) {
		html_raw(b, "<dl class=\"changes\">\n");
		for (size_t i = 0; i < rv->nchanges; i++)
			render_change(b, def, &rv->changes[i]);
		html_raw(b, "</dl>");
	}
	html_raw(b, "</details>\n");
}

/* render_group writes one save: the revisions that share a review version
 * (a save of the edit page touches the review and many children). */
static void render_group(struct buf *b, const struct revision *rv, size_t n,
			 const struct review_doc *doc)
{
	size_t fields = 0;

	for (size_t i = 0; i < n; i++)
		fields += rv[i].nchanges;
	html_raw(b, "<li class=\"revision action-");
	html_attr(b, rv[0].action);
	html_raw(b, "\"><p class=\"rev-head\"><strong>");
	html_txt(b, rv[0].actor);
	if (n == 1)
		html_rawf(b, "</strong> %s", "made one change");
	else
		html_rawf(b, "</strong> made %zu changes", n);
	html_raw(b, " <span class=\"when\">");
	html_time(b, rv[0].at);
	html_rawf(b, "</span> <span class=\"version\">v%lld</span></p>\n",
		  (long long)rv[0].review_version);
	for (size_t i = 0; i < n; i++) {
		/* creates are long and read elsewhere; fold them in a big
		 * save, and fold everything in a very big one */
		int fold = (!strcmp(rv[i].action, "create") && fields > 8) ||
			   fields > 60;
		render_revision(b, &rv[i], doc, fold);
	}
	html_raw(b, "</li>\n");
}

/* history_before reads ?before= (a review version: the page shows the
 * saves older than it); 0 when absent, -1 when it is not a number. */
static int64_t history_before(struct request *req)
{
	const char *v = req_query(req, "before");
	char *end;
	long long n;

	if (!v || !*v)
		return 0;
	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	return errno || *end || n <= 0 ? -1 : (int64_t)n;
}

static void render_pager(struct buf *b, int64_t id, int64_t before,
			 int64_t older_than)
{
	if (!before && !older_than)
		return;
	html_raw(b, "<nav class=\"pager\">");
	if (before)
		html_rawf(b,
			  "<a href=\"/reviews/%lld/history\">← Newest "
			  "changes</a> ",
			  (long long)id);
	if (older_than)
		html_rawf(b,
			  "<a href=\"/reviews/%lld/history?before=%lld\" "
			  "rel=\"next\">Older changes →</a>",
			  (long long)id, (long long)older_than);
	html_raw(b, "</nav>\n");
}

static void render_history(struct response *res, int64_t id,
			   const struct review_doc *doc,
			   const struct revision_page *pg, int64_t before)
{
	struct buf *b = &res->body;
	const char *title = record_str(doc->review, REVIEW_TITLE);
	const struct revision *revs = pg->revs;
	size_t n = pg->n;

	page_begin(res, title ? title : "History", NAV_NONE);
	if (doc->review->deleted_at)
		html_raw(b, "<nav class=\"crumbs\"><a href=\"/deleted\">← ");
	else
		html_rawf(b,
			  "<nav class=\"crumbs\"><a href=\"/reviews/%lld\">← ",
			  (long long)id);
	html_txt(b, title);
	html_raw(
		b,
		"</a></nav>\n<div class=\"page-head\"><h1>History</h1></div>\n");
	if (doc->review->deleted_at) {
		html_rawf(b,
			  "<div class=\"notice\"><form method=\"post\" "
			  "action=\"/reviews/%lld/restore\">",
			  (long long)id);
		page_csrf_field(b);
		html_raw(b, "<p>This review is deleted. " SLOT_ADMIN_BEGIN
			    "<button type=\"submit\" class=\"link\">Restore "
			    "it</button>" SLOT_ADMIN_END "</p></form>"
			    "</div>\n");
	}
	html_rawf(b,
		  "<p class=\"lead\">Every change to this review, newest "
		  "first. %lld revision%s%s.</p>\n",
		  (long long)pg->total, pg->total == 1 ? "" : "s",
		  before || pg->older_than ? ", in pages of "
		  STR(HISTORY_PAGE_SAVES) " saves" : "");
	if (!n)
		html_raw(b, "<p class=\"empty\">No changes that old.</p>\n");
	html_raw(b, "<ol class=\"revisions\">\n");
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1;
		     j < n &&
		     revs[j].review_version == revs[i].review_version &&
		     !strcmp(revs[j].actor, revs[i].actor);
		     j++)
			;
		render_group(b, revs + i, j - i, doc);
	}
	html_raw(b, "</ol>\n");
	render_pager(b, id, before, pg->older_than);
	page_end(res);
}

void web_review_history_page(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0), version = 0;
	int64_t before = history_before(req);
	struct review_doc doc;
	struct revision_page pg;
	char key[64];
	int live;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	/* who may see it, before any cache: a live review the asker sees
	 * (its history is the same for all of them, and cached by version)
	 * or a deleted one for admins (never cached) */
	live = access_review_version(req, id, &version, &e) == E_OK;
	if (!live && e.code != E_NOT_FOUND) {
		page_fail(req, res, &e);
		return;
	}
	err_clear(&e);
	if (before < 0) {
		err_set(&e, E_BAD_REQUEST, "before",
			"before must be a review version, such as 12");
		page_fail(req, res, &e);
		return;
	}
	snprintf(key, sizeof key, "page:history:%lld:%lld", (long long)id,
		 (long long)before);
	/* a miss waits for another request's render, or claims it: put or
	 * abandon on every path below */
	if (live &&
	    page_cache_get_or_wait(app->cache, key, version, &res->body)) {
		res->status = 200;
		res->content_type = "text/html; charset=utf-8";
		return;
	}
	buf_reset(&res->body);
	if (access_review_history(req, id, &doc, &e) != E_OK ||
	    store_revision_page(app->store, req->arena, id, before,
				HISTORY_PAGE_SAVES, &pg, &e) != E_OK) {
		if (live)
			page_cache_abandon(app->cache, key, version);
		page_fail(req, res, &e);
		return;
	}
	render_history(res, id, &doc, &pg, before);
	/* under the version read with the review: a write since then only
	 * makes the next request miss */
	if (!doc.review->deleted_at && res->status == 200 && !res->body.oom)
		page_cache_put(app->cache, key, doc.review->version,
			       res->body.data, res->body.len);
	if (live)
		page_cache_abandon(app->cache, key, version); /* if not put */
}
