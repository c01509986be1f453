/* wait.h: a thread's hook around a wait that may be long (issue 21). A
 * library that blocks on something shared (the store's line of writers)
 * says so with wait_out before and wait_in after; what the thread holds
 * meanwhile that others could use is the business of whoever set the hook
 * (the HTTP server gives up the request's handler place, see server.c).
 * The library knows nothing of it, and with no hook set both do nothing. */
#ifndef DEBRIEF_WAIT_H
#define DEBRIEF_WAIT_H

struct wait_hook {
	/* out: the thread is about to block; in: it is done blocking (in
	 * may itself wait, for what out gave up) */
	void (*out)(void *arg);
	void (*in)(void *arg);
	void *arg;
};

/* wait_hook_set sets the calling thread's hook (NULL: none). The hook is
 * the caller's, and must live until it is set to NULL. Returns 1 when the
 * thread was still out (a wait_out without its wait_in), else 0. */
int wait_hook_set(const struct wait_hook *h);
/* wait_out calls the thread's out hook, once: again while out does
 * nothing. */
void wait_out(void);
/* wait_in calls the thread's in hook if it is out; else nothing. */
void wait_in(void);

#endif
