/* harness.h: API tests start the real debrief binary ($DEBRIEF_BIN, else
 * ./debrief) on a free 127.0.0.1 port with a fresh SQLite file in a temp
 * directory, and speak HTTP to it with libcurl. */
#ifndef DEBRIEF_TEST_HARNESS_H
#define DEBRIEF_TEST_HARNESS_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

struct hs {
	pid_t pid;
	int port;
	char base[64];   /* "http://127.0.0.1:PORT" */
	char dir[256];   /* temp directory, removed by hs_cleanup */
	char db[320];    /* dir + "/test.db" */
	char log[320];   /* the server's stderr */
};

/* hs_start starts `debrief serve --db s->db --listen 127.0.0.1:PORT` plus
 * the NULL-terminated extra args, and waits (at most 10 s) until
 * GET /api/v1/health answers. Keeps s->dir and s->db when they are already
 * set (a restart on the same database). Returns 0 or -1. */
int hs_start(struct hs *s, const char *const *extra_args);
/* hs_prepare makes s->dir (a new temp directory) and s->db (dir/test.db,
 * or a database of DEBRIEF_TEST_PG) where they are not set yet, so that
 * a test can put files there before hs_start, which keeps them. 0 or -1. */
int hs_prepare(struct hs *s);
/* hs_write_conf writes text as s->dir/debrief.conf (hs_prepare first).
 * The server runs in s->dir, so it reads that file without --config; a
 * restart (hs_stop, hs_write_conf, hs_start) reads the new one. 0 or -1. */
int hs_write_conf(struct hs *s, const char *text);
/* hs_start_conf: hs_write_conf(s, conf), then hs_start(s, extra_args). */
int hs_start_conf(struct hs *s, const char *conf,
		  const char *const *extra_args);
/* hs_start_beside starts a second server b on a's database (a temp
 * directory and log of its own; several servers behind a load balancer).
 * Only for a database that several servers may share (PostgreSQL:
 * test_on_pg()). Returns 0 or -1. */
int hs_start_beside(struct hs *b, const struct hs *a,
		    const char *const *extra_args);
/* hs_stop sends SIGTERM and waits; returns the exit status (or -1). */
int hs_stop(struct hs *s);
/* hs_kill sends SIGKILL and reaps the process. */
void hs_kill(struct hs *s);
/* hs_cleanup removes the temp directory. */
void hs_cleanup(struct hs *s);

struct http_resp {
	long status;
	char *body;        /* NUL-terminated */
	size_t len;
	char *headers;     /* raw response headers */
	json_t *json;      /* parsed body when it is JSON, else NULL */
};

/* http_do sends one request to s->base + path. body may be NULL;
 * content_type NULL means "application/json" when body is set; headers is
 * a NULL-terminated list of "Name: value" lines or NULL. Returns 0 when a
 * response came back (whatever its status), -1 on transport errors. */
int http_do(struct hs *s, const char *method, const char *path,
	    const char *content_type, const char *body,
	    const char *const *headers, struct http_resp *out);
/* http_header returns a malloc'd copy of a response header's value or NULL. */
char *http_header(const struct http_resp *r, const char *name);
void http_resp_free(struct http_resp *r);

/* Short forms: JSON in (may be NULL), status out, parsed JSON in r. */
int http_get(struct hs *s, const char *path, struct http_resp *r);
int http_json(struct hs *s, const char *method, const char *path,
	      const char *json_body, struct http_resp *r);
/* http_form posts application/x-www-form-urlencoded (already encoded). */
int http_form(struct hs *s, const char *path, const char *form_body,
	      struct http_resp *r);

#endif
