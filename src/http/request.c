/* request.c: what handlers read from a request: query arguments, headers,
 * route parameters, form fields, the JSON body and If-Match. Everything
 * returned lives in the request's arena. */
#include "http/http.h"

#include <ctype.h>
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

/* kv_find looks name up in a list given without a connection. */
static const char *kv_find(const struct kv *kv, size_t n, const char *name,
			   int nocase)
{
	for (size_t i = 0; i < n; i++)
		if (nocase ? !strcasecmp(kv[i].key, name)
			   : !strcmp(kv[i].key, name))
			return kv[i].value;
	return NULL;
}

const char *req_query(struct request *req, const char *name)
{
	if (!req->conn)
		return kv_find(req->query, req->nquery, name, 0);
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *req_header(struct request *req, const char *name)
{
	if (!req->conn)
		return kv_find(req->headers, req->nheaders, name, 1);
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct header_count {
	const char *name;
	size_t n;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind,
				    const char *key, const char *value)
{
	struct header_count *c = cls;

	if (!strcasecmp(key, c->name))
		c->n++;
	return MHD_YES;
}

size_t req_header_count(struct request *req, const char *name)
{
	struct header_count c = {name, 0};

	if (!req->conn) {
		for (size_t i = 0; i < req->nheaders; i++)
			c.n += !strcasecmp(req->headers[i].key, name);
		return c.n;
	}
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_header,
				  &c);
	return c.n;
}

struct header_join {
	const char *name;
	struct buf b;
	int n;
};

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct header_join *j = cls;

	if (strcasecmp(key, j->name) != 0)
		return MHD_YES;
	if (j->n++)
		buf_puts(&j->b, ", ");
	buf_puts(&j->b, value ? value : "");
	return MHD_YES;
}

const char *req_header_all(struct request *req, const char *name)
{
	struct header_join j = {name, BUF_INIT, 0};
	const char *out;

	if (!req->conn) {
		for (size_t i = 0; i < req->nheaders; i++)
			join_header(&j, MHD_HEADER_KIND, req->headers[i].key,
				    req->headers[i].value);
	} else {
		MHD_get_connection_values(req->conn, MHD_HEADER_KIND,
					  join_header, &j);
	}
	out = j.n && !j.b.oom ? arena_strdup(req->arena, buf_cstr(&j.b))
			      : NULL;
	buf_release(&j.b);
	return out;
}

/* parse_id reads a positive decimal int64 without sign, spaces or leading
 * zeros; 0 for anything else (including overflow). */
static int64_t parse_id(const char *s)
{
	int64_t v = 0;

	if (!s || *s < '1' || *s > '9')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int64_t req_param_id(struct request *req, size_t i)
{
	if (i >= req->nparams)
		return 0;
	return parse_id(req->params[i]);
}

/* media_type_is tells whether the Content-Type header names type (case
 * does not matter; parameters after ';' are ignored). */
static int media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* form_decode decodes s[0..n) ('+' is a space, %XX a byte; a '%' not
 * followed by two hex digits stays as it is) into the arena. NULL when out
 * of memory or when the result is not UTF-8 (or holds a NUL byte). */
static char *form_decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t i, o = 0;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
			   hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 +
					  hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!utf8_valid(out, o, NULL))
		return NULL;
	return out;
}

/* parse_urlencoded fills req->form from the body; form_parsed becomes 1,
 * or -1 when a name or value is not UTF-8 (the pairs before it are kept). */
static void parse_urlencoded(struct request *req)
{
	const char *p = req->body, *end = req->body + req->body_len;
	size_t cap = 1;

	for (const char *q = p; q < end; q++)
		cap += *q == '&';
	req->form = arena_alloc(req->arena, cap * sizeof *req->form);
	if (!req->form) {
		req->form_parsed = -1;
		return;
	}
	req->form_parsed = 1;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		const char *ke = eq ? eq : pe;
		struct kv *kv;

		if (pe > p) {
			kv = &req->form[req->nform];
			kv->key = form_decode(req->arena, p, (size_t)(ke - p));
			kv->value = eq ? form_decode(req->arena, eq + 1,
						     (size_t)(pe - eq - 1))
				       : arena_strdup(req->arena, "");
			if (!kv->key || !kv->value) {
				req->form_parsed = -1;
				return;
			}
			req->nform++;
		}
		p = amp ? amp + 1 : end;
	}
}

/* parse_form parses the body once, by its Content-Type. multipart/form-data
 * is how browsers send files; no route takes one yet, so a multipart body
 * is never read as text: it gives no fields and form_parsed -2. */
static void parse_form(struct request *req)
{
	const char *ct;

	if (req->form_parsed)
		return;
	ct = req_header(req, "Content-Type");
	if (media_type_is(ct, "application/x-www-form-urlencoded")) {
		parse_urlencoded(req);
		return;
	}
	if (req->body_len && media_type_is(ct, "multipart/form-data")) {
		req->form_parsed = -2;
		return;
	}
	req->form_parsed = 1;
}

const char *req_form_get(struct request *req, const char *name)
{
	parse_form(req);
	for (size_t i = 0; i < req->nform; i++)
		if (!strcmp(req->form[i].key, name))
			return req->form[i].value;
	return NULL;
}

size_t req_form_all(struct request *req, struct kv **out)
{
	parse_form(req);
	*out = req->form;
	return req->nform;
}

/* json_content_type accepts application/json with no charset or charset
 * utf-8 (any case, optionally quoted). */
static int json_content_type(const char *ct)
{
	const char *p;

	if (!media_type_is(ct, "application/json"))
		return 0;
	p = strchr(ct, ';');
	while (p) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncasecmp(p, "charset=", 8)) {
			p += 8;
			if (*p == '"')
				p++;
			if (strncasecmp(p, "utf-8", 5) != 0 ||
			    (p[5] && p[5] != '"' && p[5] != ';' && p[5] != ' '))
				return 0;
		}
		p = strchr(p, ';');
	}
	return 1;
}

static void json_release(void *p)
{
	json_decref(p);
}

enum err_code req_json(struct request *req, json_t **out, struct err *e)
{
	json_error_t jerr;
	size_t bad;
	int line, col;
	json_t *j;

	*out = NULL;
	if (!json_content_type(req_header(req, "Content-Type")))
		return err_set(e, E_MEDIA_TYPE, "",
			       "the body must be JSON (Content-Type: "
			       "application/json)");
	if (req->body_len == 0)
		return err_set(e, E_BAD_REQUEST, "", "the body is empty");
	if (!utf8_valid(req->body, req->body_len, &bad)) {
		utf8_line_col(req->body, bad, &line, &col);
		return err_set(e, E_BAD_REQUEST, "",
			       "invalid UTF-8 at byte offset %zu (line %d "
			       "column %d)",
			       bad, line, col);
	}
	j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return err_set(e, E_BAD_REQUEST, "",
			       "malformed JSON at line %d column %d: %s",
			       jerr.line, jerr.column, jerr.text);
	if (arena_defer(req->arena, json_release, j) < 0) {
		json_decref(j);
		return err_set(e, E_NOMEM, "", "out of memory");
	}
	if (!json_is_object(j))
		return err_set(e, E_BAD_REQUEST, "",
			       "the body must be a JSON object");
	*out = j;
	return E_OK;
}

int64_t req_if_match(struct request *req)
{
	const char *h = req_header(req, "If-Match");
	char tmp[32];
	size_t n;

	if (!h)
		return 0;
	while (*h == ' ' || *h == '\t')
		h++;
	n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (n == 1 && h[0] == '*')
		return 0; /* any version: do not check */
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, h, n);
	tmp[n] = '\0';
	return parse_id(tmp) ? parse_id(tmp) : -1;
}
