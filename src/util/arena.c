/* arena.c: a chain of blocks; big requests get a block of their own. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 8192
#define ALIGN 16

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(ALIGN) unsigned char data[];
};

struct deferred {
	struct deferred *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct block *head;
	struct deferred *defers;
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	struct block *b, *nb;
	struct deferred *d;

	if (!a)
		return;
	for (d = a->defers; d; d = d->next)
		d->fn(d->p);
	for (b = a->head; b; b = nb) {
		nb = b->next;
		free(b);
	}
	free(a);
}

void arena_reset(struct arena *a)
{
	struct block *b, *nb, *keep = NULL;
	struct deferred *d;

	for (d = a->defers; d; d = d->next)
		d->fn(d->p);
	a->defers = NULL;
	for (b = a->head; b; b = nb) {
		nb = b->next;
		if (!keep && b->size == ARENA_BLOCK) {
			keep = b;
			continue;
		}
		free(b);
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b;
	size_t size;
	void *p;

	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	b = a->head;
	if (!b || b->size - b->used < n) {
		size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		if (size > SIZE_MAX - sizeof *b)
			return NULL;
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = size;
		if (n > ARENA_BLOCK / 2 && a->head) {
			/* keep the current block as head for small allocations */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct deferred *d = arena_alloc(a, sizeof *d);

	if (!d)
		return -1;
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
	return 0;
}
