/* fuzz_features.c — grl_features_load for a fixed 40-node graph (a path,
 * ids 0..39); a loaded feature matrix feeds a small FastRP, whose output
 * must be finite. */
#include "fuzz.h"

#include <math.h>

#define NODES 40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static grl_graph *path_graph(void)
{
    int64_t src[NODES - 1], dst[NODES - 1];
    for (int64_t i = 0; i < NODES - 1; i++) {
        src[i] = i;
        dst[i] = i + 1;
    }
    grl_graph *G = NULL;
    char msg[GRL_MSG_LEN];
    FUZZ_CHECK(grl_graph_from_edges(&G, NODES, src, dst, NULL, NODES - 1,
                                    false, NULL, msg) == 0);
    return G;
}

static void check_features(grl_graph *G, GrB_Matrix F)
{
    GrB_Index rows, cols, nvals;
    FUZZ_GRB(GrB_Matrix_nrows(&rows, F));
    FUZZ_GRB(GrB_Matrix_ncols(&cols, F));
    FUZZ_GRB(GrB_Matrix_nvals(&nvals, F));
    FUZZ_CHECK(rows == NODES);
    double lo = 0, hi = 0;
    if (nvals > 0) {
        FUZZ_GRB(GrB_Matrix_reduce_FP64(&lo, NULL, GrB_MIN_MONOID_FP64, F, NULL));
        FUZZ_GRB(GrB_Matrix_reduce_FP64(&hi, NULL, GrB_MAX_MONOID_FP64, F, NULL));
    }
    FUZZ_CHECK(isfinite(lo) && isfinite(hi)); /* sums of repeats included */
    /* FastRP's projection is cols x dim; values beyond float32 must make
     * it fail (its overflow check), never return NaN or Inf */
    if (cols > 4096) return;
    grl_fastrp_options opt;
    grl_fastrp_options_init(&opt);
    opt.dim = 8;
    opt.features = F;
    opt.property_ratio = 0.5;
    grl_dense *E = NULL;
    char msg[GRL_MSG_LEN];
    if (grl_fastrp_embed(&E, G, &opt, msg) == 0) {
        FUZZ_CHECK(E->rows == NODES && E->cols == 8);
        for (int64_t i = 0; i < E->rows * E->cols; i++)
            FUZZ_CHECK(isfinite(E->data[i]));
        grl_dense_free(&E);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static grl_graph *G = NULL;
    fuzz_init();
    if (G == NULL) G = path_graph();
    const char *path = fuzz_write_file(0, data, size);
    GrB_Matrix F = NULL;
    char msg[GRL_MSG_LEN] = "";
    if (grl_features_load(&F, G, path, msg) < 0) {
        FUZZ_CHECK(F == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(F != NULL);
    check_features(G, F);
    GrB_Matrix_free(&F);
    return 0;
}
