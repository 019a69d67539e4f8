/* The Monte Carlo engine: trials x months x employees (MODEL.md).
 *
 * A run has three phases.
 *
 *  1. Plan: everything that depends only on the model (calendar, period
 *     ends, which series exist, team capacities, how each series is
 *     stored) is worked out once.
 *  2. Trials: worker threads take blocks of consecutive trials.  A trial
 *     runs every employee month by month (team.c) in a per-thread
 *     workspace that was sized up front (the loop never allocates), then
 *     writes its figures into slots owned by that trial, plus moment
 *     accumulators owned by its block.  Nothing a trial writes depends on
 *     which thread ran it.
 *  3. Statistics: every cell (series x month, series x period, rep group)
 *     is summarised from the stored per-trial values (simstats.c), cells
 *     shared out between the threads, each cell computed the same way
 *     whatever the thread count.  Results are bit-identical for any number
 *     of threads.
 *
 * This file holds the plan, the workspace, the order of a trial's steps,
 * the series derived once the months are run, and the threads. */
#include "salesplan/sim.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>

#include "salesplan/comp.h"
#include "salesplan/rng.h"

#include "sim_private.h"

/* ---- plan: what depends on the model only ---------------------------- */

static uint32_t role_hash(const char *id)
{
    /* FNV-1a: the role's streams follow its name, not its position, so
     * adding or reordering roles leaves the other roles' draws alone. */
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

static int floor_div(int a, int b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* A fiscal year is labelled by the calendar year it ends in. */
static int fiscal_year(int abs_month, int fy_start)
{
    return floor_div(abs_month - (fy_start - 1), 12) + (fy_start == 1 ? 0 : 1);
}

static int fiscal_month(int abs_month, int fy_start)
{
    return ((abs_month - (fy_start - 1)) % 12 + 12) % 12;
}

static void plan_free(plan_t *pl)
{
    free(pl->plan);
    free(pl->per);
    free(pl->present);
    free(pl->ppresent);
    free(pl->cell0);
    free(pl->store);
    free(pl->slot0);
    memset(pl, 0, sizeof *pl);
}

/* Whether some role serves role r with a support share (MODEL.md 3.1). */
static int is_served(const sp_model *m, int r)
{
    for (int x = 0; x < m->nroles; x++)
        if (m->roles[x].serves == r && m->roles[x].support_share > 0)
            return 1;
    return 0;
}

static int role_present(const sp_model_role *ro, int metric)
{
    int quota = ro->kind == SP_KIND_QUOTA;
    const sp_comp_plan *c = &ro->comp;
    switch (metric) {
    case SP_M_HEADCOUNT: case SP_M_HIRES: case SP_M_DEPARTURES:
    case SP_M_OPEN_REQS: case SP_M_BASE: case SP_M_COST:
        return 1;
    case SP_M_RAMPED: case SP_M_BOOKINGS: case SP_M_REVENUE: case SP_M_QUOTA:
    case SP_M_CAPACITY:
        return quota;
    case SP_M_COMMISSION:
        return quota && (c->ti != 0 || c->has_rate);
    case SP_M_BONUS:
        return c->bonus != 0;
    case SP_M_POOL:
        return ro->pool_rate != 0 && ro->pool_of >= 0;
    case SP_M_AWARD:
        return ro->award_k > 0 && ro->award_amount != 0;
    case SP_M_GUARANTEE:
        return c->guarantee_months != 0 && c->guarantee_amount != 0;
    case SP_M_DRAW_TOPUP:
        return c->draw_months != 0;
    case SP_M_DRAW_WRITEOFF:
        return c->draw_months != 0 && c->draw_recoverable;
    case SP_M_VARIABLE:
        for (int k = SP_M_COMMISSION; k <= SP_M_DRAW_TOPUP; k++)
            if (role_present(ro, k))
                return 1;
        return 0;
    case SP_M_BURDEN:
        return ro->burden != 0;
    case SP_M_HIRING_COST:
        return ro->recruiting_cost + ro->training_cost != 0;
    case SP_M_OTHER_COST:
        return ro->monthly_cost != 0;
    default:
        return 0;
    }
}

/* Month t (absolute month a, fiscal month fm) in its fiscal quarter, the
 * periods after the total: quarters are numbered from the one the horizon
 * starts in. */
static void plan_quarter(plan_t *pl, int t, int a, int fm, int fy0)
{
    int q = pl->fyi[t] * 4 + fm / 3 - pl->q0;
    sp_period *pe = &pl->per[pl->nper + q];
    if (pe->label[0] == 0) {
        pe->fiscal_year = fy0 + pl->fyi[t];
        pe->quarter = fm / 3 + 1;
        snprintf(pe->label, sizeof pe->label, "FY%d Q%d", pe->fiscal_year,
                 pe->quarter);
        pe->t0 = t;
        pe->first = a;
        pe->partial = fm % 3 != 0;
    }
    pe->t1 = t;
    pe->last = a;
    if (t == pl->H - 1 && fm % 3 != 2)
        pe->partial = 1;
}

/* Calendar month, fiscal-year index and period ends of every month, and
 * the fiscal years with the whole horizon as a last period. */
static void plan_calendar(plan_t *pl, int fy_start, int fy0)
{
    const sp_model *m = pl->m;
    const int H = pl->H, R = pl->R;
    for (int t = 0; t < H; t++) {
        int a = m->start + t;
        pl->cal[t] = ((a % 12) + 12) % 12;
        pl->fyi[t] = fiscal_year(a, fy_start) - fy0;
        int fm = fiscal_month(a, fy_start);
        for (int r = 0; r < R; r++) {
            int p = m->roles[r].comp.period;
            if (p < 1 || p > 12 || 12 % p)
                p = 3;
            int natural = fm % p == p - 1;
            pl->plen[r] = p;
            pl->pend[r][t] = t == H - 1 || natural;
            pl->pstart[r][t] = t - fm % p < 0 ? 0 : t - fm % p;
            pl->whole_end[r][t] = natural && t - (p - 1) >= 0;
        }
        sp_period *pe = &pl->per[pl->fyi[t]];
        if (pe->label[0] == 0) {
            pe->fiscal_year = fy0 + pl->fyi[t];
            snprintf(pe->label, sizeof pe->label, "FY%d", pe->fiscal_year);
            pe->t0 = t;
            pe->first = a;
            /* With bookings already made this fiscal year the first
             * year is reported whole (MODEL.md 10.7). */
            pe->partial = fm != 0 && !(t == 0 && m->ytd_bookings > 0);
        }
        pe->t1 = t;
        pe->last = a;
        if (t == H - 1 && fm != 11)
            pe->partial = 1;
        plan_quarter(pl, t, a, fm, fy0);
    }
    sp_period *tot = &pl->per[pl->nfy];
    snprintf(tot->label, sizeof tot->label, "Total");
    tot->t0 = 0;
    tot->t1 = H - 1;
    tot->first = m->start;
    tot->last = m->start + H - 1;
    tot->is_total = 1;
}

/* The revenue book: renewal weights by age and the opening book's revenue
 * (MODEL.md 3).  The contracts in force at t = 0 end evenly over the
 * first N months, one N-th at the end of each of months 0 .. N - 1; the
 * j-th has renewed n_j(t) times by month t. */
static void plan_book(plan_t *pl)
{
    const sp_model *m = pl->m;
    const int H = pl->H, N = m->ratable_n;
    const double R = m->renewal;
    pl->has_renew = N >= 1 && R > 0;
    pl->has_open = N >= 1 && m->opening_arr > 0;
    for (int r = 0; r < pl->R; r++) {
        pl->ros0[r] = pl->nros;
        pl->nros += m->roles[r].nroster;
    }
    for (int a = 0; a < H; a++)
        pl->renew[a] = pl->has_renew ? pow(R, a / N) : (a < N);
    for (int t = 0; t < H && pl->has_open; t++) {
        double f = 0;
        for (int j = 1; j <= N; j++)
            f += t < j ? 1 : pow(R, (t - j) / N + 1);
        pl->open_rev[t] = m->opening_arr / 12 * (f / N);
    }
}

/* Which series can be non-zero at all, and the cells of the monthly ones. */
static void plan_presence(plan_t *pl)
{
    const sp_model *m = pl->m;
    const int H = pl->H, R = pl->R;
    for (int k = 0; k < SP_M_NMONTHLY; k++) {
        int any = 0;
        for (int r = 0; r < R; r++) {
            int p = !sp_metric_total_only(k) &&
                    (k == SP_M_SUPPORT_FACTOR ? is_served(m, r)
                     : k == SP_M_PLAN_MET     ? m->roles[r].has_plan
                                              : role_present(&m->roles[r], k));
            pl->present[k * (R + 1) + r + 1] = (unsigned char)p;
            any |= p;
        }
        pl->present[k * (R + 1)] = (unsigned char)(any || sp_metric_total_only(k));
    }
    /* A support factor belongs to the role served; the team has none. */
    pl->present[SP_M_SUPPORT_FACTOR * (R + 1)] = 0;
    pl->present[SP_M_PLAN_MET * (R + 1)] = 0;
    /* Reported only when there is an opening book (MODEL.md 10.10). */
    pl->present[SP_M_OPENING_REVENUE * (R + 1)] = (unsigned char)pl->has_open;
    for (int s = 0; s < SP_M_NMONTHLY * (R + 1); s++)
        pl->ppresent[s] = pl->present[s];
    for (int r = -1; r < R; r++) {
        int q = pl->present[SP_M_BOOKINGS * (R + 1) + r + 1];
        pl->ppresent[SP_M_COS * (R + 1) + r + 1] = (unsigned char)q;
        pl->ppresent[SP_M_ATTAINMENT * (R + 1) + r + 1] = (unsigned char)q;
    }
    /* Coverage is of the whole team against the year's target. */
    int cov = pl->present[SP_M_QUOTA * (R + 1)] && m->ntarget > 0;
    pl->ppresent[SP_M_COVERAGE * (R + 1)] = (unsigned char)cov;
    pl->ppresent[SP_M_CAPACITY_COVERAGE * (R + 1)] = (unsigned char)cov;
    pl->ncell = 0;
    for (int s = 0; s < pl->S; s++) {
        pl->cell0[s] = pl->present[s] ? pl->ncell : -1;
        if (pl->present[s])
            pl->ncell += H;
    }
}

/* The roles step 2 staffs (a headcount plan, a manager's span, a
 * support role's ratio), in the order they were declared (MODEL.md 2.1):
 * a role sized on another counts the members active at that point. */
static int by_ratio(const sp_model_role *ro)
{
    return ro->kind == SP_KIND_MANAGER ||
           (ro->kind == SP_KIND_SUPPORT && ro->ratio);
}

static void plan_managers(plan_t *pl)
{
    const sp_model *m = pl->m;
    for (int r = 0; r < pl->R; r++)
        if (by_ratio(&m->roles[r]) || m->roles[r].has_plan)
            pl->mgr[pl->nmgr++] = r;
}

/* Planned requisitions per month, and the capacity of each role's array.
 * Live employees (active + pending) never exceed initial staff + planned
 * hires, plus for managers the requisitions the span rule can open: a
 * leaver's backfill replaces it, never adds.  Within a month the leavers
 * stay in the array until the month ends, so twice that bound always
 * suffices and the trial loop never grows arrays.  Needs the managers in
 * plan_managers' order. */
static sp_status plan_capacity(plan_t *pl, sp_error *err)
{
    const sp_model *m = pl->m;
    const int H = pl->H, R = pl->R;
    long bound[SP_MAX_ROLES];
    for (int r = 0; r < R; r++) {
        const sp_model_role *ro = &m->roles[r];
        long b = ro->headcount > 0 ? ro->headcount : 0;
        for (int k = 0; k < ro->nhires; k++) {
            int t = ro->hire_t[k], n = ro->hire_n[k];
            if (t < 0 || t >= H || n <= 0)
                continue;
            pl->plan[r * H + t] += n;
            b += n;
        }
        /* a plan opens only up to its level; backfills replace */
        int top = 0;
        for (int t = 0; ro->has_plan && t < H; t++)
            if (ro->plan_need[t] > top)
                top = ro->plan_need[t];
        bound[r] = b + top;
    }
    /* Ratio roles on ratio roles: validation refuses circles, so R
     * passes reach every chain's end whatever the declared order. */
    long base[SP_MAX_ROLES];
    memcpy(base, bound, sizeof base);
    for (int pass = 0; pass < R; pass++)
        for (int r = 0; r < R; r++) {
            const sp_model_role *ro = &m->roles[r];
            int g = ro->kind == SP_KIND_MANAGER ? ro->manages : ro->supports;
            int span = ro->span > 0 ? ro->span : 1;
            if (by_ratio(ro) && g >= 0 && g < R && g != r)
                bound[r] = base[r] + (bound[g] + span - 1) / span;
        }
    for (int r = 0; r < R; r++) {
        long c = 2 * bound[r] + 2;
        if (c > 100000000L)
            return sp_error_set(err, SP_ERR_RUN, NULL, 0,
                                "role %s: too many employees to simulate",
                                m->roles[r].id);
        pl->cap[r] = (int)c;
        if (pl->cap[r] > pl->maxcap)
            pl->maxcap = pl->cap[r];
    }
    return SP_OK;
}

/* Per-role constants of the trial loop: stream keys, the lognormal
 * parameters of bookings noise and deal sizes (mean exactly as given), OTE
 * and the attrition hazards. */
static void plan_roles(plan_t *pl)
{
    const sp_model *m = pl->m;
    for (int r = 0; r < pl->R; r++) {
        const sp_model_role *ro = &m->roles[r];
        pl->rkey[r] = role_hash(ro->id);
        double v = ro->volatility > 0 ? ro->volatility : 0;
        pl->eps_sig[r] = sqrt(log1p(v * v));
        pl->eps_mu[r] = -pl->eps_sig[r] * pl->eps_sig[r] / 2;
        double c = ro->deal_cv > 0 ? ro->deal_cv : 0;
        pl->deal_sig[r] = sqrt(log1p(c * c));
        pl->deal_mu[r] = (ro->deal_size > 0 ? log(ro->deal_size) : 0) -
                         pl->deal_sig[r] * pl->deal_sig[r] / 2;
        /* On-target earnings are all of target pay; with a flat `rate`
         * the annual TI is the rate on a full quota of that year. */
        for (int y = 0; y < SP_MAX_FY; y++) {
            double ti = ro->comp.has_rate ? ro->comp.rate * sp_role_quota(ro, y)
                                          : ro->comp.ti;
            pl->ote[r][y] = ro->base + ti + ro->comp.bonus;
        }
        pl->has_target[r] = (ro->comp.has_rate ? ro->comp.rate != 0
                                               : ro->comp.ti != 0) ||
                            ro->comp.bonus != 0;
        for (int k = 0; k < ro->nattr && k < SP_MAX_ATTR; k++)
            if (ro->hazard[k] > 0)
                pl->has_attr[r] = 1;
        if (ro->serves >= 0 && ro->serves < pl->R && ro->support_share > 0)
            pl->nsupp++;
        for (int k = 0; k < SP_MAX_ATTR; k++)
            pl->log_stay[r][k] = ro->hazard[k] > 0 && ro->hazard[k] < 1
                                     ? log1p(-ro->hazard[k]) : 0;
    }
}

/* Fills *pl for m, which must outlive it.  On failure *pl holds nothing
 * to free. */
static sp_status plan_build(plan_t *pl, const sp_model *m, sp_error *err)
{
    memset(pl, 0, sizeof *pl);
    pl->m = m;
    int H = pl->H = m->horizon, R = pl->R = m->nroles;
    if (H < 1 || H > SP_MAX_HORIZON || R < 1 || R > SP_MAX_ROLES)
        return sp_error_set(err, SP_ERR_RUN, NULL, 0,
                            "cannot simulate: horizon %d months and %d roles "
                            "(expected 1..%d months, 1..%d roles)",
                            H, R, SP_MAX_HORIZON, SP_MAX_ROLES);
    int fy_start = m->fy_start >= 1 && m->fy_start <= 12 ? m->fy_start : 1;
    pl->S = SP_M_NMONTHLY * (R + 1);
    pl->PS = SP_M_NPERIOD * (R + 1);
    int fy0 = fiscal_year(m->start, fy_start);
    pl->nfy = fiscal_year(m->start + H - 1, fy_start) - fy0 + 1;
    /* fiscal quarters the horizon touches, after the years and the total */
    pl->q0 = fiscal_month(m->start, fy_start) / 3;
    pl->nq = (pl->nfy - 1) * 4 + fiscal_month(m->start + H - 1, fy_start) / 3 -
             pl->q0 + 1;
    pl->nper = pl->nfy + 1;
    pl->per = calloc((size_t)(pl->nper + pl->nq), sizeof *pl->per);
    pl->plan = calloc((size_t)R * H, sizeof *pl->plan);
    pl->present = calloc((size_t)pl->S, 1);
    pl->ppresent = calloc((size_t)pl->PS, 1);
    pl->cell0 = malloc((size_t)pl->S * sizeof *pl->cell0);
    pl->store = calloc((size_t)pl->S, 1);
    pl->slot0 = malloc((size_t)pl->S * sizeof *pl->slot0);
    if (!pl->per || !pl->plan || !pl->present || !pl->ppresent ||
        !pl->cell0 || !pl->store || !pl->slot0) {
        plan_free(pl);
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    }
    plan_calendar(pl, fy_start, fy0);
    plan_book(pl);
    plan_presence(pl);
    plan_managers(pl);
    sp_status st = plan_capacity(pl, err);
    if (st != SP_OK) {
        plan_free(pl);
        return st;
    }
    plan_roles(pl);
    stats_plan_store(pl);
    return SP_OK;
}

/* ---- per-thread workspace -------------------------------------------- */

static void work_free(work_t *w, int R)
{
    if (w->rng)
        sp_rng_free(w->rng);
    for (int r = 0; r < R; r++)
        free(w->tm[r].e);
    free(w->mon);
    free(w->pay);
    free(w->att);
    free(w->bk);
    free(w->extra);
    free(w->ids);
    free(w->months);
    free(w->elig);
    free(w->win);
    free(w->who);
    free(w->hist);
    free(w->wraps);
    free(w->cnt);
    free(w->ros_acc);
    memset(w, 0, sizeof *w);
}

static int work_init(work_t *w, const plan_t *pl, int with_reps)
{
    memset(w, 0, sizeof *w);
    size_t mc = (size_t)pl->maxcap;
    w->rng = sp_rng_alloc();
    w->mon = line_alloc((size_t)pl->S * pl->H * sizeof *w->mon);
    w->pay = line_alloc(mc * sizeof *w->pay);
    w->att = line_alloc(mc * sizeof *w->att);
    w->bk = line_alloc(mc * sizeof *w->bk);
    w->extra = line_alloc(mc * sizeof *w->extra);
    w->ids = line_alloc(mc * sizeof *w->ids);
    w->months = line_alloc(mc * sizeof *w->months);
    w->elig = line_alloc(mc * sizeof *w->elig);
    w->win = line_alloc(mc * sizeof *w->win);
    w->who = line_alloc(mc * sizeof *w->who);
    w->ros_acc = pl->nros ? line_calloc((size_t)pl->nros * 3 *
                                        sizeof *w->ros_acc) : NULL;
    int ok = w->rng && w->mon && w->pay && w->att && w->bk && w->extra &&
             w->ids && w->months && w->elig && w->win && w->who &&
             (w->ros_acc || !pl->nros);
    for (int r = 0; r < pl->R && ok; r++) {
        w->tm[r].cap = pl->cap[r];
        w->tm[r].e = line_alloc((size_t)pl->cap[r] * sizeof(emp));
        ok = w->tm[r].e != NULL;
    }
    if (ok && with_reps) {
        size_t groups = (size_t)pl->nfy * pl->R;
        w->hist = line_calloc(groups * REP_K * (size_t)pl->nbins *
                              sizeof *w->hist);
        /* written once in 256 records: neighbours do not matter */
        w->wraps = calloc(groups * REP_K * (size_t)pl->nbins, sizeof *w->wraps);
        w->cnt = line_calloc(groups * 4 * sizeof *w->cnt);
        ok = w->hist && w->wraps && w->cnt;
    }
    if (!ok) {
        work_free(w, pl->R);
        return -1;
    }
    return 0;
}

/* ---- one trial ---------------------------------------------------------- */

void sp_market_path(double sigma, double rho, int horizon, gsl_rng *r,
                    double *M)
{
    if (!(sigma > 0)) {
        for (int t = 0; t < horizon; t++)
            M[t] = 1;
        return;
    }
    double s2 = sigma * sigma / 2, inno = sqrt(1 - rho * rho) * sigma;
    double x = sigma * gsl_ran_gaussian_ziggurat(r, 1);
    M[0] = exp(x - s2);
    for (int t = 1; t < horizon; t++) {
        x = rho * x + inno * gsl_ran_gaussian_ziggurat(r, 1);
        M[t] = exp(x - s2);
    }
}

/* A trial starts from nothing but the plan: every series 0, empty teams,
 * and the market path drawn from the trial's own stream. */
static void trial_reset(const trial_ctx *c, work_t *w)
{
    const plan_t *pl = c->pl;
    const sp_model *m = pl->m;
    memset(w->mon, 0, (size_t)pl->S * pl->H * sizeof *w->mon);
    if (w->ros_acc)
        memset(w->ros_acc, 0, (size_t)pl->nros * 3 * sizeof *w->ros_acc);
    w->failed = 0;
    w->ntrace = 0;
    for (int r = 0; r < pl->R; r++) {
        team_reset(c, w, r);
        w->pool_acc[r] = 0;
        w->sfac[r] = 1;
    }
    if (m->market_sigma > 0)
        sp_rng_key(w->rng, c->seed, c->trial, 0, 0, SP_RNG_MARKET);
    sp_market_path(m->market_sigma, m->market_rho, pl->H, w->rng, w->market);
}

/* Month t of MODEL.md section 6, each step for every role before the next
 * step: what one role does in a step may depend on what another did in an
 * earlier one (managers on their teams, pools on bookings).  Returns 0, or
 * -1 when an internal bound was broken. */
static int trial_month(const trial_ctx *c, work_t *w, int t)
{
    const plan_t *pl = c->pl;
    const sp_model *m = pl->m;
    const int R = pl->R;
    for (int r = 0; r < R; r++)
        if (team_open_planned(c, w, r, t) != 0)
            return -1;
    /* 1. Starts. */
    for (int r = 0; r < R; r++)
        team_start(c, w, r, t);
    /* 2. Plan and ratio requisitions, then the coverage they leave. */
    for (int i = 0; i < pl->nmgr; i++) {
        int r = pl->mgr[i];
        if (m->roles[r].has_plan ? team_plan_reqs(c, w, r, t)
                                 : team_manager_reqs(c, w, r, t))
            return -1;
    }
    if (pl->nsupp)
        team_support_factors(c, w, t);
    /* 3. Work. */
    for (int r = 0; r < R; r++)
        team_work(c, w, r, t);
    for (int r = 0; r < R; r++) {
        const sp_model_role *ro = &m->roles[r];
        if (ro->pool_rate != 0 && ro->pool_of >= 0 && ro->pool_of < R)
            w->pool_acc[r] += w->mon[SER(pl, SP_M_BOOKINGS, ro->pool_of) + t];
    }
    /* 4. Settlement. */
    for (int r = 0; r < R; r++)
        if (pl->pend[r][t])
            team_settle(c, w, r, t);
    /* 5 and 6. Attrition, with backfills opened as people leave. */
    for (int r = 0; r < R; r++)
        team_attrition(c, w, r, t);
    if (w->failed)
        return -w->failed;
    for (int r = 0; r < R; r++)
        team_end_month(c, w, r, t);
    return 0;
}

/* Role r's revenue: each month's bookings are recognised 1/N a month from
 * the month booked; what would fall after the horizon is lost. */
static void trial_revenue(const plan_t *pl, work_t *w, int r)
{
    const int H = pl->H, N = pl->m->ratable_n;
    const double *bk = &w->mon[SER(pl, SP_M_BOOKINGS, r)];
    double *rev = &w->mon[SER(pl, SP_M_REVENUE, r)];
    if (pl->has_renew) {
        /* Term by term: b / N a month, R^k of it in its k-th renewal. */
        for (int t = 0; t < H; t++) {
            double s = 0;
            for (int k = 0; k <= t; k++)
                s += bk[k] / N * pl->renew[t - k];
            rev[t] = s;
        }
        return;
    }
    if (N <= 1) {
        memcpy(rev, bk, (size_t)H * sizeof *rev);
        return;
    }
    for (int t = 0; t < H; t++) {
        double s = 0;
        for (int k = t - N + 1 < 0 ? 0 : t - N + 1; k <= t; k++)
            s += bk[k] / N;
        rev[t] = s;
    }
}

/* The series computed from others once the months are run: per role
 * revenue, variable pay, burden and cost; then every total as the sum of
 * its role series in role order; then contribution.  The statistics pass
 * recomputes the series it does not store with the same operations in
 * the same order (role_values and series_values in simstats.c), so a
 * change here is a change there. */
static void trial_derived(const plan_t *pl, work_t *w)
{
    const sp_model *m = pl->m;
    const int H = pl->H, R = pl->R;
    for (int r = 0; r < R; r++) {
        const sp_model_role *ro = &m->roles[r];
        trial_revenue(pl, w, r);
        for (int t = 0; t < H; t++) {
            double var = 0;
            for (int k = SP_M_COMMISSION; k <= SP_M_DRAW_TOPUP; k++)
                var += w->mon[SER(pl, k, r) + t];
            double base = w->mon[SER(pl, SP_M_BASE, r) + t];
            w->mon[SER(pl, SP_M_VARIABLE, r) + t] = var;
            w->mon[SER(pl, SP_M_BURDEN, r) + t] =
                employer_burden(ro->burden, base, var);
            w->mon[SER(pl, SP_M_COST, r) + t] =
                employer_cost(ro->burden, base, var,
                              w->mon[SER(pl, SP_M_HIRING_COST, r) + t],
                              w->mon[SER(pl, SP_M_OTHER_COST, r) + t]);
        }
    }
    for (int k = 0; k <= SP_M_COST; k++) {
        double *tot = &w->mon[SER(pl, k, -1)];
        for (int r = 0; r < R; r++) {
            const double *v = &w->mon[SER(pl, k, r)];
            for (int t = 0; t < H; t++)
                tot[t] += v[t];
        }
    }
    /* The opening book belongs to no role: it is added to the total
     * after the roles (simstats.c series_values does the same). */
    if (pl->has_open)
        for (int t = 0; t < H; t++) {
            w->mon[SER(pl, SP_M_OPENING_REVENUE, -1) + t] = pl->open_rev[t];
            w->mon[SER(pl, SP_M_REVENUE, -1) + t] += pl->open_rev[t];
        }
    double cum = 0;
    for (int t = 0; t < H; t++) {
        double ct = w->mon[SER(pl, SP_M_REVENUE, -1) + t] * m->gross_margin -
                    w->mon[SER(pl, SP_M_COST, -1) + t];
        cum += ct;
        w->mon[SER(pl, SP_M_CONTRIBUTION, -1) + t] = ct;
        w->mon[SER(pl, SP_M_CUM_CONTRIBUTION, -1) + t] = cum;
    }
}

/* Runs one trial into w->mon (all series, including totals).  Returns 0,
 * or -SP_TRIAL_* when it ended early.  stop (may be NULL) is looked at
 * before every month, so that Ctrl-C is seen within a month's work even
 * in a trial of a large team over a long horizon; looking changes no
 * figure. */
static int run_trial(const plan_t *pl, work_t *w, uint64_t seed,
                     uint64_t trial, const volatile sig_atomic_t *stop)
{
    trial_ctx c = {pl, seed, trial};
    trial_reset(&c, w);
    for (int r = 0; r < pl->R; r++)
        if (team_add_initial(&c, w, r) != 0)
            return -SP_TRIAL_BOUND;
    for (int t = 0; t < pl->H; t++) {
        if (stop && *stop)
            return -SP_TRIAL_STOP;
        int rc = trial_month(&c, w, t);
        if (rc != 0)
            return rc;
    }
    trial_derived(pl, w);
    return 0;
}

/* ---- the run ------------------------------------------------------------ */

typedef struct {
    run_t *run;
    work_t *w;
} worker_arg;

static void *trial_worker(void *arg)
{
    run_t *run = ((worker_arg *)arg)->run;
    work_t *w = ((worker_arg *)arg)->w;
    for (;;) {
        int b = atomic_fetch_add(&run->next, 1);
        if (b >= run->nblk)
            break;
        long t0 = (long)b * run->bsz, t1 = t0 + run->bsz;
        if (t1 > run->trials)
            t1 = run->trials;
        stats_block_begin(run, w, b);
        for (long k = t0; k < t1; k++) {
            if (atomic_load(&run->abort) || (run->stop && *run->stop)) {
                atomic_store(&run->abort, 1);
                break;
            }
            int rc = run_trial(run->pl, w, run->seed, (uint64_t)k, run->stop);
            if (rc != 0) {
                if (rc != -SP_TRIAL_STOP)
                    atomic_store(&run->failed, -rc);
                atomic_store(&run->abort, 1);
                break;
            }
            stats_commit_trial(run, w, k, b, k - t0);
            atomic_fetch_add(&run->done, 1);
        }
        if (atomic_load(&run->abort))
            break;
    }
    pthread_mutex_lock(&run->mu);
    run->running--;
    pthread_cond_signal(&run->cv);
    pthread_mutex_unlock(&run->mu);
    return NULL;
}

/* ---- statistics phase ---------------------------------------------------- */

typedef struct {
    run_t *run;
    int id;
} stat_arg;

static void *stat_worker(void *arg)
{
    stat_arg *a = arg;
    run_t *run = a->run;
    double *x = run->scratch[a->id];
    for (;;) {
        int j = atomic_fetch_add(&run->next, 1);
        if (j >= run->njobs)
            break;
        stats_job(run, j, x);
    }
    return NULL;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 256 ? 256 : n) : 1;
}

/* Waits for the workers, calling progress about ten times a second from
 * this (the calling) thread and passing a stop request on. */
static void wait_workers(run_t *run, const sp_run_opts *o)
{
    pthread_mutex_lock(&run->mu);
    while (run->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&run->cv, &run->mu, &ts);
        if (run->running > 0) {
            pthread_mutex_unlock(&run->mu);
            if (o->stop && *o->stop)
                atomic_store(&run->abort, 1);
            if (o->progress)
                o->progress(o->progress_ctx, atomic_load(&run->done),
                            run->trials);
            pthread_mutex_lock(&run->mu);
        }
    }
    pthread_mutex_unlock(&run->mu);
}

sp_status sp_simulate(const sp_model *m, const sp_run_opts *o,
                      sp_results *out, sp_error *err)
{
    return sp_simulate_budget(m, o, 0, out, err);
}

/* The run's fields before anything is allocated.  Blocks depend on the
 * trial count only, never on the thread count. */
static void run_init(run_t *run, const plan_t *pl, const sp_run_opts *o)
{
    long T = o->trials;
    memset(run, 0, sizeof *run);
    run->pl = pl;
    run->seed = o->seed;
    run->trials = T;
    run->bsz = (T + 255) / 256;
    run->bsz = (run->bsz + 15) / 16 * 16;
    run->nblk = (int)((T + run->bsz - 1) / run->bsz);
    run->stop = o->stop;
    int nth = o->threads > 0 ? o->threads : online_cpus();
    if (nth > 256)
        nth = 256;
    if (nth > run->nblk)
        nth = run->nblk;
    run->nth = nth;
    pthread_mutex_init(&run->mu, NULL);
    pthread_cond_init(&run->cv, NULL);
}

/* The store and a workspace per thread.  0, or -1 when memory ran out
 * (run_free releases what was allocated). */
static int run_alloc(run_t *run, size_t store_budget)
{
    int ok = stats_store_alloc(run, store_budget) == 0;
    run->w = line_calloc((size_t)run->nth * sizeof *run->w);
    run->scratch = calloc((size_t)run->nth, sizeof *run->scratch);
    ok = ok && run->w && run->scratch;
    for (int i = 0; ok && i < run->nth; i++)
        ok = work_init(&run->w[i], run->pl, 1) == 0;
    return ok ? 0 : -1;
}

static void run_free(run_t *run)
{
    for (int i = 0; run->w && i < run->nth; i++)
        work_free(&run->w[i], run->pl->R);
    for (int i = 0; run->scratch && i < run->nth; i++)
        free(run->scratch[i]);
    free(run->scratch);
    free(run->w);
    stats_store_free(run);
    pthread_mutex_destroy(&run->mu);
    pthread_cond_destroy(&run->cv);
}

/* Phase 2.  A thread that cannot be started leaves its blocks to the
 * others; with none started the calling thread runs them all. */
static void run_trials(run_t *run, const sp_run_opts *o)
{
    worker_arg args[256];
    pthread_t th[256];
    int started = 0;
    atomic_store(&run->next, 0);
    run->running = run->nth;
    for (int i = 0; i < run->nth; i++) {
        args[i].run = run;
        args[i].w = &run->w[i];
        if (pthread_create(&th[started], NULL, trial_worker, &args[i]) == 0)
            started++;
        else
            run->running--;
    }
    if (started == 0)
        trial_worker(&args[0]);
    else
        wait_workers(run, o);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* What the results hold besides statistics, and room for these.  0, or
 * -1 when memory ran out (sp_results_free releases what was allocated). */
static int results_init(const run_t *run, const sp_model *m, sp_results *out)
{
    const plan_t *pl = run->pl;
    size_t S = (size_t)pl->S, PS = (size_t)pl->PS;
    out->trials = (int)run->trials;
    out->seed = (unsigned long)run->seed;
    out->nroles = pl->R;
    out->nseries = pl->S;
    out->npseries = pl->PS;
    out->nperiods = pl->nper;
    out->nquarters = pl->nq;
    size_t np = (size_t)(pl->nper + pl->nq);
    out->present = malloc(S);
    out->ppresent = malloc(PS);
    out->monthly = calloc(S * pl->H, sizeof *out->monthly);
    out->periods = malloc(np * sizeof *out->periods);
    out->pstats = calloc(np * PS, sizeof *out->pstats);
    out->p_target = malloc(np * sizeof *out->p_target);
    out->p_budget = malloc((size_t)pl->nper * sizeof *out->p_budget);
    out->reps = calloc((size_t)pl->nper * pl->R, sizeof *out->reps);
    if (!out->present || !out->ppresent || !out->monthly || !out->periods ||
        !out->pstats || !out->p_target || !out->p_budget || !out->reps ||
        sp_model_copy(&out->model, m) != 0)
        return -1;
    memcpy(out->present, pl->present, S);
    memcpy(out->ppresent, pl->ppresent, PS);
    memcpy(out->periods, pl->per, np * sizeof *out->periods);
    return 0;
}

/* Phase 3, the cells: every thread, the calling one too, takes jobs until
 * none are left.  0, or -1 when memory for the scratch ran out. */
static int run_stats(run_t *run, sp_results *out)
{
    const plan_t *pl = run->pl;
    const int nth = run->nth;
    for (int i = 0; i < nth; i++) {
        run->scratch[i] = malloc(stats_scratch_len(run) * sizeof **run->scratch);
        if (!run->scratch[i])
            return -1;
    }
    run->res = out;
    run->njobs = (int)((size_t)pl->S + (size_t)(pl->nper + pl->nq) * pl->PS);
    atomic_store(&run->next, 0);
    stat_arg args[256];
    for (int i = 0; i < nth; i++) {
        args[i].run = run;
        args[i].id = i;
    }
    pthread_t th[256];
    int started = 0;
    for (int i = 1; i < nth; i++)
        if (pthread_create(&th[started], NULL, stat_worker, &args[i]) == 0)
            started++;
    stat_worker(&args[0]);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return 0;
}

/* A run that cannot fit in the machine's memory is refused before it
 * starts, with the estimate, rather than paging the machine to a halt or
 * failing an allocation minutes in. */
static sp_status check_memory(run_t *run, size_t budget, sp_error *err)
{
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psize <= 0)
        return SP_OK;
    double have = (double)pages * (double)psize;
    double need = stats_store_bytes(run, budget);
    if (need <= have)
        return SP_OK;
    double most = floor((double)run->trials * have / need * 0.8);
    return sp_error_set(err, SP_ERR_RANGE, NULL, 0,
                        "%ld trials of this plan need about %.1f GB of "
                        "memory, more than the %.1f GB this machine has: use "
                        "at most about %.0f trials", run->trials, need / 1e9,
                        have / 1e9, most);
}

sp_status sp_simulate_fits(const sp_model *m, long trials, sp_error *err)
{
    plan_t pl;
    sp_status st = plan_build(&pl, m, err);
    if (st)
        return st;
    sp_run_opts o = {0};
    o.trials = (int)trials;
    o.threads = 1;
    run_t run;
    run_init(&run, &pl, &o);
    st = check_memory(&run, 0, err);
    pthread_mutex_destroy(&run.mu);
    pthread_cond_destroy(&run.cv);
    plan_free(&pl);
    return st;
}

sp_status sp_simulate_budget(const sp_model *m, const sp_run_opts *o,
                             size_t store_budget, sp_results *out,
                             sp_error *err)
{
    memset(out, 0, sizeof *out);
    if (!o || o->trials < 1)
        return sp_error_set(err, SP_ERR_RUN, NULL, 0,
                            "cannot simulate: trials must be at least 1");
    plan_t pl;
    sp_status st = plan_build(&pl, m, err);
    if (st)
        return st;
    run_t run;
    run_init(&run, &pl, o);
    if ((st = check_memory(&run, store_budget, err)) != SP_OK) {
        pthread_mutex_destroy(&run.mu);
        pthread_cond_destroy(&run.cv);
        plan_free(&pl);
        return st;
    }
    if (run_alloc(&run, store_budget) != 0) {
        st = sp_error_set(err, SP_ERR_NOMEM, NULL, 0,
                          "out of memory for %ld trials (try fewer trials)",
                          run.trials);
        goto done;
    }
    run_trials(&run, o);
    if (atomic_load(&run.failed) == SP_TRIAL_DEALS) {
        st = sp_error_set(err, SP_ERR_RUN, NULL, 0,
                          "a trial drew more than %.0f deals for one employee "
                          "in one month (attainment, seasonality and market "
                          "volatility together): deals mode cannot simulate "
                          "this plan; use a larger deal size or productivity "
                          "attainment", SP_DEALS_DRAW_MAX);
        goto done;
    }
    if (atomic_load(&run.failed)) {
        st = sp_error_set(err, SP_ERR_RUN, NULL, 0,
                          "internal error: a team outgrew its bound");
        goto done;
    }
    if (atomic_load(&run.abort) || (o->stop && *o->stop)) {
        st = sp_error_set(err, SP_ERR_RUN, NULL, 0, "interrupted");
        goto done;
    }
    if (o->progress)
        o->progress(o->progress_ctx, run.trials, run.trials);
    if (results_init(&run, m, out) != 0 || run_stats(&run, out) != 0 ||
        stats_reps(&run, out) != SP_OK) {
        st = sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    stats_final(&run, out);
    out->ptrial = run.ptrial;
    out->qtrial = run.qtrial;
    out->payback = run.payback;
    out->cum = run.cum;
    run.cum = NULL;
    run.ptrial = NULL;
    run.qtrial = NULL;
    run.payback = NULL;
    st = SP_OK;
done:
    run_free(&run);
    plan_free(&pl);
    if (st != SP_OK)
        sp_results_free(out);
    return st;
}

long sp_simulate_trace(const sp_model *m, unsigned long seed, long trial,
                       sp_emp_trace *out, long cap)
{
    plan_t pl;
    if (plan_build(&pl, m, NULL) != SP_OK)
        return -1;
    work_t w;
    if (work_init(&w, &pl, 0) != 0) {
        plan_free(&pl);
        return -1;
    }
    w.tracing = 1;
    w.trace = out;
    w.tracecap = out ? cap : 0;
    long n = run_trial(&pl, &w, seed, (uint64_t)trial, NULL) == 0 ? w.ntrace : -1;
    work_free(&w, pl.R);
    plan_free(&pl);
    return n;
}

