/* `save` writes a script that loads back to the same scenario, compared
 * parameter by parameter through the parameter table.  Comparing scripts
 * alone would not do: a save that dropped a parameter would drop it from
 * both scripts alike. */
#include "testutil.h"

#include <glob.h>
#include <unistd.h>

#include "salesplan/commands.h"
#include "salesplan/params.h"
#include "salesplan/scenario.h"

static sp_session *quiet_session(void)
{
    sp_session *s = sp_session_new();
    assert_non_null(s);
    s->out = fopen("/dev/null", "w");
    assert_non_null(s->out);
    s->err = s->out;
    return s;
}

static void session_done(sp_session *s)
{
    fclose(s->out);
    sp_session_free(s);
}

static sp_session *session_loading(const char *path)
{
    sp_session *s = quiet_session();
    sp_error err = {0};
    if (sp_exec_file(s, path, NULL, 1, &err) != SP_CMD_OK)
        fail_msg("load %s failed: %s", path, err.msg);
    return s;
}

static sp_scenario *current(sp_session *s)
{
    assert_true(s->cur >= 0);
    return s->e[s->cur].sc;
}

static void expect_same_value(const char *label, const sp_scenario *a,
                              const sp_scenario *b, sp_pref p)
{
    if (sp_value_equal(sp_scenario_value(a, p), sp_scenario_value(b, p)))
        return;
    char name[80];
    sp_pref_name(a, p, name, sizeof name);
    char *was = sp_scenario_value_text(a, p), *now = sp_scenario_value_text(b, p);
    fail_msg("%s: %s changed in save and load: '%s' became '%s'", label, name,
             was ? was : "?", now ? now : "?");
}

/* Every row of the table, globals and each role's, by effective value: a
 * value set to its default is not written, and reads back as the default. */
static void expect_same_scenario(const char *label, const sp_scenario *a,
                                 const sp_scenario *b)
{
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->title, b->title);
    assert_int_equal(a->nroles, b->nroles);
    for (int r = 0; r < a->nroles; r++) {
        assert_string_equal(a->roles[r].id, b->roles[r].id);
        assert_int_equal(a->roles[r].kind, b->roles[r].kind);
        assert_string_equal(a->roles[r].title, b->roles[r].title);
    }
    for (int i = 0; i < sp_nparams; i++)
        if (sp_params[i].scope == SP_SCOPE_GLOBAL)
            expect_same_value(label, a, b, (sp_pref){i, -1});
    for (int r = 0; r < a->nroles; r++)
        for (int i = 0; i < sp_nparams; i++)
            if (sp_param_applies(a, i, r))
                expect_same_value(label, a, b, (sp_pref){i, r});
}

/* Saves sc to a file of a fresh directory, loads that file as a user's
 * `load` would, and compares.  The file goes before any check can fail. */
static void expect_round_trip(const char *label, const sp_scenario *sc)
{
    char dir[] = "/tmp/sp-save-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[sizeof dir + 16];
    snprintf(path, sizeof path, "%s/saved.plan", dir);
    sp_error err = {0};
    sp_session *back = quiet_session();
    sp_status saved = sp_scenario_save(sc, path, &err);
    int loaded = saved == SP_OK ? sp_exec_file(back, path, NULL, 1, &err)
                                : SP_CMD_BAD;
    unlink(path);
    rmdir(dir);
    if (saved != SP_OK)
        fail_msg("%s: save failed: %s", label, err.msg);
    if (loaded != SP_CMD_OK)
        fail_msg("%s: loading what save wrote failed: %s", label, err.msg);
    expect_same_scenario(label, sc, current(back));
    session_done(back);
}

static void test_bundled_round_trip(void **state)
{
    (void)state;
    glob_t g;
    if (glob("scenarios/*.plan", 0, NULL, &g) != 0 || g.gl_pathc == 0)
        fail_msg("no scenarios/*.plan: run the tests from the source tree");
    for (size_t k = 0; k < g.gl_pathc; k++) {
        sp_session *s = session_loading(g.gl_pathv[k]);
        expect_round_trip(g.gl_pathv[k], current(s));
        session_done(s);
    }
    globfree(&g);
}

/* A value other than the default for every parameter, and for a role
 * parameter one for each kind of role it applies to (quota, support,
 * manager; NULL where it does not apply).  The values differ from role to
 * role so that one written under the wrong role would show.  Parameters
 * that exclude each other (ote, target_incentive, rate; capacity,
 * attainment) take the second and third quota and support roles. */
static const struct {
    const char *name;
    const char *text;
} global_values[] = {
    {"start", "2026-07"},
    {"horizon", "30"},
    {"fiscal_year_start", "4"},
    {"seasonality", "0.8 0.9 1.05 1 1 1.2 0.95 0.85 1 1.1 1.05 1.1"},
    {"market_volatility", "7.5%"},
    {"market_persistence", "0.65"},
    {"revenue", "ratable 12 renewal 85%"},
    {"opening_arr", "4.5M"},
    {"gross_margin", "72.5%"},
    {"target", "11.5M 13.25M 14M"},
    {"target_split", "20% 25% 25% 30%"},
    {"budget", "3M 3.2M 3.4M"},
    {"ytd_bookings", "1.25M"},
    {"trials", "2500"},
    {"seed", "424242"},
    {"currency", "\"CHF \""},
};

static const struct {
    const char *name;
    const char *text[7];
} role_values[] = {
    {"headcount", {"7", "2", "1"}},
    {"tenure", {"triangular(0, 6.5, 24)", "uniform(3, 18)", "fixed(12.5)"}},
    {"hires", {"2026-09:2 2027-02:1", "2026-10:1", "2027-01:1"}},
    {"headcount_plan", {NULL, NULL, NULL, "2026-12:3 2027-06:4", "2027-03:2"}},
    {"time_to_fill", {"discrete(1:0.25, 2:0.5, 3:0.25)", "pert(1, 2, 4)", "2.5"}},
    {"attrition", {"18% 12.5%", "9%", "7.5% 5%"}},
    {"backfill", {"off", "off", "on"}},
    {"ramp", {"12.5% 37.5% 62.5% 87.5%", "50% 75%", "linear 2"}},
    {"quota", {"1.35M 1.5M", NULL, NULL, "1M", NULL, "1.1M"}},
    {"quota_relief", {"off", NULL, NULL}},
    {"capacity", {NULL, NULL, NULL, "lognormal(mean=900k, sd=250k)"}},
    {"attainment", {"lognormal(mean=0.95, sd=0.3)", NULL, NULL}},
    {"volatility", {"22.5%", NULL, NULL}},
    {"productivity", {"deals", NULL, NULL}},
    {"deal_size", {"45k", NULL, NULL}},
    {"deal_cv", {"0.85", NULL, NULL}},
    {"manages", {NULL, NULL, "ae"}},
    {"supports", {NULL, "ae", NULL}},
    {"span", {NULL, "2", "6"}},
    {"support_share", {NULL, "25%", "12.5%"}},
    {"base", {"85k", "120k", "150k"}},
    {"ote", {"170k", "150k", NULL}},
    {"target_incentive", {NULL, NULL, NULL, "85k", "30k"}},
    {"rate", {NULL, NULL, NULL, NULL, NULL, "6.25%", "0.5%"}},
    {"period", {"month", "year", "month"}},
    {"tiers", {"0%:0.5 50%:1 100%:1.75", "0%:1.25", NULL}},
    {"tier_mode", {"retro", "retro", "retro"}},
    {"cap", {"300%", "150%", "250%"}},
    {"bonus", {"12k", "15k", "25k"}},
    {"bonus_curve", {"0%:0% 80%:50% 100%:100% 150%:200%", "0%:100%",
                     "0%:25% 100%:100%"}},
    {"pool", {"3% of ae", "0.5% of ae", "1% of ae"}},
    {"award", {"2 5k", "1 2.5k", NULL}},
    {"draw", {"3 4k recoverable", "all 1.5k nonrecoverable",
              "6 2k nonrecoverable"}},
    {"guarantee", {"2 6k", "1 3k", "3 5k"}},
    {"leaver", {"forfeit", "forfeit", "forfeit"}},
    {"burden", {"22%", "18.5%", "25%"}},
    {"recruiting_cost", {"15k", "12k", "20k"}},
    {"training_cost", {"8k", "5k", "6.5k"}},
    {"monthly_cost", {"1.2k", "900", "1.5k"}},
};

/* One role of each kind, then quota and support roles for the
 * alternatives, in the order of role_values' columns. */
static const char *const role_ids[7] = {"ae", "se", "mgr", "ae2", "se2",
                                        "ae3", "se3"};

static void add(char **buf, size_t *len, const char *a, const char *b,
                const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = realloc(*buf, *len + n);
    assert_non_null(p);
    snprintf(p + *len, n, "%s%s%s", a, b, c);
    *buf = p;
    *len += n - 1;
}

static char *every_parameter_script(void)
{
    char *buf = NULL;
    size_t len = 0;
    add(&buf, &len, "scenario every \"Every \\\"parameter\\\" set\"\n",
        "role ae quota \"Account Executive\"\n"
        "role se support \"Sales Engineer\"\n",
        "role mgr manager \"Sales \\\\ Manager\"\n"
        "role ae2 quota\nrole se2 support\nrole ae3 quota\nrole se3 support\n");
    for (size_t k = 0; k < sizeof global_values / sizeof *global_values; k++) {
        add(&buf, &len, "set ", global_values[k].name, " ");
        add(&buf, &len, global_values[k].text, "\n", "");
    }
    for (size_t k = 0; k < sizeof role_values / sizeof *role_values; k++)
        for (int r = 0; r < 7; r++) {
            if (!role_values[k].text[r])
                continue;
            add(&buf, &len, "set ", role_ids[r], ".");
            add(&buf, &len, role_values[k].name, " ", role_values[k].text[r]);
            add(&buf, &len, "\n", "", "");
        }
    return buf;
}

/* The hand-built scenario must reach every row of the table for every
 * kind of role it applies to (on one role of that kind at least), or a
 * new parameter would go untested. */
static void expect_every_parameter_set(const sp_scenario *sc)
{
    for (int i = 0; i < sp_nparams; i++)
        for (int kind = -1; kind < 3; kind++) {
            int applies = 0, reached = 0;
            for (int r = -1; r < sc->nroles; r++) {
                if ((r < 0) != (kind < 0) ||
                    (r >= 0 && (int)sc->roles[r].kind != kind) ||
                    !sp_param_applies(sc, i, r))
                    continue;
                sp_pref p = {i, r};
                unsigned kb = r < 0 ? 0 : 1u << sc->roles[r].kind;
                applies = 1;
                reached |= sp_scenario_is_set(sc, p) &&
                           !sp_value_equal(sp_scenario_value(sc, p),
                                           sp_param_default_for(i, kb));
            }
            if (applies && !reached)
                fail_msg("the hand-built scenario leaves %s at its default "
                         "on every %s role", sp_params[i].name,
                         kind < 0 ? "global" : sp_kind_name(kind));
        }
}

static void test_every_parameter_round_trip(void **state)
{
    (void)state;
    char *text = every_parameter_script();
    sp_session *s = quiet_session();
    sp_error err = {0};
    if (sp_exec_text(s, text, "every.plan", 0, &err) != SP_CMD_OK)
        fail_msg("statements failed: %s", err.msg);
    free(text);
    sp_scenario *sc = current(s);
    assert_int_equal(sc->nroles, 7);
    expect_every_parameter_set(sc);
    expect_round_trip("every parameter", sc);
    session_done(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_round_trip),
        cmocka_unit_test(test_every_parameter_round_trip),
    };
    return cmocka_run_group_tests_name("save", tests, NULL, NULL);
}
