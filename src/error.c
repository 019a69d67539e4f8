#include <stdio.h>
#include "salesplan/error.h"
#include "salesplan/utf8.h"

const char *sp_strerror(sp_status s)
{
    switch (s) {
    case SP_OK:          return "success";
    case SP_ERR_PARSE:   return "parse error";
    case SP_ERR_UNKNOWN: return "unknown name";
    case SP_ERR_RANGE:   return "value out of range";
    case SP_ERR_INVALID: return "invalid scenario";
    case SP_ERR_IO:      return "input/output error";
    case SP_ERR_NOMEM:   return "out of memory";
    case SP_ERR_RUN:     return "simulation failed";
    case SP_ERR_USAGE:   return "bad usage";
    }
    return "unknown error";
}

sp_status sp_error_set(sp_error *err, sp_status status, const sp_loc *loc,
                       int col, const char *fmt, ...)
{
    size_t used = 0;
    int k;
    va_list ap;

    if (!err)
        return status;
    err->status = status;
    err->msg[0] = '\0';
    if (loc) {
        const char *file = loc->file ? loc->file : "<input>";
        if (loc->line <= 0)
            k = snprintf(err->msg, sizeof err->msg, "%s: ", file);
        else if (col <= 0)
            k = snprintf(err->msg, sizeof err->msg, "%s:%d: ", file, loc->line);
        else
            k = snprintf(err->msg, sizeof err->msg, "%s:%d:%d: ", file,
                         loc->line, col);
        if (k > 0)
            used = (size_t)k < sizeof err->msg ? (size_t)k : sizeof err->msg - 1;
    }
    va_start(ap, fmt);
    vsnprintf(err->msg + used, sizeof err->msg - used, fmt, ap);
    va_end(ap);
    /* a message quoting long input may be cut: never inside a character */
    sp_utf8_trim(err->msg);
    return status;
}
