/* http.h: what handlers see of a request and fill in of a response. The
 * server (server.c, libmicrohttpd) builds a request, the router (router.c)
 * finds the handler by method and path, the handler fills the response. */
#ifndef DEBRIEF_HTTP_H
#define DEBRIEF_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "http/cache.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

/* Everything a handler may reach that lives longer than a request. */
struct app {
	struct store *store;
	const struct config *cfg;
	struct page_cache *cache; /* pages and JSON by version; may be NULL */
	int users_exist; /* atomic; set once a user is seen. Users are never
			  * deleted (only disabled), so it never goes back */
	/* the server secret (settings table, shared by every server of the
	 * database) that keys the CSRF tokens of users without a session;
	 * loaded by auth_secret_load (csrf.c) */
	unsigned char secret[32];
	int secret_ready; /* atomic; 1 once secret is loaded */
};

/* How the request's user was found (session_current_user). */
enum auth_via {
	AUTH_VIA_NONE = 0, /* nobody signed in */
	AUTH_VIA_LOCAL,	   /* the anonymous local admin (no accounts) */
	AUTH_VIA_PROXY,	   /* the trusted proxy's user header */
	AUTH_VIA_TOKEN,	   /* an API token (Authorization: Bearer) */
	AUTH_VIA_COOKIE,   /* a session cookie */
};

struct kv {
	const char *key;
	const char *value;
};

/* A file part of a multipart/form-data body (routes that take files). */
struct req_file {
	const char *name;     /* the form field */
	const char *filename; /* as the browser sent it; "" when none */
	const char *data;     /* into the request's body; not NUL-terminated */
	size_t len;
};

#define REQ_MAX_PARAMS 4

struct request {
	struct app *app;
	struct arena *arena;     /* freed when the response has been queued */
	const char *method;      /* "GET", "POST", ... */
	const char *path;        /* decoded path, without the query */
	const char *body;        /* NUL-terminated; "" when none */
	size_t body_len;
	const char *params[REQ_MAX_PARAMS]; /* from {..} segments of the route */
	const char *route;       /* the matched route's pattern, for metrics
				  * and logs; NULL when none matched */
	size_t nparams;
	const char *user;        /* who is asking: from session_current_user */
	void *conn;              /* struct MHD_Connection *, for header lookups */
	struct kv *form;         /* parsed on first req_form_get */
	size_t nform;
	int form_parsed;         /* 1 parsed, -1 a field was not UTF-8,
				  * -2 multipart/form-data (no route takes
				  * file uploads yet: 415) */
	/* without conn (unit tests, tools): headers and query arguments
	 * that req_header and req_query read instead */
	const struct kv *headers;
	size_t nheaders;
	const struct kv *query;
	size_t nquery;
	/* filled by session_current_user with user */
	int role;                /* enum role (store.h): what user may do */
	const char *groups;      /* user's groups as JSON list text, or "[]" */
	const char *time_zone;   /* user's own zone name; NULL or "": the
				  * config's (web/zone.c) */
	int auth_resolved;       /* 1 once session_current_user has run */
	int auth_via;            /* enum auth_via: how user was found */
	int read_scope;          /* 1: a read-scope API token, which may
				  * change nothing (session_may_write) */
	/* set by session_current_user when the credentials themselves are
	 * malformed (two proxy user headers, a proxy-given name with a
	 * control character): the server answers 400 with this message */
	const char *auth_refused;
	/* the session could not be read: the database is away (E_UNAVAILABLE);
	 * the server answers 503 without dispatching */
	int store_unavailable;
	/* the file parts of a multipart body (req_multipart_parse) */
	struct req_file *files;
	size_t nfiles;
};

#define RES_MAX_HEADERS 12

struct response {
	int status;
	const char *content_type; /* default "text/html; charset=utf-8" */
	struct buf body;
	struct kv headers[RES_MAX_HEADERS];
	size_t nheaders;
	struct arena *arena; /* the request's arena (set by the server): when
			      * set, res_header copies name and value into it */
	/* res_stream: the body is made after the handler returns */
	struct res_stream *stream;
};

/* A streamed body (res_stream): produce writes it piece by piece through
 * write (which blocks while the client is behind, and returns -1 once it
 * is gone), on a thread of its own while the server sends what is
 * written, so memory stays flat whatever the size. arg must not point
 * into the request's arena (the request may end first, on a client that
 * went away); free_arg releases it after produce returns. */
typedef int (*res_write_fn)(const char *data, size_t len, void *warg);
struct res_stream {
	int (*produce)(void *arg, res_write_fn write, void *warg);
	void *arg;
	void (*free_arg)(void *arg);
};

typedef void (*handler_fn)(struct request *req, struct response *res);

/* request.c */
/* req_query returns the decoded query argument (first one) or NULL. */
const char *req_query(struct request *req, const char *name);
/* req_header returns a request header or NULL (case-insensitive). */
const char *req_header(struct request *req, const char *name);
/* req_header_all joins every value of header name with ", " (in the
 * order sent; the arena's), or NULL when it was not sent. */
const char *req_header_all(struct request *req, const char *name);
/* req_header_count tells how many times header name was sent. */
size_t req_header_count(struct request *req, const char *name);
/* req_param_id parses route parameter i as a positive id; 0 when it is
 * not one. */
int64_t req_param_id(struct request *req, size_t i);
/* req_form_get returns the first value of an application/x-www-form-
 * urlencoded body field, or NULL; req_form_all lists every pair in order
 * (repeated keys kept). Values are checked to be UTF-8. A multipart body
 * gives no fields and form_parsed -2 (the server answers 415). */
const char *req_form_get(struct request *req, const char *name);
size_t req_form_all(struct request *req, struct kv **out);
/* req_multipart_parse reads a multipart/form-data body, for the routes
 * that take files (router_takes_files): its text parts become form fields
 * (UTF-8 checked, as for urlencoded forms) and its file parts req->files.
 * form_parsed becomes 1, or -1 when the body is malformed or a field is
 * not UTF-8. req_file_get finds the first file part of field name. */
void req_multipart_parse(struct request *req);
const struct req_file *req_file_get(struct request *req, const char *name);
/* req_json parses the body: E_MEDIA_TYPE unless the Content-Type is
 * application/json, E_BAD_REQUEST for invalid UTF-8 or JSON (the message
 * gives line and column) or a top level that is not an object. The json_t
 * is released with the request's arena. */
enum err_code req_json(struct request *req, json_t **out, struct err *e);
/* req_if_match reads a version from an If-Match header ("3" or "\"3\"");
 * 0 when absent, -1 when malformed. */
int64_t req_if_match(struct request *req);

/* response.c */
void res_header(struct response *res, const char *name, const char *value);
/* res_header_set replaces every header called name (any case) by one. */
void res_header_set(struct response *res, const char *name,
		    const char *value);
/* res_json serialises j (and releases it) with the given status. */
void res_json(struct response *res, int status, json_t *j);
/* res_error_json writes {"error": {"code", "message", "field"}} with the
 * status of e->code; a conflict also carries "current_version". */
void res_error_json(struct response *res, const struct err *e);
/* res_stream makes the body of res (status and headers as set) the
 * output of produce(arg, ...) (struct res_stream); sent chunked. On oom
 * free_arg(arg) is called and the answer is 500. */
void res_stream(struct response *res,
		int (*produce)(void *arg, res_write_fn write, void *warg),
		void *arg, void (*free_arg)(void *arg));
/* res_redirect answers 303 See Other to location. */
void res_redirect(struct response *res, const char *location);

/* router.c */
/* router_dispatch finds the route for req->method and req->path, fills
 * req->params and calls its handler; no route gives the 404 page (or a
 * JSON 404 under /api/), a known path with another method gives 405. */
void router_dispatch(struct request *req, struct response *res);
/* router_match is the lookup of router_dispatch without the call: the
 * handler for req->method and req->path (req->params filled), or NULL. When
 * the path is a route under other methods only, allow gets them ("GET,
 * HEAD, POST"); otherwise allow is "". */
handler_fn router_match(struct request *req, char *allow, size_t allowlen);
/* request_as readies req and res for a call inside the process (unit
 * tests, bench/): method and path looked up in the route table (req->params
 * and req->route filled), signed in as user with role and groups (JSON
 * list text) by an API token, so no read is noted and no CSRF token is
 * asked. Returns the route's handler, or NULL when no route matches. */
handler_fn request_as(struct request *req, struct response *res,
		      struct app *app, struct arena *a, const char *method,
		      const char *path, const char *user, int role,
		      const char *groups);
/* router_body_limit is how many body bytes a request to method and path
 * may send: its route's own limit capped by max_body (the config's, which
 * is also the limit of routes that name none); 0 for GET and HEAD, which
 * take no body (one is refused with 413); a small limit when no route
 * matches (the 404 or 405 still gets through). */
size_t router_body_limit(const char *method, const char *path,
			 size_t max_body);
/* router_takes_files tells whether the route of method and path accepts a
 * multipart/form-data body (file uploads); every other route answers one
 * with 415. */
int router_takes_files(const char *method, const char *path);

/* session.c */
/* session_current_user is the one place that says who is asking, and
 * fills req->role and req->groups (once; later calls return the same).
 * In order: the trusted proxy's user header (proxy_user_header, only from
 * a trusted_proxies address; an unknown name becomes a new reader; the
 * name is trimmed, and a repeated header or a name with a control
 * character sets req->auth_refused), a
 * bearer API token (a read token acts as a reader), the session cookie.
 * With no user in the store and no proxy configured everyone is the
 * anonymous local admin (config anonymous_user). NULL and ROLE_NONE when
 * nobody is signed in. */
const char *session_current_user(struct request *req);
/* session_require is the permission check of the router: 1 when req's
 * role reaches min_role; else it answers (401 JSON or a 303 to /login when
 * nobody is signed in, 403 otherwise) and returns 0. */
int session_require(struct request *req, struct response *res, int min_role);
/* session_may_write is the scope check of the router for a route that
 * changes state: 1 unless req came with a read-scope API token, which is
 * answered 403 (the one error shape) whatever its user's role, so that a
 * token handed to a dashboard or a CI job that only reads cannot comment,
 * change a setting or make a calendar token. */
int session_may_write(struct request *req, struct response *res);

/* server.c */
struct server;
/* server_start listens on cfg->listen with a thread pool (epoll). */
enum err_code server_start(struct app *app, struct server **out,
			   struct err *e);
/* server_stop stops accepting, lets in-flight requests finish, returns. */
void server_stop(struct server *srv);

#endif
