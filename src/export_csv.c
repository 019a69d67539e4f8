/* The tidy CSV writer: one row per figure, so that a spreadsheet's pivot
 * table or a data frame reads every run of an export without reshaping. */
#include "salesplan/export_csv.h"
#include "salesplan/csv.h"

#include <math.h>
#include <strings.h>

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
 *   quarters  METRIC[.ROLE], "FY2027 Q1", mean|sd|se|p5..p95: the fiscal
 *             quarters, after the horizon
 *   p_target  p_target, FY or quarter label, value (only periods that have
 *             a target: the years, then their quarters)
 *   p_budget  p_budget, FY label, value (only years that have a budget)
 *   payback   payback_month, Total, p50 (YYYY-MM, empty: never) and
 *             share_never, share_no_investment
 *   reps      reps.records.ROLE / reps.share_at_quota.ROLE /
 *             reps.share_at_ote.ROLE (statistic "value") and
 *             reps.attainment.ROLE / reps.earnings.ROLE (mean..p95), for
 *             each fiscal year and Total
 *   changed   changed_since, Total, statement, the statement (one row for
 *             each statement since the run, when its scenario changed)
 * then the paired differences, then the findings of the session in the
 * order they ran, each numbered from 1 (the K of "sweepK"):
 *   sweepK       period, param1 / param2 / metric / trials / seed
 *   sweepK/METRIC period, "STAT at PARAM=X[ PARAM2=Y]", for mean p10 p50
 *                p90 (p_target: "value at ...")
 *   tornadoK     period, metric / stat / swing / base / trials / seed
 *   tornadoK/PARAM period, input_low / input_high / metric_low /
 *                metric_high
 *   goalseekK    period, param / metric / stat / goal / found / value /
 *                value_text / metric_value / evals / trials / seed
 * The scenario column of a finding names the scenario it analysed.
 * An undefined value is an empty field.
 *
 * Beside FILE.csv, FILE-trials.csv holds each trial's fiscal-year,
 * horizon and fiscal-quarter totals (sp_export_csv_trials). */

static void csv_row(FILE *f, const char *scenario, const char *metric,
                    const char *period, const char *statistic,
                    const char *value)
{
    sp_csv_write_field(f, scenario);
    fputc(',', f);
    sp_csv_write_field(f, metric);
    fputc(',', f);
    sp_csv_write_field(f, period);
    fputc(',', f);
    sp_csv_write_field(f, statistic);
    fputc(',', f);
    sp_csv_write_field(f, value);
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
    /* then the fiscal quarters, "FY2027 Q1" */
    int nfy_tot = np;
    for (int k = 0; k < sp_results_quarter_count(r) && np < SP_MAX_HORIZON + 2; k++)
        order[np++] = sp_results_quarter_period(r, k);
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
    for (int i = 0; i < np && r->p_budget && r->model.nbudget > 0; i++) {
        int p = order[i];
        if (p < r->nperiods && !r->periods[p].is_total && !isnan(r->p_budget[p]))
            csv_num_row(f, sc, "p_budget", r->periods[p].label, "value",
                        r->p_budget[p]);
    }
    np = nfy_tot;   /* rep records are kept by fiscal year */
    month[0] = '\0';
    if (r->payback_p50 >= 0 && r->payback_share_no_investment < 0.5)
        sp_format_month(r->model.start + r->payback_p50, month);
    csv_row(f, sc, "payback_month", "Total", "p50", month);
    csv_num_row(f, sc, "payback_month", "Total", "share_never",
                r->payback_share_never);
    csv_num_row(f, sc, "payback_month", "Total", "share_no_investment",
                r->payback_share_no_investment);
    for (int role = 0; role < r->nroles; role++) {
        if (!sp_results_any_records(r, role))
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
    /* the incremental payback, as the JSON difference's payback_month */
    sp_payback pb;
    if (sp_paired_payback(a, b, &pb) == 0) {
        char month[8] = "";
        if (pb.p50 >= 0 && pb.share_no_investment < 0.5)
            sp_format_month(a->model.start + pb.p50, month);
        csv_row(f, who, "payback_month", "Total", "p50", month);
        csv_num_row(f, who, "payback_month", "Total", "share_never",
                    pb.share_never);
        csv_num_row(f, who, "payback_month", "Total", "share_no_investment",
                    pb.share_no_investment);
    }
}

static void csv_changed(FILE *f, const char *sc, const char *changed)
{
    for (const char *p = changed; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), p);
        csv_row(f, sc, "changed_since", "Total", "statement", line);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* ---- findings ---------------------------------------------------------- */

static void csv_sweep(FILE *f, const sp_sweep *sw, int k)
{
    char what[32], name[160], stat[400], num[40];
    snprintf(what, sizeof what, "sweep%d", k);
    for (int a = 0; a < sw->nparams; a++)
        csv_row(f, sw->scenario, what, sw->period, a ? "param2" : "param1",
                sw->param[a]);
    csv_row(f, sw->scenario, what, sw->period, "metric", sw->metric_name);
    csv_num_row(f, sw->scenario, what, sw->period, "trials", sw->trials);
    csv_num_row(f, sw->scenario, what, sw->period, "seed", (double)sw->seed);
    snprintf(name, sizeof name, "%s/%s", what, sw->metric_name);
    static const char *const keys[4] = {"mean", "p10", "p50", "p90"};
    int nk = sp_metric_is_prob(sw->metric) ? 1 : 4;
    for (long q = 0; q < (long)sw->n[0] * sw->n[1]; q++) {
        const sp_sweep_point *p = &sw->points[q];
        const double v[4] = {p->mean, p->p10, p->p50, p->p90};
        for (int j = 0; j < nk; j++) {
            size_t o = (size_t)snprintf(stat, sizeof stat, "%s at",
                                        nk == 1 ? "value" : keys[j]);
            for (int a = 0; a < sw->nparams && o < sizeof stat; a++) {
                num_text(p->x[a], num, sizeof num);
                o += (size_t)snprintf(stat + o, sizeof stat - o, " %s=%s",
                                      sw->param[a], num);
            }
            csv_num_row(f, sw->scenario, name, sw->period, stat,
                        nk == 1 ? p->p50 : v[j]);
        }
    }
}

static void csv_tornado(FILE *f, const sp_tornado *tn, int k)
{
    char what[32], name[160];
    snprintf(what, sizeof what, "tornado%d", k);
    csv_row(f, tn->scenario, what, tn->period, "metric", tn->metric_name);
    csv_row(f, tn->scenario, what, tn->period, "stat", tn->stat);
    csv_num_row(f, tn->scenario, what, tn->period, "swing", tn->swing);
    csv_num_row(f, tn->scenario, what, tn->period, "base", tn->base);
    csv_num_row(f, tn->scenario, what, tn->period, "trials", tn->trials);
    csv_num_row(f, tn->scenario, what, tn->period, "seed", (double)tn->seed);
    for (int i = 0; i < tn->nbars; i++) {
        const sp_tornado_bar *b = &tn->bars[i];
        snprintf(name, sizeof name, "%s/%s", what, b->param);
        csv_num_row(f, tn->scenario, name, tn->period, "input_low", b->low);
        csv_num_row(f, tn->scenario, name, tn->period, "input_high", b->high);
        csv_num_row(f, tn->scenario, name, tn->period, "metric_low",
                    b->metric_low);
        csv_num_row(f, tn->scenario, name, tn->period, "metric_high",
                    b->metric_high);
    }
}

static void csv_seek(FILE *f, const sp_seek *sk, int k)
{
    char what[32];
    const char *sc = sk->scenario, *pe = sk->period;
    snprintf(what, sizeof what, "goalseek%d", k);
    csv_row(f, sc, what, pe, "param", sk->param);
    csv_row(f, sc, what, pe, "metric", sk->metric_name);
    csv_row(f, sc, what, pe, "stat", sk->stat);
    csv_num_row(f, sc, what, pe, "goal", sk->goal);
    csv_num_row(f, sc, what, pe, "found", sk->found);
    csv_num_row(f, sc, what, pe, "value", sk->value);
    csv_row(f, sc, what, pe, "value_text", sk->found ? sk->value_text : "");
    csv_num_row(f, sc, what, pe, "metric_value", sk->metric_value);
    csv_num_row(f, sc, what, pe, "evals", sk->evals);
    csv_num_row(f, sc, what, pe, "trials", sk->trials);
    csv_num_row(f, sc, what, pe, "seed", (double)sk->seed);
}

typedef struct {
    const sp_results *const *rs;
    const char *const *changed;
    int n;
    const sp_findings *fi;
} csv_doc;

static sp_status write_csv_doc(FILE *f, const void *arg)
{
    const csv_doc *d = arg;
    const sp_results *const *rs = d->rs;
    fputs("scenario,metric,period,statistic,value\n", f);
    for (int i = 0; i < d->n; i++) {
        csv_results(f, rs[i]);
        csv_changed(f, rs[i]->model.name, d->changed ? d->changed[i] : NULL);
    }
    for (int i = 1; i < d->n; i++)
        if (sp_results_paired(rs[0], rs[i]))
            csv_differences(f, rs[0], rs[i]);
    for (int i = 0; d->fi && i < d->fi->nsweeps; i++)
        csv_sweep(f, d->fi->sweeps[i], i + 1);
    for (int i = 0; d->fi && i < d->fi->ntornados; i++)
        csv_tornado(f, d->fi->tornados[i], i + 1);
    for (int i = 0; d->fi && i < d->fi->nseeks; i++)
        csv_seek(f, &d->fi->seeks[i], i + 1);
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

/* ---- trials ------------------------------------------------------------ */

/* One row per scenario, trial and period: the team's totals of the metrics
 * of sp_trial_metrics (results.h), so that any statistic or chart can be
 * made from them. */
static sp_status write_trials_doc(FILE *f, const void *arg)
{
    const csv_doc *d = arg;
    char num[40];
    fputs("scenario,trial,period", f);
    for (int k = 0; k < SP_NTRIAL_METRICS; k++)
        fprintf(f, ",%s", sp_metric_name(sp_trial_metrics[k]));
    fputc('\n', f);
    for (int i = 0; i < d->n; i++) {
        const sp_results *r = d->rs[i];
        for (int t = 0; r->ptrial && t < r->trials; t++)
            for (int p = 0; p < r->nperiods + r->nquarters; p++) {
                sp_csv_write_field(f, r->model.name);
                fprintf(f, ",%d,", t + 1);
                sp_csv_write_field(f, period_name(&r->periods[p]));
                for (int k = 0; k < SP_NTRIAL_METRICS; k++) {
                    double v = sp_results_trial(r, p, sp_trial_metrics[k], t);
                    num[0] = '\0';
                    if (isfinite(v))
                        num_text(v, num, sizeof num);
                    fprintf(f, ",%s", num);
                }
                fputc('\n', f);
            }
    }
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

void sp_csv_trials_path(const char *path, char *out, size_t size)
{
    size_t n = strlen(path);
    if (n >= 4 && strcasecmp(path + n - 4, ".csv") == 0)
        n -= 4;
    snprintf(out, size, "%.*s-trials.csv", (int)n, path);
}

sp_status sp_export_csv(const char *path, const sp_results *const *rs,
                        const char *const *changed, int n,
                        const sp_findings *f, sp_error *err)
{
    csv_doc d = {rs, changed, n, f};
    int any = f && (f->nsweeps || f->ntornados || f->nseeks);
    if ((!rs || n < 1) && !any)
        return no_results(err);
    sp_status st = write_doc(path, write_csv_doc, &d, err);
    if (st || n < 1 || strcmp(path, "-") == 0)
        return st;
    char tp[PATH_MAX];
    sp_csv_trials_path(path, tp, sizeof tp);
    return write_doc(tp, write_trials_doc, &d, err);
}

