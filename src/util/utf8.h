/* utf8.h: UTF-8 validation for everything that comes in from outside. */
#ifndef DEBRIEF_UTF8_H
#define DEBRIEF_UTF8_H

#include <stddef.h>

/* utf8_valid returns 1 when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF, no NUL byte); otherwise 0 and, when
 * bad is not NULL, the byte offset of the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* utf8_line_col turns a byte offset into 1-based line and column (columns
 * count code points). */
void utf8_line_col(const char *s, size_t off, int *line, int *col);

#endif
