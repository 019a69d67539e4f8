/* Metric names and the release of a run's results. */
#include "salesplan/results.h"
#include "salesplan/lang.h"

#include <stdlib.h>
#include <string.h>

const double sp_pct_levels[SP_NPCT] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

/* Names exactly as MODEL.md section 6 spells them: they are what users type
 * after `show` and what JSON keys and workbook rows are built from. */
static const char *const names[SP_M_NPERIOD] = {
    "headcount", "hires", "departures", "open_reqs", "ramped", "bookings",
    "revenue", "quota", "base", "commission", "bonus", "pool", "award",
    "guarantee", "draw_topup", "draw_writeoff", "variable", "burden",
    "hiring_cost", "other_cost", "cost", "contribution", "cum_contribution",
    "cos", "attainment"
};

const char *sp_metric_name(int m)
{
    return m >= 0 && m < SP_M_NPERIOD ? names[m] : NULL;
}

int sp_metric_lookup(const char *name)
{
    if (!name)
        return -1;
    for (int m = 0; m < SP_M_NPERIOD; m++)
        if (strcmp(names[m], name) == 0)
            return m;
    return -1;
}

const char *sp_metric_suggest(const char *name)
{
    sp_nearest nr;
    sp_nearest_init(&nr, name, 2);
    for (int m = 0; m < SP_M_NPERIOD; m++)
        sp_nearest_try(&nr, names[m]);
    return nr.best;
}

int sp_metric_is_stock(int m)
{
    return m == SP_M_HEADCOUNT || m == SP_M_OPEN_REQS || m == SP_M_RAMPED ||
           m == SP_M_CUM_CONTRIBUTION;
}

int sp_metric_total_only(int m)
{
    return m == SP_M_CONTRIBUTION || m == SP_M_CUM_CONTRIBUTION;
}

void sp_results_free(sp_results *r)
{
    if (!r)
        return;
    sp_model_free(&r->model);
    free(r->present);
    free(r->monthly);
    free(r->periods);
    free(r->ppresent);
    free(r->pstats);
    free(r->ptrial);
    free(r->p_target);
    free(r->payback);
    for (size_t i = 0; r->reps && i < (size_t)r->nperiods * r->nroles; i++) {
        free(r->reps[i].attainment_hist.edges);
        free(r->reps[i].attainment_hist.share);
        free(r->reps[i].earnings_hist.edges);
        free(r->reps[i].earnings_hist.share);
    }
    free(r->reps);
    memset(r, 0, sizeof *r);
}
