/* "Did you mean": the known name closest to a misspelt one. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "salesplan/nearest.h"

int sp_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int *row = malloc((lb + 1) * sizeof *row);

    if (!row)
        return INT_MAX;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    int d = row[lb];
    free(row);
    return d;
}


void sp_nearest_init(sp_nearest *n, const char *name, int max_distance)
{
    n->name = name;
    n->best = NULL;
    n->bestd = max_distance + 1;
}

void sp_nearest_try(sp_nearest *n, const char *candidate)
{
    int d = sp_edit_distance(n->name, candidate);
    if (d < n->bestd) {
        n->bestd = d;
        n->best = candidate;
    }
}
