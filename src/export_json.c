/* The JSON writer.  Output is laid out one member per line, with arrays
 * and statistics on one line, so that two exports compare well in a diff
 * and a reader can find a figure by eye. */
#include "salesplan/export_json.h"

#include <math.h>

#include "salesplan/lang.h"
#include "salesplan/stats.h"

#include "export_private.h"

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
    char name[SERIES_NAME_MAX];
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
    char name[SERIES_NAME_MAX];
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
    jw_stat(w, "earnings_annual", &rs->earnings_annual);
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
        if (!sp_results_any_records(r, i))
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

/* The fiscal quarters, in the shape of "periods", each with its target
 * (its share of the year's) and P(target). */
static void write_quarters(jw *w, const sp_results *r)
{
    jw_open(w, "quarters", '[');
    for (int k = 0; k < sp_results_quarter_count(r); k++) {
        int p = sp_results_quarter_period(r, k);
        const sp_period *pd = &r->periods[p];
        jw_open(w, NULL, '{');
        jw_str(w, "label", pd->label);
        jw_month(w, "first", pd->first);
        jw_month(w, "last", pd->last);
        jw_raw(w, "partial", pd->partial ? "true" : "false");
        write_period_metrics(w, r, p);
        jw_num(w, "target", sp_results_target(r, p));
        jw_num(w, "p_target", r->p_target ? r->p_target[p] : NAN);
        jw_close(w, '}');
    }
    jw_close(w, ']');
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
        if (r->model.nbudget > 0)
            jw_num(w, "p_budget", r->p_budget ? r->p_budget[p] : NAN);
        /* what the first year had booked before the start (MODEL.md
         * 10.7): its p_target counts it, its bookings do not */
        if (p == sp_results_fiscal_period(r, 0) && r->model.ytd_bookings > 0)
            jw_num(w, "ytd_bookings", r->model.ytd_bookings);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    write_quarters(w, r);

    int tp = sp_results_total_period(r);
    jw_open(w, "horizon_total", '{');
    if (tp >= 0)
        write_period_metrics(w, r, tp);
    jw_close(w, '}');

    jw_open(w, "payback_month", '{');
    if (r->payback_p50 >= 0 && r->payback_share_no_investment < 0.5)
        jw_month(w, "p50", r->model.start + r->payback_p50);
    else
        jw_raw(w, "p50", "null");
    jw_num(w, "share_never", r->payback_share_never);
    jw_num(w, "share_no_investment", r->payback_share_no_investment);
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

static void json_diff_value(jw *w, const char *name, const sp_diff *d);

static void json_diff(void *ctx, const sp_diff *d)
{
    jw *w = ctx;
    char name[SERIES_NAME_MAX];
    series_name(d->metric, d->role, name, sizeof name);
    json_diff_value(w, name, d);
}

static void json_diff_value(jw *w, const char *name, const sp_diff *d)
{
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

/* "p_target" / "p_budget": the paired difference of P(target) or
 * P(budget) in fiscal year k, in probability points, when both runs have
 * a target (a budget) for it. */
static void write_diff_share(jw *w, const char *key, const sp_results *a,
                             const sp_results *b, int k)
{
    sp_diff d = {0, NULL, 0, 0, NAN, NAN, 0};
    int rc = strcmp(key, "p_target") == 0
                 ? sp_paired_p_target(a, b, k, &d.mean, &d.se, &d.n)
                 : sp_paired_p_budget(a, b, k, &d.mean, &d.se, &d.n);
    if (rc != 0)
        return;
    if (isfinite(d.mean) && isfinite(d.se)) {
        d.lo = d.mean - 1.96 * d.se;
        d.hi = d.mean + 1.96 * d.se;
    }
    json_diff_value(w, key, &d);
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
        write_diff_share(w, "p_target", a, b, k);
        write_diff_share(w, "p_budget", a, b, k);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_open(w, "horizon_total", '{');
    write_diff_metrics(w, a, b, SP_PERIOD_TOTAL);
    jw_close(w, '}');
    /* the incremental payback of b over a (MODEL.md 6, 10.11) */
    sp_payback pb;
    if (sp_paired_payback(a, b, &pb) == 0) {
        jw_open(w, "payback_month", '{');
        if (pb.p50 >= 0 && pb.share_no_investment < 0.5)
            jw_month(w, "p50", a->model.start + pb.p50);
        else
            jw_raw(w, "p50", "null");
        jw_num(w, "share_never", pb.share_never);
        jw_num(w, "share_no_investment", pb.share_no_investment);
        jw_close(w, '}');
    }
    jw_close(w, '}');
}

/* ---- sweep and tornado ------------------------------------------------- */

/* Statistics of a sweep point: p(target) is one share, every other metric
 * its mean and three percentiles. */
static void write_sweep_point(jw *w, const sp_sweep *sw,
                              const sp_sweep_point *p)
{
    jw_member(w, NULL);
    fputs("{\"values\": [", w->f);
    for (int a = 0; a < sw->nparams; a++) {
        if (a)
            fputs(", ", w->f);
        json_num(w->f, p->x[a]);
    }
    fputs("], \"metrics\": {", w->f);
    json_string(w->f, sw->metric_name);
    if (sp_metric_is_prob(sw->metric)) {
        fputs(": ", w->f);
        json_num(w->f, p->p50);
    } else {
        fputs(": {\"mean\": ", w->f);
        json_num(w->f, p->mean);
        fputs(", \"p10\": ", w->f);
        json_num(w->f, p->p10);
        fputs(", \"p50\": ", w->f);
        json_num(w->f, p->p50);
        fputs(", \"p90\": ", w->f);
        json_num(w->f, p->p90);
        fputc('}', w->f);
    }
    fputs("}}", w->f);
}

static void write_sweep(jw *w, const char *key, const sp_sweep *sw)
{
    char buf[32];
    jw_open(w, key, '{');
    jw_str(w, "scenario", sw->scenario);
    jw_member(w, "params");
    fputc('[', w->f);
    for (int a = 0; a < sw->nparams; a++) {
        if (a)
            fputs(", ", w->f);
        json_string(w->f, sw->param[a]);
    }
    fputc(']', w->f);
    jw_str(w, "metric", sw->metric_name);
    jw_str(w, "period", sw->period);
    jw_num(w, "trials", sw->trials);
    snprintf(buf, sizeof buf, "%lu", sw->seed);
    jw_raw(w, "seed", buf);
    jw_open(w, "points", '[');
    for (long q = 0; q < (long)sw->n[0] * sw->n[1]; q++)
        write_sweep_point(w, sw, &sw->points[q]);
    jw_close(w, ']');
    jw_close(w, '}');
}

static void write_tornado_bar(jw *w, const sp_tornado_bar *b)
{
    static const char *const keys[5] = {"value", "low", "high", "metric_low",
                                        "metric_high"};
    const double v[5] = {b->value, b->low, b->high, b->metric_low,
                         b->metric_high};
    jw_member(w, NULL);
    fputs("{\"param\": ", w->f);
    json_string(w->f, b->param);
    for (int k = 0; k < 5; k++) {
        fprintf(w->f, ", \"%s\": ", keys[k]);
        json_num(w->f, v[k]);
    }
    fputs(", \"low_text\": ", w->f);
    json_string(w->f, b->low_text);
    fputs(", \"high_text\": ", w->f);
    json_string(w->f, b->high_text);
    fprintf(w->f, ", \"clamped_low\": %s, \"clamped_high\": %s}",
            b->clamped_low ? "true" : "false",
            b->clamped_high ? "true" : "false");
}

static void write_tornado(jw *w, const char *key, const sp_tornado *tn)
{
    char buf[32];
    jw_open(w, key, '{');
    jw_str(w, "scenario", tn->scenario);
    jw_str(w, "metric", tn->metric_name);
    jw_str(w, "stat", tn->stat);
    jw_str(w, "period", tn->period);
    jw_num(w, "swing", tn->swing);
    jw_num(w, "base", tn->base);
    jw_num(w, "trials", tn->trials);
    snprintf(buf, sizeof buf, "%lu", tn->seed);
    jw_raw(w, "seed", buf);
    jw_open(w, "bars", '[');
    for (int i = 0; i < tn->nbars; i++)
        write_tornado_bar(w, &tn->bars[i]);
    jw_close(w, ']');
    jw_close(w, '}');
}

static void write_seek(jw *w, const sp_seek *sk)
{
    char buf[32];
    jw_open(w, NULL, '{');
    jw_str(w, "scenario", sk->scenario);
    jw_str(w, "param", sk->param);
    jw_str(w, "metric", sk->metric_name);
    jw_str(w, "stat", sk->stat);
    jw_str(w, "period", sk->period);
    jw_num(w, "goal", sk->goal);
    jw_raw(w, "found", sk->found ? "true" : "false");
    jw_num(w, "value", sk->value);
    if (sk->found)
        jw_str(w, "value_text", sk->value_text);
    else
        jw_raw(w, "value_text", "null");
    jw_str(w, "before_text", sk->before_text);
    jw_num(w, "metric_value", sk->metric_value);
    jw_num(w, "evals", sk->evals);
    jw_num(w, "trials", sk->trials);
    snprintf(buf, sizeof buf, "%lu", sk->seed);
    jw_raw(w, "seed", buf);
    jw_close(w, '}');
}

/* Every sweep, tornado and goal seek of the session in the order they
 * ran; "sweep" and "tornado" keep the last of each for readers of one. */
static void write_findings(jw *w, const sp_findings *f)
{
    if (!f)
        return;
    if (f->nsweeps) {
        write_sweep(w, "sweep", sp_findings_last_sweep(f));
        jw_open(w, "sweeps", '[');
        for (int i = 0; i < f->nsweeps; i++)
            write_sweep(w, NULL, f->sweeps[i]);
        jw_close(w, ']');
    }
    if (f->ntornados) {
        write_tornado(w, "tornado", sp_findings_last_tornado(f));
        jw_open(w, "tornados", '[');
        for (int i = 0; i < f->ntornados; i++)
            write_tornado(w, NULL, f->tornados[i]);
        jw_close(w, ']');
    }
    if (f->nseeks) {
        jw_open(w, "goalseeks", '[');
        for (int i = 0; i < f->nseeks; i++)
            write_seek(w, &f->seeks[i]);
        jw_close(w, ']');
    }
}

/* The statements since a run, one string each, when there are any. */
static void write_changed(jw *w, const char *changed)
{
    if (!changed)
        return;
    jw_open(w, "changed_since", '[');
    for (const char *p = changed; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, len);
        if (line) {
            jw_member(w, NULL);
            json_string(w->f, line);
            free(line);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    jw_close(w, ']');
}

/* ---- the document ------------------------------------------------------ */

typedef struct {
    const sp_results *const *rs;
    const char *const *changed;
    int n;
    const sp_findings *f;
} json_doc;

/* One results object, or scenarios and their differences; then the
 * analyses' members of the same top-level object. */
static sp_status write_json_doc(FILE *f, const void *arg)
{
    const json_doc *d = arg;
    jw w = {f, 0, {0}};
    jw_open(&w, NULL, '{');
    if (d->n == 1) {
        write_results_members(&w, d->rs[0]);
        write_changed(&w, d->changed ? d->changed[0] : NULL);
    } else if (d->n > 1) {
        jw_open(&w, "scenarios", '[');
        for (int i = 0; i < d->n; i++) {
            jw_open(&w, NULL, '{');
            write_results_members(&w, d->rs[i]);
            write_changed(&w, d->changed ? d->changed[i] : NULL);
            jw_close(&w, '}');
        }
        jw_close(&w, ']');
        jw_open(&w, "differences", '[');
        for (int i = 1; i < d->n; i++)
            if (sp_results_paired(d->rs[0], d->rs[i]))
                write_difference(&w, d->rs[0], d->rs[i]);
        jw_close(&w, ']');
    }
    write_findings(&w, d->f);
    jw_close(&w, '}');
    fputc('\n', f);
    return ferror(f) ? SP_ERR_IO : SP_OK;
}

static sp_status export_doc(const char *path, const json_doc *d, sp_error *err)
{
    if (!(d->f && (d->f->nsweeps || d->f->ntornados || d->f->nseeks)) &&
        (!d->rs || d->n < 1))
        return no_results(err);
    return write_doc(path, write_json_doc, d, err);
}

sp_status sp_export_json(const char *path, const sp_results *const *rs,
                         const char *const *changed, int n,
                         const sp_findings *f, sp_error *err)
{
    json_doc d = {rs, changed, n, f};
    return export_doc(path, &d, err);
}
