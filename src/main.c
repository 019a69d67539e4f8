/* Command line: run, compare, check, -c, files then the shell, or the
 * shell.  Exit status: 0 success, 1 a run or export failed, 2 bad usage or
 * bad input, 130 interrupted by Ctrl-C. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "salesplan/commands.h"
#include "salesplan/compile.h"
#include "salesplan/analysis.h"
#include "salesplan/compare.h"
#include "salesplan/params.h"
#include "salesplan/export.h"
#include "salesplan/report.h"
#include "salesplan/shell.h"
#include "salesplan/sim.h"

#ifndef SP_VERSION
#define SP_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "usage:\n"
    "  salesplan                          interactive shell\n"
    "  salesplan FILE...                  load files, then the shell\n"
    "  salesplan -c 'STMT; STMT'          run statements and exit\n"
    "  salesplan [--keep-going] [--echo] [FILE...] [-c 'STMT; STMT']\n"
    "  salesplan run FILE [--trials N] [--seed S] [--threads T]\n"
    "                     [--json OUT] [--csv OUT] [--xlsx OUT] [--quiet]\n"
    "  salesplan compare FILE FILE... [--trials N] [--seed S] [--threads T]\n"
    "                     [--json OUT] [--csv OUT] [--xlsx OUT] [--quiet]\n"
    "  salesplan check FILE...            parse and validate only\n"
    "  salesplan --help | --version\n"
    "\n"
    "When standard input is not a terminal, statements are read from it.\n"
    "Input that is not typed at the prompt (-c, a pipe) stops at the first\n"
    "statement that fails; --keep-going runs on and reports every error.\n"
    "--echo prints each statement before its output.\n"
    "Exit status: 0 success, 1 a run or export failed, 2 bad usage or input,\n"
    "130 interrupted (Ctrl-C).\n";

static int usage_error(const char *fmt, const char *a)
{
    fprintf(stderr, "salesplan: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, "\n(salesplan --help shows the usage)\n");
    return 2;
}

static int term_width(void)
{
    struct winsize ws;
    const char *c = getenv("COLUMNS");
    if (c && atoi(c) > 20)
        return atoi(c);
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

static sp_session *new_session(void)
{
    sp_session *s = sp_session_new();
    if (!s) {
        fprintf(stderr, "salesplan: out of memory\n");
        exit(1);
    }
    s->width = term_width();
    const char *nc = getenv("NO_COLOR");
    s->color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
    sp_shell_setup(s);
    return s;
}

static int parse_long(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    double x;
    if (!v)
        return usage_error("%s needs a value", opt);
    if (sp_parse_whole(v, &x) != 0 || x != (double)(long)x || x < lo || x > hi) {
        (void)end;
        fprintf(stderr, "salesplan: %s: expected a whole number in [%ld, %ld], found '%s'\n",
                opt, lo, hi, v);
        return 2;
    }
    *out = (long)x;
    return 0;
}

/* --trials and --seed take the ranges of the parameters they override. */
static int parse_param_long(const char *opt, const char *param, const char *v,
                            long *out)
{
    const sp_param *p = &sp_params[sp_param_find(param, SP_SCOPE_GLOBAL)];
    return parse_long(opt, v, (long)p->lo, (long)p->hi, out);
}

/* What `salesplan run|compare` was given. */
typedef struct {
    const char *outs[3];       /* --json, --csv, --xlsx ("-": stdout) */
    const char *files[256];
    int nfiles;
} run_args;

/* The options of run|compare into s and a; 0 or an exit status. */
static int parse_run_args(int argc, char **argv, sp_session *s, run_args *a)
{
    long v;
    int rc;
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--trials")) {
            if ((rc = parse_param_long(o, "trials", argv[i + 1], &v)))
                return rc;
            s->trials_override = (int)v;
            i++;
        } else if (!strcmp(o, "--seed")) {
            if ((rc = parse_param_long(o, "seed", argv[i + 1], &v)))
                return rc;
            s->seed_override = v;
            i++;
        } else if (!strcmp(o, "--threads")) {
            if ((rc = parse_long(o, argv[i + 1], 0, 1024, &v)))
                return rc;
            s->threads = (int)v;
            i++;
        } else if (!strcmp(o, "--json") || !strcmp(o, "--csv") || !strcmp(o, "--xlsx")) {
            if (!argv[i + 1])
                return usage_error("%s needs a file name", o);
            a->outs[o[2] == 'j' ? 0 : o[2] == 'c' ? 1 : 2] = argv[++i];
        } else if (!strcmp(o, "--quiet") || !strcmp(o, "-q")) {
            s->quiet = 1;
        } else if (o[0] == '-' && o[1]) {
            return usage_error("unknown option '%s'", o);
        } else if (a->nfiles < 256) {
            a->files[a->nfiles++] = o;
        }
    }
    return 0;
}

/* The option names the format and "-" is standard output, whatever the
 * name looks like (--json out.txt is JSON).  /dev/stdout is the same
 * stream; written as such it would get a temporary file beside it in /dev,
 * which cannot work.  The data then owns standard output and the report
 * goes beside the errors. */
static int check_outputs(sp_session *s, run_args *a)
{
    int to_stdout = 0;
    for (int k = 0; k < 3; k++)
        if (a->outs[k] && (!strcmp(a->outs[k], "-") ||
                           !strcmp(a->outs[k], "/dev/stdout"))) {
            a->outs[k] = "-";
            to_stdout++;
        }
    if (to_stdout > 1)
        return usage_error("%s", "only one of --json, --csv and --xlsx can "
                                 "write to standard output");
    if (a->outs[2] && !strcmp(a->outs[2], "-"))
        return usage_error("%s", "--xlsx needs a file name: a workbook is not "
                                 "written to standard output");
    if (to_stdout)
        s->out = stderr;
    return 0;
}

/* Loads file f and runs it through the `run` statement, so that it takes
 * the one way into a run the shell takes. */
static int load_and_run(sp_session *s, const run_args *a, int f, int compare)
{
    sp_error err = {0};
    int before = s->n;
    int rc = sp_exec_file(s, a->files[f], NULL, 1, &err);
    if (rc) {
        sp_session_report(s, &err);
        return rc;
    }
    /* A second file naming the same scenario would replace the first one,
     * results and all: the comparison needs both. */
    if (s->n <= before) {
        fprintf(stderr, "salesplan: %s: scenario '%s' is already loaded from "
                        "an earlier file; give each compared scenario its "
                        "own name\n", a->files[f], s->e[s->cur].sc->name);
        return 2;
    }
    if (s->quiet == 0 && compare)
        fprintf(s->out, "%s== %s ==\n", f ? "\n" : "", s->e[s->cur].sc->name);
    sp_tokens t = {0};
    size_t pos = 0;
    int line = 1;
    sp_next_statement("run", &pos, &line, "<run>", &t, &err);
    rc = sp_exec_statement(s, &t, "<run>", &err);
    sp_tokens_free(&t);
    if (rc)
        sp_session_report(s, &err);
    return rc;
}

static int write_outputs(sp_session *s, const run_args *a,
                         const sp_scenario *const *scs,
                         const sp_results *const *rs, int nres)
{
    for (int k = 0; k < 3; k++) {
        const char *out = a->outs[k];
        if (!out)
            continue;
        sp_error err = {0};
        sp_status st =
            k == 0 ? sp_export_json(out, rs, NULL, nres, &s->findings, &err)
            : k == 1 ? sp_export_csv(out, rs, NULL, nres, &s->findings, &err)
            : sp_export_xlsx(out, scs, rs, NULL, nres, &s->findings, &err);
        if (st) {
            sp_session_report(s, &err);
            return err.status == SP_ERR_USAGE ? 2 : 1;
        }
        if (!s->quiet)
            fprintf(stderr, "wrote %s\n", strcmp(out, "-") ? out
                                                           : "standard output");
    }
    return 0;
}

/* salesplan run|compare FILE... [options] */
static int cmd_run_files(int argc, char **argv, int compare)
{
    run_args a;
    sp_session *s = new_session();
    int rc = parse_run_args(argc, argv, s, &a);
    if (!rc && (a.nfiles == 0 || (!compare && a.nfiles != 1) ||
                (compare && a.nfiles < 2)))
        rc = usage_error("%s", compare ? "compare needs two or more files"
                                       : "run needs exactly one file");
    if (!rc)
        rc = check_outputs(s, &a);
    const sp_results *rs[256];
    const sp_scenario *scs[256];
    int nres = 0;
    for (int f = 0; f < a.nfiles && !rc; f++) {
        if ((rc = load_and_run(s, &a, f, compare)))
            break;
        /* the scenario as it ran, its trials and seed included */
        scs[nres] = s->e[s->cur].ran ? s->e[s->cur].ran : s->e[s->cur].sc;
        rs[nres++] = s->e[s->cur].res;
        /* every compared scenario runs on the first one's trials and seed,
         * so that differences are paired trial by trial */
        if (compare && f == 0) {
            s->trials_override = rs[0]->trials;
            s->seed_override = (long)rs[0]->seed;
        }
    }
    if (!rc && compare && !s->quiet)
        sp_compare_report(s, rs, nres);
    if (!rc)
        rc = write_outputs(s, &a, scs, rs, nres);
    if (rc && s->stop && *s->stop)
        rc = SP_CMD_INTERRUPTED;
    sp_session_free(s);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    int rc = 0;
    if (argc < 3)
        return usage_error("%s", "check needs at least one file");
    for (int i = 2; i < argc; i++) {
        sp_session *s = new_session();
        s->dry = 1;
        sp_error err = {0};
        int r = sp_exec_file(s, argv[i], NULL, 1, &err);
        if (r) {
            sp_session_report(s, &err);
            rc = 2;
        } else {
            const sp_scenario *sc = s->e[s->cur].sc;
            sp_model m;
            if (sp_model_compile(sc, &m, &err)) {
                sp_session_report(s, &err);
                rc = 2;
            } else if (sp_simulate_fits(&m, m.trials, &err)) {
                sp_session_report(s, &err);
                sp_model_free(&m);
                rc = 2;
            } else {
                char mb[8];
                sp_format_month(m.start, mb);
                printf("%s: ok — scenario %s%s%s%s: %d role%s, horizon %d months from %s\n",
                       argv[i], sc->name, sc->title[0] ? " \"" : "", sc->title,
                       sc->title[0] ? "\"" : "", m.nroles, m.nroles == 1 ? "" : "s",
                       m.horizon, mb);
                for (int r2 = 0; r2 < m.nroles; r2++) {
                    const sp_model_role *ro = &m.roles[r2];
                    int hires = 0;
                    for (int k = 0; k < ro->nhires; k++)
                        hires += ro->hire_n[k];
                    printf("  %-12s %-8s headcount %d", ro->id, sp_kind_name(ro->kind),
                           ro->headcount);
                    if (hires)
                        printf(", %d planned hire%s", hires, hires == 1 ? "" : "s");
                    if (ro->kind == SP_KIND_MANAGER)
                        printf(", manages %s (span %d)", m.roles[ro->manages].id, ro->span);
                    printf("\n");
                }
                sp_model_free(&m);
            }
        }
        sp_session_free(s);
    }
    return rc;
}

/* The parameter reference of docs/parameters.md, generated from the table
 * so that it cannot drift from what the program accepts. */
static int print_params_markdown(void)
{
    printf("# Parameter reference\n\n"
           "Generated by `make docs` from the parameter table of salesplan %s; "
           "do not edit by hand.\n", SP_VERSION);
    for (int scope = 0; scope < 2; scope++) {
        printf("\n## %s\n\n", scope ? "Role parameters (`set ROLE.NAME ...`)"
                                      : "Global parameters (`set NAME ...`)");
        printf("| name | applies to | type / unit | default | range | meaning |\n");
        printf("|---|---|---|---|---|---|\n");
        for (int i = 0; i < sp_nparams; i++) {
            const sp_param *p = &sp_params[i];
            if ((int)p->scope != scope)
                continue;
            const sp_value *d = sp_param_default(i);
            char *dt = d->type != SP_T_NONE ? sp_format_value(d, p->unit, p->unit2, p->enums) : NULL;
            const char *unit = p->type == SP_T_ENUM ? p->enums
                               : p->type == SP_T_DIST ? "distribution"
                               : p->unit ? sp_unit_name(p->unit) : "-";
            char range[96] = "";
            if (p->type == SP_T_NUM || p->type == SP_T_INT || p->type == SP_T_NUMLIST) {
                char lo[32], hi[32];
                int pct = p->unit == SP_U_PERCENT;
                sp_format_exact(p->lo * (pct ? 100 : 1), lo);
                sp_format_exact(p->hi * (pct ? 100 : 1), hi);
                snprintf(range, sizeof range, "%s%s%s, %s%s%s",
                         (p->flags & SP_PF_LO_OPEN) ? "(" : "[", lo, pct ? "%" : "",
                         hi, pct ? "%" : "", (p->flags & SP_PF_HI_OPEN) ? ")" : "]");
            }
            const char *kinds = scope == 0 ? "scenario"
                                : p->kinds == SP_K_QUOTA ? "quota"
                                : p->kinds == SP_K_MANAGER ? "manager" : "all roles";
            printf("| `%s` | %s | %s | %s%s%s%s%s | %s | %s |\n", p->name, kinds, unit,
                   dt ? "`" : "", dt ? dt : "", dt ? "`" : "",
                   dt && p->def_note ? " — " : "", p->def_note ? p->def_note : (dt ? "" : "none"),
                   range[0] ? range : "", p->help);
            free(dt);
        }
    }
    return 0;
}

/* Output lost to a full disk or a closed pipe is a failure like any
 * other: the last flush is checked, and so is every write before it
 * (stdio remembers an error in ferror). */
static int finish(int rc)
{
    errno = 0;
    int flushed = fflush(stdout) == 0;
    int e = errno;
    /* a failed run has said why already; its status stands */
    if (rc == 0 && (!flushed || ferror(stdout))) {
        fprintf(stderr, "salesplan: cannot write standard output%s%s\n",
                e ? ": " : "", e ? strerror(e) : "");
        return 1;
    }
    return rc;
}

static int run_main(int argc, char **argv);

int main(int argc, char **argv)
{
    return finish(run_main(argc, argv));
}

static int run_main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("salesplan %s\n", SP_VERSION);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--params-markdown"))
        return print_params_markdown();
    if (argc > 1 && !strcmp(argv[1], "run"))
        return cmd_run_files(argc, argv, 0);
    if (argc > 1 && !strcmp(argv[1], "compare"))
        return cmd_run_files(argc, argv, 1);
    if (argc > 1 && !strcmp(argv[1], "check"))
        return cmd_check(argc, argv);

    sp_session *s = new_session();
    int rc = 0, i = 1;
    const char *cmd = NULL;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-c")) {
            if (i + 1 >= argc) {
                sp_session_free(s);
                return usage_error("%s", "-c needs statements");
            }
            if (cmd) {
                sp_session_free(s);
                return usage_error("%s", "-c given twice: separate statements "
                                         "with ';' in one -c");
            }
            cmd = argv[++i];
        } else if (!strcmp(argv[i], "--keep-going")) {
            s->keep_going = 1;
        } else if (!strcmp(argv[i], "--echo")) {
            s->echo = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            sp_session_free(s);
            return usage_error("unknown option '%s'", argv[i]);
        } else {
            sp_error err = {0};
            int r = sp_exec_file(s, argv[i], NULL, 1, &err);
            if (r) {
                sp_session_report(s, &err);
                sp_session_free(s);
                return r == SP_CMD_RUNFAIL || r == SP_CMD_INTERRUPTED ? r : 2;
            }
        }
    }
    if (cmd) {
        sp_error err = {0};
        rc = sp_exec_text(s, cmd, "<-c>", s->keep_going, &err);
        if (rc != SP_CMD_OK && rc != SP_CMD_QUIT && !s->keep_going)
            sp_session_report(s, &err);
        rc = rc == SP_CMD_QUIT ? 0 : rc;
    } else if (isatty(STDIN_FILENO)) {
        rc = sp_shell_interactive(s);
    } else {
        rc = sp_shell_batch(s, stdin, "<stdin>");
    }
    sp_session_free(s);
    return rc;
}
