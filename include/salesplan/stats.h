/* Moments and exact percentiles across trials (MODEL.md section 7). */
#ifndef SALESPLAN_STATS_H
#define SALESPLAN_STATS_H

#include <stddef.h>
#include "salesplan/results.h"

/* Percentile with the rule of Excel's PERCENTILE.INC: for sorted x[0..n-1],
 * h = (n-1) q, result = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 * Values are reordered (selection); NaN entries must be removed first. */
double sp_percentile_inc(double *x, size_t n, double q);

/* Several percentiles of the same data at once: q[0..nq-1] in [0, 1] (any
 * order, at most 32), results in out[0..nq-1], same rule as sp_percentile_inc.  One
 * multi-rank selection pass instead of nq separate ones; x is reordered.
 * With n = 0 every out is NaN. */
void sp_percentiles_inc(double *x, size_t n, const double *q, int nq,
                        double *out);

/* Statistics of x[0..n-1] (NaNs are skipped and not counted; x is
 * reordered).  Mean and sd use the n-1 denominator for sd; se = sd/sqrt(n). */
void sp_stat_compute(double *x, size_t n, sp_stat *out);

#endif
