/* The engine the analysis commands share: what they measure (a metric
 * spec), what they move (a knob: one number of a scenario), and the small
 * parsing and formatting helpers they all use.  Each command is a module of
 * its own (compare, sweep, tornado, goalseek, until), written as parse ->
 * compute (a struct, testable without a session: see sp_job) -> print.
 *
 * Every evaluation simulates a copy of a scenario with the same trials and
 * seed through sp_job_run (session.h).  Results are a pure function of
 * (scenario, trials, seed) and draws are keyed by (seed, trial, role,
 * employee, purpose), so the difference between two evaluations is caused
 * by the change made, trial by trial, and an objective such as "P50 of
 * cost of sales as a function of a rate" is a deterministic function that a
 * root finder can work on.
 *
 * Adding an analysis command: a new src/NAME.c with include/salesplan/
 * NAME.h declaring its handler (the commands.h contract), and one row in
 * sp_commands (commands.c). */
#ifndef SALESPLAN_ANALYSIS_H
#define SALESPLAN_ANALYSIS_H

#include <stddef.h>
#include "salesplan/error.h"
#include "salesplan/findings.h"
#include "salesplan/lang.h"
#include "salesplan/params.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"
#include "salesplan/session.h"

/* ---- helpers ------------------------------------------------------------ */

/* Sets err at token t (NULL: no place) and returns SP_CMD_BAD. */
int sp_an_fail(sp_error *err, sp_status st, const char *file,
               const sp_token *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Statement code for a failed step: a run that failed or ran out of
 * memory is exit status 1, anything the user wrote is 2. */
int sp_an_code(sp_status st);
/* "out of memory", SP_CMD_RUNFAIL. */
int sp_an_nomem(sp_error *err);
/* "an amount (e.g. 140k)" ...: what a value in unit u looks like. */
const char *sp_an_unit_example(sp_unit u);
/* The scenario's currency sign ("" for none). */
const char *sp_an_currency(const sp_scenario *sc);
/* A parameter's value for people: money in full (compact: three
 * significant digits), percentages with the digits they have, multipliers
 * with a sign.  buf holds SP_FMT_MAX bytes. */
void sp_an_fmt_unit_c(double x, sp_unit u, const char *cur, int compact,
                      char *buf);
void sp_an_fmt_unit(double x, sp_unit u, const char *cur, char *buf);
/* A metric's value in its kind (results.h): style 0 as the summary panel
 * prints, 1 compact for narrow columns, 2 with enough digits to judge a
 * goal seek's tolerance. */
void sp_an_fmt_metric(int metric, double x, const char *cur, int style,
                      char *buf);
int sp_an_is_word(const sp_token *t, const char *w);
/* `trials N` or `seed S` at t->v[*i]: 1 when it was not one (nothing
 * read), 0 when read (*i moved past it), -1 on a bad value (err set). */
int sp_an_parse_opts(const sp_tokens *t, int *i, const char *file,
                     double *trials, double *seed, sp_error *err);

/* ---- metric specs ------------------------------------------------------- */

#define SP_STAT_MEAN (-1)
#define SP_STAT_NONE (-2)
/* "mean", "p5" ... "p95" (any case) -> SP_STAT_MEAN or SP_P*; else
 * SP_STAT_NONE. */
int sp_an_stat_parse(const char *w);
const char *sp_an_stat_name(int st);
double sp_an_stat_value(const sp_stat *s, int st);

/* What an analysis measures: one figure of one period, e.g. the P50 of
 * cost of sales of role ae in FY2027. */
typedef struct {
    int metric;               /* SP_M_* or SP_METRIC_P_TARGET */
    char role[SP_ID_MAX];     /* "" for the team total */
    char period[24];          /* as written; "" for the default */
    int stat;                 /* SP_STAT_MEAN or SP_P5 .. SP_P95 */
    char label[24];           /* the period the first evaluation used */
} sp_mspec;

/* bookings P50 of the horizon total. */
void sp_mspec_default(sp_mspec *ms);
/* METRIC, METRIC.ROLE or p(target) at tok; SP_CMD_BAD with err set. */
int sp_mspec_parse_name(const sp_scenario *sc, const sp_token *tok,
                        const char *file, sp_mspec *ms, sp_error *err);
/* After the metric: a statistic and a period, in either order. */
void sp_mspec_parse_opts(const sp_tokens *t, int *i, sp_mspec *ms);
/* "cos.ae", "p_target". */
void sp_mspec_name(const sp_mspec *ms, char *buf, size_t n);
/* "cos.ae P50 (FY2027)", "P(target) (FY2027)". */
void sp_mspec_describe(const sp_mspec *ms, int with_stat, char *buf,
                       size_t n);
/* The metric's statistics in r; for p(target) every field is the
 * probability.  Records the period used in ms->label. */
sp_status sp_mspec_eval(sp_mspec *ms, const sp_results *r, sp_stat *out,
                        sp_error *err);
/* One run of sc in job j, evaluated. */
sp_status sp_an_metric(sp_job *j, const sp_scenario *sc, sp_mspec *ms,
                       sp_stat *out, sp_error *err);

/* ---- knobs: one number of a scenario ------------------------------------ */

/* Sweep and goal seek move one number.  Besides plain numbers that is a
 * list's level, a single hires entry's count, a ramp's length and a
 * distribution's mean. */
typedef enum { KN_NUM, KN_LIST, KN_HIRES, KN_RAMP, KN_DIST } sp_knob_kind;

typedef struct {
    sp_pref p;
    sp_knob_kind kind;
    int integer;
    sp_unit unit;
    double lo, hi;      /* allowed values, open ends moved just inside */
    char name[80];
} sp_knob;

/* A parameter's range with open ends moved just inside. */
double sp_an_inside_lo(const sp_param *par);
double sp_an_inside_hi(const sp_param *par);
/* The knob named at tok ("ae.rate"); -1 with err set. */
int sp_knob_resolve(const sp_scenario *sc, const sp_token *tok,
                    const char *file, sp_knob *k, sp_error *err);
/* The knob's number as set (sp_knob_get: -1 when it has none) or as in
 * force, defaults included (sp_knob_current). */
int sp_knob_get(const sp_scenario *sc, const sp_knob *k, double *x);
int sp_knob_current(const sp_scenario *sc, const sp_knob *k, double *x);
/* Scales a distribution by f: its location only, or all its amounts. */
void sp_an_dist_scale(sp_dist *d, double f, int location);
/* A ramp of n months with cur's shape. */
int sp_an_ramp_resize(const sp_value *cur, int n, sp_value *out);
/* Sets p to v through the parameter's own text, as `set` would. */
sp_status sp_an_put_value(sp_scenario *sc, sp_pref p, const sp_value *v,
                          sp_error *err);
/* When p is the quota of a role without `capacity`, says on f that the
 * quota stands in for productivity there (MODEL.md 3: C = s x Q1), so
 * moving it moves bookings as well as pay.  Nothing otherwise. */
void sp_an_quota_note(FILE *f, const sp_scenario *sc, sp_pref p);

/* Sets the knob to x, as `set` would store it. */
sp_status sp_knob_set(sp_scenario *sc, const sp_knob *k, double x,
                      sp_error *err);
/* A copy of base with knobs k[0..nk-1] set to x[0..nk-1]; NULL with err
 * set.  Free with sp_scenario_free. */
sp_scenario *sp_knob_variant(const sp_scenario *base, const sp_knob *k,
                             const double *x, int nk, sp_error *err);

/* ---- views for tests and export ----------------------------------------- */

/* The last sweep / tornado of the session, NULL when none was run. */
const sp_sweep *sp_analysis_sweep(const sp_session *s);
const sp_tornado *sp_analysis_tornado(const sp_session *s);

#endif
