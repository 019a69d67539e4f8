#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "salesplan/lang.h"
#include "salesplan/dist.h"

/* ---- growable buffers ---- */

typedef struct {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }
static void sb_putc(sbuf *b, char c) { sb_putn(b, &c, 1); }

/* Hands the string over (or NULL after a failed allocation). */
static char *sb_take(sbuf *b)
{
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    if (!b->s) {
        char *e = malloc(1);
        if (e)
            e[0] = '\0';
        return e;
    }
    return b->s;
}

/* ---- tokens ---- */

void sp_tokens_free(sp_tokens *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++)
        free(t->v[i].s);
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static int tokens_push(sp_tokens *t, sbuf *b, int line, int col, int quoted)
{
    char *s = sb_take(b);

    memset(b, 0, sizeof *b);
    if (!s)
        return -1;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 8;
        sp_token *v = realloc(t->v, (size_t)cap * sizeof *v);
        if (!v) {
            free(s);
            return -1;
        }
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].s = s;
    t->v[t->n].line = line;
    t->v[t->n].col = col;
    t->v[t->n].quoted = quoted;
    t->n++;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A `\` counts as a line continuation only when nothing but blanks follows
 * it on its line; elsewhere it is an ordinary character.  Returns the index
 * of the newline (or NUL) that ends the line, or 0 when the `\` is not
 * trailing (index 0 can never follow a backslash). */
static size_t continuation_end(const char *text, size_t p)
{
    size_t q = p + 1;
    while (is_blank(text[q]))
        q++;
    return (text[q] == '\n' || text[q] == '\0') ? q : 0;
}

/* The tokeniser's state while it walks one statement: the position (p, the
 * start ls and number ln of its line), the token being built and where it
 * and the outermost open parenthesis began. */
typedef struct {
    const char *text;
    size_t p, ls;
    int ln;
    sbuf tok;
    int in_tok, quoted, in_quote, depth;
    int tok_line, tok_col, open_line, open_col;
    const char *what;      /* the syntax error, when one was found */
    sp_tokens *out;
} lexer;

/* What one step of the tokeniser found. */
enum {
    LEX_ON,       /* keep reading */
    LEX_STMT,     /* the statement (or the text) ended */
    LEX_FAIL,     /* a syntax error, described in what */
    LEX_NOMEM     /* memory ran out */
};

/* What a character does outside quotes. */
enum {
    BRK_NONE,     /* nothing special: part of a token */
    BRK_SKIP,     /* consumed without ending a token (comment, continuation
                     inside parentheses) */
    BRK_TOKEN,    /* ends the token */
    BRK_STMT,     /* ends the token and the statement */
    BRK_FAIL      /* a syntax error */
};

static int lex_quoted(lexer *lx, char c)
{
    const char *text = lx->text;

    if (c == '\n' || c == '\0') {
        lx->what = "unterminated string: expected a closing '\"'";
        return LEX_FAIL;
    }
    if (c == '\\' && (text[lx->p + 1] == '"' || text[lx->p + 1] == '\\')) {
        sb_putc(&lx->tok, text[lx->p + 1]);
        lx->p += 2;
        return LEX_ON;
    }
    lx->p++;
    if (c == '"') {
        lx->in_quote = 0;
        if (tokens_push(lx->out, &lx->tok, lx->tok_line, lx->tok_col, 1) != 0)
            return LEX_NOMEM;
        lx->in_tok = 0;
        return LEX_ON;
    }
    sb_putc(&lx->tok, c);
    return LEX_ON;
}

static void lex_newline(lexer *lx, size_t nl)
{
    lx->p = nl + 1;
    lx->ln++;
    lx->ls = lx->p;
}

static int lex_break(lexer *lx, char c)
{
    const char *text = lx->text;

    if (c == '\\') {
        size_t q = continuation_end(text, lx->p);
        if (q) {
            /* Outside parentheses a continuation separates tokens, so
             * `a\` + `b` reads as two words, as the eye expects. */
            if (text[q] == '\n')
                lex_newline(lx, q);
            else
                lx->p = q;
            return lx->depth == 0 ? BRK_TOKEN : BRK_SKIP;
        }
    }
    if (c == '#') {
        while (text[lx->p] != '\n' && text[lx->p] != '\0')
            lx->p++;
        return BRK_SKIP;
    }
    if (c == '\0' || c == '\n') {
        if (lx->depth > 0) {
            lx->what = "unterminated parenthesis: expected a closing ')'";
            lx->tok_line = lx->open_line;
            lx->tok_col = lx->open_col;
            return BRK_FAIL;
        }
        if (c == '\n')
            lex_newline(lx, lx->p);
        return BRK_STMT;
    }
    if (c == ';' && lx->depth == 0) {
        lx->p++;
        return BRK_STMT;
    }
    if (is_blank(c) && lx->depth == 0) {
        lx->p++;
        return BRK_TOKEN;
    }
    return BRK_NONE;
}

static int lex_end_token(lexer *lx, int ends_stmt, char c)
{
    if (lx->in_tok &&
        tokens_push(lx->out, &lx->tok, lx->tok_line, lx->tok_col, lx->quoted) != 0)
        return LEX_NOMEM;
    lx->in_tok = 0;
    return ends_stmt && (lx->out->n > 0 || c == '\0') ? LEX_STMT : LEX_ON;
}

static void lex_char(lexer *lx, char c, int col)
{
    if (!lx->in_tok) {
        lx->in_tok = 1;
        lx->quoted = 0;
        lx->tok_line = lx->ln;
        lx->tok_col = col;
        if (c == '"' && lx->depth == 0) {
            lx->quoted = lx->in_quote = 1;
            lx->p++;
            return;
        }
    }
    if (c == '(') {
        if (lx->depth++ == 0) {
            lx->open_line = lx->ln;
            lx->open_col = col;
        }
    } else if (c == ')' && lx->depth > 0) {
        lx->depth--;
    }
    sb_putc(&lx->tok, c);
    lx->p++;
}

static int lex_step(lexer *lx)
{
    char c = lx->text[lx->p];
    int col = (int)(lx->p - lx->ls) + 1;

    if (lx->in_quote)
        return lex_quoted(lx, c);
    switch (lex_break(lx, c)) {
    case BRK_SKIP:
        return LEX_ON;
    case BRK_FAIL:
        return LEX_FAIL;
    case BRK_TOKEN:
        return lex_end_token(lx, 0, c);
    case BRK_STMT:
        return lex_end_token(lx, 1, c);
    default:
        lex_char(lx, c, col);
        return LEX_ON;
    }
}

int sp_next_statement(const char *text, size_t *pos, int *line,
                      const char *file, sp_tokens *out, sp_error *err)
{
    lexer lx = {0};
    sp_loc loc;
    int r;

    lx.text = text;
    lx.p = lx.ls = *pos;
    lx.ln = *line;
    lx.out = out;
    sp_tokens_free(out);
    while (lx.ls > 0 && text[lx.ls - 1] != '\n')
        lx.ls--;

    while ((r = lex_step(&lx)) == LEX_ON)
        ;
    if (r == LEX_STMT) {
        *pos = lx.p;
        *line = lx.ln;
        return out->n > 0;
    }
    free(lx.tok.s);
    sp_tokens_free(out);
    if (r == LEX_NOMEM) {
        sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        return -1;
    }

    /* Skip the rest of the offending line so a caller may carry on. */
    while (text[lx.p] != '\n' && text[lx.p] != '\0')
        lx.p++;
    if (text[lx.p] == '\n') {
        lx.p++;
        lx.ln++;
    }
    *pos = lx.p;
    *line = lx.ln;
    loc.file = file;
    loc.line = lx.tok_line;
    sp_error_set(err, SP_ERR_PARSE, &loc, lx.tok_col, "%s", lx.what);
    return -1;
}

/* ---- values ---- */

typedef struct {
    const sp_tokens *t;
    int i;
    const char *file;
    sp_error *err;
} cursor;

static const sp_token *peek(const cursor *c)
{
    return c->i < c->t->n ? &c->t->v[c->i] : NULL;
}

static const sp_token *next(cursor *c)
{
    const sp_token *tk = peek(c);
    if (tk)
        c->i++;
    return tk;
}

/* Reports "expected WHAT, found ..." at token tk (col + off), or at the end
 * of the statement when tk is NULL. */
static sp_status expected(cursor *c, const sp_token *tk, int off,
                          const char *found, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static sp_status expected(cursor *c, const sp_token *tk, int off,
                          const char *found, const char *fmt, ...)
{
    char what[512];
    sp_loc loc = { c->file ? c->file : "<input>", 0 };
    int col = 0;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (tk) {
        loc.line = tk->line;
        col = tk->col + off;
        if (!found)
            found = tk->s;
        return sp_error_set(c->err, SP_ERR_PARSE, &loc, col,
                            "expected %s, found '%s'", what, found);
    }
    if (c->t->n > 0) {
        const sp_token *last = &c->t->v[c->t->n - 1];
        loc.line = last->line;
        col = last->col + (int)strlen(last->s) + (last->quoted ? 2 : 0);
    }
    return sp_error_set(c->err, SP_ERR_PARSE, c->t->n > 0 ? &loc : NULL, col,
                        "expected %s, found end of statement", what);
}

static const char *number_what(sp_unit u)
{
    switch (u) {
    case SP_U_MONEY:   return "a number (e.g. 900k, $1.2M, 1,200,000)";
    case SP_U_PERCENT: return "a number (e.g. 20% or 0.2)";
    case SP_U_MONTHS:  return "a number of months (e.g. 3)";
    case SP_U_COUNT:   return "a number (e.g. 12)";
    case SP_U_MULT:    return "a number (e.g. 1.5 or 150%)";
    case SP_U_NONE:    break;
    }
    return "a number (e.g. 900k, 1,200,000, 20%)";
}

/* A percentage of money, months or people is never what was meant. */
int sp_parse_number_in_unit(const char *s, sp_unit u, double *x)
{
    int pct = 0;
    double v;

    if (sp_parse_number(s, &v, &pct) != 0)
        return -1;
    if (pct && (u == SP_U_MONEY || u == SP_U_MONTHS || u == SP_U_COUNT))
        return -1;
    *x = v;
    return 0;
}

static int is_whole(double x, double lo)
{
    return x == floor(x) && x >= lo && x <= 1e9;
}

/* A percentage written as a bare number above 1 (`cap 250`, tiers
 * `50:1`) is a fraction of 25000% or 5000%: nearly always a missing `%`,
 * so it is refused with what it would have meant.  Fractions up to 1 and
 * anything with `%` read as always; so does a fraction no percentage
 * spells exactly, which is how `save` writes such a value. */
static int bare_percent(cursor *c, const sp_token *tk, int at, const char *s,
                        sp_unit u, double x)
{
    if (u != SP_U_PERCENT || strchr(s, '%') || fabs(x) <= 1)
        return 0;
    char pct[64];
    if (sp_format_percent(x, pct) != 0)
        return 0;
    expected(c, tk, at, s, "%s%% or %s (a bare number above 1 is refused "
             "on a percentage: as a fraction %s is %s)", s, pct, s, pct);
    return 1;
}

static int read_number(cursor *c, sp_unit u, double *x)
{
    const sp_token *tk = next(c);
    if (!tk || sp_parse_number_in_unit(tk->s, u, x) != 0) {
        expected(c, tk, 0, NULL, "%s", number_what(u));
        return -1;
    }
    if (bare_percent(c, tk, 0, tk->s, u, *x))
        return -1;
    return 0;
}

/* A whole number >= lo, read as the count of something (`what`). */
static int read_whole(cursor *c, double lo, const char *what, int *n)
{
    const sp_token *tk = next(c);
    double x;

    if (!tk || sp_parse_whole(tk->s, &x) != 0 || !is_whole(x, lo)) {
        expected(c, tk, 0, NULL, "%s", what);
        return -1;
    }
    *n = (int)x;
    return 0;
}

static int is_ident(const char *s)
{
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (s++; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Index of word w in the `|`-separated list, or -1. */
static int enum_index(const char *words, const char *w, size_t wlen)
{
    int i = 0;
    const char *p = words;

    while (p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == wlen && strncmp(p, w, len) == 0)
            return i;
        p = bar ? bar + 1 : NULL;
        i++;
    }
    return -1;
}

static const char *enum_word(const char *words, int idx, size_t *len)
{
    const char *p = words;

    for (int i = 0; p; i++) {
        const char *bar = strchr(p, '|');
        *len = bar ? (size_t)(bar - p) : strlen(p);
        if (i == idx)
            return p;
        p = bar ? bar + 1 : NULL;
    }
    return NULL;
}

static sp_status enum_error(cursor *c, const sp_token *tk, const char *words)
{
    char list[400] = "", suggest[96] = "", w[64];
    size_t len, used = 0;
    int best = 3, count = 0;
    const char *p;

    while (enum_word(words, count, &len))
        count++;
    for (int i = 0; i < count; i++) {
        p = enum_word(words, i, &len);
        if (len >= sizeof w)
            len = sizeof w - 1;
        memcpy(w, p, len);
        w[len] = '\0';
        int k = snprintf(list + used, sizeof list - used, "%s'%s'",
                         i == 0 ? "" : i == count - 1 ? " or " : ", ", w);
        if (k > 0 && (size_t)k < sizeof list - used)
            used += (size_t)k;
        if (tk) {
            int d = sp_edit_distance(tk->s, w);
            if (d < best) {
                best = d;
                snprintf(suggest, sizeof suggest, "; did you mean '%s'?", w);
            }
        }
    }
    if (!tk)
        return expected(c, tk, 0, NULL, "%s", list);
    sp_loc loc = { c->file ? c->file : "<input>", tk->line };
    return sp_error_set(c->err, SP_ERR_PARSE, &loc, tk->col,
                        "expected %s, found '%s'%s", list, tk->s, suggest);
}

static int push_num(sp_value *v, double x)
{
    double *l = realloc(v->list, (size_t)(v->n + 1) * sizeof *l);
    if (!l)
        return -1;
    l[v->n++] = x;
    v->list = l;
    return 0;
}

static int push_pair(sp_value *v, double x, double y)
{
    sp_pair *l = realloc(v->pairs, (size_t)(v->n + 1) * sizeof *l);
    if (!l)
        return -1;
    l[v->n].x = x;
    l[v->n].y = y;
    v->n++;
    v->pairs = l;
    return 0;
}

static int parse_list(cursor *c, sp_unit u, sp_value *out)
{
    do {
        double x;
        if (read_number(c, u, &x) != 0)
            return -1;
        if (push_num(out, x) != 0)
            return -2;
    } while (peek(c));
    return 0;
}

/* Splits `x:y` at the colon, reporting errors at the side that failed. */
static int parse_pair(cursor *c, const char *what, int month_x, sp_unit ux,
                      sp_unit uy, double *x, double *y)
{
    const sp_token *tk = next(c);
    const char *colon = tk ? strchr(tk->s, ':') : NULL;
    char left[128];
    size_t ll;

    if (!colon) {
        expected(c, tk, 0, NULL, "%s", what);
        return -1;
    }
    ll = (size_t)(colon - tk->s);
    if (ll >= sizeof left)
        ll = sizeof left - 1;
    memcpy(left, tk->s, ll);
    left[ll] = '\0';
    if (month_x) {
        int m;
        if (sp_parse_month(left, &m) != 0) {
            expected(c, tk, 0, left, "a month YYYY-MM");
            return -1;
        }
        *x = m;
        if (sp_parse_whole(colon + 1, y) != 0 || !is_whole(*y, 0)) {
            expected(c, tk, (int)(colon + 1 - tk->s), colon + 1,
                     "a whole number of hires >= 0");
            return -1;
        }
        return 0;
    }
    if (sp_parse_number_in_unit(left, ux, x) != 0) {
        expected(c, tk, 0, left, "%s", number_what(ux));
        return -1;
    }
    if (sp_parse_number_in_unit(colon + 1, uy, y) != 0) {
        expected(c, tk, (int)(colon + 1 - tk->s), colon + 1, "%s after ':'",
                 number_what(uy));
        return -1;
    }
    if (bare_percent(c, tk, 0, left, ux, *x) ||
        bare_percent(c, tk, (int)(colon + 1 - tk->s), colon + 1, uy, *y))
        return -1;
    return 0;
}

static int is_word(const sp_token *tk, const char *w)
{
    return tk && !tk->quoted && strcmp(tk->s, w) == 0;
}

static const char *single_what(sp_type type, sp_unit unit)
{
    switch (type) {
    case SP_T_NUM:       return unit == SP_U_PERCENT ? "one percentage" : "one number";
    case SP_T_INT:       return "one whole number";
    case SP_T_MONTH:     return "one month";
    case SP_T_BOOL:      return "'on' or 'off'";
    case SP_T_ENUM:      return "one word";
    case SP_T_DIST:      return "one distribution";
    case SP_T_ROLE:      return "one role";
    case SP_T_STRING:    return "one string (put text with spaces in \"quotes\")";
    case SP_T_RAMP:      return "'linear N'";
    case SP_T_POOL:      return "'RATE of ROLE'";
    case SP_T_AWARD:     return "'K AMOUNT'";
    case SP_T_DRAW:      return "'N AMOUNT recoverable|nonrecoverable'";
    case SP_T_GUARANTEE: return "'N AMOUNT'";
    case SP_T_REVENUE:   return "'bookings' or 'ratable N [renewal R%]'";
    default:             return "nothing more";
    }
}

/* What a parser is asked to read: the parameter's type, its units and, for
 * SP_T_ENUM, its `|`-separated words. */
typedef struct {
    sp_type type;
    sp_unit unit, unit2;
    const char *enums;
} value_spec;

/* Each parser reads its value from the cursor into out: 0, -1 (error in
 * c->err) or -2 (out of memory). */
typedef int (*value_parser)(cursor *c, const value_spec *vs, sp_value *out);

/* The words `none` stands for an absent pool, award, draw or guarantee. */
static int take_none(cursor *c)
{
    if (!is_word(peek(c), "none"))
        return 0;
    next(c);
    return 1;
}

static int parse_none(cursor *c, const value_spec *vs, sp_value *out)
{
    (void)c;
    (void)vs;
    (void)out;
    return 0;
}

static int parse_num(cursor *c, const value_spec *vs, sp_value *out)
{
    return read_number(c, vs->unit, &out->num);
}

static int parse_int(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);
    double x;

    (void)vs;
    if (!tk || sp_parse_whole(tk->s, &x) != 0) {
        expected(c, tk, 0, NULL, "a whole number (e.g. 12%s)",
                 tk && strchr(tk->s, '%') ? "; not a percentage" : "");
        return -1;
    }
    out->num = x;
    return 0;
}

static int parse_month(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);
    int m;

    (void)vs;
    if (!tk || sp_parse_month(tk->s, &m) != 0) {
        expected(c, tk, 0, NULL, "a month YYYY-MM");
        return -1;
    }
    out->num = m;
    return 0;
}

static int parse_bool(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);

    (void)vs;
    if (is_word(tk, "on") || is_word(tk, "true") || is_word(tk, "yes"))
        out->num = 1;
    else if (is_word(tk, "off") || is_word(tk, "false") || is_word(tk, "no"))
        out->num = 0;
    else {
        expected(c, tk, 0, NULL, "'on' or 'off'");
        return -1;
    }
    return 0;
}

static int parse_enum(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);
    int m = tk && vs->enums ? enum_index(vs->enums, tk->s, strlen(tk->s)) : -1;

    if (m < 0) {
        enum_error(c, tk, vs->enums ? vs->enums : "");
        return -1;
    }
    out->num = m;
    return 0;
}

static int parse_dist(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);

    (void)vs;
    if (!tk) {
        expected(c, tk, 0, NULL, "a distribution (e.g. 2, uniform(1, 3), "
                 "lognormal(mean=0.95, sd=0.3))");
        return -1;
    }
    sp_status st = sp_dist_parse(tk->s, &out->dist, c->file, tk->line,
                                 tk->col, c->err);
    return st == SP_OK ? 0 : st == SP_ERR_NOMEM ? -2 : -1;
}

static int parse_numlist(cursor *c, const value_spec *vs, sp_value *out)
{
    return parse_list(c, vs->unit, out);
}

static int parse_pairs(cursor *c, const value_spec *vs, sp_value *out)
{
    do {
        double x, y;
        if (parse_pair(c, "a pair X:Y (e.g. 50%:1)", 0, vs->unit, vs->unit2,
                       &x, &y))
            return -1;
        if (push_pair(out, x, y) != 0)
            return -2;
    } while (peek(c));
    return 0;
}

static int parse_hires(cursor *c, const value_spec *vs, sp_value *out)
{
    (void)vs;
    do {
        double x, y;
        if (parse_pair(c, "hires YYYY-MM:COUNT (e.g. 2027-03:2)", 1,
                       SP_U_NONE, SP_U_COUNT, &x, &y))
            return -1;
        if (push_pair(out, x, y) != 0)
            return -2;
    } while (peek(c));
    return 0;
}

static int parse_ramp(cursor *c, const value_spec *vs, sp_value *out)
{
    if (is_word(peek(c), "linear")) {
        next(c);
        out->flag = 1;
        return read_whole(c, 0, "a whole number of months after 'linear'",
                          &out->n);
    }
    if (!peek(c)) {
        expected(c, NULL, 0, NULL, "'linear N' or ramp factors "
                 "(e.g. 25%% 50%% 75%%)");
        return -1;
    }
    return parse_list(c, vs->unit, out);
}

static int parse_pool(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk;

    if (take_none(c))
        return 0;
    if (read_number(c, vs->unit, &out->num) != 0)
        return -1;
    tk = next(c);
    if (!is_word(tk, "of")) {
        expected(c, tk, 0, NULL, "'of ROLE' after the pool rate");
        return -1;
    }
    tk = next(c);
    if (!tk || !is_ident(tk->s)) {
        expected(c, tk, 0, NULL, "a role after 'of'");
        return -1;
    }
    out->str = dup_str(tk->s);
    return out->str ? 0 : -2;
}

/* Award and guarantee read alike, `K AMOUNT` and `N AMOUNT`; only what the
 * whole number counts differs. */
static int parse_count_amount(cursor *c, const value_spec *vs, sp_value *out)
{
    if (take_none(c))
        return 0;
    if (read_whole(c, 1, vs->type == SP_T_AWARD
                   ? "a whole number K >= 1 (the K best by attainment win the prize) or 'none'"
                   : "a whole number of months >= 1 or 'none'", &out->n))
        return -1;
    return read_number(c, vs->unit, &out->num);
}

static int parse_draw(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk;

    if (take_none(c))
        return 0;
    if (is_word(peek(c), "all")) {
        next(c);
        out->n = -1;
    } else if (read_whole(c, 1, "a whole number of months >= 1, 'all' "
                          "or 'none'", &out->n)) {
        return -1;
    }
    if (read_number(c, vs->unit, &out->num) != 0)
        return -1;
    tk = next(c);
    if (is_word(tk, "recoverable"))
        out->flag = 1;
    else if (!is_word(tk, "nonrecoverable")) {
        expected(c, tk, 0, NULL, "'recoverable' or 'nonrecoverable'");
        return -1;
    }
    return 0;
}

static int parse_revenue(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);

    (void)vs;
    if (is_word(tk, "bookings"))
        return 0;
    if (!is_word(tk, "ratable")) {
        expected(c, tk, 0, NULL, "'bookings' or 'ratable N'");
        return -1;
    }
    out->flag = 1;
    if (read_whole(c, 1, "a whole number of months >= 1 after 'ratable'",
                   &out->n) != 0)
        return -1;
    /* `renewal R`: the expected share of each term that renews (MODEL.md
     * 3); without it nothing renews. */
    if (!peek(c))
        return 0;
    tk = next(c);
    if (!is_word(tk, "renewal")) {
        expected(c, tk, 0, NULL, "'renewal R%%' or the end of the statement");
        return -1;
    }
    if (read_number(c, SP_U_PERCENT, &out->num) != 0)
        return -1;
    return 0;
}

static int parse_role(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);

    (void)vs;
    if (!tk || !is_ident(tk->s)) {
        expected(c, tk, 0, NULL, "a role (lower-case letters, digits and _)");
        return -1;
    }
    out->str = dup_str(tk->s);
    return out->str ? 0 : -2;
}

static int parse_string(cursor *c, const value_spec *vs, sp_value *out)
{
    const sp_token *tk = next(c);

    (void)vs;
    if (!tk) {
        expected(c, tk, 0, NULL, "a string");
        return -1;
    }
    out->str = dup_str(tk->s);
    return out->str ? 0 : -2;
}

static const value_parser parsers[] = {
    [SP_T_NONE] = parse_none,
    [SP_T_NUM] = parse_num,
    [SP_T_INT] = parse_int,
    [SP_T_MONTH] = parse_month,
    [SP_T_BOOL] = parse_bool,
    [SP_T_ENUM] = parse_enum,
    [SP_T_DIST] = parse_dist,
    [SP_T_NUMLIST] = parse_numlist,
    [SP_T_PAIRS] = parse_pairs,
    [SP_T_HIRES] = parse_hires,
    [SP_T_RAMP] = parse_ramp,
    [SP_T_POOL] = parse_pool,
    [SP_T_AWARD] = parse_count_amount,
    [SP_T_DRAW] = parse_draw,
    [SP_T_GUARANTEE] = parse_count_amount,
    [SP_T_REVENUE] = parse_revenue,
    [SP_T_ROLE] = parse_role,
    [SP_T_STRING] = parse_string,
};

static int parse_body(cursor *c, const value_spec *vs, sp_value *out)
{
    out->type = vs->type;
    if ((unsigned)vs->type >= sizeof parsers / sizeof *parsers ||
        !parsers[vs->type])
        return -1;
    return parsers[vs->type](c, vs, out);
}

sp_status sp_parse_value(sp_type type, sp_unit unit, sp_unit unit2,
                         const char *enum_words, const sp_tokens *t,
                         int first, const char *file, sp_value *out,
                         sp_error *err)
{
    cursor c = { t, first < 0 ? 0 : first, file, err };
    value_spec vs = { type, unit, unit2, enum_words };
    int rc;

    memset(out, 0, sizeof *out);
    rc = parse_body(&c, &vs, out);
    if (rc == 0 && peek(&c)) {
        const sp_token *tk = peek(&c);
        sp_loc loc = { file ? file : "<input>", tk->line };
        sp_error_set(err, SP_ERR_PARSE, &loc, tk->col,
                     "too many values: expected %s, found '%s'",
                     single_what(type, unit), tk->s);
        rc = -1;
    }
    if (rc == 0)
        return SP_OK;
    sp_value_free(out);
    if (rc == -2)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    return err ? err->status : SP_ERR_PARSE;
}

/* ---- formatting ---- */

static void put_number(sbuf *b, double x, sp_unit u)
{
    char buf[40];

    if (u != SP_U_PERCENT || sp_format_percent(x, buf) != 0)
        sp_format_exact(x, buf);
    sb_puts(b, buf);
}

static void put_int(sbuf *b, double x)
{
    char buf[40];
    sp_format_exact(x, buf);
    sb_puts(b, buf);
}

static void put_month(sbuf *b, double m)
{
    char buf[8];
    sp_format_month((int)m, buf);
    sb_puts(b, buf);
}

static void put_string(sbuf *b, const char *s)
{
    if (*s && !strpbrk(s, " \t\r\n\f\v#;\"\\()")) {
        sb_puts(b, s);
        return;
    }
    sb_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_putc(b, '\\');
        sb_putc(b, *s);
    }
    sb_putc(b, '"');
}

/* Each writer appends the canonical text of one type of value to b. */
typedef void (*value_writer)(sbuf *b, const sp_value *v, const value_spec *vs);

static void put_none(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)b;
    (void)v;
    (void)vs;
}

static void put_num_value(sbuf *b, const sp_value *v, const value_spec *vs)
{
    put_number(b, v->num, vs->unit);
}

static void put_int_value(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    put_int(b, v->num);
}

static void put_month_value(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    put_month(b, v->num);
}

static void put_bool(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    sb_puts(b, v->num != 0 ? "on" : "off");
}

/* An index outside the words prints as the number it is, so a bad value
 * shows instead of vanishing. */
static void put_enum(sbuf *b, const sp_value *v, const value_spec *vs)
{
    size_t len;
    const char *w = vs->enums ? enum_word(vs->enums, (int)v->num, &len) : NULL;

    if (w && v->num >= 0)
        sb_putn(b, w, len);
    else
        put_int(b, v->num);
}

static void put_dist(sbuf *b, const sp_value *v, const value_spec *vs)
{
    char *d = sp_dist_format(&v->dist);

    (void)vs;
    if (!d) {
        b->failed = 1;
        return;
    }
    sb_puts(b, d);
    free(d);
}

static void put_list(sbuf *b, const double *list, int n, sp_unit u)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sb_putc(b, ' ');
        put_number(b, list[i], u);
    }
}

static void put_numlist(sbuf *b, const sp_value *v, const value_spec *vs)
{
    put_list(b, v->list, v->n, vs->unit);
}

static void put_pairs(sbuf *b, const sp_value *v, const value_spec *vs)
{
    for (int i = 0; i < v->n; i++) {
        if (i)
            sb_putc(b, ' ');
        put_number(b, v->pairs[i].x, vs->unit);
        sb_putc(b, ':');
        put_number(b, v->pairs[i].y, vs->unit2);
    }
}

static void put_hires(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    for (int i = 0; i < v->n; i++) {
        if (i)
            sb_putc(b, ' ');
        put_month(b, v->pairs[i].x);
        sb_putc(b, ':');
        put_int(b, v->pairs[i].y);
    }
}

static void put_ramp(sbuf *b, const sp_value *v, const value_spec *vs)
{
    if (v->flag) {
        sb_puts(b, "linear ");
        put_int(b, v->n);
    } else {
        put_list(b, v->list, v->n, vs->unit);
    }
}

static void put_pool(sbuf *b, const sp_value *v, const value_spec *vs)
{
    if (!v->str) {
        sb_puts(b, "none");
        return;
    }
    put_number(b, v->num, vs->unit);
    sb_puts(b, " of ");
    sb_puts(b, v->str);
}

/* Award, draw and guarantee: `none`, or a count (`all` for a draw of every
 * month) and an amount; a draw also says whether it is recovered. */
static void put_count_amount(sbuf *b, const sp_value *v, const value_spec *vs)
{
    if (v->n == 0) {
        sb_puts(b, "none");
        return;
    }
    if (v->n < 0)
        sb_puts(b, "all");
    else
        put_int(b, v->n);
    sb_putc(b, ' ');
    put_number(b, v->num, vs->unit);
    if (v->type == SP_T_DRAW)
        sb_puts(b, v->flag ? " recoverable" : " nonrecoverable");
}

static void put_revenue(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    if (v->flag) {
        sb_puts(b, "ratable ");
        put_int(b, v->n);
        if (v->num != 0) {
            sb_puts(b, " renewal ");
            put_number(b, v->num, SP_U_PERCENT);
        }
    } else {
        sb_puts(b, "bookings");
    }
}

static void put_role(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    sb_puts(b, v->str ? v->str : "");
}

static void put_string_value(sbuf *b, const sp_value *v, const value_spec *vs)
{
    (void)vs;
    put_string(b, v->str ? v->str : "");
}

static const value_writer writers[] = {
    [SP_T_NONE] = put_none,
    [SP_T_NUM] = put_num_value,
    [SP_T_INT] = put_int_value,
    [SP_T_MONTH] = put_month_value,
    [SP_T_BOOL] = put_bool,
    [SP_T_ENUM] = put_enum,
    [SP_T_DIST] = put_dist,
    [SP_T_NUMLIST] = put_numlist,
    [SP_T_PAIRS] = put_pairs,
    [SP_T_HIRES] = put_hires,
    [SP_T_RAMP] = put_ramp,
    [SP_T_POOL] = put_pool,
    [SP_T_AWARD] = put_count_amount,
    [SP_T_DRAW] = put_count_amount,
    [SP_T_GUARANTEE] = put_count_amount,
    [SP_T_REVENUE] = put_revenue,
    [SP_T_ROLE] = put_role,
    [SP_T_STRING] = put_string_value,
};

char *sp_format_value(const sp_value *v, sp_unit unit, sp_unit unit2,
                      const char *enum_words)
{
    sbuf b = {0};
    value_spec vs = { v->type, unit, unit2, enum_words };

    if ((unsigned)v->type < sizeof writers / sizeof *writers &&
        writers[v->type])
        writers[v->type](&b, v, &vs);
    return sb_take(&b);
}
