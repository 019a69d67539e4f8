/* The workbook writer (INTERFACE.md section 5): a Summary sheet with one
 * column per scenario, one sheet per scenario (assumptions, a monthly grid
 * with yearly formulas, charts), a Reps sheet, and Compare, Sweep and
 * Tornado sheets when those analyses apply, written through libxlsxwriter
 * from results, their scenarios and findings alone.
 *
 * The file is written to a temporary name beside path and renamed into
 * place only when libxlsxwriter reports success, so a failed export leaves
 * any previous workbook exactly as it was. */
#ifndef SALESPLAN_EXPORT_XLSX_H
#define SALESPLAN_EXPORT_XLSX_H

#include "salesplan/error.h"
#include "salesplan/findings.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"


/* Writes one workbook of the n runs rs[0..n-1].  scs[i] is the scenario
 * rs[i] was run from, for its assumptions; scs itself or any scs[i] may be
 * NULL, and that sheet then says the assumptions are not available rather
 * than showing values that were not run.  changed (NULL, or NULL entries:
 * unchanged) lists the statements since each run, one a line: the
 * Summary and the scenario's sheet then mark its results as from before
 * them.  Differences on the Summary are each scenario minus rs[0]; with
 * n >= 2 runs that all have rs[0]'s number of trials, a Compare sheet
 * gives the paired differences (sp_paired_diff) against it.
 *
 * an (findings.h) may be NULL; otherwise every sweep and tornado gets a
 * sheet of its own and the goal seeks one together, and n may be 0 when
 * it holds any (the workbook then has only those sheets).
 *
 * The document's creation time is SOURCE_DATE_EPOCH (seconds since
 * 1970, from the environment) when that is set to a whole number, so the
 * same results give the same bytes; otherwise the current time.
 *
 * Returns SP_OK, SP_ERR_USAGE (nothing to write), SP_ERR_NOMEM, or
 * SP_ERR_IO with a message naming path and the reason (the system's or
 * libxlsxwriter's). */
sp_status sp_export_xlsx(const char *path, const sp_scenario *const *scs,
                         const sp_results *const *rs,
                         const char *const *changed, int n,
                         const sp_findings *an, sp_error *err);

/* 1 when path ends in ".xlsx" (any case): the workbook writer's files. */
int sp_xlsx_path(const char *path);

/* Writes into out (size >= 128 bytes) a worksheet name made from name:
 * characters Excel forbids ([ ] : * ? / \) become '_', leading and
 * trailing apostrophes are dropped, and the result is cut to 31
 * characters without splitting a UTF-8 sequence.  An empty result becomes
 * "Scenario".  Uniqueness is the caller's concern. */
void sp_xlsx_sheet_name(const char *name, char *out, size_t size);

#endif
