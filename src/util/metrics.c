/* metrics.c: the one registry of counters and histograms (metrics.h), its
 * Prometheus text rendering, and the StatsD sender. */
#include "util/metrics.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Latency bucket bounds, seconds (Prometheus "le"). */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				0.05,   0.1,   0.25,   0.5,   1,    2.5,
				5,      10};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

struct histogram {
	uint64_t bucket[NBOUNDS + 1]; /* last: over every bound (+Inf) */
	uint64_t count;
	double sum;
};

static const char *const methods[] = {"GET",    "HEAD",    "POST", "PUT",
				      "PATCH",  "DELETE",  "OPTIONS",
				      "OTHER"};
#define NMETHODS (sizeof methods / sizeof methods[0])

/* One route: its requests by method and status class, and its latency. */
#define MAX_ROUTES   128
#define MAX_STATUSES 24
struct route_series {
	const char *route;
	struct {
		uint8_t method;
		uint16_t status;
		uint64_t count;
	} by[MAX_STATUSES * 2];
	int nby;
	struct histogram latency;
};

static const struct {
	const char *name, *help, *statsd;
} counter_info[METRIC_NCOUNTERS] = {
	[METRIC_CACHE_HIT] = {"debrief_cache_hits_total",
			      "Answers served from the page cache.",
			      "cache.hit"},
	[METRIC_CACHE_MISS] = {"debrief_cache_misses_total",
			       "Cacheable answers that had to be rendered.",
			       "cache.miss"},
	[METRIC_COUNT_CACHE_HIT] = {"debrief_count_cache_hits_total",
				    "Counts on the index (lingering "
				    "follow-ups) reused from the cache.",
				    "count_cache.hit"},
	[METRIC_COUNT_CACHE_MISS] = {"debrief_count_cache_misses_total",
				     "Counts on the index (lingering "
				     "follow-ups) that had to be counted.",
				     "count_cache.miss"},
	[METRIC_LINT_RUNS] = {"debrief_lint_runs_total",
			      "Texts the language coach checked.",
			      "lint.runs"},
	[METRIC_IMPORTS] = {"debrief_imports_total",
			    "Imports run (chat logs, files).", "imports"},
	[METRIC_JOBS] = {"debrief_jobs_total", "Background jobs run.",
			 "jobs.runs"},
	[METRIC_JOB_FAILURES] = {"debrief_job_failures_total",
				 "Background jobs that failed.",
				 "jobs.failures"},
	[METRIC_STORE_TX_FAILED] = {"debrief_store_transactions_failed_total",
				    "Store transactions rolled back.",
				    "store.tx_failed"},
	[METRIC_STORE_ROUND_TRIPS] = {"debrief_store_round_trips_total",
				      "Round trips to the PostgreSQL server "
				      "(a pipeline is one).",
				      NULL},
};

static const struct {
	const char *name, *help, *statsd;
} timer_info[METRIC_NTIMERS] = {
	[METRIC_STORE_TX] = {"debrief_store_transaction_seconds",
			     "Store transactions, begin to commit.",
			     "store.tx"},
	[METRIC_LINT] = {"debrief_lint_seconds",
			 "Language coach runs.", "lint.time"},
	[METRIC_JOB] = {"debrief_job_seconds", "Background jobs.",
			"jobs.time"},
	[METRIC_STORE_WRITE_WAIT] = {"debrief_store_write_wait_seconds",
				     "Write transactions' wait for the "
				     "database's write lock.",
				     "store.write_wait"},
	[METRIC_STORE_WRITE_HOLD] = {"debrief_store_write_hold_seconds",
				     "Write transactions' hold of the "
				     "database's write lock, lock to commit "
				     "(one commit may hold several writes).",
				     "store.write_hold"},
};

static struct {
	pthread_mutex_t lock; /* routes and timers */
	struct route_series routes[MAX_ROUTES];
	int nroutes;
	uint64_t dropped; /* requests whose series did not fit */
	struct histogram timers[METRIC_NTIMERS];
	_Atomic uint64_t counters[METRIC_NCOUNTERS];
	_Atomic long connections;
	char version[32];
	int schema_version;
	/* StatsD: fd < 0 when off */
	int fd;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char prefix[48];
} m = {.lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1};

void metrics_init(const char *version, int schema_version)
{
	pthread_mutex_lock(&m.lock);
	memset(m.routes, 0, sizeof m.routes);
	memset(m.timers, 0, sizeof m.timers);
	m.nroutes = 0;
	m.dropped = 0;
	for (int i = 0; i < METRIC_NCOUNTERS; i++)
		atomic_store(&m.counters[i], 0);
	atomic_store(&m.connections, 0);
	snprintf(m.version, sizeof m.version, "%s", version ? version : "");
	m.schema_version = schema_version;
	pthread_mutex_unlock(&m.lock);
}

enum err_code metrics_statsd(const char *hostport, const char *prefix,
			     struct err *e)
{
	struct addrinfo hints = {0}, *res = NULL;
	char host[256];
	const char *colon;
	int fd, rc;

	if (m.fd >= 0) {
		close(m.fd);
		m.fd = -1;
	}
	if (!hostport || !*hostport)
		return E_OK;
	colon = strrchr(hostport, ':');
	if (!colon || colon == hostport || !colon[1] ||
	    (size_t)(colon - hostport) >= sizeof host)
		return err_set(e, E_INVALID, "statsd",
			       "statsd: expected HOST:PORT, got '%s'",
			       hostport);
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc != 0)
		return err_set(e, E_INVALID, "statsd",
			       "statsd: cannot resolve '%s': %s; StatsD is "
			       "off",
			       hostport, gai_strerror(rc));
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		freeaddrinfo(res);
		return err_set(e, E_IO, "statsd", "statsd: socket: %s",
			       strerror(errno));
	}
	memcpy(&m.addr, res->ai_addr, res->ai_addrlen);
	m.addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	snprintf(m.prefix, sizeof m.prefix, "%s",
		 prefix && *prefix ? prefix : "debrief");
	m.fd = fd;
	return E_OK;
}

/* statsd_send sends one datagram; a full socket buffer or an unreachable
 * collector drops it (UDP: the collector is optional, requests are not). */
static void statsd_send(const char *line, size_t n)
{
	if (m.fd >= 0)
		(void)sendto(m.fd, line, n, MSG_DONTWAIT | MSG_NOSIGNAL,
			     (const struct sockaddr *)&m.addr, m.addrlen);
}

/* statsd_name writes route as a StatsD name part: "/reviews/{id}" is
 * "reviews.id", "/" is "root". */
static void statsd_name(char *out, size_t n, const char *route)
{
	size_t j = 0;

	for (const char *p = route; *p && j + 1 < n; p++) {
		char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-')
			out[j++] = c;
		else if (c == '/' && j > 0 && out[j - 1] != '.')
			out[j++] = '.';
	}
	while (j > 0 && out[j - 1] == '.')
		j--;
	if (j == 0)
		snprintf(out, n, "root");
	else
		out[j] = '\0';
}

static void histogram_add(struct histogram *h, double seconds)
{
	size_t i = 0;

	if (seconds < 0)
		seconds = 0;
	while (i < NBOUNDS && seconds > bounds[i])
		i++;
	h->bucket[i]++;
	h->count++;
	h->sum += seconds;
}

static int method_index(const char *method)
{
	for (size_t i = 0; i + 1 < NMETHODS; i++)
		if (!strcmp(method, methods[i]))
			return (int)i;
	return (int)NMETHODS - 1;
}

/* route_find runs under the lock on every request: route patterns come
 * from the route table, so a pointer match is the usual case; strcmp only
 * when no pointer matched (a string literal passed twice, tests). */
static struct route_series *route_find(const char *route)
{
	for (int i = 0; i < m.nroutes; i++)
		if (m.routes[i].route == route)
			return &m.routes[i];
	for (int i = 0; i < m.nroutes; i++)
		if (!strcmp(m.routes[i].route, route))
			return &m.routes[i];
	if (m.nroutes == MAX_ROUTES)
		return NULL;
	m.routes[m.nroutes].route = route;
	return &m.routes[m.nroutes++];
}

void metrics_request(const char *method, const char *route, int status,
		     double seconds)
{
	struct route_series *r;
	int mi = method_index(method ? method : "");

	if (!route)
		route = "unmatched";
	pthread_mutex_lock(&m.lock);
	r = route_find(route);
	if (r) {
		int i;

		for (i = 0; i < r->nby; i++)
			if (r->by[i].method == mi && r->by[i].status == status)
				break;
		if (i == r->nby && r->nby < (int)(sizeof r->by /
						  sizeof r->by[0])) {
			r->by[i].method = (uint8_t)mi;
			r->by[i].status = (uint16_t)status;
			r->nby++;
		}
		if (i < r->nby)
			r->by[i].count++;
		else
			m.dropped++;
		histogram_add(&r->latency, seconds);
	} else {
		m.dropped++;
	}
	pthread_mutex_unlock(&m.lock);
	if (m.fd >= 0) {
		char name[96], line[320];
		int n;

		statsd_name(name, sizeof name, route);
		n = snprintf(line, sizeof line,
			     "%s.http.requests.%s.%s.%d:1|c\n"
			     "%s.http.duration.%s:%.3f|ms",
			     m.prefix, name, methods[mi], status, m.prefix,
			     name, seconds * 1000);
		if (n > 0 && (size_t)n < sizeof line)
			statsd_send(line, (size_t)n);
	}
}

void metrics_count(enum metric_counter c)
{
	if (c < 0 || c >= METRIC_NCOUNTERS)
		return;
	atomic_fetch_add(&m.counters[c], 1);
	if (m.fd >= 0 && counter_info[c].statsd) {
		char line[128];
		int n = snprintf(line, sizeof line, "%s.%s:1|c", m.prefix,
				 counter_info[c].statsd);

		if (n > 0 && (size_t)n < sizeof line)
			statsd_send(line, (size_t)n);
	}
}

void metrics_time(enum metric_timer t, double seconds)
{
	if (t < 0 || t >= METRIC_NTIMERS)
		return;
	pthread_mutex_lock(&m.lock);
	histogram_add(&m.timers[t], seconds);
	pthread_mutex_unlock(&m.lock);
	if (m.fd >= 0) {
		char line[128];
		int n = snprintf(line, sizeof line, "%s.%s:%.3f|ms", m.prefix,
				 timer_info[t].statsd, seconds * 1000);

		if (n > 0 && (size_t)n < sizeof line)
			statsd_send(line, (size_t)n);
	}
}

void metrics_connections(int delta)
{
	long now = atomic_fetch_add(&m.connections, delta) + delta;

	if (m.fd >= 0) {
		char line[128];
		int n = snprintf(line, sizeof line, "%s.connections:%ld|g",
				 m.prefix, now);

		if (n > 0 && (size_t)n < sizeof line)
			statsd_send(line, (size_t)n);
	}
}

uint64_t metrics_value(enum metric_counter c)
{
	return c < METRIC_NCOUNTERS ? atomic_load(&m.counters[c]) : 0;
}

/* label_value appends s escaped for a Prometheus label value (backslash,
 * double quote and newline). */
static void label_value(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_putc(b, '\\');
		if (*s == '\n') {
			buf_puts(b, "\\n");
			continue;
		}
		buf_putc(b, *s);
	}
}

/* histogram_render writes one histogram's _bucket, _sum and _count lines;
 * labels is "" or 'route="..."' already escaped. */
static void histogram_render(struct buf *b, const char *name,
			     const char *labels, const struct histogram *h)
{
	uint64_t cum = 0;
	const char *sep = *labels ? "," : "";

	for (size_t i = 0; i <= NBOUNDS; i++) {
		cum += h->bucket[i];
		if (i < NBOUNDS)
			buf_printf(b, "%s_bucket{%s%sle=\"%g\"} %llu\n", name,
				   labels, sep, bounds[i],
				   (unsigned long long)cum);
		else
			buf_printf(b, "%s_bucket{%s%sle=\"+Inf\"} %llu\n",
				   name, labels, sep,
				   (unsigned long long)cum);
	}
	buf_printf(b, "%s_sum%s%s%s %.6f\n", name, *labels ? "{" : "", labels,
		   *labels ? "}" : "", h->sum);
	buf_printf(b, "%s_count%s%s%s %llu\n", name, *labels ? "{" : "",
		   labels, *labels ? "}" : "", (unsigned long long)h->count);
}

int metrics_render(struct buf *b)
{
	struct buf label = BUF_INIT;

	pthread_mutex_lock(&m.lock);
	buf_puts(b, "# HELP debrief_build_info The running debrief.\n"
		    "# TYPE debrief_build_info gauge\n"
		    "debrief_build_info{version=\"");
	label_value(b, m.version);
	buf_printf(b, "\"} 1\n"
		      "# HELP debrief_schema_version The database schema "
		      "version.\n"
		      "# TYPE debrief_schema_version gauge\n"
		      "debrief_schema_version %d\n",
		   m.schema_version);
	buf_printf(b, "# HELP debrief_http_connections Open HTTP "
		      "connections.\n"
		      "# TYPE debrief_http_connections gauge\n"
		      "debrief_http_connections %ld\n",
		   atomic_load(&m.connections));

	buf_puts(b, "# HELP debrief_http_requests_total Answered requests "
		    "by route pattern, method and status.\n"
		    "# TYPE debrief_http_requests_total counter\n");
	for (int i = 0; i < m.nroutes; i++) {
		const struct route_series *r = &m.routes[i];

		for (int j = 0; j < r->nby; j++) {
			buf_puts(b, "debrief_http_requests_total{route=\"");
			label_value(b, r->route);
			buf_printf(b, "\",method=\"%s\",status=\"%d\"} %llu\n",
				   methods[r->by[j].method], r->by[j].status,
				   (unsigned long long)r->by[j].count);
		}
	}
	buf_printf(b, "# HELP debrief_http_requests_unlabelled_total "
		      "Requests counted without labels (too many series).\n"
		      "# TYPE debrief_http_requests_unlabelled_total counter\n"
		      "debrief_http_requests_unlabelled_total %llu\n",
		   (unsigned long long)m.dropped);
	buf_puts(b, "# HELP debrief_http_request_duration_seconds Time from "
		    "a request's arrival to its answer, by route pattern.\n"
		    "# TYPE debrief_http_request_duration_seconds "
		    "histogram\n");
	for (int i = 0; i < m.nroutes; i++) {
		buf_reset(&label);
		buf_puts(&label, "route=\"");
		label_value(&label, m.routes[i].route);
		buf_putc(&label, '"');
		histogram_render(b, "debrief_http_request_duration_seconds",
				 buf_cstr(&label), &m.routes[i].latency);
	}
	for (int t = 0; t < METRIC_NTIMERS; t++) {
		buf_printf(b, "# HELP %s %s\n# TYPE %s histogram\n",
			   timer_info[t].name, timer_info[t].help,
			   timer_info[t].name);
		histogram_render(b, timer_info[t].name, "", &m.timers[t]);
	}
	pthread_mutex_unlock(&m.lock);
	for (int c = 0; c < METRIC_NCOUNTERS; c++)
		buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n",
			   counter_info[c].name, counter_info[c].help,
			   counter_info[c].name, counter_info[c].name,
			   (unsigned long long)atomic_load(&m.counters[c]));
	if (label.oom)
		b->oom = 1;
	buf_release(&label);
	return b->oom ? -1 : 0;
}
