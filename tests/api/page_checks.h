/* page_checks.h: what the tests of the HTML pages share on top of
 * api_checks.h: browser-style form bodies, reading a page and the values
 * of its fields. Included by test files only; every function is static. */
#ifndef DEBRIEF_TEST_PAGE_CHECKS_H
#define DEBRIEF_TEST_PAGE_CHECKS_H

#include "api/api_checks.h"

#include "util/buf.h"

/* form_add appends key=value to a form body, percent-encoded. */
UNUSED_FN static void form_add(struct buf *b, const char *key,
			       const char *value)
{
	const char *parts[2] = {key, value};

	if (b->len)
		buf_putc(b, '&');
	for (int i = 0; i < 2; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i];
		     *p; p++) {
			if ((*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' ||
			    *p == '_' || *p == '.')
				buf_putc(b, (char)*p);
			else
				buf_printf(b, "%%%02X", *p);
		}
		if (i == 0)
			buf_putc(b, '=');
	}
}

/* vform / form build a body from NULL-terminated key, value pairs
 * (caller frees). */
UNUSED_FN static char *vform(const char *key, va_list ap)
{
	struct buf b = BUF_INIT;

	for (const char *k = key; k; k = va_arg(ap, const char *))
		form_add(&b, k, va_arg(ap, const char *));
	return buf_detach(&b);
}

UNUSED_FN static char *form(const char *key, ...)
{
	va_list ap;
	char *body;

	va_start(ap, key);
	body = vform(key, ap);
	va_end(ap);
	return body;
}

/* post_form posts body (then frees it) and returns the status. */
UNUSED_FN static long post_form(struct hs *s, const char *path, char *body,
				struct http_resp *r)
{
	long st;

	assert_non_null(body);
	st = http_form(s, path, body, r);
	free(body);
	return st;
}

UNUSED_FN static int contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* count_of: how many times needle occurs in hay. */
UNUSED_FN static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* page GETs path and returns the HTML (caller frees), asserting the
 * status and that it is HTML. */
UNUSED_FN static char *page(struct hs *s, const char *path, long status)
{
	struct http_resp r;
	char *html;

	assert_int_equal(http_get(s, path, &r), status);
	assert_true(contains(r.headers, "text/html"));
	html = strdup(r.body);
	http_resp_free(&r);
	assert_non_null(html);
	return html;
}

/* hidden_value reads the value of the input named name in html, with
 * the entities html_attr writes decoded; malloc'd, NULL when absent. */
UNUSED_FN static char *hidden_value(const char *html, const char *name)
{
	char needle[64];
	const char *p, *end;
	struct buf b = BUF_INIT;
	static const struct {
		const char *ent, *c;
	} ents[] = {{"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
		    {"&quot;", "\""}, {"&#39;", "'"}, {"&#10;", "\n"},
		    {"&#13;", "\r"}};

	snprintf(needle, sizeof needle, "name=\"%s\" value=\"", name);
	if (!(p = strstr(html, needle)))
		return NULL;
	p += strlen(needle);
	end = strchr(p, '"');
	while (p < end) {
		size_t k;

		for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
			if (!strncmp(p, ents[k].ent, strlen(ents[k].ent)))
				break;
		if (k < sizeof ents / sizeof ents[0]) {
			buf_puts(&b, ents[k].c);
			p += strlen(ents[k].ent);
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_detach(&b);
}

#endif
