/* Percentiles (Excel PERCENTILE.INC) and moments across trials. */
#include "testutil.h"

#include "salesplan/stats.h"

/* {15, 20, 35, 40, 50}, n = 5, h = 4q:
 *   q = 0.40: h = 1.6 -> 20 + 0.6 (35 - 20) = 29
 *   q = 0.50: h = 2   -> 35
 *   q = 0.05: h = 0.2 -> 15 + 0.2 (20 - 15) = 16
 *   q = 0.90: h = 3.6 -> 40 + 0.6 (50 - 40) = 46
 *   q = 0, 1: the extremes. */
static void test_percentile_small(void **state)
{
    (void)state;
    const double data[5] = {40, 15, 50, 35, 20};   /* any order */
    struct { double q, want; } c[] = {
        {0.40, 29}, {0.50, 35}, {0.05, 16}, {0.90, 46}, {0, 15}, {1, 50},
        {0.25, 20}, {0.75, 40},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        double x[5];
        memcpy(x, data, sizeof x);
        assert_close(sp_percentile_inc(x, 5, c[i].q), c[i].want, 1e-12);
    }
}

static void test_percentiles_many_at_once(void **state)
{
    (void)state;
    double x[5] = {40, 15, 50, 35, 20};
    const double q[4] = {0.9, 0.4, 0.05, 0.5};   /* unsorted on purpose */
    double out[4];
    sp_percentiles_inc(x, 5, q, 4, out);
    assert_close(out[0], 46, 1e-12);
    assert_close(out[1], 29, 1e-12);
    assert_close(out[2], 16, 1e-12);
    assert_close(out[3], 35, 1e-12);
}

static void test_single_value(void **state)
{
    (void)state;
    double x[1] = {2.385};
    sp_stat s;
    sp_stat_compute(x, 1, &s);
    assert_int_equal(s.n, 1);
    assert_close(s.mean, 2.385, 1e-15);
    /* the sd of one value (n - 1 = 0 in the denominator) is undefined,
     * reported as null rather than a made-up 0 */
    assert_true(isnan(s.sd) && isnan(s.se));
    for (int i = 0; i < SP_NPCT; i++)
        assert_close(s.p[i], 2.385, 1e-15);
}

/* {1, 2, 3, 4} after skipping NaN: mean 2.5; squared deviations
 * 2.25 + 0.25 + 0.25 + 2.25 = 5, sd = sqrt(5/3), se = sd / 2.
 * h = 3q: p5 h = 0.15 -> 1.15; p50 h = 1.5 -> 2.5; p95 h = 2.85 -> 3.85;
 * p25 h = 0.75 -> 1.75. */
static void test_nan_skipped(void **state)
{
    (void)state;
    double x[7] = {NAN, 3, 1, NAN, 4, 2, NAN};
    sp_stat s;
    sp_stat_compute(x, 7, &s);
    assert_int_equal(s.n, 4);
    assert_close(s.mean, 2.5, 1e-15);
    assert_close(s.sd, sqrt(5.0 / 3), 1e-14);
    assert_close(s.se, sqrt(5.0 / 3) / 2, 1e-14);
    assert_close(s.p[SP_P5], 1.15, 1e-14);
    assert_close(s.p[SP_P25], 1.75, 1e-14);
    assert_close(s.p[SP_P50], 2.5, 1e-14);
    assert_close(s.p[SP_P95], 3.85, 1e-14);
}

static void test_all_nan(void **state)
{
    (void)state;
    double x[3] = {NAN, NAN, NAN};
    sp_stat s;
    sp_stat_compute(x, 3, &s);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mean) && isnan(s.sd) && isnan(s.se));
    for (int i = 0; i < SP_NPCT; i++)
        assert_true(isnan(s.p[i]));
    sp_stat_compute(x, 0, &s);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.p[SP_P50]));
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Selection against the definition applied to a sorted copy, on data with
 * long runs of ties (integers 0..9) and on spread-out data, including a
 * size where no percentile falls on an order statistic. */
static void test_selection_matches_sorting(void **state)
{
    (void)state;
    unsigned s = 12345;
    const size_t sizes[] = {2, 7, 17, 100, 1001, 5000};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int ties = 0; ties < 2; ties++) {
            size_t n = sizes[si];
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
            for (size_t i = 0; i < n; i++) {
                s = s * 1103515245u + 12345u;
                x[i] = ties ? (double)((s >> 16) % 10)
                            : (double)(s >> 8) / 7.0 - 1e6;
            }
            memcpy(y, x, n * sizeof *x);
            qsort(y, n, sizeof *y, cmp);
            double out[SP_NPCT];
            sp_percentiles_inc(x, n, sp_pct_levels, SP_NPCT, out);
            for (int k = 0; k < SP_NPCT; k++) {
                double h = (double)(n - 1) * sp_pct_levels[k];
                size_t lo = (size_t)floor(h);
                double want = lo + 1 < n ? y[lo] + (h - lo) * (y[lo + 1] - y[lo])
                                         : y[lo];
                assert_close(out[k], want, 1e-12);
            }
            free(x);
            free(y);
        }
}

/* Large inputs take the bucketed path: heavy tails (a few values 1e9
 * times the rest), mixed signs with zeros of both signs, many ties inside
 * one bucket, and values a few ulps apart, each against a sorted copy. */
static void test_large_selection_matches_sorting(void **state)
{
    (void)state;
    unsigned s = 977;
    const size_t sizes[] = {1024, 20000, 100003};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int kind = 0; kind < 4; kind++) {
            size_t n = sizes[si];
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
            for (size_t i = 0; i < n; i++) {
                s = s * 1103515245u + 12345u;
                double u = (double)(s >> 8) / (1 << 24);
                switch (kind) {
                case 0:
                    x[i] = exp(8 * u) * (i % 1000 == 0 ? 1e9 : 1);
                    break;
                case 1:
                    x[i] = i % 7 == 0 ? (i % 2 ? -0.0 : 0.0) : 2000 * u - 1000;
                    break;
                case 2:
                    x[i] = 1e6 + (double)((s >> 16) % 3);
                    break;
                default:
                    x[i] = nextafter(1.0, 2.0) * (1 + (double)((s >> 16) % 50) * 0x1p-52);
                    break;
                }
            }
            memcpy(y, x, n * sizeof *x);
            qsort(y, n, sizeof *y, cmp);
            double out[SP_NPCT];
            sp_percentiles_inc(x, n, sp_pct_levels, SP_NPCT, out);
            for (int k = 0; k < SP_NPCT; k++) {
                double h = (double)(n - 1) * sp_pct_levels[k];
                size_t lo = (size_t)floor(h);
                double want = lo + 1 < n ? y[lo] + (h - lo) * (y[lo + 1] - y[lo])
                                         : y[lo];
                assert_true(out[k] == want);
            }
            free(x);
            free(y);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile_small),
        cmocka_unit_test(test_percentiles_many_at_once),
        cmocka_unit_test(test_single_value),
        cmocka_unit_test(test_nan_skipped),
        cmocka_unit_test(test_all_nan),
        cmocka_unit_test(test_selection_matches_sorting),
        cmocka_unit_test(test_large_selection_matches_sorting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
