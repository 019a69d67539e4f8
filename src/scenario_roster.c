/* A scenario's roster: adding a file's people, the checks that need the
 * rest of the scenario, and compiling the rows into the model's roles
 * (MODEL.md 2.3, 10.6). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "salesplan/file.h"
#include "salesplan/roster.h"
#include "salesplan/scenario.h"

sp_status sp_scenario_add_roster(sp_scenario *s, const char *path,
                                 const char *real, const char *text,
                                 size_t len, sp_error *err)
{
    sp_roster_role roles[SP_MAX_ROLES];
    int n = s->nroles < SP_MAX_ROLES ? s->nroles : SP_MAX_ROLES;
    for (int i = 0; i < n; i++) {
        roles[i].id = s->roles[i].id;
        roles[i].kind = s->roles[i].kind;
    }
    sp_status st = sp_roster_read(&s->roster, path, real, text, len, roles,
                                  n, err);
    if (st == SP_OK)
        sp_scenario_touch(s);
    return st;
}

/* A rostered role's starting staff are its rows: a headcount or tenure
 * beside them would say it twice. */
static sp_status check_role(const sp_scenario *s, int r, sp_error *err)
{
    static const char *const names[2] = {"headcount", "tenure"};
    const sp_role *ro = &s->roles[r];
    for (int k = 0; k < 2; k++) {
        sp_pref p = {sp_param_find(names[k], SP_SCOPE_ROLE), r};
        if (p.param < 0 || !sp_scenario_is_set(s, p))
            continue;
        const sp_where *w = &ro->where[p.param];
        sp_loc l = {w->file, w->line};
        return sp_error_set(err, SP_ERR_INVALID, w->file ? &l : NULL, 0,
                            "%s.%s: role '%s' takes its starting staff from "
                            "its roster rows; expected no %s beside them "
                            "(unset %s.%s)", ro->id, names[k], ro->id,
                            names[k], ro->id, names[k]);
    }
    return SP_OK;
}

/* An opening book is contracts recognised over their terms: with revenue
 * as booked it has no meaning (MODEL.md 10.10). */
static sp_status check_book(const sp_scenario *s, sp_error *err)
{
    int ia = sp_param_find("opening_arr", SP_SCOPE_GLOBAL);
    sp_pref pa = {ia, -1};
    sp_pref pr = {sp_param_find("revenue", SP_SCOPE_GLOBAL), -1};
    if (!(sp_scenario_value(s, pa)->num > 0) || sp_scenario_value(s, pr)->flag)
        return SP_OK;
    const sp_where *w = &s->where[ia];
    sp_loc l = {w->file, w->line};
    return sp_error_set(err, SP_ERR_INVALID, w->file ? &l : NULL, 0,
                        "opening_arr needs ratable revenue (set revenue "
                        "ratable N [renewal R%%]), found revenue bookings");
}

sp_status sp_scenario_check_position(const sp_scenario *s, sp_error *err)
{
    sp_status st = check_book(s, err);
    if (st || s->roster.n == 0)
        return st;
    sp_pref ps = {sp_param_find("start", SP_SCOPE_GLOBAL), -1};
    st = sp_roster_check(&s->roster, (int)sp_scenario_value(s, ps)->num, err);
    for (int r = 0; st == SP_OK && r < s->nroles; r++)
        if (sp_roster_count(&s->roster, s->roles[r].id) > 0)
            st = check_role(s, r, err);
    /* a row whose role was declared again with another kind */
    for (int i = 0; st == SP_OK && i < s->roster.n; i++) {
        const sp_roster_row *row = &s->roster.rows[i];
        int r = sp_role_find(s, row->role);
        unsigned q = SP_RO_CAPACITY | SP_RO_ATTAINMENT | SP_RO_QUOTA |
                     SP_RO_PERIOD_BOOKINGS | SP_RO_PERIOD_QUOTA;
        sp_loc l = {s->roster.files[row->file], row->line};
        if (r < 0 || (s->roles[r].kind != SP_KIND_QUOTA && (row->set & q)))
            st = sp_error_set(err, SP_ERR_INVALID, &l, 1, "roster: role "
                              "'%s' is not a quota role of this scenario",
                              row->role);
    }
    return st;
}

sp_status sp_scenario_compile_roster(const sp_scenario *s, int r,
                                     sp_model *m, sp_error *err)
{
    sp_pref ps = {sp_param_find("start", SP_SCOPE_GLOBAL), -1};
    if (sp_roster_compile(&s->roster, s->roles[r].id,
                          (int)sp_scenario_value(s, ps)->num,
                          &m->roles[r]) != 0)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    return SP_OK;
}

static char *read_text(const char *path, size_t *len, sp_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot read '%s': it is a "
                     "directory", path);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot read '%s': %s", path,
                     strerror(errno));
        return NULL;
    }
    int rs;
    char *b = sp_read_stream_len(f, &rs, len);
    fclose(f);
    if (!b)
        sp_error_set(err, rs == -1 ? SP_ERR_NOMEM : SP_ERR_IO, NULL, 0,
                     "cannot read '%s'", path);
    else if (sp_text_check(b, *len, path, err) != SP_OK) {
        free(b);
        b = NULL;
    }
    return b;
}

sp_status sp_scenario_roster_file(sp_scenario *s, const char *path,
                                  const char *from, sp_error *err)
{
    char *full = sp_path_resolve(path, from);
    if (!full)
        return sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory");
    size_t len = 0;
    char *text = read_text(full, &len, err);
    sp_status st = err ? err->status : SP_ERR_IO;
    if (text) {
        char *real = realpath(full, NULL);
        st = sp_scenario_add_roster(s, sp_intern(full), real, text, len, err);
        free(real);
    }
    free(text);
    free(full);
    return st;
}
