/* cache.h: rendered answers (pages, JSON) kept in memory by a string key
 * and a version, so that a hot page costs one cheap version read instead of
 * a render. Servers hold no other state: a version that moved on (any
 * server's write) makes the old entry a miss. */
#ifndef DEBRIEF_CACHE_H
#define DEBRIEF_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct page_cache;

/* A page larger than 1/PAGE_CACHE_MAX_SHARE of the byte budget is not
 * kept. */
#define PAGE_CACHE_MAX_SHARE 8

/* page_cache_new makes a cache of at most max_entries keys holding at most
 * max_bytes of pages and keys (0: no byte limit); NULL on oom. */
struct page_cache *page_cache_new(size_t max_entries, size_t max_bytes);
void page_cache_free(struct page_cache *c);

/* page_cache_get appends the bytes stored for (key, version) to out and
 * returns 1; 0 when there are none (or out ran out of memory). c may be
 * NULL (always a miss). It counts no metric: its callers keep other
 * things than pages (a count) and count their own hits; the page cache's
 * hits and misses (debrief_cache_hits_total) are page_cache_get_or_wait's. */
int page_cache_get(struct page_cache *c, const char *key, int64_t version,
		   struct buf *out);

/* page_cache_put stores a copy of data[0..len) for (key, version),
 * replacing what was cached for key unless that is a newer version. The
 * least recently used keys go when the cache is full (by count or by
 * bytes); a page over 1/PAGE_CACHE_MAX_SHARE of max_bytes is not stored.
 * Failures only mean a later miss. */
void page_cache_put(struct page_cache *c, const char *key, int64_t version,
		    const char *data, size_t len);

/* Single flight: when several requests miss one (key, version) at once,
 * one renders and the others wait for its page instead of rendering the
 * same thing in parallel.
 *
 * page_cache_get_or_wait is page_cache_get that, on a miss, either claims
 * the render of (key, version) (nobody else is rendering it) or waits for
 * whoever is: it returns 1 with that page appended to out once it is put,
 * or claims the render itself when the renderer abandons it. A waiter
 * waits at most the cache's wait (page_cache_set_wait); then it renders
 * too, and the stuck claim is dropped so later misses do not wait on it.
 * A waiter is only ever handed a page stored under its exact key and
 * version. 0 means "render it": the caller must then call page_cache_put
 * (a put under any version >= the one asked for ends the claim) or, when
 * it renders nothing to keep (an error, a page not to cache),
 * page_cache_abandon, on every path. c may be NULL (always 0). */
int page_cache_get_or_wait(struct page_cache *c, const char *key,
			   int64_t version, struct buf *out);

/* page_cache_abandon ends the claim on (key, version) without a page: one
 * waiter, if any, claims it and renders. Harmless without a claim. */
void page_cache_abandon(struct page_cache *c, const char *key,
			int64_t version);

/* How long a miss waits for another request's render of the same page
 * before it renders itself, in milliseconds. */
#define PAGE_CACHE_WAIT_MS 5000
void page_cache_set_wait(struct page_cache *c, long wait_ms);

/* page_cache_bytes is what the cache holds now: pages and keys. */
size_t page_cache_bytes(struct page_cache *c);

#endif
