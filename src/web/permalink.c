/* permalink.c: the "#" link beside every section, timeline entry and
 * comment of a review page (issue 17, memory aids), so that anyone can
 * point at one part of a review; learning.js puts a copy-link button
 * after each. */
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
	/* learning.js adds the copy-link button: copying needs it anyway,
	 * and a review of 300 timeline entries stays 50 KB lighter */
	html_raw(b, "\">#</a>");
}
