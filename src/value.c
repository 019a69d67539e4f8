#include <stdlib.h>
#include <string.h>
#include "salesplan/value.h"
#include "salesplan/dist.h"

void sp_value_free(sp_value *v)
{
    if (!v)
        return;
    free(v->list);
    free(v->pairs);
    free(v->str);
    sp_dist_free(&v->dist);
    memset(v, 0, sizeof *v);
}

int sp_value_copy(sp_value *dst, const sp_value *src)
{
    sp_value v = *src;

    v.list = NULL;
    v.pairs = NULL;
    v.str = NULL;
    memset(&v.dist, 0, sizeof v.dist);
    if (src->list && src->n > 0) {
        v.list = malloc((size_t)src->n * sizeof *v.list);
        if (!v.list)
            goto fail;
        memcpy(v.list, src->list, (size_t)src->n * sizeof *v.list);
    }
    if (src->pairs && src->n > 0) {
        v.pairs = malloc((size_t)src->n * sizeof *v.pairs);
        if (!v.pairs)
            goto fail;
        memcpy(v.pairs, src->pairs, (size_t)src->n * sizeof *v.pairs);
    }
    if (src->str) {
        size_t len = strlen(src->str) + 1;
        v.str = malloc(len);
        if (!v.str)
            goto fail;
        memcpy(v.str, src->str, len);
    }
    if (sp_dist_copy(&v.dist, &src->dist) != 0)
        goto fail;
    *dst = v;
    return 0;
fail:
    sp_value_free(&v);
    memset(dst, 0, sizeof *dst);
    return -1;
}

static int same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int same_list(const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int same_pairs(const sp_pair *a, const sp_pair *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i].x != b[i].x || a[i].y != b[i].y)
            return 0;
    return 1;
}

int sp_value_equal(const sp_value *a, const sp_value *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case SP_T_NONE:
        return 1;
    case SP_T_NUM:
    case SP_T_INT:
    case SP_T_MONTH:
    case SP_T_BOOL:
    case SP_T_ENUM:
        return a->num == b->num;
    case SP_T_DIST:
        return sp_dist_equal(&a->dist, &b->dist);
    case SP_T_NUMLIST:
        return a->n == b->n && same_list(a->list, b->list, a->n);
    case SP_T_PAIRS:
    case SP_T_HIRES:
        return a->n == b->n && same_pairs(a->pairs, b->pairs, a->n);
    case SP_T_RAMP:
        if (a->flag != b->flag || a->n != b->n)
            return 0;
        return a->flag || same_list(a->list, b->list, a->n);
    case SP_T_POOL:
        return a->num == b->num && same_str(a->str, b->str);
    case SP_T_AWARD:
    case SP_T_GUARANTEE:
        return a->n == b->n && a->num == b->num;
    case SP_T_DRAW:
        return a->n == b->n && a->num == b->num && a->flag == b->flag;
    case SP_T_REVENUE:
        return a->flag == b->flag &&
               (!a->flag || (a->n == b->n && a->num == b->num));
    case SP_T_ROLE:
    case SP_T_STRING:
        return same_str(a->str, b->str);
    }
    return 0;
}
