/* The session: the scenarios a user works on, each with the results of
 * its last run, what the analysis commands found, and the one way into a
 * run that `run` and every analysis command take (sp_job).
 *
 * Ownership: the session owns its entries; an entry owns its scenario and
 * its results; the session owns its findings.  Strings are copied on
 * entry. */
#ifndef SALESPLAN_SESSION_H
#define SALESPLAN_SESSION_H

#include <signal.h>
#include <stdio.h>
#include "salesplan/error.h"
#include "salesplan/findings.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"

/* What a statement, a command or an analysis returns (SQLite shell
 * style); the exit status of batch input follows from it. */
enum {
    SP_CMD_OK = 0,     /* done */
    SP_CMD_RUNFAIL = 1,/* a run or export failed */
    SP_CMD_BAD = 2,    /* bad usage or bad input */
    SP_CMD_QUIT = 3,   /* leave the shell */
    /* Ctrl-C: nothing after it runs; outside the shell the exit status */
    SP_CMD_INTERRUPTED = 130
};

/* What a progress display is told: how far the job is (0 to 1) and what it
 * counts ("trials" for a single run; "runs", "points", "scenarios", ...). */
typedef struct {
    double fraction;           /* of the whole job, 1 = done */
    long done, total;          /* in unit */
    const char *unit;
} sp_progress;

typedef struct sp_job sp_job;

typedef struct {
    sp_scenario *sc;
    sp_results *res;            /* last run, NULL when never run */
    sp_scenario *ran;           /* the scenario as res was run from it, with
                                   that run's trials and seed: export writes
                                   these assumptions whatever changed since;
                                   NULL with res, or when out of memory */
    unsigned long res_version;  /* scenario version the results belong to */
    unsigned long warned_version; /* version whose warnings were shown */
    int replaced;               /* a load in progress replaces it: hidden,
                                   removed when the outermost load succeeds */
    unsigned long saved_version;/* scenario version last loaded or saved;
                                   another one has unsaved changes */
} sp_entry;

/* An earlier state of the session's scenarios that `undo` brings back:
 * a copy of every scenario, with what the entry knew of its file. */
typedef struct {
    int n, cur;
    sp_scenario **sc;
    unsigned long *saved_version;
} sp_undo_rec;

#define SP_UNDO_MAX 100

#define SP_MAX_DEPTH 16

typedef struct sp_session {
    sp_entry *e;
    int n, cur;                 /* cur = -1: no scenario yet */
    FILE *out, *err;
    int width;                  /* terminal width for grids */
    int color;                  /* ANSI colour allowed on out */
    int threads;                /* 0 = all cores */
    int quiet;                  /* no summary panel after run */
    volatile sig_atomic_t *stop;  /* set by Ctrl-C: runs stop at once */
    /* Shows a job's progress (sp_job); NULL: none (not a terminal). */
    void (*progress)(void *ctx, const sp_progress *p);
    void *progress_ctx;
    int depth;                  /* nesting of use/load */
    char *stack[SP_MAX_DEPTH];  /* real paths of files being run */
    int load_entry;             /* entry created by the running `load`, or -1 */
    int load_named;             /* its `scenario` statement was seen */
    int trials_override;        /* > 0: trials for every run (command line) */
    long seed_override;         /* >= 0: seed for every run */
    int quit;                   /* a `quit` was run */
    /* `salesplan check`: statements that would simulate or write a file
     * (run, show, export, save and the analysis commands) are read and
     * checked, never run. */
    int dry;
    /* Every sweep and tornado, and the last compare (findings.h). */
    sp_findings findings;
    /* When set, sp_session_report hands errors here instead of printing
     * them: the shell shows its own form (a caret under the column, no
     * "<shell>:1:" prefix) and clears a progress bar first. */
    void (*report)(struct sp_session *s, const sp_error *err);
    /* Asks a yes/no question at the terminal (1: yes); NULL when there is
     * no one to ask (batch input). */
    int (*confirm)(struct sp_session *s, const char *question);
    /* `undo`: earlier states, the newest last. */
    sp_undo_rec undo[SP_UNDO_MAX];
    int nundo;
    int load_replace;           /* the running `load` may replace edits */
    int keep_going;             /* batch: go on after a failed statement */
    int echo;                   /* batch: print each statement first */
    int timing;                 /* print each statement's time */
    int mode;                   /* sp_out_mode of tables (table.h) */
    FILE *redirect;             /* `output FILE`: out while it is set */
    FILE *terminal;             /* out before `output FILE` */
    int terminal_color;         /* color before `output FILE` */
} sp_session;

sp_session *sp_session_new(void);
void sp_session_free(sp_session *s);
/* Give an entry the results of a run of its scenario as it is now (r may
 * be NULL); the entry owns r, keeps a copy of the scenario it ran, and
 * frees what it held. */
void sp_entry_set_results(sp_entry *e, sp_results *r);
/* The current scenario, creating "default" when there is none. */
sp_scenario *sp_session_current(sp_session *s);
int sp_session_find(const sp_session *s, const char *name);
/* The entry whose scenario is sc, -1 when sc is no entry's (a variant). */
int sp_session_entry_of(const sp_session *s, const sp_scenario *sc);
/* The order in which `export` writes the session's entries with results:
 * the compared scenarios first, in compare order (the first is the
 * reference of the differences), then every other one.  Fills idx with
 * entry indexes and returns how many (<= max). */
int sp_session_export_order(const sp_session *s, int *idx, int max);
/* Whether name can name a scenario: letters, digits, _ . - (not first),
 * at most 63 bytes, so that a saved script reads it back. */
int sp_scenario_name_ok(const char *name);

/* Entries: add one for sc (the session takes it; -1 when out of memory),
 * remove entry i, and hide every other visible entry named name (a load
 * replacing them removes them when it succeeds). */
int sp_session_add_entry(sp_session *s, sp_scenario *sc);
void sp_session_remove_entry(sp_session *s, int i);
void sp_session_replace_name(sp_session *s, int keep, const char *name);

/* A copy of every scenario of the session, so that a statement or file
 * that fails changes nothing: take, then restore (entries created since go,
 * older ones get their scenario back) or free. */
typedef struct {
    int n, cur;
    sp_scenario **sc;
} sp_snapshot;
int sp_snapshot_take(sp_session *s, sp_snapshot *sn);
void sp_snapshot_free(sp_snapshot *sn);
void sp_snapshot_restore(sp_session *s, sp_snapshot *sn);

/* Whether the entry has changes no file holds. */
int sp_entry_dirty(const sp_entry *e);

/* Undo.  Take a record before a statement that may change scenarios;
 * commit it after the statement succeeded (kept only when something
 * changed, the oldest dropped past SP_UNDO_MAX), or free it.  Any command
 * that changes scenarios gets undo this way (sp_exec_text does it for
 * every statement typed or given as batch input). */
int sp_undo_take(const sp_session *s, sp_undo_rec *r);
void sp_undo_commit(sp_session *s, sp_undo_rec *r);
void sp_undo_free(sp_undo_rec *r);
/* Brings back the newest record: scenarios by name get their earlier
 * state, with their results when those belong to it; scenarios created
 * since go.  -1 when there is nothing to undo. */
int sp_session_undo(sp_session *s);

/* Print an error message (and nothing else) to s->err, or pass it to
 * s->report when that is set. */
void sp_session_report(sp_session *s, const sp_error *err);

/* ---- the one way into a run ------------------------------------------
 *
 * A job is one or more runs under one progress bar: `run` is a job of one
 * run counted in trials; compare counts scenarios, sweep points, tornado
 * and goal seek runs.  Every run of a job compiles its scenario, prints the
 * scenario's warnings (an entry's once per version of it, a variant's only
 * those not printed before in the job), simulates it with Ctrl-C honoured,
 * and moves the bar.  After Ctrl-C every run fails with "interrupted".
 *
 * Trials and seed: a job's are the first scenario's, overridden by the
 * command line (trials_override, seed_override), then by the command's
 * own `trials N` / `seed S` (opt_trials > 0, opt_seed >= 0).  Beginning
 * a job prints the warnings of its first scenario.
 *
 * The session may be NULL: the job then prints nothing, shows no progress
 * and cannot be interrupted, which is how the analyses are tested without
 * a session. */
struct sp_job {
    sp_session *s;             /* NULL: a job of no session */
    const char *unit;          /* what total counts */
    long total;                /* steps of the job; 0: unknown */
    int trials;                /* every run of the job */
    unsigned long seed;
    long runs;                 /* simulations made (the steps done) */
    int nseen;                 /* warnings printed in this job */
    char (*seen)[300];
};

void sp_job_begin(sp_job *j, sp_session *s, const sp_scenario *sc,
                  const char *unit, long total, double opt_trials,
                  double opt_seed);
/* Prints the warnings of sc as a run of it would, without running it. */
void sp_job_warn(sp_job *j, const sp_scenario *sc);
/* One run of sc with the job's seed and trials (trials > 0: that many
 * instead), counted as one step.  out receives results to free with
 * sp_results_free. */
sp_status sp_job_run(sp_job *j, const sp_scenario *sc, int trials,
                     sp_results *out, sp_error *err);
/* Whether Ctrl-C was pressed. */
int sp_job_stopped(const sp_job *j);
/* Ends the job: the bar goes.  Safe to call twice. */
void sp_job_end(sp_job *j);

#endif
