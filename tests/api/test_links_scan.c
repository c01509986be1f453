/* test_links_scan.c: `debrief links scan PATH` on git repositories the
 * test makes (with the git command), read back through
 * GET /api/v1/reviews/{id}/inbound-links of a running server: file and
 * line, commit, a rescan replacing the repository's links, a path that is
 * not a repository, and memory that stays bounded on a large repository. */
#include "api/account_checks.h"

#include <sys/resource.h>

/* Under AddressSanitizer (make asan builds the server and the tests
 * alike) memory is padded and freed blocks are held back, so the peak is
 * not the program's: the bound is checked in the normal build only. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_CHECKED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RSS_CHECKED 0
#endif
#endif
#ifndef RSS_CHECKED
#define RSS_CHECKED 1
#endif

/* sh runs a shell command line in dir; asserts that it succeeded. */
static void sh(const char *dir, const char *fmt, ...)
{
	char cmd[2048], line[1800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s' && (%s) >/dev/null 2>&1", dir, line);
	assert_int_equal(system(cmd), 0);
}

static void git_init(const char *dir)
{
	sh("/", "mkdir -p '%s'", dir);
	sh(dir, "git init -q . && git config user.email t@example.org && "
		"git config user.name tester && git config commit.gpgsign "
		"false");
}

/* scan runs `debrief links scan dir` on s's database; its exit status,
 * the last line of its output in last (may be NULL) and its peak
 * resident memory in KB in *maxrss_kb (may be NULL). */
static int scan(struct hs *s, const char *dir, char *last, size_t n,
		long *maxrss_kb)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char out[320], line[512];
	struct rusage ru;
	int status;
	pid_t pid;

	snprintf(out, sizeof out, "%s/scan.out", s->dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *f = freopen(out, "w", stdout);

		if (!f || !freopen(out, "a", stderr))
			_exit(99);
		execl(bin && *bin ? bin : "./debrief", "debrief", "links",
		      "scan", dir, "--db", s->db, (char *)NULL);
		_exit(98);
	}
	assert_int_equal(wait4(pid, &status, 0, &ru), pid);
	if (maxrss_kb)
		*maxrss_kb = ru.ru_maxrss;
	if (last) {
		FILE *f = fopen(out, "r");

		last[0] = '\0';
		assert_non_null(f);
		while (fgets(line, sizeof line, f))
			snprintf(last, n, "%s", line);
		fclose(f);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static json_t *links_of(struct hs *s, const char *auth, int64_t id,
			long want)
{
	char path[80];
	struct http_resp r;
	json_t *j;

	snprintf(path, sizeof path, "/api/v1/reviews/%lld/inbound-links",
		 (long long)id);
	assert_int_equal(acct_send(s, auth, "GET", path, NULL, &r), want);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

struct world {
	struct hs *s;
	char admin[160], outsider[160];
	int64_t open, secret;
	char repo[400];
};

static int world_up(void **state)
{
	struct world *W = calloc(1, sizeof *W);
	struct http_resp r;

	assert_non_null(W);
	W->s = acct_prepare();
	acct_add_user(W->s, "ada", "admin");
	acct_add_user(W->s, "rout", "reader");
	acct_token(W->s, "ada", "write", W->admin, sizeof W->admin);
	acct_token(W->s, "rout", "read", W->outsider, sizeof W->outsider);
	if (hs_start(W->s, NULL) < 0)
		return -1;
	assert_int_equal(acct_send(W->s, W->admin, "POST", "/api/v1/reviews",
				   "{\"title\": \"Retry storm\"}", &r),
			 201);
	W->open = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	assert_int_equal(acct_send(W->s, W->admin, "POST", "/api/v1/reviews",
				   "{\"title\": \"Leaked key\", "
				   "\"restricted_to\": [\"security\"]}",
				   &r),
			 201);
	W->secret = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	snprintf(W->repo, sizeof W->repo, "%s/repo", W->s->dir);
	git_init(W->repo);
	*state = W;
	return 0;
}

static int world_down(void **state)
{
	struct world *W = *state;

	hs_stop(W->s);
	hs_cleanup(W->s);
	free(W->s);
	free(W);
	return 0;
}

static json_t *find_link(json_t *links, const char *file, const char *commit)
{
	json_t *l;
	size_t i;

	json_array_foreach(links, i, l)
	{
		const char *f = json_string_value(json_object_get(l, "file"));
		const char *c = json_string_value(json_object_get(l, "commit"));

		if (file && f && !strcmp(f, file))
			return l;
		if (commit && c && !strncmp(c, commit, strlen(commit)))
			return l;
	}
	return NULL;
}

static void test_files_and_commit_messages_become_inbound_links(void **state)
{
	struct world *W = *state;
	char out[512], sha[64] = "";
	json_t *j, *l, *links;
	FILE *p;
	char cmd[600];

	sh(W->repo, "mkdir -p src && printf 'int retries = 3;\\n/* budget: "
		    "see PM-%lld */\\n' > src/retry.c && printf 'Runbook\\n\\n"
		    "After https://debrief.example/reviews/%lld we cap "
		    "retries.\\nAlso PM-999999.\\n' > README.md",
	   (long long)W->open, (long long)W->open);
	sh(W->repo, "git add -A && git commit -q -m 'Cap retries' -m "
		    "'Follow-up of PM-%lld.'",
	   (long long)W->open);
	snprintf(cmd, sizeof cmd, "cd '%s' && git rev-parse HEAD", W->repo);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(sha, sizeof sha, p));
	pclose(p);
	sha[strcspn(sha, "\n")] = '\0';
	assert_int_equal(scan(W->s, W->repo, out, sizeof out, NULL), 0);
	assert_non_null(strstr(out, "3 to reviews here"));
	j = links_of(W->s, W->admin, W->open, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
	assert_non_null(json_object_get(j, "limit"));
	assert_non_null(json_object_get(j, "offset"));
	links = json_object_get(j, "links");
	l = find_link(links, "src/retry.c", NULL);
	assert_non_null(l);
	assert_int_equal(json_integer_value(json_object_get(l, "line")), 2);
	assert_true(json_is_null(json_object_get(l, "commit")));
	assert_non_null(strstr(json_string_value(json_object_get(l, "repository")),
			       "/repo"));
	assert_non_null(strstr(json_string_value(json_object_get(l, "text")),
			       "budget"));
	l = find_link(links, "README.md", NULL);
	assert_non_null(l);
	assert_int_equal(json_integer_value(json_object_get(l, "line")), 3);
	l = find_link(links, NULL, sha);
	assert_non_null(l);
	assert_true(json_is_null(json_object_get(l, "file")));
	assert_true(json_is_null(json_object_get(l, "line")));
	json_decref(j);
}

/* page_has tells whether the review page of id, as the admin sees it,
 * holds what. */
static int page_has(struct world *W, int64_t id, const char *what)
{
	char path[64];
	struct http_resp r;
	int has;

	snprintf(path, sizeof path, "/reviews/%lld", (long long)id);
	assert_int_equal(acct_send(W->s, W->admin, "GET", path, NULL, &r),
			 200);
	has = strstr(r.body, what) != NULL;
	http_resp_free(&r);
	return has;
}

static void test_a_rescan_replaces_the_repositorys_links(void **state)
{
	struct world *W = *state;
	json_t *j;

	sh(W->repo, "printf 'see PM-%lld\\nand PM-%lld\\n' > notes.txt && git "
		    "add -A && git commit -q -m 'notes'",
	   (long long)W->open, (long long)W->secret);
	assert_int_equal(scan(W->s, W->repo, NULL, 0, NULL), 0);
	assert_int_equal(scan(W->s, W->repo, NULL, 0, NULL), 0); /* twice */
	j = links_of(W->s, W->admin, W->open, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	/* the review page lists it (and is cached so) */
	assert_true(page_has(W, W->open, "<code>notes.txt:1</code>"));
	assert_true(page_has(W, W->open, "<code>notes.txt:1</code>"));
	sh(W->repo, "git rm -q notes.txt && git commit -q -m 'tidy up'");
	assert_int_equal(scan(W->s, W->repo, NULL, 0, NULL), 0);
	j = links_of(W->s, W->admin, W->open, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
	/* a scan is a new page: never the cached one with the old links */
	assert_false(page_has(W, W->open, "notes.txt"));
	assert_true(page_has(W, W->open, "No links from code or commits"));
}

static void test_a_restricted_reviews_links_stay_in_its_group(void **state)
{
	struct world *W = *state;
	json_t *j;

	sh(W->repo, "printf 'key rotation: PM-%lld\\n' > SECURITY.md && git "
		    "add -A && git commit -q -m 'rotation'",
	   (long long)W->secret);
	assert_int_equal(scan(W->s, W->repo, NULL, 0, NULL), 0);
	j = links_of(W->s, W->admin, W->secret, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	j = links_of(W->s, W->outsider, W->secret, 404);
	assert_null(json_object_get(j, "links"));
	json_decref(j);
	j = links_of(W->s, W->outsider, 424242, 404);
	json_decref(j);
}

static void test_a_path_that_is_not_a_repository_changes_nothing(void **state)
{
	struct world *W = *state;
	char out[512], plain[400];
	json_t *j;

	sh(W->repo, "printf 'PM-%lld\\n' > a.txt && git add -A && git commit "
		    "-q -m a",
	   (long long)W->open);
	assert_int_equal(scan(W->s, W->repo, NULL, 0, NULL), 0);
	snprintf(plain, sizeof plain, "%s/plain", W->s->dir);
	sh("/", "mkdir -p '%s' && printf 'PM-1\\n' > '%s/x.txt'", plain, plain);
	assert_int_equal(scan(W->s, plain, out, sizeof out, NULL), 1);
	assert_non_null(strstr(out, "is not a git repository"));
	assert_int_equal(scan(W->s, "/no/such/dir", out, sizeof out, NULL), 1);
	assert_non_null(strstr(out, "is not a git repository"));
	j = links_of(W->s, W->admin, W->open, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
}

/* A repository of 124 MB of files (60 of 1 MB, one of 64 MB) is read in
 * a fraction of that memory: one file at a time, and the file over the
 * limit judged by its header alone. */
static void test_a_large_repository_is_scanned_in_bounded_memory(
	void **state)
{
	struct world *W = *state;
	char out[512];
	long rss_kb = 0;
	json_t *j;

	sh(W->repo,
	   "mkdir -p big && i=0; while [ $i -lt 60 ]; do yes 'filler line "
	   "of a generated file, long enough to weigh' | head -c 1048000 > "
	   "big/f$i.txt; printf '\\nPM-%lld\\n' >> big/f$i.txt; i=$((i+1)); "
	   "done; yes 'huge' | head -c 67108864 > big/huge.log; printf "
	   "'\\nPM-%lld\\n' >> big/huge.log; git add -A && git commit -q -m big",
	   (long long)W->open, (long long)W->open);
	assert_int_equal(scan(W->s, W->repo, out, sizeof out, &rss_kb), 0);
	assert_non_null(strstr(out, "1 files over 8 MB skipped"));
	j = links_of(W->s, W->admin, W->open, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 60);
	json_decref(j);
	/* the files alone hold 124 MB */
	if (RSS_CHECKED && rss_kb > 48 * 1024)
		fail_msg("the scan peaked at %ld KB", rss_kb);
	/* the same from a pack, as a clone has it */
	sh(W->repo, "git gc -q");
	assert_int_equal(scan(W->s, W->repo, out, sizeof out, &rss_kb), 0);
	assert_non_null(strstr(out, "60 to reviews here"));
	if (RSS_CHECKED && rss_kb > 48 * 1024)
		fail_msg("the scan of the packed repository peaked at %ld KB",
			 rss_kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, world_up, world_down)
		T(test_files_and_commit_messages_become_inbound_links),
		T(test_a_rescan_replaces_the_repositorys_links),
		T(test_a_restricted_reviews_links_stay_in_its_group),
		T(test_a_path_that_is_not_a_repository_changes_nothing),
		T(test_a_large_repository_is_scanned_in_bounded_memory),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
