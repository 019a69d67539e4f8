/* Ownership of the compiled model: the hire lists and the distributions'
 * pair arrays are the only heap members. */
#include "salesplan/model.h"

#include <stdlib.h>
#include <string.h>

#include "salesplan/dist.h"

void sp_model_free(sp_model *m)
{
    if (!m)
        return;
    for (int r = 0; r < m->nroles && r < SP_MAX_ROLES; r++) {
        sp_model_role *ro = &m->roles[r];
        free(ro->hire_t);
        free(ro->hire_n);
        ro->hire_t = ro->hire_n = NULL;
        ro->nhires = 0;
        free(ro->roster);
        ro->roster = NULL;
        ro->nroster = 0;
        sp_dist_free(&ro->tenure);
        sp_dist_free(&ro->time_to_fill);
        sp_dist_free(&ro->attainment);
        sp_dist_free(&ro->capacity);
    }
}

/* dst first becomes a shallow copy, then every heap member is replaced by
 * its own copy; on failure the members not yet copied are cleared so that
 * sp_model_free releases exactly what dst owns. */
int sp_model_copy(sp_model *dst, const sp_model *src)
{
    memcpy(dst, src, sizeof *dst);
    int n = src->nroles < SP_MAX_ROLES ? src->nroles : SP_MAX_ROLES;
    for (int r = 0; r < n; r++) {
        sp_model_role *d = &dst->roles[r];
        d->hire_t = d->hire_n = NULL;
        d->roster = NULL;
        d->tenure.pairs = d->time_to_fill.pairs = d->attainment.pairs = NULL;
        d->capacity.pairs = NULL;
        d->tenure.n = d->time_to_fill.n = d->attainment.n = d->capacity.n = 0;
    }
    for (int r = 0; r < n; r++) {
        const sp_model_role *s = &src->roles[r];
        sp_model_role *d = &dst->roles[r];
        if (s->nhires > 0 && s->hire_t && s->hire_n) {
            size_t sz = (size_t)s->nhires * sizeof(int);
            d->hire_t = malloc(sz);
            d->hire_n = malloc(sz);
            if (!d->hire_t || !d->hire_n)
                goto fail;
            memcpy(d->hire_t, s->hire_t, sz);
            memcpy(d->hire_n, s->hire_n, sz);
        } else {
            d->nhires = 0;
        }
        if (s->nroster > 0 && s->roster) {
            size_t sz = (size_t)s->nroster * sizeof *s->roster;
            if (!(d->roster = malloc(sz)))
                goto fail;
            memcpy(d->roster, s->roster, sz);
        } else {
            d->nroster = 0;
        }
        if (sp_dist_copy(&d->tenure, &s->tenure) != 0 ||
            sp_dist_copy(&d->time_to_fill, &s->time_to_fill) != 0 ||
            sp_dist_copy(&d->attainment, &s->attainment) != 0 ||
            sp_dist_copy(&d->capacity, &s->capacity) != 0)
            goto fail;
    }
    return 0;
fail:
    sp_model_free(dst);
    memset(dst, 0, sizeof *dst);
    return -1;
}
