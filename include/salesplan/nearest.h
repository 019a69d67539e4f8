/* "Did you mean": the known name closest to a misspelt one, by edit
 * distance. */
#ifndef SALESPLAN_NEAREST_H
#define SALESPLAN_NEAREST_H

/* Levenshtein distance, for "did you mean" suggestions. */
int sp_edit_distance(const char *a, const char *b);

/* The candidate closest to name within max_distance edits, for "did you
 * mean": init, try each candidate (the first of equals wins), read best
 * (NULL when none is close enough). */
typedef struct {
    const char *name;
    const char *best;
    int bestd;
} sp_nearest;
void sp_nearest_init(sp_nearest *n, const char *name, int max_distance);
void sp_nearest_try(sp_nearest *n, const char *candidate);

#endif
