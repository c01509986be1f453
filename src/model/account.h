/* account.h: the rules for what people type about accounts: user names,
 * group names, passwords. One set of rules shared by the CLI, the JSON API
 * and the admin pages; no I/O. */
#ifndef DEBRIEF_ACCOUNT_H
#define DEBRIEF_ACCOUNT_H

#include <jansson.h>

#include "util/arena.h"
#include "util/err.h"

#define ACCOUNT_NAME_MAX     64	  /* bytes of a user name */
#define ACCOUNT_GROUP_MAX    64	  /* bytes of a group name */
#define ACCOUNT_GROUPS_MAX   64	  /* groups per user */
#define ACCOUNT_PASSWORD_MIN 8	  /* characters (code points) */
#define ACCOUNT_PASSWORD_MAX 1024 /* bytes */

/* account_check_name: a new user's name is 1-64 characters of A-Z a-z 0-9
 * and . _ @ + -, beginning with a letter or digit (so it is safe in a URL
 * path and in a log line). Names made by the trusted proxy are not checked
 * (they come from the company's sign-on). E_INVALID on field "name". */
enum err_code account_check_name(const char *name, struct err *e);

/* account_check_group: 1-64 characters of a-z 0-9 . _ -. E_INVALID on
 * field "groups". */
enum err_code account_check_group(const char *group, struct err *e);
/* account_check_time_zone accepts "" (the configuration's zone) or a
 * name of the tz database (util/tz.h), else E_INVALID on "time_zone". */
enum err_code account_check_time_zone(const char *zone, struct err *e);

/* account_check_password: at least ACCOUNT_PASSWORD_MIN characters, at
 * most ACCOUNT_PASSWORD_MAX bytes, valid UTF-8, not the user's name (user
 * may be NULL). E_INVALID on field "password"; the message never repeats
 * the password. */
enum err_code account_check_password(const char *password, const char *user,
				     struct err *e);

/* account_groups_from_text reads group names separated by commas and/or
 * spaces ("ops, security"), checks each, drops repeats and writes the JSON
 * list text ("[\"ops\",\"security\"]", "[]" when none) into *out, from
 * the arena. */
enum err_code account_groups_from_text(struct arena *a, const char *text,
				       const char **out, struct err *e);

/* account_groups_from_json is the same for a JSON array of strings (the
 * API's "groups"); anything else is E_BAD_REQUEST. */
enum err_code account_groups_from_json(struct arena *a, json_t *list,
				       const char **out, struct err *e);

/* account_groups_display turns stored JSON list text into "ops, security"
 * (from the arena; "" for none or unreadable text; NULL on oom). */
const char *account_groups_display(struct arena *a, const char *json_text);

#endif
