/* test_copy_cli.c: `debrief copy --from URL --to URL` as a person runs it:
 * exit 0 with every table's counts, 1 on bad input (no source, a target
 * that is not empty, a database that cannot be reached) with a message and
 * nothing changed, 2 on a usage error (a missing flag, not a URL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"

struct fx {
	char dir[64], src[128], dst[128];
};

struct cli_out {
	int status;
	char text[8192]; /* stdout and stderr */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct store *st;
	struct err e;

	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-copycli-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->src, sizeof f->src, "%s/src.db", f->dir);
	snprintf(f->dst, sizeof f->dst, "%s/dst.db", f->dir);
	if (store_open(f->src, &st, &e) != E_OK)
		return -1;
	if (store_user_create(st, "ann", ROLE_ADMIN, NULL, "", 1700000000,
			      &e) != E_OK ||
	    store_audit_add(st, 1700000000, "ann", "login", "ok", "127.0.0.1",
			    &e) != E_OK)
		return -1;
	store_close(st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void run(struct fx *f, struct cli_out *o, const char *args)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[2048], path[400];
	FILE *fp;
	size_t n;
	int st;

	snprintf(path, sizeof path, "%s/cli.out", f->dir);
	snprintf(cmd, sizeof cmd, "'%s' copy %s > '%s' 2>&1",
		 bin && *bin ? bin : "./debrief", args, path);
	st = system(cmd);
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(o->text, 1, sizeof o->text - 1, fp);
	o->text[n] = '\0';
	fclose(fp);
}

static void expect(struct fx *f, const char *args, int status,
		   const char *what)
{
	struct cli_out o;

	run(f, &o, args);
	if (o.status != status || !strstr(o.text, what))
		fail_msg("copy %s: exit %d, want %d with \"%s\":\n%s", args,
			 o.status, status, what, o.text);
}

static int exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static void test_copy_prints_the_counts(void **state)
{
	struct fx *f = *state;
	char args[512];

	snprintf(args, sizeof args, "--from sqlite:%s --to=%s", f->src,
		 f->dst);
	expect(f, args, 0, "every count checked");
	expect(f, args, 1, "not empty");
}

static void test_bad_input_exits_1_and_changes_nothing(void **state)
{
	struct fx *f = *state;
	char args[512], missing[160];
	struct stat before, after;

	snprintf(missing, sizeof missing, "%s/none.db", f->dir);
	snprintf(args, sizeof args, "--from %s --to %s", missing, f->dst);
	expect(f, args, 1, "there is no database there");
	assert_false(exists(f->dst));
	snprintf(args, sizeof args,
		 "--from postgres://nobody@127.0.0.1:1/none --to %s", f->dst);
	expect(f, args, 1, "postgres://nobody@127.0.0.1:1/none");
	assert_false(exists(f->dst));
	/* a target with rows: the source copied onto itself's twin */
	snprintf(args, sizeof args, "--from %s --to %s", f->src, f->dst);
	expect(f, args, 0, "every count checked");
	assert_int_equal(stat(f->dst, &before), 0);
	expect(f, args, 1, "nothing was changed");
	assert_int_equal(stat(f->dst, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mtime, after.st_mtime);
}

static void test_usage_errors_exit_2(void **state)
{
	struct fx *f = *state;
	char args[512];

	snprintf(args, sizeof args, "--from %s", f->src);
	expect(f, args, 2, "--from and --to are both needed");
	snprintf(args, sizeof args, "--from mysql://db/x --to %s", f->dst);
	expect(f, args, 2, "mysql://db/x is not a database URL");
	snprintf(args, sizeof args, "--from %s --to %s --force", f->src,
		 f->dst);
	expect(f, args, 2, "unknown argument --force");
	assert_false(exists(f->dst));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_prints_the_counts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_bad_input_exits_1_and_changes_nothing, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_usage_errors_exit_2,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
