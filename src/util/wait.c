/* wait.c: the per-thread hook around long waits (wait.h). */
#include "util/wait.h"

#include <stddef.h>

static __thread const struct wait_hook *hook;
static __thread int out; /* wait_out called, wait_in not yet */

int wait_hook_set(const struct wait_hook *h)
{
	int was_out = out;

	hook = h;
	out = 0;
	return was_out;
}

void wait_out(void)
{
	if (!hook || out)
		return;
	out = 1;
	hook->out(hook->arg);
}

void wait_in(void)
{
	if (!hook || !out)
		return;
	out = 0;
	hook->in(hook->arg);
}
