/* Compare, sweep, tornado, goal seek and runs to a stated precision.
 *
 * Everything here evaluates copies of a scenario with one trial count and
 * one seed.  Because the engine keys every draw by (seed, trial, role,
 * employee, purpose), two evaluations differ only by what was changed:
 * a sweep's points line up without noise between them, a tornado's bars
 * measure the input and not the luck of the draw, and a goal seek's
 * objective is a deterministic function of the parameter, which is what
 * lets a bracketing root finder (Brent) or a bisection work on it. */
#include "salesplan/analysis.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "salesplan/dist.h"
#include "salesplan/export.h"
#include "salesplan/params.h"
#include "salesplan/report.h"
#include "salesplan/scenario.h"
#include "salesplan/sim.h"
#include "salesplan/table.h"
#include "salesplan/stats.h"

#define MAX_AXIS_POINTS 1000
#define MAX_GRID_POINTS 10000
#define MAX_INPUTS 512
#define UNTIL_START 1000
#define UNTIL_CAP 1000000

/* ---- small helpers ---------------------------------------------------- */

static int fail_at(sp_error *err, sp_status st, const char *file,
                   const sp_token *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Sets err at token t (NULL: no place) and returns SP_CMD_BAD. */
static int fail_at(sp_error *err, sp_status st, const char *file,
                   const sp_token *t, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (t) {
        sp_loc l = {file, t->line};
        sp_error_set(err, st, &l, t->col, "%s", msg);
    } else {
        sp_error_set(err, st, NULL, 0, "%s", msg);
    }
    return SP_CMD_BAD;
}

/* Statement code for a failed step: a run that failed or ran out of
 * memory is exit status 1, anything the user wrote is 2. */
static int code_of(sp_status st)
{
    return st == SP_ERR_RUN || st == SP_ERR_IO || st == SP_ERR_NOMEM
               ? SP_CMD_RUNFAIL : SP_CMD_BAD;
}

static int nomem(sp_error *err)
{
    sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    return SP_CMD_RUNFAIL;
}

/* Values set through sp_scenario_set_text carry the place "<value>:1:N: ",
 * which says nothing to the user: the statement's own place is better. */
static void strip_value_place(sp_error *err)
{
    if (strncmp(err->msg, "<value>:", 8) != 0)
        return;
    char *p = err->msg + 8;
    while (*p && (isdigit((unsigned char)*p) || *p == ':'))
        p++;
    while (*p == ' ')
        p++;
    memmove(err->msg, p, strlen(p) + 1);
}

static const char *unit_example(sp_unit u)
{
    switch (u) {
    case SP_U_MONEY: return "an amount (e.g. 140k)";
    case SP_U_PERCENT: return "a percentage (e.g. 4% or 0.04)";
    case SP_U_MONTHS: return "a number of months (e.g. 3)";
    case SP_U_COUNT: return "a whole number (e.g. 12)";
    case SP_U_MULT: return "a multiplier (e.g. 1.5)";
    case SP_U_NONE: break;
    }
    return "a number";
}

static const char *scenario_currency(const sp_scenario *sc)
{
    sp_pref p = {sp_param_find("currency", SP_SCOPE_GLOBAL), -1};
    const sp_value *v = sp_scenario_value(sc, p);
    return v->str ? v->str : "";
}

/* A parameter's value for people: money in full (compact: three
 * significant digits), percentages with the digits they have, multipliers
 * with a sign. */
static void fmt_in_unit_c(double x, sp_unit u, const char *cur, int compact,
                          char *buf)
{
    if (!isfinite(x)) {
        snprintf(buf, SP_FMT_MAX, "%s", SP_UNDEFINED);
        return;
    }
    switch (u) {
    case SP_U_MONEY:
        if (compact)
            sp_fmt_money_compact(x, cur, buf, SP_FMT_MAX);
        else if (x == floor(x))
            sp_fmt_money(x, cur, buf, SP_FMT_MAX);
        else
            snprintf(buf, SP_FMT_MAX, "%s%.10g", cur ? cur : "", x);
        break;
    case SP_U_PERCENT:
        snprintf(buf, SP_FMT_MAX, "%.6g%%", x * 100);
        break;
    case SP_U_MULT:
        snprintf(buf, SP_FMT_MAX, "\xc3\x97%.4g", x);
        break;
    default:
        snprintf(buf, SP_FMT_MAX, "%.10g", x);
        break;
    }
}

static void fmt_in_unit(double x, sp_unit u, const char *cur, char *buf)
{
    fmt_in_unit_c(x, u, cur, 0, buf);
}

/* style 0: as the summary panel prints; 1: compact for narrow columns;
 * 2: enough digits to judge a goal seek's tolerance. */
static void fmt_metric(int metric, double x, const char *cur, int style,
                       char *buf)
{
    if (sp_metric_kind_of(metric) == SP_MK_RATIO)
        sp_fmt_percent(x, style == 2 ? 3 : 1, buf, SP_FMT_MAX);
    else if (sp_metric_kind_of(metric) == SP_MK_COUNT)
        sp_fmt_count(x, style == 2 ? 2 : (isfinite(x) && x != floor(x)) ? 1 : 0,
                     buf, SP_FMT_MAX);
    else if (style == 1)
        sp_fmt_money_compact(x, cur, buf, SP_FMT_MAX);
    else
        sp_fmt_money(x, cur, buf, SP_FMT_MAX);
}

static int is_word(const sp_token *t, const char *w)
{
    return !t->quoted && strcmp(t->s, w) == 0;
}

/* `trials N` and `seed S` after an analysis statement. */
static int parse_count_opt(const sp_tokens *t, int *i, const char *file,
                           double *trials, double *seed, sp_error *err)
{
    const sp_token *k = &t->v[*i];
    int is_trials = is_word(k, "trials");
    if (!is_trials && !is_word(k, "seed"))
        return 1;
    if (*i + 1 >= t->n) {
        fail_at(err, SP_ERR_PARSE, file, k, "expected a number after '%s'",
                k->s);
        return -1;
    }
    const sp_token *v = &t->v[++*i];
    const sp_param *pp = &sp_params[sp_param_find(is_trials ? "trials" : "seed",
                                                  SP_SCOPE_GLOBAL)];
    double x, lo = pp->lo, hi = pp->hi;
    if (sp_parse_number(v->s, &x, NULL) != 0 || x != floor(x) || x < lo || x > hi) {
        fail_at(err, SP_ERR_PARSE, file, v,
                "expected a whole number in [%.0f, %.0f] for %s, found '%s'",
                lo, hi, k->s, v->s);
        return -1;
    }
    if (is_trials)
        *trials = x;
    else
        *seed = x;
    (*i)++;
    return 0;
}

/* ---- metrics ---------------------------------------------------------- */

#define STAT_MEAN (-1)
#define STAT_NONE (-2)

static const char *const stat_words[SP_NPCT] = {"p5", "p10", "p25", "p50",
                                                "p75", "p90", "p95"};

static int stat_parse(const char *w)
{
    if (strcasecmp(w, "mean") == 0)
        return STAT_MEAN;
    for (int k = 0; k < SP_NPCT; k++)
        if (strcasecmp(w, stat_words[k]) == 0)
            return k;
    return STAT_NONE;
}

static const char *stat_name(int st)
{
    return st == STAT_MEAN ? "mean" : stat_words[st];
}

static double stat_value(const sp_stat *s, int st)
{
    return st == STAT_MEAN ? s->mean : s->p[st];
}

/* What an analysis measures: one figure of one period, e.g. the P50 of
 * cost of sales of role ae in FY2027. */
typedef struct {
    int metric;               /* SP_M_* or SP_METRIC_P_TARGET */
    char role[SP_ID_MAX];     /* "" for the team total */
    char period[24];          /* as written; "" for the default */
    int stat;                 /* STAT_MEAN or SP_P5 .. SP_P95 */
    char label[24];           /* the period the first evaluation used */
} mspec;

static void mspec_default(mspec *ms)
{
    memset(ms, 0, sizeof *ms);
    ms->metric = SP_M_BOOKINGS;
    ms->stat = SP_P50;
}

static int is_period_word(const char *w)
{
    return strcasecmp(w, "total") == 0 ||
           ((w[0] == 'F' || w[0] == 'f') && (w[1] == 'Y' || w[1] == 'y') &&
            isdigit((unsigned char)w[2]));
}

static int mspec_parse_name(const sp_scenario *sc, const sp_token *tok,
                            const char *file, mspec *ms, sp_error *err)
{
    const char *w = tok->s;
    if (strcasecmp(w, "p(target)") == 0 || strcasecmp(w, "p_target") == 0) {
        ms->metric = SP_METRIC_P_TARGET;
        ms->role[0] = 0;
        return 0;
    }
    char name[80];
    snprintf(name, sizeof name, "%s", w);
    char *dot = strchr(name, '.');
    if (dot)
        *dot++ = 0;
    int m = sp_metric_lookup(name);
    if (m < 0) {
        const char *best = sp_metric_suggest(name);
        if (best)
            return fail_at(err, SP_ERR_UNKNOWN, file, tok,
                           "unknown metric '%s'; did you mean '%s'?", name, best);
        return fail_at(err, SP_ERR_UNKNOWN, file, tok,
                       "expected a metric (bookings, cost, cos, contribution, "
                       "headcount, ..., METRIC.ROLE or p(target)), found '%s'",
                       w);
    }
    ms->metric = m;
    ms->role[0] = 0;
    if (dot) {
        if (sp_metric_total_only(m))
            return fail_at(err, SP_ERR_INVALID, file, tok,
                           "%s exists for the whole team only (write %s)",
                           name, name);
        if (sp_role_find(sc, dot) < 0)
            return fail_at(err, SP_ERR_UNKNOWN, file, tok,
                           "unknown role '%s' in '%s'", dot, w);
        snprintf(ms->role, sizeof ms->role, "%s", dot);
    }
    return 0;
}

/* After the metric: a statistic and a period, in either order. */
static void mspec_parse_opts(const sp_tokens *t, int *i, mspec *ms)
{
    while (*i < t->n) {
        const char *w = t->v[*i].s;
        int st = stat_parse(w);
        if (st != STAT_NONE) {
            ms->stat = st;
        } else if (is_period_word(w)) {
            snprintf(ms->period, sizeof ms->period, "%s", w);
        } else {
            break;
        }
        (*i)++;
    }
}

static void mspec_name(const mspec *ms, char *buf, size_t n)
{
    if (ms->metric == SP_METRIC_P_TARGET)
        snprintf(buf, n, "p_target");
    else if (ms->role[0])
        snprintf(buf, n, "%s.%s", sp_metric_name(ms->metric), ms->role);
    else
        snprintf(buf, n, "%s", sp_metric_name(ms->metric));
}

/* "cos.ae P50 (FY2027)", "P(target) (FY2027)". */
static void mspec_describe(const mspec *ms, int with_stat, char *buf, size_t n)
{
    char name[80];
    if (ms->metric == SP_METRIC_P_TARGET)
        snprintf(name, sizeof name, "P(target)");
    else
        mspec_name(ms, name, sizeof name);
    const char *per = ms->label[0] ? ms->label : ms->period;
    int total = strcasecmp(per, "total") == 0;
    char st[8] = "";
    if (with_stat && ms->metric != SP_METRIC_P_TARGET) {
        snprintf(st, sizeof st, "%s", stat_name(ms->stat));
        for (char *c = st; *c; c++)
            *c = (char)toupper((unsigned char)*c);
        if (ms->stat == STAT_MEAN)
            snprintf(st, sizeof st, "mean");
    }
    snprintf(buf, n, "%s%s%s (%s)", name, st[0] ? " " : "", st,
             total ? "horizon total" : per);
}

static int period_of(const mspec *ms, const sp_results *r, sp_error *err)
{
    int tp = -1, first = -1;
    for (int p = 0; p < r->nperiods; p++) {
        if (r->periods[p].is_total)
            tp = p;
        else if (first < 0)
            first = p;
    }
    if (!ms->period[0])
        return ms->metric == SP_METRIC_P_TARGET ? first : tp;
    if (strcasecmp(ms->period, "total") == 0) {
        if (ms->metric == SP_METRIC_P_TARGET) {
            sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                         "p(target) is a fiscal year's: name one (e.g. %s)",
                         first >= 0 ? r->periods[first].label : "FY2027");
            return -1;
        }
        return tp;
    }
    for (int p = 0; p < r->nperiods; p++)
        if (!r->periods[p].is_total &&
            strcasecmp(r->periods[p].label, ms->period) == 0)
            return p;
    char list[200] = "";
    for (int p = 0; p < r->nperiods; p++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "",
                 r->periods[p].is_total ? "total" : r->periods[p].label);
    }
    sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                 "no period '%s' in the horizon (periods: %s)", ms->period,
                 list);
    return -1;
}

/* The metric's statistics in r; for p(target) every field is the
 * probability. */
static sp_status mspec_eval(mspec *ms, const sp_results *r, sp_stat *out,
                            sp_error *err)
{
    int p = period_of(ms, r, err);
    if (p < 0)
        return err->status ? err->status : SP_ERR_USAGE;
    snprintf(ms->label, sizeof ms->label, "%s",
             r->periods[p].is_total ? "total" : r->periods[p].label);
    if (ms->metric == SP_METRIC_P_TARGET) {
        double v = r->p_target ? r->p_target[p] : NAN;
        if (isnan(v))
            return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                                "no bookings target for %s (set target with "
                                "one amount per fiscal year)", ms->label);
        out->mean = v;
        out->sd = out->se = NAN;
        for (int k = 0; k < SP_NPCT; k++)
            out->p[k] = v;
        out->n = r->trials;
        return SP_OK;
    }
    int role = -1;
    if (ms->role[0]) {
        for (int k = 0; k < r->nroles; k++)
            if (strcmp(r->model.roles[k].id, ms->role) == 0)
                role = k;
        if (role < 0)
            return sp_error_set(err, SP_ERR_UNKNOWN, NULL, 0,
                                "unknown role '%s'", ms->role);
    }
    int s = sp_series(r, ms->metric, role);
    if (!r->ppresent || s >= r->npseries || !r->ppresent[s]) {
        char name[80];
        mspec_name(ms, name, sizeof name);
        return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                            "%s is not computed for this scenario (a role "
                            "that books nothing has no bookings)", name);
    }
    *out = r->pstats[(size_t)p * r->npseries + s];
    return SP_OK;
}

/* ---- evaluations ------------------------------------------------------ */

/* One trial count and one seed for every evaluation of an analysis. */
typedef struct {
    sp_session *s;
    int trials;
    unsigned long seed;
    long runs;
    long total;          /* expected runs, for the progress bar; 0 unknown */
} runner;

/* The scenario's trials and seed, then the session's overrides (command
 * line), then the statement's own options. */
static void runner_init(runner *rn, sp_session *s, const sp_scenario *sc,
                        double opt_trials, double opt_seed)
{
    sp_pref pt = {sp_param_find("trials", SP_SCOPE_GLOBAL), -1};
    sp_pref ps = {sp_param_find("seed", SP_SCOPE_GLOBAL), -1};
    memset(rn, 0, sizeof *rn);
    rn->s = s;
    rn->trials = (int)sp_scenario_value(sc, pt)->num;
    rn->seed = (unsigned long)sp_scenario_value(sc, ps)->num;
    if (s->trials_override > 0)
        rn->trials = s->trials_override;
    if (s->seed_override >= 0)
        rn->seed = (unsigned long)s->seed_override;
    if (opt_trials > 0)
        rn->trials = (int)opt_trials;
    if (opt_seed >= 0)
        rn->seed = (unsigned long)opt_seed;
}

static void runner_progress(runner *rn)
{
    if (rn->s->progress && rn->total > 0)
        rn->s->progress(rn->s->progress_ctx, rn->runs < rn->total ? rn->runs
                                                                  : rn->total,
                        rn->total);
}

/* On success out holds results to free with sp_results_free. */
static sp_status runner_run(runner *rn, const sp_scenario *sc, int trials,
                            sp_results *out, sp_error *err)
{
    sp_model m;
    sp_status st = sp_model_compile(sc, &m, err);
    if (st)
        return st;
    sp_run_opts o = {trials > 0 ? trials : rn->trials, rn->seed,
                     rn->s->threads, NULL, NULL, rn->s->stop};
    m.trials = o.trials;
    m.seed = o.seed;
    st = sp_simulate(&m, &o, out, err);
    sp_model_free(&m);
    rn->runs++;
    runner_progress(rn);
    return st;
}

static sp_status runner_metric(runner *rn, const sp_scenario *sc, mspec *ms,
                               sp_stat *out, sp_error *err)
{
    sp_results r;
    sp_status st = runner_run(rn, sc, 0, &r, err);
    if (st)
        return st;
    st = mspec_eval(ms, &r, out, err);
    sp_results_free(&r);
    return st;
}

/* ---- changing one number of a scenario --------------------------------- */

/* Sweep and goal seek move one number.  Besides plain numbers that is a
 * list's level, a single hires entry's count, a ramp's length and a
 * distribution's mean. */
typedef enum { KN_NUM, KN_LIST, KN_HIRES, KN_RAMP, KN_DIST } knob_kind;

typedef struct {
    sp_pref p;
    knob_kind kind;
    int integer;
    sp_unit unit;
    double lo, hi;      /* allowed values, open ends moved just inside */
    char name[80];
} knob;

static double inside_lo(const sp_param *par)
{
    return (par->flags & SP_PF_LO_OPEN) ? par->lo + fmax(1e-9, fabs(par->lo) * 1e-9)
                                        : par->lo;
}

static double inside_hi(const sp_param *par)
{
    return (par->flags & SP_PF_HI_OPEN) ? par->hi - fmax(1e-9, fabs(par->hi) * 1e-9)
                                        : par->hi;
}

static int knob_resolve(const sp_scenario *sc, const sp_token *tok,
                        const char *file, knob *k, sp_error *err)
{
    memset(k, 0, sizeof *k);
    if (sp_scenario_resolve(sc, tok, file, &k->p, err))
        return -1;
    const sp_param *par = &sp_params[k->p.param];
    sp_pref_name(sc, k->p, k->name, sizeof k->name);
    k->unit = par->unit;
    k->integer = par->type == SP_T_INT;
    k->lo = inside_lo(par);
    k->hi = inside_hi(par);
    switch (par->type) {
    case SP_T_NUM:
    case SP_T_INT:
        if (strcmp(par->name, "trials") == 0 || strcmp(par->name, "seed") == 0) {
            fail_at(err, SP_ERR_USAGE, file, tok,
                    "%s stays fixed during an analysis (use the option "
                    "`%s N`)", par->name, par->name);
            return -1;
        }
        k->kind = KN_NUM;
        return 0;
    case SP_T_NUMLIST:
        if (strcmp(par->name, "seasonality") == 0)
            break;
        k->kind = KN_LIST;
        return 0;
    case SP_T_HIRES:
        k->kind = KN_HIRES;
        k->integer = 1;
        k->unit = SP_U_COUNT;
        return 0;
    case SP_T_RAMP:
        k->kind = KN_RAMP;
        k->integer = 1;
        k->unit = SP_U_MONTHS;
        k->lo = 1;
        k->hi = SP_MAX_RAMP;
        return 0;
    case SP_T_DIST:
        k->kind = KN_DIST;
        return 0;
    default:
        break;
    }
    fail_at(err, SP_ERR_USAGE, file, tok,
            "%s is not one number: expected a count, an amount, a rate, a "
            "distribution (its mean moves), a ramp (its length) or hires with "
            "one entry (its count)", k->name);
    return -1;
}

static int knob_get(const sp_scenario *sc, const knob *k, double *x)
{
    const sp_value *v = sp_scenario_value(sc, k->p);
    switch (k->kind) {
    case KN_NUM:
        if (v->type != SP_T_NUM && v->type != SP_T_INT)
            return -1;
        *x = v->num;
        return 0;
    case KN_LIST:
        if (v->type != SP_T_NUMLIST || v->n < 1)
            return -1;
        *x = v->list[0];
        return 0;
    case KN_HIRES:
        if (v->type != SP_T_HIRES || v->n != 1)
            return -1;
        *x = v->pairs[0].y;
        return 0;
    case KN_RAMP:
        if (v->type != SP_T_RAMP)
            return -1;
        *x = v->n;
        return 0;
    case KN_DIST:
        if (v->type != SP_T_DIST)
            return -1;
        *x = sp_dist_mean(&v->dist);
        return 0;
    }
    return -1;
}

/* The value in force when the parameter itself has none: a rate that
 * follows from target incentive and quota, a target incentive from ote,
 * and so on. */
static int knob_current(const sp_scenario *sc, const knob *k, double *x)
{
    if (knob_get(sc, k, x) == 0)
        return 0;
    if (k->kind != KN_NUM || k->p.role < 0)
        return -1;
    sp_model m;
    sp_error e = {0};
    if (sp_model_compile(sc, &m, &e))
        return -1;
    const sp_model_role *mr = &m.roles[k->p.role];
    const char *name = sp_params[k->p.param].name;
    int rc = -1;
    if (strcmp(name, "rate") == 0 && (mr->comp.has_rate || mr->quota > 0)) {
        *x = mr->comp.has_rate ? mr->comp.rate : mr->comp.ti / mr->quota;
        rc = 0;
    } else if (strcmp(name, "target_incentive") == 0) {
        *x = mr->comp.ti;
        rc = 0;
    } else if (strcmp(name, "ote") == 0) {
        *x = mr->base + mr->comp.ti;
        rc = 0;
    }
    sp_model_free(&m);
    return rc;
}

/* Scales a distribution.  location: only where it sits (the mean of
 * normal, lognormal and gamma keeps its sd: a better team, not a more
 * varied one); otherwise the variable itself (every parameter that is in
 * the variable's unit). */
static void dist_scale(sp_dist *d, double f, int location)
{
    switch (d->kind) {
    case SP_D_FIXED:
    case SP_D_POISSON:
        d->p[0] *= f;
        break;
    case SP_D_NORMAL:
    case SP_D_LOGNORMAL:
    case SP_D_GAMMA:
        d->p[0] *= f;
        if (!location)
            d->p[1] *= f;
        break;
    case SP_D_UNIFORM:
        d->p[0] *= f;
        d->p[1] *= f;
        break;
    case SP_D_TRIANGULAR:
    case SP_D_PERT:
        d->p[0] *= f;
        d->p[1] *= f;
        d->p[2] *= f;
        break;
    case SP_D_BETA:
        /* a and b are shapes; min and max carry the unit */
        d->p[2] *= f;
        d->p[3] *= f;
        break;
    case SP_D_DISCRETE:
        for (int i = 0; i < d->n; i++)
            d->pairs[i].x *= f;
        break;
    }
}

static int dist_by_location(const sp_pref p)
{
    return strcmp(sp_params[p.param].name, "attainment") == 0;
}

/* A ramp of n months.  `linear N` becomes `linear n`; a list is stretched
 * or shrunk: month j of the new ramp takes the old curve at the same
 * fraction of its length (the midpoints of months, linearly interpolated),
 * so the shape stays and only its pace changes. */
static int ramp_resize(const sp_value *cur, int n, sp_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = SP_T_RAMP;
    out->n = n;
    if (cur->flag == 1 || cur->n < 1) {
        out->flag = 1;
        return 0;
    }
    if (!(out->list = malloc((size_t)n * sizeof *out->list)))
        return -1;
    int m = cur->n;
    for (int j = 0; j < n; j++) {
        double pos = (j + 0.5) * m / n - 0.5;
        if (pos < 0)
            pos = 0;
        if (pos > m - 1)
            pos = m - 1;
        int i = (int)floor(pos);
        double fr = pos - i;
        double v = cur->list[i];
        if (i + 1 < m)
            v += fr * (cur->list[i + 1] - cur->list[i]);
        out->list[j] = v;
    }
    return 0;
}

/* Writes v into the parameter through the same parser and checks as
 * `set`, so an analysis cannot create a value a user could not type. */
static sp_status put_value(sp_scenario *sc, sp_pref p, const sp_value *v,
                           sp_error *err)
{
    const sp_param *par = &sp_params[p.param];
    char *txt = sp_format_value(v, par->unit, par->unit2, par->enums);
    if (!txt)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    sp_status st = sp_scenario_set_text(sc, p, txt, err);
    free(txt);
    if (st)
        strip_value_place(err);
    return st;
}

/* x as a user would type it in unit u.  A percentage is written as one
 * ("88.27%"), with the fewest digits that read back to x, at most 15: the
 * value stored is then what `set` makes of that text, which the formatter
 * of `get` and `save` prints as a percentage again.  A bare fraction such
 * as 0.8827 would be stored as a number that has no exact percent text and
 * show up as a decimal. */
static void unit_text(double x, sp_unit u, char *buf, size_t n)
{
    if (u == SP_U_PERCENT && isfinite(x)) {
        for (int p = 1; p <= 15; p++) {
            double back;
            snprintf(buf, n, "%.*g%%", p, x * 100);
            if (p == 15 || (sp_parse_number(buf, &back, NULL) == 0 && back == x))
                return;
        }
    }
    char e[40];
    sp_format_exact(x, e);
    snprintf(buf, n, "%s", e);
}

/* x as `set` would store it after unit_text. */
static double unit_snap(double x, sp_unit u)
{
    char buf[64];
    double back;
    unit_text(x, u, buf, sizeof buf);
    return sp_parse_number(buf, &back, NULL) == 0 ? back : x;
}

static sp_status knob_set(sp_scenario *sc, const knob *k, double x,
                          sp_error *err)
{
    const sp_value *cur = sp_scenario_value(sc, k->p);
    sp_value v = {0};
    char txt[64];
    if (k->integer)
        x = floor(x + 0.5);
    switch (k->kind) {
    case KN_NUM:
    case KN_LIST:
        if (k->kind == KN_NUM || cur->type != SP_T_NUMLIST || cur->n <= 1) {
            /* through the text `set` reads, so the value keeps the unit it
             * is shown in (see unit_text) and passes the same checks */
            unit_text(x, k->unit, txt, sizeof txt);
            sp_status st = sp_scenario_set_text(sc, k->p, txt, err);
            if (st)
                strip_value_place(err);
            return st;
        }
        /* a list (rates by tenure year) moves as a whole, keeping its shape */
        if (sp_value_copy(&v, cur))
            return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        for (int i = 1; i < v.n; i++)
            v.list[i] = unit_snap(cur->list[0] != 0 ? cur->list[i] * (x / cur->list[0])
                                                    : x, k->unit);
        v.list[0] = unit_snap(x, k->unit);
        break;
    case KN_HIRES:
        if (cur->type != SP_T_HIRES || cur->n != 1)
            return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                                "%s has %d entries: only a single MONTH:COUNT "
                                "entry has one count to change", k->name,
                                cur->type == SP_T_HIRES ? cur->n : 0);
        if (sp_value_copy(&v, cur))
            return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        v.pairs[0].y = x;
        break;
    case KN_RAMP:
        if (!(x >= 1 && x <= SP_MAX_RAMP))
            return sp_error_set(err, SP_ERR_RANGE, NULL, 0,
                                "%s: a ramp of %g months is outside [1, %d]",
                                k->name, x, SP_MAX_RAMP);
        if (cur->type != SP_T_RAMP)
            return sp_error_set(err, SP_ERR_USAGE, NULL, 0, "%s has no ramp", k->name);
        if (ramp_resize(cur, (int)x, &v))
            return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        break;
    case KN_DIST: {
        double mean = cur->type == SP_T_DIST ? sp_dist_mean(&cur->dist) : NAN;
        if (!(mean > 0))
            return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                                "cannot move the mean of %s: it is not above 0",
                                k->name);
        if (sp_value_copy(&v, cur))
            return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        dist_scale(&v.dist, x / mean, dist_by_location(k->p));
        break;
    }
    }
    sp_status st = put_value(sc, k->p, &v, err);
    sp_value_free(&v);
    return st;
}

/* A copy of base with the knobs at x[0..nk-1]. */
static sp_scenario *variant(const sp_scenario *base, const knob *k,
                            const double *x, int nk, sp_error *err)
{
    sp_scenario *c = sp_scenario_clone(base, NULL);
    if (!c) {
        sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    for (int i = 0; i < nk; i++)
        if (knob_set(c, &k[i], x[i], err)) {
            sp_scenario_free(c);
            return NULL;
        }
    return c;
}

/* ---- compare ---------------------------------------------------------- */

static const sp_stat *pstat(const sp_results *r, int p, int metric)
{
    int s = sp_series(r, metric, -1);
    if (p < 0 || p >= r->nperiods || !r->ppresent || !r->ppresent[s])
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

static void cell_metric(sp_table *t, int row, int col, const sp_results *r,
                        int p, int metric, int st)
{
    char buf[SP_FMT_MAX];
    const sp_stat *s = pstat(r, p, metric);
    fmt_metric(metric, s ? stat_value(s, st) : NAN, r->model.currency, 0, buf);
    sp_table_set(t, row, col, buf);
}

static void record_compare(sp_session *s, const sp_results *const *rs, int n)
{
    const char **names = calloc(n > 0 ? (size_t)n : 1, sizeof *names);
    if (!names)
        return;
    for (int i = 0; i < n; i++)
        names[i] = rs[i]->model.name;
    (void)sp_findings_set_compare(&s->findings, names, n);
    free(names);
}

static const struct {
    int metric;
    const char *label;
} diff_rows[] = {
    {SP_M_BOOKINGS, "Bookings"},
    {SP_M_COST, "Cost"},
    {SP_M_COS, "Cost of sales"},
    {SP_M_CONTRIBUTION, "Contribution"},
    {SP_M_HEADCOUNT, "Headcount (end)"},
};

static void print_differences(sp_session *s, const sp_results *a,
                              const sp_results *b)
{
    char title[160];
    snprintf(title, sizeof title, "%s - %s", b->model.name, a->model.name);
    sp_table *t = sp_table_new(3, title);
    if (!t)
        return;
    sp_table_header(t, 0, "Mean");
    sp_table_header(t, 1, "SE");
    sp_table_header(t, 2, "95% interval");
    int nf = sp_results_fiscal_count(a) < sp_results_fiscal_count(b) ? sp_results_fiscal_count(a) : sp_results_fiscal_count(b);
    for (int k = 0; k <= nf; k++) {
        int per = k < nf ? k : SP_PERIOD_TOTAL;
        const char *label = k < nf ? a->periods[sp_results_fiscal_period(a, k)].label : "Total";
        if (k)
            sp_table_row(t, NULL);
        sp_table_row(t, label);
        for (size_t m = 0; m < sizeof diff_rows / sizeof diff_rows[0]; m++) {
            double mean, se;
            long n;
            if (sp_paired_diff(a, b, per, diff_rows[m].metric, NULL, &mean,
                               &se, &n) != 0)
                continue;
            char lab[64], v[SP_FMT_MAX], lo[SP_FMT_MAX], hi[SP_FMT_MAX],
                iv[2 * SP_FMT_MAX + 8];
            snprintf(lab, sizeof lab, "  %s", diff_rows[m].label);
            int row = sp_table_row(t, lab);
            if (row < 0)
                break;
            const char *cur = a->model.currency;
            fmt_metric(diff_rows[m].metric, mean, cur, 2, v);
            sp_table_set(t, row, 0, v);
            fmt_metric(diff_rows[m].metric, se, cur, 2, v);
            sp_table_set(t, row, 1, v);
            if (isfinite(mean) && isfinite(se)) {
                fmt_metric(diff_rows[m].metric, mean - 1.96 * se, cur, 2, lo);
                fmt_metric(diff_rows[m].metric, mean + 1.96 * se, cur, 2, hi);
                snprintf(iv, sizeof iv, "[%s, %s]", lo, hi);
                sp_table_set(t, row, 2, iv);
            } else {
                sp_table_set(t, row, 2, SP_UNDEFINED);
            }
        }
    }
    sp_table_print(s->out, t, s->width, s->color);
    sp_table_free(t);
}

void sp_analysis_compare_report(sp_session *s, const sp_results *const *rs,
                                int n)
{
    if (n < 1)
        return;
    record_compare(s, rs, n);
    const sp_results *a = rs[0];
    char tr[SP_FMT_MAX];
    sp_fmt_count(a->trials, 0, tr, sizeof tr);
    fprintf(s->out, "\nComparison: %s trials, seed %lu in every scenario (same "
                    "random numbers)\n\n", tr, a->seed);
    sp_table *t = sp_table_new(n, "");
    if (!t)
        return;
    for (int i = 0; i < n; i++)
        sp_table_header(t, i, rs[i]->model.name);
    int nf = sp_results_fiscal_count(a);
    for (int k = 0; k <= nf; k++) {
        int last = k == nf;
        const char *label = last ? "Total" : a->periods[sp_results_fiscal_period(a, k)].label;
        if (k)
            sp_table_row(t, NULL);
        sp_table_row(t, label);
        static const char *const pl[3] = {"  Bookings P10", "  Bookings P50",
                                          "  Bookings P90"};
        static const int pk[3] = {SP_P10, SP_P50, SP_P90};
        for (int q = 0; q < 3; q++) {
            int row = sp_table_row(t, pl[q]);
            for (int i = 0; i < n; i++) {
                int p = last ? sp_results_total_period(rs[i]) : sp_results_fiscal_period(rs[i], k);
                cell_metric(t, row, i, rs[i], p, SP_M_BOOKINGS, pk[q]);
            }
        }
        if (!last) {
            int row = sp_table_row(t, "  P(target)");
            for (int i = 0; i < n; i++) {
                int p = sp_results_fiscal_period(rs[i], k);
                char buf[SP_FMT_MAX];
                sp_fmt_percent(p >= 0 && rs[i]->p_target ? rs[i]->p_target[p] : NAN,
                               1, buf, sizeof buf);
                sp_table_set(t, row, i, buf);
            }
        }
        static const struct {
            int metric;
            const char *label;
        } rows[] = {
            {SP_M_COST, "  Cost P50"},
            {SP_M_COS, "  Cost of sales P50"},
            {SP_M_CONTRIBUTION, "  Contribution P50"},
            {SP_M_HEADCOUNT, "  Headcount P50 (end)"},
        };
        for (size_t m = 0; m < sizeof rows / sizeof rows[0]; m++) {
            int row = sp_table_row(t, rows[m].label);
            for (int i = 0; i < n; i++) {
                int p = last ? sp_results_total_period(rs[i]) : sp_results_fiscal_period(rs[i], k);
                cell_metric(t, row, i, rs[i], p, rows[m].metric, SP_P50);
            }
        }
    }
    sp_table_print(s->out, t, s->width, s->color);
    sp_table_free(t);
    if (n < 2)
        return;
    /* Money differences between plans in different currencies subtract
     * unlike amounts.  They are still computed (the amounts may be known to
     * be comparable, e.g. at a fixed rate), but never silently. */
    char signs[200] = "";
    int nsigns = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= strcmp(rs[j]->model.currency, rs[i]->model.currency) == 0;
        if (!seen)
            nsigns++;
    }
    if (nsigns > 1) {
        for (int i = 0, k = 0; i < n; i++) {
            int seen = 0;
            for (int j = 0; j < i; j++)
                seen |= strcmp(rs[j]->model.currency, rs[i]->model.currency) == 0;
            if (seen)
                continue;
            size_t l = strlen(signs);
            k++;
            snprintf(signs + l, sizeof signs - l, "%s%s",
                     k == 1 ? "" : k == nsigns ? " and " : ", ",
                     rs[i]->model.currency[0] ? rs[i]->model.currency : "none");
        }
        fprintf(s->out, "\nwarning: scenarios use different currencies (%s): "
                        "money differences mix units\n", signs);
    }
    fprintf(s->out, "\nPaired differences against %s, trial by trial "
                    "(mean, standard error, 95%% interval = mean \xc2\xb1 1.96 SE):\n\n",
            a->model.name);
    for (int i = 1; i < n; i++) {
        if (rs[i]->trials != a->trials) {
            fprintf(s->out, "%s: %d trials against %d: no paired differences\n",
                    rs[i]->model.name, rs[i]->trials, a->trials);
            continue;
        }
        if (i > 1)
            fputc('\n', s->out);
        print_differences(s, a, rs[i]);
    }
}

int sp_cmd_compare(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    int idx[256], n = 0, i = 1;
    double trials = 0, seed = -1;
    while (i < t->n) {
        int r = parse_count_opt(t, &i, file, &trials, &seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r == 0)
            continue;
        int e = sp_session_find(s, t->v[i].s);
        if (e < 0)
            return fail_at(err, SP_ERR_UNKNOWN, file, &t->v[i],
                           "unknown scenario '%s' (`scenarios` lists them)",
                           t->v[i].s);
        for (int k = 0; k < n; k++)
            if (idx[k] == e)
                return fail_at(err, SP_ERR_USAGE, file, &t->v[i],
                               "scenario '%s' is named twice", t->v[i].s);
        if (n == 256)
            return fail_at(err, SP_ERR_USAGE, file, &t->v[i],
                           "at most 256 scenarios at once");
        idx[n++] = e;
        i++;
    }
    if (n < 2)
        return fail_at(err, SP_ERR_USAGE, file, &t->v[0],
                       "compare needs two or more scenarios, found %d", n);
    runner rn;
    runner_init(&rn, s, s->e[idx[0]].sc, trials, seed);
    rn.total = n;
    if (s->progress)
        s->progress(s->progress_ctx, 0, n);
    sp_results *res[256] = {0};
    int rc = SP_CMD_OK;
    for (int k = 0; k < n; k++) {
        if (!(res[k] = calloc(1, sizeof *res[k]))) {
            rc = nomem(err);
            break;
        }
        sp_status st = runner_run(&rn, s->e[idx[k]].sc, 0, res[k], err);
        if (st) {
            free(res[k]);
            res[k] = NULL;
            rc = code_of(st);
            break;
        }
    }
    if (rc != SP_CMD_OK) {
        if (s->progress)
            s->progress(s->progress_ctx, n, n);
        for (int k = 0; k < n; k++)
            if (res[k]) {
                sp_results_free(res[k]);
                free(res[k]);
            }
        return rc;
    }
    /* Each scenario's entry takes its results, as `run` would give them,
     * so `show`, `export` and the workbook see what the comparison saw. */
    const sp_results *view[256];
    for (int k = 0; k < n; k++) {
        sp_entry_set_results(&s->e[idx[k]], res[k]);
        view[k] = res[k];
    }
    sp_analysis_compare_report(s, view, n);
    return SP_CMD_OK;
}

/* ---- sweep ------------------------------------------------------------ */

/* PARAM FROM TO step S at t->v[*i]. */
static int parse_axis(const sp_scenario *sc, const sp_tokens *t, int *i,
                      const char *file, knob *k, double **vals, int *nv,
                      sp_error *err)
{
    int i0 = *i;
    if (i0 + 4 >= t->n || !is_word(&t->v[i0 + 3], "step"))
        return fail_at(err, SP_ERR_PARSE, file, &t->v[i0 < t->n ? i0 : t->n - 1],
                       "expected PARAM FROM TO step S (e.g. ae.ote 120k 160k "
                       "step 10k)");
    if (knob_resolve(sc, &t->v[i0], file, k, err))
        return SP_CMD_BAD;
    double x[3];
    for (int j = 0; j < 3; j++) {
        const sp_token *v = &t->v[i0 + 1 + j + (j == 2)];
        if (sp_parse_number_in_unit(v->s, k->unit, &x[j]) != 0)
            return fail_at(err, SP_ERR_PARSE, file, v, "expected %s for %s, found '%s'",
                           unit_example(k->unit), k->name, v->s);
        if (k->integer && x[j] != floor(x[j]))
            return fail_at(err, SP_ERR_PARSE, file, v,
                           "%s takes whole numbers, found '%s'", k->name, v->s);
    }
    double from = x[0], to = x[1], step = x[2];
    if (!(step > 0))
        return fail_at(err, SP_ERR_RANGE, file, &t->v[i0 + 4],
                       "step must be above 0, found '%s'", t->v[i0 + 4].s);
    double span = fabs(to - from);
    double cnt = floor(span / step + 1e-9) + 1;
    if (cnt > MAX_AXIS_POINTS)
        return fail_at(err, SP_ERR_RANGE, file, &t->v[i0 + 4],
                       "%.0f points: at most %d along one parameter", cnt,
                       MAX_AXIS_POINTS);
    int n = (int)cnt;
    double *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return nomem(err);
    double dir = to >= from ? 1 : -1;
    for (int j = 0; j < n; j++) {
        /* 12 significant digits: 0.02 + 3 * 0.005 is 0.035, not
         * 0.035000000000000003, in the table and in JSON */
        char b[40];
        snprintf(b, sizeof b, "%.12g", from + dir * j * step);
        v[j] = strtod(b, NULL);
    }
    *vals = v;
    *nv = n;
    *i = i0 + 5;
    return SP_CMD_OK;
}

static void print_sweep(sp_session *s, const sp_sweep *sw, const mspec *ms,
                        long runs)
{
    char desc[160], tr[SP_FMT_MAX];
    mspec_describe(ms, 0, desc, sizeof desc);
    sp_fmt_count(sw->trials, 0, tr, sizeof tr);
    int pt = sw->metric == SP_METRIC_P_TARGET;
    if (sw->nparams == 1)
        fprintf(s->out, "Sweep of %s: %s%s\n", sw->param[0], desc,
                pt ? "" : ", P10 / P50 / P90 and mean");
    else
        fprintf(s->out, "Sweep of %s by %s: %s%s\n", sw->param[0], sw->param[1],
                desc, pt ? "" : " P50");
    fprintf(s->out, "%ld runs of %s trials, seed %lu: the same random numbers at "
                    "every point\n\n", runs, tr, sw->seed);
    char buf[SP_FMT_MAX];
    if (sw->nparams == 1) {
        int nc = pt ? 1 : 4;
        sp_table *t = sp_table_new(nc, sw->param[0]);
        if (!t)
            return;
        if (pt) {
            sp_table_header(t, 0, "P(target)");
        } else {
            sp_table_header(t, 0, "P10");
            sp_table_header(t, 1, "P50");
            sp_table_header(t, 2, "P90");
            sp_table_header(t, 3, "Mean");
        }
        for (int i = 0; i < sw->n[0]; i++) {
            const sp_sweep_point *p = &sw->points[i];
            fmt_in_unit(sw->values[0][i], sw->unit[0], sw->currency, buf);
            int row = sp_table_row(t, buf);
            if (row < 0)
                break;
            double v[4] = {p->p10, p->p50, p->p90, p->mean};
            for (int c = 0; c < nc; c++) {
                fmt_metric(sw->metric, pt ? p->p50 : v[c], sw->currency, 0, buf);
                sp_table_set(t, row, c, buf);
            }
        }
        sp_table_print(s->out, t, s->width, s->color);
        sp_table_free(t);
        double *y = malloc((size_t)sw->n[0] * sizeof *y);
        if (y) {
            char line[3 * MAX_AXIS_POINTS + 1], a[SP_FMT_MAX], b[SP_FMT_MAX];
            for (int i = 0; i < sw->n[0]; i++)
                y[i] = sw->points[i].p50;
            int maxg = s->width > 40 ? s->width - 30 : 10;
            int n = sw->n[0] < maxg ? sw->n[0] : maxg;
            sp_sparkline(y, n, line, sizeof line);
            fmt_metric(sw->metric, y[0], sw->currency, 1, a);
            fmt_metric(sw->metric, y[sw->n[0] - 1], sw->currency, 1, b);
            fprintf(s->out, "\n%s %s  %s %s %s%s\n", pt ? "P(target)" : "P50", line,
                    a, "\xe2\x86\x92", b, n < sw->n[0] ? " (first points only)" : "");
            free(y);
        }
        return;
    }
    char corner[200];
    snprintf(corner, sizeof corner, "%s \\ %s", sw->param[0], sw->param[1]);
    sp_table *t = sp_table_new(sw->n[1], corner);
    if (!t)
        return;
    for (int j = 0; j < sw->n[1]; j++) {
        fmt_in_unit(sw->values[1][j], sw->unit[1], sw->currency, buf);
        sp_table_header(t, j, buf);
    }
    for (int i = 0; i < sw->n[0]; i++) {
        fmt_in_unit(sw->values[0][i], sw->unit[0], sw->currency, buf);
        int row = sp_table_row(t, buf);
        if (row < 0)
            break;
        for (int j = 0; j < sw->n[1]; j++) {
            fmt_metric(sw->metric, sw->points[i * sw->n[1] + j].p50, sw->currency,
                       1, buf);
            sp_table_set(t, row, j, buf);
        }
    }
    sp_table_print(s->out, t, s->width, s->color);
    sp_table_free(t);
    if (!pt)
        fprintf(s->out, "\ncells: P50; `export FILE.json` writes P10, P90 and "
                        "the mean of every point\n");
}

int sp_cmd_sweep(sp_session *s, const sp_tokens *t, const char *file,
                 sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return nomem(err);
    knob k[2];
    double *vals[2] = {NULL, NULL};
    int nv[2] = {0, 1}, nk = 1, i = 1, rc;
    double trials = 0, seed = -1;
    mspec ms;
    mspec_default(&ms);
    if ((rc = parse_axis(sc, t, &i, file, &k[0], &vals[0], &nv[0], err)))
        return rc;
    while (i < t->n) {
        int r = parse_count_opt(t, &i, file, &trials, &seed, err);
        if (r < 0) {
            rc = SP_CMD_BAD;
            goto out;
        }
        if (r == 0)
            continue;
        const sp_token *w = &t->v[i];
        if (is_word(w, "by") && nk == 1) {
            i++;
            if ((rc = parse_axis(sc, t, &i, file, &k[1], &vals[1], &nv[1], err)))
                goto out;
            nk = 2;
            if (k[1].p.param == k[0].p.param && k[1].p.role == k[0].p.role) {
                rc = fail_at(err, SP_ERR_USAGE, file, w,
                             "a grid needs two different parameters");
                goto out;
            }
            if ((long)nv[0] * nv[1] > MAX_GRID_POINTS) {
                rc = fail_at(err, SP_ERR_RANGE, file, w,
                             "%d x %d points: at most %d in a grid", nv[0],
                             nv[1], MAX_GRID_POINTS);
                goto out;
            }
        } else if (is_word(w, "metric") && i + 1 < t->n) {
            if (mspec_parse_name(sc, &t->v[i + 1], file, &ms, err)) {
                rc = SP_CMD_BAD;
                goto out;
            }
            i += 2;
            mspec_parse_opts(t, &i, &ms);
        } else {
            rc = fail_at(err, SP_ERR_PARSE, file, w,
                         "expected %smetric M, trials N or seed S, found '%s'",
                         nk == 1 ? "by PARAM FROM TO step S, " : "", w->s);
            goto out;
        }
    }
    sp_sweep *sw = calloc(1, sizeof *sw);
    if (!sw) {
        rc = nomem(err);
        goto out;
    }
    runner rn;
    runner_init(&rn, s, sc, trials, seed);
    sw->nparams = nk;
    for (int a = 0; a < 2; a++) {
        sw->n[a] = nv[a];
        sw->values[a] = vals[a];
        vals[a] = NULL;
        if (a < nk) {
            snprintf(sw->param[a], sizeof sw->param[a], "%s", k[a].name);
            sw->unit[a] = k[a].unit;
        }
    }
    sw->metric = ms.metric;
    mspec_name(&ms, sw->metric_name, sizeof sw->metric_name);
    sw->trials = rn.trials;
    sw->seed = rn.seed;
    snprintf(sw->currency, sizeof sw->currency, "%s", scenario_currency(sc));
    long np = (long)sw->n[0] * sw->n[1];
    if (!(sw->points = calloc((size_t)np, sizeof *sw->points))) {
        sp_sweep_free(sw);
        rc = nomem(err);
        goto out;
    }
    rn.total = np;
    if (s->progress)
        s->progress(s->progress_ctx, 0, np);
    for (long q = 0; q < np; q++) {
        sp_sweep_point *p = &sw->points[q];
        int a = (int)(q / sw->n[1]), b = (int)(q % sw->n[1]);
        p->x[0] = sw->values[0][a];
        p->x[1] = nk > 1 ? sw->values[1][b] : NAN;
        sp_scenario *v = variant(sc, k, p->x, nk, err);
        sp_stat st;
        sp_status e = v ? runner_metric(&rn, v, &ms, &st, err) : err->status;
        sp_scenario_free(v);
        if (e) {
            if (s->progress)
                s->progress(s->progress_ctx, np, np);
            sp_sweep_free(sw);
            rc = code_of(e);
            goto out;
        }
        p->mean = st.mean;
        p->p10 = st.p[SP_P10];
        p->p50 = st.p[SP_P50];
        p->p90 = st.p[SP_P90];
    }
    snprintf(sw->period, sizeof sw->period, "%s", ms.label);
    snprintf(sw->scenario, sizeof sw->scenario, "%s", sc->name);
    if (sp_findings_add_sweep(&s->findings, sw)) {
        rc = nomem(err);
        goto out;
    }
    print_sweep(s, sw, &ms, rn.runs);
    rc = SP_CMD_OK;
out:
    free(vals[0]);
    free(vals[1]);
    return rc;
}

/* ---- tornado ---------------------------------------------------------- */

typedef enum {
    IN_NUM, IN_INT, IN_LIST, IN_HIRES, IN_RAMP, IN_DIST_LOC, IN_DIST_VAR,
    IN_TIERS,
    IN_AMOUNT   /* the number of a compound value: a pool's or an override's
                   rate, an award's, a draw's or a guarantee's amount */
} input_kind;

typedef struct {
    sp_pref p;
    input_kind kind;
} input;

static const sp_value *val(const sp_scenario *sc, int role, const char *name)
{
    sp_pref p = {sp_param_find(name, role < 0 ? SP_SCOPE_GLOBAL : SP_SCOPE_ROLE),
                 role};
    return sp_scenario_value(sc, p);
}

static int is_set(const sp_scenario *sc, int role, const char *name)
{
    sp_pref p = {sp_param_find(name, role < 0 ? SP_SCOPE_GLOBAL : SP_SCOPE_ROLE),
                 role};
    return sp_scenario_is_set(sc, p);
}

static int add_input(input *in, int *n, int role, const char *name,
                     input_kind kind)
{
    if (*n >= MAX_INPUTS)
        return -1;
    in[*n].p.param = sp_param_find(name, role < 0 ? SP_SCOPE_GLOBAL : SP_SCOPE_ROLE);
    in[*n].p.role = role;
    in[*n].kind = kind;
    (*n)++;
    return 0;
}

/* The numeric inputs that are set or non-zero and that the engine reads
 * for this role: moving anything else cannot change the output. */
static int collect_inputs(const sp_scenario *sc, input *in)
{
    int n = 0;
    if (val(sc, -1, "market_volatility")->num > 0)
        add_input(in, &n, -1, "market_volatility", IN_NUM);
    for (int r = 0; r < sc->nroles; r++) {
        int quota = sc->roles[r].kind == SP_KIND_QUOTA;
        if (val(sc, r, "headcount")->num > 0)
            add_input(in, &n, r, "headcount", IN_INT);
        const sp_value *h = val(sc, r, "hires");
        double hires = 0;
        for (int k = 0; k < h->n; k++)
            hires += h->pairs[k].y;
        if (hires > 0)
            add_input(in, &n, r, "hires", IN_HIRES);
        if (quota) {
            if (val(sc, r, "quota")->num > 0)
                add_input(in, &n, r, "quota", IN_NUM);
            const sp_value *a = val(sc, r, "attainment");
            if (a->type == SP_T_DIST && sp_dist_mean(&a->dist) > 0)
                add_input(in, &n, r, "attainment", IN_DIST_LOC);
            if (is_set(sc, r, "ramp") && val(sc, r, "ramp")->n >= 1)
                add_input(in, &n, r, "ramp", IN_RAMP);
            if (val(sc, r, "volatility")->num > 0)
                add_input(in, &n, r, "volatility", IN_NUM);
        }
        const sp_value *at = val(sc, r, "attrition");
        for (int k = 0; k < at->n; k++)
            if (at->list[k] > 0) {
                add_input(in, &n, r, "attrition", IN_LIST);
                break;
            }
        const sp_value *ttf = val(sc, r, "time_to_fill");
        if (ttf->type == SP_T_DIST && sp_dist_mean(&ttf->dist) > 0)
            add_input(in, &n, r, "time_to_fill", IN_DIST_VAR);
        int rate = is_set(sc, r, "rate"), ti = is_set(sc, r, "target_incentive");
        int ote = is_set(sc, r, "ote");
        double base = val(sc, r, "base")->num;
        if (rate)
            add_input(in, &n, r, "rate", IN_NUM);
        /* with a rate the target incentive no longer sets commission; with
         * a target incentive ote is not read */
        if (!rate && ote && !ti)
            add_input(in, &n, r, "ote", IN_NUM);
        if (!rate && ti)
            add_input(in, &n, r, "target_incentive", IN_NUM);
        if (base > 0)
            add_input(in, &n, r, "base", IN_NUM);
        int paid = rate || (ti && val(sc, r, "target_incentive")->num > 0) ||
                   (!ti && ote && val(sc, r, "ote")->num > base);
        if (paid)
            add_input(in, &n, r, "tiers", IN_TIERS);
        if (paid && is_set(sc, r, "cap"))
            add_input(in, &n, r, "cap", IN_NUM);
        if (val(sc, r, "bonus")->num > 0)
            add_input(in, &n, r, "bonus", IN_NUM);
        /* `ROLE.pool RATE of X` (an override when ROLE manages X): the rate
         * moves, the role it is a share of stays */
        const sp_value *pool = val(sc, r, "pool");
        if (pool->type == SP_T_POOL && pool->str && pool->num > 0)
            add_input(in, &n, r, "pool", IN_AMOUNT);
        /* the amount moves; how many win or how many months are covered
         * is a rule, not a level */
        const sp_value *aw = val(sc, r, "award");
        if (aw->type == SP_T_AWARD && aw->n > 0 && aw->num > 0)
            add_input(in, &n, r, "award", IN_AMOUNT);
        const sp_value *dr = val(sc, r, "draw");
        if (dr->type == SP_T_DRAW && dr->n != 0 && dr->num > 0)
            add_input(in, &n, r, "draw", IN_AMOUNT);
        const sp_value *gu = val(sc, r, "guarantee");
        if (gu->type == SP_T_GUARANTEE && gu->n != 0 && gu->num > 0)
            add_input(in, &n, r, "guarantee", IN_AMOUNT);
    }
    return n;
}

static double clamp_param(const sp_param *par, double x, int *clamped)
{
    double lo = inside_lo(par), hi = inside_hi(par);
    if (x < lo) {
        *clamped = 1;
        return lo;
    }
    if (x > hi) {
        *clamped = 1;
        return hi;
    }
    return x;
}

/* An integer moves by the factor, rounded, and by at least one: 20% of
 * 3 people must still be a change. */
static double int_move(double x, double f)
{
    double y = floor(x * f + 0.5);
    if (y == x)
        y = f < 1 ? x - 1 : x + 1;
    return y;
}

static double input_summary(const sp_value *v, input_kind kind)
{
    switch (kind) {
    case IN_NUM:
    case IN_INT:
    case IN_AMOUNT:
        return v->num;
    case IN_LIST:
        return v->n ? v->list[0] : NAN;
    case IN_HIRES: {
        double s = 0;
        for (int k = 0; k < v->n; k++)
            s += v->pairs[k].y;
        return s;
    }
    case IN_RAMP:
        return v->n;
    case IN_DIST_LOC:
    case IN_DIST_VAR:
        return sp_dist_mean(&v->dist);
    case IN_TIERS:
        return 1;
    }
    return NAN;
}

static sp_unit input_unit(const input *in)
{
    switch (in->kind) {
    case IN_HIRES: return SP_U_COUNT;
    case IN_RAMP: return SP_U_MONTHS;
    case IN_TIERS: return SP_U_MULT;
    default: return sp_params[in->p.param].unit;
    }
}

/* The input's value scaled by f into out, clamped to the parameter's
 * range (*clamped says so); *summary is the number shown for it. */
static int scale_input(const sp_scenario *sc, const input *in, double f,
                       sp_value *out, double *summary, int *clamped)
{
    const sp_param *par = &sp_params[in->p.param];
    const sp_value *cur = sp_scenario_value(sc, in->p);
    *clamped = 0;
    memset(out, 0, sizeof *out);
    if (in->kind == IN_RAMP) {
        double m = int_move(cur->n, f);
        if (m < 1) {
            m = 1;
            *clamped = 1;
        }
        if (m > SP_MAX_RAMP) {
            m = SP_MAX_RAMP;
            *clamped = 1;
        }
        *summary = m;
        return ramp_resize(cur, (int)m, out);
    }
    if (sp_value_copy(out, cur))
        return -1;
    switch (in->kind) {
    case IN_NUM:
    case IN_AMOUNT:
        out->num = clamp_param(par, cur->num * f, clamped);
        break;
    case IN_INT:
        out->num = clamp_param(par, int_move(cur->num, f), clamped);
        break;
    case IN_LIST:
        for (int k = 0; k < out->n; k++)
            out->list[k] = clamp_param(par, cur->list[k] * f, clamped);
        break;
    case IN_HIRES: {
        double before = 0, after = 0;
        int big = 0;
        for (int k = 0; k < out->n; k++) {
            before += cur->pairs[k].y;
            out->pairs[k].y = clamp_param(par, floor(cur->pairs[k].y * f + 0.5), clamped);
            after += out->pairs[k].y;
            if (cur->pairs[k].y > cur->pairs[big].y)
                big = k;
        }
        if (after == before) {
            double y = out->pairs[big].y + (f < 1 ? -1 : 1);
            out->pairs[big].y = clamp_param(par, y, clamped);
        }
        break;
    }
    case IN_DIST_LOC:
    case IN_DIST_VAR: {
        sp_dist_free(&out->dist);
        if (sp_dist_copy(&out->dist, &cur->dist))
            return -1;
        dist_scale(&out->dist, f, in->kind == IN_DIST_LOC);
        /* keep within the range the parameter allows, as `set` checks it:
         * the support of a bounded distribution, the mean of the others */
        double lo, hi, mean = sp_dist_mean(&out->dist);
        sp_dist_support(&out->dist, &lo, &hi);
        int k = out->dist.kind;
        int unbounded = k == SP_D_NORMAL || k == SP_D_LOGNORMAL ||
                        k == SP_D_GAMMA || k == SP_D_POISSON;
        double top = unbounded ? mean : hi, lim = inside_hi(par);
        if (top > lim && top > 0) {
            dist_scale(&out->dist, lim / top, in->kind == IN_DIST_LOC);
            *clamped = 1;
        }
        break;
    }
    case IN_TIERS:
        for (int k = 0; k < out->n; k++)
            out->pairs[k].y = clamp_param(par, cur->pairs[k].y * f, clamped);
        break;
    case IN_RAMP:
        break;
    }
    *summary = in->kind == IN_TIERS ? f : input_summary(out, in->kind);
    return 0;
}

static int bar_cmp(const void *a, const void *b)
{
    const sp_tornado_bar *x = a, *y = b;
    double sx = fabs(x->metric_high - x->metric_low);
    double sy = fabs(y->metric_high - y->metric_low);
    if (isnan(sx))
        sx = -1;
    if (isnan(sy))
        sy = -1;
    return sx < sy ? 1 : sx > sy ? -1 : 0;
}

static void pad(FILE *f, const char *text, int width, int right)
{
    int w = sp_text_width(text);
    if (right)
        for (int i = w; i < width; i++)
            fputc(' ', f);
    fputs(text, f);
    if (!right)
        for (int i = w; i < width; i++)
            fputc(' ', f);
}

static void print_tornado(sp_session *s, const sp_tornado *tn, const mspec *ms,
                          long runs)
{
    char desc[160], tr[SP_FMT_MAX], base[SP_FMT_MAX];
    mspec_describe(ms, 1, desc, sizeof desc);
    sp_fmt_count(tn->trials, 0, tr, sizeof tr);
    fmt_metric(tn->metric, tn->base, tn->currency, 0, base);
    fprintf(s->out, "Tornado of %s: each input %.6g%% below and above its value\n",
            desc, tn->swing * 100);
    fprintf(s->out, "base %s; %ld runs of %s trials, seed %lu (same random "
                    "numbers in every run)\n\n", base, runs, tr, tn->seed);
    enum { NC = 6 };
    static const char *const head[NC] = {"input", "low", "high", "at low",
                                         "at high", "swing"};
    char (*cell)[NC][SP_FMT_MAX] = calloc((size_t)tn->nbars + 1, sizeof *cell);
    if (!cell)
        return;
    int wid[NC];
    for (int c = 0; c < NC; c++)
        wid[c] = sp_text_width(head[c]);
    double maxdev = 0;
    int nclamped = 0;
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        snprintf(cell[i][0], SP_FMT_MAX, "%.*s", SP_FMT_MAX - 1, b->param);
        fmt_in_unit_c(b->low, b->unit, tn->currency, 1, cell[i][1]);
        fmt_in_unit_c(b->high, b->unit, tn->currency, 1, cell[i][2]);
        if (b->clamped_low && strlen(cell[i][1]) < SP_FMT_MAX - 1)
            strcat(cell[i][1], "*");
        if (b->clamped_high && strlen(cell[i][2]) < SP_FMT_MAX - 1)
            strcat(cell[i][2], "*");
        nclamped += b->clamped_low + b->clamped_high;
        fmt_metric(tn->metric, b->metric_low, tn->currency, 1, cell[i][3]);
        fmt_metric(tn->metric, b->metric_high, tn->currency, 1, cell[i][4]);
        fmt_metric(tn->metric, fabs(b->metric_high - b->metric_low), tn->currency,
                   1, cell[i][5]);
        for (int c = 0; c < NC; c++)
            if (sp_text_width(cell[i][c]) > wid[c])
                wid[c] = sp_text_width(cell[i][c]);
        double d1 = fabs(b->metric_low - tn->base), d2 = fabs(b->metric_high - tn->base);
        if (isfinite(d1) && d1 > maxdev)
            maxdev = d1;
        if (isfinite(d2) && d2 > maxdev)
            maxdev = d2;
    }
    int used = 0;
    for (int c = 0; c < NC; c++)
        used += wid[c] + 2;
    int half = 12;
    if (s->width > 0 && used + 2 * half + 1 > s->width)
        half = (s->width - used - 1) / 2;
    if (half < 4)
        half = 4;
    for (int c = 0; c < NC; c++) {
        pad(s->out, head[c], wid[c], c > 0);
        if (c + 1 < NC)
            fputs("  ", s->out);
    }
    fputc('\n', s->out);
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        for (int c = 0; c < NC; c++) {
            pad(s->out, cell[i][c], wid[c], c > 0);
            fputs("  ", s->out);
        }
        /* Below the base on the left of the axis, above it on the right. */
        double lo = fmin(b->metric_low, b->metric_high) - tn->base;
        double hi = fmax(b->metric_low, b->metric_high) - tn->base;
        int nl = 0, nr = 0;
        if (maxdev > 0) {
            if (isfinite(lo) && lo < 0)
                nl = (int)lround(-lo / maxdev * half);
            if (isfinite(hi) && hi > 0)
                nr = (int)lround(hi / maxdev * half);
        }
        for (int k = 0; k < half - nl; k++)
            fputc(' ', s->out);
        for (int k = 0; k < nl; k++)
            fputs("\xe2\x96\x87", s->out);
        fputs("\xe2\x94\x82", s->out);
        for (int k = 0; k < nr; k++)
            fputs("\xe2\x96\x87", s->out);
        fputc('\n', s->out);
    }
    free(cell);
    if (!tn->nbars)
        fprintf(s->out, "(no inputs)\n");
    if (nclamped)
        fprintf(s->out, "\n* clamped to the parameter's range: that end moves "
                        "less than %.6g%%\n", tn->swing * 100);
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        if (b->clamped_low || b->clamped_high)
            fprintf(s->out, "  %s: %s%s%s%s%s\n", b->param,
                    b->clamped_low ? "low " : "", b->clamped_low ? b->low_text : "",
                    b->clamped_low && b->clamped_high ? ", " : "",
                    b->clamped_high ? "high " : "", b->clamped_high ? b->high_text : "");
    }
}

int sp_cmd_tornado(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return nomem(err);
    mspec ms;
    mspec_default(&ms);
    double swing = 0.2, trials = 0, seed = -1;
    int i = 1;
    while (i < t->n) {
        int r = parse_count_opt(t, &i, file, &trials, &seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r == 0)
            continue;
        const sp_token *w = &t->v[i];
        if (is_word(w, "metric") && i + 1 < t->n) {
            if (mspec_parse_name(sc, &t->v[i + 1], file, &ms, err))
                return SP_CMD_BAD;
            i += 2;
            mspec_parse_opts(t, &i, &ms);
        } else if (is_word(w, "swing") && i + 1 < t->n) {
            const sp_token *v = &t->v[i + 1];
            if (sp_parse_number_in_unit(v->s, SP_U_PERCENT, &swing) != 0 ||
                !(swing > 0 && swing < 1))
                return fail_at(err, SP_ERR_RANGE, file, v,
                               "expected a swing in (0%%, 100%%) (e.g. 20%%), "
                               "found '%s'", v->s);
            i += 2;
        } else {
            return fail_at(err, SP_ERR_PARSE, file, w,
                           "expected metric M, swing X%%, trials N or seed S, "
                           "found '%s'", w->s);
        }
    }
    input *in = malloc(MAX_INPUTS * sizeof *in);
    if (!in)
        return nomem(err);
    int nin = collect_inputs(sc, in);
    sp_tornado *tn = calloc(1, sizeof *tn);
    if (!tn || (nin && !(tn->bars = calloc((size_t)nin, sizeof *tn->bars)))) {
        free(in);
        sp_tornado_free(tn);
        return nomem(err);
    }
    runner rn;
    runner_init(&rn, s, sc, trials, seed);
    rn.total = 1 + 2L * nin;
    if (s->progress)
        s->progress(s->progress_ctx, 0, rn.total);
    tn->metric = ms.metric;
    mspec_name(&ms, tn->metric_name, sizeof tn->metric_name);
    snprintf(tn->stat, sizeof tn->stat, "%s",
             ms.metric == SP_METRIC_P_TARGET ? "value" : stat_name(ms.stat));
    tn->swing = swing;
    tn->trials = rn.trials;
    tn->seed = rn.seed;
    snprintf(tn->currency, sizeof tn->currency, "%s", scenario_currency(sc));
    int rc = SP_CMD_OK;
    sp_stat st;
    sp_status e = runner_metric(&rn, sc, &ms, &st, err);
    if (e) {
        rc = code_of(e);
        goto fail;
    }
    tn->base = stat_value(&st, ms.stat);
    for (int k = 0; k < nin; k++) {
        sp_tornado_bar *b = &tn->bars[tn->nbars];
        sp_pref_name(sc, in[k].p, b->param, sizeof b->param);
        b->unit = input_unit(&in[k]);
        b->value = input_summary(sp_scenario_value(sc, in[k].p), in[k].kind);
        if (in[k].kind == IN_TIERS)
            b->value = 1;
        for (int side = 0; side < 2; side++) {
            double f = side ? 1 + swing : 1 - swing, summary = NAN;
            int clamped = 0;
            sp_value v;
            sp_scenario *c = sp_scenario_clone(sc, NULL);
            if (!c || scale_input(sc, &in[k], f, &v, &summary, &clamped)) {
                sp_scenario_free(c);
                rc = nomem(err);
                goto fail;
            }
            const sp_param *par = &sp_params[in[k].p.param];
            char *txt = sp_format_value(&v, par->unit, par->unit2, par->enums);
            e = put_value(c, in[k].p, &v, err);
            sp_value_free(&v);
            if (!e)
                e = runner_metric(&rn, c, &ms, &st, err);
            sp_scenario_free(c);
            if (e) {
                char m[sizeof err->msg];
                snprintf(m, sizeof m, "%s", err->msg);
                sp_error_set(err, e, NULL, 0, "tornado: %s %s: %s", b->param,
                             side ? "high" : "low", m);
                free(txt);
                rc = code_of(e);
                goto fail;
            }
            snprintf(side ? b->high_text : b->low_text, sizeof b->low_text, "%s",
                     txt ? txt : "");
            free(txt);
            if (side) {
                b->high = summary;
                b->clamped_high = clamped;
                b->metric_high = stat_value(&st, ms.stat);
            } else {
                b->low = summary;
                b->clamped_low = clamped;
                b->metric_low = stat_value(&st, ms.stat);
            }
        }
        tn->nbars++;
    }
    /* insertion order breaks ties: qsort is not stable, so sort an index */
    for (int a = 1; a < tn->nbars; a++) {
        sp_tornado_bar x = tn->bars[a];
        int b = a - 1;
        while (b >= 0 && bar_cmp(&tn->bars[b], &x) > 0) {
            tn->bars[b + 1] = tn->bars[b];
            b--;
        }
        tn->bars[b + 1] = x;
    }
    snprintf(tn->period, sizeof tn->period, "%s", ms.label);
    snprintf(tn->scenario, sizeof tn->scenario, "%s", sc->name);
    free(in);
    if (sp_findings_add_tornado(&s->findings, tn))
        return nomem(err);
    print_tornado(s, tn, &ms, rn.runs);
    return SP_CMD_OK;
fail:
    if (s->progress)
        s->progress(s->progress_ctx, rn.total, rn.total);
    free(in);
    sp_tornado_free(tn);
    return rc;
}

/* ---- goal seek -------------------------------------------------------- */

typedef struct {
    runner *rn;
    const sp_scenario *base;
    const knob *k;
    mspec *ms;
    double goal;
    int failed;
    sp_error *err;
    int n, cap;
    double *xs, *ms_vals;   /* every evaluation, for reuse and the report */
} seek;

static int seek_eval(seek *sk, double x, double *m)
{
    for (int i = 0; i < sk->n; i++)
        if (sk->xs[i] == x) {
            *m = sk->ms_vals[i];
            return 0;
        }
    if (sk->failed)
        return -1;
    sp_scenario *v = variant(sk->base, sk->k, &x, 1, sk->err);
    sp_stat st;
    sp_status e = v ? runner_metric(sk->rn, v, sk->ms, &st, sk->err) : sk->err->status;
    sp_scenario_free(v);
    if (e) {
        sk->failed = 1;
        return -1;
    }
    if (sk->n == sk->cap) {
        int c = sk->cap ? sk->cap * 2 : 32;
        double *a = realloc(sk->xs, (size_t)c * sizeof *a);
        if (a)
            sk->xs = a;
        double *b = a ? realloc(sk->ms_vals, (size_t)c * sizeof *b) : NULL;
        if (b)
            sk->ms_vals = b;
        if (!a || !b) {
            sk->failed = 1;
            sp_error_set(sk->err, SP_ERR_NOMEM, NULL, 0, "out of memory");
            return -1;
        }
        sk->cap = c;
    }
    *m = stat_value(&st, sk->ms->stat);
    if (isnan(*m)) {
        sk->failed = 1;
        sp_error_set(sk->err, SP_ERR_RUN, NULL, 0,
                     "the metric is undefined at %s = %g", sk->k->name, x);
        return -1;
    }
    sk->xs[sk->n] = x;
    sk->ms_vals[sk->n++] = *m;
    return 0;
}

static double seek_f(double x, void *p)
{
    seek *sk = p;
    double m;
    if (seek_eval(sk, x, &m))
        return GSL_NAN;
    return m - sk->goal;
}

/* Continuous parameters (whole numbers: walk below): from x0 outwards in
 * direction dir, doubling the step, until the
 * objective changes sign between two neighbours (1: the bracket in *a,
 * *b), the range ends (0) or an evaluation fails (-1). */
static int expand(seek *sk, double x0, double f0, int dir, double d,
                  double *a, double *b)
{
    double prev = x0, fprev = f0, lim = dir > 0 ? sk->k->hi : sk->k->lo;
    for (int it = 0; it < 400; it++) {
        double x = x0 + dir * d;
        if (dir > 0 ? x >= lim : x <= lim)
            x = lim;
        if (x == prev)
            return 0;
        double fx = seek_f(x, sk);
        if (sk->failed)
            return -1;
        if (fx == 0 || (fx > 0) != (fprev > 0)) {
            *a = fmin(prev, x);
            *b = fmax(prev, x);
            return 1;
        }
        if (x == lim)
            return 0;
        prev = x;
        fprev = fx;
        d *= 2;
    }
    return 0;
}

/* Finds a bracket of the goal around x0: the first direction tried is the
 * one a secant through x0 and a nearby probe points to. */
static int bracket(seek *sk, double x0, double *a, double *b)
{
    double f0 = seek_f(x0, sk);
    if (sk->failed)
        return -1;
    if (f0 == 0) {
        *a = *b = x0;
        return 1;
    }
    const knob *k = sk->k;
    double d;
    if (k->integer)
        d = fmax(1, floor(fabs(x0) * 0.1 + 0.5));
    else if (x0 != 0)
        d = fabs(x0) * 0.1;
    else
        d = k->hi - k->lo <= 1000 ? (k->hi - k->lo) / 100 : 1000;
    int dir = x0 + d <= k->hi ? 1 : -1;
    double p = fmax(k->lo, x0 + dir * d);
    double fp = seek_f(p, sk);
    if (sk->failed)
        return -1;
    if (fp == 0 || (fp > 0) != (f0 > 0)) {
        *a = fmin(x0, p);
        *b = fmax(x0, p);
        return 1;
    }
    double slope = (fp - f0) / (p - x0);
    int first = slope == 0 ? dir : (-f0 / slope > 0 ? 1 : -1);
    for (int pass = 0; pass < 2; pass++) {
        int r = expand(sk, x0, f0, pass ? -first : first, d, a, b);
        if (r != 0)
            return r;
    }
    return 0;
}

/* x rounded to `digits` significant digits. */
static double round_sig(double x, int digits)
{
    char b[40];
    snprintf(b, sizeof b, "%.*g", digits, x);
    return strtod(b, NULL);
}

/* Whether metric m has reached the goal, for a metric that rises with the
 * parameter (at or above the goal) or falls with it (at or below). */
static int reaches(double m, double goal, int rising)
{
    return rising ? m >= goal : m <= goal;
}

/* Whether the goal lies between two metrics, ends included. */
static int straddles(double m1, double m2, double goal)
{
    return (m1 <= goal && goal <= m2) || (m2 <= goal && goal <= m1);
}

/* Integer parameters: from x0 (metric m0) in direction dir, in steps that
 * double, until two neighbouring values tried have different metrics with
 * the goal between them: 1 with them in *a < *b, 0 when the range ends
 * first, -1 when an evaluation fails. */
static int walk(seek *sk, double x0, double m0, int dir, double lo, double hi,
                double *a, double *b)
{
    double lim = dir > 0 ? hi : lo, prev = x0, mprev = m0, step = 1;
    if (x0 == lim)
        return 0;
    for (int it = 0; it < 200; it++) {
        double x = x0 + dir * step, m;
        if (dir > 0 ? x > lim : x < lim)
            x = lim;
        if (seek_eval(sk, x, &m))
            return -1;
        if (m != mprev && straddles(m, mprev, sk->goal)) {
            *a = fmin(prev, x);
            *b = fmax(prev, x);
            return 1;
        }
        if (x == lim)
            return 0;
        prev = x;
        mprev = m;
        step *= 2;
    }
    return 0;
}

/* Integer parameters.  The goal is met where the metric crosses it inside
 * the parameter's range: a bracket of two values whose metrics differ and
 * lie on either side of the goal.  The bracket's ends say whether the
 * metric rises or falls with the parameter, and the answer is the smallest
 * value that brings the metric to the goal: at or above it for a rising
 * metric, at or below it for a falling one.  "The smallest headcount whose
 * cost of sales is at most 21%" answers "how many do we need"; the largest
 * whose cost of sales is still above it does not, and an end of the range
 * that merely lies on the goal's side without any crossing meets nothing.
 * 1: *found, with *below the value under it that does not reach the goal
 * (NaN when *found is the range's lowest); 0: no crossing in range; -1: an
 * evaluation failed. */
static int seek_integer(seek *sk, double x0, double *found, double *below,
                        int *rising_out)
{
    const knob *k = sk->k;
    double lo = ceil(k->lo), hi = floor(k->hi), goal = sk->goal, m0, m;
    if (seek_eval(sk, x0, &m0))
        return -1;
    /* Only a guess of where to look first: the nearest value that changes
     * the metric.  The answer's direction comes from the bracket. */
    int up = 1;
    for (double step = 1; step <= 64 && step <= hi - lo; step *= 2) {
        double p = x0 + step <= hi ? x0 + step : x0 - step;
        if (p < lo)
            break;
        if (seek_eval(sk, p, &m))
            return -1;
        if (m != m0) {
            up = (m > m0) == (p > x0);
            break;
        }
    }
    /* on the goal already: the boundary, if any, lies below */
    int first = m0 == goal ? -1 : ((m0 < goal) == up ? 1 : -1);
    double a, b;
    int r = walk(sk, x0, m0, first, lo, hi, &a, &b);
    if (r == 0)
        r = walk(sk, x0, m0, -first, lo, hi, &a, &b);
    if (r < 0)
        return -1;
    *below = NAN;
    if (r == 0) {
        if (m0 != goal)
            return 0;
        /* the metric never moves and sits on the goal: every value meets
         * it, the lowest first (both walks evaluated it) */
        *rising_out = 1;
        *found = lo;
        return 1;
    }
    double ma, mb;
    if (seek_eval(sk, a, &ma) || seek_eval(sk, b, &mb))
        return -1;
    int rising = mb > ma;
    *rising_out = rising;
    double in = b, out = a;
    if (reaches(ma, goal, rising)) {
        /* a sits on the goal: the first value that does not reach it is
         * further down, or every value down to the range's end reaches it */
        out = NAN;
        for (double step = 1;; step *= 2) {
            double x = fmax(lo, a - step);
            if (x == in)
                break;
            if (seek_eval(sk, x, &m))
                return -1;
            if (!reaches(m, goal, rising)) {
                out = x;
                break;
            }
            in = x;
        }
        if (isnan(out)) {
            *found = in;
            return 1;
        }
    }
    while (in - out > 1) {
        double mid = floor((in + out) / 2);
        if (seek_eval(sk, mid, &m))
            return -1;
        if (reaches(m, goal, rising))
            in = mid;
        else
            out = mid;
    }
    *found = in;
    *below = out;
    return 1;
}

static void describe_range(const knob *k, const char *cur, char *buf, size_t n)
{
    const sp_param *par = &sp_params[k->p.param];
    char lo[SP_FMT_MAX], hi[SP_FMT_MAX];
    /* the parameter's own bounds, not the values just inside an open one */
    int lo_open = k->lo != par->lo, hi_open = k->hi != par->hi;
    fmt_in_unit(lo_open ? par->lo : k->lo, k->unit, cur, lo);
    fmt_in_unit(hi_open ? par->hi : k->hi, k->unit, cur, hi);
    snprintf(buf, n, "%s%s, %s%s", lo_open ? "(" : "[", lo, hi, hi_open ? ")" : "]");
}

/* A value of the parameter as people read it: the text `get` prints, and
 * for money the amount with its currency sign. */
static void describe_value(const sp_scenario *sc, const knob *k, double x,
                           const char *text, char *buf, size_t n)
{
    char money[SP_FMT_MAX] = "";
    if (k->unit == SP_U_MONEY && (k->kind == KN_NUM || k->kind == KN_LIST))
        sp_fmt_money(x, scenario_currency(sc), money, sizeof money);
    snprintf(buf, n, "%s%s%s%s", text, money[0] ? " (" : "", money,
             money[0] ? ")" : "");
}

int sp_cmd_goalseek(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return nomem(err);
    knob k;
    if (knob_resolve(sc, &t->v[1], file, &k, err))
        return SP_CMD_BAD;
    if (t->n < 4 || !is_word(&t->v[2], "for"))
        return fail_at(err, SP_ERR_PARSE, file, &t->v[t->n > 2 ? 2 : t->n - 1],
                       "expected `goalseek PARAM for METRIC [STAT] = VALUE`");
    mspec ms;
    mspec_default(&ms);
    if (mspec_parse_name(sc, &t->v[3], file, &ms, err))
        return SP_CMD_BAD;
    int i = 4;
    mspec_parse_opts(t, &i, &ms);
    const char *vs = NULL;
    const sp_token *vt = NULL;
    if (i < t->n && is_word(&t->v[i], "=") && i + 1 < t->n) {
        vt = &t->v[i + 1];
        vs = vt->s;
        i += 2;
    } else if (i < t->n && t->v[i].s[0] == '=' && t->v[i].s[1]) {
        vt = &t->v[i];
        vs = vt->s + 1;
        i++;
    }
    if (!vs)
        return fail_at(err, SP_ERR_PARSE, file, &t->v[i < t->n ? i : t->n - 1],
                       "expected `= VALUE` after the metric, found '%s'",
                       i < t->n ? t->v[i].s : "end of statement");
    double goal;
    sp_unit mu = sp_metric_unit(ms.metric);
    if (sp_parse_number_in_unit(vs, mu, &goal) != 0)
        return fail_at(err, SP_ERR_PARSE, file, vt, "expected %s as the goal, found '%s'",
                       unit_example(mu), vs);
    double trials = 0, seed = -1;
    while (i < t->n) {
        int r = parse_count_opt(t, &i, file, &trials, &seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r > 0)
            return fail_at(err, SP_ERR_PARSE, file, &t->v[i],
                           "expected trials N or seed S, found '%s'", t->v[i].s);
    }
    double x0;
    if (knob_current(sc, &k, &x0) != 0) {
        if (k.kind == KN_HIRES)
            return fail_at(err, SP_ERR_USAGE, file, &t->v[1],
                           "%s needs exactly one MONTH:COUNT entry to seek its "
                           "count", k.name);
        x0 = k.lo > 0 ? k.lo : (k.hi >= 1 ? 1 : k.hi);
    }
    if (x0 < k.lo)
        x0 = k.lo;
    if (x0 > k.hi)
        x0 = k.hi;
    if (k.integer)
        x0 = fmin(fmax(floor(x0 + 0.5), ceil(k.lo)), floor(k.hi));

    runner rn;
    runner_init(&rn, s, sc, trials, seed);
    seek sk = {&rn, sc, &k, &ms, goal, 0, err, 0, 0, NULL, NULL};
    const char *cur = scenario_currency(sc);
    double x = NAN, tol = 0, below = NAN;
    int rc = SP_CMD_OK, found = 0, rising = 1, exact = 1;
    char note[300] = "";
    if (k.integer) {
        int r = seek_integer(&sk, x0, &x, &below, &rising);
        if (r < 0) {
            rc = code_of(err->status);
            goto out;
        }
        found = r;
    } else {
        tol = goal != 0 ? 1e-4 * fabs(goal) : 0;
        if (goal == 0) {
            double m0;
            if (seek_eval(&sk, x0, &m0)) {
                rc = code_of(err->status);
                goto out;
            }
            tol = 1e-4 * fmax(fabs(m0), 1e-12);
        }
        /* Brent needs the objective to change sign: a bracket whose ends lie
         * on either side of the goal is the crossing itself, and without
         * one no value in range meets the goal (never a bound that merely
         * comes closest). */
        double a, b;
        int r = bracket(&sk, x0, &a, &b);
        if (r < 0) {
            rc = code_of(err->status);
            goto out;
        }
        found = r;
        if (found && a == b) {
            x = a;
        } else if (found) {
            rising = seek_f(b, &sk) > seek_f(a, &sk);
            gsl_function F = {seek_f, &sk};
            gsl_root_fsolver *sv = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
            if (!sv) {
                rc = nomem(err);
                goto out;
            }
            int gs = gsl_root_fsolver_set(sv, &F, a, b);
            x = fabs(seek_f(a, &sk)) < fabs(seek_f(b, &sk)) ? a : b;
            for (int it = 0; gs == GSL_SUCCESS && it < 100; it++) {
                if (fabs(seek_f(x, &sk)) <= tol)
                    break;
                gs = gsl_root_fsolver_iterate(sv);
                if (sk.failed)
                    break;
                if (gs != GSL_SUCCESS)
                    break;
                double r0 = gsl_root_fsolver_root(sv);
                double fr = seek_f(r0, &sk);
                if (sk.failed)
                    break;
                if (fabs(fr) < fabs(seek_f(x, &sk)))
                    x = r0;
                double lo = gsl_root_fsolver_x_lower(sv), hi = gsl_root_fsolver_x_upper(sv);
                if (hi - lo <= 1e-12 * fmax(1, fabs(r0)))
                    break;
            }
            gsl_root_fsolver_free(sv);
            if (sk.failed) {
                rc = code_of(err->status);
                goto out;
            }
            if (gs != GSL_SUCCESS) {
                sp_error_set(err, SP_ERR_RUN, NULL, 0, "goalseek: root finder "
                             "failed: %s", gsl_strerror(gs));
                rc = SP_CMD_RUNFAIL;
                goto out;
            }
            double fx = seek_f(x, &sk);
            if (fabs(fx) > tol) {
                /* The metric jumps across the goal (P(target) moves in steps
                 * of 1/trials): the value inside the bracket that reaches the
                 * goal, on the side the metric moves, closest to it. */
                exact = 0;
                double best = NAN;
                for (int q = 0; q < sk.n; q++)
                    if (sk.xs[q] >= a && sk.xs[q] <= b &&
                        reaches(sk.ms_vals[q], goal, rising) &&
                        (isnan(best) || fabs(sk.ms_vals[q] - goal) <
                                            fabs(seek_f(best, &sk))))
                        best = sk.xs[q];
                if (!isnan(best))
                    x = best;
                snprintf(note, sizeof note,
                         "the metric jumps across the goal near this value%s: "
                         "this is the closest value that reaches it",
                         ms.metric == SP_METRIC_P_TARGET
                             ? " (P(target) moves in steps of 1/trials)" : "");
            } else {
                /* a rounder value that still meets the tolerance */
                for (int dg = 3; dg <= 8; dg++) {
                    double xr = round_sig(x, dg);
                    if (xr == x)
                        break;
                    if (xr < k.lo || xr > k.hi)
                        continue;
                    double fr = seek_f(xr, &sk);
                    if (sk.failed) {
                        rc = code_of(err->status);
                        goto out;
                    }
                    if (fabs(fr) <= tol) {
                        x = xr;
                        break;
                    }
                }
            }
        }
    }
    char desc[160], gtxt[SP_FMT_MAX], range[2 * SP_FMT_MAX + 8];
    mspec_describe(&ms, 1, desc, sizeof desc);
    fmt_metric(ms.metric, goal, cur, 2, gtxt);
    describe_range(&k, cur, range, sizeof range);
    if (!found) {
        /* the metric where the search ended on each side: the range's ends,
         * unless the search gave up before reaching one */
        int qlo = 0, qhi = 0;
        for (int q = 1; q < sk.n; q++) {
            if (sk.xs[q] < sk.xs[qlo])
                qlo = q;
            if (sk.xs[q] > sk.xs[qhi])
                qhi = q;
        }
        char a[SP_FMT_MAX], b[SP_FMT_MAX], xa[SP_FMT_MAX], xb[SP_FMT_MAX];
        fmt_metric(ms.metric, sk.n ? sk.ms_vals[qlo] : NAN, cur, 2, a);
        fmt_metric(ms.metric, sk.n ? sk.ms_vals[qhi] : NAN, cur, 2, b);
        fmt_in_unit(sk.n ? sk.xs[qlo] : NAN, k.unit, cur, xa);
        fmt_in_unit(sk.n ? sk.xs[qhi] : NAN, k.unit, cur, xb);
        sp_error_set(err, SP_ERR_RUN, NULL, 0,
                     "goalseek: no value of %s in %s %s %s = %s: it is %s at "
                     "%s = %s and %s at %s = %s, and never crosses the goal "
                     "over the %d values tried; %s is unchanged",
                     k.name, range, k.integer ? "reaches" : "gives", desc, gtxt,
                     a, k.name, xa, b, k.name, xb, sk.n, k.name);
        rc = SP_CMD_RUNFAIL;
        goto out;
    }
    double mx;
    if (seek_eval(&sk, x, &mx)) {
        rc = code_of(err->status);
        goto out;
    }
    char *before = sp_scenario_value_text(sc, k.p);
    sp_status st = knob_set(sc, &k, x, err);
    if (st) {
        free(before);
        rc = code_of(st);
        goto out;
    }
    char *after = sp_scenario_value_text(sc, k.p);
    char mtxt[SP_FMT_MAX], tr[SP_FMT_MAX], vtxt[2 * SP_FMT_MAX + 160];
    fmt_metric(ms.metric, mx, cur, 2, mtxt);
    sp_fmt_count(rn.trials, 0, tr, sizeof tr);
    describe_value(sc, &k, x, after ? after : "?", vtxt, sizeof vtxt);
    fprintf(s->out, "goalseek: %s = %s gives %s = %s (goal %s)\n", k.name,
            vtxt, desc, mtxt, gtxt);
    if (k.integer) {
        double mo;
        fprintf(s->out, "  %.0f is the smallest value that reaches the goal "
                        "(the metric %s as %s grows: at or %s %s)",
                x, rising ? "rises" : "falls", k.name, rising ? "above" : "below",
                gtxt);
        if (!isnan(below) && seek_eval(&sk, below, &mo) == 0) {
            char ot[SP_FMT_MAX];
            fmt_metric(ms.metric, mo, cur, 2, ot);
            fprintf(s->out, "; %.0f gives %s\n", below, ot);
        } else {
            fprintf(s->out, "; it is the lowest in range\n");
        }
    } else if (exact) {
        char tt[SP_FMT_MAX];
        fmt_metric(ms.metric, tol, cur, 2, tt);
        fprintf(s->out, "  tolerance: within %s of the goal (1e-4 relative)\n", tt);
    } else {
        fprintf(s->out, "  note: %s\n", note);
    }
    fprintf(s->out, "  %d evaluations of %s trials, seed %lu (same random numbers "
                    "each time); was %s\n",
            sk.n, tr, rn.seed, before ? before : "?");
    free(before);
    free(after);
out:
    free(sk.xs);
    free(sk.ms_vals);
    return rc;
}

/* ---- run until -------------------------------------------------------- */

/* x in unit u with `digits` significant digits: money with its sign and
 * thousands separators, percentages with a percent sign. */
static void fmt_sig(double x, sp_unit u, const char *cur, int digits, char *buf)
{
    if (!isfinite(x)) {
        snprintf(buf, SP_FMT_MAX, "%s", SP_UNDEFINED);
        return;
    }
    if (u == SP_U_PERCENT) {
        snprintf(buf, SP_FMT_MAX, "%.*g%%", digits, 100 * x);
    } else if (u == SP_U_MONEY && fabs(x) >= 1 && fabs(x) < 1e15 &&
               floor(log10(fabs(x))) + 1 >= digits) {
        /* whole units: round away the digits beyond `digits` and keep the
         * separators that make a large amount readable (%g would write
         * 7.67e+03) */
        double mag = pow(10, floor(log10(fabs(x))) + 1 - digits);
        sp_fmt_money(round(x / mag) * mag, cur, buf, SP_FMT_MAX);
    } else if (u == SP_U_MONEY) {
        snprintf(buf, SP_FMT_MAX, "%s%.*g", cur ? cur : "", digits, x);
    } else {
        snprintf(buf, SP_FMT_MAX, "%.*g", digits, x);
    }
}

/* An achieved standard error and its bound, with as many significant
 * digits (at least three) as it takes to tell them apart: "0.00998% <
 * 0.01%", never "0.010% < 0.010%". */
static void precise_pair(double x, double bound, sp_unit u, const char *cur,
                         char *a, char *b)
{
    for (int d = 3; d <= 17; d++) {
        fmt_sig(x, u, cur, d, a);
        fmt_sig(bound, u, cur, d, b);
        if (strcmp(a, b) != 0 || x == bound)
            return;
    }
}

int sp_cmd_run_until(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return nomem(err);
    /* The condition may be written with or without spaces: join the words
     * up to the options. */
    char cond[256] = "";
    int i = 2;
    for (; i < t->n; i++) {
        if (is_word(&t->v[i], "trials") || is_word(&t->v[i], "seed"))
            break;
        size_t l = strlen(cond);
        snprintf(cond + l, sizeof cond - l, "%s%s", l ? " " : "", t->v[i].s);
    }
    double cap = 0, seed = -1;
    while (i < t->n) {
        int r = parse_count_opt(t, &i, file, &cap, &seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r > 0)
            return fail_at(err, SP_ERR_PARSE, file, &t->v[i],
                           "expected trials N or seed S, found '%s'", t->v[i].s);
    }
    const sp_token *at = t->n > 2 ? &t->v[2] : &t->v[1];
    const char *c = cond;
    int relative = 0;
    if (strncmp(c, "rse(", 4) == 0) {
        relative = 1;
        c += 4;
    } else if (strncmp(c, "se(", 3) == 0) {
        c += 3;
    } else {
        return fail_at(err, SP_ERR_PARSE, file, at,
                       "expected se(METRIC) < X or rse(METRIC) < X%%, found '%s'",
                       cond);
    }
    const char *close = strchr(c, ')');
    const char *lt = close ? strchr(close, '<') : NULL;
    if (!close || !lt)
        return fail_at(err, SP_ERR_PARSE, file, at,
                       "expected se(METRIC) < X or rse(METRIC) < X%%, found '%s'",
                       cond);
    /* inside the parentheses: METRIC[.ROLE] and optionally a period */
    char inner[128];
    snprintf(inner, sizeof inner, "%.*s", (int)(close - c), c);
    char *per = strchr(inner, ' ');
    if (per)
        *per++ = 0;
    mspec ms;
    mspec_default(&ms);
    ms.stat = STAT_MEAN;
    sp_token mt = *at;
    mt.s = inner;
    if (mspec_parse_name(sc, &mt, file, &ms, err))
        return SP_CMD_BAD;
    if (ms.metric == SP_METRIC_P_TARGET)
        return fail_at(err, SP_ERR_USAGE, file, at,
                       "se() needs a metric with values per trial, not p(target)");
    if (per) {
        while (*per == ' ')
            per++;
        snprintf(ms.period, sizeof ms.period, "%s", per);
    }
    const char *vs = lt + 1;
    while (*vs == ' ')
        vs++;
    double limit;
    sp_unit u = relative ? SP_U_PERCENT : sp_metric_unit(ms.metric);
    if (sp_parse_number_in_unit(vs, u, &limit) != 0 || !(limit > 0))
        return fail_at(err, SP_ERR_PARSE, file, at, "expected %s above 0 after '<', "
                       "found '%s'", unit_example(u), vs);
    runner rn;
    runner_init(&rn, s, sc, 0, seed);
    int maxn = cap > 0 ? (int)cap : UNTIL_CAP;
    int n = UNTIL_START < maxn ? UNTIL_START : maxn;
    sp_results *r = NULL;
    double se = NAN, mean = NAN;
    int met = 0;
    for (;;) {
        sp_results *nr = calloc(1, sizeof *nr);
        if (!nr) {
            if (r) {
                sp_results_free(r);
                free(r);
            }
            return nomem(err);
        }
        sp_status st = runner_run(&rn, sc, n, nr, err);
        if (r) {
            sp_results_free(r);
            free(r);
            r = NULL;
        }
        if (st) {
            free(nr);
            return code_of(st);
        }
        r = nr;
        sp_stat sst;
        if ((st = mspec_eval(&ms, r, &sst, err))) {
            sp_results_free(r);
            free(r);
            return code_of(st);
        }
        se = sst.se;
        mean = sst.mean;
        double x = relative ? se / fabs(mean) : se;
        if (x < limit) {
            met = 1;
            break;
        }
        if (n >= maxn || !isfinite(x))
            break;
        /* se falls as 1/sqrt(n): double up to the size this batch predicts */
        double need = (double)n * (x / limit) * (x / limit);
        long next = n;
        while (next < need && next < maxn)
            next *= 2;
        if (next == n)
            next = 2L * n;
        n = next > maxn ? maxn : (int)next;
    }
    sp_entry_set_results(&s->e[s->cur], r);
    if (!s->quiet)
        sp_report_summary(s->out, r, s->width, s->color);
    char desc[160], a[SP_FMT_MAX], b[SP_FMT_MAX], tr[SP_FMT_MAX];
    mspec_describe(&ms, 0, desc, sizeof desc);
    precise_pair(relative ? se / fabs(mean) : se, limit,
                 relative ? SP_U_PERCENT : sp_metric_unit(ms.metric),
                 r->model.currency, a, b);
    sp_fmt_count(r->trials, 0, tr, sizeof tr);
    if (!met) {
        sp_error_set(err, SP_ERR_RUN, NULL, 0,
                     "precision not reached: %sse of the mean of %s is %s, not "
                     "below %s, after %s trials (the most allowed; `trials N` "
                     "raises it); these results are kept",
                     relative ? "relative " : "", desc, a, b, tr);
        return SP_CMD_RUNFAIL;
    }
    fprintf(s->out, "%sprecision: %sse of the mean of %s = %s < %s with %s "
                    "trials (%ld run%s)\n", s->quiet ? "" : "\n",
            relative ? "relative " : "", desc, a, b, tr, rn.runs,
            rn.runs == 1 ? "" : "s");
    return SP_CMD_OK;
}

/* ---- read-only views and export --------------------------------------- */

const sp_sweep *sp_analysis_sweep(const sp_session *s)
{
    return s ? sp_findings_last_sweep(&s->findings) : NULL;
}

const sp_tornado *sp_analysis_tornado(const sp_session *s)
{
    return s ? sp_findings_last_tornado(&s->findings) : NULL;
}

int sp_analysis_compare(const sp_session *s, const sp_results **rs, int max)
{
    int n = 0;
    if (!s)
        return 0;
    for (int i = 0; i < s->findings.ncmp && n < max; i++) {
        int e = sp_session_find(s, s->findings.cmp[i]);
        if (e >= 0 && s->e[e].res)
            rs[n++] = s->e[e].res;
    }
    return n;
}

int sp_analysis_export_order(const sp_session *s, int *idx, int max)
{
    int n = 0;
    for (int i = 0; i < s->findings.ncmp && n < max; i++) {
            int e = sp_session_find(s, s->findings.cmp[i]);
            int seen = 0;
            for (int k = 0; k < n; k++)
                seen |= idx[k] == e;
            if (e >= 0 && s->e[e].res && !seen)
                idx[n++] = e;
        }
    for (int i = 0; i < s->n && n < max; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++)
            seen |= idx[k] == i;
        if (s->e[i].res && !seen)
            idx[n++] = i;
    }
    return n;
}

static int json_path(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".json") == 0;
}

int sp_analysis_exports(const sp_session *s, const char *path)
{
    return (json_path(path) || sp_xlsx_path(path)) &&
           (sp_analysis_sweep(s) || sp_analysis_tornado(s));
}

/* Shortest text that reads back to x, with a decimal point whatever the
 * locale; null for what is not a number. */
static void jnum(FILE *f, double x)
{
    char buf[40];
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    fputs(buf, f);
}

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void write_sweep_json(FILE *f, const sp_sweep *sw)
{
    fputs("{\n    \"params\": [", f);
    for (int a = 0; a < sw->nparams; a++) {
        if (a)
            fputs(", ", f);
        jstr(f, sw->param[a]);
    }
    fputs("],\n    \"metric\": ", f);
    jstr(f, sw->metric_name);
    fputs(",\n    \"period\": ", f);
    jstr(f, sw->period);
    fprintf(f, ",\n    \"trials\": %d,\n    \"seed\": %lu,\n    \"points\": [",
            sw->trials, sw->seed);
    long np = (long)sw->n[0] * sw->n[1];
    for (long q = 0; q < np; q++) {
        const sp_sweep_point *p = &sw->points[q];
        fputs(q ? ",\n      {\"values\": [" : "\n      {\"values\": [", f);
        for (int a = 0; a < sw->nparams; a++) {
            if (a)
                fputs(", ", f);
            jnum(f, p->x[a]);
        }
        fputs("], \"metrics\": {", f);
        jstr(f, sw->metric_name);
        if (sw->metric == SP_METRIC_P_TARGET) {
            fputs(": ", f);
            jnum(f, p->p50);
        } else {
            fputs(": {\"mean\": ", f);
            jnum(f, p->mean);
            fputs(", \"p10\": ", f);
            jnum(f, p->p10);
            fputs(", \"p50\": ", f);
            jnum(f, p->p50);
            fputs(", \"p90\": ", f);
            jnum(f, p->p90);
            fputc('}', f);
        }
        fputs("}}", f);
    }
    fputs(np ? "\n    ]\n  }" : "]\n  }", f);
}

static void write_tornado_json(FILE *f, const sp_tornado *tn)
{
    fputs("{\n    \"metric\": ", f);
    jstr(f, tn->metric_name);
    fputs(",\n    \"stat\": ", f);
    jstr(f, tn->stat);
    fputs(",\n    \"period\": ", f);
    jstr(f, tn->period);
    fputs(",\n    \"swing\": ", f);
    jnum(f, tn->swing);
    fputs(",\n    \"base\": ", f);
    jnum(f, tn->base);
    fprintf(f, ",\n    \"trials\": %d,\n    \"seed\": %lu,\n    \"bars\": [",
            tn->trials, tn->seed);
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        fputs(i ? ",\n      {\"param\": " : "\n      {\"param\": ", f);
        jstr(f, b->param);
        fputs(", \"value\": ", f);
        jnum(f, b->value);
        fputs(", \"low\": ", f);
        jnum(f, b->low);
        fputs(", \"high\": ", f);
        jnum(f, b->high);
        fputs(", \"metric_low\": ", f);
        jnum(f, b->metric_low);
        fputs(", \"metric_high\": ", f);
        jnum(f, b->metric_high);
        fputs(", \"low_text\": ", f);
        jstr(f, b->low_text);
        fputs(", \"high_text\": ", f);
        jstr(f, b->high_text);
        fprintf(f, ", \"clamped_low\": %s, \"clamped_high\": %s}",
                b->clamped_low ? "true" : "false", b->clamped_high ? "true" : "false");
    }
    fputs(tn->nbars ? "\n    ]\n  }" : "]\n  }", f);
}

typedef struct {
    const sp_sweep *sw;
    const sp_tornado *tn;
} analysis_members;

static void write_analysis_members(FILE *f, void *ctx, int *members)
{
    const analysis_members *m = ctx;
    if (m->sw) {
        fputs((*members)++ ? ",\n  \"sweep\": " : "\n  \"sweep\": ", f);
        write_sweep_json(f, m->sw);
    }
    if (m->tn) {
        fputs((*members)++ ? ",\n  \"tornado\": " : "\n  \"tornado\": ", f);
        write_tornado_json(f, m->tn);
    }
}

/* The results document with the session's sweep and tornado as members of
 * the same object; export.c stays the one writer of the results' keys. */
sp_status sp_analysis_export_json(const sp_session *s, const char *path,
                                  const sp_results *const *rs, int n,
                                  sp_error *err)
{
    analysis_members m = {sp_analysis_sweep(s), sp_analysis_tornado(s)};
    if (!m.sw && !m.tn)
        return sp_export_json(path, rs, n, NULL, err);
    return sp_export_json_extra(path, rs, n, write_analysis_members, &m, err);
}

sp_status sp_analysis_export_file(const sp_session *s, const char *path,
                                  const sp_results *const *rs, int n,
                                  sp_error *err)
{
    if (json_path(path))
        return sp_analysis_export_json(s, path, rs, n, err);
    return sp_export_file(path, NULL, rs, n, NULL, err);
}
