/* import_cli.h: `debrief import`, a table of subcommands (import_cli.c). */
#ifndef DEBRIEF_IMPORT_CLI_H
#define DEBRIEF_IMPORT_CLI_H

/* import_main runs `debrief import SUBCOMMAND ...`: exit 0 on success, 1
 * on bad input (nothing imported), 2 on a usage error. */
int import_main(int argc, char **argv);

#endif
