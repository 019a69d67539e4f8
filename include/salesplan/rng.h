/* Keyed random streams for common random numbers (MODEL.md section 8).
 *
 * A stream is identified by (seed, trial, role, employee ordinal, purpose);
 * its draws do not depend on any other stream's use, so adding an employee
 * or changing pay leaves every other draw unchanged. */
#ifndef SALESPLAN_RNG_H
#define SALESPLAN_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Purposes of draws. */
typedef enum {
    SP_RNG_MARKET = 1,   /* market factor of the trial (role, employee 0) */
    SP_RNG_TENURE,       /* initial tenure of an employee */
    SP_RNG_SKILL,        /* skill s of an employee */
    SP_RNG_BOOKINGS,     /* monthly noise / deal counts and sizes */
    SP_RNG_ATTRITION,    /* monthly leaving draws of an employee */
    SP_RNG_FILL          /* time to fill of a requisition */
} sp_rng_purpose;

/* A GSL generator whose state can be re-keyed cheaply.  Allocate once per
 * thread, re-key for each stream. */
gsl_rng *sp_rng_alloc(void);
void sp_rng_free(gsl_rng *r);
void sp_rng_key(gsl_rng *r, uint64_t seed, uint64_t trial, uint32_t role,
                uint64_t ordinal, uint32_t purpose);
/* The 64-bit identity of the stream (seed, trial, role, ordinal, purpose):
 * sp_rng_key(r, ...) is sp_rng_set(r, sp_rng_stream(...), 0).  Engines
 * that revisit a stream compute this once and re-position with
 * sp_rng_set. */
uint64_t sp_rng_stream(uint64_t seed, uint64_t trial, uint32_t role,
                       uint64_t ordinal, uint32_t purpose);
/* sp_rng_stream in two steps, for engines that open many streams of one
 * (seed, trial, role, purpose): sp_rng_stream(seed, trial, role, ordinal,
 * purpose) == sp_rng_stream_at(sp_rng_stream_base(seed, trial, role,
 * purpose), ordinal), and the second step is a fraction of the cost. */
uint64_t sp_rng_stream_base(uint64_t seed, uint64_t trial, uint32_t role,
                            uint32_t purpose);
uint64_t sp_rng_stream_at(uint64_t base, uint64_t ordinal);
/* Put r on stream `stream` at draw number pos (0 = its first draw). */
void sp_rng_set(gsl_rng *r, uint64_t stream, uint64_t pos);
/* Number of raw draws taken from the current stream so far. */
uint64_t sp_rng_pos(const gsl_rng *r);
/* Name of the generator, for reports. */
const char *sp_rng_name(void);

#endif
