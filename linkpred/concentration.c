/* concentration.c — topological concentration per node (Wang et al., ICLR
 * 2024; the definition is in include/grl/linkpred.h): the hop levels H^k are
 * built by masked products (H^k = H^{k-1} S outside the nodes already
 * reached), every overlap |H^a_i ∩ H^b_j| over the edges (i, j) is one masked
 * dot product C<S> = H^a (H^b)ᵀ, and each node averages over its edges. */
#include "linkpred_internal.h"

#include <math.h>

/* S: the symmetric structure of G without self-loops (A ∪ Aᵀ if directed). */
static int symmetric_structure(GrB_Matrix *S, grl_graph *G, char *msg)
{
    GrB_Matrix T = NULL;
#define FREE_ALL GrB_Matrix_free(&T)
    int64_t n = grl_graph_num_nodes(G);
    GrB_Matrix A = grl_graph_matrix(G);
    GRB_TRY(GrB_Matrix_new(&T, GrB_BOOL, n, n));
    if (grl_graph_is_directed(G))
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(T, NULL, NULL, GrB_ONEB_BOOL, A, A,
                                             GrB_DESC_T1));
    else
        GRB_TRY(GrB_Matrix_apply(T, NULL, NULL, GxB_ONE_BOOL, A, NULL));
    GRB_TRY(GrB_Matrix_new(S, GrB_BOOL, n, n));
    GRB_TRY(GrB_Matrix_select_INT64(*S, NULL, NULL, GrB_OFFDIAG, T, 0, NULL));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

void grl_concentration_options_init(grl_concentration_options *opt)
{
    if (opt == NULL) return;
    opt->hops = 1;
    opt->beta = 0.5;
}

int grl_linkpred_concentration(grl_graph *G,
                               const grl_concentration_options *opt,
                               double *tc, char *msg)
{
    grl_msg_clear(msg);
    grl_concentration_options o;
    grl_concentration_options_init(&o);
    if (opt != NULL) o = *opt;
    GrB_Matrix S = NULL, seen = NULL, H[GRL_LINKPRED_TC_MAX_HOPS + 1] = {NULL};
    GrB_Matrix C = NULL;
    double *size = NULL, *acc = NULL;
    grl_csr s = {0}, c = {0};
#define FREE_ALL grl_csr_return(&c, NULL); grl_csr_return(&s, NULL);             \
    GrB_Matrix_free(&S); GrB_Matrix_free(&seen); GrB_Matrix_free(&C);         \
    for (int h_ = 0; h_ <= GRL_LINKPRED_TC_MAX_HOPS; h_++)                    \
        GrB_Matrix_free(&H[h_]);                                              \
    free(size); free(acc)
    GRL_REQUIRE(G != NULL && tc != NULL, "grl_linkpred_concentration: NULL "
                "argument");
    GRL_REQUIRE(o.hops >= 1 && o.hops <= GRL_LINKPRED_TC_MAX_HOPS,
                "topological concentration needs 1 to %d hops, got %d",
                GRL_LINKPRED_TC_MAX_HOPS, o.hops);
    GRL_REQUIRE(isfinite(o.beta), "topological concentration: beta is not "
                "finite");
    GRL_TRY(grl_init(msg));
    int64_t n = grl_graph_num_nodes(G);
    GRL_TRY(symmetric_structure(&S, G, msg));

    /* hop levels: H^1 = S; H^k = (H^{k-1} S)<not seen>, seen = I ∪ H^1..H^k */
    GRL_ALLOC(size, double, grl_size_mul(n, (size_t)o.hops + 1));
    GRB_TRY(GrB_Matrix_dup(&H[1], S));
    GRB_TRY(GrB_Matrix_new(&seen, GrB_BOOL, n, n));
    { /* seen = I ∪ S */
        GrB_Vector ones = NULL;
        GrB_Matrix D = NULL;
        GrB_Info info = GrB_Vector_new(&ones, GrB_BOOL, n);
        if (info == GrB_SUCCESS)
            info = GrB_Vector_assign_BOOL(ones, NULL, NULL, true, GrB_ALL, n, NULL);
        if (info == GrB_SUCCESS) info = GrB_Matrix_diag(&D, ones, 0);
        if (info == GrB_SUCCESS)
            info = GrB_Matrix_eWiseAdd_BinaryOp(seen, NULL, NULL, GrB_LOR, D, S,
                                                NULL);
        GrB_Vector_free(&ones);
        GrB_Matrix_free(&D);
        GRB_CHECK(info, "GrB_Matrix_eWiseAdd (concentration)");
    }
    for (int k = 2; k <= o.hops; k++) {
        GRB_TRY(GrB_Matrix_new(&H[k], GrB_BOOL, n, n));
        GRB_TRY(GrB_mxm(H[k], seen, NULL, GxB_ANY_PAIR_BOOL, H[k - 1], S,
                        GrB_DESC_SC));
        if (k < o.hops)
            GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(seen, NULL, NULL, GrB_LOR,
                                                 seen, H[k], NULL));
    }
    GrB_Matrix_free(&seen);
    for (int k = 1; k <= o.hops; k++)
        GRL_TRY(lp_row_sums(H[k], false, n, size + (size_t)k * n, msg));

    /* acc[i] = Σ_{j ∈ N(i)} Σ_{a,b} β^{a+b-2} |H^a_i ∩ H^b_j| / |H^a_i ∪ H^b_j| */
    GRL_CALLOC(acc, double, n);
    /* borrows a matrix of this call's own, not the graph's */
    GRL_TRY(grl_csr_borrow(&s, S, true, msg));
    for (int a = 1; a <= o.hops; a++)
        for (int b = 1; b <= o.hops; b++) {
            double w = pow(o.beta, a + b - 2);
            const double *sa = size + (size_t)a * n, *sb = size + (size_t)b * n;
            GRB_TRY(GrB_Matrix_new(&C, GrB_FP64, n, n));
            GRL_TRY(grl_csr_return(&s, msg)); /* S is the mask */
            GRB_TRY(GrB_mxm(C, S, NULL, GxB_PLUS_PAIR_FP64, H[a], H[b],
                            GrB_DESC_ST1));
            GRB_TRY(GxB_Matrix_Option_set(C, GxB_SPARSITY_CONTROL, GxB_SPARSE));
            GRL_TRY(grl_csr_borrow(&s, S, true, msg));
            GRL_TRY(grl_csr_borrow(&c, C, true, msg));
#pragma omp parallel for schedule(dynamic, 256)
            for (int64_t i = 0; i < n; i++)
                for (GrB_Index p = s.Ap[i]; p < s.Ap[i + 1]; p++) {
                    GrB_Index j = s.Aj[p];
                    double inter = lp_csr_get(&c, (GrB_Index)i, j, NULL);
                    double uni = sa[i] + sb[j] - inter;
                    if (uni > 0) acc[i] += w * inter / uni;
                }
            GRL_TRY(grl_csr_return(&c, msg));
            GrB_Matrix_free(&C);
        }
    bool finite = true;
    for (int64_t i = 0; i < n; i++) {
        GrB_Index deg = s.Ap[i + 1] - s.Ap[i];
        tc[i] = deg > 0 ? acc[i] / (double)deg : 0.0;
        finite = finite && isfinite(tc[i]);
    }
    if (!finite) /* beta^(a+b-2) overflows */
        GRL_FAIL(GRL_INVALID_ARGUMENT, "beta %g makes the topological "
                 "concentration overflow; choose a beta nearer 1", o.beta);
    GRL_TRY(grl_csr_return(&s, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
