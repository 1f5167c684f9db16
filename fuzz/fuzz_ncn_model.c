/* fuzz_ncn_model.c — grl_ncn_load. A loaded model is checked (feature and
 * hidden widths in range) and, when small enough to run in a fuzzing
 * budget, scores pairs of the harness's graph (G(34, 78), seed 1) with
 * features of its width: the scores must be finite, and features of another
 * width must be refused.
 *
 * GRL_FUZZ_WRITE_SEED=FILE makes the harness train a small NCNC model on
 * that graph and write it to FILE (the seed corpus) before fuzzing. */
#include "fuzz.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_seed(grl_graph *G, const char *path)
{
    char msg[GRL_MSG_LEN];
    grl_edge_split *S = NULL;
    grl_edge_split_options so;
    grl_edge_split_options_init(&so);
    so.valid_fraction = 0.1;
    FUZZ_CHECK(grl_edge_split_new(&S, G, &so, msg) == 0);
    int64_t nu[8], nv[8];
    FUZZ_CHECK(grl_linkpred_negatives(G, 8, 1, nu, nv, msg) == 0);
    grl_dense *X = fuzz_features(grl_graph_num_nodes(G), 5);
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.hidden = 4;
    o.epochs = 1;
    o.completion = true;
    grl_ncn *M = NULL;
    FUZZ_CHECK(grl_ncn_train(&M, NULL, S, X, nu, nv, 8, &o, msg) == 0);
    FUZZ_CHECK(grl_ncn_save(M, path, msg) == 0);
    grl_ncn_free(&M);
    grl_dense_free(&X);
    grl_edge_split_free(&S);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static grl_graph *G = NULL;
    char msg[GRL_MSG_LEN] = "";
    fuzz_init();
    if (G == NULL) {
        FUZZ_CHECK(grl_graph_generate_erdos_renyi(&G, 34, 78, false, 1, msg) == 0);
        const char *seed = getenv("GRL_FUZZ_WRITE_SEED");
        if (seed != NULL) write_seed(G, seed);
    }
    const char *path = fuzz_write_file(0, data, size);
    grl_ncn *M = NULL;
    if (grl_ncn_load(&M, path, msg) < 0) {
        FUZZ_CHECK(M == NULL && msg[0] != '\0');
        return 0;
    }
    const int64_t f = grl_ncn_features(M), d = grl_ncn_hidden(M);
    FUZZ_CHECK(f >= 1 && d >= 1 && d <= 4096);
    if (f * d <= 4096) {
        grl_dense *X = fuzz_features(34, f), *W = fuzz_features(34, f + 1);
        int64_t u[3] = {0, 5, 33}, v[3] = {1, 5, 2};
        double s[3];
        /* scored, or refused with a reason (parameters that overflow) */
        int rc = grl_ncn_score(M, G, X, u, v, 3, s, msg);
        FUZZ_CHECK(rc == 0 || (rc == GRL_INVALID_ARGUMENT && msg[0] != '\0'));
        for (int k = 0; rc == 0 && k < 3; k++) FUZZ_CHECK(isfinite(s[k]));
        FUZZ_CHECK(grl_ncn_score(M, G, W, u, v, 3, s, msg) == GRL_INVALID_ARGUMENT);
        grl_dense_free(&X);
        grl_dense_free(&W);
    }
    grl_ncn_free(&M);
    FUZZ_CHECK(M == NULL);
    return 0;
}
