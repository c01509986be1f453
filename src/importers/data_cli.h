/* data_cli.h: the commands that move data in and out of debrief. */
#ifndef DEBRIEF_DATA_CLI_H
#define DEBRIEF_DATA_CLI_H

/* Each takes argv[0] = its own name; returns 0 on success, 1 on bad input
 * or failure, 2 on bad usage. */
int backup_main(int argc, char **argv);
int restore_main(int argc, char **argv);
int export_main(int argc, char **argv);
/* copy_cli.c: `debrief copy --from URL --to URL` */
int copy_main(int argc, char **argv);
/* `debrief import` itself is import_main (import_cli.h); these are its
 * md and morgue subcommands. */
int import_md_main(int argc, char **argv);
int import_morgue_main(int argc, char **argv);

#endif
