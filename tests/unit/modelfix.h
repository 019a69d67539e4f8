/* Engine models built by hand for the unit tests: one place that knows
 * what a compiled model's neutral defaults are (no links to other roles,
 * fixed skill 1, flat commission, quarterly periods, no plan), so that a
 * new field of sp_model_role gets its "off" value once for every test. */
#ifndef SALESPLAN_TEST_MODELFIX_H
#define SALESPLAN_TEST_MODELFIX_H

#include "testutil.h"

#include "salesplan/sim.h"

/* start is an absolute month (year * 12 + month - 1). */
static inline void fx_model_init(sp_model *m, int start, int horizon,
                                 int fy_start)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "test");
    m->start = start;
    m->horizon = horizon;
    m->fy_start = fy_start;
    for (int i = 0; i < 12; i++)
        m->season[i] = 1;
    m->market_rho = 0.8;
    m->gross_margin = 1;
    m->trials = 1;
    m->seed = 1;
}

/* A role of kind k linked to no other, with backfill on (the compiled
 * default of a quota or support role without a plan or a ratio). */
static inline sp_model_role *fx_role_add(sp_model *m, const char *id,
                                         sp_role_kind k)
{
    sp_model_role *r = &m->roles[m->nroles++];
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", id);
    r->kind = k;
    r->manages = r->supports = r->serves = -1;
    r->team = -1;
    r->pool_of = -1;
    r->nattr = 1;
    r->backfill = 1;
    r->quota_relief = 1;
    r->attainment.kind = SP_D_FIXED;
    r->attainment.p[0] = 1;
    r->time_to_fill.kind = SP_D_FIXED;
    r->comp.period = 3;
    r->comp.ntiers = 1;
    r->comp.tier_u[0] = 1;
    for (int t = 0; t < SP_MAX_HORIZON; t++)
        r->plan_need[t] = r->plan_level[t] = -1;
    return r;
}

static inline sp_results fx_run(const sp_model *m, int trials,
                                unsigned long seed, int threads)
{
    sp_results res;
    sp_error err;
    sp_run_opts o = {trials, seed, threads, NULL, NULL, NULL};
    if (sp_simulate(m, &o, &res, &err) != SP_OK)
        fail_msg("sp_simulate: %s", err.msg);
    return res;
}

static inline double fx_mmean(const sp_results *r, int metric, int role,
                              int t)
{
    return r->monthly[(size_t)sp_series(r, metric, role) * r->model.horizon + t]
        .mean;
}

#endif
