/* Statements and commands: one table, one handler contract.  A handler
 * returns SP_CMD_OK, SP_CMD_RUNFAIL, SP_CMD_BAD (with err set) or
 * SP_CMD_QUIT; arity is checked here from the table, never in handlers. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "salesplan/commands.h"
#include "salesplan/analysis.h"
#include "salesplan/compare.h"
#include "salesplan/export.h"
#include "salesplan/file.h"
#include "salesplan/goalseek.h"
#include "salesplan/output.h"
#include "salesplan/params.h"
#include "salesplan/report.h"
#include "salesplan/stats.h"
#include "salesplan/sweep.h"
#include "salesplan/table.h"
#include "salesplan/tornado.h"
#include "salesplan/until.h"

/* ---- helpers ---- */

static int bad(sp_error *err, sp_status st)
{
    (void)err;
    (void)st;
    return SP_CMD_BAD;
}


static sp_status need_scenario(sp_session *s, sp_scenario **sc, sp_error *err)
{
    if (!(*sc = sp_session_current(s)))
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    return SP_OK;
}

static sp_loc tloc(const char *file, const sp_token *t)
{
    sp_loc l = {file, t->line};
    return l;
}

static int scenario_by_token(sp_session *s, const sp_token *t, const char *file,
                             sp_error *err)
{
    int i = sp_session_find(s, t->s);
    if (i < 0) {
        sp_loc l = tloc(file, t);
        sp_nearest nr;
        sp_nearest_init(&nr, t->s, 2);
        for (int k = 0; k < s->n; k++)
            sp_nearest_try(&nr, s->e[k].sc->name);
        const char *best = nr.best;
        if (best)
            sp_error_set(err, SP_ERR_UNKNOWN, &l, t->col,
                         "unknown scenario '%s'; did you mean '%s'?", t->s, best);
        else
            sp_error_set(err, SP_ERR_UNKNOWN, &l, t->col,
                         "unknown scenario '%s' (`scenarios` lists them)", t->s);
    }
    return i;
}

static int is_stale(const sp_entry *e)
{
    return e->res && e->res_version != e->sc->version;
}

/* ---- handlers ---- */

static void say_created(sp_session *s, const char *name)
{
    sp_nearest nr;
    sp_nearest_init(&nr, name, 2);
    for (int k = 0; k < s->n; k++)
        sp_nearest_try(&nr, s->e[k].sc->name);
    if (nr.best)
        fprintf(s->out, "created scenario %s (empty; did you mean '%s'? "
                "`undo` takes it back)\n", name, nr.best);
    else
        fprintf(s->out, "created scenario %s (empty)\n", name);
}

static int cmd_scenario(sp_session *s, const sp_tokens *t, const char *file,
                        sp_error *err)
{
    const sp_token *name = &t->v[1];
    const char *title = t->n > 2 ? t->v[2].s : NULL;
    if (!sp_scenario_name_ok(name->s)) {
        sp_loc l = tloc(file, name);
        sp_error_set(err, SP_ERR_PARSE, &l, name->col,
                     "expected a scenario name (letters, digits, _ . -; at "
                     "most 63), found '%s'", name->s);
        return SP_CMD_BAD;
    }
    /* The first `scenario` statement of a loaded file names the scenario
     * the load created. */
    if (s->load_entry >= 0 && !s->load_named && s->cur == s->load_entry) {
        s->load_named = 1;
        if (sp_scenario_rename(s->e[s->cur].sc, name->s, title ? title : "") != 0)
            return bad(err, sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"));
        sp_session_replace_name(s, s->cur, name->s);
        return SP_CMD_OK;
    }
    int i = sp_session_find(s, name->s);
    if (i < 0) {
        /* typed, not run from a file: a mistyped name must not go unseen */
        if (s->depth == 0)
            say_created(s, name->s);
        sp_scenario *sc = sp_scenario_new(name->s, title ? title : "");
        if (!sc || (i = sp_session_add_entry(s, sc)) < 0) {
            sp_scenario_free(sc);
            return bad(err, sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"));
        }
    } else if (title) {
        sp_scenario_rename(s->e[i].sc, name->s, title);
    }
    s->cur = i;
    return SP_CMD_OK;
}

static int cmd_scenarios(sp_session *s, const sp_tokens *t, const char *file,
                         sp_error *err)
{
    (void)t, (void)file, (void)err;
    if (s->n == 0) {
        fprintf(s->out, "no scenarios (create one: scenario NAME, or load FILE)\n");
        return SP_CMD_OK;
    }
    for (int i = 0; i < s->n; i++) {
        const sp_entry *e = &s->e[i];
        fprintf(s->out, "%c %-20s %-32s %d role%s  %s\n", i == s->cur ? '*' : ' ',
                e->sc->name, e->sc->title, e->sc->nroles,
                e->sc->nroles == 1 ? " " : "s",
                !e->res ? "not run" : is_stale(e) ? "results stale (changed since run)"
                                                  : "results current");
    }
    return SP_CMD_OK;
}

static int cmd_role(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    sp_scenario *sc;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    if (sp_role_declare(sc, &t->v[1], &t->v[2], t->n > 3 ? t->v[3].s : NULL,
                        file, err))
        return SP_CMD_BAD;
    return SP_CMD_OK;
}

static int cmd_set(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    sp_scenario *sc;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    return sp_scenario_set(sc, t, 1, file, err) ? SP_CMD_BAD : SP_CMD_OK;
}

static int cmd_unset(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err)
{
    sp_scenario *sc;
    sp_pref p;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    /* every name first: a bad one resets nothing */
    for (int i = 1; i < t->n; i++)
        if (sp_scenario_resolve(sc, &t->v[i], file, &p, err))
            return SP_CMD_BAD;
    for (int i = 1; i < t->n; i++) {
        sp_scenario_resolve(sc, &t->v[i], file, &p, err);
        sp_scenario_unset(sc, p);
    }
    return SP_CMD_OK;
}

static void print_param(sp_session *s, const sp_scenario *sc, sp_pref p)
{
    char name[80];
    sp_pref_name(sc, p, name, sizeof name);
    char *v = sp_scenario_value_text(sc, p);
    fprintf(s->out, "%-28s %s%s\n", name, v ? v : "?",
            sp_scenario_is_set(sc, p) ? "" : "   # default");
    free(v);
}

static int cmd_get(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    sp_scenario *sc;
    sp_pref p;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    for (int i = 1; i < t->n; i++) {
        if (sp_scenario_resolve(sc, &t->v[i], file, &p, err))
            return SP_CMD_BAD;
        print_param(s, sc, p);
    }
    return SP_CMD_OK;
}

static int cmd_copy(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    sp_scenario *sc;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    if (!sp_scenario_name_ok(t->v[1].s)) {
        sp_loc l = tloc(file, &t->v[1]);
        sp_error_set(err, SP_ERR_PARSE, &l, t->v[1].col,
                     "expected a scenario name (letters, digits, _ . -; at "
                     "most 63), found '%s'", t->v[1].s);
        return SP_CMD_BAD;
    }
    if (sp_session_find(s, t->v[1].s) >= 0) {
        sp_loc l = tloc(file, &t->v[1]);
        sp_error_set(err, SP_ERR_INVALID, &l, t->v[1].col,
                     "a scenario named '%s' already exists", t->v[1].s);
        return SP_CMD_BAD;
    }
    sp_scenario *c = sp_scenario_clone(sc, t->v[1].s);
    int i;
    if (!c || (i = sp_session_add_entry(s, c)) < 0) {
        sp_scenario_free(c);
        return bad(err, sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"));
    }
    if (t->n > 2)
        sp_scenario_rename(c, t->v[1].s, t->v[2].s);
    s->cur = i;
    return SP_CMD_OK;
}

/* "FILE:LINE: ..." */
static int has_place(const char *msg)
{
    const char *c = strchr(msg, ':');
    return c && c[1] >= '0' && c[1] <= '9';
}

/* Put the place of the statement in front of a message that has none. */
static void prefix_place(sp_error *err, const char *file, const sp_token *t)
{
    if (!file || has_place(err->msg))
        return;
    char m[sizeof err->msg];
    int k = snprintf(m, sizeof m, "%s:%d:%d: ", file, t->line, t->col);
    if (k < 0 || (size_t)k >= sizeof m)
        return;
    size_t ml = strlen(err->msg);
    if (ml > sizeof m - (size_t)k - 1)
        ml = sizeof m - (size_t)k - 1;
    memcpy(m + k, err->msg, ml);
    m[k + ml] = 0;
    memcpy(err->msg, m, sizeof m);
}

/* `load FILE... replace`: the word may also name a file, so only the
 * last word after at least one file counts. */
static int cmd_load(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    int rc = SP_CMD_OK, n = t->n, saved = s->load_replace;
    if (n > 2 && strcasecmp(t->v[n - 1].s, "replace") == 0) {
        s->load_replace = 1;
        n--;
    }
    for (int i = 1; i < n && rc == SP_CMD_OK; i++) {
        rc = sp_exec_file(s, t->v[i].s, file, 1, err);
        if (rc)
            prefix_place(err, file, &t->v[i]);
    }
    s->load_replace = saved;
    return rc;
}

static int cmd_use(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    sp_scenario *sc;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    int rc = sp_exec_file(s, t->v[1].s, file, 0, err);
    if (rc)
        prefix_place(err, file, &t->v[1]);
    return rc;
}

static int cmd_roster(sp_session *s, const sp_tokens *t, const char *file,
                      sp_error *err)
{
    sp_scenario *sc;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    if (sp_scenario_roster_file(sc, t->v[1].s, file, err) == SP_OK)
        return SP_CMD_OK;
    prefix_place(err, file, &t->v[1]);
    return SP_CMD_BAD;
}

/* Whether path holds something `save` did not write: a file that does
 * not begin with the canonical header (a hand-written plan, with its
 * comments and `use`, or any other file). */
static int foreign_file(const char *path)
{
    struct stat st;
    /* devices and directories: the write itself says why not */
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char line[128] = "";
    if (!fgets(line, sizeof line, f))
        line[0] = 0;
    fclose(f);
    return strncmp(line, SP_SAVE_HEADER, strlen(SP_SAVE_HEADER)) != 0;
}

static int cmd_save(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    sp_scenario *sc;
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    int replace = t->n > 2;
    if (replace && strcasecmp(t->v[2].s, "replace") != 0) {
        sp_loc l = tloc(file, &t->v[2]);
        sp_error_set(err, SP_ERR_PARSE, &l, t->v[2].col,
                     "expected `replace` or nothing after the file, found '%s'",
                     t->v[2].s);
        return SP_CMD_BAD;
    }
    char *path = sp_path_expand(t->v[1].s);
    if (!path)
        return bad(err, sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"));
    if (!replace && foreign_file(path)) {
        sp_loc l = tloc(file, &t->v[1]);
        sp_error_set(err, SP_ERR_INVALID, &l, t->v[1].col,
                     "%s exists and was not written by `save` (its comments "
                     "and `use` would be lost): `save %s replace` overwrites "
                     "it", t->v[1].s, t->v[1].s);
        free(path);
        return SP_CMD_BAD;
    }
    if (s->dry) {
        free(path);
        return SP_CMD_OK;
    }
    sp_error v = {0};
    if (sp_scenario_validate(sc, NULL, &v)) {
        fflush(s->out);
        fprintf(s->err, "warning: saving scenario %s, which is not complete "
                        "yet: %s\n", sc->name, v.msg);
    }
    if (sp_scenario_save(sc, path, err)) {
        free(path);
        return SP_CMD_RUNFAIL;
    }
    free(path);
    s->e[s->cur].saved_version = sc->version;
    fprintf(s->out, "saved scenario %s to %s\n", sc->name, t->v[1].s);
    return SP_CMD_OK;
}

static int cmd_diff(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    int a = scenario_by_token(s, &t->v[1], file, err);
    if (a < 0)
        return SP_CMD_BAD;
    int b = scenario_by_token(s, &t->v[2], file, err);
    if (b < 0)
        return SP_CMD_BAD;
    const sp_scenario *A = s->e[a].sc, *B = s->e[b].sc;
    int ndiff = 0;
    fprintf(s->out, "%-28s %-24s %s\n", "parameter", A->name, B->name);
    if (strcmp(A->title, B->title) != 0) {
        fprintf(s->out, "%-28s \"%s\"%*s \"%s\"\n", "(title)", A->title,
                (int)(strlen(A->title) < 22 ? 22 - strlen(A->title) : 0), "", B->title);
        ndiff++;
    }
    for (int i = 0; i < sp_nparams; i++) {
        if (sp_params[i].scope != SP_SCOPE_GLOBAL)
            continue;
        sp_pref p = {i, -1};
        char *va = sp_scenario_value_text(A, p), *vb = sp_scenario_value_text(B, p);
        if (va && vb && strcmp(va, vb) != 0) {
            fprintf(s->out, "%-28s %-24s %s\n", sp_params[i].name, va, vb);
            ndiff++;
        }
        free(va);
        free(vb);
    }
    /* roles in either scenario, in A's order then B's new ones */
    for (int pass = 0; pass < 2; pass++) {
        const sp_scenario *X = pass ? B : A, *Y = pass ? A : B;
        for (int r = 0; r < X->nroles; r++) {
            const char *id = X->roles[r].id;
            int ry = sp_role_find(Y, id);
            if (ry < 0) {
                fprintf(s->out, "%-28s %-24s %s\n", id, pass ? "(no such role)" : sp_kind_name(X->roles[r].kind),
                        pass ? sp_kind_name(X->roles[r].kind) : "(no such role)");
                ndiff++;
                continue;
            }
            if (pass)
                continue;
            int rb = ry;
            if (X->roles[r].kind != Y->roles[ry].kind) {
                char name[80];
                snprintf(name, sizeof name, "%s (kind)", id);
                fprintf(s->out, "%-28s %-24s %s\n", name, sp_kind_name(X->roles[r].kind),
                        sp_kind_name(Y->roles[ry].kind));
                ndiff++;
            }
            if (strcmp(X->roles[r].title, Y->roles[ry].title) != 0) {
                char name[80];
                snprintf(name, sizeof name, "%s (title)", id);
                fprintf(s->out, "%-28s \"%s\"%*s \"%s\"\n", name, X->roles[r].title,
                        (int)(strlen(X->roles[r].title) < 22 ? 22 - strlen(X->roles[r].title) : 0),
                        "", Y->roles[ry].title);
                ndiff++;
            }
            for (int i = 0; i < sp_nparams; i++) {
                if (sp_params[i].scope != SP_SCOPE_ROLE)
                    continue;
                int ia = sp_param_applies(A, i, r), ib = sp_param_applies(B, i, rb);
                if (!ia && !ib)
                    continue;
                char *va = ia ? sp_scenario_value_text(A, (sp_pref){i, r}) : strdup("-");
                char *vb = ib ? sp_scenario_value_text(B, (sp_pref){i, rb}) : strdup("-");
                if (va && vb && strcmp(va, vb) != 0) {
                    char name[80];
                    snprintf(name, sizeof name, "%s.%s", id, sp_params[i].name);
                    fprintf(s->out, "%-28s %-24s %s\n", name, va, vb);
                    ndiff++;
                }
                free(va);
                free(vb);
            }
        }
    }
    if (!ndiff)
        fprintf(s->out, "(no differences)\n");
    return SP_CMD_OK;
}

/* role >= 0: that role's parameters only */
static void show_params(sp_session *s, const sp_scenario *sc, int role)
{
    fprintf(s->out, "# scenario %s%s%s%s\n", sc->name, sc->title[0] ? " \"" : "",
            sc->title, sc->title[0] ? "\"" : "");
    for (int i = 0; i < sp_nparams && role < 0; i++)
        if (sp_params[i].scope == SP_SCOPE_GLOBAL)
            print_param(s, sc, (sp_pref){i, -1});
    for (int r = 0; r < sc->nroles; r++) {
        if (role >= 0 && r != role)
            continue;
        fprintf(s->out, "\n# role %s %s%s%s%s\n", sc->roles[r].id,
                sp_kind_name(sc->roles[r].kind), sc->roles[r].title[0] ? " \"" : "",
                sc->roles[r].title, sc->roles[r].title[0] ? "\"" : "");
        for (int i = 0; i < sp_nparams; i++)
            if (sp_param_applies(sc, i, r))
                print_param(s, sc, (sp_pref){i, r});
    }
}

static int need_results(sp_session *s, sp_entry **e, sp_error *err)
{
    if (s->cur < 0 || !s->e[s->cur].res) {
        sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                     "no results yet for this scenario: `run` first");
        return -1;
    }
    *e = &s->e[s->cur];
    if (is_stale(*e))
        fprintf(s->out, "note: parameters changed since the last run; these "
                        "results are stale (`run` again)\n");
    return 0;
}

static int role_arg(const sp_scenario *sc, const sp_token *k, const char *file,
                    sp_error *err)
{
    int role = sp_role_find(sc, k->s);
    if (role < 0) {
        sp_loc l = tloc(file, k);
        sp_error_set(err, SP_ERR_UNKNOWN, &l, k->col,
                     "expected a role of scenario %s, found '%s'", sc->name, k->s);
    }
    return role;
}

static int extra_word(const sp_tokens *t, int i, const char *file, const char *what,
                      sp_error *err)
{
    sp_loc l = tloc(file, &t->v[i]);
    sp_error_set(err, SP_ERR_PARSE, &l, t->v[i].col, "expected %s, found '%s'",
                 what, t->v[i].s);
    return SP_CMD_BAD;
}

/* `show reps [ROLE] [in A B ...]` */
static int show_reps(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err)
{
    sp_entry *e;
    int in = t->n > 3 && strcasecmp(t->v[3].s, "in") == 0;
    if (t->n > 3 && !in)
        return extra_word(t, 3, file, "`in SCENARIO...` or end of statement", err);
    if (!in) {
        if (need_results(s, &e, err))
            return SP_CMD_BAD;
        int role = t->n > 2 ? role_arg(e->sc, &t->v[2], file, err) : -1;
        if (t->n > 2 && role < 0)
            return SP_CMD_BAD;
        sp_report_reps(s->out, e->res, role, s->width);
        return SP_CMD_OK;
    }
    if (t->n < 5) {
        sp_loc l = tloc(file, &t->v[3]);
        sp_error_set(err, SP_ERR_USAGE, &l, t->v[3].col,
                     "expected scenarios after 'in' (show reps ROLE in A B)");
        return SP_CMD_BAD;
    }
    int n = t->n - 4, roles[64];
    const sp_results *rs[64];
    if (n > 64)
        return extra_word(t, 4 + 64, file, "at most 64 scenarios", err);
    for (int k = 0; k < n; k++) {
        const sp_token *w = &t->v[4 + k];
        int i = scenario_by_token(s, w, file, err);
        if (i < 0)
            return SP_CMD_BAD;
        if (!s->e[i].res) {
            sp_loc l = tloc(file, w);
            sp_error_set(err, SP_ERR_USAGE, &l, w->col,
                         "no results yet for scenario %s: `run` it first", w->s);
            return SP_CMD_BAD;
        }
        if ((roles[k] = role_arg(s->e[i].sc, &t->v[2], file, err)) < 0)
            return SP_CMD_BAD;
        if (is_stale(&s->e[i]))
            sp_table_notef(s->out, "note: scenario %s changed since its run; "
                           "its results are stale\n", w->s);
        rs[k] = s->e[i].res;
    }
    sp_report_reps_side(s->out, rs, roles, n, s->width, s->color);
    return SP_CMD_OK;
}

static int cmd_show(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    const char *what = t->v[1].s;
    sp_entry *e;
    sp_scenario *sc;
    if (s->dry)
        return SP_CMD_OK;
    if (strcasecmp(what, "params") == 0) {
        if (need_scenario(s, &sc, err))
            return SP_CMD_BAD;
        if (t->n > 3)
            return extra_word(t, 3, file, "end of statement after the role", err);
        int role = t->n > 2 ? role_arg(sc, &t->v[2], file, err) : -1;
        if (t->n > 2 && role < 0)
            return SP_CMD_BAD;
        show_params(s, sc, role);
        return SP_CMD_OK;
    }
    if (strcasecmp(what, "summary") == 0) {
        /* `show summary by quarter [ROLE]`: the fiscal quarters as columns */
        int q = t->n > 3 && !strcmp(t->v[2].s, "by") && !strcmp(t->v[3].s, "quarter"), a = q ? 4 : 2;
        if (t->n > a + 1)
            return extra_word(t, a + 1, file, "end of statement after the role", err);
        if (need_results(s, &e, err))
            return SP_CMD_BAD;
        int role = t->n > a ? role_arg(e->sc, &t->v[a], file, err) : -1;
        if (t->n > a && role < 0)
            return SP_CMD_BAD;
        (q ? sp_report_summary_quarters : sp_report_summary_role)(s->out, e->res, role, s->width, s->color);
        return SP_CMD_OK;
    }
    if (strcasecmp(what, "reps") == 0)
        return show_reps(s, t, file, err);
    int m = sp_metric_lookup(what);
    if (m < 0) {
        sp_loc l = tloc(file, &t->v[1]);
        const char *best = sp_metric_suggest(what);
        if (best)
            sp_error_set(err, SP_ERR_UNKNOWN, &l, t->v[1].col,
                         "unknown metric '%s'; did you mean '%s'?", what, best);
        else
            sp_error_set(err, SP_ERR_UNKNOWN, &l, t->v[1].col,
                         "expected params, summary, reps or a metric (bookings, "
                         "cost, headcount, ...), found '%s'", what);
        return SP_CMD_BAD;
    }
    if (need_results(s, &e, err))
        return SP_CMD_BAD;
    int by = m >= SP_M_NMONTHLY ? 12 : 1, role = -1;
    for (int i = 2; i < t->n; i++) {
        const sp_token *k = &t->v[i];
        sp_loc l = tloc(file, k);
        if (strcmp(k->s, "by") == 0) {
            if (i + 1 >= t->n) {
                sp_error_set(err, SP_ERR_PARSE, &l, k->col,
                             "expected month, quarter or year after 'by'");
                return SP_CMD_BAD;
            }
            const char *w = t->v[++i].s;
            by = !strcmp(w, "month") ? 1 : !strcmp(w, "quarter") ? 3 : !strcmp(w, "year") ? 12 : 0;
            if (!by) {
                sp_loc l2 = tloc(file, &t->v[i]);
                sp_error_set(err, SP_ERR_PARSE, &l2, t->v[i].col,
                             "expected month, quarter or year, found '%s'", w);
                return SP_CMD_BAD;
            }
        } else if ((role = sp_role_find(e->sc, k->s)) < 0) {
            sp_error_set(err, SP_ERR_UNKNOWN, &l, k->col,
                         "expected 'by' or a role of scenario %s, found '%s'",
                         e->sc->name, k->s);
            return SP_CMD_BAD;
        }
    }
    if (m >= SP_M_NMONTHLY && by == 1) {
        sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                     "%s is a ratio of period sums: use `show %s by quarter` or `by year`",
                     what, what);
        return SP_CMD_BAD;
    }
    sp_report_grid(s->out, e->res, m, role, by, s->width, s->color);
    return SP_CMD_OK;
}

static int parse_count(const sp_token *k, const char *file, const char *what,
                       double lo, double hi, double *out, sp_error *err)
{
    double x;
    sp_loc l = tloc(file, k);
    if (sp_parse_whole(k->s, &x) != 0 || x != (double)(long long)x) {
        sp_error_set(err, SP_ERR_PARSE, &l, k->col,
                     "expected a whole number for %s%s, found '%s'", what,
                     strchr(k->s, '%') ? " (not a percentage)" : "", k->s);
        return -1;
    }
    if (x < lo || x > hi) {
        sp_error_set(err, SP_ERR_RANGE, &l, k->col,
                     "%s must be in [%.0f, %.0f], found %s", what, lo, hi, k->s);
        return -1;
    }
    *out = x;
    return 0;
}

static int cmd_run(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err)
{
    sp_scenario *sc;
    if (t->n > 1 && strcmp(t->v[1].s, "until") == 0)
        return sp_cmd_run_until(s, t, file, err);
    if (need_scenario(s, &sc, err))
        return SP_CMD_BAD;
    double trials = 0, seed = -1;
    for (int i = 1; i < t->n; i++) {
        double x;
        const sp_token *k = &t->v[i];
        int is_trials = strcmp(k->s, "trials") == 0, is_seed = strcmp(k->s, "seed") == 0;
        if ((!is_trials && !is_seed) || i + 1 >= t->n) {
            sp_loc l = tloc(file, k);
            sp_error_set(err, SP_ERR_PARSE, &l, k->col,
                         "expected `trials N` or `seed S`, found '%s'", k->s);
            return SP_CMD_BAD;
        }
        const sp_param *pp = &sp_params[sp_param_find(k->s, SP_SCOPE_GLOBAL)];
        if (parse_count(&t->v[++i], file, k->s, pp->lo, pp->hi, &x, err))
            return SP_CMD_BAD;
        if (is_trials)
            trials = x;
        else
            seed = x;
    }
    if (s->dry)
        return SP_CMD_OK;
    sp_results *r = calloc(1, sizeof *r);
    if (!r)
        return bad(err, sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"));
    sp_job job;
    sp_job_begin(&job, s, sc, "trials", 1, trials, seed);
    sp_status st = sp_job_run(&job, sc, 0, r, err);
    sp_job_end(&job);
    if (st) {
        sp_results_free(r);
        free(r);
        return st == SP_ERR_RUN || st == SP_ERR_NOMEM ? SP_CMD_RUNFAIL : SP_CMD_BAD;
    }
    sp_entry_set_results(&s->e[s->cur], r);
    if (!s->quiet)
        sp_report_summary(s->out, r, s->width, s->color);
    return SP_CMD_OK;
}

/* One rule for every format (stats.h, sp_results_paired): differences
 * only between runs on the same trials and seed; said here, at the prompt,
 * with what was left out. */
static void unpaired_notes(sp_session *s, const char *path,
                           const sp_results *const *rs, int n)
{
    fflush(s->out);
    for (int i = 1; i < n; i++)
        if (!sp_results_paired(rs[0], rs[i]))
            fprintf(s->err, "note: %s leaves out the differences of %s "
                    "against %s: %s ran %d trials with seed %lu, %s %d with "
                    "seed %lu, so they are not paired (`compare %s %s` runs "
                    "them on the same random numbers)\n", path,
                    rs[i]->model.name, rs[0]->model.name, rs[i]->model.name,
                    rs[i]->trials, rs[i]->seed, rs[0]->model.name,
                    rs[0]->trials, rs[0]->seed, rs[0]->model.name,
                    rs[i]->model.name);
}

/* The statements since entry e's run, NULL when its scenario is as it
 * ran (a `set` back to the same value included). */
static char *changes_since_run(const sp_entry *e, int *oom)
{
    *oom = 0;
    if (!e->ran || e->res_version == e->sc->version)
        return NULL;
    return sp_scenario_changes(e->ran, e->sc, oom);
}

/* "set rep.rate 4%; set target 12M" from the lines of changes. */
static void one_line(char *changes)
{
    for (char *p = changes; (p = strchr(p, '\n'));)
        *p = ';';
}

static int cmd_export(sp_session *s, const sp_tokens *t, const char *file,
                      sp_error *err)
{
    (void)file;
    const sp_results *rs[256];
    const sp_scenario *scs[256];
    char *changed[256];
    int n = 0, order[256], oom = 0, rc = SP_CMD_OK;
    if (s->dry)
        return sp_export_known(t->v[1].s, err) ? SP_CMD_OK : SP_CMD_BAD;
    /* compared scenarios first: the first is the differences' reference */
    int norder = sp_session_export_order(s, order, 256);
    for (int k = 0; k < norder; k++) {
        const sp_entry *e = &s->e[order[k]];
        if (!e->res)
            continue;
        /* The assumptions written are those of the run; a scenario
         * changed since is marked with what changed. */
        int o;
        scs[n] = e->ran;
        changed[n] = changes_since_run(e, &o);
        oom |= o;
        rs[n++] = e->res;
    }
    char *path = sp_path_expand(t->v[1].s);
    if (!path)
        oom = 1;
    if (oom) {
        sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        rc = SP_CMD_RUNFAIL;
    } else if (!n && !sp_export_has_findings(path, &s->findings)) {
        sp_error_set(err, SP_ERR_USAGE, NULL, 0, "nothing to export: `run` a scenario first");
        rc = SP_CMD_BAD;
    } else {
        unpaired_notes(s, t->v[1].s, rs, n);
        if (sp_export_file(path, scs, rs, (const char *const *)changed, n,
                           &s->findings, err)) {
            rc = err->status == SP_ERR_USAGE ? SP_CMD_BAD : SP_CMD_RUNFAIL;
        } else {
            if (!s->quiet)
                fprintf(s->out, "wrote %s (%d scenario%s)\n", t->v[1].s, n,
                        n == 1 ? "" : "s");
            fflush(s->out);
            for (int i = 0; i < n; i++)
                if (changed[i]) {
                    one_line(changed[i]);
                    fprintf(s->err, "note: %s: results are from before `%s` "
                            "(the export has the assumptions of the run; "
                            "`run` again for the scenario as it is)\n",
                            rs[i]->model.name, changed[i]);
                }
        }
    }
    free(path);
    for (int i = 0; i < n; i++)
        free(changed[i]);
    return rc;
}

int sp_quit_ok(sp_session *s)
{
    char names[512] = "";
    int n = 0;
    for (int i = 0; i < s->n; i++)
        if (sp_entry_dirty(&s->e[i])) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", n ? ", " : "",
                     s->e[i].sc->name);
            n++;
        }
    if (!n)
        return 1;
    char q[700];
    snprintf(q, sizeof q, "unsaved changes in scenario%s %s (`save FILE` keeps "
             "them); quit anyway?", n == 1 ? "" : "s", names);
    if (s->confirm)
        return s->confirm(s, q);
    fflush(s->out);
    fprintf(s->err, "warning: quitting with unsaved changes in scenario%s %s\n",
            n == 1 ? "" : "s", names);
    return 1;
}

static int cmd_quit(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    (void)t, (void)file, (void)err;
    /* `quit` in a file ends that file only: nothing to ask */
    if (s->depth > 0 || sp_quit_ok(s))
        return SP_CMD_QUIT;
    return SP_CMD_OK;
}

static const char *kinds_words(unsigned kinds)
{
    switch (kinds) {
    case SP_K_QUOTA: return "quota roles";
    case SP_K_SUPPORT: return "support roles";
    case SP_K_MANAGER: return "manager roles";
    default: return "every role";
    }
}

static void help_param(sp_session *s, int i)
{
    const sp_param *p = &sp_params[i];
    fprintf(s->out, "%s%s — %s\n", p->scope == SP_SCOPE_ROLE ? "ROLE." : "",
            p->name, p->help);
    const char *unit = p->unit ? sp_unit_name(p->unit)
                       : p->type == SP_T_ENUM ? p->enums
                       : p->type == SP_T_DIST ? "distribution" : "-";
    fprintf(s->out, "  unit:    %s%s\n", unit,
            p->type == SP_T_DIST && p->unit ? " (a distribution)" : "");
    if (p->scope == SP_SCOPE_ROLE)
        fprintf(s->out, "  applies: %s\n", kinds_words(p->kinds));
    const sp_value *d = sp_param_default(i);
    char *dt = d->type != SP_T_NONE ? sp_format_value(d, p->unit, p->unit2, p->enums) : NULL;
    if (dt && p->def_note)
        fprintf(s->out, "  default: %s (%s)\n", dt, p->def_note);
    else
        fprintf(s->out, "  default: %s\n", dt ? dt : p->def_note ? p->def_note : "none");
    free(dt);
    if (p->type == SP_T_NUM || p->type == SP_T_INT || p->type == SP_T_NUMLIST) {
        char lo[32], hi[32];
        int pct = p->unit == SP_U_PERCENT;
        sp_format_exact(p->lo * (pct ? 100 : 1), lo);
        sp_format_exact(p->hi * (pct ? 100 : 1), hi);
        fprintf(s->out, "  range:   %s%s%s, %s%s%s\n",
                (p->flags & SP_PF_LO_OPEN) ? "(" : "[", lo, pct ? "%" : "",
                hi, pct ? "%" : "", (p->flags & SP_PF_HI_OPEN) ? ")" : "]");
    }
}

/* Words of text, folded at spaces so that no line passes width (a word
 * longer than a line stays whole); lines after the first start at column
 * indent, the first where the caller left the cursor (at column col). */
static void fold(FILE *f, const char *text, size_t len, int col, int indent,
                 int width)
{
    size_t i = 0;
    int first = 1;
    while (i < len) {
        while (i < len && text[i] == ' ')
            i++;
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        if (j == i)
            break;
        char word[512];
        snprintf(word, sizeof word, "%.*s", (int)(j - i), text + i);
        int w = sp_text_width(word);
        if (!first && width > 0 && col + 1 + w > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
            first = 1;
        }
        fprintf(f, "%s%s", first ? "" : " ", word);
        col += w + !first;
        first = 0;
        i = j;
    }
    fputc('\n', f);
}

/* Help text as paragraphs that fit the terminal: lines of a paragraph are
 * joined and folded again at the width; a blank line separates
 * paragraphs; a line starting with two spaces (an example) is kept as it
 * is. */
static void print_help_text(sp_session *s, const char *text, int indent)
{
    char para[4096];
    size_t pl = 0;
    for (const char *p = text;;) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        int verbatim = ll >= 2 && p[0] == ' ' && p[1] == ' ';
        if (ll && !verbatim && pl + ll + 1 < sizeof para) {
            para[pl++] = ' ';
            memcpy(para + pl, p, ll);
            pl += ll;
        }
        if (ll == 0 || verbatim || !nl) {
            if (pl) {
                fprintf(s->out, "%*s", indent, "");
                fold(s->out, para, pl, indent, indent, s->width);
                pl = 0;
            }
            if (verbatim)
                fprintf(s->out, "%*s%.*s\n", indent, "", (int)ll, p);
            else if (nl)
                fputc('\n', s->out);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* `help metrics`: every metric with its one line of meaning. */
static void help_metrics(sp_session *s)
{
    print_help_text(s, "Metrics: what `show METRIC` prints and what `sweep`, "
                    "`tornado` and `goalseek` take after `metric`/`for` "
                    "(METRIC.ROLE: one role's share):", 0);
    for (int m = 0; m <= SP_M_NPERIOD + 1; m++) {
        int pb = m > SP_M_NPERIOD, id = pb ? SP_METRIC_P_BUDGET : m == SP_M_NPERIOD ? SP_METRIC_P_TARGET : m;
        const sp_metric_info *mi = sp_metric_info_of(id);
        if (!mi)
            continue;
        const char *name = pb ? "p(budget)" : m == SP_M_NPERIOD ? "p(target)" : mi->name;
        char line[512];
        snprintf(line, sizeof line, "%s — %s%s", mi->label, mi->help,
                 pb ? " (per fiscal year)" : m >= SP_M_NMONTHLY ? " (per fiscal year and quarter)" : "");
        fprintf(s->out, "  %-18s ", name);
        fold(s->out, line, strlen(line), 21, 21, s->width);
    }
}

static int cmd_help(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    if (t->n == 1) {
        const char *group = "";
        for (int i = 0; i < sp_ncommands; i++) {
            const sp_command *c = &sp_commands[i];
            if (strcmp(c->group, group) != 0) {
                group = c->group;
                fprintf(s->out, "%s%s:\n", i ? "\n" : "", group);
            }
            /* a usage too wide for its column puts the text below it */
            if (sp_text_width(c->usage) > 30 || s->width < 60) {
                fprintf(s->out, "  %s\n%*s", c->usage, 6, "");
                fold(s->out, c->help, strlen(c->help), 6, 6, s->width);
            } else {
                fprintf(s->out, "  %-30s ", c->usage);
                fold(s->out, c->help, strlen(c->help), 33, 33, s->width);
            }
        }
        fprintf(s->out, "\n");
        print_help_text(s, "`help COMMAND` explains one command; `help set "
                        "PARAM` one parameter; `help metrics` lists the "
                        "metrics.", 0);
        return SP_CMD_OK;
    }
    const sp_token *w = &t->v[1];
    sp_loc l = tloc(file, w);
    if (strcasecmp(w->s, "metrics") == 0 && t->n == 2) {
        help_metrics(s);
        return SP_CMD_OK;
    }
    if (strcmp(w->s, "set") == 0 && t->n > 2) {
        const char *name = t->v[2].s, *dot = strchr(name, '.');
        int i = dot ? sp_param_find(dot + 1, SP_SCOPE_ROLE)
                    : sp_param_find(name, SP_SCOPE_GLOBAL);
        if (i < 0 && !dot)
            i = sp_param_find(name, SP_SCOPE_ROLE);
        if (i < 0) {
            const char *base = dot ? dot + 1 : name;
            const char *sug = sp_param_suggest(base, dot ? SP_SCOPE_ROLE : SP_SCOPE_GLOBAL);
            sp_loc l2 = tloc(file, &t->v[2]);
            if (sug)
                sp_error_set(err, SP_ERR_UNKNOWN, &l2, t->v[2].col,
                             "unknown parameter '%s'; did you mean '%.*s%s'?", name,
                             dot ? (int)(dot - name + 1) : 0, name, sug);
            else
                sp_error_set(err, SP_ERR_UNKNOWN, &l2, t->v[2].col,
                             "unknown parameter '%s'", name);
            return SP_CMD_BAD;
        }
        help_param(s, i);
        return SP_CMD_OK;
    }
    for (int i = 0; i < sp_ncommands; i++) {
        const sp_command *c = &sp_commands[i];
        if (strcasecmp(c->name, w->s) == 0) {
            fprintf(s->out, "usage: %s\n\n", c->usage);
            print_help_text(s, c->help, 0);
            if (c->example) {
                fprintf(s->out, "\nexample:\n");
                /* the first line of an example is a statement too */
                const char *nl = strchr(c->example, '\n');
                fprintf(s->out, "  %.*s\n", nl ? (int)(nl - c->example)
                                               : (int)strlen(c->example), c->example);
                if (nl)
                    print_help_text(s, nl + 1, 0);
            }
            return SP_CMD_OK;
        }
    }
    sp_error_set(err, SP_ERR_UNKNOWN, &l, w->col,
                 "no help for '%s' (`help` lists the commands)", w->s);
    return SP_CMD_BAD;
}

const sp_command sp_commands[] = {
    {"scenario", "scenarios", "scenario NAME [\"TITLE\"]",
     "switch to a scenario, creating it when new", "scenario lean \"Lean team\"",
     1, 2, cmd_scenario},
    {"scenarios", "scenarios", "scenarios", "list the scenarios of the session",
     NULL, 0, 0, cmd_scenarios},
    {"load", "scenarios", "load FILE... [replace]",
     "run a file's statements into a new scenario (named by its `scenario` "
     "statement, else after the file)",
     "load scenarios/baseline.plan\n\nA scenario of the same name is "
     "replaced (`undo` brings it back); when it has changes no file\nholds, "
     "the load is refused unless `replace` ends the statement.", 1, -1, cmd_load},
    {"use", "scenarios", "use FILE",
     "run a file's statements into the current scenario (paths relative to "
     "the including file)", "use ../models/small-team.model", 1, 1, cmd_use},
    {"copy", "scenarios", "copy NAME [\"TITLE\"]",
     "duplicate the current scenario under a new name and switch to it",
     "copy staggered", 1, 2, cmd_copy},
    {"save", "scenarios", "save FILE [replace]",
     "write the current scenario as a canonical script that loads back "
     "identically",
     "save my-plan.plan\n\nA file that `save` did not write (one without "
     "its header line, such as a hand-written plan)\nis not overwritten "
     "unless `replace` follows the name.", 1, 2, cmd_save},
    {"diff", "scenarios", "diff A B", "parameters that differ between two scenarios",
     "diff baseline lean", 2, 2, cmd_diff},
    {"role", "parameters", "role ID quota|support|manager [\"TITLE\"]",
     "declare a role of the current scenario", "role ae quota \"Account Executive\"",
     2, 3, cmd_role},
    {"roster", "parameters", "roster FILE.csv",
     "take roles' starting staff from a CSV of real people (columns role, "
     "hired, and optionally id, capacity or attainment, quota, "
     "period_bookings, period_quota)",
     "roster team.csv\n\nThe path is relative to the file that names it; "
     "several rosters append.", 1, 1, cmd_roster},
    {"set", "parameters", "set PARAM VALUE...",
     "change a parameter (global, or ROLE.PARAM)", "set ae.quota 900k", 1, -1, cmd_set},
    {"unset", "parameters", "unset PARAM...", "reset parameters to their defaults",
     "unset ae.cap", 1, -1, cmd_unset},
    {"get", "parameters", "get PARAM...", "print parameters' values", "get ae.ote",
     1, -1, cmd_get},
    {"run", "results", "run [trials N] [seed S] | run until se(M) < X",
     "simulate the current scenario and print the summary panel (until: to a "
     "precision)",
     "run trials 20000 seed 7\n  run until se(bookings) < 50k\n"
     "  run until rse(cost.ae) < 0.5% trials 200000\n\n"
     "`until` runs 1,000 trials, then doubles them (skipping sizes the last "
     "run shows too small) until the standard\nerror of M's mean over the "
     "horizon (rse: relative to the mean) is below X, at most 1,000,000 "
     "trials or\n`trials N`; it reports the trials used and fails (status 1) "
     "when the bound is not reached.", 0, -1, cmd_run},
    {"show", "results",
     "show params|summary [by quarter] [ROLE] | reps [ROLE [in A B...]] | METRIC [by month|quarter|year] [ROLE]",
     "print parameters, the summary, rep outcomes or a metric as a grid",
     "show bookings by quarter ae\n  show params ae\n  show reps ae in baseline upfront\n\n"
     "With a ROLE, params and summary keep to that role's rows; `reps ROLE in "
     "A B` puts the role's\noutcomes over each scenario's horizon side by side.",
     1, -1, cmd_show},
    {"export", "results", "export FILE.xlsx|FILE.json|FILE.csv",
     "write the results of every scenario run in the session (a workbook, "
     "JSON or tidy CSV, by the extension)", "export plan.xlsx",
     1, 1, cmd_export},
    {"compare", "results", "compare A B... [trials N] [seed S]",
     "scenarios side by side on the same random numbers, with paired "
     "differences against the first",
     "compare baseline lean\n\n"
     "Every scenario runs with the first one's trials and seed (or the "
     "options); the results replace each scenario's\nlast run, and `export` "
     "writes them first, in this order, with the differences.",
     2, -1, sp_cmd_compare},
    {"sweep", "results",
     "sweep PARAM FROM TO step S [by PARAM FROM TO step S] [metric M] [trials N]",
     "one parameter over a range (two: a grid) on copies of the current "
     "scenario",
     "sweep ae.ote 120k 160k step 10k metric cost\n"
     "  sweep ae.rate 2% 6% step 0.5% metric cos FY2027 trials 2000\n"
     "  sweep ae.headcount 8 14 step 2 by ae.quota 800k 1.2M step 100k\n\n"
     "Each point runs with the scenario's trials and seed: P10, P50, P90 and "
     "mean of M, and a sparkline of the P50.\nM is METRIC or METRIC.ROLE "
     "(bookings, cost, cos, contribution, headcount, ...) or p(target), "
     "optionally\nfollowed by a period (FY2027 or total; default: the horizon "
     "total, for p(target) the first fiscal year)\nand a statistic (mean, "
     "p10, p50, p90; used by tornado and goalseek, default p50).  Values are "
     "read in the\nparameter's unit; a distribution's mean moves (attainment: "
     "its location), a ramp's length, a single\nhires entry's count.  The "
     "current scenario is left unchanged.",
     5, -1, sp_cmd_sweep},
    {"tornado", "results", "tornado [metric M] [swing X%] [trials N]",
     "each input moved low and high, M's swing charted, largest first",
     "tornado\n  tornado metric cos FY2027 swing 10% trials 2000\n\n"
     "Inputs (those set or non-zero that apply): headcount, hires, quota, "
     "attainment (its location), attrition,\nramp (its length), time_to_fill, "
     "volatility, market_volatility, rate, ote, target_incentive, base,\n"
     "tiers (every multiplier), cap, bonus, pool rates, award, draw and "
     "guarantee amounts.\nEach is scaled by 1 - X and 1 + X "
     "(default 20%); whole numbers move by at\nleast one; an end outside the "
     "parameter's range is clamped and marked *.  M as in `help sweep`.",
     0, -1, sp_cmd_tornado},
    {"goalseek", "results",
     "goalseek PARAM for METRIC [STAT] = VALUE [trials N]",
     "find the value of PARAM that meets a goal and set it",
     "goalseek ae.rate for cos = 12%\n"
     "  goalseek ae.headcount for bookings FY2028 = 14M\n"
     "  goalseek ae.quota for p(target) FY2027 = 80% trials 2000\n\n"
     "Like a spreadsheet's Goal Seek: sets PARAM in the current scenario and "
     "prints it with the metric reached.\nA continuous PARAM: Brent's method "
     "on a bracket grown from its value within its range, until the\nmetric "
     "is within 1e-4 of the goal (relative).  A whole number (headcount, span, "
     "a single hires entry's\ncount): the metric must cross the goal between two values in range; "
     "the answer is the smallest\nvalue whose metric is at or above the goal "
     "when the metric rises with PARAM, at or below it when it\nfalls.  Every evaluation runs the scenario's trials and seed "
     "(or `trials N`).\nWhen no value in range meets the goal it says so, "
     "changes nothing and fails (status 1).\nMETRIC and STAT as in `help "
     "sweep` (default P50; the horizon total, p(target): the first fiscal "
     "year).",
     4, -1, sp_cmd_goalseek},
    {"help", "session", "help [COMMAND | set PARAM]",
     "list the commands, explain one, or explain a parameter", "help set ae.quota",
     0, 2, cmd_help},
    {"undo", "session", "undo",
     "take back the last change to the scenarios (set, unset, role, copy, "
     "load, use, goalseek, ...)",
     "undo\n\nEach `undo` goes one change further back, up to 100 changes. "
     "A scenario that comes back gets its results\nback when they were made "
     "from that state; a scenario created since goes.", 0, 0, sp_cmd_undo},
    {"mode", "session", "mode [table|csv|markdown|json]",
     "how `show`, `compare` and the analysis commands print their tables",
     "mode csv\n\nLike sqlite3's .mode: csv prints a header line and a line "
     "a row, numbers in full (no currency sign,\nno rounding, fractions for "
     "percentages); markdown a table with its title in bold; json one object "
     "a table\na line: {\"title\", \"columns\", \"rows\"}.  Titles and notes "
     "are left out in csv.  Without a word: the current mode.", 0, 1, sp_cmd_mode},
    {"output", "session", "output [FILE]",
     "send printed results to FILE (truncated), or back to the terminal",
     "output results.csv\n\nLike sqlite3's .output: errors, warnings and the "
     "progress bar stay on the terminal.", 0, 1, sp_cmd_output},
    {"timing", "session", "timing [on|off]",
     "print how long each statement took", "timing on", 0, 1, sp_cmd_timing},
    {"quit", "session", "quit", "leave (also Ctrl-D)", NULL, 0, 0, cmd_quit},
    {"exit", "session", "exit", "leave (same as quit)", NULL, 0, 0, cmd_quit},
};

const int sp_ncommands = (int)(sizeof sp_commands / sizeof sp_commands[0]);

/* ---- execution ---- */

/* The statements `check` reads but does not run (session.h, dry). */
static int dry_skipped(const char *name)
{
    static const char *const words[] = {"run", "show", "export", "save",
                                        "compare", "sweep", "tornado",
                                        "goalseek"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(name, words[i]) == 0)
            return 1;
    return 0;
}

int sp_exec_statement(sp_session *s, const sp_tokens *t, const char *file,
                      sp_error *err)
{
    const sp_token *w = &t->v[0];
    sp_loc l = tloc(file, w);
    for (int i = 0; i < sp_ncommands; i++) {
        const sp_command *c = &sp_commands[i];
        /* keywords are not case-sensitive (SET, Show) */
        if (strcasecmp(c->name, w->s) != 0)
            continue;
        int nargs = t->n - 1;
        if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args)) {
            sp_error_set(err, SP_ERR_USAGE, &l, w->col, "usage: %s", c->usage);
            return SP_CMD_BAD;
        }
        int rc = c->fn(s, t, file, err);
        if (rc == SP_CMD_OK && s->dry && dry_skipped(c->name))
            fprintf(s->out, "%s:%d: `%s` checked, not run (check runs "
                            "nothing and writes nothing)\n", file, w->line, c->name);
        return rc;
    }
    sp_nearest nr;
    sp_nearest_init(&nr, w->s, 2);
    for (int i = 0; i < sp_ncommands; i++)
        sp_nearest_try(&nr, sp_commands[i].name);
    const char *best = nr.best;
    if (best)
        sp_error_set(err, SP_ERR_UNKNOWN, &l, w->col,
                     "unknown command '%s'; did you mean '%s'?", w->s, best);
    else
        sp_error_set(err, SP_ERR_UNKNOWN, &l, w->col,
                     "unknown command '%s' (`help` lists the commands)", w->s);
    return SP_CMD_BAD;
}

static int worse(int a, int b)
{
    return a > b ? a : b;
}

/* The text of the statement that ends at end, from its first word, as
 * typed (continuations and all): what --echo prints. */
static void echo_statement(sp_session *s, const char *text, size_t from,
                           size_t end)
{
    while (from < end) {
        from += strspn(text + from, " \t\r\n;");
        if (text[from] != '#')
            break;
        from += strcspn(text + from, "\n");
    }
    while (end > from && strchr(" \t\r\n;", text[end - 1]))
        end--;
    if (end <= from)
        return;
    const char *name = s->cur >= 0 ? s->e[s->cur].sc->name : NULL;
    fprintf(s->out, "salesplan%s%s%s> %.*s\n", name ? "[" : "", name ? name : "",
            name ? "]" : "", (int)(end - from), text + from);
    fflush(s->out);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A statement typed or given as input (not one of a file being loaded):
 * it can be undone, echoed and timed. */
static int exec_top(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err)
{
    sp_undo_rec u;
    int is_undo = strcasecmp(t->v[0].s, "undo") == 0;
    int has_undo = !is_undo && sp_undo_take(s, &u) == 0;
    double t0 = now_seconds();
    sp_table_set_mode(s->mode);
    int c = sp_exec_statement(s, t, file, err);
    if (has_undo) {
        if (c == SP_CMD_OK || c == SP_CMD_QUIT)
            sp_undo_commit(s, &u);
        else
            sp_undo_free(&u);
    }
    if (s->timing) {
        fprintf(s->out, "Time: %.3f s\n", now_seconds() - t0);
    }
    return c;
}

int sp_exec_text(sp_session *s, const char *text, const char *file,
                 int keep_going, sp_error *err)
{
    size_t pos = 0;
    int line = 1, rc = SP_CMD_OK, top = s->depth == 0;
    sp_tokens t = {0};
    /* a byte-order mark written by some editors is not part of the text */
    if ((unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
        (unsigned char)text[2] == 0xbf)
        pos = 3;
    for (;;) {
        sp_error e1 = {0};
        size_t from = pos;
        int r = sp_next_statement(text, &pos, &line, file, &t, &e1);
        if (r == 0)
            break;
        if (top && s->echo)
            echo_statement(s, text, from, pos);
        int c = r < 0 ? SP_CMD_BAD : top ? exec_top(s, &t, file, &e1)
                                         : sp_exec_statement(s, &t, file, &e1);
        if (c == SP_CMD_QUIT) {
            s->quit = 1;
            break;
        }
        if (c != SP_CMD_OK) {
            /* an error of a whole statement (no results yet, a failed
             * export) is placed at the statement */
            if (r > 0 && t.n > 0)
                prefix_place(&e1, file, &t.v[0]);
            if (!keep_going) {
                if (err)
                    *err = e1;
                rc = s->stop && *s->stop ? SP_CMD_INTERRUPTED : c;
                break;
            }
            sp_session_report(s, &e1);
            rc = worse(rc, c);
        }
        /* Ctrl-C ends the text: a script's later `export` or `save` must
         * not run after the user asked it to stop. */
        if (s->stop && *s->stop) {
            rc = SP_CMD_INTERRUPTED;
            break;
        }
        if (s->quit)
            break;
    }
    sp_tokens_free(&t);
    fflush(s->out);
    return rc;
}

/* A load that would replace a scenario with edits no file holds is
 * refused: `load FILE replace` says to go ahead. */
static int unsaved_namesake(sp_session *s, int i, const char *path, sp_error *err)
{
    const char *name = s->e[i].sc->name;
    for (int k = 0; k < s->n; k++)
        if (k != i && strcmp(s->e[k].sc->name, name) == 0 && sp_entry_dirty(&s->e[k])) {
            sp_error_set(err, SP_ERR_INVALID, NULL, 0,
                         "loading %s would replace scenario %s, which has "
                         "unsaved changes: `save FILE` them first, or `load "
                         "%s replace`", path, name, path);
            return 1;
        }
    return 0;
}

int sp_exec_file(sp_session *s, const char *path, const char *from,
                 int as_load, sp_error *err)
{
    char *full = sp_path_resolve(path, from);
    if (!full)
        return bad(err, sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"));
    int rc = SP_CMD_OK;
    char *text = NULL, *real = NULL, *name = NULL;
    sp_snapshot sn = {0};
    int top = s->depth == 0, saved_entry = s->load_entry, saved_named = s->load_named;
    if (s->depth >= SP_MAX_DEPTH) {
        sp_error_set(err, SP_ERR_INVALID, NULL, 0,
                     "'%s': files nested more than %d deep", full, SP_MAX_DEPTH);
        rc = SP_CMD_BAD;
        goto out;
    }
    if (!(text = sp_read_text_file(full, err))) {
        rc = SP_CMD_BAD;
        goto out;
    }
    real = realpath(full, NULL);
    for (int i = 0; real && i < s->depth; i++)
        if (strcmp(s->stack[i], real) == 0) {
            sp_error_set(err, SP_ERR_INVALID, NULL, 0,
                         "'%s' includes itself (through %s)", full,
                         i == s->depth - 1 ? "a direct use" : "a cycle of use");
            rc = SP_CMD_BAD;
            goto out;
        }
    if (top && sp_snapshot_take(s, &sn) != 0) {
        sp_snapshot_free(&sn);
        sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        rc = SP_CMD_RUNFAIL;
        goto out;
    }
    if (as_load) {
        if (!(name = sp_path_stem(full))) {
            rc = SP_CMD_BAD;
            goto fail;
        }
        sp_scenario *sc = sp_scenario_new(name, "");
        int i;
        if (!sc || (i = sp_session_add_entry(s, sc)) < 0) {
            sp_scenario_free(sc);
            sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        rc = SP_CMD_RUNFAIL;
            goto fail;
        }
        s->cur = i;
        s->load_entry = i;
        s->load_named = 0;
    }
    s->stack[s->depth++] = real;
    real = NULL;
    rc = sp_exec_text(s, text, full, 0, err);
    free(s->stack[--s->depth]);
    s->quit = 0;    /* `quit` in a file ends that file, not the session */
    if (rc == SP_CMD_OK && as_load) {
        /* A loaded file must describe a whole scenario. */
        sp_warnings w = {0};
        int i = s->load_entry;
        if (!s->load_replace && unsaved_namesake(s, i, full, err)) {
            rc = SP_CMD_BAD;
        } else if (sp_scenario_validate(s->e[i].sc, &w, err)) {
            if (!has_place(err->msg)) {
                char m[sizeof err->msg];
                size_t fl = strlen(full);
                if (fl + 2 < sizeof m) {
                    memcpy(m, full, fl);
                    memcpy(m + fl, ": ", 2);
                    size_t rest = sizeof m - fl - 3, ml = strlen(err->msg);
                    if (ml > rest)
                        ml = rest;
                    memcpy(m + fl + 2, err->msg, ml);
                    m[fl + 2 + ml] = 0;
                    memcpy(err->msg, m, sizeof m);
                }
            }
            rc = SP_CMD_BAD;
        } else {
            for (int k = 0; k < w.n; k++)
                fprintf(s->err, "warning: %s\n", w.msg[k]);
            s->e[i].warned_version = s->e[i].sc->version;
            s->e[i].saved_version = s->e[i].sc->version;
            /* it replaces an older scenario of the same name */
            sp_session_replace_name(s, i, s->e[i].sc->name);
            s->cur = i;
        }
    }
fail:
    if (top) {
        if (rc != SP_CMD_OK) {
            sp_snapshot_restore(s, &sn);
        } else {
            sp_snapshot_free(&sn);
            for (int k = s->n - 1; k >= 0; k--)
                if (s->e[k].replaced)
                    sp_session_remove_entry(s, k);
        }
    }
    s->load_entry = saved_entry;
    s->load_named = saved_named;
out:
    free(text);
    free(real);
    free(name);
    free(full);
    return rc;
}
