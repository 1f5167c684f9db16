/* ppr_powerwalk.c — PowerWalk's online query (Liu, Yang, Zhou, CIKM 2016,
 * the vertex-centric decomposition): rounds of
 *     s += alpha f,   f = (1-alpha) f P,  entries of f below `drop` removed,
 * then q^ = s + f Q^ with Q^ the fingerprint matrix (row v = q^_v). A batch
 * keeps one row per source in the sparse k x n matrices s and f, so every
 * round is one sparse x sparse product shared by all sources.
 *
 * Stopping: q_u = s + f Q holds after any number of rounds, so each source
 * may stop on its own: once |f|_1 <= residual * |s'|_1, s' = s without
 * round 0's alpha e_u. The fingerprint part f Q^ (mass <= |f|_1, the only
 * Monte Carlo part) is then small against what the rounds have spread
 * beyond the source; against |s|_1 instead, a source whose walks mostly end
 * at dangling nodes after a step or two would stop with alpha at home and
 * the rest of its top list left to the fingerprints (p2p-Gnutella08: worst
 * precision@100 0.58 instead of 0.87). Without loss of mass |f_t|_1 =
 * (1-alpha)^t and |s'_t|_1 = (1-alpha) - (1-alpha)^t; with loss the ratio
 * only falls faster (|f_t| <= (1-alpha)^(t-i) |f_i| for every i < t), so
 * every source stops by the first t with (1-alpha)^(t-1) <= residual /
 * (1 + residual) (alpha 0.15, residual 0.25: t = 11); `rounds` caps t. A
 * stopped source's f row moves to Done and leaves the products, so a
 * source's result does not depend on the other sources of its batch. */
#include "walks_internal.h"

#include <math.h>

/* Before a round: f's row sums; rows with |f|_1 <= eps |s'|_1 move from F
 * to Done; smass (|s'|_1 per row) then gains alpha |f|_1 of the rows that go
 * on. *active: the rows of F left with entries. */
static int retire_rows(GrB_Matrix F, GrB_Matrix Done, GrB_Vector smass,
                       double alpha, double eps, GrB_Index *active, char *msg)
{
    GrB_Vector fmass = NULL, ratio = NULL, low = NULL;
    GrB_Matrix D = NULL;
    GrB_Index k, nlow;
#define FREE_ALL GrB_Vector_free(&fmass); GrB_Vector_free(&ratio); \
    GrB_Vector_free(&low); GrB_Matrix_free(&D)
    GRB_TRY(GrB_Matrix_nrows(&k, F));
    GRB_TRY(GrB_Vector_new(&fmass, GrB_FP64, k));
    GRB_TRY(GrB_Vector_new(&ratio, GrB_FP64, k));
    GRB_TRY(GrB_Vector_new(&low, GrB_FP64, k));
    GRB_TRY(GrB_Matrix_reduce_Monoid(fmass, NULL, NULL, GrB_PLUS_MONOID_FP64, F, NULL));
    /* |f|_1 / |s'|_1 where s' has mass (none before round 2) */
    GRB_TRY(GrB_Vector_eWiseMult_BinaryOp(ratio, NULL, NULL, GrB_DIV_FP64, fmass,
                                          smass, NULL));
    GRB_TRY(GrB_Vector_select_FP64(low, NULL, NULL, GrB_VALUELE_FP64, ratio, eps, NULL));
    GRB_TRY(GrB_Vector_nvals(&nlow, low));
    GRB_TRY(GrB_Vector_nvals(active, fmass));
    *active -= nlow;
    if (nlow > 0) {
        /* the diagonal of the retiring rows selects them (ANY_SECOND copies
         * values, no arithmetic): Done += D F; then F loses what Done holds */
        GRB_TRY(GrB_Matrix_diag(&D, low, 0));
        GRB_TRY(GrB_mxm(Done, NULL, GrB_PLUS_FP64, GxB_ANY_SECOND_FP64, D, F, NULL));
        GRB_TRY(GrB_Matrix_apply(F, Done, NULL, GrB_IDENTITY_FP64, F, GrB_DESC_RSC));
    }
    GRB_TRY(GrB_Vector_apply_BinaryOp1st_FP64(smass, low, GrB_PLUS_FP64,
                                              GrB_TIMES_FP64, alpha, fmass,
                                              GrB_DESC_SC));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_ppr_powerwalk_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, const grl_ppr_options *o, char *msg)
{
    GrB_Matrix P = NULL, F = NULL, F2 = NULL, S = NULL, Done = NULL;
    GrB_Vector smass = NULL;
    GrB_Index *I = NULL, *J = NULL;
    double *X = NULL;
#define FREE_ALL GrB_Matrix_free(&P); GrB_Matrix_free(&F); GrB_Matrix_free(&F2); \
    GrB_Matrix_free(&S); GrB_Matrix_free(&Done); GrB_Vector_free(&smass); free(I); free(J); free(X)
    *Q = NULL;
    GRL_TRY(grl_ppr_index_check(o->index, G, o->alpha, msg));
    GRL_TRY(grl_powerwalk_check_options(o, msg));
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
    GRB_TRY(GrB_Matrix_new(&Done, GrB_FP64, k, n));
    GRB_TRY(GrB_Vector_new(&smass, GrB_FP64, k));
    for (int t = 0; t < o->rounds; t++) {
        GrB_Index active = 1;
        if (o->residual > 0 && t > 0) /* |s|_1 leaves out round 0's alpha */
            GRL_TRY(retire_rows(F, Done, smass, o->alpha, o->residual, &active, msg));
        if (active == 0) break;
        GRB_TRY(GrB_Matrix_apply_BinaryOp1st_FP64(S, NULL, GrB_PLUS_FP64,
                                                  GrB_TIMES_FP64, o->alpha, F,
                                                  NULL));
        GRB_TRY(GrB_mxm(F2, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP64, F, P,
                        GrB_DESC_R));
        GRB_TRY(GrB_Matrix_select_FP64(F, NULL, NULL, GrB_VALUEGE_FP64, F2,
                                       o->drop, GrB_DESC_R));
    }
    /* q^ = s + f Q^, f the rows still running and the retired ones */
    GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(F, NULL, NULL, GrB_PLUS_FP64, F, Done, NULL));
    GRB_TRY(GrB_mxm(S, NULL, GrB_PLUS_FP64, GrB_PLUS_TIMES_SEMIRING_FP64, F,
                    grl_ppr_index_matrix(o->index), NULL));
    *Q = S;
    S = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
