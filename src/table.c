/* Number formatting and terminal grids.  Numbers are kept as doubles
 * everywhere else; only here do they become text, so rounding and the
 * undefined marker are decided in one place. */
#include "salesplan/table.h"
#include "salesplan/csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(char *buf, size_t size, const char *s)
{
    if (size == 0)
        return;
    size_t n = strlen(s);
    if (n >= size) {
        /* Cut at a code point boundary so a truncated cell never ends in
         * half of a multi-byte character. */
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* sign + currency + |x| with `decimals` decimals and thousands separators.
 * %.*f prints every integer digit of a double exactly, so grouping its
 * output never loses precision the way dividing by 1000 repeatedly would. */
static void fmt_grouped(double x, int decimals, const char *currency,
                        const char *suffix, char *buf, size_t size)
{
    char digits[400];
    char out[512];

    if (!isfinite(x)) {
        copy_text(buf, size, SP_UNDEFINED);
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(x));
    /* A negative value that rounds to zero prints as zero, not "-0". */
    int neg = 0;
    if (x < 0) {
        for (const char *p = digits; *p; p++)
            if (*p >= '1' && *p <= '9') {
                neg = 1;
                break;
            }
    }
    const char *dot = strchr(digits, '.');
    size_t intlen = dot ? (size_t)(dot - digits) : strlen(digits);
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (currency) {
        size_t cl = strlen(currency);
        if (cl > 16)
            cl = 16;
        memcpy(out + o, currency, cl);
        o += cl;
    }
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    if (dot) {
        size_t fl = strlen(dot);
        memcpy(out + o, dot, fl);
        o += fl;
    }
    out[o] = '\0';
    if (suffix)
        strncat(out, suffix, sizeof out - o - 1);
    copy_text(buf, size, out);
}

void sp_fmt_money(double x, const char *currency, char *buf, size_t size)
{
    fmt_grouped(x, 0, currency, NULL, buf, size);
}

void sp_fmt_money_compact(double x, const char *currency, char *buf,
                          size_t size)
{
    static const struct { double scale; const char *suffix; } units[] = {
        {1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"},
    };
    char num[400];
    char out[512];

    if (!isfinite(x)) {
        copy_text(buf, size, SP_UNDEFINED);
        return;
    }
    double a = fabs(x);
    const char *cur = currency ? currency : "";
    /* The thresholds sit just below each unit so that 999,700 becomes
     * "$1.00M" rather than "$1000k". */
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (a >= units[i].scale * 0.9995) {
            double v = a / units[i].scale;
            int dec = v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
            snprintf(num, sizeof num, "%.*f", dec, v);
            snprintf(out, sizeof out, "%s%s%s%s", x < 0 ? "-" : "", cur, num,
                     units[i].suffix);
            copy_text(buf, size, out);
            return;
        }
    }
    fmt_grouped(x, 0, currency, NULL, buf, size);
}

void sp_fmt_count(double x, int decimals, char *buf, size_t size)
{
    fmt_grouped(x, decimals, NULL, NULL, buf, size);
}

void sp_fmt_percent(double x, int decimals, char *buf, size_t size)
{
    fmt_grouped(x * 100, decimals, NULL, "%", buf, size);
}

int sp_text_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p == 0x1B && p[1] == '[') {
            /* CSI: parameters and intermediates, then one final byte. */
            p += 2;
            while (*p && !(*p >= 0x40 && *p <= 0x7E))
                p++;
            if (*p)
                p++;
            continue;
        }
        if ((*p & 0xC0) != 0x80)
            w++;
        p++;
    }
    return w;
}

int sp_sparkline(const double *x, int n, char *buf, size_t size)
{
    static const char *const bars[8] = {
        "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
        "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
    };
    double lo = INFINITY, hi = -INFINITY;
    size_t o = 0;
    int count = 0;

    if (size == 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i])) {
            if (x[i] < lo)
                lo = x[i];
            if (x[i] > hi)
                hi = x[i];
        }
    for (int i = 0; i < n; i++) {
        const char *g;
        if (!isfinite(x[i]))
            g = " ";
        else if (!(hi > lo))
            g = bars[3]; /* flat: the middle bar says "no change" */
        else {
            int k = (int)lround((x[i] - lo) / (hi - lo) * 7);
            g = bars[k < 0 ? 0 : k > 7 ? 7 : k];
        }
        size_t gl = strlen(g);
        if (o + gl >= size)
            break;
        memcpy(buf + o, g, gl);
        o += gl;
        count++;
    }
    buf[o] = '\0';
    return count;
}

/* ---- grids ------------------------------------------------------------ */

typedef char sp_cell[SP_FMT_MAX];

struct sp_table {
    int ncols, nrows, cap;
    sp_cell corner;
    sp_cell *headers;  /* [ncols] */
    sp_cell *labels;   /* [cap] */
    char *is_blank;    /* [cap] */
    sp_cell *cells;    /* [cap * ncols] */
    double *nums;      /* [cap * ncols] the value a cell shows, */
    char *has_num;     /* [cap * ncols] when it was given */
};

/* How tables print (sp_out_mode) and the prose waiting to caption the next
 * table in the other modes: the shell has one output at a time. */
static int out_mode;
static char caption[1024];

void sp_table_set_mode(int mode)
{
    out_mode = mode;
    caption[0] = 0;
}

int sp_table_mode(void)
{
    return out_mode;
}

void sp_table_notef(FILE *f, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (out_mode == SP_MODE_TABLE) {
        fputs(text, f);
        return;
    }
    /* a caption is one line */
    for (char *p = text; *p; p++)
        if (*p == '\n')
            *p = ' ';
    char *b = text + strspn(text, " "), *e = b + strlen(b);
    while (e > b && e[-1] == ' ')
        *--e = 0;
    if (*b)
        sp_table_note(f, b);
}

void sp_table_note(FILE *f, const char *text)
{
    if (out_mode == SP_MODE_TABLE) {
        fprintf(f, "%s\n", text);
        return;
    }
    size_t l = strlen(caption);
    snprintf(caption + l, sizeof caption - l, "%s%s", l ? " " : "", text);
}

sp_table *sp_table_new(int ncols, const char *corner)
{
    if (ncols < 0)
        return NULL;
    sp_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->headers = calloc(ncols > 0 ? (size_t)ncols : 1, sizeof *t->headers);
    if (!t->headers) {
        free(t);
        return NULL;
    }
    copy_text(t->corner, sizeof t->corner, corner ? corner : "");
    return t;
}

void sp_table_free(sp_table *t)
{
    if (!t)
        return;
    free(t->headers);
    free(t->labels);
    free(t->is_blank);
    free(t->cells);
    free(t->nums);
    free(t->has_num);
    free(t);
}

void sp_table_header(sp_table *t, int col, const char *text)
{
    if (t && col >= 0 && col < t->ncols)
        copy_text(t->headers[col], sizeof(sp_cell), text ? text : "");
}

int sp_table_row(sp_table *t, const char *label)
{
    if (!t)
        return -1;
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        size_t nc = t->ncols > 0 ? (size_t)t->ncols : 1;
        sp_cell *labels = realloc(t->labels, (size_t)cap * sizeof *labels);
        if (!labels)
            return -1;
        t->labels = labels;
        char *blank = realloc(t->is_blank, (size_t)cap);
        if (!blank)
            return -1;
        t->is_blank = blank;
        sp_cell *cells = realloc(t->cells, (size_t)cap * nc * sizeof *cells);
        if (!cells)
            return -1;
        t->cells = cells;
        double *nums = realloc(t->nums, (size_t)cap * nc * sizeof *nums);
        if (!nums)
            return -1;
        t->nums = nums;
        char *has = realloc(t->has_num, (size_t)cap * nc);
        if (!has)
            return -1;
        t->has_num = has;
        t->cap = cap;
    }
    int r = t->nrows++;
    copy_text(t->labels[r], sizeof(sp_cell), label ? label : "");
    t->is_blank[r] = label == NULL;
    for (int c = 0; c < t->ncols; c++) {
        t->cells[(size_t)r * t->ncols + c][0] = '\0';
        t->has_num[(size_t)r * t->ncols + c] = 0;
    }
    return r;
}

void sp_table_set(sp_table *t, int row, int col, const char *text)
{
    if (!t || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return;
    copy_text(t->cells[(size_t)row * t->ncols + col], sizeof(sp_cell),
              text ? text : "");
}

void sp_table_set_num(sp_table *t, int row, int col, const char *text,
                      double x)
{
    sp_table_set(t, row, col, text);
    if (!t || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return;
    t->nums[(size_t)row * t->ncols + col] = x;
    t->has_num[(size_t)row * t->ncols + col] = 1;
}

int sp_table_rows(const sp_table *t)
{
    return t ? t->nrows : 0;
}

static void pad(FILE *f, int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', f);
}

/* Cells are right-aligned; an empty cell at the end of a line would leave
 * trailing spaces, so lines are written up to their last non-empty cell. */
static void print_line(FILE *f, const char *label, int lw, const char *cells,
                       int stride, const int *cw, int c0, int c1)
{
    int last = c0 - 1;
    for (int c = c0; c < c1; c++)
        if (cells[(size_t)c * stride])
            last = c;
    if (last < c0) {
        fputs(label, f);
        fputc('\n', f);
        return;
    }
    fputs(label, f);
    pad(f, lw - sp_text_width(label));
    for (int c = c0; c <= last; c++) {
        const char *s = cells + (size_t)c * stride;
        pad(f, 2 + cw[c] - sp_text_width(s));
        fputs(s, f);
    }
    fputc('\n', f);
}

/* ---- csv, markdown and json ---- */

static void put_json_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* A cell's own number at full precision where it has one, so that what a
 * script reads is the figure and not its rounding for the eye; an
 * undefined value is empty (csv) or null (json). */
static void put_cell(FILE *f, const sp_table *t, int r, int c, int json)
{
    size_t i = (size_t)r * t->ncols + c;
    if (t->has_num[i]) {
        if (isfinite(t->nums[i]))
            fprintf(f, "%.15g", t->nums[i]);
        else if (json)
            fputs("null", f);
        return;
    }
    if (json)
        put_json_text(f, t->cells[i]);
    else
        sp_csv_write_field(f, t->cells[i]);
}

static void print_csv(FILE *f, const sp_table *t)
{
    sp_csv_write_field(f, t->corner);
    for (int c = 0; c < t->ncols; c++) {
        fputc(',', f);
        sp_csv_write_field(f, t->headers[c]);
    }
    fputc('\n', f);
    for (int r = 0; r < t->nrows; r++) {
        if (t->is_blank[r])
            continue;
        sp_csv_write_field(f, t->labels[r]);
        for (int c = 0; c < t->ncols; c++) {
            fputc(',', f);
            put_cell(f, t, r, c, 0);
        }
        fputc('\n', f);
    }
}

/* Pipes inside a markdown cell would end it. */
static void put_md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void print_markdown(FILE *f, const sp_table *t)
{
    fputs("| ", f);
    put_md_text(f, t->corner);
    for (int c = 0; c < t->ncols; c++) {
        fputs(" | ", f);
        put_md_text(f, t->headers[c]);
    }
    fputs(" |\n|---", f);
    for (int c = 0; c < t->ncols; c++)
        fputs("|---:", f);
    fputs("|\n", f);
    for (int r = 0; r < t->nrows; r++) {
        if (t->is_blank[r])
            continue;
        fputs("| ", f);
        put_md_text(f, t->labels[r]);
        for (int c = 0; c < t->ncols; c++) {
            fputs(" | ", f);
            put_md_text(f, t->cells[(size_t)r * t->ncols + c]);
        }
        fputs(" |\n", f);
    }
}

/* One object a line (JSON Lines), so that a command printing several
 * tables still gives a stream any JSON reader takes line by line. */
static void print_json(FILE *f, const sp_table *t)
{
    fputs("{\"title\": ", f);
    put_json_text(f, caption);
    fputs(", \"columns\": [", f);
    put_json_text(f, t->corner);
    for (int c = 0; c < t->ncols; c++) {
        fputs(", ", f);
        put_json_text(f, t->headers[c]);
    }
    fputs("], \"rows\": [", f);
    int first = 1;
    for (int r = 0; r < t->nrows; r++) {
        if (t->is_blank[r])
            continue;
        fputs(first ? "[" : ", [", f);
        first = 0;
        put_json_text(f, t->labels[r]);
        for (int c = 0; c < t->ncols; c++) {
            fputs(", ", f);
            put_cell(f, t, r, c, 1);
        }
        fputc(']', f);
    }
    fputs("]}\n", f);
}

void sp_table_print(FILE *f, const sp_table *t, int width, int color)
{
    if (!t)
        return;
    if (out_mode != SP_MODE_TABLE) {
        if (out_mode == SP_MODE_CSV)
            print_csv(f, t);
        else if (out_mode == SP_MODE_MARKDOWN) {
            if (caption[0])
                fprintf(f, "**%s**\n\n", caption);
            print_markdown(f, t);
            fputc('\n', f);
        } else
            print_json(f, t);
        caption[0] = 0;
        return;
    }
    int lw = sp_text_width(t->corner);
    for (int r = 0; r < t->nrows; r++) {
        int w = sp_text_width(t->labels[r]);
        if (w > lw)
            lw = w;
    }
    int *cw = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *cw);
    if (!cw) {
        fputs("(out of memory)\n", f);
        return;
    }
    for (int c = 0; c < t->ncols; c++) {
        cw[c] = sp_text_width(t->headers[c]);
        for (int r = 0; r < t->nrows; r++) {
            int w = sp_text_width(t->cells[(size_t)r * t->ncols + c]);
            if (w > cw[c])
                cw[c] = w;
        }
    }
    int c0 = 0;
    do {
        /* As many columns as fit after the labels, at least one. */
        int used = lw, c1 = c0;
        while (c1 < t->ncols &&
               (c1 == c0 || width <= 0 || used + 2 + cw[c1] <= width)) {
            used += 2 + cw[c1];
            c1++;
        }
        if (c0 > 0)
            fputc('\n', f);
        if (color)
            fputs("\033[1m", f);
        fputs(t->corner, f);
        pad(f, lw - sp_text_width(t->corner));
        for (int c = c0; c < c1; c++) {
            pad(f, 2 + cw[c] - sp_text_width(t->headers[c]));
            fputs(t->headers[c], f);
        }
        if (color)
            fputs("\033[0m", f);
        fputc('\n', f);
        for (int r = 0; r < t->nrows; r++) {
            if (t->is_blank[r]) {
                fputc('\n', f);
                continue;
            }
            print_line(f, t->labels[r], lw,
                       t->cells[(size_t)r * t->ncols], SP_FMT_MAX, cw, c0,
                       c1);
        }
        c0 = c1;
    } while (c0 < t->ncols);
    free(cw);
}
