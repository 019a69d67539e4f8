/* UTF-8 text: checking it, and cutting it to a size without splitting a
 * character.  Every user string (names, titles, currency signs, messages
 * quoting input) reaches terminals and workbooks, and a workbook holding
 * half a character is refused by Excel and openpyxl alike. */
#ifndef SALESPLAN_UTF8_H
#define SALESPLAN_UTF8_H

#include <stddef.h>

/* The longest prefix of s[0..n) that ends on a character boundary: n when
 * s[n] starts a character (or n is the end), less when byte n is inside
 * one. */
size_t sp_utf8_fit(const char *s, size_t n);

/* Copies src into dst (size bytes, size > 0), cut at a character boundary
 * when it does not fit.  Returns 1 when all of src fit, 0 when cut. */
int sp_utf8_copy(char *dst, size_t size, const char *src);

/* Drops an incomplete character at the end of s (what a snprintf that ran
 * out of room may leave). */
void sp_utf8_trim(char *s);

/* Offset of the first byte of s[0..n) that is not well-formed UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF included),
 * or -1 when all of it is. */
long sp_utf8_invalid(const char *s, size_t n);

#endif
