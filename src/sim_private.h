/* Internals of the simulation engine, shared by its three files:
 *
 *   sim.c       the plan (what depends on the model only), the workspace,
 *               the trial loop, threads and the sp_simulate entry points
 *   team.c      the employees of one trial: requisitions, starts, work,
 *               settlement, attrition and backfill
 *   simstats.c  what is kept of each trial and the statistics across
 *               trials
 *
 * Not an interface: nothing else includes it, and the team_ and stats_
 * functions are not part of the library's API. */
#ifndef SALESPLAN_SIM_PRIVATE_H
#define SALESPLAN_SIM_PRIVATE_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/comp.h"
#include "salesplan/model.h"
#include "salesplan/results.h"
#include "salesplan/rng.h"
#include "salesplan/sim.h"

/* How a present monthly series is kept per trial: recomputed from other
 * series, as a real value (double or float, see simstats.c), or as an
 * exact 16-bit count. */
enum { ST_NONE = 0, ST_DERIVED, ST_REAL, ST_COUNT };

/* Block accumulators of moments (simstats.c). */
typedef struct acc acc;

/* ---- plan: what depends on the model only ---------------------------- */

typedef struct {
    const sp_model *m;
    int H, R, S, PS;          /* months, roles, monthly and period series */
    uint32_t rkey[SP_MAX_ROLES];  /* role component of stream keys */
    int mgr[SP_MAX_ROLES], nmgr;  /* roles step 2 staffs, declared order */
    int nsupp;                /* roles serving another with a share */
    int cap[SP_MAX_ROLES], maxcap;
    int *plan;                /* [r * H + t]: planned requisitions opened */
    int cal[SP_MAX_HORIZON];  /* calendar month 0..11 */
    int fyi[SP_MAX_HORIZON];  /* fiscal-year period index */
    unsigned char pend[SP_MAX_ROLES][SP_MAX_HORIZON]; /* period ends */
    /* per: the nfy fiscal years and the horizon total (nper periods),
     * then the nq fiscal quarters (q0: the fiscal quarter, 0..3, the
     * horizon starts in) */
    int nfy, nper, nq, q0;
    sp_period *per;
    unsigned char *present, *ppresent;
    int *cell0;               /* [S]: first cell of a present series, -1 */
    int ncell;
    unsigned char *store;     /* [S]: how a present series is kept (ST_*) */
    int *slot0;               /* [S]: its first cell in fl or cnt, -1 */
    int nfc, nuc;             /* real and count cells a trial stores */
    double eps_mu[SP_MAX_ROLES], eps_sig[SP_MAX_ROLES];
    double deal_mu[SP_MAX_ROLES], deal_sig[SP_MAX_ROLES];
    /* Annual on-target earnings, base + TI + bonus, by fiscal year (TI =
     * rate x Q_y with a rate); has_target: TI or bonus is not 0. */
    double ote[SP_MAX_ROLES][SP_MAX_FY];
    int has_target[SP_MAX_ROLES];
    /* The first month of role r's commission period containing t (cut at
     * 0), and whether t ends a whole period inside the horizon (the
     * records of annual earnings). */
    int pstart[SP_MAX_ROLES][SP_MAX_HORIZON];
    unsigned char whole_end[SP_MAX_ROLES][SP_MAX_HORIZON];
    int plen[SP_MAX_ROLES];
    int has_attr[SP_MAX_ROLES];
    double log_stay[SP_MAX_ROLES][SP_MAX_ATTR];  /* log1p(-hazard) */
    int nbins;
    /* The revenue book (MODEL.md 3): renew[a] = R^floor(a / N), the share
     * of a month's bookings still in force a months on, when renewal > 0
     * (else NULL-like: has_renew 0 and revenue is the plain ratable sum);
     * open_rev[t] = opening_arr / 12 x f(t). */
    int has_renew, has_open;
    /* Rostered people, numbered role by role in row order: role r's
     * first is ros0[r]; nros in all (their outcomes, per trial). */
    int ros0[SP_MAX_ROLES], nros;
    double renew[SP_MAX_HORIZON];
    double open_rev[SP_MAX_HORIZON];
} plan_t;

#define SER(pl, metric, role) (((metric) * ((pl)->R + 1) + (role) + 1) * (pl)->H)

/* ---- per-thread workspace -------------------------------------------- */

#define LINE 64

/* Memory that one thread writes all through a run gets whole cache lines:
 * small allocations made one after the other are neighbours, and two
 * threads writing the same line would pass it back and forth between
 * cores at every store.  free() releases it. */
static inline void *line_alloc(size_t n)
{
    size_t sz = (n + LINE - 1) / LINE * LINE;
    return aligned_alloc(LINE, sz ? sz : LINE);
}

static inline void *line_calloc(size_t n)
{
    void *p = line_alloc(n);
    if (p)
        memset(p, 0, n);
    return p;
}

/* Rep outcomes kept per record: attainment, earnings, and annualised
 * earnings of a whole period (k = 0, 1, 2). */
#define REP_K 3

/* Life of an employee or requisition. */
enum { PENDING = 0, ACTIVE, GONE };

typedef struct {
    uint64_t key;          /* stream ordinal */
    uint64_t sbook, satt;  /* BOOKINGS and ATTRITION stream keys */
    uint64_t bpos;         /* next draw of the bookings stream */
    int leave_t;           /* month it leaves at the end of, or INT_MAX */
    int redraw_t;          /* first month of its next hazard segment */
    long id;
    int start, t0;         /* tenure month at t is t - t0 + 1 */
    int state, gen, trace, initial;
    double skill, debt;
    double cap;            /* annual capacity C (quota roles) */
    double pb, pq;         /* open period: commissionable bookings, quota */
    const sp_roster_emp *ros;  /* the roster row of a rostered person */
    int rix;               /* its number among the rostered, else -1 */
    int pm, pc, pd, pg;    /* months active, commission, draw, guarantee */
} emp;

typedef struct {
    emp *e;
    int n, cap;
    long next_id, mgr_seq;
    int nactive, nopen, gone;
    int next_start;        /* no requisition starts before this month */
} team;

typedef struct {
    _Alignas(LINE) gsl_rng *rng;   /* an array of work_t shares no line */
    /* This trial's sp_rng_stream_base per role and purpose: an employee's
     * stream is then one step away. */
    uint64_t sbase[SP_MAX_ROLES][SP_RNG_FILL + 1];
    team tm[SP_MAX_ROLES];
    double *mon;           /* [S * H] this trial's monthly figures */
    double market[SP_MAX_HORIZON];
    double pool_acc[SP_MAX_ROLES];
    double sfac[SP_MAX_ROLES];     /* this month's support factor S_t */
    /* settlement scratch, maxcap each */
    sp_period_pay *pay;
    double *att, *bk, *extra;
    long *ids;
    int *months, *elig, *win, *who;
    /* rep outcomes */
    /* [((fy * R + r) * 2 + k) * nbins]: a bin's count is
     * hist[] + 256 * wraps[]; byte counters keep the bins a trial touches
     * four times denser in cache than full-width ones would. */
    uint8_t *hist;
    uint32_t *wraps;
    long *cnt;             /* [(fy * R + r) * 4]: records defined quota ote */
    acc *rblk;             /* this block's [(fy * R + r) * REP_K + k], or NULL */
    /* trace hook */
    int tracing;
    sp_emp_trace *trace;
    long ntrace, tracecap;
    int failed;            /* SP_TRIAL_*: why the trial cannot go on */
    /* [rix * 3 + k]: a rostered person's own bookings, quota and
     * earnings over its settled periods this trial */
    double *ros_acc;
} work_t;

/* What ends a trial early (run_trial's result, negated; work_t.failed). */
enum {
    SP_TRIAL_BOUND = 1,    /* a team outgrew its array: a bug */
    SP_TRIAL_STOP = 2,     /* Ctrl-C, seen at a month's start */
    SP_TRIAL_DEALS = 3     /* one draw of deals above SP_DEALS_DRAW_MAX */
};

/* ---- one trial ---------------------------------------------------------- */

typedef struct {
    const plan_t *pl;
    uint64_t seed, trial;
} trial_ctx;

/* ---- the run ------------------------------------------------------------ */

typedef struct {
    const plan_t *pl;
    uint64_t seed;
    long trials;
    long bsz;
    int nblk;
    /* Real values, in dbl when the store fits the budget, else in fl
     * (the other is NULL):
     * [(blk * nfc + cell) * bsz + trial in block]: a block's trials write
     * neighbouring values, so the stores of consecutive trials share cache
     * lines instead of each touching one line per cell.  cnt likewise with
     * nuc. */
    double *dbl;
    float *fl;
    uint16_t *cnt;      /* [blk * ustride + cell * bsz + trial in block] */
    /* Block accumulators of every present cell, one array per field so
     * that a series' months are neighbours:
     * [(blk * 5 + field) * mstride + cell], fields shift s1 s2 min max
     * (see acc in simstats.c; the count is the block's number of
     * trials). */
    double *mblk;
    acc *rblk;          /* [blk * rstride + (fy * R + r) * REP_K + k] */
    /* Per-block strides rounded up to whole cache lines (the blocks two
     * threads work on are neighbours). */
    size_t ustride, mstride, rstride;
    double *ptrial;     /* results' [(p * PS + s) * trials + trial] */
    double *qtrial;     /* results' [(q * SP_NTRIAL_METRICS + j) * trials +
                           trial] */
    int *payback;
    double *cum;        /* [trial * H + t]: cumulative contribution */
    double *ros;        /* [(trial * nros + rix) * 2 + k]: attainment, earnings */
    work_t *w;
    int nth;
    /* coordination */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int running;
    atomic_int next;
    atomic_long done;
    atomic_int abort;
    atomic_int failed;
    volatile sig_atomic_t *stop;
    /* statistics phase */
    sp_results *res;
    int njobs;
    double **scratch;
} run_t;

/* ---- the employer's cost of a role in a month (MODEL.md 5.5, 6) -------
 *
 * The trial computes burden and cost from its own figures, and the
 * statistics pass recomputes them from stored ones (simstats.c,
 * role_values).  Both go through these, so the two perform the same
 * floating-point operations in the same order and a recomputed figure is
 * the trial's own whenever its inputs are. */

/* Burden is charged on all pay, base and variable, not on hiring or
 * monthly costs. */
static inline double employer_burden(double rate, double base, double var)
{
    return rate * (base + var);
}

static inline double employer_cost(double burden_rate, double base,
                                   double var, double hiring, double other)
{
    return base + var + employer_burden(burden_rate, base, var) + hiring +
           other;
}

/* ---- team.c: the employees of a trial ----------------------------------
 *
 * Role r's part of each step of month t (MODEL.md section 6).  Those that
 * return int give 0, or -1 when an internal bound was broken. */

void team_reset(const trial_ctx *c, work_t *w, int r);
int team_add_initial(const trial_ctx *c, work_t *w, int r);
int team_open_planned(const trial_ctx *c, work_t *w, int r, int t);
void team_start(const trial_ctx *c, work_t *w, int r, int t);
int team_manager_reqs(const trial_ctx *c, work_t *w, int r, int t);
int team_plan_reqs(const trial_ctx *c, work_t *w, int r, int t);
void team_support_factors(const trial_ctx *c, work_t *w, int t);
void team_work(const trial_ctx *c, work_t *w, int r, int t);
void team_settle(const trial_ctx *c, work_t *w, int r, int t);
void team_attrition(const trial_ctx *c, work_t *w, int r, int t);
void team_end_month(const trial_ctx *c, work_t *w, int r, int t);

/* ---- simstats.c: what is kept of each trial, statistics across trials - */

/* Plan: how each series is stored, and the rep histograms' bins. */
void stats_plan_store(plan_t *pl);

/* Run: the store of per-trial values and block moments, sized from the
 * plan, the trial count and the blocks (run->pl, trials, bsz, nblk);
 * budget as for sp_simulate_budget.  0, or -1 when memory ran out;
 * stats_store_free releases it either way (ptrial and payback may have
 * been handed on and set to NULL). */
int stats_store_alloc(run_t *run, size_t budget);
/* What stats_store_alloc would take, in bytes, without taking it. */
double stats_store_bytes(run_t *run, size_t budget);
void stats_store_free(run_t *run);

/* Trials: one rep outcome of role r's period ending at month t
 * (attainment, NaN when undefined; earnings; months active in the
 * period; whole: a whole period inside the horizon, active in every
 * month of it, settled at its natural end); the block whose trials w
 * runs next; and the figures of trial `trial`, number kb of block blk,
 * once it is over. */
void stats_rep_record(const plan_t *pl, work_t *w, int t, int r, double att,
                      double earn, int months, int whole);
/* A rostered person's settled period: its own bookings b, quota q and
 * earnings, added to its outcome over the horizon. */
static inline void stats_roster_record(work_t *w, int rix, double b,
                                       double q, double earn)
{
    if (rix < 0 || !w->ros_acc)
        return;
    w->ros_acc[rix * 3] += b;
    w->ros_acc[rix * 3 + 1] += q;
    w->ros_acc[rix * 3 + 2] += earn;
}
void stats_block_begin(run_t *run, work_t *w, int blk);
void stats_commit_trial(run_t *run, work_t *w, long trial, int blk, long kb);

/* Statistics: job number `job` of run->njobs (a monthly series, or one
 * period series of one period) into run->res, with x of stats_scratch_len
 * doubles owned by the calling thread; then the rep groups and the final
 * figures. */
size_t stats_scratch_len(const run_t *run);
void stats_job(run_t *run, int job, double *x);
sp_status stats_reps(run_t *run, sp_results *res);
void stats_final(run_t *run, sp_results *res);

#endif
