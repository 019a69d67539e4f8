/* The tidy CSV writer: one row per figure, so that a spreadsheet's pivot
 * table or a data frame reads every run of an export without reshaping. */
#include "salesplan/export_csv.h"

#include <math.h>

#include "salesplan/lang.h"
#include "salesplan/stats.h"

#include "export_private.h"

/* Rows, per scenario, in this order:
 *   monthly   METRIC[.ROLE], YYYY-MM,  mean|sd|se|p5..p95
 *   periods   METRIC[.ROLE], FY label, mean|sd|se|p5..p95 (cos, attainment
 *             included); a fiscal year cut by the horizon keeps its plain
 *             label ("FY2029") so rows join across scenarios with the same
 *             calendar — whether it is partial is in the JSON
 *   horizon   METRIC[.ROLE], Total,    mean|sd|...
 *   p_target  p_target, FY label, value   (only years that have a target)
 *   payback   payback_month, Total, p50 (YYYY-MM, empty: never) and
 *             share_never
 *   reps      reps.records.ROLE / reps.share_at_quota.ROLE /
 *             reps.share_at_ote.ROLE (statistic "value") and
 *             reps.attainment.ROLE / reps.earnings.ROLE (mean..p95), for
 *             each fiscal year and Total
 * An undefined value is an empty field. */

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_row(FILE *f, const char *scenario, const char *metric,
                    const char *period, const char *statistic,
                    const char *value)
{
    csv_field(f, scenario);
    fputc(',', f);
    csv_field(f, metric);
    fputc(',', f);
    csv_field(f, period);
    fputc(',', f);
    csv_field(f, statistic);
    fputc(',', f);
    csv_field(f, value);
    fputc('\n', f);
}

static void csv_num_row(FILE *f, const char *scenario, const char *metric,
                        const char *period, const char *statistic, double x)
{
    char buf[40] = "";
    if (isfinite(x))
        num_text(x, buf, sizeof buf);
    csv_row(f, scenario, metric, period, statistic, buf);
}

static void csv_stat_rows(FILE *f, const char *scenario, const char *metric,
                          const char *period, const sp_stat *s)
{
    for (int k = 0; k < 3 + SP_NPCT; k++)
        csv_num_row(f, scenario, metric, period, stat_keys[k],
                    stat_field(s, k));
}

static const char *period_name(const sp_period *p)
{
    return p->is_total ? "Total" : p->label;
}

static void csv_results(FILE *f, const sp_results *r)
{
    char name[SERIES_NAME_MAX], month[16];
    const char *sc = r->model.name;
    int h = r->model.horizon;

    for (int m = 0; m < SP_M_NMONTHLY && r->monthly; m++)
        for (int role = -1; role < r->nroles; role++) {
            if (!mpresent(r, m, role))
                continue;
            series_name(m, role_id(r, role), name, sizeof name);
            const sp_stat *st = &r->monthly[(size_t)sp_series(r, m, role) * h];
            for (int t = 0; t < h; t++) {
                sp_format_month(r->model.start + t, month);
                csv_stat_rows(f, sc, name, month, &st[t]);
            }
        }
    /* Fiscal years first, the total last, whatever the stored order. */
    int order[SP_MAX_HORIZON + 2], np = 0;
    for (int p = 0; p < r->nperiods && np < SP_MAX_HORIZON + 1; p++)
        if (!r->periods[p].is_total)
            order[np++] = p;
    int tp = sp_results_total_period(r);
    if (tp >= 0)
        order[np++] = tp;
    for (int i = 0; i < np && r->pstats; i++) {
        int p = order[i];
        for (int m = 0; m < SP_M_NPERIOD; m++)
            for (int role = -1; role < r->nroles; role++) {
                if (!ppresent(r, m, role))
                    continue;
                series_name(m, role_id(r, role), name, sizeof name);
                csv_stat_rows(f, sc, name, period_name(&r->periods[p]),
                              &r->pstats[(size_t)p * r->npseries +
                                         sp_series(r, m, role)]);
            }
    }
    for (int i = 0; i < np && r->p_target; i++) {
        int p = order[i];
        if (!r->periods[p].is_total && !isnan(r->p_target[p]))
            csv_num_row(f, sc, "p_target", r->periods[p].label, "value",
                        r->p_target[p]);
    }
    month[0] = '\0';
    if (r->payback_p50 >= 0)
        sp_format_month(r->model.start + r->payback_p50, month);
    csv_row(f, sc, "payback_month", "Total", "p50", month);
    csv_num_row(f, sc, "payback_month", "Total", "share_never",
                r->payback_share_never);
    for (int role = 0; role < r->nroles; role++) {
        if (!any_records(r, role))
            continue;
        const char *id = r->model.roles[role].id;
        for (int i = 0; i < np; i++) {
            int p = order[i];
            const sp_rep_stats *rs = &r->reps[(size_t)p * r->nroles + role];
            const char *pn = period_name(&r->periods[p]);
            snprintf(name, sizeof name, "reps.records.%s", id);
            csv_num_row(f, sc, name, pn, "value", (double)rs->records);
            snprintf(name, sizeof name, "reps.attainment.%s", id);
            csv_stat_rows(f, sc, name, pn, &rs->attainment);
            snprintf(name, sizeof name, "reps.earnings.%s", id);
            csv_stat_rows(f, sc, name, pn, &rs->earnings);
            snprintf(name, sizeof name, "reps.earnings_annual.%s", id);
            csv_stat_rows(f, sc, name, pn, &rs->earnings_annual);
            snprintf(name, sizeof name, "reps.share_at_quota.%s", id);
            csv_num_row(f, sc, name, pn, "value", rs->share_at_quota);
            snprintf(name, sizeof name, "reps.share_at_ote.%s", id);
            csv_num_row(f, sc, name, pn, "value", rs->share_at_ote);
        }
    }
}

/* Paired differences b - a, as in the JSON "differences": the scenario
 * column reads "B - A" and the statistics are diff_mean, diff_se,
 * diff_ci95_low and diff_ci95_high. */
typedef struct {
    FILE *f;
    const char *who, *label;
} csv_diff_ctx;

static void csv_diff(void *ctx, const sp_diff *d)
{
    const csv_diff_ctx *c = ctx;
    char name[SERIES_NAME_MAX];
    series_name(d->metric, d->role, name, sizeof name);
    csv_num_row(c->f, c->who, name, c->label, "diff_mean", d->mean);
    csv_num_row(c->f, c->who, name, c->label, "diff_se", d->se);
    csv_num_row(c->f, c->who, name, c->label, "diff_ci95_low", d->lo);
    csv_num_row(c->f, c->who, name, c->label, "diff_ci95_high", d->hi);
}

static void csv_differences(FILE *f, const sp_results *a, const sp_results *b)
{
    char who[2 * 64 + 4];
    snprintf(who, sizeof who, "%s - %s", b->model.name, a->model.name);
    int na = sp_results_fiscal_count(a), nb = sp_results_fiscal_count(b);
    int nf = na < nb ? na : nb;
    for (int k = 0; k <= nf; k++) {
        csv_diff_ctx c = {f, who, "Total"};
        if (k < nf)
            c.label = a->periods[sp_results_fiscal_period(a, k)].label;
        sp_paired_diffs(a, b, k < nf ? k : SP_PERIOD_TOTAL, csv_diff, &c);
    }
}

typedef struct {
    const sp_results *const *rs;
    int n;
} csv_doc;

static sp_status write_csv_doc(FILE *f, const void *arg)
{
    const sp_results *const *rs = ((const csv_doc *)arg)->rs;
    int n = ((const csv_doc *)arg)->n;
    fputs("scenario,metric,period,statistic,value\n", f);
    for (int i = 0; i < n; i++)
        csv_results(f, rs[i]);
    for (int i = 1; i < n; i++)
        if (sp_results_paired(rs[0], rs[i]))
            csv_differences(f, rs[0], rs[i]);
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

sp_status sp_export_csv(const char *path, const sp_results *const *rs,
                        int n, sp_error *err)
{
    csv_doc d = {rs, n};
    if (!rs || n < 1)
        return no_results(err);
    return write_doc(path, write_csv_doc, &d, err);
}

