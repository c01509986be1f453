/* search.c: the search page (GET /search): the ranked search of every
 * review's text (store_search), one result per review with its marked
 * title, its best snippet and the places it matched, filters and pages.
 * The arguments are read by the API's reader (api_search_query), so the
 * page and GET /api/v1/search take the same ones under the same rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/review_filter_internal.h"
#include "http/access.h"
#include "web/page.h"
#include "web/web.h"

/* The arguments the page keeps in its links and form. */
static const char *const search_args[] = {
	"q", "kind", "severity", "team", "service", "tag", "from", "to",
	"open_followups",
};
#define NARGS (sizeof search_args / sizeof search_args[0])

static const char *arg(struct request *req, const char *name)
{
	const char *v = req_query(req, name);

	return v && *v ? v : NULL;
}

/* page_link writes /search?... with the page's arguments and offset. */
static void page_link(struct buf *b, struct request *req, int offset)
{
	char sep = '?';

	html_raw(b, "/search");
	for (size_t i = 0; i < NARGS; i++) {
		const char *v = arg(req, search_args[i]);

		if (!v)
			continue;
		html_rawf(b, "%c%s=", sep, search_args[i]);
		html_url_arg(b, v);
		sep = '&';
	}
	if (offset)
		html_rawf(b, "%coffset=%d", sep, offset);
}

static void text_field(struct buf *b, const char *name, const char *label,
		       const char *type, const char *value)
{
	html_rawf(b,
		  "<div class=\"field\"><label for=\"s-%s\">%s</label>"
		  "<input id=\"s-%s\" type=\"%s\" name=\"%s\" value=\"",
		  name, label, name, type, name);
	html_attr(b, value);
	html_raw(b, "\"></div>");
}

static void choice_field(struct buf *b, const char *name, const char *label,
			 const struct field_def *fd, const char *value)
{
	html_rawf(b,
		  "<div class=\"field\"><label for=\"s-%s\">%s</label>"
		  "<select id=\"s-%s\" name=\"%s\">",
		  name, label, name, name);
	html_option(b, "", "Any", !value);
	for (int i = 0; fd && fd->choices[i]; i++) {
		html_raw(b, "<option value=\"");
		html_attr(b, fd->choices[i]);
		html_raw(b, value && !strcmp(value, fd->choices[i])
				    ? "\" selected>"
				    : "\">");
		page_choice_label(b, fd->choices[i]);
		html_raw(b, "</option>");
	}
	for (char s[2] = "1"; !fd && s[0] <= '5'; s[0]++) {
		char l[8];

		snprintf(l, sizeof l, "SEV %c", s[0]);
		html_option(b, s, l, value && !strcmp(value, s));
	}
	html_raw(b, "</select></div>");
}

static void render_form(struct buf *b, struct request *req, const char *error)
{
	html_raw(b, "<form class=\"filters search-form\" method=\"get\" "
		    "action=\"/search\" role=\"search\"><div class=\"filter-q"
		    "\"><div class=\"field");
	html_raw(b, error ? " has-error" : "");
	html_raw(b, "\"><label for=\"s-q\">Search every review</label>"
		    "<input id=\"s-q\" type=\"search\" name=\"q\" value=\"");
	html_attr(b, arg(req, "q"));
	html_raw(b, "\" aria-describedby=\"s-help\">");
	if (error) {
		html_raw(b, "<p class=\"field-error\" role=\"alert\">");
		html_txt(b, error);
		html_raw(b, "</p>");
	}
	html_raw(b, "<p id=\"s-help\" class=\"help\">Every word must appear; "
		    "&quot;a phrase&quot; in quotes, <code>deploy*</code> for "
		    "words that start so, <code>dns OR cache</code> for "
		    "either, <code>-word</code> to leave out. Titles, "
		    "sections, timelines, follow-ups, contributing factors "
		    "and chat are searched.</p></div></div><div "
		    "class=\"filter-grid\">");
	choice_field(b, "kind", "Kind", &review_def.fields[REVIEW_KIND],
		     arg(req, "kind"));
	choice_field(b, "severity", "Severity", NULL, arg(req, "severity"));
	text_field(b, "team", "Team", "text", arg(req, "team"));
	text_field(b, "service", "Service", "text", arg(req, "service"));
	text_field(b, "tag", "Tag", "text", arg(req, "tag"));
	text_field(b, "from", "Started from", "date", arg(req, "from"));
	text_field(b, "to", "to", "date", arg(req, "to"));
	html_raw(b, "<div class=\"field check\"><label><input type=\"checkbox\" "
		    "name=\"open_followups\" value=\"1\"");
	html_raw(b, arg(req, "open_followups") ? " checked" : "");
	html_raw(b, "> With open follow-ups</label></div></div>"
		    "<div class=\"filter-actions\"><button type=\"submit\">"
		    "Search</button> <a href=\"/search\">Clear</a></div>"
		    "</form>\n");
}

static void render_hit(struct buf *b, const struct config *cfg,
		       const struct search_hit *h)
{
	const struct record *r = h->review;

	/* direct appends: a page has 20 hits (issue 21) */
	html_raw(b, "<li class=\"search-hit\"><h2><a href=\"/reviews/");
	buf_put_int(b, (long long)r->id);
	html_raw(b, "\">");
	html_marked(b, h->title);
	html_raw(b, "</a></h2><p class=\"hit-meta\">");
	page_badge(b, "kind", record_str(r, REVIEW_KIND));
	html_raw(b, " ");
	page_severity(b, cfg, record_int(r, REVIEW_SEVERITY, 0));
	if (record_isset(r, REVIEW_STARTED_AT)) {
		html_raw(b, " <span class=\"when\">started ");
		html_time(b, record_int(r, REVIEW_STARTED_AT, 0));
		html_raw(b, "</span>");
	}
	html_raw(b, "</p>");
	if (h->nmatches) {
		html_raw(b, "<ul class=\"hit-matches\">");
		for (size_t i = 0; i < h->nmatches; i++) {
			html_raw(b, "<li><span class=\"hit-where\">");
			html_txt(b, h->matches[i].where);
			html_raw(b, "</span> ");
			html_marked(b, h->matches[i].text);
			html_raw(b, "</li>");
		}
		html_raw(b, "</ul>");
	} else if (h->snippet && *h->snippet) {
		html_raw(b, "<p class=\"hit-snippet\">");
		html_marked(b, h->snippet);
		html_raw(b, "</p>");
	}
	html_raw(b, "</li>\n");
}

void web_search_page(struct request *req, struct response *res)
{
	struct buf *b = &res->body;
	struct search_query sq;
	struct search_hit *hits = NULL;
	struct viewer viewer;
	size_t n = 0;
	int64_t total = 0;
	int capped = 0;
	const char *error = NULL;
	struct err e;

	err_clear(&e);
	if (api_search_query(req, &sq, &e) != E_OK) {
		error = e.message;
	} else if (sq.q) {
		access_viewer(req, &viewer);
		sq.viewer = &viewer;
		sq.count_cap = (int)req->app->cfg->search_count_cap;
		sq.rank_window = (int)req->app->cfg->search_rank_window;
		sq.capped = &capped;
		if (store_search(req->app->store, req->arena, &sq, &hits, &n,
				 &total, &e) != E_OK) {
			page_fail(req, res, &e);
			return;
		}
	}
	buf_reset(b);
	page_begin(res, "Search", NAV_SEARCH);
	html_raw(b, "<div class=\"page-head\"><h1>Search</h1></div>\n");
	render_form(b, req, error);
	if (error) {
		res->status = 400;
	} else if (sq.q) {
		html_rawf(b,
			  "<p class=\"search-total\" role=\"status\">%s%lld "
			  "review%s match%s, the best first.</p>\n",
			  capped ? "At least " : "", (long long)total,
			  total == 1 ? "" : "s", total == 1 ? "es" : "");
		if (n) {
			html_rawf(b,
				  "<ol class=\"search-results\" start=\"%d\">",
				  sq.offset + 1);
			for (size_t i = 0; i < n; i++)
				render_hit(b, req->app->cfg, &hits[i]);
			html_raw(b, "</ol>\n");
		} else if (!total) {
			html_raw(b, "<p class=\"empty\">Nothing matches. Fewer "
				    "words, a prefix (<code>deploy*</code>) or "
				    "<code>OR</code> find more.</p>\n");
		}
		if (sq.offset || sq.offset + (int64_t)n < total) {
			html_raw(b, "<nav class=\"pager\" aria-label=\"Pages\">");
			if (sq.offset) {
				html_raw(b, "<a rel=\"prev\" href=\"");
				page_link(b, req,
					  sq.offset > sq.limit
						  ? sq.offset - sq.limit
						  : 0);
				html_raw(b, "\">Better matches</a> ");
			}
			if (sq.offset + (int64_t)n < total) {
				html_raw(b, "<a rel=\"next\" href=\"");
				page_link(b, req, sq.offset + sq.limit);
				html_raw(b, "\">More matches</a>");
			}
			html_raw(b, "</nav>\n");
		}
	}
	page_end(res);
}
