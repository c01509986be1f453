/* users.c: /api/v1/users: admins list, add and change users, sign them
 * out everywhere, and list and revoke their API tokens. Users are never
 * deleted, only disabled (sessions and the audit trail name them). The
 * changes themselves go through http/accounts.c, which audits them. */
#include "api/api.h"

#include <string.h>

#include "api/api_internal.h"
#include "http/accounts.h"
#include "model/account.h"
#include "store/store.h"
#include "util/timeutil.h"

/* time_or_null is an RFC 3339 string, or null for 0 ("never"). */
static json_t *time_or_null(int64_t t)
{
	char s[TIME_BUF];

	if (!t)
		return json_null();
	time_format(t, s);
	return json_string(s);
}

/* user_json is the user object; live_tokens < 0 leaves "tokens" out. */
static json_t *user_json(const struct store_user *u, long live_tokens)
{
	json_t *groups = json_loads(u->groups, 0, NULL), *o;

	if (!json_is_array(groups)) {
		json_decref(groups);
		groups = json_array();
	}
	o = json_pack("{s:s, s:s, s:o, s:b, s:b, s:o}", "name", u->name, "role",
		      role_name(u->role), "groups", groups, "disabled",
		      u->disabled, "has_password", u->password_hash[0] != '\0',
		      "created_at", time_or_null(u->created_at));
	if (o && json_object_set_new(o, "time_zone",
				     json_string(u->time_zone ? u->time_zone
							      : "")) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o && live_tokens >= 0 &&
	    json_object_set_new(o, "tokens", json_integer(live_tokens)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *token_json(const struct store_token *t)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id",
			 (json_int_t)t->id, "user", t->user, "scope",
			 t->write ? "write" : "read", "created_at",
			 time_or_null(t->created_at), "last_used",
			 time_or_null(t->last_used), "revoked_at",
			 time_or_null(t->revoked_at));
}

/* send_user answers the user name with status. */
static void send_user(struct request *req, struct response *res, int status,
		      const char *name)
{
	struct store_user u;
	struct err e;
	json_t *j;

	err_clear(&e);
	if (store_user_get(req->app->store, req->arena, name, &u, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	j = user_json(&u, -1);
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, status, j);
}

/* user_param is route parameter 0: the user's name. */
static const char *user_param(struct request *req)
{
	return req->nparams > 0 && req->params[0] ? req->params[0] : "";
}

/* check_keys refuses any key of body not in allowed (NULL-terminated). */
static enum err_code check_keys(json_t *body, const char *const *allowed,
				struct err *e)
{
	const char *key;
	json_t *val;

	json_object_foreach(body, key, val)
	{
		size_t i;

		for (i = 0; allowed[i]; i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (!allowed[i])
			return err_set(e, E_BAD_REQUEST, key,
				       "unknown field \"%s\"", key);
	}
	return E_OK;
}

/* string_member reads an optional string member (null counts as absent
 * when null_ok); E_BAD_REQUEST for any other type. */
static enum err_code string_member(json_t *body, const char *key,
				   const char **out, struct err *e)
{
	json_t *v = json_object_get(body, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return E_OK;
	if (!json_is_string(v))
		return err_set(e, E_BAD_REQUEST, key, "%s must be a string",
			       key);
	*out = json_string_value(v);
	return E_OK;
}

/* groups_member reads an optional "groups" list into JSON list text. */
static enum err_code groups_member(struct request *req, json_t *body,
				   const char **out, struct err *e)
{
	json_t *v = json_object_get(body, "groups");

	*out = NULL;
	if (!v || json_is_null(v))
		return E_OK;
	return account_groups_from_json(req->arena, v, out, e);
}

void api_users_list(struct request *req, struct response *res)
{
	struct store *st = req->app->store;
	struct store_user *users;
	struct store_token *tokens;
	size_t nu, nt;
	struct err e;
	json_t *j, *list;

	err_clear(&e);
	if (store_user_list(st, req->arena, &users, &nu, &e) != E_OK ||
	    store_token_list(st, req->arena, NULL, &tokens, &nt, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	j = json_pack("{s:[]}", "users");
	list = json_object_get(j, "users");
	for (size_t i = 0; j && i < nu; i++) {
		long live = 0;

		for (size_t k = 0; k < nt; k++)
			if (!tokens[k].revoked_at &&
			    !strcmp(tokens[k].user, users[i].name))
				live++;
		if (json_array_append_new(list, user_json(&users[i], live))) {
			json_decref(j);
			j = NULL;
		}
	}
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, j);
}

void api_user_get(struct request *req, struct response *res)
{
	send_user(req, res, 200, user_param(req));
}

void api_users_create(struct request *req, struct response *res)
{
	static const char *const keys[] = {"name", "role", "groups", "password",
					   NULL};
	const char *name, *role, *groups, *password;
	json_t *body;
	struct err e;

	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK ||
	    check_keys(body, keys, &e) != E_OK ||
	    string_member(body, "name", &name, &e) != E_OK ||
	    string_member(body, "role", &role, &e) != E_OK ||
	    string_member(body, "password", &password, &e) != E_OK ||
	    groups_member(req, body, &groups, &e) != E_OK ||
	    accounts_create(req, name, role, groups, password, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	res_header(res, "Location",
		   arena_printf(req->arena, "/api/v1/users/%s", name));
	send_user(req, res, 201, name);
}

void api_user_patch(struct request *req, struct response *res)
{
	static const char *const keys[] = {"role", "groups", "disabled",
					   "password", NULL};
	struct account_edit ed = ACCOUNT_EDIT_NONE;
	const char *name = user_param(req);
	json_t *body, *dis;
	struct err e;

	err_clear(&e);
	if (api_body(req, 0, &body, &e) != E_OK ||
	    check_keys(body, keys, &e) != E_OK ||
	    string_member(body, "role", &ed.role, &e) != E_OK ||
	    string_member(body, "password", &ed.password, &e) != E_OK ||
	    groups_member(req, body, &ed.groups, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	dis = json_object_get(body, "disabled");
	if (dis && !json_is_null(dis)) {
		if (!json_is_boolean(dis)) {
			api_failf(res, E_BAD_REQUEST, "disabled",
				  "disabled must be true or false");
			return;
		}
		ed.disabled = json_is_true(dis);
	}
	if (accounts_update(req, name, &ed, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	send_user(req, res, 200, name);
}

void api_user_signout(struct request *req, struct response *res)
{
	struct err e;

	err_clear(&e);
	if (accounts_signout(req, user_param(req), &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	res->status = 204;
}

void api_user_tokens(struct request *req, struct response *res)
{
	const char *name = user_param(req);
	struct store_token *v;
	struct store_user u;
	size_t n;
	struct err e;
	json_t *j, *list;

	err_clear(&e);
	if (store_user_get(req->app->store, req->arena, name, &u, &e) != E_OK ||
	    store_token_list(req->app->store, req->arena, name, &v, &n, &e) !=
		    E_OK) {
		api_fail(res, &e);
		return;
	}
	j = json_pack("{s:[]}", "tokens");
	list = json_object_get(j, "tokens");
	for (size_t i = 0; j && i < n; i++) {
		if (json_array_append_new(list, token_json(&v[i]))) {
			json_decref(j);
			j = NULL;
		}
	}
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, j);
}

void api_user_token_revoke(struct request *req, struct response *res)
{
	int64_t id = req->nparams > 1 ? req_param_id(req, 1) : 0;
	struct err e;

	err_clear(&e);
	if (id <= 0) {
		api_failf(res, E_NOT_FOUND, "token", "no token %s",
			  req->nparams > 1 ? req->params[1] : "");
		return;
	}
	if (accounts_token_revoke(req, user_param(req), id, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	res->status = 204;
}
