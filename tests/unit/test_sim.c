/* The engine against MODEL.md: deterministic scenarios derived by hand,
 * statistical ones within 5 standard errors with fixed seeds, and the
 * reproducibility guarantees (threads, seeds, common random numbers). */
#include "testutil.h"
#include "modelfix.h"

#include <gsl/gsl_cdf.h>

#include "salesplan/rng.h"
#include "salesplan/sim.h"

/* ---- building models by hand ---------------------------------------- */

static void model_init(sp_model *m, int year, int month, int horizon,
                       int fy_start)
{
    fx_model_init(m, year * 12 + month - 1, horizon, fy_start);
}

static sp_model_role *role_add(sp_model *m, const char *id, sp_role_kind k)
{
    return fx_role_add(m, id, k);
}

static void hires_add(sp_model_role *r, int t, int n)
{
    r->hire_t = realloc(r->hire_t, (size_t)(r->nhires + 1) * sizeof(int));
    r->hire_n = realloc(r->hire_n, (size_t)(r->nhires + 1) * sizeof(int));
    r->hire_t[r->nhires] = t;
    r->hire_n[r->nhires++] = n;
}

static sp_results run(const sp_model *m, int trials, unsigned long seed,
                      int threads)
{
    return fx_run(m, trials, seed, threads);
}

static const sp_stat *mstat(const sp_results *r, int metric, int role, int t)
{
    return &r->monthly[(size_t)sp_series(r, metric, role) * r->model.horizon + t];
}

static double mmean(const sp_results *r, int metric, int role, int t)
{
    return mstat(r, metric, role, t)->mean;
}

static const sp_stat *pstat(const sp_results *r, int p, int metric, int role)
{
    return &r->pstats[(size_t)p * r->npseries + sp_series(r, metric, role)];
}

/* ---- deterministic ---------------------------------------------------- */

/* Three AEs hired at t = 0 (D = 0) on a 1.2M quota: 100k a month each when
 * ramped, ramp 0/25/50/75%, relief on, skill 1, no noise.  Start 2027-01,
 * 24 months, fiscal years from April.
 *   month t quota = bookings = 3 * 100k * r(t + 1):
 *     t0 0, t1 75k, t2 150k, t3 225k, t4.. 300k
 *   FY2027 = Jan-Mar 2027 (t0-2, partial): 225k
 *   FY2028 = Apr 2027-Mar 2028 (t3-14): 225k + 11 * 300k = 3.525M
 *   FY2029 = Apr-Dec 2028 (t15-23, partial): 9 * 300k = 2.7M
 *   Total 6.45M.  Fiscal quarters: Jan-Mar 225k, Apr-Jun 825k, then 900k.
 *   ramped (sum of r): 0, 0.75, 1.5, 2.25, then 3. */
static void test_ramp_quota_periods(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 24, 4);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->nramp = 4;
    ae->ramp[0] = 0;
    ae->ramp[1] = 0.25;
    ae->ramp[2] = 0.5;
    ae->ramp[3] = 0.75;
    hires_add(ae, 0, 3);
    sp_results r = run(&m, 3, 9, 1);

    const double want[5] = {0, 75e3, 150e3, 225e3, 300e3};
    for (int t = 0; t < 24; t++) {
        double w = want[t < 4 ? t : 4];
        assert_close(mmean(&r, SP_M_QUOTA, 0, t), w, 1e-12);
        assert_close(mmean(&r, SP_M_BOOKINGS, 0, t), w, 1e-12);
        assert_close(mmean(&r, SP_M_BOOKINGS, -1, t), w, 1e-12);
        assert_close(mmean(&r, SP_M_RAMPED, 0, t), w / 1e5, 1e-12);
        assert_close(mmean(&r, SP_M_HEADCOUNT, 0, t), 3, 0);
        assert_close(mmean(&r, SP_M_HIRES, 0, t), t == 0 ? 3 : 0, 0);
        assert_close(mmean(&r, SP_M_OPEN_REQS, 0, t), 0, 0);
        /* no randomness: every percentile is the value itself */
        assert_true(mstat(&r, SP_M_BOOKINGS, 0, t)->p[SP_P5] ==
                    mstat(&r, SP_M_BOOKINGS, 0, t)->mean);
        assert_true(mstat(&r, SP_M_BOOKINGS, 0, t)->sd == 0);
    }
    /* quarter sums from the monthly figures */
    assert_close(mmean(&r, SP_M_QUOTA, 0, 0) + mmean(&r, SP_M_QUOTA, 0, 1) +
                 mmean(&r, SP_M_QUOTA, 0, 2), 225e3, 1e-12);
    assert_close(mmean(&r, SP_M_QUOTA, 0, 3) + mmean(&r, SP_M_QUOTA, 0, 4) +
                 mmean(&r, SP_M_QUOTA, 0, 5), 825e3, 1e-12);

    assert_int_equal(r.nperiods, 4);
    const char *lab[4] = {"FY2027", "FY2028", "FY2029", "Total"};
    const int t0[4] = {0, 3, 15, 0}, t1[4] = {2, 14, 23, 23};
    const int part[4] = {1, 0, 1, 0};
    const double q[4] = {225e3, 3.525e6, 2.7e6, 6.45e6};
    for (int p = 0; p < 4; p++) {
        assert_string_equal(r.periods[p].label, lab[p]);
        assert_int_equal(r.periods[p].t0, t0[p]);
        assert_int_equal(r.periods[p].t1, t1[p]);
        assert_int_equal(r.periods[p].partial, part[p]);
        assert_int_equal(r.periods[p].is_total, p == 3);
        assert_close(pstat(&r, p, SP_M_QUOTA, 0)->mean, q[p], 1e-12);
        assert_close(pstat(&r, p, SP_M_BOOKINGS, -1)->p[SP_P90], q[p], 1e-12);
        assert_close(pstat(&r, p, SP_M_ATTAINMENT, 0)->mean, 1, 1e-12);
        assert_close(pstat(&r, p, SP_M_HEADCOUNT, 0)->mean, 3, 0);
    }
    assert_int_equal(r.periods[1].fiscal_year, 2028);
    assert_int_equal(r.periods[0].first, 2027 * 12 + 0);
    assert_int_equal(r.periods[2].last, 2028 * 12 + 11);
    /* stocks take the period's last month */
    assert_close(pstat(&r, 0, SP_M_RAMPED, 0)->mean, 1.5, 1e-12);
    /* bookings of a quota role are present, of nothing else absent */
    assert_true(r.present[sp_series(&r, SP_M_BOOKINGS, 0)]);
    assert_false(r.present[sp_series(&r, SP_M_CONTRIBUTION, 0)]);
    assert_false(r.present[sp_series(&r, SP_M_AWARD, 0)]);
    assert_true(r.present[sp_series(&r, SP_M_CONTRIBUTION, -1)]);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Seasonality by calendar month: quota 1.5M = 125k a month, Jan 1.2 and
 * Feb 0.8 (the others 1, mean 1).  Start Nov 2027: t0 Nov 125k, t1 Dec
 * 125k, t2 Jan 150k, t3 Feb 100k, t4 Mar 125k.  One initial AE, fully
 * ramped (tenure defaults to the ramp length, so r = 1 from t = 0 even
 * with a 2-month ramp). */
static void test_seasonality(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 11, 5, 1);
    m.season[0] = 1.2;
    m.season[1] = 0.8;
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.5e6;
    ae->headcount = 1;
    ae->nramp = 2;
    ae->ramp[0] = 0.1;
    ae->ramp[1] = 0.2;
    sp_results r = run(&m, 2, 3, 1);
    const double want[5] = {125e3, 125e3, 150e3, 100e3, 125e3};
    for (int t = 0; t < 5; t++) {
        assert_close(mmean(&r, SP_M_BOOKINGS, 0, t), want[t], 1e-12);
        assert_close(mmean(&r, SP_M_QUOTA, 0, t), want[t], 1e-12);
        assert_close(mmean(&r, SP_M_HIRES, 0, t), 0, 0);
        assert_close(mmean(&r, SP_M_HIRING_COST, -1, t), 0, 0);
    }
    /* FY2027 (Nov-Dec, partial), FY2028 (Jan-Mar, partial) */
    assert_int_equal(r.nperiods, 3);
    assert_string_equal(r.periods[0].label, "FY2027");
    assert_string_equal(r.periods[1].label, "FY2028");
    assert_true(r.periods[0].partial && r.periods[1].partial);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Ratable revenue over 3 months on the ramp scenario above:
 *   bookings b: 0, 75k, 150k, 225k, 300k, 300k ...
 *   revenue t = (b_t + b_t-1 + b_t-2) / 3:
 *     t0 0, t1 25k, t2 75k, t3 150k, t4 225k, t5 275k, t6.. 300k
 *   Horizon total: 6.45M of bookings less what falls after month 23:
 *   2/3 of t23's 300k and 1/3 of t22's = 300k, so 6.15M. */
static void test_ratable_revenue(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 24, 4);
    m.ratable_n = 3;
    m.gross_margin = 0.5;
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->nramp = 4;
    ae->ramp[1] = 0.25;
    ae->ramp[2] = 0.5;
    ae->ramp[3] = 0.75;
    hires_add(ae, 0, 3);
    sp_results r = run(&m, 1, 1, 1);
    const double want[7] = {0, 25e3, 75e3, 150e3, 225e3, 275e3, 300e3};
    for (int t = 0; t < 24; t++) {
        assert_close(mmean(&r, SP_M_REVENUE, 0, t), want[t < 6 ? t : 6], 1e-12);
        /* no cost at all: contribution = margin * revenue */
        assert_close(mmean(&r, SP_M_CONTRIBUTION, -1, t),
                     0.5 * want[t < 6 ? t : 6], 1e-12);
    }
    assert_close(pstat(&r, 3, SP_M_REVENUE, -1)->mean, 6.15e6, 1e-12);
    assert_close(pstat(&r, 3, SP_M_CUM_CONTRIBUTION, -1)->mean, 3.075e6, 1e-12);
    /* cos = cost / bookings = 0 here; cum >= 0 always: nothing was
     * invested, so there is no payback to report (MODEL.md 10.11) */
    assert_close(pstat(&r, 3, SP_M_COS, -1)->mean, 0, 0);
    assert_int_equal(r.payback_p50, -1);
    assert_close(r.payback_share_never, 0, 0);
    assert_close(r.payback_share_no_investment, 1, 0);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* time_to_fill fixed(2): requisitions opened at t = 0 start at t = 2 and
 * stay open until then; one opened at t = 4 of a 5-month horizon would
 * start at t = 6 and stays open to the end.  Hiring costs land in the
 * start month: 2 * (3k + 5k) at t = 2. */
static void test_time_to_fill(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 5, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->time_to_fill.p[0] = 2;
    ae->recruiting_cost = 3e3;
    ae->training_cost = 5e3;
    hires_add(ae, 0, 2);
    hires_add(ae, 4, 1);
    sp_results r = run(&m, 1, 1, 1);
    const double head[5] = {0, 0, 2, 2, 2}, open[5] = {2, 2, 0, 0, 1};
    for (int t = 0; t < 5; t++) {
        assert_close(mmean(&r, SP_M_HEADCOUNT, 0, t), head[t], 0);
        assert_close(mmean(&r, SP_M_OPEN_REQS, 0, t), open[t], 0);
        assert_close(mmean(&r, SP_M_HIRES, 0, t), t == 2 ? 2 : 0, 0);
        assert_close(mmean(&r, SP_M_HIRING_COST, 0, t), t == 2 ? 16e3 : 0, 0);
        assert_close(mmean(&r, SP_M_BOOKINGS, 0, t), head[t] * 1e5, 1e-12);
    }
    assert_close(pstat(&r, 1, SP_M_OPEN_REQS, 0)->mean, 1, 0);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Manager requisitions by span: 7 AEs, span 3 -> ceil(7/3) = 3 managers.
 * With time_to_fill 1 they are opened at t = 0 and start at t = 1.  Three
 * more AEs start at t = 2 (10 -> 4 needed): one more manager opened at
 * t = 2, starting t = 3.  Hires count starts, not openings.  A second manager role with D = 0 starts its 3 at
 * t = 0 immediately (counted as hires). */
static void test_manager_span(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 5, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 7;
    hires_add(ae, 2, 3);
    sp_model_role *mg = role_add(&m, "mgr", SP_KIND_MANAGER);
    mg->manages = 0;
    mg->span = 3;
    mg->time_to_fill.p[0] = 1;
    mg->base = 120e3;
    sp_model_role *lead = role_add(&m, "lead", SP_KIND_MANAGER);
    lead->manages = 0;
    lead->span = 3;
    sp_results r = run(&m, 1, 1, 1);
    const double head[5] = {0, 3, 3, 4, 4}, open[5] = {3, 0, 1, 0, 0};
    const double hires[5] = {0, 3, 0, 1, 0};
    const double lhead[5] = {3, 3, 4, 4, 4}, lhires[5] = {3, 0, 1, 0, 0};
    for (int t = 0; t < 5; t++) {
        assert_close(mmean(&r, SP_M_HEADCOUNT, 1, t), head[t], 0);
        assert_close(mmean(&r, SP_M_OPEN_REQS, 1, t), open[t], 0);
        assert_close(mmean(&r, SP_M_HIRES, 1, t), hires[t], 0);
        assert_close(mmean(&r, SP_M_BASE, 1, t), head[t] * 10e3, 1e-12);
        assert_close(mmean(&r, SP_M_HEADCOUNT, 2, t), lhead[t], 0);
        assert_close(mmean(&r, SP_M_HIRES, 2, t), lhires[t], 0);
        assert_close(mmean(&r, SP_M_HEADCOUNT, -1, t),
                     (t < 2 ? 7 : 10) + head[t] + lhead[t], 0);
    }
    assert_false(r.present[sp_series(&r, SP_M_BOOKINGS, 1)]);
    assert_false(r.ppresent[sp_series(&r, SP_M_COS, 1)]);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* One ramped rep, quarterly period, 100k a month of quota, skill 1.3:
 * 130k a month, 390k a quarter against 300k (attainment 1.3).
 *   TI 60k -> TI_p = 15k, BCR = 15k / 300k = 0.05.
 *   tiers 0%:0 50%:1 100%:1.5 (marginal):
 *     0..150k * 0 + 150k..300k * 0.05 + 300k..390k * 1.5 * 0.05
 *     = 7,500 + 6,750 = 14,250
 *   bonus 12k, curve 0:0 2:2 -> 12k * 3/12 * 1.3 = 3,900
 *   base 60k -> 5,000 a month; burden 20%; monthly cost 500.
 *   Settlement months t = 2 and 5:
 *     burden = 0.2 * (5,000 + 14,250 + 3,900) = 4,630
 *     cost = 5,000 + 18,150 + 4,630 + 500 = 28,280
 *   Other months: burden 1,000, cost 6,500.
 *   Rep record: earnings 15,000 + 18,150 = 33,150 >= OTE (60k + 60k) / 4
 *   = 30,000; attainment 1.3 >= 1. */
static void test_comp_quarter(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 6, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 1;
    ae->attainment.p[0] = 1.3;
    ae->base = 60e3;
    ae->burden = 0.2;
    ae->monthly_cost = 500;
    sp_comp_plan *c = &ae->comp;
    c->ti = 60e3;
    c->ntiers = 3;
    c->tier_t[0] = 0, c->tier_u[0] = 0;
    c->tier_t[1] = 0.5, c->tier_u[1] = 1;
    c->tier_t[2] = 1.0, c->tier_u[2] = 1.5;
    c->bonus = 12e3;
    c->ncurve = 2;
    c->curve_x[0] = 0, c->curve_y[0] = 0;
    c->curve_x[1] = 2, c->curve_y[1] = 2;
    sp_results r = run(&m, 1, 1, 1);
    for (int t = 0; t < 6; t++) {
        int settle = t == 2 || t == 5;
        assert_close(mmean(&r, SP_M_BASE, 0, t), 5000, 1e-12);
        assert_close(mmean(&r, SP_M_COMMISSION, 0, t), settle ? 14250 : 0, 1e-12);
        assert_close(mmean(&r, SP_M_BONUS, 0, t), settle ? 3900 : 0, 1e-12);
        assert_close(mmean(&r, SP_M_VARIABLE, -1, t), settle ? 18150 : 0, 1e-12);
        assert_close(mmean(&r, SP_M_BURDEN, 0, t), settle ? 4630 : 1000, 1e-12);
        assert_close(mmean(&r, SP_M_OTHER_COST, 0, t), 500, 1e-12);
        assert_close(mmean(&r, SP_M_COST, -1, t), settle ? 28280 : 6500, 1e-12);
        assert_close(mmean(&r, SP_M_CONTRIBUTION, -1, t),
                     130e3 - (settle ? 28280 : 6500), 1e-12);
    }
    /* cos of the year: (4 * 6,500 + 2 * 28,280) / (6 * 130k) */
    assert_close(pstat(&r, 0, SP_M_COS, 0)->mean, 82560.0 / 780e3, 1e-12);
    const sp_rep_stats *rs = &r.reps[0 * r.nroles + 0];
    assert_int_equal(rs->records, 2);
    assert_int_equal(rs->defined, 2);
    assert_close(rs->attainment.mean, 1.3, 1e-12);
    assert_close(rs->attainment.p[SP_P50], 1.3, 1e-12);
    assert_close(rs->earnings.mean, 33150, 1e-12);
    assert_close(rs->earnings.p[SP_P10], 33150, 1e-12);
    assert_close(rs->share_at_quota, 1, 0);
    assert_close(rs->share_at_ote, 1, 0);
    /* the horizon total gathers both fiscal-year records */
    assert_int_equal(r.reps[1 * r.nroles + 0].records, 2);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Guarantee 2 months x 4,000 for a rep hired at t = 0 (same plan as
 * above): the first quarter has 1 commission month, P = 100k, b = 130k:
 *   TI_p = 60k / 12 = 5k, BCR = 0.05:
 *     50k..100k * 0.05 + 100k..130k * 1.5 * 0.05 = 2,500 + 2,250 = 4,750
 *   bonus 12k / 12 * 1.3 = 1,300; guarantee 8,000, all at t = 2.
 * Bookings of the guarantee months still count for the role (130k a
 * month). */
static void test_guarantee(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 3, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->attainment.p[0] = 1.3;
    hires_add(ae, 0, 1);
    sp_comp_plan *c = &ae->comp;
    c->ti = 60e3;
    c->ntiers = 3;
    c->tier_t[0] = 0, c->tier_u[0] = 0;
    c->tier_t[1] = 0.5, c->tier_u[1] = 1;
    c->tier_t[2] = 1.0, c->tier_u[2] = 1.5;
    c->bonus = 12e3;
    c->ncurve = 2;
    c->curve_x[1] = 2, c->curve_y[1] = 2;
    c->guarantee_months = 2;
    c->guarantee_amount = 4e3;
    sp_results r = run(&m, 1, 1, 1);
    assert_close(mmean(&r, SP_M_COMMISSION, 0, 2), 4750, 1e-12);
    assert_close(mmean(&r, SP_M_BONUS, 0, 2), 1300, 1e-12);
    /* the guarantee is paid in each guaranteed month (tenure months 1
     * and 2 = t 0 and 1), not at the settlement */
    assert_close(mmean(&r, SP_M_GUARANTEE, 0, 0), 4000, 1e-12);
    assert_close(mmean(&r, SP_M_GUARANTEE, 0, 1), 4000, 1e-12);
    assert_close(mmean(&r, SP_M_GUARANTEE, 0, 2), 0, 0);
    assert_close(pstat(&r, 0, SP_M_BOOKINGS, 0)->mean, 390e3, 1e-12);
    assert_close(r.reps[0].attainment.mean, 1.3, 1e-12);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* A leaver: hazard 1 makes the rep leave at the end of month 0.  Its open
 * quarter (one month, P = 100k, b = 130k) is settled at t = 0: 4,750 of
 * commission as in test_guarantee.  With `leaver forfeit` nothing is paid
 * and no rep record is left.  With backfill and D = 0 a replacement starts
 * at t = 1 and leaves too, so each month has one hire from t = 1, one
 * departure and one open requisition at month end. */
static void leaver_model(sp_model *m, int forfeit, int backfill)
{
    model_init(m, 2027, 1, 3, 1);
    sp_model_role *ae = role_add(m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 1;
    ae->attainment.p[0] = 1.3;
    ae->hazard[0] = 1;
    ae->backfill = backfill;
    sp_comp_plan *c = &ae->comp;
    c->ti = 60e3;
    c->ntiers = 3;
    c->tier_t[0] = 0, c->tier_u[0] = 0;
    c->tier_t[1] = 0.5, c->tier_u[1] = 1;
    c->tier_t[2] = 1.0, c->tier_u[2] = 1.5;
    c->leaver_forfeit = forfeit;
}

static void test_leaver(void **state)
{
    (void)state;
    sp_model m;
    leaver_model(&m, 0, 0);
    sp_results r = run(&m, 1, 1, 1);
    assert_close(mmean(&r, SP_M_DEPARTURES, 0, 0), 1, 0);
    assert_close(mmean(&r, SP_M_COMMISSION, 0, 0), 4750, 1e-12);
    assert_close(mmean(&r, SP_M_HEADCOUNT, 0, 1), 0, 0);
    assert_close(mmean(&r, SP_M_COMMISSION, 0, 2), 0, 0);
    assert_int_equal(r.reps[0].records, 1);
    assert_close(r.reps[0].attainment.mean, 1.3, 1e-12);
    sp_results_free(&r);
    sp_model_free(&m);

    leaver_model(&m, 1, 0);
    r = run(&m, 1, 1, 1);
    assert_close(mmean(&r, SP_M_COMMISSION, 0, 0), 0, 0);
    assert_int_equal(r.reps[0].records, 0);
    assert_true(isnan(r.reps[0].share_at_ote));
    assert_true(isnan(r.reps[0].attainment.mean));
    sp_results_free(&r);
    sp_model_free(&m);

    leaver_model(&m, 0, 1);
    r = run(&m, 1, 1, 1);
    for (int t = 0; t < 3; t++) {
        assert_close(mmean(&r, SP_M_HEADCOUNT, 0, t), 1, 0);
        assert_close(mmean(&r, SP_M_DEPARTURES, 0, t), 1, 0);
        assert_close(mmean(&r, SP_M_HIRES, 0, t), t > 0, 0);
        assert_close(mmean(&r, SP_M_OPEN_REQS, 0, t), 1, 0);
        assert_close(mmean(&r, SP_M_COMMISSION, 0, t), 4750, 1e-12);
    }
    assert_int_equal(r.reps[0].records, 3);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Draw 10k a month, recoverable, monthly period; TI 60k (BCR 0.05 on
 * 100k), skill 0.5: 50k booked, 2,500 earned, 10,000 paid: top-up 7,500,
 * debt 7,500.  The rep leaves at the end of t = 0 (hazard 1): the debt is
 * written off then; variable = 2,500 + 7,500 (the write-off is not a
 * cost). */
static void test_draw_writeoff(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 2, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 1;
    ae->attainment.p[0] = 0.5;
    ae->hazard[0] = 1;
    ae->backfill = 0;
    ae->comp.period = 1;
    ae->comp.ti = 60e3;
    ae->comp.draw_months = -1;
    ae->comp.draw_amount = 10e3;
    ae->comp.draw_recoverable = 1;
    sp_results r = run(&m, 1, 1, 1);
    assert_close(mmean(&r, SP_M_COMMISSION, 0, 0), 2500, 1e-12);
    assert_close(mmean(&r, SP_M_DRAW_TOPUP, 0, 0), 7500, 1e-12);
    assert_close(mmean(&r, SP_M_DRAW_WRITEOFF, 0, 0), 7500, 1e-12);
    assert_close(mmean(&r, SP_M_VARIABLE, 0, 0), 10000, 1e-12);
    assert_close(mmean(&r, SP_M_COST, 0, 0), 10000, 1e-12);
    assert_close(r.reps[0].earnings.mean, 10000, 1e-12);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Pool, override and award without quota relief (quota 100k a month each
 * from the first month), ramp 50/80%:
 *   A initial, ramped: 3 * 100k booked of 300k -> 1.0
 *   B hired t = 0: 50k + 80k + 100k = 230k of 300k -> 0.7667
 *   C hired t = 1: 50k + 80k = 130k of 200k -> 0.65
 *   pool 2% of ae on ae: 0.02 * 660k = 13,200 split by months 3:3:2 ->
 *   4,950 / 4,950 / 3,300; award 1 x 1,000 to A.  No base, no TI:
 *   earnings 5,950 / 4,950 / 3,300 (mean 4,733.33, p50 4,950);
 *   attainment mean (1 + 0.76667 + 0.65) / 3 = 0.80556; 1 of 3 at quota.
 *   The manager's override, 1% of ae: 6,600. */
static void test_pool_award(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 3, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 1;
    ae->quota_relief = 0;
    ae->nramp = 2;
    ae->ramp[0] = 0.5;
    ae->ramp[1] = 0.8;
    hires_add(ae, 0, 1);
    hires_add(ae, 1, 1);
    ae->pool_rate = 0.02;
    ae->pool_of = 0;
    ae->award_k = 1;
    ae->award_amount = 1000;
    sp_model_role *mg = role_add(&m, "mgr", SP_KIND_MANAGER);
    mg->manages = 0;
    mg->span = 10;
    mg->headcount = 1;
    mg->pool_rate = 0.01;
    mg->pool_of = 0;
    mg->team = 0;
    sp_results r = run(&m, 1, 1, 1);
    assert_close(mmean(&r, SP_M_POOL, 0, 2), 13200, 1e-12);
    assert_close(mmean(&r, SP_M_POOL, 0, 1), 0, 0);
    assert_close(mmean(&r, SP_M_AWARD, 0, 2), 1000, 1e-12);
    assert_close(mmean(&r, SP_M_POOL, 1, 2), 6600, 1e-12);
    assert_close(mmean(&r, SP_M_POOL, -1, 2), 19800, 1e-12);
    const sp_rep_stats *rs = &r.reps[0];
    assert_int_equal(rs->records, 3);
    assert_close(rs->earnings.mean, 14200.0 / 3, 1e-12);
    /* histogram percentiles: within the documented 0.05% */
    assert_close(rs->earnings.p[SP_P50], 4950, 5e-4 * 4950);
    assert_close(rs->earnings.p[SP_P5], 3300 + 0.1 * 1650, 5e-4 * 3465);
    assert_close(rs->attainment.mean, (1 + 230.0 / 300 + 0.65) / 3, 1e-12);
    assert_close(rs->share_at_quota, 1.0 / 3, 1e-12);
    /* the manager is measured on its team (MODEL.md 5.2): the ae's
     * bookings 660k over their quota 300k + 300k + 200k = 800k, 0.825,
     * not at quota; no target (no bonus, no TI), so no at-OTE share */
    const sp_rep_stats *ms = &r.reps[1];
    assert_int_equal(ms->records, 1);
    assert_int_equal(ms->defined, 1);
    assert_close(ms->attainment.mean, 0.825, 1e-12);
    assert_close(ms->share_at_quota, 0, 0);
    assert_true(isnan(ms->share_at_ote));
    assert_close(ms->earnings.mean, 6600, 1e-12);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Undefined ratios are NaN: start Mar 2027, fiscal years from April, so
 * FY2027 is March alone, where the new hire's ramp is 0: quota 0 and
 * bookings 0, so attainment and cos are undefined (n = 0). */
static void test_undefined_ratios(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 3, 3, 4);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->base = 12e3;
    ae->nramp = 1;
    hires_add(ae, 0, 1);
    sp_results r = run(&m, 4, 1, 1);
    const sp_stat *a = pstat(&r, 0, SP_M_ATTAINMENT, 0);
    assert_int_equal(a->n, 0);
    assert_true(isnan(a->mean) && isnan(a->p[SP_P50]));
    assert_true(isnan(pstat(&r, 0, SP_M_COS, -1)->mean));
    assert_true(isnan(r.ptrial[(size_t)(0 * r.npseries +
                                sp_series(&r, SP_M_COS, -1)) * r.trials]));
    assert_close(pstat(&r, 1, SP_M_ATTAINMENT, 0)->mean, 1, 1e-12);
    /* the March settlement has P = 0: a record without attainment, one
     * per trial */
    assert_int_equal(r.reps[0].records, 4);
    assert_int_equal(r.reps[0].defined, 0);
    assert_true(isnan(r.reps[0].share_at_quota));
    /* payback never: cost 1,000 at t = 0 with no revenue, then revenue */
    assert_int_equal(r.payback_p50, 1);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* ---- statistical ------------------------------------------------------ */

/* 20% a year without backfill: each of 50 reps survives 12 months with
 * probability (1 - h)^12 = 0.8, so departures ~ Binomial(50, 0.2): mean
 * 10, sd sqrt(8). */
static void test_attrition_survivors(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 12, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1e6;
    ae->headcount = 50;
    ae->backfill = 0;
    ae->hazard[0] = 1 - pow(0.8, 1.0 / 12);
    const int n = 400;
    sp_results r = run(&m, n, 2385, 1);
    double dep = pstat(&r, 1, SP_M_DEPARTURES, 0)->mean;
    assert_true(fabs(dep - 10) < 5 * sqrt(8.0 / n));
    double surv = mmean(&r, SP_M_HEADCOUNT, 0, 11) - mmean(&r, SP_M_DEPARTURES, 0, 11);
    assert_true(fabs(surv / 50 - 0.8) < 5 * sqrt(0.16 / 50 / n));
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Skill lognormal(mean 0.9, sd 0.3), volatility 0.4, 20 ramped reps,
 * 100k a month: mean monthly bookings 20 * 100k * 0.9 = 1.8M.  One month:
 * per rep Var = 1e10 (E s^2 E e^2 - 0.81) = 1e10 (0.9 * 1.16 - 0.81)
 * = 0.234e10.  The year: per rep 1e10 (E s^2 * 12 * 0.16 + Var s * 144)
 * = 1e10 (1.728 + 12.96). */
static void test_bookings_lognormal(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 12, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 20;
    ae->attainment.kind = SP_D_LOGNORMAL;
    ae->attainment.p[0] = 0.9;
    ae->attainment.p[1] = 0.3;
    ae->volatility = 0.4;
    const int n = 400;
    sp_results r = run(&m, n, 77, 2);
    double se_m = sqrt(20 * 0.234e10 / n);
    for (int t = 0; t < 12; t += 5)
        assert_true(fabs(mmean(&r, SP_M_BOOKINGS, 0, t) - 1.8e6) < 5 * se_m);
    double se_y = sqrt(20 * 1e10 * (1.728 + 12.96) / n);
    assert_true(fabs(pstat(&r, 0, SP_M_BOOKINGS, -1)->mean - 21.6e6) < 5 * se_y);
    /* the reported sd of a month is near its theoretical sqrt(20 * 0.234e10)
     * = 216k (well within 25% at n = 400) */
    assert_true(fabs(mstat(&r, SP_M_BOOKINGS, 0, 3)->sd / sqrt(20 * 0.234e10) - 1) < 0.25);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Deals: 100k a month of quota, deal size 25k -> lambda = 4 deals.
 * With cv 0 the bookings are 25k * Poisson(4): mean 100k, sd 50k, median
 * exactly 100k (P(N <= 3) = 0.43, P(N <= 4) = 0.63).  With cv 0.5 and ten
 * reps: compound Poisson, Var = 10 * lambda * d^2 (1 + cv^2) = 3.125e10
 * (sd 176.8k; a fixed count would give only 79k). */
static void test_deals(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 2, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 1;
    ae->deals = 1;
    ae->deal_size = 25e3;
    const int n = 2000;
    sp_results r = run(&m, n, 5, 1);
    const sp_stat *s = mstat(&r, SP_M_BOOKINGS, 0, 1);
    assert_true(fabs(s->mean - 1e5) < 5 * 5e4 / sqrt(n));
    assert_true(fabs(s->sd - 5e4) < 5 * 5e4 * sqrt(1.0 / (2 * n) + 0.25 / (4.0 * n)) * 2);
    assert_close(s->p[SP_P50], 1e5, 0);
    sp_results_free(&r);

    ae->headcount = 10;
    ae->deal_cv = 0.5;
    r = run(&m, n, 6, 1);
    s = mstat(&r, SP_M_BOOKINGS, 0, 0);
    double sd = sqrt(3.125e10);
    assert_true(fabs(s->mean - 1e6) < 5 * sd / sqrt(n));
    assert_true(fabs(s->sd - sd) < 5 * sd / sqrt(2.0 * n));
    sp_results_free(&r);
    sp_model_free(&m);
}

/* The market path: M_t has mean 1 (E exp(x - s^2/2) = 1), log M has
 * variance sigma^2 at every t and lag-1 correlation rho.
 *   Var M = exp(s^2) - 1; se of the sample correlation ~ (1 - rho^2)/sqrt n;
 *   se of the sample variance of a normal ~ s^2 sqrt(2/n). */
static void test_market_path(void **state)
{
    (void)state;
    const double sigma = 0.3, rho = 0.7;
    const int n = 4000, H = 30;
    gsl_rng *g = sp_rng_alloc();
    double M[30];
    double sm = 0, s0 = 0, s20 = 0, sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    for (int k = 0; k < n; k++) {
        sp_rng_key(g, 3, (uint64_t)k, 0, 0, SP_RNG_MARKET);
        sp_market_path(sigma, rho, H, g, M);
        sm += M[12];
        double x0 = log(M[0]) + sigma * sigma / 2;
        double x = log(M[20]) + sigma * sigma / 2;
        double y = log(M[21]) + sigma * sigma / 2;
        s0 += x0 * x0;
        s20 += x * x;
        sx += x, sy += y, sxy += x * y, sxx += x * x, syy += y * y;
    }
    assert_true(fabs(sm / n - 1) < 5 * sqrt((exp(sigma * sigma) - 1) / n));
    double v = sigma * sigma;
    assert_true(fabs(s0 / n - v) < 5 * v * sqrt(2.0 / n));
    assert_true(fabs(s20 / n - v) < 5 * v * sqrt(2.0 / n));
    double cov = sxy / n - sx / n * sy / n;
    double corr = cov / sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
    assert_true(fabs(corr - rho) < 5 * (1 - rho * rho) / sqrt(n));
    /* sigma 0: exactly 1 */
    sp_market_path(0, rho, H, g, M);
    for (int t = 0; t < H; t++)
        assert_true(M[t] == 1);
    sp_rng_free(g);
}

/* P(target): 100 ramped reps with noise 0.3 only, 12 months: the year's
 * bookings are a sum of 1200 independent 100k * lognormal(1, 0.3) -
 * mean 120M, sd sqrt(1200 * 1e10 * 0.09) = 3.286M, skew 0.03 - so
 * P(>= 122M) = Q(2M / 3.286M) = 0.271 (normal approximation, error
 * ~1e-3).  Binomial se over 800 trials: sqrt(0.271 * 0.729 / 800). */
static void test_p_target(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 12, 1);
    m.ntarget = 1;
    m.target[0] = 122e6;
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 100;
    ae->volatility = 0.3;
    const int n = 800;
    sp_results r = run(&m, n, 12, 2);
    double p = gsl_cdf_ugaussian_Q(2e6 / sqrt(1200 * 1e10 * 0.09));
    assert_true(fabs(r.p_target[0] - p) < 5 * sqrt(p * (1 - p) / n) + 2e-3);
    assert_true(isnan(r.p_target[1]));   /* the horizon total has none */
    sp_results_free(&r);
    sp_model_free(&m);
}

/* ---- reproducibility -------------------------------------------------- */

/* Everything at once: attrition by tenure year, backfill with random time
 * to fill, deals, market, managers with pool, award, draws, bonus. */
static void rich_model(sp_model *m)
{
    model_init(m, 2027, 1, 18, 4);
    m->market_sigma = 0.2;
    m->market_rho = 0.6;
    m->ntarget = 2;
    m->target[0] = 2e6;
    m->target[1] = 9e6;
    sp_model_role *ae = role_add(m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 6;
    ae->has_tenure = 1;
    ae->tenure.kind = SP_D_UNIFORM;
    ae->tenure.p[1] = 14;
    ae->nramp = 3;
    ae->ramp[0] = 0.2, ae->ramp[1] = 0.5, ae->ramp[2] = 0.8;
    ae->attainment.kind = SP_D_LOGNORMAL;
    ae->attainment.p[0] = 0.95, ae->attainment.p[1] = 0.3;
    ae->deals = 1;
    ae->deal_size = 30e3;
    ae->deal_cv = 0.6;
    ae->nattr = 2;
    ae->hazard[0] = 0.04, ae->hazard[1] = 0.02;
    ae->time_to_fill.kind = SP_D_UNIFORM;
    ae->time_to_fill.p[0] = 0.5, ae->time_to_fill.p[1] = 2.5;
    hires_add(ae, 2, 2);
    hires_add(ae, 5, 1);
    ae->base = 70e3;
    ae->comp.ti = 70e3;
    ae->comp.ntiers = 2;
    ae->comp.tier_u[0] = 1;
    ae->comp.tier_t[1] = 1, ae->comp.tier_u[1] = 1.5;
    ae->comp.bonus = 10e3;
    ae->comp.ncurve = 2;
    ae->comp.curve_x[1] = 1, ae->comp.curve_y[1] = 1;
    ae->comp.draw_months = 3;
    ae->comp.draw_amount = 4e3;
    ae->comp.draw_recoverable = 1;
    ae->award_k = 1;
    ae->award_amount = 2e3;
    ae->burden = 0.25;
    ae->recruiting_cost = 10e3;
    sp_model_role *mg = role_add(m, "mgr", SP_KIND_MANAGER);
    mg->manages = 0;
    mg->span = 4;
    mg->time_to_fill.p[0] = 1;
    mg->base = 130e3;
    mg->pool_rate = 0.02;
    mg->pool_of = 0;
    mg->hazard[0] = 0.01;
    sp_model_role *as = role_add(m, "assistant", SP_KIND_SUPPORT);
    as->headcount = 1;
    as->base = 45e3;
    as->monthly_cost = 300;
}

/* Three ramped reps, quarterly periods, 100k a month of quota, skill 1.2:
 * 360k a quarter against 300k, attainment exactly 1.2 in every record.
 *   TI 60k -> TI_p = 15k, BCR = 0.05, one tier at 1: commission 18,000;
 *   base 60k -> 15,000 a quarter; earnings 33,000 in every record.
 * 5 trials x 3 reps x 4 quarters = 60 records in FY2027 (= the total).
 * Attainment bins are 0%, 10%, ..., 200%, then >= 200%: everything in
 * bin 12, [120%, 130%).  Earnings are all alike, so the bins are of the
 * round width 1,000 (33,000 / 40 = 825 rounded up to 1, 2, 2.5 or 5 x
 * 10^k) around the value: 28,000 to 38,000, ten bins, all of it in bin 5,
 * [33,000, 34,000), and no open ends (no records beyond). */
static void test_rep_histograms_exact(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027, 1, 12, 1);
    sp_model_role *ae = role_add(&m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 3;
    ae->attainment.p[0] = 1.2;
    ae->base = 60e3;
    ae->comp.ti = 60e3;
    sp_results r = run(&m, 5, 7, 2);
    for (int p = 0; p < r.nperiods; p++) {
        const sp_rep_stats *rs = &r.reps[p];
        assert_int_equal(rs->records, 60);
        assert_close(rs->attainment.p[SP_P50], 1.2, 1e-12);
        const sp_rep_hist *a = &rs->attainment_hist;
        assert_int_equal(a->nbins, 21);
        for (int k = 0; k <= 20; k++)
            assert_close(a->edges[k], k / 10.0, 1e-12);
        assert_true(isinf(a->edges[21]) && a->edges[21] > 0);
        for (int k = 0; k < 21; k++)
            assert_close(a->share[k], k == 12 ? 1 : 0, 0);
        const sp_rep_hist *e = &rs->earnings_hist;
        assert_close(rs->earnings.mean, 33000, 1e-9);
        assert_int_equal(e->nbins, 10);
        for (int k = 0; k <= 10; k++)
            assert_close(e->edges[k], 28000 + 1000.0 * k, 0);
        for (int k = 0; k < 10; k++)
            assert_close(e->share[k], k == 5 ? 1 : 0, 0);
    }
    sp_results_free(&r);
    sp_model_free(&m);
}

/* A random plan: every histogram's shares are non-negative and add up to
 * 1, its edges ascend, and the attainment bins below 100% hold the records
 * that are not at quota (counted exactly, record by record), up to the
 * sliver of one 0.1% fine bin that the 1e-9 edge tolerance splits off. */
static void test_rep_histograms_consistent(void **state)
{
    (void)state;
    sp_model m;
    rich_model(&m);
    sp_results r = run(&m, 200, 11, 2);
    int seen = 0;
    for (size_t i = 0; i < (size_t)r.nperiods * r.nroles; i++) {
        const sp_rep_stats *rs = &r.reps[i];
        const sp_rep_hist *hs[2] = {&rs->attainment_hist, &rs->earnings_hist};
        for (int k = 0; k < 2; k++) {
            const sp_rep_hist *h = hs[k];
            long n = k == 0 ? rs->defined : rs->records;
            if (n == 0) {
                assert_int_equal(h->nbins, 0);
                continue;
            }
            assert_true(h->nbins > 0);
            double sum = 0;
            for (int b = 0; b < h->nbins; b++) {
                assert_true(h->share[b] >= 0);
                assert_true(h->edges[b] < h->edges[b + 1]);
                sum += h->share[b];
            }
            assert_close(sum, 1, 1e-12);
            if (k == 1) {
                /* 10 to 22 round-width bins plus at most two open ends */
                assert_in_range(h->nbins, 10, 24);
                continue;
            }
            double below = 0;
            for (int b = 0; b < 10; b++)
                below += h->share[b];
            assert_close(below, 1 - rs->share_at_quota, 1e-5);
            seen++;
        }
    }
    assert_true(seen > 0);
    sp_results_free(&r);
    sp_model_free(&m);
}

static void assert_same_results(const sp_results *a, const sp_results *b)
{
    int H = a->model.horizon;
    assert_int_equal(a->nseries, b->nseries);
    assert_int_equal(a->nperiods, b->nperiods);
    assert_memory_equal(a->present, b->present, (size_t)a->nseries);
    assert_memory_equal(a->monthly, b->monthly,
                        (size_t)a->nseries * H * sizeof *a->monthly);
    assert_memory_equal(a->pstats, b->pstats,
                        (size_t)a->nperiods * a->npseries * sizeof *a->pstats);
    assert_memory_equal(a->ptrial, b->ptrial,
                        (size_t)a->nperiods * a->npseries * a->trials * sizeof *a->ptrial);
    assert_memory_equal(a->p_target, b->p_target, (size_t)a->nperiods * sizeof(double));
    assert_memory_equal(a->payback, b->payback, (size_t)a->trials * sizeof(int));
    assert_int_equal(a->payback_p50, b->payback_p50);
    for (size_t i = 0; i < (size_t)a->nperiods * a->nroles; i++) {
        const sp_rep_stats *x = &a->reps[i], *y = &b->reps[i];
        /* everything before the histograms' pointers, then what they hold */
        assert_memory_equal(x, y, offsetof(sp_rep_stats, attainment_hist));
        const sp_rep_hist *hx[2] = {&x->attainment_hist, &x->earnings_hist};
        const sp_rep_hist *hy[2] = {&y->attainment_hist, &y->earnings_hist};
        for (int k = 0; k < 2; k++) {
            assert_int_equal(hx[k]->nbins, hy[k]->nbins);
            if (hx[k]->nbins == 0)
                continue;
            assert_memory_equal(hx[k]->edges, hy[k]->edges,
                                (size_t)(hx[k]->nbins + 1) * sizeof(double));
            assert_memory_equal(hx[k]->share, hy[k]->share,
                                (size_t)hx[k]->nbins * sizeof(double));
        }
    }
}

static void test_threads_and_reruns_identical(void **state)
{
    (void)state;
    sp_model m;
    rich_model(&m);
    sp_results a = run(&m, 300, 42, 1);
    sp_results b = run(&m, 300, 42, 2);
    sp_results c = run(&m, 300, 42, 3);
    sp_results d = run(&m, 300, 42, 2);
    assert_same_results(&a, &b);
    assert_same_results(&a, &c);
    assert_same_results(&b, &d);
    /* a different seed gives different numbers */
    sp_results e = run(&m, 300, 43, 2);
    assert_true(a.pstats[0].mean != e.pstats[0].mean ||
                memcmp(a.ptrial, e.ptrial, 300 * sizeof(double) * 40) != 0);
    /* no NaN or infinity in monthly statistics, sd >= 0, ordered pcts */
    for (int s = 0; s < a.nseries; s++)
        for (int t = 0; t < m.horizon; t++) {
            const sp_stat *st = &a.monthly[(size_t)s * m.horizon + t];
            assert_true(isfinite(st->mean) && isfinite(st->sd) && isfinite(st->se));
            assert_true(st->sd >= 0);
            for (int k = 0; k < SP_NPCT; k++) {
                assert_true(isfinite(st->p[k]));
                if (k > 0)
                    assert_true(st->p[k] >= st->p[k - 1]);
            }
            assert_int_equal(st->n, 300);
        }
    sp_results_free(&a);
    sp_results_free(&b);
    sp_results_free(&c);
    sp_results_free(&d);
    sp_results_free(&e);
    sp_model_free(&m);
}

/* Adding one June hire leaves every other employee's draws unchanged:
 * every employee of the first model is found (by its stream key) in the
 * second with the same start, skill, bookings and departure. */
static void test_common_random_numbers(void **state)
{
    (void)state;
    sp_model a, b;
    rich_model(&a);
    rich_model(&b);
    /* t = 5 is June 2027 */
    b.roles[0].hire_n[1] = 2;
    enum { CAP = 200 };
    sp_emp_trace *ta = calloc(CAP, sizeof *ta), *tb = calloc(CAP, sizeof *tb);
    int extra_seen = 0;
    for (long trial = 0; trial < 25; trial++) {
        long na = sp_simulate_trace(&a, 42, trial, ta, CAP);
        long nb = sp_simulate_trace(&b, 42, trial, tb, CAP);
        assert_true(na > 0 && na <= CAP && nb > na - 1 && nb <= CAP);
        for (long i = 0; i < na; i++) {
            if (ta[i].role != 0)
                continue;
            long j = 0;
            while (j < nb && !(tb[j].role == 0 && tb[j].key == ta[i].key))
                j++;
            assert_true(j < nb);
            assert_int_equal(ta[i].start, tb[j].start);
            assert_int_equal(ta[i].left, tb[j].left);
            assert_true(ta[i].skill == tb[j].skill);
            assert_memory_equal(ta[i].bookings, tb[j].bookings,
                                sizeof ta[i].bookings);
        }
        for (long j = 0; j < nb; j++)
            if (tb[j].role == 0 && tb[j].key == ((1ULL << 60) | (5ULL << 32) | 1))
                extra_seen++;
    }
    assert_int_equal(extra_seen, 25);
    /* trace of a run agrees with the run: same total bookings in trial 3 */
    sp_results r = run(&a, 4, 42, 1);
    long na = sp_simulate_trace(&a, 42, 3, ta, CAP);
    double tot = 0;
    for (long i = 0; i < na; i++)
        for (int t = 0; t < a.horizon; t++)
            tot += ta[i].bookings[t];
    const double *pt = &r.ptrial[((size_t)(r.nperiods - 1) * r.npseries +
                                  sp_series(&r, SP_M_BOOKINGS, -1)) * r.trials];
    assert_close(pt[3], tot, 1e-9);
    sp_results_free(&r);
    free(ta);
    free(tb);
    sp_model_free(&a);
    sp_model_free(&b);
}

/* Changing one role's pay leaves bookings and headcount identical trial by
 * trial (common random numbers across scenarios). */
static void test_crn_pay_change(void **state)
{
    (void)state;
    sp_model a, b;
    rich_model(&a);
    rich_model(&b);
    b.roles[0].comp.ti = 90e3;
    sp_results ra = run(&a, 100, 8, 2), rb = run(&b, 100, 8, 1);
    for (int p = 0; p < ra.nperiods; p++) {
        int metrics[3] = {SP_M_BOOKINGS, SP_M_HEADCOUNT, SP_M_DEPARTURES};
        for (int k = 0; k < 3; k++) {
            size_t off = ((size_t)p * ra.npseries + sp_series(&ra, metrics[k], -1)) * 100;
            assert_memory_equal(&ra.ptrial[off], &rb.ptrial[off], 100 * sizeof(double));
        }
        size_t off = ((size_t)p * ra.npseries + sp_series(&ra, SP_M_COMMISSION, 0)) * 100;
        assert_true(memcmp(&ra.ptrial[off], &rb.ptrial[off], 100 * sizeof(double)) != 0);
    }
    sp_results_free(&ra);
    sp_results_free(&rb);
    sp_model_free(&a);
    sp_model_free(&b);
}

/* ---- precision of the monthly store ----------------------------------- */

/* A one-month horizon: the month is the fiscal year and the whole horizon,
 * so each monthly figure of a trial is that trial's period figure.  Period
 * percentiles come from the trial's own doubles; with the monthly store in
 * double (this run is far below the budget) the monthly percentiles,
 * stored or recomputed (cost, variable, burden, totals), are order
 * statistics of the same doubles and must be the same numbers. */
static void one_month_model(sp_model *m)
{
    model_init(m, 2027, 1, 1, 1);
    m->market_sigma = 0.2;
    sp_model_role *ae = role_add(m, "ae", SP_KIND_QUOTA);
    ae->quota = 1.2e6;
    ae->headcount = 30;
    ae->attainment.kind = SP_D_LOGNORMAL;
    ae->attainment.p[0] = 0.9, ae->attainment.p[1] = 0.35;
    ae->volatility = 0.4;
    ae->hazard[0] = 0.05;
    ae->base = 70e3;
    ae->comp.ti = 70e3;
    ae->comp.period = 1;
    ae->comp.ntiers = 2;
    ae->comp.tier_t[1] = 1, ae->comp.tier_u[1] = 1.5;
    ae->burden = 0.23;
    ae->recruiting_cost = 11e3;
    ae->training_cost = 3.3e3;
    ae->monthly_cost = 1.1e3;
    sp_model_role *sd = role_add(m, "sdr", SP_KIND_QUOTA);
    sd->quota = 0.37e6;
    sd->headcount = 13;
    sd->attainment.kind = SP_D_LOGNORMAL;
    sd->attainment.p[0] = 1.1, sd->attainment.p[1] = 0.2;
    sd->volatility = 0.3;
    sd->hazard[0] = 0.07;
    sd->base = 47e3;
    sd->comp.ti = 23e3;
    sd->comp.period = 1;
    sd->burden = 0.31;
    sd->monthly_cost = 0.7e3;
}

static void test_monthly_percentiles_exact(void **state)
{
    (void)state;
    sp_model m;
    one_month_model(&m);
    sp_results r = run(&m, 333, 2024, 2);
    const int metrics[] = {SP_M_BOOKINGS, SP_M_COST, SP_M_COMMISSION,
                           SP_M_DEPARTURES, SP_M_VARIABLE, SP_M_BURDEN,
                           SP_M_REVENUE, SP_M_BASE, SP_M_CONTRIBUTION};
    int periods = 0;
    for (int p = 0; p < r.nperiods; p++) {
        assert_int_equal(r.periods[p].t0, 0);
        assert_int_equal(r.periods[p].t1, 0);
        periods += r.periods[p].is_total ? 2 : 1;
        for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++)
            for (int role = -1; role < r.nroles; role++) {
                if (sp_metric_total_only(metrics[i]) && role >= 0)
                    continue;
                const sp_stat *ms = mstat(&r, metrics[i], role, 0);
                const sp_stat *ps = pstat(&r, p, metrics[i], role);
                /* the figures vary, so this is not min/max clamping */
                if (metrics[i] != SP_M_BASE)
                    assert_true(ms->sd > 0);
                for (int k = 0; k < SP_NPCT; k++)
                    if (!(ms->p[k] == ps->p[k]))
                        fail_msg("%s role %d period %d P%d: monthly %.17g, "
                                 "period %.17g", sp_metric_name(metrics[i]),
                                 role, p, k, ms->p[k], ps->p[k]);
            }
    }
    /* a fiscal year and the total */
    assert_int_equal(periods, 3);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Beyond the budget the monthly values are kept as float: percentiles
 * within 1e-6 of the exact ones (relative to the figure's size), means, sd
 * and se unchanged (they never come from the store), and a varying figure
 * does show the rounding, so the float path was taken. */
static void test_float_store(void **state)
{
    (void)state;
    sp_model m;
    rich_model(&m);
    sp_run_opts o = {300, 42, 2, NULL, NULL, NULL};
    sp_results e, f;
    sp_error err;
    assert_int_equal(sp_simulate_budget(&m, &o, 0, &e, &err), SP_OK);
    assert_int_equal(sp_simulate_budget(&m, &o, 1, &f, &err), SP_OK);
    int H = m.horizon, rounded = 0;
    for (size_t c = 0; c < (size_t)e.nseries * H; c++) {
        const sp_stat *x = &e.monthly[c], *y = &f.monthly[c];
        assert_true(x->mean == y->mean && x->sd == y->sd && x->se == y->se);
        assert_int_equal(x->n, y->n);
        double scale = 0;
        for (int k = 0; k < SP_NPCT; k++)
            scale = fmax(scale, fabs(x->p[k]));
        for (int k = 0; k < SP_NPCT; k++) {
            if (!(fabs(x->p[k] - y->p[k]) <= 1e-6 * scale))
                fail_msg("cell %zu P%d: double %.17g, float %.17g", c, k,
                         x->p[k], y->p[k]);
            rounded += x->p[k] != y->p[k];
        }
    }
    assert_true(rounded > 0);
    /* period figures never go through the monthly store */
    assert_memory_equal(e.pstats, f.pstats,
                        (size_t)e.nperiods * e.npseries * sizeof *e.pstats);
    /* an explicit budget the store fits gives the default's figures */
    sp_results g;
    assert_int_equal(sp_simulate_budget(&m, &o, (size_t)1 << 30, &g, &err), SP_OK);
    assert_memory_equal(e.monthly, g.monthly,
                        (size_t)e.nseries * H * sizeof *e.monthly);
    sp_results_free(&e);
    sp_results_free(&f);
    sp_results_free(&g);
    sp_model_free(&m);
}

static long calls, last_done;

static void progress(void *ctx, long done, long total)
{
    (void)ctx;
    assert_true(done >= 0 && done <= total);
    calls++;
    last_done = done;
}

static void test_stop_and_progress(void **state)
{
    (void)state;
    sp_model m;
    rich_model(&m);
    volatile sig_atomic_t stop = 1;
    sp_run_opts o = {50, 1, 2, progress, NULL, &stop};
    sp_results r;
    sp_error err;
    memset(&r, 0xff, sizeof r);
    assert_int_equal(sp_simulate(&m, &o, &r, &err), SP_ERR_RUN);
    assert_string_equal(err.msg, "interrupted");
    assert_null(r.monthly);
    assert_null(r.ptrial);
    stop = 0;
    calls = 0;
    assert_int_equal(sp_simulate(&m, &o, &r, &err), SP_OK);
    assert_true(calls >= 1);
    assert_int_equal(last_done, 50);
    sp_results_free(&r);
    sp_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ramp_quota_periods),
        cmocka_unit_test(test_seasonality),
        cmocka_unit_test(test_ratable_revenue),
        cmocka_unit_test(test_time_to_fill),
        cmocka_unit_test(test_manager_span),
        cmocka_unit_test(test_comp_quarter),
        cmocka_unit_test(test_guarantee),
        cmocka_unit_test(test_leaver),
        cmocka_unit_test(test_draw_writeoff),
        cmocka_unit_test(test_pool_award),
        cmocka_unit_test(test_undefined_ratios),
        cmocka_unit_test(test_attrition_survivors),
        cmocka_unit_test(test_bookings_lognormal),
        cmocka_unit_test(test_deals),
        cmocka_unit_test(test_market_path),
        cmocka_unit_test(test_p_target),
        cmocka_unit_test(test_threads_and_reruns_identical),
        cmocka_unit_test(test_rep_histograms_exact),
        cmocka_unit_test(test_rep_histograms_consistent),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_crn_pay_change),
        cmocka_unit_test(test_monthly_percentiles_exact),
        cmocka_unit_test(test_float_store),
        cmocka_unit_test(test_stop_and_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
