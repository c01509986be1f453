/* config_tracker.c: the tracker.NAME.KEY settings (see config.h, struct
 * tracker_config, and README "Tickets"). Tokens and webhook secrets are
 * secrets: no message here repeats their value. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= sizeof((struct tracker_config *)0)->name)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) ||
		      isdigit((unsigned char)s[i]) || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}

/* put copies value into dst (n bytes); -1 when it does not fit. */
static int put(char *dst, size_t n, const char *value)
{
	size_t len = strlen(value);

	if (len >= n)
		return -1;
	memcpy(dst, value, len + 1);
	return 0;
}

/* printable: ASCII without spaces or controls (a token, a secret). */
static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* repo_chars: GitHub's owner and repository names are letters, digits,
 * '-', '_' and '.'; the '/' between them is checked by the caller. */
static int repo_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_./", *s))
			return 0;
	return 1;
}

/* tracker_slot finds tracker name (n bytes) or adds it. */
static struct tracker_config *tracker_slot(struct config *c, const char *name,
					   size_t n)
{
	struct tracker_config *t;

	for (int i = 0; i < c->ntrackers; i++)
		if (strlen(c->trackers[i].name) == n &&
		    !memcmp(c->trackers[i].name, name, n))
			return &c->trackers[i];
	if (c->ntrackers == CONFIG_MAX_TRACKERS)
		return NULL;
	t = &c->trackers[c->ntrackers++];
	memset(t, 0, sizeof *t);
	memcpy(t->name, name, n);
	t->name[n] = '\0';
	t->api_version = 3;
	t->timeout = 10;
	snprintf(t->issue_type, sizeof t->issue_type, "%s", "Task");
	return t;
}

const struct tracker_config *config_tracker_find(const struct config *c,
						 const char *name)
{
	for (int i = 0; name && i < c->ntrackers; i++)
		if (!strcmp(c->trackers[i].name, name))
			return &c->trackers[i];
	return NULL;
}

enum err_code config_tracker_set(struct config *c, const char *key,
				 const char *value, struct err *e)
{
	const char *name = key + 8, *dot = strchr(name, '.'), *k;
	struct tracker_config *t;

	if (!dot || !name_ok(name, (size_t)(dot - name)))
		return err_set(e, E_INVALID, key,
			       "%.80s: expected tracker.NAME.KEY with NAME of "
			       "a-z, 0-9, - and _ (at most 31)",
			       key);
	k = dot + 1;
	if (!(t = tracker_slot(c, name, (size_t)(dot - name))))
		return err_set(e, E_INVALID, key, "%.80s: at most %d trackers",
			       key, CONFIG_MAX_TRACKERS);
	if (!strcmp(k, "type")) {
		if (!strcmp(value, "jira"))
			t->type = TRACKER_JIRA;
		else if (!strcmp(value, "github"))
			t->type = TRACKER_GITHUB;
		else
			return err_set(e, E_INVALID, key,
				       "%.80s: expected jira or github, got "
				       "'%.40s'",
				       key, value);
	} else if (!strcmp(k, "url")) {
		size_t n = strlen(value);
		size_t scheme = 0;

		if (!strncmp(value, "https://", 8))
			scheme = 8;
		else if (!strncmp(value, "http://", 7))
			scheme = 7;
		/* a host after the scheme: "https://" alone would lose its
		 * slashes below and become "https:" */
		if (!scheme || !value[scheme] || value[scheme] == '/' ||
		    !printable(value) || put(t->url, sizeof t->url, value) < 0)
			return err_set(e, E_INVALID, key,
				       "%.80s: expected an http:// or https:// "
				       "URL, got '%.100s'",
				       key, value);
		while (n > 0 && t->url[n - 1] == '/') /* no trailing slash */
			t->url[--n] = '\0';
	} else if (!strcmp(k, "project")) {
		if (!*value || !printable(value) ||
		    put(t->project, sizeof t->project, value) < 0)
			return err_set(e, E_INVALID, key,
				       "%.80s: expected a project key such as "
				       "OPS",
				       key);
	} else if (!strcmp(k, "repository")) {
		const char *slash = strchr(value, '/');
		if (!slash || slash == value || !slash[1] ||
		    strchr(slash + 1, '/') || !repo_chars(value) ||
		    put(t->repository, sizeof t->repository, value) < 0)
			return err_set(e, E_INVALID, key,
				       "%.80s: expected owner/name, got "
				       "'%.100s'",
				       key, value);
	} else if (!strcmp(k, "issue_type")) {
		if (!*value ||
		    put(t->issue_type, sizeof t->issue_type, value) < 0)
			return err_set(e, E_INVALID, key,
				       "%.80s: empty or too long", key);
	} else if (!strcmp(k, "api_version")) {
		if (strcmp(value, "2") && strcmp(value, "3"))
			return err_set(e, E_INVALID, key,
				       "%.80s: expected 3 (Jira Cloud) or 2 "
				       "(Server / Data Center), got '%.20s'",
				       key, value);
		t->api_version = value[0] - '0';
	} else if (!strcmp(k, "user")) {
		if (put(t->user, sizeof t->user, value) < 0 ||
		    strchr(value, ':'))
			return err_set(e, E_INVALID, key,
				       "%.80s: too long or holds ':'", key);
	} else if (!strcmp(k, "token") || !strcmp(k, "secret")) {
		char *dst = k[0] == 't' ? t->token : t->secret;
		size_t n = k[0] == 't' ? sizeof t->token : sizeof t->secret;
		/* a secret: the message never repeats the value */
		if (!printable(value) || put(dst, n, value) < 0)
			return err_set(e, E_INVALID, key,
				       "%.80s: only printable ASCII without "
				       "spaces, at most %zu characters",
				       key, n - 1);
	} else if (!strcmp(k, "labels")) {
		if (put(t->labels, sizeof t->labels, value) < 0)
			return err_set(e, E_INVALID, key, "%.80s: too long",
				       key);
	} else if (!strcmp(k, "users")) {
		if (put(t->users, sizeof t->users, value) < 0)
			return err_set(e, E_INVALID, key, "%.80s: too long",
				       key);
	} else if (!strcmp(k, "close_ticket") || !strcmp(k, "close_followup")) {
		int *flag = k[6] == 't' ? &t->close_ticket : &t->close_followup;
		if (!strcmp(value, "true") || !strcmp(value, "1"))
			*flag = 1;
		else if (!strcmp(value, "false") || !strcmp(value, "0"))
			*flag = 0;
		else
			return err_set(e, E_INVALID, key,
				       "%.80s: expected true or false", key);
	} else if (!strcmp(k, "timeout")) {
		char *end;
		long v = strtol(value, &end, 10);
		if (end == value || *end || v < 1 || v > 300)
			return err_set(e, E_INVALID, key,
				       "%.80s: expected 1 to 300 seconds", key);
		t->timeout = v;
	} else {
		return err_set(e, E_INVALID, key,
			       "unknown key '%.80s' (a tracker takes type, "
			       "url, project, repository, issue_type, "
			       "api_version, user, token, secret, labels, "
			       "users, close_ticket, close_followup, timeout)",
			       key);
	}
	return E_OK;
}

enum err_code config_trackers_from_env(struct config *c, struct err *e)
{
	for (int i = 0; i < c->ntrackers; i++) {
		static const char *const what[] = {"TOKEN", "SECRET"};
		for (int w = 0; w < 2; w++) {
			char var[80], key[64];
			const char *v;
			size_t j;

			j = (size_t)snprintf(var, sizeof var,
					     "DEBRIEF_TRACKER_");
			for (const char *p = c->trackers[i].name; *p; p++)
				var[j++] = *p == '-'
						   ? '_'
						   : (char)toupper(
							     (unsigned char)*p);
			snprintf(var + j, sizeof var - j, "_%s", what[w]);
			if (!(v = getenv(var)))
				continue;
			snprintf(key, sizeof key, "tracker.%s.%s",
				 c->trackers[i].name, w ? "secret" : "token");
			if (config_tracker_set(c, key, v, e) != E_OK) {
				char msg[sizeof e->message];
				snprintf(msg, sizeof msg, "%s", e->message);
				return err_set(e, E_INVALID, key, "%s: %s", var,
					       msg);
			}
		}
	}
	return E_OK;
}

enum err_code config_trackers_check(const struct config *c, struct err *e)
{
	for (int i = 0; i < c->ntrackers; i++) {
		const struct tracker_config *t = &c->trackers[i];
		const char *missing = NULL;

		if (!t->type)
			missing = "type (jira or github)";
		else if (!t->url[0])
			missing = "url";
		else if (t->type == TRACKER_JIRA && !t->project[0])
			missing = "project";
		else if (t->type == TRACKER_GITHUB && !t->repository[0])
			missing = "repository";
		if (missing)
			return err_set(e, E_INVALID, "tracker",
				       "tracker.%s: no %s set", t->name,
				       missing);
	}
	return E_OK;
}
