/* test_lint_cli.c: `debrief lint` end to end, in process: lint_main with
 * real files, stdin and captured stdout / stderr; each output format and
 * each exit status. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lint/lint.h"

static char dir[] = "/tmp/debrief-lint-test-XXXXXX";

struct cli_run {
	int rc;
	char out[1 << 16];
	char err[4096];
};

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	*state = calloc(1, sizeof(struct cli_run));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	free(*state);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* path_of gives the path of a test file name in the temporary dir. */
static const char *path_of(const char *name)
{
	static char p[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static const char *put(const char *name, const char *text)
{
	const char *p = path_of(name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return p;
}

static void slurp(FILE *f, char *buf, size_t cap)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
}

/* cli runs lint_main with argv (NULL-terminated, without "lint"), feeding
 * in as stdin and capturing stdout and stderr into r. */
static void cli(struct cli_run *r, const char *in, const char *const *argv)
{
	char *args[32];
	int argc = 0, o0, o1, o2;
	FILE *fin = tmpfile(), *fout = tmpfile(), *ferr = tmpfile();

	assert_non_null(fin);
	assert_non_null(fout);
	assert_non_null(ferr);
	fputs(in ? in : "", fin);
	rewind(fin);
	args[argc++] = "lint";
	while (*argv)
		args[argc++] = (char *)*argv++;
	args[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	o0 = dup(0);
	o1 = dup(1);
	o2 = dup(2);
	dup2(fileno(fin), 0);
	dup2(fileno(fout), 1);
	dup2(fileno(ferr), 2);
	clearerr(stdin);
	r->rc = lint_main(argc, args);
	fflush(stdout);
	fflush(stderr);
	dup2(o0, 0);
	dup2(o1, 1);
	dup2(o2, 2);
	close(o0);
	close(o1);
	close(o2);
	clearerr(stdin);
	slurp(fout, r->out, sizeof r->out);
	slurp(ferr, r->err, sizeof r->err);
	fclose(fin);
	fclose(fout);
	fclose(ferr);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_clean_file_exits_0_and_prints_nothing(void **state)
{
	struct cli_run *r = *state;

	cli(r, NULL, ARGS(put("clean.md", "# Summary\n\nAll good.\n")));
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->out, "");
}

static void test_findings_exit_1_in_text_format(void **state)
{
	struct cli_run *r = *state;
	const char *p = put("a.md", "# Summary\n\nThe root cause was DNS.\n");
	char want[512];

	cli(r, NULL, ARGS(p));
	assert_int_equal(r->rc, 1);
	snprintf(want, sizeof want, "%s:3:5: root-cause: ", p);
	assert_true(strncmp(r->out, want, strlen(want)) == 0);
	assert_non_null(strstr(r->out, "\n    \"root cause\": "));
}

/* Hints (counterfactual, hindsight, passive-blame) are printed, marked,
 * but fail the check only with --hints; a warning always does. */
static void test_hints_count_in_the_exit_status_only_with_hints(void **state)
{
	struct cli_run *r = *state;
	const char *hint = put("h.md", "The change was pushed without a "
				       "review.\n"),
		   *warn = put("w.md", "The root cause was DNS.\n");
	char want[512];

	cli(r, NULL, ARGS(hint));
	assert_int_equal(r->rc, 0);
	snprintf(want, sizeof want, "%s:1:12: passive-blame (hint): ", hint);
	assert_true(strncmp(r->out, want, strlen(want)) == 0);
	cli(r, NULL, ARGS("--hints", hint));
	assert_int_equal(r->rc, 1);
	cli(r, NULL, ARGS("--format", "json", warn));
	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->out, "\"severity\": \"warning\""));
	cli(r, NULL, ARGS(hint, warn));
	assert_int_equal(r->rc, 1);
	/* hindsight is a hint too (right 2 times in 6 on real write-ups) */
	cli(r, NULL, ARGS(put("s.md", "In hindsight, the plan was clearly a "
				      "bad idea.\n")));
	assert_int_equal(r->rc, 0);
	assert_non_null(strstr(r->out, ": hindsight (hint): "));
	cli(r, NULL, ARGS("--hints", path_of("s.md")));
	assert_int_equal(r->rc, 1);
	cli(r, NULL, ARGS("--format", "json", path_of("s.md")));
	assert_non_null(strstr(r->out, "\"category\": \"hindsight\", "
					"\"severity\": \"hint\""));
	cli(r, NULL, ARGS("--format", "sarif", hint));
	assert_int_equal(r->rc, 0);
	assert_non_null(strstr(r->out, "\"level\": \"note\""));
}

/* In human-error, "mistake" and "oversight" as bare nouns are hints (they
 * were right 7 times in 14 on real write-ups); "human error", "by
 * mistake", "mistakes were made" and the rest of the category stay
 * warnings. */
static void test_mistake_as_a_noun_is_a_hint(void **state)
{
	struct cli_run *r = *state;
	const char *noun = put("n.md", "The engineer made a mistake in the "
				       "config.\n"),
		   *by = put("b.md", "The engineer deleted the volume by "
				     "mistake.\n"),
		   *term = put("t.md", "The outage was human error.\n");
	char want[512];

	cli(r, NULL, ARGS(noun));
	assert_int_equal(r->rc, 0);
	snprintf(want, sizeof want, "%s:1:21: human-error (hint): ", noun);
	assert_true(strncmp(r->out, want, strlen(want)) == 0);
	cli(r, NULL, ARGS("--hints", noun));
	assert_int_equal(r->rc, 1);
	cli(r, NULL, ARGS("--format", "json", noun));
	assert_non_null(strstr(r->out, "\"category\": \"human-error\", "
					"\"severity\": \"hint\""));
	cli(r, NULL, ARGS("--format", "sarif", noun));
	assert_non_null(strstr(r->out, "\"level\": \"note\""));
	cli(r, NULL, ARGS(by));
	assert_int_equal(r->rc, 1);
	assert_null(strstr(r->out, "(hint)"));
	cli(r, NULL, ARGS("--format", "json", term));
	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->out, "\"severity\": \"warning\""));
}

static void
test_json_format_has_findings_without_file_for_one_input(void **state)
{
	struct cli_run *r = *state;
	json_error_t je;
	json_t *doc, *f0;

	cli(r, NULL,
	    ARGS("--format", "json",
		 put("b.md", "We should have checked the replica.\n")));
	/* a counterfactual is a hint: reported, exit 0 without --hints */
	assert_int_equal(r->rc, 0);
	doc = json_loads(r->out, 0, &je);
	assert_non_null(doc);
	f0 = json_array_get(json_object_get(doc, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "category")),
			    "counterfactual");
	assert_string_equal(json_string_value(json_object_get(f0, "severity")),
			    "hint");
	assert_string_equal(json_string_value(json_object_get(f0, "text")),
			    "should have checked");
	assert_int_equal(json_integer_value(json_object_get(f0, "start")), 3);
	assert_null(json_object_get(f0, "file"));
	json_decref(doc);
}

static void test_json_format_names_the_file_for_several_inputs(void **state)
{
	struct cli_run *r = *state;
	const char *p1 = put("c1.md", "A typo broke it.\n");
	const char *p2 = put("c2.md", "Fine.\n");
	const char *p3 = put("c3.md", "The operator forgot the flag.\n");
	json_error_t je;
	json_t *doc, *arr;

	cli(r, NULL, ARGS("--format=json", p1, p2, p3));
	assert_int_equal(r->rc, 1);
	doc = json_loads(r->out, 0, &je);
	assert_non_null(doc);
	arr = json_object_get(doc, "findings");
	assert_int_equal(json_array_size(arr), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(arr, 0), "file")),
			    p1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(arr, 1), "file")),
			    p3);
	json_decref(doc);
}

static void test_sarif_format_is_valid_json_with_results(void **state)
{
	struct cli_run *r = *state;
	json_error_t je;
	json_t *doc, *run, *res;

	cli(r, NULL,
	    ARGS("--format", "sarif",
		 put("d.md", "Clearly a bad idea.\n\nIt was human error.\n")));
	assert_int_equal(r->rc, 1);
	doc = json_loads(r->out, 0, &je);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "version")),
			    "2.1.0");
	run = json_array_get(json_object_get(doc, "runs"), 0);
	res = json_object_get(run, "results");
	assert_true(json_array_size(res) >= 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(res, 0), "ruleId")),
			    "hindsight");
	json_decref(doc);
}

static void test_sarif_with_no_findings_exits_0_with_empty_results(void **state)
{
	struct cli_run *r = *state;
	json_error_t je;
	json_t *doc;

	cli(r, "Nothing to see.\n", ARGS("--format", "sarif", "-"));
	assert_int_equal(r->rc, 0);
	doc = json_loads(r->out, 0, &je);
	assert_non_null(doc);
	assert_int_equal(
		json_array_size(json_object_get(
			json_array_get(json_object_get(doc, "runs"), 0),
			"results")),
		0);
	json_decref(doc);
}

static void test_stdin_is_read_for_dash_and_for_no_file(void **state)
{
	struct cli_run *r = *state;

	cli(r, "The root cause was DNS.\n", ARGS("-"));
	assert_int_equal(r->rc, 1);
	assert_true(strncmp(r->out, "<stdin>:1:5: root-cause: ", 25) == 0);
	cli(r, "Mistakes were made.\n", ARGS("--format", "text"));
	assert_int_equal(r->rc, 1);
	assert_non_null(strstr(r->out, "human-error"));
}

static void
test_unreadable_file_exits_2_and_others_are_still_linted(void **state)
{
	struct cli_run *r = *state;

	cli(r, NULL, ARGS(path_of("missing.md"), put("e.md", "A typo.\n")));
	assert_int_equal(r->rc, 2);
	assert_non_null(strstr(r->err, "missing.md"));
	assert_non_null(strstr(r->out, "human-error"));
}

static void test_invalid_utf8_exits_2_with_its_position(void **state)
{
	struct cli_run *r = *state;

	cli(r, NULL, ARGS(put("f.md", "ok\nab\xc3( cd\n")));
	assert_int_equal(r->rc, 2);
	assert_non_null(strstr(r->err, "invalid UTF-8 at byte 5"));
	assert_non_null(strstr(r->err, "line 2, column 3"));
}

static void test_disable_and_allow_silence_findings(void **state)
{
	struct cli_run *r = *state;
	const char *p = put("g.md", "The root cause was a typo.\n");

	cli(r, NULL, ARGS("--disable", "root-cause,human-error", p));
	assert_int_equal(r->rc, 0);
	cli(r, NULL, ARGS("--allow", "root cause", "--allow=typo", p));
	assert_int_equal(r->rc, 0);
	cli(r, NULL, ARGS("--disable", "root-cause", p));
	assert_int_equal(r->rc, 1);
	assert_null(strstr(r->out, "root-cause"));
}

static void test_ignore_marker_in_a_file_silences_the_paragraph(void **state)
{
	struct cli_run *r = *state;

	cli(r, NULL,
	    ARGS(put("h.md", "<!-- debrief-lint: ignore root-cause -->\n"
			     "The root cause was DNS.\n")));
	assert_int_equal(r->rc, 0);
}

static void test_bad_usage_exits_2(void **state)
{
	struct cli_run *r = *state;

	cli(r, NULL, ARGS("--format", "xml", "-"));
	assert_int_equal(r->rc, 2);
	assert_non_null(strstr(r->err, "unknown format"));
	cli(r, NULL, ARGS("--disable", "blame", "-"));
	assert_int_equal(r->rc, 2);
	assert_non_null(strstr(r->err, "unknown category 'blame'"));
	cli(r, NULL, ARGS("--frobnicate"));
	assert_int_equal(r->rc, 2);
	cli(r, NULL, ARGS("--allow"));
	assert_int_equal(r->rc, 2);
}

/* cli_to runs lint_main with argv and its stdout going to the file at
 * out_path (created or truncated); stderr is captured into r->err. */
static void cli_to(struct cli_run *r, const char *out_path,
		   const char *const *argv)
{
	char *args[32];
	int argc = 0, o1, o2,
	    fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	FILE *ferr = tmpfile();

	assert_true(fd >= 0);
	assert_non_null(ferr);
	args[argc++] = "lint";
	while (*argv)
		args[argc++] = (char *)*argv++;
	args[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	o1 = dup(1);
	o2 = dup(2);
	dup2(fd, 1);
	dup2(fileno(ferr), 2);
	r->rc = lint_main(argc, args);
	fflush(stdout);
	fflush(stderr);
	dup2(o1, 1);
	dup2(o2, 2);
	close(o1);
	close(o2);
	close(fd);
	clearerr(stdout);
	slurp(ferr, r->err, sizeof r->err);
	fclose(ferr);
}

/* big_file writes n lines with one finding each. */
static const char *big_file(const char *name, size_t n)
{
	const char *p = path_of(name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "Line %zu: the root cause was \"DNS\"\t%s.\n", i,
			i % 7 ? "again" : "café");
	assert_int_equal(fclose(f), 0);
	return p;
}

static char *slurp_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Many findings are formatted by several threads: the output is whole,
 * in order and the same as with one thread, as JSON and as text. */
static void test_many_findings_are_written_whole_and_in_order(void **state)
{
	struct cli_run *r = *state;
	const char *in = big_file("big.md", 20000);
	const char *formats[] = {"json", "text"};

	for (size_t k = 0; k < 2; k++) {
		const char *one = path_of("one.out"),
			   *many = path_of("many.out");
		char *a, *b;
		size_t na, nb;

		cli_to(r, one,
		       ARGS("--threads", "1", "--format", formats[k], in));
		assert_int_equal(r->rc, 1);
		cli_to(r, many,
		       ARGS("--threads", "3", "--format", formats[k], in));
		assert_int_equal(r->rc, 1);
		a = slurp_path(one, &na);
		b = slurp_path(many, &nb);
		assert_true(na > 20000 * 100);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		if (k == 0) {
			json_t *doc = json_loads(a, 0, NULL);

			assert_non_null(doc);
			assert_int_equal(json_array_size(json_object_get(
						 doc, "findings")),
					 20000);
			json_decref(doc);
		}
		free(a);
		free(b);
	}
}

/* A full disk: exit 2 and one message, with one thread or several. */
static void test_a_failed_write_exits_2_with_one_message(void **state)
{
	struct cli_run *r = *state;
	const char *in = big_file("big.md", 20000);
	const char *threads[] = {"1", "2"};

	if (access("/dev/full", W_OK) != 0)
		skip();
	for (size_t k = 0; k < 2; k++) {
		const char *msg;

		cli_to(r, "/dev/full",
		       ARGS("--threads", threads[k], "--format", "json", in));
		assert_int_equal(r->rc, 2);
		msg = strstr(r->err, "cannot write the output");
		assert_non_null(msg);
		assert_null(strstr(msg + 1, "cannot write the output"));
	}
}

static void test_help_exits_0_with_usage(void **state)
{
	struct cli_run *r = *state;

	cli(r, NULL, ARGS("--help"));
	assert_int_equal(r->rc, 0);
	assert_non_null(strstr(r->out, "usage: debrief lint"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_file_exits_0_and_prints_nothing),
		cmocka_unit_test(test_findings_exit_1_in_text_format),
		cmocka_unit_test(
			test_hints_count_in_the_exit_status_only_with_hints),
		cmocka_unit_test(test_mistake_as_a_noun_is_a_hint),
		cmocka_unit_test(
			test_json_format_has_findings_without_file_for_one_input),
		cmocka_unit_test(
			test_json_format_names_the_file_for_several_inputs),
		cmocka_unit_test(test_sarif_format_is_valid_json_with_results),
		cmocka_unit_test(
			test_sarif_with_no_findings_exits_0_with_empty_results),
		cmocka_unit_test(test_stdin_is_read_for_dash_and_for_no_file),
		cmocka_unit_test(
			test_unreadable_file_exits_2_and_others_are_still_linted),
		cmocka_unit_test(test_invalid_utf8_exits_2_with_its_position),
		cmocka_unit_test(test_disable_and_allow_silence_findings),
		cmocka_unit_test(
			test_ignore_marker_in_a_file_silences_the_paragraph),
		cmocka_unit_test(test_bad_usage_exits_2),
		cmocka_unit_test(
			test_many_findings_are_written_whole_and_in_order),
		cmocka_unit_test(test_a_failed_write_exits_2_with_one_message),
		cmocka_unit_test(test_help_exits_0_with_usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
