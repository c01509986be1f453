/* test_import_cli.c: `debrief import chat` as a person runs it: exit 0
 * with a summary, 1 on bad input with a message naming the file (and
 * line) and nothing imported, 2 on a usage error. The database is read
 * back through the server's API. */
#include "api/api_checks.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct cli_out {
	int status;
	char text[4096]; /* stdout and stderr */
};

static void run(struct hs *s, struct cli_out *o, const char *args)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[2048], path[400];
	FILE *f;
	size_t n;
	int st;

	snprintf(path, sizeof path, "%s/cli.out", s->dir);
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' import %s > '%s' 2>&1",
		 s->dir, bin && *bin ? bin : "./debrief", args, path);
	st = system(cmd);
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(o->text, 1, sizeof o->text - 1, f);
	o->text[n] = '\0';
	fclose(f);
}

static void write_file(struct hs *s, const char *name, const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", s->dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int64_t total(struct hs *s)
{
	struct http_resp r;
	int64_t t;

	assert_int_equal(http_get(s, "/api/v1/reviews/1/transcripts", &r), 200);
	t = json_integer_value(json_object_get(r.json, "total"));
	http_resp_free(&r);
	return t;
}

static void expect(struct hs *s, const char *args, int status,
		   const char *what)
{
	struct cli_out o;

	run(s, &o, args);
	if (o.status != status || !strstr(o.text, what))
		fail_msg("import %s: exit %d, want %d with \"%s\":\n%s", args,
			 o.status, status, what, o.text);
}

static void test_import_chat_exit_codes(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char args[1024];

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"db outage\"}", &r),
			 201);
	http_resp_free(&r);
	write_file(s, "ops.log",
		   "2026-01-01T10:00:00  <alice> down\n"
		   "2026-01-01T10:00:01  <bob> up\n");
	write_file(s, "nodate.log", "[10:00] <alice> down\n[10:01] <b> up\n");
	write_file(s, "bad.log", "2026-01-01T10:00:00  <alice> ok\n"
				 "[10:00] <alice> no date here\n");
	write_file(s, "notes.txt", "dear diary\n");
#define DB " --db '%s'", s->db
	/* usage: 2 */
	expect(s, "", 2, "usage");
	expect(s, "chat ops.log", 2, "--review");
	snprintf(args, sizeof args, "chat --review 1" DB);
	expect(s, args, 2, "FILE is required");
	snprintf(args, sizeof args, "chat --review x ops.log" DB);
	expect(s, args, 2, "not a review id");
	snprintf(args, sizeof args, "chat --review 1 --format pdf ops.log" DB);
	expect(s, args, 2, "--format");
	snprintf(args, sizeof args, "chat --review 1 --date 2026-13-01 a.log" DB);
	expect(s, args, 2, "--date");
	snprintf(args, sizeof args, "chat --review 1 --frobnicate ops.log" DB);
	expect(s, args, 2, "unknown flag");
	/* bad input: 1, nothing imported */
	snprintf(args, sizeof args, "chat --review 1 notes.txt" DB);
	expect(s, args, 1, "notes.txt: no line in a known IRC log format");
	snprintf(args, sizeof args, "chat --review 1 nodate.log" DB);
	expect(s, args, 1, "nodate.log:1");
	snprintf(args, sizeof args, "chat --review 1 bad.log" DB);
	expect(s, args, 1, "bad.log:2");
	snprintf(args, sizeof args, "chat --review 1 --tz Mars/Base ops.log" DB);
	expect(s, args, 1, "unknown time zone");
	snprintf(args, sizeof args, "chat --review 99 ops.log" DB);
	expect(s, args, 1, "99");
	snprintf(args, sizeof args, "chat --review 1 missing.log" DB);
	expect(s, args, 1, "missing.log");
	assert_int_equal(total(s), 0);
	/* success: 0, then nothing new */
	snprintf(args, sizeof args, "chat --review 1 ops.log" DB);
	expect(s, args, 0, "2 messages imported");
	expect(s, args, 0, "0 messages imported (2 already there)");
	snprintf(args, sizeof args,
		 "chat --review 1 --date 2026-01-02 --tz +01:00 nodate.log" DB);
	expect(s, args, 0, "2 messages imported");
	assert_int_equal(total(s), 4);
	assert_int_equal(http_get(s, "/api/v1/reviews/1/transcripts?channel=nodate",
				  &r),
			 200);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(r.json, "messages"), 0),
			"at")),
		"2026-01-02T09:00:00Z");
	http_resp_free(&r);
}

/* a Slack export as its unpacked folder, and one with a link that
 * would leave it */
static void test_import_chat_from_an_export_folder(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char args[1024], path[512];

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"db outage\"}", &r),
			 201);
	http_resp_free(&r);
	snprintf(path, sizeof path, "%s/export", s->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/export/incident", s->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file(s, "export/users.json", "[{\"id\": \"U1\", \"name\": \"alice\"}]");
	write_file(s, "export/channels.json", "[{\"id\": \"C1\", \"name\": \"incident\"}]");
	write_file(s, "export/incident/2026-01-01.json",
		   "[{\"user\": \"U1\", \"text\": \"hi <@U1>\", \"ts\": "
		   "\"1767261600.000100\"}]");
	snprintf(args, sizeof args, "chat --review 1 export" DB);
	expect(s, args, 0, "1 messages imported");
	assert_int_equal(total(s), 1);
	/* a link in the export is refused, and nothing of it imported */
	snprintf(path, sizeof path, "%s/export/escape", s->dir);
	assert_int_equal(symlink("/etc", path), 0);
	write_file(s, "export/incident/2026-01-02.json",
		   "[{\"user\": \"U1\", \"text\": \"two\", \"ts\": "
		   "\"1767348000.000100\"}]");
	expect(s, args, 1, "is a link");
	assert_int_equal(total(s), 1);
	unlink(path);
	snprintf(path, sizeof path, "%s/export/incident/2026-01-03.json", s->dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	expect(s, args, 1, "2026-01-03.json: cannot read it (a link");
	assert_int_equal(total(s), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_chat_exit_codes,
						server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_import_chat_from_an_export_folder, server_up,
			server_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
