/* ppr_powerwalk.c — PowerWalk's online query (Liu, Yang, Zhou, CIKM 2016,
 * the vertex-centric decomposition): T rounds of
 *     s += alpha f,   f = (1-alpha) f P,  entries of f below `drop` removed,
 * then q^ = s + f Q^ with Q^ the fingerprint matrix (row v = q^_v). A batch
 * keeps one row per source in the sparse k x n matrices s and f, so every
 * round is one sparse x sparse product shared by all sources. */
#include "walks_internal.h"

int grl_ppr_powerwalk_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, const grl_ppr_options *o, char *msg)
{
    GrB_Matrix P = NULL, F = NULL, F2 = NULL, S = NULL;
    GrB_Index *I = NULL, *J = NULL;
    double *X = NULL;
#define FREE_ALL GrB_Matrix_free(&P); GrB_Matrix_free(&F); GrB_Matrix_free(&F2); \
    GrB_Matrix_free(&S); free(I); free(J); free(X)
    *Q = NULL;
    GRL_TRY(grl_ppr_index_check(o->index, G, o->alpha, msg));
    GRL_REQUIRE(o->rounds >= 0, "PowerWalk needs T >= 0 rounds, got %d", o->rounds);
    GRL_REQUIRE(o->drop >= 0, "PowerWalk's drop threshold must be >= 0, got %g",
                o->drop);
    const int64_t n = grl_graph_num_nodes(G);
    GRL_TRY(grl_transition(&P, G, 1 - o->alpha, false, msg));
    GRL_ALLOC(I, GrB_Index, k);
    GRL_ALLOC(J, GrB_Index, k);
    GRL_ALLOC(X, double, k);
    for (int64_t s = 0; s < k; s++) {
        I[s] = (GrB_Index)s;
        J[s] = (GrB_Index)sources[s];
        X[s] = 1.0;
    }
    GRB_TRY(GrB_Matrix_new(&F, GrB_FP64, k, n));
    GRB_TRY(GrB_Matrix_build_FP64(F, I, J, X, k, GrB_PLUS_FP64));
    GRB_TRY(GrB_Matrix_new(&S, GrB_FP64, k, n));
    GRB_TRY(GrB_Matrix_new(&F2, GrB_FP64, k, n));
    for (int t = 0; t < o->rounds; t++) {
        GRB_TRY(GrB_Matrix_apply_BinaryOp1st_FP64(S, NULL, GrB_PLUS_FP64,
                                                  GrB_TIMES_FP64, o->alpha, F,
                                                  NULL));
        GRB_TRY(GrB_mxm(F2, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP64, F, P,
                        GrB_DESC_R));
        GRB_TRY(GrB_Matrix_select_FP64(F, NULL, NULL, GrB_VALUEGE_FP64, F2,
                                       o->drop, GrB_DESC_R));
    }
    /* q^ = s + f Q^ */
    GRB_TRY(GrB_mxm(S, NULL, GrB_PLUS_FP64, GrB_PLUS_TIMES_SEMIRING_FP64, F,
                    grl_ppr_index_matrix(o->index), NULL));
    *Q = S;
    S = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
