/* Moments and percentiles across trials (MODEL.md section 7).
 *
 * Percentiles follow Excel's PERCENTILE.INC so that a user checking a
 * figure in a spreadsheet gets the same number: h = (n-1) q and linear
 * interpolation between the order statistics floor(h) and floor(h)+1.
 * The order statistics are found by selection, not by sorting: a run asks
 * for seven percentiles of thousands of cells, each over every trial. */
#include "salesplan/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* Doubles in an order-preserving integer form: x < y exactly when
 * order_key(x) < order_key(y) (NaN excluded; -0 sorts just below +0,
 * which compare equal anyway). */
static inline uint64_t order_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | 0x8000000000000000ULL;
}

/* The values of ranks rk[0..nr-1] (ascending, distinct, < n) of x, into
 * val[]; x is reordered.  Large inputs are bucketed on each key's offset
 * from the smallest key, at a resolution that makes the whole range span
 * at most about n/4 buckets (2^RADIX_BITS at most); one counting pass
 * tells which buckets hold the wanted ranks, one more copies just those
 * buckets' elements out, and only they are examined further.  That is
 * three branch-light passes over the data where partition-based selection
 * makes a dozen data-dependent ones for the fourteen ranks a run asks
 * for.  A level narrows the key range by at least 2^7, so a few levels at
 * most reach single values. */
#define RADIX_BITS 11
#define RADIX_MIN 256
#define MAXRANKS 64

static void rank_values(double *x, size_t n, const size_t *rk, int nr,
                        double *val, int depth)
{
    double *buf = NULL;
    uint64_t kmin = UINT64_MAX, kmax = 0;
    int shift = 0;
    uint32_t cnt[1 << RADIX_BITS];
    unsigned char grp[1 << RADIX_BITS];
    size_t gbase[MAXRANKS], goff[MAXRANKS], gcnt[MAXRANKS];
    int gfirst[MAXRANKS + 1], ng = 0;
    if (n >= RADIX_MIN && nr <= MAXRANKS) {
        for (size_t i = 0; i < n; i++) {
            uint64_t k = order_key(x[i]);
            kmin = k < kmin ? k : kmin;
            kmax = k > kmax ? k : kmax;
        }
        if (kmin == kmax) {   /* all equal */
            for (int i = 0; i < nr; i++)
                val[i] = x[0];
            return;
        }
        int len = 0;
        for (uint64_t span = kmax - kmin; span; span >>= 1)
            len++;
        int bits = 0;
        while (bits < RADIX_BITS && (size_t)4 << bits <= n)
            bits++;
        shift = len > bits ? len - bits : 0;
        size_t nb = (size_t)((kmax - kmin) >> shift) + 1;
        size_t m = 0;
        memset(cnt, 0, nb * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(order_key(x[i]) - kmin) >> shift]++;
        /* Groups: the buckets that hold a wanted rank, in key order. */
        size_t below = 0;
        int a = 0;
        for (size_t b = 0; b < nb; b++) {
            size_t next = below + cnt[b];
            grp[b] = 0xff;
            if (a < nr && rk[a] < next) {
                grp[b] = (unsigned char)ng;
                gbase[ng] = below;
                gcnt[ng] = cnt[b];
                goff[ng] = m;
                gfirst[ng++] = a;
                m += cnt[b];
                while (a < nr && rk[a] < next)
                    a++;
            }
            below = next;
        }
        gfirst[ng] = nr;
        buf = malloc(m * sizeof *buf);
    }
    if (!buf) {
        select_ranks(x, 0, n, rk, nr, depth);
        for (int i = 0; i < nr; i++)
            val[i] = x[rk[i]];
        return;
    }
    size_t pos[MAXRANKS];
    for (int g = 0; g < ng; g++)
        pos[g] = goff[g];
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        unsigned g = grp[(order_key(v) - kmin) >> shift];
        if (g != 0xff)
            buf[pos[g]++] = v;
    }
    for (int g = 0; g < ng; g++) {
        size_t lrk[MAXRANKS];
        int k0 = gfirst[g], k1 = gfirst[g + 1];
        for (int k = k0; k < k1; k++)
            lrk[k - k0] = rk[k] - gbase[g];
        rank_values(buf + goff[g], gcnt[g], lrk, k1 - k0, val + k0, depth);
    }
    free(buf);
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
    double val[2 * MAXQ];
    rank_values(x, n, rk, nr, val, depth_budget(n));
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
        int j = 0;
        while (rk[j] != k)
            j++;
        out[i] = f > 0 && k + 1 < n ? val[j] + f * (val[j + 1] - val[j])
                                    : val[j];
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
    out->sd = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;  /* undefined from one value */
    out->se = out->sd / sqrt((double)m);
    sp_percentiles_inc(x, m, sp_pct_levels, SP_NPCT, out->p);
}

/* ---- paired differences ------------------------------------------------ */

static int role_index(const sp_results *r, const char *id)
{
    for (int i = 0; i < r->nroles; i++)
        if (strcmp(r->model.roles[i].id, id) == 0)
            return i;
    return -1;
}

/* Every metric exists in total (a structurally absent one holds zeros);
 * a role's series only where its parameters can make it non-zero. */
static int ppresent(const sp_results *r, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (role < 0 && s < r->npseries)
        return 1;
    return r->ppresent && s < r->npseries && r->ppresent[s];
}

static int period_index(const sp_results *r, int period)
{
    return period == SP_PERIOD_TOTAL ? sp_results_total_period(r)
                                     : sp_results_fiscal_period(r, period);
}

int sp_results_paired(const sp_results *a, const sp_results *b)
{
    return a->trials == b->trials && a->seed == b->seed;
}

int sp_paired_diff(const sp_results *a, const sp_results *b, int period,
                   int metric, const char *role, double *mean, double *se,
                   long *n)
{
    *mean = NAN;
    *se = NAN;
    *n = 0;
    if (!a || !b || metric < 0 || metric >= SP_M_NPERIOD ||
        a->trials != b->trials || !a->ptrial || !b->ptrial)
        return -1;
    int ra = role ? role_index(a, role) : -1;
    int rb = role ? role_index(b, role) : -1;
    if (role && (ra < 0 || rb < 0))
        return -1;
    if (!ppresent(a, metric, ra) || !ppresent(b, metric, rb))
        return -1;
    int pa = period_index(a, period), pb = period_index(b, period);
    if (pa < 0 || pb < 0)
        return -1;
    size_t T = (size_t)a->trials;
    const double *xa =
        a->ptrial + ((size_t)pa * a->npseries + sp_series(a, metric, ra)) * T;
    const double *xb =
        b->ptrial + ((size_t)pb * b->npseries + sp_series(b, metric, rb)) * T;

    /* Two passes: the mean first, then squared deviations from it, which
     * keeps the variance accurate when differences are small next to the
     * values themselves. */
    double sum = 0;
    long k = 0;
    for (size_t t = 0; t < T; t++)
        if (!isnan(xa[t]) && !isnan(xb[t])) {
            sum += xb[t] - xa[t];
            k++;
        }
    *n = k;
    if (k < 1)
        return 0;
    double m = sum / k;
    *mean = m;
    if (k < 2)
        return 0;
    double ss = 0;
    for (size_t t = 0; t < T; t++)
        if (!isnan(xa[t]) && !isnan(xb[t])) {
            double d = xb[t] - xa[t] - m;
            ss += d * d;
        }
    *se = sqrt(ss / (k - 1)) / sqrt((double)k);
    return 0;
}

void sp_paired_diffs(const sp_results *a, const sp_results *b, int period,
                     void (*fn)(void *ctx, const sp_diff *d), void *ctx)
{
    for (int m = 0; m < SP_M_NPERIOD; m++)
        for (int role = -1; role < a->nroles; role++) {
            if (role < 0 && sp_metric_is_mean(m))
                continue;   /* a level of one role has no total */
            /* an optional figure (the opening book) only where a run
             * has it */
            int s = sp_series(a, m, role);
            if (sp_metric_info_of(m)->optional &&
                !(a->ppresent && a->ppresent[s]) &&
                !(b->ppresent && b->ppresent[sp_series(b, m, role)]))
                continue;
            sp_diff d = {m, role < 0 ? NULL : a->model.roles[role].id,
                         0, 0, NAN, NAN, 0};
            if (sp_paired_diff(a, b, period, m, d.role, &d.mean, &d.se,
                               &d.n) != 0)
                continue;
            if (isfinite(d.mean) && isfinite(d.se)) {
                d.lo = d.mean - 1.96 * d.se;
                d.hi = d.mean + 1.96 * d.se;
            }
            fn(ctx, &d);
        }
}

/* A trial's hit: bookings at least the target, or (budget set) cost
 * within the budget with the relative 1e-9 the engine allows. */
static int hit(double x, double bound, int budget)
{
    return budget ? x <= bound + 1e-9 * fabs(bound)
                  : x >= bound - 1e-9 * fabs(bound);
}

static int paired_hits(const sp_results *a, const sp_results *b, int period,
                       int budget, double *mean, double *se, long *n)
{
    *mean = NAN;
    *se = NAN;
    *n = 0;
    if (!a || !b || a->trials != b->trials || !a->ptrial || !b->ptrial ||
        period == SP_PERIOD_TOTAL)
        return -1;
    int pa = period_index(a, period), pb = period_index(b, period);
    double ta = budget ? sp_results_budget(a, pa) : sp_results_target(a, pa);
    double tb = budget ? sp_results_budget(b, pb) : sp_results_target(b, pb);
    if (pa < 0 || pb < 0 || isnan(ta) || isnan(tb))
        return -1;
    int metric = budget ? SP_M_COST : SP_M_BOOKINGS;
    /* Each trial's hit is 0 or 1, so the difference is -1, 0 or 1 and its
     * mean is P_b - P_a exactly. */
    long k = 0, up = 0, down = 0;
    for (int t = 0; t < a->trials; t++) {
        double xa = sp_results_trial(a, pa, metric, t);
        double xb = sp_results_trial(b, pb, metric, t);
        if (isnan(xa) || isnan(xb))
            continue;
        int d = hit(xb, tb, budget) - hit(xa, ta, budget);
        up += d > 0;
        down += d < 0;
        k++;
    }
    *n = k;
    if (k < 1)
        return 0;
    double m = (double)(up - down) / k;
    *mean = m;
    if (k >= 2) {
        double ss = up * (1 - m) * (1 - m) + down * (1 + m) * (1 + m) +
                    (k - up - down) * m * m;
        *se = sqrt(ss / (k - 1)) / sqrt((double)k);
    }
    return 0;
}

int sp_paired_p_target(const sp_results *a, const sp_results *b, int period,
                       double *mean, double *se, long *n)
{
    return paired_hits(a, b, period, 0, mean, se, n);
}

int sp_paired_p_budget(const sp_results *a, const sp_results *b, int period,
                       double *mean, double *se, long *n)
{
    return paired_hits(a, b, period, 1, mean, se, n);
}

int sp_payback_month(const double *cum, const double *base, int H)
{
    int last = -1;
    for (int t = H - 1; t >= 0 && last < 0; t--)
        if (cum[t] - (base ? base[t] : 0) < 0)
            last = t;
    if (last < 0)
        return SP_PAYBACK_NONE;
    return last + 1 < H ? last + 1 : SP_PAYBACK_NEVER;
}

void sp_payback_summary(const int *pb, long T, int H, sp_payback *out)
{
    long *hist = calloc((size_t)H + 1, sizeof *hist);
    long never = 0, none = 0;
    out->p50 = -1;
    for (long k = 0; k < T; k++) {
        if (pb[k] == SP_PAYBACK_NONE)
            none++;
        else if (pb[k] < 0)
            never++;
        else if (hist && pb[k] < H)
            hist[pb[k]]++;
    }
    out->share_never = T > 0 ? (double)never / T : NAN;
    out->share_no_investment = T > 0 ? (double)none / T : NAN;
    /* rank ceil(n/2) of the trials that invested, "never" last */
    long need = (T - none + 1) / 2, cum = 0;
    for (int t = 0; hist && need > 0 && t < H; t++) {
        cum += hist[t];
        if (cum >= need) {
            out->p50 = t;
            break;
        }
    }
    free(hist);
}

int sp_paired_payback(const sp_results *a, const sp_results *b,
                      sp_payback *out)
{
    out->p50 = -1;
    out->share_never = out->share_no_investment = NAN;
    if (!a || !b || !sp_results_paired(a, b) || !a->cum || !b->cum ||
        a->model.horizon != b->model.horizon || a->trials < 1)
        return -1;
    int H = a->model.horizon;
    int *pb = malloc((size_t)a->trials * sizeof *pb);
    if (!pb)
        return -1;
    for (long k = 0; k < a->trials; k++)
        pb[k] = sp_payback_month(&b->cum[(size_t)k * H],
                                 &a->cum[(size_t)k * H], H);
    sp_payback_summary(pb, a->trials, H, out);
    free(pb);
    return 0;
}
