/* jira.c: tickets in Jira, Cloud (REST v3) or Server / Data Center (REST
 * v2): POST issue to create, GET issue to read one, a JQL search
 * "key in (...)" to read many, transitions to close. v3 takes the
 * description as an Atlassian document and assignees by accountId; v2
 * takes text and user names. */
#include <stdio.h>
#include <string.h>

#include "integrations/tracker_internal.h"

#define JIRA_FIELDS "status,assignee,updated,resolution"
#define JIRA_BATCH  50

static void api_url(struct tconn *c, struct buf *b, const char *path)
{
	buf_printf(b, "%s/rest/api/%d/%s", c->t->url, c->t->api_version, path);
}

/* jira_issue_read: see tracker_internal.h. */
void jira_issue_read(const struct tracker_config *t, json_t *issue,
		     struct tracker_ticket *out)
{
	json_t *f = json_object_get(issue, "fields");
	json_t *status = json_object_get(f, "status");
	json_t *res = json_object_get(f, "resolution");
	const char *cat = json_string_value(json_object_get(
		json_object_get(status, "statusCategory"), "key"));
	const char *key = json_string_value(json_object_get(issue, "key"));
	json_t *who = json_object_get(f, "assignee");
	const char *name =
		json_string_value(json_object_get(who, "displayName"));

	if (!name)
		name = json_string_value(json_object_get(who, "name"));
	tracker_copy(out->key, sizeof out->key, key);
	snprintf(out->url, sizeof out->url, "%s/browse/%s", t->url, out->key);
	tracker_copy(out->status, sizeof out->status,
		     json_string_value(json_object_get(status, "name")));
	out->done = (cat && !strcmp(cat, "done")) ||
		    (res && !json_is_null(res));
	tracker_copy(out->assignee, sizeof out->assignee, name);
	out->updated =
		tracker_time(json_string_value(json_object_get(f, "updated")));
	out->found = jira_key_valid(key); /* not a key: not an issue */
}

enum err_code jira_read(struct tconn *c, const char *key,
			struct tracker_ticket *out, struct err *e)
{
	struct buf url = BUF_INIT;
	json_t *ans = NULL;
	enum err_code rc;

	api_url(c, &url, "issue/");
	http_url_escape(&url, key);
	buf_puts(&url, "?fields=" JIRA_FIELDS);
	if (url.oom)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else
		rc = tconn_call(c, "GET", buf_cstr(&url), NULL, NULL, &ans, e);
	if (rc == E_OK) {
		jira_issue_read(c->t, ans, out);
		if (!out->found)
			rc = err_set(e, E_IO, "tracker",
				     "%s: the answer holds no issue key",
				     c->what);
	}
	json_decref(ans);
	buf_release(&url);
	return rc;
}

/* adf wraps text in an Atlassian document: a paragraph per line. */
static json_t *adf(const char *text)
{
	json_t *content = json_array();
	const char *p = text;

	while (content && *p) {
		size_t n = strcspn(p, "\n");
		if (n > 0)
			json_array_append_new(
				content,
				json_pack("{s:s, s:[{s:s, s:s%}]}", "type",
					  "paragraph", "content", "type",
					  "text", "text", p, n));
		p += n;
		if (*p == '\n')
			p++;
	}
	return json_pack("{s:s, s:i, s:o}", "type", "doc", "version", 1,
			 "content", content ? content : json_array());
}

enum err_code jira_create(struct tconn *c, const struct tracker_new *in,
			  struct tracker_ticket *out, struct err *e)
{
	struct buf url = BUF_INIT, text = BUF_INIT;
	json_t *body = NULL, *fields, *ans = NULL;
	char who[200];
	enum err_code rc;
	const char *key;

	if (in->description && *in->description)
		buf_printf(&text, "%s\n\n", in->description);
	if (in->link)
		buf_printf(&text, "From the review: %s\n", in->link);
	fields = json_pack("{s:{s:s}, s:s, s:{s:s}, s:o}", "project", "key",
			   c->t->project, "summary", in->summary, "issuetype",
			   "name", c->t->issue_type, "labels",
			   tracker_labels(c->t, 1));
	if (fields && text.len)
		json_object_set_new(fields, "description",
				    c->t->api_version >= 3
					    ? adf(buf_cstr(&text))
					    : json_string(buf_cstr(&text)));
	if (fields && tracker_map_user(c->t, in->owner, who, sizeof who))
		json_object_set_new(
			fields, "assignee",
			json_pack("{s:s}",
				  c->t->api_version >= 3 ? "accountId" : "name",
				  who));
	body = fields ? json_pack("{s:o}", "fields", fields) : NULL;
	api_url(c, &url, "issue");
	if (!body || url.oom || text.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = tconn_call(c, "POST", buf_cstr(&url), body, NULL, &ans, e)) !=
	    E_OK)
		goto out;
	key = json_string_value(json_object_get(ans, "key"));
	if (!key) {
		rc = err_set(e, E_IO, "tracker", "%s created no issue key",
			     c->what);
		goto out;
	}
	tracker_copy(out->key, sizeof out->key, key);
	/* what it is now: status, assignee, time */
	if ((rc = jira_read(c, out->key, out, e)) == E_NOT_FOUND)
		rc = err_set(e, E_IO, "tracker",
			     "%s created %s but cannot read it back", c->what,
			     out->key);
out:
	json_decref(body);
	json_decref(ans);
	buf_release(&url);
	buf_release(&text);
	return rc;
}

/* search_batch reads items[0..n) with one JQL search at path ("search/jql",
 * Jira Cloud's; "search", Server's and the older Cloud one). E_INVALID
 * when Jira refuses the query (one key it does not know is enough for
 * that), E_NOT_FOUND when it has no such endpoint. */
static enum err_code search_batch(struct tconn *c, const char *path,
				  struct tracker_ticket *items, size_t n,
				  struct err *e)
{
	struct buf url = BUF_INIT, jql = BUF_INIT;
	json_t *body, *ans = NULL, *issue;
	enum err_code rc;
	size_t i, j;

	buf_puts(&jql, "key in (");
	for (i = 0; i < n; i++)
		buf_printf(&jql, "%s\"%s\"", i ? ", " : "", items[i].key);
	buf_puts(&jql, ")");
	api_url(c, &url, path);
	body = json_pack("{s:s, s:[s,s,s,s], s:i}", "jql", buf_cstr(&jql),
			 "fields", "status", "assignee", "updated",
			 "resolution", "maxResults", (int)n);
	if (!body || url.oom || jql.oom)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else
		rc = tconn_call(c, "POST", buf_cstr(&url), body, NULL, &ans, e);
	json_array_foreach(json_object_get(ans, "issues"), j, issue)
	{
		struct tracker_ticket t = {0};

		jira_issue_read(c->t, issue, &t);
		for (i = 0; i < n; i++)
			if (!strcmp(items[i].key, t.key))
				items[i] = t;
	}
	json_decref(body);
	json_decref(ans);
	buf_release(&url);
	buf_release(&jql);
	return rc;
}

enum err_code jira_read_many(struct tconn *c, struct tracker_ticket *items,
			     size_t n, struct err *e)
{
	const char *path = c->t->api_version >= 3 ? "search/jql" : "search";
	enum err_code rc = E_OK;

	for (size_t at = 0; at < n && rc == E_OK; at += JIRA_BATCH) {
		size_t m = n - at < JIRA_BATCH ? n - at : JIRA_BATCH;

		rc = path ? search_batch(c, path, items + at, m, e) : E_INVALID;
		if (rc == E_NOT_FOUND && path && !strcmp(path, "search/jql")) {
			/* a Jira without the newer endpoint */
			path = "search";
			rc = search_batch(c, path, items + at, m, e);
		}
		if (rc == E_NOT_FOUND)
			path = NULL; /* no search at all: read one by one */
		if (rc != E_INVALID && rc != E_NOT_FOUND)
			continue;
		/* a key Jira no longer knows fails the whole query: read
		 * this batch one by one instead */
		rc = E_OK;
		for (size_t i = at; i < at + m && rc == E_OK; i++) {
			char key[sizeof items[i].key];

			memcpy(key, items[i].key, sizeof key);
			rc = jira_read(c, key, &items[i], e);
			if (rc == E_NOT_FOUND) {
				memcpy(items[i].key, key, sizeof key);
				items[i].found = 0;
				rc = E_OK;
			}
		}
	}
	return rc;
}

enum err_code jira_close(struct tconn *c, const char *key, struct err *e)
{
	struct buf url = BUF_INIT;
	json_t *ans = NULL, *tr, *body = NULL, *none = NULL;
	const char *id = NULL;
	enum err_code rc;
	size_t i;

	api_url(c, &url, "issue/");
	http_url_escape(&url, key);
	buf_puts(&url, "/transitions");
	if (url.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = tconn_call(c, "GET", buf_cstr(&url), NULL, NULL, &ans, e)) !=
	    E_OK)
		goto out;
	json_array_foreach(json_object_get(ans, "transitions"), i, tr)
	{
		const char *cat = json_string_value(json_object_get(
			json_object_get(json_object_get(tr, "to"),
					"statusCategory"),
			"key"));
		if (cat && !strcmp(cat, "done")) {
			id = json_string_value(json_object_get(tr, "id"));
			break;
		}
	}
	if (!id) {
		rc = err_set(e, E_INVALID, "tracker",
			     "%s offers no transition of %s to a done status",
			     c->what, key);
		goto out;
	}
	body = json_pack("{s:{s:s}}", "transition", "id", id);
	rc = body ? tconn_call(c, "POST", buf_cstr(&url), body, NULL, &none, e)
		  : err_set(e, E_NOMEM, NULL, "out of memory");
out:
	json_decref(none);
	json_decref(body);
	json_decref(ans);
	buf_release(&url);
	return rc;
}
