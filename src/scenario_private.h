/* What scenario.c shares with compile.c and with staffing.c (the
 * validation and compilation of the staffing rules: ratio-staffed support,
 * support that drives output, headcount plans).  Not an interface: nothing
 * else includes it. */
#ifndef SALESPLAN_SCENARIO_PRIVATE_H
#define SALESPLAN_SCENARIO_PRIVATE_H

#include "salesplan/error.h"
#include "salesplan/model.h"
#include "salesplan/scenario.h"

/* Role r's supports, span, support_share and headcount_plan (MODEL.md
 * 2.1, 2.2, 3.1, 10.4, 10.5): SP_OK or an error naming where the value was
 * written. */
sp_status sp_staffing_check(const sp_scenario *s, int r, sp_error *err);

/* Fills mr's staffing-rule fields; the role's kind, manages and span are
 * already compiled. */
void sp_staffing_compile(const sp_scenario *s, int r, const sp_model *m,
                         sp_model_role *mr);

/* Role r's value of parameter name (role -1: a global), defaults
 * included. */
const sp_value *sp_role_value(const sp_scenario *s, int role,
                              const char *name);
/* The quota role at the end of manager role r's `manages` chain (r itself
 * when it is a quota role), -1 when the chain ends elsewhere. */
int sp_team_role(const sp_scenario *s, int r);

#endif
