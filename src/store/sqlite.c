/* sqlite.c: the SQLite store: opening the file, migrations, the pool of
 * connections (one per concurrent caller, each with its own cache of
 * prepared statements) and transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite_internal.h"
#include "util/log.h"
#include "util/metrics.h"
#include "util/timeutil.h"
#include "util/wait.h"

#include "migrations.h"

/* PostgreSQL's advisory lock key (any number no other program uses) of
 * the migration lock that keeps two servers starting together from
 * migrating at once. (4242020001 was a write lock every write
 * transaction took; writes now lock only the rows they change, see
 * begin_write.) */
#define PG_MIGRATE_LOCK "4242020002"

enum err_code db_err(struct conn *c, struct err *e, const char *what)
{
	int rc = db_errcode(c->db);

	if (rc == DB_NOMEM)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (rc == DB_UNAVAILABLE || !db_usable(c->db)) {
		log_warn("store: %s: the database is unavailable: %s", what,
			 db_errmsg(c->db));
		return err_set(e, E_UNAVAILABLE, NULL,
			       "the database is unavailable; try again in a "
			       "moment");
	}
	if ((rc & 0xff) == DB_BUSY && db_kind(c->db) == DB_SQLITE) {
		/* another process held the lock past the busy timeout (a
		 * backup, a CLI import): nothing was written, and a retry
		 * soon may well pass (503 with Retry-After) */
		log_warn("store: %s: the database is locked: %s", what,
			 db_errmsg(c->db));
		return err_set(e, E_UNAVAILABLE, NULL,
			       "the database is busy; nothing was saved; try "
			       "again in a moment");
	}
	log_error("store: %s: %s (%d)", what, db_errmsg(c->db),
		  db_errcode(c->db));
	return err_set(e, E_STORE, NULL, "database error: %s: %s", what,
		       db_errmsg(c->db));
}

/* sql_hash hashes the length and the first and last 32 bytes of s: a
 * byte at a time through every byte of the long INSERTs of an import was
 * 1% of it; statements alike there are told apart by strcmp. */
static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	size_t n = strlen(s);

	h = (h ^ n) * 1099511628211ULL;
	for (size_t i = 0; i < n && i < 32; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	for (size_t i = n > 64 ? n - 32 : (n > 32 ? 32 : n); i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

struct db_stmt *conn_stmt(struct conn *c, const char *sql, struct err *e)
{
	uint64_t h = sql_hash(sql);
	struct stmt_entry *slot = NULL;
	struct db_stmt *s;
	char *copy;

	for (size_t i = 0; i < c->nstmts; i++) {
		struct stmt_entry *x = &c->stmts[i];
		if (x->hash == h && !x->busy && !strcmp(x->sql, sql)) {
			x->busy = 1;
			x->last_use = ++c->tick;
			return x->st;
		}
	}
	/* a new statement: take a free slot, or evict the least recently
	 * used statement that nobody holds */
	if (c->nstmts < CONN_STMTS) {
		slot = &c->stmts[c->nstmts];
	} else {
		for (size_t i = 0; i < c->nstmts; i++) {
			struct stmt_entry *x = &c->stmts[i];
			if (!x->busy && (!slot || x->last_use < slot->last_use))
				slot = x;
		}
		if (!slot) {
			err_set(e, E_STORE, NULL, "too many statements in use");
			return NULL;
		}
	}
	if (db_prepare(c->db, sql, &s) != DB_OK) {
		db_err(c, e, "prepare");
		return NULL;
	}
	copy = strdup(sql);
	if (!copy) {
		db_finalize(s);
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (slot == &c->stmts[c->nstmts]) {
		c->nstmts++;
	} else {
		db_finalize(slot->st);
		free(slot->sql);
	}
	slot->hash = h;
	slot->sql = copy;
	slot->st = s;
	slot->busy = 1;
	slot->last_use = ++c->tick;
	return s;
}

void conn_temp_store_memory(struct conn *c)
{
	if (db_kind(c->db) == DB_SQLITE)
		(void)db_exec(c->db, "PRAGMA temp_store = MEMORY");
}

void conn_done(struct conn *c, struct db_stmt *s)
{
	if (!s)
		return;
	db_reset(s);
	db_clear_bindings(s);
	for (size_t i = 0; i < c->nstmts; i++)
		if (c->stmts[i].st == s) {
			c->stmts[i].busy = 0;
			return;
		}
}

enum err_code db_read_int64(struct store *st, const char *sql,
			       const int64_t *arg, int64_t *out, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	if (!(c = conn_get(st, e)))
		return e->code;
	if (!(s = conn_stmt(c, sql, e))) {
		conn_put(c);
		return e->code;
	}
	if (arg)
		db_bind_int64(s, 1, *arg);
	step = db_step(s);
	if (step == DB_ROW)
		*out = db_column_int64(s, 0);
	else if (step == DB_DONE)
		rc = E_NOT_FOUND;
	else
		rc = db_err(c, e, "read");
	conn_done(c, s);
	conn_put(c);
	return rc;
}

/* exec_cached runs a statement without parameters or rows. */
static enum err_code exec_cached(struct conn *c, const char *sql, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, sql);
	conn_done(c, s);
	return rc;
}

/* One read transaction a request (issue 21): between store_read_begin
 * and store_read_end, the store calls of a thread share one connection
 * (pinned_conn) and one read transaction (SQLite), instead of each
 * beginning and ending its own: each cost two file locks (fcntl) and the
 * WAL's read mark. The reads see one snapshot; a write of the thread ends
 * it first (pin_read_end), so that what the thread reads after its write
 * shows the write. PostgreSQL: no pin (its reads already share
 * pipelines). */
static __thread struct conn *pinned_conn;
static __thread int pin_depth; /* store_read_begin calls inside it */

/* pin_read_end ends c's pinned read transaction, if any, before a write
 * (a snapshot cannot become a write transaction, and the reads after the
 * write must see it). */
static void pin_read_end(struct conn *c)
{
	struct err ignored;

	if (c->pinned && !c->write_turn && db_in_transaction(c->db))
		(void)exec_cached(c, "COMMIT", &ignored);
}

void store_read_begin(struct store *st)
{
	struct conn *c;
	struct err e;

	if (pinned_conn) {
		pin_depth += pinned_conn->st == st;
		return; /* nested: the outer one ends it */
	}
	if (db_url_is_postgres(st->path))
		return; /* no connection taken for nothing (nor a connect
			 * attempt while the database is away) */
	err_clear(&e);
	if (!(c = conn_get(st, &e)))
		return;
	if (db_kind(c->db) != DB_SQLITE) {
		conn_put(c);
		return;
	}
	c->pinned = 1;
	pinned_conn = c;
}

void store_read_end(struct store *st)
{
	struct conn *c = pinned_conn;
	struct err ignored;

	if (!c || c->st != st)
		return;
	if (pin_depth > 0) {
		pin_depth--;
		return;
	}
	pinned_conn = NULL;
	if (!c->write_turn && db_in_transaction(c->db))
		(void)exec_cached(c, "COMMIT", &ignored);
	c->pinned = 0;
	conn_put(c);
}

/* write_turn_take waits for this process's turn to write: at once when no
 * writer has it, else in line (each waiter on its own condition, so that
 * a release wakes only the next). */
static void write_turn_take(struct conn *c)
{
	struct store *st = c->st;
	struct write_waiter w = {.next = NULL, .go = 0};

	pthread_mutex_lock(&st->wmu);
	if (!st->writing) {
		st->writing = 1;
	} else {
		pthread_cond_init(&w.cv, NULL);
		if (st->wtail)
			st->wtail->next = &w;
		else
			st->whead = &w;
		st->wtail = &w;
		while (!w.go)
			pthread_cond_wait(&w.cv, &st->wmu);
		pthread_cond_destroy(&w.cv);
	}
	pthread_mutex_unlock(&st->wmu);
	c->write_turn = 1;
}

/* turn_hand_on hands the store's write turn to the next writer in line,
 * if any. */
static void turn_hand_on(struct store *st)
{
	struct write_waiter *w;

	pthread_mutex_lock(&st->wmu);
	w = st->whead;
	if (w) {
		st->whead = w->next;
		if (!st->whead)
			st->wtail = NULL;
		w->go = 1; /* writing stays set: it is w's now */
		pthread_cond_signal(&w->cv);
	} else {
		st->writing = 0;
	}
	pthread_mutex_unlock(&st->wmu);
}

/* write_turn_give gives up c's write turn, if it has it. */
static void write_turn_give(struct conn *c)
{
	if (!c->write_turn)
		return;
	c->write_turn = 0;
	turn_hand_on(c->st);
}

static double secs_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* hold_done: a write transaction ends; its hold of the lock goes to the
 * metrics. */
static void hold_done(struct conn *c)
{
	if (c->write_turn)
		metrics_time(METRIC_STORE_WRITE_HOLD, secs_since(&c->hold_start));
}

/* begin_write opens a write transaction. SQLite: holding the file's
 * write lock (BEGIN IMMEDIATE), one writer at a time. PostgreSQL: a plain
 * transaction; writers on every server run at once and lock only what
 * they change: a write to a review locks its row first (review_load_live,
 * SELECT ... FOR UPDATE), so that its version check holds until commit
 * (the 409 rule across servers); counts are upserts (row locks); ids come
 * from sequences; unique indexes decide names; the generation is bumped
 * at commit (pg/030). A deadlock between two writes ends one of them,
 * which tx_write runs again (run_one). */
static enum err_code begin_write(struct conn *c, struct err *e)
{
	return exec_cached(c, db_kind(c->db) == DB_SQLITE ? "BEGIN IMMEDIATE"
							   : "BEGIN",
			   e);
}

/* A transaction's time, begin (lock wait included) to commit, goes to
 * the metrics; so does every rollback, and a write's wait for the lock
 * (the write turn, then SQLite's lock against other processes). */
enum err_code tx_begin(struct conn *c, int write, struct err *e)
{
	enum err_code rc;
	struct timespec now;

	if (c->pinned && !write && db_in_transaction(c->db))
		return E_OK; /* the request's read transaction */
	clock_gettime(CLOCK_MONOTONIC, &c->tx_start);
	if (!write)
		return exec_cached(c, "BEGIN", e);
	pin_read_end(c);
	write_turn_take(c);
	rc = begin_write(c, e);
	if (rc != E_OK) {
		write_turn_give(c);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	c->hold_start = now;
	metrics_time(METRIC_STORE_WRITE_WAIT, secs_since(&c->tx_start));
	return rc;
}

enum err_code tx_begin_rows(struct conn *c, struct err *e)
{
	if (db_kind(c->db) == DB_SQLITE)
		return tx_begin(c, 1, e);
	clock_gettime(CLOCK_MONOTONIC, &c->tx_start);
	return begin_write(c, e);
}

/* A checkpoint after this many commits, or a second after the last one.
 * A PASSIVE checkpoint waits for no reader or writer. */
#define CKPT_COMMITS 64

static void *checkpointer(void *arg)
{
	struct store *st = arg;
	struct db *db = NULL;
	char msg[256];

	pthread_mutex_lock(&st->ckmu);
	while (st->ckstate == 1) {
		struct timespec until;

		if (st->ckcommits < CKPT_COMMITS) {
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&st->ckcv, &st->ckmu, &until);
		}
		if (st->ckstate != 1 || st->ckcommits == 0)
			continue;
		st->ckcommits = 0;
		pthread_mutex_unlock(&st->ckmu);
		if (db || db_open(st->path, 0, &db, msg, sizeof msg) == DB_OK)
			db_exec(db, "PRAGMA wal_checkpoint(PASSIVE)");
		pthread_mutex_lock(&st->ckmu);
	}
	pthread_mutex_unlock(&st->ckmu);
	if (db)
		db_close(db);
	return NULL;
}

/* checkpoint_note counts a commit for the checkpointer, and starts it. */
static void checkpoint_note(struct conn *c)
{
	struct store *st = c->st;

	if (db_kind(c->db) != DB_SQLITE)
		return;
	pthread_mutex_lock(&st->ckmu);
	if (st->ckstate == 0 &&
	    pthread_create(&st->ckthread, NULL, checkpointer, st) == 0)
		st->ckstate = 1;
	if (++st->ckcommits >= CKPT_COMMITS)
		pthread_cond_signal(&st->ckcv);
	pthread_mutex_unlock(&st->ckmu);
}

/* checkpoint_stop ends the checkpointer (store_close). */
static void checkpoint_stop(struct store *st)
{
	pthread_mutex_lock(&st->ckmu);
	if (st->ckstate != 1) {
		pthread_mutex_unlock(&st->ckmu);
		return;
	}
	st->ckstate = 2;
	pthread_cond_signal(&st->ckcv);
	pthread_mutex_unlock(&st->ckmu);
	pthread_join(st->ckthread, NULL);
}

enum err_code tx_commit(struct conn *c, struct err *e)
{
	enum err_code rc;
	int wrote = c->write_turn;

	if (c->pinned && !wrote)
		return E_OK; /* the request's read transaction goes on */
	rc = exec_cached(c, "COMMIT", e);
	if (rc != E_OK) {
		tx_rollback(c);
		return rc;
	}
	hold_done(c);
	write_turn_give(c);
	if (wrote)
		checkpoint_note(c);
	metrics_time(METRIC_STORE_TX, secs_since(&c->tx_start));
	return rc;
}

void tx_rollback(struct conn *c)
{
	if (c->pinned && !c->write_turn)
		return; /* a read: nothing to undo (store_read_end ends it) */
	if (db_in_transaction(c->db)) {
		db_exec(c->db, "ROLLBACK");
		metrics_count(METRIC_STORE_TX_FAILED);
	}
	hold_done(c);
	write_turn_give(c);
}

/* Group commit (tx_write): the writer that has the turn takes at most
 * GROUP_MAX writes, and past GROUP_MIN no more once it has held the lock
 * GROUP_BUDGET seconds, so that one commit never holds the lock long. */
#define GROUP_MAX 16
#define GROUP_MIN 4
#define GROUP_BUDGET 0.02

/* A write that PostgreSQL ended as a deadlock victim (or a
 * serialization failure) is run again in a new transaction, at most this
 * many times more; that transaction takes no other write, so that it
 * holds few locks while it waits. */
#define WRITE_RETRIES 8

/* run_one runs w's fn in a savepoint of c's open transaction: its writes
 * are kept, or undone when it fails. 0 while the transaction stays open;
 * -1 when the database ended it (then the writes before it are lost too);
 * 1 when PostgreSQL ended it as a deadlock's victim (DB_BUSY: 40P01,
 * 40001): it is undone and w->again set, for tx_write to commit the
 * writes before it (the other writer then goes on: it waited for their
 * locks) and run it again in a transaction of its own. */
static int run_one(struct conn *c, struct write_waiter *w)
{
	struct err ignored;
	size_t nfts = c->nfts;
	uint64_t fts_parts = c->fts_parts;

	metrics_time(METRIC_STORE_WRITE_WAIT, secs_since(&w->queued));
	err_clear(w->e);
	if ((w->rc = exec_cached(c, "SAVEPOINT tx_write", w->e)) != E_OK)
		return !db_in_transaction(c->db) ? -1 : 0;
	w->rc = w->fn(c, w->arg, w->e);
	if (!db_in_transaction(c->db))
		return -1;
	w->again = w->rc == E_STORE && db_kind(c->db) == DB_POSTGRES &&
		   db_errcode(c->db) == DB_BUSY;
	if (w->rc != E_OK) {
		c->nfts = nfts; /* its reviews' search rows are not due */
		c->fts_parts = fts_parts;
		if (exec_cached(c, "ROLLBACK TO tx_write", &ignored) != E_OK)
			return -1;
	}
	if (exec_cached(c, "RELEASE tx_write", &ignored) != E_OK)
		return -1;
	return w->again ? 1 : 0;
}

/* next_queued takes the first in line if it is a queued write. */
static struct write_waiter *next_queued(struct store *st)
{
	struct write_waiter *w;

	pthread_mutex_lock(&st->wmu);
	w = st->whead;
	if (w && w->fn) {
		st->whead = w->next;
		if (!st->whead)
			st->wtail = NULL;
	} else {
		w = NULL;
	}
	pthread_mutex_unlock(&st->wmu);
	return w;
}

/* A writer in line gives up its handler place once it has waited this
 * long. A line that moves (under load a turn every few ms) keeps its
 * places: it stays as short as `threads` makes it, and the other requests
 * wait their turn at the gate with the saves, as before. A line that
 * stands still (the writer with the turn waits for a lock another process
 * holds, up to the 5-s busy timeout) holds up no other request past
 * this. Measured: giving the place up at once made the line the only
 * queue of a saturated mixed run, write p50 150-340 ms (README, issue 21,
 * session 19). */
#define LINE_PATIENCE_NS (50 * 1000000L)

/* line_wait queues w for the write turn; returns once it has the turn
 * (w->go, or at once when nobody had it) or another writer ran its fn
 * (w->done). A wait past LINE_PATIENCE_NS gives up what the thread's wait
 * hook stands for (the request's handler place, see util/wait.h): 1 then,
 * and the caller calls wait_in once it has given the turn on or at once
 * when done (the writer with the turn does not wait for a place while
 * every writer waits for it). The waiter holds no connection meanwhile,
 * only its place in line. */
static int line_wait(struct store *st, struct write_waiter *w)
{
	struct timespec until;
	int out = 0;

	clock_gettime(CLOCK_MONOTONIC, &w->queued);
	pthread_mutex_lock(&st->wmu);
	if (!st->writing) {
		st->writing = 1;
		pthread_mutex_unlock(&st->wmu);
		return 0;
	}
	{ /* a monotonic patience: a clock set back does not stretch it */
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&w->cv, &ca);
		pthread_condattr_destroy(&ca);
	}
	if (st->wtail)
		st->wtail->next = w;
	else
		st->whead = w;
	st->wtail = w;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += LINE_PATIENCE_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!w->go && !w->done) {
		if (out) {
			pthread_cond_wait(&w->cv, &st->wmu);
		} else if (pthread_cond_timedwait(&w->cv, &st->wmu, &until) ==
				   ETIMEDOUT &&
			   !w->go && !w->done) {
			pthread_mutex_unlock(&st->wmu);
			wait_out();
			out = 1;
			pthread_mutex_lock(&st->wmu);
		}
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_unlock(&st->wmu);
	return out;
}

/* fail_line answers the queued writes at the head of the line with e
 * (the database is unavailable: SQLite's lock held past the busy timeout
 * by another process, or PostgreSQL away). Each of them would otherwise
 * take the turn in turn and wait its own busy timeout: the k-th save's
 * 503 after k * 5 s, and a server stopping only after the whole line. */
static void fail_line(struct store *st, const struct err *e)
{
	struct write_waiter *q;

	while ((q = next_queued(st))) {
		*q->e = *e;
		q->rc = e->code;
		pthread_mutex_lock(&st->wmu);
		q->done = 1;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&st->wmu);
	}
}

/* lead runs w (this thread's write, which has the turn) and the writes
 * queued behind it in one transaction on c, commits, answers each and
 * hands the turn on. tries: w runs again after a deadlock (then alone). */
static void lead(struct conn *c, struct write_waiter *w, int tries)
{
	struct store *st = c->st;
	struct write_waiter *batch[GROUP_MAX], *q;
	size_t nb = 0;
	struct err ce;
	int lost;

	c->write_turn = 1;
	c->tx_start = w->queued;
	if ((w->rc = begin_write(c, w->e)) != E_OK) {
		if (w->rc == E_UNAVAILABLE)
			fail_line(st, w->e);
		write_turn_give(c);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->hold_start);
	c->fts_defer = 1;
	c->nfts = 0;
	c->fts_parts = 0;
	batch[nb++] = w;
	lost = run_one(c, w);
	while (!lost && !tries && nb < GROUP_MAX &&
	       (nb < GROUP_MIN || secs_since(&c->hold_start) < GROUP_BUDGET) &&
	       (q = next_queued(st))) {
		batch[nb++] = q;
		lost = run_one(c, q);
	}
	if (lost > 0) /* a deadlock's victim: commit those before it */
		lost = 0;
	err_clear(&ce);
	if (lost) {
		c->fts_defer = 0;
		c->nfts = 0;
		c->fts_parts = 0;
	}
	if (lost && !db_usable(c->db)) {
		err_set(&ce, E_UNAVAILABLE, NULL,
			"The change was not saved: the database is "
			"unavailable; try again in a moment");
		tx_rollback(c);
	} else if (lost) {
		err_set(&ce, E_STORE, NULL, "The change was not saved: %s",
			db_errmsg(c->db));
		tx_rollback(c);
	} else if (fts_reindex_noted(c, &ce) != E_OK) {
		tx_rollback(c);
	} else {
		tx_commit(c, &ce);
	}
	/* answer each: its own error, or the commit's; a deadlock's victim
	 * goes again (its own thread queues it anew) */
	for (size_t i = 0; i < nb; i++) {
		q = batch[i];
		if (ce.code != E_OK && q->rc == E_OK) {
			*q->e = ce;
			q->rc = ce.code;
		}
		if (q == w)
			continue;
		pthread_mutex_lock(&st->wmu);
		q->done = 1;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&st->wmu);
	}
}

enum err_code tx_write(struct store *st, tx_fn fn, void *arg, struct err *e)
{
	struct conn *c = NULL;
	struct write_waiter w;
	int tries = 0, out;

	ERR_LOCAL(e);
	if (pinned_conn && pinned_conn->st == st)
		pin_read_end(pinned_conn);
	for (;;) {
		w = (struct write_waiter){.fn = fn, .arg = arg, .e = e};
		out = line_wait(st, &w);
		if (!w.done) {
			/* the turn is this thread's: a connection now, not
			 * while it waited */
			c = pinned_conn && pinned_conn->st == st
				    ? pinned_conn
				    : conn_get(st, e);
			if (!c) {
				turn_hand_on(st);
				if (out)
					wait_in();
				return e->code;
			}
			lead(c, &w, tries);
			conn_put(c); /* a pinned one stays the thread's */
		}
		if (out) /* the turn given on, or the write done */
			wait_in();
		if (!w.again || tries++ >= WRITE_RETRIES)
			return w.rc;
		metrics_count(METRIC_STORE_TX_FAILED);
	}
}

static void conn_free(struct conn *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nstmts; i++) {
		db_finalize(c->stmts[i].st);
		free(c->stmts[i].sql);
	}
	db_close(c->db);
	free(c);
}

/* conn_open opens a connection (the driver sets what each needs: for
 * SQLite WAL, synchronous=FULL, foreign keys, a busy timeout). */
static struct conn *conn_open(struct store *st, struct err *e)
{
	struct conn *c = calloc(1, sizeof *c);
	char msg[512];
	int rc;

	if (!c) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	c->st = st;
	rc = db_open(st->path, 0, &c->db, msg, sizeof msg);
	if (rc == DB_UNAVAILABLE) {
		log_warn("store: %s", msg);
		err_set(e, E_UNAVAILABLE, NULL,
			"the database is unavailable; try again in a moment");
		goto fail;
	}
	if (rc != DB_OK) {
		log_error("store: %s", msg);
		err_set(e, E_STORE, NULL, "%s", msg);
		goto fail;
	}
	if (st->bulk && db_kind(c->db) == DB_SQLITE &&
	    db_exec(c->db, "PRAGMA synchronous = OFF") != DB_OK) {
		db_err(c, e, "pragmas");
		goto fail;
	}
	/* the checkpointer copies the WAL back (see struct store); a commit
	 * does it only if the WAL outgrows 8,000 pages all the same */
	if (db_kind(c->db) == DB_SQLITE &&
	    db_exec(c->db, "PRAGMA wal_autocheckpoint = 8000") != DB_OK) {
		db_err(c, e, "pragmas");
		goto fail;
	}
	return c;
fail:
	conn_free(c);
	return NULL;
}

/* conn_drop takes c, no longer usable, out of the pool and closes it. */
static void conn_drop(struct conn *c)
{
	struct store *st = c->st;

	pthread_mutex_lock(&st->mu);
	for (struct conn **p = &st->all; *p; p = &(*p)->next_all)
		if (*p == c) {
			*p = c->next_all;
			break;
		}
	pthread_mutex_unlock(&st->mu);
	conn_free(c);
}

/* conn_get hands out a pooled connection, skipping (and closing) those
 * the database went away from while they waited, or opens a new one:
 * after a restart or a failover the first call connects again. A thread
 * inside store_read_begin gets its pinned connection, in its read
 * transaction (begun again after a write of its own ended it). */
struct conn *conn_get(struct store *st, struct err *e)
{
	struct conn *c = pinned_conn;

	if (c && c->st == st) {
		struct err ignored;

		if (!db_in_transaction(c->db)) /* failing, autocommit */
			(void)exec_cached(c, "BEGIN", &ignored);
		return c;
	}
	for (;;) {
		pthread_mutex_lock(&st->mu);
		c = st->free;
		if (c)
			st->free = c->next_free;
		pthread_mutex_unlock(&st->mu);
		if (!c)
			break;
		if (db_usable(c->db))
			return c;
		conn_drop(c);
	}
	c = conn_open(st, e);
	if (!c)
		return NULL;
	pthread_mutex_lock(&st->mu);
	c->next_all = st->all;
	st->all = c;
	pthread_mutex_unlock(&st->mu);
	return c;
}

void conn_put(struct conn *c)
{
	struct store *st;

	if (c && c->pinned) {
		/* a pinned one goes back at store_read_end; a write that
		 * failed in it gives back its transaction and turn now */
		if (c->write_turn)
			tx_rollback(c);
		return;
	}
	if (!c)
		return;
	st = c->st;
	tx_rollback(c); /* never hand on an open transaction */
	if (!db_usable(c->db)) {
		conn_drop(c);
		return;
	}
	pthread_mutex_lock(&st->mu);
	c->next_free = st->free;
	st->free = c;
	pthread_mutex_unlock(&st->mu);
}

/* migration_recorded tells whether schema_migrations of db holds
 * version: 1 yes, 0 no (or no such table), -1 on a read error. Migrations
 * written on parallel branches land out of order (008 after 009), so a
 * migration is applied when it is not recorded, not when it is newer than
 * the newest recorded. */
static int migration_recorded(struct db *db, int version)
{
	struct db_stmt *s = NULL;
	int rc;

	if (db_prepare(db, "SELECT 1 FROM schema_migrations "
			       "WHERE version = ?1", &s) != DB_OK)
		return strstr(db_errmsg(db), "no such table") ? 0 : -1;
	db_bind_int(s, 1, version);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* migrate applies, in one transaction, every migration not yet recorded
 * in schema_migrations. A database from a newer program is
 * refused rather than written with an older idea of the schema. */
static enum err_code migrate(struct conn *c, struct err *e)
{
	size_t n = sizeof migrations / sizeof migrations[0];
	int current = 0, newest = 0, fill_lines = 0;
	struct db_stmt *s = NULL;
	enum err_code rc;

	rc = tx_begin(c, 1, e);
	if (rc != E_OK)
		return rc;
	if (db_kind(c->db) == DB_POSTGRES &&
	    db_exec(c->db, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK
			   ")") != DB_OK) {
		rc = db_err(c, e, "migration lock");
		goto fail;
	}
	if (db_exec(c->db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
			 "applied_at INTEGER NOT NULL)") != DB_OK) {
		rc = db_err(c, e, "schema_migrations");
		goto fail;
	}
	if (db_prepare(c->db, "SELECT coalesce(max(version), 0) "
			       "FROM schema_migrations", &s) != DB_OK ||
	    db_step(s) != DB_ROW) {
		rc = db_err(c, e, "schema version");
		goto fail;
	}
	current = db_column_int(s, 0);
	db_finalize(s);
	s = NULL;
	for (size_t i = 0; i < n; i++)
		if (migrations[i].version > newest)
			newest = migrations[i].version;
	if (current > newest) {
		rc = err_set(e, E_STORE, NULL,
			     "database schema %d is newer than this program "
			     "knows (%d); use a newer debrief",
			     current, newest);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		int done = migration_recorded(c->db, migrations[i].version);

		if (done < 0) {
			rc = db_err(c, e, "schema_migrations");
			goto fail;
		}
		if (done)
			continue;
		if (db_exec(c->db, db_kind(c->db) == DB_SQLITE
					   ? migrations[i].sql
					   : migrations[i].pg) != DB_OK) {
			rc = db_err(c, e, migrations[i].name);
			goto fail;
		}
		fill_lines |= migrations[i].version == 40;
		if (db_prepare(c->db, "INSERT INTO schema_migrations "
				       "(version, name, applied_at) "
				       "VALUES (?1, ?2, ?3)", &s) != DB_OK) {
			rc = db_err(c, e, "schema_migrations");
			goto fail;
		}
		db_bind_int(s, 1, migrations[i].version);
		db_bind_text(s, 2, migrations[i].name, -1, DB_STATIC);
		db_bind_int64(s, 3, time_now());
		if (db_step(s) != DB_DONE) {
			rc = db_err(c, e, "schema_migrations");
			goto fail;
		}
		db_finalize(s);
		s = NULL;
		log_info("migration %s applied", migrations[i].name);
	}
	/* 040's rows: the lines of each review's parts, counted by the
	 * statement the writes use (build_lines), which names today's
	 * fields: run after every migration, so a later one that adds a
	 * searched field is there first */
	if (fill_lines && db_kind(c->db) == DB_SQLITE &&
	    db_exec(c->db, c->st->lines_all) != DB_OK) {
		rc = db_err(c, e, "040_search_lines");
		goto fail;
	}
	return tx_commit(c, e);
fail:
	db_finalize(s);
	tx_rollback(c);
	return rc;
}

/* schema_check prepares every generated statement once, so that a field
 * added to a def without a migration stops the program at start with a
 * message rather than failing requests later. */
static enum err_code schema_check(struct conn *c, struct err *e)
{
	for (int i = 0; i < NDEFS; i++) {
		const struct def_sql *d = &c->st->dsql[i];
		const char *sql[] = {d->select_one, d->select_children,
				     d->insert, d->update};

		for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++) {
			struct db_stmt *s;
			if (!sql[k])
				continue;
			if (db_prepare(c->db, sql[k], &s) !=
			    DB_OK)
				return err_set(e, E_STORE, NULL,
					       "the database does not match "
					       "the %s fields (%s): is a "
					       "migration missing?",
					       d->def->name,
					       db_errmsg(c->db));
			db_finalize(s);
		}
	}
	return E_OK;
}

/* ANALYZE_MIN_REVIEWS: below this many reviews the planner keeps its
 * built-in assumption of big tables, which gives every list its index
 * (statistics of a nearly empty database would tell it scans are cheaper,
 * and stay wrong while it grows). */
#define ANALYZE_MIN_REVIEWS 1000

/* analyze gathers the planner's statistics of the tables lists read at
 * open (sampled: tens of milliseconds at 100,000 reviews with the file in
 * the page cache): plans then do not depend on whether the last server
 * shut down cleanly (PRAGMA optimize at close). */
static enum err_code analyze(struct conn *c, struct err *e)
{
	struct db_stmt *s = NULL;
	int64_t n = 0;

	if (db_prepare(c->db, "SELECT coalesce(sum(reviews), 0) FROM "
			       "review_counts", &s) != DB_OK)
		return db_err(c, e, "analyze");
	if (db_step(s) == DB_ROW)
		n = db_column_int64(s, 0);
	db_finalize(s);
	if (n < ANALYZE_MIN_REVIEWS)
		return E_OK;
	if (db_exec(c->db, db_kind(c->db) == DB_SQLITE
				   ? "PRAGMA analysis_limit = 1000; "
				     "ANALYZE reviews; ANALYZE tags; "
				     "ANALYZE followups"
				   : "ANALYZE reviews, tags, followups") != DB_OK)
		return db_err(c, e, "analyze");
	return E_OK;
}

int store_schema_newest(void)
{
	int newest = 0;

	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++)
		if (migrations[i].version > newest)
			newest = migrations[i].version;
	return newest;
}

enum err_code store_schema_pending(const char *url, int *current,
				   store_migration_fn fn, void *ctx,
				   struct err *e)
{
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	int newest = store_schema_newest();
	char msg[512];

	ERR_LOCAL(e);
	*current = 0;
	if (!url || !*url)
		return err_set(e, E_STORE, NULL, "no database given");
	/* a SQLite file that is not there yet is an empty database */
	if ((db_url_is_postgres(url) ||
	     access(db_sqlite_file(url), F_OK) == 0) &&
	    db_open(url, 1, &db, msg, sizeof msg) != DB_OK)
		return err_set(e, E_STORE, NULL, "%s", msg);
	if (db) {
		/* no schema_migrations table: an empty database */
		if (db_prepare(db,
			       "SELECT coalesce(max(version), 0) "
			       "FROM schema_migrations",
			       &s) == DB_OK) {
			if (db_step(s) == DB_ROW)
				*current = db_column_int(s, 0);
		} else if (!strstr(db_errmsg(db), "no such table") &&
			   !strstr(db_errmsg(db), "does not exist")) {
			rc = err_set(e, E_STORE, NULL, "%s: %s", url,
				     db_errmsg(db));
			goto out;
		}
	}
	if (*current > newest) {
		rc = err_set(e, E_STORE, NULL,
			     "database schema %d is newer than this program "
			     "knows (%d); use a newer debrief",
			     *current, newest);
		goto out;
	}
	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
		int done = db ? migration_recorded(db, migrations[i].version)
			      : 0;

		if (done < 0) {
			rc = err_set(e, E_STORE, NULL, "%s: %s", url,
				     db_errmsg(db));
			goto out;
		}
		if (!done)
			fn(migrations[i].version, migrations[i].name, ctx);
	}
out:
	db_finalize(s);
	db_close(db);
	return rc;
}

enum err_code store_open(const char *url, struct store **out, struct err *e)
{
	struct store *st;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	if (!url || !*url)
		return err_set(e, E_STORE, NULL, "no database given");
	st = calloc(1, sizeof *st);
	if (!st)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (pthread_mutex_init(&st->mu, NULL) != 0) {
		free(st);
		return err_set(e, E_STORE, NULL, "cannot create a mutex");
	}
	if (pthread_mutex_init(&st->wmu, NULL) != 0) {
		pthread_mutex_destroy(&st->mu);
		free(st);
		return err_set(e, E_STORE, NULL, "cannot create a mutex");
	}
	if (pthread_mutex_init(&st->ckmu, NULL) != 0) {
		pthread_mutex_destroy(&st->wmu);
		pthread_mutex_destroy(&st->mu);
		free(st);
		return err_set(e, E_STORE, NULL, "cannot create a mutex");
	}
	if (pthread_cond_init(&st->ckcv, NULL) != 0) {
		pthread_mutex_destroy(&st->ckmu);
		pthread_mutex_destroy(&st->wmu);
		pthread_mutex_destroy(&st->mu);
		free(st);
		return err_set(e, E_STORE, NULL, "cannot create a mutex");
	}
	st->path = strdup(url);
	if (!st->path || sql_build(st) < 0) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	c = conn_get(st, e);
	if (!c) {
		rc = e->code;
		goto fail;
	}
	rc = migrate(c, e);
	if (rc == E_OK)
		rc = schema_check(c, e);
	if (rc == E_OK)
		rc = analyze(c, e);
	conn_put(c);
	if (rc != E_OK)
		goto fail;
	*out = st;
	return E_OK;
fail:
	store_close(st);
	return rc;
}

long store_statements_prepared(struct store *st)
{
	long n = 0;

	pthread_mutex_lock(&st->mu);
	for (struct conn *c = st->all; c; c = c->next_all)
		n += __atomic_load_n(&c->db->prepares, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&st->mu);
	return n;
}

void store_close(struct store *st)
{
	struct conn *c, *next;

	if (!st)
		return;
	render_queue_close(st);
	checkpoint_stop(st);
	/* keep the query planner's statistics fresh (PostgreSQL's
	 * autovacuum does it there), sampled as analyze() does: unlimited,
	 * the ANALYZE of a table an import just grew reads all of it (a
	 * chat import of 200,000 messages: 4.5% of its instructions, to
	 * read them all back at exit) */
	if (st->all && db_kind(st->all->db) == DB_SQLITE)
		db_exec(st->all->db,
			"PRAGMA analysis_limit = 1000; PRAGMA optimize");
	for (c = st->all; c; c = next) {
		next = c->next_all;
		conn_free(c);
	}
	sql_free(st);
	pthread_cond_destroy(&st->ckcv);
	pthread_mutex_destroy(&st->ckmu);
	pthread_mutex_destroy(&st->wmu);
	pthread_mutex_destroy(&st->mu);
	free(st->path);
	free(st);
}

enum err_code store_bulk_writes(struct store *st, struct err *e)
{
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	pthread_mutex_lock(&st->mu);
	st->bulk = 1;
	for (struct conn *c = st->all; c && rc == E_OK; c = c->next_all)
		if (db_kind(c->db) == DB_SQLITE &&
		    db_exec(c->db, "PRAGMA synchronous = OFF") != DB_OK)
			rc = db_err(c, e, "pragmas");
	pthread_mutex_unlock(&st->mu);
	return rc;
}

enum err_code store_schema_version(struct store *st, int *version,
				   struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if (!(c = conn_get(st, e)))
		return e->code;
	s = conn_stmt(c,
		      "SELECT coalesce(max(version), 0) FROM "
		      "schema_migrations",
		      e);
	if (!s) {
		rc = e->code;
	} else if (db_step(s) == DB_ROW) {
		*version = db_column_int(s, 0);
	} else {
		rc = db_err(c, e, "schema version");
	}
	conn_done(c, s);
	conn_put(c);
	return rc;
}
