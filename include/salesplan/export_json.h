/* The JSON writer (INTERFACE.md section 4): one run's results object, or
 * the scenarios and their paired differences, with the findings (every
 * sweep, tornado and goal seek) as further members of the same document. */
#ifndef SALESPLAN_EXPORT_JSON_H
#define SALESPLAN_EXPORT_JSON_H

#include <stdio.h>
#include "salesplan/error.h"
#include "salesplan/findings.h"
#include "salesplan/results.h"

/* One results object exactly as INTERFACE.md section 4, plus extensions:
 * "records" and "by_period" (the same fields per fiscal year) in each role
 * of "reps", and "interrupted": true for a stopped run.  Numbers print in
 * their shortest exact form; undefined ones are null.  Returns SP_ERR_IO
 * when writing failed. */
sp_status sp_write_json(FILE *f, const sp_results *r);

/* n == 1: the results object; n > 1: {"scenarios": [...], "differences":
 * [...]} with each scenario i >= 1 minus scenario 0, which needs the same
 * number of trials in every run (SP_ERR_USAGE otherwise).  changed (NULL,
 * or NULL entries: unchanged) holds the statements since each run, one a
 * line, written as the run's "changed_since" array.  f (which may be
 * NULL) adds "sweeps", "tornados" and "goalseeks", every one of the
 * session in order, and "sweep" / "tornado", the last of each; n may then
 * be 0, otherwise n == 0 is SP_ERR_USAGE.  path "-" writes to standard
 * output. */
sp_status sp_export_json(const char *path, const sp_results *const *rs,
                         const char *const *changed, int n,
                         const sp_findings *f, sp_error *err);

#endif
