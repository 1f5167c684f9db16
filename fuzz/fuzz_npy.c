/* fuzz_npy.c — grl_dense_load_npy; a loaded matrix is read whole, saved and
 * loaded again, and must come back bit for bit. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink; /* keeps the reads below */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const char *path = fuzz_write_file(0, data, size);
    grl_dense *D = NULL, *E = NULL;
    char msg[GRL_MSG_LEN] = "";
    if (grl_dense_load_npy(&D, path, msg) < 0) {
        FUZZ_CHECK(D == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(D != NULL && D->rows >= 0 && D->cols >= 0);
    size_t count = (size_t)D->rows * (size_t)D->cols;
    FUZZ_CHECK(D->cols == 0 || count / (size_t)D->cols == (size_t)D->rows);
    /* the values were in the file: at least 4 bytes each */
    FUZZ_CHECK(count <= size / 4);
    FUZZ_CHECK(count == 0 || D->data != NULL);
    /* touch every value (ASan sees a short buffer) */
    for (size_t i = 0; i < count; i++) {
        unsigned u;
        memcpy(&u, &D->data[i], sizeof u);
        sink ^= u;
    }
    const char *copy = fuzz_write_file(1, NULL, 0);
    FUZZ_CHECK(grl_dense_save_npy(D, copy, msg) == 0);
    FUZZ_CHECK(grl_dense_load_npy(&E, copy, msg) == 0);
    FUZZ_CHECK(E->rows == D->rows && E->cols == D->cols);
    FUZZ_CHECK(count == 0 ||
               memcmp(E->data, D->data, count * sizeof(float)) == 0);
    grl_dense_free(&D);
    grl_dense_free(&E);
    FUZZ_CHECK(D == NULL && E == NULL);
    return 0;
}
