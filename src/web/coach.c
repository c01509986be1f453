/* coach.c: the language coach's findings on the server-rendered pages
 * (see coach.h): linting a form's prose fields (markdown, and one-line
 * fields marked F_PROSE), the list above the review form and the summary
 * line on the review page. */
#include "web/coach.h"

#include <stdio.h>
#include <string.h>

#include "web/page.h"

/* The notice lists at most this many findings; the rest are counted. */
#define COACH_LIST_MAX 60

/* The child sections with prose fields, in the order of the form. */
static const struct {
	enum child_kind kind;
	const char *section, *row;
} child_sections[] = {
	{CHILD_TIMELINE, "Timeline", "Timeline entry"},
	{CHILD_FACTOR, "Contributing factors", "Contributing factor"},
	{CHILD_FOLLOWUP, "Follow-ups", "Follow-up"},
	{CHILD_LINK, "Links", "Link"},
	{CHILD_DEPARTURE, "Departures", "Departure"},
	{CHILD_QUESTION, "Questions", "Question"},
	{CHILD_READINESS, "Readiness", "Readiness question"},
	{CHILD_CONTINGENCY, "Contingency checklist", "Contingency row"},
};

struct collect {
	struct arena *a;
	struct coach_report *r;
	size_t cap;
	struct lint_config cfg; /* with the review's allow entries */
};

/* allow_config makes cfg's allow list of the review's allow entries: each
 * phrase silences its own category only. Returns -1 when out of memory. */
static int allow_config(struct arena *a, const struct record_list *allows,
			struct lint_config *cfg)
{
	const char **ph;
	unsigned *mask;
	size_t n = 0;

	if (!allows || !allows->n)
		return 0;
	ph = arena_alloc(a, allows->n * sizeof *ph);
	mask = arena_alloc(a, allows->n * sizeof *mask);
	if (!ph || !mask)
		return -1;
	for (size_t i = 0; i < allows->n; i++) {
		const char *p = record_str(allows->items[i], LA_PHRASE);
		const char *c = record_str(allows->items[i], LA_CATEGORY);
		int cat = c ? lint_category_parse(c, strlen(c)) : -1;

		if (!p || !*p || cat < 0)
			continue;
		ph[n] = p;
		mask[n++] = LINT_MASK(cat);
	}
	cfg->allow = ph;
	cfg->allow_mask = mask;
	cfg->nallow = n;
	return 0;
}

/* lint_one lints text and keeps it in the report when it has findings.
 * Returns -1 only when out of memory. */
static int lint_one(struct collect *c, const char *text, const char *name,
		    const char *section, const char *what, int row)
{
	struct lint_finding *f = NULL;
	struct coach_field *cf;
	size_t n = 0;
	struct err e;

	if (!text || !*text)
		return 0;
	err_clear(&e);
	if (lint_text(c->a, text, strlen(text), &c->cfg, &f, &n, &e) != E_OK)
		return e.code == E_NOMEM ? -1 : 0;
	if (!n)
		return 0;
	if (c->r->nfields == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct coach_field *fs = arena_alloc(c->a, cap * sizeof *fs);

		if (!fs)
			return -1;
		if (c->r->nfields)
			memcpy(fs, c->r->fields, c->r->nfields * sizeof *fs);
		c->r->fields = fs;
		c->cap = cap;
	}
	cf = &c->r->fields[c->r->nfields++];
	cf->name = name;
	cf->section = section;
	cf->what = what;
	cf->row = row;
	cf->text = text;
	cf->f = f;
	cf->n = n;
	c->r->total += n;
	return 0;
}

static int lint_rows(struct collect *c, const struct form_doc *fd, size_t s)
{
	enum child_kind k = child_sections[s].kind;
	const struct record_def *def = child_defs[k];
	const struct form_rows *rows = &fd->rows[k];

	for (size_t i = 0; i < rows->n; i++) {
		const struct form_row *row = &rows->items[i];

		if (row->remove)
			continue;
		for (size_t f = 0; f < def->nfields; f++) {
			const char *name;

			if (!field_is_prose(&def->fields[f]) || !row->vals[f] ||
			    !*row->vals[f])
				continue;
			name = arena_printf(c->a, "%s[%d].%s", def->segment,
					    row->index, def->fields[f].name);
			if (!name ||
			    lint_one(c, row->vals[f], name,
				     child_sections[s].section,
				     def->fields[f].label, (int)i + 1) < 0)
				return -1;
		}
	}
	return 0;
}

int coach_lint_form(struct arena *a, const struct form_doc *fd,
		    const struct record_list *allows, struct coach_report *out)
{
	struct collect c = {.a = a, .r = out, .cfg = {.threads = 1}};

	memset(out, 0, sizeof *out);
	if (allow_config(a, allows, &c.cfg) < 0)
		goto oom;
	for (int f = 0; f < REVIEW_NFIELDS; f++) {
		const struct field_def *def = &review_def.fields[f];

		if (field_is_prose(def) &&
		    lint_one(&c, fd->review[f], def->name, def->label,
			     def->label, 0) < 0)
			goto oom;
	}
	for (size_t s = 0; s < sizeof child_sections / sizeof child_sections[0];
	     s++)
		if (lint_rows(&c, fd, s) < 0)
			goto oom;
	return 0;
oom:
	memset(out, 0, sizeof *out);
	return -1;
}

/* field_title writes where a field is: "Summary", "Timeline entry 3 ·
 * What happened". */
static void field_title(struct buf *b, const struct coach_field *cf)
{
	size_t i;

	if (!cf->row) {
		html_txt(b, cf->section);
		return;
	}
	for (i = 0; i < sizeof child_sections / sizeof child_sections[0]; i++)
		if (!strcmp(child_sections[i].section, cf->section))
			break;
	html_txt(b, i < sizeof child_sections / sizeof child_sections[0]
			    ? child_sections[i].row
			    : cf->section);
	html_rawf(b, " %d · ", cf->row);
	html_txt(b, cf->what);
}

/* why_link writes the link to the category's page of the coach's guide
 * (coach_help.c), in a new tab: the list stands above a form that may
 * hold unsaved text. */
static void why_link(struct buf *b, const char *category)
{
	html_raw(b, " <a class=\"coach-why\" target=\"_blank\" "
		    "rel=\"noopener\" href=\"/coach/");
	html_url_arg(b, category);
	html_raw(b, "\">Why?<span class=\"sr-only\"> (");
	page_choice_label(b, category);
	html_raw(b, ")</span></a>");
}

/* finding_item writes one finding as a list item: the flagged words, the
 * category, the message and the suggestion. */
static void finding_item(struct buf *b, const struct coach_field *cf,
			 const struct lint_finding *f)
{
	int hint = lint_finding_is_hint(f);

	html_raw(b, hint ? "<li class=\"coach-hint\"><q class=\"coach-text\">"
			 : "<li><q class=\"coach-text\">");
	html_ntxt(b, cf->text + f->start, f->end - f->start);
	html_raw(b, "</q> <span class=\"badge coach-cat\">");
	page_choice_label(b, f->category);
	html_raw(b, "</span>");
	if (hint)
		html_raw(b, " <span class=\"coach-sev\">hint</span>");
	if (strchr(cf->text, '\n'))
		html_rawf(b, " <span class=\"coach-line\">line %d</span>",
			  f->line);
	html_raw(b, "<span class=\"coach-msg\">");
	html_txt(b, f->message);
	html_raw(b, "</span><span class=\"coach-try\"><span class=\"label\">"
		    "Try</span> ");
	html_txt(b, f->suggestion);
	html_raw(b, "</span>");
	why_link(b, f->category);
	html_raw(b, "</li>");
}

void coach_notice(struct buf *b, const struct coach_report *r, int saved)
{
	size_t shown = 0;
	char id[96];

	if (!saved && (!r || !r->total))
		return;
	html_raw(b, "<div class=\"notice notice-coach\">");
	if (saved)
		html_raw(b, "<p class=\"coach-saved\" role=\"status\"><strong>"
			    "Saved.</strong> The review is stored as you "
			    "wrote it.</p>");
	if (!r || !r->total) {
		html_raw(b, "</div>\n");
		return;
	}
	html_rawf(b,
		  "<div class=\"coach-static\"><h2>Language "
		  "coach: %zu wording %s</h2><p class=\"coach-intro\">These "
		  "phrasings tend to turn a review into a search for someone "
		  "to blame. They are only suggestions: nothing was changed, "
		  "and saving works either way.</p><dl class=\"coach-list\">",
		  r->total, r->total == 1 ? "note" : "notes");
	for (size_t i = 0; i < r->nfields && shown < COACH_LIST_MAX; i++) {
		const struct coach_field *cf = &r->fields[i];

		form_field_id(id, sizeof id, "f-", cf->name);
		html_raw(b, "<dt><a href=\"#");
		html_attr(b, id);
		html_raw(b, "\">");
		field_title(b, cf);
		html_raw(b, "</a></dt><dd><ul>");
		for (size_t k = 0; k < cf->n && shown < COACH_LIST_MAX;
		     k++, shown++)
			finding_item(b, cf, &cf->f[k]);
		html_raw(b, "</ul></dd>");
	}
	html_raw(b, "</dl>");
	if (shown < r->total)
		html_rawf(b, "<p class=\"coach-more\">… and %zu more.</p>",
			  r->total - shown);
	html_raw(b, "</div></div>\n");
}

/* counted: finding f counts in the summary. */
static int counted(const struct lint_finding *f, int hints)
{
	return hints || !lint_finding_is_hint(f);
}

void coach_summary(struct buf *b, const struct coach_report *r, int64_t id,
		   int hints)
{
	int first = 1;
	size_t total = 0;

	if (!r)
		return;
	for (size_t i = 0; i < r->nfields; i++)
		for (size_t k = 0; k < r->fields[i].n; k++)
			total += counted(&r->fields[i].f[k], hints);
	if (!total)
		return;
	/* for editors only: review.c wraps it in an editor block of the
	 * cached page, which web_personalize drops for readers */
	html_raw(b, "<aside class=\"coach-summary\" aria-label=\"Language "
		    "coach\"><p><strong>Language coach:</strong> ");
	for (size_t i = 0; i < r->nfields; i++) {
		const char *sec = r->fields[i].section;
		size_t n = 0;
		int seen = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(r->fields[k].section, sec);
		if (seen)
			continue;
		for (size_t k = i; k < r->nfields; k++)
			if (!strcmp(r->fields[k].section, sec))
				for (size_t m = 0; m < r->fields[k].n; m++)
					n += counted(&r->fields[k].f[m],
						     hints);
		if (!n)
			continue;
		if (first)
			html_rawf(b, "%zu %s in ", n,
				  n == 1 ? "note" : "notes");
		else
			html_rawf(b, ", %zu in ", n);
		html_txt(b, sec);
		first = 0;
	}
	html_rawf(b, " — <a href=\"/reviews/%lld/edit\">see the edit page</a>.",
		  (long long)id);
	/* why each category present is flagged */
	first = 1;
	for (int c = 0; c < LINT_NCATEGORIES; c++) {
		int seen = 0;

		for (size_t i = 0; i < r->nfields && !seen; i++)
			for (size_t k = 0; k < r->fields[i].n && !seen; k++)
				seen = r->fields[i].f[k].cat ==
					       (enum lint_category)c &&
				       counted(&r->fields[i].f[k], hints);
		if (!seen)
			continue;
		html_raw(b, first ? " Why: " : ", ");
		html_raw(b, "<a class=\"coach-why\" href=\"/coach/");
		html_url_arg(b, lint_category_name((enum lint_category)c));
		html_raw(b, "\">");
		page_choice_label(b, lint_category_name((enum lint_category)c));
		html_raw(b, "</a>");
		first = 0;
	}
	html_raw(b, "</p></aside>\n");
}
