/* layout.c: the frame of every page (head, site navigation, footer) and
 * the small renderers of review facts that several pages share. */
#include <ctype.h>
#include <string.h>

#include "web/page.h"

void page_begin(struct response *res, const char *title, enum nav_item nav)
{
	struct buf *b = &res->body;
	static const struct {
		enum nav_item item;
		const char *href, *label;
		int editor; /* 1: shown to editors only, 2: to admins only */
	} links[] = {
		{NAV_REVIEWS, "/", "Reviews", 0},
		{NAV_NEW, "/reviews/new", "New review", 1},
		{NAV_CALENDAR, "/calendar", "Calendar", 0},
		{NAV_DELETED, "/deleted", "Deleted", 2},
		{NAV_FOLLOWUPS, "/followups?lingering=1", "Follow-ups", 0},
		{NAV_TRENDS, "/trends", "Trends", 0},
		{NAV_LEARNING, "/learning", "Learning", 0},
		{NAV_GLOSSARY, "/glossary", "Glossary", 0},
	};

	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	html_raw(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" "
		    "content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"color-scheme\" content=\"light\">\n"
		    "<meta name=\"csrf-token\" content=\"" SLOT_CSRF "\">\n"
		    "<title>");
	html_txt(b, title);
	html_raw(
		b,
		" · debrief</title>\n<link rel=\"icon\" type=\"image/svg+xml\" "
		"href=\"");
	html_attr(b, static_url("favicon.svg"));
	html_raw(b, "\">\n<link rel=\"stylesheet\" href=\"");
	html_attr(b, static_url("app.css"));
	html_raw(b, "\">\n<script src=\"");
	html_attr(b, static_url("app.js"));
	html_raw(b, "\" defer></script>\n</head>\n<body>\n"
		    "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
		    "<header class=\"site\"><div class=\"wrap\">"
		    "<a class=\"brand\" href=\"/\">"
		    "<span class=\"brand-mark\" aria-hidden=\"true\"></span>"
		    "debrief</a>\n<nav aria-label=\"Site\"><ul>");
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		static const char *const begin[] = {"", SLOT_EDITOR_BEGIN,
						    SLOT_ADMIN_BEGIN};
		static const char *const close[] = {"", SLOT_EDITOR_END,
						    SLOT_ADMIN_END};

		html_rawf(b, "%s<li><a href=\"%s\"%s>%s</a></li>%s",
			  begin[links[i].editor], links[i].href,
			  links[i].item == nav ? " aria-current=\"page\"" : "",
			  links[i].label, close[links[i].editor]);
	}
	/* a search box on every page (search.c) */
	html_raw(b, "</ul></nav><form class=\"site-search\" role=\"search\" "
		    "method=\"get\" action=\"/search\"><label "
		    "class=\"sr-only\" for=\"site-q\">Search reviews</label>"
		    "<input id=\"site-q\" type=\"search\" name=\"q\" "
		    "placeholder=\"Search reviews\"></form>");
	/* who is signed in: filled per answer (personal.c) */
	html_raw(b, SLOT_USER_NAV "</div></header>\n"
		    "<main id=\"main\" class=\"wrap\">\n");
}

void page_end(struct response *res)
{
	struct buf *b = &res->body;

	html_raw(b, "</main>\n<footer class=\"site\"><div class=\"wrap\">"
		    "<p>debrief · blameless reviews of what happened, "
		    "so that we learn from it. " SLOT_ZONE "</p>"
		    "</div></footer>\n</body>\n</html>\n");
	if (b->oom) {
		buf_release(b);
		res->status = 500;
		res->content_type = "text/plain; charset=utf-8";
		buf_puts(b, "out of memory\n");
	}
}

void page_choice_label(struct buf *b, const char *value)
{
	char label[64];
	size_t i;

	if (!value)
		return;
	if (!strcmp(value, "wont-do")) {
		html_txt(b, "Won't do");
		return;
	}
	if (strlen(value) >= sizeof label) {
		html_txt(b, value);
		return;
	}
	for (i = 0; value[i]; i++)
		label[i] = value[i] == '-' ? ' ' : value[i];
	label[i] = '\0';
	label[0] = (char)toupper((unsigned char)label[0]);
	html_txt(b, label);
}

/* class_token writes value as a CSS class fragment: [a-z0-9-] only. */
static void class_token(struct buf *b, const char *value)
{
	for (const char *p = value; *p; p++) {
		char c = (char)tolower((unsigned char)*p);
		buf_putc(b, isalnum((unsigned char)c) ? c : '-');
	}
}

void page_badge(struct buf *b, const char *cls, const char *value)
{
	if (!value)
		return;
	html_raw(b, "<span class=\"badge ");
	html_raw(b, cls);
	html_raw(b, "-");
	class_token(b, value);
	html_raw(b, "\">");
	page_choice_label(b, value);
	html_raw(b, "</span>");
}

void page_severity(struct buf *b, const struct config *cfg, int64_t sev)
{
	if (sev < 1 || sev > 5)
		return;
	html_rawf(b, "<span class=\"badge sev sev-%d\"", (int)sev);
	if (cfg && cfg->severity[sev][0]) {
		html_raw(b, " title=\"");
		html_attr(b, cfg->severity[sev]);
		html_raw(b, "\"");
	}
	html_rawf(b, ">SEV %d</span>", (int)sev);
}

void page_list(struct buf *b, const struct value *v, const char *cls)
{
	if (v->state != V_SET)
		return;
	for (size_t i = 0; i < v->nitems; i++) {
		if (cls) {
			html_rawf(b, "<span class=\"%s\">", cls);
			html_txt(b, v->items[i]);
			html_raw(b, "</span> ");
		} else {
			if (i)
				html_raw(b, ", ");
			html_txt(b, v->items[i]);
		}
	}
}

void page_excerpt(struct buf *b, const char *text, size_t max, int first_line)
{
	char out[512];
	size_t n = 0;
	const char *p = text + strspn(text, " \t\r\n");
	int more = 0;

	if (max >= sizeof out)
		max = sizeof out - 1;
	for (; *p; p++) {
		if (first_line && (*p == '\n' || *p == '\r'))
			break;
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = *p;
		}
		if (n > max) {
			more = 1;
			break;
		}
	}
	if (*p && !more)
		more = p[strspn(p, " \t\r\n")] != '\0';
	if (n > max) {
		size_t cut = max;

		while (cut && out[cut] != ' ')
			cut--;
		if (!cut) /* one long word: cut it at a UTF-8 boundary */
			for (cut = max;
			     cut && ((unsigned char)out[cut] & 0xC0) == 0x80;)
				cut--;
		n = cut;
	}
	/* no space or dangling comma before the "…" */
	while (n && (out[n - 1] == ' ' ||
		     (more && strchr(",;:", out[n - 1]))))
		n--;
	out[n] = '\0';
	html_txt(b, out);
	if (more)
		html_raw(b, "…");
}
