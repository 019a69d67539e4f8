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
    /* Differences of shares are points: "+3.2 pts", not "+3.2%" (which
     * would read as a relative change). */
    x->pts = fmt(x, "+0.0\" pts\";\"\xe2\x88\x92\"0.0\" pts\";0.0\" pts\"", 0);
    x->warn = fmt(x, NULL, 1);
    if (x->warn)
        format_set_font_color(x->warn, 0xC00000);
    x->wrap = fmt(x, NULL, 0);
    if (x->wrap) {
        format_set_text_wrap(x->wrap);
        format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
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
    /* Accounting style: a negative amount in parentheses, as finance
     * reads it, and zero as a dash-free 0. */
    if (c[0])
        snprintf(num, sizeof num, "\"%s\"#,##0;(\"%s\"#,##0);\"%s\"0", c,
                 c, c);
    else
        snprintf(num, sizeof num, "#,##0;(#,##0);0");
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
    case NF_PTS: return x->pts;
    case NF_PLAIN: break;
    }
    return x->plain;
}

static double vwidth(vfmt v, double value)
{
    char buf[SP_FMT_MAX] = "";
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
    case NF_PTS: snprintf(buf, sizeof buf, "%+.1f pts", value); break;
    }
    /* Parentheses of a negative amount take about a digit more. */
    return sp_text_width(buf) + (value < 0 && v.kind == NF_MONEY ? 3.5 : 2.5);
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

void xw_put_value_text(xw *x, sheet *sh, int row, int col, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*s && !*end && isfinite(v) && !isspace((unsigned char)*s))
        xw_put_num(x, sh, row, col, v, (vfmt){NF_PLAIN, NULL, 1});
    else
        xw_put_str(x, sh, row, col, s, NULL, 1);
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
        /* kept as applied, for the print area's width */
        sh->width[c] = w;
        worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
}

/* Excel's column width in characters to pixels at the default font. */
static double col_px(const sheet *sh, int c)
{
    double w = c < MAXCOL && sh->width[c] > 0 ? sh->width[c] : 8.43;
    return w * 7 + 5;
}

void xw_print_area(xw *x, sheet *sh, int last_row, int ncols, int min_px,
                   int extra_px)
{
    int c = 0;
    double px = 0;
    while (c < ncols || (px < min_px && c < MAXCOL))
        px += col_px(sh, c++);
    for (double more = 0; more < extra_px && c < MAXCOL; c++)
        more += col_px(sh, c);
    xw_chk(x, worksheet_print_area(sh->ws, 0, 0, (lxw_row_t)last_row,
                                   (lxw_col_t)(c - 1)));
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

void xw_axis_title(lxw_chart_axis *axis, const char *name)
{
    chart_axis_set_name(axis, name);
    lxw_chart_font f = {.bold = 0, .size = 9};
    chart_axis_set_name_font(axis, &f);
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
 * sheet name from one export to the next.  The k-th sweep and tornado
 * (from 2) are "Sweep k" and "Tornado k". */
enum { S_SUMMARY, S_REPS, S_HISTORY, S_COMPARE, S_DIST, S_TRIALS, S_SEEK,
       S_FIXED };
static const char *const fixed_names[S_FIXED] = {
    [S_SUMMARY] = "Summary", [S_REPS] = "Reps",
    [S_HISTORY] = "History",     /* reserved by Excel */
    [S_COMPARE] = "Compare", [S_DIST] = "Distributions",
    [S_TRIALS] = "Trials", [S_SEEK] = "Goal seek",
};

/* The sheet names: the fixed ones, then the sweeps', the tornados' and
 * one per scenario; and the prefixes of the defined names, the Summary's
 * first. */
static void name_sheets(const sp_results *const *rs, int n, int nsw, int ntn,
                        char (*names)[NAME_BYTES], char (*prefixes)[40])
{
    int ntaken = S_FIXED;
    for (int k = 0; k < S_FIXED; k++)
        snprintf(names[k], NAME_BYTES, "%s", fixed_names[k]);
    for (int k = 0; k < nsw + ntn; k++) {
        int j = k < nsw ? k : k - nsw;
        const char *what = k < nsw ? "Sweep" : "Tornado";
        if (j == 0)
            snprintf(names[ntaken++], NAME_BYTES, "%s", what);
        else
            snprintf(names[ntaken++], NAME_BYTES, "%s %d", what, j + 1);
    }
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

/* Adds the worksheet of sh (want: it is written) and says whether that
 * went well. */
static int add_sheet(xw *x, sheet *sh, int want)
{
    if (!want)
        return 1;
    return (sh->ws = workbook_add_worksheet(x->wb, sh->name)) != NULL;
}

static void write_sheets(xw *x, sheet *sheets, const xw_runs *R,
                         const sp_findings *f, char (*names)[NAME_BYTES],
                         char (*prefixes)[40], const int *want)
{
    int n = R->n, nsw = f ? f->nsweeps : 0, ntn = f ? f->ntornados : 0;
    sheet *an = sheets + S_FIXED, *scen = an + nsw + ntn;
    if (n > 0)
        xw_write_summary(x, &sheets[S_SUMMARY], R, names + S_FIXED + nsw + ntn,
                         sheets[S_DIST].name);
    if (want[S_COMPARE] && !x->nomem)
        xw_write_compare(x, &sheets[S_COMPARE], R->rs, n);
    for (int i = 0; i < n && !x->nomem; i++)
        xw_write_scenario_sheet(x, &scen[i], R->scs ? R->scs[i] : NULL,
                                R->changed ? R->changed[i] : NULL, R->rs[i],
                                prefixes[i + 1]);
    if (n > 0 && !x->nomem) {
        xw_write_reps(x, &sheets[S_REPS], R->rs, n);
        xw_write_distributions(x, &sheets[S_DIST], R->rs, n);
        xw_write_trials(x, &sheets[S_TRIALS], R->rs, n);
    }
    for (int k = 0; k < nsw && !x->nomem; k++)
        xw_write_sweep(x, &an[k], f->sweeps[k]);
    for (int k = 0; k < ntn && !x->nomem; k++)
        xw_write_tornado(x, &an[nsw + k], f->tornados[k]);
    if (want[S_SEEK] && !x->nomem)
        xw_write_seeks(x, &sheets[S_SEEK], f);
    if (n > 0)
        worksheet_activate(sheets[S_SUMMARY].ws);
}

static sp_status build(xw *x, const xw_runs *R, const sp_findings *f)
{
    int n = R->n, nsw = f ? f->nsweeps : 0, ntn = f ? f->ntornados : 0;
    int nsheets = S_FIXED + nsw + ntn + n;
    char (*names)[NAME_BYTES] = calloc((size_t)nsheets, sizeof *names);
    char (*prefixes)[40] = calloc((size_t)n + 2, sizeof *prefixes);
    /* the fixed sheets first, then the analyses', then one per scenario */
    sheet *sheets = calloc((size_t)nsheets, sizeof *sheets);
    if (!names || !prefixes || !sheets) {
        free(names), free(prefixes), free(sheets);
        return SP_ERR_NOMEM;
    }
    make_formats(x);

    name_sheets(R->rs, n, nsw, ntn, names, prefixes);
    for (int k = 0; k < nsheets; k++)
        snprintf(sheets[k].name, NAME_BYTES, "%s", names[k]);
    sheet *an = sheets + S_FIXED, *scen = an + nsw + ntn;

    /* Tab order: Summary, Compare, the scenarios, Reps, Distributions,
     * Trials, the sweeps, the tornados, Goal seek. */
    int want[S_FIXED] = {0};
    want[S_SUMMARY] = want[S_REPS] = want[S_DIST] = want[S_TRIALS] = n > 0;
    want[S_COMPARE] = xw_comparable(R->rs, n);
    want[S_SEEK] = f && f->nseeks > 0;
    int ok = add_sheet(x, &sheets[S_SUMMARY], want[S_SUMMARY]) &&
             add_sheet(x, &sheets[S_COMPARE], want[S_COMPARE]);
    for (int i = 0; ok && i < n; i++)
        ok = add_sheet(x, &scen[i], 1);
    ok = ok && add_sheet(x, &sheets[S_REPS], want[S_REPS]) &&
         add_sheet(x, &sheets[S_DIST], want[S_DIST]) &&
         add_sheet(x, &sheets[S_TRIALS], want[S_TRIALS]);
    for (int k = 0; ok && k < nsw + ntn; k++)
        ok = add_sheet(x, &an[k], 1);
    ok = ok && add_sheet(x, &sheets[S_SEEK], want[S_SEEK]);
    if (!ok)
        xw_chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (ok && !x->nomem)
        write_sheets(x, sheets, R, f, names, prefixes, want);

    set_properties(x, R->rs, n, sp_findings_last_sweep(f),
                   sp_findings_last_tornado(f));
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
                         const sp_results *const *rs,
                         const char *const *changed, int n,
                         const sp_findings *an, sp_error *err)
{
    char tmp[PATH_MAX];
    sp_error local;
    int findings = an && (an->nsweeps || an->ntornados || an->nseeks);

    if (!err)
        err = &local;
    if (n < 0 || (n > 0 && !rs) || (n == 0 && !findings))
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
    xw_runs R = {rs, scs, changed, n};
    sp_status st = build(&x, &R, an);
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
