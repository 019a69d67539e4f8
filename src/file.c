/* Reading whole files and streams, and atomic file replacement.
 *
 * Every file is written to a temporary name in the target's directory and
 * renamed over the target only once it is complete and on disk: rename is
 * atomic within a file system, so readers see the old file or the new one,
 * never a mixture, and a failed export leaves the old file as it was. */
/* O_TMPFILE */
#define _GNU_SOURCE
#include "salesplan/file.h"
#include "salesplan/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
    if (e == EINTR)
        return sp_error_set(err, SP_ERR_RUN, NULL, 0, "interrupted: '%s' "
                            "was not written (the old file is kept)", path);
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

/* The temporary file of the write under way, for sp_atomic_on_signal:
 * a name to unlink, set only while such a name exists on disk. */
static char pending[PATH_MAX];
static volatile sig_atomic_t pending_set;

static void pend(const char *name)
{
    pending_set = 0;
    if (name && *name && strlen(name) < sizeof pending) {
        memcpy(pending, name, strlen(name) + 1);
        pending_set = 1;
    }
}

static volatile sig_atomic_t *stop_flag;

void sp_atomic_set_stop(volatile sig_atomic_t *stop)
{
    stop_flag = stop;
}

void sp_atomic_on_signal(void)
{
    if (pending_set)
        (void)unlink(pending);
}

/* "DIR/" of path (may be empty) into dir, PATH_MAX bytes. */
static int dir_of(const char *path, const char *slash, char *dir)
{
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    return snprintf(dir, PATH_MAX, "%.*s", dirlen, path);
}

/* An unnamed file in the directory (O_TMPFILE): a run killed while
 * writing leaves nothing behind, not even an empty file.  It is written
 * under /proc/self/fd/N (libxlsxwriter opens files by name) and given a
 * name only at the commit.  -1 where the kernel or the file system
 * cannot (then a named temporary file does). */
static int open_unnamed(const char *path, const char *slash, mode_t mode,
                        char *tmp_path)
{
#if defined(O_TMPFILE)
    char dir[PATH_MAX];
    dir_of(path, slash, dir);
    int fd = open(dir[0] ? dir : ".", O_TMPFILE | O_WRONLY, mode);
    if (fd < 0)
        return -1;
    snprintf(tmp_path, PATH_MAX, "/proc/self/fd/%d", fd);
    if (access(tmp_path, W_OK) != 0) {
        close(fd);
        tmp_path[0] = '\0';
        return -1;
    }
    return fd;
#else
    (void)path, (void)slash, (void)mode, (void)tmp_path;
    return -1;
#endif
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
    /* The result gets the permissions the file had, or those a plain
     * fopen would give it. */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    int fd = open_unnamed(path, slash, mode, tmp_path);
    if (fd < 0) {
        int dirlen = slash ? (int)(slash - path + 1) : 0;
        int len = snprintf(tmp_path, PATH_MAX, "%.*s.%s.XXXXXX", dirlen, path,
                           name);
        if (len < 0 || len >= PATH_MAX) {
            tmp_path[0] = '\0';
            io_error(err, path, ENAMETOOLONG);
            return NULL;
        }
        fd = mkstemp(tmp_path);
        if (fd < 0) {
            int e = errno;
            tmp_path[0] = '\0';
            io_error(err, path, e);
            return NULL;
        }
        pend(tmp_path);
        /* mkstemp creates the file private (0600) */
        (void)fchmod(fd, mode);
    } else {
        (void)fchmod(fd, mode);
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        sp_atomic_abort(NULL, tmp_path);
        tmp_path[0] = '\0';
        io_error(err, path, e);
        return NULL;
    }
    return f;
}

static int is_unnamed(const char *tmp)
{
    return strncmp(tmp, "/proc/self/fd/", 14) == 0;
}

/* Gives the unnamed file tmp a name beside target (in named, PATH_MAX
 * bytes) so that rename can put it in place.  0, or an errno. */
static int name_unnamed(const char *tmp, const char *target, char *named)
{
    const char *slash = strrchr(target, '/');
    const char *name = slash ? slash + 1 : target;
    int dirlen = slash ? (int)(slash - target + 1) : 0;
    for (int k = 0; k < 100; k++) {
        int len = snprintf(named, PATH_MAX, "%.*s.%s.%ld.%d", dirlen, target,
                           name, (long)getpid(), k);
        if (len < 0 || len >= PATH_MAX)
            return ENAMETOOLONG;
        if (linkat(AT_FDCWD, tmp, AT_FDCWD, named, AT_SYMLINK_FOLLOW) == 0) {
            pend(named);
            return 0;
        }
        if (errno != EEXIST)
            return errno;
    }
    return EEXIST;
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
    char real[PATH_MAX], named[PATH_MAX];
    const char *target = write_target(path, real);
    const char *from = tmp;

    errno = 0;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0 && errno != EINVAL && errno != ENOTSUP)
        e = errno;
    /* Ctrl-C during a write: the write is abandoned whole, the old file
     * stays, and the caller's script stops */
    if (!e && stop_flag && *stop_flag)
        e = EINTR;
    /* an unnamed file is linked through its descriptor: before the close */
    if (!e && is_unnamed(tmp)) {
        e = name_unnamed(tmp, target, named);
        from = named;
    }
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e && rename(from, target) != 0)
        e = errno;
    if (e) {
        if (!is_unnamed(from))
            unlink(from);
        pend(NULL);
        return io_error(err, path, e);
    }
    pend(NULL);
    sync_dir(target);
    return SP_OK;
}

void sp_atomic_abort(FILE *f, const char *tmp)
{
    if (f)
        fclose(f);
    if (tmp && *tmp && !is_unnamed(tmp))
        unlink(tmp);
    pend(NULL);
}


char *sp_path_expand(const char *path)
{
    const char *home = getenv("HOME");
    if (path[0] != '~' || (path[1] && path[1] != '/') || !home || !home[0])
        return strdup(path);
    size_t hl = strlen(home), pl = strlen(path + 1);
    char *r = malloc(hl + pl + 1);
    if (r) {
        memcpy(r, home, hl);
        memcpy(r + hl, path + 1, pl + 1);
    }
    return r;
}

/* ---- reading plans and naming them ----------------------------------- */

char *sp_read_text_file(const char *path, sp_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot read '%s': it is a directory", path);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    int rs;
    size_t n = 0;
    char *b = sp_read_stream_len(f, &rs, &n);
    fclose(f);
    if (rs == -1)
        sp_error_set(err, SP_ERR_NOMEM, NULL, 0, "out of memory reading '%s'", path);
    else if (rs == -2)
        sp_error_set(err, SP_ERR_IO, NULL, 0, "cannot read '%s'", path);
    if (b && sp_text_check(b, n, path, err) != SP_OK) {
        free(b);
        b = NULL;
    }
    return b;
}

char *sp_path_resolve(const char *path, const char *from)
{
    if (path[0] == '~')
        return sp_path_expand(path);
    if (path[0] == '/' || !from || from[0] == '<')
        return strdup(path);
    const char *slash = strrchr(from, '/');
    if (!slash)
        return strdup(path);
    size_t dl = (size_t)(slash - from) + 1;
    char *r = malloc(dl + strlen(path) + 1);
    if (r) {
        memcpy(r, from, dl);
        strcpy(r + dl, path);
    }
    return r;
}

char *sp_path_stem(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *r = strdup(b);
    if (r) {
        char *dot = strrchr(r, '.');
        if (dot && dot != r)
            *dot = 0;
        /* a name a saved script can read back: other bytes become _ */
        for (char *p = r; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '-'))
                *p = '_';
        if (r[0] == '.' || r[0] == '-')
            r[0] = '_';
        if (strlen(r) > 63)
            r[63] = 0;
    }
    return r;
}
