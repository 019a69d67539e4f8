/* The session's scenarios and the one way into a run. */
#include "salesplan/session.h"
#include "salesplan/compile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/params.h"
#include "salesplan/sim.h"

/* ---- session ---- */

sp_session *sp_session_new(void)
{
    sp_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cur = -1;
    s->out = stdout;
    s->err = stderr;
    s->width = 80;
    s->load_entry = -1;
    s->seed_override = -1;
    return s;
}

void sp_entry_set_results(sp_entry *e, sp_results *r)
{
    if (e->res) {
        sp_results_free(e->res);
        free(e->res);
    }
    sp_scenario_free(e->ran);
    e->ran = NULL;
    e->res = r;
    e->res_version = e->sc ? e->sc->version : 0;
    if (r && e->sc && (e->ran = sp_scenario_clone(e->sc, NULL))) {
        /* The copy says how the run was made, so that its script, loaded
         * and run, gives these numbers: `run trials 300` ran 300. */
        sp_pref t = {sp_param_find("trials", SP_SCOPE_GLOBAL), -1};
        sp_pref sd = {sp_param_find("seed", SP_SCOPE_GLOBAL), -1};
        sp_scenario_set_number(e->ran, t, r->trials, NULL);
        sp_scenario_set_number(e->ran, sd, (double)r->seed, NULL);
    }
}

static void entry_free(sp_entry *e)
{
    sp_entry_set_results(e, NULL);
    sp_scenario_free(e->sc);
    memset(e, 0, sizeof *e);
}

void sp_session_free(sp_session *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        entry_free(&s->e[i]);
    free(s->e);
    for (int i = 0; i < s->depth; i++)
        free(s->stack[i]);
    sp_findings_clear(&s->findings);
    for (int i = 0; i < s->nundo; i++)
        sp_undo_free(&s->undo[i]);
    if (s->redirect)
        fclose(s->redirect);
    free(s);
}

int sp_session_find(const sp_session *s, const char *name)
{
    for (int i = s->n - 1; i >= 0; i--)
        if (!s->e[i].replaced && strcmp(s->e[i].sc->name, name) == 0)
            return i;
    return -1;
}

int sp_scenario_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63 || name[0] == '.' || name[0] == '-')
        return 0;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '-'))
            return 0;
    return 1;
}

/* Another loaded scenario takes name: the older one is hidden now and
 * removed when the outermost load succeeds (a failed load brings it
 * back, results and all). */
void sp_session_replace_name(sp_session *s, int keep, const char *name)
{
    for (int k = 0; k < s->n; k++)
        if (k != keep && !s->e[k].replaced && strcmp(s->e[k].sc->name, name) == 0)
            s->e[k].replaced = 1;
}

int sp_session_add_entry(sp_session *s, sp_scenario *sc)
{
    sp_entry *v = realloc(s->e, (size_t)(s->n + 1) * sizeof *v);
    if (!v)
        return -1;
    s->e = v;
    memset(&v[s->n], 0, sizeof v[s->n]);
    v[s->n].sc = sc;
    return s->n++;
}

void sp_session_remove_entry(sp_session *s, int i)
{
    entry_free(&s->e[i]);
    memmove(&s->e[i], &s->e[i + 1], (size_t)(s->n - i - 1) * sizeof *s->e);
    s->n--;
    if (s->cur == i)
        s->cur = s->n ? 0 : -1;
    else if (s->cur > i)
        s->cur--;
    if (s->load_entry == i)
        s->load_entry = -1;
    else if (s->load_entry > i)
        s->load_entry--;
}

sp_scenario *sp_session_current(sp_session *s)
{
    if (s->cur < 0) {
        sp_scenario *sc = sp_scenario_new("default", "");
        if (!sc)
            return NULL;
        int i = sp_session_add_entry(s, sc);
        if (i < 0) {
            sp_scenario_free(sc);
            return NULL;
        }
        s->cur = i;
    }
    return s->e[s->cur].sc;
}

void sp_session_report(sp_session *s, const sp_error *err)
{
    if (s->report) {
        s->report(s, err);
        return;
    }
    fflush(s->out);
    fprintf(s->err, "%s\n", err->msg[0] ? err->msg : sp_strerror(err->status));
}

/* ---- snapshots: a statement or file that fails changes nothing ---- */

int sp_snapshot_take(sp_session *s, sp_snapshot *sn)
{
    sn->n = s->n;
    sn->cur = s->cur;
    sn->sc = calloc((size_t)(s->n ? s->n : 1), sizeof *sn->sc);
    if (!sn->sc)
        return -1;
    for (int i = 0; i < s->n; i++)
        if (!(sn->sc[i] = sp_scenario_clone(s->e[i].sc, NULL)))
            return -1;
    return 0;
}

void sp_snapshot_free(sp_snapshot *sn)
{
    if (sn->sc)
        for (int i = 0; i < sn->n; i++)
            sp_scenario_free(sn->sc[i]);
    free(sn->sc);
    sn->sc = NULL;
}

/* Entries created since the snapshot go; older ones get their scenario
 * back (results stay with the entry: they belong to a version that the
 * restored scenario carries again). */
void sp_snapshot_restore(sp_session *s, sp_snapshot *sn)
{
    while (s->n > sn->n)
        sp_session_remove_entry(s, s->n - 1);
    for (int i = 0; i < sn->n; i++) {
        sp_scenario_free(s->e[i].sc);
        s->e[i].sc = sn->sc[i];
        s->e[i].replaced = 0;
        sn->sc[i] = NULL;
    }
    s->cur = sn->cur;
    sp_snapshot_free(sn);
}

int sp_entry_dirty(const sp_entry *e)
{
    return e->sc && e->sc->version != 0 && e->sc->version != e->saved_version;
}

/* ---- undo ---- */

int sp_undo_take(const sp_session *s, sp_undo_rec *r)
{
    memset(r, 0, sizeof *r);
    r->cur = s->cur;
    r->sc = calloc((size_t)(s->n ? s->n : 1), sizeof *r->sc);
    r->saved_version = calloc((size_t)(s->n ? s->n : 1), sizeof *r->saved_version);
    if (!r->sc || !r->saved_version) {
        sp_undo_free(r);
        return -1;
    }
    for (int i = 0; i < s->n; i++) {
        if (s->e[i].replaced)
            continue;
        if (!(r->sc[r->n] = sp_scenario_clone(s->e[i].sc, NULL))) {
            sp_undo_free(r);
            return -1;
        }
        r->saved_version[r->n++] = s->e[i].saved_version;
    }
    return 0;
}

void sp_undo_free(sp_undo_rec *r)
{
    if (r->sc)
        for (int i = 0; i < r->n; i++)
            sp_scenario_free(r->sc[i]);
    free(r->sc);
    free(r->saved_version);
    memset(r, 0, sizeof *r);
}

/* Versions are unique (scenario.h): the same names with the same versions
 * in the same order are the same scenarios. */
static int unchanged(const sp_session *s, const sp_undo_rec *r)
{
    if (r->n != s->n)
        return 0;
    for (int i = 0; i < s->n; i++)
        if (s->e[i].replaced || s->e[i].sc->version != r->sc[i]->version ||
            strcmp(s->e[i].sc->name, r->sc[i]->name) != 0)
            return 0;
    return 1;
}

void sp_undo_commit(sp_session *s, sp_undo_rec *r)
{
    if (!r->sc || unchanged(s, r)) {
        sp_undo_free(r);
        return;
    }
    if (s->nundo == SP_UNDO_MAX) {
        sp_undo_free(&s->undo[0]);
        memmove(&s->undo[0], &s->undo[1], (SP_UNDO_MAX - 1) * sizeof s->undo[0]);
        s->nundo--;
    }
    s->undo[s->nundo++] = *r;
    memset(r, 0, sizeof *r);
}

int sp_session_undo(sp_session *s)
{
    if (s->nundo == 0)
        return -1;
    sp_undo_rec *r = &s->undo[--s->nundo];
    sp_entry *v = calloc((size_t)(r->n ? r->n : 1), sizeof *v);
    if (!v) {
        s->nundo++;
        return -1;
    }
    for (int i = 0; i < r->n; i++) {
        v[i].sc = r->sc[i];
        v[i].saved_version = r->saved_version[i];
        r->sc[i] = NULL;
        /* the results of the entry of that name, when they were made from
         * this state (or any state: they then show as stale) */
        for (int k = 0; k < s->n; k++) {
            sp_entry *e = &s->e[k];
            if (e->sc && !e->replaced && e->res &&
                strcmp(e->sc->name, v[i].sc->name) == 0) {
                v[i].res = e->res;
                v[i].res_version = e->res_version;
                v[i].warned_version = e->warned_version;
                e->res = NULL;
                break;
            }
        }
    }
    for (int k = 0; k < s->n; k++)
        entry_free(&s->e[k]);
    free(s->e);
    s->e = v;
    s->n = r->n;
    s->cur = r->cur < s->n ? r->cur : s->n - 1;
    sp_undo_free(r);
    return 0;
}

int sp_session_entry_of(const sp_session *s, const sp_scenario *sc)
{
    for (int i = 0; i < s->n; i++)
        if (s->e[i].sc == sc)
            return i;
    return -1;
}

int sp_session_export_order(const sp_session *s, int *idx, int max)
{
    int n = 0;
    for (int i = 0; i < s->findings.ncmp && n < max; i++) {
            int e = sp_session_find(s, s->findings.cmp[i]);
            int seen = 0;
            for (int k = 0; k < n; k++)
                seen |= idx[k] == e;
            if (e >= 0 && s->e[e].res && !seen)
                idx[n++] = e;
        }
    for (int i = 0; i < s->n && n < max; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++)
            seen |= idx[k] == i;
        if (s->e[i].res && !seen)
            idx[n++] = i;
    }
    return n;
}

/* ---- jobs ------------------------------------------------------------- */

static double global_num(const sp_scenario *sc, const char *name)
{
    sp_pref p = {sp_param_find(name, SP_SCOPE_GLOBAL), -1};
    return sp_scenario_value(sc, p)->num;
}

void sp_job_begin(sp_job *j, sp_session *s, const sp_scenario *sc,
                  const char *unit, long total, double opt_trials,
                  double opt_seed)
{
    memset(j, 0, sizeof *j);
    j->s = s;
    j->unit = unit;
    j->total = total;
    j->trials = (int)global_num(sc, "trials");
    j->seed = (unsigned long)global_num(sc, "seed");
    if (s && s->trials_override > 0)
        j->trials = s->trials_override;
    if (s && s->seed_override >= 0)
        j->seed = (unsigned long)s->seed_override;
    if (opt_trials > 0)
        j->trials = (int)opt_trials;
    if (opt_seed >= 0)
        j->seed = (unsigned long)opt_seed;
    sp_job_warn(j, sc);
}

/* A warning without the place of the statement that set the value
 * ("FILE:LINE: "): a variant set through text carries another place for
 * the same finding. */
static const char *warning_body(const char *msg)
{
    const char *sp = strchr(msg, ' ');
    if (sp && sp > msg + 2 && sp[-1] == ':' && isdigit((unsigned char)sp[-2]))
        return sp + 1;
    return msg;
}

static int seen(const sp_job *j, const char *msg)
{
    for (int k = 0; k < j->nseen; k++)
        if (strcmp(warning_body(j->seen[k]), warning_body(msg)) == 0)
            return 1;
    return 0;
}

static void remember(sp_job *j, const char *msg)
{
    char (*v)[300] = realloc(j->seen, (size_t)(j->nseen + 1) * sizeof *v);
    if (!v)
        return;
    j->seen = v;
    snprintf(j->seen[j->nseen++], sizeof *v, "%s", msg);
}

/* An entry's warnings are printed once per version of its scenario, not at
 * every run; a variant made by an analysis prints only what its entry did
 * not already say. */
static void warn(sp_job *j, const sp_scenario *sc, const sp_warnings *w)
{
    sp_session *s = j->s;
    int e = s ? sp_session_entry_of(s, sc) : -1;
    int quiet = !s || (e >= 0 && s->e[e].warned_version == sc->version &&
                       sc->version);
    for (int k = 0; k < w->n; k++) {
        if (seen(j, w->msg[k]))
            continue;
        if (!quiet) {
            fflush(s->out);
            fprintf(s->err, "warning: %s\n", w->msg[k]);
        }
        remember(j, w->msg[k]);
    }
    if (e >= 0)
        s->e[e].warned_version = sc->version;
}

void sp_job_warn(sp_job *j, const sp_scenario *sc)
{
    sp_warnings w = {0};
    sp_error err;
    if (sp_scenario_validate(sc, &w, &err) == SP_OK)
        warn(j, sc, &w);
}

/* A job of one run counts its trials; any other counts its steps, the bar
 * moving with the trials of the run under way.  A run's end is not the
 * job's: only sp_job_end reports a fraction of 1. */
static void show(const sp_job *j, long trials_done, long trials_total)
{
    sp_session *s = j->s;
    if (!s || !s->progress)
        return;
    sp_progress p = {0};
    double within = trials_total > 0 ? (double)trials_done / trials_total : 0;
    if (j->total == 1) {
        p.unit = "trials";
        p.done = trials_done;
        p.total = trials_total;
        p.fraction = within;
    } else {
        p.unit = j->unit;
        p.done = j->runs;
        p.total = j->total;
        p.fraction = j->total > 0 ? ((double)j->runs + within) / j->total : -1;
    }
    if (p.fraction >= 1)
        p.fraction = 0.999999;
    s->progress(s->progress_ctx, &p);
}

static void engine_progress(void *ctx, long done, long total)
{
    show(ctx, done, total);
}

sp_status sp_job_run(sp_job *j, const sp_scenario *sc, int trials,
                     sp_results *out, sp_error *err)
{
    sp_session *s = j->s;
    sp_warnings w = {0};
    sp_model m;
    memset(out, 0, sizeof *out);
    if (sp_job_stopped(j))
        return sp_error_set(err, SP_ERR_RUN, NULL, 0, "interrupted");
    sp_status st = sp_scenario_validate(sc, &w, err);
    if (st)
        return st;
    warn(j, sc, &w);
    if ((st = sp_model_compile(sc, &m, err)))
        return st;
    int show_progress = s && s->progress;
    sp_run_opts o = {trials > 0 ? trials : j->trials, j->seed,
                     s ? s->threads : 0,
                     show_progress ? engine_progress : NULL, j,
                     s ? s->stop : NULL};
    m.trials = o.trials;
    m.seed = o.seed;
    st = sp_simulate(&m, &o, out, err);
    sp_model_free(&m);
    j->runs++;
    show(j, 0, 1);
    return st;
}

int sp_job_stopped(const sp_job *j)
{
    return j->s && j->s->stop && *j->s->stop;
}

void sp_job_end(sp_job *j)
{
    sp_session *s = j->s;
    if (s && s->progress && j->unit) {
        sp_progress p = {1, j->runs, j->total, j->unit};
        s->progress(s->progress_ctx, &p);
    }
    free(j->seen);
    j->seen = NULL;
    j->nseen = 0;
    j->unit = NULL;
}
