/* fuzz_labels.c — grl_labels_load. The input up to its first NUL byte is
 * the labels file; what follows a NUL, if any, is the ids file, and the
 * row count is its number of lines (else 1024 rows named 0..1023). The
 * input's length modulo 3 picks the missing-node policy. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_labels(const grl_labels *L, int64_t nodes, size_t size,
                         grl_missing_policy missing)
{
    FUZZ_CHECK(L->missing >= 0 && L->nlabels >= 0);
    FUZZ_CHECK(missing != GRL_MISSING_ERROR || L->missing == 0);
    if (missing == GRL_MISSING_ZERO) nodes += L->missing;
    FUZZ_CHECK(L->nodes == nodes);
    FUZZ_CHECK(L->offsets[0] == 0);
    int64_t *uses = calloc((size_t)L->nlabels + 1, sizeof(int64_t));
    FUZZ_CHECK(uses != NULL);
    for (int64_t i = 0; i < nodes; i++) {
        int64_t a = L->offsets[i], b = L->offsets[i + 1];
        FUZZ_CHECK(a <= b);
        for (int64_t k = a; k < b; k++) {
            FUZZ_CHECK(L->label[k] >= 0 && L->label[k] < L->nlabels);
            FUZZ_CHECK(k == a || L->label[k - 1] < L->label[k]);
            uses[L->label[k]]++;
        }
    }
    /* every pair came from a line of at least 4 bytes ("0 a\n") */
    FUZZ_CHECK((size_t)L->offsets[nodes] <= size / 3 + 1);
    FUZZ_CHECK(L->names != NULL || L->nlabels == 0);
    for (int64_t j = 0; j < L->nlabels; j++) {
        FUZZ_CHECK(uses[j] > 0); /* a label exists because a line named it */
        FUZZ_CHECK(L->names[j] != NULL && L->names[j][0] != '\0');
        FUZZ_CHECK(j == 0 || strcmp(L->names[j - 1], L->names[j]) != 0);
    }
    free(uses);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const uint8_t *nul = memchr(data, 0, size);
    size_t labels_size = nul ? (size_t)(nul - data) : size;
    const char *path = fuzz_write_file(0, data, labels_size);
    const char *ids_path = NULL;
    int64_t nodes = 1024;
    if (nul) {
        const uint8_t *ids = nul + 1;
        size_t ids_size = size - labels_size - 1;
        ids_path = fuzz_write_file(1, ids, ids_size);
        nodes = 0;
        for (size_t i = 0; i < ids_size; i++)
            nodes += ids[i] == '\n' || (i + 1 == ids_size);
    }
    grl_labels *L = NULL;
    char msg[GRL_MSG_LEN] = "";
    grl_labels_options opt;
    grl_labels_options_init(&opt);
    opt.ids_path = ids_path;
    opt.missing = (grl_missing_policy)(size % 3);
    if (grl_labels_load(&L, path, nodes, &opt, msg) < 0) {
        FUZZ_CHECK(L == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(L != NULL);
    check_labels(L, nodes, labels_size, opt.missing);
    grl_labels_free(&L);
    FUZZ_CHECK(L == NULL);
    return 0;
}
