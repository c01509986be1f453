/* response.c: what handlers use to fill a response: headers, JSON bodies,
 * the one JSON error shape, redirects. The server (server.c) turns the
 * filled struct response into bytes on the wire. */
#include "http/http.h"

#include <string.h>
#include <strings.h>

#include "util/log.h"
#include "util/utf8.h"

/* res_header adds a header; a repeated name adds another line. With
 * res->arena set, name and value are copied, so the caller may pass
 * temporaries; without it they must outlive the response. Headers past
 * RES_MAX_HEADERS are dropped with a warning. */
void res_header(struct response *res, const char *name, const char *value)
{
	struct kv *h;

	if (res->nheaders >= RES_MAX_HEADERS) {
		log_warn("response header %s dropped: too many headers", name);
		return;
	}
	h = &res->headers[res->nheaders];
	if (res->arena) {
		h->key = arena_strdup(res->arena, name);
		h->value = arena_strdup(res->arena, value);
		if (!h->key || !h->value)
			return;
	} else {
		h->key = name;
		h->value = value;
	}
	res->nheaders++;
}

void res_header_set(struct response *res, const char *name, const char *value)
{
	size_t i, o = 0;

	for (i = 0; i < res->nheaders; i++)
		if (strcasecmp(res->headers[i].key, name) != 0)
			res->headers[o++] = res->headers[i];
	res->nheaders = o;
	res_header(res, name, value);
}

static int dump_to_buf(const char *p, size_t n, void *ud)
{
	return buf_append(ud, p, n);
}

/* res_json takes ownership of j (NULL counts as out of memory). The body
 * replaces whatever was written before. */
void res_json(struct response *res, int status, json_t *j)
{
	buf_reset(&res->body);
	res->content_type = "application/json";
	if (!j ||
	    json_dump_callback(j, dump_to_buf, &res->body, JSON_COMPACT) < 0 ||
	    res->body.oom) {
		buf_reset(&res->body);
		buf_puts(&res->body, "{\"error\":{\"code\":\"out_of_memory\","
				     "\"message\":\"out of memory\","
				     "\"field\":null}}");
		res->status = 500;
	} else {
		res->status = status;
	}
	if (j)
		json_decref(j);
}

static const char *default_message(enum err_code code)
{
	switch (code) {
	case E_NOMEM: return "out of memory";
	case E_BAD_REQUEST: return "bad request";
	case E_INVALID: return "invalid input";
	case E_NOT_FOUND: return "not found";
	case E_CONFLICT: return "the record was changed by someone else";
	case E_TOO_LARGE: return "request body too large";
	case E_MEDIA_TYPE: return "unsupported media type";
	case E_STORE: return "the database failed";
	case E_IO: return "input/output error";
	case E_UNAVAILABLE:
		return "the database is unavailable; try again in a moment";
	case E_OK: break;
	}
	return "error";
}

/* valid_string makes a JSON string of s cut before its first byte that is
 * not UTF-8 (a message truncated by snprintf may end inside a character). */
static json_t *valid_string(const char *s)
{
	size_t n = strlen(s), bad;

	if (!utf8_valid(s, n, &bad))
		n = bad;
	return json_stringn(s, n);
}

/* res_error_json writes {"error": {"code": "not_found", "message": "...",
 * "field": "title" or null}} with the HTTP status of e->code; with
 * E_CONFLICT the error object also holds "current_version". */
void res_error_json(struct response *res, const struct err *e)
{
	json_t *err, *root;
	const char *msg = e->message[0] ? e->message : default_message(e->code);

	err = json_pack("{s:s, s:o, s:o}", "code", err_code_name(e->code),
			"message", valid_string(msg), "field",
			e->field[0] ? valid_string(e->field) : json_null());
	if (err && e->code == E_CONFLICT)
		json_object_set_new(err, "current_version",
				    json_integer(e->current_version));
	root = err ? json_pack("{s:o}", "error", err) : NULL;
	res_json(res, err_http_status(e->code), root);
}

/* res_redirect answers 303 See Other with an empty body, so that a browser
 * that posted a form GETs location. */
void res_redirect(struct response *res, const char *location)
{
	res->status = 303;
	buf_reset(&res->body);
	res_header(res, "Location", location);
}

void res_stream(struct response *res,
		int (*produce)(void *arg, res_write_fn write, void *warg),
		void *arg, void (*free_arg)(void *arg))
{
	struct res_stream *st = res->arena ? arena_alloc(res->arena, sizeof *st)
					   : NULL;

	if (!st) {
		free_arg(arg);
		res->body.oom = 1;
		return;
	}
	st->produce = produce;
	st->arg = arg;
	st->free_arg = free_arg;
	buf_reset(&res->body);
	res->stream = st;
}
