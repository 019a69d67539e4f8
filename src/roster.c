/* `roster FILE.csv`: real people as a role's starting staff (MODEL.md 2.3,
 * 10.6).  Cells use the language's number and month syntax; an empty
 * cell is unset. */
#include "salesplan/roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "salesplan/csv.h"
#include "salesplan/lang.h"
#include "salesplan/number.h"

enum {
    COL_ROLE, COL_HIRED, COL_ID, COL_CAPACITY, COL_ATTAINMENT, COL_QUOTA,
    COL_PERIOD_BOOKINGS, COL_PERIOD_QUOTA, NCOL
};

static const char *const col_name[NCOL] = {
    "role", "hired", "id", "capacity", "attainment", "quota",
    "period_bookings", "period_quota"
};

/* Which SP_RO_* flag a number column sets, and how it reads. */
static const struct {
    unsigned flag;
    sp_unit unit;
} num_col[NCOL] = {
    [COL_CAPACITY] = {SP_RO_CAPACITY, SP_U_MONEY},
    [COL_ATTAINMENT] = {SP_RO_ATTAINMENT, SP_U_PERCENT},
    [COL_QUOTA] = {SP_RO_QUOTA, SP_U_MONEY},
    [COL_PERIOD_BOOKINGS] = {SP_RO_PERIOD_BOOKINGS, SP_U_MONEY},
    [COL_PERIOD_QUOTA] = {SP_RO_PERIOD_QUOTA, SP_U_MONEY},
};

static const char *const col_list =
    "role, hired, id, capacity, attainment, quota, period_bookings, "
    "period_quota";

static sp_status at(sp_error *err, const char *path, const sp_csv_field *f,
                    const char *fmt, const char *a, const char *b)
{
    sp_loc l = {path, f->line};
    return sp_error_set(err, SP_ERR_INVALID, &l, f->col, fmt, a ? a : "",
                        b ? b : "");
}

/* The header: which column each field is; pos[c] = -1 when absent. */
static sp_status read_header(const sp_csv_record *h, const char *path,
                             int *pos, int *map, sp_error *err)
{
    for (int c = 0; c < NCOL; c++)
        pos[c] = -1;
    for (int i = 0; i < h->n; i++) {
        int c = 0;
        while (c < NCOL && strcasecmp(h->f[i].s, col_name[c]) != 0)
            c++;
        if (c == NCOL)
            return at(err, path, &h->f[i], "roster: expected a column name "
                      "(%s), found '%s'", col_list, h->f[i].s);
        if (pos[c] >= 0)
            return at(err, path, &h->f[i], "roster: column '%s' is named "
                      "twice%s", col_name[c], NULL);
        pos[c] = i;
        map[i] = c;
    }
    for (int c = 0; c <= COL_HIRED; c++)
        if (pos[c] < 0) {
            sp_csv_field f = {NULL, h->line, 1};
            return at(err, path, &f, "roster: expected a '%s' column in the "
                      "header (role and hired are required)%s", col_name[c],
                      NULL);
        }
    return SP_OK;
}

static int find_role(const sp_roster_role *roles, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(roles[i].id, id) == 0)
            return i;
    return -1;
}

static sp_status read_cell(sp_roster_row *row, int c, const sp_csv_field *f,
                           const char *path, const sp_roster_role *roles,
                           int nroles, sp_error *err)
{
    const char *s = f->s;
    if (c == COL_ROLE) {
        int k = find_role(roles, nroles, s);
        if (k < 0)
            return at(err, path, f, "roster: expected a declared role id, "
                      "found '%s'%s", s, NULL);
        snprintf(row->role, sizeof row->role, "%s", s);
        return SP_OK;
    }
    if (c == COL_HIRED) {
        if (sp_parse_month(s, &row->hired) != 0)
            return at(err, path, f, "roster: hired: expected a month "
                      "YYYY-MM, found '%s'%s", s, NULL);
        row->hired_col = f->col;
        return SP_OK;
    }
    if (c == COL_ID) {
        if (strlen(s) >= sizeof row->id)
            return at(err, path, f, "roster: id: expected at most 31 bytes, "
                      "found '%s'%s", s, NULL);
        snprintf(row->id, sizeof row->id, "%s", s);
        return SP_OK;
    }
    double x;
    if (sp_parse_number_in_unit(s, num_col[c].unit, &x) != 0 || x < 0) {
        char what[96];
        snprintf(what, sizeof what, "roster: %s: expected %s", col_name[c],
                 num_col[c].unit == SP_U_PERCENT
                     ? "a fraction of quota (95% or 0.95)"
                     : "an amount of money >= 0 (900k)");
        return at(err, path, f, "%s, found '%s'", what, s);
    }
    double *dst[NCOL] = {[COL_CAPACITY] = &row->capacity,
                         [COL_ATTAINMENT] = &row->attainment,
                         [COL_QUOTA] = &row->quota,
                         [COL_PERIOD_BOOKINGS] = &row->period_bookings,
                         [COL_PERIOD_QUOTA] = &row->period_quota};
    *dst[c] = x;
    row->set |= num_col[c].flag;
    return SP_OK;
}

/* One data record into *row, checked on its own. */
static sp_status read_row(const sp_csv_record *rec, const char *path,
                          const int *pos, const int *map, int ncols,
                          const sp_roster_role *roles, int nroles,
                          sp_roster_row *row, sp_error *err)
{
    memset(row, 0, sizeof *row);
    row->line = rec->line;
    if (rec->n != ncols) {
        const sp_csv_field *f = &rec->f[rec->n < ncols ? rec->n - 1 : ncols];
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", ncols);
        snprintf(b, sizeof b, "%d", rec->n);
        return at(err, path, f, "roster: expected %s fields, as the header "
                  "has, found %s", a, b);
    }
    for (int c = 0; c <= COL_HIRED; c++)
        if (rec->f[pos[c]].s[0] == 0)
            return at(err, path, &rec->f[pos[c]], "roster: expected a %s, "
                      "found an empty cell%s", c == COL_ROLE ? "role id"
                                                             : "month YYYY-MM",
                      NULL);
    for (int i = 0; i < rec->n; i++) {
        if (rec->f[i].s[0] == 0)
            continue;
        sp_status st = read_cell(row, map[i], &rec->f[i], path, roles,
                                 nroles, err);
        if (st)
            return st;
    }
    if ((row->set & SP_RO_CAPACITY) && (row->set & SP_RO_ATTAINMENT))
        return at(err, path, &rec->f[pos[COL_ATTAINMENT]], "roster: expected "
                  "capacity or attainment, found both (capacity is what the "
                  "person sells, attainment a fraction of quota)%s%s", NULL,
                  NULL);
    const sp_roster_role *r = &roles[find_role(roles, nroles, row->role)];
    unsigned q = SP_RO_CAPACITY | SP_RO_ATTAINMENT | SP_RO_QUOTA |
                 SP_RO_PERIOD_BOOKINGS | SP_RO_PERIOD_QUOTA;
    if (r->kind != SP_KIND_QUOTA && (row->set & q))
        return at(err, path, &rec->f[pos[COL_ROLE]], "roster: role '%s' "
                  "carries no quota: expected no capacity, attainment, quota "
                  "or period columns on its rows%s", row->role, NULL);
    return SP_OK;
}

static int add_file(sp_roster *ro, const char *path, const char *real)
{
    char **f = realloc(ro->files, (size_t)(ro->nfiles + 1) * sizeof *f);
    if (!f)
        return -1;
    ro->files = f;
    char **r = realloc(ro->real, (size_t)(ro->nfiles + 1) * sizeof *r);
    if (!r)
        return -1;
    ro->real = r;
    ro->files[ro->nfiles] = strdup(path);
    ro->real[ro->nfiles] = strdup(real ? real : path);
    if (!ro->files[ro->nfiles] || !ro->real[ro->nfiles]) {
        free(ro->files[ro->nfiles]);
        free(ro->real[ro->nfiles]);
        return -1;
    }
    ro->nfiles++;
    return 0;
}

sp_status sp_roster_read(sp_roster *ro, const char *path, const char *real,
                         const char *text, size_t len,
                         const sp_roster_role *roles, int nroles,
                         sp_error *err)
{
    sp_csv csv;
    sp_status st = sp_csv_parse(text, len, path, &csv, err);
    if (st)
        return st;
    int pos[NCOL], map[64];
    if (csv.n < 1 || csv.r[0].n > 64) {
        sp_loc l = {path, 1};
        sp_csv_free(&csv);
        return sp_error_set(err, SP_ERR_INVALID, &l, 1, "roster: expected a "
                            "header row naming the columns (%s)", col_list);
    }
    st = read_header(&csv.r[0], path, pos, map, err);
    sp_roster_row *rows = NULL;
    if (st == SP_OK && csv.n > 1 &&
        !(rows = calloc((size_t)csv.n - 1, sizeof *rows)))
        st = sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    for (int i = 1; st == SP_OK && i < csv.n; i++)
        st = read_row(&csv.r[i], path, pos, map, csv.r[0].n, roles, nroles,
                      &rows[i - 1], err);
    int add = csv.n - 1;
    sp_roster_row *nr = NULL;
    if (st == SP_OK &&
        !(nr = realloc(ro->rows, (size_t)(ro->n + add + 1) * sizeof *nr)))
        st = sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    if (nr)
        ro->rows = nr;
    if (st == SP_OK && add_file(ro, path, real) != 0)
        st = sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    if (st == SP_OK) {
        for (int i = 0; i < add; i++) {
            rows[i].file = ro->nfiles - 1;
            ro->rows[ro->n++] = rows[i];
        }
    }
    free(rows);
    sp_csv_free(&csv);
    return st;
}

sp_status sp_roster_check(const sp_roster *ro, int start, sp_error *err)
{
    for (int i = 0; i < ro->n; i++) {
        const sp_roster_row *r = &ro->rows[i];
        if (r->hired <= start)
            continue;
        char h[8], s[8];
        sp_format_month(r->hired, h);
        sp_format_month(start, s);
        sp_loc l = {ro->files[r->file], r->line};
        return sp_error_set(err, SP_ERR_INVALID, &l, r->hired_col,
                            "roster: hired: expected a month not after the "
                            "start %s (a roster lists who is there at the "
                            "start; later people are hires), found %s", s, h);
    }
    return SP_OK;
}

int sp_roster_count(const sp_roster *ro, const char *id)
{
    int n = 0;
    for (int i = 0; i < ro->n; i++)
        n += strcmp(ro->rows[i].role, id) == 0;
    return n;
}

int sp_roster_compile(const sp_roster *ro, const char *id, int start,
                      sp_model_role *mr)
{
    int n = sp_roster_count(ro, id);
    mr->nroster = 0;
    mr->roster = NULL;
    if (n == 0)
        return 0;
    if (!(mr->roster = calloc((size_t)n, sizeof *mr->roster)))
        return -1;
    for (int i = 0; i < ro->n; i++) {
        const sp_roster_row *r = &ro->rows[i];
        if (strcmp(r->role, id) != 0)
            continue;
        sp_roster_emp *e = &mr->roster[mr->nroster++];
        snprintf(e->id, sizeof e->id, "%s", r->id);
        e->tenure = start - r->hired;
        e->has_capacity = (r->set & SP_RO_CAPACITY) != 0;
        e->has_attainment = (r->set & SP_RO_ATTAINMENT) != 0;
        e->capacity = r->capacity;
        e->attainment = r->attainment;
        e->quota = (r->set & SP_RO_QUOTA) ? r->quota : 0;
        e->period_bookings = r->period_bookings;
        e->has_period_quota = (r->set & SP_RO_PERIOD_QUOTA) != 0;
        e->period_quota = r->period_quota;
    }
    mr->headcount = mr->nroster;
    return 0;
}

void sp_roster_free(sp_roster *ro)
{
    for (int i = 0; i < ro->nfiles; i++) {
        free(ro->files[i]);
        free(ro->real[i]);
    }
    free(ro->files);
    free(ro->real);
    free(ro->rows);
    memset(ro, 0, sizeof *ro);
}

int sp_roster_copy(sp_roster *dst, const sp_roster *src)
{
    memset(dst, 0, sizeof *dst);
    if (src->n > 0) {
        if (!(dst->rows = malloc((size_t)src->n * sizeof *dst->rows)))
            return -1;
        memcpy(dst->rows, src->rows, (size_t)src->n * sizeof *dst->rows);
        dst->n = src->n;
    }
    for (int i = 0; i < src->nfiles; i++)
        if (add_file(dst, src->files[i], src->real[i]) != 0) {
            sp_roster_free(dst);
            return -1;
        }
    return 0;
}
