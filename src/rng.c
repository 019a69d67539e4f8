/* Keyed random streams (MODEL.md section 8) as a GSL generator type.
 *
 * A stream is a 64-bit key; draw number c of the stream is a pure function
 * of (key, c).  Nothing is carried from one stream to the next, so putting
 * the generator on a stream is three stores and one mix, and what one
 * employee draws never depends on what another drew before.
 *
 * Draw c is mix((k1 + (c + 1) G) ^ k2), with mix the SplitMix64
 * finaliser and G the golden-ratio increment.  Without k2 this is
 * SplitMix64 seeded with k1, and two streams whose keys happen to differ by
 * a small multiple of G would run through the same values shifted by a few
 * positions.  XORing in a second key k2 = k1 * M (M odd, so two streams
 * never share k2) before the finaliser feeds such neighbours different
 * inputs, so their outputs are unrelated, at the cost of one multiply per
 * re-positioning and one XOR per draw rather than a second mix. */
#include "salesplan/rng.h"

#include <stdlib.h>
#include <string.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL
#define K2_MULT 0x6a09e667f3bcc909ULL  /* odd: k1 -> k2 is a bijection */

typedef struct {
    uint64_t k1, k2;   /* stream key and its companion */
    uint64_t ctr;      /* draws taken so far */
} keyed_state;

static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void put_stream(keyed_state *s, uint64_t stream, uint64_t pos)
{
    s->k1 = stream;
    s->k2 = stream * K2_MULT;
    s->ctr = pos;
}

static inline uint64_t next64(keyed_state *s)
{
    s->ctr++;
    return mix64((s->k1 + s->ctr * GOLDEN) ^ s->k2);
}

/* gsl_rng_set / gsl_rng_alloc seed a plain stream; the engine never relies
 * on this and always positions the generator with sp_rng_set. */
static void keyed_set(void *vstate, unsigned long seed)
{
    put_stream(vstate, mix64((uint64_t)seed + GOLDEN), 0);
}

/* The upper half of the mixed word: GSL's integer interface expects a
 * fixed range, and 32 bits is what gsl_rng_uniform_int and the ziggurat
 * sampler are written for. */
static unsigned long keyed_get(void *vstate)
{
    return (unsigned long)(next64(vstate) >> 32);
}

/* 53 random bits, so every double in [0, 1) on the 2^-53 grid is
 * reachable and 1 never is. */
static double keyed_get_double(void *vstate)
{
    return (double)(next64(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type keyed_type = {
    "splitmix64-keyed", 0xffffffffUL, 0, sizeof(keyed_state),
    &keyed_set, &keyed_get, &keyed_get_double
};

/* What gsl_rng_alloc does, except that the generator and its state each
 * get cache lines of their own: the engine gives every thread a generator,
 * and two threads' states sharing a line (small allocations made one after
 * the other are neighbours) would bounce it between cores on every draw.
 * gsl_rng_free releases both with free(), which takes aligned_alloc's
 * memory too. */
gsl_rng *sp_rng_alloc(void)
{
    enum { LINE = 64 };
    size_t rs = (sizeof(gsl_rng) + LINE - 1) / LINE * LINE;
    size_t ss = (sizeof(keyed_state) + LINE - 1) / LINE * LINE;
    gsl_rng *r = aligned_alloc(LINE, rs);
    void *st = aligned_alloc(LINE, ss);
    if (!r || !st) {
        free(r);
        free(st);
        return NULL;
    }
    memset(st, 0, ss);
    r->type = &keyed_type;
    r->state = st;
    keyed_set(st, gsl_rng_default_seed);
    return r;
}

void sp_rng_free(gsl_rng *r)
{
    gsl_rng_free(r);
}

/* Each field goes through its own salted mix before it is folded in, so
 * (trial 1, ordinal 2) and (trial 2, ordinal 1) land far apart; role and
 * purpose share a word because both are 32 bits. */
uint64_t sp_rng_stream_base(uint64_t seed, uint64_t trial, uint32_t role,
                            uint32_t purpose)
{
    uint64_t h = mix64(seed + 0x243f6a8885a308d3ULL);
    h = mix64(h ^ mix64(trial + 0x13198a2e03707344ULL));
    return mix64(h ^ mix64((((uint64_t)role << 32) | purpose) +
                           0xa4093822299f31d0ULL));
}

uint64_t sp_rng_stream_at(uint64_t base, uint64_t ordinal)
{
    return mix64(base ^ mix64(ordinal + 0x082efa98ec4e6c89ULL));
}

uint64_t sp_rng_stream(uint64_t seed, uint64_t trial, uint32_t role,
                       uint64_t ordinal, uint32_t purpose)
{
    return sp_rng_stream_at(sp_rng_stream_base(seed, trial, role, purpose),
                            ordinal);
}

void sp_rng_set(gsl_rng *r, uint64_t stream, uint64_t pos)
{
    put_stream(r->state, stream, pos);
}

uint64_t sp_rng_pos(const gsl_rng *r)
{
    return ((const keyed_state *)r->state)->ctr;
}

void sp_rng_key(gsl_rng *r, uint64_t seed, uint64_t trial, uint32_t role,
                uint64_t ordinal, uint32_t purpose)
{
    put_stream(r->state, sp_rng_stream(seed, trial, role, ordinal, purpose),
               0);
}

const char *sp_rng_name(void)
{
    return keyed_type.name;
}
