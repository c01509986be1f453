/* utf8.h: UTF-8 validation for everything that comes in from outside. */
#ifndef DEBRIEF_UTF8_H
#define DEBRIEF_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* utf8_valid returns 1 when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF, no NUL byte); otherwise 0 and, when
 * bad is not NULL, the byte offset of the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* utf8_printable8 returns 1 when the 8 bytes at s are all printable
 * ASCII (0x20..0x7e): a high bit of x, of x - 0x20 in each byte (a byte
 * under 0x20 borrows) or of x + 1 in each (0x7f carries) says one is
 * not. The fast path of scans for control characters. */
static inline int utf8_printable8(const char *s)
{
	uint64_t x;

	memcpy(&x, s, 8);
	return !((x | (x - 0x2020202020202020ULL) |
		  (x + 0x0101010101010101ULL)) &
		 0x8080808080808080ULL);
}

/* utf8_line_col turns a byte offset into 1-based line and column (columns
 * count code points). */
void utf8_line_col(const char *s, size_t off, int *line, int *col);

/* utf8_cut returns the length of s (NUL-terminated) cut to at most max
 * bytes between two characters, never inside one: what to copy of a
 * string that must stay UTF-8 in a bounded field ("%.*s", memcpy). */
size_t utf8_cut(const char *s, size_t max);

#endif
