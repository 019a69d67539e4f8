/* The workbook's Summary: what a finance reader takes in first.  A
 * headline block per fiscal year (target, P(target), bookings, cost of
 * sales, contribution, headcount) with each scenario's paired difference
 * to the first and its 95% interval; the bookings distribution of every
 * fiscal year as S-curves with the target marked; the assumptions that
 * differ between the scenarios; then the full table of P10 / P50 / P90
 * by fiscal year, payback and the runs themselves. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "salesplan/params.h"
#include "salesplan/rng.h"
#include "salesplan/stats.h"
#include "salesplan/table.h"

#include "xlsx_private.h"

/* Rows a band of charts takes on the Summary (a chart at 1.15 times its
 * default height is about 17 rows), two charts abreast. */
#define SUMMARY_BAND 18

static const sp_stat *pstat(const sp_results *r, int p, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (!r->ppresent || p < 0 || p >= r->nperiods || s < 0 ||
        s >= r->npseries || !r->ppresent[s])
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

/* ---- the Summary sheet ------------------------------------------------- */

/* A fiscal year (or the horizon total) across scenarios, which may differ
 * in start, horizon and fiscal year. */
typedef struct {
    int fy, total, partial;
} uperiod;

static int find_period(const sp_results *r, const uperiod *u)
{
    for (int p = 0; p < r->nperiods; p++) {
        const sp_period *pe = &r->periods[p];
        if (u->total ? pe->is_total
                     : !pe->is_total && pe->fiscal_year == u->fy)
            return p;
    }
    return -1;
}

enum { F_STAT, F_PTARGET, F_AT_QUOTA, F_AT_OTE, F_PTARGET_Q, F_PBUDGET };

/* P(target) of fiscal quarter qn (1..4) of the fiscal year p; NaN when
 * the quarter is outside the horizon or has no target. */
static double quarter_p_target(const sp_results *r, int p, int qn)
{
    for (int k = 0; r->p_target && k < sp_results_quarter_count(r); k++) {
        int q = sp_results_quarter_period(r, k);
        if (r->periods[q].fiscal_year == r->periods[p].fiscal_year &&
            r->periods[q].quarter == qn)
            return r->p_target[q];
    }
    return NAN;
}

/* Without a target incentive, a rate or a bonus a role has no target
 * (MODEL.md 5) and no at-OTE share. */
int xw_has_incentive(const sp_results *r, int role)
{
    const sp_comp_plan *c = &r->model.roles[role].comp;
    return c->ti != 0 || (c->has_rate && c->rate != 0) || c->bonus != 0;
}

/* What one Summary row shows for each scenario. */
typedef struct {
    int kind, metric, pct;
    const char *role;          /* role id; NULL for the team */
} figure;

static double figure_value(const sp_results *r, int p, const figure *f)
{
    int role = -1;
    if (p < 0)
        return NAN;
    if (f->role && (role = xw_role_index(r, f->role)) < 0)
        return NAN;
    switch (f->kind) {
    case F_STAT: {
        const sp_stat *st = pstat(r, p, f->metric, role);
        return st ? st->p[f->pct] : NAN;
    }
    case F_PTARGET:
        return r->p_target ? r->p_target[p] : NAN;
    case F_PTARGET_Q:
        return r->periods[p].is_total ? NAN : quarter_p_target(r, p, f->pct);
    case F_PBUDGET:
        return r->p_budget && !r->periods[p].is_total ? r->p_budget[p] : NAN;
    default: {
        if (!r->reps || role < 0)
            return NAN;
        const sp_rep_stats *rs = &r->reps[(size_t)p * r->nroles + role];
        if (rs->records == 0 ||
            (f->kind == F_AT_OTE && !xw_has_incentive(r, role)))
            return NAN;
        return f->kind == F_AT_QUOTA ? rs->share_at_quota : rs->share_at_ote;
    }
    }
}

typedef struct {
    const sp_results *const *rs;
    int n;
    sheet *sh;
    int diff_c0;               /* first difference column; -1 when n == 1 */
    double *v;                 /* [n] scratch */
    const xw_runs *R;
} summary;

/* Decimals a format shows of the value itself (a share's 0.0% is three
 * decimals of the fraction). */
static int shown_decimals(numfmt nf)
{
    switch (nf) {
    case NF_PCT: return 3;
    case NF_PCT2: return 4;
    case NF_COUNT: return 1;
    case NF_COUNT2: case NF_MULT: return 2;
    case NF_PCTP: return 5;
    case NF_MONEY: case NF_WHOLE: return 0;
    case NF_PTS: return 1;
    case NF_PLAIN: break;
    }
    return 9;
}

/* Marks the best of the scenario cells B..(n) of a row: the highest
 * (better > 0) or the lowest.  A plain top-1 rule would light up every
 * cell of a row where all scenarios tie, which says nothing, and a row
 * whose values differ only beyond the decimals shown would mark a
 * difference the reader cannot see; so the rule is a formula that
 * compares the values as shown and asks for the row to differ. */
static void mark_best(xw *x, sheet *sh, int row, int n, int better,
                      numfmt nf)
{
    char first[32], range[64], fml[400];
    int d = shown_decimals(nf);
    lxw_rowcol_to_range_abs(range, (lxw_row_t)row, 1, (lxw_row_t)row,
                            (lxw_col_t)n);
    lxw_rowcol_to_cell(first, (lxw_row_t)row, 1);
    snprintf(fml, sizeof fml,
             "=AND(ISNUMBER(%s),ROUND(%s,%d)=ROUND(%s(%s),%d),"
             "ROUND(MAX(%s),%d)<>ROUND(MIN(%s),%d))", first, first, d,
             better > 0 ? "MAX" : "MIN", range, d, range, d, range, d);
    lxw_conditional_format cf = {0};
    cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
    cf.value_string = fml;
    cf.format = x->best;
    xw_chk(x, worksheet_conditional_format_range(sh->ws, (lxw_row_t)row, 1,
                                                 (lxw_row_t)row, (lxw_col_t)n,
                                                 &cf));
}

/* Whether the finite values of a row differ as the format shows them; a
 * row that does not gets no best-value rule at all. */
static int differs_as_shown(const double *v, int n, numfmt nf)
{
    double scale = pow(10, shown_decimals(nf)), lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        double s = round(v[i] * scale);
        lo = s < lo ? s : lo;
        hi = s > hi ? s : hi;
    }
    return hi > lo;
}

/* One row of the Summary: the figure for every scenario, the best one
 * marked (better: +1 higher, -1 lower, 0 neither), and the differences to
 * the first scenario as formulas.  Returns the row written, or -1 when no
 * scenario has the figure (the row is left out). */
static int summary_row(xw *x, summary *S, int row, const char *label,
                       const uperiod *u, const figure *f, numfmt nf,
                       int better)
{
    int any = 0;
    for (int i = 0; i < S->n; i++) {
        S->v[i] = figure_value(S->rs[i], find_period(S->rs[i], u), f);
        any |= isfinite(S->v[i]);
    }
    if (!any)
        return -1;
    if (nf == NF_COUNT)
        nf = xw_count_kind(S->v, S->n);
    xw_put_str(x, S->sh, row, 0, label, NULL, 1);
    for (int i = 0; i < S->n; i++)
        xw_put_num(x, S->sh, row, 1 + i, S->v[i],
                   (vfmt){nf, S->rs[i]->model.currency, 0});
    if (S->n >= 2 && better && differs_as_shown(S->v, S->n, nf))
        mark_best(x, S->sh, row, S->n, better, nf);
    for (int i = 1; S->diff_c0 >= 0 && i < S->n; i++) {
        if (!isfinite(S->v[i]) || !isfinite(S->v[0]))
            continue;
        char a[32], b[32], fml[80];
        lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(1 + i));
        lxw_rowcol_to_cell(b, (lxw_row_t)row, 1);
        /* A difference of shares is in points: 42% against 37% is +5
         * points, which a percentage format would show as "5%". */
        int pts = nf == NF_PCT || nf == NF_PCT2;
        snprintf(fml, sizeof fml, pts ? "=(%s-%s)*100" : "=%s-%s", a, b);
        xw_put_formula(x, S->sh, row, S->diff_c0 + i - 1, fml,
                       pts ? (S->v[i] - S->v[0]) * 100 : S->v[i] - S->v[0],
                       (vfmt){pts ? NF_PTS : nf, S->rs[i]->model.currency,
                              0});
    }
    return row;
}

/* Fiscal years of every scenario in order, then the horizon total. */
static int union_periods(const sp_results *const *rs, int n, uperiod *u)
{
    int nu = 0;
    for (int i = 0; i < n; i++)
        for (int p = 0; p < rs[i]->nperiods; p++) {
            const sp_period *pe = &rs[i]->periods[p];
            if (pe->is_total)
                continue;
            int k = 0;
            while (k < nu && u[k].fy < pe->fiscal_year)
                k++;
            if (k < nu && u[k].fy == pe->fiscal_year) {
                u[k].partial |= pe->partial;
                continue;
            }
            if (nu == MAX_UPERIODS - 1)
                continue;
            memmove(&u[k + 1], &u[k], (size_t)(nu - k) * sizeof *u);
            u[k] = (uperiod){pe->fiscal_year, 0, pe->partial};
            nu++;
        }
    u[nu++] = (uperiod){0, 1, 0};
    return nu;
}

int xw_union_roles(const sp_results *const *rs, int n,
                       const char *ids[MAX_UROLES])
{
    int nu = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < rs[i]->nroles && nu < MAX_UROLES; k++) {
            int seen = 0;
            for (int j = 0; j < nu && !seen; j++)
                seen = strcmp(ids[j], rs[i]->model.roles[k].id) == 0;
            if (!seen)
                ids[nu++] = rs[i]->model.roles[k].id;
        }
    return nu;
}

static void group_row(xw *x, summary *S, int row, const char *label,
                      int fitw);

/* The header row of the full table: scenario names and the difference
 * columns. */
static void summary_table_header(xw *x, summary *S, int row)
{
    const sp_results *const *rs = S->rs;
    char label[160];
    xw_put_str(x, S->sh, row, 0, "Figure", x->head, 1);
    for (int i = 0; i < S->n; i++) {
        xw_put_str(x, S->sh, row, 1 + i, rs[i]->model.name, x->head_r, 1);
        if (S->diff_c0 >= 0 && i > 0) {
            snprintf(label, sizeof label, "%s \xe2\x88\x92 %s",
                     rs[i]->model.name, rs[0]->model.name);
            xw_put_str(x, S->sh, row, S->diff_c0 + i - 1, label, x->head_r,
                       1);
        }
    }
    if (S->diff_c0 >= 0)
        xw_put_str(x, S->sh, row, S->diff_c0 - 1, "", x->head, 0);
}

/* "set a 1; set b 2" from lines; malloc'd. */
static char *one_line(const char *lines)
{
    size_t n = strlen(lines), k = 0;
    char *t = malloc(2 * n + 1);
    if (!t)
        return NULL;
    for (const char *p = lines; *p; p++) {
        if (*p == '\n') {
            t[k++] = ';';
            t[k++] = ' ';
        } else {
            t[k++] = *p;
        }
    }
    t[k] = '\0';
    return t;
}

/* The rows about the runs themselves: title, sheet, trials, seed, the
 * generator, and what changed since a run.  Returns the next free row. */
static int summary_runs(xw *x, summary *S, int row,
                        char sheet_names[][NAME_BYTES])
{
    const sp_results *const *rs = S->rs;
    sheet *sh = S->sh;
    int n = S->n;
    char q[2 * NAME_BYTES + 3], url[3 * NAME_BYTES];

    group_row(x, S, row++, "The runs", 0);
    xw_put_str(x, sh, row, 0, "Title", NULL, 1);
    for (int i = 0; i < n; i++)
        xw_put_str(x, sh, row, 1 + i, rs[i]->model.title, NULL, 1);
    row++;
    xw_put_str(x, sh, row, 0, "Sheet", NULL, 1);
    for (int i = 0; i < n; i++) {
        xw_quoted(sheet_names[i], q, sizeof q);
        snprintf(url, sizeof url, "internal:%s!A1", q);
        xw_chk(x, worksheet_write_url_opt(sh->ws, (lxw_row_t)row,
                                          (lxw_col_t)(1 + i), url, x->link,
                                          sheet_names[i], NULL));
    }
    row++;
    xw_put_str(x, sh, row, 0, "Trials", NULL, 1);
    for (int i = 0; i < n; i++)
        xw_put_num(x, sh, row, 1 + i, rs[i]->trials,
                   (vfmt){NF_WHOLE, NULL, 0});
    row++;
    xw_put_str(x, sh, row, 0, "Seed", NULL, 1);
    for (int i = 0; i < n; i++)
        xw_put_num(x, sh, row, 1 + i, (double)rs[i]->seed,
                   (vfmt){NF_PLAIN, NULL, 0});
    row++;
    xw_put_str(x, sh, row, 0, "Generator", NULL, 1);
    xw_put_str(x, sh, row++, 1, sp_rng_name(), NULL, 0);
    xw_put_str(x, sh, row, 0, "salesplan version", NULL, 1);
    xw_put_str(x, sh, row++, 1, SP_VERSION, NULL, 0);
    for (int i = 0; S->R->changed && i < n; i++)
        if (S->R->changed[i]) {
            xw_put_str(x, sh, row, 0, "Changed since the run", NULL, 1);
            break;
        }
    for (int i = 0; S->R->changed && i < n; i++)
        if (S->R->changed[i]) {
            char *t = one_line(S->R->changed[i]);
            if (!t) {
                x->nomem = 1;
                break;
            }
            xw_put_str(x, sh, row, 1 + i, t, x->warn, 0);
            free(t);
        }
    return row + 2;
}

/* A group's shaded title row across the scenario and difference columns. */
static void group_row(xw *x, summary *S, int row, const char *label,
                      int fitw)
{
    for (int c = 0; c <= S->n + (S->diff_c0 >= 0 ? S->n : 0); c++)
        xw_put_str(x, S->sh, row, c, c == 0 ? label : "", x->group,
                   c == 0 && fitw);
}

/* The metrics of a period group, in order: P10 / P50 / P90 (spread) or the
 * P50 alone, one row per role under the team's (roles), and whether a
 * higher (+1) or lower (-1) value is the better one.  P(target) goes after
 * the first two. */
static const struct {
    int metric, spread, roles, better;
} summary_stats[] = {
    {SP_M_BOOKINGS, 1, 0, 1}, {SP_M_REVENUE, 1, 0, 1},
    {SP_M_COST, 0, 0, -1}, {SP_M_COS, 0, 0, -1},
    {SP_M_CONTRIBUTION, 0, 0, 1}, {SP_M_HEADCOUNT, 0, 1, 0},
    {SP_M_HIRES, 0, 0, 0}, {SP_M_DEPARTURES, 0, 0, 0},
};

/* Where the charts under the table find their rows. */
typedef struct {
    int book_total[3];         /* horizon-total bookings P10, P50, P90 */
    int ncos;
    int cos_rows[MAX_UPERIODS], cos_up[MAX_UPERIODS];
} summary_rows;

static const int spread_pcts[3] = {SP_P10, SP_P50, SP_P90};
static const char *const spread_names[3] = {"P10", "P50", "P90"};

/* "Bookings P10", "Cost of sales P50"; a stock says when it is taken. */
static void stat_label(int metric, int pct, const uperiod *u, char *buf,
                       size_t size)
{
    const char *when = !sp_metric_is_stock(metric) ? ""
                       : u->total ? " at the end" : " at year end";
    snprintf(buf, size, "%s%s %s", sp_metric_label(metric), when,
             spread_names[pct == SP_P10 ? 0 : pct == SP_P50 ? 1 : 2]);
}

/* The rows of one statistic of summary_stats[k]; returns the next row. */
static int summary_stat_rows(xw *x, summary *S, int row, const uperiod *u,
                             int k, int uk, const char *const *roles,
                             int nroles, summary_rows *R)
{
    int m = summary_stats[k].metric, better = summary_stats[k].better;
    numfmt nf = xw_metric_vfmt(m, NULL, 0).kind;
    char label[160];

    for (int j = 0; j < 3; j++) {
        if (!summary_stats[k].spread && j != 1)
            continue;
        figure f = {F_STAT, m, spread_pcts[j], NULL};
        stat_label(m, spread_pcts[j], u, label, sizeof label);
        int w = summary_row(x, S, row, label, u, &f, nf, better);
        if (w < 0)
            continue;
        if (m == SP_M_BOOKINGS && u->total)
            R->book_total[j] = w;
        if (m == SP_M_COS) {
            R->cos_up[R->ncos] = uk;
            R->cos_rows[R->ncos++] = w;
        }
        row++;
    }
    for (int i = 0; summary_stats[k].roles && i < nroles; i++) {
        figure fr = {F_STAT, m, SP_P50, roles[i]};
        char rl[120];
        xw_role_label(S->R, roles[i], rl, sizeof rl);
        snprintf(label, sizeof label, "  %s", rl);
        row += summary_row(x, S, row, label, u, &fr, nf, better) >= 0;
    }
    return row;
}

/* Beside the cost P50, when a scenario has a budget: the cost P90 and
 * P(cost <= budget) of the fiscal year.  Returns the next row. */
static int summary_budget_rows(xw *x, summary *S, int row, const uperiod *u)
{
    int any = 0;
    for (int i = 0; i < S->n; i++)
        any |= S->rs[i]->model.nbudget > 0;
    if (!any)
        return row;
    figure f90 = {F_STAT, SP_M_COST, SP_P90, NULL};
    char label[160];
    stat_label(SP_M_COST, SP_P90, u, label, sizeof label);
    numfmt nf = xw_metric_vfmt(SP_M_COST, NULL, 0).kind;
    row += summary_row(x, S, row, label, u, &f90, nf, -1) >= 0;
    figure fb = {F_PBUDGET, 0, 0, NULL};
    row += summary_row(x, S, row, "P(cost \xe2\x89\xa4 budget)", u, &fb,
                       NF_PCT, 1) >= 0;
    return row;
}

/* One fiscal year (or the horizon total): its group row, the statistics,
 * P(target) and the shares of reps at quota and at OTE per role.  Returns
 * the next free row. */
static int summary_period(xw *x, summary *S, int row, const uperiod *u,
                          int uk, const char *const *roles, int nroles,
                          summary_rows *R)
{
    char label[160];
    if (u->total)
        snprintf(label, sizeof label, "Horizon total");
    else
        snprintf(label, sizeof label, "FY%d%s", u->fy,
                 u->partial ? " (partial)" : "");
    group_row(x, S, row++, label, 1);
    int rev_is_book = 1;
    for (int i = 0; i < S->n; i++)
        rev_is_book &= sp_results_revenue_is_bookings(S->rs[i]);
    for (size_t k = 0; k < sizeof summary_stats / sizeof summary_stats[0];
         k++) {
        /* Revenue recognised as booked repeats the bookings rows. */
        if (summary_stats[k].metric != SP_M_REVENUE || !rev_is_book)
            row = summary_stat_rows(x, S, row, u, (int)k, uk, roles, nroles,
                                    R);
        if (summary_stats[k].metric == SP_M_COST)
            row = summary_budget_rows(x, S, row, u);
        if (summary_stats[k].metric == SP_M_REVENUE) {
            figure ft = {F_PTARGET, 0, 0, NULL};
            row += summary_row(x, S, row, "P(bookings \xe2\x89\xa5 target)",
                               u, &ft, NF_PCT, 1) >= 0;
            /* each fiscal quarter against its share of the target */
            for (int qn = 1; qn <= 4; qn++) {
                figure fq = {F_PTARGET_Q, 0, qn, NULL};
                snprintf(label, sizeof label, "  P(target) Q%d", qn);
                row += summary_row(x, S, row, label, u, &fq, NF_PCT, 1) >= 0;
            }
            /* quota and capacity over the year's target (none for the
             * horizon: the row is left out there) */
            static const int cov[] = {SP_M_COVERAGE, SP_M_CAPACITY_COVERAGE};
            for (int c = 0; c < 2; c++) {
                figure fc = {F_STAT, cov[c], SP_P50, NULL};
                snprintf(label, sizeof label, "%s P50",
                         sp_metric_label(cov[c]));
                row += summary_row(x, S, row, label, u, &fc, NF_PCT, 0) >= 0;
            }
        }
    }
    for (int i = 0; i < nroles; i++)
        for (int j = 0; j < 2; j++) {
            figure fq = {j ? F_AT_OTE : F_AT_QUOTA, 0, 0, roles[i]};
            char rl[120];
            xw_role_label(S->R, roles[i], rl, sizeof rl);
            snprintf(label, sizeof label, "Reps at %s: %s",
                     j ? "OTE" : "quota", rl);
            row += summary_row(x, S, row, label, u, &fq, NF_PCT, 1) >= 0;
        }
    return row + 1;
}

/* The payback group: the median month and the share never paid back.
 * Returns the next free row. */
static int summary_payback(xw *x, summary *S, int row)
{
    const sp_results *const *rs = S->rs;
    int n = S->n;
    group_row(x, S, row++, "Payback", 0);
    xw_put_str(x, S->sh, row, 0, "Payback month P50", NULL, 1);
    for (int i = 0; i < n; i++) {
        /* an existing team profitable from the start pays nothing back */
        if (!(rs[i]->payback_share_no_investment < 0.5))
            xw_put_str(x, S->sh, row, 1 + i, "no investment", NULL, 0);
        else if (rs[i]->payback_p50 >= 0)
            xw_put_month(x, S->sh, row, 1 + i,
                         rs[i]->model.start + rs[i]->payback_p50, x->month);
        else
            xw_put_str(x, S->sh, row, 1 + i, "never", NULL, 0);
    }
    xw_put_note(x, S->sh, row, 0,
                "The first month in which the cumulative contribution is at "
                "least zero and stays so to the horizon; the median across "
                "trials.");
    row++;
    xw_put_str(x, S->sh, row, 0, "Trials never paid back", NULL, 1);
    for (int i = 0; i < n; i++)
        S->v[i] = rs[i]->payback_share_never;
    for (int i = 0; i < n; i++)
        xw_put_num(x, S->sh, row, 1 + i, S->v[i], (vfmt){NF_PCT, NULL, 0});
    if (n >= 2 && differs_as_shown(S->v, n, NF_PCT))
        mark_best(x, S->sh, row, n, -1, NF_PCT);
    return row + 2;
}

/* Charts under the table: categories are the scenario names. */
static void summary_charts(xw *x, summary *S, int row, int hdr,
                           const uperiod *up, const summary_rows *R)
{
    sheet *sh = S->sh;
    int n = S->n;
    lxw_chart *c;
    if (R->book_total[1] >= 0 &&
        (c = xw_new_chart(x, LXW_CHART_COLUMN,
                          "Bookings over the horizon: P10 / P50 / P90"))) {
        for (int j = 0; j < 3; j++)
            if (R->book_total[j] >= 0)
                xw_add_series(c, sh, spread_names[j], hdr, 1, n,
                              R->book_total[j], 1, n);
        xw_money_axis(c->y_axis, S->rs[0]->model.currency);
        xw_insert_chart(x, sh, row, 0, 0, c);
    }
    if (R->ncos > 0 && (c = xw_new_chart(x, LXW_CHART_COLUMN,
                                         "Cost of sales (P50) by scenario"))) {
        for (int k = 0; k < R->ncos; k++) {
            const uperiod *u = &up[R->cos_up[k]];
            char nm[40];
            if (u->total)
                snprintf(nm, sizeof nm, "Horizon total");
            else
                snprintf(nm, sizeof nm, "FY%d", u->fy);
            xw_add_series(c, sh, nm, hdr, 1, n, R->cos_rows[k], 1, n);
        }
        /* From zero: an axis cut near the values would make a point of
         * cost of sales look like a doubling. */
        chart_axis_set_min(c->y_axis, 0);
        chart_axis_set_num_format(c->y_axis, "0%");
        xw_insert_chart(x, sh, row, 0, 560, c);
    }
}


/* ---- the headline ------------------------------------------------------- */

void xw_role_label(const xw_runs *R, const char *id, char *buf, size_t size)
{
    for (int i = 0; R->scs && i < R->n; i++) {
        const sp_scenario *sc = R->scs[i];
        int k = sc ? sp_role_find(sc, id) : -1;
        if (k >= 0 && sc->roles[k].title && sc->roles[k].title[0]) {
            snprintf(buf, size, "%s (%s)", sc->roles[k].title, id);
            return;
        }
    }
    snprintf(buf, size, "%s", id);
}

/* The figures of the headline, per fiscal year and for the horizon. */
enum { HL_TARGET, HL_PTARGET, HL_STAT };
static const struct {
    int kind, metric, better, in_total;
    const char *label;
} headline_rows[] = {
    {HL_TARGET, SP_M_BOOKINGS, 0, 0, "Target"},
    {HL_PTARGET, SP_M_BOOKINGS, 1, 0, "P(bookings \xe2\x89\xa5 target)"},
    {HL_STAT, SP_M_BOOKINGS, 1, 1, "Bookings P50"},
    {HL_STAT, SP_M_COS, -1, 1, "Cost of sales P50"},
    {HL_STAT, SP_M_CONTRIBUTION, 1, 1, "Contribution P50"},
    {HL_STAT, SP_M_HEADCOUNT, 0, 1, "Headcount at the end P50"},
};
#define NHEADLINE (int)(sizeof headline_rows / sizeof headline_rows[0])

/* The index of u among r's fiscal years (SP_PERIOD_TOTAL for the total),
 * as the paired differences count them; -2 when r lacks it. */
static int fiscal_index(const sp_results *r, const uperiod *u)
{
    int p = find_period(r, u);
    if (p < 0)
        return -2;
    if (u->total)
        return SP_PERIOD_TOTAL;
    int k = 0;
    for (int q = 0; q < p; q++)
        k += !r->periods[q].is_total;
    return k;
}

static double headline_value(const sp_results *r, const uperiod *u, int k)
{
    int p = find_period(r, u);
    if (p < 0)
        return NAN;
    switch (headline_rows[k].kind) {
    case HL_TARGET: return sp_results_target(r, p);
    case HL_PTARGET: return r->p_target ? r->p_target[p] : NAN;
    default: {
        const sp_stat *st = pstat(r, p, headline_rows[k].metric, -1);
        return st ? st->p[SP_P50] : NAN;
    }
    }
}

/* The paired difference of row k of b against a over u and its 95%
 * interval; shares (P(target), cost of sales) in points.  0 when there
 * is one. */
static int headline_diff(const sp_results *a, const sp_results *b,
                         const uperiod *u, int k, double d[3])
{
    int fa = fiscal_index(a, u), fb = fiscal_index(b, u);
    double mean, se;
    long used;
    if (fa == -2 || fa != fb)
        return -1;
    int m = headline_rows[k].metric, rc;
    if (headline_rows[k].kind == HL_PTARGET)
        rc = sp_paired_p_target(a, b, fa, &mean, &se, &used);
    else
        rc = sp_paired_diff(a, b, fa, m, NULL, &mean, &se, &used);
    if (rc != 0 || !isfinite(mean))
        return -1;
    double scale = headline_rows[k].kind == HL_PTARGET ||
                   sp_metric_kind_of(m) == SP_MK_RATIO ? 100 : 1;
    d[0] = mean * scale;
    d[1] = isfinite(se) ? (mean - 1.96 * se) * scale : NAN;
    d[2] = isfinite(se) ? (mean + 1.96 * se) * scale : NAN;
    return 0;
}

static vfmt headline_vfmt(int k, const sp_results *r, int diff)
{
    int m = headline_rows[k].metric;
    if (headline_rows[k].kind == HL_PTARGET ||
        sp_metric_kind_of(m) == SP_MK_RATIO)
        return (vfmt){diff ? NF_PTS : NF_PCT, NULL, 0};
    if (sp_metric_kind_of(m) == SP_MK_COUNT)
        return (vfmt){diff ? NF_COUNT2 : NF_COUNT, NULL, 0};
    return (vfmt){NF_MONEY, r->model.currency, 0};
}

/* Column of scenario i's difference triple (i >= 1). */
static int hl_col(const summary *S, int i)
{
    return S->n + 2 + 3 * (i - 1);
}

/* One headline row over u; returns 1 when written. */
static int headline_row(xw *x, summary *S, int row, const uperiod *u, int k)
{
    int any = 0;
    for (int i = 0; i < S->n; i++) {
        S->v[i] = headline_value(S->rs[i], u, k);
        any |= isfinite(S->v[i]);
    }
    if (!any)
        return 0;
    vfmt vf = headline_vfmt(k, S->rs[0], 0);
    if (vf.kind == NF_COUNT)
        vf.kind = xw_count_kind(S->v, S->n);
    xw_put_str(x, S->sh, row, 0, headline_rows[k].label, NULL, 1);
    for (int i = 0; i < S->n; i++)
        xw_put_num(x, S->sh, row, 1 + i, S->v[i],
                   (vfmt){vf.kind, S->rs[i]->model.currency, 0});
    if (S->n >= 2 && headline_rows[k].better &&
        differs_as_shown(S->v, S->n, vf.kind))
        mark_best(x, S->sh, row, S->n, headline_rows[k].better, vf.kind);
    for (int i = 1; i < S->n; i++) {
        double d[3];
        vfmt dv = headline_vfmt(k, S->rs[i], 1);
        if (headline_rows[k].kind == HL_TARGET) {
            /* Targets are inputs: their difference is exact. */
            if (!isfinite(S->v[i]) || !isfinite(S->v[0]))
                continue;
            char a[32], b[32], fml[80];
            lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(1 + i));
            lxw_rowcol_to_cell(b, (lxw_row_t)row, 1);
            snprintf(fml, sizeof fml, "=%s-%s", a, b);
            xw_put_formula(x, S->sh, row, hl_col(S, i), fml,
                           S->v[i] - S->v[0], dv);
        } else if (headline_diff(S->rs[0], S->rs[i], u, k, d) == 0) {
            for (int j = 0; j < 3; j++)
                xw_put_num(x, S->sh, row, hl_col(S, i) + j, d[j], dv);
        }
    }
    return 1;
}

/* The headline's header: scenario names, then per later scenario its
 * paired difference to the first and the interval. */
static void headline_header(xw *x, summary *S, int row)
{
    char label[160];
    xw_put_str(x, S->sh, row, 0, "Headline", x->head, 1);
    for (int i = 0; i < S->n; i++)
        xw_put_str(x, S->sh, row, 1 + i, S->rs[i]->model.name, x->head_r, 1);
    if (S->n < 2)
        return;
    xw_put_str(x, S->sh, row, S->n + 1, "", x->head, 0);
    for (int i = 1; i < S->n; i++) {
        snprintf(label, sizeof label, "%s \xe2\x88\x92 %s",
                 S->rs[i]->model.name, S->rs[0]->model.name);
        xw_put_str(x, S->sh, row, hl_col(S, i), label, x->head_r, 1);
        xw_put_str(x, S->sh, row, hl_col(S, i) + 1, "95% low", x->head_r, 1);
        xw_put_str(x, S->sh, row, hl_col(S, i) + 2, "95% high", x->head_r,
                   1);
    }
}

/* Stale runs: a line under the header naming what changed since. */
static int headline_stale(xw *x, summary *S, int row)
{
    int any = 0;
    for (int i = 0; S->R->changed && i < S->n; i++) {
        if (!S->R->changed[i])
            continue;
        char *t = one_line(S->R->changed[i]);
        size_t len = t ? strlen(t) + 64 : 0;
        char *m = t ? malloc(len) : NULL;
        if (!m) {
            free(t);
            x->nomem = 1;
            return row;
        }
        snprintf(m, len, "results are from before `%s`", t);
        xw_put_str(x, S->sh, row, 1 + i, m, x->warn, 0);
        free(m);
        free(t);
        any = 1;
    }
    if (any)
        xw_put_str(x, S->sh, row, 0, "Changed since the run", x->warn, 1);
    return row + any;
}

/* The headline block: per fiscal year, then the horizon.  Returns the
 * next free row; *hdr is the header row. */
static int write_headline(xw *x, summary *S, int row, const uperiod *up,
                          int nup, int *hdr)
{
    *hdr = row;
    headline_header(x, S, row++);
    row = headline_stale(x, S, row);
    for (int k = 0; k < nup; k++) {
        char label[64];
        if (up[k].total)
            snprintf(label, sizeof label, "Horizon total");
        else
            snprintf(label, sizeof label, "FY%d%s", up[k].fy,
                     up[k].partial ? " (partial)" : "");
        int last = S->n >= 2 ? hl_col(S, S->n - 1) + 2 : S->n;
        for (int c = 0; c <= last; c++)
            xw_put_str(x, S->sh, row, c, c ? "" : label, x->group, 0);
        row++;
        for (int j = 0; j < NHEADLINE; j++)
            if (!up[k].total || headline_rows[j].in_total)
                row += headline_row(x, S, row, &up[k], j);
    }
    return row + 1;
}

/* ---- the bookings distributions ---------------------------------------- */

/* A round number at or beyond v, down (dir < 0) or up, on a step of 1, 2
 * or 5 times a power of ten that cuts the span into about five. */
static double round_to_step(double v, double span, int dir)
{
    if (!(span > 0))
        return v;
    double raw = span / 5, p = pow(10, floor(log10(raw))), step = p;
    if (raw > 5 * p)
        step = 10 * p;
    else if (raw > 2 * p)
        step = 5 * p;
    else if (raw > p)
        step = 2 * p;
    return (dir < 0 ? floor(v / step) : ceil(v / step)) * step;
}

/* One S-curve chart per fiscal year, a line per scenario (its bookings
 * against the share of trials at or below) and the target as a vertical
 * line; two charts abreast.  Returns the rows they take. */
static int distribution_charts(xw *x, summary *S, int row, const uperiod *up,
                               int nup, const char *dist)
{
    int nfy = xw_dist_nfy(S->rs, S->n), k = 0;
    char title[160], axis[160];
    const char *cur = S->rs[0]->model.currency;
    for (int u = 0; u < nup; u++) {
        if (up[u].total)
            continue;
        snprintf(title, sizeof title, "FY%d bookings: share of trials at or "
                 "below (S-curve), target dashed", up[u].fy);
        lxw_chart *c = xw_new_chart(x, LXW_CHART_SCATTER_STRAIGHT, title);
        if (!c)
            return 0;
        double lo = INFINITY, hi = -INFINITY, targets[64];
        int nt = 0;
        for (int i = 0; i < S->n; i++) {
            int f = fiscal_index(S->rs[i], &up[u]);
            if (f < 0)
                continue;
            int col = 1 + i * nfy + f;
            lxw_chart_series *se = chart_add_series(c, NULL, NULL);
            if (!se)
                continue;
            chart_series_set_categories(se, dist, DIST_ROW0, (lxw_col_t)col,
                                        DIST_ROW0 + DIST_NQ - 1,
                                        (lxw_col_t)col);
            chart_series_set_values(se, dist, DIST_ROW0, 0,
                                    DIST_ROW0 + DIST_NQ - 1, 0);
            chart_series_set_name(se, S->rs[i]->model.name);
            int p = find_period(S->rs[i], &up[u]);
            const sp_stat *st = pstat(S->rs[i], p, SP_M_BOOKINGS, -1);
            if (st && isfinite(st->p[SP_P5])) {
                lo = fmin(lo, st->p[SP_P5]);
                hi = fmax(hi, st->p[SP_P95]);
            }
            double t = sp_results_target(S->rs[i], p);
            int seen = 0;
            for (int j = 0; j < nt; j++)
                seen |= targets[j] == t;
            if (!isfinite(t) || seen || nt == 64)
                continue;
            targets[nt++] = t;
            lo = fmin(lo, t);
            hi = fmax(hi, t);
            lxw_chart_series *ts = chart_add_series(c, NULL, NULL);
            if (!ts)
                continue;
            chart_series_set_categories(ts, dist, DIST_TROW, (lxw_col_t)col,
                                        DIST_TROW + 1, (lxw_col_t)col);
            chart_series_set_values(ts, dist, DIST_TROW, 0, DIST_TROW + 1, 0);
            char tn[200], tt[SP_FMT_MAX];
            sp_fmt_money(t, S->rs[i]->model.currency, tt, sizeof tt);
            snprintf(tn, sizeof tn, "Target %s (%s)", tt,
                     S->rs[i]->model.name);
            chart_series_set_name(ts, tn);
            lxw_chart_line dash = {.dash_type = LXW_CHART_LINE_DASH_DASH,
                                   .width = 1.5, .color = 0xC00000};
            chart_series_set_line(ts, &dash);
        }
        /* From below the P5 to above the P95 and the targets: the steep
         * middle of the curve, where scenarios differ, fills the chart. */
        if (isfinite(lo) && hi > lo) {
            double span = hi - lo;
            chart_axis_set_min(c->x_axis, round_to_step(lo - 0.15 * span,
                                                        span, -1));
            chart_axis_set_max(c->x_axis, round_to_step(hi + 0.15 * span,
                                                        span, 1));
        }
        chart_axis_set_min(c->y_axis, 0);
        chart_axis_set_max(c->y_axis, 1);
        chart_axis_set_num_format(c->y_axis, "0%");
        xw_money_axis(c->x_axis, cur);
        snprintf(axis, sizeof axis, "FY%d bookings (%s)", up[u].fy,
                 cur && *cur ? cur : "amount");
        xw_axis_title(c->x_axis, axis);
        xw_axis_title(c->y_axis, "Share of trials at or below");
        lxw_chart_options o = {0};
        o.x_offset = (k % 2) * 560;
        o.y_offset = 4;
        o.x_scale = 1.1;
        o.y_scale = 1.15;
        xw_chk(x, worksheet_insert_chart_opt(S->sh->ws,
                                             (lxw_row_t)(row + (k / 2) *
                                                         SUMMARY_BAND),
                                             0, c, &o));
        k++;
    }
    return ((k + 1) / 2) * SUMMARY_BAND;
}

/* ---- what differs between the scenarios --------------------------------- */

/* The text of parameter i (role id, NULL for global) in sc, or NULL when
 * it does not apply there. */
static char *param_text(const sp_scenario *sc, int i, const char *role)
{
    int r = role ? sp_role_find(sc, role) : -1;
    if (role && r < 0)
        return NULL;
    if (!sp_param_applies(sc, i, r))
        return NULL;
    return sp_scenario_value_text(sc, (sp_pref){i, r});
}

/* One row when parameter i of role differs between the scenarios; returns
 * 1 when written. */
static int diff_row(xw *x, summary *S, int row, int i, const char *role)
{
    char *t[64] = {0};
    int n = S->n < 64 ? S->n : 64, differ = 0;
    for (int s = 0; s < n; s++) {
        t[s] = param_text(S->R->scs[s], i, role);
        if (s > 0)
            differ |= (t[s] == NULL) != (t[0] == NULL) ||
                      (t[s] && t[0] && strcmp(t[s], t[0]) != 0);
    }
    if (differ) {
        char name[120];
        if (role)
            snprintf(name, sizeof name, "%s.%s", role, sp_params[i].name);
        else
            snprintf(name, sizeof name, "%s", sp_params[i].name);
        xw_put_str(x, S->sh, row, 0, name, NULL, 1);
        for (int s = 0; s < n; s++)
            xw_put_value_text(x, S->sh, row, 1 + s,
                              t[s] ? t[s] : "\xe2\x80\x94");
    }
    for (int s = 0; s < n; s++)
        free(t[s]);
    return differ;
}

/* Every parameter whose value is not the same in all the scenarios, as
 * each scenario's script would write it.  Returns the next free row. */
static int assumptions_diff(xw *x, summary *S, int row, const char *const *roles,
                            int nroles)
{
    for (int s = 0; s < S->n; s++)
        if (!S->R->scs || !S->R->scs[s])
            return row;
    xw_put_str(x, S->sh, row++, 0, "What differs between the scenarios",
               x->title, 0);
    xw_put_str(x, S->sh, row++, 0,
               "Every assumption whose value is not the same in all of them "
               "(as run); \xe2\x80\x94 where it does not apply.", x->note, 0);
    xw_put_str(x, S->sh, row, 0, "Assumption", x->head, 1);
    for (int s = 0; s < S->n; s++)
        xw_put_str(x, S->sh, row, 1 + s, S->rs[s]->model.name, x->head, 1);
    int first = ++row;
    for (int i = 0; i < sp_nparams; i++)
        if (sp_params[i].scope == SP_SCOPE_GLOBAL)
            row += diff_row(x, S, row, i, NULL);
    for (int r = 0; r < nroles; r++)
        for (int i = 0; i < sp_nparams; i++)
            if (sp_params[i].scope != SP_SCOPE_GLOBAL)
                row += diff_row(x, S, row, i, roles[r]);
    if (row == first)
        xw_put_str(x, S->sh, row++, 0, "None: the scenarios differ in no "
                   "assumption.", x->note, 0);
    return row + 1;
}

/* ---- the sheet ------------------------------------------------------------ */

static int summary_top(xw *x, summary *S)
{
    int row = 0;
    xw_put_str(x, S->sh, row++, 0,
               S->n >= 2 ? "Which plan, and how safe?" : "Scenario summary",
               x->title, 0);
    xw_put_str(x, S->sh, row++, 0,
               "Figures are medians (P50) across trials of each trial's "
               "fiscal-year total; P(target) is the share of trials that "
               "book the year's target.", x->note, 0);
    if (S->n >= 2)
        xw_put_str(x, S->sh, row++, 0,
                   "Each difference is paired: the mean, trial by trial on "
                   "the same random numbers, of the scenario minus the first, "
                   "with its 95% interval; shares differ in points (pts). "
                   "Green marks the best value of a row.", x->note, 0);
    return row + 1;
}

void xw_write_summary(xw *x, sheet *sh, const xw_runs *R,
                      char sheet_names[][NAME_BYTES], const char *dist)
{
    const sp_results *const *rs = R->rs;
    int n = R->n;
    uperiod up[MAX_UPERIODS];
    const char *roles[MAX_UROLES];
    int nup = union_periods(rs, n, up);
    int nroles = xw_union_roles(rs, n, roles);
    summary S = {rs, n, sh, n >= 2 ? n + 2 : -1,
                 malloc((size_t)n * sizeof(double)), R};
    summary_rows SR = {{-1, -1, -1}, 0, {0}, {0}};
    lxw_row_t breaks[64];
    int nb = 0, hl;

    if (!S.v) {
        x->nomem = 1;
        return;
    }
    int row = summary_top(x, &S);
    row = write_headline(x, &S, row, up, nup, &hl);
    /* Printed, the charts start a page, two bands of them a page. */
    breaks[nb++] = (lxw_row_t)row;
    int crow = row, h = distribution_charts(x, &S, row, up, nup, dist);
    for (int b = 2 * SUMMARY_BAND; b < h && nb < 60; b += 2 * SUMMARY_BAND)
        breaks[nb++] = (lxw_row_t)(crow + b);
    row += h + 1;
    breaks[nb++] = (lxw_row_t)row;
    if (n >= 2)
        row = assumptions_diff(x, &S, row, roles, nroles);
    int hdr = row;
    summary_table_header(x, &S, row++);
    for (int k = 0; k < nup; k++)
        row = summary_period(x, &S, row, &up[k], k, roles, nroles, &SR);
    row = summary_payback(x, &S, row);
    row = summary_runs(x, &S, row, sheet_names);
    breaks[nb++] = (lxw_row_t)row;
    summary_charts(x, &S, row, hdr, up, &SR);
    int last = row + SUMMARY_BAND;
    breaks[nb] = 0;
    xw_chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));

    xw_define_range(x, "summary", "scenarios", sh, hdr, 1, hdr, n);
    if (SR.book_total[1] >= 0)
        xw_define_range(x, "summary", "bookings_p50_total", sh,
                        SR.book_total[1], 1, SR.book_total[1], n);
    free(S.v);
    /* Only the headline's header and the labels stay put: the rest of the
     * screen is for the figures. */
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hl + 1), 1);
    /* The headline's difference columns make the page wide. */
    if (n >= 2)
        worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    int ncols = n >= 2 ? hl_col(&S, n - 1) + 3 : n + 1;
    xw_apply_widths(sh, ncols, 12);
    sh->width[0] = sh->width[0] > MAX_WIDTH ? MAX_WIDTH
                   : sh->width[0] < 30 ? 30 : sh->width[0];
    worksheet_set_column(sh->ws, 0, 0, sh->width[0], NULL);
    if (n >= 2) {
        sh->width[n + 1] = 3;
        worksheet_set_column(sh->ws, (lxw_col_t)(n + 1), (lxw_col_t)(n + 1),
                             3, NULL);
    }
    /* Two charts abreast are 1,090 pixels wide. */
    xw_print_area(x, sh, last, ncols, 1100, 0);
}
