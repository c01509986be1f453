/* buf.c: the growable string buffer. */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* grow makes room for n more bytes plus the terminating NUL. */
static int grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return -1;
	if (n > ((size_t)-1) / 2 - b->len) {
		b->oom = 1;
		return -1;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	if (grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

char *buf_reserve(struct buf *b, size_t n)
{
	if (grow(b, n) < 0)
		return NULL;
	return b->data + b->len;
}

void buf_commit(struct buf *b, size_t n)
{
	if (b->oom || !b->data)
		return;
	b->len += n;
	b->data[b->len] = '\0';
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_put_int(struct buf *b, long long v)
{
	char t[24], *p = t + sizeof t;
	unsigned long long u =
		v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return buf_append(b, p, (size_t)(t + sizeof t - p));
}

/* buf_vprintf formats into the room the buffer has and formats a second
 * time only when that was too small: most calls are short and fit, and
 * formatting every call twice cost 4% of the instructions of a review
 * page with its related list (callgrind, bench/learning/related). */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	if (grow(b, 0) < 0)
		return -1;
	room = b->cap - b->len; /* with the NUL */
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n >= 0 && (size_t)n >= room) {
		if (grow(b, (size_t)n) == 0)
			vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		else
			n = -1;
	}
	if (n < 0) {
		b->oom = 1;
		b->data[b->len] = '\0'; /* what was there stays whole */
		return -1;
	}
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

const char *buf_cstr(struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b)
{
	char *s;

	if (b->oom) {
		buf_release(b);
		return NULL;
	}
	if (!b->data) {
		if (grow(b, 0) < 0)
			return NULL;
		b->data[0] = '\0';
	}
	s = b->data;
	buf_init(b);
	return s;
}
