/* The parameter table, scenarios and their compilation for the engine. */
#include "testutil.h"

#include "salesplan/commands.h"
#include "salesplan/compile.h"
#include "salesplan/model.h"
#include "salesplan/params.h"
#include "salesplan/scenario.h"

static sp_session *session_with(const char *text)
{
    sp_session *s = sp_session_new();
    assert_non_null(s);
    s->out = fopen("/dev/null", "w");
    s->err = s->out;
    sp_error err = {0};
    int rc = sp_exec_text(s, text, "t.plan", 0, &err);
    if (rc != SP_CMD_OK)
        fail_msg("statements failed: %s", err.msg);
    return s;
}

static void session_done(sp_session *s)
{
    fclose(s->out);
    sp_session_free(s);
}

static const char team[] =
    "scenario t \"Test\"\n"
    "set start 2027-01\n"
    "role ae quota\n"
    "set ae.quota 1.2M\n"
    "set ae.headcount 3\n"
    "role mgr manager\n"
    "set mgr.manages ae\n"
    "set mgr.span 4\n";

/* Every default in the table is statement text the language accepts, of
 * the parameter's own type. */
static void test_defaults_parse(void **state)
{
    (void)state;
    for (int i = 0; i < sp_nparams; i++) {
        const sp_param *p = &sp_params[i];
        const sp_value *d = sp_param_default(i);
        if (!p->def[0]) {
            assert_int_equal(d->type, SP_T_NONE);
            continue;
        }
        if (d->type != p->type)
            fail_msg("default of %s does not parse as its type", p->name);
        assert_non_null(p->help);
    }
}

static void test_param_lookup(void **state)
{
    (void)state;
    assert_true(sp_param_find("horizon", SP_SCOPE_GLOBAL) >= 0);
    assert_int_equal(sp_param_find("horizon", SP_SCOPE_ROLE), -1);
    assert_true(sp_param_find("quota", SP_SCOPE_ROLE) >= 0);
    assert_string_equal(sp_param_suggest("quto", SP_SCOPE_ROLE), "quota");
    assert_string_equal(sp_param_suggest("horizn", SP_SCOPE_GLOBAL), "horizon");
    assert_null(sp_param_suggest("zzzzzzzzzz", SP_SCOPE_GLOBAL));
}

/* Compiled values, each derived from the statement that set it. */
static void test_compile(void **state)
{
    (void)state;
    sp_session *s = session_with(
        "scenario t\n"
        "set start 2027-01\n"
        "set horizon 12\n"
        "set seasonality 2 1 1 1 1 1 1 1 1 1 1 1\n"
        "role ae quota\n"
        "set ae.quota 1.2M\n"
        "set ae.attrition 20% 10%\n"
        "set ae.ramp linear 4\n"
        "set ae.hires 2027-03:2 2027-06:1\n"
        "set ae.base 70k\n"
        "set ae.ote 140k\n"
        "set ae.tiers 0%:0.5 100%:1.5\n"
        "set ae.cap 300%\n"
        "set ae.draw 3 2k recoverable\n"
        "role mgr manager\n"
        "set mgr.manages ae\n"
        "set mgr.span 4\n"
        "set mgr.pool 2% of ae\n");
    sp_model m;
    sp_error err = {0};
    assert_int_equal(sp_model_compile(s->e[s->cur].sc, &m, &err), SP_OK);
    /* 2027-01 as year*12 + month-1 */
    assert_int_equal(m.start, 2027 * 12);
    assert_int_equal(m.horizon, 12);
    /* seasonality sums to 13: Jan 2*12/13, other months 12/13 */
    assert_close(m.season[0], 24.0 / 13, 1e-15);
    assert_close(m.season[5], 12.0 / 13, 1e-15);
    const sp_model_role *ae = &m.roles[0], *mgr = &m.roles[1];
    assert_close(ae->quota, 1200000, 0);
    /* monthly hazard h = 1 - (1 - a)^(1/12) */
    assert_int_equal(ae->nattr, 2);
    assert_close(ae->hazard[0], 1 - pow(0.8, 1.0 / 12), 1e-15);
    assert_close(ae->hazard[1], 1 - pow(0.9, 1.0 / 12), 1e-15);
    /* linear 4: r(i) = (i-1)/4 for i <= 4 */
    assert_int_equal(ae->nramp, 4);
    assert_close(ae->ramp[0], 0, 0);
    assert_close(ae->ramp[3], 0.75, 1e-15);
    /* hires as month offsets from the start */
    assert_int_equal(ae->nhires, 2);
    assert_int_equal(ae->hire_t[0], 2);
    assert_int_equal(ae->hire_n[0], 2);
    assert_int_equal(ae->hire_t[1], 5);
    /* TI = ote - base */
    assert_close(ae->comp.ti, 70000, 0);
    assert_int_equal(ae->comp.period, 3);
    assert_int_equal(ae->comp.ntiers, 2);
    assert_close(ae->comp.tier_t[1], 1.0, 0);
    assert_close(ae->comp.tier_u[0], 0.5, 0);
    assert_close(ae->comp.cap, 3.0, 0);
    assert_int_equal(ae->comp.draw_months, 3);
    assert_close(ae->comp.draw_amount, 2000, 0);
    assert_int_equal(ae->comp.draw_recoverable, 1);
    assert_int_equal(ae->backfill, 1);
    assert_int_equal(mgr->manages, 0);
    assert_int_equal(mgr->span, 4);
    assert_int_equal(mgr->backfill, 0);  /* managers: off by default */
    assert_int_equal(mgr->pool_of, 0);
    assert_close(mgr->pool_rate, 0.02, 0);
    sp_model_free(&m);
    session_done(s);
}

/* The ramp's length, the default tenure of starting staff, ends at the last
 * factor other than 1. */
/* Each undo brings back the scenarios exactly as they were before one
 * statement: the saved script is the same text, statement by statement
 * back; a statement that changed nothing (get) or failed leaves no step. */
static void test_undo(void **state)
{
    (void)state;
    sp_session *s = session_with("scenario u\nrole ae quota\nset ae.quota 1M\n");
    sp_error err = {0};
    char *before = sp_scenario_script(s->e[s->cur].sc);
    assert_int_equal(sp_exec_text(s, "set ae.quota 2M", "<t>", 0, &err), SP_CMD_OK);
    char *mid = sp_scenario_script(s->e[s->cur].sc);
    assert_int_equal(sp_exec_text(s, "unset ae.quota", "<t>", 0, &err), SP_CMD_OK);
    assert_int_equal(sp_exec_text(s, "get ae.quota", "<t>", 0, &err), SP_CMD_OK);
    assert_int_equal(sp_exec_text(s, "set ae.nosuch 1", "<t>", 0, &err), SP_CMD_BAD);
    assert_int_equal(sp_exec_text(s, "copy v", "<t>", 0, &err), SP_CMD_OK);
    assert_int_equal(s->n, 2);
    assert_int_equal(sp_exec_text(s, "undo", "<t>", 0, &err), SP_CMD_OK);
    assert_int_equal(s->n, 1);
    assert_string_equal(s->e[s->cur].sc->name, "u");
    assert_int_equal(sp_exec_text(s, "undo", "<t>", 0, &err), SP_CMD_OK);
    char *t = sp_scenario_script(s->e[s->cur].sc);
    assert_string_equal(t, mid);
    free(t);
    assert_int_equal(sp_exec_text(s, "undo", "<t>", 0, &err), SP_CMD_OK);
    t = sp_scenario_script(s->e[s->cur].sc);
    assert_string_equal(t, before);
    free(t);
    /* back through the three statements of session_with, to nothing */
    for (int k = 0; k < 3; k++)
        assert_int_equal(sp_exec_text(s, "undo", "<t>", 0, &err), SP_CMD_OK);
    assert_int_equal(s->n, 0);
    assert_int_equal(sp_exec_text(s, "undo", "<t>", 0, &err), SP_CMD_BAD);
    assert_non_null(strstr(err.msg, "nothing to undo"));
    free(before);
    free(mid);
    session_done(s);
}

static void test_ramp_length(void **state)
{
    (void)state;
    static const char *const plans[] = {
        "role ae quota\nset ae.quota 1M\n",                      /* default 1 */
        "role ae quota\nset ae.quota 1M\nset ae.ramp 50% 1 1\n",
        "role ae quota\nset ae.quota 1M\nset ae.ramp 0.2 0.6 110% 1\n",
    };
    static const int want[] = {0, 1, 3};
    for (int k = 0; k < 3; k++) {
        sp_session *s = session_with(plans[k]);
        sp_model m;
        sp_error err = {0};
        assert_int_equal(sp_model_compile(s->e[s->cur].sc, &m, &err), SP_OK);
        assert_int_equal(m.roles[0].nramp, want[k]);
        sp_model_free(&m);
        session_done(s);
    }
}

static void test_set_get_unset(void **state)
{
    (void)state;
    sp_session *s = session_with(team);
    sp_scenario *sc = s->e[s->cur].sc;
    int q = sp_param_find("quota", SP_SCOPE_ROLE);
    sp_pref p = {q, 0};
    assert_true(sp_scenario_is_set(sc, p));
    assert_close(sp_scenario_value(sc, p)->list[0], 1200000, 0);
    unsigned long v0 = sc->version;
    sp_error err = {0};
    assert_int_equal(sp_scenario_set_text(sc, p, "900k", &err), SP_OK);
    assert_close(sp_scenario_value(sc, p)->list[0], 900000, 0);
    assert_true(sc->version > v0);
    /* an out-of-range number changes nothing */
    assert_int_equal(sp_scenario_set_number(sc, p, -5, &err), SP_ERR_RANGE);
    assert_non_null(strstr(err.msg, "ae.quota must be in (0, "));
    assert_close(sp_scenario_value(sc, p)->list[0], 900000, 0);
    sp_pref h = {sp_param_find("headcount", SP_SCOPE_ROLE), 0};
    sp_scenario_unset(sc, h);
    assert_false(sp_scenario_is_set(sc, h));
    assert_close(sp_scenario_value(sc, h)->num, 0, 0);
    char *txt = sp_scenario_value_text(sc, (sp_pref){sp_param_find("ote", SP_SCOPE_ROLE), 0});
    assert_string_equal(txt, "(none)");
    free(txt);
    session_done(s);
}

static void expect_invalid(const char *text, const char *msg)
{
    sp_session *s = session_with(text);
    sp_error err = {0};
    assert_int_not_equal(sp_scenario_validate(s->e[s->cur].sc, NULL, &err), SP_OK);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' lacks '%s'", err.msg, msg);
    session_done(s);
}

static void test_validate(void **state)
{
    (void)state;
    expect_invalid("role ae quota\n", "t.plan:1: quota role 'ae' needs a quota");
    expect_invalid("role ae quota\nset ae.quota 1M\nrole m manager\nset m.manages ae\n",
                   "manager role 'm' needs a span of control");
    expect_invalid("role ae quota\nset ae.quota 1M\nrole m manager\nset m.manages m\nset m.span 3\n",
                   "m.manages names the role itself");
    expect_invalid("role ae quota\nset ae.quota 1M\nrole a support\nset ae.pool 1% of a\n",
                   "t.plan:4: ae.pool: role 'a' books nothing");
    expect_invalid("role ae quota\nset ae.quota 1M\nset ae.hires 2026-12:1\n",
                   "ae.hires: 2026-12 is before the start of the horizon");
    expect_invalid("role ae quota\nset ae.quota 1M\nset ae.productivity deals\n",
                   "needs a deal size");
    expect_invalid("set horizon 3\n", "has no roles");
    /* on-target earnings are base + TI + bonus: 60k + 12k > 70k */
    expect_invalid("role ae quota\nset ae.quota 1M\nset ae.base 60k\n"
                   "set ae.bonus 12k\nset ae.ote 70k\n",
                   "t.plan:5: ae.ote 70000 is below base 60000 + bonus 12000");
    /* a manager over a support role has no attainment for a curve */
    expect_invalid("role ae quota\nset ae.quota 1M\nrole a support\n"
                   "role m manager\nset m.manages a\nset m.span 3\n"
                   "set m.bonus 10k\n",
                   "t.plan:7: m.bonus: the roles 'm' manages book nothing");
}

static void test_warnings(void **state)
{
    (void)state;
    sp_session *s = session_with("role ae quota\nset ae.quota 1M\nset ae.attrition 61%\n"
                                 "set ae.rate 35%\nset target 1M 2M 3M\n");
    sp_warnings w = {0};
    sp_error err = {0};
    assert_int_equal(sp_scenario_validate(s->e[s->cur].sc, &w, &err), SP_OK);
    /* attrition > 60%, a rate above 30%, three targets for the two fiscal
     * years of a 24-month horizon from January */
    assert_int_equal(w.n, 3);
    session_done(s);
}

/* The canonical script loads back to a scenario whose script is the same. */
static void test_script_round_trip(void **state)
{
    (void)state;
    sp_session *s = session_with(
        "scenario r \"Round trip\"\nrole ae quota \"AE\"\nset ae.quota 1.25M\n"
        "set ae.attrition 35% 20%\nset ae.tiers 0%:0 50%:1 100%:1.5\n"
        "set ae.attainment lognormal(mean=0.95, sd=0.3)\nset ae.rate 7%\n"
        "set ae.draw all 1.5k nonrecoverable\nset seasonality 0.8 0.9 1 1 1 1.2 1 1 1 1 1 1.1\n");
    char *a = sp_scenario_script(s->e[s->cur].sc);
    sp_session *s2 = session_with(a);
    char *b = sp_scenario_script(s2->e[s2->cur].sc);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "set ae.rate 7%\n"));
    assert_non_null(strstr(a, "role ae quota \"AE\"\n"));
    free(a);
    free(b);
    session_done(s);
    session_done(s2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_parse),
        cmocka_unit_test(test_param_lookup),
        cmocka_unit_test(test_compile),
        cmocka_unit_test(test_ramp_length),
        cmocka_unit_test(test_undo),
        cmocka_unit_test(test_set_get_unset),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_script_round_trip),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
