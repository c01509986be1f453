/* import_cli.c: `debrief import FORMAT ...`, a table of formats, each
 * with its own function (one file per format in src/importers/). */
#include <stdio.h>
#include <string.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "importers/json_format.h"

struct import_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *summary;
};

static int import_json_main(int argc, char **argv);

static const struct import_command import_commands[] = {
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
	fprintf(f, "usage: debrief import FORMAT ...\n\nformats:\n");
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
		return argc < 2 ? CLI_EXIT_USAGE : 0;
	}
	for (size_t i = 0; i < NIMPORT; i++)
		if (!strcmp(argv[1], import_commands[i].name))
			return import_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "debrief import: unknown format '%s'\n\n", argv[1]);
	import_usage(stderr);
	return CLI_EXIT_USAGE;
}
