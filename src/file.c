/* Reading whole files and streams, and atomic file replacement.
 *
 * Every file is written to a temporary name in the target's directory and
 * renamed over the target only once it is complete and on disk: rename is
 * atomic within a file system, so readers see the old file or the new one,
 * never a mixture, and a failed export leaves the old file as it was. */
#include "salesplan/file.h"
#include "salesplan/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *sp_read_stream(FILE *f, int *status)
{
    size_t n;
    return sp_read_stream_len(f, status, &n);
}

char *sp_read_stream_len(FILE *f, int *status, size_t *len)
{
    size_t cap = 8192, n = 0;
    char *b = malloc(cap);
    *status = 0;
    while (b) {
        size_t k = fread(b + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    if (!b) {
        *status = -1;
        return NULL;
    }
    if (ferror(f)) {
        free(b);
        *status = -2;
        return NULL;
    }
    b[n] = 0;
    *len = n;
    return b;
}

/* Line and column (1-based, in bytes) of offset off of text. */
static void place_of(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *col = (int)(off - start) + 1;
}

/* UTF-16 puts a NUL beside every ASCII character, and usually starts with
 * a byte-order mark. */
static int looks_utf16(const unsigned char *u, size_t n)
{
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return 1;
    return n >= 2 && (u[0] == 0 || u[1] == 0);
}

sp_status sp_text_check(const char *text, size_t n, const char *name,
                        sp_error *err)
{
    const unsigned char *u = (const unsigned char *)text;
    int line, col;
    if (looks_utf16(u, n))
        return sp_error_set(err, SP_ERR_PARSE, NULL, 0,
                            "%s:1:1: the file looks like UTF-16 text: save it "
                            "as UTF-8", name);
    const char *nul = memchr(text, 0, n);
    if (nul) {
        place_of(text, (size_t)(nul - text), &line, &col);
        sp_loc l = {name, line};
        return sp_error_set(err, SP_ERR_PARSE, &l, col,
                            "a NUL byte: this is not a text file (a file "
                            "saved as UTF-16 must be saved as UTF-8)");
    }
    long bad = sp_utf8_invalid(text, n);
    if (bad >= 0) {
        place_of(text, (size_t)bad, &line, &col);
        sp_loc l = {name, line};
        return sp_error_set(err, SP_ERR_PARSE, &l, col,
                            "byte 0x%02X is not UTF-8: save the file as UTF-8",
                            u[bad]);
    }
    return SP_OK;
}

/* ---- atomic files ----------------------------------------------------- */

static sp_status io_error(sp_error *err, const char *path, int e)
{
    return sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot write '%s': %s",
                        path, strerror(e));
}

/* The file a write to path replaces: a symbolic link is followed, so the
 * rename replaces what it points to and the link stays a link. */
static const char *write_target(const char *path, char *buf)
{
    struct stat ls;
    if (lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode) && realpath(path, buf))
        return buf;
    return path;
}

FILE *sp_atomic_open(const char *user_path, char *tmp_path, sp_error *err)
{
    struct stat st;
    int exists;
    char real[PATH_MAX];

    tmp_path[0] = '\0';
    if (!user_path || !*user_path) {
        io_error(err, user_path ? user_path : "", ENOENT);
        return NULL;
    }
    const char *path = write_target(user_path, real);
    exists = stat(path, &st) == 0;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if ((exists && S_ISDIR(st.st_mode)) || !*name) {
        io_error(err, user_path, EISDIR);
        return NULL;
    }
    /* Renaming over a device, a pipe or a socket would replace it with a
     * plain file (/dev/null, /dev/full): refuse instead. */
    if (exists && !S_ISREG(st.st_mode)) {
        sp_error_set(err, SP_ERR_IO, NULL, 0,
                     "cannot write '%s': not a regular file (use '-' for "
                     "standard output where a command accepts it)", user_path);
        return NULL;
    }
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    int len = snprintf(tmp_path, PATH_MAX, "%.*s.%s.XXXXXX", dirlen, path,
                       name);
    if (len < 0 || len >= PATH_MAX) {
        tmp_path[0] = '\0';
        io_error(err, path, ENAMETOOLONG);
        return NULL;
    }
    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        int e = errno;
        tmp_path[0] = '\0';
        io_error(err, path, e);
        return NULL;
    }
    /* mkstemp creates the file private (0600); the result should get the
     * permissions the file had, or those a plain fopen would give it. */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    (void)fchmod(fd, mode);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp_path);
        tmp_path[0] = '\0';
        io_error(err, path, e);
        return NULL;
    }
    return f;
}

/* The rename itself lives in the directory: sync it too so the new name
 * survives a crash.  Best effort: some file systems refuse. */
static void sync_dir(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

sp_status sp_atomic_commit(FILE *f, const char *tmp, const char *path,
                           sp_error *err)
{
    int e = 0;

    errno = 0;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0 && errno != EINVAL && errno != ENOTSUP)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    char real[PATH_MAX];
    const char *target = write_target(path, real);
    if (!e && rename(tmp, target) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return io_error(err, path, e);
    }
    sync_dir(target);
    return SP_OK;
}

void sp_atomic_abort(FILE *f, const char *tmp)
{
    if (f)
        fclose(f);
    if (tmp && *tmp)
        unlink(tmp);
}

