/* fake_trackers.h: a fake Jira (REST v3) and a fake GitHub Issues API on
 * 127.0.0.1, in the test process (libmicrohttpd), for test_tickets. They
 * answer the documented endpoints debrief uses with the documented shapes:
 *   Jira  POST /jira/rest/api/3/issue, GET .../issue/KEY,
 *         POST .../search/jql (JQL key in (...); a key it does not know
 *         is a 400, as Jira does), GET and POST .../issue/KEY/transitions;
 *         the same under rest/api/2 (Server / Data Center: POST
 *         .../search, the description as text, assignees by name)
 *   GitHub POST /gh/repos/acme/web/issues, GET and PATCH .../issues/N,
 *         POST /gh/graphql (repository { iN: issue(number: M) {...} },
 *         null and a NOT_FOUND error for an issue it does not have)
 * and on demand: 429 with Retry-After, GitHub's 403 with
 * X-RateLimit-Remaining: 0 and X-RateLimit-Reset, 500, HTML, and a slow
 * answer. Credentials are checked on every call (401 otherwise).
 * Included by test files only; everything is static. */
#ifndef DEBRIEF_FAKE_TRACKERS_H
#define DEBRIEF_FAKE_TRACKERS_H

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JIRA_USER  "bot@example.com"
#define JIRA_TOKEN "jira-secret-token-7f3a91"
#define GH_TOKEN   "ghp_secretgithubtoken42"

struct fake_issue {
	char key[32];	 /* Jira "OPS-1"; GitHub "1" */
	char status[32]; /* Jira status name; GitHub "open" / "closed" */
	int done;
	char assignee[64];
	char updated[40];
};

static struct fake {
	pthread_mutex_t mu;
	struct fake_issue jira[64], gh[64];
	int njira, ngh;
	/* what was asked */
	int jira_creates, jira_gets, jira_searches, jira_transitions;
	int gh_creates, gh_gets, gh_patches;
	int bad_auth;
	int jira_v2_calls;
	int old_jira;
	int gh_graphql;   /* GraphQL queries answered */
	int no_graphql;   /* 1: a GitHub without GraphQL (404) */	  /* 1: no search/jql (an older Jira): /search only */
	int rate_limited; /* 429 / 403 answers sent */
	json_t *last_create; /* the body of the last create (either) */
	/* what to do to the next calls */
	int send_429;	    /* this many 429s with Retry-After: 1 */
	int send_403_reset; /* this many GitHub 403s, remaining 0, reset */
	int send_500;
	int send_html;
	int slow_seconds; /* sleep before answering */
} fake = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void fake_reset(void)
{
	pthread_mutex_lock(&fake.mu);
	json_decref(fake.last_create);
	memset((char *)&fake + sizeof fake.mu, 0, sizeof fake - sizeof fake.mu);
	fake.njira = 2;
	snprintf(fake.jira[0].key, 32, "OPS-1");
	snprintf(fake.jira[0].status, 32, "In Progress");
	snprintf(fake.jira[0].assignee, 64, "Alice Ops");
	snprintf(fake.jira[0].updated, 40, "2026-11-30T09:15:00.000+0100");
	snprintf(fake.jira[1].key, 32, "OPS-2");
	snprintf(fake.jira[1].status, 32, "Done");
	fake.jira[1].done = 1;
	snprintf(fake.jira[1].updated, 40, "2026-11-29T10:00:00.000+0000");
	fake.ngh = 1;
	snprintf(fake.gh[0].key, 32, "1");
	snprintf(fake.gh[0].status, 32, "open");
	snprintf(fake.gh[0].assignee, 64, "octocat");
	snprintf(fake.gh[0].updated, 40, "2026-11-28T08:00:00Z");
	pthread_mutex_unlock(&fake.mu);
}

static struct fake_issue *fake_find(struct fake_issue *list, int n,
				    const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].key, key))
			return &list[i];
	return NULL;
}

static json_t *jira_issue_json(const struct fake_issue *is, int port)
{
	char self[128];

	snprintf(self, sizeof self,
		 "http://127.0.0.1:%d/jira/rest/api/3/issue/%s", port, is->key);
	return json_pack(
		"{s:s, s:s, s:s, s:{s:{s:s, s:{s:s}}, s:o, s:s, s:o}}", "id",
		"10001", "key", is->key, "self", self, "fields", "status",
		"name", is->status, "statusCategory", "key",
		is->done ? "done" : "indeterminate", "assignee",
		is->assignee[0]
			? json_pack("{s:s}", "displayName", is->assignee)
			: json_null(),
		"updated", is->updated, "resolution",
		is->done ? json_pack("{s:s}", "name", "Fixed") : json_null());
}

static json_t *gh_issue_json(const struct fake_issue *is, int port)
{
	char url[128];

	snprintf(url, sizeof url, "https://github.example/acme/web/issues/%s",
		 is->key);
	return json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:o, s:s}", "number",
		(json_int_t)atoi(is->key), "html_url", url, "state", is->status,
		"title", "t", "state_reason",
		is->done ? json_string("completed") : json_null(), "assignee",
		is->assignee[0] ? json_pack("{s:s}", "login", is->assignee)
				: json_null(),
		"updated_at", is->updated);
	(void)port;
}

static int fake_port;

/* fake_answer_json answers status with j (released). */
static enum MHD_Result fake_send(struct MHD_Connection *c, unsigned status,
				 json_t *j, const char *ctype, const char *text)
{
	char *body = j ? json_dumps(j, JSON_COMPACT) : strdup(text ? text : "");
	struct MHD_Response *r;
	enum MHD_Result ret;

	json_decref(j);
	r = MHD_create_response_from_buffer(strlen(body), body,
					    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type",
				ctype ? ctype : "application/json");
	if (status == 429)
		MHD_add_response_header(r, "Retry-After", "1");
	if (status == 403) {
		char reset[32];
		snprintf(reset, sizeof reset, "%ld", (long)time(NULL) + 1);
		MHD_add_response_header(r, "X-RateLimit-Remaining", "0");
		MHD_add_response_header(r, "X-RateLimit-Reset", reset);
	}
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static int jira_auth_ok(struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Authorization");
	char want[256], b64[200];
	const char *cred = JIRA_USER ":" JIRA_TOKEN;

	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)cred,
			  strlen(cred), sodium_base64_VARIANT_ORIGINAL);
	snprintf(want, sizeof want, "Basic %s", b64);
	return h && !strcmp(h, want);
}

static int gh_auth_ok(struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Authorization");
	return h && !strcmp(h, "Bearer " GH_TOKEN);
}

/* route answers one whole request (body read); called with fake.mu held. */
static enum MHD_Result route(struct MHD_Connection *c, const char *url,
			     const char *method, const char *body)
{
	json_t *in = body && *body ? json_loads(body, 0, NULL) : NULL;
	enum MHD_Result ret;
	char key[64];

	if (!strncmp(url, "/jira/", 6)) {
		const char *p = url + 6;
		char v3[256];

		/* v2 is v3 here but for the search's path: the rest is
		 * told apart by the body (fake.last_create) */
		if (!strncmp(p, "rest/api/2/", 11)) {
			fake.jira_v2_calls++;
			snprintf(v3, sizeof v3, "rest/api/3/%s",
				 !strcmp(p + 11, "search") ? "search/jql"
							   : p + 11);
			p = v3;
		} else if (!strcmp(p, "rest/api/3/search")) {
			p = fake.old_jira ? "rest/api/3/search/jql"
					  : "no such endpoint in v3 any more";
		} else if (fake.old_jira &&
			   !strcmp(p, "rest/api/3/search/jql")) {
			p = "no such endpoint in this Jira";
		}

		if (!jira_auth_ok(c)) {
			fake.bad_auth++;
			ret = fake_send(
				c, 401, NULL, "text/html",
				"<html><body>Unauthorized</body></html>");
			goto out;
		}
		if (!strcmp(method, "POST") && !strcmp(p, "rest/api/3/issue")) {
			struct fake_issue *is = &fake.jira[fake.njira];
			json_t *f = json_object_get(in, "fields");

			fake.jira_creates++;
			json_decref(fake.last_create);
			fake.last_create = json_incref(in);
			if (!json_string_value(json_object_get(f, "summary"))) {
				ret = fake_send(c, 400,
						json_pack("{s:[], s:{s:s}}",
							  "errorMessages",
							  "errors", "summary",
							  "You must specify a "
							  "summary of the "
							  "issue."),
						NULL, NULL);
				goto out;
			}
			snprintf(is->key, 32, "OPS-%d", ++fake.njira);
			snprintf(is->status, 32, "To Do");
			snprintf(is->updated, 40,
				 "2026-12-06T05:00:00.000+0000");
			ret = fake_send(c, 201,
					json_pack("{s:s, s:s, s:s}", "id", "1",
						  "key", is->key, "self", "x"),
					NULL, NULL);
			goto out;
		}
		if (!strcmp(method, "POST") &&
		    !strcmp(p, "rest/api/3/search/jql")) {
			const char *jql =
				json_string_value(json_object_get(in, "jql"));
			json_t *issues = json_array();
			const char *q = jql ? strchr(jql, '(') : NULL;

			fake.jira_searches++;
			while (q && (q = strchr(q, '"'))) {
				size_t n = strcspn(q + 1, "\"");
				struct fake_issue *is;
				snprintf(key, sizeof key, "%.*s", (int)n,
					 q + 1);
				q += n + 2;
				if (!(is = fake_find(fake.jira, fake.njira,
						     key))) {
					char msg[160];
					json_decref(issues);
					snprintf(msg, sizeof msg,
						 "An issue with key '%s' does "
						 "not exist for field 'key'.",
						 key);
					ret = fake_send(
						c, 400,
						json_pack("{s:[s], s:{}}",
							  "errorMessages", msg,
							  "errors"),
						NULL, NULL);
					goto out;
				}
				json_array_append_new(
					issues, jira_issue_json(is, fake_port));
			}
			ret = fake_send(c, 200,
					json_pack("{s:o, s:b}", "issues",
						  issues, "isLast", 1),
					NULL, NULL);
			goto out;
		}
		if (!strncmp(p, "rest/api/3/issue/", 17)) {
			struct fake_issue *is;
			const char *tr;

			snprintf(key, sizeof key, "%.*s",
				 (int)strcspn(p + 17, "/?"), p + 17);
			tr = strstr(p + 17, "/transitions");
			is = fake_find(fake.jira, fake.njira, key);
			if (!is) {
				ret = fake_send(
					c, 404,
					json_pack("{s:[s], s:{}}",
						  "errorMessages",
						  "Issue does not exist or you "
						  "do not have permission to "
						  "see it.",
						  "errors"),
					NULL, NULL);
				goto out;
			}
			if (tr && !strcmp(method, "GET")) {
				ret = fake_send(
					c, 200,
					json_pack("{s:[{s:s, s:s, s:{s:{s:s}}},"
						  "{s:s, s:s, s:{s:{s:s}}}]}",
						  "transitions", "id", "11",
						  "name", "Start", "to",
						  "statusCategory", "key",
						  "indeterminate", "id", "31",
						  "name", "Done", "to",
						  "statusCategory", "key",
						  "done"),
					NULL, NULL);
				goto out;
			}
			if (tr && !strcmp(method, "POST")) {
				const char *id =
					json_string_value(json_object_get(
						json_object_get(in,
								"transition"),
						"id"));
				fake.jira_transitions++;
				if (id && !strcmp(id, "31")) {
					snprintf(is->status, 32, "Done");
					is->done = 1;
				}
				ret = fake_send(c, 204, NULL, NULL, "");
				goto out;
			}
			fake.jira_gets++;
			ret = fake_send(c, 200, jira_issue_json(is, fake_port),
					NULL, NULL);
			goto out;
		}
	} else if (!strcmp(url, "/gh/graphql") && !strcmp(method, "POST")) {
		const char *q = json_string_value(json_object_get(in, "query"));
		json_t *repo = json_object(), *errors = json_array();
		char alias[16];
		int num, n;

		if (!gh_auth_ok(c)) {
			fake.bad_auth++;
			json_decref(repo);
			json_decref(errors);
			ret = fake_send(c, 401,
					json_pack("{s:s}", "message",
						  "Bad credentials"),
					NULL, NULL);
			goto out;
		}
		if (fake.no_graphql || !q ||
		    !strstr(q, "repository(owner: \"acme\", name: \"web\")")) {
			json_decref(repo);
			json_decref(errors);
			ret = fake_send(c, 404,
					json_pack("{s:s}", "message",
						  "Not Found"),
					NULL, NULL);
			goto out;
		}
		fake.gh_graphql++;
		while ((q = strstr(q, " i"))) {
			struct fake_issue *is;
			char key[16];

			if (sscanf(q, " %15[^:]: issue(number: %d)%n", alias,
				   &num, &n) != 2) {
				q += 2;
				continue;
			}
			q += n;
			snprintf(key, sizeof key, "%d", num);
			if (!(is = fake_find(fake.gh, fake.ngh, key))) {
				json_object_set_new(repo, alias, json_null());
				json_array_append_new(
					errors,
					json_pack("{s:s, s:[s,s], s:s}", "type",
						  "NOT_FOUND", "path",
						  "repository", alias,
						  "message",
						  "Could not resolve to an "
						  "Issue."));
				continue;
			}
			json_object_set_new(
				repo, alias,
				json_pack("{s:i, s:s, s:o, s:s, s:s, s:{s:o}}",
					  "number", num, "state",
					  is->done ? "CLOSED" : "OPEN",
					  "stateReason",
					  is->done ? json_string("COMPLETED")
						   : json_null(),
					  "url",
					  "https://github.example/acme/web/"
					  "issues/0",
					  "updatedAt", is->updated,
					  "assignees", "nodes",
					  is->assignee[0]
						  ? json_pack("[{s:s}]",
							      "login",
							      is->assignee)
						  : json_array()));
		}
		ret = fake_send(c, 200,
				json_pack("{s:{s:o}, s:o}", "data",
					  "repository", repo, "errors", errors),
				NULL, NULL);
		goto out;
	} else if (!strncmp(url, "/gh/repos/acme/web/issues", 25)) {
		const char *p = url + 25;
		struct fake_issue *is;

		if (!gh_auth_ok(c)) {
			fake.bad_auth++;
			ret = fake_send(c, 401,
					json_pack("{s:s}", "message",
						  "Bad credentials"),
					NULL, NULL);
			goto out;
		}
		if (!*p && !strcmp(method, "POST")) {
			fake.gh_creates++;
			json_decref(fake.last_create);
			fake.last_create = json_incref(in);
			is = &fake.gh[fake.ngh];
			snprintf(is->key, 32, "%d", ++fake.ngh);
			snprintf(is->status, 32, "open");
			snprintf(is->updated, 40, "2026-12-06T05:00:00Z");
			ret = fake_send(c, 201, gh_issue_json(is, fake_port),
					NULL, NULL);
			goto out;
		}
		if (*p == '/' && (is = fake_find(fake.gh, fake.ngh, p + 1))) {
			if (!strcmp(method, "PATCH")) {
				const char *st = json_string_value(
					json_object_get(in, "state"));
				fake.gh_patches++;
				if (st) {
					snprintf(is->status, 32, "%s", st);
					is->done = !strcmp(st, "closed");
				}
			} else {
				fake.gh_gets++;
			}
			ret = fake_send(c, 200, gh_issue_json(is, fake_port),
					NULL, NULL);
			goto out;
		}
		ret = fake_send(c, 404,
				json_pack("{s:s}", "message", "Not Found"),
				NULL, NULL);
		goto out;
	}
	ret = fake_send(c, 404, NULL, "text/html", "<html>no such page</html>");
out:
	json_decref(in);
	return ret;
}

struct fake_req {
	char *body;
	size_t len;
};

static enum MHD_Result fake_answer(void *cls, struct MHD_Connection *c,
				   const char *url, const char *method,
				   const char *version, const char *upload,
				   size_t *upload_size, void **con_cls)
{
	struct fake_req *fr = *con_cls;
	enum MHD_Result ret;
	int slow;

	(void)cls, (void)version;
	if (!fr) {
		*con_cls = calloc(1, sizeof *fr);
		return *con_cls ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		char *nb = realloc(fr->body, fr->len + *upload_size + 1);
		if (!nb)
			return MHD_NO;
		memcpy(nb + fr->len, upload, *upload_size);
		fr->len += *upload_size;
		nb[fr->len] = '\0';
		fr->body = nb;
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&fake.mu);
	slow = fake.slow_seconds;
	pthread_mutex_unlock(&fake.mu);
	if (slow)
		sleep((unsigned)slow);
	pthread_mutex_lock(&fake.mu);
	if (fake.send_429 > 0) {
		fake.send_429--;
		fake.rate_limited++;
		ret = fake_send(c, 429,
				json_pack("{s:s}", "message", "slow down"),
				NULL, NULL);
	} else if (fake.send_403_reset > 0 && !strncmp(url, "/gh/", 4)) {
		fake.send_403_reset--;
		fake.rate_limited++;
		ret = fake_send(c, 403,
				json_pack("{s:s}", "message",
					  "API rate limit exceeded"),
				NULL, NULL);
	} else if (fake.send_500 > 0) {
		fake.send_500--;
		ret = fake_send(c, 500, NULL, "text/plain", "oops");
	} else if (fake.send_html > 0) {
		fake.send_html--;
		ret = fake_send(
			c, 200, NULL, "text/html; charset=utf-8",
			"<!DOCTYPE html><html><body>Log in</body></html>");
	} else {
		ret = route(c, url, method, fr->body);
	}
	pthread_mutex_unlock(&fake.mu);
	return ret;
}

static void fake_done(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct fake_req *fr = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (fr) {
		free(fr->body);
		free(fr);
	}
	*con_cls = NULL;
}

/* fake_start starts both fakes on one loopback port; returns the daemon. */
static struct MHD_Daemon *fake_start(void)
{
	struct sockaddr_in loopback = {0};
	struct MHD_Daemon *d;

	fake_reset();
	loopback.sin_family = AF_INET;
	loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
		0, NULL, NULL, fake_answer, NULL, MHD_OPTION_SOCK_ADDR,
		&loopback, MHD_OPTION_NOTIFY_COMPLETED, fake_done, NULL,
		MHD_OPTION_END);
	if (d)
		fake_port =
			MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
	return d;
}

#endif
