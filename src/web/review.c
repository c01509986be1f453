/* review.c: the review page (GET /reviews/{id}), the hot path of the web
 * UI. The page is rendered from the stored review on a cache miss and
 * served from the page cache (cache.c) while the review's version stays
 * the same. Nothing on it depends on who is reading (see page_begin);
 * who may read it at all is checked before the cache (access.h). A miss
 * reads the page back from the store when this program rendered it for
 * that version before (store_render_get), so that markdown and the
 * language coach run once per version, not once per miss. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "model/transcript.h"
#include "store/store.h"
#include "model/learning.h"
#include "util/log.h"
#include "integrations/flags.h"
#include "util/timeutil.h"
#include "web/coach.h"
#include "web/comments.h"
#include "web/glossary_link.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/review_kinds.h"
#include "web/web.h"

/* md renders text between the glossary markers: link_glossary links the
 * first use of each term in them and drops them. */
static void md(struct buf *b, const char *text)
{
	if (!text || !*text)
		return;
	html_raw(b, GLOSS_BEGIN);
	if (markdown_render(b, text) < 0)
		b->oom = 1;
	html_raw(b, GLOSS_END);
}

/* link_glossary rewrites the rendered page in res with the glossary's
 * terms linked (glossary_link.h); 0, or -1 on failure (res as it was). */
static int link_glossary(struct request *req, struct response *res)
{
	struct glossary_term *terms = NULL;
	struct buf out = BUF_INIT;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	if (store_glossary_list(req->app->store, req->arena, &terms, &n, &e) !=
		    E_OK ||
	    glossary_link(&out, res->body.data, res->body.len, terms, n) < 0) {
		buf_release(&out);
		return -1;
	}
	buf_release(&res->body);
	res->body = out;
	return 0;
}

static void section_md(struct buf *b, const struct record *r, int f)
{
	const char *text = record_str(r, f);

	if (!text)
		return;
	html_rawf(b, "<section class=\"prose\" id=\"%s\"><h2>",
		  review_def.fields[f].name);
	html_txt(b, review_def.fields[f].label);
	page_permalink(b, review_def.fields[f].name, review_def.fields[f].label);
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
	html_raw(b, "<section class=\"card\" id=\"times\"><h2>Times");
	page_permalink(b, "times", "Times");
	html_raw(b, "</h2>"
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
		    "<h2>Contributing factors");
	page_permalink(b, "factors", "Contributing factors");
	html_raw(b, "</h2>\n");
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
			/* "seen in N other reviews" (review_learning.c) */
			html_rawf(b, SLOT_SEEN "%lld-->", (long long)f->id);
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
	html_raw(b, "<section class=\"card\" id=\"people\"><h2>People");
	page_permalink(b, "people", "People");
	html_raw(b, "</h2>"
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
	html_raw(b, "<section class=\"card\" id=\"links\"><h2>Links");
	page_permalink(b, "links", "Links");
	html_raw(b, "</h2>"
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
		    "<h2>Classification");
	page_permalink(b, "classification", "Classification");
	html_raw(b, "</h2><dl class=\"pairs\">");
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

/* The chat beside the timeline: the messages of the incident window (as
 * the chat page picks it), at most CHAT_BESIDE_MAX of them. */
#define CHAT_BESIDE_MAX	   200
#define CHAT_BESIDE_MARGIN 3600

struct chat_beside {
	struct record_list msgs;
	int64_t total; /* in the window; more than msgs.n: cut */
};

/* chat_message_of is the message a timeline entry was promoted from
 * (its source is "/reviews/ID/chat#mMSG"), or 0. */
static int64_t chat_message_of(const struct record *review,
			       const struct record *t)
{
	const char *src = record_str(t, TL_SOURCE);
	char prefix[64];
	size_t n;
	char *end;
	long long m;

	if (!src)
		return 0;
	n = (size_t)snprintf(prefix, sizeof prefix, "/reviews/%lld/chat#m",
			     (long long)review->id);
	if (strncmp(src, prefix, n) != 0)
		return 0;
	m = strtoll(src + n, &end, 10);
	return *end || m <= 0 ? 0 : m;
}

/* entry_of is the timeline entry promoted from message m, or NULL. */
static const struct record *entry_of(const struct record *review,
				     const struct record_list *l,
				     const struct record *m)
{
	for (size_t i = 0; i < l->n; i++)
		if (chat_message_of(review, l->items[i]) == m->id)
			return l->items[i];
	return NULL;
}

/* render_chat_beside writes the chat as a list beside the timeline: each
 * message that became an entry is marked and linked to it (and the entry
 * back to it), the rest shown for context. Plain HTML: no script. */
static void render_chat_beside(struct buf *b, const struct record *review,
			       const struct record_list *l,
			       const struct chat_beside *chat)
{
	html_raw(b, "<aside class=\"chat-beside\" id=\"chat-beside\" "
		    "aria-labelledby=\"chat-beside-h\"><h3 "
		    "id=\"chat-beside-h\">Chat</h3>\n<ol>\n");
	for (size_t i = 0; i < chat->msgs.n; i++) {
		const struct record *m = chat->msgs.items[i];
		const struct record *t = entry_of(review, l, m);
		const char *kind = record_str(m, TR_KIND);

		html_rawf(b, "<li id=\"cm%lld\"%s><span class=\"when\">",
			  (long long)m->id,
			  t ? " class=\"promoted\""
			  : kind && !strcmp(kind, "other") ? " class=\"other\""
							   : "");
		html_time(b, record_int(m, TR_AT, 0));
		html_raw(b, "</span> <span class=\"who\">");
		html_txt(b, record_str(m, TR_AUTHOR));
		html_raw(b, "</span> <span class=\"where\">");
		html_txt(b, record_str(m, TR_CHANNEL));
		html_raw(b, "</span><div class=\"what\">");
		html_txt(b, record_str(m, TR_TEXT) ? record_str(m, TR_TEXT)
						   : "");
		html_raw(b, "</div>");
		if (t)
			html_rawf(b,
				  "<a class=\"to-entry\" href=\"#tl-%lld\">In "
				  "the timeline</a>",
				  (long long)t->id);
		html_raw(b, "</li>\n");
	}
	html_raw(b, "</ol>\n");
	if (chat->total > (int64_t)chat->msgs.n)
		html_rawf(b,
			  "<p class=\"more\">The first %zu of %lld messages. "
			  "<a href=\"/reviews/%lld/chat\">The whole chat"
			  "</a></p>\n",
			  chat->msgs.n, (long long)chat->total,
			  (long long)review->id);
	else
		html_rawf(b,
			  "<p class=\"more\"><a "
			  "href=\"/reviews/%lld/chat\">Open the chat</a></p>\n",
			  (long long)review->id);
	/* another window: on the chat page (this one is cached as is) */
	html_rawf(b,
		  "<form class=\"chat-window\" method=\"get\" "
		  "action=\"/reviews/%lld/chat\"><label>From <input "
		  "name=\"since\" placeholder=\"YYYY-MM-DD or time\" "
		  "size=\"16\"></label> <label>To <input name=\"until\" "
		  "placeholder=\"YYYY-MM-DD or time\" size=\"16\"></label> "
		  "<button type=\"submit\">Show</button></form>\n",
		  (long long)review->id);
	html_raw(b, "</aside>");
}

static void render_timeline(struct buf *b, struct arena *a,
			    const struct review_doc *doc,
			    const struct chat_beside *chat)
{
	const struct record *review = doc->review;
	const struct record_list *l = &doc->children[CHILD_TIMELINE];
	int has_start = record_isset(review, REVIEW_STARTED_AT);
	int64_t start = record_int(review, REVIEW_STARTED_AT, 0);
	int beside = chat && chat->msgs.n;
	char off[32];

	html_raw(b, "<section class=\"wide\" id=\"timeline\"><h2>Timeline");
	page_permalink(b, "timeline", "Timeline");
	html_raw(b, "</h2>\n");
	if (beside)
		html_raw(b, "<div class=\"with-chat\"><div "
			    "class=\"timeline-main\">\n");
	if (!l->n) {
		html_rawf(b,
			  "<p class=\"empty\">No timeline entries yet."
			  SLOT_EDITOR_BEGIN " <a "
			  "href=\"/reviews/%lld/edit#sec-timeline\">Add "
			  "them on the edit page</a>, or <a "
			  "href=\"/reviews/%lld/chat\">pick them from the "
			  "chat</a>." SLOT_EDITOR_END "</p>",
			  (long long)review->id, (long long)review->id);
		if (beside) {
			html_raw(b, "</div>");
			render_chat_beside(b, review, l, chat);
			html_raw(b, "</div>");
		}
		html_raw(b, "</section>\n");
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

		char anchor[32];

		snprintf(anchor, sizeof anchor, "tl-%lld", (long long)t->id);
		html_rawf(b, "<tr id=\"%s\"%s><td class=\"when\">", anchor,
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
			if (beside && chat_message_of(review, t))
				html_rawf(b,
					  " <a class=\"to-chat\" "
					  "href=\"#cm%lld\">Beside, in the "
					  "chat</a>",
					  (long long)chat_message_of(review, t));
			html_raw(b, "</p>");
		}
		/* one entry fixed on its own (timeline_entry.c; in place
		 * with static/entry.js) */
		html_rawf(b,
			  SLOT_EDITOR_BEGIN "<a class=\"entry-edit\" "
			  "href=\"/reviews/%lld/timeline/%lld/edit\" "
			  "aria-label=\"Edit this entry\">Edit</a>"
			  SLOT_EDITOR_END,
			  (long long)review->id, (long long)t->id);
		html_raw(b, "<p class=\"entry-link\">");
		page_permalink(b, anchor, "entry");
		html_raw(b, " ");
		comments_entry_link(b, review->id, t->id);
		html_raw(b, "</p>");
		comments_render_entry(b, a, doc, t->id);
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table>");
	if (beside) {
		html_raw(b, "</div>");
		render_chat_beside(b, review, l, chat);
		html_raw(b, "</div>");
	}
	html_raw(b, "</section>\n");
}

static void render_followups(struct buf *b, const struct config *cfg,
			     int64_t review_id, const struct record_list *l,
			     const struct record_list *tickets)
{
	if (!l->n)
		return;
	html_raw(b, "<section class=\"wide\" id=\"followups\"><h2>Follow-ups");
	page_permalink(b, "followups", "Follow-ups");
	html_raw(b,
		 "</h2><table class=\"followups\"><thead><tr>"
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
		if (web_ticket_of(tickets, f->id))
			web_ticket_show(b, f, web_ticket_of(tickets, f->id));
		else if (record_isset(f, FU_TICKET))
			ticket(b, record_str(f, FU_TICKET));
		web_ticket_form(b, cfg, review_id, f,
				web_ticket_of(tickets, f->id) != NULL);
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table></section>\n");
}

/* The first inbound links of a review, as the page lists them. */
struct inbound_page {
	const struct inbound_link *v;
	size_t n;
	int64_t total;
};

#define PAGE_LINKS 50

/* render_signals writes the review's reads and inbound links. Reads
 * change on every view, so the cached page does not hold them:
 * learning.js fills them in from GET .../reads (which checks who may
 * see them). The links are listed here; a scan changes the page's cache
 * key (store_learning_stamp). */
static void render_signals(struct buf *b, int64_t id,
			   const struct inbound_page *links)
{
	html_rawf(b,
		  "<section class=\"wide signals\" id=\"signals\" "
		  "data-review=\"%lld\"><h2>Read and linked",
		  (long long)id);
	page_permalink(b, "signals", "Read and linked");
	html_rawf(b,
		  "</h2><p class=\"reads\" data-reads><a "
		  "href=\"/api/v1/reviews/%lld/reads\">Reads</a></p>"
		  "<div class=\"inbound\">",
		  (long long)id);
	if (!links->total) {
		html_raw(b, "<p class=\"muted\">No links from code or commits "
			    "yet: write PM-");
		html_rawf(b, "%lld in a code comment or a commit message.</p>",
			  (long long)id);
	} else {
		html_rawf(b,
			  "<p>Linked %lld time%s from code and commits:</p>"
			  "<ul class=\"inbound-links\">",
			  (long long)links->total,
			  links->total == 1 ? "" : "s");
		for (size_t i = 0; i < links->n; i++) {
			const struct inbound_link *l = &links->v[i];
			char sha[13];

			html_raw(b, "<li><code>");
			if (l->file) {
				html_txt(b, l->file);
				html_rawf(b, ":%lld", (long long)l->line);
			} else {
				snprintf(sha, sizeof sha, "%s",
					 l->commit ? l->commit : "");
				html_raw(b, "commit ");
				html_txt(b, sha);
			}
			html_raw(b, "</code> in ");
			html_txt(b, l->repository);
			if (l->text) {
				html_raw(b, ": <span class=\"muted\">");
				html_txt(b, l->text);
				html_raw(b, "</span>");
			}
			html_raw(b, "</li>");
		}
		html_raw(b, "</ul>");
		if (links->total > (int64_t)links->n)
			html_rawf(b,
				  "<p><a href=\"/api/v1/reviews/%lld/"
				  "inbound-links?limit=1000\">All %lld</a></p>",
				  (long long)id, (long long)links->total);
	}
	html_raw(b, "</div></section>\n");
	page_learning_script(b);
}

/* render_review writes the whole page for doc into res; coach holds the
 * language coach's findings in doc (may be NULL). */
static void render_review(struct response *res, struct arena *a,
			  const struct config *cfg,
			  const struct chat_beside *chat,
			  const struct review_doc *doc,
			  const struct record_list *tickets,
			  const struct coach_report *coach,
			  const struct inbound_page *links)
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
	coach_summary(b, coach, r->id, cfg->coach_hints);
	html_raw(b, SLOT_EDITOR_END);
	if (record_isset(r, REVIEW_TLDR)) {
		html_raw(b,
			 "<section class=\"tldr\" id=\"tldr\"><h2>TL;DR");
		page_permalink(b, "tldr", "TL;DR");
		html_raw(b, "</h2>");
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
	page_meeting_card(b, doc);
	render_people(b, &doc->children[CHILD_PERSON]);
	render_links(b, &doc->children[CHILD_LINK]);
	render_classification(b, r);
	html_raw(b, SLOT_RELATED); /* review_learning.c */
	html_raw(b, "</aside></div>\n");
	if (review_has_child(r, CHILD_TIMELINE))
		render_timeline(b, a, doc, chat);
	render_followups(b, cfg, r->id, &doc->children[CHILD_FOLLOWUP],
			 tickets);
	render_signals(b, r->id, links);
	comments_render_section(b, a, doc);
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
	html_raw(b, SLOT_EDITOR_BEGIN "<script src=\"");
	html_attr(b, static_url("entry.js"));
	html_raw(b, "\" defer></script><script src=\"");
	html_attr(b, static_url("preview.js"));
	html_raw(b, "\" defer></script>" SLOT_EDITOR_END "\n");
	page_end(res);
}

/* review_coach lints doc's markdown fields as the edit form shows them;
 * NULL (no summary) when out of memory. */
static const struct coach_report *review_coach(struct arena *a,
					       const struct review_doc *doc)
{
	struct coach_report *r = arena_alloc(a, sizeof *r);
	struct form_doc fd;

	if (!r || form_from_doc(a, doc, NULL, &fd) < 0 ||
	    coach_lint_form(a, &fd, &doc->children[CHILD_LINT_ALLOW], r) < 0)
		return NULL;
	return r;
}

/* render_tag names what shapes a review page besides the review itself:
 * this program (a hash of its own file, so that a new build never serves
 * an old build's pages) and the severity definitions of cfg, the only
 * settings a page shows. "" when the program cannot be read; then no
 * render is stored. Computed once. */
static const char *render_tag(const struct config *cfg)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char tag[2 * 16 + 1];
	static int done;
	crypto_generichash_state st;
	unsigned char h[16], chunk[65536];
	FILE *f;
	size_t n;

	pthread_mutex_lock(&mu);
	if (done)
		goto out;
	done = 1;
	if (!(f = fopen("/proc/self/exe", "rb")))
		goto out;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		crypto_generichash_update(&st, chunk, n);
	if (!ferror(f)) {
		for (int i = 1; i <= 5; i++)
			crypto_generichash_update(
				&st, (const unsigned char *)cfg->severity[i],
				strlen(cfg->severity[i]) + 1);
		crypto_generichash_final(&st, h, sizeof h);
		sodium_bin2hex(tag, sizeof tag, h, sizeof h);
	}
	fclose(f);
out:
	pthread_mutex_unlock(&mu);
	return tag;
}

const char *web_render_tag(const struct config *cfg)
{
	return render_tag(cfg);
}

/* The ETag names the review's version, the store's generation (the
 * related reviews and factor notes change with other reviews) and the
 * glossary-and-links stamp (store_learning_stamp), and the feature
 * flags' generation: the states the page shows change without the review. */
static void set_etag(struct request *req, struct response *res, int64_t id,
		     int64_t version, int64_t generation, int64_t gstamp)
{
	char etag[160];

	snprintf(etag, sizeof etag, "\"r%lld-v%lld-g%lld-l%lld-%.8s-%s-f%lld\"",
		 (long long)id, (long long)version, (long long)generation,
		 (long long)gstamp,
		 static_tag(), page_personal_tag(req),
		 (long long)flags_generation());
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

/* note_read counts this view of review id as a read when the rule of
 * model/learning.h says so: only people signed in to the web UI (a
 * session or the trusted proxy), not scripts with tokens nor the
 * anonymous local mode. A failure to count is logged, never shown. */
static void note_read(struct request *req, int64_t id)
{
	struct read_view v = {0};
	struct err e;

	if (req->auth_via != AUTH_VIA_COOKIE && req->auth_via != AUTH_VIA_PROXY)
		return;
	v.reader = req->user;
	v.user_agent = req_header(req, "User-Agent");
	v.now = time_now();
	err_clear(&e);
	if (store_read_note(req->app->store, id, &v, NULL, &e) != E_OK)
		log_warn("read of review %lld not counted: %s", (long long)id,
			 e.message);
}

/* chat_read reads the chat shown beside the timeline: the window of the
 * chat page (an hour either side of the incident; everything for a
 * review without times). Nothing on an error: the page goes on. The
 * review was checked to be seen; an import bumps its version, so the
 * cached page stays true. */
static void chat_read(struct request *req, const struct record *r,
		      struct chat_beside *chat)
{
	struct transcript_filter f = {0};
	int64_t end = record_isset(r, REVIEW_RESOLVED_AT)
			      ? record_int(r, REVIEW_RESOLVED_AT, 0)
			      : record_int(r, REVIEW_MITIGATED_AT, 0);
	struct err e;

	memset(chat, 0, sizeof *chat);
	if (record_isset(r, REVIEW_STARTED_AT))
		f.since = record_int(r, REVIEW_STARTED_AT, 0) -
			  CHAT_BESIDE_MARGIN;
	if (end)
		f.until = end + CHAT_BESIDE_MARGIN;
	f.limit = CHAT_BESIDE_MAX;
	err_clear(&e);
	if (store_transcript_list(req->app->store, req->arena, r->id, &f,
				  &chat->msgs, &chat->total, &e) != E_OK)
		memset(chat, 0, sizeof *chat);
}

static void review_page(struct request *req, struct response *res)
{
	struct app *app = req->app;
	int64_t id = req_param_id(req, 0), version = 0, generation = 0;
	int64_t gstamp = 0;
	struct review_doc doc;
	struct chat_beside chat;
	struct inbound_page links = {0};
	struct inbound_link *lv = NULL;
	const char *inm, *tag;
	char etag[160], key[64], rtag[64];
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
	note_read(req, id);
	if (store_generation(app->store, &generation, NULL) != E_OK)
		generation = 0;
	/* the glossary's terms are linked in the page and the inbound links
	 * listed: a change to either is a new page (its key, its stored
	 * render's tag and its ETag) */
	if (store_learning_stamp(app->store, &gstamp, &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	snprintf(etag, sizeof etag, "\"r%lld-v%lld-g%lld-l%lld-%.8s-%s-f%lld\"",
		 (long long)id, (long long)version, (long long)generation,
		 (long long)gstamp, static_tag(), page_personal_tag(req),
		 (long long)flags_generation());
	inm = req_header(req, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		set_etag(req, res, id, version, generation, gstamp);
		res->status = 304;
		buf_reset(&res->body);
		return;
	}
	snprintf(key, sizeof key, "page:review:%lld:g%lld", (long long)id,
		 (long long)gstamp);
	/* a miss waits for another request's render of this version, or
	 * claims the render: put or abandon on every path below */
	if (page_cache_get_or_wait(app->cache, key, version, &res->body)) {
		set_etag(req, res, id, version, generation, gstamp);
		res->status = 200;
		res->content_type = "text/html; charset=utf-8";
		web_review_learning_fill(req, res, id, version, generation);
		return;
	}
	buf_reset(&res->body);
	tag = render_tag(app->cfg);
	rtag[0] = '\0';
	if (*tag)
		snprintf(rtag, sizeof rtag, "%s-l%lld", tag, (long long)gstamp);
	if (*rtag && store_render_get(app->store, RENDER_PAGE, id, version, rtag,
				      &res->body, NULL) == E_OK) {
		set_etag(req, res, id, version, generation, gstamp);
		res->status = 200;
		res->content_type = "text/html; charset=utf-8";
		page_cache_put(app->cache, key, version, res->body.data,
			       res->body.len);
		web_review_learning_fill(req, res, id, version, generation);
		return;
	}
	buf_reset(&res->body);
	if (access_review_get(req, id, 0, &doc, &e) != E_OK ||
	    store_links_list(app->store, req->arena, id, PAGE_LINKS, 0, &lv,
			     &links.n, &links.total, &e) != E_OK) {
		page_cache_abandon(app->cache, key, version);
		page_fail(req, res, &e);
		return;
	}
	links.v = lv;
	/* the tickets as last read come with the review (store_review_get) */
	chat_read(req, doc.review, &chat);
	render_review(res, req->arena, app->cfg, &chat, &doc, &doc.tickets,
		      review_coach(req->arena, &doc), &links);
	if (res->status != 200 || link_glossary(req, res) < 0) {
		page_cache_abandon(app->cache, key, version);
		if (res->status == 200) { /* the glossary could not be read */
			err_set(&e, E_STORE, NULL, "the glossary failed");
			buf_reset(&res->body);
			page_fail(req, res, &e);
		}
		return;
	}
	/* Cached under the version that was rendered, which may be newer
	 * than the one read above. */
	set_etag(req, res, id, doc.review->version, generation, gstamp);
	page_cache_put(app->cache, key, doc.review->version, res->body.data,
		       res->body.len);
	if (*rtag)
		store_render_put(app->store, RENDER_PAGE, id,
				 doc.review->version, rtag,
				 res->body.data, res->body.len);
	if (doc.review->version < version) /* the put did not end it */
		page_cache_abandon(app->cache, key, version);
	web_review_learning_fill(req, res, id, doc.review->version,
				 generation);
}

/* The page's reads share one read transaction (store_read_begin): from
 * its stored render they are six or seven. */
void web_review_page(struct request *req, struct response *res)
{
	store_read_begin(req->app->store);
	review_page(req, res);
	store_read_end(req->app->store);
}
