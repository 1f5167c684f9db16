/* fuzz_fpgnn_model.c — grl_fpgnn_load. A loaded model must save back to
 * the same bytes (every header field and parameter is kept) and, when small
 * enough to run in a fuzzing budget, predict on the harness's graph
 * (G(34, 78), seed 1) with features of its width: every row a probability
 * distribution (also when a solve stops at the cap, GRL_NOT_CONVERGED), or
 * a refusal with a reason (parameters that overflow float32, IGNN weights
 * that do not contract on this graph), and features of another width
 * refused.
 *
 * GRL_FUZZ_WRITE_SEED=PREFIX makes the harness train a small APPNP, IGNN
 * and CGS model on that graph and write them to PREFIX-appnp, PREFIX-ignn,
 * PREFIX-cgs (the seed corpus) before fuzzing. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NODES 34

/* The header fields the checks depend on (fpgnn_file.c's layout: the
 * kind as uint32 at offset 12, then after the 24-byte container head int64
 * f, arc_dim, hidden, nclasses, heads, max_iter). */
enum { AT_KIND = 12, AT_F = 24, AT_ARC_DIM = 32, AT_MAX_ITER = 64 };

static int64_t header_int(const uint8_t *data, size_t at, size_t bytes)
{
    int64_t v = 0; /* little-endian, as grl writes */
    memcpy(&v, data + at, bytes);
    return v;
}

static void write_seeds(grl_graph *G, const char *prefix)
{
    char msg[GRL_MSG_LEN], path[4096];
    int64_t y[NODES];
    uint8_t role[NODES];
    for (int i = 0; i < NODES; i++) {
        y[i] = i % 2;
        role[i] = i < 12 ? GRL_SPLIT_TRAIN : i < 20 ? GRL_SPLIT_VAL : GRL_SPLIT_TEST;
    }
    grl_node_labels L = {NODES, 2, y};
    grl_node_splits S = {NODES, 1, role};
    grl_dense *X = fuzz_features(NODES, 3);
    for (int k = GRL_FPGNN_APPNP; k <= GRL_FPGNN_CGS; k++) {
        grl_fpgnn_options o;
        grl_fpgnn_options_init(&o);
        o.kind = (grl_fpgnn_kind)k;
        o.hidden = 4;
        o.heads = 2;
        o.train.epochs = 2;
        grl_fpgnn *M = NULL;
        FUZZ_CHECK(grl_fpgnn_train(&M, NULL, G, X, &L, &S, 0, &o, msg) >= 0);
        snprintf(path, sizeof path, "%s-%s", prefix, grl_fpgnn_kind_name(o.kind));
        FUZZ_CHECK(grl_fpgnn_save(M, path, msg) == 0);
        grl_fpgnn_free(&M);
    }
    grl_dense_free(&X);
}

/* Predict on G with features of the model's width f (and of width f + 1,
 * which must be refused). */
static void check_predict(grl_fpgnn *M, grl_graph *G, int64_t f)
{
    char msg[GRL_MSG_LEN];
    const int64_t c = grl_fpgnn_nclasses(M);
    float *proba = malloc(sizeof(float) * NODES * c);
    FUZZ_CHECK(proba != NULL);
    grl_dense *X = fuzz_features(NODES, f), *W = fuzz_features(NODES, f + 1);
    /* refused (with a reason): parameters that overflow float32, IGNN
     * weights that do not contract on this graph */
    int rc = grl_fpgnn_predict(M, G, X, proba, msg);
    FUZZ_CHECK(rc == 0 || rc == GRL_NOT_CONVERGED ||
               (rc == GRL_INVALID_ARGUMENT && msg[0] != '\0'));
    if (rc >= 0) fuzz_check_probability_rows(proba, NODES, c);
    FUZZ_CHECK(grl_fpgnn_predict(M, G, W, proba, msg) == GRL_INVALID_ARGUMENT);
    grl_dense_free(&X);
    grl_dense_free(&W);
    free(proba);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static grl_graph *G = NULL;
    char msg[GRL_MSG_LEN] = "";
    fuzz_init();
    if (G == NULL) {
        FUZZ_CHECK(grl_graph_generate_erdos_renyi(&G, NODES, 78, false, 1, msg) == 0);
        const char *seed = getenv("GRL_FUZZ_WRITE_SEED");
        if (seed != NULL) write_seeds(G, seed);
    }
    const char *path = fuzz_write_file(0, data, size);
    grl_fpgnn *M = NULL;
    if (grl_fpgnn_load(&M, path, msg) < 0) {
        FUZZ_CHECK(M == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(grl_fpgnn_nclasses(M) >= 2);
    /* saved again, the model is the same file */
    const char *copy = fuzz_write_file(1, NULL, 0);
    FUZZ_CHECK(grl_fpgnn_save(M, copy, msg) == 0);
    fuzz_check_same_file(copy, data, size);
    /* the parameters bound every width; the cap bounds the iterations */
    const int64_t f = header_int(data, AT_F, 8);
    if (size <= (1 << 16) && header_int(data, AT_MAX_ITER, 8) <= 1000) {
        /* CGS reads one arc input on a graph (its edge weight) */
        if (header_int(data, AT_KIND, 4) != GRL_FPGNN_CGS ||
            header_int(data, AT_ARC_DIM, 8) == 1) {
            check_predict(M, G, f);
        } else {
            float *proba = malloc(sizeof(float) * NODES * grl_fpgnn_nclasses(M));
            grl_dense *X = fuzz_features(NODES, f);
            FUZZ_CHECK(proba != NULL);
            FUZZ_CHECK(grl_fpgnn_predict(M, G, X, proba, msg) == GRL_INVALID_ARGUMENT);
            grl_dense_free(&X);
            free(proba);
        }
    }
    grl_fpgnn_free(&M);
    FUZZ_CHECK(M == NULL);
    return 0;
}
