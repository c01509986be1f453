/* admin.c: the admin pages for users: the list with a form to add one
 * (/admin/users) and each user's page with forms to change role and
 * groups, set a password, sign out everywhere, disable or enable, and
 * revoke API tokens (/admin/users/{name}). Every form posts, goes through
 * http/accounts.c (checked, stored, audited) and redirects back with a
 * notice; a refused form is shown again with what was typed and why. */
#include <stdio.h>
#include <string.h>

#include "http/accounts.h"
#include "model/account.h"
#include "store/store.h"
#include "web/page.h"
#include "web/web.h"

/* What a refused form gives back to its page: which form, the error and
 * what was typed (never a password). */
struct typed {
	const char *form; /* "add", "edit", "password", "access", "token" */
	const struct err *e;
	const char *name, *role, *groups;
};

/* Notices after a redirect, by the "done" query argument: fixed texts, so
 * nothing typed is reflected. */
static const struct {
	const char *key, *text;
} notices[] = {
	{"added", "The user was added."},
	{"edit", "Role and groups were saved."},
	{"password", "The password was set; the user was signed out "
		     "everywhere."},
	{"signout", "The user was signed out everywhere."},
	{"disable", "The user was disabled, signed out everywhere, and its "
		    "API tokens were revoked."},
	{"enable", "The user was enabled. Revoked API tokens stay revoked."},
	{"token", "The API token was revoked."},
};

static void notice(struct request *req, struct buf *b)
{
	const char *done = req_query(req, "done");

	for (size_t i = 0; done && i < sizeof notices / sizeof notices[0]; i++)
		if (!strcmp(done, notices[i].key)) {
			html_raw(b,
				 "<div class=\"notice\" role=\"status\"><p>");
			html_txt(b, notices[i].text);
			html_raw(b, "</p></div>\n");
		}
}

/* form_error writes the refusal of form (when it is the one refused). */
static void form_error(struct buf *b, const struct typed *t, const char *form)
{
	if (!t || strcmp(t->form, form) != 0)
		return;
	html_raw(b, "<div class=\"notice notice-error\" role=\"alert\"><p>");
	html_txt(b, t->e->message[0] ? t->e->message : "That did not work.");
	html_raw(b, "</p></div>\n");
}

/* field_class is " has-error" when the refused form blamed field. */
static const char *field_class(const struct typed *t, const char *form,
			       const char *field)
{
	return t && !strcmp(t->form, form) && !strcmp(t->e->field, field)
		       ? " has-error"
		       : "";
}

/* user_href writes /admin/users/NAME[/tail], NAME percent-encoded. */
static void user_href(struct buf *b, const char *name, const char *tail)
{
	html_raw(b, "/admin/users/");
	html_url_arg(b, name);
	if (tail)
		html_raw(b, tail);
}

static void form_open(struct buf *b, const char *name, const char *tail,
		      const char *cls)
{
	html_rawf(b, "<form class=\"%s\" method=\"post\" action=\"", cls);
	if (name)
		user_href(b, name, tail);
	else
		html_raw(b, "/admin/users");
	html_raw(b, "\">\n");
	page_csrf_field(b);
}

static void role_select(struct buf *b, const char *id, const char *current)
{
	static const char *const roles[] = {"reader", "editor", "admin"};
	static const char *const labels[] = {"Reader", "Editor", "Admin"};

	html_rawf(b, "<select id=\"%s\" name=\"role\">", id);
	for (int i = 0; i < 3; i++)
		html_option(b, roles[i], labels[i],
			    current && !strcmp(current, roles[i]));
	html_raw(b, "</select>");
}

static void groups_input(struct buf *b, const char *id, const char *value)
{
	html_rawf(b,
		  "<input type=\"text\" id=\"%s\" name=\"groups\" "
		  "autocomplete=\"off\" aria-describedby=\"%s-help\" value=\"",
		  id, id);
	html_attr(b, value ? value : "");
	html_rawf(b,
		  "\"><p class=\"help\" id=\"%s-help\">Comma-separated; "
		  "lower-case letters, digits and . _ - (for example "
		  "<code>ops, security</code>). Restricted reviews are shown "
		  "to their groups.</p>",
		  id);
}

static void page_head(struct buf *b, const char *crumb_href, const char *crumb,
		      const char *title)
{
	html_raw(b, "<div class=\"page-head\"><div><p class=\"crumbs\">"
		    "<a href=\"");
	html_attr(b, crumb_href);
	html_raw(b, "\">");
	html_txt(b, crumb);
	html_raw(b, "</a></p><h1>");
	html_txt(b, title);
	html_raw(b, "</h1></div><p class=\"actions\"><a class=\"button\" "
		    "href=\"/admin/users\">Users</a> <a class=\"button\" "
		    "href=\"/admin/audit\">Audit trail</a></p></div>\n");
}

static void status_badge(struct buf *b, int disabled)
{
	html_raw(b, disabled ? "<span class=\"badge user-disabled\">Disabled"
			       "</span>"
			     : "<span class=\"badge user-enabled\">Enabled"
			       "</span>");
}

/* ---- /admin/users ---- */

static void users_table(struct request *req, struct buf *b,
			const struct store_user *u, size_t n,
			const struct store_token *t, size_t nt)
{
	html_raw(b, "<table class=\"reviews users\"><thead><tr><th>Name</th>"
		    "<th>Role</th><th>Groups</th><th>Status</th>"
		    "<th>Password</th><th>API tokens</th><th>Added</th>"
		    "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		long live = 0;

		for (size_t k = 0; k < nt; k++)
			if (!t[k].revoked_at && !strcmp(t[k].user, u[i].name))
				live++;
		html_raw(b, "<tr><td class=\"title\"><a href=\"");
		user_href(b, u[i].name, NULL);
		html_raw(b, "\">");
		html_txt(b, u[i].name);
		html_raw(b, "</a></td><td>");
		page_badge(b, "role", role_name(u[i].role));
		html_raw(b, "</td><td>");
		html_txt(b, account_groups_display(req->arena, u[i].groups));
		html_raw(b, "</td><td>");
		status_badge(b, u[i].disabled);
		html_rawf(b, "</td><td>%s</td><td>%ld</td><td class=\"when\">",
			  u[i].password_hash[0] ? "set" : "none (proxy)", live);
		html_time(b, u[i].created_at);
		html_raw(b, "</td></tr>\n");
	}
	if (!n)
		html_raw(b,
			 "<tr><td colspan=\"7\" class=\"muted\">No users yet: "
			 "everyone is the anonymous local admin. Add an "
			 "admin with a password first.</td></tr>\n");
	html_raw(b, "</tbody></table>\n");
}

static void add_form(struct buf *b, const struct typed *t)
{
	const struct typed *mine = t && !strcmp(t->form, "add") ? t : NULL;

	html_raw(b, "<section class=\"card admin-form\" id=\"add\">"
		    "<h2>Add a user</h2>\n");
	form_error(b, t, "add");
	form_open(b, NULL, NULL, "admin-add");
	html_rawf(b,
		  "<div class=\"grid\"><div class=\"field%s\"><label "
		  "for=\"add-name\">Name</label><input type=\"text\" "
		  "id=\"add-name\" name=\"name\" required maxlength=\"64\" "
		  "autocomplete=\"off\" value=\"",
		  field_class(t, "add", "name"));
	html_attr(b, mine && mine->name ? mine->name : "");
	html_rawf(b,
		  "\"><p class=\"help\">Letters, digits and . _ @ + -; the "
		  "name people sign in with.</p></div>\n<div class=\"field%s\">"
		  "<label for=\"add-role\">Role</label>",
		  field_class(t, "add", "role"));
	role_select(b, "add-role", mine ? mine->role : "reader");
	html_rawf(b,
		  "</div>\n<div class=\"field%s\"><label for=\"add-groups\">"
		  "Groups</label>",
		  field_class(t, "add", "groups"));
	groups_input(b, "add-groups", mine ? mine->groups : "");
	html_rawf(
		b,
		"</div>\n<div class=\"field%s\"><label for=\"add-password\">"
		"Password</label><input type=\"password\" id=\"add-password\" "
		"name=\"password\" autocomplete=\"new-password\"><p "
		"class=\"help\">At least %d characters. Leave it empty for "
		"someone who signs in through the company's single sign-on "
		"proxy, or to set one later.</p></div></div>\n"
		"<p><button class=\"primary\" type=\"submit\">Add user"
		"</button></p>\n</form>\n</section>\n",
		field_class(t, "add", "password"), ACCOUNT_PASSWORD_MIN);
}

/* users_page answers the list; t is the refused add form or NULL. */
static void users_page(struct request *req, struct response *res,
		       const struct typed *t)
{
	struct buf *b = &res->body;
	struct store_user *users;
	struct store_token *tokens;
	size_t n, nt;
	struct err e;

	err_clear(&e);
	if (store_user_list(req->app->store, req->arena, &users, &n, &e) !=
		    E_OK ||
	    store_token_list(req->app->store, req->arena, NULL, &tokens, &nt,
			     &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(b);
	page_begin(res, "Users", NAV_NONE);
	if (t)
		res->status = err_http_status(t->e->code);
	page_head(b, "/admin/users", "Admin", "Users");
	notice(req, b);
	html_raw(b, "<p class=\"lead\">Readers read and comment, editors write "
		    "reviews, admins also manage users and restore deleted "
		    "reviews. Users are never deleted: disable them instead, "
		    "and their names stay in the history.</p>\n");
	users_table(req, b, users, n, tokens, nt);
	add_form(b, t);
	page_end(res);
	res_header(res, "Cache-Control", "no-store");
}

void web_admin_page(struct request *req, struct response *res)
{
	res_redirect(res, "/admin/users");
}

void web_admin_users_page(struct request *req, struct response *res)
{
	users_page(req, res, NULL);
}

/* field returns a form field, "" when absent. */
static const char *field(struct request *req, const char *name)
{
	const char *v = req_form_get(req, name);

	return v ? v : "";
}

/* done_redirect answers 303 to the user's page with a notice. */
static void done_redirect(struct request *req, struct response *res,
			  const char *name, const char *done)
{
	struct buf loc = BUF_INIT;

	user_href(&loc, name, "?done=");
	buf_puts(&loc, done);
	res_redirect(res, arena_strdup(req->arena, buf_cstr(&loc)));
	buf_release(&loc);
}

void web_admin_user_create(struct request *req, struct response *res)
{
	struct typed t = {"add", NULL, field(req, "name"), field(req, "role"),
			  field(req, "groups")};
	const char *groups;
	struct err e;

	err_clear(&e);
	t.e = &e;
	if (account_groups_from_text(req->arena, t.groups, &groups, &e) !=
		    E_OK ||
	    accounts_create(req, t.name, t.role, groups, field(req, "password"),
			    &e) != E_OK) {
		if (err_http_status(e.code) >= 500) {
			page_form_fail(req, res, "The account", &e);
			return;
		}
		users_page(req, res, &t);
		return;
	}
	done_redirect(req, res, t.name, "added");
}

/* ---- /admin/users/{name} ---- */

static void tokens_card(struct buf *b, const char *name,
			const struct store_token *v, size_t n,
			const struct typed *t)
{
	html_raw(b, "<section class=\"card admin-form\" id=\"tokens\">"
		    "<h2>API tokens</h2>\n");
	form_error(b, t, "token");
	if (!n) {
		html_raw(b, "<p class=\"muted\">None. Tokens are made with "
			    "<code>debrief token create</code>.</p>"
			    "</section>\n");
		return;
	}
	html_raw(b, "<table class=\"reviews tokens\"><thead><tr><th>Id</th>"
		    "<th>Scope</th><th>Created</th><th>Last used</th>"
		    "<th>Status</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html_rawf(b, "<tr><td>%lld</td><td>%s</td><td class=\"when\">",
			  (long long)v[i].id, v[i].write ? "write" : "read");
		html_time(b, v[i].created_at);
		html_raw(b, "</td><td class=\"when\">");
		if (v[i].last_used)
			html_time(b, v[i].last_used);
		else
			html_raw(b, "never");
		html_raw(b, "</td><td>");
		if (v[i].revoked_at) {
			html_raw(b, "revoked ");
			html_time(b, v[i].revoked_at);
		} else {
			char tail[64];

			snprintf(tail, sizeof tail, "/tokens/%lld/revoke",
				 (long long)v[i].id);
			form_open(b, name, tail, "inline");
			html_raw(b, "<button class=\"danger small\" "
				    "type=\"submit\">Revoke</button></form>");
		}
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table>\n</section>\n");
}

static void edit_card(struct request *req, struct buf *b,
		      const struct store_user *u, const struct typed *t)
{
	const struct typed *mine = t && !strcmp(t->form, "edit") ? t : NULL;

	html_raw(b, "<section class=\"card admin-form\" id=\"edit\">"
		    "<h2>Role and groups</h2>\n");
	form_error(b, t, "edit");
	form_open(b, u->name, "/edit", "admin-edit");
	html_rawf(b,
		  "<div class=\"grid\"><div class=\"field%s\"><label "
		  "for=\"edit-role\">Role</label>",
		  field_class(t, "edit", "role"));
	role_select(b, "edit-role", mine ? mine->role : role_name(u->role));
	html_rawf(b,
		  "</div>\n<div class=\"field%s\"><label for=\"edit-groups\">"
		  "Groups</label>",
		  field_class(t, "edit", "groups"));
	groups_input(b, "edit-groups",
		     mine ? mine->groups
			  : account_groups_display(req->arena, u->groups));
	html_raw(b, "</div></div>\n<p><button class=\"primary\" "
		    "type=\"submit\">Save role and groups</button></p>\n"
		    "</form>\n</section>\n");
}

static void password_card(struct buf *b, const struct store_user *u,
			  const struct typed *t)
{
	html_raw(b, "<section class=\"card admin-form\" id=\"password\">"
		    "<h2>Password</h2>\n");
	form_error(b, t, "password");
	form_open(b, u->name, "/password", "admin-password");
	html_rawf(
		b,
		"<div class=\"field%s\"><label for=\"new-password\">New "
		"password</label><input type=\"password\" id=\"new-password\" "
		"name=\"password\" autocomplete=\"new-password\" required>"
		"<p class=\"help\">At least %d characters. %s Setting it "
		"signs the user out everywhere.</p></div>\n<p><button "
		"type=\"submit\">Set password</button></p>\n</form>\n"
		"</section>\n",
		field_class(t, "password", "password"), ACCOUNT_PASSWORD_MIN,
		u->password_hash[0] ? "The user has one now."
				    : "The user has none now (signs in "
				      "through the proxy, if at all).");
}

static void access_card(struct buf *b, const struct store_user *u,
			const struct typed *t)
{
	html_raw(b, "<section class=\"card admin-form\" id=\"access\">"
		    "<h2>Sign-in</h2>\n");
	form_error(b, t, "access");
	html_raw(b, "<div class=\"actions\">");
	form_open(b, u->name, "/signout", "inline");
	html_raw(b, "<button type=\"submit\">Sign out everywhere</button>"
		    "</form>\n");
	if (u->disabled) {
		form_open(b, u->name, "/enable", "inline");
		html_raw(b, "<button class=\"primary\" type=\"submit\">Enable "
			    "user</button></form>\n");
	} else {
		form_open(b, u->name, "/disable", "inline");
		html_raw(b, "<button class=\"danger\" type=\"submit\">Disable "
			    "user</button></form>\n");
	}
	html_raw(b, "</div><p class=\"help\">Disabling signs the user out "
		    "everywhere and revokes every API token at once; the user "
		    "and its history stay.</p>\n</section>\n");
}

/* user_page answers the page of user name; t is a refused form or NULL. */
static void user_page(struct request *req, struct response *res,
		      const char *name, const struct typed *t)
{
	struct buf *b = &res->body;
	struct store_token *tokens;
	struct store_user u;
	size_t nt;
	struct err e;

	err_clear(&e);
	if (store_user_get(req->app->store, req->arena, name, &u, &e) != E_OK ||
	    store_token_list(req->app->store, req->arena, name, &tokens, &nt,
			     &e) != E_OK) {
		page_fail(req, res, &e);
		return;
	}
	buf_reset(b);
	page_begin(res, u.name, NAV_NONE);
	if (t)
		res->status = err_http_status(t->e->code);
	page_head(b, "/admin/users", "Users", u.name);
	html_raw(b, "<dl class=\"meta\"><div><dt>Role</dt><dd>");
	page_badge(b, "role", role_name(u.role));
	html_raw(b, "</dd></div><div><dt>Groups</dt><dd>");
	html_txt(b, account_groups_display(req->arena, u.groups));
	html_raw(b, "</dd></div><div><dt>Status</dt><dd>");
	status_badge(b, u.disabled);
	html_raw(b, "</dd></div><div><dt>Added</dt><dd>");
	html_time(b, u.created_at);
	html_raw(b, "</dd></div></dl>\n");
	notice(req, b);
	html_raw(b, "<div class=\"admin-cards\">\n");
	edit_card(req, b, &u, t);
	password_card(b, &u, t);
	access_card(b, &u, t);
	tokens_card(b, u.name, tokens, nt, t);
	html_raw(b, "</div>\n<p><a href=\"/admin/audit?actor=");
	html_url_arg(b, u.name);
	html_raw(b, "\">What this user did</a> (audit trail)</p>\n");
	page_end(res);
	res_header(res, "Cache-Control", "no-store");
}

static const char *name_param(struct request *req)
{
	return req->nparams > 0 && req->params[0] ? req->params[0] : "";
}

void web_admin_user_page(struct request *req, struct response *res)
{
	user_page(req, res, name_param(req), NULL);
}

/* finish answers a user form: the redirect with notice done, the 404 page
 * for an unknown user, or the page again with the refusal. */
static void finish(struct request *req, struct response *res, struct typed *t,
		   const char *done)
{
	const char *name = name_param(req);

	if (t->e->code == E_OK) {
		done_redirect(req, res, name, done);
		return;
	}
	if (t->e->code == E_NOT_FOUND && !strcmp(t->e->field, "user")) {
		web_not_found(req, res);
		return;
	}
	if (err_http_status(t->e->code) >= 500) {
		page_form_fail(req, res, "The change", t->e);
		return;
	}
	user_page(req, res, name, t);
}

void web_admin_user_edit(struct request *req, struct response *res)
{
	struct account_edit ed = ACCOUNT_EDIT_NONE;
	struct typed t = {"edit", NULL, NULL, field(req, "role"),
			  field(req, "groups")};
	struct err e;

	err_clear(&e);
	t.e = &e;
	ed.role = t.role;
	if (account_groups_from_text(req->arena, t.groups, &ed.groups, &e) ==
	    E_OK)
		accounts_update(req, name_param(req), &ed, &e);
	finish(req, res, &t, "edit");
}

void web_admin_user_password(struct request *req, struct response *res)
{
	struct account_edit ed = ACCOUNT_EDIT_NONE;
	struct typed t = {"password", NULL, NULL, NULL, NULL};
	struct err e;

	err_clear(&e);
	t.e = &e;
	ed.password = field(req, "password");
	accounts_update(req, name_param(req), &ed, &e);
	finish(req, res, &t, "password");
}

/* set_disabled is the disable and enable buttons. */
static void set_disabled(struct request *req, struct response *res,
			 int disabled)
{
	struct account_edit ed = ACCOUNT_EDIT_NONE;
	struct typed t = {"access", NULL, NULL, NULL, NULL};
	struct err e;

	err_clear(&e);
	t.e = &e;
	ed.disabled = disabled;
	accounts_update(req, name_param(req), &ed, &e);
	finish(req, res, &t, disabled ? "disable" : "enable");
}

void web_admin_user_disable(struct request *req, struct response *res)
{
	set_disabled(req, res, 1);
}

void web_admin_user_enable(struct request *req, struct response *res)
{
	set_disabled(req, res, 0);
}

void web_admin_user_signout(struct request *req, struct response *res)
{
	struct typed t = {"access", NULL, NULL, NULL, NULL};
	struct err e;

	err_clear(&e);
	t.e = &e;
	accounts_signout(req, name_param(req), &e);
	finish(req, res, &t, "signout");
}

void web_admin_user_token_revoke(struct request *req, struct response *res)
{
	struct typed t = {"token", NULL, NULL, NULL, NULL};
	int64_t id = req->nparams > 1 ? req_param_id(req, 1) : 0;
	struct err e;

	err_clear(&e);
	t.e = &e;
	if (id <= 0)
		err_set(&e, E_NOT_FOUND, "token", "there is no such token");
	else
		accounts_token_revoke(req, name_param(req), id, &e);
	finish(req, res, &t, "token");
}
