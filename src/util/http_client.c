/* http_client.c: outgoing HTTP calls (see http_client.h). One libcurl easy
 * handle per client; curl_global_init runs once per process. */
#include "util/http_client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT	 30
#define DEFAULT_RETRIES	 5
#define DEFAULT_MAX_WAIT 60
#define DEFAULT_MAX_BODY (16 * 1024 * 1024)

struct http_client {
	CURL *curl;
};

/* What one attempt read, beside the body. */
struct attempt {
	struct http_answer *ans;
	size_t max_body;
	int too_large;
	char retry_after[64], remaining[32], reset[32];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct http_client *http_client_new(void)
{
	struct http_client *hc = calloc(1, sizeof *hc);

	pthread_once(&curl_once, curl_init_once);
	if (hc && !(hc->curl = curl_easy_init())) {
		free(hc);
		hc = NULL;
	}
	return hc;
}

void http_client_free(struct http_client *hc)
{
	if (!hc)
		return;
	curl_easy_cleanup(hc->curl);
	free(hc);
}

void http_answer_init(struct http_answer *a)
{
	memset(a, 0, sizeof *a);
	buf_init(&a->body);
}

void http_answer_release(struct http_answer *a)
{
	buf_release(&a->body);
}

int http_answer_is_json(const struct http_answer *a)
{
	return !strncasecmp(a->content_type, "application/json", 16) ||
	       (strstr(a->content_type, "+json") != NULL);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct attempt *at = ud;

	if (at->ans->body.len + size * n > at->max_body) {
		at->too_large = 1;
		return 0;
	}
	if (buf_append(&at->ans->body, p, size * n) < 0)
		return 0;
	return size * n;
}

/* header_value copies the value of line into out when line is "name:". */
static void header_value(const char *line, size_t len, const char *name,
			 char *out, size_t outlen)
{
	size_t n = strlen(name), v;

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return;
	line += n + 1;
	len -= n + 1;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n' ||
		       line[len - 1] == ' '))
		len--;
	v = len < outlen - 1 ? len : outlen - 1;
	memcpy(out, line, v);
	out[v] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct attempt *at = ud;
	size_t len = size * n;

	header_value(p, len, "Retry-After", at->retry_after,
		     sizeof at->retry_after);
	header_value(p, len, "X-RateLimit-Remaining", at->remaining,
		     sizeof at->remaining);
	header_value(p, len, "X-RateLimit-Reset", at->reset, sizeof at->reset);
	header_value(p, len, "Content-Type", at->ans->content_type,
		     sizeof at->ans->content_type);
	return len;
}

long http_rate_wait(long status, const char *retry_after, const char *remaining,
		    const char *reset, long now, int attempt)
{
	long w = -1;
	char *end;

	if (status != 429 &&
	    !(status == 403 && ((retry_after && *retry_after) ||
				(remaining && !strcmp(remaining, "0")))))
		return -1;
	if (retry_after && *retry_after) {
		w = strtol(retry_after, &end, 10);
		if (end == retry_after || *end) { /* an HTTP date */
			time_t t = curl_getdate(retry_after, NULL);
			w = t > 0 ? (long)t - now : -1;
		}
	} else if (reset && *reset &&
		   (status == 429 || (remaining && !strcmp(remaining, "0")))) {
		w = strtol(reset, &end, 10);
		w = end != reset && !*end ? w - now : -1; /* epoch seconds */
	}
	if (w < 0) /* no usable header: back off 1, 2, 4, ... */
		w = 1L << (attempt < 6 ? attempt : 6);
	return w < 1 ? 1 : w;
}

void http_url_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~", c))
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

enum err_code http_client_do(struct http_client *hc, const struct http_call *c,
			     struct http_answer *ans, struct err *e)
{
	struct curl_slist *hdrs = NULL;
	struct attempt at;
	int max_retries = c->max_retries < 0	? 0
			  : c->max_retries == 0 ? DEFAULT_RETRIES
						: c->max_retries;
	unsigned max_wait = c->max_wait ? c->max_wait : DEFAULT_MAX_WAIT;
	long timeout = c->timeout > 0 ? c->timeout : DEFAULT_TIMEOUT;
	const char *what = c->what ? c->what : "the service";
	enum err_code rc = E_OK;
	CURL *h = hc->curl;

	for (const char *const *p = c->headers; p && *p; p++) {
		struct curl_slist *n = curl_slist_append(hdrs, *p);
		if (!n) {
			curl_slist_free_all(hdrs);
			return err_set(e, E_NOMEM, NULL, "out of memory");
		}
		hdrs = n;
	}
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, c->method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (c->userpwd) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERPWD, c->userpwd);
	}
	if (c->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, c->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)c->body_len);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &at);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &at);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
			 timeout < 10 ? timeout : 10);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "debrief");
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	for (int attempt = 0;; attempt++) {
		CURLcode cc;
		long wait;

		memset(&at, 0, sizeof at);
		at.ans = ans;
		at.max_body = c->max_body ? c->max_body : DEFAULT_MAX_BODY;
		buf_reset(&ans->body);
		ans->content_type[0] = '\0';
		ans->status = 0;
		cc = curl_easy_perform(h);
		if (at.too_large) {
			rc = err_set(e, E_TOO_LARGE, NULL,
				     "%s: the answer is larger than %zu bytes",
				     what, at.max_body);
			break;
		}
		if (cc == CURLE_OPERATION_TIMEDOUT) {
			rc = err_set(e, E_IO, NULL,
				     "%s: no answer within %ld s", what,
				     timeout);
			break;
		}
		if (cc != CURLE_OK) {
			rc = err_set(e, E_IO, NULL, "%s: %s", what,
				     curl_easy_strerror(cc));
			break;
		}
		if (ans->body.oom) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ans->status);
		wait = http_rate_wait(ans->status, at.retry_after, at.remaining,
				      at.reset, (long)time(NULL), attempt);
		if (wait < 0)
			break;
		if (attempt >= max_retries) {
			rc = err_set(e, E_IO, NULL,
				     "%s: still rate limited (HTTP %ld) after "
				     "%d tries",
				     what, ans->status, attempt + 1);
			break;
		}
		if (wait > (long)max_wait) {
			rc = err_set(e, E_IO, NULL,
				     "%s: rate limited (HTTP %ld); it asks to "
				     "wait %ld s, try again later",
				     what, ans->status, wait);
			break;
		}
		(c->sleep_fn ? c->sleep_fn : sleep)((unsigned)wait);
		ans->rate_limited++;
		ans->waited += wait;
	}
	curl_easy_reset(h); /* forget the headers and the password */
	curl_slist_free_all(hdrs);
	return rc;
}
