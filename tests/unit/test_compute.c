/* The analysis computations called directly, with no session: parse a
 * statement, compute, and check the struct against answers derived by
 * hand on a plan without randomness.
 *
 * The plan: 4 reps present from the start, each with capacity 1 x quota
 * = 1.2M a year, so 100k of bookings a month each (no ramp, no
 * seasonality, no market or rep volatility, no attrition, no hires), over
 * 12 months from 2027-01 (one fiscal year, equal to the horizon).  Pay is
 * 60k base and a flat 5% of bookings (`rate`, default tiers 0%:1, no
 * burden or other cost).  Per year, for the team:
 *   bookings   = 4 x 1.2M        = 4,800,000
 *   base       = 4 x 60k         =   240,000
 *   commission = 5% x 4.8M       =   240,000
 *   cost       = base + commission = 480,000
 * and cost at a rate r is 240,000 + 4,800,000 r. */
#include "testutil.h"

#include "salesplan/commands.h"
#include "salesplan/compare.h"
#include "salesplan/export.h"
#include "salesplan/goalseek.h"
#include "salesplan/stats.h"
#include "salesplan/sweep.h"
#include "salesplan/tornado.h"

static const char plan[] =
    "scenario fixed\n"
    "role ae quota\n"
    "set start 2027-01\n"
    "set horizon 12\n"
    "set ae.headcount 4\n"
    "set ae.quota 1.2M\n"
    "set ae.base 60k\n"
    "set ae.rate 5%\n"
    "set trials 20\n"
    "set seed 3\n";

/* A session only to read the plan; the computations below get none. */
static sp_session *load(void)
{
    sp_session *s = sp_session_new();
    assert_non_null(s);
    s->out = fopen("/dev/null", "w");
    s->err = s->out;
    assert_non_null(s->out);
    sp_error err = {0};
    if (sp_exec_text(s, plan, "<test>", 0, &err))
        fail_msg("%s", err.msg);
    return s;
}

static void unload(sp_session *s)
{
    fclose(s->out);
    sp_session_free(s);
}

static void tokens(const char *text, sp_tokens *t)
{
    size_t pos = 0;
    int line = 1;
    sp_error err = {0};
    memset(t, 0, sizeof *t);
    if (sp_next_statement(text, &pos, &line, "<test>", t, &err) <= 0)
        fail_msg("cannot tokenise '%s': %s", text, err.msg);
}

static void test_sweep_without_session(void **state)
{
    (void)state;
    sp_session *s = load();
    const sp_scenario *sc = sp_session_current(s);
    sp_tokens t;
    tokens("sweep ae.rate 4% 6% step 1% metric cost", &t);
    sp_sweep_request rq;
    sp_error err = {0};
    assert_int_equal(sp_sweep_parse(sc, &t, "<test>", &rq, &err), SP_CMD_OK);
    sp_sweep *sw = NULL;
    long runs = 0;
    if (sp_sweep_compute(NULL, sc, &rq, &sw, &runs, &err))
        fail_msg("%s", err.msg);
    sp_sweep_request_free(&rq);
    assert_int_equal(runs, 3);
    assert_int_equal(sw->n[0], 3);
    assert_string_equal(sw->scenario, "fixed");
    /* cost = 240,000 + 4,800,000 r at r = 4%, 5%, 6% */
    const double want[3] = {432000, 480000, 528000};
    for (int i = 0; i < 3; i++) {
        assert_close(sw->points[i].p50, want[i], 1e-9);
        assert_close(sw->points[i].p10, want[i], 1e-9);
        assert_close(sw->points[i].mean, want[i], 1e-9);
    }
    sp_sweep_free(sw);
    sp_tokens_free(&t);
    unload(s);
}

static const sp_tornado_bar *bar(const sp_tornado *tn, const char *param)
{
    for (int i = 0; i < tn->nbars; i++)
        if (strcmp(tn->bars[i].param, param) == 0)
            return &tn->bars[i];
    fail_msg("no bar for %s", param);
    return NULL;
}

static void test_tornado_without_session(void **state)
{
    (void)state;
    sp_session *s = load();
    const sp_scenario *sc = sp_session_current(s);
    sp_tokens t;
    tokens("tornado metric cost swing 10%", &t);
    sp_tornado_request rq;
    sp_error err = {0};
    assert_int_equal(sp_tornado_parse(sc, &t, "<test>", &rq, &err), SP_CMD_OK);
    sp_tornado *tn = NULL;
    long runs = 0;
    if (sp_tornado_compute(NULL, sc, &rq, &tn, &runs, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(runs, 1 + 2L * tn->nbars);
    assert_close(tn->base, 480000, 1e-9);
    /* rate 4.5% / 5.5%: 240,000 + 4.8M x 4.5% = 456,000; x 5.5% = 504,000 */
    const sp_tornado_bar *b = bar(tn, "ae.rate");
    assert_close(b->metric_low, 456000, 1e-9);
    assert_close(b->metric_high, 504000, 1e-9);
    /* base 54k / 66k: 4 x 54k + 240,000 = 456,000; 4 x 66k + 240,000 */
    b = bar(tn, "ae.base");
    assert_close(b->metric_low, 456000, 1e-9);
    assert_close(b->metric_high, 504000, 1e-9);
    /* largest swing first */
    for (int i = 1; i < tn->nbars; i++)
        assert_true(fabs(tn->bars[i - 1].metric_high - tn->bars[i - 1].metric_low) >=
                    fabs(tn->bars[i].metric_high - tn->bars[i].metric_low));
    sp_tornado_free(tn);
    sp_tokens_free(&t);
    unload(s);
}

static void test_goalseek_without_session(void **state)
{
    (void)state;
    sp_session *s = load();
    sp_scenario *sc = sp_session_current(s);
    sp_tokens t;
    sp_error err = {0};
    sp_goalseek_request rq;
    sp_goalseek_outcome o;

    /* cost 456,000 = 240,000 + 4.8M r  =>  r = 216,000 / 4.8M = 4.5% */
    tokens("goalseek ae.rate for cost = 456k", &t);
    assert_int_equal(sp_goalseek_parse(sc, &t, "<test>", &rq, &err), SP_CMD_OK);
    if (sp_goalseek_compute(NULL, sc, &rq, &o, &err))
        fail_msg("%s", err.msg);
    assert_true(o.found);
    assert_close(o.x, 0.045, 1e-6);
    assert_close(o.mx, 456000, 1e-4);
    sp_tokens_free(&t);

    /* bookings h x 1.2M >= 6M: h = 5 is the smallest (6.0M), 4 gives 4.8M */
    tokens("goalseek ae.headcount for bookings = 6M", &t);
    assert_int_equal(sp_goalseek_parse(sc, &t, "<test>", &rq, &err), SP_CMD_OK);
    if (sp_goalseek_compute(NULL, sc, &rq, &o, &err))
        fail_msg("%s", err.msg);
    assert_true(o.found);
    assert_true(o.rising);
    assert_close(o.x, 5, 0);
    assert_close(o.mx, 6000000, 1e-9);
    assert_close(o.below, 4, 0);
    assert_close(o.mbelow, 4800000, 1e-9);
    sp_tokens_free(&t);

    /* the computation changes nothing: the command sets the value */
    sp_pref p;
    sp_token name = {(char *)"ae.headcount", 1, 1, 0};
    assert_int_equal(sp_scenario_resolve(sc, &name, "<test>", &p, &err), SP_OK);
    assert_close(sp_scenario_value(sc, p)->num, 4, 0);
    unload(s);
}

static void test_compare_without_session(void **state)
{
    (void)state;
    sp_session *s = load();
    sp_error err = {0};
    if (sp_exec_text(s, "copy richer\nset ae.rate 6%\n", "<test>", 0, &err))
        fail_msg("%s", err.msg);
    const sp_scenario *scs[2] = {s->e[0].sc, s->e[1].sc};
    sp_results *rs[2];
    /* trials 0 and seed -1: the first scenario's (20 and 3) */
    if (sp_compare_compute(NULL, scs, 2, 0, -1, rs, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(rs[0]->trials, 20);
    assert_int_equal(rs[1]->trials, 20);
    assert_int_equal((int)rs[1]->seed, 3);
    double mean, se;
    long n;
    /* same bookings in every trial; cost up by 1% of 4.8M = 48,000 */
    assert_int_equal(sp_paired_diff(rs[0], rs[1], SP_PERIOD_TOTAL, SP_M_BOOKINGS,
                                    NULL, &mean, &se, &n), 0);
    assert_int_equal(n, 20);
    assert_close(mean, 0, 0);
    assert_close(se, 0, 0);
    assert_int_equal(sp_paired_diff(rs[0], rs[1], SP_PERIOD_TOTAL, SP_M_COST,
                                    NULL, &mean, &se, &n), 0);
    assert_close(mean, 48000, 1e-9);
    for (int k = 0; k < 2; k++) {
        sp_results_free(rs[k]);
        free(rs[k]);
    }
    unload(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_without_session),
        cmocka_unit_test(test_tornado_without_session),
        cmocka_unit_test(test_goalseek_without_session),
        cmocka_unit_test(test_compare_without_session),
    };
    return cmocka_run_group_tests_name("compute", tests, NULL, NULL);
}
