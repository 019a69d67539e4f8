/* The parameter table.  One row per parameter; everything that reads or
 * writes parameters (set, get, unset, show params, help set, completion,
 * save, diff, the workbook's assumptions, the generated reference in docs/)
 * goes through it, so a new parameter is one row. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/params.h"

#define Q SP_K_QUOTA
#define S SP_K_SUPPORT
#define M SP_K_MANAGER
#define ALL SP_K_ALL
#define G SP_SCOPE_GLOBAL
#define R SP_SCOPE_ROLE
#define BIG 1e15

const sp_param sp_params[] = {
    /* name, scope, kinds, type, unit, unit2, default, default note, lo, hi, flags, enums, help */
    {"start", G, 0, SP_T_MONTH, SP_U_NONE, SP_U_NONE, "2027-01", NULL, 0, 0, 0, NULL,
     "first calendar month of the horizon (YYYY-MM)"},
    {"horizon", G, 0, SP_T_INT, SP_U_MONTHS, SP_U_NONE, "24", NULL, 1, 120, 0, NULL,
     "number of months simulated"},
    {"fiscal_year_start", G, 0, SP_T_INT, SP_U_NONE, SP_U_NONE, "1", NULL, 1, 12, 0, NULL,
     "calendar month (1-12) in which the fiscal year begins; a fiscal year is named by the year it ends in"},
    {"seasonality", G, 0, SP_T_NUMLIST, SP_U_NONE, SP_U_NONE, "1 1 1 1 1 1 1 1 1 1 1 1", NULL, 0, 100, 0, NULL,
     "12 multipliers of bookings and quota for Jan..Dec, rescaled to mean 1"},
    {"market_volatility", G, 0, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "0%", NULL, 0, 2, 0, NULL,
     "sd of the shared monthly market factor (log scale); a bad month hits every rep at once"},
    {"market_persistence", G, 0, SP_T_NUM, SP_U_NONE, SP_U_NONE, "0.8", NULL, 0, 1, SP_PF_HI_OPEN, NULL,
     "month-to-month correlation (AR(1) rho) of the market factor"},
    {"revenue", G, 0, SP_T_REVENUE, SP_U_NONE, SP_U_NONE, "bookings", NULL, 1, 120, 0, NULL,
     "revenue recognition: `bookings` (when booked) or `ratable N` (evenly over N months), `ratable N renewal R%` (terms renew at R)"},
    {"opening_arr", G, 0, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "annual value of contracts in force at the start (ratable revenue only): their terms end evenly over the first N months and renew at R"},
    {"gross_margin", G, 0, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "100%", NULL, 0, 1, 0, NULL,
     "share of revenue left after cost of goods; contribution = revenue x margin - cost"},
    {"target", G, 0, SP_T_NUMLIST, SP_U_MONEY, SP_U_NONE, "", NULL, 0, BIG, 0, NULL,
     "bookings target of each fiscal year, in order (P(target) is reported)"},
    {"target_split", G, 0, SP_T_NUMLIST, SP_U_PERCENT, SP_U_NONE, "25% 25% 25% 25%", NULL, 0, 1, 0, NULL,
     "shares of each fiscal year's target for its quarters Q1..Q4, summing to 100% (P(target) per quarter)"},
    {"budget", G, 0, SP_T_NUMLIST, SP_U_MONEY, SP_U_NONE, "", NULL, 0, BIG, 0, NULL,
     "cost budget of each fiscal year, in order (P(cost <= budget), p_budget, is reported)"},
    {"ytd_bookings", G, 0, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "bookings already booked before `start` in the fiscal year containing it: that year is reported whole and its P(target) counts them"},
    {"trials", G, 0, SP_T_INT, SP_U_COUNT, SP_U_NONE, "10000", NULL, 1, 10000000, 0, NULL,
     "number of Monte Carlo trials of a run"},
    {"seed", G, 0, SP_T_INT, SP_U_NONE, SP_U_NONE, "1", NULL, 0, 9007199254740991.0, 0, NULL,
     "random seed: results are a pure function of scenario, trials and seed"},
    {"currency", G, 0, SP_T_STRING, SP_U_NONE, SP_U_NONE, "$", NULL, 0, SP_CURRENCY_MAX - 1, 0, NULL,
     "currency sign printed before amounts of money"},

    {"headcount", R, ALL, SP_T_INT, SP_U_COUNT, SP_U_NONE, "0", NULL, 0, 100000, 0, NULL,
     "employees in the role at the start of the horizon"},
    {"tenure", R, ALL, SP_T_DIST, SP_U_MONTHS, SP_U_NONE, "", "the ramp's length: fully ramped", 0, 600, 0, NULL,
     "months already served by the starting employees (a distribution)"},
    {"hires", R, ALL, SP_T_HIRES, SP_U_COUNT, SP_U_NONE, "", "none", 0, 100000, 0, NULL,
     "planned requisitions as MONTH:COUNT pairs (opened that month, start after time to fill)"},
    {"headcount_plan", R, Q | S, SP_T_HIRES, SP_U_COUNT, SP_U_NONE, "", "none", 0, 100000, 0, NULL,
     "active members wanted from each month on, as MONTH:COUNT pairs; requisitions open ahead by the mean time to fill"},
    {"time_to_fill", R, ALL, SP_T_DIST, SP_U_MONTHS, SP_U_NONE, "0", NULL, 0, 120, 0, NULL,
     "months from opening a requisition to the hire's start (rounded, a distribution)"},
    {"attrition", R, ALL, SP_T_NUMLIST, SP_U_PERCENT, SP_U_NONE, "0%", NULL, 0, 1, SP_PF_HI_OPEN, NULL,
     "annual attrition; a list gives one rate per tenure year, the last holds"},
    {"backfill", R, ALL, SP_T_BOOL, SP_U_NONE, SP_U_NONE, "on", "on for quota and support roles, off for managers", 0, 0, 0, NULL,
     "each leaver opens a requisition to replace them"},
    {"ramp", R, ALL, SP_T_RAMP, SP_U_PERCENT, SP_U_NONE, "1", NULL, 0, 10, 0, NULL,
     "productivity by tenure month: a list r(1) r(2) ... or `linear N` (month N+1 fully ramped)"},
    {"quota", R, Q, SP_T_NUMLIST, SP_U_MONEY, SP_U_NONE, "", "none: a quota role needs one", 0, BIG, SP_PF_LO_OPEN, NULL,
     "annual quota of a fully ramped employee; a list gives one per fiscal year, the last holds"},
    {"quota_relief", R, Q, SP_T_BOOL, SP_U_NONE, SP_U_NONE, "on", NULL, 0, 0, 0, NULL,
     "scale a ramping employee's quota by the ramp factor"},
    {"capacity", R, Q, SP_T_DIST, SP_U_MONEY, SP_U_NONE, "", "attainment x first-year quota", 0, BIG, 0, NULL,
     "what a fully ramped employee sells in a year in an average month and market, drawn once (a distribution); quota does not change it"},
    {"attainment", R, Q, SP_T_DIST, SP_U_PERCENT, SP_U_NONE, "1", NULL, 0, 100, 0, NULL,
     "without capacity: each employee's expected fraction of first-year quota, drawn once (a distribution)"},
    {"volatility", R, Q, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "0%", NULL, 0, 10, 0, NULL,
     "sd of an employee's month-to-month bookings noise (attainment mode)"},
    {"productivity", R, Q, SP_T_ENUM, SP_U_NONE, SP_U_NONE, "attainment", NULL, 0, 0, 0, "attainment|deals",
     "how bookings arise: `attainment` (smooth) or `deals` (Poisson count of lognormal deals)"},
    {"deal_size", R, Q, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "", "none: deals mode needs one", 0, BIG, SP_PF_LO_OPEN, NULL,
     "mean deal size (deals mode)"},
    {"deal_cv", R, Q, SP_T_NUM, SP_U_NONE, SP_U_NONE, "0", NULL, 0, 20, 0, NULL,
     "coefficient of variation of deal sizes (deals mode)"},
    {"manages", R, M, SP_T_ROLE, SP_U_NONE, SP_U_NONE, "", "none: a manager needs one", 0, 0, 0, NULL,
     "the role this manager role manages"},
    {"supports", R, S, SP_T_ROLE, SP_U_NONE, SP_U_NONE, "", "none", 0, 0, 0, NULL,
     "the role this support role serves (with a span: staffed to the ratio)"},
    {"span", R, S | M, SP_T_INT, SP_U_COUNT, SP_U_NONE, "", "none: a manager needs one", 1, 100000, 0, NULL,
     "members of the managed or supported role per employee; the role is hired to keep it"},
    {"support_share", R, S | M, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "0%", NULL, 0, 1, 0, NULL,
     "share of the served role's output that depends on this role's coverage (needs a span)"},
    {"base", R, ALL, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "annual base salary, paid monthly"},
    {"ote", R, Q | S, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "", "none", 0, BIG, 0, NULL,
     "on-target earnings per year, all of it: target incentive = ote - base - bonus"},
    {"target_incentive", R, Q | S, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "", "ote - base - bonus", 0, BIG, 0, NULL,
     "annual commission at 100% attainment (instead of ote)"},
    {"rate", R, Q | S, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "", "target incentive / quota", 0, 1, 0, NULL,
     "flat base commission rate on bookings (instead of ote or target incentive: target incentive = rate x quota)"},
    {"period", R, ALL, SP_T_ENUM, SP_U_NONE, SP_U_NONE, "quarter", NULL, 0, 0, 0, "month|quarter|year",
     "commission and bonus period (fiscal quarters and years)"},
    {"tiers", R, Q | S, SP_T_PAIRS, SP_U_PERCENT, SP_U_MULT, "0%:1", NULL, 0, 1000, 0, NULL,
     "commission tiers ATTAINMENT:MULTIPLIER, thresholds ascending from 0%"},
    {"tier_mode", R, ALL, SP_T_ENUM, SP_U_NONE, SP_U_NONE, "marginal", NULL, 0, 0, 0, "marginal|retro",
     "`marginal`: each slice at its tier's rate; `retro`: the reached tier re-rates all bookings"},
    {"cap", R, ALL, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "", "none", 0, 1000, SP_PF_LO_OPEN, NULL,
     "commission cap as a multiple of the period's target incentive (e.g. 300%)"},
    {"bonus", R, ALL, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "annual target of the performance bonus (floating pay on attainment; a manager's is its team's)"},
    {"bonus_curve", R, ALL, SP_T_PAIRS, SP_U_PERCENT, SP_U_PERCENT, "0%:0% 100%:100% 200%:200%", NULL, 0, 1000, 0, NULL,
     "bonus payout by attainment ATTAINMENT:PAYOUT, piecewise linear, a repeated x is a step"},
    {"pool", R, ALL, SP_T_POOL, SP_U_PERCENT, SP_U_NONE, "none", NULL, 0, 1, 0, NULL,
     "`RATE of ROLE`: a share of ROLE's bookings split among this role by months active"},
    {"award", R, Q | S, SP_T_AWARD, SP_U_MONEY, SP_U_NONE, "none", NULL, 0, BIG, 0, NULL,
     "`K AMOUNT`: a prize for the K best by attainment each period"},
    {"draw", R, ALL, SP_T_DRAW, SP_U_MONEY, SP_U_NONE, "none", NULL, 0, BIG, 0, NULL,
     "`N AMOUNT recoverable|nonrecoverable`: variable pay assured in tenure months 1..N (or `all`)"},
    {"guarantee", R, ALL, SP_T_GUARANTEE, SP_U_MONEY, SP_U_NONE, "none", NULL, 0, BIG, 0, NULL,
     "`N AMOUNT`: paid per month instead of commission and bonus in tenure months 1..N"},
    {"leaver", R, ALL, SP_T_ENUM, SP_U_NONE, SP_U_NONE, "settle", NULL, 0, 0, 0, "settle|forfeit",
     "a leaver's open period: `settle` on bookings so far, or `forfeit`"},
    {"burden", R, ALL, SP_T_NUM, SP_U_PERCENT, SP_U_NONE, "0%", NULL, 0, 5, 0, NULL,
     "employer cost on top of all pay (benefits, employer taxes)"},
    {"recruiting_cost", R, ALL, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "one-off cost per hire, in the start month"},
    {"training_cost", R, ALL, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "one-off onboarding and training cost per hire, in the start month"},
    {"monthly_cost", R, ALL, SP_T_NUM, SP_U_MONEY, SP_U_NONE, "0", NULL, 0, BIG, 0, NULL,
     "cost per active employee per month (tools, travel, office)"},
};

const int sp_nparams = (int)(sizeof sp_params / sizeof sp_params[0]);

int sp_param_find(const char *name, sp_scope scope)
{
    for (int i = 0; i < sp_nparams; i++)
        if (sp_params[i].scope == scope && strcmp(sp_params[i].name, name) == 0)
            return i;
    return -1;
}

const char *sp_param_suggest(const char *name, sp_scope scope)
{
    sp_nearest nr;
    sp_nearest_init(&nr, name, 3);
    for (int i = 0; i < sp_nparams; i++)
        if (sp_params[i].scope == scope)
            sp_nearest_try(&nr, sp_params[i].name);
    return nr.best;
}

const char *sp_unit_name(sp_unit u)
{
    switch (u) {
    case SP_U_MONEY: return "money";
    case SP_U_PERCENT: return "percent";
    case SP_U_MONTHS: return "months";
    case SP_U_COUNT: return "count";
    case SP_U_MULT: return "multiplier";
    case SP_U_NONE: break;
    }
    return "";
}

/* Defaults are statement text parsed by the same parser as user input, so
 * the table cannot hold a default the language would refuse. */
static sp_value *defaults;

static void free_defaults(void)
{
    if (!defaults)
        return;
    for (int i = 0; i < sp_nparams; i++)
        sp_value_free(&defaults[i]);
    free(defaults);
    defaults = NULL;
}

const sp_value *sp_param_default(int i)
{
    static const sp_value none = {0};
    if (i < 0 || i >= sp_nparams)
        return &none;
    if (!defaults) {
        defaults = calloc((size_t)sp_nparams, sizeof *defaults);
        if (!defaults)
            return &none;
        for (int k = 0; k < sp_nparams; k++) {
            const sp_param *p = &sp_params[k];
            if (!p->def[0])
                continue;
            size_t pos = 0;
            int line = 1;
            sp_tokens t = {0};
            sp_error err;
            if (sp_next_statement(p->def, &pos, &line, "<defaults>", &t, &err) == 1)
                sp_parse_value(p->type, p->unit, p->unit2, p->enums, &t, 0,
                               "<defaults>", &defaults[k], &err);
            sp_tokens_free(&t);
        }
        atexit(free_defaults);
    }
    return &defaults[i];
}

/* The one default that depends on the role's kind: managers are hired to
 * keep the span, so a leaving manager is not backfilled unless asked. */
const sp_value *sp_param_default_for(int i, unsigned kind_bit)
{
    static const sp_value off = {SP_T_BOOL, 0, 0, 0, NULL, NULL, NULL, {0}};
    if (kind_bit == SP_K_MANAGER && i >= 0 && i < sp_nparams &&
        strcmp(sp_params[i].name, "backfill") == 0)
        return &off;
    return sp_param_default(i);
}
