/* libFuzzer target: statements, then a short simulation.
 *
 * The input is run as a script through the statement table with the
 * session in check mode (run, export, save and the analyses are parsed,
 * never executed) and without load/use (no file is read or written).
 * Then two oracles:
 *   - round trip: the canonical script of every scenario (what `save`
 *     writes) read back into a fresh session gives the same script;
 *   - the engine: a scenario that validates is simulated for a few trials
 *     (when its team and horizon are small enough to be quick), and every
 *     monthly figure defined in some trial must be finite.
 * Any failure aborts, which libFuzzer reports with the input. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/commands.h"
#include "salesplan/compile.h"
#include "salesplan/file.h"
#include "salesplan/lang.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"
#include "salesplan/session.h"
#include "salesplan/sim.h"

/* Employee-months above which the simulation oracle is skipped: a fuzzer
 * finds 100000-person teams at once, and their trials take seconds. */
#define WORK_MAX 20000.0

static FILE *null_stream(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

static sp_session *quiet_session(void)
{
    sp_session *s = sp_session_new();
    if (!s)
        abort();
    s->out = null_stream();
    s->err = null_stream();
    s->threads = 1;
    s->dry = 1;
    return s;
}

/* Runs the statements of text one by one, leaving out those that reach
 * the file system. */
static void run_text(sp_session *s, const char *text)
{
    size_t pos = 0;
    int line = 1;
    sp_tokens t = {0};
    for (;;) {
        sp_error e = {0};
        int r = sp_next_statement(text, &pos, &line, "<fuzz>", &t, &e);
        if (r == 0)
            break;
        if (r < 0 || t.n == 0)
            continue;
        const char *w = t.v[0].s;
        if (!strcmp(w, "load") || !strcmp(w, "use") || !strcmp(w, "quit") ||
            !strcmp(w, "exit"))
            continue;
        sp_exec_statement(s, &t, "<fuzz>", &e);
    }
    sp_tokens_free(&t);
}

static void round_trip(const sp_scenario *sc)
{
    char *a = sp_scenario_script(sc);
    if (!a)
        return;
    sp_session *s2 = quiet_session();
    sp_error e = {0};
    int rc = sp_exec_text(s2, a, "<saved>", 0, &e);
    if (rc != SP_CMD_OK || s2->cur < 0) {
        fprintf(stderr, "saved script does not load: %s\n---\n%s---\n", e.msg, a);
        abort();
    }
    char *b = sp_scenario_script(s2->e[s2->cur].sc);
    if (!b || strcmp(a, b) != 0) {
        fprintf(stderr, "saved script reloads differently:\n---\n%s---\n%s---\n",
                a, b ? b : "(null)");
        abort();
    }
    free(a);
    free(b);
    sp_session_free(s2);
}

static void simulate(const sp_scenario *sc)
{
    sp_model m;
    sp_error e = {0};
    if (sp_model_compile(sc, &m, &e) != SP_OK)
        return;
    double work = 0;
    for (int r = 0; r < m.nroles; r++) {
        work += (double)m.roles[r].headcount;
        for (int k = 0; k < m.roles[r].nhires; k++)
            work += m.roles[r].hire_n[k];
    }
    if (work * m.horizon <= WORK_MAX) {
        sp_run_opts o = {0};
        o.trials = 4;
        o.seed = 1;
        o.threads = 1;
        sp_results res;
        if (sp_simulate(&m, &o, &res, &e) == SP_OK) {
            /* a figure defined in some trial is a finite number */
            int H = res.model.horizon;
            for (int k = 0; k < res.nseries; k++)
                for (int t = 0; res.present[k] && t < H; t++) {
                    const sp_stat *st = &res.monthly[k * H + t];
                    if (st->n > 0 && !isfinite(st->mean)) {
                        fprintf(stderr, "series %d month %d: mean %g\n", k,
                                t, st->mean);
                        abort();
                    }
                }
            sp_results_free(&res);
        }
    }
    sp_model_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sp_error e = {0};
    if (sp_text_check(text, size, "<fuzz>", &e) == SP_OK) {
        sp_session *s = quiet_session();
        run_text(s, text);
        for (int i = 0; i < s->n; i++) {
            round_trip(s->e[i].sc);
            if (sp_scenario_validate(s->e[i].sc, NULL, &e) == SP_OK)
                simulate(s->e[i].sc);
        }
        sp_session_free(s);
    }
    free(text);
    return 0;
}
