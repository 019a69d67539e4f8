/* What scenario.c shares with staffing.c, the validation and compilation
 * of the staffing rules (ratio-staffed support, support that drives
 * output, headcount plans).  Not an interface: nothing else includes it. */
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

#endif
