/* Paying every rep, not the average rep: with skill spread and an
 * accelerating tier, mean commission exceeds commission at mean
 * attainment (Jensen's inequality), by exactly what integrating the payout
 * over the skill distribution predicts. */
#include "testutil.h"

#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "salesplan/commands.h"
#include "salesplan/compile.h"
#include "salesplan/sim.h"

/* Lognormal skill with mean 1 and sd 0.3: sigma^2 = ln(1 + 0.09),
 * mu = -sigma^2 / 2. */
static double skill_pdf_excess(double s, void *p)
{
    (void)p;
    double sig = sqrt(log(1.09)), mu = -log(1.09) / 2;
    return (s - 1) * gsl_ran_lognormal_pdf(s, mu, sig);
}

static void test_mean_commission_is_convex(void **state)
{
    (void)state;
    sp_session *s = sp_session_new();
    s->out = s->err = fopen("/dev/null", "w");
    sp_error err = {0};
    /* 20 reps for one fiscal year, one yearly period; no ramp, noise,
     * market or attrition, so a rep's attainment is its skill s and its
     * period bookings are Q * s.  TI = 120k - 60k = 60k, BCR = TI / Q. */
    int rc = sp_exec_text(s,
        "set start 2027-01\nset horizon 12\nrole ae quota\n"
        "set ae.headcount 20\nset ae.quota 1.2M\n"
        "set ae.attainment lognormal(mean=1, sd=0.3)\n"
        "set ae.base 60k\nset ae.ote 120k\nset ae.period year\n"
        "set ae.tiers 0%:1 100%:2\n", "j.plan", 0, &err);
    assert_int_equal(rc, SP_CMD_OK);
    sp_model m;
    assert_int_equal(sp_model_compile(s->e[s->cur].sc, &m, &err), SP_OK);
    sp_run_opts o = {4000, 12345, 2, NULL, NULL, NULL};
    sp_results r;
    assert_int_equal(sp_simulate(&m, &o, &r, &err), SP_OK);
    const sp_stat *c = &r.pstats[(r.nperiods - 1) * r.npseries +
                                 sp_series(&r, SP_M_COMMISSION, -1)];
    /* Marginal tiers 0%:1 100%:2 pay TI * g(s), g(s) = s + (s - 1)+.
     * Commission at mean attainment: 20 reps * 60k * g(1) = 1,200,000.
     * Mean commission: 20 * 60k * (E[S] + E[(S - 1)+]) with E[S] = 1 and
     * E[(S - 1)+] = integral over s > 1 of (s - 1) f(s) ds (numerically;
     * the Black-Scholes form m Phi(d1) - K Phi(d2) = 2 Phi(sigma/2) - 1 gives 0.1167). */
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {skill_pdf_excess, NULL};
    double excess, abserr;
    assert_int_equal(gsl_integration_qagiu(&f, 1, 1e-12, 1e-10, 1000, w, &excess, &abserr), 0);
    gsl_integration_workspace_free(w);
    double at_mean = 20 * 60000.0;
    double expected = 20 * 60000.0 * (1 + excess);
    assert_true(c->mean > at_mean);                /* direction: convex payout */
    if (fabs(c->mean - expected) > 5 * c->se)
        fail_msg("mean commission %.1f, integration %.1f, se %.1f", c->mean, expected, c->se);
    /* and the gap is far beyond noise: about 0.117 * 1.2M = 140k vs se */
    assert_true(c->mean - at_mean > 20 * c->se);
    sp_results_free(&r);
    sp_model_free(&m);
    fclose(s->out);
    sp_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_commission_is_convex),
    };
    return cmocka_run_group_tests_name("convexity", tests, NULL, NULL);
}
