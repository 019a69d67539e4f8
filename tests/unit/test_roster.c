/* The CSV reader and the roster (MODEL.md 2.3, 10.6): fields and their
 * places, refusals with FILE:LINE:COLUMN, and rostered people in the
 * engine, with answers derived by hand. */
#include "testutil.h"
#include "modelfix.h"

#include "salesplan/csv.h"
#include "salesplan/roster.h"
#include "salesplan/sim.h"

/* ---- the CSV reader ---------------------------------------------------- */

static void test_csv_fields(void **state)
{
    (void)state;
    /* a BOM, CRLF, a quoted comma, a doubled quote, a line break inside
     * quotes, an empty field, a blank line and no final line end */
    const char *t = "\xef\xbb\xbfrole,id\r\nae,\"Lee, Ann\"\r\n\r\n"
                    "ae,\"say \"\"hi\"\"\"\nae,\"two\nlines\"\nsdr,\n"
                    "\xc3\xa9t\xc3\xa9,x";
    sp_csv c;
    sp_error err = {0};
    assert_int_equal(sp_csv_parse(t, strlen(t), "f.csv", &c, &err), SP_OK);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.r[0].f[0].s, "role");
    assert_int_equal(c.r[0].f[0].col, 1);   /* the BOM is no character */
    assert_string_equal(c.r[1].f[1].s, "Lee, Ann");
    assert_int_equal(c.r[1].f[1].line, 2);
    assert_int_equal(c.r[1].f[1].col, 4);
    assert_string_equal(c.r[2].f[1].s, "say \"hi\"");
    assert_int_equal(c.r[2].line, 4);       /* line 3 was blank */
    assert_string_equal(c.r[3].f[1].s, "two\nlines");
    assert_int_equal(c.r[4].line, 7);       /* after the quoted break */
    assert_int_equal(c.r[4].n, 2);
    assert_string_equal(c.r[4].f[1].s, "");
    /* columns count characters: "été" is three */
    assert_int_equal(c.r[5].f[1].col, 5);
    sp_csv_free(&c);
}

static void test_csv_errors(void **state)
{
    (void)state;
    sp_csv c;
    sp_error err = {0};
    const char *open = "a,b\nx,\"never closed\n";
    assert_int_equal(sp_csv_parse(open, strlen(open), "f.csv", &c, &err),
                     SP_ERR_PARSE);
    assert_non_null(strstr(err.msg, "f.csv:2:3: expected a closing '\"'"));
    assert_int_equal(c.n, 0);
    const char *after = "a,b\n\"x\"y,z\n";
    assert_int_equal(sp_csv_parse(after, strlen(after), "f.csv", &c, &err),
                     SP_ERR_PARSE);
    assert_non_null(strstr(err.msg, "f.csv:2:4: expected ','"));
}

/* ---- reading a roster --------------------------------------------------- */

static const sp_roster_role roles[2] = {{"ae", SP_KIND_QUOTA},
                                        {"mgr", SP_KIND_MANAGER}};

static sp_status read_text(sp_roster *ro, const char *t, sp_error *err)
{
    return sp_roster_read(ro, "team.csv", "/x/team.csv", t, strlen(t), roles,
                          2, err);
}

static void test_roster_read(void **state)
{
    (void)state;
    sp_roster ro = {0};
    sp_error err = {0};
    assert_int_equal(read_text(&ro, "ID,Role,Hired,Attainment,quota\n"
                                    "Ann,ae,2025-03,95%,1.5M\n"
                                    "Bo,mgr,2020-01,,\n", &err), SP_OK);
    assert_int_equal(ro.n, 2);
    assert_string_equal(ro.rows[0].id, "Ann");
    assert_int_equal(ro.rows[0].hired, 2025 * 12 + 2);
    assert_close(ro.rows[0].attainment, 0.95, 0);
    assert_close(ro.rows[0].quota, 1.5e6, 0);
    assert_int_equal(ro.rows[0].set, SP_RO_ATTAINMENT | SP_RO_QUOTA);
    assert_int_equal(ro.rows[1].set, 0);
    /* compiled for a start of 2027-01: Ann has served 22 months */
    sp_model_role mr;
    memset(&mr, 0, sizeof mr);
    assert_int_equal(sp_roster_compile(&ro, "ae", 2027 * 12, &mr), 0);
    assert_int_equal(mr.nroster, 1);
    assert_int_equal(mr.headcount, 1);
    assert_int_equal(mr.roster[0].tenure, 22);
    free(mr.roster);
    assert_int_equal(sp_roster_check(&ro, 2027 * 12, &err), SP_OK);
    /* a hire after the start is refused at its cell */
    assert_int_equal(sp_roster_check(&ro, 2025 * 12, &err), SP_ERR_INVALID);
    assert_non_null(strstr(err.msg, "team.csv:2:8: roster: hired: expected "
                                    "a month not after the start 2025-01"));
    sp_roster_free(&ro);
}

/* Every refusal names FILE:LINE:COLUMN and leaves the roster as it was. */
static void test_roster_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"role,hired\nsdr,2026-01\n",
         "team.csv:2:1: roster: expected a declared role id, found 'sdr'"},
        {"role,hired\nae,2027-13\n",
         "team.csv:2:4: roster: hired: expected a month YYYY-MM, found "
         "'2027-13'"},
        {"role,capacity\nae,1M\n",
         "team.csv:1:1: roster: expected a 'hired' column"},
        {"role,hired,capacity,attainment\nae,2026-01,1M,90%\n",
         "team.csv:2:15: roster: expected capacity or attainment, found both"},
        {"role,hired,colour\nae,2026-01,red\n",
         "team.csv:1:12: roster: expected a column name"},
        {"role,hired,quota\nmgr,2026-01,1M\n",
         "team.csv:2:1: roster: role 'mgr' carries no quota"},
        {"role,hired,capacity\nae,2026-01,lots\n",
         "team.csv:2:12: roster: capacity: expected an amount of money >= 0 "
         "(900k), found 'lots'"},
        {"role,hired\nae,2026-01,extra\n",
         "team.csv:2:12: roster: expected 2 fields, as the header has, found 3"},
        {"role,hired\nae,\n",
         "team.csv:2:4: roster: expected a month YYYY-MM, found an empty cell"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sp_roster ro = {0};
        sp_error err = {0};
        assert_int_equal(read_text(&ro, "role,hired\nae,2026-01\n", &err),
                         SP_OK);
        assert_int_not_equal(read_text(&ro, bad[i].text, &err), SP_OK);
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("case %zu: %s", i, err.msg);
        assert_int_equal(ro.n, 1);
        assert_int_equal(ro.nfiles, 1);
        sp_roster_free(&ro);
    }
}

/* ---- rostered people in the engine ------------------------------------- */

static void model_init(sp_model *m, int start, int horizon)
{
    fx_model_init(m, start, horizon, 1);
}

static sp_model_role *quota_role(sp_model *m, int n)
{
    sp_model_role *r = fx_role_add(m, "ae", SP_KIND_QUOTA);
    r->nroster = r->headcount = n;
    r->roster = calloc((size_t)n, sizeof *r->roster);
    return r;
}

static sp_results run(const sp_model *m)
{
    return fx_run(m, 3, 1, 1);
}

static double mmean(const sp_results *r, int metric, int t)
{
    return r->monthly[(size_t)sp_series(r, metric, 0) * r->model.horizon + t]
        .mean;
}

/* Start 2027-01, ramp 0%, 50%, then full; quota 1.2M (relief on).
 *   Ann hired 2026-12: tenure 1, tenure month 2 at t = 0; capacity 1.2M
 *       (100k a month): t0 50k, then 100k.
 *   Bo hired 2027-01: tenure 0, tenure month 1 at t = 0; capacity 2.4M
 *       (200k a month): t0 0, t1 100k, then 200k.
 *   Cy hired 2026-06: tenure 6, fully ramped; capacity 600k: 50k.
 * Bookings: t0 50 + 0 + 50 = 100k; t1 100 + 100 + 50 = 250k; t2 and t3
 * 100 + 200 + 50 = 350k.  Quota (1.2M each, 100k a month x ramp):
 * t0 50 + 0 + 100 = 150k; t1 100 + 50 + 100 = 250k; then 300k.  No draw,
 * no noise: every trial is the same. */
static void test_three_rostered(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027 * 12, 4);
    sp_model_role *ae = quota_role(&m, 3);
    ae->quota = 1.2e6;
    ae->nramp = 2;
    ae->ramp[0] = 0;
    ae->ramp[1] = 0.5;
    const int tenure[3] = {1, 0, 6};
    const double cap[3] = {1.2e6, 2.4e6, 600e3};
    for (int i = 0; i < 3; i++) {
        ae->roster[i].tenure = tenure[i];
        ae->roster[i].has_capacity = 1;
        ae->roster[i].capacity = cap[i];
    }
    sp_results r = run(&m);
    const double book[4] = {100e3, 250e3, 350e3, 350e3};
    const double quo[4] = {150e3, 250e3, 300e3, 300e3};
    for (int t = 0; t < 4; t++) {
        assert_close(mmean(&r, SP_M_BOOKINGS, t), book[t], 1e-12);
        assert_close(mmean(&r, SP_M_QUOTA, t), quo[t], 1e-12);
        assert_close(mmean(&r, SP_M_HIRES, t), 0, 0);   /* they are no hires */
    }
    assert_close(mmean(&r, SP_M_HEADCOUNT, 0), 3, 0);
    sp_results_free(&r);
    sp_model_free(&m);
}

/* Start 2027-02, quarterly periods from January: Jan-Mar is open at the
 * start, one month of it (January) already gone.  One person, capacity
 * 1.2M (100k a month), own quota 2.4M (200k a month), a flat 10% rate,
 * with period_bookings 50k and period_quota 150k for January.
 *   Settlement at t = 1 (March): b = 50k + 100k + 100k = 250k, commission
 *   10% x 250k = 25,000; P = 150k + 200k + 200k = 550k, attainment
 *   250 / 550.  Team bookings show only what was booked from February:
 *   100k a month; the next period (Apr-Jun, t = 2..4) pays 10% x 300k =
 *   30,000 at t = 4, with no carry-over. */
static void test_period_so_far(void **state)
{
    (void)state;
    sp_model m;
    model_init(&m, 2027 * 12 + 1, 5);
    sp_model_role *ae = quota_role(&m, 1);
    ae->quota = 1.2e6;
    ae->comp.has_rate = 1;
    ae->comp.rate = 0.1;
    ae->roster[0].tenure = 24;
    ae->roster[0].has_capacity = 1;
    ae->roster[0].capacity = 1.2e6;
    ae->roster[0].quota = 2.4e6;
    ae->roster[0].period_bookings = 50e3;
    ae->roster[0].has_period_quota = 1;
    ae->roster[0].period_quota = 150e3;
    sp_results r = run(&m);
    assert_close(mmean(&r, SP_M_BOOKINGS, 0), 100e3, 1e-12);
    assert_close(mmean(&r, SP_M_QUOTA, 0), 200e3, 1e-12);
    assert_close(mmean(&r, SP_M_COMMISSION, 0), 0, 0);
    assert_close(mmean(&r, SP_M_COMMISSION, 1), 25e3, 1e-12);
    assert_close(mmean(&r, SP_M_COMMISSION, 4), 30e3, 1e-12);
    /* FY2027's records: Feb-Mar with January carried, 250 / 550, and
     * Apr-Jun, 300k over 600k: their mean is (250/550 + 0.5) / 2 */
    const sp_rep_stats *rs = &r.reps[0];
    assert_close(rs->attainment.mean, (250.0 / 550 + 0.5) / 2, 1e-12);
    sp_results_free(&r);
    sp_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_roster_read),
        cmocka_unit_test(test_roster_refusals),
        cmocka_unit_test(test_three_rostered),
        cmocka_unit_test(test_period_so_far),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
