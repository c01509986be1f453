/* cli_args.h: what the import, export, backup and restore commands share:
 * their flags (--db PATH, --config PATH, --format F, --keep-going) among
 * positional arguments, and the database the settings name. */
#ifndef DEBRIEF_CLI_ARGS_H
#define DEBRIEF_CLI_ARGS_H

#include "store/store.h"

#define CLI_EXIT_BAD   1
#define CLI_EXIT_USAGE 2
#define CLI_MAX_ARGS   256

struct cli_args {
	const char *db;     /* --db; NULL: the settings' database */
	const char *config; /* --config */
	const char *format; /* --format (export) */
	int keep_going;     /* --keep-going */
	const char *pos[CLI_MAX_ARGS]; /* positional arguments, in order */
	int npos;
};

/* Flags cli_args_parse accepts. */
#define CLI_DB	       0x1
#define CLI_FORMAT     0x2
#define CLI_KEEP_GOING 0x4

/* cli_args_parse reads argv[first..argc): the flags in allowed (--db and
 * --config are allowed with CLI_DB; "--flag VALUE" or "--flag=VALUE") and
 * positional arguments ("-" is positional; "--" ends the flags). Prints a
 * message naming cmd and returns CLI_EXIT_USAGE on a bad flag, else 0. */
int cli_args_parse(const char *cmd, int argc, char **argv, int first,
		   unsigned allowed, struct cli_args *out);

/* cli_db_url writes into url (size n) the database the settings name:
 * debrief.conf (or --config), DEBRIEF_DB, then --db. Prints the problem and
 * returns -1 on error. */
int cli_db_url(const struct cli_args *a, char *url, size_t n);

/* cli_store_open opens the database the settings name (see cli_db_url);
 * prints the problem and returns -1 on error. */
int cli_store_open(const struct cli_args *a, struct store **out);

#endif
