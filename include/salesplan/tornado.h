/* `tornado`: each input of a scenario moved down and up by a swing, the
 * metric's response, largest first; the result is an sp_tornado
 * (findings.h). */
#ifndef SALESPLAN_TORNADO_H
#define SALESPLAN_TORNADO_H

#include "salesplan/analysis.h"
#include "salesplan/findings.h"
#include "salesplan/lang.h"
#include "salesplan/session.h"

/* What `tornado` was asked. */
typedef struct {
    sp_mspec ms;
    double swing, trials, seed;
} sp_tornado_request;

/* The statement `tornado ...` into rq; SP_CMD_* code with err set. */
int sp_tornado_parse(const sp_scenario *sc, const sp_tokens *t,
                     const char *file, sp_tornado_request *rq, sp_error *err);
/* Every input of sc moved down and up, in one job of session s (NULL:
 * none).  *out is freed with sp_tornado_free; *runs counts simulations. */
sp_status sp_tornado_compute(sp_session *s, const sp_scenario *sc,
                             sp_tornado_request *rq, sp_tornado **out,
                             long *runs, sp_error *err);

int sp_cmd_tornado(sp_session *s, const sp_tokens *t, const char *file,
                   sp_error *err);

#endif
