/* Distribution specifications (MODEL.md section 9): parse, validate,
 * describe and sample through GSL. */
#ifndef SALESPLAN_DIST_H
#define SALESPLAN_DIST_H

#include <gsl/gsl_rng.h>
#include "salesplan/error.h"
#include "salesplan/value.h"

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

/* One draw.  clamp0: a draw below 0 becomes 0 (quantities that cannot be
 * negative).  Uses only gsl_rng_uniform / gsl_ran_* on r. */
double sp_dist_sample(const sp_dist *d, const gsl_rng *r, int clamp0);

#endif
