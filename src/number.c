/* Numbers and months as plan files write them, and the shortest text that
 * reads each number back exactly (see number.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/number.h"

/* Currency signs accepted in front of a number, as UTF-8 bytes. */
static const char *const currency_signs[] = {
    "$", "\xC2\xA5", "\xE2\x82\xAC", "\xC2\xA3"
};

static size_t currency_len(const char *s)
{
    for (size_t i = 0; i < sizeof currency_signs / sizeof *currency_signs; i++) {
        size_t n = strlen(currency_signs[i]);
        if (strncmp(s, currency_signs[i], n) == 0)
            return n;
    }
    return 0;
}

/* The decimal digits are copied into a plain "DIGITS.FRACeEXP" string with
 * the suffix folded into the exponent, so strtod rounds once: 1.2M reads as
 * "1.2e6" == 1200000 exactly, where 1.2 * 1e6 would not be. */
int sp_parse_number(const char *s, double *out, int *is_percent)
{
    char buf[128];
    size_t n = 0, ndig = 0;
    long exp10 = 0;
    int pct = 0;
    const char *p = s;

    if (!s)
        return -1;
    if (*p == '-' || *p == '+') {
        if (*p == '-')
            buf[n++] = '-';
        p++;
    }
    p += currency_len(p);

    const char *grp = p;
    while (isdigit((unsigned char)*p)) {
        if (n + 1 >= 64)
            return -1;
        buf[n++] = *p++;
        ndig++;
    }
    if (*p == ',') {
        if (p - grp < 1 || p - grp > 3)
            return -1;
        while (*p == ',') {
            p++;
            for (int i = 0; i < 3; i++) {
                if (!isdigit((unsigned char)p[i]))
                    return -1;
            }
            if (n + 3 >= 64)
                return -1;
            memcpy(buf + n, p, 3);
            n += 3;
            ndig += 3;
            p += 3;
        }
        if (isdigit((unsigned char)*p))
            return -1;
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        buf[n++] = '.';
        while (isdigit((unsigned char)*p)) {
            if (n + 1 >= 100)
                return -1;
            buf[n++] = *p++;
            ndig++;
        }
    }
    if (ndig == 0)
        return -1;
    /* Exponents are not needed when writing plans, but the shortest exact
     * form of a tiny or huge number (1e-07) uses one, and what we print
     * must read back. */
    if (*p == 'e' || *p == 'E') {
        int neg = 0;
        long e = 0;
        p++;
        if (*p == '-' || *p == '+')
            neg = *p++ == '-';
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p)) {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
        }
        exp10 = neg ? -e : e;
    }
    switch (*p) {
    case 'k': case 'K': exp10 += 3; p++; break;
    case 'm': case 'M': exp10 += 6; p++; break;   /* 1.2m as 1.2M */
    case 'B': exp10 += 9; p++; break;
    default: break;
    }
    if (*p == '%') {
        pct = 1;
        p++;
    }
    if (*p != '\0')
        return -1;
    snprintf(buf + n, sizeof buf - n, "e%ld", exp10);

    double x = strtod(buf, NULL);
    if (!isfinite(x))
        return -1;
    if (pct)
        x = x / 100;
    if (x == 0)
        x = 0;      /* -0 is 0: nobody means a negative zero */
    *out = x;
    if (is_percent)
        *is_percent = pct;
    return 0;
}

int sp_parse_month(const char *s, int *out)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && !isdigit((unsigned char)s[i]))
            return -1;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10
             + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    if (year < 1900 || year > 2999 || month < 1 || month > 12)
        return -1;
    *out = year * 12 + month - 1;
    return 0;
}

void sp_format_month(int month, char *buf)
{
    int year = month / 12, m = month % 12;

    if (m < 0) {
        m += 12;
        year--;
    }
    /* The modulo keeps the output inside 8 bytes for any int. */
    snprintf(buf, 8, "%04d-%02d", ((year % 10000) + 10000) % 10000, m + 1);
}

/* %g switches to an exponent as soon as the exponent reaches the precision,
 * so the shortest form of 900000 is "9e+05".  Such a number is whole (all
 * its digits are before the point), and below 1e17 it is written out in
 * full instead: the same value, and what a person expects in a saved plan. */
static void write_out(char *buf)
{
    double v = strtod(buf, NULL);

    if (strchr(buf, 'e') && fabs(v) >= 1 && fabs(v) < 1e17)
        snprintf(buf, 32, "%.0f", v);
}

void sp_format_exact(double x, char *buf)
{
    int p;

    for (p = 1; p <= 17; p++) {
        snprintf(buf, 32, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    write_out(buf);
}

/* Percentages print from x * 100, which is not always exact: the shortest
 * digits are kept only when they read back, as a percentage, to x itself. */
int sp_format_percent(double x, char *buf)
{
    for (int p = 1; p <= 17; p++) {
        double back;
        snprintf(buf, 32, "%.*g", p, x * 100);
        write_out(buf);
        strcat(buf, "%");
        if (sp_parse_number(buf, &back, NULL) == 0 && back == x)
            return 0;
    }
    return -1;
}

int sp_parse_whole(const char *s, double *out)
{
    int pct = 0;
    double x;
    if (sp_parse_number(s, &x, &pct) != 0 || pct || x != floor(x))
        return -1;
    *out = x;
    return 0;
}
