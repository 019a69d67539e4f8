/* Number formatting, grids and terminal reports, checked against text
 * derived by hand from a hand-built sp_results. */
#include "testutil.h"

#include "salesplan/report.h"
#include "salesplan/results.h"
#include "salesplan/table.h"

/* A hand-built run: one quota role "ae", horizon 3 from 2027-11 with
 * calendar fiscal years, so FY2027 (Nov-Dec, partial), FY2028 (Jan,
 * partial) and the horizon total.  Every present series gets the pattern
 * mean = base + step, p[k] = base + (k - 3) * step, sd 10, se 5; the
 * figures the tests look at are set explicitly, with dyadic fractions so
 * that no sum or rounding tie blurs the expected text. */
static void set_stat(sp_stat *s, double base, double step)
{
    s->mean = base + step;
    s->sd = 10;
    s->se = 5;
    for (int k = 0; k < SP_NPCT; k++)
        s->p[k] = base + (k - 3) * step;
    s->n = 2;
}

static void set_undefined(sp_stat *s)
{
    s->mean = s->sd = s->se = NAN;
    for (int k = 0; k < SP_NPCT; k++)
        s->p[k] = NAN;
    s->n = 0;
}

static sp_stat *mstat(sp_results *r, int metric, int role, int t)
{
    return &r->monthly[(size_t)sp_series(r, metric, role) * r->model.horizon + t];
}

static sp_stat *pstat(sp_results *r, int p, int metric, int role)
{
    return &r->pstats[(size_t)p * r->npseries + sp_series(r, metric, role)];
}

static sp_results *fixture(const char *name, int trials)
{
    sp_results *r = calloc(1, sizeof *r);
    assert_non_null(r);
    snprintf(r->model.name, sizeof r->model.name, "%s", name);
    snprintf(r->model.title, sizeof r->model.title, "Base plan");
    r->model.start = 2027 * 12 + 10;
    r->model.horizon = 3;
    r->model.fy_start = 1;
    snprintf(r->model.currency, sizeof r->model.currency, "$");
    r->model.nroles = 1;
    snprintf(r->model.roles[0].id, sizeof r->model.roles[0].id, "ae");
    r->model.roles[0].kind = SP_KIND_QUOTA;
    r->model.roles[0].manages = -1;
    r->model.roles[0].pool_of = -1;
    r->model.roles[0].comp.ti = 60e3;
    r->trials = trials;
    r->seed = 42;
    r->nroles = 1;
    r->nseries = SP_M_NMONTHLY * 2;
    r->npseries = SP_M_NPERIOD * 2;
    r->nperiods = 3;
    r->nquarters = 2;
    r->present = calloc((size_t)r->nseries, 1);
    r->monthly = calloc((size_t)r->nseries * 3, sizeof *r->monthly);
    r->periods = calloc(5, sizeof *r->periods);
    r->ppresent = calloc((size_t)r->npseries, 1);
    r->pstats = calloc((size_t)r->npseries * 5, sizeof *r->pstats);
    r->ptrial = calloc((size_t)r->npseries * 5 * (size_t)trials, sizeof(double));
    r->p_target = calloc(5, sizeof(double));
    r->payback = calloc((size_t)trials, sizeof(int));
    r->reps = calloc(3, sizeof *r->reps);
    assert_true(r->present && r->monthly && r->periods && r->ppresent &&
                r->pstats && r->ptrial && r->p_target && r->payback && r->reps);

    /* the fiscal years, the total, then the quarters: Nov-Dec 2027 are
     * FY2027 Q4 (partial), Jan 2028 FY2028 Q1 (partial) */
    static const sp_period periods[5] = {
        {"FY2027", 2027 * 12 + 10, 2027 * 12 + 11, 0, 1, 1, 0, 2027, 0},
        {"FY2028", 2028 * 12, 2028 * 12, 2, 2, 1, 0, 2028, 0},
        {"Total", 2027 * 12 + 10, 2028 * 12, 0, 2, 0, 1, 0, 0},
        {"FY2027 Q4", 2027 * 12 + 10, 2027 * 12 + 11, 0, 1, 1, 0, 2027, 4},
        {"FY2028 Q1", 2028 * 12, 2028 * 12, 2, 2, 1, 0, 2028, 1},
    };
    memcpy(r->periods, periods, sizeof periods);

    for (int m = 0; m < SP_M_NPERIOD; m++)
        for (int role = -1; role < 1; role++) {
            int s = sp_series(r, m, role);
            /* the coverages are tested on real runs (t_engine.sh) */
            int on = (role < 0 || !sp_metric_total_only(m)) &&
                     m != SP_M_COVERAGE && m != SP_M_CAPACITY_COVERAGE &&
                     m != SP_M_SUPPORT_FACTOR && m != SP_M_PLAN_MET &&
                     m != SP_M_OPENING_REVENUE;
            r->ppresent[s] = (unsigned char)on;
            if (m < SP_M_NMONTHLY)
                r->present[s] = (unsigned char)on;
            for (int t = 0; t < 3 && m < SP_M_NMONTHLY; t++)
                set_stat(mstat(r, m, role, t), s * 10000.0 + (t + 1) * 1000.0, 100);
            for (int p = 0; p < 5; p++)
                set_stat(pstat(r, p, m, role), 500.0 + s, 10);
        }

    static const double p50[3] = {1000, 2000.5, 3000.25};
    for (int t = 0; t < 3; t++) {
        set_stat(mstat(r, SP_M_BOOKINGS, -1, t), p50[t], 100);
        set_stat(mstat(r, SP_M_BOOKINGS, 0, t), p50[t], 100);
    }
    mstat(r, SP_M_BOOKINGS, -1, 1)->sd = NAN;
    mstat(r, SP_M_REVENUE, -1, 2)->mean = INFINITY;

    set_stat(pstat(r, 0, SP_M_BOOKINGS, -1), 3456.75, 100);
    set_stat(pstat(r, 1, SP_M_BOOKINGS, -1), 1234.25, 100);
    set_stat(pstat(r, 2, SP_M_BOOKINGS, -1), 4691, 200);
    set_stat(pstat(r, 0, SP_M_COST, -1), 1000, 10);
    set_stat(pstat(r, 1, SP_M_COST, -1), 500, 10);
    set_stat(pstat(r, 2, SP_M_COST, -1), 1500, 10);
    set_stat(pstat(r, 0, SP_M_COS, -1), 0.25, 0.0625);
    set_undefined(pstat(r, 1, SP_M_COS, -1));
    set_stat(pstat(r, 2, SP_M_COS, -1), 0.375, 0.0625);
    set_stat(pstat(r, 0, SP_M_CONTRIBUTION, -1), -250, 10);
    static const double hc[3] = {12, 11, 11}, hc_ae[3] = {10, 9, 9};
    for (int p = 0; p < 3; p++) {
        set_stat(pstat(r, p, SP_M_HEADCOUNT, -1), hc[p], 1);
        set_stat(pstat(r, p, SP_M_HEADCOUNT, 0), hc_ae[p], 1);
    }

    r->p_target[0] = 0.5;
    r->p_target[1] = NAN;
    r->p_target[2] = NAN;
    r->p_target[3] = 0.25;
    r->p_target[4] = NAN;
    r->payback_p50 = 1;
    r->payback_share_never = 0.25;
    r->payback[0] = 1;
    r->payback[trials - 1] = -1;

    for (int p = 0; p < 3; p++) {
        sp_rep_stats *rs = &r->reps[p];
        if (p == 1) {
            set_undefined(&rs->attainment);
            set_undefined(&rs->earnings);
            rs->share_at_quota = rs->share_at_ote = NAN;
            continue;
        }
        rs->records = 2;
        rs->defined = 2;
        set_stat(&rs->attainment, 0.875, 0.125);
        set_stat(&rs->earnings, 20000, 1000);
        rs->share_at_quota = 0.5;
        rs->share_at_ote = 0.25;
    }
    return r;
}

static void fixture_free(sp_results *r)
{
    sp_results_free(r);
    free(r);
}

/* Everything f received, as a NUL-terminated string to free. */
static char *slurp_stream(FILE *f)
{
    long n;
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

/* The text of one report, captured. */
static char *capture_summary(const sp_results *r, int width, int color)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    sp_report_summary(f, r, width, color);
    char *s = slurp_stream(f);
    fclose(f);
    return s;
}

static char *capture_grid(const sp_results *r, int metric, int role, int by,
                          int width)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    sp_report_grid(f, r, metric, role, by, width, 0);
    char *s = slurp_stream(f);
    fclose(f);
    return s;
}

static char *capture_reps(const sp_results *r, int role, int width)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    sp_report_reps(f, r, role, width);
    char *s = slurp_stream(f);
    fclose(f);
    return s;
}

/* The line of text that starts with prefix, copied into buf ("" if none). */
static const char *line_with(const char *text, const char *prefix, char *buf,
                             size_t size)
{
    size_t pl = strlen(prefix);
    const char *p = text;
    buf[0] = '\0';
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= pl && strncmp(p, prefix, pl) == 0) {
            snprintf(buf, size, "%.*s", (int)n, p);
            return buf;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return buf;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static int widest_line(const char *s)
{
    int w = 0;
    char line[4096];
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        snprintf(line, sizeof line, "%.*s", (int)n, s);
        int lw = sp_text_width(line);
        if (lw > w)
            w = lw;
        if (!e)
            break;
        s = e + 1;
    }
    return w;
}

static void test_money(void **state)
{
    char b[SP_FMT_MAX];
    (void)state;
    sp_fmt_money(1234567, "$", b, sizeof b);
    assert_string_equal(b, "$1,234,567");
    sp_fmt_money(-1234, "$", b, sizeof b);
    assert_string_equal(b, "-$1,234");
    sp_fmt_money(900, "\xc2\xa5", b, sizeof b);
    assert_string_equal(b, "\xc2\xa5" "900");
    sp_fmt_money(NAN, "$", b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x94");
    sp_fmt_money(INFINITY, "$", b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x94");
    /* rounds to whole units; a tiny negative is not "-$0" */
    sp_fmt_money(-0.4, "$", b, sizeof b);
    assert_string_equal(b, "$0");
    sp_fmt_money(999.75, "", b, sizeof b);
    assert_string_equal(b, "1,000");
    sp_fmt_money(123, NULL, b, sizeof b);
    assert_string_equal(b, "123");
    sp_fmt_money(1e12, "\xe2\x82\xac", b, sizeof b);
    assert_string_equal(b, "\xe2\x82\xac" "1,000,000,000,000");
    /* truncation keeps whole code points */
    sp_fmt_money(NAN, "$", b, 3);
    assert_string_equal(b, "");
}

static void test_compact_count_percent(void **state)
{
    char b[SP_FMT_MAX];
    (void)state;
    sp_fmt_money_compact(1234567, "$", b, sizeof b);
    assert_string_equal(b, "$1.23M");
    sp_fmt_money_compact(845000, "$", b, sizeof b);
    assert_string_equal(b, "$845k");
    sp_fmt_money_compact(-12500, "$", b, sizeof b);
    assert_string_equal(b, "-$12.5k");
    /* just under a million rounds up into the next unit, not "1000k" */
    sp_fmt_money_compact(999700, "$", b, sizeof b);
    assert_string_equal(b, "$1.00M");
    sp_fmt_money_compact(999, "$", b, sizeof b);
    assert_string_equal(b, "$999");
    sp_fmt_money_compact(2.5e9, "$", b, sizeof b);
    assert_string_equal(b, "$2.50B");
    sp_fmt_money_compact(NAN, "$", b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x94");

    sp_fmt_count(1234, 0, b, sizeof b);
    assert_string_equal(b, "1,234");
    sp_fmt_count(12.46, 1, b, sizeof b);
    assert_string_equal(b, "12.5");
    sp_fmt_count(-1234567.25, 1, b, sizeof b);
    assert_string_equal(b, "-1,234,567.2");

    sp_fmt_percent(0.342, 1, b, sizeof b);
    assert_string_equal(b, "34.2%");
    sp_fmt_percent(1.5, 0, b, sizeof b);
    assert_string_equal(b, "150%");
    sp_fmt_percent(NAN, 1, b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x94");
}

static void test_text_width_and_sparkline(void **state)
{
    char b[64];
    (void)state;
    assert_int_equal(sp_text_width("abc"), 3);
    assert_int_equal(sp_text_width("\xe2\x80\x94x"), 2);
    assert_int_equal(sp_text_width("\033[1mab\033[0m"), 2);

    double x[4] = {1, 2, NAN, 8};
    /* (2 - 1) / 7 * 7 = 1: the second bar */
    assert_int_equal(sp_sparkline(x, 4, b, sizeof b), 4);
    assert_string_equal(b, "\xe2\x96\x81\xe2\x96\x82 \xe2\x96\x88");
    double flat[3] = {5, 5, 5};
    sp_sparkline(flat, 3, b, sizeof b);
    assert_string_equal(b, "\xe2\x96\x84\xe2\x96\x84\xe2\x96\x84");
    /* only whole glyphs: 7 bytes hold two (6 bytes + NUL) */
    assert_int_equal(sp_sparkline(flat, 3, b, 7), 2);
    assert_int_equal((int)strlen(b), 6);
}

static void test_table_wraps(void **state)
{
    (void)state;
    sp_table *t = sp_table_new(12, "bookings");
    assert_non_null(t);
    char h[32];
    for (int c = 0; c < 12; c++) {
        snprintf(h, sizeof h, "2027-%02d", c + 1);
        sp_table_header(t, c, h);
    }
    int r0 = sp_table_row(t, "P50");
    int r1 = sp_table_row(t, "P90");
    assert_int_equal(r0, 0);
    assert_int_equal(r1, 1);
    for (int c = 0; c < 12; c++) {
        sp_table_set(t, r0, c, "$1,234,567");
        sp_table_set(t, r1, c, "\xe2\x80\x94");
    }
    FILE *f = tmpfile();
    assert_non_null(f);
    sp_table_print(f, t, 200, 0);
    char *wide = slurp_stream(f);
    fclose(f);
    /* label 8 + 12 * (2 + 10) = 152 <= 200: one block of three lines */
    assert_int_equal(count_lines(wide), 3);
    assert_int_equal(widest_line(wide), 152);
    char buf[256];
    line_with(wide, "P90", buf, sizeof buf);
    assert_int_equal(sp_text_width(buf), 152);

    f = tmpfile();
    assert_non_null(f);
    sp_table_print(f, t, 80, 0);
    char *narrow = slurp_stream(f);
    fclose(f);
    /* 8 + k * 12 <= 80 -> 6 columns a block: two blocks of three lines with
     * a blank line between */
    assert_int_equal(count_lines(narrow), 7);
    assert_true(widest_line(narrow) <= 80);
    assert_int_equal(widest_line(narrow), 80);
    assert_non_null(strstr(narrow, "bookings     2027-01"));
    assert_non_null(strstr(narrow, "\n\nbookings     2027-07"));

    f = tmpfile();
    assert_non_null(f);
    sp_table_print(f, t, 80, 1);
    char *bold = slurp_stream(f);
    fclose(f);
    assert_non_null(strstr(bold, "\033[1mbookings"));
    assert_null(strstr(narrow, "\033["));
    free(wide);
    free(narrow);
    free(bold);
    sp_table_free(t);
}

static void test_summary(void **state)
{
    char buf[512];
    (void)state;
    sp_results *r = fixture("base", 2);
    /* first without quarters, as results that kept none */
    r->nquarters = 0;
    char *s = capture_summary(r, 200, 0);

    assert_non_null(strstr(s, "Scenario base: Base plan\n"));
    assert_non_null(strstr(s, "2 trials, seed 42, 2027-11 to 2028-01 (3 months)\n"));
    /* label column = "Headcount P50 (end)" (19); columns "FY2027*" (7),
     * "FY2028*", "Total": cells right-aligned after two spaces */
    assert_string_equal(line_with(s, "   ", buf, sizeof buf),
                        "                     FY2027*  FY2028*   Total");
    /* 3456.75 - 200 = 3256.75 -> $3,257; 1234.25 - 200 -> $1,034;
     * 4691 - 2 * 200 -> $4,291 */
    assert_string_equal(line_with(s, "Bookings P10", buf, sizeof buf),
                        "Bookings P10          $3,257   $1,034  $4,291");
    assert_string_equal(line_with(s, "Bookings P50", buf, sizeof buf),
                        "Bookings P50          $3,457   $1,234  $4,691");
    assert_string_equal(line_with(s, "P(target)", buf, sizeof buf),
                        "P(target)              50.0%        \xe2\x80\x94");
    assert_string_equal(line_with(s, "Cost of sales P50", buf, sizeof buf),
                        "Cost of sales P50      25.0%        \xe2\x80\x94   37.5%");
    assert_string_equal(line_with(s, "Contribution P50", buf, sizeof buf),
                        "Contribution P50       -$250     $"
                        "544    $544");
    assert_string_equal(line_with(s, "Headcount P50 (end)", buf, sizeof buf),
                        "Headcount P50 (end)       12       11      11");
    assert_string_equal(line_with(s, "  ae", buf, sizeof buf),
                        "  ae                      10        9       9");
    /* FY2028 has no records: blank, not 0% */
    assert_string_equal(line_with(s, "At quota ae", buf, sizeof buf),
                        "At quota ae            50.0%            50.0%");
    assert_string_equal(line_with(s, "At OTE ae", buf, sizeof buf),
                        "At OTE ae              25.0%            25.0%");
    assert_non_null(strstr(s, "* partial fiscal year"));
    assert_non_null(strstr(s, "Payback month (P50): 2027-12; never paid back "
                              "in 25.0% of trials\n"));
    assert_null(strstr(s, "nan"));
    assert_null(strstr(s, "\033["));
    free(s);

    /* with its quarters, the quarter line under P(target): FY2027 has Q4
     * only (P(target) 25%), FY2028 Q1 only, with no target; a year
     * without a target has no line */
    r->nquarters = 2;
    s = capture_summary(r, 200, 0);
    assert_string_equal(line_with(s, "  Q1/Q2/Q3/Q4", buf, sizeof buf),
                        "  Q1/Q2/Q3/Q4        \xe2\x80\x94/\xe2\x80\x94/"
                        "\xe2\x80\x94/25%");
    free(s);
    /* a budget adds Cost P90 (1000 + 2 * 10) and P(budget) under the cost */
    double pb[5] = {0.9, NAN, NAN, NAN, NAN};
    r->p_budget = pb;
    r->model.nbudget = 1;
    r->model.budget[0] = 1000;
    s = capture_summary(r, 200, 0);
    assert_string_equal(line_with(s, "Cost P90", buf, sizeof buf),
                        "Cost P90                $1,020     $520  $1,520");
    assert_string_equal(line_with(s, "P(budget)", buf, sizeof buf),
                        "P(budget)                90.0%");
    free(s);
    r->p_budget = NULL;
    r->model.nbudget = 0;

    r->payback_p50 = -1;
    r->payback_share_never = 0.75;
    r->p_target[0] = NAN;
    s = capture_summary(r, 200, 1);
    assert_non_null(strstr(s, "Payback month (P50): never; never paid back in "
                              "75.0% of trials"));
    assert_null(strstr(s, "P(target)"));
    assert_non_null(strstr(s, "\033[1m"));
    free(s);

    /* No target incentive, no rate, no bonus: no target, so the row
     * (undefined throughout) is left out; a rate or a bonus brings it
     * back. */
    r->model.roles[0].comp.ti = 0;
    s = capture_summary(r, 200, 0);
    assert_null(strstr(s, "At OTE"));
    assert_non_null(strstr(s, "At quota ae"));
    free(s);
    r->model.roles[0].comp.has_rate = 1;
    r->model.roles[0].comp.rate = 0.03;
    s = capture_summary(r, 200, 0);
    assert_non_null(strstr(s, "At OTE ae"));
    free(s);
    r->model.roles[0].comp.has_rate = 0;
    r->model.roles[0].comp.rate = 0;
    r->model.roles[0].comp.bonus = 12e3;
    s = capture_summary(r, 200, 0);
    assert_non_null(strstr(s, "At OTE ae"));
    free(s);
    r->model.roles[0].comp.bonus = 0;
    r->model.roles[0].comp.ti = 60e3;

    /* narrow terminal: the period columns wrap into blocks */
    s = capture_summary(r, 40, 0);
    assert_true(widest_line(s) <= 40);
    assert_non_null(strstr(s, "\n\n                      Total\n"));
    free(s);
    fixture_free(r);
}

static void test_grid_by_month_and_year(void **state)
{
    char buf[512];
    (void)state;
    sp_results *r = fixture("base", 2);
    char *s = capture_grid(r, SP_M_BOOKINGS, -1, 1, 200);
    assert_non_null(strstr(s, "bookings by month, 2 trials\n"));
    /* P50 1000, 2000.5, 3000.25: lowest, middle (1000.5 / 2000.25 * 7 =
     * 3.5 -> 4th step, index 4), highest */
    assert_non_null(strstr(s, "P50 trend  \xe2\x96\x81\xe2\x96\x85\xe2\x96\x88\n"));
    assert_string_equal(line_with(s, "bookings", buf, sizeof buf),
                        "bookings by month, 2 trials");
    assert_string_equal(line_with(s, "P10", buf, sizeof buf),
                        "P10          $800   $1.80k   $2.80k");
    assert_string_equal(line_with(s, "mean", buf, sizeof buf),
                        "mean       $1.10k   $2.10k   $3.10k");
    assert_string_equal(line_with(s, "P50 ae", buf, sizeof buf),
                        "P50 ae     $1.00k   $2.00k   $3.00k");
    free(s);

    s = capture_grid(r, SP_M_HEADCOUNT, -1, 12, 200);
    assert_string_equal(line_with(s, "P50 ae", buf, sizeof buf),
                        "P50 ae          10        9      9");
    assert_string_equal(line_with(s, "mean", buf, sizeof buf),
                        "mean            13       12     12");
    free(s);

    /* a ratio shown by month falls back to fiscal years, as percentages */
    s = capture_grid(r, SP_M_COS, -1, 1, 200);
    assert_non_null(strstr(s, "shown by fiscal year"));
    /* the cos.ae row (55,500.0%: 500 + series 55) sets the column widths */
    assert_string_equal(line_with(s, "P90", buf, sizeof buf),
                        "P90         37.5%          \xe2\x80\x94      50.0%");
    assert_non_null(strstr(s, "P50 ae  55,500.0%"));
    free(s);

    /* contribution is total-only: no per-role rows, and none for a role */
    s = capture_grid(r, SP_M_CONTRIBUTION, -1, 12, 200);
    assert_null(strstr(s, "P50 ae"));
    free(s);
    s = capture_grid(r, SP_M_CONTRIBUTION, 0, 12, 200);
    assert_string_equal(s, "contribution is not recorded for role ae\n");
    free(s);
    fixture_free(r);
}

static void test_grid_by_quarter(void **state)
{
    char buf[512];
    (void)state;
    sp_results *r = fixture("base", 2);
    /* Nov-Dec 2027 are FY27 Q4 (partial), Jan 2028 FY28 Q1 (partial):
     * periods 3 and 4.  A quarter's figures are its own period statistics
     * (percentiles of per-trial quarter values), never sums of monthly
     * means: set_stat(43200, 100) gives P10 43,000 (base - 2 steps), P50
     * 43,200, P90 43,400 and mean 43,300. */
    set_stat(pstat(r, 3, SP_M_HIRES, -1), 43200, 100);
    set_stat(pstat(r, 4, SP_M_HIRES, -1), 23100, 100);
    char *s = capture_grid(r, SP_M_HIRES, -1, 3, 200);
    assert_string_equal(line_with(s, "hires ", buf, sizeof buf),
                        "hires by fiscal quarter, 2 trials");
    assert_string_equal(line_with(s, "hires  ", buf, sizeof buf),
                        "hires   FY27 Q4*  FY28 Q1*");
    assert_string_equal(line_with(s, "P10 ", buf, sizeof buf),
                        "P10       43,000    22,900");
    assert_string_equal(line_with(s, "P50 ", buf, sizeof buf),
                        "P50       43,200    23,100");
    assert_string_equal(line_with(s, "P90 ", buf, sizeof buf),
                        "P90       43,400    23,300");
    assert_string_equal(line_with(s, "mean ", buf, sizeof buf),
                        "mean      43,300    23,200");
    assert_non_null(strstr(s, "* partial quarter"));
    assert_null(strstr(s, "per-trial"));
    free(s);
    /* a ratio kept per period is shown by quarter too: cos (series
     * SP_M_COS * 2 = 54 -> 554, P50 of set_stat(554, 10)) */
    s = capture_grid(r, SP_M_COS, -1, 3, 200);
    assert_non_null(strstr(s, "cos by fiscal quarter"));
    assert_string_equal(line_with(s, "P50 ", buf, sizeof buf),
                        "P50     55,400.0%  55,400.0%");
    free(s);
    fixture_free(r);
}

static void test_grid_wraps_to_width(void **state)
{
    (void)state;
    sp_results *r = fixture("base", 2);
    char *wide = capture_grid(r, SP_M_BOOKINGS, -1, 1, 200);
    char *narrow = capture_grid(r, SP_M_BOOKINGS, -1, 1, 30);
    assert_true(widest_line(narrow) <= 30);
    /* labels 8 + 3 * (2 + 7) = 35 > 30: two months, then one */
    assert_true(count_lines(narrow) > count_lines(wide));
    free(wide);
    free(narrow);
    fixture_free(r);
}

static void test_reps(void **state)
{
    char buf[512];
    (void)state;
    sp_results *r = fixture("base", 2);
    char *s = capture_reps(r, -1, 200);
    assert_non_null(strstr(s, "Role ae (quota)"));
    assert_string_equal(line_with(s, "records", buf, sizeof buf),
                        "records                     2        0        2");
    /* 0.875 - 2 * 0.125 = 0.625 */
    assert_string_equal(line_with(s, "attainment P10", buf, sizeof buf),
                        "attainment P10          62.5%             62.5%");
    assert_string_equal(line_with(s, "attainment mean", buf, sizeof buf),
                        "attainment mean        100.0%            100.0%");
    assert_string_equal(line_with(s, "earnings P90", buf, sizeof buf),
                        "earnings P90          $22,000           $22,000");
    assert_string_equal(line_with(s, "at OTE", buf, sizeof buf),
                        "at OTE                  25.0%             25.0%");
    free(s);

    r->reps[0].records = r->reps[2].records = 0;
    s = capture_reps(r, 0, 200);
    assert_string_equal(s, "no rep records for role ae\n");
    free(s);
    fixture_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_compact_count_percent),
        cmocka_unit_test(test_text_width_and_sparkline),
        cmocka_unit_test(test_table_wraps),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_grid_by_month_and_year),
        cmocka_unit_test(test_grid_by_quarter),
        cmocka_unit_test(test_grid_wraps_to_width),
        cmocka_unit_test(test_reps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
