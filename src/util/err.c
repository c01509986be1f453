/* err.c: filling and naming errors. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum err_code err_set(struct err *e, enum err_code code, const char *field,
		      const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return code;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

const char *err_code_name(enum err_code code)
{
	switch (code) {
	case E_OK: return "ok";
	case E_NOMEM: return "out_of_memory";
	case E_BAD_REQUEST: return "bad_request";
	case E_INVALID: return "invalid";
	case E_NOT_FOUND: return "not_found";
	case E_CONFLICT: return "conflict";
	case E_TOO_LARGE: return "too_large";
	case E_MEDIA_TYPE: return "unsupported_media_type";
	case E_STORE: return "store_error";
	case E_IO: return "io_error";
	case E_UNAVAILABLE: return "unavailable";
	}
	return "error";
}

int err_http_status(enum err_code code)
{
	switch (code) {
	case E_OK: return 200;
	case E_BAD_REQUEST: return 400;
	case E_INVALID: return 422;
	case E_NOT_FOUND: return 404;
	case E_CONFLICT: return 409;
	case E_TOO_LARGE: return 413;
	case E_MEDIA_TYPE: return 415;
	case E_NOMEM:
	case E_STORE:
	case E_IO: return 500;
	case E_UNAVAILABLE: return 503;
	}
	return 500;
}
