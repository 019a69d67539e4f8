/* `run until se(METRIC) < X | rse(METRIC) < X%`: runs of growing size
 * until a figure is known to a stated precision. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "salesplan/analysis.h"
#include "salesplan/report.h"
#include "salesplan/table.h"
#include "salesplan/until.h"

#define UNTIL_START 1000
#define UNTIL_CAP 1000000

/* x in unit u with `digits` significant digits: money with its sign and
 * thousands separators, percentages with a percent sign. */
static void fmt_sig(double x, sp_unit u, const char *cur, int digits, char *buf)
{
    if (!isfinite(x)) {
        snprintf(buf, SP_FMT_MAX, "%s", SP_UNDEFINED);
        return;
    }
    if (u == SP_U_PERCENT) {
        snprintf(buf, SP_FMT_MAX, "%.*g%%", digits, 100 * x);
    } else if (u == SP_U_MONEY && fabs(x) >= 1 && fabs(x) < 1e15 &&
               floor(log10(fabs(x))) + 1 >= digits) {
        /* whole units: round away the digits beyond `digits` and keep the
         * separators that make a large amount readable (%g would write
         * 7.67e+03) */
        double mag = pow(10, floor(log10(fabs(x))) + 1 - digits);
        sp_fmt_money(round(x / mag) * mag, cur, buf, SP_FMT_MAX);
    } else if (u == SP_U_MONEY) {
        snprintf(buf, SP_FMT_MAX, "%s%.*g", cur ? cur : "", digits, x);
    } else {
        snprintf(buf, SP_FMT_MAX, "%.*g", digits, x);
    }
}

/* An achieved standard error and its bound, with as many significant
 * digits (at least three) as it takes to tell them apart: "0.00998% <
 * 0.01%", never "0.010% < 0.010%". */
static void precise_pair(double x, double bound, sp_unit u, const char *cur,
                         char *a, char *b)
{
    for (int d = 3; d <= 17; d++) {
        fmt_sig(x, u, cur, d, a);
        fmt_sig(bound, u, cur, d, b);
        if (strcmp(a, b) != 0 || x == bound)
            return;
    }
}

/* What `run until` was asked. */
typedef struct {
    sp_mspec ms;
    int relative;              /* rse(): the bound is relative to the mean */
    double limit;
    double cap, seed;          /* `trials MAX`, `seed S` */
} request;

/* What it reached. */
typedef struct {
    sp_results *r;             /* the last run's results */
    double se, mean;
    int met;
} outcome;

static int bad_condition(const char *file, const sp_token *at,
                         const char *cond, sp_error *err)
{
    return sp_an_fail(err, SP_ERR_PARSE, file, at,
                      "expected se(METRIC) < X or rse(METRIC) < X%%, found "
                      "'%s'", cond);
}

/* "se(METRIC[.ROLE] [PERIOD]) < X" or "rse(...) < X%" in cond. */
static int parse_condition(const sp_scenario *sc, const char *cond,
                           const sp_token *at, const char *file, request *rq,
                           sp_error *err)
{
    const char *c = cond;
    if (strncmp(c, "rse(", 4) == 0) {
        rq->relative = 1;
        c += 4;
    } else if (strncmp(c, "se(", 3) == 0) {
        c += 3;
    } else {
        return bad_condition(file, at, cond, err);
    }
    /* the parenthesis that closes se( : p(target) has its own */
    const char *close = NULL;
    for (int depth = 0, k = 0; c[k] && !close; k++) {
        if (c[k] == '(')
            depth++;
        else if (c[k] == ')' && depth-- == 0)
            close = c + k;
    }
    const char *lt = close ? strchr(close, '<') : NULL;
    if (!close || !lt)
        return bad_condition(file, at, cond, err);
    char inner[128];
    snprintf(inner, sizeof inner, "%.*s", (int)(close - c), c);
    char *per = strchr(inner, ' ');
    if (per)
        *per++ = 0;
    sp_mspec_default(&rq->ms);
    rq->ms.stat = SP_STAT_MEAN;
    sp_token mt = *at;
    mt.s = inner;
    if (sp_mspec_parse_name(sc, &mt, file, &rq->ms, err))
        return SP_CMD_BAD;
    if (per) {
        while (*per == ' ')
            per++;
        snprintf(rq->ms.period, sizeof rq->ms.period, "%s", per);
    }
    const char *vs = lt + 1;
    while (*vs == ' ')
        vs++;
    sp_unit u = rq->relative || sp_metric_is_prob(rq->ms.metric)
                    ? SP_U_PERCENT : sp_metric_unit(rq->ms.metric);
    if (sp_parse_number_in_unit(vs, u, &rq->limit) != 0 || !(rq->limit > 0))
        return sp_an_fail(err, SP_ERR_PARSE, file, at,
                          "expected %s above 0 after '<', found '%s'",
                          sp_an_unit_example(u), vs);
    return SP_CMD_OK;
}

static int parse(const sp_scenario *sc, const sp_tokens *t, const char *file,
                 request *rq, sp_error *err)
{
    memset(rq, 0, sizeof *rq);
    rq->seed = -1;
    /* The condition may be written with or without spaces: join the words
     * up to the options. */
    char cond[256] = "";
    int i = 2;
    for (; i < t->n; i++) {
        if (sp_an_is_word(&t->v[i], "trials") || sp_an_is_word(&t->v[i], "seed"))
            break;
        size_t l = strlen(cond);
        snprintf(cond + l, sizeof cond - l, "%s%s", l ? " " : "", t->v[i].s);
    }
    while (i < t->n) {
        int r = sp_an_parse_opts(t, &i, file, &rq->cap, &rq->seed, err);
        if (r < 0)
            return SP_CMD_BAD;
        if (r > 0)
            return sp_an_fail(err, SP_ERR_PARSE, file, &t->v[i],
                              "expected trials N or seed S, found '%s'",
                              t->v[i].s);
    }
    const sp_token *at = t->n > 2 ? &t->v[2] : &t->v[1];
    return parse_condition(sc, cond, at, file, rq, err);
}

static void drop(sp_results *r)
{
    if (r) {
        sp_results_free(r);
        free(r);
    }
}

/* Runs of growing size in job j until the bound is met or the cap
 * reached; o->r holds the last run's results. */
static sp_status compute(sp_job *j, const sp_scenario *sc, request *rq,
                         outcome *o, sp_error *err)
{
    int maxn = rq->cap > 0 ? (int)rq->cap : UNTIL_CAP;
    int n = UNTIL_START < maxn ? UNTIL_START : maxn;
    memset(o, 0, sizeof *o);
    o->se = o->mean = NAN;
    for (;;) {
        sp_results *nr = calloc(1, sizeof *nr);
        if (!nr)
            return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        sp_status st = sp_job_run(j, sc, n, nr, err);
        drop(o->r);
        o->r = nr;
        sp_stat sst;
        if (st || (st = sp_mspec_eval(&rq->ms, nr, &sst, err))) {
            drop(o->r);
            o->r = NULL;
            return st;
        }
        o->se = sst.se;
        o->mean = sst.mean;
        /* P(target) is the mean of a yes/no per trial: its standard error
         * is that of a proportion */
        if (sp_metric_is_prob(rq->ms.metric))
            o->se = sqrt(sst.mean * (1 - sst.mean) / (double)nr->trials);
        double x = rq->relative ? o->se / fabs(o->mean) : o->se;
        if (x < rq->limit) {
            o->met = 1;
            return SP_OK;
        }
        if (n >= maxn || !isfinite(x))
            return SP_OK;
        /* se falls as 1/sqrt(n): double up to the size this batch predicts */
        double need = (double)n * (x / rq->limit) * (x / rq->limit);
        long next = n;
        while (next < need && next < maxn)
            next *= 2;
        if (next == n)
            next = 2L * n;
        n = next > maxn ? maxn : (int)next;
    }
}

int sp_cmd_run_until(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err)
{
    sp_scenario *sc = sp_session_current(s);
    if (!sc)
        return sp_an_nomem(err);
    request rq;
    int rc = parse(sc, t, file, &rq, err);
    if (rc != SP_CMD_OK || s->dry)
        return rc;
    sp_job job;
    sp_job_begin(&job, s, sc, "runs", 0, 0, rq.seed);
    outcome o;
    sp_status st = compute(&job, sc, &rq, &o, err);
    sp_job_end(&job);
    if (st)
        return sp_an_code(st);
    sp_results *r = o.r;
    sp_entry_set_results(&s->e[s->cur], r);
    if (!s->quiet)
        sp_report_summary(s->out, r, s->width, s->color);
    char desc[160], a[SP_FMT_MAX], b[SP_FMT_MAX], tr[SP_FMT_MAX];
    sp_mspec_describe(&rq.ms, 0, desc, sizeof desc);
    double x = rq.relative ? o.se / fabs(o.mean) : o.se;
    precise_pair(x, rq.limit,
                 rq.relative || sp_metric_is_prob(rq.ms.metric)
                     ? SP_U_PERCENT : sp_metric_unit(rq.ms.metric),
                 r->model.currency, a, b);
    sp_fmt_count(r->trials, 0, tr, sizeof tr);
    if (!o.met) {
        sp_error_set(err, SP_ERR_RUN, NULL, 0,
                     "precision not reached: %sse of the mean of %s is %s, not "
                     "below %s, after %s trials (the most allowed; `trials N` "
                     "raises it); these results are kept",
                     rq.relative ? "relative " : "", desc, a, b, tr);
        return SP_CMD_RUNFAIL;
    }
    fprintf(s->out, "%sprecision: %sse of the mean of %s = %s < %s with %s "
                    "trials (%ld run%s)\n", s->quiet ? "" : "\n",
            rq.relative ? "relative " : "", desc, a, b, tr, job.runs,
            job.runs == 1 ? "" : "s");
    return SP_CMD_OK;
}
