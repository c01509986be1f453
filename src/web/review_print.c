/* review_print.c: one review on its own: the print view
 * (GET /reviews/{id}/print, styled by /static/print.css), the standalone
 * HTML file (?standalone=1: the same page with the stylesheet inside it
 * and no request to any server when opened), and the review as markdown
 * with YAML front matter (GET /reviews/{id}/markdown, the format of
 * `debrief export --format md`). What the reader may not see is 404, as
 * everywhere. */
#include <stdio.h>
#include <string.h>

#include "http/access.h"
#include "importers/md_format.h"
#include "util/timeutil.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/static_assets.h"
#include "web/web.h"

static void fact(struct buf *b, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	html_raw(b, "<tr><th>");
	html_txt(b, label);
	html_raw(b, "</th><td>");
	html_txt(b, value);
	html_raw(b, "</td></tr>\n");
}

static void cell(struct buf *b, const char *s)
{
	html_raw(b, "<td>");
	html_txt(b, s ? s : "");
	html_raw(b, "</td>");
}

/* grid writes the children l as a table of the given fields. */
static void grid(struct buf *b, struct arena *a, const char *title,
		 const struct record_list *l, const int *fields, size_t n)
{
	const struct record_def *def;

	if (!l->n)
		return;
	def = l->items[0]->def;
	html_raw(b, "<section><h2>");
	html_txt(b, title);
	html_raw(b, "</h2>\n<table class=\"grid\"><tr>");
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<th>");
		html_txt(b, def->fields[fields[i]].label);
		html_raw(b, "</th>");
	}
	html_raw(b, "</tr>\n");
	for (size_t r = 0; r < l->n; r++) {
		html_raw(b, "<tr>");
		for (size_t i = 0; i < n; i++) {
			const struct record *it = l->items[r];

			/* a time is written for its reader (personal.c) */
			if (def->fields[fields[i]].type == FT_TIME &&
			    record_isset(it, fields[i])) {
				html_raw(b, "<td>");
				html_time(b, record_int(it, fields[i], 0));
				html_raw(b, "</td>");
				continue;
			}
			cell(b, record_value_text(a, it, fields[i]));
		}
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</table></section>\n");
}

static const struct static_asset *asset(const char *name)
{
	for (int i = 0; static_assets[i].name; i++)
		if (!strcmp(static_assets[i].name, name))
			return &static_assets[i];
	return NULL;
}

static void render(struct buf *b, struct arena *a, const struct config *cfg,
		   const struct review_doc *doc, int standalone)
{
	static const int tl[] = {TL_AT, TL_KIND, TL_ACTOR, TL_TEXT, TL_CONTEXT};
	static const int fu[] = {FU_TITLE, FU_OWNER, FU_HORIZON, FU_AIM,
				 FU_STATUS, FU_DUE, FU_TICKET};
	static const int fa[] = {FACTOR_TEXT, FACTOR_KIND, FACTOR_DESCRIPTION};
	static const int pe[] = {PERSON_NAME, PERSON_ROLE};
	static const int li[] = {LINK_URL, LINK_KIND, LINK_COMMENT};
	const struct record *r = doc->review;
	const struct static_asset *css = asset("print.css");
	struct buf tags = BUF_INIT;
	int64_t sev = record_int(r, REVIEW_SEVERITY, 0);

	html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		    "charset=\"utf-8\">\n<meta name=\"viewport\" "
		    "content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	html_txt(b, record_str(r, REVIEW_TITLE));
	html_raw(b, "</title>\n");
	if (standalone && css) {
		/* opened from disk, the file may load nothing at all: not a
		 * markdown image, not a font */
		html_raw(b, "<meta http-equiv=\"Content-Security-Policy\" "
			    "content=\"default-src 'none'; style-src "
			    "'unsafe-inline'; img-src data:\">\n<style>\n");
		buf_append(b, css->data, css->len);
		html_raw(b, "</style>\n");
	} else {
		html_raw(b, "<link rel=\"stylesheet\" href=\"/static/print.css\">\n");
	}
	html_raw(b, "</head><body>\n");
	if (!standalone)
		html_rawf(b,
			  "<p class=\"noprint\"><a href=\"/reviews/%lld\">Back "
			  "to the review</a> · Print this page, or <a "
			  "href=\"/reviews/%lld/print?standalone=1\">download "
			  "it as one HTML file</a> · <a "
			  "href=\"/reviews/%lld/markdown\">download as "
			  "markdown</a></p>\n",
			  (long long)r->id, (long long)r->id, (long long)r->id);
	html_raw(b, "<h1>");
	html_txt(b, record_str(r, REVIEW_TITLE));
	html_raw(b, "</h1>\n<table class=\"facts\">\n");
	fact(b, "Kind", record_str(r, REVIEW_KIND));
	if (sev) {
		char s[200];
		snprintf(s, sizeof s, "%lld%s%s", (long long)sev,
			 cfg && sev <= 5 && cfg->severity[sev][0] ? ": " : "",
			 cfg && sev <= 5 ? cfg->severity[sev] : "");
		fact(b, "Severity", s);
	}
	fact(b, "Status", record_str(r, REVIEW_STATUS));
	for (int f = REVIEW_STARTED_AT; f <= REVIEW_RESOLVED_AT; f++)
		if (record_isset(r, f)) {
			html_raw(b, "<tr><th>");
			html_txt(b, review_def.fields[f].label);
			html_raw(b, "</th><td>");
			html_time(b, record_int(r, f, 0));
			html_raw(b, "</td></tr>\n");
		}
	fact(b, "Owner team", record_str(r, REVIEW_OWNER_TEAM));
	fact(b, "Services", record_value_text(a, r, REVIEW_SERVICES));
	fact(b, "Impact type", record_str(r, REVIEW_IMPACT_TYPE));
	fact(b, "Problem type", record_str(r, REVIEW_PROBLEM_TYPE));
	for (size_t i = 0; i < doc->children[CHILD_TAG].n; i++)
		buf_printf(&tags, "%s%s", i ? ", " : "",
			   record_str(doc->children[CHILD_TAG].items[i],
				      TAG_NAME));
	fact(b, "Tags", tags.len ? buf_cstr(&tags) : NULL);
	buf_release(&tags);
	html_raw(b, "</table>\n");
	for (size_t f = 0; f < review_def.nfields; f++) {
		if (review_def.fields[f].type != FT_MARKDOWN ||
		    !record_isset(r, (int)f))
			continue;
		html_raw(b, "<section><h2>");
		html_txt(b, review_def.fields[f].label);
		html_raw(b, "</h2>\n");
		if (f == REVIEW_EXTRA) {
			html_raw(b, "<pre>");
			html_txt(b, record_str(r, (int)f));
			html_raw(b, "</pre>");
		} else if (markdown_render(b, record_str(r, (int)f)) < 0) {
			b->oom = 1;
		}
		html_raw(b, "</section>\n");
	}
	grid(b, a, "Contributing factors", &doc->children[CHILD_FACTOR], fa,
	     3);
	grid(b, a, "Timeline", &doc->children[CHILD_TIMELINE], tl, 5);
	grid(b, a, "Follow-up items", &doc->children[CHILD_FOLLOWUP], fu, 7);
	grid(b, a, "People", &doc->children[CHILD_PERSON], pe, 2);
	grid(b, a, "Links", &doc->children[CHILD_LINK], li, 3);
	html_rawf(b, "<p class=\"muted\">Review %lld, version %lld.</p>\n"
		     "</body></html>\n",
		  (long long)r->id, (long long)r->version);
}

void web_review_print(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	const char *sa = req_query(req, "standalone");
	int standalone = sa && !strcmp(sa, "1");
	struct review_doc doc;
	char disp[96];
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
	buf_reset(&res->body);
	render(&res->body, req->arena, req->app->cfg, &doc, standalone);
	if (res->body.oom) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	res_header(res, "Cache-Control", "private, no-store");
	if (standalone) {
		snprintf(disp, sizeof disp,
			 "attachment; filename=\"review-%lld.html\"",
			 (long long)id);
		res_header(res, "Content-Disposition", disp);
	}
}

static int put_md(const struct export_review *r, void *arg)
{
	return md_export_review(r, arg);
}

void web_review_markdown(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), version = 0;
	struct viewer v;
	char disp[200], name[128];
	struct review_doc doc;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK ||
	    access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	access_viewer(req, &v);
	buf_reset(&res->body);
	if (store_export_reviews(req->app->store, &v, id, 0, put_md,
				 &res->body, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	md_file_name(doc.review, name, sizeof name);
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	res->status = 200;
	res->content_type = "text/markdown; charset=utf-8";
	res_header(res, "Content-Disposition", disp);
	res_header(res, "Cache-Control", "private, no-store");
}
