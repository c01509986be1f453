/* permalink.c: the "#" link and the copy-link button beside every section,
 * timeline entry and comment of a review page (issue 17, memory aids), so
 * that anyone can point at one part of a review. */
#include "web/page.h"

void page_learning_script(struct buf *b)
{
	html_raw(b, "<script src=\"");
	html_attr(b, static_url("learning.js"));
	html_raw(b, "\" defer></script>\n");
}

void page_permalink(struct buf *b, const char *anchor, const char *label)
{
	html_raw(b, " <a class=\"permalink\" href=\"#");
	html_attr(b, anchor);
	html_raw(b, "\" aria-label=\"Link to ");
	html_attr(b, label);
	html_raw(b, "\">#</a><button type=\"button\" class=\"copy-link\" "
		    "data-anchor=\"");
	html_attr(b, anchor);
	html_raw(b, "\" title=\"Copy a link to ");
	html_attr(b, label);
	html_raw(b, "\">Copy link</button>");
}
