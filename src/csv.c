/* Comma-separated text into records of fields with their places. */
#include "salesplan/csv.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, pos;
    int line, col;
    const char *name;
    sp_error *err;
} reader;

typedef struct {
    char *b;
    size_t n, cap;
} buf;

static int buf_put(buf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        char *nb = realloc(b->b, cap);
        if (!nb)
            return -1;
        b->b = nb;
        b->cap = cap;
    }
    b->b[b->n++] = c;
    b->b[b->n] = 0;
    return 0;
}

/* The next byte, moving the place on: a column is a character, so the
 * continuation bytes of UTF-8 do not count. */
static int take(reader *r)
{
    unsigned char c = (unsigned char)r->s[r->pos++];
    if (c == '\n') {
        r->line++;
        r->col = 1;
    } else if ((c & 0xc0) != 0x80) {
        r->col++;
    }
    return c;
}

static int at_end(const reader *r)
{
    return r->pos >= r->len;
}

static int peekc(const reader *r)
{
    return at_end(r) ? -1 : (unsigned char)r->s[r->pos];
}

static sp_status fail(reader *r, int line, int col, const char *what)
{
    sp_loc l = {r->name, line};
    return sp_error_set(r->err, SP_ERR_PARSE, &l, col, "%s", what);
}

static int add_field(sp_csv_record *rec, buf *b, int line, int col)
{
    sp_csv_field *nf = realloc(rec->f, (size_t)(rec->n + 1) * sizeof *nf);
    if (!nf)
        return -1;
    rec->f = nf;
    rec->f[rec->n].s = b->b ? b->b : strdup("");
    rec->f[rec->n].line = line;
    rec->f[rec->n].col = col;
    b->b = NULL;
    b->n = b->cap = 0;
    return rec->f[rec->n++].s ? 0 : -1;
}

/* One field starting at the reader's place, up to (not past) the comma
 * or line end after it. */
static sp_status read_field(reader *r, buf *b)
{
    if (peekc(r) != '"') {
        while (!at_end(r) && peekc(r) != ',' && peekc(r) != '\n' &&
               !(peekc(r) == '\r' && r->pos + 1 < r->len &&
                 r->s[r->pos + 1] == '\n'))
            if (buf_put(b, (char)take(r)) != 0)
                return SP_ERR_NOMEM;
        return SP_OK;
    }
    int line = r->line, col = r->col;
    take(r);
    for (;;) {
        if (at_end(r))
            return fail(r, line, col, "expected a closing '\"' for the quoted field "
                        "that starts here, found the end of the file");
        int c = take(r);
        if (c == '"') {
            if (peekc(r) != '"')
                break;
            take(r);
        }
        if (buf_put(b, (char)c) != 0)
            return SP_ERR_NOMEM;
    }
    if (!at_end(r) && peekc(r) != ',' && peekc(r) != '\n' && peekc(r) != '\r')
        return fail(r, r->line, r->col, "expected ',' or the end of the line after a "
                    "closing '\"'");
    if (!b->b && buf_put(b, 0) != 0)   /* "" is an empty field */
        return SP_ERR_NOMEM;
    return SP_OK;
}

static int blank_record(const sp_csv_record *rec)
{
    return rec->n == 1 && rec->f[0].s[0] == 0;
}

static void record_free(sp_csv_record *rec)
{
    for (int i = 0; i < rec->n; i++)
        free(rec->f[i].s);
    free(rec->f);
    memset(rec, 0, sizeof *rec);
}

static sp_status read_record(reader *r, sp_csv_record *rec)
{
    rec->line = r->line;
    for (;;) {
        buf b = {0};
        int line = r->line, col = r->col;
        sp_status st = read_field(r, &b);
        if (st == SP_OK && add_field(rec, &b, line, col) != 0)
            st = SP_ERR_NOMEM;
        free(b.b);
        if (st != SP_OK)
            return st;
        if (peekc(r) == ',') {
            take(r);
            continue;
        }
        if (peekc(r) == '\r')
            take(r);
        if (peekc(r) == '\n')
            take(r);
        return SP_OK;
    }
}

sp_status sp_csv_parse(const char *text, size_t len, const char *name,
                       sp_csv *out, sp_error *err)
{
    reader r = {text, len, 0, 1, 1, name, err};
    memset(out, 0, sizeof *out);
    if (memchr(text, 0, len)) {
        const char *z = memchr(text, 0, len);
        int line = 1;
        for (const char *p = text; p < z; p++)
            line += *p == '\n';
        sp_loc l = {name, line};
        return sp_error_set(err, SP_ERR_PARSE, &l, 0, "text, found a NUL "
                            "byte (is this a CSV file?)");
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        r.pos = 3;
    sp_status st = SP_OK;
    while (st == SP_OK && !at_end(&r)) {
        sp_csv_record rec = {0};
        st = read_record(&r, &rec);
        if (st != SP_OK || blank_record(&rec)) {
            record_free(&rec);
            continue;
        }
        sp_csv_record *nr = realloc(out->r, (size_t)(out->n + 1) * sizeof *nr);
        if (!nr) {
            record_free(&rec);
            st = SP_ERR_NOMEM;
            break;
        }
        out->r = nr;
        out->r[out->n++] = rec;
    }
    if (st == SP_ERR_NOMEM)
        sp_error_set(err, st, NULL, 0, "out of memory");
    if (st != SP_OK)
        sp_csv_free(out);
    return st;
}

void sp_csv_free(sp_csv *c)
{
    for (int i = 0; i < c->n; i++)
        record_free(&c->r[i]);
    free(c->r);
    memset(c, 0, sizeof *c);
}

void sp_csv_write_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
