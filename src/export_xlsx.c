/* The comparison workbook: what a finance team opens after a run.
 *
 * Layout (INTERFACE.md section 5):
 *   Summary   one column per scenario, rows grouped by fiscal year and the
 *             horizon total; the best value of each row marked by a
 *             conditional format; differences to the first scenario as
 *             formulas; two comparison charts below.
 *   SCENARIO  one sheet each: header, the monthly grid with yearly and
 *             total columns as formulas (panes frozen on its labels and
 *             month header), chart data and three charts, then the
 *             assumptions (the parameter table and the re-loadable
 *             script).
 *   Reps      attainment and earnings percentiles per role and scenario;
 *             histograms (tables and column charts, two charts abreast)
 *             of attainment per role and of earnings per role and
 *             scenario.
 *   Compare   (two or more runs with equal trials, after the Summary) the
 *             paired differences against the first scenario per fiscal
 *             year and horizon total, with a column chart.
 *   Sweep     (the session's last sweep) its points and a line chart; for a
 *             grid also the P50 table with one line per second value.
 *   Tornado   (the session's last tornado) the inputs by swing and a bar
 *             chart of each end's change from the base.
 *
 * Every derived cell (yearly totals, differences, chart bands) is an Excel
 * formula with its value cached, so the workbook reads correctly in a
 * viewer that never recalculates and stays live when a user edits it.
 *
 * libxlsxwriter 1.1.4 has no chart_combine, so the fan chart is a stacked
 * area of an invisible P10 base and two bands (P10-P50, P50-P90) in two
 * shades: the median is the seam between them.
 *
 * This file holds the workbook's plumbing (sheet and defined names,
 * formats, cells, charts), the Summary and the build; the scenario sheets
 * and Reps are in xlsx_scenario.c, Compare, Sweep and Tornado in
 * xlsx_analysis.c. */
#include "salesplan/export_xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "salesplan/file.h"
#include "salesplan/rng.h"
#include "salesplan/table.h"
#include "salesplan/utf8.h"

#include "xlsx_private.h"

void xw_chk(xw *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->lerr == LXW_NO_ERROR)
        x->lerr = e;
}

/* ---- names ------------------------------------------------------------ */

int sp_xlsx_path(const char *path)
{
    size_t len = path ? strlen(path) : 0;
    if (len < 5)
        return 0;
    const char *ext = path + len - 5, *want = ".xlsx";
    for (int i = 0; i < 5; i++)
        if (tolower((unsigned char)ext[i]) != want[i])
            return 0;
    return 1;
}

void sp_xlsx_sheet_name(const char *name, char *out, size_t size)
{
    size_t o = 0;
    int chars = 0;

    if (size == 0)
        return;
    const unsigned char *s = (const unsigned char *)(name ? name : "");
    while (*s == '\'')
        s++;
    while (*s && chars < LXW_SHEETNAME_MAX) {
        size_t len = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2
                     : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 1;
        size_t k = 0;
        while (k < len && s[k])
            k++;
        if (k < len || o + k + 1 > size)
            break;
        if (len == 1 && (strchr("[]:*?/\\", *s) || *s < 0x20 || *s >= 0x80))
            out[o++] = '_';     /* forbidden, a control, or a stray byte */
        else
            memcpy(out + o, s, len), o += len;
        s += len;
        chars++;
    }
    while (o > 0 && out[o - 1] == '\'')
        o--;
    out[o] = '\0';
    if (o == 0)
        snprintf(out, size, "Scenario");
}

static int same_name_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Cuts s to at most max characters without splitting a UTF-8 sequence. */
static void cut_chars(char *s, int max)
{
    int chars = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > max) {
            *p = '\0';
            return;
        }
    }
}

/* A sheet name unique (case-insensitively, as Excel compares) among the
 * names already taken, made so by a " (2)", " (3)" suffix. */
static void unique_sheet_name(const char *base, char taken[][NAME_BYTES],
                              int ntaken, char *out)
{
    char cand[NAME_BYTES];
    snprintf(cand, sizeof cand, "%s", base);
    for (int k = 2;; k++) {
        int clash = 0;
        for (int i = 0; i < ntaken && !clash; i++)
            clash = same_name_ci(cand, taken[i]);
        if (!clash)
            break;
        char suffix[16];
        int sl = snprintf(suffix, sizeof suffix, " (%d)", k);
        snprintf(cand, sizeof cand, "%s", base);
        cut_chars(cand, LXW_SHEETNAME_MAX - sl);
        strncat(cand, suffix, sizeof cand - strlen(cand) - 1);
    }
    snprintf(out, NAME_BYTES, "%s", cand);
}

/* The prefix of a scenario's defined names: its name in lower case with
 * anything but ASCII letters and digits turned into '_' (which also keeps
 * it from reading as a cell reference such as A1 or R1C1), never starting
 * with a digit, and unique among those taken. */
static void name_prefix(const char *name, int index, char taken[][40],
                        int ntaken, char *out)
{
    char b[40];
    size_t o = 0;
    for (const char *p = name; *p && o < 24; p++) {
        unsigned char c = (unsigned char)*p;
        b[o++] = (char)(isalnum(c) && c < 0x80 ? tolower(c) : '_');
    }
    b[o] = '\0';
    if (o == 0 || isdigit((unsigned char)b[0])) {
        char t[40];
        snprintf(t, sizeof t, "%s", b);
        snprintf(b, sizeof b, "s%d_%.24s", index + 1, t);
    }
    snprintf(out, 40, "%s", b);
    for (int k = 2;; k++) {
        int clash = 0;
        for (int i = 0; i < ntaken && !clash; i++)
            clash = strcmp(out, taken[i]) == 0;
        if (!clash)
            return;
        snprintf(out, 40, "%.24s_%d", b, k);
    }
}

/* 'Sheet name' with inner apostrophes doubled, for formulas. */
void xw_quoted(const char *sheet, char *out, size_t size)
{
    size_t o = 0;
    if (size < 3)
        return;
    out[o++] = '\'';
    for (const char *p = sheet; *p && o + 3 < size; p++) {
        if (*p == '\'')
            out[o++] = '\'';
        out[o++] = *p;
    }
    out[o++] = '\'';
    out[o] = '\0';
}

void xw_define_range(xw *x, const char *prefix, const char *what,
                         const sheet *sh, int r0, int c0, int r1, int c1)
{
    char name[96], q[2 * NAME_BYTES + 3], a[32], b[32], f[2 * NAME_BYTES + 80];
    snprintf(name, sizeof name, "%s_%s", prefix, what);
    xw_quoted(sh->name, q, sizeof q);
    lxw_rowcol_to_cell_abs(a, (lxw_row_t)r0, (lxw_col_t)c0, 1, 1);
    lxw_rowcol_to_cell_abs(b, (lxw_row_t)r1, (lxw_col_t)c1, 1, 1);
    snprintf(f, sizeof f, "=%s!%s:%s", q, a, b);
    xw_chk(x, workbook_define_name(x->wb, name, f));
}

/* ---- formats ---------------------------------------------------------- */

static lxw_format *fmt(xw *x, const char *num, int bold)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        x->nomem = 1;
        return NULL;
    }
    if (num)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    return f;
}

static void make_formats(xw *x)
{
    x->title = fmt(x, NULL, 1);
    if (x->title)
        format_set_font_size(x->title, 14);
    x->bold = fmt(x, NULL, 1);
    x->head = fmt(x, NULL, 1);
    if (x->head) {
        format_set_bottom(x->head, LXW_BORDER_THIN);
        format_set_bg_color(x->head, 0xDDEBF7);
    }
    x->head_r = fmt(x, NULL, 1);
    if (x->head_r) {
        format_set_bottom(x->head_r, LXW_BORDER_THIN);
        format_set_bg_color(x->head_r, 0xDDEBF7);
        format_set_align(x->head_r, LXW_ALIGN_RIGHT);
    }
    /* A left-aligned column right of a right-aligned one: an indent
     * keeps their texts from touching. */
    x->head_ind = fmt(x, NULL, 1);
    if (x->head_ind) {
        format_set_bottom(x->head_ind, LXW_BORDER_THIN);
        format_set_bg_color(x->head_ind, 0xDDEBF7);
        format_set_indent(x->head_ind, 1);
    }
    x->indent = fmt(x, NULL, 0);
    if (x->indent)
        format_set_indent(x->indent, 1);
    x->group = fmt(x, NULL, 1);
    if (x->group)
        format_set_bg_color(x->group, 0xF2F2F2);
    x->note = fmt(x, NULL, 0);
    if (x->note) {
        format_set_italic(x->note);
        format_set_font_color(x->note, 0x595959);
    }
    x->pct = fmt(x, "0.0%", 0);
    x->pct_param = fmt(x, "0.0##%", 0);
    /* Analysis tables list many shares one under another: one fixed
     * number of decimals lines them up. */
    x->pct2 = fmt(x, "0.00%", 0);
    x->count = fmt(x, "#,##0.0", 0);
    /* Differences of headcount are often a fraction of a person. */
    x->count2 = fmt(x, "#,##0.00", 0);
    x->mult = fmt(x, "0.00\"\xc3\x97\"", 0);
    x->whole = fmt(x, "#,##0", 0);
    x->plain = fmt(x, "General", 0);
    x->month = fmt(x, "mmm yyyy", 0);
    x->pct_param_l = fmt(x, "0.0##%", 0);
    x->whole_l = fmt(x, "#,##0", 0);
    x->plain_l = fmt(x, "General", 0);
    x->month_l = fmt(x, "mmm yyyy", 0);
    lxw_format *left[] = {x->pct_param_l, x->whole_l, x->plain_l, x->month_l};
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++)
        if (left[i])
            format_set_align(left[i], LXW_ALIGN_LEFT);
    x->month_head = fmt(x, "mmm yyyy", 1);
    if (x->month_head) {
        format_set_bottom(x->month_head, LXW_BORDER_THIN);
        format_set_bg_color(x->month_head, 0xDDEBF7);
    }
    x->best = workbook_add_format(x->wb);
    if (x->best) {
        format_set_bg_color(x->best, 0xC6EFCE);
        format_set_font_color(x->best, 0x006100);
        format_set_bold(x->best);
    }
    x->link = fmt(x, NULL, 0);
    if (x->link) {
        format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
        format_set_font_color(x->link, LXW_COLOR_BLUE);
    }
}

/* The money format of a currency sign, e.g. "¥"#,##0;-"¥"#,##0.  The sign
 * sits in quotes so that Excel shows it literally whatever the locale;
 * quotes inside the sign itself are dropped.  left: aligned left, for
 * values among text (the assumptions). */
static lxw_format *money_format(xw *x, const char *cur, int left)
{
    char c[SP_CURRENCY_MAX] = "", num[2 * SP_CURRENCY_MAX + 32];
    size_t o = 0;
    for (const char *p = cur ? cur : ""; *p && o + 1 < sizeof c; p++)
        if (*p != '"')
            c[o++] = *p;
    c[o] = '\0';
    sp_utf8_trim(c);
    for (int i = 0; i < x->nmoney; i++)
        if (strcmp(x->money[i].cur, c) == 0)
            return x->money[i].money[left];
    if (x->nmoney == MAX_CUR)
        return x->money[MAX_CUR - 1].money[left];
    if (c[0])
        snprintf(num, sizeof num, "\"%s\"#,##0;-\"%s\"#,##0", c, c);
    else
        snprintf(num, sizeof num, "#,##0;-#,##0");
    money_fmt *m = &x->money[x->nmoney++];
    sp_utf8_copy(m->cur, sizeof m->cur, c);
    m->money[0] = fmt(x, num, 0);
    m->money[1] = fmt(x, num, 0);
    if (m->money[1])
        format_set_align(m->money[1], LXW_ALIGN_LEFT);
    return m->money[left];
}

/* ---- cells ------------------------------------------------------------ */

static lxw_format *vformat(xw *x, vfmt v)
{
    if (v.left && v.kind != NF_MONEY)
        return v.kind == NF_PCTP || v.kind == NF_PCT || v.kind == NF_PCT2
               ? x->pct_param_l
               : v.kind == NF_PLAIN ? x->plain_l : x->whole_l;
    switch (v.kind) {
    case NF_MONEY: return money_format(x, v.cur, v.left);
    case NF_PCT: return x->pct;
    case NF_PCTP: return x->pct_param;
    case NF_PCT2: return x->pct2;
    case NF_COUNT: return x->count;
    case NF_COUNT2: return x->count2;
    case NF_MULT: return x->mult;
    case NF_WHOLE: return x->whole;
    case NF_PLAIN: break;
    }
    return x->plain;
}

static double vwidth(vfmt v, double value)
{
    char buf[SP_FMT_MAX];
    switch (v.kind) {
    case NF_MONEY: sp_fmt_money(value, v.cur, buf, sizeof buf); break;
    case NF_PCT: sp_fmt_percent(value, 1, buf, sizeof buf); break;
    case NF_PCTP: sp_fmt_percent(value, 3, buf, sizeof buf); break;
    case NF_PCT2: sp_fmt_percent(value, 2, buf, sizeof buf); break;
    case NF_COUNT: sp_fmt_count(value, 1, buf, sizeof buf); break;
    case NF_COUNT2: sp_fmt_count(value, 2, buf, sizeof buf); break;
    case NF_MULT: snprintf(buf, sizeof buf, "%.2f\xc3\x97", value); break;
    case NF_WHOLE: sp_fmt_count(value, 0, buf, sizeof buf); break;
    case NF_PLAIN: snprintf(buf, sizeof buf, "%.10g", value); break;
    }
    return sp_text_width(buf) + 2.5;
}

void xw_fit(sheet *sh, int col, double w)
{
    if (col >= 0 && col < MAXCOL && w > sh->width[col])
        sh->width[col] = w;
}

/* Counts of people are usually whole, even as a median: a row of them
 * reads better without a decimal that is always 0.  A row with a fraction
 * anywhere (an interpolated median, ramped equivalents) keeps one. */
numfmt xw_count_kind(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] != floor(v[i]))
            return NF_COUNT;
    return NF_WHOLE;
}

/* How a metric's figures show, from the metric table: money in the run's
 * currency, a share, or a count.  fine: one more decimal, which the
 * analysis sheets use to line up long columns of small differences. */
vfmt xw_metric_vfmt(int metric, const char *cur, int fine)
{
    switch (sp_metric_kind_of(metric)) {
    case SP_MK_RATIO: return (vfmt){fine ? NF_PCT2 : NF_PCT, NULL, 0};
    case SP_MK_COUNT: return (vfmt){fine ? NF_COUNT2 : NF_COUNT, NULL, 0};
    case SP_MK_MONEY: break;
    }
    return (vfmt){NF_MONEY, cur, 0};
}

void xw_put_str(xw *x, sheet *sh, int row, int col, const char *s,
                    lxw_format *f, int fitw)
{
    xw_chk(x, worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, s,
                                     f));
    if (fitw)
        xw_fit(sh, col, sp_text_width(s) * 1.1 + 2);
}

/* An undefined value (NaN) leaves the cell empty (ARCHITECTURE.md). */
void xw_put_num(xw *x, sheet *sh, int row, int col, double v, vfmt vf)
{
    if (!isfinite(v))
        return;
    xw_chk(x, worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v,
                                     vformat(x, vf)));
    xw_fit(sh, col, vwidth(vf, v));
}

void xw_put_formula(xw *x, sheet *sh, int row, int col, const char *f,
                        double cached, vfmt vf)
{
    xw_chk(x, worksheet_write_formula_num(sh->ws, (lxw_row_t)row,
                                          (lxw_col_t)col, f, vformat(x, vf),
                                          cached));
    xw_fit(sh, col, vwidth(vf, cached));
}

void xw_put_month(xw *x, sheet *sh, int row, int col, int month,
                      lxw_format *f)
{
    lxw_datetime d = {month / 12, month % 12 + 1, 1, 0, 0, 0};
    xw_chk(x, worksheet_write_datetime(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                       &d, f));
    xw_fit(sh, col, 11);
}

void xw_put_note(xw *x, sheet *sh, int row, int col, const char *text)
{
    xw_chk(x, worksheet_write_comment(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                      text));
}

void xw_apply_widths(sheet *sh, int ncols, double minw)
{
    for (int c = 0; c < ncols && c < MAXCOL; c++) {
        double w = sh->width[c] < minw ? minw : sh->width[c];
        if (w > MAX_WIDTH)
            w = MAX_WIDTH;
        worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
}

lxw_chart *xw_new_chart(xw *x, uint8_t type, const char *title)
{
    lxw_chart *c = workbook_add_chart(x->wb, type);
    if (!c) {
        x->nomem = 1;
        return NULL;
    }
    chart_title_set_name(c, title);
    chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
    return c;
}

lxw_chart_series *xw_add_series(lxw_chart *c, const sheet *sh,
                                    const char *name, int cat_row, int c0,
                                    int c1, int row, int vc0, int vc1)
{
    lxw_chart_series *s = chart_add_series(c, NULL, NULL);
    if (!s)
        return NULL;
    if (cat_row >= 0)
        chart_series_set_categories(s, sh->name, (lxw_row_t)cat_row,
                                    (lxw_col_t)c0, (lxw_row_t)cat_row,
                                    (lxw_col_t)c1);
    chart_series_set_values(s, sh->name, (lxw_row_t)row, (lxw_col_t)vc0,
                            (lxw_row_t)row, (lxw_col_t)vc1);
    chart_series_set_name(s, name);
    return s;
}

void xw_insert_chart(xw *x, sheet *sh, int row, int col, int xoff,
                         lxw_chart *c)
{
    lxw_chart_options o = {0};
    o.x_offset = xoff;
    o.y_offset = 4;
    o.x_scale = 1.1;
    o.y_scale = 1.15;
    xw_chk(x, worksheet_insert_chart_opt(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                         c, &o));
}

/* ---- results access ---------------------------------------------------- */

static const sp_stat *pstat(const sp_results *r, int p, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (!r->ppresent || p < 0 || p >= r->nperiods || s < 0 ||
        s >= r->npseries || !r->ppresent[s])
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

int xw_role_index(const sp_results *r, const char *id)
{
    for (int i = 0; i < r->nroles; i++)
        if (strcmp(r->model.roles[i].id, id) == 0)
            return i;
    return -1;
}

void xw_money_axis(lxw_chart_axis *axis, const char *cur)
{
    char num[64];
    if (cur && *cur && !strchr(cur, '"'))
        snprintf(num, sizeof num, "\"%s\"#,##0", cur);
    else
        snprintf(num, sizeof num, "#,##0");
    chart_axis_set_num_format(axis, num);
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

enum { F_STAT, F_PTARGET, F_AT_QUOTA, F_AT_OTE };

/* Without a target incentive or a rate, OTE is the base salary: every
 * record is "at OTE", and a row of 100% would only mark noise. */
int xw_has_incentive(const sp_results *r, int role)
{
    const sp_comp_plan *c = &r->model.roles[role].comp;
    return c->ti != 0 || c->has_rate;
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
        snprintf(fml, sizeof fml, "=%s-%s", a, b);
        xw_put_formula(x, S->sh, row, S->diff_c0 + i - 1, fml,
                       S->v[i] - S->v[0],
                       (vfmt){nf, S->rs[i]->model.currency, 0});
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

/* The Summary's title, notes, header row (scenario names and the
 * difference columns) and the rows about the runs themselves.  Returns the
 * header row; *next is the first free row after them. */
static int summary_header(xw *x, summary *S, char sheet_names[][NAME_BYTES],
                          int *next)
{
    const sp_results *const *rs = S->rs;
    sheet *sh = S->sh;
    int n = S->n, row = 0;
    char label[160], q[2 * NAME_BYTES + 3], url[3 * NAME_BYTES];

    xw_put_str(x, sh, row++, 0,
               n >= 2 ? "Scenario comparison" : "Scenario summary", x->title,
               0);
    xw_put_str(x, sh, row++, 0,
               "Fiscal-year and horizon figures are percentiles across "
               "trials of each trial's period total (P10 / P50 / P90).",
               x->note, 0);
    if (n >= 2)
        xw_put_str(x, sh, row++, 0,
                   "Green marks the best value of a row; the difference "
                   "columns are each scenario minus the first.", x->note, 0);
    row++;
    int hdr = row;
    xw_put_str(x, sh, row, 0, "Figure", x->head, 1);
    for (int i = 0; i < n; i++) {
        xw_put_str(x, sh, row, 1 + i, rs[i]->model.name, x->head_r, 1);
        if (S->diff_c0 >= 0 && i > 0) {
            snprintf(label, sizeof label, "%s \xe2\x88\x92 %s",
                     rs[i]->model.name, rs[0]->model.name);
            xw_put_str(x, sh, row, S->diff_c0 + i - 1, label, x->head_r, 1);
        }
    }
    if (S->diff_c0 >= 0)
        xw_put_str(x, sh, row, S->diff_c0 - 1, "", x->head, 0);
    row++;
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
    *next = row + 2;
    return hdr;
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
        snprintf(label, sizeof label, "  %s", roles[i]);
        row += summary_row(x, S, row, label, u, &fr, nf, better) >= 0;
    }
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
    for (size_t k = 0; k < sizeof summary_stats / sizeof summary_stats[0];
         k++) {
        row = summary_stat_rows(x, S, row, u, (int)k, uk, roles, nroles, R);
        if (summary_stats[k].metric == SP_M_REVENUE) {
            figure ft = {F_PTARGET, 0, 0, NULL};
            row += summary_row(x, S, row, "P(bookings \xe2\x89\xa5 target)",
                               u, &ft, NF_PCT, 1) >= 0;
        }
    }
    for (int i = 0; i < nroles; i++)
        for (int j = 0; j < 2; j++) {
            figure fq = {j ? F_AT_OTE : F_AT_QUOTA, 0, 0, roles[i]};
            snprintf(label, sizeof label, "Reps at %s: %s",
                     j ? "OTE" : "quota", roles[i]);
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
        if (rs[i]->payback_p50 >= 0)
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

static void write_summary(xw *x, sheet *sh, const sp_results *const *rs,
                          int n, char sheet_names[][NAME_BYTES])
{
    uperiod up[MAX_UPERIODS];
    const char *roles[MAX_UROLES];
    int nup = union_periods(rs, n, up);
    int nroles = xw_union_roles(rs, n, roles);
    summary S = {rs, n, sh, n >= 2 ? n + 2 : -1,
                 malloc((size_t)n * sizeof(double))};
    summary_rows R = {{-1, -1, -1}, 0, {0}, {0}};
    int row;

    if (!S.v) {
        x->nomem = 1;
        return;
    }
    int hdr = summary_header(x, &S, sheet_names, &row);
    for (int k = 0; k < nup; k++)
        row = summary_period(x, &S, row, &up[k], k, roles, nroles, &R);
    row = summary_payback(x, &S, row);
    summary_charts(x, &S, row, hdr, up, &R);

    xw_define_range(x, "summary", "scenarios", sh, hdr, 1, hdr, n);
    if (R.book_total[1] >= 0)
        xw_define_range(x, "summary", "bookings_p50_total", sh,
                        R.book_total[1], 1, R.book_total[1], n);
    free(S.v);
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hdr + 1), 1);
    if (n > 3)
        worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    xw_apply_widths(sh, S.diff_c0 >= 0 ? S.diff_c0 + n - 1 : n + 1, 12);
    worksheet_set_column(sh->ws, 0, 0, sh->width[0] > MAX_WIDTH ? MAX_WIDTH
                         : sh->width[0] < 30 ? 30 : sh->width[0], NULL);
    if (S.diff_c0 >= 0)
        worksheet_set_column(sh->ws, (lxw_col_t)(S.diff_c0 - 1),
                             (lxw_col_t)(S.diff_c0 - 1), 3, NULL);
}

/* ---- the workbook ------------------------------------------------------- */

/* SOURCE_DATE_EPOCH (reproducible-builds.org) when it is a plain whole
 * number; 0 lets libxlsxwriter take the current time. */
static time_t creation_time(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e || !*e)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    if (errno || *end || v <= 0)
        return 0;
    return (time_t)v;
}

/* The sheets with fixed names; a scenario's sheet never takes one of
 * them, whether or not that sheet is written, so that a scenario keeps its
 * sheet name from one export to the next. */
enum { S_SUMMARY, S_REPS, S_HISTORY, S_COMPARE, S_SWEEP, S_TORNADO, S_FIXED };
static const char *const fixed_names[S_FIXED] = {
    [S_SUMMARY] = "Summary", [S_REPS] = "Reps",
    [S_HISTORY] = "History",     /* reserved by Excel */
    [S_COMPARE] = "Compare", [S_SWEEP] = "Sweep", [S_TORNADO] = "Tornado",
};

/* The sheet names, the fixed ones first and then one per scenario, and
 * the prefixes of the defined names, the Summary's first. */
static void name_sheets(const sp_results *const *rs, int n,
                        char (*names)[NAME_BYTES], char (*prefixes)[40])
{
    int ntaken = S_FIXED;
    for (int k = 0; k < S_FIXED; k++)
        snprintf(names[k], NAME_BYTES, "%s", fixed_names[k]);
    /* The Summary's own names start with "summary_". */
    snprintf(prefixes[0], sizeof prefixes[0], "summary");
    for (int i = 0; i < n; i++) {
        char base[NAME_BYTES];
        sp_xlsx_sheet_name(rs[i]->model.name, base, sizeof base);
        unique_sheet_name(base, names, ntaken, names[ntaken]);
        ntaken++;
        name_prefix(rs[i]->model.name, i, prefixes, i + 1, prefixes[i + 1]);
    }
}

/* Fixed document properties: with SOURCE_DATE_EPOCH, the same results
 * give the same file. */
static void set_properties(xw *x, const sp_results *const *rs, int n,
                           const sp_sweep *sw, const sp_tornado *tn)
{
    char title[256], subject[256], comments[256];
    size_t o = (size_t)snprintf(title, sizeof title, "Sales plan: ");
    for (int i = 0; i < n && o < sizeof title; i++)
        o += (size_t)snprintf(title + o, sizeof title - o, "%s%s",
                              i ? ", " : "", rs[i]->model.name);
    if (n == 0)
        snprintf(title, sizeof title, "Sales plan: %s%s%s",
                 sw ? "sweep" : "", sw && tn ? " and " : "",
                 tn ? "tornado" : "");
    snprintf(subject, sizeof subject,
             "Monte Carlo simulation of sales teams (%d scenario%s)", n,
             n == 1 ? "" : "s");
    snprintf(comments, sizeof comments, "salesplan %s; generator %s",
             SP_VERSION, sp_rng_name());
    lxw_doc_properties props = {0};
    props.title = title;
    props.subject = subject;
    props.author = "salesplan";
    props.comments = comments;
    props.keywords = "salesplan, sales capacity, Monte Carlo";
    props.created = creation_time();
    xw_chk(x, workbook_set_properties(x->wb, &props));

}

static sp_status build(xw *x, const sp_scenario *const *scs,
                       const sp_results *const *rs, int n,
                       const sp_sweep *sw, const sp_tornado *tn)
{
    char (*names)[NAME_BYTES] = calloc((size_t)n + S_FIXED, sizeof *names);
    char (*prefixes)[40] = calloc((size_t)n + 2, sizeof *prefixes);
    /* the fixed sheets first, then one per scenario */
    sheet *sheets = calloc((size_t)n + S_FIXED, sizeof *sheets);
    if (!names || !prefixes || !sheets) {
        free(names), free(prefixes), free(sheets);
        return SP_ERR_NOMEM;
    }
    make_formats(x);

    name_sheets(rs, n, names, prefixes);
    for (int k = 0; k < n + S_FIXED; k++)
        snprintf(sheets[k].name, NAME_BYTES, "%s", names[k]);
    sheet *scen = sheets + S_FIXED;

    /* Tab order: Summary, Compare, the scenarios, Reps, Sweep, Tornado. */
    int want[S_FIXED] = {0};
    want[S_SUMMARY] = want[S_REPS] = n > 0;
    want[S_COMPARE] = xw_comparable(rs, n);
    want[S_SWEEP] = sw != NULL;
    want[S_TORNADO] = tn != NULL;
    static const int before[] = {S_SUMMARY, S_COMPARE};
    static const int after[] = {S_REPS, S_SWEEP, S_TORNADO};
    int ok = 1;
    for (size_t k = 0; k < sizeof before / sizeof before[0]; k++)
        if (want[before[k]])
            ok &= (sheets[before[k]].ws = workbook_add_worksheet(
                       x->wb, sheets[before[k]].name)) != NULL;
    for (int i = 0; i < n; i++)
        ok &= (scen[i].ws = workbook_add_worksheet(x->wb, scen[i].name)) !=
              NULL;
    for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
        if (want[after[k]])
            ok &= (sheets[after[k]].ws = workbook_add_worksheet(
                       x->wb, sheets[after[k]].name)) != NULL;
    if (!ok)
        xw_chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (ok && !x->nomem) {
        if (n > 0)
            write_summary(x, &sheets[S_SUMMARY], rs, n, names + S_FIXED);
        if (want[S_COMPARE] && !x->nomem)
            xw_write_compare(x, &sheets[S_COMPARE], rs, n);
        for (int i = 0; i < n && !x->nomem; i++)
            xw_write_scenario_sheet(x, &scen[i], scs ? scs[i] : NULL, rs[i],
                                    prefixes[i + 1]);
        if (n > 0 && !x->nomem)
            xw_write_reps(x, &sheets[S_REPS], rs, n);
        if (sw && !x->nomem)
            xw_write_sweep(x, &sheets[S_SWEEP], sw);
        if (tn && !x->nomem)
            xw_write_tornado(x, &sheets[S_TORNADO], tn);
        if (n > 0)
            worksheet_activate(sheets[S_SUMMARY].ws);
    }

    set_properties(x, rs, n, sw, tn);
    free(names), free(prefixes), free(sheets);
    return x->nomem ? SP_ERR_NOMEM : SP_OK;
}

/* Standard error pointed at /dev/null for the span of libxlsxwriter's
 * calls: the descriptor it was, or -1 when nothing was changed. */
static int quiet_stderr(void)
{
    int null = open("/dev/null", O_WRONLY);
    if (null < 0)
        return -1;
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    if (saved < 0 || dup2(null, STDERR_FILENO) < 0) {
        if (saved >= 0)
            close(saved);
        close(null);
        return -1;
    }
    close(null);
    return saved;
}

static void loud_stderr(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

sp_status sp_export_xlsx(const char *path, const sp_scenario *const *scs,
                         const sp_results *const *rs, int n,
                         const sp_findings *an, sp_error *err)
{
    char tmp[PATH_MAX];
    sp_error local;
    const sp_sweep *sw = sp_findings_last_sweep(an);
    const sp_tornado *tn = sp_findings_last_tornado(an);

    if (!err)
        err = &local;
    if (n < 0 || (n > 0 && !rs) || (n == 0 && !sw && !tn))
        return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                            "nothing to export: `run` a scenario first");
    /* libxlsxwriter writes to a file name: the temporary file is created
     * (and its mode set) by sp_atomic_open, and libxlsxwriter opens that
     * same name again.  The stream stays open only so that
     * sp_atomic_commit can sync and rename it like every other export. */
    FILE *f = sp_atomic_open(path, tmp, err);
    if (!f)
        return err->status;
    /* Its own temporary files (one per sheet) go beside the target too,
     * not to /tmp: a full /tmp must not make a workbook of empty sheets,
     * and the target's file system is the one that must have room. */
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path + 1) : 1,
             slash ? path : ".");
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
                                .tmpdir = dir,
                                .use_zip64 = LXW_FALSE};
    /* libxlsxwriter reports its errors on stderr as well as in its return
     * codes; the codes become one message of ours. */
    int quiet = quiet_stderr();
    xw x = {0};
    x.wb = workbook_new_opt(tmp, &opt);
    if (!x.wb) {
        loud_stderr(quiet);
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0,
                            "cannot write '%s': out of memory", path);
    }
    sp_status st = build(&x, scs, rs, n, sw, tn);
    int nsheets = x.wb->num_sheets;
    errno = 0;
    lxw_error le = workbook_close(x.wb);
    int sys_err = errno;
    loud_stderr(quiet);
    if (st == SP_OK && x.nomem)
        st = SP_ERR_NOMEM;
    if (st != SP_OK) {
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, st, NULL, 0, "cannot write '%s': %s", path,
                            sp_strerror(st));
    }
    if (x.lerr != LXW_NO_ERROR || le != LXW_NO_ERROR) {
        lxw_error e = x.lerr ? x.lerr : le;
        /* Failures of the file itself (a full disk, a size limit) are
         * libxlsxwriter's zip or file errors; the system's reason is the
         * part a user can act on. */
        int file_err = !x.lerr && sys_err &&
                       (e == LXW_ERROR_ZIP_FILE_OPERATION ||
                        e == LXW_ERROR_CREATING_XLSX_FILE ||
                        e == LXW_ERROR_CREATING_TMPFILE);
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot write '%s': %s%s%s%s",
                            path, lxw_strerror(e), file_err ? " (" : "",
                            file_err ? strerror(sys_err) : "",
                            file_err ? ")" : "");
    }
    char why[160];
    if (fflush(f) != 0 || xw_verify(tmp, nsheets, why, sizeof why) != 0) {
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, SP_ERR_IO, NULL, 0,
                            "cannot write '%s': the workbook written does not "
                            "read back (%s); the old file is kept", path, why);
    }
    return sp_atomic_commit(f, tmp, path, err);
}
