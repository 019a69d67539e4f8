/* Starting from the real team (MODEL.md 2.3): the rows of `roster
 * FILE.csv`, read and checked, and their compiled form for the engine.
 *
 * Ownership: an sp_roster owns its rows and file names; sp_roster_free
 * releases them, sp_roster_copy deep-copies. */
#ifndef SALESPLAN_ROSTER_H
#define SALESPLAN_ROSTER_H

#include "salesplan/error.h"
#include "salesplan/model.h"

/* Columns a row sets (empty cells are unset). */
enum {
    SP_RO_CAPACITY = 1, SP_RO_ATTAINMENT = 2, SP_RO_QUOTA = 4,
    SP_RO_PERIOD_BOOKINGS = 8, SP_RO_PERIOD_QUOTA = 16
};

typedef struct {
    char role[SP_ID_MAX];
    char id[SP_ID_MAX];        /* may be empty */
    int hired;                 /* absolute month year*12 + month-1 */
    int file;                  /* index in sp_roster.files */
    int line, hired_col;       /* place of the row and its `hired` cell */
    unsigned set;              /* SP_RO_* */
    double capacity, attainment, quota, period_bookings, period_quota;
} sp_roster_row;

typedef struct {
    int n;
    sp_roster_row *rows;
    int nfiles;
    char **files;              /* as named (resolved against the naming file) */
    char **real;               /* absolute, what `save` writes */
} sp_roster;

/* A declared role, as the reader needs to know it. */
typedef struct {
    const char *id;
    sp_role_kind kind;
} sp_roster_role;

/* Reads the CSV text of file `path` (real: its absolute name) and
 * appends its rows to *ro; roles[0..nroles) are the declared roles.  On
 * any error err names PATH:LINE:COLUMN and *ro is unchanged. */
sp_status sp_roster_read(sp_roster *ro, const char *path, const char *real,
                         const char *text, size_t len,
                         const sp_roster_role *roles, int nroles,
                         sp_error *err);

/* Checks what depends on the rest of the scenario: every hire not after
 * `start`.  The first row that fails sets err. */
sp_status sp_roster_check(const sp_roster *ro, int start, sp_error *err);

/* Rows of role `id`. */
int sp_roster_count(const sp_roster *ro, const char *id);

/* Role `id`'s rows into mr->roster (mr->nroster, headcount); start is the
 * horizon's first month.  0, or -1 when memory ran out. */
int sp_roster_compile(const sp_roster *ro, const char *id, int start,
                      sp_model_role *mr);

void sp_roster_free(sp_roster *ro);
int sp_roster_copy(sp_roster *dst, const sp_roster *src);

#endif
