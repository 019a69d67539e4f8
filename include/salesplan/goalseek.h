/* `goalseek PARAM for METRIC = VALUE`: the value of one parameter that
 * meets a goal, set in the scenario like a spreadsheet's Goal Seek. */
#ifndef SALESPLAN_GOALSEEK_H
#define SALESPLAN_GOALSEEK_H

#include "salesplan/analysis.h"
#include "salesplan/lang.h"
#include "salesplan/session.h"

/* What `goalseek` was asked. */
typedef struct {
    sp_knob k;
    sp_mspec ms;
    double goal;
    double trials, seed;
    double x0;                 /* where the search starts */
} sp_goalseek_request;

/* What it found. */
typedef struct {
    int found;                 /* a value in range meets the goal */
    double x;                  /* that value */
    double mx;                 /* the metric there */
    double below;              /* integers: the value under x, NaN if none */
    int rising;                /* the metric rises with the parameter */
    int exact;                 /* within tol of the goal (continuous) */
    double tol;
    char note[300];            /* why not exact */
    double mbelow;             /* the metric at below */
    int evals;                 /* values of the parameter tried */
    double xlo, mlo, xhi, mhi; /* the lowest and highest tried, metrics */
    int trials;                /* of every evaluation */
    unsigned long seed;
} sp_goalseek_outcome;

/* The statement `goalseek ...` into rq; SP_CMD_* code with err set. */
int sp_goalseek_parse(const sp_scenario *sc, const sp_tokens *t,
                      const char *file, sp_goalseek_request *rq,
                      sp_error *err);
/* The search, in one job of session s (NULL: none).  Changes nothing: the
 * command sets the value found. */
sp_status sp_goalseek_compute(sp_session *s, const sp_scenario *sc,
                              sp_goalseek_request *rq,
                              sp_goalseek_outcome *o, sp_error *err);

int sp_cmd_goalseek(sp_session *s, const sp_tokens *t, const char *file,
                    sp_error *err);

#endif
