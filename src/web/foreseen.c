/* foreseen.c: "was this foreseen?" (GET /reviews/{id}/foreseen). For a
 * post-incident review, the operability reviews of its services with
 * their contingency checklists, so the people reviewing what happened see
 * what was expected before the launch, follow the link back to it, and
 * add the row that was missing (POST /reviews/{id}/foreseen, which
 * writes a contingency row of the launch chosen). Not cached: the
 * launches change without the incident changing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/review_kinds.h"
#include "web/web.h"

static void rows_table(struct buf *b, const struct record_list *rows)
{
	if (!rows->n) {
		html_raw(b, "<p class=\"empty\">No contingency rows.</p>");
		return;
	}
	html_raw(b, "<table class=\"kind-list\"><thead><tr><th>Risk</th>"
		    "<th>Issue</th><th>Likelihood</th><th>Impact</th><th>"
		    "Engineering mitigation</th><th>Feature flag</th></tr>"
		    "</thead><tbody>\n");
	for (size_t i = 0; i < rows->n; i++) {
		const struct record *c = rows->items[i];
		const char *flag = record_str(c, CT_FLAG);

		html_rawf(
			b,
			"<tr><td class=\"risk\">%d</td><td class=\"f-issue\">",
			review_contingency_risk(c));
		html_txt(b, record_str(c, CT_ISSUE));
		html_raw(b, "</td><td>");
		page_choice_label(b, record_str(c, CT_LIKELIHOOD));
		html_raw(b, "</td><td>");
		page_choice_label(b, record_str(c, CT_IMPACT));
		html_raw(b, "</td><td>");
		html_txt(b, record_str(c, CT_MITIGATION));
		html_raw(b, "</td><td>");
		if (flag) {
			html_raw(b, "<code>");
			html_txt(b, flag);
			html_raw(b, "</code> ");
			web_flag_state(b, flag);
		}
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
}

static void add_form(struct buf *b, int64_t id, int64_t launch)
{
	static const char *const levels[] = {"low", "medium", "high"};

	html_rawf(b,
		  SLOT_EDITOR_BEGIN "<form method=\"post\" class=\"add-row\" "
				    "action=\"/reviews/%lld/foreseen\">",
		  (long long)id);
	page_csrf_field(b);
	html_rawf(b,
		  "<input type=\"hidden\" name=\"launch\" value=\"%lld\">"
		  "<label>Add what was not foreseen <input name=\"issue\" "
		  "type=\"text\" required maxlength=\"1000\"></label> ",
		  (long long)launch);
	for (int f = 0; f < 2; f++) {
		html_rawf(b, "<label>%s <select name=\"%s\">",
			  f ? "Impact" : "Likelihood",
			  f ? "impact" : "likelihood");
		for (int i = 0; i < 3; i++)
			html_rawf(b, "<option value=\"%s\"%s>%s</option>",
				  levels[i], i == 1 ? " selected" : "",
				  levels[i]);
		html_raw(b, "</select></label> ");
	}
	html_raw(b, "<button type=\"submit\" class=\"button\">Add to the "
		    "checklist</button></form>" SLOT_EDITOR_END);
}

/* what_happened writes the incident's own account beside the rows: its
 * TL;DR, summary and user-visible impact, as written so far. */
static void what_happened(struct buf *b, const struct record *r)
{
	static const int shown[] = {REVIEW_TLDR, REVIEW_SUMMARY,
				    REVIEW_IMPACT};
	int any = 0;

	html_raw(b, "<section class=\"card what-happened\" "
		    "id=\"what-happened\"><h2>What happened</h2>\n");
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		int f = shown[i];

		if (!record_field_applies(r, f) || !record_isset(r, f))
			continue;
		any = 1;
		html_raw(b, "<h3>");
		html_txt(b, review_def.fields[f].label);
		html_raw(b, "</h3>\n");
		if (markdown_render(b, record_str(r, f)) < 0)
			b->oom = 1;
	}
	if (!any)
		html_raw(b, "<p class=\"empty\">Nothing is written up yet.</p>");
	if (review_has_child(r, CHILD_TIMELINE))
		html_rawf(b,
			  "<p><a href=\"/reviews/%lld#timeline\">The "
			  "timeline</a></p>",
			  (long long)r->id);
	html_raw(b, "</section>\n");
}

void web_foreseen_page(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	struct review_doc doc;
	struct record_list ls;
	struct buf *b = &res->body;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &doc, &e) != E_OK ||
	    access_launches_of(req, doc.review, &ls, NULL, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	page_begin(res, "Was this foreseen?", NAV_NONE);
	html_rawf(b,
		  "<article class=\"foreseen\"><p><a href=\"/reviews/%lld\">",
		  (long long)id);
	html_txt(b, record_str(doc.review, REVIEW_TITLE));
	html_raw(b, "</a></p><h1>Was this foreseen?</h1>\n<p class=\"lead\">"
		    "The contingency checklists of the launches of ");
	page_list(b, &doc.review->v[REVIEW_SERVICES], "chip");
	html_raw(b, ", next to what happened.</p>\n");
	what_happened(b, doc.review);
	if (!ls.n)
		html_raw(b, "<p class=\"empty\">No operability review shares a "
			    "service with this review.</p>\n");
	for (size_t i = 0; i < ls.n; i++) {
		const struct record *op = ls.items[i];
		struct record_list rows = {0};

		if (store_child_list(req->app->store, req->arena,
				     CHILD_CONTINGENCY, op->id, &rows,
				     &e) != E_OK) {
			b->oom |= e.code == E_NOMEM;
			continue;
		}
		html_rawf(b,
			  "<section class=\"card launch\" id=\"launch-%lld\">"
			  "<h2><a href=\"/reviews/%lld#contingencies\">",
			  (long long)op->id, (long long)op->id);
		html_txt(b, record_str(op, REVIEW_TITLE));
		html_raw(b, "</a></h2>\n");
		rows_table(b, &rows);
		add_form(b, id, op->id);
		html_raw(b, "</section>\n");
	}
	html_raw(b, "</article>\n");
	page_end(res);
}

void web_foreseen_add(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), version, launch;
	const char *ls = req_form_get(req, "launch");
	static const struct {
		const char *name;
		int field;
	} in[] = {{"issue", CT_ISSUE},
		  {"likelihood", CT_LIKELIHOOD},
		  {"impact", CT_IMPACT}};
	struct record *row;
	char loc[96];
	struct err e;

	err_clear(&e);
	launch = ls ? strtoll(ls, NULL, 10) : 0;
	if (id <= 0 || launch <= 0) {
		web_not_found(req, res);
		return;
	}
	/* the asker sees both reviews */
	if (access_review_version(req, id, &version, &e) != E_OK ||
	    access_review_version(req, launch, &version, &e) != E_OK)
		goto fail;
	if (!(row = record_new(req->arena, &contingency_def))) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		const char *v = req_form_get(req, in[i].name);
		if (record_parse_value(req->arena, row, in[i].field, v ? v : "",
				       &e) != E_OK)
			goto fail;
	}
	record_fill_defaults(req->arena, row);
	/* an operability review only: the store answers 404 otherwise */
	if (record_validate(row, &e) != E_OK ||
	    store_child_create(req->app->store, req->arena, page_actor(req),
			       CHILD_CONTINGENCY, launch, row, NULL, NULL,
			       &e) != E_OK)
		goto fail;
	snprintf(loc, sizeof loc, "/reviews/%lld/foreseen#launch-%lld",
		 (long long)id, (long long)launch);
	buf_reset(&res->body);
	res_redirect(res, loc);
	return;
fail:
	page_form_fail(req, res, "The row", &e);
}
