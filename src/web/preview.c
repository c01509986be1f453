/* preview.c: POST /preview, the markdown preview of the review form. The
 * editor (static/preview.js) posts one field's text as the form field
 * "text" and shows the answer, an HTML fragment rendered by the same safe
 * renderer as the review page (markdown.c), beside the field. Nothing is
 * stored. */
#include <string.h>

#include "web/markdown.h"
#include "web/page.h"
#include "web/web.h"

/* The largest markdown field (review.c's MARKDOWN_MAX). */
#define PREVIEW_MAX (256 * 1024)

void web_preview(struct request *req, struct response *res)
{
	const char *text = req_form_get(req, "text");
	struct buf *b = &res->body;

	buf_reset(b);
	res->content_type = "text/plain; charset=utf-8";
	res_header(res, "Cache-Control", "no-store");
	if (!text) {
		res->status = 400;
		buf_puts(b, "Send the text to preview as the form field "
			    "\"text\".\n");
		return;
	}
	if (strlen(text) > PREVIEW_MAX) {
		res->status = 413;
		buf_printf(b, "A markdown field holds at most %d bytes.\n",
			   PREVIEW_MAX);
		return;
	}
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	if (markdown_render(b, text) < 0) {
		buf_reset(b);
		res->status = 500;
		res->content_type = "text/plain; charset=utf-8";
		buf_puts(b, "Out of memory.\n");
	}
}
