/* Files: reading a whole file or stream, and the atomic, checked writes
 * every writer (JSON, CSV, the workbook, `save`) goes through, so a failure
 * never leaves a half-written file in place of a good one.
 *
 * Errors name the path and the system's reason, with status SP_ERR_IO. */
#ifndef SALESPLAN_FILE_H
#define SALESPLAN_FILE_H

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include "salesplan/error.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The rest of stream f as one NUL-terminated, malloc'd text.  On failure
 * NULL, with *status -1 (out of memory) or -2 (a read error). */
char *sp_read_stream(FILE *f, int *status);
/* The same, with the text's length in *len (the text may hold NULs). */
char *sp_read_stream_len(FILE *f, int *status, size_t *len);
/* Statements must be UTF-8 text: a NUL byte (which would end the text
 * early), UTF-16 and bytes that are not UTF-8 are errors at NAME:LINE:COL.
 * n is the length of text. */
sp_status sp_text_check(const char *text, size_t n, const char *name,
                        sp_error *err);

/* Opens a new temporary file beside path for writing and stores a name it
 * can be opened by in tmp_path (PATH_MAX bytes): an unnamed file
 * (O_TMPFILE, reached as /proc/self/fd/N) where the system allows, so
 * that a killed run leaves nothing, else "DIR/.NAME.XXXXXX".  NULL with
 * err set when it cannot be created or path names a directory. */
FILE *sp_atomic_open(const char *path, char *tmp_path, sp_error *err);
/* Flushes, syncs and closes f, then renames tmp over path.  On any failure
 * the temporary file is removed and path is left untouched.  f is closed in
 * every case. */
sp_status sp_atomic_commit(FILE *f, const char *tmp, const char *path,
                           sp_error *err);
/* Closes f and removes tmp: the original file stays as it was. */
void sp_atomic_abort(FILE *f, const char *tmp);
/* For a handler of a fatal signal: removes the named temporary file of a
 * write under way, if there is one (async-signal-safe). */
void sp_atomic_on_signal(void);
/* When *stop is set (Ctrl-C) at a commit, the write is abandoned as a
 * failed one is: status SP_ERR_RUN, "interrupted", the old file kept. */
void sp_atomic_set_stop(volatile sig_atomic_t *stop);

/* path with a leading `~/` (or a lone `~`) as the user's home, HOME, as a
 * shell would; other paths as they are.  malloc'd, NULL when out of
 * memory. */
char *sp_path_expand(const char *path);
/* path taken relative to the directory of the file from (from NULL or
 * "<...>": as it is; `~/` expanded).  malloc'd, NULL when out of memory. */
char *sp_path_resolve(const char *path, const char *from);
/* The file name of path without directory or extension, as a scenario
 * name a saved script reads back (other bytes become _, at most 63).
 * malloc'd, NULL when out of memory. */
char *sp_path_stem(const char *path);
/* The whole of a text file checked as statements (sp_text_check); NULL
 * with err set when it is a directory, cannot be read, or is not text. */
char *sp_read_text_file(const char *path, sp_error *err);

#endif
