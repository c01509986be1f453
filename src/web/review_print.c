/* review_print.c: one review on its own: the print view
 * (GET /reviews/{id}/print, styled by /static/print.css), the standalone
 * HTML file (?standalone=1: the same page with the stylesheet inside it
 * and no request to any server when opened), and the review as markdown
 * with YAML front matter (GET /reviews/{id}/markdown, the format of
 * `debrief export --format md`). What the reader may not see is 404, as
 * everywhere. */
#include <stdio.h>
#include <string.h>

#include "http/access.h"
#include "importers/md_format.h"
#include "model/meeting.h"
#include "util/timeutil.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/review_kinds.h"
#include "web/static_assets.h"
#include "web/web.h"

static void fact(struct buf *b, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	html_raw(b, "<tr><th>");
	html_txt(b, label);
	html_raw(b, "</th><td>");
	html_txt(b, value);
	html_raw(b, "</td></tr>\n");
}

static void cell(struct buf *b, const char *s)
{
	html_raw(b, "<td>");
	html_txt(b, s ? s : "");
	html_raw(b, "</td>");
}

/* grid writes the children l as a table of the given fields. */
static void grid(struct buf *b, struct arena *a, const char *title,
		 const struct record_list *l, const int *fields, size_t n)
{
	const struct record_def *def;

	if (!l->n)
		return;
	def = l->items[0]->def;
	html_raw(b, "<section><h2>");
	html_txt(b, title);
	html_raw(b, "</h2>\n<table class=\"grid\"><tr>");
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<th>");
		html_txt(b, def->fields[fields[i]].label);
		html_raw(b, "</th>");
	}
	html_raw(b, "</tr>\n");
	for (size_t r = 0; r < l->n; r++) {
		html_raw(b, "<tr>");
		for (size_t i = 0; i < n; i++) {
			const struct record *it = l->items[r];

			/* a time is written for its reader (personal.c) */
			if (def->fields[fields[i]].type == FT_TIME &&
			    record_isset(it, fields[i])) {
				html_raw(b, "<td>");
				html_time(b, record_int(it, fields[i], 0));
				html_raw(b, "</td>");
				continue;
			}
			if (def->fields[fields[i]].type == FT_BOOL) {
				cell(b, record_int(it, fields[i], 0) ? "Yes"
								     : "No");
				continue;
			}
			cell(b, record_value_text(a, it, fields[i]));
		}
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</table></section>\n");
}

/* kind_facts writes the fields of the review's own kind that are not
 * prose: an architecture review's proposers and decision, an operability
 * review's feature, launch date, who pushes it, teams and the
 * architecture review it follows. */
static void kind_facts(struct buf *b, struct arena *a, const struct record *r)
{
	for (int f = REVIEW_PROPOSERS; f < REVIEW_NFIELDS; f++)
		if (review_def.fields[f].type != FT_MARKDOWN &&
		    record_field_applies(r, f) && record_isset(r, f))
			fact(b, review_def.fields[f].label,
			     record_value_text(a, r, f));
}

/* readiness writes an operability review's readiness questions, the
 * infrastructure ones marked, and which of them keep it from "ready". */
static void readiness(struct buf *b, const struct record_list *l)
{
	const struct record *bl[16];
	size_t n;

	if (!l->n)
		return;
	n = review_readiness_blocking(l, bl, 16);
	html_raw(b, "<section><h2>Readiness</h2>\n");
	if (n) {
		html_raw(b, "<p class=\"blocked\"><strong>Not ready to launch:"
			    "</strong> ");
		for (size_t i = 0; i < n && i < 16; i++) {
			html_raw(b, i ? "; " : "");
			html_txt(b, record_str(bl[i], RD_QUESTION));
		}
		html_raw(b, " answered “no”.</p>\n");
	}
	html_raw(b, "<table class=\"grid readiness\"><tr><th>Question</th>"
		    "<th>Infrastructure</th><th>Answer</th><th>Note</th></tr>\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *q = l->items[i];
		const char *ans = record_str(q, RD_ANSWER);
		int blocks = 0;

		for (size_t k = 0; k < n && k < 16; k++)
			blocks |= bl[k] == q;
		html_raw(b, blocks ? "<tr class=\"blocks\">" : "<tr>");
		cell(b, record_str(q, RD_QUESTION));
		cell(b, record_int(q, RD_INFRA, 0) ? "Yes" : "No");
		html_raw(b, "<td>");
		html_txt(b, ans ? ans : "not answered");
		if (blocks)
			html_raw(b, " <strong>(blocks ready)</strong>");
		html_raw(b, "</td>");
		cell(b, record_str(q, RD_NOTE));
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</table></section>\n");
}

/* contingencies writes the checklist by risk, each row's flag with its
 * state as the flag source has it now. */
static void contingencies(struct buf *b, const struct record_list *l)
{
	if (!l->n)
		return;
	html_raw(b, "<section><h2>Contingency checklist</h2>\n<table "
		    "class=\"grid contingencies\"><tr><th>Risk</th><th>Issue"
		    "</th><th>Likelihood</th><th>Impact</th><th>Engineering "
		    "mitigation</th><th>Feature flag</th><th>On-site "
		    "messaging</th><th>PR</th><th>Comments</th></tr>\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *c = l->items[i];
		const char *flag = record_str(c, CT_FLAG);

		html_rawf(b, "<tr><td>%d</td>", review_contingency_risk(c));
		cell(b, record_str(c, CT_ISSUE));
		cell(b, record_str(c, CT_LIKELIHOOD));
		cell(b, record_str(c, CT_IMPACT));
		cell(b, record_str(c, CT_MITIGATION));
		html_raw(b, "<td>");
		if (flag) {
			html_raw(b, "<code>");
			html_txt(b, flag);
			html_raw(b, "</code> ");
			web_flag_state(b, flag);
		}
		html_raw(b, "</td>");
		cell(b, record_str(c, CT_MESSAGING));
		html_raw(b, "<td>");
		html_raw(b, record_int(c, CT_PR_NEEDED, 0) ? "Needed" : "No");
		if (record_isset(c, CT_PR)) {
			html_raw(b, ": ");
			html_txt(b, record_str(c, CT_PR));
		}
		html_raw(b, "</td>");
		cell(b, record_str(c, CT_COMMENTS));
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</table></section>\n");
}

/* meeting writes the review's meeting: when, where, who ran it, who was
 * invited and who came. */
static void meeting(struct buf *b, struct arena *a, const struct record_list *l)
{
	const struct record *m = l->n ? l->items[0] : NULL;

	if (!m)
		return;
	html_raw(b, "<section><h2>Meeting</h2>\n<table class=\"facts\">\n"
		    "<tr><th>When</th><td>");
	html_time(b, record_int(m, MEETING_START, 0));
	html_rawf(b, " · %lld min</td></tr>\n", (long long)meeting_minutes(m));
	fact(b, "Status", record_str(m, MEETING_STATUS));
	fact(b, "Where", record_str(m, MEETING_LOCATION));
	fact(b, "Facilitator", record_str(m, MEETING_FACILITATOR));
	fact(b, "Note taker", record_str(m, MEETING_NOTE_TAKER));
	fact(b, "Invited", record_value_text(a, m, MEETING_INVITEES));
	fact(b, "Attended", record_value_text(a, m, MEETING_ATTENDED));
	html_raw(b, "</table></section>\n");
}

static const struct static_asset *asset(const char *name)
{
	for (int i = 0; static_assets[i].name; i++)
		if (!strcmp(static_assets[i].name, name))
			return &static_assets[i];
	return NULL;
}

static void render(struct buf *b, struct arena *a, const struct config *cfg,
		   const struct review_doc *doc, int standalone)
{
	static const int tl[] = {TL_AT, TL_KIND, TL_ACTOR, TL_TEXT, TL_CONTEXT};
	static const int fu[] = {FU_TITLE, FU_OWNER, FU_HORIZON, FU_AIM,
				 FU_STATUS, FU_DUE, FU_TICKET};
	static const int fa[] = {FACTOR_TEXT, FACTOR_KIND, FACTOR_DESCRIPTION};
	static const int pe[] = {PERSON_NAME, PERSON_ROLE};
	static const int li[] = {LINK_URL, LINK_KIND, LINK_COMMENT};
	static const int de[] = {DEP_TECHNOLOGY, DEP_REPLACES, DEP_TRADEOFFS,
				 DEP_UNKNOWNS};
	static const int qu[] = {Q_VOTES, Q_TEXT, Q_ASKED_BY, Q_ANSWERED,
				 Q_ANSWER};
	const struct record *r = doc->review;
	const struct static_asset *css = asset("print.css");
	struct buf tags = BUF_INIT;
	int64_t sev = record_int(r, REVIEW_SEVERITY, 0);

	html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		    "charset=\"utf-8\">\n<meta name=\"viewport\" "
		    "content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	html_txt(b, record_str(r, REVIEW_TITLE));
	html_raw(b, "</title>\n");
	if (standalone && css) {
		/* opened from disk, the file may load nothing at all: not a
		 * markdown image, not a font */
		html_raw(b, "<meta http-equiv=\"Content-Security-Policy\" "
			    "content=\"default-src 'none'; style-src "
			    "'unsafe-inline'; img-src data:\">\n<style>\n");
		buf_append(b, css->data, css->len);
		html_raw(b, "</style>\n");
	} else {
		html_raw(b, "<link rel=\"stylesheet\" href=\"/static/print.css\">\n");
	}
	html_raw(b, "</head><body>\n");
	if (!standalone)
		html_rawf(b,
			  "<p class=\"noprint\"><a href=\"/reviews/%lld\">Back "
			  "to the review</a> · Print this page, or <a "
			  "href=\"/reviews/%lld/print?standalone=1\">download "
			  "it as one HTML file</a> · <a "
			  "href=\"/reviews/%lld/markdown\">download as "
			  "markdown</a></p>\n",
			  (long long)r->id, (long long)r->id, (long long)r->id);
	html_raw(b, "<h1>");
	html_txt(b, record_str(r, REVIEW_TITLE));
	html_raw(b, "</h1>\n<table class=\"facts\">\n");
	fact(b, "Kind", record_str(r, REVIEW_KIND));
	if (sev) {
		char s[200];
		snprintf(s, sizeof s, "%lld%s%s", (long long)sev,
			 cfg && sev <= 5 && cfg->severity[sev][0] ? ": " : "",
			 cfg && sev <= 5 ? cfg->severity[sev] : "");
		fact(b, "Severity", s);
	}
	fact(b, "Status", record_str(r, REVIEW_STATUS));
	for (int f = REVIEW_STARTED_AT; f <= REVIEW_RESOLVED_AT; f++)
		if (record_isset(r, f)) {
			html_raw(b, "<tr><th>");
			html_txt(b, review_def.fields[f].label);
			html_raw(b, "</th><td>");
			html_time(b, record_int(r, f, 0));
			html_raw(b, "</td></tr>\n");
		}
	fact(b, "Owner team", record_str(r, REVIEW_OWNER_TEAM));
	fact(b, "Services", record_value_text(a, r, REVIEW_SERVICES));
	fact(b, "Impact type", record_str(r, REVIEW_IMPACT_TYPE));
	fact(b, "Problem type", record_str(r, REVIEW_PROBLEM_TYPE));
	kind_facts(b, a, r);
	for (size_t i = 0; i < doc->children[CHILD_TAG].n; i++)
		buf_printf(&tags, "%s%s", i ? ", " : "",
			   record_str(doc->children[CHILD_TAG].items[i],
				      TAG_NAME));
	fact(b, "Tags", tags.len ? buf_cstr(&tags) : NULL);
	buf_release(&tags);
	html_raw(b, "</table>\n");
	for (size_t f = 0; f < review_def.nfields; f++) {
		/* the standard questions are asked, answered or not */
		int standard = f >= REVIEW_Q_COSTS && f <= REVIEW_Q_SENSE &&
			       record_field_applies(r, (int)f);

		if (review_def.fields[f].type != FT_MARKDOWN ||
		    (!record_isset(r, (int)f) && !standard))
			continue;
		html_raw(b, "<section><h2>");
		html_txt(b, review_def.fields[f].label);
		html_raw(b, "</h2>\n");
		if (!record_isset(r, (int)f)) {
			html_raw(b, "<p class=\"muted\">Not answered yet.</p>");
		} else if (f == REVIEW_EXTRA) {
			html_raw(b, "<pre>");
			html_txt(b, record_str(r, (int)f));
			html_raw(b, "</pre>");
		} else if (markdown_render(b, record_str(r, (int)f)) < 0) {
			b->oom = 1;
		}
		html_raw(b, "</section>\n");
	}
	grid(b, a, "Departures from what we know",
	     &doc->children[CHILD_DEPARTURE], de, 4);
	grid(b, a, "Questions for the meeting", &doc->children[CHILD_QUESTION],
	     qu, 5);
	readiness(b, &doc->children[CHILD_READINESS]);
	contingencies(b, &doc->children[CHILD_CONTINGENCY]);
	grid(b, a, "Contributing factors", &doc->children[CHILD_FACTOR], fa,
	     3);
	grid(b, a, "Timeline", &doc->children[CHILD_TIMELINE], tl, 5);
	grid(b, a, "Follow-up items", &doc->children[CHILD_FOLLOWUP], fu, 7);
	meeting(b, a, &doc->children[CHILD_MEETING]);
	grid(b, a, "People", &doc->children[CHILD_PERSON], pe, 2);
	grid(b, a, "Links", &doc->children[CHILD_LINK], li, 3);
	html_rawf(b, "<p class=\"muted\">Review %lld, version %lld.</p>\n"
		     "</body></html>\n",
		  (long long)r->id, (long long)r->version);
}

void web_review_print(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0);
	const char *sa = req_query(req, "standalone");
	int standalone = sa && !strcmp(sa, "1");
	struct review_doc doc;
	char disp[96];
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(&res->body);
	render(&res->body, req->arena, req->app->cfg, &doc, standalone);
	if (res->body.oom) {
		err_set(&e, E_NOMEM, NULL, "out of memory");
		page_fail(req, res, &e);
		return;
	}
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	res_header(res, "Cache-Control", "private, no-store");
	if (standalone) {
		snprintf(disp, sizeof disp,
			 "attachment; filename=\"review-%lld.html\"",
			 (long long)id);
		res_header(res, "Content-Disposition", disp);
	}
}

static int put_md(const struct export_review *r, void *arg)
{
	return md_export_review(r, arg);
}

void web_review_markdown(struct request *req, struct response *res)
{
	int64_t id = req_param_id(req, 0), version = 0;
	struct viewer v;
	char disp[200], name[128];
	struct review_doc doc;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	if (access_review_version(req, id, &version, &e) != E_OK ||
	    access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	access_viewer(req, &v);
	buf_reset(&res->body);
	if (store_export_reviews(req->app->store, &v, id, 0, put_md,
				 &res->body, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	md_file_name(doc.review, name, sizeof name);
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	res->status = 200;
	res->content_type = "text/markdown; charset=utf-8";
	res_header(res, "Content-Disposition", disp);
	res_header(res, "Cache-Control", "private, no-store");
}
