/* Pay rules (MODEL.md section 5) against hand calculations. */
#include "testutil.h"

#include "salesplan/comp.h"

#define TOL 1e-12

/* TI 61,700 a year over a quarter: TI_p = 61,700 * 3/12 = 15,425, and with
 * P = 123,400 the base rate is BCR = 15,425 / 123,400 = 0.125 exactly, so
 * every expected value below is a short product.  Tier thresholds in
 * bookings: 50% -> 61,700, 100% -> 123,400, 150% -> 185,100. */
#define TI 61700.0
#define P 123400.0

static sp_comp_plan plan_flat(void)
{
    sp_comp_plan p;
    memset(&p, 0, sizeof p);
    p.ti = TI;
    p.period = 3;
    p.ntiers = 1;
    p.tier_t[0] = 0;
    p.tier_u[0] = 1;
    return p;
}

static sp_comp_plan plan_tiered(int retro)
{
    sp_comp_plan p = plan_flat();
    static const double t[] = {0, 0.5, 1.0, 1.5}, u[] = {0.5, 1, 1.5, 2};
    p.ntiers = 4;
    memcpy(p.tier_t, t, sizeof t);
    memcpy(p.tier_u, u, sizeof u);
    p.retro = retro;
    return p;
}

/* 0%:0 50%:0 50%:50% 100%:100% 150%:150% */
static void set_step_curve(sp_comp_plan *p)
{
    static const double x[] = {0, 0.5, 0.5, 1.0, 1.5};
    static const double y[] = {0, 0, 0.5, 1.0, 1.5};
    p->ncurve = 5;
    memcpy(p->curve_x, x, sizeof x);
    memcpy(p->curve_y, y, sizeof y);
}

static void test_ti_period(void **state)
{
    (void)state;
    sp_comp_plan p = plan_flat();
    /* 61,700 * 3/12 = 15,425; the quota must not enter. */
    assert_close(sp_comp_ti_period(&p, P, 3), 15425.0, TOL);
    /* 61,700 * 2/12 = 10,283.333... */
    assert_close(sp_comp_ti_period(&p, P, 2), 61700.0 / 6.0, TOL);
    /* With rate 8.5%: TI_p = 0.085 * 123,400 = 10,489, whatever TI and
     * the months say. */
    p.has_rate = 1;
    p.rate = 0.085;
    assert_close(sp_comp_ti_period(&p, P, 3), 10489.0, TOL);
}

static void test_marginal_boundaries(void **state)
{
    (void)state;
    sp_comp_plan p = plan_tiered(0);
    /* Full slices: tier 0 pays 0.5 * 0.125 * 61,700 = 3,856.25; tier 1
     * 1 * 0.125 * 61,700 = 7,712.5; tier 2 1.5 * 0.125 * 61,700 =
     * 11,568.75.  Rates per booked unit: 0.0625, 0.125, 0.1875, 0.25. */
    assert_close(sp_comp_commission(&p, 0, P, 3), 0.0, TOL);
    /* 12,345 * 0.0625 = 771.5625 */
    assert_close(sp_comp_commission(&p, 12345, P, 3), 771.5625, TOL);
    /* 61,699 * 0.0625 = 3,856.1875 */
    assert_close(sp_comp_commission(&p, 61699, P, 3), 3856.1875, TOL);
    assert_close(sp_comp_commission(&p, 61700, P, 3), 3856.25, TOL);
    /* 3,856.25 + 1 * 0.125 */
    assert_close(sp_comp_commission(&p, 61701, P, 3), 3856.375, TOL);
    /* 3,856.25 + 7,712.5 = 11,568.75; one unit below: - 0.125 */
    assert_close(sp_comp_commission(&p, 123399, P, 3), 11568.625, TOL);
    assert_close(sp_comp_commission(&p, 123400, P, 3), 11568.75, TOL);
    /* + 0.1875 */
    assert_close(sp_comp_commission(&p, 123401, P, 3), 11568.9375, TOL);
    /* 11,568.75 + 11,568.75 = 23,137.5; one unit below: - 0.1875 */
    assert_close(sp_comp_commission(&p, 185099, P, 3), 23137.3125, TOL);
    assert_close(sp_comp_commission(&p, 185100, P, 3), 23137.5, TOL);
    /* + 0.25 */
    assert_close(sp_comp_commission(&p, 185101, P, 3), 23137.75, TOL);
    /* 23,137.5 + 0.25 * (200,000 - 185,100) = 23,137.5 + 3,725 */
    assert_close(sp_comp_commission(&p, 200000, P, 3), 26862.5, TOL);
}

static void test_retro_boundaries(void **state)
{
    (void)state;
    sp_comp_plan p = plan_tiered(1);
    /* Tier 0 (below 50%): 0.5 * 0.125 * b = b / 16. */
    assert_close(sp_comp_commission(&p, 61699, P, 3), 3856.1875, TOL);
    /* a = 0.5 exactly is in tier 1: 0.125 * 61,700 = 7,712.5 */
    assert_close(sp_comp_commission(&p, 61700, P, 3), 7712.5, TOL);
    /* 0.125 * 61,701 = 7,712.625 */
    assert_close(sp_comp_commission(&p, 61701, P, 3), 7712.625, TOL);
    /* 0.125 * 123,399 = 15,424.875 */
    assert_close(sp_comp_commission(&p, 123399, P, 3), 15424.875, TOL);
    /* tier 2 re-rates everything: 0.1875 * 123,400 = 23,137.5 */
    assert_close(sp_comp_commission(&p, 123400, P, 3), 23137.5, TOL);
    /* 0.1875 * 123,401 = 370,203 / 16 = 23,137.6875 */
    assert_close(sp_comp_commission(&p, 123401, P, 3), 23137.6875, TOL);
    /* 0.1875 * 185,099 = 555,297 / 16 = 34,706.0625 */
    assert_close(sp_comp_commission(&p, 185099, P, 3), 34706.0625, TOL);
    /* tier 3: 0.25 * 185,100 = 46,275 */
    assert_close(sp_comp_commission(&p, 185100, P, 3), 46275.0, TOL);
    assert_close(sp_comp_commission(&p, 185101, P, 3), 46275.25, TOL);
}

static void test_cap(void **state)
{
    (void)state;
    sp_comp_plan p = plan_tiered(0);
    /* cap 170% of TI_p: 1.7 * 15,425 = 26,222.5 */
    p.cap = 1.7;
    /* marginal 26,862.5 (see above) exceeds it: binds */
    assert_close(sp_comp_commission(&p, 200000, P, 3), 26222.5, TOL);
    /* marginal 23,137.5 stays under it */
    assert_close(sp_comp_commission(&p, 185100, P, 3), 23137.5, TOL);
    /* retro 46,275 at 150% is cut to the cap */
    p.retro = 1;
    assert_close(sp_comp_commission(&p, 185100, P, 3), 26222.5, TOL);
    /* With a rate the cap base is rate * P = 0.085 * 123,400 = 10,489, so
     * 120% caps at 12,586.8; uncapped marginal at 150% would be
     * (0.5 + 1 + 1.5) * 0.085 * 61,700 = 15,733.5. */
    p.retro = 0;
    p.has_rate = 1;
    p.rate = 0.085;
    p.cap = 1.2;
    assert_close(sp_comp_commission(&p, 185100, P, 3), 12586.8, TOL);
    p.cap = 0;
    assert_close(sp_comp_commission(&p, 185100, P, 3), 15733.5, TOL);
}

static void test_decelerator(void **state)
{
    (void)state;
    sp_comp_plan p = plan_flat();
    /* 0%:1 100%:0.5: full rate to quota, half rate above. */
    p.ntiers = 2;
    p.tier_t[1] = 1.0;
    p.tier_u[1] = 0.5;
    /* 0.125 * 123,400 + 0.5 * 0.125 * (150,000 - 123,400)
     * = 15,425 + 0.0625 * 26,600 = 15,425 + 1,662.5 = 17,087.5 */
    assert_close(sp_comp_commission(&p, 150000, P, 3), 17087.5, TOL);
    /* below quota the decelerator does not touch: 0.125 * 98,765 */
    assert_close(sp_comp_commission(&p, 98765, P, 3), 12345.625, TOL);
}

static void test_zero_quota_and_rate(void **state)
{
    (void)state;
    sp_comp_plan p = plan_tiered(0);
    /* P = 0 without rate: nothing, whatever was booked */
    assert_close(sp_comp_commission(&p, 23456, 0, 3), 0.0, TOL);
    /* P = 0 with rate 8.5%: 0.085 * 23,456 = 1,993.76; tiers do not apply
     * and the cap (whose base rate * 0 is 0) is not applied either */
    p.has_rate = 1;
    p.rate = 0.085;
    p.cap = 1.7;
    assert_close(sp_comp_commission(&p, 23456, 0, 3), 1993.76, TOL);
    /* Flat rate with a quota: 0.085 * 98,765 = 8,395.025 */
    sp_comp_plan f = plan_flat();
    f.has_rate = 1;
    f.rate = 0.085;
    assert_close(sp_comp_commission(&f, 98765, P, 3), 8395.025, TOL);
    /* The rate is the BCR, not TI_p / P: with TI 61,700 it would be 0.125 */
    assert_true(fabs(sp_comp_commission(&f, 98765, P, 3) - 12345.625) > 1);
    /* No bookings, or negative ones: nothing */
    assert_close(sp_comp_commission(&f, 0, P, 3), 0.0, TOL);
    assert_close(sp_comp_commission(&f, -500, P, 3), 0.0, TOL);
}

static void test_default_tier_when_unset(void **state)
{
    (void)state;
    sp_comp_plan p;
    memset(&p, 0, sizeof p);
    p.ti = TI;
    /* ntiers 0 means the default 0%:1: 0.125 * 98,765 = 12,345.625 */
    assert_close(sp_comp_commission(&p, 98765, P, 3), 12345.625, TOL);
    p.retro = 1;
    assert_close(sp_comp_commission(&p, 98765, P, 3), 12345.625, TOL);
}

static void test_curve(void **state)
{
    (void)state;
    sp_comp_plan p = plan_flat();
    set_step_curve(&p);
    const double *x = p.curve_x, *y = p.curve_y;
    /* at the step the right point (50%:50%) applies; just below, the flat
     * 0 segment from 0% to 50% */
    assert_close(sp_curve_eval(5, x, y, 0.5), 0.5, TOL);
    assert_close(sp_curve_eval(5, x, y, 0.4999), 0.0, TOL);
    /* halfway between (50%, 50%) and (100%, 100%) */
    assert_close(sp_curve_eval(5, x, y, 0.75), 0.75, TOL);
    /* (100%, 100%) to (150%, 150%) at 123%: 1.23 */
    assert_close(sp_curve_eval(5, x, y, 1.23), 1.23, TOL);
    /* flat beyond both ends */
    assert_close(sp_curve_eval(5, x, y, 2.0), 1.5, TOL);
    assert_close(sp_curve_eval(5, x, y, -0.3), 0.0, TOL);
    assert_close(sp_curve_eval(0, x, y, 0.75), 0.0, TOL);

    /* A curve that starts above 0% (20%:10% 100%:100% 130%:160%):
     * flat 0.1 below 20%; at 60%, 0.1 + 0.9 * (0.4 / 0.8) = 0.55;
     * at 115%, 1 + 0.6 * (0.15 / 0.3) = 1.3; flat 1.6 above 130%. */
    const double x2[] = {0.2, 1.0, 1.3}, y2[] = {0.1, 1.0, 1.6};
    assert_close(sp_curve_eval(3, x2, y2, 0.0), 0.1, TOL);
    assert_close(sp_curve_eval(3, x2, y2, 0.6), 0.55, TOL);
    assert_close(sp_curve_eval(3, x2, y2, 1.15), 1.3, TOL);
    assert_close(sp_curve_eval(3, x2, y2, 7.0), 1.6, TOL);

    /* A step as the last point: the upper value from the step onwards. */
    const double x3[] = {0, 1.0, 1.0}, y3[] = {0, 1.0, 2.0};
    assert_close(sp_curve_eval(3, x3, y3, 0.999), 0.999, TOL);
    assert_close(sp_curve_eval(3, x3, y3, 1.0), 2.0, TOL);
    assert_close(sp_curve_eval(3, x3, y3, 3.0), 2.0, TOL);
    /* A step as the first point: below it the flat lower value. */
    const double x4[] = {0.5, 0.5, 1.0}, y4[] = {0, 0.3, 1.0};
    assert_close(sp_curve_eval(3, x4, y4, 0.49), 0.0, TOL);
    assert_close(sp_curve_eval(3, x4, y4, 0.5), 0.3, TOL);
}

static void test_bonus(void **state)
{
    (void)state;
    sp_comp_plan p = plan_flat();
    set_step_curve(&p);
    p.bonus = 17400;
    /* quarter: 17,400 * 3/12 = 4,350 at curve 1 */
    assert_close(sp_comp_bonus(&p, 0.5, 3), 2175.0, TOL);     /* * 0.5 */
    assert_close(sp_comp_bonus(&p, 0.4999, 3), 0.0, TOL);     /* * 0 */
    assert_close(sp_comp_bonus(&p, 0.75, 3), 3262.5, TOL);    /* * 0.75 */
    assert_close(sp_comp_bonus(&p, 2.0, 3), 6525.0, TOL);     /* * 1.5 */
    /* two commission months: 17,400 * 2/12 = 2,900; * 0.75 = 2,175 */
    assert_close(sp_comp_bonus(&p, 0.75, 2), 2175.0, TOL);
    /* undefined attainment is curve(0), here 0 */
    assert_close(sp_comp_bonus(&p, NAN, 3), 0.0, TOL);

    /* With a floor curve (20%:10% 100%:100% 130%:160%) curve(0) = 0.1, so
     * NaN must pay 4,350 * 0.1 = 435, not 0 and not the top 1.6. */
    static const double x2[] = {0.2, 1.0, 1.3}, y2[] = {0.1, 1.0, 1.6};
    p.ncurve = 3;
    memcpy(p.curve_x, x2, sizeof x2);
    memcpy(p.curve_y, y2, sizeof y2);
    assert_close(sp_comp_bonus(&p, NAN, 3), 435.0, TOL);
    /* no commission months: nothing, even with the floor */
    assert_close(sp_comp_bonus(&p, NAN, 0), 0.0, TOL);
}

static void test_pool_split(void **state)
{
    (void)state;
    /* 7,350 among months 3, 3, 1 (a mid-period hire) and a leaver with 2
     * months who is not active at the end: total 7 months, 1,050 a month:
     * 3,150, 3,150, 1,050, 0. */
    int months[] = {3, 3, 1, 2};
    int elig[] = {1, 1, 1, 0};
    double out[4] = {-1, -1, -1, -1};
    assert_close(sp_comp_pool_split(7350, 4, months, elig, out), 7350.0, TOL);
    assert_close(out[0], 3150.0, TOL);
    assert_close(out[1], 3150.0, TOL);
    assert_close(out[2], 1050.0, TOL);
    assert_close(out[3], 0.0, TOL);

    /* nobody eligible: nothing paid, every share zeroed */
    int none[] = {0, 0, 0, 0};
    double out2[4] = {-1, -1, -1, -1};
    assert_close(sp_comp_pool_split(7350, 4, months, none, out2), 0.0, TOL);
    for (int i = 0; i < 4; i++)
        assert_close(out2[i], 0.0, TOL);

    /* eligible but no months: nothing */
    int zero[] = {0, 0, 0, 0};
    assert_close(sp_comp_pool_split(7350, 4, zero, elig, out2), 0.0, TOL);
    assert_close(sp_comp_pool_split(7350, 0, NULL, NULL, NULL), 0.0, TOL);
}

static void test_award_rank(void **state)
{
    (void)state;
    /* index:      0      1      2      3      4      5
     * attain:   1.1    0.9    1.1    NaN    1.1    1.3 (ineligible)
     * bookings: 50000  60000  50000  99999  40000  10000
     * id:        17     12     15     11     13     14
     * Among the 1.1s, 0 and 2 beat 4 on bookings (4's lower id does not
     * matter); 0 and 2 tie on bookings, so id 15 (index 2) beats id 17.
     * Then 0.9 (index 1).  3 (NaN) and 5 (left) are not ranked. */
    double att[] = {1.1, 0.9, 1.1, NAN, 1.1, 1.3};
    double bk[] = {50000, 60000, 50000, 99999, 40000, 10000};
    long ids[] = {17, 12, 15, 11, 13, 14};
    int elig[] = {1, 1, 1, 1, 1, 0};
    int w[10];

    assert_int_equal(sp_comp_award_rank(6, att, bk, ids, elig, 2, w), 2);
    assert_int_equal(w[0], 2);
    assert_int_equal(w[1], 0);

    /* k beyond the 4 candidates: all of them, best first */
    assert_int_equal(sp_comp_award_rank(6, att, bk, ids, elig, 10, w), 4);
    assert_int_equal(w[0], 2);
    assert_int_equal(w[1], 0);
    assert_int_equal(w[2], 4);
    assert_int_equal(w[3], 1);

    assert_int_equal(sp_comp_award_rank(6, att, bk, ids, elig, 0, w), 0);

    /* An undefined attainment met first is still not ranked: only index 1
     * (80%) wins, even with two prizes. */
    double att2[] = {NAN, 0.8};
    double bk2[] = {99999, 12345};
    long ids2[] = {1, 2};
    int elig2[] = {1, 1};
    assert_int_equal(sp_comp_award_rank(2, att2, bk2, ids2, elig2, 2, w), 1);
    assert_int_equal(w[0], 1);

    /* nobody eligible */
    int none[] = {0, 0, 0, 0, 0, 0};
    assert_int_equal(sp_comp_award_rank(6, att, bk, ids, none, 3, w), 0);
}

/* MODEL.md 5.4's monthly ledger: draw 2,000 a month, recoverable.
 *   month  E      E<D?  paid   repay  debt after
 *   1      2,750  no    2,750  0      0
 *   2      3,000  no    3,000  0      0
 *   3      1,500  yes   2,000  -      500   (+ 2,000 - 1,500)
 *   4      2,375  no    2,000  375    125   (min(500, 375) repaid)
 *   5      3,000  no    2,875  125    0     (min(125, 1,000) repaid)
 *   6      2,750  no    2,750  0      0
 * Non-recoverable: max(E, 2,000), no debt ever:
 *   2,750, 3,000, 2,000, 2,375, 3,000, 2,750. */
static const double ledger_e[6] = {2750, 3000, 1500, 2375, 3000, 2750};

static void test_draw_recoverable(void **state)
{
    (void)state;
    static const double paid[6] = {2750, 3000, 2000, 2000, 2875, 2750};
    static const double debt_after[6] = {0, 0, 500, 125, 0, 0};
    double debt = 0, topup;
    for (int m = 0; m < 6; m++) {
        double got = sp_comp_draw_settle(ledger_e[m], 2000, 1, &debt, &topup);
        assert_close(got, paid[m], TOL);
        assert_close(debt, debt_after[m], TOL);
        assert_close(topup, paid[m] - ledger_e[m], TOL);
    }
    /* NULL topup is allowed */
    debt = 0;
    assert_close(sp_comp_draw_settle(1500, 2000, 1, &debt, NULL), 2000.0, TOL);
    assert_close(debt, 500.0, TOL);
}

static void test_draw_nonrecoverable(void **state)
{
    (void)state;
    static const double paid[6] = {2750, 3000, 2000, 2375, 3000, 2750};
    double debt = 0, topup;
    for (int m = 0; m < 6; m++) {
        double got = sp_comp_draw_settle(ledger_e[m], 2000, 0, &debt, &topup);
        assert_close(got, paid[m], TOL);
        assert_close(debt, 0.0, TOL);
        assert_close(topup, paid[m] - ledger_e[m], TOL);
    }
}

/* The same ledger through sp_comp_settle: monthly plan, flat rate 10%,
 * bookings ten times the earnings above, so commission = E. */
static void test_settle_ledger(void **state)
{
    (void)state;
    static const double topup[6] = {0, 0, 500, -375, -125, 0};
    sp_comp_plan p = plan_flat();
    p.period = 1;
    p.has_rate = 1;
    p.rate = 0.1;
    p.draw_months = -1;
    p.draw_amount = 2000;
    p.draw_recoverable = 1;
    double debt = 0;
    for (int m = 0; m < 6; m++) {
        sp_period_in in = {ledger_e[m] * 10, 98765, 1, 1, 0};
        sp_period_pay out;
        sp_comp_settle(&p, &in, &debt, &out);
        assert_close(out.commission, ledger_e[m], 1e-9);
        assert_close(out.draw_topup, topup[m], 1e-9);
    }
    assert_close(debt, 0.0, 1e-9);
}

static void test_settle_guarantee(void **state)
{
    (void)state;
    /* A period wholly under guarantee 4,100 a month: the guarantee is paid
     * and nothing else, not even the bonus floor curve(0) = 0.1, because
     * there are no commission months; attainment is undefined. */
    sp_comp_plan p = plan_tiered(0);
    static const double x2[] = {0.2, 1.0, 1.3}, y2[] = {0.1, 1.0, 1.6};
    p.bonus = 17400;
    p.ncurve = 3;
    memcpy(p.curve_x, x2, sizeof x2);
    memcpy(p.curve_y, y2, sizeof y2);
    p.period = 1;
    p.guarantee_months = 3;
    p.guarantee_amount = 4100;
    sp_period_in in = {0, 0, 0, 0, 1};
    sp_period_pay out;
    double debt = 0;
    sp_comp_settle(&p, &in, &debt, &out);
    assert_true(isnan(out.attainment));
    assert_close(out.guarantee, 4100.0, TOL);
    assert_close(out.commission, 0.0, TOL);
    assert_close(out.bonus, 0.0, TOL);
    assert_close(out.draw_topup, 0.0, TOL);
    assert_close(out.ti_p, 0.0, TOL);
}

static void test_settle_partial_period(void **state)
{
    (void)state;
    /* Quarter with one guarantee month and two commission months.
     * TI 61,800: TI_p = 61,800 * 2/12 = 10,300; P = 82,400 (two months of
     * quota) so BCR = 0.125; thresholds 41,200, 82,400, 123,600.
     * b = 94,760, a = 1.15:
     *   0.5 * 0.125 * 41,200 = 2,575
     * + 1   * 0.125 * 41,200 = 5,150
     * + 1.5 * 0.125 * 12,360 = 2,317.5      -> 10,042.5
     * bonus 17,400 * 2/12 = 2,900 * curve(1.15) = 1.15 -> 3,335
     * guarantee 4,100 * 1 = 4,100.  No draw: the debt is left alone. */
    sp_comp_plan p = plan_tiered(0);
    p.ti = 61800;
    set_step_curve(&p);
    p.bonus = 17400;
    p.guarantee_months = 1;
    p.guarantee_amount = 4100;
    sp_period_in in = {94760, 82400, 2, 0, 1};
    sp_period_pay out;
    double debt = 321;
    sp_comp_settle(&p, &in, &debt, &out);
    assert_close(out.attainment, 1.15, TOL);
    assert_close(out.ti_p, 10300.0, TOL);
    assert_close(out.commission, 10042.5, TOL);
    assert_close(out.bonus, 3335.0, TOL);
    assert_close(out.guarantee, 4100.0, TOL);
    assert_close(out.draw_topup, 0.0, TOL);
    assert_close(debt, 321.0, TOL);
}

static void test_settle_draw_window(void **state)
{
    (void)state;
    /* Quarter, flat tier, TI 61,800 over 3 months: TI_p = 15,450,
     * P = 123,600, BCR = 0.125.  Draw 4 months of 2,500, recoverable; the
     * quarter holds tenure months 3, 4, 5, so 2 are inside the window:
     * D = 5,000.  b = 30,000 earns 3,750 < 5,000: top-up 1,250, and the
     * debt carried in (400) grows to 1,650. */
    sp_comp_plan p = plan_flat();
    p.ti = 61800;
    p.draw_months = 4;
    p.draw_amount = 2500;
    p.draw_recoverable = 1;
    sp_period_in in = {30000, 123600, 3, 2, 0};
    sp_period_pay out;
    double debt = 400;
    sp_comp_settle(&p, &in, &debt, &out);
    assert_close(out.commission, 3750.0, TOL);
    assert_close(out.draw_topup, 1250.0, TOL);
    assert_close(debt, 1650.0, TOL);

    /* Next quarter is past the window (D = 0): b = 56,000 earns 7,000, of
     * which min(1,650, 7,000 - 0) = 1,650 repays the debt. */
    sp_period_in next = {56000, 123600, 3, 0, 0};
    sp_comp_settle(&p, &next, &debt, &out);
    assert_close(out.commission, 7000.0, TOL);
    assert_close(out.draw_topup, -1650.0, TOL);
    assert_close(debt, 0.0, TOL);

    /* Non-recoverable, same first quarter: top-up 1,250, no debt; the
     * following quarter pays its earnings untouched. */
    p.draw_recoverable = 0;
    debt = 0;
    sp_comp_settle(&p, &in, &debt, &out);
    assert_close(out.draw_topup, 1250.0, TOL);
    assert_close(debt, 0.0, TOL);
    sp_comp_settle(&p, &next, &debt, &out);
    assert_close(out.draw_topup, 0.0, TOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ti_period),
        cmocka_unit_test(test_marginal_boundaries),
        cmocka_unit_test(test_retro_boundaries),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_decelerator),
        cmocka_unit_test(test_zero_quota_and_rate),
        cmocka_unit_test(test_default_tier_when_unset),
        cmocka_unit_test(test_curve),
        cmocka_unit_test(test_bonus),
        cmocka_unit_test(test_pool_split),
        cmocka_unit_test(test_award_rank),
        cmocka_unit_test(test_draw_recoverable),
        cmocka_unit_test(test_draw_nonrecoverable),
        cmocka_unit_test(test_settle_ledger),
        cmocka_unit_test(test_settle_guarantee),
        cmocka_unit_test(test_settle_partial_period),
        cmocka_unit_test(test_settle_draw_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
