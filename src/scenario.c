/* Scenarios, roles and parameter values (see scenario.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/comp.h"
#include "salesplan/dist.h"
#include "salesplan/file.h"
#include "salesplan/scenario.h"

#include "salesplan/utf8.h"

#include "scenario_private.h"

/* Versions are unique across every scenario of the process, not counted
 * per scenario: a scenario brought back by `undo` carries its old version
 * again, and results of that version are current again while results of
 * any later one are stale; a per-scenario count would reuse numbers. */
static unsigned long last_version;

static void bump(sp_scenario *s)
{
    s->version = ++last_version;
}

void sp_scenario_touch(sp_scenario *s)
{
    bump(s);
}

/* ---- interned file names ---- */

static char **interned;
static int ninterned;

static void free_interned(void)
{
    for (int i = 0; i < ninterned; i++)
        free(interned[i]);
    free(interned);
    interned = NULL;
    ninterned = 0;
}

const char *sp_intern(const char *s)
{
    if (!s)
        return NULL;
    for (int i = 0; i < ninterned; i++)
        if (strcmp(interned[i], s) == 0)
            return interned[i];
    char **v = realloc(interned, (size_t)(ninterned + 1) * sizeof *v);
    if (!v)
        return NULL;
    interned = v;
    if (!(v[ninterned] = strdup(s)))
        return NULL;
    if (ninterned == 0)
        atexit(free_interned);
    return v[ninterned++];
}

/* ---- construction ---- */

static char *dupstr(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int alloc_vals(sp_value **vals, sp_where **where)
{
    *vals = calloc((size_t)sp_nparams, sizeof **vals);
    *where = calloc((size_t)sp_nparams, sizeof **where);
    return (*vals && *where) ? 0 : -1;
}

static void free_vals(sp_value *vals, sp_where *where)
{
    if (vals)
        for (int i = 0; i < sp_nparams; i++)
            sp_value_free(&vals[i]);
    free(vals);
    free(where);
}

sp_scenario *sp_scenario_new(const char *name, const char *title)
{
    sp_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->name = dupstr(name);
    s->title = dupstr(title ? title : "");
    if (!s->name || !s->title || alloc_vals(&s->vals, &s->where) != 0) {
        sp_scenario_free(s);
        return NULL;
    }
    return s;
}

static void role_free(sp_role *r)
{
    free(r->id);
    free(r->title);
    free_vals(r->vals, r->where);
}

void sp_scenario_free(sp_scenario *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nroles; i++)
        role_free(&s->roles[i]);
    free(s->roles);
    free(s->name);
    free(s->title);
    free_vals(s->vals, s->where);
    sp_roster_free(&s->roster);
    free(s);
}

static int copy_vals(sp_value *dst, sp_where *dw, const sp_value *src,
                     const sp_where *sw)
{
    for (int i = 0; i < sp_nparams; i++) {
        if (sp_value_copy(&dst[i], &src[i]) != 0)
            return -1;
        dw[i] = sw[i];
    }
    return 0;
}

sp_scenario *sp_scenario_clone(const sp_scenario *s, const char *name)
{
    sp_scenario *c = sp_scenario_new(name ? name : s->name, s->title);
    if (!c)
        return NULL;
    if (copy_vals(c->vals, c->where, s->vals, s->where) != 0)
        goto fail;
    if (s->nroles) {
        c->roles = calloc((size_t)s->nroles, sizeof *c->roles);
        if (!c->roles)
            goto fail;
    }
    for (int i = 0; i < s->nroles; i++) {
        sp_role *d = &c->roles[i];
        const sp_role *r = &s->roles[i];
        c->nroles = i + 1;
        d->id = dupstr(r->id);
        d->title = dupstr(r->title);
        d->kind = r->kind;
        d->decl = r->decl;
        if (!d->id || !d->title || alloc_vals(&d->vals, &d->where) != 0 ||
            copy_vals(d->vals, d->where, r->vals, r->where) != 0)
            goto fail;
    }
    if (sp_roster_copy(&c->roster, &s->roster) != 0)
        goto fail;
    c->version = s->version;
    return c;
fail:
    sp_scenario_free(c);
    return NULL;
}

int sp_scenario_rename(sp_scenario *s, const char *name, const char *title)
{
    char *n = dupstr(name), *t = title ? dupstr(title) : NULL;
    if (!n || (title && !t)) {
        free(n);
        free(t);
        return -1;
    }
    free(s->name);
    s->name = n;
    if (t) {
        free(s->title);
        s->title = t;
    }
    bump(s);
    return 0;
}

/* ---- roles ---- */

static const char *const kind_names[] = {"quota", "support", "manager"};

const char *sp_kind_name(sp_role_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "?";
}

int sp_kind_parse(const char *s, sp_role_kind *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (sp_role_kind)i;
            return 0;
        }
    return -1;
}

int sp_role_find(const sp_scenario *s, const char *id)
{
    for (int i = 0; i < s->nroles; i++)
        if (strcmp(s->roles[i].id, id) == 0)
            return i;
    return -1;
}

static int valid_id(const char *s)
{
    if (!(islower((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static sp_status tok_error(sp_error *err, sp_status st, const char *file,
                           const sp_token *tok, const char *fmt, const char *a,
                           const char *b)
{
    sp_loc loc = {file, tok ? tok->line : 0};
    return sp_error_set(err, st, file ? &loc : NULL, tok ? tok->col : 0, fmt,
                        a ? a : "", b ? b : "");
}

sp_status sp_role_declare(sp_scenario *s, const sp_token *id,
                          const sp_token *kind, const char *title,
                          const char *file, sp_error *err)
{
    sp_role_kind k;
    if (!valid_id(id->s) || strlen(id->s) >= SP_ID_MAX)
        return tok_error(err, SP_ERR_PARSE, file, id,
                         "expected a role id (lower-case letters, digits and _, "
                         "at most 31 characters), found '%s'%s", id->s, NULL);
    if (sp_kind_parse(kind->s, &k) != 0)
        return tok_error(err, SP_ERR_PARSE, file, kind,
                         "expected a role kind (quota, support or manager), "
                         "found '%s'%s", kind->s, NULL);
    int i = sp_role_find(s, id->s);
    if (i >= 0) {
        if (s->roles[i].kind != k)
            return tok_error(err, SP_ERR_INVALID, file, kind,
                             "role '%s' is already declared as %s", id->s,
                             sp_kind_name(s->roles[i].kind));
        if (title) {
            char *t = strdup(title);
            if (!t)
                return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
            free(s->roles[i].title);
            s->roles[i].title = t;
        }
        bump(s);
        return SP_OK;
    }
    if (s->nroles >= SP_MAX_ROLES)
        return tok_error(err, SP_ERR_RANGE, file, id,
                         "too many roles: at most 32, found '%s'%s", id->s, NULL);
    sp_role *v = realloc(s->roles, (size_t)(s->nroles + 1) * sizeof *v);
    if (!v)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    s->roles = v;
    sp_role *r = &v[s->nroles];
    memset(r, 0, sizeof *r);
    r->id = strdup(id->s);
    r->title = strdup(title ? title : "");
    r->kind = k;
    r->decl.file = sp_intern(file);
    r->decl.line = id->line;
    if (!r->id || !r->title || alloc_vals(&r->vals, &r->where) != 0) {
        role_free(r);
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    }
    s->nroles++;
    bump(s);
    return SP_OK;
}

/* ---- parameter references ---- */

static unsigned kind_bit(sp_role_kind k)
{
    return 1u << k;
}

int sp_param_applies(const sp_scenario *s, int i, int role)
{
    if (role < 0)
        return sp_params[i].scope == SP_SCOPE_GLOBAL;
    return sp_params[i].scope == SP_SCOPE_ROLE &&
           (sp_params[i].kinds & kind_bit(s->roles[role].kind));
}

static const char *kinds_text(unsigned kinds)
{
    switch (kinds) {
    case SP_K_QUOTA: return "quota roles";
    case SP_K_SUPPORT: return "support roles";
    case SP_K_MANAGER: return "manager roles";
    case SP_K_QUOTA | SP_K_SUPPORT: return "quota and support roles";
    default: return "every role";
    }
}

sp_status sp_scenario_resolve(const sp_scenario *s, const sp_token *tok,
                              const char *file, sp_pref *out, sp_error *err)
{
    sp_loc loc = {file, tok->line};
    const char *name = tok->s;
    const char *dot = strchr(name, '.');
    if (!dot) {
        int i = sp_param_find(name, SP_SCOPE_GLOBAL);
        if (i >= 0) {
            out->param = i;
            out->role = -1;
            return SP_OK;
        }
        if (sp_param_find(name, SP_SCOPE_ROLE) >= 0)
            return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                                "'%s' is a role parameter: write ROLE.%s "
                                "(e.g. %s.%s)", name, name,
                                s->nroles ? s->roles[0].id : "ae", name);
        const char *sug = sp_param_suggest(name, SP_SCOPE_GLOBAL);
        if (sug)
            return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                                "unknown parameter '%s'; did you mean '%s'?",
                                name, sug);
        return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                            "unknown parameter '%s' (`show params` lists them)",
                            name);
    }
    char role[SP_ID_MAX];
    size_t rl = (size_t)(dot - name);
    if (rl == 0 || rl >= sizeof role)
        return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                            "expected ROLE.PARAMETER, found '%s'", name);
    memcpy(role, name, rl);
    role[rl] = 0;
    const char *pname = dot + 1;
    int r = sp_role_find(s, role);
    if (r < 0) {
        sp_nearest nr;
        sp_nearest_init(&nr, role, 2);
        for (int k = 0; k < s->nroles; k++)
            sp_nearest_try(&nr, s->roles[k].id);
        const char *best = nr.best;
        if (best)
            return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                                "unknown role '%s' in '%s'; did you mean '%s'?",
                                role, name, best);
        return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                            "unknown role '%s' in '%s' (declare it first: "
                            "role %s quota|support|manager)", role, name, role);
    }
    int i = sp_param_find(pname, SP_SCOPE_ROLE);
    if (i < 0) {
        const char *sug = sp_param_suggest(pname, SP_SCOPE_ROLE);
        if (sug)
            return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                                "unknown parameter '%s'; did you mean '%s.%s'?",
                                name, role, sug);
        return sp_error_set(err, SP_ERR_UNKNOWN, &loc, tok->col,
                            "unknown parameter '%s' (`show params` lists them)",
                            name);
    }
    if (!(sp_params[i].kinds & kind_bit(s->roles[r].kind)) &&
        s->roles[r].kind == SP_KIND_MANAGER && (sp_params[i].kinds & SP_K_QUOTA))
        return sp_error_set(err, SP_ERR_INVALID, &loc, tok->col,
                            "'%s' does not apply to manager role '%s': a "
                            "manager is measured on its team, so its pay "
                            "beyond base is `bonus` (on the team's "
                            "attainment) and overrides are `pool RATE of "
                            "ROLE`", pname, role);
    if (!(sp_params[i].kinds & kind_bit(s->roles[r].kind)))
        return sp_error_set(err, SP_ERR_INVALID, &loc, tok->col,
                            "'%s' does not apply to %s role '%s' (it applies "
                            "to %s)", pname, sp_kind_name(s->roles[r].kind),
                            role, kinds_text(sp_params[i].kinds));
    out->param = i;
    out->role = r;
    return SP_OK;
}

void sp_pref_name(const sp_scenario *s, sp_pref p, char *buf, size_t n)
{
    if (p.role < 0)
        snprintf(buf, n, "%s", sp_params[p.param].name);
    else
        snprintf(buf, n, "%s.%s", s->roles[p.role].id, sp_params[p.param].name);
}

static sp_value *slot(sp_scenario *s, sp_pref p, sp_where **w)
{
    if (p.role < 0) {
        *w = &s->where[p.param];
        return &s->vals[p.param];
    }
    *w = &s->roles[p.role].where[p.param];
    return &s->roles[p.role].vals[p.param];
}

/* ---- range and shape checks of one value ---- */

static void fmt_bound(double x, sp_unit u, char *buf)
{
    char num[32];
    if (u == SP_U_PERCENT) {
        sp_format_exact(x * 100, num);
        snprintf(buf, 40, "%s%%", num);
    } else {
        sp_format_exact(x, num);
        snprintf(buf, 40, "%s", num);
    }
}

static int in_range(const sp_param *p, double x)
{
    if (isnan(x))
        return 0;
    if ((p->flags & SP_PF_LO_OPEN) ? !(x > p->lo) : !(x >= p->lo))
        return 0;
    if ((p->flags & SP_PF_HI_OPEN) ? !(x < p->hi) : !(x <= p->hi))
        return 0;
    return 1;
}

static sp_status range_error(sp_error *err, const sp_loc *loc, int col,
                             const char *pname, const sp_param *p, double x,
                             sp_unit u)
{
    char lo[40], hi[40], got[40];
    fmt_bound(p->lo, u, lo);
    fmt_bound(p->hi, u, hi);
    fmt_bound(x, u, got);
    return sp_error_set(err, SP_ERR_RANGE, loc, col,
                        "%s must be in %s%s, %s%s, found %s", pname,
                        (p->flags & SP_PF_LO_OPEN) ? "(" : "[", lo, hi,
                        (p->flags & SP_PF_HI_OPEN) ? ")" : "]", got);
}

/* One value being checked against its parameter's row, and where to point
 * an error: the statement's location, or none for a value set from code. */
typedef struct {
    const sp_param *p;
    const char *pname;     /* as the user wrote it: `ae.quota` */
    const sp_loc *loc;
    int col;
    sp_error *err;
} checking;

typedef sp_status (*value_check)(const checking *ck, const sp_value *v);

static sp_status out_of_range(const checking *ck, double x, sp_unit u)
{
    return range_error(ck->err, ck->loc, ck->col, ck->pname, ck->p, x, u);
}

static sp_status check_list_range(const checking *ck, const double *list,
                                  int n)
{
    for (int i = 0; i < n; i++)
        if (!in_range(ck->p, list[i]))
            return out_of_range(ck, list[i], ck->p->unit);
    return SP_OK;
}

static sp_status check_num(const checking *ck, const sp_value *v)
{
    if (!in_range(ck->p, v->num))
        return out_of_range(ck, v->num, ck->p->unit);
    return SP_OK;
}

/* Seasonality is rescaled to mean 1, so it needs all twelve months and
 * something to rescale. */
static sp_status check_seasonality(const checking *ck, const sp_value *v)
{
    double sum = 0;
    for (int i = 0; i < v->n; i++)
        sum += v->list[i];
    if (v->n != 12)
        return sp_error_set(ck->err, SP_ERR_PARSE, ck->loc, ck->col,
                            "seasonality needs 12 values (Jan..Dec), "
                            "found %d", v->n);
    if (!(sum > 0))
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "seasonality must not be all zero");
    return SP_OK;
}

/* A year's target is cut into its four fiscal quarters, so the shares
 * are four and account for the whole year. */
static sp_status check_target_split(const checking *ck, const sp_value *v)
{
    double sum = 0;
    for (int i = 0; i < v->n; i++)
        sum += v->list[i];
    if (v->n != 4)
        return sp_error_set(ck->err, SP_ERR_PARSE, ck->loc, ck->col,
                            "target_split needs 4 shares (Q1..Q4), found %d",
                            v->n);
    if (fabs(sum - 1) > 1e-9)
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "target_split shares must sum to 100%%, found "
                            "%.10g%%", sum * 100);
    return SP_OK;
}

static sp_status check_numlist(const checking *ck, const sp_value *v)
{
    sp_status st = check_list_range(ck, v->list, v->n);
    if (st)
        return st;
    if (strcmp(ck->p->name, "seasonality") == 0 &&
        (st = check_seasonality(ck, v)))
        return st;
    if (strcmp(ck->p->name, "target_split") == 0 &&
        (st = check_target_split(ck, v)))
        return st;
    if (strcmp(ck->p->name, "attrition") == 0 && v->n > SP_MAX_ATTR)
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "attrition takes at most %d yearly rates, "
                            "found %d", SP_MAX_ATTR, v->n);
    return SP_OK;
}

static sp_status order_error(const checking *ck, const char *what,
                             double before, double after)
{
    char a[40], b[40];
    fmt_bound(before, SP_U_PERCENT, a);
    fmt_bound(after, SP_U_PERCENT, b);
    return sp_error_set(ck->err, SP_ERR_INVALID, ck->loc, ck->col,
                        "%s: %s, found %s after %s", ck->pname, what, b, a);
}

static sp_status check_tier_order(const checking *ck, const sp_value *v)
{
    if (v->pairs[0].x != 0)
        return sp_error_set(ck->err, SP_ERR_INVALID, ck->loc, ck->col,
                            "%s: the first tier must start at 0%%", ck->pname);
    for (int i = 1; i < v->n; i++)
        if (!(v->pairs[i].x > v->pairs[i - 1].x))
            return order_error(ck, "thresholds must be strictly ascending",
                               v->pairs[i - 1].x, v->pairs[i].x);
    return SP_OK;
}

/* A curve may repeat an x once, for a step; a third point there would make
 * the payout at that attainment ambiguous. */
static sp_status check_curve_order(const checking *ck, const sp_value *v)
{
    for (int i = 1; i < v->n; i++) {
        if (v->pairs[i].x < v->pairs[i - 1].x)
            return order_error(ck, "points must be in ascending order",
                               v->pairs[i - 1].x, v->pairs[i].x);
        if (i >= 2 && v->pairs[i].x == v->pairs[i - 2].x)
            return sp_error_set(ck->err, SP_ERR_INVALID, ck->loc, ck->col,
                                "%s: at most two points may share an "
                                "attainment (a step)", ck->pname);
    }
    return SP_OK;
}

static sp_status check_pairs(const checking *ck, const sp_value *v)
{
    if (v->n > SP_MAX_POINTS)
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "%s takes at most %d points, found %d", ck->pname,
                            SP_MAX_POINTS, v->n);
    for (int i = 0; i < v->n; i++) {
        if (!in_range(ck->p, v->pairs[i].x))
            return out_of_range(ck, v->pairs[i].x, ck->p->unit);
        if (!in_range(ck->p, v->pairs[i].y))
            return out_of_range(ck, v->pairs[i].y, ck->p->unit2);
    }
    if (strcmp(ck->p->name, "tiers") == 0)
        return check_tier_order(ck, v);
    return check_curve_order(ck, v);
}

static sp_status check_hires(const checking *ck, const sp_value *v)
{
    for (int i = 0; i < v->n; i++)
        if (!in_range(ck->p, v->pairs[i].y))
            return out_of_range(ck, v->pairs[i].y, SP_U_COUNT);
    return SP_OK;
}

static sp_status check_ramp(const checking *ck, const sp_value *v)
{
    if (v->flag == 1) {
        if (v->n > SP_MAX_RAMP)
            return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                                "%s: linear ramp of at most %d months, "
                                "found %d", ck->pname, SP_MAX_RAMP, v->n);
        return SP_OK;
    }
    if (v->n > SP_MAX_RAMP)
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "%s: at most %d ramp factors, found %d",
                            ck->pname, SP_MAX_RAMP, v->n);
    return check_list_range(ck, v->list, v->n);
}

/* Pool, award, draw and guarantee: the amount (or a pool's rate) in range,
 * and a pool's role a well-formed id. */
static sp_status check_amount(const checking *ck, const sp_value *v)
{
    if (!in_range(ck->p, v->num))
        return out_of_range(ck, v->num, ck->p->unit);
    if (v->type == SP_T_POOL && v->str && !valid_id(v->str))
        return sp_error_set(ck->err, SP_ERR_PARSE, ck->loc, ck->col,
                            "%s: expected a role id after 'of', found '%s'",
                            ck->pname, v->str);
    return SP_OK;
}

static sp_status check_revenue(const checking *ck, const sp_value *v)
{
    if (v->flag == 1 && !(v->n >= 1 && v->n <= 120))
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "revenue ratable N: N must be in [1, 120], "
                            "found %d", v->n);
    if (v->flag == 1 && !(v->num >= 0 && v->num <= 1))
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "revenue ratable N renewal R: R must be in "
                            "[0%%, 100%%]");
    return SP_OK;
}

/* A bounded distribution must keep every draw in range; for an unbounded
 * one only the mean can be held to the range. */
static sp_status check_dist(const checking *ck, const sp_value *v)
{
    const sp_param *p = ck->p;
    double lo, hi, mean = sp_dist_mean(&v->dist);
    sp_dist_support(&v->dist, &lo, &hi);
    int k = v->dist.kind;
    int unbounded = k == SP_D_NORMAL || k == SP_D_LOGNORMAL ||
                    k == SP_D_GAMMA || k == SP_D_POISSON;
    if (unbounded ? !in_range(p, mean) : !(in_range(p, lo) && in_range(p, hi))) {
        double bad = unbounded ? mean : (!in_range(p, lo) ? lo : hi);
        return out_of_range(ck, bad, p->unit);
    }
    /* An unbounded distribution whose sd is wider than the whole range
     * draws almost nothing but values outside it (normal(1, 1e300)). */
    double sd = v->dist.p[1], width = p->hi - p->lo;
    if ((k == SP_D_NORMAL || k == SP_D_LOGNORMAL || k == SP_D_GAMMA) &&
        !(sd <= width)) {
        char w[40], got[40];
        fmt_bound(width, p->unit, w);
        fmt_bound(sd, p->unit, got);
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "%s: sd %s is wider than the parameter's whole "
                            "range (%s): draws would fall outside it",
                            ck->pname, got, w);
    }
    return SP_OK;
}

/* A string with a length limit (the currency sign): longer is refused,
 * never cut. */
static sp_status check_string(const checking *ck, const sp_value *v)
{
    size_t n = v->str ? strlen(v->str) : 0;
    if (ck->p->hi > 0 && (double)n > ck->p->hi)
        return sp_error_set(ck->err, SP_ERR_RANGE, ck->loc, ck->col,
                            "%s: at most %.0f bytes, found %zu", ck->pname,
                            ck->p->hi, n);
    return SP_OK;
}

static const value_check checks[] = {
    [SP_T_STRING] = check_string,
    [SP_T_NUM] = check_num,
    [SP_T_INT] = check_num,
    [SP_T_NUMLIST] = check_numlist,
    [SP_T_PAIRS] = check_pairs,
    [SP_T_HIRES] = check_hires,
    [SP_T_RAMP] = check_ramp,
    [SP_T_POOL] = check_amount,
    [SP_T_AWARD] = check_amount,
    [SP_T_DRAW] = check_amount,
    [SP_T_GUARANTEE] = check_amount,
    [SP_T_REVENUE] = check_revenue,
    [SP_T_DIST] = check_dist,
};

static sp_status check_value(const sp_param *p, const char *pname,
                             const sp_value *v, const sp_loc *loc, int col,
                             sp_error *err)
{
    checking ck = {p, pname, loc, col, err};
    if ((unsigned)v->type >= sizeof checks / sizeof *checks ||
        !checks[v->type])
        return SP_OK;
    return checks[v->type](&ck, v);
}

/* Parameters that each fix the same thing: setting one while the other
 * is set is refused, with what the one already set decides, rather than
 * one silently winning. */
static const char *const exclusive[][2] = {
    {"ote", "rate"}, {"target_incentive", "rate"},
    {"ote", "target_incentive"}, {"capacity", "attainment"},
    {"hires", "headcount_plan"},
};

static const char *fixes(const char *name)
{
    if (strcmp(name, "rate") == 0)
        return "`rate` already fixes the commission (target incentive = "
               "rate x quota)";
    if (strcmp(name, "ote") == 0)
        return "`ote` already fixes the commission (ote - base - bonus)";
    if (strcmp(name, "target_incentive") == 0)
        return "`target_incentive` already fixes the commission";
    if (strcmp(name, "capacity") == 0)
        return "capacity already says what an employee sells";
    if (strcmp(name, "headcount_plan") == 0)
        return "the headcount plan already opens the role's requisitions";
    if (strcmp(name, "hires") == 0)
        return "hires already open the role's requisitions";
    return "attainment already says what an employee sells (capacity = "
           "attainment x first-year quota)";
}

static sp_status check_exclusive(const sp_scenario *s, sp_pref p,
                                 const sp_loc *loc, int col, sp_error *err)
{
    const char *name = sp_params[p.param].name;
    for (size_t k = 0; p.role >= 0 && k < sizeof exclusive / sizeof *exclusive;
         k++)
        for (int side = 0; side < 2; side++) {
            const char *other = exclusive[k][1 - side];
            sp_pref o = {sp_param_find(other, SP_SCOPE_ROLE), p.role};
            if (strcmp(exclusive[k][side], name) != 0 || o.param < 0 ||
                !sp_scenario_is_set(s, o))
                continue;
            const char *id = s->roles[p.role].id;
            return sp_error_set(err, SP_ERR_INVALID,
                                loc && loc->file ? loc : NULL, col,
                                "%s.%s cannot be set beside %s.%s: %s; unset "
                                "%s.%s first to use %s", id, name, id, other,
                                fixes(other), id, other, name);
        }
    return SP_OK;
}

static sp_status put_value(sp_scenario *s, sp_pref p, sp_value *v,
                           const sp_loc *loc)
{
    sp_where *w;
    sp_value *dst = slot(s, p, &w);
    sp_value_free(dst);
    *dst = *v;
    memset(v, 0, sizeof *v);
    w->file = loc ? sp_intern(loc->file) : NULL;
    w->line = loc ? loc->line : 0;
    bump(s);
    return SP_OK;
}

sp_status sp_scenario_set(sp_scenario *s, const sp_tokens *t, int first,
                          const char *file, sp_error *err)
{
    sp_pref p;
    sp_status st = sp_scenario_resolve(s, &t->v[first], file, &p, err);
    if (st)
        return st;
    const sp_param *par = &sp_params[p.param];
    const sp_token *nt = &t->v[first];
    sp_loc loc = {file, nt->line};
    if (first + 1 >= t->n)
        return sp_error_set(err, SP_ERR_PARSE, &loc,
                            nt->col + (int)strlen(nt->s) + 1,
                            "expected a value for %s, found end of statement "
                            "(`help set %s` explains it)", nt->s, nt->s);
    sp_value v = {0};
    st = sp_parse_value(par->type, par->unit, par->unit2, par->enums, t,
                        first + 1, file, &v, err);
    if (st)
        return st;
    const sp_token *vt = &t->v[first + 1];
    sp_loc vloc = {file, vt->line};
    st = check_value(par, nt->s, &v, &vloc, vt->col, err);
    if (!st)
        st = check_exclusive(s, p, &loc, nt->col, err);
    if (st) {
        sp_value_free(&v);
        return st;
    }
    return put_value(s, p, &v, &loc);
}

sp_status sp_scenario_set_text(sp_scenario *s, sp_pref p, const char *text,
                               sp_error *err)
{
    char name[80];
    sp_pref_name(s, p, name, sizeof name);
    size_t len = strlen(name) + strlen(text) + 2;
    char *line = malloc(len);
    if (!line)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    snprintf(line, len, "%s %s", name, text);
    size_t pos = 0;
    int ln = 1;
    sp_tokens t = {0};
    sp_status st;
    int r = sp_next_statement(line, &pos, &ln, "<value>", &t, err);
    if (r == 1)
        st = sp_scenario_set(s, &t, 0, "<value>", err);
    else
        st = r == 0 ? sp_error_set(err, SP_ERR_PARSE, NULL, 0, "empty value")
                    : err->status;
    sp_tokens_free(&t);
    free(line);
    return st;
}

sp_status sp_scenario_set_number(sp_scenario *s, sp_pref p, double x,
                                 sp_error *err)
{
    const sp_param *par = &sp_params[p.param];
    sp_value v = {0};
    char name[80];
    sp_pref_name(s, p, name, sizeof name);
    switch (par->type) {
    case SP_T_INT:
        x = floor(x + 0.5);
        /* fall through */
    case SP_T_NUM:
        v.type = par->type;
        v.num = x;
        break;
    case SP_T_NUMLIST:
        v.type = SP_T_NUMLIST;
        v.n = 1;
        if (!(v.list = malloc(sizeof *v.list)))
            return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
        v.list[0] = x;
        break;
    default:
        return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                            "%s is not a single number", name);
    }
    sp_status st = check_value(par, name, &v, NULL, 0, err);
    if (!st)
        st = check_exclusive(s, p, NULL, 0, err);
    if (st) {
        sp_value_free(&v);
        return st;
    }
    return put_value(s, p, &v, NULL);
}

void sp_scenario_unset(sp_scenario *s, sp_pref p)
{
    sp_where *w;
    sp_value *v = slot(s, p, &w);
    sp_value_free(v);
    memset(w, 0, sizeof *w);
    bump(s);
}

int sp_scenario_is_set(const sp_scenario *s, sp_pref p)
{
    const sp_value *v = p.role < 0 ? &s->vals[p.param]
                                   : &s->roles[p.role].vals[p.param];
    return v->type != SP_T_NONE;
}

/* A role staffed by a headcount plan or a ratio replaces its leavers
 * through that rule (MODEL.md 2.1 step 6), so backfill defaults off
 * there; an explicit `backfill on` is honoured. */
static int staffed_by_rule(const sp_scenario *s, int r)
{
    const sp_value *v = s->roles[r].vals;
    int hp = sp_param_find("headcount_plan", SP_SCOPE_ROLE),
        su = sp_param_find("supports", SP_SCOPE_ROLE),
        sp = sp_param_find("span", SP_SCOPE_ROLE);
    return v[hp].type != SP_T_NONE ||
           (v[su].type != SP_T_NONE && v[sp].type != SP_T_NONE);
}

static const sp_value *default_of(const sp_scenario *s, sp_pref p)
{
    static const sp_value off = {SP_T_BOOL, 0, 0, 0, NULL, NULL, NULL, {0}};
    if (p.role < 0)
        return sp_param_default_for(p.param, 0);
    if (strcmp(sp_params[p.param].name, "backfill") == 0 &&
        staffed_by_rule(s, p.role))
        return &off;
    return sp_param_default_for(p.param, kind_bit(s->roles[p.role].kind));
}

const sp_value *sp_scenario_value(const sp_scenario *s, sp_pref p)
{
    const sp_value *v = p.role < 0 ? &s->vals[p.param]
                                   : &s->roles[p.role].vals[p.param];
    if (v->type != SP_T_NONE)
        return v;
    return default_of(s, p);
}

char *sp_scenario_value_text(const sp_scenario *s, sp_pref p)
{
    const sp_param *par = &sp_params[p.param];
    const sp_value *v = sp_scenario_value(s, p);
    if (v->type == SP_T_NONE) {
        const char *note = par->def_note ? par->def_note : "none";
        size_t n = strlen(note) + 3;
        char *b = malloc(n);
        if (b)
            snprintf(b, n, "(%s)", note);
        return b;
    }
    return sp_format_value(v, par->unit, par->unit2, par->enums);
}

/* ---- validation ---- */

const sp_value *sp_role_value(const sp_scenario *s, int role, const char *name)
{
    sp_pref p = {sp_param_find(name, role < 0 ? SP_SCOPE_GLOBAL : SP_SCOPE_ROLE), role};
    return sp_scenario_value(s, p);
}

static const sp_where *rwhere(const sp_scenario *s, int role, const char *name)
{
    int i = sp_param_find(name, role < 0 ? SP_SCOPE_GLOBAL : SP_SCOPE_ROLE);
    return role < 0 ? &s->where[i] : &s->roles[role].where[i];
}

static void warn(sp_warnings *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warn(sp_warnings *w, const char *fmt, ...)
{
    if (!w || w->n >= SP_MAX_WARN)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg[w->n++], sizeof w->msg[0], fmt, ap);
    va_end(ap);
}

static sp_status role_error(sp_error *err, const sp_where *w, const char *fmt,
                            const char *a, const char *b)
{
    sp_loc loc = {w->file, w->line};
    return sp_error_set(err, SP_ERR_INVALID, w->file ? &loc : NULL, 0, fmt,
                        a ? a : "", b ? b : "");
}

static const char *where_text(const sp_where *w, char *buf, size_t n)
{
    if (w->file)
        snprintf(buf, n, "%s:%d: ", w->file, w->line);
    else
        buf[0] = 0;
    return buf;
}

/* Managers of managers must end at a role that is not a manager, or hiring
 * would chase itself. */
static sp_status check_manager_chain(const sp_scenario *s, int r, int mr,
                                     const char *managed, sp_error *err)
{
    int at = mr, steps = 0;
    while (at >= 0 && s->roles[at].kind == SP_KIND_MANAGER && steps <= s->nroles) {
        const sp_value *mv = sp_role_value(s, at, "manages");
        at = mv->type == SP_T_NONE ? -1 : sp_role_find(s, mv->str);
        steps++;
        if (at == r)
            return role_error(err, rwhere(s, r, "manages"),
                              "%s.manages: managers manage each other in "
                              "a cycle through '%s'", s->roles[r].id, managed);
    }
    return SP_OK;
}

static sp_status check_manager(const sp_scenario *s, int r, sp_error *err)
{
    const sp_role *ro = &s->roles[r];
    const char *id = ro->id;
    const sp_value *m = sp_role_value(s, r, "manages");
    if (m->type == SP_T_NONE)
        return role_error(err, &ro->decl,
                          "manager role '%s' needs the role it manages "
                          "(set %s.manages ROLE)", id, id);
    int mr = sp_role_find(s, m->str);
    if (mr < 0)
        return role_error(err, rwhere(s, r, "manages"),
                          "%s.manages names an unknown role '%s'", id, m->str);
    if (mr == r)
        return role_error(err, rwhere(s, r, "manages"),
                          "%s.manages names the role itself%s", id, NULL);
    if (sp_role_value(s, r, "span")->type == SP_T_NONE)
        return role_error(err, &ro->decl,
                          "manager role '%s' needs a span of control "
                          "(set %s.span 6)", id, id);
    return check_manager_chain(s, r, mr, m->str, err);
}

static int sells_deals(const sp_scenario *s, int r)
{
    return s->roles[r].kind == SP_KIND_QUOTA &&
           sp_role_value(s, r, "productivity")->num == 1;
}

/* Deals are drawn one by one: a deal size tiny against the quota means
 * millions of deals a month, which attainment mode models better and in
 * constant time. */
static sp_status check_deal_count(const sp_scenario *s, int r, sp_error *err)
{
    const char *id = s->roles[r].id;
    const sp_value *q = sp_role_value(s, r, "quota"), *cap = sp_role_value(s, r, "capacity");
    double annual = 0;
    for (int k = 0; k < q->n; k++)
        annual = fmax(annual, q->list[k]);
    if (cap->type == SP_T_DIST)
        annual = sp_dist_mean(&cap->dist);
    double per_month = annual / 12 / sp_role_value(s, r, "deal_size")->num;
    if (per_month > 1000) {
        char q[32];
        snprintf(q, sizeof q, "%.0f", per_month);
        return role_error(err, rwhere(s, r, "deal_size"),
                          "%s.deal_size gives about %s deals a month per "
                          "employee (at most 1000): use a larger deal "
                          "size or productivity attainment", id, q);
    }
    /* Each employee's attainment multiplies the count: its tail, not its
     * mean, bounds the deals one month can draw, and so how long a trial
     * can take (normal(1, 100000) would make one endless). */
    double tail = per_month * sp_dist_tail(&sp_role_value(s, r, "attainment")->dist);
    if (!(tail <= SP_DEALS_TAIL_MAX)) {
        char q[48];
        snprintf(q, sizeof q, "%.3g", tail);
        return role_error(err, rwhere(s, r, "attainment"),
                          "%s.attainment: its tail gives up to %s deals a "
                          "month per employee (at most 100000 in deals mode): "
                          "narrow the attainment, use a larger deal size or "
                          "productivity attainment", id, q);
    }
    return SP_OK;
}

static sp_status check_pool(const sp_scenario *s, int r, sp_error *err)
{
    const char *id = s->roles[r].id;
    const sp_value *pool = sp_role_value(s, r, "pool");
    if (!pool->str)
        return SP_OK;
    int pr = sp_role_find(s, pool->str);
    if (pr < 0)
        return role_error(err, rwhere(s, r, "pool"),
                          "%s.pool names an unknown role '%s'", id, pool->str);
    if (s->roles[pr].kind != SP_KIND_QUOTA)
        return role_error(err, rwhere(s, r, "pool"),
                          "%s.pool: role '%s' books nothing (it is not "
                          "a quota role)", id, pool->str);
    return SP_OK;
}

static sp_status check_hire_months(const sp_scenario *s, int r, int start,
                                   int horizon, sp_warnings *w, sp_error *err)
{
    char wb[300];
    const char *id = s->roles[r].id;
    const sp_value *hires = sp_role_value(s, r, "hires");
    for (int k = 0; k < hires->n; k++) {
        int m = (int)hires->pairs[k].x;
        char mb[8];
        sp_format_month(m, mb);
        if (m < start)
            return role_error(err, rwhere(s, r, "hires"),
                              "%s.hires: %s is before the start of the "
                              "horizon", id, mb);
        if (m >= start + horizon)
            warn(w, "%s%s.hires: %s is after the horizon and is ignored",
                 where_text(rwhere(s, r, "hires"), wb, sizeof wb), id, mb);
    }
    return SP_OK;
}

/* The quota role at the end of manager r's `manages` chain, whose
 * bookings and quota are the manager's attainment (MODEL.md 5.2), or -1
 * when the chain ends at a support role (or does not end). */
int sp_team_role(const sp_scenario *s, int r)
{
    int at = r;
    for (int steps = 0; at >= 0 && steps <= s->nroles; steps++) {
        if (s->roles[at].kind != SP_KIND_MANAGER)
            return s->roles[at].kind == SP_KIND_QUOTA ? at : -1;
        const sp_value *mv = sp_role_value(s, at, "manages");
        at = mv->type == SP_T_NONE ? -1 : sp_role_find(s, mv->str);
    }
    return -1;
}

/* A bonus curve that pays the same at every attainment. */
static int curve_constant(const sp_value *c)
{
    for (int k = 1; k < c->n; k++)
        if (c->pairs[k].y != c->pairs[0].y)
            return 0;
    return 1;
}

/* A manager is measured on the quota role its chain ends at; one whose
 * chain ends at a support role has no attainment, so only a constant
 * curve says what its bonus pays. */
static sp_status check_manager_bonus(const sp_scenario *s, int r,
                                     sp_error *err)
{
    const sp_role *ro = &s->roles[r];
    if (ro->kind != SP_KIND_MANAGER || !(sp_role_value(s, r, "bonus")->num > 0) ||
        sp_team_role(s, r) >= 0 || curve_constant(sp_role_value(s, r, "bonus_curve")))
        return SP_OK;
    return role_error(err, rwhere(s, r, "bonus"),
                      "%s.bonus: the roles '%s' manages book nothing, so "
                      "it has no attainment for a bonus curve to read (set "
                      "a constant curve, e.g. bonus_curve 0%%:100%%, or "
                      "manage a quota role)", ro->id, ro->id);
}

/* On-target earnings are base + target incentive + bonus (MODEL.md 5), so
 * an ote that does not cover base and bonus leaves a negative commission. */
static sp_status check_ote(const sp_scenario *s, int r, sp_error *err)
{
    const sp_value *ote = sp_role_value(s, r, "ote");
    if (ote->type != SP_T_NUM)
        return SP_OK;
    double base = sp_role_value(s, r, "base")->num, bonus = sp_role_value(s, r, "bonus")->num;
    if (ote->num >= base + bonus)
        return SP_OK;
    char b[96];
    snprintf(b, sizeof b, "%.15g is below base %.15g + bonus %.15g",
             ote->num, base, bonus);
    return role_error(err, rwhere(s, r, "ote"),
                      "%s.ote %s: on-target earnings include base and "
                      "bonus, so the target incentive would be negative",
                      s->roles[r].id, b);
}

/* Without a quota attainment is undefined and the bonus pays curve(0)
 * (MODEL.md 5.2): say so when that is nothing. */
static void warn_unpaid_bonus(const sp_scenario *s, int r, sp_warnings *w)
{
    char wb[300];
    const sp_role *ro = &s->roles[r];
    if (ro->kind != SP_KIND_SUPPORT || !(sp_role_value(s, r, "bonus")->num > 0))
        return;
    const sp_value *c = sp_role_value(s, r, "bonus_curve");
    double cx[SP_MAX_POINTS], cy[SP_MAX_POINTS];
    int n = c->n < SP_MAX_POINTS ? c->n : SP_MAX_POINTS;
    for (int k = 0; k < n; k++) {
        cx[k] = c->pairs[k].x;
        cy[k] = c->pairs[k].y;
    }
    if (!(sp_curve_eval(n, cx, cy, 0) > 0))
        warn(w, "%s%s.bonus pays nothing: a %s role has no quota, so "
             "the bonus pays curve(0) = 0 (set %s.bonus_curve 0%%:100%% "
             "to pay it at target)",
             where_text(rwhere(s, r, "bonus"), wb, sizeof wb), ro->id,
             sp_kind_name(ro->kind), ro->id);
}

/* Legal values that are probably mistakes. */
static void warn_role(const sp_scenario *s, int r, sp_warnings *w)
{
    char wb[300];
    const char *id = s->roles[r].id;
    const sp_value *att = sp_role_value(s, r, "attrition");
    for (int k = 0; k < att->n; k++)
        if (att->list[k] > 0.6) {
            warn(w, "%s%s.attrition %g%% a year is unusually high",
                 where_text(rwhere(s, r, "attrition"), wb, sizeof wb), id,
                 att->list[k] * 100);
            break;
        }
    warn_unpaid_bonus(s, r, w);
    const sp_value *rate = sp_role_value(s, r, "rate");
    if (rate->type == SP_T_NUM && rate->num > 0.3)
        warn(w, "%s%s.rate %g%% of bookings is unusually high",
             where_text(rwhere(s, r, "rate"), wb, sizeof wb), id,
             rate->num * 100);
}

/* The checks of one role, errors and warnings in the order a reader of
 * the role's statements meets them. */
static sp_status validate_role(const sp_scenario *s, int r, int start,
                               int horizon, sp_warnings *w, sp_error *err)
{
    const sp_role *ro = &s->roles[r];
    const char *id = ro->id;
    sp_status st;
    if (ro->kind == SP_KIND_QUOTA && sp_role_value(s, r, "quota")->type == SP_T_NONE)
        return role_error(err, &ro->decl,
                          "quota role '%s' needs a quota (set %s.quota "
                          "900k)", id, id);
    if (sells_deals(s, r) && sp_role_value(s, r, "deal_size")->type == SP_T_NONE)
        return role_error(err, rwhere(s, r, "productivity"),
                          "role '%s' sells in deals mode and needs a "
                          "deal size (set %s.deal_size 50k)", id, id);
    if (ro->kind == SP_KIND_MANAGER && (st = check_manager(s, r, err)))
        return st;
    if ((st = sp_staffing_check(s, r, err)))
        return st;
    if (sells_deals(s, r) && (st = check_deal_count(s, r, err)))
        return st;
    if ((st = check_pool(s, r, err)))
        return st;
    if ((st = check_ote(s, r, err)) || (st = check_manager_bonus(s, r, err)))
        return st;
    if ((st = check_hire_months(s, r, start, horizon, w, err)))
        return st;
    warn_role(s, r, w);
    return SP_OK;
}

sp_status sp_scenario_validate(const sp_scenario *s, sp_warnings *w,
                               sp_error *err)
{
    char wb[300];
    if (s->nroles == 0)
        return sp_error_set(err, SP_ERR_INVALID, NULL, 0,
                            "scenario '%s' has no roles (declare one: role ae "
                            "quota \"Account Executive\")", s->name);
    int start = (int)sp_role_value(s, -1, "start")->num;
    int horizon = (int)sp_role_value(s, -1, "horizon")->num;
    for (int r = 0; r < s->nroles; r++) {
        sp_status st = validate_role(s, r, start, horizon, w, err);
        if (st)
            return st;
    }
    sp_status rst = sp_scenario_check_position(s, err);
    if (rst)
        return rst;
    const sp_value *tg = sp_role_value(s, -1, "target");
    int fy0 = (int)sp_role_value(s, -1, "fiscal_year_start")->num - 1;
    /* number of fiscal years touched by the horizon */
    int first_fy = (start - fy0 + 12 * 10000) / 12, last_fy = (start + horizon - 1 - fy0 + 12 * 10000) / 12;
    int nfy = last_fy - first_fy + 1;
    if (tg->n > nfy)
        warn(w, "%starget lists %d amounts but the horizon has %d fiscal "
             "years; the extra ones are ignored",
             where_text(rwhere(s, -1, "target"), wb, sizeof wb), tg->n, nfy);
    /* Targets are one amount per fiscal year, in order: a plan whose
     * months and fiscal years do not line up with them is nearly always a
     * misreading, and P(target) would quietly say 0% or nothing. */
    if (tg->n > 0 && tg->n < nfy)
        warn(w, "%starget lists %d amount%s but the horizon has %d fiscal "
             "years: the last %d %s no target (give one amount per fiscal "
             "year)", where_text(rwhere(s, -1, "target"), wb, sizeof wb),
             tg->n, tg->n == 1 ? "" : "s", nfy, nfy - tg->n,
             nfy - tg->n == 1 ? "has" : "have");
    int lead = ((start - fy0) % 12 + 12) % 12;
    /* with bookings already made the first year is a whole one */
    if (tg->n > 0 && lead > 0 && !(sp_role_value(s, -1, "ytd_bookings")->num > 0))
        warn(w, "%sthe horizon starts %d month%s into a fiscal year "
             "(fiscal_year_start %d): the first target amount applies to a "
             "stub of %d month%s; give that stub its own amount, or start at "
             "a fiscal year", where_text(rwhere(s, -1, "target"), wb, sizeof wb),
             lead, lead == 1 ? "" : "s", fy0 + 1, 12 - lead,
             12 - lead == 1 ? "" : "s");
    return SP_OK;
}

/* ---- canonical script ---- */

typedef struct {
    char *b;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *s, const char *t)
{
    size_t l = strlen(t);
    if (s->oom)
        return;
    if (s->n + l + 1 > s->cap) {
        size_t c = s->cap ? s->cap * 2 : 1024;
        while (c < s->n + l + 1)
            c *= 2;
        char *nb = realloc(s->b, c);
        if (!nb) {
            s->oom = 1;
            return;
        }
        s->b = nb;
        s->cap = c;
    }
    memcpy(s->b + s->n, t, l + 1);
    s->n += l;
}

static void sb_quoted(sbuf *s, const char *t)
{
    sb_add(s, "\"");
    for (; *t; t++) {
        char c[3] = {*t, 0, 0};
        if (*t == '"' || *t == '\\') {
            c[0] = '\\';
            c[1] = *t;
        }
        sb_add(s, c);
    }
    sb_add(s, "\"");
}

static void sb_param(sbuf *sb, const sp_scenario *s, sp_pref p)
{
    const sp_value *v = p.role < 0 ? &s->vals[p.param]
                                   : &s->roles[p.role].vals[p.param];
    if (v->type == SP_T_NONE)
        return;
    const sp_value *def = default_of(s, p);
    if (sp_value_equal(v, def))
        return;
    char name[80];
    sp_pref_name(s, p, name, sizeof name);
    const sp_param *par = &sp_params[p.param];
    char *txt = sp_format_value(v, par->unit, par->unit2, par->enums);
    if (!txt) {
        sb->oom = 1;
        return;
    }
    sb_add(sb, "set ");
    sb_add(sb, name);
    sb_add(sb, " ");
    sb_add(sb, txt);
    sb_add(sb, "\n");
    free(txt);
}

char *sp_scenario_script(const sp_scenario *s)
{
    sbuf sb = {0};
    sb_add(&sb, SP_SAVE_HEADER "\n");
    sb_add(&sb, "scenario ");
    sb_add(&sb, s->name);
    if (s->title[0]) {
        sb_add(&sb, " ");
        sb_quoted(&sb, s->title);
    }
    sb_add(&sb, "\n\n");
    for (int r = 0; r < s->nroles; r++) {
        sb_add(&sb, "role ");
        sb_add(&sb, s->roles[r].id);
        sb_add(&sb, " ");
        sb_add(&sb, sp_kind_name(s->roles[r].kind));
        if (s->roles[r].title[0]) {
            sb_add(&sb, " ");
            sb_quoted(&sb, s->roles[r].title);
        }
        sb_add(&sb, "\n");
    }
    /* the people, by the files' absolute names: the script may be saved
     * anywhere */
    for (int k = 0; k < s->roster.nfiles; k++) {
        sb_add(&sb, "roster ");
        sb_quoted(&sb, s->roster.real[k]);
        sb_add(&sb, "\n");
    }
    sb_add(&sb, "\n");
    for (int i = 0; i < sp_nparams; i++)
        if (sp_params[i].scope == SP_SCOPE_GLOBAL)
            sb_param(&sb, s, (sp_pref){i, -1});
    for (int r = 0; r < s->nroles; r++) {
        sb_add(&sb, "\n");
        for (int i = 0; i < sp_nparams; i++)
            if (sp_param_applies(s, i, r))
                sb_param(&sb, s, (sp_pref){i, r});
    }
    if (sb.oom) {
        free(sb.b);
        return NULL;
    }
    return sb.b;
}

sp_status sp_scenario_save(const sp_scenario *s, const char *path,
                           sp_error *err)
{
    char *txt = sp_scenario_script(s);
    if (!txt)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    char tmp[4096];
    FILE *f = sp_atomic_open(path, tmp, err);
    if (!f) {
        free(txt);
        return err ? err->status : SP_ERR_IO;
    }
    fputs(txt, f);
    free(txt);
    return sp_atomic_commit(f, tmp, path, err);
}

/* ---- what changed since a run ----------------------------------------- */

/* The statement that sets p in to as it is now, or unsets it. */
static void sb_change(sbuf *sb, const sp_scenario *to, sp_pref p)
{
    char name[80];
    sp_pref_name(to, p, name, sizeof name);
    if (!sp_scenario_is_set(to, p)) {
        sb_add(sb, "unset ");
        sb_add(sb, name);
        sb_add(sb, "\n");
        return;
    }
    const sp_param *par = &sp_params[p.param];
    char *txt = sp_format_value(sp_scenario_value(to, p), par->unit,
                                par->unit2, par->enums);
    if (!txt) {
        sb->oom = 1;
        return;
    }
    sb_add(sb, "set ");
    sb_add(sb, name);
    sb_add(sb, " ");
    sb_add(sb, txt);
    sb_add(sb, "\n");
    free(txt);
}

/* Trials and seed say how a scenario was run, not what it plans: a run
 * with `run trials 300` is a run of the scenario as it is. */
static int run_setting(int param)
{
    return strcmp(sp_params[param].name, "trials") == 0 ||
           strcmp(sp_params[param].name, "seed") == 0;
}

char *sp_scenario_changes(const sp_scenario *from, const sp_scenario *to,
                          int *oom)
{
    sbuf sb = {0};
    *oom = 0;
    for (int i = 0; i < sp_nparams; i++)
        if (sp_params[i].scope == SP_SCOPE_GLOBAL && !run_setting(i) &&
            !sp_value_equal(sp_scenario_value(from, (sp_pref){i, -1}),
                            sp_scenario_value(to, (sp_pref){i, -1})))
            sb_change(&sb, to, (sp_pref){i, -1});
    for (int r = 0; r < from->nroles; r++)
        if (sp_role_find(to, from->roles[r].id) < 0) {
            sb_add(&sb, "# role ");
            sb_add(&sb, from->roles[r].id);
            sb_add(&sb, " removed\n");
        }
    for (int r = 0; r < to->nroles; r++) {
        int fr = sp_role_find(from, to->roles[r].id);
        if (fr < 0 || from->roles[fr].kind != to->roles[r].kind) {
            sb_add(&sb, "role ");
            sb_add(&sb, to->roles[r].id);
            sb_add(&sb, " ");
            sb_add(&sb, sp_kind_name(to->roles[r].kind));
            sb_add(&sb, "\n");
            for (int i = 0; i < sp_nparams; i++)
                if (sp_param_applies(to, i, r) &&
                    sp_scenario_is_set(to, (sp_pref){i, r}))
                    sb_change(&sb, to, (sp_pref){i, r});
            continue;
        }
        for (int i = 0; i < sp_nparams; i++)
            if (sp_param_applies(to, i, r) &&
                !sp_value_equal(sp_scenario_value(from, (sp_pref){i, fr}),
                                sp_scenario_value(to, (sp_pref){i, r})))
                sb_change(&sb, to, (sp_pref){i, r});
    }
    if (sb.oom) {
        free(sb.b);
        *oom = 1;
        return NULL;
    }
    if (sb.n > 0 && sb.b[sb.n - 1] == '\n')
        sb.b[--sb.n] = '\0';
    return sb.b;
}
