/* Decisions, not noise: compare, sweep, tornado, goal seek and runs to a
 * stated precision (INTERFACE.md sections 2 and 4).
 *
 * Every evaluation simulates a copy of a scenario with the same trials and
 * seed.  Results are a pure function of (scenario, trials, seed) and draws
 * are keyed by (seed, trial, role, employee, purpose), so the difference
 * between two evaluations is caused by the change made, trial by trial,
 * and an objective such as "P50 of cost of sales as a function of a rate"
 * is a deterministic function that a root finder can work on.
 *
 * Ownership: the session owns its sp_analysis (the last sweep, tornado and
 * compare), released by sp_analysis_free from sp_session_free.  The
 * read-only views below stay valid until the next sweep, tornado or
 * compare of that session, or until the session is freed. */
#ifndef SALESPLAN_ANALYSIS_H
#define SALESPLAN_ANALYSIS_H

#include "salesplan/commands.h"
#include "salesplan/lang.h"
#include "salesplan/results.h"

/* The metric of a sweep point or a tornado bar is SP_M_* or this. */
#define SP_METRIC_P_TARGET (-2)

/* One point of a sweep: the parameters' values and the metric's figures
 * across trials (for p(target) all four are the probability). */
typedef struct {
    double x[2];
    double mean, p10, p50, p90;
} sp_sweep_point;

typedef struct {
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
    char currency[8];
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

typedef struct {
    int metric;                /* SP_M_* or SP_METRIC_P_TARGET */
    char metric_name[80];
    char stat[8];              /* "p50", "mean", ... */
    char period[24];
    double swing;              /* 0.2 for +-20% */
    double base;               /* the metric with every input as it is */
    int trials;
    unsigned long seed;
    char currency[8];
    int nbars;
    sp_tornado_bar *bars;      /* largest swing first */
} sp_tornado;

struct sp_analysis;
void sp_analysis_free(struct sp_analysis *a);

/* The last sweep / tornado of the session, NULL when none was run. */
const sp_sweep *sp_analysis_sweep(const sp_session *s);
const sp_tornado *sp_analysis_tornado(const sp_session *s);
/* The same of an analysis itself (a session's, or NULL for none), for
 * writers that are handed the analysis rather than the session. */
const sp_sweep *sp_analysis_sweep_of(const struct sp_analysis *a);
const sp_tornado *sp_analysis_tornado_of(const struct sp_analysis *a);
/* Results of the scenarios of the last `compare`, in its order (the first
 * is the reference of the differences), as far as their entries still hold
 * results: at most max go into rs; returns how many. */
int sp_analysis_compare(const sp_session *s, const sp_results **rs, int max);

/* The order in which `export` writes the session's entries with results:
 * the compared scenarios first, in compare order (the first is the
 * reference of the differences), then every other one.  Fills idx with
 * entry indexes and returns how many (<= max). */
int sp_analysis_export_order(const sp_session *s, int *idx, int max);

/* Whether `export path` has something to write without any run: a .json
 * or .xlsx path and a sweep or tornado in the session. */
int sp_analysis_exports(const sp_session *s, const char *path);

/* The JSON document of rs (sp_export_json's) with "sweep" and "tornado"
 * members added when the session has them (n may then be 0); path "-" is
 * standard output. */
sp_status sp_analysis_export_json(const sp_session *s, const char *path,
                                  const sp_results *const *rs, int n,
                                  sp_error *err);

/* sp_export_file, with .json going through sp_analysis_export_json. */
sp_status sp_analysis_export_file(const sp_session *s, const char *path,
                                  const sp_results *const *rs, int n,
                                  sp_error *err);

/* `salesplan compare`: prints the side-by-side table and the paired
 * differences of rs[1..n-1] against rs[0] (which must have the same number
 * of trials) and records them as the session's compare. */
void sp_analysis_compare_report(sp_session *s, const sp_results *const *rs,
                                int n);

/* Command handlers (commands.h contract). */
int sp_cmd_compare(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);
int sp_cmd_sweep(sp_session *s, const sp_tokens *t, const char *file,
                 sp_error *err);
int sp_cmd_tornado(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);
int sp_cmd_goalseek(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err);
/* `run until se(METRIC) < X | rse(METRIC) < X% [trials MAX] [seed S]`. */
int sp_cmd_run_until(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err);

#endif
