/* `sweep`: one parameter over a range, or two over a grid, every point run
 * on the same trials and seed; the result is an sp_sweep (findings.h). */
#ifndef SALESPLAN_SWEEP_H
#define SALESPLAN_SWEEP_H

#include "salesplan/lang.h"
#include "salesplan/session.h"

int sp_cmd_sweep(sp_session *s, const sp_tokens *t, const char *file,
                 sp_error *err);

#endif
