/* mode, output, timing and undo, and the pager (see output.h). */
#include "salesplan/output.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "salesplan/file.h"
#include "salesplan/table.h"

static sp_loc tloc(const char *file, const sp_token *t)
{
    sp_loc l = {file, t->line};
    return l;
}

static const char *const mode_names[] = {"table", "csv", "markdown", "json"};

int sp_cmd_mode(sp_session *s, const sp_tokens *t, const char *file,
                sp_error *err)
{
    if (t->n == 1) {
        fprintf(s->out, "mode %s\n", mode_names[s->mode]);
        return SP_CMD_OK;
    }
    for (int m = 0; m < 4; m++)
        if (strcasecmp(t->v[1].s, mode_names[m]) == 0) {
            s->mode = m;
            sp_table_set_mode(m);
            return SP_CMD_OK;
        }
    sp_loc l = tloc(file, &t->v[1]);
    sp_error_set(err, SP_ERR_PARSE, &l, t->v[1].col,
                 "expected table, csv, markdown or json, found '%s'", t->v[1].s);
    return SP_CMD_BAD;
}

void sp_output_close(sp_session *s)
{
    if (!s->redirect)
        return;
    fclose(s->redirect);
    s->redirect = NULL;
    s->out = s->terminal;
    s->color = s->terminal_color;
}

/* Like sqlite3's .output: the file is truncated, everything printed goes
 * there until `output` alone; errors and warnings stay on standard
 * error. */
int sp_cmd_output(sp_session *s, const sp_tokens *t, const char *file,
                  sp_error *err)
{
    if (t->n == 1 || strcmp(t->v[1].s, "-") == 0) {
        sp_output_close(s);
        return SP_CMD_OK;
    }
    char *path = sp_path_expand(t->v[1].s);
    if (!path)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory"), SP_CMD_BAD;
    FILE *f = fopen(path, "w");
    if (!f) {
        sp_loc l = tloc(file, &t->v[1]);
        sp_error_set(err, SP_ERR_IO, &l, t->v[1].col, "cannot write '%s': %s",
                     path, strerror(errno));
        free(path);
        return SP_CMD_RUNFAIL;
    }
    free(path);
    fflush(s->out);
    if (s->redirect)
        fclose(s->redirect);
    else {
        s->terminal = s->out;
        s->terminal_color = s->color;
    }
    s->redirect = f;
    s->out = f;
    s->color = 0;
    return SP_CMD_OK;
}

static int on_off(const sp_token *w, const char *file, int *v, sp_error *err)
{
    if (strcasecmp(w->s, "on") == 0)
        *v = 1;
    else if (strcasecmp(w->s, "off") == 0)
        *v = 0;
    else {
        sp_loc l = tloc(file, w);
        sp_error_set(err, SP_ERR_PARSE, &l, w->col, "expected on or off, found '%s'",
                     w->s);
        return -1;
    }
    return 0;
}

int sp_cmd_timing(sp_session *s, const sp_tokens *t, const char *file,
                  sp_error *err)
{
    if (t->n == 1) {
        fprintf(s->out, "timing %s\n", s->timing ? "on" : "off");
        return SP_CMD_OK;
    }
    return on_off(&t->v[1], file, &s->timing, err) ? SP_CMD_BAD : SP_CMD_OK;
}

int sp_cmd_undo(sp_session *s, const sp_tokens *t, const char *file,
                sp_error *err)
{
    (void)t, (void)file;
    if (sp_session_undo(s) != 0) {
        sp_error_set(err, SP_ERR_USAGE, NULL, 0, "nothing to undo");
        return SP_CMD_BAD;
    }
    if (s->cur >= 0)
        fprintf(s->out, "undone; scenario %s is current\n", s->e[s->cur].sc->name);
    else
        fprintf(s->out, "undone; no scenarios\n");
    return SP_CMD_OK;
}

/* ---- the pager ---- */

void sp_pager_begin(sp_session *s, sp_pager *p)
{
    memset(p, 0, sizeof *p);
    const char *pg = getenv("PAGER");
    struct winsize ws;
    if (s->redirect || s->out != stdout || !isatty(STDOUT_FILENO) ||
        (pg && !pg[0]) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row < 2)
        return;
    p->rows = ws.ws_row;
    p->mem = open_memstream(&p->buf, &p->len);
    if (!p->mem)
        return;
    p->out = s->out;
    s->out = p->mem;
}

/* Lines as the terminal shows them: a line wider than the screen takes
 * more than one. */
static int screen_lines(const char *b, size_t n, int width)
{
    int lines = 0, col = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i] == '\n') {
            lines++;
            col = 0;
        } else if (((unsigned char)b[i] & 0xC0) != 0x80 && ++col > width && width > 0) {
            lines++;
            col = 1;
        }
    }
    return lines + (col > 0);
}

void sp_pager_end(sp_session *s, sp_pager *p)
{
    if (!p->mem)
        return;
    if (s->out == p->mem)
        s->out = p->out;
    fclose(p->mem);
    p->mem = NULL;
    const char *pg = getenv("PAGER");
    FILE *pipe = NULL;
    /* the prompt takes the last row */
    if (screen_lines(p->buf, p->len, s->width) >= p->rows) {
        fflush(p->out);
        pipe = popen(pg ? pg : "less -FRX", "w");
    }
    if (pipe) {
        /* quitting the pager early must not end the shell */
        void (*old)(int) = signal(SIGPIPE, SIG_IGN);
        fwrite(p->buf, 1, p->len, pipe);
        pclose(pipe);
        signal(SIGPIPE, old);
    } else {
        fwrite(p->buf, 1, p->len, p->out);
        fflush(p->out);
    }
    free(p->buf);
    p->buf = NULL;
}
