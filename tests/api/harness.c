/* harness.c: starts the real debrief binary on a free 127.0.0.1 port and
 * talks HTTP to it with libcurl (see harness.h). */
#include "api/harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/test_db.h"
#include "util/buf.h"

#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS	 20000
#define MAX_ARGS	 64

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* One easy handle kept between requests so that libcurl reuses its
 * connection (keep-alive). A thread that finds it busy uses a handle of
 * its own for that request. */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static CURL *shared_curl;

/* quiet_thread is set while hs_start polls: a refused connection is
 * expected then and not worth a line. */
static _Thread_local int quiet_thread;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* free_port binds port 0 on 127.0.0.1 and returns the port the kernel
 * chose (closed again, so another process may bind it), or -1. */
static int free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd, port = -1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* server_binary returns $DEBRIEF_BIN or ./debrief as an absolute path (the
 * server runs in the temp directory). */
static int server_binary(char *out, size_t n)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char tmp[PATH_MAX];

	if (!bin || !*bin)
		bin = "./debrief";
	if (!realpath(bin, tmp)) {
		fprintf(stderr, "harness: %s: %s\n", bin, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(out, n, "%s", tmp) >= n)
		return -1;
	return 0;
}

static void print_log(const struct hs *s)
{
	char line[1024];
	FILE *f = fopen(s->log, "r");

	if (!f)
		return;
	fprintf(stderr, "--- server log %s ---\n", s->log);
	while (fgets(line, sizeof line, f))
		fputs(line, stderr);
	fprintf(stderr, "--- end of server log ---\n");
	fclose(f);
}

/* reap waits at most ms for the server to exit; returns its exit status,
 * 128 + signal when killed by one, or -1 when it is still running. */
static int reap(struct hs *s, long ms)
{
	int status;
	long waited = 0;

	for (;;) {
		pid_t r = waitpid(s->pid, &status, WNOHANG);

		if (r == s->pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited >= ms)
			return -1;
		sleep_ms(10);
		waited += 10;
	}
	s->pid = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

static void child_exec(const struct hs *s, const char *bin,
		       const char *const *extra)
{
	char listen[64];
	const char *argv[MAX_ARGS];
	int n = 0, fd;

	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	argv[n++] = bin;
	argv[n++] = "serve";
	argv[n++] = "--db";
	argv[n++] = s->db;
	argv[n++] = "--listen";
	argv[n++] = listen;
	for (; extra && *extra && n < MAX_ARGS - 1; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;

	fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	/* the temp directory, so that no ./debrief.conf of the caller applies */
	if (chdir(s->dir) < 0)
		_exit(126);
	execv(bin, (char *const *)argv);
	_exit(127);
}

int hs_prepare(struct hs *s)
{
	if (!s->dir[0]) {
		char tmpl[] = "/tmp/debrief-test-XXXXXX";

		if (!mkdtemp(tmpl)) {
			perror("harness: mkdtemp");
			return -1;
		}
		snprintf(s->dir, sizeof s->dir, "%s", tmpl);
	}
	if (!s->db[0] && test_db_url(s->db, sizeof s->db, s->dir) < 0)
		return -1; /* dir/test.db, or a database of DEBRIEF_TEST_PG */
	return 0;
}

int hs_write_conf(struct hs *s, const char *text)
{
	char path[sizeof s->dir + 16];
	FILE *f;
	int rc;

	if (hs_prepare(s) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/debrief.conf", s->dir);
	if (!(f = fopen(path, "w"))) {
		perror("harness: debrief.conf");
		return -1;
	}
	rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int hs_start_conf(struct hs *s, const char *conf,
		  const char *const *extra_args)
{
	if (hs_write_conf(s, conf) < 0)
		return -1;
	return hs_start(s, extra_args);
}

int hs_start(struct hs *s, const char *const *extra_args)
{
	char bin[PATH_MAX];
	long waited = 0;

	pthread_once(&curl_once, curl_init_once);
	if (server_binary(bin, sizeof bin) < 0)
		return -1;
	if (hs_prepare(s) < 0)
		return -1;
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	s->port = free_port();
	if (s->port < 0) {
		perror("harness: free port");
		return -1;
	}
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);

	s->pid = fork();
	if (s->pid < 0) {
		perror("harness: fork");
		s->pid = 0;
		return -1;
	}
	if (s->pid == 0)
		child_exec(s, bin, extra_args);

	while (waited < START_TIMEOUT_MS) {
		struct http_resp r;
		int status, rc;

		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			fprintf(stderr,
				"harness: server exited during start\n");
			s->pid = 0;
			print_log(s);
			return -1;
		}
		quiet_thread = 1;
		rc = http_do(s, "GET", "/api/v1/health", NULL, NULL, NULL, &r);
		quiet_thread = 0;
		if (rc == 0) {
			long code = r.status;

			http_resp_free(&r);
			if (code == 200)
				return 0;
		}
		sleep_ms(20);
		waited += 20;
	}
	fprintf(stderr, "harness: server not healthy after %d ms\n",
		START_TIMEOUT_MS);
	hs_kill(s);
	print_log(s);
	return -1;
}

int hs_start_beside(struct hs *b, const struct hs *a,
		    const char *const *extra_args)
{
	memset(b, 0, sizeof *b);
	snprintf(b->db, sizeof b->db, "%s", a->db);
	return hs_start(b, extra_args);
}

int hs_stop(struct hs *s)
{
	int rc;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	rc = reap(s, STOP_TIMEOUT_MS);
	if (rc < 0 && s->pid > 0) {
		fprintf(stderr, "harness: server ignored SIGTERM\n");
		hs_kill(s);
		return -1;
	}
	return rc;
}

void hs_kill(struct hs *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	remove(path);
	return 0;
}

void hs_cleanup(struct hs *s)
{
	hs_kill(s);
	if (s->dir[0])
		nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	s->dir[0] = '\0';
	s->db[0] = '\0';
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;

	if (buf_append(b, p, size * n) < 0)
		return 0;
	return size * n;
}

/* on_header keeps only the last header block (after a 100 Continue). */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;

	if (size * n >= 5 && !strncmp(p, "HTTP/", 5))
		buf_reset(b);
	if (buf_append(b, p, size * n) < 0)
		return 0;
	return size * n;
}

static void set_method(CURL *c, const char *method, const char *body)
{
	if (!strcmp(method, "GET") && !body) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (!strcmp(method, "HEAD")) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		return;
	}
	if (body || !strcmp(method, "POST") || !strcmp(method, "PUT") ||
	    !strcmp(method, "PATCH")) {
		/* an empty body still gets Content-Length: 0 */
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(body ? strlen(body) : 0));
	}
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
}

static int perform(CURL *c, struct hs *s, const char *method, const char *path,
		   const char *content_type, const char *body,
		   const char *const *headers, struct http_resp *out)
{
	struct curl_slist *hl = NULL, *t;
	struct buf hb = BUF_INIT, bb = BUF_INIT;
	char url[2048], line[256];
	char *ct;
	CURLcode rc;
	int ret = -1;

	snprintf(url, sizeof url, "%s%s", s->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bb);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &hb);
	set_method(c, method, body);
	if (body) {
		snprintf(line, sizeof line, "Content-Type: %s",
			 content_type ? content_type : "application/json");
		t = curl_slist_append(hl, line);
		if (!t)
			goto out;
		hl = t;
	}
	for (; headers && *headers; headers++) {
		t = curl_slist_append(hl, *headers);
		if (!t)
			goto out;
		hl = t;
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);

	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		if (!quiet_thread)
			fprintf(stderr, "harness: %s %s: %s\n", method, path,
				curl_easy_strerror(rc));
		goto out;
	}
	if (hb.oom || bb.oom)
		goto out;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	out->len = bb.len;
	out->body = buf_detach(&bb);
	out->headers = buf_detach(&hb);
	if (!out->body || !out->headers)
		goto out;
	ct = http_header(out, "Content-Type");
	if (ct && !strncasecmp(ct, "application/json", 16))
		out->json = json_loadb(out->body, out->len, 0, NULL);
	free(ct);
	ret = 0;
out:
	curl_slist_free_all(hl);
	buf_release(&hb);
	buf_release(&bb);
	if (ret < 0)
		http_resp_free(out);
	return ret;
}

int http_do(struct hs *s, const char *method, const char *path,
	    const char *content_type, const char *body,
	    const char *const *headers, struct http_resp *out)
{
	CURL *c;
	int r;

	memset(out, 0, sizeof *out);
	pthread_once(&curl_once, curl_init_once);
	if (pthread_mutex_trylock(&shared_lock) == 0) {
		if (!shared_curl)
			shared_curl = curl_easy_init();
		c = shared_curl;
		if (!c) {
			pthread_mutex_unlock(&shared_lock);
			return -1;
		}
		curl_easy_reset(c);
		r = perform(c, s, method, path, content_type, body, headers,
			    out);
		pthread_mutex_unlock(&shared_lock);
		return r;
	}
	c = curl_easy_init();
	if (!c)
		return -1;
	r = perform(c, s, method, path, content_type, body, headers, out);
	curl_easy_cleanup(c);
	return r;
}

char *http_header(const struct http_resp *r, const char *name)
{
	size_t nl = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		const char *v, *ve;

		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && !strncasecmp(p, name, nl) &&
		    p[nl] == ':') {
			v = p + nl + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			ve = end;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
				ve--;
			return strndup(v, (size_t)(ve - v));
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

void http_resp_free(struct http_resp *r)
{
	free(r->body);
	free(r->headers);
	if (r->json)
		json_decref(r->json);
	memset(r, 0, sizeof *r);
}

static int status_of(int rc, const struct http_resp *r)
{
	return rc < 0 ? -1 : (int)r->status;
}

int http_get(struct hs *s, const char *path, struct http_resp *r)
{
	return status_of(http_do(s, "GET", path, NULL, NULL, NULL, r), r);
}

int http_json(struct hs *s, const char *method, const char *path,
	      const char *json_body, struct http_resp *r)
{
	return status_of(http_do(s, method, path, NULL, json_body, NULL, r), r);
}

int http_form(struct hs *s, const char *path, const char *form_body,
	      struct http_resp *r)
{
	return status_of(http_do(s, "POST", path,
				 "application/x-www-form-urlencoded", form_body,
				 NULL, r),
			 r);
}
