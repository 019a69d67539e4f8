/* What the JSON and CSV writers share: the names of series and of the
 * statistics of a figure, which series they report, the text of a number,
 * and writing a whole document to a file or standard output. */
#ifndef SALESPLAN_EXPORT_PRIVATE_H
#define SALESPLAN_EXPORT_PRIVATE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/error.h"
#include "salesplan/file.h"
#include "salesplan/results.h"

#ifndef SP_VERSION
#define SP_VERSION "0.0.0"
#endif

/* Room for "cum_contribution.ROLE". */
#define SERIES_NAME_MAX (SP_ID_MAX + 40)

static const char *const stat_keys[3 + SP_NPCT] = {
    "mean", "sd", "se", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
};

static inline double stat_field(const sp_stat *s, int k)
{
    return k == 0 ? s->mean : k == 1 ? s->sd : k == 2 ? s->se : s->p[k - 3];
}

static inline const char *role_id(const sp_results *r, int role)
{
    return role < 0 ? NULL : r->model.roles[role].id;
}

/* "bookings" or "bookings.ae"; role is a role id, NULL for the team. */
static inline void series_name(int metric, const char *role, char *buf,
                               size_t size)
{
    if (!role)
        snprintf(buf, size, "%s", sp_metric_name(metric));
    else
        snprintf(buf, size, "%s.%s", sp_metric_name(metric), role);
}

/* Every metric exists in total (a structurally absent one holds zeros), so
 * readers always find the total series; role series appear where the
 * role's parameters can make them non-zero.  The levels of one role
 * (support_factor, plan_met) have no total, and the opening book's revenue
 * is reported only when there is one (MODEL.md 10.10). */
static inline int mpresent(const sp_results *r, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (role < 0 && s < r->nseries && sp_metric_total_always(metric))
        return 1;
    return r->present && s < r->nseries && r->present[s];
}

static inline int ppresent(const sp_results *r, int metric, int role)
{
    int s = sp_series(r, metric, role);
    if (role < 0 && s < r->npseries && sp_metric_total_always(metric))
        return 1;
    return r->ppresent && s < r->npseries && r->ppresent[s];
}

/* Shortest text that reads back to x: %.15g is enough for most values and
 * %.17g always is.  A numeric locale with a decimal comma (the shell may
 * set one for readline) would break JSON and CSV, so the point is forced. */
static inline void num_text(double x, char *buf, size_t size)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
}

typedef sp_status (*doc_writer)(FILE *f, const void *doc);

/* Writes a document to path through an atomic replacement, or to standard
 * output for "-". */
static inline sp_status write_doc(const char *path, doc_writer writer,
                                  const void *doc, sp_error *err)
{
    char tmp[PATH_MAX];

    if (strcmp(path, "-") == 0) {
        if (writer(stdout, doc) != SP_OK || fflush(stdout) != 0)
            return sp_error_set(err, SP_ERR_IO, NULL, 0,
                                "cannot write to standard output: %s",
                                strerror(errno ? errno : EIO));
        return SP_OK;
    }
    FILE *f = sp_atomic_open(path, tmp, err);
    if (!f)
        return SP_ERR_IO;
    errno = 0;
    if (writer(f, doc) != SP_OK) {
        int e = errno ? errno : EIO;
        sp_atomic_abort(f, tmp);
        return sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot write '%s': %s",
                            path, strerror(e));
    }
    return sp_atomic_commit(f, tmp, path, err);
}

static inline sp_status no_results(sp_error *err)
{
    return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                        "no results to export: run a scenario first");
}

#endif
