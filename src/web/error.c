/* error.c: the 404 page and the error page, framed like every other page. */
#include "util/log.h"
#include "web/page.h"
#include "web/web.h"

static void error_body(struct response *res, int status, const char *title,
		       const char *message, const char *path)
{
	struct buf *b = &res->body;

	buf_reset(b);
	page_begin(res, title, NAV_NONE);
	res->status = status;
	html_rawf(b,
		  "<section class=\"error-page\"><p class=\"eyebrow\">"
		  "Error %d</p>\n<h1>",
		  status);
	html_txt(b, title);
	html_raw(b, "</h1>\n<p class=\"lead\">");
	html_txt(b, message);
	if (path) {
		html_raw(b, " <code>");
		html_txt(b, path);
		html_raw(b, "</code>");
	}
	html_raw(b,
		 "</p>\n<p><a class=\"button\" href=\"/\">Back to all reviews"
		 "</a></p></section>\n");
	page_end(res);
}

void web_not_found(struct request *req, struct response *res)
{
	error_body(res, 404, "Page not found",
		   "There is no page (or no review) at",
		   req ? req->path : NULL);
}

void web_error_page(struct request *req, struct response *res, int status,
		    const char *message)
{
	const char *title;

	switch (status) {
	case 400: title = "Bad request"; break;
	case 404: title = "Not found"; break;
	case 405: title = "Method not allowed"; break;
	case 409: title = "Conflict"; break;
	case 413: title = "Too large"; break;
	case 415: title = "Unsupported media type"; break;
	case 422: title = "Invalid input"; break;
	case 503: title = "Unavailable for a moment"; break;
	default:
		title = status >= 500 ? "Something went wrong" : "Error";
		break;
	}
	error_body(res, status, title,
		   message && *message ? message : "The request failed.", NULL);
}

void page_fail(struct request *req, struct response *res, const struct err *e)
{
	int status = err_http_status(e->code);

	if (e->code == E_NOT_FOUND) {
		web_not_found(req, res);
		return;
	}
	if (e->code == E_UNAVAILABLE) {
		web_error_page(req, res, status,
			       "The database is unavailable for the moment; "
			       "please try again shortly.");
		return;
	}
	if (status >= 500) {
		log_error("%s %s: %s", req->method, req->path, e->message);
		web_error_page(req, res, status,
			       "The server could not finish this request; "
			       "please try again in a moment.");
		return;
	}
	web_error_page(req, res, status, e->message);
}

const char *page_fail_reason(struct request *req, const struct err *e)
{
	int status = err_http_status(e->code);

	if (e->code == E_NOT_FOUND)
		return "the review is not there any more";
	if (e->code == E_UNAVAILABLE)
		return "the database is unavailable for the moment; please "
		       "try again shortly";
	if (status >= 500) {
		log_error("%s %s: %s", req->method, req->path, e->message);
		return "the server could not finish this request; please "
		       "try again in a moment";
	}
	return e->message;
}

void page_form_fail(struct request *req, struct response *res,
		    const char *what, const struct err *e)
{
	const char *title = arena_printf(req->arena, "%s was not saved", what);
	const char *msg = arena_printf(req->arena, "%s was not saved: %s.",
				       what, page_fail_reason(req, e));

	if (!title || !msg) {
		title = "Not saved";
		msg = "Nothing was saved.";
	}
	web_form_refused(req, res, err_http_status(e->code), title, msg);
}
