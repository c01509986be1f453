/* review_kinds.c: the review page's body for architecture and operability
 * reviews. Nothing here names a field of theirs: facts, prose and lists
 * come from review_def and child_defs, filtered by what the review's
 * kind has; only the readiness gate and the risk of a contingency row
 * are asked of the model by name. */
#include "web/review_kinds.h"

#include <string.h>

#include "integrations/flags.h"
#include "util/timeutil.h"
#include "web/html.h"
#include "web/markdown.h"
#include "web/page.h"

void web_flag_state(struct buf *b, const char *name)
{
	struct flag_state fs;
	char ago[32];

	flags_get(name, &fs);
	if (!flags_configured()) {
		html_raw(b, "<span class=\"flag-state flag-unknown\">no flag "
			    "source is configured</span>");
		return;
	}
	if (!fs.known) {
		html_raw(b, "<span class=\"flag-state flag-unknown\" "
			    "data-flag=\"");
		html_attr(b, name);
		html_raw(b, "\">unknown to the flag source</span>");
	} else {
		html_raw(b, "<span class=\"flag-state\" data-flag=\"");
		html_attr(b, name);
		html_raw(b, "\"><code class=\"flag-value\">");
		html_txt(b, fs.value);
		html_raw(b, "</code> since ");
		html_time(b, fs.changed_at);
		html_raw(b, "</span>");
	}
	if (fs.error_at) {
		time_format_duration(time_now() - fs.read_at, ago, sizeof ago);
		html_raw(b, " <span class=\"flag-stale\" title=\"");
		html_attr(b, fs.error);
		html_raw(b, "\">the flag source is failing; ");
		if (fs.read_at) {
			html_raw(b, "last read ");
			html_txt(b, ago);
			html_raw(b, " ago</span>");
		} else {
			html_raw(b, "never read</span>");
		}
	}
}

/* flag_cell writes a row's flag name and the slot of its state. */
static void flag_cell(struct buf *b, const char *name)
{
	html_raw(b, "<code>");
	html_txt(b, name);
	html_raw(b, "</code> ");
	if (review_flag_name_valid(name))
		html_rawf(b, SLOT_FLAG "%s-->", name);
}

/* flags_glance lists every flag the launch's rows name, with its state. */
static void flags_glance(struct buf *b, const struct record_list *l)
{
	int n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const char *name = record_str(l->items[i], CT_FLAG);
		int seen = 0;

		if (!name)
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *o = record_str(l->items[j], CT_FLAG);
			seen |= o && !strcmp(o, name);
		}
		if (seen)
			continue;
		if (!n++)
			html_raw(b, "<section class=\"card\" id=\"flags\"><h2>"
				    "Flags of this launch</h2><ul "
				    "class=\"flags\">");
		html_raw(b, "<li>");
		flag_cell(b, name);
		html_raw(b, "</li>");
	}
	if (n)
		html_raw(b, "</ul></section>\n");
}

/* Shown in the review's head or elsewhere on the page already. */
static int in_head(int f)
{
	return f == REVIEW_KIND || f == REVIEW_TITLE || f == REVIEW_STATUS ||
	       f == REVIEW_RESTRICTED_TO || f == REVIEW_SERVICES ||
	       f == REVIEW_OWNER_TEAM || f == REVIEW_TLDR || f == REVIEW_EXTRA;
}

static void md(struct buf *b, const char *text)
{
	if (markdown_render(b, text) < 0)
		b->oom = 1;
}

/* value writes field f of r as a person reads it; NULL r->v: nothing. */
static void value(struct buf *b, const struct record *r, int f)
{
	const struct field_def *fd = &r->def->fields[f];
	const struct value *v = &r->v[f];

	if (v->state != V_SET)
		return;
	switch (fd->type) {
	case FT_LIST: page_list(b, v, "chip"); break;
	case FT_BOOL: html_raw(b, v->i ? "Yes" : "No"); break;
	case FT_INT:
		if (r->def == &review_def && f == REVIEW_ARCHITECTURE_REVIEW)
			html_rawf(b, "<a href=\"/reviews/%lld\">#%lld</a>",
				  (long long)v->i, (long long)v->i);
		else
			html_rawf(b, "%lld", (long long)v->i);
		break;
	case FT_TIME: html_time(b, v->i); break;
	case FT_ENUM: page_choice_label(b, v->s); break;
	case FT_MARKDOWN: md(b, v->s); break;
	default: html_txt(b, v->s);
	}
}

static void facts(struct buf *b, const struct record *r)
{
	int open = 0;

	for (int f = 0; f < REVIEW_NFIELDS; f++) {
		if (in_head(f) || !record_field_applies(r, f) ||
		    review_def.fields[f].type == FT_MARKDOWN ||
		    !record_isset(r, f))
			continue;
		if (!open++)
			html_raw(b, "<section class=\"card\" id=\"facts\">"
				    "<dl class=\"facts\">");
		html_rawf(b, "<div class=\"fact-%s\"><dt>",
			  review_def.fields[f].name);
		html_txt(b, review_def.fields[f].label);
		html_raw(b, "</dt><dd>");
		value(b, r, f);
		html_raw(b, "</dd></div>");
	}
	if (open)
		html_raw(b, "</dl></section>\n");
}

static void prose(struct buf *b, const struct record *r)
{
	int standard = 0;

	for (int f = 0; f < REVIEW_NFIELDS; f++) {
		const struct field_def *fd = &review_def.fields[f];

		if (in_head(f) || fd->type != FT_MARKDOWN ||
		    !record_field_applies(r, f))
			continue;
		/* the standard questions: each asked, answered or not */
		if (f >= REVIEW_Q_COSTS && f <= REVIEW_Q_SENSE) {
			if (!standard++)
				html_raw(b, "<section class=\"prose standard\" "
					    "id=\"standard-questions\"><h2>"
					    "The standard questions</h2>\n");
			html_rawf(b, "<h3 id=\"%s\">", fd->name);
			html_txt(b, fd->label);
			html_raw(b, "</h3>\n");
			if (record_isset(r, f))
				md(b, record_str(r, f));
			else
				html_raw(b, "<p class=\"unanswered\">Not "
					    "answered yet.</p>\n");
			continue;
		}
		if (!record_isset(r, f))
			continue;
		html_rawf(b, "<section class=\"prose\" id=\"%s\"><h2>",
			  fd->name);
		html_txt(b, fd->label);
		html_raw(b, "</h2>\n");
		md(b, record_str(r, f));
		html_raw(b, "</section>\n");
	}
	if (standard)
		html_raw(b, "</section>\n");
}

static const struct {
	enum child_kind kind;
	const char *title;
} lists[] = {
	{CHILD_DEPARTURE, "Departures from what we know"},
	{CHILD_QUESTION, "Questions for the meeting"},
	{CHILD_READINESS, "Readiness"},
	{CHILD_CONTINGENCY, "Contingency checklist"},
};

/* is_blocking tells whether row is among the n blocking ones. */
static int is_blocking(const struct record *row, const struct record **bl,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bl[i] == row)
			return 1;
	return 0;
}

static void readiness_notice(struct buf *b, const struct review_doc *doc,
			     const struct record **bl, size_t n)
{
	if (!n)
		return;
	html_raw(b, "<div class=\"notice notice-blocked\" role=\"status\" "
		    "id=\"readiness-blocked\"><p><strong>Not ready to "
		    "launch:</strong> ");
	html_txt(b, n == 1 ? "this infrastructure question is"
			   : "these infrastructure questions are");
	html_raw(b, " answered “no”, and the review cannot be marked ready "
		    "until they are not:</p><ul>");
	for (size_t i = 0; i < n && i < 16; i++) {
		html_raw(b, "<li>");
		html_txt(b, record_str(bl[i], RD_QUESTION));
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul></div>\n");
	(void)doc;
}

/* shown tells whether field f of child kind k is a column of its table:
 * not what the server keeps for itself (the voters, a question's key),
 * but who asked and the votes; not a row's position (its place shows it). */
static int shown(enum child_kind k, int f)
{
	if (k == CHILD_QUESTION && (f == Q_VOTES || f == Q_ASKED_BY))
		return 1;
	if (k == CHILD_CONTINGENCY && f == CT_POSITION)
		return 0;
	return !(child_defs[k]->fields[f].flags & F_SERVER);
}

/* vote_button: one vote per person (the store says so when it is a
 * second one); for editors only, like every control of the page. */
static void vote_button(struct buf *b, const struct record *q)
{
	html_rawf(b,
		  "<td class=\"vote\">" SLOT_EDITOR_BEGIN
		  "<form method=\"post\" action=\"/reviews/%lld/questions/"
		  "%lld/vote\">",
		  (long long)q->review_id, (long long)q->id);
	page_csrf_field(b);
	html_raw(b, "<button type=\"submit\" class=\"button ghost\">Vote "
		    "up</button></form>" SLOT_EDITOR_END "</td>");
}

static void ask_form(struct buf *b, int64_t review_id)
{
	html_rawf(b,
		  SLOT_EDITOR_BEGIN "<form method=\"post\" class=\"ask\" "
				    "action=\"/reviews/%lld/questions\">",
		  (long long)review_id);
	page_csrf_field(b);
	html_raw(
		b,
		"<label for=\"ask-text\">Ask a question before the "
		"meeting</label> <input id=\"ask-text\" name=\"text\" "
		"type=\"text\" required maxlength=\"1000\"> <button "
		"type=\"submit\" class=\"button\">Ask</button></form>" SLOT_EDITOR_END);
}

static void list_table(struct buf *b, const struct review_doc *doc, int s)
{
	enum child_kind k = lists[s].kind;
	const struct record_def *def = child_defs[k];
	const struct record_list *l = &doc->children[k];
	const struct record *bl[16];
	size_t nbl = 0;

	if (k == CHILD_READINESS)
		nbl = review_readiness_blocking(l, bl, 16);
	html_rawf(b, "<section class=\"card list-%s\" id=\"%s\"><h2>",
		  def->segment, def->segment);
	html_txt(b, lists[s].title);
	html_rawf(b, " <span class=\"count\">%zu</span></h2>\n", l->n);
	if (k == CHILD_READINESS)
		readiness_notice(b, doc, bl, nbl);
	if (!l->n) {
		html_raw(b, "<p class=\"empty\">None yet.</p>");
		if (k == CHILD_QUESTION)
			ask_form(b, doc->review->id);
		html_raw(b, "</section>\n");
		return;
	}
	html_raw(b, "<table class=\"kind-list\"><thead><tr>");
	if (k == CHILD_CONTINGENCY)
		html_raw(b, "<th>Risk</th>");
	for (size_t f = 0; f < def->nfields; f++) {
		const struct field_def *fd = &def->fields[f];
		if (!shown(k, (int)f))
			continue;
		html_raw(b, "<th>");
		html_txt(b, fd->label);
		html_raw(b, "</th>");
	}
	if (k == CHILD_QUESTION)
		html_raw(b, "<th><span class=\"sr-only\">Vote</span></th>");
	html_raw(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct record *r = l->items[i];
		int blocks = k == CHILD_READINESS && is_blocking(r, bl, nbl);

		html_rawf(b, "<tr id=\"%s-%lld\" class=\"%s\">", def->segment,
			  (long long)r->id, blocks ? "blocks" : "");
		if (k == CHILD_CONTINGENCY)
			html_rawf(b,
				  "<td data-label=\"Risk\" class=\"risk "
				  "risk-%d\">%d</td>",
				  review_contingency_risk(r),
				  review_contingency_risk(r));
		for (size_t f = 0; f < def->nfields; f++) {
			const struct field_def *fd = &def->fields[f];
			if (!shown(k, (int)f))
				continue;
			html_raw(b, "<td data-label=\"");
			html_attr(b, fd->label);
			html_rawf(b, "\" class=\"f-%s\">", fd->name);
			if (k == CHILD_CONTINGENCY && (int)f == CT_FLAG &&
			    record_isset(r, f))
				flag_cell(b, record_str(r, f));
			else
				value(b, r, (int)f);
			if (blocks && (int)f == RD_ANSWER)
				html_raw(b, " <strong class=\"badge "
					    "blocking\">blocks ready</strong>");
			html_raw(b, "</td>");
		}
		if (k == CHILD_QUESTION)
			vote_button(b, r);
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
	if (k == CHILD_QUESTION)
		ask_form(b, doc->review->id);
	html_raw(b, "</section>\n");
}

void web_launch_review_main(struct buf *b, const struct review_doc *doc)
{
	const struct record *r = doc->review;

	facts(b, r);
	if (review_has_child(r, CHILD_CONTINGENCY))
		flags_glance(b, &doc->children[CHILD_CONTINGENCY]);
	prose(b, r);
	for (size_t s = 0; s < sizeof lists / sizeof lists[0]; s++)
		if (review_has_child(r, lists[s].kind))
			list_table(b, doc, (int)s);
}
