/* The interactive shell (readline) and batch input. */
#ifndef SALESPLAN_SHELL_H
#define SALESPLAN_SHELL_H

#include <stdio.h>
#include "salesplan/commands.h"

/* Set by SIGINT: a running simulation stops and the prompt returns. */
extern volatile sig_atomic_t sp_interrupted;

/* Install the SIGINT handler and wire stop, the error reporter and (when
 * standard error is a terminal) the progress bar into the session.  Every
 * mode calls it: a Ctrl-C stops a run anywhere; outside the interactive
 * shell a second Ctrl-C leaves at once. */
void sp_shell_setup(sp_session *s);

/* Statements from in (not a terminal) without prompts; errors are reported
 * as NAME:LINE: ...; every statement runs.  Returns the exit status: 0, 1
 * (a run or export failed) or 2 (a statement was bad). */
int sp_shell_batch(sp_session *s, FILE *in, const char *name);

/* The readline shell, until quit or Ctrl-D.  History is kept in
 * sp_history_path().  Returns 0: errors typed at the prompt were shown
 * there and do not make the session fail. */
int sp_shell_interactive(sp_session *s);

/* Path of the history file (XDG state directory), malloc'd. */
char *sp_history_path(void);

#endif
