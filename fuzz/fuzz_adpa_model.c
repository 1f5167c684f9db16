/* fuzz_adpa_model.c — grl_adpa_load. A loaded model must save back to the
 * same bytes (every header field, flag and parameter is kept) and, when
 * small enough for a fuzzing budget, predict on the harness's digraph
 * (G(34, 78) directed, seed 1) with features of its width: built with each
 * pattern set at the file's hops, r and damping, at most one set fits (the
 * branch kinds name it), whose rows are probability distributions or a
 * refusal with a reason (parameters that overflow float32), and every other
 * set is refused.
 *
 * GRL_FUZZ_WRITE_SEED=PREFIX makes the harness train three small models on
 * that graph (dir; all+undirected with the empty-hop mask and the hop
 * damping; all with node pattern attention) and write them to PREFIX-dir,
 * PREFIX-allu and PREFIX-node before fuzzing. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NODES 34

/* adpa_file.c's layout: the flags word at 12, then after the 24-byte
 * container head uint32 nbranches and hops, 8 uint32 kinds, double r at
 * 64, dropout, int64 f at 80. */
enum { AT_FLAGS = 12, AT_HOPS = 28, AT_R = 64, AT_F = 80 };

static const grl_adpa_patterns sets[] = {
    GRL_ADPA_PATTERNS_ALL, GRL_ADPA_PATTERNS_UNDIRECTED, GRL_ADPA_PATTERNS_DIR,
    GRL_ADPA_PATTERNS_FEATURES, GRL_ADPA_PATTERNS_ALL_UNDIRECTED};

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
    static const char *const name[] = {"dir", "allu", "node"};
    static const grl_adpa_patterns set[] = {GRL_ADPA_PATTERNS_DIR,
                                            GRL_ADPA_PATTERNS_ALL_UNDIRECTED,
                                            GRL_ADPA_PATTERNS_ALL};
    for (int m = 0; m < 3; m++) {
        grl_adpa_options o;
        grl_adpa_options_init(&o);
        o.patterns = set[m];
        o.mask_empty_hops = o.hop_damping = m == 1;
        o.pattern_attention = m == 2 ? GRL_ADPA_PATTERN_NODE : GRL_ADPA_PATTERN_SCALAR;
        o.hidden = 4;
        o.train.epochs = 2;
        grl_adpa_prop *P = NULL;
        grl_adpa *M = NULL;
        FUZZ_CHECK(grl_adpa_prop_build(&P, G, X, &o, msg) == 0);
        FUZZ_CHECK(grl_adpa_train(&M, NULL, P, &L, &S, 0, &o, msg) == 0);
        snprintf(path, sizeof path, "%s-%s", prefix, name[m]);
        FUZZ_CHECK(grl_adpa_save(M, path, msg) == 0);
        grl_adpa_free(&M);
        grl_adpa_prop_free(&P);
    }
    grl_dense_free(&X);
}

/* Predict with propagations of every pattern set built as the file says. */
static void check_predict(const grl_adpa *M, grl_graph *G, const uint8_t *data)
{
    char msg[GRL_MSG_LEN];
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    uint32_t flags, hops;
    int64_t f;
    memcpy(&flags, data + AT_FLAGS, 4);
    memcpy(&hops, data + AT_HOPS, 4);
    memcpy(&o.r, data + AT_R, 8);
    memcpy(&f, data + AT_F, 8);
    o.hops = (int)hops;
    o.hop_damping = (flags & 2u) != 0;
    const int64_t c = grl_adpa_nclasses(M);
    float *proba = malloc(sizeof(float) * NODES * (size_t)c);
    FUZZ_CHECK(proba != NULL);
    grl_dense *X = fuzz_features(NODES, f);
    int fits = 0;
    for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
        o.patterns = sets[s];
        grl_adpa_prop *P = NULL;
        FUZZ_CHECK(grl_adpa_prop_build(&P, G, X, &o, msg) == 0);
        int rc = grl_adpa_predict(M, P, proba, msg);
        FUZZ_CHECK(rc == 0 || (rc == GRL_INVALID_ARGUMENT && msg[0] != '\0'));
        if (strstr(msg, "overflow") != NULL || rc == 0) fits++;
        if (rc == 0) fuzz_check_probability_rows(proba, NODES, c);
        grl_adpa_prop_free(&P);
    }
    FUZZ_CHECK(fits <= 1);
    grl_dense_free(&X);
    free(proba);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static grl_graph *G = NULL;
    char msg[GRL_MSG_LEN] = "";
    fuzz_init();
    if (G == NULL) {
        FUZZ_CHECK(grl_graph_generate_erdos_renyi(&G, NODES, 78, true, 1, msg) == 0);
        const char *seed = getenv("GRL_FUZZ_WRITE_SEED");
        if (seed != NULL) write_seeds(G, seed);
    }
    const char *path = fuzz_write_file(0, data, size);
    grl_adpa *M = NULL;
    if (grl_adpa_load(&M, path, msg) < 0) {
        FUZZ_CHECK(M == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(grl_adpa_nclasses(M) >= 2);
    /* saved again, the model is the same file */
    const char *copy = fuzz_write_file(1, NULL, 0);
    FUZZ_CHECK(grl_adpa_save(M, copy, msg) == 0);
    fuzz_check_same_file(copy, data, size);
    int64_t f;
    memcpy(&f, data + AT_F, 8);
    if (size <= (1 << 16) && f <= 256) check_predict(M, G, data);
    grl_adpa_free(&M);
    FUZZ_CHECK(M == NULL);
    return 0;
}
