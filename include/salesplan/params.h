/* The parameter table: every global and role parameter of MODEL.md and
 * INTERFACE.md, one row each.  set, get, unset, show params, help set,
 * completion, save, diff and the workbook's assumptions all read it. */
#ifndef SALESPLAN_PARAMS_H
#define SALESPLAN_PARAMS_H

#include "salesplan/lang.h"
#include "salesplan/value.h"

typedef enum { SP_SCOPE_GLOBAL = 0, SP_SCOPE_ROLE = 1 } sp_scope;

/* Role kinds a role parameter applies to (bit mask). */
#define SP_K_QUOTA   1u
#define SP_K_SUPPORT 2u
#define SP_K_MANAGER 4u
#define SP_K_ALL     7u

/* Range flags. */
#define SP_PF_LO_OPEN 1u   /* lo itself not allowed */
#define SP_PF_HI_OPEN 2u   /* hi itself not allowed */

typedef struct {
    const char *name;
    sp_scope scope;
    unsigned kinds;        /* role parameters: kinds it applies to */
    sp_type type;
    sp_unit unit, unit2;
    const char *def;       /* default as statement text; "" = no value */
    const char *def_note;  /* when the default depends on other values */
    double lo, hi;         /* allowed range of every number in the value */
    unsigned flags;
    const char *enums;     /* words of an SP_T_ENUM, `|`-separated */
    const char *help;      /* one line */
} sp_param;

extern const sp_param sp_params[];
extern const int sp_nparams;

/* Index in sp_params of a parameter of that scope, -1 when unknown. */
int sp_param_find(const char *name, sp_scope scope);
/* The closest parameter name of that scope (edit distance <= 3), or NULL. */
const char *sp_param_suggest(const char *name, sp_scope scope);
/* Unit name for help text ("money", "percent", ...). */
const char *sp_unit_name(sp_unit u);
/* The parsed default of parameter i (type SP_T_NONE when it has none).
 * Parsed once; owned by the table. */
const sp_value *sp_param_default(int i);
/* The default of parameter i for a role of that kind (SP_K_QUOTA,
 * SP_K_SUPPORT, SP_K_MANAGER; 0 for a global parameter). */
const sp_value *sp_param_default_for(int i, unsigned kind_bit);

#endif
