/* cli_args.c: flags and the database of the data commands (import, export,
 * backup, restore). */
#include "importers/cli_args.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

static int value_flag(const char *arg, const char *name, int *inline_at)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*inline_at = (int)n + 1;
		return 1;
	}
	if (arg[n] == '\0') {
		*inline_at = -1;
		return 1;
	}
	return 0;
}

int cli_args_parse(const char *cmd, int argc, char **argv, int first,
		   unsigned allowed, struct cli_args *out)
{
	int flags_done = 0;

	memset(out, 0, sizeof *out);
	for (int i = first; i < argc; i++) {
		const char *arg = argv[i], **slot = NULL;
		int at = 0;

		if (flags_done || arg[0] != '-' || !strcmp(arg, "-")) {
			if (out->npos == CLI_MAX_ARGS) {
				fprintf(stderr,
					"debrief %s: more than %d arguments\n",
					cmd, CLI_MAX_ARGS);
				return CLI_EXIT_USAGE;
			}
			out->pos[out->npos++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			flags_done = 1;
			continue;
		}
		if ((allowed & CLI_KEEP_GOING) && !strcmp(arg, "--keep-going")) {
			out->keep_going = 1;
			continue;
		}
		if ((allowed & CLI_DB) && value_flag(arg, "--db", &at))
			slot = &out->db;
		else if ((allowed & CLI_DB) && value_flag(arg, "--config", &at))
			slot = &out->config;
		else if ((allowed & CLI_FORMAT) &&
			 value_flag(arg, "--format", &at))
			slot = &out->format;
		if (!slot) {
			fprintf(stderr, "debrief %s: unknown flag '%s'\n", cmd,
				arg);
			return CLI_EXIT_USAGE;
		}
		if (at < 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
					"debrief %s: %s needs a value\n", cmd,
					arg);
				return CLI_EXIT_USAGE;
			}
			*slot = argv[++i];
		} else {
			*slot = arg + at;
		}
		if (!**slot) {
			fprintf(stderr, "debrief %s: %s: empty value\n", cmd,
				arg);
			return CLI_EXIT_USAGE;
		}
	}
	return 0;
}

int cli_db_url(const struct cli_args *a, char *url, size_t n)
{
	struct config cfg;
	struct err e;

	err_clear(&e);
	config_defaults(&cfg);
	if (config_load(&cfg, a->config ? a->config : "debrief.conf",
			a->config != NULL, &e) != E_OK ||
	    config_from_env(&cfg, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		return -1;
	}
	if (a->db && strlen(a->db) >= n) {
		fprintf(stderr, "debrief: --db: too long\n");
		return -1;
	}
	snprintf(url, n, "%s", a->db ? a->db : cfg.db);
	return 0;
}

int cli_store_open(const struct cli_args *a, struct store **out)
{
	char url[1024];
	struct err e;

	*out = NULL;
	if (cli_db_url(a, url, sizeof url) < 0)
		return -1;
	err_clear(&e);
	if (store_open(url, out, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		return -1;
	}
	return 0;
}
