/* Staffing rules of a role beyond planned hires: support staffed to a
 * ratio of the role it serves (MODEL.md 2.1 step 2), the share of the
 * served role's output that depends on it (3.1), and a headcount plan
 * that opens requisitions ahead of need (2.2), with the readings of
 * MODEL.md 10.4 and 10.5. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "salesplan/dist.h"
#include "salesplan/params.h"
#include "salesplan/scenario.h"

#include "scenario_private.h"

static const sp_value *val(const sp_scenario *s, int r, const char *name)
{
    sp_pref p = {sp_param_find(name, SP_SCOPE_ROLE), r};
    return sp_scenario_value(s, p);
}

static int is_set(const sp_scenario *s, int r, const char *name)
{
    sp_pref p = {sp_param_find(name, SP_SCOPE_ROLE), r};
    return sp_scenario_is_set(s, p);
}

/* An error at the statement that set `name` (else the role's
 * declaration). */
static sp_status fail(sp_error *err, const sp_scenario *s, int r,
                      const char *name, const char *fmt, const char *a,
                      const char *b)
{
    const sp_where *w = &s->roles[r].decl;
    if (name) {
        const sp_where *pw = &s->roles[r].where[sp_param_find(name, SP_SCOPE_ROLE)];
        if (pw->file)
            w = pw;
    }
    sp_loc loc = {w->file, w->line};
    return sp_error_set(err, SP_ERR_INVALID, w->file ? &loc : NULL, 0, fmt,
                        a ? a : "", b ? b : "");
}

/* The role whose staff sizes role r in step 2 (a manager's managed role,
 * a ratio-staffed support role's served role), or -1. */
static int ratio_of(const sp_scenario *s, int r)
{
    const sp_role *ro = &s->roles[r];
    if (ro->kind == SP_KIND_MANAGER) {
        const sp_value *m = val(s, r, "manages");
        return m->str ? sp_role_find(s, m->str) : -1;
    }
    if (ro->kind == SP_KIND_SUPPORT && is_set(s, r, "span")) {
        const sp_value *m = val(s, r, "supports");
        return m->str ? sp_role_find(s, m->str) : -1;
    }
    return -1;
}

/* Ratio roles sized on each other in a circle would hire without end. */
static sp_status check_ratio_cycle(const sp_scenario *s, int r, sp_error *err)
{
    int at = ratio_of(s, r);
    for (int steps = 0; at >= 0 && steps <= s->nroles; steps++) {
        if (at == r)
            return fail(err, s, r, "supports",
                        "%s.supports: support roles serve each other in a "
                        "circle, so staffing by ratio never settles%s",
                        s->roles[r].id, NULL);
        at = ratio_of(s, at);
    }
    return SP_OK;
}

static sp_status check_support(const sp_scenario *s, int r, sp_error *err)
{
    const char *id = s->roles[r].id;
    const sp_value *sv = val(s, r, "supports");
    if (sv->str) {
        int g = sp_role_find(s, sv->str);
        if (g < 0)
            return fail(err, s, r, "supports",
                        "%s.supports names an unknown role '%s'", id, sv->str);
        if (g == r)
            return fail(err, s, r, "supports",
                        "%s.supports names the role itself%s", id, NULL);
    } else if (is_set(s, r, "span")) {
        return fail(err, s, r, "span",
                    "%s.span needs the role it is a ratio of (set "
                    "%s.supports ROLE)", id, id);
    }
    if (val(s, r, "support_share")->num > 0 && !is_set(s, r, "span"))
        return fail(err, s, r, "support_share",
                    "%s.support_share needs a span: coverage is members "
                    "served per employee (set %s.span 2)", id, id);
    return check_ratio_cycle(s, r, err);
}

sp_status sp_staffing_check(const sp_scenario *s, int r, sp_error *err)
{
    const sp_role *ro = &s->roles[r];
    sp_status st;
    if (ro->kind == SP_KIND_SUPPORT && (st = check_support(s, r, err)))
        return st;
    if (is_set(s, r, "headcount_plan") && ratio_of(s, r) >= 0)
        return fail(err, s, r, "headcount_plan",
                    "%s.headcount_plan: the role is staffed by its ratio to "
                    "'%s'; a role has a ratio or a headcount plan, not both",
                    ro->id, s->roles[ratio_of(s, r)].id);
    return SP_OK;
}

/* H(t) of every month: entries in month order, the last of a month
 * wins, entries before the start apply from t = 0 (MODEL.md 10.5). */
static void plan_levels(const sp_value *hp, const sp_model *m,
                        sp_model_role *mr)
{
    for (int t = 0; t < m->horizon; t++) {
        int best = -1, level = -1;
        for (int k = 0; k < hp->n; k++) {
            int mon = (int)hp->pairs[k].x;
            if (mon <= m->start + t && mon >= best) {
                best = mon;
                level = (int)hp->pairs[k].y;
            }
        }
        mr->plan_level[t] = level;
    }
}

void sp_staffing_compile(const sp_scenario *s, int r, const sp_model *m,
                         sp_model_role *mr)
{
    const sp_role *ro = &s->roles[r];
    mr->supports = -1;
    mr->serves = -1;
    if (ro->kind == SP_KIND_MANAGER) {
        mr->ratio = 1;
        mr->serves = mr->manages;
    } else if (ro->kind == SP_KIND_SUPPORT) {
        const sp_value *sv = val(s, r, "supports");
        mr->supports = sv->str ? sp_role_find(s, sv->str) : -1;
        if (is_set(s, r, "span")) {
            mr->span = (int)val(s, r, "span")->num;
            mr->ratio = mr->supports >= 0;
            mr->serves = mr->supports;
        }
    }
    mr->support_share = mr->serves >= 0 ? val(s, r, "support_share")->num : 0;
    for (int t = 0; t < SP_MAX_HORIZON; t++)
        mr->plan_need[t] = mr->plan_level[t] = -1;
    const sp_value *hp = val(s, r, "headcount_plan");
    if (hp->type != SP_T_HIRES || hp->n < 1)
        return;
    mr->has_plan = 1;
    plan_levels(hp, m, mr);
    /* The lead is the mean as written (a normal's mean before clamping),
     * rounded half up. */
    double mean = sp_dist_mean(&val(s, r, "time_to_fill")->dist);
    double l = floor(mean + 0.5);
    int L = !(l > 0) ? 0 : l > SP_MAX_HORIZON ? SP_MAX_HORIZON : (int)l;
    for (int t = 0; t < m->horizon; t++) {
        int u = t + L < m->horizon - 1 ? t + L : m->horizon - 1;
        mr->plan_need[t] = mr->plan_level[u];
    }
}
