/* ppr_top.c — the top-k entries of each row of a PPR block: a bounded
 * min-heap per row (O(nnz log k)), rows in parallel, then sorted by score
 * (descending) and node index (ascending) for ties. */
#include "walks_internal.h"

/* a is worse than b: lower score, or the same score and a larger node */
static inline bool worse(double sa, int64_t na, double sb, int64_t nb)
{
    return sa < sb || (sa == sb && na > nb);
}

static void sift_down(double *sc, int64_t *nd, int64_t size, int64_t i)
{
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < size && worse(sc[l], nd[l], sc[w], nd[w])) w = l;
        if (r < size && worse(sc[r], nd[r], sc[w], nd[w])) w = r;
        if (w == i) return;
        double ts = sc[i]; sc[i] = sc[w]; sc[w] = ts;
        int64_t tn = nd[i]; nd[i] = nd[w]; nd[w] = tn;
        i = w;
    }
}

/* Keep the `top` best of (x[t], j[t]) in sc/nd, best first; returns count. */
static int64_t top_of_row(const double *x, const GrB_Index *j, GrB_Index cnt,
                          int64_t top, double *sc, int64_t *nd)
{
    int64_t size = 0;
    for (GrB_Index t = 0; t < cnt; t++) {
        if (!(x[t] > 0)) continue;
        if (size < top) { /* sift up */
            int64_t i = size++;
            sc[i] = x[t];
            nd[i] = (int64_t)j[t];
            while (i > 0) {
                int64_t p = (i - 1) / 2;
                if (!worse(sc[i], nd[i], sc[p], nd[p])) break;
                double ts = sc[i]; sc[i] = sc[p]; sc[p] = ts;
                int64_t tn = nd[i]; nd[i] = nd[p]; nd[p] = tn;
                i = p;
            }
        } else if (top > 0 && worse(sc[0], nd[0], x[t], (int64_t)j[t])) {
            sc[0] = x[t];
            nd[0] = (int64_t)j[t];
            sift_down(sc, nd, size, 0);
        }
    }
    /* heap sort: repeatedly move the worst to the end */
    for (int64_t end = size - 1; end > 0; end--) {
        double ts = sc[0]; sc[0] = sc[end]; sc[end] = ts;
        int64_t tn = nd[0]; nd[0] = nd[end]; nd[end] = tn;
        sift_down(sc, nd, end, 0);
    }
    return size;
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
#pragma omp parallel for schedule(dynamic, 1)
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
    GrB_Index k;
    GRB_TRY(GrB_Matrix_nrows(&k, P));
    GRL_TRY(grl_ppr_result_alloc(&r, (int64_t)k, top, msg));
    for (GrB_Index s = 0; s < k; s++) r->source[s] = sources ? sources[s] : (int64_t)s;
    GRL_TRY(grl_ppr_top_fill(r, 0, P, msg));
    *R = r;
    return 0;
#undef FREE_ALL
}
