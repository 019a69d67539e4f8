/* `compare`: scenarios run on the same trials and seed, shown side by side
 * with the paired difference (b - a, trial by trial) of each scenario
 * against the first and its 95% interval. */
#ifndef SALESPLAN_COMPARE_H
#define SALESPLAN_COMPARE_H

#include "salesplan/lang.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"
#include "salesplan/session.h"

/* Runs scs[0..n-1] in one job of session s (NULL: none) on the first
 * scenario's trials and seed (trials > 0, seed >= 0 override them), so
 * that the runs pair trial by trial.  out[k] receives scs[k]'s results
 * (free each with sp_results_free and free); on failure every out[k] is
 * NULL. */
sp_status sp_compare_compute(sp_session *s, const sp_scenario *const *scs,
                             int n, double trials, double seed,
                             sp_results **out, sp_error *err);

/* Prints the side-by-side table and the paired differences of rs[1..n-1]
 * against rs[0] (which must have the same number of trials) and records
 * them as the session's compare. */
void sp_compare_report(sp_session *s, const sp_results *const *rs, int n);

/* Results of the scenarios of the last `compare`, in its order (the first
 * is the reference of the differences), as far as their entries still hold
 * results: at most max go into rs; returns how many. */
int sp_compare_results(const sp_session *s, const sp_results **rs, int max);

int sp_cmd_compare(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);

#endif
