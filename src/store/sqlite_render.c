/* sqlite_render.c: stored renders of review pages and of their JSON
 * (store.h, issue 21): reads by (review, kind, version, tag), and writes batched by one background
 * thread so that the request that rendered a page never waits for the
 * database's write lock. The table (migration 016) stays within a byte
 * budget by deleting the rows stored first. The same thread writes the
 * stored related reviews of review pages (issue 17, migrations 026 and
 * 031's review_related), which serve by the freshness rule of store.h
 * (the review's version, and the generation or a bounded age).
 *
 * The renders are stored in the zlib format (RFC 1950). libdeflate writes
 * and reads them: its whole-buffer inflate takes about half of zlib's
 * time, and a page read from its stored render spent 44% of its CPU in
 * zlib's. Rows written by zlib's compress2 read the same. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>

#include "store/sqlite_internal.h"
#include "util/log.h"

/* Bytes of renders waiting for the writer; puts past it are dropped. */
#define RENDER_QUEUE_MAX (8u * 1024 * 1024)
/* How long the writer lets puts gather before one transaction, and how
 * many one transaction writes at most (it holds the write turn: saves
 * wait behind it). */
#define RENDER_BATCH_MS	 20
#define RENDER_BATCH_MAX 32
/* libdeflate's level for the stored renders (1-12): see README, issue 21,
 * for the sizes and the writer's CPU at each. */
#define RENDER_DEFLATE_LEVEL 1

struct pending {
	struct pending *next;
	int related;	 /* a related-reviews fragment: tag is the key */
	enum render_kind kind; /* of a render (not related) */
	int64_t id, version;
	int64_t generation, at; /* related: computed at them */
	uint64_t seq; /* its place among the puts */
	char *tag;
	char *html;
	size_t len;
	unsigned char *z; /* html deflated (write_batch), or NULL */
	size_t zlen;
};

struct render_queue {
	pthread_mutex_t mu;
	pthread_cond_t more; /* puts queued, a flush asked, or stop */
	pthread_cond_t done; /* a batch was written */
	pthread_t thread;
	int started, stop, flushing;
	struct pending *head, *tail;
	size_t queued;		 /* bytes in the queue */
	uint64_t put_seq;	 /* puts queued so far */
	uint64_t done_seq;	 /* of them, written or dropped */
	size_t max_bytes;	 /* the budget: bytes stored (deflated) */
	size_t floor, per_review; /* per_review > 0: the budget is that a
				   * live review, at least floor */
	int64_t stored;		 /* bytes in the table; -1: not read yet */
};

static struct render_queue *queue(struct store *st)
{
	struct render_queue *q;

	pthread_mutex_lock(&st->mu);
	q = st->renders;
	if (!q && (q = calloc(1, sizeof *q))) {
		pthread_mutex_init(&q->mu, NULL);
		pthread_cond_init(&q->more, NULL);
		pthread_cond_init(&q->done, NULL);
		q->max_bytes = STORE_RENDER_BYTES;
		q->stored = -1;
		st->renders = q;
	}
	pthread_mutex_unlock(&st->mu);
	return q;
}

static void pending_free(struct pending *p)
{
	while (p) {
		struct pending *next = p->next;

		free(p->tag);
		free(p->html);
		free(p->z);
		free(p);
		p = next;
	}
}

/* Each thread's decompressor (libdeflate's holds its decode tables):
 * made at its first stored read, freed when the thread ends. */
static pthread_key_t inflater_key;
static pthread_once_t inflater_once = PTHREAD_ONCE_INIT;
static int inflater_ok;

static void inflater_free(void *d)
{
	libdeflate_free_decompressor(d);
}

static void inflater_init(void)
{
	inflater_ok = pthread_key_create(&inflater_key, inflater_free) == 0;
}

/* inflate_render inflates the stored render z (zn bytes) into dst, which
 * holds exactly n bytes; 0 when z is damaged (or does not inflate to n
 * bytes exactly) or no decompressor could be made. */
static int inflate_render(const void *z, size_t zn, char *dst, size_t n)
{
	struct libdeflate_decompressor *d;
	size_t got = 0;

	pthread_once(&inflater_once, inflater_init);
	if (!inflater_ok || !z)
		return 0;
	d = pthread_getspecific(inflater_key);
	if (!d) {
		if (!(d = libdeflate_alloc_decompressor()))
			return 0;
		if (pthread_setspecific(inflater_key, d) != 0) {
			libdeflate_free_decompressor(d);
			return 0;
		}
	}
	return libdeflate_zlib_decompress(d, z, zn, dst, n, &got) ==
		       LIBDEFLATE_SUCCESS &&
	       got == n;
}

enum err_code store_render_get(struct store *st, enum render_kind kind,
			       int64_t id, int64_t version, const char *tag,
			       struct buf *out, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_NOT_FOUND;
	int step;

	ERR_LOCAL(e);
	c = conn_get(st, e);
	if (!c)
		return e->code;
	s = conn_stmt(c,
		      "SELECT size, html FROM review_renders WHERE review_id "
		      "= ?1 AND kind = ?4 AND version = ?2 AND tag = ?3",
		      e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, version);
	db_bind_text(s, 3, tag, -1, DB_STATIC);
	db_bind_int(s, 4, (int)kind);
	step = db_step(s);
	if (step == DB_ROW) {
		int64_t size = db_column_int64(s, 0);
		const void *z = db_column_blob(s, 1);
		/* room for one byte at least: an empty render is one too */
		char *dst = size >= 0 && (uint64_t)size < SIZE_MAX
				    ? buf_reserve(out, (size_t)size + 1)
				    : NULL;

		if (!dst) {
			rc = size < 0 ? E_NOT_FOUND /* damaged */
				      : err_set(e, E_NOMEM, NULL,
						"out of memory");
		} else if (inflate_render(z, (size_t)db_column_bytes(s, 1), dst,
					  (size_t)size)) {
			buf_commit(out, (size_t)size);
			rc = E_OK;
		} /* else a damaged row: render again (the put replaces it) */
	} else if (step != DB_DONE) {
		rc = db_err(c, e, "render");
	}
	conn_done(c, s);
	conn_put(c);
	return rc;
}

/* stored_size reads the bytes of review id's stored render of kind (0:
 * none; -1 when it could not be read, said in e). */
static int64_t stored_size(struct conn *c, int64_t id, enum render_kind kind,
			   struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				      "SELECT length(html) FROM review_renders "
				      "WHERE review_id = ?1 AND kind = ?2",
				      e);
	int64_t n = 0;
	int step;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int(s, 2, (int)kind);
	step = db_step(s);
	if (step == DB_ROW)
		n = db_column_int64(s, 0);
	else if (step != DB_DONE) {
		db_err(c, e, "review_renders");
		n = -1;
	}
	conn_done(c, s);
	return n;
}

/* size_by_reviews sets a budget by reviews from the live reviews now. */
static enum err_code size_by_reviews(struct conn *c, struct render_queue *q,
				     struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				      "SELECT coalesce(sum(reviews), 0) FROM "
				      "review_counts WHERE deleted = 0",
				      e);
	int64_t live = 0;
	int step;

	if (!s)
		return e->code;
	step = db_step(s);
	if (step == DB_ROW)
		live = db_column_int64(s, 0);
	conn_done(c, s);
	if (step != DB_ROW)
		return db_err(c, e, "review_counts");
	q->max_bytes = store_render_budget(q->floor, q->per_review, live);
	return E_OK;
}

size_t store_render_budget(size_t floor, size_t per_review, int64_t live)
{
	if (live > 0 && per_review &&
	    (uint64_t)live > (SIZE_MAX - 1) / per_review)
		return SIZE_MAX - 1;
	if (live > 0 && (size_t)live * per_review > floor)
		return (size_t)live * per_review;
	return floor;
}

/* evict deletes the renders stored first until q->stored fits the budget
 * (a budget by reviews counted again first: reviews may have come). */
static enum err_code evict(struct conn *c, struct render_queue *q,
			   struct err *e)
{
	if (q->per_review && q->stored > (int64_t)q->max_bytes &&
	    size_by_reviews(c, q, e) != E_OK)
		return e->code;
	while (q->stored > (int64_t)q->max_bytes) {
		struct db_stmt *s = conn_stmt(c,
					    "SELECT seq, length(html) FROM "
					    "review_renders ORDER BY seq "
					    "LIMIT 1",
					    e);
		int64_t seq, size;

		if (!s)
			return e->code;
		if (db_step(s) != DB_ROW) { /* empty: count anew */
			conn_done(c, s);
			q->stored = 0;
			return E_OK;
		}
		seq = db_column_int64(s, 0);
		size = db_column_int64(s, 1);
		conn_done(c, s);
		s = conn_stmt(c, "DELETE FROM review_renders WHERE seq = ?1",
			      e);
		if (!s)
			return e->code;
		db_bind_int64(s, 1, seq);
		if (db_step(s) != DB_DONE) {
			conn_done(c, s);
			return db_err(c, e, "render evict");
		}
		conn_done(c, s);
		q->stored -= size;
	}
	return E_OK;
}

/* put_one stores one deflated render when its version is still the
 * review's, replacing the review's older one of its kind. */
static enum err_code put_one(struct conn *c, struct render_queue *q,
			     const struct pending *p, struct err *e)
{
	const void *z = p->z;
	size_t zlen = p->zlen;
	int64_t old = stored_size(c, p->id, p->kind, e);
	struct db_stmt *s;
	int step;

	if (old < 0)
		return e->code;
	/* replace: the older row goes, and the new one takes the next seq
	 * (the newest in eviction order) */
	s = conn_stmt(c,
		      "DELETE FROM review_renders WHERE review_id = ?1 AND "
		      "kind = ?3 AND EXISTS (SELECT 1 FROM reviews WHERE id = "
		      "?1 AND version = ?2)",
		      e);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, p->id);
	db_bind_int64(s, 2, p->version);
	db_bind_int(s, 3, (int)p->kind);
	step = db_step(s);
	conn_done(c, s);
	if (step != DB_DONE)
		return db_err(c, e, "render put");
	s = conn_stmt(c,
		      "INSERT INTO review_renders (review_id, kind, version, "
		      "tag, size, html) SELECT ?1, ?6, ?2, ?3, ?4, ?5 WHERE "
		      "EXISTS (SELECT 1 FROM reviews WHERE id = ?1 AND version "
		      "= ?2)",
		      e);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, p->id);
	db_bind_int64(s, 2, p->version);
	db_bind_text(s, 3, p->tag, -1, DB_STATIC);
	db_bind_int64(s, 4, (int64_t)p->len);
	db_bind_blob(s, 5, z, (int)zlen, DB_STATIC);
	db_bind_int(s, 6, (int)p->kind);
	step = db_step(s);
	if (step == DB_DONE && db_changes(c->db) > 0)
		q->stored += (int64_t)zlen - old;
	conn_done(c, s);
	return step == DB_DONE ? E_OK : db_err(c, e, "render put");
}

/* put_related stores one related-reviews fragment while its version is
 * still its review's, replacing the one of its review and key. */
static enum err_code put_related(struct conn *c, const struct pending *p,
				 struct err *e)
{
	struct db_stmt *s;
	int step;

	s = conn_stmt(c,
		      "DELETE FROM review_related WHERE review_id = ?1 AND "
		      "viewer = ?2",
		      e);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, p->id);
	db_bind_text(s, 2, p->tag, -1, DB_STATIC);
	step = db_step(s);
	conn_done(c, s);
	if (step != DB_DONE)
		return db_err(c, e, "related put");
	s = conn_stmt(c,
		      "INSERT INTO review_related (review_id, viewer, version, "
		      "generation, computed_at, fragment) SELECT ?1, ?2, ?3, "
		      "?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM reviews WHERE id "
		      "= ?1 AND version = ?3)",
		      e);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, p->id);
	db_bind_text(s, 2, p->tag, -1, DB_STATIC);
	db_bind_int64(s, 3, p->version);
	db_bind_int64(s, 4, p->generation);
	db_bind_int64(s, 5, p->at);
	db_bind_blob(s, 6, p->html, (int)p->len, DB_STATIC);
	step = db_step(s);
	conn_done(c, s);
	return step == DB_DONE ? E_OK : db_err(c, e, "related put");
}

/* expire_related deletes the related fragments that no longer serve at
 * the batch's newest time: past the age limit, of an older generation.
 * Bounded by the age index; a fragment of the current generation stays,
 * however old. */
static enum err_code expire_related(struct conn *c, int64_t now,
				    struct err *e)
{
	struct db_stmt *s = conn_stmt(
		c,
		"DELETE FROM review_related WHERE computed_at < ?1 AND "
		"generation < (SELECT value FROM generation WHERE id = 1)",
		e);
	int step;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, now - STORE_RELATED_MAX_AGE);
	step = db_step(s);
	conn_done(c, s);
	return step == DB_DONE ? E_OK : db_err(c, e, "related expire");
}

/* write_batch deflates the batch, then stores it in one transaction, so
 * that the write turn is held for the inserts only. The renders are
 * derived data, so the commit does not wait for the disk (synchronous =
 * NORMAL: WAL stays consistent; a crash may lose them). */
static void write_batch(struct store *st, struct render_queue *q,
			struct libdeflate_compressor *deflater,
			struct pending *list)
{
	struct conn *c;
	struct err e;
	int64_t related_at = -1; /* the newest related put's time */

	err_clear(&e);
	if (!q->max_bytes)
		return;
	for (struct pending *p = list; p; p = p->next) {
		size_t zlen;

		if (p->related) {
			if (p->at > related_at)
				related_at = p->at;
			continue;
		}
		if (!deflater) /* none made (out of memory): renders wait */
			continue;
		zlen = libdeflate_zlib_compress_bound(deflater, p->len);
		if (zlen > q->max_bytes || !(p->z = malloc(zlen)))
			continue;
		if (!(p->zlen = libdeflate_zlib_compress(deflater, p->html,
							 p->len, p->z, zlen))) {
			free(p->z);
			p->z = NULL;
		}
	}
	if (!(c = conn_get(st, &e)))
		return;
	if (q->stored < 0) { /* once, outside the write: reads every row */
		struct db_stmt *s = conn_stmt(
			c,
			"SELECT coalesce(sum(length(html)), 0) FROM "
			"review_renders",
			&e);

		if (!s)
			goto out;
		q->stored = db_step(s) == DB_ROW
				    ? db_column_int64(s, 0)
				    : 0;
		conn_done(c, s);
	}
	if (db_kind(c->db) == DB_SQLITE)
		db_exec(c->db, "PRAGMA synchronous = NORMAL");
	if (tx_begin(c, 1, &e) != E_OK)
		goto fail;
	for (struct pending *p = list; p; p = p->next)
		if (p->related ? put_related(c, p, &e) != E_OK
			       : p->z && put_one(c, q, p, &e) != E_OK)
			goto fail;
	if (related_at >= 0 && expire_related(c, related_at, &e) != E_OK)
		goto fail;
	if (evict(c, q, &e) != E_OK || tx_commit(c, &e) != E_OK)
		goto fail;
	goto out;
fail:
	tx_rollback(c);
	q->stored = -1; /* count anew next time */
	log_warn("render store: %s", e.message);
out:
	if (db_kind(c->db) == DB_SQLITE)
		db_exec(c->db, st->bulk ? "PRAGMA synchronous = OFF"
				      : "PRAGMA synchronous = FULL");
	conn_put(c);
}

static void *writer(void *arg)
{
	struct store *st = arg;
	struct render_queue *q = st->renders;
	/* the writer's own, for every batch (NULL: out of memory, the puts
	 * are dropped) */
	struct libdeflate_compressor *deflater =
		libdeflate_alloc_compressor(RENDER_DEFLATE_LEVEL);

	pthread_mutex_lock(&q->mu);
	for (;;) {
		struct pending *list, *last;
		int n = 1;

		while (!q->head && !q->stop)
			pthread_cond_wait(&q->more, &q->mu);
		if (!q->head)
			break;
		if (!q->stop && !q->flushing) { /* let puts gather */
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += RENDER_BATCH_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L)
				until.tv_sec++, until.tv_nsec -= 1000000000L;
			pthread_cond_timedwait(&q->more, &q->mu, &until);
		}
		list = last = q->head;
		q->queued -= last->len;
		while (last->next && n < RENDER_BATCH_MAX) {
			last = last->next, n++;
			q->queued -= last->len;
		}
		q->head = last->next;
		if (!q->head)
			q->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&q->mu);
		write_batch(st, q, deflater, list);
		pthread_mutex_lock(&q->mu);
		q->done_seq = last->seq;
		pending_free(list);
		pthread_cond_broadcast(&q->done);
	}
	q->done_seq = q->put_seq;
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->mu);
	libdeflate_free_compressor(deflater);
	return NULL;
}

/* enqueue queues a put: a render, or a related-reviews fragment (p_in
 * gives related, the render's kind, and a fragment's generation and
 * time). */
static void enqueue(struct store *st, const struct pending *p_in, int64_t id,
		    int64_t version, const char *tag, const char *html,
		    size_t len)
{
	struct render_queue *q = queue(st);
	struct pending *p;

	if (!q || !q->max_bytes || len > q->max_bytes)
		return;
	p = calloc(1, sizeof *p);
	if (!p)
		return;
	p->related = p_in->related;
	p->kind = p_in->kind;
	p->generation = p_in->generation, p->at = p_in->at;
	p->id = id, p->version = version, p->len = len;
	p->tag = strdup(tag);
	p->html = malloc(len ? len : 1);
	if (!p->tag || !p->html) {
		pending_free(p);
		return;
	}
	if (len)
		memcpy(p->html, html, len);
	pthread_mutex_lock(&q->mu);
	if (q->stop || q->queued + len > RENDER_QUEUE_MAX ||
	    (!q->started &&
	     pthread_create(&q->thread, NULL, writer, st) != 0)) {
		pthread_mutex_unlock(&q->mu);
		pending_free(p);
		return;
	}
	q->started = 1;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->queued += len;
	p->seq = ++q->put_seq;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
}

void store_render_put(struct store *st, enum render_kind kind, int64_t id,
		      int64_t version, const char *tag, const char *html,
		      size_t len)
{
	struct pending put = {0};

	put.kind = kind;
	enqueue(st, &put, id, version, tag, html, len);
}

void store_related_put(struct store *st, int64_t id, const char *key,
		       int64_t version, int64_t generation, int64_t now,
		       const char *frag, size_t len)
{
	struct pending put = {0};

	put.related = 1;
	put.kind = RENDER_PAGE;
	put.generation = generation;
	put.at = now;
	enqueue(st, &put, id, version, key, frag, len);
}

enum err_code store_related_get(struct store *st, int64_t id, const char *key,
				int64_t version, int64_t generation,
				int64_t now, struct buf *out, int64_t *at,
				struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_NOT_FOUND;
	int step;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	/* the freshness rule of store.h */
	s = conn_stmt(c,
		      "SELECT fragment, generation FROM review_related WHERE "
		      "review_id = ?1 AND viewer = ?2 AND version = ?3 AND "
		      "(generation = ?4 OR computed_at >= ?5)",
		      e);
	if (!s) {
		conn_put(c);
		return e->code;
	}
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, key, -1, DB_STATIC);
	db_bind_int64(s, 3, version);
	db_bind_int64(s, 4, generation);
	db_bind_int64(s, 5, now - STORE_RELATED_MAX_AGE);
	step = db_step(s);
	if (step == DB_ROW) {
		int n = db_column_bytes(s, 0);
		const void *v = db_column_blob(s, 0);

		buf_append(out, n > 0 ? v : "", n > 0 ? (size_t)n : 0);
		if (at)
			*at = db_column_int64(s, 1);
		rc = out->oom ? err_set(e, E_NOMEM, NULL, "out of memory")
			      : E_OK;
	} else if (step != DB_DONE) {
		rc = db_err(c, e, "related");
	}
	conn_done(c, s);
	conn_put(c);
	return rc;
}

void store_render_flush(struct store *st)
{
	struct render_queue *q = st->renders;
	uint64_t target;

	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	target = q->put_seq;
	q->flushing++;
	pthread_cond_signal(&q->more);
	while (q->started && q->done_seq < target)
		pthread_cond_wait(&q->done, &q->mu);
	q->flushing--;
	pthread_mutex_unlock(&q->mu);
}

void store_render_limit(struct store *st, size_t max_bytes)
{
	struct render_queue *q = queue(st);

	if (q)
		q->max_bytes = max_bytes, q->per_review = 0;
}

void store_render_limit_by_reviews(struct store *st, size_t floor,
				   size_t per_review)
{
	struct render_queue *q = queue(st);

	if (q) {
		q->floor = floor, q->per_review = per_review;
		q->max_bytes = floor; /* until the first count (evict) */
	}
}

/* render_queue_close writes what is queued, stops the writer and frees
 * the queue (store_close, before the connections close). */
void render_queue_close(struct store *st)
{
	struct render_queue *q = st->renders;

	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
	if (q->started)
		pthread_join(q->thread, NULL);
	pending_free(q->head);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->done);
	pthread_mutex_destroy(&q->mu);
	free(q);
	st->renders = NULL;
}
