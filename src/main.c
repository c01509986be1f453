/* main.c: the command line. One table maps a command name to its
 * function; each command parses its own flags with parse_flags and runs.
 * Exit status: 0 success, 1 failure, 2 bad usage. */
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli_user.h"
#include "config.h"
#include "http/auth.h"
#include "integrations/flags.h"
#include "http/http.h"
#include "importers/import_cli.h"
#include "importers/data_cli.h"
#include "integrations/sync.h"
#include "integrations/links_scan.h"
#include "lint/lint.h"
#include "store/store.h"
#include "util/log.h"
#include "util/metrics.h"
#include "web/web.h"

#ifndef DEBRIEF_VERSION
#define DEBRIEF_VERSION "0.1.0"
#endif

#define EXIT_USAGE	   2
#define PAGE_CACHE_ENTRIES 512

/* Flags a command may accept. */
enum {
	FLAG_DB = 1 << 0,
	FLAG_LISTEN = 1 << 1,
	FLAG_CONFIG = 1 << 2,
};

struct flags {
	const char *db, *listen, *config;
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *summary;
};

static int cmd_serve(int argc, char **argv);
static int cmd_migrate(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_check_config(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{"serve", cmd_serve, "[--db PATH] [--listen ADDR:PORT] [--config PATH]",
	 "serve the web UI and the JSON API"},
	{"migrate", cmd_migrate, "[--dry-run] [--db PATH] [--config PATH]",
	 "create or upgrade the database and print its schema version; "
	 "--dry-run lists what would be applied and changes nothing"},
	{"lint", lint_main, "[--format text|json|sarif] [FILE ... | -]",
	 "check write-ups for blame-prone wording (see debrief lint --help)"},
	{"user", cli_user_main,
	 "add NAME --role reader|editor|admin [--groups g1,g2] "
	 "[--password-stdin] [--db PATH] | passwd NAME | disable NAME | list",
	 "manage accounts (see README, Accounts)"},
	{"token", cli_token_main,
	 "create --user NAME --scope read|write [--db PATH] | revoke ID",
	 "create (printed once, on the last line) or revoke an API token"},
	{"check-config", cmd_check_config, "[FILE]",
	 "check a configuration file (default ./debrief.conf) and the "
	 "DEBRIEF_* variables; exit 0 when good, 1 with every problem"},
	{"export", export_main, "--format md|json [--db PATH] DIR|-",
	 "write every review (json: and users, audit) to DIR or stdout"},
	{"import", import_main,
	 "chat --review ID FILE [--format slack|irc|jsonl|csv] "
	 "[--date YYYY-MM-DD] [--tz ZONE] | slack --review ID --channel ID | "
	 "json FILE | md DIR|FILE... [--keep-going] | morgue FILE [--db PATH]",
	 "import a chat into a review, or reviews from debrief's JSON, "
	 "markdown or Morgue (see debrief import --help)"},
	{"backup", backup_main, "PATH [--db PATH]",
	 "copy the database to the new file PATH, also while the server runs"},
	{"restore", restore_main, "PATH [--db PATH]",
	 "replace the database (not in use) with the backup PATH"},
	{"copy", copy_main, "--from URL --to URL",
	 "copy every table into another, empty database (sqlite:PATH or "
	 "postgres://...), either way, and check the counts"},
	{"sync", sync_main, "[TRACKER] [--db PATH] [--config PATH]",
	 "read the follow-ups' tickets from Jira and GitHub once (for cron); "
	 "exit 1 when a tracker failed"},
	{"links", links_main, "scan PATH [--db PATH]",
	 "record the references to reviews (PM-42, /reviews/42) in a git "
	 "repository's files and commit messages; for cron or CI"},
	{"version", cmd_version, "", "print the version"},
	{"help", cmd_help, "", "show this help"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fprintf(f, "usage: debrief COMMAND [FLAGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  debrief %s%s%s\n      %s\n", commands[i].name,
			commands[i].args[0] ? " " : "", commands[i].args,
			commands[i].summary);
	fprintf(f, "\nSettings come from ./debrief.conf (or --config PATH), "
		   "then DEBRIEF_DB, DEBRIEF_LISTEN,\nDEBRIEF_MAX_BODY and "
		   "DEBRIEF_THREADS, then the flags.\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "debrief: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n");
	usage(stderr);
	return EXIT_USAGE;
}

/* parse_flags reads "--flag VALUE" and "--flag=VALUE" for the flags in
 * allowed; anything else is a usage error (returns EXIT_USAGE after
 * printing usage, else 0). */
static int parse_flags(int argc, char **argv, unsigned allowed,
		       struct flags *fl)
{
	static const struct {
		const char *name;
		unsigned bit;
		size_t off;
	} known[] = {
		{"--db", FLAG_DB, offsetof(struct flags, db)},
		{"--listen", FLAG_LISTEN, offsetof(struct flags, listen)},
		{"--config", FLAG_CONFIG, offsetof(struct flags, config)},
	};

	memset(fl, 0, sizeof *fl);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		size_t k, n;

		for (k = 0; k < sizeof known / sizeof known[0]; k++) {
			n = strlen(known[k].name);
			if (!(allowed & known[k].bit) ||
			    strncmp(arg, known[k].name, n) != 0)
				continue;
			if (arg[n] == '=') {
				value = arg + n + 1;
				break;
			}
			if (arg[n] == '\0') {
				if (i + 1 >= argc)
					return bad_usage("%s needs a value",
							 arg);
				value = argv[++i];
				break;
			}
		}
		if (k == sizeof known / sizeof known[0])
			return bad_usage("unknown flag or argument '%s'", arg);
		*(const char **)((char *)fl + known[k].off) = value;
	}
	return 0;
}

/* load_config applies, in order: defaults, the config file (./debrief.conf
 * when present, or --config PATH which must exist), the environment, the
 * flags. Prints the problem and returns -1 on error. */
static int load_config(struct config *cfg, const struct flags *fl)
{
	struct err e;

	err_clear(&e);
	config_defaults(cfg);
	if (config_load(cfg, fl->config ? fl->config : "debrief.conf",
			fl->config != NULL, &e) != E_OK ||
	    config_from_env(cfg, &e) != E_OK)
		goto fail;
	if (fl->db && (!*fl->db || strlen(fl->db) >= sizeof cfg->db)) {
		err_set(&e, E_INVALID, "db", "--db: empty or too long");
		goto fail;
	}
	if (fl->db)
		snprintf(cfg->db, sizeof cfg->db, "%s", fl->db);
	if (fl->listen) {
		struct config tmp = *cfg;
		char host[128];
		int port;

		if (strlen(fl->listen) >= sizeof tmp.listen) {
			err_set(&e, E_INVALID, "listen", "--listen: too long");
			goto fail;
		}
		snprintf(tmp.listen, sizeof tmp.listen, "%s", fl->listen);
		if (config_listen_split(&tmp, host, sizeof host, &port, &e) !=
		    E_OK)
			goto fail;
		snprintf(cfg->listen, sizeof cfg->listen, "%s", fl->listen);
	}
	return 0;
fail:
	fprintf(stderr, "debrief: %s\n", e.message);
	return -1;
}

static int cmd_serve(int argc, char **argv)
{
	struct config cfg;
	struct flags fl;
	struct app app = {0};
	struct server *srv = NULL;
	struct sync_job *job = NULL;
	struct err e;
	sigset_t set;
	int rc, sig = 0, schema = 0;

	rc = parse_flags(argc, argv, FLAG_DB | FLAG_LISTEN | FLAG_CONFIG, &fl);
	if (rc)
		return rc;
	if (load_config(&cfg, &fl) < 0)
		return 1;
	/* signals are taken by sigwait below, never by a handler; every
	 * thread started from here on inherits the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	err_clear(&e);
	app.cfg = &cfg;
	log_set_format(cfg.log_format);
	if (cfg.log_file[0] && log_open_file(cfg.log_file) < 0) {
		fprintf(stderr, "debrief: log_file '%s': %s\n", cfg.log_file,
			strerror(errno));
		return 1;
	}
	if (store_open(cfg.db, &app.store, &e) != E_OK ||
	    store_schema_version(app.store, &schema, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		if (app.store)
			store_close(app.store);
		return 1;
	}
	metrics_init(DEBRIEF_VERSION, schema);
	/* an unreachable StatsD host is one warning, never a failed start */
	if (metrics_statsd(cfg.statsd, cfg.statsd_prefix, &e) != E_OK) {
		log_warn("%s", e.message);
		err_clear(&e);
	}
	if (auth_init() < 0 ||
	    auth_check_listen(&cfg, app.store, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n",
			e.message[0] ? e.message : "libsodium failed to start");
		rc = 1;
		goto out;
	}
	app.cache = page_cache_new(PAGE_CACHE_ENTRIES, cfg.cache_bytes);
	if (cfg.render_store_bytes == RENDER_STORE_AUTO)
		store_render_limit_by_reviews(app.store, STORE_RENDER_BYTES,
					      STORE_RENDER_PER_REVIEW);
	else
		store_render_limit(app.store, cfg.render_store_bytes);
	/* a flag source that is down is a warning (its state shows it),
	 * never a failed start */
	if (flags_start(cfg.flags_source, cfg.flags_interval, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		rc = 1;
		goto out;
	}
	/* Each request frees its memory at its end. glibc gave the top of
	 * a thread's heap back to the system (madvise, and a TLB flush on
	 * every core) whenever 128 KB of it was free, and the next request
	 * faulted the same pages in again: 10-12% of an uncached search's
	 * CPU on Morgue's 240 post-mortems (issue 21). A thread's heap now
	 * keeps up to 1 MB; blocks up to 1 MB come from the heap (a fixed
	 * trim threshold turns off glibc's moving mmap threshold). */
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	if (server_start(&app, &srv, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		rc = 1;
		goto out;
	}
	printf("debrief listening on http://%s\n", cfg.listen);
	fflush(stdout);
	job = sync_job_start(app.store, &cfg); /* trackers: on its own thread */
	while (sigwait(&set, &sig) != 0)
		;
	log_info("%s received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	sync_job_stop(job);
	server_stop(srv);
	rc = 0;
out:
	flags_stop();
	if (app.cache)
		page_cache_free(app.cache);
	if (app.store)
		store_close(app.store);
	return rc;
}

static void print_pending(int version, const char *name, void *ctx)
{
	int *n = ctx;

	printf("  would apply %s (schema %d)\n", name, version);
	(*n)++;
}

/* cmd_migrate applies the pending migrations and prints the schema
 * version; with --dry-run it opens the database read-only and lists what
 * would be applied instead. */
static int cmd_migrate(int argc, char **argv)
{
	struct config cfg;
	struct flags fl;
	struct store *st = NULL;
	struct err e;
	int rc, version = 0, dry = 0, pending = 0, n = 0;
	char *args[16];

	/* --dry-run takes no value: take it out before parse_flags */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") && i > 0)
			dry = 1;
		else if (n < (int)(sizeof args / sizeof args[0]))
			args[n++] = argv[i];
		else
			return bad_usage("too many arguments%s", "");
	}
	rc = parse_flags(n, args, FLAG_DB | FLAG_CONFIG, &fl);
	if (rc)
		return rc;
	if (load_config(&cfg, &fl) < 0)
		return 1;
	err_clear(&e);
	if (dry) {
		if (store_schema_pending(cfg.db, &version, print_pending,
					 &pending, &e) != E_OK) {
			fprintf(stderr, "debrief: %s\n", e.message);
			return 1;
		}
		printf("%s: schema version %d; %d migration%s to apply "
		       "(newest %d); nothing was changed\n",
		       cfg.db, version, pending, pending == 1 ? "" : "s",
		       store_schema_newest());
		return 0;
	}
	if (store_open(cfg.db, &st, &e) != E_OK ||
	    store_schema_version(st, &version, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		if (st)
			store_close(st);
		return 1;
	}
	printf("%s: schema version %d\n", cfg.db, version);
	store_close(st);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	struct flags fl;
	int rc = parse_flags(argc, argv, 0, &fl);

	if (rc)
		return rc;
	printf("debrief %s (schema %d; libmicrohttpd %s, SQLite %s, "
	       "jansson %s)\n",
	       DEBRIEF_VERSION, store_schema_newest(), MHD_get_version(),
	       sqlite3_libversion(), JANSSON_VERSION);
	return 0;
}

/* cmd_check_config validates every line of FILE (./debrief.conf when not
 * given, where a missing file means the defaults) and the environment, and
 * prints every problem, not only the first, to stderr. */
static int cmd_check_config(int argc, char **argv)
{
	const char *path = "debrief.conf";
	struct config cfg;
	int problems;

	if (argc > 2)
		return bad_usage("check-config takes one FILE, got '%s'",
				 argv[2]);
	if (argc == 2) {
		if (argv[1][0] == '-')
			return bad_usage("unknown flag '%s'", argv[1]);
		path = argv[1];
	}
	config_defaults(&cfg);
	problems = config_check(&cfg, path, argc == 2, stderr);
	if (problems) {
		fprintf(stderr, "%s: %d problem%s\n", path, problems,
			problems == 1 ? "" : "s");
		return 1;
	}
	printf("%s: ok\n", path);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name;

	if (argc < 2)
		return bad_usage("%s", "no command given");
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(name, "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return bad_usage("unknown command '%s'", name);
}
