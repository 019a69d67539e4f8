/* Pay rules of MODEL.md section 5.  Everything here is a pure function of
 * its arguments so the engine can call it from any thread and the tests can
 * check each rule against a hand calculation. */
#include "salesplan/comp.h"

#include <math.h>
#include <stddef.h>

double sp_comp_ti_period(const sp_comp_plan *p, double quota, int cmonths)
{
    if (p->has_rate)
        return p->rate * quota;
    return p->ti * cmonths / 12.0;
}

/* A zero-initialised plan has no tiers; it means the documented default
 * `0%:1` rather than "pay nothing". */
static double tier_multiplier(const sp_comp_plan *p, int k)
{
    return p->ntiers < 1 ? 1.0 : p->tier_u[k];
}

static double marginal(const sp_comp_plan *p, double bcr, double b, double P)
{
    int n = p->ntiers < 1 ? 1 : p->ntiers;
    double sum = 0;
    for (int k = 0; k < n; k++) {
        double lo = p->ntiers < 1 ? 0.0 : p->tier_t[k] * P;
        if (b <= lo)
            break;
        double hi = k + 1 < n ? p->tier_t[k + 1] * P : INFINITY;
        double slice = (b < hi ? b : hi) - lo;
        if (slice > 0)
            sum += tier_multiplier(p, k) * bcr * slice;
    }
    return sum;
}

/* The tier is chosen on a = b / P, not on b >= t_k * P: the threshold is an
 * attainment, and b = t_k * P computed by the caller must land in tier k
 * even when t_k * P rounds differently from the caller's product. */
static double retro(const sp_comp_plan *p, double bcr, double b, double P)
{
    double a = b / P;
    int k = 0;
    for (int j = 1; j < p->ntiers; j++)
        if (p->tier_t[j] <= a)
            k = j;
    return tier_multiplier(p, k) * bcr * b;
}

/* With P <= 0 there is no quota to measure tiers against and TI_p = rate*0,
 * so a cap would wipe out the flat `rate` commission the model asks for;
 * the cap is therefore not applied to that case. */
double sp_comp_commission(const sp_comp_plan *p, double b, double P,
                          int cmonths)
{
    if (!(b > 0))
        return 0;
    if (!(P > 0))
        return p->has_rate ? p->rate * b : 0;
    double ti_p = sp_comp_ti_period(p, P, cmonths);
    double bcr = p->has_rate ? p->rate : ti_p / P;
    double c = p->retro ? retro(p, bcr, b, P) : marginal(p, bcr, b, P);
    if (p->cap > 0 && c > p->cap * ti_p)
        c = p->cap * ti_p;
    return c;
}

/* The segment used is the one starting at the last x <= a.  With repeated
 * x values that is the last (right) point of the repeat, so a step's upper
 * value applies at and above the step, and its segment to the next x is
 * strictly increasing in x, so the division below is safe. */
double sp_curve_eval(int n, const double *x, const double *y, double a)
{
    if (n <= 0)
        return 0;
    int j = -1;
    while (j + 1 < n && x[j + 1] <= a)
        j++;
    if (j < 0)
        return y[0];
    if (j == n - 1)
        return y[n - 1];
    return y[j] + (y[j + 1] - y[j]) * (a - x[j]) / (x[j + 1] - x[j]);
}

double sp_comp_bonus(const sp_comp_plan *p, double attainment, int cmonths)
{
    if (p->bonus == 0 || cmonths <= 0)
        return 0;
    if (isnan(attainment))
        attainment = 0;
    return p->bonus * cmonths / 12.0 *
           sp_curve_eval(p->ncurve, p->curve_x, p->curve_y, attainment);
}

double sp_comp_draw_settle(double earned, double assured, int recoverable,
                           double *debt, double *topup)
{
    double owed = debt ? *debt : 0;
    double paid;
    if (earned < assured) {
        paid = assured;
        if (recoverable)
            owed += assured - earned;
    } else if (recoverable) {
        double repay = earned - assured < owed ? earned - assured : owed;
        paid = earned - repay;
        owed -= repay;
    } else {
        paid = earned;
    }
    if (debt)
        *debt = owed;
    if (topup)
        *topup = paid - earned;
    return paid;
}

double sp_comp_pool_split(double amount, int n, const int *months,
                          const int *eligible, double *out)
{
    long total = 0;
    for (int i = 0; i < n; i++)
        if (eligible[i] && months[i] > 0)
            total += months[i];
    double paid = 0;
    for (int i = 0; i < n; i++) {
        if (total > 0 && eligible[i] && months[i] > 0)
            out[i] = amount * months[i] / (double)total;
        else
            out[i] = 0;
        paid += out[i];
    }
    return paid;
}

/* Strict total order "i ranks above j"; the index settles what the ids
 * cannot (duplicate or missing ids), so winners never repeat. */
static int ranks_above(int i, int j, const double *att, const double *bk,
                       const long *ids)
{
    if (att[i] != att[j])
        return att[i] > att[j];
    if (bk && bk[i] != bk[j])
        return bk[i] > bk[j];
    if (ids && ids[i] != ids[j])
        return ids[i] < ids[j];
    return i < j;
}

/* One pass keeping the best k so far in rank order: a candidate below the
 * current k-th costs one comparison, so a team of n costs about n
 * comparisons for a handful of prizes; no scratch memory beyond winners. */
int sp_comp_award_rank(int n, const double *attainment,
                       const double *bookings, const long *ids,
                       const int *eligible, int k, int *winners)
{
    int count = 0;
    if (k <= 0)
        return 0;
    for (int i = 0; i < n; i++) {
        if (!eligible[i] || isnan(attainment[i]))
            continue;
        if (count == k &&
            !ranks_above(i, winners[k - 1], attainment, bookings, ids))
            continue;
        int j = count < k ? count++ : k - 1;
        while (j > 0 && ranks_above(i, winners[j - 1], attainment, bookings, ids)) {
            winners[j] = winners[j - 1];
            j--;
        }
        winners[j] = i;
    }
    return count;
}

/* The draw is settled whenever the plan has one, even for a period with no
 * month left in the draw window (D = 0): MODEL.md 5.4 recovers debt "at
 * each settlement" out of earnings above the draw, so a recoverable debt
 * keeps being repaid after the window closes until it is cleared or the
 * employee leaves. */
void sp_comp_settle(const sp_comp_plan *p, const sp_period_in *in,
                    double *debt, sp_period_pay *out)
{
    double b = in->bookings, P = in->quota;
    out->attainment = P > 0 ? b / P : NAN;
    out->ti_p = sp_comp_ti_period(p, P, in->cmonths);
    out->commission = sp_comp_commission(p, b, P, in->cmonths);
    out->bonus = sp_comp_bonus(p, out->attainment, in->cmonths);
    out->guarantee = in->guar_months > 0
                         ? p->guarantee_amount * in->guar_months : 0;
    out->draw_topup = 0;
    if (p->draw_months != 0) {
        double assured = in->draw_months > 0
                             ? p->draw_amount * in->draw_months : 0;
        sp_comp_draw_settle(out->commission + out->bonus, assured,
                            p->draw_recoverable, debt, &out->draw_topup);
    }
}
