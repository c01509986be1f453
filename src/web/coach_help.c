/* coach_help.c: GET /coach and GET /coach/{category}, the "why" pages the
 * language coach's findings link to. They are docs/lint.md, compiled into
 * the binary (doc_assets.h) and rendered by the pages' safe markdown
 * renderer: the whole guide, or one category's section of it ("### NAME"
 * up to the next heading of that level or above), so that the guide and
 * what the coach explains cannot drift apart. */
#include <string.h>

#include "lint/lint.h"
#include "web/doc_assets.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/web.h"

static const char *lint_doc(size_t *len)
{
	for (size_t i = 0; doc_assets[i].name; i++)
		if (!strcmp(doc_assets[i].name, "lint.md")) {
			*len = doc_assets[i].len;
			return (const char *)doc_assets[i].data;
		}
	*len = 0;
	return NULL;
}

/* section finds "### name" in doc and returns what follows its heading
 * line up to the next heading of level 3 or above (memory from a); NULL
 * when there is no such section. */
static char *section(struct arena *a, const char *doc, const char *name)
{
	size_t n = strlen(name);
	const char *p = doc, *start = NULL, *end;

	while (p && *p) {
		if (!strncmp(p, "### ", 4) && !strncmp(p + 4, name, n) &&
		    (p[4 + n] == '\n' || p[4 + n] == '\0')) {
			start = p + 4 + n;
			break;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!start)
		return NULL;
	for (end = start; (end = strchr(end, '\n'));) {
		end++;
		if (*end == '#' &&
		    (!strncmp(end, "# ", 2) || !strncmp(end, "## ", 3) ||
		     !strncmp(end, "### ", 4)))
			break;
	}
	return arena_strndup(a, start,
			     end ? (size_t)(end - start) : strlen(start));
}

/* category_nav links every category's page, the current one marked. */
static void category_nav(struct buf *b, int current)
{
	html_raw(b, "<nav class=\"coach-help-nav\" aria-label=\"Categories\">"
		    "<a href=\"/coach\"");
	if (current < 0)
		html_raw(b, " aria-current=\"page\"");
	html_raw(b, ">The whole guide</a>");
	for (int c = 0; c < LINT_NCATEGORIES; c++) {
		const char *name = lint_category_name((enum lint_category)c);

		html_raw(b, " · <a href=\"/coach/");
		html_url_arg(b, name);
		html_raw(b, "\"");
		if (c == current)
			html_raw(b, " aria-current=\"page\"");
		html_raw(b, ">");
		page_choice_label(b, name);
		html_raw(b, "</a>");
	}
	html_raw(b, "</nav>\n");
}

void web_coach_help(struct request *req, struct response *res)
{
	const char *name = req->nparams > 0 ? req->params[0] : NULL;
	int cat = -1;
	size_t len;
	const char *doc = lint_doc(&len);
	const char *md = doc;
	struct buf *b = &res->body;

	if (name) {
		cat = lint_category_parse(name, strlen(name));
		if (cat < 0 || strcmp(name, lint_category_name(cat)) || !doc ||
		    !(md = section(req->arena, doc, lint_category_name(cat)))) {
			web_not_found(req, res);
			return;
		}
	}
	if (!md) {
		web_not_found(req, res);
		return;
	}
	if (cat >= 0) {
		const char *title = arena_printf(
			req->arena, "Language coach: %s",
			lint_category_name((enum lint_category)cat));

		page_begin(res, title ? title : "Language coach", NAV_NONE);
		category_nav(b, cat);
		html_raw(b, "<article class=\"coach-help\" id=\"");
		html_attr(b, name);
		html_raw(b, "\"><h1><span class=\"muted\">Language coach:"
			    "</span> ");
		page_choice_label(b, name);
		html_raw(b, "</h1><p class=\"lead\">");
		html_txt(b, lint_category_summary((enum lint_category)cat));
		html_raw(b, "</p>\n");
	} else {
		page_begin(res, "Language coach", NAV_NONE);
		category_nav(b, -1);
		html_raw(b, "<article class=\"coach-help\">");
	}
	if (markdown_render(b, md) < 0)
		b->oom = 1;
	html_raw(b, "</article>\n");
	if (cat >= 0)
		html_raw(b, "<p><a href=\"/coach\">The whole guide to the "
			    "language coach</a>, with how to allow a phrase "
			    "and the limits of the rules.</p>\n");
	page_end(res);
}
