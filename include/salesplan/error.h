/* Errors travel up as values; only the outermost layer prints them. */
#ifndef SALESPLAN_ERROR_H
#define SALESPLAN_ERROR_H

#include <stdarg.h>

/* Status codes, one line each. */
typedef enum {
    SP_OK = 0,        /* success */
    SP_ERR_PARSE,     /* a statement or value could not be read */
    SP_ERR_UNKNOWN,   /* an unknown name: parameter, role, command, scenario */
    SP_ERR_RANGE,     /* a value outside the parameter's allowed range */
    SP_ERR_INVALID,   /* a scenario that does not validate as a whole */
    SP_ERR_IO,        /* a file could not be read or written */
    SP_ERR_NOMEM,     /* memory ran out */
    SP_ERR_RUN,       /* a simulation failed or was interrupted */
    SP_ERR_USAGE      /* bad command usage */
} sp_status;

const char *sp_strerror(sp_status s);

/* Where a piece of text came from: file name (or "<stdin>", "<shell>",
 * "<-c>"), 1-based line; column is per token. */
typedef struct {
    const char *file;
    int line;
} sp_loc;

/* An error with its message, already formatted as
 * "FILE:LINE:COL: what was expected, what was found" where a place is known. */
typedef struct {
    sp_status status;
    char msg[1024];
} sp_error;

/* Set err (if not NULL) to status and a message.  loc may be NULL (no place);
 * col <= 0 means the line only.  Returns status. */
sp_status sp_error_set(sp_error *err, sp_status status, const sp_loc *loc,
                       int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
