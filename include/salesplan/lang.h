/* The statement language: splitting text into statements and tokens, and
 * parsing tokens into typed values (INTERFACE.md section 1).
 *
 * Every error is reported through sp_error with "FILE:LINE:COL: " in front,
 * saying what was expected and what was found. */
#ifndef SALESPLAN_LANG_H
#define SALESPLAN_LANG_H

#include <stddef.h>
#include <stdio.h>
#include "salesplan/error.h"
#include "salesplan/nearest.h"
#include "salesplan/number.h"
#include "salesplan/value.h"

/* One token of a statement.  s is a NUL-terminated copy (quotes removed for
 * quoted strings); line and col (1-based, in bytes) locate its first char. */
typedef struct {
    char *s;
    int line;
    int col;
    int quoted;
} sp_token;

typedef struct {
    sp_token *v;
    int n, cap;
} sp_tokens;

void sp_tokens_free(sp_tokens *t);

/* Read the next statement of text from *pos, updating *pos and *line (the
 * 1-based line number of text[*pos]).  Rules: `#` outside quotes starts a
 * comment to the end of the line; a trailing `\` joins the next line; `;`
 * outside quotes and parentheses ends a statement; whitespace separates
 * tokens except inside "double quotes" and inside parentheses, so
 * `lognormal(mean=0.95, sd=0.3)` is one token.  Blank statements are
 * skipped.  Returns 1 with tokens in out (out is cleared first), 0 at the
 * end of the text, -1 with err set (unterminated quote or parenthesis). */
int sp_next_statement(const char *text, size_t *pos, int *line,
                      const char *file, sp_tokens *out, sp_error *err);

/* sp_parse_number for a value of unit u: a percentage is refused for
 * money, months and counts.  Returns 0 or -1. */
int sp_parse_number_in_unit(const char *s, sp_unit u, double *x);

/* Parse tokens t->v[first .. t->n-1] as a value of the given type and unit
 * (unit2 is the unit of the second member of a pair).  enum_words is a
 * `|`-separated list for SP_T_ENUM.  file names the source for errors.
 * On error out holds nothing. */
sp_status sp_parse_value(sp_type type, sp_unit unit, sp_unit unit2,
                         const char *enum_words, const sp_tokens *t,
                         int first, const char *file, sp_value *out,
                         sp_error *err);

/* Canonical text of a value, which sp_parse_value reads back to an equal
 * value (numbers print in their shortest exact form; percentages as `20%`).
 * Returns a malloc'd string or NULL when memory ran out. */
char *sp_format_value(const sp_value *v, sp_unit unit, sp_unit unit2,
                      const char *enum_words);

#endif
