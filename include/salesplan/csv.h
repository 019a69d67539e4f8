/* A small reader of comma-separated text (RFC 4180): quoted fields with
 * doubled quotes, commas and line breaks inside quotes, CRLF or LF line
 * ends, a UTF-8 byte-order mark.  Every field keeps the line and column
 * it starts at, so a reader of the values can say where one is wrong.
 *
 * Ownership: an sp_csv owns its records and field texts; sp_csv_free
 * releases them. */
#ifndef SALESPLAN_CSV_H
#define SALESPLAN_CSV_H

#include <stddef.h>
#include <stdio.h>
#include "salesplan/error.h"

typedef struct {
    char *s;            /* the value, quotes removed, NUL-terminated */
    int line, col;      /* where it starts: 1-based; col in characters */
} sp_csv_field;

typedef struct {
    int n;
    sp_csv_field *f;
    int line;           /* the line the record starts on */
} sp_csv_record;

typedef struct {
    int n;
    sp_csv_record *r;
} sp_csv;

/* Reads text[0..len) into *out; blank lines are skipped.  On an error
 * (an unterminated quote, text after a closing quote, a NUL byte) err
 * says NAME:LINE:COL and what was expected, and *out holds nothing. */
sp_status sp_csv_parse(const char *text, size_t len, const char *name,
                       sp_csv *out, sp_error *err);
void sp_csv_free(sp_csv *c);

/* Writes s as one CSV field: as it is, or quoted with inner quotes doubled
 * when it holds a comma, a quote or a line break. */
void sp_csv_write_field(FILE *f, const char *s);

#endif
