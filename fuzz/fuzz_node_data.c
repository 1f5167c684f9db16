/* fuzz_node_data.c — gnn/'s node data readers on a graph of nodes 0..63:
 * the first byte picks the reader (0 labels, 1 splits, 2 dense features,
 * 3 sparse features, 4 features by content), the rest is the file. */
#include "fuzz.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NODES = 64 };

static grl_graph *graph(void)
{
    static grl_graph *G = NULL;
    char msg[GRL_MSG_LEN];
    if (G == NULL)
        FUZZ_CHECK(grl_graph_from_edges(&G, NODES, NULL, NULL, NULL, 0, true, NULL,
                                        msg) == 0);
    return G;
}

static void check_labels(const grl_node_labels *L)
{
    FUZZ_CHECK(L->nodes == NODES && L->nclasses >= 1 && L->nclasses <= NODES);
    int64_t used[NODES] = {0};
    for (int64_t i = 0; i < NODES; i++) {
        FUZZ_CHECK(L->y[i] >= -1 && L->y[i] < L->nclasses);
        if (L->y[i] >= 0) used[L->y[i]]++;
    }
    for (int64_t c = 0; c < L->nclasses; c++) FUZZ_CHECK(used[c] > 0);
}

static void check_splits(const grl_node_splits *S)
{
    FUZZ_CHECK(S->nodes == NODES && S->nsplits >= 1);
    for (int64_t s = 0; s < S->nsplits; s++) {
        int64_t train = 0;
        for (int64_t i = 0; i < NODES; i++) {
            FUZZ_CHECK(S->role[s * NODES + i] <= GRL_SPLIT_TEST);
            train += S->role[s * NODES + i] == GRL_SPLIT_TRAIN;
        }
        FUZZ_CHECK(train > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (size == 0) return 0;
    const int which = data[0] % 5;
    const char *path = fuzz_write_file(0, data + 1, size - 1);
    char msg[GRL_MSG_LEN] = "";
    int rc;
    if (which == 0) {
        grl_node_labels *L = NULL;
        rc = grl_node_labels_load(&L, graph(), path, msg);
        FUZZ_CHECK(rc < 0 ? L == NULL && msg[0] != '\0' : L != NULL);
        if (L) check_labels(L);
        grl_node_labels_free(&L);
    } else if (which == 1) {
        grl_node_splits *S = NULL;
        rc = grl_node_splits_load(&S, graph(), path, msg);
        FUZZ_CHECK(rc < 0 ? S == NULL && msg[0] != '\0' : S != NULL);
        if (S) check_splits(S);
        grl_node_splits_free(&S);
    } else {
        static const grl_features_format formats[] = {
            GRL_FEATURES_DENSE, GRL_FEATURES_SPARSE, GRL_FEATURES_AUTO};
        grl_dense *X = NULL;
        rc = grl_node_features_load(&X, graph(), path, formats[which - 2], msg);
        FUZZ_CHECK(rc < 0 ? X == NULL && msg[0] != '\0' : X != NULL);
        if (X) {
            FUZZ_CHECK(X->rows == NODES && X->cols >= 1);
            for (int64_t i = 0; i < X->rows * X->cols; i++)
                FUZZ_CHECK(isfinite(X->data[i]));
        }
        grl_dense_free(&X);
    }
    return 0;
}
