/* lazyload.c: the slow path of the lazy library stubs (see lazyload.h):
 * dlopen a library once, look a symbol up, fill the stub's slot. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "util/lazyload.h"

static pthread_mutex_t lazy_lock = PTHREAD_MUTEX_INITIALIZER;

static void lazy_fail(const char *lib, const char *name, const char *why)
{
	fprintf(stderr,
		"debrief: cannot load %s (needed for %s): %s\n", lib, name,
		why ? why : "unknown error");
	fflush(stderr);
	_exit(127);
}

void *lazy_resolve(const struct lazy_table *t, unsigned i)
{
	int saved = errno;
	unsigned l = t->lib[i];
	void *h, *p;

	/* one loader at a time: two threads' first calls would otherwise
	 * both dlopen (harmless, but counted twice) */
	pthread_mutex_lock(&lazy_lock);
	p = __atomic_load_n(&t->addr[i], __ATOMIC_ACQUIRE);
	if (p)
		goto out;
	h = t->handles[l];
	if (!h) {
		h = dlopen(t->libs[l], RTLD_LAZY | RTLD_LOCAL);
		if (!h)
			lazy_fail(t->libs[l], t->names[i], dlerror());
		t->handles[l] = h;
	}
	dlerror();
	p = dlsym(h, t->names[i]);
	if (!p)
		lazy_fail(t->libs[l], t->names[i], dlerror());
	__atomic_store_n(&t->addr[i], p, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&lazy_lock);
	errno = saved;
	return p;
}
