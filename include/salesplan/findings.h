/* What the analysis commands found, kept for export: every sweep,
 * tornado and goal seek of a session and the scenarios of its last
 * comparison.  The
 * writers (JSON, CSV, the workbook) read these; they never see the session.
 *
 * Ownership: an sp_findings owns the sweeps and tornados added to it and
 * the compared names; sp_findings_clear releases them all. */
#ifndef SALESPLAN_FINDINGS_H
#define SALESPLAN_FINDINGS_H

#include "salesplan/results.h"
#include "salesplan/value.h"

/* One point of a sweep: the parameters' values and the metric's figures
 * across trials (for p(target) all four are the probability). */
typedef struct {
    double x[2];
    double mean, p10, p50, p90;
} sp_sweep_point;

typedef struct sp_sweep {
    char scenario[64];         /* the scenario swept */
    int nparams;               /* 1, or 2 for a grid */
    char param[2][80];         /* "ae.ote" */
    sp_unit unit[2];           /* how to print the values */
    int n[2];                  /* points along each parameter; n[1] = 1 */
    double *values[2];         /* values[k][0 .. n[k]-1] */
    int metric;                /* SP_M_* or SP_METRIC_P_TARGET */
    char metric_name[80];      /* "bookings", "cos.ae", "p_target" */
    char period[24];           /* "FY2027" or "total" */
    int trials;
    unsigned long seed;
    char currency[SP_CURRENCY_MAX];
    sp_sweep_point *points;    /* [n[0] * n[1]], point (i, j) at i*n[1] + j */
} sp_sweep;

typedef struct {
    char param[80];            /* "ae.quota" */
    double value;              /* the input as it is (summary number) */
    double low, high;          /* the input moved down and up (summary) */
    char low_text[128];        /* the values set, as `set` reads them */
    char high_text[128];
    sp_unit unit;              /* of value/low/high; SP_U_MULT for factors */
    double metric_low, metric_high;
    int clamped_low, clamped_high; /* moved less: the parameter's range */
} sp_tornado_bar;

typedef struct sp_tornado {
    char scenario[64];         /* the scenario analysed */
    int metric;                /* SP_M_* or SP_METRIC_P_TARGET */
    char metric_name[80];
    char stat[8];              /* "p50", "mean", ... */
    char period[24];
    double swing;              /* 0.2 for +-20% */
    double base;               /* the metric with every input as it is */
    int trials;
    unsigned long seed;
    char currency[SP_CURRENCY_MAX];
    int nbars;
    sp_tornado_bar *bars;      /* largest swing first */
} sp_tornado;

/* One goal seek: the parameter, the goal and what was found.  When no
 * value in range meets the goal, found is 0, value NaN and the scenario
 * unchanged. */
typedef struct sp_seek {
    char scenario[64];         /* the scenario sought in (and changed) */
    char param[80];            /* "ae.quota" */
    sp_unit unit;              /* of value, before and the range */
    char metric_name[80];      /* "cos.ae", "p_target" */
    int metric;                /* SP_M_* or SP_METRIC_P_TARGET */
    char stat[8];              /* "p50", "mean"; "value" for p_target */
    char period[24];           /* "FY2027" or "total" */
    double goal;
    int found;
    double value;              /* the parameter's value found */
    double metric_value;       /* the metric there */
    char value_text[128];      /* the value set, as `set` reads it */
    char before_text[128];     /* the value before */
    int evals;                 /* values of the parameter tried */
    int trials;
    unsigned long seed;
    char currency[8];
} sp_seek;

typedef struct {
    int nsweeps;
    sp_sweep **sweeps;         /* in the order they ran */
    int ntornados;
    sp_tornado **tornados;
    int nseeks;
    sp_seek *seeks;            /* in the order they ran */
    int ncmp;
    char (*cmp)[64];           /* names of the last compare, in order */
} sp_findings;

void sp_sweep_free(sp_sweep *sw);
void sp_tornado_free(sp_tornado *tn);

/* Append, taking ownership; -1 (and sw/tn freed) when out of memory. */
int sp_findings_add_sweep(sp_findings *f, sp_sweep *sw);
int sp_findings_add_tornado(sp_findings *f, sp_tornado *tn);
/* Append a copy of sk; -1 when out of memory. */
int sp_findings_add_seek(sp_findings *f, const sp_seek *sk);
/* Record the names of the last comparison; -1 when out of memory (the
 * previous record is kept). */
int sp_findings_set_compare(sp_findings *f, const char *const *names, int n);

/* The last sweep / tornado, NULL when there is none (f may be NULL). */
const sp_sweep *sp_findings_last_sweep(const sp_findings *f);
const sp_tornado *sp_findings_last_tornado(const sp_findings *f);

void sp_findings_clear(sp_findings *f);

#endif
