/* `run until se(METRIC) < X | rse(METRIC) < X% [trials MAX] [seed S]`:
 * runs of growing size until a figure is known to a stated precision. */
#ifndef SALESPLAN_UNTIL_H
#define SALESPLAN_UNTIL_H

#include "salesplan/lang.h"
#include "salesplan/session.h"

int sp_cmd_run_until(sp_session *s, const sp_tokens *t, const char *file,
                     sp_error *err);

#endif
