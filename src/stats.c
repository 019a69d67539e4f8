/* Moments and percentiles across trials (MODEL.md section 7).
 *
 * Percentiles follow Excel's PERCENTILE.INC so that a user checking a
 * figure in a spreadsheet gets the same number: h = (n-1) q and linear
 * interpolation between the order statistics floor(h) and floor(h)+1.
 * The order statistics are found by selection, not by sorting: a run asks
 * for seven percentiles of thousands of cells, each over every trial. */
#include "salesplan/stats.h"

#include <math.h>
#include <stdlib.h>

#define SMALL 16   /* ranges this short are simply insertion-sorted */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void insertion_sort(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;
        while (j > 0 && x[j - 1] > v) {
            x[j] = x[j - 1];
            j--;
        }
        x[j] = v;
    }
}

static double median3(double a, double b, double c)
{
    if (a < b) {
        if (b < c)
            return b;
        return a < c ? c : a;
    }
    if (a < c)
        return a;
    return b < c ? c : b;
}

/* Puts the order statistics of ranks rk[0..nr-1] (ascending, inside
 * [lo, hi)) in place.  A three-way partition keeps runs of equal values
 * (headcounts, all-zero months) from degrading to quadratic time, and the
 * depth budget falls back to qsort on adversarial input, so the worst case
 * stays n log n. */
static void select_ranks(double *x, size_t lo, size_t hi, const size_t *rk,
                         int nr, int depth)
{
    while (nr > 0) {
        size_t n = hi - lo;
        if (n <= SMALL) {
            insertion_sort(x + lo, n);
            return;
        }
        if (depth-- <= 0) {
            qsort(x + lo, n, sizeof *x, cmp_double);
            return;
        }
        double pv = median3(x[lo], x[lo + n / 2], x[hi - 1]);
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double v = x[i];
            if (v < pv) {
                x[i++] = x[lt];
                x[lt++] = v;
            } else if (v > pv) {
                x[i] = x[--gt];
                x[gt] = v;
            } else {
                i++;
            }
        }
        int a = 0;
        while (a < nr && rk[a] < lt)
            a++;
        int b = a;
        while (b < nr && rk[b] < gt)
            b++;
        if (a > 0)
            select_ranks(x, lo, lt, rk, a, depth);
        rk += b;
        nr -= b;
        lo = gt;
    }
}

static int depth_budget(size_t n)
{
    int d = 8;
    while (n > 1) {
        n >>= 1;
        d += 2;
    }
    return d;
}

void sp_percentiles_inc(double *x, size_t n, const double *q, int nq,
                        double *out)
{
    if (n == 0) {
        for (int i = 0; i < nq; i++)
            out[i] = NAN;
        return;
    }
    /* Two ranks per percentile at most; the fixed bound covers every
     * caller in the program (seven levels) with room to spare. */
    enum { MAXQ = 32 };
    size_t rk[2 * MAXQ] = {0};
    int nr = 0;
    for (int i = 0; i < nq && i < MAXQ; i++) {
        double h = (double)(n - 1) * q[i];
        size_t k = (size_t)floor(h);
        if (k > n - 1)
            k = n - 1;
        rk[nr++] = k;
        if (h > (double)k && k + 1 < n)
            rk[nr++] = k + 1;
    }
    /* Selection needs the ranks ascending and distinct. */
    for (int i = 1; i < nr; i++) {
        size_t v = rk[i];
        int j = i;
        while (j > 0 && rk[j - 1] > v) {
            rk[j] = rk[j - 1];
            j--;
        }
        rk[j] = v;
    }
    int u = 0;
    for (int i = 0; i < nr; i++)
        if (u == 0 || rk[u - 1] != rk[i])
            rk[u++] = rk[i];
    nr = u;
    select_ranks(x, 0, n, rk, nr, depth_budget(n));
    for (int i = 0; i < nq; i++) {
        if (i >= MAXQ) {
            out[i] = NAN;
            continue;
        }
        double h = (double)(n - 1) * q[i];
        size_t k = (size_t)floor(h);
        if (k > n - 1)
            k = n - 1;
        double f = h - (double)k;
        out[i] = f > 0 && k + 1 < n ? x[k] + f * (x[k + 1] - x[k]) : x[k];
    }
}

double sp_percentile_inc(double *x, size_t n, double q)
{
    double out;
    sp_percentiles_inc(x, n, &q, 1, &out);
    return out;
}

/* Two passes (mean, then squared deviations) rather than a running sum of
 * squares: a figure that is the same in every trial gets sd exactly 0. */
void sp_stat_compute(double *x, size_t n, sp_stat *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            x[m++] = x[i];
    out->n = (long)m;
    if (m == 0) {
        out->mean = out->sd = out->se = NAN;
        for (int i = 0; i < SP_NPCT; i++)
            out->p[i] = NAN;
        return;
    }
    double sum = 0;
    for (size_t i = 0; i < m; i++)
        sum += x[i];
    double mean = sum / (double)m;
    double ss = 0;
    for (size_t i = 0; i < m; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    out->mean = mean;
    out->sd = m > 1 ? sqrt(ss / (double)(m - 1)) : 0;
    out->se = out->sd / sqrt((double)m);
    sp_percentiles_inc(x, m, sp_pct_levels, SP_NPCT, out->p);
}
