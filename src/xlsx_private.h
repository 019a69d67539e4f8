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
               *pct2, *head_ind, *indent;
    money_fmt money[MAX_CUR];
    int nmoney;
} xw;

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
void xw_put_formula(xw *x, sheet *sh, int row, int col, const char *f,
                    double cached, vfmt vf);
void xw_put_month(xw *x, sheet *sh, int row, int col, int month,
                  lxw_format *f);
void xw_put_note(xw *x, sheet *sh, int row, int col, const char *text);
void xw_apply_widths(sheet *sh, int ncols, double minw);

/* Charts. */
lxw_chart *xw_new_chart(xw *x, uint8_t type, const char *title);
lxw_chart_series *xw_add_series(lxw_chart *c, const sheet *sh,
                                const char *name, int cat_row, int c0,
                                int c1, int row, int vc0, int vc1);
void xw_insert_chart(xw *x, sheet *sh, int row, int col, int xoff,
                     lxw_chart *c);
void xw_money_axis(lxw_chart_axis *axis, const char *cur);

/* Results. */
int xw_role_index(const sp_results *r, const char *id);
int xw_has_incentive(const sp_results *r, int role);
int xw_union_roles(const sp_results *const *rs, int n,
                   const char *ids[MAX_UROLES]);
int xw_comparable(const sp_results *const *rs, int n);

/* The sheets. */
void xw_write_scenario_sheet(xw *x, sheet *sh, const sp_scenario *sc,
                             const sp_results *r, const char *prefix);
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
