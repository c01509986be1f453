/* links_cli.c: `debrief links scan PATH [--db PATH]`, for cron or CI: the
 * references to reviews in a git repository (links_scan.c), replacing
 * those of its last scan. Prints what it read and found; exit 1 with the
 * reason when PATH is not a repository or the store fails. */
#include <stdio.h>
#include <string.h>

#include "importers/cli_args.h"
#include "integrations/links_scan.h"

static const char usage_text[] =
	"usage: debrief links scan PATH [--db PATH]\n"
	"  records every reference to a review (PM-42, .../reviews/42) in the\n"
	"  files of PATH's HEAD and in its commit messages; a rescan replaces\n"
	"  the repository's links\n";

int links_main(int argc, char **argv)
{
	struct links_scan_counts n;
	struct cli_args a;
	struct store *st;
	struct err e;
	int rc;

	if (argc < 2 || strcmp(argv[1], "scan")) {
		fputs(usage_text, argc > 1 && !strcmp(argv[1], "--help")
					  ? stdout
					  : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0
							       : CLI_EXIT_USAGE;
	}
	if ((rc = cli_args_parse("links scan", argc, argv, 2, CLI_DB, &a)))
		return rc;
	if (a.npos != 1) {
		fputs(usage_text, stderr);
		return CLI_EXIT_USAGE;
	}
	err_clear(&e);
	if (links_scan_check(a.pos[0], &e) != E_OK) {
		fprintf(stderr, "debrief links scan: %s\n", e.message);
		return CLI_EXIT_BAD;
	}
	if (cli_store_open(&a, &st) < 0)
		return CLI_EXIT_BAD;
	if (links_scan_repo(st, a.pos[0], 0, &n, &e) != E_OK) {
		fprintf(stderr, "debrief links scan: %s\n", e.message);
		store_close(st);
		return CLI_EXIT_BAD;
	}
	store_close(st);
	printf("%s: %lld files and %lld commits read; %lld references, "
	       "%lld to reviews here, stored",
	       n.repository, (long long)n.files, (long long)n.commits,
	       (long long)n.found, (long long)n.stored);
	if (n.skipped_large)
		printf("; %lld files over %u MB skipped",
		       (long long)n.skipped_large,
		       LINKS_MAX_FILE / (1024 * 1024));
	if (n.skipped_binary)
		printf("; %lld binary files skipped",
		       (long long)n.skipped_binary);
	printf("\n");
	return 0;
}
