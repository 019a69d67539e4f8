/* Choosing a writer by the file's extension. */
#include "salesplan/export.h"

#include <string.h>

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    if (n <= e)
        return 0;
    for (size_t i = 0; i < e; i++) {
        char c = path[n - e + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return 0;
    }
    return 1;
}

sp_status sp_export_file(const char *path, const sp_scenario *const *scs,
                         const sp_results *const *rs,
                         const char *const *changed, int n,
                         const sp_findings *f, sp_error *err)
{
    if (sp_xlsx_path(path))
        return sp_export_xlsx(path, scs, rs, changed, n, f, err);
    if (has_ext(path, ".json"))
        return sp_export_json(path, rs, changed, n, f, err);
    if (has_ext(path, ".csv"))
        return sp_export_csv(path, rs, changed, n, f, err);
    return sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                        "cannot export '%s': unknown file type (use .json, "
                        ".csv or .xlsx)", path);
}

int sp_export_known(const char *path, sp_error *err)
{
    if (sp_xlsx_path(path) || has_ext(path, ".json") || has_ext(path, ".csv"))
        return 1;
    sp_error_set(err, SP_ERR_USAGE, NULL, 0,
                 "cannot export '%s': unknown file type (use .json, .csv or "
                 ".xlsx)", path);
    return 0;
}

int sp_export_has_findings(const char *path, const sp_findings *f)
{
    return (has_ext(path, ".json") || has_ext(path, ".csv") ||
            sp_xlsx_path(path)) && f &&
           (f->nsweeps || f->ntornados || f->nseeks);
}
