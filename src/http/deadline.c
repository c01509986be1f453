/* deadline.c: the watchdog that cuts connections which take longer than
 * request_timeout to send a request (see deadline.h). The connections are
 * a doubly linked list under one mutex; the clock of each is two atomics,
 * set by libmicrohttpd's threads without the lock. */
#include "http/deadline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "util/log.h"

#define TICK_MS 250 /* how often the watchdog looks */

struct deadline_conn {
	struct deadline_conn *prev, *next;
	int fd;
	int cut;	       /* shut down already; under the lock */
	atomic_llong start_ms; /* when the current request's clock began */
	atomic_int answered;   /* 1: the clock is stopped */
};

struct deadline {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stopping; /* under the lock */
	long long limit_ms;
	struct deadline_conn *head;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sweep shuts down the sockets of connections past the deadline; with
 * d->lock held. Returns how many it cut. shutdown() (not close) leaves the
 * descriptor to libmicrohttpd, which sees the end of the stream and closes
 * the connection itself. */
static int sweep(struct deadline *d, long long now)
{
	int cut = 0;

	for (struct deadline_conn *c = d->head; c; c = c->next) {
		if (c->cut || atomic_load(&c->answered) ||
		    now - atomic_load(&c->start_ms) <= d->limit_ms)
			continue;
		shutdown(c->fd, SHUT_RDWR);
		c->cut = 1;
		cut++;
	}
	return cut;
}

static void *watchdog(void *arg)
{
	struct deadline *d = arg;
	struct timespec until;
	int cut;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&d->wake, &d->lock, &until);
		if (d->stopping)
			break;
		cut = sweep(d, now_ms());
		if (cut)
			log_info("closed %d connection%s that took over %llds "
				 "to send a request (request_timeout)",
				 cut, cut == 1 ? "" : "s", d->limit_ms / 1000);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

enum err_code deadline_start(long seconds, struct deadline **out, struct err *e)
{
	struct deadline *d = calloc(1, sizeof *d);
	int rc;

	*out = NULL;
	if (!d)
		return err_set(e, E_NOMEM, "", "out of memory");
	d->limit_ms = (long long)seconds * 1000;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	rc = pthread_create(&d->thread, NULL, watchdog, d);
	if (rc != 0) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return err_set(e, E_IO, "", "cannot start a thread: %d", rc);
	}
	*out = d;
	return E_OK;
}

void deadline_stop(struct deadline *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = 1;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	while (d->head) { /* none, unless a connection was never removed */
		struct deadline_conn *c = d->head;

		d->head = c->next;
		free(c);
	}
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

struct deadline_conn *deadline_conn_add(struct deadline *d, int fd)
{
	struct deadline_conn *c;

	if (!d)
		return NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->fd = fd;
	atomic_init(&c->start_ms, now_ms());
	atomic_init(&c->answered, 0);
	pthread_mutex_lock(&d->lock);
	c->next = d->head;
	if (d->head)
		d->head->prev = c;
	d->head = c;
	pthread_mutex_unlock(&d->lock);
	return c;
}

void deadline_conn_remove(struct deadline *d, struct deadline_conn *c)
{
	if (!d || !c)
		return;
	pthread_mutex_lock(&d->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		d->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&d->lock);
	free(c);
}

void deadline_conn_answered(struct deadline_conn *c)
{
	if (c)
		atomic_store(&c->answered, 1);
}

void deadline_conn_next(struct deadline_conn *c)
{
	if (!c)
		return;
	atomic_store(&c->start_ms, now_ms());
	atomic_store(&c->answered, 0);
}
