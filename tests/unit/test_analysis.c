/* compare, sweep, tornado, goal seek and run until, driven through the
 * statements a user types, and checked by re-running the scenario at the
 * values found (never by comparing with the program's own printout). */
#include "testutil.h"

#include <unistd.h>

#include "salesplan/analysis.h"
#include "salesplan/commands.h"
#include "salesplan/compare.h"
#include "salesplan/export.h"
#include "salesplan/params.h"
#include "salesplan/scenario.h"
#include "salesplan/stats.h"

/* A small team whose pay and volume both matter; a fixed seed and few
 * trials keep every test fast and reproducible. */
static const char team[] =
    "scenario base\n"
    "role ae quota\n"
    "set start 2027-01\n"
    "set horizon 24\n"
    "set ae.headcount 6\n"
    "set ae.quota 1M\n"
    "set ae.ramp linear 3\n"
    "set ae.attainment lognormal(mean=0.9, sd=0.3)\n"
    "set ae.volatility 30%\n"
    "set ae.attrition 15%\n"
    "set ae.time_to_fill uniform(1, 3)\n"
    "set ae.base 60k\n"
    "set ae.ote 120k\n"
    "set ae.tiers 0%:1 100%:1.5\n"
    "set target 5.5M 6M\n"
    "set trials 400\n"
    "set seed 7\n";

static sp_session *session(void)
{
    sp_session *s = sp_session_new();
    assert_non_null(s);
    s->out = fopen("/dev/null", "w");
    s->err = s->out;
    s->quiet = 1;
    s->threads = 2;
    assert_non_null(s->out);
    sp_error err = {0};
    int rc = sp_exec_text(s, team, "<test>", 0, &err);
    if (rc)
        fail_msg("%s", err.msg);
    return s;
}

static void done(sp_session *s)
{
    fclose(s->out);
    sp_session_free(s);
}

static int exec(sp_session *s, const char *text)
{
    sp_error err = {0};
    return sp_exec_text(s, text, "<test>", 0, &err);
}

static void ok(sp_session *s, const char *text)
{
    sp_error err = {0};
    if (sp_exec_text(s, text, "<test>", 0, &err) != SP_CMD_OK)
        fail_msg("%s: %s", text, err.msg);
}

static sp_pref pref(sp_session *s, const char *name)
{
    sp_scenario *sc = sp_session_current(s);
    sp_token tok = {(char *)name, 1, 1, 0};
    sp_pref p;
    sp_error err = {0};
    assert_int_equal(sp_scenario_resolve(sc, &tok, "<test>", &p, &err), SP_OK);
    return p;
}

static double num(sp_session *s, const char *name)
{
    const sp_value *v = sp_scenario_value(sp_session_current(s), pref(s, name));
    return v->type == SP_T_NUMLIST ? v->list[0] : v->num;
}

static int total_period(const sp_results *r)
{
    for (int p = 0; p < r->nperiods; p++)
        if (r->periods[p].is_total)
            return p;
    return -1;
}

/* P50 of a team metric over the horizon in the current scenario's last run. */
static double total_p50(sp_session *s, int metric)
{
    const sp_results *r = s->e[s->cur].res;
    assert_non_null(r);
    int p = total_period(r);
    return r->pstats[(size_t)p * r->npseries + sp_series(r, metric, -1)].p[SP_P50];
}

/* Two scenarios that differ only in pay see the same bookings in every
 * trial: the paired difference is exactly zero, its interval has width
 * zero, while cost does differ. */
static void test_compare_pay_only(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, "copy richer\nset ae.ote 150k\n"
                             "set ae.tiers 0%:1 100%:2 150%:3\nset ae.cap 300%\n"
                             "compare base richer");
    const sp_results *rs[4];
    assert_int_equal(sp_compare_results(s, rs, 4), 2);
    const sp_results *a = rs[0], *b = rs[1];
    assert_string_equal(a->model.name, "base");
    assert_string_equal(b->model.name, "richer");
    assert_int_equal(a->trials, 400);
    assert_int_equal(b->trials, 400);
    assert_int_equal(a->nperiods, b->nperiods);
    size_t T = (size_t)a->trials;
    for (int p = 0; p < a->nperiods; p++) {
        size_t off = ((size_t)p * a->npseries + sp_series(a, SP_M_BOOKINGS, -1)) * T;
        for (size_t t = 0; t < T; t++)
            assert_true(a->ptrial[off + t] == b->ptrial[off + t]);
    }
    for (int k = 0; k < 2; k++) {
        double mean, se;
        long n;
        assert_int_equal(sp_paired_diff(a, b, k, SP_M_BOOKINGS, NULL, &mean, &se, &n), 0);
        assert_int_equal(n, 400);
        assert_true(mean == 0 && se == 0);
        assert_true(mean - 1.96 * se == mean + 1.96 * se);
    }
    double mean, se;
    long n;
    assert_int_equal(sp_paired_diff(a, b, SP_PERIOD_TOTAL, SP_M_COST, NULL, &mean,
                                    &se, &n), 0);
    assert_true(mean > 0);   /* richer pay costs more: the runs did differ */
    done(s);
}

static void test_compare_needs_two(void **state)
{
    (void)state;
    sp_session *s = session();
    assert_int_equal(exec(s, "compare base"), SP_CMD_BAD);
    assert_int_equal(exec(s, "compare base nosuch"), SP_CMD_BAD);
    done(s);
}

/* Cost rises with OTE at every point, and the sweep leaves the scenario
 * as it was. */
static void test_sweep_ote_cost_monotone(void **state)
{
    (void)state;
    sp_session *s = session();
    unsigned long v0 = sp_session_current(s)->version;
    ok(s, "sweep ae.ote 100k 160k step 15k metric cost");
    const sp_sweep *sw = sp_analysis_sweep(s);
    assert_non_null(sw);
    assert_int_equal(sw->nparams, 1);
    assert_int_equal(sw->n[0], 5);
    assert_string_equal(sw->param[0], "ae.ote");
    assert_string_equal(sw->metric_name, "cost");
    assert_string_equal(sw->period, "total");
    assert_close(sw->values[0][0], 100000, 1e-12);
    assert_close(sw->values[0][4], 160000, 1e-12);
    for (int i = 1; i < sw->n[0]; i++) {
        const sp_sweep_point *a = &sw->points[i - 1], *b = &sw->points[i];
        assert_true(b->p50 > a->p50);
        assert_true(b->p10 > a->p10);
        assert_true(b->p90 > a->p90);
        assert_true(b->mean > a->mean);
        assert_true(b->p10 <= b->p50 && b->p50 <= b->p90);
    }
    assert_int_equal(sp_session_current(s)->version, v0);
    assert_close(num(s, "ae.ote"), 120000, 0);
    done(s);
}

/* Percent values are read with the parameter's unit; a grid has every
 * point; bookings do not depend on the rate (common random numbers). */
static void test_sweep_units_and_grid(void **state)
{
    (void)state;
    sp_session *s = session();
    /* a flat rate replaces ote: `rate` fixes the commission by itself */
    ok(s, "unset ae.ote");
    ok(s, "sweep ae.rate 2% 6% step 0.5% metric bookings FY2027 mean");
    const sp_sweep *sw = sp_analysis_sweep(s);
    assert_int_equal(sw->n[0], 9);
    assert_close(sw->values[0][3], 0.035, 1e-12);
    assert_string_equal(sw->period, "FY2027");
    for (int i = 1; i < sw->n[0]; i++)
        assert_true(sw->points[i].mean == sw->points[0].mean);
    ok(s, "sweep ae.headcount 4 8 step 2 by ae.quota 0.8M 1.2M step 200k");
    sw = sp_analysis_sweep(s);
    assert_int_equal(sw->nparams, 2);
    assert_int_equal(sw->n[0], 3);
    assert_int_equal(sw->n[1], 3);
    /* more people and a higher quota (attainment is a share of it) both
     * book more */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            const sp_sweep_point *p = &sw->points[i * 3 + j];
            assert_close(p->x[0], 4 + 2 * i, 0);
            assert_close(p->x[1], 800000 + 200000 * j, 1e-12);
            if (i)
                assert_true(p->p50 > sw->points[(i - 1) * 3 + j].p50);
            if (j)
                assert_true(p->p50 > sw->points[i * 3 + j - 1].p50);
        }
    /* a percentage of money is refused, as `set` refuses it */
    assert_int_equal(exec(s, "sweep ae.ote 10% 20% step 5%"), SP_CMD_BAD);
    assert_int_equal(exec(s, "sweep ae.headcount 4 8 step 0.5"), SP_CMD_BAD);
    assert_int_equal(exec(s, "sweep ae.tiers 1 2 step 1"), SP_CMD_BAD);
    done(s);
}

/* The smallest headcount that reaches the goal: it meets it, one fewer
 * does not, both checked by running the scenario at the same seed. */
static void test_goalseek_headcount(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, "goalseek ae.headcount for bookings = 17.5M");
    double h = num(s, "ae.headcount");
    assert_true(h > 6);   /* six people book about 10M in two years */
    char stmt[128];
    ok(s, "run");
    double at = total_p50(s, SP_M_BOOKINGS);
    snprintf(stmt, sizeof stmt, "set ae.headcount %.0f\nrun", h - 1);
    ok(s, stmt);
    double below = total_p50(s, SP_M_BOOKINGS);
    assert_true(at >= 17.5e6);
    assert_true(below < 17.5e6);
    done(s);
}

/* A commission rate for a cost-of-sales goal, within the stated relative
 * tolerance of 1e-4, verified by a run at the rate found. */
static void test_goalseek_rate_cos(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, "unset ae.ote");
    ok(s, "goalseek ae.rate for cos = 12.5%");
    double rate = num(s, "ae.rate");
    assert_true(rate > 0 && rate < 0.125);
    ok(s, "run");
    double cos = total_p50(s, SP_M_COS);
    assert_true(fabs(cos - 0.125) <= 1e-4 * 0.125);
    done(s);
}

/* No rate gives a cost of sales below what base pay alone costs: it says
 * so, fails the statement and changes nothing. */
static void test_goalseek_unreachable(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, "unset ae.ote");
    ok(s, "set ae.rate 4%");
    unsigned long v0 = sp_session_current(s)->version;
    sp_error err = {0};
    assert_int_equal(sp_exec_text(s, "goalseek ae.rate for cos = 0.5%", "<test>", 0, &err),
                     SP_CMD_RUNFAIL);
    assert_non_null(strstr(err.msg, "no value of ae.rate"));
    /* the search ran to both ends of the range and says what it found
     * there, instead of settling on the end closest to the goal */
    assert_non_null(strstr(err.msg, "at ae.rate = 0% and"));
    assert_non_null(strstr(err.msg, "at ae.rate = 100%,"));
    assert_int_equal(sp_session_current(s)->version, v0);
    assert_close(num(s, "ae.rate"), 0.04, 0);
    done(s);
}

/* P50 of a metric over the horizon with one parameter set to a value, by
 * a run of its own in a copy of the current scenario. */
static double p50_at(sp_session *s, const char *param, const char *value,
                     int metric)
{
    static int probes;
    char stmt[256];
    int cur = s->cur;
    snprintf(stmt, sizeof stmt, "copy probe%d\nset %s %s\nrun", ++probes, param,
             value);
    ok(s, stmt);
    double m = total_p50(s, metric);
    s->cur = cur;
    return m;
}

/* A team with costs that do not grow with the reps: a manager whose count
 * follows a span and two support staff, so cost of sales falls as reps are
 * added and the cost floor is set by the span. */
static const char overhead[] =
    "role mgr manager\n"
    "set mgr.manages ae\n"
    "set mgr.span 4\n"
    "set mgr.base 150k\n"
    "role ops support\n"
    "set ops.headcount 2\n"
    "set ops.base 200k\n";

/* A span's cost falls towards a floor it never passes: a goal below the
 * floor is met by no span, not by the top of the range, and nothing
 * changes. */
static void test_goalseek_integer_needs_crossing(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, overhead);
    double top = p50_at(s, "mgr.span", "100000", SP_M_COST);
    double one = p50_at(s, "mgr.span", "1", SP_M_COST);
    assert_true(one > top);   /* more managers at a span of one */
    unsigned long v0 = sp_session_current(s)->version;
    char stmt[128];
    snprintf(stmt, sizeof stmt, "goalseek mgr.span for cost = %.0f", top * 0.95);
    sp_error err = {0};
    assert_int_equal(sp_exec_text(s, stmt, "<test>", 0, &err), SP_CMD_RUNFAIL);
    assert_int_equal(err.status, SP_ERR_RUN);
    assert_non_null(strstr(err.msg, "no value of mgr.span in [1, 100000]"));
    /* the metric at both ends of the range, as those runs gave it */
    assert_non_null(strstr(err.msg, "at mgr.span = 1 and"));
    assert_non_null(strstr(err.msg, "at mgr.span = 100000,"));
    assert_int_equal(sp_session_current(s)->version, v0);
    assert_close(num(s, "mgr.span"), 4, 0);
    done(s);
}

/* Cost of sales falls as reps are added: the answer is the smallest
 * headcount whose cost of sales is at or below the goal, and the one
 * under it is above the goal.  The goal lies between two neighbouring
 * headcounts' own runs, so exactly one answer is right. */
static void test_goalseek_falling_smallest(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, overhead);
    ok(s, "set mgr.span 100");   /* one manager throughout */
    double c9 = p50_at(s, "ae.headcount", "9", SP_M_COS);
    double c10 = p50_at(s, "ae.headcount", "10", SP_M_COS);
    assert_true(c10 < c9);
    char stmt[128];
    snprintf(stmt, sizeof stmt, "goalseek ae.headcount for cos = %.6f%%",
             50 * (c9 + c10));
    ok(s, stmt);
    assert_close(num(s, "ae.headcount"), 10, 0);
    /* a goal exactly at the value of 10 is met by 10 too */
    snprintf(stmt, sizeof stmt, "set ae.headcount 6\ngoalseek ae.headcount for "
             "cos = %.17g", c10);
    ok(s, stmt);
    assert_close(num(s, "ae.headcount"), 10, 0);
    done(s);
}

/* A rate found by the root finder is stored as `set` stores the
 * percentage it is shown as, so `get` and `save` print a percentage that
 * reads back to exactly the value, not a bare fraction or 17 digits. */
static void test_goalseek_keeps_percent_unit(void **state)
{
    (void)state;
    static const char *const goals[] = {"11.5%", "13.5%", "15%", "16%"};
    for (size_t g = 0; g < sizeof goals / sizeof goals[0]; g++) {
        sp_session *s = session();
        char stmt[128];
        snprintf(stmt, sizeof stmt, "goalseek ae.rate for cos = %s", goals[g]);
        ok(s, "unset ae.ote");
        ok(s, stmt);
        sp_pref p = pref(s, "ae.rate");
        char *txt = sp_scenario_value_text(sp_session_current(s), p);
        assert_non_null(txt);
        size_t n = strlen(txt);
        if (!(n > 1 && n <= 9 && txt[n - 1] == '%'))
            fail_msg("goal %s: ae.rate shows as '%s'", goals[g], txt);
        double back;
        assert_int_equal(sp_parse_number(txt, &back, NULL), 0);
        assert_true(back == num(s, "ae.rate"));
        free(txt);
        done(s);
    }
}

/* The value found is printed as `get` prints it, with the amount in the
 * currency beside it. */
static void test_goalseek_prints_money(void **state)
{
    (void)state;
    sp_session *s = session();
    FILE *f = tmpfile();
    assert_non_null(f);
    FILE *null = s->out;
    s->out = f;
    ok(s, "goalseek ae.quota for cos = 12%");
    s->out = null;
    char line[512] = "";
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    double q = num(s, "ae.quota");
    assert_true(q == floor(q));   /* the rounder value the search keeps */
    char want[128], money[64];
    long long whole = (long long)q;
    snprintf(money, sizeof money, "%lld", whole);
    /* $1,234,567 by hand: groups of three from the right */
    char grouped[64];
    size_t len = strlen(money), o = 0;
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = money[i];
    }
    grouped[o] = 0;
    snprintf(want, sizeof want, "goalseek: ae.quota = %lld ($%s) gives ", whole,
             grouped);
    if (strncmp(line, want, strlen(want)) != 0)
        fail_msg("printed '%s', expected it to start with '%s'", line, want);
    done(s);
}

/* A pool's or an override's rate, an award's, a draw's and a guarantee's
 * amount are inputs of their own: each moves by the swing, its rule (the
 * role it is a share of, how many win, how many months) stays, and the
 * bar is the cost at the two values as runs of their own give it. */
static void test_tornado_compound_inputs(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, overhead);
    ok(s, "set ae.pool 1% of ae\nset mgr.pool 0.5% of ae\nset ae.award 2 5k\n"
          "set ae.draw 3 4k recoverable\nset ae.guarantee 2 3k\n"
          "tornado metric cost swing 25%");
    const sp_tornado *tn = sp_analysis_tornado(s);
    assert_non_null(tn);
    static const struct {
        const char *param, *low, *high;
        double value;
    } want[] = {
        {"ae.pool", "0.75% of ae", "1.25% of ae", 0.01},
        {"mgr.pool", "0.375% of ae", "0.625% of ae", 0.005},
        {"ae.award", "2 3750", "2 6250", 5000},
        {"ae.draw", "3 3000 recoverable", "3 5000 recoverable", 4000},
        {"ae.guarantee", "2 2250", "2 3750", 3000},
    };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        const sp_tornado_bar *b = NULL;
        for (int i = 0; i < tn->nbars; i++)
            if (strcmp(tn->bars[i].param, want[w].param) == 0)
                b = &tn->bars[i];
        if (!b)
            fail_msg("no bar for %s", want[w].param);
        assert_close(b->value, want[w].value, 1e-12);
        assert_close(b->low, want[w].value * 0.75, 1e-12);
        assert_close(b->high, want[w].value * 1.25, 1e-12);
        assert_string_equal(b->low_text, want[w].low);
        assert_string_equal(b->high_text, want[w].high);
        assert_false(b->clamped_low || b->clamped_high);
        double lo = p50_at(s, want[w].param, want[w].low, SP_M_COST);
        double hi = p50_at(s, want[w].param, want[w].high, SP_M_COST);
        assert_true(b->metric_low == lo);
        assert_true(b->metric_high == hi);
    }
    /* the pool pays on bookings every month: more of it costs more */
    for (int i = 0; i < tn->nbars; i++)
        if (strcmp(tn->bars[i].param, "ae.pool") == 0)
            assert_true(tn->bars[i].metric_high > tn->bars[i].metric_low);
    done(s);
}

/* Bars come largest swing first; an input pushed past its range is
 * clamped and says so. */
static void test_tornado_sorted_and_clamped(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, "set ae.attrition 90%\ntornado swing 20%");
    const sp_tornado *tn = sp_analysis_tornado(s);
    assert_non_null(tn);
    assert_true(tn->nbars >= 8);
    assert_string_equal(tn->stat, "p50");
    for (int i = 1; i < tn->nbars; i++)
        assert_true(fabs(tn->bars[i - 1].metric_high - tn->bars[i - 1].metric_low) >=
                    fabs(tn->bars[i].metric_high - tn->bars[i].metric_low));
    int seen = 0;
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        if (strcmp(b->param, "ae.attrition") == 0) {
            seen = 1;
            assert_false(b->clamped_low);
            assert_true(b->clamped_high);
            assert_close(b->low, 0.72, 1e-12);
            assert_true(b->high < 1 && b->high > 0.99);
        }
        if (strcmp(b->param, "ae.headcount") == 0) {
            assert_close(b->low, 5, 0);   /* 4.8 rounds to 5 */
            assert_close(b->high, 7, 0);
            assert_true(b->metric_high > b->metric_low);
        }
        /* every input listed exists and applies; the rate is not set here */
        assert_true(strcmp(b->param, "ae.rate") != 0);
    }
    assert_true(seen);
    done(s);
}

/* Trials are added until the standard error is below the bound, and the
 * bound really holds in the results kept. */
static void test_run_until(void **state)
{
    (void)state;
    sp_session *s = session();
    ok(s, "run until se(bookings) < 40k");
    const sp_results *r = s->e[s->cur].res;
    int p = total_period(r);
    double se = r->pstats[(size_t)p * r->npseries + sp_series(r, SP_M_BOOKINGS, -1)].se;
    assert_true(se < 40000);
    assert_true(r->trials >= 1000);
    assert_int_equal(exec(s, "run until se(bookings) < 1 trials 2000"), SP_CMD_RUNFAIL);
    assert_int_equal(s->e[s->cur].res->trials, 2000);
    assert_int_equal(exec(s, "run until se(nosuch) < 1"), SP_CMD_BAD);
    done(s);
}

/* export FILE.json carries the sweep and the tornado beside the results. */
static void test_export_json(void **state)
{
    (void)state;
    sp_session *s = session();
    char path[] = "/tmp/test_analysis_XXXXXX.json";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    char stmt[256];
    snprintf(stmt, sizeof stmt,
             "run trials 200\nsweep ae.ote 100k 140k step 20k trials 200\n"
             "tornado trials 200\nexport %s", path);
    ok(s, stmt);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    unlink(path);
    buf[n] = 0;
    assert_non_null(strstr(buf, "\"scenario\": \"base\""));
    assert_non_null(strstr(buf, "\"sweep\": {"));
    assert_non_null(strstr(buf, "\"params\": [\"ae.ote\"]"));
    assert_non_null(strstr(buf, "{\"values\": [140000], \"metrics\": {\"bookings\": {"));
    assert_non_null(strstr(buf, "\"tornado\": {"));
    assert_non_null(strstr(buf, "\"bars\": ["));
    /* the document still ends as one object */
    assert_true(n > 3 && buf[n - 1] == '\n' && buf[n - 2] == '}');
    done(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_pay_only),
        cmocka_unit_test(test_compare_needs_two),
        cmocka_unit_test(test_sweep_ote_cost_monotone),
        cmocka_unit_test(test_sweep_units_and_grid),
        cmocka_unit_test(test_goalseek_headcount),
        cmocka_unit_test(test_goalseek_rate_cos),
        cmocka_unit_test(test_goalseek_unreachable),
        cmocka_unit_test(test_goalseek_integer_needs_crossing),
        cmocka_unit_test(test_goalseek_falling_smallest),
        cmocka_unit_test(test_goalseek_keeps_percent_unit),
        cmocka_unit_test(test_goalseek_prints_money),
        cmocka_unit_test(test_tornado_compound_inputs),
        cmocka_unit_test(test_tornado_sorted_and_clamped),
        cmocka_unit_test(test_run_until),
        cmocka_unit_test(test_export_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
