/* backup_cli.c: `debrief backup PATH` and `debrief restore PATH`, whole
 * copies of the SQLite database (store_backup_file, store_restore_file). */
#include <stdio.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"

static int exit_for(enum err_code code)
{
	return code == E_OK ? 0 : CLI_EXIT_BAD;
}

int backup_main(int argc, char **argv)
{
	struct cli_args a;
	char url[1024];
	struct err e;
	int rc = cli_args_parse("backup", argc, argv, 1, CLI_DB, &a);

	if (rc)
		return rc;
	if (a.npos != 1) {
		fprintf(stderr, "usage: debrief backup PATH [--db PATH]\n");
		return CLI_EXIT_USAGE;
	}
	if (cli_db_url(&a, url, sizeof url) < 0)
		return CLI_EXIT_BAD;
	err_clear(&e);
	if (store_backup_file(url, a.pos[0], &e) != E_OK) {
		fprintf(stderr, "debrief backup: %s\n", e.message);
		return exit_for(e.code);
	}
	printf("%s: backup of %s written\n", a.pos[0], url);
	return 0;
}

int restore_main(int argc, char **argv)
{
	struct cli_args a;
	char url[1024];
	struct err e;
	int rc = cli_args_parse("restore", argc, argv, 1, CLI_DB, &a);

	if (rc)
		return rc;
	if (a.npos != 1) {
		fprintf(stderr, "usage: debrief restore PATH [--db PATH]\n");
		return CLI_EXIT_USAGE;
	}
	if (cli_db_url(&a, url, sizeof url) < 0)
		return CLI_EXIT_BAD;
	err_clear(&e);
	if (store_restore_file(a.pos[0], url, &e) != E_OK) {
		fprintf(stderr, "debrief restore: %s\n", e.message);
		return exit_for(e.code);
	}
	printf("%s: restored from %s\n", url, a.pos[0]);
	return 0;
}
