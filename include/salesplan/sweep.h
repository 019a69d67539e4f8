/* `sweep`: one parameter over a range, or two over a grid, every point run
 * on the same trials and seed; the result is an sp_sweep (findings.h). */
#ifndef SALESPLAN_SWEEP_H
#define SALESPLAN_SWEEP_H

#include "salesplan/analysis.h"
#include "salesplan/findings.h"
#include "salesplan/lang.h"
#include "salesplan/session.h"

/* What `sweep` was asked: one or two axes, a metric, trials and seed. */
typedef struct {
    sp_knob k[2];
    double *vals[2];
    int nv[2], nk;
    double trials, seed;
    sp_mspec ms;
} sp_sweep_request;

/* The statement `sweep ...` into rq (free with sp_sweep_request_free);
 * SP_CMD_* code with err set. */
int sp_sweep_parse(const sp_scenario *sc, const sp_tokens *t, const char *file,
                   sp_sweep_request *rq, sp_error *err);
void sp_sweep_request_free(sp_sweep_request *rq);
/* Every point, in one job of session s (NULL: none; nothing printed).  The
 * sweep takes rq's values; *out is freed with sp_sweep_free.  *runs counts
 * the simulations made. */
sp_status sp_sweep_compute(sp_session *s, const sp_scenario *sc,
                           sp_sweep_request *rq, sp_sweep **out, long *runs,
                           sp_error *err);

int sp_cmd_sweep(sp_session *s, const sp_tokens *t, const char *file,
                 sp_error *err);

#endif
