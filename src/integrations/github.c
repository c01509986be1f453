/* github.c: tickets in GitHub Issues through the REST API (api.github.com
 * or an Enterprise server's /api/v3): POST to create, GET one by number,
 * PATCH state closed to close; many at once with one GraphQL query per 50
 * (issue by issue where there is no GraphQL). Keys are "owner/name#12". */
#include <stdio.h>
#include <string.h>

#include "integrations/tracker_internal.h"

/* issue_url appends the API address of the repository's issues, and of
 * issue number num when num is not NULL. */
static void issue_url(struct tconn *c, struct buf *b, const char *num)
{
	buf_printf(b, "%s/repos/%s/issues", c->t->url, c->t->repository);
	if (num)
		buf_printf(b, "/%s", num);
}

/* number_of returns the number part of key "owner/name#12". */
static const char *number_of(const char *key)
{
	const char *h = strrchr(key, '#');

	return h ? h + 1 : key;
}

/* http_url: an http:// or https:// address (a tracker's answer is not
 * trusted to give one). */
static int http_url(const char *u)
{
	return !strncmp(u, "https://", 8) || !strncmp(u, "http://", 7);
}

/* web_url writes the page of issue num: github.com for api.github.com,
 * https://HOST/... for an Enterprise API at https://HOST/api/v3, else
 * beside the API's address. */
static void web_url(const struct tracker_config *t, long long num, char *out,
		    size_t n)
{
	size_t ul = strlen(t->url);

	if (strstr(t->url, "://api.github.com"))
		snprintf(out, n, "https://github.com/%s/issues/%lld",
			 t->repository, num);
	else if (ul > 7 && !strcmp(t->url + ul - 7, "/api/v3"))
		snprintf(out, n, "%.*s/%s/issues/%lld", (int)(ul - 7), t->url,
			 t->repository, num);
	else
		snprintf(out, n, "%s/%s/issues/%lld", t->url, t->repository,
			 num);
}

void github_issue_read(const struct tracker_config *t, json_t *issue,
		       struct tracker_ticket *out)
{
	const char *state = json_string_value(json_object_get(issue, "state"));
	const char *reason =
		json_string_value(json_object_get(issue, "state_reason"));
	json_t *num = json_object_get(issue, "number");

	snprintf(out->key, sizeof out->key, "%s#%lld", t->repository,
		 (long long)json_integer_value(num));
	tracker_copy(out->url, sizeof out->url,
		     json_string_value(json_object_get(issue, "html_url")));
	if (!http_url(out->url)) /* none, or not a web page's: GitHub's own */
		web_url(t, (long long)json_integer_value(num), out->url,
			sizeof out->url);
	if (state && reason && !strcmp(state, "closed")) {
		char r[61];

		tracker_copy(r, sizeof r, reason); /* whole UTF-8 only */
		snprintf(out->status, sizeof out->status, "closed (%s)", r);
	} else
		tracker_copy(out->status, sizeof out->status, state);
	out->done = state && !strcmp(state, "closed");
	tracker_copy(out->assignee, sizeof out->assignee,
		     json_string_value(json_object_get(
			     json_object_get(issue, "assignee"), "login")));
	out->updated = tracker_time(
		json_string_value(json_object_get(issue, "updated_at")));
	out->found = json_is_integer(num);
}

static enum err_code checked(struct tconn *c, json_t *ans,
			     struct tracker_ticket *out, struct err *e)
{
	github_issue_read(c->t, ans, out);
	if (!out->found)
		return err_set(e, E_IO, "tracker",
			       "%s: the answer is not an issue", c->what);
	return E_OK;
}

enum err_code github_read(struct tconn *c, const char *key,
			  struct tracker_ticket *out, struct err *e)
{
	struct buf url = BUF_INIT;
	json_t *ans = NULL;
	enum err_code rc;

	issue_url(c, &url, number_of(key));
	rc = url.oom ? err_set(e, E_NOMEM, NULL, "out of memory")
		     : tconn_call(c, "GET", buf_cstr(&url), NULL, NULL, &ans,
				  e);
	if (rc == E_OK)
		rc = checked(c, ans, out, e);
	json_decref(ans);
	buf_release(&url);
	return rc;
}

enum err_code github_create(struct tconn *c, const struct tracker_new *in,
			    struct tracker_ticket *out, struct err *e)
{
	struct buf url = BUF_INIT, text = BUF_INIT;
	json_t *body, *ans = NULL;
	char who[200];
	enum err_code rc;

	if (in->description && *in->description)
		buf_printf(&text, "%s\n\n", in->description);
	if (in->link)
		buf_printf(&text, "From the review: %s\n", in->link);
	body = json_pack("{s:s, s:s, s:o}", "title", in->summary, "body",
			 text.oom ? "" : buf_cstr(&text), "labels",
			 tracker_labels(c->t, 0));
	if (body && tracker_map_user(c->t, in->owner, who, sizeof who))
		json_object_set_new(body, "assignees", json_pack("[s]", who));
	issue_url(c, &url, NULL);
	rc = !body || url.oom || text.oom
		     ? err_set(e, E_NOMEM, NULL, "out of memory")
		     : tconn_call(c, "POST", buf_cstr(&url), body, NULL, &ans,
				  e);
	if (rc == E_OK)
		rc = checked(c, ans, out, e);
	json_decref(body);
	json_decref(ans);
	buf_release(&url);
	buf_release(&text);
	return rc;
}

enum err_code github_close(struct tconn *c, const char *key, struct err *e)
{
	struct buf url = BUF_INIT;
	json_t *body = json_pack("{s:s, s:s}", "state", "closed",
				 "state_reason", "completed");
	json_t *ans = NULL;
	enum err_code rc;

	issue_url(c, &url, number_of(key));
	rc = !body || url.oom ? err_set(e, E_NOMEM, NULL, "out of memory")
			      : tconn_call(c, "PATCH", buf_cstr(&url), body,
					   NULL, &ans, e);
	json_decref(body);
	json_decref(ans);
	buf_release(&url);
	return rc;
}

#define GITHUB_BATCH 50

/* graphql_url writes the GraphQL endpoint beside the REST API: /graphql
 * of api.github.com, /api/graphql of an Enterprise server. */
static void graphql_url(const struct tracker_config *t, struct buf *b)
{
	size_t ul = strlen(t->url);

	if (ul > 7 && !strcmp(t->url + ul - 7, "/api/v3"))
		buf_printf(b, "%.*s/api/graphql", (int)(ul - 7), t->url);
	else
		buf_printf(b, "%s/graphql", t->url);
}

/* lower copies s in lower case ("CLOSED" -> "closed"). */
static void lower(char *dst, size_t n, const char *s)
{
	tracker_copy(dst, n, s); /* never cut inside a UTF-8 sequence */
	for (; *dst; dst++)
		if (*dst >= 'A' && *dst <= 'Z')
			*dst = (char)(*dst + 32);
}

/* node_read fills out from an issue node of the GraphQL answer. */
static void node_read(const struct tracker_config *t, json_t *node,
		      struct tracker_ticket *out)
{
	char state[32], reason[64];
	json_t *num = json_object_get(node, "number");

	lower(state, sizeof state,
	      json_string_value(json_object_get(node, "state")));
	lower(reason, sizeof reason,
	      json_string_value(json_object_get(node, "stateReason")));
	snprintf(out->key, sizeof out->key, "%s#%lld", t->repository,
		 (long long)json_integer_value(num));
	tracker_copy(out->url, sizeof out->url,
		     json_string_value(json_object_get(node, "url")));
	if (!http_url(out->url))
		web_url(t, (long long)json_integer_value(num), out->url,
			sizeof out->url);
	if (!strcmp(state, "closed") && reason[0])
		snprintf(out->status, sizeof out->status, "closed (%s)",
			 reason);
	else
		tracker_copy(out->status, sizeof out->status, state);
	out->done = !strcmp(state, "closed");
	tracker_copy(out->assignee, sizeof out->assignee,
		     json_string_value(json_object_get(
			     json_array_get(json_object_get(json_object_get(
						    node, "assignees"),
						    "nodes"),
					    0),
			     "login")));
	out->updated = tracker_time(
		json_string_value(json_object_get(node, "updatedAt")));
	out->found = json_is_integer(num);
}

/* graphql_batch reads items[0..n) with one query. E_NOT_FOUND when the
 * server has no GraphQL endpoint. */
static enum err_code graphql_batch(struct tconn *c,
				   struct tracker_ticket *items, size_t n,
				   struct err *e)
{
	struct buf url = BUF_INIT, q = BUF_INIT;
	const char *slash = strchr(c->t->repository, '/');
	json_t *body = NULL, *ans = NULL, *repo;
	enum err_code rc;

	graphql_url(c->t, &url);
	buf_printf(&q, "query { repository(owner: \"%.*s\", name: \"%s\") {",
		   (int)(slash - c->t->repository), c->t->repository,
		   slash + 1);
	for (size_t i = 0; i < n; i++)
		buf_printf(&q,
			   " i%zu: issue(number: %s) { number state "
			   "stateReason url updatedAt assignees(first: 1) "
			   "{ nodes { login } } }",
			   i, number_of(items[i].key));
	buf_puts(&q, " } }");
	if (url.oom || q.oom ||
	    !(body = json_pack("{s:s}", "query", buf_cstr(&q)))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = tconn_call(c, "POST", buf_cstr(&url), body, NULL, &ans, e)) !=
	    E_OK)
		goto out;
	repo = json_object_get(json_object_get(ans, "data"), "repository");
	if (!json_is_object(repo)) {
		json_t *err0 = json_array_get(json_object_get(ans, "errors"), 0);
		const char *msg =
			json_string_value(json_object_get(err0, "message"));
		rc = err_set(e, E_IO, "tracker", "%s GraphQL: %.150s", c->what,
			     msg ? msg : "no repository in the answer");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char alias[24];
		json_t *node;

		snprintf(alias, sizeof alias, "i%zu", i);
		node = json_object_get(repo, alias);
		if (json_is_object(node)) /* null: no such issue */
			node_read(c->t, node, &items[i]);
	}
out:
	json_decref(body);
	json_decref(ans);
	buf_release(&url);
	buf_release(&q);
	return rc;
}

/* by_number reads items one REST call each. */
static enum err_code by_number(struct tconn *c, struct tracker_ticket *items,
			       size_t n, struct err *e)
{
	enum err_code rc = E_OK;

	for (size_t i = 0; i < n && rc == E_OK; i++) {
		char key[sizeof items[i].key];

		memcpy(key, items[i].key, sizeof key);
		rc = github_read(c, key, &items[i], e);
		if (rc == E_NOT_FOUND) { /* deleted or moved: not an error */
			memcpy(items[i].key, key, sizeof key);
			items[i].found = 0;
			rc = E_OK;
		}
	}
	return rc;
}

enum err_code github_read_many(struct tconn *c, struct tracker_ticket *items,
			       size_t n, struct err *e)
{
	enum err_code rc = E_OK;
	int graphql = 1;

	for (size_t at = 0; at < n && rc == E_OK; at += GITHUB_BATCH) {
		size_t m = n - at < GITHUB_BATCH ? n - at : GITHUB_BATCH;

		if (graphql) {
			rc = graphql_batch(c, items + at, m, e);
			if (rc != E_NOT_FOUND)
				continue;
			graphql = 0; /* a server without GraphQL */
		}
		rc = by_number(c, items + at, m, e);
	}
	return rc;
}
