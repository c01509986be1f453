/* csrf_page.c: the answer to a form post that saved nothing, whether the
 * router refused it for its CSRF token (see csrf.c) or its handler for
 * what it held: the page gives back everything that was typed, read-only,
 * with a way back to the form. */
#include <string.h>
#include <strings.h>

#include "web/page.h"
#include "web/web.h"

/* Fields not given back: those of our forms that carry no text of the
 * person's (the review form's copy of what it started from, its list of
 * conflicts, a row's id), and passwords (never echoed into a page). */
static int technical(const char *key)
{
	size_t n = strlen(key);

	return !strcmp(key, "csrf") || !strcmp(key, "version") ||
	       !strcmp(key, "coach") || !strcmp(key, "base") ||
	       !strcmp(key, "conflicts") ||
	       (n > 4 && !strcmp(key + n - 4, "].id")) ||
	       strstr(key, "password");
}

/* same_site_referer returns the path of the Referer when it points at
 * this site (its host is the Host header), else NULL. */
static const char *same_site_referer(struct request *req)
{
	const char *ref = req_header(req, "Referer");
	const char *host = req_header(req, "Host");
	const char *p, *slash;

	if (!ref || !host || !*host || !(p = strstr(ref, "://")))
		return NULL;
	p += 3;
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) != strlen(host) ||
	    strncasecmp(p, host, strlen(host)) != 0)
		return NULL;
	if (slash[1] == '/' || slash[1] == '\\')
		return NULL;
	return slash;
}

/* back_link is where the form can be had again: the page at the same path
 * when there is one (the edit page posts to itself), else the page the
 * form was on when that was this site, else the front page. */
static const char *back_link(struct request *req)
{
	struct request probe = *req;
	const char *ref;

	probe.method = "GET";
	if (req->path && router_match(&probe, NULL, 0))
		return req->path;
	ref = same_site_referer(req);
	return ref ? ref : "/";
}

/* rows_for sizes a textarea to its text: 2 to 12 lines. */
static int rows_for(const char *v)
{
	int n = 1;

	for (const char *p = v; *p && n < 12; p++)
		n += *p == '\n';
	return n < 2 ? 2 : n;
}

void web_form_refused(struct request *req, struct response *res, int status,
		      const char *title, const char *message)
{
	struct buf *b = &res->body;
	const char *back = back_link(req);
	struct kv *form;
	size_t n = req_form_all(req, &form), shown = 0;

	buf_reset(b);
	page_begin(res, title, NAV_NONE);
	res->status = status;
	html_rawf(b, "<section class=\"error-page form-refused\">"
		     "<p class=\"eyebrow\">Error %d</p>\n<h1>", status);
	html_txt(b, title);
	html_raw(b, "</h1>\n<p class=\"lead\">");
	html_txt(b, message);
	for (size_t i = 0; i < n; i++)
		if (!technical(form[i].key) && form[i].value[0])
			shown++;
	if (shown)
		html_raw(b, " What you wrote is below: copy what you need, "
			    "then open the form again.");
	html_raw(b, "</p>\n");
	for (size_t i = 0, k = 0; i < n; i++) {
		if (technical(form[i].key) || !form[i].value[0])
			continue;
		html_rawf(b, "<div class=\"field\"><label for=\"posted-%zu\">",
			  k);
		html_txt(b, form[i].key);
		html_rawf(b,
			  "</label><textarea id=\"posted-%zu\" readonly "
			  "rows=\"%d\">",
			  k, rows_for(form[i].value));
		/* a leading newline would be eaten by the HTML parser */
		if (form[i].value[0] == '\n')
			html_raw(b, "\n");
		html_txt(b, form[i].value);
		html_raw(b, "</textarea></div>\n");
		k++;
	}
	html_raw(b, "<p><a class=\"button primary\" href=\"");
	html_attr(b, back);
	html_raw(b, "\">Open the form again</a> <a class=\"button ghost\" "
		    "href=\"/\">All reviews</a></p></section>\n");
	page_end(res);
	res_header(res, "Cache-Control", "no-store");
}

void web_csrf_failed(struct request *req, struct response *res)
{
	web_form_refused(req, res, 403,
			 "This form has expired or came from another site",
			 "Nothing was saved. The form was opened before you "
			 "last signed in (or in another session), or it was "
			 "sent from a page that is not part of debrief.");
}
