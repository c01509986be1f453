/* utf8.c: a strict decoder-free validator (RFC 3629 table 3-7). */
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

#define HIGH_BITS 0x8080808080808080ULL
#define LOW_BITS  0x0101010101010101ULL

int utf8_valid(const char *str, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c;
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		uint64_t x;

		/* most text is ASCII: take 32, then 8 bytes at a time while
		 * none has its high bit set and none is zero (with no high
		 * bit set, (x - 0x01..) & ~x has one exactly at zero bytes) */
		while (n - i >= 32) {
			uint64_t w[4];

			memcpy(w, s + i, 32);
			if (((w[0] | w[1] | w[2] | w[3]) & HIGH_BITS) ||
			    ((((w[0] - LOW_BITS) & ~w[0]) |
			      ((w[1] - LOW_BITS) & ~w[1]) |
			      ((w[2] - LOW_BITS) & ~w[2]) |
			      ((w[3] - LOW_BITS) & ~w[3])) &
			     HIGH_BITS))
				break;
			i += 32;
		}
		if (i == n)
			break;
		if (n - i >= 8) {
			memcpy(&x, s + i, 8);
			if (!(x & HIGH_BITS) && !((x - LOW_BITS) & ~x & HIGH_BITS)) {
				i += 8;
				continue;
			}
		}
		c = s[i];

		if (c == 0)
			goto fail;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		} else
			goto fail;
		if (n - i < len)
			goto fail;
		if (s[i + 1] < lo || s[i + 1] > hi)
			goto fail;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				goto fail;
		i += len;
	}
	return 1;
fail:
	if (bad)
		*bad = i;
	return 0;
}

void utf8_line_col(const char *str, size_t off, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)str;
	int l = 1, c = 1;

	for (size_t i = 0; i < off && s[i]; i++) {
		if (s[i] == '\n') {
			l++;
			c = 1;
		} else if ((s[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n == max) /* s[n]: the NUL or the first byte left out */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	return n;
}
