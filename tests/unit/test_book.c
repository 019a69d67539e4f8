/* The revenue book, the year to date and payback (MODEL.md 2.3, 3, 6,
 * 10.7, 10.10, 10.11): deterministic plans whose answers are derived by
 * hand in the comments. */
#include "testutil.h"
#include "modelfix.h"

#include "salesplan/sim.h"
#include "salesplan/stats.h"

static void model_init(sp_model *m, int horizon)
{
    fx_model_init(m, 2027 * 12, horizon, 1);   /* 2027-01 */
}

static sp_model_role *role_add(sp_model *m, const char *id)
{
    return fx_role_add(m, id, SP_KIND_QUOTA);
}

static sp_results run(const sp_model *m, int trials)
{
    return fx_run(m, trials, 1, 1);
}

static double mmean(const sp_results *r, int metric, int t)
{
    return fx_mmean(r, metric, -1, t);
}

/* opening_arr 1.2M, revenue ratable 12 renewal 90%, nobody selling:
 * revenue A/12 f(t) = 100k f(t) with f(t) = (1/12) sum_j 0.9^n_j(t),
 * n_j(t) = 0 for t < j, else floor((t - j)/12) + 1:
 *   t = 0: every n_j = 0, f = 1: 100,000 exactly;
 *   t = 1: j = 1 has renewed once: (11 + 0.9)/12 -> 99,166.67;
 *   t = 11: (1 + 11 x 0.9)/12 = 10.9/12 -> 90,833.33;
 *   t = 12: every contract once: 0.9 -> 90,000;
 *   t = 13: j = 1 twice: (0.81 + 11 x 0.9)/12 = 10.71/12 -> 89,250;
 *   t = 24: 0.81 -> 81,000; t = 25: (0.729 + 11 x 0.81)/12 -> 80,325. */
static void test_opening_book(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 26);
    m.ratable_n = 12;
    m.renewal = 0.9;
    m.opening_arr = 1.2e6;
    sp_model_role *ae = role_add(&m, "ae");
    ae->quota = 1e6;
    sp_results r = run(&m, 3);
    const int ts[] = {0, 1, 11, 12, 13, 24, 25};
    const double want[] = {100000, 99166.666666666667, 90833.333333333333,
                           90000, 89250, 81000, 80325};
    for (int i = 0; i < 7; i++) {
        assert_close(mmean(&r, SP_M_OPENING_REVENUE, ts[i]), want[i], 1e-12);
        assert_close(mmean(&r, SP_M_REVENUE, ts[i]), want[i], 1e-12);
        assert_close(mmean(&r, SP_M_CONTRIBUTION, ts[i]), want[i], 1e-12);
    }
    assert_true(r.present[sp_series(&r, SP_M_OPENING_REVENUE, -1)]);
    /* nothing is invested: no payback to report (10.11) */
    assert_close(r.payback_share_no_investment, 1, 0);
    assert_int_equal(r.payback_p50, -1);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* One AE with capacity 1.2M (100k a month, no ramp), revenue ratable 3
 * renewal 50%: bookings of month u give 100k/3 in months u..u+2, half of
 * that in u+3..u+5, a quarter in u+6..u+8.  Month t's revenue sums over
 * u <= t: t = 0: 33,333.33; t = 2: 100k; t = 3: 3 x 33,333 + 16,667 =
 * 116,666.67; t = 5: 100k + 50k = 150k; t = 8: 100k + 50k + 25k = 175k.
 * Without an opening book no opening_revenue series is reported. */
static void test_renewal(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 12);
    m.ratable_n = 3;
    m.renewal = 0.5;
    sp_model_role *ae = role_add(&m, "ae");
    ae->quota = 1.2e6;
    ae->headcount = 1;
    sp_results r = run(&m, 1);
    const int ts[] = {0, 2, 3, 5, 8};
    const double want[] = {100e3 / 3, 100e3, 350e3 / 3, 150e3, 175e3};
    for (int i = 0; i < 5; i++)
        assert_close(mmean(&r, SP_M_REVENUE, ts[i]), want[i], 1e-12);
    assert_false(r.present[sp_series(&r, SP_M_OPENING_REVENUE, -1)]);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Start 2027-07 in a calendar fiscal year, 6 months: FY2027 Jul-Dec.  Ten
 * AEs of 1.2M capacity and skill uniform(0.8, 1.2) book 100k x s a month
 * each, so the half year books 600k x sum(s) = 6M x mean(s); with a
 * target of 12M and ytd_bookings 5.4M, the year reaches its target when
 * 5.4M + 6M x mean(s) >= 12M, mean(s) >= 1.1.  Without the YTD that would
 * take mean(s) >= 2, never.  The exact share is taken from the trials'
 * own bookings (the sum is random); the hand rule checks it trial by
 * trial.  The year is reported whole, not partial (10.7). */
static void test_ytd_bookings(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 6);
    m.start = 2027 * 12 + 6;
    m.ntarget = 1;
    m.target[0] = 12e6;
    m.ytd_bookings = 5.4e6;
    sp_model_role *ae = role_add(&m, "ae");
    ae->quota = 1.2e6;
    ae->headcount = 10;
    ae->attainment.kind = SP_D_UNIFORM;
    ae->attainment.p[0] = 0.8;
    ae->attainment.p[1] = 1.2;
    const int T = 2000;
    sp_results r = run(&m, T);
    assert_false(r.periods[0].partial);
    long hit = 0;
    for (int k = 0; k < T; k++) {
        double b = sp_results_trial(&r, 0, SP_M_BOOKINGS, k);
        hit += 5.4e6 + b >= 12e6;
    }
    assert_close(r.p_target[0], (double)hit / T, 0);
    /* mean(s) of ten uniforms has sd 0.4/sqrt(12 x 10) = 0.0365, so
     * mean(s) >= 1.1 is 2.74 sd out: about 0.3% of trials; the bookings
     * figure itself excludes the YTD (its mean is 6M). */
    assert_true(r.p_target[0] < 0.02);
    assert_close(r.pstats[sp_series(&r, SP_M_BOOKINGS, -1)].mean, 6e6, 0.01);
    sp_results_free(&r);

    /* Deterministic: skill fixed 1: 6M booked; ytd 6M makes 12M exactly,
     * P(target) = 1; ytd 5,999,999 misses by 1: P(target) = 0. */
    ae->attainment.kind = SP_D_FIXED;
    ae->attainment.p[0] = 1;
    m.ytd_bookings = 6e6;
    r = run(&m, 4);
    assert_close(r.p_target[0], 1, 0);
    sp_results_free(&r);
    m.ytd_bookings = 5999999;
    r = run(&m, 4);
    assert_close(r.p_target[0], 0, 0);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Payback of one trial and the summary across trials. */
static void test_payback_rules(void **state)
{
    (void)state;
    const double invest[4] = {-5, -2, 1, 3};   /* below 0 until t = 1 */
    const double never[4] = {-5, -2, 1, -1};
    const double none[4] = {0, 2, 1, 3};
    assert_int_equal(sp_payback_month(invest, NULL, 4), 2);
    assert_int_equal(sp_payback_month(never, NULL, 4), SP_PAYBACK_NEVER);
    assert_int_equal(sp_payback_month(none, NULL, 4), SP_PAYBACK_NONE);
    /* invest - none = {-5, -4, 0, 0}: paid back from t = 2 */
    assert_int_equal(sp_payback_month(invest, none, 4), 2);
    /* five trials: two without investment, then 1, 3 and never among the
     * three that invested: the median (rank 2 of 3) is month 3 */
    const int pb[5] = {SP_PAYBACK_NONE, 1, SP_PAYBACK_NEVER, 3,
                       SP_PAYBACK_NONE};
    sp_payback s;
    sp_payback_summary(pb, 5, 4, &s);
    assert_int_equal(s.p50, 3);
    assert_close(s.share_never, 0.2, 0);
    assert_close(s.share_no_investment, 0.4, 0);
    const int allnone[2] = {SP_PAYBACK_NONE, SP_PAYBACK_NONE};
    sp_payback_summary(allnone, 2, 4, &s);
    assert_int_equal(s.p50, -1);
    assert_close(s.share_no_investment, 1, 0);
}

/* Two extra AEs hired at t = 0 with a ramp 0, 0, then full: each costs
 * 10k a month in base and books nothing in months 0 and 1, then 20k a
 * month (capacity 240k): together -20k, -20k, then +20k a month.  The
 * difference of contribution B - A is -20k,
 * -20k, then +20k a month: cumulative -20k, -40k, -20k, 0: paid back at
 * t = 3 (0 counts as paid back), in every trial. */
static void test_incremental_payback(void **state)
{
    (void)state;
    sp_model a, b;
    model_init(&a, 6);
    sp_model_role *ae = role_add(&a, "ae");
    ae->quota = 240e3;
    ae->headcount = 3;
    ae->base = 120e3;
    ae->nramp = 2;
    assert_int_equal(sp_model_copy(&b, &a), 0);
    int ht[1] = {0}, hn[1] = {2};
    b.roles[0].nhires = 1;
    b.roles[0].hire_t = malloc(sizeof ht);
    b.roles[0].hire_n = malloc(sizeof hn);
    memcpy(b.roles[0].hire_t, ht, sizeof ht);
    memcpy(b.roles[0].hire_n, hn, sizeof hn);
    sp_results ra = run(&a, 5), rb = run(&b, 5);
    sp_payback pb;
    assert_int_equal(sp_paired_payback(&ra, &rb, &pb), 0);
    assert_int_equal(pb.p50, 3);
    assert_close(pb.share_never, 0, 0);
    assert_close(pb.share_no_investment, 0, 0);
    /* the existing team is profitable from month 0: no payback of its own */
    assert_close(ra.payback_share_no_investment, 1, 0);
    sp_results_free(&ra);
    sp_results_free(&rb);
    sp_model_free(&a);
    sp_model_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opening_book),
        cmocka_unit_test(test_renewal),
        cmocka_unit_test(test_ytd_bookings),
        cmocka_unit_test(test_payback_rules),
        cmocka_unit_test(test_incremental_payback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
