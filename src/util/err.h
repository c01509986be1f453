/* err.h: the one error type. Functions return an enum err_code and, where
 * a user should read something, fill a struct err with the field and a message. */
#ifndef DEBRIEF_ERR_H
#define DEBRIEF_ERR_H

#include <stdint.h>

enum err_code {
	E_OK = 0,
	E_NOMEM,       /* allocation failed (500) */
	E_BAD_REQUEST, /* malformed input: bad JSON, bad UTF-8, wrong type (400) */
	E_INVALID,     /* well-formed but breaks a model rule (422) */
	E_NOT_FOUND,   /* no such record or route (404) */
	E_CONFLICT,    /* stale version (409) */
	E_TOO_LARGE,   /* body over the limit (413) */
	E_MEDIA_TYPE,  /* unsupported Content-Type (415) */
	E_STORE,       /* the database failed (500) */
	E_IO,          /* a file could not be read or written */
	E_UNAVAILABLE, /* the database is away for now: try again (503) */
};

struct err {
	enum err_code code;
	char field[64];   /* the input field at fault, "" when none */
	char message[256];
	int64_t current_version; /* with E_CONFLICT: the version that is current */
};

/* err_set fills e (which may be NULL) and returns code, so that callers can
 * write `return err_set(e, E_INVALID, "title", "title is required");`. */
enum err_code err_set(struct err *e, enum err_code code, const char *field,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* err_clear resets e to E_OK with empty field and message. */
void err_clear(struct err *e);

/* err_code_name gives a stable lower-case name ("not_found") for JSON. */
const char *err_code_name(enum err_code code);

/* err_http_status maps a code to its HTTP status. */
int err_http_status(enum err_code code);

#endif
