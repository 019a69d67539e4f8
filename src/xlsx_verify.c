/* Reading a finished workbook back before it replaces the old one.
 *
 * libxlsxwriter stages each sheet in a temporary file and copies it into
 * the zip at the end; a write to that temporary file that fails (a full
 * file system) is not always reported, and the zip then holds truncated
 * sheets.  So the file is read back as a zip: the end record, every entry
 * of the central directory inflated and its CRC and size compared, the
 * parts a workbook needs present, and every sheet's XML complete. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "xlsx_private.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The whole file, or NULL (too large for a workbook we write, or not
 * readable). */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *b = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        len = ftell(f);
    if (len > 0 && len < (1L << 31) && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)len)) != NULL &&
        fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = b ? (size_t)len : 0;
    return b;
}

typedef struct {
    const unsigned char *z;
    size_t n;
    char *why;
    size_t whysize;
} zipread;

static int fail(zipread *zr, const char *what, const char *name)
{
    snprintf(zr->why, zr->whysize, "%s%s%s", what, name ? " " : "",
             name ? name : "");
    return -1;
}

/* Inflates the entry whose local header is at off and checks it against
 * the central directory's size and CRC; the sheet XML must also end with
 * its closing tag. */
static int check_entry(zipread *zr, const char *name, size_t off,
                       unsigned method, size_t csize, size_t usize,
                       uint32_t crc)
{
    if (off + 30 > zr->n || le32(zr->z + off) != 0x04034b50)
        return fail(zr, "a broken local header for", name);
    size_t data = off + 30 + le16(zr->z + off + 26) + le16(zr->z + off + 28);
    if (data > zr->n || csize > zr->n - data)
        return fail(zr, "a truncated entry", name);
    unsigned char *out = malloc(usize ? usize : 1);
    if (!out)
        return fail(zr, "out of memory reading", name);
    size_t got = 0;
    if (method == 0 && csize == usize) {
        memcpy(out, zr->z + data, usize);
        got = usize;
    } else if (method == 8) {
        z_stream s;
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, -MAX_WBITS) == Z_OK) {
            s.next_in = (unsigned char *)(zr->z + data);
            s.avail_in = (uInt)csize;
            s.next_out = out;
            s.avail_out = (uInt)usize;
            if (inflate(&s, Z_FINISH) == Z_STREAM_END)
                got = s.total_out;
            inflateEnd(&s);
        }
    }
    int ok = got == usize &&
             crc32(0L, out, (uInt)usize) == crc;
    int sheet = strncmp(name, "xl/worksheets/sheet", 19) == 0;
    const char *tail = "</worksheet>";
    size_t tl = strlen(tail);
    if (ok && sheet && (usize < tl || memcmp(out + usize - tl, tail, tl) != 0))
        ok = 0;
    free(out);
    return ok ? 0 : fail(zr, "a damaged part", name);
}

/* 0 when the central directory lists the workbook's parts and each one
 * reads back whole; -1 with the reason in why. */
static int check_directory(zipread *zr, int nsheets)
{
    const unsigned char *z = zr->z;
    size_t n = zr->n, eocd = 0;
    int found = 0;
    for (size_t k = n - 22 + 1; k-- > 0 && n - k <= 22 + 65535;)
        if (le32(z + k) == 0x06054b50) {
            eocd = k;
            found = 1;
            break;
        }
    if (!found)
        return fail(zr, "no zip end record", NULL);
    size_t count = le16(z + eocd + 10), cd = le32(z + eocd + 16);
    int have_types = 0, have_book = 0, sheets = 0;
    for (size_t i = 0; i < count; i++) {
        if (cd + 46 > n || le32(z + cd) != 0x02014b50)
            return fail(zr, "a broken central directory", NULL);
        unsigned method = le16(z + cd + 10), nl = le16(z + cd + 28);
        uint32_t crc = le32(z + cd + 16);
        size_t cs = le32(z + cd + 20), us = le32(z + cd + 24);
        size_t extra = le16(z + cd + 30), com = le16(z + cd + 32);
        size_t off = le32(z + cd + 42);
        char name[256];
        if (cd + 46 + nl > n || nl >= sizeof name)
            return fail(zr, "a broken central directory", NULL);
        memcpy(name, z + cd + 46, nl);
        name[nl] = '\0';
        if (check_entry(zr, name, off, method, cs, us, crc) != 0)
            return -1;
        have_types |= strcmp(name, "[Content_Types].xml") == 0;
        have_book |= strcmp(name, "xl/workbook.xml") == 0;
        sheets += strncmp(name, "xl/worksheets/sheet", 19) == 0;
        cd += 46 + nl + extra + com;
    }
    if (!have_types || !have_book)
        return fail(zr, "a workbook without its main parts", NULL);
    if (sheets != nsheets)
        return fail(zr, "missing sheets", NULL);
    return 0;
}

int xw_verify(const char *path, int nsheets, char *why, size_t whysize)
{
    size_t n;
    unsigned char *z = slurp(path, &n);
    zipread zr = {z, n, why, whysize};
    int rc;
    if (!z)
        rc = fail(&zr, "an unreadable file", NULL);
    else if (n < 22 + 30)
        rc = fail(&zr, "a file too short to be a workbook", NULL);
    else
        rc = check_directory(&zr, nsheets);
    free(z);
    return rc;
}
