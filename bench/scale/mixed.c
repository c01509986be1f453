/* mixed.c: bench/scale's mixed run (issue 21): C clients at once, each on
 * its own keep-alive connection, for S seconds; each request is a save with
 * W per cent chance, else a read. A save is PATCH /api/v1/reviews/{id} of
 * the client's own review with the version it last saw (so that saves do
 * not conflict and each is a real write); a read is a random review's page
 * or JSON (ids 1..N; the server's page cache decides what it costs). Prints
 * for reads and writes, then for each kind of read (page, json): count,
 * per second, p50, p99 and max in ms, and answers that were not 200.
 *
 *   mixed BASE_URL N SECONDS CLIENTS WRITE_PERCENT [FIRST_OWN]
 *
 * MIXED_READS=page or json in the environment makes every read that kind
 * (default: half each), to measure the server's CPU per kind.
 *
 * FIRST_OWN (default 1) is the first client's own review: two runs at
 * once against two servers (bench/pg) give each client a review of its
 * own with FIRST_OWN apart.
 *
 * Built by bench/scale/run.sh with libcurl. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CLIENTS 256

struct lat {
	double *ms;
	size_t n, cap;
	long bad; /* answers other than 200 (or transport errors) */
};

struct client {
	int no;
	const char *base;
	int n;
	double until;
	int write_pct;
	int reads_of; /* 0: both kinds, 1: pages only, 2: JSON only */
	int64_t own_id, version;
	struct lat reads, writes;
	struct lat kind[2]; /* reads again by kind: page, json */
	char body[4096];
	size_t body_len;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int lat_add(struct lat *l, double ms)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4096;
		double *m = realloc(l->ms, cap * sizeof *m);

		if (!m)
			return -1;
		l->ms = m, l->cap = cap;
	}
	l->ms[l->n++] = ms;
	return 0;
}

/* keep the start of each answer: enough for "version" */
static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct client *c = arg;
	size_t len = size * n, room = sizeof c->body - 1 - c->body_len;

	if (len < room)
		room = len;
	memcpy(c->body + c->body_len, p, room);
	c->body_len += room;
	c->body[c->body_len] = '\0';
	return len;
}

static int64_t version_in(const char *body)
{
	const char *v = strstr(body, "\"version\"");

	if (!v || !(v = strchr(v, ':')))
		return 0;
	return strtoll(v + 1, NULL, 10);
}

/* request does one request; returns the HTTP status (0: no answer). */
static long request(CURL *h, struct client *c, const char *method,
		    const char *path, const char *json)
{
	char url[512];
	long status = 0;

	snprintf(url, sizeof url, "%s%s", c->base, path);
	c->body_len = 0;
	c->body[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (json) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	}
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static void *run(void *arg)
{
	struct client *c = arg;
	CURL *h = curl_easy_init();
	struct curl_slist *hdr =
		curl_slist_append(NULL, "Content-Type: application/json");
	unsigned seed = (unsigned)(c->no * 7919 + 17);
	char path[128], json[256];
	long k = 0;

	if (!h)
		return NULL;
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	snprintf(path, sizeof path, "/api/v1/reviews/%lld",
		 (long long)c->own_id);
	if (request(h, c, "GET", path, NULL) == 200)
		c->version = version_in(c->body);
	while (now_s() < c->until) {
		int write = (int)(rand_r(&seed) % 100) < c->write_pct;
		double t0 = now_s(), ms;
		long status;
		int page = 0;

		if (write) {
			snprintf(path, sizeof path, "/api/v1/reviews/%lld",
				 (long long)c->own_id);
			snprintf(json, sizeof json,
				 "{\"version\": %lld, \"tldr\": \"mixed "
				 "run: client %d, save %ld\"}",
				 (long long)c->version, c->no, ++k);
			status = request(h, c, "PATCH", path, json);
		} else {
			int id = 1 + (int)(rand_r(&seed) % (unsigned)c->n);

			page = rand_r(&seed) % 2;
			if (c->reads_of)
				page = c->reads_of == 1;
			snprintf(path, sizeof path,
				 page ? "/reviews/%d" : "/api/v1/reviews/%d",
				 id);
			status = request(h, c, "GET", path, NULL);
		}
		ms = (now_s() - t0) * 1000;
		if (write) {
			lat_add(&c->writes, ms);
			if (status == 200)
				c->version = version_in(c->body);
			else
				c->writes.bad++;
			if (status == 409) { /* learn the version again */
				snprintf(path, sizeof path,
					 "/api/v1/reviews/%lld",
					 (long long)c->own_id);
				if (request(h, c, "GET", path, NULL) == 200)
					c->version = version_in(c->body);
			}
		} else {
			lat_add(&c->reads, ms);
			lat_add(&c->kind[!page], ms);
			if (status != 200 && status != 404)
				c->reads.bad++, c->kind[!page].bad++;
		}
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct lat *lat_of(struct client *c, const char *what)
{
	if (!strcmp(what, "reads"))
		return &c->reads;
	if (!strcmp(what, "page"))
		return &c->kind[0];
	if (!strcmp(what, "json"))
		return &c->kind[1];
	return &c->writes;
}

static void report(const char *what, struct client *cs, int n, double secs)
{
	struct lat all = {0};

	for (int i = 0; i < n; i++) {
		struct lat *l = lat_of(&cs[i], what);

		for (size_t j = 0; j < l->n; j++)
			lat_add(&all, l->ms[j]);
		all.bad += l->bad;
	}
	if (!all.n) {
		printf("%s 0 0 0 0 0 %ld\n", what, all.bad);
		return;
	}
	qsort(all.ms, all.n, sizeof *all.ms, cmp);
	printf("%s %zu %.0f %.1f %.1f %.1f %ld\n", what, all.n,
	       (double)all.n / secs, all.ms[all.n / 2],
	       all.ms[(size_t)((double)all.n * 0.99)], all.ms[all.n - 1],
	       all.bad);
	free(all.ms);
}

int main(int argc, char **argv)
{
	static struct client cs[MAX_CLIENTS];
	static pthread_t th[MAX_CLIENTS];
	int n, clients, pct, first = 1, reads_of = 0;
	const char *only = getenv("MIXED_READS");
	double secs, t0;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: mixed BASE_URL N SECONDS CLIENTS "
				"WRITE_PERCENT [FIRST_OWN]\n");
		return 2;
	}
	if (argc == 7)
		first = atoi(argv[6]);
	n = atoi(argv[2]);
	secs = atof(argv[3]);
	clients = atoi(argv[4]);
	pct = atoi(argv[5]);
	if (n < 1 || secs <= 0 || clients < 1 || clients > MAX_CLIENTS ||
	    pct < 0 || pct > 100 || first < 1) {
		fprintf(stderr, "mixed: bad arguments\n");
		return 2;
	}
	if (only && *only)
		reads_of = !strcmp(only, "page") ? 1 : !strcmp(only, "json") ? 2 : -1;
	if (reads_of < 0) {
		fprintf(stderr, "mixed: MIXED_READS is page or json\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	t0 = now_s();
	for (int i = 0; i < clients; i++) {
		cs[i].no = i;
		cs[i].base = argv[1];
		cs[i].n = n;
		cs[i].until = t0 + secs;
		cs[i].write_pct = pct;
		cs[i].reads_of = reads_of;
		/* each its own review, spread over the ids */
		cs[i].own_id = first + (int64_t)i * n / clients;
		if (pthread_create(&th[i], NULL, run, &cs[i]) != 0)
			return 1;
	}
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	secs = now_s() - t0;
	/* what count req/s p50 p99 max not-200 */
	report("reads", cs, clients, secs);
	report("writes", cs, clients, secs);
	report("page", cs, clients, secs);
	report("json", cs, clients, secs);
	curl_global_cleanup();
	return 0;
}
