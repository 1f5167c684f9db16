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
    GRL_REQUIRE(path != NULL && path[0] != '\0', "the file name is empty");
    if (stat(path, &st) != 0)
        GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        GRL_FAIL(GRL_IO_ERROR, "%s: is a directory, not a file", path);
    *f = fopen(path, "rb");
    if (*f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    *size = (size_t)st.st_size;
    return 0;
#undef FREE_ALL
}

int grl_read_rest(FILE *f, size_t size, const char *path, char **data,
                  size_t *len, char *msg)
{
    char *buf = NULL;
#define FREE_ALL free(buf)
    *data = NULL;
    *len = 0;
    size_t cap = grl_size_add(size, 1);
    GRL_ALLOC(buf, char, cap);
    size_t got = fread(buf, 1, size, f);
    int c;
    /* a pipe (size 0) or a file that grew: read on to the end */
    while (!ferror(f) && (c = getc(f)) != EOF) {
        if (got + 1 >= cap) {
            cap = grl_size_mul(cap, 2);
            char *bigger = cap == SIZE_MAX ? NULL : grl_realloc(buf, cap);
            if (bigger == NULL)
                GRL_FAIL(GRL_OUT_OF_MEMORY, "%s: out of memory reading %zu bytes",
                         path, got);
            buf = bigger;
        }
        buf[got++] = (char)c;
        got += fread(buf + got, 1, cap - 1 - got, f);
    }
    if (ferror(f)) GRL_FAIL(GRL_IO_ERROR, "%s: read error after %zu bytes", path, got);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
#undef FREE_ALL
}

int grl_read_file(const char *path, char **data, size_t *len, char *msg)
{
    FILE *f = NULL;
#define FREE_ALL if (f) fclose(f)
    *data = NULL;
    *len = 0;
    size_t size;
    GRL_TRY(grl_open_file(path, &f, &size, msg));
    GRL_TRY(grl_read_rest(f, size, path, data, len, msg));
    fclose(f);
    return 0;
#undef FREE_ALL
}
