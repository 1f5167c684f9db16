/* fuzz_util.c — temporary files, one-time setup, sanitizer defaults and
 * features for running loaded models. */
#include "fuzz.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* Allocations above 256 MiB return NULL (a clean GRL_OUT_OF_MEMORY) instead
 * of aborting: a 40-byte file may legitimately declare 10^9 nodes, and what
 * the fuzzer must find is a crash, not a large honest request. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=256";
}

static char paths[2][64];

static void remove_files(void)
{
    for (int s = 0; s < 2; s++)
        if (paths[s][0]) unlink(paths[s]);
}

static void make_file(int slot)
{
    /* memory-backed if possible: a disk write per input costs ~100x */
    const char *dir = getenv("TMPDIR");
    if (access("/dev/shm", W_OK) == 0) dir = "/dev/shm";
    else if (dir == NULL || strlen(dir) >= 40) dir = "/tmp";
    snprintf(paths[slot], sizeof paths[slot], "%s/grl-fuzz-XXXXXX", dir);
    int fd = mkstemp(paths[slot]);
    FUZZ_CHECK(fd >= 0);
    close(fd);
}

void fuzz_init(void)
{
    static int done = 0;
    if (done) return;
    char msg[GRL_MSG_LEN];
    FUZZ_CHECK(grl_init(msg) == 0);
    FUZZ_CHECK(grl_threads_set(1, msg) == 0);
    make_file(0);
    make_file(1);
    atexit(remove_files);
    done = 1;
}

const char *fuzz_write_file(int slot, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(slot == 0 || slot == 1);
    FILE *f = fopen(paths[slot], "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(size == 0 || fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
    return paths[slot];
}

grl_dense *fuzz_features(int64_t n, int64_t f)
{
    grl_dense *X = NULL;
    char msg[GRL_MSG_LEN];
    FUZZ_CHECK(grl_dense_new(&X, n, f, msg) == 0);
    for (int64_t e = 0; e < n * f; e++) X->data[e] = (float)((e * 7) % 5) - 2.0f;
    return X;
}

void fuzz_check_same_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *in = fopen(path, "rb");
    FUZZ_CHECK(in != NULL);
    uint8_t *back = malloc(size + 1);
    FUZZ_CHECK(back != NULL);
    FUZZ_CHECK(fread(back, 1, size + 1, in) == size && memcmp(back, data, size) == 0);
    fclose(in);
    free(back);
}

void fuzz_check_probability_rows(const float *proba, int64_t rows, int64_t classes)
{
    for (int64_t i = 0; i < rows; i++) {
        double sum = 0;
        for (int64_t k = 0; k < classes; k++) {
            const float p = proba[i * classes + k];
            FUZZ_CHECK(isfinite(p) && p >= 0 && p <= 1);
            sum += p;
        }
        FUZZ_CHECK(fabs(sum - 1) < 1e-3);
    }
}
