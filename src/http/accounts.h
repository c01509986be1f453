/* accounts.h: administering accounts on behalf of a signed-in admin: the
 * one path from "an admin asked for this change" to the store and the
 * audit trail, shared by the JSON API (api/users.c) and the admin pages
 * (web/admin.c). Each call checks its input against model/account.h,
 * changes nothing on error, and records every change it made with
 * auth_audit (actor: the request's user). Permission (admins only) is the
 * router's job. */
#ifndef DEBRIEF_ACCOUNTS_H
#define DEBRIEF_ACCOUNTS_H

#include <stdint.h>

#include "http/http.h"

/* What accounts_update changes; NULL / -1 members are left as they are. */
struct account_edit {
	const char *role;     /* "reader", "editor", "admin" */
	const char *groups;   /* JSON list text (account_groups_from_*) */
	int disabled;	      /* -1 keep, 0 enable, 1 disable */
	const char *password; /* a new password (plain; hashed here) */
};
#define ACCOUNT_EDIT_NONE            \
	{                            \
		NULL, NULL, -1, NULL \
	}

/* accounts_create adds user name with role (text), groups (JSON list
 * text, NULL: none) and password (NULL or "": none, so the user signs in
 * through the proxy or gets one later). E_INVALID naming the field for a
 * bad name, role or password; E_CONFLICT when the name is taken. The
 * first user of an install (it ends the anonymous local admin) must be an
 * admin with a password. Audited as "user.add". */
enum err_code accounts_create(struct request *req, const char *name,
			      const char *role, const char *groups,
			      const char *password, struct err *e);

/* accounts_update applies ed to user name in one transaction. E_NOT_FOUND
 * for an unknown user, E_INVALID for a bad role or password, E_CONFLICT
 * when it would leave no enabled admin. Audited per change: "user.role"
 * (old -> new), "user.groups", "user.disable", "user.enable",
 * "user.passwd". A new password or disabling ends the user's sessions. */
enum err_code accounts_update(struct request *req, const char *name,
			      const struct account_edit *ed, struct err *e);

/* accounts_signout ends every session of user name ("user.signout");
 * E_NOT_FOUND for an unknown user. API tokens are left alone. */
enum err_code accounts_signout(struct request *req, const char *name,
			       struct err *e);

/* accounts_token_revoke revokes API token id of user name
 * ("token.revoke"); E_NOT_FOUND when the user has no live token id. */
enum err_code accounts_token_revoke(struct request *req, const char *name,
				    int64_t id, struct err *e);

#endif
