/* What the workbook's files share (export_xlsx.c: plumbing, formats, cells,
 * the Summary and the build; xlsx_scenario.c: the scenario sheets and
 * Reps; xlsx_analysis.c: Compare, Sweep and Tornado): the writer's state,
 * the cell and chart helpers every sheet uses, and the sheet writers.
 *
 * Errors do not travel through the helpers: the first libxlsxwriter error
 * is kept in xw.lerr and running out of memory sets xw.nomem, and the
 * build checks both once at the end. */
#ifndef SALESPLAN_XLSX_PRIVATE_H
#define SALESPLAN_XLSX_PRIVATE_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "salesplan/findings.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"

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
    char cur[SP_CURRENCY_MAX];
    lxw_format *money[2];    /* right-aligned, left-aligned */
} money_fmt;

typedef struct {
    lxw_workbook *wb;
    lxw_error lerr;          /* first libxlsxwriter error */
    int nomem;
    lxw_format *title, *bold, *head, *head_r, *group, *note, *pct, *pct_param,
               *count, *whole, *plain, *month, *month_head, *best, *link,
               *pct_param_l, *whole_l, *plain_l, *month_l, *count2, *mult,
               *pct2, *head_ind, *indent, *pts, *warn, *wrap;
    money_fmt money[MAX_CUR];
    int nmoney;
} xw;

/* How a number is shown, which also decides the width it needs. */
typedef enum {
    NF_MONEY, NF_PCT, NF_PCTP, NF_PCT2, NF_COUNT, NF_COUNT2, NF_WHOLE,
    NF_MULT, NF_PLAIN,
    NF_PTS               /* percentage points: the value is 100 x a share */
} numfmt;

typedef struct {
    numfmt kind;
    const char *cur;
    int left;                /* aligned left, among text */
} vfmt;

/* The runs of a workbook: rs[i] ran scs[i] (NULL: not known), and
 * changed[i] lists the statements since, one a line (NULL: none). */
typedef struct {
    const sp_results *const *rs;
    const sp_scenario *const *scs;
    const char *const *changed;
    int n;
} xw_runs;

/* Where the Distributions sheet puts the bookings S-curves: share k/100
 * in row DIST_ROW0 + k of column 0; scenario i's fiscal year f (its f-th)
 * in column 1 + i * nfy + f; the target line of that column in rows
 * DIST_TROW and DIST_TROW + 1 (column 0 holds 0 and 1). */
#define DIST_NQ 101
#define DIST_ROW0 4
#define DIST_TROW (DIST_ROW0 + DIST_NQ + 2)
int xw_dist_nfy(const sp_results *const *rs, int n);

/* Keeps the first libxlsxwriter error. */
void xw_chk(xw *x, lxw_error e);

/* Names and references. */
void xw_quoted(const char *sheet, char *out, size_t size);
void xw_define_range(xw *x, const char *prefix, const char *what,
                     const sheet *sh, int r0, int c0, int r1, int c1);

/* Cells.  Each widens its column's fitted width to what it shows. */
void xw_fit(sheet *sh, int col, double w);
numfmt xw_count_kind(const double *v, int n);
vfmt xw_metric_vfmt(int metric, const char *cur, int fine);
void xw_put_str(xw *x, sheet *sh, int row, int col, const char *s,
                lxw_format *f, int fitw);
void xw_put_num(xw *x, sheet *sh, int row, int col, double v, vfmt vf);
/* A value as a script writes it: a plain number as a number (left, among
 * text), anything else ("10%", "2027-03:2") as text. */
void xw_put_value_text(xw *x, sheet *sh, int row, int col, const char *s);
void xw_put_formula(xw *x, sheet *sh, int row, int col, const char *f,
                    double cached, vfmt vf);
void xw_put_month(xw *x, sheet *sh, int row, int col, int month,
                  lxw_format *f);
void xw_put_note(xw *x, sheet *sh, int row, int col, const char *text);
void xw_apply_widths(sheet *sh, int ncols, double minw);
/* Prints rows 0..last_row of the first ncols columns, or as many more as
 * make min_px pixels (charts wider than the table), and then extra_px more
 * (a chart beside the table).  Without it a long note running past the
 * table widens the printed page and fit-to-width shrinks everything to
 * fit it.  Call after xw_apply_widths. */
void xw_print_area(xw *x, sheet *sh, int last_row, int ncols, int min_px,
                   int extra_px);

/* Charts. */
lxw_chart *xw_new_chart(xw *x, uint8_t type, const char *title);
lxw_chart_series *xw_add_series(lxw_chart *c, const sheet *sh,
                                const char *name, int cat_row, int c0,
                                int c1, int row, int vc0, int vc1);
void xw_insert_chart(xw *x, sheet *sh, int row, int col, int xoff,
                     lxw_chart *c);
void xw_money_axis(lxw_chart_axis *axis, const char *cur);
/* An axis title in the chart's font, e.g. "Bookings (¥)". */
void xw_axis_title(lxw_chart_axis *axis, const char *name);

/* Results. */
int xw_role_index(const sp_results *r, const char *id);
int xw_has_incentive(const sp_results *r, int role);
int xw_union_roles(const sp_results *const *rs, int n,
                   const char *ids[MAX_UROLES]);
int xw_comparable(const sp_results *const *rs, int n);

/* Role labels: the scenario's title for the role, with the id ("Account
 * executive (ae)"), or the id alone. */
void xw_role_label(const xw_runs *R, const char *id, char *buf, size_t size);

/* The sheets. */
void xw_write_summary(xw *x, sheet *sh, const xw_runs *R,
                      char sheet_names[][NAME_BYTES], const char *dist);
void xw_write_scenario_sheet(xw *x, sheet *sh, const sp_scenario *sc,
                             const char *changed, const sp_results *r,
                             const char *prefix);
void xw_write_distributions(xw *x, sheet *sh, const sp_results *const *rs,
                            int n);
void xw_write_trials(xw *x, sheet *sh, const sp_results *const *rs, int n);
void xw_write_seeks(xw *x, sheet *sh, const sp_findings *f);
void xw_write_reps(xw *x, sheet *sh, const sp_results *const *rs, int n);
void xw_write_compare(xw *x, sheet *sh, const sp_results *const *rs, int n);
void xw_write_sweep(xw *x, sheet *sh, const sp_sweep *sw);
void xw_write_tornado(xw *x, sheet *sh, const sp_tornado *tn);

/* Reads the written workbook at path back (xlsx_verify.c): a zip whose
 * every part inflates to its recorded size and CRC, with the workbook's
 * main parts and nsheets complete sheets.  0, or -1 with the reason in
 * why. */
int xw_verify(const char *path, int nsheets, char *why, size_t whysize);

#endif
