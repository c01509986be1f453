/* copy_cli.c: `debrief copy --from URL --to URL`: every table of one
 * database into another, empty one (store_copy), and the counts. */
#include <stdio.h>
#include <string.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "store/db.h"

#define COPY_USAGE "usage: debrief copy --from URL --to URL\n"

/* url_ok tells whether u names a database: "sqlite:PATH",
 * "postgres://...", "postgresql://..." or a plain path (no other
 * "scheme://"). */
static int url_ok(const char *u)
{
	const char *sep = strstr(u, "://");

	if (!*u)
		return 0;
	return !sep || db_url_is_postgres(u) || !strncmp(u, "sqlite:", 7);
}

int copy_main(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	struct copy_report r;
	struct err e;
	int64_t rows = 0;

	for (int i = 1; i < argc; i++) {
		const char **slot = NULL;
		const char *v = NULL;

		if (!strncmp(argv[i], "--from", 6))
			slot = &from;
		else if (!strncmp(argv[i], "--to", 4))
			slot = &to;
		if (slot) {
			const char *rest = argv[i] + (slot == &from ? 6 : 4);

			if (*rest == '=')
				v = rest + 1;
			else if (!*rest && i + 1 < argc)
				v = argv[++i];
		}
		if (!v) {
			fprintf(stderr, "debrief copy: unknown argument %s\n"
					COPY_USAGE, argv[i]);
			return CLI_EXIT_USAGE;
		}
		*slot = v;
	}
	if (!from || !to) {
		fprintf(stderr, "debrief copy: --from and --to are both "
				"needed\n" COPY_USAGE);
		return CLI_EXIT_USAGE;
	}
	if (!url_ok(from) || !url_ok(to)) {
		fprintf(stderr,
			"debrief copy: %s is not a database URL (sqlite:PATH, "
			"a path, or postgres://USER@HOST:PORT/DB)\n",
			url_ok(from) ? to : from);
		return CLI_EXIT_USAGE;
	}
	err_clear(&e);
	if (store_copy(from, to, &r, &e) != E_OK) {
		fprintf(stderr, "debrief copy: %s\n", e.message);
		return CLI_EXIT_BAD;
	}
	printf("%-20s %10s %10s\n", "table", "source", "copy");
	for (int i = 0; i < r.n; i++) {
		printf("%-20s %10lld %10lld\n", r.tables[i].table,
		       (long long)r.tables[i].from, (long long)r.tables[i].to);
		rows += r.tables[i].to;
	}
	printf("%s: %lld rows of %d tables copied from %s in %.2f s; every "
	       "count checked; search index rebuilt\n",
	       to, (long long)rows, r.n, from, r.seconds);
	return 0;
}
