/* write_line.h: for the store's tests that queue writers in the store's
 * line of writes (store/sqlite_internal.h's wmu and whead) behind a write
 * held open, so that they are made in one group commit. Needs cmocka,
 * pthread.h, unistd.h and store/sqlite_internal.h included before it. */
#ifndef DEBRIEF_TEST_WRITE_LINE_H
#define DEBRIEF_TEST_WRITE_LINE_H

/* queued waits until n writers wait in the store's line (10 s at most):
 * a fixed sleep let a thread that a loaded machine had not yet run come
 * in after the next one. */
__attribute__((unused)) static void queued(struct store *st, int n)
{
	for (int tries = 0; tries < 1000; tries++) {
		int k = 0;

		pthread_mutex_lock(&st->wmu);
		for (struct write_waiter *w = st->whead; w; w = w->next)
			k++;
		pthread_mutex_unlock(&st->wmu);
		if (k >= n)
			return;
		usleep(10 * 1000);
	}
	fail_msg("%d writers never came to wait", n);
}

#endif
