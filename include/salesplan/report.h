/* Terminal reports of a run's results (INTERFACE.md section 2): the summary
 * panel, spreadsheet-style grids of one metric and the rep outcomes.
 *
 * width is the terminal width every line fits in (<= 0: no limit); color
 * asks for ANSI bold headers and must be 0 when output is not a terminal.
 * Money carries the scenario's currency sign; an undefined value prints as
 * an em dash. */
#ifndef SALESPLAN_REPORT_H
#define SALESPLAN_REPORT_H

#include <stdio.h>
#include "salesplan/results.h"

/* Grid granularities for sp_report_grid's `by`. */
enum { SP_BY_MONTH = 1, SP_BY_QUARTER = 3, SP_BY_YEAR = 12 };

/* Per fiscal year and for the whole horizon: bookings P10 / P50 / P90,
 * P(target) with the quarter line (P(target) of each fiscal quarter),
 * cost (with P90 and P(budget) when a budget is set), cost of sales,
 * contribution, year-end headcount by role, shares of reps at quota and at
 * OTE; then the payback month. */
void sp_report_summary(FILE *f, const sp_results *r, int width, int color);
/* The same with the rows of one role only (role -1: every role), and that
 * role's cost. */
void sp_report_summary_role(FILE *f, const sp_results *r, int role, int width,
                            int color);

/* `show summary by quarter [ROLE]`: per fiscal quarter, bookings P10 /
 * P50 / P90, the quarter's target and P(target), attainment, cost, cost
 * of sales, contribution and headcount. */
void sp_report_summary_quarters(FILE *f, const sp_results *r, int role,
                                int width, int color);

/* `show METRIC [by month|quarter|year] [ROLE]`: periods across, rows P10,
 * P50, P90 and mean; with role -1 and a metric kept per role, the P50 of
 * each role below.  By month adds a sparkline of the P50.  Quarters and
 * years are exact percentiles of per-trial period values.  Metrics kept
 * per period only (cos, attainment) are shown by quarter or by fiscal
 * year, by fiscal year when asked by month. */
void sp_report_grid(FILE *f, const sp_results *r, int metric, int role,
                    int by, int width, int color);

/* `show reps [ROLE]` (role -1: every role with records): per fiscal year
 * and in total, records, attainment P10 / P50 / P90 and mean, earnings
 * P10 / P50 / P90, share at quota and share at OTE. */
void sp_report_reps(FILE *f, const sp_results *r, int role, int width);

/* `show reps ROLE in A B ...`: one role's outcomes over the horizon of each
 * of n results side by side (roles[c]: the role's index in rs[c]). */
void sp_report_reps_side(FILE *f, const sp_results *const *rs,
                         const int *roles, int n, int width, int color);

#endif
