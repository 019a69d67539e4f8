/* Pay rules of MODEL.md section 5 as pure functions: period totals in, pay
 * out.  The engine calls these at each settlement; tests call them
 * directly. */
#ifndef SALESPLAN_COMP_H
#define SALESPLAN_COMP_H

#include "salesplan/model.h"

/* Period target incentive TI_p: TI * cmonths / 12, or rate * P with `rate`. */
double sp_comp_ti_period(const sp_comp_plan *p, double quota, int cmonths);

/* Commission of a period: bookings b against period quota P over cmonths
 * commission months; tiers (marginal or retro), cap; P = 0 gives rate * b
 * with `rate`, else 0. */
double sp_comp_commission(const sp_comp_plan *p, double b, double P,
                          int cmonths);

/* Piecewise-linear curve, flat beyond the ends; a repeated x is a step: at
 * exactly that x the later (right) point's y applies.  n = 0 gives 0. */
double sp_curve_eval(int n, const double *x, const double *y, double a);

/* Bonus of a period: bonus * cmonths / 12 * curve(a); a NaN (undefined
 * attainment) evaluates curve(0). */
double sp_comp_bonus(const sp_comp_plan *p, double attainment, int cmonths);

/* Draw settlement: earned E, assured D (draw amount * draw-window commission
 * months).  Updates *debt (recoverable only) and returns what is paid.
 * *topup (may be NULL) = paid - E: positive when the draw tops up,
 * negative when earnings repay debt. */
double sp_comp_draw_settle(double earned, double assured, int recoverable,
                           double *debt, double *topup);

/* Pool split: amount shared among n members in proportion to months[i]
 * among those with eligible[i] != 0 (active at the period's end); out[i]
 * gets each share (0 for the ineligible).  Nothing is paid (all 0) when no
 * one is eligible or all months are 0.  Returns the amount paid. */
double sp_comp_pool_split(double amount, int n, const int *months,
                          const int *eligible, double *out);

/* Award ranking: among the n members with eligible[i] != 0 and a defined
 * (non-NaN) attainment, pick the k best by higher attainment, then higher
 * bookings, then lower id.  Writes the winners' indexes (best first) into
 * winners and returns how many (<= k). */
int sp_comp_award_rank(int n, const double *attainment,
                       const double *bookings, const long *ids,
                       const int *eligible, int k, int *winners);

/* One employee's period as the engine has gathered it at settlement. */
typedef struct {
    double bookings;   /* commissionable bookings in the period (guarantee months excluded) */
    double quota;      /* period quota (guarantee months excluded) */
    int cmonths;       /* commission months: active and not under guarantee */
    int draw_months;   /* of those, months inside the draw window */
    int guar_months;   /* months under guarantee in the period */
} sp_period_in;

typedef struct {
    double attainment; /* b / P, NaN when P <= 0 */
    double commission, bonus, guarantee, draw_topup;
    double ti_p;       /* period target incentive */
} sp_period_pay;

/* Settle one employee's period: commission (tiers, cap), bonus, guarantee
 * (guar_amount * guar_months), and the draw against commission + bonus with
 * the employee's *debt updated (debt may be NULL: no debt carried).  Pure:
 * no other state. */
void sp_comp_settle(const sp_comp_plan *p, const sp_period_in *in,
                    double *debt, sp_period_pay *out);

#endif
