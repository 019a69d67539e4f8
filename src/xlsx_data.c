/* The workbook's data sheets: Distributions (the bookings S-curves the
 * Summary charts), Trials (each trial's fiscal-year and horizon totals,
 * for any statistic or chart of a reader's own) and Goal seek (every goal
 * seek of the session). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "salesplan/table.h"

#include "xlsx_private.h"

int xw_dist_nfy(const sp_results *const *rs, int n)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (sp_results_fiscal_count(rs[i]) > m)
            m = sp_results_fiscal_count(rs[i]);
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The bookings of period p at the shares 0, 1/100, ..., 1 of the trials,
 * by the rule of the other percentiles (PERCENTILE.INC), so the S-curve
 * passes through the P5 ... P95 the sheets show.  -1 when out of memory,
 * 0 with q all NaN when there are no trials. */
static int bookings_quantiles(const sp_results *r, int p, double *q)
{
    size_t n = 0;
    double *v = malloc((size_t)(r->trials > 0 ? r->trials : 1) * sizeof *v);
    if (!v)
        return -1;
    for (int t = 0; t < r->trials; t++) {
        double x = sp_results_trial(r, p, SP_M_BOOKINGS, t);
        if (!isnan(x))
            v[n++] = x;
    }
    qsort(v, n, sizeof *v, cmp_double);
    for (int k = 0; k < DIST_NQ; k++) {
        if (n == 0) {
            q[k] = NAN;
            continue;
        }
        double h = (double)(n - 1) * k / (DIST_NQ - 1);
        size_t lo = (size_t)floor(h);
        double frac = h - (double)lo;
        q[k] = lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
    }
    free(v);
    return 0;
}

void xw_write_distributions(xw *x, sheet *sh, const sp_results *const *rs,
                            int n)
{
    int nfy = xw_dist_nfy(rs, n);
    double q[DIST_NQ];
    char label[160];
    xw_put_str(x, sh, 0, 0, "Bookings distributions (S-curves)", x->title, 0);
    xw_put_str(x, sh, 1, 0,
               "Each fiscal year's bookings at every whole percent of the "
               "trials (0% the lowest trial, 100% the highest), by the rule "
               "of the P5 ... P95 elsewhere; the Summary's S-curve charts "
               "plot these columns against the share. The target lines' "
               "data is below.", x->note, 0);
    xw_put_str(x, sh, DIST_ROW0 - 1, 0, "Share of trials", x->head, 1);
    for (int k = 0; k < DIST_NQ; k++)
        xw_put_num(x, sh, DIST_ROW0 + k, 0, k / 100.0, (vfmt){NF_PCT, 0, 0});
    xw_put_str(x, sh, DIST_TROW - 1, 0, "Target line", x->bold, 1);
    xw_put_num(x, sh, DIST_TROW, 0, 0, (vfmt){NF_PCT, 0, 0});
    xw_put_num(x, sh, DIST_TROW + 1, 0, 1, (vfmt){NF_PCT, 0, 0});
    for (int i = 0; i < n; i++) {
        const sp_results *r = rs[i];
        vfmt mv = {NF_MONEY, r->model.currency, 0};
        for (int f = 0; f < sp_results_fiscal_count(r); f++) {
            int p = sp_results_fiscal_period(r, f), col = 1 + i * nfy + f;
            snprintf(label, sizeof label, "%s %s", r->model.name,
                     r->periods[p].label);
            xw_put_str(x, sh, DIST_ROW0 - 1, col, label, x->head_r, 1);
            if (bookings_quantiles(r, p, q) < 0) {
                x->nomem = 1;
                return;
            }
            for (int k = 0; k < DIST_NQ; k++)
                xw_put_num(x, sh, DIST_ROW0 + k, col, q[k], mv);
            double t = sp_results_target(r, p);
            xw_put_num(x, sh, DIST_TROW, col, t, mv);
            xw_put_num(x, sh, DIST_TROW + 1, col, t, mv);
        }
    }
    worksheet_freeze_panes(sh->ws, DIST_ROW0, 1);
    xw_apply_widths(sh, 1 + n * nfy, 12);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    xw_print_area(x, sh, DIST_TROW + 1, 1 + n * nfy, 0, 0);
}

/* The metrics of the Trials sheet: those of sp_trial_metrics that say
 * something here (revenue recognised as booked repeats bookings). */
static int trial_metrics(const sp_results *r, int *out)
{
    int k = 0;
    for (int j = 0; j < SP_NTRIAL_METRICS; j++)
        if (sp_trial_metrics[j] != SP_M_REVENUE ||
            !sp_results_revenue_is_bookings(r))
            out[k++] = sp_trial_metrics[j];
    return k;
}

#define TRIALS_PRINTED 40

void xw_write_trials(xw *x, sheet *sh, const sp_results *const *rs, int n)
{
    const int hrow = 3;
    int col = 1, maxt = 0, ms[SP_NTRIAL_METRICS];
    char label[200];
    xw_put_str(x, sh, 0, 0, "Trial by trial", x->title, 0);
    xw_put_str(x, sh, 1, 0,
               "Each trial's team totals per fiscal year and over the "
               "horizon (stocks such as headcount at the period's end), one "
               "row per trial: every percentile, mean or chart of the other "
               "sheets can be made from these. Trial t of every scenario "
               "draws the same random numbers.", x->note, 0);
    xw_put_str(x, sh, hrow, 0, "Trial", x->head, 1);
    for (int i = 0; i < n; i++) {
        const sp_results *r = rs[i];
        int nm = trial_metrics(r, ms);
        maxt = r->trials > maxt ? r->trials : maxt;
        for (int p = 0; p < r->nperiods; p++)
            for (int j = 0; j < nm; j++, col++) {
                const sp_period *pe = &r->periods[p];
                snprintf(label, sizeof label, "%s %s %s", r->model.name,
                         pe->is_total ? "Total" : pe->label,
                         sp_metric_label(ms[j]));
                xw_put_str(x, sh, hrow, col, label, x->head_r, 0);
                xw_fit(sh, col, 14);
                vfmt vf = xw_metric_vfmt(ms[j], r->model.currency, 0);
                if (vf.kind == NF_COUNT)
                    vf.kind = NF_WHOLE;
                for (int t = 0; t < r->trials; t++)
                    xw_put_num(x, sh, hrow + 1 + t, col,
                               sp_results_trial(r, p, ms[j], t), vf);
            }
    }
    for (int t = 0; t < maxt; t++)
        xw_put_num(x, sh, hrow + 1 + t, 0, t + 1, (vfmt){NF_PLAIN, 0, 0});
    if (col > 1 && maxt > 0)
        xw_chk(x, worksheet_autofilter(sh->ws, (lxw_row_t)hrow, 0,
                                       (lxw_row_t)(hrow + maxt),
                                       (lxw_col_t)(col - 1)));
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 1);
    xw_apply_widths(sh, col, 8);
    /* Header texts wrap rather than widen every column. */
    worksheet_set_row(sh->ws, (lxw_row_t)hrow, 45, x->wrap);
    /* Printed, the first trials show what the sheet holds; thousands of
     * rows of them are data to compute with, not to read on paper. */
    xw_print_area(x, sh, hrow + (maxt < TRIALS_PRINTED ? maxt
                                                        : TRIALS_PRINTED),
                  col, 0, 0);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
}

static vfmt seek_unit_vfmt(sp_unit u, const char *cur)
{
    switch (u) {
    case SP_U_MONEY: return (vfmt){NF_MONEY, cur, 0};
    case SP_U_PERCENT: return (vfmt){NF_PCT2, NULL, 0};
    default: return (vfmt){NF_PLAIN, NULL, 0};
    }
}

/* One row per goal seek, in the order they ran. */
void xw_write_seeks(xw *x, sheet *sh, const sp_findings *f)
{
    static const char *const hdr[] = {
        "Scenario", "Parameter", "Metric", "Statistic", "Period", "Goal",
        "Found", "Value found", "Set as", "Metric there", "Was",
        "Evaluations", "Trials", "Seed"};
    const int nh = (int)(sizeof hdr / sizeof hdr[0]);
    int row = 0;
    xw_put_str(x, sh, row++, 0, "Goal seeks", x->title, 0);
    xw_put_str(x, sh, row++, 0,
               "Each `goalseek` of the session: the value of the parameter "
               "that meets the goal, which was set in the scenario (a run "
               "after it reflects it). \"no\": no value in the parameter's "
               "range meets the goal, and nothing was changed.", x->note, 0);
    row++;
    int hrow = row;
    for (int c = 0; c < nh; c++)
        xw_put_str(x, sh, row, c, hdr[c], c < 5 ? x->head : x->head_r, 1);
    row++;
    for (int i = 0; i < f->nseeks; i++, row++) {
        const sp_seek *s = &f->seeks[i];
        vfmt mv = sp_metric_is_prob(s->metric)
                  ? (vfmt){NF_PCT2, NULL, 0}
                  : xw_metric_vfmt(s->metric, s->currency, 1);
        char stat[8];
        snprintf(stat, sizeof stat, "%s", s->stat);
        if (stat[0] == 'p')
            stat[0] = 'P';
        xw_put_str(x, sh, row, 0, s->scenario, NULL, 1);
        xw_put_str(x, sh, row, 1, s->param, NULL, 1);
        xw_put_str(x, sh, row, 2, s->metric_name, NULL, 1);
        xw_put_str(x, sh, row, 3, stat, NULL, 1);
        xw_put_str(x, sh, row, 4,
                   strcmp(s->period, "total") ? s->period : "horizon total",
                   NULL, 1);
        xw_put_num(x, sh, row, 5, s->goal, mv);
        xw_put_str(x, sh, row, 6, s->found ? "yes" : "no", x->indent, 1);
        xw_put_num(x, sh, row, 7, s->value,
                   seek_unit_vfmt(s->unit, s->currency));
        /* the statements themselves: what was set, and what undoes it */
        char stmt[512];
        if (s->found) {
            snprintf(stmt, sizeof stmt, "set %s %s", s->param, s->value_text);
            xw_put_str(x, sh, row, 8, stmt, NULL, 1);
        }
        xw_put_num(x, sh, row, 9, s->metric_value, mv);
        snprintf(stmt, sizeof stmt, "set %s %s", s->param, s->before_text);
        xw_put_str(x, sh, row, 10, stmt, NULL, 1);
        xw_put_num(x, sh, row, 11, s->evals, (vfmt){NF_WHOLE, NULL, 0});
        xw_put_num(x, sh, row, 12, s->trials, (vfmt){NF_WHOLE, NULL, 0});
        xw_put_num(x, sh, row, 13, (double)s->seed, (vfmt){NF_PLAIN, 0, 0});
    }
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 0);
    xw_apply_widths(sh, nh, 9);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    xw_print_area(x, sh, row, nh, 0, 0);
}
