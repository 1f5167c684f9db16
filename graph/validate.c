/* validate.c — the invariants every grl function assumes of a graph, checked
 * on graphs from untrusted sources (a .grl file). Loops over the borrowed
 * CSR arrays: no copy of the matrix, unlike a transpose. */
#include "graph_internal.h"

#include <math.h>
#include <omp.h>

/* First position of row i with a column >= j (rows sorted). */
static GrB_Index row_lower_bound(const grl_csr *c, int64_t i, GrB_Index j)
{
    GrB_Index lo = c->Ap[i], hi = c->Ap[i + 1];
    while (lo < hi) {
        GrB_Index mid = lo + (hi - lo) / 2;
        if (c->Aj[mid] < j) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Columns [lo, hi) of a symmetry check: the entries (i, j) of a column j
 * come in ascending i, so each must be the next unmatched entry (j, i) of
 * row j, with the same value. */
static bool columns_symmetric(const grl_csr *c, GrB_Index *next, int64_t lo,
                              int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) next[j] = c->Ap[j];
    for (int64_t i = 0; i < c->n; i++)
        for (GrB_Index p = row_lower_bound(c, i, (GrB_Index)lo);
             p < c->Ap[i + 1] && c->Aj[p] < (GrB_Index)hi; p++) {
            GrB_Index j = c->Aj[p], q = next[j]++;
            if (q >= c->Ap[j + 1] || c->Aj[q] != (GrB_Index)i ||
                (!c->iso && c->Ax[q] != c->Ax[p]))
                return false;
        }
    for (int64_t j = lo; j < hi; j++)
        if (next[j] != c->Ap[j + 1]) return false;
    return true;
}

/* Whether sorted CSR arrays equal their transpose; each thread checks the
 * columns of an equal share of the entries (its rows, were A symmetric). */
static bool csr_symmetric(const grl_csr *c, GrB_Index *next)
{
    bool symmetric = true;
#pragma omp parallel
    {
        int t = omp_get_thread_num(), T = omp_get_num_threads();
        GrB_Index nvals = c->Ap[c->n];
        int64_t lo = 0, hi = 0;
        /* columns whose rows start in [nvals * t / T, nvals * (t+1) / T) */
        for (int k = 0; k < 2; k++) {
            GrB_Index target = (GrB_Index)((double)nvals * (t + k) / T);
            int64_t a = 0, b = c->n;
            while (a < b) {
                int64_t mid = a + (b - a) / 2;
                if (c->Ap[mid] < target) a = mid + 1;
                else b = mid;
            }
            if (k == 0) lo = a; else hi = t == T - 1 ? c->n : a;
        }
        if (!columns_symmetric(c, next, lo, hi)) {
#pragma omp atomic write
            symmetric = false;
        }
    }
    return symmetric;
}

int grl_matrix_is_symmetric(GrB_Matrix A, bool *symmetric, char *msg)
{
    grl_csr csr = {0};
    GrB_Index *next = NULL;
#define FREE_ALL grl_csr_return(&csr, NULL); free(next)
    GRL_TRY(grl_csr_borrow(&csr, A, true, msg));
    GRL_ALLOC(next, GrB_Index, csr.n);
    *symmetric = csr_symmetric(&csr, next);
    free(next);
    next = NULL;
    GRL_TRY(grl_csr_return(&csr, msg));
    return 0;
#undef FREE_ALL
}

/* The first entry whose weight is not finite (or not > 0 unless allowed):
 * its row *i and position *p, or false. */
static bool bad_weight(const grl_csr *c, bool allow_nonpositive, int64_t *i,
                       GrB_Index *p)
{
    for (*i = 0; *i < c->n; (*i)++)
        for (*p = c->Ap[*i]; *p < c->Ap[*i + 1]; (*p)++) {
            double w = c->Ax[c->iso ? 0 : *p];
            if (!isfinite(w) || (!allow_nonpositive && !(w > 0))) return true;
        }
    return false;
}

/* Weights, then symmetry if undirected, on the borrowed arrays. */
static int check_arcs(grl_graph *G, bool allow_nonpositive, const char *what,
                      char *msg)
{
    grl_csr csr = {0};
    GrB_Index *next = NULL;
#define FREE_ALL grl_csr_return(&csr, NULL); free(next)
    GRL_TRY(grl_csr_borrow(&csr, G->A, true, msg));
    int64_t i;
    GrB_Index p;
    if (bad_weight(&csr, allow_nonpositive, &i, &p)) {
        double w = csr.Ax[csr.iso ? 0 : p];
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: arc %" PRId64 " -> %"
                 PRIu64 " has weight %g; weights must be finite%s", what, i,
                 (uint64_t)csr.Aj[p], w,
                 isfinite(w) ? " and > 0 (to keep others, allow non-positive "
                               "weights: --allow-nonpositive-weights)" : "");
    }
    if (!G->directed) {
        GRL_ALLOC(next, GrB_Index, csr.n);
        if (!csr_symmetric(&csr, next))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: flagged undirected "
                     "but its matrix is not symmetric", what);
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_validate(grl_graph *G, bool allow_nonpositive, const char *what,
                       char *msg)
{
#define FREE_ALL ;
    GrB_Index nr, nc;
    GrB_Type type;
    GRB_TRY(GrB_Matrix_nrows(&nr, G->A));
    GRB_TRY(GrB_Matrix_ncols(&nc, G->A));
    GRB_TRY(GxB_Matrix_type(&type, G->A));
    if (type != GrB_FP64 || nr != nc || (int64_t)nr != G->ids.n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: a %" PRIu64 " x %" PRIu64
                 " %s matrix for %" PRId64 " node ids (an n x n FP64 matrix is "
                 "needed)", what, (uint64_t)nr, (uint64_t)nc,
                 type == GrB_FP64 ? "FP64" : "non-FP64", G->ids.n);
    GRL_TRY(grl_matrix_check(G->A, what, msg));
    int64_t dup = grl_idmap_duplicate(&G->ids);
    if (dup >= 0) {
        char id[64];
        grl_graph_node_id(G, dup, id, sizeof id);
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: node id '%s' appears "
                 "twice", what, id);
    }
    if (G->self_loops_dropped < 0 || G->duplicates_dropped < 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: negative count of "
                 "dropped self-loops or duplicates", what);
    return check_arcs(G, allow_nonpositive, what, msg);
#undef FREE_ALL
}
