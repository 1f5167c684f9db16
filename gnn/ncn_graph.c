/* ncn_graph.c — NCN's view of the graph: the symmetric structure as a
 * sorted CSR with undirected edge ids (for target-link removal and edge
 * dropout), its filtered copies, and the per-pair lists of common (and, for
 * NCNC, one-sided) neighbours from linkpred's merge kernel. */
#include "ncn_internal.h"
#include "../linkpred/linkpred_internal.h"

void ncn_adj_free(ncn_adj *A)
{
    free(A->p);
    free(A->j);
    free(A->e);
    free(A->eu);
    free(A->ev);
    memset(A, 0, sizeof *A);
}

/* Copy the borrowed sorted CSR s into A without its diagonal. */
static int copy_rows(ncn_adj *A, const grl_csr *s, char *msg)
{
#define FREE_ALL ;
    const int64_t n = s->n;
    GRL_ALLOC(A->p, int64_t, n + 1);
    A->p[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t k = 0;
        for (GrB_Index a = s->Ap[i]; a < s->Ap[i + 1]; a++) k += (int64_t)s->Aj[a] != i;
        A->p[i + 1] = A->p[i] + k;
    }
    GRL_ALLOC(A->j, int64_t, A->p[n]);
    for (int64_t i = 0, q = 0; i < n; i++)
        for (GrB_Index a = s->Ap[i]; a < s->Ap[i + 1]; a++)
            if ((int64_t)s->Aj[a] != i) A->j[q++] = (int64_t)s->Aj[a];
    A->n = n;
    return 0;
#undef FREE_ALL
}

/* Position of j in row i of A (present by symmetry). */
static int64_t find_arc(const ncn_adj *A, int64_t i, int64_t j)
{
    int64_t lo = A->p[i], hi = A->p[i + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (A->j[mid] < j) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int ncn_adj_build(ncn_adj *A, grl_graph *G, char *msg)
{
    grl_csr s = {0};
    GrB_Matrix S = NULL;
#define FREE_ALL grl_csr_return(&s, NULL); GrB_free(&S); ncn_adj_free(A)
    memset(A, 0, sizeof *A);
    GrB_Matrix M = grl_graph_matrix(G);
    if (grl_graph_is_directed(G)) { /* the symmetric structure A ∪ Aᵀ */
        GrB_Matrix AT;
        GrB_Index n;
        GRL_TRY(grl_graph_transpose(G, &AT, msg));
        GRB_TRY(GrB_Matrix_nrows(&n, M));
        GRB_TRY(GrB_Matrix_new(&S, GrB_FP64, n, n));
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(S, NULL, NULL, GrB_MAX_FP64, M,
                                             AT, NULL));
        M = S;
    }
    /* borrows G's matrix (or our S) for the copy only */
    GRL_TRY(grl_csr_borrow(&s, M, true, msg));
    int rc = copy_rows(A, &s, msg);
    int rr = grl_csr_return(&s, rc ? NULL : msg);
    if (rc || rr) {
        FREE_ALL;
        return rc ? rc : rr;
    }
    GrB_free(&S);
    const int64_t n = A->n, arcs = A->p[n];
    A->m = arcs / 2;
    GRL_ALLOC(A->e, int64_t, arcs);
    GRL_ALLOC(A->eu, int64_t, A->m);
    GRL_ALLOC(A->ev, int64_t, A->m);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t a = A->p[i]; a < A->p[i + 1]; a++)
            if (A->j[a] > i) {
                A->eu[m] = i;
                A->ev[m] = A->j[a];
                A->e[a] = m++;
            }
    for (int64_t i = 0; i < n; i++)
        for (int64_t a = A->p[i]; a < A->p[i + 1]; a++)
            if (A->j[a] < i) A->e[a] = A->e[find_arc(A, A->j[a], i)];
    return 0;
#undef FREE_ALL
}

int ncn_adj_filter(ncn_adj *out, const ncn_adj *A, const uint8_t *drop,
                   char *msg)
{
#define FREE_ALL ;
    if (out->p == NULL) {
        GRL_ALLOC(out->p, int64_t, A->n + 1);
        GRL_ALLOC(out->j, int64_t, A->p[A->n]);
    }
    out->n = A->n;
    int64_t q = 0;
    out->p[0] = 0;
    for (int64_t i = 0; i < A->n; i++) {
        for (int64_t a = A->p[i]; a < A->p[i + 1]; a++)
            if (!drop[A->e[a]]) out->j[q++] = A->j[a];
        out->p[i + 1] = q;
    }
    out->m = q / 2;
    return 0;
#undef FREE_ALL
}

void ncn_lists_free(ncn_lists *L)
{
    free(L->off);
    free(L->node);
    free(L->other);
    free(L->w);
    memset(L, 0, sizeof *L);
}

/* Grow a to hold count elements of size `size`. */
static int grow(void **a, int64_t count, size_t size, char *msg)
{
#define FREE_ALL ;
    void *q = grl_realloc(*a, grl_size_mul((size_t)(count ? count : 1), size));
    if (q == NULL)
        GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory for %" PRId64
                 " common-neighbour entries", count);
    *a = q;
    return 0;
#undef FREE_ALL
}

/* The one-sided neighbours of a (not neighbours of b) from position r: the
 * edge (b, x) is what completion asks for; x = b itself (when a and b are
 * linked) gets weight 0 and no request. Returns their number. */
static int64_t one_sided(ncn_lists *L, const ncn_adj *A, int64_t a, int64_t b,
                         int64_t r)
{
    const int64_t *p = A->p, *j = A->j;
    int64_t cnt = 0;
    lp_merge(j + p[a], p[a + 1] - p[a], j + p[b], p[b + 1] - p[b], NULL,
             L->node + r, &cnt);
    for (int64_t t = r; t < r + cnt; t++) {
        L->other[t] = L->node[t] == b ? -1 : b;
        L->w[t] = 0.0f;
    }
    return cnt;
}

int ncn_lists_build(ncn_lists *L, const ncn_adj *A, const int64_t *u,
                    const int64_t *v, int64_t npairs, bool completion,
                    char *msg)
{
#define FREE_ALL ;
    if (npairs + 1 > L->off_cap) {
        GRL_TRY(grow((void **)&L->off, npairs + 1, sizeof(int64_t), msg));
        L->off_cap = npairs + 1;
    }
    const int64_t *p = A->p, *j = A->j;
    /* pass 1: each pair's entry count */
#pragma omp parallel for schedule(dynamic, 256) if (npairs > 4096)
    for (int64_t k = 0; k < npairs; k++) {
        int64_t a = u[k], b = v[k], oa = 0, ob = 0;
        int64_t c = lp_merge(j + p[a], p[a + 1] - p[a], j + p[b],
                             p[b + 1] - p[b], NULL, NULL, &oa);
        if (completion)
            lp_merge(j + p[b], p[b + 1] - p[b], j + p[a], p[a + 1] - p[a],
                     NULL, NULL, &ob);
        else
            oa = 0;
        L->off[k + 1] = c + oa + ob;
    }
    L->off[0] = 0;
    for (int64_t k = 0; k < npairs; k++) L->off[k + 1] += L->off[k];
    const int64_t count = L->off[npairs];
    if (count > L->cap) {
        int64_t want = count + count / 2 + 16;
        GRL_TRY(grow((void **)&L->node, want, sizeof(int64_t), msg));
        GRL_TRY(grow((void **)&L->w, want, sizeof(float), msg));
        GRL_TRY(grow((void **)&L->other, want, sizeof(int64_t), msg));
        L->cap = want;
    }
    /* pass 2: fill, common neighbours first, then a's side, then b's */
#pragma omp parallel for schedule(dynamic, 256) if (npairs > 4096)
    for (int64_t k = 0; k < npairs; k++) {
        int64_t a = u[k], b = v[k], q = L->off[k];
        int64_t c = lp_merge(j + p[a], p[a + 1] - p[a], j + p[b],
                             p[b + 1] - p[b], L->node + q, NULL, NULL);
        for (int64_t t = q; t < q + c; t++) {
            L->w[t] = 1.0f;
            L->other[t] = -1;
        }
        if (completion) {
            int64_t r = q + c;
            r += one_sided(L, A, a, b, r);
            one_sided(L, A, b, a, r);
        }
    }
    L->npairs = npairs;
    L->count = count;
    return 0;
#undef FREE_ALL
}
