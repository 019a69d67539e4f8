/* JSON and CSV writers; files are written through file.h's atomic
 * replacement. */
#include "salesplan/export.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "salesplan/lang.h"

#ifndef SP_VERSION
#define SP_VERSION "0.0.0"
#endif

/* ---- shared helpers --------------------------------------------------- */

static const char *const stat_keys[3 + SP_NPCT] = {
    "mean", "sd", "se", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
};

static double stat_field(const sp_stat *s, int k)
{
    return k == 0 ? s->mean : k == 1 ? s->sd : k == 2 ? s->se : s->p[k - 3];
}

static int any_records(const sp_results *r, int role)
{
    if (!r->reps)
        return 0;
    for (int p = 0; p < r->nperiods; p++)
        if (r->reps[(size_t)p * r->nroles + role].records > 0)
            return 1;
    return 0;
}

/* "bookings" or "bookings.ae"; role is a role id, NULL for the team. */
static void series_name(int metric, const char *role, char *buf, size_t size)
{
    if (!role)
        snprintf(buf, size, "%s", sp_metric_name(metric));
    else
        snprintf(buf, size, "%s.%s", sp_metric_name(metric), role);
}

static const char *role_id(const sp_results *r, int role)
{
    return role < 0 ? NULL : r->model.roles[role].id;
}

/* Every metric exists in total (a structurally absent one holds zeros), so
 * readers always find the total series; role series appear where the
 * role's parameters can make them non-zero. */
static int mpresent(const sp_results *r, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (role < 0 && s < r->nseries)
        return 1;
    return r->present && s < r->nseries && r->present[s];
}

static int ppresent(const sp_results *r, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (role < 0 && s < r->npseries)
        return 1;
    return r->ppresent && s < r->npseries && r->ppresent[s];
}

/* Shortest text that reads back to x: %.15g is enough for most values and
 * %.17g always is.  A numeric locale with a decimal comma (the shell may
 * set one for readline) would break JSON and CSV, so the point is forced. */
static void num_text(double x, char *buf, size_t size)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
}

/* ---- JSON ------------------------------------------------------------- */

/* A small pretty-printer: one member per line, arrays and statistics
 * objects on one line.  count[] holds the members written at each depth so
 * commas land between them. */
#define JW_DEPTH 16

typedef struct {
    FILE *f;
    int depth;
    int count[JW_DEPTH];
} jw;

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void json_num(FILE *f, double x)
{
    char buf[40];
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    num_text(x, buf, sizeof buf);
    fputs(buf, f);
}

/* Starts a member of the current object or array: comma, new line,
 * indentation and the key (NULL inside arrays). */
static void jw_member(jw *w, const char *key)
{
    if (w->depth > 0) {
        if (w->count[w->depth - 1]++)
            fputc(',', w->f);
        fputc('\n', w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    if (key) {
        json_string(w->f, key);
        fputs(": ", w->f);
    }
}

static void jw_open(jw *w, const char *key, char brace)
{
    jw_member(w, key);
    fputc(brace, w->f);
    if (w->depth < JW_DEPTH)
        w->count[w->depth] = 0;
    w->depth++;
}

static void jw_close(jw *w, char brace)
{
    w->depth--;
    if (w->depth < JW_DEPTH && w->count[w->depth]) {
        fputc('\n', w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    fputc(brace, w->f);
}

static void jw_str(jw *w, const char *key, const char *s)
{
    jw_member(w, key);
    json_string(w->f, s);
}

static void jw_num(jw *w, const char *key, double x)
{
    jw_member(w, key);
    json_num(w->f, x);
}

static void jw_raw(jw *w, const char *key, const char *text)
{
    jw_member(w, key);
    fputs(text, w->f);
}

/* {"mean": x, "sd": x, "se": x, "p5": x, ..., "p95": x} on one line. */
static void jw_stat(jw *w, const char *key, const sp_stat *s)
{
    jw_member(w, key);
    fputc('{', w->f);
    for (int k = 0; k < 3 + SP_NPCT; k++) {
        if (k)
            fputs(", ", w->f);
        json_string(w->f, stat_keys[k]);
        fputs(": ", w->f);
        json_num(w->f, stat_field(s, k));
    }
    fputc('}', w->f);
}

static void jw_month(jw *w, const char *key, int month)
{
    char buf[16];
    sp_format_month(month, buf);
    jw_str(w, key, buf);
}

static void write_monthly(jw *w, const sp_results *r)
{
    char name[SP_ID_MAX + 40];
    int h = r->model.horizon;

    jw_open(w, "monthly", '{');
    for (int m = 0; m < SP_M_NMONTHLY && r->monthly; m++)
        for (int role = -1; role < r->nroles; role++) {
            if (!mpresent(r, m, role))
                continue;
            series_name(m, role_id(r, role), name, sizeof name);
            jw_open(w, name, '{');
            const sp_stat *st =
                &r->monthly[(size_t)sp_series(r, m, role) * h];
            for (int k = 0; k < 3 + SP_NPCT; k++) {
                jw_member(w, stat_keys[k]);
                fputc('[', w->f);
                for (int t = 0; t < h; t++) {
                    if (t)
                        fputs(", ", w->f);
                    json_num(w->f, stat_field(&st[t], k));
                }
                fputc(']', w->f);
            }
            jw_close(w, '}');
        }
    jw_close(w, '}');
}

static void write_period_metrics(jw *w, const sp_results *r, int p)
{
    char name[SP_ID_MAX + 40];
    jw_open(w, "metrics", '{');
    for (int m = 0; m < SP_M_NPERIOD && r->pstats; m++)
        for (int role = -1; role < r->nroles; role++) {
            if (!ppresent(r, m, role))
                continue;
            series_name(m, role_id(r, role), name, sizeof name);
            jw_stat(w, name,
                    &r->pstats[(size_t)p * r->npseries +
                               sp_series(r, m, role)]);
        }
    jw_close(w, '}');
}

/* {"edges": [...], "share": [...]} on one line; an open end of the first
 * or last bin is null, as every value JSON cannot hold. */
static void jw_hist(jw *w, const char *key, const sp_rep_hist *hs)
{
    jw_member(w, key);
    fputs("{\"edges\": [", w->f);
    for (int k = 0; hs->edges && k <= hs->nbins; k++) {
        if (k)
            fputs(", ", w->f);
        json_num(w->f, hs->edges[k]);
    }
    fputs("], \"share\": [", w->f);
    for (int k = 0; hs->share && k < hs->nbins; k++) {
        if (k)
            fputs(", ", w->f);
        json_num(w->f, hs->share[k]);
    }
    fputs("]}", w->f);
}

static void write_rep_fields(jw *w, const sp_rep_stats *rs)
{
    jw_num(w, "records", (double)rs->records);
    jw_stat(w, "attainment", &rs->attainment);
    jw_stat(w, "earnings", &rs->earnings);
    jw_num(w, "share_at_quota", rs->share_at_quota);
    jw_num(w, "share_at_ote", rs->share_at_ote);
    jw_hist(w, "attainment_hist", &rs->attainment_hist);
    jw_hist(w, "earnings_hist", &rs->earnings_hist);
}

static void write_reps(jw *w, const sp_results *r)
{
    int tp = sp_results_total_period(r);
    jw_open(w, "reps", '{');
    for (int i = 0; i < r->nroles && tp >= 0; i++) {
        if (!any_records(r, i))
            continue;
        jw_open(w, r->model.roles[i].id, '{');
        write_rep_fields(w, &r->reps[(size_t)tp * r->nroles + i]);
        jw_open(w, "by_period", '[');
        for (int p = 0; p < r->nperiods; p++) {
            if (r->periods[p].is_total)
                continue;
            jw_open(w, NULL, '{');
            jw_str(w, "label", r->periods[p].label);
            write_rep_fields(w, &r->reps[(size_t)p * r->nroles + i]);
            jw_close(w, '}');
        }
        jw_close(w, ']');
        jw_close(w, '}');
    }
    jw_close(w, '}');
}

static void write_results_members(jw *w, const sp_results *r)
{
    char buf[40];
    int h = r->model.horizon;

    jw_str(w, "salesplan", SP_VERSION);
    jw_str(w, "scenario", r->model.name);
    jw_str(w, "title", r->model.title);
    jw_num(w, "trials", r->trials);
    snprintf(buf, sizeof buf, "%lu", r->seed);
    jw_raw(w, "seed", buf);
    jw_month(w, "start", r->model.start);
    jw_num(w, "horizon", h);
    jw_member(w, "months");
    fputc('[', w->f);
    for (int t = 0; t < h; t++) {
        sp_format_month(r->model.start + t, buf);
        if (t)
            fputs(", ", w->f);
        json_string(w->f, buf);
    }
    fputc(']', w->f);
    write_monthly(w, r);

    jw_open(w, "periods", '[');
    for (int p = 0; p < r->nperiods; p++) {
        const sp_period *pd = &r->periods[p];
        if (pd->is_total)
            continue;
        jw_open(w, NULL, '{');
        jw_str(w, "label", pd->label);
        jw_month(w, "first", pd->first);
        jw_month(w, "last", pd->last);
        jw_raw(w, "partial", pd->partial ? "true" : "false");
        write_period_metrics(w, r, p);
        jw_num(w, "p_target", r->p_target ? r->p_target[p] : NAN);
        jw_close(w, '}');
    }
    jw_close(w, ']');

    int tp = sp_results_total_period(r);
    jw_open(w, "horizon_total", '{');
    if (tp >= 0)
        write_period_metrics(w, r, tp);
    jw_close(w, '}');

    jw_open(w, "payback_month", '{');
    if (r->payback_p50 >= 0)
        jw_month(w, "p50", r->model.start + r->payback_p50);
    else
        jw_raw(w, "p50", "null");
    jw_num(w, "share_never", r->payback_share_never);
    jw_close(w, '}');

    write_reps(w, r);
    if (r->interrupted)
        jw_raw(w, "interrupted", "true");
}

static void write_results(jw *w, const char *key, const sp_results *r)
{
    jw_open(w, key, '{');
    write_results_members(w, r);
    jw_close(w, '}');
}

sp_status sp_write_json(FILE *f, const sp_results *r)
{
    jw w = {f, 0, {0}};
    write_results(&w, NULL, r);
    fputc('\n', f);
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

/* ---- paired differences ----------------------------------------------- */

static void json_diff(void *ctx, const sp_diff *d)
{
    jw *w = ctx;
    char name[SP_ID_MAX + 40];
    series_name(d->metric, d->role, name, sizeof name);
    jw_member(w, name);
    fputs("{\"mean\": ", w->f);
    json_num(w->f, d->mean);
    fputs(", \"se\": ", w->f);
    json_num(w->f, d->se);
    fputs(", \"ci95\": ", w->f);
    if (isfinite(d->lo)) {
        fputc('[', w->f);
        json_num(w->f, d->lo);
        fputs(", ", w->f);
        json_num(w->f, d->hi);
        fputc(']', w->f);
    } else {
        fputs("null", w->f);
    }
    fprintf(w->f, ", \"n\": %ld}", d->n);
}

static void write_diff_metrics(jw *w, const sp_results *a,
                               const sp_results *b, int period)
{
    jw_open(w, "metrics", '{');
    sp_paired_diffs(a, b, period, json_diff, w);
    jw_close(w, '}');
}

static void write_difference(jw *w, const sp_results *a, const sp_results *b)
{
    jw_open(w, NULL, '{');
    jw_str(w, "a", a->model.name);
    jw_str(w, "b", b->model.name);
    jw_open(w, "periods", '[');
    int na = sp_results_fiscal_count(a), nb = sp_results_fiscal_count(b);
    for (int k = 0; k < (na < nb ? na : nb); k++) {
        jw_open(w, NULL, '{');
        jw_str(w, "label", a->periods[sp_results_fiscal_period(a, k)].label);
        write_diff_metrics(w, a, b, k);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_open(w, "horizon_total", '{');
    write_diff_metrics(w, a, b, SP_PERIOD_TOTAL);
    jw_close(w, '}');
    jw_close(w, '}');
}

typedef struct {
    sp_json_extra fn;
    void *ctx;
} json_extra;

/* One results object, or scenarios and their differences; then the
 * caller's further members of the same top-level object. */
static sp_status write_json_doc(FILE *f, const sp_results *const *rs, int n,
                                const void *arg)
{
    const json_extra *x = arg;
    jw w = {f, 0, {0}};
    jw_open(&w, NULL, '{');
    if (n == 1) {
        write_results_members(&w, rs[0]);
    } else if (n > 1) {
        jw_open(&w, "scenarios", '[');
        for (int i = 0; i < n; i++)
            write_results(&w, NULL, rs[i]);
        jw_close(&w, ']');
        jw_open(&w, "differences", '[');
        for (int i = 1; i < n; i++)
            write_difference(&w, rs[0], rs[i]);
        jw_close(&w, ']');
    }
    if (x && x->fn)
        x->fn(f, x->ctx, &w.count[0]);
    jw_close(&w, '}');
    fputc('\n', f);
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

/* ---- writing a whole file --------------------------------------------- */

typedef sp_status (*doc_writer)(FILE *f, const sp_results *const *rs, int n,
                                const void *arg);

static sp_status export_with(const char *path, const sp_results *const *rs,
                             int n, doc_writer writer, const void *arg,
                             int allow_empty, sp_error *err)
{
    char tmp[PATH_MAX];

    if (!allow_empty && (!rs || n < 1))
        return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                            "no results to export: run a scenario first");
    if (strcmp(path, "-") == 0) {
        if (writer(stdout, rs, n, arg) != SP_OK || fflush(stdout) != 0)
            return sp_error_set(err, SP_ERR_IO, NULL, 0,
                                "cannot write to standard output: %s",
                                strerror(errno ? errno : EIO));
        return SP_OK;
    }
    FILE *f = sp_atomic_open(path, tmp, err);
    if (!f)
        return SP_ERR_IO;
    errno = 0;
    if (writer(f, rs, n, arg) != SP_OK) {
        int e = errno ? errno : EIO;
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot write '%s': %s",
                            path, strerror(e));
    }
    return sp_atomic_commit(f, tmp, path, err);
}

sp_status sp_export_json(const char *path, const sp_results *const *rs,
                         int n, sp_error *err)
{
    return sp_export_json_extra(path, rs, n, NULL, NULL, err);
}

sp_status sp_export_json_extra(const char *path, const sp_results *const *rs,
                               int n, sp_json_extra extra, void *ctx,
                               sp_error *err)
{
    for (int i = 1; rs && i < n; i++)
        if (rs[i]->trials != rs[0]->trials)
            return sp_error_set(
                err, SP_ERR_USAGE, NULL, 0,
                "cannot compare '%s' (%d trials) with '%s' (%d trials): "
                "paired differences need the same number of trials",
                rs[0]->model.name, rs[0]->trials, rs[i]->model.name,
                rs[i]->trials);
    json_extra x = {extra, ctx};
    return export_with(path, rs, n, write_json_doc, &x, extra != NULL, err);
}

/* ---- CSV -------------------------------------------------------------- */

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
    char name[SP_ID_MAX + 40], month[16];
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
    char name[SP_ID_MAX + 40];
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
    int na = sp_results_fiscal_count(a), nb = sp_results_fiscal_count(b), nf = na < nb ? na : nb;
    for (int k = 0; k <= nf; k++) {
        csv_diff_ctx c = {f, who, k < nf ? a->periods[sp_results_fiscal_period(a, k)].label
                                         : "Total"};
        sp_paired_diffs(a, b, k < nf ? k : SP_PERIOD_TOTAL, csv_diff, &c);
    }
}

static sp_status write_csv_doc(FILE *f, const sp_results *const *rs, int n,
                               const void *arg)
{
    (void)arg;
    fputs("scenario,metric,period,statistic,value\n", f);
    for (int i = 0; i < n; i++)
        csv_results(f, rs[i]);
    for (int i = 1; i < n; i++)
        if (rs[i]->trials == rs[0]->trials)
            csv_differences(f, rs[0], rs[i]);
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

sp_status sp_export_csv(const char *path, const sp_results *const *rs,
                        int n, sp_error *err)
{
    return export_with(path, rs, n, write_csv_doc, NULL, 0, err);
}

/* ---- dispatch --------------------------------------------------------- */

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    if (n <= e)
        return 0;
    for (size_t i = 0; i < e; i++) {
        char c = path[n - e + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return 0;
    }
    return 1;
}

sp_status sp_export_file(const char *path, const sp_results *const *rs,
                         int n, sp_error *err)
{
    if (has_ext(path, ".json"))
        return sp_export_json(path, rs, n, err);
    if (has_ext(path, ".csv"))
        return sp_export_csv(path, rs, n, err);
    if (has_ext(path, ".xlsx"))
        return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                            "xlsx export is not available");
    return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                        "cannot export '%s': unknown file type (use .json, "
                        ".csv or .xlsx)", path);
}
