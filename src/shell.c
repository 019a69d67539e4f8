/* The readline shell: prompt naming the scenario, continuation lines,
 * persistent history, tab completion, Ctrl-C that stops a run and keeps
 * the session, a progress bar on a terminal; and batch input. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "salesplan/file.h"
#include "salesplan/output.h"
#include "salesplan/params.h"
#include "salesplan/shell.h"
#include "salesplan/table.h"

#ifndef SP_VERSION
#define SP_VERSION "0.0.0"
#endif

/* Lines kept in memory and in the history file. */
#define HISTORY_LINES 2000

/* The file name statements typed at the prompt are run under; the error
 * reporter recognises it to print a caret instead of the prefix. */
#define SHELL_FILE "<shell>"

volatile sig_atomic_t sp_interrupted;
static volatile sig_atomic_t winch_pending;
/* Set while the interactive shell runs: Ctrl-C then means "back to the
 * prompt", never "leave". */
static volatile sig_atomic_t interactive;

static void on_sigint(int sig)
{
    /* Outside the interactive shell a second Ctrl-C, while the first is
     * still being acted on, leaves at once: a script of many runs should
     * not need one Ctrl-C per run. */
    if (sp_interrupted && !interactive) {
        sp_atomic_on_signal();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    sp_interrupted = 1;
}

/* SIGTERM and SIGHUP end the program as they would, but not before the
 * temporary file of a write under way is gone. */
static void on_fatal(int sig)
{
    sp_atomic_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_sigwinch(int sig)
{
    (void)sig;
    winch_pending = 1;
}

/* ---- terminal width ---- */

/* COLUMNS in the environment wins (as for every curses program), then the
 * terminal's size.  Read before every statement so that a resized window
 * gets grids that fit. */
static void refresh_width(sp_session *s)
{
    const char *c = getenv("COLUMNS");
    long w = c ? strtol(c, NULL, 10) : 0;
    struct winsize ws;
    if (w > 20 && w < 100000)
        s->width = (int)w;
    else if (isatty(fileno(s->out)) && ioctl(fileno(s->out), TIOCGWINSZ, &ws) == 0 &&
             ws.ws_col > 20)
        s->width = ws.ws_col;
}

/* ---- progress bar ---- */

/* One bar at a time: the engine reports from the thread that called it. */
static struct {
    struct timespec t0;   /* first report of the current run */
    int started;          /* t0 is set */
    int shown;            /* a bar is on the screen */
} prog;

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Erases the bar and forgets the run: an interrupted or failed run never
 * sends its final report, and the next run must not inherit its clock. */
static void progress_clear(void)
{
    if (prog.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    prog.shown = 0;
    prog.started = 0;
}

/* Installed only when standard error is a terminal.  Silent for the first
 * second so that short runs do not flicker.  The text counts what the job
 * counts (trials of a run, points of a sweep, runs of a tornado); the bar
 * and the time left follow the fraction, which includes the trials of the
 * run under way. */
static void progress(void *ctx, const sp_progress *p)
{
    const sp_session *s = ctx;
    if (p->fraction >= 1) {
        progress_clear();
        return;
    }
    if (!prog.started) {
        clock_gettime(CLOCK_MONOTONIC, &prog.t0);
        prog.started = 1;
    }
    double e = seconds_since(&prog.t0);
    if (e < 1.0)
        return;
    char d[SP_FMT_MAX], t[SP_FMT_MAX], info[3 * SP_FMT_MAX + 32];
    sp_fmt_count((double)p->done, 0, d, sizeof d);
    sp_fmt_count((double)p->total, 0, t, sizeof t);
    double f = p->fraction;
    if (p->total <= 0 || f < 0)
        snprintf(info, sizeof info, " %s %s  %.0fs", d, p->unit, e);
    else if (f > 0)
        snprintf(info, sizeof info, " %3d%%  %s/%s %s  %.0fs left",
                 (int)(100.0 * f), d, t, p->unit, e * (1 - f) / f);
    else
        snprintf(info, sizeof info, " %3d%%  %s/%s %s", 0, d, t, p->unit);
    /* The bar takes what the text leaves of the line, so that the line
     * never wraps: a wrapped line cannot be redrawn in place with \r. */
    int width = s && s->width > 0 ? s->width : 80;
    int barw = width - 1 - (int)strlen(info) - 2;
    if (barw > 40)
        barw = 40;
    char bar[48] = "";
    if (barw >= 10 && p->total > 0 && f >= 0) {
        int fill = (int)(f * barw);
        bar[0] = '[';
        for (int i = 0; i < barw; i++)
            bar[1 + i] = i < fill ? '#' : '.';
        bar[barw + 1] = ']';
        bar[barw + 2] = 0;
    }
    fprintf(stderr, "\r%s%s\033[K", bar, info);
    fflush(stderr);
    prog.shown = 1;
}

/* ---- errors ---- */

/* What the error reporter needs to know about the input being run. */
static struct {
    const char *text;     /* the statement line passed to sp_exec_text */
    int single;           /* typed on one line, which is still on screen */
    int prompt_width;     /* columns the prompt took on that line */
    int reports;          /* errors reported for this input so far */
    int interrupted;      /* "interrupted" was among them */
} input;

/* Blanks that put a caret under byte col (1-based) of line: tabs stay tabs
 * so they expand alike, every other character is one column. */
static void put_pad(FILE *f, const char *line, int col)
{
    for (int i = 0; i < col - 1 && line[i]; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\t')
            fputc('\t', f);
        else if ((c & 0xC0) != 0x80)
            fputc(' ', f);
    }
}

/* Whether the caret can go right under the line as typed: nothing may
 * have been printed between the line and the error.  That holds when the
 * error is in the first statement of the line and at its command word or
 * first argument (later arguments may follow output for earlier ones, as
 * in `get a b nosuch`), or anywhere in a `set`, which checks the whole
 * statement before it prints or changes anything. */
static int caret_in_place(const char *line, int col)
{
    int q = 0, depth = 0, words = 0, in_word = 0;
    for (int i = 0; i < col - 1 && line[i]; i++) {
        char c = line[i];
        if (q) {
            if (c == '\\' && (line[i + 1] == '"' || line[i + 1] == '\\'))
                i++;
            else if (c == '"')
                q = 0;
            continue;
        }
        if (c == ';' && depth == 0)
            return 0;
        if ((c == ' ' || c == '\t') && depth == 0) {
            in_word = 0;
            continue;
        }
        if (!in_word)
            words++;
        in_word = 1;
        if (c == '"' && depth == 0)
            q = 1;
        else if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
    }
    const char *w = line + strspn(line, " \t");
    return words <= 1 || (strncmp(w, "set", 3) == 0 && (w[3] == ' ' || w[3] == '\t'));
}

/* Errors of statements typed at the prompt lose the "<shell>:1:COL:"
 * prefix and get a caret under the column instead: right under the typed
 * text when nothing has been printed since, else under a copy of it.
 * Errors from files keep their FILE:LINE:COL, which is where to look. */
static void report(sp_session *s, const sp_error *err)
{
    const char *msg = err->msg[0] ? err->msg : sp_strerror(err->status);
    size_t pl = strlen(SHELL_FILE);
    progress_clear();
    fflush(s->out);
    if (interactive && input.text && strncmp(msg, SHELL_FILE ":", pl + 1) == 0) {
        const char *p = msg + pl + 1;
        char *end;
        long line = 0, col = 0;
        if (*p >= '0' && *p <= '9') {
            line = strtol(p, &end, 10);
            p = end;
            if (*p == ':' && p[1] >= '0' && p[1] <= '9') {
                col = strtol(p + 1, &end, 10);
                p = end;
            }
            if (*p == ':')
                p++;
        }
        while (*p == ' ')
            p++;
        msg = p;
        if (line == 1 && col > 0 && col <= (long)strlen(input.text) + 1) {
            int here = input.single && input.reports == 0 &&
                       caret_in_place(input.text, (int)col) &&
                       input.prompt_width + (int)col < s->width;
            if (here) {
                fprintf(s->err, "%*s", input.prompt_width, "");
            } else {
                fprintf(s->err, "  %s\n  ", input.text);
            }
            put_pad(s->err, input.text, (int)col);
            fputs("^\n", s->err);
        }
    }
    if (strcmp(msg, "interrupted") == 0)
        input.interrupted = 1;
    input.reports++;
    fprintf(s->err, "%s\n", msg);
    fflush(s->err);
}

void sp_shell_setup(sp_session *s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = 0;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    s->stop = &sp_interrupted;
    sp_atomic_set_stop(&sp_interrupted);
    s->report = report;
    if (isatty(STDERR_FILENO)) {
        s->progress = progress;
        s->progress_ctx = s;
    }
}

/* ---- batch ---- */

static int exit_status(int rc)
{
    return rc == SP_CMD_QUIT ? 0 : rc;
}

int sp_shell_batch(sp_session *s, FILE *in, const char *name)
{
    int rs;
    size_t n = 0;
    char *b = sp_read_stream_len(in, &rs, &n);
    if (!b) {
        fprintf(s->err, "%s reading %s\n", rs == -1 ? "out of memory" : "read error",
                name);
        return 2;
    }
    sp_error err = {0};
    if (sp_text_check(b, n, name, &err) != SP_OK) {
        free(b);
        sp_session_report(s, &err);
        return 2;
    }
    int rc = sp_exec_text(s, b, name, s->keep_going, &err);
    free(b);
    if (rc != SP_CMD_OK && rc != SP_CMD_QUIT && !s->keep_going)
        sp_session_report(s, &err);
    return exit_status(rc);
}

/* ---- completion ---- */

static sp_session *cur_session;
static char **cands;
static int ncands, capcands, cand_idx;

static void cand(const char *s)
{
    if (!s)
        return;
    if (ncands + 1 >= capcands) {
        int c = capcands ? capcands * 2 : 128;
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

static void cands_clear(void)
{
    for (int i = 0; i < ncands; i++)
        free(cands[i]);
    ncands = 0;
}

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

static void cand_words(const char *const *w)
{
    for (; *w; w++)
        cand(*w);
}

/* `a|b|c` of an enumeration. */
static void cand_enum(const char *words)
{
    char buf[64];
    while (words && *words) {
        size_t n = strcspn(words, "|");
        if (n < sizeof buf) {
            memcpy(buf, words, n);
            buf[n] = 0;
            cand(buf);
        }
        words += n + (words[n] == '|');
    }
}

static const sp_scenario *cur_scenario(void)
{
    const sp_session *s = cur_session;
    return s && s->cur >= 0 && s->cur < s->n ? s->e[s->cur].sc : NULL;
}

/* Global parameters, and ROLE.NAME for every role of the current scenario
 * that the parameter applies to. */
static void cand_params(void)
{
    const sp_scenario *sc = cur_scenario();
    char buf[128];
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

static void cand_roles(void)
{
    const sp_scenario *sc = cur_scenario();
    for (int r = 0; sc && r < sc->nroles; r++)
        cand(sc->roles[r].id);
}

static void cand_metrics(void)
{
    for (int m = 0; m < SP_M_NPERIOD; m++)
        cand(sp_metric_name(m));
}

static void cand_scenarios(void)
{
    const sp_session *s = cur_session;
    for (int e = 0; s && e < s->n; e++)
        cand(s->e[e].sc->name);
}

/* Values worth offering after `set PARAM`: enumeration words, switches,
 * role ids for `manages` and `of ROLE` in pools. */
static void cand_values(const char *param, const char *prev)
{
    const char *dot = strchr(param, '.');
    int i = dot ? sp_param_find(dot + 1, SP_SCOPE_ROLE)
                : sp_param_find(param, SP_SCOPE_GLOBAL);
    if (i < 0)
        return;
    switch (sp_params[i].type) {
    case SP_T_ENUM: cand_enum(sp_params[i].enums); break;
    case SP_T_BOOL: cand("on"); cand("off"); break;
    case SP_T_ROLE: cand_roles(); break;
    case SP_T_POOL:
        if (strcmp(prev, "of") == 0)
            cand_roles();
        else
            cand("of");
        break;
    case SP_T_DRAW: cand("recoverable"); cand("nonrecoverable"); break;
    case SP_T_RAMP: cand("linear"); break;
    case SP_T_REVENUE: cand("bookings"); cand("ratable"); break;
    default: break;
    }
}

#define MAX_WORDS 8

/* Splits the statement the cursor is in (up to start) into words, as the
 * statement tokeniser would: `;` outside quotes and parentheses starts a
 * new statement.  Returns the number of whole words before the cursor. */
static int words_before(int start, char w[MAX_WORDS][64])
{
    int n = 0, len = 0, q = 0, depth = 0, in = 0;
    for (int i = 0; i < start && rl_line_buffer[i]; i++) {
        char c = rl_line_buffer[i];
        int sep = 0;
        if (q) {
            if (c == '"')
                q = 0;
        } else if (c == '"' && depth == 0 && !in) {
            q = 1;
            in = 1;
            continue;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && depth > 0) {
            depth--;
        } else if (c == ';' && depth == 0) {
            n = len = in = 0;
            continue;
        } else if ((c == ' ' || c == '\t') && depth == 0) {
            sep = 1;
        }
        if (sep) {
            if (in && n < MAX_WORDS) {
                w[n][len] = 0;
                n++;
            }
            in = len = 0;
            continue;
        }
        in = 1;
        if (n < MAX_WORDS && len < 63 && (c != '"' || q))
            w[n][len++] = c;
    }
    return n < MAX_WORDS ? n : MAX_WORDS;
}

static int is_one_of(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    static const char *const file_cmds[] = {"load", "use", "roster", "save", "export", NULL};
    static const char *const param_cmds[] = {"get", "unset", NULL};
    static const char *const scen_cmds[] = {"scenario", "diff", "compare", NULL};
    static const char *const periods[] = {"month", "quarter", "year", NULL};
    static const char *const show_words[] = {"params", "summary", "reps", NULL};
    static const char *const kinds[] = {"quota", "support", "manager", NULL};
    char w[MAX_WORDS][64];
    int n = words_before(start, w);
    const char *prev = n ? w[n - 1] : "";

    cands_clear();
    rl_attempted_completion_over = 1;
    if (n == 0) {
        for (int c = 0; c < sp_ncommands; c++)
            cand(sp_commands[c].name);
        return rl_completion_matches(text, cand_gen);
    }
    const char *cmd = w[0];
    if (is_one_of(cmd, file_cmds)) {
        /* readline's own file name completion, with a `/` after a
         * directory and quoting of awkward names. */
        rl_attempted_completion_over = 0;
        return NULL;
    }
    if (!strcmp(cmd, "set")) {
        if (n == 1)
            cand_params();
        else
            cand_values(w[1], prev);
    } else if (is_one_of(cmd, param_cmds)) {
        cand_params();
    } else if (!strcmp(cmd, "help")) {
        if (n == 1) {
            for (int c = 0; c < sp_ncommands; c++)
                cand(sp_commands[c].name);
        } else if (n == 2 && !strcmp(w[1], "set")) {
            cand_params();
        }
    } else if (!strcmp(cmd, "show")) {
        if (n == 1) {
            cand_words(show_words);
            cand_metrics();
        } else if (!strcmp(prev, "by")) {
            cand_words(periods);
        } else if (!strcmp(w[1], "reps")) {
            if (n == 2)
                cand_roles();
        } else if (strcmp(w[1], "params") && strcmp(w[1], "summary")) {
            cand("by");
            cand_roles();
        }
    } else if (!strcmp(cmd, "run")) {
        if (strcmp(prev, "trials") && strcmp(prev, "seed")) {
            cand("trials");
            cand("seed");
        }
    } else if (is_one_of(cmd, scen_cmds)) {
        cand_scenarios();
    } else if (!strcmp(cmd, "role")) {
        if (n == 2)
            cand_words(kinds);
    } else if (!strcmp(cmd, "sweep")) {
        if (n == 1 || n == 4)
            cand_params();
        else if (!strcmp(prev, "metric"))
            cand_metrics();
        else if (n >= 3) {
            cand("step");
            cand("metric");
        }
    } else if (!strcmp(cmd, "tornado")) {
        if (!strcmp(prev, "metric"))
            cand_metrics();
        else if (n == 1)
            cand("metric");
    } else if (!strcmp(cmd, "goalseek")) {
        if (n == 1)
            cand_params();
        else if (n == 2)
            cand("for");
        else if (!strcmp(prev, "for")) {
            cand_metrics();
            cand("p(target)");
        }
    }
    return rl_completion_matches(text, cand_gen);
}

/* ---- history ---- */

char *sp_history_path(void)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char dir[4096];
    /* The XDG spec says a relative XDG_STATE_HOME is to be ignored. */
    if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof dir, "%s/salesplan", xdg);
    else if (home && home[0])
        snprintf(dir, sizeof dir, "%s/.local/state/salesplan", home);
    else
        return NULL;
    /* Create the chain of directories, private to the user as the XDG
     * spec asks; when that fails, fall back to a dot file in HOME. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0700);
            *p = '/';
        }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
        if (!home || !home[0])
            return NULL;
        snprintf(dir, sizeof dir, "%s/.salesplan_history", home);
        return strdup(dir);
    }
    size_t n = strlen(dir) + sizeof "/history";
    char *r = malloc(n);
    if (r)
        snprintf(r, n, "%s/history", dir);
    return r;
}

/* History holds parameter values and file names of the user's plans:
 * readable by the user only, from the moment it exists. */
static void history_open(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_APPEND, 0600);
    if (fd >= 0)
        close(fd);
    stifle_history(HISTORY_LINES);
    read_history(path);
    history_truncate_file(path, HISTORY_LINES);
}

/* Each statement goes to the file as soon as it is entered, so that a
 * crash or a killed terminal loses nothing.  A repeat of the previous
 * statement is not recorded twice. */
static void history_add(const char *stmt, const char *path)
{
    const char *p = stmt + strspn(stmt, " \t");
    if (!*p)
        return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1)
                                          : NULL;
    if (last && strcmp(last->line, stmt) == 0)
        return;
    add_history(stmt);
    if (path)
        append_history(1, path);
}

/* ---- continuation ---- */

typedef struct {
    int in_quote, depth;
    long comment;    /* byte where a `#` comment starts, -1 none */
    long backslash;  /* byte of a trailing `\` continuation, -1 none */
} scan_state;

/* The tokeniser's rules (lang.h, sp_next_statement) for what is still
 * open at the end of a line: a quote starts a string only at the start of
 * a word outside parentheses; `#` outside a string starts a comment; a `\`
 * followed only by blanks continues the line. */
static scan_state scan(const char *l)
{
    scan_state st = {0, 0, -1, -1};
    int in_word = 0;
    for (long i = 0; l[i]; i++) {
        char c = l[i];
        if (st.in_quote) {
            if (c == '\\' && (l[i + 1] == '"' || l[i + 1] == '\\'))
                i++;
            else if (c == '"') {
                st.in_quote = 0;
                in_word = 0;
            }
            continue;
        }
        if (c == '#') {
            st.comment = i;
            break;
        }
        if (c == '\\' && l[i + 1 + strspn(l + i + 1, " \t\r\f\v")] == 0) {
            st.backslash = i;
            break;
        }
        if (c == ';' && st.depth == 0) {
            in_word = 0;
        } else if ((c == ' ' || c == '\t') && st.depth == 0) {
            in_word = 0;
        } else {
            if (c == '"' && st.depth == 0 && !in_word)
                st.in_quote = 1;
            else if (c == '(')
                st.depth++;
            else if (c == ')' && st.depth > 0)
                st.depth--;
            in_word = 1;
        }
    }
    return st;
}

static char *append(char *a, const char *b, size_t bl, const char *join)
{
    size_t al = a ? strlen(a) : 0, jl = strlen(join);
    char *r = realloc(a, al + bl + jl + 1);
    if (!r) {
        free(a);
        return NULL;
    }
    memcpy(r + al, b, bl);
    memcpy(r + al + bl, join, jl + 1);
    return r;
}

/* Adds a typed line to the statement being built, which is kept as one
 * line so that history stores it as one entry and columns in error
 * messages point into what the user typed.  Returns 1 when the statement
 * is complete, 0 when more lines are needed, -1 out of memory. */
static int add_line(char **acc, const char *line)
{
    *acc = append(*acc, line, strlen(line), "");
    if (!*acc)
        return -1;
    scan_state st = scan(*acc);
    size_t keep;
    const char *join;
    if (st.backslash >= 0) {
        /* Inside parentheses the tokeniser glues the two lines together;
         * elsewhere the continuation separates words. */
        keep = (size_t)st.backslash;
        join = st.depth > 0 ? "" : " ";
    } else if (st.in_quote) {
        keep = strlen(*acc);
        join = " ";
    } else if (st.depth > 0) {
        /* A comment would swallow the lines joined after it. */
        keep = st.comment >= 0 ? (size_t)st.comment : strlen(*acc);
        join = " ";
    } else {
        return 1;
    }
    (*acc)[keep] = 0;
    *acc = append(*acc, "", 0, join);
    return *acc ? 0 : -1;
}

/* ---- reading a line ---- */

static char *got_line;
static int got;

static void on_line(char *line)
{
    got_line = line;
    got = 1;
    rl_callback_handler_remove();
}

/* Reads one line with readline's callback interface, which lets Ctrl-C
 * abandon the line cleanly: the handler only sets a flag, select() returns
 * EINTR and the line is dropped here, outside the signal handler.
 * Returns 1 with *out set (NULL at end of input), 0 when interrupted. */
static int read_line(const char *prompt, char **out)
{
    FILE *in = rl_instream ? rl_instream : stdin;
    int fd = fileno(in);
    got = 0;
    got_line = NULL;
    rl_callback_handler_install(prompt, on_line);
    while (!got) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        int r = select(fd + 1, &fds, NULL, NULL, NULL);
        if (sp_interrupted) {
            sp_interrupted = 0;
            FILE *o = rl_outstream ? rl_outstream : stdout;
            rl_point = rl_end;
            rl_redisplay();
            /* Before leaving the terminal mode: readline's clean-up may
             * return the cursor to the start of the line. */
            fputs("^C", o);
            fflush(o);
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_callback_handler_remove();
            fputs("\n", o);
            fflush(o);
            *out = NULL;
            return 0;
        }
        if (winch_pending) {
            winch_pending = 0;
            rl_resize_terminal();
        }
        if (r < 0 && errno != EINTR) {
            rl_callback_handler_remove();
            break;
        }
        if (r > 0)
            rl_callback_read_char();
    }
    *out = got_line;
    return 1;
}

/* ---- interactive loop ---- */

static void make_prompt(const sp_session *s, int continued, char *buf, size_t size)
{
    const char *name = s->cur >= 0 ? s->e[s->cur].sc->name : "";
    char main_prompt[160];
    if (name[0])
        snprintf(main_prompt, sizeof main_prompt, "salesplan[%s]> ", name);
    else
        snprintf(main_prompt, sizeof main_prompt, "salesplan> ");
    if (!continued) {
        snprintf(buf, size, "%s", main_prompt);
        return;
    }
    /* Same width as the main prompt, so continued text lines up. */
    int w = sp_text_width(main_prompt);
    snprintf(buf, size, "%*s", w, "...> ");
}

static int run_statement(sp_session *s, const char *stmt, int single, int prompt_width)
{
    refresh_width(s);
    input.text = stmt;
    input.single = single;
    input.prompt_width = prompt_width;
    input.reports = 0;
    input.interrupted = 0;
    sp_interrupted = 0;
    sp_pager pg;
    sp_pager_begin(s, &pg);
    int rc = sp_exec_text(s, stmt, SHELL_FILE, 1, NULL);
    progress_clear();
    sp_pager_end(s, &pg);
    if (sp_interrupted && !input.interrupted)
        fprintf(s->err, "interrupted\n");
    sp_interrupted = 0;
    input.text = NULL;
    fflush(s->out);
    return rc;
}

/* A yes/no question at the prompt: only y or yes is yes; Ctrl-C, Ctrl-D
 * and anything else are no. */
static int confirm(sp_session *s, const char *question)
{
    char prompt[512], *line = NULL;
    fflush(s->out);
    snprintf(prompt, sizeof prompt, "%s [y/N] ", question);
    if (!read_line(prompt, &line) || !line)
        return 0;
    const char *w = line + strspn(line, " \t");
    int yes = strncasecmp(w, "y", 1) == 0 &&
              (w[1] == 0 || strncasecmp(w, "yes", 3) == 0);
    free(line);
    return yes;
}

int sp_shell_interactive(sp_session *s)
{
    char *hist = sp_history_path();
    cur_session = s;
    interactive = 1;
    s->confirm = confirm;

    /* readline would otherwise export LINES and COLUMNS, and a COLUMNS the
     * user did not set would then win over later window sizes. */
    rl_change_environment = 0;
    /* Signals stay ours: Ctrl-C is handled in read_line, a resize there
     * and before each statement. */
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_readline_name = "salesplan";
    rl_attempted_completion_function = complete;
    /* Not '.', so that `ae.qu` completes as one word to `ae.quota`. */
    rl_basic_word_break_characters = " \t\n;";
    rl_completer_word_break_characters = " \t\n;";
    rl_completer_quote_characters = "\"";
    rl_filename_quote_characters = " \t;#\"";
    if (hist)
        history_open(hist);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigwinch;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);

    fprintf(s->out, "salesplan %s — type `help` for commands, Ctrl-D to leave\n",
            SP_VERSION);
    fflush(s->out);
    char *acc = NULL;
    int lines = 0;
    for (;;) {
        char prompt[200], *line;
        make_prompt(s, acc != NULL, prompt, sizeof prompt);
        if (!read_line(prompt, &line)) {
            /* Ctrl-C: the line, and any lines continued before it, are
             * dropped; what was entered before is in the history. */
            free(acc);
            acc = NULL;
            lines = 0;
            continue;
        }
        if (!line) {
            fputc('\n', s->out);
            /* Ctrl-D asks as `quit` does */
            if (sp_quit_ok(s))
                break;
            continue;
        }
        lines++;
        int done = add_line(&acc, line);
        free(line);
        if (done < 0) {
            fprintf(s->err, "out of memory\n");
            acc = NULL;
            lines = 0;
            continue;
        }
        if (!done)
            continue;
        history_add(acc, hist);
        int rc = run_statement(s, acc, lines == 1, sp_text_width(prompt));
        free(acc);
        acc = NULL;
        lines = 0;
        if (rc == SP_CMD_QUIT || s->quit)
            break;
    }
    free(acc);
    if (hist)
        history_truncate_file(hist, HISTORY_LINES);
    free(hist);
    cands_clear();
    free(cands);
    cands = NULL;
    capcands = 0;
    cur_session = NULL;
    interactive = 0;
    s->confirm = NULL;
    /* Mistakes at the keyboard were seen and corrected there; they do not
     * make the session fail. */
    return 0;
}
