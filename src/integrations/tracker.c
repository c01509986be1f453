/* tracker.c: what Jira and GitHub tickets have in common (see tracker.h):
 * keys, credentials, the JSON call and its errors, and the dispatch to
 * jira.c and github.c. */
#include "integrations/tracker_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/utf8.h"

void tracker_copy(char *dst, size_t n, const char *s)
{
	size_t len = s ? utf8_cut(s, n - 1) : 0;

	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

int64_t tracker_time(const char *s)
{
	int y, mo, d, h, mi, sec, n = 0;
	struct tm tm = {0};
	int64_t t;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
			 &sec, &n) != 6)
		return 0;
	s += n;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm);
	if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1, oh = 0, om = 0;
		if (sscanf(s + 1, "%2d:%2d", &oh, &om) != 2 &&
		    sscanf(s + 1, "%2d%2d", &oh, &om) != 2)
			return 0;
		t -= sign * (oh * 3600 + om * 60);
	}
	return t;
}

json_t *tracker_labels(const struct tracker_config *t, int nospace)
{
	json_t *arr = json_array();
	const char *p = t->labels;

	while (arr && *p) {
		char one[128];
		size_t n = strcspn(p, ","), i = 0;
		const char *q = p;

		while (q < p + n && *q == ' ')
			q++;
		for (; q < p + n && i < sizeof one - 1; q++)
			one[i++] = nospace && *q == ' ' ? '-' : *q;
		while (i > 0 && (one[i - 1] == ' ' || one[i - 1] == '-'))
			i--;
		one[i] = '\0';
		if (i && json_array_append_new(arr, json_string(one)) < 0) {
			json_decref(arr);
			return NULL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return arr;
}

int tracker_map_user(const struct tracker_config *t, const char *owner,
		     char *out, size_t n)
{
	const char *p = t->users;
	size_t olen = owner ? strlen(owner) : 0;

	while (olen && *p) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len), *k = p, *end = p + len;

		while (k < end && *k == ' ')
			k++;
		if (eq) {
			const char *kend = eq, *v = eq + 1;
			while (kend > k && kend[-1] == ' ')
				kend--;
			while (v < end && *v == ' ')
				v++;
			while (end > v && end[-1] == ' ')
				end--;
			if ((size_t)(kend - k) == olen &&
			    !strncasecmp(k, owner, olen) && end > v &&
			    (size_t)(end - v) < n) {
				memcpy(out, v, (size_t)(end - v));
				out[end - v] = '\0';
				return 1;
			}
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* jira_key_ok: PROJECT-123, the project of letters, digits and _, a
 * letter first. Upper-cases key in place. */
static int jira_key_ok(char *key)
{
	char *p = key;

	if (!isalpha((unsigned char)*p))
		return 0;
	for (; *p && *p != '-'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
		*p = (char)toupper((unsigned char)*p);
	}
	if (*p != '-' || !p[1])
		return 0;
	for (p++; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

int jira_key_valid(const char *key)
{
	char k[200];

	if (!key || strlen(key) >= sizeof k)
		return 0;
	memcpy(k, key, strlen(key) + 1);
	return jira_key_ok(k) && !strcmp(k, key); /* upper case already */
}

/* number_ok: 1 to 9 digits, no leading zero. */
static int number_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n < 10 && !s[n] && s[0] != '0';
}

enum err_code tracker_key(const struct tracker_config *t, const char *text,
			  char *key, size_t n, struct err *e)
{
	char buf[600];
	const char *s = text ? text : "";
	size_t len;

	while (*s == ' ')
		s++;
	tracker_copy(buf, sizeof buf, s);
	len = strlen(buf);
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '/'))
		buf[--len] = '\0';
	if (t->type == TRACKER_JIRA) {
		char *k = buf, *q;
		size_t ul = strlen(t->url);

		if (!strncmp(buf, "http://", 7) ||
		    !strncmp(buf, "https://", 8)) {
			if (strncasecmp(buf, t->url, ul) ||
			    strncmp(buf + ul, "/browse/", 8))
				return err_set(e, E_INVALID, "key",
					       "'%.100s' is not a ticket of "
					       "tracker %s (expected %s/browse/"
					       "KEY)",
					       buf, t->name, t->url);
			k = buf + ul + 8;
		}
		if ((q = strpbrk(k, "?#")))
			*q = '\0';
		if (!jira_key_ok(k) || strlen(k) >= n)
			return err_set(e, E_INVALID, "key",
				       "'%.100s' is not a Jira key (expected "
				       "%s-123 or its URL)",
				       k, t->project);
		memcpy(key, k, strlen(k) + 1);
		return E_OK;
	}
	/* GitHub: 12, #12, owner/name#12 or .../owner/name/issues/12 */
	{
		const char *num = NULL, *repo = t->repository;
		char *hash, *issues;
		size_t rl = strlen(repo);

		if (!strncmp(buf, "http://", 7) || !strncmp(buf, "https://", 8))
			buf[strcspn(buf, "?#")] = '\0';
		hash = strrchr(buf, '#');
		issues = strstr(buf, "/issues/");

		if (issues) {
			char *slash2;
			*issues = '\0';
			/* the path's last two segments before /issues/ */
			slash2 = strrchr(buf, '/');
			if (slash2) {
				*slash2 = '\0';
				slash2 = strrchr(buf, '/');
				*strchr(buf, '\0') = '/';
			}
			if (!slash2 || strcasecmp(slash2 + 1, repo))
				return err_set(e, E_INVALID, "key",
					       "'%.100s' is not an issue of %s",
					       text, repo);
			num = issues + 8;
		} else if (hash) {
			if (hash != buf && ((size_t)(hash - buf) != rl ||
					    strncasecmp(buf, repo, rl)))
				return err_set(e, E_INVALID, "key",
					       "'%.100s' is not an issue of %s",
					       text, repo);
			num = hash + 1;
		} else {
			num = buf;
		}
		if (!number_ok(num))
			return err_set(
				e, E_INVALID, "key",
				"'%.100s' is not a GitHub issue (expected "
				"a number, %s#12 or the issue's URL)",
				text, repo);
		if ((size_t)snprintf(key, n, "%s#%s", repo, num) >= n)
			return err_set(e, E_INVALID, "key", "key too long");
		return E_OK;
	}
}

enum err_code tconn_open(struct tconn *c, struct http_client *hc,
			 const struct tracker_config *t,
			 const struct tracker_limits *lim, struct err *e)
{
	size_t h = 0;

	memset(c, 0, sizeof *c);
	buf_init(&c->auth);
	c->hc = hc;
	c->t = t;
	c->lim = lim;
	snprintf(c->what, sizeof c->what, "%s %s",
		 t->type == TRACKER_JIRA ? "Jira" : "GitHub", t->name);
	if (!t->token[0])
		return err_set(e, E_INVALID, "tracker",
			       "%s has no token: set tracker.%s.token in the "
			       "configuration or DEBRIEF_TRACKER_..._TOKEN",
			       c->what, t->name);
	if (t->type == TRACKER_JIRA && t->user[0]) {
		if ((size_t)snprintf(c->userpwd, sizeof c->userpwd, "%s:%s",
				     t->user, t->token) >= sizeof c->userpwd)
			return err_set(e, E_INVALID, "tracker",
				       "%s: user and token too long", c->what);
	} else {
		buf_printf(&c->auth, "Authorization: Bearer %s", t->token);
		if (c->auth.oom)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		c->headers[h++] = buf_cstr(&c->auth);
	}
	if (t->type == TRACKER_GITHUB) {
		c->headers[h++] = "Accept: application/vnd.github+json";
		c->headers[h++] = "X-GitHub-Api-Version: 2022-11-28";
	} else {
		c->headers[h++] = "Accept: application/json";
	}
	c->headers[h++] = "Content-Type: application/json";
	c->headers[h] = NULL;
	return E_OK;
}

void tconn_close(struct tconn *c)
{
	if (c->auth.data)
		memset(c->auth.data, 0, c->auth.len);
	buf_release(&c->auth);
	memset(c->userpwd, 0, sizeof c->userpwd);
}

/* tracker_words appends what the tracker said went wrong: Jira's
 * errorMessages and errors, GitHub's message and errors. */
static void tracker_words(json_t *j, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	json_t *v;
	const char *k;
	size_t i;

	json_array_foreach(json_object_get(j, "errorMessages"), i, v)
		buf_printf(&b, "%s%s", b.len ? "; " : "",
			   json_string_value(v) ? json_string_value(v) : "");
	json_object_foreach(json_object_get(j, "errors"), k,
			    v) if (json_is_string(v))
		buf_printf(&b, "%s%s: %s", b.len ? "; " : "", k,
			   json_string_value(v));
	if (json_is_string(json_object_get(j, "message")))
		buf_printf(&b, "%s%s", b.len ? "; " : "",
			   json_string_value(json_object_get(j, "message")));
	tracker_copy(out, n,
		     b.len && !b.oom ? buf_cstr(&b) : "no reason given");
	buf_release(&b);
}

enum err_code tconn_call(struct tconn *c, const char *method, const char *url,
			 json_t *body, long *status, json_t **out,
			 struct err *e)
{
	struct http_call call = {0};
	struct http_answer ans;
	char *text = NULL, words[160];
	json_error_t je;
	enum err_code rc;
	long st;

	*out = NULL;
	if (body && !(text = json_dumps(body, JSON_COMPACT)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	call.what = c->what;
	call.method = method;
	call.url = url;
	call.headers = c->headers;
	call.userpwd = c->userpwd[0] ? c->userpwd : NULL;
	call.body = text;
	call.body_len = text ? strlen(text) : 0;
	call.timeout = c->t->timeout;
	call.max_retries = c->lim ? c->lim->max_retries : 0;
	call.max_wait = c->lim ? c->lim->max_wait : 0;
	call.sleep_fn = c->lim ? c->lim->sleep_fn : NULL;
	call.max_body = 8 * 1024 * 1024;
	http_answer_init(&ans);
	rc = http_client_do(c->hc, &call, &ans, e);
	free(text);
	st = ans.status;
	if (status)
		*status = st;
	if (rc != E_OK) {
		if (rc == E_TOO_LARGE) { /* a tracker's fault, like a 500 */
			rc = E_IO;
			if (e)
				e->code = E_IO;
		}
		goto out;
	}
	if (st == 204)
		goto out;
	if (ans.body.len && http_answer_is_json(&ans))
		*out = json_loadb(ans.body.data, ans.body.len, 0, &je);
	if (st == 401 || st == 403) {
		rc = err_set(e, E_IO, "tracker",
			     "%s refused the credentials (HTTP %ld): check "
			     "tracker.%s.user and tracker.%s.token",
			     c->what, st, c->t->name, c->t->name);
	} else if (st == 404) {
		rc = err_set(e, E_NOT_FOUND, "key", "%s: no such ticket",
			     c->what);
	} else if (st == 400 || st == 422) {
		tracker_words(*out, words, sizeof words);
		rc = err_set(e, E_INVALID, "tracker", "%s refused it: %s",
			     c->what, words);
	} else if (st < 200 || st > 299) {
		rc = err_set(e, E_IO, "tracker", "%s answered HTTP %ld",
			     c->what, st);
	} else if (!json_is_object(*out)) {
		rc = err_set(e, E_IO, "tracker",
			     "%s answered %s instead of JSON", c->what,
			     strstr(ans.content_type, "html") ? "HTML"
							      : "something");
	}
	if (rc != E_OK) {
		json_decref(*out);
		*out = NULL;
	}
out:
	http_answer_release(&ans);
	return rc;
}

enum err_code tracker_create(struct http_client *hc,
			     const struct tracker_config *t,
			     const struct tracker_new *in,
			     const struct tracker_limits *lim,
			     struct tracker_ticket *out, struct err *e)
{
	struct tconn c;
	enum err_code rc;

	memset(out, 0, sizeof *out);
	if ((rc = tconn_open(&c, hc, t, lim, e)) == E_OK)
		rc = t->type == TRACKER_JIRA ? jira_create(&c, in, out, e)
					     : github_create(&c, in, out, e);
	tconn_close(&c);
	return rc;
}

enum err_code tracker_read(struct http_client *hc,
			   const struct tracker_config *t, const char *key,
			   const struct tracker_limits *lim,
			   struct tracker_ticket *out, struct err *e)
{
	struct tconn c;
	enum err_code rc;

	memset(out, 0, sizeof *out);
	if ((rc = tconn_open(&c, hc, t, lim, e)) == E_OK)
		rc = t->type == TRACKER_JIRA ? jira_read(&c, key, out, e)
					     : github_read(&c, key, out, e);
	tconn_close(&c);
	if (rc == E_NOT_FOUND)
		err_set(e, E_NOT_FOUND, "key", "%s has no ticket %.200s",
			c.what, key);
	return rc;
}

enum err_code tracker_read_many(struct http_client *hc,
				const struct tracker_config *t,
				struct tracker_ticket *items, size_t n,
				const struct tracker_limits *lim, struct err *e)
{
	struct tconn c;
	enum err_code rc;

	for (size_t i = 0; i < n; i++)
		items[i].found = 0;
	if ((rc = tconn_open(&c, hc, t, lim, e)) != E_OK)
		goto out;
	rc = t->type == TRACKER_JIRA ? jira_read_many(&c, items, n, e)
				     : github_read_many(&c, items, n, e);
out:
	tconn_close(&c);
	return rc;
}

enum err_code tracker_close(struct http_client *hc,
			    const struct tracker_config *t, const char *key,
			    const struct tracker_limits *lim, struct err *e)
{
	struct tconn c;
	enum err_code rc;

	if ((rc = tconn_open(&c, hc, t, lim, e)) == E_OK)
		rc = t->type == TRACKER_JIRA ? jira_close(&c, key, e)
					     : github_close(&c, key, e);
	tconn_close(&c);
	return rc;
}
