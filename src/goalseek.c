/* `goalseek PARAM for METRIC = VALUE`: the value of one parameter that
 * meets a goal, found like a spreadsheet's Goal Seek and set. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "salesplan/analysis.h"
#include "salesplan/goalseek.h"
#include "salesplan/table.h"

typedef struct {
    sp_job *rn;
    const sp_scenario *base;
    const sp_knob *k;
    sp_mspec *ms;
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
    sp_scenario *v = sp_knob_variant(sk->base, sk->k, &x, 1, sk->err);
    sp_stat st;
    sp_status e = v ? sp_an_metric(sk->rn, v, sk->ms, &st, sk->err) : sk->err->status;
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
    *m = sp_an_stat_value(&st, sk->ms->stat);
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
    const sp_knob *k = sk->k;
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
    const sp_knob *k = sk->k;
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

static void describe_range(const sp_knob *k, const char *cur, char *buf, size_t n)
{
    const sp_param *par = &sp_params[k->p.param];
    char lo[SP_FMT_MAX], hi[SP_FMT_MAX];
    /* the parameter's own bounds, not the values just inside an open one */
    int lo_open = k->lo != par->lo, hi_open = k->hi != par->hi;
    sp_an_fmt_unit(lo_open ? par->lo : k->lo, k->unit, cur, lo);
    sp_an_fmt_unit(hi_open ? par->hi : k->hi, k->unit, cur, hi);
    snprintf(buf, n, "%s%s, %s%s", lo_open ? "(" : "[", lo, hi, hi_open ? ")" : "]");
}

/* A value of the parameter as people read it: the text `get` prints, and
 * for money the amount with its currency sign. */
static void describe_value(const sp_scenario *sc, const sp_knob *k, double x,
                           const char *text, char *buf, size_t n)
{
    char money[SP_FMT_MAX] = "";
    if (k->unit == SP_U_MONEY && (k->kind == KN_NUM || k->kind == KN_LIST))
        sp_fmt_money(x, sp_an_currency(sc), money, sizeof money);
    snprintf(buf, n, "%s%s%s%s", text, money[0] ? " (" : "", money,
             money[0] ? ")" : "");
}

/* `= VALUE` or `=VALUE` at t->v[*i]. */
static const sp_token *goal_token(const sp_tokens *t, int *i, const char **vs)
{
    if (*i < t->n && sp_an_is_word(&t->v[*i], "=") && *i + 1 < t->n) {
        *vs = t->v[*i + 1].s;
        *i += 2;
        return &t->v[*i - 1];
    }
    if (*i < t->n && t->v[*i].s[0] == '=' && t->v[*i].s[1]) {
        *vs = t->v[*i].s + 1;
        return &t->v[(*i)++];
    }
    return NULL;
}

/* The search starts from the value in force, inside the range. */
static int start_value(const sp_scenario *sc, sp_goalseek_request *rq, const sp_tokens *t,
                       const char *file, sp_error *err)
{
    sp_knob *k = &rq->k;
    double x0;
    if (sp_knob_current(sc, k, &x0) != 0) {
        if (k->kind == KN_HIRES)
            return sp_an_fail(err, SP_ERR_USAGE, file, &t->v[1],
                              "%s needs exactly one MONTH:COUNT entry to seek "
                              "its count", k->name);
        x0 = k->lo > 0 ? k->lo : (k->hi >= 1 ? 1 : k->hi);
    }
    x0 = fmin(fmax(x0, k->lo), k->hi);
    if (k->integer)
        x0 = fmin(fmax(floor(x0 + 0.5), ceil(k->lo)), floor(k->hi));
    rq->x0 = x0;
    return SP_CMD_OK;
}

int sp_goalseek_parse(const sp_scenario *sc, const sp_tokens *t, const char *file,
                 sp_goalseek_request *rq, sp_error *err)
{
    memset(rq, 0, sizeof *rq);
    rq->seed = -1;
    if (sp_knob_resolve(sc, &t->v[1], file, &rq->k, err))
        return SP_CMD_BAD;
    if (t->n < 4 || !sp_an_is_word(&t->v[2], "for"))
        return sp_an_fail(err, SP_ERR_PARSE, file,
                          &t->v[t->n > 2 ? 2 : t->n - 1],
                          "expected `goalseek PARAM for METRIC [STAT] = VALUE`");
    sp_mspec_default(&rq->ms);
    if (sp_mspec_parse_name(sc, &t->v[3], file, &rq->ms, err))
        return SP_CMD_BAD;
    int i = 4;
    sp_mspec_parse_opts(t, &i, &rq->ms);
    const char *vs = NULL;
    const sp_token *vt = goal_token(t, &i, &vs);
    if (!vt)
        return sp_an_fail(err, SP_ERR_PARSE, file,
                          &t->v[i < t->n ? i : t->n - 1],
                          "expected `= VALUE` after the metric, found '%s'",
                          i < t->n ? t->v[i].s : "end of statement");
    sp_unit mu = sp_metric_unit(rq->ms.metric);
    if (sp_parse_number_in_unit(vs, mu, &rq->goal) != 0)
        return sp_an_fail(err, SP_ERR_PARSE, file, vt,
                          "expected %s as the goal, found '%s'",
                          sp_an_unit_example(mu), vs);
    while (i < t->n) {
        int r = sp_an_parse_opts(t, &i, file, &rq->trials, &rq->seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r > 0)
            return sp_an_fail(err, SP_ERR_PARSE, file, &t->v[i],
                              "expected trials N or seed S, found '%s'",
                              t->v[i].s);
    }
    return start_value(sc, rq, t, file, err);
}

/* Brent's method inside the bracket [a, b]: the best value seen, within
 * tol of the goal when the metric is continuous there. */
static sp_status brent(seek *sk, double a, double b, double tol, double *xout)
{
    gsl_function F = {seek_f, sk};
    gsl_root_fsolver *sv = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!sv)
        return sp_error_set(sk->err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    int gs = gsl_root_fsolver_set(sv, &F, a, b);
    double x = fabs(seek_f(a, sk)) < fabs(seek_f(b, sk)) ? a : b;
    for (int it = 0; gs == GSL_SUCCESS && it < 100 && !sk->failed; it++) {
        if (fabs(seek_f(x, sk)) <= tol)
            break;
        gs = gsl_root_fsolver_iterate(sv);
        if (sk->failed || gs != GSL_SUCCESS)
            break;
        double r0 = gsl_root_fsolver_root(sv);
        double fr = seek_f(r0, sk);
        if (sk->failed)
            break;
        if (fabs(fr) < fabs(seek_f(x, sk)))
            x = r0;
        double lo = gsl_root_fsolver_x_lower(sv);
        double hi = gsl_root_fsolver_x_upper(sv);
        if (hi - lo <= 1e-12 * fmax(1, fabs(r0)))
            break;
    }
    gsl_root_fsolver_free(sv);
    *xout = x;
    if (sk->failed)
        return sk->err->status;
    if (gs != GSL_SUCCESS)
        return sp_error_set(sk->err, SP_ERR_RUN, NULL, 0,
                            "goalseek: root finder failed: %s",
                            gsl_strerror(gs));
    return SP_OK;
}

/* The metric jumps across the goal (P(target) moves in steps of 1/trials):
 * the value inside the bracket that reaches the goal, on the side the
 * metric moves, closest to it. */
static void closest_reaching(seek *sk, double a, double b, sp_goalseek_outcome *o)
{
    double best = NAN;
    for (int q = 0; q < sk->n; q++)
        if (sk->xs[q] >= a && sk->xs[q] <= b &&
            reaches(sk->ms_vals[q], sk->goal, o->rising) &&
            (isnan(best) ||
             fabs(sk->ms_vals[q] - sk->goal) < fabs(seek_f(best, sk))))
            best = sk->xs[q];
    if (!isnan(best))
        o->x = best;
    o->exact = 0;
    snprintf(o->note, sizeof o->note,
             "the metric jumps across the goal near this value%s: this is "
             "the closest value that reaches it",
             sp_metric_is_prob(sk->ms->metric)
                 ? " (P(target) moves in steps of 1/trials)" : "");
}

/* A rounder value than o->x that still meets the tolerance. */
static sp_status round_answer(seek *sk, sp_goalseek_outcome *o)
{
    for (int dg = 3; dg <= 8; dg++) {
        double xr = round_sig(o->x, dg);
        if (xr == o->x)
            break;
        if (xr < sk->k->lo || xr > sk->k->hi)
            continue;
        double fr = seek_f(xr, sk);
        if (sk->failed)
            return sk->err->status;
        if (fabs(fr) <= o->tol) {
            o->x = xr;
            break;
        }
    }
    return SP_OK;
}

/* Continuous parameters: Brent needs the objective to change sign, so a
 * bracket whose ends lie on either side of the goal is the crossing
 * itself, and without one no value in range meets the goal (never a bound
 * that merely comes closest). */
static sp_status seek_continuous(seek *sk, double x0, sp_goalseek_outcome *o)
{
    double goal = sk->goal;
    o->tol = goal != 0 ? 1e-4 * fabs(goal) : 0;
    if (goal == 0) {
        double m0;
        if (seek_eval(sk, x0, &m0))
            return sk->err->status;
        o->tol = 1e-4 * fmax(fabs(m0), 1e-12);
    }
    double a = NAN, b = NAN;
    int r = bracket(sk, x0, &a, &b);
    if (r < 0)
        return sk->err->status;
    o->found = r;
    if (!r || a == b) {
        o->x = a;
        return SP_OK;
    }
    o->rising = seek_f(b, sk) > seek_f(a, sk);
    sp_status st = brent(sk, a, b, o->tol, &o->x);
    if (st)
        return st;
    if (fabs(seek_f(o->x, sk)) > o->tol) {
        closest_reaching(sk, a, b, o);
        return SP_OK;
    }
    return round_answer(sk, o);
}

/* The search: o says whether and where the goal is met. */
static sp_status search(seek *sk, sp_goalseek_request *rq, sp_goalseek_outcome *o)
{
    memset(o, 0, sizeof *o);
    o->x = o->below = NAN;
    o->rising = o->exact = 1;
    sp_status st;
    if (rq->k.integer) {
        int r = seek_integer(sk, rq->x0, &o->x, &o->below, &o->rising);
        if (r < 0)
            return sk->err->status;
        o->found = r;
    } else if ((st = seek_continuous(sk, rq->x0, o))) {
        return st;
    }
    if (o->found && seek_eval(sk, o->x, &o->mx))
        return sk->err->status;
    if (o->found && !isnan(o->below) && seek_eval(sk, o->below, &o->mbelow))
        return sk->err->status;
    return SP_OK;
}

/* Where the search ended on each side: the range's ends, unless it gave
 * up before reaching one. */
static void record_ends(const seek *sk, sp_goalseek_outcome *o)
{
    int qlo = 0, qhi = 0;
    for (int q = 1; q < sk->n; q++) {
        if (sk->xs[q] < sk->xs[qlo])
            qlo = q;
        if (sk->xs[q] > sk->xs[qhi])
            qhi = q;
    }
    o->evals = sk->n;
    o->xlo = sk->n ? sk->xs[qlo] : NAN;
    o->mlo = sk->n ? sk->ms_vals[qlo] : NAN;
    o->xhi = sk->n ? sk->xs[qhi] : NAN;
    o->mhi = sk->n ? sk->ms_vals[qhi] : NAN;
}

sp_status sp_goalseek_compute(sp_session *s, const sp_scenario *sc,
                         sp_goalseek_request *rq, sp_goalseek_outcome *o, sp_error *err)
{
    sp_job job;
    sp_job_begin(&job, s, sc, "runs", 0, rq->trials, rq->seed);
    seek sk = {&job, sc, &rq->k, &rq->ms, rq->goal, 0, err, 0, 0, NULL, NULL};
    sp_status st = search(&sk, rq, o);
    sp_job_end(&job);
    record_ends(&sk, o);
    o->trials = job.trials;
    o->seed = job.seed;
    free(sk.xs);
    free(sk.ms_vals);
    return st;
}

/* No value in range meets the goal: say where the search ended. */
static int no_crossing(const sp_goalseek_outcome *o, const sp_goalseek_request *rq, const char *cur,
                       sp_error *err)
{
    const sp_knob *k = &rq->k;
    char desc[160], gtxt[SP_FMT_MAX], range[2 * SP_FMT_MAX + 8];
    sp_mspec_describe(&rq->ms, 1, desc, sizeof desc);
    sp_an_fmt_metric(rq->ms.metric, rq->goal, cur, 2, gtxt);
    describe_range(k, cur, range, sizeof range);
    char a[SP_FMT_MAX], b[SP_FMT_MAX], xa[SP_FMT_MAX], xb[SP_FMT_MAX];
    sp_an_fmt_metric(rq->ms.metric, o->mlo, cur, 2, a);
    sp_an_fmt_metric(rq->ms.metric, o->mhi, cur, 2, b);
    sp_an_fmt_unit(o->xlo, k->unit, cur, xa);
    sp_an_fmt_unit(o->xhi, k->unit, cur, xb);
    sp_error_set(err, SP_ERR_RUN, NULL, 0,
                 "goalseek: no value of %s in %s %s %s = %s: it is %s at "
                 "%s = %s and %s at %s = %s, and never crosses the goal "
                 "over the %d values tried; %s is unchanged",
                 k->name, range, k->integer ? "reaches" : "gives", desc, gtxt,
                 a, k->name, xa, b, k->name, xb, o->evals, k->name);
    return SP_CMD_RUNFAIL;
}

static void print_outcome(sp_session *s, const sp_scenario *sc,
                          const sp_goalseek_request *rq, const sp_goalseek_outcome *o,
                          const char *before)
{
    const sp_knob *k = &rq->k;
    const char *cur = sp_an_currency(sc);
    char desc[160], gtxt[SP_FMT_MAX];
    sp_mspec_describe(&rq->ms, 1, desc, sizeof desc);
    sp_an_fmt_metric(rq->ms.metric, rq->goal, cur, 2, gtxt);
    char *after = sp_scenario_value_text(sc, k->p);
    char mtxt[SP_FMT_MAX], tr[SP_FMT_MAX], vtxt[2 * SP_FMT_MAX + 160];
    sp_an_fmt_metric(rq->ms.metric, o->mx, cur, 2, mtxt);
    sp_fmt_count(o->trials, 0, tr, sizeof tr);
    describe_value(sc, k, o->x, after ? after : "?", vtxt, sizeof vtxt);
    fprintf(s->out, "goalseek: %s = %s gives %s = %s (goal %s)\n", k->name,
            vtxt, desc, mtxt, gtxt);
    if (k->integer) {
        fprintf(s->out, "  %.0f is the smallest value that reaches the goal "
                        "(the metric %s as %s grows: at or %s %s)",
                o->x, o->rising ? "rises" : "falls", k->name,
                o->rising ? "above" : "below", gtxt);
        if (!isnan(o->below)) {
            char ot[SP_FMT_MAX];
            sp_an_fmt_metric(rq->ms.metric, o->mbelow, cur, 2, ot);
            fprintf(s->out, "; %.0f gives %s\n", o->below, ot);
        } else {
            fprintf(s->out, "; it is the lowest in range\n");
        }
    } else if (o->exact) {
        char tt[SP_FMT_MAX];
        sp_an_fmt_metric(rq->ms.metric, o->tol, cur, 2, tt);
        fprintf(s->out, "  tolerance: within %s of the goal (1e-4 relative)\n",
                tt);
    } else {
        fprintf(s->out, "  note: %s\n", o->note);
    }
    fprintf(s->out, "  %d evaluations of %s trials, seed %lu (same random "
                    "numbers each time); was %s\n",
            o->evals, tr, o->seed, before ? before : "?");
    free(after);
}

/* The finding of a goal seek, for export. */
static void record_seek(const sp_scenario *sc,
                        const sp_goalseek_request *rq,
                        const sp_goalseek_outcome *o, const char *before,
                        const char *after, sp_seek *sk)
{
    memset(sk, 0, sizeof *sk);
    snprintf(sk->scenario, sizeof sk->scenario, "%s", sc->name);
    snprintf(sk->param, sizeof sk->param, "%s", rq->k.name);
    sk->unit = rq->k.unit;
    sp_mspec_name(&rq->ms, sk->metric_name, sizeof sk->metric_name);
    sk->metric = rq->ms.metric;
    snprintf(sk->stat, sizeof sk->stat, "%s",
             sp_metric_is_prob(rq->ms.metric) ? "value"
                                                 : sp_an_stat_name(rq->ms.stat));
    snprintf(sk->period, sizeof sk->period, "%s", rq->ms.label);
    sk->goal = rq->goal;
    sk->found = o->found;
    sk->value = o->found ? o->x : NAN;
    sk->metric_value = o->found ? o->mx : NAN;
    snprintf(sk->value_text, sizeof sk->value_text, "%s", after ? after : "");
    snprintf(sk->before_text, sizeof sk->before_text, "%s",
             before ? before : "");
    sk->evals = o->evals;
    sk->trials = o->trials;
    sk->seed = o->seed;
    snprintf(sk->currency, sizeof sk->currency, "%s", sp_an_currency(sc));
}

int sp_cmd_goalseek(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return sp_an_nomem(err);
    sp_goalseek_request rq;
    int rc = sp_goalseek_parse(sc, t, file, &rq, err);
    if (rc != SP_CMD_OK || s->dry)
        return rc;
    sp_goalseek_outcome o;
    sp_status st = sp_goalseek_compute(s, sc, &rq, &o, err);
    if (st)
        return sp_an_code(st);
    char *before = sp_scenario_value_text(sc, rq.k.p);
    sp_seek sk;
    if (!o.found) {
        /* the note explains the flat attainment of a quota that is also
         * the reps' productivity */
        sp_an_quota_note(s->out, sc, rq.k.p);
        /* The answer "no value meets the goal" is a finding too. */
        record_seek(sc, &rq, &o, before, NULL, &sk);
        free(before);
        if (sp_findings_add_seek(&s->findings, &sk))
            return sp_an_nomem(err);
        return no_crossing(&o, &rq, sp_an_currency(sc), err);
    }
    if ((st = sp_knob_set(sc, &rq.k, o.x, err))) {
        rc = sp_an_code(st);
    } else {
        print_outcome(s, sc, &rq, &o, before);
        sp_an_quota_note(s->out, sc, rq.k.p);
        char *after = sp_scenario_value_text(sc, rq.k.p);
        record_seek(sc, &rq, &o, before, after, &sk);
        free(after);
        if (sp_findings_add_seek(&s->findings, &sk))
            rc = sp_an_nomem(err);
    }
    free(before);
    return rc;
}
