/* Compiling a scenario into the engine's model (model.h): the one step
 * between what a user wrote and the plain numbers the trial loop reads. */
#ifndef SALESPLAN_COMPILE_H
#define SALESPLAN_COMPILE_H

#include "salesplan/error.h"
#include "salesplan/model.h"
#include "salesplan/scenario.h"

/* Validate s and compile it into m (free with sp_model_free). */
sp_status sp_model_compile(const sp_scenario *s, sp_model *m, sp_error *err);

#endif
