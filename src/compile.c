/* Compiling a validated scenario into the engine's plain model. */
#include "salesplan/compile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/dist.h"
#include "salesplan/params.h"
#include "salesplan/utf8.h"

#include "scenario_private.h"

static sp_status copy_dist(sp_dist *dst, const sp_value *v, sp_error *err)
{
    if (sp_dist_copy(dst, &v->dist) != 0)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    return SP_OK;
}

static void compile_globals(const sp_scenario *s, sp_model *m)
{
    snprintf(m->name, sizeof m->name, "%s", s->name);
    sp_utf8_copy(m->title, sizeof m->title, s->title);
    m->start = (int)sp_role_value(s, -1, "start")->num;
    m->horizon = (int)sp_role_value(s, -1, "horizon")->num;
    m->fy_start = (int)sp_role_value(s, -1, "fiscal_year_start")->num;
    const sp_value *se = sp_role_value(s, -1, "seasonality");
    double sum = 0;
    for (int i = 0; i < 12; i++)
        sum += se->list[i];
    for (int i = 0; i < 12; i++)
        m->season[i] = se->list[i] * 12 / sum;
    m->market_sigma = sp_role_value(s, -1, "market_volatility")->num;
    m->market_rho = sp_role_value(s, -1, "market_persistence")->num;
    const sp_value *rev = sp_role_value(s, -1, "revenue");
    m->ratable_n = rev->flag ? rev->n : 0;
    m->renewal = rev->flag ? rev->num : 0;
    m->opening_arr = sp_role_value(s, -1, "opening_arr")->num;
    m->ytd_bookings = sp_role_value(s, -1, "ytd_bookings")->num;
    m->gross_margin = sp_role_value(s, -1, "gross_margin")->num;
    const sp_value *tg = sp_role_value(s, -1, "target");
    int maxt = (int)(sizeof m->target / sizeof m->target[0]);
    m->ntarget = tg->n < maxt ? tg->n : maxt;
    for (int i = 0; i < m->ntarget; i++)
        m->target[i] = tg->list[i];
    const sp_value *ts = sp_role_value(s, -1, "target_split");
    for (int i = 0; i < 4; i++)
        m->target_split[i] = i < ts->n ? ts->list[i] : 0.25;
    const sp_value *bu = sp_role_value(s, -1, "budget");
    m->nbudget = bu->n < maxt ? bu->n : maxt;
    for (int i = 0; i < m->nbudget; i++)
        m->budget[i] = bu->list[i];
    m->trials = (int)sp_role_value(s, -1, "trials")->num;
    m->seed = (unsigned long)sp_role_value(s, -1, "seed")->num;
    const sp_value *cur = sp_role_value(s, -1, "currency");
    sp_utf8_copy(m->currency, sizeof m->currency, cur->str ? cur->str : "");
}

/* Hires after the horizon never start inside it, so they are left out. */
static sp_status compile_hires(const sp_value *h, const sp_model *m,
                               sp_model_role *mr, sp_error *err)
{
    if (!h->n)
        return SP_OK;
    mr->hire_t = malloc((size_t)h->n * sizeof *mr->hire_t);
    mr->hire_n = malloc((size_t)h->n * sizeof *mr->hire_n);
    if (!mr->hire_t || !mr->hire_n)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    for (int k = 0; k < h->n; k++) {
        int t = (int)h->pairs[k].x - m->start;
        if (t >= m->horizon)
            continue;
        mr->hire_t[mr->nhires] = t;
        mr->hire_n[mr->nhires++] = (int)h->pairs[k].y;
    }
    return SP_OK;
}

/* Who is in the role and how it changes: starting staff, hires, time to
 * fill, attrition (as a monthly hazard) and backfill. */
static sp_status compile_staffing(const sp_scenario *s, int r,
                                  const sp_model *m, sp_model_role *mr,
                                  sp_error *err)
{
    sp_status st;
    mr->headcount = (int)sp_role_value(s, r, "headcount")->num;
    const sp_value *ten = sp_role_value(s, r, "tenure");
    if (ten->type == SP_T_DIST) {
        mr->has_tenure = 1;
        if ((st = copy_dist(&mr->tenure, ten, err)))
            return st;
    }
    if ((st = compile_hires(sp_role_value(s, r, "hires"), m, mr, err)))
        return st;
    if ((st = copy_dist(&mr->time_to_fill, sp_role_value(s, r, "time_to_fill"), err)))
        return st;
    const sp_value *a = sp_role_value(s, r, "attrition");
    mr->nattr = a->n;
    for (int k = 0; k < a->n; k++)
        mr->hazard[k] = 1 - pow(1 - a->list[k], 1.0 / 12);
    mr->backfill = (int)sp_role_value(s, r, "backfill")->num;
    return SP_OK;
}

static void compile_ramp(const sp_value *ramp, sp_model_role *mr)
{
    if (ramp->flag == 1) {
        mr->nramp = ramp->n;
        for (int k = 0; k < ramp->n; k++)
            mr->ramp[k] = (double)k / ramp->n;
        return;
    }
    /* Trailing factors of 1 are the ramped state itself: the ramp's length
     * (the default tenure of starting staff) ends at the last factor that
     * differs from 1. */
    int n = ramp->n;
    while (n > 0 && ramp->list[n - 1] == 1)
        n--;
    mr->nramp = n;
    for (int k = 0; k < n; k++)
        mr->ramp[k] = ramp->list[k];
}

/* What only a quota role has: its ramp, quota and how it sells. */
static sp_status compile_selling(const sp_scenario *s, int r,
                                 sp_model_role *mr, sp_error *err)
{
    sp_status st;
    const sp_value *q = sp_role_value(s, r, "quota");
    mr->quota = q->n > 0 ? q->list[0] : 0;
    mr->nquota = q->n < SP_MAX_FY ? q->n : SP_MAX_FY;
    for (int y = 0; y < mr->nquota; y++)
        mr->quota_fy[y] = q->list[y];
    mr->quota_relief = (int)sp_role_value(s, r, "quota_relief")->num;
    if ((st = copy_dist(&mr->attainment, sp_role_value(s, r, "attainment"), err)))
        return st;
    const sp_value *cap = sp_role_value(s, r, "capacity");
    if (cap->type == SP_T_DIST) {
        mr->has_capacity = 1;
        if ((st = copy_dist(&mr->capacity, cap, err)))
            return st;
    }
    mr->volatility = sp_role_value(s, r, "volatility")->num;
    mr->deals = sp_role_value(s, r, "productivity")->num == 1;
    const sp_value *ds = sp_role_value(s, r, "deal_size");
    mr->deal_size = ds->type == SP_T_NUM ? ds->num : 0;
    mr->deal_cv = sp_role_value(s, r, "deal_cv")->num;
    return SP_OK;
}

static void copy_points(const sp_value *v, int *n, double *x, double *y)
{
    *n = v->n;
    for (int k = 0; k < v->n; k++) {
        x[k] = v->pairs[k].x;
        y[k] = v->pairs[k].y;
    }
}

/* Pay beyond base.  On-target earnings are all of target pay, so the
 * target incentive that ote leaves is what base and bonus do not cover
 * (needs the base compiled first). */
static void compile_comp(const sp_scenario *s, int r, sp_model_role *mr)
{
    static const int months[] = {1, 3, 12};
    sp_comp_plan *c = &mr->comp;
    const sp_value *ti = sp_role_value(s, r, "target_incentive"), *ote = sp_role_value(s, r, "ote");
    c->bonus = sp_role_value(s, r, "bonus")->num;
    if (ti->type == SP_T_NUM)
        c->ti = ti->num;
    else if (ote->type == SP_T_NUM)
        c->ti = ote->num > mr->base + c->bonus ? ote->num - mr->base - c->bonus
                                               : 0;
    const sp_value *rate = sp_role_value(s, r, "rate");
    if (rate->type == SP_T_NUM) {
        c->has_rate = 1;
        c->rate = rate->num;
    }
    c->period = months[(int)sp_role_value(s, r, "period")->num];
    copy_points(sp_role_value(s, r, "tiers"), &c->ntiers, c->tier_t, c->tier_u);
    c->retro = sp_role_value(s, r, "tier_mode")->num == 1;
    const sp_value *cap = sp_role_value(s, r, "cap");
    c->cap = cap->type == SP_T_NUM ? cap->num : 0;
    copy_points(sp_role_value(s, r, "bonus_curve"), &c->ncurve, c->curve_x, c->curve_y);
    const sp_value *d = sp_role_value(s, r, "draw");
    c->draw_months = d->n;
    c->draw_amount = d->num;
    c->draw_recoverable = d->flag;
    const sp_value *g = sp_role_value(s, r, "guarantee");
    c->guarantee_months = g->n;
    c->guarantee_amount = g->num;
    c->leaver_forfeit = sp_role_value(s, r, "leaver")->num == 1;
}

/* Pay that is not the employee's own plan, and the other costs. */
static void compile_costs(const sp_scenario *s, int r, sp_model_role *mr)
{
    const sp_value *pool = sp_role_value(s, r, "pool");
    if (pool->str && pool->num > 0) {
        mr->pool_rate = pool->num;
        mr->pool_of = sp_role_find(s, pool->str);
    }
    const sp_value *aw = sp_role_value(s, r, "award");
    mr->award_k = aw->n;
    mr->award_amount = aw->num;
    mr->burden = sp_role_value(s, r, "burden")->num;
    mr->recruiting_cost = sp_role_value(s, r, "recruiting_cost")->num;
    mr->training_cost = sp_role_value(s, r, "training_cost")->num;
    mr->monthly_cost = sp_role_value(s, r, "monthly_cost")->num;
}

static sp_status compile_role(const sp_scenario *s, int r, sp_model *m,
                              sp_error *err)
{
    sp_model_role *mr = &m->roles[r];
    const sp_role *ro = &s->roles[r];
    sp_status st;
    snprintf(mr->id, sizeof mr->id, "%s", ro->id);
    mr->kind = ro->kind;
    mr->manages = -1;
    mr->pool_of = -1;
    mr->team = -1;
    if (ro->kind == SP_KIND_MANAGER) {
        mr->manages = sp_role_find(s, sp_role_value(s, r, "manages")->str);
        mr->span = (int)sp_role_value(s, r, "span")->num;
        mr->team = sp_team_role(s, r);
    }
    if ((st = compile_staffing(s, r, m, mr, err)))
        return st;
    sp_staffing_compile(s, r, m, mr);
    /* support and manager roles ramp too: their coverage (MODEL.md 3.1) */
    compile_ramp(sp_role_value(s, r, "ramp"), mr);
    if (ro->kind == SP_KIND_QUOTA) {
        if ((st = compile_selling(s, r, mr, err)))
            return st;
    } else {
        mr->attainment.kind = SP_D_FIXED;
    }
    mr->base = sp_role_value(s, r, "base")->num;
    compile_comp(s, r, mr);
    compile_costs(s, r, mr);
    return SP_OK;
}

sp_status sp_model_compile(const sp_scenario *s, sp_model *m, sp_error *err)
{
    sp_status st = sp_scenario_validate(s, NULL, err);
    if (st)
        return st;
    memset(m, 0, sizeof *m);
    compile_globals(s, m);
    m->nroles = s->nroles;
    for (int r = 0; r < s->nroles; r++)
        if ((st = compile_role(s, r, m, err)) ||
            (st = sp_scenario_compile_roster(s, r, m, err))) {
            sp_model_free(m);
            return st;
        }
    return SP_OK;
}
