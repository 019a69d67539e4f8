/* What is kept of each trial (written as phase 2 of a run runs, see
 * sim.c), and the statistics across trials (phase 3).
 *
 * Storage.  Monthly per-trial figures are kept only for structurally
 * present series that are not sums of others: counts (headcount, hires,
 * departures, open requisitions) as exact 16-bit integers, the other
 * primitive figures (bookings, quota, ramped, pay components, ...) and
 * contribution as real values.  Base, other and hiring cost, revenue,
 * variable pay, burden, cost and every total are recomputed from those in
 * the statistics pass with the trial's own formulas and order of
 * operations.  The real values are kept as double when the whole monthly
 * store then fits STORE_BUDGET: the recomputed figures are then the
 * trial's own doubles and monthly percentiles are exact order statistics.
 * Beyond the budget they are kept as float (4 bytes), which is what keeps
 * 100,000 trials of a mid-size scenario around 800 MiB instead of over a
 * gigabyte.  The choice depends on the plan and the trial count only, so
 * results stay a function of (scenario, trials, seed).  Mean, sd and
 * standard error do not come from stored values: each block of trials
 * accumulates the exact doubles of every present series in trial order
 * (sums of deviations from the block's first value) and the blocks are
 * combined in block order (Chan et al.), which is deterministic.
 * Percentiles are order statistics of the stored or recomputed values
 * (exact with doubles; with floats a relative rounding of 6e-8, a few
 * times that for a recomputed sum, far below Monte Carlo error) and are
 * clamped to the exact minimum and maximum, so a figure that is the same
 * in every trial is reported exactly.  Per-period figures are stored as
 * double and summarised exactly.
 *
 * Rep outcomes (one record per employee per settled period) can number
 * trials x employees x periods, too many to keep.  Their moments use the
 * same block scheme; their percentiles come from a fixed log-spaced
 * histogram (integer counts, so merging threads is exact and
 * order-free).  A bin is a binary exponent and the top REP_BITS bits of
 * the mantissa, read straight from the double (no logarithm in the trial
 * loop): its upper edge is at most 1 + 2^-10 times its lower edge, and the
 * value reported for it, 2 lo hi / (lo + hi), is within a relative
 * 2^-11 < 0.05% of anything in it.  So a reported rep percentile is within
 * 0.05% (relative) of the exact PERCENTILE.INC value for values in
 * [2^-14, 2^34) (about 6e-5 to 1.7e10); smaller values count as 0
 * (absolute error < 6.2e-5), larger ones are reported as 2^34.  Every
 * percentile is also clamped to the exact minimum and maximum. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/results.h"
#include "salesplan/stats.h"

#include "sim_private.h"

#define REP_BITS 10         /* mantissa bits per bin */
#define REP_EMIN (-14)      /* lowest binary exponent binned: 2^-14 */
#define REP_EMAX 34         /* values >= 2^34 share the top bin */

/* The most memory the per-trial monthly store (real values as double plus
 * the 16-bit counts) may take for the real values to be kept as double.
 * 512 MiB holds about 74,000 trials of the 150-person, 36-month benchmark
 * (tests/bench/midsize.plan: 720 real and 720 count cells, 7,200 bytes a
 * trial) and keeps such a run's peak under a gigabyte; bigger runs keep
 * floats, half the size, so that 100,000 trials of it stay near 800 MiB. */
#define STORE_BUDGET ((size_t)512 << 20)

/* ---- moments ------------------------------------------------------------ */

typedef struct {
    double n, mean, m2, min, max;
} mom;

static void mom_merge(mom *a, const mom *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    double n = a->n + b->n, d = b->mean - a->mean;
    a->mean += d * (b->n / n);
    a->m2 += b->m2 + d * d * (a->n * b->n / n);
    a->n = n;
    if (b->min < a->min)
        a->min = b->min;
    if (b->max > a->max)
        a->max = b->max;
}

/* What a block accumulates per cell: sums of deviations from the block's
 * first value.  No division per value (this runs for every cell of every
 * trial), and a figure that is the same in every trial gives exactly its
 * value as mean and exactly 0 as spread. */
struct acc {
    double n, shift, s1, s2, min, max;
};

static inline void acc_add(acc *a, double x)
{
    if (a->n == 0) {
        a->shift = a->min = a->max = x;
    } else {
        if (x < a->min)
            a->min = x;
        if (x > a->max)
            a->max = x;
    }
    double d = x - a->shift;
    a->n += 1;
    a->s1 += d;
    a->s2 += d * d;
}

static mom acc_mom(const acc *a)
{
    mom m = {a->n, 0, 0, a->min, a->max};
    if (a->n > 0) {
        m.mean = a->shift + a->s1 / a->n;
        m.m2 = a->s2 - a->s1 * a->s1 / a->n;
        if (m.m2 < 0)
            m.m2 = 0;
    }
    return m;
}

static void mom_add_acc(mom *a, const acc *b)
{
    mom m = acc_mom(b);
    mom_merge(a, &m);
}

static void mom_to_stat(const mom *a, sp_stat *s)
{
    s->n = (long)a->n;
    if (a->n == 0) {
        s->mean = s->sd = s->se = NAN;
        return;
    }
    s->mean = a->mean;
    s->sd = a->n > 1 ? sqrt((a->m2 > 0 ? a->m2 : 0) / (a->n - 1)) : NAN;  /* undefined from one trial */
    s->se = s->sd / sqrt(a->n);
}

static void clamp_pcts(sp_stat *s, double lo, double hi)
{
    for (int i = 0; i < SP_NPCT; i++) {
        if (s->p[i] < lo)
            s->p[i] = lo;
        if (s->p[i] > hi)
            s->p[i] = hi;
    }
}

/* ---- what a trial stores ----------------------------------------------- */

/* Series that the trial derives from other series of the same role
 * (every total is the sum of its role series): the statistics pass
 * recomputes them the same way from what is stored, so they take no
 * per-trial storage. */
static int derived_metric(int k)
{
    switch (k) {
    case SP_M_REVENUE: case SP_M_BASE: case SP_M_VARIABLE: case SP_M_BURDEN:
    case SP_M_HIRING_COST: case SP_M_OTHER_COST: case SP_M_COST:
        return 1;
    default:
        return 0;
    }
}

/* Whole numbers of employees or requisitions in one month: never more
 * than the role's array holds. */
static int count_metric(int k)
{
    return k == SP_M_HEADCOUNT || k == SP_M_HIRES || k == SP_M_DEPARTURES ||
           k == SP_M_OPEN_REQS;
}
/* How each present monthly series is kept (ST_*), where its cells start
 * in the real or count store, and the bins of the rep histograms: worked
 * out once per plan. */
void stats_plan_store(plan_t *pl)
{
    const int H = pl->H, R = pl->R;
    pl->nbins = 2 + ((REP_EMAX - REP_EMIN) << REP_BITS);
    for (int s = 0; s < pl->S; s++) {
        int k = s / (R + 1), r = s % (R + 1) - 1;
        unsigned char st = ST_NONE;
        if (pl->present[s]) {
            if (r < 0)
                st = sp_metric_total_only(k) ? ST_REAL : ST_DERIVED;
            else if (derived_metric(k))
                st = ST_DERIVED;
            else if (count_metric(k) && pl->cap[r] <= UINT16_MAX)
                st = ST_COUNT;
            else
                st = ST_REAL;
        }
        pl->store[s] = st;
        pl->slot0[s] = -1;
        if (st == ST_REAL) {
            pl->slot0[s] = pl->nfc;
            pl->nfc += H;
        } else if (st == ST_COUNT) {
            pl->slot0[s] = pl->nuc;
            pl->nuc += H;
        }
    }
}

/* Sizes and allocates what a run keeps of its trials, once the plan, the
 * trial count and the blocks are set.  Returns 0, or -1 when memory ran
 * out (stats_store_free releases what was allocated). */
/* The strides of the store, and whether its real values are kept as
 * doubles (1) or floats (0). */
static int store_layout(run_t *run, size_t budget)
{
    const plan_t *pl = run->pl;
    size_t nb = (size_t)run->nblk;
    /* bsz is a multiple of 16, so a block's real values fill whole lines */
    run->ustride = ((size_t)pl->nuc * run->bsz + 31) / 32 * 32;
    run->mstride = ((size_t)pl->ncell + 7) / 8 * 8;
    run->rstride = ((size_t)pl->nfy * pl->R * REP_K + 3) / 4 * 4;
    /* Doubles when the whole store fits the budget: decided from the plan
     * and the trial count alone, never from what happens to be free, so
     * the same run always gives the same figures. */
    size_t nreal = nb * pl->nfc * run->bsz;
    size_t exact_bytes = nreal * sizeof *run->dbl +
                         nb * run->ustride * sizeof *run->cnt;
    return exact_bytes <= (budget ? budget : STORE_BUDGET);
}

double stats_store_bytes(run_t *run, size_t budget)
{
    const plan_t *pl = run->pl;
    double T = (double)run->trials, nb = (double)run->nblk;
    int dbl = store_layout(run, budget);
    double nreal = nb * pl->nfc * (double)run->bsz;
    return nreal * (dbl ? sizeof *run->dbl : sizeof *run->fl) +
           nb * (double)run->ustride * sizeof *run->cnt +
           nb * 5 * (double)run->mstride * sizeof *run->mblk +
           nb * (double)run->rstride * sizeof *run->rblk +
           T * sizeof *run->payback + T * pl->H * sizeof *run->cum +
           T * 2 * pl->nros * sizeof *run->ros +
           (double)pl->nper * pl->PS * T * sizeof *run->ptrial +
           (double)pl->nq * SP_NTRIAL_METRICS * T * sizeof *run->qtrial;
}

int stats_store_alloc(run_t *run, size_t budget)
{
    const plan_t *pl = run->pl;
    long T = run->trials;
    size_t PS = (size_t)pl->PS, nb = (size_t)run->nblk;
    size_t nreal = nb * pl->nfc * run->bsz;
    if (store_layout(run, budget))
        run->dbl = line_alloc(nreal * sizeof *run->dbl);
    else
        run->fl = line_alloc(nreal * sizeof *run->fl);
    run->cnt = line_alloc(nb * run->ustride * sizeof *run->cnt);
    /* every cell is set by its block's first trial */
    run->mblk = line_alloc(nb * 5 * run->mstride * sizeof *run->mblk);
    run->rblk = line_calloc(nb * run->rstride * sizeof *run->rblk);
    run->payback = malloc((size_t)T * sizeof *run->payback);
    run->cum = malloc((size_t)T * pl->H * sizeof *run->cum);
    run->ros = pl->nros ? malloc((size_t)T * 2 * pl->nros * sizeof *run->ros)
                        : NULL;
    run->ptrial = calloc((size_t)pl->nper * PS * T, sizeof *run->ptrial);
    /* at least one element, so that NULL means out of memory */
    run->qtrial = malloc(((size_t)pl->nq * SP_NTRIAL_METRICS * T + 1) *
                         sizeof *run->qtrial);
    return (run->dbl || run->fl) && run->cnt && run->mblk && run->rblk &&
           run->payback && run->cum && run->ptrial && run->qtrial &&
           (run->ros || !pl->nros) ? 0 : -1;
}

void stats_store_free(run_t *run)
{
    free(run->dbl);
    free(run->fl);
    free(run->cnt);
    free(run->mblk);
    free(run->rblk);
    free(run->payback);
    free(run->cum);
    free(run->ros);
    free(run->ptrial);
    free(run->qtrial);
    run->qtrial = NULL;
    run->dbl = NULL;
    run->fl = NULL;
    run->cnt = NULL;
    run->mblk = NULL;
    run->rblk = NULL;
    run->payback = NULL;
    run->cum = NULL;
    run->ros = NULL;
    run->ptrial = NULL;
}

/* Doubles a stats_job caller provides per thread: a cell's values over
 * all trials, then series_values' scratch, then a quarter's three block
 * arrays (quarter_values). */
size_t stats_scratch_len(const run_t *run)
{
    return (size_t)run->trials + 7 * (size_t)run->bsz;
}

/* Bin 0 holds values below 2^REP_EMIN (negatives too, which the model does
 * not produce), the last bin values of 2^REP_EMAX or more. */
static int rep_bin(const plan_t *pl, double v)
{
    if (!(v >= 0x1p-14))
        return 0;
    if (v >= 0x1p34)
        return pl->nbins - 1;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff) - 1023 - REP_EMIN;
    int mant = (int)((bits >> (52 - REP_BITS)) & ((1u << REP_BITS) - 1));
    return 1 + (e << REP_BITS) + mant;
}

static double rep_bin_value(const plan_t *pl, int b)
{
    if (b <= 0)
        return 0;
    if (b >= pl->nbins - 1)
        return 0x1p34;
    b -= 1;
    int e = (b >> REP_BITS) + REP_EMIN;
    double m = (double)(b & ((1 << REP_BITS) - 1));
    double lo = ldexp(1 + m / (1 << REP_BITS), e);
    double hi = ldexp(1 + (m + 1) / (1 << REP_BITS), e);
    return 2 * lo * hi / (lo + hi);
}

void stats_rep_record(const plan_t *pl, work_t *w, int t, int r, double att,
                       double earn, int months, int whole)
{
    if (!w->cnt)
        return;
    int g = pl->fyi[t] * pl->R + r;
    long *cnt = &w->cnt[(size_t)g * 4];
    cnt[0]++;
    /* A stub of a period (a start or a leaver) says little about what a
     * person on the plan earns in a year: only whole periods annualise. */
    double x[REP_K] = {att, earn, whole && months > 0 ? earn * 12 / months
                                                      : NAN};
    for (int k = 0; k < REP_K; k++) {
        double v = x[k];
        if (isnan(v))
            continue;
        size_t bin = ((size_t)g * REP_K + k) * pl->nbins + rep_bin(pl, v);
        if (++w->hist[bin] == 0)
            w->wraps[bin]++;
        if (w->rblk)
            acc_add(&w->rblk[(size_t)g * REP_K + k], v);
    }
    /* "At quota" and "at OTE" allow a relative 1e-9 so that a rep exactly
     * on target is not lost to rounding in the period sums. */
    if (!isnan(att)) {
        cnt[1]++;
        if (att >= 1 - 1e-9)
            cnt[2]++;
    }
    double ote = pl->ote[r][pl->fyi[t]] * months / 12.0;
    if (pl->has_target[r] && earn >= ote - 1e-9 * fabs(ote))
        cnt[3]++;
}

/* The bookings target of period pe: a fiscal year's own amount (a target
 * list's last value does not carry forward, and the horizon has none), or
 * a quarter's share of its year's; NaN without one. */
static double period_target(const plan_t *pl, const sp_period *pe)
{
    if (pe->is_total)
        return NAN;
    int y = pe->fiscal_year - pl->per[0].fiscal_year;
    if (y < 0 || y >= pl->m->ntarget)
        return NAN;
    double tg = pl->m->target[y];
    return pe->quarter ? tg * pl->m->target_split[pe->quarter - 1] : tg;
}

static double period_value(const plan_t *pl, const double *mon,
                           const sp_period *pe, int metric, int role)
{
    if (metric == SP_M_COVERAGE || metric == SP_M_CAPACITY_COVERAGE) {
        double tg = period_target(pl, pe);
        if (!(tg > 0))
            return NAN;
        int num = metric == SP_M_COVERAGE ? SP_M_QUOTA : SP_M_CAPACITY;
        /* mid-year, the team carries what is left of the number: the
         * year made whole by what was booked before the start */
        if (!pe->quarter && pe->fiscal_year == pl->per[0].fiscal_year)
            tg -= pl->m->ytd_bookings;
        if (!(tg > 0))
            return NAN;
        return period_value(pl, mon, pe, num, role) / tg;
    }
    if (metric == SP_M_COS || metric == SP_M_ATTAINMENT) {
        int num = metric == SP_M_COS ? SP_M_COST : SP_M_BOOKINGS;
        int den = metric == SP_M_COS ? SP_M_BOOKINGS : SP_M_QUOTA;
        double a = period_value(pl, mon, pe, num, role);
        double b = period_value(pl, mon, pe, den, role);
        return b != 0 ? a / b : NAN;
    }
    const double *v = &mon[SER(pl, metric, role)];
    if (sp_metric_is_stock(metric))
        return v[pe->t1];
    double s = 0;
    for (int t = pe->t0; t <= pe->t1; t++)
        s += v[t];
    return sp_metric_is_mean(metric) ? s / (pe->t1 - pe->t0 + 1) : s;
}

/* The rep outcomes of the trials w runs next go to block blk's
 * accumulators: moments depend on the blocks, never on the threads. */
void stats_block_begin(run_t *run, work_t *w, int blk)
{
    w->rblk = &run->rblk[(size_t)blk * run->rstride];
}

void stats_commit_trial(run_t *run, work_t *w, long trial, int blk,
                         long kb)
{
    const plan_t *pl = run->pl;
    const int H = pl->H, R = pl->R;
    long T = run->trials;
    size_t bsz = (size_t)run->bsz;
    size_t ms = run->mstride;
    double *sh = &run->mblk[(size_t)blk * 5 * ms], *s1 = sh + ms,
           *s2 = s1 + ms, *mn = s2 + ms, *mx = mn + ms;
    size_t rb = (size_t)blk * pl->nfc * bsz + kb;
    double *db = run->dbl ? &run->dbl[rb] : NULL;
    float *fb = run->fl ? &run->fl[rb] : NULL;
    uint16_t *ub = &run->cnt[(size_t)blk * run->ustride + kb];
    for (int s = 0; s < pl->S; s++) {
        int c0 = pl->cell0[s];
        if (c0 < 0)
            continue;
        const double *v = &w->mon[(size_t)s * H];
        /* acc_add, with the first trial of the block known in advance */
        if (kb == 0) {
            for (int t = 0; t < H; t++) {
                size_t c = (size_t)c0 + t;
                sh[c] = mn[c] = mx[c] = v[t];
                s1[c] = s2[c] = 0;
            }
        } else {
            for (int t = 0; t < H; t++) {
                size_t c = (size_t)c0 + t;
                double x = v[t], d = x - sh[c];
                s1[c] += d;
                s2[c] += d * d;
                mn[c] = x < mn[c] ? x : mn[c];
                mx[c] = x > mx[c] ? x : mx[c];
            }
        }
        size_t q = (size_t)pl->slot0[s];
        if (pl->store[s] == ST_REAL && db)
            for (int t = 0; t < H; t++)
                db[(q + t) * bsz] = v[t];
        else if (pl->store[s] == ST_REAL)
            for (int t = 0; t < H; t++)
                fb[(q + t) * bsz] = (float)v[t];
        else if (pl->store[s] == ST_COUNT)
            for (int t = 0; t < H; t++)
                ub[(q + t) * bsz] = (uint16_t)v[t];
    }
    for (int p = 0; p < pl->nper; p++) {
        const sp_period *pe = &pl->per[p];
        for (int metric = 0; metric < SP_M_NPERIOD; metric++)
            for (int r = -1; r < R; r++) {
                int s = metric * (R + 1) + r + 1;
                if (!pl->ppresent[s])
                    continue;
                run->ptrial[((size_t)p * pl->PS + s) * T + trial] =
                    period_value(pl, w->mon, pe, metric, r);
            }
    }
    for (int q = 0; q < pl->nq; q++) {
        const sp_period *pe = &pl->per[pl->nper + q];
        for (int j = 0; j < SP_NTRIAL_METRICS; j++)
            run->qtrial[((size_t)q * SP_NTRIAL_METRICS + j) * T + trial] =
                period_value(pl, w->mon, pe, sp_trial_metrics[j], -1);
    }
    /* Payback (MODEL.md 10.11), and the series a comparison pairs. */
    const double *cum = &w->mon[SER(pl, SP_M_CUM_CONTRIBUTION, -1)];
    run->payback[trial] = sp_payback_month(cum, NULL, H);
    if (run->cum)
        memcpy(&run->cum[(size_t)trial * H], cum, (size_t)H * sizeof *cum);
    for (int k = 0; k < pl->nros; k++) {
        const double *a = &w->ros_acc[k * 3];
        double *o = &run->ros[((size_t)trial * pl->nros + k) * 2];
        o[0] = a[1] > 0 ? a[0] / a[1] : NAN;
        o[1] = a[2];
    }
}

/* ---- statistics phase ---------------------------------------------------- */

/* Trials in block b. */
static long blk_len(const run_t *run, int b)
{
    long k0 = (long)b * run->bsz;
    return run->trials - k0 < run->bsz ? run->trials - k0 : run->bsz;
}

/* Moments of cell c over block b, as acc_mom gives them. */
static mom blk_mom(const run_t *run, int b, int c)
{
    size_t nc = run->mstride;
    const double *f = &run->mblk[(size_t)b * 5 * nc + c];
    acc a = {(double)blk_len(run, b), f[0], f[nc], f[2 * nc], f[3 * nc],
             f[4 * nc]};
    return acc_mom(&a);
}

/* The n per-trial values of block b of stored series s, month t. */
static void load_values(const run_t *run, int s, int t, int b, long n,
                        double *out)
{
    const plan_t *pl = run->pl;
    size_t q = (size_t)pl->slot0[s] + t;
    size_t rb = ((size_t)b * pl->nfc + q) * run->bsz;
    if (pl->store[s] == ST_REAL && run->dbl) {
        memcpy(out, &run->dbl[rb], (size_t)n * sizeof *out);
    } else if (pl->store[s] == ST_REAL) {
        const float *f = &run->fl[rb];
        for (long k = 0; k < n; k++)
            out[k] = f[k];
    } else if (pl->store[s] == ST_COUNT) {
        const uint16_t *u = &run->cnt[(size_t)b * run->ustride +
                                      q * run->bsz];
        for (long k = 0; k < n; k++)
            out[k] = u[k];
    } else {
        for (long k = 0; k < n; k++)
            out[k] = 0;
    }
}

/* The sum of role r's variable-pay components, added in the order
 * trial_derived (sim.c) adds them; z: bsz scratch. */
static void variable_values(const run_t *run, int r, int t, int b, long n,
                            double *out, double *z)
{
    const plan_t *pl = run->pl;
    for (long k = 0; k < n; k++)
        out[k] = 0;
    for (int m = SP_M_COMMISSION; m <= SP_M_DRAW_TOPUP; m++) {
        int s = m * (pl->R + 1) + r + 1;
        if (!pl->present[s])
            continue;   /* always 0 */
        load_values(run, s, t, b, n, z);
        for (long k = 0; k < n; k++)
            out[k] += z[k];
    }
}

/* Role r's base, other_cost or hiring_cost from its counts. */
static void count_values(const run_t *run, int metric, int r, int t, int b,
                         long n, double *out)
{
    const plan_t *pl = run->pl;
    const sp_model_role *ro = &pl->m->roles[r];
    const int R1 = pl->R + 1;
    int s = metric * R1 + r + 1;
    if (pl->store[s] != ST_DERIVED) {
        load_values(run, s, t, b, n, out);
        return;
    }
    if (metric == SP_M_BASE || metric == SP_M_OTHER_COST) {
        double f = metric == SP_M_BASE ? ro->base / 12 : ro->monthly_cost;
        load_values(run, SP_M_HEADCOUNT * R1 + r + 1, t, b, n, out);
        for (long k = 0; k < n; k++)
            out[k] = out[k] * f;
    } else {
        /* one addition per start, as start_emp does */
        double c = ro->recruiting_cost + ro->training_cost;
        load_values(run, SP_M_HIRES * R1 + r + 1, t, b, n, out);
        for (long k = 0; k < n; k++) {
            double v = 0;
            for (long h = (long)out[k]; h > 0; h--)
                v += c;
            out[k] = v;
        }
    }
}

/* Per-trial values of role r's series `metric` at month t over block b:
 * read back when stored, otherwise recomputed from the stored series with
 * the trial's formulas and order of operations (trial_derived in sim.c,
 * start_emp and team_work in team.c), so that it reproduces the
 * exact figure whenever the values it starts from are exact (counts
 * always are).  tmp: 3 * bsz scratch. */
static void role_values(const run_t *run, int metric, int r, int t, int b,
                        long n, double *out, double *tmp)
{
    const plan_t *pl = run->pl;
    const sp_model_role *ro = &pl->m->roles[r];
    const int R1 = pl->R + 1;
    int s = metric * R1 + r + 1;
    double *y = tmp, *z = tmp + run->bsz;
    if (pl->store[s] != ST_DERIVED) {
        load_values(run, s, t, b, n, out);
        return;
    }
    switch (metric) {
    case SP_M_BASE:
    case SP_M_OTHER_COST:
    case SP_M_HIRING_COST:
        count_values(run, metric, r, t, b, n, out);
        break;
    case SP_M_REVENUE: {
        int N = pl->m->ratable_n, sb = SP_M_BOOKINGS * R1 + r + 1;
        if (pl->has_renew) {
            /* as trial_revenue in sim.c, term by term */
            for (long k = 0; k < n; k++)
                out[k] = 0;
            for (int u = 0; u <= t; u++) {
                load_values(run, sb, u, b, n, y);
                for (long k = 0; k < n; k++)
                    out[k] += y[k] / N * pl->renew[t - u];
            }
        } else if (N > 1) {
            for (long k = 0; k < n; k++)
                out[k] = 0;
            for (int u = t - N + 1 < 0 ? 0 : t - N + 1; u <= t; u++) {
                load_values(run, sb, u, b, n, y);
                for (long k = 0; k < n; k++)
                    out[k] += y[k] / N;
            }
        } else {
            load_values(run, sb, t, b, n, out);
        }
        break;
    }
    case SP_M_VARIABLE:
        variable_values(run, r, t, b, n, out, y);
        break;
    case SP_M_BURDEN:
        count_values(run, SP_M_BASE, r, t, b, n, out);
        variable_values(run, r, t, b, n, y, z);
        for (long k = 0; k < n; k++)
            out[k] = employer_burden(ro->burden, out[k], y[k]);
        break;
    case SP_M_COST: {
        double *h = z, *o = tmp + 2 * run->bsz;
        count_values(run, SP_M_BASE, r, t, b, n, out);
        variable_values(run, r, t, b, n, y, z);
        count_values(run, SP_M_HIRING_COST, r, t, b, n, h);
        count_values(run, SP_M_OTHER_COST, r, t, b, n, o);
        for (long k = 0; k < n; k++)
            out[k] = employer_cost(ro->burden, out[k], y[k], h[k], o[k]);
        break;
    }
    default:
        for (long k = 0; k < n; k++)
            out[k] = 0;
        break;
    }
}

/* Per-trial values of series s at month t over block b; totals add up
 * their present role series in role order, as the trial does.
 * tmp: 4 * bsz scratch. */
static void series_values(const run_t *run, int s, int t, int b, long n,
                          double *out, double *tmp)
{
    const plan_t *pl = run->pl;
    const int R1 = pl->R + 1;
    int metric = s / R1, r = s % R1 - 1;
    if (r >= 0 || pl->store[s] != ST_DERIVED) {
        if (r >= 0)
            role_values(run, metric, r, t, b, n, out, tmp);
        else
            load_values(run, s, t, b, n, out);
        return;
    }
    double *y = tmp + 3 * run->bsz;
    for (long k = 0; k < n; k++)
        out[k] = 0;
    for (int q = 0; q < pl->R; q++) {
        if (!pl->present[metric * R1 + q + 1])
            continue;   /* always 0 */
        role_values(run, metric, q, t, b, n, y, tmp);
        for (long k = 0; k < n; k++)
            out[k] += y[k];
    }
    if (metric == SP_M_REVENUE && pl->has_open)
        for (long k = 0; k < n; k++)
            out[k] += pl->open_rev[t];
}

/* Statistics of one monthly cell: moments from the exact block
 * accumulators, combined in block order; percentiles from the per-trial
 * values as stored or recomputed from stored values, clamped to
 * the exact range. */
static void monthly_cell(run_t *run, int s, int t, double *x, double *tmp,
                         sp_stat *out)
{
    const plan_t *pl = run->pl;
    long T = run->trials;
    int c = pl->cell0[s] + t;
    mom a = {0, 0, 0, 0, 0};
    for (int b = 0; b < run->nblk; b++) {
        mom m = blk_mom(run, b, c);
        mom_merge(&a, &m);
    }
    mom_to_stat(&a, out);
    if (a.min == a.max) {
        for (int i = 0; i < SP_NPCT; i++)
            out->p[i] = a.min;
        return;
    }
    for (int b = 0; b < run->nblk; b++)
        series_values(run, s, t, b, blk_len(run, b),
                      &x[(size_t)b * run->bsz], tmp);
    sp_percentiles_inc(x, (size_t)T, sp_pct_levels, SP_NPCT, out->p);
    clamp_pcts(out, a.min, a.max);
}

static void zero_stat(sp_stat *s, long n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
}

/* Per-trial values of monthly series s summed over period pe (its last
 * month for a stock), block b, into out; absent series are zero. tmp: 5
 * * bsz scratch. */
static void block_period_values(const run_t *run, const sp_period *pe, int s,
                                int b, long n, double *out, double *tmp)
{
    const plan_t *pl = run->pl;
    double *y = tmp + 4 * run->bsz;
    for (long k = 0; k < n; k++)
        out[k] = 0;
    if (pl->cell0[s] < 0)
        return;
    int metric = s / (pl->R + 1);
    int t0 = sp_metric_is_stock(metric) ? pe->t1 : pe->t0;
    /* in month order from 0, as period_value adds the trial's months */
    for (int t = t0; t <= pe->t1; t++) {
        series_values(run, s, t, b, n, y, tmp);
        for (long k = 0; k < n; k++)
            out[k] += y[k];
    }
    /* a level such as a support factor: the mean of its months, as
     * period_value takes it in the trial */
    if (sp_metric_is_mean(metric))
        for (long k = 0; k < n; k++)
            out[k] /= pe->t1 - pe->t0 + 1;
}

/* Each trial's value of period series s over the fiscal quarter pe, from
 * the per-trial monthly store: sums, last months and per-trial ratios,
 * as period_value computes them in the trial (so exact whenever the
 * store keeps doubles).  tmp: 7 * bsz scratch. */
static void quarter_values(const run_t *run, const sp_period *pe, int s,
                           double *x, double *tmp)
{
    const plan_t *pl = run->pl;
    const int R1 = pl->R + 1;
    int metric = s / R1, r = s % R1 - 1;
    double *num = tmp + 5 * run->bsz, *den = tmp + 6 * run->bsz;
    int ratio = metric >= SP_M_NMONTHLY;
    int a = metric == SP_M_COS ? SP_M_COST
            : metric == SP_M_ATTAINMENT ? SP_M_BOOKINGS
            : metric == SP_M_COVERAGE ? SP_M_QUOTA
            : metric == SP_M_CAPACITY_COVERAGE ? SP_M_CAPACITY : metric;
    int d = metric == SP_M_COS ? SP_M_BOOKINGS : SP_M_QUOTA;
    int cov = metric == SP_M_COVERAGE || metric == SP_M_CAPACITY_COVERAGE;
    double tg = cov ? period_target(pl, pe) : NAN;
    for (int b = 0; b < run->nblk; b++) {
        long n = blk_len(run, b), k0 = (long)b * run->bsz;
        if (cov && !(tg > 0)) {
            for (long k = 0; k < n; k++)
                x[k0 + k] = NAN;
            continue;
        }
        block_period_values(run, pe, a * R1 + r + 1, b, n, num, tmp);
        if (!ratio) {
            memcpy(&x[k0], num, (size_t)n * sizeof *x);
            continue;
        }
        if (cov) {
            for (long k = 0; k < n; k++)
                x[k0 + k] = num[k] / tg;
            continue;
        }
        block_period_values(run, pe, d * R1 + r + 1, b, n, den, tmp);
        for (long k = 0; k < n; k++)
            x[k0 + k] = den[k] != 0 ? num[k] / den[k] : NAN;
    }
}

void stats_job(run_t *run, int job, double *x)
{
    double *tmp = x + run->trials;
    const plan_t *pl = run->pl;
    sp_results *res = run->res;
    const int H = pl->H;
    long T = run->trials;
    if (job < pl->S) {
        int s = job;
        for (int t = 0; t < H; t++) {
            sp_stat *out = &res->monthly[(size_t)s * H + t];
            if (pl->cell0[s] < 0)
                zero_stat(out, T);
            else
                monthly_cell(run, s, t, x, tmp, out);
        }
        return;
    }
    job -= pl->S;
    int p = job / pl->PS, s = job % pl->PS;
    sp_stat *out = &res->pstats[(size_t)p * pl->PS + s];
    if (!pl->ppresent[s]) {
        zero_stat(out, T);
        return;
    }
    if (p >= pl->nper) {
        quarter_values(run, &pl->per[p], s, x, tmp);
        sp_stat_compute(x, (size_t)T, out);
        return;
    }
    memcpy(x, &run->ptrial[((size_t)p * pl->PS + s) * T], (size_t)T * sizeof *x);
    sp_stat_compute(x, (size_t)T, out);
}

/* Order statistics of ranks rk[] (ascending) from a histogram. */
static void hist_ranks(const plan_t *pl, const uint64_t *h, const uint64_t *rk,
                       int nr, double *val)
{
    uint64_t cum = 0;
    int i = 0;
    for (int b = 0; b < pl->nbins && i < nr; b++) {
        cum += h[b];
        while (i < nr && rk[i] < cum) {
            val[i++] = rep_bin_value(pl, b);
        }
    }
    for (; i < nr; i++)
        val[i] = 0x1p34;
}

static void hist_stat(const plan_t *pl, const uint64_t *h, const mom *a,
                      sp_stat *out)
{
    mom_to_stat(a, out);
    uint64_t n = (uint64_t)a->n;
    if (n == 0) {
        for (int i = 0; i < SP_NPCT; i++)
            out->p[i] = NAN;
        return;
    }
    uint64_t rk[2 * SP_NPCT];
    double v[2 * SP_NPCT];
    double f[SP_NPCT];
    for (int i = 0; i < SP_NPCT; i++) {
        double hh = (double)(n - 1) * sp_pct_levels[i];
        uint64_t k = (uint64_t)floor(hh);
        f[i] = hh - (double)k;
        rk[2 * i] = k;
        rk[2 * i + 1] = k + 1 < n ? k + 1 : k;
    }
    hist_ranks(pl, h, rk, 2 * SP_NPCT, v);
    for (int i = 0; i < SP_NPCT; i++)
        out->p[i] = v[2 * i] + f[i] * (v[2 * i + 1] - v[2 * i]);
    clamp_pcts(out, a->min, a->max);
}

/* ---- coarse rep histograms (sp_rep_hist) ----------------------------- */

#define ATT_BINS_PER_UNIT 10.0  /* attainment bins of 10 points */
#define ATT_NBINS 20        /* 0% to 200%, then the open bin */
#define EARN_BINS 20        /* about this many earnings bins over P1..P99 */
/* A value within this relative distance below an edge counts in the bin
 * above it, as "at quota" does: a rep exactly at 120% must not be lost to
 * the rounding of the period sums into the 110-120% bin. */
#define EDGE_TOL 1e-9

/* The range [lo, hi) of fine bin b.  Bin 0 holds everything below 2^-14
 * and the top bin everything from 2^34; callers clamp to the values'
 * exact minimum and maximum. */
static void fine_range(const plan_t *pl, int b, double *lo, double *hi)
{
    if (b <= 0) {
        *lo = -INFINITY;
        *hi = 0x1p-14;
        return;
    }
    if (b >= pl->nbins - 1) {
        *lo = 0x1p34;
        *hi = INFINITY;
        return;
    }
    b -= 1;
    int e = (b >> REP_BITS) + REP_EMIN;
    double m = (double)(b & ((1 << REP_BITS) - 1));
    *lo = ldexp(1 + m / (1 << REP_BITS), e);
    *hi = ldexp(1 + (m + 1) / (1 << REP_BITS), e);
}

static double edge_eff(double e)
{
    return isfinite(e) ? e - EDGE_TOL * fabs(e) : e;
}

/* The coarse bin of v: values beyond either end go to the end bins. */
static int coarse_bin(const double *edges, int nb, double v)
{
    int k = 0;
    while (k + 1 < nb && v >= edge_eff(edges[k + 1]))
        k++;
    return k;
}

/* Shares of the values of fine histogram h in the coarse bins.  A fine
 * bin (0.1% wide) that straddles a coarse edge is split in proportion to
 * the overlap, as if its values were spread evenly over it; clamping each
 * fine bin to the exact minimum and maximum puts a figure that is the same
 * in every record into one bin exactly. */
static void coarse_shares(const plan_t *pl, const uint64_t *h, double vmin,
                          double vmax, const double *edges, int nb,
                          double *share)
{
    double total = 0;
    for (int k = 0; k < nb; k++)
        share[k] = 0;
    for (int b = 0; b < pl->nbins; b++) {
        if (!h[b])
            continue;
        double c = (double)h[b], lo, hi;
        total += c;
        fine_range(pl, b, &lo, &hi);
        if (lo < vmin)
            lo = vmin;
        if (hi > vmax)
            hi = vmax;
        int i = coarse_bin(edges, nb, lo), j = coarse_bin(edges, nb, hi);
        if (!(hi > lo) || i == j) {
            share[i] += c;
            continue;
        }
        for (int k = i; k <= j; k++) {
            double a = k == i ? lo : edge_eff(edges[k]);
            double z = k == j ? hi : edge_eff(edges[k + 1]);
            share[k] += c * (z - a) / (hi - lo);
        }
    }
    for (int k = 0; k < nb && total > 0; k++)
        share[k] /= total;
}

/* The histogram's percentile at level q, as hist_stat computes them. */
static double hist_level(const plan_t *pl, const uint64_t *h, uint64_t n,
                         double q)
{
    double hh = (double)(n - 1) * q;
    uint64_t k = (uint64_t)floor(hh);
    uint64_t rk[2] = {k, k + 1 < n ? k + 1 : k};
    double v[2];
    hist_ranks(pl, h, rk, 2, v);
    return v[0] + (hh - (double)k) * (v[1] - v[0]);
}

/* 1, 2, 2.5 or 5 times a power of ten, at least raw (> 0). */
static double round_width(double raw)
{
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/* Fills hs from fine histogram h of the values summarised by a.
 * attainment: the fixed 10-point bins; else the earnings bins. */
static sp_status coarse_hist(const plan_t *pl, const uint64_t *h, const mom *a,
                             int attainment, sp_rep_hist *hs)
{
    double edges[ATT_NBINS + EARN_BINS + 16];
    int nb = 0;
    uint64_t n = (uint64_t)a->n;
    if (n == 0)
        return SP_OK;
    if (attainment) {
        /* k / 10 rather than k * 0.1: the edge read back is 0.3, not
         * 0.30000000000000004. */
        for (int k = 0; k <= ATT_NBINS; k++)
            edges[k] = k / ATT_BINS_PER_UNIT;
        edges[ATT_NBINS + 1] = INFINITY;
        nb = ATT_NBINS + 1;
    } else {
        double lo = hist_level(pl, h, n, 0.01), hi = hist_level(pl, h, n, 0.99);
        lo = lo < a->min ? a->min : lo > a->max ? a->max : lo;
        hi = hi < a->min ? a->min : hi > a->max ? a->max : hi;
        double mag = fmax(fabs(lo), fabs(hi));
        /* All records (nearly) alike: bins of a round width around the
         * value, so the chart still has an axis to read. */
        int flat = !(hi - lo > 1e-6 * fmax(mag, 1));
        double w = round_width(flat ? fmax(mag, 1) / (2 * EARN_BINS)
                                    : (hi - lo) / EARN_BINS);
        double k0 = floor(lo / w), k1 = ceil(hi / w);
        if (k1 <= k0)
            k1 = k0 + 1;
        if (flat) {
            k0 -= 5;
            k1 += 4;
        }
        if (k0 < 0 && a->min >= 0)
            k0 = 0;
        edges[nb++] = -INFINITY;
        for (double k = k0; k <= k1; k++)
            edges[nb++] = k * w;
        edges[nb++] = INFINITY;
        nb--;                       /* bins = edges - 1 */
    }
    double share[ATT_NBINS + EARN_BINS + 16];
    coarse_shares(pl, h, a->min, a->max, edges, nb, share);
    int first = 0, last = nb - 1;
    /* The open ends of the earnings bins only when records fall there. */
    if (!attainment && share[first] == 0)
        first++;
    if (!attainment && share[last] == 0)
        last--;
    hs->nbins = last - first + 1;
    hs->edges = malloc((size_t)(hs->nbins + 1) * sizeof *hs->edges);
    hs->share = malloc((size_t)hs->nbins * sizeof *hs->share);
    if (!hs->edges || !hs->share)
        return SP_ERR_NOMEM;
    memcpy(hs->edges, edges + first, (size_t)(hs->nbins + 1) * sizeof *edges);
    memcpy(hs->share, share + first, (size_t)hs->nbins * sizeof *share);
    return SP_OK;
}

/* Fiscal year p's rep group of role r: the histograms (REP_K of nb bins)
 * and counters of every thread, and the block moments in block order. */
static void rep_group(const run_t *run, int p, int r, uint64_t *h, mom *a,
                      long *c)
{
    const plan_t *pl = run->pl;
    size_t nb = (size_t)pl->nbins, g = (size_t)p * pl->R + r;
    memset(h, 0, REP_K * nb * sizeof *h);
    for (int i = 0; i < run->nth; i++) {
        const work_t *w = &run->w[i];
        for (int k = 0; k < REP_K; k++) {
            size_t o = (g * REP_K + k) * nb;
            for (size_t b = 0; b < nb; b++)
                h[k * nb + b] += w->hist[o + b] + 256 * (uint64_t)w->wraps[o + b];
        }
        for (int k = 0; k < 4; k++)
            c[k] += w->cnt[g * 4 + k];
    }
    for (int b = 0; b < run->nblk; b++)
        for (int k = 0; k < REP_K; k++)
            mom_add_acc(&a[k], &run->rblk[(size_t)b * run->rstride +
                                          g * REP_K + k]);
}

sp_status stats_reps(run_t *run, sp_results *res)
{
    const plan_t *pl = run->pl;
    int R = pl->R;
    size_t nb = (size_t)pl->nbins;
    uint64_t *h = malloc(REP_K * nb * sizeof *h);
    uint64_t *ht = malloc(REP_K * nb * sizeof *ht);
    if (!h || !ht) {
        free(h);
        free(ht);
        return SP_ERR_NOMEM;
    }
    sp_status st = SP_OK;
    for (int r = 0; r < R && st == SP_OK; r++) {
        memset(ht, 0, REP_K * nb * sizeof *ht);
        mom at[REP_K];
        memset(at, 0, sizeof at);
        long ct[4] = {0, 0, 0, 0};
        for (int p = 0; p <= pl->nfy && st == SP_OK; p++) {
            sp_rep_stats *rs = &res->reps[(size_t)p * R + r];
            mom a[REP_K];
            memset(a, 0, sizeof a);
            long c[4] = {0, 0, 0, 0};
            if (p < pl->nfy) {
                rep_group(run, p, r, h, a, c);
                for (size_t b = 0; b < REP_K * nb; b++)
                    ht[b] += h[b];
                for (int k = 0; k < REP_K; k++)
                    mom_merge(&at[k], &a[k]);
                for (int k = 0; k < 4; k++)
                    ct[k] += c[k];
            } else {
                memcpy(h, ht, REP_K * nb * sizeof *h);
                memcpy(a, at, sizeof a);
                memcpy(c, ct, sizeof c);
            }
            rs->records = c[0];
            rs->defined = c[1];
            hist_stat(pl, h, &a[0], &rs->attainment);
            hist_stat(pl, h + nb, &a[1], &rs->earnings);
            hist_stat(pl, h + 2 * nb, &a[2], &rs->earnings_annual);
            if (coarse_hist(pl, h, &a[0], 1, &rs->attainment_hist) != SP_OK ||
                coarse_hist(pl, h + nb, &a[1], 0, &rs->earnings_hist) != SP_OK)
                st = SP_ERR_NOMEM;
            rs->share_at_quota = c[1] > 0 ? (double)c[2] / c[1] : NAN;
            /* undefined for a role with no target (MODEL.md 5) */
            rs->share_at_ote = c[0] > 0 && pl->has_target[r]
                                   ? (double)c[3] / c[0] : NAN;
        }
    }
    free(h);
    free(ht);
    return st;
}

/* Each rostered person's attainment and earnings across trials. */
static void stats_people(run_t *run, sp_results *res)
{
    const plan_t *pl = run->pl;
    long T = run->trials;
    res->npeople = 0;
    res->people = pl->nros ? calloc((size_t)pl->nros, sizeof *res->people)
                           : NULL;
    double *x = pl->nros ? malloc((size_t)T * sizeof *x) : NULL;
    if (!res->people || !x) {
        free(res->people);
        res->people = NULL;
        free(x);
        return;
    }
    for (int r = 0; r < pl->R; r++)
        for (int i = 0; i < pl->m->roles[r].nroster; i++) {
            int k = pl->ros0[r] + i;
            sp_person_stats *ps = &res->people[k];
            snprintf(ps->id, sizeof ps->id, "%s", pl->m->roles[r].roster[i].id);
            ps->role = r;
            for (int j = 0; j < 2; j++) {
                for (long t = 0; t < T; t++)
                    x[t] = run->ros[((size_t)t * pl->nros + k) * 2 + j];
                sp_stat_compute(x, (size_t)T, j ? &ps->earnings
                                                : &ps->attainment);
            }
        }
    res->npeople = pl->nros;
    free(x);
}

void stats_final(run_t *run, sp_results *res)
{
    const plan_t *pl = run->pl;
    const sp_model *m = pl->m;
    long T = run->trials;
    for (int p = 0; p < pl->nper + pl->nq; p++) {
        res->p_target[p] = NAN;
        if (p < pl->nper)
            res->p_budget[p] = NAN;
        double tg = period_target(pl, &pl->per[p]);
        if (!isnan(tg)) {
            /* bookings come first in sp_trial_metrics */
            const double *b =
                p < pl->nper ? &run->ptrial[((size_t)p * pl->PS +
                                             SP_M_BOOKINGS * (pl->R + 1)) * T]
                             : &run->qtrial[(size_t)(p - pl->nper) *
                                            SP_NTRIAL_METRICS * T];
            /* The first year counts what was booked before the start
             * (MODEL.md 2.3); adding 0 leaves every other period exact.
             * At the target with the relative 1e-9 of MODEL.md 10.1: a
             * quarter whose months add up to its target meets it. */
            double ytd = p == 0 ? m->ytd_bookings : 0;
            long hit = 0;
            for (long k = 0; k < T; k++)
                hit += ytd + b[k] >= tg - 1e-9 * fabs(tg);
            res->p_target[p] = (double)hit / T;
        }
        if (p < pl->nfy && p < m->nbudget) {
            /* the cost of a fiscal year within its budget, with the
             * relative 1e-9 every comparison of money allows */
            const double *c = &run->ptrial[((size_t)p * pl->PS +
                                            SP_M_COST * (pl->R + 1)) * T];
            double bu = m->budget[p];
            long in = 0;
            for (long k = 0; k < T; k++)
                in += c[k] <= bu + 1e-9 * fabs(bu);
            res->p_budget[p] = (double)in / T;
        }
    }
    stats_people(run, res);
    sp_payback pb;
    sp_payback_summary(run->payback, T, pl->H, &pb);
    res->payback_p50 = pb.p50;
    res->payback_share_never = pb.share_never;
    res->payback_share_no_investment = pb.share_no_investment;
}
