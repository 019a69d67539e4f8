/* `compare A B ...`: scenarios side by side on the same random numbers,
 * with the paired differences of each against the first. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "salesplan/analysis.h"
#include "salesplan/compare.h"
#include "salesplan/export.h"
#include "salesplan/report.h"
#include "salesplan/stats.h"
#include "salesplan/table.h"

/* ---- compare ---------------------------------------------------------- */

static const sp_stat *pstat(const sp_results *r, int p, int metric)
{
    int s = sp_series(r, metric, -1);
    if (p < 0 || p >= r->nperiods || !r->ppresent || !r->ppresent[s])
        return NULL;
    return &r->pstats[(size_t)p * r->npseries + s];
}

static void cell_metric(sp_table *t, int row, int col, const sp_results *r,
                        int p, int metric, int st)
{
    char buf[SP_FMT_MAX];
    const sp_stat *s = pstat(r, p, metric);
    double x = s ? sp_an_stat_value(s, st) : NAN;
    sp_an_fmt_metric(metric, x, r->model.currency, 0, buf);
    sp_table_set_num(t, row, col, buf, x);
}

static void record_compare(sp_session *s, const sp_results *const *rs, int n)
{
    const char **names = calloc(n > 0 ? (size_t)n : 1, sizeof *names);
    if (!names)
        return;
    for (int i = 0; i < n; i++)
        names[i] = rs[i]->model.name;
    (void)sp_findings_set_compare(&s->findings, names, n);
    free(names);
}

static const struct {
    int metric;
    const char *label;
} diff_rows[] = {
    {SP_M_BOOKINGS, "Bookings"},
    {SP_M_COST, "Cost"},
    {SP_M_COS, "Cost of sales"},
    {SP_M_CONTRIBUTION, "Contribution"},
    {SP_M_HEADCOUNT, "Headcount (end)"},
};

/* The paired difference of P(target) (budget 0) or P(budget) (budget 1)
 * in fiscal year k, in points, when both runs have a target (a budget)
 * for it. */
static void share_diff_row(sp_table *t, const sp_results *a,
                           const sp_results *b, int k, int budget)
{
    double mean, se;
    long n;
    if ((budget ? sp_paired_p_budget(a, b, k, &mean, &se, &n)
                : sp_paired_p_target(a, b, k, &mean, &se, &n)) != 0)
        return;
    char v[SP_FMT_MAX], lo[SP_FMT_MAX], hi[SP_FMT_MAX], iv[2 * SP_FMT_MAX + 8];
    int row = sp_table_row(t, budget ? "  P(budget)" : "  P(target)");
    if (row < 0)
        return;
    sp_fmt_percent(mean, 2, v, sizeof v);
    sp_table_set_num(t, row, 0, v, mean);
    sp_fmt_percent(se, 2, v, sizeof v);
    sp_table_set_num(t, row, 1, v, se);
    if (isfinite(mean) && isfinite(se)) {
        sp_fmt_percent(mean - 1.96 * se, 2, lo, sizeof lo);
        sp_fmt_percent(mean + 1.96 * se, 2, hi, sizeof hi);
        snprintf(iv, sizeof iv, "[%s, %s]", lo, hi);
        sp_table_set(t, row, 2, iv);
    } else {
        sp_table_set(t, row, 2, SP_UNDEFINED);
    }
}

/* When the extra spending of b over a has paid for itself (MODEL.md 6):
 * what an executive means by payback. */
static void print_incremental_payback(sp_session *s, const sp_results *a,
                                      const sp_results *b)
{
    sp_payback pb;
    if (sp_paired_payback(a, b, &pb) != 0)
        return;
    char m[8] = "never", sh[SP_FMT_MAX], ni[SP_FMT_MAX];
    sp_fmt_percent(pb.share_never, 1, sh, sizeof sh);
    sp_fmt_percent(pb.share_no_investment, 1, ni, sizeof ni);
    if (!(pb.share_no_investment < 0.5)) {
        sp_table_notef(s->out, "\nIncremental payback of %s over %s: none "
                       "to report (%s costs no more than %s first in %s of "
                       "trials)\n", b->model.name, a->model.name,
                       b->model.name, a->model.name, ni);
        return;
    }
    if (pb.p50 >= 0)
        sp_format_month(a->model.start + pb.p50, m);
    sp_table_notef(s->out, "\nIncremental payback of %s over %s (P50): %s; "
                   "never paid back in %s of trials\n", b->model.name,
                   a->model.name, m, sh);
}

static void print_differences(sp_session *s, const sp_results *a,
                              const sp_results *b)
{
    char title[160];
    snprintf(title, sizeof title, "%s - %s", b->model.name, a->model.name);
    sp_table *t = sp_table_new(3, title);
    if (!t)
        return;
    sp_table_header(t, 0, "Mean");
    sp_table_header(t, 1, "SE");
    sp_table_header(t, 2, "95% interval");
    int nf = sp_results_fiscal_count(a) < sp_results_fiscal_count(b) ? sp_results_fiscal_count(a) : sp_results_fiscal_count(b);
    for (int k = 0; k <= nf; k++) {
        int per = k < nf ? k : SP_PERIOD_TOTAL;
        const char *label = k < nf ? a->periods[sp_results_fiscal_period(a, k)].label : "Total";
        if (k)
            sp_table_row(t, NULL);
        sp_table_row(t, label);
        for (size_t m = 0; m < sizeof diff_rows / sizeof diff_rows[0]; m++) {
            double mean, se;
            long n;
            if (sp_paired_diff(a, b, per, diff_rows[m].metric, NULL, &mean,
                               &se, &n) != 0)
                continue;
            char lab[64], v[SP_FMT_MAX], lo[SP_FMT_MAX], hi[SP_FMT_MAX],
                iv[2 * SP_FMT_MAX + 8];
            snprintf(lab, sizeof lab, "  %s", diff_rows[m].label);
            int row = sp_table_row(t, lab);
            if (row < 0)
                break;
            const char *cur = a->model.currency;
            sp_an_fmt_metric(diff_rows[m].metric, mean, cur, 2, v);
            sp_table_set_num(t, row, 0, v, mean);
            sp_an_fmt_metric(diff_rows[m].metric, se, cur, 2, v);
            sp_table_set_num(t, row, 1, v, se);
            if (isfinite(mean) && isfinite(se)) {
                sp_an_fmt_metric(diff_rows[m].metric, mean - 1.96 * se, cur, 2, lo);
                sp_an_fmt_metric(diff_rows[m].metric, mean + 1.96 * se, cur, 2, hi);
                snprintf(iv, sizeof iv, "[%s, %s]", lo, hi);
                sp_table_set(t, row, 2, iv);
            } else {
                sp_table_set(t, row, 2, SP_UNDEFINED);
            }
        }
        if (k < nf) {
            share_diff_row(t, a, b, k, 0);
            share_diff_row(t, a, b, k, 1);
        }
    }
    sp_table_print(s->out, t, s->width, s->color);
    sp_table_free(t);
    print_incremental_payback(s, a, b);
}

void sp_compare_report(sp_session *s, const sp_results *const *rs,
                                int n)
{
    if (n < 1)
        return;
    record_compare(s, rs, n);
    const sp_results *a = rs[0];
    char tr[SP_FMT_MAX];
    sp_fmt_count(a->trials, 0, tr, sizeof tr);
    sp_table_notef(s->out, "\nComparison: %s trials, seed %lu in every scenario (same "
                    "random numbers)\n\n", tr, a->seed);
    sp_table *t = sp_table_new(n, "");
    if (!t)
        return;
    for (int i = 0; i < n; i++)
        sp_table_header(t, i, rs[i]->model.name);
    int nf = sp_results_fiscal_count(a);
    for (int k = 0; k <= nf; k++) {
        int last = k == nf;
        const char *label = last ? "Total" : a->periods[sp_results_fiscal_period(a, k)].label;
        if (k)
            sp_table_row(t, NULL);
        sp_table_row(t, label);
        static const char *const pl[3] = {"  Bookings P10", "  Bookings P50",
                                          "  Bookings P90"};
        static const int pk[3] = {SP_P10, SP_P50, SP_P90};
        for (int q = 0; q < 3; q++) {
            int row = sp_table_row(t, pl[q]);
            for (int i = 0; i < n; i++) {
                int p = last ? sp_results_total_period(rs[i]) : sp_results_fiscal_period(rs[i], k);
                cell_metric(t, row, i, rs[i], p, SP_M_BOOKINGS, pk[q]);
            }
        }
        if (!last && (a->model.nbudget > 0 || rs[n - 1]->model.nbudget > 0)) {
            int row = sp_table_row(t, "  P(budget)");
            for (int i = 0; i < n; i++) {
                int p = sp_results_fiscal_period(rs[i], k);
                char buf[SP_FMT_MAX];
                double x = p >= 0 && rs[i]->p_budget ? rs[i]->p_budget[p] : NAN;
                sp_fmt_percent(x, 1, buf, sizeof buf);
                sp_table_set_num(t, row, i, buf, x);
            }
        }
        if (!last) {
            int row = sp_table_row(t, "  P(target)");
            for (int i = 0; i < n; i++) {
                int p = sp_results_fiscal_period(rs[i], k);
                char buf[SP_FMT_MAX];
                double x = p >= 0 && rs[i]->p_target ? rs[i]->p_target[p] : NAN;
                sp_fmt_percent(x, 1, buf, sizeof buf);
                sp_table_set_num(t, row, i, buf, x);
            }
        }
        static const struct {
            int metric;
            const char *label;
        } rows[] = {
            {SP_M_COST, "  Cost P50"},
            {SP_M_COS, "  Cost of sales P50"},
            {SP_M_CONTRIBUTION, "  Contribution P50"},
            {SP_M_HEADCOUNT, "  Headcount P50 (end)"},
        };
        for (size_t m = 0; m < sizeof rows / sizeof rows[0]; m++) {
            int row = sp_table_row(t, rows[m].label);
            for (int i = 0; i < n; i++) {
                int p = last ? sp_results_total_period(rs[i]) : sp_results_fiscal_period(rs[i], k);
                cell_metric(t, row, i, rs[i], p, rows[m].metric, SP_P50);
            }
        }
    }
    sp_table_print(s->out, t, s->width, s->color);
    sp_table_free(t);
    if (n < 2)
        return;
    /* Money differences between plans in different currencies subtract
     * unlike amounts.  They are still computed (the amounts may be known to
     * be comparable, e.g. at a fixed rate), but never silently. */
    char signs[200] = "";
    int nsigns = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= strcmp(rs[j]->model.currency, rs[i]->model.currency) == 0;
        if (!seen)
            nsigns++;
    }
    if (nsigns > 1) {
        for (int i = 0, k = 0; i < n; i++) {
            int seen = 0;
            for (int j = 0; j < i; j++)
                seen |= strcmp(rs[j]->model.currency, rs[i]->model.currency) == 0;
            if (seen)
                continue;
            size_t l = strlen(signs);
            k++;
            snprintf(signs + l, sizeof signs - l, "%s%s",
                     k == 1 ? "" : k == nsigns ? " and " : ", ",
                     rs[i]->model.currency[0] ? rs[i]->model.currency : "none");
        }
        sp_table_notef(s->out, "\nwarning: scenarios use different currencies (%s): "
                        "money differences mix units\n", signs);
    }
    sp_table_notef(s->out, "\nPaired differences against %s, trial by trial "
                    "(mean, standard error, 95%% interval = mean \xc2\xb1 1.96 SE):\n\n",
            a->model.name);
    for (int i = 1; i < n; i++) {
        if (rs[i]->trials != a->trials) {
            sp_table_notef(s->out, "%s: %d trials against %d: no paired differences\n",
                    rs[i]->model.name, rs[i]->trials, a->trials);
            continue;
        }
        if (i > 1)
            fputc('\n', s->out);
        print_differences(s, a, rs[i]);
    }
}

/* The scenarios named after `compare` and its options. */
static int parse(sp_session *s, const sp_tokens *t, const char *file,
                 int *idx, int *n, double *trials, double *seed, sp_error *err)
{
    int i = 1;
    *n = 0;
    while (i < t->n) {
        int r = sp_an_parse_opts(t, &i, file, trials, seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r == 0)
            continue;
        int e = sp_session_find(s, t->v[i].s);
        if (e < 0)
            return sp_an_fail(err, SP_ERR_UNKNOWN, file, &t->v[i],
                              "unknown scenario '%s' (`scenarios` lists them)",
                              t->v[i].s);
        for (int k = 0; k < *n; k++)
            if (idx[k] == e)
                return sp_an_fail(err, SP_ERR_USAGE, file, &t->v[i],
                                  "scenario '%s' is named twice", t->v[i].s);
        if (*n == 256)
            return sp_an_fail(err, SP_ERR_USAGE, file, &t->v[i],
                              "at most 256 scenarios at once");
        idx[(*n)++] = e;
        i++;
    }
    if (*n < 2)
        return sp_an_fail(err, SP_ERR_USAGE, file, &t->v[0],
                          "compare needs two or more scenarios, found %d", *n);
    return SP_CMD_OK;
}

sp_status sp_compare_compute(sp_session *s, const sp_scenario *const *scs,
                             int n, double trials, double seed,
                             sp_results **out, sp_error *err)
{
    sp_job job;
    sp_job_begin(&job, s, scs[0], "scenarios", n, trials, seed);
    sp_status st = SP_OK;
    for (int k = 0; k < n; k++)
        out[k] = NULL;
    for (int k = 0; k < n && st == SP_OK; k++) {
        if (!(out[k] = calloc(1, sizeof *out[k])))
            st = sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        else
            st = sp_job_run(&job, scs[k], 0, out[k], err);
    }
    sp_job_end(&job);
    if (st)
        for (int k = 0; k < n; k++)
            if (out[k]) {
                sp_results_free(out[k]);
                free(out[k]);
                out[k] = NULL;
            }
    return st;
}

int sp_cmd_compare(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    int idx[256], n;
    double trials = 0, seed = -1;
    int rc = parse(s, t, file, idx, &n, &trials, &seed, err);
    if (rc != SP_CMD_OK || s->dry)
        return rc;
    const sp_scenario *scs[256] = {0};
    for (int k = 0; k < n; k++)
        scs[k] = s->e[idx[k]].sc;
    sp_results *res[256];
    sp_status st = sp_compare_compute(s, scs, n, trials, seed, res, err);
    if (st)
        return sp_an_code(st);
    /* Each scenario's entry takes its results, as `run` would give them,
     * so `show`, `export` and the workbook see what the comparison saw. */
    const sp_results *view[256];
    for (int k = 0; k < n; k++) {
        sp_entry_set_results(&s->e[idx[k]], res[k]);
        view[k] = res[k];
    }
    sp_compare_report(s, view, n);
    return SP_CMD_OK;
}

int sp_compare_results(const sp_session *s, const sp_results **rs, int max)
{
    int n = 0;
    if (!s)
        return 0;
    for (int i = 0; i < s->findings.ncmp && n < max; i++) {
        int e = sp_session_find(s, s->findings.cmp[i]);
        if (e >= 0 && s->e[e].res)
            rs[n++] = s->e[e].res;
    }
    return n;
}

