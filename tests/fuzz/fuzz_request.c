/* fuzz_request.c: libFuzzer target for what the server does with a
 * request before a handler touches the store: the route lookup and body
 * limit (router_match, router_body_limit), the form parser (req_form_get,
 * req_form_all; a multipart body gives no fields), the review form read
 * from it, built into records and rendered back as the edit form,
 * req_json, If-Match, the session and CSRF cookies, the bearer token and
 * the trusted-proxy list. Requests are built without a server, as
 * tests/unit/test_router.c does.
 *
 * Input: lines "METHOD\nPATH\nCONTENT-TYPE\nCOOKIE\nAUTHORIZATION\n
 * IF-MATCH\n" and the body after them (missing lines: header absent). */
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "fuzz/fuzz_common.h"
#include "http/auth.h"
#include "http/http.h"
#include "util/utf8.h"
#include "web/form.h"

#define NLINES 6

/* split_lines cuts s at its first NLINES newlines; absent lines are NULL
 * and *body is what follows (NULL when nothing). */
static void split_lines(char *s, char *end, const char *line[NLINES],
			const char **body)
{
	char *p = s;

	for (int i = 0; i < NLINES; i++) {
		char *nl = p ? memchr(p, '\n', (size_t)(end - p)) : NULL;

		line[i] = p && nl ? p : NULL;
		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : NULL;
	}
	*body = p;
}

static void check_route(struct request *req)
{
	size_t max_body = req->app->cfg->max_body;
	size_t limit = router_body_limit(req->method, req->path, max_body);
	char allow[96];
	handler_fn h = router_match(req, allow, sizeof allow);

	FUZZ_ASSERT(limit <= max_body, "body limit %zu over max_body", limit);
	if (h && (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")))
		FUZZ_ASSERT(limit == 0, "%s %s may send %zu body bytes",
			    req->method, req->path, limit);

	FUZZ_ASSERT(strlen(allow) < sizeof allow, "allow overflow");
	FUZZ_ASSERT(req->nparams <= REQ_MAX_PARAMS, "%zu params", req->nparams);
	if (!h) {
		size_t ml = strlen(req->method);

		FUZZ_ASSERT(req->nparams == 0, "params without a route");
		/* a 405 must not list the method it refuses: compare whole
		 * entries of "A, B, C", since a fuzzed method may itself hold
		 * ", " (the prefix compare once took "GET, HEAD" for a listed
		 * method) */
		for (const char *p = allow; *p;) {
			size_t n = strcspn(p, ",");

			FUZZ_ASSERT(n != ml || strncmp(p, req->method, ml) != 0,
				    "%s %s refused with Allow: %s",
				    req->method, req->path, allow);
			p += n;
			while (*p == ',' || *p == ' ')
				p++;
		}
		return;
	}
	for (size_t i = 0; i < req->nparams; i++) {
		FUZZ_ASSERT(req->params[i] && req->params[i][0] &&
				    !strchr(req->params[i], '/'),
			    "parameter %zu of %s is \"%s\"", i, req->path,
			    req->params[i] ? req->params[i] : "(null)");
		(void)req_param_id(req, i);
	}
}

static void check_form(struct request *req, const struct config *cfg,
		       const char *input)
{
	struct field_errors errs = {.n = 0};
	int *row_of[CHILD_COUNT];
	struct review_doc doc;
	struct form_doc fd;
	struct buf b = BUF_INIT;
	struct kv *kv;
	size_t n;
	struct err e;

	n = req_form_all(req, &kv);
	FUZZ_ASSERT(req->form_parsed != -2 || n == 0,
		    "a multipart body gave %zu fields", n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(utf8_valid(kv[i].key, strlen(kv[i].key), NULL) &&
				    utf8_valid(kv[i].value, strlen(kv[i].value),
					       NULL),
			    "form field %zu is not UTF-8", i);
		FUZZ_ASSERT(req_form_get(req, kv[i].key) != NULL,
			    "req_form_get misses field \"%s\"", kv[i].key);
	}
	(void)req_form_get(req, "csrf");
	err_clear(&e);
	if (form_from_request(req, &fd, &e) != E_OK) {
		FUZZ_ASSERT(e.code == E_BAD_REQUEST && e.message[0],
			    "form_from_request failed without a message");
		return;
	}
	if (form_build_doc(req->arena, &fd, NULL, &doc, row_of, &errs) ==
	    E_NOMEM)
		return;
	FUZZ_ASSERT(errs.n <= sizeof errs.items / sizeof errs.items[0],
		    "%zu errors", errs.n);
	/* the edit form as it comes back with the errors */
	form_errors_summary(&b, &fd, &errs);
	form_review_fields(&b, cfg, &fd, &errs);
	form_children(&b, &fd, &errs);
	FUZZ_ASSERT(!b.oom, "out of memory rendering the form");
	fuzz_check_html(b.data ? b.data : "", b.len, input);
	buf_release(&b);
}

static void check_headers(struct request *req, const char *line[NLINES])
{
	char out[AUTH_HEX], tok[AUTH_TOKEN_MAX];
	const char *cookie = line[3], *authz = line[4];
	int64_t v = req_if_match(req);

	FUZZ_ASSERT(v >= -1, "If-Match gives %lld", (long long)v);
	if (!line[5])
		FUZZ_ASSERT(v == 0, "no If-Match gives %lld", (long long)v);
	if (auth_cookie_get(cookie, AUTH_COOKIE, out, sizeof out) == 0)
		FUZZ_ASSERT(strlen(out) < sizeof out && !strchr(out, ';'),
			    "cookie value \"%s\"", out);
	if (auth_cookie_get(cookie, AUTH_CSRF_COOKIE, out, sizeof out) == 0)
		FUZZ_ASSERT(!strchr(out, ';'), "cookie value \"%s\"", out);
	if (auth_bearer(authz, tok, sizeof tok)) {
		size_t n = strlen(tok);

		FUZZ_ASSERT(n > 0 && n < sizeof tok && tok[0] != ' ' &&
				    tok[n - 1] != ' ',
			    "bearer token \"%s\"", tok);
	}
	/* the Cookie line doubles as a trusted_proxies list, the If-Match
	 * line as the peer address */
	(void)auth_proxy_trusted(cookie, line[5]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct app app = {0};
	struct request req = {0};
	struct kv headers[4];
	const char *line[NLINES], *body;
	char *s = fuzz_cstr(data, size);
	json_t *j;
	struct err e;

	if (!s)
		return 0;
	config_defaults(&cfg);
	app.cfg = &cfg;
	req.app = &app;
	req.arena = arena_new();
	if (!req.arena)
		goto out;
	split_lines(s, s + size, line, &body);
	req.method = line[0] ? line[0] : "GET";
	req.path = line[1] ? line[1] : "/";
	req.body = body ? body : "";
	req.body_len = body ? size - (size_t)(body - s) : 0;
	headers[0] = (struct kv){"Content-Type", line[2]};
	headers[1] = (struct kv){"Cookie", line[3]};
	headers[2] = (struct kv){"Authorization", line[4]};
	headers[3] = (struct kv){"If-Match", line[5]};
	for (size_t i = 0; i < 4; i++)
		if (headers[i].value)
			headers[req.nheaders++] = headers[i];
	req.headers = headers;

	check_route(&req);
	check_form(&req, &cfg, s);
	check_headers(&req, line);
	err_clear(&e);
	if (req_json(&req, &j, &e) == E_OK)
		FUZZ_ASSERT(json_is_object(j), "req_json gave a non-object");
	else
		FUZZ_ASSERT(e.code == E_MEDIA_TYPE || e.code == E_BAD_REQUEST,
			    "req_json: %s", e.message);
out:
	arena_free(req.arena);
	free(s);
	return 0;
}
