/* ppr_top.c — the top-k entries of each row of a PPR block: a bounded
 * min-heap per row (O(nnz log k)), rows in parallel, then sorted by score
 * (descending) and node index (ascending) for ties. */
#include "walks_internal.h"
#include "topk_heap.h"

/* Keep the `top` best of the positive (x[t], j[t]) in sc/nd, best first;
 * returns the count. */
static int64_t top_of_row(const double *x, const GrB_Index *j, GrB_Index cnt,
                          int64_t top, double *sc, int64_t *nd)
{
    grl_topk_heap h = {sc, nd, 0, top};
    for (GrB_Index t = 0; t < cnt; t++)
        if (x[t] > 0) grl_topk_push(&h, x[t], (int64_t)j[t]);
    grl_topk_finish(&h);
    return h.size;
}

void grl_ppr_result_free(grl_ppr_result **R)
{
    if (R == NULL || *R == NULL) return;
    free((*R)->source);
    free((*R)->count);
    free((*R)->node);
    free((*R)->score);
    free(*R);
    *R = NULL;
}

int grl_ppr_result_alloc(grl_ppr_result **R, int64_t k, int64_t top, char *msg)
{
    grl_ppr_result *r = NULL;
#define FREE_ALL grl_ppr_result_free(&r)
    GRL_CALLOC(r, grl_ppr_result, 1);
    r->nsources = k;
    r->top = top;
    GRL_CALLOC(r->source, int64_t, k);
    GRL_CALLOC(r->count, int64_t, k);
    GRL_CALLOC(r->node, int64_t, grl_size_mul(k, top));
    GRL_CALLOC(r->score, double, grl_size_mul(k, top));
    *R = r;
    return 0;
#undef FREE_ALL
}

/* Fill rows first .. first+k-1 of R from the rows of P. */
int grl_ppr_top_fill(grl_ppr_result *R, int64_t first, GrB_Matrix P, char *msg)
{
    GrB_Index *Ap = NULL, *Aj = NULL, Ap_size, Aj_size, Ax_size, k;
    void *Ax = NULL;
    bool iso = false;
#define FREE_ALL free(Ap); free(Aj); free(Ax)
    GRB_TRY(GrB_Matrix_nrows(&k, P));
    GRB_TRY(GxB_Matrix_unpack_CSR(P, &Ap, &Aj, &Ax, &Ap_size, &Aj_size, &Ax_size,
                                  &iso, NULL, NULL));
    const double *x = Ax;
    const int64_t top = R->top;
#pragma omp parallel for schedule(dynamic, 1) if (k > 1)
    for (int64_t s = 0; s < (int64_t)k; s++) {
        GrB_Index lo = Ap[s], cnt = Ap[s + 1] - lo;
        double *sc = R->score + (first + s) * top;
        int64_t *nd = R->node + (first + s) * top;
        if (iso) { /* every entry equal: the smallest indices win */
            int64_t c = 0;
            for (GrB_Index t = 0; t < cnt && c < top && x[0] > 0; t++, c++) {
                sc[c] = x[0];
                nd[c] = (int64_t)Aj[lo + t];
            }
            R->count[first + s] = c;
        } else {
            R->count[first + s] = top_of_row(x + lo, Aj + lo, cnt, top, sc, nd);
        }
    }
    GRB_TRY(GxB_Matrix_pack_CSR(P, &Ap, &Aj, &Ax, Ap_size, Aj_size, Ax_size, iso,
                                false, NULL));
    return 0;
#undef FREE_ALL
}

int grl_ppr_result_from_matrix(grl_ppr_result **R, GrB_Matrix P,
                               const int64_t *sources, int64_t top, char *msg)
{
    grl_msg_clear(msg);
    grl_ppr_result *r = NULL;
#define FREE_ALL grl_ppr_result_free(&r)
    GRL_REQUIRE(R != NULL && P != NULL, "grl_ppr_result_from_matrix: NULL argument");
    *R = NULL;
    GRL_REQUIRE(top >= 1, "top must be at least 1, got %" PRId64, top);
    GrB_Type type;
    GRB_TRY(GxB_Matrix_type(&type, P));
    GRL_REQUIRE(type == GrB_FP64, "grl_ppr_result_from_matrix: the matrix must "
                "be GrB_FP64 (as grl_ppr_compute returns)");
    GrB_Index k;
    GRB_TRY(GrB_Matrix_nrows(&k, P));
    GRL_TRY(grl_ppr_result_alloc(&r, (int64_t)k, top, msg));
    for (GrB_Index s = 0; s < k; s++) r->source[s] = sources ? sources[s] : (int64_t)s;
    GRL_TRY(grl_ppr_top_fill(r, 0, P, msg));
    *R = r;
    return 0;
#undef FREE_ALL
}
