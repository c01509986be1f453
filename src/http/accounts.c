/* accounts.c: account changes made by an admin through the API or the
 * admin pages: checked, stored in one transaction, audited (see
 * accounts.h). */
#include "http/accounts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/auth.h"
#include "model/account.h"
#include "store/store.h"

/* parse_role reads a role as typed; E_INVALID naming "role". */
static enum err_code parse_role(const char *text, int *role, struct err *e)
{
	*role = role_parse(text);
	if (*role == ROLE_NONE)
		return err_set(e, E_INVALID, "role",
			       "role must be reader, editor or admin");
	return E_OK;
}

/* hash_password checks and hashes a new password of user into out. */
static enum err_code hash_password(const char *password, const char *user,
				   char out[AUTH_PWHASH_MAX], struct err *e)
{
	if (account_check_password(password, user, e) != E_OK)
		return e->code;
	return auth_hash_password(password, out, e);
}

enum err_code accounts_create(struct request *req, const char *name,
			      const char *role_text, const char *groups,
			      const char *password, struct err *e)
{
	char hash[AUTH_PWHASH_MAX] = "", *detail;
	int64_t count = 0;
	int role;

	if (account_check_name(name, e) != E_OK ||
	    parse_role(role_text, &role, e) != E_OK)
		return e->code;
	if (!groups)
		groups = "[]";
	if (store_user_count(req->app->store, &count, e) != E_OK)
		return e->code;
	/* the first user ends the anonymous local admin: it must be someone
	 * who can sign in and administer, or nobody could */
	if (count == 0 && role != ROLE_ADMIN)
		return err_set(e, E_INVALID, "role",
			       "the first user must be an admin (the "
			       "anonymous local admin ends when it exists)");
	if (count == 0 && !(password && *password))
		return err_set(e, E_INVALID, "password",
			       "the first user needs a password to sign in "
			       "with (the anonymous local admin ends when it "
			       "exists)");
	if (password && *password &&
	    hash_password(password, name, hash, e) != E_OK)
		return e->code;
	if (store_user_create(req->app->store, name, role, groups, hash,
			      (int64_t)time(NULL), e) != E_OK) {
		if (e->code == E_CONFLICT)
			err_set(e, E_CONFLICT, "name",
				"there is already a user named %s", name);
		return e->code;
	}
	__atomic_store_n(&req->app->users_exist, 1, __ATOMIC_RELEASE);
	detail = arena_printf(req->arena, "%s role %s groups %s%s", name,
			      role_name(role), groups,
			      hash[0] ? "" : " (no password)");
	auth_audit(req, NULL, "user.add", detail ? detail : name);
	return E_OK;
}

/* audit_changes records what accounts_update changed, one entry each. */
static void audit_changes(struct request *req, const struct store_user *old,
			  const struct store_user_change *ch)
{
	const char *name = old->name;
	struct arena *a = req->arena;

	if (ch->role != ROLE_NONE && ch->role != old->role)
		auth_audit(req, NULL, "user.role",
			   arena_printf(a, "%s: %s -> %s", name,
					role_name(old->role),
					role_name(ch->role)));
	if (ch->groups && strcmp(ch->groups, old->groups) != 0)
		auth_audit(req, NULL, "user.groups",
			   arena_printf(a, "%s: %s -> %s", name, old->groups,
					ch->groups));
	if (ch->disabled == 1 && !old->disabled)
		auth_audit(req, NULL, "user.disable", name);
	if (ch->disabled == 0 && old->disabled)
		auth_audit(req, NULL, "user.enable", name);
	if (ch->password_hash)
		auth_audit(req, NULL, "user.passwd", name);
}

enum err_code accounts_update(struct request *req, const char *name,
			      const struct account_edit *ed, struct err *e)
{
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	char hash[AUTH_PWHASH_MAX];
	struct store_user old;

	if (ed->role && parse_role(ed->role, &ch.role, e) != E_OK)
		return e->code;
	ch.groups = ed->groups;
	ch.disabled = ed->disabled;
	if (ed->password) {
		/* the user must exist before the hash is worth its cost */
		if (store_user_get(req->app->store, req->arena, name, &old,
				   e) != E_OK ||
		    hash_password(ed->password, name, hash, e) != E_OK)
			return e->code;
		ch.password_hash = hash;
	}
	if (store_user_update(req->app->store, req->arena, name, &ch,
			      (int64_t)time(NULL), &old, e) != E_OK)
		return e->code;
	audit_changes(req, &old, &ch);
	return E_OK;
}

enum err_code accounts_signout(struct request *req, const char *name,
			       struct err *e)
{
	struct store_user u;

	if (store_user_get(req->app->store, req->arena, name, &u, e) != E_OK ||
	    store_session_delete_all_for_user(req->app->store, name, e) != E_OK)
		return e->code;
	auth_audit(req, NULL, "user.signout", name);
	return E_OK;
}

enum err_code accounts_token_revoke(struct request *req, const char *name,
				    int64_t id, struct err *e)
{
	struct store_token *v;
	struct store_user u;
	size_t n, i;

	if (store_user_get(req->app->store, req->arena, name, &u, e) != E_OK ||
	    store_token_list(req->app->store, req->arena, name, &v, &n, e) !=
		    E_OK)
		return e->code;
	for (i = 0; i < n; i++)
		if (v[i].id == id && !v[i].revoked_at)
			break;
	if (i == n)
		return err_set(e, E_NOT_FOUND, "token",
			       "%s has no live token %lld", name,
			       (long long)id);
	if (store_token_revoke(req->app->store, id, (int64_t)time(NULL), e) !=
	    E_OK)
		return e->code;
	auth_audit(req, NULL, "token.revoke",
		   arena_printf(req->arena, "token %lld of %s", (long long)id,
				name));
	return E_OK;
}
