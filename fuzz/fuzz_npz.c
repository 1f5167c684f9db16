/* fuzz_npz.c — node features from a .npz (zip of .npy members, gnn/npz.c) on
 * a graph of nodes 0..63: a load either fails with a message or gives 64
 * finite rows. */
#include "fuzz.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NODES = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    static grl_graph *G = NULL;
    char msg[GRL_MSG_LEN] = "";
    if (G == NULL)
        FUZZ_CHECK(grl_graph_from_edges(&G, NODES, NULL, NULL, NULL, 0, true, NULL,
                                        msg) == 0);
    const char *path = fuzz_write_file(0, data, size);
    grl_dense *X = NULL;
    int rc = grl_node_features_load(&X, G, path, GRL_FEATURES_NPZ, msg);
    FUZZ_CHECK(rc < 0 ? X == NULL && msg[0] != '\0' : X != NULL);
    if (X) {
        FUZZ_CHECK(X->rows == NODES && X->cols >= 1);
        for (int64_t i = 0; i < X->rows * X->cols; i++) FUZZ_CHECK(isfinite(X->data[i]));
    }
    grl_dense_free(&X);
    return 0;
}
