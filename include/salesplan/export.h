/* Writing results to files: JSON (INTERFACE.md section 4), tidy CSV, and
 * the atomic file writing every writer (the workbook's too) goes through,
 * so a failure never leaves a half-written file in place of a good one.
 *
 * Errors name the path and the system's reason, with status SP_ERR_IO. */
#ifndef SALESPLAN_EXPORT_H
#define SALESPLAN_EXPORT_H

#include <stdio.h>
#include "salesplan/error.h"
#include "salesplan/file.h"
#include "salesplan/results.h"
#include "salesplan/export_xlsx.h"
#include "salesplan/stats.h"

/* One results object exactly as INTERFACE.md section 4, plus extensions:
 * "records" and "by_period" (the same fields per fiscal year) in each role
 * of "reps", and "interrupted": true for a stopped run.  Numbers print in
 * their shortest exact form; undefined ones are null.  Returns SP_ERR_IO
 * when writing failed. */
sp_status sp_write_json(FILE *f, const sp_results *r);

/* n == 1: the results object; n > 1: {"scenarios": [...], "differences":
 * [...]} with each scenario i >= 1 minus scenario 0, which needs the same
 * number of trials in every run (SP_ERR_USAGE otherwise).  path "-" writes
 * to standard output. */
sp_status sp_export_json(const char *path, const sp_results *const *rs,
                         int n, sp_error *err);

/* Writes further members of the exported top-level JSON object: each one
 * preceded by ",\n  " when *members > 0 (else "\n  "), counting them in
 * *members. */
typedef void (*sp_json_extra)(FILE *f, void *ctx, int *members);

/* sp_export_json plus the caller's members (sweep, tornado) in the same
 * object; with extra, n may be 0. */
sp_status sp_export_json_extra(const char *path, const sp_results *const *rs,
                               int n, sp_json_extra extra, void *ctx,
                               sp_error *err);

/* Tidy long form "scenario,metric,period,statistic,value"; see export.c
 * for the rows.  path "-" writes to standard output. */
sp_status sp_export_csv(const char *path, const sp_results *const *rs,
                        int n, sp_error *err);

/* Chooses the writer by the extension of path: .json, .csv (any case);
 * .xlsx and anything else are SP_ERR_USAGE. */
sp_status sp_export_file(const char *path, const sp_results *const *rs,
                         int n, sp_error *err);

#endif
