/* read_file.c — whole-file reads with messages a user can act on. */
#include "grl_internal.h"

#include <sys/types.h>

#include <errno.h>
#include <sys/stat.h>

int grl_open_file(const char *path, FILE **f, size_t *size, char *msg)
{
#define FREE_ALL ;
    *f = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        GRL_FAIL(GRL_IO_ERROR, "%s: is a directory, not a graph file", path);
    *f = fopen(path, "rb");
    if (*f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    *size = (size_t)st.st_size;
    return 0;
#undef FREE_ALL
}

int grl_read_file(const char *path, char **data, size_t *len, char *msg)
{
    FILE *f = NULL;
    char *buf = NULL;
#define FREE_ALL if (f) fclose(f); free(buf)
    *data = NULL;
    *len = 0;
    size_t size;
    GRL_TRY(grl_open_file(path, &f, &size, msg));
    GRL_ALLOC(buf, char, grl_size_add(size, 1));
    size_t got = fread(buf, 1, size, f);
    if (got != size || ferror(f))
        GRL_FAIL(GRL_IO_ERROR, "%s: read %zu of %zu bytes", path, got, size);
    buf[size] = '\0';
    fclose(f);
    *data = buf;
    *len = size;
    return 0;
#undef FREE_ALL
}
