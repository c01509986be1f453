/* cache.c: rendered answers keyed by (string key, version).
 *
 * The review page is the hot path: a request checks the review's version
 * in the store (one indexed read) and, when the page for that version is
 * here, copies its bytes into the response without touching the rest of
 * the store or cmark. One entry per key; the least recently used entries
 * go when the cache is full, by count or by bytes; a page larger than
 * PAGE_CACHE_MAX_SHARE of the byte budget is never kept. A page is an immutable, reference-counted
 * blob, so the lock is held only to find it, never while copying it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
};

struct page_cache {
	pthread_mutex_t lock;
	uint64_t tick;
	size_t n;
	size_t max_bytes; /* 0: no limit */
	size_t bytes;	  /* the blobs' lengths, keys included */
	struct entry *e;
};

struct page_cache *page_cache_new(size_t max_entries, size_t max_bytes)
{
	struct page_cache *c;

	if (max_entries == 0)
		max_entries = 1;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->e = calloc(max_entries, sizeof *c->e);
	if (!c->e || pthread_mutex_init(&c->lock, NULL)) {
		free(c->e);
		free(c);
		return NULL;
	}
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
	pthread_mutex_destroy(&c->lock);
	free(c->e);
	free(c);
}

int page_cache_get(struct page_cache *c, const char *key, int64_t version,
		   struct buf *out)
{
	struct blob *b = NULL;
	int ok;

	if (!c || !key)
		return 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];
		if (e->key && e->version == version && e->blob &&
		    !strcmp(e->key, key)) {
			e->used = ++c->tick;
			b = e->blob;
			__atomic_add_fetch(&b->refs, 1, __ATOMIC_ACQ_REL);
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	metrics_count(b ? METRIC_CACHE_HIT : METRIC_CACHE_MISS);
	if (!b)
		return 0;
	ok = buf_append(out, b->data, b->len) == 0;
	blob_unref(b);
	return ok;
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
	blob_unref(lru->blob);
	free(lru->key);
	memset(lru, 0, sizeof *lru);
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

void page_cache_put(struct page_cache *c, const char *key, int64_t version,
		    const char *data, size_t len)
{
	struct blob *b, *old = NULL;
	struct entry *slot = NULL;
	char *k, *oldkey = NULL;

	if (!c || !key)
		return;
	if (c->max_bytes &&
	    len + strlen(key) > c->max_bytes / PAGE_CACHE_MAX_SHARE)
		return; /* one page may not push out the whole cache */
	b = malloc(sizeof *b + len);
	k = strdup(key);
	if (!b || !k) {
		free(b);
		free(k);
		return;
	}
	b->refs = 1;
	b->len = len;
	memcpy(b->data, data, len);
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];
		if (e->key && !strcmp(e->key, key)) {
			slot = e;
			break;
		}
		if (!slot || e->used < slot->used)
			slot = e; /* a free slot has used 0: taken first */
	}
	if (slot->key && !strcmp(slot->key, key) && slot->version > version) {
		/* a newer page got here first; keep it */
		pthread_mutex_unlock(&c->lock);
		free(b);
		free(k);
		return;
	}
	c->bytes -= entry_bytes(slot);
	old = slot->blob;
	oldkey = slot->key;
	slot->key = k;
	slot->version = version;
	slot->used = ++c->tick;
	slot->blob = b;
	c->bytes += entry_bytes(slot);
	while (c->max_bytes && c->bytes > c->max_bytes && evict_lru(c, slot))
		;
	pthread_mutex_unlock(&c->lock);
	blob_unref(old);
	free(oldkey);
}
