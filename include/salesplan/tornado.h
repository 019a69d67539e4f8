/* `tornado`: each input of a scenario moved down and up by a swing, the
 * metric's response, largest first; the result is an sp_tornado
 * (findings.h). */
#ifndef SALESPLAN_TORNADO_H
#define SALESPLAN_TORNADO_H

#include "salesplan/lang.h"
#include "salesplan/session.h"

int sp_cmd_tornado(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);

#endif
