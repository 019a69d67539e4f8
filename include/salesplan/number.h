/* Numbers and calendar months as plans write them: reading `$1.2M`,
 * `1,200,000`, `20%` or `2027-03`, and printing a number as the shortest
 * text that reads back to exactly the same double. */
#ifndef SALESPLAN_NUMBER_H
#define SALESPLAN_NUMBER_H

/* A number with optional sign, currency sign ($ ¥ € £), thousands
 * separators (1,200,000), suffix k/K, M, B (thousand, million, billion) and
 * percent sign (value / 100).  *is_percent (may be NULL) tells whether a
 * percent sign was present.  Returns 0 or -1 (not a number; *out untouched). */
int sp_parse_number(const char *s, double *out, int *is_percent);
/* A whole number of something (people, months, trials): sp_parse_number
 * without a percent sign, since 500% of a headcount is never meant.
 * 0, or -1 when s is not a number, has a '%' or is not whole. */
int sp_parse_whole(const char *s, double *out);

/* YYYY-MM -> year*12 + month-1.  Returns 0 or -1. */
int sp_parse_month(const char *s, int *out);
/* Writes YYYY-MM into buf (at least 8 bytes). */
void sp_format_month(int month, char *buf);

/* Shortest decimal text of x that reads back to exactly x (printf %g style,
 * 1 to 17 significant digits).  buf must hold 32 bytes. */
void sp_format_exact(double x, char *buf);

/* Shortest percentage text of x (0.2 -> "20%") that sp_parse_number reads
 * back to exactly x.  buf must hold 40 bytes.  Returns 0, or -1 when no
 * percentage reads back exactly (buf then holds nothing useful). */
int sp_format_percent(double x, char *buf);

#endif
