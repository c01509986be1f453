/* glossary.c: GET /glossary, the terms and their definitions (each with
 * its anchor, #term-ID, that the reviews' term links point to), and for
 * editors the forms to add, change and remove one (POST /glossary,
 * /glossary/{id}/edit, /glossary/{id}/delete). Terms are checked by
 * glossary_check (model/learning.c) like in the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/learning.h"
#include "store/store.h"
#include "web/page.h"
#include "web/web.h"

static void term_form(struct buf *b, const struct glossary_term *t)
{
	if (t)
		html_rawf(b,
			  "<form method=\"post\" action=\"/glossary/%lld/edit\" "
			  "class=\"glossary-form\">",
			  (long long)t->id);
	else
		html_raw(b, "<form method=\"post\" action=\"/glossary\" "
			    "class=\"glossary-form\">");
	page_csrf_field(b);
	html_rawf(b, "<label>Term <input name=\"term\" required minlength=\"%d"
		     "\" maxlength=\"%d\" value=\"",
		  GLOSSARY_TERM_MIN, GLOSSARY_TERM_MAX * 4);
	html_attr(b, t ? t->term : "");
	html_raw(b, "\"></label> <label>Definition <textarea name=\"definition\" "
		    "rows=\"2\" required>");
	html_txt(b, t ? t->definition : "");
	html_rawf(b, "</textarea></label> <button type=\"submit\">%s</button>"
		     "</form>",
		  t ? "Save" : "Add the term");
}

void web_glossary_page(struct request *req, struct response *res)
{
	struct glossary_term *terms;
	struct buf *b = &res->body;
	size_t n;
	struct err e;

	err_clear(&e);
	if (store_glossary_list(req->app->store, req->arena, &terms, &n, &e) !=
	    E_OK) {
		page_fail(req, res, &e);
		return;
	}
	page_begin(res, "Glossary", NAV_GLOSSARY);
	html_raw(b, "<article class=\"glossary\"><h1>Glossary</h1>\n<p "
		    "class=\"lead\">The words our reviews use, defined once. "
		    "A review links the first use of each term here.</p>\n");
	if (!n)
		html_raw(b, "<p class=\"empty\">No terms yet.</p>\n");
	html_raw(b, "<dl class=\"glossary-terms\">\n");
	for (size_t i = 0; i < n; i++) {
		char anchor[40];

		snprintf(anchor, sizeof anchor, "term-%lld",
			 (long long)terms[i].id);
		html_rawf(b, "<div id=\"%s\"><dt>", anchor);
		html_txt(b, terms[i].term);
		page_permalink(b, anchor, terms[i].term);
		html_raw(b, "</dt><dd>");
		html_txt(b, terms[i].definition);
		html_raw(b, SLOT_EDITOR_BEGIN "<details class=\"term-edit\">"
					      "<summary>Change</summary>");
		term_form(b, &terms[i]);
		html_rawf(b,
			  "<form method=\"post\" action=\"/glossary/%lld/"
			  "delete\">",
			  (long long)terms[i].id);
		page_csrf_field(b);
		html_raw(b, "<button type=\"submit\" class=\"ghost\">Remove "
			    "the term</button></form></details>" SLOT_EDITOR_END
			    "</dd></div>\n");
	}
	html_raw(b, "</dl>\n" SLOT_EDITOR_BEGIN "<section class=\"add-term\">"
		    "<h2>Add a term</h2>");
	term_form(b, NULL);
	html_raw(b, "</section>" SLOT_EDITOR_END "</article>\n");
	page_learning_script(b);
	page_end(res);
}

/* put answers a term form: checked, stored, back to the term. */
static void put(struct request *req, struct response *res, int64_t id)
{
	const char *term = req_form_get(req, "term");
	const char *def = req_form_get(req, "definition");
	char loc[48];
	struct err e;

	err_clear(&e);
	if (glossary_check(term ? term : "", def ? def : "", &e) != E_OK ||
	    store_glossary_put(req->app->store, &id, term, def, &e) != E_OK) {
		if (e.code == E_NOT_FOUND)
			web_form_refused(req, res, 404, "The term was not saved",
					 "The term was not saved: it is not in "
					 "the glossary any more.");
		else
			page_form_fail(req, res, "The term", &e);
		return;
	}
	snprintf(loc, sizeof loc, "/glossary#term-%lld", (long long)id);
	buf_reset(&res->body);
	res_redirect(res, loc);
}

void web_glossary_create(struct request *req, struct response *res)
{
	put(req, res, 0);
}

void web_glossary_edit(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);

	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	put(req, res, id);
}

void web_glossary_delete(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	struct err e;

	err_clear(&e);
	if (id <= 0 ||
	    store_glossary_delete(req->app->store, id, &e) != E_OK) {
		if (id <= 0)
			web_not_found(req, res);
		else
			page_fail(req, res, &e);
		return;
	}
	buf_reset(&res->body);
	res_redirect(res, "/glossary");
}
