/* cli_user.c: `debrief user ...` and `debrief token ...`: accounts and API
 * tokens from the command line, each change written to the audit trail.
 * Exit status as in main.c: 0 success, 1 failure, 2 bad usage. */
#include "cli_user.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "http/auth.h"
#include "model/account.h"
#include "store/store.h"

#define EXIT_USAGE   2
#define PASSWORD_MAX ACCOUNT_PASSWORD_MAX

/* Options the user and token commands take; NULL when not given. */
struct opts {
	const char *name; /* the positional argument */
	const char *list; /* a second one (user groups NAME LIST) */
	const char *role, *groups, *db, *config, *user, *scope;
	int password_stdin;
};

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "debrief: ");
	fprintf(stderr, msg, arg);
	fprintf(stderr,
		"\n\nusage:\n"
		"  debrief user add NAME --role reader|editor|admin "
		"[--groups g1,g2] [--password-stdin] [--db PATH]\n"
		"  debrief user passwd NAME [--password-stdin] [--db PATH]\n"
		"  debrief user disable NAME [--db PATH]\n"
		"  debrief user groups NAME g1,g2 [--db PATH] (\"\": none)\n"
		"  debrief user list [--db PATH]\n"
		"  debrief token create --user NAME --scope read|write "
		"[--db PATH]\n"
		"  debrief token revoke ID [--db PATH]\n"
		"(--config PATH is accepted everywhere)\n");
	return EXIT_USAGE;
}

/* parse_opts reads argv from index 2 (after "user add" and the like). */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct {
		const char *flag;
		size_t off;
	} known[] = {
		{"--role", offsetof(struct opts, role)},
		{"--groups", offsetof(struct opts, groups)},
		{"--db", offsetof(struct opts, db)},
		{"--config", offsetof(struct opts, config)},
		{"--user", offsetof(struct opts, user)},
		{"--scope", offsetof(struct opts, scope)},
	};

	memset(o, 0, sizeof *o);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		size_t k;

		if (!strcmp(a, "--password-stdin")) {
			o->password_stdin = 1;
			continue;
		}
		if (a[0] != '-') {
			if (o->name && o->list)
				return usage("unexpected argument '%s'", a);
			*(o->name ? &o->list : &o->name) = a;
			continue;
		}
		for (k = 0; k < sizeof known / sizeof known[0]; k++) {
			size_t n = strlen(known[k].flag);

			if (strncmp(a, known[k].flag, n) != 0)
				continue;
			if (a[n] == '=') {
				v = a + n + 1;
				break;
			}
			if (!a[n]) {
				if (i + 1 >= argc)
					return usage("%s needs a value", a);
				v = argv[++i];
				break;
			}
		}
		if (k == sizeof known / sizeof known[0])
			return usage("unknown flag '%s'", a);
		*(const char **)((char *)o + known[k].off) = v;
	}
	return 0;
}

/* open_store loads the config (as `debrief serve` does) and opens the
 * database; prints the problem and returns NULL on failure. */
static struct store *open_store(const struct opts *o)
{
	struct config cfg;
	struct store *st = NULL;
	struct err e;

	err_clear(&e);
	config_defaults(&cfg);
	if (config_load(&cfg, o->config ? o->config : "debrief.conf",
			o->config != NULL, &e) != E_OK ||
	    config_from_env(&cfg, &e) != E_OK)
		goto fail;
	if (o->db)
		snprintf(cfg.db, sizeof cfg.db, "%s", o->db);
	if (store_open(cfg.db, &st, &e) != E_OK)
		goto fail;
	return st;
fail:
	fprintf(stderr, "debrief: %s\n", e.message);
	return NULL;
}

/* read_line reads one line of at most PASSWORD_MAX bytes without its
 * newline; -1 at end of input or when too long. */
static int read_line(FILE *f, char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, f))
		return -1;
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (!feof(f))
		return -1;
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

/* prompt asks for a line on the terminal with echo off. */
static int prompt(const char *what, char *buf, size_t n)
{
	struct termios old, quiet;
	int rc;

	fprintf(stderr, "%s: ", what);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(stdin, buf, n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fprintf(stderr, "\n");
	return rc;
}

/* get_password hashes a new password read from stdin (--password-stdin)
 * or asked twice on the terminal. Returns 0 or 1 (printed). */
static int get_password(const struct opts *o, char *hash)
{
	char pw[PASSWORD_MAX + 2], again[PASSWORD_MAX + 2];
	struct err e;
	int rc = 1;

	if (o->password_stdin) {
		if (read_line(stdin, pw, sizeof pw) < 0) {
			fprintf(stderr, "debrief: no password on stdin\n");
			return 1;
		}
	} else if (isatty(STDIN_FILENO)) {
		if (prompt("Password", pw, sizeof pw) < 0 ||
		    prompt("Again", again, sizeof again) < 0)
			return 1;
		if (strcmp(pw, again) != 0) {
			fprintf(stderr, "debrief: the passwords differ\n");
			goto out;
		}
	} else {
		fprintf(stderr, "debrief: stdin is not a terminal; use "
				"--password-stdin\n");
		return 1;
	}
	err_clear(&e);
	if (account_check_password(pw, o->name, &e) != E_OK ||
	    auth_hash_password(pw, hash, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		goto out;
	}
	rc = 0;
out:
	memset(pw, 0, sizeof pw);
	memset(again, 0, sizeof again);
	return rc;
}

static void audit(struct store *st, const char *action, const char *detail)
{
	const char *who = getenv("USER");
	char actor[96];

	snprintf(actor, sizeof actor, "cli:%s", who ? who : "?");
	store_audit_add(st, (int64_t)time(NULL), actor, action, detail, "",
			NULL);
}

static int user_add(struct store *st, const struct opts *o)
{
	int role = role_parse(o->role);
	char hash[AUTH_PWHASH_MAX], detail[160];
	struct arena *a = NULL;
	const char *groups;
	struct err e;
	int rc = 1;

	if (role == ROLE_NONE)
		return usage("--role must be reader, editor or admin%s", "");
	err_clear(&e);
	/* the rules the admin pages and the API apply too */
	a = arena_new();
	if (!a) {
		fprintf(stderr, "debrief: out of memory\n");
		return 1;
	}
	if (account_check_name(o->name, &e) != E_OK ||
	    account_groups_from_text(a, o->groups, &groups, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		goto out;
	}
	if (get_password(o, hash) != 0)
		goto out;
	if (store_user_create(st, o->name, role, groups, hash,
			      (int64_t)time(NULL), &e) != E_OK) {
		fprintf(stderr, "debrief: user %s: %s\n", o->name, e.message);
		goto out;
	}
	snprintf(detail, sizeof detail, "%s role %s groups %s", o->name,
		 role_name(role), groups);
	audit(st, "user.add", detail);
	printf("added %s (%s)\n", o->name, role_name(role));
	rc = 0;
out:
	arena_free(a);
	return rc;
}

/* user_groups replaces the groups of user o->name by o->list (names
 * checked as everywhere, see account.h) and audits the change. */
static int user_groups(struct store *st, const struct opts *o)
{
	struct store_user_change ch = STORE_USER_CHANGE_NONE;
	struct store_user before;
	struct arena *a = arena_new();
	char detail[1024];
	struct err e;
	int rc = 1;

	err_clear(&e);
	if (!a) {
		fprintf(stderr, "debrief: out of memory\n");
		return 1;
	}
	if (account_groups_from_text(a, o->list, &ch.groups, &e) != E_OK ||
	    store_user_update(st, a, o->name, &ch, (int64_t)time(NULL),
			      &before, &e) != E_OK) {
		fprintf(stderr, "debrief: user %s: %s\n", o->name, e.message);
		goto out;
	}
	snprintf(detail, sizeof detail, "%s groups %s -> %s", o->name,
		 before.groups, ch.groups);
	audit(st, "user.groups", detail);
	printf("groups of %s: %s\n", o->name, ch.groups);
	rc = 0;
out:
	arena_free(a);
	return rc;
}

static int user_cmd(struct store *st, const char *sub, const struct opts *o)
{
	char hash[AUTH_PWHASH_MAX];
	struct store_user *users;
	struct arena *a;
	size_t n;
	struct err e;

	err_clear(&e);
	if (!strcmp(sub, "add"))
		return user_add(st, o);
	if (!strcmp(sub, "groups"))
		return user_groups(st, o);
	if (!strcmp(sub, "passwd")) {
		if (get_password(o, hash) != 0)
			return 1;
		if (store_user_set_password(st, o->name, hash, &e) != E_OK)
			goto fail;
		audit(st, "user.passwd", o->name);
		printf("password of %s changed; its sessions ended\n", o->name);
		return 0;
	}
	if (!strcmp(sub, "disable")) {
		if (store_user_disable(st, o->name, (int64_t)time(NULL), &e) !=
		    E_OK)
			goto fail;
		audit(st, "user.disable", o->name);
		printf("disabled %s; its sessions and tokens ended\n", o->name);
		return 0;
	}
	/* list */
	a = arena_new();
	if (!a || store_user_list(st, a, &users, &n, &e) != E_OK) {
		arena_free(a);
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-24s %-7s %s%s\n", users[i].name,
		       role_name(users[i].role), users[i].groups,
		       users[i].disabled ? " (disabled)" : "");
	arena_free(a);
	return 0;
fail:
	fprintf(stderr, "debrief: %s\n", e.message);
	return 1;
}

int cli_user_main(int argc, char **argv)
{
	static const char *const subs[] = {"add", "passwd", "disable", "list",
					   "groups"};
	struct store *st;
	struct opts o;
	size_t i;
	int rc;

	if (argc < 2)
		return usage("%s", "user needs a subcommand");
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(argv[1], subs[i]))
			break;
	if (i == sizeof subs / sizeof subs[0])
		return usage("unknown subcommand 'user %s'", argv[1]);
	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (strcmp(argv[1], "list") != 0 && !o.name)
		return usage("user %s needs a NAME", argv[1]);
	if (!strcmp(argv[1], "list") && o.name)
		return usage("unexpected argument '%s'", o.name);
	if (!strcmp(argv[1], "groups") && !o.list)
		return usage("%s", "user groups needs NAME and g1,g2 "
				   "(\"\" for none)");
	if (strcmp(argv[1], "groups") != 0 && o.list)
		return usage("unexpected argument '%s'", o.list);
	if (o.name && strlen(o.name) > 64)
		return usage("%s", "a user name has at most 64 bytes");
	st = open_store(&o);
	if (!st)
		return 1;
	rc = user_cmd(st, argv[1], &o);
	store_close(st);
	return rc;
}

int cli_token_main(int argc, char **argv)
{
	char token[AUTH_TOKEN_MAX], hash[AUTH_HEX], detail[160];
	struct store *st;
	struct opts o;
	struct err e;
	int64_t id = 0;
	int rc;

	if (argc < 2 ||
	    (strcmp(argv[1], "create") && strcmp(argv[1], "revoke")))
		return usage("%s", "token needs create or revoke");
	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (o.list)
		return usage("unexpected argument '%s'", o.list);
	if (!strcmp(argv[1], "create")) {
		if (!o.user || o.name)
			return usage("%s", "token create needs --user NAME");
		if (!o.scope ||
		    (strcmp(o.scope, "read") && strcmp(o.scope, "write")))
			return usage("%s", "--scope must be read or write");
	} else {
		char *end;

		id = o.name ? strtoll(o.name, &end, 10) : 0;
		if (!o.name || *end || id <= 0)
			return usage("%s", "token revoke needs an ID");
	}
	st = open_store(&o);
	if (!st)
		return 1;
	err_clear(&e);
	rc = 1;
	if (!strcmp(argv[1], "revoke")) {
		if (store_token_revoke(st, id, (int64_t)time(NULL), &e) != E_OK)
			goto fail;
		snprintf(detail, sizeof detail, "token %lld", (long long)id);
		audit(st, "token.revoke", detail);
		printf("revoked token %lld\n", (long long)id);
		rc = 0;
		goto out;
	}
	auth_token_new(token);
	auth_hash_secret(token, hash);
	if (store_token_create(st, hash, o.user, !strcmp(o.scope, "write"),
			       (int64_t)time(NULL), &id, &e) != E_OK)
		goto fail;
	snprintf(detail, sizeof detail, "token %lld for %s, scope %s",
		 (long long)id, o.user, o.scope);
	audit(st, "token.create", detail);
	printf("token %lld for %s (%s); it is shown only now:\n%s\n",
	       (long long)id, o.user, o.scope, token);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "debrief: %s\n", e.message);
out:
	store_close(st);
	return rc;
}
