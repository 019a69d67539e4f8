/* UTF-8: validation and cutting at character boundaries. */
#include "salesplan/utf8.h"

#include <string.h>

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t sp_utf8_fit(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    /* back up over continuation bytes to the lead byte of the character
     * that byte n belongs to; a lead byte at n itself means no cut */
    size_t k = n;
    while (k > 0 && is_cont(u[k]) && n - k < 4)
        k--;
    return is_cont(u[n]) ? k : n;
}

int sp_utf8_copy(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);
    int whole = len < size;
    if (!whole)
        len = sp_utf8_fit(src, size - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
    return whole;
}

/* Bytes a character with lead byte c takes, 0 for a byte that cannot
 * start one. */
static int seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

void sp_utf8_trim(char *s)
{
    size_t n = strlen(s);
    size_t k = n;
    while (k > 0 && is_cont((unsigned char)s[k - 1]) && n - k < 3)
        k--;
    if (k > 0) {
        int need = seq_len((unsigned char)s[k - 1]);
        if (need > 1 && (size_t)need > n - k + 1)
            s[k - 1] = '\0';
    }
}

long sp_utf8_invalid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        int len = seq_len(u[i]);
        if (len == 0 || i + (size_t)len > n)
            return (long)i;
        for (int k = 1; k < len; k++)
            if (!is_cont(u[i + k]))
                return (long)i;
        /* the second byte's range rules out overlong forms, surrogates
         * and code points above U+10FFFF */
        if ((u[i] == 0xE0 && u[i + 1] < 0xA0) ||
            (u[i] == 0xED && u[i + 1] > 0x9F) ||
            (u[i] == 0xF0 && u[i + 1] < 0x90) ||
            (u[i] == 0xF4 && u[i + 1] > 0x8F))
            return (long)i;
        i += (size_t)len;
    }
    return -1;
}
