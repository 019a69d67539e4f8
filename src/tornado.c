/* `tornado [metric M] [swing X%]`: every input moved down and up, the
 * metric's swing, largest first. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "salesplan/analysis.h"
#include "salesplan/dist.h"
#include "salesplan/table.h"
#include "salesplan/tornado.h"
#include "salesplan/utf8.h"

#define MAX_INPUTS 512

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

static int any_positive(const sp_value *v)
{
    for (int k = 0; k < v->n; k++)
        if (v->list[k] > 0)
            return 1;
    return 0;
}

/* Staffing and, for quota roles, productivity. */
static void team_inputs(const sp_scenario *sc, int r, input *in, int *n)
{
    if (val(sc, r, "headcount")->num > 0)
        add_input(in, n, r, "headcount", IN_INT);
    const sp_value *h = val(sc, r, "hires");
    double hires = 0;
    for (int k = 0; k < h->n; k++)
        hires += h->pairs[k].y;
    if (hires > 0)
        add_input(in, n, r, "hires", IN_HIRES);
    const sp_value *hp = val(sc, r, "headcount_plan");
    double planned = 0;
    for (int k = 0; k < hp->n; k++)
        planned += hp->pairs[k].y;
    if (planned > 0)
        add_input(in, n, r, "headcount_plan", IN_HIRES);
    /* A ratio that drives output is a decision the tornado should weigh:
     * the span moves cost and coverage, the share how much coverage
     * matters.  (A manager's span without a share moves cost only and
     * stays out, as before.) */
    int share = val(sc, r, "support_share")->num > 0;
    if (is_set(sc, r, "span") && (share || is_set(sc, r, "supports")))
        add_input(in, n, r, "span", IN_INT);
    if (share)
        add_input(in, n, r, "support_share", IN_NUM);
    if (sc->roles[r].kind == SP_KIND_QUOTA) {
        if (any_positive(val(sc, r, "quota")))
            add_input(in, n, r, "quota", IN_LIST);
        /* what a rep sells: its capacity, or without one its attainment */
        const sp_value *cap = val(sc, r, "capacity");
        const sp_value *a = val(sc, r, "attainment");
        if (cap->type == SP_T_DIST && sp_dist_mean(&cap->dist) > 0)
            add_input(in, n, r, "capacity", IN_DIST_LOC);
        else if (a->type == SP_T_DIST && sp_dist_mean(&a->dist) > 0)
            add_input(in, n, r, "attainment", IN_DIST_LOC);
        if (is_set(sc, r, "ramp") && val(sc, r, "ramp")->n >= 1)
            add_input(in, n, r, "ramp", IN_RAMP);
        if (val(sc, r, "volatility")->num > 0)
            add_input(in, n, r, "volatility", IN_NUM);
    }
    if (any_positive(val(sc, r, "attrition")))
        add_input(in, n, r, "attrition", IN_LIST);
    const sp_value *ttf = val(sc, r, "time_to_fill");
    if (ttf->type == SP_T_DIST && sp_dist_mean(&ttf->dist) > 0)
        add_input(in, n, r, "time_to_fill", IN_DIST_VAR);
}

/* Base, target pay, tiers, cap and bonus. */
static void pay_inputs(const sp_scenario *sc, int r, input *in, int *n)
{
    int rate = is_set(sc, r, "rate"), ti = is_set(sc, r, "target_incentive");
    int ote = is_set(sc, r, "ote");
    double base = val(sc, r, "base")->num;
    if (rate)
        add_input(in, n, r, "rate", IN_NUM);
    /* with a rate the target incentive no longer sets commission; with a
     * target incentive ote is not read */
    if (!rate && ote && !ti)
        add_input(in, n, r, "ote", IN_NUM);
    if (!rate && ti)
        add_input(in, n, r, "target_incentive", IN_NUM);
    if (base > 0)
        add_input(in, n, r, "base", IN_NUM);
    int paid = rate || (ti && val(sc, r, "target_incentive")->num > 0) ||
               (!ti && ote && val(sc, r, "ote")->num > base);
    if (paid)
        add_input(in, n, r, "tiers", IN_TIERS);
    if (paid && is_set(sc, r, "cap"))
        add_input(in, n, r, "cap", IN_NUM);
    if (val(sc, r, "bonus")->num > 0)
        add_input(in, n, r, "bonus", IN_NUM);
}

/* The amounts of compound values: `ROLE.pool RATE of X` (an override when
 * ROLE manages X) moves its rate, not the role it is a share of; an award,
 * a draw or a guarantee moves its amount, not how many win or how many
 * months are covered (a rule, not a level). */
static void amount_inputs(const sp_scenario *sc, int r, input *in, int *n)
{
    const sp_value *pool = val(sc, r, "pool");
    if (pool->type == SP_T_POOL && pool->str && pool->num > 0)
        add_input(in, n, r, "pool", IN_AMOUNT);
    const sp_value *aw = val(sc, r, "award");
    if (aw->type == SP_T_AWARD && aw->n > 0 && aw->num > 0)
        add_input(in, n, r, "award", IN_AMOUNT);
    const sp_value *dr = val(sc, r, "draw");
    if (dr->type == SP_T_DRAW && dr->n != 0 && dr->num > 0)
        add_input(in, n, r, "draw", IN_AMOUNT);
    const sp_value *gu = val(sc, r, "guarantee");
    if (gu->type == SP_T_GUARANTEE && gu->n != 0 && gu->num > 0)
        add_input(in, n, r, "guarantee", IN_AMOUNT);
}

/* The numeric inputs that are set or non-zero and that the engine reads
 * for this role: moving anything else cannot change the output. */
static int collect_inputs(const sp_scenario *sc, input *in)
{
    int n = 0;
    if (val(sc, -1, "market_volatility")->num > 0)
        add_input(in, &n, -1, "market_volatility", IN_NUM);
    for (int r = 0; r < sc->nroles; r++) {
        team_inputs(sc, r, in, &n);
        pay_inputs(sc, r, in, &n);
        amount_inputs(sc, r, in, &n);
    }
    return n;
}

static double clamp_param(const sp_param *par, double x, int *clamped)
{
    double lo = sp_an_inside_lo(par), hi = sp_an_inside_hi(par);
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
        return sp_an_ramp_resize(cur, (int)m, out);
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
        sp_an_dist_scale(&out->dist, f, in->kind == IN_DIST_LOC);
        /* keep within the range the parameter allows, as `set` checks it:
         * the support of a bounded distribution, the mean of the others */
        double lo, hi, mean = sp_dist_mean(&out->dist);
        sp_dist_support(&out->dist, &lo, &hi);
        int k = out->dist.kind;
        int unbounded = k == SP_D_NORMAL || k == SP_D_LOGNORMAL ||
                        k == SP_D_GAMMA || k == SP_D_POISSON;
        double top = unbounded ? mean : hi, lim = sp_an_inside_hi(par);
        if (top > lim && top > 0) {
            sp_an_dist_scale(&out->dist, lim / top, in->kind == IN_DIST_LOC);
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

enum { NC = 6 };
typedef char row_cells[NC][SP_FMT_MAX];

/* One bar's cells: input, low, high (a * where clamped), the metric at
 * either end and the swing. */
static void bar_cells(const sp_tornado *tn, const sp_tornado_bar *b,
                      row_cells cell)
{
    sp_utf8_copy(cell[0], SP_FMT_MAX, b->param);
    sp_an_fmt_unit_c(b->low, b->unit, tn->currency, 1, cell[1]);
    sp_an_fmt_unit_c(b->high, b->unit, tn->currency, 1, cell[2]);
    if (b->clamped_low && strlen(cell[1]) < SP_FMT_MAX - 1)
        strcat(cell[1], "*");
    if (b->clamped_high && strlen(cell[2]) < SP_FMT_MAX - 1)
        strcat(cell[2], "*");
    sp_an_fmt_metric(tn->metric, b->metric_low, tn->currency, 1, cell[3]);
    sp_an_fmt_metric(tn->metric, b->metric_high, tn->currency, 1, cell[4]);
    sp_an_fmt_metric(tn->metric, fabs(b->metric_high - b->metric_low),
                     tn->currency, 1, cell[5]);
}

/* The bar of one input: below the base on the left of the axis, above it
 * on the right, scaled so the largest deviation takes half columns. */
static void draw_bar(FILE *f, const sp_tornado *tn, const sp_tornado_bar *b,
                     double maxdev, int half)
{
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
        fputc(' ', f);
    for (int k = 0; k < nl; k++)
        fputs("\xe2\x96\x87", f);
    fputs("\xe2\x94\x82", f);
    for (int k = 0; k < nr; k++)
        fputs("\xe2\x96\x87", f);
    fputc('\n', f);
}

static void print_clamped(FILE *f, const sp_tornado *tn, int nclamped)
{
    if (nclamped)
        fprintf(f, "\n* clamped to the parameter's range: that end moves "
                   "less than %.6g%%\n", tn->swing * 100);
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        if (b->clamped_low || b->clamped_high)
            fprintf(f, "  %s: %s%s%s%s%s\n", b->param,
                    b->clamped_low ? "low " : "", b->clamped_low ? b->low_text : "",
                    b->clamped_low && b->clamped_high ? ", " : "",
                    b->clamped_high ? "high " : "", b->clamped_high ? b->high_text : "");
    }
}

static void print_tornado(sp_session *s, const sp_tornado *tn, const sp_mspec *ms,
                          long runs)
{
    char desc[160], tr[SP_FMT_MAX], base[SP_FMT_MAX];
    sp_mspec_describe(ms, 1, desc, sizeof desc);
    sp_fmt_count(tn->trials, 0, tr, sizeof tr);
    sp_an_fmt_metric(tn->metric, tn->base, tn->currency, 0, base);
    fprintf(s->out, "Tornado of %s: each input %.6g%% below and above its value\n",
            desc, tn->swing * 100);
    fprintf(s->out, "base %s; %ld runs of %s trials, seed %lu (same random "
                    "numbers in every run)\n\n", base, runs, tr, tn->seed);
    static const char *const head[NC] = {"input", "low", "high", "at low",
                                         "at high", "swing"};
    row_cells *cell = calloc((size_t)tn->nbars + 1, sizeof *cell);
    if (!cell)
        return;
    int wid[NC];
    for (int c = 0; c < NC; c++)
        wid[c] = sp_text_width(head[c]);
    double maxdev = 0;
    int nclamped = 0;
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        bar_cells(tn, b, cell[i]);
        nclamped += b->clamped_low + b->clamped_high;
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
        for (int c = 0; c < NC; c++) {
            pad(s->out, cell[i][c], wid[c], c > 0);
            fputs("  ", s->out);
        }
        draw_bar(s->out, tn, &tn->bars[i], maxdev, half);
    }
    free(cell);
    if (!tn->nbars)
        fprintf(s->out, "(no inputs)\n");
    print_clamped(s->out, tn, nclamped);
}

int sp_tornado_parse(const sp_scenario *sc, const sp_tokens *t, const char *file,
                 sp_tornado_request *rq, sp_error *err)
{
    sp_mspec_default(&rq->ms);
    rq->swing = 0.2;
    rq->trials = 0;
    rq->seed = -1;
    int i = 1;
    while (i < t->n) {
        int r = sp_an_parse_opts(t, &i, file, &rq->trials, &rq->seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r == 0)
            continue;
        const sp_token *w = &t->v[i];
        if (sp_an_is_word(w, "metric") && i + 1 < t->n) {
            if (sp_mspec_parse_name(sc, &t->v[i + 1], file, &rq->ms, err))
                return SP_CMD_BAD;
            i += 2;
            sp_mspec_parse_opts(t, &i, &rq->ms);
        } else if (sp_an_is_word(w, "swing") && i + 1 < t->n) {
            const sp_token *v = &t->v[i + 1];
            if (sp_parse_number_in_unit(v->s, SP_U_PERCENT, &rq->swing) != 0 ||
                !(rq->swing > 0 && rq->swing < 1))
                return sp_an_fail(err, SP_ERR_RANGE, file, v,
                                  "expected a swing in (0%%, 100%%) (e.g. "
                                  "20%%), found '%s'", v->s);
            i += 2;
        } else {
            return sp_an_fail(err, SP_ERR_PARSE, file, w,
                              "expected metric M, swing X%%, trials N or seed "
                              "S, found '%s'", w->s);
        }
    }
    return SP_CMD_OK;
}

/* One side of one bar: the input scaled by f, run and evaluated. */
static sp_status move_input(sp_job *job, const sp_scenario *sc,
                            const input *in, double f, sp_tornado_request *rq,
                            sp_tornado_bar *b, int side, sp_error *err)
{
    double summary = NAN;
    int clamped = 0;
    sp_value v;
    sp_stat st;
    sp_scenario *c = sp_scenario_clone(sc, NULL);
    if (!c || scale_input(sc, in, f, &v, &summary, &clamped)) {
        sp_scenario_free(c);
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    }
    const sp_param *par = &sp_params[in->p.param];
    char *txt = sp_format_value(&v, par->unit, par->unit2, par->enums);
    sp_status e = sp_an_put_value(c, in->p, &v, err);
    sp_value_free(&v);
    if (!e)
        e = sp_an_metric(job, c, &rq->ms, &st, err);
    sp_scenario_free(c);
    if (e) {
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "%s", err->msg);
        sp_error_set(err, e, NULL, 0, "tornado: %s %s: %s", b->param,
                     side ? "high" : "low", m);
        free(txt);
        return e;
    }
    snprintf(side ? b->high_text : b->low_text, sizeof b->low_text, "%s",
             txt ? txt : "");
    free(txt);
    double m = sp_an_stat_value(&st, rq->ms.stat);
    if (side) {
        b->high = summary;
        b->clamped_high = clamped;
        b->metric_high = m;
    } else {
        b->low = summary;
        b->clamped_low = clamped;
        b->metric_low = m;
    }
    return SP_OK;
}

/* Largest swing first; insertion order breaks ties (qsort is not stable,
 * so an insertion sort). */
static void sort_bars(sp_tornado *tn)
{
    for (int a = 1; a < tn->nbars; a++) {
        sp_tornado_bar x = tn->bars[a];
        int b = a - 1;
        while (b >= 0 && bar_cmp(&tn->bars[b], &x) > 0) {
            tn->bars[b + 1] = tn->bars[b];
            b--;
        }
        tn->bars[b + 1] = x;
    }
}

static sp_status run_bars(sp_job *job, const sp_scenario *sc, const input *in,
                          int nin, sp_tornado_request *rq, sp_tornado *tn, sp_error *err)
{
    sp_stat st;
    sp_status e = sp_an_metric(job, sc, &rq->ms, &st, err);
    if (e)
        return e;
    tn->base = sp_an_stat_value(&st, rq->ms.stat);
    for (int k = 0; k < nin; k++) {
        sp_tornado_bar *b = &tn->bars[tn->nbars];
        sp_pref_name(sc, in[k].p, b->param, sizeof b->param);
        b->unit = input_unit(&in[k]);
        b->value = input_summary(sp_scenario_value(sc, in[k].p), in[k].kind);
        if (in[k].kind == IN_TIERS)
            b->value = 1;
        for (int side = 0; side < 2; side++)
            if ((e = move_input(job, sc, &in[k], side ? 1 + rq->swing
                                                      : 1 - rq->swing,
                                rq, b, side, err)))
                return e;
        tn->nbars++;
    }
    sort_bars(tn);
    return SP_OK;
}

/* Every input of sc moved down and up, in one job of session s (NULL: no
 * session). */
sp_status sp_tornado_compute(sp_session *s, const sp_scenario *sc, sp_tornado_request *rq,
                         sp_tornado **out, long *runs, sp_error *err)
{
    input *in = malloc(MAX_INPUTS * sizeof *in);
    if (!in)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    int nin = collect_inputs(sc, in);
    sp_tornado *tn = calloc(1, sizeof *tn);
    if (!tn || (nin && !(tn->bars = calloc((size_t)nin, sizeof *tn->bars)))) {
        free(in);
        sp_tornado_free(tn);
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    }
    sp_job job;
    sp_job_begin(&job, s, sc, "runs", 1 + 2L * nin, rq->trials, rq->seed);
    tn->metric = rq->ms.metric;
    sp_mspec_name(&rq->ms, tn->metric_name, sizeof tn->metric_name);
    snprintf(tn->stat, sizeof tn->stat, "%s",
             sp_metric_is_prob(rq->ms.metric) ? "value"
                                                 : sp_an_stat_name(rq->ms.stat));
    tn->swing = rq->swing;
    tn->trials = job.trials;
    tn->seed = job.seed;
    sp_utf8_copy(tn->currency, sizeof tn->currency, sp_an_currency(sc));
    snprintf(tn->scenario, sizeof tn->scenario, "%s", sc->name);
    sp_status e = run_bars(&job, sc, in, nin, rq, tn, err);
    sp_job_end(&job);
    *runs = job.runs;
    snprintf(tn->period, sizeof tn->period, "%s", rq->ms.label);
    free(in);
    if (e) {
        sp_tornado_free(tn);
        return e;
    }
    *out = tn;
    return SP_OK;
}

int sp_cmd_tornado(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return sp_an_nomem(err);
    sp_tornado_request rq;
    int rc = sp_tornado_parse(sc, t, file, &rq, err);
    if (rc != SP_CMD_OK || s->dry)
        return rc;
    sp_tornado *tn = NULL;
    long runs = 0;
    sp_status e = sp_tornado_compute(s, sc, &rq, &tn, &runs, err);
    if (e)
        return sp_an_code(e);
    print_tornado(s, tn, &rq.ms, runs);
    for (int r = 0; r < sc->nroles; r++)
        if (sc->roles[r].kind == SP_KIND_QUOTA)
            sp_an_quota_note(s->out, sc,
                             (sp_pref){sp_param_find("quota", SP_SCOPE_ROLE), r});
    if (sp_findings_add_tornado(&s->findings, tn))
        return sp_an_nomem(err);
    return SP_CMD_OK;
}
