/* Where and how printed results go, as sqlite3's dot commands and psql's
 * backslash commands set them: `mode` (tables as aligned text, CSV,
 * markdown or JSON), `output FILE` / `output`, `timing on|off`; and the
 * pager that long output at the terminal goes through. */
#ifndef SALESPLAN_OUTPUT_H
#define SALESPLAN_OUTPUT_H

#include "salesplan/error.h"
#include "salesplan/lang.h"
#include "salesplan/session.h"

int sp_cmd_mode(sp_session *s, const sp_tokens *t, const char *file,
                sp_error *err);
int sp_cmd_output(sp_session *s, const sp_tokens *t, const char *file,
                  sp_error *err);
int sp_cmd_timing(sp_session *s, const sp_tokens *t, const char *file,
                  sp_error *err);
int sp_cmd_undo(sp_session *s, const sp_tokens *t, const char *file,
                sp_error *err);

/* Closes an `output FILE` (out goes back to the terminal). */
void sp_output_close(sp_session *s);

/* The pager: between begin and end, out collects what one statement prints;
 * end shows it through PAGER (default `less -FRX`) when it is longer than
 * the screen has rows, else prints it.  Only when out is the terminal and
 * no `output FILE` is set; otherwise both do nothing. */
typedef struct {
    FILE *mem, *out;
    char *buf;
    size_t len;
    int rows;
} sp_pager;
void sp_pager_begin(sp_session *s, sp_pager *p);
void sp_pager_end(sp_session *s, sp_pager *p);

#endif
