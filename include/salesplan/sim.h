/* The Monte Carlo engine: trials x months x employees (MODEL.md). */
#ifndef SALESPLAN_SIM_H
#define SALESPLAN_SIM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "salesplan/error.h"
#include "salesplan/model.h"
#include "salesplan/results.h"

typedef struct {
    int trials;                  /* number of trials (>= 1) */
    unsigned long seed;
    int threads;                 /* 0 = all cores */
    /* Called now and then from the calling thread with trials done so far;
     * may be NULL. */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
    /* When not NULL and set non-zero (e.g. by a SIGINT handler), the run
     * stops soon and returns SP_ERR_RUN with "interrupted". */
    volatile sig_atomic_t *stop;
} sp_run_opts;

/* Run the model; on success *out holds the results (free with
 * sp_results_free). */
sp_status sp_simulate(const sp_model *m, const sp_run_opts *o,
                      sp_results *out, sp_error *err);

/* ---- Hooks for tests and debugging ---------------------------------- */

/* sp_simulate with another memory budget, in bytes, for the per-trial
 * monthly store (0: the default, 512 MiB).  Monthly values are kept in
 * double, which makes monthly percentiles exact, when the store fits the
 * budget, and in float beyond it; means, sd and se are exact either way.
 * A budget of 1 forces floats (tests). */
sp_status sp_simulate_budget(const sp_model *m, const sp_run_opts *o,
                             size_t store_budget, sp_results *out,
                             sp_error *err);

/* The market factors M_0 .. M_{horizon-1} of MODEL.md section 3 (log M an
 * AR(1) with sd sigma and lag-1 correlation rho, mean of M exactly 1),
 * drawn from r as it is positioned; the engine positions it on the trial's
 * SP_RNG_MARKET stream (role 0, ordinal 0).  sigma <= 0 gives all 1
 * without drawing. */
void sp_market_path(double sigma, double rho, int horizon, gsl_rng *r,
                    double *M);

/* One employee (or requisition) of one trial as the engine saw it. */
typedef struct {
    int role;
    uint64_t key;        /* stream ordinal: the employee's stable identity */
    long id;             /* creation order within the role (award ties) */
    int initial;         /* present at t = 0 */
    int start;           /* month index of start (<= 0 for initial staff:
                            -tenure); >= horizon when it never started */
    int left;            /* month index of departure, -1 none */
    double skill;        /* attainment drawn; with `capacity`, C / Q1 */
    double bookings[SP_MAX_HORIZON]; /* per month, 0 when not active */
} sp_emp_trace;

/* Run trial `trial` of m with `seed` exactly as sp_simulate does and
 * describe its employees, in order of creation, in out[0 .. cap-1].
 * Returns how many employees and requisitions the trial created (may
 * exceed cap), or -1 when memory ran out. */
long sp_simulate_trace(const sp_model *m, unsigned long seed, long trial,
                       sp_emp_trace *out, long cap);

/* SP_OK when `trials` trials of m fit in the machine's physical memory
 * (what sp_simulate checks before it allocates); else SP_ERR_RANGE with
 * the estimate and a trial count that fits. */
sp_status sp_simulate_fits(const sp_model *m, long trials, sp_error *err);

#endif
