/* The metric table, the period helpers, and the release of a run's
 * results. */
#include "salesplan/results.h"
#include "salesplan/lang.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double sp_pct_levels[SP_NPCT] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

/* The one table of metrics.  Names exactly as MODEL.md section 6 spells
 * them: they are what users type after `show` and what JSON keys and
 * workbook rows are built from.  Every writer (terminal, JSON, CSV, the
 * workbook) takes labels, units and the stock/flow rule from here, so a new
 * metric is one row (and one enum value in results.h). */
#define MONEY SP_MK_MONEY
#define COUNT SP_MK_COUNT
#define RATIO SP_MK_RATIO
static const sp_metric_info table[SP_M_NPERIOD] = {
    [SP_M_HEADCOUNT] = {"headcount", "Headcount", COUNT, 1, 0,
        "people active during the month"},
    [SP_M_HIRES] = {"hires", "Hires", COUNT, 0, 0,
        "people who started (requisitions filled)"},
    [SP_M_DEPARTURES] = {"departures", "Departures", COUNT, 0, 0,
        "people who left at the end of the month"},
    [SP_M_OPEN_REQS] = {"open_reqs", "Open requisitions", COUNT, 1, 0,
        "requisitions opened and not yet started at month end"},
    [SP_M_RAMPED] = {"ramped", "Ramped reps (equivalents)", COUNT, 1, 0,
        "sum of ramp factors of active quota staff: fully productive "
        "equivalents"},
    [SP_M_BOOKINGS] = {"bookings", "Bookings", MONEY, 0, 0,
        "sales booked"},
    [SP_M_REVENUE] = {"revenue", "Revenue", MONEY, 0, 0,
        "revenue recognised (bookings, or ratable over a term)"},
    [SP_M_QUOTA] = {"quota", "Quota", MONEY, 0, 0,
        "monthly quota of active quota staff"},
    [SP_M_CAPACITY] = {"capacity", "Capacity", MONEY, 0, 0,
        "what active quota staff could book in an average market, fully "
        "supported: capacity / 12 x season x ramp"},
    [SP_M_BASE] = {"base", "Base pay", MONEY, 0, 0, "base salaries paid"},
    [SP_M_COMMISSION] = {"commission", "Commission", MONEY, 0, 0,
        "commission paid at settlement"},
    [SP_M_BONUS] = {"bonus", "Bonus", MONEY, 0, 0,
        "performance bonus (floating pay) paid"},
    [SP_M_POOL] = {"pool", "Pool", MONEY, 0, 0,
        "shared commission pools and overrides paid"},
    [SP_M_AWARD] = {"award", "Awards", MONEY, 0, 0,
        "leaderboard prizes paid"},
    [SP_M_GUARANTEE] = {"guarantee", "Guarantee", MONEY, 0, 0,
        "guaranteed pay to new hires instead of commission"},
    [SP_M_DRAW_TOPUP] = {"draw_topup", "Draw top-up", MONEY, 0, 0,
        "draw paid above earnings, net of recovery"},
    [SP_M_DRAW_WRITEOFF] = {"draw_writeoff", "Draw write-off", MONEY, 0, 0,
        "recoverable draw debt written off when its holder left"},
    [SP_M_VARIABLE] = {"variable", "Variable pay", MONEY, 0, 0,
        "commission + bonus + pool + award + guarantee + draw top-up"},
    [SP_M_BURDEN] = {"burden", "Burden", MONEY, 0, 0,
        "benefits and employer taxes on pay"},
    [SP_M_HIRING_COST] = {"hiring_cost", "Hiring cost", MONEY, 0, 0,
        "recruiting and training cost of hires"},
    [SP_M_OTHER_COST] = {"other_cost", "Other cost", MONEY, 0, 0,
        "monthly cost per person (tools, travel)"},
    [SP_M_COST] = {"cost", "Cost", MONEY, 0, 0,
        "base + variable + burden + hiring cost + other cost"},
    [SP_M_CONTRIBUTION] = {"contribution", "Contribution", MONEY, 0, 1,
        "revenue x gross margin - cost"},
    [SP_M_CUM_CONTRIBUTION] = {"cum_contribution",
        "Cumulative contribution", MONEY, 1, 1,
        "contribution summed from the first month"},
    [SP_M_SUPPORT_FACTOR] = {"support_factor", "Support factor", RATIO, 2, 0,
        "share of its capacity a served role can book given its support's "
        "coverage: product of 1 - share + share x coverage"},
    [SP_M_PLAN_MET] = {"plan_met", "At or above plan", RATIO, 2, 0,
        "share of trials whose headcount is at or above the headcount plan "
        "(months without a plan count as met)"},
    [SP_M_OPENING_REVENUE] = {"opening_revenue", "Opening revenue", MONEY,
        0, 1, "revenue of the contracts in force at the start and their "
        "renewals (part of revenue)", 1},
    [SP_M_COS] = {"cos", "Cost of sales", RATIO, 0, 0,
        "cost / bookings of the period"},
    [SP_M_ATTAINMENT] = {"attainment", "Attainment", RATIO, 0, 0,
        "bookings / quota of the period"},
    [SP_M_COVERAGE] = {"coverage", "Quota coverage", RATIO, 0, 1,
        "quota assigned / target of the fiscal year (over-assignment)"},
    [SP_M_CAPACITY_COVERAGE] = {"capacity_coverage",
        "Capacity coverage", RATIO, 0, 1,
        "capacity / target of the fiscal year: can the team carry the number"},
};
#undef MONEY
#undef COUNT
#undef RATIO

static const sp_metric_info p_target_info = {
    "p_target", "P(target)", SP_MK_RATIO, 0, 1,
    "share of trials whose bookings reach the target of the fiscal year or quarter", 0};

static const sp_metric_info p_budget_info = {
    "p_budget", "P(budget)", SP_MK_RATIO, 0, 1,
    "share of trials whose fiscal-year cost stays within the budget", 0};

const sp_metric_info *sp_metric_info_of(int m)
{
    if (m == SP_METRIC_P_TARGET)
        return &p_target_info;
    if (m == SP_METRIC_P_BUDGET)
        return &p_budget_info;
    return m >= 0 && m < SP_M_NPERIOD ? &table[m] : NULL;
}

const char *sp_metric_name(int m)
{
    return m >= 0 && m < SP_M_NPERIOD ? table[m].name : NULL;
}

const char *sp_metric_label(int m)
{
    const sp_metric_info *i = sp_metric_info_of(m);
    return i ? i->label : NULL;
}

int sp_metric_lookup(const char *name)
{
    if (!name)
        return -1;
    for (int m = 0; m < SP_M_NPERIOD; m++)
        if (strcmp(table[m].name, name) == 0)
            return m;
    return -1;
}

const char *sp_metric_suggest(const char *name)
{
    sp_nearest nr;
    sp_nearest_init(&nr, name, 2);
    for (int m = 0; m < SP_M_NPERIOD; m++)
        sp_nearest_try(&nr, table[m].name);
    return nr.best;
}

int sp_metric_is_stock(int m)
{
    return m >= 0 && m < SP_M_NPERIOD && table[m].stock == 1;
}

int sp_metric_is_mean(int m)
{
    return m >= 0 && m < SP_M_NPERIOD && table[m].stock == 2;
}

int sp_metric_total_always(int m)
{
    return m >= 0 && m < SP_M_NPERIOD && table[m].stock != 2 &&
           !table[m].optional;
}

int sp_metric_total_only(int m)
{
    return m >= 0 && m < SP_M_NPERIOD && table[m].total_only;
}

sp_metric_kind sp_metric_kind_of(int m)
{
    const sp_metric_info *i = sp_metric_info_of(m);
    return i ? i->kind : SP_MK_MONEY;
}

sp_unit sp_metric_unit(int m)
{
    switch (sp_metric_kind_of(m)) {
    case SP_MK_RATIO: return SP_U_PERCENT;
    case SP_MK_COUNT: return SP_U_NONE;
    case SP_MK_MONEY: break;
    }
    return SP_U_MONEY;
}

/* ---- periods ------------------------------------------------------------ */

int sp_results_total_period(const sp_results *r)
{
    for (int p = 0; p < r->nperiods; p++)
        if (r->periods[p].is_total)
            return p;
    return r->nperiods - 1;
}

int sp_results_fiscal_count(const sp_results *r)
{
    int n = 0;
    for (int p = 0; p < r->nperiods; p++)
        n += !r->periods[p].is_total;
    return n;
}

int sp_results_fiscal_period(const sp_results *r, int k)
{
    for (int p = 0, n = 0; p < r->nperiods; p++)
        if (!r->periods[p].is_total && n++ == k)
            return p;
    return -1;
}

int sp_results_quarter_count(const sp_results *r)
{
    return r->nquarters;
}

int sp_results_quarter_period(const sp_results *r, int k)
{
    return k >= 0 && k < r->nquarters ? r->nperiods + k : -1;
}

int sp_results_year_of(const sp_results *r, int p)
{
    if (p < 0 || p >= r->nperiods + r->nquarters || r->periods[p].is_total)
        return -1;
    if (p < r->nperiods)
        return p;
    int fy = r->periods[p].fiscal_year;
    for (int q = 0; q < r->nperiods; q++)
        if (!r->periods[q].is_total && r->periods[q].fiscal_year == fy)
            return q;
    return -1;
}

const int sp_trial_metrics[SP_NTRIAL_METRICS] = {
    SP_M_BOOKINGS, SP_M_REVENUE, SP_M_COST, SP_M_COS, SP_M_CONTRIBUTION,
    SP_M_HEADCOUNT, SP_M_HIRES, SP_M_DEPARTURES,
};

double sp_results_trial(const sp_results *r, int p, int metric, int trial)
{
    int s = sp_series(r, metric, -1);
    if (p >= r->nperiods && p < r->nperiods + r->nquarters && r->qtrial &&
        trial >= 0 && trial < r->trials) {
        for (int j = 0; j < SP_NTRIAL_METRICS; j++)
            if (sp_trial_metrics[j] == metric)
                return r->qtrial[((size_t)(p - r->nperiods) * SP_NTRIAL_METRICS + j) *
                                 r->trials + trial];
        return NAN;
    }
    if (!r->ptrial || p < 0 || p >= r->nperiods || metric < 0 ||
        metric >= SP_M_NPERIOD || trial < 0 || trial >= r->trials)
        return NAN;
    return r->ptrial[((size_t)p * r->npseries + s) * r->trials + trial];
}

/* Fiscal years come first in periods, in order, so a year's index is
 * its place in the target and budget lists. */
double sp_results_target(const sp_results *r, int p)
{
    int y = sp_results_year_of(r, p);
    if (y < 0 || y >= r->model.ntarget)
        return NAN;
    if (p == y)
        return r->model.target[y];
    return r->model.target[y] * r->model.target_split[r->periods[p].quarter - 1];
}

double sp_results_budget(const sp_results *r, int p)
{
    if (p < 0 || p >= r->nperiods || r->periods[p].is_total ||
        p >= r->model.nbudget)
        return NAN;
    return r->model.budget[p];
}

int sp_results_revenue_is_bookings(const sp_results *r)
{
    return r->model.ratable_n == 0;
}

int sp_results_any_records(const sp_results *r, int role)
{
    if (!r->reps)
        return 0;
    for (int p = 0; p < r->nperiods; p++)
        if (r->reps[(size_t)p * r->nroles + role].records > 0)
            return 1;
    return 0;
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
    free(r->qtrial);
    free(r->p_target);
    free(r->p_budget);
    free(r->payback);
    free(r->cum);
    free(r->people);
    for (size_t i = 0; r->reps && i < (size_t)r->nperiods * r->nroles; i++) {
        free(r->reps[i].attainment_hist.edges);
        free(r->reps[i].attainment_hist.share);
        free(r->reps[i].earnings_hist.edges);
        free(r->reps[i].earnings_hist.share);
    }
    free(r->reps);
    memset(r, 0, sizeof *r);
}
