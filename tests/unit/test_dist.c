#include "testutil.h"
#include <gsl/gsl_rng.h>
#include "salesplan/dist.h"
#include "salesplan/lang.h"

#define NDRAWS 200000

static sp_dist parse(const char *s)
{
    sp_dist d;
    sp_error err = {0};
    if (sp_dist_parse(s, &d, "f.plan", 1, 1, &err) != SP_OK)
        fail_msg("'%s': %s", s, err.msg);
    return d;
}

/* The token sits at line 7, col 20; messages point at the argument. */
static void parse_fails(const char *s, const char *msg)
{
    sp_dist d;
    sp_error err = {0};
    assert_int_equal(sp_dist_parse(s, &d, "plan.plan", 7, 20, &err),
                     SP_ERR_PARSE);
    assert_int_equal(err.status, SP_ERR_PARSE);
    assert_null(d.pairs);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' does not contain '%s'", err.msg, msg);
}

static void test_parse_forms(void **state)
{
    (void)state;
    sp_dist d;

    d = parse("2");
    assert_int_equal(d.kind, SP_D_FIXED);
    assert_true(d.p[0] == 2);
    d = parse("900k");
    assert_int_equal(d.kind, SP_D_FIXED);
    assert_true(d.p[0] == 900000);
    d = parse("fixed(2.385)");
    assert_int_equal(d.kind, SP_D_FIXED);
    assert_true(d.p[0] == 2.385);

    d = parse("uniform(1, 3)");
    assert_int_equal(d.kind, SP_D_UNIFORM);
    assert_true(d.p[0] == 1 && d.p[1] == 3);
    d = parse("uniform(max=3,min=1)");
    assert_true(d.p[0] == 1 && d.p[1] == 3);
    d = parse("lognormal(mean=0.95, sd=0.30)");
    assert_int_equal(d.kind, SP_D_LOGNORMAL);
    assert_true(d.p[0] == 0.95 && d.p[1] == 0.3);
    d = parse("normal( 900k , sd = 20% )");
    assert_int_equal(d.kind, SP_D_NORMAL);
    assert_true(d.p[0] == 900000 && d.p[1] == 0.2);
    d = parse("triangular(1, mode=2, max=4)");
    assert_int_equal(d.kind, SP_D_TRIANGULAR);
    assert_true(d.p[0] == 1 && d.p[1] == 2 && d.p[2] == 4);
    d = parse("pert(0.5, 0.9, 1.6)");
    assert_int_equal(d.kind, SP_D_PERT);
    assert_true(d.p[0] == 0.5 && d.p[1] == 0.9 && d.p[2] == 1.6);
    d = parse("beta(2, 5)");
    assert_int_equal(d.kind, SP_D_BETA);
    assert_true(d.p[0] == 2 && d.p[1] == 5 && d.p[2] == 0 && d.p[3] == 1);
    d = parse("beta(2, 5, max=1.5)");
    assert_true(d.p[0] == 2 && d.p[1] == 5 && d.p[2] == 0 && d.p[3] == 1.5);
    d = parse("beta(2, 5, 0.5, 1.5)");
    assert_true(d.p[2] == 0.5 && d.p[3] == 1.5);
    d = parse("gamma(mean=3.2, sd=1.1)");
    assert_int_equal(d.kind, SP_D_GAMMA);
    assert_true(d.p[0] == 3.2 && d.p[1] == 1.1);
    d = parse("poisson(4.7)");
    assert_int_equal(d.kind, SP_D_POISSON);
    assert_true(d.p[0] == 4.7);
    d = parse("pert(2, 2, 2)");    /* all equal: a point mass */
    assert_true(d.p[0] == 2 && d.p[2] == 2);

    d = parse("discrete(1:0.2, 2:50%, 3k:0.3)");
    assert_int_equal(d.kind, SP_D_DISCRETE);
    assert_int_equal(d.n, 3);
    assert_true(d.pairs[0].x == 1 && d.pairs[0].y == 0.2);
    assert_true(d.pairs[1].x == 2 && d.pairs[1].y == 0.5);
    assert_true(d.pairs[2].x == 3000 && d.pairs[2].y == 0.3);
    sp_dist_free(&d);
    assert_null(d.pairs);
}

static void test_parse_errors(void **state)
{
    (void)state;
    /* "lognormal(0.95, " is 16 bytes: the sd is at col 20 + 16 = 36 */
    parse_fails("lognormal(0.95, -0.3)",
                "plan.plan:7:36: lognormal sd must be >= 0, found -0.3");
    parse_fails("lognormal(mean=0, sd=0.3)",
                "plan.plan:7:35: lognormal mean must be > 0, found 0");
    parse_fails("normal(1, sd=-5%)",
                "plan.plan:7:33: normal sd must be >= 0, found -5%");
    parse_fails("gamma(-1, 1)", "gamma mean must be > 0, found -1");
    parse_fails("gamma(2, 0)", "gamma sd must be > 0, found 0");
    parse_fails("uniform(3, 1)",
                "uniform max must be >= min, found min 3 and max 1");
    parse_fails("triangular(1, 5, 3)",
                "triangular mode must be between min and max, found 5 (min 1, "
                "max 3)");
    parse_fails("pert(1, 0.5, 3)", "pert mode must be between min and max, "
                "found 0.5 (min 1, max 3)");
    parse_fails("pert(3, 2, 1)", "pert max must be >= min, found min 3 and max 1");
    parse_fails("beta(0, 1)", "beta a must be > 0, found 0");
    parse_fails("beta(1, -2)", "beta b must be > 0, found -2");
    parse_fails("beta(1, 1, 2, 2)", "beta max must be > min, found min 2 and "
                "max 2");
    parse_fails("poisson(-1)", "poisson mean must be >= 0, found -1");
    parse_fails("discrete(1:0.5, 2:-0.1, 3:0.6)",
                "discrete probabilities must be >= 0, found -0.1");
    parse_fails("discrete(1:0.5, 2:0.4)",
                "plan.plan:7:20: discrete probabilities must sum to 1, found a "
                "sum of 0.9");
    parse_fails("discrete(1, 2)", "expected a value:probability pair (e.g. "
                "2:0.5), found '1'");
    parse_fails("discrete()", "discrete needs at least one value:probability pair");
    parse_fails("lognorm(1, 2)",
                "plan.plan:7:20: expected a distribution (fixed, uniform, normal, "
                "lognormal, triangular, pert, beta, gamma, discrete, poisson), "
                "found 'lognorm(1, 2)'; did you mean 'lognormal'?");
    parse_fails("lognorm", "found 'lognorm'; did you mean 'lognormal'?");
    parse_fails("weibull(1, 2)", "poisson), found 'weibull(1, 2)'");
    parse_fails("normal", "expected arguments after 'normal': normal(mean, sd)");
    parse_fails("9OOk", "found '9OOk'");
    /* "uniform(min=1, " is 15 bytes */
    parse_fails("uniform(min=1, min=2)",
                "plan.plan:7:35: duplicate argument 'min' in uniform");
    parse_fails("uniform(lo=1, max=2)",
                "plan.plan:7:28: uniform has no argument 'lo': expected "
                "uniform(min, max)");
    parse_fails("uniform(min=1, 2)",
                "positional argument after a named one in uniform");
    parse_fails("normal(1)", "missing argument 'sd': expected normal(mean, sd)");
    parse_fails("fixed()", "missing argument 'x': expected fixed(x)");
    parse_fails("beta(1)", "missing argument 'b': expected beta(a, b, [min], [max])");
    parse_fails("fixed(1, 2)", "too many arguments: expected fixed(x), found '2'");
    parse_fails("normal(1,200,000, 1)", "not 1,200,000");
    parse_fails("normal(abc, 1)", "plan.plan:7:27: expected a number for normal "
                "mean (e.g. 0.95, 20%, 900k), found 'abc'");
    parse_fails("normal(1, )", "expected a number for normal sd, found nothing");
    parse_fails("normal(1, 2", "expected 'normal(...)' with one closing ')'");
    parse_fails("normal(1, 2)x", "expected 'normal(...)' with one closing ')'");
    parse_fails("normal(1, (2))", "expected 'normal(...)' with one closing ')'");
}

static void test_format_and_equal(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        { "fixed(2)", "fixed(2)" },
        { "2", "fixed(2)" },
        { "900k", "fixed(900000)" },
        { "uniform(max=3, min=1)", "uniform(1, 3)" },
        { "normal(1.2M, 5%)", "normal(1200000, 0.05)" },
        { "lognormal(mean=0.95, sd=0.30)", "lognormal(0.95, 0.3)" },
        { "triangular(1, 2, 4)", "triangular(1, 2, 4)" },
        { "pert(0.5, 0.9, 1.6)", "pert(0.5, 0.9, 1.6)" },
        { "beta(2, 5)", "beta(2, 5)" },
        { "beta(2, 5, 0.5, 1.5)", "beta(2, 5, 0.5, 1.5)" },
        { "gamma(3.2, 1.1)", "gamma(3.2, 1.1)" },
        { "discrete(1:0.2, 2:0.5, 3:0.3)", "discrete(1:0.2, 2:0.5, 3:0.3)" },
        { "poisson(4.7)", "poisson(4.7)" },
        { "normal(0.1, 0.30000000000000004)", "normal(0.1, 0.30000000000000004)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sp_dist a = parse(cases[i].in), b, c;
        char *text = sp_dist_format(&a);
        assert_non_null(text);
        assert_string_equal(text, cases[i].out);
        b = parse(text);
        assert_true(sp_dist_equal(&a, &b));
        assert_int_equal(sp_dist_copy(&c, &a), 0);
        assert_true(sp_dist_equal(&a, &c));
        free(text);
        sp_dist_free(&a);
        sp_dist_free(&b);
        sp_dist_free(&c);
    }

    sp_dist a = parse("uniform(1, 3)"), b = parse("uniform(1, 3.5)");
    assert_false(sp_dist_equal(&a, &b));
    b = parse("triangular(1, 3, 3)");
    assert_false(sp_dist_equal(&a, &b));
    a = parse("discrete(1:0.5, 2:0.5)");
    b = parse("discrete(1:0.5, 2:0.25, 3:0.25)");
    assert_false(sp_dist_equal(&a, &b));
    sp_dist_free(&b);
    b = parse("discrete(1:0.5, 3:0.5)");
    assert_false(sp_dist_equal(&a, &b));
    sp_dist_free(&a);
    sp_dist_free(&b);
}

static void test_mean_and_support(void **state)
{
    (void)state;
    double lo, hi;
    sp_dist d;

    d = parse("uniform(1, 4)");
    assert_close(sp_dist_mean(&d), 2.5, 1e-15);              /* (1+4)/2 */
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 1 && hi == 4);
    d = parse("triangular(1, 2, 6)");
    assert_close(sp_dist_mean(&d), 3, 1e-15);                /* (1+2+6)/3 */
    d = parse("pert(1, 2.5, 6)");
    assert_close(sp_dist_mean(&d), 17.0 / 6, 1e-15);         /* (1+10+6)/6 */
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 1 && hi == 6);
    d = parse("beta(2, 5, 0.5, 1.5)");
    assert_close(sp_dist_mean(&d), 0.5 + 2.0 / 7, 1e-15);    /* 0.5 + 1*2/7 */
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 0.5 && hi == 1.5);
    d = parse("lognormal(0.95, 0.3)");
    assert_close(sp_dist_mean(&d), 0.95, 1e-15);
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 0 && isinf(hi));
    d = parse("normal(-1, 2)");
    assert_close(sp_dist_mean(&d), -1, 1e-15);
    sp_dist_support(&d, &lo, &hi);
    assert_true(isinf(lo) && lo < 0 && isinf(hi));
    d = parse("poisson(4.7)");
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 0 && isinf(hi));
    d = parse("fixed(2.385)");
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 2.385 && hi == 2.385);
    d = parse("discrete(1:0.2, 2:0.5, 7:0.3)");
    assert_close(sp_dist_mean(&d), 3.3, 1e-15);              /* 0.2 + 1 + 2.1 */
    sp_dist_support(&d, &lo, &hi);
    assert_true(lo == 1 && hi == 7);
    sp_dist_free(&d);
}

/* Sample mean within 5 standard errors of the exact mean, and sample sd
 * within 2% of the exact sd.  With 200k draws the relative standard error
 * of a sample sd is about sqrt((kurtosis - 1) / (4 * 200000)), below 0.3%
 * for every case here, so 2% is a bound of more than 5 standard errors
 * that still catches a wrong parameterisation. */
static void check_moments(const char *spec, double sd)
{
    sp_dist d = parse(spec);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double mean = sp_dist_mean(&d), sum = 0, sum2 = 0, lo, hi;

    gsl_rng_set(r, 42);
    sp_dist_support(&d, &lo, &hi);
    for (int i = 0; i < NDRAWS; i++) {
        double x = sp_dist_sample(&d, r, 0);
        if (x < lo || x > hi)
            fail_msg("%s drew %g outside [%g, %g]", spec, x, lo, hi);
        sum += x;
        sum2 += (x - mean) * (x - mean);
    }
    double m = sum / NDRAWS, s = sqrt(sum2 / NDRAWS);
    if (fabs(m - mean) > 5 * sd / sqrt(NDRAWS))
        fail_msg("%s: sample mean %g, expected %g +- %g", spec, m, mean,
                 5 * sd / sqrt(NDRAWS));
    if (fabs(s - sd) > 0.02 * sd)
        fail_msg("%s: sample sd %g, expected %g", spec, s, sd);
    gsl_rng_free(r);
    sp_dist_free(&d);
}

static void test_sample_moments(void **state)
{
    (void)state;
    /* uniform: sd = (b - a) / sqrt(12) = 2.75 / sqrt(12) */
    check_moments("uniform(1.5, 4.25)", 2.75 / sqrt(12));
    /* normal: sd as given */
    check_moments("normal(2.385, 0.7)", 0.7);
    /* lognormal: parameterised by the sd of the variable itself */
    check_moments("lognormal(0.95, 0.3)", 0.3);
    /* triangular(a, c, b): var = (a² + b² + c² - ab - ac - bc) / 18
     * = (1 + 36 + 6.25 - 6 - 2.5 - 15) / 18 = 19.75 / 18 */
    check_moments("triangular(1, 2.5, 6)", sqrt(19.75 / 18));
    /* pert(1, 2.5, 6): alpha = 1 + 4*1.5/5 = 2.2, beta = 1 + 4*3.5/5 = 3.8;
     * var = 25 * alpha*beta / ((alpha+beta)^2 (alpha+beta+1))
     *     = 25 * 8.36 / (36 * 7) */
    check_moments("pert(1, 2.5, 6)", sqrt(25 * 8.36 / 252));
    /* beta(2, 5) on [0.5, 1.5]: var = ab / ((a+b)^2 (a+b+1)) = 10 / (49*8) */
    check_moments("beta(2, 5, 0.5, 1.5)", sqrt(10.0 / 392));
    /* gamma: sd as given */
    check_moments("gamma(3.2, 1.1)", 1.1);
    /* discrete: E[x] = 3.3, E[x²] = 0.2 + 2 + 14.7 = 16.9, var = 16.9 - 10.89 */
    check_moments("discrete(1:0.2, 2:0.5, 7:0.3)", sqrt(6.01));
    /* poisson: var = mean */
    check_moments("poisson(4.7)", sqrt(4.7));
}

static void test_sample_degenerate(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    static const struct { const char *spec; double x; } cases[] = {
        { "fixed(2.385)", 2.385 }, { "lognormal(0.95, 0)", 0.95 },
        { "pert(2, 2, 2)", 2 }, { "triangular(3, 3, 3)", 3 },
        { "uniform(4, 4)", 4 }, { "poisson(0)", 0 },
        { "discrete(5:0, 6:1)", 6 }, { "fixed(-3)", -3 },
    };

    gsl_rng_set(r, 42);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sp_dist d = parse(cases[i].spec);
        for (int k = 0; k < 100; k++)
            assert_true(sp_dist_sample(&d, r, 0) == cases[i].x);
        sp_dist_free(&d);
    }
    sp_dist d = parse("fixed(-3)");
    assert_true(sp_dist_sample(&d, r, 1) == 0);
    gsl_rng_free(r);
}

/* normal(0.3, 1) clamped: P(draw = 0) = P(Z < -0.3) = 0.38209 (Phi(-0.3));
 * its standard error over 200k draws is sqrt(p (1-p) / N) = 0.00109. */
static void test_normal_clamp(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    sp_dist d = parse("normal(0.3, 1)");
    int zeros = 0;

    gsl_rng_set(r, 42);
    for (int i = 0; i < NDRAWS; i++) {
        double x = sp_dist_sample(&d, r, 1);
        assert_true(x >= 0);
        zeros += x == 0;
    }
    double p = 0.382088578, se = sqrt(p * (1 - p) / NDRAWS);
    assert_true(fabs((double)zeros / NDRAWS - p) < 5 * se);
    gsl_rng_free(r);
}

/* Each value's share within 5 standard errors sqrt(p (1-p) / N). */
static void test_discrete_frequencies(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    sp_dist d = parse("discrete(10:0.1, 20:0.25, 30:0.05, 40:0.6)");
    int count[4] = {0};

    gsl_rng_set(r, 42);
    for (int i = 0; i < NDRAWS; i++) {
        double x = sp_dist_sample(&d, r, 0);
        int k = (int)(x / 10) - 1;
        assert_true(k >= 0 && k < 4 && x == 10.0 * (k + 1));
        count[k]++;
    }
    for (int k = 0; k < 4; k++) {
        double p = d.pairs[k].y, se = sqrt(p * (1 - p) / NDRAWS);
        if (fabs((double)count[k] / NDRAWS - p) > 5 * se)
            fail_msg("value %d: share %g, expected %g", (k + 1) * 10,
                     (double)count[k] / NDRAWS, p);
    }
    sp_dist_free(&d);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_format_and_equal),
        cmocka_unit_test(test_mean_and_support),
        cmocka_unit_test(test_sample_moments),
        cmocka_unit_test(test_sample_degenerate),
        cmocka_unit_test(test_normal_clamp),
        cmocka_unit_test(test_discrete_frequencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
