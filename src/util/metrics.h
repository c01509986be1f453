/* metrics.h: the server's counters, gauges and latency histograms, shown
 * at GET /metrics in the Prometheus text format and, when `statsd` is set,
 * sent as StatsD lines over UDP as they happen.
 *
 * One process-wide registry. Every function is thread-safe and cheap (an
 * atomic add, or a short critical section for the per-route series); none
 * allocates after metrics_init, none blocks on the network: StatsD lines
 * go out with a non-blocking sendto and are dropped when the socket is
 * full. Route and method strings passed in must live as long as the
 * process (the route table's patterns, string literals). */
#ifndef DEBRIEF_METRICS_H
#define DEBRIEF_METRICS_H

#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Counters with no labels. */
enum metric_counter {
	METRIC_CACHE_HIT,  /* pages (and JSON) answered from the page cache */
	METRIC_CACHE_MISS, /* cacheable pages that had to be rendered */
	/* the index's count of lingering follow-ups, reused for a minute
	 * from the same cache: counted apart, so that the page counters
	 * say how often a page was served without a render */
	METRIC_COUNT_CACHE_HIT,
	METRIC_COUNT_CACHE_MISS,
	METRIC_LINT_RUNS,
	METRIC_IMPORTS,
	METRIC_JOBS,
	METRIC_JOB_FAILURES,
	METRIC_STORE_TX_FAILED,
	METRIC_STORE_ROUND_TRIPS, /* to PostgreSQL; not sent to StatsD */
	METRIC_NCOUNTERS
};

/* Histograms of durations in seconds, with no labels. */
enum metric_timer {
	METRIC_STORE_TX,   /* one store transaction, begin to commit */
	METRIC_LINT,       /* one lint run */
	METRIC_JOB,        /* one background job */
	METRIC_STORE_WRITE_WAIT, /* a write transaction's wait for the lock */
	METRIC_STORE_WRITE_HOLD, /* a write transaction's hold of the lock */
	METRIC_NTIMERS
};

/* metrics_init clears the registry and records the build: version and
 * the store's schema version, shown as debrief_build_info. Call once
 * before serving. */
void metrics_init(const char *version, int schema_version);

/* metrics_statsd starts sending StatsD lines to "HOST:PORT" with names
 * under prefix ("debrief"). A host that does not resolve gives one
 * E_INVALID with the reason (the caller logs it once) and leaves StatsD
 * off; the server goes on. NULL or "" turns StatsD off. */
enum err_code metrics_statsd(const char *hostport, const char *prefix,
			     struct err *e);

/* metrics_request counts one answered request: its method, the route
 * pattern that matched ("/reviews/{id}", or "unmatched"), its status and
 * how long it took. */
void metrics_request(const char *method, const char *route, int status,
		     double seconds);

void metrics_count(enum metric_counter c);
void metrics_time(enum metric_timer t, double seconds);

/* metrics_connections adds delta (+1 or -1) to the open connections
 * gauge. */
void metrics_connections(int delta);

/* metrics_value reads a counter (for tests). */
uint64_t metrics_value(enum metric_counter c);

/* metrics_render appends the whole registry to b in the Prometheus text
 * exposition format (version 0.0.4). Returns 0, or -1 when b ran out of
 * memory. */
int metrics_render(struct buf *b);

#endif
