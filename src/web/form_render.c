/* form_render.c: the inputs of the review form, each with its label, help
 * text and, after a failed save, its error in place. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "web/form.h"
#include "web/page.h"

static const char *error_for(const struct field_errors *errs, const char *name)
{
	for (size_t i = 0; errs && i < errs->n; i++)
		if (!strcmp(errs->items[i].field, name))
			return errs->items[i].message;
	return NULL;
}

void form_field_id(char *out, size_t n, const char *prefix, const char *name)
{
	size_t i = 0;

	for (const char *p = prefix; *p && i + 1 < n; p++)
		out[i++] = *p;
	for (const char *p = name; *p && i + 1 < n; p++)
		out[i++] = isalnum((unsigned char)*p) || *p == '_' ? *p : '-';
	out[i] = '\0';
}

static int truthy(const char *s)
{
	return s && (!strcmp(s, "true") || !strcmp(s, "1") ||
		     !strcmp(s, "on") || !strcmp(s, "yes"));
}

/* int_select: a number from a short range (a severity) is a choice; a
 * long one (a review's number, a position) is typed. */
static int int_select(const struct field_def *fd)
{
	return fd->type == FT_INT && fd->max - fd->min <= 20;
}

static void render_select(struct buf *b, const struct config *cfg,
			  const struct field_def *fd, const char *value,
			  const char *kind)
{
	char num[8];

	if (fd->type == FT_INT) {
		html_option(b, "", "Not set", !value || !*value);
		for (int64_t i = fd->min; i <= fd->max; i++) {
			char label[200];
			snprintf(num, sizeof num, "%d", (int)i);
			if (cfg && i >= 1 && i <= 5 && cfg->severity[i][0])
				snprintf(label, sizeof label, "SEV %d · %s",
					 (int)i, cfg->severity[i]);
			else
				snprintf(label, sizeof label, "SEV %d", (int)i);
			html_option(b, num, label,
				    value && !strcmp(value, num));
		}
		return;
	}
	if (!(fd->flags & F_REQUIRED))
		html_option(b, "", "—", !value || !*value);
	for (int i = 0; fd->choices[i]; i++) {
		const char *c = fd->choices[i];

		/* another kind's status; the value as it is stays below */
		if (kind && fd >= review_def.fields &&
		    fd < review_def.fields + REVIEW_NFIELDS &&
		    !review_kind_has_choice(kind, (int)(fd - review_def.fields),
					    i) &&
		    !(value && !strcmp(value, c)))
			continue;
		html_raw(b, "<option value=\"");
		html_attr(b, c);
		html_raw(b,
			 value && !strcmp(value, c) ? "\" selected>" : "\">");
		page_choice_label(b, c);
		html_raw(b, "</option>");
	}
	/* a value typed by hand that is not a choice stays visible */
	if (value && *value) {
		int known = 0;
		for (int i = 0; fd->choices[i]; i++)
			known |= !strcmp(fd->choices[i], value);
		if (!known)
			html_option(b, value, value, 1);
	}
}

/* What one input shows. */
struct field_view {
	const struct field_def *fd;
	const char *name; /* the form name: "title", "timeline[2].at" */
	const char *label;
	const char *value;   /* as typed or as stored; NULL: empty */
	const char *current; /* after a conflict: what was saved meanwhile */
	const struct form_conflict *conflict; /* after a merge: to choose */
	int rows;			      /* the height of a textarea */
	int compact; /* a row of a child entry: no help line */
	const struct tz *zone; /* a time's: its help names this zone */
	const char *kind; /* a review field: the review's kind, whose
			   * choices (statuses) the select offers */
};

static const struct form_conflict *find_conflict(const struct form_doc *fd,
						 const char *name)
{
	for (size_t i = 0; fd && i < fd->nconflicts; i++)
		if (!strcmp(fd->conflicts[i].name, name))
			return &fd->conflicts[i];
	return NULL;
}

/* render_choice writes one radio button of the choice named name. */
static void render_choice(struct buf *b, const char *name, const char *value,
			  const char *label)
{
	html_raw(b, "<label class=\"merge-pick\"><input type=\"radio\" "
		    "required name=\"choose.");
	html_attr(b, name);
	html_raw(b, "\" value=\"");
	html_attr(b, value);
	html_raw(b, "\"> ");
	html_txt(b, label);
	html_raw(b, "</label>");
}

/* render_merge writes, under a field both people changed, their text and
 * the original beside the person's own (the input above), and the choice
 * that must be made before the form saves. */
static void render_merge(struct buf *b, const struct form_conflict *c)
{
	html_raw(b, "<div class=\"merge\" role=\"group\" "
		    "aria-label=\"Both of you changed this\"><p "
		    "class=\"merge-why\"><strong>Someone else changed this "
		    "too.</strong> Keep theirs, or keep yours: the box above "
		    "holds your text, and you can edit it to combine both."
		    "</p><div class=\"merge-sides\"><div class=\"merge-side "
		    "merge-theirs\"><span class=\"label\">Theirs (saved "
		    "meanwhile)</span><div class=\"merge-text\">");
	html_txt(b, *c->theirs ? c->theirs : "(empty)");
	html_raw(b, "</div></div><div class=\"merge-side merge-base\"><span "
		    "class=\"label\">The original</span><div "
		    "class=\"merge-text\">");
	html_txt(b, *c->base ? c->base : "(empty)");
	html_raw(b, "</div></div></div><p class=\"merge-choice\">");
	render_choice(b, c->name, "theirs", "Keep theirs");
	render_choice(b, c->name, "yours", "Keep mine (the box above)");
	html_raw(b, "</p></div>");
}

/* render_row_merge writes, at the top of a row deleted on one side and
 * edited on the other, what happened and the keep-or-remove choice. */
static void render_row_merge(struct buf *b, const struct form_conflict *c)
{
	html_raw(b, "<div class=\"merge merge-row\" role=\"group\" "
		    "aria-label=\"Deleted on one side, changed on the "
		    "other\"><p class=\"merge-why\"><strong>");
	html_raw(b, c->theirs_deleted
			    ? "Someone else deleted this entry while you "
			      "changed it.</strong> It is shown with your "
			      "changes; keep it to add it back."
			    : "You removed this entry, but someone else "
			      "changed it meanwhile.</strong> It is shown with "
			      "their changes.");
	html_raw(b, "</p><p class=\"merge-choice\">");
	render_choice(b, c->name, "keep", "Keep it");
	render_choice(b, c->name, "remove", "Remove it");
	html_raw(b, "</p></div>");
}

/* render_field writes one labelled input with its help line, the value
 * someone else saved meanwhile (after a conflict) and its error. */
static void render_field(struct buf *b, const struct config *cfg,
			 const struct field_view *v,
			 const struct field_errors *errs)
{
	const struct field_def *fd = v->fd;
	const char *name = v->name, *label = v->label, *value = v->value;
	const char *err = error_for(errs, name);
	char id[96], eid[96];

	form_field_id(id, sizeof id, "f-", name);
	form_field_id(eid, sizeof eid, "e-", name);
	/* fn-NAME lets the stylesheet place each field of a row */
	html_rawf(b, "<div class=\"field field-%s fn-%s%s\">",
		  fd->type == FT_MARKDOWN ? "markdown"
		  : fd->type == FT_BOOL	  ? "check"
		  : fd->type == FT_TIME	  ? "time"
					  : "line",
		  fd->name,
		  err		? " has-error"
		  : v->conflict ? " has-merge"
				: "");
	if (fd->type == FT_BOOL) {
		html_rawf(
			b,
			"<label for=\"%s\"><input type=\"checkbox\" id=\"%s\" "
			"name=\"",
			id, id);
		html_attr(b, name);
		html_raw(b, truthy(value) ? "\" value=\"true\" checked> "
					  : "\" value=\"true\"> ");
		html_txt(b, label);
		html_raw(b, "</label>");
	} else {
		html_rawf(b, "<label for=\"%s\">", id);
		html_txt(b, label);
		if (fd->flags & F_REQUIRED)
			html_raw(b, " <abbr class=\"req\" title=\"required\">*"
				    "</abbr>");
		html_raw(b, "</label>");
		if (fd->type == FT_MARKDOWN) {
			/* data-lint: static/lint.js highlights the language
			 * coach's findings in it as people type */
			html_rawf(b,
				  "<textarea id=\"%s\" rows=\"%d\" data-lint "
				  "name=\"",
				  id, v->rows);
		} else if (fd->type == FT_ENUM || int_select(fd)) {
			html_rawf(b, "<select id=\"%s\" name=\"", id);
		} else {
			/* data-lint on a one-line prose field too (F_PROSE) */
			html_rawf(b, "<input id=\"%s\" type=\"%s\"%s name=\"",
				  id,
				  fd->type == FT_DATE  ? "date"
				  : fd->type == FT_INT ? "number"
						       : "text",
				  field_is_prose(fd) ? " data-lint" : "");
		}
		html_attr(b, name);
		html_raw(b, "\"");
		if (err)
			html_rawf(b,
				  " aria-invalid=\"true\" "
				  "aria-describedby=\"%s\"",
				  eid);
		if (fd->type == FT_TIME)
			html_raw(b, v->compact
					    ? " placeholder=\"HH:MM\" "
					      "title=\"HH:MM (the date of "
					      "the entry above), +5m, or "
					      "YYYY-MM-DD HH:MM\" "
					      "autocomplete=\"off\""
					    : " placeholder=\"YYYY-MM-DD "
					      "HH:MM\" autocomplete=\"off\"");
		if (fd->type == FT_URL)
			html_raw(b, " inputmode=\"url\"");
		if (!strcmp(name, "title"))
			html_raw(b, " required");
		if (fd->type == FT_MARKDOWN) {
			/* browsers drop one newline after <textarea>: give
			 * them one, so a value's own first newline stays */
			html_raw(b, ">\n");
			html_txt(b, value);
			html_raw(b, "</textarea>");
		} else if (fd->type == FT_ENUM || int_select(fd)) {
			html_raw(b, ">");
			render_select(b, cfg, fd, value, v->kind);
			html_raw(b, "</select>");
		} else {
			html_raw(b, " value=\"");
			html_attr(b, value);
			html_raw(b, "\">");
		}
	}
	if (fd->help && !v->compact) {
		size_t n = strlen(fd->help);
		int utc = fd->type == FT_TIME && !tz_is_utc(v->zone) && n > 6 &&
			  !strcmp(fd->help + n - 6, " (UTC)");

		html_raw(b, "<p class=\"help\">");
		if (utc) { /* the help of a time typed in another zone */
			char help[256];

			snprintf(help, sizeof help, "%.*s", (int)(n - 6),
				 fd->help);
			html_txt(b, help);
			html_raw(b, " (");
			html_txt(b, tz_name(v->zone));
			html_raw(b, ")");
		} else {
			html_txt(b, fd->help);
		}
		if (fd->type == FT_MARKDOWN)
			html_raw(b, " · Markdown");
		html_raw(b, "</p>");
	}
	if (v->conflict)
		render_merge(b, v->conflict);
	if (v->current) {
		html_raw(b,
			 "<div class=\"current-value\"><span class=\"label\">"
			 "Saved meanwhile</span>");
		html_txt(b, *v->current ? v->current : "(empty)");
		html_raw(b, "</div>");
	}
	if (err) {
		html_rawf(b, "<p class=\"field-error\" id=\"%s\">", eid);
		html_txt(b, err);
		html_raw(b, "</p>");
	}
	html_raw(b, "</div>\n");
}

/* which_row writes, for an error named "timeline[3].at", which entry it
 * is as a person sees it: "Timeline entry 2 (14:20, “Paged the…”): ".
 * Nothing for a review field. */
static void which_row(struct buf *b, const struct form_doc *fd,
		      const char *field)
{
	static const char *const labels[CHILD_COUNT] = {
		[CHILD_TIMELINE] = "Timeline entry",
		[CHILD_FOLLOWUP] = "Follow-up",
		[CHILD_FACTOR] = "Contributing factor",
		[CHILD_PERSON] = "Person",
		[CHILD_LINK] = "Link"};
	static const int first[CHILD_COUNT] = {[CHILD_TIMELINE] = TL_TEXT,
					       [CHILD_FOLLOWUP] = FU_TITLE,
					       [CHILD_FACTOR] = FACTOR_TEXT,
					       [CHILD_PERSON] = PERSON_NAME,
					       [CHILD_LINK] = LINK_URL};
	char seg[32];
	int k, index, used = 0;

	if (!fd || sscanf(field, "%31[a-z][%d]%n", seg, &index, &used) != 2 ||
	    !used || (k = child_kind_from_segment(seg)) < 0 || !labels[k])
		return;
	for (size_t i = 0; i < fd->rows[k].n; i++) {
		const struct form_row *row = &fd->rows[k].items[i];
		const char *at = k == CHILD_TIMELINE ? row->vals[TL_AT] : NULL;
		const char *words = row->vals[first[k]];

		if (row->index != index)
			continue;
		html_rawf(b, "%s %zu", labels[k], i + 1);
		if ((at && *at) || (words && *words)) {
			html_raw(b, " (");
			if (at && *at)
				html_txt(b, at);
			if (at && *at && words && *words)
				html_raw(b, ", ");
			if (words && *words) {
				size_t n = strlen(words);
				html_raw(b, "“");
				/* the first 40 bytes, not cutting a character */
				if (n > 40) {
					for (n = 40;
					     n > 0 && (words[n] & 0xC0) == 0x80;
					     n--)
						;
					while (n > 0 && words[n - 1] == ' ')
						n--;
				}
				html_ntxt(b, words, n);
				html_raw(b, strlen(words) > n ? "…”" : "”");
			}
			html_raw(b, ")");
		}
		html_raw(b, ": ");
		return;
	}
}

void form_errors_summary(struct buf *b, const struct form_doc *fd,
			 const struct field_errors *errs)
{
	char id[96];

	if (!errs || !errs->n)
		return;
	html_rawf(b,
		  "<div class=\"notice notice-error\" role=\"alert\">"
		  "<p><strong>%s could not be saved.</strong> Please fix the "
		  "%s below; everything you typed is kept.</p><ul>",
		  "The review", errs->n == 1 ? "problem" : "problems");
	for (size_t i = 0; i < errs->n; i++) {
		html_raw(b, "<li>");
		if (errs->items[i].field[0]) {
			form_field_id(id, sizeof id, "f-",
				      errs->items[i].field);
			html_raw(b, "<a href=\"#");
			html_attr(b, id);
			html_raw(b, "\">");
			which_row(b, fd, errs->items[i].field);
			html_txt(b, errs->items[i].message);
			html_raw(b, "</a>");
		} else {
			html_txt(b, errs->items[i].message);
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul></div>\n");
}

void form_failure_notice(struct buf *b, const char *what, const char *reason)
{
	if (!reason)
		return;
	html_raw(b, "<div class=\"notice notice-error\" role=\"alert\"><p>"
		    "<strong>");
	html_txt(b, what);
	html_raw(b, " was not saved:</strong> ");
	html_txt(b, reason);
	html_raw(b, ". Everything you typed is in the form below, to save "
		    "again.</p></div>\n");
}

static void review_field(struct buf *b, const struct config *cfg,
			 const struct form_doc *fd, int f,
			 const struct field_errors *errs)
{
	const struct field_def *def = &review_def.fields[f];

	struct field_view v = {
		.fd = def,
		.name = def->name,
		.label = def->label,
		.value = fd->review[f],
		.current = fd->current[f],
		.conflict = find_conflict(fd, def->name),
		.rows = f == REVIEW_TLDR ? 3 : 6,
		.zone = fd->zone,
		.kind = fd->review[REVIEW_KIND],
	};

	render_field(b, cfg, &v, errs);
}

/* launch_review_fields writes the fields of an architecture or
 * operability review: the basics, then every other field its kind has,
 * in the def table's order (prose in a group of its own), tags, and who
 * may see it. */
static void launch_review_fields(struct buf *b, const struct config *cfg,
				 const struct form_doc *fd,
				 const struct field_errors *errs,
				 const struct field_view *tags)
{
	static const int basics[] = {REVIEW_TITLE, REVIEW_KIND, REVIEW_STATUS,
				     REVIEW_SERVICES, REVIEW_OWNER_TEAM};
	const char *kind = fd->review[REVIEW_KIND];

	html_raw(b, "<fieldset class=\"group group-basics\"><legend>The "
		    "review</legend><div class=\"grid\">\n");
	for (size_t i = 0; i < sizeof basics / sizeof basics[0]; i++)
		review_field(b, cfg, fd, basics[i], errs);
	for (int f = 0; f < REVIEW_NFIELDS; f++) {
		int basic = 0;
		for (size_t i = 0; i < sizeof basics / sizeof basics[0]; i++)
			basic |= basics[i] == f;
		if (!basic && f != REVIEW_RESTRICTED_TO && f != REVIEW_EXTRA &&
		    review_def.fields[f].type != FT_MARKDOWN &&
		    review_kind_has_field(kind, f) &&
		    !review_kind_has_field("incident", f))
			review_field(b, cfg, fd, f, errs);
	}
	render_field(b, cfg, tags, errs);
	html_raw(b, "</div></fieldset>\n<fieldset class=\"group "
		    "group-writeup\"><legend>Write-up</legend><p class=\"hint\">"
		    "Every section is optional; empty ones are left off the "
		    "page. Markdown works.</p>\n");
	for (int f = 0; f < REVIEW_NFIELDS; f++)
		if (f != REVIEW_EXTRA &&
		    review_def.fields[f].type == FT_MARKDOWN &&
		    review_kind_has_field(kind, f))
			review_field(b, cfg, fd, f, errs);
	html_raw(b, "</fieldset>\n<fieldset class=\"group group-access\">"
		    "<legend>Who may see it</legend><div class=\"grid\">\n");
	review_field(b, cfg, fd, REVIEW_RESTRICTED_TO, errs);
	html_raw(b, "</div></fieldset>\n");
}

void form_review_fields(struct buf *b, const struct config *cfg,
			const struct form_doc *fd,
			const struct field_errors *errs)
{
	static const int basics[] = {REVIEW_TITLE, REVIEW_KIND, REVIEW_SEVERITY,
				     REVIEW_STATUS};
	static const int times[] = {REVIEW_STARTED_AT, REVIEW_DETECTED_AT,
				    REVIEW_FIRST_STATUS_AT, REVIEW_MITIGATED_AT,
				    REVIEW_RESOLVED_AT};
	static const int classes[] = {REVIEW_OWNER_TEAM, REVIEW_SERVICES,
				      REVIEW_IMPACT_TYPE, REVIEW_PROBLEM_TYPE};
	static const struct field_def tags_def = {
		.name = "tags",
		.label = "Tags",
		.type = FT_LIST,
		.help = "Comma-separated, for example: database, failover"};
	struct field_view tags = {.fd = &tags_def,
				  .name = "tags",
				  .label = "Tags",
				  .value = fd->tags};

	if (review_kind_is_launch(fd->review[REVIEW_KIND])) {
		launch_review_fields(b, cfg, fd, errs, &tags);
		return;
	}
	html_raw(b, "<fieldset class=\"group group-basics\"><legend>The event"
		    "</legend><div class=\"grid\">\n");
	for (size_t i = 0; i < sizeof basics / sizeof basics[0]; i++)
		review_field(b, cfg, fd, basics[i], errs);
	html_raw(b, "</div></fieldset>\n<fieldset class=\"group group-times\">"
		    "<legend>Times <small>(");
	html_txt(b, tz_name(fd->zone));
	html_raw(b, ")</small></legend><div class=\"grid\">\n");
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
		review_field(b, cfg, fd, times[i], errs);
	html_raw(b,
		 "</div></fieldset>\n<fieldset class=\"group group-writeup\">"
		 "<legend>Write-up</legend><p class=\"hint\">Describe what "
		 "happened and why it made sense at the time to the people "
		 "involved. Every section is optional; empty ones are left "
		 "off the page. Markdown works.</p>\n");
	for (int f = REVIEW_TLDR; f <= REVIEW_DATA_SOURCES; f++)
		review_field(b, cfg, fd, f, errs);
	html_raw(b, "</fieldset>\n<fieldset class=\"group group-class\">"
		    "<legend>Classification</legend><div class=\"grid\">\n");
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		review_field(b, cfg, fd, classes[i], errs);
	render_field(b, cfg, &tags, errs);
	html_raw(b, "</div></fieldset>\n<fieldset class=\"group "
		    "group-access\"><legend>Who may see it</legend>"
		    "<div class=\"grid\">\n");
	review_field(b, cfg, fd, REVIEW_RESTRICTED_TO, errs);
	html_raw(b, "</div></fieldset>\n");
}

static const struct {
	enum child_kind kind;
	const char *title, *row_label, *hint;
} sections[] = {
	{CHILD_TIMELINE, "Timeline", "Entry",
	 "What happened, in order: alerts, observations, hypotheses, actions, "
	 "decisions. Note what people knew then and why their actions made "
	 "sense. Mark estimated times as approximate."},
	{CHILD_FACTOR, "Contributing factors", "Factor",
	 "Conditions that together made this possible. There is never one "
	 "root cause."},
	{CHILD_FOLLOWUP, "Follow-ups", "Follow-up",
	 "Work that comes out of the review, with an owner."},
	{CHILD_PERSON, "People", "Person",
	 "Who responded, acted, facilitated, took notes or attended."},
	{CHILD_LINK, "Links", "Link",
	 "Dashboards, status posts, forum posts, tickets, other reviews."},
	{CHILD_DEPARTURE, "Departures", "Departure",
	 "Each new technology or pattern, what it replaces, the trade-offs "
	 "known and what is still unknown."},
	{CHILD_QUESTION, "Questions", "Question",
	 "Asked before the meeting and voted up on the review's page; here "
	 "the meeting marks them answered and writes the answer."},
	{CHILD_READINESS, "Readiness", "Question",
	 "Answer each yes, no or n-a. The review cannot be marked ready "
	 "while an infrastructure question is no."},
	{CHILD_CONTINGENCY, "Contingency checklist", "Row",
	 "What could go wrong, how likely, how bad, and what we do: a flag "
	 "to flip, what users are told, whether PR is needed. Rows are "
	 "listed by risk on the review's page."},
};

/* render_row_field writes field f of a child row. */
static void render_row_field(struct buf *b, const struct form_doc *fd, int k,
			     const struct form_row *row, int f,
			     const char *prefix,
			     const struct field_errors *errs)
{
	const struct record_def *def = child_defs[k];
	char name[96];
	struct field_view v = {
		.fd = &def->fields[f],
		.name = name,
		.label = def->fields[f].label,
		.value = row->vals[f],
		.rows = k == CHILD_TIMELINE && f == TL_TEXT ? 1 : 2,
		.compact = 1,
	};

	snprintf(name, sizeof name, "%s%s", prefix, def->fields[f].name);
	v.conflict = find_conflict(fd, name);
	render_field(b, NULL, &v, errs);
}

/* render_timeline_fields writes a timeline entry as one line (time, kind,
 * actor, what happened) and the rest behind an expander, whose summary
 * names the ones that hold something. It opens by itself only where an
 * error or a choice waits, so that a long timeline stays short. */
static void render_timeline_fields(struct buf *b, const struct form_doc *fd,
				   const struct form_row *row,
				   const char *prefix,
				   const struct field_errors *errs)
{
	static const int line[] = {TL_AT, TL_KIND, TL_ACTOR, TL_TEXT};
	static const int more[] = {TL_APPROXIMATE, TL_SOURCE, TL_CONTEXT,
				   TL_PERSPECTIVE, TL_DISPUTED};
	const size_t nmore = sizeof more / sizeof more[0];
	char name[96];
	int open = 0, filled[sizeof more / sizeof more[0]], nfilled = 0;

	for (size_t i = 0; i < nmore; i++) {
		const struct field_def *d = &timeline_def.fields[more[i]];
		const char *val = row->vals[more[i]];

		snprintf(name, sizeof name, "%s%s", prefix, d->name);
		filled[i] = d->type == FT_BOOL ? truthy(val) : val && *val;
		nfilled += filled[i];
		if (error_for(errs, name) || find_conflict(fd, name))
			open = 1;
	}
	for (size_t i = 0; i < sizeof line / sizeof line[0]; i++)
		render_row_field(b, fd, CHILD_TIMELINE, row, line[i], prefix,
				 errs);
	html_rawf(b, "<details class=\"row-more%s\"%s><summary>",
		  nfilled ? " row-more-filled" : "", open ? " open" : "");
	if (!nfilled) {
		html_raw(b, "Approximate, source, what we knew then, "
			    "perspective, disputed");
	} else {
		int n = 0;

		html_raw(b, "Also: ");
		for (size_t i = 0; i < nmore; i++)
			if (filled[i]) {
				html_raw(b, n++ ? ", " : "");
				html_txt(b, timeline_def.fields[more[i]].label);
			}
	}
	html_raw(b, "</summary><div class=\"row-more-fields\">");
	for (size_t i = 0; i < nmore; i++)
		render_row_field(b, fd, CHILD_TIMELINE, row, more[i], prefix,
				 errs);
	html_raw(b, "</div></details>");
}

static void render_row(struct buf *b, const struct form_doc *fd, int k,
		       const struct form_row *row,
		       const struct field_errors *errs)
{
	const struct record_def *def = child_defs[k];
	const struct form_conflict *rc;
	char prefix[48], name[96], idbuf[24];
	int bad = 0;

	snprintf(prefix, sizeof prefix, "%s[%d].", def->segment, row->index);
	for (size_t i = 0; errs && i < errs->n; i++)
		bad |= !strncmp(errs->items[i].field, prefix, strlen(prefix));
	/* a row to keep or remove: the question stands above the row */
	snprintf(name, sizeof name, "%s[%d]", def->segment, row->index);
	if ((rc = find_conflict(fd, name)))
		render_row_merge(b, rc);
	html_rawf(b, "<div class=\"row row-%s%s%s%s\" data-index=\"%d\">",
		  def->segment, row->id ? "" : " row-new",
		  bad ? " has-error" : "", rc ? " has-merge" : "", row->index);
	if (row->id) {
		snprintf(name, sizeof name, "%sid", prefix);
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)row->id);
		html_hidden(b, name, idbuf);
	}
	if (k == CHILD_TIMELINE) {
		render_timeline_fields(b, fd, row, prefix, errs);
	} else {
		for (size_t f = 0; f < def->nfields; f++)
			if (!(def->fields[f].flags & F_SERVER))
				render_row_field(b, fd, k, row, (int)f, prefix,
						 errs);
	}
	if (row->id) {
		static const struct field_def remove_def = {
			.name = "remove", .label = "Remove", .type = FT_BOOL};
		struct field_view v = {
			.fd = &remove_def,
			.name = name,
			.label = "Remove this",
			.value = row->remove ? "true" : "",
			.compact = 1,
		};

		snprintf(name, sizeof name, "%sremove", prefix);
		html_raw(b, "<div class=\"row-remove\">");
		render_field(b, NULL, &v, NULL);
		html_raw(b, "</div>");
	}
	html_raw(b, "</div>\n");
}

void form_child_row(struct buf *b, const struct form_doc *fd,
		    enum child_kind k, const struct form_row *row,
		    const struct field_errors *errs)
{
	render_row(b, fd, (int)k, row, errs);
}

void form_children(struct buf *b, const struct form_doc *fd,
		   const struct field_errors *errs)
{
	for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
		int k = sections[s].kind;
		const char *seg = child_defs[k]->segment;
		const struct form_rows *rows = &fd->rows[k];

		if (!review_kind_has_child(fd->review[REVIEW_KIND], k))
			continue; /* another kind's list */
		html_rawf(b,
			  "<fieldset class=\"group children\" id=\"sec-%s\">"
			  "<legend>%s</legend><p class=\"hint\">%s Blank "
			  "rows are ignored.</p>\n<div class=\"rows\" "
			  "data-kind=\"%s\" data-label=\"%s\">\n",
			  seg, sections[s].title, sections[s].hint, seg,
			  sections[s].row_label);
		for (size_t i = 0; i < rows->n; i++)
			render_row(b, fd, k, &rows->items[i], errs);
		html_raw(b, "</div></fieldset>\n");
	}
}
