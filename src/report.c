/* Terminal reports: every figure comes straight from sp_results; this file
 * only chooses rows, columns and formats. */
#include "salesplan/report.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/lang.h"
#include "salesplan/table.h"

typedef enum { FMT_MONEY, FMT_COUNT, FMT_RAMPED, FMT_PERCENT } value_fmt;

/* The metric table says how a metric reads.  Ramped equivalents are sums
 * of ramp factors, fractional by nature, so they always keep a decimal
 * where other counts show one only when a row needs it. */
static value_fmt metric_fmt(int m)
{
    switch (sp_metric_kind_of(m)) {
    case SP_MK_COUNT:
        return m == SP_M_RAMPED ? FMT_RAMPED : FMT_COUNT;
    case SP_MK_RATIO:
        return FMT_PERCENT;
    case SP_MK_MONEY:
        break;
    }
    return FMT_MONEY;
}

static void fmt_value(const sp_results *r, value_fmt k, int compact,
                      int decimals, double x, char *buf)
{
    switch (k) {
    case FMT_MONEY:
        if (compact)
            sp_fmt_money_compact(x, r->model.currency, buf, SP_FMT_MAX);
        else
            sp_fmt_money(x, r->model.currency, buf, SP_FMT_MAX);
        break;
    case FMT_COUNT:
        sp_fmt_count(x, decimals, buf, SP_FMT_MAX);
        break;
    case FMT_RAMPED:
        sp_fmt_count(x, 1, buf, SP_FMT_MAX);
        break;
    case FMT_PERCENT:
        sp_fmt_percent(x, 1, buf, SP_FMT_MAX);
        break;
    }
}

/* Appends a row of n values.  Counts are whole in every trial, but their
 * means and interpolated percentiles need not be: a row shows one decimal
 * when any of its values has one, so its figures line up.  Returns the row
 * or -1 when memory ran out. */
static int put_row(sp_table *t, const sp_results *r, const char *label,
                   value_fmt k, int compact, const double *v, int n)
{
    char buf[SP_FMT_MAX];
    int decimals = 0;
    for (int c = 0; c < n; c++)
        if (isfinite(v[c]) && fabs(v[c] - round(v[c])) >= 0.05)
            decimals = 1;
    int row = sp_table_row(t, label);
    if (row < 0)
        return -1;
    for (int c = 0; c < n; c++) {
        fmt_value(r, k, compact, decimals, v[c], buf);
        sp_table_set_num(t, row, c, buf, v[c]);
    }
    return row;
}

/* NULL when the series is structurally absent. */
static const sp_stat *period_stat(const sp_results *r, int p, int metric,
                                  int role)
{
    int s = sp_series(r, metric, role);
    if (p < 0 || p >= r->nperiods + r->nquarters || s < 0 ||
        s >= r->npseries || !r->ppresent || !r->ppresent[s] || !r->pstats)
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

static int monthly_present(const sp_results *r, int metric, int role)
{
    int s = sp_series(r, metric, role);
    return metric >= 0 && metric < SP_M_NMONTHLY && s >= 0 &&
           s < r->nseries && r->present && r->present[s] && r->monthly;
}

/* Fiscal years and the horizon total as columns, "FY2029*" marking a
 * fiscal year cut by the horizon.  Returns the number of columns and fills
 * idx with their period indexes (total last); *partial tells whether a
 * footnote is needed. */
static int period_columns(const sp_results *r, int *idx, int *partial)
{
    int n = 0, tp = sp_results_total_period(r);
    *partial = 0;
    for (int p = 0; p < r->nperiods && n < SP_MAX_HORIZON + 1; p++)
        if (!r->periods[p].is_total) {
            idx[n++] = p;
            if (r->periods[p].partial)
                *partial = 1;
        }
    if (tp >= 0)
        idx[n++] = tp;
    return n;
}

/* The fiscal quarters as columns, "FY27 Q1*" marking one cut by the
 * horizon; as period_columns. */
static int quarter_columns(const sp_results *r, int *idx, int *partial)
{
    int n = 0;
    *partial = 0;
    for (int k = 0; k < r->nquarters && n < SP_MAX_HORIZON + 1; k++) {
        idx[n] = sp_results_quarter_period(r, k);
        *partial |= r->periods[idx[n++]].partial;
    }
    return n;
}

static void period_header(const sp_results *r, int p, char *buf)
{
    const sp_period *pe = &r->periods[p];
    if (pe->quarter)
        snprintf(buf, SP_FMT_MAX, "FY%02d Q%d%s", pe->fiscal_year % 100,
                 pe->quarter, pe->partial ? "*" : "");
    else if (pe->is_total)
        snprintf(buf, SP_FMT_MAX, "Total");
    else
        snprintf(buf, SP_FMT_MAX, "%.*s%s", SP_FMT_MAX - 2,
                 r->periods[p].label, r->periods[p].partial ? "*" : "");
}

static void set_headers_periods(sp_table *t, const sp_results *r,
                                const int *cols, int ncols)
{
    char buf[SP_FMT_MAX];
    for (int c = 0; c < ncols; c++) {
        period_header(r, cols[c], buf);
        sp_table_header(t, c, buf);
    }
}

static const char *const pct_label[3] = {"P10", "P50", "P90"};
static const int pct_index[3] = {SP_P10, SP_P50, SP_P90};

/* A line of prose, folded at spaces so that it fits the width like the
 * grids do (a single word longer than the width stays whole). */
static void say(FILE *f, int width, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void say(FILE *f, int width, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (sp_table_mode() != SP_MODE_TABLE) {
        sp_table_note(f, text);
        return;
    }

    const char *p = text;
    while (*p) {
        /* The longest prefix up to a space that fits, counted in columns. */
        const char *end = p, *brk = NULL;
        int w = 0;
        while (*end && *end != '\n') {
            if ((*end & 0xC0) != 0x80)
                w++;
            if (width > 0 && w > width && brk)
                break;
            if (*end == ' ')
                brk = end;
            end++;
        }
        if (*end && *end != '\n' && brk)
            end = brk;
        fprintf(f, "%.*s\n", (int)(end - p), p);
        p = end;
        while (*p == ' ' || *p == '\n')
            p++;
    }
}

static void print_heading(FILE *f, const sp_results *r, int width)
{
    char a[8], b[8], tr[SP_FMT_MAX];
    sp_format_month(r->model.start, a);
    sp_format_month(r->model.start + r->model.horizon - 1, b);
    sp_fmt_count(r->trials, 0, tr, sizeof tr);
    if (r->model.title[0])
        say(f, width, "Scenario %s: %s", r->model.name, r->model.title);
    else
        say(f, width, "Scenario %s", r->model.name);
    say(f, width, "%s trials, seed %lu, %s to %s (%d months)", tr, r->seed, a,
        b, r->model.horizon);
    if (r->interrupted)
        say(f, width, "Run interrupted: figures cover the trials completed.");
}

/* A blank line between parts of a report: only between aligned tables;
 * csv, markdown and json have their own separations. */
static void blank(FILE *f)
{
    if (sp_table_mode() == SP_MODE_TABLE)
        fputc('\n', f);
}

static void oom(FILE *f)
{
    fputs("(out of memory)\n", f);
}

/* ---- summary ---------------------------------------------------------- */

/* One row of a period statistic; skipped when the series is absent.  pct
 * is an SP_P* index, or -1 for the mean. */
static int stat_row(sp_table *t, const sp_results *r, const int *cols,
                    int ncols, const char *label, int metric, int role,
                    int pct)
{
    double v[SP_MAX_HORIZON + 2];
    if (!period_stat(r, cols[0], metric, role))
        return 0;
    for (int c = 0; c < ncols; c++) {
        const sp_stat *st = period_stat(r, cols[c], metric, role);
        v[c] = !st ? NAN : pct < 0 ? st->mean : st->p[pct];
    }
    return put_row(t, r, label, metric_fmt(metric), 0, v, ncols) < 0 ? -1 : 1;
}

/* Records with a defined attainment: roles without a quota have none, and
 * a row of dashes for them would say nothing. */
static int any_attainment(const sp_results *r, int role)
{
    if (!r->reps)
        return 0;
    for (int p = 0; p < r->nperiods; p++)
        if (r->reps[(size_t)p * r->nroles + role].defined > 0)
            return 1;
    return 0;
}

/* Whether a role has a target (MODEL.md 5: a target incentive, a rate or
 * a bonus): without one its at-OTE share is undefined, and the panel
 * leaves out a row that would only say so. */
static int role_has_target(const sp_results *r, int role)
{
    const sp_comp_plan *c = &r->model.roles[role].comp;
    return c->ti != 0 || (c->has_rate && c->rate != 0) || c->bonus != 0;
}

/* A mid-year re-forecast: what the first year had booked before the
 * start, which its P(target) counts and its bookings rows do not. */
static void print_ytd(FILE *f, const sp_results *r, int width)
{
    int p = sp_results_fiscal_period(r, 0);
    if (p < 0 || !(r->model.ytd_bookings > 0))
        return;
    char amt[SP_FMT_MAX], m[8];
    sp_fmt_money(r->model.ytd_bookings, r->model.currency, amt, sizeof amt);
    sp_format_month(r->model.start, m);
    say(f, width, "%s: %s booked before %s (ytd_bookings), counted in its "
                  "P(target); the bookings rows are from %s on",
        r->periods[p].label, amt, m, m);
}

/* Which margin the contribution uses, then the payback: only when most
 * trials invest (their cumulative contribution goes below 0), since an
 * existing team that is profitable from its first month has nothing to
 * pay back (MODEL.md 10.11). */
static void print_payback(FILE *f, const sp_results *r, int width)
{
    char m[8], sh[SP_FMT_MAX], gm[SP_FMT_MAX], ni[SP_FMT_MAX];
    sp_fmt_percent(r->model.gross_margin, 1, gm, sizeof gm);
    say(f, width, "Contribution = revenue x gross margin %s - cost", gm);
    if (!(r->payback_share_no_investment < 0.5))
        return;
    /* both shares are of all trials, as in JSON */
    sp_fmt_percent(r->payback_share_never, 1, sh, sizeof sh);
    sp_fmt_percent(r->payback_share_no_investment, 1, ni, sizeof ni);
    const char *tail = r->payback_share_no_investment > 0 ? "; no investment in "
                                                           : "";
    if (r->payback_p50 >= 0) {
        sp_format_month(r->model.start + r->payback_p50, m);
        if (r->payback_share_never > 0)
            say(f, width, "Payback month (P50): %s; never paid back in %s of "
                          "trials%s%s", m, sh, tail,
                *tail ? ni : "");
        else
            say(f, width, "Payback month (P50): %s%s%s", m, tail,
                *tail ? ni : "");
    } else {
        say(f, width, "Payback month (P50): never; never paid back in %s of "
                      "trials%s%s", sh, tail, *tail ? ni : "");
    }
}

/* Quota and capacity against the target: a fiscal year's own target
 * only, so the horizon's column stays empty.  0 when memory ran out. */
static int coverage_rows(sp_table *t, const sp_results *r, const int *cols,
                         int ncols)
{
    static const int cov_rows[] = {SP_M_COVERAGE, SP_M_CAPACITY_COVERAGE};
    char label[SP_FMT_MAX + 16];
    for (size_t k = 0; k < 2; k++) {
        int m = cov_rows[k];
        snprintf(label, sizeof label, "%s P50", sp_metric_label(m));
        int row = stat_row(t, r, cols, ncols, label, m, -1, SP_P50);
        if (row < 0)
            return 0;
        for (int c = 0; row > 0 && c < ncols; c++)
            if (r->periods[cols[c]].is_total)
                sp_table_set(t, sp_table_rows(t) - 1, c, "");
    }
    return 1;
}

/* The summary's "At quota ROLE" and "At OTE ROLE" rows, where the role
 * has them.  0 when memory ran out. */
static int share_rows(sp_table *t, const sp_results *r, const int *cols,
                      int ncols, int i)
{
    char buf[SP_FMT_MAX], label[SP_FMT_MAX + 16];
    for (int k = 0; k < 2; k++) {
        if (k == 0 && !any_attainment(r, i))
            continue;
        if (k == 1 && !role_has_target(r, i))
            continue;
        snprintf(label, sizeof label, "%s %s",
                 k == 0 ? "At quota" : "At OTE", r->model.roles[i].id);
        int row = sp_table_row(t, label);
        if (row < 0)
            return 0;
        for (int c = 0; c < ncols; c++) {
            const sp_rep_stats *rs = &r->reps[(size_t)cols[c] * r->nroles + i];
            if (rs->records == 0)
                continue;
            double x = k == 0 ? rs->share_at_quota : rs->share_at_ote;
            sp_fmt_percent(x, 1, buf, sizeof buf);
            sp_table_set_num(t, row, c, buf, x);
        }
    }
    return 1;
}

/* The quarter line under each fiscal year: P(target) of its quarters Q1
 * to Q4 in one cell, "—" for a quarter outside the horizon, whole
 * percentages so that four fit a column.  0 when memory ran out. */
static int quarter_line(sp_table *t, const sp_results *r, const int *cols,
                        int ncols)
{
    if (r->nquarters <= 0)
        return 1;
    int row = sp_table_row(t, "  Q1/Q2/Q3/Q4");
    if (row < 0)
        return 0;
    for (int c = 0; c < ncols; c++) {
        const sp_period *pe = &r->periods[cols[c]];
        if (pe->is_total || isnan(r->p_target[cols[c]]))
            continue;
        char cell[64] = "", one[8];
        for (int qn = 1; qn <= 4; qn++) {
            double x = NAN;
            for (int k = 0; k < r->nquarters; k++) {
                const sp_period *q = &r->periods[r->nperiods + k];
                if (q->fiscal_year == pe->fiscal_year && q->quarter == qn)
                    x = r->p_target[r->nperiods + k];
            }
            if (isnan(x))
                snprintf(one, sizeof one, "\xe2\x80\x94");
            else
                snprintf(one, sizeof one, "%.0f", floor(x * 100 + 0.5));
            size_t n = strlen(cell);
            snprintf(cell + n, sizeof cell - n, "%s%s", qn > 1 ? "/" : "", one);
        }
        size_t n = strlen(cell);
        snprintf(cell + n, sizeof cell - n, "%%");
        sp_table_set(t, row, c, cell);
    }
    return 1;
}

/* Bookings P10, P50 and P90: the rows every summary opens with.  0 when
 * memory ran out. */
static int bookings_spread_rows(sp_table *t, const sp_results *r,
                                const int *cols, int ncols)
{
    char label[SP_FMT_MAX + 16];
    for (int k = 0; k < 3; k++) {
        snprintf(label, sizeof label, "%s %s", sp_metric_label(SP_M_BOOKINGS),
                 pct_label[k]);
        if (stat_row(t, r, cols, ncols, label, SP_M_BOOKINGS, -1,
                     pct_index[k]) < 0)
            return 0;
    }
    return 1;
}

/* Cost P90 and P(budget) beside the cost P50, when a budget is set.  0
 * when memory ran out. */
static int budget_rows(sp_table *t, const sp_results *r, const int *cols,
                       int ncols)
{
    char buf[SP_FMT_MAX];
    if (r->model.nbudget <= 0 || !r->p_budget)
        return 1;
    if (stat_row(t, r, cols, ncols, "Cost P90", SP_M_COST, -1, SP_P90) < 0)
        return 0;
    int row = sp_table_row(t, "P(budget)");
    if (row < 0)
        return 0;
    for (int c = 0; c < ncols; c++) {
        if (r->periods[cols[c]].is_total || isnan(r->p_budget[cols[c]]))
            continue;
        sp_fmt_percent(r->p_budget[cols[c]], 1, buf, sizeof buf);
        sp_table_set_num(t, row, c, buf, r->p_budget[cols[c]]);
    }
    return 1;
}

void sp_report_summary(FILE *f, const sp_results *r, int width, int color)
{
    sp_report_summary_role(f, r, -1, width, color);
}

void sp_report_summary_role(FILE *f, const sp_results *r, int role, int width,
                            int color)
{
    int cols[SP_MAX_HORIZON + 2], partial;
    char buf[SP_FMT_MAX], label[SP_FMT_MAX + 16];

    print_heading(f, r, width);
    if (r->nperiods <= 0) {
        fputs("No periods.\n", f);
        return;
    }
    int ncols = period_columns(r, cols, &partial);
    sp_table *t = sp_table_new(ncols, "");
    if (!t) {
        oom(f);
        return;
    }
    set_headers_periods(t, r, cols, ncols);
    blank(f);
    int ok = bookings_spread_rows(t, r, cols, ncols);
    int has_target = 0;
    for (int c = 0; c < ncols && r->p_target; c++)
        if (!r->periods[cols[c]].is_total && !isnan(r->p_target[cols[c]]))
            has_target = 1;
    if (ok && has_target) {
        int row = sp_table_row(t, "P(target)");
        ok = row >= 0;
        for (int c = 0; ok && c < ncols; c++) {
            /* The horizon total has no target of its own: left blank
             * rather than shown as undefined. */
            if (r->periods[cols[c]].is_total)
                continue;
            sp_fmt_percent(r->p_target[cols[c]], 1, buf, sizeof buf);
            sp_table_set_num(t, row, c, buf, r->p_target[cols[c]]);
        }
    }
    ok = ok && (!has_target || quarter_line(t, r, cols, ncols));
    ok = ok && (!has_target || coverage_rows(t, r, cols, ncols));
    /* The medians shown under the bookings; a stock is taken at the end
     * of each period. */
    static const int p50_rows[] = {SP_M_COST, SP_M_COS, SP_M_CONTRIBUTION,
                                   SP_M_HEADCOUNT};
    for (size_t k = 0; ok && k < sizeof p50_rows / sizeof p50_rows[0]; k++) {
        int m = p50_rows[k];
        snprintf(label, sizeof label, "%s P50%s", sp_metric_label(m),
                 sp_metric_is_stock(m) ? " (end)" : "");
        ok = stat_row(t, r, cols, ncols, label, m, -1, SP_P50) >= 0;
        if (ok && m == SP_M_COST)
            ok = budget_rows(t, r, cols, ncols);
    }
    for (int i = 0; ok && i < r->nroles; i++) {
        if (role >= 0 && i != role)
            continue;
        snprintf(label, sizeof label, "  %s", r->model.roles[i].id);
        ok = stat_row(t, r, cols, ncols, label, SP_M_HEADCOUNT, i,
                      SP_P50) >= 0;
        if (ok && role >= 0 && monthly_present(r, SP_M_COST, i)) {
            snprintf(label, sizeof label, "  cost of %s P50", r->model.roles[i].id);
            ok = stat_row(t, r, cols, ncols, label, SP_M_COST, i, SP_P50) >= 0;
        }
    }
    for (int i = 0; ok && i < r->nroles; i++)
        if (sp_results_any_records(r, i) && (role < 0 || i == role))
            ok = share_rows(t, r, cols, ncols, i);
    if (!ok) {
        sp_table_free(t);
        oom(f);
        return;
    }
    sp_table_print(f, t, width, color);
    sp_table_free(t);
    if (partial)
        say(f, width, "* partial fiscal year (cut by the horizon)");
    print_ytd(f, r, width);
    blank(f);
    print_payback(f, r, width);
}

/* A row of per-period probabilities (P(target), P(budget)); skipped
 * when no column has one.  0 when memory ran out. */
static int prob_row(sp_table *t, const char *label, const double *p,
                    const int *cols, int ncols)
{
    char buf[SP_FMT_MAX];
    int any = 0;
    for (int c = 0; p && c < ncols; c++)
        any |= !isnan(p[cols[c]]);
    if (!any)
        return 1;
    int row = sp_table_row(t, label);
    if (row < 0)
        return 0;
    for (int c = 0; c < ncols; c++) {
        sp_fmt_percent(p[cols[c]], 1, buf, sizeof buf);
        sp_table_set_num(t, row, c, buf, p[cols[c]]);
    }
    return 1;
}

void sp_report_summary_quarters(FILE *f, const sp_results *r, int role,
                                int width, int color)
{
    int cols[SP_MAX_HORIZON + 2], partial;
    char label[SP_FMT_MAX + 16];
    print_heading(f, r, width);
    int ncols = quarter_columns(r, cols, &partial);
    sp_table *t = ncols > 0 ? sp_table_new(ncols, "") : NULL;
    if (!t) {
        oom(f);
        return;
    }
    set_headers_periods(t, r, cols, ncols);
    blank(f);
    int ok = bookings_spread_rows(t, r, cols, ncols);
    if (ok && r->model.ntarget > 0) {
        double v[SP_MAX_HORIZON + 2];
        for (int c = 0; c < ncols; c++)
            v[c] = sp_results_target(r, cols[c]);
        ok = put_row(t, r, "Target", FMT_MONEY, 0, v, ncols) >= 0 &&
             prob_row(t, "P(target)", r->p_target, cols, ncols);
    }
    static const int p50_rows[] = {SP_M_ATTAINMENT, SP_M_COST, SP_M_COS,
                                   SP_M_CONTRIBUTION, SP_M_HEADCOUNT};
    for (size_t k = 0; ok && k < sizeof p50_rows / sizeof p50_rows[0]; k++) {
        int m = p50_rows[k];
        snprintf(label, sizeof label, "%s P50%s", sp_metric_label(m),
                 sp_metric_is_stock(m) ? " (end)" : "");
        ok = stat_row(t, r, cols, ncols, label, m, -1, SP_P50) >= 0;
    }
    for (int i = 0; ok && i < r->nroles; i++) {
        if (role >= 0 && i != role)
            continue;
        snprintf(label, sizeof label, "  %s", r->model.roles[i].id);
        ok = stat_row(t, r, cols, ncols, label, SP_M_HEADCOUNT, i,
                      SP_P50) >= 0;
    }
    if (ok)
        sp_table_print(f, t, width, color);
    else
        oom(f);
    sp_table_free(t);
    if (ok && partial)
        say(f, width, "* partial quarter (cut by the horizon); a partial "
                      "quarter keeps its full target");
}

/* ---- grids of one metric ---------------------------------------------- */

static const sp_stat *month_stat(const sp_results *r, int metric, int role,
                                 int t)
{
    int s = sp_series(r, metric, role);
    return &r->monthly[(size_t)s * r->model.horizon + t];
}

static void print_spark(FILE *f, const sp_results *r, int metric, int role,
                        int width)
{
    int h = r->model.horizon;
    double *x = malloc((size_t)(h > 0 ? h : 1) * sizeof *x);
    char *buf = malloc((size_t)h * 3 + 1);
    if (!x || !buf) {
        free(x);
        free(buf);
        return;
    }
    for (int t = 0; t < h; t++)
        x[t] = month_stat(r, metric, role, t)->p[SP_P50];
    sp_sparkline(x, h, buf, (size_t)h * 3 + 1);
    /* Split into lines that fit: each glyph is 3 bytes and one column. */
    const char *lead = "P50 trend  ";
    int room = width > 0 ? width - (int)strlen(lead) : h;
    if (room < 8)
        room = 8;
    for (int t = 0; t < h; t += room) {
        int n = h - t < room ? h - t : room;
        fprintf(f, "%s%.*s\n", t == 0 ? lead : "           ", n * 3,
                buf + (size_t)t * 3);
    }
    free(x);
    free(buf);
}

static int role_rows_wanted(const sp_results *r, int metric, int role)
{
    return role == -1 && !sp_metric_total_only(metric) && r->nroles > 0;
}

static sp_table *grid_by_month(const sp_results *r, int metric, int role,
                               const char *corner)
{
    int h = r->model.horizon < SP_MAX_HORIZON ? r->model.horizon
                                              : SP_MAX_HORIZON;
    value_fmt k = metric_fmt(metric);
    char buf[SP_FMT_MAX], label[SP_FMT_MAX];
    double v[SP_MAX_HORIZON];
    sp_table *t = sp_table_new(h, corner);
    if (!t)
        return NULL;
    for (int c = 0; c < h; c++) {
        sp_format_month(r->model.start + c, buf);
        sp_table_header(t, c, buf);
    }
    for (int k4 = 0; k4 < 4; k4++) {
        for (int c = 0; c < h; c++) {
            const sp_stat *st = month_stat(r, metric, role, c);
            v[c] = k4 < 3 ? st->p[pct_index[k4]] : st->mean;
        }
        if (put_row(t, r, k4 < 3 ? pct_label[k4] : "mean", k, 1, v, h) < 0)
            goto fail;
    }
    if (role_rows_wanted(r, metric, role)) {
        int sep = 0;
        for (int i = 0; i < r->nroles; i++) {
            if (!monthly_present(r, metric, i))
                continue;
            if (!sep && sp_table_row(t, NULL) < 0)
                goto fail;
            sep = 1;
            snprintf(label, sizeof label, "P50 %s", r->model.roles[i].id);
            for (int c = 0; c < h; c++)
                v[c] = month_stat(r, metric, i, c)->p[SP_P50];
            if (put_row(t, r, label, k, 1, v, h) < 0)
                goto fail;
        }
    }
    return t;
fail:
    sp_table_free(t);
    return NULL;
}

/* Fiscal years and the total, or the fiscal quarters (quarters set):
 * exact percentiles of per-trial period values either way. */
static sp_table *grid_by_period(const sp_results *r, int metric, int role,
                                const char *corner, int *partial,
                                int quarters)
{
    int cols[SP_MAX_HORIZON + 2];
    char label[SP_FMT_MAX];
    int ncols = quarters ? quarter_columns(r, cols, partial)
                         : period_columns(r, cols, partial);
    if (ncols == 0)
        return NULL;
    sp_table *t = sp_table_new(ncols, corner);
    if (!t)
        return NULL;
    set_headers_periods(t, r, cols, ncols);
    for (int k4 = 0; k4 < 4; k4++)
        if (stat_row(t, r, cols, ncols, k4 < 3 ? pct_label[k4] : "mean",
                     metric, role, k4 < 3 ? pct_index[k4] : -1) < 0)
            goto fail;
    if (role_rows_wanted(r, metric, role)) {
        int sep = 0;
        for (int i = 0; i < r->nroles; i++) {
            if (!period_stat(r, cols[0], metric, i))
                continue;
            if (!sep && sp_table_row(t, NULL) < 0)
                goto fail;
            sep = 1;
            snprintf(label, sizeof label, "P50 %s", r->model.roles[i].id);
            if (stat_row(t, r, cols, ncols, label, metric, i, SP_P50) < 0)
                goto fail;
        }
    }
    return t;
fail:
    sp_table_free(t);
    return NULL;
}

void sp_report_grid(FILE *f, const sp_results *r, int metric, int role,
                    int by, int width, int color)
{
    const char *name = sp_metric_name(metric);
    char corner[SP_FMT_MAX], tr[SP_FMT_MAX];
    int partial = 0;

    if (!name || metric >= SP_M_NPERIOD) {
        fputs("unknown metric\n", f);
        return;
    }
    if (role < -1 || role >= r->nroles) {
        fputs("unknown role\n", f);
        return;
    }
    if (by != SP_BY_MONTH && by != SP_BY_QUARTER)
        by = SP_BY_YEAR;
    if (role >= 0)
        snprintf(corner, sizeof corner, "%s.%s", name, r->model.roles[role].id);
    else
        snprintf(corner, sizeof corner, "%s", name);

    int period_only = metric >= SP_M_NMONTHLY;
    const char *note = NULL;
    if (period_only && by == SP_BY_MONTH) {
        note = "kept per period only; shown by fiscal year";
        by = SP_BY_YEAR;
    }
    int present = by != SP_BY_MONTH
                      ? period_stat(r, 0, metric, role) != NULL
                      : monthly_present(r, metric, role);
    if (!present) {
        if (role >= 0)
            fprintf(f, "%s is not recorded for role %s\n", name,
                    r->model.roles[role].id);
        else
            fprintf(f, "%s is not recorded\n", name);
        return;
    }

    sp_fmt_count(r->trials, 0, tr, sizeof tr);
    say(f, width, "%s by %s, %s trials%s%s%s", corner,
            by == SP_BY_MONTH ? "month" : by == SP_BY_QUARTER
                                              ? "fiscal quarter"
                                              : "fiscal year",
            tr, note ? " (" : "", note ? note : "", note ? ")" : "");
    if (r->interrupted)
        say(f, width, "Run interrupted: figures cover the trials completed.");
    sp_table *t;
    if (by == SP_BY_MONTH) {
        if (sp_table_mode() == SP_MODE_TABLE)
            print_spark(f, r, metric, role, width);
        t = grid_by_month(r, metric, role, corner);
    } else {
        t = grid_by_period(r, metric, role, corner, &partial,
                           by == SP_BY_QUARTER);
    }
    if (!t) {
        oom(f);
        return;
    }
    blank(f);
    sp_table_print(f, t, width, color);
    sp_table_free(t);
    if (partial)
        say(f, width, "* partial %s (cut by the horizon)",
            by == SP_BY_QUARTER ? "quarter" : "fiscal year");
    /* Headcount against a headcount plan: how often HR delivers it. */
    for (int i = 0; metric == SP_M_HEADCOUNT && i < r->nroles; i++) {
        if ((role >= 0 && role != i) || !r->model.roles[i].has_plan ||
            !monthly_present(r, SP_M_PLAN_MET, i))
            continue;
        blank(f);
        say(f, width, "%s against its headcount plan: the mean is the share "
            "of trials at or above plan", r->model.roles[i].id);
        sp_report_grid(f, r, SP_M_PLAN_MET, i, by, width, color);
    }
}

/* ---- reps ------------------------------------------------------------- */

static const char *kind_name(sp_role_kind k)
{
    return k == SP_KIND_QUOTA ? "quota" : k == SP_KIND_SUPPORT ? "support"
                                                              : "manager";
}

static sp_table *reps_table(const sp_results *r, int role, int *partial)
{
    int cols[SP_MAX_HORIZON + 2];
    char buf[SP_FMT_MAX];
    int ncols = period_columns(r, cols, partial);
    sp_table *t = sp_table_new(ncols, "");
    if (!t)
        return NULL;
    set_headers_periods(t, r, cols, ncols);
    /* Each row: which figure, and how it prints. */
    /* P5 .. P95, so that a cap or a floor shows as a flat top or bottom;
     * annual earnings are those of whole periods, the pay of a person on
     * the plan for a year (starts and leavers left out). */
#define PCTS(name, what) \
        {name " P5", what, SP_P5}, {name " P10", what, SP_P10}, \
        {name " P25", what, SP_P25}, {name " P50", what, SP_P50}, \
        {name " P75", what, SP_P75}, {name " P90", what, SP_P90}, \
        {name " P95", what, SP_P95}, {name " mean", what, -1}
    static const struct { const char *label; int what; int pct; } rows[] = {
        {"records", 0, 0},
        PCTS("attainment", 1),
        PCTS("earnings", 2),
        PCTS("annual earnings", 5),
        {"at quota", 3, 0}, {"at OTE", 4, 0},
    };
#undef PCTS
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        int row = sp_table_row(t, rows[k].label);
        if (row < 0) {
            sp_table_free(t);
            return NULL;
        }
        for (int c = 0; c < ncols; c++) {
            const sp_rep_stats *rs = &r->reps[(size_t)cols[c] * r->nroles + role];
            if (rs->records == 0 && rows[k].what != 0)
                continue;
            const sp_stat *st = rows[k].what == 1 ? &rs->attainment
                                : rows[k].what == 5 ? &rs->earnings_annual
                                                    : &rs->earnings;
            double v = rows[k].pct < 0 ? st->mean : st->p[rows[k].pct];
            switch (rows[k].what) {
            case 0:
                v = (double)rs->records;
                sp_fmt_count(v, 0, buf, sizeof buf);
                break;
            case 1:
                sp_fmt_percent(v, 1, buf, sizeof buf);
                break;
            case 2:
            case 5:
                sp_fmt_money(v, r->model.currency, buf, sizeof buf);
                break;
            case 3:
                v = rs->share_at_quota;
                sp_fmt_percent(v, 1, buf, sizeof buf);
                break;
            default:
                v = rs->share_at_ote;
                sp_fmt_percent(v, 1, buf, sizeof buf);
                break;
            }
            sp_table_set_num(t, row, c, buf, v);
        }
    }
    return t;
}

/* `show reps ROLE` of a rostered role: each person by id, so that a
 * planner sees who is at risk.  Attainment is the person's own bookings
 * over own quota, earnings its pay, over the periods settled in the
 * horizon while employed (a leaver's stop at the departure). */
static void print_people(FILE *f, const sp_results *r, int role, int width)
{
    static const char *const hdr[6] = {"Attain. P10", "P50", "P90",
                                       "Earnings P10", "P50", "P90"};
    static const int pk[3] = {SP_P10, SP_P50, SP_P90};
    int n = 0;
    for (int k = 0; k < r->npeople; k++)
        n += r->people[k].role == role;
    if (n == 0)
        return;
    sp_table *t = sp_table_new(6, "");
    if (!t) {
        oom(f);
        return;
    }
    for (int c = 0; c < 6; c++)
        sp_table_header(t, c, hdr[c]);
    char buf[SP_FMT_MAX], name[SP_ID_MAX + 8];
    for (int k = 0, i = 0; k < r->npeople; k++) {
        const sp_person_stats *ps = &r->people[k];
        if (ps->role != role)
            continue;
        i++;
        if (ps->id[0])
            snprintf(name, sizeof name, "%s", ps->id);
        else
            snprintf(name, sizeof name, "row %d", i);
        int row = sp_table_row(t, name);
        for (int c = 0; row >= 0 && c < 3; c++) {
            double a = ps->attainment.p[pk[c]], e = ps->earnings.p[pk[c]];
            sp_fmt_percent(a, 1, buf, sizeof buf);
            sp_table_set_num(t, row, c, buf, a);
            sp_fmt_money(e, r->model.currency, buf, sizeof buf);
            sp_table_set_num(t, row, 3 + c, buf, e);
        }
    }
    blank(f);
    say(f, width, "Rostered %s by id: own attainment and earnings over the "
                  "horizon, all trials", r->model.roles[role].id);
    blank(f);
    sp_table_print(f, t, width, 0);
    sp_table_free(t);
    say(f, width, "Earnings stop when a person leaves (attrition), so the "
                  "low percentiles hold the trials in which that person left.");
}

void sp_report_reps(FILE *f, const sp_results *r, int role, int width)
{
    int shown = 0, partial = 0;
    if (role < -1 || role >= r->nroles) {
        fputs("unknown role\n", f);
        return;
    }
    for (int i = 0; i < r->nroles; i++) {
        if ((role >= 0 && i != role) || !sp_results_any_records(r, i))
            continue;
        sp_table *t = reps_table(r, i, &partial);
        if (!t) {
            oom(f);
            return;
        }
        if (shown)
            blank(f);
        say(f, width, "Role %s (%s): rep outcomes per settled period, all "
                      "trials", r->model.roles[i].id,
            kind_name(r->model.roles[i].kind));
        blank(f);
        sp_table_print(f, t, width, 0);
        sp_table_free(t);
        shown++;
    }
    if (!shown) {
        if (role >= 0)
            fprintf(f, "no rep records for role %s\n", r->model.roles[role].id);
        else
            fputs("no rep records\n", f);
        return;
    }
    if (partial)
        say(f, width, "* partial fiscal year (cut by the horizon)");
    if (role >= 0)
        print_people(f, r, role, width);
}

/* `show reps ROLE in A B ...`: the role's outcomes over each scenario's
 * horizon, a column a scenario. */
void sp_report_reps_side(FILE *f, const sp_results *const *rs,
                         const int *roles, int n, int width, int color)
{
    sp_table *t = sp_table_new(n, "");
    if (!t) {
        oom(f);
        return;
    }
    static const struct { const char *label; int what; int pct; } rows[] = {
        {"records", 0, 0},
        {"attainment P10", 1, SP_P10}, {"attainment P50", 1, SP_P50},
        {"attainment P90", 1, SP_P90}, {"attainment mean", 1, -1},
        {"earnings P10", 2, SP_P10}, {"earnings P50", 2, SP_P50},
        {"earnings P90", 2, SP_P90},
        {"at quota", 3, 0}, {"at OTE", 4, 0},
    };
    for (int c = 0; c < n; c++)
        sp_table_header(t, c, rs[c]->model.name);
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        int row = sp_table_row(t, rows[k].label);
        for (int c = 0; row >= 0 && c < n; c++) {
            const sp_results *r = rs[c];
            int tp = sp_results_total_period(r);
            if (tp < 0 || roles[c] < 0)
                continue;
            const sp_rep_stats *q = &r->reps[(size_t)tp * r->nroles + roles[c]];
            if (q->records == 0 && rows[k].what != 0)
                continue;
            const sp_stat *st = rows[k].what == 1 ? &q->attainment : &q->earnings;
            double v = rows[k].pct < 0 ? st->mean : st->p[rows[k].pct];
            char buf[SP_FMT_MAX];
            switch (rows[k].what) {
            case 0: v = (double)q->records; sp_fmt_count(v, 0, buf, sizeof buf); break;
            case 2: sp_fmt_money(v, r->model.currency, buf, sizeof buf); break;
            case 3: v = q->share_at_quota; sp_fmt_percent(v, 1, buf, sizeof buf); break;
            case 4: v = q->share_at_ote; sp_fmt_percent(v, 1, buf, sizeof buf); break;
            default: sp_fmt_percent(v, 1, buf, sizeof buf); break;
            }
            sp_table_set_num(t, row, c, buf, v);
        }
    }
    say(f, width, "Role %s: rep outcomes over each scenario's horizon, all "
                  "trials", rs[0]->model.roles[roles[0]].id);
    blank(f);
    sp_table_print(f, t, width, color);
    sp_table_free(t);
}
