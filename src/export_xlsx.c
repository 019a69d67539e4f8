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
 * shades: the median is the seam between them. */
#include "salesplan/export_xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "salesplan/findings.h"
#include "salesplan/file.h"
#include "salesplan/lang.h"
#include "salesplan/params.h"
#include "salesplan/rng.h"
#include "salesplan/stats.h"
#include "salesplan/table.h"

#ifndef SP_VERSION
#define SP_VERSION "0.0.0"
#endif

#define MAXCOL 640           /* widths tracked; wider sheets keep defaults */
#define NAME_BYTES 128       /* a 31-character sheet name in UTF-8 */
#define MAX_CUR 32           /* distinct currency formats */
#define MAX_UPERIODS 64      /* fiscal years across all scenarios */
#define MAX_UROLES 64        /* role ids across all scenarios */
#define MAX_WIDTH 48.0       /* no fitted column gets wider than this */

typedef struct {
    lxw_worksheet *ws;
    char name[NAME_BYTES];
    double width[MAXCOL];
} sheet;

typedef struct {
    char cur[8];
    lxw_format *money[2];    /* right-aligned, left-aligned */
} money_fmt;

typedef struct {
    lxw_workbook *wb;
    lxw_error lerr;          /* first libxlsxwriter error */
    int nomem;
    lxw_format *title, *bold, *head, *head_r, *group, *note, *pct, *pct_param,
               *count, *whole, *plain, *month, *month_head, *best, *link,
               *pct_param_l, *whole_l, *plain_l, *month_l, *count2, *mult,
               *pct2, *head_ind, *indent;
    money_fmt money[MAX_CUR];
    int nmoney;
} xw;

static void chk(xw *x, lxw_error e)
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
static void quoted(const char *sheet, char *out, size_t size)
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

static void define_range(xw *x, const char *prefix, const char *what,
                         const sheet *sh, int r0, int c0, int r1, int c1)
{
    char name[96], q[2 * NAME_BYTES + 3], a[32], b[32], f[2 * NAME_BYTES + 80];
    snprintf(name, sizeof name, "%s_%s", prefix, what);
    quoted(sh->name, q, sizeof q);
    lxw_rowcol_to_cell_abs(a, (lxw_row_t)r0, (lxw_col_t)c0, 1, 1);
    lxw_rowcol_to_cell_abs(b, (lxw_row_t)r1, (lxw_col_t)c1, 1, 1);
    snprintf(f, sizeof f, "=%s!%s:%s", q, a, b);
    chk(x, workbook_define_name(x->wb, name, f));
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
    char c[8] = "", num[64];
    size_t o = 0;
    for (const char *p = cur ? cur : ""; *p && o + 1 < sizeof c; p++)
        if (*p != '"')
            c[o++] = *p;
    c[o] = '\0';
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
    snprintf(m->cur, sizeof m->cur, "%s", c);
    m->money[0] = fmt(x, num, 0);
    m->money[1] = fmt(x, num, 0);
    if (m->money[1])
        format_set_align(m->money[1], LXW_ALIGN_LEFT);
    return m->money[left];
}

/* ---- cells ------------------------------------------------------------ */

/* How a number is shown, which also decides the width it needs. */
typedef enum {
    NF_MONEY, NF_PCT, NF_PCTP, NF_PCT2, NF_COUNT, NF_COUNT2, NF_WHOLE,
    NF_MULT, NF_PLAIN
} numfmt;

typedef struct {
    numfmt kind;
    const char *cur;
    int left;                /* aligned left, among text */
} vfmt;

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

static void fit(sheet *sh, int col, double w)
{
    if (col >= 0 && col < MAXCOL && w > sh->width[col])
        sh->width[col] = w;
}

/* Counts of people are usually whole, even as a median: a row of them
 * reads better without a decimal that is always 0.  A row with a fraction
 * anywhere (an interpolated median, ramped equivalents) keeps one. */
static numfmt count_kind(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] != floor(v[i]))
            return NF_COUNT;
    return NF_WHOLE;
}

static void put_str(xw *x, sheet *sh, int row, int col, const char *s,
                    lxw_format *f, int fitw)
{
    chk(x, worksheet_write_string(sh->ws, (lxw_row_t)row, (lxw_col_t)col, s,
                                  f));
    if (fitw)
        fit(sh, col, sp_text_width(s) * 1.1 + 2);
}

/* An undefined value (NaN) leaves the cell empty (ARCHITECTURE.md). */
static void put_num(xw *x, sheet *sh, int row, int col, double v, vfmt vf)
{
    if (!isfinite(v))
        return;
    chk(x, worksheet_write_number(sh->ws, (lxw_row_t)row, (lxw_col_t)col, v,
                                  vformat(x, vf)));
    fit(sh, col, vwidth(vf, v));
}

static void put_formula(xw *x, sheet *sh, int row, int col, const char *f,
                        double cached, vfmt vf)
{
    chk(x, worksheet_write_formula_num(sh->ws, (lxw_row_t)row,
                                       (lxw_col_t)col, f, vformat(x, vf),
                                       cached));
    fit(sh, col, vwidth(vf, cached));
}

static void put_month(xw *x, sheet *sh, int row, int col, int month,
                      lxw_format *f)
{
    lxw_datetime d = {month / 12, month % 12 + 1, 1, 0, 0, 0};
    chk(x, worksheet_write_datetime(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                    &d, f));
    fit(sh, col, 11);
}

static void put_note(xw *x, sheet *sh, int row, int col, const char *text)
{
    chk(x, worksheet_write_comment(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                   text));
}

static void apply_widths(sheet *sh, int ncols, double minw)
{
    for (int c = 0; c < ncols && c < MAXCOL; c++) {
        double w = sh->width[c] < minw ? minw : sh->width[c];
        if (w > MAX_WIDTH)
            w = MAX_WIDTH;
        worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
}

static lxw_chart *new_chart(xw *x, uint8_t type, const char *title)
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

static lxw_chart_series *add_series(lxw_chart *c, const sheet *sh,
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

static void insert_chart(xw *x, sheet *sh, int row, int col, int xoff,
                         lxw_chart *c)
{
    lxw_chart_options o = {0};
    o.x_offset = xoff;
    o.y_offset = 4;
    o.x_scale = 1.1;
    o.y_scale = 1.15;
    chk(x, worksheet_insert_chart_opt(sh->ws, (lxw_row_t)row, (lxw_col_t)col,
                                      c, &o));
}

/* ---- results access ---------------------------------------------------- */

static const sp_stat *mstat(const sp_results *r, int metric, int role, int t)
{
    int s = sp_series(r, metric, role);
    if (!r->present || s < 0 || s >= r->nseries || !r->present[s] ||
        t < 0 || t >= r->model.horizon)
        return NULL;
    return &r->monthly[(size_t)s * r->model.horizon + t];
}

static const sp_stat *pstat(const sp_results *r, int p, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (!r->ppresent || p < 0 || p >= r->nperiods || s < 0 ||
        s >= r->npseries || !r->ppresent[s])
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

static int role_index(const sp_results *r, const char *id)
{
    for (int i = 0; i < r->nroles; i++)
        if (strcmp(r->model.roles[i].id, id) == 0)
            return i;
    return -1;
}

/* Every monthly metric from bookings on is an amount of money; the ones
 * before it count people. */
static int metric_is_money(int m)
{
    return m >= SP_M_BOOKINGS && m < SP_M_NMONTHLY;
}

/* ---- one sheet per scenario -------------------------------------------- */

/* Where the grid put the rows that names and charts refer to. */
typedef struct {
    int months_row, c0, c1;                  /* month header and columns */
    int p10[SP_M_NMONTHLY], p50[SP_M_NMONTHLY], p90[SP_M_NMONTHLY];
    int role_p50[SP_M_NMONTHLY][SP_MAX_ROLES];
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

static void header_pair(xw *x, sheet *sh, int row, const char *label,
                        const char *text)
{
    put_str(x, sh, row, 0, label, x->bold, 1);
    put_str(x, sh, row, 1, text, NULL, 0);
}

static void write_param(xw *x, sheet *sh, int row, const sp_scenario *sc,
                        sp_pref p, const char *cur)
{
    const sp_param *par = &sp_params[p.param];
    char name[96];
    sp_pref_name(sc, p, name, sizeof name);
    put_str(x, sh, row, 0, name, NULL, 1);
    const sp_value *v = sp_scenario_value(sc, p);
    /* A list of one number (one attrition rate, one target) is a number
     * to the reader too. */
    int one = (v->type == SP_T_NUMLIST ||
               (v->type == SP_T_RAMP && !v->flag)) && v->n == 1 && v->list;
    if (v->type == SP_T_NUM || v->type == SP_T_INT || one) {
        vfmt vf = {par->unit == SP_U_MONEY ? NF_MONEY
                   : par->unit == SP_U_PERCENT ? NF_PCTP : NF_PLAIN, cur, 1};
        put_num(x, sh, row, 1, one ? v->list[0] : v->num, vf);
    } else if (v->type == SP_T_MONTH) {
        put_month(x, sh, row, 1, (int)v->num, x->month_l);
    } else {
        char *t = sp_scenario_value_text(sc, p);
        if (!t) {
            x->nomem = 1;
            return;
        }
        put_str(x, sh, row, 1, t, NULL, 1);
        free(t);
    }
    /* A distribution shows as one in the value itself; the unit column
     * says what it draws. */
    const char *u = par->unit ? sp_unit_name(par->unit)
                    : par->type == SP_T_ENUM ? "choice"
                    : par->type == SP_T_BOOL ? "on/off"
                    : par->type == SP_T_DIST ? "distribution" : "";
    put_str(x, sh, row, 2, u, NULL, 0);
    put_str(x, sh, row, 3, sp_scenario_is_set(sc, p) ? "set" : "default",
            NULL, 0);
    put_str(x, sh, row, 4, par->help ? par->help : "", NULL, 0);
}

/* Every parameter that applies, global ones first, then per role; then the
 * scenario as statements to paste into a .plan file.  Returns the next
 * free row. */
static int write_assumptions(xw *x, sheet *sh, int row, const sp_scenario *sc,
                             const char *cur)
{
    put_str(x, sh, row++, 0, "Assumptions", x->title, 0);
    if (!sc) {
        put_str(x, sh, row++, 0,
                "Not available: the scenario changed after this run "
                "(run it again to export its assumptions).", x->note, 0);
        return row + 1;
    }
    static const char *const hdr[] = {"Parameter", "Value", "Unit",
                                      "Default?", "Description"};
    for (int c = 0; c < 5; c++)
        put_str(x, sh, row, c, hdr[c], x->head, c < 2);
    row++;
    put_str(x, sh, row++, 0, "Global", x->group, 0);
    for (int i = 0; i < sp_nparams; i++)
        if (sp_param_applies(sc, i, -1))
            write_param(x, sh, row++, sc, (sp_pref){i, -1}, cur);
    for (int r = 0; r < sc->nroles; r++) {
        char g[200];
        const sp_role *ro = &sc->roles[r];
        snprintf(g, sizeof g, "Role %s (%s)%s%s", ro->id, sp_kind_name(ro->kind),
                 ro->title && *ro->title ? ": " : "",
                 ro->title ? ro->title : "");
        put_str(x, sh, row++, 0, g, x->group, 0);
        for (int i = 0; i < sp_nparams; i++)
            if (sp_param_applies(sc, i, r))
                write_param(x, sh, row++, sc, (sp_pref){i, r}, cur);
    }
    row++;
    put_str(x, sh, row++, 0, "Scenario script (paste into a .plan file)",
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
            put_str(x, sh, row, 0, line, NULL, 0);
        row++;
        if (!nl)
            break;
        line = nl + 1;
    }
    free(script);
    return row + 1;
}

static const char *const yearly_note =
    "Yearly and total columns add the monthly P50 values (stocks such as "
    "headcount take the period's last month). A sum of monthly medians is "
    "not the median of the yearly sums: the exact yearly percentiles are "
    "on the Summary sheet.";

/* One grid row: a monthly statistic across the months, then a formula per
 * fiscal year and for the total (SUM of the months for flows, the last
 * month for stocks) with its value computed here and cached. */
static void grid_row(xw *x, sheet *sh, const sp_results *r, int row,
                     int metric, int role, int pct, const char *label,
                     const char *stat, vfmt vf, int c0)
{
    int h = r->model.horizon;
    double v[SP_MAX_HORIZON];
    char a[32], b[32], f[80];

    put_str(x, sh, row, 0, label, NULL, 1);
    put_str(x, sh, row, 1, stat, NULL, 1);
    for (int t = 0; t < h && t < SP_MAX_HORIZON; t++) {
        const sp_stat *st = mstat(r, metric, role, t);
        v[t] = st ? st->p[pct] : NAN;
    }
    if (vf.kind == NF_COUNT)
        vf.kind = count_kind(v, h < SP_MAX_HORIZON ? h : SP_MAX_HORIZON);
    for (int t = 0; t < h && t < SP_MAX_HORIZON; t++)
        put_num(x, sh, row, c0 + t, v[t], vf);
    for (int p = 0; p < r->nperiods; p++) {
        const sp_period *pe = &r->periods[p];
        if (pe->t0 < 0 || pe->t1 >= h || pe->t0 > pe->t1)
            continue;
        int col = c0 + h + p;
        if (sp_metric_is_stock(metric)) {
            if (!isfinite(v[pe->t1]))
                continue;
            lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(c0 + pe->t1));
            snprintf(f, sizeof f, "=%s", a);
            put_formula(x, sh, row, col, f, v[pe->t1], vf);
        } else {
            /* Excel's SUM skips empty cells, as this sum skips NaN. */
            double sum = 0;
            for (int t = pe->t0; t <= pe->t1; t++)
                if (isfinite(v[t]))
                    sum += v[t];
            lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(c0 + pe->t0));
            lxw_rowcol_to_cell(b, (lxw_row_t)row, (lxw_col_t)(c0 + pe->t1));
            snprintf(f, sizeof f, "=SUM(%s:%s)", a, b);
            put_formula(x, sh, row, col, f, sum, vf);
        }
    }
}

static void period_header(const sp_period *pe, char *buf, size_t n)
{
    if (pe->is_total)
        snprintf(buf, n, "Total");
    else
        snprintf(buf, n, "%s%s", pe->label, pe->partial ? " (partial)" : "");
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
    /* Two rows above the month header: the panes freeze below it, and
     * every frozen row is one fewer row of figures on the screen.  The
     * note on the yearly columns is a comment on their header. */
    put_str(x, sh, row++, 0, "Monthly figures", x->title, 0);
    put_str(x, sh, row++, 0,
            "P50 (median across trials) of each month; P10 and P90 rows for "
            "the key series; yearly and total columns are formulas (see the "
            "note on their header).", x->note, 0);
    g->months_row = row;
    g->c0 = c0;
    g->c1 = c0 + h - 1;
    put_str(x, sh, row, 0, "Metric", x->head, 1);
    put_str(x, sh, row, 1, "Statistic", x->head, 1);
    for (int t = 0; t < h; t++)
        put_month(x, sh, row, c0 + t, r->model.start + t, x->month_head);
    for (int p = 0; p < r->nperiods; p++) {
        period_header(&r->periods[p], label, sizeof label);
        put_str(x, sh, row, c0 + h + p, label, x->head_r, 1);
    }
    if (r->nperiods > 0)
        put_note(x, sh, row, c0 + h, yearly_note);
    row++;

    for (int m = 0; m < SP_M_NMONTHLY; m++) {
        if (!mstat(r, m, -1, 0))
            continue;
        vfmt vf = {metric_is_money(m) ? NF_MONEY : NF_COUNT, cur, 0};
        static const int order[3] = {SP_P50, SP_P10, SP_P90};
        for (int k = 0; k < (key_series(m) ? 3 : 1); k++) {
            grid_row(x, sh, r, row, m, -1, order[k],
                     k == 0 ? sp_metric_label(m) : "",
                     k == 0 ? "P50" : k == 1 ? "P10" : "P90", vf, c0);
            (k == 0 ? g->p50 : k == 1 ? g->p10 : g->p90)[m] = row++;
        }
        if (!per_role_series(m) || r->nroles < 2)
            continue;
        for (int i = 0; i < r->nroles && i < SP_MAX_ROLES; i++) {
            if (!mstat(r, m, i, 0))
                continue;
            snprintf(label, sizeof label, "  %s: %s", sp_metric_label(m),
                     r->model.roles[i].id);
            grid_row(x, sh, r, row, m, i, SP_P50, label, "P50", vf, c0);
            g->role_p50[m][i] = row++;
        }
    }
    return row;
}

/* Bands of the fan chart as formulas over the grid: P50 - P10 and
 * P90 - P50 of bookings.  Returns the next free row. */
static int write_chart_data(xw *x, sheet *sh, int row, const sp_results *r,
                            const grid_rows *g, int *band1, int *band2)
{
    int m = SP_M_BOOKINGS, h = r->model.horizon;
    vfmt vf = {NF_MONEY, r->model.currency, 0};
    *band1 = *band2 = -1;
    if (g->p50[m] < 0 || g->p10[m] < 0 || g->p90[m] < 0)
        return row;
    put_str(x, sh, row++, 0, "Chart data (bands of the bookings fan chart)",
            x->bold, 0);
    for (int k = 0; k < 2; k++) {
        int hi = k == 0 ? g->p50[m] : g->p90[m];
        int lo = k == 0 ? g->p10[m] : g->p50[m];
        int phi = k == 0 ? SP_P50 : SP_P90, plo = k == 0 ? SP_P10 : SP_P50;
        put_str(x, sh, row, 0, k == 0 ? "Bookings band P10 to P50"
                                      : "Bookings band P50 to P90", NULL, 1);
        put_str(x, sh, row, 1, k == 0 ? "P50 - P10" : "P90 - P50", NULL, 1);
        for (int t = 0; t < h; t++) {
            const sp_stat *st = mstat(r, m, -1, t);
            if (!st || !isfinite(st->p[phi]) || !isfinite(st->p[plo]))
                continue;
            char a[32], b[32], f[80];
            lxw_rowcol_to_cell(a, (lxw_row_t)hi, (lxw_col_t)(g->c0 + t));
            lxw_rowcol_to_cell(b, (lxw_row_t)lo, (lxw_col_t)(g->c0 + t));
            snprintf(f, sizeof f, "=%s-%s", a, b);
            put_formula(x, sh, row, g->c0 + t, f, st->p[phi] - st->p[plo], vf);
        }
        *(k == 0 ? band1 : band2) = row++;
    }
    return row;
}

static void money_axis(lxw_chart *c, const char *cur)
{
    char num[64];
    if (cur && *cur && !strchr(cur, '"'))
        snprintf(num, sizeof num, "\"%s\"#,##0", cur);
    else
        snprintf(num, sizeof num, "#,##0");
    chart_axis_set_num_format(c->y_axis, num);
}

static void write_scenario_charts(xw *x, sheet *sh, int row,
                                  const sp_results *r, const grid_rows *g,
                                  int band1, int band2)
{
    const char *cur = r->model.currency;
    int mr = g->months_row, c0 = g->c0, c1 = g->c1;
    lxw_chart *c;

    /* Bookings fan: P10 as an invisible base, then the two bands. */
    if (band1 >= 0 && band2 >= 0 &&
        (c = new_chart(x, LXW_CHART_AREA_STACKED,
                       "Bookings by month: P10-P90 (P50 at the seam)"))) {
        lxw_chart_fill none = {.none = 1}, f1 = {.color = 0x5B9BD5},
                       f2 = {.color = 0xBDD7EE};
        lxw_chart_line noline = {.none = 1};
        lxw_chart_series *s = add_series(c, sh, "P10", mr, c0, c1,
                                         g->p10[SP_M_BOOKINGS], c0, c1);
        if (s) {
            chart_series_set_fill(s, &none);
            chart_series_set_line(s, &noline);
        }
        if ((s = add_series(c, sh, "P10 to P50", mr, c0, c1, band1, c0, c1)))
            chart_series_set_fill(s, &f1);
        if ((s = add_series(c, sh, "P50 to P90", mr, c0, c1, band2, c0, c1)))
            chart_series_set_fill(s, &f2);
        int16_t hide[] = {0, -1};
        chk(x, chart_legend_delete_series(c, hide));
        chart_axis_set_num_format(c->x_axis, "mmm yy");
        money_axis(c, cur);
        insert_chart(x, sh, row, 0, 0, c);
    }
    /* Headcount by role, stacked; the team total when there is one role. */
    if (g->p50[SP_M_HEADCOUNT] >= 0 &&
        (c = new_chart(x, LXW_CHART_COLUMN_STACKED,
                       "Headcount by role (P50)"))) {
        int any = 0;
        for (int i = 0; i < r->nroles && i < SP_MAX_ROLES; i++)
            if (g->role_p50[SP_M_HEADCOUNT][i] >= 0) {
                add_series(c, sh, r->model.roles[i].id, mr, c0, c1,
                           g->role_p50[SP_M_HEADCOUNT][i], c0, c1);
                any = 1;
            }
        if (!any)
            add_series(c, sh, "Headcount", mr, c0, c1,
                       g->p50[SP_M_HEADCOUNT], c0, c1);
        chart_set_series_gap(c, 40);
        chart_axis_set_num_format(c->x_axis, "mmm yy");
        insert_chart(x, sh, row, 0, 560, c);
    }
    /* Cost build-up: the components that add up to cost. */
    static const int parts[] = {SP_M_BASE, SP_M_VARIABLE, SP_M_BURDEN,
                                SP_M_HIRING_COST, SP_M_OTHER_COST};
    if ((c = new_chart(x, LXW_CHART_COLUMN_STACKED,
                       "Cost build-up by month (P50 of each part)"))) {
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
            if (g->p50[parts[k]] >= 0)
                add_series(c, sh, sp_metric_label(parts[k]), mr, c0, c1,
                           g->p50[parts[k]], c0, c1);
        chart_set_series_gap(c, 40);
        chart_axis_set_num_format(c->x_axis, "mmm yy");
        money_axis(c, cur);
        insert_chart(x, sh, row, 0, 1120, c);
    }
}

static void write_scenario_sheet(xw *x, sheet *sh, const sp_scenario *sc,
                                 const sp_results *r, const char *prefix)
{
    const sp_model *m = &r->model;
    char buf[256];
    int row = 0;

    /* Order: the header, the monthly grid (what a reader opens the sheet
     * for, with the panes frozen on its labels and month header), the
     * charts of it, and last the long assumptions block. */
    put_str(x, sh, row++, 0, m->title[0] ? m->title : m->name, x->title, 0);
    header_pair(x, sh, row++, "Scenario", m->name);
    put_str(x, sh, row, 0, "Trials", x->bold, 1);
    put_num(x, sh, row++, 1, r->trials, (vfmt){NF_WHOLE, NULL, 1});
    put_str(x, sh, row, 0, "Seed", x->bold, 1);
    put_num(x, sh, row++, 1, (double)r->seed, (vfmt){NF_PLAIN, NULL, 1});
    header_pair(x, sh, row++, "Generator", sp_rng_name());
    header_pair(x, sh, row++, "salesplan version", SP_VERSION);
    put_str(x, sh, row, 0, "Start", x->bold, 1);
    put_month(x, sh, row++, 1, m->start, x->month_l);
    put_str(x, sh, row, 0, "Horizon (months)", x->bold, 1);
    put_num(x, sh, row++, 1, m->horizon, (vfmt){NF_PLAIN, NULL, 1});
    header_pair(x, sh, row++, "Currency", m->currency[0] ? m->currency : "(none)");
    if (r->interrupted)
        put_str(x, sh, row++, 0, "Interrupted: these results cover only the "
                "trials run before the stop.", x->bold, 0);
    int links_row = row++;
    row++;

    grid_rows *g = malloc(sizeof *g);
    if (!g) {
        x->nomem = 1;
        return;
    }
    row = write_grid(x, sh, row, r, g);
    int band1, band2;
    row = write_chart_data(x, sh, row + 1, r, g, &band1, &band2);
    row++;
    int charts_row = row;
    put_str(x, sh, row, 0, "Charts", x->title, 0);
    write_scenario_charts(x, sh, row + 1, r, g, band1, band2);
    /* The charts are about 17 rows high. */
    row += 1 + 18;
    int assumptions_row = row;
    row = write_assumptions(x, sh, row, sc, m->currency);
    /* Printed, the charts and the assumptions each start on a page of
     * their own rather than being cut by a page break. */
    lxw_row_t breaks[] = {(lxw_row_t)charts_row, (lxw_row_t)assumptions_row,
                          0};
    chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));

    char q[2 * NAME_BYTES + 3], url[3 * NAME_BYTES];
    quoted(sh->name, q, sizeof q);
    put_str(x, sh, links_row, 0, "See also", x->bold, 1);
    snprintf(url, sizeof url, "internal:%s!A%d", q, charts_row + 1);
    snprintf(buf, sizeof buf, "Charts (row %d)", charts_row + 1);
    chk(x, worksheet_write_url_opt(sh->ws, (lxw_row_t)links_row, 1, url,
                                   x->link, buf, NULL));
    snprintf(url, sizeof url, "internal:%s!A%d", q, assumptions_row + 1);
    snprintf(buf, sizeof buf, "Assumptions (row %d)", assumptions_row + 1);
    chk(x, worksheet_write_url_opt(sh->ws, (lxw_row_t)links_row, 3, url,
                                   x->link, buf, NULL));

    /* Names a user can type instead of ranges, e.g. baseline_bookings_p50. */
    static const struct { int m; const char *what; } named[] = {
        {SP_M_BOOKINGS, "bookings"}, {SP_M_REVENUE, "revenue"},
        {SP_M_COST, "cost"}, {SP_M_CONTRIBUTION, "contribution"},
        {SP_M_HEADCOUNT, "headcount"},
    };
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        char what[48];
        for (int s = 0; s < 3; s++) {
            const int *rows = s == 0 ? g->p50 : s == 1 ? g->p10 : g->p90;
            if (rows[named[k].m] < 0)
                continue;
            snprintf(what, sizeof what, "%s_%s", named[k].what,
                     s == 0 ? "p50" : s == 1 ? "p10" : "p90");
            define_range(x, prefix, what, sh, rows[named[k].m], g->c0,
                         rows[named[k].m], g->c1);
        }
    }
    define_range(x, prefix, "months", sh, g->months_row, g->c0, g->months_row,
                 g->c1);
    int ncols = g->c1 + 1 + r->nperiods, months_row = g->months_row;
    free(g);

    worksheet_freeze_panes(sh->ws, (lxw_row_t)(months_row + 1), 2);
    apply_widths(sh, ncols, 9);
    /* Printed (or converted to PDF), each page repeats the labels and
     * shows about twenty columns. */
    worksheet_set_landscape(sh->ws);
    chk(x, worksheet_repeat_columns(sh->ws, 0, 1));
    worksheet_fit_to_pages(sh->ws, (uint16_t)(1 + (ncols - 2) / 20), 0);
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
static int has_incentive(const sp_results *r, int role)
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
    if (f->role && (role = role_index(r, f->role)) < 0)
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
        if (rs->records == 0 || (f->kind == F_AT_OTE && !has_incentive(r, role)))
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
    chk(x, worksheet_conditional_format_range(sh->ws, (lxw_row_t)row, 1,
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
        nf = count_kind(S->v, S->n);
    put_str(x, S->sh, row, 0, label, NULL, 1);
    for (int i = 0; i < S->n; i++)
        put_num(x, S->sh, row, 1 + i, S->v[i],
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
        put_formula(x, S->sh, row, S->diff_c0 + i - 1, fml,
                    S->v[i] - S->v[0], (vfmt){nf, S->rs[i]->model.currency, 0});
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

static int union_roles(const sp_results *const *rs, int n,
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

static void write_summary(xw *x, sheet *sh, const sp_results *const *rs,
                          int n, char sheet_names[][NAME_BYTES])
{
    uperiod up[MAX_UPERIODS];
    const char *roles[MAX_UROLES];
    int nup = union_periods(rs, n, up), nroles = union_roles(rs, n, roles);
    summary S = {rs, n, sh, n >= 2 ? n + 2 : -1, malloc((size_t)n * sizeof(double))};
    char label[160], q[2 * NAME_BYTES + 3], url[3 * NAME_BYTES];
    int row = 0;

    if (!S.v) {
        x->nomem = 1;
        return;
    }
    put_str(x, sh, row++, 0, n >= 2 ? "Scenario comparison" : "Scenario summary",
            x->title, 0);
    put_str(x, sh, row++, 0,
            "Fiscal-year and horizon figures are percentiles across trials of "
            "each trial's period total (P10 / P50 / P90).", x->note, 0);
    if (n >= 2)
        put_str(x, sh, row++, 0,
                "Green marks the best value of a row; the difference columns "
                "are each scenario minus the first.", x->note, 0);
    row++;
    int hdr = row;
    put_str(x, sh, row, 0, "Figure", x->head, 1);
    for (int i = 0; i < n; i++) {
        put_str(x, sh, row, 1 + i, rs[i]->model.name, x->head_r, 1);
        if (S.diff_c0 >= 0 && i > 0) {
            snprintf(label, sizeof label, "%s \xe2\x88\x92 %s",
                     rs[i]->model.name, rs[0]->model.name);
            put_str(x, sh, row, S.diff_c0 + i - 1, label, x->head_r, 1);
        }
    }
    if (S.diff_c0 >= 0)
        put_str(x, sh, row, S.diff_c0 - 1, "", x->head, 0);
    row++;
    put_str(x, sh, row, 0, "Title", NULL, 1);
    for (int i = 0; i < n; i++)
        put_str(x, sh, row, 1 + i, rs[i]->model.title, NULL, 1);
    row++;
    put_str(x, sh, row, 0, "Sheet", NULL, 1);
    for (int i = 0; i < n; i++) {
        quoted(sheet_names[i], q, sizeof q);
        snprintf(url, sizeof url, "internal:%s!A1", q);
        chk(x, worksheet_write_url_opt(sh->ws, (lxw_row_t)row,
                                       (lxw_col_t)(1 + i), url, x->link,
                                       sheet_names[i], NULL));
    }
    row++;
    put_str(x, sh, row, 0, "Trials", NULL, 1);
    for (int i = 0; i < n; i++)
        put_num(x, sh, row, 1 + i, rs[i]->trials, (vfmt){NF_WHOLE, NULL, 0});
    row++;
    put_str(x, sh, row, 0, "Seed", NULL, 1);
    for (int i = 0; i < n; i++)
        put_num(x, sh, row, 1 + i, (double)rs[i]->seed, (vfmt){NF_PLAIN, NULL, 0});
    row += 2;

    int book_total[3] = {-1, -1, -1}, ncos = 0;
    int cos_rows[MAX_UPERIODS], cos_up[MAX_UPERIODS];
    static const int pcts[3] = {SP_P10, SP_P50, SP_P90};
    static const char *const pname[3] = {"P10", "P50", "P90"};
    for (int k = 0; k < nup; k++) {
        const uperiod *u = &up[k];
        if (u->total)
            snprintf(label, sizeof label, "Horizon total");
        else
            snprintf(label, sizeof label, "FY%d%s", u->fy,
                     u->partial ? " (partial)" : "");
        for (int c = 0; c <= n + (S.diff_c0 >= 0 ? n : 0); c++)
            put_str(x, sh, row, c, c == 0 ? label : "", x->group, c == 0);
        row++;
        int w;
        for (int m = 0; m < 2; m++)
            for (int j = 0; j < 3; j++) {
                figure f = {F_STAT, m ? SP_M_REVENUE : SP_M_BOOKINGS, pcts[j], NULL};
                snprintf(label, sizeof label, "%s %s", m ? "Revenue" : "Bookings",
                         pname[j]);
                if ((w = summary_row(x, &S, row, label, u, &f, NF_MONEY, 1)) >= 0) {
                    if (m == 0 && u->total)
                        book_total[j] = w;
                    row++;
                }
            }
        figure ft = {F_PTARGET, 0, 0, NULL};
        row += summary_row(x, &S, row, "P(bookings \xe2\x89\xa5 target)", u, &ft,
                           NF_PCT, 1) >= 0;
        figure fc = {F_STAT, SP_M_COST, SP_P50, NULL};
        row += summary_row(x, &S, row, "Cost P50", u, &fc, NF_MONEY, -1) >= 0;
        figure fs = {F_STAT, SP_M_COS, SP_P50, NULL};
        if ((w = summary_row(x, &S, row, "Cost of sales P50", u, &fs, NF_PCT,
                             -1)) >= 0) {
            cos_up[ncos] = k;
            cos_rows[ncos++] = w;
            row++;
        }
        figure fn = {F_STAT, SP_M_CONTRIBUTION, SP_P50, NULL};
        row += summary_row(x, &S, row, "Contribution P50", u, &fn, NF_MONEY,
                           1) >= 0;
        figure fh = {F_STAT, SP_M_HEADCOUNT, SP_P50, NULL};
        row += summary_row(x, &S, row, u->total ? "Headcount at the end P50"
                                                : "Headcount at year end P50",
                           u, &fh, NF_COUNT, 0) >= 0;
        for (int i = 0; i < nroles; i++) {
            figure fr = {F_STAT, SP_M_HEADCOUNT, SP_P50, roles[i]};
            snprintf(label, sizeof label, "  %s", roles[i]);
            row += summary_row(x, &S, row, label, u, &fr, NF_COUNT, 0) >= 0;
        }
        figure fhi = {F_STAT, SP_M_HIRES, SP_P50, NULL};
        row += summary_row(x, &S, row, "Hires P50", u, &fhi, NF_COUNT, 0) >= 0;
        figure fd = {F_STAT, SP_M_DEPARTURES, SP_P50, NULL};
        row += summary_row(x, &S, row, "Departures P50", u, &fd, NF_COUNT,
                           0) >= 0;
        for (int i = 0; i < nroles; i++)
            for (int j = 0; j < 2; j++) {
                figure fq = {j ? F_AT_OTE : F_AT_QUOTA, 0, 0, roles[i]};
                snprintf(label, sizeof label, "Reps at %s: %s",
                         j ? "OTE" : "quota", roles[i]);
                row += summary_row(x, &S, row, label, u, &fq, NF_PCT, 1) >= 0;
            }
        row++;
    }

    for (int c = 0; c <= n + (S.diff_c0 >= 0 ? n : 0); c++)
        put_str(x, sh, row, c, c == 0 ? "Payback" : "", x->group, 0);
    row++;
    put_str(x, sh, row, 0, "Payback month P50", NULL, 1);
    for (int i = 0; i < n; i++) {
        if (rs[i]->payback_p50 >= 0)
            put_month(x, sh, row, 1 + i,
                      rs[i]->model.start + rs[i]->payback_p50, x->month);
        else
            put_str(x, sh, row, 1 + i, "never", NULL, 0);
    }
    put_note(x, sh, row, 0,
             "The first month in which the cumulative contribution is at "
             "least zero and stays so to the horizon; the median across "
             "trials.");
    row++;
    put_str(x, sh, row, 0, "Trials never paid back", NULL, 1);
    for (int i = 0; i < n; i++)
        S.v[i] = rs[i]->payback_share_never;
    for (int i = 0; i < n; i++)
        put_num(x, sh, row, 1 + i, S.v[i], (vfmt){NF_PCT, NULL, 0});
    if (n >= 2)
        if (differs_as_shown(S.v, n, NF_PCT))
            mark_best(x, sh, row, n, -1, NF_PCT);
    row += 2;

    /* Charts under the table: categories are the scenario names. */
    lxw_chart *c;
    if (book_total[1] >= 0 &&
        (c = new_chart(x, LXW_CHART_COLUMN,
                       "Bookings over the horizon: P10 / P50 / P90"))) {
        for (int j = 0; j < 3; j++)
            if (book_total[j] >= 0)
                add_series(c, sh, pname[j], hdr, 1, n, book_total[j], 1, n);
        money_axis(c, rs[0]->model.currency);
        insert_chart(x, sh, row, 0, 0, c);
    }
    if (ncos > 0 && (c = new_chart(x, LXW_CHART_COLUMN,
                                   "Cost of sales (P50) by scenario"))) {
        for (int k = 0; k < ncos; k++) {
            const uperiod *u = &up[cos_up[k]];
            char nm[40];
            if (u->total)
                snprintf(nm, sizeof nm, "Horizon total");
            else
                snprintf(nm, sizeof nm, "FY%d", u->fy);
            add_series(c, sh, nm, hdr, 1, n, cos_rows[k], 1, n);
        }
        /* From zero: an axis cut near the values would make a point of
         * cost of sales look like a doubling. */
        chart_axis_set_min(c->y_axis, 0);
        chart_axis_set_num_format(c->y_axis, "0%");
        insert_chart(x, sh, row, 0, 560, c);
    }
    define_range(x, "summary", "scenarios", sh, hdr, 1, hdr, n);
    if (book_total[1] >= 0)
        define_range(x, "summary", "bookings_p50_total", sh, book_total[1], 1,
                     book_total[1], n);
    free(S.v);
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hdr + 1), 1);
    if (n > 3)
        worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    apply_widths(sh, S.diff_c0 >= 0 ? S.diff_c0 + n - 1 : n + 1, 12);
    worksheet_set_column(sh->ws, 0, 0, sh->width[0] > MAX_WIDTH ? MAX_WIDTH
                         : sh->width[0] < 30 ? 30 : sh->width[0], NULL);
    if (S.diff_c0 >= 0)
        worksheet_set_column(sh->ws, (lxw_col_t)(S.diff_c0 - 1),
                             (lxw_col_t)(S.diff_c0 - 1), 3, NULL);
}

/* ---- the Reps sheet ----------------------------------------------------- */

static const sp_rep_stats *rep_total(const sp_results *r, const char *id)
{
    int role = role_index(r, id), p = sp_results_total_period(r);
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
    put_str(x, sh, row++, 0, title, x->bold, 0);
    put_str(x, sh, row, 0, "Bin", x->head, 1);
    put_str(x, sh, row, 1, "From", x->head_r, 1);
    for (int s = 0; s < nr; s++)
        put_str(x, sh, row, 2 + s, nr > 1 ? runs[s]->model.name : "Share",
                x->head_r, 1);
    int hrow = row++;
    for (int k = 0; k < h->nbins; k++, row++) {
        bin_label(h, k, pct, cur, label, sizeof label);
        put_str(x, sh, row, 0, label, NULL, 1);
        put_num(x, sh, row, 1, h->edges[k],
                (vfmt){pct ? NF_PCT : NF_MONEY, cur, 0});
        for (int s = 0; s < nr; s++)
            put_num(x, sh, row, 2 + s, hs[s]->share[k],
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
    lxw_chart *c = new_chart(x, LXW_CHART_COLUMN, title);
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
    chk(x, worksheet_insert_chart_opt(sh->ws,
                                      (lxw_row_t)(crow + (k / 2) *
                                                  REPS_CHART_ROWS),
                                      0, c, &o));
}

/* The percentile table of every role and scenario; then per role the
 * histograms: attainment with one series per scenario (the bins are the
 * same for all), earnings one chart per scenario (each run has bins of its
 * own range).  The charts come first, two per band of rows so that a
 * printed page holds them whole; their data follows. */
static void write_reps(xw *x, sheet *sh, const sp_results *const *rs, int n)
{
    const char *roles[MAX_UROLES];
    int nroles = union_roles(rs, n, roles), row = 0;
    static const char *const hdr[] = {"Role", "Scenario", "Measure",
                                      "Records"};
    static const char *const pct_hdr[SP_NPCT] = {"P5", "P10", "P25", "P50",
                                                 "P75", "P90", "P95"};
    const int cp = 4, cmean = cp + SP_NPCT, cq = cmean + 1, co = cmean + 2;
    char title[256];

    put_str(x, sh, row++, 0, "Rep outcomes over the whole horizon", x->title,
            0);
    put_str(x, sh, row++, 0,
            "Every employee's settled pay periods across all trials. "
            "Attainment = bookings / quota of the period; earnings = base "
            "and all variable pay of the period.", x->note, 0);
    put_str(x, sh, row++, 0,
            "At quota: records with attainment of at least 100%. At OTE: "
            "records whose earnings reach base + target incentive for the "
            "months worked (blank for a role without a target incentive).",
            x->note, 0);
    int hrow = ++row;
    for (int c = 0; c < 4; c++)
        put_str(x, sh, row, c, hdr[c], c == 3 ? x->head_r : x->head, 1);
    for (int k = 0; k < SP_NPCT; k++)
        put_str(x, sh, row, cp + k, pct_hdr[k], x->head_r, 1);
    put_str(x, sh, row, cmean, "Mean", x->head_r, 1);
    put_str(x, sh, row, cq, "At quota", x->head_r, 1);
    put_str(x, sh, row, co, "At OTE", x->head_r, 1);
    row++;

    for (int i = 0; i < nroles; i++) {
        for (int meas = 0; meas < 2; meas++) {
            for (int s = 0; s < n; s++) {
                const sp_rep_stats *st = rep_total(rs[s], roles[i]);
                if (!st || st->records == 0 || (meas == 0 && st->defined == 0))
                    continue;
                const sp_stat *d = meas == 0 ? &st->attainment : &st->earnings;
                vfmt vf = {meas == 0 ? NF_PCT : NF_MONEY,
                           rs[s]->model.currency, 0};
                put_str(x, sh, row, 0, roles[i], NULL, 1);
                put_str(x, sh, row, 1, rs[s]->model.name, NULL, 1);
                put_str(x, sh, row, 2, meas == 0 ? "Attainment" : "Earnings",
                        NULL, 1);
                put_num(x, sh, row, 3,
                        (double)(meas == 0 ? st->defined : st->records),
                        (vfmt){NF_WHOLE, NULL, 0});
                for (int k = 0; k < SP_NPCT; k++)
                    put_num(x, sh, row, cp + k, d->p[k], vf);
                put_num(x, sh, row, cmean, d->mean, vf);
                if (meas == 0)
                    put_num(x, sh, row, cq, st->share_at_quota,
                            (vfmt){NF_PCT, NULL, 0});
                else if (has_incentive(rs[s], role_index(rs[s], roles[i])))
                    put_num(x, sh, row, co, st->share_at_ote,
                            (vfmt){NF_PCT, NULL, 0});
                row++;
            }
        }
        row++;
    }
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 3);

    /* The histograms: count the charts first to leave their room. */
    const sp_rep_hist **hs = malloc((size_t)n * sizeof *hs);
    const sp_results **runs = malloc((size_t)n * sizeof *runs);
    if (!hs || !runs) {
        free(hs);
        free(runs);
        x->nomem = 1;
        return;
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
    if (ncharts > 0) {
        row++;
        int top = row;
        put_str(x, sh, row++, 0, "Distributions over the whole horizon",
                x->title, 0);
        put_str(x, sh, row++, 0,
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
        chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));

        int k = 0;
        for (int i = 0; i < nroles; i++) {
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
    }
    free(hs);
    free(runs);
    apply_widths(sh, co + 1, 9);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
}

/* ---- the Compare sheet -------------------------------------------------- */

/* The figures of the paired differences, as the Summary names them. */
static const struct {
    int metric;
    const char *label;
    numfmt nf;
} cmp_figures[] = {
    {SP_M_BOOKINGS, "Bookings", NF_MONEY},
    {SP_M_REVENUE, "Revenue", NF_MONEY},
    {SP_M_COST, "Cost", NF_MONEY},
    {SP_M_COS, "Cost of sales", NF_PCT2},
    {SP_M_CONTRIBUTION, "Contribution", NF_MONEY},
    {SP_M_HEADCOUNT, "Headcount at the end", NF_COUNT2},
};

/* Whether the runs can be differenced trial by trial against rs[0]: the
 * condition of the JSON "differences" too. */
static int comparable(const sp_results *const *rs, int n)
{
    if (n < 2)
        return 0;
    for (int i = 1; i < n; i++)
        if (rs[i]->trials != rs[0]->trials)
            return 0;
    return 1;
}

static const sp_period *fiscal_nth(const sp_results *r, int k)
{
    for (int p = 0; p < r->nperiods; p++)
        if (!r->periods[p].is_total && k-- == 0)
            return &r->periods[p];
    return NULL;
}

/* A long table (scenario, period, figure) of each scenario minus rs[0],
 * paired trial by trial, with the 95% interval as formulas over the mean
 * and standard error; then the horizon-total bookings and contribution
 * differences as chart data and a column chart of them.
 *
 * libxlsxwriter 1.1.4 has no custom error bars (only fixed, percentage,
 * standard deviation and standard error of the plotted values), so the
 * interval is in the table rather than on the bars. */
static void write_compare(xw *x, sheet *sh, const sp_results *const *rs,
                          int n)
{
    const sp_results *a = rs[0];
    const int cmean = 3, cse = 4, clo = 5, chi = 6, cn = 7;
    static const char *const hdr[] = {"Scenario", "Period", "Figure",
                                      "Mean difference", "SE", "95% low",
                                      "95% high", "Trials used"};
    char buf[256];
    int row = 0, same_seed = 1;

    for (int i = 1; i < n; i++)
        same_seed &= rs[i]->seed == a->seed;
    snprintf(buf, sizeof buf, "Paired differences against %s", a->model.name);
    put_str(x, sh, row++, 0, buf, x->title, 0);
    snprintf(buf, sizeof buf,
             "Each scenario minus %s, trial by trial: trial t of every run "
             "draws the same random numbers, so a difference comes from the "
             "change rather than from noise.", a->model.name);
    put_str(x, sh, row++, 0, buf, x->note, 0);
    put_str(x, sh, row++, 0,
            "SE is the standard error of the mean difference; the 95% "
            "interval is the mean \xc2\xb1 1.96 SE. Periods are fiscal-year "
            "totals and the horizon total.", x->note, 0);
    if (!same_seed)
        put_str(x, sh, row++, 0,
                "The runs have different seeds, so their trials are not "
                "paired: the differences carry the noise of both runs.",
                x->note, 0);
    row++;
    int hrow = row;
    for (int c = 0; c < 8; c++)
        put_str(x, sh, row, c, hdr[c], c < 3 ? x->head : x->head_r, 1);
    row++;

    /* The chart's rows: the horizon-total mean differences. */
    int (*at)[2] = malloc((size_t)n * sizeof *at);
    if (!at) {
        x->nomem = 1;
        return;
    }
    for (int i = 1; i < n; i++) {
        const sp_results *b = rs[i];
        int nf = sp_results_fiscal_count(a) < sp_results_fiscal_count(b) ? sp_results_fiscal_count(a)
                                                   : sp_results_fiscal_count(b);
        at[i][0] = at[i][1] = -1;
        for (int k = 0; k <= nf; k++) {
            int period = k < nf ? k : SP_PERIOD_TOTAL;
            const sp_period *pe = k < nf ? fiscal_nth(a, k) : NULL;
            for (size_t f = 0; f < sizeof cmp_figures / sizeof cmp_figures[0];
                 f++) {
                double mean, se;
                long used;
                if (sp_paired_diff(a, b, period, cmp_figures[f].metric, NULL,
                                   &mean, &se, &used) != 0)
                    continue;
                vfmt vf = {cmp_figures[f].nf, b->model.currency, 0};
                put_str(x, sh, row, 0, b->model.name, NULL, 1);
                put_str(x, sh, row, 1, pe ? pe->label : "Horizon total", NULL,
                        1);
                put_str(x, sh, row, 2, cmp_figures[f].label, NULL, 1);
                put_num(x, sh, row, cmean, mean, vf);
                put_num(x, sh, row, cse, se, vf);
                if (isfinite(mean) && isfinite(se)) {
                    char m[32], e[32], fml[96];
                    lxw_rowcol_to_cell(m, (lxw_row_t)row, (lxw_col_t)cmean);
                    lxw_rowcol_to_cell(e, (lxw_row_t)row, (lxw_col_t)cse);
                    snprintf(fml, sizeof fml, "=%s-1.96*%s", m, e);
                    put_formula(x, sh, row, clo, fml, mean - 1.96 * se, vf);
                    snprintf(fml, sizeof fml, "=%s+1.96*%s", m, e);
                    put_formula(x, sh, row, chi, fml, mean + 1.96 * se, vf);
                }
                put_num(x, sh, row, cn, (double)used,
                        (vfmt){NF_WHOLE, NULL, 0});
                if (!pe && isfinite(mean)) {
                    if (cmp_figures[f].metric == SP_M_BOOKINGS)
                        at[i][0] = row;
                    else if (cmp_figures[f].metric == SP_M_CONTRIBUTION)
                        at[i][1] = row;
                }
                row++;
            }
        }
    }
    int last = row - 1;
    if (last > hrow)
        chk(x, worksheet_autofilter(sh->ws, (lxw_row_t)hrow, 0,
                                    (lxw_row_t)last, (lxw_col_t)cn));

    /* Chart data: a contiguous block the chart's series can refer to,
     * each cell a reference to the table so that both stay in step. */
    row++;
    put_str(x, sh, row++, 0, "Chart data (horizon total, mean difference)",
            x->bold, 0);
    int drow = row;
    put_str(x, sh, row, 0, "Scenario", x->head, 1);
    put_str(x, sh, row, 1, "Bookings", x->head_r, 1);
    put_str(x, sh, row, 2, "Contribution", x->head_r, 1);
    row++;
    for (int i = 1; i < n; i++, row++) {
        put_str(x, sh, row, 0, rs[i]->model.name, NULL, 1);
        for (int k = 0; k < 2; k++) {
            if (at[i][k] < 0)
                continue;
            char ref[32], fml[48];
            double mean, se;
            long used;
            sp_paired_diff(a, rs[i], SP_PERIOD_TOTAL,
                           k ? SP_M_CONTRIBUTION : SP_M_BOOKINGS, NULL, &mean,
                           &se, &used);
            lxw_rowcol_to_cell(ref, (lxw_row_t)at[i][k], (lxw_col_t)cmean);
            snprintf(fml, sizeof fml, "=%s", ref);
            put_formula(x, sh, row, 1 + k, fml, mean,
                        (vfmt){NF_MONEY, rs[i]->model.currency, 0});
        }
    }
    free(at);
    snprintf(buf, sizeof buf, "Horizon total: mean difference against %s",
             a->model.name);
    lxw_chart *c = new_chart(x, LXW_CHART_COLUMN, buf);
    if (c) {
        for (int k = 0; k < 2; k++) {
            lxw_chart_series *s = chart_add_series(c, NULL, NULL);
            if (!s)
                continue;
            chart_series_set_categories(s, sh->name, (lxw_row_t)(drow + 1), 0,
                                        (lxw_row_t)(drow + n - 1), 0);
            chart_series_set_values(s, sh->name, (lxw_row_t)(drow + 1),
                                    (lxw_col_t)(1 + k),
                                    (lxw_row_t)(drow + n - 1),
                                    (lxw_col_t)(1 + k));
            chart_series_set_name(s, k ? "Contribution" : "Bookings");
        }
        money_axis(c, a->model.currency);
        insert_chart(x, sh, hrow, cn + 2, 0, c);
    }
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 0);
    apply_widths(sh, cn + 1, 10);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
}

/* ---- the Sweep and Tornado sheets --------------------------------------- */

/* How an analysis metric reads: a share, a number of people, or money. */
static vfmt metric_vfmt(int metric, const char *cur)
{
    if (metric == SP_METRIC_P_TARGET || metric == SP_M_COS ||
        metric == SP_M_ATTAINMENT)
        return (vfmt){NF_PCT2, NULL, 0};
    if (metric >= 0 && metric < SP_M_BOOKINGS)
        return (vfmt){NF_COUNT2, NULL, 0};
    return (vfmt){NF_MONEY, cur, 0};
}

static vfmt unit_vfmt(sp_unit u, const char *cur)
{
    switch (u) {
    case SP_U_MONEY: return (vfmt){NF_MONEY, cur, 0};
    case SP_U_PERCENT: return (vfmt){NF_PCT2, NULL, 0};
    case SP_U_MULT: return (vfmt){NF_MULT, NULL, 0};
    default: return (vfmt){NF_PLAIN, NULL, 0};
    }
}

static void metric_axis(lxw_chart *c, int metric, const char *cur)
{
    vfmt vf = metric_vfmt(metric, cur);
    if (vf.kind == NF_MONEY)
        money_axis(c, cur);
    else
        chart_axis_set_num_format(c->y_axis, vf.kind == NF_PCT2 ? "0.0%"
                                                                : "#,##0.0");
}

/* Trials and seed of an analysis: every run in it used the same. */
static int runs_header(xw *x, sheet *sh, int row, int trials,
                       unsigned long seed)
{
    put_str(x, sh, row, 0, "Trials per run", x->bold, 1);
    put_num(x, sh, row++, 1, trials, (vfmt){NF_WHOLE, NULL, 1});
    put_str(x, sh, row, 0, "Seed", x->bold, 1);
    put_num(x, sh, row++, 1, (double)seed, (vfmt){NF_PLAIN, NULL, 1});
    return row;
}

/* The points of the sweep, one row each (the parameters' values, then the
 * metric's P10 / P50 / P90 and mean), a line chart of them over the first
 * parameter; for a grid also a table of P50 with the first parameter down
 * and the second across, and a line chart with one line per value of the
 * second. */
static void write_sweep(xw *x, sheet *sh, const sp_sweep *sw)
{
    const int np = sw->nparams == 2 ? 2 : 1;
    const int pt = sw->metric == SP_METRIC_P_TARGET;
    const int nstat = pt ? 1 : 4, cs = np;
    static const char *const stat_hdr[4] = {"P10", "P50", "P90", "Mean"};
    vfmt mv = metric_vfmt(sw->metric, sw->currency);
    char buf[512];
    int row = 0;

    snprintf(buf, sizeof buf, "Sweep of %s%s%s: %s (%s)", sw->param[0],
             np == 2 ? " by " : "", np == 2 ? sw->param[1] : "",
             sw->metric_name,
             strcmp(sw->period, "total") == 0 ? "horizon total" : sw->period);
    put_str(x, sh, row++, 0, buf, x->title, 0);
    put_str(x, sh, row++, 0,
            pt ? "Each point is a run with the parameters set to the values "
                 "shown and every other input as it is; the share of trials "
                 "that reach the target."
               : "Each point is a run with the parameters set to the values "
                 "shown and every other input as it is; percentiles and mean "
                 "across its trials.", x->note, 0);
    put_str(x, sh, row++, 0,
            "Every run uses the same trials and seed, so the random numbers "
            "are the same at every point: the curve's shape is the "
            "parameter's effect, not noise.", x->note, 0);
    row = runs_header(x, sh, row, sw->trials, sw->seed);
    row++;

    int hrow = row;
    for (int k = 0; k < np; k++)
        put_str(x, sh, row, k, sw->param[k], x->head, 1);
    for (int k = 0; k < nstat; k++)
        put_str(x, sh, row, cs + k, pt ? "P(target)" : stat_hdr[k], x->head_r,
                1);
    row++;
    long npts = (long)sw->n[0] * sw->n[1];
    int r0 = row;
    for (long q = 0; q < npts; q++, row++) {
        const sp_sweep_point *p = &sw->points[q];
        for (int k = 0; k < np; k++)
            put_num(x, sh, row, k, p->x[k],
                    unit_vfmt(sw->unit[k], sw->currency));
        const double v[4] = {p->p10, p->p50, p->p90, p->mean};
        for (int k = 0; k < nstat; k++)
            put_num(x, sh, row, cs + k, pt ? p->p50 : v[k], mv);
    }
    int chart_col = cs + nstat + 1;

    lxw_chart *c;
    if (np == 1) {
        snprintf(buf, sizeof buf, "%s over %s%s", sw->metric_name,
                 sw->param[0], pt ? "" : ": P10 / P50 / P90");
        if (npts > 0 && (c = new_chart(x, LXW_CHART_LINE, buf))) {
            static const int order[3] = {1, 0, 2};   /* P50 first */
            for (int j = 0; j < (pt ? 1 : 3); j++) {
                int k = pt ? 0 : order[j];
                lxw_chart_series *s = chart_add_series(c, NULL, NULL);
                if (!s)
                    continue;
                chart_series_set_categories(s, sh->name, (lxw_row_t)r0, 0,
                                            (lxw_row_t)(row - 1), 0);
                chart_series_set_values(s, sh->name, (lxw_row_t)r0,
                                        (lxw_col_t)(cs + k),
                                        (lxw_row_t)(row - 1),
                                        (lxw_col_t)(cs + k));
                chart_series_set_name(s, pt ? "P(target)" : stat_hdr[k]);
                if (!pt && k != 1) {
                    lxw_chart_line dash = {.dash_type = LXW_CHART_LINE_DASH_DASH,
                                           .width = 1.25};
                    chart_series_set_line(s, &dash);
                }
            }
            chart_axis_set_name(c->x_axis, sw->param[0]);
            metric_axis(c, sw->metric, sw->currency);
            insert_chart(x, sh, hrow, chart_col, 0, c);
        }
    } else {
        /* The grid of P50: each cell refers to its point's row. */
        row++;
        snprintf(buf, sizeof buf, "%s of %s: %s down, %s across",
                 pt ? "P(target)" : "P50", sw->metric_name, sw->param[0],
                 sw->param[1]);
        put_str(x, sh, row++, 0, buf, x->bold, 0);
        int grow = row;
        snprintf(buf, sizeof buf, "%s \\ %s", sw->param[0], sw->param[1]);
        put_str(x, sh, row, 0, buf, x->head, 1);
        for (int j = 0; j < sw->n[1]; j++)
            put_num(x, sh, row, 1 + j, sw->values[1][j],
                    unit_vfmt(sw->unit[1], sw->currency));
        row++;
        for (int i = 0; i < sw->n[0]; i++, row++) {
            put_num(x, sh, row, 0, sw->values[0][i],
                    unit_vfmt(sw->unit[0], sw->currency));
            for (int j = 0; j < sw->n[1]; j++) {
                long q = (long)i * sw->n[1] + j;
                char ref[32], fml[48];
                lxw_rowcol_to_cell(ref, (lxw_row_t)(r0 + q),
                                   (lxw_col_t)(cs + (pt ? 0 : 1)));
                snprintf(fml, sizeof fml, "=%s", ref);
                if (isfinite(sw->points[q].p50))
                    put_formula(x, sh, row, 1 + j, fml, sw->points[q].p50, mv);
            }
        }
        snprintf(buf, sizeof buf, "%s of %s over %s, one line per %s",
                 pt ? "P(target)" : "P50", sw->metric_name, sw->param[0],
                 sw->param[1]);
        if (sw->n[0] > 0 && (c = new_chart(x, LXW_CHART_LINE, buf))) {
            for (int j = 0; j < sw->n[1]; j++) {
                lxw_chart_series *s = chart_add_series(c, NULL, NULL);
                if (!s)
                    continue;
                chart_series_set_categories(s, sh->name,
                                            (lxw_row_t)(grow + 1), 0,
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
            metric_axis(c, sw->metric, sw->currency);
            int gc = 1 + sw->n[1] + 1;
            insert_chart(x, sh, hrow, chart_col > gc ? chart_col : gc, 0, c);
        }
    }
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 0);
    apply_widths(sh, np == 2 && sw->n[1] + 1 > cs + nstat ? sw->n[1] + 1
                                                          : cs + nstat, 10);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
}

/* One row per input, largest swing first as the tornado sorted them; the
 * swing and the bars' ends relative to the base as formulas; and a bar
 * chart of those ends, the largest swing at the top. */
static void write_tornado(xw *x, sheet *sh, const sp_tornado *tn)
{
    static const char *const hdr[] = {"Input", "Value", "Low", "High",
                                      "At low", "At high", "Swing",
                                      "Low \xe2\x88\x92 base",
                                      "High \xe2\x88\x92 base", "Clamped"};
    enum { C_IN, C_VAL, C_LOW, C_HIGH, C_ML, C_MH, C_SW, C_DL, C_DH, C_CL,
           NCOL };
    vfmt mv = metric_vfmt(tn->metric, tn->currency);
    char buf[512], cell[32], b[32], fml[96], stat[sizeof tn->stat];
    int row = 0;

    /* "P50" as the other sheets write percentiles; "mean" stays. */
    snprintf(stat, sizeof stat, "%s", tn->stat);
    if (stat[0] == 'p')
        stat[0] = 'P';
    /* P(target) is a share of trials: it has no statistic to name. */
    if (tn->metric == SP_METRIC_P_TARGET)
        stat[0] = '\0';
    snprintf(buf, sizeof buf, "Tornado of %s%s%s (%s)", tn->metric_name,
             *stat ? " " : "", stat,
             strcmp(tn->period, "total") == 0 ? "horizon total" : tn->period);
    put_str(x, sh, row++, 0, buf, x->title, 0);
    snprintf(buf, sizeof buf,
             "Each input moved %.6g%% below and above its value, one at a "
             "time, every other input as it is; the same trials and seed in "
             "every run, so the bars show the inputs' effects rather than "
             "noise. Largest swing first.", tn->swing * 100);
    put_str(x, sh, row++, 0, buf, x->note, 0);
    put_str(x, sh, row++, 0,
            "Value, Low and High summarise the input (a distribution by its "
            "mean; a tier table as a factor, 1.00\xc3\x97 as it is). Clamped: "
            "an end that the parameter's range moved less.", x->note, 0);
    int base_row = row;
    put_str(x, sh, row, 0, "Base", x->bold, 1);
    put_num(x, sh, row++, 1, tn->base, mv);
    put_str(x, sh, row, 0, "Swing", x->bold, 1);
    put_num(x, sh, row++, 1, tn->swing, (vfmt){NF_PCTP, NULL, 1});
    row = runs_header(x, sh, row, tn->trials, tn->seed);
    row++;

    int hrow = row;
    for (int c = 0; c < NCOL; c++) {
        put_str(x, sh, row, c, hdr[c],
                c == C_IN ? x->head : c == C_CL ? x->head_ind : x->head_r, 1);
        /* Bold headers are wider than the estimate for plain text; a
         * right-aligned one would otherwise run into the left-aligned
         * "Clamped" beside it. */
        fit(sh, c, sp_text_width(hdr[c]) * 1.25 + 3);
    }
    row++;
    char base_ref[32];
    lxw_rowcol_to_cell_abs(base_ref, (lxw_row_t)base_row, 1, 1, 1);
    for (int i = 0; i < tn->nbars; i++, row++) {
        const sp_tornado_bar *bar = &tn->bars[i];
        vfmt uv = unit_vfmt(bar->unit, tn->currency);
        put_str(x, sh, row, C_IN, bar->param, NULL, 1);
        put_num(x, sh, row, C_VAL, bar->value, uv);
        put_num(x, sh, row, C_LOW, bar->low, uv);
        put_num(x, sh, row, C_HIGH, bar->high, uv);
        put_num(x, sh, row, C_ML, bar->metric_low, mv);
        put_num(x, sh, row, C_MH, bar->metric_high, mv);
        lxw_rowcol_to_cell(cell, (lxw_row_t)row, C_ML);
        lxw_rowcol_to_cell(b, (lxw_row_t)row, C_MH);
        if (isfinite(bar->metric_low) && isfinite(bar->metric_high)) {
            snprintf(fml, sizeof fml, "=ABS(%s-%s)", b, cell);
            put_formula(x, sh, row, C_SW, fml,
                        fabs(bar->metric_high - bar->metric_low), mv);
        }
        if (isfinite(tn->base)) {
            if (isfinite(bar->metric_low)) {
                snprintf(fml, sizeof fml, "=%s-%s", cell, base_ref);
                put_formula(x, sh, row, C_DL, fml, bar->metric_low - tn->base,
                            mv);
            }
            if (isfinite(bar->metric_high)) {
                snprintf(fml, sizeof fml, "=%s-%s", b, base_ref);
                put_formula(x, sh, row, C_DH, fml,
                            bar->metric_high - tn->base, mv);
            }
        }
        const char *cl = bar->clamped_low && bar->clamped_high ? "both"
                         : bar->clamped_low ? "low"
                         : bar->clamped_high ? "high" : "";
        if (*cl)
            put_str(x, sh, row, C_CL, cl, x->indent, 1);
    }

    snprintf(buf, sizeof buf, "%s%s%s: change from the base",
             tn->metric_name, *stat ? " " : "", stat);
    lxw_chart *c;
    if (tn->nbars > 0 && (c = new_chart(x, LXW_CHART_BAR, buf))) {
        for (int k = 0; k < 2; k++) {
            lxw_chart_series *s = chart_add_series(c, NULL, NULL);
            if (!s)
                continue;
            chart_series_set_categories(s, sh->name, (lxw_row_t)(hrow + 1),
                                        C_IN, (lxw_row_t)(row - 1), C_IN);
            chart_series_set_values(s, sh->name, (lxw_row_t)(hrow + 1),
                                    (lxw_col_t)(k ? C_DH : C_DL),
                                    (lxw_row_t)(row - 1),
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
        if (mv.kind == NF_MONEY) {
            char num[64];
            if (tn->currency[0] && !strchr(tn->currency, '"'))
                snprintf(num, sizeof num, "\"%s\"#,##0", tn->currency);
            else
                snprintf(num, sizeof num, "#,##0");
            chart_axis_set_num_format(c->x_axis, num);
        } else {
            chart_axis_set_num_format(c->x_axis, mv.kind == NF_PCT2
                                                     ? "0.0%" : "#,##0.0");
        }
        /* Printed, the chart starts a page rather than being cut. */
        lxw_row_t breaks[] = {(lxw_row_t)(row + 1), 0};
        chk(x, worksheet_set_h_pagebreaks(sh->ws, breaks));
        lxw_chart_options o = {0};
        o.x_scale = 1.3;
        o.y_scale = tn->nbars > 12 ? 1.15 + (tn->nbars - 12) * 0.08 : 1.15;
        chk(x, worksheet_insert_chart_opt(sh->ws, (lxw_row_t)(row + 1), 0, c,
                                          &o));
    }
    worksheet_freeze_panes(sh->ws, (lxw_row_t)(hrow + 1), 1);
    apply_widths(sh, NCOL, 10);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
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
    for (int k = 0; k < n + S_FIXED; k++)
        snprintf(sheets[k].name, NAME_BYTES, "%s", names[k]);
    sheet *scen = sheets + S_FIXED;

    /* Tab order: Summary, Compare, the scenarios, Reps, Sweep, Tornado. */
    int want[S_FIXED] = {0};
    want[S_SUMMARY] = want[S_REPS] = n > 0;
    want[S_COMPARE] = comparable(rs, n);
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
        chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (ok && !x->nomem) {
        if (n > 0)
            write_summary(x, &sheets[S_SUMMARY], rs, n, names + S_FIXED);
        if (want[S_COMPARE] && !x->nomem)
            write_compare(x, &sheets[S_COMPARE], rs, n);
        for (int i = 0; i < n && !x->nomem; i++)
            write_scenario_sheet(x, &scen[i], scs ? scs[i] : NULL, rs[i],
                                 prefixes[i + 1]);
        if (n > 0 && !x->nomem)
            write_reps(x, &sheets[S_REPS], rs, n);
        if (sw && !x->nomem)
            write_sweep(x, &sheets[S_SWEEP], sw);
        if (tn && !x->nomem)
            write_tornado(x, &sheets[S_TORNADO], tn);
        if (n > 0)
            worksheet_activate(sheets[S_SUMMARY].ws);
    }

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
    chk(x, workbook_set_properties(x->wb, &props));

    free(names), free(prefixes), free(sheets);
    return x->nomem ? SP_ERR_NOMEM : SP_OK;
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
    xw x = {0};
    x.wb = workbook_new(tmp);
    if (!x.wb) {
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0,
                            "cannot write '%s': out of memory", path);
    }
    sp_status st = build(&x, scs, rs, n, sw, tn);
    errno = 0;
    lxw_error le = workbook_close(x.wb);
    int sys_err = errno;
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
    return sp_atomic_commit(f, tmp, path, err);
}
