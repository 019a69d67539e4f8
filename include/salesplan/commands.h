/* The session and the one table of statements and commands that the shell,
 * script files, `-c` and piped input all run through. */
#ifndef SALESPLAN_COMMANDS_H
#define SALESPLAN_COMMANDS_H

#include <signal.h>
#include <stdio.h>
#include "salesplan/error.h"
#include "salesplan/findings.h"
#include "salesplan/lang.h"
#include "salesplan/results.h"
#include "salesplan/scenario.h"

/* What a statement returns (SQLite shell style). */
enum {
    SP_CMD_OK = 0,     /* done */
    SP_CMD_RUNFAIL = 1,/* a run or export failed */
    SP_CMD_BAD = 2,    /* bad usage or bad input */
    SP_CMD_QUIT = 3    /* leave the shell */
};

typedef struct {
    sp_scenario *sc;
    sp_results *res;            /* last run, NULL when never run */
    unsigned long res_version;  /* scenario version the results belong to */
    unsigned long warned_version; /* version whose warnings were shown */
    int replaced;               /* a load in progress replaces it: hidden,
                                   removed when the outermost load succeeds */
} sp_entry;

#define SP_MAX_DEPTH 16

typedef struct sp_session {
    sp_entry *e;
    int n, cur;                 /* cur = -1: no scenario yet */
    FILE *out, *err;
    int width;                  /* terminal width for grids */
    int color;                  /* ANSI colour allowed on out */
    int threads;                /* 0 = all cores */
    int quiet;                  /* no summary panel after run */
    volatile sig_atomic_t *stop;
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
    int depth;                  /* nesting of use/load */
    char *stack[SP_MAX_DEPTH];  /* real paths of files being run */
    int load_entry;             /* entry created by the running `load`, or -1 */
    int load_named;             /* its `scenario` statement was seen */
    int trials_override;        /* > 0: trials for every run (command line) */
    long seed_override;         /* >= 0: seed for every run */
    int quit;                   /* a `quit` was run */
    /* Every sweep and tornado, and the last compare (findings.h). */
    sp_findings findings;
    /* When set, sp_session_report hands errors here instead of printing
     * them: the shell shows its own form (a caret under the column, no
     * "<shell>:1:" prefix) and clears a progress bar first. */
    void (*report)(struct sp_session *s, const sp_error *err);
} sp_session;

typedef struct {
    const char *name;
    const char *group;
    const char *usage;
    const char *help;
    const char *example;
    int min_args, max_args;     /* words after the name; -1 = any */
    int (*fn)(sp_session *s, const sp_tokens *t, const char *file,
              sp_error *err);
} sp_command;

extern const sp_command sp_commands[];
extern const int sp_ncommands;

sp_session *sp_session_new(void);
void sp_session_free(sp_session *s);
/* Give an entry the results of a run of its scenario as it is now (r may
 * be NULL); the entry owns r and frees what it held. */
void sp_entry_set_results(sp_entry *e, sp_results *r);
/* The current scenario, creating "default" when there is none. */
sp_scenario *sp_session_current(sp_session *s);
int sp_session_find(const sp_session *s, const char *name);
/* Whether name can name a scenario: letters, digits, _ . - (not first),
 * at most 63 bytes, so that a saved script reads it back. */
int sp_scenario_name_ok(const char *name);

/* Run one tokenised statement. */
int sp_exec_statement(sp_session *s, const sp_tokens *t, const char *file,
                      sp_error *err);

/* Run every statement of text.  keep_going: report each error to s->err as
 * it happens and go on (piped input, -c); otherwise stop at the first error
 * and return it in err.  Returns the worst SP_CMD_* code so far; a `quit`
 * stops the text and sets s->quit. */
int sp_exec_text(sp_session *s, const char *text, const char *file,
                 int keep_going, sp_error *err);

/* `load FILE` (as_load = 1: into a new scenario) or `use FILE`.  from is
 * the file whose statement names path (relative paths are taken from its
 * directory), NULL for the shell. */
int sp_exec_file(sp_session *s, const char *path, const char *from,
                 int as_load, sp_error *err);

/* Print an error message (and nothing else) to s->err, or pass it to
 * s->report when that is set. */
void sp_session_report(sp_session *s, const sp_error *err);

#endif
