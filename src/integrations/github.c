/* github.c: tickets in GitHub Issues through the REST API (api.github.com
 * or an Enterprise server's /api/v3): POST to create, GET one by number,
 * PATCH state closed to close. Keys are "owner/name#12". */
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
	if (!out->url[0]) /* not in the answer: where GitHub shows issues */
		web_url(t, (long long)json_integer_value(num), out->url,
			sizeof out->url);
	if (state && reason && !strcmp(state, "closed"))
		snprintf(out->status, sizeof out->status, "closed (%.60s)",
			 reason);
	else
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
