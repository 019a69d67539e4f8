/* Scenarios and roles: parameters set, read, reset, saved, compared and
 * validated through the parameter table, and compiled for the engine.
 *
 * Ownership: a scenario owns its roles, values and strings (copied on
 * entry).  File names recorded for messages are interned for the life of
 * the process. */
#ifndef SALESPLAN_SCENARIO_H
#define SALESPLAN_SCENARIO_H

#include "salesplan/error.h"
#include "salesplan/lang.h"
#include "salesplan/model.h"
#include "salesplan/params.h"
#include "salesplan/roster.h"
#include "salesplan/value.h"

/* Where a value or role was written, for messages. */
typedef struct {
    const char *file;   /* interned; NULL when unknown */
    int line;
} sp_where;

typedef struct {
    char *id;
    char *title;
    sp_role_kind kind;
    sp_where decl;
    sp_value *vals;     /* [sp_nparams]; SP_T_NONE = default */
    sp_where *where;    /* [sp_nparams] */
} sp_role;

typedef struct {
    char *name;
    char *title;
    sp_value *vals;     /* [sp_nparams]; global rows used */
    sp_where *where;
    int nroles;
    sp_role *roles;
    sp_roster roster;       /* people of `roster FILE` statements */
    unsigned long version;  /* new at every change, unique in the process;
                               0: never changed */
} sp_scenario;

/* A parameter reference: param index and role (-1 = global). */
typedef struct {
    int param;
    int role;
} sp_pref;

/* Warnings collected by validation. */
#define SP_MAX_WARN 32
typedef struct {
    int n;
    char msg[SP_MAX_WARN][300];
} sp_warnings;

const char *sp_intern(const char *s);

sp_scenario *sp_scenario_new(const char *name, const char *title);
void sp_scenario_free(sp_scenario *s);
/* Deep copy under another name (NULL keeps the name). */
sp_scenario *sp_scenario_clone(const sp_scenario *s, const char *name);
int sp_scenario_rename(sp_scenario *s, const char *name, const char *title);

const char *sp_kind_name(sp_role_kind k);
int sp_kind_parse(const char *s, sp_role_kind *out);
int sp_role_find(const sp_scenario *s, const char *id);
/* Declare a role, or re-declare it with the same kind (updating the title). */
sp_status sp_role_declare(sp_scenario *s, const sp_token *id,
                          const sp_token *kind, const char *title,
                          const char *file, sp_error *err);

/* Resolve `name` or `role.name` written at token tok. */
sp_status sp_scenario_resolve(const sp_scenario *s, const sp_token *tok,
                              const char *file, sp_pref *out, sp_error *err);
/* set: t->v[first] names the parameter, the rest is the value. */
sp_status sp_scenario_set(sp_scenario *s, const sp_tokens *t, int first,
                          const char *file, sp_error *err);
/* Set from text (the value part only), e.g. for analysis. */
sp_status sp_scenario_set_text(sp_scenario *s, sp_pref p, const char *text,
                               sp_error *err);
/* Set a plain number (NUM/INT parameters, or a one-element list). */
sp_status sp_scenario_set_number(sp_scenario *s, sp_pref p, double x,
                                 sp_error *err);
void sp_scenario_unset(sp_scenario *s, sp_pref p);
/* Effective value: explicit, else the default for the role's kind. */
const sp_value *sp_scenario_value(const sp_scenario *s, sp_pref p);
int sp_scenario_is_set(const sp_scenario *s, sp_pref p);
/* Canonical text of the effective value, or the default note in
 * parentheses when there is no value.  malloc'd. */
char *sp_scenario_value_text(const sp_scenario *s, sp_pref p);
/* "ae.quota" / "horizon" into buf. */
void sp_pref_name(const sp_scenario *s, sp_pref p, char *buf, size_t n);
/* Whether parameter i applies to role r's kind. */
int sp_param_applies(const sp_scenario *s, int i, int role);

/* Whole-scenario checks; warnings (may be NULL) collects legal but
 * suspicious values. */
sp_status sp_scenario_validate(const sp_scenario *s, sp_warnings *w,
                               sp_error *err);

/* Canonical script: header comment, scenario line, roles, then every
 * parameter that differs from its default, in table order.  malloc'd. */
char *sp_scenario_script(const sp_scenario *s);
/* The first line of every file `save` writes: `save` overwrites such a
 * file without being told. */
#define SP_SAVE_HEADER "# salesplan scenario (canonical form written by `save`)"

/* The statements that turn from into to, one per line ("set rep.rate
 * 4%", "unset rep.ote", "role cs support" with its settings, "# role x
 * removed"), leaving out trials and seed, which say how a scenario was
 * run rather than what it plans.  NULL when nothing differs (or out of
 * memory: *oom is then 1).  malloc'd. */
char *sp_scenario_changes(const sp_scenario *from, const sp_scenario *to,
                          int *oom);
/* Write the script to path through a temporary file renamed into place. */
sp_status sp_scenario_save(const sp_scenario *s, const char *path,
                           sp_error *err);

/* ---- roster (scenario_roster.c) ------------------------------------ */

/* A new version for a change made outside the parameter table. */
void sp_scenario_touch(sp_scenario *s);

/* `roster FILE`: the CSV text of path (real: its absolute name) appended
 * to s's roster; on an error s is unchanged. */
sp_status sp_scenario_add_roster(sp_scenario *s, const char *path,
                                 const char *real, const char *text,
                                 size_t len, sp_error *err);
/* `roster FILE` named in file `from` (NULL or "<shell>": the current
 * directory): reads it and adds its people. */
sp_status sp_scenario_roster_file(sp_scenario *s, const char *path,
                                  const char *from, sp_error *err);
/* What validation adds for the starting position (MODEL.md 2.3, 3): roster
 * hires not after start, no headcount or tenure beside roster rows, an
 * opening book only with ratable revenue. */
sp_status sp_scenario_check_position(const sp_scenario *s, sp_error *err);
/* Role r's roster rows into m->roles[r]. */
sp_status sp_scenario_compile_roster(const sp_scenario *s, int r,
                                     sp_model *m, sp_error *err);

#endif
