/* arena.h: per-request (or per-command) memory. Everything allocated from an
 * arena is freed at once by arena_free; nothing in it is freed alone. */
#ifndef DEBRIEF_ARENA_H
#define DEBRIEF_ARENA_H

#include <stddef.h>

struct arena;

/* arena_new returns NULL when out of memory. */
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* arena_reset frees everything allocated from a (running its deferred
 * calls) but keeps one block for reuse, so that a loop that allocates a
 * little per item and resets after each item neither mallocs nor touches
 * fresh pages once it runs. */
void arena_reset(struct arena *a);
/* Allocations return NULL when out of memory; memory is zeroed and aligned
 * for any type. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* arena_defer registers fn(p) to run when the arena is freed (for library
 * objects such as json_t that must be released). Returns 0 or -1. */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);

#endif
