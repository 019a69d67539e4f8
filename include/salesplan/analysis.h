/* Decisions, not noise: compare, sweep, tornado, goal seek and runs to a
 * stated precision (INTERFACE.md sections 2 and 4).
 *
 * Every evaluation simulates a copy of a scenario with the same trials and
 * seed.  Results are a pure function of (scenario, trials, seed) and draws
 * are keyed by (seed, trial, role, employee, purpose), so the difference
 * between two evaluations is caused by the change made, trial by trial,
 * and an objective such as "P50 of cost of sales as a function of a rate"
 * is a deterministic function that a root finder can work on.
 *
 * Ownership: the session owns its findings (findings.h). */
#ifndef SALESPLAN_ANALYSIS_H
#define SALESPLAN_ANALYSIS_H

#include "salesplan/commands.h"
#include "salesplan/findings.h"
#include "salesplan/lang.h"
#include "salesplan/results.h"

/* The last sweep / tornado of the session, NULL when none was run. */
const sp_sweep *sp_analysis_sweep(const sp_session *s);
const sp_tornado *sp_analysis_tornado(const sp_session *s);
/* Results of the scenarios of the last `compare`, in its order (the first
 * is the reference of the differences), as far as their entries still hold
 * results: at most max go into rs; returns how many. */
int sp_analysis_compare(const sp_session *s, const sp_results **rs, int max);

/* The order in which `export` writes the session's entries with results:
 * the compared scenarios first, in compare order (the first is the
 * reference of the differences), then every other one.  Fills idx with
 * entry indexes and returns how many (<= max). */
int sp_analysis_export_order(const sp_session *s, int *idx, int max);

/* Whether `export path` has something to write without any run: a .json
 * or .xlsx path and a sweep or tornado in the session. */
int sp_analysis_exports(const sp_session *s, const char *path);

/* The JSON document of rs (sp_export_json's) with "sweep" and "tornado"
 * members added when the session has them (n may then be 0); path "-" is
 * standard output. */
sp_status sp_analysis_export_json(const sp_session *s, const char *path,
                                  const sp_results *const *rs, int n,
                                  sp_error *err);

/* sp_export_file, with .json going through sp_analysis_export_json. */
sp_status sp_analysis_export_file(const sp_session *s, const char *path,
                                  const sp_results *const *rs, int n,
                                  sp_error *err);

/* `salesplan compare`: prints the side-by-side table and the paired
 * differences of rs[1..n-1] against rs[0] (which must have the same number
 * of trials) and records them as the session's compare. */
void sp_analysis_compare_report(sp_session *s, const sp_results *const *rs,
                                int n);

/* Command handlers (commands.h contract). */
int sp_cmd_compare(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);
int sp_cmd_sweep(sp_session *s, const sp_tokens *t, const char *file,
                 sp_error *err);
int sp_cmd_tornado(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);
int sp_cmd_goalseek(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err);
/* `run until se(METRIC) < X | rse(METRIC) < X% [trials MAX] [seed S]`. */
int sp_cmd_run_until(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err);

#endif
