/* test_lint_start.c: what lets `debrief lint` start fast: the lazy library
 * stubs of src/util/lazyload.h (the binary loads the server's libraries at
 * the first call of one of their functions, not at process start). A
 * table of stubs over libc checks that arguments of every kind reach the
 * real function, that the slot is filled once, that two threads' first
 * calls agree, that errno survives the load, and that a missing library or
 * symbol ends the process with 127 and a message naming both. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/lazyload.h"

static const char *const t_libs[] = {"libc.so.6",
				     "libdebrief-no-such-library.so.0"};
static void *t_handles[2];
static const char *const t_names[] = {
	"snprintf", "strtol", "abs", "ldexp", "atoi", "getpid",
	"debrief_lazy_test_missing", "debrief_lazy_test_no_symbol",
};
static const unsigned char t_lib[] = {0, 0, 0, 0, 0, 0, 1, 0};
void *t_addr[8];
const struct lazy_table t_table = {t_libs, t_handles, t_names, t_lib,
				   t_addr};

LAZY_ENTER(t_enter, t_table);
LAZY_STUB(t_snprintf, 0, t_addr, t_enter);
LAZY_STUB(t_strtol, 1, t_addr, t_enter);
LAZY_STUB(t_abs, 2, t_addr, t_enter);
LAZY_STUB(t_ldexp, 3, t_addr, t_enter);
LAZY_STUB(t_atoi, 4, t_addr, t_enter);
LAZY_STUB(t_getpid, 5, t_addr, t_enter);
LAZY_STUB(t_missing_library, 6, t_addr, t_enter);
LAZY_STUB(t_missing_symbol, 7, t_addr, t_enter);

int t_snprintf(char *s, size_t n, const char *fmt, ...);
long t_strtol(const char *s, char **end, int base);
int t_abs(int x);
double t_ldexp(double x, int e);
int t_atoi(const char *s);
pid_t t_getpid(void);
void t_missing_library(void);
void t_missing_symbol(void);

#define SKIP_UNSUPPORTED()                                                   \
	do {                                                                 \
		if (!LAZY_STUBS_SUPPORTED)                                   \
			skip();                                              \
	} while (0)

/* A variadic call with more arguments than registers, doubles among them:
 * the stack, the vector registers and al must all reach snprintf. */
static void test_variadic_call_with_stack_and_float_arguments(void **state)
{
	char buf[128];
	int n;

	SKIP_UNSUPPORTED();
	assert_null(t_addr[0]);
	n = t_snprintf(buf, sizeof buf, "%d %s %.2f %d %d %.1f %d %d %s", 1,
		       "two", 3.25, 4, 5, 6.5, 7, 8, "nine");
	assert_string_equal(buf, "1 two 3.25 4 5 6.5 7 8 nine");
	assert_int_equal(n, (int)strlen(buf));
	assert_ptr_equal(t_addr[0], dlsym(t_handles[0], "snprintf"));
	/* the second call goes straight through the filled slot */
	t_snprintf(buf, sizeof buf, "%s-%d", "again", 2);
	assert_string_equal(buf, "again-2");
}

static void test_pointer_out_argument_and_double_return(void **state)
{
	char *end = NULL;
	const char *s = "0x1fz";

	SKIP_UNSUPPORTED();
	assert_int_equal(t_strtol(s, &end, 16), 31);
	assert_ptr_equal(end, s + 4);
	assert_true(t_ldexp(1.5, 3) == 12.0);
	assert_int_equal(t_getpid(), getpid());
}

static void test_errno_is_left_as_it_was_by_the_first_call(void **state)
{
	SKIP_UNSUPPORTED();
	assert_null(t_addr[2]);
	errno = 12345;
	assert_int_equal(t_abs(-3), 3);
	assert_int_equal(errno, 12345);
}

static void *first_call(void *arg)
{
	*(int *)arg = t_atoi("4711");
	return NULL;
}

static void test_first_calls_from_threads_all_get_the_function(void **state)
{
	pthread_t th[8];
	int got[8] = {0};

	SKIP_UNSUPPORTED();
	assert_null(t_addr[4]);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&th[i], NULL, first_call,
						&got[i]),
				 0);
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(got[i], 4711);
	}
	assert_ptr_equal(t_addr[4], dlsym(t_handles[0], "atoi"));
}

/* run_child calls fn in a child process and returns its exit status and
 * what it wrote to stderr. */
static int run_child(void (*fn)(void), char *err, size_t size)
{
	int fd[2], status = 0;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while ((n = read(fd[0], err + got, size - 1 - (size_t)got)) > 0)
		got += n;
	err[got] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_missing_library_exits_127_naming_it(void **state)
{
	char err[512];

	SKIP_UNSUPPORTED();
	assert_int_equal(run_child(t_missing_library, err, sizeof err), 127);
	assert_non_null(strstr(err, "debrief: cannot load "
				    "libdebrief-no-such-library.so.0"));
	assert_non_null(strstr(err, "debrief_lazy_test_missing"));
}

static void test_missing_symbol_exits_127_naming_it(void **state)
{
	char err[512];

	SKIP_UNSUPPORTED();
	assert_int_equal(run_child(t_missing_symbol, err, sizeof err), 127);
	assert_non_null(strstr(err, "libc.so.6"));
	assert_non_null(strstr(err, "debrief_lazy_test_no_symbol"));
	/* the parent's slot is untouched */
	assert_null(t_addr[7]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_variadic_call_with_stack_and_float_arguments),
		cmocka_unit_test(test_pointer_out_argument_and_double_return),
		cmocka_unit_test(
			test_errno_is_left_as_it_was_by_the_first_call),
		cmocka_unit_test(
			test_first_calls_from_threads_all_get_the_function),
		cmocka_unit_test(test_missing_library_exits_127_naming_it),
		cmocka_unit_test(test_missing_symbol_exits_127_naming_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
