/* validate.c — the invariants every grl function assumes of a graph, checked
 * on graphs from untrusted sources (a .grl file, a caller's matrix). Loops over the borrowed
 * CSR arrays: no copy of the matrix, unlike a transpose. */
#include "graph_internal.h"

#include <math.h>

/* The first entry whose weight is not finite (or not > 0 unless allowed):
 * its row *i and position *p, or false. */
static bool bad_weight(const grl_csr *c, bool allow_nonpositive, int64_t *i,
                       GrB_Index *p)
{
    /* iso: the one value, at the first entry if there is one */
    for (*i = 0; *i < c->n; (*i)++)
        for (*p = c->Ap[*i]; *p < c->Ap[*i + 1]; (*p)++) {
            if (c->iso && *p > 0) return false;
            double w = c->Ax[c->iso ? 0 : *p];
            if (!isfinite(w) || (!allow_nonpositive && !(w > 0))) return true;
        }
    return false;
}

/* Weights, then the rows and, if undirected, symmetry, on the borrowed
 * arrays, unless `checked` did. */
static int check_arcs(grl_graph *G, bool allow_nonpositive,
                      const grl_arc_check *checked, const char *what,
                      char *msg)
{
    grl_csr csr = {0};
#define FREE_ALL grl_csr_return(&csr, NULL)
    /* borrows G's matrix (no concurrent use of G); FREE_ALL returns it */
    GRL_TRY(grl_csr_borrow(&csr, G->A, false, msg));
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
    grl_arc_check k;
    if (checked == NULL || (!G->directed && !checked->form && !checked->bad)) {
        grl_arc_check_init(&k, csr.Ap, csr.Aj, csr.Ax, csr.iso, csr.n,
                           !G->directed);
        grl_arc_check_all(&k);
        checked = &k;
    }
    bool rows_ok = !checked->bad, symmetric = G->directed || checked->q == 0;
    if (!rows_ok)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: the columns of its "
                 "matrix are not a valid CSR (ascending in each row, below "
                 "%" PRId64 ")", what, csr.n);
    if (!symmetric)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: flagged undirected but "
                 "its matrix is not symmetric", what);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_validate(grl_graph *G, bool allow_nonpositive, const char *what,
                       char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_matrix_check(G->A, what, msg));
    return grl_graph_validate_content(G, allow_nonpositive, NULL, what, msg);
#undef FREE_ALL
}

int grl_graph_validate_content(grl_graph *G, bool allow_nonpositive,
                               const grl_arc_check *checked, const char *what,
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
    return check_arcs(G, allow_nonpositive, checked, what, msg);
#undef FREE_ALL
}
