/* Results of a run: statistics across trials of every metric of MODEL.md
 * section 6, per month and per period, plus what comparisons need.
 *
 * Ownership: a run owns its results; sp_results_free releases everything. */
#ifndef SALESPLAN_RESULTS_H
#define SALESPLAN_RESULTS_H

#include "salesplan/model.h"

/* Metrics.  Monthly metrics come first; COS, ATTAINMENT and the coverages
 * exist per period only (ratios computed per trial from the period's
 * sums). */
typedef enum {
    SP_M_HEADCOUNT = 0, SP_M_HIRES, SP_M_DEPARTURES, SP_M_OPEN_REQS,
    SP_M_RAMPED, SP_M_BOOKINGS, SP_M_REVENUE, SP_M_QUOTA, SP_M_CAPACITY,
    SP_M_BASE,
    SP_M_COMMISSION, SP_M_BONUS, SP_M_POOL, SP_M_AWARD, SP_M_GUARANTEE,
    SP_M_DRAW_TOPUP, SP_M_DRAW_WRITEOFF, SP_M_VARIABLE, SP_M_BURDEN,
    SP_M_HIRING_COST, SP_M_OTHER_COST, SP_M_COST,
    SP_M_CONTRIBUTION,      /* total only */
    SP_M_CUM_CONTRIBUTION,  /* total only; a stock */
    SP_M_SUPPORT_FACTOR,    /* per served role only; a period's mean */
    SP_M_PLAN_MET,          /* per planned role only: headcount >= plan */
    SP_M_OPENING_REVENUE,   /* total only: the opening book (opening_arr) */
    SP_M_NMONTHLY,
    SP_M_COS = SP_M_NMONTHLY, /* cost / bookings, per period */
    SP_M_ATTAINMENT,          /* bookings / quota, per period */
    SP_M_COVERAGE,            /* quota / target, fiscal years with a target */
    SP_M_CAPACITY_COVERAGE,   /* capacity / target, likewise */
    SP_M_NPERIOD
} sp_metric;

/* The metric of a sweep point, a tornado bar or a goal: SP_M_* or one of
 * these probabilities (P(bookings >= target), P(cost <= budget)). */
#define SP_METRIC_P_TARGET (-2)
#define SP_METRIC_P_BUDGET (-3)
/* A probability (p(target), p(budget)): one share per period, no
 * percentiles. */
static inline int sp_metric_is_prob(int m)
{
    return m == SP_METRIC_P_TARGET || m == SP_METRIC_P_BUDGET;
}

/* How a metric's figures read. */
typedef enum {
    SP_MK_MONEY = 0,   /* an amount in the scenario's currency */
    SP_MK_COUNT,       /* people or requisitions (may be fractional means) */
    SP_MK_RATIO        /* a fraction, printed as a percentage */
} sp_metric_kind;

/* One row of the metric table (results.c). */
typedef struct {
    const char *name;          /* "bookings": show, JSON keys, CSV */
    const char *label;         /* "Bookings": panels and workbook rows */
    sp_metric_kind kind;
    int stock;                 /* a period takes its last month (1) or
                                  the mean of its months (2) */
    int total_only;            /* no per-role series */
    const char *help;          /* one line: what the figure is */
    int optional;              /* reported only where a run has it, its
                                  total included (the opening book) */
} sp_metric_info;

/* The row of metric m (SP_M_* or SP_METRIC_P_*); NULL out of range. */
const sp_metric_info *sp_metric_info_of(int m);
/* "bookings", "cos", ... ; NULL when out of range (p_target included). */
const char *sp_metric_name(int m);
/* "Bookings", "Cost of sales", "P(target)"; NULL when out of range. */
const char *sp_metric_label(int m);
sp_metric_kind sp_metric_kind_of(int m);
/* The unit a metric's value is printed and typed in: percent for ratios,
 * none for counts, money otherwise. */
sp_unit sp_metric_unit(int m);
/* Metric index by name, -1 when unknown. */
int sp_metric_lookup(const char *name);
/* The closest metric name (edit distance <= 2), or NULL. */
const char *sp_metric_suggest(const char *name);
/* Stocks take the period's last month; flows are summed. */
int sp_metric_is_stock(int m);
/* Levels (support_factor) take the mean of the period's months. */
int sp_metric_is_mean(int m);
/* Whether the team total of m is always reported (a structurally absent
 * one holding zeros): not for the levels of one role (support_factor,
 * plan_met) nor for an optional metric. */
int sp_metric_total_always(int m);
/* Metrics that exist only in total (contribution, cum_contribution). */
int sp_metric_total_only(int m);

/* Percentiles reported, in this order. */
#define SP_NPCT 7
extern const double sp_pct_levels[SP_NPCT]; /* 5 10 25 50 75 90 95 */
enum { SP_P5, SP_P10, SP_P25, SP_P50, SP_P75, SP_P90, SP_P95 };

/* Statistics of one figure across trials.  n counts trials where the figure
 * is defined; with n = 0 every field is NaN (reported as null / blank). */
typedef struct {
    double mean, sd, se;
    double p[SP_NPCT];
    long n;
} sp_stat;

typedef struct {
    char label[24];    /* "FY2027", "FY2028 (partial)" is label + partial */
    int first, last;   /* absolute months */
    int t0, t1;        /* month indexes t0..t1 inclusive */
    int partial;       /* cut by the horizon */
    int is_total;      /* the whole horizon */
    int fiscal_year;   /* calendar year the fiscal year ends in; 0 for total */
    int quarter;       /* 1..4 for a fiscal quarter, 0 otherwise */
} sp_period;

/* A coarse histogram of one rep outcome, for tables and charts: bin i
 * holds the values in [edges[i], edges[i + 1]), and an open end of the
 * first or last bin is -INFINITY / INFINITY.  share[i] is the fraction of
 * the values in bin i; the shares add up to 1.  nbins == 0 (both arrays
 * NULL) when there are no values.  Owned by the results. */
typedef struct {
    int nbins;
    double *edges;             /* [nbins + 1], ascending */
    double *share;             /* [nbins] */
} sp_rep_hist;

/* Rep outcomes (MODEL.md section 6) of one role over one period (or the
 * whole horizon): every employee's settled-period records. */
typedef struct {
    long records;              /* settled-period records */
    long defined;              /* of which with a defined attainment */
    sp_stat attainment;        /* over records with defined attainment */
    sp_stat earnings;          /* over all records */
    /* earnings x 12 / months of the records of a whole period inside the
     * horizon, active in every month of it (n = 0 without such records) */
    sp_stat earnings_annual;
    double share_at_quota;     /* NaN when defined == 0 */
    double share_at_ote;       /* NaN when records == 0 or the role has no
                                  target (TI and bonus both 0) */
    /* Attainment in 10-point bins from 0% to 200%, then one open bin for
     * 200% and more (shares of the defined records).  Earnings in bins of
     * a round width (1, 2, 2.5 or 5 times a power of ten) giving 10 to 22
     * bins across the records' P1..P99, with an open bin at either end
     * only when records fall there (shares of all records). */
    sp_rep_hist attainment_hist;
    sp_rep_hist earnings_hist;
} sp_rep_stats;

/* A rostered person's outcome across trials (MODEL.md 2.3): own bookings
 * over own quota, and earnings, over the periods settled in the horizon
 * while employed; attainment NaN in a trial without quota. */
typedef struct {
    char id[SP_ID_MAX];
    int role;
    sp_stat attainment, earnings;
} sp_person_stats;

typedef struct sp_results {
    sp_model model;            /* deep copy of what was run */
    int trials;
    unsigned long seed;
    int nroles;                /* == model.nroles */
    /* Series s = metric * (nroles + 1) + (role + 1); role -1 is the total. */
    int nseries;               /* SP_M_NMONTHLY * (nroles + 1) */
    unsigned char *present;    /* [nseries]: 0 = structurally absent */
    sp_stat *monthly;          /* [s * horizon + t] */
    int nperiods;              /* fiscal years, then the horizon total last */
    /* Fiscal quarters follow the total in periods, pstats and p_target,
     * at nperiods .. nperiods + nquarters - 1, so that whatever loops over
     * the fiscal years and the total sees no quarter. */
    int nquarters;
    sp_period *periods;
    int npseries;              /* SP_M_NPERIOD * (nroles + 1) */
    unsigned char *ppresent;   /* [npseries] */
    sp_stat *pstats;           /* [period * npseries + s] */
    /* Per-trial period values for paired comparison, NaN where undefined:
     * [(period * npseries + s) * trials + trial]; NULL for absent series
     * is not used: absent series hold zeros. */
    double *ptrial;
    /* Per-trial quarter values of the team's sp_trial_metrics only (what
     * the trial-level exports and quarterly P(target) read):
     * [(quarter * SP_NTRIAL_METRICS + j) * trials + trial].  A quarter's
     * statistics (pstats) come from the per-trial monthly store during
     * the run, so no other quarterly value is kept per trial. */
    double *qtrial;
    double *p_target;          /* [nperiods + nquarters]: P(bookings >=
                                  target); NaN none */
    double *p_budget;          /* [nperiods]: P(cost <= budget); NaN none */
    int *payback;              /* [trials]: month index t, SP_PAYBACK_NEVER,
                                  SP_PAYBACK_NONE (MODEL.md 10.11) */
    int payback_p50;           /* over the trials that invested; -1 when
                                  the median is never or none invested */
    double payback_share_never;          /* of all trials */
    double payback_share_no_investment;  /* of all trials */
    /* [trial * horizon + t]: each trial's cumulative contribution, for the
     * incremental payback of a comparison; NULL when out of memory. */
    double *cum;
    int npeople;               /* rostered people, role by role, row order */
    sp_person_stats *people;
    sp_rep_stats *reps;        /* [period * nroles + role] */
    int interrupted;           /* the run was stopped (Ctrl-C) */
} sp_results;

/* A trial's payback (MODEL.md 6, 10.11): the month index from which the
 * cumulative contribution is >= 0 to the horizon, or one of these. */
#define SP_PAYBACK_NEVER (-1)  /* below 0 at the horizon */
#define SP_PAYBACK_NONE (-2)   /* never below 0: nothing to pay back */

static inline int sp_series(const sp_results *r, int metric, int role)
{
    return metric * (r->nroles + 1) + (role + 1);
}

/* Period helpers every writer uses: the index of the horizon total, the
 * number of fiscal years, and the index of the k-th fiscal year (-1 when
 * there is none). */
int sp_results_total_period(const sp_results *r);
int sp_results_fiscal_count(const sp_results *r);
int sp_results_fiscal_period(const sp_results *r, int k);
/* The fiscal quarters: how many the horizon touches, and the period index
 * of the k-th (-1 when there is none). */
int sp_results_quarter_count(const sp_results *r);
int sp_results_quarter_period(const sp_results *r, int k);
/* The fiscal year a period (a quarter or a year) belongs to, as a period
 * index; -1 for the total. */
int sp_results_year_of(const sp_results *r, int p);

/* The team figures written trial by trial (the workbook's Trials sheet,
 * the CSV companion), in this order. */
#define SP_NTRIAL_METRICS 8
extern const int sp_trial_metrics[SP_NTRIAL_METRICS];
/* Trial t's value of the team's metric over period p (a fiscal year, the
 * total, or a quarter for the metrics of sp_trial_metrics); NaN where
 * undefined or out of range. */
double sp_results_trial(const sp_results *r, int p, int metric, int trial);
/* The bookings target of period p (a fiscal year, or a quarter: its
 * share of its year's target); NaN when it has none (and for the horizon
 * total). */
double sp_results_target(const sp_results *r, int p);
/* The cost budget of period p (a fiscal year); NaN when it has none. */
double sp_results_budget(const sp_results *r, int p);
/* Revenue is recognised as booked (no ratable recognition): every
 * revenue figure equals the bookings one. */
int sp_results_revenue_is_bookings(const sp_results *r);

/* Whether role has any settled-period record in any period. */
int sp_results_any_records(const sp_results *r, int role);

void sp_results_free(sp_results *r);

#endif
