/* slack_api.c: one channel of a Slack workspace through the Web API, for
 * `debrief import slack`: conversations.info for the channel's name,
 * conversations.history for its messages in a time window (cursor
 * pagination), conversations.replies for each thread, users.info for
 * each author and mention not seen yet. Pages go through the export
 * parser (slack.c), whose day files have the same message objects. Calls
 * go through util/http_client.c, which waits out a 429 (Retry-After). The
 * token travels only in the Authorization header: no message, log line or
 * error repeats it. */
#include "importers/slack_api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/http_client.h"

#define SLACK_PAGE	  200
#define SLACK_MAX_BODY	  (64 * 1024 * 1024)
#define SLACK_MAX_RETRIES 5
#define SLACK_MAX_WAIT	  60 /* seconds, whatever Retry-After says */

struct api {
	const struct slack_api_opts *o;
	struct http_client *hc;
	const char *headers[2]; /* the Authorization header, NULL */
	struct http_answer ans;
	int calls;
	json_t *asked; /* user ids looked up already */
	struct slack_parser *sp;
	const char *channel_name;
};

/* call GETs base/method?query and parses {"ok": true, ...}: E_OK with
 * *out (the caller releases it), or an error that names the method. */
static enum err_code call(struct api *a, const char *method, const char *query,
			  json_t **out, struct err *e)
{
	char url[2048], what[96];
	json_error_t je;
	struct http_call hc = {0};
	enum err_code rc;

	*out = NULL;
	snprintf(url, sizeof url, "%s/%s?%s", a->o->base_url, method, query);
	snprintf(what, sizeof what, "Slack API %s", method);
	hc.what = what;
	hc.method = "GET";
	hc.url = url;
	hc.headers = a->headers;
	hc.timeout = 60;
	hc.max_retries = a->o->max_retries ? a->o->max_retries
					   : SLACK_MAX_RETRIES;
	hc.max_wait = SLACK_MAX_WAIT;
	hc.sleep_fn = a->o->sleep_fn;
	hc.max_body = SLACK_MAX_BODY;
	a->calls++;
	if ((rc = http_client_do(a->hc, &hc, &a->ans, e)) != E_OK)
		return rc;
	if (a->ans.status != 200)
		return err_set(e, E_IO, "slack",
			       "Slack API %s answered HTTP %ld", method,
			       a->ans.status);
	*out = json_loadb(a->ans.body.data ? a->ans.body.data : "",
			  a->ans.body.len, 0, &je);
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
	http_url_escape(b, s);
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
	a.o = o;
	http_answer_init(&a.ans);
	if (!(a.hc = http_client_new()) || !(a.asked = json_object())) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	buf_printf(&auth, "Authorization: Bearer %s", o->token);
	if (auth.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	a.headers[0] = buf_cstr(&auth);
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
	http_client_free(a.hc);
	/* the token was in this buffer: clear it before it is freed */
	if (auth.data)
		memset(auth.data, 0, auth.len);
	buf_release(&auth);
	http_answer_release(&a.ans);
	buf_release(&q);
	return rc;
}
