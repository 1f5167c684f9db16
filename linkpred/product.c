/* product.c — the sparse products behind every predictor except PA:
 * common-neighbour sums C<M> = X D Y (one masked product, two for weighted
 * sums), path sums Σ_l c_l A^l by repeated products of a block of source
 * rows, the block planner, and a sorted CSR view of a result. */
#include "linkpred_internal.h"

#include <math.h>

/* Rows `rows` of M (rows NULL: M itself, lent). */
static int rows_of(GrB_Matrix *out, GrB_Matrix *owned, GrB_Matrix M,
                   const GrB_Index *rows, GrB_Index nrows, int64_t n,
                   char *msg)
{
#define FREE_ALL ;
    *owned = NULL;
    if (rows == NULL) {
        *out = M;
        return 0;
    }
    GRB_TRY(GrB_Matrix_new(owned, GrB_FP64, nrows, n));
    GRB_TRY(GrB_Matrix_extract(*owned, NULL, NULL, M, rows, nrows, GrB_ALL, n,
                               NULL));
    *out = *owned;
    return 0;
#undef FREE_ALL
}

/* The descriptor of a product under a structural mask (or its complement),
 * with the right operand transposed or not. */
static GrB_Descriptor product_desc(bool masked, bool complement,
                                   bool transposed)
{
    if (!masked) return transposed ? GrB_DESC_T1 : NULL;
    if (complement) return transposed ? GrB_DESC_SCT1 : GrB_DESC_SC;
    return transposed ? GrB_DESC_ST1 : GrB_DESC_S;
}

/* The path-sum coefficients c_1..c_L of LP and KATZ; returns L. */
static int path_coefficients(const grl_linkpred_options *o, double *coef)
{
    if (o->method == GRL_LINKPRED_LP) { /* A² + ε A³ */
        coef[1] = 0;
        coef[2] = 1;
        coef[3] = o->epsilon;
        return 3;
    }
    double b = 1; /* Σ_{l=1..L} β^l A^l */
    for (int l = 1; l <= o->katz_length; l++) coef[l] = b *= o->beta;
    return o->katz_length;
}

/* R<mask> = Σ_l c_l (rows of A^l): P_1 = rows of A, P_l = P_{l-1} A; the
 * last power is formed only under the mask. */
static int path_sum(GrB_Matrix R, const lp_ctx *c, const GrB_Index *rows,
                    GrB_Index nr, GrB_Matrix mask, bool complement,
                    bool transposed, char *msg)
{
    GrB_Matrix L = NULL, P = NULL, T = NULL;
#define FREE_ALL GrB_Matrix_free(&L); GrB_Matrix_free(&P); GrB_Matrix_free(&T)
    double coef[9];
    int len = path_coefficients(&c->opt, coef);
    int64_t n = c->n;
    bool w = c->opt.weighted;
    GrB_Semiring sr = w ? GrB_PLUS_TIMES_SEMIRING_FP64 : GxB_PLUS_FIRST_FP64;
    GrB_Descriptor apply_desc = mask ? (complement ? GrB_DESC_SC : GrB_DESC_S)
                                     : NULL;
    GrB_Matrix src;
    GRL_TRY(rows_of(&src, &L, c->X, rows, nr, n, msg));
    GRB_TRY(GrB_Matrix_new(&P, GrB_FP64, nr, n));
    if (w) GRB_TRY(GrB_Matrix_apply(P, NULL, NULL, GrB_IDENTITY_FP64, src, NULL));
    else GRB_TRY(GrB_Matrix_apply(P, NULL, NULL, GxB_ONE_FP64, src, NULL));
    GrB_Matrix_free(&L);
    for (int l = 1; l <= len; l++) {
        if (l > 1 && l == len) { /* the last power, under the mask */
            GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, nr, n));
            GRB_TRY(GrB_mxm(T, mask, NULL, sr, P, transposed ? c->Z : c->Y,
                            product_desc(mask != NULL, complement, transposed)));
            GRB_TRY(GrB_Matrix_apply_BinaryOp2nd_FP64(R, NULL, GrB_PLUS_FP64,
                                                      GrB_TIMES_FP64, T,
                                                      coef[l], NULL));
            break;
        }
        if (l > 1) {
            GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, nr, n));
            GRB_TRY(GrB_mxm(T, NULL, NULL, sr, P, c->Y, NULL));
            GrB_Matrix_free(&P);
            P = T;
            T = NULL;
        }
        if (coef[l] != 0)
            GRB_TRY(GrB_Matrix_apply_BinaryOp2nd_FP64(R, mask, GrB_PLUS_FP64,
                                                      GrB_TIMES_FP64, P,
                                                      coef[l], apply_desc));
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int lp_path_sum_masked(GrB_Matrix *R, const lp_ctx *c, GrB_Matrix M,
                       char *msg)
{
    GrB_Matrix C = NULL, T = NULL, M1 = NULL, T2 = NULL;
#define FREE_ALL GrB_Matrix_free(&C); GrB_Matrix_free(&T);                     \
    GrB_Matrix_free(&M1); GrB_Matrix_free(&T2)
    double coef[9];
    int len = path_coefficients(&c->opt, coef);
    int64_t n = c->n;
    bool w = c->opt.weighted;
    /* unweighted: every arc counts 1 whatever its stored value */
    GrB_Semiring dot = w ? GrB_PLUS_TIMES_SEMIRING_FP64 : GxB_PLUS_PAIR_FP64;
    GRB_TRY(GrB_Matrix_new(&C, GrB_FP64, n, n));
    GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, n, n));
    if (coef[1] != 0) { /* c_1 A<M> */
        GRB_TRY(GrB_Matrix_apply(T, M, NULL, w ? GrB_IDENTITY_FP64 :
                                 GxB_ONE_FP64, c->X, GrB_DESC_S));
        GRB_TRY(GrB_Matrix_apply_BinaryOp2nd_FP64(C, NULL, GrB_PLUS_FP64,
                                                  GrB_TIMES_FP64, T, coef[1],
                                                  NULL));
    }
    if (len >= 2) { /* c_2 A²<M>: dot products of rows of A and of Aᵀ */
        GRB_TRY(GrB_mxm(T, M, NULL, dot, c->X, c->Z, GrB_DESC_RST1));
        GRB_TRY(GrB_Matrix_apply_BinaryOp2nd_FP64(C, NULL, GrB_PLUS_FP64,
                                                  GrB_TIMES_FP64, T, coef[2],
                                                  NULL));
    }
    if (len >= 3) {
        /* A³(u,v) = Σ_a A(u,a) A²(a,v): A² is needed only at the pairs
         * (a, v) with a an out-neighbour of a source u of v, M1 = Aᵀ M */
        GRB_TRY(GrB_Matrix_new(&M1, GrB_BOOL, n, n));
        GRB_TRY(GrB_mxm(M1, NULL, NULL, GxB_ANY_PAIR_BOOL, c->Z, M, NULL));
        GRB_TRY(GrB_Matrix_new(&T2, GrB_FP64, n, n));
        GRB_TRY(GrB_mxm(T2, M1, NULL, dot, c->Y, c->Z, GrB_DESC_ST1));
        GrB_Matrix_free(&M1);
        GRB_TRY(GrB_mxm(T, M, NULL, w ? GrB_PLUS_TIMES_SEMIRING_FP64 :
                        GxB_PLUS_SECOND_FP64, c->X, T2, GrB_DESC_RS));
        GRB_TRY(GrB_Matrix_apply_BinaryOp2nd_FP64(C, NULL, GrB_PLUS_FP64,
                                                  GrB_TIMES_FP64, T, coef[3],
                                                  NULL));
    }
    GrB_Matrix_free(&T);
    GrB_Matrix_free(&T2);
    *R = C;
    return 0;
#undef FREE_ALL
}

int lp_product(GrB_Matrix *R, const lp_ctx *c, const GrB_Index *rows,
               GrB_Index nrows, GrB_Matrix mask, bool complement,
               bool transposed, char *msg)
{
    GrB_Matrix L = NULL, C = NULL;
#define FREE_ALL GrB_Matrix_free(&L); GrB_Matrix_free(&C)
    int64_t n = c->n;
    GrB_Index nr = rows ? nrows : (GrB_Index)n;
    grl_linkpred_method m = c->opt.method;
    GrB_Descriptor desc = product_desc(mask != NULL, complement, transposed);
    GrB_Matrix right = transposed ? c->Z : c->Y, src;
    GRB_TRY(GrB_Matrix_new(&C, GrB_FP64, nr, n));
    if (lp_is_path_method(m)) {
        GRL_TRY(path_sum(C, c, rows, nr, mask, complement, transposed, msg));
    } else if (c->XD != NULL) {
        /* Σ_z (X D)(u,z) over z with Y(z,v): PLUS_FIRST on the scaled copy */
        GRL_TRY(rows_of(&src, &L, c->XD, rows, nr, n, msg));
        GRB_TRY(GrB_mxm(C, mask, NULL, GxB_PLUS_FIRST_FP64, src, right, desc));
        GrB_Matrix_free(&L);
        if (c->opt.weighted) { /* + Σ_z d(z) w(z,v) (Lü & Zhou 2010) */
            GRL_TRY(rows_of(&src, &L, c->X, rows, nr, n, msg));
            GRB_TRY(GrB_mxm(C, mask, GrB_PLUS_FP64, GxB_PLUS_SECOND_FP64, src,
                            c->ZD, desc));
        }
    } else { /* CN = |Γ(u) ∩ Γ(v)|: count the pairs of entries */
        GRL_TRY(rows_of(&src, &L, c->X, rows, nr, n, msg));
        GRB_TRY(GrB_mxm(C, mask, NULL, GxB_PLUS_PAIR_FP64, src, right, desc));
    }
    GrB_Matrix_free(&L);
    *R = C;
    return 0;
#undef FREE_ALL
}

/* The number of steps of a predictor's products (2 for the common-neighbour
 * family). */
static int product_steps(const grl_linkpred_options *o)
{
    if (o->method == GRL_LINKPRED_LP) return 3;
    if (o->method == GRL_LINKPRED_KATZ) return o->katz_length;
    return 2;
}

int lp_blocks(const lp_ctx *c, const GrB_Index *sources, int64_t nsources,
              bool sparse_mask, int64_t **start, int64_t *nblocks, char *msg)
{
    GrB_Vector h = NULL, t = NULL;
    double *est = NULL;
    int64_t *st = NULL;
#define FREE_ALL GrB_Vector_free(&h); GrB_Vector_free(&t); free(est); free(st)
    int64_t n = c->n;
    *start = NULL;
    *nblocks = 0;
    /* est(u) = number of walks u -X-> . -Y-> ... of the product's length,
     * each step capped at n: a bound on the entries of u's row */
    GRB_TRY(GrB_Vector_new(&h, GrB_FP64, n));
    GRB_TRY(GrB_Vector_assign_FP64(h, NULL, NULL, 1.0, GrB_ALL, n, NULL));
    int steps = product_steps(&c->opt);
    if (sparse_mask && steps > 1) steps--; /* the last step is formed only
                                              at the mask's few entries */
    for (int l = 1; l <= steps; l++) {
        GRB_TRY(GrB_Vector_new(&t, GrB_FP64, n));
        GRB_TRY(GrB_Vector_assign_FP64(t, NULL, NULL, 0.0, GrB_ALL, n, NULL));
        GRB_TRY(GrB_mxv(t, NULL, GrB_PLUS_FP64, GxB_PLUS_SECOND_FP64,
                        l == steps ? c->X : c->Y, h, NULL));
        GRB_TRY(GrB_Vector_apply_BinaryOp2nd_FP64(t, NULL, NULL, GrB_MIN_FP64,
                                                  t, (double)n, NULL));
        GrB_Vector_free(&h);
        h = t;
        t = NULL;
    }
    GRL_ALLOC(est, double, n);
    GrB_Index nv = n;
    GRB_TRY(GrB_Vector_extractTuples_FP64(NULL, est, &nv, h));
    GRL_ALLOC(st, int64_t, nsources + 1);
    int64_t nb = 0;
    double acc = 0, budget = (double)c->opt.block_entries;
    st[0] = 0;
    for (int64_t i = 0; i < nsources; i++) {
        double e = est[sources[i]] > 1 ? est[sources[i]] : 1;
        if (acc > 0 && acc + e > budget) {
            st[++nb] = i;
            acc = 0;
        }
        acc += e;
    }
    if (nsources > 0) st[++nb] = nsources;
    *start = st;
    *nblocks = nb;
    st = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
