/* test_import_export.c: the data commands as a person runs them (the
 * debrief binary, exit status 0 / 1 bad input / 2 usage) beside a running
 * server, and POST /api/v1/import/md. */
#include "api/api_checks.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "importers/md_format.h"
#include "unit/test_db.h"
#include <sys/wait.h>
#include <unistd.h>

/* sh_env runs `ENV debrief ARGS` (the DEBRIEF_BIN binary) with output in
 * s->dir/out.txt; returns the exit status. sh: without ENV. */
static int sh_env(struct hs *s, const char *env, const char *args)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s' %s > out.txt 2>&1",
		 s->dir, env, bin && *bin ? bin : "./debrief", args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int sh(struct hs *s, const char *args)
{
	return sh_env(s, "", args);
}

static const char *out(struct hs *s)
{
	static char text[16384];
	char path[400];
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "%s/out.txt", s->dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void expect_out(struct hs *s, const char *words)
{
	if (!strstr(out(s), words))
		fail_msg("output lacks \"%s\":\n%s", words, out(s));
}

static void put(struct hs *s, const char *name, const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", s->dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void create(struct hs *s, const char *json)
{
	struct http_resp r;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews", json, &r), 201);
	http_resp_free(&r);
}

static int64_t total(struct hs *s, const char *db)
{
	char args[600];

	snprintf(args, sizeof args, "export --format json --db '%s' -", db);
	assert_int_equal(sh(s, args), 0);
	{
		json_t *j = json_loads(out(s), 0, NULL);
		int64_t n = j ? (int64_t)json_array_size(
					json_object_get(j, "reviews"))
			      : -1;
		json_decref(j);
		return n;
	}
}

/* test_pg_backup: on PostgreSQL, backup is pg_dump and restore
 * pg_restore into a new, empty database; without them, a message that
 * names them and `debrief copy`. */
static void test_pg_backup(struct hs *s)
{
	char args[800], other[320];

	snprintf(args, sizeof args, "backup b.dump --db '%s'", s->db);
	assert_int_equal(sh(s, args), 0);
	assert_int_equal(sh(s, args), 1); /* never over a file */
	expect_out(s, "already exists");
	/* over the live database (not empty): refused, nothing changed */
	snprintf(args, sizeof args, "restore b.dump --db '%s'", s->db);
	assert_int_equal(sh(s, args), 1);
	expect_out(s, "new, empty database");
	assert_int_equal(total(s, s->db), 2);
	/* into a new database: everything */
	assert_int_equal(test_db_url(other, sizeof other, s->dir), 0);
	snprintf(args, sizeof args, "restore b.dump --db '%s'", other);
	assert_int_equal(sh(s, args), 0);
	assert_int_equal(total(s, other), 2);
	/* not an archive: nothing restored */
	put(s, "notes.txt", "not a database\n");
	assert_int_equal(test_db_url(other, sizeof other, s->dir), 0);
	snprintf(args, sizeof args, "restore notes.txt --db '%s'", other);
	assert_int_equal(sh(s, args), 1);
	expect_out(s, "nothing was restored");
	/* no pg_dump on the PATH: say what to use, write nothing */
	snprintf(args, sizeof args, "backup c.dump --db '%s'", s->db);
	assert_int_equal(sh_env(s, "PATH=/nonexistent", args), 1);
	expect_out(s, "pg_dump is not installed");
	expect_out(s, "debrief copy");
	snprintf(other, sizeof other, "%s/c.dump", s->dir);
	assert_int_equal(access(other, F_OK), -1);
	assert_int_equal(sh(s, "backup"), 2);
}

static void test_backup_while_serving_restores_elsewhere(void **state)
{
	struct hs *s = *state;
	char args[800];

	create(s, "{\"title\": \"one\", \"severity\": 2}");
	create(s, "{\"title\": \"two\", \"tags\": [\"db\"]}");
	if (test_on_pg()) {
		test_pg_backup(s);
		return;
	}
	snprintf(args, sizeof args, "backup b.db --db '%s'", s->db);
	assert_int_equal(sh(s, args), 0);
	assert_int_equal(sh(s, args), 1); /* never over a file */
	expect_out(s, "already exists");
	/* the live database is in use: restore refuses and says why */
	snprintf(args, sizeof args, "restore b.db --db '%s'", s->db);
	assert_int_equal(sh(s, args), 1);
	expect_out(s, "in use");
	assert_int_equal(sh(s, "restore b.db --db copy.db"), 0);
	assert_int_equal(total(s, "copy.db"), 2);
	put(s, "notes.txt", "not a database\n");
	assert_int_equal(sh(s, "restore notes.txt --db copy2.db"), 1);
	expect_out(s, "not a debrief database");
	assert_int_equal(sh(s, "backup"), 2);
	assert_int_equal(sh(s, "restore a b"), 2);
}

/* first_md_name: the name of the first file in s->dir/md. */
static void first_md_name(struct hs *s, char *name, size_t n)
{
	char cmd[1000];
	FILE *fp;

	snprintf(cmd, sizeof cmd, "ls '%s/md' > '%s/names.txt'", s->dir,
		 s->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s/names.txt", s->dir);
	assert_non_null(fp = fopen(cmd, "r"));
	assert_non_null(fgets(name, (int)n, fp));
	fclose(fp);
	name[strcspn(name, "\n")] = '\0';
}

/* export_md_again exports s->db over s->dir/md: the files must then be
 * those of md2 (the same reviews exported into a new directory). */
static void export_md_again(struct hs *s)
{
	char args[1000];

	snprintf(args, sizeof args, "export --format md --db '%s' md", s->db);
	assert_int_equal(sh(s, args), 0);
	snprintf(args, sizeof args, "diff -r '%s/md' '%s/md2' >/dev/null",
		 s->dir, s->dir);
	assert_int_equal(system(args), 0);
}

static void test_json_and_md_round_trips_through_the_commands(void **state)
{
	struct hs *s = *state;
	char args[800];

	create(s, "{\"title\": \"Checkout: errors\", \"severity\": 2, "
		  "\"summary\": \"line one\\n\\n## not a section\\n\", "
		  "\"timeline\": [{\"at\": \"2026-01-01T10:00:00Z\", "
		  "\"text\": \"paged | twice\"}], \"tags\": [\"db\"]}");
	snprintf(args, sizeof args, "export --format json --db '%s' j",
		 s->db);
	assert_int_equal(sh(s, args), 0);
	assert_int_equal(sh(s, "import json j/debrief.json --db j.db"), 0);
	assert_int_equal(sh(s, "import json j/debrief.json --db j.db"), 1);
	expect_out(s, "not empty");
	assert_int_equal(sh(s, "export --format json --db j.db j2"), 0);
	snprintf(args, sizeof args, "cmp -s '%s/j/debrief.json' "
				    "'%s/j2/debrief.json'",
		 s->dir, s->dir);
	assert_int_equal(system(args), 0);

	snprintf(args, sizeof args, "export --format md --db '%s' md", s->db);
	assert_int_equal(sh(s, args), 0);
	assert_int_equal(sh(s, "import md md --db m.db"), 0);
	expect_out(s, "1 review imported");
	assert_int_equal(sh(s, "export --format md --db m.db md2"), 0);
	snprintf(args, sizeof args, "diff -r '%s/md' '%s/md2' >/dev/null",
		 s->dir, s->dir);
	assert_int_equal(system(args), 0);
	/* exporting again over the files: a file that holds its text
	 * already is not written (its time stays, git sees nothing new);
	 * one with a longer or shorter text is written whole and cut */
	{
		char path[600], name[128];
		struct stat sb;
		FILE *fp;

		first_md_name(s, name, sizeof name);
		snprintf(path, sizeof path, "%s/md/%s", s->dir, name);
		snprintf(args, sizeof args,
			 "cd '%s/md' && cat '%s' '%s' > ../longer && "
			 "mv ../longer '%s'",
			 s->dir, name, name, name);
		assert_int_equal(system(args), 0);
		export_md_again(s);
		assert_non_null(fp = fopen(path, "w"));
		fputs("short\n", fp);
		fclose(fp);
		export_md_again(s);
		snprintf(args, sizeof args, "touch -d 2001-02-03 '%s'", path);
		assert_int_equal(system(args), 0);
		export_md_again(s);
		assert_int_equal(stat(path, &sb), 0);
		assert_true(sb.st_mtime < 1000000000 + 100000000);
	}
	/* a file that cannot be created: named, exit 1, the rest not
	 * written */
	{
		char dir[600], name[128];

		first_md_name(s, name, sizeof name);
		snprintf(dir, sizeof dir, "%s/blocked", s->dir);
		assert_int_equal(mkdir(dir, 0700), 0);
		snprintf(dir, sizeof dir, "%s/blocked/%s", s->dir, name);
		assert_int_equal(mkdir(dir, 0700), 0);
		snprintf(args, sizeof args,
			 "export --format md --db '%s' blocked", s->db);
		assert_int_equal(sh(s, args), 1);
		expect_out(s, name);
		expect_out(s, "Is a directory");
	}
	/* the same files again: their ids are taken */
	assert_int_equal(sh(s, "import md md --db m.db"), 1);
	expect_out(s, "already exists");
	expect_out(s, "nothing imported");
	/* usage */
	assert_int_equal(sh(s, "export --format pdf x"), 2);
	assert_int_equal(sh(s, "export x"), 2);
	assert_int_equal(sh(s, "import"), 2);
	assert_int_equal(sh(s, "import csv x"), 2);
	assert_int_equal(sh(s, "import md --frobnicate x"), 2);
}

static void test_md_keep_going_imports_the_good_and_lists_the_bad(void **state)
{
	struct hs *s = *state;

	mkdir(strcat(strcpy((char[400]){0}, s->dir), "/in"), 0700);
	put(s, "in/a.md", "---\ntitle: Good one\n---\nBody.\n");
	put(s, "in/b.md", "---\ntitle: [broken\n---\n");
	put(s, "in/c.md", "---\nid: 5\ntitle: Five\n---\n");
	put(s, "in/d.md", "---\nid: 5\ntitle: Five again\n---\n");
	put(s, "in/e.md", "---\ntitle: When\nstart_time: someday\n---\n");
	put(s, "in/f.md", "---\ntitle: caf\xe9\n---\n");
	assert_int_equal(sh(s, "import md in --db k.db"), 1);
	expect_out(s, "in/b.md:3: the front matter is not YAML");
	expect_out(s, "in/d.md:2: review id 5 is also the id of in/c.md:2");
	expect_out(s, "in/e.md:3: started_at: \"someday\" is not a time");
	expect_out(s, "in/f.md:2: not UTF-8");
	expect_out(s, "nothing imported: 4 bad files");
	assert_int_equal(total(s, "k.db"), 0);
	assert_int_equal(sh(s, "import md in --keep-going --db k.db"), 1);
	expect_out(s, "2 reviews imported, 4 files not");
	assert_int_equal(total(s, "k.db"), 2);
	/* files are read once: a file the database refuses (its id is
	 * taken) stops the import, and the bad files after it are still
	 * listed */
	put(s, "g.md", "---\nid: 7\ntitle: Seven\n---\n");
	assert_int_equal(sh(s, "import md g.md in/c.md in/b.md --db k.db"), 1);
	expect_out(s, "nothing imported: in/c.md: review 5 is given twice or "
		      "already exists");
	expect_out(s, "in/b.md:3: the front matter is not YAML");
	assert_int_equal(total(s, "k.db"), 2);
	assert_int_equal(sh(s, "import md in/c.md g.md --keep-going --db k.db"),
			 1);
	expect_out(s, "in/c.md: review 5 is given twice or already exists");
	expect_out(s, "1 review imported, 1 file not");
	assert_int_equal(total(s, "k.db"), 3);
	assert_int_equal(sh(s, "import md in/a.md --db k2.db"), 0);
	assert_int_equal(sh(s, "import md in/missing.md --db k2.db"), 1);
}

static void test_api_import_md_needs_an_admin_and_names_the_line(void **state)
{
	struct hs *s = *state;
	const char *md = "---\nid: 40\ntitle: From git\ntags: [db]\n---\n"
			 "## Impact\n<!-- debrief:impact -->\nSlow.\n\n";
	const char *hdr[] = {NULL, NULL};
	char tok[200] = "", auth[260];
	struct http_resp r;

	assert_int_equal(http_do(s, "POST", "/api/v1/import/md",
				 "text/markdown", md, NULL, &r),
			 0);
	assert_int_equal(r.status, 201);
	assert_int_equal(json_integer_value(json_object_get(r.json, "id")), 40);
	assert_string_equal(json_string_value(json_object_get(r.json, "impact")),
			    "Slow.");
	http_resp_free(&r);
	assert_int_equal(http_do(s, "POST", "/api/v1/import/md",
				 "text/markdown", md, NULL, &r),
			 0);
	assert_int_equal(r.status, 409);
	http_resp_free(&r);
	assert_int_equal(http_do(s, "POST", "/api/v1/import/md",
				 "text/markdown",
				 "---\ntitle: x\nseverity: 7\n---\n", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	http_resp_free(&r);
	assert_int_equal(http_do(s, "POST", "/api/v1/import/md",
				 "text/markdown", "---\ntitle: [x\n---\n", NULL,
				 &r),
			 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "upload.md:3:"));
	http_resp_free(&r);
	/* unknown keys are kept and shown on the review page, as text */
	assert_int_equal(http_do(s, "POST", "/api/v1/import/md",
				 "text/markdown",
				 "---\nid: 41\ntitle: Kept\nlayout: \"<b>post</b>\"\n"
				 "---\n",
				 NULL, &r),
			 0);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews/41", &r), 200);
	assert_non_null(strstr(r.body, "Other front matter</h2>\n<pre>layout: "));
	assert_non_null(strstr(r.body, "&lt;b&gt;post&lt;/b&gt;"));
	assert_null(strstr(r.body, "<b>post"));
	http_resp_free(&r);
	/* an editor may not */
	{
		char args[600];
		const char *p;

		put(s, "pw.txt", "a long enough password\n");
		snprintf(args, sizeof args, "user add ed --role editor "
					    "--password-stdin --db '%s' "
					    "< pw.txt",
			 s->db);
		assert_int_equal(sh(s, args), 0);
		snprintf(args, sizeof args, "token create --user ed --scope "
					    "write --db '%s'",
			 s->db);
		assert_int_equal(sh(s, args), 0);
		p = strrchr(out(s), '\n');
		while (p > out(s) && p[-1] != '\n')
			p--;
		snprintf(tok, sizeof tok, "%.*s", (int)strcspn(p, "\n"), p);
	}
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	hdr[0] = auth;
	assert_int_equal(http_do(s, "POST", "/api/v1/import/md",
				 "text/markdown",
				 "---\ntitle: by an editor\n---\n", hdr, &r),
			 0);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
}

static void test_print_view_standalone_file_and_markdown_download(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	struct export_review rv;
	struct arena *a = arena_new();
	struct err e;
	char *h;

	create(s, "{\"title\": \"Cache <b>errors</b>\", \"severity\": 2, "
		  "\"summary\": \"It **broke**.\", \"tags\": [\"db\"], "
		  "\"timeline\": [{\"at\": \"2026-01-01T10:00:00Z\", "
		  "\"text\": \"paged\"}]}");
	assert_int_equal(http_get(s, "/reviews/1", &r), 200);
	assert_non_null(strstr(r.body, "href=\"/reviews/1/print\""));
	assert_non_null(strstr(r.body, "href=\"/reviews/1/markdown\" download"));
	http_resp_free(&r);

	assert_int_equal(http_get(s, "/reviews/1/print", &r), 200);
	assert_non_null(strstr(r.body, "<h1>Cache &lt;b&gt;errors&lt;/b&gt;</h1>"));
	assert_non_null(strstr(r.body, "<strong>broke</strong>"));
	assert_non_null(strstr(r.body, "href=\"/static/print.css\""));
	assert_non_null(strstr(r.body, ">paged</td>"));
	http_resp_free(&r);

	/* the standalone file asks no server for anything */
	assert_int_equal(http_get(s, "/reviews/1/print?standalone=1", &r), 200);
	assert_non_null(strstr(r.body, "<style>"));
	assert_non_null(strstr(r.body, "content=\"default-src 'none'; "));
	assert_null(strstr(r.body, "<link"));
	assert_null(strstr(r.body, "<script"));
	assert_null(strstr(r.body, "src="));
	assert_null(strstr(r.body, "href=\"/"));
	h = http_header(&r, "Content-Disposition");
	assert_non_null(h);
	assert_non_null(strstr(h, "attachment; filename=\"review-1.html\""));
	free(h);
	http_resp_free(&r);

	/* the markdown is the export's, and reads back */
	assert_int_equal(http_get(s, "/reviews/1/markdown", &r), 200);
	h = http_header(&r, "Content-Type");
	assert_non_null(strstr(h, "text/markdown"));
	free(h);
	h = http_header(&r, "Content-Disposition");
	assert_non_null(strstr(h, "1-cache-b-errors-b.md"));
	free(h);
	assert_int_equal(strncmp(r.body, "---\nid: 1\n", 10), 0);
	assert_int_equal(md_parse(a, "dl.md", r.body, r.len, &rv, &e), E_OK);
	assert_string_equal(record_str(rv.review, REVIEW_TITLE),
			    "Cache <b>errors</b>");
	assert_string_equal(record_str(rv.review, REVIEW_SUMMARY), "It **broke**.");
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/reviews/99/print", &r), 404);
	http_resp_free(&r);
	arena_free(a);
}

static int64_t api_total(struct hs *s)
{
	struct http_resp r;
	int64_t n;

	assert_int_equal(http_get(s, "/api/v1/reviews?limit=1", &r), 200);
	n = json_integer_value(json_object_get(r.json, "total"));
	http_resp_free(&r);
	return n;
}

/* renumber gives the review, its children and revisions of an export
 * document new ids from base, as if it came from another debrief. */
static char *renumber(json_t *doc, int64_t base)
{
	json_t *rv = json_array_get(json_object_get(doc, "reviews"), 0), *v;
	const char *key;
	int64_t next = base * 10;

	json_object_set_new(rv, "id", json_integer(base));
	json_object_foreach(rv, key, v)
	{
		size_t i;
		json_t *it;

		if (!json_is_array(v))
			continue;
		json_array_foreach(v, i, it)
			if (json_is_object(it) && json_object_get(it, "id"))
				json_object_set_new(it, "id",
						    json_integer(next++));
	}
	return json_dumps(doc, JSON_COMPACT);
}

static void post_json(struct hs *s, const char *body, int status,
		      const char *words)
{
	struct http_resp r;

	assert_int_equal(http_do(s, "POST", "/api/v1/import/json",
				 "application/json", body, NULL, &r),
			 0);
	if (r.status != status || (words && !strstr(r.body, words)))
		fail_msg("POST %.80s: %ld %s (wanted %d, \"%s\")", body,
			 r.status, r.body, status, words ? words : "");
	if (status >= 400)
		assert_non_null(json_object_get(r.json, "error"));
	http_resp_free(&r);
}

static void test_api_import_json_takes_an_export_or_changes_nothing(
	void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	json_t *doc;
	char *body, *two;
	int64_t n;

	create(s, "{\"title\": \"Queue stalled\", \"severity\": 2, \"tags\": "
		  "[\"queue\"], \"timeline\": [{\"at\": "
		  "\"2026-01-01T10:00:00Z\", \"text\": \"paged\"}]}");
	assert_int_equal(http_get(s, "/api/v1/reviews/1/export", &r), 200);
	doc = json_incref(r.json);
	http_resp_free(&r);
	n = api_total(s);
	/* the same export back: its id is taken */
	body = json_dumps(doc, JSON_COMPACT);
	post_json(s, body, 409, "review 1 already exists");
	free(body);
	/* as if from another debrief: in, with ids, children and history */
	body = renumber(doc, 70);
	post_json(s, body, 201, "\"id\":70");
	assert_int_equal(api_total(s), n + 1);
	assert_int_equal(http_get(s, "/api/v1/reviews/70", &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "title")),
			    "Queue stalled");
	assert_non_null(strstr(r.body, "paged"));
	assert_non_null(strstr(r.body, "queue"));
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/api/v1/reviews/70/revisions", &r), 200);
	assert_non_null(strstr(r.body, "create"));
	http_resp_free(&r);
	free(body);
	n = api_total(s);

	/* bad input: each a clear error, nothing changed */
	post_json(s, "{\"debrief_export\": 1, \"reviews\": [", 400,
		  "upload.json:1:");
	post_json(s, "[1, 2]", 400, "not a debrief JSON export");
	post_json(s, "{\"debrief_export\": 1, \"debrief_export\": 1, "
		     "\"reviews\": []}",
		  400, "upload.json:1:");
	post_json(s, "{\"debrief_export\": 1, \"reviews\": [{\"title\": "
		     "\"caf\xe9\"}]}",
		  400, "upload.json:1:");
	post_json(s, "{\"reviews\": []}", 400, "not a debrief JSON export");
	post_json(s, "{\"debrief_export\": 9, \"reviews\": [{}]}", 400,
		  "export version 9");
	post_json(s, "{\"debrief_export\": 1, \"reviews\": []}", 400,
		  "nothing to import");
	post_json(s, "{\"debrief_export\": 1, \"reviews\": [], \"users\": "
		     "[{\"id\": 1}]}",
		  400, "users and the audit trail");
	post_json(s, "{\"debrief_export\": 1, \"reviews\": [\"x\"]}", 400,
		  "reviews[0]");
	/* the second review is bad: the first is not imported either */
	body = renumber(doc, 80);
	json_decref(doc);
	doc = json_loads(body, 0, NULL);
	free(body);
	{
		json_t *bad = json_deep_copy(
			json_array_get(json_object_get(doc, "reviews"), 0));

		json_object_set_new(bad, "id", json_integer(81));
		json_object_set_new(bad, "severity", json_integer(7));
		json_object_set_new(bad, "tags", json_array());
		json_object_set_new(bad, "timeline", json_array());
		json_object_set_new(bad, "revisions", json_array());
		json_array_append_new(json_object_get(doc, "reviews"), bad);
	}
	two = json_dumps(doc, JSON_COMPACT);
	post_json(s, two, 422, "reviews[1]");
	assert_int_equal(api_total(s), n);
	assert_int_equal(http_get(s, "/api/v1/reviews/80", &r), 404);
	http_resp_free(&r);
	free(two);
	json_decref(doc);
	/* markdown is not JSON */
	assert_int_equal(http_do(s, "POST", "/api/v1/import/json",
				 "text/markdown", "---\ntitle: x\n---\n", NULL,
				 &r),
			 0);
	assert_int_equal(r.status, 415);
	http_resp_free(&r);
	assert_int_equal(api_total(s), n);
}

static int tcp_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

/* GET /api/v1/export is streamed: chunked, the bytes `debrief export
 * --format json` writes; a client that goes away or stops reading
 * midway leaves the server answering and stopping cleanly. */
static void test_api_export_all_is_streamed(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	char *te, *cl, args[600], req[300], got[256];
	size_t big = 40000;
	char *json = malloc(big + 64), *cli;
	int fd[2];

	memcpy(json, "{\"title\": \"big\", \"summary\": \"", 29);
	memset(json + 29, 'x', big);
	strcpy(json + 29 + big, "\"}");
	for (int i = 0; i < 100; i++)
		create(s, json);
	free(json);
	assert_int_equal(http_get(s, "/api/v1/export", &r), 200);
	te = http_header(&r, "Transfer-Encoding");
	cl = http_header(&r, "Content-Length");
	assert_non_null(te);
	assert_string_equal(te, "chunked");
	assert_null(cl);
	free(te);
	assert_non_null(strstr(r.body, "\"users\":["));
	snprintf(args, sizeof args, "export --format json --db '%s' -", s->db);
	assert_int_equal(sh(s, args), 0);
	cli = strdup(out(s)); /* out() holds 16 KiB: compare the head */
	assert_memory_equal(r.body, cli, strlen(cli));
	assert_true(strlen(r.body) > 100 * big);
	assert_string_equal(r.body + strlen(r.body) - 3, "]}\n");
	free(cli);
	http_resp_free(&r);
	/* one client reads a little and hangs up; one stops reading */
	snprintf(req, sizeof req, "GET /api/v1/export HTTP/1.1\r\nHost: "
				  "127.0.0.1:%d\r\n\r\n",
		 s->port);
	for (int i = 0; i < 2; i++) {
		fd[i] = tcp_connect(s->port);
		assert_int_equal(send(fd[i], req, strlen(req), MSG_NOSIGNAL),
				 (ssize_t)strlen(req));
		assert_true(recv(fd[i], got, sizeof got, 0) > 0);
	}
	close(fd[0]);
	assert_int_equal(http_get(s, "/api/v1/reviews?limit=1", &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")),
			 100);
	http_resp_free(&r);
	/* server_down: the server must still exit 0 on SIGTERM with the
	 * stalled client's stream open */
	assert_int_equal(hs_stop(s), 0);
	s->pid = 0;
	close(fd[1]);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, server_up, server_down)
	const struct CMUnitTest tests[] = {
		T(test_backup_while_serving_restores_elsewhere),
		T(test_json_and_md_round_trips_through_the_commands),
		T(test_md_keep_going_imports_the_good_and_lists_the_bad),
		T(test_api_import_md_needs_an_admin_and_names_the_line),
		T(test_print_view_standalone_file_and_markdown_download),
		T(test_api_import_json_takes_an_export_or_changes_nothing),
		T(test_api_export_all_is_streamed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
