/* The workbook's sheet per scenario (header, monthly grid with yearly
 * formulas, chart data, charts, assumptions) and the Reps sheet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "salesplan/lang.h"
#include "salesplan/params.h"
#include "salesplan/rng.h"
#include "salesplan/table.h"

#include "xlsx_private.h"

static const sp_stat *mstat(const sp_results *r, int metric, int role, int t)
{
    int s = sp_series(r, metric, role);
    if (!r->present || s < 0 || s >= r->nseries || !r->present[s] ||
        t < 0 || t >= r->model.horizon)
        return NULL;
    return &r->monthly[(size_t)s * r->model.horizon + t];
}

/* ---- one sheet per scenario -------------------------------------------- */

/* Rows of one chart on a scenario sheet: the charts stand one under
 * another, each starting a printed page, so that none is cut by a page
 * break across or down. */
#define SCEN_BAND 19

/* Where the grid put the rows that names and charts refer to. */
typedef struct {
    int months_row, c0, c1;                  /* month header and columns */
    int p10[SP_M_NMONTHLY], p50[SP_M_NMONTHLY], p90[SP_M_NMONTHLY];
    int role_p50[SP_M_NMONTHLY][SP_MAX_ROLES];
    char role_label[SP_MAX_ROLES][120];      /* "Account executive (ae)" */
} grid_rows;

/* Series worth P10 and P90 rows next to their median; and those shown per
 * role under the team total. */
static int key_series(int m)
{
    return m == SP_M_HEADCOUNT || m == SP_M_BOOKINGS || m == SP_M_REVENUE ||
           m == SP_M_COST || m == SP_M_CONTRIBUTION;
}

static int per_role_series(int m)
{
    return m == SP_M_HEADCOUNT || m == SP_M_HIRES || m == SP_M_DEPARTURES ||
           m == SP_M_BOOKINGS || m == SP_M_BASE || m == SP_M_VARIABLE ||
           m == SP_M_COST;
}

static void write_param(xw *x, sheet *sh, int row, const sp_scenario *sc,
                        sp_pref p, const char *cur)
{
    const sp_param *par = &sp_params[p.param];
    char name[96];
    sp_pref_name(sc, p, name, sizeof name);
    xw_put_str(x, sh, row, 0, name, NULL, 1);
    const sp_value *v = sp_scenario_value(sc, p);
    /* A list of one number (one attrition rate, one target) is a number
     * to the reader too. */
    int one = (v->type == SP_T_NUMLIST ||
               (v->type == SP_T_RAMP && !v->flag)) && v->n == 1 && v->list;
    if (v->type == SP_T_NUM || v->type == SP_T_INT || one) {
        vfmt vf = {par->unit == SP_U_MONEY ? NF_MONEY
                   : par->unit == SP_U_PERCENT ? NF_PCTP : NF_PLAIN, cur, 1};
        xw_put_num(x, sh, row, 1, one ? v->list[0] : v->num, vf);
    } else if (v->type == SP_T_MONTH) {
        xw_put_month(x, sh, row, 1, (int)v->num, x->month_l);
    } else {
        char *t = sp_scenario_value_text(sc, p);
        if (!t) {
            x->nomem = 1;
            return;
        }
        xw_put_str(x, sh, row, 1, t, NULL, 1);
        free(t);
    }
    /* A distribution shows as one in the value itself; the unit column
     * says what it draws. */
    const char *u = par->unit ? sp_unit_name(par->unit)
                    : par->type == SP_T_ENUM ? "choice"
                    : par->type == SP_T_BOOL ? "on/off"
                    : par->type == SP_T_DIST ? "distribution" : "";
    xw_put_str(x, sh, row, 2, u, NULL, 0);
    xw_put_str(x, sh, row, 3, sp_scenario_is_set(sc, p) ? "set" : "default",
               NULL, 0);
    xw_put_str(x, sh, row, 4, par->help ? par->help : "", NULL, 0);
}

/* Every parameter that applies, global ones first, then per role; then the
 * scenario as statements to paste into a .plan file.  Returns the next
 * free row. */
static int write_assumptions(xw *x, sheet *sh, int row, const sp_scenario *sc,
                             const char *cur)
{
    xw_put_str(x, sh, row++, 0, "Assumptions", x->title, 0);
    if (!sc) {
        xw_put_str(x, sh, row++, 0,
                   "Not available: the scenario changed after this run "
                   "(run it again to export its assumptions).", x->note, 0);
        return row + 1;
    }
    static const char *const hdr[] = {"Parameter", "Value", "Unit",
                                      "Default?", "Description"};
    for (int c = 0; c < 5; c++)
        xw_put_str(x, sh, row, c, hdr[c], x->head, c < 2);
    row++;
    xw_put_str(x, sh, row++, 0, "Global", x->group, 0);
    for (int i = 0; i < sp_nparams; i++)
        if (sp_param_applies(sc, i, -1))
            write_param(x, sh, row++, sc, (sp_pref){i, -1}, cur);
    for (int r = 0; r < sc->nroles; r++) {
        char g[200];
        const sp_role *ro = &sc->roles[r];
        snprintf(g, sizeof g, "Role %s (%s)%s%s", ro->id, sp_kind_name(ro->kind),
                 ro->title && *ro->title ? ": " : "",
                 ro->title ? ro->title : "");
        xw_put_str(x, sh, row++, 0, g, x->group, 0);
        for (int i = 0; i < sp_nparams; i++)
            if (sp_param_applies(sc, i, r))
                write_param(x, sh, row++, sc, (sp_pref){i, r}, cur);
    }
    row++;
    xw_put_str(x, sh, row++, 0, "Scenario script (paste into a .plan file)",
               x->bold, 0);
    char *script = sp_scenario_script(sc);
    if (!script) {
        x->nomem = 1;
        return row;
    }
    for (char *line = script; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line)
            xw_put_str(x, sh, row, 0, line, NULL, 0);
        row++;
        if (!nl)
            break;
        line = nl + 1;
    }
    free(script);
    return row + 1;
}

static const char *const yearly_note =
    "Yearly and total columns of a percentile row are that percentile of "
    "each trial's period total, computed from the trials (a sum of monthly "
    "percentiles would be the percentile of nothing). Mean rows add the "
    "monthly means, which is exact, and stocks such as headcount take the "
    "period's last month, which is exact too: those cells are formulas.";

static const sp_stat *period_stat(const sp_results *r, int p, int metric,
                                  int role)
{
    int s = sp_series(r, metric, role);
    if (!r->ppresent || !r->pstats || p < 0 ||
        p >= r->nperiods + r->nquarters || s < 0 || s >= r->npseries ||
        !r->ppresent[s])
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

/* Percentile pct of a figure, or its mean (pct < 0). */
static double stat_of(const sp_stat *st, int pct)
{
    return !st ? NAN : pct < 0 ? st->mean : st->p[pct];
}

/* One yearly cell of a grid row: a formula where it is exact (a stock's
 * last month; the sum of the monthly means), otherwise the exact period
 * percentile as a value. */
static void grid_period_cell(xw *x, sheet *sh, const sp_results *r, int row,
                             int metric, int role, int pct, vfmt vf, int c0,
                             int p, const double *v)
{
    const sp_period *pe = &r->periods[p];
    int col = c0 + r->model.horizon + p;
    char a[32], b[32], f[80];
    if (sp_metric_is_stock(metric)) {
        if (!isfinite(v[pe->t1]))
            return;
        lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(c0 + pe->t1));
        snprintf(f, sizeof f, "=%s", a);
        xw_put_formula(x, sh, row, col, f, v[pe->t1], vf);
    } else if (pct < 0) {
        /* Excel's SUM skips empty cells, as this sum skips NaN. */
        double sum = 0;
        for (int t = pe->t0; t <= pe->t1; t++)
            if (isfinite(v[t]))
                sum += v[t];
        lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(c0 + pe->t0));
        lxw_rowcol_to_cell(b, (lxw_row_t)row, (lxw_col_t)(c0 + pe->t1));
        if (sp_metric_is_mean(metric)) {
            /* a level such as the support factor: the months' mean */
            int n = 0;
            for (int t = pe->t0; t <= pe->t1; t++)
                n += isfinite(v[t]) != 0;
            snprintf(f, sizeof f, "=AVERAGE(%s:%s)", a, b);
            xw_put_formula(x, sh, row, col, f, n ? sum / n : NAN, vf);
        } else {
            snprintf(f, sizeof f, "=SUM(%s:%s)", a, b);
            xw_put_formula(x, sh, row, col, f, sum, vf);
        }
    } else {
        xw_put_num(x, sh, row, col,
                   stat_of(period_stat(r, p, metric, role), pct), vf);
    }
}

/* One grid row: a monthly statistic (percentile pct, or the mean when
 * pct < 0) across the months, then each fiscal year and the total. */
static void grid_row(xw *x, sheet *sh, const sp_results *r, int row,
                     int metric, int role, int pct, const char *label,
                     const char *stat, vfmt vf, int c0)
{
    int h = r->model.horizon;
    double v[SP_MAX_HORIZON];

    xw_put_str(x, sh, row, 0, label, NULL, 1);
    xw_put_str(x, sh, row, 1, stat, NULL, 1);
    for (int t = 0; t < h && t < SP_MAX_HORIZON; t++)
        v[t] = stat_of(mstat(r, metric, role, t), pct);
    if (vf.kind == NF_COUNT)
        vf.kind = xw_count_kind(v, h < SP_MAX_HORIZON ? h : SP_MAX_HORIZON);
    for (int t = 0; t < h && t < SP_MAX_HORIZON; t++)
        xw_put_num(x, sh, row, c0 + t, v[t], vf);
    for (int p = 0; p < r->nperiods; p++) {
        const sp_period *pe = &r->periods[p];
        if (pe->t0 < 0 || pe->t1 >= h || pe->t0 > pe->t1)
            continue;
        /* A count summed over a year (hires, departures) is a count of
         * people, whole at every percentile. */
        vfmt pv = vf;
        if (pct >= 0 && sp_metric_kind_of(metric) == SP_MK_COUNT &&
            !sp_metric_is_stock(metric))
            pv.kind = NF_WHOLE;
        grid_period_cell(x, sh, r, row, metric, role, pct, pv, c0, p, v);
    }
}

static void period_header(const sp_period *pe, char *buf, size_t n)
{
    if (pe->is_total)
        snprintf(buf, n, "Total");
    else
        snprintf(buf, n, "%s%s", pe->label, pe->partial ? " (partial)" : "");
}

/* The support factor has no total: one P50 row per served role. */
static int support_rows(xw *x, sheet *sh, int row, const sp_results *r,
                        grid_rows *g, int c0)
{
    char label[128];
    int m = SP_M_SUPPORT_FACTOR;
    vfmt vf = xw_metric_vfmt(m, r->model.currency, 0);
    for (int i = 0; i < r->nroles && i < SP_MAX_ROLES; i++) {
        if (!mstat(r, m, i, 0))
            continue;
        snprintf(label, sizeof label, "%s: %s", sp_metric_label(m),
                 g->role_label[i]);
        grid_row(x, sh, r, row, m, i, SP_P50, label, "P50", vf, c0);
        g->role_p50[m][i] = row++;
    }
    return row;
}

/* The monthly grid from row on; fills g.  Returns the next free row. */
static int write_grid(xw *x, sheet *sh, int row, const sp_results *r,
                      grid_rows *g)
{
    int h = r->model.horizon, c0 = 2;
    const char *cur = r->model.currency;
    char label[128];

    for (int m = 0; m < SP_M_NMONTHLY; m++) {
        g->p10[m] = g->p50[m] = g->p90[m] = -1;
        for (int i = 0; i < SP_MAX_ROLES; i++)
            g->role_p50[m][i] = -1;
    }
    /* No title rows above the month header: the panes freeze below it,
     * and every frozen row is one fewer row of figures on the screen.
     * What the grid holds is a comment on its first cell, the note on
     * the yearly columns one on their header. */
    g->months_row = row;
    xw_put_note(x, sh, row, 0,
                "Monthly figures: P50 (median across trials) of each month; "
                "P10, P90 and mean rows for the key series; yearly and total "
                "columns are exact (see the note on their header).");
    g->c0 = c0;
    g->c1 = c0 + h - 1;
    xw_put_str(x, sh, row, 0, "Metric", x->head, 1);
    xw_put_str(x, sh, row, 1, "Statistic", x->head, 1);
    for (int t = 0; t < h; t++)
        xw_put_month(x, sh, row, c0 + t, r->model.start + t, x->month_head);
    for (int p = 0; p < r->nperiods; p++) {
        period_header(&r->periods[p], label, sizeof label);
        xw_put_str(x, sh, row, c0 + h + p, label, x->head_r, 1);
    }
    if (r->nperiods > 0)
        xw_put_note(x, sh, row, c0 + h, yearly_note);
    row++;

    for (int m = 0; m < SP_M_NMONTHLY; m++) {
        if (m == SP_M_SUPPORT_FACTOR) {
            row = support_rows(x, sh, row, r, g, c0);
            continue;
        }
        if (!mstat(r, m, -1, 0) ||
            (m == SP_M_REVENUE && sp_results_revenue_is_bookings(r)))
            continue;
        vfmt vf = xw_metric_vfmt(m, cur, 0);
        static const int order[4] = {SP_P50, SP_P10, SP_P90, -1};
        static const char *const names[4] = {"P50", "P10", "P90", "Mean"};
        for (int k = 0; k < (key_series(m) ? 4 : 1); k++) {
            grid_row(x, sh, r, row, m, -1, order[k],
                     k == 0 ? sp_metric_label(m) : "", names[k], vf, c0);
            if (k < 3)
                (k == 0 ? g->p50 : k == 1 ? g->p10 : g->p90)[m] = row;
            row++;
        }
        if (!per_role_series(m) || r->nroles < 2)
            continue;
        for (int i = 0; i < r->nroles && i < SP_MAX_ROLES; i++) {
            if (!mstat(r, m, i, 0))
                continue;
            snprintf(label, sizeof label, "  %s: %s", sp_metric_label(m),
                     g->role_label[i]);
            grid_row(x, sh, r, row, m, i, SP_P50, label, "P50", vf, c0);
            g->role_p50[m][i] = row++;
        }
    }
    return row;
}

/* A quarter's target and P(target) under its statistics, when the plan
 * has a target.  Returns the next free row. */
static int quarter_target_rows(xw *x, sheet *sh, int row,
                               const sp_results *r, int p0, int np)
{
    if (r->model.ntarget <= 0)
        return row;
    for (int j = 0; j < 2; j++, row++) {
        xw_put_str(x, sh, row, 0, j ? "P(bookings \xe2\x89\xa5 target)"
                                    : "Target", NULL, 1);
        xw_put_str(x, sh, row, 1, j ? "Share" : "Amount", NULL, 1);
        for (int c = 0; c < np; c++) {
            double v = j ? r->p_target[p0 + c] : sp_results_target(r, p0 + c);
            xw_put_num(x, sh, row, 2 + c, v,
                       (vfmt){j ? NF_PCT : NF_MONEY, r->model.currency, 0});
        }
    }
    return row;
}

/* The statistics of every key figure per fiscal year and the total (or,
 * quarters set, per fiscal quarter): mean, sd and P5 ... P95 of each
 * trial's period figure, as the JSON "periods" (or "quarters") hold
 * them.  Returns the next free row. */
static int write_period_stats(xw *x, sheet *sh, int row, const sp_results *r,
                              int quarters)
{
    int p0 = quarters ? r->nperiods : 0;
    int np = quarters ? r->nquarters : r->nperiods;
    static const int ms[] = {SP_M_BOOKINGS, SP_M_REVENUE, SP_M_COST,
                             SP_M_COS, SP_M_CONTRIBUTION, SP_M_HEADCOUNT,
                             SP_M_HIRES, SP_M_DEPARTURES, SP_M_ATTAINMENT};
    static const char *const names[2 + SP_NPCT] = {
        "Mean", "SD", "P5", "P10", "P25", "P50", "P75", "P90", "P95"};
    char label[128];
    xw_put_str(x, sh, row++, 0, quarters ? "Fiscal-quarter statistics"
                                         : "Fiscal-year statistics",
               x->title, 0);
    xw_put_str(x, sh, row++, 0,
               "Across trials of each trial's period figure (a stock at the "
               "period's end; cost of sales and attainment the period's "
               "ratio): exact, not sums of the monthly statistics.",
               x->note, 0);
    xw_put_str(x, sh, row, 0, "Figure", x->head, 1);
    xw_put_str(x, sh, row, 1, "Statistic", x->head, 1);
    for (int c = 0; c < np; c++) {
        period_header(&r->periods[p0 + c], label, sizeof label);
        xw_put_str(x, sh, row, 2 + c, label, x->head_r, 1);
    }
    row++;
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
        int m = ms[k];
        if (!period_stat(r, 0, m, -1) ||
            (m == SP_M_REVENUE && sp_results_revenue_is_bookings(r)))
            continue;
        vfmt vf = xw_metric_vfmt(m, r->model.currency, 0);
        for (int j = 0; j < 2 + SP_NPCT; j++, row++) {
            xw_put_str(x, sh, row, 0, j == 0 ? sp_metric_label(m) : "", NULL,
                       1);
            xw_put_str(x, sh, row, 1, names[j], NULL, 1);
            for (int c = 0; c < np; c++) {
                const sp_stat *st = period_stat(r, p0 + c, m, -1);
                double v = !st ? NAN : j == 0 ? st->mean
                           : j == 1 ? st->sd : st->p[j - 2];
                vfmt pv = vf;
                /* Counts of people at a percentile are whole. */
                if (j >= 2 && vf.kind == NF_COUNT && v == floor(v))
                    pv.kind = NF_WHOLE;
                xw_put_num(x, sh, row, 2 + c, v, pv);
            }
        }
    }
    return quarters ? quarter_target_rows(x, sh, row, r, p0, np) : row;
}

static void write_scenario_charts(xw *x, sheet *sh, int row,
                                  const sp_results *r, const grid_rows *g)
{
    const char *cur = r->model.currency;
    char title[160];
    int mr = g->months_row, c0 = g->c0, c1 = g->c1;
    lxw_chart *c;

    /* Bookings: the median bold, P10 and P90 thin either side, and the
     * team's quota as the reference a plan is measured against.  (A filled
     * fan would need a line over a stacked area, which libxlsxwriter 1.1.4
     * cannot combine in one chart.) */
    if (g->p50[SP_M_BOOKINGS] >= 0 &&
        (c = xw_new_chart(x, LXW_CHART_LINE,
                          "Bookings by month: P50 with P10 and P90, and quota"))) {
        static const struct {
            int stat;
            const char *name;
            uint32_t color;
            double width;
            uint8_t dash;
        } lines[] = {
            {SP_P90, "P90", 0x9DC3E6, 1.25, LXW_CHART_LINE_DASH_SOLID},
            {SP_P50, "P50 (median)", 0x1F4E79, 2.5, LXW_CHART_LINE_DASH_SOLID},
            {SP_P10, "P10", 0x9DC3E6, 1.25, LXW_CHART_LINE_DASH_SOLID},
        };
        for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
            int rr = lines[k].stat == SP_P50 ? g->p50[SP_M_BOOKINGS]
                     : lines[k].stat == SP_P10 ? g->p10[SP_M_BOOKINGS]
                                               : g->p90[SP_M_BOOKINGS];
            lxw_chart_series *s;
            if (rr < 0 ||
                !(s = xw_add_series(c, sh, lines[k].name, mr, c0, c1, rr, c0,
                                    c1)))
                continue;
            lxw_chart_line ln = {.color = lines[k].color,
                                 .width = lines[k].width,
                                 .dash_type = lines[k].dash};
            chart_series_set_line(s, &ln);
        }
        lxw_chart_series *q;
        if (g->p50[SP_M_QUOTA] >= 0 &&
            (q = xw_add_series(c, sh, "Quota (P50)", mr, c0, c1,
                               g->p50[SP_M_QUOTA], c0, c1))) {
            lxw_chart_line ln = {.color = 0xC00000, .width = 1.5,
                                 .dash_type = LXW_CHART_LINE_DASH_DASH};
            chart_series_set_line(q, &ln);
        }
        chart_axis_set_num_format(c->x_axis, "mmm yy");
        xw_money_axis(c->y_axis, cur);
        chart_axis_set_min(c->y_axis, 0);
        xw_axis_title(c->x_axis, "Month");
        snprintf(title, sizeof title, "Bookings per month (%s)",
                 cur && *cur ? cur : "amount");
        xw_axis_title(c->y_axis, title);
        xw_insert_chart(x, sh, row, 0, 0, c);
    }
    /* Headcount by role, stacked; the team total when there is one role. */
    if (g->p50[SP_M_HEADCOUNT] >= 0 &&
        (c = xw_new_chart(x, LXW_CHART_COLUMN_STACKED,
                          "Headcount by role (P50)"))) {
        int any = 0;
        for (int i = 0; i < r->nroles && i < SP_MAX_ROLES; i++)
            if (g->role_p50[SP_M_HEADCOUNT][i] >= 0) {
                xw_add_series(c, sh, g->role_label[i], mr, c0, c1,
                              g->role_p50[SP_M_HEADCOUNT][i], c0, c1);
                any = 1;
            }
        if (!any)
            xw_add_series(c, sh, "Headcount", mr, c0, c1,
                          g->p50[SP_M_HEADCOUNT], c0, c1);
        chart_set_series_gap(c, 40);
        chart_axis_set_num_format(c->x_axis, "mmm yy");
        xw_axis_title(c->x_axis, "Month");
        xw_axis_title(c->y_axis, "People (P50 at the month's end)");
        xw_insert_chart(x, sh, row + SCEN_BAND, 0, 0, c);
    }
    /* Cost build-up: the components that add up to cost. */
    static const int parts[] = {SP_M_BASE, SP_M_VARIABLE, SP_M_BURDEN,
                                SP_M_HIRING_COST, SP_M_OTHER_COST};
    if ((c = xw_new_chart(x, LXW_CHART_COLUMN_STACKED,
                          "Cost build-up by month (P50 of each part)"))) {
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
            if (g->p50[parts[k]] >= 0)
                xw_add_series(c, sh, sp_metric_label(parts[k]), mr, c0, c1,
                              g->p50[parts[k]], c0, c1);
        chart_set_series_gap(c, 40);
        chart_axis_set_num_format(c->x_axis, "mmm yy");
        xw_money_axis(c->y_axis, cur);
        xw_axis_title(c->x_axis, "Month");
        snprintf(title, sizeof title, "Cost per month (%s)",
                 cur && *cur ? cur : "amount");
        xw_axis_title(c->y_axis, title);
        xw_insert_chart(x, sh, row + 2 * SCEN_BAND, 0, 0, c);
    }
}

/* A label and its value side by side from column col. */
static void fact(xw *x, sheet *sh, int row, int col, const char *label)
{
    xw_put_str(x, sh, row, col, label, x->bold, col == 0);
}

/* The run in three rows above the grid, so that the frozen panes hold
 * little more than the month header.  Returns the next free row. */
static int scenario_facts(xw *x, sheet *sh, const sp_results *r,
                          const char *changed)
{
    const sp_model *m = &r->model;
    int row = 0;
    xw_put_str(x, sh, row++, 0, m->title[0] ? m->title : m->name, x->title, 0);
    fact(x, sh, row, 0, "Scenario");
    xw_put_str(x, sh, row, 1, m->name, NULL, 0);
    fact(x, sh, row, 3, "Trials");
    xw_put_num(x, sh, row, 4, r->trials, (vfmt){NF_WHOLE, NULL, 1});
    fact(x, sh, row, 5, "Seed");
    xw_put_num(x, sh, row, 6, (double)r->seed, (vfmt){NF_PLAIN, NULL, 1});
    fact(x, sh, row, 7, "Start");
    xw_put_month(x, sh, row, 8, m->start, x->month_l);
    fact(x, sh, row, 9, "Months");
    xw_put_num(x, sh, row, 10, m->horizon, (vfmt){NF_PLAIN, NULL, 1});
    fact(x, sh, row, 11, "Currency");
    xw_put_str(x, sh, row++, 12, m->currency[0] ? m->currency : "(none)",
               NULL, 0);
    fact(x, sh, row, 0, "Generator");
    xw_put_str(x, sh, row, 1, sp_rng_name(), NULL, 0);
    fact(x, sh, row, 7, "salesplan version");
    xw_put_str(x, sh, row++, 10, SP_VERSION, NULL, 0);
    if (changed) {
        size_t len = strlen(changed) * 2 + 200;
        char *t = malloc(len);
        if (!t) {
            x->nomem = 1;
            return row;
        }
        size_t o = (size_t)snprintf(t, len, "Results are from before `");
        for (const char *p = changed; *p && o + 3 < len; p++) {
            if (*p == '\n') {
                t[o++] = ';';
                t[o++] = ' ';
            } else {
                t[o++] = *p;
            }
        }
        snprintf(t + o, len - o, "`: the assumptions below are those of "
                 "the run, not the scenario as it is now.");
        xw_put_str(x, sh, row++, 0, t, x->warn, 0);
        free(t);
    }
    if (r->interrupted)
        xw_put_str(x, sh, row++, 0, "Interrupted: these results cover only the "
                   "trials run before the stop.", x->bold, 0);
    return row;
}

void xw_write_scenario_sheet(xw *x, sheet *sh, const sp_scenario *sc,
                             const char *changed, const sp_results *r,
                             const char *prefix)
{
    const sp_model *m = &r->model;
    char buf[256];

    /* Order: the run's facts, the monthly grid (what a reader opens the
     * sheet for, with the panes frozen on its labels and month header),
     * the fiscal-year statistics, the charts, and last the long
     * assumptions block. */
    int row = scenario_facts(x, sh, r, changed);
    int links_row = row++;

    grid_rows *g = malloc(sizeof *g);
    if (!g) {
        x->nomem = 1;
        return;
    }
    for (int i = 0; i < r->nroles && i < SP_MAX_ROLES; i++) {
        const char *id = r->model.roles[i].id;
        int k = sc ? sp_role_find(sc, id) : -1;
        if (k >= 0 && sc->roles[k].title && sc->roles[k].title[0])
            snprintf(g->role_label[i], sizeof g->role_label[i], "%s (%s)",
                     sc->roles[k].title, id);
        else
            snprintf(g->role_label[i], sizeof g->role_label[i], "%s", id);
    }
    row = write_grid(x, sh, row, r, g);
    int stats_row = row + 1;
    row = write_period_stats(x, sh, stats_row, r, 0) + 1;
    int quarters_row = row;
    if (r->nquarters > 0)
        row = write_period_stats(x, sh, quarters_row, r, 1) + 1;
    int charts_row = row;
    xw_put_str(x, sh, row, 0, "Charts", x->title, 0);
    write_scenario_charts(x, sh, row + 1, r, g);
    row += 1 + 3 * SCEN_BAND;
    int assumptions_row = row;
    row = write_assumptions(x, sh, row, sc, m->currency);
    int last_row = row;
    /* Printed, the statistics, each chart and the assumptions start a
     * page of their own rather than being cut by a page break. */
    lxw_row_t breaks[] = {(lxw_row_t)stats_row, (lxw_row_t)quarters_row,
                          (lxw_row_t)charts_row,
                          (lxw_row_t)(charts_row + 1 + SCEN_BAND),
                          (lxw_row_t)(charts_row + 1 + 2 * SCEN_BAND),
                          (lxw_row_t)assumptions_row, 0};
    xw_chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));

    char q[2 * NAME_BYTES + 3], url[3 * NAME_BYTES];
    xw_quoted(sh->name, q, sizeof q);
    xw_put_str(x, sh, links_row, 0, "See also", x->bold, 1);
    snprintf(url, sizeof url, "internal:%s!A%d", q, charts_row + 1);
    snprintf(buf, sizeof buf, "Charts (row %d)", charts_row + 1);
    xw_chk(x, worksheet_write_url_opt(sh->ws, (lxw_row_t)links_row, 1, url,
                                      x->link, buf, NULL));
    snprintf(url, sizeof url, "internal:%s!A%d", q, assumptions_row + 1);
    snprintf(buf, sizeof buf, "Assumptions (row %d)", assumptions_row + 1);
    xw_chk(x, worksheet_write_url_opt(sh->ws, (lxw_row_t)links_row, 3, url,
                                      x->link, buf, NULL));

    /* Names a user can type instead of ranges, e.g. baseline_bookings_p50. */
    static const int named[] = {SP_M_BOOKINGS, SP_M_REVENUE, SP_M_COST,
                                SP_M_CONTRIBUTION, SP_M_HEADCOUNT};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        char what[48];
        for (int s = 0; s < 3; s++) {
            const int *rows = s == 0 ? g->p50 : s == 1 ? g->p10 : g->p90;
            if (rows[named[k]] < 0)
                continue;
            snprintf(what, sizeof what, "%s_%s", sp_metric_name(named[k]),
                     s == 0 ? "p50" : s == 1 ? "p10" : "p90");
            xw_define_range(x, prefix, what, sh, rows[named[k]], g->c0,
                            rows[named[k]], g->c1);
        }
    }
    xw_define_range(x, prefix, "months", sh, g->months_row, g->c0,
                    g->months_row, g->c1);
    int ncols = g->c1 + 1 + r->nperiods, months_row = g->months_row;
    free(g);

    worksheet_freeze_panes(sh->ws, (lxw_row_t)(months_row + 1), 2);
    xw_apply_widths(sh, ncols, 9);
    /* The frozen label columns stay narrow enough to leave the screen to
     * the months; a longer label is cut at the edge, its cell holds it. */
    if (sh->width[0] > 30)
        sh->width[0] = 30;
    worksheet_set_column(sh->ws, 0, 0, sh->width[0], NULL);
    xw_print_area(x, sh, last_row, ncols, 560, 0);
    /* Printed (or converted to PDF), each page repeats the labels and
     * shows about twenty columns. */
    worksheet_set_landscape(sh->ws);
    xw_chk(x, worksheet_repeat_columns(sh->ws, 0, 1));
    worksheet_fit_to_pages(sh->ws, (uint16_t)(1 + (ncols - 2) / 20), 0);
}

/* ---- the Reps sheet ----------------------------------------------------- */

static const sp_rep_stats *rep_total(const sp_results *r, const char *id)
{
    int role = xw_role_index(r, id), p = sp_results_total_period(r);
    if (!r->reps || role < 0 || p < 0)
        return NULL;
    return &r->reps[(size_t)p * r->nroles + role];
}

/* Histograms of the Reps sheet: a chart is about this many rows high at
 * its default size, and two sit side by side. */
#define REPS_CHART_ROWS 16
#define REPS_CHART_W 480

static const sp_rep_hist *rep_hist(const sp_results *r, const char *id,
                                   int attainment)
{
    const sp_rep_stats *st = rep_total(r, id);
    if (!st)
        return NULL;
    const sp_rep_hist *h = attainment ? &st->attainment_hist
                                      : &st->earnings_hist;
    return h->nbins > 0 && h->edges && h->share ? h : NULL;
}

static int same_edges(const sp_rep_hist *a, const sp_rep_hist *b)
{
    if (a->nbins != b->nbins)
        return 0;
    for (int k = 0; k <= a->nbins; k++)
        if (a->edges[k] != b->edges[k])
            return 0;
    return 1;
}

/* "120-130%", "≥ 200%", "¥28,000-29,000", "< ¥28,000". */
static void bin_label(const sp_rep_hist *h, int k, int pct, const char *cur,
                      char *buf, size_t size)
{
    double lo = h->edges[k], hi = h->edges[k + 1];
    char a[SP_FMT_MAX], b[SP_FMT_MAX];
    if (pct) {
        snprintf(a, sizeof a, "%.4g", lo * 100);
        snprintf(b, sizeof b, "%.4g", hi * 100);
    } else {
        sp_fmt_money(lo, cur, a, sizeof a);
        sp_fmt_count(hi, 0, b, sizeof b);
    }
    if (!isfinite(lo)) {
        if (!pct)
            sp_fmt_money(hi, cur, b, sizeof b);
        snprintf(buf, size, "< %s%s", b, pct ? "%" : "");
    } else if (!isfinite(hi)) {
        snprintf(buf, size, "\xe2\x89\xa5 %s%s", a, pct ? "%" : "");
    } else {
        snprintf(buf, size, "%s\xe2\x80\x93%s%s", a, b, pct ? "%" : "");
    }
}

/* One histogram table: a title, then Bin (label), From (the lower edge as
 * a number) and a share column per run in runs[0..nr).  The chart takes
 * one series per run.  Returns the next free row. */
static int hist_table(xw *x, sheet *sh, int row, const char *title,
                      const sp_rep_hist *const *hs, const sp_results *const *runs,
                      int nr, int pct, lxw_chart *c)
{
    const sp_rep_hist *h = hs[0];
    const char *cur = runs[0]->model.currency;
    char label[2 * SP_FMT_MAX + 8];
    xw_put_str(x, sh, row++, 0, title, x->bold, 0);
    xw_put_str(x, sh, row, 0, "Bin", x->head, 1);
    xw_put_str(x, sh, row, 1, "From", x->head_r, 1);
    for (int s = 0; s < nr; s++)
        xw_put_str(x, sh, row, 2 + s, nr > 1 ? runs[s]->model.name : "Share",
                   x->head_r, 1);
    int hrow = row++;
    for (int k = 0; k < h->nbins; k++, row++) {
        bin_label(h, k, pct, cur, label, sizeof label);
        xw_put_str(x, sh, row, 0, label, NULL, 1);
        xw_put_num(x, sh, row, 1, h->edges[k],
                   (vfmt){pct ? NF_PCT : NF_MONEY, cur, 0});
        for (int s = 0; s < nr; s++)
            xw_put_num(x, sh, row, 2 + s, hs[s]->share[k],
                       (vfmt){NF_PCT, NULL, 0});
    }
    for (int s = 0; c && s < nr; s++) {
        lxw_chart_series *se = chart_add_series(c, NULL, NULL);
        if (!se)
            continue;
        chart_series_set_categories(se, sh->name, (lxw_row_t)(hrow + 1), 0,
                                    (lxw_row_t)(row - 1), 0);
        chart_series_set_values(se, sh->name, (lxw_row_t)(hrow + 1),
                                (lxw_col_t)(2 + s), (lxw_row_t)(row - 1),
                                (lxw_col_t)(2 + s));
        chart_series_set_name(se, runs[s]->model.name);
    }
    return row + 1;
}

/* A histogram's column chart, to place with place_hist_chart once its
 * series are added. */
static lxw_chart *hist_chart(xw *x, const char *title, int single)
{
    lxw_chart *c = xw_new_chart(x, LXW_CHART_COLUMN, title);
    if (!c)
        return NULL;
    /* Bars that touch read as a distribution; with several scenarios a
     * small gap keeps each bin's group apart. */
    chart_set_series_gap(c, single ? 0 : 15);
    chart_axis_set_num_format(c->y_axis, "0%");
    chart_axis_set_min(c->y_axis, 0);
    chart_axis_set_num_font(c->x_axis, &(lxw_chart_font){.rotation = -45});
    if (single)
        chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
    return c;
}

/* The k-th chart of the grid of two per band that starts at row crow. */
static void place_hist_chart(xw *x, sheet *sh, lxw_chart *c, int k, int crow)
{
    if (!c)
        return;
    lxw_chart_options o = {0};
    o.x_offset = (k % 2) * (REPS_CHART_W + 16);
    o.y_offset = 4;
    xw_chk(x, worksheet_insert_chart_opt(sh->ws,
                                         (lxw_row_t)(crow + (k / 2) *
                                                     REPS_CHART_ROWS),
                                      0, c, &o));
}

/* Columns of the Reps table: percentiles, mean, at quota, at OTE. */
enum { REPS_CPER = 4, REPS_CP, REPS_CMEAN = REPS_CP + SP_NPCT, REPS_CQ,
       REPS_CO };

/* The pay period a role's records are settled over. */
static const char *pay_period(const sp_results *r, const char *role)
{
    int i = xw_role_index(r, role);
    int m = i < 0 ? 0 : r->model.roles[i].comp.period;
    return m == 1 ? "month" : m == 3 ? "quarter" : m == 12 ? "year" : "";
}

/* One row of the Reps table: a role's attainment (meas 0), earnings (1)
 * or annual earnings of whole periods (2) in one run.  Returns 1, or 0
 * when the run has no such records. */
static int reps_row(xw *x, sheet *sh, int row, const sp_results *r,
                    const char *role, int meas)
{
    const sp_rep_stats *st = rep_total(r, role);
    if (!st || st->records == 0 || (meas == 0 && st->defined == 0) ||
        (meas == 2 && st->earnings_annual.n == 0))
        return 0;
    static const char *const names[] = {"Attainment", "Earnings",
                                         "Annual earnings"};
    const sp_stat *d = meas == 0 ? &st->attainment
                     : meas == 1 ? &st->earnings : &st->earnings_annual;
    long count = meas == 0 ? st->defined
               : meas == 1 ? st->records : st->earnings_annual.n;
    vfmt vf = {meas == 0 ? NF_PCT : NF_MONEY, r->model.currency, 0};
    xw_put_str(x, sh, row, 0, role, NULL, 1);
    xw_put_str(x, sh, row, 1, r->model.name, NULL, 1);
    xw_put_str(x, sh, row, 2, names[meas], NULL, 1);
    xw_put_num(x, sh, row, 3, (double)count, (vfmt){NF_WHOLE, NULL, 0});
    xw_put_str(x, sh, row, REPS_CPER, pay_period(r, role), x->indent, 1);
    for (int k = 0; k < SP_NPCT; k++)
        xw_put_num(x, sh, row, REPS_CP + k, d->p[k], vf);
    xw_put_num(x, sh, row, REPS_CMEAN, d->mean, vf);
    if (meas == 0)
        xw_put_num(x, sh, row, REPS_CQ, st->share_at_quota,
                   (vfmt){NF_PCT, NULL, 0});
    else if (meas == 1 && xw_has_incentive(r, xw_role_index(r, role)))
        xw_put_num(x, sh, row, REPS_CO, st->share_at_ote,
                   (vfmt){NF_PCT, NULL, 0});
    return 1;
}

/* The title and note of the distributions, the rows the charts take and
 * their page breaks, from row on.  Returns the first chart row; *next is
 * the row the histogram tables start at. */
static int reps_chart_room(xw *x, sheet *sh, int row, int ncharts, int *next)
{
    int top = row;
    xw_put_str(x, sh, row++, 0, "Distributions over the whole horizon",
               x->title, 0);
    xw_put_str(x, sh, row++, 0,
               "Share of the records in each bin. Attainment in 10-point "
               "bins; earnings in bins of a round width across the "
               "records' 1st to 99th percentile, with an open bin at an "
               "end when records fall beyond it. The data is below the "
               "charts.", x->note, 0);
    int crow = row, bands = (ncharts + 1) / 2;
    row = crow + bands * REPS_CHART_ROWS + 1;
    /* A page break before the section and after every second band
     * of charts; landscape, two bands fill a page. */
    lxw_row_t breaks[64];
    int nb = 0;
    breaks[nb++] = (lxw_row_t)top;
    for (int b = 2; b < bands && nb < 62; b += 2)
        breaks[nb++] = (lxw_row_t)(crow + b * REPS_CHART_ROWS);
    breaks[nb++] = (lxw_row_t)(row - 1);
    breaks[nb] = 0;
    xw_chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));
    *next = row;
    return crow;
}

/* The percentile table of every role and scenario: attainment and
 * earnings, with the shares at quota and at OTE.  Returns the next free
 * row. */
static int reps_table(xw *x, sheet *sh, const sp_results *const *rs, int n,
                      const char *const *roles, int nroles)
{
    static const char *const hdr[] = {"Role", "Scenario", "Measure",
                                      "Records"};
    static const char *const pct_hdr[SP_NPCT] = {"P5", "P10", "P25", "P50",
                                                 "P75", "P90", "P95"};
    int row = 0;

    xw_put_str(x, sh, row++, 0, "Rep outcomes over the whole horizon",
               x->title, 0);
    xw_put_str(x, sh, row++, 0,
               "Every employee's settled pay periods across all trials, one "
               "record each. Attainment = bookings / quota of the period; "
               "earnings = base and all variable pay of the period, so a "
               "quarterly role's earnings are three months' pay (the Pay "
               "period column says which); annual earnings = earnings x 12 / "
               "months of the records of a whole period worked throughout "
               "(what a person on the plan earns in a year).", x->note, 0);
    xw_put_str(x, sh, row++, 0,
               "At quota: records with attainment of at least 100% (a "
               "manager's is its team's). At OTE: records whose earnings "
               "reach base + target incentive + bonus for the months worked "
               "(blank for a role without a target).", x->note, 0);
    int hrow = ++row;
    for (int c = 0; c < 4; c++)
        xw_put_str(x, sh, row, c, hdr[c], c == 3 ? x->head_r : x->head, 1);
    xw_put_str(x, sh, row, REPS_CPER, "Pay period", x->head_ind, 1);
    for (int k = 0; k < SP_NPCT; k++)
        xw_put_str(x, sh, row, REPS_CP + k, pct_hdr[k], x->head_r, 1);
    xw_put_str(x, sh, row, REPS_CMEAN, "Mean", x->head_r, 1);
    xw_put_str(x, sh, row, REPS_CQ, "At quota", x->head_r, 1);
    xw_put_str(x, sh, row, REPS_CO, "At OTE", x->head_r, 1);
    row++;

    for (int i = 0; i < nroles; i++) {
        for (int meas = 0; meas < 3; meas++)
            for (int s = 0; s < n; s++)
                row += reps_row(x, sh, row, rs[s], roles[i], meas);
        row++;
    }
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 3);
    return row;
}

/* The histogram charts of every role, counted first to leave their room:
 * attainment with one series per scenario whose bins agree, earnings one
 * chart per scenario.  Returns the next free row, or -1 when memory ran
 * out. */
static int reps_histograms(xw *x, sheet *sh, int row,
                           const sp_results *const *rs, int n,
                           const char *const *roles, int nroles)
{
    const sp_rep_hist **hs = malloc((size_t)n * sizeof *hs);
    const sp_results **runs = malloc((size_t)n * sizeof *runs);
    char title[256];
    if (!hs || !runs) {
        free(hs);
        free(runs);
        return -1;
    }
    int ncharts = 0;
    for (int i = 0; i < nroles; i++) {
        int att = 0;
        for (int s = 0; s < n; s++) {
            att |= rep_hist(rs[s], roles[i], 1) != NULL;
            ncharts += rep_hist(rs[s], roles[i], 0) != NULL;
        }
        ncharts += att;
    }
    int crow = ncharts > 0 ? reps_chart_room(x, sh, row + 1, ncharts, &row)
                           : 0;
    for (int i = 0, k = 0; ncharts > 0 && i < nroles; i++) {
        int nr = 0;
        for (int s = 0; s < n; s++) {
            const sp_rep_hist *h = rep_hist(rs[s], roles[i], 1);
            if (h && (nr == 0 || same_edges(hs[0], h))) {
                hs[nr] = h;
                runs[nr++] = rs[s];
            }
        }
        if (nr > 0) {
            snprintf(title, sizeof title, "Attainment of %s", roles[i]);
            lxw_chart *c = hist_chart(x, title, nr == 1);
            row = hist_table(x, sh, row, title, hs, runs, nr, 1, c);
            place_hist_chart(x, sh, c, k++, crow);
        }
        for (int s = 0; s < n; s++) {
            const sp_rep_hist *h = rep_hist(rs[s], roles[i], 0);
            if (!h)
                continue;
            snprintf(title, sizeof title, "Earnings of %s: %s", roles[i],
                     rs[s]->model.name);
            lxw_chart *c = hist_chart(x, title, 1);
            hs[0] = h;
            runs[0] = rs[s];
            row = hist_table(x, sh, row, title, hs, runs, 1, 0, c);
            place_hist_chart(x, sh, c, k++, crow);
        }
    }
    free(hs);
    free(runs);
    return row;
}

/* The percentile table of every role and scenario; then per role the
 * histograms: attainment with one series per scenario (the bins are the
 * same for all), earnings one chart per scenario (each run has bins of its
 * own range).  The charts come first, two per band of rows so that a
 * printed page holds them whole; their data follows. */
void xw_write_reps(xw *x, sheet *sh, const sp_results *const *rs, int n)
{
    const char *roles[MAX_UROLES];
    int nroles = xw_union_roles(rs, n, roles);
    int row = reps_table(x, sh, rs, n, roles, nroles);
    if ((row = reps_histograms(x, sh, row, rs, n, roles, nroles)) < 0) {
        x->nomem = 1;
        return;
    }
    xw_apply_widths(sh, REPS_CO + 1, 9);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    xw_print_area(x, sh, row < 0 ? 0 : row, REPS_CO + 1,
                  2 * REPS_CHART_W + 40, 0);
}
