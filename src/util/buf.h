/* buf.h: the one growable string buffer. A failed allocation sets a sticky
 * `oom` flag and later appends do nothing, so a writer checks once at the end. */
#ifndef DEBRIEF_BUF_H
#define DEBRIEF_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* always NUL-terminated when len > 0 or after buf_cstr */
	size_t len;
	size_t cap;
	int oom;
};

#define BUF_INIT {NULL, 0, 0, 0}

void buf_init(struct buf *b);
/* buf_release frees the memory and leaves b empty and reusable. */
void buf_release(struct buf *b);
/* buf_reset keeps the memory, sets len to 0 and clears oom. */
void buf_reset(struct buf *b);
/* Each append returns 0, or -1 once the buffer has run out of memory. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
/* buf_put_int writes v in decimal (what "%lld" writes, without printf's
 * cost, for writers of many numbers). */
int buf_put_int(struct buf *b, long long v);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* buf_reserve makes room for n more bytes and returns where they go (NULL
 * once out of memory); the writer then calls buf_commit with how many of
 * them it wrote (at most n). For writers that emit many small pieces. */
char *buf_reserve(struct buf *b, size_t n);
void buf_commit(struct buf *b, size_t n);
/* buf_cstr returns a NUL-terminated view ("" for an empty buffer). */
const char *buf_cstr(struct buf *b);
/* buf_detach hands the malloc'd, NUL-terminated string to the caller
 * (NULL on oom) and leaves b empty. */
char *buf_detach(struct buf *b);

#endif
