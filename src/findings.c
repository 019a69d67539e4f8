/* The analysis results a session keeps for export. */
#include "salesplan/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_sweep_free(sp_sweep *sw)
{
    if (!sw)
        return;
    free(sw->values[0]);
    free(sw->values[1]);
    free(sw->points);
    free(sw);
}

void sp_tornado_free(sp_tornado *tn)
{
    if (!tn)
        return;
    free(tn->bars);
    free(tn);
}

/* Appends p to the array *list of *n pointers. */
static int append(void ***list, int *n, void *p)
{
    void **nl = realloc(*list, (size_t)(*n + 1) * sizeof *nl);
    if (!nl)
        return -1;
    nl[(*n)++] = p;
    *list = nl;
    return 0;
}

int sp_findings_add_sweep(sp_findings *f, sp_sweep *sw)
{
    void **l = (void **)f->sweeps;
    int rc = append(&l, &f->nsweeps, sw);
    f->sweeps = (sp_sweep **)l;
    if (rc)
        sp_sweep_free(sw);
    return rc;
}

int sp_findings_add_tornado(sp_findings *f, sp_tornado *tn)
{
    void **l = (void **)f->tornados;
    int rc = append(&l, &f->ntornados, tn);
    f->tornados = (sp_tornado **)l;
    if (rc)
        sp_tornado_free(tn);
    return rc;
}

int sp_findings_add_seek(sp_findings *f, const sp_seek *sk)
{
    sp_seek *v = realloc(f->seeks, (size_t)(f->nseeks + 1) * sizeof *v);
    if (!v)
        return -1;
    v[f->nseeks++] = *sk;
    f->seeks = v;
    return 0;
}

int sp_findings_set_compare(sp_findings *f, const char *const *names, int n)
{
    char (*c)[64] = calloc(n > 0 ? (size_t)n : 1, sizeof *c);
    if (!c)
        return -1;
    for (int i = 0; i < n; i++)
        snprintf(c[i], sizeof c[i], "%s", names[i]);
    free(f->cmp);
    f->cmp = c;
    f->ncmp = n;
    return 0;
}

const sp_sweep *sp_findings_last_sweep(const sp_findings *f)
{
    return f && f->nsweeps ? f->sweeps[f->nsweeps - 1] : NULL;
}

const sp_tornado *sp_findings_last_tornado(const sp_findings *f)
{
    return f && f->ntornados ? f->tornados[f->ntornados - 1] : NULL;
}

void sp_findings_clear(sp_findings *f)
{
    for (int i = 0; i < f->nsweeps; i++)
        sp_sweep_free(f->sweeps[i]);
    for (int i = 0; i < f->ntornados; i++)
        sp_tornado_free(f->tornados[i]);
    free(f->sweeps);
    free(f->tornados);
    free(f->seeks);
    free(f->cmp);
    memset(f, 0, sizeof *f);
}
