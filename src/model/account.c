/* account.c: user name, group name and password rules (see account.h). */
#include "model/account.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/review.h"
#include "util/utf8.h"
#include "util/tz.h"

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

enum err_code account_check_name(const char *name, struct err *e)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0)
		return err_set(e, E_INVALID, "name", "a user name is required");
	if (n > ACCOUNT_NAME_MAX)
		return err_set(e, E_INVALID, "name",
			       "a user name has at most %d characters",
			       ACCOUNT_NAME_MAX);
	if (!is_alnum(name[0]))
		return err_set(e, E_INVALID, "name",
			       "a user name begins with a letter or digit");
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(name[i]) && !strchr("._@+-", name[i]))
			return err_set(e, E_INVALID, "name",
				       "a user name may hold letters, digits "
				       "and . _ @ + - only");
	return E_OK;
}

enum err_code account_check_group(const char *group, struct err *e)
{
	size_t n = group ? strlen(group) : 0;

	/* the rule is the one restricted reviews name groups by */
	if (review_group_valid(group))
		return E_OK;
	if (n == 0 || n > ACCOUNT_GROUP_MAX)
		return err_set(e, E_INVALID, "groups",
			       "a group name has 1 to %d characters",
			       ACCOUNT_GROUP_MAX);
	return err_set(e, E_INVALID, "groups",
		       "group \"%.*s\": use lower-case letters, digits and "
		       ". _ - only",
		       (int)utf8_cut(group, 64), group);
}

enum err_code account_check_password(const char *password, const char *user,
				     struct err *e)
{
	size_t n = password ? strlen(password) : 0, chars = 0;

	if (n > ACCOUNT_PASSWORD_MAX)
		return err_set(e, E_INVALID, "password",
			       "a password has at most %d bytes",
			       ACCOUNT_PASSWORD_MAX);
	if (n && !utf8_valid(password, n, NULL))
		return err_set(e, E_INVALID, "password",
			       "the password is not valid UTF-8");
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)password[i] & 0xC0) != 0x80)
			chars++;
	if (chars < ACCOUNT_PASSWORD_MIN)
		return err_set(e, E_INVALID, "password",
			       "a password needs at least %d characters",
			       ACCOUNT_PASSWORD_MIN);
	if (user && !strcasecmp(password, user))
		return err_set(e, E_INVALID, "password",
			       "the password must not be the user name");
	return E_OK;
}

/* groups_add appends g to the array unless it is there already. */
static int groups_add(json_t *arr, const char *g)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
	{
		if (!strcmp(json_string_value(v), g))
			return 0;
	}
	return json_array_append_new(arr, json_string(g));
}

/* groups_finish checks the count and dumps arr into the arena. */
static enum err_code groups_finish(struct arena *a, json_t *arr,
				   const char **out, struct err *e)
{
	char *text;

	if (json_array_size(arr) > ACCOUNT_GROUPS_MAX)
		return err_set(e, E_INVALID, "groups",
			       "a user is in at most %d groups",
			       ACCOUNT_GROUPS_MAX);
	text = json_dumps(arr, JSON_COMPACT);
	if (!text)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	*out = arena_strdup(a, text);
	free(text);
	return *out ? E_OK : err_set(e, E_NOMEM, NULL, "out of memory");
}

enum err_code account_groups_from_text(struct arena *a, const char *text,
				       const char **out, struct err *e)
{
	json_t *arr = json_array();
	enum err_code rc = E_OK;
	const char *p = text ? text : "";
	char g[ACCOUNT_GROUP_MAX + 2];

	*out = NULL;
	if (!arr)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	while (*p) {
		size_t n = strcspn(p, ", \t\r\n");

		if (n) {
			if (n > ACCOUNT_GROUP_MAX) {
				rc = err_set(e, E_INVALID, "groups",
					     "a group name has 1 to %d "
					     "characters",
					     ACCOUNT_GROUP_MAX);
				goto out;
			}
			memcpy(g, p, n);
			g[n] = '\0';
			rc = account_check_group(g, e);
			if (rc != E_OK)
				goto out;
			if (groups_add(arr, g) < 0) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			p += n;
		} else {
			p++;
		}
	}
	rc = groups_finish(a, arr, out, e);
out:
	json_decref(arr);
	return rc;
}

enum err_code account_groups_from_json(struct arena *a, json_t *list,
				       const char **out, struct err *e)
{
	json_t *arr, *v;
	enum err_code rc;
	size_t i;

	*out = NULL;
	if (!json_is_array(list))
		return err_set(e, E_BAD_REQUEST, "groups",
			       "groups must be a list of group names");
	arr = json_array();
	if (!arr)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_array_foreach(list, i, v)
	{
		if (!json_is_string(v)) {
			rc = err_set(e, E_BAD_REQUEST, "groups",
				     "groups must be a list of group names");
			goto out;
		}
		rc = account_check_group(json_string_value(v), e);
		if (rc != E_OK)
			goto out;
		if (groups_add(arr, json_string_value(v)) < 0) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
	}
	rc = groups_finish(a, arr, out, e);
out:
	json_decref(arr);
	return rc;
}

const char *account_groups_display(struct arena *a, const char *json_text)
{
	json_t *arr = json_text ? json_loads(json_text, 0, NULL) : NULL;
	size_t i, len = 0;
	json_t *v;
	char *out, *p;

	if (!json_is_array(arr)) {
		json_decref(arr);
		return arena_strdup(a, "");
	}
	json_array_foreach(arr, i, v)
	{
		len += json_string_length(v) + 2;
	}
	out = arena_alloc(a, len + 1);
	if (!out) {
		json_decref(arr);
		return NULL;
	}
	p = out;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			continue;
		if (p != out) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		memcpy(p, json_string_value(v), json_string_length(v));
		p += json_string_length(v);
	}
	*p = '\0';
	json_decref(arr);
	return out;
}

enum err_code account_check_time_zone(const char *zone, struct err *e)
{
	if (!zone || !*zone || tz_get(zone))
		return E_OK;
	return err_set(e, E_INVALID, "time_zone",
		       "Time zone \"%.*s\" is not in the tz database; use a "
		       "name such as UTC, Europe/Berlin or America/New_York",
		       (int)utf8_cut(zone, 64), zone);
}
