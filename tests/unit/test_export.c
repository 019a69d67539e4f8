/* JSON, CSV, paired differences and atomic file writing, checked against
 * text and numbers derived by hand from a hand-built sp_results. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "salesplan/export.h"
#include "salesplan/file.h"
#include "salesplan/results.h"
#include "salesplan/stats.h"

#include "../../src/xlsx_private.h"

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

static double *ptrial(sp_results *r, int p, int metric, int role)
{
    return &r->ptrial[((size_t)p * r->npseries + sp_series(r, metric, role)) *
                      (size_t)r->trials];
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
    r->trials = trials;
    r->seed = 42;
    r->nroles = 1;
    r->nseries = SP_M_NMONTHLY * 2;
    r->npseries = SP_M_NPERIOD * 2;
    r->nperiods = 3;
    r->present = calloc((size_t)r->nseries, 1);
    r->monthly = calloc((size_t)r->nseries * 3, sizeof *r->monthly);
    r->periods = calloc(3, sizeof *r->periods);
    r->ppresent = calloc((size_t)r->npseries, 1);
    r->pstats = calloc((size_t)r->npseries * 3, sizeof *r->pstats);
    r->ptrial = calloc((size_t)r->npseries * 3 * (size_t)trials, sizeof(double));
    r->p_target = calloc(3, sizeof(double));
    r->payback = calloc((size_t)trials, sizeof(int));
    r->reps = calloc(3, sizeof *r->reps);
    assert_true(r->present && r->monthly && r->periods && r->ppresent &&
                r->pstats && r->ptrial && r->p_target && r->payback && r->reps);

    static const sp_period periods[3] = {
        {"FY2027", 2027 * 12 + 10, 2027 * 12 + 11, 0, 1, 1, 0, 2027, 0},
        {"FY2028", 2028 * 12, 2028 * 12, 2, 2, 1, 0, 2028, 0},
        {"Total", 2027 * 12 + 10, 2028 * 12, 0, 2, 0, 1, 0, 0},
    };
    memcpy(r->periods, periods, sizeof periods);

    for (int m = 0; m < SP_M_NPERIOD; m++)
        for (int role = -1; role < 1; role++) {
            int s = sp_series(r, m, role);
            /* the levels of served and planned roles and the opening
             * book stay absent, as in a real run without them */
            int on = (role < 0 || !sp_metric_total_only(m)) &&
                     m != SP_M_SUPPORT_FACTOR && m != SP_M_PLAN_MET &&
                     m != SP_M_OPENING_REVENUE;
            r->ppresent[s] = (unsigned char)on;
            if (m < SP_M_NMONTHLY)
                r->present[s] = (unsigned char)on;
            for (int t = 0; t < 3 && m < SP_M_NMONTHLY; t++)
                set_stat(mstat(r, m, role, t), s * 10000.0 + (t + 1) * 1000.0, 100);
            for (int p = 0; p < 3; p++)
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
        /* two records: one at 75% and one at 100% (the attainment bins
         * 70-80% and 100-110% of the 10-point scheme, abridged here to
         * three bins with an open top); earnings in one bin */
        sp_rep_hist *a = &rs->attainment_hist, *e = &rs->earnings_hist;
        a->nbins = 3;
        a->edges = malloc(4 * sizeof(double));
        a->share = malloc(3 * sizeof(double));
        e->nbins = 1;
        e->edges = malloc(2 * sizeof(double));
        e->share = malloc(sizeof(double));
        assert_true(a->edges && a->share && e->edges && e->share);
        memcpy(a->edges, (double[]){0.7, 0.8, 1.0, INFINITY}, 4 * sizeof(double));
        memcpy(a->share, (double[]){0.5, 0, 0.5}, 3 * sizeof(double));
        memcpy(e->edges, (double[]){19000, 21000}, 2 * sizeof(double));
        e->share[0] = 1;
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

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *s = slurp_stream(f);
    fclose(f);
    return s;
}

static void write_all(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *json_of(const sp_results *r)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(sp_write_json(f, r), SP_OK);
    char *s = slurp_stream(f);
    fclose(f);
    return s;
}

static int count_of(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void assert_no_nan_inf(const char *s)
{
    assert_null(strstr(s, "nan"));
    assert_null(strstr(s, "NaN"));
    assert_null(strstr(s, "inf"));
    assert_null(strstr(s, "Inf"));
}

/* A scratch directory, removed with its files by rm_scratch. */
static char scratch[64];

static int make_scratch(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/sp_export_test.XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static int rm_scratch(void **state)
{
    (void)state;
    DIR *d = opendir(scratch);
    if (!d)
        return -1;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
        if (rmdir(path) != 0)
            unlink(path);
    }
    closedir(d);
    return rmdir(scratch);
}

/* Files in the scratch directory whose names start with prefix. */
static int scratch_files(const char *prefix)
{
    DIR *d = opendir(scratch);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void test_json_single(void **state)
{
    (void)state;
    sp_results *r = fixture("base", 2);
    snprintf(r->model.title, sizeof r->model.title, "Q1 \"big\" \\ push\n\x01");
    char *s = json_of(r);

    assert_int_equal(strncmp(s, "{\n  \"salesplan\": \"", 18), 0);
    assert_non_null(strstr(s, "\n  \"scenario\": \"base\",\n"));
    assert_non_null(strstr(s, "\n  \"title\": \"Q1 \\\"big\\\" \\\\ push\\n\\u0001\",\n"));
    assert_non_null(strstr(s, "\n  \"trials\": 2,\n  \"seed\": 42,\n"
                              "  \"start\": \"2027-11\",\n  \"horizon\": 3,\n"));
    assert_non_null(strstr(s, "\n  \"months\": [\"2027-11\", \"2027-12\", \"2028-01\"],\n"));

    /* monthly bookings: the P50 row as set, the undefined sd as null */
    const char *mb = strstr(s, "\n    \"bookings\": {\n");
    assert_non_null(mb);
    assert_non_null(strstr(mb, "\n      \"p50\": [1000, 2000.5, 3000.25],\n"));
    assert_non_null(strstr(mb, "\n      \"sd\": [10, null, 10],\n"));
    /* an infinite mean is no number either: revenue is series 12 */
    assert_non_null(strstr(s, "\"mean\": [121100, 122100, null],"));
    assert_non_null(strstr(s, "\n    \"bookings.ae\": {\n"));
    assert_non_null(strstr(s, "\n    \"contribution\": {\n"));
    assert_null(strstr(s, "contribution.ae"));

    assert_non_null(strstr(s,
        "\n    {\n      \"label\": \"FY2027\",\n      \"first\": \"2027-11\",\n"
        "      \"last\": \"2027-12\",\n      \"partial\": true,\n"
        "      \"metrics\": {\n        \"headcount\": {\"mean\": 13, "));
    assert_non_null(strstr(s,
        "\n        \"bookings\": {\"mean\": 3556.75, \"sd\": 10, \"se\": 5, "
        "\"p5\": 3156.75, \"p10\": 3256.75, \"p25\": 3356.75, \"p50\": 3456.75, "
        "\"p75\": 3556.75, \"p90\": 3656.75, \"p95\": 3756.75},\n"));
    assert_non_null(strstr(s,
        "\"cos\": {\"mean\": null, \"sd\": null, \"se\": null, \"p5\": null, "
        "\"p10\": null, \"p25\": null, \"p50\": null, \"p75\": null, "
        "\"p90\": null, \"p95\": null},"));
    assert_non_null(strstr(s, "\n      },\n      \"p_target\": 0.5\n    },\n"));
    assert_non_null(strstr(s, "\n      },\n      \"p_target\": null\n    }\n  ],\n"));
    /* the periods list holds the fiscal years only */
    assert_null(strstr(s, "\"label\": \"Total\""));
    assert_int_equal(count_of(s, "\"p_target\""), 2);

    assert_non_null(strstr(s, "\n  \"horizon_total\": {\n    \"metrics\": {\n"
                              "      \"headcount\": {\"mean\": 12, "));
    assert_non_null(strstr(s, "\n      \"bookings\": {\"mean\": 4891, "));
    assert_non_null(strstr(s, "\n  \"payback_month\": {\n    \"p50\": \"2027-12\",\n"
                              "    \"share_never\": 0.25,\n"
                              "    \"share_no_investment\": 0\n  },\n"));
    const char *reps = strstr(s, "\n  \"reps\": {\n    \"ae\": {\n      \"records\": 2,\n");
    assert_non_null(reps);
    assert_non_null(strstr(reps, "\n      \"share_at_quota\": 0.5,\n"
                                 "      \"share_at_ote\": 0.25,\n"
                                 "      \"attainment_hist\": {\"edges\": "
                                 "[0.7, 0.8, 1, null], \"share\": [0.5, 0, 0.5]},\n"
                                 "      \"earnings_hist\": {\"edges\": "
                                 "[19000, 21000], \"share\": [1]},\n"
                                 "      \"by_period\": [\n"));
    /* a period without records: empty bins rather than missing keys */
    assert_non_null(strstr(reps, "\"attainment_hist\": {\"edges\": [], "
                                 "\"share\": []},"));
    assert_non_null(strstr(reps, "\"label\": \"FY2028\",\n          \"records\": 0,"));
    assert_non_null(strstr(reps, "\"share_at_quota\": null,"));
    assert_null(strstr(s, "interrupted"));
    assert_no_nan_inf(s);
    assert_int_equal(strcmp(s + strlen(s) - 3, "\n}\n"), 0);
    free(s);

    r->payback_p50 = -1;
    r->interrupted = 1;
    s = json_of(r);
    assert_non_null(strstr(s, "\n    \"p50\": null,\n"));
    assert_non_null(strstr(s, "\n  \"interrupted\": true\n}\n"));
    free(s);
    fixture_free(r);
}

static void test_paired_diff(void **state)
{
    double mean, se;
    long n;
    (void)state;
    sp_results *a = fixture("base", 4), *b = fixture("alt", 4);

    /* b - a = 3, 1, 6 (the last trial is undefined in a): mean 10/3,
     * squared deviations 1/9 + 49/9 + 64/9 = 38/3, sd^2 = 19/3,
     * se = sqrt(19/3 / 3) = sqrt(19) / 3 */
    static const double xa[4] = {10, 20, 30, NAN}, xb[4] = {13, 21, 36, 50};
    memcpy(ptrial(a, 0, SP_M_BOOKINGS, -1), xa, sizeof xa);
    memcpy(ptrial(b, 0, SP_M_BOOKINGS, -1), xb, sizeof xb);
    assert_int_equal(sp_paired_diff(a, b, 0, SP_M_BOOKINGS, NULL, &mean, &se, &n), 0);
    assert_int_equal(n, 3);
    assert_close(mean, 10.0 / 3, 1e-15);
    assert_close(se, sqrt(19.0) / 3, 1e-14);

    /* by role over the horizon: 1, 2, 3, 4 -> mean 2.5, sd^2 = 5/3,
     * se = sqrt(5/3 / 4) */
    static const double ya[4] = {1, 2, 3, 4}, yb[4] = {2, 4, 6, 8};
    memcpy(ptrial(a, 2, SP_M_BOOKINGS, 0), ya, sizeof ya);
    memcpy(ptrial(b, 2, SP_M_BOOKINGS, 0), yb, sizeof yb);
    assert_int_equal(sp_paired_diff(a, b, SP_PERIOD_TOTAL, SP_M_BOOKINGS, "ae",
                                    &mean, &se, &n), 0);
    assert_int_equal(n, 4);
    assert_close(mean, 2.5, 1e-15);
    assert_close(se, sqrt(5.0 / 12), 1e-14);

    /* one usable trial: a mean but no standard error */
    static const double za[4] = {NAN, NAN, 7, NAN}, zb[4] = {1, 1, 9.5, 1};
    memcpy(ptrial(a, 1, SP_M_COS, -1), za, sizeof za);
    memcpy(ptrial(b, 1, SP_M_COS, -1), zb, sizeof zb);
    assert_int_equal(sp_paired_diff(a, b, 1, SP_M_COS, NULL, &mean, &se, &n), 0);
    assert_int_equal(n, 1);
    assert_close(mean, 2.5, 1e-15);
    assert_true(isnan(se));

    /* absent or unknown figures */
    assert_int_equal(sp_paired_diff(a, b, 0, SP_M_CONTRIBUTION, "ae", &mean, &se, &n), -1);
    assert_int_equal(sp_paired_diff(a, b, 0, SP_M_BOOKINGS, "sdr", &mean, &se, &n), -1);
    assert_int_equal(sp_paired_diff(a, b, 2, SP_M_BOOKINGS, NULL, &mean, &se, &n), -1);
    assert_int_equal(sp_paired_diff(a, b, 0, SP_M_NPERIOD, NULL, &mean, &se, &n), -1);
    b->trials = 3;
    assert_int_equal(sp_paired_diff(a, b, 0, SP_M_BOOKINGS, NULL, &mean, &se, &n), -1);
    assert_int_equal(n, 0);
    assert_true(isnan(mean) && isnan(se));
    b->trials = 4;
    fixture_free(a);
    fixture_free(b);
}

/* The number after key in s, which must be there. */
static double number_after(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    assert_non_null(p);
    return strtod(p + strlen(key), NULL);
}

static void test_json_compare(void **state)
{
    char path[PATH_MAX];
    sp_error err = {0};
    (void)state;
    sp_results *a = fixture("base", 4), *b = fixture("alt", 4);
    static const double xa[4] = {10, 20, 30, NAN}, xb[4] = {13, 21, 36, 50};
    memcpy(ptrial(a, 0, SP_M_BOOKINGS, -1), xa, sizeof xa);
    memcpy(ptrial(b, 0, SP_M_BOOKINGS, -1), xb, sizeof xb);
    const sp_results *rs[2] = {a, b};

    snprintf(path, sizeof path, "%s/cmp.json", scratch);
    assert_int_equal(sp_export_json(path, rs, NULL, 2, NULL, &err), SP_OK);
    char *s = read_all(path);
    assert_int_equal(strncmp(s, "{\n  \"scenarios\": [\n    {\n      \"salesplan\": ", 44), 0);
    assert_non_null(strstr(s, "\n      \"scenario\": \"base\",\n"));
    assert_non_null(strstr(s, "\n      \"scenario\": \"alt\",\n"));
    const char *d = strstr(s, "\n  \"differences\": [\n    {\n      \"a\": \"base\",\n"
                              "      \"b\": \"alt\",\n      \"periods\": [\n"
                              "        {\n          \"label\": \"FY2027\",\n");
    assert_non_null(d);
    const char *bk = strstr(d, "\"bookings\": {\"mean\": 3.3333333333333335, \"se\": ");
    assert_non_null(bk);
    double se = number_after(bk, "\"se\": ");
    assert_close(se, sqrt(19.0) / 3, 1e-14);
    assert_close(number_after(bk, "\"ci95\": ["), 10.0 / 3 - 1.96 * se, 1e-14);
    const char *hi = strstr(bk, "\"ci95\": [");
    hi = strstr(hi, ", ");
    assert_close(strtod(hi + 2, NULL), 10.0 / 3 + 1.96 * se, 1e-14);
    assert_non_null(strstr(bk, "], \"n\": 3}"));
    /* two fiscal years, then the total */
    assert_int_equal(count_of(d, "\"label\": "), 2);
    assert_non_null(strstr(d, "\n      \"horizon_total\": {\n        \"metrics\": {\n"));
    assert_no_nan_inf(s);
    free(s);

    /* unequal trials cannot be paired: both results are written, no
     * differences (the rule of every format, sp_results_paired) */
    b->trials = 3;
    snprintf(path, sizeof path, "%s/unpaired.json", scratch);
    assert_int_equal(sp_export_json(path, rs, NULL, 2, NULL, &err), SP_OK);
    s = read_all(path);
    assert_non_null(strstr(s, "\"differences\": []"));
    free(s);
    b->trials = 4;
    /* nor can another seed */
    b->seed = a->seed + 1;
    assert_int_equal(sp_export_json(path, rs, NULL, 2, NULL, &err), SP_OK);
    s = read_all(path);
    assert_non_null(strstr(s, "\"differences\": []"));
    free(s);
    b->seed = a->seed;
    fixture_free(a);
    fixture_free(b);
}

static void test_csv(void **state)
{
    char path[PATH_MAX];
    sp_error err = {0};
    (void)state;
    sp_results *a = fixture("base", 2), *b = fixture("a,b\"c", 2);
    const sp_results *rs[2] = {a, b};

    snprintf(path, sizeof path, "%s/one.csv", scratch);
    assert_int_equal(sp_export_csv(path, rs, NULL, 1, NULL, &err), SP_OK);
    char *s = read_all(path);
    assert_int_equal(strncmp(s, "scenario,metric,period,statistic,value\n"
                                "base,headcount,2027-11,mean,1100\n", 71), 0);
    assert_non_null(strstr(s, "\nbase,bookings,2027-11,p50,1000\n"));
    assert_non_null(strstr(s, "\nbase,bookings,2027-12,p50,2000.5\n"));
    assert_non_null(strstr(s, "\nbase,bookings,2027-12,sd,\n"));
    assert_non_null(strstr(s, "\nbase,revenue,2028-01,mean,\n"));
    assert_non_null(strstr(s, "\nbase,bookings.ae,2028-01,p90,3200.25\n"));
    assert_non_null(strstr(s, "\nbase,bookings,FY2027,mean,3556.75\n"));
    assert_non_null(strstr(s, "\nbase,bookings,Total,p90,5091\n"));
    assert_non_null(strstr(s, "\nbase,cos,FY2028,p50,\n"));
    assert_non_null(strstr(s, "\nbase,cos,Total,p50,0.375\n"));
    assert_non_null(strstr(s, "\nbase,p_target,FY2027,value,0.5\n"));
    assert_null(strstr(s, "p_target,FY2028"));
    assert_non_null(strstr(s, "\nbase,payback_month,Total,p50,2027-12\n"
                              "base,payback_month,Total,share_never,0.25\n"
                              "base,payback_month,Total,share_no_investment,0\n"));
    assert_non_null(strstr(s, "\nbase,reps.records.ae,FY2028,value,0\n"));
    assert_non_null(strstr(s, "\nbase,reps.attainment.ae,FY2027,p10,0.625\n"));
    assert_non_null(strstr(s, "\nbase,reps.share_at_quota.ae,FY2028,value,\n"));
    assert_non_null(strstr(s, "\nbase,reps.share_at_ote.ae,Total,value,0.25\n"));
    assert_no_nan_inf(s);
    /* monthly: (24 + 22 per-role) series x 3 months x 10 statistics = 1380;
     * periods: (28 + 24: cos, attainment, and the two coverages in total
     * only) x 3 x 10 = 1560; one p_target; three payback; reps: 3 periods x
     * (1 + 10 + 10 + 10 + 1 + 1: records, attainment, earnings, annual
     * earnings, the two shares) = 99; plus the header */
    assert_int_equal(count_of(s, "\n"), 1 + 1380 + 1560 + 1 + 3 + 99);
    free(s);

    /* a name with a comma and a quote is quoted, the quote doubled */
    snprintf(path, sizeof path, "%s/two.csv", scratch);
    assert_int_equal(sp_export_csv(path, rs, NULL, 2, NULL, &err), SP_OK);
    s = read_all(path);
    /* both results, then the paired differences of the second against
     * the first: 3 periods x (28 + 24) period series x 4 statistics */
    assert_int_equal(count_of(s, "\n"), 1 + 2 * 3043 + 3 * 52 * 4);
    assert_non_null(strstr(s, "\n\"a,b\"\"c\",bookings,2027-11,mean,1100\n"));
    assert_int_equal(count_of(s, "\nbase,"), 3043);
    free(s);
    fixture_free(a);
    fixture_free(b);
}

static void test_atomic(void **state)
{
    char path[PATH_MAX], missing[PATH_MAX], tmp[PATH_MAX], expect[PATH_MAX + 64];
    sp_error err = {0};
    struct stat st;
    (void)state;
    sp_results *r = fixture("base", 2);
    const sp_results *rs[1] = {r};

    snprintf(path, sizeof path, "%s/x.json", scratch);
    write_all(path, "old\n");
    assert_int_equal(chmod(path, 0640), 0);

    /* a missing directory: an I/O error naming the path */
    snprintf(missing, sizeof missing, "%s/missing/x.json", scratch);
    assert_int_equal(sp_export_json(missing, rs, NULL, 1, NULL, &err), SP_ERR_IO);
    assert_int_equal(err.status, SP_ERR_IO);
    snprintf(expect, sizeof expect,
             "cannot write '%s': No such file or directory", missing);
    assert_string_equal(err.msg, expect);

    /* a directory is not a file to replace */
    assert_int_equal(sp_export_csv(scratch, rs, NULL, 1, NULL, &err), SP_ERR_IO);
    snprintf(expect, sizeof expect, "cannot write '%s': Is a directory", scratch);
    assert_string_equal(err.msg, expect);

    /* a write that fails late (the descriptor is gone when the buffer is
     * flushed) leaves the old file byte for byte and no temporary file */
    FILE *f = sp_atomic_open(path, tmp, &err);
    assert_non_null(f);
    /* an unnamed file (O_TMPFILE) where the file system has them: nothing
     * in the directory a kill could leave behind; else a named one */
    if (strncmp(tmp, "/proc/self/fd/", 14) == 0) {
        assert_int_equal(scratch_files(".x.json."), 0);
    } else {
        assert_int_equal(strncmp(tmp, scratch, strlen(scratch)), 0);
        assert_int_equal(strncmp(tmp + strlen(scratch), "/.x.json.", 9), 0);
        assert_int_equal(scratch_files(".x.json."), 1);
    }
    fputs("new contents", f);
    close(fileno(f));
    assert_int_equal(sp_atomic_commit(f, tmp, path, &err), SP_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    char *s = read_all(path);
    assert_string_equal(s, "old\n");
    free(s);
    assert_int_equal(scratch_files(".x.json."), 0);

    /* abort: the same */
    f = sp_atomic_open(path, tmp, &err);
    assert_non_null(f);
    fputs("new contents", f);
    sp_atomic_abort(f, tmp);
    s = read_all(path);
    assert_string_equal(s, "old\n");
    free(s);
    assert_int_equal(scratch_files(".x.json."), 0);

    /* success replaces the file and keeps its permissions */
    assert_int_equal(sp_export_file(path, NULL, rs, NULL, 1, NULL, &err), SP_OK);
    s = read_all(path);
    assert_int_equal(strncmp(s, "{\n  \"salesplan\": ", 17), 0);
    assert_non_null(strstr(s, "\n  \"scenario\": \"base\",\n"));
    free(s);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(scratch_files(".x.json."), 0);

    /* dispatch on the extension, in any case */
    snprintf(path, sizeof path, "%s/y.CSV", scratch);
    assert_int_equal(sp_export_file(path, NULL, rs, NULL, 1, NULL, &err), SP_OK);
    s = read_all(path);
    assert_int_equal(strncmp(s, "scenario,metric,period,statistic,value\n", 39), 0);
    free(s);
    snprintf(path, sizeof path, "%s/z.XLSX", scratch);
    assert_int_equal(sp_export_file(path, NULL, rs, NULL, 1, NULL, &err), SP_OK);
    s = read_all(path);
    assert_int_equal(strncmp(s, "PK", 2), 0);
    free(s);
    snprintf(path, sizeof path, "%s/z.txt", scratch);
    assert_int_equal(sp_export_file(path, NULL, rs, NULL, 1, NULL, &err), SP_ERR_USAGE);
    assert_non_null(strstr(err.msg, "unknown file type"));
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/none.json", scratch);
    assert_int_equal(sp_export_json(path, rs, NULL, 0, NULL, &err), SP_ERR_USAGE);
    assert_int_equal(access(path, F_OK), -1);
    fixture_free(r);
}

/* A workbook is read back before it replaces the old one: cut short or
 * with one byte changed (what a failed temporary write leaves) it does
 * not verify. */
static void test_xlsx_verify(void **state)
{
    char path[PATH_MAX], bad[PATH_MAX], why[160];
    sp_error err = {0};
    (void)state;
    sp_results *r = fixture("base", 2);
    const sp_results *rs[1] = {r};
    snprintf(path, sizeof path, "%s/v.xlsx", scratch);
    snprintf(bad, sizeof bad, "%s/v-bad.xlsx", scratch);
    assert_int_equal(sp_export_xlsx(path, NULL, rs, NULL, 1, NULL, &err), SP_OK);
    /* Summary, the scenario, Reps, Distributions and Trials */
    assert_int_equal(xw_verify(path, 5, why, sizeof why), 0);
    assert_int_equal(xw_verify(path, 6, why, sizeof why), -1);
    assert_string_equal(why, "missing sheets");

    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 1000 && n < sizeof buf);

    f = fopen(bad, "wb");
    fwrite(buf, 1, n - 100, f);
    fclose(f);
    assert_int_equal(xw_verify(bad, 5, why, sizeof why), -1);

    buf[n / 2] ^= 0x55;
    f = fopen(bad, "wb");
    fwrite(buf, 1, n, f);
    fclose(f);
    assert_int_equal(xw_verify(bad, 5, why, sizeof why), -1);
    assert_non_null(strstr(why, "damaged"));
    unlink(bad);
    unlink(path);
    fixture_free(r);
}

/* Ctrl-C at the commit abandons the write: the old file stays. */
static void test_atomic_stop(void **state)
{
    char path[PATH_MAX];
    sp_error err = {0};
    volatile sig_atomic_t stop = 1;
    (void)state;
    sp_results *r = fixture("base", 2);
    const sp_results *rs[1] = {r};
    snprintf(path, sizeof path, "%s/stop.json", scratch);
    write_all(path, "old\n");
    sp_atomic_set_stop(&stop);
    assert_int_equal(sp_export_json(path, rs, NULL, 1, NULL, &err), SP_ERR_RUN);
    assert_non_null(strstr(err.msg, "interrupted"));
    sp_atomic_set_stop(NULL);
    char *s = read_all(path);
    assert_string_equal(s, "old\n");
    free(s);
    assert_int_equal(scratch_files(".stop.json."), 0);
    unlink(path);
    fixture_free(r);
}

/* A sweep and a tornado reach the JSON without any run, as members of
 * the same object; only .json and .xlsx paths have them to write. */
static void test_json_findings(void **state)
{
    char path[PATH_MAX];
    sp_error err = {0};
    sp_findings f = {0};
    (void)state;

    assert_int_equal(sp_export_has_findings("a.json", &f), 0);
    assert_int_equal(sp_export_has_findings("a.json", NULL), 0);
    sp_sweep *sw = calloc(1, sizeof *sw);
    assert_non_null(sw);
    sw->nparams = 1;
    snprintf(sw->param[0], sizeof sw->param[0], "ae.ote");
    snprintf(sw->scenario, sizeof sw->scenario, "base");
    sw->n[0] = 2;
    sw->n[1] = 1;
    sw->values[0] = calloc(2, sizeof(double));
    sw->points = calloc(2, sizeof *sw->points);
    assert_non_null(sw->values[0]);
    assert_non_null(sw->points);
    sw->metric = SP_M_COST;
    snprintf(sw->metric_name, sizeof sw->metric_name, "cost");
    snprintf(sw->period, sizeof sw->period, "total");
    sw->trials = 10;
    sw->seed = 7;
    sw->points[0] = (sp_sweep_point){{100000, 0}, 1.5, 1, 2, 3};
    sw->points[1] = (sp_sweep_point){{120000, 0}, NAN, 1, 2, 3};
    assert_int_equal(sp_findings_add_sweep(&f, sw), 0);
    assert_int_equal(sp_export_has_findings("a.JSON", &f), 1);
    assert_int_equal(sp_export_has_findings("a.xlsx", &f), 1);
    /* the CSV carries the findings too, as rows of their own */
    assert_int_equal(sp_export_has_findings("a.csv", &f), 1);
    assert_int_equal(sp_export_has_findings("a.txt", &f), 0);

    snprintf(path, sizeof path, "%s/sweep.json", scratch);
    assert_int_equal(sp_export_json(path, NULL, NULL, 0, &f, &err), SP_OK);
    char *s = read_all(path);
    /* "sweep" is the last sweep; "sweeps" every one, in order */
    static const char sweep_obj[] =
        "    \"scenario\": \"base\",\n"
        "    \"params\": [\"ae.ote\"],\n"
        "    \"metric\": \"cost\",\n"
        "    \"period\": \"total\",\n"
        "    \"trials\": 10,\n"
        "    \"seed\": 7,\n"
        "    \"points\": [\n"
        "      {\"values\": [100000], \"metrics\": {\"cost\": {\"mean\": 1.5, "
        "\"p10\": 1, \"p50\": 2, \"p90\": 3}}},\n"
        "      {\"values\": [120000], \"metrics\": {\"cost\": {\"mean\": null, "
        "\"p10\": 1, \"p50\": 2, \"p90\": 3}}}\n"
        "    ]\n";
    assert_non_null(strstr(s, sweep_obj));
    assert_non_null(strstr(s, "\"sweeps\": ["));
    assert_int_equal(strncmp(s, "{\n  \"sweep\": {\n", 15), 0);
    free(s);

    sp_seek sk = {0};
    snprintf(sk.scenario, sizeof sk.scenario, "base");
    snprintf(sk.param, sizeof sk.param, "ae.quota");
    snprintf(sk.metric_name, sizeof sk.metric_name, "cos");
    snprintf(sk.stat, sizeof sk.stat, "p50");
    snprintf(sk.period, sizeof sk.period, "total");
    sk.metric = SP_M_COS;
    sk.goal = 0.12;
    sk.found = 1;
    sk.value = 900000;
    sk.metric_value = 0.12;
    snprintf(sk.value_text, sizeof sk.value_text, "900000");
    sk.trials = 10;
    sk.seed = 7;
    assert_int_equal(sp_findings_add_seek(&f, &sk), 0);
    snprintf(path, sizeof path, "%s/findings.csv", scratch);
    assert_int_equal(sp_export_csv(path, NULL, NULL, 0, &f, &err), SP_OK);
    s = read_all(path);
    assert_non_null(strstr(s, "base,sweep1,total,param1,ae.ote\n"));
    assert_non_null(strstr(s, "base,sweep1/cost,total,p50 at ae.ote=120000,2\n"));
    assert_non_null(strstr(s, "base,goalseek1,total,param,ae.quota\n"));
    assert_non_null(strstr(s, "base,goalseek1,total,value,900000\n"));
    free(s);
    sp_findings_clear(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_single),
        cmocka_unit_test(test_paired_diff),
        cmocka_unit_test(test_json_compare),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_atomic),
        cmocka_unit_test(test_xlsx_verify),
        cmocka_unit_test(test_atomic_stop),
        cmocka_unit_test(test_json_findings),
    };
    return cmocka_run_group_tests(tests, make_scratch, rm_scratch);
}
