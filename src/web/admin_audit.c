/* admin_audit.c: /admin/audit: the audit trail for admins (sign-ins,
 * failed sign-ins, permission changes, restores), newest first, filtered
 * by actor and action prefix, paged by id with an "Older" link. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/utf8.h"
#include "web/page.h"
#include "web/web.h"

#define AUDIT_PAGE     50
#define AUDIT_TEXT_MAX 200

/* text_arg is a filter as typed: NULL when absent, empty, too long or not
 * UTF-8 (a filter that cannot match anything stored is no filter). */
static const char *text_arg(struct request *req, const char *name)
{
	const char *v = req_query(req, name);

	if (!v || !*v || strlen(v) > AUDIT_TEXT_MAX ||
	    !utf8_valid(v, strlen(v), NULL))
		return NULL;
	return v;
}

/* page_link writes /admin/audit?actor=..&action=..[&before=N]. */
static void page_link(struct buf *b, const struct store_audit_filter *f,
		      int64_t before)
{
	const char *sep = "?";

	html_raw(b, "/admin/audit");
	if (f->actor) {
		html_raw(b, "?actor=");
		html_url_arg(b, f->actor);
		sep = "&amp;";
	}
	if (f->action) {
		html_raw(b, sep);
		html_raw(b, "action=");
		html_url_arg(b, f->action);
		sep = "&amp;";
	}
	if (before)
		html_rawf(b, "%sbefore=%lld", sep, (long long)before);
}

static void filter_form(struct buf *b, const struct store_audit_filter *f)
{
	html_raw(
		b,
		"<form class=\"card audit-filters\" method=\"get\" "
		"action=\"/admin/audit\"><div class=\"field\"><label for=\"audit-actor\">Who"
		"</label><input type=\"text\" id=\"audit-actor\" "
		"name=\"actor\" placeholder=\"a user name\" value=\"");
	html_attr(b, f->actor ? f->actor : "");
	html_raw(b, "\"></div><div class=\"field\"><label for=\"audit-action\">"
		    "What</label><input type=\"text\" id=\"audit-action\" "
		    "name=\"action\" placeholder=\"user. or login\" "
		    "list=\"audit-actions\" value=\"");
	html_attr(b, f->action ? f->action : "");
	html_raw(b, "\"><datalist id=\"audit-actions\">"
		    "<option value=\"login\"><option value=\"login.failed\">"
		    "<option value=\"logout\"><option value=\"user.\">"
		    "<option value=\"user.role\"><option value=\"token.\">"
		    "<option value=\"review.restore\"></datalist></div>"
		    "<p class=\"actions\"><button type=\"submit\">"
		    "Filter</button> <a class=\"button ghost\" "
		    "href=\"/admin/audit\">Clear</a></p></form>\n");
}

static void audit_table(struct buf *b, const struct store_audit *v, size_t n)
{
	html_raw(b, "<table class=\"reviews audit\"><thead><tr><th>When</th>"
		    "<th>Who</th><th>What</th><th>Detail</th><th>From</th>"
		    "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<tr><td class=\"when\">");
		html_time(b, v[i].at);
		html_raw(b, "</td><td>");
		html_txt(b, v[i].actor);
		html_raw(b, "</td><td><code>");
		html_txt(b, v[i].action);
		html_raw(b, "</code></td><td class=\"detail\">");
		html_txt(b, v[i].detail);
		html_raw(b, "</td><td>");
		html_txt(b, v[i].address);
		html_raw(b, "</td></tr>\n");
	}
	if (!n)
		html_raw(b, "<tr><td colspan=\"5\" class=\"muted\">Nothing "
			    "recorded here.</td></tr>\n");
	html_raw(b, "</tbody></table>\n");
}

void web_admin_audit_page(struct request *req, struct response *res)
{
	struct store_audit_filter f = {0};
	struct buf *b = &res->body;
	const char *bv = req_query(req, "before");
	struct store_audit *v;
	size_t n;
	struct err e;
	char *end;

	err_clear(&e);
	if (bv && *bv) {
		errno = 0;
		f.before = strtoll(bv, &end, 10);
		if (*end || errno || f.before <= 0) {
			web_error_page(req, res, 400,
				       "before must be the id of an audit "
				       "record (a positive whole number).");
			res->status = 400;
			return;
		}
	}
	f.actor = text_arg(req, "actor");
	f.action = text_arg(req, "action");
	f.limit = AUDIT_PAGE + 1; /* one more tells that there is more */
	if (store_audit_query(req->app->store, req->arena, &f, &v, &n, &e) !=
	    E_OK) {
		page_fail(req, res, &e);
		return;
	}
	page_begin(res, "Audit trail", NAV_NONE);
	html_raw(b, "<div class=\"page-head\"><div><p class=\"crumbs\">"
		    "<a href=\"/admin/users\">Admin</a></p><h1>Audit trail</h1>"
		    "</div><p class=\"actions\"><a class=\"button\" "
		    "href=\"/admin/users\">Users</a></p></div>\n"
		    "<p class=\"lead\">Sign-ins, failed sign-ins, changes to "
		    "users and their permissions, API tokens and restored "
		    "reviews, newest first.</p>\n");
	filter_form(b, &f);
	audit_table(b, v, n > AUDIT_PAGE ? AUDIT_PAGE : n);
	html_raw(b, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (f.before) {
		html_raw(b, "<a rel=\"first\" href=\"");
		page_link(b, &f, 0);
		html_raw(b, "\">← Newest</a>");
	}
	if (n > AUDIT_PAGE) {
		html_raw(b, "<a rel=\"next\" href=\"");
		page_link(b, &f, v[AUDIT_PAGE - 1].id);
		html_raw(b, "\">Older →</a>");
	}
	html_raw(b, "</nav>\n");
	page_end(res);
	res_header(res, "Cache-Control", "no-store");
}
