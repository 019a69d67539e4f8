/* The analysis engine: metric specs, knobs and shared helpers (see
 * analysis.h for why every evaluation lines up with every other). */
#include "salesplan/analysis.h"
#include "salesplan/compile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "salesplan/dist.h"
#include "salesplan/export.h"
#include "salesplan/params.h"
#include "salesplan/report.h"
#include "salesplan/scenario.h"
#include "salesplan/sim.h"
#include "salesplan/table.h"
#include "salesplan/stats.h"

/* ---- small helpers ---------------------------------------------------- */

/* Sets err at token t (NULL: no place) and returns SP_CMD_BAD. */
int sp_an_fail(sp_error *err, sp_status st, const char *file,
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
int sp_an_code(sp_status st)
{
    return st == SP_ERR_RUN || st == SP_ERR_IO || st == SP_ERR_NOMEM
               ? SP_CMD_RUNFAIL : SP_CMD_BAD;
}

int sp_an_nomem(sp_error *err)
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

const char *sp_an_unit_example(sp_unit u)
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

const char *sp_an_currency(const sp_scenario *sc)
{
    sp_pref p = {sp_param_find("currency", SP_SCOPE_GLOBAL), -1};
    const sp_value *v = sp_scenario_value(sc, p);
    return v->str ? v->str : "";
}

/* A parameter's value for people: money in full (compact: three
 * significant digits), percentages with the digits they have, multipliers
 * with a sign. */
void sp_an_fmt_unit_c(double x, sp_unit u, const char *cur, int compact,
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

void sp_an_fmt_unit(double x, sp_unit u, const char *cur, char *buf)
{
    sp_an_fmt_unit_c(x, u, cur, 0, buf);
}

/* style 0: as the summary panel prints; 1: compact for narrow columns;
 * 2: enough digits to judge a goal seek's tolerance. */
void sp_an_fmt_metric(int metric, double x, const char *cur, int style,
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

int sp_an_is_word(const sp_token *t, const char *w)
{
    return !t->quoted && strcmp(t->s, w) == 0;
}

/* `trials N` and `seed S` after an analysis statement. */
int sp_an_parse_opts(const sp_tokens *t, int *i, const char *file,
                           double *trials, double *seed, sp_error *err)
{
    const sp_token *k = &t->v[*i];
    int is_trials = sp_an_is_word(k, "trials");
    if (!is_trials && !sp_an_is_word(k, "seed"))
        return 1;
    if (*i + 1 >= t->n) {
        sp_an_fail(err, SP_ERR_PARSE, file, k, "expected a number after '%s'",
                k->s);
        return -1;
    }
    const sp_token *v = &t->v[++*i];
    const sp_param *pp = &sp_params[sp_param_find(is_trials ? "trials" : "seed",
                                                  SP_SCOPE_GLOBAL)];
    double x, lo = pp->lo, hi = pp->hi;
    if (sp_parse_whole(v->s, &x) != 0 || x < lo || x > hi) {
        sp_an_fail(err, SP_ERR_PARSE, file, v,
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


static const char *const stat_words[SP_NPCT] = {"p5", "p10", "p25", "p50",
                                                "p75", "p90", "p95"};

int sp_an_stat_parse(const char *w)
{
    if (strcasecmp(w, "mean") == 0)
        return SP_STAT_MEAN;
    for (int k = 0; k < SP_NPCT; k++)
        if (strcasecmp(w, stat_words[k]) == 0)
            return k;
    return SP_STAT_NONE;
}

const char *sp_an_stat_name(int st)
{
    return st == SP_STAT_MEAN ? "mean" : stat_words[st];
}

double sp_an_stat_value(const sp_stat *s, int st)
{
    return st == SP_STAT_MEAN ? s->mean : s->p[st];
}


void sp_mspec_default(sp_mspec *ms)
{
    memset(ms, 0, sizeof *ms);
    ms->metric = SP_M_BOOKINGS;
    ms->stat = SP_P50;
}

/* A fiscal quarter alone: Q1 .. Q4. */
static int is_quarter_word(const char *w)
{
    return (w[0] == 'Q' || w[0] == 'q') && w[1] >= '1' && w[1] <= '4' &&
           !w[2];
}

/* total, FY2027, FY2027Q1 (or FY2027-Q1), Q1; "FY2027 Q1" is two words,
 * joined by sp_mspec_parse_opts. */
static int is_period_word(const char *w)
{
    return strcasecmp(w, "total") == 0 || is_quarter_word(w) ||
           ((w[0] == 'F' || w[0] == 'f') && (w[1] == 'Y' || w[1] == 'y') &&
            isdigit((unsigned char)w[2]));
}

int sp_mspec_parse_name(const sp_scenario *sc, const sp_token *tok,
                            const char *file, sp_mspec *ms, sp_error *err)
{
    const char *w = tok->s;
    if (strcasecmp(w, "p(target)") == 0 || strcasecmp(w, "p_target") == 0) {
        ms->metric = SP_METRIC_P_TARGET;
        ms->role[0] = 0;
        return 0;
    }
    if (strcasecmp(w, "p(budget)") == 0 || strcasecmp(w, "p_budget") == 0) {
        ms->metric = SP_METRIC_P_BUDGET;
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
            return sp_an_fail(err, SP_ERR_UNKNOWN, file, tok,
                           "unknown metric '%s'; did you mean '%s'?", name, best);
        return sp_an_fail(err, SP_ERR_UNKNOWN, file, tok,
                       "expected a metric (bookings, cost, cos, contribution, "
                       "headcount, ..., METRIC.ROLE or p(target)), found '%s'",
                       w);
    }
    ms->metric = m;
    ms->role[0] = 0;
    if (dot) {
        if (sp_metric_total_only(m))
            return sp_an_fail(err, SP_ERR_INVALID, file, tok,
                           "%s exists for the whole team only (write %s)",
                           name, name);
        if (sp_role_find(sc, dot) < 0)
            return sp_an_fail(err, SP_ERR_UNKNOWN, file, tok,
                           "unknown role '%s' in '%s'", dot, w);
        snprintf(ms->role, sizeof ms->role, "%s", dot);
    }
    return 0;
}

/* After the metric: a statistic and a period, in either order. */
void sp_mspec_parse_opts(const sp_tokens *t, int *i, sp_mspec *ms)
{
    while (*i < t->n) {
        const char *w = t->v[*i].s;
        int st = sp_an_stat_parse(w);
        if (st != SP_STAT_NONE) {
            ms->stat = st;
        } else if (is_period_word(w)) {
            snprintf(ms->period, sizeof ms->period, "%s", w);
            if (!is_quarter_word(w) && *i + 1 < t->n &&
                is_quarter_word(t->v[*i + 1].s))
                snprintf(ms->period, sizeof ms->period, "%s %s", w,
                         t->v[++*i].s);
        } else {
            break;
        }
        (*i)++;
    }
}

void sp_mspec_name(const sp_mspec *ms, char *buf, size_t n)
{
    if (sp_metric_is_prob(ms->metric))
        snprintf(buf, n, "%s", sp_metric_info_of(ms->metric)->name);
    else if (ms->role[0])
        snprintf(buf, n, "%s.%s", sp_metric_name(ms->metric), ms->role);
    else
        snprintf(buf, n, "%s", sp_metric_name(ms->metric));
}

/* "cos.ae P50 (FY2027)", "P(target) (FY2027)". */
void sp_mspec_describe(const sp_mspec *ms, int with_stat, char *buf, size_t n)
{
    char name[80];
    if (sp_metric_is_prob(ms->metric))
        snprintf(name, sizeof name, "%s", sp_metric_label(ms->metric));
    else
        sp_mspec_name(ms, name, sizeof name);
    const char *per = ms->label[0] ? ms->label : ms->period;
    int total = strcasecmp(per, "total") == 0;
    char st[8] = "";
    if (with_stat && !sp_metric_is_prob(ms->metric)) {
        snprintf(st, sizeof st, "%s", sp_an_stat_name(ms->stat));
        for (char *c = st; *c; c++)
            *c = (char)toupper((unsigned char)*c);
        if (ms->stat == SP_STAT_MEAN)
            snprintf(st, sizeof st, "mean");
    }
    snprintf(buf, n, "%s%s%s (%s)", name, st[0] ? " " : "", st,
             total ? "horizon total" : per);
}

/* Labels compare without case, spaces or dashes: FY2027Q1, "FY2027 Q1"
 * and FY2027-Q1 name the same quarter. */
static int label_is(const char *label, const char *w)
{
    for (;;) {
        while (*label == ' ' || *label == '-')
            label++;
        while (*w == ' ' || *w == '-')
            w++;
        if (tolower((unsigned char)*label) != tolower((unsigned char)*w))
            return 0;
        if (!*label)
            return 1;
        label++;
        w++;
    }
}

/* A fiscal quarter named by ms->period: its label, or Qn alone for the
 * first quarter Qn of the horizon; -1 when none. */
static int quarter_of(const sp_mspec *ms, const sp_results *r)
{
    for (int k = 0; k < r->nquarters; k++) {
        int p = r->nperiods + k;
        if (label_is(r->periods[p].label, ms->period) ||
            (is_quarter_word(ms->period) &&
             r->periods[p].quarter == ms->period[1] - '0'))
            return p;
    }
    return -1;
}

static int period_of(const sp_mspec *ms, const sp_results *r, sp_error *err)
{
    int tp = -1, first = -1;
    for (int p = 0; p < r->nperiods; p++) {
        if (r->periods[p].is_total)
            tp = p;
        else if (first < 0)
            first = p;
    }
    int prob = sp_metric_is_prob(ms->metric);
    const char *pname = ms->metric == SP_METRIC_P_BUDGET ? "p(budget)"
                                                         : "p(target)";
    if (!ms->period[0])
        return prob ? first : tp;
    if (strcasecmp(ms->period, "total") == 0) {
        if (prob) {
            sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                         "%s is a fiscal year's: name one (e.g. %s)", pname,
                         first >= 0 ? r->periods[first].label : "FY2027");
            return -1;
        }
        return tp;
    }
    for (int p = 0; p < r->nperiods; p++)
        if (!r->periods[p].is_total &&
            strcasecmp(r->periods[p].label, ms->period) == 0)
            return p;
    int q = quarter_of(ms, r);
    if (q >= 0 && ms->metric == SP_METRIC_P_BUDGET) {
        sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                     "p(budget) is a fiscal year's (budgets are set per "
                     "fiscal year): name one (e.g. %s)",
                     first >= 0 ? r->periods[first].label : "FY2027");
        return -1;
    }
    if (q >= 0)
        return q;
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
sp_status sp_mspec_eval(sp_mspec *ms, const sp_results *r, sp_stat *out,
                            sp_error *err)
{
    int p = period_of(ms, r, err);
    if (p < 0)
        return err->status ? err->status : SP_ERR_USAGE;
    snprintf(ms->label, sizeof ms->label, "%s",
             r->periods[p].is_total ? "total" : r->periods[p].label);
    if (sp_metric_is_prob(ms->metric)) {
        int bu = ms->metric == SP_METRIC_P_BUDGET;
        const double *pv = bu ? r->p_budget : r->p_target;
        double v = pv ? pv[p] : NAN;
        if (isnan(v))
            return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                                "no %s for %s (set %s with one amount per "
                                "fiscal year)", bu ? "cost budget" : "bookings target",
                                ms->label, bu ? "budget" : "target");
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
        sp_mspec_name(ms, name, sizeof name);
        return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                            "%s is not computed for this scenario (a role "
                            "that books nothing has no bookings)", name);
    }
    *out = r->pstats[(size_t)p * r->npseries + s];
    return SP_OK;
}

/* ---- evaluations ------------------------------------------------------ */

sp_status sp_an_metric(sp_job *j, const sp_scenario *sc, sp_mspec *ms,
                       sp_stat *out, sp_error *err)
{
    sp_results r;
    sp_status st = sp_job_run(j, sc, 0, &r, err);
    if (st == SP_OK)
        st = sp_mspec_eval(ms, &r, out, err);
    sp_results_free(&r);
    return st;
}

/* ---- changing one number of a scenario --------------------------------- */



double sp_an_inside_lo(const sp_param *par)
{
    return (par->flags & SP_PF_LO_OPEN) ? par->lo + fmax(1e-9, fabs(par->lo) * 1e-9)
                                        : par->lo;
}

double sp_an_inside_hi(const sp_param *par)
{
    return (par->flags & SP_PF_HI_OPEN) ? par->hi - fmax(1e-9, fabs(par->hi) * 1e-9)
                                        : par->hi;
}

int sp_knob_resolve(const sp_scenario *sc, const sp_token *tok,
                        const char *file, sp_knob *k, sp_error *err)
{
    memset(k, 0, sizeof *k);
    if (sp_scenario_resolve(sc, tok, file, &k->p, err))
        return -1;
    const sp_param *par = &sp_params[k->p.param];
    sp_pref_name(sc, k->p, k->name, sizeof k->name);
    k->unit = par->unit;
    k->integer = par->type == SP_T_INT;
    k->lo = sp_an_inside_lo(par);
    k->hi = sp_an_inside_hi(par);
    switch (par->type) {
    case SP_T_NUM:
    case SP_T_INT:
        if (strcmp(par->name, "trials") == 0 || strcmp(par->name, "seed") == 0) {
            sp_an_fail(err, SP_ERR_USAGE, file, tok,
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
    sp_an_fail(err, SP_ERR_USAGE, file, tok,
            "%s is not one number: expected a count, an amount, a rate, a "
            "distribution (its mean moves), a ramp (its length) or hires with "
            "one entry (its count)", k->name);
    return -1;
}

int sp_knob_get(const sp_scenario *sc, const sp_knob *k, double *x)
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
int sp_knob_current(const sp_scenario *sc, const sp_knob *k, double *x)
{
    if (sp_knob_get(sc, k, x) == 0)
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
void sp_an_dist_scale(sp_dist *d, double f, int location)
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
    return strcmp(sp_params[p.param].name, "attainment") == 0 ||
           strcmp(sp_params[p.param].name, "capacity") == 0;
}

void sp_an_quota_note(FILE *f, const sp_scenario *sc, sp_pref p)
{
    if (!f || p.role < 0 || strcmp(sp_params[p.param].name, "quota") != 0)
        return;
    sp_pref cap = {sp_param_find("capacity", SP_SCOPE_ROLE), p.role};
    if (sp_scenario_is_set(sc, cap))
        return;
    const char *id = sc->roles[p.role].id;
    fprintf(f, "note: %s has no capacity, so its quota stands in for "
               "productivity (capacity = attainment x first-year quota): "
               "moving %s.quota moves bookings too, not only attainment "
               "and pay.  Set %s.capacity to hold what %s sells fixed.\n",
            id, id, id, id);
}

/* A ramp of n months.  `linear N` becomes `linear n`; a list is stretched
 * or shrunk: month j of the new ramp takes the old curve at the same
 * fraction of its length (the midpoints of months, linearly interpolated),
 * so the shape stays and only its pace changes. */
int sp_an_ramp_resize(const sp_value *cur, int n, sp_value *out)
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
sp_status sp_an_put_value(sp_scenario *sc, sp_pref p, const sp_value *v,
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

sp_status sp_knob_set(sp_scenario *sc, const sp_knob *k, double x,
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
        if (sp_an_ramp_resize(cur, (int)x, &v))
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
        sp_an_dist_scale(&v.dist, x / mean, dist_by_location(k->p));
        break;
    }
    }
    sp_status st = sp_an_put_value(sc, k->p, &v, err);
    sp_value_free(&v);
    return st;
}

/* A copy of base with the knobs at x[0..nk-1]. */
sp_scenario *sp_knob_variant(const sp_scenario *base, const sp_knob *k,
                            const double *x, int nk, sp_error *err)
{
    sp_scenario *c = sp_scenario_clone(base, NULL);
    if (!c) {
        sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    for (int i = 0; i < nk; i++)
        if (sp_knob_set(c, &k[i], x[i], err)) {
            sp_scenario_free(c);
            return NULL;
        }
    return c;
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
