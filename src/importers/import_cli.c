/* import_cli.c: `debrief import KIND ...`: one table of subcommands, each
 * with its own flags (chat logs here; debrief's JSON, markdown and Morgue
 * through data_cli.c). Exit status: 0 imported, 1 bad input (nothing
 * imported), 2 usage. */
#include "importers/import_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "importers/chat_import.h"
#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "importers/json_format.h"
#include "importers/slack_api.h"
#include "store/store.h"
#include "util/timeutil.h"

#define EXIT_BAD_INPUT CLI_EXIT_BAD
#define EXIT_USAGE     CLI_EXIT_USAGE

struct import_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *summary;
};

static int import_chat(int argc, char **argv);
static int import_slack(int argc, char **argv);
static int import_json_main(int argc, char **argv);

static const struct import_command import_commands[] = {
	{"chat", import_chat,
	 "--review ID FILE [--format slack|irc|jsonl|csv] [--channel NAME] "
	 "[--since T] "
	 "[--until T] [--tz ZONE] [--date YYYY-MM-DD] [--drop-other] "
	 "[--db PATH] [--config PATH]",
	 "import a Slack export (zip or folder), an IRC log, or a JSON Lines "
	 "or CSV file of time, author and text into a review's chat"},
	{"slack", import_slack,
	 "--review ID --channel CHANNEL_ID [--since T] [--until T] [--db PATH] "
	 "[--config PATH]",
	 "import one Slack channel through the Web API (slack_token in the "
	 "configuration) into a review's chat"},
	{"json", import_json_main, "FILE [--db PATH]",
	 "a debrief JSON export, into an empty database, with the same ids"},
	{"md", import_md_main, "DIR|FILE... [--keep-going] [--db PATH]",
	 "markdown files with YAML front matter (debrief's or other tools')"},
	{"morgue", import_morgue_main, "FILE [--db PATH]",
	 "the SQL dump (mysqldump) of Etsy's Morgue; prints what it could "
	 "not map"},
};

#define NIMPORT (sizeof import_commands / sizeof import_commands[0])

static void import_usage(FILE *f)
{
	fprintf(f, "usage:\n");
	for (size_t i = 0; i < NIMPORT; i++)
		fprintf(f, "  debrief import %s %s\n      %s\n",
			import_commands[i].name, import_commands[i].args,
			import_commands[i].summary);
}

static int exit_for(enum err_code code)
{
	return code == E_OK ? 0 : CLI_EXIT_BAD;
}

static int import_json_main(int argc, char **argv)
{
	struct cli_args a;
	struct store *st = NULL;
	struct err e;
	size_t n = 0;
	int rc = cli_args_parse("import json", argc, argv, 1, CLI_DB, &a);

	if (rc)
		return rc;
	if (a.npos != 1) {
		fprintf(stderr, "usage: debrief import json FILE [--db PATH]\n");
		return CLI_EXIT_USAGE;
	}
	if (cli_store_open(&a, &st) < 0)
		return CLI_EXIT_BAD;
	err_clear(&e);
	if (json_import(st, a.pos[0], &n, &e) != E_OK) {
		fprintf(stderr, "debrief import json: %s\n", e.message);
		rc = exit_for(e.code);
	} else {
		printf("%s: %zu review%s imported\n", a.pos[0], n,
		       n == 1 ? "" : "s");
	}
	store_close(st);
	return rc;
}

int import_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		import_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	for (size_t i = 0; i < NIMPORT; i++)
		if (!strcmp(argv[1], import_commands[i].name))
			return import_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "debrief import: unknown kind '%s'\n\n", argv[1]);
	import_usage(stderr);
	return EXIT_USAGE;
}

static int chat_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "debrief import chat: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: debrief import chat %s\n",
		import_commands[0].args);
	return EXIT_USAGE;
}

/* open_store: the config as `debrief serve` reads it, then --db;
 * chat_max_entry comes back in *max_entry, and the whole config in *out
 * when it is not NULL. */
static struct store *open_store_cfg(const char *db, const char *config,
				    size_t *max_entry, struct config *out)
{
	struct config cfg;
	struct store *st = NULL;
	struct err e;

	err_clear(&e);
	config_defaults(&cfg);
	if (config_load(&cfg, config ? config : "debrief.conf", config != NULL,
			&e) != E_OK ||
	    config_from_env(&cfg, &e) != E_OK)
		goto fail;
	if (db)
		snprintf(cfg.db, sizeof cfg.db, "%s", db);
	*max_entry = cfg.chat_max_entry;
	if (out)
		*out = cfg;
	if (store_open(cfg.db, &st, &e) != E_OK)
		goto fail;
	return st;
fail:
	fprintf(stderr, "debrief: %s\n", e.message);
	return NULL;
}

static struct store *open_store(const char *db, const char *config,
				size_t *max_entry)
{
	return open_store_cfg(db, config, max_entry, NULL);
}

static int import_chat(int argc, char **argv)
{
	struct chat_import_opts o = {0};
	struct chat_import_result res;
	const char *review = NULL, *file = NULL, *db = NULL, *config = NULL;
	const char *since = NULL, *until = NULL, *date = NULL;
	const char *actor = getenv("USER");
	struct store *st;
	struct err e;
	int64_t id;
	char *end;
	int rc;

	for (int i = 1; i < argc; i++) {
		static const char *const with_value[] = {
			"--review", "--format", "--channel", "--since",
			"--until",  "--tz",     "--date",    "--db",
			"--config", NULL};
		const char **slot[] = {&review, &o.format, &o.channel, &since,
				       &until,	&o.zone,   &date,      &db,
				       &config};
		const char *arg = argv[i];
		int k;

		if (!strcmp(arg, "--drop-other")) {
			o.drop_other = 1;
			continue;
		}
		for (k = 0; with_value[k]; k++) {
			size_t n = strlen(with_value[k]);
			if (strncmp(arg, with_value[k], n))
				continue;
			if (arg[n] == '=') {
				*slot[k] = arg + n + 1;
				break;
			}
			if (arg[n] == '\0') {
				if (i + 1 >= argc)
					return chat_usage("%s needs a value",
							  arg);
				*slot[k] = argv[++i];
				break;
			}
		}
		if (with_value[k])
			continue;
		if (arg[0] == '-' && arg[1])
			return chat_usage("unknown flag '%s'", arg);
		if (file)
			return chat_usage("one FILE only; '%s' is one more",
					  arg);
		file = arg;
	}
	if (!review)
		return chat_usage("%s", "--review ID is required");
	id = strtoll(review, &end, 10);
	if (*end || id <= 0)
		return chat_usage("--review: '%s' is not a review id", review);
	if (!file)
		return chat_usage("%s", "FILE is required");
	if (o.format && !chat_format_known(o.format))
		return chat_usage("--format: '%s' is not slack, irc, jsonl or "
				  "csv",
				  o.format);
	if (date && time_parse_date(date, &o.date) < 0)
		return chat_usage("--date: '%s' is not YYYY-MM-DD", date);
	if (since && time_parse(since, &o.since) < 0 &&
	    time_parse_date(since, &o.since) < 0)
		return chat_usage("--since: '%s' is not a time", since);
	if (until && time_parse(until, &o.until) < 0 &&
	    time_parse_date(until, &o.until) < 0)
		return chat_usage("--until: '%s' is not a time", until);
	if (!(st = open_store(db, config, &o.max_entry)))
		return EXIT_BAD_INPUT;
	err_clear(&e);
	if (chat_import_path(st, id, actor && *actor ? actor : "cli", file, &o,
			     &res, &e) != E_OK) {
		fprintf(stderr, "debrief import chat: %s\n", e.message);
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	printf("%s: %lld messages imported (%lld already there) in %d "
	       "channel%s from %s\n",
	       file, (long long)res.counts.added,
	       (long long)res.counts.duplicates, res.channels,
	       res.channels == 1 ? "" : "s",
	       !strcmp(res.format, "irc")     ? "an IRC log"
	       : !strcmp(res.format, "slack") ? "a Slack export"
	       : !strcmp(res.format, "jsonl") ? "a JSON Lines file"
					      : "a CSV file");
	if (res.outside)
		printf("%lld messages outside the window or channel left "
		       "out\n",
		       (long long)res.outside);
	if (res.skips.others)
		printf("%lld joins, parts and other events %s\n",
		       (long long)res.skips.others,
		       o.drop_other ? "dropped" : "kept as kind \"other\"");
	if (res.skips.recoded)
		printf("%lld lines were not UTF-8 and were read as "
		       "Windows-1252\n",
		       (long long)res.skips.recoded);
	if (res.skips.lines) {
		printf("%lld lines skipped:\n", (long long)res.skips.lines);
		for (int i = 0; i < res.skips.nnotes; i++)
			printf("  %s\n", res.skips.notes[i]);
		if (res.skips.lines > res.skips.nnotes)
			printf("  ...\n");
	}
	rc = 0;
out:
	store_close(st);
	return rc;
}

static int slack_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "debrief import slack: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: debrief import slack %s\n",
		import_commands[1].args);
	return EXIT_USAGE;
}

/* import_slack is `debrief import slack`: one channel through the Web
 * API. The token comes from the configuration only, never from a flag
 * (flags show in ps and shell history). */
static int import_slack(int argc, char **argv)
{
	struct slack_api_opts api = {0};
	struct chat_import_result res;
	struct config *cfg;
	const char *review = NULL, *db = NULL, *config = NULL;
	const char *since = NULL, *until = NULL, *channel = NULL;
	const char *actor = getenv("USER");
	size_t max_entry;
	struct store *st;
	struct err e;
	int64_t id;
	char *end;
	int rc;

	for (int i = 1; i < argc; i++) {
		static const char *const with_value[] = {
			"--review", "--channel", "--since", "--until",
			"--db",	    "--config",	 NULL};
		const char **slot[] = {&review, &channel, &since,
				       &until,	&db,	  &config};
		const char *arg = argv[i];
		int k;

		for (k = 0; with_value[k]; k++) {
			size_t n = strlen(with_value[k]);
			if (strncmp(arg, with_value[k], n))
				continue;
			if (arg[n] == '=') {
				*slot[k] = arg + n + 1;
				break;
			}
			if (arg[n] == '\0') {
				if (i + 1 >= argc)
					return slack_usage("%s needs a value",
							   arg);
				*slot[k] = argv[++i];
				break;
			}
		}
		if (!with_value[k])
			return slack_usage("unknown flag or argument '%s'",
					   arg);
	}
	if (!review || !channel)
		return slack_usage("%s", "--review ID and --channel "
					 "CHANNEL_ID are required");
	id = strtoll(review, &end, 10);
	if (*end || id <= 0)
		return slack_usage("--review: '%s' is not a review id", review);
	if (since && time_parse(since, &api.oldest) < 0 &&
	    time_parse_date(since, &api.oldest) < 0)
		return slack_usage("--since: '%s' is not a time", since);
	if (until && time_parse(until, &api.latest) < 0 &&
	    time_parse_date(until, &api.latest) < 0)
		return slack_usage("--until: '%s' is not a time", until);
	if (!(cfg = calloc(1, sizeof *cfg)))
		return EXIT_BAD_INPUT;
	if (!(st = open_store_cfg(db, config, &max_entry, cfg))) {
		free(cfg);
		return EXIT_BAD_INPUT;
	}
	api.base_url = cfg->slack_api_url;
	api.token = cfg->slack_token;
	api.channel = channel;
	api.sleep_fn = sleep;
	err_clear(&e);
	if (chat_import_slack_api(st, id, actor && *actor ? actor : "cli", &api,
				  &res, &e) != E_OK) {
		fprintf(stderr, "debrief import slack: %s\n", e.message);
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	printf("Slack channel %s: %lld messages imported (%lld already "
	       "there)\n",
	       channel, (long long)res.counts.added,
	       (long long)res.counts.duplicates);
	if (res.skips.others)
		printf("%lld joins and other events kept as kind \"other\"\n",
		       (long long)res.skips.others);
	if (res.skips.lines)
		printf("%lld messages skipped (first: %s)\n",
		       (long long)res.skips.lines, res.skips.notes[0]);
	rc = 0;
out:
	memset(cfg->slack_token, 0, sizeof cfg->slack_token);
	free(cfg);
	store_close(st);
	return rc;
}
