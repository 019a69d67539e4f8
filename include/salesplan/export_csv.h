/* The tidy CSV writer: every figure of every run as one row of
 * "scenario,metric,period,statistic,value", then the paired differences. */
#ifndef SALESPLAN_EXPORT_CSV_H
#define SALESPLAN_EXPORT_CSV_H

#include "salesplan/error.h"
#include "salesplan/results.h"

/* The rows of rs[0..n-1] (export_csv.c lists them), then each run's paired
 * differences against rs[0] when their trials agree.  n == 0 is
 * SP_ERR_USAGE; path "-" writes to standard output. */
sp_status sp_export_csv(const char *path, const sp_results *const *rs,
                        int n, sp_error *err);

#endif
