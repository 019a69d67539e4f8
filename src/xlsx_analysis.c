/* The workbook's analysis sheets: Compare (paired differences), Sweep and
 * Tornado. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "salesplan/stats.h"
#include "salesplan/table.h"

#include "xlsx_private.h"

/* ---- the Compare sheet -------------------------------------------------- */

/* The figures of the paired differences, as the Summary shows them. */
static const int cmp_metrics[] = {SP_M_BOOKINGS, SP_M_REVENUE, SP_M_COST,
                                  SP_M_COS, SP_M_CONTRIBUTION,
                                  SP_M_HEADCOUNT};
#define NCMP (int)(sizeof cmp_metrics / sizeof cmp_metrics[0])

/* The chart's two figures, horizon-total differences in money. */
static const int cmp_chart_metrics[2] = {SP_M_BOOKINGS, SP_M_CONTRIBUTION};

/* Columns of the Compare table. */
enum { CMP_MEAN = 3, CMP_SE, CMP_LO, CMP_HI, CMP_N };

/* Whether the runs can be differenced trial by trial against rs[0]: the
 * condition of the JSON "differences" too. */
int xw_comparable(const sp_results *const *rs, int n)
{
    if (n < 2)
        return 0;
    for (int i = 1; i < n; i++)
        if (sp_results_paired(rs[0], rs[i]))
            return 1;
    return 0;
}

/* The title, the notes and the table's header.  Returns the header row. */
static int compare_header(xw *x, sheet *sh, const sp_results *const *rs,
                          int n)
{
    static const char *const hdr[] = {"Scenario", "Period", "Figure",
                                      "Mean difference", "SE", "95% low",
                                      "95% high", "Trials used"};
    const sp_results *a = rs[0];
    char buf[256];
    int row = 0;

    snprintf(buf, sizeof buf, "Paired differences against %s",
             a->model.name);
    xw_put_str(x, sh, row++, 0, buf, x->title, 0);
    snprintf(buf, sizeof buf,
             "Each scenario minus %s, trial by trial: trial t of every run "
             "draws the same random numbers, so a difference comes from the "
             "change rather than from noise.", a->model.name);
    xw_put_str(x, sh, row++, 0, buf, x->note, 0);
    xw_put_str(x, sh, row++, 0,
               "SE is the standard error of the mean difference; the 95% "
               "interval is the mean \xc2\xb1 1.96 SE. Periods are "
               "fiscal-year totals and the horizon total.", x->note, 0);
    for (int i = 1; i < n; i++)
        if (!sp_results_paired(a, rs[i])) {
            snprintf(buf, sizeof buf, "%s is left out: it ran with other "
                     "trials or another seed than %s, so its trials are not "
                     "paired (`compare` runs them paired).",
                     rs[i]->model.name, a->model.name);
            xw_put_str(x, sh, row++, 0, buf, x->note, 0);
        }
    row++;
    for (int c = 0; c < 8; c++)
        xw_put_str(x, sh, row, c, hdr[c], c < 3 ? x->head : x->head_r, 1);
    return row;
}

/* One row of the table: b - a of a metric over a period (pe NULL: the
 * horizon total), the interval as formulas.  Returns 1, or 0 when the runs
 * do not share the figure; *finite says whether the mean is defined. */
static int compare_row(xw *x, sheet *sh, int row, const sp_results *a,
                       const sp_results *b, int period, const sp_period *pe,
                       int metric, int *finite)
{
    double mean, se;
    long used;
    char label[96];
    if (sp_paired_diff(a, b, period, metric, NULL, &mean, &se, &used) != 0)
        return 0;
    vfmt vf = xw_metric_vfmt(metric, b->model.currency, 1);
    snprintf(label, sizeof label, "%s%s", sp_metric_label(metric),
             sp_metric_is_stock(metric) ? " at the end" : "");
    xw_put_str(x, sh, row, 0, b->model.name, NULL, 1);
    xw_put_str(x, sh, row, 1, pe ? pe->label : "Horizon total", NULL, 1);
    xw_put_str(x, sh, row, 2, label, NULL, 1);
    xw_put_num(x, sh, row, CMP_MEAN, mean, vf);
    xw_put_num(x, sh, row, CMP_SE, se, vf);
    if (isfinite(mean) && isfinite(se)) {
        char m[32], e[32], fml[96];
        lxw_rowcol_to_cell(m, (lxw_row_t)row, (lxw_col_t)CMP_MEAN);
        lxw_rowcol_to_cell(e, (lxw_row_t)row, (lxw_col_t)CMP_SE);
        snprintf(fml, sizeof fml, "=%s-1.96*%s", m, e);
        xw_put_formula(x, sh, row, CMP_LO, fml, mean - 1.96 * se, vf);
        snprintf(fml, sizeof fml, "=%s+1.96*%s", m, e);
        xw_put_formula(x, sh, row, CMP_HI, fml, mean + 1.96 * se, vf);
    }
    xw_put_num(x, sh, row, CMP_N, (double)used, (vfmt){NF_WHOLE, NULL, 0});
    *finite = isfinite(mean);
    return 1;
}

/* The incremental payback of b over a (MODEL.md 6): its P50 month and
 * the share of trials that never pay back.  Returns the next free row. */
static int compare_payback(xw *x, sheet *sh, int row, const sp_results *a,
                           const sp_results *b)
{
    sp_payback pb;
    if (sp_paired_payback(a, b, &pb) != 0)
        return row;
    xw_put_str(x, sh, row, 0, b->model.name, NULL, 1);
    xw_put_str(x, sh, row, 1, "Horizon total", NULL, 1);
    xw_put_str(x, sh, row, 2, "Incremental payback month P50", NULL, 1);
    if (!(pb.share_no_investment < 0.5))
        xw_put_str(x, sh, row, CMP_MEAN, "no investment", NULL, 0);
    else if (pb.p50 >= 0)
        xw_put_month(x, sh, row, CMP_MEAN, a->model.start + pb.p50, x->month);
    else
        xw_put_str(x, sh, row, CMP_MEAN, "never", NULL, 0);
    row++;
    xw_put_str(x, sh, row, 0, b->model.name, NULL, 1);
    xw_put_str(x, sh, row, 1, "Horizon total", NULL, 1);
    xw_put_str(x, sh, row, 2, "Trials never paid back", NULL, 1);
    /* a share, in the percentage format of the table's other ratios */
    xw_put_num(x, sh, row, CMP_MEAN, pb.share_never,
               xw_metric_vfmt(SP_M_COS, b->model.currency, 1));
    return row + 1;
}

/* The rows of b against a, every fiscal year both have and the horizon
 * total; at[k] gets the row of cmp_chart_metrics[k]'s horizon total (-1:
 * none).  Returns the next free row. */
static int compare_pair(xw *x, sheet *sh, int row, const sp_results *a,
                        const sp_results *b, int at[2])
{
    int na = sp_results_fiscal_count(a), nb = sp_results_fiscal_count(b);
    int nf = na < nb ? na : nb;
    at[0] = at[1] = -1;
    /* Revenue recognised as booked would repeat the bookings rows. */
    int rev_is_book = sp_results_revenue_is_bookings(a) &&
                      sp_results_revenue_is_bookings(b);
    for (int k = 0; k <= nf; k++) {
        int period = k < nf ? k : SP_PERIOD_TOTAL;
        const sp_period *pe =
            k < nf ? &a->periods[sp_results_fiscal_period(a, k)] : NULL;
        for (int f = 0; f < NCMP; f++) {
            int finite;
            if (cmp_metrics[f] == SP_M_REVENUE && rev_is_book)
                continue;
            if (!compare_row(x, sh, row, a, b, period, pe, cmp_metrics[f],
                             &finite))
                continue;
            for (int j = 0; j < 2; j++)
                if (!pe && finite && cmp_metrics[f] == cmp_chart_metrics[j])
                    at[j] = row;
            row++;
        }
    }
    return compare_payback(x, sh, row, a, b);
}

/* Chart data under the table, a contiguous block the chart's series can
 * refer to, each cell a reference to the table so that both stay in
 * step; then the chart beside the table. */
/* "+$1.2M (95%: -$0.3M to +$2.7M)": a bar's label with its interval. */
static void interval_label(double mean, double se, const char *cur,
                           char *buf, size_t size)
{
    char m[SP_FMT_MAX], lo[SP_FMT_MAX], hi[SP_FMT_MAX];
    sp_fmt_money(mean, cur, m, sizeof m);
    if (!isfinite(se)) {
        snprintf(buf, size, "%s%s", mean > 0 ? "+" : "", m);
        return;
    }
    sp_fmt_money(mean - 1.96 * se, cur, lo, sizeof lo);
    sp_fmt_money(mean + 1.96 * se, cur, hi, sizeof hi);
    snprintf(buf, size, "%s%s (95%%: %s to %s)", mean > 0 ? "+" : "", m, lo,
             hi);
}

/* Chart data under the table, a contiguous block the chart's series can
 * refer to, each cell a reference to the table so that both stay in
 * step, and the bars' labels with their intervals; then the chart beside
 * the table.  Returns the last row used. */
static int compare_chart(xw *x, sheet *sh, int row, int hrow,
                         const sp_results *const *rs, int n, int (*at)[2])
{
    const sp_results *a = rs[0];
    const char *cur = a->model.currency;
    char buf[256];
    xw_put_str(x, sh, row++, 0, "Chart data (horizon total, mean difference)",
               x->bold, 0);
    int drow = row;
    xw_put_str(x, sh, row, 0, "Scenario", x->head, 1);
    for (int k = 0; k < 2; k++) {
        xw_put_str(x, sh, row, 1 + k, sp_metric_label(cmp_chart_metrics[k]),
                   x->head_r, 1);
        snprintf(buf, sizeof buf, "%s label",
                 sp_metric_label(cmp_chart_metrics[k]));
        xw_put_str(x, sh, row, 3 + k, buf, x->head, 0);
    }
    row++;
    for (int i = 1; i < n; i++, row++) {
        xw_put_str(x, sh, row, 0, rs[i]->model.name, NULL, 1);
        for (int k = 0; k < 2; k++) {
            if (at[i][k] < 0)
                continue;
            char ref[32], fml[48];
            double mean, se;
            long used;
            int m = cmp_chart_metrics[k];
            sp_paired_diff(a, rs[i], SP_PERIOD_TOTAL, m, NULL, &mean, &se,
                           &used);
            lxw_rowcol_to_cell(ref, (lxw_row_t)at[i][k],
                               (lxw_col_t)CMP_MEAN);
            snprintf(fml, sizeof fml, "=%s", ref);
            xw_put_formula(x, sh, row, 1 + k, fml, mean,
                           xw_metric_vfmt(m, rs[i]->model.currency, 1));
            interval_label(mean, se, rs[i]->model.currency, buf, sizeof buf);
            xw_put_str(x, sh, row, 3 + k, buf, NULL, 0);
        }
    }
    snprintf(buf, sizeof buf, "Horizon total: mean difference against %s, "
             "with its 95%% interval", a->model.name);
    lxw_chart *c = xw_new_chart(x, LXW_CHART_COLUMN, buf);
    if (!c)
        return row;
    lxw_chart_data_label *labels = calloc((size_t)n, sizeof *labels);
    lxw_chart_data_label **lp = calloc((size_t)n, sizeof *lp);
    char (*refs)[2 * NAME_BYTES + 48] = calloc((size_t)n, sizeof *refs);
    char q[2 * NAME_BYTES + 3], cell[32];
    xw_quoted(sh->name, q, sizeof q);
    for (int k = 0; k < 2; k++) {
        lxw_chart_series *s = chart_add_series(c, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sh->name, (lxw_row_t)(drow + 1), 0,
                                    (lxw_row_t)(drow + n - 1), 0);
        chart_series_set_values(s, sh->name, (lxw_row_t)(drow + 1),
                                (lxw_col_t)(1 + k), (lxw_row_t)(drow + n - 1),
                                (lxw_col_t)(1 + k));
        chart_series_set_name(s, sp_metric_label(cmp_chart_metrics[k]));
        if (!labels || !refs || !lp)
            continue;
        /* libxlsxwriter 1.1.4 has no custom error bars: each bar's label
         * carries its interval instead, outside the bar's end (below a
         * negative one) so that it never sits on the bar. */
        for (int i = 1; i < n; i++) {
            lxw_rowcol_to_cell_abs(cell, (lxw_row_t)(drow + i),
                                   (lxw_col_t)(3 + k), 1, 1);
            snprintf(refs[i - 1], sizeof refs[i - 1], "=%s!%s", q, cell);
            labels[i - 1].value = refs[i - 1];
            lp[i - 1] = &labels[i - 1];
        }
        lp[n - 1] = NULL;
        chart_series_set_labels(s);
        xw_chk(x, chart_series_set_labels_custom(s, lp));
        chart_series_set_labels_position(s,
                                         LXW_CHART_LABEL_POSITION_OUTSIDE_END);
        lxw_chart_font lf = {.size = 8};
        chart_series_set_labels_font(s, &lf);
    }
    free(labels);
    free(lp);
    free(refs);
    xw_money_axis(c->y_axis, cur);
    snprintf(buf, sizeof buf, "Difference against %s (%s)", a->model.name,
             cur && *cur ? cur : "amount");
    xw_axis_title(c->y_axis, buf);
    /* The scenario names below the plot, clear of negative bars. */
    chart_axis_set_label_position(c->x_axis,
                                  LXW_CHART_AXIS_LABEL_POSITION_LOW);
    lxw_chart_options o = {0};
    o.x_scale = 1.4;
    o.y_scale = 1.3;
    xw_chk(x, worksheet_insert_chart_opt(sh->ws, (lxw_row_t)hrow,
                                         (lxw_col_t)(CMP_N + 2), c, &o));
    return row > hrow + 20 ? row : hrow + 20;
}

/* A long table (scenario, period, figure) of each scenario minus rs[0],
 * paired trial by trial, with the 95% interval as formulas over the mean
 * and standard error; then the horizon-total bookings and contribution
 * differences as chart data and a column chart of them.
 *
 * libxlsxwriter 1.1.4 has no custom error bars (only fixed, percentage,
 * standard deviation and standard error of the plotted values), so the
 * interval is in the table and in each bar's label. */
void xw_write_compare(xw *x, sheet *sh, const sp_results *const *rs, int n)
{
    int hrow = compare_header(x, sh, rs, n), row = hrow + 1;
    int (*at)[2] = malloc((size_t)n * sizeof *at);
    if (!at) {
        x->nomem = 1;
        return;
    }
    for (int i = 1; i < n; i++) {
        at[i][0] = at[i][1] = -1;
        if (sp_results_paired(rs[0], rs[i]))
            row = compare_pair(x, sh, row, rs[0], rs[i], at[i]);
    }
    if (row - 1 > hrow)
        xw_chk(x, worksheet_autofilter(sh->ws, (lxw_row_t)hrow, 0,
                                       (lxw_row_t)(row - 1),
                                       (lxw_col_t)CMP_N));
    int last = compare_chart(x, sh, row + 1, hrow, rs, n, at);
    free(at);
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 0);
    xw_apply_widths(sh, CMP_N + 1, 10);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    xw_print_area(x, sh, last, CMP_N + 2, 0, 700);
}

/* ---- the Sweep and Tornado sheets --------------------------------------- */

static vfmt unit_vfmt(sp_unit u, const char *cur)
{
    switch (u) {
    case SP_U_MONEY: return (vfmt){NF_MONEY, cur, 0};
    case SP_U_PERCENT: return (vfmt){NF_PCT2, NULL, 0};
    case SP_U_MULT: return (vfmt){NF_MULT, NULL, 0};
    default: return (vfmt){NF_PLAIN, NULL, 0};
    }
}

/* The number format of a chart axis that carries a metric's values. */
static void metric_axis(lxw_chart_axis *axis, int metric, const char *cur)
{
    vfmt vf = xw_metric_vfmt(metric, cur, 1);
    if (vf.kind == NF_MONEY)
        xw_money_axis(axis, cur);
    else
        chart_axis_set_num_format(axis, vf.kind == NF_PCT2 ? "0.0%"
                                                           : "#,##0.0");
}

/* The scenario analysed, and the trials and seed of the analysis: every
 * run in it used the same. */
static int runs_header(xw *x, sheet *sh, int row, const char *scenario,
                       int trials, unsigned long seed)
{
    xw_put_str(x, sh, row, 0, "Scenario", x->bold, 1);
    xw_put_str(x, sh, row++, 1, scenario, NULL, 0);
    xw_put_str(x, sh, row, 0, "Trials per run", x->bold, 1);
    xw_put_num(x, sh, row++, 1, trials, (vfmt){NF_WHOLE, NULL, 1});
    xw_put_str(x, sh, row, 0, "Seed", x->bold, 1);
    xw_put_num(x, sh, row++, 1, (double)seed, (vfmt){NF_PLAIN, NULL, 1});
    return row;
}

/* How the points of a sweep are laid out: np parameter columns, then
 * nstat statistics (P(target) alone, else P10 / P50 / P90 and mean). */
typedef struct {
    int np, pt, nstat, cs;
    int hrow, r0, r1;          /* header row, first and last point rows */
    vfmt mv;                   /* the metric's format */
} sweep_layout;

static const char *const sweep_stats[4] = {"P10", "P50", "P90", "Mean"};

/* The title, notes, runs and the table of points; fills L's rows and
 * returns the next free row. */
static int sweep_points(xw *x, sheet *sh, const sp_sweep *sw,
                        sweep_layout *L)
{
    char buf[512];
    int row = 0;

    snprintf(buf, sizeof buf, "Sweep of %s%s%s in %s: %s (%s)", sw->param[0],
             L->np == 2 ? " by " : "", L->np == 2 ? sw->param[1] : "",
             sw->scenario, sw->metric_name,
             strcmp(sw->period, "total") == 0 ? "horizon total" : sw->period);
    xw_put_str(x, sh, row++, 0, buf, x->title, 0);
    xw_put_str(x, sh, row++, 0,
               L->pt ? "Each point is a run with the parameters set to the "
                       "values shown and every other input as it is; the "
                       "share of trials that reach the target."
                     : "Each point is a run with the parameters set to the "
                       "values shown and every other input as it is; "
                       "percentiles and mean across its trials.", x->note, 0);
    xw_put_str(x, sh, row++, 0,
               "Every run uses the same trials and seed, so the random "
               "numbers are the same at every point: the curve's shape is "
               "the parameter's effect, not noise.", x->note, 0);
    row = runs_header(x, sh, row, sw->scenario, sw->trials, sw->seed);
    row++;

    L->hrow = row;
    for (int k = 0; k < L->np; k++)
        xw_put_str(x, sh, row, k, sw->param[k], x->head, 1);
    for (int k = 0; k < L->nstat; k++)
        xw_put_str(x, sh, row, L->cs + k, L->pt ? "P(target)"
                                                : sweep_stats[k],
                   x->head_r, 1);
    row++;
    L->r0 = row;
    for (long q = 0; q < (long)sw->n[0] * sw->n[1]; q++, row++) {
        const sp_sweep_point *p = &sw->points[q];
        for (int k = 0; k < L->np; k++)
            xw_put_num(x, sh, row, k, p->x[k],
                       unit_vfmt(sw->unit[k], sw->currency));
        const double v[4] = {p->p10, p->p50, p->p90, p->mean};
        for (int k = 0; k < L->nstat; k++)
            xw_put_num(x, sh, row, L->cs + k, L->pt ? p->p50 : v[k], L->mv);
    }
    L->r1 = row - 1;
    return row;
}

/* One parameter: a line chart of the statistics over it, P50 solid and
 * P10 / P90 dashed. */
static void sweep_line_chart(xw *x, sheet *sh, const sp_sweep *sw,
                             const sweep_layout *L)
{
    char buf[512];
    lxw_chart *c;
    snprintf(buf, sizeof buf, "%s over %s%s", sw->metric_name, sw->param[0],
             L->pt ? "" : ": P10 / P50 / P90");
    if (L->r1 < L->r0 || !(c = xw_new_chart(x, LXW_CHART_LINE, buf)))
        return;
    static const int order[3] = {1, 0, 2};   /* P50 first */
    for (int j = 0; j < (L->pt ? 1 : 3); j++) {
        int k = L->pt ? 0 : order[j];
        lxw_chart_series *s = chart_add_series(c, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sh->name, (lxw_row_t)L->r0, 0,
                                    (lxw_row_t)L->r1, 0);
        chart_series_set_values(s, sh->name, (lxw_row_t)L->r0,
                                (lxw_col_t)(L->cs + k), (lxw_row_t)L->r1,
                                (lxw_col_t)(L->cs + k));
        chart_series_set_name(s, L->pt ? "P(target)" : sweep_stats[k]);
        if (!L->pt && k != 1) {
            lxw_chart_line dash = {.dash_type = LXW_CHART_LINE_DASH_DASH,
                                   .width = 1.25};
            chart_series_set_line(s, &dash);
        }
    }
    chart_axis_set_name(c->x_axis, sw->param[0]);
    metric_axis(c->y_axis, sw->metric, sw->currency);
    xw_insert_chart(x, sh, L->hrow, L->cs + L->nstat + 1, 0, c);
}

/* Two parameters: the P50 (or P(target)) of each point in a table with
 * the first parameter down and the second across, each cell a reference
 * to its point's row; and a line chart with one line per second value. */
static void sweep_grid(xw *x, sheet *sh, int row, const sp_sweep *sw,
                       const sweep_layout *L)
{
    const char *what = L->pt ? "P(target)" : "P50";
    char buf[512];
    snprintf(buf, sizeof buf, "%s of %s: %s down, %s across", what,
             sw->metric_name, sw->param[0], sw->param[1]);
    xw_put_str(x, sh, row++, 0, buf, x->bold, 0);
    int grow = row;
    snprintf(buf, sizeof buf, "%s \\ %s", sw->param[0], sw->param[1]);
    xw_put_str(x, sh, row, 0, buf, x->head, 1);
    for (int j = 0; j < sw->n[1]; j++)
        xw_put_num(x, sh, row, 1 + j, sw->values[1][j],
                   unit_vfmt(sw->unit[1], sw->currency));
    row++;
    for (int i = 0; i < sw->n[0]; i++, row++) {
        xw_put_num(x, sh, row, 0, sw->values[0][i],
                   unit_vfmt(sw->unit[0], sw->currency));
        for (int j = 0; j < sw->n[1]; j++) {
            long q = (long)i * sw->n[1] + j;
            char ref[32], fml[48];
            lxw_rowcol_to_cell(ref, (lxw_row_t)(L->r0 + q),
                               (lxw_col_t)(L->cs + (L->pt ? 0 : 1)));
            snprintf(fml, sizeof fml, "=%s", ref);
            if (isfinite(sw->points[q].p50))
                xw_put_formula(x, sh, row, 1 + j, fml, sw->points[q].p50,
                               L->mv);
        }
    }
    snprintf(buf, sizeof buf, "%s of %s over %s, one line per %s", what,
             sw->metric_name, sw->param[0], sw->param[1]);
    lxw_chart *c;
    if (sw->n[0] <= 0 || !(c = xw_new_chart(x, LXW_CHART_LINE, buf)))
        return;
    for (int j = 0; j < sw->n[1]; j++) {
        lxw_chart_series *s = chart_add_series(c, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sh->name, (lxw_row_t)(grow + 1), 0,
                                    (lxw_row_t)(grow + sw->n[0]), 0);
        chart_series_set_values(s, sh->name, (lxw_row_t)(grow + 1),
                                (lxw_col_t)(1 + j),
                                (lxw_row_t)(grow + sw->n[0]),
                                (lxw_col_t)(1 + j));
        /* The legend shows the value as its header cell does. */
        chart_series_set_name_range(s, sh->name, (lxw_row_t)grow,
                                    (lxw_col_t)(1 + j));
    }
    chart_axis_set_name(c->x_axis, sw->param[0]);
    metric_axis(c->y_axis, sw->metric, sw->currency);
    int chart_col = L->cs + L->nstat + 1, gc = 1 + sw->n[1] + 1;
    xw_insert_chart(x, sh, L->hrow, chart_col > gc ? chart_col : gc, 0, c);
}

/* The points of the sweep, one row each (the parameters' values, then the
 * metric's P10 / P50 / P90 and mean), a line chart of them over the first
 * parameter; for a grid also a table of P50 with the first parameter down
 * and the second across, and a line chart with one line per value of the
 * second. */
void xw_write_sweep(xw *x, sheet *sh, const sp_sweep *sw)
{
    sweep_layout L = {0};
    L.np = sw->nparams == 2 ? 2 : 1;
    L.pt = sp_metric_is_prob(sw->metric);
    L.nstat = L.pt ? 1 : 4;
    L.cs = L.np;
    L.mv = xw_metric_vfmt(sw->metric, sw->currency, 1);
    int row = sweep_points(x, sh, sw, &L);
    if (L.np == 1)
        sweep_line_chart(x, sh, sw, &L);
    else
        sweep_grid(x, sh, row + 1, sw, &L);
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(L.hrow + 1), 0);
    int ncols = L.np == 2 && sw->n[1] + 1 > L.cs + L.nstat ? sw->n[1] + 1
                                                          : L.cs + L.nstat;
    xw_apply_widths(sh, ncols, 10);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    /* The chart stands beside the table, about 18 rows high. */
    int last = row + (L.np == 2 ? sw->n[0] + 3 : 0);
    xw_print_area(x, sh, last > L.hrow + 19 ? last : L.hrow + 19,
                  ncols > L.cs + L.nstat + 1 ? ncols + 1 : L.cs + L.nstat + 1,
                  0, 560);
}

/* Inputs the Tornado sheet shows: a chart of more bars than this reads
 * as a list, and the long tail moves the metric least. */
#define TORNADO_TOP 15

/* Columns of the Tornado table. */
enum { C_IN, C_VAL, C_LOW, C_HIGH, C_ML, C_MH, C_SW, C_DL, C_DH, C_CL,
       NCOL };

/* The title, notes, base, swing and runs above the table, and the table's
 * header.  stat is the statistic as the title shows it.  Returns the
 * header row; *base_row is the row of the base value. */
static int tornado_header(xw *x, sheet *sh, const sp_tornado *tn,
                          const char *stat, vfmt mv, int *base_row)
{
    static const char *const hdr[NCOL] = {"Input", "Value", "Low", "High",
                                          "At low", "At high", "Swing",
                                          "Low \xe2\x88\x92 base",
                                          "High \xe2\x88\x92 base",
                                          "Clamped"};
    char buf[512];
    int row = 0;

    snprintf(buf, sizeof buf, "Tornado of %s%s%s in %s (%s)",
             tn->metric_name, *stat ? " " : "", stat, tn->scenario,
             strcmp(tn->period, "total") == 0 ? "horizon total" : tn->period);
    xw_put_str(x, sh, row++, 0, buf, x->title, 0);
    snprintf(buf, sizeof buf,
             "Each input moved %.6g%% below and above its value, one at a "
             "time, every other input as it is; the same trials and seed in "
             "every run, so the bars show the inputs' effects rather than "
             "noise. Largest swing first.", tn->swing * 100);
    xw_put_str(x, sh, row++, 0, buf, x->note, 0);
    xw_put_str(x, sh, row++, 0,
               "Value, Low and High summarise the input (a distribution by "
               "its mean; a tier table as a factor, 1.00\xc3\x97 as it is). "
               "Clamped: an end that the parameter's range moved less.",
               x->note, 0);
    *base_row = row;
    xw_put_str(x, sh, row, 0, "Base", x->bold, 1);
    xw_put_num(x, sh, row++, 1, tn->base, mv);
    xw_put_str(x, sh, row, 0, "Swing", x->bold, 1);
    xw_put_num(x, sh, row++, 1, tn->swing, (vfmt){NF_PCTP, NULL, 1});
    row = runs_header(x, sh, row, tn->scenario, tn->trials, tn->seed);
    row++;

    for (int c = 0; c < NCOL; c++) {
        xw_put_str(x, sh, row, c, hdr[c],
                   c == C_IN ? x->head : c == C_CL ? x->head_ind : x->head_r,
                   1);
        /* Bold headers are wider than the estimate for plain text; a
         * right-aligned one would otherwise run into the left-aligned
         * "Clamped" beside it. */
        xw_fit(sh, c, sp_text_width(hdr[c]) * 1.25 + 3);
    }
    return row;
}

/* One input's row: its values, the metric at either end, and the swing
 * and the ends' changes from the base (at base_ref) as formulas. */
static void tornado_row(xw *x, sheet *sh, int row, const sp_tornado *tn,
                        const sp_tornado_bar *bar, const char *base_ref,
                        vfmt mv)
{
    char lo[32], hi[32], fml[96];
    vfmt uv = unit_vfmt(bar->unit, tn->currency);
    xw_put_str(x, sh, row, C_IN, bar->param, NULL, 1);
    xw_put_num(x, sh, row, C_VAL, bar->value, uv);
    xw_put_num(x, sh, row, C_LOW, bar->low, uv);
    xw_put_num(x, sh, row, C_HIGH, bar->high, uv);
    xw_put_num(x, sh, row, C_ML, bar->metric_low, mv);
    xw_put_num(x, sh, row, C_MH, bar->metric_high, mv);
    lxw_rowcol_to_cell(lo, (lxw_row_t)row, C_ML);
    lxw_rowcol_to_cell(hi, (lxw_row_t)row, C_MH);
    if (isfinite(bar->metric_low) && isfinite(bar->metric_high)) {
        snprintf(fml, sizeof fml, "=ABS(%s-%s)", hi, lo);
        xw_put_formula(x, sh, row, C_SW, fml,
                       fabs(bar->metric_high - bar->metric_low), mv);
    }
    if (isfinite(tn->base) && isfinite(bar->metric_low)) {
        snprintf(fml, sizeof fml, "=%s-%s", lo, base_ref);
        xw_put_formula(x, sh, row, C_DL, fml, bar->metric_low - tn->base, mv);
    }
    if (isfinite(tn->base) && isfinite(bar->metric_high)) {
        snprintf(fml, sizeof fml, "=%s-%s", hi, base_ref);
        xw_put_formula(x, sh, row, C_DH, fml, bar->metric_high - tn->base,
                       mv);
    }
    const char *cl = bar->clamped_low && bar->clamped_high ? "both"
                     : bar->clamped_low ? "low"
                     : bar->clamped_high ? "high" : "";
    if (*cl)
        xw_put_str(x, sh, row, C_CL, cl, x->indent, 1);
}

/* A bar chart of each input's ends as changes from the base, both ends on
 * one bar and the largest swing on top, below the table (rows hrow + 1 ..
 * last). */
static int tornado_chart(xw *x, sheet *sh, const sp_tornado *tn,
                         const char *stat, int hrow, int last, int at)
{
    char buf[512];
    lxw_chart *c;
    int nbars = last - hrow;
    snprintf(buf, sizeof buf, "%s%s%s: change from the base (top %d)",
             tn->metric_name, *stat ? " " : "", stat, nbars);
    if (nbars <= 0 || !(c = xw_new_chart(x, LXW_CHART_BAR, buf)))
        return at;
    for (int k = 0; k < 2; k++) {
        lxw_chart_series *s = chart_add_series(c, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sh->name, (lxw_row_t)(hrow + 1), C_IN,
                                    (lxw_row_t)last, C_IN);
        chart_series_set_values(s, sh->name, (lxw_row_t)(hrow + 1),
                                (lxw_col_t)(k ? C_DH : C_DL), (lxw_row_t)last,
                                (lxw_col_t)(k ? C_DH : C_DL));
        chart_series_set_name(s, k ? "Input high" : "Input low");
    }
    /* Both ends of an input on one bar, either side of the base. */
    chart_set_series_overlap(c, 100);
    chart_set_series_gap(c, 40);
    /* Excel draws the first category at the bottom of a bar chart;
     * reversed, the table's first row (the largest swing) is on top,
     * with the value axis kept below the bars. */
    chart_axis_set_reverse(c->y_axis);
    chart_axis_set_crossing_max(c->y_axis);
    chart_axis_set_label_position(c->y_axis,
                                  LXW_CHART_AXIS_LABEL_POSITION_LOW);
    metric_axis(c->x_axis, tn->metric, tn->currency);
    snprintf(buf, sizeof buf, "Change in %s%s%s from the base%s", tn->metric_name,
             *stat ? " " : "", stat,
             sp_metric_is_prob(tn->metric) ? "" : tn->currency[0] ? " (money)"
                                                                     : "");
    xw_axis_title(c->x_axis, buf);
    /* Printed, the chart starts a page rather than being cut. */
    lxw_row_t breaks[] = {(lxw_row_t)(at + 1), 0};
    xw_chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));
    lxw_chart_options o = {0};
    o.x_scale = 1.3;
    o.y_scale = nbars > 12 ? 1.15 + (nbars - 12) * 0.08 : 1.15;
    xw_chk(x, worksheet_insert_chart_opt(sh->ws, (lxw_row_t)(at + 1), 0, c,
                                         &o));
    return at + 1 + (int)(288 * o.y_scale / 20) + 2;
}

/* Below the top inputs: how many more moved the metric, by at most how
 * much, and which did not move it at all.  Returns the next free row. */
static int tornado_rest(xw *x, sheet *sh, int row, const sp_tornado *tn,
                        int rest, double rest_max, int none, vfmt mv)
{
    char buf[1024], v[SP_FMT_MAX];
    if (rest > 0) {
        if (mv.kind == NF_MONEY)
            sp_fmt_money(rest_max, tn->currency, v, sizeof v);
        else if (mv.kind == NF_PCT2 || mv.kind == NF_PCT)
            sp_fmt_percent(rest_max, 2, v, sizeof v);
        else
            sp_fmt_count(rest_max, 2, v, sizeof v);
        snprintf(buf, sizeof buf, "%d more input%s, each with a swing of at "
                 "most %s (the JSON and CSV exports list every input).",
                 rest, rest == 1 ? "" : "s", v);
        xw_put_str(x, sh, row++, 0, buf, x->note, 0);
    }
    if (none > 0) {
        size_t o = (size_t)snprintf(buf, sizeof buf, "%d input%s with no "
                                    "effect on the metric left out:", none,
                                    none == 1 ? "" : "s");
        for (int i = 0, k = 0; i < tn->nbars && o < sizeof buf - 1; i++) {
            const sp_tornado_bar *b = &tn->bars[i];
            if (fabs(b->metric_high - b->metric_low) > 0 ||
                (isfinite(b->metric_low) && (b->metric_low != tn->base ||
                                             b->metric_high != tn->base)))
                continue;
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s %s",
                                  k++ ? "," : "", b->param);
        }
        xw_put_str(x, sh, row++, 0, buf, x->note, 0);
    }
    return row;
}

/* One row per input, largest swing first as the tornado sorted them; the
 * swing and the bars' ends relative to the base as formulas; and a bar
 * chart of those ends, the largest swing at the top. */
void xw_write_tornado(xw *x, sheet *sh, const sp_tornado *tn)
{
    vfmt mv = xw_metric_vfmt(tn->metric, tn->currency, 1);
    char stat[sizeof tn->stat], base_ref[32];
    int base_row;

    /* "P50" as the other sheets write percentiles; "mean" stays. */
    snprintf(stat, sizeof stat, "%s", tn->stat);
    if (stat[0] == 'p')
        stat[0] = 'P';
    /* P(target) is a share of trials: it has no statistic to name. */
    if (sp_metric_is_prob(tn->metric))
        stat[0] = '\0';
    int hrow = tornado_header(x, sh, tn, stat, mv, &base_row);
    int row = hrow + 1, shown = 0, rest = 0, none = 0;
    double rest_max = 0;
    lxw_rowcol_to_cell_abs(base_ref, (lxw_row_t)base_row, 1, 1, 1);
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        double sw = fabs(b->metric_high - b->metric_low);
        if (!(sw > 0) && (!isfinite(b->metric_low) ||
                          (b->metric_low == tn->base &&
                           b->metric_high == tn->base))) {
            none++;
        } else if (shown < TORNADO_TOP) {
            tornado_row(x, sh, row++, tn, b, base_ref, mv);
            shown++;
        } else {
            rest++;
            rest_max = fmax(rest_max, sw);
        }
    }
    int last = row - 1;
    row = tornado_rest(x, sh, row, tn, rest, rest_max, none, mv);
    row = tornado_chart(x, sh, tn, stat, hrow, last, row);
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 1);
    xw_apply_widths(sh, NCOL, 10);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    xw_print_area(x, sh, row, NCOL, 640, 0);
}
