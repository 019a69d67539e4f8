/* The readline shell: prompt naming the scenario, continuation lines,
 * persistent history, tab completion, Ctrl-C that stops a run and keeps
 * the session, a progress bar on a terminal. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "salesplan/shell.h"

volatile sig_atomic_t sp_interrupted;
static volatile sig_atomic_t at_prompt;
static sp_session *cur_session;

static void on_sigint(int sig)
{
    (void)sig;
    sp_interrupted = 1;
    if (at_prompt) {
        /* Abandon the line being typed and show a fresh prompt, as bash
         * does; history and the session are untouched. */
        ssize_t w = write(STDOUT_FILENO, "\n", 1);
        (void)w;
        rl_replace_line("", 0);
        rl_on_new_line();
        rl_redisplay();
    }
}

/* ---- progress bar ---- */

typedef struct {
    struct timeval t0;
    int shown;
} progress_state;

static progress_state prog;

static double elapsed(const struct timeval *t0)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    return (double)(now.tv_sec - t0->tv_sec) + (now.tv_usec - t0->tv_usec) / 1e6;
}

static void progress(void *ctx, long done, long total)
{
    (void)ctx;
    if (done == 0) {
        gettimeofday(&prog.t0, NULL);
        prog.shown = 0;
        return;
    }
    double e = elapsed(&prog.t0);
    if (done >= total) {
        if (prog.shown)
            fprintf(stderr, "\r\033[K");
        prog.shown = 0;
        return;
    }
    if (e < 1.0)
        return;
    int width = 30, fill = (int)((double)done / (double)total * width);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    double eta = done > 0 ? e * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\r[%s] %3d%%  %ld/%ld trials  %.0fs left \033[K", bar,
            (int)(100.0 * (double)done / (double)total), done, total, eta);
    fflush(stderr);
    prog.shown = 1;
}

void sp_shell_setup(sp_session *s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    s->stop = &sp_interrupted;
    if (isatty(STDERR_FILENO)) {
        s->progress = progress;
        s->progress_ctx = NULL;
    }
    cur_session = s;
}

/* ---- batch ---- */

static int exit_status(int rc)
{
    return rc == SP_CMD_QUIT ? 0 : rc;
}

int sp_shell_batch(sp_session *s, FILE *in, const char *name)
{
    size_t cap = 8192, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t k = fread(b + n, 1, cap - n - 1, in);
        n += k;
        if (k == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            } else {
                b = nb;
            }
        }
    }
    if (!b) {
        fprintf(s->err, "out of memory reading %s\n", name);
        return 2;
    }
    b[n] = 0;
    int rc = sp_exec_text(s, b, name, 1, NULL);
    free(b);
    return exit_status(rc);
}

/* ---- completion ---- */

static const char *const keywords[] = {"by", "month", "quarter", "year", "trials",
                                       "seed", "params", "summary", "reps",
                                       "quota", "support", "manager", "on", "off",
                                       NULL};

static char **cands;
static int ncands, capcands;

static void cand(const char *s)
{
    if (ncands + 1 >= capcands) {
        int c = capcands ? capcands * 2 : 64;
        char **v = realloc(cands, (size_t)c * sizeof *v);
        if (!v)
            return;
        cands = v;
        capcands = c;
    }
    char *d = strdup(s);
    if (d)
        cands[ncands++] = d;
}

static void clear_cands(void)
{
    for (int i = 0; i < ncands; i++)
        free(cands[i]);
    ncands = 0;
}

static int cand_idx;

static char *cand_gen(const char *text, int state)
{
    if (!state)
        cand_idx = 0;
    size_t l = strlen(text);
    while (cand_idx < ncands) {
        const char *c = cands[cand_idx++];
        if (strncmp(c, text, l) == 0)
            return strdup(c);
    }
    return NULL;
}

static void add_params(const sp_scenario *sc)
{
    char buf[96];
    for (int i = 0; i < sp_nparams; i++) {
        if (sp_params[i].scope == SP_SCOPE_GLOBAL) {
            cand(sp_params[i].name);
            continue;
        }
        for (int r = 0; sc && r < sc->nroles; r++)
            if (sp_param_applies(sc, i, r)) {
                snprintf(buf, sizeof buf, "%s.%s", sc->roles[r].id, sp_params[i].name);
                cand(buf);
            }
    }
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    sp_session *s = cur_session;
    const sp_scenario *sc = s && s->cur >= 0 ? s->e[s->cur].sc : NULL;
    clear_cands();
    rl_attempted_completion_over = 1;
    /* the command word of the statement the cursor is in */
    char first[32] = "";
    int i = start;
    while (i > 0 && rl_line_buffer[i - 1] != ';')
        i--;
    while (rl_line_buffer[i] == ' ')
        i++;
    int wstart = i;
    int k = 0;
    while (rl_line_buffer[i] && rl_line_buffer[i] != ' ' && k < 31)
        first[k++] = rl_line_buffer[i++];
    first[k] = 0;
    if (start <= wstart) {
        for (int c = 0; c < sp_ncommands; c++)
            cand(sp_commands[c].name);
        return rl_completion_matches(text, cand_gen);
    }
    if (!strcmp(first, "load") || !strcmp(first, "use") || !strcmp(first, "save") ||
        !strcmp(first, "export")) {
        rl_attempted_completion_over = 0;
        return rl_completion_matches(text, rl_filename_completion_function);
    }
    if (!strcmp(first, "set") || !strcmp(first, "get") || !strcmp(first, "unset")) {
        add_params(sc);
    } else if (!strcmp(first, "help")) {
        for (int c = 0; c < sp_ncommands; c++)
            cand(sp_commands[c].name);
        add_params(sc);
    } else if (!strcmp(first, "show")) {
        for (int m = 0; m < SP_M_NPERIOD; m++)
            cand(sp_metric_name(m));
        for (int r = 0; sc && r < sc->nroles; r++)
            cand(sc->roles[r].id);
    } else if (!strcmp(first, "scenario") || !strcmp(first, "diff") ||
               !strcmp(first, "compare")) {
        for (int e = 0; e < s->n; e++)
            cand(s->e[e].sc->name);
    }
    for (int w = 0; keywords[w]; w++)
        cand(keywords[w]);
    rl_completion_append_character = ' ';
    return rl_completion_matches(text, cand_gen);
}

/* ---- history ---- */

char *sp_history_path(void)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char dir[4096];
    if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof dir, "%s/salesplan", xdg);
    else if (home && home[0])
        snprintf(dir, sizeof dir, "%s/.local/state/salesplan", home);
    else
        return NULL;
    /* create the directory chain; fall back to ~/.salesplan_history */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0700);
            *p = '/';
        }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
        if (!home)
            return NULL;
        snprintf(dir, sizeof dir, "%s/.salesplan_history", home);
        return strdup(dir);
    }
    size_t n = strlen(dir) + 10;
    char *r = malloc(n);
    if (r)
        snprintf(r, n, "%s/history", dir);
    return r;
}

static void history_open(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_APPEND, 0600);
    if (fd >= 0)
        close(fd);
    read_history(path);
}

/* ---- interactive loop ---- */

int sp_shell_interactive(sp_session *s)
{
    char *hist = sp_history_path();
    if (hist)
        history_open(hist);
    rl_readline_name = "salesplan";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n;";
    int worst = 0;
    char *pending = NULL;
    fprintf(s->out, "salesplan %s — type `help` for commands, Ctrl-D to leave\n",
            SP_VERSION);
    for (;;) {
        char prompt[128];
        const char *name = s->cur >= 0 ? s->e[s->cur].sc->name : "";
        if (pending)
            snprintf(prompt, sizeof prompt, "%*s...> ", (int)strlen(name) + 9 > 20 ? 0 : 0, "");
        else if (name[0])
            snprintf(prompt, sizeof prompt, "salesplan[%s]> ", name);
        else
            snprintf(prompt, sizeof prompt, "salesplan> ");
        sp_interrupted = 0;
        at_prompt = 1;
        char *line = readline(prompt);
        at_prompt = 0;
        if (!line) {
            fputc('\n', s->out);
            break;
        }
        if (sp_interrupted) {
            /* Ctrl-C while typing: the line is dropped */
            free(pending);
            pending = NULL;
            sp_interrupted = 0;
        }
        size_t l = strlen(line);
        if (l && line[l - 1] == '\\') {
            size_t pl = pending ? strlen(pending) : 0;
            char *np = realloc(pending, pl + l + 2);
            if (np) {
                memcpy(np + pl, line, l);
                np[pl + l] = '\n';
                np[pl + l + 1] = 0;
                pending = np;
            }
            free(line);
            continue;
        }
        char *stmt = line;
        if (pending) {
            size_t pl = strlen(pending);
            char *np = realloc(pending, pl + l + 1);
            if (np) {
                memcpy(np + pl, line, l + 1);
                stmt = np;
            }
            pending = NULL;
            free(line);
            line = stmt;
        }
        const char *p = stmt;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p) {
            add_history(stmt);
            if (hist)
                append_history(1, hist);
        }
        sp_interrupted = 0;
        sp_error err = {0};
        int rc = sp_exec_text(s, stmt, "<shell>", 1, &err);
        free(line);
        if (sp_interrupted) {
            fprintf(s->err, "interrupted\n");
            sp_interrupted = 0;
        }
        if (rc == SP_CMD_QUIT)
            break;
        if (rc > worst)
            worst = rc;
    }
    free(pending);
    free(hist);
    clear_cands();
    free(cands);
    cands = NULL;
    capcands = 0;
    (void)worst;
    return 0;
}
