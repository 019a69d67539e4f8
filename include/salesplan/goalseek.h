/* `goalseek PARAM for METRIC = VALUE`: the value of one parameter that
 * meets a goal, set in the scenario like a spreadsheet's Goal Seek. */
#ifndef SALESPLAN_GOALSEEK_H
#define SALESPLAN_GOALSEEK_H

#include "salesplan/lang.h"
#include "salesplan/session.h"

int sp_cmd_goalseek(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err);

#endif
