/* slack_api.c: one channel of a Slack workspace through the Web API, for
 * `debrief import slack`: conversations.info for the channel's name,
 * conversations.history for its messages in a time window (cursor
 * pagination), conversations.replies for each thread, users.info for
 * each author and mention not seen yet. Pages go through the export
 * parser (slack.c), whose day files have the same message objects. A 429
 * answer is retried after its Retry-After. The token travels only in the
 * Authorization header: no message, log line or error repeats it. */
#include "importers/slack_api.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

#define SLACK_PAGE	  200
#define SLACK_MAX_BODY	  (64 * 1024 * 1024)
#define SLACK_MAX_RETRIES 5
#define SLACK_MAX_WAIT	  60 /* seconds, whatever Retry-After says */

struct api {
	const struct slack_api_opts *o;
	CURL *curl;
	struct curl_slist *headers;
	struct buf body;
	long retry_after;
	int calls;
	json_t *asked; /* user ids looked up already */
	struct slack_parser *sp;
	const char *channel_name;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct api *a = ud;

	if (a->body.len + size * n > SLACK_MAX_BODY ||
	    buf_append(&a->body, p, size * n) < 0)
		return 0;
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct api *a = ud;
	size_t len = size * n;

	if (len > 12 && !strncasecmp(p, "Retry-After:", 12))
		a->retry_after = strtol(p + 12, NULL, 10);
	return len;
}

/* call GETs base/method?query and parses {"ok": true, ...}: E_OK with
 * *out (the caller releases it), or an error that names the method. */
static enum err_code call(struct api *a, const char *method, const char *query,
			  json_t **out, struct err *e)
{
	char url[2048];
	json_error_t je;
	long status = 0;
	CURLcode cc;

	*out = NULL;
	snprintf(url, sizeof url, "%s/%s?%s", a->o->base_url, method, query);
	for (int attempt = 0;; attempt++) {
		buf_reset(&a->body);
		a->retry_after = -1;
		curl_easy_setopt(a->curl, CURLOPT_URL, url);
		a->calls++;
		cc = curl_easy_perform(a->curl);
		if (cc != CURLE_OK)
			return err_set(e, E_IO, "slack",
				       "Slack API %s: %s", method,
				       curl_easy_strerror(cc));
		curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status != 429)
			break;
		if (attempt >= (a->o->max_retries ? a->o->max_retries
						  : SLACK_MAX_RETRIES))
			return err_set(e, E_IO, "slack",
				       "Slack API %s: still rate limited (429) "
				       "after %d tries",
				       method, attempt + 1);
		a->o->sleep_fn((unsigned)(a->retry_after < 1 ? 1
					  : a->retry_after > SLACK_MAX_WAIT
						  ? SLACK_MAX_WAIT
						  : a->retry_after));
	}
	if (status != 200)
		return err_set(e, E_IO, "slack",
			       "Slack API %s answered HTTP %ld", method, status);
	*out = json_loadb(a->body.data ? a->body.data : "", a->body.len, 0,
			  &je);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return err_set(e, E_IO, "slack",
			       "Slack API %s: the answer is not a JSON object",
			       method);
	}
	if (!json_is_true(json_object_get(*out, "ok"))) {
		const char *why =
			json_string_value(json_object_get(*out, "error"));
		err_set(e, E_INVALID, "slack", "Slack API %s: %.80s", method,
			why ? why : "not ok");
		json_decref(*out);
		*out = NULL;
		return E_INVALID;
	}
	return E_OK;
}

/* escape appends s URL-encoded. */
static void escape(struct buf *b, const char *s)
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

/* ask_user looks up id with users.info unless done before, and hands the
 * user to the parser. An unknown user is not an error: its id stays. */
static enum err_code ask_user(struct api *a, const char *id, size_t n,
			      struct err *e)
{
	char key[32];
	struct buf q = BUF_INIT;
	json_t *ans = NULL, *arr;
	char *text;
	enum err_code rc;
	struct err ue;

	if (n == 0 || n >= sizeof key)
		return E_OK;
	memcpy(key, id, n);
	key[n] = '\0';
	if (json_object_get(a->asked, key))
		return E_OK;
	json_object_set_new(a->asked, key, json_true());
	buf_puts(&q, "user=");
	escape(&q, key);
	err_clear(&ue);
	rc = q.oom ? err_set(e, E_NOMEM, NULL, "out of memory")
		   : call(a, "users.info", buf_cstr(&q), &ans, &ue);
	buf_release(&q);
	if (rc == E_INVALID) /* user_not_found and the like */
		return E_OK;
	if (rc != E_OK) {
		*e = ue;
		return rc;
	}
	arr = json_pack("[O]", json_object_get(ans, "user"));
	text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	rc = text ? slack_meta(a->sp, "users.json", text, strlen(text), e)
		  : err_set(e, E_NOMEM, NULL, "out of memory");
	free(text);
	json_decref(arr);
	json_decref(ans);
	return rc;
}

/* users_of asks for every author and mentioned user of msgs. */
static enum err_code users_of(struct api *a, json_t *msgs, struct err *e)
{
	json_t *m;
	size_t i;
	enum err_code rc = E_OK;

	json_array_foreach(msgs, i, m)
	{
		const char *u = json_string_value(json_object_get(m, "user"));
		const char *t = json_string_value(json_object_get(m, "text"));

		if (u && (rc = ask_user(a, u, strlen(u), e)) != E_OK)
			return rc;
		while (t && (t = strstr(t, "<@"))) {
			size_t n = strcspn(t + 2, "|>");
			if ((rc = ask_user(a, t + 2, n, e)) != E_OK)
				return rc;
			t += 2;
		}
	}
	return rc;
}

/* feed sends the messages of one page to the parser (except skip_ts, the
 * parent a replies page repeats). */
static enum err_code feed(struct api *a, json_t *msgs, const char *what,
			  const char *skip_ts, struct err *e)
{
	json_t *keep = json_array(), *m;
	char *text;
	size_t i;
	enum err_code rc;

	if (!keep)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_array_foreach(msgs, i, m)
	{
		const char *ts = json_string_value(json_object_get(m, "ts"));
		if (!skip_ts || !ts || strcmp(ts, skip_ts))
			json_array_append(keep, m);
	}
	if ((rc = users_of(a, keep, e)) != E_OK) {
		json_decref(keep);
		return rc;
	}
	text = json_dumps(keep, JSON_COMPACT);
	json_decref(keep);
	if (!text)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	rc = slack_day(a->sp, a->channel_name, what, text, strlen(text), e);
	free(text);
	return rc;
}

/* window appends oldest and latest. */
static void window(struct buf *q, const struct slack_api_opts *o)
{
	if (o->oldest)
		buf_printf(q, "&oldest=%lld", (long long)o->oldest);
	if (o->latest)
		buf_printf(q, "&latest=%lld", (long long)o->latest);
	buf_puts(q, "&inclusive=true");
}

/* pages walks method's cursor pages; for history, each thread's replies. */
static enum err_code pages(struct api *a, const char *method,
			   const char *thread_ts, struct err *e)
{
	struct buf q = BUF_INIT;
	char *cursor = NULL;
	enum err_code rc = E_OK;

	do {
		json_t *ans = NULL, *msgs, *m;
		const char *next;
		size_t i;

		buf_reset(&q);
		buf_puts(&q, "channel=");
		escape(&q, a->o->channel);
		buf_printf(&q, "&limit=%d", SLACK_PAGE);
		if (thread_ts) {
			buf_puts(&q, "&ts=");
			escape(&q, thread_ts);
		}
		window(&q, a->o);
		if (cursor) {
			buf_puts(&q, "&cursor=");
			escape(&q, cursor);
		}
		free(cursor);
		cursor = NULL;
		if (q.oom) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		if ((rc = call(a, method, buf_cstr(&q), &ans, e)) != E_OK)
			break;
		msgs = json_object_get(ans, "messages");
		if (!json_is_array(msgs)) {
			json_decref(ans);
			rc = err_set(e, E_IO, "slack",
				     "Slack API %s: no messages in the answer",
				     method);
			break;
		}
		rc = feed(a, msgs, method, thread_ts, e);
		/* the threads that start on this page */
		json_array_foreach(msgs, i, m)
		{
			const char *ts = json_string_value(json_object_get(m, "ts"));
			const char *th =
				json_string_value(json_object_get(m, "thread_ts"));
			if (rc != E_OK || thread_ts || !ts || !th ||
			    strcmp(ts, th) ||
			    json_integer_value(json_object_get(m, "reply_count")) <= 0)
				continue;
			rc = pages(a, "conversations.replies", ts, e);
		}
		next = json_string_value(json_object_get(
			json_object_get(ans, "response_metadata"),
			"next_cursor"));
		if (rc == E_OK && next && *next &&
		    !(cursor = strdup(next)))
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		json_decref(ans);
	} while (rc == E_OK && cursor);
	free(cursor);
	buf_release(&q);
	return rc;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum err_code slack_api_import(const struct slack_api_opts *o,
			       chat_emit_fn emit, void *ctx,
			       struct chat_skips *skips, int64_t *messages,
			       struct err *e)
{
	struct api a = {0};
	struct buf q = BUF_INIT, auth = BUF_INIT;
	json_t *info = NULL;
	char name[256];
	enum err_code rc;

	if (!o->token || !*o->token)
		return err_set(e, E_INVALID, "slack_token",
			       "no Slack token: set slack_token in the "
			       "configuration (or DEBRIEF_SLACK_TOKEN)");
	pthread_once(&curl_once, curl_init_once);
	a.o = o;
	buf_init(&a.body);
	if (!(a.curl = curl_easy_init()) || !(a.asked = json_object())) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	buf_printf(&auth, "Authorization: Bearer %s", o->token);
	a.headers = curl_slist_append(NULL, buf_cstr(&auth));
	curl_easy_setopt(a.curl, CURLOPT_HTTPHEADER, a.headers);
	curl_easy_setopt(a.curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(a.curl, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(a.curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(a.curl, CURLOPT_HEADERDATA, &a);
	curl_easy_setopt(a.curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(a.curl, CURLOPT_USERAGENT, "debrief");
	curl_easy_setopt(a.curl, CURLOPT_PROTOCOLS_STR, "http,https");
	buf_puts(&q, "channel=");
	escape(&q, o->channel);
	if ((rc = call(&a, "conversations.info", buf_cstr(&q), &info, e)) !=
	    E_OK)
		goto out;
	{
		const char *n = json_string_value(json_object_get(
			json_object_get(info, "channel"), "name"));
		snprintf(name, sizeof name, "%s", n && *n ? n : o->channel);
	}
	a.channel_name = name;
	if (!(a.sp = slack_new("Slack API", emit, ctx))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = pages(&a, "conversations.history", NULL, e)) == E_OK)
		rc = slack_end(a.sp, skips, messages, e);
out:
	slack_free(a.sp);
	json_decref(info);
	json_decref(a.asked);
	curl_slist_free_all(a.headers);
	if (a.curl)
		curl_easy_cleanup(a.curl);
	/* the token was in this buffer: clear it before it is freed */
	if (auth.data)
		memset(auth.data, 0, auth.len);
	buf_release(&auth);
	buf_release(&a.body);
	buf_release(&q);
	return rc;
}
