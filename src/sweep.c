/* `sweep PARAM FROM TO step S [metric M]`: one parameter (or two, a grid)
 * over a range, every point on the same random numbers. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "salesplan/analysis.h"
#include "salesplan/sweep.h"
#include "salesplan/table.h"
#include "salesplan/utf8.h"

#define MAX_AXIS_POINTS 1000
#define MAX_GRID_POINTS 10000

/* ---- sweep ------------------------------------------------------------ */

/* PARAM FROM TO step S at t->v[*i]. */
static int parse_axis(const sp_scenario *sc, const sp_tokens *t, int *i,
                      const char *file, sp_knob *k, double **vals, int *nv,
                      sp_error *err)
{
    int i0 = *i;
    if (i0 + 4 >= t->n || !sp_an_is_word(&t->v[i0 + 3], "step"))
        return sp_an_fail(err, SP_ERR_PARSE, file, &t->v[i0 < t->n ? i0 : t->n - 1],
                       "expected PARAM FROM TO step S (e.g. ae.ote 120k 160k "
                       "step 10k)");
    if (sp_knob_resolve(sc, &t->v[i0], file, k, err))
        return SP_CMD_BAD;
    double x[3];
    for (int j = 0; j < 3; j++) {
        const sp_token *v = &t->v[i0 + 1 + j + (j == 2)];
        if (sp_parse_number_in_unit(v->s, k->unit, &x[j]) != 0)
            return sp_an_fail(err, SP_ERR_PARSE, file, v, "expected %s for %s, found '%s'",
                           sp_an_unit_example(k->unit), k->name, v->s);
        if (k->integer && x[j] != floor(x[j]))
            return sp_an_fail(err, SP_ERR_PARSE, file, v,
                           "%s takes whole numbers, found '%s'", k->name, v->s);
    }
    double from = x[0], to = x[1], step = x[2];
    if (!(step > 0))
        return sp_an_fail(err, SP_ERR_RANGE, file, &t->v[i0 + 4],
                       "step must be above 0, found '%s'", t->v[i0 + 4].s);
    double span = fabs(to - from);
    double cnt = floor(span / step + 1e-9) + 1;
    if (cnt > MAX_AXIS_POINTS)
        return sp_an_fail(err, SP_ERR_RANGE, file, &t->v[i0 + 4],
                       "%.0f points: at most %d along one parameter", cnt,
                       MAX_AXIS_POINTS);
    int n = (int)cnt;
    double *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return sp_an_nomem(err);
    double dir = to >= from ? 1 : -1;
    for (int j = 0; j < n; j++) {
        /* 12 significant digits: 0.02 + 3 * 0.005 is 0.035, not
         * 0.035000000000000003, in the table and in JSON */
        char b[40];
        snprintf(b, sizeof b, "%.12g", from + dir * j * step);
        v[j] = strtod(b, NULL);
    }
    *vals = v;
    *nv = n;
    *i = i0 + 5;
    return SP_CMD_OK;
}

static void print_sweep(sp_session *s, const sp_sweep *sw, const sp_mspec *ms,
                        long runs)
{
    char desc[160], tr[SP_FMT_MAX];
    sp_mspec_describe(ms, 0, desc, sizeof desc);
    sp_fmt_count(sw->trials, 0, tr, sizeof tr);
    int pt = sp_metric_is_prob(sw->metric);
    if (sw->nparams == 1)
        sp_table_notef(s->out, "Sweep of %s: %s%s\n", sw->param[0], desc,
                pt ? "" : ", P10 / P50 / P90 and mean");
    else
        sp_table_notef(s->out, "Sweep of %s by %s: %s%s\n", sw->param[0], sw->param[1],
                desc, pt ? "" : " P50");
    sp_table_notef(s->out, "%ld runs of %s trials, seed %lu: the same random numbers at "
                    "every point\n\n", runs, tr, sw->seed);
    char buf[SP_FMT_MAX];
    if (sw->nparams == 1) {
        int nc = pt ? 1 : 4;
        sp_table *t = sp_table_new(nc, sw->param[0]);
        if (!t)
            return;
        if (pt) {
            sp_table_header(t, 0, "P(target)");
        } else {
            sp_table_header(t, 0, "P10");
            sp_table_header(t, 1, "P50");
            sp_table_header(t, 2, "P90");
            sp_table_header(t, 3, "Mean");
        }
        for (int i = 0; i < sw->n[0]; i++) {
            const sp_sweep_point *p = &sw->points[i];
            sp_an_fmt_unit(sw->values[0][i], sw->unit[0], sw->currency, buf);
            int row = sp_table_row(t, buf);
            if (row < 0)
                break;
            double v[4] = {p->p10, p->p50, p->p90, p->mean};
            for (int c = 0; c < nc; c++) {
                sp_an_fmt_metric(sw->metric, pt ? p->p50 : v[c], sw->currency, 0, buf);
                sp_table_set_num(t, row, c, buf, pt ? p->p50 : v[c]);
            }
        }
        sp_table_print(s->out, t, s->width, s->color);
        sp_table_free(t);
        double *y = malloc((size_t)sw->n[0] * sizeof *y);
        if (y) {
            char line[3 * MAX_AXIS_POINTS + 1], a[SP_FMT_MAX], b[SP_FMT_MAX];
            for (int i = 0; i < sw->n[0]; i++)
                y[i] = sw->points[i].p50;
            int maxg = s->width > 40 ? s->width - 30 : 10;
            int n = sw->n[0] < maxg ? sw->n[0] : maxg;
            sp_sparkline(y, n, line, sizeof line);
            sp_an_fmt_metric(sw->metric, y[0], sw->currency, 1, a);
            sp_an_fmt_metric(sw->metric, y[sw->n[0] - 1], sw->currency, 1, b);
            sp_table_notef(s->out, "\n%s %s  %s %s %s%s\n", pt ? "P(target)" : "P50", line,
                    a, "\xe2\x86\x92", b, n < sw->n[0] ? " (first points only)" : "");
            free(y);
        }
        return;
    }
    char corner[200];
    snprintf(corner, sizeof corner, "%s \\ %s", sw->param[0], sw->param[1]);
    sp_table *t = sp_table_new(sw->n[1], corner);
    if (!t)
        return;
    for (int j = 0; j < sw->n[1]; j++) {
        sp_an_fmt_unit(sw->values[1][j], sw->unit[1], sw->currency, buf);
        sp_table_header(t, j, buf);
    }
    for (int i = 0; i < sw->n[0]; i++) {
        sp_an_fmt_unit(sw->values[0][i], sw->unit[0], sw->currency, buf);
        int row = sp_table_row(t, buf);
        if (row < 0)
            break;
        for (int j = 0; j < sw->n[1]; j++) {
            sp_an_fmt_metric(sw->metric, sw->points[i * sw->n[1] + j].p50, sw->currency,
                       1, buf);
            sp_table_set_num(t, row, j, buf, sw->points[i * sw->n[1] + j].p50);
        }
    }
    sp_table_print(s->out, t, s->width, s->color);
    sp_table_free(t);
    if (!pt)
        sp_table_notef(s->out, "\ncells: P50; `export FILE.json` writes P10, P90 and "
                        "the mean of every point\n");
}

void sp_sweep_request_free(sp_sweep_request *rq)
{
    free(rq->vals[0]);
    free(rq->vals[1]);
    rq->vals[0] = rq->vals[1] = NULL;
}

static int parse_by(const sp_scenario *sc, const sp_tokens *t, int *i,
                    const char *file, sp_sweep_request *rq, sp_error *err)
{
    const sp_token *w = &t->v[*i];
    (*i)++;
    int rc = parse_axis(sc, t, i, file, &rq->k[1], &rq->vals[1], &rq->nv[1],
                        err);
    if (rc)
        return rc;
    rq->nk = 2;
    if (rq->k[1].p.param == rq->k[0].p.param &&
        rq->k[1].p.role == rq->k[0].p.role)
        return sp_an_fail(err, SP_ERR_USAGE, file, w,
                          "a grid needs two different parameters");
    if ((long)rq->nv[0] * rq->nv[1] > MAX_GRID_POINTS)
        return sp_an_fail(err, SP_ERR_RANGE, file, w,
                          "%d x %d points: at most %d in a grid", rq->nv[0],
                          rq->nv[1], MAX_GRID_POINTS);
    return SP_CMD_OK;
}

int sp_sweep_parse(const sp_scenario *sc, const sp_tokens *t, const char *file,
                 sp_sweep_request *rq, sp_error *err)
{
    int i = 1, rc;
    memset(rq, 0, sizeof *rq);
    rq->nv[1] = 1;
    rq->nk = 1;
    rq->seed = -1;
    sp_mspec_default(&rq->ms);
    if ((rc = parse_axis(sc, t, &i, file, &rq->k[0], &rq->vals[0], &rq->nv[0],
                         err)))
        return rc;
    while (i < t->n) {
        int r = sp_an_parse_opts(t, &i, file, &rq->trials, &rq->seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r == 0)
            continue;
        const sp_token *w = &t->v[i];
        if (sp_an_is_word(w, "by") && rq->nk == 1) {
            if ((rc = parse_by(sc, t, &i, file, rq, err)))
                return rc;
        } else if (sp_an_is_word(w, "metric") && i + 1 < t->n) {
            if (sp_mspec_parse_name(sc, &t->v[i + 1], file, &rq->ms, err))
                return SP_CMD_BAD;
            i += 2;
            sp_mspec_parse_opts(t, &i, &rq->ms);
        } else {
            return sp_an_fail(err, SP_ERR_PARSE, file, w,
                              "expected %smetric M, trials N or seed S, "
                              "found '%s'",
                              rq->nk == 1 ? "by PARAM FROM TO step S, " : "",
                              w->s);
        }
    }
    return SP_CMD_OK;
}

/* Every point of the sweep, run in one job of session s (NULL: no
 * session).  The sweep takes rq's values. */
sp_status sp_sweep_compute(sp_session *s, const sp_scenario *sc, sp_sweep_request *rq,
                         sp_sweep **out, long *runs, sp_error *err)
{
    sp_sweep *sw = calloc(1, sizeof *sw);
    if (!sw)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    sw->nparams = rq->nk;
    for (int a = 0; a < 2; a++) {
        sw->n[a] = rq->nv[a];
        sw->values[a] = rq->vals[a];
        rq->vals[a] = NULL;
        if (a < rq->nk) {
            snprintf(sw->param[a], sizeof sw->param[a], "%s", rq->k[a].name);
            sw->unit[a] = rq->k[a].unit;
        }
    }
    long np = (long)sw->n[0] * sw->n[1];
    sp_job job;
    sp_job_begin(&job, s, sc, "points", np, rq->trials, rq->seed);
    sw->metric = rq->ms.metric;
    sp_mspec_name(&rq->ms, sw->metric_name, sizeof sw->metric_name);
    sw->trials = job.trials;
    sw->seed = job.seed;
    sp_utf8_copy(sw->currency, sizeof sw->currency, sp_an_currency(sc));
    snprintf(sw->scenario, sizeof sw->scenario, "%s", sc->name);
    sp_status e = SP_OK;
    if (!(sw->points = calloc((size_t)np, sizeof *sw->points)))
        e = sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    for (long q = 0; q < np && e == SP_OK; q++) {
        sp_sweep_point *p = &sw->points[q];
        int a = (int)(q / sw->n[1]), b = (int)(q % sw->n[1]);
        p->x[0] = sw->values[0][a];
        p->x[1] = rq->nk > 1 ? sw->values[1][b] : NAN;
        sp_scenario *v = sp_knob_variant(sc, rq->k, p->x, rq->nk, err);
        sp_stat st = {0};
        e = v ? sp_an_metric(&job, v, &rq->ms, &st, err) : err->status;
        sp_scenario_free(v);
        p->mean = st.mean;
        p->p10 = st.p[SP_P10];
        p->p50 = st.p[SP_P50];
        p->p90 = st.p[SP_P90];
    }
    sp_job_end(&job);
    *runs = job.runs;
    snprintf(sw->period, sizeof sw->period, "%s", rq->ms.label);
    if (e) {
        sp_sweep_free(sw);
        return e;
    }
    *out = sw;
    return SP_OK;
}

int sp_cmd_sweep(sp_session *s, const sp_tokens *t, const char *file,
                 sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return sp_an_nomem(err);
    sp_sweep_request rq;
    int rc = sp_sweep_parse(sc, t, file, &rq, err);
    sp_sweep *sw = NULL;
    long runs = 0;
    if (rc == SP_CMD_OK && s->dry) {
        sp_sweep_request_free(&rq);
        return SP_CMD_OK;
    }
    if (rc == SP_CMD_OK) {
        sp_status e = sp_sweep_compute(s, sc, &rq, &sw, &runs, err);
        if (e)
            rc = sp_an_code(e);
    }
    sp_sweep_request_free(&rq);
    if (rc != SP_CMD_OK)
        return rc;
    print_sweep(s, sw, &rq.ms, runs);
    for (int k = 0; k < rq.nk; k++)
        sp_an_quota_note(s->out, sc, rq.k[k].p);
    if (sp_findings_add_sweep(&s->findings, sw))
        return sp_an_nomem(err);
    return SP_CMD_OK;
}
