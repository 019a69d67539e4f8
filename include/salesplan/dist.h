/* Distribution specifications (MODEL.md section 9): parse, validate,
 * describe and sample through GSL.
 *
 * Ownership: an sp_dist owns its pairs (discrete only); sp_dist_copy
 * deep-copies and sp_dist_free releases them. */
#ifndef SALESPLAN_DIST_H
#define SALESPLAN_DIST_H

#include <gsl/gsl_rng.h>
#include "salesplan/error.h"

/* x:y, the value:probability of a discrete distribution; parameter values
 * (value.h) use it for tiers, curves and hires too. */
typedef struct { double x, y; } sp_pair;

/* Distribution families of MODEL.md section 9. */
typedef enum {
    SP_D_FIXED = 0,  /* p[0] = x */
    SP_D_UNIFORM,    /* p[0] = min, p[1] = max */
    SP_D_NORMAL,     /* p[0] = mean, p[1] = sd; draws < 0 become 0 */
    SP_D_LOGNORMAL,  /* p[0] = mean, p[1] = sd of the variable itself */
    SP_D_TRIANGULAR, /* p[0] = min, p[1] = mode, p[2] = max */
    SP_D_PERT,       /* p[0] = min, p[1] = mode, p[2] = max, lambda = 4 */
    SP_D_BETA,       /* p[0] = a, p[1] = b, p[2] = min (0), p[3] = max (1) */
    SP_D_GAMMA,      /* p[0] = mean, p[1] = sd */
    SP_D_DISCRETE,   /* n pairs value:probability in pairs */
    SP_D_POISSON     /* p[0] = mean */
} sp_dist_kind;

typedef struct {
    sp_dist_kind kind;
    double p[4];
    int n;            /* discrete: number of pairs */
    sp_pair *pairs;   /* discrete: value:probability, probabilities sum to 1 */
} sp_dist;

/* Parse one token such as `fixed(2)`, `2`, `900k`, `uniform(1, 3)`,
 * `lognormal(mean=0.95, sd=0.3)`, `beta(2, 5, 0.5, 1.5)`,
 * `discrete(1:0.2, 2:0.5, 3:0.3)`.  A bare number is fixed(x).  Named and
 * positional arguments may be mixed as in Python (positional first).
 * Parameters are numbers in the syntax of sp_parse_number.  The
 * distribution's own constraints are checked here (sd >= 0, min <= mode <=
 * max, probabilities >= 0 summing to 1 within 1e-9, ...).  file/line/col
 * locate the token for errors.  On error out holds nothing. */
sp_status sp_dist_parse(const char *s, sp_dist *out, const char *file,
                        int line, int col, sp_error *err);

/* Canonical text that sp_dist_parse reads back to an equal spec. malloc'd. */
char *sp_dist_format(const sp_dist *d);

void sp_dist_free(sp_dist *d);
int  sp_dist_copy(sp_dist *dst, const sp_dist *src);
int  sp_dist_equal(const sp_dist *a, const sp_dist *b);

/* Expected value of the distribution as specified (before any clamp at 0). */
double sp_dist_mean(const sp_dist *d);
/* Smallest and largest value a draw can take (may be +-INFINITY). */
void sp_dist_support(const sp_dist *d, double *lo, double *hi);
/* A value draws exceed with probability about 1e-9 or less (six standard
 * deviations for the unbounded families; the support's top otherwise):
 * what bounds the work a draw can cause in a run of millions. */
double sp_dist_tail(const sp_dist *d);

/* One draw.  clamp0: a draw below 0 becomes 0 (quantities that cannot be
 * negative).  Uses only gsl_rng_uniform / gsl_ran_* on r. */
double sp_dist_sample(const sp_dist *d, const gsl_rng *r, int clamp0);

#endif
