#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include "salesplan/dist.h"
#include "salesplan/nearest.h"
#include "salesplan/number.h"

typedef struct {
    const char *name;
    sp_dist_kind kind;
    int nreq, nmax;            /* required and total parameters */
    const char *args[4];
    double defaults[4];        /* for the optional parameters */
} family;

static const family families[] = {
    { "fixed",      SP_D_FIXED,      1, 1, { "x" }, { 0 } },
    { "uniform",    SP_D_UNIFORM,    2, 2, { "min", "max" }, { 0 } },
    { "normal",     SP_D_NORMAL,     2, 2, { "mean", "sd" }, { 0 } },
    { "lognormal",  SP_D_LOGNORMAL,  2, 2, { "mean", "sd" }, { 0 } },
    { "triangular", SP_D_TRIANGULAR, 3, 3, { "min", "mode", "max" }, { 0 } },
    { "pert",       SP_D_PERT,       3, 3, { "min", "mode", "max" }, { 0 } },
    { "beta",       SP_D_BETA,       2, 4, { "a", "b", "min", "max" },
                                           { 0, 0, 0, 1 } },
    { "gamma",      SP_D_GAMMA,      2, 2, { "mean", "sd" }, { 0 } },
    { "discrete",   SP_D_DISCRETE,   1, 0, { NULL }, { 0 } },
    { "poisson",    SP_D_POISSON,    1, 1, { "mean" }, { 0 } },
};
#define NFAMILIES ((int)(sizeof families / sizeof *families))

#define KNOWN "fixed, uniform, normal, lognormal, triangular, pert, beta, " \
              "gamma, discrete, poisson"

static const family *family_of(sp_dist_kind k)
{
    for (int i = 0; i < NFAMILIES; i++)
        if (families[i].kind == k)
            return &families[i];
    return NULL;
}

/* Number of p[] entries a kind uses. */
static int nparams(sp_dist_kind k)
{
    const family *f = family_of(k);
    return f ? f->nmax : 0;
}

void sp_dist_free(sp_dist *d)
{
    if (!d)
        return;
    free(d->pairs);
    d->pairs = NULL;
    d->n = 0;
}

int sp_dist_copy(sp_dist *dst, const sp_dist *src)
{
    sp_dist d = *src;

    d.pairs = NULL;
    if (src->pairs && src->n > 0) {
        d.pairs = malloc((size_t)src->n * sizeof *d.pairs);
        if (!d.pairs) {
            memset(dst, 0, sizeof *dst);
            return -1;
        }
        memcpy(d.pairs, src->pairs, (size_t)src->n * sizeof *d.pairs);
    }
    *dst = d;
    return 0;
}

int sp_dist_equal(const sp_dist *a, const sp_dist *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == SP_D_DISCRETE) {
        if (a->n != b->n)
            return 0;
        for (int i = 0; i < a->n; i++)
            if (a->pairs[i].x != b->pairs[i].x || a->pairs[i].y != b->pairs[i].y)
                return 0;
        return 1;
    }
    for (int i = 0; i < nparams(a->kind); i++)
        if (a->p[i] != b->p[i])
            return 0;
    return 1;
}

/* ---- parsing ---- */

typedef struct {
    const char *s;       /* the whole token */
    const char *file;
    int line, col;
    sp_error *err;
} where;

static sp_status fail_at(const where *w, const char *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* at points into the token; the column follows it there. */
static sp_status fail_at(const where *w, const char *at, const char *fmt, ...)
{
    char msg[900];
    sp_loc loc = { w->file ? w->file : "<input>", w->line };
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sp_error_set(w->err, SP_ERR_PARSE, w->line > 0 ? &loc : NULL,
                        w->col + (at ? (int)(at - w->s) : 0), "%s", msg);
}

typedef struct {
    const char *text;    /* start of the argument inside the token */
    char val[128];       /* the value text, trimmed */
    char name[32];       /* the name of a named argument, else "" */
    const char *valpos;  /* where the value starts inside the token */
} arg;

static sp_status unknown_name(const where *w, const char *name, size_t len)
{
    char word[64];

    if (len >= sizeof word)
        len = sizeof word - 1;
    memcpy(word, name, len);
    word[len] = '\0';
    sp_nearest nr;
    sp_nearest_init(&nr, word, 2);
    for (int i = 0; i < NFAMILIES; i++)
        sp_nearest_try(&nr, families[i].name);
    const char *best = nr.best;
    if (best)
        return fail_at(w, NULL, "expected a distribution (" KNOWN "), found "
                       "'%s'; did you mean '%s'?", w->s, best);
    return fail_at(w, NULL, "expected a distribution (" KNOWN "), found '%s'",
                   w->s);
}

static void signature(const family *f, char *buf, size_t size)
{
    size_t used = 0;
    int k = snprintf(buf, size, "%s(", f->name);

    if (f->kind == SP_D_DISCRETE) {
        snprintf(buf, size, "discrete(v1:p1, v2:p2, ...)");
        return;
    }
    used = (size_t)k;
    for (int i = 0; i < f->nmax && used < size; i++) {
        const char *open = i >= f->nreq ? "[" : "";
        k = snprintf(buf + used, size - used, "%s%s%s%s", i ? ", " : "", open,
                     f->args[i], i >= f->nreq ? "]" : "");
        if (k > 0)
            used += (size_t)k;
    }
    if (used < size)
        snprintf(buf + used, size - used, ")");
}

/* Splits the text between the parentheses at commas.  Inside a
 * distribution a comma always separates arguments, so thousands separators
 * cannot be used there (1.2M or 1200000 can). */
static int split_args(const char *body, const char *end, arg *args, int max,
                      const where *w, int *nargs)
{
    int n = 0;
    const char *p = body;

    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p == end) {
        *nargs = 0;
        return 0;
    }
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *a = p, *b = stop;

        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (n == max) {
            fail_at(w, a, "too many arguments in '%s'", w->s);
            return -1;
        }
        arg *g = &args[n++];
        memset(g, 0, sizeof *g);
        g->text = a;
        g->valpos = a;
        const char *eq = memchr(a, '=', (size_t)(b - a));
        if (eq) {
            const char *ne = eq;
            while (ne > a && isspace((unsigned char)ne[-1]))
                ne--;
            size_t nl = (size_t)(ne - a);
            if (nl == 0 || nl >= sizeof g->name) {
                fail_at(w, a, "expected an argument name before '=', found "
                        "'%.*s'", (int)(b - a), a);
                return -1;
            }
            memcpy(g->name, a, nl);
            g->valpos = eq + 1;
            while (g->valpos < b && isspace((unsigned char)*g->valpos))
                g->valpos++;
        }
        size_t vl = (size_t)(b - g->valpos);
        if (vl >= sizeof g->val)
            vl = sizeof g->val - 1;
        memcpy(g->val, g->valpos, vl);
        if (!comma)
            break;
        p = comma + 1;
    }
    *nargs = n;
    return 0;
}

static int parse_arg_number(const where *w, const char *fname,
                            const char *pname, const arg *g, double *x)
{
    if (sp_parse_number(g->val, x, NULL) == 0)
        return 0;
    if (g->val[0] == '\0')
        fail_at(w, g->valpos, "expected a number for %s %s, found nothing",
                fname, pname);
    else
        fail_at(w, g->valpos, "expected a number for %s %s (e.g. 0.95, 20%%, "
                "900k), found '%s'", fname, pname, g->val);
    return -1;
}

static sp_status parse_discrete(const where *w, arg *args, int n, sp_dist *out)
{
    double sum = 0;

    if (n == 0)
        return fail_at(w, NULL, "discrete needs at least one value:probability "
                       "pair, e.g. discrete(1:0.2, 2:0.8)");
    out->pairs = malloc((size_t)n * sizeof *out->pairs);
    if (!out->pairs)
        return sp_error_set(w->err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    out->n = n;
    for (int i = 0; i < n; i++) {
        arg *g = &args[i];
        char *colon = strchr(g->val, ':');
        if (g->name[0] || !colon)
            return fail_at(w, g->text, "expected a value:probability pair "
                           "(e.g. 2:0.5), found '%.*s'",
                           (int)strcspn(g->text, ",)"), g->text);
        *colon = '\0';
        const char *pv = colon + 1;
        while (isspace((unsigned char)*pv))
            pv++;
        size_t vl = strlen(g->val);
        while (vl > 0 && isspace((unsigned char)g->val[vl - 1]))
            g->val[--vl] = '\0';
        if (sp_parse_number(g->val, &out->pairs[i].x, NULL) != 0)
            return fail_at(w, g->valpos, "expected a number for a discrete "
                           "value, found '%s'", g->val);
        if (sp_parse_number(pv, &out->pairs[i].y, NULL) != 0)
            return fail_at(w, g->valpos + (pv - g->val), "expected a number "
                           "for a discrete probability, found '%s'", pv);
        if (out->pairs[i].y < 0)
            return fail_at(w, g->valpos + (pv - g->val), "discrete "
                           "probabilities must be >= 0, found %s", pv);
        sum += out->pairs[i].y;
    }
    if (fabs(sum - 1) > 1e-9) {
        char buf[32];
        sp_format_exact(sum, buf);
        return fail_at(w, NULL, "discrete probabilities must sum to 1, found "
                       "a sum of %s", buf);
    }
    return SP_OK;
}

/* The family's own constraints; text[i] is how parameter i was written. */
static sp_status validate(const where *w, const family *f, const sp_dist *d,
                          const char *const *text, const char *const *pos)
{
    const double *p = d->p;
    const char *n = f->name;

    switch (f->kind) {
    case SP_D_UNIFORM:
        if (p[0] > p[1])
            return fail_at(w, pos[1], "uniform max must be >= min, found min "
                           "%s and max %s", text[0], text[1]);
        break;
    case SP_D_NORMAL:
    case SP_D_LOGNORMAL:
    case SP_D_GAMMA:
        if (f->kind != SP_D_NORMAL && p[0] <= 0)
            return fail_at(w, pos[0], "%s mean must be > 0, found %s", n,
                           text[0]);
        if (f->kind == SP_D_GAMMA && p[1] <= 0)
            return fail_at(w, pos[1], "gamma sd must be > 0, found %s", text[1]);
        if (p[1] < 0)
            return fail_at(w, pos[1], "%s sd must be >= 0, found %s", n, text[1]);
        break;
    case SP_D_TRIANGULAR:
    case SP_D_PERT:
        if (p[0] > p[2])
            return fail_at(w, pos[2], "%s max must be >= min, found min %s "
                           "and max %s", n, text[0], text[2]);
        if (p[1] < p[0] || p[1] > p[2])
            return fail_at(w, pos[1], "%s mode must be between min and max, "
                           "found %s (min %s, max %s)", n, text[1], text[0],
                           text[2]);
        break;
    case SP_D_BETA:
        if (p[0] <= 0)
            return fail_at(w, pos[0], "beta a must be > 0, found %s", text[0]);
        if (p[1] <= 0)
            return fail_at(w, pos[1], "beta b must be > 0, found %s", text[1]);
        if (p[2] >= p[3])
            return fail_at(w, pos[3], "beta max must be > min, found min %s "
                           "and max %s", text[2], text[3]);
        break;
    case SP_D_POISSON:
        if (p[0] < 0)
            return fail_at(w, pos[0], "poisson mean must be >= 0, found %s",
                           text[0]);
        break;
    case SP_D_FIXED:
    case SP_D_DISCRETE:
        break;
    }
    return SP_OK;
}

/* Whether a user seems to have written thousands separators: some argument
 * after the first is exactly three digits. */
static int looks_grouped(const arg *args, int n)
{
    for (int i = 1; i < n; i++) {
        const char *v = args[i].val;
        if (strlen(v) == 3 && isdigit((unsigned char)v[0]) &&
            isdigit((unsigned char)v[1]) && isdigit((unsigned char)v[2]))
            return 1;
    }
    return 0;
}

static sp_status parse_family(const where *w, const family *f,
                              const char *body, const char *end, sp_dist *out)
{
    arg args[128];
    int n, filled[4] = {0}, seen_named = 0;
    const char *text[4] = {0}, *pos[4] = {0};
    char sig[96];

    signature(f, sig, sizeof sig);
    if (split_args(body, end, args, 128, w, &n) != 0)
        return SP_ERR_PARSE;
    out->kind = f->kind;
    if (f->kind == SP_D_DISCRETE)
        return parse_discrete(w, args, n, out);

    for (int i = 0; i < n; i++) {
        arg *g = &args[i];
        int slot = -1;
        if (g->name[0]) {
            seen_named = 1;
            for (int k = 0; k < f->nmax; k++)
                if (strcmp(g->name, f->args[k]) == 0)
                    slot = k;
            if (slot < 0)
                return fail_at(w, g->text, "%s has no argument '%s': expected "
                               "%s", f->name, g->name, sig);
            if (filled[slot])
                return fail_at(w, g->text, "duplicate argument '%s' in %s",
                               g->name, f->name);
        } else {
            if (seen_named)
                return fail_at(w, g->text, "positional argument after a named "
                               "one in %s: expected %s", f->name, sig);
            if (i >= f->nmax) {
                const char *hint = looks_grouped(args, n)
                    ? " (inside a distribution commas separate arguments; "
                      "write 1.2M or 1200000, not 1,200,000)" : "";
                return fail_at(w, g->text, "too many arguments: expected %s, "
                               "found '%s'%s", sig, g->val, hint);
            }
            slot = i;
        }
        if (parse_arg_number(w, f->name, f->args[slot], g, &out->p[slot]))
            return SP_ERR_PARSE;
        filled[slot] = 1;
        text[slot] = g->val;
        pos[slot] = g->valpos;
    }
    for (int k = 0; k < f->nmax; k++) {
        if (filled[k])
            continue;
        if (k < f->nreq)
            return fail_at(w, end, "missing argument '%s': expected %s",
                           f->args[k], sig);
        out->p[k] = f->defaults[k];
        text[k] = k == 3 ? "1" : "0";
        pos[k] = end;
    }
    return validate(w, f, out, text, pos);
}

sp_status sp_dist_parse(const char *s, sp_dist *out, const char *file,
                        int line, int col, sp_error *err)
{
    where w = { s, file, line, col, err };
    const char *open = strchr(s, '(');
    size_t len = strlen(s);
    sp_status st;

    memset(out, 0, sizeof *out);
    if (!open) {
        double x;
        if (sp_parse_number(s, &x, NULL) == 0) {
            out->kind = SP_D_FIXED;
            out->p[0] = x;
            return SP_OK;
        }
        for (int i = 0; i < NFAMILIES; i++)
            if (strcmp(s, families[i].name) == 0) {
                char sig[96];
                signature(&families[i], sig, sizeof sig);
                return fail_at(&w, s + len, "expected arguments after '%s': "
                               "%s", s, sig);
            }
        return unknown_name(&w, s, len);
    }

    const family *f = NULL;
    for (int i = 0; i < NFAMILIES; i++)
        if (strlen(families[i].name) == (size_t)(open - s) &&
            strncmp(s, families[i].name, (size_t)(open - s)) == 0)
            f = &families[i];
    if (!f)
        return unknown_name(&w, s, (size_t)(open - s));
    if (len == 0 || s[len - 1] != ')' || strchr(open + 1, '(') ||
        strchr(open + 1, ')') != s + len - 1)
        return fail_at(&w, s + len, "expected '%s(...)' with one closing ')' "
                       "at the end, found '%s'", f->name, s);
    st = parse_family(&w, f, open + 1, s + len - 1, out);
    if (st != SP_OK)
        sp_dist_free(out);
    return st;
}

/* ---- description ---- */

char *sp_dist_format(const sp_dist *d)
{
    const family *f = family_of(d->kind);
    size_t size = 64 + (size_t)(d->kind == SP_D_DISCRETE ? d->n : 4) * 70;
    char *buf = malloc(size), num[32];
    size_t used;

    if (!buf || !f) {
        free(buf);
        return NULL;
    }
    used = (size_t)snprintf(buf, size, "%s(", f->name);
    if (d->kind == SP_D_DISCRETE) {
        for (int i = 0; i < d->n; i++) {
            sp_format_exact(d->pairs[i].x, num);
            used += (size_t)snprintf(buf + used, size - used, "%s%s:",
                                     i ? ", " : "", num);
            sp_format_exact(d->pairs[i].y, num);
            used += (size_t)snprintf(buf + used, size - used, "%s", num);
        }
    } else {
        int np = f->nmax;
        /* beta's default range is left out, as a user would write it. */
        if (d->kind == SP_D_BETA && d->p[2] == 0 && d->p[3] == 1)
            np = 2;
        for (int i = 0; i < np; i++) {
            sp_format_exact(d->p[i], num);
            used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                     i ? ", " : "", num);
        }
    }
    snprintf(buf + used, size - used, ")");
    return buf;
}

double sp_dist_mean(const sp_dist *d)
{
    const double *p = d->p;
    double m = 0;

    switch (d->kind) {
    case SP_D_FIXED:      return p[0];
    case SP_D_UNIFORM:    return (p[0] + p[1]) / 2;
    case SP_D_NORMAL:
    case SP_D_LOGNORMAL:
    case SP_D_GAMMA:
    case SP_D_POISSON:    return p[0];
    case SP_D_TRIANGULAR: return (p[0] + p[1] + p[2]) / 3;
    case SP_D_PERT:       return (p[0] + 4 * p[1] + p[2]) / 6;
    case SP_D_BETA:       return p[2] + (p[3] - p[2]) * p[0] / (p[0] + p[1]);
    case SP_D_DISCRETE:
        for (int i = 0; i < d->n; i++)
            m += d->pairs[i].x * d->pairs[i].y;
        return m;
    }
    return NAN;
}

void sp_dist_support(const sp_dist *d, double *lo, double *hi)
{
    const double *p = d->p;

    switch (d->kind) {
    case SP_D_FIXED:
        *lo = *hi = p[0];
        return;
    case SP_D_UNIFORM:
        *lo = p[0];
        *hi = p[1];
        return;
    case SP_D_NORMAL:
        *lo = p[1] > 0 ? -INFINITY : p[0];
        *hi = p[1] > 0 ? INFINITY : p[0];
        return;
    case SP_D_LOGNORMAL:
    case SP_D_GAMMA:
    case SP_D_POISSON:
        if (d->kind == SP_D_POISSON ? p[0] == 0 : p[1] == 0) {
            *lo = *hi = p[0];
            return;
        }
        *lo = 0;
        *hi = INFINITY;
        return;
    case SP_D_TRIANGULAR:
    case SP_D_PERT:
        *lo = p[0];
        *hi = p[2];
        return;
    case SP_D_BETA:
        *lo = p[2];
        *hi = p[3];
        return;
    case SP_D_DISCRETE:
        *lo = INFINITY;
        *hi = -INFINITY;
        for (int i = 0; i < d->n; i++) {
            if (d->pairs[i].y <= 0)
                continue;
            if (d->pairs[i].x < *lo)
                *lo = d->pairs[i].x;
            if (d->pairs[i].x > *hi)
                *hi = d->pairs[i].x;
        }
        return;
    }
    *lo = -INFINITY;
    *hi = INFINITY;
}

static double draw(const sp_dist *d, const gsl_rng *r)
{
    const double *p = d->p;

    switch (d->kind) {
    case SP_D_FIXED:
        return p[0];
    case SP_D_UNIFORM:
        return p[0] + (p[1] - p[0]) * gsl_rng_uniform(r);
    case SP_D_NORMAL:
        return p[0] + gsl_ran_gaussian(r, p[1]);
    case SP_D_LOGNORMAL: {
        if (p[1] == 0)
            return p[0];
        double s2 = log1p(p[1] * p[1] / (p[0] * p[0]));
        return gsl_ran_lognormal(r, log(p[0]) - s2 / 2, sqrt(s2));
    }
    case SP_D_TRIANGULAR: {
        double a = p[0], c = p[1], b = p[2];
        if (a == b)
            return a;
        double u = gsl_rng_uniform(r);
        if (u < (c - a) / (b - a))
            return a + sqrt(u * (b - a) * (c - a));
        return b - sqrt((1 - u) * (b - a) * (b - c));
    }
    case SP_D_PERT: {
        double a = p[0], c = p[1], b = p[2];
        if (a == b)
            return a;
        double al = 1 + 4 * (c - a) / (b - a), be = 1 + 4 * (b - c) / (b - a);
        return a + (b - a) * gsl_ran_beta(r, al, be);
    }
    case SP_D_BETA:
        return p[2] + (p[3] - p[2]) * gsl_ran_beta(r, p[0], p[1]);
    case SP_D_GAMMA:
        return gsl_ran_gamma(r, p[0] * p[0] / (p[1] * p[1]), p[1] * p[1] / p[0]);
    case SP_D_DISCRETE: {
        double u = gsl_rng_uniform(r), cum = 0;
        int last = -1;
        for (int i = 0; i < d->n; i++) {
            if (d->pairs[i].y <= 0)
                continue;
            last = i;
            cum += d->pairs[i].y;
            if (u < cum)
                return d->pairs[i].x;
        }
        /* Rounding can leave the cumulative sum a hair below 1. */
        return last >= 0 ? d->pairs[last].x : 0;
    }
    case SP_D_POISSON:
        return (double)gsl_ran_poisson(r, p[0]);
    }
    return 0;
}

double sp_dist_sample(const sp_dist *d, const gsl_rng *r, int clamp0)
{
    double x = draw(d, r);
    return clamp0 && x < 0 ? 0 : x;
}

double sp_dist_tail(const sp_dist *d)
{
    const double *p = d->p;
    double lo, hi;
    switch (d->kind) {
    case SP_D_NORMAL:
        return p[0] + 6 * p[1];
    case SP_D_LOGNORMAL: {
        if (!(p[0] > 0))
            return 0;
        double cv = p[1] / p[0], s2 = log1p(cv * cv);
        return exp(log(p[0]) - s2 / 2 + 6 * sqrt(s2));
    }
    case SP_D_GAMMA: {
        if (!(p[1] > 0))
            return p[0];
        double k = p[0] * p[0] / (p[1] * p[1]), theta = p[1] * p[1] / p[0];
        return gsl_cdf_gamma_Qinv(1e-9, k, theta);
    }
    case SP_D_POISSON:
        return p[0] + 6 * sqrt(p[0]) + 6;
    default:
        sp_dist_support(d, &lo, &hi);
        return hi;
    }
}
