/* cache.c: rendered answers keyed by (string key, version).
 *
 * The review page is the hot path: a request checks the review's version
 * in the store (one indexed read) and, when the page for that version is
 * here, copies its bytes into the response without touching the rest of
 * the store or cmark. One entry per key, found through a hash of the key
 * (a lookup under the lock compares one or two keys, not every entry's:
 * at 100,000 reviews nearly every request misses, and each miss looked
 * through all of them); the least recently used entries go when the cache
 * is full, by count or by bytes; a page larger than
 * PAGE_CACHE_MAX_SHARE of the byte budget is never kept. A page is an immutable, reference-counted
 * blob, so the lock is held only to find it, never while copying it.
 *
 * Single flight: a miss through page_cache_get_or_wait records a flight
 * for (key, version) while its request renders; other misses of the same
 * (key, version) wait on the cache's condition variable until a put or an
 * abandon ends the flight, or their wait runs out. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/cache.h"
#include "util/metrics.h"

struct blob {
	int refs; /* atomic; the entry holds one reference */
	size_t len;
	char data[];
};

struct entry {
	char *key;	     /* malloc'd; NULL: free slot */
	int64_t version;
	uint64_t used;	     /* tick of the last hit, for LRU */
	struct blob *blob;
	uint32_t hash;	     /* of key */
	int next;	     /* the next entry of its bucket; -1: none */
};

/* how a flight stands: its waiters read this when they wake */
enum {
	FLIGHT_RENDERING, /* live: misses of (key, version) wait on it */
	FLIGHT_STORED,	  /* put and kept: look again */
	FLIGHT_ABANDONED, /* no page: one waiter claims the render */
	FLIGHT_LET_GO,	  /* put but not kept (too big): all render */
	FLIGHT_STUCK,	  /* a waiter timed out: no longer waited on */
};

/* a render in progress: (key, version) claimed by one request. An ended
 * flight stays listed (not live) until its last waiter has woken. */
struct flight {
	char *key;
	int64_t version;
	int state;
	int waiters;
	struct flight *next;
};

struct page_cache {
	pthread_mutex_t lock;
	pthread_cond_t done; /* broadcast when a flight ends */
	struct flight *flights;
	long wait_ms;
	uint64_t tick;
	size_t n;
	size_t max_bytes; /* 0: no limit */
	size_t bytes;	  /* the blobs' lengths, keys included */
	struct entry *e;
	int *bucket;	  /* nbuckets heads of entry chains; -1: empty */
	size_t nbuckets;  /* a power of two, at least 2n */
};

static uint32_t key_hash(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* index_find: the entry holding key, or NULL. Under c->lock. */
static struct entry *index_find(struct page_cache *c, const char *key,
				uint32_t h)
{
	for (int i = c->bucket[h & (c->nbuckets - 1)]; i >= 0;
	     i = c->e[i].next)
		if (c->e[i].hash == h && !strcmp(c->e[i].key, key))
			return &c->e[i];
	return NULL;
}

/* index_link and index_unlink add an entry with a key to its bucket and
 * take it out. Under c->lock. */
static void index_link(struct page_cache *c, struct entry *e)
{
	int *head = &c->bucket[e->hash & (c->nbuckets - 1)];

	e->next = *head;
	*head = (int)(e - c->e);
}

static void index_unlink(struct page_cache *c, struct entry *e)
{
	int *p = &c->bucket[e->hash & (c->nbuckets - 1)];
	int me = (int)(e - c->e);

	while (*p >= 0 && *p != me)
		p = &c->e[*p].next;
	if (*p == me)
		*p = e->next;
	e->next = -1;
}

static int cond_init_monotonic(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	int rc;

	if (pthread_condattr_init(&a))
		return -1;
	rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC) ||
	     pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
	return rc ? -1 : 0;
}

struct page_cache *page_cache_new(size_t max_entries, size_t max_bytes)
{
	struct page_cache *c;

	if (max_entries == 0)
		max_entries = 1;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (max_entries > (size_t)1 << 28)
		max_entries = (size_t)1 << 28;
	c->nbuckets = 2;
	while (c->nbuckets < 2 * max_entries)
		c->nbuckets *= 2;
	c->e = calloc(max_entries, sizeof *c->e);
	c->bucket = malloc(c->nbuckets * sizeof *c->bucket);
	if (!c->e || !c->bucket || pthread_mutex_init(&c->lock, NULL)) {
		free(c->e);
		free(c->bucket);
		free(c);
		return NULL;
	}
	if (cond_init_monotonic(&c->done)) {
		pthread_mutex_destroy(&c->lock);
		free(c->e);
		free(c->bucket);
		free(c);
		return NULL;
	}
	for (size_t i = 0; i < c->nbuckets; i++)
		c->bucket[i] = -1;
	for (size_t i = 0; i < max_entries; i++)
		c->e[i].next = -1;
	c->wait_ms = PAGE_CACHE_WAIT_MS;
	c->n = max_entries;
	c->max_bytes = max_bytes;
	return c;
}

static void blob_unref(struct blob *b)
{
	if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(b);
}

void page_cache_free(struct page_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		blob_unref(c->e[i].blob);
		free(c->e[i].key);
	}
	while (c->flights) {
		struct flight *f = c->flights;

		c->flights = f->next;
		free(f->key);
		free(f);
	}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c->e);
	free(c->bucket);
	free(c);
}

/* find_locked returns a reference to the page of exactly (key, version),
 * or NULL. Under c->lock. */
static struct blob *find_locked(struct page_cache *c, const char *key,
				int64_t version)
{
	struct entry *e = index_find(c, key, key_hash(key));

	if (!e || e->version != version || !e->blob)
		return NULL;
	e->used = ++c->tick;
	__atomic_add_fetch(&e->blob->refs, 1, __ATOMIC_ACQ_REL);
	return e->blob;
}

/* copy_out appends b to out and drops the reference; 1 when it did. */
static int copy_out(struct blob *b, struct buf *out)
{
	int ok;

	if (!b)
		return 0;
	ok = buf_append(out, b->data, b->len) == 0;
	blob_unref(b);
	return ok;
}

int page_cache_get(struct page_cache *c, const char *key, int64_t version,
		   struct buf *out)
{
	struct blob *b;

	if (!c || !key)
		return 0;
	pthread_mutex_lock(&c->lock);
	b = find_locked(c, key, version);
	pthread_mutex_unlock(&c->lock);
	return copy_out(b, out);
}

/* flight_find: the live (still rendering) flight of exactly (key,
 * version), or NULL. Under c->lock. */
static struct flight *flight_find(struct page_cache *c, const char *key,
				  int64_t version)
{
	for (struct flight *f = c->flights; f; f = f->next)
		if (f->state == FLIGHT_RENDERING && f->version == version &&
		    !strcmp(f->key, key))
			return f;
	return NULL;
}

/* flight_end sets how f ended and frees it unless waiters still hold it
 * (then the last of them does). Under c->lock. */
static void flight_end(struct page_cache *c, struct flight *f, int state)
{
	f->state = state;
	if (f->waiters)
		return;
	for (struct flight **p = &c->flights; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			break;
		}
	free(f->key);
	free(f);
}

void page_cache_set_wait(struct page_cache *c, long wait_ms)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->wait_ms = wait_ms < 0 ? 0 : wait_ms;
	pthread_mutex_unlock(&c->lock);
}

int page_cache_get_or_wait(struct page_cache *c, const char *key,
			   int64_t version, struct buf *out)
{
	struct blob *b = NULL;
	struct timespec deadline;
	struct flight *f;

	if (!c || !key)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	pthread_mutex_lock(&c->lock);
	deadline.tv_sec += c->wait_ms / 1000;
	deadline.tv_nsec += (c->wait_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (;;) {
		int timed_out, state;

		if ((b = find_locked(c, key, version)))
			break;
		if (!(f = flight_find(c, key, version))) {
			/* nobody renders it: claim it (without memory, render
			 * unclaimed) */
			f = calloc(1, sizeof *f);
			if (f && !(f->key = strdup(key))) {
				free(f);
				f = NULL;
			}
			if (f) {
				f->version = version;
				f->next = c->flights;
				c->flights = f;
			}
			break;
		}
		f->waiters++;
		timed_out = pthread_cond_timedwait(&c->done, &c->lock,
						   &deadline) == ETIMEDOUT;
		f->waiters--;
		state = f->state;
		if (timed_out && state == FLIGHT_RENDERING) {
			/* stuck or slow: render too, and let later misses
			 * claim afresh instead of waiting on it */
			if ((b = find_locked(c, key, version)))
				break;
			flight_end(c, f, FLIGHT_STUCK);
			break;
		}
		if (state != FLIGHT_RENDERING && !f->waiters)
			flight_end(c, f, state); /* the last waiter frees it */
		if (state == FLIGHT_LET_GO || state == FLIGHT_STUCK) {
			/* its page was not kept: every waiter renders now
			 * rather than one after another */
			b = find_locked(c, key, version);
			break;
		}
		if (timed_out) {
			b = find_locked(c, key, version);
			break;
		}
		/* put (look again) or abandoned (one waiter claims) */
	}
	pthread_mutex_unlock(&c->lock);
	metrics_count(b ? METRIC_CACHE_HIT : METRIC_CACHE_MISS);
	return copy_out(b, out);
}

/* flights_end ends the live flights of key at version (up to version
 * when up_to) as state, and wakes the waiters. */
static void flights_end(struct page_cache *c, const char *key,
			int64_t version, int up_to, int state)
{
	struct flight *f, *next;
	int ended = 0;

	pthread_mutex_lock(&c->lock);
	for (f = c->flights; f; f = next) {
		next = f->next;
		if (f->state == FLIGHT_RENDERING && !strcmp(f->key, key) &&
		    (up_to ? f->version <= version : f->version == version)) {
			/* a waiter for an older version finds no page of
			 * its own: it renders rather than queue */
			flight_end(c, f,
				   f->version == version ? state
							 : FLIGHT_LET_GO);
			ended = 1;
		}
	}
	if (ended)
		pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
}

void page_cache_abandon(struct page_cache *c, const char *key,
			int64_t version)
{
	if (c && key)
		flights_end(c, key, version, 0, FLIGHT_ABANDONED);
}

static size_t entry_bytes(const struct entry *e)
{
	return e->key && e->blob ? e->blob->len + strlen(e->key) : 0;
}

/* evict_lru empties the least recently used entry other than keep.
 * Returns 0 when there was none. Under c->lock (a blob being copied by a
 * reader holds its own reference and outlives this). */
static int evict_lru(struct page_cache *c, const struct entry *keep)
{
	struct entry *lru = NULL;

	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];

		if (e != keep && e->key && (!lru || e->used < lru->used))
			lru = e;
	}
	if (!lru)
		return 0;
	c->bytes -= entry_bytes(lru);
	index_unlink(c, lru);
	blob_unref(lru->blob);
	free(lru->key);
	memset(lru, 0, sizeof *lru);
	lru->next = -1;
	return 1;
}

size_t page_cache_bytes(struct page_cache *c)
{
	size_t n;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	n = c->bytes;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* store_page keeps a copy of the page; 0 when it did not (too big, out
 * of memory, or a newer version is kept: a waiter for this one must then
 * render it). */
static int store_page(struct page_cache *c, const char *key,
		      int64_t version, const char *data, size_t len)
{
	struct blob *b, *old = NULL;
	struct entry *slot;
	char *k, *oldkey = NULL;
	uint32_t h = key_hash(key);

	if (c->max_bytes &&
	    len + strlen(key) > c->max_bytes / PAGE_CACHE_MAX_SHARE)
		return 0; /* one page may not push out the whole cache */
	b = malloc(sizeof *b + len);
	k = strdup(key);
	if (!b || !k) {
		free(b);
		free(k);
		return 0;
	}
	b->refs = 1;
	b->len = len;
	if (len) /* an empty value (data may be NULL) is a value too */
		memcpy(b->data, data, len);
	pthread_mutex_lock(&c->lock);
	if (!(slot = index_find(c, key, h)))
		for (size_t i = 0; i < c->n; i++) {
			struct entry *e = &c->e[i];
			if (!slot || e->used < slot->used)
				slot = e; /* a free slot has used 0: taken
					   * first */
		}
	if (slot->key && !strcmp(slot->key, key) && slot->version > version) {
		/* a newer page got here first; keep it */
		pthread_mutex_unlock(&c->lock);
		free(b);
		free(k);
		return 0;
	}
	c->bytes -= entry_bytes(slot);
	old = slot->blob;
	oldkey = slot->key;
	if (oldkey)
		index_unlink(c, slot);
	slot->key = k;
	slot->hash = h;
	index_link(c, slot);
	slot->version = version;
	slot->used = ++c->tick;
	slot->blob = b;
	c->bytes += entry_bytes(slot);
	while (c->max_bytes && c->bytes > c->max_bytes && evict_lru(c, slot))
		;
	pthread_mutex_unlock(&c->lock);
	blob_unref(old);
	free(oldkey);
	return 1;
}

void page_cache_put(struct page_cache *c, const char *key, int64_t version,
		    const char *data, size_t len)
{
	if (!c || !key)
		return;
	/* after the page is in: a woken waiter finds it */
	flights_end(c, key, version, 1,
		    store_page(c, key, version, data, len) ? FLIGHT_STORED
							   : FLIGHT_LET_GO);
}
