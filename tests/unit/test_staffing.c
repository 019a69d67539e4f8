/* Support that drives output and headcount plans (MODEL.md 2.1 step 2,
 * 2.2, 3.1), on models built by hand; every expected figure is derived in
 * the comment above its test. */
#include "testutil.h"
#include "modelfix.h"

#include "salesplan/sim.h"

static void model_init(sp_model *m, int horizon)
{
    fx_model_init(m, 2027 * 12, horizon, 1);   /* 2027-01 */
}

/* Backfill off: these roles are staffed by ratio or by plan, as compiled
 * ones are. */
static sp_model_role *role_add(sp_model *m, const char *id, sp_role_kind k)
{
    sp_model_role *r = fx_role_add(m, id, k);
    r->backfill = 0;
    return r;
}

/* A support role serving role g at span `span` with share sigma. */
static sp_model_role *support_add(sp_model *m, const char *id, int g,
                                  int span, double sigma)
{
    sp_model_role *x = role_add(m, id, SP_KIND_SUPPORT);
    x->supports = x->serves = g;
    x->span = span;
    x->ratio = 1;
    x->support_share = sigma;
    return x;
}

/* levels[t] for t < n, the last holding; lead L months. */
static void plan_set(sp_model_role *r, int horizon, const int *levels, int n,
                     int lead)
{
    r->has_plan = 1;
    for (int t = 0; t < horizon; t++)
        r->plan_level[t] = levels[t < n ? t : n - 1];
    for (int t = 0; t < horizon; t++)
        r->plan_need[t] = r->plan_level[t + lead < horizon ? t + lead : horizon - 1];
}

static sp_results run(const sp_model *m, int trials)
{
    return fx_run(m, trials, 1, 1);
}

static double mmean(const sp_results *r, int metric, int role, int t)
{
    return fx_mmean(r, metric, role, t);
}

/* Ten AEs on a 1.2M quota (skill 1): capacity 100k a month each, 1M the
 * team.  SDRs serve them at span 2 with sigma 40%:
 *   S = 1 - 0.4 + 0.4 c,  c = min(1, 2 x sum r_SDR / 10).
 * (a) No SDRs, and a time to fill beyond the horizon: c = 0, S = 0.6,
 *     bookings 600k = 60% of capacity.
 * (b) Five fully ramped SDRs: c = 2 x 5 / 10 = 1, S = 1, bookings 1M.
 * (c) No SDRs at the start, time to fill 0, ramp 50%: step 2 of month 0
 *     opens ceil(10 / 2) = 5 requisitions that start at once in their
 *     first ramp month: c = 2 x 2.5 / 10 = 0.5, S = 0.8, 800k; month 1
 *     they are ramped: 1M. */
static void test_support_coverage(void **state)
{
    (void)state;
    const double want[3][2] = {{0.6, 0.6}, {1, 1}, {0.8, 1}};
    for (int k = 0; k < 3; k++) {
        sp_model m;
        model_init(&m, 2);
        sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
        ae->headcount = 10;
        ae->quota = 1.2e6;
        sp_model_role *sdr = support_add(&m, "sdr", 0, 2, 0.4);
        if (k == 0)
            sdr->time_to_fill.p[0] = 5;
        if (k == 1)
            sdr->headcount = 5;
        if (k == 2) {
            sdr->nramp = 1;
            sdr->ramp[0] = 0.5;
        }
        sp_results r = run(&m, 1);
        for (int t = 0; t < 2; t++) {
            assert_close(mmean(&r, SP_M_CAPACITY, 0, t), 1e6, 1e-12);
            assert_close(mmean(&r, SP_M_SUPPORT_FACTOR, 0, t), want[k][t], 1e-12);
            assert_close(mmean(&r, SP_M_BOOKINGS, 0, t), want[k][t] * 1e6, 1e-12);
            assert_close(mmean(&r, SP_M_HEADCOUNT, 1, t), k == 0 ? 0 : 5, 0);
        }
        assert_false(r.present[sp_series(&r, SP_M_SUPPORT_FACTOR, -1)]);
        assert_false(r.present[sp_series(&r, SP_M_SUPPORT_FACTOR, 1)]);
        /* a period's support factor is the mean of its months */
        assert_close(r.pstats[(size_t)0 * r.npseries +
                              sp_series(&r, SP_M_SUPPORT_FACTOR, 0)].mean,
                     (want[k][0] + want[k][1]) / 2, 1e-12);
        sp_results_free(&r);
        sp_model_free(&m);
    }
}

/* Declared order: desk (declared first) and sdr (after ae) both serve ae
 * at span 2, time to fill 0.  ae has 4 members and a plan of 6 from month
 * 1 (no lead).  Month 0: desk ceil(4/2) = 2, sdr 2.  Month 1, step 2 in
 * declared order: desk counts ae before its plan opens (4 -> 2), ae opens
 * 2 that start at once, sdr counts 6 -> 3.  Month 2: desk 3. */
static void test_ratio_declared_order(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 3);
    support_add(&m, "desk", 1, 2, 0);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->headcount = 4;
    ae->quota = 1.2e6;
    const int lv[2] = {4, 6};
    plan_set(ae, 3, lv, 2, 0);
    support_add(&m, "sdr", 1, 2, 0);
    sp_results r = run(&m, 1);
    const double desk[3] = {2, 2, 3}, sdr[3] = {2, 3, 3}, aeh[3] = {4, 6, 6};
    for (int t = 0; t < 3; t++) {
        assert_close(mmean(&r, SP_M_HEADCOUNT, 0, t), desk[t], 0);
        assert_close(mmean(&r, SP_M_HEADCOUNT, 1, t), aeh[t], 0);
        assert_close(mmean(&r, SP_M_HEADCOUNT, 2, t), sdr[t], 0);
    }
    sp_results_free(&r);
    sp_model_free(&m);
}

/* headcount_plan 2027-01:5 2027-07:8, five AEs at the start, time to fill
 * fixed 2 (lead L = 2), no attrition.  Need at month t = H(t + 2): 5 for
 * t <= 3, 8 from t = 4 (2027-05).  Month 4 opens 8 - 5 = 3 requisitions,
 * open at the end of months 4 and 5, starting at t = 6 (2027-07): eight
 * active from 2027-07, the plan met every month. */
static void test_headcount_plan(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 12);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->headcount = 5;
    ae->quota = 1.2e6;
    ae->time_to_fill.p[0] = 2;
    const int lv[7] = {5, 5, 5, 5, 5, 5, 8};
    plan_set(ae, 12, lv, 7, 2);
    sp_results r = run(&m, 1);
    for (int t = 0; t < 12; t++) {
        assert_close(mmean(&r, SP_M_HEADCOUNT, 0, t), t < 6 ? 5 : 8, 0);
        assert_close(mmean(&r, SP_M_OPEN_REQS, 0, t), t == 4 || t == 5 ? 3 : 0, 0);
        assert_close(mmean(&r, SP_M_HIRES, 0, t), t == 6 ? 3 : 0, 0);
        assert_close(mmean(&r, SP_M_PLAN_MET, 0, t), 1, 0);
    }
    sp_results_free(&r);
    sp_model_free(&m);
}

/* The same plan with 30% attrition and no backfill.  Each leaver at the
 * end of month t is replaced through step 2 of month t + 1, so over the
 * horizon hires + requisitions still open at the end = 3 (the step up) +
 * departures - departures of the last month (no step 2 after it), in
 * every trial and so in the means.  From 2027-09 on (t >= 8) eight are
 * needed and a leaver's replacement starts three months after it leaves:
 * the plan is met in month t when nobody left in months t - 2 and t - 1,
 * at most 8 at risk in each, h = 1 - 0.7^(1/12): P >= (1 - h)^16 =
 * 0.7^(4/3) = 62.2% (a little more when fewer than eight are at risk);
 * with 20,000 trials the run states 62% to 65%. */
static void test_headcount_plan_attrition(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 12);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->headcount = 5;
    ae->quota = 1.2e6;
    ae->time_to_fill.p[0] = 2;
    ae->backfill = 0;
    ae->hazard[0] = 1 - pow(0.7, 1.0 / 12);
    const int lv[7] = {5, 5, 5, 5, 5, 5, 8};
    plan_set(ae, 12, lv, 7, 2);
    sp_results r = run(&m, 20000);
    double hires = 0, dep = 0;
    for (int t = 0; t < 12; t++) {
        hires += mmean(&r, SP_M_HIRES, 0, t);
        dep += mmean(&r, SP_M_DEPARTURES, 0, t);
    }
    assert_true(dep > 1);
    assert_close(hires + mmean(&r, SP_M_OPEN_REQS, 0, 11),
                 3 + dep - mmean(&r, SP_M_DEPARTURES, 0, 11), 1e-9);
    for (int t = 8; t < 12; t++) {
        double met = mmean(&r, SP_M_PLAN_MET, 0, t);
        assert_true(met > 0.615 && met < 0.655);
    }
    sp_results_free(&r);
    sp_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_support_coverage),
        cmocka_unit_test(test_ratio_declared_order),
        cmocka_unit_test(test_headcount_plan),
        cmocka_unit_test(test_headcount_plan_attrition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
