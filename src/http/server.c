/* server.c: the HTTP server on libmicrohttpd: a thread per connection
 * reads each request into a per-request arena, hands it to the router and
 * writes the response back with the baseline security headers. At most
 * `threads` requests are in their handlers at once; the others wait at a
 * gate in order of arrival (handler_gate_enter). So a slow handler (a
 * render, a wait for the database lock) holds up no other connection
 * while the gate has room; in libmicrohttpd's thread pool, each thread
 * serving the connections it accepted (up to 10 at a time), it held up
 * every connection on its thread (issue 21).
 *
 * libmicrohttpd calls on_access several times per request: once with the
 * headers, once per chunk of body, once more when the body is complete. We
 * always answer on a later call than the first: a response queued on the
 * first call makes libmicrohttpd close the connection (no keep-alive).
 * The one exception is a body announced larger than its route's limit
 * (router_body_limit), which is refused at once, before it is read.
 *
 * Limits against hostile or slow clients (README "Request limits"): the
 * request line and headers must fit in max_header bytes (libmicrohttpd
 * answers 431 or closes), a silent connection is closed after
 * idle_timeout, one that has not sent its whole request within
 * request_timeout is cut (deadline.c), and at most max_connections (and
 * max_connections_per_ip) are open at once.
 *
 * Refused with 400 on the first call, before any body is read (README
 * "Security"): a Host this server does not answer to (DNS rebinding), two
 * Content-Length headers or Content-Length with Transfer-Encoding
 * (request smuggling; the connection is closed), a method that is not an
 * HTTP token. Answers for a signed-in person get Cache-Control: private,
 * no-store. */
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/auth.h"
#include "http/deadline.h"
#include "util/log.h"
#include "util/metrics.h"
#include "util/utf8.h"
#include "util/wait.h"
#include "web/web.h"

#define DRAIN_SECONDS 10
/* The fewest requests in their handlers at once when threads = 0 (see
 * server_start). */
#define SERVER_MIN_THREADS 8
/* A chunked body over the limit is read and thrown away (so that the 413
 * can be sent); past this many times the limit (at least DISCARD_MIN
 * bytes) the connection is cut. */
#define DISCARD_FACTOR 16
#define DISCARD_MIN    (64 * 1024)

/* A request waiting at the handler gate, on its own condition, so that a
 * place that frees wakes only the request that takes it. */
struct gate_waiter {
	pthread_cond_t cv;
	struct gate_waiter *next;
	int go; /* it has a place */
};

struct gate_line {
	struct gate_waiter *head, *tail;
};

struct server {
	struct MHD_Daemon *daemon;
	struct app *app;
	struct deadline *deadline; /* request_timeout's watchdog */
	int listen_fd;
	/* the Host header names answered (host_allowed) */
	char public_host[256]; /* config_public_host; "" none */
	int loopback;	       /* listening on a loopback address */
	pthread_mutex_t lock;
	pthread_cond_t idle;
	/* requests between their first call and their end */
	int inflight;
	/* set by server_stop: responses carry Connection: close */
	atomic_int stopping;
	/* threads making a streamed body (res_stream) */
	int streams;
	/* the handler gate, under gate_lock (see handler_gate_enter) */
	pthread_mutex_t gate_lock;
	int gate_in;		  /* requests in their handlers, out of waits */
	int gate_room;		  /* `threads` */
	int gate_closed;	  /* server_stop: waiters give up */
	struct gate_line arrived; /* new requests, in order of arrival */
	struct gate_line back;	  /* requests back from a wait (gate_back) */
};

/* One request in progress, libmicrohttpd's *con_cls. */
#define REQUEST_ID_MAX 65

struct exchange {
	struct server *srv;
	struct arena *arena;
	struct buf body;
	size_t limit;	  /* body bytes this request's route takes */
	size_t discarded; /* bytes of an over-long chunked body thrown away */
	int too_large;
	const char *refused; /* why the framing is refused (400), or NULL */
	const char *bad_host; /* why the Host is refused (400), or NULL */
	struct timespec start; /* when the request's headers were in */
	char id[REQUEST_ID_MAX]; /* X-Request-Id of the answer and log */
};

static const struct kv security_headers[] = {
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; "
	 "img-src 'self' data:; frame-ancestors 'none'; object-src 'none'; "
	 "base-uri 'none'; form-action 'self'"},
	{"Permissions-Policy",
	 "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
};

/* Retry-After of a 503, in seconds: a restarted or promoted database is
 * usually back within a few. */
#define RETRY_AFTER "5"

static int has_header(const struct response *res, const char *name)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (!strcasecmp(res->headers[i].key, name))
			return 1;
	return 0;
}

static void inflight_add(struct server *srv, int delta)
{
	pthread_mutex_lock(&srv->lock);
	srv->inflight += delta;
	if (srv->inflight == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
}

static int is_api(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api");
}

/* fail answers with the one error shape of the path's side: JSON under
 * /api/, the HTML error page elsewhere. */
static void fail(struct request *req, struct response *res, enum err_code code,
		 const char *message)
{
	struct err e;

	if (is_api(req->path)) {
		err_set(&e, code, "", "%s", message);
		res_error_json(res, &e);
	} else {
		web_error_page(req, res, err_http_status(code), message);
		res->status = err_http_status(code);
	}
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	int *ok = cls;

	if (!utf8_valid(key, strlen(key), NULL) ||
	    (value && !utf8_valid(value, strlen(value), NULL))) {
		*ok = 0;
		return MHD_NO;
	}
	return MHD_YES;
}

/* target_is_utf8 checks the decoded path and every query argument. */
static int target_is_utf8(struct MHD_Connection *conn, const char *url)
{
	int ok = 1;

	if (!utf8_valid(url, strlen(url), NULL))
		return 0;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, check_arg, &ok);
	return ok;
}

/* A streamed body: produced on a thread into a pipe that libmicrohttpd
 * reads and sends (chunked). The pipe's buffer bounds the memory; a
 * client that reads slowly blocks the producer, one that goes away makes
 * its writes fail (EPIPE; SIGPIPE is ignored), and it stops. */
struct streamer {
	struct server *srv;
	struct res_stream st;
	int fd;
};

static int pipe_write(const char *data, size_t len, void *warg)
{
	struct streamer *s = warg;

	while (len) {
		ssize_t n = write(s->fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static void *stream_main(void *arg)
{
	struct streamer *s = arg;
	struct server *srv = s->srv;

	s->st.produce(s->st.arg, pipe_write, s);
	close(s->fd);
	s->st.free_arg(s->st.arg);
	free(s);
	pthread_mutex_lock(&srv->lock);
	if (--srv->streams == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

/* stream_response starts res->stream's producer and gives the response
 * that sends its output; NULL (the producer's argument freed) when it
 * cannot. */
static struct MHD_Response *stream_response(struct server *srv,
					    struct response *res)
{
	struct streamer *s = malloc(sizeof *s);
	struct MHD_Response *r = NULL;
	pthread_attr_t attr;
	pthread_t t;
	int fds[2] = {-1, -1};

	if (!s || pipe2(fds, O_CLOEXEC) < 0)
		goto fail;
	s->srv = srv;
	s->st = *res->stream;
	s->fd = fds[1];
	if (!(r = MHD_create_response_from_pipe(fds[0])))
		goto fail;
	fds[0] = -1; /* libmicrohttpd closes it */
	pthread_mutex_lock(&srv->lock);
	srv->streams++;
	pthread_mutex_unlock(&srv->lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, stream_main, s) != 0) {
		pthread_attr_destroy(&attr);
		pthread_mutex_lock(&srv->lock);
		srv->streams--;
		pthread_mutex_unlock(&srv->lock);
		MHD_destroy_response(r);
		r = NULL;
		goto fail;
	}
	pthread_attr_destroy(&attr);
	return r;
fail:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	free(s);
	res->stream->free_arg(res->stream->arg);
	return NULL;
}

/* queue turns res into an MHD response (the body buffer is handed over)
 * and queues it. */
static enum MHD_Result queue(struct server *srv, struct MHD_Connection *conn,
			     struct response *res)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = res->body.len;
	char *data = NULL;

	if (res->body.oom) {
		if (res->stream)
			res->stream->free_arg(res->stream->arg);
		res->stream = NULL;
		buf_release(&res->body);
		res->status = 500;
		res->content_type = "text/plain; charset=utf-8";
		res->nheaders = 0;
		buf_puts(&res->body, "out of memory\n");
		len = res->body.len;
	}
	if (res->stream) {
		r = stream_response(srv, res);
		res->stream = NULL;
		if (!r)
			return MHD_NO;
	} else {
		if (len && !(data = buf_detach(&res->body)))
			return MHD_NO;
		r = MHD_create_response_from_buffer(len, data,
						    MHD_RESPMEM_MUST_FREE);
		if (!r) {
			free(data);
			return MHD_NO;
		}
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				res->content_type ? res->content_type
						  : "text/html; charset=utf-8");
	for (size_t i = 0;
	     i < sizeof security_headers / sizeof *security_headers; i++)
		MHD_add_response_header(r, security_headers[i].key,
					security_headers[i].value);
	for (size_t i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->headers[i].key,
					res->headers[i].value);
	/* every 503 (the database away, a server draining) says when to
	 * come back, unless its handler said so already */
	if (res->status == 503 && !has_header(res, "Retry-After"))
		MHD_add_response_header(r, "Retry-After", RETRY_AFTER);
	/* browsers heed it only over HTTPS, which cookie_secure says the
	 * site is served over (behind a TLS proxy) */
	if (srv->app->cfg->cookie_secure)
		MHD_add_response_header(r, "Strict-Transport-Security",
					"max-age=31536000");
	if (atomic_load(&srv->stopping))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* conn_deadline is the deadline.c record of conn (NULL when unwatched). */
static struct deadline_conn *conn_deadline(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* too_large_message says which limit the body broke; to a web form
 * (not under /api/), that nothing was saved and where its text still is:
 * the body was never read, so the page cannot give it back. */
static void too_large_message(char *msg, size_t n, const char *method,
			      const char *url, size_t limit)
{
	if (limit == 0)
		snprintf(msg, n, "a %s request here takes no body", method);
	else if (!is_api(url))
		snprintf(msg, n,
			 "Nothing was saved: the form is larger than the "
			 "%zu KiB it may hold, so it was not read. Go back "
			 "to it (the browser's Back button keeps what you "
			 "typed, in most browsers) and shorten it.",
			 limit / 1024);
	else
		snprintf(msg, n,
			 "the request body is larger than the limit of %zu "
			 "bytes for this address",
			 limit);
}

/* method_is_token tells whether method is an HTTP token (RFC 9110 section
 * 5.6.2): no spaces, control characters or bytes past ASCII. */
static int method_is_token(const char *method)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if (!*method)
		return 0;
	for (const char *p = method; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || (c && strchr(extra, c))))
			return 0;
	}
	return 1;
}

/* has_control tells whether s holds a control character (a decoded %0A
 * in the path, say): no route has one, and it must not reach a log. */
static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* host_name copies the name of a Host header value (without the port; an
 * IPv6 address keeps its brackets; lower case, one trailing dot dropped)
 * into out; -1 when it does not fit or is malformed. */
static int host_name(const char *host, char *out, size_t n)
{
	size_t len, i;

	if (*host == '[') {
		const char *end = strchr(host, ']');

		if (!end)
			return -1;
		len = (size_t)(end - host) + 1;
		if (end[1] && end[1] != ':')
			return -1;
	} else {
		len = strcspn(host, ":");
	}
	if (len && host[len - 1] == '.')
		len--;
	if (len == 0 || len >= n)
		return -1;
	for (i = 0; i < len; i++) {
		char c = host[i];

		out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[len] = '\0';
	return 0;
}

/* host_allowed is the defence against DNS rebinding: a page of another
 * site whose name the attacker points at this server's address reaches
 * it with its own name in Host. Only public_url's host is answered, and
 * the loopback names when listening on loopback. Without public_url and
 * beyond loopback every name is answered (server_start warns). */
static int host_allowed(const struct server *srv, const char *host)
{
	static const char *const loopback[] = {"localhost", "127.0.0.1",
					       "[::1]"};
	char name[256];

	if (host_name(host, name, sizeof name) < 0)
		return 0;
	if (srv->public_host[0] && !strcmp(name, srv->public_host))
		return 1;
	if (srv->loopback) {
		for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++)
			if (!strcmp(name, loopback[i]))
				return 1;
		return 0;
	}
	return !srv->public_host[0];
}

/* host_refused says why the Host header is refused (400), or NULL. An
 * HTTP/1.1 request must carry exactly one (RFC 9112 section 3.2); an
 * HTTP/1.0 one without any comes from no browser and passes. */
static const char *host_refused(const struct server *srv,
				struct MHD_Connection *conn,
				const char *version)
{
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_HOST);

	if (!host)
		return strcmp(version, MHD_HTTP_VERSION_1_0) != 0
			       ? "an HTTP/1.1 request needs a Host header"
			       : NULL;
	if (!host_allowed(srv, host))
		return "this server does not answer to the host name in the "
		       "Host header (only to its public_url and, listening "
		       "on loopback, to localhost and 127.0.0.1)";
	return NULL;
}

/* is_personal tells whether the answer to req is for one signed-in
 * person (a session, a token or the proxy's user; not the anonymous local
 * admin): then no shared cache may keep it and the browser should not
 * store it. Static files are the same for everyone. */
static int is_personal(const struct request *req)
{
	return req->user &&
	       (req->auth_via == AUTH_VIA_COOKIE ||
		req->auth_via == AUTH_VIA_TOKEN ||
		req->auth_via == AUTH_VIA_PROXY) &&
	       strncmp(req->path, "/static/", 8) != 0;
}

/* request_id takes the client's X-Request-Id when it is a plain token
 * of 1 to 64 characters (a proxy's id then runs through both logs), or
 * makes a new one of 16 hex digits. */
static void request_id(struct MHD_Connection *conn, char id[REQUEST_ID_MAX])
{
	const char *in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     "X-Request-Id");
	size_t n = in ? strlen(in) : 0;
	char hex[AUTH_HEX];

	if (n > 0 && n < REQUEST_ID_MAX &&
	    strspn(in, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789._-") == n) {
		memcpy(id, in, n + 1);
		return;
	}
	auth_random_hex(hex);
	memcpy(id, hex, 16);
	id[16] = '\0';
}

/* account counts an answered request in the metrics and writes its log
 * line: always for a 5xx, for every request with access_log on. */
static void account(struct exchange *x, struct request *req, int status,
		    size_t bytes, const char *method, const char *url)
{
	struct timespec now;
	double secs;
	char st[8], ms[32], len[24];

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - x->start.tv_sec) +
	       (double)(now.tv_nsec - x->start.tv_nsec) / 1e9;
	metrics_request(method_is_token(method) ? method : "OTHER",
			req->route ? req->route : "unmatched", status, secs);
	if (status < 500 && !x->srv->app->cfg->access_log)
		return;
	snprintf(st, sizeof st, "%d", status);
	snprintf(ms, sizeof ms, "%.3f", secs * 1000);
	snprintf(len, sizeof len, "%zu", bytes);
	{
		const struct log_field f[] = {
			{"id", x->id},
			{"method", method_is_token(method) ? method : "?"},
			{"path", url},
			{"route", req->route},
			{"status", st},
			{"duration_ms", ms},
			{"bytes", len},
			{"user", req->user},
			{"peer", auth_peer_address(req)},
		};

		log_fields(status >= 500 ? LOG_WARN : LOG_INFO, "request", f,
			   sizeof f / sizeof f[0]);
	}
}

static void line_add(struct gate_line *l, struct gate_waiter *w)
{
	w->next = NULL;
	if (l->tail)
		l->tail->next = w;
	else
		l->head = w;
	l->tail = w;
}

static struct gate_waiter *line_take(struct gate_line *l)
{
	struct gate_waiter *w = l->head;

	if (w) {
		l->head = w->next;
		if (!l->head)
			l->tail = NULL;
	}
	return w;
}

/* gate_admit gives the free places to the first in line, those back from
 * a wait first; each woken alone. Under gate_lock. */
static void gate_admit(struct server *srv)
{
	struct gate_waiter *w;

	while (srv->gate_in < srv->gate_room &&
	       ((w = line_take(&srv->back)) ||
		(w = line_take(&srv->arrived)))) {
		srv->gate_in++;
		w->go = 1;
		pthread_cond_signal(&w->cv);
	}
}

/* gate_wait queues w on l and waits for a place; under gate_lock. 0 with
 * the place; -1 when the server stops meanwhile and stop is set (the
 * waiter is then out of the line). */
static int gate_wait(struct server *srv, struct gate_line *l, int stop)
{
	struct gate_waiter w = {.go = 0};

	pthread_cond_init(&w.cv, NULL);
	line_add(l, &w);
	while (!w.go && !(stop && srv->gate_closed))
		pthread_cond_wait(&w.cv, &srv->gate_lock);
	pthread_cond_destroy(&w.cv);
	return w.go ? 0 : -1;
}

/* handler_gate_enter waits, in order of arrival, until fewer than
 * `threads` requests are in their handlers; -1 (and nothing to leave)
 * when the server stops meanwhile. A request that waits for the store's
 * write turn is out of the count meanwhile (gate_out, gate_back): a line
 * of saves holds up no cheap request (issue 21). */
static int handler_gate_enter(struct server *srv)
{
	int rc = 0;

	pthread_mutex_lock(&srv->gate_lock);
	if (srv->gate_in < srv->gate_room && !srv->back.head &&
	    !srv->arrived.head)
		srv->gate_in++;
	else if (srv->gate_closed)
		rc = -1;
	else
		rc = gate_wait(srv, &srv->arrived, 1);
	pthread_mutex_unlock(&srv->gate_lock);
	return rc;
}

/* gate_out gives up the calling request's place while it waits (the
 * server's wait hook, util/wait.h: the store's line of writes). */
static void gate_out(void *arg)
{
	struct server *srv = arg;

	pthread_mutex_lock(&srv->gate_lock);
	srv->gate_in--;
	gate_admit(srv);
	pthread_mutex_unlock(&srv->gate_lock);
}

/* gate_back takes a place again for a request back from a wait, before
 * any new arrival: it came before every request still waiting at the
 * gate (it had a place), so that is still their order of arrival; and it
 * may hold the write turn, which every save waits for. A stopping server
 * lets it in at once: it is in the middle of its handler. */
static void gate_back(void *arg)
{
	struct server *srv = arg;

	pthread_mutex_lock(&srv->gate_lock);
	if ((srv->gate_in < srv->gate_room && !srv->back.head) ||
	    srv->gate_closed)
		srv->gate_in++;
	else
		(void)gate_wait(srv, &srv->back, 0);
	pthread_mutex_unlock(&srv->gate_lock);
}

static void handler_gate_leave(struct server *srv)
{
	pthread_mutex_lock(&srv->gate_lock);
	srv->gate_in--;
	gate_admit(srv);
	pthread_mutex_unlock(&srv->gate_lock);
}

/* gate_close wakes every request waiting at the gate: new ones give up,
 * those back from a wait go in. */
static void gate_close(struct server *srv)
{
	struct gate_waiter *w;

	pthread_mutex_lock(&srv->gate_lock);
	srv->gate_closed = 1;
	while ((w = line_take(&srv->arrived)))
		pthread_cond_signal(&w->cv);
	while ((w = line_take(&srv->back))) {
		srv->gate_in++;
		w->go = 1;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&srv->gate_lock);
}

/* answer builds the request, lets the router fill the response and
 * queues it. */
static enum MHD_Result answer(struct exchange *x, struct MHD_Connection *conn,
			      const char *url, const char *method)
{
	struct server *srv = x->srv;
	struct request req;
	struct response res;
	enum MHD_Result ret;
	char msg[256];

	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	req.app = srv->app;
	req.arena = x->arena;
	req.method = method;
	req.path = url;
	req.body = buf_cstr(&x->body);
	req.body_len = x->body.len;
	req.conn = conn;
	req.user = session_current_user(&req);
	res.status = 200;
	res.arena = x->arena;

	deadline_conn_answered(conn_deadline(conn));
	if (!method_is_token(method)) {
		/* the path decides the error's shape; the method is not
		 * echoed anywhere */
		req.method = "GET";
		fail(&req, &res, E_BAD_REQUEST,
		     "the request method is not a valid HTTP method");
	} else if (x->refused) {
		fail(&req, &res, E_BAD_REQUEST, x->refused);
		/* whatever follows on this connection cannot be trusted */
		res_header(&res, "Connection", "close");
	} else if (x->bad_host) {
		fail(&req, &res, E_BAD_REQUEST, x->bad_host);
	} else if (req.auth_refused) {
		fail(&req, &res, E_BAD_REQUEST, req.auth_refused);
	} else if (req.store_unavailable && !is_api(url) &&
		   !strcmp(method, "POST")) {
		/* who sent it cannot be told, so nothing is saved; what
		 * they typed in the form comes back (a tracker's webhook,
		 * /hooks/..., gets this page too: still a 503 with
		 * Retry-After, which is all it reads) */
		web_form_refused(&req, &res, 503, "Nothing was saved",
				 "The database is unavailable for the moment, "
				 "so nothing was saved; please try again "
				 "shortly.");
	} else if (req.store_unavailable) {
		fail(&req, &res, E_UNAVAILABLE,
		     "the database is unavailable; try again in a moment");
	} else if (x->too_large) {
		too_large_message(msg, sizeof msg, method, url, x->limit);
		fail(&req, &res, E_TOO_LARGE, msg);
	} else if (!target_is_utf8(conn, url)) {
		fail(&req, &res, E_BAD_REQUEST,
		     "the path or query is not valid UTF-8");
	} else if (has_control(url)) {
		fail(&req, &res, E_BAD_REQUEST,
		     "the path holds a control character");
	} else {
		struct kv *form;

		req_form_all(&req, &form);
		if (req.form_parsed == -2 && router_takes_files(method, url))
			req_multipart_parse(&req);
		if (req.form_parsed == -2)
			fail(&req, &res, E_MEDIA_TYPE,
			     "file uploads (multipart/form-data) are not "
			     "accepted here; send the form as "
			     "application/x-www-form-urlencoded");
		else if (req.form_parsed < 0)
			fail(&req, &res, E_BAD_REQUEST,
			     "the form data is not valid UTF-8");
		else
			router_dispatch(&req, &res);
	}
	/* every HTML answer, error pages included, gets its per-user parts
	 * (CSRF token, who is signed in, editor blocks) here */
	web_personalize(&req, &res);
	if (is_personal(&req))
		res_header_set(&res, "Cache-Control", "private, no-store");
	request_id(conn, x->id);
	res_header(&res, "X-Request-Id", x->id);
	ret = queue(srv, conn, &res);
	account(x, &req, res.status, res.body.len, method, url);
	buf_release(&res.body);
	return ret;
}

struct framing {
	int content_length;    /* Content-Length headers seen */
	int transfer_encoding; /* Transfer-Encoding headers seen */
	int bad_length;	       /* a Content-Length that is not digits */
	int host;	       /* Host headers seen */
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	struct framing *f = cls;

	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		f->content_length++;
		if (!value || !*value ||
		    strspn(value, "0123456789") != strlen(value))
			f->bad_length = 1;
	} else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		f->transfer_encoding++;
	} else if (!strcasecmp(key, MHD_HTTP_HEADER_HOST)) {
		f->host++;
	}
	return MHD_YES;
}

/* framing_refused says why the body's length is ambiguous, or NULL. Two
 * Content-Length headers, or Content-Length with Transfer-Encoding, are
 * what request smuggling needs: a proxy in front may take the other
 * reading, and the bytes one side takes for a body the other serves as a
 * second request (RFC 9112 section 6.3). */
static const char *framing_refused(struct MHD_Connection *conn)
{
	struct framing f = {0, 0, 0, 0};

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.content_length > 1)
		return "the request has more than one Content-Length header";
	if (f.content_length && f.transfer_encoding)
		return "the request has both Content-Length and "
		       "Transfer-Encoding";
	if (f.transfer_encoding > 1)
		return "the request has more than one Transfer-Encoding header";
	if (f.bad_length)
		return "the Content-Length header is not a number";
	/* which one a proxy in front routed by is anyone's guess */
	if (f.host > 1)
		return "the request has more than one Host header";
	return NULL;
}

/* gated_answer answers the request once it has a handler place. Every
 * answer takes one, refusals before the body included: answer looks up
 * the session (a store read, a write for a touch), and `threads` bounds
 * the requests doing store work at once (each may hold a database
 * connection). The request is in: request_timeout no longer runs, also
 * while it waits at the gate. */
static enum MHD_Result gated_answer(struct exchange *x,
				    struct MHD_Connection *conn,
				    const char *url, const char *method)
{
	struct wait_hook hook = {gate_out, gate_back, x->srv};
	enum MHD_Result ret;

	deadline_conn_answered(conn_deadline(conn));
	if (handler_gate_enter(x->srv) < 0)
		return MHD_NO; /* stopping: the connection is closed */
	wait_hook_set(&hook);
	ret = answer(x, conn, url, method);
	if (!wait_hook_set(NULL)) /* out of a wait: it has no place */
		handler_gate_leave(x->srv);
	return ret;
}

/* announced_too_large tells whether Content-Length is over the limit. */
static int announced_too_large(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long n;
	char *end;

	if (!cl)
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno == ERANGE || (end != cl && n > max);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn,
				 const char *url, const char *method,
				 const char *version, const char *upload_data,
				 size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct exchange *x = *con_cls;

	if (!x) {
		x = calloc(1, sizeof *x);
		if (!x)
			return MHD_NO;
		x->arena = arena_new();
		if (!x->arena) {
			free(x);
			return MHD_NO;
		}
		x->srv = srv;
		clock_gettime(CLOCK_MONOTONIC, &x->start);
		*con_cls = x;
		inflight_add(srv, 1);
		x->limit =
			router_body_limit(method, url, srv->app->cfg->max_body);
		x->refused = framing_refused(conn);
		x->bad_host = host_refused(srv, conn, version);
		if (x->refused || x->bad_host || !method_is_token(method)) {
			/* answered before any body is read, so that no byte
			 * of it is taken for a request of its own */
			return gated_answer(x, conn, url, method);
		}
		if (announced_too_large(conn, x->limit)) {
			/* answered before the body is read: libmicrohttpd
			 * closes the connection instead of reading it */
			x->too_large = 1;
			return gated_answer(x, conn, url, method);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!x->too_large && x->body.len + *upload_size > x->limit) {
			x->too_large = 1;
			buf_release(&x->body);
		}
		if (x->too_large) {
			x->discarded += *upload_size;
			if (x->discarded / DISCARD_FACTOR > x->limit &&
			    x->discarded > DISCARD_MIN)
				return MHD_NO;
		} else if (buf_append(&x->body, upload_data, *upload_size) <
			   0) {
			return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return gated_answer(x, conn, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct exchange *x = *con_cls;

	deadline_conn_next(conn_deadline(conn));
	if (!x)
		return;
	*con_cls = NULL;
	arena_free(x->arena);
	buf_release(&x->body);
	inflight_add(x->srv, -1);
	free(x);
}

/* on_connection turns Nagle off (small responses must not wait for the
 * client's delayed ACK) and puts the connection under request_timeout's
 * watch until libmicrohttpd closes it. */
static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server *srv = cls;
	const union MHD_ConnectionInfo *ci;
	int one = 1;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		deadline_conn_remove(srv->deadline, *socket_context);
		*socket_context = NULL;
		metrics_connections(-1);
		return;
	}
	metrics_connections(+1);
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*socket_context = deadline_conn_add(srv->deadline, ci->connect_fd);
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("http: %s", line);
}

/* open_listener resolves cfg->listen and returns a listening, non-blocking
 * socket, or -1 with e filled. *ipv6 tells the family. */
static int open_listener(const struct config *cfg, int *ipv6, struct err *e)
{
	struct addrinfo hints, *ai = NULL;
	char host[128], port_s[16];
	int port, fd = -1, one = 1, rc;

	if (config_listen_split(cfg, host, sizeof host, &port, e) != E_OK)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port_s, sizeof port_s, "%d", port);
	rc = getaddrinfo(host[0] ? host : "0.0.0.0", port_s, &hints, &ai);
	if (rc != 0) {
		err_set(e, E_IO, "listen", "cannot resolve %s: %s", host,
			gai_strerror(rc));
		return -1;
	}
	*ipv6 = ai->ai_family == AF_INET6;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 511) < 0)
		goto fail;
	freeaddrinfo(ai);
	return fd;
fail:
	err_set(e, E_IO, "listen", "cannot listen on %s: %s", cfg->listen,
		strerror(errno));
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return -1;
}

/* listens_on_loopback tells whether cfg->listen is a loopback address. */
static int listens_on_loopback(const struct config *cfg)
{
	char host[128];
	int port;

	if (config_listen_split(cfg, host, sizeof host, &port, NULL) != E_OK)
		return 0;
	return !strncmp(host, "127.", 4) || !strcmp(host, "::1") ||
	       !strcmp(host, "[::1]") || !strcmp(host, "localhost");
}

enum err_code server_start(struct app *app, struct server **out, struct err *e)
{
	struct server *srv;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	const struct config *cfg = app->cfg;
	long threads = cfg->threads;
	unsigned max_conn;
	int ipv6 = 0;

	*out = NULL;
	/* Each connection has its thread, so a slow handler holds up no
	 * other connection; the handlers at once (each may hold a database
	 * connection and its page cache) are `threads`: more than the cores,
	 * so that renders and the one save waiting for SQLite's lock leave
	 * the cores busy, and bounded, for memory and so that a save holding
	 * the lock shares the cores with few: 4 per core, at least
	 * SERVER_MIN_THREADS (a save held up in line gives up its place, so
	 * few are safe: in the mixed run 8 kept main's write waits at 16
	 * with 2/3 of the memory, where 16 piled the saves up in line;
	 * README "issue 21, session 19"). */
	if (threads <= 0) {
		threads = 4 * sysconf(_SC_NPROCESSORS_ONLN);
		if (threads < SERVER_MIN_THREADS)
			threads = SERVER_MIN_THREADS;
	}
	max_conn = (unsigned)cfg->max_connections;
	srv = calloc(1, sizeof *srv);
	if (!srv)
		return err_set(e, E_NOMEM, "", "out of memory");
	srv->app = app;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	pthread_mutex_init(&srv->gate_lock, NULL);
	srv->gate_room = (int)threads;
	/* the secret of CSRF tokens, read (or made) once, before any page */
	if (app->store && auth_secret_load(app, e) != E_OK)
		goto fail;
	if (deadline_start(cfg->request_timeout, &srv->deadline, e) != E_OK)
		goto fail;
	srv->listen_fd = open_listener(app->cfg, &ipv6, e);
	if (srv->listen_fd < 0)
		goto fail;
	config_public_host(cfg, srv->public_host, sizeof srv->public_host);
	srv->loopback = listens_on_loopback(cfg);
	if (!srv->loopback && !srv->public_host[0])
		log_warn("public_url is not set: every Host header name is "
			 "answered, which DNS rebinding can use; set "
			 "public_url to the address people use");
	if (ipv6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_access, srv,
		MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
		MHD_OPTION_LISTEN_SOCKET, srv->listen_fd,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header,
		MHD_OPTION_CONNECTION_LIMIT, max_conn,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)cfg->max_connections_per_ip,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_END);
	if (!srv->daemon) {
		err_set(e, E_IO, "listen", "cannot start the HTTP server on %s",
			app->cfg->listen);
		close(srv->listen_fd);
		goto fail;
	}
	*out = srv;
	return E_OK;
fail:
	deadline_stop(srv->deadline);
	pthread_mutex_destroy(&srv->gate_lock);
	pthread_cond_destroy(&srv->idle);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
	return e ? e->code : E_IO;
}

/* server_stop stops listening, waits up to DRAIN_SECONDS for
 * requests already begun to be answered (responses sent meanwhile carry
 * Connection: close), then stops the threads (requests still waiting at
 * the handler gate are not answered) and frees srv. */
void server_stop(struct server *srv)
{
	struct timespec deadline;
	MHD_socket fd;

	if (!srv)
		return;
	atomic_store(&srv->stopping, 1);
	/* the worker threads may still poll the returned socket, so it is
	 * closed only after MHD_stop_daemon; shutdown() stops a listening
	 * socket on Linux at once: new connections are refused */
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		shutdown(fd, SHUT_RDWR);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += DRAIN_SECONDS;
	pthread_mutex_lock(&srv->lock);
	while (srv->inflight > 0)
		if (pthread_cond_timedwait(&srv->idle, &srv->lock, &deadline) ==
		    ETIMEDOUT)
			break;
	if (srv->inflight > 0)
		log_warn("stopping with %d requests unfinished", srv->inflight);
	pthread_mutex_unlock(&srv->lock);
	gate_close(srv);
	MHD_stop_daemon(srv->daemon);
	/* every pipe of a streamed body is closed now: its producer's next
	 * write fails and it ends */
	pthread_mutex_lock(&srv->lock);
	while (srv->streams > 0)
		pthread_cond_wait(&srv->idle, &srv->lock);
	pthread_mutex_unlock(&srv->lock);
	deadline_stop(srv->deadline); /* every connection is closed now */
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	pthread_mutex_destroy(&srv->gate_lock);
	pthread_cond_destroy(&srv->idle);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}
