/* Moments and exact percentiles across trials (MODEL.md section 7), and
 * paired differences of two runs on the same random numbers. */
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

/* Paired difference b - a of one period figure, trial by trial (the same
 * trial index in both runs sees the same random numbers).  period indexes
 * both runs' fiscal years; SP_PERIOD_TOTAL takes each run's horizon total.
 * role is a role id, NULL for the team total.  Trials where either value is
 * undefined are skipped; *n counts those used, *mean is their mean and *se
 * = sd / sqrt(n) (sd with the n - 1 denominator), NaN when n < 1 (mean) or
 * n < 2 (se).  Returns 0, or -1 when the figure is absent from either run,
 * the period does not exist, or the trial counts differ (*n = 0, NaNs). */
#define SP_PERIOD_TOTAL (-1)

/* Whether b's trials pair with a's: the same number of trials and the same
 * seed, so trial t of both saw the same random numbers.  Every writer puts
 * differences only between paired runs, and says "same random numbers"
 * only of those. */
int sp_results_paired(const sp_results *a, const sp_results *b);
int sp_paired_diff(const sp_results *a, const sp_results *b, int period,
                   int metric, const char *role, double *mean, double *se,
                   long *n);

/* Paired difference of P(bookings >= target) in fiscal year `period` (as
 * sp_paired_diff numbers them), each run against its own target: the mean
 * of hit_b - hit_a across trials, a difference of shares (0.05 is 5
 * points), and its standard error.  -1 when either year has no target or
 * the runs cannot be paired. */
int sp_paired_p_target(const sp_results *a, const sp_results *b, int period,
                       double *mean, double *se, long *n);
/* The same for P(cost <= budget) in fiscal year `period`, each run
 * against its own budget; -1 when either year has no budget. */
int sp_paired_p_budget(const sp_results *a, const sp_results *b, int period,
                       double *mean, double *se, long *n);

/* One paired difference of sp_paired_diffs: lo and hi bound the 95%
 * interval mean +- 1.96 se, NaN when mean or se is undefined. */
typedef struct {
    int metric;                /* SP_M_* */
    const char *role;          /* a's role id; NULL for the team total */
    double mean, se, lo, hi;
    long n;
} sp_diff;

/* Calls fn for every period figure the two runs share, metric by metric
 * and within a metric the team total before each of a's roles: the one
 * walk behind every writer's table of differences, so they list the same
 * figures in the same order. */
void sp_paired_diffs(const sp_results *a, const sp_results *b, int period,
                     void (*fn)(void *ctx, const sp_diff *d), void *ctx);

/* Payback of one trial's cumulative contribution cum[0..H-1], minus
 * base[0..H-1] when base is not NULL (the incremental payback of B over
 * A): the month after the last one below 0, SP_PAYBACK_NEVER when the
 * last month is below 0, SP_PAYBACK_NONE when no month is. */
int sp_payback_month(const double *cum, const double *base, int H);

/* Summary of T trials' paybacks pb[] over H months: the P50 month over
 * the trials that invested, "never" ranking last (-1 when that median is
 * never or no trial invested), and the shares of all trials that never
 * paid back and that made no investment. */
typedef struct {
    int p50;
    double share_never, share_no_investment;
} sp_payback;
void sp_payback_summary(const int *pb, long T, int H, sp_payback *out);

/* The incremental payback of b over a, trial by trial on their
 * cumulative contributions.  0, or -1 when the runs cannot be paired (or
 * either lacks its per-trial series, or their horizons differ). */
int sp_paired_payback(const sp_results *a, const sp_results *b,
                      sp_payback *out);

#endif
