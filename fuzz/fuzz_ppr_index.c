/* fuzz_ppr_index.c — grl_ppr_index_load. A loaded index is checked (shape,
 * entry count, finite non-negative fingerprints) and, when it claims to fit
 * the harness's graph (G(34, 78), seed 1), queried by PowerWalk and Monte
 * Carlo, whose scores must be finite.
 *
 * GRL_FUZZ_WRITE_SEED=FILE makes the harness write an index of that graph
 * to FILE (the seed corpus) before fuzzing. */
#include "fuzz.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static grl_graph *the_graph(void)
{
    grl_graph *G = NULL;
    char msg[GRL_MSG_LEN];
    FUZZ_CHECK(grl_graph_generate_erdos_renyi(&G, 34, 78, false, 1, msg) == 0);
    const char *seed = getenv("GRL_FUZZ_WRITE_SEED");
    if (seed != NULL) {
        grl_ppr_index *I = NULL;
        FUZZ_CHECK(grl_ppr_index_build(&I, G, &(grl_ppr_index_options){.walks = 8, .alpha = 0.15, .seed = 7}, msg) == 0);
        FUZZ_CHECK(grl_ppr_index_save(I, seed, msg) == 0);
        grl_ppr_index_free(&I);
    }
    return G;
}

static void check_finite(GrB_Matrix M)
{
    GrB_Index nvals;
    FUZZ_GRB(GrB_Matrix_nvals(&nvals, M));
    double *x = malloc((nvals ? nvals : 1) * sizeof(double));
    if (x == NULL) return;
    FUZZ_GRB(GrB_Matrix_extractTuples_FP64(NULL, NULL, x, &nvals, M));
    for (GrB_Index k = 0; k < nvals; k++)
        FUZZ_CHECK(isfinite(x[k]) && x[k] >= 0);
    free(x);
}

static void query(grl_graph *G, const grl_ppr_index *I, double alpha)
{
    char msg[GRL_MSG_LEN];
    grl_ppr_options opt;
    grl_ppr_options_init(&opt);
    opt.alpha = alpha;
    opt.index = I;
    int64_t sources[2] = {0, 33};
    for (int m = 0; m < 2; m++) {
        opt.method = m == 0 ? GRL_PPR_POWERWALK : GRL_PPR_MC;
        GrB_Matrix P = NULL;
        if (grl_ppr_compute(&P, G, sources, 2, &opt, msg) == 0) {
            GrB_Index rows, cols;
            FUZZ_GRB(GrB_Matrix_nrows(&rows, P));
            FUZZ_GRB(GrB_Matrix_ncols(&cols, P));
            FUZZ_CHECK(rows == 2 && cols == 34);
            check_finite(P);
            GrB_Matrix_free(&P);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static grl_graph *G = NULL;
    fuzz_init();
    if (G == NULL) G = the_graph();
    const char *path = fuzz_write_file(0, data, size);
    grl_ppr_index *I = NULL;
    char msg[GRL_MSG_LEN] = "";
    if (grl_ppr_index_load(&I, path, msg) < 0) {
        FUZZ_CHECK(I == NULL && msg[0] != '\0');
        return 0;
    }
    int64_t n, walks, entries;
    double alpha;
    FUZZ_CHECK(grl_ppr_index_info(I, &n, &walks, &alpha, &entries, msg) == 0);
    FUZZ_CHECK(n >= 0 && walks >= 1 && alpha > 0 && alpha < 1 && entries >= 0);
    GrB_Matrix Q = grl_ppr_index_matrix(I);
    GrB_Index rows, cols, nvals;
    FUZZ_GRB(GrB_Matrix_nrows(&rows, Q));
    FUZZ_GRB(GrB_Matrix_ncols(&cols, Q));
    FUZZ_GRB(GrB_Matrix_nvals(&nvals, Q));
    FUZZ_CHECK((int64_t)rows == n && (int64_t)cols == n);
    FUZZ_CHECK((int64_t)nvals == entries);
    check_finite(Q);
    if (n == grl_graph_num_nodes(G)) query(G, I, alpha);
    grl_ppr_index_free(&I);
    FUZZ_CHECK(I == NULL);
    return 0;
}
