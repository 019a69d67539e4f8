/* The one table of statements and commands that the shell, script files,
 * `-c` and piped input all run through, and running text and files through
 * it.  Adding a command is one row of sp_commands (commands.c) and its
 * handler: usage, help, example and arity live in the row. */
#ifndef SALESPLAN_COMMANDS_H
#define SALESPLAN_COMMANDS_H

#include "salesplan/error.h"
#include "salesplan/lang.h"
#include "salesplan/session.h"


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

/* Whether the session may end: nothing unsaved, or the user said so when
 * asked (s->confirm), or, with no one to ask, after a warning naming the
 * unsaved scenarios. */
int sp_quit_ok(sp_session *s);

#endif
