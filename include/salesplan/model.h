/* The compiled form of a scenario: plain numbers the engine reads in its
 * inner loop, built by sp_model_compile (scenario.h) after validation.
 *
 * Ownership: an sp_model owns the hire arrays and distribution pairs of its
 * roles; sp_model_free releases them. */
#ifndef SALESPLAN_MODEL_H
#define SALESPLAN_MODEL_H

#include "salesplan/value.h"

#define SP_MAX_POINTS 16   /* tiers, bonus curve points */
#define SP_MAX_RAMP 120    /* ramp factors */
#define SP_MAX_ATTR 12     /* attrition rates by tenure year */
#define SP_MAX_ROLES 32
/* Deals mode draws deals one by one.  Validation refuses a plan whose
 * attainment tail gives more than SP_DEALS_TAIL_MAX deals an employee-month;
 * the engine stops a run whose draw would exceed SP_DEALS_DRAW_MAX (a
 * volatile market on top of such a tail) rather than run for hours. */
#define SP_DEALS_TAIL_MAX 100000.0
#define SP_DEALS_DRAW_MAX 1000000.0
#define SP_ID_MAX 32
#define SP_MAX_HORIZON 120
#define SP_MAX_FY (SP_MAX_HORIZON / 12 + 2)   /* fiscal years a horizon touches */

typedef enum {
    SP_KIND_QUOTA = 0,   /* carries a quota and books revenue */
    SP_KIND_SUPPORT,     /* costs money, books nothing */
    SP_KIND_MANAGER      /* manages one role with a span of control */
} sp_role_kind;

/* One person of a roster (MODEL.md 2.3, 10.6), present at t = 0. */
typedef struct {
    char id[SP_ID_MAX];
    int tenure;                /* months from `hired` to `start` */
    int has_capacity, has_attainment;
    double capacity;           /* known annual capacity */
    double attainment;         /* fraction of its own quota (else Q1) */
    double quota;              /* own annual quota every year; 0: the role's */
    double period_bookings;    /* already in the open commission period */
    int has_period_quota;
    double period_quota;
} sp_roster_emp;

/* Pay beyond base (MODEL.md section 5) of one role. */
typedef struct {
    double ti;                 /* annual target incentive; 0 when none */
    int has_rate;              /* `rate` set: BCR fixed, TI_p = rate * P */
    double rate;
    int period;                /* months per commission period: 1, 3, 12 */
    int ntiers;                /* >= 1; default one tier 0%:1 */
    double tier_t[SP_MAX_POINTS];   /* thresholds as fractions, ascending, [0] = 0 */
    double tier_u[SP_MAX_POINTS];   /* multipliers */
    int retro;                 /* tier_mode retro */
    double cap;                /* cap as a multiple of TI_p; 0 = no cap */
    double bonus;              /* annual bonus target; 0 = none */
    int ncurve;                /* bonus curve points (x ascending, may repeat) */
    double curve_x[SP_MAX_POINTS], curve_y[SP_MAX_POINTS];
    int draw_months;           /* 0 no draw, -1 all tenure months, else N */
    double draw_amount;        /* per month */
    int draw_recoverable;
    int guarantee_months;      /* 0 none */
    double guarantee_amount;   /* per month */
    int leaver_forfeit;        /* leaver forfeit (else settle) */
} sp_comp_plan;

typedef struct {
    char id[SP_ID_MAX];
    sp_role_kind kind;
    int manages;               /* managed role index, -1 if none */
    int team;                  /* a manager's quota role at the end of its
                                  manages chain (its attainment), -1 none */
    int span;
    int supports;              /* served role of a support role, -1 none */
    int ratio;                 /* staffed to ceil(served / span) in step 2 */
    int serves;                /* role whose output support_share moves, -1 */
    double support_share;      /* sigma of MODEL.md 3.1; 0 none */
    int has_plan;              /* headcount_plan set */
    int plan_need[SP_MAX_HORIZON]; /* members wanted at step 2 of month t:
                                  H(min(t + L, horizon - 1)), -1 no plan */
    int plan_level[SP_MAX_HORIZON]; /* H(t) itself, -1 before the plan */
    int headcount;             /* employees at t = 0 */
    int nroster;               /* of whom rostered (then == headcount) */
    sp_roster_emp *roster;     /* [nroster], in row order */
    int has_tenure;            /* else tenure = ramp length (fully ramped) */
    sp_dist tenure;            /* months served before t = 0 */
    int nhires;
    int *hire_t;               /* requisition month, relative to start (t) */
    int *hire_n;               /* requisitions opened that month */
    sp_dist time_to_fill;      /* months; D = max(0, round(x)) */
    int nattr;                 /* >= 1 */
    double hazard[SP_MAX_ATTR];/* monthly leaving probability by tenure year */
    int backfill;
    int nramp;                 /* r(1..nramp); r(i) = 1 beyond */
    double ramp[SP_MAX_RAMP];
    double quota;              /* Q1: annual quota in the first fiscal year */
    int nquota;                /* quota_fy entries; 0: `quota` every year */
    double quota_fy[SP_MAX_FY];/* Q_y by fiscal year of the horizon (last holds) */
    int quota_relief;
    int has_capacity;          /* capacity drawn from `capacity`, else s * Q1 */
    sp_dist capacity;          /* annual capacity C */
    sp_dist attainment;        /* skill s (without capacity) */
    double volatility;         /* sd of the monthly lognormal noise */
    int deals;                 /* productivity deals */
    double deal_size, deal_cv;
    double base;               /* annual base salary */
    sp_comp_plan comp;
    double pool_rate;          /* pool RATE of ROLE; 0 none */
    int pool_of;               /* role index, -1 none */
    int award_k;               /* award K AMOUNT; 0 none */
    double award_amount;
    double burden;             /* fraction on all pay */
    double recruiting_cost, training_cost, monthly_cost;
} sp_model_role;

typedef struct {
    char name[64];
    char title[128];
    int start;                 /* absolute month: year*12 + month-1 */
    int horizon;               /* months, 1..120 */
    int fy_start;              /* 1..12 */
    double season[12];         /* by calendar month Jan..Dec, mean exactly 1 */
    double market_sigma, market_rho;
    int ratable_n;             /* 0: revenue = bookings; else ratable over N */
    double renewal;            /* R: expected share of a term that renews */
    double opening_arr;        /* annual value of contracts in force at t = 0 */
    double ytd_bookings;       /* booked before start in its fiscal year */
    double gross_margin;
    int ntarget;               /* targets per fiscal year, in order */
    double target[SP_MAX_FY];
    double target_split[4];    /* shares of a year's target by fiscal quarter */
    int nbudget;               /* cost budgets per fiscal year, in order */
    double budget[SP_MAX_FY];
    int trials;
    unsigned long seed;
    char currency[SP_CURRENCY_MAX];          /* sign printed before money, may be "" */
    int nroles;
    sp_model_role roles[SP_MAX_ROLES];
} sp_model;

/* Q_y: role ro's annual quota in fiscal year y (0 = the horizon's first). */
static inline double sp_role_quota(const sp_model_role *ro, int y)
{
    if (ro->nquota < 1)
        return ro->quota;
    return ro->quota_fy[y < ro->nquota ? y : ro->nquota - 1];
}

void sp_model_free(sp_model *m);
/* Deep copy; 0 or -1 (out of memory, dst holds nothing). */
int sp_model_copy(sp_model *dst, const sp_model *src);

#endif
