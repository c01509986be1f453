/* cli_user.h: the `user` and `token` commands of the command line. */
#ifndef DEBRIEF_CLI_USER_H
#define DEBRIEF_CLI_USER_H

/* cli_user_main runs `debrief user add|passwd|disable|list ...` (argv[0] is
 * "user"); cli_token_main `debrief token create|revoke ...`. They return
 * the exit status: 0, 1 failure, 2 bad usage. */
int cli_user_main(int argc, char **argv);
int cli_token_main(int argc, char **argv);

#endif
