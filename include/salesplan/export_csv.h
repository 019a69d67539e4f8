/* The tidy CSV writer: every figure of every run as one row of
 * "scenario,metric,period,statistic,value", then the paired differences
 * and the session's findings; and a companion file of each trial's period
 * totals. */
#ifndef SALESPLAN_EXPORT_CSV_H
#define SALESPLAN_EXPORT_CSV_H

#include <stddef.h>

#include "salesplan/error.h"
#include "salesplan/findings.h"
#include "salesplan/results.h"

/* The rows of rs[0..n-1] (export_csv.c lists them) with the statements
 * since each run (changed, which may be NULL, as in sp_export_json), then
 * each run's paired differences against rs[0] when their trials agree,
 * then every sweep, tornado and goal seek of f (which may be NULL).  With
 * runs, the companion sp_csv_trials_path(path) gets each trial's period
 * totals.  Nothing to write is SP_ERR_USAGE; path "-" writes the main
 * document to standard output and no companion. */
sp_status sp_export_csv(const char *path, const sp_results *const *rs,
                        const char *const *changed, int n,
                        const sp_findings *f, sp_error *err);

/* "plan.csv" -> "plan-trials.csv" (any other name gets "-trials.csv"). */
void sp_csv_trials_path(const char *path, char *out, size_t size);

#endif
