/* Keyed streams: reproducible, independent of use order, uniform. */
#include "testutil.h"

#include <gsl/gsl_randist.h>

#include "salesplan/rng.h"

static void test_same_key_same_sequence(void **state)
{
    (void)state;
    gsl_rng *a = sp_rng_alloc(), *b = sp_rng_alloc();
    sp_rng_key(a, 2385, 17, 3, 42, SP_RNG_BOOKINGS);
    sp_rng_key(b, 2385, 17, 3, 42, SP_RNG_BOOKINGS);
    for (int i = 0; i < 200; i++)
        assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
    assert_int_equal(sp_rng_pos(a), 200);
    sp_rng_free(a);
    sp_rng_free(b);
}

/* The two-step form names the same stream as the one-step form. */
static void test_stream_in_two_steps(void **state)
{
    (void)state;
    for (uint64_t k = 0; k < 50; k++) {
        uint64_t seed = k * 977, trial = k * k, ord = (1ULL << 60) | k;
        uint32_t role = (uint32_t)(k * 2654435761u);
        uint32_t purpose = (uint32_t)(1 + k % 6);
        uint64_t base = sp_rng_stream_base(seed, trial, role, purpose);
        assert_true(sp_rng_stream_at(base, ord) ==
                    sp_rng_stream(seed, trial, role, ord, purpose));
    }
}

static void first_draws(uint64_t seed, uint64_t trial, uint32_t role,
                        uint64_t ord, uint32_t purpose, unsigned long *out)
{
    gsl_rng *r = sp_rng_alloc();
    sp_rng_key(r, seed, trial, role, ord, purpose);
    for (int i = 0; i < 4; i++)
        out[i] = gsl_rng_get(r);
    sp_rng_free(r);
}

static void test_fields_change_stream(void **state)
{
    (void)state;
    unsigned long ref[4], v[6][4];
    first_draws(7, 11, 2, 5, SP_RNG_SKILL, ref);
    first_draws(8, 11, 2, 5, SP_RNG_SKILL, v[0]);
    first_draws(7, 12, 2, 5, SP_RNG_SKILL, v[1]);
    first_draws(7, 11, 3, 5, SP_RNG_SKILL, v[2]);
    first_draws(7, 11, 2, 6, SP_RNG_SKILL, v[3]);
    first_draws(7, 11, 2, 5, SP_RNG_ATTRITION, v[4]);
    /* Swapping trial and ordinal must not collide either. */
    first_draws(7, 5, 2, 11, SP_RNG_SKILL, v[5]);
    for (int k = 0; k < 6; k++)
        assert_true(memcmp(ref, v[k], sizeof ref) != 0);
}

/* Re-keying forgets everything: a stream reads the same whatever the
 * generator did before, and sp_rng_set resumes a stream mid-way. */
static void test_rekey_independent_of_history(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    double first[5], again[5];
    sp_rng_key(r, 1, 2, 3, 4, SP_RNG_FILL);
    for (int i = 0; i < 5; i++)
        first[i] = gsl_rng_uniform(r);
    sp_rng_key(r, 9, 9, 9, 9, SP_RNG_MARKET);
    for (int i = 0; i < 137; i++)
        gsl_ran_gaussian(r, 1);
    sp_rng_key(r, 1, 2, 3, 4, SP_RNG_FILL);
    for (int i = 0; i < 5; i++)
        again[i] = gsl_rng_uniform(r);
    assert_memory_equal(first, again, sizeof first);

    uint64_t s = sp_rng_stream(1, 2, 3, 4, SP_RNG_FILL);
    sp_rng_set(r, s, 2);
    assert_true(gsl_rng_uniform(r) == first[2]);
    assert_true(gsl_rng_uniform(r) == first[3]);
    sp_rng_free(r);
}

static void test_range_and_name(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    assert_string_equal(sp_rng_name(), "splitmix64-keyed");
    assert_string_equal(gsl_rng_name(r), "splitmix64-keyed");
    assert_int_equal(gsl_rng_max(r), 0xffffffffUL);
    assert_int_equal(gsl_rng_min(r), 0);
    sp_rng_key(r, 3, 0, 0, 0, SP_RNG_SKILL);
    unsigned long hi = 0;
    for (int i = 0; i < 100000; i++) {
        double u = gsl_rng_uniform(r);
        assert_true(u >= 0 && u < 1);
        unsigned long g = gsl_rng_get(r);
        if (g > hi)
            hi = g;
    }
    /* With 1e5 draws the largest 32-bit value exceeds 2^32 (1 - 1e-3)
     * unless the top bits are stuck: P(fail) = (1 - 1e-3)^1e5 ~ e^-100. */
    assert_true(hi > 0xffffffffUL - 0xffffffffUL / 1000);
    sp_rng_free(r);
}

/* ---- known answers -------------------------------------------------- */

/* The expected values below are printed by tests/rng_reference.py, an
 * implementation of the generator from its definition; they are not read
 * back from this program.  A change to the streams (keys, mixing, the
 * draw-to-number conversions) fails here, so it can only be made on
 * purpose: change the script, re-derive, and update these constants. */

/* On stream 0 (k1 = k2 = 0) the generator is SplitMix64 seeded with 0,
 * whose first output is published: 0xe220a8397b1dcdaf.  Its uniform, the
 * upper 53 bits times 2^-53, by hand: the top bit is set, so the value is
 * in [1/2, 1) and its mantissa is the next 52 bits, the 13 hex digits
 * after the leading 1 of 2x = 0x1c4415072f63b9b5e, giving
 * 0x1.c4415072f63b9p-1 (0.88331080821364261). */
static void test_known_stream_zero(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    sp_rng_set(r, 0, 0);
    assert_true(gsl_rng_uniform(r) == 0x1.c4415072f63b9p-1);
    assert_int_equal(gsl_rng_get(r), 0x6e789e6aUL);     /* 0x6e789e6aa1b965f4 */
    assert_int_equal(gsl_rng_get(r), 0x06c45d18UL);     /* 0x06c45d188009454f */
    assert_int_equal(sp_rng_pos(r), 3);
    sp_rng_free(r);
}

typedef struct {
    uint64_t seed, trial;
    uint32_t role;
    uint64_t ordinal;
    uint32_t purpose;
    uint64_t base, key;
    unsigned long get[4];
    double uniform[4];
} kat;

static const kat kats[] = {
    {2385, 17, 3, 42, SP_RNG_BOOKINGS,
     0x5e6eb1f1e413a8ceULL, 0x666dffb00d54b6a3ULL,
     {0x8c29f683UL, 0x7eae0dc2UL, 0xce2c7732UL, 0xd99cc802UL},
     {0x1.1853ed073611ep-1, 0x1.fab8370b1676ap-2, 0x1.9c58ee65a14aep-1,
      0x1.b3399005e8f5fp-1}},
    /* Every field wide: a seed and a role hash with the top bit set, and a
     * planned hire's ordinal (KEY_PLANNED | month 7 << 32 | index 2). */
    {0x9e3779b97f4a7c15ULL, 99991, 0xdeadbeefu,
     (1ULL << 60) | (7ULL << 32) | 2, SP_RNG_FILL,
     0x208c2f87b8e9f4c6ULL, 0xe50604f6a903ac61ULL,
     {0x3de59aefUL, 0x7089b965UL, 0xa8918e81UL, 0x5d63479bUL},
     {0x1.ef2cd77966264p-3, 0x1.c226e596f8a1ep-2, 0x1.51231d0321ddep-1,
      0x1.758d1e6f20980p-2}},
};

static void test_known_streams(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
        const kat *k = &kats[i];
        assert_true(sp_rng_stream_base(k->seed, k->trial, k->role,
                                       k->purpose) == k->base);
        assert_true(sp_rng_stream(k->seed, k->trial, k->role, k->ordinal,
                                  k->purpose) == k->key);
        sp_rng_key(r, k->seed, k->trial, k->role, k->ordinal, k->purpose);
        for (int j = 0; j < 4; j++)
            assert_int_equal(gsl_rng_get(r), k->get[j]);
        /* The same draws through the double interface. */
        sp_rng_set(r, k->key, 0);
        for (int j = 0; j < 4; j++)
            assert_true(gsl_rng_uniform(r) == k->uniform[j]);
        /* Resuming at position 2 gives the third draw. */
        sp_rng_set(r, k->key, 2);
        assert_int_equal(gsl_rng_get(r), k->get[2]);
    }
    sp_rng_free(r);
}

/* GSL's own seeding puts the generator on stream mix(seed + G). */
static void test_known_gsl_seed(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    gsl_rng_set(r, 2385);
    assert_int_equal(gsl_rng_get(r), 0xa97e3ee3UL);
    assert_int_equal(gsl_rng_get(r), 0xefb90f61UL);
    assert_int_equal(gsl_rng_get(r), 0xf0957925UL);
    sp_rng_free(r);
}

/* U(0,1): mean 1/2 with sd sqrt(1/12); (U - 1/2)^2 has mean 1/12 and
 * variance E(U-1/2)^4 - 1/144 = 1/80 - 1/144 = 1/180. */
static void test_uniform_moments(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    const int n = 200000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        /* A fresh stream every 10 draws exercises keying as the engine
         * does (many short streams). */
        if (i % 10 == 0)
            sp_rng_key(r, 5, (uint64_t)i, 1, (uint64_t)i / 7, SP_RNG_BOOKINGS);
        double u = gsl_rng_uniform(r);
        s += u;
        s2 += (u - 0.5) * (u - 0.5);
    }
    assert_true(fabs(s / n - 0.5) < 5 * sqrt(1.0 / 12 / n));
    assert_true(fabs(s2 / n - 1.0 / 12) < 5 * sqrt(1.0 / 180 / n));
    sp_rng_free(r);
}

/* Neighbouring keys give unrelated first words: the xor of the first draw
 * of ordinals k and k+1 has on average 32 of 64 bits set (binomial, sd 4),
 * so over 2000 pairs the mean is 32 within 5 * 4 / sqrt(2000) = 0.45. */
static void test_key_avalanche(void **state)
{
    (void)state;
    const int n = 2000;
    double bits = 0;
    for (int k = 0; k < n; k++) {
        uint64_t a = sp_rng_stream(1, 0, 0, (uint64_t)k, SP_RNG_SKILL);
        uint64_t b = sp_rng_stream(1, 0, 0, (uint64_t)k + 1, SP_RNG_SKILL);
        uint64_t x = a ^ b;
        int c = 0;
        while (x) {
            c += (int)(x & 1);
            x >>= 1;
        }
        bits += c;
    }
    assert_true(fabs(bits / n - 32) < 5 * 4 / sqrt(n));
}

/* GSL's samplers run on the generator: N(0,1) via the ziggurat (which
 * uses the integer interface) has mean 0 and variance 1; the variance of
 * the sample variance is 2/n for a normal. */
static void test_gsl_gaussian(void **state)
{
    (void)state;
    gsl_rng *r = sp_rng_alloc();
    sp_rng_key(r, 11, 0, 0, 0, SP_RNG_MARKET);
    const int n = 100000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double z = gsl_ran_gaussian_ziggurat(r, 1);
        s += z;
        s2 += z * z;
    }
    assert_true(fabs(s / n) < 5 / sqrt(n));
    assert_true(fabs(s2 / n - 1) < 5 * sqrt(2.0 / n));
    sp_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_key_same_sequence),
        cmocka_unit_test(test_fields_change_stream),
        cmocka_unit_test(test_stream_in_two_steps),
        cmocka_unit_test(test_rekey_independent_of_history),
        cmocka_unit_test(test_range_and_name),
        cmocka_unit_test(test_known_stream_zero),
        cmocka_unit_test(test_known_streams),
        cmocka_unit_test(test_known_gsl_seed),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_key_avalanche),
        cmocka_unit_test(test_gsl_gaussian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
