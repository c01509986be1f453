/* html.c: the escaping writers every page uses (see html.h). */
#include "web/html.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "model/record.h"
#include "util/timeutil.h"

void html_raw(struct buf *b, const char *s)
{
	buf_puts(b, s);
}

void html_rawf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* escape writes s[0..n) with the five HTML specials (and, for attributes,
 * line breaks) replaced by entities; runs of plain bytes go in one append. */
static void escape(struct buf *b, const char *s, size_t n, int attr)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		const char *ent;

		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '\n': ent = attr ? "&#10;" : NULL; break;
		case '\r': ent = attr ? "&#13;" : NULL; break;
		default: ent = NULL; break;
		}
		if (!ent)
			continue;
		buf_append(b, s + start, i - start);
		buf_puts(b, ent);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void html_txt(struct buf *b, const char *s)
{
	if (s)
		escape(b, s, strlen(s), 0);
}

void html_ntxt(struct buf *b, const char *s, size_t n)
{
	if (s)
		escape(b, s, strnlen(s, n), 0);
}

void html_attr(struct buf *b, const char *s)
{
	if (s)
		escape(b, s, strlen(s), 1);
}

void html_url_arg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, enc, 3);
		}
	}
}

/* A path must not become "//host" (another site) once the browser has
 * dropped the tabs and line breaks in it, as URL parsers do. */
int html_url_is_safe(const char *s)
{
	return record_url_is_safe(s); /* the rule links are saved under */
}

void html_time(struct buf *b, int64_t t)
{
	char iso[TIME_BUF], human[TIME_BUF];

	time_format(t, iso);
	time_format_human(t, human);
	html_raw(b, "<time datetime=\"");
	html_attr(b, iso);
	html_raw(b, "\">" HTML_TIME_SLOT);
	buf_put_int(b, (long long)t);
	html_raw(b, "-->");
	html_txt(b, human);
	html_raw(b, "</time>");
}

void html_hidden(struct buf *b, const char *name, const char *value)
{
	html_raw(b, "<input type=\"hidden\" name=\"");
	html_attr(b, name);
	html_raw(b, "\" value=\"");
	html_attr(b, value);
	html_raw(b, "\">");
}

void html_option(struct buf *b, const char *value, const char *label,
		 int selected)
{
	html_raw(b, "<option value=\"");
	html_attr(b, value);
	html_raw(b, selected ? "\" selected>" : "\">");
	html_txt(b, label);
	html_raw(b, "</option>");
}

void html_marked(struct buf *b, const char *s)
{
	int open = 0;

	while (s && *s) {
		size_t n = strcspn(s, "\x02\x03");

		html_ntxt(b, s, n);
		s += n;
		if (*s == '\x02' && !open) {
			html_raw(b, "<mark>");
			open = 1;
		} else if (*s == '\x03' && open) {
			html_raw(b, "</mark>");
			open = 0;
		}
		if (*s)
			s++;
	}
	if (open)
		html_raw(b, "</mark>");
}
