/* Writing results to a file, the writer chosen by the file's extension:
 * JSON (export_json.h), tidy CSV (export_csv.h) or the workbook
 * (export_xlsx.h).  The writers read results and findings, never the
 * session; every file goes through file.h's atomic replacement, so a
 * failure never leaves a half-written file in place of a good one. */
#ifndef SALESPLAN_EXPORT_H
#define SALESPLAN_EXPORT_H

#include "salesplan/error.h"
#include "salesplan/export_csv.h"
#include "salesplan/export_json.h"
#include "salesplan/export_xlsx.h"
#include "salesplan/findings.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"

/* By the extension of path, in any case: .xlsx (sp_export_xlsx), .json
 * (sp_export_json) or .csv (sp_export_csv, with its companion of trials);
 * anything else is SP_ERR_USAGE naming the types there are.  scs[i] is the
 * scenario rs[i] ran, changed[i] the statements since that run (NULL: none);
 * either array may be NULL. */
sp_status sp_export_file(const char *path, const sp_scenario *const *scs,
                         const sp_results *const *rs,
                         const char *const *changed, int n,
                         const sp_findings *f, sp_error *err);

/* 1 when path has something to write without any run: a sweep, tornado
 * or goal seek in f (which may be NULL). */
int sp_export_has_findings(const char *path, const sp_findings *f);
/* Whether path names a format export writes (.json, .csv, .xlsx); 0 with
 * err set (SP_ERR_USAGE) when not. */
int sp_export_known(const char *path, sp_error *err);

#endif
