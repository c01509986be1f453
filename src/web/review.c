/* review.c: the review page (GET /reviews/{id}), the hot path of the web
 * UI. The page is rendered from the stored review on a cache miss and
 * served from the page cache (cache.c) while the review's version stays
 * the same. Nothing on it depends on who is reading (see page_begin);
 * who may read it at all is checked before the cache (access.h). */
#include <stdio.h>
#include <string.h>

#include "http/access.h"
#include "integrations/flags.h"
#include "util/timeutil.h"
#include "web/coach.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/review_kinds.h"
#include "web/web.h"

static void md(struct buf *b, const char *text)
{
	if (markdown_render(b, text) < 0)
		b->oom = 1;
}

static void section_md(struct buf *b, const struct record *r, int f)
{
	const char *text = record_str(r, f);

	if (!text)
		return;
	html_rawf(b, "<section class=\"prose\" id=\"%s\"><h2>",
		  review_def.fields[f].name);
	html_txt(b, review_def.fields[f].label);
	html_raw(b, "</h2>\n");
	md(b, text);
	html_raw(b, "</section>\n");
}

static void render_head(struct buf *b, const struct config *cfg,
			const struct review_doc *doc)
{
	const struct record *r = doc->review;
	const struct record_list *tags = &doc->children[CHILD_TAG];

	html_raw(b, "<header class=\"review-head\"><p class=\"badges\">");
	page_badge(b, "kind", record_str(r, REVIEW_KIND));
	html_raw(b, " ");
	page_severity(b, cfg, record_int(r, REVIEW_SEVERITY, 0));
	html_raw(b, " ");
	page_badge(b, "status", record_str(r, REVIEW_STATUS));
	if (record_isset(r, REVIEW_RESTRICTED_TO)) {
		html_raw(b, " <span class=\"badge restricted\" title=\"Only "
			    "these groups and admins see this review\">"
			    "Restricted to: ");
		page_list(b, &r->v[REVIEW_RESTRICTED_TO], NULL);
		html_raw(b, "</span>");
	}
	html_raw(b, "</p>\n<h1>");
	html_txt(b, record_str(r, REVIEW_TITLE));
	html_raw(b, "</h1>\n<dl class=\"meta\">");
	if (record_isset(r, REVIEW_OWNER_TEAM)) {
		html_raw(b, "<div><dt>Owner team</dt><dd>");
		html_txt(b, record_str(r, REVIEW_OWNER_TEAM));
		html_raw(b, "</dd></div>");
	}
	if (record_isset(r, REVIEW_SERVICES)) {
		html_raw(b, "<div><dt>Services</dt><dd>");
		page_list(b, &r->v[REVIEW_SERVICES], "chip");
		html_raw(b, "</dd></div>");
	}
	if (tags->n) {
		html_raw(b, "<div><dt>Tags</dt><dd>");
		for (size_t i = 0; i < tags->n; i++) {
			const char *t = record_str(tags->items[i], TAG_NAME);
			html_raw(b, "<a class=\"tag\" href=\"/?tag=");
			html_url_arg(b, t);
			html_raw(b, "\">");
			html_txt(b, t);
			html_raw(b, "</a> ");
		}
		html_raw(b, "</dd></div>");
	}
	html_rawf(b,
		  "</dl>\n<p class=\"actions\">" SLOT_EDITOR_BEGIN
		  "<a class=\"button\" href=\"/reviews/%lld/edit\">Edit</a> "
		  SLOT_EDITOR_END "<a class=\"button ghost\" "
		  "href=\"/reviews/%lld/chat\">Chat</a> "
		  "<a class=\"button ghost\" "
		  "href=\"/reviews/%lld/history\">History</a> "
		  "<a class=\"button ghost\" href=\"/reviews/%lld/print\">"
		  "Print view</a> <a class=\"button ghost\" "
		  "href=\"/reviews/%lld/markdown\" download>Download as "
		  "markdown</a></p></header>\n",
		  (long long)r->id, (long long)r->id, (long long)r->id,
		  (long long)r->id, (long long)r->id);
}

static void render_times(struct buf *b, const struct record *r)
{
	static const int times[] = {REVIEW_STARTED_AT, REVIEW_DETECTED_AT,
				    REVIEW_FIRST_STATUS_AT, REVIEW_MITIGATED_AT,
				    REVIEW_RESOLVED_AT};
	static const char *const spans[] = {
		"Time to detect", "Time to mitigate", "Time to resolve"};
	struct review_durations d;
	int64_t v[3];
	char dur[32];

	review_durations(r, &d);
	v[0] = d.to_detect, v[1] = d.to_mitigate, v[2] = d.to_resolve;
	html_raw(b, "<section class=\"card\" id=\"times\"><h2>Times</h2>"
		    "<table class=\"times\"><tbody>");
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		html_raw(b, "<tr><th scope=\"row\">");
		html_txt(b, review_def.fields[times[i]].label);
		html_raw(b, "</th><td>");
		if (record_isset(r, times[i]))
			html_time(b, record_int(r, times[i], 0));
		else
			html_raw(b, "<span class=\"muted\">—</span>");
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody><tbody class=\"durations\">");
	for (size_t i = 0; i < 3; i++) {
		html_rawf(b, "<tr><th scope=\"row\">%s</th><td>", spans[i]);
		if (v[i] >= 0) {
			time_format_duration(v[i], dur, sizeof dur);
			html_txt(b, dur);
		} else {
			html_raw(b, "<span class=\"muted\">—</span>");
		}
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></section>\n");
}

static void render_factors(struct buf *b, const struct record_list *l)
{
	static const char *const heads[] = {"Triggers", "Latent conditions",
					    "Exacerbating factors",
					    "Mitigating factors"};
	const char *const *kinds = factor_def.fields[FACTOR_KIND].choices;

	if (!l->n)
		return;
	html_raw(b, "<section class=\"prose\" id=\"factors\">"
		    "<h2>Contributing factors</h2>\n");
	for (int k = 0; kinds[k]; k++) {
		int any = 0;
		for (size_t i = 0; i < l->n; i++) {
			const struct record *f = l->items[i];
			const char *kind = record_str(f, FACTOR_KIND);
			if (!kind || strcmp(kind, kinds[k]))
				continue;
			if (!any)
				html_rawf(b,
					  "<h3 class=\"factor-%s\">%s</h3>"
					  "<ul class=\"factors\">",
					  kinds[k],
					  k < 4 ? heads[k] : kinds[k]);
			any = 1;
			html_raw(b, "<li><strong>");
			html_txt(b, record_str(f, FACTOR_TEXT));
			html_raw(b, "</strong>");
			if (record_isset(f, FACTOR_DESCRIPTION)) {
				html_raw(b, "<div class=\"desc\">");
				md(b, record_str(f, FACTOR_DESCRIPTION));
				html_raw(b, "</div>");
			}
			html_raw(b, "</li>");
		}
		if (any)
			html_raw(b, "</ul>\n");
	}
	html_raw(b, "</section>\n");
}

static void render_people(struct buf *b, const struct record_list *l)
{
	if (!l->n)
		return;
	html_raw(b, "<section class=\"card\" id=\"people\"><h2>People</h2>"
		    "<ul class=\"people\">");
	for (size_t i = 0; i < l->n; i++) {
		html_raw(b, "<li><span class=\"name\">");
		html_txt(b, record_str(l->items[i], PERSON_NAME));
		html_raw(b, "</span> <span class=\"role\">");
		page_choice_label(b, record_str(l->items[i], PERSON_ROLE));
		html_raw(b, "</span></li>");
	}
	html_raw(b, "</ul></section>\n");
}

/* link_or_text writes an href for a safe URL and plain text otherwise;
 * without text the link reads as the URL without its scheme. */
static void link_or_text(struct buf *b, const char *url, const char *text)
{
	if (!text) {
		text = url;
		if (!strncmp(text, "https://", 8))
			text += 8;
		else if (!strncmp(text, "http://", 7))
			text += 7;
	}
	if (!html_url_is_safe(url)) {
		html_txt(b, url);
		return;
	}
	html_raw(b, "<a href=\"");
	html_attr(b, url);
	html_raw(b, "\" rel=\"noopener noreferrer\">");
	html_txt(b, text);
	html_raw(b, "</a>");
}

/* ticket writes a ticket reference; a URL reads as its last segment
 * ("OPS-123"), the whole URL in the tooltip. */
static void ticket(struct buf *b, const char *t)
{
	const char *slash = strrchr(t, '/');

	if (!html_url_is_safe(t) || !slash || !slash[1] || t[0] == '/') {
		link_or_text(b, t, NULL);
		return;
	}
	html_raw(b, "<a href=\"");
	html_attr(b, t);
	html_raw(b, "\" title=\"");
	html_attr(b, t);
	html_raw(b, "\" rel=\"noopener noreferrer\">");
	html_txt(b, slash + 1);
	html_raw(b, "</a>");
}

static void render_links(struct buf *b, const struct record_list *l)
{
	if (!l->n)
		return;
	html_raw(b, "<section class=\"card\" id=\"links\"><h2>Links</h2>"
		    "<ul class=\"links\">");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *k = l->items[i];
		html_raw(b, "<li>");
		page_badge(b, "link", record_str(k, LINK_KIND));
		html_raw(b, " ");
		/* the comment says more than the URL; the URL goes below */
		link_or_text(b, record_str(k, LINK_URL),
			     record_str(k, LINK_COMMENT));
		if (record_isset(k, LINK_COMMENT)) {
			html_raw(b, "<span class=\"url\">");
			html_txt(b, record_str(k, LINK_URL));
			html_raw(b, "</span>");
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul></section>\n");
}

static void render_classification(struct buf *b, const struct record *r)
{
	if (!record_isset(r, REVIEW_IMPACT_TYPE) &&
	    !record_isset(r, REVIEW_PROBLEM_TYPE))
		return;
	html_raw(b, "<section class=\"card\" id=\"classification\">"
		    "<h2>Classification</h2><dl class=\"pairs\">");
	for (int f = REVIEW_IMPACT_TYPE; f <= REVIEW_PROBLEM_TYPE; f++) {
		if (!record_isset(r, f))
			continue;
		html_raw(b, "<dt>");
		html_txt(b, review_def.fields[f].label);
		html_raw(b, "</dt><dd>");
		html_txt(b, record_str(r, f));
		html_raw(b, "</dd>");
	}
	html_raw(b, "</dl></section>\n");
}

static void render_timeline(struct buf *b, const struct record *review,
			    const struct record_list *l)
{
	int has_start = record_isset(review, REVIEW_STARTED_AT);
	int64_t start = record_int(review, REVIEW_STARTED_AT, 0);
	char off[32];

	html_raw(b,
		 "<section class=\"wide\" id=\"timeline\"><h2>Timeline</h2>\n");
	if (!l->n) {
		html_rawf(b,
			  "<p class=\"empty\">No timeline entries yet."
			  SLOT_EDITOR_BEGIN " <a "
			  "href=\"/reviews/%lld/edit#sec-timeline\">Add "
			  "them on the edit page</a>, or <a "
			  "href=\"/reviews/%lld/chat\">pick them from the "
			  "chat</a>." SLOT_EDITOR_END "</p></section>\n",
			  (long long)review->id, (long long)review->id);
		return;
	}
	html_raw(b,
		 "<table class=\"timeline\"><thead><tr>"
		 "<th scope=\"col\">Time</th><th scope=\"col\">Kind</th>"
		 "<th scope=\"col\">Actor</th><th scope=\"col\">What happened"
		 "</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *t = l->items[i];
		int64_t at = record_int(t, TL_AT, 0);
		int disputed = record_int(t, TL_DISPUTED, 0) == 1;

		html_rawf(b, "<tr%s><td class=\"when\">",
			  disputed ? " class=\"disputed\"" : "");
		if (record_int(t, TL_APPROXIMATE, 0) == 1)
			html_raw(b,
				 "<span class=\"approx\" title=\"Approximate "
				 "time\">~</span>");
		html_time(b, at);
		if (has_start) {
			time_format_duration(at - start, off, sizeof off);
			html_raw(b, "<span class=\"offset\">");
			html_raw(b, at >= start ? "T+" : "T");
			html_txt(b, off);
			html_raw(b, "</span>");
		}
		html_raw(b, "</td><td data-label=\"Kind\">");
		page_badge(b, "tl", record_str(t, TL_KIND));
		html_raw(b, "</td><td data-label=\"Actor\">");
		html_txt(b, record_str(t, TL_ACTOR));
		html_raw(b, "</td><td class=\"what\">");
		if (disputed)
			html_raw(b, "<span class=\"badge flag-disputed\" "
				    "title=\"Accounts of this entry differ\">"
				    "Disputed</span>");
		md(b, record_str(t, TL_TEXT));
		if (record_isset(t, TL_CONTEXT)) {
			html_raw(b,
				 "<div class=\"context\"><span class=\"label\">"
				 "What we knew then</span>");
			md(b, record_str(t, TL_CONTEXT));
			html_raw(b, "</div>");
		}
		if (record_isset(t, TL_SOURCE) ||
		    record_isset(t, TL_PERSPECTIVE)) {
			html_raw(b, "<p class=\"aside\">");
			if (record_isset(t, TL_PERSPECTIVE)) {
				html_raw(b, "<span>Perspective: ");
				html_txt(b, record_str(t, TL_PERSPECTIVE));
				html_raw(b, "</span> ");
			}
			if (record_isset(t, TL_SOURCE)) {
				html_raw(b, "<span>Source: ");
				link_or_text(b, record_str(t, TL_SOURCE), NULL);
				html_raw(b, "</span>");
			}
			html_raw(b, "</p>");
		}
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table></section>\n");
}

static void render_followups(struct buf *b, const struct record_list *l)
{
	if (!l->n)
		return;
	html_raw(b,
		 "<section class=\"wide\" id=\"followups\"><h2>Follow-ups</h2>"
		 "<table class=\"followups\"><thead><tr>"
		 "<th scope=\"col\">Follow-up</th><th scope=\"col\">Owner</th>"
		 "<th scope=\"col\">Horizon</th><th scope=\"col\">Aim</th>"
		 "<th scope=\"col\">Status</th><th scope=\"col\">Due</th>"
		 "<th scope=\"col\">Ticket</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *f = l->items[i];

		html_raw(b, "<tr><td class=\"what\"><strong>");
		html_txt(b, record_str(f, FU_TITLE));
		html_raw(b, "</strong>");
		if (record_isset(f, FU_DESCRIPTION)) {
			html_raw(b, "<div class=\"desc\">");
			md(b, record_str(f, FU_DESCRIPTION));
			html_raw(b, "</div>");
		}
		html_raw(b, "</td><td data-label=\"Owner\">");
		html_txt(b, record_str(f, FU_OWNER));
		html_raw(b, "</td><td data-label=\"Horizon\">");
		page_choice_label(b, record_str(f, FU_HORIZON));
		html_raw(b, "</td><td data-label=\"Aim\">");
		page_choice_label(b, record_str(f, FU_AIM));
		html_raw(b, "</td><td data-label=\"Status\">");
		page_badge(b, "fu", record_str(f, FU_STATUS));
		html_raw(b, "</td><td data-label=\"Due\" class=\"when\">");
		html_txt(b, record_str(f, FU_DUE));
		html_raw(b, "</td><td data-label=\"Ticket\">");
		if (record_isset(f, FU_TICKET))
			ticket(b, record_str(f, FU_TICKET));
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table></section>\n");
}

/* render_review writes the whole page for doc into res; coach holds the
 * language coach's findings in doc (may be NULL). */
static void render_review(struct response *res, const struct config *cfg,
			  const struct review_doc *doc,
			  const struct coach_report *coach)
{
	struct buf *b = &res->body;
	const struct record *r = doc->review;
	int written = 0;

	page_begin(res, record_str(r, REVIEW_TITLE), NAV_NONE);
	html_raw(b, "<article class=\"review\">\n");
	render_head(b, cfg, doc);
	/* The language coach's summary is for editors. It depends only on
	 * the content, so it is part of the cached page, in an editor block
	 * that web_personalize (personal.c) keeps for editors and drops for
	 * readers on every answer, cached or not. */
	html_raw(b, SLOT_EDITOR_BEGIN);
	coach_summary(b, coach, r->id);
	html_raw(b, SLOT_EDITOR_END);
	if (record_isset(r, REVIEW_TLDR)) {
		html_raw(b,
			 "<section class=\"tldr\" id=\"tldr\"><h2>TL;DR</h2>");
		md(b, record_str(r, REVIEW_TLDR));
		html_raw(b, "</section>\n");
	}
	html_raw(b, "<div class=\"review-body\"><div class=\"review-main\">\n");
	if (review_kind_is_launch(record_str(r, REVIEW_KIND))) {
		/* architecture and operability reviews: from the def table */
		web_launch_review_main(b, doc);
		written = 1;
	}
	for (int f = REVIEW_SUMMARY; f <= REVIEW_DATA_SOURCES; f++) {
		section_md(b, r, f);
		written |= record_isset(r, f);
	}
	if (record_isset(r, REVIEW_EXTRA)) { /* kept from an imported file */
		html_raw(b, "<section class=\"prose\" id=\"extra\"><h2>");
		html_txt(b, review_def.fields[REVIEW_EXTRA].label);
		html_raw(b, "</h2>\n<pre>");
		html_txt(b, record_str(r, REVIEW_EXTRA));
		html_raw(b, "</pre></section>\n");
	}
	if (review_has_child(r, CHILD_FACTOR))
		render_factors(b, &doc->children[CHILD_FACTOR]);
	/* a post-incident review of services: what their launches foresaw */
	if (review_has_child(r, CHILD_TIMELINE) &&
	    record_isset(r, REVIEW_SERVICES))
		html_rawf(b,
			  "<p class=\"foreseen-link\"><a href=\"/reviews/%lld/"
			  "foreseen\">Was this foreseen? The contingency "
			  "checklists of these services' launches</a></p>\n",
			  (long long)r->id);
	if (!written && !doc->children[CHILD_FACTOR].n)
		html_rawf(b,
			  "<div class=\"empty prompt\"><p>Nothing is written "
			  "up yet: no summary, impact, resolution or "
			  "contributing factors.</p>" SLOT_EDITOR_BEGIN
			  "<p><a class=\"button\" "
			  "href=\"/reviews/%lld/edit\">Write it up</a></p>"
			  SLOT_EDITOR_END "</div>\n",
			  (long long)r->id);
	html_raw(b, "</div><aside class=\"review-side\">\n");
	if (review_has_child(r, CHILD_TIMELINE)) /* an incident's times */
		render_times(b, r);
	render_people(b, &doc->children[CHILD_PERSON]);
	render_links(b, &doc->children[CHILD_LINK]);
	render_classification(b, r);
	html_raw(b, "</aside></div>\n");
	if (review_has_child(r, CHILD_TIMELINE))
		render_timeline(b, r, &doc->children[CHILD_TIMELINE]);
	render_followups(b, &doc->children[CHILD_FOLLOWUP]);
	html_rawf(b,
		  "<footer class=\"review-foot\"><p>Version %lld · last "
		  "changed ",
		  (long long)r->version);
	html_time(b, r->updated_at ? r->updated_at : r->created_at);
	html_rawf(b,
		  " · <a href=\"/reviews/%lld/history\">History</a> · "
		  "<a href=\"/api/v1/reviews/%lld\">JSON</a></p></footer>\n"
		  "</article>\n",
		  (long long)r->id, (long long)r->id);
	page_end(res);
}

/* review_coach lints doc's markdown fields as the edit form shows them;
 * NULL (no summary) when out of memory. */
static const struct coach_report *review_coach(struct arena *a,
					       const struct review_doc *doc)
{
	struct coach_report *r = arena_alloc(a, sizeof *r);
	struct form_doc fd;

	if (!r || form_from_doc(a, doc, &fd) < 0 ||
	    coach_lint_form(a, &fd, &doc->children[CHILD_LINT_ALLOW], r) < 0)
		return NULL;
	return r;
}

static void set_etag(struct request *req, struct response *res, int64_t id,
		     int64_t version)
{
	char etag[96];

	/* flags: the states the page shows change without the review */
	snprintf(etag, sizeof etag, "\"r%lld-v%lld-%.8s-%s-f%lld\"",
		 (long long)id, (long long)version, static_tag(),
		 page_personal_tag(req), (long long)flags_generation());
	res_header(res, "ETag", etag);
	res_header(res, "Cache-Control", "no-cache");
}

/* deleted_review_page answers the URL of a deleted review, a 404 like
 * every read of it, but saying so: to an admin with its title, who
 * deleted it and when, its history and a restore button; to anyone else
 * who saw it while it was live only that it was deleted (none of its
 * text: see test_deleted_reads); to the rest the 404 of a missing review.
 * Returns 0 when the review is not a deleted one (the caller answers). */
static int deleted_review_page(struct request *req, struct response *res,
			       int64_t id)
{
	struct review_doc doc;
	struct revision_page pg;
	struct buf *b = &res->body;
	const char *by = NULL;
	struct err e;

	err_clear(&e);
	/* access_review_get keeps restricted reviews from whom they are
	 * restricted, deleted or not */
	if (access_review_get(req, id, 1, &doc, &e) != E_OK ||
	    !doc.review->deleted_at)
		return 0;
	buf_reset(b);
	if (req->role < ROLE_ADMIN) {
		page_begin(res, "Review deleted", NAV_NONE);
		res->status = 404;
		html_raw(b, "<section class=\"error-page\"><p class=\"eyebrow\">"
			    "Error 404</p>\n<h1>This review was deleted</h1>\n"
			    "<p class=\"lead\">It is kept with its history, "
			    "and an admin can restore it.</p>\n<p><a "
			    "class=\"button\" href=\"/\">Back to all reviews"
			    "</a></p></section>\n");
		page_end(res);
		return 1;
	}
	/* the delete is the review's last save: nothing edits it since */
	if (store_revision_page(req->app->store, req->arena, id, 0, 1, &pg,
				&e) == E_OK)
		for (size_t i = 0; i < pg.n && !by; i++)
			if (!strcmp(pg.revs[i].action, "delete") &&
			    !strcmp(pg.revs[i].record_kind, "review"))
				by = pg.revs[i].actor;
	page_begin(res, record_str(doc.review, REVIEW_TITLE), NAV_NONE);
	res->status = 404;
	html_raw(b, "<section class=\"error-page\"><p class=\"eyebrow\">"
		    "Deleted review</p>\n<h1>");
	html_txt(b, record_str(doc.review, REVIEW_TITLE));
	html_raw(b, "</h1>\n<p class=\"lead\">This review was deleted");
	if (by) {
		html_raw(b, " by <strong>");
		html_txt(b, by);
		html_raw(b, "</strong>");
	}
	html_raw(b, " on ");
	html_time(b, doc.review->deleted_at);
	html_rawf(b,
		  ". It is kept with its <a href=\"/reviews/%lld/history\">"
		  "history</a>.</p>\n" SLOT_ADMIN_BEGIN
		  "<form method=\"post\" action=\"/reviews/%lld/restore\">",
		  (long long)id, (long long)id);
	page_csrf_field(b);
	html_raw(b, "<p><button type=\"submit\">Restore it</button> <a "
		    "class=\"button ghost\" href=\"/deleted\">All deleted "
		    "reviews</a></p></form>" SLOT_ADMIN_END "</section>\n");
	page_end(res);
	return 1;
}

void web_review_page(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0), version = 0;
	struct review_doc doc;
	const char *inm;
	char etag[96], key[48];
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		web_not_found(req, res);
		return;
	}
	/* the check that the asker sees the review, before any cache */
	if (access_review_version(req, id, &version, &e) != E_OK) {
		if (e.code != E_NOT_FOUND || !deleted_review_page(req, res, id))
			page_fail(req, res, &e);
		return;
	}
	/* flags: the states the page shows change without the review */
	snprintf(etag, sizeof etag, "\"r%lld-v%lld-%.8s-%s-f%lld\"",
		 (long long)id, (long long)version, static_tag(),
		 page_personal_tag(req), (long long)flags_generation());
	inm = req_header(req, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		set_etag(req, res, id, version);
		res->status = 304;
		buf_reset(&res->body);
		return;
	}
	snprintf(key, sizeof key, "page:review:%lld", (long long)id);
	/* a miss waits for another request's render of this version, or
	 * claims the render: put or abandon on every path below */
	if (page_cache_get_or_wait(app->cache, key, version, &res->body)) {
		set_etag(req, res, id, version);
		res->status = 200;
		res->content_type = "text/html; charset=utf-8";
		return;
	}
	buf_reset(&res->body);
	if (access_review_get(req, id, 0, &doc, &e) != E_OK) {
		page_cache_abandon(app->cache, key, version);
		page_fail(req, res, &e);
		return;
	}
	render_review(res, app->cfg, &doc, review_coach(req->arena, &doc));
	if (res->status != 200) {
		page_cache_abandon(app->cache, key, version);
		return;
	}
	/* Cached under the version that was rendered, which may be newer
	 * than the one read above. */
	set_etag(req, res, id, doc.review->version);
	page_cache_put(app->cache, key, doc.review->version, res->body.data,
		       res->body.len);
	if (doc.review->version < version) /* the put did not end it */
		page_cache_abandon(app->cache, key, version);
}
