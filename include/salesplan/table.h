/* Number formatting at the edges of the program, and terminal grids.
 *
 * Every formatter writes a NUL-terminated string into buf (truncated to
 * size, which SP_FMT_MAX always suffices for) and prints an undefined value
 * (NaN or an infinity) as an em dash, never "nan". */
#ifndef SALESPLAN_TABLE_H
#define SALESPLAN_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define SP_FMT_MAX 64

/* The undefined value as printed: U+2014 EM DASH. */
#define SP_UNDEFINED "\xe2\x80\x94"

/* Whole units with thousands separators after the currency sign:
 * "$1,234,567", "-$1,234", "¥900". currency may be "" or NULL. */
void sp_fmt_money(double x, const char *currency, char *buf, size_t size);
/* Three significant digits with a k / M / B / T suffix for narrow columns:
 * "$1.23M", "$845k", "-$12.5k", "$999". */
void sp_fmt_money_compact(double x, const char *currency, char *buf,
                          size_t size);
/* A count with thousands separators and the given number of decimals
 * (0 or more): "1,234", "12.5". */
void sp_fmt_count(double x, int decimals, char *buf, size_t size);
/* A fraction as a percentage with the given decimals: 0.342 -> "34.2%". */
void sp_fmt_percent(double x, int decimals, char *buf, size_t size);

/* Display width of UTF-8 text in terminal columns: one per code point,
 * ANSI escape sequences count for nothing. */
int sp_text_width(const char *s);

/* Sparkline of x[0..n-1] in ▁▂▃▄▅▆▇█ scaled between the series' minimum and
 * maximum; an undefined value is a space and a constant series is all ▄.
 * Writes as many whole glyphs as fit in size (each takes 3 bytes) and
 * returns the number of glyphs written. */
int sp_sparkline(const double *x, int n, char *buf, size_t size);

/* A grid of text: a left-aligned row-label column and N right-aligned value
 * columns with headers.  The table owns copies of everything put in it.
 * Texts longer than SP_FMT_MAX - 1 bytes are cut. */
typedef struct sp_table sp_table;

/* NULL when memory ran out.  corner is the text above the row labels (may
 * be NULL). */
sp_table *sp_table_new(int ncols, const char *corner);
void sp_table_free(sp_table *t);
void sp_table_header(sp_table *t, int col, const char *text);
/* Appends a row and returns its index, or -1 when memory ran out.  A NULL
 * label appends a blank line that separates groups of rows. */
int sp_table_row(sp_table *t, const char *label);
/* Sets one cell; NULL leaves it empty. */
void sp_table_set(sp_table *t, int row, int col, const char *text);
/* Sets one cell showing the number x: csv and json print x itself. */
void sp_table_set_num(sp_table *t, int row, int col, const char *text,
                      double x);
int sp_table_rows(const sp_table *t);

/* Prints the table so that no line is wider than width columns: when the
 * value columns do not fit side by side they are wrapped into blocks
 * separated by a blank line, each repeating the row labels.  A single
 * column wider than width is printed alone (it cannot be split).  width <= 0
 * means no limit.  color: headers in bold (ANSI), only when non-zero. */
void sp_table_print(FILE *f, const sp_table *t, int width, int color);

/* How every table prints (`mode`, like sqlite3's .mode): aligned for the
 * terminal, CSV (a header line, then a line a row; numbers in full), a
 * markdown table, or one JSON object a table a line:
 * {"title": ..., "columns": [...], "rows": [[label, value, ...], ...]}.
 * Outside the table mode, blank separator rows are left out and prose
 * printed with sp_table_note becomes the next table's title (markdown:
 * a bold line; json: "title"; csv: left out). */
typedef enum { SP_MODE_TABLE, SP_MODE_CSV, SP_MODE_MARKDOWN, SP_MODE_JSON } sp_out_mode;
void sp_table_set_mode(int mode);
int sp_table_mode(void);
/* A line of prose around tables: printed in the table mode, else kept as
 * the next table's title. */
void sp_table_note(FILE *f, const char *text);
/* printf-like: as is in the table mode, else folded into one caption. */
void sp_table_notef(FILE *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
