/* backup_cli.c: `debrief backup PATH` and `debrief restore PATH`, whole
 * copies of the SQLite database (store_backup_file, store_restore_file).
 * On a PostgreSQL database they are PostgreSQL's own tools: pg_dump into
 * a custom-format archive, pg_restore of one into a new, empty database,
 * in one transaction. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "store/db.h"

extern char **environ;

static int exit_for(enum err_code code)
{
	return code == E_OK ? 0 : CLI_EXIT_BAD;
}

/* pg_tool runs argv (argv[0] found on PATH) and waits: its exit status,
 * or -1 with a message when it could not be run. */
static int pg_tool(const char *cmd, char *const argv[])
{
	pid_t pid;
	int st, rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);

	if (rc == ENOENT) {
		fprintf(stderr,
			"debrief %s: %s is not installed (Debian: apt-get "
			"install postgresql-client); a PostgreSQL database "
			"is backed up and restored with pg_dump and "
			"pg_restore, or copied to and from a SQLite file "
			"with `debrief copy --from URL --to sqlite:PATH`\n",
			cmd, argv[0]);
		return -1;
	}
	if (rc) {
		fprintf(stderr, "debrief %s: %s: %s\n", cmd, argv[0],
			strerror(rc));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* pg_dbname writes into db (size n) the --dbname argument of PostgreSQL's
 * tools for url, and puts the URL's password, if any, into PGPASSWORD
 * for them (never on the command line). 0, or -1 with a message. */
static int pg_dbname(const char *cmd, const char *url, char *db, size_t n)
{
	char conn[2048], pw[512], msg[256];

	if (db_pg_tool_conninfo(url, conn, sizeof conn, pw, sizeof pw, msg,
				sizeof msg) < 0) {
		fprintf(stderr, "debrief %s: %s\n", cmd, msg);
		return -1;
	}
	if ((size_t)snprintf(db, n, "--dbname=%s", conn) >= n) {
		fprintf(stderr, "debrief %s: the database URL is too long\n",
			cmd);
		return -1;
	}
	if (pw[0] && setenv("PGPASSWORD", pw, 1) != 0) {
		fprintf(stderr, "debrief %s: %s\n", cmd, strerror(errno));
		return -1;
	}
	return 0;
}

/* pg_backup writes url's database into the new file dest with pg_dump (a
 * custom-format archive), beside it first and renamed when whole. */
static int pg_backup(const char *url, const char *dest)
{
	char tmp[4096], file[4200], db[2100];
	struct stat sb;
	int rc;

	if (stat(dest, &sb) == 0) {
		fprintf(stderr,
			"debrief backup: %s already exists; a backup never "
			"overwrites a file (remove it or give another name)\n",
			dest);
		return CLI_EXIT_BAD;
	}
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", dest) >=
	    sizeof tmp) {
		fprintf(stderr, "debrief backup: %s: name too long\n", dest);
		return CLI_EXIT_BAD;
	}
	if (pg_dbname("backup", url, db, sizeof db) < 0)
		return CLI_EXIT_BAD;
	snprintf(file, sizeof file, "--file=%s", tmp);
	unlink(tmp);
	{
		char *argv[] = {"pg_dump", "--format=custom", "--no-owner",
				file, db, NULL};

		rc = pg_tool("backup", argv);
	}
	if (rc != 0 || rename(tmp, dest) != 0) {
		if (rc > 0)
			fprintf(stderr,
				"debrief backup: pg_dump failed (exit %d); "
				"no backup written\n",
				rc);
		else if (rc == 0)
			fprintf(stderr, "debrief backup: %s: %s\n", dest,
				strerror(errno));
		unlink(tmp);
		return CLI_EXIT_BAD;
	}
	return 0;
}

/* pg_restore_into restores the archive src (of pg_backup) into url's
 * database, which must be new and empty, in one transaction: any error
 * (a table already there) leaves it as it was. */
static int pg_restore_into(const char *src, const char *url)
{
	char db[2100];
	int rc;

	if (access(src, R_OK) != 0) {
		fprintf(stderr, "debrief restore: %s: %s\n", src,
			strerror(errno));
		return CLI_EXIT_BAD;
	}
	if (pg_dbname("restore", url, db, sizeof db) < 0)
		return CLI_EXIT_BAD;
	{
		char *argv[] = {"pg_restore",	  "--no-owner",
				"--exit-on-error", "--single-transaction",
				db,		  "--", (char *)src,
				NULL};

		rc = pg_tool("restore", argv);
	}
	if (rc > 0)
		fprintf(stderr,
			"debrief restore: pg_restore failed (exit %d); nothing "
			"was restored. It restores a backup of `debrief "
			"backup` into a new, empty database (createdb NAME), "
			"never over one in use\n",
			rc);
	return rc ? CLI_EXIT_BAD : 0;
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
	if (db_url_is_postgres(url)) {
		if ((rc = pg_backup(url, a.pos[0])) == 0)
			printf("%s: backup of the PostgreSQL database "
			       "written (pg_dump)\n",
			       a.pos[0]);
		return rc;
	}
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
	if (db_url_is_postgres(url)) {
		if ((rc = pg_restore_into(a.pos[0], url)) == 0)
			printf("the PostgreSQL database: restored from %s "
			       "(pg_restore)\n",
			       a.pos[0]);
		return rc;
	}
	err_clear(&e);
	if (store_restore_file(a.pos[0], url, &e) != E_OK) {
		fprintf(stderr, "debrief restore: %s\n", e.message);
		return exit_for(e.code);
	}
	printf("%s: restored from %s\n", url, a.pos[0]);
	return 0;
}
